//! The study screen's state and loop: which question is up, what is typed, what the last
//! answer got, and each key's intent applied to the session, the journal and the actions.
//! No terminal here: events come in and screens go out through closures, so the loop is
//! tested with scripted keys and a fake journal.

use crossterm::event::KeyEvent;
use jiff::Timestamp;

use super::input::LineInput;
use super::keys::{self, Intent, Mode};
use super::view::{
    Body, Choice, FeedbackView, InputView, KeyHint, Mark, Overlay, Question, RatingOption, Screen,
    Status,
};
use super::{Actions, Outcome};
use crate::cli::Clock;
use crate::deck::{Card, Kind};
use crate::error::Error;
use crate::grade::Verdict;
use crate::schedule::Rating;
use crate::session::{Feedback, Prompt, Session, SessionError, Summary, letter};
use crate::term::{Journal, duration, safe};

/// What the terminal said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Key(KeyEvent),
    /// The window changed size: draw again.
    Resize,
    /// Nothing happened for a while: draw again (the elapsed time moves on).
    Tick,
    /// The terminal is gone: end as on `q`.
    Closed,
}

enum Stage {
    /// Take the next question from the session.
    Next,
    Asking {
        input: LineInput,
        typing: bool,
        asked: Timestamp,
    },
    Answered {
        feedback: Feedback,
        typed: String,
        answered: Timestamp,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// The actions a front end dispatches to `Actions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Undo,
    Suspend,
    Bury,
    Flag,
}

/// Runs a session on the screen until it is over or the learner quits. Each answer is
/// recorded through `front` before the next question; a card another session answered since
/// the queue was built is skipped, as in line mode.
pub fn run<F: Journal + Actions>(
    session: &mut Session,
    clock: &Clock,
    front: &mut F,
    mut next: impl FnMut() -> Result<Signal, Error>,
    mut draw: impl FnMut(&Screen) -> Result<(), Error>,
) -> Result<Summary, Error> {
    let mut app = App {
        clock,
        started: clock.now(),
        stage: Stage::Next,
        overlay: None,
        status: None,
    };
    // The screen last drawn: an unchanged one is not sent again (the clock ticks every
    // second), except after a resize, when everything is drawn anew.
    let mut last: Option<Screen> = None;
    loop {
        if matches!(app.stage, Stage::Next) && !app.next_question(session, front)? {
            break;
        }
        let screen = app.screen(session);
        if last.as_ref() != Some(&screen) {
            draw(&screen)?;
            last = Some(screen);
        }
        let intent = match next()? {
            Signal::Key(key) => match keys::intent(key, app.mode(session)) {
                Some(intent) => intent,
                None => continue,
            },
            Signal::Resize => {
                last = None;
                continue;
            }
            Signal::Tick => continue,
            Signal::Closed => Intent::Quit,
        };
        if app.apply(intent, session, front)? == Flow::Quit {
            break;
        }
    }
    Ok(session.summary())
}

struct App<'c> {
    clock: &'c Clock,
    started: Timestamp,
    stage: Stage,
    overlay: Option<Overlay>,
    status: Option<Status>,
}

fn session_error(e: SessionError) -> Error {
    Error::Terminal(std::io::Error::other(e))
}

impl App<'_> {
    /// Moves to the next question still due; false when the session is over.
    fn next_question(
        &mut self,
        session: &mut Session,
        journal: &mut impl Journal,
    ) -> Result<bool, Error> {
        loop {
            let Some(prompt) = session.prompt() else {
                return Ok(false);
            };
            let id = prompt.card.id.to_string();
            let picks = prompt.card.kind == Kind::Choice && !prompt.choices.is_empty();
            // As in line mode: another session on this database may have answered the card
            // since the queue was built.
            if let Some((handle, held)) = session.current()
                && !journal.still_due(handle, held)?
            {
                session.skip().map_err(session_error)?;
                self.status = Some(Status {
                    text: format!(
                        "Skipped `{}`: another session answered it after this one started.",
                        safe(&id)
                    ),
                    warn: false,
                });
                continue;
            }
            self.stage = Stage::Asking {
                input: LineInput::default(),
                typing: !picks,
                asked: self.clock.now(),
            };
            return Ok(true);
        }
    }

    fn mode(&self, session: &mut Session) -> Mode {
        if self.overlay.is_some() {
            return Mode::Overlay;
        }
        match &self.stage {
            Stage::Asking {
                input,
                typing: true,
                ..
            } => Mode::Typing {
                empty: input.is_empty(),
            },
            Stage::Asking { typing: false, .. } => Mode::Question {
                choices: session.prompt().map_or(0, |p| picks(&p)),
            },
            Stage::Answered { .. } | Stage::Next => Mode::Rating,
        }
    }

    fn apply<F: Journal + Actions>(
        &mut self,
        intent: Intent,
        session: &mut Session,
        front: &mut F,
    ) -> Result<Flow, Error> {
        if let Stage::Asking { input, typing, .. } = &mut self.stage {
            let edited = match intent {
                Intent::Insert(c) => {
                    input.insert(c);
                    true
                }
                Intent::Backspace => {
                    input.backspace();
                    true
                }
                Intent::Delete => {
                    input.delete();
                    true
                }
                Intent::Left => {
                    input.left();
                    true
                }
                Intent::Right => {
                    input.right();
                    true
                }
                Intent::Home => {
                    input.home();
                    true
                }
                Intent::End => {
                    input.end();
                    true
                }
                Intent::KillToStart => {
                    input.kill_to_start();
                    true
                }
                Intent::KillToEnd => {
                    input.kill_to_end();
                    true
                }
                Intent::KillWord => {
                    input.kill_word();
                    true
                }
                Intent::Commands => {
                    *typing = false;
                    true
                }
                Intent::Typing => {
                    *typing = true;
                    true
                }
                _ => false,
            };
            if edited {
                return Ok(Flow::Continue);
            }
        }
        match intent {
            Intent::Submit => {
                if let Stage::Asking { input, .. } = &self.stage {
                    let typed = input.text();
                    self.answer(session, &typed)?;
                }
            }
            Intent::Choose(i) => self.answer(session, &letter(i).to_string())?,
            Intent::Rate(rating) => self.rate(session, front, Some(rating))?,
            Intent::Accept => self.rate(session, front, None)?,
            Intent::Undo => self.act(Action::Undo, session, front)?,
            Intent::Suspend => self.act(Action::Suspend, session, front)?,
            Intent::Bury => self.act(Action::Bury, session, front)?,
            Intent::Flag => self.act(Action::Flag, session, front)?,
            Intent::Explain => match &self.stage {
                Stage::Answered {
                    feedback, typed, ..
                } => {
                    let rows = session
                        .prompt()
                        .map(|p| explain(&p, feedback, typed))
                        .unwrap_or_default();
                    self.overlay = Some(Overlay::Explain(rows));
                }
                _ => {
                    self.status = Some(Status {
                        text: "The explanation is shown once you have answered.".to_owned(),
                        warn: false,
                    });
                }
            },
            Intent::Help => self.overlay = Some(Overlay::Help),
            Intent::Close => self.overlay = None,
            Intent::Quit => {
                // An answer on screen is never lost: it is recorded with the suggested
                // rating, as line mode does at end of input.
                if matches!(self.stage, Stage::Answered { .. }) {
                    self.rate(session, front, None)?;
                }
                return Ok(Flow::Quit);
            }
            // Editing keys with no answer line on screen.
            _ => {}
        }
        Ok(Flow::Continue)
    }

    fn answer(&mut self, session: &mut Session, typed: &str) -> Result<(), Error> {
        let Stage::Asking { asked, .. } = self.stage else {
            return Ok(());
        };
        let answered = self.clock.now();
        let ms = u64::try_from(answered.duration_since(asked).as_millis()).unwrap_or(0);
        let feedback = session.answer(typed, ms, answered).map_err(session_error)?;
        self.status = None;
        self.stage = Stage::Answered {
            feedback,
            typed: typed.trim().to_owned(),
            answered,
        };
        Ok(())
    }

    /// Rates the answer on screen (`None`: the suggested rating) and commits the review
    /// before anything else is shown.
    fn rate(
        &mut self,
        session: &mut Session,
        journal: &mut impl Journal,
        rating: Option<Rating>,
    ) -> Result<(), Error> {
        let Stage::Answered {
            feedback, answered, ..
        } = &self.stage
        else {
            return Ok(());
        };
        let review = session
            .rate(rating.unwrap_or(feedback.suggested), *answered)
            .map_err(session_error)?;
        journal.record(&review)?;
        self.stage = Stage::Next;
        self.status = None;
        Ok(())
    }

    /// Hands an action to the front end. When it changed which card is up (undo brings the
    /// last one back, suspend takes this one away), the screen starts again from the
    /// session; otherwise what is typed or shown stays.
    fn act(
        &mut self,
        action: Action,
        session: &mut Session,
        actions: &mut impl Actions,
    ) -> Result<(), Error> {
        let before = (session.current().map(|c| c.0), session.awaiting_rating());
        let now = self.clock.now();
        let outcome = match action {
            Action::Undo => actions.undo(session, now)?,
            Action::Suspend => actions.suspend(session, now)?,
            Action::Bury => actions.bury(session, now)?,
            Action::Flag => actions.flag(session, now)?,
        };
        let after = (session.current().map(|c| c.0), session.awaiting_rating());
        self.status = Some(match outcome {
            Outcome::Done(text) => Status { text, warn: false },
            Outcome::Refused(text) => Status { text, warn: true },
        });
        if before != after {
            self.stage = Stage::Next;
        }
        Ok(())
    }

    fn screen(&self, session: &mut Session) -> Screen {
        let summary = session.summary();
        let mode = self.mode(session);
        let (deck, body) = match session.prompt() {
            Some(prompt) => (safe(prompt.deck_name), self.body(&prompt)),
            // Between questions there is nothing to draw; the loop never gets here.
            None => (
                String::new(),
                Body::Asking {
                    question: Question {
                        prompt: String::new(),
                        is_new: false,
                        hint: None,
                        choices: Vec::new(),
                    },
                    input: InputView {
                        text: String::new(),
                        cursor: 0,
                    },
                    typing: false,
                },
            ),
        };
        Screen {
            deck,
            answered: summary.answered,
            total: summary.answered + summary.left,
            elapsed_secs: u64::try_from(self.clock.now().duration_since(self.started).as_secs())
                .unwrap_or(0),
            body,
            status: self.status.clone(),
            keys: key_hints(mode),
            overlay: self.overlay.clone(),
        }
    }

    fn body(&self, prompt: &Prompt<'_>) -> Body {
        match &self.stage {
            Stage::Answered {
                feedback, typed, ..
            } => Body::Answered {
                question: question(prompt, Some((feedback, typed))),
                feedback: feedback_view(feedback, prompt.card, typed),
            },
            Stage::Asking { input, typing, .. } => Body::Asking {
                question: question(prompt, None),
                input: InputView {
                    text: input.text(),
                    cursor: input.cursor(),
                },
                typing: *typing,
            },
            Stage::Next => Body::Asking {
                question: question(prompt, None),
                input: InputView {
                    text: String::new(),
                    cursor: 0,
                },
                typing: false,
            },
        }
    }
}

/// How many choices single letters pick on this question.
fn picks(prompt: &Prompt<'_>) -> usize {
    if prompt.card.kind == Kind::Choice {
        prompt.choices.len().min(26)
    } else {
        0
    }
}

fn question(prompt: &Prompt<'_>, answered: Option<(&Feedback, &str)>) -> Question {
    let card = prompt.card;
    let hint = match card.kind {
        Kind::Ordering => Some(format!(
            "Type the letters in order, e.g. {}",
            (0..prompt.choices.len())
                .rev()
                .map(letter)
                .collect::<String>()
        )),
        Kind::TrueFalse => Some("True or false?".to_owned()),
        _ => None,
    };
    let choices = prompt
        .choices
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mark = match answered {
                Some((_, typed)) if card.kind == Kind::Choice => {
                    let picked = typed.eq_ignore_ascii_case(&letter(i).to_string())
                        || typed.eq_ignore_ascii_case(text);
                    if *text == card.answer {
                        Mark::Correct
                    } else if picked {
                        Mark::Picked
                    } else {
                        Mark::Plain
                    }
                }
                _ => Mark::Plain,
            };
            Choice {
                letter: letter(i),
                text: safe(text),
                mark,
            }
        })
        .collect();
    Question {
        prompt: safe(&card.prompt),
        is_new: prompt.is_new,
        hint,
        choices,
    }
}

/// The grader's sentence without its leading verdict word ("wrong: ..."): the screen shows
/// the verdict itself, in colour.
fn without_verdict(explanation: &str) -> &str {
    explanation
        .split_once(": ")
        .filter(|(head, _)| {
            matches!(
                *head,
                "correct" | "accepted" | "close" | "partial" | "wrong"
            )
        })
        .map_or(explanation, |(_, rest)| rest)
}

/// What line mode prints after an answer, as a view.
fn feedback_view(feedback: &Feedback, card: &Card, typed: &str) -> FeedbackView {
    let grade = &feedback.grade;
    let explanation = without_verdict(&grade.explanation);
    let ordering = card.kind == Kind::Ordering;
    let mut message = safe(explanation);
    if grade.verdict != Verdict::Correct && !ordering && !explanation.contains(&card.answer) {
        message.push_str(&format!(
            "; the answer is {}",
            safe(&feedback.correct_answer)
        ));
    }
    let mut details = Vec::new();
    if let Some(confusion) = &feedback.confusion {
        details.push(safe(&confusion.contrast()));
    }
    if ordering && grade.verdict != Verdict::Correct {
        details.push(safe(&card.answer));
    }
    if let Some(explanation) = &card.explanation {
        details.push(safe(explanation));
    }
    let source = card
        .source
        .as_ref()
        .filter(|s| Some(*s) != card.explanation.as_ref())
        .map(|s| safe(s));
    FeedbackView {
        typed: safe(typed),
        verdict: grade.verdict,
        message,
        details,
        source,
        ratings: rating_options(feedback),
        suggested: feedback.suggested,
    }
}

fn rating_options(feedback: &Feedback) -> Vec<RatingOption> {
    Rating::ALL
        .iter()
        .zip(feedback.intervals)
        .map(|(&rating, d)| RatingOption {
            rating,
            interval: duration(d),
        })
        .collect()
}

/// The explain view: everything known about the card and this answer.
fn explain(prompt: &Prompt<'_>, feedback: &Feedback, typed: &str) -> Vec<(String, String)> {
    let card = prompt.card;
    let mut rows = Vec::new();
    let mut about = format!(
        "{} in deck {}, a {} question",
        safe(card.id.as_str()),
        safe(prompt.deck_name),
        card.kind
    );
    if !card.tags.is_empty() {
        about.push_str(&format!("; tags: {}", safe(&card.tags.join(", "))));
    }
    rows.push(("Card".to_owned(), about));
    rows.push(("Answer".to_owned(), safe(&feedback.correct_answer)));
    if !card.accept.is_empty() {
        rows.push(("Also accepted".to_owned(), safe(&card.accept.join("; "))));
    }
    let typed = if typed.is_empty() { "(nothing)" } else { typed };
    rows.push((
        "Your answer".to_owned(),
        format!("{} ({})", safe(typed), feedback.grade.verdict.as_str()),
    ));
    rows.push(("Grading".to_owned(), safe(&feedback.grade.explanation)));
    if let Some(explanation) = &card.explanation {
        rows.push(("Explanation".to_owned(), safe(explanation)));
    }
    if let Some(source) = &card.source {
        rows.push(("Source".to_owned(), safe(source)));
    }
    let next: Vec<String> = rating_options(feedback)
        .iter()
        .map(|o| format!("{} {} {}", o.rating.number(), o.rating.name(), o.interval))
        .collect();
    rows.push((
        "Next review".to_owned(),
        format!(
            "{}; suggested: {}",
            next.join(", "),
            feedback.suggested.name()
        ),
    ));
    rows
}

/// The key bar for the screen showing now.
fn key_hints(mode: Mode) -> Vec<KeyHint> {
    const fn k(key: &'static str, label: &'static str) -> KeyHint {
        KeyHint { key, label }
    }
    const COMMANDS: [(char, KeyHint); 4] = [
        ('u', k("u", "undo")),
        ('s', k("s", "suspend")),
        ('b', k("b", "bury")),
        ('f', k("f", "flag")),
    ];
    match mode {
        Mode::Typing { .. } => vec![
            k("Enter", "answer"),
            k("Esc", "keys: u undo, s suspend, b bury, f flag, q quit"),
            k("F1", "help"),
            k("Ctrl-C", "quit"),
        ],
        Mode::Question { choices } => {
            let mut keys = Vec::new();
            if choices > 0 {
                const RANGES: [&str; 6] = ["a", "a-b", "a-c", "a-d", "a-e", "a-f"];
                keys.push(k(RANGES.get(choices - 1).unwrap_or(&"a-z"), "choose"));
            }
            keys.extend(
                COMMANDS
                    .iter()
                    .filter(|(c, _)| !keys::shadowed(*c, choices))
                    .map(|(_, hint)| hint.clone()),
            );
            keys.extend([k("i", "type"), k("?", "help"), k("q", "quit")]);
            keys
        }
        Mode::Rating => {
            let mut keys = vec![k("1-4", "rate"), k("Enter", "accept")];
            keys.extend(COMMANDS.iter().map(|(_, hint)| hint.clone()));
            keys.extend([k("e", "explain"), k("?", "help"), k("q", "quit")]);
            keys
        }
        Mode::Overlay => vec![k("Esc", "close"), k("Ctrl-C", "quit")],
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
