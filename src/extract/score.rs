//! Scoring extracted facts against a curated (gold) file: precision, recall and F1 per kind
//! and overall (micro-averaged). Matching is lenient and one-to-one (each gold fact matches at
//! most one extracted fact); the rules are documented in `docs/facts-format.md`:
//! text folded (case, diacritics, punctuation), people by surname, the topic and its gold
//! aliases interchangeable, dates at the gold's precision, free text (events, location
//! subjects) by word overlap, and fields the gold leaves empty not compared.

use std::fmt;

use crate::facts::{Alias, Body, Dated, Facts, Head, Kind, Location, fold};

/// Counts and ratios for one kind of fact (or all).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct KindScore {
    /// Extracted facts that match a gold fact.
    pub matched: usize,
    pub extracted: usize,
    pub gold: usize,
}

impl KindScore {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.extracted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        if a == 0 { 1.0 } else { 0.0 }
    } else {
        a as f64 / b as f64
    }
}

/// Scores per kind (in `Kind::ALL` order) and overall.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub kinds: Vec<(Kind, KindScore)>,
    pub overall: KindScore,
}

/// One unit of matching: a fact, or one (name, alias) pair of an alias fact.
enum Item<'a> {
    Head(&'a Head),
    Date(&'a Dated),
    Location(&'a Location),
    Alias(&'a str, &'a str),
}

fn items(facts: &Facts) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for f in &facts.facts {
        match &f.body {
            Body::Head(h) => out.push(Item::Head(h)),
            Body::Date(d) => out.push(Item::Date(d)),
            Body::Location(l) => out.push(Item::Location(l)),
            Body::Alias(Alias { name, aliases }) => {
                out.extend(aliases.iter().map(|a| Item::Alias(name, a)));
            }
        }
    }
    out
}

fn kind(item: &Item<'_>) -> Kind {
    match item {
        Item::Head(_) => Kind::Head,
        Item::Date(_) => Kind::Date,
        Item::Location(_) => Kind::Location,
        Item::Alias(..) => Kind::Alias,
    }
}

/// Compares extracted facts with gold facts.
pub fn score(extracted: &Facts, gold: &Facts) -> Score {
    let names = Names::new(gold);
    let got = items(extracted);
    let want = items(gold);
    let mut used = vec![false; got.len()];
    let mut per: Vec<(Kind, KindScore)> = Kind::ALL
        .iter()
        .map(|k| (*k, KindScore::default()))
        .collect();
    for g in &want {
        let k = kind(g);
        per[k as usize].1.gold += 1;
        if let Some(i) =
            (0..got.len()).find(|&i| !used[i] && kind(&got[i]) == k && matches(&got[i], g, &names))
        {
            used[i] = true;
            per[k as usize].1.matched += 1;
        }
    }
    for e in &got {
        per[kind(e) as usize].1.extracted += 1;
    }
    let overall = per
        .iter()
        .fold(KindScore::default(), |acc, (_, s)| KindScore {
            matched: acc.matched + s.matched,
            extracted: acc.extracted + s.extracted,
            gold: acc.gold + s.gold,
        });
    Score {
        kinds: per,
        overall,
    }
}

/// The gold topic and its aliases, folded: any of them names the topic.
struct Names {
    topic: Vec<String>,
}

impl Names {
    fn new(gold: &Facts) -> Self {
        let mut topic: Vec<String> = gold.topic.iter().map(|t| fold(t)).collect();
        if let Some(t) = gold.topic.as_deref() {
            for f in &gold.facts {
                if let Body::Alias(a) = &f.body
                    && fold(&a.name) == fold(t)
                {
                    topic.extend(a.aliases.iter().map(|x| fold(x)));
                }
            }
        }
        Self { topic }
    }

    fn canonical(&self, text: Option<&str>) -> String {
        let folded = text.map(fold).unwrap_or_default();
        let folded = folded
            .strip_prefix("the ")
            .map_or(folded.clone(), str::to_owned);
        if folded.is_empty() || self.topic.contains(&folded) {
            return self.topic.first().cloned().unwrap_or_default();
        }
        folded
    }

    fn same_thing(&self, a: Option<&str>, b: Option<&str>) -> bool {
        let (a, b) = (self.canonical(a), self.canonical(b));
        a == b
            || (!a.is_empty()
                && !b.is_empty()
                && (contains_words(&a, &b) || contains_words(&b, &a)))
    }
}

fn contains_words(long: &str, short: &str) -> bool {
    format!(" {long} ").contains(&format!(" {short} "))
}

/// People match by surname (the last folded word).
fn same_person(a: &str, b: &str) -> bool {
    let last = |s: &str| fold(s).rsplit(' ').next().unwrap_or("").to_owned();
    let (a, b) = (last(a), last(b));
    !a.is_empty() && a == b
}

fn same_region(a: Option<&str>, b: Option<&str>) -> bool {
    let f = |s: Option<&str>| {
        let s = s.map(fold).unwrap_or_default();
        s.strip_prefix("the ").map_or(s.clone(), str::to_owned)
    };
    f(a) == f(b)
}

fn matches(e: &Item<'_>, g: &Item<'_>, names: &Names) -> bool {
    match (e, g) {
        (Item::Head(e), Item::Head(g)) => {
            same_person(&e.person, &g.person)
                && e.role == g.role
                && names.same_thing(e.org.as_deref(), g.org.as_deref())
                && same_region(e.region.as_deref(), g.region.as_deref())
                && g.from
                    .as_ref()
                    .is_none_or(|gf| e.from.as_ref().is_some_and(|ef| ef.matches_at(gf)))
                && g.to
                    .as_ref()
                    .is_none_or(|gt| e.to.as_ref().is_some_and(|et| et.matches_at(gt)))
                && g.during
                    .as_ref()
                    .is_none_or(|gd| e.during.as_ref().is_some_and(|ed| ed.matches_at(gd)))
                && g.order.is_none_or(|go| e.order == Some(go))
        }
        (Item::Date(e), Item::Date(g)) => {
            e.when.matches_at(&g.when)
                && overlap(
                    &format!("{} {}", names.canonical(e.subject.as_deref()), e.event),
                    &format!("{} {}", names.canonical(g.subject.as_deref()), g.event),
                ) >= 0.5
        }
        (Item::Location(e), Item::Location(g)) => {
            let (ep, gp) = (fold(&e.place), fold(&g.place));
            (ep == gp || contains_words(&ep, &gp) || contains_words(&gp, &ep))
                && overlap(
                    &names.canonical(Some(&e.subject)),
                    &names.canonical(Some(&g.subject)),
                ) >= 0.5
        }
        (Item::Alias(en, ea), Item::Alias(gn, ga)) => {
            fold(ea) == fold(ga) && (names.same_thing(Some(en), Some(gn)) || same_person(en, gn))
        }
        _ => false,
    }
}

const STOP: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from", "as",
    "was", "were", "is", "are", "its", "it", "s", "his", "her", "their", "that", "this", "be",
    "been", "had", "has",
];

/// Content words of a text, crudely stemmed ("founded", "founding" -> "found").
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = fold(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(|w| {
            let stem = ["ing", "ed", "es", "s"]
                .iter()
                .find_map(|suf| w.strip_suffix(suf).filter(|s| s.len() >= 3))
                .unwrap_or(w);
            stem.chars().take(6).collect()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The Dice coefficient of two texts' content words.
fn overlap(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|w| b.contains(w)).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "kind      matched  extracted  gold  precision  recall     F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, s: &KindScore| {
            writeln!(
                f,
                "{name:<9} {:>7}  {:>9}  {:>4}  {:>9.3}  {:>6.3}  {:>5.3}",
                s.matched,
                s.extracted,
                s.gold,
                s.precision(),
                s.recall(),
                s.f1()
            )
        };
        for (kind, s) in &self.kinds {
            row(f, kind.as_str(), s)?;
        }
        row(f, "overall", &self.overall)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::load_str;

    const GOLD: &str = "\
topic: Guild
facts:
  - {kind: alias, name: Guild, aliases: [Craft Union, CU]}
  - {kind: head, person: Anna Berg, org: Guild, region: Wales, role: head, order: 1}
  - {kind: head, person: Otto Lind, role: deputy}
  - {kind: date, event: founded at the Great Fair, subject: Guild, when: 1921}
  - {kind: date, event: moved to Leeds, subject: Guild, when: [1935, 1937], uncertain: true}
  - {kind: location, subject: Guild headquarters, place: Leeds}
";

    #[track_caller]
    fn case(extracted: &str, matched: [usize; 4], extracted_n: [usize; 4]) {
        let gold = load_str(GOLD).unwrap();
        let got = score(&load_str(extracted).unwrap(), &gold);
        let m: Vec<usize> = got.kinds.iter().map(|(_, s)| s.matched).collect();
        let e: Vec<usize> = got.kinds.iter().map(|(_, s)| s.extracted).collect();
        assert_eq!((m, e), (matched.to_vec(), extracted_n.to_vec()));
    }

    #[test]
    fn perfect_extraction_scores_one() {
        let gold = load_str(GOLD).unwrap();
        let s = score(&gold, &gold);
        assert_eq!(s.overall.matched, 7);
        assert!((s.overall.f1() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn lenient_matching() {
        // Surname, folded case, topic alias as org, a more precise date, a hedge alternative.
        case(
            "facts:
  - {kind: head, person: BERG, org: Craft Union, region: wales, role: head, order: 1}
  - {kind: head, person: O. Lind, org: null, role: deputy}
  - {kind: date, event: was founded at the great fair, subject: it, when: 1921-07}
  - {kind: date, event: moved to Leeds, subject: Guild, when: 1937}
  - {kind: location, subject: the Guild's headquarters, place: Leeds}
  - {kind: alias, name: Craft Union, aliases: [cu]}
",
            [2, 2, 1, 1],
            [2, 2, 1, 1],
        );
    }

    #[test]
    fn strict_where_the_gold_says_something() {
        case(
            "facts:
  - {kind: head, person: Anna Berg, region: Wales, role: head, order: 2}
  - {kind: head, person: Anna Berg, role: head, order: 1}
  - {kind: head, person: Otto Lind, role: head}
  - {kind: date, event: founded at the Great Fair, subject: Guild, when: 1922}
  - {kind: date, event: something else entirely, subject: Guild, when: 1921}
  - {kind: location, subject: Guild headquarters, place: York}
  - {kind: alias, name: Guild, aliases: [Craft Union, Craft Union]}
",
            [0, 0, 0, 1],
            [3, 2, 1, 2],
        );
    }

    #[test]
    fn scores_render_as_a_table() {
        let gold = load_str(GOLD).unwrap();
        let table = score(&Facts::default(), &gold).to_string();
        assert!(
            table.contains("overall         0          0     7      1.000   0.000  0.000"),
            "{table}"
        );
    }
}
