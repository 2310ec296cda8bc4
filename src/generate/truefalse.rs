//! `truefalse` cards: a statement from a fact, or a false one made by swapping one element
//! for another of the same type (a person, a place, a year, a name), checked against every
//! fact so a "false" statement is never true. Whether a fact's card is true or false depends
//! on the fact's id only (so adding facts or changing the seed does not flip it); it is true
//! when no false statement can be made.

use super::distractors::{self, pick};
use super::phrase::{self, capitalize};
use super::recall::{typeable, who};
use super::{Index, card, is_address, key};
use crate::deck::{Card, Kind};
use crate::facts::{Alias, Body, Date, Dated, Fact, Head, Location, Point, When, fold};

pub fn cards(ix: &Index<'_>, id: &str, fact: &Fact) -> Option<Card> {
    let k = key(id, "truefalse");
    let want_false = blake3::hash(id.as_bytes()).as_bytes()[0] & 1 == 1;
    let (truth, lie) = match &fact.body {
        Body::Head(h) => head(ix, &k, h),
        Body::Date(d) => date(ix, &k, fact, d)?,
        Body::Location(l) => location(ix, &k, l),
        Body::Alias(a) => alias(ix, &k, a)?,
    };
    let mut c = match lie.filter(|_| want_false) {
        Some(lie) => {
            let mut c = card(&k, Kind::TrueFalse, lie, "false".to_owned(), Some(fact));
            c.explanation = Some(format!("False: {truth}"));
            c
        }
        None => card(&k, Kind::TrueFalse, truth, "true".to_owned(), Some(fact)),
    };
    c.accept.clear();
    Some(c)
}

fn sentence(text: &str) -> String {
    format!("{}.", capitalize(text))
}

/// "Henk Sneevliet headed the OMS in the Netherlands." / the same with another head.
fn head(ix: &Index<'_>, k: &str, h: &Head) -> (String, Option<String>) {
    let who = who(ix, h);
    let truth = sentence(&format!("{} {}", h.person, who.predicate));
    let mut exclude = who.group.clone();
    exclude.push(h.person.clone());
    let lie = pick(ix, k, distractors::people_for(ix, h), &exclude, 8)
        .into_iter()
        .find(|p| !ix.headed(p, h.org.as_deref(), h.region.as_deref(), h.role))
        .map(|p| sentence(&format!("{p} {}", who.predicate)));
    (truth, lie)
}

/// "Scotland Yard raided ARCOS in London in May 1927." / the same in a nearby year that no
/// fact gives for the event. Uncertain dates are only stated, never falsified.
fn date(ix: &Index<'_>, k: &str, fact: &Fact, d: &Dated) -> Option<(String, Option<String>)> {
    let subject = d.subject.as_deref().map(|s| ix.np(s));
    let event = phrase::event(&d.event, d.subject.as_deref());
    let said = event.statement(subject.as_deref().unwrap_or(""))?;
    let dated = |when: &When| sentence(&format!("{}, {said}", phrase::when_phrase(when)));
    let truth = dated(&d.when);
    if fact.uncertain || d.when.dates().len() > 1 {
        return Some((truth, None));
    }
    let first = d.when.first();
    let true_years = super::year::years_of(ix, d);
    let lie = distractors::near_years(ix, k, first.start.year, &true_years, 1)
        .first()
        .map(|&year| {
            let shift = |p: Point| Point {
                year: (i32::from(p.year) + i32::from(year) - i32::from(first.start.year))
                    .clamp(1, 9999) as u16,
                ..p
            };
            let moved = Date {
                start: shift(first.start),
                end: first.end.map(shift),
            };
            dated(&When::one(moved))
        });
    Some((truth, lie))
}

/// "Hotel Lux was in Moscow." / "... in Berlin." (a place the facts do not give for it).
fn location(ix: &Index<'_>, k: &str, l: &Location) -> (String, Option<String>) {
    let say = |place: &str| {
        if is_address(place) {
            sentence(&format!("the address of {} was {place}", ix.np(&l.subject)))
        } else {
            let np = ix.np(&l.subject);
            sentence(&format!("{np} {} in {place}", phrase::be(&np)))
        }
    };
    let exclude: Vec<String> = ix
        .places_of(&l.subject)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let lie = pick(ix, k, distractors::places_like(ix, &l.place), &exclude, 1)
        .first()
        .map(|p| say(p));
    (say(&l.place), lie)
}

/// "Mikhail Trilisser was also known as Moskvin." / another person (or thing) of the facts
/// that is not known by that name.
fn alias(ix: &Index<'_>, k: &str, a: &Alias) -> Option<(String, Option<String>)> {
    let alias = typeable(&a.aliases)?;
    let person = ix.is_person(&a.name);
    let say = |name: &str| {
        let np = if person { name.to_owned() } else { ix.np(name) };
        let alias_np = if person { alias.clone() } else { ix.np(alias) };
        sentence(&format!(
            "{np} {} also known as {alias_np}",
            phrase::be(&np)
        ))
    };
    let pool: Vec<(u8, String)> = if person {
        distractors::people(ix, k)
    } else {
        distractors::window(ix, k, &ix.things, 24)
            .map(|t| (0, t.clone()))
            .collect()
    };
    let exclude = vec![a.name.clone(), alias.clone()];
    let lie = pick(ix, k, pool, &exclude, 8)
        .into_iter()
        .find(|n| !ix.has_alias(n, alias) && fold(n) != fold(alias))
        .map(|n| say(&n));
    Some((say(&a.name), lie))
}
