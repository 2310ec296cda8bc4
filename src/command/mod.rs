//! The commands: each wires the pure modules (deck, schedule, session, stats) to the store
//! and the terminal. No terminal or SQL code here; only the order of things.

mod card;
mod study;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::cli::{
    BackupArgs, CheckArgs, Command, Config, DeckOptions, DueArgs, ExportDeckArgs,
    ExportReviewsArgs, ExportWhat, ExtractArgs, ImportDeckArgs, ImportReviewsArgs, ImportWhat,
    ReportArgs, ReviewFormat, ScheduleArgs, StatsArgs, SyncArgs,
};
use crate::cli::{EvaluateArgs, OptimizeArgs};
use crate::day::Day;
use crate::deck::{self, Deck};
use crate::error::Error;
use crate::exchange;
use crate::schedule::optimize;
use crate::schedule::{Algorithm, Scheduler, SchedulerConfig};
use crate::session;
use crate::stats::{CardReport, Report};
use crate::store::Store;
use crate::store::{ParamScope, SavedParameters};
use crate::term;

/// Runs one command to completion.
pub fn run(command: Command, config: &Config) -> Result<(), Error> {
    match command {
        Command::Study(args) => study::study(&args, config),
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
        Command::Export {
            what: ExportWhat::Deck(args),
        } => export_deck(&args, config),
        Command::Import {
            what: ImportWhat::Deck(args),
        } => import_deck(&args),
        Command::Report(args) => report(&args, config),
        Command::Card { action } => card::card(&action, config),
        Command::Sync(args) => sync(&args, config),
        Command::Optimize(args) => optimize(&args, config),
        Command::Evaluate(args) => evaluate(&args, config),
    }
}

/// `factdrill sync DIR`: merge through the folder, then rebuild the state caches of the
/// decks whose logs changed (those whose files this machine has; the others are replayed
/// when their file is first studied here).
fn sync(args: &SyncArgs, config: &Config) -> Result<(), Error> {
    let mut store = open(config)?;
    if args.new_device {
        let old = store.device()?.id;
        store.new_device_id()?;
        term::note(&format!(
            "this database is now device {} (it was {old}); its reviews keep the device that recorded them",
            store.device()?.id
        ));
    }
    if let Some(name) = &args.name {
        store.set_device_name(name)?;
    }
    if args.status {
        let status = crate::sync::status(&store, &args.dir)?;
        if args.json {
            term::print_json(&status.to_json());
        } else {
            term::sync_status(&status, &config.tz);
        }
        return Ok(());
    }
    let now = config.clock.now();
    let outcome = crate::sync::run(&mut store, &args.dir, now)?;
    for known in store.known_decks()? {
        if !outcome.decks.contains(&known.key) || known.path.as_os_str().is_empty() {
            continue;
        }
        // A file that is gone or invalid here: the next `study` that can load it replays.
        // (`sync` invalidated the deck's cache either way.)
        let saved = store.parameters_for(&known.key)?;
        if let Ok(deck) = deck::load(&known.path)
            && deck.id.as_str() == known.key
            && let Ok((scheduler, fingerprint)) = scheduler_for(&deck, None, saved.as_ref())
        {
            store.ensure_states(&deck.id, scheduler.as_ref(), &fingerprint)?;
        }
    }
    if args.json {
        term::print_json(&outcome.to_json());
    } else {
        term::sync_outcome(&outcome);
    }
    if outcome.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::SyncFiles {
            problems: outcome.problems,
        })
    }
}

/// `export deck`: the deck file as an Anki package. Needs no database.
fn export_deck(args: &ExportDeckArgs, config: &Config) -> Result<(), Error> {
    let deck = deck::load(&args.deck)?;
    let collection = crate::interop::apkg::collection(&deck, config.clock.now());
    crate::store::anki::write_package(&args.output, &collection)?;
    term::note(&format!(
        "{}: {} from deck `{}` as Anki notes",
        args.output.display(),
        crate::error::count(collection.notes.len(), "card"),
        deck.id
    ));
    Ok(())
}

/// Largest spreadsheet `import deck` reads (the deck file limit).
const MAX_TABLE_BYTES: u64 = crate::yaml::MAX_FILE_BYTES;

/// `import deck`: a CSV or TSV spreadsheet as a deck file.
fn import_deck(args: &ImportDeckArgs) -> Result<(), Error> {
    use crate::interop::table;
    let text = crate::text::read(&args.file, MAX_TABLE_BYTES)?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let delimiter = match args.file.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("tsv") || ext.eq_ignore_ascii_case("tab") => {
            table::Delimiter::Tab
        }
        _ => table::Delimiter::Comma,
    };
    let (id, name) = table::identity_from_file_name(&file_name);
    let id = args.id.clone().unwrap_or(id);
    let name = args.name.clone().unwrap_or(name);
    let imported =
        table::import(&text, delimiter, &id, &name).map_err(|problems| Error::Invalid {
            path: args.file.clone(),
            problems,
        })?;
    for warning in &imported.warnings {
        term::warn(&format!("{}: {warning}", args.file.display()));
    }
    term::write_output(args.output.as_deref(), &imported.yaml)?;
    if let Some(path) = &args.output {
        term::note(&format!(
            "{}: deck `{}` with {}",
            path.display(),
            imported.deck.id,
            crate::error::count(imported.deck.cards.len(), "card")
        ));
    }
    Ok(())
}

/// The review log the optimizer reads: a file (`--revlog`), or the database's (one deck's
/// with `deck`). Days are counted in the learner's time zone.
fn optimizer_log(
    revlog: Option<&std::path::Path>,
    deck: Option<&str>,
    config: &Config,
) -> Result<optimize::Log, Error> {
    if let Some(path) = revlog {
        let text = crate::text::read(path, MAX_IMPORT_BYTES)?;
        let reviews = exchange::parse(&text).map_err(|problems| Error::Invalid {
            path: path.to_owned(),
            problems,
        })?;
        return Ok(optimize::revlog::log_from_file(&reviews, &config.tz));
    }
    let store = open(config)?;
    if let Some(deck) = deck
        && !store.known_decks()?.iter().any(|d| d.key == deck)
    {
        return Err(Error::UnknownDeck {
            deck: deck.to_owned(),
        });
    }
    let mut rows = Vec::new();
    store.for_each_review(deck, |r| rows.push((r.card, r.at, r.rating)))?;
    Ok(optimize::Log::from_reviews(rows, &config.tz))
}

fn optimize(args: &OptimizeArgs, config: &Config) -> Result<(), Error> {
    let log = optimizer_log(args.revlog.as_deref(), args.deck.as_deref(), config)?;
    let options = optimize::FitOptions {
        seed: args.seed,
        ..optimize::FitOptions::default()
    };
    let mut progress = term::FitProgress::new();
    let watch = crate::cli::Stopwatch::start();
    let result = optimize::fit(&log, None, &options, &mut |p| progress.update(p));
    let seconds = watch.seconds();
    progress.finish();
    let fit = result?;
    term::note(&format!(
        "fitted FSRS-6 to {} reviews in {seconds:.2} s",
        fit.used_items
    ));
    let mut saved = None;
    if args.save && !fit.kept_defaults {
        let scope = args
            .deck
            .clone()
            .map_or(ParamScope::Global, ParamScope::Deck);
        let mut store = open(config)?;
        store.save_parameters(&SavedParameters {
            scope: scope.clone(),
            parameters: fit.parameters,
            fitted_at: config.clock.now(),
            review_count: fit.reviews as u64,
            item_count: fit.items as u64,
            log_loss: fit.loss_after,
        })?;
        saved = Some(scope);
    }
    if args.json {
        let mut json = fit.to_json();
        json["before"] = optimize::metrics_json(&optimize::in_sample_metrics(
            &log,
            None,
            &crate::schedule::fsrs::DEFAULT_PARAMETERS,
        ));
        json["after"] =
            optimize::metrics_json(&optimize::in_sample_metrics(&log, None, &fit.parameters));
        json["saved"] = match &saved {
            None => serde_json::Value::Null,
            Some(ParamScope::Global) => "global".into(),
            Some(ParamScope::Deck(deck)) => format!("deck {deck}").into(),
        };
        term::print_json(&json);
    } else {
        let before =
            optimize::in_sample_metrics(&log, None, &crate::schedule::fsrs::DEFAULT_PARAMETERS);
        let after = optimize::in_sample_metrics(&log, None, &fit.parameters);
        term::fit_report(&fit, [&before, &after], args.save, saved.as_ref());
    }
    Ok(())
}

fn evaluate(args: &EvaluateArgs, config: &Config) -> Result<(), Error> {
    let log = optimizer_log(args.revlog.as_deref(), args.deck.as_deref(), config)?;
    let options = optimize::FitOptions {
        seed: args.seed,
        ..optimize::FitOptions::default()
    };
    let split = optimize::evaluate::split_of(&log);
    let mut progress = term::FitProgress::new();
    let watch = crate::cli::Stopwatch::start();
    let fitted = optimize::evaluate::fit_past(&log, split, &options, &mut |p| progress.update(p));
    let fit_seconds = watch.seconds();
    progress.finish();
    let evaluation =
        optimize::evaluate::evaluate(&log, split, fitted?, args.parameters.map(|p| p.0))?;
    // Per question format: only the database records how each review was asked.
    let by_format = if args.revlog.is_none() {
        review_formats(&open(config)?, args.deck.as_deref(), &log)?.map(|formats| {
            let groups = session::format::Format::ALL.map(session::format::Format::as_str);
            optimize::grouped::log_loss_by_group(
                &log,
                split,
                &evaluation.fit.parameters,
                &groups,
                |card, review| formats[card][review] as usize,
            )
        })
    } else {
        None
    };
    if args.json {
        let mut json = evaluation.to_json();
        json["fit_seconds"] = fit_seconds.into();
        json["by_format"] = serde_json::json!(by_format);
        term::print_json(&json);
    } else {
        term::evaluation_report(&evaluation, &config.tz);
        if let Some(groups) = &by_format {
            term::format_losses(groups);
        }
    }
    Ok(())
}

/// The format each review of `log` (read from the store for `deck`) was asked in, indexed
/// like `log.cards[card].reviews[review]`, by `Format::ALL` position: the recorded format,
/// else the card's kind. `None` if the log changed between the two reads.
fn review_formats(
    store: &Store,
    deck: Option<&str>,
    log: &optimize::Log,
) -> Result<Option<Vec<Vec<u8>>>, Error> {
    use session::format::Format;
    let mut cards: Vec<Vec<u8>> = Vec::new();
    let mut last = None;
    store.for_each_formatted_review(deck, |r| {
        let format = r
            .format
            .as_deref()
            .and_then(Format::parse)
            .unwrap_or_else(|| {
                Format::of(deck::Kind::parse(&r.kind).unwrap_or(deck::Kind::Recall))
            });
        if last != Some(r.card) {
            cards.push(Vec::new());
            last = Some(r.card);
        }
        if let Some(card) = cards.last_mut() {
            card.push(Format::ALL.iter().position(|f| *f == format).unwrap_or(0) as u8);
        }
    })?;
    let aligned = cards.len() == log.cards.len()
        && cards
            .iter()
            .zip(&log.cards)
            .all(|(f, c)| f.len() == c.reviews.len());
    Ok(aligned.then_some(cards))
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
            let saved = store.parameters_for(&info.key)?;
            let scheduler = known_scheduler(&store, info, saved.as_ref());
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
    let saved = store.parameters_for(&history.deck)?;
    let mut settings = match deck::load(&history.deck_path) {
        Ok(deck) if deck.id.as_str() == history.deck => {
            with_saved_parameters(deck.scheduling, deck.fixed_parameters, saved.as_ref())
        }
        _ => {
            term::warn(&format!(
                "cannot read deck `{}` from {}; using the default scheduler settings",
                history.deck,
                history.deck_path.display()
            ));
            with_saved_parameters(SchedulerConfig::default(), false, saved.as_ref())
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

/// A deck's scheduler settings with the FSRS parameters that apply to it, first found of:
/// the deck file's own `parameters` (`fixed`), the ones `optimize --save` saved for the deck,
/// the ones it saved for every deck (`Store::parameters_for` gives these two in that order),
/// the defaults (already in `config`).
fn with_saved_parameters(
    mut config: SchedulerConfig,
    fixed: bool,
    saved: Option<&SavedParameters>,
) -> SchedulerConfig {
    if let Some(saved) = saved
        && !fixed
    {
        config.parameters = saved.parameters;
    }
    config
}

/// A deck's scheduler, with the `--scheduler` override applied, and its fingerprint (every
/// setting), which tells the store when the deck's state cache must be rebuilt from the log.
fn scheduler_for(
    deck: &Deck,
    algorithm: Option<Algorithm>,
    saved: Option<&SavedParameters>,
) -> Result<(Box<dyn Scheduler>, String), Error> {
    let mut config = with_saved_parameters(deck.scheduling.clone(), deck.fixed_parameters, saved);
    if let Some(algorithm) = algorithm {
        config.algorithm = algorithm;
    }
    let scheduler = config.build().map_err(|source| Error::Scheduler {
        deck: deck.id.to_string(),
        source,
    })?;
    Ok((scheduler, format!("{config:?}")))
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
    let report = progress(config, args.deck.as_deref(), args.days)?;
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

/// The progress report `stats` prints and `report` draws, of one deck or all of them.
fn progress(config: &Config, deck: Option<&str>, days: u32) -> Result<Report, Error> {
    let mut store = open(config)?;
    if let Some(deck) = deck
        && !store.known_decks()?.iter().any(|d| d.key == deck)
    {
        return Err(Error::UnknownDeck {
            deck: deck.to_owned(),
        });
    }
    let options = crate::stats::Options {
        deck,
        days,
        now: config.clock.now(),
        tz: &config.tz,
    };
    // Each selected deck's scheduler settings, read before the report takes the store.
    let saved = saved_by_deck(&store)?;
    let settings: HashMap<String, SchedulerConfig> = store
        .catalog_decks(deck)?
        .iter()
        .map(|info| {
            let config = known_config(&store, info, saved.get(&info.key));
            (info.key.clone(), config)
        })
        .collect();
    Ok(Report::collect(&mut store, &options, |deck| {
        let config = settings.get(&deck.key).cloned().unwrap_or_default();
        let fingerprint = format!("{config:?}");
        (build_or_default(&config), fingerprint)
    })?)
}

/// The FSRS parameters `optimize --save` saved that apply to each known deck (its own, else
/// the global set), by deck key.
fn saved_by_deck(store: &Store) -> Result<HashMap<String, SavedParameters>, Error> {
    let mut saved = HashMap::new();
    for known in store.known_decks()? {
        if let Some(params) = store.parameters_for(&known.key)? {
            saved.insert(known.key, params);
        }
    }
    Ok(saved)
}

/// The scheduler a deck's file asks for (with the parameters `optimize --save` saved for it,
/// unless the file gives its own), to replay its log for statistics; the default scheduler
/// when the file is gone or no longer valid (statistics never fail for that).
fn known_scheduler(
    store: &Store,
    deck: &crate::store::DeckInfo,
    saved: Option<&SavedParameters>,
) -> Box<dyn Scheduler> {
    build_or_default(&known_config(store, deck, saved))
}

/// The settings `known_scheduler` builds its scheduler from. Through the parsed-deck cache:
/// an unchanged file is hashed, not parsed (parsing ten 10k-card decks was a quarter of
/// `stats` at 100k cards).
fn known_config(
    store: &Store,
    deck: &crate::store::DeckInfo,
    saved: Option<&SavedParameters>,
) -> SchedulerConfig {
    let cached = crate::text::read(&deck.path, crate::yaml::MAX_FILE_BYTES)
        .ok()
        .and_then(|text| store.cached_scheduling(&deck::content_hash(&text)).ok())
        .flatten();
    let (config, fixed) = match cached {
        Some((key, config, fixed)) if key == deck.key => (config, fixed),
        Some(_) => (SchedulerConfig::default(), false),
        None => match load_known(store, &deck.path) {
            Ok(file) if file.id.as_str() == deck.key => (file.scheduling, file.fixed_parameters),
            _ => (SchedulerConfig::default(), false),
        },
    };
    let config = with_saved_parameters(config, fixed, saved);
    if config.build().is_ok() {
        config
    } else {
        SchedulerConfig::default()
    }
}

/// The scheduler `config` describes (`known_config` only gives settings that build).
fn build_or_default(config: &SchedulerConfig) -> Box<dyn Scheduler> {
    config.build().unwrap_or_else(|_| {
        SchedulerConfig::default()
            .build()
            .expect("the default scheduler settings are valid")
    })
}

/// `report`: the charts of `stats` as an HTML page or one SVG image.
fn report(args: &ReportArgs, config: &Config) -> Result<(), Error> {
    use crate::report::Format;
    let format = Format::of(&args.output).ok_or_else(|| Error::ReportFormat {
        path: args.output.clone(),
    })?;
    let report = progress(config, args.deck.as_deref(), args.days)?;
    let text = match format {
        Format::Html => crate::report::html(&report)?,
        Format::Svg => crate::report::svg(&report)?,
    };
    term::write_output(Some(&args.output), &text)?;
    term::note(&format!(
        "{}: progress report written",
        args.output.display()
    ));
    Ok(())
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
            Some(("d".to_owned(), parsed.scheduling.clone(), false))
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
            handle: 1,
            key: "d".into(),
            name: "D".into(),
            path: path.clone(),
        };
        // Parsed (and cached) the first time, from the cache the second: the same scheduler.
        assert_eq!(known_scheduler(&store, &info, None).name(), "sm-2");
        assert_eq!(known_scheduler(&store, &info, None).name(), "sm-2");
        // A file now holding another deck, or no file: the default scheduler.
        let other = crate::store::DeckInfo {
            key: "e".into(),
            ..info.clone()
        };
        assert_eq!(known_scheduler(&store, &other, None).name(), "fsrs-6");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(known_scheduler(&store, &info, None).name(), "fsrs-6");
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
