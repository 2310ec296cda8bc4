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
use crate::mark::Flag;
use crate::schedule::{CardState, Rating};
use crate::session::{
    Feedback, Mark, Marking, Prompt, Review, Session, Summary, Undo, UndoneReview, letter,
};
use crate::store::StoreError;

/// What a session's front end needs from the store (wired by `command`): commit an answer,
/// confirm that a card is still due before asking it, undo an answer and mark a card.
pub trait Journal {
    /// Commits one answer; called before the next question is shown. A review that made
    /// its card a leech also tags and suspends it.
    fn record(&mut self, review: &Review) -> Result<(), StoreError>;
    /// Whether the card `handle`, held by the session in state `held`, is still due: false
    /// when another process (a second session on the same database) reviewed it since.
    fn still_due(&mut self, handle: i64, held: &CardState) -> Result<bool, StoreError>;
    /// Deletes an answer `Session::undo` took back, and restores its card's state as the
    /// fold of the reviews that remain.
    fn undo(&mut self, undone: &UndoneReview) -> Result<(), StoreError>;
    /// Records a mark (suspend, bury, flag) put on a card from the session.
    fn mark(&mut self, marking: &Marking) -> Result<(), StoreError>;
}

/// The commands a learner can type at the `answer>` and `rate>` prompts (README, "Keys").
pub const HELP: &str = "Commands, typed at answer> or rate>:
  :u   undo: take back the last answer (at rate>, the answer just typed); repeatable
  :s   suspend this card: never shown again until `factdrill card unsuspend`
  :b   bury this card until tomorrow (4 am)
  :f [COLOUR] [NOTE]   flag this card (red unless a colour is given: red, orange, green,
       blue, pink, turquoise, purple or 1-7), with an optional note; `:f off` clears it
  :e   explain: after an answer, why it was graded so, the accepted answers and the source
  :q   quit (an answer already typed is recorded with the suggested rating)
  ?    this help
  An answer that starts with `:` is typed with two, `::like this`.";

/// A command typed at a prompt instead of an answer or rating.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Command {
    Undo,
    Suspend,
    Bury,
    Flag(Option<Flag>, Option<String>),
    Explain,
    Help,
    Quit,
}

/// `None`: the line is not a command (an answer; `::x` is the answer `:x`). `Some(Err)`:
/// a mistyped command, with what to say.
fn parse_command(line: &str) -> Option<Result<Command, String>> {
    let text = line.trim();
    if text == "?" {
        return Some(Ok(Command::Help));
    }
    let rest = text.strip_prefix(':')?;
    if rest.starts_with(':') {
        return None;
    }
    let (word, arg) = rest
        .split_once(char::is_whitespace)
        .map_or((rest, ""), |(w, a)| (w, a.trim()));
    Some(match word.to_lowercase().as_str() {
        "u" | "undo" => Ok(Command::Undo),
        "s" | "suspend" => Ok(Command::Suspend),
        "b" | "bury" => Ok(Command::Bury),
        "e" | "explain" => Ok(Command::Explain),
        "h" | "help" => Ok(Command::Help),
        "q" | "quit" => Ok(Command::Quit),
        "f" | "flag" => {
            let (first, note) = arg
                .split_once(char::is_whitespace)
                .map_or((arg, ""), |(c, n)| (c, n.trim()));
            if first.eq_ignore_ascii_case("off") {
                Ok(Command::Flag(None, None))
            } else if let Some(colour) = Flag::parse(first) {
                Ok(Command::Flag(
                    Some(colour),
                    Some(note.to_owned()).filter(|n| !n.is_empty()),
                ))
            } else {
                // No colour: red, and the whole argument is the note.
                Ok(Command::Flag(
                    Some(Flag::Red),
                    Some(arg.to_owned()).filter(|n| !n.is_empty()),
                ))
            }
        }
        _ => Err(format!(
            "`{}` is not a command; type ? for the list",
            safe(text)
        )),
    })
}

/// What to do after a command.
enum Flow {
    /// Ask the same prompt again.
    Stay,
    /// Go to the next card (or the same one, asked afresh).
    Next,
    /// End the session.
    Quit,
}

/// Runs a session to its end, recording each answer before the next prompt, and skipping
/// cards that another session answered meanwhile. Commands (`HELP`) are read at both prompts.
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
    let bug = |e: crate::session::SessionError| Error::Terminal(std::io::Error::other(e));

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
            session.skip().map_err(bug)?;
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
        let typed = match read_answer(&mut input, session, journal, echo)? {
            Step::Go(typed) => typed,
            Step::Next => {
                *shared.lock().unwrap_or_else(PoisonError::into_inner) = session.summary();
                println!();
                continue;
            }
            Step::Quit => break,
        };
        let answered = clock.now();
        let feedback = session
            .answer(&typed, elapsed_ms(asked, answered), answered)
            .map_err(bug)?;
        show_feedback(&feedback, session.prompt().map(|p| p.card));
        let (rating, ended) = match read_rating(&mut input, session, journal, &feedback, echo)? {
            Step::Go(rated) => rated,
            Step::Next => {
                *shared.lock().unwrap_or_else(PoisonError::into_inner) = session.summary();
                println!();
                continue;
            }
            // Quitting keeps the answer, as the end of input does.
            Step::Quit => (feedback.suggested, true),
        };
        let review = session.rate(rating, answered).map_err(bug)?;
        {
            let mut guard = shared.lock().unwrap_or_else(PoisonError::into_inner);
            journal.record(&review)?;
            *guard = session.summary();
        }
        if let Some(leech) = review.leech {
            println!(
                "{WARN}Leech:{WARN:#} `{}` was forgotten {} (the threshold is {}); it is tagged leech and suspended. Rewrite it, or bring it back with `factdrill card unsuspend {}/{}`.",
                safe(review.card.as_str()),
                crate::error::count(leech.lapses as usize, "time"),
                leech.threshold,
                safe(&deck_of(session, &review)),
                safe(review.card.as_str())
            );
        }
        if ended {
            break;
        }
        println!();
    }
    Ok(session.summary())
}

/// Where a prompt leads.
enum Step<T> {
    /// What was typed.
    Go(T),
    /// A command moved on: show the next prompt.
    Next,
    /// End the session.
    Quit,
}

/// Reads the answer at `answer>`, running the commands typed there.
fn read_answer(
    input: &mut impl BufRead,
    session: &mut Session,
    journal: &mut impl Journal,
    echo: bool,
) -> Result<Step<String>, Error> {
    loop {
        let Some(line) = read(input, "answer> ", echo)? else {
            return Ok(Step::Quit);
        };
        match parse_command(&line) {
            None => {
                // `::x` is the answer `:x`.
                let trimmed = line.trim_start();
                return Ok(Step::Go(match trimmed.strip_prefix(':') {
                    Some(rest) if rest.starts_with(':') => rest.to_owned(),
                    _ => line,
                }));
            }
            Some(Err(message)) => println!("{message}"),
            Some(Ok(command)) => match run_command(&command, session, journal, None)? {
                Flow::Stay => {}
                Flow::Next => return Ok(Step::Next),
                Flow::Quit => return Ok(Step::Quit),
            },
        }
    }
}

/// Reads the rating at `rate>` (and whether input ended), running the commands typed there.
fn read_rating(
    input: &mut impl BufRead,
    session: &mut Session,
    journal: &mut impl Journal,
    feedback: &Feedback,
    echo: bool,
) -> Result<Step<(Rating, bool)>, Error> {
    loop {
        match ask_rating(input, feedback, session.is_cram(), echo)? {
            Rated::Rating(rating, ended) => return Ok(Step::Go((rating, ended))),
            Rated::Command(command) => {
                match run_command(&command, session, journal, Some(feedback))? {
                    Flow::Stay => {}
                    Flow::Next => return Ok(Step::Next),
                    Flow::Quit => return Ok(Step::Quit),
                }
            }
        }
    }
}

/// The deck id of a reviewed card, for messages.
fn deck_of(session: &Session, review: &Review) -> String {
    session.deck_id(review.deck).to_owned()
}

/// Runs a command typed at a prompt; `feedback` is the graded answer at the rating prompt.
fn run_command(
    command: &Command,
    session: &mut Session,
    journal: &mut impl Journal,
    feedback: Option<&Feedback>,
) -> Result<Flow, Error> {
    let card = session
        .prompt()
        .map(|p| (p.card.id.to_string(), p.deck_id.to_owned()));
    let bug = |e: crate::session::SessionError| Error::Terminal(std::io::Error::other(e));
    match command {
        Command::Help => {
            println!("{HELP}");
            Ok(Flow::Stay)
        }
        Command::Quit => Ok(Flow::Quit),
        Command::Explain => {
            if let (Some(feedback), Some(prompt)) = (feedback, session.prompt()) {
                explain(feedback, prompt.card);
            } else {
                println!(
                    "{DIM}Answer first (Enter alone gives up); then :e explains the grade.{DIM:#}"
                );
            }
            Ok(Flow::Stay)
        }
        Command::Undo => match session.undo() {
            Ok(Undo::Answer) => {
                println!("{DIM}Answer taken back; answer again.{DIM:#}");
                Ok(Flow::Next)
            }
            Ok(Undo::Review(undone)) => {
                journal.undo(&undone)?;
                println!(
                    "{DIM}Undone: your last answer to `{}` is deleted; it is asked again.{DIM:#}",
                    safe(undone.card.as_str())
                );
                Ok(Flow::Next)
            }
            Err(_) => {
                println!("{DIM}Nothing to undo.{DIM:#}");
                Ok(Flow::Stay)
            }
        },
        Command::Suspend | Command::Bury | Command::Flag(..) => {
            let Some((id, deck)) = card else {
                return Ok(Flow::Stay);
            };
            let marking = match command {
                Command::Suspend => session.suspend(),
                Command::Bury => session.bury(),
                Command::Flag(flag, note) => session.flag(*flag, note.clone()),
                _ => unreachable!("only marks reach here"),
            }
            .map_err(bug)?;
            journal.mark(&marking)?;
            let (id, deck) = (safe(&id), safe(&deck));
            match &marking.mark {
                Mark::Suspend => {
                    println!(
                        "{DIM}Suspended `{id}`: it is not shown again until `factdrill card unsuspend {deck}/{id}`.{DIM:#}"
                    );
                    Ok(Flow::Next)
                }
                Mark::Bury { .. } => {
                    println!("{DIM}Buried `{id}` until tomorrow.{DIM:#}");
                    Ok(Flow::Next)
                }
                Mark::Flag {
                    flag: Some(flag), ..
                } => {
                    println!("{DIM}Flagged `{id}` {flag}.{DIM:#}");
                    Ok(Flow::Stay)
                }
                Mark::Flag { flag: None, .. } => {
                    println!("{DIM}Flag removed from `{id}`.{DIM:#}");
                    Ok(Flow::Stay)
                }
            }
        }
    }
}

/// `:e` after an answer: the grader's whole explanation, what else is accepted, and the
/// card's explanation and source.
fn explain(feedback: &Feedback, card: &crate::deck::Card) {
    println!("{DIM}Grade:{DIM:#} {}", safe(&feedback.grade.explanation));
    println!("{DIM}Answer:{DIM:#} {}", safe(&feedback.correct_answer));
    if !card.accept.is_empty() {
        let accepted: Vec<String> = card.accept.iter().map(|a| safe(a)).collect();
        println!("{DIM}Also accepted:{DIM:#} {}", accepted.join("; "));
    }
    if let Some(explanation) = &card.explanation {
        println!("{DIM}Explanation:{DIM:#} {}", safe(explanation));
    }
    if let Some(source) = &card.source {
        println!("{DIM}Source:{DIM:#} {}", safe(source));
    }
    if !card.tags.is_empty() {
        println!("{DIM}Tags:{DIM:#} {}", safe(&card.tags.join(", ")));
    }
}

fn elapsed_ms(from: Timestamp, to: Timestamp) -> u64 {
    u64::try_from(to.duration_since(from).as_millis()).unwrap_or(0)
}

fn header(summary: &Summary) {
    if summary.left == 0 {
        println!("Nothing is due now.");
    } else {
        println!(
            "{} to study. Type your answer and press Enter; ? lists commands (:u undo, :s suspend, :b bury, :f flag); Ctrl-D or Ctrl-C stops.\n",
            crate::error::count(summary.left as usize, "card")
        );
    }
}

fn show(prompt: &Prompt<'_>) {
    let mut tag = if prompt.is_new { ", new" } else { "" }.to_owned();
    if let Some(flag) = prompt.flag {
        tag.push_str(&format!(", flagged {flag}"));
        if let Some(note) = prompt.note {
            tag.push_str(&format!(": {}", safe(note)));
        }
    }
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
    // The two facts side by side: what the answer given is really the answer to.
    if let Some(confusion) = &feedback.confusion {
        println!("  {}", safe(&confusion.contrast()));
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

/// What the learner typed at the rating prompt.
enum Rated {
    /// A rating, and whether input ended (EOF after an answer still records it, with the
    /// suggested rating).
    Rating(Rating, bool),
    Command(Command),
}

/// Asks for a rating; Enter takes the suggestion. Commands are returned to the caller.
fn ask_rating(
    input: &mut impl BufRead,
    feedback: &Feedback,
    cram: bool,
    echo: bool,
) -> Result<Rated, Error> {
    let suggested = feedback.suggested;
    let options: Vec<String> = Rating::ALL
        .iter()
        .zip(feedback.intervals)
        .map(|(r, d)| {
            if cram {
                format!("{} {}", r.number(), r.name())
            } else {
                format!("{} {} {}", r.number(), r.name(), duration(d))
            }
        })
        .collect();
    let cram_note = if cram {
        " (cram: no schedule changes)"
    } else {
        ""
    };
    println!(
        "{DIM}{}; Enter = {} {}{cram_note}{DIM:#}",
        options.join(" · "),
        suggested.number(),
        suggested.name()
    );
    loop {
        let Some(line) = read(input, "rate> ", echo)? else {
            return Ok(Rated::Rating(suggested, true));
        };
        match parse_command(&line) {
            Some(Ok(command)) => return Ok(Rated::Command(command)),
            Some(Err(message)) => {
                println!("{message}");
                continue;
            }
            None => {}
        }
        let line = line.trim().to_lowercase();
        if line.is_empty() {
            return Ok(Rated::Rating(suggested, false));
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
            return Ok(Rated::Rating(rating, false));
        }
        println!(
            "Type 1, 2, 3 or 4, or press Enter for {} (? for commands).",
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
