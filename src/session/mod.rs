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

pub mod format;
mod queue;

use queue::{Queue, cram_queue};

use std::collections::VecDeque;

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
    /// Whether `card` may be shown: it has one of the tags (if any are given) and one of the
    /// kinds (if any are given).
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
    /// Ask each fact in the format its memory calls for (`format`): recognition while
    /// weak, recall once strong. `None`: every card as it comes (cards are still one per
    /// fact a day).
    pub format: Option<format::Thresholds>,
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
    /// The answer was another known entity: the two facts, to show side by side (boxed:
    /// rare, and large beside the rest).
    pub confusion: Option<Box<Confusion>>,
}

/// A wrong answer that named another known entity ("Kippenberger" for "Burde"), and the
/// fact that entity is the answer of, when a card of the deck states one.
#[derive(Debug, Clone, PartialEq)]
pub struct Confusion {
    /// The entity the learner gave, by its principal name.
    pub given: String,
    /// The answer of the card that was asked.
    pub expected: String,
    /// A card of another fact whose answer is `given`.
    pub other: Option<OtherFact>,
}

/// The fact a confused entity is the right answer of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherFact {
    pub card: Id,
    pub prompt: String,
    pub answer: String,
    /// The sentence of the source document the card was made from.
    pub source: Option<String>,
}

impl Confusion {
    /// One line for the learner: "You answered Hans Kippenberger: <the sentence stating his
    /// own fact>" (its source sentence, else its question and answer); without such a card,
    /// "You answered Hans Kippenberger, another name in this deck, not Fritz Burde."
    pub fn contrast(&self) -> String {
        match &self.other {
            Some(other) => match &other.source {
                Some(source) => format!("You answered {}: {source}", self.given),
                None => format!(
                    "You answered {}: {} {}",
                    self.given, other.prompt, other.answer
                ),
            },
            None => format!(
                "You answered {}, another name in this deck, not {}.",
                self.given, self.expected
            ),
        }
    }
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
    /// The answer was another known entity (`Grade::confused_with`): the store records the
    /// pair (this card, that entity, the card's answer).
    pub confusion: Option<Box<Confusion>>,
    /// How the question was asked (from the card's kind), recorded with the review so that
    /// `evaluate` can compare predictions per format.
    pub format: format::Format,
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

/// What is put on a card.
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
        confusion: Option<Box<Confusion>>,
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

/// One study session: its queue, the card on screen and the totals. Built by `new` from a
/// `Plan`; driven by a front end (see the module documentation for the order of calls).
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
    /// Texts of the stand-ins the plan holds, given as each is about to be shown.
    texts: Option<Texts>,
}

/// Gives the card a plan holds as a stand-in (see `Session::queued`) when the card is about
/// to be shown, by its index in the plan: `Ok(Some(card))` to show that card, `Ok(None)` to
/// show the plan's card as it is, `Err(Gone)` to skip it (its text can no longer be found).
pub type Texts = Box<dyn FnMut(usize) -> Result<Option<Card>, Gone>>;

/// A stand-in's card cannot be found any more (`Texts`): it is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gone;

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
            texts: None,
        }
    }

    /// The cards the session can show, as indices into the plan's cards, in queue order:
    /// the only cards whose texts it reads. The queue rules read only a card's id, kind,
    /// tags and `generated` key, so a front end may build the plan with stand-ins carrying
    /// just those and give the queued cards their texts with `fill_card` before the first
    /// prompt (what `study` does with decks from the store's cache).
    pub fn queued(&self) -> Vec<usize> {
        self.queue.iter().copied().collect()
    }

    /// Where the texts of the queued stand-ins not filled with `fill_card` come from: each is
    /// asked for just before its card is first shown.
    pub fn texts_from(&mut self, texts: Texts) {
        self.texts = Some(texts);
    }

    /// The plan's card `index` itself, in place of a stand-in with the same id (see
    /// `queued`). Returns whether it was taken: a card with another id is refused.
    pub fn fill_card(&mut self, index: usize, card: Card) -> bool {
        match self.cards.get_mut(index) {
            Some(sc) if sc.card.id == card.id => {
                sc.card = card;
                true
            }
            _ => false,
        }
    }

    /// The question to show now, moving on to the next card if the last one is done;
    /// `None` when the session is over (queue empty, or the time box ran out).
    pub fn prompt(&mut self) -> Option<Prompt<'_>> {
        if matches!(self.stage, Stage::Idle) {
            if self.summary.stopped.is_some() {
                return None;
            }
            let index = loop {
                let index = self.queue.pop_front()?;
                match self.texts.as_mut().map_or(Ok(None), |texts| texts(index)) {
                    Ok(Some(card)) => {
                        self.fill_card(index, card);
                        break index;
                    }
                    Ok(None) => break index,
                    Err(Gone) => {}
                }
            };
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
        let confusion = grade.confused_with.as_ref().map(|given| {
            Box::new(Confusion {
                given: given.clone(),
                expected: sc.card.answer.clone(),
                other: self
                    .grader
                    .card_answering(given, sc.card.sibling())
                    .map(|c| OtherFact {
                        card: c.id.clone(),
                        prompt: c.prompt.clone(),
                        answer: c.answer.clone(),
                        source: c.source.clone(),
                    }),
            })
        });
        let feedback = Feedback {
            suggested: grade.suggested_rating(),
            grade: grade.clone(),
            correct_answer,
            intervals,
            confusion: confusion.clone(),
        };
        self.stage = Stage::Rating {
            index,
            choices,
            typed: typed.trim().to_owned(),
            grade,
            response_ms,
            confusion,
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
        let (index, typed, grade, response_ms, confusion) =
            match std::mem::replace(&mut self.stage, Stage::Idle) {
                Stage::Rating {
                    index,
                    typed,
                    grade,
                    response_ms,
                    confusion,
                    ..
                } => (index, typed, grade, response_ms, confusion),
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
            confusion,
            format: format::Format::of(sc.card.kind),
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

/// `a`, `b`, ... for choice number `i` (0-based).
pub fn letter(i: usize) -> char {
    char::from(b'a' + (i % 26) as u8)
}

#[cfg(test)]
mod tests;
