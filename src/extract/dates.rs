//! What happened when: a sentence with a date ("In April 1927, the police raided ...",
//! "It was founded ... in July 1921", "X was purged in 1938") gives one event, its subject
//! and its date; "P (1902-1937)" gives birth and death. Dates inside quotations, dates of
//! statements ("In 1999, the historian stated ...") and dates a head fact already carries
//! are not events.

use super::Sink;
use super::context::{Context, Sent, org_like, person_like, subject_range};
use super::time::Found;
use crate::facts::{Body, Date, Dated, When};

/// Words before a date that make it a bound, not the time of the event.
const BOUNDS: &[&str] = &["after", "before", "until", "till", "to", "of", "through"];

/// Subjects whose dated actions are about the literature (who wrote what when).
const SCHOLARS: &[&str] = &[
    "historian",
    "historians",
    "scholar",
    "scholars",
    "author",
    "writer",
    "journalist",
    "biographer",
    "expert",
    "researcher",
    "professor",
    "critic",
    "analyst",
];

pub fn apply(s: &Sent<'_>, ctx: &mut Context, sink: &mut Sink<'_>, topic_sentence: bool) {
    let mut used: Vec<usize> = Vec::new();
    lifespans(s, ctx, sink, topic_sentence, &mut used);
    if sink.used_date {
        relative_clause(s, ctx, sink);
        return;
    }
    // The event's date: the first one outside quotes and lifespans that is not a bound.
    let Some(found) = s.dates.iter().enumerate().find_map(|(k, d)| {
        let ok = !used.contains(&k)
            && !s.quoted[d.first]
            && !d.lead.as_deref().is_some_and(|l| BOUNDS.contains(&l));
        ok.then_some(d)
    }) else {
        return;
    };
    // A statement's date ("In 1999, X stated ...") is not an event; a reported clause ("X
    // says that the group went to Y in 1923") is read from "that" on.
    let mut from = 0;
    if let Some(r) = s.reporting {
        let that = s.toks.get(r + 1).is_some_and(|t| t.is("that"));
        if !that || found.first < r {
            return;
        }
        from = r + 2;
    }
    if s.toks[from..].iter().any(|t| t.text == "?") {
        return;
    }
    // "In 2007, the historian X wrote ...": the literature, not the subject's history.
    let (sa, sb) = s.subject;
    if found.first < s.clause && s.toks[sa..sb].iter().any(|t| t.is_any(SCHOLARS)) {
        return;
    }
    // "founded on 28 November 1660 and received a charter in 1662": one event per date.
    let mut parts: Vec<(&Found, usize)> = Vec::new(); // a date and where its part starts
    let mut last = found;
    for d in s.dates.iter().filter(|d| d.first > found.end) {
        let and = (last.end..d.first).find(|&i| s.toks[i].is("and") && !s.paren[i]);
        if let Some(and) = and
            && !s.quoted[d.first]
            && matches!(d.lead.as_deref(), Some("in" | "on"))
        {
            parts.push((d, and));
            last = d;
        }
    }
    let first_end = parts.first().map_or(s.toks.len(), |(_, and)| *and);
    let (subject, body) = event_start(s, ctx, found, from);
    let rule = if found.first <= s.clause {
        "dates.leading"
    } else {
        "dates.in-sentence"
    };
    let mut events = vec![(found, words_from(s, body, first_end), rule)];
    for (k, (d, and)) in parts.iter().enumerate() {
        let end = parts.get(k + 1).map_or(s.toks.len(), |(_, a)| *a);
        events.push((d, words_from(s, and + 1, end), "dates.coordinated"));
    }
    for (d, event, rule) in events {
        if event.is_empty() {
            continue;
        }
        sink.push(
            Body::Date(Dated {
                event,
                subject: subject.clone(),
                when: d.when.clone(),
            }),
            rule,
            d.uncertain,
        );
    }
}

/// "Name (1902-1937)": born and died; "Name (born 1902)". An organisation's "(1921-1939)"
/// says when it existed.
fn lifespans(
    s: &Sent<'_>,
    ctx: &Context,
    sink: &mut Sink<'_>,
    topic_sentence: bool,
    used: &mut Vec<usize>,
) {
    let toks = &s.toks;
    for (k, d) in s.dates.iter().enumerate() {
        let open = d.first.checked_sub(1);
        let born = open.is_some_and(|o| toks[o].is("born")) && d.first >= 2;
        let o = if born {
            d.first - 2
        } else {
            d.first.wrapping_sub(1)
        };
        if o >= toks.len() || toks[o].text != "(" || toks.get(d.end).is_none_or(|t| t.text != ")") {
            continue;
        }
        let Some(name) = (o.saturating_sub(8)..o)
            .filter_map(|i| s.name_at(i, true))
            .find(|n| n.end == o && !n.quoted())
        else {
            continue;
        };
        let text = s.name_text(&name);
        let date = d.when.first();
        used.push(k);
        let term = date.end.is_some_and(|e| {
            e.year.saturating_sub(date.start.year) < super::tenure::MAX_TERM_YEARS
        });
        if person_like(text)
            && term
            && s.toks.iter().any(|t| {
                t.is_any(&[
                    "president",
                    "presidents",
                    "head",
                    "heads",
                    "director",
                    "directors",
                    "chairman",
                    "leader",
                    "leaders",
                ])
            })
        {
            // A term of office (the tenure rules read it), not a lifespan.
        } else if person_like(text) {
            let person = ctx.person(text);
            let end = date.end.filter(|_| !born);
            for (event, point) in [("born", Some(date.start)), ("died", end)] {
                if let Some(p) = point {
                    sink.push(
                        Body::Date(Dated {
                            event: event.to_owned(),
                            subject: Some(person.clone()),
                            when: When::one(Date::point(p)),
                        }),
                        "dates.lifespan",
                        false,
                    );
                }
            }
        } else if org_like(text) && date.end.is_some() {
            let subject = if topic_sentence {
                ctx.topic.clone()
            } else {
                Some(text.to_owned())
            };
            sink.push(
                Body::Date(Dated {
                    event: "existed".to_owned(),
                    subject,
                    when: d.when.clone(),
                }),
                "dates.existed",
                false,
            );
        }
    }
}

/// The subject and the event of a sentence around its date: the date, its preposition, the
/// leading adverbial and quoted or bracketed asides removed, cut at a following clause.
fn event_start(s: &Sent<'_>, ctx: &Context, found: &Found, from: usize) -> (Option<String>, usize) {
    let toks = &s.toks;
    let start = from.max(if found.first < s.clause { s.clause } else { 0 });
    let (sa, sb) = if start == s.clause {
        s.subject
    } else {
        subject_range(toks, start)
    };
    let subject_text = s.np_text(sa, sb);
    let subject = if subject_text.is_empty() {
        None
    } else if subject_text.split_whitespace().count() == 1
        && person_like(&subject_text)
        && !s.toks[sa].is_acronym()
    {
        Some(ctx.person(&subject_text))
    } else {
        ctx.resolve(&subject_text)
    };
    let body_start = if subject.is_some() { sb } else { start };
    (subject, body_start)
}

/// The event's words from token `from`: dates (with their preposition), brackets and an
/// appositive right after the subject left out; cut at a following clause or quotation.
fn words_from(s: &Sent<'_>, from: usize, end: usize) -> String {
    let toks = &s.toks;
    let in_date = |i: usize| {
        s.dates
            .iter()
            .any(|d| i + usize::from(d.lead.is_some()) >= d.first && i < d.end)
    };
    let mut words: Vec<&str> = Vec::new();
    let mut depth = 0usize;
    let mut i = from;
    let end = end.min(toks.len());
    while i < end {
        let t = &toks[i];
        if t.text == "(" {
            depth += 1;
        } else if t.text == ")" {
            depth = depth.saturating_sub(1);
        } else if depth > 0 || in_date(i) {
            // left out
        } else if t.text == "," && words.is_empty() {
            // An appositive after the subject: ", wife of X," is skipped.
            i = (i + 1..toks.len().min(i + 14))
                .find(|&k| toks[k].text == ",")
                .unwrap_or(i);
        } else {
            let next = toks.get(i + 1);
            let quoted_name = t.text == "\"" && s.name_at(i, true).is_some_and(|n| n.first == i);
            let stop = matches!(t.text, ";" | ":")
                || (t.text == ","
                    && next.is_some_and(|n| {
                        n.is_any(&[
                            "which", "who", "whose", "by", "headed", "led", "where", "charged",
                            "a", "an",
                        ]) || n.text == "\""
                    }))
                || (t.text == "\""
                    && !quoted_name
                    && !words.is_empty()
                    && !s.quoted[i.saturating_sub(1)])
                || (t.text == "," && words.len() >= 12);
            if stop {
                break;
            }
            if quoted_name {
                // Keep the name, drop its quotes (and a comma inside them).
                if let Some(n) = s.name_at(i, true) {
                    words.push(s.name_text(&n));
                    i = n.end;
                    continue;
                }
            }
            if !matches!(t.text, "\"" | ".") {
                words.push(t.text);
            }
            if words.len() >= 30 {
                break;
            }
        }
        i += 1;
    }
    // "was founded" -> "founded"
    while words
        .first()
        .is_some_and(|w| matches!(*w, "was" | "were" | "had" | "been" | ","))
    {
        words.remove(0);
    }
    while words
        .last()
        .is_some_and(|w| matches!(*w, "," | "and" | "in" | "the" | "-" | "of"))
    {
        words.pop();
    }
    let mut event = String::new();
    for w in words {
        if !event.is_empty() && !matches!(w, "," | "'s" | "." | ")") {
            event.push(' ');
        }
        event.push_str(w);
    }
    event
}

/// "X, who arrived there in 1921, ...": a date in a relative clause is an event of X.
fn relative_clause(s: &Sent<'_>, ctx: &Context, sink: &mut Sink<'_>) {
    let toks = &s.toks;
    for d in &s.dates {
        if s.quoted[d.first] || d.lead.as_deref().is_some_and(|l| BOUNDS.contains(&l)) {
            continue;
        }
        let Some(w) = (d.first.saturating_sub(12)..d.first)
            .rev()
            .find(|&k| toks[k].is_any(&["who", "which"]) && k > 0 && toks[k - 1].text == ",")
        else {
            continue;
        };
        let Some(n) = (w.saturating_sub(9)..w - 1)
            .filter_map(|k| s.name_at(k, true))
            .find(|n| n.end == w - 1)
        else {
            continue;
        };
        let name = s.name_text(&n);
        let subject = if person_like(name) {
            ctx.person(name)
        } else {
            name.to_owned()
        };
        // "who was president from ...", "who succeeded X": a term of office, read by the
        // head rules.
        let clause = &toks[w + 1..d.first];
        if clause.iter().any(|t| {
            t.is_any(&[
                "succeeded",
                "president",
                "head",
                "director",
                "chairman",
                "leader",
                "led",
                "headed",
                "presided",
            ])
        }) {
            return;
        }
        let event = words_from(s, w + 1, toks.len());
        if !event.is_empty() {
            sink.push(
                Body::Date(Dated {
                    event,
                    subject: Some(subject),
                    when: d.when.clone(),
                }),
                "dates.relative-clause",
                d.uncertain,
            );
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract;
    use crate::facts::Body;

    fn dates(text: &str) -> Vec<(Option<String>, String, String, bool)> {
        extract(text)
            .facts
            .into_iter()
            .filter_map(|f| match f.body {
                Body::Date(d) => {
                    let when: Vec<String> =
                        d.when.dates().iter().map(ToString::to_string).collect();
                    Some((d.subject, d.event, when.join("|"), f.uncertain))
                }
                _ => None,
            })
            .collect()
    }

    #[track_caller]
    fn case(text: &str, subject: Option<&str>, event: &str, when: &str, uncertain: bool) {
        let got = dates(text);
        assert!(
            got.contains(&(
                subject.map(str::to_owned),
                event.to_owned(),
                when.to_owned(),
                uncertain
            )),
            "{got:?}"
        );
    }

    #[test]
    fn leading_and_trailing_dates() {
        case(
            "The Guild was a union. It was founded at the Great Fair in July 1921.",
            Some("Guild"),
            "founded at the Great Fair",
            "1921-07",
            false,
        );
        case(
            "In April 1927, the city police raided the Guild office in Bath.",
            Some("city police"),
            "raided the Guild office in Bath",
            "1927-04",
            false,
        );
        case(
            "Anna Berg was purged in 1938.",
            Some("Anna Berg"),
            "purged",
            "1938",
            false,
        );
        case(
            "The Guild was a union. It began to fold into the Board in 1935 or 1937 with the reform.",
            Some("Guild"),
            "began to fold into the Board with the reform",
            "1935|1937",
            true,
        );
        case(
            "During 1937-1939, the Guild received blame, by which time it was gone.",
            Some("Guild"),
            "received blame",
            "1937/1939",
            false,
        );
    }

    #[test]
    fn lifespans_give_birth_and_death() {
        case(
            "Berthe Example (1902-1937) worked there.",
            Some("Berthe Example"),
            "born",
            "1902",
            false,
        );
        case(
            "Berthe Example (1902-1937) worked there.",
            Some("Berthe Example"),
            "died",
            "1937",
            false,
        );
    }

    #[test]
    fn statements_and_quotes_are_not_events() {
        assert!(
            dates("In 1999, the historian Ann Lee stated, \"The Guild was large.\"").is_empty()
        );
        assert!(dates("Ann Lee noted, \"Between 1919 and 1922, people moved.\"").is_empty());
        assert!(dates("After 1927, agents acted as liaisons.").is_empty());
    }
}
