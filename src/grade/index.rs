//! The known names of a deck, indexed so that "is what the learner typed really another
//! entity?" costs microseconds over 10k names: an exact map on skeletons, and a bigram
//! inverted index that narrows an edit-distance search to the few names sharing enough
//! letter pairs. Also the alias groups ("Moskvin" = "Mikhail Trilisser").

use std::collections::{HashMap, HashSet};

use super::names::{MAX_EDIT_LEN, Name, distance_within, same_entity};

/// Letters of a skeleton mapped to 0..ALPHABET for bigram ids; 0 is the word boundary.
const ALPHABET: usize = 38;

/// One searchable spelling of a known entity: its full skeleton, or its surname.
#[derive(Debug)]
struct Entry {
    entity: u32,
    skel: Box<str>,
}

/// A known entity found near what the learner typed.
#[derive(Debug)]
pub struct Rival<'a> {
    pub name: &'a Name,
    pub distance: usize,
}

#[derive(Debug, Default)]
pub struct EntityIndex {
    names: Vec<Name>,
    entries: Vec<Entry>,
    exact: HashMap<Box<str>, Vec<u32>>,
    /// Entry ids containing each bigram (each entry listed once per bigram).
    postings: Vec<Vec<u32>>,
}

impl EntityIndex {
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let mut index = Self {
            postings: vec![Vec::new(); ALPHABET * ALPHABET],
            ..Self::default()
        };
        let mut seen = HashSet::new();
        for display in names {
            // Dates and numbers are not entities; very long strings are not names.
            if !display.chars().any(char::is_alphabetic) {
                continue;
            }
            let name = Name::parse(&display);
            if name.skel.is_empty()
                || name.skel.len() > MAX_EDIT_LEN
                || !seen.insert(name.norm.clone())
            {
                continue;
            }
            let entity = u32::try_from(index.names.len()).unwrap_or(u32::MAX);
            let mut skels = vec![name.skel.clone()];
            skels.extend(name.surname_skel());
            for skel in skels {
                index.add_entry(entity, skel);
            }
            index.names.push(name);
        }
        index
    }

    fn add_entry(&mut self, entity: u32, skel: String) {
        let id = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        let mut grams: Vec<usize> = bigrams(&skel).collect();
        grams.sort_unstable();
        grams.dedup();
        for gram in grams {
            self.postings[gram].push(id);
        }
        self.exact.entry(skel.clone().into()).or_default().push(id);
        self.entries.push(Entry {
            entity,
            skel: skel.into(),
        });
    }

    #[allow(clippy::len_without_is_empty)] // only ever asked for a count
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Entities spelt exactly `skel` (as a full name or as a surname) that `keep` accepts.
    pub fn exact<'a>(&'a self, skel: &str, keep: impl Fn(&Name) -> bool) -> Option<&'a Name> {
        self.exact
            .get(skel)?
            .iter()
            .map(|&id| &self.names[self.entries[id as usize].entity as usize])
            .find(|name| keep(name))
    }

    /// The entity closest to `skel` within `max` edits that `keep` accepts, the nearest first.
    pub fn nearest<'a>(
        &'a self,
        skel: &str,
        max: usize,
        keep: impl Fn(&Name) -> bool,
    ) -> Option<Rival<'a>> {
        if skel.len() > MAX_EDIT_LEN {
            return None;
        }
        if max == 0 {
            return self
                .exact(skel, keep)
                .map(|name| Rival { name, distance: 0 });
        }
        // Each edit creates at most three of the typed string's bigrams (a transposition
        // does), so a name within `max` edits shares at least this many with it.
        let needed = (skel.len() + 1).saturating_sub(3 * max);
        let candidates: Vec<u32> = if needed == 0 {
            (0..self.entries.len() as u32).collect()
        } else {
            let mut counts = vec![0u16; self.entries.len()];
            let mut hits = Vec::new();
            for gram in bigrams(skel) {
                for &id in &self.postings[gram] {
                    let count = &mut counts[id as usize];
                    *count = count.saturating_add(1);
                    if usize::from(*count) == needed {
                        hits.push(id);
                    }
                }
            }
            hits
        };
        let mut best: Option<Rival<'a>> = None;
        for id in candidates {
            let entry = &self.entries[id as usize];
            let limit = best.as_ref().map_or(max, |b| b.distance);
            let Some(distance) = distance_within(skel, &entry.skel, limit) else {
                continue;
            };
            if best.as_ref().is_some_and(|b| b.distance <= distance) {
                continue;
            }
            let name = &self.names[entry.entity as usize];
            if keep(name) {
                best = Some(Rival { name, distance });
            }
        }
        best
    }
}

/// Bigram ids of a skeleton padded with word boundaries at both ends.
fn bigrams(skel: &str) -> impl Iterator<Item = usize> + '_ {
    let code = |b: u8| match b {
        b'a'..=b'z' => usize::from(b - b'a') + 1,
        b'0'..=b'9' => usize::from(b - b'0') + 27,
        _ => ALPHABET - 1,
    };
    let padded = std::iter::once(0)
        .chain(skel.bytes().map(code))
        .chain(std::iter::once(0));
    padded
        .clone()
        .zip(padded.skip(1))
        .map(|(a, b)| a * ALPHABET + b)
}

/// Groups of names that denote one entity.
#[derive(Debug, Default)]
pub struct AliasBook {
    groups: Vec<Vec<Name>>,
    /// Skeleton (full and surname) of every member -> groups holding it.
    by_skel: HashMap<String, Vec<usize>>,
}

impl AliasBook {
    pub fn new(groups: Vec<Vec<String>>) -> Self {
        let mut book = Self::default();
        for group in groups {
            let names: Vec<Name> = group
                .iter()
                .map(|n| Name::parse(n))
                .filter(|n| !n.skel.is_empty())
                .collect();
            if names.len() < 2 {
                continue;
            }
            let id = book.groups.len();
            for name in &names {
                book.by_skel.entry(name.skel.clone()).or_default().push(id);
                if let Some(surname) = name.surname_skel() {
                    book.by_skel.entry(surname).or_default().push(id);
                }
            }
            book.groups.push(names);
        }
        book
    }

    /// Every other name of the entity `name` denotes.
    pub fn aliases_of(&self, name: &Name) -> Vec<&Name> {
        let mut keys = vec![name.skel.clone()];
        keys.extend(name.surname_skel());
        let mut groups: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.by_skel.get(k))
            .flatten()
            .copied()
            .collect();
        groups.sort_unstable();
        groups.dedup();
        groups
            .into_iter()
            .map(|g| &self.groups[g])
            .filter(|members| members.iter().any(|m| same_entity(m, name)))
            .flatten()
            .filter(|m| !same_entity(m, name))
            .collect()
    }

    /// The name that best presents the entity `name` belongs to: its first person-like alias.
    pub fn principal<'a>(&'a self, name: &'a Name) -> &'a Name {
        self.by_skel
            .get(&name.skel)
            .and_then(|groups| groups.first())
            .and_then(|&g| self.groups[g].iter().find(|m| m.is_person()))
            .unwrap_or(name)
    }

    /// Every name in every group, for the entity index.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().flatten().map(|n| n.display.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[&str]) -> EntityIndex {
        EntityIndex::new(names.iter().map(|s| (*s).to_owned()))
    }

    fn skel(text: &str) -> String {
        Name::parse(text).skel
    }

    #[test]
    fn finds_the_nearest_name_within_the_limit() {
        let idx = index(&[
            "Mikhail Trilisser",
            "Osip Piatnitsky",
            "Henk Sneevliet",
            "1921",
        ]);
        assert_eq!(idx.len(), 3, "years are not entities");
        let found = idx.nearest(&skel("Trilliser"), 2, |_| true).unwrap();
        assert_eq!(found.name.display, "Mikhail Trilisser");
        assert_eq!(found.distance, 0, "matches the surname entry");
        assert!(idx.nearest(&skel("Sneevliat"), 1, |_| true).is_some());
        assert!(idx.nearest(&skel("Kippenberger"), 3, |_| true).is_none());
    }

    #[test]
    fn keep_filters_out_the_answer_itself() {
        let idx = index(&["Osip Piatnitsky"]);
        let answer = Name::parse("Piatnitsky");
        assert!(
            idx.nearest(&skel("Piatnitsky"), 2, |n| !same_entity(n, &answer))
                .is_none()
        );
    }

    #[test]
    fn bigram_filter_agrees_with_a_full_scan() {
        let names = [
            "Kippenberger",
            "Kippenburger",
            "Kipenberg",
            "Rippenberger",
            "Flieg",
        ];
        let idx = index(&names);
        for typed in ["Kippenbreger", "Kipenburg", "Flig", "Kippen"] {
            let s = skel(typed);
            for max in 1..=3 {
                let fast = idx.nearest(&s, max, |_| true).map(|r| r.distance);
                let slow = names
                    .iter()
                    .filter_map(|n| distance_within(&s, &skel(n), max))
                    .min();
                assert_eq!(fast, slow, "{typed} within {max}");
            }
        }
    }

    #[test]
    fn aliases_link_both_ways() {
        let book = AliasBook::new(vec![vec![
            "Mikhail Trilisser".to_owned(),
            "Moskvin".to_owned(),
        ]]);
        let of = |n: &str| -> Vec<String> {
            book.aliases_of(&Name::parse(n))
                .into_iter()
                .map(|m| m.display.clone())
                .collect()
        };
        assert_eq!(of("Trilisser"), ["Moskvin"]);
        assert_eq!(of("Moskvin"), ["Mikhail Trilisser"]);
        assert!(of("Piatnitsky").is_empty());
        let moskvin = Name::parse("Moskvin");
        assert_eq!(book.principal(&moskvin).display, "Mikhail Trilisser");
    }
}
