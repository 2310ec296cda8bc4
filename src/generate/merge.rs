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
//! - Generated cards for questions the deck does not have yet are added at the end.

use std::collections::{HashMap, HashSet};

use super::content_hash;
use crate::deck::{Card, Kind};
use crate::facts::fold;

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
}

pub fn merge(existing: &[Card], fresh: Vec<Card>, adopt: bool) -> (Vec<Card>, MergeReport) {
    let mut report = MergeReport::default();
    let by_key: HashMap<String, usize> = fresh
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.to_string(), i))
        .collect();
    let mut used = vec![false; fresh.len()];
    // Marked cards first, so a hand-written card never claims a question the deck has.
    for card in existing {
        if let Some(origin) = &card.generated
            && let Some(&i) = by_key.get(&origin.key)
        {
            used[i] = true;
        }
    }
    let mut out: Vec<Card> = Vec::with_capacity(existing.len() + fresh.len());
    for card in existing {
        let own_explanation = card.generated.as_ref().is_some_and(|origin| {
            card.explanation.is_some()
                && content_hash(card) != origin.hash
                && content_hash(&without_explanation(card)) == origin.hash
        });
        match &card.generated {
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
    let mut ids: HashSet<String> = out.iter().map(|c| c.id.to_string()).collect();
    for (card, used) in fresh.into_iter().zip(used) {
        if !used && ids.insert(card.id.to_string()) {
            out.push(card);
            report.added += 1;
        }
    }
    (out, report)
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
