//! Study sessions end to end: undo, suspend, bury and flag from line mode and from
//! `factdrill card`, leeches, cram, and the session filters and limits.

use std::path::PathBuf;

use crate::{Env, output};

const DAY1: &str = "2026-01-10T09:00:00+01:00";
const LATER: &str = "2026-02-20T09:00:00+01:00";

/// Four cards: two tagged `city`, a year tagged `date`, a choice. A leech at the first lapse.
const DECK: &str = r#"id: t
name: Test deck
leech_threshold: 1
cards:
  - {id: a, prompt: "Capital of France?", answer: Paris, tags: [city]}
  - {id: b, prompt: "Capital of Spain?", answer: Madrid, tags: [city]}
  - {id: c, kind: year, prompt: "In what year was the OMS founded?", answer: "1921", tags: [date]}
  - {id: d, prompt: "Which city was the OMS headquarters?", choices: [Berlin, Rome], answer: Berlin}
"#;

fn deck(env: &Env) -> PathBuf {
    let path = env.dir.path().join("t.yaml");
    std::fs::write(&path, DECK).unwrap();
    path
}

/// Runs `factdrill` with these arguments and input; asserts success; returns stdout.
fn run(env: &Env, now: &str, args: &[&str], input: &str) -> String {
    let out = env.cmd(now).args(args).write_stdin(input).output().unwrap();
    let (stdout, stderr) = output(env, &out);
    assert!(out.status.success(), "{args:?}\n{stdout}\n{stderr}");
    stdout
}

fn study(env: &Env, now: &str, extra: &[&str], input: &str) -> String {
    let deck = deck(env);
    let mut args = vec!["study", deck.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(env, now, &args, input)
}

fn json(env: &Env, now: &str, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run(env, now, args, "")).unwrap()
}

fn card_json(env: &Env, now: &str, card: &str) -> serde_json::Value {
    json(env, now, &["schedule", "--card", card, "--json"])
}

/// The ids of the cards asked, in order, from a transcript.
fn asked(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .filter(|l| l.starts_with('['))
        .filter_map(|l| l.split_once("] ").map(|(_, prompt)| prompt))
        .map(|prompt| match prompt {
            "Capital of France?" => "a",
            "Capital of Spain?" => "b",
            "In what year was the OMS founded?" => "c",
            "Which city was the OMS headquarters?" => "d",
            other => panic!("unknown prompt {other}"),
        })
        .collect()
}

#[test]
fn undo_through_line_mode_deletes_the_answer_and_asks_again() {
    let env = Env::new();
    // `a` answered and rated Good (a learning step), then `:u` at `b`'s prompt: the answer to
    // `a` is deleted and `a` is asked again, rated Easy this time. At `b`, an answer typed
    // and taken back with `:u` at the rating prompt is asked again too.
    let out = study(
        &env,
        DAY1,
        &["--tag", "city"],
        "Paris\n\n:u\nParis\n4\nRome\n:u\nMadrid\n4\n",
    );
    insta::assert_snapshot!("undo", out);
    assert_eq!(asked(&out), vec!["a", "b", "a", "b", "b"]);
    let stats = json(&env, DAY1, &["stats", "--json"]);
    assert_eq!(stats["reviews_total"], 2, "the undone answer is gone");
    let a = card_json(&env, DAY1, "a");
    assert_eq!(a["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(a["reviews"][0]["rating"], 4);
    assert_eq!(a["state"]["phase"], "review");
}

#[test]
fn undo_reaches_only_answers_of_its_own_session() {
    let env = Env::new();
    let out = study(&env, DAY1, &["--tag", "city"], "Paris\n4\nMadrid\n4\n");
    assert!(out.contains("2 answered"), "{out}");
    // The next session has nothing of its own to undo.
    let out = study(&env, DAY1, &["--kind", "year"], ":u\n:u\n");
    assert!(out.contains("Nothing to undo."), "{out}");
    let stats = json(&env, DAY1, &["stats", "--json"]);
    assert_eq!(
        stats["reviews_total"], 2,
        "undo reaches only its own session"
    );
}

#[test]
fn session_commands_suspend_bury_flag_explain_and_help() {
    let env = Env::new();
    let out = study(
        &env,
        DAY1,
        &[],
        "?\n:s\n:b\n:e\n:f blue check the year\n1921\n:e\n:x\n4\n",
    );
    insta::assert_snapshot!("commands", out);
    // `d` is asked when the input ends.
    assert_eq!(asked(&out), vec!["a", "b", "c", "d"]);
    let show = run(&env, DAY1, &["card", "show", "t/a", "t/b", "c", "t/d"], "");
    insta::assert_snapshot!("card_show_after_session", show);
    // Suspended and buried cards are not due; tomorrow the buried one is back.
    let due = json(&env, DAY1, &["due", "--json"]);
    assert_eq!(due["new"], 1, "only d is waiting: {due}");
    let due = json(&env, "2026-01-11T09:00:00+01:00", &["due", "--json"]);
    assert_eq!(due["new"], 2, "b is unburied at 4 am: {due}");
    let stats = json(&env, DAY1, &["stats", "--json"]);
    assert_eq!(stats["cards"]["suspended"], 1);
}

#[test]
fn card_command_marks_cards_by_deck_and_id() {
    let env = Env::new();
    study(&env, DAY1, &["--new", "0"], "");
    let out = run(&env, DAY1, &["card", "suspend", "t/a", "b"], "");
    assert_eq!(out, "t/a: suspended\nt/b: suspended\n");
    assert_eq!(json(&env, DAY1, &["due", "--json"])["new"], 2);
    let out = run(&env, DAY1, &["card", "bury", "t/c"], "");
    assert_eq!(out, "t/c: buried until 2026-01-11 04:00\n");
    let out = run(
        &env,
        DAY1,
        &["card", "flag", "--colour", "4", "--note", "too easy", "t/d"],
        "",
    );
    assert_eq!(out, "t/d: flagged blue\n");
    let show = run(&env, DAY1, &["card", "show", "t/a", "t/c", "t/d"], "");
    assert_eq!(
        show,
        "t/a  Capital of France?\n  suspended since 2026-01-10 09:00\n\
         t/c  In what year was the OMS founded?\n  buried until 2026-01-11 04:00\n\
         t/d  Which city was the OMS headquarters?\n  flagged blue: too easy\n"
    );
    // A session shows only what is neither suspended nor buried.
    let out = study(&env, DAY1, &[], "a\n4\n");
    assert_eq!(asked(&out), vec!["d"]);
    assert!(
        out.contains("[1/1, new, flagged blue: too easy] Which city"),
        "the flag is shown with the prompt: {out}"
    );
    for (action, done) in [
        ("unsuspend", "unsuspended"),
        ("unbury", "unburied"),
        ("unflag", "unflagged"),
    ] {
        let out = run(&env, DAY1, &["card", action, "t/a", "t/c", "t/d"], "");
        assert_eq!(out, format!("t/a: {done}\nt/c: {done}\nt/d: {done}\n"));
    }
    let show = run(&env, DAY1, &["card", "show", "t/a"], "");
    assert_eq!(show, "t/a  Capital of France?\n  no marks\n");
    // `a` and `c` wait as new cards; `b` is still suspended.
    assert_eq!(json(&env, DAY1, &["due", "--json"])["new"], 2);
}

#[test]
fn card_command_errors_name_the_card_and_change_nothing() {
    let env = Env::new();
    study(&env, DAY1, &["--new", "0"], "");
    for (args, message) in [
        (
            vec!["card", "suspend", "t/a", "t/nope"],
            "factdrill: error: no card `nope` in this database (deck `t`)\n",
        ),
        (
            vec!["card", "suspend", "zz/a"],
            "factdrill: error: no card `a` in this database (deck `zz`)\n",
        ),
        (
            vec!["card", "flag", "--colour", "mauve", "t/a"],
            "error: invalid value 'mauve' for '--colour <COLOUR>': unknown flag `mauve`; expected one of: red, orange, green, blue, pink, turquoise, purple (or 1-7)\n\nFor more information, try '--help'.\n",
        ),
    ] {
        let out = env.cmd(DAY1).args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let (_, stderr) = output(&env, &out);
        assert_eq!(stderr, message, "{args:?}");
    }
    let show = run(&env, DAY1, &["card", "show", "t/a"], "");
    assert!(
        show.ends_with("no marks\n"),
        "the first card was not suspended: {show}"
    );
}

#[test]
fn a_leech_is_suspended_and_the_learner_told_why() {
    let env = Env::new();
    // Day 1: `a` graduates at once (Easy). Weeks later it is due and forgotten: with
    // `leech_threshold: 1`, that first lapse makes it a leech.
    study(&env, DAY1, &["--limit", "1"], "Paris\n4\n");
    let out = study(&env, LATER, &["--tag", "city", "--new", "0"], "Lyon\n\n");
    insta::assert_snapshot!("leech", out);
    let show = run(&env, LATER, &["card", "show", "t/a"], "");
    assert_eq!(
        show,
        "t/a  Capital of France?\n  suspended since 2026-02-20 09:00\n  leech (failed too often)\n"
    );
    let due = json(&env, LATER, &["due", "--json"]);
    assert_eq!(due["due_now"], 0, "a suspended leech is never due");
    run(&env, LATER, &["card", "unsuspend", "t/a"], "");
    let due = json(&env, LATER, &["due", "--json"]);
    assert_eq!(
        due["due_today"], 1,
        "unsuspended, its relearning step is due"
    );
}

#[test]
fn leech_threshold_flag_overrides_the_deck() {
    let env = Env::new();
    study(&env, DAY1, &["--limit", "1"], "Paris\n4\n");
    let out = study(
        &env,
        LATER,
        &["--tag", "city", "--new", "0", "--leech-threshold", "0"],
        "Lyon\n\n",
    );
    assert!(!out.contains("Leech"), "0 turns leeches off: {out}");
    let show = run(&env, LATER, &["card", "show", "t/a"], "");
    assert!(show.ends_with("no marks\n"), "{show}");
}

#[test]
fn undoing_the_answer_that_made_a_leech_lifts_it() {
    let env = Env::new();
    study(&env, DAY1, &["--limit", "1"], "Paris\n4\n");
    // `b` (new) follows `a`: at its prompt, `:u` takes back the lapse that made `a` a leech.
    let out = study(&env, LATER, &["--tag", "city"], "Lyon\n\n:u\nParis\n3\n");
    assert!(out.contains("Leech:"), "{out}");
    let show = run(&env, LATER, &["card", "show", "t/a"], "");
    assert_eq!(show, "t/a  Capital of France?\n  no marks\n");
    let a = card_json(&env, LATER, "a");
    assert_eq!(a["state"]["lapses"], 0);
    assert_eq!(a["reviews"].as_array().unwrap().len(), 2);
}

#[test]
fn cram_practises_without_changing_the_schedule() {
    let env = Env::new();
    study(&env, DAY1, &["--limit", "1"], "Paris\n4\n");
    let before = card_json(&env, DAY1, "a");
    let out = study(
        &env,
        DAY1,
        &["--cram", "--tag", "city"],
        "Lyon\n\nMadrid\n\nParis\n\n",
    );
    insta::assert_snapshot!("cram", out);
    // `a` is least likely recalled of the seen cards (the only one), then the new `b`;
    // Again brings `a` back once.
    assert_eq!(asked(&out), vec!["a", "b", "a"]);
    let after = card_json(&env, DAY1, "a");
    assert_eq!(
        after["state"], before["state"],
        "the schedule did not change"
    );
    assert_eq!(
        after["reviews"].as_array().unwrap().len(),
        3,
        "cram is logged"
    );
    assert_eq!(after["reviews"][1]["cram"], true);
    let stats = json(&env, DAY1, &["stats", "--json"]);
    assert_eq!(stats["reviews_total"], 1, "stats ignore cram");
    assert_eq!(stats["cards"]["new"], 3, "b is still new");
    let export = run(&env, DAY1, &["export", "reviews", "--format", "json"], "");
    assert_eq!(export.matches("\"mode\":\"cram\"").count(), 3);
    let csv = run(&env, DAY1, &["export", "reviews"], "");
    assert_eq!(
        csv.lines().count(),
        2,
        "the CSV has the normal review only: {csv}"
    );
    // The daily new-card count ignores cram: `b` is still introduced as new.
    let out = study(&env, DAY1, &["--tag", "city"], "Madrid\n4\n");
    assert!(out.contains("[1/1, new] Capital of Spain?"), "{out}");
}

#[test]
fn filters_choose_decks_tags_and_kinds() {
    let env = Env::new();
    let t = deck(&env);
    let t = t.to_str().unwrap();
    let small = "tests/fixtures/decks/good-small.yaml";
    run(&env, DAY1, &["study", t, small, "--new", "0"], "");
    let out = run(
        &env,
        DAY1,
        &["study", t, small, "--deck", "t", "--kind", "year"],
        "",
    );
    assert!(out.contains("1 card to study."), "{out}");
    let out = run(
        &env,
        DAY1,
        &["study", t, "--tag", "city", "--tag", "date"],
        "",
    );
    assert!(out.contains("3 cards to study."), "{out}");
    let out = run(&env, DAY1, &["study", "--deck", "small"], "");
    assert!(
        out.contains("3 cards to study."),
        "known decks filtered: {out}"
    );
    let out = env
        .cmd(DAY1)
        .args(["study", "--deck", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        output(&env, &out).1,
        "factdrill: error: no deck `nope` in this database\n"
    );
    let out = env
        .cmd(DAY1)
        .args(["study", "--kind", "essay"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn limit_caps_the_session_and_says_so() {
    let env = Env::new();
    let out = study(&env, DAY1, &["--limit", "2"], "Paris\n4\nMadrid\n4\n");
    assert!(
        out.starts_with("Test deck: 4 new cards added\n2 cards to study."),
        "{out}"
    );
    assert!(
        out.contains("\n--limit 2 leaves 2 cards for another session.\n"),
        "{out}"
    );
}

#[test]
fn global_new_limit_counts_every_deck() {
    let env = Env::new();
    let t = deck(&env);
    let out = run(
        &env,
        DAY1,
        &[
            "study",
            t.to_str().unwrap(),
            "tests/fixtures/decks/good-small.yaml",
            "--new",
            "5",
        ],
        "",
    );
    assert!(out.contains("5 cards to study."), "{out}");
    assert!(
        out.contains("\nThe daily limit --new 5 keeps 2 new cards for later days.\n"),
        "{out}"
    );
}

#[test]
fn time_box_stops_after_the_card_that_runs_past_it() {
    let env = Env::new();
    let deck = deck(&env);
    // The pinned clock advances 20 s at each reading: the session starts at +0 s, the first
    // card is asked at +20 s and answered at +40 s, the second asked at +60 s and answered at
    // +80 s, past the one-minute box: that card finishes and the session ends.
    let out = env
        .cmd(DAY1)
        .env("FACTDRILL_NOW_STEP", "20")
        .args(["study", deck.to_str().unwrap(), "--minutes", "1"])
        .write_stdin("Paris\n4\nMadrid\n4\n1921\n4\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    assert_eq!(asked(&stdout), vec!["a", "b"]);
    assert!(
        stdout.contains("\nTime is up (1m): 2 cards left for another session.\n"),
        "{stdout}"
    );
    let stats = json(&env, DAY1, &["stats", "--json"]);
    assert_eq!(stats["reviews_total"], 2);
}
