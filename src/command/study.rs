//! `factdrill study`: the session built from the decks and the database, run by a front
//! end, with the store behind it.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{open, scheduler_for};
use crate::cli::{Config, StudyArgs};
use crate::day::Day;
use crate::deck::{self, Deck};
use crate::error::Error;
use crate::grade::{GradeOptions, Grader};
use crate::schedule::{CardState, Scheduler, optimize};
use crate::session::{self, DeckPlan, Plan, Session, StudyCard};
use crate::store::{
    CachedDeck, CardHeads, FileStamp, NewReview, ParamScope, SavedParameters, Store, StoreError,
};
use crate::term::{self, Outcome};

pub(super) fn study(args: &StudyArgs, config: &Config) -> Result<(), Error> {
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
        named.into_iter().map(StudyDeck::parsed).collect()
    };
    if decks.is_empty() {
        return Err(Error::NoDecks);
    }
    let decks = only_decks(decks, &args.only_decks)?;
    let mut first_path: HashMap<String, PathBuf> = HashMap::new();
    for StudyDeck { deck, .. } in &decks {
        if let Some(first) = first_path.insert(deck.id.to_string(), deck.path.clone()) {
            return Err(Error::DuplicateDeck {
                id: deck.id.to_string(),
                first,
                second: deck.path.clone(),
            });
        }
    }
    for StudyDeck { deck, .. } in &decks {
        let report = store.sync_deck(deck, now)?;
        term::sync_report(deck, &report);
    }
    let mut schedulers = Vec::new();
    let mut saved = Vec::new();
    for StudyDeck { deck, .. } in &decks {
        let params = store.parameters_for(deck.id.as_str())?;
        let (scheduler, fingerprint) = scheduler_for(deck, args.scheduler, params.as_ref())?;
        store.ensure_states(&deck.id, scheduler.as_ref(), &fingerprint)?;
        schedulers.push(scheduler);
        saved.push(params);
    }

    let day = Day::containing(now, &config.tz);
    let (plan, stand_ins) = plan(args, &decks, &store, now, &day, config.seed)?;
    // The journal folds a card's log again on undo, with the deck's own scheduler.
    let replay = decks
        .iter()
        .zip(&saved)
        .map(|(d, params)| scheduler_for(&d.deck, args.scheduler, params.as_ref()).map(|(s, _)| s))
        .collect::<Result<Vec<_>, _>>()?;
    let (grader, cached, go) = grader(decks, config.db.clone());
    let mut session = Session::new(plan, schedulers, grader);
    fill_queued(&mut session, stand_ins, cached, &store, &config.db)?;
    let _ = go.send(());
    // Answers commit without an automatic checkpoint in their path; the WAL is folded in
    // after the session (docs/BENCHMARKS.md, "Answer commit latency").
    store.hold_checkpoints()?;
    let mut journal = Journal {
        store: &mut store,
        schedulers: replay,
        now: config.clock.clone(),
    };
    let summary = if !args.plain && config.full_screen && term::tui::available() {
        term::tui::study(&mut session, &config.clock, &mut journal, config.unicode)?
    } else {
        term::study(&mut session, &config.clock, &mut journal)?
    };
    // A checkpoint that fails (a full disk) loses nothing: the answers are in the WAL, and
    // the next close folds it in.
    let _ = store.checkpoint();
    let end = config.clock.now();
    let tomorrow = day.next(&config.tz);
    let outlook = term::Outlook {
        due_tomorrow: store
            .due_count(tomorrow.end)?
            .saturating_sub(store.due_count(tomorrow.start)?),
        streak: crate::stats::current_streak(&store, end, &config.tz)?,
        elapsed: end.duration_since(session.started()),
    };
    term::study_summary(&summary, &outlook);
    if config.auto_refit && !args.no_refit && !args.cram && summary.answered > 0 {
        match auto_refit(&mut store, config) {
            Ok(Some(refit)) => term::refit_report(&refit),
            Ok(None) => {}
            // The answers are saved; a refit that cannot run is only a missed improvement.
            Err(e) => term::note(&format!("no automatic refit: {e}")),
        }
    }
    Ok(())
}

/// After a session: fits FSRS-6 again when the log has doubled since the last fit or
/// attempt (`optimize::refit`), and saves the new parameters for every deck without its own
/// if they predict the held-out recent reviews better. `None` when no refit was due.
fn auto_refit(store: &mut Store, config: &Config) -> Result<Option<optimize::refit::Refit>, Error> {
    let mut rows = Vec::new();
    store.for_each_review(None, |r| rows.push((r.card, r.at, r.rating)))?;
    let log = optimize::Log::from_reviews(rows, &config.tz);
    let reviews = log.review_count() as u64;
    let saved = store.saved_parameters(&ParamScope::Global)?;
    let last = saved
        .as_ref()
        .map(|s| s.review_count)
        .max(store.refit_attempt()?);
    if !optimize::refit::is_due(reviews, log.item_count(), last) {
        return Ok(None);
    }
    // Noted first: a refit that fails or is not kept is not tried again until the log has
    // doubled once more.
    store.note_refit_attempt(reviews)?;
    let current = saved.map_or(crate::schedule::fsrs::DEFAULT_PARAMETERS, |s| s.parameters);
    let Ok(refit) = optimize::refit::refit(&log, &current, &optimize::FitOptions::default()) else {
        return Ok(None);
    };
    if refit.kept {
        store.save_parameters(&SavedParameters {
            scope: ParamScope::Global,
            parameters: refit.fit.parameters,
            fitted_at: config.clock.now(),
            review_count: refit.fit.reviews as u64,
            item_count: refit.fit.items as u64,
            log_loss: refit.fit.loss_after,
        })?;
    }
    Ok(Some(refit))
}

/// A deck of the session: its settings, and its cards either parsed from its file (a deck
/// named on the command line, or a file new to the cache) or left in the store's cache,
/// where the session reads only the cards it shows.
struct StudyDeck {
    /// The deck; `cards` is empty when they are `Cards::Cached`.
    deck: Deck,
    cards: Cards,
}

enum Cards {
    /// In `deck.cards`.
    Parsed,
    /// In the store's cache under `deck.content_hash`, with what the queue rules read of
    /// each card at hand.
    Cached(CardHeads),
}

impl StudyDeck {
    fn parsed(deck: Deck) -> Self {
        Self {
            deck,
            cards: Cards::Parsed,
        }
    }
}

/// The decks this database knows, loaded from where their files were last seen. A deck
/// whose file is gone or now invalid is skipped with a warning, not a failure.
fn known_decks(store: &Store) -> Result<Vec<StudyDeck>, Error> {
    let mut decks = Vec::new();
    for known in store.known_decks()? {
        if known.path.as_os_str().is_empty() {
            // Known from reviews only (another device's, or an import): no file here yet.
            term::note(&format!(
                "deck `{}` ({}) has reviews but no deck file on this machine yet; study its file once by name to add it",
                known.key, known.name
            ));
            continue;
        }
        match load_known(store, &known.path) {
            Ok(found) if found.deck.id.as_str() == known.key => decks.push(found),
            Ok(found) => term::warn(&format!(
                "skipping deck `{}`: {} now holds deck `{}`",
                known.key,
                known.path.display(),
                found.deck.id
            )),
            Err(err) => {
                term::warn(&format!("skipping deck `{}` ({})", known.key, known.name));
                term::file_error(&err);
            }
        }
    }
    Ok(decks)
}

/// A deck file the database has seen. If its stamp (size, times, inode) is the one noted
/// when it was last hashed, it is not read at all (`FileStamp` says why that is safe);
/// otherwise its bytes are read and hashed. A deck cached under that hash comes from the
/// cache without its cards' texts; any other is parsed and cached. A changed file has a
/// new stamp and a new hash, so an edit is always picked up.
fn load_known(store: &Store, path: &std::path::Path) -> Result<StudyDeck, Error> {
    // The file system's clock, not the session's (which a test may pin): file times are
    // compared with it.
    let before_read = i64::try_from(crate::cli::Clock::System.now().as_nanosecond()).unwrap_or(0);
    load_known_at(store, path, before_read)
}

/// `load_known` with the time (nanoseconds since the Unix epoch) just before the file is
/// looked at.
fn load_known_at(
    store: &Store,
    path: &std::path::Path,
    before_read: i64,
) -> Result<StudyDeck, Error> {
    let stamp = std::fs::metadata(path)
        .ok()
        .and_then(|meta| FileStamp::of(&meta));
    if let Some(stamp) = &stamp
        && let Some(hash) = store.deck_file_hash(path, stamp)?
        && let Some(found) = from_cache(store, &hash, path)?
    {
        return Ok(found);
    }
    let Ok(text) = crate::text::read(path, crate::yaml::MAX_FILE_BYTES) else {
        // Unreadable: `deck::load` gives the error the learner would have had.
        return deck::load(path).map(StudyDeck::parsed);
    };
    let hash = deck::content_hash(&text);
    // Noted only if the file did not change while it was read and its times are settled.
    let after = std::fs::metadata(path)
        .ok()
        .and_then(|meta| FileStamp::of(&meta));
    let trusted = stamp.filter(|s| Some(*s) == after && s.trusted(before_read));
    store.note_deck_file(path, trusted.as_ref().map(|s| (s, hash.as_str())))?;
    if let Some(found) = from_cache(store, &hash, path)? {
        return Ok(found);
    }
    let mut deck = deck::load_str(&text).map_err(|problems| Error::Invalid {
        path: path.to_owned(),
        problems,
    })?;
    path.clone_into(&mut deck.path);
    store.cache_deck(&deck)?;
    Ok(StudyDeck::parsed(deck))
}

/// The deck cached under `hash`, if any: without its cards' texts when the database is
/// synchronised with that version of the file, else (the cache was written but the
/// synchronisation was not) with every card, which `sync_deck` needs.
fn from_cache(
    store: &Store,
    hash: &str,
    path: &std::path::Path,
) -> Result<Option<StudyDeck>, Error> {
    let Some(CachedDeck { mut deck, heads }) = store.cached_outline(hash)? else {
        return Ok(None);
    };
    path.clone_into(&mut deck.path);
    if store.synced_hash(deck.id.as_str())?.as_deref() == Some(hash) {
        return Ok(Some(StudyDeck {
            deck,
            cards: Cards::Cached(heads),
        }));
    }
    Ok(store.cached_deck(hash)?.map(|mut whole| {
        path.clone_into(&mut whole.path);
        StudyDeck::parsed(whole)
    }))
}

/// The session's grader, whose known names are read and indexed on another thread once
/// `go` (the third value) is sent, and each deck from the cache (without its cards) with
/// its cards' heads, for `fill_queued`.
#[allow(clippy::type_complexity)] // three parts of one set-up, used once
fn grader(
    decks: Vec<StudyDeck>,
    db: PathBuf,
) -> (
    Grader,
    Vec<Option<(Deck, CardHeads)>>,
    std::sync::mpsc::Sender<()>,
) {
    // Each deck's cards for the grader: parsed ones as they are, cached ones by hash.
    let mut cached = Vec::new();
    let mut sources = Vec::new();
    for StudyDeck { deck, cards } in decks {
        match cards {
            Cards::Parsed => {
                sources.push(Ok(deck.cards));
                cached.push(None);
            }
            Cards::Cached(heads) => {
                sources.push(Err(deck.content_hash.clone()));
                cached.push(Some((deck, heads)));
            }
        }
    }
    // Known names read and indexed on another thread: the first prompt waits for neither.
    // The thread starts reading when the session is ready to show it (`go`), so it does not
    // compete with building the session (both read SQLite, whose allocator takes one lock).
    let (go, ready) = std::sync::mpsc::channel::<()>();
    let load = known_cards(sources, db);
    let grader = Grader::loading(
        move || {
            // A closed channel (the session failed to start) reads nothing.
            ready.recv().map(|()| load()).unwrap_or_default()
        },
        GradeOptions::default(),
    );
    (grader, cached, go)
}

/// The cards of every deck of the session, in deck order, for the grader's known names:
/// parsed ones as they are, cached ones read on the grader's thread through a connection
/// of its own. A cache entry that cannot be read there (replaced by another process in the
/// meantime) only leaves its names out of the known-name guard.
/// `sources`: each deck's cards, or the content hash they are cached under.
fn known_cards(
    sources: Vec<Result<Vec<deck::Card>, String>>,
    db: PathBuf,
) -> impl FnOnce() -> Vec<deck::Card> + Send {
    move || {
        let mut store = None;
        let mut all = Vec::new();
        for source in sources {
            match source {
                Ok(cards) => all.extend(cards),
                Err(hash) => {
                    if store.is_none() {
                        store = Store::open(&db).ok();
                    }
                    if let Some(store) = &store
                        && let Ok(Some(cards)) = store.cached_cards_all(&hash)
                    {
                        all.extend(cards);
                    }
                }
            }
        }
        all
    }
}

/// Queued stand-ins given their cards before the first prompt; the rest get theirs as they
/// come up (`Session::texts_from`): one look-up each as it is shown, not ~2,000 before the
/// first prompt at 100k cards.
const FILLED_AHEAD: usize = 8;

/// Gives the first queued stand-ins their cards from the cache, and the session a way to
/// get the others' as they come up, through a connection of its own (`db`); if that cannot
/// be opened, every queued stand-in is given its card now. `stand_ins[i]`: the deck and
/// position of the plan's card `i` if it is a stand-in; `decks[d]`: deck `d` without its
/// cards and its cards' heads, if it came from the cache.
fn fill_queued(
    session: &mut Session,
    stand_ins: Vec<Option<(usize, usize)>>,
    decks: Vec<Option<(Deck, CardHeads)>>,
    store: &Store,
    db: &std::path::Path,
) -> Result<(), Error> {
    let mut texts = CardTexts {
        done: vec![false; stand_ins.len()],
        parsed: vec![None; decks.len()],
        stand_ins,
        decks,
    };
    let queued = session.queued();
    // A second connection only if some queued card is a stand-in (a deck from the cache).
    let later = queued
        .iter()
        .any(|&i| matches!(texts.stand_ins.get(i), Some(Some(_))))
        .then(|| Store::open(db).ok())
        .flatten();
    let now = if later.is_some() {
        queued.len().min(FILLED_AHEAD)
    } else {
        queued.len()
    };
    for &index in &queued[..now] {
        if let Some(card) = texts.card(store, index)? {
            session.fill_card(index, card);
        }
    }
    if let Some(later) = later {
        // An error here (the cache entry replaced by another process, the deck file gone
        // since) can only skip the card: the session cannot show a stand-in.
        session.texts_from(Box::new(move |index| {
            texts.card(&later, index).map_err(|_| session::Gone)
        }));
    }
    Ok(())
}

/// The cards of a session's stand-ins, from the store's cache, or from the deck file if the
/// cache no longer has them (another process re-cached an edited file meanwhile).
struct CardTexts {
    stand_ins: Vec<Option<(usize, usize)>>,
    decks: Vec<Option<(Deck, CardHeads)>>,
    /// Stand-ins already given their card.
    done: Vec<bool>,
    /// Deck files parsed for a card the cache did not have.
    parsed: Vec<Option<Deck>>,
}

impl CardTexts {
    /// The card for the plan's card `index`, if it is a stand-in not yet given one.
    fn card(&mut self, store: &Store, index: usize) -> Result<Option<deck::Card>, Error> {
        let Some(Some((deck, position))) = self.stand_ins.get(index).copied() else {
            return Ok(None);
        };
        let (Some(Some((outline, heads))), false) = (self.decks.get(deck), self.done[index]) else {
            return Ok(None);
        };
        let Some(id) = heads.stand_in(position).map(|c| c.id) else {
            return Ok(None);
        };
        let cached = store
            .cached_cards(&outline.content_hash, &[position])?
            .pop()
            .flatten()
            .filter(|card| card.id == id);
        let card = if let Some(card) = cached {
            card
        } else {
            if self.parsed[deck].is_none() {
                self.parsed[deck] = Some(deck::load(&outline.path)?);
            }
            self.parsed[deck]
                .as_ref()
                .and_then(|d| d.card(id.as_str()))
                .cloned()
                .ok_or_else(|| Error::DeckChanged {
                    path: outline.path.clone(),
                })?
        };
        self.done[index] = true;
        Ok(Some(card))
    }
}

/// The session's plan: each deck's limits and what it did today, the cards that may be
/// shown (suspended and buried ones left out), and the session options from the flags.
/// Cards of cached decks are stand-ins (`CardHeads::stand_in`); the second list says, for
/// each card of the plan, the deck and position of the stand-ins.
#[allow(clippy::type_complexity)] // a plan and its stand-ins' places, used once
fn plan(
    args: &StudyArgs,
    decks: &[StudyDeck],
    store: &Store,
    now: jiff::Timestamp,
    day: &Day,
    seed: u64,
) -> Result<(Plan, Vec<Option<(usize, usize)>>), Error> {
    let mut plans = Vec::with_capacity(decks.len());
    let mut cards = Vec::new();
    let mut stand_ins = Vec::new();
    for (
        index,
        StudyDeck {
            deck,
            cards: source,
        },
    ) in decks.iter().enumerate()
    {
        let activity = store.activity(Some(&deck.id), day.start, day.end)?;
        plans.push(DeckPlan {
            id: deck.id.to_string(),
            name: deck.name.clone(),
            // `--new` and `--reviews` are limits over every deck; they replace the decks' own.
            new_per_day: if args.new.is_some() {
                u32::MAX
            } else {
                deck.new_per_day.unwrap_or(session::DEFAULT_NEW_PER_DAY)
            },
            reviews_per_day: if args.reviews.is_some() {
                u32::MAX
            } else {
                deck.reviews_per_day
                    .unwrap_or(session::DEFAULT_REVIEWS_PER_DAY)
            },
            reviewed_today: activity.reviews.saturating_sub(activity.introduced),
            introduced_today: activity.introduced,
            strict: args.strict || deck.strict,
            leech_threshold: args
                .leech_threshold
                .or(deck.leech_threshold)
                .unwrap_or(crate::mark::DEFAULT_LEECH_THRESHOLD),
        });
        let mut finder = CardFinder::new(deck, source);
        // A cram session may ask any card; a normal one only those the day can use.
        let stored = if args.cram {
            store.cards(&deck.id)?
        } else {
            store.cards_for_day(&deck.id, day.start, day.end)?
        };
        cards.reserve(stored.len());
        stand_ins.reserve(stored.len());
        for stored in stored {
            // Suspended and buried cards are never due (nor crammed).
            if stored.marks.holds_back(now) {
                continue;
            }
            if let Some((card, position)) = finder.find(&stored.key, stored.position) {
                cards.push(StudyCard {
                    handle: stored.handle,
                    deck: index,
                    card,
                    state: stored.state,
                    flag: stored.marks.flag,
                    note: stored.marks.note,
                });
                stand_ins.push(position.map(|p| (index, p)));
            }
        }
    }
    let today = store.activity(None, day.start, day.end)?;
    let plan = Plan {
        decks: plans,
        cards,
        now,
        day_start: day.start,
        day_end: day.end,
        seed,
        options: session::Options {
            global: session::GlobalLimits {
                new_per_day: args.new,
                reviews_per_day: args.reviews,
                reviewed_today: today.reviews.saturating_sub(today.introduced),
                introduced_today: today.introduced,
            },
            filter: session::Filter {
                tags: args.tags.clone(),
                kinds: args.kinds.clone(),
            },
            limit: args.limit,
            time_box: args
                .minutes
                .map(|m| jiff::SignedDuration::from_mins(i64::from(m))),
            cram: args.cram,
            format: (!args.fixed_format).then(|| {
                let default = session::format::Thresholds::default();
                session::format::Thresholds {
                    recall_stability_days: args
                        .recall_after
                        .unwrap_or(default.recall_stability_days),
                    recall_retrievability_percent: args
                        .recall_above
                        .unwrap_or(default.recall_retrievability_percent),
                }
            }),
        },
    };
    Ok((plan, stand_ins))
}

/// Finds a stored card's card in its deck: by id in a map for a parsed deck (`Deck::card`
/// is a linear search, quadratic over 100k cards); for a cached deck, the stand-in at the
/// position the database gives (the file's, as of the last synchronisation), checked by id,
/// with a map by id built only if a position does not match.
enum CardFinder<'a> {
    Parsed(HashMap<&'a str, &'a deck::Card>),
    Cached {
        heads: &'a CardHeads,
        by_id: Option<HashMap<String, usize>>,
    },
}

impl<'a> CardFinder<'a> {
    fn new(deck: &'a Deck, cards: &'a Cards) -> Self {
        match cards {
            Cards::Parsed => Self::Parsed(deck.cards.iter().map(|c| (c.id.as_str(), c)).collect()),
            Cards::Cached(heads) => Self::Cached { heads, by_id: None },
        }
    }

    /// The card (a stand-in for a cached deck, with its position) with this id.
    fn find(&mut self, key: &str, position: i64) -> Option<(deck::Card, Option<usize>)> {
        match self {
            Self::Parsed(by_id) => by_id.get(key).map(|&c| (c.clone(), None)),
            Self::Cached { heads, by_id } => {
                if let Ok(position) = usize::try_from(position)
                    && let Some(card) = heads.stand_in(position)
                    && card.id.as_str() == key
                {
                    return Some((card, Some(position)));
                }
                let by_id = by_id.get_or_insert_with(|| {
                    (0..heads.len())
                        .filter_map(|p| Some((heads.stand_in(p)?.id.as_str().to_owned(), p)))
                        .collect()
                });
                let position = *by_id.get(key)?;
                heads.stand_in(position).map(|card| (card, Some(position)))
            }
        }
    }
}

/// The decks `--deck` names (all of them when it names none), each one required to exist.
fn only_decks(decks: Vec<StudyDeck>, only: &[String]) -> Result<Vec<StudyDeck>, Error> {
    if only.is_empty() {
        return Ok(decks);
    }
    if let Some(unknown) = only
        .iter()
        .find(|id| !decks.iter().any(|d| d.deck.id.as_str() == id.as_str()))
    {
        return Err(Error::UnknownDeck {
            deck: unknown.clone(),
        });
    }
    Ok(decks
        .into_iter()
        .filter(|d| only.iter().any(|id| id == d.deck.id.as_str()))
        .collect())
}

/// The store as a session's front end sees it: answers committed one by one, the still-due
/// check that keeps two sessions on one database from asking the same card twice, undo,
/// and marks.
struct Journal<'a> {
    store: &'a mut Store,
    /// One per deck of the session, to fold a card's log again on undo.
    schedulers: Vec<Box<dyn Scheduler>>,
    /// For the time a card is suspended.
    now: crate::cli::Clock,
}

impl term::Journal for Journal<'_> {
    fn record(&mut self, review: &session::Review) -> Result<(), StoreError> {
        let extra = crate::store::ReviewExtra {
            confused: review.confusion.as_ref().map(|c| crate::store::Confused {
                given: &c.given,
                expected: &c.expected,
            }),
            format: Some(review.format.as_str()),
        };
        self.store.record_with(
            &NewReview {
                handle: review.handle,
                reviewed_at: review.reviewed_at,
                rating: review.rating,
                answer: &review.answer,
                verdict: review.verdict.as_str(),
                response_ms: review.response_ms,
                scheduler: review.scheduler,
                state: &review.state,
                previous: &review.previous,
                cram: review.cram,
                leech: review.leech.is_some(),
            },
            &extra,
        )
    }

    fn still_due(&mut self, handle: i64, held: &CardState) -> Result<bool, StoreError> {
        self.store.still_due(handle, held)
    }

    fn undo(&mut self, undone: &session::UndoneReview) -> Result<(), StoreError> {
        let Some(scheduler) = self.schedulers.get(undone.deck) else {
            return Ok(());
        };
        self.store
            .undo(undone.handle, undone.reviewed_at, scheduler.as_ref())
            .map(|_| ())
    }

    fn mark(&mut self, marking: &session::Marking) -> Result<(), StoreError> {
        match &marking.mark {
            session::Mark::Suspend => self.store.suspend(marking.handle, self.now.now()),
            session::Mark::Bury { until } => {
                self.store.bury(marking.handle, *until, self.now.now())
            }
            session::Mark::Flag { flag, note } => {
                self.store
                    .set_flag(marking.handle, *flag, note.as_deref(), self.now.now())
            }
        }
    }
}

/// The full-screen commands beyond answering: each changes the session and the database
/// together, as line mode's `:u`, `:s`, `:b` and `:f` do.
impl term::tui::Actions for Journal<'_> {
    fn undo(&mut self, session: &mut Session, _: jiff::Timestamp) -> Result<Outcome, Error> {
        match session.undo() {
            Ok(session::Undo::Answer) => {
                Ok(Outcome::Done("Answer taken back; answer again.".to_owned()))
            }
            Ok(session::Undo::Review(undone)) => {
                term::Journal::undo(self, &undone)?;
                Ok(Outcome::Done(format!(
                    "Undone: your last answer to `{}` is deleted; it is asked again.",
                    term::safe(undone.card.as_str())
                )))
            }
            Err(_) => Ok(Outcome::Refused("Nothing to undo.".to_owned())),
        }
    }

    fn suspend(&mut self, session: &mut Session, _: jiff::Timestamp) -> Result<Outcome, Error> {
        let deck = session.prompt().map(|p| p.deck_id.to_string());
        self.mark_from(session.suspend(), |id| {
            format!(
                "Suspended `{id}`: it is not shown again until `factdrill card unsuspend {}/{id}`.",
                deck.as_deref().unwrap_or("DECK")
            )
        })
    }

    fn bury(&mut self, session: &mut Session, _: jiff::Timestamp) -> Result<Outcome, Error> {
        self.mark_from(session.bury(), |id| {
            format!("Buried `{id}` until tomorrow.")
        })
    }

    fn flag(&mut self, session: &mut Session, _: jiff::Timestamp) -> Result<Outcome, Error> {
        // The key toggles: a flagged card loses its flag, any other gets the red one (the
        // colour `factdrill card flag` and line mode's `:f` give when none is named).
        let flagged = session.prompt().and_then(|p| p.flag).is_some();
        let flag = if flagged {
            None
        } else {
            Some(crate::mark::Flag::Red)
        };
        self.mark_from(session.flag(flag, None), |id| {
            if flagged {
                format!("Flag removed from `{id}`.")
            } else {
                format!("Flagged `{id}` {}.", crate::mark::Flag::Red)
            }
        })
    }
}

impl Journal<'_> {
    /// Records a mark the session has put on the card on screen, and says what was done.
    fn mark_from(
        &mut self,
        marking: Result<session::Marking, session::SessionError>,
        say: impl FnOnce(&str) -> String,
    ) -> Result<Outcome, Error> {
        let Ok(marking) = marking else {
            return Ok(Outcome::Refused("No card is on screen.".to_owned()));
        };
        term::Journal::mark(self, &marking)?;
        Ok(Outcome::Done(say(&term::safe(marking.card.as_str()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "id: d\nname: D\ncards:\n  - id: a\n    prompt: Who led?\n    answer: Osip\n    tags: [x]\n  - id: b\n    prompt: Who came?\n    answer: Henk\n";

    fn is_cached(found: &StudyDeck) -> bool {
        matches!(found.cards, Cards::Cached(_))
    }

    #[test]
    fn a_settled_unchanged_file_comes_from_the_cache_without_being_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.yaml");
        std::fs::write(&path, DECK).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        // As if read a minute after it was written: its stamp is noted.
        let later = i64::try_from(jiff::Timestamp::now().as_nanosecond()).unwrap() + 60_000_000_000;
        let first = load_known_at(&store, &path, later).unwrap();
        assert!(!is_cached(&first), "parsed the first time");
        store
            .sync_deck(&first.deck, jiff::Timestamp::UNIX_EPOCH)
            .unwrap();
        let stamp = FileStamp::of(&std::fs::metadata(&path).unwrap()).unwrap();
        assert_eq!(
            store.deck_file_hash(&path, &stamp).unwrap().as_deref(),
            Some(first.deck.content_hash.as_str())
        );
        let again = load_known_at(&store, &path, later).unwrap();
        assert!(is_cached(&again));
        assert_eq!(again.deck.name, "D");
        assert_eq!(again.deck.path, path);
        // Another stamp (here a modification time set back, as `touch -d` does): read and
        // hashed again; the same bytes still come from the cache.
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000),
        )
        .unwrap();
        drop(file);
        assert_eq!(
            store
                .deck_file_hash(
                    &path,
                    &FileStamp::of(&std::fs::metadata(&path).unwrap()).unwrap()
                )
                .unwrap(),
            None
        );
        assert!(is_cached(&load_known_at(&store, &path, later).unwrap()));
    }

    #[test]
    fn a_fresh_file_is_hashed_every_time_so_a_same_size_edit_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.yaml");
        std::fs::write(&path, DECK).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let now = i64::try_from(jiff::Timestamp::now().as_nanosecond()).unwrap();
        let first = load_known_at(&store, &path, now).unwrap();
        store
            .sync_deck(&first.deck, jiff::Timestamp::UNIX_EPOCH)
            .unwrap();
        let stamp = FileStamp::of(&std::fs::metadata(&path).unwrap()).unwrap();
        assert_eq!(
            store.deck_file_hash(&path, &stamp).unwrap(),
            None,
            "not noted"
        );
        // The same size, at once: a stamp could not tell, the hash does.
        std::fs::write(&path, DECK.replace("Who led?", "Who fed?")).unwrap();
        let edited = load_known_at(&store, &path, now).unwrap();
        assert!(!is_cached(&edited));
        assert_eq!(edited.deck.cards[0].prompt, "Who fed?");
    }

    #[test]
    fn a_cached_deck_not_yet_synchronised_comes_with_every_card() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.yaml");
        std::fs::write(&path, DECK).unwrap();
        let store = Store::open_in_memory().unwrap();
        let now = i64::try_from(jiff::Timestamp::now().as_nanosecond()).unwrap();
        load_known_at(&store, &path, now).unwrap();
        // Cached, but the database never synchronised this version (a crash in between):
        // `sync_deck` needs the cards.
        let again = load_known_at(&store, &path, now).unwrap();
        assert!(!is_cached(&again));
        assert_eq!(again.deck.cards.len(), 2);
    }
}
