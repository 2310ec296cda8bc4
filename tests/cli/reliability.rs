//! Reliability (issue 12; docs/RELIABILITY.md says what each test proves): answers survive a
//! killed process, two sessions share one database, database faults and hostile decks give
//! clear errors, and the deck loader and YAML reader never panic (property tests).
//!
//! Children are real `factdrill` processes fed through pipes. Every wait is bounded by
//! `WAIT`, so a hung child fails a test instead of hanging the suite; nothing sleeps.

use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::{Env, output, root};

const NOW: &str = "2026-01-10T09:00:00+01:00";

/// The longest any test waits for a child; a hung child fails the test instead of hanging it.
const WAIT: Duration = Duration::from_secs(30);

/// `factdrill` with the test's database, pinned clock and seed, as a `std` command (so it can
/// be spawned with pipes, or run as another user).
fn std_cmd(env: &Env) -> std::process::Command {
    env.process(NOW)
}

/// Writes a deck of `n` recall cards `c1..cn` ("Question cK?", answer "aK") and returns its
/// path.
fn numbered_deck(env: &Env, n: usize) -> PathBuf {
    let mut text = String::from("id: numbered\nname: Numbered\ncards:\n");
    for k in 1..=n {
        text.push_str(&format!(
            "  - {{id: c{k}, prompt: Question c{k}?, answer: a{k}}}\n"
        ));
    }
    let path = env.dir.path().join("numbered.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn occurrences(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

/// A `factdrill study` child fed one line at a time, its output read by a thread.
struct Study {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Receiver<Vec<u8>>,
    seen: Vec<u8>,
    stderr: std::thread::JoinHandle<Vec<u8>>,
}

impl Study {
    fn start(env: &Env, args: &[&str]) -> Self {
        let mut child = std_cmd(env)
            .arg("study")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn factdrill");
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let (tx, out) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stdout.read(&mut buf) {
                if tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut all = Vec::new();
            let _ = stderr.read_to_end(&mut all);
            all
        });
        Self {
            stdin: child.stdin.take(),
            child,
            out,
            seen: Vec::new(),
            stderr,
        }
    }

    /// Sends `line` and a newline.
    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits until `needle` has appeared `count` times on stdout.
    fn wait_for(&mut self, needle: &str, count: usize) {
        let deadline = Instant::now() + WAIT;
        while occurrences(&self.seen, needle) < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.out.recv_timeout(left) {
                Ok(bytes) => self.seen.extend(bytes),
                Err(e) => panic!(
                    "waiting for {needle:?} x{count} ({e}); stdout so far:\n{}",
                    self.text()
                ),
            }
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen).into_owned()
    }

    /// The last question shown.
    fn last_question(&self) -> String {
        let text = self.text();
        let at = text.rfind("Question ").expect("a question was shown");
        text[at..].lines().next().unwrap().to_owned()
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then the rest of stdout.
    fn kill(mut self) -> (ExitStatus, String) {
        self.child.kill().unwrap();
        self.end()
    }

    /// Closes stdin (end of input ends the session) and waits for the exit.
    fn finish(mut self) -> (ExitStatus, String, String) {
        drop(self.stdin.take());
        let stderr = std::mem::replace(&mut self.stderr, std::thread::spawn(Vec::new));
        let (status, stdout) = self.end();
        let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
        (status, stdout, stderr)
    }

    fn end(mut self) -> (ExitStatus, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "factdrill did not exit");
            // Bounded by the deadline; the child is expected to exit within milliseconds.
            std::thread::yield_now();
        };
        while let Ok(bytes) = self.out.recv_timeout(WAIT) {
            self.seen.extend(bytes);
        }
        (status, self.text())
    }
}

fn stats(env: &Env) -> serde_json::Value {
    let out = std_cmd(env).args(["stats", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn reviews_total(env: &Env) -> u64 {
    stats(env)["reviews_total"].as_u64().unwrap()
}

/// The database is intact, and every logged review has its card's cached state (they are
/// written in one transaction, so a crash cannot leave one without the other).
fn assert_consistent(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let orphans: i64 = conn
        .query_row(
            "SELECT count(DISTINCT card_id) FROM review
             WHERE card_id NOT IN (SELECT card_id FROM card_state)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "a review without its card state");
}

// --- Crash safety ---------------------------------------------------------------------

#[test]
fn answers_committed_before_a_kill_are_kept_and_the_next_run_continues() {
    let env = Env::new();
    let deck = numbered_deck(&env, 6);
    let deck = deck.to_str().unwrap();
    let mut study = Study::start(&env, &[deck, "--new", "6"]);
    study.wait_for("answer> ", 1);
    for n in 1..=3 {
        study.send(&format!("a{n}"));
        study.wait_for("rate> ", n);
        study.send("");
        // The next question is shown only after the answer was committed.
        study.wait_for("answer> ", n + 1);
        assert_eq!(reviews_total(&env), n as u64, "visible to another process");
    }
    // A fourth answer typed but not rated is not a review yet.
    study.send("a4");
    study.wait_for("rate> ", 4);
    let (status, _) = study.kill();
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL");

    let stats = stats(&env);
    assert_eq!(stats["reviews_total"], 3, "exactly the committed answers");
    assert_eq!(stats["cards"]["learning"], 3);
    assert_eq!(
        stats["cards"]["new"], 3,
        "c4 was answered but never rated: still new"
    );
    assert_consistent(&env.db());
    // The next session opens the database cleanly (recovering the WAL) and carries on.
    let out = assert_cmd::Command::from_std(std_cmd(&env))
        .args(["study", deck, "--new", "6"])
        .write_stdin("x\n\nx\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_eq!(reviews_total(&env), 5);
    assert_consistent(&env.db());
}

#[test]
fn a_kill_at_any_moment_of_a_fast_session_loses_no_committed_answer() {
    let env = Env::new();
    let deck = numbered_deck(&env, 40);
    let deck = deck.to_str().unwrap();
    let mut total = 0;
    // Answers are piped all at once, so the child races ahead of what we have read: each
    // kill lands wherever the child happens to be, often inside a commit.
    for kill_after in 1..=8 {
        let mut study = Study::start(&env, &[deck, "--new", "40"]);
        study.send(&"x\n\n".repeat(40));
        study.wait_for("rate> ", kill_after);
        let (status, stdout) = study.kill();
        let seen = stdout.as_bytes();
        // An answer is proven committed when the next question (or the summary) followed it;
        // at most one more commit can have completed without its output reaching us.
        let proven = occurrences(seen, "answer> ").saturating_sub(1);
        let rated = occurrences(seen, "rate> ");
        let now = reviews_total(&env);
        let committed = usize::try_from(now - total).unwrap();
        assert!(
            proven <= committed && committed <= (proven + 1).min(rated),
            "kill {kill_after}: {committed} committed, {proven} proven, {rated} rated; {status:?}"
        );
        assert_consistent(&env.db());
        total = now;
    }
    assert!(total >= 8, "{total}");
}

// --- Concurrency ----------------------------------------------------------------------

#[test]
fn two_sessions_never_ask_a_card_the_other_answered_before_reaching_it() {
    let env = Env::new();
    let deck = numbered_deck(&env, 6);
    let deck = deck.to_str().unwrap();
    // Both start on a database that does not exist yet: both create and migrate it at once.
    let mut a = Study::start(&env, &[deck, "--new", "6"]);
    let mut b = Study::start(&env, &[deck, "--new", "6"]);
    a.wait_for("answer> ", 1);
    b.wait_for("answer> ", 1);
    assert!(a.last_question().starts_with("Question c1?"));
    assert!(b.last_question().starts_with("Question c1?"));

    // A answers c1, c2, c3.
    for n in 1..=3 {
        a.send(&format!("a{n}"));
        a.wait_for("rate> ", n);
        a.send("");
        a.wait_for("answer> ", n + 1);
    }
    // B was already showing c1 when A answered it: B's answer counts too (both are logged).
    b.send("a1");
    b.wait_for("rate> ", 1);
    b.send("");
    b.wait_for("answer> ", 2);
    // B reaches c2 and c3 after A committed them: it skips them and asks c4.
    let text = b.text();
    assert!(
        text.contains("Skipping `c2`: another session answered it after this one started.")
            && text.contains("Skipping `c3`"),
        "{text}"
    );
    assert!(b.last_question().starts_with("Question c4?"), "{text}");
    b.send("a4");
    b.wait_for("rate> ", 2);
    b.send("");
    b.wait_for("answer> ", 3);
    // A is showing c4 (it got there before B's commit); it stops here.
    let (status_a, out_a, err_a) = a.finish();
    let (status_b, out_b, err_b) = b.finish();
    assert!(status_a.success() && status_b.success(), "{out_a}\n{out_b}");
    assert_eq!(err_a, "", "no 'database is locked' or any other error");
    assert_eq!(err_b, "");
    for card in ["c2", "c3"] {
        assert!(!out_b.contains(&format!("Question {card}?")), "{out_b}");
    }
    assert!(out_a.contains("Session over: 3 answered"), "{out_a}");
    assert!(out_b.contains("Session over: 2 answered"), "{out_b}");
    assert_eq!(reviews_total(&env), 5, "every answer of both sessions");
    assert_consistent(&env.db());
}

#[test]
fn two_sessions_answering_at_full_speed_both_commit_everything() {
    for round in 0..3 {
        let env = Env::new();
        let deck = numbered_deck(&env, 30);
        let deck = deck.to_str().unwrap();
        let mut a = Study::start(&env, &[deck, "--new", "30"]);
        let mut b = Study::start(&env, &[deck, "--new", "30"]);
        // 20 answers, each followed by Enter for the suggested rating (`send` adds the last).
        let script = "x\n\n".repeat(20);
        let script = script.strip_suffix('\n').unwrap();
        a.send(script);
        b.send(script);
        let mut answered = 0;
        for (status, stdout, stderr) in [a.finish(), b.finish()] {
            assert!(status.success(), "round {round}: {stdout}\n{stderr}");
            assert_eq!(stderr, "", "round {round}: no error reaches the learner");
            let summary = stdout
                .split("Session over: ")
                .nth(1)
                .unwrap_or_else(|| panic!("no summary: {stdout}"));
            answered += summary.split(' ').next().unwrap().parse::<u64>().unwrap();
        }
        assert_eq!(
            answered, 40,
            "round {round}: every line of input was an answer"
        );
        assert_eq!(reviews_total(&env), answered, "round {round}");
        assert_consistent(&env.db());
    }
}

// --- Database faults ------------------------------------------------------------------

/// A real database with a few reviews in it.
fn studied_database(env: &Env) -> Vec<u8> {
    let out = assert_cmd::Command::from_std(std_cmd(env))
        .args(["study", "decks/oms.yaml"])
        .write_stdin("1921\n\nd\n\nTrilisser\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        !Path::new(&format!("{}-wal", env.db().display())).exists(),
        "the last connection checkpointed the WAL into the file"
    );
    std::fs::read(env.db()).unwrap()
}

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_truncated_database_is_refused_and_left_as_it_is() {
    let env = Env::new();
    let whole = studied_database(&env);
    let half = &whole[..whole.len() / 2];
    std::fs::write(env.db(), half).unwrap();
    for args in [vec!["stats"], vec!["study", "decks/oms.yaml"]] {
        let out = std_cmd(&env)
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let (_, stderr) = output(&env, &out);
        assert_no_panic(&stderr);
        assert_eq!(
            stderr,
            "factdrill: error: [TMP]/progress.db is not a factdrill database, or it is damaged; restore it from a backup or choose another file with --db\n",
            "{args:?}"
        );
        assert_eq!(std::fs::read(env.db()).unwrap(), half, "never written to");
    }
}

/// Who runs factdrill in the read-only tests.
#[derive(Clone, Copy)]
enum RunAs {
    /// The test's own user, who is not root: `chmod` binds it.
    Myself,
    /// User `nobody` (uid and gid 65534), when the tests run as root.
    Nobody,
}

/// How this test can make a file unwritable for factdrill: `chmod` does not stop root, so
/// as root the binary runs as `nobody`. `None` when that is not possible here.
fn unprivileged(env: &Env) -> Option<RunAs> {
    let probe = env.dir.path().join("uid-probe");
    std::fs::write(&probe, "").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    std::fs::remove_file(&probe).unwrap();
    if !root {
        return Some(RunAs::Myself);
    }
    // `nobody` must be able to reach the temporary directory and run the binary.
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ok = std_cmd(env)
        .arg("--version")
        .uid(65534)
        .gid(65534)
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(RunAs::Nobody)
}

fn run_as(env: &Env, who: RunAs, db: &Path, args: &[&str]) -> (i32, String) {
    let mut cmd = std_cmd(env);
    cmd.env("FACTDRILL_DB", db).args(args).stdin(Stdio::null());
    if let RunAs::Nobody = who {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    let (_, stderr) = output(env, &out);
    assert_no_panic(&stderr);
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_read_only_database_or_directory_is_a_clear_error() {
    let env = Env::new();
    let Some(uid) = unprivileged(&env) else {
        // Printed so that `cargo test -- --nocapture` and the failure log show it.
        eprintln!(
            "SKIPPED a_read_only_database_or_directory_is_a_clear_error: running as root, and \
             user nobody cannot run the test binary here, so chmod cannot make a file read-only"
        );
        return;
    };
    let whole = studied_database(&env);
    let mode = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };

    // A read-only file in a writable directory.
    let dir = env.dir.path().join("ro-file");
    std::fs::create_dir(&dir).unwrap();
    mode(&dir, 0o777);
    let db = dir.join("progress.db");
    std::fs::write(&db, &whole).unwrap();
    mode(&db, 0o444);
    let read_only = "factdrill: error: [TMP]/ro-file/progress.db is read-only; factdrill needs to write progress to it (check its permissions and those of its directory)\n";
    assert_eq!(
        run_as(&env, uid, &db, &["study", "decks/oms.yaml"]),
        (1, read_only.to_owned())
    );
    // Reading needs no write: stats still work on a read-only database.
    assert_eq!(run_as(&env, uid, &db, &["stats"]), (0, String::new()));
    assert_eq!(std::fs::read(&db).unwrap(), whole, "never written to");

    // A writable file in a read-only directory (SQLite cannot create its WAL beside it).
    let dir = env.dir.path().join("ro-dir");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("progress.db");
    std::fs::write(&db, &whole).unwrap();
    mode(&db, 0o666);
    mode(&dir, 0o555);
    let (code, stderr) = run_as(&env, uid, &db, &["study", "decks/oms.yaml"]);
    assert_eq!(
        (code, stderr),
        (1, read_only.replace("ro-file", "ro-dir")),
        "existing database"
    );
    assert_eq!(std::fs::read(&db).unwrap(), whole);
    let (code, stderr) = run_as(&env, uid, &dir.join("new.db"), &["stats"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "factdrill: error: cannot open [TMP]/ro-dir/new.db: check that its directory exists and that factdrill may create files in it\n"
        ),
        "new database"
    );
    mode(&dir, 0o755);
}

// --- Hostile decks --------------------------------------------------------------------

fn check(env: &Env, deck: &Path) -> (i32, String, Duration) {
    let started = Instant::now();
    let out = std_cmd(env).arg("check").arg(deck).output().unwrap();
    let elapsed = started.elapsed();
    let (_, stderr) = output(env, &out);
    assert_no_panic(&stderr);
    (out.status.code().unwrap_or(-1), stderr, elapsed)
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused_quickly() {
    let env = Env::new();
    // Eleven levels of ten aliases each would expand to 10^11 values.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} ["));
        bomb.push_str(&vec![format!("*a{p}"); 10].join(", "));
        bomb.push_str("]\n");
    }
    let deep = format!(
        "id: d\nname: D\ncards: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let cases = [
        (
            "bomb.yaml",
            bomb,
            "[TMP]/bomb.yaml:5:45: invalid YAML: aliases (`*name`) here expand to more than 100000 values; factdrill refuses it as an alias bomb (aliases that repeat aliases)\n",
        ),
        (
            "deep.yaml",
            deep,
            "[TMP]/deep.yaml:3:263: invalid YAML: recursion limit exceeded\n",
        ),
    ];
    for (name, text, problem) in cases {
        let path = env.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let (code, stderr, elapsed) = check(&env, &path);
        assert_eq!(code, 1);
        assert_eq!(
            stderr,
            format!("{problem}factdrill: error: 1 of 1 deck files have problems\n")
        );
        // Debug build on a shared machine: about 2 s for the bomb, milliseconds for nesting.
        assert!(elapsed < Duration::from_secs(15), "{name}: {elapsed:?}");
    }
}

#[test]
fn huge_files_and_huge_fields_are_refused() {
    let env = Env::new();
    // Sparse: 64 MiB + 1 byte without writing them. The size is checked before parsing.
    let huge = env.dir.path().join("huge.yaml");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    let (code, stderr, _) = check(&env, &huge);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "[TMP]/huge.yaml is larger than the limit of 64 MiB\nfactdrill: error: 1 of 1 deck files have problems\n"
    );

    let long = env.dir.path().join("long.yaml");
    std::fs::write(
        &long,
        format!(
            "id: d\nname: D\ncards:\n  - id: a\n    prompt: p\n    answer: {}\n",
            "y".repeat(20_000)
        ),
    )
    .unwrap();
    let (code, stderr, _) = check(&env, &long);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "[TMP]/long.yaml:6:13: `answer` is 20000 characters long; the limit is 10000\n\
         factdrill: error: 1 of 1 deck files have problems\n"
    );
}

#[test]
fn escape_sequences_in_a_deck_never_reach_the_terminal() {
    let env = Env::new();
    // YAML double-quoted escapes: \e is ESC, \a is BEL, \r is CR, \u202E is RIGHT-TO-LEFT
    // OVERRIDE. Clear the screen, set the window title, overwrite the line, reverse text.
    let evil = r"\e[2J\e]0;owned\a\rgotcha\u202Eright-to-left";
    let deck = env.dir.path().join("evil.yaml");
    std::fs::write(
        &deck,
        format!(
            "id: evil\nname: \"Evil {evil}\"\ncards:\n\
             \x20 - id: recall\n    prompt: \"Prompt {evil}\"\n    answer: \"Answer {evil}\"\n\
             \x20   explanation: \"Why {evil}\"\n    source: \"Source {evil}\"\n\
             \x20 - id: choice\n    prompt: \"Pick {evil}\"\n    choices: [\"Choice {evil}\", plain]\n\
             \x20   answer: plain\n"
        ),
    )
    .unwrap();
    let mut transcript = Vec::new();
    let mut run = |args: &[&str], stdin: &str| {
        let out = assert_cmd::Command::from_std(std_cmd(&env))
            .args(args)
            .write_stdin(stdin.to_owned())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        transcript.extend(out.stdout);
        transcript.extend(out.stderr);
    };
    let deck = deck.to_str().unwrap();
    run(&["check", deck], "");
    // The typed answers carry escapes too; the echo over a pipe shows them escaped.
    run(
        &["study", deck],
        "typed \x1b[2J \x07 a\rb\n\nwrong \u{202e}\n1\n",
    );
    run(&["schedule", "--card", "recall"], "");
    run(&["stats"], "");
    let text = String::from_utf8_lossy(&transcript);
    for (byte, name) in [(0x1b_u8, "ESC"), (0x07, "BEL"), (b'\r', "CR")] {
        assert!(!transcript.contains(&byte), "raw {name} in:\n{text}");
    }
    assert!(!text.contains('\u{202e}'), "raw bidi override in:\n{text}");
    // What was neutralised is still visible, escaped.
    assert!(
        text.contains(r"Prompt \u{1b}[2J\u{1b}]0;owned\u{7}\u{d}gotcha\u{202e}right-to-left"),
        "{text}"
    );
    assert!(text.contains(r"typed \u{1b}[2J \u{7} a\u{d}b"), "{text}");
}

#[test]
fn a_deck_that_is_not_utf8_is_refused_by_study_before_the_database() {
    let env = Env::new();
    let out = std_cmd(&env)
        .args(["study", "tests/fixtures/decks/bad-utf8.yaml"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: tests/fixtures/decks/bad-utf8.yaml:2:10: the file is not valid UTF-8 text\n"
    );
    assert!(!env.db().exists());
}

#[test]
fn sql_in_card_text_is_stored_as_text() {
    let env = Env::new();
    let sql = "'); DROP TABLE review; --";
    let deck = env.dir.path().join("bobby.yaml");
    std::fs::write(
        &deck,
        format!(
            "id: bobby\nname: \"Robert{sql}\"\ncards:\n  - id: tables\n    prompt: \"{sql} ?\"\n    answer: \"x{sql}\"\n"
        ),
    )
    .unwrap();
    let out = assert_cmd::Command::from_std(std_cmd(&env))
        .arg("study")
        .arg(&deck)
        .write_stdin(format!("x{sql}\n\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("Correct: x{sql}")));
    let out = std_cmd(&env)
        .args(["schedule", "--card", "tables", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = card.to_string();
    for expected in [format!("{sql} ?"), format!("x{sql}")] {
        assert!(
            text.contains(&serde_json::to_string(&expected).unwrap()),
            "{text}"
        );
    }
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'
             AND name IN ('deck', 'card', 'review', 'card_state', 'meta')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 5, "every table survived");
    let (name, typed): (String, String) = conn
        .query_row(
            "SELECT deck.name, review.answer FROM review JOIN card ON card.id = review.card_id
             JOIN deck ON deck.id = card.deck_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((name, typed), (format!("Robert{sql}"), format!("x{sql}")));
}

// --- Property tests: the deck loader and the YAML reader never panic ----------------------

mod never_panics {
    use factdrill::{deck, yaml};
    use proptest::prelude::*;

    /// Decks to mutate: the test fixtures (valid, and one with many problems) and one using
    /// every field, an anchor and an alias.
    const BASES: &[&str] = &[
        include_str!("../fixtures/decks/good-small.yaml"),
        include_str!("../fixtures/decks/sm2.yaml"),
        include_str!("../fixtures/decks/bad-many.yaml"),
        "version: 1\nid: all\nname: \"All fields\"\ndescription: d\nnew_per_day: 5\n\
         reviews_per_day: 50\nscheduler: fsrs\ndesired_retention: 0.9\nlearning_steps: 1m 10m\n\
         relearning_steps: [10m]\nmaximum_interval: 365\nfuzz: false\ncards:\n\
         \x20 - id: a\n    kind: choice\n    prompt: 'Which?'\n    choices: [x, y, z]\n\
         \x20   answer: y\n    explanation: e\n    source: s\n    tags: [t1, t2]\n\
         \x20 - &c {id: b, prompt: p, answer: 1921, accept: [July 1921]}\n  - *c\n",
    ];

    /// Characters that matter to YAML, and any character at all.
    fn yaml_char() -> impl Strategy<Value = char> {
        prop_oneof![
            3 => prop::sample::select(vec![
                ':', '-', ' ', '\n', '\t', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>',
                '\'', '"', '#', '%', '@', '?', '\\', '0', 'a',
            ]),
            1 => any::<char>(),
        ]
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Insert(prop::sample::Index, char),
        Delete(prop::sample::Index),
        Replace(prop::sample::Index, char),
        /// Copies a stretch of the text elsewhere (duplicated keys, cards, brackets).
        Copy(prop::sample::Index, prop::sample::Index, usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let index = any::<prop::sample::Index>;
        prop_oneof![
            (index(), yaml_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
            index().prop_map(Edit::Delete),
            (index(), yaml_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
            (index(), index(), 1..40usize).prop_map(|(f, t, n)| Edit::Copy(f, t, n)),
        ]
    }

    fn apply(base: &str, edits: &[Edit]) -> String {
        let mut chars: Vec<char> = base.chars().collect();
        for edit in edits {
            let len = chars.len().max(1);
            match edit {
                Edit::Insert(i, c) => chars.insert(i.index(len + 1).min(chars.len()), *c),
                Edit::Delete(i) if !chars.is_empty() => {
                    chars.remove(i.index(len));
                }
                Edit::Replace(i, c) if !chars.is_empty() => chars[i.index(len)] = *c,
                Edit::Copy(from, to, n) if !chars.is_empty() => {
                    let from = from.index(len);
                    let piece: Vec<char> = chars[from..(from + n).min(chars.len())].to_vec();
                    let to = to.index(chars.len() + 1);
                    chars.splice(to..to, piece);
                }
                _ => {}
            }
        }
        chars.into_iter().collect()
    }

    /// Whatever the input, loading ends in a deck or in problems that all have a position.
    fn load_is_total(text: &str) -> Result<(), TestCaseError> {
        match deck::load_str(text) {
            Ok(deck) => {
                prop_assert!(!deck.cards.is_empty());
                for card in &deck.cards {
                    prop_assert!(!card.prompt.trim().is_empty());
                    prop_assert!(card.prompt.chars().count() <= deck::MAX_TEXT_CHARS);
                }
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    prop_assert!(p.pos.line >= 1, "{p:?}");
                    prop_assert!(!p.message.is_empty());
                }
            }
        }
        Ok(())
    }

    // 256 cases each by default, to keep the suite fast; `PROPTEST_CASES=100000` for a
    // longer run (docs/RELIABILITY.md).
    proptest! {

        #[test]
        fn on_any_text(text in any::<String>()) {
            let _ = yaml::parse(&text);
            load_is_total(&text)?;
        }

        #[test]
        fn on_yaml_like_text(text in prop::collection::vec(yaml_char(), 0..200)) {
            let text: String = text.into_iter().collect();
            let _ = yaml::parse(&text);
            load_is_total(&text)?;
        }

        #[test]
        fn on_mutated_valid_decks(
            base in prop::sample::select(BASES),
            edits in prop::collection::vec(edit(), 1..6),
        ) {
            let text = apply(base, &edits);
            let _ = yaml::parse(&text);
            load_is_total(&text)?;
        }
    }
}

/// A full disk, for real: the database lives on a 4 MiB tmpfs mounted in a private user and
/// mount namespace (`unshare -rm`, no privileges needed), which the script then fills.
#[test]
fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    let env = Env::new();
    let mnt = env.dir.path().join("tiny");
    std::fs::create_dir(&mnt).unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("factdrill");
    // Inside the namespace: mount, study one answer, fill the disk, try to answer again
    // (must fail clearly), free the space, and report what the database holds.
    let script = r#"
        set -u
        mount -t tmpfs -o size=4m tmpfs "$1" || { echo "NO-MOUNT"; exit 0; }
        export FACTDRILL_DB="$1/progress.db" NO_COLOR=1 FACTDRILL_SEED=1
        export FACTDRILL_NOW=2026-01-10T09:00:00Z
        printf '1921\n\n' | "$2" study decks/oms.yaml --new 1 > /dev/null || { echo "FIRST-FAILED"; exit 0; }
        dd if=/dev/zero of="$1/filler" bs=4096 2> /dev/null
        export FACTDRILL_NOW=2026-01-12T09:00:00Z
        printf '1921\n\nd\n\n' | "$2" study decks/oms.yaml --new 2 > /dev/null 2> "$3"
        echo "EXIT=$?"
        cat "$3"
        rm "$1/filler"
        "$2" stats --json
    "#;
    let out = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", script, "sh"])
        .arg(&mnt)
        .arg(bin)
        .arg(env.dir.path().join("stderr.txt"))
        .current_dir(root())
        .output();
    let Ok(out) = out else {
        println!("SKIPPED a_full_disk_is_a_clear_error_and_loses_nothing: no `unshare` here");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if text.contains("NO-MOUNT") || !out.status.success() {
        println!(
            "SKIPPED a_full_disk_is_a_clear_error_and_loses_nothing: cannot mount a tmpfs in a \
             user namespace here ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return;
    }
    assert!(!text.contains("FIRST-FAILED"), "{text}");
    assert!(
        text.contains("EXIT=1"),
        "the second study must fail: {text}"
    );
    // SQLite reports a full disk as SQLITE_FULL or, when the write that fails is the
    // journal's, as a disk I/O error; both messages name the file and say what to do.
    assert!(
        text.contains("progress.db is full; free some space and try again")
            || text.contains("progress.db: disk I/O error (the disk may be full, failing or gone)"),
        "{text}"
    );
    assert_no_panic(&text);
    // After freeing space, the database opens and holds the first answer, complete.
    let json_start = text.find('{').expect("stats JSON after freeing space");
    let stats: serde_json::Value = serde_json::from_str(&text[json_start..]).unwrap();
    assert_eq!(stats["reviews_total"], 1, "{text}");
}

/// Writing to a full device (`> /dev/full`) or a closed pipe must not crash: the output is
/// lost, but the command ends normally and errors keep their exit code.
#[test]
fn unwritable_output_is_not_a_crash() {
    let env = Env::new();
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        println!("SKIPPED unwritable_output_is_not_a_crash: no /dev/full here");
        return;
    };
    let out = std_cmd(&env)
        .args(["check", "decks/oms.yaml"])
        .stdout(full.try_clone().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_no_panic(&String::from_utf8_lossy(&out.stderr));
    let out = std_cmd(&env)
        .args(["check", "tests/fixtures/decks/bad-many.yaml"])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}
