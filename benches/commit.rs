//! Answer commit latency: `Store::record` (one review appended and the card's cached state
//! updated, in one IMMEDIATE transaction, WAL, `synchronous = FULL`) on a large database.
//!
//! ```sh
//! cargo run --release --example synth -- /tmp/synth-100k          # once: 100k cards, ~2M reviews
//! SYNTH_DIR=/tmp/synth-100k cargo bench --bench commit
//! ```
//!
//! Without SYNTH_DIR a 1k-card collection is generated in a temporary directory (the CI
//! smoke size). The database is copied first, so the collection is never changed. Prints
//! p50/p90/p99/max over `SAMPLES` single commits, then criterion's estimate of the mean.

#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use factdrill::deck::Id;
use factdrill::schedule::{Rating, SchedulerConfig};
use factdrill::store::{NewReview, Store, StoredCard};
use jiff::{SignedDuration, Timestamp};

const SAMPLES: usize = 2_000;

fn main() {
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let source = if let Some(dir) = std::env::var_os("SYNTH_DIR") {
        PathBuf::from(dir)
    } else {
        let dir = scratch.path().join("synth");
        let mut options = synth::Options::new(dir.clone());
        options.cards = 1_000;
        options.reviews = 20_000;
        options.decks = 1;
        synth::generate(&options).expect("a synthetic collection");
        dir
    };
    let db = scratch.path().join("bench.db");
    std::fs::copy(synth::db_path(&source), &db).expect("a copy of the database");
    let mut store = Store::open(&db).expect("the copied database");
    // As `study` does: no automatic checkpoint inside an answer's commit. Set
    // COMMIT_AUTOCHECKPOINT=1 to time commits with SQLite's default instead.
    if std::env::var_os("COMMIT_AUTOCHECKPOINT").is_none() {
        store.hold_checkpoints().expect("checkpoints held");
    }
    let reviews = store.review_count().expect("a count");
    let mut cards: Vec<StoredCard> = (0..100)
        .map_while(|d| Id::parse(&format!("synth-{d:02}")).ok())
        .flat_map(|id| store.cards(&id).expect("cards"))
        .collect();
    println!(
        "commit latency: {} ({} cards, {reviews} reviews), synchronous = FULL",
        source.display(),
        cards.len()
    );
    let scheduler = SchedulerConfig::default()
        .build()
        .expect("default settings");
    let mut now: Timestamp = "2026-11-25T09:00:00Z".parse().expect("an instant");
    let mut next = 0;
    // Answers one card (Good) and times only the store's commit.
    let mut commit = |store: &mut Store| -> Duration {
        let count = cards.len();
        let card = &mut cards[next % count];
        next += 1;
        now += SignedDuration::from_millis(1500);
        let state = scheduler.review(&card.state, Rating::Good, now);
        let started = Instant::now();
        store
            .record(&NewReview {
                handle: card.handle,
                reviewed_at: now,
                rating: Rating::Good,
                answer: "typed",
                verdict: "correct",
                response_ms: 1500,
                scheduler: scheduler.name(),
                state: &state,
                previous: &card.state,
                cram: false,
                leech: false,
            })
            .expect("a committed answer");
        let took = started.elapsed();
        card.state = state;
        took
    };
    let mut times: Vec<Duration> = (0..SAMPLES).map(|_| commit(&mut store)).collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{SAMPLES} commits: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        at(0.5),
        at(0.9),
        at(0.99),
        times[times.len() - 1]
    );
    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    criterion.bench_function("store/record", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| commit(&mut store)).sum());
    });
    criterion.final_summary();
    drop(store);
    remove(&db);
}

fn remove(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
