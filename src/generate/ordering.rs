//! `ordering` cards: three to five dated events to put in chronological order. Only events
//! with one certain date (a year, month or day; no spans) take part.
//!
//! Which events share a card must not depend on the other facts, or adding one dated fact
//! would regroup every card (and a card's id is the set of its facts' ids). So the groups are
//! the leaves of a binary trie over a hash of each fact's id: all events start in one node;
//! a node of more than five events splits by the next bit of the hash. Adding an event
//! changes only the leaf it falls into (which may split); every other group, and its id,
//! stays as it was. Within a leaf, events are sorted by date and one that cannot be told
//! apart from the one before it (the same year, without months that differ) is left out; a
//! leaf of three to five events is a card.

use super::phrase::{self, capitalize};
use super::{Index, card};
use crate::deck::{Card, Kind};
use crate::facts::{Body, Point, fold};

const MAX: usize = 5;
const MIN: usize = 3;

/// An event to order: its date, fact id, the statement and the hash that places it.
struct Event<'a> {
    date: Point,
    id: &'a str,
    text: String,
    hash: u64,
}

pub fn cards(ix: &Index<'_>) -> Vec<Card> {
    let events: Vec<Event<'_>> = ix
        .facts
        .iter()
        .filter_map(|(id, fact)| {
            let Body::Date(d) = &fact.body else {
                return None;
            };
            let [date] = d.when.dates() else {
                return None;
            };
            if fact.uncertain || date.end.is_some() {
                return None;
            }
            let subject = d.subject.as_deref().map(|s| ix.np(s));
            let said = phrase::event(&d.event, d.subject.as_deref())
                .statement(subject.as_deref().unwrap_or(""))?;
            let digest = blake3::hash(id.as_bytes());
            let hash = u64::from_le_bytes(digest.as_bytes()[..8].try_into().unwrap_or([0; 8]));
            Some(Event {
                date: date.start,
                id: id.as_str(),
                text: capitalize(&said),
                hash,
            })
        })
        .collect();
    let mut leaves = Vec::new();
    trie(events, 0, &mut leaves);
    leaves.into_iter().filter_map(group).collect()
}

/// The leaves of the trie below a node of `events` at depth `bit`.
fn trie<'a>(events: Vec<Event<'a>>, bit: u32, leaves: &mut Vec<Vec<Event<'a>>>) {
    if events.len() <= MAX || bit >= 64 {
        leaves.push(events);
        return;
    }
    let (zero, one): (Vec<Event<'a>>, Vec<Event<'a>>) =
        events.into_iter().partition(|e| e.hash >> bit & 1 == 0);
    trie(zero, bit + 1, leaves);
    trie(one, bit + 1, leaves);
}

/// A leaf's card: its events in date order, each one distinguishable from the one before.
fn group(mut events: Vec<Event<'_>>) -> Option<Card> {
    events.sort_by(|a, b| {
        (a.date.year, a.date.month, a.date.day, a.id).cmp(&(
            b.date.year,
            b.date.month,
            b.date.day,
            b.id,
        ))
    });
    let mut kept: Vec<Event<'_>> = Vec::new();
    let mut texts = std::collections::HashSet::new();
    for e in events {
        let distinct = kept.last().is_none_or(|last| {
            last.date.year < e.date.year
                || matches!((last.date.month, e.date.month), (Some(a), Some(b)) if a < b)
        });
        if distinct && texts.insert(fold(&e.text)) {
            kept.push(e);
        }
    }
    kept.truncate(MAX);
    if kept.len() < MIN {
        return None;
    }
    let mut ids: Vec<&str> = kept.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    let mut h = blake3::Hasher::new();
    for id in &ids {
        h.update(id.as_bytes());
        h.update(b"\x1f");
    }
    let key = format!("ordering-{}", &h.finalize().to_hex()[..10]);
    let (first, last) = (kept[0].date.year, kept[kept.len() - 1].date.year);
    let mut c = card(
        &key,
        Kind::Ordering,
        format!("Put these events in the order they happened, earliest first ({first} to {last})."),
        String::new(),
        None,
    );
    c.choices = kept.into_iter().map(|e| e.text).collect();
    c.answer = c.choices.join(" → ");
    c.tags = vec!["ordering".to_owned()];
    Some(c)
}
