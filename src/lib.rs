//! factdrill: a command-line quiz and flashcard engine.
//!
//! ```text
//! document -> facts -> deck (YAML) -> scheduler (FSRS-6) -> SQLite review log -> terminal quiz -> stats
//! ```
//!
//! Side effects live in three modules: `cli` (environment, clock), `term` (the terminal) and
//! `store` (the database). Everything else is a pure function of its inputs.

pub mod deck;
pub mod error;
pub mod extract;
pub mod facts;
pub mod schedule;
pub mod store;
pub mod term;
pub mod text;
pub mod yaml;

pub use error::Error;
