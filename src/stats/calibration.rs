//! Calibration: does the scheduler's predicted recall match what the learner actually
//! recalled? Each prediction (the retrievability just before a review) goes into one of ten
//! equal-width bins; each bin compares its mean prediction with its pass rate. Pure.

use serde::Serialize;

/// Number of equal-width bins over [0, 1].
pub const BINS: usize = 10;

/// Predictions clamped to this before the log loss, so one confident miss is finite.
const EPSILON: f64 = 1e-6;

/// Sums are kept in fixed point (units of 2^-64): integer addition is exact and does not
/// depend on order, so totals folded a card at a time, added to and taken from as the log
/// changes (`digest.rs`), equal the totals of one pass over the whole log, bit for bit.
const SCALE: f64 = 18_446_744_073_709_551_616.0;

fn fixed(x: f64) -> i128 {
    (x * SCALE).round() as i128
}

fn float(x: i128) -> f64 {
    x as f64 / SCALE
}

/// One bin's sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BinSum {
    pub count: i64,
    pub passed: i64,
    /// Sum of the predictions, in units of 2^-64.
    pub predicted: i128,
    /// Sum of the negative log-likelihoods of the outcomes, in units of 2^-64.
    pub log_loss: i128,
}

impl BinSum {
    /// Adds `other` (`sign` 1) or takes it away (`sign` -1).
    pub fn merge(&mut self, other: &BinSum, sign: i64) {
        self.count += sign * other.count;
        self.passed += sign * other.passed;
        self.predicted += i128::from(sign) * other.predicted;
        self.log_loss += i128::from(sign) * other.log_loss;
    }
}

/// Accumulates (prediction, outcome) pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalibrationBuilder {
    pub bins: [BinSum; BINS],
}

impl CalibrationBuilder {
    /// One review: `predicted` recall probability, and whether it was recalled.
    pub fn add(&mut self, predicted: f64, recalled: bool) {
        if !predicted.is_finite() {
            return;
        }
        let p = predicted.clamp(0.0, 1.0);
        let bin = &mut self.bins[((p * BINS as f64) as usize).min(BINS - 1)];
        bin.count += 1;
        bin.predicted += fixed(p);
        let p = p.clamp(EPSILON, 1.0 - EPSILON);
        if recalled {
            bin.passed += 1;
            bin.log_loss += fixed(-p.ln());
        } else {
            bin.log_loss += fixed(-(1.0 - p).ln());
        }
    }

    /// Adds `other`'s pairs (`sign` 1) or takes them away (`sign` -1).
    pub fn merge(&mut self, other: &CalibrationBuilder, sign: i64) {
        for (bin, o) in self.bins.iter_mut().zip(&other.bins) {
            bin.merge(o, sign);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bins.iter().all(|b| *b == BinSum::default())
    }

    pub fn finish(&self) -> Calibration {
        let count_of = |n: i64| u32::try_from(n).unwrap_or(0);
        let bins: Vec<Bin> = self
            .bins
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let n = count_of(b.count);
                Bin {
                    from: i as f64 / BINS as f64,
                    to: (i + 1) as f64 / BINS as f64,
                    count: n,
                    passed: count_of(b.passed),
                    mean_predicted: (n > 0).then(|| float(b.predicted) / f64::from(n)),
                    actual: (n > 0).then(|| f64::from(count_of(b.passed)) / f64::from(n)),
                }
            })
            .collect();
        let count: u32 = bins.iter().map(|b| b.count).sum();
        let passed: u32 = bins.iter().map(|b| b.passed).sum();
        let total = f64::from(count);
        let squared: f64 = bins
            .iter()
            .filter_map(|b| Some(f64::from(b.count) * (b.mean_predicted? - b.actual?).powi(2)))
            .sum();
        let predicted: i128 = self.bins.iter().map(|b| b.predicted).sum();
        let log_loss: i128 = self.bins.iter().map(|b| b.log_loss).sum();
        Calibration {
            count,
            passed,
            mean_predicted: (count > 0).then(|| float(predicted) / total),
            actual: (count > 0).then(|| f64::from(passed) / total),
            log_loss: (count > 0).then(|| float(log_loss) / total),
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
    fn sums_do_not_depend_on_order_and_can_be_taken_back() {
        let pairs: Vec<(f64, bool)> = (0..500)
            .map(|i| ((f64::from(i) * 0.618_033_988_7).fract(), i % 3 != 0))
            .collect();
        let mut forward = CalibrationBuilder::default();
        let mut backward = CalibrationBuilder::default();
        for &(p, r) in &pairs {
            forward.add(p, r);
        }
        for &(p, r) in pairs.iter().rev() {
            backward.add(p, r);
        }
        assert_eq!(forward, backward);
        assert_eq!(forward.finish(), backward.finish());
        // Adding a part and taking it away again leaves the sums as they were.
        let mut part = CalibrationBuilder::default();
        for &(p, r) in &pairs[..100] {
            part.add(p, r);
        }
        let mut changed = forward.clone();
        changed.merge(&part, 1);
        changed.merge(&part, -1);
        assert_eq!(changed, forward);
        // Rounding each prediction to 2^-64 moves a mean by far less than f64 shows.
        let naive: f64 = pairs.iter().map(|p| p.0).sum::<f64>() / 500.0;
        assert!((forward.finish().mean_predicted.unwrap() - naive).abs() < 1e-15);
    }

    #[test]
    fn nothing_to_calibrate_gives_empty_bins() {
        let cal = CalibrationBuilder::default().finish();
        assert_eq!(cal.count, 0);
        assert_eq!(cal.bins.len(), BINS);
        assert!(cal.log_loss.is_none() && cal.rmse_bins.is_none());
    }
}
