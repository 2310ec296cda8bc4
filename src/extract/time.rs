//! Date expressions in a sentence's tokens: "1921", "July 1921", "11 August 2008",
//! "the 1930s", "the early 1920s", spans ("from 1933 to 1938", "1937-1939", "between 1919
//! and 1922") and hedges ("in 1935 or 1937": both kept, marked uncertain).

use super::token::Tok;
use crate::facts::MONTHS;
use crate::facts::{Date, Point, When};

/// One date expression: tokens `[first, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub first: usize,
    pub end: usize,
    pub when: When,
    pub uncertain: bool,
    /// The preposition before it, lower case ("in", "from", "by", "after" ...), if any.
    pub lead: Option<String>,
}

const LEADS: &[&str] = &[
    "in",
    "during",
    "from",
    "by",
    "after",
    "before",
    "since",
    "until",
    "till",
    "between",
    "of",
    "on",
    "through",
    "circa",
    "around",
    "about",
    "early",
    "late",
    "mid",
    "throughout",
    "to",
];

fn month(t: &Tok<'_>) -> Option<u8> {
    if !t.is_cap() || !(3..=9).contains(&t.text.len()) {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| t.text.eq_ignore_ascii_case(m))
        .map(|i| i as u8 + 1)
}

fn day(t: &Tok<'_>) -> Option<u8> {
    if t.text.len() <= 2 && t.text.bytes().all(|b| b.is_ascii_digit()) {
        let d: u8 = t.text.parse().ok()?;
        (1..=31).contains(&d).then_some(d)
    } else {
        None
    }
}

/// "1930s" -> 1930.
fn decade(t: &Tok<'_>) -> Option<u16> {
    let digits = t.text.strip_suffix('s')?;
    let y = Tok::new(digits, t.start, t.end).year()?;
    (y % 10 == 0).then_some(y)
}

/// One date (a point, or a decade as a span) starting at token `i`; returns it and the end.
fn one(toks: &[Tok<'_>], i: usize) -> Option<(Date, usize)> {
    let t = toks.get(i)?;
    // "early 1920s", "mid-1920s", "late 1920s"
    if t.is_any(&["early", "mid", "late"]) {
        let mut k = i + 1;
        if toks.get(k).is_some_and(|t| t.text == "-") {
            k += 1;
        }
        let start = toks.get(k).and_then(decade)?;
        let (from, to) = match t.text.to_ascii_lowercase().as_str() {
            "early" => (0, 3),
            "mid" => (3, 6),
            _ => (6, 9),
        };
        return Some((
            Date::span(Point::year(start + from), Point::year(start + to)),
            k + 1,
        ));
    }
    if let Some(start) = decade(t) {
        return Some((
            Date::span(Point::year(start), Point::year(start + 9)),
            i + 1,
        ));
    }
    if let Some(y) = t.year() {
        return Some((Date::point(Point::year(y)), i + 1));
    }
    // "July 1921", "July 15, 1921"
    if let Some(m) = month(t) {
        if let Some(y) = toks.get(i + 1).and_then(Tok::year) {
            return Some((point(y, Some(m), None), i + 2));
        }
        if let (Some(d), Some(","), Some(y)) = (
            toks.get(i + 1).and_then(day),
            toks.get(i + 2).map(|t| t.text),
            toks.get(i + 3).and_then(Tok::year),
        ) {
            return Some((point(y, Some(m), Some(d)), i + 4));
        }
        return None;
    }
    // "15 July 1921"
    if let (Some(d), Some(m), Some(y)) = (
        day(t),
        toks.get(i + 1).and_then(month),
        toks.get(i + 2).and_then(Tok::year),
    ) {
        return Some((point(y, Some(m), Some(d)), i + 3));
    }
    None
}

fn point(year: u16, month: Option<u8>, day: Option<u8>) -> Date {
    Date::point(Point { year, month, day })
}

/// Every date expression in the tokens, left to right, not overlapping.
pub fn find(toks: &[Tok<'_>]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((date, mut end)) = one(toks, i) else {
            i += 1;
            continue;
        };
        let mut first = i;
        if i > 0 && toks[i - 1].is("the") {
            first = i - 1;
        }
        let lead = first
            .checked_sub(1)
            .map(|k| toks[k].text.to_ascii_lowercase())
            .filter(|w| LEADS.contains(&w.as_str()));
        let mut dates = vec![date];
        let mut uncertain = false;
        let joiner = toks.get(end).map(|t| t.text.to_ascii_lowercase());
        let span_word = match lead.as_deref() {
            Some("from") => ["to", "until", "till", "through"].as_slice(),
            Some("between") => ["and"].as_slice(),
            _ => ["-", "to"].as_slice(),
        };
        match joiner.as_deref() {
            Some(j) if span_word.contains(&j) => {
                let mut k = end + 1;
                if toks.get(k).is_some_and(|t| t.is("the")) {
                    k += 1;
                }
                if let Some((to, e)) = one(toks, k)
                    && to.start >= date.start
                {
                    let end_point = to.end.unwrap_or(to.start);
                    dates[0] = Date::span(date.start, end_point);
                    end = e;
                }
            }
            Some("or") => {
                if let Some((alt, e)) = one(toks, end + 1) {
                    dates.push(alt);
                    uncertain = true;
                    end = e;
                }
            }
            _ => {}
        }
        out.push(Found {
            first,
            end,
            when: When::any_of(dates).unwrap_or_else(|| When::one(date)),
            uncertain,
            lead,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::token::tokenize;
    use super::*;

    #[track_caller]
    fn case(s: &str, expected: &[(&str, bool)]) {
        let toks = tokenize(s);
        let got: Vec<(String, bool)> = find(&toks)
            .into_iter()
            .map(|f| {
                let dates: Vec<String> = f.when.dates().iter().map(ToString::to_string).collect();
                (dates.join(" | "), f.uncertain)
            })
            .collect();
        let expected: Vec<(String, bool)> = expected
            .iter()
            .map(|(d, u)| ((*d).to_owned(), *u))
            .collect();
        assert_eq!(got, expected, "{s}");
    }

    #[test]
    fn points() {
        case("It was founded in July 1921.", &[("1921-07", false)]);
        case(
            "Retrieved 13 October 2015 and August 11, 2008.",
            &[("2015-10-13", false), ("2008-08-11", false)],
        );
        case(
            "In 1923, the group met; by 1929 it had grown.",
            &[("1923", false), ("1929", false)],
        );
        case("pages 131-132 and 12 men", &[]);
    }

    #[test]
    fn spans_and_decades() {
        case("from 1933 to 1938", &[("1933/1938", false)]);
        case("During 1937-1939, it fell.", &[("1937/1939", false)]);
        case("between 1919 and 1922", &[("1919/1922", false)]);
        case("In the 1930s it moved.", &[("1930/1939", false)]);
        case("in the mid-1920s", &[("1923/1926", false)]);
        case("in the early 1920s", &[("1920/1923", false)]);
        case("from 1938 to 1933", &[("1938", false), ("1933", false)]);
    }

    #[test]
    fn hedges_keep_both_values() {
        case("in 1935 or 1937 with", &[("1935 | 1937", true)]);
    }

    #[test]
    fn lead_word_is_kept() {
        let toks = tokenize("After 1927, agents acted.");
        assert_eq!(find(&toks)[0].lead.as_deref(), Some("after"));
    }
}
