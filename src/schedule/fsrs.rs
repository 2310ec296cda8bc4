//! FSRS-6: the memory model (stability, difficulty, retrievability) and the full scheduler on
//! top (learning and relearning steps, same-day reviews, retention, maximum interval, fuzz).
//!
//! The formulas follow the public FSRS-6 description (fsrs-rs `model.rs`, py-fsrs, the FSRS
//! wiki), written here in f64. Tests check them against `../shared/reference/fsrs6-vectors.json`
//! (vendored as `tests/fixtures/fsrs6-vectors.json`): the memory model against fsrs-rs, the
//! scheduler against py-fsrs, which differ in two small ways (`Variant`).

use jiff::Timestamp;

use super::fuzz::fuzz_interval;
use super::steps::{Placement, Steps};
use super::{CardState, Memory, Phase, Rating, Scheduler, after, after_days, elapsed_days};

/// The 21 default FSRS-6 parameters.
pub const DEFAULT_PARAMETERS: [f64; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

pub const S_MIN: f64 = 0.001;
pub const S_MAX: f64 = 36_500.0;
pub const D_MIN: f64 = 1.0;
pub const D_MAX: f64 = 10.0;

/// One rating's outcome in `next_states`: the memory it leads to and the (unrounded)
/// interval in days at the desired retention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NextState {
    pub memory: Memory,
    pub interval: f64,
}

/// Where the two reference implementations of FSRS-6 disagree. Both are supported exactly so
/// each vector set can be checked; the scheduler uses `PyFsrs`, whose full scheduler (steps,
/// fuzz) this module reproduces.
///
/// The only difference the references have (fsrs-rs, py-fsrs 6.3.2) is the upper bound on
/// stability. Both floor a same-day review's stability increase at 1 for Hard, Good and Easy
/// (py-fsrs up to 6.3.1 floored only Good and Easy; 6.3.2, which computed the vectors, also
/// floors Hard, and the `scheduler` vectors confirm it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Variant {
    /// fsrs-rs (Anki's engine; the `memory_model` and `next_states` vectors): stability is
    /// clamped to `[S_MIN, S_MAX]`.
    FsrsRs,
    /// py-fsrs 6.3.2 (the `scheduler` vectors, where stability reaches 126 068 days):
    /// stability is only floored at `S_MIN`. Intervals are capped by the maximum interval
    /// either way.
    #[default]
    PyFsrs,
}

impl Variant {
    fn stability_max(self) -> f64 {
        match self {
            Variant::FsrsRs => S_MAX,
            // Unbounded in py-fsrs; f64::MAX keeps the value finite whatever happens.
            Variant::PyFsrs => f64::MAX,
        }
    }
}

/// FSRS-6 with a parameter set, a desired retention, a maximum interval, (re)learning steps
/// and fuzz. `Default` is py-fsrs's default scheduler: default parameters, retention 0.9,
/// 36500 days, steps 1m 10m / 10m, fuzz on.
#[derive(Debug, Clone, PartialEq)]
pub struct Fsrs {
    pub w: [f64; 21],
    pub desired_retention: f64,
    pub maximum_interval_days: u32,
    pub steps: Steps,
    /// Spread review intervals over nearby days (`fuzz::fuzz_interval`), seeded by the card's
    /// `fuzz_seed` and review count.
    pub fuzz: bool,
    pub variant: Variant,
}

impl Default for Fsrs {
    fn default() -> Self {
        Self {
            w: DEFAULT_PARAMETERS,
            desired_retention: 0.9,
            maximum_interval_days: 36_500,
            steps: Steps::default(),
            fuzz: true,
            variant: Variant::PyFsrs,
        }
    }
}

impl Fsrs {
    /// The default scheduler computing memory as `variant` does.
    pub fn with_variant(variant: Variant) -> Self {
        Self {
            variant,
            ..Self::default()
        }
    }

    fn decay(&self) -> f64 {
        -self.w[20]
    }

    fn factor(&self) -> f64 {
        0.9f64.powf(1.0 / self.decay()) - 1.0
    }

    /// Probability of recall after `days` for a memory of `stability`.
    pub fn retrievability_after(&self, days: f64, stability: f64) -> f64 {
        (1.0 + self.factor() * days / stability).powf(self.decay())
    }

    /// Days until recall probability falls to `retention` (unrounded).
    pub fn interval_for(&self, stability: f64, retention: f64) -> f64 {
        stability / self.factor() * (retention.powf(1.0 / self.decay()) - 1.0)
    }

    pub fn init_stability(&self, rating: Rating) -> f64 {
        self.w[rating as usize - 1].clamp(S_MIN, S_MAX)
    }

    /// Initial difficulty, unclamped (mean reversion uses the unclamped Easy value).
    fn raw_init_difficulty(&self, rating: Rating) -> f64 {
        self.w[4] - (self.w[5] * f64::from(rating.number() - 1)).exp() + 1.0
    }

    pub fn init_difficulty(&self, rating: Rating) -> f64 {
        self.raw_init_difficulty(rating).clamp(D_MIN, D_MAX)
    }

    pub fn next_difficulty(&self, d: f64, rating: Rating) -> f64 {
        let delta = -self.w[6] * (f64::from(rating.number()) - 3.0);
        let damped = d + (10.0 - d) * delta / 9.0;
        let reverted = self.w[7] * (self.raw_init_difficulty(Rating::Easy) - damped) + damped;
        reverted.clamp(D_MIN, D_MAX)
    }

    fn stability_after_success(&self, s: f64, d: f64, r: f64, rating: Rating) -> f64 {
        let w = &self.w;
        let hard_penalty = if rating == Rating::Hard { w[15] } else { 1.0 };
        let easy_bonus = if rating == Rating::Easy { w[16] } else { 1.0 };
        s * (w[8].exp()
            * (11.0 - d)
            * s.powf(-w[9])
            * (((1.0 - r) * w[10]).exp() - 1.0)
            * hard_penalty
            * easy_bonus
            + 1.0)
    }

    fn stability_after_failure(&self, s: f64, d: f64, r: f64) -> f64 {
        let w = &self.w;
        let long_term =
            w[11] * d.powf(-w[12]) * ((s + 1.0).powf(w[13]) - 1.0) * ((1.0 - r) * w[14]).exp();
        long_term.min(s / (w[17] * w[18]).exp())
    }

    fn stability_short_term(&self, s: f64, rating: Rating) -> f64 {
        let w = &self.w;
        let sinc = (w[17] * (f64::from(rating.number()) - 3.0 + w[18])).exp() * s.powf(-w[19]);
        s * if rating >= Rating::Hard {
            sinc.max(1.0)
        } else {
            sinc
        }
    }

    /// The memory after one review `days` after the previous one (`None`: the first review).
    /// Same-day reviews (`days == 0`, i.e. under 24 hours later) use the short-term formula.
    pub fn next_memory(&self, memory: Option<Memory>, days: f64, rating: Rating) -> Memory {
        let Some(Memory {
            stability,
            difficulty,
        }) = memory
        else {
            return Memory {
                stability: self.init_stability(rating),
                difficulty: self.init_difficulty(rating),
            };
        };
        let s_max = self.variant.stability_max();
        let s = stability.clamp(S_MIN, s_max);
        let d = difficulty.clamp(D_MIN, D_MAX);
        let new_s = if days <= 0.0 {
            self.stability_short_term(s, rating)
        } else {
            let r = self.retrievability_after(days, s);
            if rating == Rating::Again {
                self.stability_after_failure(s, d, r)
            } else {
                self.stability_after_success(s, d, r, rating)
            }
        };
        Memory {
            stability: sanitize(new_s, s).clamp(S_MIN, s_max),
            difficulty: sanitize(self.next_difficulty(d, rating), d),
        }
    }

    /// The four possible outcomes of reviewing a card with `memory` after `days`, at
    /// `retention` (fsrs-rs `next_states`).
    pub fn next_states(&self, memory: Option<Memory>, retention: f64, days: f64) -> [NextState; 4] {
        Rating::ALL.map(|rating| {
            let memory = self.next_memory(memory, days, rating);
            NextState {
                memory,
                interval: self.interval_for(memory.stability, retention),
            }
        })
    }

    /// Whole days to wait for a stability: rounded (ties to even, as py-fsrs's `round`), at
    /// least 1, at most the maximum. Before fuzz.
    pub fn interval_days(&self, stability: f64) -> u32 {
        let days = self
            .interval_for(stability, self.desired_retention)
            .round_ties_even();
        let max = f64::from(self.maximum_interval_days.max(1));
        if days.is_finite() {
            days.clamp(1.0, max) as u32
        } else {
            self.maximum_interval_days.max(1)
        }
    }
}

/// Falls back to the previous value if a computation produced NaN or infinity, so extreme
/// inputs (a review centuries late) can never poison a card's state.
fn sanitize(value: f64, previous: f64) -> f64 {
    if value.is_finite() { value } else { previous }
}

impl Fsrs {
    /// `next` (a card that leaves its steps, or is reviewed in the review phase) due in whole
    /// days from its stability, fuzzed when fuzz is on.
    fn scheduled_in_days(&self, card: &CardState, next: &CardState, at: Timestamp) -> CardState {
        let stability = next.memory.map_or(S_MIN, |m| m.stability);
        let mut days = self.interval_days(stability);
        if self.fuzz {
            days = fuzz_interval(days, self.maximum_interval_days, card.fuzz_seed, card.reps);
        }
        CardState {
            phase: Phase::Review,
            step: None,
            due: Some(after_days(at, days)),
            ..*next
        }
    }
}

impl Scheduler for Fsrs {
    fn name(&self) -> &'static str {
        "fsrs-6"
    }

    /// py-fsrs's `review_card`: the memory is updated from the whole days since the last
    /// review (same-day: the short-term formula), then the phase decides the wait: a
    /// (re)learning step, or whole days from the stability at the desired retention.
    fn review(&self, card: &CardState, rating: Rating, at: Timestamp) -> CardState {
        let days = card.last_review.map_or(0, |last| elapsed_days(last, at));
        let memory = self.next_memory(card.memory, f64::from(days), rating);
        let lapsed = rating == Rating::Again && card.phase == Phase::Review;
        let next = CardState {
            phase: card.phase,
            step: card.step,
            memory: Some(memory),
            reps: card.reps.saturating_add(1),
            lapses: card.lapses.saturating_add(u32::from(lapsed)),
            last_review: Some(at),
            due: None,
            // This is FSRS's state: SM-2's part of a card is never carried through.
            sm2: None,
            fuzz_seed: card.fuzz_seed,
        };
        match self.steps.place(card.phase, card.step, rating) {
            Placement::Step { phase, step, wait } => CardState {
                phase,
                step: Some(step),
                due: Some(after(at, wait)),
                ..next
            },
            Placement::Days => self.scheduled_in_days(card, &next, at),
        }
    }

    fn retrievability(&self, card: &CardState, at: Timestamp) -> Option<f64> {
        let memory = card.memory?;
        let days = f64::from(elapsed_days(card.last_review?, at));
        Some(self.retrievability_after(days, memory.stability))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> serde_json::Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/fsrs6-vectors.json"
        );
        let text = std::fs::read_to_string(path).expect("vendored FSRS vectors");
        serde_json::from_str(&text).expect("valid JSON")
    }

    fn rating(v: &serde_json::Value) -> Rating {
        Rating::from_number(v.as_i64().expect("rating")).expect("rating 1..4")
    }

    #[track_caller]
    fn close(actual: f64, expected: f64, what: &str) {
        let tolerance = 1e-4 * expected.abs().max(1e-3);
        assert!(
            (actual - expected).abs() <= tolerance,
            "{what}: got {actual}, expected {expected}"
        );
    }

    fn memory(v: &serde_json::Value) -> Memory {
        Memory {
            stability: v["stability"].as_f64().expect("stability"),
            difficulty: v["difficulty"].as_f64().expect("difficulty"),
        }
    }

    #[test]
    fn vendored_vectors_match_shared_reference() {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/reference/fsrs6-vectors.json"
        );
        // The shared copy is beside the repository in development and CI; a clone on its own
        // has only the vendored copy, which this test then cannot compare.
        if let Ok(text) = std::fs::read_to_string(shared) {
            let shared: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(shared, vectors());
        }
    }

    #[test]
    fn default_parameters_are_the_reference_ones() {
        let v = vectors();
        for (i, p) in v["parameters"].as_array().unwrap().iter().enumerate() {
            close(
                DEFAULT_PARAMETERS[i],
                p.as_f64().unwrap(),
                &format!("w[{i}]"),
            );
        }
    }

    /// Replays the `memory_model` vectors; returns every mismatch.
    fn memory_model_mismatches(fsrs: &Fsrs) -> Vec<String> {
        let v = vectors();
        let cases = v["memory_model"].as_array().unwrap();
        assert!(cases.len() >= 100);
        let mut problems = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let mut state = None;
            let reviews = case["reviews"].as_array().unwrap();
            for (j, (review, expected)) in reviews
                .iter()
                .zip(case["states"].as_array().unwrap())
                .enumerate()
            {
                let days = review["delta_t"].as_f64().unwrap();
                let next = fsrs.next_memory(state, days, rating(&review["rating"]));
                let want = memory(expected);
                if !near(next.stability, want.stability) || !near(next.difficulty, want.difficulty)
                {
                    problems.push(format!("case {i} review {j}: got {next:?}, want {want:?}"));
                }
                state = Some(next);
            }
        }
        problems
    }

    fn near(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() <= 1e-4 * expected.abs().max(1e-3)
    }

    #[test]
    fn memory_model_matches_reference_vectors() {
        let problems = memory_model_mismatches(&Fsrs::with_variant(Variant::FsrsRs));
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn next_states_match_reference_vectors() {
        let v = vectors();
        let fsrs = Fsrs::with_variant(Variant::FsrsRs);
        for (i, case) in v["next_states"].as_array().unwrap().iter().enumerate() {
            let state = (!case["state"].is_null()).then(|| memory(&case["state"]));
            let retention = case["desired_retention"].as_f64().unwrap();
            let days = case["days_elapsed"].as_f64().unwrap();
            let got = fsrs.next_states(state, retention, days);
            for (rating, next) in Rating::ALL.iter().zip(got) {
                let want = &case["next"][rating.name().to_lowercase()];
                let what = format!("case {i} {rating}");
                close(
                    next.memory.stability,
                    want["stability"].as_f64().unwrap(),
                    &what,
                );
                close(
                    next.memory.difficulty,
                    want["difficulty"].as_f64().unwrap(),
                    &what,
                );
                close(next.interval, want["interval"].as_f64().unwrap(), &what);
            }
        }
    }

    fn timestamp(v: &serde_json::Value) -> Timestamp {
        v.as_str().expect("timestamp").parse().expect("RFC 3339")
    }

    fn seconds(v: &serde_json::Value) -> Vec<jiff::SignedDuration> {
        v.as_array()
            .expect("steps")
            .iter()
            .map(|s| jiff::SignedDuration::from_secs(s.as_i64().expect("seconds")))
            .collect()
    }

    /// The scheduler the `scheduler` vectors were computed with, memory as `variant`.
    fn reference_scheduler(section: &serde_json::Value, variant: Variant) -> Fsrs {
        assert_eq!(section["fuzz"], false);
        Fsrs {
            w: DEFAULT_PARAMETERS,
            desired_retention: section["desired_retention"].as_f64().unwrap(),
            maximum_interval_days: section["maximum_interval_days"].as_u64().unwrap() as u32,
            steps: Steps {
                learning: seconds(&section["learning_steps_seconds"]),
                relearning: seconds(&section["relearning_steps_seconds"]),
            },
            fuzz: false,
            variant,
        }
    }

    /// Replays every card of the `scheduler` vectors; returns every mismatch.
    fn scheduler_mismatches(variant: Variant) -> Vec<String> {
        let v = vectors();
        let section = &v["scheduler"];
        let fsrs = reference_scheduler(section, variant);
        let cards = section["cards"].as_array().unwrap();
        assert_eq!(cards.len(), 100);
        let mut problems = Vec::new();
        for (i, reviews) in cards.iter().enumerate() {
            let mut card = CardState::new_card();
            for (j, review) in reviews.as_array().unwrap().iter().enumerate() {
                let at = timestamp(&review["review_at"]);
                card = fsrs.review(&card, rating(&review["rating"]), at);
                let phase = match review["state"].as_str().unwrap() {
                    "Learning" => Phase::Learning,
                    "Review" => Phase::Review,
                    "Relearning" => Phase::Relearning,
                    other => panic!("unknown state {other}"),
                };
                let step = review["step"].as_u64().map(|s| s as u32);
                let want = memory(review);
                let got = card.memory.unwrap();
                let due = timestamp(&review["due"]);
                if card.phase != phase
                    || card.step != step
                    || card.due != Some(due)
                    || !near(got.stability, want.stability)
                    || !near(got.difficulty, want.difficulty)
                {
                    problems.push(format!(
                        "card {i} review {j}: got {:?} step {:?} {got:?} due {:?}; \
                         want {phase:?} step {step:?} {want:?} due {due}",
                        card.phase, card.step, card.due
                    ));
                }
            }
        }
        problems
    }

    #[test]
    fn scheduler_matches_reference_vectors() {
        let problems = scheduler_mismatches(Variant::PyFsrs);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn scheduler_vectors_need_uncapped_stability() {
        // The scheduler vectors go past S_MAX (card 1 reaches 126 068 days): capping, as
        // fsrs-rs does, breaks them, so the variant is doing real work above.
        assert!(!scheduler_mismatches(Variant::FsrsRs).is_empty());
        // The memory_model vectors stay below S_MAX (at most 2025 days), so they hold for
        // both variants.
        assert!(memory_model_mismatches(&Fsrs::with_variant(Variant::PyFsrs)).is_empty());
    }

    #[test]
    fn variants_differ_only_above_the_stability_cap() {
        let big = Some(Memory {
            stability: 30_000.0,
            difficulty: 1.0,
        });
        let rs = Fsrs::with_variant(Variant::FsrsRs).next_memory(big, 30_000.0, Rating::Easy);
        let py = Fsrs::with_variant(Variant::PyFsrs).next_memory(big, 30_000.0, Rating::Easy);
        assert!((rs.stability - S_MAX).abs() < 1e-9, "{rs:?}");
        assert!(py.stability > S_MAX, "{py:?}");
        assert_eq!(rs.difficulty.to_bits(), py.difficulty.to_bits());
        // Below the cap they agree exactly.
        let small = Some(Memory {
            stability: 10.0,
            difficulty: 5.0,
        });
        for rating in Rating::ALL {
            for days in [0.0, 3.0, 400.0] {
                assert_eq!(
                    Fsrs::with_variant(Variant::FsrsRs).next_memory(small, days, rating),
                    Fsrs::with_variant(Variant::PyFsrs).next_memory(small, days, rating),
                );
            }
        }
    }

    #[test]
    fn same_day_hard_never_lowers_stability() {
        // Scheduler vectors, card 4: Good at 09:00 (S = w[2] = 2.3065), Hard at 09:10 leaves
        // S = 2.3065, although sinc(Hard) = exp(w17 * (2 - 3 + w18)) * S^-w19
        // = exp(0.5425 * -0.9088) * 2.3065^-0.0658 = 0.578 < 1: the increase is floored at 1.
        let start = Some(Memory {
            stability: 2.3065,
            difficulty: 5.0,
        });
        for variant in [Variant::FsrsRs, Variant::PyFsrs] {
            let hard = Fsrs::with_variant(variant).next_memory(start, 0.0, Rating::Hard);
            assert!(
                (hard.stability - 2.3065).abs() < 1e-12,
                "{variant:?} {hard:?}"
            );
            // Again is not floored: 2.3065 * exp(0.5425 * (-2 + 0.0912)) * 2.3065^-0.0658.
            let again = Fsrs::with_variant(variant).next_memory(start, 0.0, Rating::Again);
            let want = 2.3065 * (0.5425f64 * (-2.0 + 0.0912)).exp() * 2.3065f64.powf(-0.0658);
            assert!(
                (again.stability - want).abs() < 1e-9,
                "{variant:?} {again:?}"
            );
        }
    }

    #[test]
    fn far_overdue_review_stays_finite() {
        let fsrs = Fsrs::default();
        let m = fsrs.next_memory(
            Some(Memory {
                stability: 0.5,
                difficulty: 9.9,
            }),
            1.0e9,
            Rating::Good,
        );
        assert!(m.stability.is_finite() && m.stability <= S_MAX);
        assert!((D_MIN..=D_MAX).contains(&m.difficulty));
    }

    #[test]
    fn far_overdue_review_schedules_a_finite_interval() {
        // A card learnt in 2026 and next seen in 9000: about 2.5 million days overdue.
        let fsrs = Fsrs::default();
        let t0: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        let learnt = fsrs.review(&CardState::new_card(), Rating::Easy, t0);
        let late: Timestamp = "9000-01-01T09:00:00Z".parse().unwrap();
        for rating in Rating::ALL {
            let next = fsrs.review(&learnt, rating, late);
            let m = next.memory.unwrap();
            assert!(
                m.stability.is_finite() && m.stability > 0.0,
                "{rating}: {m:?}"
            );
            let wait = next.due.unwrap().duration_since(late);
            assert!(wait.is_positive(), "{rating}");
            assert!(wait.as_secs() <= 36_500 * 86_400, "{rating}");
        }
    }

    #[test]
    fn elapsed_time_is_counted_from_the_last_review_not_the_due_date() {
        let fsrs = Fsrs {
            fuzz: false,
            ..Fsrs::default()
        };
        let t0: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        let learnt = fsrs.review(&CardState::new_card(), Rating::Easy, t0);
        // Reviewed 20 days after the last review: R = (1 + factor * 20 / S)^-w20.
        let at = t0 + jiff::SignedDuration::from_hours(24 * 20);
        let next = fsrs.review(&learnt, Rating::Good, at);
        let s = learnt.memory.unwrap().stability;
        let r = fsrs.retrievability_after(20.0, s);
        let want = fsrs.next_memory(learnt.memory, 20.0, Rating::Good);
        assert_eq!(next.memory, Some(want));
        assert_eq!(fsrs.retrievability(&learnt, at), Some(r));
        // 23 hours 59 minutes later is still the same day: the short-term formula.
        let same_day = fsrs.review(
            &next,
            Rating::Good,
            at + jiff::SignedDuration::from_mins(1439),
        );
        assert_eq!(
            same_day.memory,
            Some(fsrs.next_memory(next.memory, 0.0, Rating::Good))
        );
    }

    #[test]
    fn lapse_shortens_interval() {
        let fsrs = Fsrs {
            steps: Steps {
                learning: Vec::new(),
                relearning: Vec::new(),
            },
            ..Fsrs::default()
        };
        let t0: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        let learnt = fsrs.review(&CardState::new_card(), Rating::Good, t0);
        let t1 = learnt.due.unwrap();
        let good = fsrs.review(&learnt, Rating::Good, t1);
        let again = fsrs.review(&learnt, Rating::Again, t1);
        assert!(again.interval().unwrap() < good.interval().unwrap());
        assert_eq!(again.lapses, 1);
        assert_eq!(good.lapses, 0);
    }
}
