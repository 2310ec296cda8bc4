//! SM-2, the `SuperMemo` 2 algorithm as Wozniak published it (1990), behind the same
//! `Scheduler` trait as FSRS, with the same (re)learning steps and fuzz so switching between
//! them changes only the day-long intervals. Pure: no clock, no RNG.
//!
//! - Anki's buttons map to SM-2 grades: Again -> q=2, Hard -> q=3, Good -> q=4, Easy -> q=5
//!   (`quality`; `docs/scheduling.md` says why).
//! - E-Factor after each repetition: EF' = EF + (0.1 - (5-q)(0.08 + (5-q)0.02)), at least 1.3.
//! - Intervals after the n-th successful repetition in a row: I(1) = 1, I(2) = 6,
//!   I(n) = I(n-1) * EF', rounded up to whole days.
//! - q < 3 (Again) restarts the repetitions: n = 0, next interval 1 day.
//! - Only repetitions change EF and n: answers in the review phase and the answer that
//!   graduates a card from its steps. Answers within the (re)learning steps are SM-2's
//!   same-day drill ("repeat until q >= 4") and leave them alone.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::fuzz::fuzz_interval;
use super::steps::{Placement, Steps};
use super::{CardState, Phase, Rating, Scheduler, after, after_days};

/// Every card starts with this E-Factor.
pub const INITIAL_EASE: f64 = 2.5;
/// The E-Factor never falls below this: lower values repeat items "annoyingly often".
pub const MIN_EASE: f64 = 1.3;

/// SM-2's state of a card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sm2Memory {
    /// The E-Factor, at least 1.3; always a whole number of hundredths.
    pub ease: f64,
    /// Successful repetitions in a row (n).
    pub repetitions: u32,
    /// The last scheduled interval in whole days (I(n-1) for the next repetition).
    pub interval_days: u32,
}

impl Sm2Memory {
    /// A card that has never been repeated.
    pub const NEW: Sm2Memory = Sm2Memory {
        ease: INITIAL_EASE,
        repetitions: 0,
        interval_days: 0,
    };
}

impl Default for Sm2Memory {
    fn default() -> Self {
        Self::NEW
    }
}

/// SM-2's grade (0..=5) for one of Anki's four buttons.
pub fn quality(rating: Rating) -> u8 {
    match rating {
        Rating::Again => 2,
        Rating::Hard => 3,
        Rating::Good => 4,
        Rating::Easy => 5,
    }
}

/// The E-Factor after a repetition graded `quality` (0..=5).
///
/// Every change the formula can make is a whole number of hundredths (+10, 0, -14, -32, -54,
/// -80), so the E-Factor is computed in integer hundredths: exact, and `I * EF` is then never
/// `15.000000000000002` rounding up to 16.
pub fn next_ease(ease: f64, quality: u8) -> f64 {
    hundredths_to_ease(next_ease_hundredths(ease_to_hundredths(ease), quality))
}

fn ease_to_hundredths(ease: f64) -> u64 {
    // NaN casts to 0 and is then floored like any too-small value.
    ((ease * 100.0).round() as u64).max(MIN_EASE_HUNDREDTHS)
}

fn hundredths_to_ease(hundredths: u64) -> f64 {
    hundredths as f64 / 100.0
}

const MIN_EASE_HUNDREDTHS: u64 = 130;

fn next_ease_hundredths(ease: u64, quality: u8) -> u64 {
    let f = i64::from(5 - quality.min(5));
    // 100 * (0.1 - f * (0.08 + f * 0.02)) = 10 - f * (8 + 2f)
    let change = 10 - f * (8 + 2 * f);
    ease.saturating_add_signed(change).max(MIN_EASE_HUNDREDTHS)
}

/// SM-2 with (re)learning steps, a maximum interval and fuzz. `Default`: steps 1m 10m / 10m,
/// 36500 days, fuzz on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sm2 {
    pub steps: Steps,
    pub maximum_interval_days: u32,
    pub fuzz: bool,
}

impl Default for Sm2 {
    fn default() -> Self {
        Self {
            steps: Steps::default(),
            maximum_interval_days: 36_500,
            fuzz: true,
        }
    }
}

impl Sm2 {
    /// One SM-2 repetition graded by `rating`: the new E-Factor, repetition count and
    /// interval (before fuzz; at least 1 day, at most the maximum).
    pub fn repeat(&self, memory: Sm2Memory, rating: Rating) -> Sm2Memory {
        let q = quality(rating);
        let ease = next_ease_hundredths(ease_to_hundredths(memory.ease), q);
        let (repetitions, days) = if q < 3 {
            (0, 1)
        } else {
            let days = match memory.repetitions {
                0 => 1,
                1 => 6,
                // I(n-1) * EF rounded up, in hundredths: ceil(I * E / 100).
                _ => (u64::from(memory.interval_days) * ease).div_ceil(100),
            };
            (memory.repetitions.saturating_add(1), days)
        };
        let maximum = self.maximum_interval_days.max(1);
        Sm2Memory {
            ease: hundredths_to_ease(ease),
            repetitions,
            interval_days: u32::try_from(days).unwrap_or(maximum).clamp(1, maximum),
        }
    }

    /// `next` after a repetition: in the review phase, due in whole days (fuzzed when on).
    fn scheduled_in_days(
        &self,
        card: &CardState,
        next: &CardState,
        memory: Sm2Memory,
        rating: Rating,
        at: Timestamp,
    ) -> CardState {
        let mut repeated = self.repeat(memory, rating);
        if self.fuzz {
            repeated.interval_days = fuzz_interval(
                repeated.interval_days,
                self.maximum_interval_days,
                card.fuzz_seed,
                card.reps,
            );
        }
        CardState {
            phase: Phase::Review,
            step: None,
            sm2: Some(repeated),
            due: Some(after_days(at, repeated.interval_days)),
            ..*next
        }
    }
}

impl Scheduler for Sm2 {
    fn name(&self) -> &'static str {
        "sm-2"
    }

    /// New and lapsed cards go through the steps exactly as under FSRS (`steps::next_step`);
    /// graduating and every review-phase answer is an SM-2 repetition. Elapsed time plays no
    /// part: SM-2 schedules from the previous interval, not from when the review happened.
    fn review(&self, card: &CardState, rating: Rating, at: Timestamp) -> CardState {
        let memory = card.sm2.unwrap_or(Sm2Memory::NEW);
        let lapsed = rating == Rating::Again && card.phase == Phase::Review;
        let next = CardState {
            phase: card.phase,
            step: card.step,
            // This is SM-2's state: FSRS's memory is never carried through.
            memory: None,
            sm2: Some(memory),
            reps: card.reps.saturating_add(1),
            lapses: card.lapses.saturating_add(u32::from(lapsed)),
            last_review: Some(at),
            due: None,
            fuzz_seed: card.fuzz_seed,
        };
        match self.steps.place(card.phase, card.step, rating) {
            Placement::Step { phase, step, wait } => CardState {
                phase,
                step: Some(step),
                // A lapse of a learnt card (the only step a review-phase card can enter):
                // the failed repetition resets n and lowers EF now; the steps then run as a
                // same-day drill.
                sm2: if card.phase == Phase::Review {
                    Some(self.repeat(memory, rating))
                } else {
                    next.sm2
                },
                due: Some(after(at, wait)),
                ..next
            },
            Placement::Days => self.scheduled_in_days(card, &next, memory, rating, at),
        }
    }

    /// SM-2 has no model of forgetting.
    fn retrievability(&self, _card: &CardState, _at: Timestamp) -> Option<f64> {
        None
    }
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;

    use super::*;

    const EPS: f64 = 1e-12;

    #[test]
    fn ease_changes_by_the_published_amounts() {
        // 0.1 - (5-q)(0.08 + (5-q)0.02):
        // q=5: 0.1 - 0 = +0.10; q=4: 0.1 - 1(0.10) = 0; q=3: 0.1 - 2(0.12) = -0.14;
        // q=2: 0.1 - 3(0.14) = -0.32; q=1: 0.1 - 4(0.16) = -0.54; q=0: 0.1 - 5(0.18) = -0.80.
        for (q, change) in [
            (5, 0.10),
            (4, 0.0),
            (3, -0.14),
            (2, -0.32),
            (1, -0.54),
            (0, -0.80),
        ] {
            assert!((next_ease(2.5, q) - (2.5 + change)).abs() < EPS, "q={q}");
        }
        // Floor: 1.4 - 0.32 = 1.08 -> 1.3; 1.3 - 0.14 -> 1.3.
        assert!((next_ease(1.4, 2) - 1.3).abs() < EPS);
        assert!((next_ease(1.3, 3) - 1.3).abs() < EPS);
        assert!((next_ease(f64::NAN, 4) - 1.3).abs() < EPS);
    }

    #[test]
    fn buttons_map_to_grades() {
        let grades = Rating::ALL.map(quality);
        assert_eq!(grades, [2, 3, 4, 5]);
    }

    #[track_caller]
    fn case(from: (f64, u32, u32), rating: Rating, expected: (f64, u32, u32)) {
        let sm2 = Sm2::default();
        let memory = Sm2Memory {
            ease: from.0,
            repetitions: from.1,
            interval_days: from.2,
        };
        let got = sm2.repeat(memory, rating);
        assert!(
            (got.ease - expected.0).abs() < EPS
                && got.repetitions == expected.1
                && got.interval_days == expected.2,
            "{from:?} {rating}: got {got:?}, want {expected:?}"
        );
    }

    #[test]
    fn repetitions_follow_hand_computed_sequences() {
        use Rating::{Again, Easy, Good, Hard};
        // (EF, n, I) -> rating -> (EF', n', I')
        // First success: I(1) = 1.
        case((2.5, 0, 0), Good, (2.5, 1, 1));
        // Second: I(2) = 6.
        case((2.5, 1, 1), Good, (2.5, 2, 6));
        // Third: I(3) = ceil(6 * 2.5) = 15.
        case((2.5, 2, 6), Good, (2.5, 3, 15));
        // Hard: EF' = 2.5 - 0.14 = 2.36; I = ceil(15 * 2.36) = ceil(35.4) = 36.
        case((2.5, 3, 15), Hard, (2.36, 4, 36));
        // Easy: EF' = 2.36 + 0.1 = 2.46; I = ceil(36 * 2.46) = ceil(88.56) = 89.
        case((2.36, 4, 36), Easy, (2.46, 5, 89));
        // Again: EF' = 2.46 - 0.32 = 2.14; n = 0; I = 1.
        case((2.46, 5, 89), Again, (2.14, 0, 1));
        // Restarted: 1, then 6, then ceil(6 * 2.14) = ceil(12.84) = 13.
        case((2.14, 0, 1), Good, (2.14, 1, 1));
        case((2.14, 1, 1), Good, (2.14, 2, 6));
        case((2.14, 2, 6), Good, (2.14, 3, 13));
        // Hard on the first repetitions still uses the fixed 1 and 6 days.
        case((2.5, 0, 0), Hard, (2.36, 1, 1));
        case((2.36, 1, 1), Hard, (2.22, 2, 6));
        // At the floor: EF 1.3, I = ceil(10 * 1.3) = 13.
        case((1.3, 5, 10), Hard, (1.3, 6, 13));
        // The maximum interval caps: ceil(30000 * 2.5) = 75000 -> 36500.
        case((2.5, 9, 30_000), Good, (2.5, 10, 36_500));
    }

    fn at(minutes: i64) -> Timestamp {
        let t0: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        t0 + SignedDuration::from_mins(minutes)
    }

    const DAY: i64 = 24 * 60;

    #[test]
    fn a_card_goes_through_steps_then_sm2_intervals() {
        let sm2 = Sm2 {
            fuzz: false,
            ..Sm2::default()
        };
        // (minute of the review, rating, phase, step, due minute, EF, n, I)
        #[rustfmt::skip]
        let script = [
            // Good at step 0 of 1m 10m: step 1, due in 10 minutes; SM-2 state untouched.
            (0, Rating::Good, Phase::Learning, Some(1), 10, 2.5, 0, 0),
            // Good at the last step graduates: first repetition, q=4, I = 1 day.
            (10, Rating::Good, Phase::Review, None, 10 + DAY, 2.5, 1, 1),
            // I(2) = 6 days.
            (10 + DAY, Rating::Good, Phase::Review, None, 10 + 7 * DAY, 2.5, 2, 6),
            // Again: EF 2.5 - 0.32 = 2.18, n = 0, relearning step 0 (10 minutes).
            (10 + 7 * DAY, Rating::Again, Phase::Relearning, Some(0), 20 + 7 * DAY, 2.18, 0, 1),
            // Again within relearning: back to step 0, SM-2 state untouched.
            (20 + 7 * DAY, Rating::Again, Phase::Relearning, Some(0), 30 + 7 * DAY, 2.18, 0, 1),
            // Good at the only relearning step graduates: n 0 -> 1, I = 1 day.
            (30 + 7 * DAY, Rating::Good, Phase::Review, None, 30 + 8 * DAY, 2.18, 1, 1),
            // 6 days, then ceil(6 * 2.18) = ceil(13.08) = 14 days.
            (30 + 8 * DAY, Rating::Good, Phase::Review, None, 30 + 14 * DAY, 2.18, 2, 6),
            (30 + 14 * DAY, Rating::Good, Phase::Review, None, 30 + 28 * DAY, 2.18, 3, 14),
        ];
        let mut card = CardState::new_card();
        for (i, &(minute, rating, phase, step, due, ease, n, days)) in script.iter().enumerate() {
            card = sm2.review(&card, rating, at(minute));
            let memory = card.sm2.unwrap();
            assert_eq!(
                (
                    card.phase,
                    card.step,
                    card.due,
                    memory.repetitions,
                    memory.interval_days
                ),
                (phase, step, Some(at(due)), n, days),
                "review {i}"
            );
            assert!((memory.ease - ease).abs() < EPS, "review {i}: {memory:?}");
            assert_eq!(card.memory, None);
            assert_eq!(card.reps as usize, i + 1);
        }
        assert_eq!(card.lapses, 1);
    }

    #[test]
    fn without_steps_a_new_card_starts_with_one_day() {
        let sm2 = Sm2 {
            steps: Steps {
                learning: Vec::new(),
                relearning: Vec::new(),
            },
            fuzz: false,
            ..Sm2::default()
        };
        // Again on a new card is a failed first repetition: EF 2.18, I = 1; not a lapse.
        let card = sm2.review(&CardState::new_card(), Rating::Again, at(0));
        assert_eq!(
            (card.phase, card.due, card.lapses),
            (Phase::Review, Some(at(DAY)), 0)
        );
        // Again in review without relearning steps: I = 1 day, a lapse.
        let card = sm2.review(&card, Rating::Again, at(DAY));
        assert_eq!(
            (card.phase, card.due, card.lapses),
            (Phase::Review, Some(at(2 * DAY)), 1)
        );
        assert!((card.sm2.unwrap().ease - 1.86).abs() < EPS);
    }

    #[test]
    fn sm2_ignores_how_late_a_review_is() {
        let sm2 = Sm2 {
            fuzz: false,
            ..Sm2::default()
        };
        let card = CardState {
            phase: Phase::Review,
            sm2: Some(Sm2Memory {
                ease: 2.5,
                repetitions: 2,
                interval_days: 6,
            }),
            last_review: Some(at(0)),
            due: Some(at(6 * DAY)),
            ..CardState::new_card()
        };
        let on_time = sm2.review(&card, Rating::Good, at(6 * DAY));
        let late = sm2.review(&card, Rating::Good, at(60 * DAY));
        assert_eq!(on_time.sm2, late.sm2);
        assert_eq!(
            on_time.interval(),
            Some(SignedDuration::from_hours(24 * 15))
        );
    }

    #[test]
    fn sm2_has_no_retrievability() {
        let card = Sm2::default().review(&CardState::new_card(), Rating::Good, at(0));
        assert_eq!(Sm2::default().retrievability(&card, at(DAY)), None);
    }
}
