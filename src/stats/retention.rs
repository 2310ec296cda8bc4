//! True retention, as Anki's table defines it: of the reviews of cards that were in the
//! review phase (not learning or relearning steps), the share that were recalled (rated
//! Hard, Good or Easy). Split by the card's scheduled interval before the review: young
//! under 21 days, mature from 21 days. Pure.

use serde::Serialize;

/// Intervals from this many days are mature (Anki's threshold).
pub const MATURE_DAYS: f64 = 21.0;

/// The windows, in study days ending today (today included).
pub const WINDOWS: [u32; 3] = [7, 30, 365];

/// Passed out of reviewed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub reviews: u32,
    pub passed: u32,
}

impl Tally {
    pub fn add(&mut self, passed: bool) {
        self.reviews += 1;
        self.passed += u32::from(passed);
    }

    /// Adds another tally's counts.
    pub fn add_tally(&mut self, other: Tally) {
        self.reviews += other.reviews;
        self.passed += other.passed;
    }

    pub fn rate(&self) -> Option<f64> {
        (self.reviews > 0).then(|| f64::from(self.passed) / f64::from(self.reviews))
    }
}

/// True retention over one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Window {
    pub days: u32,
    pub young: Tally,
    pub mature: Tally,
    pub all: Tally,
}

/// True retention over the last 7, 30 and 365 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrueRetention {
    pub windows: Vec<Window>,
}

impl Default for TrueRetention {
    fn default() -> Self {
        Self {
            windows: WINDOWS
                .iter()
                .map(|&days| Window {
                    days,
                    ..Window::default()
                })
                .collect(),
        }
    }
}

impl TrueRetention {
    /// A review of a card in the review phase, `days_ago` study days before today (0 =
    /// today), whose scheduled interval was `interval_days`.
    pub fn add(&mut self, days_ago: u32, interval_days: f64, passed: bool) {
        for window in &mut self.windows {
            if days_ago < window.days {
                if interval_days < MATURE_DAYS {
                    window.young.add(passed);
                } else {
                    window.mature.add(passed);
                }
                window.all.add(passed);
            }
        }
    }

    /// The reviews of one study day, `days_ago` before today, already split into young
    /// and mature (as `add` splits them one at a time).
    pub fn add_day(&mut self, days_ago: u32, young: Tally, mature: Tally) {
        for window in &mut self.windows {
            if days_ago < window.days {
                window.young.add_tally(young);
                window.mature.add_tally(mature);
                window.all.add_tally(young);
                window.all.add_tally(mature);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_count_in_every_window_that_holds_them() {
        let mut r = TrueRetention::default();
        r.add(0, 3.0, true); // today, young
        r.add(6, 21.0, false); // 7th day back, mature (21 is mature)
        r.add(7, 20.9, true); // 8th day back: not in the 7-day window
        r.add(364, 100.0, true);
        r.add(365, 100.0, true); // outside every window
        let w7 = r.windows[0];
        assert_eq!((w7.young.reviews, w7.young.passed), (1, 1));
        assert_eq!((w7.mature.reviews, w7.mature.passed), (1, 0));
        assert_eq!(w7.all.rate(), Some(0.5));
        let w30 = r.windows[1];
        assert_eq!((w30.young.reviews, w30.mature.reviews), (2, 1));
        let w365 = r.windows[2];
        assert_eq!((w365.all.reviews, w365.all.passed), (4, 3));
        assert_eq!(w365.mature.rate(), Some(0.5));
        assert_eq!(Tally::default().rate(), None);
    }
}
