//! Answer grading: what the learner typed, against a card, gives a verdict, a score, a short
//! explanation and a suggested rating. Pure: no I/O, no clock, no randomness.
//!
//! One file per concern: `normalize` (case, diacritics, punctuation, articles, numbers),
//! `translit` (romanisation skeletons), `names` (people, forms, typo budget), `index` (known
//! entities and aliases), `recall` (free text), `dates`, `choice` (choices and true/false),
//! `ordering`. `docs/grading.md` explains the rules to users.

mod choice;
mod dates;
mod index;
mod names;
mod normalize;
mod ordering;
mod recall;
#[cfg(test)]
mod tests;
mod translit;

use std::fmt;

use crate::deck::{Card, Kind};
use crate::schedule::Rating;

pub use choice::{grade_choice, grade_true_false};
pub use dates::{DateExpr, Point, grade_date, grade_year};
pub use normalize::normalize;
pub use ordering::grade_ordering;

use index::{AliasBook, EntityIndex};

/// A card tag that makes the grader require the full name (given name and surname).
pub const TAG_FULL_NAME: &str = "full-name";
/// A card tag that makes the grader accept only exact answers (after normalisation).
pub const TAG_STRICT: &str = "strict";

/// How an answer was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Right, after normalisation (case, accents, punctuation, articles, number words).
    Correct,
    /// Right, with a typo or in another spelling of the same name.
    Close,
    /// Partly right: part of a name, one end of a span, the year of a full date, some of
    /// an ordering.
    Partial,
    Wrong,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Close => "close",
            Verdict::Partial => "partial",
            Verdict::Wrong => "wrong",
        }
    }

    /// Right enough to count as remembered (correct or close).
    pub fn passed(self) -> bool {
        matches!(self, Verdict::Correct | Verdict::Close)
    }

    /// Higher is better; for picking the best of several readings of an answer.
    fn rank(self) -> u8 {
        match self {
            Verdict::Wrong => 0,
            Verdict::Partial => 1,
            Verdict::Close => 2,
            Verdict::Correct => 3,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The judgement of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub verdict: Verdict,
    /// One line for the learner: "accepted: Piatnitsky — you wrote Pyatnitsky, a spelling
    /// variant".
    pub explanation: String,
    /// 0 (wrong) to 1 (correct); partial credit in between.
    pub score: f64,
    /// A wrong answer that is another known entity (a person, place or organisation of the
    /// deck, by its principal name): the learner confused the two ("Kippenberger" for
    /// "Burde"). `None` for every other verdict, and for wrong answers that name nothing
    /// known (dates, numbers and unknown words are not entities).
    pub confused_with: Option<String>,
}

impl Grade {
    fn new(verdict: Verdict, score: f64, explanation: String) -> Self {
        let score = if score.is_nan() {
            0.0
        } else {
            score.clamp(0.0, 1.0)
        };
        Self {
            verdict,
            explanation,
            score,
            confused_with: None,
        }
    }

    /// This wrong grade, noting that the answer given is the known entity `name`.
    fn confused(mut self, name: &str) -> Self {
        if self.verdict == Verdict::Wrong {
            self.confused_with = Some(name.to_owned());
        }
        self
    }

    fn no_answer(answer: &str) -> Self {
        Self::new(
            Verdict::Wrong,
            0.0,
            format!("wrong: no answer; the answer is {}", shown(answer)),
        )
    }

    /// The rating to offer by default: wrong -> Again, close or partial -> Hard, correct ->
    /// Good. Easy is never suggested: only the learner knows an answer was easy.
    pub fn suggested_rating(&self) -> Rating {
        match self.verdict {
            Verdict::Wrong => Rating::Again,
            Verdict::Close | Verdict::Partial => Rating::Hard,
            Verdict::Correct => Rating::Good,
        }
    }

    /// The better of two grades: higher verdict, then higher score.
    fn best(self, other: Self) -> Self {
        let key = |g: &Self| (g.verdict.rank(), g.score);
        if key(&other) > key(&self) {
            other
        } else {
            self
        }
    }
}

/// How lenient the grader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GradeOptions {
    /// Only exact answers after normalisation: no typos, no spelling variants, no shortened
    /// names, no partial credit for names.
    pub strict: bool,
    /// Accept a person's surname alone ("Piatnitsky" for "Osip Piatnitsky").
    pub surname_alone: bool,
}

impl Default for GradeOptions {
    fn default() -> Self {
        Self {
            strict: false,
            surname_alone: true,
        }
    }
}

impl GradeOptions {
    /// These options with a card's tags applied (`full-name`, `strict`).
    #[must_use]
    pub fn for_card(self, card: &Card) -> Self {
        let tagged = |tag: &str| card.tags.iter().any(|t| t == tag);
        Self {
            strict: self.strict || tagged(TAG_STRICT),
            surname_alone: self.surname_alone && !tagged(TAG_FULL_NAME),
        }
    }
}

/// Grades answers for one session. Building it indexes every known name once; grading is
/// then a few microseconds per answer, even over 10k names.
#[derive(Debug)]
pub struct Grader {
    /// The known-name index and the cards the names came from (none for `Grader::new`):
    /// `card_answering` finds the fact that a confused entity is the answer of.
    known: Names,
    aliases: AliasBook,
    options: GradeOptions,
}

/// The names a deck knows: every answer, accepted answer and choice.
fn entity_names(cards: &[Card]) -> impl Iterator<Item = String> + '_ {
    cards.iter().flat_map(|card| {
        std::iter::once(&card.answer)
            .chain(&card.accept)
            .chain(&card.choices)
            .cloned()
    })
}

/// The known names indexed, with the cards they came from.
#[derive(Debug, Default)]
struct Known {
    index: EntityIndex,
    cards: Vec<Card>,
}

impl Known {
    fn of(cards: Vec<Card>) -> Self {
        Self {
            index: EntityIndex::new(entity_names(&cards)),
            cards,
        }
    }
}

/// The known names, either ready or being read and indexed on another thread
/// (`Grader::in_background`, `Grader::loading`): a session over 100k cards can show its
/// first prompt while the ~100k names are indexed, and the first answer waits only if the
/// index is not ready.
#[derive(Debug)]
struct Names {
    ready: std::sync::OnceLock<Known>,
    building: std::sync::Mutex<Option<std::thread::JoinHandle<Known>>>,
}

impl Names {
    fn built(known: Known) -> Self {
        Self {
            ready: std::sync::OnceLock::from(known),
            building: std::sync::Mutex::new(None),
        }
    }

    fn get(&self) -> &Known {
        self.ready.get_or_init(|| {
            let handle = self
                .building
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            // Indexing does not panic (fuzzed); if it ever did, grading goes on without
            // the known-name guard rather than failing the session.
            handle.and_then(|h| h.join().ok()).unwrap_or_default()
        })
    }
}

/// A way to produce the cards whose names a grader knows, run once.
type CardSource = Box<dyn FnOnce() -> Vec<Card> + Send>;

impl Grader {
    /// `entities`: every person, place or organisation name known in the deck or facts
    /// (answers of other cards, choices, aliases), used to refuse an answer that is really
    /// another known entity. `aliases`: groups of names that denote the same entity.
    pub fn new(
        entities: impl IntoIterator<Item = String>,
        aliases: Vec<Vec<String>>,
        options: GradeOptions,
    ) -> Self {
        let aliases = AliasBook::new(aliases);
        let alias_names: Vec<String> = aliases.names().map(str::to_owned).collect();
        let index = EntityIndex::new(entities.into_iter().chain(alias_names));
        Self {
            known: Names::built(Known {
                index,
                cards: Vec::new(),
            }),
            aliases,
            options,
        }
    }

    /// A grader whose known entities are the answers, accepted answers and choices of
    /// `cards`. Accepted answers are not treated as aliases across cards: a card may accept
    /// several different people for one question.
    pub fn from_cards(cards: &[Card], options: GradeOptions) -> Self {
        Self {
            known: Names::built(Known::of(cards.to_vec())),
            aliases: AliasBook::new(Vec::new()),
            options,
        }
    }

    /// `from_cards`, with the names indexed on another thread: returns at once, and the first
    /// `grade` waits for the index if it is not finished. Indexes here, as `from_cards` does,
    /// if no thread can be started.
    pub fn in_background(cards: Vec<Card>, options: GradeOptions) -> Self {
        Self::loading(move || cards, options)
    }

    /// `in_background`, with the cards themselves produced on that thread by `load` (read
    /// from the store's cache of a large collection, say), so that neither reading them nor
    /// indexing their names delays the first prompt. `load` runs here if no thread can be
    /// started.
    pub fn loading(
        load: impl FnOnce() -> Vec<Card> + Send + 'static,
        options: GradeOptions,
    ) -> Self {
        let load: CardSource = Box::new(load);
        // Shared so that the work can be taken back if the thread does not start.
        let work = std::sync::Arc::new(std::sync::Mutex::new(Some(load)));
        let theirs = std::sync::Arc::clone(&work);
        let run = move |work: &std::sync::Mutex<Option<CardSource>>| {
            let load = work
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            load.map(|load| Known::of(load())).unwrap_or_default()
        };
        let known = match std::thread::Builder::new()
            .name("grade-index".into())
            .spawn(move || run(&theirs))
        {
            Ok(handle) => Names {
                ready: std::sync::OnceLock::new(),
                building: std::sync::Mutex::new(Some(handle)),
            },
            Err(_) => Names::built(run(&work)),
        };
        Self {
            known,
            aliases: AliasBook::new(Vec::new()),
            options,
        }
    }

    pub fn options(&self) -> GradeOptions {
        self.options
    }

    /// A card of another fact whose answer is `entity` (a name from `Grade::confused_with`):
    /// the fact that makes the confused name right elsewhere, to show beside the missed one.
    /// `sibling` is the missed card's `Card::sibling`, whose cards are skipped. Prefers a
    /// card with a source sentence, then a typed question (its prompt reads as a statement
    /// of the fact), then any; among equals, the first in deck order. A linear search: it
    /// runs only after a confusion.
    pub fn card_answering(&self, entity: &str, sibling: &str) -> Option<&Card> {
        let wanted = normalize(entity);
        let has_aliases = self.aliases.names().next().is_some();
        // Normalising is the cheap test; parsing the name (for its alias group) only when
        // there are aliases at all.
        let names_it = |text: &str| {
            let norm = normalize(text);
            !norm.is_empty()
                && (norm == wanted
                    || has_aliases
                        && self.aliases.principal(&names::Name::parse(text)).norm == wanted)
        };
        self.known
            .get()
            .cards
            .iter()
            .filter(|c| {
                c.sibling() != sibling && !matches!(c.kind, Kind::TrueFalse | Kind::Ordering)
            })
            .filter(|c| names_it(&c.answer) || c.accept.iter().any(|a| names_it(a)))
            .min_by_key(|c| (c.source.is_none(), c.kind != Kind::Recall))
    }

    /// How many distinct known names were indexed (aliases included).
    pub fn known_names(&self) -> usize {
        self.known.get().index.len()
    }

    /// Grades `typed` for `card`. `choices_shown` is the list in the order shown to the
    /// learner (it may be shuffled from `card.choices`; empty means `card.choices` as they
    /// are); it is ignored for typed cards.
    pub fn grade(&self, card: &Card, choices_shown: &[String], typed: &str) -> Grade {
        self.grade_with(card, choices_shown, typed, self.options.for_card(card))
    }

    /// As `grade`, with options chosen by the caller (card tags are not applied).
    pub fn grade_with(
        &self,
        card: &Card,
        choices_shown: &[String],
        typed: &str,
        options: GradeOptions,
    ) -> Grade {
        match card.kind {
            Kind::Recall => self.grade_recall(&card.answer, &card.accept, typed, options),
            Kind::Choice => {
                // A front end that did not shuffle may pass nothing: the card's own order.
                let shown = if choices_shown.is_empty() {
                    &card.choices
                } else {
                    choices_shown
                };
                let grade = grade_choice(&card.answer, &card.accept, shown, typed, options.strict);
                // A choice picked wrongly is a confusion only if it names a known entity
                // (not a year or a number).
                let known = grade.confused_with.as_deref().and_then(|chosen| {
                    let name = names::Name::parse(chosen);
                    let known = self.known.get().index.exact(&name.skel, |_| true)?;
                    Some(self.aliases.principal(known).display.clone())
                });
                Grade {
                    confused_with: known,
                    ..grade
                }
            }
            // A year answer is a date, which `grade_recall` recognises and grades as one;
            // a cloze gap is graded like any typed answer.
            Kind::Year | Kind::Cloze => {
                self.grade_recall(&card.answer, &card.accept, typed, options)
            }
            Kind::TrueFalse => grade_true_false(card.answer == "true", typed),
            Kind::Ordering => {
                // `card.choices` holds the items in the right order; the learner orders the
                // letters of the items as shown.
                let shown = if choices_shown.is_empty() {
                    &card.choices
                } else {
                    choices_shown
                };
                let expected: Vec<usize> = card
                    .choices
                    .iter()
                    .filter_map(|item| shown.iter().position(|s| s == item))
                    .collect();
                grade_ordering(&expected, typed, shown.len())
            }
        }
    }

    /// Grades a typed answer against `answer` and its accepted alternatives: as a date when
    /// the answer is one, else as a name or short text.
    pub fn grade_recall(
        &self,
        answer: &str,
        accept: &[String],
        typed: &str,
        options: GradeOptions,
    ) -> Grade {
        if normalize(typed).is_empty() {
            return Grade::no_answer(answer);
        }
        if let Some(expected) = dates::parse(answer) {
            let typed_norm = normalize(typed);
            let mut best = grade_date(&expected, typed);
            for alternative in accept {
                let grade = if let Some(date) = dates::parse(alternative) {
                    grade_date(&date, typed)
                } else if normalize(alternative) == typed_norm {
                    Grade::new(Verdict::Correct, 1.0, format!("correct: {}", shown(answer)))
                } else {
                    continue;
                };
                best = best.best(grade);
            }
            return best;
        }
        recall::grade_text(
            &self.known.get().index,
            &self.aliases,
            answer,
            accept,
            typed,
            options,
        )
    }
}

/// Text quoted in an explanation: trimmed, at most 40 characters, control and bidi
/// characters escaped so that they cannot garble the terminal.
fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let text = text.trim();
    let mut cut: String = text.chars().take(MAX).collect();
    if text.chars().nth(MAX).is_some() {
        cut.push('…');
    }
    crate::term::safe(&cut)
}
