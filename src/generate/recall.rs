//! `recall` cards, in both directions where it makes sense: who headed what and what (or
//! where) a person headed; who did what when; where a thing was; another name of a person or
//! thing and whose name it is. Also the head question's wording (`Who`), shared by `choice`
//! and `truefalse`.

use super::phrase::{self, possessive};
use super::term::{self, Scope};
use super::{Index, card, group_key, is_address, key};
use crate::deck::{Card, Kind};
use crate::facts::{Alias, Body, Dated, Fact, Head, Location, Role, fold};

pub fn cards(ix: &Index<'_>, id: &str, fact: &Fact) -> Vec<Card> {
    match &fact.body {
        Body::Head(h) => {
            let mut out = vec![head_forward(ix, id, fact, h)];
            out.extend(head_reverse(ix, fact, h));
            out
        }
        Body::Date(d) => date_subject(ix, id, fact, d).into_iter().collect(),
        Body::Location(l) => vec![location(ix, id, fact, l)],
        Body::Alias(a) => alias(ix, id, fact, a),
    }
}

/// How a head question is scoped, and who else answers it.
pub struct Who {
    /// What the person did: "headed the OMS in Germany", "was the first head of the OMS".
    pub predicate: String,
    /// Other people the facts say answer the question as scoped (accepted as right).
    pub others: Vec<String>,
    /// Everyone with the same role in the same organisation and region (never distractors).
    pub group: Vec<String>,
}

/// "headed the OMS in Germany", scoped so the question has one answer when the facts allow
/// it: by order of succession ("the first head"), else by time ("from 1933 to 1938", "became
/// head ... in 1937", "until 1933", "in the mid-1920s", "in 1925"; `term.rs` picks the one
/// that tells the group's heads apart), else unscoped, with every other person who fits
/// accepted.
pub fn who(ix: &Index<'_>, h: &Head) -> Who {
    let person = fold(&h.person);
    let peers: Vec<&Head> = ix
        .group(h)
        .iter()
        .copied()
        .filter(|o| fold(&o.person) != person)
        .collect();
    let org_np = ix.np(ix.org_name(h.org.as_deref()));
    let place = h
        .region
        .as_deref()
        .map(|r| format!(" in {}", ix.np(r)))
        .unwrap_or_default();
    let (plain, became) = match h.role {
        Role::Head => (
            format!("headed {org_np}{place}"),
            format!("became head of {org_np}{place}"),
        ),
        Role::Deputy => (
            format!("was deputy head of {org_np}{place}"),
            format!("became deputy head of {org_np}{place}"),
        ),
        Role::Representative => {
            let role = format!("{} representative{place}", possessive(&org_np));
            (format!("was {role}"), format!("became {role}"))
        }
    };
    let names = |heads: &[&Head]| heads.iter().map(|o| o.person.clone()).collect::<Vec<_>>();
    let group = names(&peers);
    if h.role == Role::Head
        && let Some(n) = h.order
        && (peers.is_empty() || !peers.iter().any(|o| o.order == Some(n)))
    {
        let predicate = if n == 1 && peers.is_empty() {
            plain
        } else {
            format!("was the {} head of {org_np}{place}", phrase::ordinal(n))
        };
        return Who {
            predicate,
            others: Vec::new(),
            group,
        };
    }
    match term::choose(h, &peers) {
        Some((scope, others)) => Who {
            predicate: match scope {
                Scope::Became(_) => format!("{became}{}", scope.tail()),
                _ => format!("{plain}{}", scope.tail()),
            },
            others: names(&others),
            group,
        },
        None => Who {
            predicate: plain,
            others: group.clone(),
            group,
        },
    }
}

fn head_forward(ix: &Index<'_>, id: &str, fact: &Fact, h: &Head) -> Card {
    let who = who(ix, h);
    let mut c = card(
        &key(id, "recall-person"),
        Kind::Recall,
        format!("Who {}?", who.predicate),
        h.person.clone(),
        Some(fact),
    );
    c.accept = ix.person_accept(&h.person);
    for other in &who.others {
        c.accept.push(other.clone());
    }
    c
}

/// "Where did Henk Sneevliet head the OMS?" (the regions) or "What did David Glazer head?"
/// (the organisations). These draw on all of a person's headships, so they are keyed by the
/// person (and organisation), not by one fact, and made once.
fn head_reverse(ix: &Index<'_>, fact: &Fact, h: &Head) -> Option<Card> {
    if h.role != Role::Head {
        return None;
    }
    let mine: Vec<&Head> = ix
        .headships(&h.person)
        .iter()
        .copied()
        .filter(|o| o.role == Role::Head)
        .collect();
    let org_name = ix.org_name(h.org.as_deref());
    if let Some(region) = &h.region {
        let org = ix.org_key(h.org.as_deref());
        let regions: Vec<String> = mine
            .iter()
            .filter(|o| ix.org_key(o.org.as_deref()) == org)
            .filter_map(|o| o.region.clone())
            .collect();
        let mut c = card(
            &group_key("person", &[&h.person, org_name], "recall-where"),
            Kind::Recall,
            format!("Where did {} head {}?", h.person, ix.np(org_name)),
            region.clone(),
            Some(fact),
        );
        c.accept = regions;
        return Some(c);
    }
    let orgs: Vec<String> = mine
        .iter()
        .filter(|o| o.region.is_none())
        .map(|o| ix.org_name(o.org.as_deref()).to_owned())
        .collect();
    if orgs.iter().all(|o| ix.is_topic(o)) {
        // "What did the OMS's first head head?" -> "the OMS" asks nothing in an OMS deck.
        return None;
    }
    let answer = orgs
        .iter()
        .find(|o| !ix.is_topic(o))
        .cloned()
        .unwrap_or_else(|| org_name.to_owned());
    let mut c = card(
        &group_key("person", &[&h.person], "recall-what"),
        Kind::Recall,
        format!("What did {} head?", h.person),
        answer,
        Some(fact),
    );
    c.accept = orgs;
    Some(c)
}

/// "Who" for people, agencies and proper names; "What" for other things.
pub fn who_or_what(ix: &Index<'_>, subject: &str) -> &'static str {
    let last = fold(subject).rsplit(' ').next().unwrap_or("").to_owned();
    let agency = matches!(
        last.as_str(),
        "police" | "army" | "government" | "party" | "court" | "service" | "agency" | "yard"
    );
    let proper = subject
        .split_whitespace()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if ix.is_person(subject) || agency || proper {
        "Who"
    } else {
        "What"
    }
}

/// "Who raided ARCOS in London in May 1927?": the subject of an event, when it is not the
/// topic (that answer would be the deck's title) and not a birth or death.
fn date_subject(ix: &Index<'_>, id: &str, fact: &Fact, d: &Dated) -> Option<Card> {
    let subject = d.subject.as_deref()?;
    if ix.is_topic(subject) || matches!(d.event.as_str(), "born" | "died") {
        return None;
    }
    let event = phrase::event(&d.event, Some(subject));
    let predicate = event.predicate()?;
    let when = phrase::when_phrase(&d.when);
    let mut c = card(
        &key(id, "recall-subject"),
        Kind::Recall,
        format!(
            "{}, {} {predicate}?",
            phrase::capitalize(&when),
            phrase::lower_first(who_or_what(ix, subject))
        ),
        subject.to_owned(),
        Some(fact),
    );
    c.accept = if ix.is_person(subject) {
        ix.person_accept(subject)
    } else {
        ix.aliases(subject)
    };
    // Someone else the facts say did the same thing at a matching time is right too.
    for o in ix.events(&d.event) {
        if o.subject
            .as_deref()
            .is_some_and(|s| fold(s) != fold(subject))
            && (o.when.matches_at(&d.when) || d.when.matches_at(&o.when))
        {
            c.accept.extend(o.subject.clone());
        }
    }
    Some(c)
}

/// "Where was Hotel Lux?"; "What was the address of the OMS international headquarters?".
fn location(ix: &Index<'_>, id: &str, fact: &Fact, l: &Location) -> Card {
    let address = is_address(&l.place);
    let prompt = if address {
        format!("What was the address of {}?", ix.np(&l.subject))
    } else {
        let np = ix.np(&l.subject);
        format!("Where {} {np}?", phrase::be(&np))
    };
    let mut c = card(
        &key(id, "recall-place"),
        Kind::Recall,
        prompt,
        l.place.clone(),
        Some(fact),
    );
    c.accept = ix
        .places_of(&l.subject)
        .into_iter()
        .filter(|p| is_address(p) == address)
        .map(str::to_owned)
        .collect();
    c
}

/// An alias to ask about and to type: the first in Latin script that starts with a capital
/// (a name, not a transliteration), else the first in Latin script, else the first.
pub fn typeable(aliases: &[String]) -> Option<&String> {
    let latin = |a: &&String| deunicode::deunicode(a) == **a;
    aliases
        .iter()
        .find(|a| latin(a) && a.chars().next().is_some_and(char::is_uppercase))
        .or_else(|| aliases.iter().find(latin))
        .or_else(|| aliases.first())
}

/// How an alias reads: a person's cover name as it is, another name with "the" if it takes one.
pub fn alias_np(ix: &Index<'_>, name: &str, alias: &str) -> String {
    if ix.is_person(name) {
        alias.to_owned()
    } else {
        ix.np(alias)
    }
}

/// "By what other name was Mikhail Trilisser known?" and "Who was also known as Moskvin?".
fn alias(ix: &Index<'_>, id: &str, fact: &Fact, a: &Alias) -> Vec<Card> {
    let Some(first) = typeable(&a.aliases) else {
        return Vec::new();
    };
    let name_np = ix.np(&a.name);
    let mut forward = card(
        &key(id, "recall-alias"),
        Kind::Recall,
        format!(
            "By what other name {} {name_np} known?",
            phrase::be(&name_np)
        ),
        first.clone(),
        Some(fact),
    );
    forward.accept.clone_from(&a.aliases);
    let mut reverse = card(
        &key(id, "recall-name"),
        Kind::Recall,
        format!(
            "{} was also known as {}?",
            if ix.is_person(&a.name) { "Who" } else { "What" },
            alias_np(ix, &a.name, first)
        ),
        a.name.clone(),
        Some(fact),
    );
    reverse.accept = if ix.is_person(&a.name) {
        ix.person_accept(&a.name)
    } else {
        Vec::new()
    };
    for other in ix.named(first) {
        if fold(other) != fold(&a.name) {
            reverse.accept.push(other.clone());
        }
    }
    vec![forward, reverse]
}
