//! `factdrill stats`: a small history written through the store API (no real learner's
//! data), then the report's numbers checked against counts worked out by hand, and the
//! rendered charts snapshot-tested in Unicode and ASCII.

use std::collections::HashMap;

use factdrill::deck;
use factdrill::schedule::{CardState, Rating};
use factdrill::store::{NewReview, Store};
use jiff::Timestamp;

use crate::{Env, output, root};

/// "Now" for every test here: 2026-03-01 09:00 at UTC+1; the study day began at 04:00.
const NOW: &str = "2026-03-01T09:00:00+01:00";

/// One review of the fixture: deck file, card, local time, rating, response time.
type Step = (&'static str, &'static str, &'static str, Rating, u64);

/// The history, oldest first (times at UTC+1):
/// - `small/hq`: Easy on 01-20 (graduates at once), Easy on 01-29, Good on 02-24, then
///   forgotten today (Again 08:00) and relearnt (Good 08:10).
/// - `small/founded`: Good twice yesterday (learning steps), Good today.
/// - `small/first-head`: never reviewed.
/// - `kinds/founded-year`: Good today (a second deck, a `year` card).
const HISTORY: &[Step] = &[
    (
        "good-small",
        "hq",
        "2026-01-20T09:00:00+01:00",
        Rating::Easy,
        3000,
    ),
    (
        "good-small",
        "hq",
        "2026-01-29T09:00:00+01:00",
        Rating::Easy,
        3000,
    ),
    (
        "good-small",
        "hq",
        "2026-02-24T09:00:00+01:00",
        Rating::Good,
        3000,
    ),
    (
        "good-small",
        "founded",
        "2026-02-28T09:00:00+01:00",
        Rating::Good,
        5000,
    ),
    (
        "good-small",
        "founded",
        "2026-02-28T09:10:00+01:00",
        Rating::Good,
        5000,
    ),
    (
        "good-small",
        "hq",
        "2026-03-01T08:00:00+01:00",
        Rating::Again,
        1000,
    ),
    (
        "good-small",
        "hq",
        "2026-03-01T08:10:00+01:00",
        Rating::Good,
        2000,
    ),
    (
        "good-small",
        "founded",
        "2026-03-01T08:30:00+01:00",
        Rating::Good,
        4000,
    ),
    (
        "kinds",
        "founded-year",
        "2026-03-01T08:45:00+01:00",
        Rating::Good,
        6000,
    ),
];

/// Writes `HISTORY` into the test's database as `study` would, and returns each card's
/// state before each of its reviews (to classify reviews the way the report must).
fn write_history(env: &Env) -> HashMap<(&'static str, usize), CardState> {
    let mut store = Store::open(&env.db()).unwrap();
    let mut decks = HashMap::new();
    for name in ["good-small", "kinds"] {
        let path = root().join(format!("tests/fixtures/decks/{name}.yaml"));
        let deck = deck::load(&path).unwrap();
        store
            .sync_deck(&deck, "2026-01-01T09:00:00Z".parse().unwrap())
            .unwrap();
        let scheduler = deck.scheduling.build().unwrap();
        let cards: HashMap<String, _> = store
            .cards(&deck.id)
            .unwrap()
            .into_iter()
            .map(|c| (c.key.clone(), c))
            .collect();
        decks.insert(name, (scheduler, cards));
    }
    let mut before = HashMap::new();
    for (i, &(deck, card, at, rating, response_ms)) in HISTORY.iter().enumerate() {
        let (scheduler, cards) = decks.get_mut(deck).unwrap();
        let stored = cards.get_mut(card).unwrap();
        let at: Timestamp = at.parse().unwrap();
        let state = scheduler.review(&stored.state, rating, at);
        before.insert((card, i), stored.state.clone());
        store
            .record(&NewReview {
                handle: stored.handle,
                reviewed_at: at,
                rating,
                answer: "typed",
                verdict: if rating == Rating::Again {
                    "wrong"
                } else {
                    "correct"
                },
                response_ms,
                scheduler: scheduler.name(),
                state: &state,
                previous: &stored.state,
                cram: false,
                leech: false,
            })
            .unwrap();
        stored.state = state;
    }
    before
}

fn stats(env: &Env, args: &[&str]) -> std::process::Output {
    env.cmd(NOW).arg("stats").args(args).output().unwrap()
}

fn stats_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let out = stats(env, &[&["--json"], args].concat());
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
// One history checked report by report; splitting it would rebuild the database each time.
#[allow(clippy::too_many_lines)]
fn report_numbers_match_the_hand_counted_history() {
    let env = Env::new();
    let before = write_history(&env);
    let json = stats_json(&env, &[]);

    // Today: hq Again + Good, founded Good, founded-year Good; 1 + 2 + 4 + 6 seconds.
    assert_eq!(json["today"]["reviews"], 4);
    assert_eq!(json["today"]["correct"], 3);
    assert_eq!(json["today"]["again"], 1);
    assert_eq!(json["today"]["new_cards"], 1, "founded-year is new today");
    assert_eq!(json["today"]["time_ms"], 13_000);
    assert_eq!(json["reviews_total"], 9);

    // Studied 01-20, 01-29, 02-24, 02-28, 03-01: a 2-day streak, the longest.
    assert_eq!(json["streak"]["current"], 2);
    assert_eq!(json["streak"]["longest"], 2);
    assert_eq!(json["streak"]["days_studied"], 5);

    // Reviews per day: the last 30 days run 01-31 .. 03-01.
    let daily = json["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 30);
    assert_eq!(daily[0]["date"], "2026-01-31");
    assert_eq!(daily[29]["date"], "2026-03-01");
    let by_date: HashMap<&str, u64> = daily
        .iter()
        .map(|d| (d["date"].as_str().unwrap(), d["reviews"].as_u64().unwrap()))
        .collect();
    assert_eq!(by_date["2026-03-01"], 4);
    assert_eq!(by_date["2026-02-28"], 2);
    assert_eq!(by_date["2026-02-24"], 1);
    assert_eq!(
        daily
            .iter()
            .map(|d| d["reviews"].as_u64().unwrap())
            .sum::<u64>(),
        7
    );
    // The heatmap covers the whole history: 9 reviews; it starts on a Monday.
    let heat: u64 = json["heatmap"]["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(heat, 9);
    assert_eq!(json["heatmap"]["start"], "2025-02-24");

    // Calibration: reviews on a later day than the card's previous one: hq 01-29, 02-24,
    // 03-01 08:00 (Again) and founded 03-01; 3 of 4 recalled.
    let cal = &json["calibration"];
    assert_eq!(cal["count"], 4);
    assert_eq!(cal["passed"], 3);
    let binned: u64 = cal["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(binned, 4);

    // True retention: reviews of cards in the review phase: hq 01-29 (31 days ago),
    // hq 02-24, hq 03-01 08:00 (failed), founded 03-01. Young or mature by the interval the
    // card had before each.
    let interval = |card: &'static str, i: usize| {
        before[&(card, i)].interval().unwrap().as_secs_f64() / 86_400.0
    };
    assert!(interval("hq", 1) < 21.0, "Easy on a new card: about 8 days");
    let mature_7: u64 = [interval("hq", 2) >= 21.0, interval("hq", 5) >= 21.0]
        .iter()
        .map(|&m| u64::from(m))
        .sum();
    let w = &json["true_retention"]["windows"];
    assert_eq!(w[0]["days"], 7);
    assert_eq!(w[0]["all"]["reviews"], 3);
    assert_eq!(w[0]["all"]["passed"], 2);
    assert_eq!(w[0]["mature"]["reviews"], mature_7);
    assert_eq!(
        w[1]["all"]["reviews"], 3,
        "01-29 is 31 days back: outside 30 days"
    );
    assert_eq!(w[2]["all"]["reviews"], 4);
    assert_eq!(w[2]["all"]["passed"], 3);
    assert_eq!(w[2]["young"]["reviews"].as_u64().unwrap() + mature_7, 4);

    // Cards: hq and founded in review, first-head new, founded-year learning.
    assert_eq!(json["cards"]["review"], 2);
    assert_eq!(json["cards"]["learning"], 1);
    let intervals: u64 = json["intervals"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(intervals, 2);

    // Accuracy per deck and per kind.
    let decks = json["accuracy"]["decks"].as_array().unwrap();
    assert_eq!(decks[0]["name"], "kinds");
    assert_eq!(
        (decks[0]["reviews"].as_u64(), decks[0]["correct"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(decks[1]["name"], "small");
    assert_eq!(
        (decks[1]["reviews"].as_u64(), decks[1]["correct"].as_u64()),
        (Some(8), Some(7))
    );
    let kinds: Vec<(&str, u64)> = json["accuracy"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["name"].as_str().unwrap(), k["reviews"].as_u64().unwrap()))
        .collect();
    assert_eq!(kinds, vec![("recall", 8), ("year", 1)]);

    // The one card forgotten after being learnt.
    let lapses = json["hardest"]["most_lapses"].as_array().unwrap();
    assert_eq!(lapses.len(), 1);
    assert_eq!(lapses[0]["card"], "hq");
    assert_eq!(lapses[0]["lapses"], 1);
    assert_eq!(lapses[0]["reviews"], 5);

    // Forecast: every seen card due in the next 30 days, today's count is `due.today`.
    let forecast = json["forecast"]["days"].as_array().unwrap();
    assert_eq!(forecast.len(), 30);
    assert_eq!(forecast[0]["date"], "2026-03-01");
    assert_eq!(forecast[0]["due"], json["due"]["today"]);
    assert_eq!(json["forecast"]["overdue"], 0);
}

#[test]
fn deck_option_limits_every_number() {
    let env = Env::new();
    write_history(&env);
    let json = stats_json(&env, &["--deck", "small", "--days", "7"]);
    assert_eq!(json["deck"], "small");
    assert_eq!(json["today"]["reviews"], 3);
    assert_eq!(json["reviews_total"], 8);
    assert_eq!(json["cards"]["active"], 3);
    assert_eq!(json["daily"].as_array().unwrap().len(), 7);
    assert_eq!(json["accuracy"]["decks"].as_array().unwrap().len(), 1);
    assert_eq!(json["schedulers"]["small"], "fsrs-6");

    let out = stats(&env, &["--deck", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: no deck `nope` in this database\n"
    );
}

#[test]
fn charts_render_in_unicode_and_ascii() {
    let env = Env::new();
    write_history(&env);
    let out = env
        .cmd(NOW)
        .env("LANG", "en_GB.UTF-8")
        .args(["stats", "--days", "14"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("report_unicode", stdout);

    // The same report with --ascii, and on a terminal that cannot show Unicode.
    let ascii = stats(&env, &["--days", "14", "--ascii"]);
    let (ascii, _) = output(&env, &ascii);
    assert!(ascii.is_ascii(), "{ascii}");
    insta::assert_snapshot!("report_ascii", ascii);
    let dumb = env
        .cmd(NOW)
        .env("LANG", "en_GB.UTF-8")
        .env("TERM", "dumb")
        .args(["stats", "--days", "14"])
        .output()
        .unwrap();
    assert_eq!(output(&env, &dumb).0, ascii);
}

#[test]
fn an_empty_database_has_a_report_too() {
    let env = Env::new();
    let json = stats_json(&env, &[]);
    assert_eq!(json["streak"]["current"], 0);
    assert_eq!(json["calibration"]["count"], 0);
    assert_eq!(json["forecast"]["days"][0]["due"], 0);
    let out = stats(&env, &["--ascii"]);
    assert!(out.status.success());
}

/// Runs a command that must succeed and returns its stdout.
fn run_ok(env: &Env, args: &[&str]) -> String {
    let out = env.cmd(NOW).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    output(env, &out).0
}

/// The JSON export without the database-local card numbers.
fn portable(json: &str) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    for review in value["reviews"].as_array_mut().unwrap() {
        review.as_object_mut().unwrap().remove("card_id");
    }
    value
}

#[test]
fn json_export_imports_losslessly_and_only_once() {
    let first = Env::new();
    write_history(&first);
    let exported = run_ok(&first, &["export", "reviews", "--format", "json"]);
    let file = first.dir.path().join("reviews.json");
    std::fs::write(&file, &exported).unwrap();
    let path = file.to_str().unwrap();

    let second = Env::new();
    let said = run_ok(&second, &["import", "reviews", path]);
    assert_eq!(
        said,
        "[TMP]/reviews.json: 9 reviews added, 0 already in the database; 3 cards created\n"
            .replace("[TMP]", first.dir.path().to_str().unwrap())
    );
    let again = run_ok(&second, &["import", "reviews", path]);
    assert!(
        again.contains(": 0 reviews added, 9 already in the database; 0 cards created"),
        "{again}"
    );
    let back = run_ok(&second, &["export", "reviews", "--format", "json"]);
    assert_eq!(portable(&back), portable(&exported));
    assert_eq!(portable(&back)["reviews"].as_array().unwrap().len(), 9);

    // The imported log gives the same statistics (the state cache was rebuilt).
    let a = stats_json(&first, &[]);
    let b = stats_json(&second, &[]);
    for key in [
        "true_retention",
        "calibration",
        "streak",
        "daily",
        "forecast",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(b["cards"]["review"], 2);
}

#[test]
fn csv_export_has_the_shared_format_and_round_trips() {
    let first = Env::new();
    write_history(&first);
    let csv = run_ok(&first, &["export", "reviews"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("card_id,review_time,rating"));
    // hq is the first card of the first deck synced: card 1; its Easy on 01-20 09:00+01.
    assert_eq!(lines.next(), Some("1,1768896000000,4"));
    assert_eq!(csv.lines().count(), 10);

    let file = first.dir.path().join("reviews.csv");
    std::fs::write(&file, &csv).unwrap();
    let path = file.to_str().unwrap();
    // Into the same database: every review is already there.
    let same = run_ok(&first, &["import", "reviews", path]);
    assert!(same.contains(": 0 reviews added, 9 already"), "{same}");
    // Into a new one: cards keep their numbers, in the deck `imported`.
    let second = Env::new();
    let said = run_ok(&second, &["import", "reviews", path]);
    assert!(
        said.contains(": 9 reviews added, 0 already in the database; 3 cards created"),
        "{said}"
    );
    assert_eq!(run_ok(&second, &["export", "reviews"]), csv);
    let json = stats_json(&second, &["--deck", "imported"]);
    assert_eq!(json["reviews_total"], 9);
}

#[test]
fn bad_review_files_list_every_problem_with_its_line() {
    let env = Env::new();
    let file = env.dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "card_id,review_time,rating\n1,1768896000000,3\n1,yesterday,3\n2,1768896000000,0\n",
    )
    .unwrap();
    let out = env
        .cmd(NOW)
        .args(["import", "reviews", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "[TMP]/bad.csv:3:1: review_time `yesterday` is not a time in milliseconds since 1970\n\
         [TMP]/bad.csv:4:1: rating `0` is not 1, 2, 3 or 4\n\
         factdrill: error: [TMP]/bad.csv has 2 problems\n"
    );
    let json = stats_json(&env, &[]);
    assert_eq!(json["reviews_total"], 0, "nothing imported from a bad file");
}

#[test]
fn backup_is_a_working_copy() {
    let env = Env::new();
    write_history(&env);
    let copy = env.dir.path().join("copy.db");
    let said = run_ok(&env, &["backup", copy.to_str().unwrap()]);
    assert_eq!(said, "Backed up to [TMP]/copy.db\n");
    let store = Store::open(&copy).unwrap();
    assert_eq!(store.review_count().unwrap(), 9);
    // Without a path: next to the database, named with the (pinned) local time.
    let said = run_ok(&env, &["backup"]);
    assert_eq!(
        said,
        "Backed up to [TMP]/progress-backup-20260301-090000.db\n"
    );
    let store = Store::open(&env.dir.path().join("progress-backup-20260301-090000.db")).unwrap();
    assert_eq!(store.review_count().unwrap(), 9);
    // An existing file is never overwritten.
    let out = env
        .cmd(NOW)
        .args(["backup", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// `stats` keeps a digest of the log and folds in only what changed since its last run
/// (`docs/statistics.md`). After a CSV import that puts reviews in the middle of a card's
/// log and gives a new card its first one, the report from the kept digest equals the one
/// from a copy of the database whose digest is built from the whole log at once.
#[test]
fn the_kept_digest_equals_one_built_from_scratch_after_a_csv_import() {
    let env = Env::new();
    write_history(&env);
    let fresh = env.dir.path().join("fresh.db");
    std::fs::copy(env.db(), &fresh).unwrap();
    let before = stats_json(&env, &[]);

    let store = Store::open(&env.db()).unwrap();
    let handle = |card: &str| {
        store
            .cards(&factdrill::deck::Id::parse("small").unwrap())
            .unwrap()
            .into_iter()
            .find(|c| c.key == card)
            .unwrap()
            .handle
    };
    let at = |s: &str| s.parse::<Timestamp>().unwrap().as_millisecond();
    let csv = format!(
        "card_id,review_time,rating\n{},{},1\n{},{},3\n",
        handle("hq"),
        at("2026-02-10T09:00:00+01:00"),
        handle("first-head"),
        at("2026-02-27T09:00:00+01:00"),
    );
    drop(store);
    let file = env.dir.path().join("more.csv");
    std::fs::write(&file, csv).unwrap();
    let import = |db: &std::path::Path| {
        let out = env
            .cmd(NOW)
            .env("FACTDRILL_DB", db)
            .args(["import", "reviews"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    import(&env.db());
    let kept = stats_json(&env, &[]);
    import(&fresh);
    let out = env
        .cmd(NOW)
        .env("FACTDRILL_DB", &fresh)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rebuilt: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(kept, rebuilt);
    assert_eq!(kept["reviews_total"], 11);
    assert_ne!(kept["calibration"], before["calibration"]);
    assert_eq!(
        kept["hardest"]["most_lapses"][0]["lapses"], 2,
        "hq lapsed again"
    );
}
