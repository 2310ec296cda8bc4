//! The `generate` and `build` subcommands' work, for the CLI to call: facts (read from a file,
//! or extracted from an article) -> cards -> optionally merged into an existing deck -> deck
//! YAML, checked by loading it back. No printing here; the caller prints the summary.

use std::path::Path;

use super::{
    Header, MergeReport, Options, content_ids, deck_identity, generate, merge_with, to_yaml,
};
use crate::deck::{self, Kind};
use crate::error::Error;
use crate::facts::Facts;
use crate::yaml::{Pos, Problem};

/// How to make the deck.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub options: Options,
    /// Overrides of the deck id and name (else the merged deck's, else from the topic).
    pub id: Option<&'a str>,
    pub name: Option<&'a str>,
    /// An existing deck to merge into, and whether matching hand-written cards are replaced.
    pub merge: Option<&'a Path>,
    pub adopt: bool,
}

/// The deck text and a one-line summary of it.
#[derive(Debug, Clone)]
pub struct Made {
    pub yaml: String,
    pub summary: String,
}

/// Reads a facts file and makes its deck. `fallback` names the deck when the facts have no
/// topic (the file's stem).
pub fn from_facts_file(path: &Path, request: &Request<'_>) -> Result<Made, Error> {
    let facts = crate::facts::load(path)?;
    make(&facts, &stem(path), request)
}

/// Extracts an article's facts and makes their deck in one step.
pub fn from_article(path: &Path, request: &Request<'_>) -> Result<Made, Error> {
    let text = crate::text::read(path, crate::extract::command::MAX_ARTICLE_BYTES)?;
    let facts = crate::extract::extract(&text);
    make(&facts, &stem(path), request)
}

fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.split('.').next().unwrap_or("deck").to_owned()
}

pub fn make(facts: &Facts, fallback: &str, request: &Request<'_>) -> Result<Made, Error> {
    let fresh = generate(facts, &request.options);
    let (mut header, cards, report) = if let Some(path) = request.merge {
        let existing = deck::load(path)?;
        let (cards, report) =
            merge_with(&existing.cards, fresh, &content_ids(facts), request.adopt);
        (Header::of(&existing), cards, Some(report))
    } else {
        let (id, name) = deck_identity(facts.topic.as_deref(), fallback);
        (Header::new(id, name), fresh, None)
    };
    if let Some(id) = request.id {
        id.clone_into(&mut header.id);
    }
    if let Some(name) = request.name {
        name.clone_into(&mut header.name);
    }
    let yaml = to_yaml(&header, &cards);
    // What we write must be a deck factdrill reads: check it the way `check` would.
    if let Err(problems) = deck::load_str(&yaml) {
        return Err(Error::Invalid {
            path: "the generated deck".into(),
            problems,
        });
    }
    if cards.is_empty() {
        return Err(Error::Invalid {
            path: "the generated deck".into(),
            problems: vec![Problem::new(
                Pos { line: 1, col: 1 },
                "the facts give no questions: a deck needs at least one card",
            )],
        });
    }
    Ok(Made {
        summary: summary(&cards, report.as_ref()),
        yaml,
    })
}

fn summary(cards: &[deck::Card], report: Option<&MergeReport>) -> String {
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("{} {k}", cards.iter().filter(|c| c.kind == *k).count()))
        .collect();
    let mut text = format!(
        "{} ({})",
        crate::error::count(cards.len(), "card"),
        kinds.join(", ")
    );
    if let Some(r) = report {
        text.push_str(&format!(
            "; merge: {} refreshed, {} added, {} adopted, {} hand-written kept, {} edited kept, {} covered by hand-written cards, {} dropped",
            r.refreshed,
            r.added,
            r.adopted.len(),
            r.hand,
            r.edited,
            r.covered,
            r.dropped
        ));
        if !r.retired.is_empty() {
            text.push_str(&format!(
                ", {} retired (their fact now names someone or something else; the new cards are among those added)",
                r.retired.len()
            ));
        }
    }
    text
}
