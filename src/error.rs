//! The library's error type: one variant per thing a user can get wrong, each carrying the
//! file and position where there is one. Rendered once, at the edge (`main.rs`).

use std::path::PathBuf;

use crate::store::StoreError;
use crate::yaml::Problem;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{} is a directory, not a file", path.display())]
    IsDirectory { path: PathBuf },

    #[error("{} is larger than the limit of {} MiB", path.display(), limit / (1024 * 1024))]
    TooLarge { path: PathBuf, limit: u64 },

    #[error("{}:{line}:{col}: the file is not valid UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf, line: u32, col: u32 },

    /// A deck or facts file with problems; each problem is printed as `path:line:col: what`.
    #[error("{} has {}", path.display(), count(problems.len(), "problem"))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },

    #[error("{failed} of {total} deck files have problems")]
    CheckFailed { failed: usize, total: usize },

    #[error(
        "two decks use the id `{id}`: {} and {}; give one of them another `id`",
        first.display(),
        second.display()
    )]
    DuplicateDeck {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },

    #[error(
        "no decks to study: this database knows none yet; start with a deck file, e.g. `factdrill study decks/oms.yaml`"
    )]
    NoDecks,

    #[error("{name}={value:?} is not valid: {reason}")]
    Env {
        name: &'static str,
        value: String,
        reason: String,
    },

    #[error("cannot find a data directory for the database; set FACTDRILL_DB or pass --db PATH")]
    NoDataDir,

    #[error("no card `{card}` in this database{}", deck.as_ref().map(|d| format!(" (deck `{d}`)")).unwrap_or_default())]
    UnknownCard { card: String, deck: Option<String> },

    #[error("no deck `{deck}` in this database")]
    UnknownDeck { deck: String },

    #[error("card `{card}` is in several decks ({}); choose one with --deck", decks.join(", "))]
    AmbiguousCard { card: String, decks: Vec<String> },

    #[error("deck `{deck}`: {source}")]
    Scheduler {
        deck: String,
        source: crate::schedule::InvalidConfig,
    },

    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("cannot use the sync folder {}: {source}", path.display())]
    SyncFolder {
        path: PathBuf,
        source: std::io::Error,
    },

    /// Device files in the sync folder that could not be read; each problem is printed as
    /// `path:line: what`. Everything else was synced.
    #[error("sync: {} in the sync folder could not be read; the rest was synced", count(problems.len(), "file"))]
    SyncFiles { problems: Vec<String> },

    #[error(transparent)]
    Anki(#[from] crate::store::anki::AnkiError),

    #[error(
        "{}: a report is written as HTML or SVG; give a file name ending in .html or .svg",
        path.display()
    )]
    ReportFormat { path: PathBuf },

    #[error(transparent)]
    Draw(#[from] crate::report::DrawError),

    #[error(transparent)]
    Fit(#[from] crate::schedule::optimize::FitError),

    #[error("terminal: {0}")]
    Terminal(#[source] std::io::Error),

    /// Card names (`factdrill card`) that match no card, or several; each problem is printed
    /// as `FILE:LINE: what` for a name read from a file, `what` for an argument.
    #[error("{} of {total} could not be used; no card was changed", count(problems.len(), "card name"))]
    CardNames { problems: Vec<String>, total: usize },
}

impl Error {
    /// The positioned problems behind this error, rendered `path:line:col: message`, for the
    /// front end to print before the one-line summary.
    pub fn problem_lines(&self) -> Vec<String> {
        match self {
            Error::Invalid { path, problems } => problems
                .iter()
                .map(|p| {
                    format!(
                        "{}:{}:{}: {}",
                        path.display(),
                        p.pos.line,
                        p.pos.col,
                        p.message
                    )
                })
                .collect(),
            Error::SyncFiles { problems } | Error::CardNames { problems, .. } => problems.clone(),
            _ => Vec::new(),
        }
    }
}

/// "1 problem", "3 problems".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
