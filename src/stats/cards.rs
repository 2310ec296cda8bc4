//! Per-card reports: interval and difficulty distributions, accuracy per deck and per
//! question kind, and the hardest cards. Fed one card's final state at a time. Pure.

use serde::Serialize;

use crate::schedule::{CardState, Phase};

/// Counts of values in labelled buckets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Histogram {
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub label: String,
    pub count: u32,
}

/// Lower bounds (days) of the interval buckets; the last one is open-ended.
pub const INTERVAL_BOUNDS: [u32; 12] = [1, 2, 3, 5, 8, 15, 31, 61, 121, 241, 366, 731];

impl Histogram {
    /// Buckets for review intervals in whole days.
    pub fn intervals() -> Self {
        let labels =
            INTERVAL_BOUNDS
                .iter()
                .enumerate()
                .map(|(i, &low)| match INTERVAL_BOUNDS.get(i + 1) {
                    Some(&next) if next == low + 1 => format!("{low}d"),
                    Some(&next) => format!("{low}-{}d", next - 1),
                    None => format!("{low}d+"),
                });
        Self::labelled(labels)
    }

    /// Ten buckets of FSRS difficulty, shown as Anki does: (D - 1) / 9 as a percentage.
    pub fn difficulty() -> Self {
        Self::labelled((0..10).map(|i| format!("{}-{}%", i * 10, i * 10 + 10)))
    }

    fn labelled(labels: impl Iterator<Item = String>) -> Self {
        Self {
            buckets: labels.map(|label| Bucket { label, count: 0 }).collect(),
        }
    }

    /// Counts a scheduled interval of `days` (rounded to whole days, at least 1).
    pub fn add_interval(&mut self, days: f64) {
        let days = days.round().max(1.0) as u32;
        let i = INTERVAL_BOUNDS.partition_point(|&low| low <= days) - 1;
        self.buckets[i].count += 1;
    }

    /// Counts an FSRS difficulty in [1, 10].
    pub fn add_difficulty(&mut self, difficulty: f64) {
        let share = ((difficulty - 1.0) / 9.0).clamp(0.0, 1.0);
        let i = ((share * 10.0) as usize).min(9);
        self.buckets[i].count += 1;
    }

    pub fn total(&self) -> u32 {
        self.buckets.iter().map(|b| b.count).sum()
    }
}

/// Reviews and correct answers of one group (a deck, a card kind, a kind of fact, a kind
/// of question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accuracy {
    pub name: String,
    pub reviews: u32,
    /// Answers graded correct or close.
    pub correct: u32,
    /// Answers rated Hard, Good or Easy.
    pub recalled: u32,
    /// True retention over the whole log: the reviews of cards in the review phase and how
    /// many passed (rated Hard or better), as `TrueRetention` counts them.
    pub retention: super::retention::Tally,
}

impl Accuracy {
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            reviews: 0,
            correct: 0,
            recalled: 0,
            retention: super::retention::Tally::default(),
        }
    }

    pub fn rate(&self) -> Option<f64> {
        (self.reviews > 0).then(|| f64::from(self.correct) / f64::from(self.reviews))
    }
}

/// A card that gives the learner trouble.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardCard {
    #[serde(skip)]
    pub handle: i64,
    pub deck: String,
    pub card: String,
    pub prompt: String,
    pub lapses: u32,
    pub reviews: u32,
    /// Recall probability now, when the scheduler models it.
    pub retrievability: Option<f64>,
}

/// How many cards each hardest-cards list keeps.
pub const HARDEST: usize = 10;

/// A candidate for the hardest-cards lists, before its text is looked up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub handle: i64,
    pub lapses: u32,
    pub reviews: u32,
    pub retrievability: Option<f64>,
}

/// The `HARDEST` cards with most lapses, and with the lowest recall probability now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hardest {
    pub most_lapses: Vec<Candidate>,
    pub lowest_recall: Vec<Candidate>,
}

impl Hardest {
    /// Considers an active card that has been reviewed.
    pub fn consider(&mut self, card: Candidate) {
        if card.lapses > 0 {
            // More lapses first; among equals, lower recall, then the older card.
            let key = |c: &Candidate| {
                (
                    std::cmp::Reverse(c.lapses),
                    c.retrievability.unwrap_or(1.0).to_bits(),
                    c.handle,
                )
            };
            insert_top(&mut self.most_lapses, card, key);
        }
        if let Some(r) = card.retrievability {
            // Retrievability is in [0, 1]: its bits order like the numbers.
            insert_top(&mut self.lowest_recall, card, |c| {
                (c.retrievability.unwrap_or(r).to_bits(), c.handle)
            });
        }
    }
}

fn insert_top<K: Ord>(list: &mut Vec<Candidate>, card: Candidate, key: impl Fn(&Candidate) -> K) {
    let k = key(&card);
    let at = list.partition_point(|c| key(c) <= k);
    if at < HARDEST {
        list.insert(at, card);
        list.truncate(HARDEST);
    }
}

/// The scheduled interval of a card in the review phase, in days.
pub fn review_interval_days(state: &CardState) -> Option<f64> {
    (state.phase == Phase::Review)
        .then(|| state.interval())
        .flatten()
        .map(|d| d.as_secs_f64() / 86_400.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_fall_in_labelled_buckets() {
        let mut h = Histogram::intervals();
        for days in [0.2, 1.0, 2.0, 3.4, 4.6, 30.0, 31.0, 400.0, 5000.0] {
            h.add_interval(days);
        }
        let counts: Vec<(&str, u32)> = h
            .buckets
            .iter()
            .map(|b| (b.label.as_str(), b.count))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("1d", 2),
                ("2d", 1),
                ("3-4d", 1),
                ("5-7d", 1),
                ("8-14d", 0),
                ("15-30d", 1),
                ("31-60d", 1),
                ("61-120d", 0),
                ("121-240d", 0),
                ("241-365d", 0),
                ("366-730d", 1),
                ("731d+", 1),
            ]
        );
        assert_eq!(h.total(), 9);
    }

    #[test]
    fn difficulty_is_shown_as_a_percentage() {
        let mut h = Histogram::difficulty();
        for d in [1.0, 1.89, 5.5, 10.0] {
            h.add_difficulty(d);
        }
        // 1.0 -> 0 %, 1.89 -> 9.9 %, 5.5 -> 50 %, 10 -> 100 % (last bucket).
        assert_eq!(h.buckets[0].count, 2);
        assert_eq!(h.buckets[5].count, 1);
        assert_eq!(h.buckets[9].count, 1);
        assert_eq!(h.buckets[9].label, "90-100%");
    }

    fn cand(handle: i64, lapses: u32, r: Option<f64>) -> Candidate {
        Candidate {
            handle,
            lapses,
            reviews: lapses + 1,
            retrievability: r,
        }
    }

    #[test]
    fn hardest_keeps_the_top_ten() {
        let mut h = Hardest::default();
        for i in 0..30 {
            h.consider(cand(i, (i % 7) as u32, Some(0.5 + i as f64 / 100.0)));
        }
        h.consider(cand(100, 0, None));
        let lapses: Vec<(i64, u32)> = h.most_lapses.iter().map(|c| (c.handle, c.lapses)).collect();
        // Six lapses: cards 6, 13, 20, 27 (lower recall first = lower handle here).
        assert_eq!(&lapses[..4], &[(6, 6), (13, 6), (20, 6), (27, 6)]);
        assert_eq!(lapses.len(), HARDEST);
        let low: Vec<i64> = h.lowest_recall.iter().map(|c| c.handle).collect();
        assert_eq!(low, (0..10).collect::<Vec<_>>());
    }
}
