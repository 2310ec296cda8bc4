//! The full-screen study screen on a real pseudo-terminal: the real binary, keys typed into
//! it, the database checked afterwards, and the terminal put back as it was. What the
//! terminal shows is read with a terminal emulator (vt100). Every wait is for something to
//! appear on the screen, with a generous time limit; nothing is timed.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

use crate::Env;

const DAY1: &str = "2026-01-10T09:00:00+01:00";
/// Long enough for a debug build on a busy two-core machine; a hang still fails the test.
const PATIENCE: Duration = Duration::from_secs(90);
const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";
const ENTER_ALTERNATE_SCREEN: &str = "\x1b[?1049h";
const SHOW_CURSOR: &str = "\x1b[?25h";

/// `factdrill` running in a pseudo-terminal of 80x24, with everything it wrote so far.
struct Pty {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    chunks: Receiver<Vec<u8>>,
    /// Every byte written to the terminal.
    seen: Vec<u8>,
    /// What the terminal shows.
    screen: vt100::Parser,
}

fn size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a size above zero")
}

impl Pty {
    /// Runs `factdrill args` in a new terminal, with the same environment as every CLI test
    /// (so `NO_COLOR` is set).
    fn spawn(env: &Env, args: &[&str]) -> Self {
        Self::start(env, args, false, "xterm-256color")
    }

    /// The same with another `TERM`.
    fn spawn_as(env: &Env, args: &[&str], term: &str) -> Self {
        Self::start(env, args, false, term)
    }

    /// The same through `sh`, followed by `stty -a` on the same terminal, and with colour.
    fn spawn_then_stty(env: &Env, args: &[&str]) -> Self {
        Self::start(env, args, true, "xterm-256color")
    }

    fn start(env: &Env, args: &[&str], then_stty: bool, term: &str) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let template = env.process(DAY1);
        let mut cmd = if then_stty {
            let mut cmd = CommandBuilder::new("sh");
            cmd.args(["-c", "\"$0\" \"$@\"; stty -a"]);
            cmd.arg(template.get_program());
            cmd
        } else {
            CommandBuilder::new(template.get_program())
        };
        cmd.args(args);
        cmd.env_clear();
        for (key, value) in template.get_envs() {
            if let Some(value) = value {
                cmd.env(key, value);
            }
        }
        cmd.env("TERM", term);
        if then_stty {
            cmd.env_remove("NO_COLOR");
        }
        cmd.cwd(template.get_current_dir().expect("a working directory"));
        let child = pty.slave.spawn_command(cmd).expect("start factdrill");
        // Only the child holds the terminal's other end now.
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let (tx, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends when the child has exited and the terminal is closed.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Self {
            master: pty.master,
            child,
            writer,
            chunks,
            seen: Vec::new(),
            screen: vt100::Parser::new(size(24), size(80), 0),
        }
    }

    fn output(&self) -> String {
        String::from_utf8_lossy(&self.seen).into_owned()
    }

    fn take(&mut self, chunk: &[u8]) {
        self.seen.extend_from_slice(chunk);
        self.screen.process(chunk);
    }

    /// What the terminal shows now.
    fn shown(&self) -> String {
        self.screen.screen().contents()
    }

    /// Waits until the terminal shows `text`, compared without spaces and line ends (a long
    /// text wraps).
    fn expect(&mut self, text: &str) {
        let want = squash(text);
        let deadline = Instant::now() + PATIENCE;
        while !squash(&self.shown()).contains(&want) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.take(&chunk),
                Err(why) => panic!(
                    "`{text}` never appeared ({why}); the terminal shows:\n{}\nafter:\n{:?}",
                    self.shown(),
                    self.output()
                ),
            }
        }
    }

    /// How many cells on the screen have a foreground or background colour.
    fn coloured_cells(&self) -> usize {
        let screen = self.screen.screen();
        let (rows, cols) = screen.size();
        (0..rows.get())
            .flat_map(|r| (0..cols.get()).map(move |c| (r, c)))
            .filter_map(|(r, c)| screen.cell(r, c))
            .filter(|cell| {
                cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
            })
            .count()
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("type");
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.screen.set_size(size(rows), size(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    /// Waits for the program to end, keeping what it wrote; true if it succeeded.
    fn finish(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // The last output may still be on its way from the reader thread.
                while let Ok(chunk) = self.chunks.recv_timeout(Duration::from_secs(2)) {
                    self.take(&chunk);
                }
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "factdrill did not end; the terminal got:\n{:?}",
                    self.output()
                );
            }
            if let Ok(chunk) = self.chunks.recv_timeout(Duration::from_millis(100)) {
                self.take(&chunk);
            }
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A failed test must not leave the child waiting for keys.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
    }
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The terminal is back as it was: the normal screen, the cursor shown.
#[track_caller]
fn assert_restored(pty: &Pty) {
    let screen = pty.screen.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen");
    assert!(!screen.hide_cursor(), "the cursor is still hidden");
}

fn reviews_today(env: &Env) -> u64 {
    let out = env.cmd(DAY1).args(["stats", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    stats["today"]["reviews"].as_u64().unwrap()
}

#[test]
fn full_screen_answer_is_committed_and_q_restores_the_terminal() {
    let env = Env::new();
    let mut pty = Pty::spawn(&env, &["study", "tests/fixtures/decks/good-small.yaml"]);
    pty.expect("Where was the OMS international headquarters?");
    pty.expect("answer>");
    pty.send("Berlin\r");
    pty.expect("Correct:");
    pty.expect("Source: The OMS's international headquarters resided in Berlin.");
    pty.expect("3 Good 10m");
    assert_eq!(pty.coloured_cells(), 0, "NO_COLOR: no colour");
    // `q` on the answer screen records the suggested rating (Good), then quits.
    pty.send("q");
    assert!(pty.finish(), "exit status 0: {:?}", pty.output());
    let out = pty.output();
    assert!(out.contains(ENTER_ALTERNATE_SCREEN), "{out:?}");
    let left = out
        .rfind(LEAVE_ALTERNATE_SCREEN)
        .expect("left the alternate screen");
    assert!(out[left..].contains(SHOW_CURSOR), "cursor shown: {out:?}");
    assert_restored(&pty);
    // The summary is on the normal screen, after the full screen is gone.
    let summary = out.rfind("Session over").expect("a summary");
    assert!(summary > left, "{out:?}");
    let shown = pty.shown();
    assert!(
        shown.contains("Session over: 1 answered, 1 right (100%)"),
        "{shown}"
    );
    assert_eq!(reviews_today(&env), 1, "the answer was committed");
}

#[test]
fn ctrl_c_keeps_committed_answers_and_resizing_redraws() {
    let env = Env::new();
    // `stty -a` after factdrill shows the terminal modes it left behind; colour is on.
    let mut pty = Pty::spawn_then_stty(&env, &["study", "tests/fixtures/decks/good-small.yaml"]);
    pty.expect("Where was the OMS international headquarters?");
    pty.send("Paris\r");
    pty.expect("Wrong:");
    assert!(pty.coloured_cells() > 0, "colour without NO_COLOR");
    // An explicit rating: Again.
    pty.send("1");
    pty.expect("Who was the first head of the OMS?");
    // Too small, then big enough again.
    pty.resize(20, 6);
    pty.expect("Terminal too small (20x6)");
    pty.resize(100, 30);
    pty.expect("Who was the first head of the OMS?");
    pty.expect("a-c choose");
    // Raw mode: Ctrl-C is a key, and it ends the session with its summary.
    pty.send("\x03");
    assert!(pty.finish(), "exit status 0: {:?}", pty.output());
    assert_restored(&pty);
    let shown = pty.shown();
    assert!(
        shown.contains("Session over: 1 answered, 0 right"),
        "{shown}"
    );
    let output = pty.output();
    let stty: Vec<&str> = output[output.rfind("Session over").unwrap()..]
        .split_whitespace()
        .collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(stty.contains(&mode), "{mode} on again: {stty:?}");
    }
    assert_eq!(reviews_today(&env), 1);
}

#[test]
fn plain_keeps_line_mode_on_a_terminal() {
    let env = Env::new();
    let mut pty = Pty::spawn(
        &env,
        &["study", "--plain", "tests/fixtures/decks/good-small.yaml"],
    );
    pty.expect("answer>");
    pty.send("Berlin\r");
    pty.expect("rate>");
    pty.send("\r");
    pty.expect("Who was the first head of the OMS?");
    // Ctrl-D: end of input.
    pty.send("\x04");
    assert!(pty.finish(), "exit status 0: {:?}", pty.output());
    let out = pty.output();
    assert!(!out.contains(ENTER_ALTERNATE_SCREEN), "{out:?}");
    // The terminal echoed what was typed: it was never in raw mode.
    assert!(pty.shown().contains("answer> Berlin"), "{}", pty.shown());
    assert!(pty.shown().contains("Session over"), "{}", pty.shown());
    assert_eq!(reviews_today(&env), 1);
}

#[test]
fn undo_and_suspend_from_the_full_screen_change_the_database() {
    let env = Env::new();
    let mut pty = Pty::spawn(&env, &["study", "tests/fixtures/decks/good-small.yaml"]);
    pty.expect("Where was the OMS international headquarters?");
    pty.send("Berlin\r");
    pty.expect("Correct:");
    pty.send("3");
    pty.expect("Who was the first head of the OMS?");
    // Alt+u while typing: the last answer is deleted and its card is asked again.
    pty.send("\x1bu");
    pty.expect("Undone: your last answer to");
    pty.expect("Where was the OMS international headquarters?");
    assert_eq!(reviews_today(&env), 0, "the undone review is gone");
    // Alt+s: the card on screen is suspended.
    pty.send("\x1bs");
    pty.expect("Suspended");
    pty.send("\x03");
    assert!(pty.finish(), "exit status 0: {:?}", pty.output());
    assert_restored(&pty);
    let out = env
        .cmd(DAY1)
        .args(["card", "show", "small/hq"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("suspended"), "{shown}");
}

#[test]
fn a_dumb_terminal_gets_line_mode() {
    let env = Env::new();
    let mut pty = Pty::spawn_as(
        &env,
        &["study", "tests/fixtures/decks/good-small.yaml"],
        "dumb",
    );
    pty.expect("answer>");
    pty.send("\x04");
    assert!(pty.finish(), "{:?}", pty.output());
    assert!(
        !pty.output().contains(ENTER_ALTERNATE_SCREEN),
        "no full screen on TERM=dumb"
    );
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_committed_answers() {
    let env = Env::new();
    let mut pty = Pty::spawn_then_stty(&env, &["study", "tests/fixtures/decks/good-small.yaml"]);
    pty.expect("Where was the OMS international headquarters?");
    pty.send("Berlin\r");
    pty.expect("Correct:");
    pty.send("3");
    pty.expect("Who was the first head of the OMS?");
    // `sh` runs factdrill as its child: signal every factdrill of this terminal's session.
    let pid = pty.child.process_id().expect("a pid");
    let status = std::process::Command::new("pkill")
        .args(["-TERM", "-s", &pid.to_string(), "-x", "factdrill"])
        .status()
        .expect("pkill");
    assert!(status.success(), "a factdrill to signal");
    pty.finish();
    assert_restored(&pty);
    let shown = pty.shown();
    assert!(
        shown.contains("Interrupted; answers given so far are saved."),
        "{shown}"
    );
    let output = pty.output();
    let stty: Vec<&str> = output[output.rfind("Interrupted").unwrap()..]
        .split_whitespace()
        .collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(stty.contains(&mode), "{mode} on again: {stty:?}");
    }
    assert_eq!(reviews_today(&env), 1);
}
