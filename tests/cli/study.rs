//! `factdrill study` and `stats` end to end: scripted sessions over a pipe, on pinned days.

use crate::{Env, output, root};

const DAY1: &str = "2026-01-10T09:00:00+01:00";
const DAY2: &str = "2026-01-11T09:00:00+01:00";

fn stats_json(env: &Env, now: &str) -> serde_json::Value {
    let out = env.cmd(now).args(["stats", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn scripted_session_on_the_shipped_deck() {
    let env = Env::new();
    // Four answers: right, right by choice letter, right by surname, wrong with the suggested
    // rating overridden; then end of input in the middle of the fifth question.
    let out = env
        .cmd(DAY1)
        .args(["study", "decks/oms.yaml", "--new", "6"])
        .write_stdin("1921\n\nd\n\nTrilisser\n\n1925\n2\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, stderr) = output(&env, &out);
    assert_eq!(stderr, "");
    assert!(!stdout.contains('\x1b'), "no escape codes over a pipe");
    insta::assert_snapshot!("session_day1", stdout);

    let stats = stats_json(&env, DAY1);
    assert_eq!(stats["today"]["reviews"], 4, "every answer was committed");
    assert_eq!(
        stats["cards"]["new"],
        stats["cards"]["active"].as_u64().unwrap() - 4
    );
}

#[test]
fn next_day_shows_what_is_due_first() {
    let env = Env::new();
    // Day 1, two new cards. `hq` is answered right twice: Good moves it to the 10-minute
    // learning step, which comes back in the same session, and Good again graduates it
    // (due in 2 days). `first-head` is answered wrong (Again: the 1-minute step) and the
    // session ends before it comes back.
    let out = env
        .cmd(DAY1)
        .args(["study", "tests/fixtures/decks/good-small.yaml"])
        .args(["--new", "2"])
        .write_stdin("Berlin\n\nHenk Sneevliet\n\nBerlin\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("session_day1_steps", stdout);
    let stats = stats_json(&env, DAY1);
    assert_eq!(stats["cards"]["review"], 1);
    assert_eq!(stats["cards"]["learning"], 1);
    assert_eq!(
        stats["due"]["now"], 0,
        "its 1-minute step is not over at 09:00"
    );
    assert_eq!(
        stats["due"]["today"], 1,
        "the failed card is due again today"
    );

    // Day 2, with no deck named: the database knows it. The overdue learning card comes
    // first, then the one new card left; `hq` is not due until day 3.
    let out = env
        .cmd(DAY2)
        .args(["study"])
        .write_stdin("Osip Piatnitsky\n\n1921\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("session_day2", stdout);
    let stats = stats_json(&env, DAY2);
    assert_eq!(stats["today"]["reviews"], 2);
    assert_eq!(stats["today"]["new_cards"], 1);
    assert_eq!(stats["reviews_total"], 5);
    assert_eq!(stats["cards"]["new"], 0);
}

#[test]
fn editing_a_deck_keeps_history_and_retires_removed_cards() {
    let env = Env::new();
    let deck = env.dir.path().join("deck.yaml");
    let original =
        std::fs::read_to_string(root().join("tests/fixtures/decks/good-small.yaml")).unwrap();
    std::fs::write(&deck, &original).unwrap();
    let out = env
        .cmd(DAY1)
        .arg("study")
        .arg(&deck)
        .write_stdin("Berlin\n\na\n\n1921\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    // Reword a prompt, drop a card, add one.
    let edited = original
        .replace(
            "Where was the OMS international headquarters?",
            "In which city was the OMS headquartered?",
        )
        .replace(
            "  - id: founded\n    prompt: In what year was the OMS founded?\n    answer: \"1921\"\n    accept: [July 1921]\n",
            "  - id: school\n    prompt: Where was the OMS training school?\n    answer: Kuntsevo\n",
        );
    assert_ne!(edited, original);
    std::fs::write(&deck, edited).unwrap();
    let out = env
        .cmd(DAY2)
        .arg("study")
        .arg(&deck)
        .write_stdin("")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    assert!(
        stdout.starts_with("Small test deck: 1 new card added, 1 card retired (removed from the file; history kept)\n"),
        "{stdout}"
    );
    let stats = stats_json(&env, DAY2);
    assert_eq!(stats["cards"]["retired"], 1);
    assert_eq!(stats["cards"]["new"], 1);
    let seen: u64 = ["learning", "review", "relearning"]
        .iter()
        .map(|k| stats["cards"][k].as_u64().unwrap())
        .sum();
    assert_eq!(seen, 2, "the reworded card kept its state");
    assert_eq!(stats["reviews_total"], 3, "no review was lost");
}

#[test]
fn study_without_decks_on_a_new_database_says_how_to_start() {
    let env = Env::new();
    let out = env.cmd(DAY1).arg("study").write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: no decks to study: this database knows none yet; start with a deck file, e.g. `factdrill study decks/oms.yaml`\n"
    );
}

#[test]
fn nothing_due_is_said_plainly() {
    let env = Env::new();
    let out = env
        .cmd(DAY1)
        .args([
            "study",
            "tests/fixtures/decks/good-small.yaml",
            "--new",
            "0",
        ])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(out.status.success());
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("nothing_due", stdout);
}

#[test]
fn known_decks_are_found_from_any_directory() {
    let env = Env::new();
    let out = env
        .cmd(DAY1)
        .args([
            "study",
            "tests/fixtures/decks/good-small.yaml",
            "--new",
            "1",
        ])
        .write_stdin("Berlin\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Elsewhere, with no deck named: the deck is found by the path the database remembers.
    let out = env
        .cmd(DAY1)
        .current_dir(env.dir.path())
        .args(["study", "--new", "2"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, stderr) = output(&env, &out);
    assert_eq!(stderr, "");
    assert!(stdout.contains("cards to study"), "{stdout}");
}

/// Reads a child's stdout on a thread, so the test can wait for a prompt with a timeout.
struct Transcript {
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
    text: String,
}

impl Transcript {
    fn new(stdout: std::process::ChildStdout) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut stdout = stdout;
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Self {
            rx,
            text: String::new(),
        }
    }

    /// Waits until `needle` has appeared `times` times in the output.
    fn wait_for(&mut self, needle: &str, times: usize) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while self.text.matches(needle).count() < times {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(bytes) => self.text.push_str(&String::from_utf8_lossy(&bytes)),
                Err(e) => panic!("waiting for {needle:?}: {e}; output so far:\n{}", self.text),
            }
        }
    }

    fn rest(mut self) -> String {
        while let Ok(bytes) = self.rx.recv_timeout(std::time::Duration::from_secs(20)) {
            self.text.push_str(&String::from_utf8_lossy(&bytes));
        }
        self.text
    }
}

#[test]
fn ctrl_c_ends_with_a_summary_and_loses_nothing() {
    use std::io::Write;
    let env = Env::new();
    let mut child = env
        .process(DAY1)
        .args(["study", "tests/fixtures/decks/good-small.yaml"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = Transcript::new(child.stdout.take().unwrap());
    out.wait_for("answer> ", 1);
    stdin.write_all(b"Berlin\n").unwrap();
    out.wait_for("rate> ", 1);
    stdin.write_all(b"\n").unwrap();
    // The next question is on screen: the first answer has been committed.
    out.wait_for("answer> ", 2);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    let text = out.rest();
    assert_eq!(code, Some(130), "{text}");
    assert!(text.contains("Interrupted."), "{text}");
    assert!(
        text.contains("Session over: 1 answered, 1 right (100%)"),
        "{text}"
    );
    let stats = stats_json(&env, DAY1);
    assert_eq!(stats["today"]["reviews"], 1);
    drop(stdin);
}

#[test]
fn typos_are_forgiven_unless_strict() {
    let run = |strict: bool| {
        let env = Env::new();
        let mut cmd = env.cmd(DAY1);
        cmd.args([
            "study",
            "tests/fixtures/decks/good-small.yaml",
            "--new",
            "1",
        ]);
        if strict {
            cmd.arg("--strict");
        }
        let out = cmd.write_stdin("Berln\n\n").output().unwrap();
        assert!(out.status.success(), "{out:?}");
        output(&env, &out).0
    };
    let lenient = run(false);
    assert!(
        lenient.contains("Accepted: Berlin — you wrote Berln, a typo (1 letter off)"),
        "{lenient}"
    );
    assert!(lenient.contains("Enter = 2 Hard"), "{lenient}");
    let strict = run(true);
    assert!(strict.contains("Wrong:"), "{strict}");
    assert!(strict.contains("Enter = 1 Again"), "{strict}");
}

#[test]
fn every_card_kind_can_be_studied() {
    let env = Env::new();
    // Year by a fuller date, true/false by letter, the cloze gap as an ordinal, the order by
    // letters (whatever the shuffle, "abc" is checked against the shown order).
    let out = env
        .cmd(DAY1)
        .args(["study", "tests/fixtures/decks/kinds.yaml"])
        .write_stdin("July 1921\n\nf\n\n3rd\n\nabc\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("every_kind", stdout);
}

#[test]
fn due_says_what_is_due_per_deck() {
    let env = Env::new();
    let out = env.cmd(DAY1).arg("due").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        output(&env, &out).0,
        "No decks yet: start with `factdrill study decks/oms.yaml`.\n"
    );
    // One card graduated (due in 2 days), one failed (due again in 1 minute), one new.
    let out = env
        .cmd(DAY1)
        .args([
            "study",
            "tests/fixtures/decks/good-small.yaml",
            "--new",
            "2",
        ])
        .write_stdin("Berlin\n\nHenk Sneevliet\n\nBerlin\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = env.cmd(DAY1).arg("due").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        output(&env, &out).0,
        "small  0 due now, 1 today, 1 new\nNext card due in 1m (2026-01-10 09:01).\n"
    );
    let out = env
        .cmd("2026-01-10T09:05:00+01:00")
        .args(["status", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["due_now"], 1);
    assert_eq!(json["decks"][0]["id"], "small");
    assert_eq!(json["next_due"], "2026-01-10T08:01:00Z");
}

/// A known deck studied with no argument comes from the parsed-deck cache, whose session
/// decodes only the cards it shows (`command/study.rs`): every prompt, grade, confusion and
/// summary is the one the same deck named on the command line (parsed from its file) gives.
#[test]
fn a_deck_from_the_cache_gives_the_session_its_file_gives() {
    const DAY3: &str = "2026-01-12T09:00:00+01:00";
    let answers = "1921\n\nTrilisser\n\nPiatnitsky\n\nb\n\nx\n\n1925\n\nMoskvin\n\na\n\n".repeat(4);
    let mut most_prompts = 0;
    for args in [
        &["--new", "30"][..],
        &["--tag", "date"][..],
        &["--kind", "choice", "--new", "5"][..],
        &["--cram", "--limit", "8"][..],
    ] {
        let [named, cached] = [Env::new(), Env::new()];
        for env in [&named, &cached] {
            let out = env
                .cmd(DAY1)
                .args(["study", "decks/oms.yaml", "--new", "20"])
                .write_stdin(answers.as_str())
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            // Fills the cache, as any `study` of the known decks does.
            let out = env.cmd(DAY1).arg("study").write_stdin("").output().unwrap();
            assert!(out.status.success(), "{out:?}");
        }
        let run = |env: &Env, deck: Option<&str>| {
            let out = env
                .cmd(DAY3)
                .arg("study")
                .args(deck)
                .args(args)
                .write_stdin(answers.as_str())
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            output(env, &out)
        };
        let (from_file, file_err) = run(&named, Some("decks/oms.yaml"));
        let (from_cache, cache_err) = run(&cached, None);
        assert_eq!(from_cache, from_file, "study {args:?}");
        assert_eq!(cache_err, file_err);
        most_prompts = most_prompts.max(from_cache.matches("answer>").count());
    }
    // Well past the few cards given their texts before the first prompt.
    assert!(most_prompts >= 30, "{most_prompts}");
}

/// A deck file edited right after a session, keeping its size, is read again: its stamp is
/// too fresh to stand for its content, so it is hashed (`store::FileStamp`).
#[test]
fn a_same_size_edit_right_after_a_session_is_picked_up() {
    let env = Env::new();
    let deck = env.dir.path().join("deck.yaml");
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/decks/good-small.yaml")).unwrap();
    std::fs::write(&deck, &text).unwrap();
    let out = env
        .cmd(DAY1)
        .arg("study")
        .arg(&deck)
        .write_stdin("")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = env.cmd(DAY1).arg("study").write_stdin("").output().unwrap();
    let (first, _) = output(&env, &out);
    let prompt = first
        .lines()
        .find_map(|l| l.strip_prefix("[1/"))
        .and_then(|l| l.split_once("] "))
        .map(|(_, p)| p.to_owned())
        .expect("a first prompt");
    let edited_prompt: String = prompt.chars().rev().collect();
    assert_eq!(edited_prompt.len(), prompt.len());
    std::fs::write(&deck, text.replace(&prompt, &edited_prompt)).unwrap();
    assert_eq!(std::fs::metadata(&deck).unwrap().len(), text.len() as u64);
    let out = env.cmd(DAY1).arg("study").write_stdin("").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let (second, _) = output(&env, &out);
    assert!(second.contains(&edited_prompt), "{second}");
}
