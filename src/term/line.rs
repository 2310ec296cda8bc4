//! Line mode: one prompt per line, answers read line by line from stdin. Works the same on a
//! terminal and over a pipe (where the answers are echoed so the transcript reads well).
//! EOF or Ctrl-C ends the session with its summary; every answer was already committed.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};

use jiff::Timestamp;

use super::{BAD, DIM, GOOD, WARN, duration, safe};
use crate::cli::Clock;
use crate::deck::Kind;
use crate::error::Error;
use crate::grade::Verdict;
use crate::schedule::{CardState, Rating};
use crate::session::{Feedback, Prompt, Review, Session, Summary, letter};
use crate::store::StoreError;

/// What line mode needs from the store (wired by `command`): commit an answer, and confirm
/// that a card is still due before asking it.
pub trait Journal {
    /// Commits one answer; called before the next question is shown.
    fn record(&mut self, review: &Review) -> Result<(), StoreError>;
    /// Whether the card `handle`, held by the session in state `held`, is still due: false
    /// when another process (a second session on the same database) reviewed it since.
    fn still_due(&mut self, handle: i64, held: &CardState) -> Result<bool, StoreError>;
}

/// Runs a session to its end, recording each answer before the next prompt, and skipping
/// cards that another session answered meanwhile.
pub fn study(
    session: &mut Session,
    clock: &Clock,
    journal: &mut impl Journal,
) -> Result<Summary, Error> {
    let stdin = std::io::stdin();
    let echo = !stdin.is_terminal();
    let mut input = stdin.lock();

    // Ctrl-C prints the summary of what was committed and exits. The lock is held while an
    // answer is committed, so an interrupt never lands between a review and its summary.
    let shared = Arc::new(Mutex::new(session.summary()));
    {
        let shared = Arc::clone(&shared);
        // If a handler is already installed (a second session in one process), Ctrl-C keeps
        // its default meaning; committed answers are safe either way.
        let _ = ctrlc::set_handler(move || {
            let summary = *shared.lock().unwrap_or_else(PoisonError::into_inner);
            println!("\n{WARN}Interrupted.{WARN:#}");
            println!("{}", super::summary_text(&summary, None));
            std::process::exit(130);
        });
    }

    header(&session.summary());
    while let Some(prompt) = session.prompt() {
        let id = prompt.card.id.clone();
        // The queue was built at the start; another session on this database may have
        // answered the card since. Checked just before showing it, so a card answered
        // elsewhere is never asked twice (unless both sessions show it at the same moment,
        // which the store notices when recording).
        if let Some((handle, held)) = session.current()
            && !journal.still_due(handle, held)?
        {
            session
                .skip()
                .map_err(|e| Error::Terminal(std::io::Error::other(e)))?;
            *shared.lock().unwrap_or_else(PoisonError::into_inner) = session.summary();
            println!(
                "{DIM}Skipping `{}`: another session answered it after this one started.{DIM:#}",
                safe(id.as_str())
            );
            continue;
        }
        let Some(prompt) = session.prompt() else {
            break;
        };
        show(&prompt);
        let asked = clock.now();
        let Some(typed) = read(&mut input, "answer> ", echo)? else {
            break;
        };
        let answered = clock.now();
        let feedback = session
            .answer(&typed, elapsed_ms(asked, answered), answered)
            .map_err(|e| Error::Terminal(std::io::Error::other(e)))?;
        show_feedback(&feedback, session.prompt().map(|p| p.card));
        let (rating, ended) = ask_rating(&mut input, feedback.suggested, &feedback, echo)?;
        let review = session
            .rate(rating, answered)
            .map_err(|e| Error::Terminal(std::io::Error::other(e)))?;
        {
            let mut guard = shared.lock().unwrap_or_else(PoisonError::into_inner);
            journal.record(&review)?;
            *guard = session.summary();
        }
        if ended {
            break;
        }
        println!();
    }
    Ok(session.summary())
}

fn elapsed_ms(from: Timestamp, to: Timestamp) -> u64 {
    u64::try_from(to.duration_since(from).as_millis()).unwrap_or(0)
}

fn header(summary: &Summary) {
    if summary.left == 0 {
        println!("Nothing is due now.");
    } else {
        println!(
            "{} to study. Type your answer and press Enter; Ctrl-D or Ctrl-C stops.\n",
            crate::error::count(summary.left as usize, "card")
        );
    }
}

fn show(prompt: &Prompt<'_>) {
    let tag = if prompt.is_new { ", new" } else { "" };
    println!(
        "{DIM}[{}/{}{tag}]{DIM:#} {}",
        prompt.number,
        prompt.total,
        safe(&prompt.card.prompt)
    );
    match prompt.card.kind {
        Kind::Ordering => println!(
            "{DIM}Type the letters in order, e.g. {}{DIM:#}",
            (0..prompt.choices.len())
                .rev()
                .map(letter)
                .collect::<String>()
        ),
        Kind::TrueFalse => println!("{DIM}True or false?{DIM:#}"),
        _ => {}
    }
    for (i, choice) in prompt.choices.iter().enumerate() {
        println!("  {}) {}", letter(i), safe(choice));
    }
}

fn show_feedback(feedback: &Feedback, card: Option<&crate::deck::Card>) {
    let grade = &feedback.grade;
    // The grader's explanation is a sentence that starts with its verdict ("wrong: ..."); the
    // headline shows the verdict in colour instead, then the rest of the sentence.
    let explanation = grade
        .explanation
        .split_once(": ")
        .filter(|(head, _)| {
            matches!(
                *head,
                "correct" | "accepted" | "close" | "partial" | "wrong"
            )
        })
        .map_or(grade.explanation.as_str(), |(_, rest)| rest);
    let mut text = safe(explanation);
    let answer = card.map_or(feedback.correct_answer.as_str(), |c| c.answer.as_str());
    let ordering = card.is_some_and(|c| c.kind == Kind::Ordering);
    if grade.verdict != Verdict::Correct && !ordering && !explanation.contains(answer) {
        text.push_str(&format!(
            "; the answer is {}",
            safe(&feedback.correct_answer)
        ));
    }
    match grade.verdict {
        Verdict::Correct => println!("{GOOD}Correct:{GOOD:#} {text}"),
        Verdict::Close => println!("{GOOD}Accepted:{GOOD:#} {text}"),
        Verdict::Partial => println!("{WARN}Partly right:{WARN:#} {text}"),
        Verdict::Wrong => println!("{BAD}Wrong:{BAD:#} {text}"),
    }
    if let Some(card) = card {
        if ordering && grade.verdict != Verdict::Correct {
            println!("  {}", safe(&card.answer));
        }
        if let Some(explanation) = &card.explanation {
            println!("  {}", safe(explanation));
        }
        if let Some(source) = card
            .source
            .as_ref()
            .filter(|s| Some(*s) != card.explanation.as_ref())
        {
            println!("  {DIM}Source: {}{DIM:#}", safe(source));
        }
    }
}

/// Asks for a rating; Enter takes the suggestion. Returns the rating and whether input ended
/// (EOF after an answer still records it, with the suggested rating).
fn ask_rating(
    input: &mut impl BufRead,
    suggested: Rating,
    feedback: &Feedback,
    echo: bool,
) -> Result<(Rating, bool), Error> {
    let options: Vec<String> = Rating::ALL
        .iter()
        .zip(feedback.intervals)
        .map(|(r, d)| format!("{} {} {}", r.number(), r.name(), duration(d)))
        .collect();
    println!(
        "{DIM}{}; Enter = {} {}{DIM:#}",
        options.join(" · "),
        suggested.number(),
        suggested.name()
    );
    loop {
        let Some(line) = read(input, "rate> ", echo)? else {
            return Ok((suggested, true));
        };
        let line = line.trim().to_lowercase();
        if line.is_empty() {
            return Ok((suggested, false));
        }
        let chosen = line
            .parse::<i64>()
            .ok()
            .and_then(Rating::from_number)
            .or_else(|| {
                Rating::ALL
                    .into_iter()
                    .find(|r| r.name().to_lowercase() == line)
            });
        if let Some(rating) = chosen {
            return Ok((rating, false));
        }
        println!(
            "Type 1, 2, 3 or 4, or press Enter for {}.",
            suggested.name()
        );
    }
}

/// Prints `label` and reads one line; `None` at end of input. Invalid UTF-8 is replaced,
/// never an error: a learner's typo must not end the session.
fn read(input: &mut impl BufRead, label: &str, echo: bool) -> Result<Option<String>, Error> {
    print!("{label}");
    std::io::stdout().flush().map_err(Error::Terminal)?;
    let mut bytes = Vec::new();
    let n = input
        .read_until(b'\n', &mut bytes)
        .map_err(Error::Terminal)?;
    if n == 0 {
        println!();
        return Ok(None);
    }
    let line = String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\n', '\r'])
        .to_owned();
    if echo {
        println!("{}", safe(&line));
    }
    Ok(Some(line))
}
