//! Grading speed over a deck that knows 10k names: must stay under 50 µs per answer.
//! Names are synthetic (deterministic syllable soup), so that many are near one another and
//! the known-entity guard has real work to do. Results go in `docs/BENCHMARKS.md`.

use std::collections::BTreeSet;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use factdrill::deck::{Card, Id, Kind};
use factdrill::grade::{GradeOptions, Grader};

const ENTITIES: usize = 10_000;
const ANSWERS: usize = 200;

const GIVEN: [&str; 24] = [
    "Osip",
    "Mikhail",
    "Jacob",
    "Hans",
    "Solomon",
    "Henk",
    "Walter",
    "Berthe",
    "Fritz",
    "Arthur",
    "Richard",
    "Leo",
    "Willi",
    "Arnold",
    "Kim",
    "George",
    "Kitty",
    "Earl",
    "Donald",
    "Agnes",
    "Ruth",
    "Joseph",
    "Alexander",
    "Juliet",
];
const SYLLABLES: [&str; 24] = [
    "ko", "va", "lev", "ski", "pet", "ro", "mi", "ra", "dan", "tor", "sen", "berg", "man", "ner",
    "ov", "in", "ich", "ar", "el", "ta", "pia", "nit", "tril", "ser",
];

/// A small deterministic generator: the bench must grade the same names on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn names() -> Vec<String> {
    let mut rng = Lcg(42);
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(ENTITIES);
    while out.len() < ENTITIES {
        let syllables = 2 + rng.next(3);
        let mut surname: String = (0..syllables)
            .map(|_| SYLLABLES[rng.next(SYLLABLES.len())])
            .collect();
        surname[..1].make_ascii_uppercase();
        let name = format!("{} {surname}", GIVEN[rng.next(GIVEN.len())]);
        if seen.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

fn card(answer: &str) -> Card {
    Card {
        id: Id::parse("bench").expect("a valid id"),
        kind: Kind::Recall,
        prompt: "Who?".to_owned(),
        answer: answer.to_owned(),
        accept: Vec::new(),
        choices: Vec::new(),
        explanation: None,
        source: None,
        tags: Vec::new(),
        generated: None,
        line: 1,
    }
}

/// The surname with two letters in its middle swapped.
fn typo(name: &str) -> String {
    let surname = name.rsplit(' ').next().unwrap_or(name);
    let mut chars: Vec<char> = surname.chars().collect();
    let mid = chars.len() / 2;
    chars.swap(mid - 1, mid);
    chars.into_iter().collect()
}

/// Makes the typed answer for the i-th card.
type AnswerFor<'a> = Box<dyn Fn(usize) -> String + 'a>;

fn bench(c: &mut Criterion) {
    let names = names();
    let grader = Grader::new(names.clone(), Vec::new(), GradeOptions::default());
    let step = ENTITIES / ANSWERS;
    let cards: Vec<Card> = (0..ANSWERS).map(|i| card(&names[i * step])).collect();
    let kinds: [(&str, AnswerFor<'_>); 5] = [
        ("right full name", Box::new(|i| names[i * step].clone())),
        (
            "right surname",
            Box::new(|i| {
                names[i * step]
                    .rsplit(' ')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            }),
        ),
        ("typo", Box::new(|i| typo(&names[i * step]))),
        (
            "variant",
            Box::new(|i| names[i * step].replace('i', "y").replace('k', "kh")),
        ),
        (
            "wrong (another name)",
            Box::new(|i| names[i * step + 1].clone()),
        ),
    ];

    let mut group = c.benchmark_group("grade 10k names");
    group.throughput(Throughput::Elements(ANSWERS as u64));
    let mut mix = Vec::new();
    for (label, make) in &kinds {
        let typed: Vec<String> = (0..ANSWERS).map(make).collect();
        // Say what the answers were graded, so the figures can be read against it.
        let mut verdicts = std::collections::BTreeMap::new();
        for (card, typed) in cards.iter().zip(&typed) {
            *verdicts
                .entry(grader.grade(card, &[], typed).verdict.as_str())
                .or_insert(0) += 1;
        }
        eprintln!("{label}: {verdicts:?}");
        mix.extend(cards.iter().cloned().zip(typed.iter().cloned()));
        group.bench_function(*label, |b| {
            b.iter(|| {
                for (card, typed) in cards.iter().zip(&typed) {
                    black_box(grader.grade(card, &[], black_box(typed)));
                }
            });
        });
    }
    group.throughput(Throughput::Elements(mix.len() as u64));
    group.bench_function("mix", |b| {
        b.iter(|| {
            for (card, typed) in &mix {
                black_box(grader.grade(card, &[], black_box(typed)));
            }
        });
    });
    group.finish();

    let mut build = c.benchmark_group("build");
    build.sample_size(10);
    build.bench_function("Grader::new over 10k names", |b| {
        b.iter(|| {
            Grader::new(
                black_box(names.clone()),
                Vec::new(),
                GradeOptions::default(),
            )
        });
    });
    build.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
