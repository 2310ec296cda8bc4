//! Command-line arguments (clap derive) and the `Config` they become. The only module that
//! reads environment variables or the system clock.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::error::Error;
use crate::schedule::Algorithm;

#[derive(Debug, Parser)]
#[command(
    name = "factdrill",
    version,
    about = "Study facts in the terminal with spaced repetition (FSRS-6).",
    long_about = "Study facts in the terminal with spaced repetition (FSRS-6).\n\n\
        Decks are YAML files of questions; your progress lives in one SQLite database.",
    after_help = "Examples:\n  factdrill study decks/oms.yaml\n  factdrill check decks/*.yaml\n  factdrill stats"
)]
pub struct Cli {
    /// The progress database [default: the platform data directory, e.g.
    /// ~/.local/share/factdrill/factdrill.db]
    #[arg(
        long,
        global = true,
        env = "FACTDRILL_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study what is due: reviews first, then new cards
    #[command(
        after_help = "Examples:\n  factdrill study decks/oms.yaml\n  factdrill study            # every deck this database knows\n  printf 'Berlin\\n\\n' | factdrill study decks/oms.yaml   # answers from a pipe"
    )]
    Study(StudyArgs),

    /// Check deck files for problems without touching the database
    #[command(
        after_help = "Example:\n  factdrill check decks/oms.yaml\n\nEach problem is printed as path:line:column: what is wrong; the exit code is 1 if any file has one."
    )]
    Check(CheckArgs),

    /// Show a summary of your progress
    #[command(
        after_help = "Examples:\n  factdrill stats\n  factdrill stats --deck oms --days 90\n  factdrill stats --json\n\nEach number is defined in docs/statistics.md."
    )]
    Stats(StatsArgs),

    /// Extract facts (heads, dates, places, aliases) from an encyclopedia-style article
    #[command(
        after_help = "Examples:\n  factdrill extract decks/oms.txt -o oms.facts.yaml\n  factdrill extract decks/oms.txt --json\n  factdrill extract decks/oms.txt --score decks/oms.facts.yaml   # precision, recall, F1\n\nThe facts file format is described in docs/facts-format.md."
    )]
    Extract(ExtractArgs),

    /// What is due now and today in each deck, and when the next card is due
    #[command(
        visible_alias = "status",
        after_help = "Examples:\n  factdrill due\n  factdrill due --json   # e.g. for a shell prompt"
    )]
    Due(DueArgs),

    /// Generate a deck of questions from a facts file
    #[command(
        after_help = "Examples:\n  factdrill generate decks/oms.facts.yaml -o oms.yaml\n  factdrill generate decks/oms.facts.yaml --merge decks/oms.yaml -o decks/oms.yaml   # keep hand-written and edited cards\n\nQuestion kinds, ids and the merge rules are described in docs/generation.md."
    )]
    Generate(GenerateArgs),

    /// Extract an article's facts and generate their deck in one step
    #[command(
        after_help = "Example:\n  factdrill build decks/oms.txt -o oms.yaml\n\nThe same as `factdrill extract` followed by `factdrill generate`, without the facts file to curate."
    )]
    Build(BuildArgs),

    /// Export the review log (CSV or JSON), or a deck as an Anki package
    #[command(
        after_help = "Examples:\n  factdrill export reviews -o reviews.csv\n  factdrill export reviews --format json -o reviews.json\n  factdrill export deck decks/oms.yaml --format apkg -o oms.apkg\n\nThe formats are described in docs/formats.md."
    )]
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },

    /// Import a review log (skipping reviews already there), or a spreadsheet as a deck
    #[command(
        after_help = "Examples:\n  factdrill import reviews reviews.json\n  factdrill import reviews revlog.csv\n  factdrill import deck cards.csv -o cards.yaml\n\nThe formats, and how cards are matched, are described in docs/formats.md."
    )]
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },

    /// Copy the database safely, even while factdrill is in use
    #[command(
        after_help = "Examples:\n  factdrill backup\n  factdrill backup ~/factdrill-copy.db\n\nWithout a path, the copy goes next to the database, named with the time."
    )]
    Backup(BackupArgs),

    /// Write the progress charts of `stats` to a self-contained HTML or SVG file
    #[command(
        after_help = "Examples:\n  factdrill report -o progress.html\n  factdrill report --deck oms --days 90 -o oms.svg\n\nThe file's contents are described in docs/formats.md; each number in docs/statistics.md."
    )]
    Report(ReportArgs),

    /// Show one card's schedule: its history, memory state and next intervals
    #[command(
        after_help = "Examples:\n  factdrill schedule --card oms-first-head\n  factdrill schedule --card oms-first-head --deck oms --json"
    )]
    Schedule(ScheduleArgs),

    /// Merge progress with your other devices through a synced folder
    #[command(
        after_help = "Examples:\n  factdrill sync ~/Sync/factdrill\n  factdrill sync ~/Dropbox/factdrill --status\n  factdrill sync ~/Sync/factdrill --name laptop\n\nEach device appends to its own file in the folder; use any tool that syncs folders\n(Syncthing, a cloud drive, a git repository). See docs/sync.md."
    )]
    Sync(SyncArgs),

    /// Suspend, bury or flag cards, or show their marks
    #[command(
        after_help = "Examples:\n  factdrill card suspend oms/oms-first-head\n  factdrill card flag --colour blue --note \"check the year\" oms/oms-founding-year\n  factdrill card show oms-first-head\n  factdrill card suspend --from names.txt   # one DECK/CARD a line; - reads standard input\n\nName a card DECK/CARD (or CARD alone, when one deck has it). Suspended cards are never due; buried ones not until the next study day (4 am)."
    )]
    Card {
        #[command(subcommand)]
        action: CardAction,
    },

    /// Fit FSRS-6's 21 parameters to your own review history
    #[command(
        after_help = "Examples:\n  factdrill optimize              # fit to every review in the database, show the result\n  factdrill optimize --save       # ... and schedule every deck with it\n  factdrill optimize --deck oms --save\n  factdrill optimize --revlog revlog.csv --json\n\nThe fit, its minimum of data and the order in which saved parameters apply are described in docs/optimizer.md."
    )]
    Optimize(OptimizeArgs),

    /// Compare default FSRS-6, fitted FSRS-6 and SM-2 on the later part of your history
    #[command(
        after_help = "Examples:\n  factdrill evaluate\n  factdrill evaluate --revlog revlog.csv --json\n\nFSRS-6 is fitted on the first 80 % of the log's time span and every model predicts the rest; docs/optimizer.md defines the split and the metrics."
    )]
    Evaluate(EvaluateArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The synced folder (it must exist)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Only show what each device last wrote and how far this database has read
    #[arg(long)]
    pub status: bool,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,

    /// Give this database a new device id first (when it was copied from another machine)
    #[arg(long)]
    pub new_device: bool,

    /// Name this device for the others (shown in their `sync --status`)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// What `factdrill card` does to each card it is given.
#[derive(Debug, Subcommand)]
pub enum CardAction {
    /// Never show these cards until they are unsuspended
    Suspend(CardTargets),
    /// Show these cards again when they are due
    Unsuspend(CardTargets),
    /// Keep these cards out of sessions until the next study day (4 am)
    Bury(CardTargets),
    /// Undo `bury`
    Unbury(CardTargets),
    /// Flag these cards with a colour and an optional note
    Flag(FlagArgs),
    /// Remove the flag and its note
    Unflag(CardTargets),
    /// Show the cards' marks: suspended, buried, flag, leech
    Show(CardTargets),
}

#[derive(Debug, Args)]
pub struct CardTargets {
    /// Cards as DECK/CARD, or CARD alone when only one deck has it
    #[arg(value_name = "DECK/CARD", required_unless_present = "from")]
    pub cards: Vec<String>,

    /// Also the cards named in FILE, one DECK/CARD a line (`-`: standard input); blank lines
    /// and lines starting with # are skipped
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FlagArgs {
    /// red, orange, green, blue, pink, turquoise or purple (or Anki's number, 1-7)
    #[arg(long, alias = "color", value_name = "COLOUR", default_value = "red", value_parser = parse_flag)]
    pub colour: crate::mark::Flag,

    /// A note kept with the flag
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    #[command(flatten)]
    pub targets: CardTargets,
}

fn parse_flag(text: &str) -> Result<crate::mark::Flag, String> {
    crate::mark::Flag::parse(text).ok_or_else(|| {
        format!(
            "unknown flag `{text}`; expected one of: {} (or 1-7)",
            crate::mark::Flag::ALL
                .map(crate::mark::Flag::as_str)
                .join(", ")
        )
    })
}

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Fit to this review log (CSV card_id,review_time,rating, or factdrill JSON) instead of
    /// the database's
    #[arg(long, value_name = "FILE")]
    pub revlog: Option<PathBuf>,

    /// Only this deck's reviews (from the database), and with --save, save for this deck
    /// only
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,

    /// Save the parameters: the deck's (with --deck) or every deck's scheduler uses them
    #[arg(long)]
    pub save: bool,

    /// Seeds the order of the training batches
    #[arg(long, value_name = "N", default_value_t = 2023)]
    pub seed: u64,

    /// Print the parameters and metrics as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Evaluate on this review log (CSV card_id,review_time,rating, or factdrill JSON)
    /// instead of the database's
    #[arg(long, value_name = "FILE")]
    pub revlog: Option<PathBuf>,

    /// Only this deck's reviews (from the database)
    #[arg(long, value_name = "ID", conflicts_with = "revlog")]
    pub deck: Option<String>,

    /// Also score these 21 FSRS-6 parameters (separated by commas or spaces)
    #[arg(long, value_name = "W", value_parser = parse_parameter_list)]
    pub parameters: Option<ParameterList>,

    /// Seeds the order of the training batches
    #[arg(long, value_name = "N", default_value_t = 2023)]
    pub seed: u64,

    /// Print the numbers as JSON
    #[arg(long)]
    pub json: bool,
}

/// 21 FSRS-6 parameters given on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParameterList(pub [f64; 21]);

fn parse_parameter_list(text: &str) -> Result<ParameterList, String> {
    crate::schedule::config::parse_parameters(text)
        .map(ParameterList)
        .map_err(|e| e.to_string())
}

/// Measures how long a piece of work took (the wall clock, read here like every clock).
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch(std::time::Instant);

impl Stopwatch {
    pub fn start() -> Self {
        Self(std::time::Instant::now())
    }

    pub fn seconds(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Print the numbers as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The article: plain UTF-8 text, e.g. copied from a wiki page
    #[arg(value_name = "ARTICLE")]
    pub article: PathBuf,

    /// Write the facts to this file instead of standard output
    #[arg(short, long, value_name = "FACTS_FILE")]
    pub output: Option<PathBuf>,

    /// Write JSON instead of YAML
    #[arg(long)]
    pub json: bool,

    /// Instead of the facts, print precision, recall and F1 per kind against a curated facts file
    #[arg(long, value_name = "GOLD_FILE", conflicts_with_all = ["json"])]
    pub score: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// The review log
    Reviews(ExportReviewsArgs),
    /// A deck file as an Anki package (.apkg) that Anki and AnkiDroid import
    #[command(
        after_help = "Example:\n  factdrill export deck decks/oms.yaml --format apkg -o oms.apkg\n\nImport the file in Anki (File > Import) or AnkiDroid; importing a newer export of the same deck updates its notes. The package is described in docs/formats.md."
    )]
    Deck(ExportDeckArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// A review log in CSV or factdrill JSON
    Reviews(ImportReviewsArgs),
    /// A spreadsheet of cards (CSV or TSV with a header row) as a deck file
    #[command(
        after_help = "Examples:\n  factdrill import deck cards.csv -o cards.yaml\n  factdrill import deck cards.tsv --id capitals --name \"World capitals\" -o capitals.yaml\n\nThe header row names the columns: id, kind, prompt, answer, choices, items, accept, explanation,\nsource, tags (prompt and answer are required; list cells separate items with |).\nThe columns are described in docs/formats.md."
    )]
    Deck(ImportDeckArgs),
}

/// Review log formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportReviewsArgs {
    /// `csv` (card_id,review_time,rating) or `json` (every field, lossless)
    #[arg(long, value_enum, default_value_t = ReviewFormat::Csv)]
    pub format: ReviewFormat,

    /// Write to this file instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportReviewsArgs {
    /// The review log: CSV with the header card_id,review_time,rating, or factdrill JSON
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Formats `export deck` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeckFormat {
    /// An Anki package: Anki's collection (schema 11) zipped with an empty media map
    Apkg,
}

#[derive(Debug, Args)]
pub struct ExportDeckArgs {
    /// The deck file to export
    #[arg(value_name = "DECK_FILE")]
    pub deck: PathBuf,

    /// The package format
    #[arg(long, value_enum, default_value_t = DeckFormat::Apkg)]
    pub format: DeckFormat,

    /// Where to write the package, e.g. oms.apkg
    #[arg(short, long, value_name = "FILE", required = true)]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportDeckArgs {
    /// The spreadsheet: CSV (comma-separated) or, for a .tsv or .tab file, tab-separated,
    /// with a header row naming the columns
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Write the deck to this file instead of standard output
    #[arg(short, long, value_name = "DECK_FILE")]
    pub output: Option<PathBuf>,

    /// The deck's id [default: from the file's name]
    #[arg(long, value_name = "ID", value_parser = parse_deck_id)]
    pub id: Option<String>,

    /// The deck's name [default: the file's name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where to write the report: a .html page, or one .svg image
    #[arg(short, long, value_name = "FILE", required = true)]
    pub output: PathBuf,

    /// Only this deck (its id)
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,

    /// Days in the reviews-per-day chart
    #[arg(long, value_name = "N", default_value_t = crate::stats::progress::DEFAULT_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: next to the database, with the time in its name]
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The facts file (docs/facts-format.md)
    #[arg(value_name = "FACTS_FILE")]
    pub facts: PathBuf,

    #[command(flatten)]
    pub deck: DeckOptions,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The article: plain UTF-8 text, e.g. copied from a wiki page
    #[arg(value_name = "ARTICLE")]
    pub article: PathBuf,

    #[command(flatten)]
    pub deck: DeckOptions,
}

/// What `generate` and `build` share.
#[derive(Debug, Args)]
pub struct DeckOptions {
    /// Write the deck to this file instead of standard output
    #[arg(short, long, value_name = "DECK_FILE")]
    pub output: Option<PathBuf>,

    /// Seeds the choice of wrong options and false statements [default: 0]
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,

    /// The deck's id [default: the merged deck's, else from the facts' topic]
    #[arg(long, value_name = "ID", value_parser = parse_deck_id)]
    pub id: Option<String>,

    /// The deck's name [default: the merged deck's, else the facts' topic]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Merge into this deck: keep its hand-written and edited cards and the ids of its
    /// generated ones, refresh the rest
    #[arg(long, value_name = "DECK_FILE")]
    pub merge: Option<PathBuf>,

    /// With --merge: a hand-written card asking the same question as a generated one is
    /// replaced by it, which keeps the hand-written card's id
    #[arg(long, requires = "merge")]
    pub adopt: bool,
}

fn parse_deck_id(text: &str) -> Result<String, String> {
    crate::deck::Id::parse(text).map(|id| id.to_string())
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The card's id
    #[arg(long, value_name = "ID")]
    pub card: String,

    /// The deck's id, when several decks have a card with this id
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,

    /// Replay the card's log with `fsrs` or `sm2` instead of its deck's scheduler
    #[arg(long, value_name = "NAME", value_parser = parse_algorithm)]
    pub scheduler: Option<Algorithm>,

    /// Print the numbers as JSON
    #[arg(long)]
    pub json: bool,
}

// Command-line switches are booleans by nature; each is one flag.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Args)]
pub struct StudyArgs {
    /// Deck files to study; with none, every deck this database knows
    #[arg(value_name = "DECK_FILE")]
    pub decks: Vec<PathBuf>,

    /// New cards per day in all decks together (today's included), instead of each deck's
    /// `new_per_day` [default: each deck's, else 20 per deck]
    #[arg(long, value_name = "N")]
    pub new: Option<u32>,

    /// Reviews per day in all decks together (today's included), instead of each deck's
    /// `reviews_per_day` [default: each deck's, else 200 per deck]
    #[arg(long, value_name = "N")]
    pub reviews: Option<u32>,

    /// Study only this deck (its id); repeat for several
    #[arg(long = "deck", value_name = "ID")]
    pub only_decks: Vec<String>,

    /// Study only cards with this tag; repeat for several (a card needs one of them)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Study only cards of this kind (recall, choice, year, truefalse, cloze, ordering);
    /// repeat for several
    #[arg(long = "kind", value_name = "KIND", value_parser = parse_kind)]
    pub kinds: Vec<crate::deck::Kind>,

    /// At most N cards this session (their learning steps do not count)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    /// Stop offering cards after N minutes (the card being answered finishes)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub minutes: Option<u32>,

    /// Practise without changing the schedule: every card (filters apply), least likely
    /// recalled first; no daily limits; logged as cram and ignored by the scheduler and stats
    #[arg(long)]
    pub cram: bool,

    /// Lapses that make a card a leech (tagged and suspended); 0 turns leeches off
    /// [default: the deck's `leech_threshold`, else 8]
    #[arg(long, value_name = "N")]
    pub leech_threshold: Option<u32>,

    /// Schedule this session with `fsrs` or `sm2` instead of each deck's `scheduler`
    #[arg(long, value_name = "NAME", value_parser = parse_algorithm)]
    pub scheduler: Option<Algorithm>,

    /// Accept only exact answers (after case, accent and punctuation folding): no typos,
    /// spelling variants or surnames alone
    #[arg(long)]
    pub strict: bool,

    /// Line mode even on a terminal: one question per line, no full screen (a pipe always
    /// gets line mode)
    #[arg(long)]
    pub plain: bool,

    /// Do not refit FSRS-6 after this session, even if the review log has doubled since the
    /// last fit (see `factdrill optimize`; `FACTDRILL_AUTO_REFIT=off` turns it off for good)
    #[arg(long)]
    pub no_refit: bool,

    /// Show every card as it comes, instead of choosing among a fact's cards by memory
    /// strength (multiple choice while weak, typed once strong)
    #[arg(long)]
    pub fixed_format: bool,

    /// A fact is asked with typed answers once its stability reaches DAYS (default 7)
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub recall_after: Option<u32>,

    /// ... and its recall probability now is at least PERCENT (default 70)
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub recall_above: Option<u8>,
}

fn parse_kind(text: &str) -> Result<crate::deck::Kind, String> {
    crate::deck::Kind::parse(text).ok_or_else(|| {
        format!(
            "unknown kind `{text}`; expected one of: {}",
            crate::deck::Kind::ALL
                .map(crate::deck::Kind::as_str)
                .join(", ")
        )
    })
}

fn parse_algorithm(text: &str) -> Result<Algorithm, String> {
    text.parse()
        .map_err(|e: crate::schedule::ConfigError| e.to_string())
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Deck files to check
    #[arg(value_name = "DECK_FILE", required = true)]
    pub decks: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only this deck (its id)
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,

    /// Days in the reviews-per-day chart
    #[arg(long, value_name = "N", default_value_t = crate::stats::progress::DEFAULT_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,

    /// Print every number behind every chart as JSON
    #[arg(long)]
    pub json: bool,

    /// Draw charts with ASCII characters only
    #[arg(long)]
    pub ascii: bool,
}

/// Where "now" comes from: the system clock, or a pinned instant (`FACTDRILL_NOW`) so tests
/// and demonstrations are reproducible; a pinned clock may advance by a fixed step at each
/// reading (`FACTDRILL_NOW_STEP`), so tests can let time pass (a time box) without waiting.
#[derive(Debug, Clone)]
pub enum Clock {
    System,
    Fixed(Timestamp),
    Stepping {
        start: Timestamp,
        step: jiff::SignedDuration,
        /// Readings so far.
        readings: std::sync::Arc<std::sync::atomic::AtomicI32>,
    },
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => *t,
            Clock::Stepping {
                start,
                step,
                readings,
            } => {
                let n = readings.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                step.checked_mul(n)
                    .and_then(|d| start.checked_add(d).ok())
                    .unwrap_or(*start)
            }
        }
    }
}

/// Everything a command needs from the outside world, read once.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub clock: Clock,
    /// The learner's time zone, for "today".
    pub tz: TimeZone,
    /// Seeds the order of choices.
    pub seed: u64,
    /// The terminal can show Unicode (box and block characters in charts).
    pub unicode: bool,
    /// The terminal can take the full-screen study screen: not `TERM=dumb` (an editor's
    /// shell buffer, a serial console), which gets line mode as a pipe does.
    pub full_screen: bool,
    /// Refit FSRS-6 after a study session when the log has doubled (`FACTDRILL_AUTO_REFIT`,
    /// on unless set to `off`; `study --no-refit` turns it off for one session).
    pub auto_refit: bool,
}

impl Config {
    /// Reads the environment: `FACTDRILL_NOW` (RFC 3339, pins the clock and, by its offset,
    /// the time zone), `FACTDRILL_SEED`, and the database location.
    pub fn from_env(cli: &Cli) -> Result<Self, Error> {
        let (clock, tz) = match std::env::var("FACTDRILL_NOW") {
            Ok(value) => {
                let zoned = parse_now(&value)?;
                let clock = match std::env::var("FACTDRILL_NOW_STEP") {
                    Ok(step) => Clock::Stepping {
                        start: zoned.0,
                        step: parse_step(&step)?,
                        readings: std::sync::Arc::default(),
                    },
                    Err(_) => Clock::Fixed(zoned.0),
                };
                (clock, zoned.1)
            }
            Err(_) => (Clock::System, TimeZone::system()),
        };
        let seed = match std::env::var("FACTDRILL_SEED") {
            Ok(value) => value.trim().parse().map_err(|_| Error::Env {
                name: "FACTDRILL_SEED",
                value: value.clone(),
                reason: "expected a whole number from 0 to 18446744073709551615".to_owned(),
            })?,
            Err(_) => rand::random(),
        };
        let db = match &cli.db {
            Some(path) => path.clone(),
            None => default_db()?,
        };
        let auto_refit = match std::env::var("FACTDRILL_AUTO_REFIT") {
            Ok(value) => match value.trim().to_ascii_lowercase().as_str() {
                "on" | "1" | "yes" | "true" => true,
                "off" | "0" | "no" | "false" => false,
                _ => {
                    return Err(Error::Env {
                        name: "FACTDRILL_AUTO_REFIT",
                        value: value.clone(),
                        reason: "expected on or off".to_owned(),
                    });
                }
            },
            Err(_) => true,
        };
        Ok(Self {
            db,
            clock,
            tz,
            seed,
            unicode: unicode_terminal(std::env::var("TERM").ok().as_deref(), locale().as_deref()),
            full_screen: std::env::var("TERM").map_or(true, |t| t != "dumb"),
            auto_refit,
        })
    }
}

/// The locale that decides the character set, as C programs find it: the first non-empty
/// of `LC_ALL`, `LC_CTYPE`, `LANG`.
fn locale() -> Option<String> {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|v| !v.is_empty())
}

/// Whether charts may use Unicode: not on a `dumb` terminal, and only when the locale says
/// UTF-8 (no locale at all, as in `env -i`, means the C locale: ASCII).
fn unicode_terminal(term: Option<&str>, locale: Option<&str>) -> bool {
    if term == Some("dumb") {
        return false;
    }
    locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("utf-8") || l.contains("utf8")
    })
}

/// `FACTDRILL_NOW_STEP`: whole seconds the pinned clock advances at each reading.
fn parse_step(value: &str) -> Result<jiff::SignedDuration, Error> {
    value
        .trim()
        .parse::<u32>()
        .map(|secs| jiff::SignedDuration::from_secs(i64::from(secs)))
        .map_err(|_| Error::Env {
            name: "FACTDRILL_NOW_STEP",
            value: value.to_owned(),
            reason: "expected whole seconds, e.g. 60".to_owned(),
        })
}

/// An RFC 3339 time with its offset, which becomes the time zone.
fn parse_now(value: &str) -> Result<(Timestamp, TimeZone), Error> {
    let bad = |reason: String| Error::Env {
        name: "FACTDRILL_NOW",
        value: value.to_owned(),
        reason,
    };
    let ts: Timestamp = value.trim().parse().map_err(|e| {
        bad(format!(
            "expected an RFC 3339 time such as 2026-01-15T09:00:00+01:00 ({e})"
        ))
    })?;
    let offset = jiff::fmt::temporal::DateTimeParser::new()
        .parse_pieces(value.trim())
        .ok()
        .and_then(|p| p.to_numeric_offset())
        .unwrap_or(jiff::tz::Offset::UTC);
    Ok((ts, TimeZone::fixed(offset)))
}

/// `$XDG_DATA_HOME/factdrill/factdrill.db` on Linux, the platform's usual place elsewhere.
fn default_db() -> Result<PathBuf, Error> {
    use etcetera::AppStrategy;
    let strategy = etcetera::choose_app_strategy(etcetera::AppStrategyArgs {
        top_level_domain: "org".to_owned(),
        author: "factdrill".to_owned(),
        app_name: "factdrill".to_owned(),
    })
    .map_err(|_| Error::NoDataDir)?;
    Ok(strategy.data_dir().join("factdrill.db"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn charts_use_unicode_only_on_a_utf8_terminal() {
        assert!(unicode_terminal(
            Some("xterm-256color"),
            Some("en_GB.UTF-8")
        ));
        assert!(unicode_terminal(None, Some("C.utf8")));
        assert!(!unicode_terminal(Some("dumb"), Some("en_GB.UTF-8")));
        assert!(!unicode_terminal(Some("xterm"), Some("C")));
        assert!(!unicode_terminal(Some("xterm"), Some("POSIX")));
        assert!(!unicode_terminal(Some("xterm"), None));
    }

    #[test]
    fn now_keeps_its_offset_as_time_zone() {
        let (ts, tz) = parse_now("2026-01-15T09:00:00+02:00").unwrap();
        assert_eq!(ts, "2026-01-15T07:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(tz.to_offset(ts), jiff::tz::offset(2));
        assert!(parse_now("yesterday").is_err());
    }
}
