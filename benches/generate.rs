//! Generation speed: a deck from 10,000 synthetic facts (heads, dates, places, aliases, each
//! with a source sentence), the size of a long article series. Figures in docs/BENCHMARKS.md,
//! "Generation".

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use factdrill::facts::{Alias, Body, Dated, Fact, Facts, Head, Location, Role, Source, When};
use factdrill::generate::{Options, generate};

const FIRST: [&str; 12] = [
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Fritz", "Greta", "Hans", "Irina", "Jakob",
    "Karl", "Lena",
];
const LAST: [&str; 10] = [
    "Berg", "Dahl", "Ek", "Fors", "Gran", "Hed", "Lind", "Moberg", "Nyström", "Olsen",
];

fn person(i: usize) -> String {
    format!("{} {} {}", FIRST[i % 12], LAST[(i / 12) % 10], i / 120)
}

fn fact(body: Body, sentence: String) -> Fact {
    let mut f = Fact::new(body);
    f.source = Some(Source {
        section: None,
        sentence,
        span: (0, 0),
    });
    f
}

/// 10,000 facts in four kinds, with names, regions and years drawn so that groups, aliases
/// and places repeat the way they do in real articles.
fn synthetic(n: usize) -> Facts {
    let mut facts = Vec::with_capacity(n);
    for i in 0..n {
        let p = person(i);
        let region = format!("Region{}", i % 40);
        let year = 1800 + (i % 200) as u16;
        let f = match i % 4 {
            0 => fact(
                Body::Head(Head {
                    person: p.clone(),
                    org: Some(format!("Society{}", i % 50)),
                    region: Some(region.clone()),
                    role: Role::Head,
                    from: When::parse(&year.to_string()).ok(),
                    to: None,
                    during: None,
                    order: Some((i % 5) as u32 + 1),
                }),
                format!("In {region}, the head of the Society{} was {p}.", i % 50),
            ),
            1 => fact(
                Body::Date(Dated {
                    event: format!("founded the club number {i}"),
                    subject: Some(p.clone()),
                    when: When::parse(&year.to_string()).expect("a year"),
                }),
                format!("In {year}, {p} founded the club number {i}."),
            ),
            2 => fact(
                Body::Location(Location {
                    subject: format!("office number {i}"),
                    place: format!("City{}", i % 300),
                }),
                format!("The office number {i} was in City{}.", i % 300),
            ),
            _ => fact(
                Body::Alias(Alias {
                    name: p.clone(),
                    aliases: vec![format!("Agent{i}")],
                }),
                format!("{p} was known as \"Agent{i}\"."),
            ),
        };
        facts.push(f);
    }
    Facts {
        topic: Some("Society".to_owned()),
        facts,
    }
}

fn bench(c: &mut Criterion) {
    let facts = synthetic(10_000);
    let cards = generate(&facts, &Options::default());
    assert!(cards.len() > 30_000, "{} cards", cards.len());
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.bench_function("10k facts", |b| {
        b.iter(|| generate(black_box(&facts), &Options::default()).len());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
