//! How well predicted recall probabilities match what happened, with the metrics of the
//! public srs-benchmark: log loss, RMSE(bins) and AUC. Pure functions of the predictions.

use std::collections::HashMap;

use super::model::P_MIN;

/// One predicted review: the probability of recall the model gave, whether the card was
/// recalled, and its RMSE bin (`bin`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub p: f64,
    pub recalled: bool,
    pub bin: Bin,
}

/// The bin of srs-benchmark's RMSE(bins): interval, review count and lapse count, each
/// rounded onto a geometric grid (kept here in hundredths, as integers, to be hashable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bin {
    pub interval: i64,
    pub reviews: i64,
    pub lapses: i64,
}

impl Bin {
    /// The bin of a review `delta_t` days after the previous one, with `long_term_reviews`
    /// reviews on a later day than their predecessor so far, this one included, and `lapses`
    /// Again answers among the earlier ones.
    pub fn new(delta_t: u32, long_term_reviews: usize, lapses: usize) -> Self {
        // a * b^floor(log_b x): x rounded down onto a geometric grid.
        let grid = |x: f64, a: f64, b: f64| a * b.powf(x.log(b).floor());
        let interval = (grid(f64::from(delta_t), 2.48, 3.62) * 100.0).round();
        let reviews = grid(long_term_reviews as f64 + 1.0, 1.99, 1.89).round();
        let lapses = if lapses == 0 {
            0.0
        } else {
            grid(lapses as f64, 1.65, 1.73).round()
        };
        Self {
            interval: interval as i64,
            reviews: reviews as i64,
            lapses: lapses as i64,
        }
    }
}

/// The three numbers, over a set of predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Mean binary cross-entropy (natural log), predictions kept in `[1e-7, 1 - 1e-7]`.
    pub log_loss: f64,
    /// Root mean squared difference between mean recall and mean prediction per bin,
    /// weighted by the bin's size.
    pub rmse_bins: f64,
    /// Area under the ROC curve (ties count half); `None` when every review had the same
    /// outcome.
    pub auc: Option<f64>,
    pub count: usize,
}

impl Metrics {
    /// `None` for no predictions.
    pub fn of(scored: &[Scored]) -> Option<Self> {
        if scored.is_empty() {
            return None;
        }
        Some(Self {
            log_loss: log_loss(scored),
            rmse_bins: rmse_bins(scored),
            auc: auc(scored),
            count: scored.len(),
        })
    }
}

pub fn log_loss(scored: &[Scored]) -> f64 {
    let total: f64 = scored
        .iter()
        .map(|s| {
            let p = s.p.clamp(P_MIN, 1.0 - P_MIN);
            -if s.recalled { p.ln() } else { (1.0 - p).ln() }
        })
        .sum();
    total / scored.len() as f64
}

pub fn rmse_bins(scored: &[Scored]) -> f64 {
    // Per bin: (count, sum of outcomes, sum of predictions).
    let mut bins: HashMap<Bin, (f64, f64, f64)> = HashMap::new();
    for s in scored {
        let entry = bins.entry(s.bin).or_default();
        entry.0 += 1.0;
        entry.1 += f64::from(u8::from(s.recalled));
        entry.2 += s.p;
    }
    let (mut squares, mut total) = (0.0, 0.0);
    for (n, recalled, predicted) in bins.into_values() {
        squares += n * ((recalled - predicted) / n).powi(2);
        total += n;
    }
    (squares / total).sqrt()
}

/// Mann-Whitney: the probability that a recalled review got a higher prediction than a
/// forgotten one, ties counting half.
pub fn auc(scored: &[Scored]) -> Option<f64> {
    let positives = scored.iter().filter(|s| s.recalled).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<&Scored> = scored.iter().collect();
    order.sort_by(|a, b| a.p.total_cmp(&b.p));
    // Sum of the (1-based, tie-averaged) ranks of the recalled reviews.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j < order.len() && order[j].p.total_cmp(&order[i].p).is_eq() {
            j += 1;
        }
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        let recalled = order[i..j].iter().filter(|s| s.recalled).count();
        rank_sum += mean_rank * recalled as f64;
        i = j;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(p: f64, recalled: bool, bin: i64) -> Scored {
        Scored {
            p,
            recalled,
            bin: Bin {
                interval: bin,
                reviews: 0,
                lapses: 0,
            },
        }
    }

    #[test]
    fn log_loss_by_hand() {
        // -(ln 0.8 + ln 0.5 + ln(1 - 0.25)) / 3 = 0.40132...
        let s = [
            scored(0.8, true, 0),
            scored(0.5, true, 0),
            scored(0.25, false, 0),
        ];
        let want = -(0.8f64.ln() + 0.5f64.ln() + 0.75f64.ln()) / 3.0;
        assert!((log_loss(&s) - want).abs() < 1e-15);
        assert!((want - 0.401_324).abs() < 1e-6);
    }

    #[test]
    fn rmse_bins_by_hand() {
        // Bin 1: outcomes 1, 0 (mean 0.5), predictions 0.9, 0.7 (mean 0.8): error 0.3.
        // Bin 2: outcome 1, prediction 0.6: error 0.4.
        // sqrt((2 * 0.09 + 1 * 0.16) / 3) = sqrt(0.34 / 3) = 0.33665...
        let s = [
            scored(0.9, true, 1),
            scored(0.7, false, 1),
            scored(0.6, true, 2),
        ];
        assert!((rmse_bins(&s) - (0.34f64 / 3.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn auc_by_hand() {
        // Positives 0.9, 0.5; negatives 0.5, 0.2. Pairs: (0.9 > 0.5) 1, (0.9 > 0.2) 1,
        // (0.5 = 0.5) 1/2, (0.5 > 0.2) 1: 3.5 of 4.
        let s = [
            scored(0.9, true, 0),
            scored(0.5, true, 0),
            scored(0.5, false, 0),
            scored(0.2, false, 0),
        ];
        assert_eq!(auc(&s), Some(0.875));
        assert_eq!(auc(&s[..2]), None);
        let reversed = [scored(0.1, true, 0), scored(0.9, false, 0)];
        assert_eq!(auc(&reversed), Some(0.0));
    }

    #[test]
    fn bins_follow_the_benchmark_grid() {
        // delta_t 1: 2.48 * 3.62^0 = 2.48; 3: still 2.48; 4: 2.48 * 3.62 = 8.9776 -> 8.98.
        assert_eq!(Bin::new(1, 1, 0).interval, 248);
        assert_eq!(Bin::new(3, 1, 0).interval, 248);
        assert_eq!(Bin::new(4, 1, 0).interval, 898);
        // n = 1 + 1 = 2: 1.99 * 1.89^1 = 3.76 -> 4; n = 3: still 4; n = 4: 1.99 * 1.89^2 -> 7.
        assert_eq!(Bin::new(1, 1, 0).reviews, 4);
        assert_eq!(Bin::new(1, 2, 0).reviews, 4);
        assert_eq!(Bin::new(1, 3, 0).reviews, 7);
        // Lapses: 0 -> 0; 1 -> 1.65 -> 2; 2 -> 1.65 * 1.73 = 2.85 -> 3.
        assert_eq!(Bin::new(1, 1, 0).lapses, 0);
        assert_eq!(Bin::new(1, 1, 1).lapses, 2);
        assert_eq!(Bin::new(1, 1, 2).lapses, 3);
    }
}
