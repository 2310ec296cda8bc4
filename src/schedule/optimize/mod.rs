//! The optimizer: fits the 21 FSRS-6 parameters to a learner's review log, and measures how
//! well a parameter set predicts recall. Pure: reviews in, parameters and numbers out; the
//! commands read the log and store the result. `docs/optimizer.md` describes every step.
//!
//! - `dataset.rs`: the log as per-card sequences in study days, the items FSRS predicts, the
//!   time split;
//! - `model.rs`: FSRS-6 over a generic number, with forward-mode derivatives for training;
//! - `pretrain.rs`: the outlier filter and the initial stabilities w0-w3;
//! - `metrics.rs`: log loss, RMSE(bins), AUC;
//! - `evaluate.rs`: default FSRS-6, a fitted set and SM-2 side by side on a split;
//! - this file: the fit itself (Adam on the binary cross-entropy, cosine learning rate,
//!   clipping to the reference bounds, L2 toward the starting point).

pub mod dataset;
pub mod evaluate;
pub mod gradient;
pub mod grouped;
pub mod metrics;
pub mod model;
pub mod pretrain;
pub mod refit;
pub mod revlog;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::schedule::fsrs::{D_MAX, D_MIN, DEFAULT_PARAMETERS, S_MIN};
pub use dataset::{CardLog, Log, Review, Split};
use gradient::{Prepared, Target};
use metrics::{Bin, Metrics, Scored};
use model::{Model, N};
use pretrain::{FirstItem, INIT_S_MAX};

/// The fewest predictable reviews (reviews on a later day than the card's previous one) a
/// fit needs. With fewer, the L2 pull toward the defaults leaves most parameters where they
/// are and the numbers printed would be noise (the reference optimizer moves nothing but
/// the initial stabilities below 64).
pub const MIN_ITEMS: usize = 200;

/// How much each parameter may move per unit of L2 penalty: the spread of fitted values
/// across many learners (the reference optimizer's table). The penalty,
/// `gamma * (batch / total) * sum ((w - w_start) / sd)^2`, weighs more, per review, on a small
/// log, which keeps a fit to little data near the defaults.
const PARAMS_SD: [f64; N] = [
    6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3, 0.09, 0.16, 0.57, 0.25,
    1.03, 0.31, 0.32, 0.14, 0.27,
];

/// The bounds every parameter is clipped to after each step (the reference optimizer's, with
/// one relearning step and short-term memory on).
pub const BOUNDS: [(f64, f64); N] = [
    (S_MIN, INIT_S_MAX),
    (S_MIN, INIT_S_MAX),
    (S_MIN, INIT_S_MAX),
    (S_MIN, INIT_S_MAX),
    (D_MIN, D_MAX),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.01, 0.8),
    (0.1, 0.8),
];

/// The training settings (the reference optimizer's defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Seeds the order of the batches in each epoch.
    pub seed: u64,
    pub epochs: usize,
    /// Predictions per batch (whole cards; a batch closes before it would pass this).
    pub batch_size: usize,
    pub learning_rate: f64,
    /// Strength of the L2 pull toward the starting parameters.
    pub gamma: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            seed: 2023,
            epochs: 5,
            batch_size: 512,
            learning_rate: 0.04,
            gamma: 1.0,
        }
    }
}

/// Why there is no fit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    #[error(
        "not enough reviews to fit FSRS-6: {items} reviews on a later day than the card's previous review{}, at least {needed} are needed",
        if *used < *items { format!(" ({used} left after dropping rare first intervals)") } else { String::new() }
    )]
    NotEnoughData {
        items: usize,
        used: usize,
        needed: usize,
    },

    #[error(
        "not enough reviews to evaluate on: the last 20 % of the log's time span holds {items} reviews on a later day than the card's previous review, at least {needed} are needed"
    )]
    NotEnoughTestData { items: usize, needed: usize },
}

/// Where a fit stands, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub epoch: usize,
    pub epochs: usize,
    /// Predictions processed in this epoch.
    pub done: usize,
    pub total: usize,
}

/// A fitted parameter set and what it was fitted to.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub parameters: [f64; N],
    /// Predictable reviews in the training part of the log.
    pub items: usize,
    /// Of those, the ones the fit used (after the outlier filter).
    pub used_items: usize,
    pub cards: usize,
    /// Every review in the training part (same-day ones included).
    pub reviews: usize,
    /// The default parameters' and the fit's log loss on the training items.
    pub loss_before: f64,
    pub loss_after: f64,
    /// Gradient descent did not improve on the defaults, so they are returned unchanged.
    pub kept_defaults: bool,
}

/// A card as training sees it: its reviews as `(rating, delta_t)`, up to its last target.
#[derive(Debug, Clone)]
struct TrainCard {
    sequence: Vec<(u8, u32)>,
    targets: Vec<Target>,
}

/// The reviews of `log` before the split (all of them with `None`), per card, and the items
/// among them.
fn past(log: &Log, split: Option<Split>) -> (Vec<(&CardLog, usize)>, usize) {
    let mut cards = Vec::new();
    let mut reviews = 0;
    for card in &log.cards {
        let cut = match split {
            Some(split) => card.reviews.partition_point(|r| split.is_past(r.at)),
            None => card.reviews.len(),
        };
        if cut > 0 {
            reviews += cut;
            cards.push((card, cut));
        }
    }
    (cards, reviews)
}

/// Fits FSRS-6 to the reviews of `log` before `split` (all of them with `None`).
/// Deterministic for a given `options.seed`. `progress` is called after every batch.
// The reference's steps in their order (filter, weights, pre-training, descent, guard) read
// best as one function.
#[allow(clippy::too_many_lines)]
pub fn fit(
    log: &Log,
    split: Option<Split>,
    options: &FitOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Fit, FitError> {
    let (past_cards, reviews) = past(log, split);
    let items: usize = past_cards
        .iter()
        .map(|(card, cut)| card.items().take_while(|&i| i < *cut).count())
        .sum();
    let not_enough = |used| FitError::NotEnoughData {
        items,
        used,
        needed: MIN_ITEMS,
    };
    if items < MIN_ITEMS {
        return Err(not_enough(items));
    }

    // Each card's first prediction decides whether the outlier filter keeps the card.
    let first_item = |card: &CardLog, cut: usize| {
        let i = card.items().next().filter(|&i| i < cut)?;
        Some(FirstItem {
            first_rating: card.reviews[0].rating,
            delta_t: card.reviews[i].delta_t,
            recalled: card.reviews[i].recalled(),
        })
    };
    let firsts: Vec<FirstItem> = past_cards
        .iter()
        .filter_map(|&(card, cut)| first_item(card, cut))
        .collect();
    let removed = pretrain::outliers(&firsts);
    let kept: Vec<(&CardLog, usize)> = past_cards
        .iter()
        .copied()
        .filter(|&(card, cut)| {
            first_item(card, cut).is_some_and(|f| !removed.contains(&(f.first_rating, f.delta_t)))
        })
        .collect();

    // Recency weights: items ordered by time get 0.25 .. 1.0, rising as t^3.
    let mut when: Vec<(i64, usize, usize)> = Vec::new();
    for (k, &(card, cut)) in kept.iter().enumerate() {
        for i in card.items().take_while(|&i| i < cut) {
            when.push((card.reviews[i].at, k, i));
        }
    }
    let used_items = when.len();
    if used_items < MIN_ITEMS {
        return Err(not_enough(used_items));
    }
    when.sort_unstable();
    let last = (used_items - 1).max(1) as f64;
    let mut targets: Vec<Vec<Target>> = vec![Vec::new(); kept.len()];
    let mut recalled = 0usize;
    for (rank, &(_, k, i)) in when.iter().enumerate() {
        let r = kept[k].0.reviews[i].recalled();
        recalled += usize::from(r);
        targets[k].push(Target {
            index: i,
            recalled: r,
            weight: 0.25 + 0.75 * (rank as f64 / last).powi(3),
        });
    }
    let average_recall = recalled as f64 / used_items as f64;

    let kept_firsts: Vec<FirstItem> = kept
        .iter()
        .filter_map(|&(card, cut)| first_item(card, cut))
        .collect();
    let (s0, s0_counts) =
        pretrain::initial_stability(&kept_firsts, average_recall).ok_or(not_enough(0))?;
    let mut start = DEFAULT_PARAMETERS;
    start[..4].copy_from_slice(&s0);

    let mut cards: Vec<TrainCard> = kept
        .iter()
        .zip(targets)
        .map(|(&(card, _), mut targets)| {
            targets.sort_by_key(|t| t.index);
            let end = targets.last().map_or(0, |t| t.index + 1);
            TrainCard {
                sequence: card.sequence(end),
                targets,
            }
        })
        .collect();
    cards.sort_by_key(|c| c.sequence.len());
    let batches = batches(&cards, options.batch_size.max(1));

    let fitted = train(&cards, &batches, &start, used_items, options, progress);
    let mut parameters = fitted;
    let s0_known: [Option<f64>; 4] =
        std::array::from_fn(|i| (s0_counts[i] > 0).then_some(fitted[i]));
    if let Some(s) = pretrain::smooth_and_fill(s0_known, s0_counts) {
        parameters[..4].copy_from_slice(&s);
    }

    // Never return a fit worse than the defaults on the data it was fitted to.
    let training: Vec<(&CardLog, usize)> = past_cards;
    let before = loss(&training, &DEFAULT_PARAMETERS);
    let after = loss(&training, &parameters);
    let kept_defaults = !parameters.iter().all(|w| w.is_finite()) || after >= before;
    if kept_defaults {
        parameters = DEFAULT_PARAMETERS;
    }
    Ok(Fit {
        parameters,
        items,
        used_items,
        cards: training.len(),
        reviews,
        loss_before: before,
        loss_after: if kept_defaults { before } else { after },
        kept_defaults,
    })
}

impl Fit {
    /// Every number, for `--json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "parameters": self.parameters.to_vec(),
            "reviews": self.reviews,
            "cards": self.cards,
            "items": self.items,
            "used_items": self.used_items,
            "kept_defaults": self.kept_defaults,
            "log_loss_before": self.loss_before,
            "log_loss_after": self.loss_after,
        })
    }
}

/// A `Metrics` as JSON (`auc` null when undefined).
pub fn metrics_json(m: &Metrics) -> serde_json::Value {
    serde_json::json!({
        "log_loss": m.log_loss,
        "rmse_bins": m.rmse_bins,
        "auc": m.auc,
        "count": m.count,
    })
}

/// The mean log loss of `w` on every item of these (card, reviews before the cut) pairs:
/// `measure` without the bins and the ranking, for the guard against a bad fit.
fn loss(cards: &[(&CardLog, usize)], w: &[f64; N]) -> f64 {
    let model = Model::new(w);
    let (mut total, mut count) = (0.0, 0usize);
    for &(card, cut) in cards {
        let mut state = model.first(card.reviews[0].rating);
        for review in &card.reviews[1..cut] {
            if review.delta_t > 0 {
                let p = model.retrievability(f64::from(review.delta_t), state.s);
                total += model::bce(p, review.recalled()).0;
                count += 1;
            }
            state = model.step(state, review.delta_t, review.rating);
        }
    }
    if count == 0 {
        0.0
    } else {
        total / count as f64
    }
}

/// Every metric of `w` on the reviews of `log` before `split` (all with `None`): what a fit
/// was measured on.
pub fn in_sample_metrics(log: &Log, split: Option<Split>, w: &[f64; N]) -> Metrics {
    let (cards, _) = past(log, split);
    measure(&cards, w)
}

/// The metrics of `w` on every item of these (card, reviews before the cut) pairs.
fn measure(cards: &[(&CardLog, usize)], w: &[f64; N]) -> Metrics {
    let model = Model::new(w);
    let mut scored = Vec::new();
    for &(card, cut) in cards {
        predict(&model, card, |i| i < cut, &mut scored);
    }
    Metrics::of(&scored).unwrap_or(Metrics {
        log_loss: 0.0,
        rmse_bins: 0.0,
        auc: None,
        count: 0,
    })
}

/// Predicts every item of `card` that `wanted` selects (by review index), each from the
/// card's whole history before it, appending them to `out`.
pub fn predict(
    model: &Model<f64>,
    card: &CardLog,
    wanted: impl Fn(usize) -> bool,
    out: &mut Vec<Scored>,
) {
    let Some(first) = card.reviews.first() else {
        return;
    };
    let mut state = model.first(first.rating);
    let (mut long_term, mut lapses) = (0, 0);
    for (i, review) in card.reviews.iter().enumerate().skip(1) {
        if review.delta_t > 0 {
            long_term += 1;
            if wanted(i) {
                out.push(Scored {
                    p: model.retrievability(f64::from(review.delta_t), state.s),
                    recalled: review.recalled(),
                    bin: Bin::new(review.delta_t, long_term, lapses),
                });
            }
            lapses += usize::from(!review.recalled());
        }
        state = model.step(state, review.delta_t, review.rating);
    }
}

/// Cards (sorted by length) grouped into batches of at most `size` predictions (a card with
/// more goes alone): index ranges into the card list.
fn batches(cards: &[TrainCard], size: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut count) = (0, 0);
    for (i, card) in cards.iter().enumerate() {
        let n = card.targets.len();
        if i > start && count + n > size {
            out.push(start..i);
            start = i;
            count = 0;
        }
        count += n;
    }
    if start < cards.len() {
        out.push(start..cards.len());
    }
    out
}

/// The weighted sum of the losses of a batch (as the reference sums them, which sets the
/// balance against the L2 term), its gradient, and the number of predictions.
fn batch_gradient(w: &[f64; N], cards: &[TrainCard]) -> ([f64; N], usize) {
    let prepared = Prepared::new(w);
    let mut grad = [0.0; N];
    let mut count = 0;
    for card in cards {
        gradient::card_loss(&prepared, &card.sequence, &card.targets, &mut grad);
        count += card.targets.len();
    }
    (grad, count)
}

/// Adam with a cosine-annealed learning rate, clipping after every step.
fn train(
    cards: &[TrainCard],
    batches: &[std::ops::Range<usize>],
    start: &[f64; N],
    total: usize,
    options: &FitOptions,
    progress: &mut dyn FnMut(Progress),
) -> [f64; N] {
    const BETA1: f64 = 0.9;
    const BETA2: f64 = 0.999;
    const EPSILON: f64 = 1e-8;
    let mut w = *start;
    let (mut m, mut v) = ([0.0; N], [0.0; N]);
    let mut step = 0i32;
    let steps = ((total / options.batch_size.max(1) + 1) * options.epochs) as f64;
    let mut rng = StdRng::seed_from_u64(options.seed);
    let mut order: Vec<usize> = (0..batches.len()).collect();
    for epoch in 1..=options.epochs {
        order.sort_unstable();
        order.shuffle(&mut rng);
        let mut done = 0;
        for &b in &order {
            let (mut grad, count) = batch_gradient(&w, &cards[batches[b].clone()]);
            let l2 = options.gamma * count as f64 / total as f64;
            for i in 0..N {
                grad[i] += 2.0 * (w[i] - start[i]) / (PARAMS_SD[i] * PARAMS_SD[i]) * l2;
            }
            let lr = options.learning_rate
                * 0.5
                * (1.0 + (std::f64::consts::PI * f64::from(step) / steps).cos());
            step += 1;
            let bias1 = 1.0 - BETA1.powi(step);
            let bias2 = 1.0 - BETA2.powi(step);
            for i in 0..N {
                m[i] = BETA1 * m[i] + (1.0 - BETA1) * grad[i];
                v[i] = BETA2 * v[i] + (1.0 - BETA2) * grad[i] * grad[i];
                let update = lr * (m[i] / bias1) / ((v[i] / bias2).sqrt() + EPSILON);
                if update.is_finite() {
                    w[i] -= update;
                }
                w[i] = w[i].clamp(BOUNDS[i].0, BOUNDS[i].1);
            }
            done += count;
            progress(Progress {
                epoch,
                epochs: options.epochs,
                done,
                total,
            });
        }
    }
    w
}

/// The training log loss of `w` on `log` (every item), for tests and reports.
pub fn log_loss(log: &Log, w: &[f64; N]) -> f64 {
    let (cards, _) = past(log, None);
    measure(&cards, w).log_loss
}

#[cfg(test)]
// Determinism is checked bit for bit.
#[allow(clippy::float_cmp)]
mod tests {
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use rand::RngExt;

    use super::evaluate::future_predictions;
    use super::*;
    use crate::schedule::Rating;

    /// The parameters the synthetic learner's memory follows: the defaults with a better
    /// memory for new cards, faster growth and a steeper forgetting curve.
    const TRUTH: [f64; N] = [
        0.6, 2.0, 5.0, 12.0, 5.5, 0.8, 2.5, 0.01, 1.4, 0.1, 0.9, 1.8, 0.08, 0.3, 1.5, 0.6, 2.0,
        0.5, 0.1, 0.07, 0.35,
    ];

    /// A seeded review log from a learner whose memory follows `TRUTH`: each card rated on its
    /// first day (Again is followed by a same-day Good), then reviewed when the learner's
    /// scheduler (the defaults, at 90 %) says, give or take 30 %, and recalled with the
    /// probability `TRUTH` gives.
    pub(super) fn simulated(cards: usize, seed: u64) -> Log {
        let truth = Model::new(&TRUTH);
        let believed = Model::new(&DEFAULT_PARAMETERS);
        let mut rng = StdRng::seed_from_u64(seed);
        let start: Timestamp = "2026-01-01T10:00:00Z".parse().unwrap();
        let mut rows = Vec::new();
        for card in 0..cards {
            let mut day = rng.random_range(0..120_i64);
            let at = |day: i64, minutes: i64| {
                start + jiff::SignedDuration::from_mins(day * 1440 + minutes)
            };
            let first: u8 = match rng.random_range(0..100) {
                0..25 => 1,
                25..30 => 2,
                30..95 => 3,
                _ => 4,
            };
            rows.push((card, at(day, 0), first));
            let (mut real, mut seen) = (truth.first(first), believed.first(first));
            if first == 1 {
                rows.push((card, at(day, 10), 3));
                real = truth.step(real, 0, 3);
                seen = believed.step(seen, 0, 3);
            }
            for _ in 0..12 {
                let wait = (seen.s * rng.random_range(0.7..1.3)).round().max(1.0);
                day += wait as i64;
                if day > 300 {
                    break;
                }
                let recalled = rng.random_bool(truth.retrievability(wait, real.s).clamp(0.0, 1.0));
                let rating = if recalled {
                    match rng.random_range(0..100) {
                        0..10 => 2,
                        10..95 => 3,
                        _ => 4,
                    }
                } else {
                    1
                };
                rows.push((card, at(day, 0), rating));
                real = truth.step(real, wait as u32, rating);
                seen = believed.step(seen, wait as u32, rating);
            }
        }
        Log::from_reviews(
            rows.into_iter().map(|(card, at, rating)| {
                (
                    card,
                    at,
                    Rating::from_number(i64::from(rating)).expect("1..=4"),
                )
            }),
            &TimeZone::UTC,
        )
    }

    #[test]
    fn fit_beats_the_defaults_on_a_history_from_known_parameters() {
        let log = simulated(1500, 7);
        let split = evaluate::split_of(&log);
        let fit = fit(&log, Some(split), &FitOptions::default(), &mut |_| {}).unwrap();
        assert!(!fit.kept_defaults);
        assert!(fit.loss_after < fit.loss_before, "{fit:?}");
        // Within the bounds the scheduler accepts, so a saved fit always loads.
        assert!(crate::schedule::config::validate_parameters(&fit.parameters).is_ok());
        // On the later reviews the fit never saw: better than the defaults, and close to
        // what the true parameters achieve.
        let future = |w: &[f64; N]| {
            metrics::Metrics::of(&future_predictions(&log, split, w))
                .unwrap()
                .log_loss
        };
        let (default, fitted, truth) = (
            future(&DEFAULT_PARAMETERS),
            future(&fit.parameters),
            future(&TRUTH),
        );
        assert!(fitted < default, "fitted {fitted} vs default {default}");
        assert!(
            fitted - truth < 0.25 * (default - truth),
            "fitted {fitted}, default {default}, truth {truth}"
        );
        // The initial stabilities, which pre-training estimates directly, move toward the
        // truth (Again and Good: the ratings with enough first reviews).
        for i in [0, 2] {
            assert!(
                (fit.parameters[i] - TRUTH[i]).abs() < (DEFAULT_PARAMETERS[i] - TRUTH[i]).abs(),
                "w{i} = {} (truth {}, default {})",
                fit.parameters[i],
                TRUTH[i],
                DEFAULT_PARAMETERS[i]
            );
        }
    }

    #[test]
    fn fit_is_deterministic_for_a_seed() {
        let log = simulated(400, 3);
        let options = FitOptions {
            seed: 11,
            ..FitOptions::default()
        };
        let a = fit(&log, None, &options, &mut |_| {}).unwrap();
        let b = fit(&log, None, &options, &mut |_| {}).unwrap();
        assert_eq!(a.parameters, b.parameters);
        let other = FitOptions {
            seed: 12,
            ..FitOptions::default()
        };
        let c = fit(&log, None, &other, &mut |_| {}).unwrap();
        assert_ne!(a.parameters, c.parameters, "the seed orders the batches");
    }

    #[test]
    fn too_little_data_is_refused() {
        let log = simulated(20, 1);
        let err = fit(&log, None, &FitOptions::default(), &mut |_| {}).unwrap_err();
        assert!(
            matches!(err, FitError::NotEnoughData { items, needed: MIN_ITEMS, .. } if items < MIN_ITEMS),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("not enough reviews to fit FSRS-6: ")
        );
    }

    #[test]
    fn progress_reaches_every_prediction_of_every_epoch() {
        let log = simulated(400, 3);
        let mut last = None;
        fit(&log, None, &FitOptions::default(), &mut |p| last = Some(p)).unwrap();
        let last = last.unwrap();
        assert_eq!((last.epoch, last.epochs), (5, 5));
        assert_eq!(last.done, last.total);
    }
}
