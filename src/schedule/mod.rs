//! Scheduling: when should a card be seen again?
//!
//! A scheduler is a pure function of a card's state, a rating and the time of the review
//! (passed in, never read from a clock). A card's state is a fold of its review log
//! (`replay`), so switching scheduler or parameters needs no migration: replay the log.
//!
//! `fsrs.rs` and `sm2.rs` are the two algorithms; `steps.rs` (same-day learning steps) and
//! `fuzz.rs` (interval spread) are shared by both; `config.rs` turns user settings into a
//! `Box<dyn Scheduler>`. `docs/scheduling.md` gives every formula.

pub mod config;
pub mod fsrs;
pub mod fuzz;
pub mod optimize;
pub mod sm2;
pub mod steps;

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

pub use config::{Algorithm, ConfigError, InvalidConfig, SchedulerConfig};
pub use fsrs::{Fsrs, Variant};
pub use fuzz::fuzz_seed;
pub use sm2::{Sm2, Sm2Memory};
pub use steps::{Steps, parse_steps};

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
    /// SM-2 state (ease, repetitions, interval) when SM-2 schedules the card.
    #[serde(default)]
    pub sm2: Option<Sm2Memory>,
    /// Seeds this card's interval fuzz (with `reps`), so replaying a log gives the same due
    /// dates. Set once from a stable card key (`fuzz_seed`), carried through every review;
    /// 0 when nobody set it (fuzz is then still deterministic, just the same for every card).
    #[serde(default)]
    pub fuzz_seed: u64,
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
            sm2: None,
            fuzz_seed: 0,
        }
    }

    /// A new card whose interval fuzz is seeded with `fuzz_seed` (see `fuzz::fuzz_seed`).
    pub fn with_fuzz_seed(fuzz_seed: u64) -> Self {
        Self {
            fuzz_seed,
            ..Self::new_card()
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

    /// How long each of the four ratings would wait until the card is due again.
    fn next_intervals(&self, card: &CardState, at: Timestamp) -> [SignedDuration; 4] {
        self.preview(card, at).map(|next| {
            next.due
                .map_or(SignedDuration::ZERO, |due| due.duration_since(at))
        })
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

/// `replay` for a card whose fuzz is seeded with `fuzz_seed` (see `CardState::fuzz_seed`).
pub fn replay_seeded<'a>(
    scheduler: &dyn Scheduler,
    fuzz_seed: u64,
    reviews: impl IntoIterator<Item = &'a (Rating, Timestamp)>,
) -> CardState {
    reviews.into_iter().fold(
        CardState::with_fuzz_seed(fuzz_seed),
        |state, (rating, at)| scheduler.review(&state, *rating, *at),
    )
}

/// `at + days` whole days, saturating at the end of time rather than panicking.
pub(crate) fn after_days(at: Timestamp, days: u32) -> Timestamp {
    after(at, SignedDuration::from_secs(i64::from(days) * 86_400))
}

/// `at + wait`, saturating at the end of time rather than panicking.
pub(crate) fn after(at: Timestamp, wait: SignedDuration) -> Timestamp {
    at.checked_add(wait).unwrap_or(Timestamp::MAX)
}

/// Whole days from `from` to `to` (negative spans count as 0), as the reference
/// implementations count elapsed time: from the last review, not from the due date.
pub fn elapsed_days(from: Timestamp, to: Timestamp) -> u32 {
    let secs = to.as_second().saturating_sub(from.as_second());
    u32::try_from(secs.max(0) / 86_400).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn t0() -> Timestamp {
        "2026-01-01T09:00:00Z".parse().unwrap()
    }

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
        assert_eq!(
            replay_seeded(&Sm2::default(), 7, &[]),
            CardState::with_fuzz_seed(7)
        );
    }

    #[test]
    fn rating_numbers_round_trip() {
        for r in Rating::ALL {
            assert_eq!(Rating::from_number(i64::from(r.number())), Some(r));
        }
        assert_eq!(Rating::from_number(0), None);
        assert_eq!(Rating::from_number(5), None);
    }

    #[test]
    fn card_state_cached_before_new_fields_still_loads() {
        // JSON as the store cached it before `sm2` and `fuzz_seed` existed.
        let old = r#"{"phase":"review","step":null,"memory":{"stability":3.5,"difficulty":5.0},
            "reps":2,"lapses":0,"last_review":"2026-01-01T09:00:00Z","due":"2026-01-04T09:00:00Z"}"#;
        let card: CardState = serde_json::from_str(old).unwrap();
        assert_eq!(
            (card.sm2, card.fuzz_seed, card.phase),
            (None, 0, Phase::Review)
        );
        let again: CardState =
            serde_json::from_str(&serde_json::to_string(&card).unwrap()).unwrap();
        assert_eq!(again, card);
    }

    #[test]
    fn end_of_time_saturates_instead_of_panicking() {
        assert_eq!(after_days(Timestamp::MAX, 36_500), Timestamp::MAX);
        let late = Timestamp::MAX - SignedDuration::from_hours(24);
        let card = Fsrs::default().review(&CardState::new_card(), Rating::Easy, late);
        assert_eq!(card.due, Some(Timestamp::MAX));
    }

    #[test]
    fn next_intervals_are_the_preview_waits() {
        let fsrs = Fsrs::default();
        let waits = fsrs.next_intervals(&CardState::new_card(), t0());
        // New card, steps 1m 10m: Again 1m, Hard (1m + 10m) / 2, Good 10m, Easy graduates
        // with S = w[3] = 8.2956 -> 8 days (fuzzed into 7..=10 at most).
        assert_eq!(waits[0], SignedDuration::from_mins(1));
        assert_eq!(waits[1], SignedDuration::from_secs(330));
        assert_eq!(waits[2], SignedDuration::from_mins(10));
        let easy_days = waits[3].as_secs() / 86_400;
        assert!((6..=10).contains(&easy_days), "{easy_days}");
    }

    /// A review log: ratings with gaps (seconds after the previous review) from seconds
    /// to years.
    fn history() -> impl Strategy<Value = Vec<(Rating, i64)>> {
        let rating = prop::sample::select(Rating::ALL.to_vec());
        let gap = prop_oneof![
            0i64..=600,
            0i64..=3 * 86_400,
            0i64..=60 * 86_400,
            0i64..=5 * 365 * 86_400,
        ];
        prop::collection::vec((rating, gap), 1..30)
    }

    fn timeline(history: &[(Rating, i64)]) -> Vec<(Rating, Timestamp)> {
        let mut at = t0();
        history
            .iter()
            .map(|&(rating, gap)| {
                at += SignedDuration::from_secs(gap);
                (rating, at)
            })
            .collect()
    }

    /// A scheduler's contract for one review: due after the review, whole days of at least
    /// one and at most the maximum in the review phase, a sane memory.
    fn check_state(
        card: &CardState,
        at: Timestamp,
        maximum_days: u32,
    ) -> Result<(), TestCaseError> {
        prop_assert_eq!(card.last_review, Some(at));
        let due = card.due.ok_or_else(|| TestCaseError::fail("no due date"))?;
        let wait = due.duration_since(at).as_secs();
        prop_assert!(wait > 0, "due {due} not after {at}");
        match card.phase {
            Phase::Review => {
                prop_assert_eq!(card.step, None);
                prop_assert_eq!(wait % 86_400, 0, "not whole days: {}", wait);
                let days = wait / 86_400;
                prop_assert!(days >= 1 && days <= i64::from(maximum_days), "{days} days");
            }
            Phase::Learning | Phase::Relearning => prop_assert!(card.step.is_some()),
            Phase::New => prop_assert!(false, "reviewed card still new"),
        }
        if let Some(m) = card.memory {
            prop_assert!(m.stability.is_finite() && m.stability > 0.0, "{m:?}");
            prop_assert!((1.0..=10.0).contains(&m.difficulty), "{m:?}");
        }
        if let Some(m) = card.sm2 {
            prop_assert!(m.ease.is_finite() && m.ease >= sm2::MIN_EASE, "{m:?}");
            // 0 only before the first repetition, i.e. while still in the learning steps.
            prop_assert!(m.interval_days <= maximum_days, "{m:?}");
            if card.phase == Phase::Review {
                prop_assert!(m.interval_days >= 1, "{m:?}");
            }
        }
        Ok(())
    }

    /// Replays `history` with fuzz on and checks every review against the contract, the
    /// fuzz against its range (the same review with fuzz off), and each review-phase
    /// preview's ordering.
    fn check_history(
        fuzzed: &dyn Scheduler,
        plain: &dyn Scheduler,
        maximum_days: u32,
        seed: u64,
        history: &[(Rating, i64)],
    ) -> Result<(), TestCaseError> {
        let mut card = CardState::with_fuzz_seed(seed);
        for (rating, at) in timeline(history) {
            if card.phase == Phase::Review {
                let waits = fuzzed.next_intervals(&card, at);
                prop_assert!(waits.is_sorted(), "preview out of order: {:?}", waits);
            }
            if let Some(r) = fuzzed.retrievability(&card, at) {
                prop_assert!((0.0..=1.0).contains(&r), "retrievability {}", r);
            }
            let next = fuzzed.review(&card, rating, at);
            check_state(&next, at, maximum_days)?;
            let unfuzzed = plain.review(&card, rating, at);
            prop_assert_eq!(next.phase, unfuzzed.phase);
            prop_assert_eq!(next.memory, unfuzzed.memory);
            let days =
                |c: &CardState| (c.due.unwrap().duration_since(at).as_secs() / 86_400) as u32;
            if next.phase == Phase::Review {
                let (got, base) = (days(&next), days(&unfuzzed));
                match fuzz::fuzz_range(base, maximum_days) {
                    None => prop_assert_eq!(got, base),
                    Some((low, high)) => {
                        prop_assert!(low <= got && got <= high, "{got} for {base}");
                    }
                }
            } else {
                prop_assert_eq!(next.due, unfuzzed.due);
            }
            card = next;
        }
        Ok(())
    }

    fn steps(with_steps: bool) -> Steps {
        if with_steps {
            Steps::default()
        } else {
            Steps {
                learning: Vec::new(),
                relearning: Vec::new(),
            }
        }
    }

    fn maximum() -> impl Strategy<Value = u32> {
        prop_oneof![Just(36_500u32), 1u32..=36_500]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn fsrs_keeps_its_contract_for_any_history(
            history in history(),
            seed: u64,
            maximum in maximum(),
            with_steps: bool,
        ) {
            let fsrs = Fsrs {
                maximum_interval_days: maximum,
                steps: steps(with_steps),
                ..Fsrs::default()
            };
            let plain = Fsrs { fuzz: false, ..fsrs.clone() };
            check_history(&fsrs, &plain, maximum, seed, &history)?;
        }

        #[test]
        fn sm2_keeps_its_contract_for_any_history(
            history in history(),
            seed: u64,
            maximum in maximum(),
            with_steps: bool,
        ) {
            let sm2 = Sm2 {
                maximum_interval_days: maximum,
                steps: steps(with_steps),
                ..Sm2::default()
            };
            let plain = Sm2 { fuzz: false, ..sm2.clone() };
            check_history(&sm2, &plain, maximum, seed, &history)?;
        }

        /// A learner reviews under SM-2, switches the deck to FSRS, reviews more, switches
        /// back. Each switch replays the log under the new scheduler; each review between
        /// switches updates the cached state. The result is exactly SM-2's replay of the
        /// whole log: no migration, nothing left over from FSRS.
        #[test]
        fn switching_scheduler_needs_no_migration(
            history in history(),
            seed: u64,
            cut_a in 0usize..30,
            cut_b in 0usize..30,
        ) {
            let log = timeline(&history);
            let (a, b) = (cut_a.min(cut_b).min(log.len()), cut_a.max(cut_b).min(log.len()));
            let sm2 = Sm2::default();
            let fsrs = Fsrs::default();
            let review_on = |scheduler: &dyn Scheduler, card: CardState, reviews: &[(Rating, Timestamp)]| {
                reviews.iter().fold(card, |card, (rating, at)| scheduler.review(&card, *rating, *at))
            };
            // SM-2 for the first `a` reviews.
            let cached = review_on(&sm2, CardState::with_fuzz_seed(seed), &log[..a]);
            prop_assert_eq!(&cached, &replay_seeded(&sm2, seed, &log[..a]));
            // Switch to FSRS: replay, then review on to `b`.
            let cached = review_on(&fsrs, replay_seeded(&fsrs, seed, &log[..a]), &log[a..b]);
            prop_assert_eq!(&cached, &replay_seeded(&fsrs, seed, &log[..b]));
            prop_assert!(cached.sm2.is_none());
            // Switch back to SM-2: replay, then review to the end.
            let cached = review_on(&sm2, replay_seeded(&sm2, seed, &log[..b]), &log[b..]);
            prop_assert_eq!(&cached, &replay_seeded(&sm2, seed, &log));
            prop_assert!(cached.memory.is_none());
        }
    }
}
