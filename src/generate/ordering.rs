//! `ordering` cards: three to five dated events to put in chronological order. Only events
//! with one certain date (a year, month or day; no spans) take part, and the events of a card
//! have distinct dates that can be told apart (two events in the same year only when both
//! give months that differ). Events are taken in date order and cut into groups of three to
//! five, as even as they can be. A card's key comes from the set of its facts' ids,
//! so it changes only when its set of events does.

use super::phrase::{self, capitalize};
use super::{Index, card};
use crate::deck::{Card, Kind};
use crate::facts::{Body, Point, fold};

const GROUP: usize = 4;

pub fn cards(ix: &Index<'_>) -> Vec<Card> {
    let mut events: Vec<(Point, &str, String)> = ix
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
                .statement(subject.as_deref().unwrap_or(""));
            Some((date.start, id.as_str(), capitalize(&said)))
        })
        .collect();
    events.sort_by(|a, b| (a.0.year, a.0.month, a.1).cmp(&(b.0.year, b.0.month, b.1)));
    // Keep each event only if it can be told apart from the one before it.
    let mut kept: Vec<(Point, &str, String)> = Vec::new();
    let mut texts = std::collections::HashSet::new();
    for e in events {
        let distinct = kept.last().is_none_or(|last| {
            last.0.year < e.0.year
                || matches!((last.0.month, e.0.month), (Some(a), Some(b)) if a < b)
        });
        if distinct && texts.insert(fold(&e.2)) {
            kept.push(e);
        }
    }
    // Groups of three to five: (n + 2) / 4 groups, sizes differing by at most one.
    let n = kept.len();
    let count = (n + 2) / GROUP;
    let mut groups: Vec<&[(Point, &str, String)]> = Vec::new();
    let mut start = 0;
    for i in 0..count {
        let size = n / count + usize::from(i < n % count);
        groups.push(&kept[start..start + size]);
        start += size;
    }
    groups
        .into_iter()
        .filter(|g| (3..=5).contains(&g.len()))
        .map(|g| {
            let mut ids: Vec<&str> = g.iter().map(|e| e.1).collect();
            ids.sort_unstable();
            let mut h = blake3::Hasher::new();
            for id in &ids {
                h.update(id.as_bytes());
                h.update(b"\x1f");
            }
            let key = format!("ordering-{}", &h.finalize().to_hex()[..10]);
            let (first, last) = (g[0].0.year, g[g.len() - 1].0.year);
            let mut c = card(
                &key,
                Kind::Ordering,
                format!("Put these events in the order they happened, earliest first ({first} to {last})."),
                String::new(),
                None,
            );
            c.choices = g.iter().map(|e| e.2.clone()).collect();
            c.answer = c.choices.join(" → ");
            c.tags = vec!["ordering".to_owned()];
            c
        })
        .collect()
}
