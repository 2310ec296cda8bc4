//! Other names: "also known as Y", "AKA \"Y\" and \"Z\"", `(as "Y")`, "translated as Y",
//! "(Russian: Y, Z or W)", "Long Name (LN)", "sources call it Y", "refers to X as Y",
//! `X or "Y"`.

use super::Sink;
use super::context::{Context, Sent};
use super::token::Name;
use crate::facts::{Alias, Body};

type Found = Vec<(String, Vec<String>, &'static str)>;

pub fn apply(s: &Sent<'_>, ctx: &mut Context, sink: &mut Sink<'_>) {
    let mut found: Found = Vec::new();
    for i in 0..s.toks.len() {
        known_as(s, ctx, i, &mut found);
        bracketed(s, ctx, i, &mut found);
        called(s, ctx, i, &mut found);
    }
    for (target, names, rule) in found {
        let names: Vec<String> = names
            .into_iter()
            .filter(|n| crate::facts::fold(n) != crate::facts::fold(&target))
            .collect();
        if names.is_empty() {
            continue;
        }
        sink.push(
            Body::Alias(Alias {
                name: target,
                aliases: names,
            }),
            rule,
            false,
        );
    }
}

/// "also known (in English) as", "AKA", "alias", "translated as".
fn known_as(s: &Sent<'_>, ctx: &Context, i: usize, found: &mut Found) {
    let toks = &s.toks;
    let t = &toks[i];
    let after = if t.is("known") && !s.quoted[i] {
        let mut k = i + 1;
        if toks.get(k).is_some_and(|t| t.is("in")) {
            k += 2;
        }
        toks.get(k).filter(|t| t.is("as")).map(|_| k + 1)
    } else if (t.text == "AKA" || t.is("aka") || t.is("alias")) && !s.quoted[i] {
        Some(i + 1)
    } else if t.is_any(&["translated", "rendered"]) && toks.get(i + 1).is_some_and(|t| t.is("as")) {
        Some(i + 2)
    } else if t.is_any(&["formally", "officially", "formerly", "originally", "later"])
        && i > 0
        && toks[i - 1].text == ","
        && !s.quoted[i]
    {
        // "The Society, formally the Society of X, ...", "P, later Lord Q, ..."
        Some(i + 1)
    } else if t.is("called")
        && i > 0
        && toks[i - 1].is_any(&[
            "sometimes",
            "also",
            "often",
            "commonly",
            "informally",
            "popularly",
            "usually",
        ])
    {
        Some(i + 1)
    } else {
        None
    };
    let Some(k) = after else { return };
    let names = name_list(s, k);
    if names.is_empty() {
        return;
    }
    let target = if t.is_any(&["translated", "rendered"]) {
        ctx.resolve(&s.subject_text())
    } else {
        target_before(s, ctx, i)
    };
    if let Some(target) = target {
        found.push((target, names, "aliases.known-as"));
    }
}

/// `(as "Moskvin")`, "(Russian: A, B or C)", "Long Name (LN)".
fn bracketed(s: &Sent<'_>, ctx: &Context, i: usize, found: &mut Found) {
    let toks = &s.toks;
    if toks[i].text != "(" {
        return;
    }
    if toks.get(i + 1).is_some_and(|t| t.is("as")) {
        let names = name_list(s, i + 2);
        if let (false, Some(target)) = (names.is_empty(), target_before(s, ctx, i)) {
            found.push((target, names, "aliases.as-paren"));
        }
    }
    // A language name and a colon: "(Russian: ...)", "(German: ...)".
    if toks.get(i + 2).is_some_and(|t| t.text == ":")
        && toks
            .get(i + 1)
            .is_some_and(|t| t.is_cap() && t.is_word() && !t.is_acronym())
        && let Some(close) = (i + 3..toks.len().min(i + 40)).find(|&k| toks[k].text == ")")
    {
        let inner = s.span(i + 3, close);
        let names: Vec<String> = inner
            .split(',')
            .flat_map(|p| p.split(" or "))
            .map(|p| p.trim().trim_matches('"').trim().to_owned())
            .filter(|p| !p.is_empty() && p.chars().count() <= 60)
            .collect();
        if let (false, Some(target)) = (names.is_empty(), target_before(s, ctx, i)) {
            found.push((target, names, "aliases.foreign"));
        }
    }
    if toks.get(i + 1).is_some_and(super::token::Tok::is_acronym)
        && toks.get(i + 2).is_some_and(|t| t.text == ")")
        && let Some(long) = long_form(s, i, toks[i + 1].text)
    {
        found.push((
            long,
            vec![toks[i + 1].text.to_owned()],
            "aliases.abbreviation",
        ));
    }
}

/// "sources call it (the) Y", "refers to X as Y", `X or "Y"`.
fn called(s: &Sent<'_>, ctx: &Context, i: usize, found: &mut Found) {
    let toks = &s.toks;
    let t = &toks[i];
    if t.is_any(&["call", "calls", "called", "name", "names", "named"])
        && toks.get(i + 1).is_some_and(|t| t.is("it"))
        && !s.quoted[i]
    {
        let names = name_list(s, i + 2);
        if let (false, Some(target)) = (names.is_empty(), ctx.it()) {
            found.push((target, names, "aliases.call-it"));
        }
    }
    if t.is_any(&["refers", "referred", "refer"]) && toks.get(i + 1).is_some_and(|t| t.is("to")) {
        let k = i + 2 + usize::from(toks.get(i + 2).is_some_and(|t| t.is("the")));
        if let Some(x) = s.name_at(k, true)
            && toks.get(x.end).is_some_and(|t| t.is("as"))
        {
            let names = name_list(s, x.end + 1);
            if !names.is_empty() {
                found.push((s.name_text(&x).to_owned(), names, "aliases.refers-to"));
            }
        }
    }
    if t.is("or")
        && toks.get(i + 1).is_some_and(|t| t.text == "\"")
        && i > 0
        && !s.quoted[i]
        && let (Some(q), Some(x)) = (s.name_at(i + 1, false), name_ending_at(s, i))
    {
        let x = s.name_text(&x);
        if q.quoted() && x.split_whitespace().count() >= 2 {
            found.push((
                x.to_owned(),
                vec![s.name_text(&q).to_owned()],
                "aliases.or-quoted",
            ));
        }
    }
}

/// Names listed from token `k`: `"Leo" and "Alfred Langer"`, `the Illegal Liaison Section and
/// Foreign Liaison Department`, `Black`.
fn name_list(s: &Sent<'_>, k: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = k;
    while let Some(n) = s.name_at(i, true) {
        if n.first > i + 1 {
            break;
        }
        out.push(s.name_text(&n).to_owned());
        let next = s.toks.get(n.end);
        if next.is_some_and(|t| t.is_any(&["and", "or", ","])) {
            i = n.end + 1;
            if s.toks.get(i).is_some_and(|t| t.is_any(&["and", "or"])) {
                i += 1;
            }
        } else {
            break;
        }
        if out.len() >= 6 {
            break;
        }
    }
    out
}

/// The name an alias phrase at token `i` belongs to: the nearest name before it outside
/// parentheses and quotes; else the sentence's subject.
fn target_before(s: &Sent<'_>, ctx: &Context, i: usize) -> Option<String> {
    let mut depth = 0usize;
    let mut k = i;
    while k > 0 {
        k -= 1;
        let t = &s.toks[k];
        if t.text == ")" {
            depth += 1;
            continue;
        }
        if t.text == "(" {
            depth = depth.saturating_sub(1);
            continue;
        }
        if depth > 0 || s.quoted[k] {
            continue;
        }
        if let Some(n) = name_ending_at(s, k + 1) {
            let text = s.name_text(&n);
            return Some(if text.split_whitespace().count() == 1 {
                ctx.person(text)
            } else {
                text.to_owned()
            });
        }
        if t.is_any(&["it", "its"]) {
            return ctx.it();
        }
        if i - k > 12 {
            break;
        }
    }
    ctx.resolve(&s.subject_text()).filter(|t| !t.is_empty())
}

/// A name whose last token is just before token `end`.
fn name_ending_at(s: &Sent<'_>, end: usize) -> Option<Name> {
    (end.saturating_sub(8)..end)
        .filter_map(|start| s.name_at(start, true))
        .find(|n| n.b == end && !n.quoted())
}

/// The long form before `(ABBR)` whose capitalised words' initials spell the abbreviation.
fn long_form(s: &Sent<'_>, paren: usize, abbr: &str) -> Option<String> {
    let n = name_ending_at(s, paren)?;
    let text = s.name_text(&n);
    let initials: String = text
        .split_whitespace()
        .filter_map(|w| w.chars().next().filter(|c| c.is_uppercase()))
        .collect();
    (initials == abbr && text.split_whitespace().count() >= 2).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::extract;
    use crate::facts::{Body, Facts};

    fn aliases(text: &str) -> Vec<(String, Vec<String>)> {
        let facts: Facts = extract(text);
        facts
            .facts
            .into_iter()
            .filter_map(|f| match f.body {
                Body::Alias(a) => Some((a.name, a.aliases)),
                _ => None,
            })
            .collect()
    }

    #[track_caller]
    fn case(text: &str, name: &str, expected: &[&str]) {
        let got = aliases(text);
        let found = got.iter().find(|(n, _)| n == name);
        assert_eq!(
            found.map(|(_, a)| a.clone()),
            Some(expected.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()),
            "{got:?}"
        );
    }

    #[test]
    fn alias_patterns() {
        case(
            "The Guild (Latin: Collegium Fabrorum), also known as the Builders League, was old.",
            "Guild",
            &["Collegium Fabrorum", "Builders League"],
        );
        case(
            "Next was Hans Example (AKA \"Leo\" and \"Alfred Langer\") in Bonn.",
            "Hans Example",
            &["Leo", "Alfred Langer"],
        );
        case(
            "The Board of Public Works (BPW) met.",
            "Board of Public Works",
            &["BPW"],
        );
        case(
            "Anna Berg met Otto Lind. Lind (as \"Moss\") left.",
            "Otto Lind",
            &["Moss"],
        );
        case(
            "The Guild was old. It has also been translated as the Craft Union.",
            "Guild",
            &["Craft Union"],
        );
        case(
            "The Guild, formally the Guild of Bath Masons, is old.",
            "Guild",
            &["Guild of Bath Masons"],
        );
        case(
            "The Guild is old. It was led by William Thomson, later Lord Kelvin, for years.",
            "William Thomson",
            &["Lord Kelvin"],
        );
    }

    #[test]
    fn known_to_is_not_an_alias() {
        assert!(
            aliases("He met George Mink (also known to Whittaker Chambers in New York City).")
                .is_empty()
        );
    }
}
