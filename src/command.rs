//! The commands: each wires the pure modules (deck, schedule, session, stats) to the store
//! and the terminal. No terminal or SQL code here; only the order of things.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::cli::{
    BackupArgs, CheckArgs, Command, Config, DeckOptions, DueArgs, ExportReviewsArgs, ExportWhat,
    ExtractArgs, ImportReviewsArgs, ImportWhat, ReviewFormat, ScheduleArgs, StatsArgs, StudyArgs,
};
use crate::day::Day;
use crate::deck::{self, Deck};
use crate::error::Error;
use crate::exchange;
use crate::grade::{GradeOptions, Grader};
use crate::schedule::{Algorithm, CardState, Scheduler, SchedulerConfig};
use crate::session::{self, DeckPlan, Plan, Session, StudyCard};
use crate::stats::{CardReport, Report};
use crate::store::{NewReview, Store, StoreError};
use crate::term;

/// Runs one command to completion.
pub fn run(command: Command, config: &Config) -> Result<(), Error> {
    match command {
        Command::Study(args) => study(&args, config),
        Command::Check(args) => check(&args),
        Command::Stats(args) => stats(&args, config),
        Command::Schedule(args) => schedule(&args, config),
        Command::Extract(args) => extract(&args),
        Command::Due(args) => due(&args, config),
        Command::Generate(args) => generate(&args.deck, |r| {
            crate::generate::command::from_facts_file(&args.facts, r)
        }),
        Command::Build(args) => generate(&args.deck, |r| {
            crate::generate::command::from_article(&args.article, r)
        }),
        Command::Export {
            what: ExportWhat::Reviews(args),
        } => export_reviews(&args, config),
        Command::Import {
            what: ImportWhat::Reviews(args),
        } => import_reviews(&args, config),
        Command::Backup(args) => backup(&args, config),
    }
}

fn due(args: &DueArgs, config: &Config) -> Result<(), Error> {
    let store = Store::open(&config.db)?;
    let now = config.clock.now();
    let day = Day::containing(now, &config.tz);
    let decks = store.due_by_deck(now, day.end)?;
    if args.json {
        term::print_json(&due_json(&decks, now));
    } else {
        term::due(&decks, now, &config.tz);
    }
    Ok(())
}

/// `generate` and `build`: make the deck, write it, say what it holds.
fn generate(
    options: &DeckOptions,
    make: impl FnOnce(
        &crate::generate::command::Request<'_>,
    ) -> Result<crate::generate::command::Made, Error>,
) -> Result<(), Error> {
    let request = crate::generate::command::Request {
        options: crate::generate::Options { seed: options.seed },
        id: options.id.as_deref(),
        name: options.name.as_deref(),
        merge: options.merge.as_deref(),
        adopt: options.adopt,
    };
    let made = make(&request)?;
    term::write_output(options.output.as_deref(), &made.yaml)?;
    if let Some(path) = &options.output {
        term::note(&format!("{}: {}", path.display(), made.summary));
    }
    Ok(())
}

fn due_json(decks: &[crate::store::DeckDue], now: jiff::Timestamp) -> serde_json::Value {
    let next = decks.iter().filter_map(|d| d.next_due).min();
    serde_json::json!({
        "now": now.to_string(),
        "due_now": decks.iter().map(|d| d.due_now).sum::<u32>(),
        "due_today": decks.iter().map(|d| d.due_today).sum::<u32>(),
        "new": decks.iter().map(|d| d.new).sum::<u32>(),
        "next_due": next.map(|t| t.to_string()),
        "decks": decks.iter().map(|d| serde_json::json!({
            "id": d.key,
            "name": d.name,
            "due_now": d.due_now,
            "due_today": d.due_today,
            "new": d.new,
            "next_due": d.next_due.map(|t| t.to_string()),
        })).collect::<Vec<_>>(),
    })
}

fn export_reviews(args: &ExportReviewsArgs, config: &Config) -> Result<(), Error> {
    use std::io::Write;
    let store = Store::open(&config.db)?;
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let write_err = |source| Error::Write {
        path: target.clone(),
        source,
    };
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(write_err)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(sink);
    let json = args.format == ReviewFormat::Json;
    let mut first = true;
    let written = (|| -> std::io::Result<()> {
        out.write_all(
            if json {
                exchange::json_start()
            } else {
                format!("{}\n", exchange::CSV_HEADER)
            }
            .as_bytes(),
        )?;
        store
            .for_each_exported(|review| {
                if json {
                    if !first {
                        out.write_all(b",\n")?;
                    }
                    first = false;
                    out.write_all(exchange::json_row(&review).as_bytes())
                } else {
                    out.write_all(exchange::csv_row(&review).as_bytes())
                }
            })
            .map_err(std::io::Error::other)??;
        if json {
            out.write_all(exchange::JSON_END.as_bytes())?;
        }
        out.flush()
    })();
    match written {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if args.output.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(write_err),
    }
}

/// Largest review log `import reviews` reads.
const MAX_IMPORT_BYTES: u64 = 1 << 30;

fn import_reviews(args: &ImportReviewsArgs, config: &Config) -> Result<(), Error> {
    let text = crate::text::read(&args.file, MAX_IMPORT_BYTES)?;
    let reviews = exchange::parse(&text).map_err(|problems| Error::Invalid {
        path: args.file.clone(),
        problems,
    })?;
    let mut store = Store::open(&config.db)?;
    let now = config.clock.now();
    let report = store.import_reviews(&reviews, now)?;
    // The imported reviews change the states of their cards: rebuild those decks' caches
    // now (the next `study` rebuilds again under its own fingerprint, from the same log).
    let decks = store.catalog(None)?.decks;
    for info in decks.iter().filter(|d| report.decks.contains(&d.key)) {
        if let Ok(id) = deck::Id::parse(&info.key) {
            let scheduler = known_scheduler(&store, info);
            store.ensure_states(&id, scheduler.as_ref(), &format!("imported at {now}"))?;
        }
    }
    term::import_report(&args.file, &report);
    Ok(())
}

fn backup(args: &BackupArgs, config: &Config) -> Result<(), Error> {
    let store = Store::open(&config.db)?;
    let path = args.path.clone().unwrap_or_else(|| {
        let stamp = config
            .clock
            .now()
            .to_zoned_datetime(config.tz.clone())
            .strftime("%Y%m%d-%H%M%S")
            .to_string();
        let stem = config
            .db
            .file_stem()
            .map_or_else(|| "factdrill".into(), |s| s.to_string_lossy().into_owned());
        config
            .db
            .with_file_name(format!("{stem}-backup-{stamp}.db"))
    });
    if path.exists() {
        return Err(Error::Write {
            path,
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the file exists; choose another path",
            ),
        });
    }
    store.backup_to(&path)?;
    term::backup_done(&path);
    Ok(())
}

fn extract(args: &ExtractArgs) -> Result<(), Error> {
    let format = if args.json {
        crate::extract::command::Format::Json
    } else {
        crate::extract::command::Format::Yaml
    };
    let text = crate::extract::command::run(&args.article, format, args.score.as_deref())?;
    term::write_output(args.output.as_deref(), &text)
}

fn schedule(args: &ScheduleArgs, config: &Config) -> Result<(), Error> {
    let store = open(config)?;
    let mut found = store.card_histories(&args.card, args.deck.as_deref())?;
    if found.len() > 1 {
        return Err(Error::AmbiguousCard {
            card: args.card.clone(),
            decks: found.into_iter().map(|h| h.deck).collect(),
        });
    }
    let history = found.pop().ok_or_else(|| Error::UnknownCard {
        card: args.card.clone(),
        deck: args.deck.clone(),
    })?;
    // The deck file holds the scheduler settings; without it, the defaults apply.
    let mut settings = match deck::load(&history.deck_path) {
        Ok(deck) if deck.id.as_str() == history.deck => deck.scheduling,
        _ => {
            term::warn(&format!(
                "cannot read deck `{}` from {}; using the default scheduler settings",
                history.deck,
                history.deck_path.display()
            ));
            SchedulerConfig::default()
        }
    };
    if let Some(algorithm) = args.scheduler {
        settings.algorithm = algorithm;
    }
    let scheduler = settings.build().map_err(|source| Error::Scheduler {
        deck: history.deck.clone(),
        source,
    })?;
    let report = CardReport::new(history, scheduler.as_ref(), config.clock.now());
    if args.json {
        term::print_json(&report.to_json());
    } else {
        term::card_report(&report, &config.tz);
    }
    Ok(())
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

/// A deck's scheduler, with the `--scheduler` override applied, and its fingerprint (every
/// setting), which tells the store when the deck's state cache must be rebuilt from the log.
fn scheduler_for(
    deck: &Deck,
    algorithm: Option<Algorithm>,
) -> Result<(Box<dyn Scheduler>, String), Error> {
    let mut config = deck.scheduling.clone();
    if let Some(algorithm) = algorithm {
        config.algorithm = algorithm;
    }
    let scheduler = config.build().map_err(|source| Error::Scheduler {
        deck: deck.id.to_string(),
        source,
    })?;
    Ok((scheduler, format!("{config:?}")))
}

fn study(args: &StudyArgs, config: &Config) -> Result<(), Error> {
    let now = config.clock.now();
    // Decks are validated before the database is touched: a bad deck changes nothing.
    let mut named = args
        .decks
        .iter()
        .map(|p| deck::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    // Remember each deck by its absolute path, so `study` with no argument finds it from
    // any directory.
    for deck in &mut named {
        if let Ok(path) = std::path::absolute(&deck.path) {
            deck.path = path;
        }
    }
    let mut store = open(config)?;
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
    let mut schedulers = Vec::new();
    for deck in &decks {
        let (scheduler, fingerprint) = scheduler_for(deck, args.scheduler)?;
        store.ensure_states(&deck.id, scheduler.as_ref(), &fingerprint)?;
        schedulers.push(scheduler);
    }

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
            strict: args.strict || deck.strict,
        });
        // By id in one map: `Deck::card` is a linear search, quadratic over 100k cards.
        let by_id: HashMap<&str, &deck::Card> =
            deck.cards.iter().map(|c| (c.id.as_str(), c)).collect();
        for stored in store.cards(&deck.id)? {
            if let Some(&card) = by_id.get(stored.key.as_str()) {
                cards.push(StudyCard {
                    handle: stored.handle,
                    deck: index,
                    card: card.clone(),
                    state: stored.state,
                });
            }
        }
    }
    // Known names indexed on another thread: the first prompt does not wait for them.
    let all_cards: Vec<deck::Card> = decks.into_iter().flat_map(|d| d.cards).collect();
    let grader = Grader::in_background(all_cards, GradeOptions::default());
    let plan = Plan {
        decks: plans,
        cards,
        now,
        day_end: day.end,
        seed: config.seed,
    };
    let mut session = Session::new(plan, schedulers, grader);
    let summary = term::study(&mut session, &config.clock, &mut Journal(&mut store))?;
    let tomorrow = day.next(&config.tz);
    let due_tomorrow = store
        .due_count(tomorrow.end)?
        .saturating_sub(store.due_count(tomorrow.start)?);
    term::study_summary(&summary, due_tomorrow);
    Ok(())
}

/// Opens the database, telling the learner where the copy went if it had to be upgraded.
fn open(config: &Config) -> Result<Store, Error> {
    let store = Store::open(&config.db)?;
    if let Some(backup) = store.migration_backup() {
        term::note(&format!(
            "upgraded the database {} from schema version {} to {}; the old version is kept in {}",
            config.db.display(),
            backup.from,
            backup.to,
            backup.path.display()
        ));
    }
    Ok(store)
}

/// The store as line mode sees it: answers committed one by one, and the still-due check
/// that keeps two sessions on one database from asking the same card twice.
struct Journal<'a>(&'a mut Store);

impl term::Journal for Journal<'_> {
    fn record(&mut self, review: &session::Review) -> Result<(), StoreError> {
        self.0.record(&NewReview {
            handle: review.handle,
            reviewed_at: review.reviewed_at,
            rating: review.rating,
            answer: &review.answer,
            verdict: review.verdict.as_str(),
            response_ms: review.response_ms,
            scheduler: review.scheduler,
            state: &review.state,
            previous: &review.previous,
        })
    }

    fn still_due(&mut self, handle: i64, held: &CardState) -> Result<bool, StoreError> {
        self.0.still_due(handle, held)
    }
}

/// The decks this database knows, loaded from where their files were last seen. A deck
/// whose file is gone or now invalid is skipped with a warning, not a failure.
fn known_decks(store: &Store) -> Result<Vec<Deck>, Error> {
    let mut decks = Vec::new();
    for known in store.known_decks()? {
        match load_known(store, &known.path) {
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

/// A deck file the database has seen: its bytes are read and hashed, and if the store has
/// the deck parsed under that hash it is used as it is (a 10k-card file parses in ~100 ms,
/// loads from the cache in ~10 ms); otherwise it is parsed and cached. A changed file has a
/// new hash, so an edit is always picked up.
fn load_known(store: &Store, path: &std::path::Path) -> Result<Deck, Error> {
    let Ok(text) = crate::text::read(path, crate::yaml::MAX_FILE_BYTES) else {
        // Unreadable: `deck::load` gives the error the learner would have had.
        return deck::load(path);
    };
    let hash = deck::content_hash(&text);
    if let Some(mut deck) = store.cached_deck(&hash)? {
        path.clone_into(&mut deck.path);
        return Ok(deck);
    }
    let mut deck = deck::load_str(&text).map_err(|problems| Error::Invalid {
        path: path.to_owned(),
        problems,
    })?;
    path.clone_into(&mut deck.path);
    store.cache_deck(&deck)?;
    Ok(deck)
}

fn stats(args: &StatsArgs, config: &Config) -> Result<(), Error> {
    let store = open(config)?;
    let now = config.clock.now();
    if let Some(deck) = &args.deck
        && !store.known_decks()?.iter().any(|d| &d.key == deck)
    {
        return Err(Error::UnknownDeck { deck: deck.clone() });
    }
    let options = crate::stats::Options {
        deck: args.deck.as_deref(),
        days: args.days,
        now,
        tz: &config.tz,
    };
    let report = Report::collect(&store, &options, |info| known_scheduler(&store, info))?;
    if args.json {
        term::print_json(&report.to_json());
    } else {
        let charset = if args.ascii || !config.unicode {
            term::chart::Charset::Ascii
        } else {
            term::chart::Charset::Unicode
        };
        term::report(&report, charset);
    }
    Ok(())
}

/// The scheduler a deck's file asks for, to replay its log for statistics; the default
/// scheduler when the file is gone or no longer valid (statistics never fail for that).
/// Through the parsed-deck cache: an unchanged file is hashed, not parsed (parsing ten
/// 10k-card decks was a quarter of `stats` at 100k cards).
fn known_scheduler(store: &Store, deck: &crate::store::DeckInfo) -> Box<dyn Scheduler> {
    let cached = crate::text::read(&deck.path, crate::yaml::MAX_FILE_BYTES)
        .ok()
        .and_then(|text| store.cached_scheduling(&deck::content_hash(&text)).ok())
        .flatten();
    let config = match cached {
        Some((key, config)) if key == deck.key => config,
        Some(_) => SchedulerConfig::default(),
        None => match load_known(store, &deck.path) {
            Ok(file) if file.id.as_str() == deck.key => file.scheduling,
            _ => SchedulerConfig::default(),
        },
    };
    config.build().unwrap_or_else(|_| {
        SchedulerConfig::default()
            .build()
            .expect("the default scheduler settings are valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "id: d\nname: D\ncards:\n  - {id: a, prompt: pa, answer: x}\n";
    const EDITED: &str = "id: d\nname: D\ncards:\n  - {id: a, prompt: pa, answer: x}\n  - {id: b, prompt: pb, answer: y}\n";

    #[test]
    fn an_unchanged_deck_file_comes_from_the_cache_and_an_edit_is_picked_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.yaml");
        std::fs::write(&path, DECK).unwrap();
        let store = Store::open_in_memory().unwrap();

        // First read: parsed, and cached under the file's hash.
        let parsed = load_known(&store, &path).unwrap();
        assert_eq!(parsed, deck::load(&path).unwrap());
        assert_eq!(
            store.cached_deck(&parsed.content_hash).unwrap(),
            Some(parsed.clone())
        );
        assert_eq!(
            store.cached_scheduling(&parsed.content_hash).unwrap(),
            Some(("d".to_owned(), parsed.scheduling.clone()))
        );

        // The cache entry is what an unchanged file gives: mark it, and the mark comes back,
        // so the file was not parsed again.
        let mut marked = parsed.clone();
        marked.name = "from the cache".into();
        store.cache_deck(&marked).unwrap();
        assert_eq!(load_known(&store, &path).unwrap().name, "from the cache");

        // An edited file has another hash: parsed again, the new card is there.
        std::fs::write(&path, EDITED).unwrap();
        let edited = load_known(&store, &path).unwrap();
        assert_eq!(edited.name, "D");
        assert_eq!(edited.cards.len(), 2);
        assert_eq!(edited.path, path);
        // The deck's old entry was replaced, not kept beside the new one.
        assert_eq!(store.cached_deck(&parsed.content_hash).unwrap(), None);
    }

    #[test]
    fn statistics_replay_with_the_scheduler_the_deck_file_asks_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.yaml");
        std::fs::write(&path, format!("scheduler: sm2\n{DECK}")).unwrap();
        let store = Store::open_in_memory().unwrap();
        let info = crate::store::DeckInfo {
            key: "d".into(),
            name: "D".into(),
            path: path.clone(),
        };
        // Parsed (and cached) the first time, from the cache the second: the same scheduler.
        assert_eq!(known_scheduler(&store, &info).name(), "sm-2");
        assert_eq!(known_scheduler(&store, &info).name(), "sm-2");
        // A file now holding another deck, or no file: the default scheduler.
        let other = crate::store::DeckInfo {
            key: "e".into(),
            ..info.clone()
        };
        assert_eq!(known_scheduler(&store, &other).name(), "fsrs-6");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(known_scheduler(&store, &info).name(), "fsrs-6");
    }

    #[test]
    fn an_invalid_known_deck_is_reported_as_the_loader_reports_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, "id: d\nname: D\ncards:\n  - {id: a, prompt: pa}\n").unwrap();
        let store = Store::open_in_memory().unwrap();
        let cached = load_known(&store, &path).unwrap_err().to_string();
        assert_eq!(cached, deck::load(&path).unwrap_err().to_string());
        let missing = dir.path().join("gone.yaml");
        let cached = load_known(&store, &missing).unwrap_err().to_string();
        assert_eq!(cached, deck::load(&missing).unwrap_err().to_string());
    }
}
