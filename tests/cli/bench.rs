//! The benchmarks' smoke test (no timings): the synthetic collection generator at a small
//! size is reproducible and makes a collection every benchmarked command runs on
//! (docs/BENCHMARKS.md, "Commands at scale"; scripts/bench-commands.sh runs them at size).

#[path = "../../benches/support/synth.rs"]
mod synth;

use crate::Env;

const NOW: &str = "2026-11-25T09:00:00Z";

fn small(dir: std::path::PathBuf) -> synth::Options {
    let mut options = synth::Options::new(dir);
    options.cards = 300;
    options.reviews = 3_000;
    options.decks = 2;
    options.seed = 3;
    options
}

#[test]
fn synthetic_collection_is_reproducible_and_every_benchmarked_command_runs_on_it() {
    let env = Env::new();
    let first = synth::generate(&small(env.dir.path().join("a"))).unwrap();
    let second = synth::generate(&small(env.dir.path().join("b"))).unwrap();
    assert_eq!(first.cards, 300);
    assert_eq!(first.decks.len(), 2);
    // The learner is calibrated to the asked number of reviews, not cut to it.
    assert!(first.reviews.abs_diff(3_000) < 600, "{}", first.reviews);
    assert!(first.ratings.iter().all(|&n| n > 0), "{:?}", first.ratings);
    assert_eq!(first.ratings.iter().sum::<usize>(), first.reviews);
    for (a, b) in first.decks.iter().zip(&second.decks) {
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }
    let export = |db: &std::path::Path| {
        let out = env
            .cmd(NOW)
            .env("FACTDRILL_DB", db)
            .args(["export", "reviews", "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let log = export(&first.db);
    assert_eq!(log, export(&second.db), "same seed, same review log");
    assert_eq!(
        String::from_utf8_lossy(&log).lines().count(),
        first.reviews + 1
    );

    let run = |args: &[&str]| {
        let out = env
            .cmd(NOW)
            .env("FACTDRILL_DB", &first.db)
            .args(args)
            .write_stdin("")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let stats: serde_json::Value = serde_json::from_str(&run(&["stats", "--json"])).unwrap();
    assert_eq!(stats["reviews_total"], first.reviews);
    assert_eq!(stats["cards"]["active"], 300);
    assert_eq!(stats["cards"]["new"], 300 - first.studied);
    let due: serde_json::Value = serde_json::from_str(&run(&["due", "--json"])).unwrap();
    assert_eq!(due["decks"].as_array().unwrap().len(), 2);
    let deck = first.decks[0].to_string_lossy().into_owned();
    assert!(run(&["check", &deck]).contains("150 cards"));
    // No deck named: the decks the database knows, from where the generator wrote them.
    let study = run(&["study"]);
    assert!(
        study.contains("[1/") && study.contains("Who headed bureau"),
        "{study}"
    );
}
