//! `year` cards: "In what year ...?" for events, "During which years ...?" for spans, and the
//! years a head's term began or ended. Answers are YYYY or YYYY-YYYY (the grader accepts a
//! fuller date of the right year); every alternative of an uncertain date is accepted.

use super::phrase::{self, year_answer};
use super::{Index, card, key};
use crate::deck::{Card, Kind};
use crate::facts::{Body, Dated, Fact, Head, Role, When};

pub fn cards(ix: &Index<'_>, id: &str, fact: &Fact) -> Option<Card> {
    match &fact.body {
        Body::Date(d) => date(ix, id, fact, d),
        Body::Head(h) => head(ix, id, fact, h),
        _ => None,
    }
}

/// Every year any fact gives for this subject and event (alternatives included).
pub fn years_of(ix: &Index<'_>, d: &Dated) -> Vec<u16> {
    ix.dates_of(d.subject.as_deref(), &d.event)
        .iter()
        .flat_map(|o| o.when.dates().iter().map(|x| x.start.year))
        .collect()
}

fn date(ix: &Index<'_>, id: &str, fact: &Fact, d: &Dated) -> Option<Card> {
    let subject = d.subject.as_deref().map(|s| ix.np(s));
    let event = phrase::event(&d.event, d.subject.as_deref());
    let tail = event.question(subject.as_deref().unwrap_or(""))?;
    let first = d.when.first();
    let prompt = if phrase::is_span(&first) {
        format!("During which years {tail}?")
    } else {
        format!("In what year {tail}?")
    };
    let mut c = card(
        &key(id, "year"),
        Kind::Year,
        prompt,
        year_answer(&first),
        Some(fact),
    );
    c.accept = d.when.dates().iter().skip(1).map(year_answer).collect();
    // Another fact about the same event with another date answers the question too.
    for o in ix.dates_of(d.subject.as_deref(), &d.event) {
        c.accept.extend(o.when.dates().iter().map(year_answer));
    }
    if d.when.dates().len() > 1 {
        let given: Vec<String> = d.when.dates().iter().map(year_answer).collect();
        c.explanation = Some(format!(
            "The sources disagree: they give {}; each is accepted.",
            given.join(" or ")
        ));
    }
    Some(c)
}

/// "During which years did X head the OMS in the United States?", "In what year did X become
/// head of the OMS?", "Until what year did X head the OMS?".
fn head(ix: &Index<'_>, id: &str, fact: &Fact, h: &Head) -> Option<Card> {
    if h.role != Role::Head {
        return None;
    }
    let org = ix.np(ix.org_name(h.org.as_deref()));
    let place = h
        .region
        .as_deref()
        .map(|r| format!(" in {}", ix.np(r)))
        .unwrap_or_default();
    let span = |a: u16, b: u16| {
        if a == b {
            a.to_string()
        } else {
            format!("{a}-{b}")
        }
    };
    let years = |w: &When, end: bool| -> Vec<u16> {
        w.dates()
            .iter()
            .map(|d| {
                if end {
                    d.end.unwrap_or(d.start).year
                } else {
                    d.start.year
                }
            })
            .collect()
    };
    // Every reading of an uncertain start or end is an answer; the first is shown.
    let (prompt, answers): (String, Vec<String>) = match (&h.from, &h.to) {
        (Some(from), Some(to)) => (
            format!("During which years did {} head {org}{place}?", h.person),
            years(from, false)
                .into_iter()
                .flat_map(|a| years(to, true).into_iter().map(move |b| (a, b)))
                .filter(|(a, b)| a <= b)
                .map(|(a, b)| span(a, b))
                .collect(),
        ),
        (Some(from), None) => (
            format!("In what year did {} become head of {org}{place}?", h.person),
            years(from, false).iter().map(ToString::to_string).collect(),
        ),
        (None, Some(to)) => (
            format!("Until what year did {} head {org}{place}?", h.person),
            years(to, true).iter().map(ToString::to_string).collect(),
        ),
        (None, None) => return None,
    };
    let (answer, accept) = answers.split_first()?;
    let mut c = card(
        &key(id, "year"),
        Kind::Year,
        prompt,
        answer.clone(),
        Some(fact),
    );
    c.accept = accept.to_vec();
    if !c.accept.is_empty() {
        c.explanation = Some(format!(
            "The sources disagree: they give {}; each is accepted.",
            answers.join(" or ")
        ));
    }
    Some(c)
}
