//! Calibration: does the scheduler's predicted recall match what the learner actually
//! recalled? Each prediction (the retrievability just before a review) goes into one of ten
//! equal-width bins; each bin compares its mean prediction with its pass rate. Pure.

use serde::Serialize;

/// Number of equal-width bins over [0, 1].
pub const BINS: usize = 10;

/// Predictions clamped to this before the log loss, so one confident miss is finite.
const EPSILON: f64 = 1e-6;

/// Accumulates (prediction, outcome) pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalibrationBuilder {
    count: [u32; BINS],
    predicted: [f64; BINS],
    passed: [u32; BINS],
    log_loss: f64,
}

impl CalibrationBuilder {
    /// One review: `predicted` recall probability, and whether it was recalled.
    pub fn add(&mut self, predicted: f64, recalled: bool) {
        if !predicted.is_finite() {
            return;
        }
        let p = predicted.clamp(0.0, 1.0);
        let bin = ((p * BINS as f64) as usize).min(BINS - 1);
        self.count[bin] += 1;
        self.predicted[bin] += p;
        let p = p.clamp(EPSILON, 1.0 - EPSILON);
        if recalled {
            self.passed[bin] += 1;
            self.log_loss -= p.ln();
        } else {
            self.log_loss -= (1.0 - p).ln();
        }
    }

    pub fn finish(&self) -> Calibration {
        let bins: Vec<Bin> = (0..BINS)
            .map(|i| {
                let n = self.count[i];
                Bin {
                    from: i as f64 / BINS as f64,
                    to: (i + 1) as f64 / BINS as f64,
                    count: n,
                    passed: self.passed[i],
                    mean_predicted: (n > 0).then(|| self.predicted[i] / f64::from(n)),
                    actual: (n > 0).then(|| f64::from(self.passed[i]) / f64::from(n)),
                }
            })
            .collect();
        let count: u32 = self.count.iter().sum();
        let passed: u32 = self.passed.iter().sum();
        let total = f64::from(count);
        let squared: f64 = bins
            .iter()
            .filter_map(|b| Some(f64::from(b.count) * (b.mean_predicted? - b.actual?).powi(2)))
            .sum();
        Calibration {
            count,
            passed,
            mean_predicted: (count > 0).then(|| self.predicted.iter().sum::<f64>() / total),
            actual: (count > 0).then(|| f64::from(passed) / total),
            log_loss: (count > 0).then(|| self.log_loss / total),
            rmse_bins: (count > 0).then(|| (squared / total).sqrt()),
            bins,
        }
    }
}

/// One bin of predictions: `[from, to)` (the last bin includes 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: u32,
    pub passed: u32,
    pub mean_predicted: Option<f64>,
    /// Share of these reviews that were recalled (rating Hard, Good or Easy).
    pub actual: Option<f64>,
}

/// Predicted against actual recall, in bins and overall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub count: u32,
    pub passed: u32,
    pub mean_predicted: Option<f64>,
    pub actual: Option<f64>,
    /// Mean negative log-likelihood of the outcomes (lower is better; 0.325 is what always
    /// predicting 90 % scores on a 90 % pass rate).
    pub log_loss: Option<f64>,
    /// Root mean square of (mean prediction - pass rate) over bins, weighted by count.
    pub rmse_bins: Option<f64>,
    pub bins: Vec<Bin>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn predictions_land_in_their_bins_with_hand_computed_metrics() {
        let mut c = CalibrationBuilder::default();
        // Bin 9: 0.9 and 1.0 (the top edge belongs to the last bin): one pass, one miss.
        c.add(0.9, true);
        c.add(1.0, false);
        // Bin 5: 0.5 twice, both recalled.
        c.add(0.5, true);
        c.add(0.55, true);
        let cal = c.finish();
        assert_eq!(cal.count, 4);
        assert_eq!(cal.passed, 3);
        let top = &cal.bins[9];
        assert_eq!((top.count, top.passed), (2, 1));
        close(top.mean_predicted, 0.95);
        close(top.actual, 0.5);
        let mid = &cal.bins[5];
        assert_eq!((mid.count, mid.passed), (2, 2));
        close(mid.mean_predicted, 0.525);
        assert!(cal.bins[0].mean_predicted.is_none());
        close(cal.mean_predicted, (0.9 + 1.0 + 0.5 + 0.55) / 4.0);
        close(cal.actual, 0.75);
        // RMSE: sqrt((2 * 0.45^2 + 2 * 0.475^2) / 4).
        close(
            cal.rmse_bins,
            ((2.0 * 0.45f64.powi(2) + 2.0 * 0.475f64.powi(2)) / 4.0).sqrt(),
        );
        // Log loss: -(ln 0.9 + ln(1e-6) + ln 0.5 + ln 0.55) / 4; 1.0 is clamped to 1 - 1e-6.
        let expected = -(0.9f64.ln() + EPSILON.ln() + 0.5f64.ln() + 0.55f64.ln()) / 4.0;
        close(cal.log_loss, expected);
    }

    #[test]
    fn nothing_to_calibrate_gives_empty_bins() {
        let cal = CalibrationBuilder::default().finish();
        assert_eq!(cal.count, 0);
        assert_eq!(cal.bins.len(), BINS);
        assert!(cal.log_loss.is_none() && cal.rmse_bins.is_none());
    }
}
