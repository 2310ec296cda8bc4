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

/// The times the extractor reads for the OMS article's heads, against the curated file: what
/// it gets right, and the one it misses ("Over the same period" points back to the sentence
/// before, which no rule follows).
#[test]
fn extract_times_the_oms_heads() {
    let env = Env::new();
    let out = env
        .cmd(NOW)
        .args(["extract", "decks/oms.txt", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let times: Vec<String> = json["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "head" && f["role"] == "head")
        .map(|f| {
            let show = |v: &serde_json::Value| v.as_str().unwrap_or("").to_owned();
            format!(
                "{} {}-{} {}",
                f["person"].as_str().unwrap(),
                show(&f["from"]),
                show(&f["to"]),
                show(&f["during"])
            )
        })
        .filter(|t| !t.ends_with(" - "))
        .collect();
    assert_eq!(
        times,
        [
            // "In 1923, the OMS received direction from the "Illegal Commission," headed by ..."
            "Mikhail Trilisser - 1923",
            // Piatnitsky's end is his successor's start: "succeeded Piatnitsky ... in 1937".
            "Osip Piatnitsky -1937 ",
            "Mikhail Trilisser 1937- ",
            "Berthe Zimmermann - 1935",
            // "Next was Hans Kippenberger ... in the mid-1920s"
            "Hans Kippenberger - 1923/1926",
            // "the last OMS head in Germany before the Nazi electoral victory in 1933"
            "Leo Flieg -1933 ",
            "Mikhail Trilisser - 1920/1923",
            // "..., who arrived there in 1921 and stayed through most of the decade"
            "Alexander Borisovich Epstein 1921- ",
            "Solomon Vladimirovich Mikhelson-Manuilov 1933-1938 ",
            // Missed: Earl Browder, curated `during: 1933/1938` ("Over the same period").
        ]
    );
}
