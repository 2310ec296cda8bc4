//! Dates as articles give them: a year, a month or a day, a span of two of those, and, when
//! the text hedges, several alternatives. Written `1921`, `1921-07`, `1921-07-15`,
//! `1933/1938`; alternatives as a YAML list.

use std::fmt;

/// English month names, lower case, January first: how dates are written in articles and
/// typed by learners (extraction and grading both read them).
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A year with an optional month and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Point {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Point {
    pub fn year(year: u16) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    /// Whether `self` agrees with `gold` at the gold's precision: a gold year matches any
    /// month of that year, a gold month any day of it.
    pub fn matches_at(&self, gold: &Point) -> bool {
        self.year == gold.year
            && gold.month.is_none_or(|m| self.month == Some(m))
            && gold.day.is_none_or(|d| self.day == Some(d))
    }

    /// The first day this point may stand for, as (year, month, day): a year starts on 1
    /// January, a month on its first day. Comparable with `latest`.
    pub fn earliest(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this point may stand for: a year ends on 31 December, a month on (at
    /// most) its 31st.
    pub fn latest(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(12), self.day.unwrap_or(31))
    }

    fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.split('-');
        let year = parts.next().unwrap_or("");
        let year = parse_num(year, 4, "year", text)?;
        if year == 0 {
            return Err(format!("`{text}` has year 0"));
        }
        let month = parts
            .next()
            .map(|m| parse_num(m, 2, "month", text))
            .transpose()?;
        let day = parts
            .next()
            .map(|d| parse_num(d, 2, "day", text))
            .transpose()?;
        if parts.next().is_some() {
            return Err(format!("`{text}` has too many parts"));
        }
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return Err(format!("`{text}` has a month outside 01-12"));
        }
        if day.is_some_and(|d| !(1..=31).contains(&d)) {
            return Err(format!("`{text}` has a day outside 01-31"));
        }
        Ok(Self {
            year,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }
}

fn parse_num(part: &str, digits: usize, what: &str, text: &str) -> Result<u16, String> {
    if part.len() != digits || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{text}` is not a date: the {what} must have {digits} digits"
        ));
    }
    part.parse()
        .map_err(|_| format!("`{text}` is not a date: bad {what}"))
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// A point in time or a span between two points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub start: Point,
    pub end: Option<Point>,
}

impl Date {
    pub fn point(start: Point) -> Self {
        Self { start, end: None }
    }

    pub fn span(start: Point, end: Point) -> Self {
        Self {
            start,
            end: Some(end),
        }
    }

    /// `1921`, `1921-07`, `1921-07-15`, or two of those joined by `/` for a span.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text.split_once('/') {
            None => Ok(Self::point(Point::parse(text)?)),
            Some((a, b)) => {
                let (start, end) = (Point::parse(a.trim())?, Point::parse(b.trim())?);
                if end < start {
                    return Err(format!("`{text}` ends before it starts"));
                }
                Ok(Self::span(start, end))
            }
        }
    }

    /// The first day the date may stand for (see `Point::earliest`).
    pub fn earliest(&self) -> (u16, u8, u8) {
        self.start.earliest()
    }

    /// The last day the date may stand for: its end's for a span.
    pub fn latest(&self) -> (u16, u8, u8) {
        self.end.unwrap_or(self.start).latest()
    }

    /// The years the date covers: its year, or every year of a span.
    pub fn years(&self) -> std::ops::RangeInclusive<u16> {
        self.start.year..=self.end.map_or(self.start.year, |e| e.year)
    }

    /// Whether `self` agrees with `gold` at the gold's precision (both ends for a span).
    pub fn matches_at(&self, gold: &Date) -> bool {
        self.start.matches_at(&gold.start)
            && match (&self.end, &gold.end) {
                (_, None) => true,
                (Some(a), Some(b)) => a.matches_at(b),
                (None, Some(_)) => false,
            }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.start)?;
        if let Some(end) = self.end {
            write!(f, "/{end}")?;
        }
        Ok(())
    }
}

/// One date, or (for uncertain facts) the alternatives the text gives. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct When(Vec<Date>);

impl When {
    pub fn one(date: Date) -> Self {
        Self(vec![date])
    }

    /// Alternatives; `None` when there are none.
    pub fn any_of(dates: Vec<Date>) -> Option<Self> {
        if dates.is_empty() {
            None
        } else {
            Some(Self(dates))
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Date::parse(text).map(Self::one)
    }

    pub fn dates(&self) -> &[Date] {
        &self.0
    }

    pub fn first(&self) -> Date {
        self.0[0]
    }

    /// The first day any alternative may stand for.
    pub fn earliest(&self) -> (u16, u8, u8) {
        self.0.iter().map(Date::earliest).min().unwrap_or((0, 1, 1))
    }

    /// The last day any alternative may stand for.
    pub fn latest(&self) -> (u16, u8, u8) {
        self.0.iter().map(Date::latest).max().unwrap_or((0, 1, 1))
    }

    /// Whether any extracted alternative agrees with any gold alternative.
    pub fn matches_at(&self, gold: &When) -> bool {
        self.0
            .iter()
            .any(|d| gold.0.iter().any(|g| d.matches_at(g)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, shown: &str) {
        assert_eq!(Date::parse(text).unwrap().to_string(), shown);
    }

    #[track_caller]
    fn bad(text: &str, message: &str) {
        assert_eq!(Date::parse(text).unwrap_err(), message);
    }

    #[test]
    fn dates_parse_and_print_back() {
        case("1921", "1921");
        case("1921-07", "1921-07");
        case("1921-07-15", "1921-07-15");
        case("1933/1938", "1933/1938");
        case(" 1937-04 / 1939 ", "1937-04/1939");
    }

    #[test]
    fn bad_dates_say_why() {
        bad("21", "`21` is not a date: the year must have 4 digits");
        bad("1921-13", "`1921-13` has a month outside 01-12");
        bad("1938/1933", "`1938/1933` ends before it starts");
        bad(
            "July 1921",
            "`July 1921` is not a date: the year must have 4 digits",
        );
        bad("0000", "`0000` has year 0");
    }

    #[test]
    fn matching_is_at_gold_precision() {
        let d = |t| Date::parse(t).unwrap();
        assert!(d("1921-07").matches_at(&d("1921")));
        assert!(!d("1921").matches_at(&d("1921-07")));
        assert!(d("1933/1938").matches_at(&d("1933")));
        assert!(!d("1933").matches_at(&d("1933/1938")));
        let any = When::any_of(vec![d("1935"), d("1937")]).unwrap();
        assert!(When::one(d("1937")).matches_at(&any));
        assert!(!When::one(d("1936")).matches_at(&any));
    }
}
