//! `factdrill optimize` and `factdrill evaluate`: fitting FSRS-6 to a review log, saving the
//! fit and scheduling with it, comparing models on a time split, and refusing too little data.
//!
//! The review logs are ours, simulated by `scripts/simulated-revlog.py` (never rows of a real
//! log): `tests/fixtures/revlog-small.csv` = `simulated-revlog.py 400 5 1735725600000` (2478
//! reviews of 400 cards), `tests/fixtures/revlog-tiny.csv` = `simulated-revlog.py 25 6
//! 1735725600000` (159 reviews).

use crate::{Env, output};

/// FSRS-6's default parameters.
const DEFAULTS: [f64; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

const NOW: &str = "2026-01-10T09:00:00+01:00";
const LATER: &str = "2026-01-10T09:30:00+01:00";
const SMALL: &str = "tests/fixtures/revlog-small.csv";
const TINY: &str = "tests/fixtures/revlog-tiny.csv";

fn json(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = env.cmd(NOW).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn parameters(value: &serde_json::Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|w| w.as_f64().unwrap())
        .collect()
}

#[test]
fn optimize_fits_a_review_log_and_shows_before_and_after() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["optimize", "--revlog", SMALL])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, stderr) = output(&env, &out);
    insta::assert_snapshot!("optimize_small", stdout);
    // A quiet line on stderr (not a terminal), with the time the fit took.
    assert!(
        stderr.starts_with("factdrill: fitted FSRS-6 to 1723 reviews in "),
        "{stderr}"
    );

    let fit = json(&env, &["optimize", "--revlog", SMALL, "--json"]);
    let w = parameters(&fit["parameters"]);
    assert_eq!(w.len(), 21);
    assert_eq!(fit["reviews"], 2478);
    assert_eq!(fit["saved"], serde_json::Value::Null);
    let (before, after) = (
        fit["before"]["log_loss"].as_f64().unwrap(),
        fit["after"]["log_loss"].as_f64().unwrap(),
    );
    assert!(after < before, "{fit}");
    assert_eq!(fit["log_loss_after"].as_f64(), Some(after));
    // Deterministic for a seed; another seed orders the batches differently.
    assert_eq!(
        parameters(&json(&env, &["optimize", "--revlog", SMALL, "--json"])["parameters"]),
        w
    );
    let other = json(
        &env,
        &["optimize", "--revlog", SMALL, "--json", "--seed", "9"],
    );
    assert_ne!(parameters(&other["parameters"]), w);
}

#[test]
fn too_little_data_is_a_clear_error_and_saves_nothing() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["optimize", "--revlog", TINY, "--save"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = output(&env, &out);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "factdrill: error: not enough reviews to fit FSRS-6: 130 reviews on a later day than the card's previous review, at least 200 are needed\n"
    );
    let out = env
        .cmd(NOW)
        .args(["evaluate", "--revlog", TINY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // An empty database has nothing to fit either.
    let out = env.cmd(NOW).args(["optimize"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert!(
        stderr.contains("not enough reviews to fit FSRS-6: 0 reviews"),
        "{stderr}"
    );
}

#[test]
fn bad_review_logs_and_decks_are_clear_errors() {
    let env = Env::new();
    let bad = env.dir.path().join("bad.csv");
    std::fs::write(&bad, "card_id,review_time,rating\n1,1000,5\n2,x,3\n").unwrap();
    let out = env
        .cmd(NOW)
        .args(["optimize", "--revlog"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    insta::assert_snapshot!("optimize_bad_csv", stderr);

    let out = env
        .cmd(NOW)
        .args(["optimize", "--deck", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: no deck `nope` in this database\n"
    );
    let out = env
        .cmd(NOW)
        .args(["evaluate", "--parameters", "1 2 3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
}

/// The stability the `schedule` command shows for card `hq` after Good, Good on day one.
fn hq_stability(env: &Env) -> f64 {
    let out = env
        .cmd(LATER)
        .args(["schedule", "--card", "hq", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    card["state"]["stability_days"].as_f64().unwrap()
}

/// FSRS-6's stability after Good, then Good again the same day: S = w2, times the
/// short-term increase exp(w17 * w18) * S^-w19 when that is above 1.
fn good_good(w: &[f64]) -> f64 {
    w[2] * ((w[17] * w[18]).exp() * w[2].powf(-w[19])).max(1.0)
}

#[test]
fn saved_parameters_schedule_decks_unless_the_deck_file_gives_its_own() {
    let env = Env::new();
    let deck = env.dir.path().join("small.yaml");
    let text = std::fs::read_to_string(crate::root().join("tests/fixtures/decks/good-small.yaml"))
        .unwrap();
    std::fs::write(&deck, &text).unwrap();
    let out = env
        .cmd(NOW)
        .arg("study")
        .arg(&deck)
        .args(["--new", "1"])
        .write_stdin("Berlin\n\nBerlin\n\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Defaults: the first Good gives S = w2 = 2.3065; the same-day Good never lowers it.
    assert!((hq_stability(&env) - 2.3065).abs() < 1e-9);

    // Saved for every deck: the card's log is replayed with the fitted w2.
    let fit = json(&env, &["optimize", "--revlog", SMALL, "--save", "--json"]);
    assert_eq!(fit["saved"], "global");
    let global = good_good(&parameters(&fit["parameters"]));
    assert!((hq_stability(&env) - global).abs() < 1e-9, "{fit}");

    // Saved for the deck: it wins over the global set (another seed, other numbers).
    let fit = json(
        &env,
        &[
            "optimize", "--revlog", SMALL, "--save", "--json", "--deck", "small", "--seed", "5",
        ],
    );
    assert_eq!(fit["saved"], "deck small");
    let own_fit = good_good(&parameters(&fit["parameters"]));
    assert!(
        (own_fit - global).abs() > 1e-6,
        "the seeds give different fits"
    );
    assert!((hq_stability(&env) - own_fit).abs() < 1e-9);

    // The deck file's own parameters win over anything saved.
    let own = text.replacen(
        "cards:",
        "parameters: 0.212, 1.2931, 3.5, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542\ncards:",
        1,
    );
    std::fs::write(&deck, own).unwrap();
    let mut w = DEFAULTS;
    w[2] = 3.5;
    assert!((hq_stability(&env) - good_good(&w)).abs() < 1e-9);

    // Text output says where they went.
    let out = env
        .cmd(NOW)
        .args(["optimize", "--revlog", SMALL, "--save"])
        .output()
        .unwrap();
    let (stdout, _) = output(&env, &out);
    assert!(
        stdout.ends_with(
            "Saved: every deck without parameters of its own is scheduled with them from now on.\n"
        ),
        "{stdout}"
    );
}

#[test]
fn evaluate_compares_models_on_the_later_reviews() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["evaluate", "--revlog", SMALL])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("evaluate_small", stdout);

    let fitted = json(&env, &["optimize", "--revlog", SMALL, "--json"]);
    let w: Vec<String> = parameters(&fitted["parameters"])
        .iter()
        .map(ToString::to_string)
        .collect();
    let e = json(
        &env,
        &[
            "evaluate",
            "--revlog",
            SMALL,
            "--json",
            "--parameters",
            &w.join(","),
        ],
    );
    let models = e["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "default FSRS-6",
            "fitted FSRS-6",
            "given parameters",
            "SM-2"
        ]
    );
    let split = &e["split"];
    assert_eq!(split["train_items"], 1826);
    assert_eq!(split["test_items"], 116);
    for m in models {
        assert_eq!(m["count"], 116, "{m}");
        assert!(m["log_loss"].as_f64().unwrap() > 0.0);
    }
    assert!(e["fit_seconds"].as_f64().unwrap() >= 0.0);
    // The fit on the earlier 80 % is not the fit on everything.
    assert_ne!(e["fitted_parameters"], fitted["parameters"]);
}

#[test]
fn optimize_and_evaluate_have_help_with_examples() {
    let env = Env::new();
    for command in ["optimize", "evaluate"] {
        let out = env.cmd(NOW).args([command, "--help"]).output().unwrap();
        assert!(out.status.success());
        let (stdout, _) = output(&env, &out);
        assert!(stdout.contains("Examples"), "{stdout}");
        insta::assert_snapshot!(format!("help_{command}"), stdout);
    }
}

#[test]
fn optimize_reads_the_database_log_like_the_file() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["import", "reviews", SMALL])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The CSV's cards land in the deck `imported`; the database's log is the file's.
    let from_db = json(
        &env,
        &["optimize", "--json", "--deck", "imported", "--save"],
    );
    let from_file = json(&env, &["optimize", "--revlog", SMALL, "--json"]);
    assert_eq!(from_db["parameters"], from_file["parameters"]);
    assert_eq!(from_db["reviews"], 2478);
    assert_eq!(from_db["saved"], "deck imported");
    let e = json(&env, &["evaluate", "--json", "--deck", "imported"]);
    assert_eq!(e["split"]["test_items"], 116);
}
