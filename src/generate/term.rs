//! A head's term of office as the facts tell it, and the ways a head question can be scoped
//! in time so it has one answer: "from 1921 to 1926", "became head ... in 1937", "until
//! 1933", "in the mid-1920s", "in 1925". For each scope, which other heads of the same
//! group surely answer it too (accepted) and which might (the facts do not say), so `who`
//! picks the scope that leaves the fewest doubts.

use super::phrase;
use crate::facts::{Date, Head, Point, When};

/// Years, inclusive; `None` ends are open (the facts do not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    lo: Option<u16>,
    hi: Option<u16>,
}

impl Range {
    fn contains(self, y: u16) -> bool {
        self.lo.is_none_or(|lo| lo <= y) && self.hi.is_none_or(|hi| y <= hi)
    }

    /// Whether some year of `lo..=hi` is in the range.
    fn meets(self, lo: u16, hi: u16) -> bool {
        lo <= hi && self.lo.is_none_or(|l| l <= hi) && self.hi.is_none_or(|h| lo <= h)
    }
}

/// One date when the fact gives exactly one (alternatives make no scope).
fn single(w: Option<&When>) -> Option<Date> {
    match w.map(When::dates) {
        Some([d]) => Some(*d),
        _ => None,
    }
}

fn end_year(d: &Date) -> u16 {
    d.end.map_or(d.start.year, |e| e.year)
}

/// The years a head surely held the role: the hull of the years the facts name (the start,
/// the end, a `during` year: the whole term when both ends are known); a span (a `during`
/// "in the mid-1920s", an end "between 1933 and 1935") says only "some time within", so it
/// adds nothing sure.
fn sure(h: &Head) -> Option<(u16, u16)> {
    let mut years: Vec<u16> = Vec::new();
    // A start or end known only within a span names no year surely held.
    if let Some(f) = single(h.from.as_ref()).filter(|d| d.end.is_none()) {
        years.push(f.start.year);
    }
    if let Some(t) = single(h.to.as_ref()).filter(|d| d.end.is_none()) {
        years.push(t.start.year);
    }
    if let Some(d) = single(h.during.as_ref()).filter(|d| !phrase::is_span(d)) {
        years.push(d.start.year);
    }
    Some((*years.iter().min()?, *years.iter().max()?))
}

/// The years a head may have held the role: bounded by its start and end, when known
/// (alternatives widen the bounds).
fn possible(h: &Head) -> Range {
    Range {
        lo: h.from.as_ref().map(|w| w.earliest().0),
        hi: h.to.as_ref().map(|w| w.latest().0),
    }
}

/// How a head question is scoped in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// "headed the OMS from 1933 to 1938"
    Term(Date, Date),
    /// "became head of the OMS in 1937"
    Became(Date),
    /// "headed the OMS until 1933"
    Until(Date),
    /// "headed the OMS in the mid-1920s", "in 1925": a `during` date or a year of the term.
    At(Date),
}

impl Scope {
    /// The words after the predicate: " from 1933 to 1938", " until 1933", " in 1925".
    /// (`Became` is worded by the caller, which changes the verb.)
    pub fn tail(&self) -> String {
        match self {
            Scope::Term(from, to) => format!(
                " from {} to {}",
                phrase::point_text(from.start),
                phrase::point_text(to.end.unwrap_or(to.start))
            ),
            // Who else surely answers these is decided by years (`surely`), so they are
            // worded in years: "became head in March 1937" would accept a November one.
            Scope::Became(from) => format!(" in {}", from.start.year),
            Scope::Until(to) => format!(" until {}", end_year(to)),
            Scope::At(d) => format!(" {}", during_phrase(&in_years(d))),
        }
    }

    /// Whether another head surely answers the question so scoped.
    fn surely(&self, o: &Head) -> bool {
        let years = sure(o);
        match self {
            Scope::Term(from, to) => {
                (single(o.from.as_ref()), single(o.to.as_ref())) == (Some(*from), Some(*to))
                    || years.is_some_and(|(a, b)| inside(a, b, from, to))
            }
            Scope::Became(from) => single(o.from.as_ref()).is_some_and(|f| same_year(&f, from)),
            Scope::Until(to) => single(o.to.as_ref()).is_some_and(|t| same_end(&t, to)),
            Scope::At(d) => {
                years.is_some_and(|(a, b)| a <= end_year(d) && d.start.year <= b)
                    || single(o.during.as_ref()) == Some(*d)
            }
        }
    }

    /// Whether another head might answer it: the facts leave its time open there.
    fn maybe(&self, o: &Head) -> bool {
        let range = possible(o);
        match self {
            // Someone whose term may reach into the years strictly between the ends (the
            // handover years belong to both).
            Scope::Term(from, to) => {
                range.meets(from.start.year + 1, end_year(to).saturating_sub(1))
            }
            Scope::Became(from) => o.from.is_none() && range.contains(from.start.year),
            Scope::Until(to) => o.to.is_none() && range.contains(end_year(to)),
            Scope::At(d) => range.meets(d.start.year, end_year(d)),
        }
    }
}

/// `d` to the year: "July 1925" reads "1925", "March to November 1925" reads "1925".
fn in_years(d: &Date) -> Date {
    let year = |p: Point| Point {
        year: p.year,
        month: None,
        day: None,
    };
    Date {
        start: year(d.start),
        end: d.end.filter(|e| e.year != d.start.year).map(year),
    }
}

/// Whether sure years `a..=b` reach strictly inside the term `from`..`to`.
fn inside(a: u16, b: u16, from: &Date, to: &Date) -> bool {
    let (lo, hi) = (from.start.year + 1, end_year(to).saturating_sub(1));
    lo <= hi && a <= hi && lo <= b
}

fn same_year(a: &Date, b: &Date) -> bool {
    a.start.year == b.start.year
}

fn same_end(a: &Date, b: &Date) -> bool {
    end_year(a) == end_year(b)
}

/// "in 1925", "in July 1925", "in the 1920s", "in the mid-1920s", "between 1933 and 1938".
pub fn during_phrase(d: &Date) -> String {
    let Some(end) = d.end.filter(|e| e.year != d.start.year || e != &d.start) else {
        return phrase::date_phrase(d);
    };
    let (a, b) = (d.start, end);
    if a.month.is_none() && b.month.is_none() {
        let decade = a.year - a.year % 10;
        let named = match (a.year - decade, b.year.checked_sub(decade)) {
            (0, Some(9)) => Some(""),
            (0, Some(3)) => Some("early "),
            (3, Some(6)) => Some("mid-"),
            (6, Some(9)) => Some("late "),
            _ => None,
        };
        if let Some(word) = named {
            return format!("in the {word}{decade}s");
        }
    }
    format!(
        "between {} and {}",
        phrase::point_text(a),
        phrase::point_text(b)
    )
}

/// The scopes a head's facts allow, most telling first: its term, its start, its end, its
/// `during` date, then each year it surely held the role (at most 40).
fn candidates(h: &Head) -> Vec<Scope> {
    let mut out = Vec::new();
    // A start or end given as a span ("it ended between 1933 and 1935") is no point to name.
    let point = |w: Option<&When>| single(w).filter(|d| d.end.is_none());
    let (from, to) = (point(h.from.as_ref()), point(h.to.as_ref()));
    if let (Some(f), Some(t)) = (from, to)
        && f.start.year != end_year(&t)
    {
        out.push(Scope::Term(f, t));
    }
    if let Some(f) = from {
        out.push(Scope::Became(f));
    }
    if let Some(t) = to {
        out.push(Scope::Until(t));
    }
    if let Some(d) = single(h.during.as_ref()) {
        out.push(Scope::At(d));
    }
    if let Some((a, b)) = sure(h) {
        for y in (a..=b).take(40) {
            let at = Scope::At(Date::point(crate::facts::Point::year(y)));
            if !out.contains(&at) {
                out.push(at);
            }
        }
    }
    out
}

/// The scope for `h` among its peers (the other heads of its group), and the peers that
/// surely answer it too (to be accepted); `None` when the facts give no time. A scope no peer
/// surely or possibly answers wins; else the first no peer surely answers; else the first,
/// whose other answers are accepted. Without peers, only a full term is named (it tells the
/// learner something and costs no ambiguity).
pub fn choose<'h>(h: &Head, peers: &[&'h Head]) -> Option<(Scope, Vec<&'h Head>)> {
    let all = candidates(h);
    if peers.is_empty() {
        return all
            .into_iter()
            .find(|s| matches!(s, Scope::Term(..)))
            .map(|s| (s, Vec::new()));
    }
    let clean = |s: &Scope| !peers.iter().any(|o| s.surely(o) || s.maybe(o));
    let unshared = |s: &Scope| !peers.iter().any(|o| s.surely(o));
    let scope = all
        .iter()
        .find(|s| clean(s))
        .or_else(|| all.iter().find(|s| unshared(s)))
        .or_else(|| all.first())?
        .clone();
    let others = peers.iter().copied().filter(|o| scope.surely(o)).collect();
    Some((scope, others))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Role;

    fn head(person: &str, from: Option<&str>, to: Option<&str>, during: Option<&str>) -> Head {
        let w = |t: Option<&str>| t.map(|t| When::parse(t).expect("a date"));
        Head {
            person: person.into(),
            org: None,
            region: None,
            role: Role::Head,
            from: w(from),
            to: w(to),
            during: w(during),
            order: None,
        }
    }

    #[track_caller]
    fn case(h: &Head, peers: &[&Head], tail: Option<&str>, others: &[&str]) {
        let got = choose(h, peers);
        assert_eq!(
            got.as_ref().map(|(s, _)| s.tail()).as_deref(),
            tail,
            "{got:?}"
        );
        let names: Vec<&str> = got
            .iter()
            .flat_map(|(_, o)| o.iter().map(|h| h.person.as_str()))
            .collect();
        assert_eq!(names, others);
    }

    #[test]
    fn the_scope_names_the_time_that_tells_heads_apart() {
        let ann = head("A", Some("1921"), Some("1926"), None);
        let bo = head("B", Some("1926"), Some("1930"), None);
        let cy = head("C", None, None, Some("1923/1926"));
        let late = head("L", Some("1927"), Some("1930"), None);
        let di = head("D", None, Some("1933"), None);
        let ed = head("E", None, None, Some("1925"));
        let open = head("O", None, None, None);
        // A full term; the handover year 1926 does not make B an answer.
        case(&ann, &[&bo], Some(" from 1921 to 1926"), &[]);
        case(&bo, &[&ann], Some(" from 1926 to 1930"), &[]);
        // A `during` span reads as the text did (by the convention the mid-1920s are
        // 1923-1926, so B, head from 1926, answers too).
        case(&cy, &[&ann, &bo], Some(" in the mid-1920s"), &["A", "B"]);
        case(&cy, &[&late], Some(" in the mid-1920s"), &[]);
        // "until" when the end is all that is known, even if others' times are open.
        case(&di, &[&open], Some(" until 1933"), &[]);
        // "in 1925": a year no one else surely held it.
        case(&ed, &[&bo], Some(" in 1925"), &[]);
        // Someone else surely held it in 1925: accepted.
        case(&ed, &[&ann], Some(" in 1925"), &["A"]);
        // No dates: no time scope; nor an end known only within a span.
        case(&open, &[&ann], None, &[]);
        let vague = head("V", None, Some("1933/1935"), None);
        case(&vague, &[&open], None, &[]);
        // Alone: only a full term is named.
        case(&ann, &[], Some(" from 1921 to 1926"), &[]);
        case(&ed, &[], None, &[]);
    }

    #[test]
    fn a_start_shared_with_another_head_gives_way_to_a_clean_scope() {
        let a = head("A", Some("1921"), Some("1926"), None);
        let b = head("B", Some("1921"), Some("1930"), None);
        // A's term overlaps B's; "became head in 1921" is B's too; "until 1926" is A's alone.
        case(&a, &[&b], Some(" until 1926"), &[]);
    }

    /// Found in review: with months, "became head in March 1937" accepted a head who
    /// became head in November, since who else answers is decided by years. Scopes other
    /// than a full term are worded in years, so the accepted answers are right.
    #[test]
    fn scopes_decided_by_years_are_worded_in_years() {
        let march = head("A", Some("1937-03"), None, None);
        let november = head("B", Some("1937-11"), Some("1940"), None);
        let before = head("C", Some("1930"), Some("1937-11"), None);
        case(&march, &[&november, &before], Some(" in 1937"), &["B"]);
        let spring = head("A", Some("1925-03"), Some("1926"), None);
        let autumn = head("B", Some("1925-11"), Some("1930"), None);
        let july = head("C", None, None, Some("1925-07"));
        case(&july, &[&spring, &autumn], Some(" in 1925"), &["A", "B"]);
        let ended = head("D", None, Some("1933-04"), None);
        let open = head("O", None, None, None);
        case(&ended, &[&open], Some(" until 1933"), &[]);
    }

    #[test]
    fn during_reads_like_the_article() {
        let d = |t: &str| Date::parse(t).expect("a date");
        assert_eq!(during_phrase(&d("1925")), "in 1925");
        assert_eq!(during_phrase(&d("1925-07")), "in July 1925");
        assert_eq!(during_phrase(&d("1920/1929")), "in the 1920s");
        assert_eq!(during_phrase(&d("1920/1923")), "in the early 1920s");
        assert_eq!(during_phrase(&d("1923/1926")), "in the mid-1920s");
        assert_eq!(during_phrase(&d("1926/1929")), "in the late 1920s");
        assert_eq!(during_phrase(&d("1933/1938")), "between 1933 and 1938");
        assert_eq!(
            during_phrase(&d("1933-04/1933-09")),
            "between April 1933 and September 1933"
        );
    }
}
