//! The commands: each wires the pure modules (deck, schedule, session, stats) to the store
//! and the terminal. No terminal or SQL code here; only the order of things.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::cli::{CheckArgs, Command, Config, StatsArgs, StudyArgs};
use crate::day::Day;
use crate::deck::{self, Deck};
use crate::error::Error;
use crate::grade::{GradeOptions, Grader};
use crate::schedule::{Fsrs, Scheduler};
use crate::session::{self, DeckPlan, Plan, Session, StudyCard};
use crate::stats::Snapshot;
use crate::store::{NewReview, Store};
use crate::term;

/// Runs one command to completion.
pub fn run(command: Command, config: &Config) -> Result<(), Error> {
    match command {
        Command::Study(args) => study(&args, config),
        Command::Check(args) => check(&args),
        Command::Stats(args) => stats(&args, config),
    }
}

fn check(args: &CheckArgs) -> Result<(), Error> {
    let mut failed = 0;
    for path in &args.decks {
        match deck::load(path) {
            Ok(deck) => term::check_ok(path, &deck),
            Err(err) => {
                failed += 1;
                term::file_error(&err);
            }
        }
    }
    if failed > 0 {
        return Err(Error::CheckFailed {
            failed,
            total: args.decks.len(),
        });
    }
    Ok(())
}

/// The scheduler for this build and its fingerprint (name and parameters), which tells the
/// store when its state cache must be rebuilt from the log.
fn scheduler() -> (Fsrs, String) {
    let fsrs = Fsrs::default();
    let fingerprint = format!(
        "{}:{:?}:{}:{}",
        fsrs.name(),
        fsrs.w,
        fsrs.desired_retention,
        fsrs.maximum_interval_days
    );
    (fsrs, fingerprint)
}

fn study(args: &StudyArgs, config: &Config) -> Result<(), Error> {
    let now = config.clock.now();
    // Decks are validated before the database is touched: a bad deck changes nothing.
    let named = args
        .decks
        .iter()
        .map(|p| deck::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut store = Store::open(&config.db)?;
    let decks = if named.is_empty() {
        known_decks(&store)?
    } else {
        named
    };
    if decks.is_empty() {
        return Err(Error::NoDecks);
    }
    let mut first_path: HashMap<String, PathBuf> = HashMap::new();
    for deck in &decks {
        if let Some(first) = first_path.insert(deck.id.to_string(), deck.path.clone()) {
            return Err(Error::DuplicateDeck {
                id: deck.id.to_string(),
                first,
                second: deck.path.clone(),
            });
        }
    }
    for deck in &decks {
        let report = store.sync_deck(deck, now)?;
        term::sync_report(deck, &report);
    }
    let (fsrs, fingerprint) = scheduler();
    store.ensure_states(&fsrs, &fingerprint)?;

    let day = Day::containing(now, &config.tz);
    let mut plans = Vec::new();
    let mut cards = Vec::new();
    for (index, deck) in decks.iter().enumerate() {
        let activity = store.activity(Some(&deck.id), day.start, day.end)?;
        plans.push(DeckPlan {
            name: deck.name.clone(),
            new_per_day: args
                .new
                .or(deck.new_per_day)
                .unwrap_or(session::DEFAULT_NEW_PER_DAY),
            reviews_per_day: args
                .reviews
                .or(deck.reviews_per_day)
                .unwrap_or(session::DEFAULT_REVIEWS_PER_DAY),
            reviewed_today: activity.reviews.saturating_sub(activity.introduced),
            introduced_today: activity.introduced,
        });
        for stored in store.cards(&deck.id)? {
            if let Some(card) = deck.card(&stored.key) {
                cards.push(StudyCard {
                    handle: stored.handle,
                    deck: index,
                    card: card.clone(),
                    state: stored.state,
                });
            }
        }
    }
    let all_cards: Vec<deck::Card> = decks.iter().flat_map(|d| d.cards.clone()).collect();
    let grader = Grader::from_cards(&all_cards, GradeOptions::default());
    let plan = Plan {
        decks: plans,
        cards,
        now,
        day_end: day.end,
        seed: config.seed,
    };
    let mut session = Session::new(plan, Box::new(fsrs), grader);
    let summary = term::study(&mut session, &config.clock, |review| {
        store.record(&NewReview {
            handle: review.handle,
            reviewed_at: review.reviewed_at,
            rating: review.rating,
            answer: &review.answer,
            verdict: review.verdict.as_str(),
            response_ms: review.response_ms,
            scheduler: review.scheduler,
            state: &review.state,
        })
    })?;
    let tomorrow = day.next(&config.tz);
    let due_tomorrow = store
        .due_count(tomorrow.end)?
        .saturating_sub(store.due_count(tomorrow.start)?);
    term::study_summary(&summary, due_tomorrow);
    Ok(())
}

/// The decks this database knows, loaded from where their files were last seen. A deck
/// whose file is gone or now invalid is skipped with a warning, not a failure.
fn known_decks(store: &Store) -> Result<Vec<Deck>, Error> {
    let mut decks = Vec::new();
    for known in store.known_decks()? {
        match deck::load(&known.path) {
            Ok(deck) if deck.id.as_str() == known.key => decks.push(deck),
            Ok(deck) => term::warn(&format!(
                "skipping deck `{}`: {} now holds deck `{}`",
                known.key,
                known.path.display(),
                deck.id
            )),
            Err(err) => {
                term::warn(&format!("skipping deck `{}` ({})", known.key, known.name));
                term::file_error(&err);
            }
        }
    }
    Ok(decks)
}

fn stats(args: &StatsArgs, config: &Config) -> Result<(), Error> {
    let store = Store::open(&config.db)?;
    let now = config.clock.now();
    let snapshot = Snapshot::collect(&store, now, &config.tz)?;
    if args.json {
        term::print_json(&snapshot.to_json());
    } else {
        term::stats(&snapshot);
    }
    Ok(())
}
