//! FSRS-6: the memory model (stability, difficulty, retrievability) and a scheduler on top.
//!
//! The formulas follow the public FSRS-6 description (fsrs-rs `model.rs`, py-fsrs, the FSRS
//! wiki), written here in f64. Tests check them against `../shared/reference/fsrs6-vectors.json`
//! (vendored as `tests/fixtures/fsrs6-vectors.json`).

use jiff::{SignedDuration, Timestamp};

use super::{CardState, Memory, Phase, Rating, Scheduler, elapsed_days};

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

/// FSRS-6 with a parameter set, a desired retention and a maximum interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Fsrs {
    pub w: [f64; 21],
    pub desired_retention: f64,
    pub maximum_interval_days: u32,
}

impl Default for Fsrs {
    fn default() -> Self {
        Self {
            w: DEFAULT_PARAMETERS,
            desired_retention: 0.9,
            maximum_interval_days: 36_500,
        }
    }
}

impl Fsrs {
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
    /// Same-day reviews (`days == 0`) use the short-term stability formula.
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
        let s = stability.clamp(S_MIN, S_MAX);
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
            stability: sanitize(new_s, s).clamp(S_MIN, S_MAX),
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

    /// Whole days to wait for a stability: rounded, at least 1, at most the maximum.
    pub fn interval_days(&self, stability: f64) -> u32 {
        let days = self.interval_for(stability, self.desired_retention).round();
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

impl Scheduler for Fsrs {
    fn name(&self) -> &'static str {
        "fsrs-6"
    }

    fn review(&self, card: &CardState, rating: Rating, at: Timestamp) -> CardState {
        let days = card.last_review.map_or(0, |last| elapsed_days(last, at));
        let memory = self.next_memory(card.memory, f64::from(days), rating);
        let interval = self.interval_days(memory.stability);
        let lapsed = rating == Rating::Again && card.phase == Phase::Review;
        CardState {
            phase: Phase::Review,
            step: None,
            memory: Some(memory),
            reps: card.reps + 1,
            lapses: card.lapses + u32::from(lapsed),
            last_review: Some(at),
            due: Some(at + SignedDuration::from_hours(24 * i64::from(interval))),
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

    #[test]
    fn memory_model_matches_reference_vectors() {
        let v = vectors();
        let fsrs = Fsrs::default();
        let cases = v["memory_model"].as_array().unwrap();
        assert!(cases.len() >= 100);
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
                let what = format!("case {i} review {j}");
                close(next.stability, want.stability, &format!("{what} stability"));
                close(
                    next.difficulty,
                    want.difficulty,
                    &format!("{what} difficulty"),
                );
                state = Some(next);
            }
        }
    }

    #[test]
    fn next_states_match_reference_vectors() {
        let v = vectors();
        let fsrs = Fsrs::default();
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
    fn lapse_shortens_interval() {
        let fsrs = Fsrs::default();
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
