//! Deck reading: a 10,000-card deck as `generate` writes it, through the fast YAML reader,
//! through the full one (serde-saphyr, what every deck went through before), and loaded and
//! validated whole (`deck::load_str`, what `check` does after reading the file). Figures in
//! docs/BENCHMARKS.md, "Reading decks".

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use factdrill::deck::{Card, Id, Kind, Origin, load_str};
use factdrill::generate::write::{Header, to_yaml};
use factdrill::yaml;

const PLACES: [&str; 6] = ["Berlin", "Vienna", "Paris", "Prague", "Riga", "Shanghai"];
const NAMES: [&str; 8] = [
    "Osip Piatnitsky",
    "Mikhail Trilisser",
    "Jacob Mirov-Abramov",
    "Hans Kippenberger",
    "Solomon Lozovsky",
    "Henk Sneevliet",
    "Clara Zetkin",
    "Berthe Grünberg",
];

/// `n` cards of the kinds `generate` writes: people (recall, with accepted variants), years
/// (quoted, as the writer quotes numbers), choices, tags, sources and `generated:` marks.
fn deck(n: usize) -> String {
    let cards: Vec<Card> = (0..n)
        .map(|i| {
            let name = format!("{} {}", NAMES[i % NAMES.len()], i / NAMES.len());
            let place = PLACES[i % PLACES.len()];
            let year = (1900 + i % 60).to_string();
            let (kind, prompt, answer, choices) = match i % 4 {
                0 | 1 => (
                    Kind::Recall,
                    format!("Who headed the {place} bureau in {year}?"),
                    name.clone(),
                    Vec::new(),
                ),
                2 => (
                    Kind::Year,
                    format!("In what year did {name} reach {place}?"),
                    year.clone(),
                    Vec::new(),
                ),
                _ => (
                    Kind::Choice,
                    format!("Where did {name} work in {year}?"),
                    place.to_owned(),
                    vec![
                        place.to_owned(),
                        PLACES[(i + 1) % PLACES.len()].to_owned(),
                        PLACES[(i + 2) % PLACES.len()].to_owned(),
                    ],
                ),
            };
            Card {
                id: Id::parse(&format!("head-{i:06}.q")).expect("a valid id"),
                kind,
                prompt,
                accept: if kind == Kind::Recall {
                    vec![name.split(' ').nth(1).unwrap_or("x").to_owned()]
                } else {
                    Vec::new()
                },
                answer,
                choices,
                explanation: None,
                source: Some(format!(
                    "In {year}, {name} was sent to {place}: the bureau's \"head\"."
                )),
                tags: vec!["head".to_owned(), "oms".to_owned()],
                generated: Some(Origin {
                    key: format!("head-{i:06}.q"),
                    hash: format!("{:010x}", i * 7919),
                }),
                line: 0,
            }
        })
        .collect();
    to_yaml(&Header::new("bench".into(), "Bench deck".into()), &cards)
}

fn bench(c: &mut Criterion) {
    let text = deck(10_000);
    eprintln!("the deck: {} bytes", text.len());
    assert!(
        yaml::parse_fast(&text).is_some(),
        "the fast reader reads it"
    );
    assert_eq!(load_str(&text).expect("a valid deck").cards.len(), 10_000);
    let mut group = c.benchmark_group("deck 10k cards");
    group.sample_size(10);
    group.bench_function("yaml::parse (fast reader)", |b| {
        b.iter(|| yaml::parse(black_box(&text)).map(|n| n.pos));
    });
    group.bench_function("yaml::parse_full (serde-saphyr)", |b| {
        b.iter(|| yaml::parse_full(black_box(&text)).map(|n| n.pos));
    });
    group.bench_function("deck::load_str", |b| {
        b.iter(|| load_str(black_box(&text)).map(|d| d.cards.len()));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
