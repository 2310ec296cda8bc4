//! Scheduling: when should a card be seen again?
//!
//! A scheduler is a pure function of a card's state, a rating and the time of the review
//! (passed in, never read from a clock). A card's state is a fold of its review log
//! (`replay`), so switching scheduler or parameters needs no migration: replay the log.

pub mod fsrs;

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

pub use fsrs::Fsrs;

/// The learner's answer to "how well did you know it?", Anki's four buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// 1..=4 as stored in the review log and typed by the learner.
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn name(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Never reviewed.
    New,
    /// Being learnt: short same-day steps.
    Learning,
    /// Remembered: intervals of days.
    Review,
    /// Forgotten after being learnt: short steps again.
    Relearning,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::New,
        Phase::Learning,
        Phase::Review,
        Phase::Relearning,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::New => "new",
            Phase::Learning => "learning",
            Phase::Review => "review",
            Phase::Relearning => "relearning",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// FSRS's model of a memory: how long it lasts and how hard it is to strengthen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// Days until recall probability falls to 90 %.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
}

/// Everything a scheduler knows about a card. Derived from the review log, so it can be
/// thrown away and rebuilt; the store keeps it only as a cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    pub phase: Phase,
    /// Index of the current learning or relearning step, when in one.
    pub step: Option<u32>,
    /// FSRS memory state, once the card has been reviewed.
    pub memory: Option<Memory>,
    /// Reviews counted by the scheduler.
    pub reps: u32,
    /// Times the card was forgotten after being learnt.
    pub lapses: u32,
    pub last_review: Option<Timestamp>,
    /// When the card is next due; `None` for a new card.
    pub due: Option<Timestamp>,
}

impl CardState {
    /// The state of a card that has never been reviewed.
    pub fn new_card() -> Self {
        Self {
            phase: Phase::New,
            step: None,
            memory: None,
            reps: 0,
            lapses: 0,
            last_review: None,
            due: None,
        }
    }

    /// The scheduled interval, from the last review to the due time.
    pub fn interval(&self) -> Option<SignedDuration> {
        Some(self.due?.duration_since(self.last_review?))
    }
}

impl Default for CardState {
    fn default() -> Self {
        Self::new_card()
    }
}

/// A scheduling algorithm. Pure: the same state, rating and time always give the same result.
pub trait Scheduler {
    /// The name recorded with each review ("fsrs-6", "sm-2").
    fn name(&self) -> &'static str;

    /// The card's state after answering `rating` at `at`.
    fn review(&self, card: &CardState, rating: Rating, at: Timestamp) -> CardState;

    /// Probability of recall at `at`, when the scheduler models it.
    fn retrievability(&self, card: &CardState, at: Timestamp) -> Option<f64>;

    /// The state each of the four ratings would lead to (Anki's button preview).
    fn preview(&self, card: &CardState, at: Timestamp) -> [CardState; 4] {
        Rating::ALL.map(|r| self.review(card, r, at))
    }
}

/// Rebuilds a card's state from its reviews, oldest first: the fold the store's cache holds.
pub fn replay<'a>(
    scheduler: &dyn Scheduler,
    reviews: impl IntoIterator<Item = &'a (Rating, Timestamp)>,
) -> CardState {
    reviews
        .into_iter()
        .fold(CardState::new_card(), |state, (rating, at)| {
            scheduler.review(&state, *rating, *at)
        })
}

/// Whole days from `from` to `to` (negative spans count as 0), as the reference
/// implementations count elapsed time: from the last review, not from the due date.
pub fn elapsed_days(from: Timestamp, to: Timestamp) -> u32 {
    let secs = to.as_second().saturating_sub(from.as_second());
    u32::try_from(secs.max(0) / 86_400).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_days_floors_and_never_goes_negative() {
        let t0: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        let t1: Timestamp = "2026-01-03T08:59:59Z".parse().unwrap();
        assert_eq!(elapsed_days(t0, t1), 1);
        assert_eq!(elapsed_days(t1, t0), 0);
    }

    #[test]
    fn replay_of_nothing_is_a_new_card() {
        let fsrs = Fsrs::default();
        assert_eq!(replay(&fsrs, &[]), CardState::new_card());
    }

    #[test]
    fn rating_numbers_round_trip() {
        for r in Rating::ALL {
            assert_eq!(Rating::from_number(i64::from(r.number())), Some(r));
        }
        assert_eq!(Rating::from_number(0), None);
        assert_eq!(Rating::from_number(5), None);
    }
}
