//! Adaptive learning end to end (`docs/statistics.md`): confusions seen in a session over a
//! pipe, recorded, listed by `stats` and taken back by undo.

use crate::{Env, output};

const DAY1: &str = "2026-01-10T09:00:00+01:00";

/// Two heads of one branch, each stated by its source sentence.
const HEADS: &str = "\
version: 1
id: heads
name: Heads
cards:
  - id: burde
    prompt: Who headed the German branch in 1932?
    answer: Fritz Burde
    source: In 1932 Fritz Burde headed the German branch.
    tags: [head]
  - id: kippenberger
    prompt: Who headed the German branch before Burde?
    answer: Hans Kippenberger
    source: Hans Kippenberger headed the German branch before Burde.
    tags: [head]
";

fn deck(env: &Env) -> String {
    let path = env.dir.path().join("heads.yaml");
    std::fs::write(&path, HEADS).unwrap();
    path.to_string_lossy().into_owned()
}

fn stats_json(env: &Env) -> serde_json::Value {
    let out = env.cmd(DAY1).args(["stats", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_confused_answer_shows_both_facts_and_stats_lists_the_pair() {
    let env = Env::new();
    let deck = deck(&env);
    // `burde` answered with the other head (Again), `kippenberger` right; then `burde`
    // comes back from its learning step and is confused again.
    let out = env
        .cmd(DAY1)
        .args(["study", &deck, "--limit", "2"])
        .write_stdin("Kippenberger\n\nKippenberger\n\nHans Kippenberger\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, stderr) = output(&env, &out);
    assert_eq!(stderr, "");
    assert!(
        stdout.contains(
            "You answered Hans Kippenberger: Hans Kippenberger headed the German branch before Burde."
        ),
        "{stdout}"
    );

    let json = stats_json(&env);
    let pairs = json["confusions"].as_array().expect("confusions");
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(pairs[0]["card"], "burde");
    assert_eq!(pairs[0]["given"], "Hans Kippenberger");
    assert_eq!(pairs[0]["expected"], "Fritz Burde");
    let times = pairs[0]["times"].as_u64().unwrap();
    let wrong_burde = stdout.matches("You answered Hans Kippenberger").count() as u64;
    assert_eq!(times, wrong_burde, "one confusion per confused answer");

    let out = env.cmd(DAY1).args(["stats"]).output().unwrap();
    let (text, _) = output(&env, &out);
    let section = text
        .split("Most confused")
        .nth(1)
        .expect("a Most confused section");
    assert!(
        section.contains(&format!(
            "{times}x Hans Kippenberger for Fritz Burde  heads/burde"
        )),
        "{section}"
    );
}

#[test]
fn undo_takes_the_confusion_back_with_the_answer() {
    let env = Env::new();
    let deck = deck(&env);
    // The confused answer is rated, then undone at the next question, then answered right.
    let out = env
        .cmd(DAY1)
        .args(["study", &deck, "--limit", "1"])
        .write_stdin("Kippenberger\n\n:u\nBurde\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    assert!(stdout.contains("Undone"), "{stdout}");
    let json = stats_json(&env);
    assert_eq!(json["confusions"], serde_json::json!([]));
    assert_eq!(json["today"]["reviews"], 1);
}

#[test]
fn a_wrong_answer_naming_nothing_known_is_no_confusion() {
    let env = Env::new();
    let deck = deck(&env);
    let out = env
        .cmd(DAY1)
        .args(["study", &deck, "--limit", "1"])
        .write_stdin("Napoleon\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    assert!(!stdout.contains("You answered"), "{stdout}");
    assert_eq!(stats_json(&env)["confusions"], serde_json::json!([]));
}

#[test]
fn stats_group_accuracy_by_fact_and_question_kind() {
    let env = Env::new();
    let path = env.dir.path().join("mixed.yaml");
    // Two head cards (one generated, so its question kind comes from its key) and a card
    // that names no kind of fact.
    let text = HEADS.replace(
        "    tags: [head]\n  - id: kippenberger",
        "    tags: [head]\n    generated: head-0123456789.recall-person 0123456789\n  - id: kippenberger",
    ) + "  - id: capital\n    prompt: What is the capital of France?\n    answer: Paris\n";
    std::fs::write(&path, text).unwrap();
    let deck = path.to_string_lossy().into_owned();
    // burde right, kippenberger wrong, capital right: each rated as suggested.
    let out = env
        .cmd(DAY1)
        .args(["study", &deck, "--limit", "3"])
        .write_stdin("Burde\n\nNapoleon\n\nParis\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json = stats_json(&env);
    let rows = |key: &str| -> Vec<(String, u64, u64)> {
        json["accuracy"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["name"].as_str().unwrap().to_owned(),
                    g["reviews"].as_u64().unwrap(),
                    g["correct"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let row = |name: &str, reviews, correct| (name.to_owned(), reviews, correct);
    assert_eq!(rows("facts"), [row("head", 2, 1), row("other", 1, 1)]);
    assert_eq!(
        rows("questions"),
        [row("recall", 2, 1), row("recall-person", 1, 1)]
    );
    // New cards: no review-phase review yet, so no retention.
    assert_eq!(
        json["accuracy"]["facts"][0]["retention"],
        serde_json::json!({"reviews": 0, "passed": 0})
    );
    let out = env.cmd(DAY1).args(["stats"]).output().unwrap();
    let (text, _) = output(&env, &out);
    let section = text.split("Accuracy by fact").nth(1).unwrap();
    let words = |line: &str| {
        line.split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        section.lines().any(|l| words(l) == "head 2 reviews 50%"),
        "{section}"
    );
}

/// A database holding the simulated log of `tests/fixtures/revlog-small.csv` (2478 reviews,
/// see `tests/cli/optimize.rs`), and the heads deck.
fn grown_log(env: &Env) -> String {
    let out = env
        .cmd(DAY1)
        .args(["import", "reviews", "tests/fixtures/revlog-small.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    deck(env)
}

fn study_once(env: &Env, deck: &str, extra: &[&str], refit: &str) -> String {
    let out = env
        .cmd(DAY1)
        .env("FACTDRILL_AUTO_REFIT", refit)
        .args(["study", deck, "--limit", "1"])
        .args(extra)
        .write_stdin("Burde\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    output(env, &out).0
}

#[test]
fn a_session_refits_fsrs_once_the_log_has_grown_and_says_so() {
    let env = Env::new();
    let deck = grown_log(&env);
    // Off (as in every other test), or off for one session: no refit.
    assert!(!study_once(&env, &deck, &[], "off").contains("Refitted"));
    assert!(!study_once(&env, &deck, &["--no-refit"], "on").contains("Refitted"));
    let before = imported_stability(&env);

    let stdout = study_once(&env, &deck, &[], "on");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Refitted FSRS-6 on "))
        .unwrap_or_else(|| panic!("no refit line in {stdout}"));
    assert!(
        line.ends_with(", kept.") || line.ends_with(", not kept."),
        "{line}"
    );
    let kept = line.ends_with(", kept.");
    // Whatever the outcome, the attempt is remembered: the log has not doubled since.
    assert!(!study_once(&env, &deck, &[], "on").contains("Refitted"));
    // A kept fit schedules every deck without its own parameters: an imported card's log
    // replays to another stability than under the defaults it had before.
    let changed = (imported_stability(&env) - before).abs() > 1e-9;
    assert_eq!(changed, kept, "{line}");
}

/// The stability of the first imported card, its log replayed with the parameters in use.
fn imported_stability(env: &Env) -> f64 {
    let out = env
        .cmd(DAY1)
        .args(["schedule", "--card", "1", "--deck", "imported", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["state"]["stability_days"].as_f64().unwrap()
}

#[test]
fn a_bad_auto_refit_setting_is_a_clear_error() {
    let env = Env::new();
    let out = env
        .cmd(DAY1)
        .env("FACTDRILL_AUTO_REFIT", "sometimes")
        .args(["due"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert!(stderr.contains("FACTDRILL_AUTO_REFIT"), "{stderr}");
}

#[test]
fn evaluate_reports_log_loss_per_question_format() {
    let env = Env::new();
    grown_log(&env);
    let out = env.cmd(DAY1).args(["evaluate", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = json["by_format"].as_array().expect("by_format");
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["recognition", "recall", "ordering"]);
    // The imported cards are typed (recall) cards with no recorded format: every future
    // review counts as recall, with the same log loss as the whole comparison.
    assert_eq!(groups[0]["items"], 0);
    assert_eq!(groups[0]["fitted"], serde_json::Value::Null);
    assert_eq!(groups[1]["items"], json["split"]["test_items"]);
    let fitted = json["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "fitted FSRS-6")
        .unwrap();
    let whole = fitted["log_loss"].as_f64().unwrap();
    let recall = groups[1]["fitted"].as_f64().unwrap();
    assert!((whole - recall).abs() < 1e-12, "{whole} vs {recall}");

    let out = env.cmd(DAY1).args(["evaluate"]).output().unwrap();
    let (text, _) = output(&env, &out);
    assert!(text.contains("Log loss per question format"), "{text}");
    // A review log file records no format.
    let out = env
        .cmd(DAY1)
        .args([
            "evaluate",
            "--json",
            "--revlog",
            "tests/fixtures/revlog-small.csv",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["by_format"], serde_json::Value::Null);
}

#[test]
fn a_new_fact_is_asked_as_multiple_choice_first() {
    let env = Env::new();
    let path = env.dir.path().join("fact.yaml");
    std::fs::write(
        &path,
        "\
version: 1
id: fact
name: Fact
cards:
  - id: typed
    prompt: Who headed the German branch in 1932?
    answer: Fritz Burde
    generated: head-0123456789.recall-person 0123456789
  - id: pick
    kind: choice
    prompt: Which of these headed the German branch in 1932?
    choices: [Fritz Burde, Hans Kippenberger, Leo Flieg]
    answer: Fritz Burde
    generated: head-0123456789.choice 0123456789
",
    )
    .unwrap();
    let deck = path.to_string_lossy().into_owned();
    let first = |extra: &[&str]| {
        let out = env
            .cmd(DAY1)
            .args(["study", &deck, "--limit", "1"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let (stdout, _) = output(&env, &out);
        stdout
            .lines()
            .find(|l| l.starts_with("[1/"))
            .unwrap_or_default()
            .to_owned()
    };
    // Nothing is answered (no input), so each run starts from a new fact.
    assert!(first(&[]).contains("Which of these"), "{}", first(&[]));
    assert!(first(&["--fixed-format"]).contains("Who headed"));
    // A fact that is never strong enough stays multiple choice; 0 days makes any reviewed
    // fact strong, but a new one has no memory yet.
    assert!(first(&["--recall-after", "0"]).contains("Which of these"));
}
