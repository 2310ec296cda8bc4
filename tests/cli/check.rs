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
