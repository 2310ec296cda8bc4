//! `factdrill sync`: two databases on one machine (two FACTDRILL_DB paths) study the same
//! deck and merge through a temporary folder.

use std::path::{Path, PathBuf};

use crate::{Env, output};

const DECK: &str = "tests/fixtures/decks/good-small.yaml";
const CARDS: [&str; 3] = ["hq", "first-head", "founded"];
const DAY1: &str = "2026-01-10T09:00:00+01:00";
const DAY1_LATER: &str = "2026-01-10T09:30:00+01:00";
const DAY2: &str = "2026-01-11T09:00:00+01:00";

fn study(env: &Env, now: &str, new: &str, answers: &str) {
    let out = env
        .cmd(now)
        .args(["study", DECK, "--new", new])
        .write_stdin(answers)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// `factdrill sync DIR` that must succeed; its stdout and stderr.
fn sync(env: &Env, dir: &Path, now: &str) -> (String, String) {
    let out = env
        .cmd(now)
        .args(["sync", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    output(env, &out)
}

fn run_ok(env: &Env, args: &[&str]) -> String {
    let out = env.cmd(DAY2).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The review log as the JSON export has it, without local row ids, in a fixed order.
fn log(env: &Env) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(env, &["export", "reviews", "--format", "json"])).unwrap();
    let mut rows: Vec<String> = json["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("card_id");
            r.to_string()
        })
        .collect();
    rows.sort();
    rows
}

/// Each card's schedule (history, memory state, next intervals), what is due, and stats.
fn states(env: &Env) -> Vec<String> {
    let mut all: Vec<String> = CARDS
        .iter()
        .map(|card| run_ok(env, &["schedule", "--card", card, "--json"]))
        .collect();
    all.push(run_ok(env, &["due", "--json"]));
    all.push(run_ok(env, &["stats", "--json"]));
    all
}

#[track_caller]
fn same_states(a: &Env, b: &Env) {
    let (a, b) = (states(a), states(b));
    let what = CARDS.iter().copied().chain(["due", "stats"]);
    for ((a, b), what) in a.iter().zip(&b).zip(what) {
        assert_eq!(a, b, "{what} differs");
    }
}

fn folder_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

fn reviews_total(env: &Env) -> u64 {
    let json: serde_json::Value = serde_json::from_str(&run_ok(env, &["stats", "--json"])).unwrap();
    json["reviews_total"].as_u64().unwrap()
}

/// Two devices study different and overlapping cards, then sync, `a` first or `b` first.
fn converge(a_first: bool, b_time: &str) {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    // a: hq right twice (graduates), first-head wrong. b: hq wrong, first-head right, and
    // founded, which a never saw.
    study(&a, DAY1, "2", "Berlin\n\nHenk Sneevliet\n\nBerlin\n\n");
    study(&b, b_time, "3", "1921\n\nOsip Piatnitsky\n\n1921\n\n");
    let (before_a, before_b) = (log(&a), log(&b));
    assert!(!before_a.is_empty() && !before_b.is_empty());
    assert_ne!(states(&a), states(&b));

    let (first, second) = if a_first { (&a, &b) } else { (&b, &a) };
    let (said, _) = sync(first, dir, DAY2);
    assert!(said.contains("wrote "), "{said}");
    let (said, _) = sync(second, dir, DAY2);
    assert!(said.contains(" reviews added"), "{said}");
    let (said, _) = sync(first, dir, DAY2);
    assert!(said.contains(" reviews added"), "{said}");

    let merged = log(&a);
    assert_eq!(merged, log(&b), "identical review logs");
    assert_eq!(
        merged.len(),
        before_a.len() + before_b.len(),
        "nothing lost or doubled"
    );
    same_states(&a, &b);

    // Again: nothing changes, nothing is written.
    let files = folder_bytes(dir);
    for env in [&a, &b] {
        let states_before = states(env);
        let (said, stderr) = sync(env, dir, DAY2);
        assert!(said.ends_with("  nothing new to write\n"), "{said}");
        assert!(!said.contains("added"), "{said}");
        assert_eq!(stderr, "");
        assert_eq!(log(env), merged);
        assert_eq!(states(env), states_before);
    }
    assert_eq!(folder_bytes(dir), files, "the second sync writes nothing");

    // Studying on after the merge, from the merged states, and syncing again converges again.
    let due: serde_json::Value = serde_json::from_str(&run_ok(&b, &["due", "--json"])).unwrap();
    assert!(due["due_now"].as_u64().unwrap() > 0, "{due}");
    study(&b, DAY2, "0", "Berlin\n\nOsip Piatnitsky\n\n1921\n\n");
    sync(&b, dir, DAY2);
    sync(&a, dir, DAY2);
    assert_eq!(log(&a), log(&b));
    same_states(&a, &b);
}

#[test]
fn two_devices_end_with_the_same_log_and_states_a_first() {
    converge(true, DAY1_LATER);
}

#[test]
fn two_devices_end_with_the_same_log_and_states_b_first_on_the_same_pinned_clock() {
    // Both answer at the very same millisecond: ties replay in one order on both devices.
    converge(false, DAY1);
}

/// The single device file in `dir`.
fn device_file(dir: &Path) -> PathBuf {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn a_half_copied_line_waits_and_arrives_once() {
    let a = Env::new();
    let b = Env::new();
    let written = tempfile::tempdir().unwrap();
    study(&a, DAY1, "3", "Berlin\n\nOsip Piatnitsky\n\n1921\n\n");
    sync(&a, written.path(), DAY1);
    let full = std::fs::read(device_file(written.path())).unwrap();
    let lines = full
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(lines, 4, "a header and three reviews");

    // b's copy of the folder holds the file cut in the middle of its last line.
    let copy = b.dir.path().join("sync");
    std::fs::create_dir(&copy).unwrap();
    let target = copy.join(device_file(written.path()).file_name().unwrap());
    let last_line = full[..full.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    let cut = last_line + (full.len() - last_line) / 2;
    std::fs::write(&target, &full[..cut]).unwrap();
    let (said, stderr) = sync(&b, &copy, DAY1);
    assert_eq!(stderr, "");
    assert!(
        said.contains(": 2 reviews added, its last line is incomplete"),
        "{said}"
    );
    assert_eq!(reviews_total(&b), 2);

    // The copy completes; the third review arrives, once.
    std::fs::write(&target, &full).unwrap();
    let (said, _) = sync(&b, &copy, DAY1);
    assert!(said.contains(": 1 review added\n"), "{said}");
    sync(&b, &copy, DAY1);
    assert_eq!(reviews_total(&b), 3);
    assert_eq!(log(&a), log(&b));
}

#[test]
fn a_file_from_a_newer_format_is_a_clear_error_and_the_rest_still_syncs() {
    let a = Env::new();
    let b = Env::new();
    let dir = b.dir.path().join("sync");
    std::fs::create_dir(&dir).unwrap();
    study(&a, DAY1, "1", "Berlin\n\n");
    sync(&a, &dir, DAY1);
    std::fs::write(
        dir.join("future.jsonl"),
        "{\"format\":\"factdrill-sync\",\"version\":4,\"device\":\"future\"}\n{\"type\":\"review\"}\n",
    )
    .unwrap();
    // A version-1 file whose third line is from a version this one does not know: not even line 2 is applied.
    let good = std::fs::read_to_string(device_file_named(&dir, &a)).unwrap();
    let review = good.lines().nth(1).unwrap();
    let mut newer_line: serde_json::Value = serde_json::from_str(review).unwrap();
    newer_line["v"] = serde_json::json!(4);
    std::fs::write(
        dir.join("mixed.jsonl"),
        format!(
            "{{\"format\":\"factdrill-sync\",\"version\":1,\"device\":\"mixed\"}}\n{}\n{newer_line}\n",
            review.replace("019", "018")
        ),
    )
    .unwrap();
    let out = b
        .cmd(DAY1)
        .args(["sync", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let (stdout, stderr) = output(&b, &out);
    assert_eq!(
        stderr,
        "[TMP]/sync/future.jsonl:1: written by a newer factdrill (sync format version 4; this one reads up to 3); upgrade factdrill on this machine; nothing new in this file was applied\n\
         [TMP]/sync/mixed.jsonl:3: written by a newer factdrill (sync format version 4; this one reads up to 3); upgrade factdrill on this machine; nothing new in this file was applied\n\
         factdrill: error: sync: 2 files in the sync folder could not be read; the rest was synced\n"
    );
    assert!(stdout.contains(": 1 review added"), "{stdout}");
    assert_eq!(reviews_total(&b), 1, "only a's review");

    // A line that is not an event, after the part already read: its file and line.
    std::fs::remove_file(dir.join("future.jsonl")).unwrap();
    std::fs::remove_file(dir.join("mixed.jsonl")).unwrap();
    let a_file = device_file_named(&dir, &a);
    let mut text = std::fs::read_to_string(&a_file).unwrap();
    text.push_str("{\"type\":\"review\",\"uid\":\"nope\"}\n");
    std::fs::write(&a_file, text).unwrap();
    let out = b
        .cmd(DAY1)
        .args(["sync", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&b, &out);
    let name = a_file.file_name().unwrap().to_str().unwrap();
    assert!(
        stderr.starts_with(&format!("[TMP]/sync/{name}:3: missing field `device`")),
        "{stderr}"
    );
}

/// `env`'s own file in `dir`, by its device id.
fn device_file_named(dir: &Path, env: &Env) -> PathBuf {
    let status = run_ok(env, &["sync", dir.to_str().unwrap(), "--status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&status).unwrap();
    dir.join(format!("{}.jsonl", json["device"]["id"].as_str().unwrap()))
}

#[test]
fn decks_known_only_from_another_device_wait_for_their_file() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    study(&a, DAY1, "2", "Berlin\n\nOsip Piatnitsky\n\n");
    sync(&a, folder.path(), DAY1);
    sync(&b, folder.path(), DAY1);
    assert_eq!(reviews_total(&b), 2);
    // b has no file for the deck: `due` shows nothing, `study` alone says why.
    let due: serde_json::Value = serde_json::from_str(&run_ok(&b, &["due", "--json"])).unwrap();
    assert_eq!(due["decks"], serde_json::json!([]));
    let out = b.cmd(DAY2).args(["study"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&b, &out);
    assert_eq!(
        stderr,
        "factdrill: deck `small` (Small test deck) has reviews but no deck file on this machine yet; study its file once by name to add it\n\
         factdrill: error: no decks to study: this database knows none yet; start with a deck file, e.g. `factdrill study decks/oms.yaml`\n"
    );
    // Naming the file once: the cards come with their history and states.
    study(&b, DAY2, "0", "");
    same_states(&a, &b);
}

#[test]
fn status_shows_each_device_file_and_what_is_pending() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap();
    study(&a, DAY1, "2", "Berlin\n\nOsip Piatnitsky\n\n");
    run_ok(&a, &["sync", dir, "--name", "laptop"]);
    study(&a, DAY1_LATER, "1", "1921\n\n");
    study(&b, DAY1, "1", "Berlin\n\n");
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&b, &["sync", dir, "--status", "--json"])).unwrap();
    assert_eq!(
        json["pending"],
        serde_json::json!({"reviews": 1, "deletes": 0, "marks": 0})
    );
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["events"], serde_json::Value::Null, "not read yet");

    sync(&b, folder.path(), DAY2);
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&a, &["sync", dir, "--status", "--json"])).unwrap();
    assert_eq!(json["device"]["name"], "laptop");
    assert_eq!(json["pending"]["reviews"], 1, "the review after the sync");
    let files = json["files"].as_array().unwrap();
    assert_eq!(files[0]["own"], true);
    assert_eq!(files[0]["events"], 2);
    assert_eq!(files[0]["device_name"], "laptop");
    assert_eq!(files[0]["last_event"], "2026-01-10T08:00:00Z");
    assert_eq!(files[0]["read_bytes"], files[0]["size"]);
    assert_eq!(files[1]["own"], false);
    assert_eq!(
        files[1]["events"],
        serde_json::Value::Null,
        "a has not read b's file"
    );

    let text = run_ok(&a, &["sync", dir, "--status"]);
    assert!(text.contains("This device  laptop ("), "{text}");
    assert!(
        text.contains("Not written  1 review, 0 deletions"),
        "{text}"
    );
    assert!(
        text.contains("(this device's file)\n  device       laptop ("),
        "{text}"
    );
    assert!(
        text.contains("  events       2, the last at 2026-01-10 09:00\n"),
        "{text}"
    );

    // Renamed after its file was made: the others learn the new name.
    run_ok(&a, &["sync", dir, "--name", "desk"]);
    sync(&b, folder.path(), DAY2);
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&b, &["sync", dir, "--status", "--json"])).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files[1]["device_name"], "desk", "{json}");
    assert_eq!(files[1]["events"], 3);
}

#[test]
fn a_lost_or_cut_own_file_is_written_again() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    study(&a, DAY1, "2", "Berlin\n\nOsip Piatnitsky\n\n");
    sync(&a, folder.path(), DAY1);
    // The folder loses a's file (deleted by hand, or a sync tool's mistake).
    std::fs::remove_file(device_file(folder.path())).unwrap();
    study(&a, DAY1_LATER, "1", "1921\n\n");
    let (said, stderr) = sync(&a, folder.path(), DAY1_LATER);
    assert!(
        stderr.contains("is not as this database left it"),
        "{stderr}"
    );
    assert!(said.contains("wrote 3 events"), "{said}");

    // A write cut short (a crash): half a line at the end of a's own file is cut off and
    // what it held is written again.
    let file = device_file(folder.path());
    let full = std::fs::read(&file).unwrap();
    let mut cut = full.clone();
    cut.extend_from_slice(b"{\"type\":\"review\",\"uid\":\"019");
    std::fs::write(&file, &cut).unwrap();
    study(&a, DAY2, "0", "Berlin\n\n");
    let (said, stderr) = sync(&a, folder.path(), DAY2);
    assert_eq!(stderr, "");
    assert!(said.contains("wrote 1 event"), "{said}");
    let now = std::fs::read(&file).unwrap();
    assert_eq!(
        now[..full.len()],
        full[..],
        "appended after the last complete line"
    );
    sync(&b, folder.path(), DAY2);
    assert_eq!(reviews_total(&b), 4);
    assert_eq!(log(&a), log(&b));
}

#[test]
fn a_copied_database_is_noticed_and_can_take_a_new_device_id() {
    let a = Env::new();
    let copy = Env::new();
    let folder = tempfile::tempdir().unwrap();
    study(&a, DAY1, "1", "Berlin\n\n");
    sync(&a, folder.path(), DAY1);
    std::fs::copy(a.db(), copy.db()).unwrap();
    // The copy studies and syncs as the same device, appending to a's file.
    study(&copy, DAY1_LATER, "1", "Osip Piatnitsky\n\n");
    sync(&copy, folder.path(), DAY1_LATER);
    let (_, stderr) = sync(&a, folder.path(), DAY2);
    assert!(
        stderr.contains("1 review recorded under this device's id ")
            && stderr.contains("run `factdrill sync DIR --new-device` on one of the two"),
        "{stderr}"
    );
    // Re-keyed, the copy writes its own file from now on; nothing is lost or doubled.
    let out = copy
        .cmd(DAY2)
        .args(["sync", folder.path().to_str().unwrap(), "--new-device"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (_, stderr) = output(&copy, &out);
    assert!(
        stderr.starts_with("factdrill: this database is now device "),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    study(&copy, DAY2, "1", "1921\n\n");
    sync(&copy, folder.path(), DAY2);
    sync(&a, folder.path(), DAY2);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 2);
    assert_eq!(reviews_total(&a), 3);
    assert_eq!(log(&a), log(&copy));
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let env = Env::new();
    let out = env
        .cmd(DAY1)
        .args(["sync", env.dir.path().join("nope").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: cannot use the sync folder [TMP]/nope: No such file or directory (os error 2)\n"
    );
}

#[test]
fn an_undone_review_is_undone_on_every_device() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    study(&a, DAY1, "3", "Berlin\n\nOsip Piatnitsky\n\n1921\n\n");
    sync(&a, folder.path(), DAY1);
    sync(&b, folder.path(), DAY1);
    study(&b, DAY1, "0", "");
    assert_eq!(reviews_total(&b), 3);
    // Undo on a, as the undo command does it: delete the last review row.
    {
        let conn = rusqlite::Connection::open(a.db()).unwrap();
        let deleted = conn
            .execute(
                "DELETE FROM review WHERE id = (SELECT max(id) FROM review)",
                [],
            )
            .unwrap();
        assert_eq!(deleted, 1);
        // (and its card's state goes back: here by having the next `study` replay the log)
        conn.execute("DELETE FROM meta WHERE key LIKE 'state_fingerprint/%'", [])
            .unwrap();
    }
    study(&a, DAY1, "0", "");
    let (said, _) = sync(&a, folder.path(), DAY2);
    assert!(said.contains("wrote 1 event"), "{said}");
    let (said, _) = sync(&b, folder.path(), DAY2);
    assert!(said.contains(": 1 review undone"), "{said}");
    assert_eq!(reviews_total(&b), 2);
    assert_eq!(log(&a), log(&b));
    same_states(&a, &b);
    // A folder replaced by an old copy (the review is back in a's file, the deletion gone):
    // b re-reads it and the review still stays deleted.
    let file = device_file_named(folder.path(), &a);
    let text = std::fs::read_to_string(&file).unwrap();
    let old: String = text.split_inclusive('\n').take(4).collect();
    std::fs::write(&file, old).unwrap();
    let (said, _) = sync(&b, folder.path(), DAY2);
    assert!(!said.contains("added"), "{said}");
    assert_eq!(reviews_total(&b), 2);
}

/// This database's device id, from `sync --status --json`.
fn device_id(env: &Env, dir: &Path) -> String {
    let status = run_ok(env, &["sync", dir.to_str().unwrap(), "--status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&status).unwrap();
    json["device"]["id"].as_str().unwrap().to_owned()
}

#[test]
fn what_sync_and_status_say() {
    let a = Env::new();
    let b = Env::new();
    let dir = b.dir.path().join("sync");
    std::fs::create_dir(&dir).unwrap();
    let path = dir.to_str().unwrap();
    let (id_a, id_b) = (device_id(&a, &dir), device_id(&b, &dir));
    let redact = |text: String| text.replace(&id_a, "[A]").replace(&id_b, "[B]");
    study(&a, DAY1, "2", "Berlin\n\nOsip Piatnitsky\n\n");
    run_ok(&a, &["sync", path, "--name", "laptop"]);
    study(&b, DAY1_LATER, "1", "Berlin\n\n");
    let (said, stderr) = sync(&b, &dir, DAY2);
    assert_eq!(stderr, "");
    insta::assert_snapshot!("sync_b", redact(said));
    let out = b
        .cmd(DAY2)
        .args(["sync", path, "--status"])
        .output()
        .unwrap();
    let (status, _) = output(&b, &out);
    insta::assert_snapshot!("sync_status_b", redact(status));
}

#[test]
fn a_review_imported_from_a_json_export_and_synced_counts_once() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    study(&a, DAY1, "2", "Berlin\n\nOsip Piatnitsky\n\n");
    let export = a.dir.path().join("reviews.json");
    run_ok(
        &a,
        &[
            "export",
            "reviews",
            "--format",
            "json",
            "-o",
            export.to_str().unwrap(),
        ],
    );
    run_ok(&b, &["import", "reviews", export.to_str().unwrap()]);
    assert_eq!(reviews_total(&b), 2);
    sync(&a, folder.path(), DAY2);
    let (said, _) = sync(&b, folder.path(), DAY2);
    assert!(!said.contains("added"), "{said}");
    assert!(said.ends_with("  nothing new to write\n"), "{said}");
    assert_eq!(reviews_total(&b), 2, "the imported reviews kept their ids");
    assert_eq!(log(&a), log(&b));
}

#[test]
fn an_answer_taken_back_in_a_session_travels_as_a_deletion() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    // hq answered, then `:u` at the next question takes it back; hq is asked again.
    study(&a, DAY1, "2", "Berlin\n\n:u\nBerlin\n4\n");
    let total = reviews_total(&a);
    let (said, _) = sync(&a, folder.path(), DAY1);
    assert!(
        said.contains(&format!("wrote {} events", total + 1)),
        "{said}"
    );
    let text = std::fs::read_to_string(device_file_named(folder.path(), &a)).unwrap();
    assert_eq!(text.matches("\"type\":\"delete\"").count(), 1, "{text}");
    sync(&b, folder.path(), DAY1);
    assert_eq!(reviews_total(&b), total);
    assert_eq!(log(&a), log(&b));
}

/// `factdrill ARGS` at `now` that must succeed; its stdout.
fn run_at(env: &Env, now: &str, args: &[&str]) -> String {
    let out = env.cmd(now).args(args).output().unwrap();
    let (stdout, stderr) = output(env, &out);
    assert!(out.status.success(), "{args:?}\n{stdout}\n{stderr}");
    stdout
}

const WEEKS_LATER: &str = "2026-01-31T09:00:00+01:00";

fn show(env: &Env, card: &str) -> String {
    run_at(env, DAY2, &["card", "show", card])
}

#[test]
fn a_suspension_and_a_flag_travel_and_an_unsuspension_travels_back() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    study(&a, DAY1, "1", "Berlin\n\n");
    study(&b, DAY1, "1", "Berlin\n\n");
    run_at(&a, DAY1_LATER, &["card", "suspend", "small/hq"]);
    run_at(
        &a,
        DAY1_LATER,
        &[
            "card", "flag", "--colour", "red", "--note", "ask why", "small/hq",
        ],
    );
    let status: serde_json::Value = serde_json::from_str(&run_at(
        &a,
        DAY1_LATER,
        &["sync", dir.to_str().unwrap(), "--status", "--json"],
    ))
    .unwrap();
    assert_eq!(status["pending"]["marks"], 2);
    sync(&a, dir, DAY1_LATER);
    let (said, _) = sync(&b, dir, DAY1_LATER);
    assert!(
        said.contains(": 1 review added, 2 mark changes added\n"),
        "{said}"
    );
    sync(&a, dir, DAY1_LATER);
    let suspended = "small/hq  Where was the OMS international headquarters?\n  \
                     suspended since 2026-01-10 09:30\n  flagged red: ask why\n";
    assert_eq!(show(&b, "small/hq"), suspended);
    assert_eq!(show(&a, "small/hq"), suspended);
    same_states(&a, &b);
    // Weeks later hq would be due: suspended, it is not, on either device.
    let due_now = |env: &Env| -> serde_json::Value {
        let due: serde_json::Value =
            serde_json::from_str(&run_at(env, WEEKS_LATER, &["due", "--json"])).unwrap();
        due["due_now"].clone()
    };
    assert_eq!((due_now(&a), due_now(&b)), (0.into(), 0.into()));

    // b lifts the suspension at the same pinned minute a suspended it: made after b saw a's
    // suspension, it wins on both devices.
    run_at(&b, DAY1_LATER, &["card", "unsuspend", "small/hq"]);
    sync(&b, dir, DAY1_LATER);
    let (said, _) = sync(&a, dir, DAY1_LATER);
    assert!(said.contains(": 1 mark change added\n"), "{said}");
    let unsuspended =
        "small/hq  Where was the OMS international headquarters?\n  flagged red: ask why\n";
    assert_eq!(show(&a, "small/hq"), unsuspended);
    assert_eq!(show(&b, "small/hq"), unsuspended);
    same_states(&a, &b);
    assert_eq!((due_now(&a), due_now(&b)), (1.into(), 1.into()));

    // Nothing new: a second round writes nothing and changes no file.
    let before = folder_bytes(dir);
    for env in [&a, &b] {
        let (said, _) = sync(env, dir, DAY2);
        assert!(said.ends_with("  nothing new to write\n"), "{said}");
    }
    assert_eq!(folder_bytes(dir), before);
    let status: serde_json::Value = serde_json::from_str(&run_ok(
        &b,
        &["sync", dir.to_str().unwrap(), "--status", "--json"],
    ))
    .unwrap();
    assert_eq!(
        status["pending"],
        serde_json::json!({"reviews": 0, "deletes": 0, "marks": 0})
    );
}

#[test]
fn a_burial_travels() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    study(&a, DAY1, "0", "");
    study(&b, DAY1, "0", "");
    let out = run_at(&a, DAY1, &["card", "bury", "small/founded"]);
    assert_eq!(out, "small/founded: buried until 2026-01-11 04:00\n");
    sync(&a, dir, DAY1);
    sync(&b, dir, DAY1);
    let buried = run_at(&b, DAY1, &["card", "show", "small/founded"]);
    assert_eq!(
        buried,
        "small/founded  In what year was the OMS founded?\n  buried until 2026-01-11 04:00\n"
    );
    let due = |env: &Env| -> serde_json::Value {
        serde_json::from_str(&run_at(env, DAY1, &["due", "--json"])).unwrap()
    };
    assert_eq!(due(&b)["decks"][0]["new"], 2, "the buried new card waits");
    assert_eq!(due(&a), due(&b));
}

/// A deck whose cards become leeches at their first lapse.
const LEECH_DECK: &str = "id: t\nname: Test deck\nleech_threshold: 1\ncards:\n  - {id: a, prompt: \"Capital of France?\", answer: Paris}\n";
const LATER: &str = "2026-02-20T09:00:00+01:00";

fn leech_deck(env: &Env) -> String {
    let path = env.dir.path().join("t.yaml");
    std::fs::write(&path, LEECH_DECK).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_leech_on_one_device_is_suspended_on_the_other() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let deck = leech_deck(&a);
    let study_leech = |env: &Env, now: &str, input: &str| {
        let out = env
            .cmd(now)
            .args(["study", &deck, "--new", "1"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    // Day 1: `a` graduates at once (Easy); weeks later it is forgotten: a leech.
    study_leech(&a, DAY1, "Paris\n4\n");
    let out = study_leech(&a, LATER, "Lyon\n\n");
    assert!(out.contains("Leech"), "{out}");
    sync(&a, dir, LATER);
    let deck_b = leech_deck(&b);
    let out = b
        .cmd(LATER)
        .args(["study", &deck_b, "--new", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    sync(&b, dir, LATER);
    let leech =
        "t/a  Capital of France?\n  suspended since 2026-02-20 09:00\n  leech (failed too often)\n";
    assert_eq!(run_at(&b, LATER, &["card", "show", "t/a"]), leech);
    let due: serde_json::Value =
        serde_json::from_str(&run_at(&b, LATER, &["due", "--json"])).unwrap();
    assert_eq!(due["due_now"], 0, "a suspended leech is never due: {due}");
    assert_eq!(
        due,
        serde_json::from_str::<serde_json::Value>(&run_at(&a, LATER, &["due", "--json"])).unwrap()
    );

    // b lets it back in; a hears of it. The tag stays: it records what happened.
    run_at(&b, LATER, &["card", "unsuspend", "t/a"]);
    sync(&b, dir, LATER);
    sync(&a, dir, LATER);
    let back = "t/a  Capital of France?\n  leech (failed too often)\n";
    assert_eq!(run_at(&a, LATER, &["card", "show", "t/a"]), back);
    assert_eq!(run_at(&b, LATER, &["card", "show", "t/a"]), back);
}

#[test]
fn a_suspension_in_a_session_travels() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    study(&a, DAY1, "1", ":s\n");
    study(&b, DAY1, "0", "");
    assert_eq!(
        show(&a, "small/hq"),
        "small/hq  Where was the OMS international headquarters?\n  suspended since 2026-01-10 09:00\n"
    );
    sync(&a, dir, DAY1);
    sync(&b, dir, DAY1);
    assert_eq!(show(&b, "small/hq"), show(&a, "small/hq"));
    let new = |env: &Env| -> serde_json::Value {
        let due: serde_json::Value =
            serde_json::from_str(&run_at(env, DAY1, &["due", "--json"])).unwrap();
        due["new"].clone()
    };
    assert_eq!(
        (new(&a), new(&b)),
        (2.into(), 2.into()),
        "hq is held back on both"
    );
}

#[test]
fn a_leech_taken_back_with_undo_is_no_leech_on_the_other_device() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let text =
        format!("{LEECH_DECK}  - {{id: b, prompt: \"Capital of Spain?\", answer: Madrid}}\n");
    let write = |env: &Env| {
        let path = env.dir.path().join("t.yaml");
        std::fs::write(&path, &text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let study_at = |env: &Env, now: &str, new: &str, input: &str| {
        let out = env
            .cmd(now)
            .args(["study", &write(env), "--new", new])
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    study_at(&a, DAY1, "1", "Paris\n4\n");
    // `b` (new) follows `a`: at its prompt, `:u` takes back the lapse that made `a` a leech.
    let out = study_at(&a, LATER, "1", "Lyon\n\n:u\nParis\n3\n");
    assert!(out.contains("Leech"), "{out}");
    study_at(&b, DAY1, "0", "");
    sync(&a, dir, LATER);
    let own = std::fs::read_to_string(device_file_named(dir, &a)).unwrap();
    assert!(
        own.contains("\"mark\":\"leech\""),
        "the leech event travels: {own}"
    );
    sync(&b, dir, LATER);
    let none = "t/a  Capital of France?\n  no marks\n";
    assert_eq!(run_at(&a, LATER, &["card", "show", "t/a"]), none);
    assert_eq!(run_at(&b, LATER, &["card", "show", "t/a"]), none);
}

#[test]
fn sync_keeps_every_column_of_every_review_both_ways() {
    let a = Env::new();
    let b = Env::new();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    // Each device: formats (recall, recognition), a confusion whose expected answer was
    // edited since, cram practice.
    crate::interop::varied_history(&a, DAY1);
    crate::interop::varied_history(&b, DAY1_LATER);
    let (own_a, own_b) = (
        crate::interop::review_columns(&a.db()),
        crate::interop::review_columns(&b.db()),
    );
    sync(&a, dir, DAY2);
    sync(&b, dir, DAY2);
    sync(&a, dir, DAY2);
    let merged = crate::interop::review_columns(&a.db());
    assert_eq!(merged.len(), own_a.len() + own_b.len());
    assert_eq!(merged, crate::interop::review_columns(&b.db()));
    for review in own_a.iter().chain(&own_b) {
        assert!(merged.contains(review), "{review:?} arrived whole");
    }
    // The lines that carry a format or a confusion say they need version 3.
    let text = std::fs::read_to_string(device_file_named(dir, &a)).unwrap();
    let reviews: Vec<&str> = text.lines().filter(|l| l.contains("\"review\"")).collect();
    assert_eq!(reviews.len(), own_a.len());
    assert!(
        reviews
            .iter()
            .all(|l| l.starts_with("{\"v\":3,\"type\":\"review\"")),
        "{text}"
    );
    assert!(
        text.contains("\"confused_expected\":\"Fritz Burde\""),
        "{text}"
    );
}
