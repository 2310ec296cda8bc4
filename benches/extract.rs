//! Extraction throughput on a large corpus: the shipped articles repeated to about 20 MB,
//! extracted in one call (as `factdrill extract` would on a big file). Run once with
//! `cargo bench --bench extract`; figures go to docs/BENCHMARKS.md ("Extraction").

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const TARGET_BYTES: usize = 20 * 1024 * 1024;

fn corpus() -> String {
    let articles = [
        include_str!("../decks/oms.txt"),
        include_str!("../tests/fixtures/articles/royal-society.txt"),
    ];
    let mut text = String::with_capacity(TARGET_BYTES + 64 * 1024);
    while text.len() < TARGET_BYTES {
        for article in articles {
            text.push_str(article);
            text.push_str("\n\n");
        }
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("articles_20MB", |b| {
        b.iter(|| factdrill::extract::extract(black_box(&text)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
