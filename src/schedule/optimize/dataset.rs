//! Review logs as the optimizer reads them: each card's reviews in time order with the days
//! between them, and the reviews FSRS predicts ("items"). Pure: the time zone is given.
//!
//! As in fsrs-rs and Anki, time is counted in study days (4 am to 4 am local time, as
//! `day.rs` defines "today"): `delta_t` is the number of day boundaries crossed since the
//! card's previous review, 0 for the first review and for same-day (learning) steps. An item
//! is a review on a later day than the card's previous review, with the card's whole history
//! before it; its label is "recalled" (any rating but Again). Same-day reviews are never
//! predicted, but stay in the history (the short-term formula uses them).

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::day::ROLLOVER_HOUR;
use crate::schedule::Rating;

/// One review in a card's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub rating: u8,
    /// Study days since the card's previous review (0: the first review, or the same day).
    pub delta_t: u32,
    /// When it was given, in ms since the Unix epoch.
    pub at: i64,
}

impl Review {
    pub fn recalled(&self) -> bool {
        self.rating > 1
    }
}

/// One card's reviews, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardLog {
    pub reviews: Vec<Review>,
}

impl CardLog {
    /// Indices of the reviews FSRS predicts: every review after the first on a later day.
    pub fn items(&self) -> impl Iterator<Item = usize> + '_ {
        self.reviews
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, r)| r.delta_t > 0)
            .map(|(i, _)| i)
    }

    /// `(rating, delta_t)` of the first `n` reviews, as the model replays them.
    pub fn sequence(&self, n: usize) -> Vec<(u8, u32)> {
        self.reviews[..n]
            .iter()
            .map(|r| (r.rating, r.delta_t))
            .collect()
    }
}

/// A whole review log, one entry per card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    pub cards: Vec<CardLog>,
}

impl Log {
    /// Builds the log from reviews grouped by card: `(card, time, rating)` with each card's
    /// reviews together (any card key type), oldest first within a card, as the store and
    /// the CSV format list them. Reviews of a card out of time order are sorted.
    pub fn from_reviews<K: PartialEq>(
        reviews: impl IntoIterator<Item = (K, Timestamp, Rating)>,
        tz: &TimeZone,
    ) -> Self {
        let mut cards: Vec<Vec<(i64, u8)>> = Vec::new();
        let mut last_key: Option<K> = None;
        for (key, at, rating) in reviews {
            if last_key.as_ref() != Some(&key) {
                cards.push(Vec::new());
                last_key = Some(key);
            }
            if let Some(card) = cards.last_mut() {
                card.push((at.as_millisecond(), rating.number()));
            }
        }
        let cards = cards
            .into_iter()
            .map(|mut reviews| {
                reviews.sort_by_key(|&(at, _)| at);
                let mut previous: Option<i64> = None;
                CardLog {
                    reviews: reviews
                        .into_iter()
                        .map(|(at, rating)| {
                            let day = study_day(at, tz);
                            let delta_t = previous
                                .map_or(0, |p| u32::try_from((day - p).max(0)).unwrap_or(u32::MAX));
                            previous = Some(day);
                            Review {
                                rating,
                                delta_t,
                                at,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        Self { cards }
    }

    pub fn review_count(&self) -> usize {
        self.cards.iter().map(|c| c.reviews.len()).sum()
    }

    pub fn item_count(&self) -> usize {
        self.cards.iter().map(|c| c.items().count()).sum()
    }

    /// The first and last review times, in ms.
    pub fn span(&self) -> Option<(i64, i64)> {
        let times = self
            .cards
            .iter()
            .flat_map(|c| c.reviews.iter().map(|r| r.at));
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        for t in times {
            first = first.min(t);
            last = last.max(t);
        }
        (first <= last).then_some((first, last))
    }
}

/// The study day holding `ms` (days since 1970-01-01 of the local date, 4 am rollover).
pub fn study_day(ms: i64, tz: &TimeZone) -> i64 {
    let offset =
        Timestamp::from_millisecond(ms).map_or(0, |t| i64::from(tz.to_offset(t).seconds()));
    let local = ms.div_euclid(1000) + offset - i64::from(ROLLOVER_HOUR) * 3600;
    local.div_euclid(86_400)
}

/// The time-ordered split: reviews before `cutoff` (ms) are the past, the rest the future.
/// `cutoff` is the first review time plus 80 % of the log's time span (`split_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub cutoff: i64,
}

impl Split {
    /// The cut at `first + 4/5 (last - first)`: a review at `t` is in the past when
    /// `5 (t - first) < 4 (last - first)`, exactly, in integers.
    pub fn at_80_percent(first: i64, last: i64) -> Self {
        let span = i128::from(last) - i128::from(first);
        // The smallest t with 5 (t - first) >= 4 span.
        let offset = (4 * span + 4).div_euclid(5);
        let cutoff = i128::from(first) + offset;
        Self {
            cutoff: i64::try_from(cutoff).unwrap_or(i64::MAX),
        }
    }

    pub fn is_past(&self, at: i64) -> bool {
        at < self.cutoff
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn days_count_study_day_boundaries() {
        let tz = TimeZone::UTC;
        let log = Log::from_reviews(
            [
                (1, t("2026-03-01T10:00:00Z"), Rating::Good),
                (1, t("2026-03-01T10:10:00Z"), Rating::Good),
                // 03:00 the next calendar day is still the same study day.
                (1, t("2026-03-02T03:00:00Z"), Rating::Again),
                // 05:00 is the next study day, only 2 hours later.
                (1, t("2026-03-02T05:00:00Z"), Rating::Good),
                (2, t("2026-03-01T10:00:00Z"), Rating::Easy),
                (2, t("2026-03-11T10:00:00Z"), Rating::Good),
            ],
            &tz,
        );
        let deltas: Vec<Vec<u32>> = log
            .cards
            .iter()
            .map(|c| c.reviews.iter().map(|r| r.delta_t).collect())
            .collect();
        assert_eq!(deltas, [vec![0, 0, 0, 1], vec![0, 10]]);
        assert_eq!(log.cards[0].items().collect::<Vec<_>>(), [3]);
        assert_eq!(log.item_count(), 2);
        assert_eq!(log.review_count(), 6);
    }

    #[test]
    fn days_follow_the_time_zone() {
        let tz = TimeZone::fixed(jiff::tz::offset(-5));
        // 06:00 UTC is 01:00 local: still the study day before.
        let a = study_day(t("2026-03-02T06:00:00Z").as_millisecond(), &tz);
        let b = study_day(t("2026-03-01T15:00:00Z").as_millisecond(), &tz);
        assert_eq!(a, b);
    }

    #[test]
    fn split_cuts_at_four_fifths_of_the_span() {
        let split = Split::at_80_percent(0, 10);
        assert_eq!(split.cutoff, 8);
        assert!(split.is_past(7) && !split.is_past(8));
        // 4/5 of 11 is 8.8: 8 is before it, 9 after.
        let split = Split::at_80_percent(0, 11);
        assert!(split.is_past(8) && !split.is_past(9));
        let split = Split::at_80_percent(100, 100);
        assert!(!split.is_past(100));
    }
}
