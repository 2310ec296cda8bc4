//! Automatic re-optimisation after a study session (`docs/optimizer.md`, "Automatic
//! refits"): whether the log has grown enough since the last fit to fit again, and the
//! refit itself, which keeps the new parameters only if they predict the most recent
//! reviews, held out of the fit, better than the parameters in use. Pure: log in, decision
//! and numbers out; the caller reads the log, saves the parameters and says what happened.

use super::evaluate::future_predictions;
use super::metrics::log_loss;
use super::{Fit, FitError, FitOptions, Log, MIN_ITEMS, Split, fit};
use crate::schedule::optimize::model::N;

/// How much the log must grow since the last fit (or attempt) before fitting again.
pub const GROWTH: u64 = 2;

/// The share of predictable reviews, the most recent ones, held out to judge a refit.
pub const HELD_OUT: f64 = 0.2;

/// Whether a refit is due: the log has at least `MIN_ITEMS` predictable reviews (`items`;
/// fewer and the optimizer refuses) and its review count (`reviews`) is at least `GROWTH`
/// times the count at the last fit or attempt (`last`; `None`: never fitted, so due as soon
/// as there is enough data).
pub fn is_due(reviews: u64, items: usize, last: Option<u64>) -> bool {
    items >= MIN_ITEMS && last.is_none_or(|n| reviews >= n.saturating_mul(GROWTH).max(1))
}

/// The cut that holds out the most recent `HELD_OUT` of the predictable reviews: reviews at
/// or after it are the held-out part. `None` when the log has no predictable review.
pub fn held_out_split(log: &Log) -> Option<Split> {
    let mut times: Vec<i64> = log
        .cards
        .iter()
        .flat_map(|c| c.items().map(|i| c.reviews[i].at))
        .collect();
    if times.is_empty() {
        return None;
    }
    times.sort_unstable();
    // The first held-out item; every item at that same time is held out with it.
    let first = ((times.len() as f64) * (1.0 - HELD_OUT)).floor() as usize;
    Some(Split {
        cutoff: times[first.min(times.len() - 1)],
    })
}

/// What a refit did.
#[derive(Debug, Clone, PartialEq)]
pub struct Refit {
    /// The fit on everything before the held-out part.
    pub fit: Fit,
    /// Predictable reviews held out.
    pub held_out: usize,
    /// Log loss on the held-out reviews with the parameters in use, and with the new fit.
    pub before: f64,
    pub after: f64,
    /// The new parameters predict the held-out reviews better: keep them.
    pub kept: bool,
}

/// Fits FSRS-6 to `log` without its most recent reviews and compares the fit with `current`
/// (the parameters in use) on those reviews. Deterministic for a given `options.seed`.
pub fn refit(log: &Log, current: &[f64; N], options: &FitOptions) -> Result<Refit, FitError> {
    let not_enough = FitError::NotEnoughData {
        items: 0,
        used: 0,
        needed: MIN_ITEMS,
    };
    let split = held_out_split(log).ok_or(not_enough)?;
    let fit = fit(log, Some(split), options, &mut |_| {})?;
    let old = future_predictions(log, split, current);
    let new = future_predictions(log, split, &fit.parameters);
    let (before, after) = (log_loss(&old), log_loss(&new));
    Ok(Refit {
        held_out: old.len(),
        kept: !old.is_empty() && !fit.kept_defaults && after < before,
        fit,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Rating;
    use crate::schedule::fsrs::DEFAULT_PARAMETERS;
    use crate::schedule::optimize::model::Model;
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    #[track_caller]
    fn due(reviews: u64, items: usize, last: Option<u64>, expected: bool) {
        assert_eq!(
            is_due(reviews, items, last),
            expected,
            "{reviews} reviews, {items} items, last fit at {last:?}"
        );
    }

    #[test]
    fn a_refit_is_due_when_the_log_has_doubled_and_is_big_enough() {
        due(1000, 400, None, true);
        due(1000, MIN_ITEMS - 1, None, false);
        due(1999, 900, Some(1000), false);
        due(2000, 900, Some(1000), true);
        due(5000, MIN_ITEMS - 1, Some(1000), false);
        due(1, MIN_ITEMS, Some(0), true);
    }

    /// A stronger memory than the defaults: high initial stabilities, fast growth.
    fn strong() -> [f64; N] {
        let mut w = DEFAULT_PARAMETERS;
        w[..4].copy_from_slice(&[20.0, 30.0, 40.0, 60.0]);
        w[8] = 2.5;
        w
    }

    const DAY_MS: i64 = 86_400_000;

    /// The day a synthetic log's late regime starts: before the most recent fifth of its
    /// predictable reviews (the held-out part starts near day 115, as short early intervals
    /// put most reviews early).
    const LATE: i64 = 100;

    /// A synthetic log: 400 cards started over 60 days, each reviewed when the scheduling
    /// model says (interval = its stability, at least a day) until day 240; the outcome of a
    /// review drawn with the recall probability of `truth` (model, whether the review is in
    /// the regime after day `LATE`). Rated Good when recalled, Again when not.
    fn synthetic(
        schedule: &[f64; N],
        truth: impl Fn(bool) -> Option<[f64; N]>,
        late_recall: f64,
    ) -> Log {
        let scheduler = Model::new(schedule);
        let mut rng = StdRng::seed_from_u64(7);
        let mut rows = Vec::new();
        let noon = 1_767_268_800_000; // 2026-01-01T12:00:00Z
        for card in 0..400i64 {
            let mut day = card % 60;
            let mut state = scheduler.first(3);
            let mut truth_state = None::<crate::schedule::optimize::model::State<f64>>;
            rows.push((card, noon + day * DAY_MS, Rating::Good));
            loop {
                let interval = state.s.round().max(1.0) as u32;
                day += i64::from(interval);
                if day > 240 {
                    break;
                }
                let late = day > LATE;
                let p = match truth(late) {
                    Some(w) => {
                        let model = Model::new(&w);
                        let s = truth_state.map_or_else(|| model.first(3).s, |t| t.s);
                        model.retrievability(f64::from(interval), s)
                    }
                    None => late_recall,
                };
                let recalled = rng.random::<f64>() < p;
                let rating = if recalled { 3 } else { 1 };
                if let Some(w) = truth(late) {
                    let model = Model::new(&w);
                    let t = truth_state.unwrap_or_else(|| model.first(3));
                    truth_state = Some(model.step(t, interval, rating));
                }
                state = scheduler.step(state, interval, rating);
                rows.push((
                    card,
                    noon + day * DAY_MS,
                    if recalled {
                        Rating::Good
                    } else {
                        Rating::Again
                    },
                ));
            }
        }
        let rows = rows
            .into_iter()
            .map(|(card, ms, rating)| (card, Timestamp::from_millisecond(ms).unwrap(), rating));
        Log::from_reviews(rows, &TimeZone::UTC)
    }

    #[test]
    fn a_refit_that_predicts_recent_reviews_better_is_kept() {
        // Memory follows `strong` throughout; the defaults in use underrate it.
        let log = synthetic(&DEFAULT_PARAMETERS, |_| Some(strong()), 0.0);
        let r = refit(&log, &DEFAULT_PARAMETERS, &FitOptions::default()).unwrap();
        assert!(r.held_out > 0 && r.fit.items > MIN_ITEMS, "{r:?}");
        assert!(r.after < r.before, "{} -> {}", r.before, r.after);
        assert!(r.kept);
    }

    #[test]
    fn a_refit_that_predicts_recent_reviews_worse_is_not_kept() {
        // Memory followed the defaults until day `LATE`, then nearly everything is recalled:
        // the parameters in use (`strong`, which predict high recall) describe the recent
        // reviews better than a fit to the older ones can.
        let log = synthetic(
            &DEFAULT_PARAMETERS,
            |late| (!late).then_some(DEFAULT_PARAMETERS),
            0.99,
        );
        let split = held_out_split(&log).unwrap();
        assert!(
            split.cutoff > 1_767_268_800_000 + LATE * DAY_MS,
            "the held-out part is the late regime"
        );
        let r = refit(&log, &strong(), &FitOptions::default()).unwrap();
        assert!(r.after > r.before, "{} -> {}", r.before, r.after);
        assert!(!r.kept);
    }

    #[test]
    fn too_small_a_log_is_not_refitted() {
        let log = Log::from_reviews(
            (0..50i64).flat_map(|c| {
                [0, 3].map(|d| {
                    (
                        c,
                        Timestamp::from_millisecond(1_767_268_800_000 + d * DAY_MS).unwrap(),
                        Rating::Good,
                    )
                })
            }),
            &TimeZone::UTC,
        );
        assert!(matches!(
            refit(&log, &DEFAULT_PARAMETERS, &FitOptions::default()),
            Err(FitError::NotEnoughData { .. })
        ));
        assert!(held_out_split(&Log::default()).is_none());
    }
}
