//! Decks and cards: the in-memory form of a deck file (format v1, `docs/deck-format.md`).
//!
//! A card's identity is its `id` within its deck, never its text or position, so editing a
//! prompt or reordering a file keeps a learner's history. Loading and validation live in
//! `load.rs`; this file holds only the types.

mod load;

use std::fmt;
use std::path::PathBuf;

pub use load::{MAX_TEXT_CHARS, content_hash, load, load_str};

use crate::schedule::SchedulerConfig;

/// The deck format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A deck's or card's identifier: ASCII letters, digits and `-_.:`; 1 to 100 characters.
/// Stable by contract: the store keys a learner's history on it.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Id(String);

impl Id {
    pub const MAX_LEN: usize = 100;

    /// Checks the id's spelling; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("an id cannot be empty".to_owned());
        }
        if text.len() > Self::MAX_LEN {
            return Err(format!(
                "an id can have at most {} characters, this one has {}",
                Self::MAX_LEN,
                text.len()
            ));
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        {
            let what = if bad.is_whitespace() {
                "a space".to_owned()
            } else {
                format!("`{}`", bad.escape_default())
            };
            return Err(format!(
                "id `{}` has {what}; ids use only ASCII letters, digits and - _ . :",
                crate::term::safe(text),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of question a card asks, which decides how it is shown and graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// A typed answer.
    Recall,
    /// Pick one of `choices`.
    Choice,
    /// "In what year ...?": a year or span; fuller dates of that year are accepted.
    Year,
    /// A statement to judge true or false.
    TrueFalse,
    /// A sentence with a blank (`___`) to fill.
    Cloze,
    /// Put `choices` (listed in the right order in the file) in order.
    Ordering,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Recall,
        Kind::Choice,
        Kind::Year,
        Kind::TrueFalse,
        Kind::Cloze,
        Kind::Ordering,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Recall => "recall",
            Kind::Choice => "choice",
            Kind::Year => "year",
            Kind::TrueFalse => "truefalse",
            Kind::Cloze => "cloze",
            Kind::Ordering => "ordering",
        }
    }

    /// Cards whose options are shown lettered (and shuffled): choice and ordering.
    pub fn has_options(self) -> bool {
        matches!(self, Kind::Choice | Kind::Ordering)
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Card {
    pub id: Id,
    pub kind: Kind,
    pub prompt: String,
    /// The canonical answer, shown as "the correct answer".
    pub answer: String,
    /// Other answers that are also right ("Moskvin" for "Mikhail Trilisser").
    pub accept: Vec<String>,
    /// For `choice` cards: the options, the answer among them. For `ordering` cards: the
    /// items, in the right order (the deck file calls them `items`).
    pub choices: Vec<String>,
    pub explanation: Option<String>,
    /// The sentence of the source document this card was made from.
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// Set on cards `factdrill generate` wrote: which question they were made for and a hash of
    /// their content as written, so a later `generate --merge` can tell an untouched generated
    /// card (refreshed) from one a person edited (kept). `None`: a card written by hand.
    pub generated: Option<Origin>,
    /// Line of the card in its file, for messages.
    pub line: u32,
}

impl Card {
    /// The key its siblings share: cards of one fact are not shown on the same day. A
    /// generated card carries its fact's identity in `generated:` (the key up to its first
    /// `.`: `head-586a9d77a2` for `head-586a9d77a2.recall-person`), so every question about
    /// that fact shares it; a card without `generated:` is its own only sibling (its id).
    pub fn sibling(&self) -> &str {
        match &self.generated {
            Some(origin) => origin.key.split('.').next().unwrap_or(&origin.key),
            None => self.id.as_str(),
        }
    }

    /// The kind of fact the card asks about (head, date, location, alias), for statistics
    /// per relation: its first tag that names one (`generate` tags every card with its
    /// fact's kind), else the fact named by its `generated:` key (`head-586a9d77a2....`).
    /// `None` for a hand-written card without such a tag.
    pub fn fact_kind(&self) -> Option<crate::facts::Kind> {
        self.tags
            .iter()
            .find_map(|t| crate::facts::Kind::parse(t))
            .or_else(|| {
                let key = &self.generated.as_ref()?.key;
                let fact = key.split('.').next()?;
                crate::facts::Kind::parse(fact.split('-').next()?)
            })
    }

    /// What kind of question the card is: the part of its `generated:` key after the fact
    /// (`recall-person`, `choice`, `year`...), else its card kind (`recall`, `choice`...).
    pub fn question_kind(&self) -> &str {
        self.generated
            .as_ref()
            .and_then(|o| o.key.split_once('.'))
            .map(|(_, what)| what)
            .filter(|what| !what.is_empty())
            .unwrap_or(self.kind.as_str())
    }
}

/// Where a generated card came from (the card field `generated: KEY HASH`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    /// The generator's stable key for the question (`head-586a9d77a2.recall-person`).
    pub key: String,
    /// The hash of the card's content when the generator wrote it.
    pub hash: String,
}

/// A deck: named cards plus the settings that apply to them.
/// Serde (de)serialises a validated deck for the store's parsed-deck cache
/// (`store::Store::cached_deck`); files are read by `load` only.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Deck {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    /// New cards introduced per day; `None` uses the session default.
    pub new_per_day: Option<u32>,
    /// Reviews per day; `None` uses the session default.
    pub reviews_per_day: Option<u32>,
    /// Grade answers strictly: exact after normalisation, no typos or variants.
    pub strict: bool,
    /// Lapses that make a card a leech (tagged and suspended); `None` uses the default (8),
    /// 0 turns leeches off.
    pub leech_threshold: Option<u32>,
    /// How this deck's cards are scheduled (algorithm, retention, steps, ...).
    pub scheduling: SchedulerConfig,
    /// The file gives FSRS `parameters`: parameters saved by `factdrill optimize` do not
    /// replace them.
    pub fixed_parameters: bool,
    pub cards: Vec<Card>,
    /// Where the deck was loaded from (empty for decks loaded from a string).
    pub path: PathBuf,
    /// A hash of the file's bytes, so an unchanged deck need not be synchronised again.
    pub content_hash: String,
}

impl Deck {
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id.as_str() == id)
    }
}

#[cfg(test)]
mod topic_tests {
    use super::*;
    use crate::facts::Kind as Fact;

    fn card(kind: &str, tags: &str, generated: &str) -> Card {
        let mut text = format!(
            "id: d\nname: D\ncards:\n  - id: c\n    kind: {kind}\n    prompt: p\n    answer: \"1921\"\n    tags: [{tags}]\n"
        );
        if kind == "choice" {
            text.push_str("    choices: [\"1921\", \"1922\"]\n");
        }
        if !generated.is_empty() {
            text.push_str(&format!("    generated: {generated} 0123456789\n"));
        }
        load_str(&text).expect("valid deck").cards.remove(0)
    }

    #[track_caller]
    fn case(kind: &str, tags: &str, generated: &str, fact: Option<Fact>, question: &str) {
        let c = card(kind, tags, generated);
        assert_eq!(
            c.fact_kind(),
            fact,
            "tags [{tags}], generated {generated:?}"
        );
        assert_eq!(c.question_kind(), question);
    }

    #[test]
    fn fact_kind_from_tags_or_the_generated_key_and_question_kind_from_the_key() {
        case(
            "year",
            "date",
            "date-24398ca200.year",
            Some(Fact::Date),
            "year",
        );
        case(
            "recall",
            "head",
            "head-60b2c4a527.recall-person",
            Some(Fact::Head),
            "recall-person",
        );
        // A hand-tagged card without a key: its tag, and its card kind.
        case(
            "choice",
            "china, location",
            "",
            Some(Fact::Location),
            "choice",
        );
        // No fact tag: the key's fact; a key for several facts names none.
        case(
            "recall",
            "",
            "alias-0123456789.recall-alias",
            Some(Fact::Alias),
            "recall-alias",
        );
        case(
            "recall",
            "",
            "person-1c9e0d4f2a.recall-where",
            None,
            "recall-where",
        );
        case("recall", "hard", "", None, "recall");
    }
}
