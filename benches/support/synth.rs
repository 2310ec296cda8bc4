//! A synthetic collection for benchmarks: N cards in M deck files (real deck YAML, written
//! by the deck writer and loaded back through `deck::load`), and a review log made by
//! simulating a learner against the real scheduler, written through the store's public,
//! batched import path. Everything is a function of the seed and `now`, so two runs with the
//! same options give the same files and the same database.
//!
//! Shared by `examples/synth.rs` (the command-line generator) and the criterion benches
//! that need a large database (`benches/commit.rs`). Not part of the library.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use factdrill::deck::{self, Card, Id, Kind};
use factdrill::generate::write::{Header, to_yaml};
use factdrill::schedule::{CardState, Rating, Scheduler, SchedulerConfig};
use factdrill::store::{CardRef, ImportedReview, LoggedReview, Store, card_seed};
use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub cards: usize,
    pub reviews: usize,
    pub decks: usize,
    pub seed: u64,
    /// The simulated learner's last review is before this instant.
    pub now: Timestamp,
    /// Deck files go here, and the database is `dir/factdrill.db`.
    pub dir: PathBuf,
}

impl Options {
    /// The default collection of issue 11: 100k cards in 10 decks, 2M reviews.
    pub fn new(dir: PathBuf) -> Self {
        Self {
            cards: 100_000,
            reviews: 2_000_000,
            decks: 10,
            seed: 7,
            now: "2026-11-25T09:00:00Z".parse().expect("a valid instant"),
            dir,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct Summary {
    pub db: PathBuf,
    pub decks: Vec<PathBuf>,
    pub cards: usize,
    /// Cards with at least one review.
    pub studied: usize,
    pub reviews: usize,
    /// Reviews rated Again, Hard, Good, Easy.
    pub ratings: [usize; 4],
}

/// Share of cards never studied (new cards still waiting).
const NEW_SHARE: f64 = 0.08;
/// How far back the oldest history may start.
const SPAN_DAYS: i64 = 4 * 365;
/// Reviews handed to one `import_reviews` call (one transaction), to bound memory.
const CHUNK: usize = 50_000;

/// Writes the deck files and the database. The directory must not hold a database already.
pub fn generate(options: &Options) -> Result<Summary, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&options.dir)?;
    let db = options.dir.join("factdrill.db");
    if db.exists() {
        return Err(format!("{} exists; generate into an empty directory", db.display()).into());
    }
    let mut rng = StdRng::seed_from_u64(options.seed);
    let mut store = Store::open(&db)?;
    let config = SchedulerConfig::default();
    let scheduler = config.build()?;
    let decks = options.decks.max(1);
    let studied_cards = ((options.cards as f64) * (1.0 - NEW_SHARE))
        .round()
        .max(1.0);
    let strictness = calibrate(
        scheduler.as_ref(),
        options.reviews as f64 / studied_cards,
        options.now,
        options.seed,
    );
    let mut summary = Summary {
        db: db.clone(),
        decks: Vec::new(),
        cards: 0,
        studied: 0,
        reviews: 0,
        ratings: [0; 4],
    };
    // Every simulated review as (time, deck, card, rating): the log is written in time
    // order, as a learner's log grows, so the table's row order is by time and a scan in
    // card order (statistics, state rebuilds) reads it the way it reads a real one.
    let mut log: Vec<(Timestamp, u16, u32, Rating)> = Vec::new();
    let mut loaded_decks = Vec::new();
    let mut next = 0;
    for d in 0..decks {
        let count = options.cards / decks + usize::from(d < options.cards % decks);
        let key = format!("synth-{d:02}");
        let name = format!("Synthetic deck {d}");
        let cards: Vec<Card> = (next..next + count).map(|i| card(i, &mut rng)).collect();
        next += count;
        let path = std::path::absolute(options.dir.join(format!("{key}.yaml")))?;
        std::fs::write(&path, to_yaml(&Header::new(key.clone(), name), &cards))?;
        let mut loaded = deck::load(&path)?;
        loaded.path.clone_from(&path);
        store.sync_deck(&loaded, options.now)?;
        summary.cards += loaded.cards.len();
        for (c, card) in loaded.cards.iter().enumerate() {
            if rng.random::<f64>() < NEW_SHARE {
                continue;
            }
            let seed = card_seed(&key, card.id.as_str());
            summary.studied += 1;
            for (rating, at) in
                simulate(scheduler.as_ref(), seed, strictness, options.now, &mut rng)
            {
                summary.reviews += 1;
                summary.ratings[usize::from(rating.number() - 1)] += 1;
                log.push((at, d as u16, c as u32, rating));
            }
        }
        summary.decks.push(path);
        loaded_decks.push(loaded);
    }
    log.sort_by_key(|&(at, d, c, _)| (at, d, c));
    for chunk in log.chunks(CHUNK) {
        let batch: Vec<ImportedReview> = chunk
            .iter()
            .map(|&(at, d, c, rating)| {
                let deck = &loaded_decks[usize::from(d)];
                let card = &deck.cards[c as usize];
                review(
                    deck.id.as_str(),
                    &deck.name,
                    card,
                    rating,
                    at,
                    scheduler.name(),
                    &mut rng,
                )
            })
            .collect();
        store.import_reviews(&batch, options.now)?;
    }
    for deck in &loaded_decks {
        // The fingerprint `study` gives a deck with its own settings
        // (`command::scheduler_for`), so the first `study` finds the state cache current
        // instead of replaying the log.
        store.ensure_states(
            &deck.id,
            scheduler.as_ref(),
            &format!("{:?}", deck.scheduling),
        )?;
    }
    Ok(summary)
}

/// One card: mostly typed answers (a synthetic person's name), every fifth a choice.
fn card(i: usize, rng: &mut StdRng) -> Card {
    let answer = person(i);
    let (kind, choices) = if i % 5 == 4 {
        let mut choices = vec![answer.clone(), person(i + 1_000_003), person(i + 2_000_003)];
        let at = rng.random_range(0..choices.len());
        choices.swap(0, at);
        (Kind::Choice, choices)
    } else {
        (Kind::Recall, Vec::new())
    };
    Card {
        id: Id::parse(&format!("c{i:06}")).expect("a valid id"),
        kind,
        prompt: format!(
            "Who headed bureau {} of the {} section in {}?",
            i % 97,
            PLACES[i % PLACES.len()],
            1900 + i % 120
        ),
        answer,
        accept: Vec::new(),
        choices,
        explanation: None,
        source: None,
        tags: Vec::new(),
        generated: None,
        line: 0,
    }
}

const GIVEN: [&str; 16] = [
    "Osip", "Mikhail", "Jacob", "Hans", "Solomon", "Henk", "Walter", "Berthe", "Fritz", "Arthur",
    "Richard", "Leo", "Willi", "Arnold", "Anna", "Clara",
];
const SYLLABLES: [&str; 24] = [
    "pi", "at", "ni", "tsky", "tril", "lis", "ser", "ab", "ra", "mov", "mir", "sky", "ko", "ber",
    "lin", "zin", "vei", "gel", "sne", "vliet", "ro", "dan", "mu", "ner",
];
const PLACES: [&str; 8] = [
    "Berlin",
    "Vienna",
    "Paris",
    "Prague",
    "Riga",
    "Shanghai",
    "Copenhagen",
    "Amsterdam",
];

/// A deterministic synthetic name for `i`: many are near one another, as real names are.
fn person(i: usize) -> String {
    let given = GIVEN[i % GIVEN.len()];
    let mut n = i / GIVEN.len();
    let mut surname = String::new();
    for _ in 0..3 {
        surname.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    let mut chars = surname.chars();
    let first = chars.next().map_or('X', |c| c.to_ascii_uppercase());
    format!("{given} {first}{}", chars.as_str())
}

/// Cards used to calibrate the learner, and the rounds of bisection.
const PILOT_CARDS: usize = 1_000;
const PILOT_ROUNDS: usize = 14;

/// The learner's strictness (see `simulate`) that gives about `per_card` reviews per
/// studied card, found by bisection on a pilot run with its own seed: more strictness, more
/// lapses, more reviews.
fn calibrate(scheduler: &dyn Scheduler, per_card: f64, now: Timestamp, seed: u64) -> f64 {
    let (mut low, mut high) = (0.05_f64, 50.0_f64);
    for _ in 0..PILOT_ROUNDS {
        let mid = (low * high).sqrt();
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_1207);
        let total: usize = (0..PILOT_CARDS)
            .map(|i| simulate(scheduler, i as u64, mid, now, &mut rng).len())
            .sum();
        if (total as f64 / PILOT_CARDS as f64) < per_card {
            low = mid;
        } else {
            high = mid;
        }
    }
    (low * high).sqrt()
}

/// One card's history: introduced at a uniformly random time in the last `SPAN_DAYS`, then
/// reviewed whenever the scheduler asked (a little late), up to a last study time within
/// the two days before `now` (so some cards are due now, as after a day off). Each review
/// is recalled with the scheduler's own predicted probability raised to a per-card power
/// (`strictness` times 0.5-1.5: some cards are harder for this learner than the model
/// thinks), recalled answers being Hard, Good or Easy at 12 / 78 / 10 %.
fn simulate(
    scheduler: &dyn Scheduler,
    seed: u64,
    strictness: f64,
    now: Timestamp,
    rng: &mut StdRng,
) -> Vec<(Rating, Timestamp)> {
    let span = (SPAN_DAYS * 86_400) as f64;
    let mut at = now - SignedDuration::from_secs_f64(span * rng.random_range(0.001..1.0));
    let stop = now - SignedDuration::from_secs_f64(2.0 * 86_400.0 * rng.random::<f64>());
    let weakness = strictness * rng.random_range(0.5..1.5);
    let mut state = CardState::with_fuzz_seed(seed);
    let mut log = Vec::new();
    while at < stop {
        let recall = scheduler
            .retrievability(&state, at)
            .map_or(0.8, |p| p.powf(weakness));
        let rating = if rng.random::<f64>() >= recall {
            Rating::Again
        } else {
            match rng.random::<f64>() {
                x if x < 0.12 => Rating::Hard,
                x if x < 0.90 => Rating::Good,
                _ => Rating::Easy,
            }
        };
        log.push((rating, at));
        state = scheduler.review(&state, rating, at);
        let due = state.due.unwrap_or(at + SignedDuration::from_mins(10));
        let wait = due.duration_since(at);
        // Late by up to a fifth of the interval (at most two days), plus seconds of noise.
        let late = (wait.as_secs_f64() * rng.random_range(0.0..0.2)).min(2.0 * 86_400.0);
        at = due + SignedDuration::from_secs_f64(late + rng.random_range(0.0..30.0));
    }
    log
}

/// One simulated answer as an imported review (the card named by deck and id).
fn review(
    deck: &str,
    deck_name: &str,
    card: &Card,
    rating: Rating,
    at: Timestamp,
    scheduler: &str,
    rng: &mut StdRng,
) -> ImportedReview {
    let (answer, verdict) = match rating {
        Rating::Again => (String::new(), "wrong"),
        Rating::Hard => (card.answer.clone(), "close"),
        Rating::Good | Rating::Easy => (card.answer.clone(), "correct"),
    };
    ImportedReview {
        card: CardRef::Key {
            deck: deck.to_owned(),
            deck_name: deck_name.to_owned(),
            card: card.id.to_string(),
            kind: card.kind.as_str().to_owned(),
            prompt: card.prompt.clone(),
            answer: card.answer.clone(),
        },
        uid: None,
        device: None,
        review: LoggedReview {
            reviewed_at: at,
            rating,
            answer,
            verdict: verdict.to_owned(),
            response_ms: rng.random_range(1_500..15_000),
            scheduler: scheduler.to_owned(),
            cram: false,
            format: None,
            confusion: None,
        },
    }
}

/// The path of the database `generate` writes in `dir`.
pub fn db_path(dir: &Path) -> PathBuf {
    dir.join("factdrill.db")
}
