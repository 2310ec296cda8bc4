//! Study days as numbers: a `Calendar` maps an instant to the index of the 4 am study day
//! (`day.rs`) that contains it, so per-day reports are arrays. Streaks and the year's heatmap
//! are computed here from per-day totals. Pure: the time zone is given.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

use crate::day::Day;

/// Consecutive study days from the one containing `from` to the one containing `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    first: Date,
    /// `starts[i]` is the start of day `i`; the last entry is the end of the last day.
    starts: Vec<Timestamp>,
}

impl Calendar {
    pub fn new(from: Timestamp, to: Timestamp, tz: &TimeZone) -> Self {
        let mut day = Day::containing(from.min(to), tz);
        let last = Day::containing(to.max(from), tz);
        let first = day.date;
        let mut starts = vec![day.start];
        while day.date < last.date {
            let next = day.next(tz);
            if next == day {
                break;
            }
            day = next;
            starts.push(day.start);
        }
        starts.push(day.end);
        Self { first, starts }
    }

    /// Number of days covered.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index of the day containing `at`, if the calendar covers it.
    pub fn index(&self, at: Timestamp) -> Option<usize> {
        if at < self.starts[0] || at >= self.starts[self.starts.len() - 1] {
            return None;
        }
        Some(self.starts.partition_point(|s| *s <= at) - 1)
    }

    /// The index of the day named `date`, if the calendar covers it.
    pub fn index_of_date(&self, date: Date) -> Option<usize> {
        let days = self.first.until(date).ok()?.get_days();
        usize::try_from(days).ok().filter(|&i| i < self.len())
    }

    /// The date that names day `index`.
    pub fn date(&self, index: usize) -> Date {
        self.first
            .checked_add((index as i64).days())
            .unwrap_or(self.first)
    }

    /// The end of day `index` (the start of the next one).
    pub fn end(&self, index: usize) -> Timestamp {
        self.starts[(index + 1).min(self.starts.len() - 1)]
    }
}

/// What happened on one study day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DayTotals {
    pub reviews: u32,
    /// Answers graded correct or close.
    pub correct: u32,
    /// Answers rated Again.
    pub again: u32,
    /// Cards seen for the first time.
    pub introduced: u32,
    /// Time spent answering, in milliseconds.
    pub time_ms: u64,
}

impl DayTotals {
    pub fn add(&mut self, other: &DayTotals) {
        self.reviews += other.reviews;
        self.correct += other.correct;
        self.again += other.again;
        self.introduced += other.introduced;
        self.time_ms += other.time_ms;
    }
}

/// Days in a row with at least one review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// The run that ends today, or yesterday when today has no review yet (the streak is
    /// still alive until today ends).
    pub current: u32,
    pub longest: u32,
    /// Days with at least one review, ever.
    pub days_studied: u32,
}

impl Streak {
    /// `reviews[i]` is the number of reviews on day `i`; `today` is today's index.
    pub fn of(reviews: &[u32], today: usize) -> Self {
        let mut longest = 0;
        let mut run = 0;
        let mut days_studied = 0;
        for &n in reviews {
            if n > 0 {
                run += 1;
                days_studied += 1;
                longest = longest.max(run);
            } else {
                run = 0;
            }
        }
        let studied = |i: usize| reviews.get(i).is_some_and(|&n| n > 0);
        let mut end = today;
        if !studied(end) {
            end = end.wrapping_sub(1);
        }
        let mut current = 0;
        let mut i = end;
        while i < reviews.len() && studied(i) {
            current += 1;
            if i == 0 {
                break;
            }
            i -= 1;
        }
        Self {
            current,
            longest,
            days_studied,
        }
    }
}

/// Reviews per day over the last year, laid out in weeks (Monday first) for a heatmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heatmap {
    /// A Monday: the first day of the first week shown.
    pub start: Date,
    /// Today, the last day with a count.
    pub today: Date,
    /// Reviews per day from `start` to `today`, inclusive.
    pub reviews: Vec<u32>,
}

/// Days in the heatmap before the current week: 52 full weeks.
const HEATMAP_WEEKS: i64 = 52;

impl Heatmap {
    /// The last 52 weeks and the current one, from per-day totals indexed like `calendar`.
    pub fn of(calendar: &Calendar, reviews: &[u32], today: usize) -> Self {
        let today_date = calendar.date(today);
        let back = HEATMAP_WEEKS * 7 + i64::from(today_date.weekday().to_monday_zero_offset());
        let first = today as i64 - back;
        let counts = (first..=today as i64)
            .map(|i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| reviews.get(i))
                    .copied()
                    .unwrap_or(0)
            })
            .collect();
        Self {
            start: today_date.checked_sub(back.days()).unwrap_or(today_date),
            today: today_date,
            reviews: counts,
        }
    }

    /// Number of week columns.
    pub fn weeks(&self) -> usize {
        self.reviews.len().div_ceil(7)
    }

    /// Reviews on `weekday` of week `week`, `None` after today.
    pub fn get(&self, week: usize, weekday: Weekday) -> Option<u32> {
        let i = week * 7 + weekday.to_monday_zero_offset() as usize;
        self.reviews.get(i).copied()
    }

    /// The date of the Monday of week `week`.
    pub fn monday(&self, week: usize) -> Date {
        self.start
            .checked_add((week as i64 * 7).days())
            .unwrap_or(self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn days_are_numbered_from_four_am() {
        let tz = TimeZone::UTC;
        let cal = Calendar::new(t("2026-03-01T05:00:00Z"), t("2026-03-04T12:00:00Z"), &tz);
        assert_eq!(cal.len(), 4);
        assert_eq!(cal.index(t("2026-03-01T04:00:00Z")), Some(0));
        assert_eq!(cal.index(t("2026-03-02T03:59:59Z")), Some(0));
        assert_eq!(cal.index(t("2026-03-02T04:00:00Z")), Some(1));
        assert_eq!(cal.index(t("2026-03-05T03:59:59Z")), Some(3));
        assert_eq!(cal.index(t("2026-03-05T04:00:00Z")), None);
        assert_eq!(cal.index(t("2026-03-01T03:00:00Z")), None);
        assert_eq!(cal.date(2).to_string(), "2026-03-03");
        assert_eq!(cal.end(0), t("2026-03-02T04:00:00Z"));
    }

    #[test]
    fn days_follow_daylight_saving_time() {
        let tz = TimeZone::get("Europe/London").unwrap();
        // Clocks go forward on 2026-03-29: that study day is 23 hours long.
        let cal = Calendar::new(t("2026-03-28T12:00:00Z"), t("2026-03-30T12:00:00Z"), &tz);
        assert_eq!(cal.len(), 3);
        assert_eq!(cal.index(t("2026-03-30T02:59:59Z")), Some(1));
        assert_eq!(cal.index(t("2026-03-30T03:00:00Z")), Some(2));
    }

    #[track_caller]
    fn streak(days: &[u32], today: usize, current: u32, longest: u32) {
        let s = Streak::of(days, today);
        assert_eq!((s.current, s.longest), (current, longest), "{days:?}");
    }

    #[test]
    fn streak_counts_back_from_today_or_yesterday() {
        streak(&[1, 1, 0, 2, 3, 1], 5, 3, 3);
        // Nothing yet today: the run up to yesterday still counts.
        streak(&[1, 1, 0, 2, 3, 0], 5, 2, 2);
        // Nothing yesterday or today: broken.
        streak(&[1, 1, 1, 1, 0, 0], 5, 0, 4);
        streak(&[4], 0, 1, 1);
        streak(&[0], 0, 0, 0);
        streak(&[], 0, 0, 0);
    }

    #[test]
    fn heatmap_starts_on_a_monday_a_year_back() {
        let tz = TimeZone::UTC;
        // 2026-01-15 is a Thursday.
        let cal = Calendar::new(t("2025-01-01T12:00:00Z"), t("2026-01-15T12:00:00Z"), &tz);
        let today = cal.index(t("2026-01-15T12:00:00Z")).unwrap();
        let mut reviews = vec![0; cal.len()];
        reviews[today] = 5;
        reviews[today - 7] = 2;
        let map = Heatmap::of(&cal, &reviews, today);
        assert_eq!(map.start.weekday(), Weekday::Monday);
        assert_eq!(map.start.to_string(), "2025-01-13");
        assert_eq!(map.weeks(), 53);
        assert_eq!(map.get(52, Weekday::Thursday), Some(5));
        assert_eq!(map.get(51, Weekday::Thursday), Some(2));
        assert_eq!(map.get(52, Weekday::Friday), None);
        assert_eq!(map.monday(52).to_string(), "2026-01-12");
    }
}
