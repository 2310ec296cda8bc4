//! Writing a deck file (format v1, `docs/deck-format.md`) for people to read and edit: one
//! card after another, fields in a fixed order, text plain where YAML reads it back unchanged
//! and double-quoted otherwise (the quoting the facts writer uses). What it writes loads back
//! through `deck::load_str` to the same cards (tested).

use std::fmt::Write as _;

use jiff::SignedDuration;

use crate::deck::{Card, Deck, Kind};
use crate::facts::yaml_scalar as scalar;
use crate::schedule::SchedulerConfig;

/// The deck's own fields, written before its cards.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub new_per_day: Option<u32>,
    pub reviews_per_day: Option<u32>,
    pub strict: bool,
    pub scheduling: SchedulerConfig,
}

impl Header {
    /// A header with the default settings.
    pub fn new(id: String, name: String) -> Self {
        Self {
            id,
            name,
            description: None,
            new_per_day: None,
            reviews_per_day: None,
            strict: false,
            scheduling: SchedulerConfig::default(),
        }
    }

    /// The header of an existing deck, settings included, for `generate --merge`.
    pub fn of(deck: &Deck) -> Self {
        Self {
            id: deck.id.to_string(),
            name: deck.name.clone(),
            description: deck.description.clone(),
            new_per_day: deck.new_per_day,
            reviews_per_day: deck.reviews_per_day,
            strict: deck.strict,
            scheduling: deck.scheduling.clone(),
        }
    }
}

/// The deck as YAML: the header, then the cards in the order given.
pub fn to_yaml(header: &Header, cards: &[Card]) -> String {
    let mut out = String::new();
    out.push_str(
        "# A factdrill deck (docs/deck-format.md). Cards marked `generated:` were written by\n\
         # `factdrill generate` and are refreshed by `generate --merge`; edit one and it is kept\n\
         # as yours (docs/generation.md). Cards without the mark are hand-written.\n",
    );
    out.push_str("version: 1\n");
    let _ = writeln!(out, "id: {}", scalar(&header.id, false));
    let _ = writeln!(out, "name: {}", scalar(&header.name, false));
    if let Some(d) = &header.description {
        let _ = writeln!(out, "description: {}", scalar(d, false));
    }
    if let Some(n) = header.new_per_day {
        let _ = writeln!(out, "new_per_day: {n}");
    }
    if let Some(n) = header.reviews_per_day {
        let _ = writeln!(out, "reviews_per_day: {n}");
    }
    write_scheduling(&mut out, &header.scheduling);
    if header.strict {
        out.push_str("strict: true\n");
    }
    out.push_str("cards:\n");
    for (i, card) in cards.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_card(&mut out, card);
    }
    out
}

/// Only the settings that differ from the defaults.
fn write_scheduling(out: &mut String, s: &SchedulerConfig) {
    let d = SchedulerConfig::default();
    if s.algorithm != d.algorithm {
        let _ = writeln!(out, "scheduler: {}", s.algorithm);
    }
    if (s.desired_retention - d.desired_retention).abs() > f64::EPSILON {
        let _ = writeln!(out, "desired_retention: {}", s.desired_retention);
    }
    for (name, steps, default) in [
        ("learning_steps", &s.learning_steps, &d.learning_steps),
        ("relearning_steps", &s.relearning_steps, &d.relearning_steps),
    ] {
        if steps != default {
            let text: Vec<String> = steps.iter().map(|x| step(*x)).collect();
            let _ = writeln!(out, "{name}: [{}]", text.join(", "));
        }
    }
    if s.maximum_interval_days != d.maximum_interval_days {
        let _ = writeln!(out, "maximum_interval: {}", s.maximum_interval_days);
    }
    if s.fuzz != d.fuzz {
        let _ = writeln!(out, "fuzz: {}", s.fuzz);
    }
    // A deck's own FSRS parameters (docs/optimizer.md) survive a merge; `{}` of an f64
    // reads back as the same number.
    if s.parameters
        .iter()
        .zip(&d.parameters)
        .any(|(a, b)| a.to_bits() != b.to_bits())
    {
        let text: Vec<String> = s.parameters.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "parameters: {}", text.join(", "));
    }
}

/// A step in the largest unit that divides it: `1d`, `2h`, `10m`, `30s`.
fn step(d: SignedDuration) -> String {
    let secs = d.as_secs();
    match secs {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|t| scalar(t, true)).collect();
    format!("[{}]", items.join(", "))
}

fn write_card(out: &mut String, card: &Card) {
    let _ = writeln!(out, "  - id: {}", card.id);
    let _ = writeln!(out, "    kind: {}", card.kind);
    let _ = writeln!(out, "    prompt: {}", scalar(&card.prompt, false));
    match card.kind {
        Kind::Ordering => {
            out.push_str("    items:\n");
            for item in &card.choices {
                let _ = writeln!(out, "      - {}", scalar(item, false));
            }
        }
        Kind::TrueFalse if matches!(card.answer.as_str(), "true" | "false") => {
            let _ = writeln!(out, "    answer: {}", card.answer);
        }
        _ => {
            if card.kind == Kind::Choice {
                let _ = writeln!(out, "    choices: {}", list(&card.choices));
            }
            let _ = writeln!(out, "    answer: {}", scalar(&card.answer, false));
        }
    }
    if !card.accept.is_empty() {
        let _ = writeln!(out, "    accept: {}", list(&card.accept));
    }
    if let Some(e) = &card.explanation {
        let _ = writeln!(out, "    explanation: {}", scalar(e, false));
    }
    if let Some(s) = &card.source {
        let _ = writeln!(out, "    source: {}", scalar(s, false));
    }
    if !card.tags.is_empty() {
        let _ = writeln!(out, "    tags: {}", list(&card.tags));
    }
    if let Some(g) = &card.generated {
        let _ = writeln!(out, "    generated: {} {}", g.key, g.hash);
    }
}
