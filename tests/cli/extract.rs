//! `factdrill extract`: article text -> facts file, and scoring against curated facts.

use crate::{Env, output};

const NOW: &str = "2026-01-10T09:00:00+00:00";

#[test]
fn extract_writes_a_facts_file_that_loads_back() {
    let env = Env::new();
    let facts = env.dir.path().join("oms.facts.yaml");
    let out = env
        .cmd(NOW)
        .args(["extract", "decks/oms.txt", "-o"])
        .arg(&facts)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&facts).unwrap();
    assert!(text.starts_with("# factdrill facts file"), "{text}");
    // What it wrote is a valid facts file: scoring the article against it is perfect.
    let out = env
        .cmd(NOW)
        .args(["extract", "decks/oms.txt", "--score"])
        .arg(&facts)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    let overall: Vec<&str> = stdout
        .lines()
        .find(|l| l.starts_with("overall"))
        .expect("an overall line")
        .split_whitespace()
        .collect();
    assert_eq!(overall[4..], ["1.000", "1.000", "1.000"], "{stdout}");
}

#[test]
fn extract_scores_against_the_curated_oms_facts() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args([
            "extract",
            "decks/oms.txt",
            "--score",
            "decks/oms.facts.yaml",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (stdout, _) = output(&env, &out);
    insta::assert_snapshot!("oms_score", stdout);
}

#[test]
fn extract_json_is_json() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["extract", "decks/oms.txt", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["topic"], "OMS");
    assert!(json["facts"].as_array().unwrap().len() > 30);
}

#[test]
fn bad_articles_are_clear_errors() {
    let env = Env::new();
    let binary = env.dir.path().join("binary.txt");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let out = env.cmd(NOW).arg("extract").arg(&binary).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert_eq!(
        stderr,
        "factdrill: error: [TMP]/binary.txt:1:1: the file is not valid UTF-8 text\n"
    );
    let out = env
        .cmd(NOW)
        .args(["extract", "no/such/article.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let bad_gold = env.dir.path().join("gold.yaml");
    std::fs::write(
        &bad_gold,
        "topic: X\nfacts:\n  - kind: hed\n    person: A\n",
    )
    .unwrap();
    let out = env
        .cmd(NOW)
        .args(["extract", "decks/oms.txt", "--score"])
        .arg(&bad_gold)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_, stderr) = output(&env, &out);
    assert!(stderr.starts_with("[TMP]/gold.yaml:3:"), "{stderr}");
}
