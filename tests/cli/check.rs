//! `factdrill check`, `--help` and error rendering: exact messages are part of the contract.

use crate::{Env, output};

const NOW: &str = "2026-01-10T09:00:00+00:00";

#[test]
fn check_accepts_the_shipped_deck() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["check", "decks/oms.yaml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (stdout, _) = output(&env, &out);
    assert!(
        stdout.starts_with("decks/oms.yaml: ok, deck `oms` with "),
        "{stdout}"
    );
    assert!(!env.db().exists(), "check must not create the database");
}

#[test]
fn check_reports_every_problem_with_its_position() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args([
            "check",
            "tests/fixtures/decks/good-small.yaml",
            "tests/fixtures/decks/bad-many.yaml",
            "tests/fixtures/decks/bad-syntax.yaml",
            "tests/fixtures/decks/bad-utf8.yaml",
            "tests/fixtures/decks/missing.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = output(&env, &out);
    insta::assert_snapshot!("check_stdout", stdout);
    insta::assert_snapshot!("check_stderr", stderr);
    assert!(!env.db().exists());
}

#[test]
fn study_refuses_an_invalid_deck_before_touching_the_database() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["study", "tests/fixtures/decks/bad-syntax.yaml"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "tests/fixtures/decks/bad-syntax.yaml:5:13: invalid YAML: unclosed quote\n\
         factdrill: error: tests/fixtures/decks/bad-syntax.yaml has 1 problem\n"
    );
    assert!(!env.db().exists());
}

#[test]
fn every_command_has_help_with_an_example() {
    let env = Env::new();
    for args in [
        vec!["--help"],
        vec!["study", "--help"],
        vec!["check", "--help"],
        vec!["stats", "--help"],
        vec!["schedule", "--help"],
        vec!["extract", "--help"],
        vec!["due", "--help"],
        vec!["card", "--help"],
        vec!["sync", "--help"],
    ] {
        let out = env.cmd(NOW).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let (stdout, _) = output(&env, &out);
        assert!(stdout.contains("Example"), "{args:?}: {stdout}");
        insta::assert_snapshot!(format!("help_{}", args.join("_").replace("--", "")), stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let out = env.cmd(NOW).args(["chek"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env.cmd(NOW).args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_environment_is_a_clear_error() {
    let env = Env::new();
    let out = env.cmd("next tuesday").args(["stats"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert!(
        stderr.starts_with(
            "factdrill: error: FACTDRILL_NOW=\"next tuesday\" is not valid: expected an RFC 3339 time"
        ),
        "{stderr}"
    );
    let out = env
        .cmd(NOW)
        .env("FACTDRILL_SEED", "-1")
        .args(["stats"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn newer_database_is_refused_and_left_alone() {
    let env = Env::new();
    // Make a database, then pretend a future factdrill migrated it.
    let out = env.cmd(NOW).args(["stats"]).output().unwrap();
    assert!(out.status.success());
    let db = env.db();
    // Write user_version directly into the header (offset 60, big-endian), as a newer
    // schema would; no sqlite3 binary needed.
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(&db, &bytes).unwrap();
    let out = env.cmd(NOW).args(["stats"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    // The version this build knows changes with each migration; the rest is exact.
    assert_eq!(
        stderr,
        format!(
            "factdrill: error: [TMP]/progress.db was written by a newer factdrill (schema version 999; this one knows up to {}); upgrade factdrill, or use another database with --db\n",
            factdrill::store::LATEST_VERSION
        )
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the file must not be changed"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let env = Env::new();
    std::fs::write(env.db(), "these are my notes, not a database\n".repeat(200)).unwrap();
    let out = env.cmd(NOW).args(["stats"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: [TMP]/progress.db is not a factdrill database, or it is damaged; restore it from a backup or choose another file with --db\n"
    );
}

/// A deck of `cards` cards in one file, card `bad` (if any) with `bad_line` added to it.
fn big_deck(cards: usize, bad: Option<(usize, &str)>) -> String {
    let mut text = String::from("version: 1\nid: big\nname: Big deck\ncards:\n");
    for i in 0..cards {
        text.push_str(&format!(
            "  - id: c{i}\n    prompt: What is item {i}?\n    answer: Answer {i}\n    tags: [t{}]\n",
            i % 10
        ));
        if let Some((at, line)) = bad
            && at == i
        {
            text.push_str(line);
        }
    }
    text
}

/// A 100k-card deck in one file is checked like a small one: no count of values refuses it
/// (the parser's default of 250,000 refused decks of some 30,000 cards).
#[test]
fn a_100k_card_deck_in_one_file_checks_clean() {
    let env = Env::new();
    let path = env.dir.path().join("big.yaml");
    std::fs::write(&path, big_deck(100_000, None)).unwrap();
    let out = env.cmd(NOW).arg("check").arg(&path).output().unwrap();
    let (stdout, stderr) = output(&env, &out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("[TMP]/big.yaml: ok, deck `big` with 100000 cards"),
        "{stdout}"
    );
}

/// One YAML mistake deep in a 100k-card file: the fast reader declines the file, and the
/// full reader must reach the mistake and report it where it is, not refuse the file's size.
/// A mistake in a field (not YAML) is found by the loader after the fast read.
#[test]
fn a_mistake_in_a_100k_card_deck_is_reported_at_its_position() {
    let env = Env::new();
    // Card i starts on line 5 + 4i; the added line follows its four lines.
    let at = 87_654; // the card `c87654`
    let line = 5 + 4 * at + 4;
    for (name, bad, problem) in [
        (
            "dup.yaml",
            "    answer: again\n",
            format!("[TMP]/dup.yaml:{line}:5: invalid YAML: duplicate mapping key: answer"),
        ),
        (
            "field.yaml",
            "    promt: What?\n",
            format!(
                "[TMP]/field.yaml:{line}:5: unknown field `promt` in card `c87654`; did you mean `prompt`?"
            ),
        ),
    ] {
        let path = env.dir.path().join(name);
        std::fs::write(&path, big_deck(100_000, Some((at, bad)))).unwrap();
        let out = env.cmd(NOW).arg("check").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let (_, stderr) = output(&env, &out);
        assert_eq!(
            stderr,
            format!("{problem}\nfactdrill: error: 1 of 1 deck files have problems\n")
        );
    }
}
