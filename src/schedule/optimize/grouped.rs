//! `evaluate` per group of reviews (per question format: `docs/optimizer.md`, "Per
//! format"): the log loss of default and fitted FSRS-6 on the future items of each group,
//! so that a claim such as "recognition first helps" can be checked on real data. Pure.

use super::dataset::{Log, Split};
use super::metrics::{Scored, log_loss};
use super::model::{Model, N};
use super::predict;
use crate::schedule::fsrs::DEFAULT_PARAMETERS;

/// One group's numbers on the future part of the log.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupLoss {
    pub group: &'static str,
    /// Future items (reviews on a later day than the card's previous one) in the group.
    pub items: usize,
    /// Log loss of default FSRS-6 and of the fit on them (`None` without items).
    pub default: Option<f64>,
    pub fitted: Option<f64>,
}

/// The log loss of default and `fitted` parameters on the future items of each of `groups`;
/// `group_of(card, review)` is the index in `groups` of review `review` of `log.cards[card]`.
pub fn log_loss_by_group(
    log: &Log,
    split: Split,
    fitted: &[f64; N],
    groups: &[&'static str],
    group_of: impl Fn(usize, usize) -> usize,
) -> Vec<GroupLoss> {
    let scored = |w: &[f64; N], g: usize| -> Vec<Scored> {
        let model = Model::new(w);
        let mut out = Vec::new();
        for (k, card) in log.cards.iter().enumerate() {
            predict(
                &model,
                card,
                |i| !split.is_past(card.reviews[i].at) && group_of(k, i) == g,
                &mut out,
            );
        }
        out
    };
    groups
        .iter()
        .enumerate()
        .map(|(g, &group)| {
            let default = scored(&DEFAULT_PARAMETERS, g);
            let fit = scored(fitted, g);
            let loss = |s: &[Scored]| (!s.is_empty()).then(|| log_loss(s));
            GroupLoss {
                group,
                items: default.len(),
                default: loss(&default),
                fitted: loss(&fit),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Rating;
    use crate::schedule::optimize::evaluate::future_predictions;
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    #[test]
    fn groups_split_the_future_items_and_their_log_loss() {
        const DAY: i64 = 86_400_000;
        let noon = 1_767_268_800_000;
        // Ten cards reviewed on days 0, 2, 5, 9: even cards recalled, odd ones forgotten at
        // the end.
        let rows = (0..10i64).flat_map(|c| {
            [0, 2, 5, 9].map(move |d| {
                let rating = if c % 2 == 1 && d == 9 {
                    Rating::Again
                } else {
                    Rating::Good
                };
                (
                    c,
                    Timestamp::from_millisecond(noon + d * DAY).unwrap(),
                    rating,
                )
            })
        });
        let log = Log::from_reviews(rows, &TimeZone::UTC);
        let split = Split {
            cutoff: noon + 4 * DAY,
        };
        let groups = log_loss_by_group(
            &log,
            split,
            &DEFAULT_PARAMETERS,
            &["even", "odd"],
            |k, _| k % 2,
        );
        // Two future items per card (days 5 and 9): ten per group.
        assert_eq!(groups.iter().map(|g| g.items).collect::<Vec<_>>(), [10, 10]);
        // The fitted set is the default one here: the same numbers.
        assert!(groups.iter().all(|g| g.default == g.fitted));
        // Forgetting is surprising: the odd group's loss is higher.
        assert!(groups[1].default.unwrap() > groups[0].default.unwrap());
        // Together the groups are the whole future: their weighted mean is its log loss.
        let all = log_loss(&future_predictions(&log, split, &DEFAULT_PARAMETERS));
        let mean = groups
            .iter()
            .map(|g| g.default.unwrap() * g.items as f64)
            .sum::<f64>()
            / 20.0;
        assert!((all - mean).abs() < 1e-12, "{all} vs {mean}");
        // An empty group has no loss.
        let none = log_loss_by_group(&log, split, &DEFAULT_PARAMETERS, &["all", "none"], |_, _| 0);
        assert_eq!(none[1].items, 0);
        assert_eq!(none[1].default, None);
    }
}
