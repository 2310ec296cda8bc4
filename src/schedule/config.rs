//! Scheduler settings a deck or the command line can choose, their parsing and validation,
//! and the one function that turns them into a `Box<dyn Scheduler>`. Pure: strings and
//! numbers in, a scheduler or a list of every problem out; no I/O.

use std::fmt;
use std::str::FromStr;

use jiff::SignedDuration;

use super::Scheduler;
use super::fsrs::{DEFAULT_PARAMETERS, Fsrs, Variant};
use super::sm2::Sm2;
use super::steps::Steps;

/// Lowest and highest accepted value of each FSRS-6 parameter (py-fsrs 6.x
/// `LOWER_BOUNDS_PARAMETERS` / `UPPER_BOUNDS_PARAMETERS`, the optimizer's clamps).
pub const PARAMETER_BOUNDS: [(f64, f64); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

/// Accepted desired retention: below 0.7 reviews come too late to be useful, above 0.99 the
/// workload explodes (the range Anki offers).
pub const RETENTION_RANGE: std::ops::RangeInclusive<f64> = 0.7..=0.99;

/// Accepted maximum interval in days: at least a day, at most the reference's 100 years.
pub const MAXIMUM_INTERVAL_RANGE: std::ops::RangeInclusive<u32> = 1..=36_500;

/// One thing wrong with a scheduler setting.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown scheduler `{given}`: choose `fsrs` (also `fsrs-6`) or `sm2` (also `sm-2`)")]
    UnknownAlgorithm { given: String },

    #[error(
        "step `{token}` is not valid: {reason}; write steps as whole numbers with a unit, e.g. `1m 10m` (units: s, m, h, d)"
    )]
    Step { token: String, reason: &'static str },

    #[error("{what} `{text}` is not a number")]
    NotANumber { what: &'static str, text: String },

    #[error("desired retention {value} is out of range: use a number from 0.7 to 0.99")]
    Retention { value: f64 },

    #[error("maximum interval {value} days is out of range: use 1 to 36500 days")]
    MaximumInterval { value: u32 },

    #[error("FSRS needs 21 parameters, got {count}")]
    ParameterCount { count: usize },

    #[error("FSRS parameter w[{index}] = {value} is out of range: use {min} to {max}")]
    Parameter {
        index: usize,
        value: f64,
        min: f64,
        max: f64,
    },
}

/// Every problem found in a set of scheduler settings, reported together.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct InvalidConfig {
    pub problems: Vec<ConfigError>,
}

impl fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid scheduler settings: ")?;
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl From<ConfigError> for InvalidConfig {
    fn from(problem: ConfigError) -> Self {
        Self {
            problems: vec![problem],
        }
    }
}

/// Which scheduling algorithm a deck uses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Algorithm {
    #[default]
    Fsrs,
    Sm2,
}

impl Algorithm {
    /// The name recorded with reviews, as `Scheduler::name` returns it.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Fsrs => "fsrs-6",
            Algorithm::Sm2 => "sm-2",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Algorithm {
    type Err = ConfigError;

    /// `fsrs`, `fsrs-6`, `fsrs6`, `sm2`, `sm-2`, in any case, with surrounding spaces ignored.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "fsrs" | "fsrs-6" | "fsrs6" => Ok(Algorithm::Fsrs),
            "sm2" | "sm-2" => Ok(Algorithm::Sm2),
            _ => Err(ConfigError::UnknownAlgorithm {
                given: text.to_owned(),
            }),
        }
    }
}

/// Everything that decides how cards are scheduled. `Default` is the reference setup:
/// FSRS-6 with its default parameters, retention 0.9, steps 1m 10m / 10m, at most 36500
/// days, fuzz on.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SchedulerConfig {
    pub algorithm: Algorithm,
    /// Probability of recall FSRS aims for when a card comes due (FSRS only).
    pub desired_retention: f64,
    pub learning_steps: Vec<SignedDuration>,
    pub relearning_steps: Vec<SignedDuration>,
    pub maximum_interval_days: u32,
    /// Spread review intervals of 3 days and more over nearby days (see `fuzz`).
    pub fuzz: bool,
    /// FSRS-6 parameters w[0]..w[20] (FSRS only).
    pub parameters: [f64; 21],
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        let steps = Steps::default();
        Self {
            algorithm: Algorithm::Fsrs,
            desired_retention: 0.9,
            learning_steps: steps.learning,
            relearning_steps: steps.relearning,
            maximum_interval_days: 36_500,
            fuzz: true,
            parameters: DEFAULT_PARAMETERS,
        }
    }
}

impl SchedulerConfig {
    /// Every problem with these settings (an empty list: they are valid).
    pub fn problems(&self) -> Vec<ConfigError> {
        let mut problems = Vec::new();
        if let Err(problem) = check_retention(self.desired_retention) {
            problems.push(problem);
        }
        if !MAXIMUM_INTERVAL_RANGE.contains(&self.maximum_interval_days) {
            problems.push(ConfigError::MaximumInterval {
                value: self.maximum_interval_days,
            });
        }
        for step in self.learning_steps.iter().chain(&self.relearning_steps) {
            if !step.is_positive() {
                problems.push(ConfigError::Step {
                    token: format!("{}s", step.as_secs()),
                    reason: "a step must be longer than zero",
                });
            }
        }
        problems.extend(parameter_problems(&self.parameters));
        problems
    }

    pub fn validate(&self) -> Result<(), InvalidConfig> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InvalidConfig { problems })
        }
    }

    fn steps(&self) -> Steps {
        Steps {
            learning: self.learning_steps.clone(),
            relearning: self.relearning_steps.clone(),
        }
    }

    /// The FSRS-6 scheduler these settings describe (py-fsrs behaviour, as the scheduler
    /// reference vectors), whatever `algorithm` says.
    pub fn fsrs(&self) -> Result<Fsrs, InvalidConfig> {
        self.validate()?;
        Ok(Fsrs {
            w: self.parameters,
            desired_retention: self.desired_retention,
            maximum_interval_days: self.maximum_interval_days,
            steps: self.steps(),
            fuzz: self.fuzz,
            variant: Variant::PyFsrs,
        })
    }

    /// The SM-2 scheduler these settings describe, whatever `algorithm` says.
    pub fn sm2(&self) -> Result<Sm2, InvalidConfig> {
        self.validate()?;
        Ok(Sm2 {
            steps: self.steps(),
            maximum_interval_days: self.maximum_interval_days,
            fuzz: self.fuzz,
        })
    }

    /// The scheduler these settings choose.
    pub fn build(&self) -> Result<Box<dyn Scheduler>, InvalidConfig> {
        Ok(match self.algorithm {
            Algorithm::Fsrs => Box::new(self.fsrs()?),
            Algorithm::Sm2 => Box::new(self.sm2()?),
        })
    }
}

fn check_retention(value: f64) -> Result<f64, ConfigError> {
    if RETENTION_RANGE.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::Retention { value })
    }
}

/// Parses and checks a desired retention such as `"0.9"`.
pub fn parse_retention(text: &str) -> Result<f64, ConfigError> {
    let value: f64 = text.trim().parse().map_err(|_| ConfigError::NotANumber {
        what: "desired retention",
        text: text.to_owned(),
    })?;
    check_retention(value)
}

/// Parses and checks a maximum interval in days such as `"36500"`.
pub fn parse_maximum_interval(text: &str) -> Result<u32, ConfigError> {
    let value: u32 = text.trim().parse().map_err(|_| ConfigError::NotANumber {
        what: "maximum interval",
        text: text.to_owned(),
    })?;
    if MAXIMUM_INTERVAL_RANGE.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::MaximumInterval { value })
    }
}

fn parameter_problems(parameters: &[f64]) -> Vec<ConfigError> {
    if parameters.len() != PARAMETER_BOUNDS.len() {
        return vec![ConfigError::ParameterCount {
            count: parameters.len(),
        }];
    }
    parameters
        .iter()
        .zip(PARAMETER_BOUNDS)
        .enumerate()
        // `contains` is false for NaN, and the bounds are finite, so this also rejects
        // NaN and infinities.
        .filter(|(_, (value, (min, max)))| !(*min..=*max).contains(*value))
        .map(|(index, (&value, (min, max)))| ConfigError::Parameter {
            index,
            value,
            min,
            max,
        })
        .collect()
}

/// Checks 21 FSRS-6 parameters: each finite and within `PARAMETER_BOUNDS`. Reports every bad
/// one.
pub fn validate_parameters(parameters: &[f64]) -> Result<[f64; 21], InvalidConfig> {
    let problems = parameter_problems(parameters);
    if !problems.is_empty() {
        return Err(InvalidConfig { problems });
    }
    let mut w = [0.0; 21];
    w.copy_from_slice(parameters);
    Ok(w)
}

/// Parses 21 FSRS-6 parameters separated by commas and/or spaces (as Anki and the optimizer
/// print them), reporting every bad one.
pub fn parse_parameters(text: &str) -> Result<[f64; 21], InvalidConfig> {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for token in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        match token.parse::<f64>() {
            Ok(value) => values.push(value),
            Err(_) => problems.push(ConfigError::NotANumber {
                what: "FSRS parameter",
                text: token.to_owned(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(InvalidConfig { problems });
    }
    validate_parameters(&values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{CardState, Rating};

    #[track_caller]
    fn algorithm(text: &str, expected: Option<Algorithm>) {
        assert_eq!(text.parse::<Algorithm>().ok(), expected, "{text:?}");
    }

    #[test]
    fn algorithm_names_parse() {
        algorithm("fsrs", Some(Algorithm::Fsrs));
        algorithm("FSRS-6", Some(Algorithm::Fsrs));
        algorithm(" fsrs6 ", Some(Algorithm::Fsrs));
        algorithm("sm2", Some(Algorithm::Sm2));
        algorithm("SM-2", Some(Algorithm::Sm2));
        algorithm("anki", None);
        algorithm("", None);
        assert_eq!(
            "anki".parse::<Algorithm>().unwrap_err().to_string(),
            "unknown scheduler `anki`: choose `fsrs` (also `fsrs-6`) or `sm2` (also `sm-2`)"
        );
        for a in [Algorithm::Fsrs, Algorithm::Sm2] {
            assert_eq!(a.to_string().parse::<Algorithm>().unwrap(), a);
        }
    }

    #[track_caller]
    fn retention(text: &str, expected: Result<f64, &str>) {
        let got = parse_retention(text).map_err(|e| e.to_string());
        assert_eq!(got, expected.map_err(str::to_owned), "{text:?}");
    }

    #[test]
    fn retention_is_checked() {
        retention("0.9", Ok(0.9));
        retention(" 0.7", Ok(0.7));
        retention("0.99", Ok(0.99));
        retention(
            "0.995",
            Err("desired retention 0.995 is out of range: use a number from 0.7 to 0.99"),
        );
        retention(
            "0.5",
            Err("desired retention 0.5 is out of range: use a number from 0.7 to 0.99"),
        );
        retention(
            "NaN",
            Err("desired retention NaN is out of range: use a number from 0.7 to 0.99"),
        );
        retention("ninety", Err("desired retention `ninety` is not a number"));
    }

    #[test]
    fn maximum_interval_is_checked() {
        assert_eq!(parse_maximum_interval("365"), Ok(365));
        assert_eq!(
            parse_maximum_interval("0").unwrap_err().to_string(),
            "maximum interval 0 days is out of range: use 1 to 36500 days"
        );
        assert_eq!(
            parse_maximum_interval("36501"),
            Err(ConfigError::MaximumInterval { value: 36_501 })
        );
        assert!(parse_maximum_interval("-1").is_err());
    }

    #[test]
    fn default_parameters_are_within_bounds() {
        assert_eq!(
            validate_parameters(&DEFAULT_PARAMETERS),
            Ok(DEFAULT_PARAMETERS)
        );
    }

    #[test]
    fn parameters_parse_and_every_bad_one_is_reported() {
        let text = DEFAULT_PARAMETERS.map(|w| w.to_string()).join(", ");
        assert_eq!(parse_parameters(&text), Ok(DEFAULT_PARAMETERS));
        let spaced = DEFAULT_PARAMETERS.map(|w| w.to_string()).join(" ");
        assert_eq!(parse_parameters(&spaced), Ok(DEFAULT_PARAMETERS));

        assert_eq!(
            parse_parameters("1 2 3").unwrap_err().to_string(),
            "invalid scheduler settings: FSRS needs 21 parameters, got 3"
        );

        let mut bad = DEFAULT_PARAMETERS;
        bad[7] = 0.9;
        bad[20] = f64::NAN;
        bad[0] = f64::INFINITY;
        let err = validate_parameters(&bad).unwrap_err();
        assert_eq!(
            err.problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "FSRS parameter w[0] = inf is out of range: use 0.001 to 100",
                "FSRS parameter w[7] = 0.9 is out of range: use 0.001 to 0.75",
                "FSRS parameter w[20] = NaN is out of range: use 0.1 to 0.8",
            ]
        );

        let err = parse_parameters("0.2 x 1 y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid scheduler settings: FSRS parameter `x` is not a number; FSRS parameter `y` is not a number"
        );
    }

    #[test]
    fn validate_collects_every_problem() {
        let config = SchedulerConfig {
            desired_retention: 1.5,
            maximum_interval_days: 0,
            learning_steps: vec![SignedDuration::ZERO],
            parameters: {
                let mut w = DEFAULT_PARAMETERS;
                w[4] = 0.5;
                w
            },
            ..SchedulerConfig::default()
        };
        let err = config.build().err().unwrap();
        assert_eq!(err.problems.len(), 4, "{err}");
        assert_eq!(
            err.to_string(),
            "invalid scheduler settings: desired retention 1.5 is out of range: use a number from 0.7 to 0.99; \
             maximum interval 0 days is out of range: use 1 to 36500 days; \
             step `0s` is not valid: a step must be longer than zero; write steps as whole numbers with a unit, e.g. `1m 10m` (units: s, m, h, d); \
             FSRS parameter w[4] = 0.5 is out of range: use 1 to 10"
        );
    }

    #[test]
    fn build_chooses_the_algorithm() {
        let fsrs = SchedulerConfig::default().build().unwrap();
        assert_eq!(fsrs.name(), "fsrs-6");
        let sm2 = SchedulerConfig {
            algorithm: Algorithm::Sm2,
            ..SchedulerConfig::default()
        }
        .build()
        .unwrap();
        assert_eq!(sm2.name(), "sm-2");
        assert_eq!(Algorithm::Sm2.name(), sm2.name());
    }

    #[test]
    fn built_scheduler_uses_the_configured_steps() {
        let t0: jiff::Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        for algorithm in [Algorithm::Fsrs, Algorithm::Sm2] {
            let config = SchedulerConfig {
                algorithm,
                learning_steps: crate::schedule::parse_steps("30s 1h").unwrap(),
                ..SchedulerConfig::default()
            };
            let scheduler = config.build().unwrap();
            let first = scheduler.review(&CardState::new_card(), Rating::Again, t0);
            assert_eq!(
                first.due,
                Some(t0 + SignedDuration::from_secs(30)),
                "{algorithm}"
            );
            let second = scheduler.review(&first, Rating::Good, t0);
            assert_eq!(
                second.due,
                Some(t0 + SignedDuration::from_hours(1)),
                "{algorithm}"
            );
        }
    }
}
