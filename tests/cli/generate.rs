//! `factdrill generate` and `build`: facts (or an article) -> a deck that `check` accepts; the
//! shipped deck is exactly what the documented command makes; a learner's history survives
//! regeneration.

use crate::{Env, output, root};

const DAY1: &str = "2026-01-10T09:00:00+01:00";
const DAY2: &str = "2026-01-11T09:00:00+01:00";

fn run_ok(env: &Env, now: &str, args: &[&str]) -> String {
    let out = env.cmd(now).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    output(env, &out).0
}

#[test]
fn the_shipped_deck_is_what_the_documented_command_makes() {
    let env = Env::new();
    let shipped = std::fs::read_to_string(root().join("decks/oms.yaml")).unwrap();
    // As the README documents it: regenerate over itself ...
    let again = run_ok(
        &env,
        DAY1,
        &[
            "generate",
            "decks/oms.facts.yaml",
            "--merge",
            "decks/oms.yaml",
        ],
    );
    assert!(
        again == shipped,
        "decks/oms.yaml drifted from its facts; regenerate it"
    );
    // ... and how it was first made, from the hand-written deck, whose matching cards gave
    // their ids to the generated ones.
    let first = run_ok(
        &env,
        DAY1,
        &[
            "generate",
            "decks/oms.facts.yaml",
            "--merge",
            "tests/fixtures/decks/oms-hand.yaml",
            "--adopt",
        ],
    );
    assert!(
        first == shipped,
        "the first generation differs from decks/oms.yaml"
    );
    let deck = factdrill::deck::load_str(&shipped).unwrap();
    for id in [
        "oms-first-head",
        "oms-netherlands-head",
        "oms-founding-year",
    ] {
        let card = deck.card(id).unwrap_or_else(|| panic!("{id} was lost"));
        assert!(card.generated.is_some(), "{id} was adopted");
    }
    assert!(
        deck.card("oms-uk-agent")
            .is_some_and(|c| c.generated.is_none())
    );
}

#[test]
fn generate_and_build_write_decks_that_check() {
    let env = Env::new();
    for (command, input) in [
        ("generate", "decks/oms.facts.yaml"),
        ("build", "decks/oms.txt"),
        (
            "generate",
            "tests/fixtures/articles/royal-society.facts.yaml",
        ),
    ] {
        if !root().join(input).exists() {
            continue;
        }
        let deck = env.dir.path().join(format!("{command}.yaml"));
        let out = env
            .cmd(DAY1)
            .args([command, input, "-o"])
            .arg(&deck)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let (_, stderr) = output(&env, &out);
        assert!(stderr.contains(" cards ("), "{stderr}");
        let out = env.cmd(DAY1).arg("check").arg(&deck).output().unwrap();
        assert!(out.status.success(), "{command} {input}: {out:?}");
        let text = std::fs::read_to_string(&deck).unwrap();
        assert!(factdrill::deck::load_str(&text).is_ok());
    }
    let text = run_ok(
        &env,
        DAY1,
        &[
            "generate",
            "decks/oms.facts.yaml",
            "--id",
            "mine",
            "--name",
            "My OMS",
        ],
    );
    assert!(
        text.contains("\nid: mine\nname: My OMS\n"),
        "{}",
        &text[..400]
    );
    let (stdout, _) = output(
        &env,
        &env.cmd(DAY1)
            .args(["generate", "decks/oms.facts.yaml"])
            .output()
            .unwrap(),
    );
    assert!(
        stdout.contains("\nid: oms\nname: OMS\n"),
        "the topic names the deck"
    );
}

#[test]
fn history_survives_regeneration_with_new_wording() {
    let env = Env::new();
    let dir = env.dir.path();
    let facts = dir.join("oms.facts.yaml");
    let deck = dir.join("oms.yaml");
    let original = std::fs::read_to_string(root().join("decks/oms.facts.yaml")).unwrap();
    std::fs::write(&facts, &original).unwrap();
    let generate = |extra: &[&str]| {
        let out = env
            .cmd(DAY1)
            .arg("generate")
            .arg(&facts)
            .arg("-o")
            .arg(&deck)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    generate(&[]);
    let first = factdrill::deck::load(&deck).unwrap();
    let card = first.cards[0].clone();
    // Day 1: answer the first card (whatever it asks, its answer is right); as it comes,
    // not swapped for a multiple-choice sibling.
    let out = env
        .cmd(DAY1)
        .arg("study")
        .arg(&deck)
        .args(["--new", "1", "--fixed-format"])
        .write_stdin(format!("{}\n\n", card.answer))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    // The curator rewords the sentence the card quotes; the fact's identity is unchanged.
    let sentence = card
        .source
        .clone()
        .expect("generated cards quote their source");
    let reworded = sentence.replace("was", "has been described as");
    assert_ne!(sentence, reworded);
    let edited = original.replace(
        &format!("sentence: \"{}\"", sentence.replace('"', "\\\"")),
        &format!("sentence: \"{}\"", reworded.replace('"', "\\\"")),
    );
    assert_ne!(edited, original, "the sentence was found in the facts file");
    std::fs::write(&facts, edited).unwrap();
    let merge = deck.to_string_lossy().into_owned();
    generate(&["--merge", &merge]);
    let second = factdrill::deck::load(&deck).unwrap();
    let after = second
        .card(card.id.as_str())
        .expect("the card keeps its id");
    assert_eq!(
        after.source.as_deref(),
        Some(reworded.as_str()),
        "and its new wording"
    );

    // Day 2: the card comes back and its history is intact.
    let out = env
        .cmd(DAY2)
        .arg("study")
        .arg(&deck)
        .args(["--new", "0", "--fixed-format"])
        .write_stdin(format!("{}\n\n", card.answer))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = env
        .cmd(DAY2)
        .args(["schedule", "--json", "--card", card.id.as_str()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["reviews"].as_array().unwrap().len(), 2, "{json}");
}

#[test]
fn generate_help_and_usage_errors() {
    let env = Env::new();
    for args in [vec!["generate", "--help"], vec!["build", "--help"]] {
        let stdout = run_ok(&env, DAY1, &args);
        assert!(stdout.contains("Example"), "{stdout}");
        insta::assert_snapshot!(format!("help_{}", args.join("_").replace("--", "")), stdout);
    }
    let out = env
        .cmd(DAY1)
        .args(["generate", "decks/oms.facts.yaml", "--adopt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--adopt needs --merge");
    let out = env
        .cmd(DAY1)
        .args(["generate", "decks/oms.facts.yaml", "--id", "bad id"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd(DAY1)
        .args(["generate", "decks/oms.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "an article is not a facts file");
}

#[test]
fn build_merges_into_a_deck_keeping_what_people_wrote() {
    let env = Env::new();
    let deck = env.dir.path().join("oms.yaml");
    let build = |extra: &[&str]| {
        let out = env
            .cmd(DAY1)
            .args(["build", "decks/oms.txt", "-o"])
            .arg(&deck)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        output(&env, &out).1
    };
    // A hand-written deck: one card on something the article's facts do not hold, one asking
    // a question the generator asks too.
    let hand = "id: oms\nname: My OMS\ncards:\n\
        \x20 - id: my-note\n    prompt: Who wrote this deck?\n    answer: Me\n\
        \x20 - id: my-netherlands\n    prompt: Who led the Dutch branch of the OMS?\n    \
        answer: Henk Sneevliet\n    explanation: He later founded a party of his own.\n    \
        source: In the Netherlands, the head was Henk Sneevliet.\n";
    std::fs::write(&deck, hand).unwrap();
    let merge = deck.to_string_lossy().into_owned();

    let summary = build(&["--merge", &merge]);
    assert!(
        summary.contains("1 hand-written kept, 0 edited kept, 1 covered by hand-written cards"),
        "{summary}"
    );
    let merged = factdrill::deck::load(&deck).unwrap();
    assert_eq!(merged.name, "My OMS", "the deck's own header is kept");
    assert_eq!(&merged.cards[0].id.to_string(), "my-note");
    assert_eq!(merged.card("my-netherlands").unwrap().generated, None);
    assert!(
        !merged
            .cards
            .iter()
            .any(|c| c.prompt == "Who headed the OMS in the Netherlands?"),
        "the hand-written card asking the same question covers the generated one"
    );
    assert!(merged.cards.len() > 80);

    // A person edits a generated card: it is theirs from then on.
    let edited = merged
        .cards
        .iter()
        .find(|c| c.generated.is_some() && c.prompt.starts_with("Who"))
        .unwrap()
        .clone();
    let before = std::fs::read_to_string(&deck).unwrap();
    let text = before.replacen(
        &format!("prompt: {}", edited.prompt),
        "prompt: My own wording of this question?",
        1,
    );
    assert_ne!(text, before);
    std::fs::write(&deck, text).unwrap();
    let summary = build(&["--merge", &merge]);
    assert!(summary.contains("1 edited kept"), "{summary}");
    let again = factdrill::deck::load(&deck).unwrap();
    assert_eq!(
        again.card(edited.id.as_str()).unwrap().prompt,
        "My own wording of this question?"
    );
    for card in &merged.cards {
        assert!(again.card(card.id.as_str()).is_some(), "{} kept", card.id);
    }
    // Building again over the merged deck changes nothing.
    let before = std::fs::read_to_string(&deck).unwrap();
    build(&["--merge", &merge]);
    assert_eq!(std::fs::read_to_string(&deck).unwrap(), before);
    let out = env.cmd(DAY1).arg("check").arg(&deck).output().unwrap();
    assert!(out.status.success(), "{out:?}");

    // With --adopt, from the hand-written deck, the generated card takes the hand-written
    // card's id and its explanation.
    std::fs::write(&deck, hand).unwrap();
    let summary = build(&["--merge", &merge, "--adopt"]);
    assert!(summary.contains("1 adopted"), "{summary}");
    let adopted = factdrill::deck::load(&deck).unwrap();
    let card = adopted.card("my-netherlands").unwrap();
    assert_eq!(card.prompt, "Who headed the OMS in the Netherlands?");
    assert_eq!(
        card.explanation.as_deref(),
        Some("He later founded a party of his own.")
    );
    assert!(card.generated.is_some());
}

/// The case: a curator edits who headed the ABC from 1921 to 1926, keeping the fact's
/// id. The old question retires with its reviews; the new one starts as a new card.
#[test]
fn a_head_changed_in_the_facts_retires_the_old_card_with_its_history() {
    let env = Env::new();
    let dir = env.dir.path();
    let facts = dir.join("abc.facts.yaml");
    let deck = dir.join("abc.yaml");
    let text = "topic: ABC\nfacts:\n\
        - {kind: head, id: head-0000000001, person: Ann Berg, from: 1921, to: 1926}\n\
        - {kind: head, person: Bo Dahl, from: 1926, to: 1930}\n\
        - {kind: head, person: Cy Ek, region: Wales}\n";
    std::fs::write(&facts, text).unwrap();
    let generate = |now: &str, extra: &[&str]| {
        let out = env
            .cmd(now)
            .arg("generate")
            .arg(&facts)
            .arg("-o")
            .arg(&deck)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let study = |now: &str, new: &str, input: &str| {
        let out = env
            .cmd(now)
            .arg("study")
            .arg(&deck)
            .args(["--new", new, "--fixed-format"])
            .write_stdin(input.to_owned())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    let json = |now: &str, args: &[&str]| -> serde_json::Value {
        let out = env.cmd(now).args(args).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    generate(DAY1, &[]);
    let old = "head-0000000001.recall-person";
    let first = factdrill::deck::load(&deck).unwrap();
    assert_eq!(first.cards[0].id.as_str(), old);
    assert_eq!(
        first.cards[0].prompt,
        "Who headed the ABC from 1921 to 1926?"
    );
    study(DAY1, "1", "Ann Berg\n\n");

    // The curator corrects the head; the fact keeps its id.
    std::fs::write(&facts, text.replace("Ann Berg", "Di Fors")).unwrap();
    let merge = deck.to_string_lossy().into_owned();
    let summary = generate(DAY2, &["--merge", &merge]);
    assert!(summary.contains("4 added"), "{summary}");
    assert!(
        summary.contains(", 4 retired (their fact now names"),
        "{summary}"
    );
    let second = factdrill::deck::load(&deck).unwrap();
    assert!(second.card(old).is_none(), "the old question left the deck");
    let new = second
        .cards
        .iter()
        .find(|c| c.prompt == "Who headed the ABC from 1921 to 1926?")
        .expect("the question is asked again");
    assert_eq!(new.answer, "Di Fors");
    assert_ne!(new.id.as_str(), old);
    // Bo Dahl's and Cy Ek's questions keep their ids.
    for c in first
        .cards
        .iter()
        .filter(|c| !c.id.as_str().starts_with("head-0000000001"))
    {
        assert!(
            second.card(c.id.as_str()).is_some(),
            "{} kept",
            c.id.as_str()
        );
    }

    // The next session retires the old cards; their reviews stay, the new card is new.
    study(DAY2, "0", "");
    let stats = json(DAY2, &["stats", "--json"]);
    assert_eq!(stats["cards"]["retired"], 4, "{stats}");
    let was = json(DAY2, &["schedule", "--json", "--card", old]);
    assert_eq!(was["retired"], true, "{was}");
    assert_eq!(was["answer"], "Ann Berg");
    assert_eq!(was["reviews"].as_array().unwrap().len(), 1, "{was}");
    let now = json(DAY2, &["schedule", "--json", "--card", new.id.as_str()]);
    assert_eq!(now["retired"], false, "{now}");
    assert_eq!(now["reviews"].as_array().unwrap().len(), 0, "{now}");

    // Regenerating again changes nothing.
    let before = std::fs::read_to_string(&deck).unwrap();
    let summary = generate(DAY2, &["--merge", &merge]);
    assert!(!summary.contains("retired"), "{summary}");
    assert_eq!(std::fs::read_to_string(&deck).unwrap(), before);
}
