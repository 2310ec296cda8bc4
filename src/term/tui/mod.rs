//! The full-screen study front end (ratatui on crossterm), used when stdin and stdout are
//! both terminals. It drives the same `Session` as line mode and commits every answer through
//! the same `Journal` before the next question. This file owns the terminal: raw mode, the
//! alternate screen, and putting both back on every way out (quit, Ctrl-C, error, panic).
//!
//! The parts: `keys` (key -> `Intent`), `input` (the answer line), `view` (a pure rendering
//! of a `Screen` view model), `app` (state and loop, free of the terminal).

mod app;
mod input;
mod keys;
mod view;

use std::io::{IsTerminal, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub use app::Signal;
pub use keys::Intent;
pub use view::{Look, Screen};

use crate::cli::Clock;
use crate::error::Error;
use crate::session::{Session, Summary};
use crate::term::Journal;

/// What an action did, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done. If it changed which card is up (undo brings the last one back, suspend takes
    /// this one away), the screen starts again from the session.
    Done(String),
    /// Not done (nothing to undo, not available in this build): said in the status line.
    Refused(String),
}

/// The session commands beyond answering, implemented by the command layer on the store
/// (each one changes the session and the database together). Each gets the session as it
/// stands: a question asked (`Session::current`) or an answer awaiting its rating
/// (`Session::awaiting_rating`), and returns what to tell the learner.
pub trait Actions {
    /// Takes back the last answer committed in this session.
    fn undo(&mut self, session: &mut Session, now: Timestamp) -> Result<Outcome, Error>;
    /// Takes the card on screen out of study until it is unsuspended.
    fn suspend(&mut self, session: &mut Session, now: Timestamp) -> Result<Outcome, Error>;
    /// Puts the card on screen off until tomorrow.
    fn bury(&mut self, session: &mut Session, now: Timestamp) -> Result<Outcome, Error>;
    /// Marks the card on screen for later attention (a typo, a doubtful fact).
    fn flag(&mut self, session: &mut Session, now: Timestamp) -> Result<Outcome, Error>;
}

/// Whether the full screen can be used: stdin and stdout are both terminals.
pub fn available() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Runs a session full screen; the summary is printed by the caller, on the normal screen,
/// after this returns (the alternate screen is gone by then, whatever happened).
pub fn study<F: Journal + Actions>(
    session: &mut Session,
    clock: &Clock,
    front: &mut F,
    unicode: bool,
) -> Result<Summary, Error> {
    if session.summary().left == 0 {
        println!("Nothing is due now.");
        return Ok(session.summary());
    }
    // anstream decides colour for all of `term`: NO_COLOR, CLICOLOR_FORCE, TERM=dumb.
    let look = Look {
        color: anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
        unicode,
    };
    let mut screen = FullScreen::enter()?;
    app::run(
        session,
        clock,
        front,
        || Ok(next_signal()),
        |s| screen.draw(s, look),
    )
    // `screen` is dropped here, on success and on error alike: the terminal is restored.
}

/// Waits up to a second for something to happen at the terminal. A terminal that cannot be
/// read any more ends the session as `q` does, so an answer on screen is still recorded.
fn next_signal() -> Signal {
    match event::poll(Duration::from_secs(1)) {
        Ok(false) => Signal::Tick,
        Ok(true) => match event::read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Signal::Key(key),
            Ok(Event::Resize(..)) => Signal::Resize,
            Ok(_) => Signal::Tick,
            Err(_) => Signal::Closed,
        },
        Err(_) => Signal::Closed,
    }
}

/// Raw mode on the alternate screen while it lives; the terminal as it was once dropped.
struct FullScreen {
    terminal: Terminal<CrosstermBackend<std::io::Stdout>>,
}

/// Whether the terminal is in full-screen mode now, for the panic hook.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

impl FullScreen {
    fn enter() -> Result<Self, Error> {
        install_panic_hook();
        // In raw mode Ctrl-C is a key, not a signal; SIGTERM and SIGHUP (a closed terminal
        // window, `kill`) still end the process: restore the terminal first. Answers given
        // so far are committed; the one on screen, unrated, is not. (If a handler is already
        // installed, as by line mode earlier in this process, that one stays.)
        let _ = ctrlc::set_handler(|| {
            restore();
            println!("Interrupted; answers given so far are saved.");
            std::process::exit(143);
        });
        ACTIVE.store(true, Ordering::SeqCst);
        // Restored by `drop` from here on, even when a step below fails.
        let guard = Restore;
        terminal::enable_raw_mode().map_err(Error::Terminal)?;
        execute!(std::io::stdout(), EnterAlternateScreen).map_err(Error::Terminal)?;
        let terminal =
            Terminal::new(CrosstermBackend::new(std::io::stdout())).map_err(Error::Terminal)?;
        std::mem::forget(guard);
        Ok(Self { terminal })
    }

    fn draw(&mut self, screen: &Screen, look: Look) -> Result<(), Error> {
        self.terminal
            .draw(|frame| view::render(screen, look, frame))
            .map(|_| ())
            .map_err(Error::Terminal)
    }
}

impl Drop for FullScreen {
    fn drop(&mut self) {
        restore();
    }
}

/// Restores the terminal when dropped; used while entering full screen.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen and shows the cursor. Every step is tried even
/// if one fails: there is nowhere to report a failure on the way out.
fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let mut out = std::io::stdout();
        let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
        let _ = out.flush();
    }
}

/// A panic while the screen is up restores the terminal first, so the message is readable
/// and the shell usable; then the previous hook reports the panic as usual.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
