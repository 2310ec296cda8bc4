//! Question format chosen from memory (`docs/scheduling.md`, "Format by memory strength"):
//! for a fact with several cards, recognition (multiple choice, true/false) while the fact's
//! memory is weak, recall (typed, year, cloze) once it is strong. Pure: the plan's cards,
//! their states and the time in; which card of the fact to show out.

use jiff::Timestamp;

use super::StudyCard;
use crate::deck::Kind;
use crate::schedule::Scheduler;

/// How a question is answered: recognising the answer among options, or recalling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Multiple choice, true/false.
    Recognition,
    /// Typed answers: recall, year, cloze.
    Recall,
    /// Putting items in order: neither, never swapped.
    Ordering,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Recognition, Format::Recall, Format::Ordering];

    pub fn of(kind: Kind) -> Self {
        match kind {
            Kind::Choice | Kind::TrueFalse => Format::Recognition,
            Kind::Recall | Kind::Year | Kind::Cloze => Format::Recall,
            Kind::Ordering => Format::Ordering,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Recognition => "recognition",
            Format::Recall => "recall",
            Format::Ordering => "ordering",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// When a fact is strong enough for recall questions (`study --recall-after DAYS
/// --recall-above PERCENT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Recall once the fact's stability is at least this many days...
    pub recall_stability_days: u32,
    /// ... and its recall probability now at least this percentage.
    pub recall_retrievability_percent: u8,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            recall_stability_days: 7,
            recall_retrievability_percent: 70,
        }
    }
}

/// The format a fact should be asked in: recall when its memory is strong by `thresholds`,
/// recognition otherwise. The fact's memory is its strongest card's (highest stability):
/// what is known of the fact in any format. A fact never reviewed, or under a scheduler
/// without a memory model (SM-2), is weak.
pub fn wanted(
    fact: &[&StudyCard],
    schedulers: &[Box<dyn Scheduler>],
    now: Timestamp,
    thresholds: Thresholds,
) -> Format {
    let strongest = fact
        .iter()
        .filter_map(|sc| sc.state.memory.map(|m| (m.stability, *sc)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let Some((stability, sc)) = strongest else {
        return Format::Recognition;
    };
    let r = schedulers
        .get(sc.deck)
        .and_then(|s| s.retrievability(&sc.state, now))
        .unwrap_or(0.0);
    if stability >= f64::from(thresholds.recall_stability_days)
        && r * 100.0 >= f64::from(thresholds.recall_retrievability_percent)
    {
        Format::Recall
    } else {
        Format::Recognition
    }
}

/// The card of `fact` to show instead of `queued` (one of them): `queued` itself if it is
/// already in the `wanted` format or is an ordering, or if the fact has no card in that
/// format; otherwise the card in that format least likely recalled now (never reviewed
/// cards last), the first in the plan among equals. `recall` gives a card's recall
/// probability now.
pub fn choose(
    queued: usize,
    fact: &[usize],
    cards: &[StudyCard],
    wanted: Format,
    recall: impl Fn(usize) -> f64,
) -> usize {
    let format = Format::of(cards[queued].card.kind);
    if format == wanted || format == Format::Ordering {
        return queued;
    }
    fact.iter()
        .copied()
        .filter(|&i| Format::of(cards[i].card.kind) == wanted)
        .min_by(|&a, &b| recall(a).total_cmp(&recall(b)).then(a.cmp(&b)))
        .unwrap_or(queued)
}
