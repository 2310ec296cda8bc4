//! The quiz as a pure state machine: a queue of due then new cards, and for each one
//! prompt -> answer (graded) -> rating -> a review to record. It knows nothing of the
//! terminal, the clock or the database: front ends pass in what the learner typed and the
//! time, and write out the reviews it returns.

use std::collections::VecDeque;

use jiff::{SignedDuration, Timestamp};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::deck::{Card, Id, Kind};
use crate::grade::{Grade, GradeOptions, Grader, Verdict};
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
}

/// One deck's part in a session: its limits and what was already done today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckPlan {
    pub name: String,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    /// Reviews of already-known cards done earlier today.
    pub reviewed_today: u32,
    /// New cards introduced earlier today.
    pub introduced_today: u32,
    /// Grade this deck's answers strictly: exact after normalisation only.
    pub strict: bool,
}

/// What a session is built from.
pub struct Plan {
    pub decks: Vec<DeckPlan>,
    pub cards: Vec<StudyCard>,
    /// When the session starts.
    pub now: Timestamp,
    /// End of the learner's day: review cards due before it are due today.
    pub day_end: Timestamp,
    /// Seeds the order of choices.
    pub seed: u64,
}

/// Why cards that are due were left out of the session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Held {
    /// Due reviews left for another day by the reviews-per-day limit.
    pub reviews: u32,
    /// New cards left by the new-per-day limit.
    pub new: u32,
}

/// What to show the learner now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prompt<'a> {
    pub card: &'a Card,
    pub deck_name: &'a str,
    /// Choices in the order to show them (shuffled per card and seed).
    pub choices: &'a [String],
    /// 1-based number of this prompt in the session.
    pub number: u32,
    /// Prompts answered plus prompts still queued, this one included.
    pub total: u32,
    pub is_new: bool,
}

/// The outcome of an answer, before the learner confirms a rating.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub grade: Grade,
    /// The card's canonical answer (for choice cards, with its letter).
    pub correct_answer: String,
    pub suggested: Rating,
    /// What each rating would schedule, Again..Easy.
    pub intervals: [SignedDuration; 4],
}

/// One answer, ready to be committed to the review log.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub handle: i64,
    pub card: Id,
    pub reviewed_at: Timestamp,
    pub rating: Rating,
    pub answer: String,
    pub verdict: Verdict,
    pub response_ms: u64,
    pub scheduler: &'static str,
    /// The card's state after this review.
    pub state: CardState,
    /// The card's state before it, as this session held it (the store uses it to notice a
    /// review of the same card by another process).
    pub previous: CardState,
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
    /// Due cards the daily limits kept out of the session.
    pub held: Held,
    /// Sum of response times.
    pub response_ms: u64,
}

/// Calls made out of order: a front-end bug, reported rather than panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("there is no question waiting for an answer")]
    NotAsking,
    #[error("there is no graded answer waiting for a rating")]
    NotRating,
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
}

impl Session {
    /// Builds the queue: due cards (learning cards due now, review cards due today) oldest
    /// first, then new cards in deck order, each within its deck's daily limits.
    /// `schedulers` holds one scheduler per deck of the plan, in the same order.
    pub fn new(plan: Plan, schedulers: Vec<Box<dyn Scheduler>>, grader: Grader) -> Self {
        let Plan {
            decks,
            cards,
            now,
            day_end,
            seed,
        } = plan;
        let mut due: Vec<usize> = Vec::new();
        let mut new: Vec<usize> = Vec::new();
        for (index, sc) in cards.iter().enumerate() {
            match sc.state.phase {
                Phase::New => new.push(index),
                Phase::Learning | Phase::Relearning => {
                    if sc.state.due.is_none_or(|d| d <= now + LEARN_AHEAD) {
                        due.push(index);
                    }
                }
                Phase::Review => {
                    if sc.state.due.is_none_or(|d| d < day_end) {
                        due.push(index);
                    }
                }
            }
        }
        due.sort_by_key(|&i| (cards[i].state.due, i));
        let mut held = Held::default();
        let mut reviews_left: Vec<u32> = decks
            .iter()
            .map(|d| d.reviews_per_day.saturating_sub(d.reviewed_today))
            .collect();
        let mut new_left: Vec<u32> = decks
            .iter()
            .map(|d| d.new_per_day.saturating_sub(d.introduced_today))
            .collect();
        let mut queue = VecDeque::new();
        for i in due {
            // Learning steps are part of learning a card, not extra reviews: never held.
            let learning = cards[i].state.phase != Phase::Review;
            let left = &mut reviews_left[cards[i].deck];
            if learning || *left > 0 {
                if !learning {
                    *left -= 1;
                }
                queue.push_back(i);
            } else {
                held.reviews += 1;
            }
        }
        for i in new {
            let left = &mut new_left[cards[i].deck];
            if *left > 0 {
                *left -= 1;
                queue.push_back(i);
            } else {
                held.new += 1;
            }
        }
        Self {
            decks,
            cards,
            summary: Summary {
                held,
                left: queue.len() as u32,
                ..Summary::default()
            },
            queue,
            schedulers,
            grader,
            seed,
            stage: Stage::Idle,
        }
    }

    /// The question to show now, moving on to the next card if the last one is done;
    /// `None` when the session is over.
    pub fn prompt(&mut self) -> Option<Prompt<'_>> {
        if matches!(self.stage, Stage::Idle) {
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
            deck_name: &self.decks[sc.deck].name,
            choices,
            number: self.summary.answered + 1,
            total: self.summary.answered + 1 + self.queue.len() as u32,
            is_new: sc.state.phase == Phase::New,
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
    /// this session.
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
        let state = scheduler.review(&sc.state, rating, at);
        let previous = std::mem::replace(&mut sc.state, state.clone());
        if state.phase != Phase::Review && state.due.is_some_and(|d| d <= at + LEARN_AHEAD) {
            self.queue.push_back(index);
        }
        let s = &mut self.summary;
        s.answered += 1;
        s.passed += u32::from(grade.verdict.passed());
        s.ratings[usize::from(rating.number() - 1)] += 1;
        s.new_cards += u32::from(was_new);
        s.response_ms += response_ms;
        s.left = self.queue.len() as u32;
        Ok(Review {
            handle: sc.handle,
            card: sc.card.id.clone(),
            reviewed_at: at,
            rating,
            answer: typed,
            verdict: grade.verdict,
            response_ms,
            scheduler: scheduler.name(),
            state,
            previous,
        })
    }

    /// The store handle and state of the card being asked, as this session holds them.
    /// A front end on a shared database checks them against the store before showing the
    /// question (another process may have reviewed the card since the queue was built) and
    /// calls `skip` if the card is no longer due. Keeping that check out of the session keeps
    /// it free of I/O.
    pub fn current(&self) -> Option<(i64, &CardState)> {
        match &self.stage {
            Stage::Asking { index, .. } | Stage::Rating { index, .. } => {
                let sc = &self.cards[*index];
                Some((sc.handle, &sc.state))
            }
            Stage::Idle => None,
        }
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
            name: "Deck".into(),
            new_per_day,
            reviews_per_day,
            reviewed_today: 0,
            introduced_today: 0,
            strict: false,
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
        let cards = cards
            .into_iter()
            .enumerate()
            .map(|(i, (card, state))| StudyCard {
                handle: i as i64,
                deck: 0,
                card,
                state,
            })
            .collect();
        let plan = Plan {
            decks,
            cards,
            now: t("2026-01-10T09:00:00Z"),
            day_end: t("2026-01-11T04:00:00Z"),
            seed: 7,
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
    fn due_cards_come_first_oldest_first_then_new_in_deck_order() {
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
        assert_eq!(
            order(&mut s),
            vec!["oldest", "late", "later-today", "n1", "n2"]
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
        assert_eq!(s.summary().held, Held { reviews: 1, new: 1 });
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
}
