//! `choice` cards: the answer among up to three wrong options of the same type (see
//! `distractors.rs`). A question with no wrong option left is not asked.

use super::distractors::{self, pick};
use super::recall::{alias_np, typeable, who};
use super::{Index, card, is_address, key, phrase};
use crate::deck::{Card, Kind};
use crate::facts::{Alias, Body, Dated, Fact, Head, Location, fold};

pub fn cards(ix: &Index<'_>, id: &str, fact: &Fact) -> Option<Card> {
    let k = key(id, "choice");
    let (prompt, answer, wrong) = match &fact.body {
        Body::Head(h) => head(ix, &k, h),
        Body::Location(l) => location(ix, &k, l),
        Body::Date(d) => date(ix, &k, fact, d)?,
        Body::Alias(a) => alias(ix, &k, a)?,
    };
    if wrong.is_empty() {
        return None;
    }
    let mut choices: Vec<String> = std::iter::once(answer.clone()).chain(wrong).collect();
    // Written sorted, for a reader; shown shuffled.
    choices.sort_by_key(|c| fold(c));
    let mut c = card(&k, Kind::Choice, prompt, answer, Some(fact));
    c.choices = choices;
    Some(c)
}

type Question = (String, String, Vec<String>);

/// "Which of these people headed the OMS in the Netherlands?": nobody who also headed it.
fn head(ix: &Index<'_>, k: &str, h: &Head) -> Question {
    let who = who(ix, h);
    let mut exclude = who.group.clone();
    exclude.push(h.person.clone());
    let wrong = pick(ix, k, distractors::people_for(ix, h), &exclude, 3)
        .into_iter()
        .filter(|p| !ix.headed(p, h.org.as_deref(), h.region.as_deref(), h.role))
        .collect();
    (
        format!("Which of these people {}?", who.predicate),
        h.person.clone(),
        wrong,
    )
}

/// "In which of these places was Hotel Lux?": other places, none the facts give for it.
fn location(ix: &Index<'_>, k: &str, l: &Location) -> Question {
    let exclude: Vec<String> = ix
        .places_of(&l.subject)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let wrong = pick(ix, k, distractors::places_like(ix, &l.place), &exclude, 3);
    let prompt = if is_address(&l.place) {
        format!("Which of these was the address of {}?", ix.np(&l.subject))
    } else {
        let np = ix.np(&l.subject);
        format!("In which of these places {} {np}?", phrase::be(&np))
    };
    (prompt, l.place.clone(), wrong)
}

/// "In which of these years did Scotland Yard raid ARCOS in London?": nearby years, none
/// that any fact gives for the same event. Only for a single, certain year or month.
fn date(ix: &Index<'_>, k: &str, fact: &Fact, d: &Dated) -> Option<Question> {
    let [date] = d.when.dates() else {
        return None;
    };
    if fact.uncertain || phrase::is_span(date) {
        return None;
    }
    let subject = d.subject.as_deref().map(|s| ix.np(s));
    let event = phrase::event(&d.event, d.subject.as_deref());
    let tail = event.question(subject.as_deref().unwrap_or(""))?;
    let true_years = super::year::years_of(ix, d);
    let wrong = distractors::near_years(ix, k, date.start.year, &true_years, 3);
    Some((
        format!("In which of these years {tail}?"),
        date.start.year.to_string(),
        wrong.into_iter().map(|y| y.to_string()).collect(),
    ))
}

/// "Which of these people was also known as Leo?": for people only, nobody else known so.
fn alias(ix: &Index<'_>, k: &str, a: &Alias) -> Option<Question> {
    if !ix.is_person(&a.name) {
        return None;
    }
    let first = typeable(&a.aliases)?;
    let mut exclude: Vec<String> = ix.named(first).to_vec();
    exclude.push(a.name.clone());
    let wrong = pick(ix, k, distractors::people(ix, k), &exclude, 3);
    Some((
        format!(
            "Which of these people was also known as {}?",
            alias_np(ix, &a.name, first)
        ),
        a.name.clone(),
        wrong,
    ))
}
