//! `factdrill evaluate`: parameter sets side by side on a time-ordered split of one log.
//! FSRS-6 is fitted on the past (reviews before the cut), and every model predicts the
//! future (reviews at or after it), each prediction from the card's whole history before it,
//! as the scheduler would see it in use. Pure: log in, numbers out.

use jiff::Timestamp;

use super::dataset::{Log, Split};
use super::metrics::{Metrics, Scored};
use super::model::{Model, N};
use super::{Fit, FitError, FitOptions, Progress, fit, predict};
use crate::schedule::fsrs::DEFAULT_PARAMETERS;
use crate::schedule::{Algorithm, CardState, Rating, Scheduler, SchedulerConfig};

/// The fewest future items an evaluation needs.
pub const MIN_TEST_ITEMS: usize = 50;

/// One model's numbers on the future part.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub name: &'static str,
    pub metrics: Metrics,
    /// The FSRS-6 parameters behind it (none for SM-2).
    pub parameters: Option<[f64; N]>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub split: Split,
    pub train_items: usize,
    pub test_items: usize,
    pub fit: Fit,
    /// Default FSRS-6, fitted FSRS-6, the given parameters (if any), SM-2.
    pub models: Vec<Scores>,
}

/// The split `evaluate` uses: at 80 % of the log's time span.
pub fn split_of(log: &Log) -> Split {
    let (first, last) = log.span().unwrap_or((0, 0));
    Split::at_80_percent(first, last)
}

/// Fits FSRS-6 on the reviews before `split` (the caller times this step alone).
pub fn fit_past(
    log: &Log,
    split: Split,
    options: &FitOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Fit, FitError> {
    fit(log, Some(split), options, progress)
}

/// Scores the default parameters, `fitted` (fitted before `split`), `given` (if any) and
/// SM-2 on the reviews from `split` on.
pub fn evaluate(
    log: &Log,
    split: Split,
    fitted: Fit,
    given: Option<[f64; N]>,
) -> Result<Evaluation, FitError> {
    let test_items = log
        .cards
        .iter()
        .map(|c| {
            c.items()
                .filter(|&i| !split.is_past(c.reviews[i].at))
                .count()
        })
        .sum();
    if test_items < MIN_TEST_ITEMS {
        return Err(FitError::NotEnoughTestData {
            items: test_items,
            needed: MIN_TEST_ITEMS,
        });
    }
    let mut models = vec![
        fsrs_scores(log, split, "default FSRS-6", DEFAULT_PARAMETERS),
        fsrs_scores(log, split, "fitted FSRS-6", fitted.parameters),
    ];
    if let Some(w) = given {
        models.push(fsrs_scores(log, split, "given parameters", w));
    }
    models.push(Scores {
        name: "SM-2",
        metrics: sm2_metrics(log, split),
        parameters: None,
    });
    Ok(Evaluation {
        split,
        train_items: fitted.items,
        test_items,
        fit: fitted,
        models,
    })
}

impl Evaluation {
    /// Every number, for `--json`; `fit_seconds` is added by the caller, who timed the fit.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "split": {
                "cutoff": Timestamp::from_millisecond(self.split.cutoff)
                    .map_or_else(|_| self.split.cutoff.to_string(), |t| t.to_string()),
                "cutoff_ms": self.split.cutoff,
                "train_items": self.train_items,
                "test_items": self.test_items,
            },
            "fitted_parameters": self.fit.parameters.to_vec(),
            "fit": self.fit.to_json(),
            "models": self.models.iter().map(|m| {
                let mut v = super::metrics_json(&m.metrics);
                v["name"] = m.name.into();
                v["parameters"] = m.parameters.map(|w| w.to_vec()).into();
                v
            }).collect::<Vec<_>>(),
        })
    }
}

fn empty() -> Metrics {
    Metrics {
        log_loss: 0.0,
        rmse_bins: 0.0,
        auc: None,
        count: 0,
    }
}

/// The future items of `log`, each predicted by FSRS-6 with `w`.
pub fn future_predictions(log: &Log, split: Split, w: &[f64; N]) -> Vec<Scored> {
    let model = Model::new(w);
    let mut scored = Vec::new();
    for card in &log.cards {
        predict(
            &model,
            card,
            |i| !split.is_past(card.reviews[i].at),
            &mut scored,
        );
    }
    scored
}

fn fsrs_scores(log: &Log, split: Split, name: &'static str, w: [f64; N]) -> Scores {
    Scores {
        name,
        metrics: Metrics::of(&future_predictions(log, split, &w)).unwrap_or_else(empty),
        parameters: Some(w),
    }
}

/// SM-2's recall probability for a review `t` study days after the previous one, whose
/// scheduled interval was `interval` days: an exponential forgetting curve that passes 90 %
/// at the interval, `0.9^(t / interval)`, with the interval at least one day (a card still in
/// its same-day steps counts as due in one day).
pub fn sm2_recall(t: f64, interval: f64) -> f64 {
    0.9f64.powf(t / interval.max(1.0))
}

/// SM-2 (factdrill's, with its default steps and no fuzz) replayed over every card; each
/// future item predicted from the interval SM-2 had scheduled before it.
///
/// # Panics
///
/// Never: the default SM-2 settings are valid.
pub fn sm2_metrics(log: &Log, split: Split) -> Metrics {
    let sm2 = SchedulerConfig {
        algorithm: Algorithm::Sm2,
        fuzz: false,
        ..SchedulerConfig::default()
    }
    .sm2()
    .expect("the default SM-2 settings are valid");
    let mut scored = Vec::new();
    for card in &log.cards {
        let mut state = CardState::new_card();
        let (mut long_term, mut lapses) = (0, 0);
        for (i, review) in card.reviews.iter().enumerate() {
            let rating = Rating::from_number(i64::from(review.rating)).unwrap_or(Rating::Again);
            let at = Timestamp::from_millisecond(review.at).unwrap_or(Timestamp::UNIX_EPOCH);
            if i > 0 && review.delta_t > 0 {
                long_term += 1;
                if !split.is_past(review.at) {
                    let interval = state.interval().map_or(1.0, |d| d.as_secs_f64() / 86_400.0);
                    scored.push(Scored {
                        p: sm2_recall(f64::from(review.delta_t), interval),
                        recalled: review.recalled(),
                        bin: super::metrics::Bin::new(review.delta_t, long_term, lapses),
                    });
                }
                lapses += usize::from(!review.recalled());
            }
            state = sm2.review(&state, rating, at);
        }
    }
    Metrics::of(&scored).unwrap_or_else(empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm2_recall_is_ninety_percent_at_the_interval() {
        assert!((sm2_recall(6.0, 6.0) - 0.9).abs() < 1e-15);
        assert!((sm2_recall(12.0, 6.0) - 0.81).abs() < 1e-12);
        // A card in its steps (interval of minutes) counts as due in one day.
        assert!((sm2_recall(1.0, 0.007) - 0.9).abs() < 1e-15);
    }
}
