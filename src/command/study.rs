//! `factdrill study`: the session built from the decks and the database, run by a front
//! end, with the store behind it.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{known_decks, open, scheduler_for};
use crate::cli::{Config, StudyArgs};
use crate::day::Day;
use crate::deck::{self, Deck};
use crate::error::Error;
use crate::grade::{GradeOptions, Grader};
use crate::schedule::{CardState, Scheduler, optimize};
use crate::session::{self, DeckPlan, Plan, Session, StudyCard};
use crate::store::{NewReview, ParamScope, SavedParameters, Store, StoreError};
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
        named
    };
    if decks.is_empty() {
        return Err(Error::NoDecks);
    }
    let decks = only_decks(decks, &args.only_decks)?;
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
    let mut saved = Vec::new();
    for deck in &decks {
        let params = store.parameters_for(deck.id.as_str())?;
        let (scheduler, fingerprint) = scheduler_for(deck, args.scheduler, params.as_ref())?;
        store.ensure_states(&deck.id, scheduler.as_ref(), &fingerprint)?;
        schedulers.push(scheduler);
        saved.push(params);
    }

    let day = Day::containing(now, &config.tz);
    let plan = plan(args, &decks, &store, now, &day, config.seed)?;
    // The journal folds a card's log again on undo, with the deck's own scheduler.
    let replay = decks
        .iter()
        .zip(&saved)
        .map(|(deck, params)| scheduler_for(deck, args.scheduler, params.as_ref()).map(|(s, _)| s))
        .collect::<Result<Vec<_>, _>>()?;
    // Known names indexed on another thread: the first prompt does not wait for them.
    let all_cards: Vec<deck::Card> = decks.into_iter().flat_map(|d| d.cards).collect();
    let grader = Grader::in_background(all_cards, GradeOptions::default());
    let mut session = Session::new(plan, schedulers, grader);
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

/// The session's plan: each deck's limits and what it did today, the cards that may be
/// shown (suspended and buried ones left out), and the session options from the flags.
fn plan(
    args: &StudyArgs,
    decks: &[Deck],
    store: &Store,
    now: jiff::Timestamp,
    day: &Day,
    seed: u64,
) -> Result<Plan, Error> {
    let mut plans = Vec::new();
    let mut cards = Vec::new();
    for (index, deck) in decks.iter().enumerate() {
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
        // By id in one map: `Deck::card` is a linear search, quadratic over 100k cards.
        let by_id: HashMap<&str, &deck::Card> =
            deck.cards.iter().map(|c| (c.id.as_str(), c)).collect();
        // A cram session may ask any card; a normal one only those the day can use.
        let stored = if args.cram {
            store.cards(&deck.id)?
        } else {
            store.cards_for_day(&deck.id, day.start, day.end)?
        };
        for stored in stored {
            // Suspended and buried cards are never due (nor crammed).
            if stored.marks.holds_back(now) {
                continue;
            }
            if let Some(&card) = by_id.get(stored.key.as_str()) {
                cards.push(StudyCard {
                    handle: stored.handle,
                    deck: index,
                    card: card.clone(),
                    state: stored.state,
                    flag: stored.marks.flag,
                    note: stored.marks.note,
                });
            }
        }
    }
    let today = store.activity(None, day.start, day.end)?;
    Ok(Plan {
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
    })
}

/// The decks `--deck` names (all of them when it names none), each one required to exist.
fn only_decks(decks: Vec<Deck>, only: &[String]) -> Result<Vec<Deck>, Error> {
    if only.is_empty() {
        return Ok(decks);
    }
    if let Some(unknown) = only
        .iter()
        .find(|id| !decks.iter().any(|d| d.id.as_str() == id.as_str()))
    {
        return Err(Error::UnknownDeck {
            deck: unknown.clone(),
        });
    }
    Ok(decks
        .into_iter()
        .filter(|d| only.iter().any(|id| id == d.id.as_str()))
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
