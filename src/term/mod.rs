//! The terminal front end: the only code that reads stdin or writes stdout/stderr.
//! Colour only on a terminal and never with `NO_COLOR` (anstream strips it otherwise), and
//! every piece of deck text goes through `safe` before it is shown.

// Output never panics: `std`'s print macros panic when stdout or stderr cannot be written (a
// full disk, `> /dev/full`), which would turn a reported error into a crash. These write
// through anstream (colour only on a terminal, never with NO_COLOR) and drop write errors;
// defined before the submodules so every one of them uses them.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(anstream::stdout(), $($arg)*);
    }};
}
macro_rules! print {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = anstream::stdout();
        let _ = write!(out, $($arg)*);
        let _ = out.flush();
    }};
}
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(anstream::stderr(), $($arg)*);
    }};
}

pub mod chart;
mod line;
mod optimize;
mod stats;
mod sync;
pub mod tui;

use std::io::Write;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use jiff::SignedDuration;

use crate::deck::Deck;
use crate::error::Error;
use crate::session::{Stop, Summary};
use crate::stats::{CardReport, Snapshot};
use crate::store::SyncReport;

pub use line::{Journal, study};
pub use optimize::{FitProgress, evaluation_report, fit_report, format_losses};
pub use sync::{sync_outcome, sync_status};
pub use tui::{Actions, Outcome};

const GOOD: Style = AnsiColor::Green.on_default().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// Makes untrusted text (from a deck or facts file) safe to print: control characters and
/// escape sequences are shown as visible `\u{..}` escapes instead of being sent to the
/// terminal, so a deck cannot clear the screen, move the cursor or set the window title.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' || is_bidi_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Unicode bidirectional overrides can make text display in a different order than it reads.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Renders an error for the user: its positioned problems, then one summary line.
pub fn error(err: &Error) {
    problems(err);
    let mut line = format!("{err}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause = cause.to_string();
        if !line.contains(&cause) {
            line.push_str(": ");
            line.push_str(&cause);
        }
        source = cause_of(source);
    }
    eprintln!("factdrill: {BAD}error:{BAD:#} {}", safe(&line));
}

fn cause_of<'a>(
    err: Option<&'a (dyn std::error::Error + 'static)>,
) -> Option<&'a (dyn std::error::Error + 'static)> {
    err.and_then(std::error::Error::source)
}

/// A usage error from argument parsing (exit code 2), rendered by clap.
pub fn usage(err: &clap::Error) {
    // clap renders its own colours and respects the terminal; a failed write has nowhere to go.
    let _ = err.print();
}

/// Each `path:line:col: what` problem behind an error, on stderr.
pub fn problems(err: &Error) {
    for line in err.problem_lines() {
        eprintln!("{}", safe(&line));
    }
}

/// A problem with one input file: its positioned problems, or the error itself when it has
/// none (a missing or unreadable file).
pub fn file_error(err: &Error) {
    let lines = err.problem_lines();
    if lines.is_empty() {
        eprintln!("{}", safe(&err.to_string()));
    }
    for line in lines {
        eprintln!("{}", safe(&line));
    }
}

pub fn warn(message: &str) {
    eprintln!("factdrill: {WARN}warning:{WARN:#} {}", safe(message));
}

/// Something the learner should know that is not a problem (e.g. where a backup went).
pub fn note(message: &str) {
    eprintln!("factdrill: {}", safe(message));
}

pub fn check_ok(path: &Path, deck: &Deck) {
    println!(
        "{}: {GOOD}ok{GOOD:#}, deck `{}` with {}",
        path.display(),
        deck.id,
        crate::error::count(deck.cards.len(), "card")
    );
}

/// Says what synchronising a deck changed, when it changed anything.
pub fn sync_report(deck: &Deck, report: &SyncReport) {
    let mut parts = Vec::new();
    if report.added > 0 {
        parts.push(format!(
            "{} added",
            crate::error::count(report.added, "new card")
        ));
    }
    if report.retired > 0 {
        parts.push(format!(
            "{} retired (removed from the file; history kept)",
            crate::error::count(report.retired, "card")
        ));
    }
    if report.returned > 0 {
        parts.push(format!(
            "{} back in the deck",
            crate::error::count(report.returned, "retired card")
        ));
    }
    if !parts.is_empty() {
        println!("{DIM}{}: {}{DIM:#}", safe(&deck.name), parts.join(", "));
    }
}

/// What the end-of-session summary adds to the session's own totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outlook {
    /// Cards due during the next study day.
    pub due_tomorrow: u32,
    /// Consecutive study days, today included if studied.
    pub streak: u32,
    /// Wall-clock time of the session.
    pub elapsed: SignedDuration,
}

/// The end-of-session summary.
pub fn study_summary(summary: &Summary, outlook: &Outlook) {
    println!("{}", summary_text(summary, Some(outlook)));
}

/// The one line after a session that refitted FSRS-6.
pub fn refit_report(refit: &crate::schedule::optimize::refit::Refit) {
    println!(
        "Refitted FSRS-6 on {} reviews: log loss {:.4} -> {:.4} on the {} most recent, {}.",
        refit.fit.reviews,
        refit.before,
        refit.after,
        refit.held_out,
        if refit.kept { "kept" } else { "not kept" }
    );
}

fn summary_text(s: &Summary, outlook: Option<&Outlook>) -> String {
    let mut out = String::new();
    let ms = |ms: u64| {
        duration(SignedDuration::from_millis(
            i64::try_from(ms).unwrap_or(i64::MAX),
        ))
    };
    if s.answered == 0 {
        out.push_str("Nothing studied.");
    } else {
        let pct = f64::from(s.passed) * 100.0 / f64::from(s.answered);
        out.push_str(&format!(
            "{BOLD}Session over:{BOLD:#} {} answered, {} right ({pct:.0}%), {} new; {} answering",
            s.answered,
            s.passed,
            s.new_cards,
            ms(s.response_ms)
        ));
        if let Some(o) = outlook {
            out.push_str(&format!(", {} in all", duration(o.elapsed)));
        }
        out.push_str(".\n");
        out.push_str(&format!(
            "Ratings: Again {}, Hard {}, Good {}, Easy {}.",
            s.ratings[0], s.ratings[1], s.ratings[2], s.ratings[3]
        ));
    }
    if s.cram {
        out.push_str("\nCram: practice only; no card's schedule changed.");
    }
    let mut marks = Vec::new();
    if s.suspended > 0 {
        marks.push(format!(
            "{} suspended",
            crate::error::count(s.suspended as usize, "card")
        ));
    }
    if s.buried > 0 {
        marks.push(format!(
            "{} buried until tomorrow",
            crate::error::count(s.buried as usize, "card")
        ));
    }
    if s.leeches > 0 {
        let es = if s.leeches == 1 { "" } else { "es" };
        marks.push(format!("{} new leech{es} (suspended)", s.leeches));
    }
    if s.undone > 0 {
        marks.push(format!(
            "{} undone",
            crate::error::count(s.undone as usize, "answer")
        ));
    }
    if !marks.is_empty() {
        out.push_str(&format!("\n{}.", capitalise(&marks.join(", "))));
    }
    match s.stopped {
        Some(Stop::TimeBox(box_)) => out.push_str(&format!(
            "\nTime is up ({}): {} left for another session.",
            duration(box_),
            crate::error::count(s.left as usize, "card")
        )),
        None if s.left > 0 => out.push_str(&format!(
            "\nStill to do now: {}.",
            crate::error::count(s.left as usize, "card")
        )),
        None => {}
    }
    out.push_str(&held_text(s));
    if let Some(o) = outlook {
        out.push_str(&format!(
            "\nDue tomorrow: {}. Streak: {}.",
            o.due_tomorrow,
            crate::error::count(o.streak as usize, "day")
        ));
    }
    out
}

/// One line per rule that kept due cards out of the session, saying how many.
fn held_text(s: &Summary) -> String {
    let mut out = String::new();
    let held = s.held;
    let both = |reviews: u32, new: u32| {
        let mut parts = Vec::new();
        if reviews > 0 {
            parts.push(crate::error::count(reviews as usize, "review"));
        }
        if new > 0 {
            parts.push(crate::error::count(new as usize, "new card"));
        }
        parts.join(" and ")
    };
    if held.reviews > 0 || held.new > 0 {
        out.push_str(&format!(
            "\nThe decks' daily limits keep {} for later days.",
            both(held.reviews, held.new)
        ));
    }
    if held.reviews_global > 0 || held.new_global > 0 {
        let mut limits = Vec::new();
        if let (Some(n), true) = (s.global.reviews_per_day, held.reviews_global > 0) {
            limits.push(format!("--reviews {n}"));
        }
        if let (Some(n), true) = (s.global.new_per_day, held.new_global > 0) {
            limits.push(format!("--new {n}"));
        }
        out.push_str(&format!(
            "\nThe daily limit{} {} keep{} {} for later days.",
            if limits.len() > 1 { "s" } else { "" },
            limits.join(" and "),
            if limits.len() > 1 { "" } else { "s" },
            both(held.reviews_global, held.new_global)
        ));
    }
    if held.session_limit > 0 {
        out.push_str(&format!(
            "\n--limit {} leaves {} for another session.",
            s.limit.unwrap_or(0),
            crate::error::count(held.session_limit as usize, "card")
        ));
    }
    if held.siblings > 0 {
        out.push_str(&format!(
            "\n{} wait for another day: a card of the same fact is studied today (sibling burying).",
            crate::error::count(held.siblings as usize, "card")
        ));
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// All of standard input, as bytes (`factdrill card --from -`).
pub fn read_stdin() -> Result<Vec<u8>, Error> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(Error::Terminal)?;
    Ok(bytes)
}

/// What `factdrill card` did to one card.
pub fn card_done(card: &crate::store::FoundCard, done: &str) {
    println!("{}/{}: {done}", safe(&card.deck), safe(&card.card));
}

/// `factdrill card show`: a card and its marks.
pub fn card_marks(
    card: &crate::store::FoundCard,
    marks: &crate::mark::Marks,
    now: jiff::Timestamp,
    tz: &jiff::tz::TimeZone,
) {
    let local = |t: jiff::Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let retired = if card.retired { " (retired)" } else { "" };
    println!(
        "{BOLD}{}/{}{BOLD:#}{retired}  {}",
        safe(&card.deck),
        safe(&card.card),
        safe(&card.prompt)
    );
    let mut lines = Vec::new();
    if let Some(at) = marks.suspended {
        lines.push(format!("suspended since {}", local(at)));
    }
    if let Some(until) = marks.buried_until.filter(|_| marks.is_buried(now)) {
        lines.push(format!("buried until {}", local(until)));
    }
    if let Some(flag) = marks.flag {
        let note = marks
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(": {}", safe(n)));
        lines.push(format!("flagged {flag}{note}"));
    }
    if marks.leech {
        lines.push("leech (failed too often)".to_owned());
    }
    if lines.is_empty() {
        lines.push("no marks".to_owned());
    }
    for line in lines {
        println!("  {line}");
    }
}

pub fn stats(s: &Snapshot) {
    let p = s.phases;
    let suspended = if p.suspended > 0 {
        format!(" ({} suspended)", p.suspended)
    } else {
        String::new()
    };
    println!(
        "{BOLD}Cards{BOLD:#}      {} active{suspended}: {} new, {} learning, {} review, {} relearning; {} retired",
        s.active_cards(),
        p.new,
        p.learning,
        p.review,
        p.relearning,
        s.retired
    );
    let correct = s
        .correct_today()
        .map_or_else(String::new, |r| format!(", {:.0}% right", r * 100.0));
    println!(
        "{BOLD}Today{BOLD:#}      {} ({}){correct}; {} in all",
        crate::error::count(s.today.reviews as usize, "review"),
        crate::error::count(s.today.introduced as usize, "new card"),
        crate::error::count(usize::try_from(s.total_reviews).unwrap_or(0), "review")
    );
    println!(
        "{BOLD}Due{BOLD:#}        {} now, {} by the end of today, {} tomorrow",
        s.due_now, s.due_today, s.due_tomorrow
    );
    if let Some(next) = s.next_due {
        let wait = next.duration_since(s.now);
        let when = if wait <= SignedDuration::ZERO {
            "now".to_owned()
        } else {
            format!("in {}", duration(wait))
        };
        println!(
            "{BOLD}Next due{BOLD:#}   {when} ({})",
            next.strftime("%Y-%m-%d %H:%M UTC")
        );
    }
}

/// What is due, per deck, and when the next card comes.
pub fn due(decks: &[crate::store::DeckDue], now: jiff::Timestamp, tz: &jiff::tz::TimeZone) {
    if decks.is_empty() {
        println!("No decks yet: start with `factdrill study decks/oms.yaml`.");
        return;
    }
    let width = decks
        .iter()
        .map(|d| d.key.chars().count())
        .max()
        .unwrap_or(0);
    for d in decks {
        println!(
            "{BOLD}{:<width$}{BOLD:#}  {} due now, {} today, {} new",
            safe(&d.key),
            d.due_now,
            d.due_today,
            d.new
        );
    }
    if let Some(next) = decks.iter().filter_map(|d| d.next_due).min() {
        let wait = next.duration_since(now);
        let at = next
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string();
        if wait <= SignedDuration::ZERO {
            println!("Cards are waiting: `factdrill study`.");
        } else {
            println!("Next card due in {} ({at}).", duration(wait));
        }
    }
}

/// The full progress report: the snapshot, then every chart.
pub fn report(r: &crate::stats::Report, charset: chart::Charset) {
    stats(&r.snapshot);
    let text = stats::render(r, charset);
    let mut out = anstream::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
}

/// What `import reviews` did.
pub fn import_report(path: &Path, r: &crate::store::ImportReport) {
    println!(
        "{}: {} added, {} already in the database; {} created",
        path.display(),
        crate::error::count(r.added, "review"),
        r.skipped,
        crate::error::count(r.cards_created, "card")
    );
}

/// Where `backup` wrote the copy.
pub fn backup_done(path: &Path) {
    println!("Backed up to {}", path.display());
}

/// A card's schedule, like Anki's card info.
pub fn card_report(r: &CardReport, tz: &jiff::tz::TimeZone) {
    let h = &r.history;
    let local = |t: jiff::Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let retired = if h.retired { " (retired)" } else { "" };
    println!(
        "{BOLD}Card{BOLD:#}        {} in deck {}{retired}",
        safe(&h.card),
        safe(&h.deck)
    );
    println!("{BOLD}Prompt{BOLD:#}      {}", safe(&h.prompt));
    println!("{BOLD}Answer{BOLD:#}      {}", safe(&h.answer));
    let s = &r.state;
    let step = s
        .step
        .map_or_else(String::new, |n| format!(", step {}", n + 1));
    println!(
        "{BOLD}State{BOLD:#}       {}{step}; {} reviews, {} lapses; scheduler {}",
        s.phase.as_str(),
        s.reps,
        s.lapses,
        r.scheduler
    );
    if let Some(m) = s.memory {
        println!(
            "{BOLD}Memory{BOLD:#}      stability {:.2} days, difficulty {:.2} of 10",
            m.stability, m.difficulty
        );
    }
    if let Some(m) = s.sm2 {
        println!(
            "{BOLD}SM-2{BOLD:#}        ease {:.2}, {} repetitions, last interval {} days",
            m.ease, m.repetitions, m.interval_days
        );
    }
    if let Some(p) = r.retrievability {
        println!("{BOLD}Recall now{BOLD:#}  {:.0}% likely", p * 100.0);
    }
    if let Some(due) = s.due {
        let wait = due.duration_since(r.now);
        let when = if wait <= SignedDuration::ZERO {
            "due now".to_owned()
        } else {
            format!("in {}", duration(wait))
        };
        println!("{BOLD}Due{BOLD:#}         {} ({when})", local(due));
    }
    let next: Vec<String> = crate::schedule::Rating::ALL
        .iter()
        .zip(r.next_intervals)
        .map(|(rating, d)| format!("{} {}", rating.name(), duration(d)))
        .collect();
    println!("{BOLD}If now{BOLD:#}      {}", next.join(" · "));
    if h.reviews.is_empty() {
        println!("{BOLD}History{BOLD:#}     never reviewed");
    } else {
        println!("{BOLD}History{BOLD:#}");
        for review in &h.reviews {
            println!(
                "  {}  {:<5}  {:<7}  {:>6}  {}  {}{}",
                local(review.reviewed_at),
                review.rating.name(),
                review.verdict,
                format!("{:.1}s", review.response_ms as f64 / 1000.0),
                safe(&review.scheduler),
                if review.cram { "(cram) " } else { "" },
                safe(&review.answer)
            );
        }
    }
}

/// Writes a command's output to `path`, or to standard output.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<(), Error> {
    if let Some(path) = path {
        return std::fs::write(path, text).map_err(|source| Error::Write {
            path: path.to_owned(),
            source,
        });
    }
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(())
}

pub fn print_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = writeln!(out, "{text}");
}

/// A short human duration: `45s`, `10m`, `3h`, `12d`, `4mo`, `1.5y`.
pub fn duration(d: SignedDuration) -> String {
    let secs = d.as_secs().max(0);
    let days = secs as f64 / 86_400.0;
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3_600 {
        format!("{}m", (secs + 30) / 60)
    } else if secs < 86_400 {
        format!("{}h", (secs + 1_800) / 3_600)
    } else if days < 30.0 {
        format!("{}d", days.round())
    } else if days < 365.0 {
        format!("{}mo", (days / 30.0).round())
    } else {
        let years = days / 365.0;
        if years < 10.0 {
            format!("{years:.1}y")
        } else {
            format!("{}y", years.round())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(safe("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(safe("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(safe("\x07\x08"), "\\u{7}\\u{8}");
        assert_eq!(safe("Piatnitsky\nline"), "Piatnitsky\nline");
    }

    #[test]
    fn durations_are_short_and_rounded() {
        let case = |secs: i64, want: &str| {
            assert_eq!(duration(SignedDuration::from_secs(secs)), want, "{secs}s");
        };
        case(0, "0s");
        case(59, "59s");
        case(60, "1m");
        case(600, "10m");
        case(3 * 3600, "3h");
        case(2 * 86_400, "2d");
        case(45 * 86_400, "2mo");
        case(400 * 86_400, "1.1y");
        case(-5, "0s");
    }
}
