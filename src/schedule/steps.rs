//! Learning and relearning steps: the short same-day waits a new or forgotten card goes
//! through before it gets day-long intervals. Shared by FSRS and SM-2 so both treat new and
//! lapsed cards alike. Pure: a step list, a step index and a rating in, an outcome out.
//!
//! The rules are py-fsrs 6.x's (`Scheduler.review_card`, Learning and Relearning branches),
//! which the reference vectors were computed with.

use jiff::SignedDuration;

use super::config::ConfigError;
use super::{Phase, Rating};

/// The learning steps (new cards) and relearning steps (lapsed cards).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steps {
    pub learning: Vec<SignedDuration>,
    pub relearning: Vec<SignedDuration>,
}

impl Default for Steps {
    /// Anki's and py-fsrs's defaults: learning 1m 10m, relearning 10m.
    fn default() -> Self {
        Self {
            learning: vec![SignedDuration::from_mins(1), SignedDuration::from_mins(10)],
            relearning: vec![SignedDuration::from_mins(10)],
        }
    }
}

/// Where an answer given during (re)learning leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// Stay in the steps at index `step`, due again after `wait`.
    Step { step: u32, wait: SignedDuration },
    /// Leave the steps: the scheduler picks an interval of whole days.
    Graduate,
}

/// Where a review leaves a card, for any scheduler: on a (re)learning step, or scheduled in
/// whole days by the scheduler's own rule (graduating, or reviewing a learnt card).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Step {
        phase: Phase,
        step: u32,
        wait: SignedDuration,
    },
    Days,
}

impl Steps {
    /// The step machine every scheduler shares: new and learning cards go through the
    /// learning steps, lapsed ones through the relearning steps; Again on a learnt card
    /// starts relearning (when there are relearning steps); anything else is scheduled in
    /// days.
    pub fn place(&self, phase: Phase, step: Option<u32>, rating: Rating) -> Placement {
        let (steps, phase) = match phase {
            Phase::New | Phase::Learning => (&self.learning, Phase::Learning),
            Phase::Relearning => (&self.relearning, Phase::Relearning),
            Phase::Review => {
                return match (rating, self.relearning.first()) {
                    (Rating::Again, Some(&wait)) => Placement::Step {
                        phase: Phase::Relearning,
                        step: 0,
                        wait,
                    },
                    _ => Placement::Days,
                };
            }
        };
        match next_step(steps, step.unwrap_or(0), rating) {
            StepOutcome::Step { step, wait } => Placement::Step { phase, step, wait },
            StepOutcome::Graduate => Placement::Days,
        }
    }
}

/// The outcome of answering `rating` at step index `step` of `steps`.
///
/// - No steps at all: graduate, whatever the rating.
/// - A step index past the end (the steps were shortened since): Again restarts at step 0,
///   anything else graduates.
/// - Again: back to step 0.
/// - Hard: stay on the same step; at step 0 wait the mean of the first two steps, or 1.5 times
///   the only step.
/// - Good: the next step, or graduate after the last one.
/// - Easy: graduate.
pub fn next_step(steps: &[SignedDuration], step: u32, rating: Rating) -> StepOutcome {
    let index = step as usize;
    let Some(&first) = steps.first() else {
        return StepOutcome::Graduate;
    };
    if index >= steps.len() && rating != Rating::Again {
        return StepOutcome::Graduate;
    }
    match rating {
        Rating::Again => StepOutcome::Step {
            step: 0,
            wait: first,
        },
        Rating::Hard => {
            let wait = match (index, steps.get(1)) {
                (0, Some(&second)) => mean(first, second),
                (0, None) => mean(first, first.saturating_mul(2)),
                _ => steps[index],
            };
            StepOutcome::Step { step, wait }
        }
        Rating::Good => match steps.get(index + 1) {
            Some(&wait) => StepOutcome::Step {
                step: step + 1,
                wait,
            },
            None => StepOutcome::Graduate,
        },
        Rating::Easy => StepOutcome::Graduate,
    }
}

/// The mean of two durations, exact to the nanosecond (no overflow: i128).
fn mean(a: SignedDuration, b: SignedDuration) -> SignedDuration {
    let nanos = i128::midpoint(a.as_nanos(), b.as_nanos());
    SignedDuration::from_nanos_i128(nanos)
}

/// Parses a step list such as `"1m 10m"`, `"30s"`, `"1h, 1d"`: whole numbers followed by
/// `s`, `m`, `h` or `d`, separated by spaces or commas. An empty list means no steps.
pub fn parse_steps(text: &str) -> Result<Vec<SignedDuration>, ConfigError> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|token| !token.is_empty())
        .map(parse_step)
        .collect()
}

/// The longest step accepted: a step is a same-day wait, a year is already generous, and the
/// bound keeps the arithmetic far from overflow.
const MAX_STEP_SECONDS: i64 = 365 * 86_400;

fn parse_step(token: &str) -> Result<SignedDuration, ConfigError> {
    let invalid = |reason: &'static str| ConfigError::Step {
        token: token.to_owned(),
        reason,
    };
    let split = token
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| invalid("it has no unit"))?;
    let (number, unit) = token.split_at(split);
    if number.is_empty() {
        return Err(invalid("it does not start with a whole number"));
    }
    let unit_seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(invalid("its unit is not s, m, h or d")),
    };
    let count: i64 = number
        .parse()
        .map_err(|_| invalid("the number is too large"))?;
    if count == 0 {
        return Err(invalid("a step must be longer than zero"));
    }
    let seconds = count
        .checked_mul(unit_seconds)
        .filter(|s| *s <= MAX_STEP_SECONDS)
        .ok_or_else(|| invalid("a step can be at most 365 days"))?;
    Ok(SignedDuration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: i64) -> SignedDuration {
        SignedDuration::from_secs(s)
    }

    #[track_caller]
    fn case(steps: &[i64], step: u32, rating: Rating, expected: Option<(u32, i64)>) {
        let steps: Vec<_> = steps.iter().copied().map(secs).collect();
        let want = match expected {
            Some((step, wait)) => StepOutcome::Step {
                step,
                wait: secs(wait),
            },
            None => StepOutcome::Graduate,
        };
        assert_eq!(next_step(&steps, step, rating), want);
    }

    #[test]
    fn step_transitions_follow_the_reference_rules() {
        use Rating::{Again, Easy, Good, Hard};
        // Two steps, 1m and 10m.
        case(&[60, 600], 0, Again, Some((0, 60)));
        case(&[60, 600], 0, Hard, Some((0, 330))); // (60 + 600) / 2
        case(&[60, 600], 0, Good, Some((1, 600)));
        case(&[60, 600], 0, Easy, None);
        case(&[60, 600], 1, Again, Some((0, 60)));
        case(&[60, 600], 1, Hard, Some((1, 600))); // past step 0: repeat the step
        case(&[60, 600], 1, Good, None); // after the last step
        // One step: Hard waits 1.5 times it.
        case(&[600], 0, Hard, Some((0, 900)));
        case(&[600], 0, Good, None);
        // No steps: always graduate, even Again.
        case(&[], 0, Again, None);
        case(&[], 0, Hard, None);
        // Step index past the end (steps shortened since): Again restarts, others graduate.
        case(&[600], 3, Again, Some((0, 600)));
        case(&[600], 3, Hard, None);
        case(&[600], 3, Good, None);
    }

    #[test]
    fn mean_is_exact_for_odd_nanoseconds() {
        assert_eq!(
            mean(SignedDuration::from_nanos(1), SignedDuration::from_nanos(4)),
            SignedDuration::from_nanos(2)
        );
    }

    #[track_caller]
    fn parses(text: &str, expected: &[i64]) {
        let want: Vec<_> = expected.iter().copied().map(secs).collect();
        assert_eq!(parse_steps(text).unwrap(), want, "{text:?}");
    }

    #[track_caller]
    fn rejects(text: &str, message: &str) {
        let err = parse_steps(text).unwrap_err();
        assert_eq!(err.to_string(), message, "{text:?}");
    }

    #[test]
    fn parse_steps_accepts_units_and_separators() {
        parses("1m 10m", &[60, 600]);
        parses("30s", &[30]);
        parses("1h", &[3_600]);
        parses("1d", &[86_400]);
        parses(" 1m,10m ,  1h ", &[60, 600, 3_600]);
        parses("", &[]);
        parses("365d", &[365 * 86_400]);
    }

    #[test]
    fn parse_steps_explains_what_is_wrong() {
        let hint = "write steps as whole numbers with a unit, e.g. `1m 10m` (units: s, m, h, d)";
        rejects(
            "10",
            &format!("step `10` is not valid: it has no unit; {hint}"),
        );
        rejects(
            "10x",
            &format!("step `10x` is not valid: its unit is not s, m, h or d; {hint}"),
        );
        rejects(
            "1.5m",
            &format!("step `1.5m` is not valid: its unit is not s, m, h or d; {hint}"),
        );
        rejects(
            "m",
            &format!("step `m` is not valid: it does not start with a whole number; {hint}"),
        );
        rejects(
            "0m",
            &format!("step `0m` is not valid: a step must be longer than zero; {hint}"),
        );
        rejects(
            "366d",
            &format!("step `366d` is not valid: a step can be at most 365 days; {hint}"),
        );
        rejects(
            "99999999999999999999s",
            &format!("step `99999999999999999999s` is not valid: the number is too large; {hint}"),
        );
        rejects(
            "1m -5m",
            &format!("step `-5m` is not valid: it does not start with a whole number; {hint}"),
        );
    }
}
