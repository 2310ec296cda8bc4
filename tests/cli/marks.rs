//! `factdrill card` on many cards at once: names from arguments, a file or standard input
//! (`--from`), every name resolved before anything changes, one transaction, one mark event
//! per card.

use crate::{Env, output};

const NOW: &str = "2026-01-10T09:00:00+01:00";

/// Two decks that share the card id `both`.
fn decks(env: &Env) -> (String, String) {
    let write = |id: &str, cards: &[&str]| {
        let mut text = format!("id: {id}\nname: Deck {id}\ncards:\n");
        for card in cards {
            text.push_str(&format!(
                "  - {{id: {card}, prompt: What is {card}?, answer: {card}}}\n"
            ));
        }
        let path = env.dir.path().join(format!("{id}.yaml"));
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    (
        write("x", &["a", "b", "c", "both"]),
        write("y", &["d", "both"]),
    )
}

/// A database that knows both decks (no card studied).
fn known(env: &Env) {
    let (x, y) = decks(env);
    let out = env
        .cmd(NOW)
        .args(["study", &x, &y, "--new", "0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn run(env: &Env, args: &[&str], stdin: &str) -> (bool, String, String) {
    let out = env.cmd(NOW).args(args).write_stdin(stdin).output().unwrap();
    let (stdout, stderr) = output(env, &out);
    (out.status.success(), stdout, stderr)
}

/// Mark events not yet written to a sync folder.
fn pending_marks(env: &Env) -> u64 {
    let dir = env.dir.path().join("sync");
    std::fs::create_dir_all(&dir).unwrap();
    let (ok, stdout, stderr) = run(
        env,
        &["sync", dir.to_str().unwrap(), "--status", "--json"],
        "",
    );
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    json["pending"]["marks"].as_u64().unwrap()
}

#[test]
fn names_come_from_arguments_a_file_and_stdin_each_card_once() {
    let env = Env::new();
    known(&env);
    let file = env.dir.path().join("names.txt");
    std::fs::write(&file, "# cards to rest\nx/b\n\n  c  \nx/a\n").unwrap();
    let (ok, stdout, stderr) = run(
        &env,
        &["card", "suspend", "x/a", "--from", file.to_str().unwrap()],
        "",
    );
    assert!(ok, "{stderr}");
    assert_eq!(stdout, "x/a: suspended\nx/b: suspended\nx/c: suspended\n");
    assert_eq!(pending_marks(&env), 3, "one mark event per card");

    let (ok, stdout, stderr) = run(&env, &["card", "flag", "--from", "-"], "y/d\ny/both\n");
    assert!(ok, "{stderr}");
    assert_eq!(stdout, "y/d: flagged red\ny/both: flagged red\n");
    assert_eq!(pending_marks(&env), 5);
    let (_, show, _) = run(
        &env,
        &["card", "show", "--from", "-", "x/both"],
        "x/a\ny/d\n",
    );
    assert_eq!(
        show,
        "x/both  What is both?\n  no marks\n\
         x/a  What is a?\n  suspended since 2026-01-10 09:00\n\
         y/d  What is d?\n  flagged red\n"
    );
}

#[test]
fn every_bad_name_is_reported_with_its_line_and_nothing_changes() {
    let env = Env::new();
    known(&env);
    let file = env.dir.path().join("names.txt");
    std::fs::write(&file, "x/a\nx/nope\nboth\nz/b\n").unwrap();
    let (ok, stdout, stderr) = run(
        &env,
        &[
            "card",
            "suspend",
            "x/b",
            "gone",
            "--from",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert!(!ok);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "no card `gone` in this database\n\
         [TMP]/names.txt:2: no card `nope` in this database (deck `x`)\n\
         [TMP]/names.txt:3: card `both` is in several decks (x, y); name it DECK/CARD\n\
         [TMP]/names.txt:4: no card `b` in this database (deck `z`)\n\
         factdrill: error: 4 card names of 6 could not be used; no card was changed\n"
    );
    assert_eq!(pending_marks(&env), 0, "nothing changed");
    let (_, show, _) = run(&env, &["card", "show", "x/a", "x/b"], "");
    assert_eq!(show.matches("no marks").count(), 2, "{show}");

    // A missing file is an error before anything is looked up.
    let (ok, _, stderr) = run(&env, &["card", "suspend", "--from", "missing.txt"], "");
    assert!(!ok);
    assert!(stderr.contains("missing.txt"), "{stderr}");
    // No names at all is a usage error.
    let out = env.cmd(NOW).args(["card", "suspend"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
