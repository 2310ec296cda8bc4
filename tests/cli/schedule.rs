//! `factdrill schedule --card`: a card's history, memory state and next intervals, and the
//! choice of scheduler per deck or per session.

use crate::{Env, output};

const DAY1: &str = "2026-01-10T09:00:00+01:00";
const LATER: &str = "2026-01-10T09:30:00+01:00";

fn card_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env
        .cmd(LATER)
        .args(["schedule", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn card_info_shows_history_state_and_next_intervals() {
    let env = Env::new();
    let out = env
        .cmd(DAY1)
        .args([
            "study",
            "tests/fixtures/decks/good-small.yaml",
            "--new",
            "1",
        ])
        .write_stdin("Berlin\n\nBerlin\n\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = env
        .cmd(LATER)
        .args(["schedule", "--card", "hq"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("card_info", stdout);

    let json = card_json(&env, &["--card", "hq"]);
    assert_eq!(json["state"]["phase"], "review");
    assert_eq!(json["reviews"].as_array().unwrap().len(), 2);
    assert_eq!(json["scheduler"], "fsrs-6");
}

#[test]
fn deck_and_session_choose_the_scheduler() {
    let env = Env::new();
    // The deck says sm2; with no learning steps the first Good schedules 1 day (SM-2's I(1)).
    let out = env
        .cmd(DAY1)
        .args(["study", "tests/fixtures/decks/sm2.yaml"])
        .write_stdin("Berlin\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json = card_json(&env, &["--card", "hq", "--deck", "classic"]);
    assert_eq!(json["scheduler"], "sm-2");
    assert_eq!(json["reviews"][0]["scheduler"], "sm-2");
    assert_eq!(json["state"]["ease"], 2.5);
    assert_eq!(json["state"]["due"], "2026-01-11T08:00:00Z");

    // `--scheduler fsrs` overrides the deck for a session; the log records what was used.
    // Replayed under FSRS (no steps), that first Good waits 2 days, so study on day 3.
    let out = env
        .cmd("2026-01-12T09:00:00+01:00")
        .args([
            "study",
            "tests/fixtures/decks/sm2.yaml",
            "--scheduler",
            "fsrs",
        ])
        .write_stdin("Berlin\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json = card_json(&env, &["--card", "hq", "--scheduler", "fsrs"]);
    assert_eq!(json["reviews"][1]["scheduler"], "fsrs-6");
    assert_eq!(json["scheduler"], "fsrs-6");
    assert!(json["state"]["stability_days"].as_f64().unwrap() > 0.0);
}

#[test]
fn unknown_and_bad_scheduler_names_are_clear_errors() {
    let env = Env::new();
    let out = env
        .cmd(DAY1)
        .args(["schedule", "--card", "nothing-here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: no card `nothing-here` in this database\n"
    );
    let out = env
        .cmd(DAY1)
        .args(["study", "decks/oms.yaml", "--scheduler", "leitner"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (_, stderr) = output(&env, &out);
    assert!(
        stderr.contains("unknown scheduler `leitner`: choose `fsrs` (also `fsrs-6`) or `sm2`"),
        "{stderr}"
    );
}
