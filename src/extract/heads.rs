//! Who led what: "The first head of X was P", "In Germany, the head was P", "P was the last
//! X head in Germany", "P was Q's deputy", "P succeeded Q to head X in 1937", "Next was P",
//! "Succeeding him was P", "..., headed by P", "X general secretary P", "as head of the
//! courier section". Successions carry order and the predecessor's end year.

use super::Sink;
use super::context::{Context, Sent, org_like, person_like};
use super::token::Name;
use crate::facts::{Body, Date, Head, Role, When};

fn role_of(word: &str) -> Option<Role> {
    let mut buf = [0u8; 24];
    match super::token::lower(word, &mut buf)? {
        "head" | "leader" | "director" | "chief" | "chairman" | "chairwoman" | "chair"
        | "president" | "commander" | "secretary" | "director-general" | "boss" | "rezident"
        | "resident" => Some(Role::Head),
        "deputy" | "vice-president" | "vice-chairman" | "vice-chair" | "assistant"
        | "vice-director" | "second-in-command" => Some(Role::Deputy),
        "representative" | "envoy" | "delegate" | "emissary" | "liaison" => {
            Some(Role::Representative)
        }
        _ => None,
    }
}

fn ordinal(word: &str) -> Option<u32> {
    let mut buf = [0u8; 24];
    Some(match super::token::lower(word, &mut buf)? {
        "first" | "founding" | "inaugural" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        _ => return None,
    })
}

/// A head found in one sentence, before it becomes a fact.
struct Cand {
    person: String,
    org: Option<String>,
    region: Option<String>,
    role: Role,
    order: Option<u32>,
    from: Option<When>,
    to: Option<When>,
    /// A time the role was held, from the sentence ("in 1925", "in the mid-1920s").
    during: Option<When>,
    rule: &'static str,
    /// The predecessor's fact index, for successions.
    after: Option<usize>,
}

pub fn apply(s: &Sent<'_>, ctx: &mut Context, sink: &mut Sink<'_>) {
    let mut cands: Vec<Cand> = Vec::new();
    noun_phrase_was_person(s, ctx, &mut cands);
    person_was_role(s, ctx, &mut cands);
    succession(s, ctx, sink, &mut cands);
    headed_by(s, ctx, &mut cands);
    title_before_name(s, ctx, &mut cands);
    as_role_of(s, ctx, &mut cands);
    let time = sentence_time(s);
    for mut c in cands {
        if c.person.trim().is_empty() || !person_like(&c.person) {
            continue;
        }
        if c.from.is_none() && c.to.is_none() && c.during.is_none() {
            match &time {
                Time::Term(from, to) => {
                    (c.from, c.to) = (from.clone(), to.clone());
                    sink.used_date = true;
                }
                // "In 1923, the OMS received direction from the X, headed by P": the year
                // is the headship's and the event's, so the date fact is kept too.
                Time::During(when) => c.during = Some(when.clone()),
                Time::None => {}
            }
        }
        let org = c.org.or_else(|| ctx.topic.clone());
        if let Some(prev) = c.after {
            if c.order.is_none() {
                let prev_order = sink.head(prev).and_then(|h| h.order);
                if prev_order.is_none()
                    && let Some(h) = sink.head_mut(prev)
                {
                    h.order = Some(1);
                }
                c.order = Some(prev_order.unwrap_or(1) + 1);
            }
            if let (Some(from), Some(h)) = (&c.from, sink.head_mut(prev))
                && h.to.is_none()
            {
                h.to = Some(from.clone());
            }
        }
        if matches!(
            c.rule,
            "heads.role-was" | "heads.next-was" | "heads.person-was-role"
        ) {
            // The sentence's date is the headship's, not another event.
            sink.used_date = true;
        }
        ctx.meet(&c.person);
        ctx.last_person = Some(c.person.clone());
        let index = sink.push(
            Body::Head(Head {
                person: c.person,
                org,
                region: c.region,
                role: c.role,
                from: c.from,
                to: c.to,
                during: c.during,
                order: c.order,
            }),
            c.rule,
            false,
        );
        if c.role == Role::Head {
            ctx.last_head = Some(index);
        }
    }
}

/// What a sentence says of a headship's time.
enum Time {
    None,
    /// "from 1921 to 1926" (both ends), "since 1921" (the start), "until 1935" (the end).
    Term(Option<When>, Option<When>),
    /// "in 1925", "during the 1930s", "in the mid-1920s": a time the role was held.
    During(When),
}

/// The first date of the sentence that can time its headships: outside quotes and brackets
/// (a lifespan "(1902-1937)"), certain, and not in a relative clause after the name (",
/// who wrote a book in 1931" times the book), unless that clause is the headship (", who
/// led it from 1778 to 1820") or tells how the post began (", who arrived there in 1921",
/// ", who was appointed in 1921": the start).
fn sentence_time(s: &Sent<'_>) -> Time {
    let toks = &s.toks;
    let relative = (1..toks.len())
        .find(|&i| toks[i].is_any(&["who", "whom", "which", "whose"]) && toks[i - 1].text == ",")
        .unwrap_or(toks.len());
    let verb = toks.get(relative + 1);
    let starts = verb.is_some_and(|t| {
        t.is_any(&["arrived", "became", "took"])
            || (t.is("was")
                && toks
                    .get(relative + 2)
                    .is_some_and(|t| t.is_any(&["appointed", "named", "elected", "sent"])))
    });
    // ", who led the society from 1778 to 1820": the clause is the headship itself.
    let holds = verb.is_some_and(|t| {
        t.is_any(&[
            "led", "headed", "served", "presided", "held", "ran", "directed", "chaired",
        ])
    });
    let point = |p| When::one(Date::point(p));
    for d in &s.dates {
        if s.quoted[d.first] || s.paren[d.first] || d.uncertain {
            continue;
        }
        if d.first >= relative && !holds {
            if starts && d.first < relative + 8 && d.lead.as_deref() == Some("in") {
                return Time::Term(Some(point(d.when.first().start)), None);
            }
            continue;
        }
        let date = d.when.first();
        return match d.lead.as_deref() {
            Some("from") => Time::Term(Some(point(date.start)), date.end.map(point)),
            Some("since") if date.end.is_none() => Time::Term(Some(point(date.start)), None),
            Some("until" | "till") if date.end.is_none() => {
                Time::Term(None, Some(point(date.start)))
            }
            Some("in" | "during" | "throughout") => Time::During(When::one(date)),
            _ => continue,
        };
    }
    Time::None
}

/// The person named at token `i` (resolved), if the name reads as a person.
fn person_at(s: &Sent<'_>, ctx: &Context, i: usize) -> Option<(String, Name)> {
    let n = s.name_at(i, false)?;
    if n.first != i && !s.toks[i].is("the") {
        return None;
    }
    let text = s.name_text(&n);
    person_like(text).then(|| (ctx.person(text), n))
}

/// An organisation named after "of" at token `i` ("of the OMS" -> "OMS").
fn org_after_of(s: &Sent<'_>, ctx: &Context, i: usize) -> Option<String> {
    if !s.toks.get(i)?.is("of") {
        return None;
    }
    if s.toks.get(i + 1).is_some_and(|t| t.is_any(&["it", "its"])) {
        return ctx.it();
    }
    let n = s.name_at(i + 1, true)?;
    ctx.resolve(s.name_text(&n))
}

/// A region after "in" or "for" at token `i` that is not a date.
fn region_at(s: &Sent<'_>, i: usize) -> Option<String> {
    let t = s.toks.get(i)?;
    if !t.is_any(&["in", "for"]) || s.dates.iter().any(|d| d.first == i + 1 || d.first == i + 2) {
        return None;
    }
    let n = s.name_at(i + 1, false)?;
    let text = s.name_text(&n);
    (!n.quoted()).then(|| text.to_owned())
}

/// "The first head of the X was P", "In Germany, the head was P", "The X's representative on
/// the Y was P", "Next was P", "Succeeding him was P".
fn noun_phrase_was_person(s: &Sent<'_>, ctx: &Context, out: &mut Vec<Cand>) {
    let toks = &s.toks;
    let Some(w) = (s.clause..toks.len().min(s.clause + 16))
        .find(|&i| toks[i].is_any(&["was", "were"]) && !s.quoted[i] && !s.paren[i])
    else {
        return;
    };
    let np = s.clause..w;
    if np.is_empty() {
        return;
    }
    // "Next was P", "Succeeding him was P"
    let first = &toks[s.clause];
    if (first.is("next") && w == s.clause + 1) || (first.is("succeeding") && w <= s.clause + 3) {
        if let (Some((person, _)), Some(prev)) = (person_at(s, ctx, w + 1), ctx.last_head) {
            out.push(Cand {
                person,
                org: None,
                region: ctx.region.clone(),
                role: Role::Head,
                order: None,
                from: None,
                to: None,
                during: None,
                rule: "heads.next-was",
                after: Some(prev),
            });
        }
        return;
    }
    let Some(r) = np.clone().rev().find(|&i| role_of(toks[i].text).is_some()) else {
        return;
    };
    let role = role_of(toks[r].text).unwrap_or(Role::Head);
    // The noun phrase must be about the role itself: a determiner or possessive before it.
    let starts_ok = toks[s.clause].is_any(&["the", "an", "a", "its", "their"])
        || toks[s.clause..r].iter().any(|t| t.text == "'s");
    if !starts_ok {
        return;
    }
    // "was the botanist P": skip a lower-case description before the name.
    let mut at = w + 1;
    if toks.get(at).is_some_and(|t| t.is("the"))
        && let Some(k) = (at + 1..toks.len().min(at + 4)).find(|&k| toks[k].is_cap())
        && toks[at + 1..k].iter().all(|t| t.is_word() && !t.is_cap())
    {
        at = k;
    }
    let Some((person, _)) = person_at(s, ctx, at) else {
        return;
    };
    let mut org = org_after_of(s, ctx, r + 1);
    if org.is_none()
        && let Some(p) = toks[s.clause..r].iter().position(|t| t.text == "'s")
    {
        org = ctx.resolve(s.span(s.clause, s.clause + p));
    }
    if org.is_none() && r > s.clause + 1 && toks[r - 1].is_cap() && toks[r - 1].is_word() {
        org = Some(toks[r - 1].text.to_owned());
    }
    let region = (r + 1..w)
        .find_map(|i| region_at(s, i))
        .or_else(|| ctx.region.clone());
    let order = toks[s.clause..r].iter().find_map(|t| ordinal(t.text));
    out.push(Cand {
        person,
        org,
        region,
        role,
        order,
        from: None,
        to: None,
        during: None,
        rule: "heads.role-was",
        after: None,
    });
}

/// "P was the (first|last) (X) head (of Y) (in Z)", "P was Q's deputy".
fn person_was_role(s: &Sent<'_>, ctx: &Context, out: &mut Vec<Cand>) {
    let toks = &s.toks;
    let Some((person, n)) = person_at(s, ctx, s.clause) else {
        return;
    };
    // "P, 2nd Viscount P, was ...": skip an appositive.
    let mut after = n.end;
    if toks.get(after).is_some_and(|t| t.text == ",")
        && let Some(close) = (after + 1..toks.len().min(after + 8)).find(|&j| toks[j].text == ",")
    {
        after = close + 1;
    }
    let Some(w) = toks
        .get(after)
        .filter(|t| t.is_any(&["was", "became", "is"]))
        .map(|_| after)
    else {
        return;
    };
    let mut i = w + 1;
    if toks.get(i).is_some_and(|t| t.is_any(&["the", "a", "an"])) {
        i += 1;
    }
    // "Q's deputy"
    if let (Some(q), Some(poss)) = (s.name_at(i, false), toks.get(i + 1))
        && poss.text == "'s"
        && q.first == i
        && let Some(role) = toks.get(i + 2).and_then(|t| role_of(t.text))
    {
        let boss = ctx.person(s.name_text(&q));
        if person_like(&boss) {
            out.push(Cand {
                person,
                org: None,
                region: ctx.region.clone(),
                role,
                order: None,
                from: None,
                to: None,
                during: None,
                rule: "heads.possessive-role",
                after: None,
            });
            return;
        }
    }
    let order = toks.get(i).and_then(|t| ordinal(t.text));
    let last = toks.get(i).is_some_and(|t| t.is("last"));
    if order.is_some()
        || toks
            .get(i)
            .is_some_and(|t| t.is_any(&["last", "early", "later"]))
    {
        i += 1;
    }
    let mut org = None;
    if toks
        .get(i)
        .is_some_and(|t| t.is_cap() && role_of(t.text).is_none())
    {
        org = Some(toks[i].text.to_owned());
        i += 1;
    }
    let Some(role) = toks.get(i).and_then(|t| role_of(t.text)) else {
        return;
    };
    if let Some(o) = org_after_of(s, ctx, i + 1) {
        org = Some(o);
    }
    let region = (i + 1..toks.len().min(i + 8))
        .find_map(|k| region_at(s, k))
        .or_else(|| ctx.region.clone());
    // "the last head ... before the war in 1933": the tenure ended then.
    let to = last
        .then(|| s.dates.iter().find(|d| d.first > i && !s.quoted[d.first]))
        .flatten()
        .map(|d| When::one(Date::point(d.when.first().start)));
    out.push(Cand {
        person,
        org,
        region,
        role,
        order,
        from: None,
        to,
        during: None,
        rule: "heads.person-was-role",
        after: None,
    });
}

/// "P succeeded Q (to head X | as head of X) (in 1937)", "Q was succeeded by P".
fn succession(s: &Sent<'_>, ctx: &Context, sink: &mut Sink<'_>, out: &mut Vec<Cand>) {
    let toks = &s.toks;
    let Some(k) = (0..toks.len()).find(|&i| toks[i].is("succeeded") && !s.quoted[i]) else {
        return;
    };
    let passive = k > 0 && toks[k - 1].is("was") && toks.get(k + 1).is_some_and(|t| t.is("by"));
    let (new, old) = if passive {
        let Some((old, _)) = person_at(s, ctx, s.clause) else {
            return;
        };
        let Some((new, _)) = person_at(s, ctx, k + 2) else {
            return;
        };
        (new, old)
    } else {
        let Some((old, _)) = person_at(s, ctx, k + 1) else {
            return;
        };
        // The successor is the subject (a parenthesis such as `(as "Moskvin")` may follow it),
        // or the name before ", who succeeded".
        let relative = (k >= 3 && toks[k - 1].is("who") && toks[k - 2].text == ",")
            .then(|| {
                (k.saturating_sub(10)..k - 2)
                    .filter_map(|i| s.name_at(i, false))
                    .find(|n| n.end == k - 2 && !n.quoted())
            })
            .flatten()
            .map(|n| ctx.person(s.name_text(&n)));
        let Some(new) = relative.or_else(|| person_at(s, ctx, s.clause).map(|(p, _)| p)) else {
            return;
        };
        (new, old)
    };
    let old = if old.eq_ignore_ascii_case("him") || old.eq_ignore_ascii_case("her") {
        ctx.last_person.clone().unwrap_or(old)
    } else {
        old
    };
    let prev = sink.find_head(&old);
    let mut org = None;
    for i in k + 1..toks.len().min(k + 10) {
        if toks[i].is("head") && toks[i - 1].is("to") {
            org = s
                .name_at(i + 1, true)
                .and_then(|n| ctx.resolve(s.name_text(&n)));
            break;
        }
        if role_of(toks[i].text).is_some()
            && let Some(o) = org_after_of(s, ctx, i + 1)
        {
            org = Some(o);
            break;
        }
    }
    let (prev_org, prev_region) = prev
        .and_then(|p| sink.head(p))
        .map_or((None, None), |h| (h.org.clone(), h.region.clone()));
    let from = s
        .dates
        .iter()
        .find(|d| d.first > k && d.lead.as_deref() == Some("in") && !d.uncertain)
        .map(|d| When::one(Date::point(d.when.first().start)));
    if from.is_some() {
        sink.used_date = true;
    }
    out.push(Cand {
        person: new,
        org: org.or(prev_org),
        region: prev_region.or_else(|| ctx.region.clone()),
        role: Role::Head,
        order: None,
        from,
        to: None,
        during: None,
        rule: "heads.succeeded",
        after: prev,
    });
}

/// "..., headed by P (and Q)": the organisation is the name just before the comma, else the
/// sentence's subject.
fn headed_by(s: &Sent<'_>, ctx: &Context, out: &mut Vec<Cand>) {
    let toks = &s.toks;
    let Some(k) = (1..toks.len()).find(|&i| {
        toks[i].is_any(&["headed", "led", "chaired", "directed", "commanded", "run"])
            && toks.get(i + 1).is_some_and(|t| t.is("by"))
            && !s.quoted[i]
    }) else {
        return;
    };
    let mut org = None;
    // The name whose last token (or closing quote) sits just before the comma.
    let before = if toks[k - 1].text == "," { k - 1 } else { k };
    if before > 0 {
        for start in (before.saturating_sub(10)..before).rev() {
            if let Some(n) = s.name_at(start, true)
                && (n.end == before || (n.quoted() && n.end == before + 1))
            {
                org = ctx.resolve(s.name_text(&n));
                break;
            }
        }
        if org.is_none()
            && toks[before - 1].text == "\""
            && let Some(start) = (before.saturating_sub(10)..before - 1)
                .rev()
                .find(|&i| toks[i].text == "\"")
            && let Some(n) = s.name_at(start, true)
        {
            org = ctx.resolve(s.name_text(&n));
        }
    }
    if org.is_none() {
        let subject = s.subject_text();
        org = ctx.resolve(&subject).filter(|o| !o.is_empty());
    }
    let mut i = k + 2;
    while let Some((person, n)) = person_at(s, ctx, i) {
        out.push(Cand {
            person,
            org: org.clone(),
            region: ctx.region.clone().filter(|_| org.is_none()),
            role: Role::Head,
            order: None,
            from: None,
            to: None,
            during: None,
            rule: "heads.headed-by",
            after: None,
        });
        if toks.get(n.end).is_some_and(|t| t.is("and")) {
            i = n.end + 1;
        } else {
            break;
        }
    }
}

/// "X general secretary P", "X chairman P": an organisation's title before a name.
fn title_before_name(s: &Sent<'_>, ctx: &Context, out: &mut Vec<Cand>) {
    let toks = &s.toks;
    for r in 1..toks.len() {
        let t = &toks[r];
        if s.quoted[r]
            || !t.is_any(&["secretary", "chairman", "president", "director", "leader"])
            || t.is_cap()
        {
            continue;
        }
        let mut o = r - 1;
        if toks[o].is_any(&["general", "first", "executive"]) && o > 0 {
            o -= 1;
        }
        if !(toks[o].is_acronym() || (toks[o].is_cap() && org_like(toks[o].text))) {
            continue;
        }
        if let Some((person, n)) = person_at(s, ctx, r + 1)
            && n.first == r + 1
            && n.words() >= 2
        {
            out.push(Cand {
                person,
                org: Some(toks[o].text.to_owned()),
                region: None,
                role: Role::Head,
                order: None,
                from: None,
                to: None,
                during: None,
                rule: "heads.title-name",
                after: None,
            });
        }
    }
}

/// "P ... worked ... as head of the courier section", `P, also called "chief of X for Europe"`.
fn as_role_of(s: &Sent<'_>, ctx: &Context, out: &mut Vec<Cand>) {
    let toks = &s.toks;
    for r in 1..toks.len().saturating_sub(2) {
        let intro = toks[r - 1].is("as") || toks[r - 1].text == "\"";
        if !intro || !toks[r + 1].is("of") {
            continue;
        }
        let Some(role) = role_of(toks[r].text) else {
            continue;
        };
        // The person: the subject if it is one, else the last person-like name before.
        let subject = s.subject_text();
        let subject = (person_like(&subject)
            && s.subject.1 <= r
            && s.toks
                .get(s.subject.0)
                .is_some_and(super::token::Tok::is_cap))
        .then(|| ctx.person(&subject));
        let person = subject.or_else(|| {
            (s.clause..r).rev().find_map(|i| {
                let n = s.name_at(i, false)?;
                let text = s.name_text(&n);
                (n.first == i && !s.quoted[i] && person_like(text) && n.words() >= 1 && n.end <= r)
                    .then(|| ctx.person(text))
            })
        });
        let Some(person) = person else { continue };
        let mut k = r + 2;
        if toks.get(k).is_some_and(|t| t.is("the")) {
            k += 1;
        }
        let org = if toks.get(k).is_some_and(super::token::Tok::is_cap) {
            s.name_at(k, false).map(|n| s.name_text(&n).to_owned())
        } else {
            // Lower-case words up to a preposition: "the courier section at ..."
            let end = (k..toks.len().min(k + 5))
                .find(|&i| {
                    !toks[i].is_word()
                        || toks[i].is_any(&["at", "in", "of", "for", "from", "on", "and", "with"])
                })
                .unwrap_or(toks.len().min(k + 5));
            (end > k).then(|| s.span(k, end).to_owned())
        };
        let region = (r + 2..toks.len().min(r + 8))
            .find_map(|i| (toks[i].is("for")).then(|| region_at(s, i)).flatten());
        out.push(Cand {
            person,
            org: org.and_then(|o| ctx.resolve(&o)),
            region,
            role,
            order: None,
            from: None,
            to: None,
            during: None,
            rule: "heads.as-role-of",
            after: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract;
    use crate::facts::{Body, When};

    /// Each head the extractor finds, as `person from-to during`.
    fn times(text: &str) -> Vec<String> {
        let show = |w: Option<When>| w.map(|w| w.first().to_string()).unwrap_or_default();
        extract(text)
            .facts
            .into_iter()
            .filter_map(|f| match f.body {
                Body::Head(h) => Some(format!(
                    "{} {}-{} {}",
                    h.person,
                    show(h.from),
                    show(h.to),
                    show(h.during)
                )),
                _ => None,
            })
            .collect()
    }

    #[track_caller]
    fn case(text: &str, expected: &[&str]) {
        let text = format!("The Guild was a union.\n\n{text}\n");
        assert_eq!(times(&text), expected, "{text}");
    }

    #[test]
    fn a_headships_time_comes_from_its_sentence() {
        case(
            "In Wales, the head was Ann Berg from 1921 to 1926.",
            &["Ann Berg 1921-1926 "],
        );
        case(
            "In Wales, the head in 1925 was Ann Berg.",
            &["Ann Berg - 1925"],
        );
        case(
            "In Wales, the head in the early 1920s was Ann Berg.",
            &["Ann Berg - 1920/1923"],
        );
        case(
            "In Wales, the head was Ann Berg. Next was Bo Dahl in the mid-1920s.",
            &["Ann Berg - ", "Bo Dahl - 1923/1926"],
        );
        case(
            "In Wales, the head was Ann Berg until 1935.",
            &["Ann Berg -1935 "],
        );
        case(
            "In Wales, the head was Ann Berg since 1931.",
            &["Ann Berg 1931- "],
        );
        case(
            "In 1923, the Guild received money from the Fund, headed by Cy Ek.",
            &["Cy Ek - 1923"],
        );
        case(
            "Di Fors was the last Guild head in Wales before the war in 1939.",
            &["Di Fors -1939 "],
        );
        case(
            "Ed Gran succeeded Ann Berg to head the Guild in 1937.",
            &["Ed Gran 1937- "],
        );
        // A relative clause that tells how the post began gives its start.
        case(
            "In Wales, the head was Flo Hed, who arrived there in 1921 and stayed.",
            &["Flo Hed 1921- "],
        );
        case(
            "In Wales, the head was Gus Ivar, who was appointed in 1931.",
            &["Gus Ivar 1931- "],
        );
        case(
            "The longest-serving head was Hal Berg, who led the union from 1778 to 1820.",
            &["Hal Berg 1778-1820 "],
        );
    }

    #[test]
    fn dates_of_other_things_do_not_time_a_headship() {
        // A relative clause times the arrival, a bracket the person's life, a hedge nothing.
        case(
            "In Wales, the head was Ann Berg, who wrote a book in 1921 and stayed.",
            &["Ann Berg - "],
        );
        case(
            "The head of the Guild was Bo Dahl (1890-1950).",
            &["Bo Dahl - "],
        );
        case(
            "In Wales, the head in 1935 or 1937 was Cy Ek.",
            &["Cy Ek - "],
        );
    }
}
