//! Dates, years, spans and decades in the forms learners type them: "1921", "July 1921",
//! "1921-07", "7/1921", "15 July 1921", "1937-1939", "1937–39", "from 1937 to 1939",
//! "between 1937 and 1939", "the 1920s". Numbers get no typo tolerance: a wrong year is
//! wrong.

use std::fmt;

use super::{Grade, Verdict};
use crate::facts::MONTHS;

/// Words that carry no date information ("in July of 1921", "circa 1930 AD").
const FILLER: [&str; 17] = [
    "in", "of", "on", "the", "from", "between", "circa", "c", "ca", "about", "around", "ad", "ce",
    "year", "mid", "early", "late",
];

/// A day, a month or a year: whatever precision was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// What a date answer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateExpr {
    Point(Point),
    Span(Point, Point),
    /// The decade starting in the given year ("1920s").
    Decade(i32),
}

impl Point {
    fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(day) = self.day {
            write!(f, "{day} ")?;
        }
        if let Some(month) = self.month.and_then(|m| MONTHS.get(usize::from(m) - 1)) {
            let mut chars = month.chars();
            if let Some(first) = chars.next() {
                write!(f, "{}{} ", first.to_ascii_uppercase(), chars.as_str())?;
            }
        }
        write!(f, "{}", self.year)
    }
}

impl fmt::Display for DateExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateExpr::Point(p) => write!(f, "{p}"),
            DateExpr::Span(a, b) => write!(f, "{a}–{b}"),
            DateExpr::Decade(d) => write!(f, "the {d}s"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A number and how many digits it was written with.
    Num(u32, usize),
    Month(u8),
    Decade(i32),
    /// "-", "–", "to", "until", "and".
    Range,
    /// "/" or "." between numbers.
    Slash,
}

/// Reads `text` as a date expression; `None` unless all of it is one.
pub fn parse(text: &str) -> Option<DateExpr> {
    let tokens = tokenize(text)?;
    let (first, rest) = point(&tokens)?;
    match rest {
        [] => Some(first),
        [Token::Range, tail @ ..] => {
            let DateExpr::Point(start) = first else {
                return None;
            };
            // "1937-39": the end year abbreviated to its last two digits.
            if let [Token::Num(n, 2)] = tail {
                let century = start.year - start.year % 100;
                let end = century + i32::try_from(*n).ok()?;
                return (end > start.year).then_some(DateExpr::Span(start, Point::year(end)));
            }
            match point(tail)? {
                (DateExpr::Point(end), []) => Some(DateExpr::Span(start, end)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    if text.len() > 200 {
        return None;
    }
    // "mid-1920s", "early-1930s": the hyphen is not a range.
    let lower = text
        .to_lowercase()
        .replace("mid-", "mid ")
        .replace("early-", "early ")
        .replace("late-", "late ");
    let mut tokens = Vec::new();
    let mut chars = lower.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_ascii_alphanumeric() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, next)) = chars.peek() {
                if !next.is_ascii_alphanumeric() {
                    break;
                }
                end = i + next.len_utf8();
                chars.next();
            }
            tokens.push(word(&lower[start..end])?);
        } else if matches!(c, '-' | '–' | '—' | '‒' | '−') {
            tokens.push(Token::Range);
        } else if c == '/'
            || (c == '.'
                && lower[..start].ends_with(|p: char| p.is_ascii_digit())
                && chars.peek().is_some_and(|&(_, n)| n.is_ascii_digit()))
        {
            tokens.push(Token::Slash);
        } else if !(c.is_whitespace()
            || matches!(c, ',' | '.' | '\'' | '’' | '(' | ')' | '?' | '!'))
        {
            return None;
        }
    }
    tokens.retain(|t| *t != Token::Num(u32::MAX, 0));
    Some(tokens)
}

/// One word of a date; `Num(u32::MAX, 0)` marks filler to drop.
fn word(w: &str) -> Option<Token> {
    const FILLER_TOKEN: Token = Token::Num(u32::MAX, 0);
    if w.bytes().all(|b| b.is_ascii_digit()) {
        if w.len() > 4 {
            return None;
        }
        return Some(Token::Num(w.parse().ok()?, w.len()));
    }
    if let Some(decade) = w.strip_suffix('s')
        && decade.len() == 4
        && decade.ends_with('0')
        && decade.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(Token::Decade(decade.parse().ok()?));
    }
    // "1st", "15th": a day.
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if !digits.is_empty()
        && digits.len() <= 2
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(&w[digits.len()..], "st" | "nd" | "rd" | "th")
    {
        return Some(Token::Num(digits.parse().ok()?, digits.len()));
    }
    if matches!(w, "to" | "until" | "till" | "and" | "through") {
        return Some(Token::Range);
    }
    if FILLER.contains(&w) {
        return Some(FILLER_TOKEN);
    }
    if w.len() >= 3
        && let Some(m) = MONTHS.iter().position(|m| m.starts_with(w))
    {
        return Some(Token::Month(u8::try_from(m + 1).ok()?));
    }
    if w == "sept" {
        return Some(Token::Month(9));
    }
    None
}

fn is_year(n: u32, digits: usize) -> bool {
    digits >= 3 && (100..=2999).contains(&n)
}

fn month_of(n: u32) -> Option<u8> {
    u8::try_from(n).ok().filter(|m| (1..=12).contains(m))
}

fn day_of(n: u32) -> Option<u8> {
    u8::try_from(n).ok().filter(|d| (1..=31).contains(d))
}

/// The longest point (or decade) at the start of `tokens`, and what follows it.
fn point(tokens: &[Token]) -> Option<(DateExpr, &[Token])> {
    use Token::{Decade, Month, Num, Range, Slash};
    let year = |n: u32| i32::try_from(n).ok();
    let at = |y: i32, m: Option<u8>, d: Option<u8>| {
        DateExpr::Point(Point {
            year: y,
            month: m,
            day: d,
        })
    };
    Some(match tokens {
        [Decade(d), rest @ ..] => (DateExpr::Decade(*d), rest),
        // 15 July 1921
        [Num(d, 1..=2), Month(m), Num(y, n), rest @ ..] if is_year(*y, *n) => {
            (at(year(*y)?, Some(*m), Some(day_of(*d)?)), rest)
        }
        // July 15, 1921
        [Month(m), Num(d, 1..=2), Num(y, n), rest @ ..] if is_year(*y, *n) => {
            (at(year(*y)?, Some(*m), Some(day_of(*d)?)), rest)
        }
        // July 1921
        [Month(m), Num(y, n), rest @ ..] if is_year(*y, *n) => {
            (at(year(*y)?, Some(*m), None), rest)
        }
        // 1921-07-15, 1921/07/15
        [
            Num(y, 4),
            Range | Slash,
            Num(m, 2),
            Range | Slash,
            Num(d, 1..=2),
            rest @ ..,
        ] => (at(year(*y)?, Some(month_of(*m)?), Some(day_of(*d)?)), rest),
        // 1921-07 or 1921/07: a month, unless it reads as an abbreviated later year (1937-39).
        [Num(y, 4), sep @ (Range | Slash), Num(m, 2), rest @ ..]
            if month_of(*m).is_some() && (*sep == Slash || *m < 10 || (*y % 100) >= *m) =>
        {
            (at(year(*y)?, month_of(*m), None), rest)
        }
        // 15/7/1921 (or 7/15/1921): the month only when the reading is unambiguous.
        [
            Num(first, 1..=2),
            Slash,
            Num(second, 1..=2),
            Slash,
            Num(y, n),
            rest @ ..,
        ] if is_year(*y, *n) => {
            let (month, day) = match (month_of(*first), month_of(*second)) {
                (Some(_), Some(_)) if first != second => (None, None),
                (_, Some(month)) => (Some(month), day_of(*first)),
                (Some(month), None) => (Some(month), day_of(*second)),
                (None, None) => return None,
            };
            (at(year(*y)?, month, month.and(day)), rest)
        }
        // 7/1921, 07.1921
        [Num(m, 1..=2), Slash, Num(y, n), rest @ ..] if is_year(*y, *n) => {
            (at(year(*y)?, Some(month_of(*m)?), None), rest)
        }
        [Num(y, n), rest @ ..] if is_year(*y, *n) => (at(year(*y)?, None, None), rest),
        _ => return None,
    })
}

/// Grades a typed answer to a question whose answer is the year `expected`: any date in
/// that year is right ("1921", "July 1921", "1921-07", "7/1921").
pub fn grade_year(expected: i32, typed: &str) -> Grade {
    grade_date(&DateExpr::Point(Point::year(expected)), typed)
}

/// Grades a typed date against an expected one. A wrong year is wrong; a right year with a
/// missing or wrong month or day is partly right; one right end of a span is partly right.
pub fn grade_date(expected: &DateExpr, typed: &str) -> Grade {
    if typed.trim().is_empty() {
        return Grade::no_answer(&expected.to_string());
    }
    let Some(given) = parse(typed).or_else(|| loose(typed)) else {
        return Grade::new(
            Verdict::Wrong,
            0.0,
            format!("wrong: the answer is {expected}, and that is not a date"),
        );
    };
    let (score, what) = match (expected, &given) {
        (DateExpr::Point(e), DateExpr::Point(g)) => compare_points(*e, *g),
        (DateExpr::Span(a, b), DateExpr::Span(c, d)) => {
            match (a.year == c.year, b.year == d.year) {
                (true, true) => (1.0, ""),
                (false, false) => (0.0, ""),
                _ => (0.5, "one end of the span is right"),
            }
        }
        (DateExpr::Span(a, b), DateExpr::Point(g)) => {
            if g.year == a.year || g.year == b.year {
                (0.5, "that is only one end of the span")
            } else {
                (0.0, "")
            }
        }
        (DateExpr::Point(e), DateExpr::Span(c, d)) => {
            if e.year == c.year || e.year == d.year {
                (0.5, "the answer is a single date, not a span")
            } else {
                (0.0, "")
            }
        }
        (DateExpr::Decade(d), DateExpr::Decade(g)) => (if d == g { 1.0 } else { 0.0 }, ""),
        (DateExpr::Decade(d), DateExpr::Point(g)) => {
            if g.year - g.year % 10 == *d {
                (
                    0.5,
                    "that year is in the right decade, the answer is the decade",
                )
            } else {
                (0.0, "")
            }
        }
        (DateExpr::Point(e), DateExpr::Decade(g)) => {
            if e.year - e.year % 10 == *g {
                (0.5, "the decade is right, the answer is a year")
            } else {
                (0.0, "")
            }
        }
        (DateExpr::Decade(_), DateExpr::Span(..)) | (DateExpr::Span(..), DateExpr::Decade(_)) => {
            (0.0, "")
        }
    };
    if score >= 1.0 {
        Grade::new(Verdict::Correct, 1.0, format!("correct: {expected}"))
    } else if score > 0.0 {
        Grade::new(
            Verdict::Partial,
            score,
            format!("partly right: {expected} — {what}"),
        )
    } else {
        Grade::new(
            Verdict::Wrong,
            0.0,
            format!("wrong: the answer is {expected}, you wrote {given}"),
        )
    }
}

fn compare_points(e: Point, g: Point) -> (f64, &'static str) {
    if e.year != g.year {
        return (0.0, "");
    }
    let parts = [(e.month, g.month), (e.day, g.day)];
    let asked = 1 + parts.iter().filter(|(e, _)| e.is_some()).count();
    let right = 1 + parts.iter().filter(|(e, g)| e.is_some() && e == g).count();
    let missing = parts.iter().any(|(e, g)| e.is_some() && g.is_none());
    let why = if missing {
        "the year is right, but the answer is more precise"
    } else {
        "the year is right, the month or day is not"
    };
    (right as f64 / asked as f64, why)
}

/// Last resort for free text around a date ("I think it was 1921"): the years in it, one as
/// a point, two as a span.
fn loose(typed: &str) -> Option<DateExpr> {
    let years: Vec<i32> = typed
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| (3..=4).contains(&w.len()))
        .filter_map(|w| w.parse().ok())
        .filter(|y| (100..=2999).contains(y))
        .take(3)
        .collect();
    match years[..] {
        [y] => Some(DateExpr::Point(Point::year(y))),
        [a, b] => Some(DateExpr::Span(Point::year(a), Point::year(b))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn reads(text: &str, expected: &str) {
        let got = parse(text).map(|d| d.to_string());
        assert_eq!(got.as_deref(), Some(expected), "parse({text:?})");
    }

    #[test]
    fn reads_the_usual_spellings() {
        reads("1921", "1921");
        reads("July 1921", "July 1921");
        reads("in July of 1921", "July 1921");
        reads("1921-07", "July 1921");
        reads("7/1921", "July 1921");
        reads("07.1921", "July 1921");
        reads("15 July 1921", "15 July 1921");
        reads("Aug 11, 2008", "11 August 2008");
        reads("1921-07-15", "15 July 1921");
        reads("1937-1939", "1937–1939");
        reads("1937–1939", "1937–1939");
        reads("1937 to 1939", "1937–1939");
        reads("from 1937 to 1939", "1937–1939");
        reads("between 1937 and 1939", "1937–1939");
        reads("1937-39", "1937–1939");
        reads("the 1920s", "the 1920s");
        reads("mid-1920s", "the 1920s");
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for text in [
            "Piatnitsky",
            "131-132 Wilhelmstrasse",
            "3",
            "21",
            "1921 Piatnitsky",
            "",
            "1939-1937x",
        ] {
            assert_eq!(parse(text), None, "parse({text:?})");
        }
    }

    #[test]
    fn ambiguous_day_and_month_keep_only_the_year() {
        assert_eq!(parse("3/4/1921"), Some(DateExpr::Point(Point::year(1921))));
        reads("15/7/1921", "15 July 1921");
    }
}
