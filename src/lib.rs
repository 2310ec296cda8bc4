//! factdrill: a command-line quiz and flashcard engine.
//!
//! ```text
//! document -> facts -> deck (YAML) -> scheduler (FSRS-6) -> SQLite review log -> terminal quiz -> stats
//! ```
//!
//! Side effects live in three modules: `cli` (environment, clock), `term` (the terminal) and
//! `store` (the database). Everything else is a pure function of its inputs.

pub mod cli;
pub mod command;
pub mod day;
pub mod deck;
pub mod error;
pub mod exchange;
pub mod extract;
pub mod facts;
pub mod generate;
pub mod grade;
pub mod interop;
pub mod mark;
pub mod report;
pub mod schedule;
pub mod session;
pub mod stats;
pub mod store;
pub mod term;
pub mod text;
pub mod yaml;

pub use error::Error;

/// Runs the program with these arguments; the exit code is 0 on success, 1 on an error
/// (printed once, here at the edge), 2 on a usage error.
pub fn run<I, T>(args: I) -> std::process::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::Parser;
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            term::usage(&err);
            return if err.use_stderr() {
                std::process::ExitCode::from(2)
            } else {
                std::process::ExitCode::SUCCESS
            };
        }
    };
    let result = cli::Config::from_env(&cli).and_then(|config| command::run(cli.command, &config));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            term::error(&err);
            std::process::ExitCode::FAILURE
        }
    }
}
