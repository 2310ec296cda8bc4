//! The review log folded into numbers that keep: each card's state replayed under its deck's
//! scheduler with its own counts (`CardFold`), and what a deck's reviews add to each study
//! day and to the calibration bins (`Tallies`). Pure: the store keeps these (the digest
//! tables) and `refresh.rs` folds in only what changed since the last run.
//!
//! Every sum here is an integer (calibration sums are exact fixed point), so a card's share
//! can be taken out again, exactly, when its log changes underneath (undo, an older review
//! imported or synced) and the totals equal those of one pass over the whole log.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::calendar::Calendar;
use super::calibration::CalibrationBuilder;
use super::cards::review_interval_days;
use super::retention::{MATURE_DAYS, Tally};
use crate::day::Day;
use crate::schedule::{CardState, Rating, Scheduler};
use crate::store::ReviewRow;

/// A study day as a number that sorts like it: 2026-11-25 is 20261125.
pub fn day_number(date: Date) -> i32 {
    i32::from(date.year()) * 10_000 + i32::from(date.month()) * 100 + i32::from(date.day())
}

/// The date a `day_number` names.
pub fn day_date(number: i32) -> Option<Date> {
    let year = i16::try_from(number / 10_000).ok()?;
    Date::new(year, (number / 100 % 100) as i8, (number % 100) as i8).ok()
}

/// What a deck's reviews on one study day add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTally {
    pub reviews: i64,
    /// Answers graded correct or close.
    pub correct: i64,
    /// Answers rated Again.
    pub again: i64,
    /// First reviews of a card.
    pub introduced: i64,
    pub time_ms: i64,
    /// Reviews of cards in the review phase with a scheduled interval under 21 days, and
    /// how many of them passed (true retention).
    pub young: i64,
    pub young_passed: i64,
    /// The same from 21 days.
    pub mature: i64,
    pub mature_passed: i64,
}

impl DayTally {
    /// Adds `other` (`sign` 1) or takes it away (`sign` -1).
    pub fn merge(&mut self, other: &DayTally, sign: i64) {
        self.reviews += sign * other.reviews;
        self.correct += sign * other.correct;
        self.again += sign * other.again;
        self.introduced += sign * other.introduced;
        self.time_ms += sign * other.time_ms;
        self.young += sign * other.young;
        self.young_passed += sign * other.young_passed;
        self.mature += sign * other.mature;
        self.mature_passed += sign * other.mature_passed;
    }
}

/// What some reviews add to a deck's per-day totals and calibration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tallies {
    /// By `day_number`.
    pub days: BTreeMap<i32, DayTally>,
    pub calibration: CalibrationBuilder,
}

impl Tallies {
    /// Adds `other` (`sign` 1) or takes it away (`sign` -1).
    pub fn merge(&mut self, other: &Tallies, sign: i64) {
        for (day, tally) in &other.days {
            self.days.entry(*day).or_default().merge(tally, sign);
        }
        self.calibration.merge(&other.calibration, sign);
    }

    pub fn is_empty(&self) -> bool {
        self.days.values().all(|d| *d == DayTally::default()) && self.calibration.is_empty()
    }
}

/// One card's reviews folded so far: its replayed state and its own counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CardFold {
    pub state: CardState,
    /// The study day of its last review.
    pub last_day: Option<i32>,
    pub reviews: u32,
    /// Answers graded correct or close.
    pub correct: u32,
    /// Answers rated Hard, Good or Easy.
    pub recalled: u32,
    /// Reviews while in the review phase, and how many passed (true retention).
    pub retention: Tally,
}

impl CardFold {
    /// A card not yet reviewed, its fuzz seeded with `seed` (`store::card_seed`).
    pub fn new(seed: u64) -> Self {
        Self {
            state: CardState::with_fuzz_seed(seed),
            last_day: None,
            reviews: 0,
            correct: 0,
            recalled: 0,
            retention: Tally::default(),
        }
    }

    /// Folds in the card's next review (reviews must come oldest first, in the log's order),
    /// on study day `day`, adding its share to `into`.
    pub fn push(
        &mut self,
        scheduler: &dyn Scheduler,
        row: &ReviewRow,
        day: i32,
        into: &mut Tallies,
    ) {
        let recalled = row.rating != Rating::Again;
        let totals = into.days.entry(day).or_default();
        totals.reviews += 1;
        totals.correct += i64::from(row.correct);
        totals.again += i64::from(!recalled);
        totals.introduced += i64::from(self.reviews == 0);
        totals.time_ms += i64::try_from(row.response_ms).unwrap_or(i64::MAX);
        // Calibration: reviews on a later study day than the card's previous one (same-day
        // steps are not predictions of memory), when the scheduler models recall.
        if let Some(previous) = self.last_day
            && day > previous
            && let Some(p) = scheduler.retrievability(&self.state, row.at)
        {
            into.calibration.add(p, recalled);
        }
        if let Some(interval) = review_interval_days(&self.state) {
            if interval < MATURE_DAYS {
                totals.young += 1;
                totals.young_passed += i64::from(recalled);
            } else {
                totals.mature += 1;
                totals.mature_passed += i64::from(recalled);
            }
            self.retention.add(recalled);
        }
        self.reviews += 1;
        self.correct += u32::from(row.correct);
        self.recalled += u32::from(recalled);
        self.state = scheduler.review(&self.state, row.rating, row.at);
        self.last_day = Some(day);
    }
}

/// The study day of an instant, as a `day_number`: a calendar grown as needed, so a run of
/// reviews costs a binary search each, not a time-zone conversion.
pub struct DayFinder<'a> {
    tz: &'a TimeZone,
    /// The calendar and the instants it was made to cover.
    calendar: Option<(Calendar, Timestamp, Timestamp)>,
}

impl<'a> DayFinder<'a> {
    pub fn new(tz: &'a TimeZone) -> Self {
        Self { tz, calendar: None }
    }

    /// Makes the calendar cover `from` to `to` at least.
    pub fn cover(&mut self, from: Timestamp, to: Timestamp) {
        let (from, to) = match &self.calendar {
            Some((c, _, _)) if c.index(from).is_some() && c.index(to).is_some() => return,
            Some((_, first, last)) => (from.min(*first), to.max(*last)),
            None => (from, to),
        };
        self.calendar = Some((Calendar::new(from, to, self.tz), from, to));
    }

    pub fn day(&mut self, at: Timestamp) -> i32 {
        self.cover(at, at);
        let date = match &self.calendar {
            Some((calendar, _, _)) if calendar.index(at).is_some() => {
                calendar.date(calendar.index(at).unwrap_or(0))
            }
            _ => Day::containing(at, self.tz).date,
        };
        day_number(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Fsrs;

    fn row(at: &str, rating: Rating) -> ReviewRow {
        ReviewRow {
            card: 1,
            at: at.parse().unwrap(),
            rating,
            correct: rating != Rating::Again,
            response_ms: 1500,
        }
    }

    #[test]
    fn day_numbers_sort_like_dates_and_name_them_back() {
        for date in ["2026-11-25", "1999-01-01", "2026-12-31"] {
            let d: Date = date.parse().unwrap();
            assert_eq!(day_date(day_number(d)), Some(d));
        }
        let a = day_number("2026-01-31".parse().unwrap());
        let b = day_number("2026-02-01".parse().unwrap());
        assert!(a < b);
        assert_eq!(day_date(20_261_340), None);
    }

    #[test]
    fn a_fold_continued_later_equals_one_fold_and_can_be_taken_back() {
        let scheduler = Fsrs::default();
        let tz = TimeZone::UTC;
        let rows = [
            row("2026-01-01T10:00:00Z", Rating::Good),
            row("2026-01-01T10:10:00Z", Rating::Good),
            row("2026-01-04T10:00:00Z", Rating::Again),
            row("2026-01-04T10:10:00Z", Rating::Good),
            row("2026-01-09T10:00:00Z", Rating::Easy),
            row("2026-02-20T10:00:00Z", Rating::Hard),
        ];
        let mut days = DayFinder::new(&tz);
        let mut whole = CardFold::new(7);
        let mut all = Tallies::default();
        for r in &rows {
            whole.push(&scheduler, r, days.day(r.at), &mut all);
        }
        let (mut split, mut parts) = (CardFold::new(7), Tallies::default());
        let mut later = Tallies::default();
        for r in &rows[..3] {
            split.push(&scheduler, r, days.day(r.at), &mut parts);
        }
        let mut resumed = split.clone();
        resumed.state =
            serde_json::from_str(&serde_json::to_string(&split.state).unwrap()).unwrap();
        for r in &rows[3..] {
            resumed.push(&scheduler, r, days.day(r.at), &mut later);
        }
        parts.merge(&later, 1);
        assert_eq!(resumed, whole);
        assert_eq!(parts, all);
        assert_eq!(all.days[&20_260_101].reviews, 2);
        assert_eq!(all.days[&20_260_101].introduced, 1);
        assert_eq!(all.days[&20_260_104].again, 1);
        // Predictions: the first review of 01-04 (a later day than 01-01), 01-09, 02-20.
        assert_eq!(all.calibration.finish().count, 3);
        parts.merge(&all, -1);
        assert!(parts.is_empty());
    }
}
