//! Terms of office told as actions: "P served as president from 1680 to 1682", "P was elected
//! president in 1703 and remained until his death in 1727", "P presided from 1925 to 1930",
//! "P led the society from 1778 to 1820", "P held the office", "the office was held by P and
//! Q", ", who was president between 1890 and 1895", "P (2010-2015)" among presidents.

use super::Sink;
use super::context::{Context, Sent, person_like};
use super::time::Found;
use crate::facts::{Body, Date, Head, Point, Role, When};

/// Terms longer than this inside "Name (Y1-Y2)" read as a lifespan, not a term of office.
pub const MAX_TERM_YEARS: u16 = 18;

const ROLE_NOUNS: &[&str] = &[
    "president",
    "presidents",
    "head",
    "heads",
    "director",
    "directors",
    "chairman",
    "chairmen",
    "chair",
    "leader",
    "leaders",
    "chief",
    "chiefs",
    "governor",
    "governors",
    "presidency",
];

const OFFICE: &[&str] = &[
    "office",
    "post",
    "position",
    "presidency",
    "chair",
    "directorship",
];

pub fn apply(s: &Sent<'_>, ctx: &mut Context, sink: &mut Sink<'_>) {
    let toks = &s.toks;
    let mut next = 0;
    for n in &s.names {
        let (i, n) = (n.first, *n);
        if i < next {
            continue;
        }
        let name = s.name_text(&n);
        if person_like(name) && !s.quoted[i] {
            if let Some((verb, org)) = action(s, ctx, skip_aside(s, n.end)) {
                let person = ctx.person(name);
                let (from, to) = term(s, verb, toks.len());
                push(sink, ctx, &person, org, from, to, "tenure.action");
                // "P, later Q, who was ...": Q is the same person.
                next = verb;
            } else if let Some((from, to)) = bracketed_term(s, n.end) {
                let person = ctx.person(name);
                push(sink, ctx, &person, None, from, to, "tenure.bracketed-term");
            }
        }
    }
    held_by(s, ctx, sink);
}

fn push(
    sink: &mut Sink<'_>,
    ctx: &mut Context,
    person: &str,
    org: Option<String>,
    from: Option<When>,
    to: Option<When>,
    rule: &str,
) {
    if from.is_some() {
        sink.used_date = true;
    }
    ctx.meet(person);
    ctx.last_person = Some(person.to_owned());
    let index = sink.push(
        Body::Head(Head {
            person: person.to_owned(),
            org: org.or_else(|| ctx.topic.clone()),
            region: ctx.region.clone(),
            role: Role::Head,
            from,
            to,
            during: None,
            order: None,
        }),
        rule,
        false,
    );
    ctx.last_head = Some(index);
}

/// After a name: skip ", 2nd Viscount X," or ", later Lord X," and a ", who".
fn skip_aside(s: &Sent<'_>, end: usize) -> usize {
    let toks = &s.toks;
    let mut k = end;
    if toks.get(k).is_some_and(|t| t.text == ",") {
        if toks.get(k + 1).is_some_and(|t| t.is("who")) {
            return k + 2;
        }
        if let Some(close) = (k + 1..toks.len().min(k + 8)).find(|&j| toks[j].text == ",") {
            k = close + 1;
            if toks.get(k).is_some_and(|t| t.is("who")) {
                k += 1;
            }
        }
    }
    k
}

/// The action at token `k` that makes its subject a head; returns the token after the verb
/// phrase and the organisation when named.
fn action(s: &Sent<'_>, ctx: &Context, k: usize) -> Option<(usize, Option<String>)> {
    let toks = &s.toks;
    let t = toks.get(k)?;
    let next = |j: usize| toks.get(k + j);
    let role_after = |j: usize| {
        let mut j = k + j;
        if toks.get(j).is_some_and(|t| t.is_any(&["the", "its", "a"])) {
            j += 1;
        }
        toks.get(j)
            .filter(|t| t.is_any(ROLE_NOUNS) && !t.is_any(&["presidents", "heads"]))
            .map(|_| (j + 1, org_after(s, ctx, j + 1)))
    };
    if t.is("served") && next(1).is_some_and(|t| t.is("as")) {
        return role_after(2);
    }
    if t.is("was") && next(1).is_some_and(|t| t.is_any(&["elected", "appointed", "named", "made"]))
    {
        return role_after(2);
    }
    if t.is("was") {
        // "who was president between ..." (a bare role noun, no article).
        return toks
            .get(k + 1)
            .filter(|t| t.is_any(ROLE_NOUNS))
            .map(|_| (k + 2, org_after(s, ctx, k + 2)));
    }
    if t.is("presided") {
        let org = next(1)
            .filter(|t| t.is("over"))
            .and_then(|_| org_np(s, ctx, k + 2));
        return Some((k + 1, org));
    }
    if t.is_any(&["led", "headed", "chaired", "directed"]) && !next(1).is_some_and(|t| t.is("by")) {
        let org = org_np(s, ctx, k + 1)?;
        return Some((k + 2, Some(org)));
    }
    if t.is("held")
        && next(1).is_some_and(|t| t.is("the"))
        && next(2).is_some_and(|t| t.is_any(OFFICE))
    {
        return Some((k + 3, None));
    }
    None
}

/// "of the X" after a role noun.
fn org_after(s: &Sent<'_>, ctx: &Context, k: usize) -> Option<String> {
    if !s.toks.get(k)?.is("of") {
        return None;
    }
    org_np(s, ctx, k + 1)
}

/// An organisation at token `k`: a name, or "the society" (the topic or the last thing).
fn org_np(s: &Sent<'_>, ctx: &Context, k: usize) -> Option<String> {
    let toks = &s.toks;
    let t = toks.get(k)?;
    if t.is("the") && toks.get(k + 1).is_some_and(|t| !t.is_cap() && t.is_word()) {
        return ctx.topic.clone();
    }
    let n = s.name_at(k, true)?;
    ctx.resolve(s.name_text(&n))
}

/// The term's dates after token `at`: "from A to B" / "between A and B" give both ends; "in
/// A" gives the start and "until ... in B" / "until B" the end.
fn term(s: &Sent<'_>, at: usize, end: usize) -> (Option<When>, Option<When>) {
    let dates: Vec<&Found> = s
        .dates
        .iter()
        .filter(|d| d.first >= at && d.first < end && !s.quoted[d.first] && !s.paren[d.first])
        .collect();
    let point = |p: Point| When::one(Date::point(p));
    if let Some(d) = dates.first() {
        let date = d.when.first();
        if matches!(d.lead.as_deref(), Some("from" | "between")) && date.end.is_some() {
            return (Some(point(date.start)), date.end.map(point));
        }
        if matches!(d.lead.as_deref(), Some("in" | "since")) {
            let until = s.toks[d.end..]
                .iter()
                .position(|t| t.is("until"))
                .map(|p| p + d.end);
            let to = until
                .and_then(|u| dates.iter().find(|e| e.first > u && e.first < u + 8))
                .map(|e| point(e.when.first().start));
            return (Some(point(date.start)), to);
        }
    }
    (None, None)
}

/// "Paul Nurse (2010-2015)" in a sentence about presidents: a term, not a lifespan.
fn bracketed_term(s: &Sent<'_>, end: usize) -> Option<(Option<When>, Option<When>)> {
    let toks = &s.toks;
    if toks.get(end)?.text != "(" {
        return None;
    }
    let d = s.dates.iter().find(|d| d.first == end + 1)?;
    if toks.get(d.end)?.text != ")" {
        return None;
    }
    let date = d.when.first();
    let stop = date.end?;
    let short = stop.year.saturating_sub(date.start.year) < MAX_TERM_YEARS;
    let about_heads = toks.iter().any(|t| t.is_any(ROLE_NOUNS));
    (short && about_heads).then(|| {
        (
            Some(When::one(Date::point(date.start))),
            Some(When::one(Date::point(stop))),
        )
    })
}

/// "the office was held by, among others, P and Q".
fn held_by(s: &Sent<'_>, ctx: &mut Context, sink: &mut Sink<'_>) {
    let toks = &s.toks;
    let Some(k) = (2..toks.len()).find(|&i| {
        toks[i].is("held")
            && toks[i - 1].is_any(&["was", "were"])
            && toks.get(i + 1).is_some_and(|t| t.is("by"))
            && (i.saturating_sub(4)..i).any(|j| toks[j].is_any(OFFICE))
    }) else {
        return;
    };
    let mut i = k + 2;
    // ", among others,"
    if toks.get(i).is_some_and(|t| t.text == ",")
        && let Some(close) = (i + 1..toks.len().min(i + 5)).find(|&j| toks[j].text == ",")
    {
        i = close + 1;
    }
    while let Some(n) = s.name_at(i, false).filter(|n| n.first == i) {
        let name = s.name_text(&n);
        if person_like(name) {
            let person = ctx.person(name);
            push(sink, ctx, &person, None, None, None, "tenure.held-by");
        }
        if toks.get(n.end).is_some_and(|t| t.is_any(&["and", ","])) {
            i = n.end + 1;
        } else {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract;
    use crate::facts::Body;

    fn terms(text: &str) -> Vec<String> {
        extract(text)
            .facts
            .into_iter()
            .filter_map(|f| match f.body {
                Body::Head(h) => Some(format!(
                    "{} {}-{}",
                    h.person,
                    h.from.map(|w| w.first().to_string()).unwrap_or_default(),
                    h.to.map(|w| w.first().to_string()).unwrap_or_default()
                )),
                _ => None,
            })
            .collect()
    }

    #[track_caller]
    fn case(text: &str, expected: &[&str]) {
        let text = format!("The Guild is a union.\n\n{text}\n");
        assert_eq!(terms(&text), expected);
    }

    #[test]
    fn terms_of_office() {
        case(
            "Ann Berg served as president from 1680 to 1682.",
            &["Ann Berg 1680-1682"],
        );
        case(
            "Bo Lind was elected president in 1703 and remained in the chair until his death in 1727.",
            &["Bo Lind 1703-1727"],
        );
        case(
            "Cy Moss presided from 1925 to 1930.",
            &["Cy Moss 1925-1930"],
        );
        case(
            "The longest-serving head was Di Holt, who led the society from 1778 to 1820.",
            &["Di Holt 1778-1820"],
        );
        case(
            "The office was held by, among others, Ed Park and Flo Reed.",
            &["Ed Park -", "Flo Reed -"],
        );
        case(
            "Presidents have included Gil Ward (2010-2015).",
            &["Gil Ward 2010-2015"],
        );
        case("Hal Berg (1901-1980) wrote books.", &[]);
    }
}
