//! The quiz as a pure state machine: a queue built from the due and new cards by the rules of
//! `docs/scheduling.md` ("Study sessions"), and for each card prompt -> answer (graded) ->
//! rating -> a review to record; undo, suspend, bury and flag on the way. It knows nothing of
//! the terminal, the clock or the database: front ends (line mode, the full-screen UI) pass in
//! what the learner typed and the time, and hand what it returns (`Review`, `Marking`,
//! `UndoneReview`) to the store.
//!
//! The calls a front end makes, in order: `prompt` (the card to show, `None` at the end),
//! `answer` (grades it: `Feedback`), `rate` (the `Review` to commit). Between them, at any
//! time: `undo`, `suspend`, `bury`, `flag`, `skip`; and `summary` for the totals.

use std::collections::{HashSet, VecDeque};

use jiff::{SignedDuration, Timestamp};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::deck::{Card, Id, Kind};
use crate::grade::{Grade, GradeOptions, Grader, Verdict};
use crate::mark::{Flag, is_leech_lapse};
use crate::schedule::{CardState, Phase, Rating, Scheduler};

/// Default daily limits, as in Anki.
pub const DEFAULT_NEW_PER_DAY: u32 = 20;
pub const DEFAULT_REVIEWS_PER_DAY: u32 = 200;

/// Cards in learning due within this window are shown again in the same session.
pub const LEARN_AHEAD: SignedDuration = SignedDuration::from_mins(20);

/// A card as the session sees it: its content, where it is stored and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyCard {
    /// Opaque store handle, passed back in each `Review`.
    pub handle: i64,
    /// Index of the card's deck in `Plan::decks`.
    pub deck: usize,
    pub card: Card,
    pub state: CardState,
    /// Its flag and note, shown with the prompt (`Session::flag` changes them).
    pub flag: Option<Flag>,
    pub note: Option<String>,
}

/// One deck's part in a session: its limits and what was already done today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckPlan {
    /// The deck's id (its key in the store), for messages such as `card unsuspend DECK/CARD`.
    pub id: String,
    pub name: String,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    /// Reviews of already-known cards done earlier today.
    pub reviewed_today: u32,
    /// New cards introduced earlier today.
    pub introduced_today: u32,
    /// Grade this deck's answers strictly: exact after normalisation only.
    pub strict: bool,
    /// Lapses that make a card a leech (0: never).
    pub leech_threshold: u32,
}

/// Limits over every deck together (`study --new N --reviews N`), on top of each deck's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GlobalLimits {
    /// New cards per day in all decks; `None`: only the decks' limits.
    pub new_per_day: Option<u32>,
    /// Reviews per day in all decks; `None`: only the decks' limits.
    pub reviews_per_day: Option<u32>,
    /// Reviews of known cards done earlier today, in every deck.
    pub reviewed_today: u32,
    /// New cards introduced earlier today, in every deck.
    pub introduced_today: u32,
}

/// Which cards a session may show (`study --tag T --kind K`). Empty lists allow every card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Cards with at least one of these tags.
    pub tags: Vec<String>,
    /// Cards of one of these kinds.
    pub kinds: Vec<Kind>,
}

impl Filter {
    pub fn admits(&self, card: &Card) -> bool {
        (self.tags.is_empty() || card.tags.iter().any(|t| self.tags.contains(t)))
            && (self.kinds.is_empty() || self.kinds.contains(&card.kind))
    }
}

/// How a session runs, besides its cards. `Options::default()` is a plain session: daily
/// limits per deck only, every card, no cap, no time box, scheduled for real.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub global: GlobalLimits,
    pub filter: Filter,
    /// At most this many cards (`--limit`); learning steps of those cards do not count.
    pub limit: Option<u32>,
    /// Offer no new card once this much time has passed since the start (`--minutes`); the
    /// card being answered finishes.
    pub time_box: Option<SignedDuration>,
    /// Practise without changing the schedule (`--cram`): every card that passes the filter,
    /// least likely recalled first, then new ones; no daily limits, no sibling burying; the
    /// reviews are logged as cram and the cards' states stay as they were.
    pub cram: bool,
}

/// What a session is built from.
pub struct Plan {
    pub decks: Vec<DeckPlan>,
    /// The cards that may be shown: a front end leaves out suspended and buried ones.
    pub cards: Vec<StudyCard>,
    /// When the session starts.
    pub now: Timestamp,
    /// Start of the learner's study day: a card reviewed since then buries its siblings.
    pub day_start: Timestamp,
    /// End of the learner's day: review cards due before it are due today; burying lasts
    /// until then.
    pub day_end: Timestamp,
    /// Seeds the order of choices.
    pub seed: u64,
    pub options: Options,
}

/// Due cards that were left out of the session, and by which rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// Due reviews left for another day by their deck's reviews-per-day limit.
    pub reviews: u32,
    /// New cards left by their deck's new-per-day limit.
    pub new: u32,
    /// Due reviews left by the global reviews limit (`--reviews`).
    pub reviews_global: u32,
    /// New cards left by the global new-card limit (`--new`).
    pub new_global: u32,
    /// Cards left out by the session's `--limit`.
    pub session_limit: u32,
    /// Cards whose sibling (a card of the same fact) is studied today.
    pub siblings: u32,
}

/// Why a session ended before its queue was empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The time box (`--minutes`) ran out.
    TimeBox(SignedDuration),
}

/// What to show the learner now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prompt<'a> {
    pub card: &'a Card,
    pub deck_id: &'a str,
    pub deck_name: &'a str,
    /// Choices in the order to show them (shuffled per card and seed).
    pub choices: &'a [String],
    /// 1-based number of this prompt in the session.
    pub number: u32,
    /// Prompts answered plus prompts still queued, this one included.
    pub total: u32,
    pub is_new: bool,
    /// The card's flag and its note.
    pub flag: Option<Flag>,
    pub note: Option<&'a str>,
}

/// The outcome of an answer, before the learner confirms a rating.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub grade: Grade,
    /// The card's canonical answer (for choice cards, with its letter).
    pub correct_answer: String,
    pub suggested: Rating,
    /// What each rating would schedule, Again..Easy (in a cram session, what it would
    /// schedule outside it: cram changes nothing).
    pub intervals: [SignedDuration; 4],
}

/// A card that has just become a leech: it is tagged and suspended when its review is
/// recorded, and the front end tells the learner why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leech {
    pub lapses: u32,
    pub threshold: u32,
}

/// One answer, ready to be committed to the review log.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub handle: i64,
    pub card: Id,
    /// Index of the card's deck in the plan.
    pub deck: usize,
    pub reviewed_at: Timestamp,
    pub rating: Rating,
    pub answer: String,
    pub verdict: Verdict,
    pub response_ms: u64,
    pub scheduler: &'static str,
    /// The card's state after this review (unchanged by a cram review).
    pub state: CardState,
    /// The card's state before it, as this session held it (the store uses it to notice a
    /// review of the same card by another process).
    pub previous: CardState,
    /// A cram review: logged as practice, ignored by the scheduler.
    pub cram: bool,
    /// This answer made the card a leech.
    pub leech: Option<Leech>,
}

/// What `Session::undo` took back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// The answer typed for the current card, not yet rated: nothing was recorded; the
    /// question is asked again.
    Answer,
    /// The last recorded answer: the front end removes it from the store.
    Review(UndoneReview),
}

/// A recorded answer taken back: the card is asked again next, in its state from before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoneReview {
    pub handle: i64,
    pub card: Id,
    /// Index of the card's deck in the plan (whose scheduler folds its log again).
    pub deck: usize,
    /// The time of the review to delete.
    pub reviewed_at: Timestamp,
    pub cram: bool,
    /// The review had made the card a leech (the store lifts the tag and suspension).
    pub was_leech: bool,
}

/// A mark put on the current card from the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    pub handle: i64,
    pub card: Id,
    pub mark: Mark,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// Suspend: never due until unsuspended (`factdrill card unsuspend`).
    Suspend,
    /// Bury until this time (the end of the study day).
    Bury { until: Timestamp },
    /// Flag with a colour and an optional note; `None` clears the flag.
    Flag {
        flag: Option<Flag>,
        note: Option<String>,
    },
}

/// Totals for the end-of-session summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub answered: u32,
    /// Answers graded correct or close.
    pub passed: u32,
    /// Ratings given, Again..Easy.
    pub ratings: [u32; 4],
    pub new_cards: u32,
    /// Prompts still queued when the session ended.
    pub left: u32,
    /// Due cards the limits and rules kept out of the session.
    pub held: Held,
    /// The global limits the session ran under.
    pub global: GlobalLimits,
    /// The session's `--limit`.
    pub limit: Option<u32>,
    /// Sum of response times.
    pub response_ms: u64,
    /// Cards suspended, buried or made leeches during the session.
    pub suspended: u32,
    pub buried: u32,
    pub leeches: u32,
    /// Answers taken back.
    pub undone: u32,
    pub cram: bool,
    /// Set when the session stopped before its queue was empty.
    pub stopped: Option<Stop>,
}

/// Calls made out of order: a front-end bug (or nothing to undo), reported rather than
/// panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("there is no question waiting for an answer")]
    NotAsking,
    #[error("there is no graded answer waiting for a rating")]
    NotRating,
    #[error("there is no card on screen")]
    NoCard,
    #[error("there is no answer to undo")]
    NothingToUndo,
}

enum Stage {
    Idle,
    Asking {
        index: usize,
        choices: Vec<String>,
    },
    Rating {
        index: usize,
        choices: Vec<String>,
        typed: String,
        grade: Grade,
        response_ms: u64,
    },
}

/// One rated answer, kept so that `undo` can take it back exactly.
struct Answered {
    index: usize,
    previous: CardState,
    reviewed_at: Timestamp,
    /// The rating put the card back in the queue (a learning step, or Again in cram).
    requeued: bool,
    leech: bool,
    /// The totals before the answer (what was suspended, buried or undone since is kept).
    summary: Summary,
}

pub struct Session {
    decks: Vec<DeckPlan>,
    cards: Vec<StudyCard>,
    queue: VecDeque<usize>,
    /// One scheduler per deck, indexed like `decks`.
    schedulers: Vec<Box<dyn Scheduler>>,
    grader: Grader,
    seed: u64,
    stage: Stage,
    summary: Summary,
    start: Timestamp,
    day_end: Timestamp,
    time_box: Option<SignedDuration>,
    cram: bool,
    history: Vec<Answered>,
}

impl Session {
    /// Builds the queue by the rules of `docs/scheduling.md`: learning cards due now (oldest
    /// first), then the reviews due today (least likely recalled first) with the new cards
    /// (in deck order) spread evenly among them; within each deck's and the global daily
    /// limits; one card per fact a day (sibling burying); cut to `--limit`. A cram session
    /// takes every card that passes the filter instead (see `Options::cram`).
    /// `schedulers` holds one scheduler per deck of the plan, in the same order.
    pub fn new(plan: Plan, schedulers: Vec<Box<dyn Scheduler>>, grader: Grader) -> Self {
        let Plan {
            decks,
            cards,
            now,
            day_start,
            day_end,
            seed,
            options,
        } = plan;
        let (mut queue, mut held) = if options.cram {
            (
                cram_queue(&cards, &options.filter, &schedulers, now),
                Held::default(),
            )
        } else {
            let q = Queue {
                cards: &cards,
                decks: &decks,
                schedulers: &schedulers,
                now,
                day_start,
                day_end,
            };
            q.build(&options)
        };
        if let Some(limit) = options.limit {
            let keep = (limit as usize).min(queue.len());
            held.session_limit = (queue.len() - keep) as u32;
            queue.truncate(keep);
        }
        Self {
            decks,
            cards,
            summary: Summary {
                held,
                left: queue.len() as u32,
                global: options.global,
                limit: options.limit,
                cram: options.cram,
                ..Summary::default()
            },
            queue: queue.into(),
            schedulers,
            grader,
            seed,
            stage: Stage::Idle,
            start: now,
            day_end,
            time_box: options.time_box,
            cram: options.cram,
            history: Vec::new(),
        }
    }

    /// The question to show now, moving on to the next card if the last one is done;
    /// `None` when the session is over (queue empty, or the time box ran out).
    pub fn prompt(&mut self) -> Option<Prompt<'_>> {
        if matches!(self.stage, Stage::Idle) {
            if self.summary.stopped.is_some() {
                return None;
            }
            let index = self.queue.pop_front()?;
            let choices = self.shuffled_choices(index);
            self.stage = Stage::Asking { index, choices };
        }
        let (index, choices) = match &self.stage {
            Stage::Asking { index, choices } | Stage::Rating { index, choices, .. } => {
                (*index, choices.as_slice())
            }
            Stage::Idle => return None,
        };
        let sc = &self.cards[index];
        Some(Prompt {
            card: &sc.card,
            deck_id: &self.decks[sc.deck].id,
            deck_name: &self.decks[sc.deck].name,
            choices,
            number: self.summary.answered + 1,
            total: self.summary.answered + 1 + self.queue.len() as u32,
            is_new: sc.state.phase == Phase::New,
            flag: sc.flag,
            note: sc.note.as_deref(),
        })
    }

    /// Grades what the learner typed for the current question.
    pub fn answer(
        &mut self,
        typed: &str,
        response_ms: u64,
        at: Timestamp,
    ) -> Result<Feedback, SessionError> {
        let (index, choices) = match std::mem::replace(&mut self.stage, Stage::Idle) {
            Stage::Asking { index, choices } => (index, choices),
            other => {
                self.stage = other;
                return Err(SessionError::NotAsking);
            }
        };
        let sc = &self.cards[index];
        let options = GradeOptions {
            strict: self.grader.options().strict || self.decks[sc.deck].strict,
            ..self.grader.options()
        };
        let grade = self
            .grader
            .grade_with(&sc.card, &choices, typed, options.for_card(&sc.card));
        let correct_answer = match sc.card.kind {
            Kind::Choice => choices
                .iter()
                .position(|c| *c == sc.card.answer)
                .map_or_else(
                    || sc.card.answer.clone(),
                    |i| format!("{}) {}", letter(i), sc.card.answer),
                ),
            Kind::Ordering => {
                let letters: String = sc
                    .card
                    .choices
                    .iter()
                    .filter_map(|item| choices.iter().position(|c| c == item))
                    .map(letter)
                    .collect();
                format!("{letters}: {}", sc.card.answer)
            }
            Kind::Recall | Kind::Year | Kind::TrueFalse | Kind::Cloze => sc.card.answer.clone(),
        };
        let intervals = self.schedulers[sc.deck].next_intervals(&sc.state, at);
        let feedback = Feedback {
            suggested: grade.suggested_rating(),
            grade: grade.clone(),
            correct_answer,
            intervals,
        };
        self.stage = Stage::Rating {
            index,
            choices,
            typed: typed.trim().to_owned(),
            grade,
            response_ms,
        };
        Ok(feedback)
    }

    /// Applies the learner's rating: the card's next state, and the review to commit.
    /// A card whose next showing is due within the learn-ahead window comes back later in
    /// this session. A lapse that reaches the deck's leech threshold makes the card a leech
    /// (`Review::leech`): it leaves the session. In a cram session the state stays as it
    /// was and a card rated Again comes back at the end of the queue. Once the time box has
    /// run out at `at`, no further card is offered.
    pub fn rate(&mut self, rating: Rating, at: Timestamp) -> Result<Review, SessionError> {
        let (index, typed, grade, response_ms) =
            match std::mem::replace(&mut self.stage, Stage::Idle) {
                Stage::Rating {
                    index,
                    typed,
                    grade,
                    response_ms,
                    ..
                } => (index, typed, grade, response_ms),
                other => {
                    self.stage = other;
                    return Err(SessionError::NotRating);
                }
            };
        let sc = &mut self.cards[index];
        let was_new = sc.state.phase == Phase::New;
        let scheduler = &self.schedulers[sc.deck];
        let previous = sc.state.clone();
        let mut leech = None;
        let requeued = if self.cram {
            rating == Rating::Again
        } else {
            let state = scheduler.review(&sc.state, rating, at);
            let threshold = self.decks[sc.deck].leech_threshold;
            if state.lapses > previous.lapses && is_leech_lapse(state.lapses, threshold) {
                leech = Some(Leech {
                    lapses: state.lapses,
                    threshold,
                });
            }
            sc.state = state;
            leech.is_none()
                && sc.state.phase != Phase::Review
                && sc.state.due.is_some_and(|d| d <= at + LEARN_AHEAD)
        };
        if requeued {
            self.queue.push_back(index);
        }
        let summary_before = self.summary;
        if let Some(time_box) = self.time_box
            && at >= self.start + time_box
        {
            self.summary.stopped = Some(Stop::TimeBox(time_box));
        }
        let s = &mut self.summary;
        s.answered += 1;
        s.passed += u32::from(grade.verdict.passed());
        s.ratings[usize::from(rating.number() - 1)] += 1;
        s.new_cards += u32::from(was_new);
        s.response_ms += response_ms;
        s.leeches += u32::from(leech.is_some());
        s.left = self.queue.len() as u32;
        self.history.push(Answered {
            index,
            previous: previous.clone(),
            reviewed_at: at,
            requeued,
            leech: leech.is_some(),
            summary: summary_before,
        });
        Ok(Review {
            handle: sc.handle,
            card: sc.card.id.clone(),
            deck: sc.deck,
            reviewed_at: at,
            rating,
            answer: typed,
            verdict: grade.verdict,
            response_ms,
            scheduler: scheduler.name(),
            state: sc.state.clone(),
            previous,
            cram: self.cram,
            leech,
        })
    }

    /// Takes back the last answer; repeatable, back to the session's first answer.
    ///
    /// Between `answer` and `rate`, only the typed answer is taken back (`Undo::Answer`):
    /// the question is asked again. Otherwise the last rated answer is (`Undo::Review`): the
    /// card gets its state from before it, comes out of the queue where the rating had put
    /// it, and is asked next (a question on screen goes back to the front of the queue
    /// behind it); the totals drop the answer. The front end deletes the review from the
    /// store (`Journal::undo`), which folds the card's log again to the same state.
    pub fn undo(&mut self) -> Result<Undo, SessionError> {
        if self.awaiting_rating() {
            if let Stage::Rating { index, choices, .. } =
                std::mem::replace(&mut self.stage, Stage::Idle)
            {
                self.stage = Stage::Asking { index, choices };
            }
            return Ok(Undo::Answer);
        }
        let last = self.history.pop().ok_or(SessionError::NothingToUndo)?;
        Ok(Undo::Review(self.take_back(last)))
    }

    fn take_back(&mut self, last: Answered) -> UndoneReview {
        if let Stage::Asking { index, .. } = std::mem::replace(&mut self.stage, Stage::Idle) {
            self.queue.push_front(index);
        }
        if last.requeued
            && let Some(pos) = self.queue.iter().rposition(|&i| i == last.index)
        {
            self.queue.remove(pos);
        }
        self.queue.push_front(last.index);
        let sc = &mut self.cards[last.index];
        sc.state = last.previous;
        let now = self.summary;
        self.summary = Summary {
            suspended: now.suspended,
            buried: now.buried,
            undone: now.undone + 1,
            left: self.queue.len() as u32,
            ..last.summary
        };
        UndoneReview {
            handle: sc.handle,
            card: sc.card.id.clone(),
            deck: sc.deck,
            reviewed_at: last.reviewed_at,
            cram: self.cram,
            was_leech: last.leech,
        }
    }

    /// Whether `undo` has a rated answer to take back.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// Suspends the card on screen: it leaves the session (an answer typed but not rated is
    /// dropped, nothing is recorded) and the front end records the mark.
    pub fn suspend(&mut self) -> Result<Marking, SessionError> {
        let marking = self.drop_current(Mark::Suspend)?;
        self.summary.suspended += 1;
        Ok(marking)
    }

    /// Buries the card on screen until the end of the study day: like `suspend`, but only
    /// for today.
    pub fn bury(&mut self) -> Result<Marking, SessionError> {
        let marking = self.drop_current(Mark::Bury {
            until: self.day_end,
        })?;
        self.summary.buried += 1;
        Ok(marking)
    }

    /// Flags the card on screen (or clears its flag with `None`); it stays in the session.
    pub fn flag(
        &mut self,
        flag: Option<Flag>,
        note: Option<String>,
    ) -> Result<Marking, SessionError> {
        let index = self.current_index().ok_or(SessionError::NoCard)?;
        let sc = &mut self.cards[index];
        sc.flag = flag;
        sc.note = note.clone().filter(|_| flag.is_some());
        Ok(Marking {
            handle: sc.handle,
            card: sc.card.id.clone(),
            mark: Mark::Flag { flag, note },
        })
    }

    fn drop_current(&mut self, mark: Mark) -> Result<Marking, SessionError> {
        let index = self.current_index().ok_or(SessionError::NoCard)?;
        self.stage = Stage::Idle;
        self.queue.retain(|&i| i != index);
        self.summary.left = self.queue.len() as u32;
        let sc = &self.cards[index];
        Ok(Marking {
            handle: sc.handle,
            card: sc.card.id.clone(),
            mark,
        })
    }

    fn current_index(&self) -> Option<usize> {
        match &self.stage {
            Stage::Asking { index, .. } | Stage::Rating { index, .. } => Some(*index),
            Stage::Idle => None,
        }
    }

    /// The store handle and state of the card being asked, as this session holds them.
    /// A front end on a shared database checks them against the store before showing the
    /// question (another process may have reviewed the card since the queue was built) and
    /// calls `skip` if the card is no longer due. Keeping that check out of the session keeps
    /// it free of I/O.
    pub fn current(&self) -> Option<(i64, &CardState)> {
        let sc = &self.cards[self.current_index()?];
        Some((sc.handle, &sc.state))
    }

    /// Drops the question being asked, unanswered: it is not counted and does not come back
    /// in this session. Only before an answer (after one, the card must be rated).
    pub fn skip(&mut self) -> Result<(), SessionError> {
        match self.stage {
            Stage::Asking { .. } => {
                self.stage = Stage::Idle;
                Ok(())
            }
            _ => Err(SessionError::NotAsking),
        }
    }

    /// True between `answer` and `rate`.
    pub fn awaiting_rating(&self) -> bool {
        matches!(self.stage, Stage::Rating { .. })
    }

    /// A cram session: reviews change no schedule.
    pub fn is_cram(&self) -> bool {
        self.cram
    }

    /// The id of deck `deck` (an index in the plan, as `Review::deck` holds).
    pub fn deck_id(&self, deck: usize) -> &str {
        self.decks.get(deck).map_or("", |d| d.id.as_str())
    }

    /// When the session started (the plan's `now`), for a front end's elapsed-time display.
    pub fn started(&self) -> Timestamp {
        self.start
    }

    /// The session's totals so far.
    pub fn summary(&self) -> Summary {
        let mut s = self.summary;
        // A question shown but not answered is still left to do.
        s.left = self.queue.len() as u32 + u32::from(!matches!(self.stage, Stage::Idle));
        s
    }

    fn shuffled_choices(&self, index: usize) -> Vec<String> {
        let sc = &self.cards[index];
        let mut choices = sc.card.choices.clone();
        if choices.len() < 2 {
            return choices;
        }
        // Per card and review, so the order is reproducible but not memorable by position.
        let key = blake3::hash(sc.card.id.as_str().as_bytes());
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&key.as_bytes()[..8]);
        let seed = self.seed ^ u64::from_le_bytes(bytes) ^ u64::from(sc.state.reps);
        choices.shuffle(&mut StdRng::seed_from_u64(seed));
        // Items to order must not already be shown in order.
        if sc.card.kind == Kind::Ordering && choices == sc.card.choices {
            choices.rotate_left(1);
        }
        choices
    }
}

/// The inputs of the queue rules.
struct Queue<'a> {
    cards: &'a [StudyCard],
    decks: &'a [DeckPlan],
    schedulers: &'a [Box<dyn Scheduler>],
    now: Timestamp,
    day_start: Timestamp,
    day_end: Timestamp,
}

impl Queue<'_> {
    fn build(&self, options: &Options) -> (Vec<usize>, Held) {
        let cards = self.cards;
        let mut learning = Vec::new();
        let mut reviews = Vec::new();
        let mut new = Vec::new();
        for (index, sc) in cards.iter().enumerate() {
            if !options.filter.admits(&sc.card) {
                continue;
            }
            match sc.state.phase {
                Phase::New => new.push(index),
                Phase::Learning | Phase::Relearning => {
                    if sc.state.due.is_none_or(|d| d <= self.now + LEARN_AHEAD) {
                        learning.push(index);
                    }
                }
                Phase::Review => {
                    if sc.state.due.is_none_or(|d| d < self.day_end) {
                        reviews.push(index);
                    }
                }
            }
        }
        learning.sort_by_key(|&i| (cards[i].state.due, i));
        // Most at risk first: the lowest probability of recall now.
        let risk: Vec<f64> = cards
            .iter()
            .map(|sc| recall_now(sc, self.schedulers, self.now))
            .collect();
        reviews.sort_by(|&a, &b| {
            risk[a]
                .total_cmp(&risk[b])
                .then_with(|| (cards[a].state.due, a).cmp(&(cards[b].state.due, b)))
        });

        // Sibling burying: one card per fact a day. A fact is taken by any card of it that
        // was reviewed today or is a learning card of this session.
        let mut taken: HashSet<(usize, &str)> = cards
            .iter()
            .filter(|sc| {
                sc.state.last_review.is_some_and(|t| t >= self.day_start)
                    || matches!(sc.state.phase, Phase::Learning | Phase::Relearning)
            })
            .map(|sc| (sc.deck, sc.card.sibling()))
            .collect();
        let mut held = Held::default();
        let mut deck_reviews: Vec<u32> = self
            .decks
            .iter()
            .map(|d| d.reviews_per_day.saturating_sub(d.reviewed_today))
            .collect();
        let mut deck_new: Vec<u32> = self
            .decks
            .iter()
            .map(|d| d.new_per_day.saturating_sub(d.introduced_today))
            .collect();
        let g = options.global;
        let mut global_reviews = g
            .reviews_per_day
            .map_or(u32::MAX, |n| n.saturating_sub(g.reviewed_today));
        let mut global_new = g
            .new_per_day
            .map_or(u32::MAX, |n| n.saturating_sub(g.introduced_today));
        let mut admit = |list: Vec<usize>, is_new: bool, held: &mut Held| -> Vec<usize> {
            let mut kept = Vec::new();
            for i in list {
                let sc = &cards[i];
                let (deck_left, global_left) = if is_new {
                    (&mut deck_new[sc.deck], &mut global_new)
                } else {
                    (&mut deck_reviews[sc.deck], &mut global_reviews)
                };
                if taken.contains(&(sc.deck, sc.card.sibling())) {
                    held.siblings += 1;
                } else if *deck_left == 0 {
                    let count = if is_new {
                        &mut held.new
                    } else {
                        &mut held.reviews
                    };
                    *count += 1;
                } else if *global_left == 0 {
                    let count = if is_new {
                        &mut held.new_global
                    } else {
                        &mut held.reviews_global
                    };
                    *count += 1;
                } else {
                    *deck_left -= 1;
                    *global_left -= 1;
                    taken.insert((sc.deck, sc.card.sibling()));
                    kept.push(i);
                }
            }
            kept
        };
        let reviews = admit(reviews, false, &mut held);
        let new = admit(new, true, &mut held);
        // Learning steps are part of learning a card, not extra reviews: never held.
        let mut queue = learning;
        queue.extend(interleave(&reviews, &new));
        (queue, held)
    }
}

/// The probability of recalling a card now: the scheduler's, or for a scheduler without a
/// memory model (SM-2) the same curve's shape, 0.9 at the due date, `0.9^(elapsed/interval)`.
fn recall_now(sc: &StudyCard, schedulers: &[Box<dyn Scheduler>], now: Timestamp) -> f64 {
    if let Some(r) = schedulers
        .get(sc.deck)
        .and_then(|s| s.retrievability(&sc.state, now))
    {
        return r;
    }
    match (sc.state.last_review, sc.state.interval()) {
        (Some(last), Some(interval)) if interval.as_secs() > 0 => {
            let elapsed = now.duration_since(last).as_secs_f64().max(0.0);
            0.9_f64.powf(elapsed / interval.as_secs_f64())
        }
        _ => 1.0,
    }
}

/// New cards spread evenly among the reviews: with R reviews and N new cards, the j-th new
/// card (1-based) comes after the ⌈j·R/(N+1)⌉-th review.
fn interleave(reviews: &[usize], new: &[usize]) -> Vec<usize> {
    let (r, n) = (reviews.len(), new.len());
    let mut out = Vec::with_capacity(r + n);
    let mut next_review = 0;
    for (j, &card) in new.iter().enumerate() {
        let after = ((j + 1) * r).div_ceil(n + 1);
        out.extend_from_slice(&reviews[next_review..after]);
        next_review = after;
        out.push(card);
    }
    out.extend_from_slice(&reviews[next_review..]);
    out
}

/// A cram session's queue: every card the filter admits, seen cards least likely recalled
/// first, then new cards in deck order.
fn cram_queue(
    cards: &[StudyCard],
    filter: &Filter,
    schedulers: &[Box<dyn Scheduler>],
    now: Timestamp,
) -> Vec<usize> {
    let (mut seen, new): (Vec<usize>, Vec<usize>) = (0..cards.len())
        .filter(|&i| filter.admits(&cards[i].card))
        .partition(|&i| cards[i].state.phase != Phase::New);
    let risk: Vec<f64> = cards
        .iter()
        .map(|sc| recall_now(sc, schedulers, now))
        .collect();
    seen.sort_by(|&a, &b| risk[a].total_cmp(&risk[b]).then(a.cmp(&b)));
    seen.extend(new);
    seen
}

/// `a`, `b`, ... for choice number `i` (0-based).
pub fn letter(i: usize) -> char {
    char::from(b'a' + (i % 26) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Fsrs;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn card(id: &str, kind: Kind, answer: &str, choices: &[&str]) -> Card {
        Card {
            id: Id::parse(id).unwrap(),
            kind,
            prompt: format!("question {id}?"),
            answer: answer.into(),
            accept: vec![],
            choices: choices.iter().map(|s| (*s).to_owned()).collect(),
            explanation: None,
            source: None,
            tags: vec![],
            generated: None,
            line: 1,
        }
    }

    fn deck(new_per_day: u32, reviews_per_day: u32) -> DeckPlan {
        DeckPlan {
            id: "deck".into(),
            name: "Deck".into(),
            new_per_day,
            reviews_per_day,
            reviewed_today: 0,
            introduced_today: 0,
            strict: false,
            leech_threshold: 8,
        }
    }

    fn reviewed(due: &str) -> CardState {
        CardState {
            phase: Phase::Review,
            due: Some(t(due)),
            last_review: Some(t("2026-01-01T09:00:00Z")),
            memory: Some(crate::schedule::Memory {
                stability: 5.0,
                difficulty: 5.0,
            }),
            reps: 1,
            ..CardState::new_card()
        }
    }

    fn session(decks: Vec<DeckPlan>, cards: Vec<(Card, CardState)>) -> Session {
        session_with(decks, cards, Options::default())
    }

    fn session_with(
        decks: Vec<DeckPlan>,
        cards: Vec<(Card, CardState)>,
        options: Options,
    ) -> Session {
        let cards = cards
            .into_iter()
            .enumerate()
            .map(|(i, (card, state))| StudyCard {
                handle: i as i64,
                deck: 0,
                card,
                state,
                flag: None,
                note: None,
            })
            .collect();
        let plan = Plan {
            decks,
            cards,
            now: t("2026-01-10T09:00:00Z"),
            day_start: t("2026-01-10T04:00:00Z"),
            day_end: t("2026-01-11T04:00:00Z"),
            seed: 7,
            options,
        };
        Session::new(
            plan,
            vec![Box::new(Fsrs::default())],
            Grader::from_cards(&[], GradeOptions::default()),
        )
    }

    fn order(s: &mut Session) -> Vec<String> {
        let mut ids = vec![];
        while let Some(p) = s.prompt() {
            ids.push(p.card.id.to_string());
            let at = t("2026-01-10T09:00:00Z");
            s.answer("x", 0, at).unwrap();
            // Easy graduates a card at once, so no learning step brings it back.
            s.rate(Rating::Easy, at).unwrap();
        }
        ids
    }

    #[test]
    fn due_cards_oldest_first_with_new_cards_in_deck_order_among_them() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (card("n1", Kind::Recall, "x", &[]), CardState::new_card()),
                (
                    card("late", Kind::Recall, "x", &[]),
                    reviewed("2026-01-09T09:00:00Z"),
                ),
                (
                    card("later-today", Kind::Recall, "x", &[]),
                    reviewed("2026-01-10T20:00:00Z"),
                ),
                (
                    card("tomorrow", Kind::Recall, "x", &[]),
                    reviewed("2026-01-11T09:00:00Z"),
                ),
                (card("n2", Kind::Recall, "x", &[]), CardState::new_card()),
                (
                    card("oldest", Kind::Recall, "x", &[]),
                    reviewed("2026-01-05T09:00:00Z"),
                ),
            ],
        );
        // Equal recall probability now: oldest due first; the new cards spread among them.
        assert_eq!(
            order(&mut s),
            vec!["oldest", "n1", "late", "n2", "later-today"]
        );
    }

    #[test]
    fn daily_limits_hold_cards_back() {
        let mut d = deck(2, 1);
        d.introduced_today = 1;
        let mut s = session(
            vec![d],
            vec![
                (card("n1", Kind::Recall, "x", &[]), CardState::new_card()),
                (card("n2", Kind::Recall, "x", &[]), CardState::new_card()),
                (
                    card("r1", Kind::Recall, "x", &[]),
                    reviewed("2026-01-09T09:00:00Z"),
                ),
                (
                    card("r2", Kind::Recall, "x", &[]),
                    reviewed("2026-01-08T09:00:00Z"),
                ),
            ],
        );
        assert_eq!(
            s.summary().held,
            Held {
                reviews: 1,
                new: 1,
                ..Held::default()
            }
        );
        assert_eq!(order(&mut s), vec!["r2", "n1"]);
    }

    #[test]
    fn answer_then_rate_produces_a_review() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![(
                card("q", Kind::Recall, "Berlin", &[]),
                CardState::new_card(),
            )],
        );
        let p = s.prompt().unwrap();
        assert_eq!((p.number, p.total, p.is_new), (1, 1, true));
        let at = t("2026-01-10T09:00:00Z");
        let fb = s.answer(" berlin ", 2_500, at).unwrap();
        assert_eq!(fb.grade.verdict, Verdict::Correct);
        assert_eq!(fb.suggested, Rating::Good);
        assert_eq!(fb.correct_answer, "Berlin");
        assert!(fb.intervals[0] <= fb.intervals[3]);
        let review = s.rate(Rating::Good, at).unwrap();
        assert_eq!(review.answer, "berlin");
        assert_eq!(review.response_ms, 2_500);
        assert_eq!(review.state.phase, Phase::Learning);
        // Its next learning step (10 minutes) falls within the session: it comes back.
        let again = s.prompt().unwrap();
        assert_eq!((again.number, again.total, again.is_new), (2, 2, false));
        let later = at + SignedDuration::from_mins(10);
        s.answer("Berlin", 1_000, later).unwrap();
        let review = s.rate(Rating::Good, later).unwrap();
        assert_eq!(review.state.phase, Phase::Review);
        assert!(s.prompt().is_none());
        let sum = s.summary();
        assert_eq!(
            (sum.answered, sum.passed, sum.new_cards, sum.left),
            (2, 2, 1, 0)
        );
        assert_eq!(sum.ratings, [0, 0, 2, 0]);
    }

    #[test]
    fn calls_out_of_order_are_errors_not_panics() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![(
                card("q", Kind::Recall, "Berlin", &[]),
                CardState::new_card(),
            )],
        );
        let at = t("2026-01-10T09:00:00Z");
        assert_eq!(s.answer("x", 0, at), Err(SessionError::NotAsking));
        assert_eq!(s.rate(Rating::Good, at), Err(SessionError::NotRating));
        s.prompt().unwrap();
        assert_eq!(s.rate(Rating::Good, at), Err(SessionError::NotRating));
        s.answer("x", 0, at).unwrap();
        assert!(s.awaiting_rating());
        assert_eq!(s.answer("x", 0, at), Err(SessionError::NotAsking));
        // The prompt stays on the same card until rated.
        assert_eq!(s.prompt().unwrap().card.id.as_str(), "q");
        s.rate(Rating::Again, at).unwrap();
    }

    #[test]
    fn choices_are_shuffled_reproducibly_and_graded_by_shown_letter() {
        let c = card(
            "c",
            Kind::Choice,
            "Berlin",
            &["Berlin", "Moscow", "Vienna", "Shanghai"],
        );
        let mut a = session(
            vec![deck(20, 200)],
            vec![(c.clone(), CardState::new_card())],
        );
        let mut b = session(vec![deck(20, 200)], vec![(c, CardState::new_card())]);
        let shown_a: Vec<String> = a.prompt().unwrap().choices.to_vec();
        let shown_b: Vec<String> = b.prompt().unwrap().choices.to_vec();
        assert_eq!(shown_a, shown_b);
        let mut sorted = shown_a.clone();
        sorted.sort();
        assert_eq!(sorted, vec!["Berlin", "Moscow", "Shanghai", "Vienna"]);
        let i = shown_a.iter().position(|c| c == "Berlin").unwrap();
        let fb = a
            .answer(&letter(i).to_string(), 0, t("2026-01-10T09:00:00Z"))
            .unwrap();
        assert_eq!(fb.grade.verdict, Verdict::Correct);
        assert_eq!(fb.correct_answer, format!("{}) Berlin", letter(i)));
    }

    #[test]
    fn a_skipped_card_is_dropped_uncounted() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (card("a", Kind::Recall, "x", &[]), CardState::new_card()),
                (card("b", Kind::Recall, "x", &[]), CardState::new_card()),
            ],
        );
        assert_eq!(s.skip(), Err(SessionError::NotAsking));
        assert_eq!(s.prompt().unwrap().card.id.as_str(), "a");
        let (handle, state) = s.current().unwrap();
        assert_eq!((handle, state.phase), (0, Phase::New));
        s.skip().unwrap();
        assert_eq!(s.summary().left, 1);
        let p = s.prompt().unwrap();
        assert_eq!((p.card.id.as_str(), p.number, p.total), ("b", 1, 1));
        let at = t("2026-01-10T09:00:00Z");
        s.answer("x", 0, at).unwrap();
        assert_eq!(
            s.skip(),
            Err(SessionError::NotAsking),
            "an answer must be rated"
        );
        let review = s.rate(Rating::Easy, at).unwrap();
        assert_eq!(review.previous, CardState::new_card());
        assert!(s.prompt().is_none());
        assert_eq!(s.summary().answered, 1);
    }

    #[test]
    fn unanswered_prompt_counts_as_left() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (card("a", Kind::Recall, "x", &[]), CardState::new_card()),
                (card("b", Kind::Recall, "x", &[]), CardState::new_card()),
            ],
        );
        s.prompt().unwrap();
        assert_eq!(s.summary().left, 2);
    }

    const NOW: &str = "2026-01-10T09:00:00Z";

    fn recall(id: &str) -> Card {
        card(id, Kind::Recall, "x", &[])
    }

    /// A generated card of fact `fact`.
    fn of_fact(id: &str, fact: &str) -> Card {
        Card {
            generated: Some(crate::deck::Origin {
                key: format!("{fact}.{id}"),
                hash: "0".into(),
            }),
            ..recall(id)
        }
    }

    /// A review card last seen on 2026-01-01 with this stability, due on `due`.
    fn known(stability: f64, due: &str) -> CardState {
        CardState {
            memory: Some(crate::schedule::Memory {
                stability,
                difficulty: 5.0,
            }),
            ..reviewed(due)
        }
    }

    /// Answers every card with `rating` until the session ends; the ids in order.
    fn run(s: &mut Session, rating: Rating) -> Vec<String> {
        let mut ids = vec![];
        while let Some(p) = s.prompt() {
            ids.push(p.card.id.to_string());
            s.answer("x", 0, t(NOW)).unwrap();
            s.rate(rating, t(NOW)).unwrap();
        }
        ids
    }

    #[test]
    fn reviews_least_likely_recalled_come_first() {
        // Same last review and due date; the lower the stability, the lower the recall now.
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (recall("strong"), known(50.0, "2026-01-09T09:00:00Z")),
                (recall("weak"), known(2.0, "2026-01-09T09:00:00Z")),
                (recall("middling"), known(10.0, "2026-01-09T09:00:00Z")),
            ],
        );
        assert_eq!(order(&mut s), vec!["weak", "middling", "strong"]);
    }

    #[test]
    fn learning_cards_first_then_new_cards_spread_among_reviews() {
        let learning = CardState {
            phase: Phase::Learning,
            step: Some(1),
            due: Some(t("2026-01-10T08:50:00Z")),
            last_review: Some(t("2026-01-10T08:40:00Z")),
            ..reviewed("2026-01-10T08:50:00Z")
        };
        let mut cards = vec![(recall("l"), learning)];
        for i in 0..4 {
            cards.push((recall(&format!("r{i}")), reviewed("2026-01-09T09:00:00Z")));
        }
        cards.push((recall("n0"), CardState::new_card()));
        cards.push((recall("n1"), CardState::new_card()));
        let mut s = session(vec![deck(20, 200)], cards);
        // R = 4 reviews, N = 2 new: new cards after review ceil(4/3) = 2 and ceil(8/3) = 3.
        assert_eq!(order(&mut s), vec!["l", "r0", "r1", "n0", "r2", "n1", "r3"]);
    }

    #[test]
    fn interleaving_rule() {
        #[track_caller]
        fn case(r: usize, n: usize, want: &str) {
            let reviews: Vec<usize> = (0..r).collect();
            let new: Vec<usize> = (100..100 + n).collect();
            let got: String = interleave(&reviews, &new)
                .iter()
                .map(|&i| if i >= 100 { 'n' } else { 'r' })
                .collect();
            assert_eq!(got, want, "{r} reviews, {n} new");
        }
        case(0, 3, "nnn");
        case(3, 0, "rrr");
        case(4, 1, "rrnrr");
        case(1, 3, "rnnn");
        case(2, 2, "rnrn");
        case(6, 2, "rrnrrnrr");
    }

    #[test]
    fn global_limits_hold_cards_back_after_the_deck_limits() {
        let decks = vec![deck(2, 200), deck(20, 200)];
        let cards: Vec<(Card, CardState)> = (0..6)
            .map(|i| (recall(&format!("n{i}")), CardState::new_card()))
            .collect();
        let plan_cards = cards
            .into_iter()
            .enumerate()
            .map(|(i, (card, state))| StudyCard {
                handle: i as i64,
                // n0..n2 in deck 0 (limit 2), n3..n5 in deck 1.
                deck: usize::from(i >= 3),
                card,
                state,
                flag: None,
                note: None,
            })
            .collect();
        let options = Options {
            global: GlobalLimits {
                new_per_day: Some(4),
                introduced_today: 1,
                ..GlobalLimits::default()
            },
            ..Options::default()
        };
        let mut s = Session::new(
            Plan {
                decks,
                cards: plan_cards,
                now: t(NOW),
                day_start: t("2026-01-10T04:00:00Z"),
                day_end: t("2026-01-11T04:00:00Z"),
                seed: 7,
                options,
            },
            vec![Box::new(Fsrs::default()), Box::new(Fsrs::default())],
            Grader::from_cards(&[], GradeOptions::default()),
        );
        let held = s.summary().held;
        // Deck 0 gives 2 (n2 held by its limit); 4 - 1 done today = 3 in all, so deck 1
        // gives 1 and 2 are held by the global limit.
        assert_eq!((held.new, held.new_global), (1, 2));
        assert_eq!(s.summary().global.new_per_day, Some(4));
        assert_eq!(order(&mut s), vec!["n0", "n1", "n3"]);
    }

    #[test]
    fn global_review_limit() {
        let options = Options {
            global: GlobalLimits {
                reviews_per_day: Some(1),
                ..GlobalLimits::default()
            },
            ..Options::default()
        };
        let s = session_with(
            vec![deck(20, 200)],
            vec![
                (recall("a"), reviewed("2026-01-09T09:00:00Z")),
                (recall("b"), reviewed("2026-01-08T09:00:00Z")),
            ],
            options,
        );
        assert_eq!(s.summary().held.reviews_global, 1);
        assert_eq!(s.summary().left, 1);
    }

    #[test]
    fn siblings_are_not_shown_on_the_same_day() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (of_fact("a-recall", "f1"), CardState::new_card()),
                (of_fact("a-choice", "f1"), CardState::new_card()),
                (of_fact("b-recall", "f2"), CardState::new_card()),
                // Reviewed earlier today: its fact is taken for the day.
                (
                    of_fact("c-recall", "f3"),
                    CardState {
                        last_review: Some(t("2026-01-10T06:00:00Z")),
                        ..reviewed("2026-01-15T09:00:00Z")
                    },
                ),
                (of_fact("c-year", "f3"), CardState::new_card()),
                // Hand-written cards are their own siblings.
                (recall("mine"), CardState::new_card()),
                (recall("mine-too"), CardState::new_card()),
            ],
        );
        assert_eq!(s.summary().held.siblings, 2);
        assert_eq!(
            order(&mut s),
            vec!["a-recall", "b-recall", "mine", "mine-too"]
        );
        assert_eq!(recall("x").sibling(), "x");
        assert_eq!(of_fact("x", "head-1").sibling(), "head-1");
    }

    #[test]
    fn a_due_review_buries_its_new_sibling_not_the_reverse() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (of_fact("new-one", "f"), CardState::new_card()),
                (of_fact("due-one", "f"), reviewed("2026-01-09T09:00:00Z")),
            ],
        );
        assert_eq!(order(&mut s), vec!["due-one"]);
    }

    #[test]
    fn filters_by_tag_and_kind() {
        let tagged = |id: &str, kind: Kind, tags: &[&str]| Card {
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..card(
                id,
                kind,
                "x",
                &["x", "y"][..usize::from(kind == Kind::Choice) * 2],
            )
        };
        let cards = vec![
            (tagged("a", Kind::Recall, &["head"]), CardState::new_card()),
            (tagged("b", Kind::Choice, &["head"]), CardState::new_card()),
            (tagged("c", Kind::Recall, &["date"]), CardState::new_card()),
            (tagged("d", Kind::Recall, &[]), CardState::new_card()),
        ];
        let only = |tags: &[&str], kinds: &[Kind]| {
            let options = Options {
                filter: Filter {
                    tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                    kinds: kinds.to_vec(),
                },
                ..Options::default()
            };
            order(&mut session_with(
                vec![deck(20, 200)],
                cards.clone(),
                options,
            ))
        };
        assert_eq!(only(&["head"], &[]), vec!["a", "b"]);
        assert_eq!(only(&["head", "date"], &[]), vec!["a", "b", "c"]);
        assert_eq!(only(&[], &[Kind::Choice]), vec!["b"]);
        assert_eq!(only(&["head"], &[Kind::Recall]), vec!["a"]);
        assert_eq!(only(&[], &[]), vec!["a", "b", "c", "d"]);
    }

    #[test]
    fn limit_caps_the_cards_but_not_their_learning_steps() {
        let options = Options {
            limit: Some(2),
            ..Options::default()
        };
        let cards: Vec<(Card, CardState)> = (0..5)
            .map(|i| (recall(&format!("n{i}")), CardState::new_card()))
            .collect();
        let mut s = session_with(vec![deck(20, 200)], cards, options);
        assert_eq!(s.summary().held.session_limit, 3);
        assert_eq!(s.summary().limit, Some(2));
        // Good puts a new card on its 10-minute step, which comes back in the session.
        assert_eq!(run(&mut s, Rating::Good), vec!["n0", "n1", "n0", "n1"]);
    }

    #[test]
    fn time_box_stops_offering_cards_after_the_current_one() {
        let options = Options {
            time_box: Some(SignedDuration::from_mins(5)),
            ..Options::default()
        };
        let cards: Vec<(Card, CardState)> = (0..4)
            .map(|i| (recall(&format!("n{i}")), CardState::new_card()))
            .collect();
        let mut s = session_with(vec![deck(20, 200)], cards, options);
        let at = |m: i64| t(NOW) + SignedDuration::from_mins(m);
        s.prompt().unwrap();
        s.answer("x", 0, at(1)).unwrap();
        s.rate(Rating::Easy, at(1)).unwrap();
        // Asked within the box, answered after it: the card finishes, then the session ends.
        assert_eq!(s.prompt().unwrap().card.id.as_str(), "n1");
        s.answer("x", 0, at(6)).unwrap();
        s.rate(Rating::Easy, at(6)).unwrap();
        assert!(s.prompt().is_none());
        let sum = s.summary();
        assert_eq!(
            sum.stopped,
            Some(Stop::TimeBox(SignedDuration::from_mins(5)))
        );
        assert_eq!((sum.answered, sum.left), (2, 2));
        // Undoing the answer that ran past the box re-opens it for that card only.
        assert!(matches!(s.undo(), Ok(Undo::Review(_))));
        assert_eq!(s.summary().stopped, None);
        assert_eq!(s.prompt().unwrap().card.id.as_str(), "n1");
        s.answer("x", 0, at(7)).unwrap();
        s.rate(Rating::Easy, at(7)).unwrap();
        assert!(s.prompt().is_none());
    }

    #[test]
    fn cram_practises_everything_without_changing_the_schedule() {
        let tomorrow = reviewed("2026-01-11T09:00:00Z");
        let options = Options {
            cram: true,
            ..Options::default()
        };
        let mut d = deck(0, 0);
        d.introduced_today = 5;
        let mut s = session_with(
            vec![d],
            vec![
                (recall("new"), CardState::new_card()),
                (recall("not-due"), tomorrow.clone()),
                (recall("weak"), known(1.0, "2026-01-02T09:00:00Z")),
            ],
            options,
        );
        assert!(s.is_cram());
        assert_eq!(s.summary().held, Held::default(), "no limits in cram");
        let mut seen = vec![];
        let mut reviews = vec![];
        while let Some(p) = s.prompt() {
            let id = p.card.id.to_string();
            // Again once on `weak`: it comes back at the end.
            let rating = if id == "weak" && !seen.contains(&id) {
                Rating::Again
            } else {
                Rating::Good
            };
            seen.push(id);
            s.answer("x", 0, t(NOW)).unwrap();
            reviews.push(s.rate(rating, t(NOW)).unwrap());
        }
        assert_eq!(seen, vec!["weak", "not-due", "new", "weak"]);
        for r in &reviews {
            assert!(r.cram);
            assert_eq!(r.state, r.previous, "cram changes no state");
            assert_eq!(r.leech, None);
        }
        assert_eq!(reviews[1].state, tomorrow);
    }

    #[test]
    fn undo_restores_the_card_and_the_totals_and_asks_it_next() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (recall("a"), CardState::new_card()),
                (recall("b"), CardState::new_card()),
            ],
        );
        assert_eq!(s.undo(), Err(SessionError::NothingToUndo));
        let before = s.summary();
        s.prompt().unwrap();
        s.answer("x", 900, t(NOW)).unwrap();
        // Between answer and rating, undo takes back the typed answer only.
        assert_eq!(s.undo(), Ok(Undo::Answer));
        assert!(!s.awaiting_rating());
        assert_eq!(s.prompt().unwrap().card.id.as_str(), "a");
        s.answer("x", 900, t(NOW)).unwrap();
        // Good: a learning step that comes back in this session.
        let review = s.rate(Rating::Good, t(NOW)).unwrap();
        assert_eq!(s.prompt().unwrap().card.id.as_str(), "b");
        let Ok(Undo::Review(undone)) = s.undo() else {
            panic!("a rated answer to undo")
        };
        assert_eq!(
            (undone.handle, undone.card.as_str(), undone.reviewed_at),
            (0, "a", review.reviewed_at)
        );
        assert_eq!(s.summary().undone, 1);
        let after = s.summary();
        assert_eq!(
            (after.answered, after.passed, after.ratings, after.new_cards),
            (
                before.answered,
                before.passed,
                before.ratings,
                before.new_cards
            )
        );
        assert_eq!(after.response_ms, 0);
        // `a` is asked again, new, then `b` (shown before the undo), and `a` only once.
        let p = s.prompt().unwrap();
        assert_eq!((p.card.id.as_str(), p.is_new, p.total), ("a", true, 2));
        assert_eq!(s.current().unwrap().1, &CardState::new_card());
        s.answer("x", 0, t(NOW)).unwrap();
        s.rate(Rating::Easy, t(NOW)).unwrap();
        assert_eq!(run(&mut s, Rating::Easy), vec!["b"]);
    }

    #[test]
    fn undo_is_repeatable_back_to_the_first_answer() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (recall("a"), CardState::new_card()),
                (recall("b"), CardState::new_card()),
                (recall("c"), CardState::new_card()),
            ],
        );
        for _ in 0..3 {
            s.prompt().unwrap();
            s.answer("x", 0, t(NOW)).unwrap();
            s.rate(Rating::Easy, t(NOW)).unwrap();
        }
        assert!(s.prompt().is_none());
        let mut undone = vec![];
        while let Ok(Undo::Review(u)) = s.undo() {
            undone.push(u.card.to_string());
        }
        assert_eq!(undone, vec!["c", "b", "a"]);
        assert!(!s.can_undo());
        assert_eq!(s.summary().answered, 0);
        assert_eq!(run(&mut s, Rating::Easy), vec!["a", "b", "c"]);
    }

    #[test]
    fn suspend_and_bury_drop_the_card_flag_keeps_it() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![
                (recall("a"), CardState::new_card()),
                (recall("b"), CardState::new_card()),
                (recall("c"), CardState::new_card()),
            ],
        );
        assert_eq!(s.suspend(), Err(SessionError::NoCard));
        s.prompt().unwrap();
        let m = s
            .flag(Some(Flag::Red), Some("check the date".into()))
            .unwrap();
        assert_eq!(
            m.mark,
            Mark::Flag {
                flag: Some(Flag::Red),
                note: Some("check the date".into())
            }
        );
        let p = s.prompt().unwrap();
        assert_eq!(p.card.id.as_str(), "a", "flagging keeps it");
        assert_eq!((p.flag, p.note), (Some(Flag::Red), Some("check the date")));
        let m = s.suspend().unwrap();
        assert_eq!((m.handle, m.card.as_str(), m.mark), (0, "a", Mark::Suspend));
        s.prompt().unwrap();
        s.answer("x", 0, t(NOW)).unwrap();
        // Burying after an answer drops the answer: nothing to rate.
        let m = s.bury().unwrap();
        assert_eq!(
            m.mark,
            Mark::Bury {
                until: t("2026-01-11T04:00:00Z")
            }
        );
        assert!(!s.awaiting_rating());
        assert_eq!(run(&mut s, Rating::Easy), vec!["c"]);
        let sum = s.summary();
        assert_eq!((sum.suspended, sum.buried, sum.answered), (1, 1, 1));
    }

    #[test]
    fn the_eighth_lapse_makes_a_leech_that_leaves_the_session() {
        let mut d = deck(20, 200);
        d.leech_threshold = 3;
        let failing = CardState {
            lapses: 2,
            ..reviewed("2026-01-09T09:00:00Z")
        };
        let mut s = session(
            vec![d],
            vec![
                (recall("leech"), failing.clone()),
                (
                    recall("fine"),
                    CardState {
                        lapses: 0,
                        ..failing
                    },
                ),
            ],
        );
        s.prompt().unwrap();
        s.answer("x", 0, t(NOW)).unwrap();
        let review = s.rate(Rating::Again, t(NOW)).unwrap();
        assert_eq!(
            review.leech,
            Some(Leech {
                lapses: 3,
                threshold: 3
            })
        );
        assert_eq!(s.summary().leeches, 1);
        // A lapse below the threshold is not a leech, and its relearning step comes back.
        s.prompt().unwrap();
        s.answer("x", 0, t(NOW)).unwrap();
        assert_eq!(s.rate(Rating::Again, t(NOW)).unwrap().leech, None);
        assert_eq!(run(&mut s, Rating::Good), vec!["fine"], "the leech is gone");
        // Undo brings the leech back.
        let mut s2 = session(
            vec![DeckPlan {
                leech_threshold: 3,
                ..deck(20, 200)
            }],
            vec![(
                recall("leech"),
                CardState {
                    lapses: 2,
                    ..reviewed("2026-01-09T09:00:00Z")
                },
            )],
        );
        s2.prompt().unwrap();
        s2.answer("x", 0, t(NOW)).unwrap();
        s2.rate(Rating::Again, t(NOW)).unwrap();
        let Ok(Undo::Review(u)) = s2.undo() else {
            panic!("undo")
        };
        assert!(u.was_leech);
        assert_eq!(s2.summary().leeches, 0);
        assert_eq!(s2.prompt().unwrap().card.id.as_str(), "leech");
    }

    #[test]
    fn an_again_on_a_review_card_under_the_threshold_is_no_leech() {
        let mut s = session(
            vec![deck(20, 200)],
            vec![(recall("a"), reviewed("2026-01-09T09:00:00Z"))],
        );
        s.prompt().unwrap();
        s.answer("x", 0, t(NOW)).unwrap();
        let r = s.rate(Rating::Again, t(NOW)).unwrap();
        assert_eq!((r.state.lapses, r.leech), (1, None));
    }
}
