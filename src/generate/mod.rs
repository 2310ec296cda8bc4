//! Facts -> cards: questions of the six deck kinds made from a facts file
//! (`docs/generation.md`). One file per kind; `distractors.rs` picks wrong options,
//! `phrase.rs` holds the grammar, `merge.rs` folds a new generation into an existing deck and
//! `write.rs` writes the deck as YAML. Pure functions: no files, no clock, no terminal.
//!
//! Every card gets a stable key from the identity of the fact(s) it asks about, its kind and
//! its direction (`head-586a9d77a2.recall-person`), never from its wording or position, so
//! re-wording a template, reordering facts or adding facts keeps a learner's history.

mod choice;
mod cloze;
pub mod command;
mod distractors;
mod grammar;
mod merge;
mod ordering;
mod phrase;
mod recall;
mod term;
mod truefalse;
pub mod write;
mod year;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::deck::{Card, Id, Kind, Origin};
use crate::facts::{Body, Dated, Fact, Facts, Head, Role, fold};

pub use merge::{ContentIds, MergeReport, merge, merge_with};
pub use write::{Header, to_yaml};

/// What a generation may vary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Seeds the choice of distractors (wrong options and false statements). The same facts
    /// and seed give the same deck, byte for byte.
    pub seed: u64,
}

/// Generates the cards for a facts file, in fact order (ordering cards last). Each card's id is
/// its key and carries `generated: KEY HASH`.
pub fn generate(facts: &Facts, options: &Options) -> Vec<Card> {
    finish(unchecked(facts, *options))
}

/// The cards the kinds make, before the quality gates of `finish`.
fn unchecked(facts: &Facts, options: Options) -> Vec<Card> {
    let ix = Index::new(facts, options.seed);
    let mut cards = Vec::new();
    for (id, fact) in &ix.facts {
        cards.extend(recall::cards(&ix, id, fact));
        cards.extend(choice::cards(&ix, id, fact));
        cards.extend(year::cards(&ix, id, fact));
        cards.extend(truefalse::cards(&ix, id, fact));
        cards.extend(cloze::cards(&ix, id, fact));
    }
    cards.extend(ordering::cards(&ix));
    cards
}

/// The id a fact's card keys start with: its `id` when it has a usable one, else the hash
/// of its content (`Body::id`).
fn key_id(fact: &Fact) -> String {
    fact.id
        .clone()
        .filter(|id| id.len() <= 60 && Id::parse(id).is_ok())
        .unwrap_or_else(|| fact.body.id())
}

/// For each fact whose keys use another id than its content gives (an `id` kept in the facts
/// file while the fact was edited), that id -> the content id. `merge_with` names the new
/// cards of a fact that changed identity by it.
pub fn content_ids(facts: &Facts) -> ContentIds {
    ContentIds(
        facts
            .facts
            .iter()
            .map(|f| (key_id(f), f.body.id()))
            .filter(|(key, content)| key != content)
            .collect(),
    )
}

/// The deck id and name for a facts file: the topic (or, without one, `fallback`, e.g. the
/// file's stem), folded to lower-case ASCII words joined by `-` for the id, as written for the
/// name. "OMS" -> `oms`, "Royal Society" -> `royal-society`.
pub fn deck_identity(topic: Option<&str>, fallback: &str) -> (String, String) {
    let name = topic
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(fallback)
        .to_owned();
    let mut id = fold(&name).replace(' ', "-");
    id.truncate(Id::MAX_LEN);
    if id.is_empty() {
        "deck".clone_into(&mut id);
    }
    (id, name)
}

/// A hash of what a card says (kind, prompt, answer, accept, choices or items, explanation,
/// source, tags), not of its id or position: `generate --merge` compares it with the hash
/// stored in `generated:` to tell an untouched card from one a person edited.
pub fn content_hash(card: &Card) -> String {
    let mut h = blake3::Hasher::new();
    let mut field = |name: &str, value: &str| {
        h.update(name.as_bytes());
        h.update(b"\x1f");
        h.update(value.as_bytes());
        h.update(b"\x1e");
    };
    field("kind", card.kind.as_str());
    field("prompt", &card.prompt);
    if card.kind != Kind::Ordering {
        field("answer", &card.answer);
    }
    for a in &card.accept {
        field("accept", a);
    }
    for c in &card.choices {
        field("choice", c);
    }
    field("explanation", card.explanation.as_deref().unwrap_or(""));
    field("source", card.source.as_deref().unwrap_or(""));
    for t in &card.tags {
        field("tag", t);
    }
    h.finalize().to_hex()[..10].to_owned()
}

/// The quality gates every generated deck passes: unique keys; no prompt that gives away its
/// answer; English that passes the grammar gates (`grammar.rs`); one card per prompt (a repeated prompt keeps the smallest key and accepts every
/// answer the others had, so no question is ambiguous); clean `accept` lists; and the
/// `generated` mark with the content hash.
fn finish(cards: Vec<Card>) -> Vec<Card> {
    let mut seen = HashSet::new();
    let mut cards: Vec<Card> = cards
        .into_iter()
        .filter(|c| seen.insert(c.id.clone()))
        .filter(|c| !gives_away(c))
        .filter(|c| grammar::problems(c).is_empty())
        .collect();
    // Statements are compared by what is true, which the seed does not change: two cards
    // stating the same truth (two facts saying one thing) keep the smaller key. A false
    // statement (its wrong element seeded) that says what another card says would make one
    // of them vanish for some seeds only: it is stated true instead. So the seed never
    // changes which cards exist.
    let truth = |c: &Card| {
        fold(
            c.explanation
                .as_deref()
                .and_then(|e| e.strip_prefix("False: "))
                .filter(|_| c.answer == "false")
                .unwrap_or(&c.prompt),
        )
    };
    let mut smallest: HashMap<String, Id> = HashMap::new();
    for c in cards.iter().filter(|c| c.kind == Kind::TrueFalse) {
        let slot = smallest.entry(truth(c)).or_insert_with(|| c.id.clone());
        if c.id < *slot {
            *slot = c.id.clone();
        }
    }
    cards.retain(|c| c.kind != Kind::TrueFalse || smallest.get(&truth(c)) == Some(&c.id));
    let mut counts: HashMap<String, usize> = HashMap::new();
    for c in &cards {
        *counts.entry(fold(&c.prompt)).or_default() += 1;
    }
    for c in &mut cards {
        if c.kind == Kind::TrueFalse
            && c.answer == "false"
            && counts.get(&fold(&c.prompt)).is_some_and(|n| *n > 1)
            && let Some(truth) = c
                .explanation
                .as_deref()
                .and_then(|e| e.strip_prefix("False: "))
        {
            c.prompt = truth.to_owned();
            "true".clone_into(&mut c.answer);
            c.explanation = None;
        }
    }
    let mut by_prompt: HashMap<String, usize> = HashMap::new();
    let mut drop = vec![false; cards.len()];
    for i in 0..cards.len() {
        let prompt = fold(&cards[i].prompt);
        match by_prompt.get(&prompt) {
            None => {
                by_prompt.insert(prompt, i);
            }
            Some(&j) => {
                let (keep, lose) = if cards[i].id < cards[j].id {
                    (i, j)
                } else {
                    (j, i)
                };
                if cards[keep].kind != cards[lose].kind
                    || !matches!(cards[keep].kind, Kind::Recall | Kind::Cloze | Kind::Year)
                {
                    drop[lose] = true;
                } else {
                    let extra: Vec<String> = std::iter::once(cards[lose].answer.clone())
                        .chain(cards[lose].accept.clone())
                        .collect();
                    cards[keep].accept.extend(extra);
                    drop[lose] = true;
                }
                by_prompt.insert(prompt, keep);
            }
        }
    }
    let mut out: Vec<Card> = cards
        .into_iter()
        .zip(drop)
        .filter_map(|(c, d)| (!d).then_some(c))
        .collect();
    for card in &mut out {
        let answer = fold(&card.answer);
        let mut kept = HashSet::new();
        card.accept
            .retain(|a| !a.trim().is_empty() && fold(a) != answer && kept.insert(fold(a)));
        card.generated = Some(Origin {
            key: card.id.to_string(),
            hash: content_hash(card),
        });
    }
    out
}

/// Whether the prompt contains the answer (or, for a person, their surname) as whole words.
fn gives_away(card: &Card) -> bool {
    if matches!(card.kind, Kind::TrueFalse | Kind::Ordering) {
        return false;
    }
    let prompt = format!(" {} ", fold(&card.prompt));
    let contains = |t: &str| {
        let t = fold(t);
        !t.is_empty() && prompt.contains(&format!(" {t} "))
    };
    contains(&card.answer)
}

/// The facts, indexed for the questions: who is a person, which places exist, which names
/// take "the", and what is true (so a distractor or a false statement never is).
pub(crate) struct Index<'a> {
    pub topic: Option<&'a str>,
    /// Facts with their stable ids, duplicates (same id) dropped.
    pub facts: Vec<(String, &'a Fact)>,
    pub seed: u64,
    people: HashSet<String>,
    /// People in order of first mention: heads, and subjects of births and deaths.
    pub people_list: Vec<String>,
    /// Places of `location` facts that are not street addresses, and the addresses.
    pub places: Vec<String>,
    pub addresses: Vec<String>,
    /// Source sentences that mention each folded name (at most 50 each).
    evidence: HashMap<String, Vec<&'a str>>,
    phrases: RefCell<HashMap<String, String>>,
    // Lookups by folded names, so a deck of 10k facts is made in linear time.
    heads: Vec<&'a Head>,
    groups: HashMap<(String, Option<String>, Role), Vec<&'a Head>>,
    by_person: HashMap<String, Vec<&'a Head>>,
    aliases_of: HashMap<String, Vec<String>>,
    named: HashMap<String, Vec<String>>,
    placed: HashMap<String, Vec<&'a str>>,
    dates: HashMap<(Option<String>, String), Vec<&'a Dated>>,
    events: HashMap<String, Vec<&'a Dated>>,
    surnames: HashMap<String, usize>,
    /// Non-person names of alias facts and location subjects, for false statements.
    pub things: Vec<String>,
}

impl<'a> Index<'a> {
    pub fn new(facts: &'a Facts, seed: u64) -> Self {
        let topic = facts.topic.as_deref().filter(|t| !t.trim().is_empty());
        let mut ids = HashSet::new();
        let mut list = Vec::new();
        for fact in &facts.facts {
            let id = key_id(fact);
            if ids.insert(id.clone()) {
                list.push((id, fact));
            }
        }
        let mut ix = Self {
            topic,
            facts: list,
            seed,
            people: HashSet::new(),
            people_list: Vec::new(),
            places: Vec::new(),
            addresses: Vec::new(),
            evidence: HashMap::new(),
            phrases: RefCell::new(HashMap::new()),
            heads: Vec::new(),
            groups: HashMap::new(),
            by_person: HashMap::new(),
            aliases_of: HashMap::new(),
            named: HashMap::new(),
            placed: HashMap::new(),
            dates: HashMap::new(),
            events: HashMap::new(),
            surnames: HashMap::new(),
            things: Vec::new(),
        };
        let mut place_seen = HashSet::new();
        let all: Vec<&'a Fact> = ix.facts.iter().map(|(_, f)| *f).collect();
        for fact in all {
            match &fact.body {
                Body::Head(h) if ix.people.insert(fold(&h.person)) => {
                    ix.people_list.push(h.person.clone());
                }
                Body::Date(d) if matches!(d.event.as_str(), "born" | "died") => {
                    if let Some(s) = &d.subject
                        && ix.people.insert(fold(s))
                    {
                        ix.people_list.push(s.clone());
                    }
                }
                Body::Location(l) if place_seen.insert(fold(&l.place)) => {
                    if is_address(&l.place) {
                        ix.addresses.push(l.place.clone());
                    } else {
                        ix.places.push(l.place.clone());
                    }
                }
                _ => {}
            }
            ix.lookups(fact, topic);
            if let Some(source) = &fact.source {
                for name in names(fact, topic) {
                    let slot = ix.evidence.entry(fold(name)).or_default();
                    if slot.len() < 50 && !slot.contains(&source.sentence.as_str()) {
                        slot.push(&source.sentence);
                    }
                }
            }
        }
        for p in &ix.people_list {
            if let Some(surname) = p.split_whitespace().last() {
                *ix.surnames.entry(fold(surname)).or_default() += 1;
            }
        }
        let mut seen = HashSet::new();
        for (_, fact) in &ix.facts {
            let name = match &fact.body {
                Body::Alias(a) => &a.name,
                Body::Location(l) => &l.subject,
                _ => continue,
            };
            if !ix.people.contains(&fold(name)) && seen.insert(fold(name)) {
                ix.things.push(name.clone());
            }
        }
        ix
    }

    /// Files a fact under the names it can be looked up by.
    fn lookups(&mut self, fact: &'a Fact, topic: Option<&str>) {
        match &fact.body {
            Body::Head(h) => {
                self.heads.push(h);
                let group = (
                    ix_org_key(topic, h.org.as_deref()),
                    h.region.as_deref().map(fold),
                    h.role,
                );
                self.groups.entry(group).or_default().push(h);
                self.by_person.entry(fold(&h.person)).or_default().push(h);
            }
            Body::Alias(a) => {
                self.aliases_of
                    .entry(fold(&a.name))
                    .or_default()
                    .extend(a.aliases.iter().cloned());
                for alias in &a.aliases {
                    self.named
                        .entry(fold(alias))
                        .or_default()
                        .push(a.name.clone());
                }
            }
            Body::Location(l) => {
                self.placed
                    .entry(fold(&l.subject))
                    .or_default()
                    .push(&l.place);
            }
            Body::Date(d) => {
                self.dates
                    .entry((d.subject.as_deref().map(fold), fold(&d.event)))
                    .or_default()
                    .push(d);
                self.events.entry(fold(&d.event)).or_default().push(d);
            }
        }
    }

    pub fn is_person(&self, name: &str) -> bool {
        self.people.contains(&fold(name))
    }

    /// A name as it reads in a sentence: people as they are; other names with "the" when the
    /// sources (or, without evidence, the name's shape) say so.
    pub fn np(&self, name: &str) -> String {
        if self.is_person(name) {
            return name.to_owned();
        }
        if let Some(known) = self.phrases.borrow().get(name) {
            return known.clone();
        }
        let sentences = self
            .evidence
            .get(&fold(name))
            .map_or(&[][..], Vec::as_slice);
        let phrase = phrase::noun_phrase(name, sentences.iter().copied());
        self.phrases
            .borrow_mut()
            .insert(name.to_owned(), phrase.clone());
        phrase
    }

    /// The organisation a head fact is about: its `org`, or the topic.
    pub fn org_name(&self, org: Option<&'a str>) -> &'a str {
        org.or(self.topic).unwrap_or("the organisation")
    }

    pub fn org_key(&self, org: Option<&str>) -> String {
        ix_org_key(self.topic, org)
    }

    pub fn is_topic(&self, name: &str) -> bool {
        self.topic.is_some_and(|t| fold(t) == fold(name))
            || self
                .aliases(self.topic.unwrap_or(""))
                .iter()
                .any(|a| fold(a) == fold(name))
    }

    /// Other names of a person or thing, from `alias` facts.
    pub fn aliases(&self, name: &str) -> Vec<String> {
        self.aliases_of
            .get(&fold(name))
            .cloned()
            .unwrap_or_default()
    }

    /// Who or what the facts say is also known as `alias`.
    pub fn named(&self, alias: &str) -> &[String] {
        self.named.get(&fold(alias)).map_or(&[], Vec::as_slice)
    }

    /// Heads with the same organisation, region and role as `h` (itself included).
    pub fn group(&self, h: &Head) -> &[&'a Head] {
        let key = (
            self.org_key(h.org.as_deref()),
            h.region.as_deref().map(fold),
            h.role,
        );
        self.groups.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Every head fact about a person.
    pub fn headships(&self, person: &str) -> &[&'a Head] {
        self.by_person.get(&fold(person)).map_or(&[], Vec::as_slice)
    }

    /// Date facts about this subject and event.
    pub fn dates_of(&self, subject: Option<&str>, event: &str) -> &[&'a Dated] {
        self.dates
            .get(&(subject.map(fold), fold(event)))
            .map_or(&[], Vec::as_slice)
    }

    /// Date facts with this event, whatever their subject.
    pub fn events(&self, event: &str) -> &[&'a Dated] {
        self.events.get(&fold(event)).map_or(&[], Vec::as_slice)
    }

    /// What else counts as naming a person: the surname (when no other person has it) and
    /// their aliases.
    pub fn person_accept(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() > 1 {
            let surname = words[words.len() - 1];
            let shared = self
                .people_list
                .iter()
                .filter(|p| {
                    p.split_whitespace()
                        .last()
                        .is_some_and(|s| fold(s) == fold(surname))
                })
                .count();
            if shared <= 1 {
                out.push(surname.to_owned());
            }
        }
        out.extend(self.aliases(name));
        out
    }

    pub fn heads(&self) -> &[&'a Head] {
        &self.heads
    }

    /// Whether some fact says `person` had `role` in this organisation and region.
    pub fn headed(
        &self,
        person: &str,
        org: Option<&str>,
        region: Option<&str>,
        role: Role,
    ) -> bool {
        let key = (self.org_key(org), region.map(fold), role);
        let p = fold(person);
        self.groups
            .get(&key)
            .is_some_and(|g| g.iter().any(|h| fold(&h.person) == p))
    }

    /// Places some fact gives for `subject`.
    pub fn places_of(&self, subject: &str) -> Vec<&'a str> {
        self.placed.get(&fold(subject)).cloned().unwrap_or_default()
    }

    pub fn has_alias(&self, name: &str, alias: &str) -> bool {
        self.aliases(name).iter().any(|a| fold(a) == fold(alias))
    }

    /// A seeded, stable number for ordering candidates: the same seed, key and text always
    /// give the same number.
    pub fn rank(&self, key: &str, text: &str) -> u64 {
        self.rank_folded(key, &fold(text))
    }

    /// `rank` of text already folded.
    pub fn rank_folded(&self, key: &str, folded: &str) -> u64 {
        let mut h = blake3::Hasher::new();
        h.update(&self.seed.to_le_bytes());
        h.update(key.as_bytes());
        h.update(b"\x1f");
        h.update(folded.as_bytes());
        let bytes = h.finalize();
        u64::from_le_bytes(bytes.as_bytes()[..8].try_into().unwrap_or([0; 8]))
    }
}

fn ix_org_key(topic: Option<&str>, org: Option<&str>) -> String {
    fold(org.or(topic).unwrap_or(""))
}

/// Every name a fact mentions, for the evidence of "the".
fn names<'f>(fact: &'f Fact, topic: Option<&'f str>) -> Vec<&'f str> {
    let mut out: Vec<&str> = Vec::new();
    match &fact.body {
        Body::Head(h) => {
            out.extend(h.org.as_deref().or(topic));
            out.extend(h.region.as_deref());
        }
        Body::Date(d) => out.extend(d.subject.as_deref().or(topic)),
        Body::Location(l) => out.extend([l.subject.as_str(), l.place.as_str()]),
        Body::Alias(a) => {
            out.push(&a.name);
            out.extend(a.aliases.iter().map(String::as_str));
        }
    }
    out.extend(topic);
    out
}

/// "131-132 Wilhelmstrasse", "10 Downing Street": a place that starts with a number.
pub(crate) fn is_address(place: &str) -> bool {
    place.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// A card in its generated form; `finish` adds the `generated` mark.
pub(crate) fn card(
    key: &str,
    kind: Kind,
    prompt: String,
    answer: String,
    fact: Option<&Fact>,
) -> Card {
    Card {
        id: Id::parse(key).unwrap_or_else(|_| {
            Id::parse(&format!(
                "card-{}",
                &blake3::hash(key.as_bytes()).to_hex()[..16]
            ))
            .expect("hex digits are id characters")
        }),
        kind,
        prompt,
        answer,
        accept: Vec::new(),
        choices: Vec::new(),
        explanation: None,
        source: fact
            .and_then(|f| f.source.as_ref())
            .map(|s| s.sentence.clone()),
        tags: fact
            .map(|f| vec![f.kind().as_str().to_owned()])
            .unwrap_or_default(),
        generated: None,
        line: 0,
    }
}

/// A key from a fact id and what the card asks: `head-586a9d77a2.recall-person`.
pub(crate) fn key(fact_id: &str, what: &str) -> String {
    format!("{fact_id}.{what}")
}

/// A key for a question drawn from several facts about one thing (a person's headships),
/// from that thing's folded names: `person-1c9e0d4f2a.recall-where`.
pub(crate) fn group_key(prefix: &str, parts: &[&str], what: &str) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(fold(p).as_bytes());
        h.update(b"\x1f");
    }
    format!("{prefix}-{}.{what}", &h.finalize().to_hex()[..10])
}

#[cfg(test)]
mod tests;
