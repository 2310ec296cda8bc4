//! `generate --merge`: a fresh generation folded into an existing deck, so hand-written and
//! generated cards live together and a learner's history survives regeneration.
//!
//! - A card marked `generated: KEY HASH` whose content still has that hash is untouched: it is
//!   replaced by what the generator writes now for KEY, under the same id (or dropped when the
//!   generator no longer asks that question, e.g. its fact was removed). The same holds for a
//!   card whose content without its explanation has that hash: a person (or `--adopt`) gave it
//!   an explanation the generator did not write; the card is refreshed and keeps it.
//! - A marked card whose content no longer has its hash was edited by a person: it is kept as
//!   it is, and the generator's card for its KEY is left out.
//! - A card without the mark is hand-written and kept. If it asks the same question as a
//!   generated card (`same_question`), that generated card is left out; with `adopt`, the
//!   generated card replaces it instead and takes its id (so its history carries over) and
//!   its explanation, if it has one.
//! - Generated cards for questions the deck does not have yet are added among the generated
//!   cards, in the generator's order (`add_new`): a new question joins its siblings.
//! - When a fact keeps its id but now names another entity (a facts file edited to say
//!   someone else headed the branch then, another place, another subject), its question is
//!   a new one: the fact's untouched cards are retired (left out, so `study` retires them
//!   with their reviews) and its fresh cards are added under new ids (`renamed_id`).

use std::collections::{HashMap, HashSet};

use super::content_hash;
use crate::deck::{Card, Id, Kind};
use crate::facts::fold;
use crate::grade::{GradeOptions, Grader};

/// What a merge did, for the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Generated cards rewritten in place (same id).
    pub refreshed: usize,
    /// Generated cards new to the deck.
    pub added: usize,
    /// Hand-written cards kept.
    pub hand: usize,
    /// Generated cards a person edited, kept as they are.
    pub edited: usize,
    /// Hand-written cards replaced by the generated card asking the same question, which took
    /// their id: (id, key).
    pub adopted: Vec<(String, String)>,
    /// Generated cards left out because a hand-written card asks the same question.
    pub covered: usize,
    /// Generated cards of the old deck whose question is no longer generated.
    pub dropped: usize,
    /// Generated cards retired because their fact now names another entity (their fresh
    /// versions are among `added`, under new ids): (old id, new id) per question.
    pub retired: Vec<(String, String)>,
}

/// Questions whose answer is the entity that makes a fact what it is (a key field of
/// `facts::Body::id`): who headed, who did it, where it was, whose other name; and `choice`
/// cards, unless their answer is a year, and the clozes of heads and locations (the person or
/// place blanked). When such an answer names another entity, the fact
/// changed identity (so a person's edit of one card does not hide the change from its
/// siblings). A year, an alias added or reordered, a reworded sentence are corrections: the
/// cards keep their ids.
const IDENTITY_QUESTIONS: &[&str] = &[
    "recall-person",
    "recall-subject",
    "recall-place",
    "recall-name",
];

/// For each fact whose keys use another id than its content gives (an `id` kept in the facts
/// file while the fact was edited), that id -> the content id (`generate::content_ids`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentIds(pub(crate) HashMap<String, String>);

/// The fact part of a key (before its first `.`): what makes cards siblings.
fn fact_of(key: &str) -> &str {
    key.split_once('.').map_or(key, |(fact, _)| fact)
}

/// `merge_with` without content ids: a fact that changed identity gets new ids made from
/// its old ones and a hash of the new answer.
pub fn merge(existing: &[Card], fresh: Vec<Card>, adopt: bool) -> (Vec<Card>, MergeReport) {
    merge_with(existing, fresh, &ContentIds::default(), adopt)
}

/// Merges `fresh` into `existing` (module docs). `content_ids` maps the id a fact's keys use
/// to the id its content gives (`generate::content_ids`), for facts whose two differ: a fact
/// that changed identity has its new cards keyed by its content id, so an edited fact and the
/// same fact re-extracted get the same new ids, and changing it back brings back the retired
/// cards, history and all.
pub fn merge_with(
    existing: &[Card],
    fresh: Vec<Card>,
    content_ids: &ContentIds,
    adopt: bool,
) -> (Vec<Card>, MergeReport) {
    let mut report = MergeReport::default();
    let by_key: HashMap<String, usize> = fresh
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.to_string(), i))
        .collect();
    let untouched = |card: &Card| {
        card.generated.as_ref().is_some_and(|origin| {
            content_hash(card) == origin.hash
                || (card.explanation.is_some()
                    && content_hash(&without_explanation(card)) == origin.hash)
        })
    };
    let changed = changed_facts(existing, &fresh, &by_key, &untouched);
    let mut used = vec![false; fresh.len()];
    // Marked cards first, so a hand-written card never claims a question the deck has. The
    // questions of a fact that changed identity stay free: they are added under new ids.
    for card in existing {
        if let Some(origin) = &card.generated
            && let Some(&i) = by_key.get(&origin.key)
            && !changed.contains(fact_of(&origin.key))
        {
            used[i] = true;
        }
    }
    let mut retired: Vec<(String, String)> = Vec::new();
    let mut out: Vec<Card> = Vec::with_capacity(existing.len() + fresh.len());
    for card in existing {
        let own_explanation = card.generated.as_ref().is_some_and(|origin| {
            card.explanation.is_some()
                && content_hash(card) != origin.hash
                && content_hash(&without_explanation(card)) == origin.hash
        });
        match &card.generated {
            Some(origin)
                if (own_explanation || content_hash(card) == origin.hash)
                    && changed.contains(fact_of(&origin.key)) =>
            {
                retired.push((card.id.to_string(), origin.key.clone()));
            }
            Some(origin) if own_explanation || content_hash(card) == origin.hash => {
                if let Some(&i) = by_key.get(&origin.key) {
                    let mut new = fresh[i].clone();
                    new.id = card.id.clone();
                    if own_explanation {
                        new = with_explanation(new, card.explanation.clone());
                    }
                    out.push(new);
                    report.refreshed += 1;
                } else {
                    report.dropped += 1;
                }
            }
            Some(_) => {
                out.push(card.clone());
                report.edited += 1;
            }
            None => {
                if let Some(i) = same_question(card, &fresh, &used) {
                    used[i] = true;
                    if adopt {
                        let mut new = fresh[i].clone();
                        report
                            .adopted
                            .push((card.id.to_string(), new.id.to_string()));
                        new.id = card.id.clone();
                        if card.explanation.is_some() {
                            new = with_explanation(new, card.explanation.clone());
                        }
                        out.push(new);
                    } else {
                        out.push(card.clone());
                        report.covered += 1;
                    }
                } else {
                    out.push(card.clone());
                    report.hand += 1;
                }
            }
        }
    }
    let fresh: Vec<(Card, bool)> = fresh.into_iter().zip(used).collect();
    let new_ids = add_new(
        &mut out,
        fresh,
        &changed,
        content_ids,
        &retired,
        &mut report,
    );
    report.retired = retired
        .into_iter()
        .map(|(id, key)| {
            let new = new_ids.get(&key).cloned().unwrap_or_default();
            (id, new)
        })
        .collect();
    (out, report)
}

/// Adds the fresh cards not `used` to `out`, each after the deck's generated card (one whose
/// id is its key) that comes last before it in the generator's order, else before the first
/// generated card after it, else at the end: a new question of a fact joins its siblings,
/// and a deck regenerated over itself reads in the order a first generation gives. A fact
/// that changed identity gets new ids (`renamed_id`); returns them by key.
fn add_new(
    out: &mut Vec<Card>,
    fresh: Vec<(Card, bool)>,
    changed: &HashSet<String>,
    content_ids: &ContentIds,
    retired: &[(String, String)],
    report: &mut MergeReport,
) -> HashMap<String, String> {
    let order: HashMap<String, usize> = fresh
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.id.to_string(), i))
        .collect();
    // (generator's index, position in `out`) of the deck's generated cards, by index.
    let mut anchors: Vec<(usize, usize)> = out
        .iter()
        .enumerate()
        .filter_map(|(pos, c)| {
            let origin = c.generated.as_ref()?;
            (c.id.as_str() == origin.key)
                .then(|| order.get(&origin.key).map(|&i| (i, pos)))
                .flatten()
        })
        .collect();
    anchors.sort_unstable();
    let mut ids: HashSet<String> = out.iter().map(|c| c.id.to_string()).collect();
    ids.extend(retired.iter().map(|(id, _)| id.clone()));
    let mut new_ids: HashMap<String, String> = HashMap::new();
    // (slot, card): the card goes before `out[slot]` (or at the end).
    let mut placed: Vec<(usize, Card)> = Vec::new();
    for (i, (mut card, used)) in fresh.into_iter().enumerate() {
        if used {
            continue;
        }
        let key = card.id.to_string();
        if changed.contains(fact_of(&key)) {
            card.id = renamed_id(&card, content_ids, &ids);
            new_ids.insert(key, card.id.to_string());
        }
        if ids.insert(card.id.to_string()) {
            let after = anchors.partition_point(|&(j, _)| j < i);
            let slot = match after.checked_sub(1) {
                Some(k) => anchors[k].1 + 1,
                None => anchors.first().map_or(out.len(), |&(_, pos)| pos),
            };
            placed.push((slot, card));
            report.added += 1;
        }
    }
    if !placed.is_empty() {
        // Stable: cards for one slot stay in the generator's order.
        placed.sort_by_key(|(slot, _)| *slot);
        let mut merged = Vec::with_capacity(out.len() + placed.len());
        let mut next = placed.into_iter().peekable();
        for (pos, card) in std::mem::take(out).into_iter().enumerate() {
            while let Some((_, new)) = next.next_if(|(slot, _)| *slot == pos) {
                merged.push(new);
            }
            merged.push(card);
        }
        merged.extend(next.map(|(_, c)| c));
        *out = merged;
    }
    new_ids
}

/// The facts (key prefixes) whose identity question now has an answer naming another entity
/// than the untouched card the deck has for it: the old answer, typed for the new question,
/// would be graded wrong (so a respelling, "Pyatnitsky" for "Piatnitsky", is no change).
fn changed_facts(
    existing: &[Card],
    fresh: &[Card],
    by_key: &HashMap<String, usize>,
    untouched: &dyn Fn(&Card) -> bool,
) -> HashSet<String> {
    let pairs: Vec<(&Card, &Card)> = existing
        .iter()
        .filter(|c| untouched(c))
        .filter_map(|c| {
            let key = &c.generated.as_ref()?.key;
            let what = key.split_once('.')?.1;
            let new = &fresh[*by_key.get(key)?];
            // A choice's answer is the same entity as its fact's identity question's (a
            // year for a date: a correction, not a change); so is a head's or a location's
            // cloze (the person or place blanked).
            let tagged = |kind: &str| c.tags.iter().any(|t| t == kind);
            let identity = IDENTITY_QUESTIONS.contains(&what)
                || (what == "choice" && !c.answer.chars().all(|ch| ch.is_ascii_digit()))
                || (what == "cloze" && (tagged("head") || tagged("location")));
            (identity && fold(&c.answer) != fold(&new.answer)).then_some((c, new))
        })
        .collect();
    if pairs.is_empty() {
        return HashSet::new();
    }
    // The names of the new deck are the known entities: an old answer that is now another
    // person of the deck is wrong, not a typo.
    let grader = Grader::from_cards(fresh, GradeOptions::default());
    pairs
        .into_iter()
        .filter(|(old, new)| {
            !grader
                .grade_recall(&new.answer, &[], &old.answer, GradeOptions::default())
                .verdict
                .passed()
        })
        .filter_map(|(old, _)| Some(fact_of(&old.generated.as_ref()?.key).to_owned()))
        .collect()
}

/// A new id for a fresh card of a fact that changed identity: its key with the fact's id
/// replaced by the fact's content id, when that differs and is free; else its key, when free
/// (a fact changed back to what its id was made from: the card retired then returns); else
/// its key and a short hash of its answer (`head-586a9d77a2.recall-person:5f0c2a`), then of
/// its prompt. Never an id in `taken` (the deck's, including the cards retired now).
fn renamed_id(card: &Card, content_ids: &ContentIds, taken: &HashSet<String>) -> Id {
    let key = card.id.to_string();
    let fact = fact_of(&key);
    let by_content = content_ids
        .0
        .get(fact)
        .map(|content| format!("{content}{}", &key[fact.len()..]));
    let hashed = |salt: &str| {
        let hash = blake3::hash(format!("{}\x1f{salt}", fold(&card.answer)).as_bytes());
        format!("{key}:{}", &hash.to_hex()[..6])
    };
    by_content
        .into_iter()
        .chain([key.clone(), hashed(""), hashed(&card.prompt)])
        .chain((0..100).map(|n| hashed(&n.to_string())))
        .filter_map(|id| Id::parse(&id).ok())
        .find(|id| !taken.contains(id.as_str()))
        .unwrap_or_else(|| card.id.clone())
}

fn without_explanation(card: &Card) -> Card {
    Card {
        explanation: None,
        ..card.clone()
    }
}

/// A generated card with a person's explanation in place of the generator's: its hash is of
/// the rest, so the next merge still knows it as untouched (and keeps the explanation).
fn with_explanation(mut card: Card, explanation: Option<String>) -> Card {
    card.explanation = explanation;
    let hash = content_hash(&without_explanation(&card));
    if let Some(origin) = &mut card.generated {
        origin.hash = hash;
    }
    card
}

/// The unclaimed generated card that asks the same question as hand-written `card`, if any:
/// a compatible kind (the same, or `recall` and `year`, both typed), the same source sentence
/// (one contains the other, folded), and the same answer (equal folded, or one of the other's
/// accepted answers); for ordering cards the same items. Among several, the one whose prompt
/// shares the most words with the card's.
fn same_question(card: &Card, fresh: &[Card], used: &[bool]) -> Option<usize> {
    let source = fold(card.source.as_deref()?);
    if source.is_empty() {
        return None;
    }
    let kinds_match = |a: Kind, b: Kind| {
        a == b
            || matches!(
                (a, b),
                (Kind::Recall, Kind::Year) | (Kind::Year, Kind::Recall)
            )
    };
    let answers = |c: &Card| -> HashSet<String> {
        std::iter::once(&c.answer)
            .chain(&c.accept)
            .map(|a| fold(a))
            .collect()
    };
    let mine = answers(card);
    let words = |t: &str| -> HashSet<String> { fold(t).split(' ').map(str::to_owned).collect() };
    let my_words = words(&card.prompt);
    fresh
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            !used[*i]
                && kinds_match(card.kind, f.kind)
                && f.source
                    .as_deref()
                    .map(fold)
                    .is_some_and(|s| !s.is_empty() && (s.contains(&source) || source.contains(&s)))
                && if card.kind == Kind::Ordering {
                    let set = |c: &Card| c.choices.iter().map(|x| fold(x)).collect::<HashSet<_>>();
                    set(card) == set(f)
                } else {
                    mine.contains(&fold(&f.answer)) || answers(f).contains(&fold(&card.answer))
                }
        })
        .max_by_key(|(i, f)| {
            let theirs = words(&f.prompt);
            let shared = my_words.intersection(&theirs).count();
            (
                shared * 1000 / (my_words.len() + theirs.len()).max(1),
                usize::MAX - i,
            )
        })
        .map(|(i, _)| i)
}
