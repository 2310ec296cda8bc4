//! The learner's day: "today" runs from 4 am to 4 am local time, as in Anki, so a session
//! after midnight still counts for the evening it belongs to. Pure: the time zone is given.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, civil};

/// The hour at which a new study day begins.
pub const ROLLOVER_HOUR: i8 = 4;

/// One study day, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub start: Timestamp,
    pub end: Timestamp,
    /// The calendar date the day is named after.
    pub date: civil::Date,
}

impl Day {
    /// The study day that contains `now` in `tz`.
    pub fn containing(now: Timestamp, tz: &TimeZone) -> Self {
        let shifted = now.to_zoned_datetime(tz.clone());
        let date = shifted
            .checked_sub(SignedDuration::from_hours(i64::from(ROLLOVER_HOUR)))
            .map_or_else(|_| shifted.date(), |z| z.date());
        Self::of(date, tz)
    }

    /// The study day named `date`.
    pub fn of(date: civil::Date, tz: &TimeZone) -> Self {
        let start = rollover(date, tz);
        let end = date
            .tomorrow()
            .map_or(Timestamp::MAX, |next| rollover(next, tz));
        Self { start, end, date }
    }

    /// The day after this one.
    #[must_use]
    pub fn next(&self, tz: &TimeZone) -> Self {
        self.date
            .tomorrow()
            .map_or(*self, |date| Self::of(date, tz))
    }
}

fn rollover(date: civil::Date, tz: &TimeZone) -> Timestamp {
    date.at(ROLLOVER_HOUR, 0, 0, 0)
        .to_zoned_datetime(tz.clone())
        .map_or(Timestamp::MAX, |z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn day_runs_from_four_to_four() {
        let tz = TimeZone::UTC;
        let day = Day::containing(t("2026-03-10T09:00:00Z"), &tz);
        assert_eq!(day.start, t("2026-03-10T04:00:00Z"));
        assert_eq!(day.end, t("2026-03-11T04:00:00Z"));
        let late = Day::containing(t("2026-03-11T02:30:00Z"), &tz);
        assert_eq!(late, day);
        assert_eq!(day.next(&tz).start, day.end);
    }

    #[test]
    fn day_follows_the_time_zone() {
        let tz = TimeZone::fixed(jiff::tz::offset(2));
        let day = Day::containing(t("2026-03-10T01:00:00Z"), &tz);
        // 03:00 local is still the day before.
        assert_eq!(day.start, t("2026-03-09T02:00:00Z"));
    }
}
