//! Tests of the generator over the curated OMS facts and small hand-made fact sets: the deck
//! loads, ids are stable, the quality gates hold, merges keep what people wrote.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::deck::load_str;
use crate::facts::{self, Facts};

fn oms() -> Facts {
    facts::load(std::path::Path::new("decks/oms.facts.yaml")).expect("the curated OMS facts")
}

fn facts(text: &str) -> Facts {
    facts::load_str(text).expect("valid facts")
}

fn make(facts: &Facts) -> Vec<Card> {
    generate(facts, &Options::default())
}

fn keys(cards: &[Card]) -> Vec<String> {
    cards.iter().map(|c| c.id.to_string()).collect()
}

fn by_prompt<'c>(cards: &'c [Card], prompt: &str) -> &'c Card {
    cards
        .iter()
        .find(|c| c.prompt == prompt)
        .unwrap_or_else(|| panic!("no card asks {prompt:?}"))
}

/// Loads what the writer writes and compares it with what was written.
#[track_caller]
fn round_trip(cards: &[Card]) -> Deck {
    let yaml = to_yaml(&Header::new("t".into(), "T".into()), cards);
    let deck = load_str(&yaml).unwrap_or_else(|p| panic!("{p:?}\n{yaml}"));
    assert_eq!(deck.cards.len(), cards.len());
    for (loaded, made) in deck.cards.iter().zip(cards) {
        assert_eq!(
            Card {
                line: 0,
                ..loaded.clone()
            },
            *made
        );
    }
    deck
}

use crate::deck::Deck;

#[test]
fn the_oms_deck_loads_back_and_has_every_kind() {
    let cards = make(&oms());
    round_trip(&cards);
    let kinds: HashSet<Kind> = cards.iter().map(|c| c.kind).collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert!(cards.len() > 80);
}

#[test]
fn every_fact_gets_a_card() {
    let facts = oms();
    let cards = make(&facts);
    let ix = Index::new(&facts, 0);
    for (id, _) in &ix.facts {
        assert!(
            cards
                .iter()
                .any(|c| c.id.as_str().starts_with(&format!("{id}."))),
            "no card for {id}"
        );
    }
}

#[test]
fn ids_survive_rewording_reordering_and_new_facts() {
    let base = oms();
    let before = keys(&make(&base));

    // Rewording what is not a fact's identity: a source sentence, a year, an order.
    let mut reworded = base.clone();
    for fact in &mut reworded.facts {
        if let Some(source) = &mut fact.source {
            source.sentence = source.sentence.replace("OMS", "Comintern OMS");
        }
        if let Body::Head(h) = &mut fact.body
            && h.region.as_deref() == Some("Austria")
        {
            h.from = Some(facts::When::parse("1922").unwrap());
        }
    }
    let after = make(&reworded);
    let mut a = keys(&after);
    let mut b = before.clone();
    a.sort();
    b.sort();
    let (sa, sb): (HashSet<&String>, HashSet<&String>) = (a.iter().collect(), b.iter().collect());
    let new: Vec<&&String> = sa.difference(&sb).collect();
    assert!(sb.is_subset(&sa), "lost: {:?}", sb.difference(&sa));
    // The one new question is the year the Austrian head began, which the facts now give.
    assert_eq!(new, [&&"head-c3db1a498f.year".to_owned()]);
    assert_ne!(after, make(&base), "but the content did change");

    // Reordering the facts.
    let mut reordered = base.clone();
    reordered.facts.reverse();
    let mut r = keys(&make(&reordered));
    r.sort();
    assert_eq!(r, b);

    // Adding facts (of every kind but dates, which can regroup ordering cards) keeps every key.
    let mut more = base.clone();
    more.facts.extend(
        facts(
            "facts:\n\
             - {kind: head, person: Ann Berg, org: OMS, region: Norway}\n\
             - {kind: location, subject: Ann Berg's office, place: Oslo}\n\
             - {kind: alias, name: Ann Berg, aliases: [Anna]}\n",
        )
        .facts,
    );
    let grown: HashSet<String> = keys(&make(&more)).into_iter().collect();
    for key in &before {
        assert!(grown.contains(key), "{key} was lost");
    }
}

fn ordering_keys(facts: &Facts) -> HashSet<String> {
    make(facts)
        .into_iter()
        .filter(|c| c.kind == Kind::Ordering)
        .map(|c| c.id.to_string())
        .collect()
}

#[test]
fn adding_a_dated_fact_changes_at_most_the_one_ordering_card_it_joins() {
    let base = oms();
    let before = ordering_keys(&base);
    for k in 0..24 {
        let mut more = base.clone();
        more.facts.extend(
            facts(&format!(
                "facts:\n- {{kind: date, subject: Club {k}, event: founded in Paris, when: {}}}\n",
                1880 + 3 * k
            ))
            .facts,
        );
        let after = ordering_keys(&more);
        let lost: Vec<&String> = before.difference(&after).collect();
        assert!(lost.len() <= 1, "fact {k}: {lost:?}");
    }
    // Three at once: at most three groups change.
    let mut more = base.clone();
    for k in 0..3 {
        more.facts.extend(
            facts(&format!(
                "facts:\n- {{kind: date, subject: Guild {k}, event: disbanded, when: {}}}\n",
                1901 + k
            ))
            .facts,
        );
    }
    assert!(before.difference(&ordering_keys(&more)).count() <= 3);
}

#[test]
fn ordering_ids_come_from_their_facts() {
    let cards = make(&oms());
    let orderings: Vec<&Card> = cards.iter().filter(|c| c.kind == Kind::Ordering).collect();
    assert!(!orderings.is_empty());
    for c in &orderings {
        assert!(c.id.as_str().starts_with("ordering-"));
        assert!((3..=5).contains(&c.choices.len()), "{c:?}");
    }
    let mut reversed = oms();
    reversed.facts.reverse();
    let again: Vec<Card> = make(&reversed)
        .into_iter()
        .filter(|c| c.kind == Kind::Ordering)
        .collect();
    let ids = |cs: &[&Card]| cs.iter().map(|c| c.id.to_string()).collect::<HashSet<_>>();
    assert_eq!(ids(&orderings), ids(&again.iter().collect::<Vec<_>>()));
}

#[test]
fn quality_gates_hold_on_the_oms_deck() {
    let cards = make(&oms());
    let mut prompts = HashSet::new();
    for c in &cards {
        assert!(
            prompts.insert(fold(&c.prompt)),
            "duplicate prompt {:?}",
            c.prompt
        );
        assert!(!gives_away(c), "{:?} gives away {:?}", c.prompt, c.answer);
        assert!(
            !c.accept.iter().any(|a| fold(a) == fold(&c.answer)),
            "{c:?} accepts its own answer twice"
        );
        assert!(c.generated.is_some());
    }
}

#[test]
fn generation_is_deterministic_for_a_seed() {
    let f = oms();
    let one = generate(&f, &Options { seed: 5 });
    assert_eq!(one, generate(&f, &Options { seed: 5 }));
    let other = generate(&f, &Options { seed: 6 });
    assert_eq!(
        keys(&one),
        keys(&other),
        "the seed never changes which cards exist"
    );
    assert_ne!(one, other, "but it does change the distractors");
}

#[test]
fn templates_read_as_english() {
    let cards = make(&oms());
    for prompt in [
        "Who headed the OMS in the Netherlands?",
        "Where did Henk Sneevliet head the OMS?",
        "Who was the first head of the OMS?",
        "Who was the second head of the OMS in Germany?",
        "Who became head of the OMS in the United States in 1921?",
        "Who became head of the OMS in the United States in 1933?",
        "Who headed radio communications?",
        "What did David Glazer head?",
        "Where was Hotel Lux?",
        "In May 1927, who raided ARCOS in London?",
        "In what year was the OMS founded at the Third Congress of the Comintern?",
        "In what year did Victor Serge die?",
        "During which years did the OMS exist?",
        "Who was also known as Moskvin?",
        "What was the address of the OMS international headquarters?",
        "In the Netherlands, the head was ___.",
        "In 1931, who arrived in Shanghai, where OMS agents Agnes Smedley and Ruth Werner supported him?",
        "In what year was Victor Serge's memoir published posthumously in French?",
        "In what year was direction of the OMS transferred to the GRU and the OGPU?",
        "In what year did the Noulens Affair over OMS spy Jakob Rudnik undermine the OMS's stance?",
        "Where were the OMS international headquarters?",
        "Where was the additional OMS training?",
        "The OMS was founded at the Third Congress of the Comintern in July ___.",
        "Other sources call the OMS training school the ___.",
        "The OMS international headquarters' address was ___ in the offices of Führer Verlag.",
    ] {
        by_prompt(&cards, prompt);
    }
}

/// The kinds make no card the grammar gates would drop: the filter in `finish` is a safety net
/// for arbitrary facts, never what keeps the shipped deck clean.
#[test]
fn every_card_the_kinds_make_from_the_oms_facts_passes_the_grammar_gates() {
    let cards = unchecked(&oms(), Options::default());
    let bad: Vec<String> = cards
        .iter()
        .filter_map(|c| {
            let p = grammar::problems(c);
            (!p.is_empty()).then(|| format!("{}: {:?}: {p:?}", c.id, c.prompt))
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn clozes_read_on_their_own() {
    let cards = make(&oms());
    let clozes: Vec<&Card> = cards.iter().filter(|c| c.kind == Kind::Cloze).collect();
    assert!(clozes.len() > 20);
    for c in &clozes {
        assert_eq!(c.prompt.matches("___").count(), 1, "{c:?}");
        assert_eq!(grammar::dangling(&c.prompt), None, "{c:?}");
    }
    // What the sentences lean on is resolved or the cloze is left out.
    for gone in [
        "a member there",
        "Next was",
        "Succeeding him",
        "stationed there",
    ] {
        assert!(!clozes.iter().any(|c| c.prompt.contains(gone)), "{gone}");
    }
}

#[test]
fn uncertain_dates_accept_every_alternative_and_stay_out_of_orderings() {
    let cards = make(&oms());
    let fold_card = by_prompt(
        &cards,
        "In what year did the OMS begin to fold into the OGPU with Trilisser's appointment?",
    );
    assert_eq!(fold_card.answer, "1935");
    assert_eq!(fold_card.accept, vec!["1937"]);
    for c in cards.iter().filter(|c| c.kind == Kind::Ordering) {
        assert!(!c.choices.iter().any(|i| i.contains("fold into the OGPU")));
    }
}

const GERMANY: &str = "topic: ABC\nfacts:\n\
    - {kind: head, person: Ann Berg, org: ABC, region: Germany}\n\
    - {kind: head, person: Bo Dahl, org: ABC, region: Germany}\n\
    - {kind: head, person: Cy Ek, org: ABC, region: Germany, from: 1933, to: 1938}\n\
    - {kind: head, person: Di Fors, org: ABC, region: France}\n\
    - {kind: head, person: Ed Gran, org: ABC, region: Spain}\n\
    - {kind: head, person: Flo Hed, org: ABC, region: Italy}\n";

#[test]
fn ambiguous_questions_accept_every_answer_or_are_scoped() {
    let cards = make(&facts(GERMANY));
    let ann = by_prompt(&cards, "Who headed the ABC in Germany?");
    assert_eq!(ann.answer, "Ann Berg");
    assert!(ann.accept.contains(&"Bo Dahl".to_owned()), "{ann:?}");
    let cy = by_prompt(&cards, "Who headed the ABC in Germany from 1933 to 1938?");
    assert_eq!(cy.answer, "Cy Ek");
    assert!(
        !cy.accept
            .iter()
            .any(|a| a.contains("Berg") || a.contains("Dahl"))
    );
}

const TIMED: &str = "topic: ABC\nfacts:\n\
    - {kind: head, person: Ann Berg, region: Germany, from: 1921, to: 1926}\n\
    - {kind: head, person: Bo Dahl, region: Germany, from: 1926, to: 1930}\n\
    - {kind: head, person: Cy Ek, region: Germany, during: 1923/1926}\n\
    - {kind: head, person: Di Fors, region: Germany, during: 1931}\n\
    - {kind: head, person: Ed Gran, region: Germany}\n\
    - {kind: head, person: Flo Hed, region: France}\n\
    - {kind: head, person: Gus Ivar, region: Spain}\n\
    - {kind: head, person: Hal Lund, role: deputy, from: [1935, 1937], uncertain: true}\n";

#[test]
fn questions_name_the_time_when_the_answer_depends_on_it() {
    let cards = make(&facts(TIMED));
    let ann = by_prompt(&cards, "Who headed the ABC in Germany from 1921 to 1926?");
    assert_eq!(ann.answer, "Ann Berg");
    assert!(ann.accept.iter().all(|a| !a.contains("Dahl")), "{ann:?}");
    let cy = by_prompt(&cards, "Who headed the ABC in Germany in the mid-1920s?");
    // Ann (1921-1926) and Bo (from 1926) surely headed it within 1923-1926 too.
    assert!(cy.accept.contains(&"Ann Berg".to_owned()), "{cy:?}");
    assert!(cy.accept.contains(&"Bo Dahl".to_owned()), "{cy:?}");
    assert!(!cy.accept.contains(&"Di Fors".to_owned()), "{cy:?}");
    let di = by_prompt(&cards, "Who headed the ABC in Germany in 1931?");
    assert_eq!(
        di.accept,
        vec!["Fors"],
        "nobody else surely held it in 1931"
    );
    // Without a time of his own, Ed's question stays open and accepts every German head.
    let ed = by_prompt(&cards, "Who headed the ABC in Germany?");
    assert_eq!(ed.accept.len(), 5, "{ed:?}");
    // An uncertain start names no time; its year card accepts both readings.
    by_prompt(&cards, "Who was deputy head of the ABC?");
    let germans = ["Ann Berg", "Bo Dahl", "Cy Ek", "Di Fors", "Ed Gran"];
    for seed in 0..20 {
        for c in generate(&facts(TIMED), &Options { seed }) {
            if c.prompt.contains("in Germany") && c.kind == Kind::Choice {
                let wrong = c.choices.iter().filter(|x| **x != c.answer);
                assert!(
                    wrong.clone().all(|w| !germans.contains(&w.as_str())),
                    "{c:?}"
                );
            }
            if c.kind == Kind::TrueFalse && c.answer == "false" && c.prompt.contains("in Germany") {
                assert!(!germans.iter().any(|g| c.prompt.starts_with(g)), "{c:?}");
            }
        }
    }
}

#[test]
fn a_head_year_card_accepts_every_reading_of_an_uncertain_start() {
    let facts = facts(
        "facts:\n  - {kind: head, person: Ann Berg, org: ABC, from: [1935, 1937], uncertain: true}\n",
    );
    let cards = make(&facts);
    let year = by_prompt(&cards, "In what year did Ann Berg become head of the ABC?");
    assert_eq!(
        (year.answer.as_str(), year.accept.as_slice()),
        ("1935", &["1937".to_owned()][..])
    );
    assert!(
        year.explanation
            .as_deref()
            .is_some_and(|e| e.contains("1935 or 1937"))
    );
}

#[test]
fn distractors_and_false_statements_are_never_true() {
    for seed in 0..20 {
        let cards = generate(&facts(GERMANY), &Options { seed });
        let germans = ["Ann Berg", "Bo Dahl", "Cy Ek"];
        for c in &cards {
            let germany = c.prompt.contains("in Germany");
            if c.kind == Kind::Choice && germany {
                let wrong: Vec<&String> = c.choices.iter().filter(|x| **x != c.answer).collect();
                assert!(!wrong.is_empty());
                assert!(
                    !wrong.iter().any(|w| germans.contains(&w.as_str())),
                    "seed {seed}: {c:?}"
                );
            }
            if c.kind == Kind::TrueFalse && c.answer == "false" && c.prompt.ends_with("in Germany.")
            {
                assert!(!germans.iter().any(|g| c.prompt.starts_with(g)), "{c:?}");
            }
        }
    }
}

#[test]
fn year_distractors_are_near_and_never_true() {
    let cards = make(&oms());
    for c in cards
        .iter()
        .filter(|c| c.kind == Kind::Choice && c.prompt.contains("which of these years"))
    {
        let year: i32 = c.answer.parse().unwrap();
        for choice in &c.choices {
            let y: i32 = choice.parse().unwrap();
            assert!((y - year).abs() <= 4, "{c:?}");
        }
        assert_eq!(c.choices.iter().filter(|x| **x == c.answer).count(), 1);
    }
}

#[test]
fn deck_identity_comes_from_the_topic() {
    assert_eq!(
        deck_identity(Some("OMS"), "x"),
        ("oms".into(), "OMS".into())
    );
    assert_eq!(
        deck_identity(Some("Royal Society"), "x"),
        ("royal-society".into(), "Royal Society".into())
    );
    assert_eq!(
        deck_identity(None, "notes"),
        ("notes".into(), "notes".into())
    );
    assert_eq!(deck_identity(Some("Ω"), "x").0, "o");
}

// ------------------------------------------------------------------------------ merging

fn hand(id: &str, kind: Kind, prompt: &str, answer: &str, source: &str) -> Card {
    let mut c = card(id, kind, prompt.into(), answer.into(), None);
    c.source = Some(source.into());
    c
}

#[test]
fn merge_refreshes_untouched_cards_and_keeps_edited_and_hand_written_ones() {
    let f = facts(GERMANY);
    let old = make(&f);
    let mut existing = old.clone();
    // A person edits one generated card and writes one of their own.
    existing[0].prompt = "Name the ABC's head in Germany (any of them).".into();
    let mine = hand("my-own", Kind::Recall, "Who wrote this?", "Me", "A note.");
    existing.push(mine.clone());
    // The facts change: a source-free reword is not possible here, so change a year.
    let mut changed = f.clone();
    if let Body::Head(h) = &mut changed.facts[2].body {
        h.to = Some(facts::When::parse("1939").unwrap());
    }
    let (merged, report) = merge(&existing, make(&changed), false);
    assert_eq!(merged[0], existing[0], "an edited card is kept as it is");
    assert!(merged.contains(&mine), "a hand-written card is kept");
    assert_eq!(report.edited, 1);
    assert_eq!(report.hand, 1);
    assert_eq!(report.added, 0);
    assert!(
        merged
            .iter()
            .any(|c| c.prompt == "Who headed the ABC in Germany from 1933 to 1939?"),
        "generated cards are refreshed"
    );
    assert_eq!(merged.len(), existing.len());
    let ids: HashSet<String> = keys(&merged).into_iter().collect();
    assert_eq!(ids, keys(&existing).into_iter().collect::<HashSet<_>>());
    round_trip(&merged);
    // Merging the result again changes nothing.
    let (again, r2) = merge(&merged, make(&changed), false);
    assert_eq!(again, merged);
    assert_eq!(r2.added, 0);
}

/// The ABC's heads, with ids as an extractor writes them; `who` heads it from 1921 to 1926.
fn timed_heads(who: &str, id: &str) -> Facts {
    facts(&format!(
        "topic: ABC\nfacts:\n\
         - {{kind: head, id: {id}, person: {who}, from: 1921, to: 1926}}\n\
         - {{kind: head, person: Bo Dahl, from: 1926, to: 1930}}\n\
         - {{kind: head, person: Cy Ek, region: Wales}}\n\
         - {{kind: date, subject: ABC, event: founded, when: 1921}}\n"
    ))
}

fn merge_facts(existing: &[Card], f: &Facts) -> (Vec<Card>, MergeReport) {
    merge_with(existing, make(f), &content_ids(f), false)
}

#[test]
fn a_fact_edited_to_name_another_head_retires_its_cards_and_starts_new_ones() {
    let ann_id = f_id("Ann Berg");
    let before = make(&timed_heads("Ann Berg", &ann_id));
    let ann_cards: Vec<String> = keys(&before)
        .into_iter()
        .filter(|k| k.starts_with(&ann_id))
        .collect();
    assert!(ann_cards.len() >= 4, "{ann_cards:?}");
    // The curator corrects who headed it from 1921 to 1926, keeping the fact's id.
    let edited = timed_heads("Di Fors", &ann_id);
    let (merged, report) = merge_facts(&before, &edited);
    let retired: Vec<&String> = report.retired.iter().map(|(old, _)| old).collect();
    assert_eq!(retired.len(), ann_cards.len(), "{report:?}");
    assert!(ann_cards.iter().all(|k| retired.contains(&k)));
    let ids = keys(&merged);
    assert!(ann_cards.iter().all(|k| !ids.contains(k)), "old ids gone");
    // The new cards are keyed as the re-extracted fact would be, and still know their question.
    let di_id = f_id("Di Fors");
    let new = by_prompt(&merged, "Who headed the ABC from 1921 to 1926?");
    assert_eq!(new.id.as_str(), format!("{di_id}.recall-person"));
    assert_eq!(new.answer, "Di Fors");
    assert_eq!(
        new.generated.as_ref().unwrap().key,
        format!("{ann_id}.recall-person")
    );
    assert!(
        report
            .retired
            .iter()
            .all(|(_, new)| new.starts_with(&di_id))
    );
    // Unchanged questions keep their ids.
    for k in keys(&before).iter().filter(|k| !k.starts_with(&ann_id)) {
        assert!(ids.contains(k), "{k} kept");
    }
    round_trip(&merged);
    // Merging again is stable: same bytes, nothing retired.
    let (again, r2) = merge_facts(&merged, &edited);
    assert_eq!(again, merged);
    assert!(r2.retired.is_empty() && r2.added == 0, "{r2:?}");
    // Re-extracted, the fact's id is its content's: the same cards.
    let reextracted = timed_heads("Di Fors", &di_id);
    let (same, r3) = merge_facts(&merged, &reextracted);
    assert!(r3.retired.is_empty(), "{r3:?}");
    assert_eq!(keys(&same), keys(&merged));
    // Changed back, the first cards (and their history) return under their old ids.
    let (back, r4) = merge_facts(&merged, &timed_heads("Ann Berg", &ann_id));
    assert_eq!(r4.retired.len(), ann_cards.len());
    let back_ids = keys(&back);
    assert!(
        ann_cards.iter().all(|k| back_ids.contains(k)),
        "{back_ids:?}"
    );
}

#[test]
fn respelling_a_head_or_correcting_a_year_keeps_every_id() {
    let id = f_id("Osip Piatnitsky");
    let before = make(&timed_heads("Osip Piatnitsky", &id));
    for f in [
        timed_heads("Osip Pyatnitsky", &id),
        facts(&to_yaml_facts(&timed_heads("Osip Piatnitsky", &id)).replace("to: 1926", "to: 1927")),
    ] {
        let (merged, report) = merge_facts(&before, &f);
        assert!(report.retired.is_empty(), "{report:?}");
        assert_eq!(keys(&merged), keys(&before));
    }
    // Without content ids (plain `merge`), a changed fact still gets fresh ids.
    let (merged, report) = merge(&before, make(&timed_heads("Di Fors", &id)), false);
    assert!(!report.retired.is_empty());
    let new = by_prompt(&merged, "Who headed the ABC from 1921 to 1926?");
    assert!(
        new.id.as_str().starts_with(&format!("{id}.recall-person:")),
        "{new:?}"
    );
}

#[test]
fn a_new_question_of_a_fact_joins_its_siblings() {
    let f = facts(GERMANY);
    let before = make(&f);
    let mut dated = f.clone();
    if let Body::Head(h) = &mut dated.facts[0].body {
        h.from = Some(facts::When::parse("1921").unwrap());
    }
    let (merged, report) = merge(&before, make(&dated), false);
    // Ann's year card, and Bo's questions, which no longer share Ann's prompt.
    assert_eq!(report.added, 3, "{report:?}");
    let fresh = make(&dated);
    assert_eq!(
        keys(&merged),
        keys(&fresh),
        "placed where a first generation puts it"
    );
    let at = merged.iter().position(|c| c.kind == Kind::Year).unwrap();
    assert_eq!(
        fact_of_key(merged[at - 1].id.as_str()),
        fact_of_key(merged[at].id.as_str())
    );
}

fn fact_of_key(key: &str) -> &str {
    key.split('.').next().unwrap()
}

/// The content id of a head of the ABC with no region.
fn f_id(person: &str) -> String {
    Body::Head(Head {
        person: person.into(),
        org: None,
        region: None,
        role: Role::Head,
        from: None,
        to: None,
        during: None,
        order: None,
    })
    .id()
}

fn to_yaml_facts(f: &Facts) -> String {
    facts::to_yaml(f)
}

#[test]
fn merge_drops_questions_whose_facts_are_gone() {
    let f = facts(GERMANY);
    let existing = make(&f);
    let mut fewer = f.clone();
    fewer.facts.truncate(5);
    let (merged, report) = merge(&existing, make(&fewer), false);
    assert!(report.dropped > 0);
    assert!(!merged.iter().any(|c| c.prompt.contains("Flo Hed")));
}

#[test]
fn hand_written_cards_asking_a_generated_question_keep_their_id_when_adopted() {
    let f = facts(
        "topic: ABC\nfacts:\n\
         - kind: head\n  person: Ann Berg\n  org: ABC\n  region: Norway\n  \
           source: {sentence: In Norway the head was Ann Berg., span: [0, 10]}\n",
    );
    let mine = hand(
        "league-norway",
        Kind::Recall,
        "Who led the ABC's Norwegian branch?",
        "Ann Berg",
        "In Norway the head was Ann Berg.",
    );
    let (kept, report) = merge(std::slice::from_ref(&mine), make(&f), false);
    assert_eq!(kept[0], mine, "without --adopt the hand-written card stays");
    assert_eq!(report.covered, 1);
    assert!(
        !kept
            .iter()
            .any(|c| c.prompt == "Who headed the ABC in Norway?")
    );

    let (adopted, report) = merge(std::slice::from_ref(&mine), make(&f), true);
    assert_eq!(adopted[0].id.as_str(), "league-norway");
    assert_eq!(adopted[0].prompt, "Who headed the ABC in Norway?");
    let origin = adopted[0].generated.as_ref().unwrap();
    assert!(origin.key.ends_with(".recall-person"), "{origin:?}");
    assert_eq!(report.adopted.len(), 1);
    // From then on it is a generated card like any other: refreshed, id kept.
    let (again, _) = merge(&adopted, make(&f), false);
    assert_eq!(again, adopted);
}

#[test]
fn adopted_cards_keep_the_hand_written_explanation_through_refreshes() {
    let f = facts(
        "topic: ABC\nfacts:\n\
         - kind: head\n  person: Ann Berg\n  org: ABC\n  region: Norway\n  \
           source: {sentence: In Norway the head was Ann Berg., span: [0, 10]}\n",
    );
    let mut mine = hand(
        "league-norway",
        Kind::Recall,
        "Who led the ABC's Norwegian branch?",
        "Ann Berg",
        "In Norway the head was Ann Berg.",
    );
    mine.explanation = Some("She founded it in 1920.".into());
    let (adopted, _) = merge(std::slice::from_ref(&mine), make(&f), true);
    assert_eq!(adopted[0].id.as_str(), "league-norway");
    assert_eq!(adopted[0].prompt, "Who headed the ABC in Norway?");
    assert_eq!(
        adopted[0].explanation, mine.explanation,
        "the hand's explanation is kept"
    );
    round_trip(&adopted);
    // Refreshed by later merges (even with a new wording), it keeps the explanation.
    let (again, report) = merge(&adopted, make(&f), false);
    assert_eq!(again, adopted);
    assert_eq!(report.edited, 0);
    let mut reworded = f.clone();
    if let Body::Head(h) = &mut reworded.facts[0].body {
        h.from = Some(facts::When::parse("1920").unwrap());
    }
    let (later, report) = merge(&again, make(&reworded), false);
    assert_eq!(report.edited, 0);
    assert_eq!(later[0].id.as_str(), "league-norway");
    assert_eq!(later[0].explanation, mine.explanation);
}

#[test]
fn an_explanation_added_to_a_generated_card_is_kept_and_the_card_still_refreshed() {
    let f = facts(GERMANY);
    let mut existing = make(&f);
    let i = existing
        .iter()
        .position(|c| c.explanation.is_none())
        .unwrap();
    existing[i].explanation = Some("Remember the spelling.".into());
    let (merged, report) = merge(&existing, make(&f), false);
    assert_eq!(report.edited, 0, "adding an explanation is not an edit");
    assert_eq!(
        merged[i].explanation.as_deref(),
        Some("Remember the spelling.")
    );
    // Changing a generated explanation is an edit: the card is kept as it is.
    let mut edited = make(&f);
    let j = edited
        .iter()
        .position(|c| c.explanation.is_some())
        .expect("a false statement explains itself");
    edited[j].explanation = Some("Mine now.".into());
    let (merged, report) = merge(&edited, make(&f), false);
    assert_eq!(report.edited, 1);
    assert_eq!(merged[j], edited[j]);
}

#[test]
fn content_hash_ignores_id_and_position_but_not_content() {
    let cards = make(&oms());
    let mut c = cards[0].clone();
    let h = content_hash(&c);
    c.id = Id::parse("another").unwrap();
    c.line = 99;
    assert_eq!(content_hash(&c), h);
    c.prompt.push('!');
    assert_ne!(content_hash(&c), h);
    let counts: HashMap<Kind, usize> = cards.iter().fold(HashMap::new(), |mut m, c| {
        *m.entry(c.kind).or_default() += 1;
        m
    });
    assert!(counts.values().all(|n| *n > 0));
}

// ------------------------------------------------------------------------ random facts

mod random {
    //! Property tests over random facts files built from small pools of names, places, years
    //! and well-formed events, so facts collide (shared heads, places, aliases, years) as
    //! they do in real articles.

    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::super::*;
    use crate::facts::{self, Facts};

    const PEOPLE: &[&str] = &[
        "Ann Berg", "Bo Dahl", "Cy Ek", "Di Fors", "Ed Gran", "Flo Hed", "Gus Ivar", "Hal Berg",
    ];
    const ORGS: &[&str] = &["ABC", "courier section", "Radio Office", "Red Aid"];
    const REGIONS: &[&str] = &["Germany", "France", "Netherlands", "United States"];
    const PLACES: &[&str] = &[
        "Berlin",
        "Paris",
        "Oslo",
        "Rome",
        "12 Main Street",
        "3 High Road",
    ];
    const THINGS: &[&str] = &[
        "Hotel Lux",
        "ABC headquarters",
        "ABC training school",
        "Red Office",
    ];
    const ALIASES: &[&str] = &[
        "Leo",
        "Black",
        "Moskvin",
        "Red",
        "Lenin School",
        "Blue House",
    ];
    const EVENTS: &[&str] = &[
        "founded at the Congress",
        "raided the office in Paris",
        "purged",
        "born",
        "died",
        "a member of the ABC in France",
        "arrived in Oslo and stayed through the decade",
        "moved to Rome",
        "sent to Germany",
        "published in French",
        "the Affair over Ann Berg undermined the ABC",
        "direction of the ABC transferred to the party",
        "arrived in Rome, where agents supported the group",
    ];

    fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        proptest::sample::select(pool)
    }

    fn when() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (1900_u16..1960).prop_map(|y| y.to_string()),
            2 => (1900_u16..1960, 1_u8..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
            1 => (1900_u16..1950, 1_u16..9).prop_map(|(y, n)| format!("{y}/{}", y + n)),
        ]
    }

    /// A head's time, as fields: none, a start, an end, a term, a `during` year or span,
    /// an end known within a span, or a term with a year inside it. Years collide so heads of a group overlap.
    fn term() -> impl Strategy<Value = String> {
        (0_u8..9, 1920_u16..1932, 0_u16..6, 0_u8..4).prop_map(|(shape, y, n, k)| {
            let spans = [(0, 3), (3, 6), (6, 9), (0, 9)];
            let (a, b) = spans[usize::from(k)];
            let decade = y - y % 10;
            match shape {
                0 | 1 => String::new(),
                2 => format!("  from: {y}\n"),
                3 => format!("  to: {y}\n"),
                4 => format!("  from: {y}\n  to: {}\n", y + n),
                5 => format!("  during: {y}\n"),
                6 => format!("  during: {}/{}\n", decade + a, decade + b),
                7 => format!("  to: {y}/{}\n", y + n),
                _ => format!(
                    "  from: {y}\n  to: {}\n  during: {}\n",
                    y + n,
                    y + n.min(u16::from(k))
                ),
            }
        })
    }

    /// One fact as a YAML list item.
    fn fact() -> impl Strategy<Value = String> {
        let source = |s: String| format!("  source: {{sentence: \"{s}\", span: [0, 1]}}\n");
        prop_oneof![
            (
                pick(PEOPLE),
                prop::option::of(pick(ORGS)),
                prop::option::of(pick(REGIONS)),
                0_u8..3,
                prop::option::of(1_u32..4),
                any::<bool>(),
                term()
            )
                .prop_map(move |(p, org, region, role, order, with_source, term)| {
                    let role = ["head", "deputy", "representative"][usize::from(role)];
                    let mut t = format!("- kind: head\n  person: {p}\n  role: {role}\n{term}");
                    if let Some(o) = org {
                        t.push_str(&format!("  org: {o}\n"));
                    }
                    if let Some(r) = region {
                        t.push_str(&format!("  region: {r}\n"));
                    }
                    if let Some(n) = order {
                        t.push_str(&format!("  order: {n}\n"));
                    }
                    if with_source {
                        let place = region.map(|r| format!("In {r}, ")).unwrap_or_default();
                        t.push_str(&source(format!(
                            "{place}the {role} of the {} was {p}.",
                            org.unwrap_or("ABC")
                        )));
                    }
                    t
                }),
            (
                prop::option::of(prop_oneof![pick(PEOPLE), pick(THINGS)]),
                pick(EVENTS),
                when(),
                any::<bool>(),
                any::<bool>()
            )
                .prop_map(move |(subject, event, when, uncertain, with_source)| {
                    // Only people are born and die (and births and deaths make people).
                    let subject = match (event, subject) {
                        ("born" | "died", Some(s)) if !PEOPLE.contains(&s) => Some("Ann Berg"),
                        (_, s) => s,
                    };
                    let mut t = format!("- kind: date\n  event: \"{event}\"\n");
                    if let Some(s) = subject {
                        t.push_str(&format!("  subject: {s}\n"));
                    }
                    if uncertain && !when.contains(['/', '-']) {
                        let y: u16 = when.parse().unwrap_or(1900);
                        t.push_str(&format!("  when: [{y}, {}]\n  uncertain: true\n", y + 2));
                    } else {
                        t.push_str(&format!("  when: {when}\n"));
                    }
                    if with_source {
                        t.push_str(&source(format!(
                            "In {}, {} {event}.",
                            &when[..4],
                            subject.unwrap_or("it")
                        )));
                    }
                    t
                }),
            (pick(THINGS), pick(PLACES), any::<bool>()).prop_map(move |(s, p, with_source)| {
                let mut t = format!("- kind: location\n  subject: {s}\n  place: {p}\n");
                if with_source {
                    t.push_str(&source(format!("The {s} lay in {p}.")));
                }
                t
            }),
            (
                prop_oneof![pick(PEOPLE), pick(THINGS), pick(ORGS)],
                prop::collection::vec(pick(ALIASES), 1..3)
            )
                .prop_map(|(n, a)| format!(
                    "- kind: alias\n  name: {n}\n  aliases: [{}]\n",
                    a.join(", ")
                )),
        ]
    }

    fn facts_file() -> impl Strategy<Value = Facts> {
        prop::collection::vec(fact(), 1..24).prop_map(|items| {
            let text = format!("topic: ABC\nfacts:\n{}", items.concat());
            facts::load_str(&text).unwrap_or_else(|p| panic!("{p:?}\n{text}"))
        })
    }

    /// Everything the facts say answers a choice card's question, folded.
    fn true_answers(ix: &Index<'_>, fact: &Fact) -> HashSet<String> {
        let mut out = HashSet::new();
        for (_, other) in &ix.facts {
            match (&fact.body, &other.body) {
                (Body::Head(h), Body::Head(o))
                    if ix.org_key(h.org.as_deref()) == ix.org_key(o.org.as_deref())
                        && h.region.as_deref().map(fold) == o.region.as_deref().map(fold)
                        && h.role == o.role =>
                {
                    out.insert(fold(&o.person));
                }
                (Body::Location(l), Body::Location(o)) if fold(&l.subject) == fold(&o.subject) => {
                    out.insert(fold(&o.place));
                }
                (Body::Date(d), Body::Date(o))
                    if d.subject.as_deref().map(fold) == o.subject.as_deref().map(fold)
                        && fold(&d.event) == fold(&o.event) =>
                {
                    for date in o.when.dates() {
                        let end = date.end.map_or(date.start.year, |e| e.year);
                        out.extend((date.start.year..=end).map(|y| y.to_string()));
                    }
                }
                (Body::Alias(a), Body::Alias(o)) => {
                    let first = super::super::recall::typeable(&a.aliases).map(|x| fold(x));
                    if o.aliases.iter().any(|x| Some(fold(x)) == first) {
                        out.insert(fold(&o.name));
                    }
                }
                _ => {}
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn generated_decks_pass_every_gate(f in facts_file(), seed in 0_u64..1000) {
            let options = Options { seed };
            let cards = generate(&f, &options);
            prop_assert_eq!(&cards, &generate(&f, &options), "deterministic for a seed");
            let mut prompts = HashSet::new();
            for c in &cards {
                prop_assert!(prompts.insert(fold(&c.prompt)), "duplicate prompt {:?}", c.prompt);
                prop_assert!(!gives_away(c), "{:?} gives away {:?}", c.prompt, c.answer);
            }
            // The kinds make no card the grammar gates would have to drop.
            for c in unchecked(&f, options) {
                let problems = grammar::problems(&c);
                prop_assert!(problems.is_empty(), "{:?}: {:?}", c.prompt, problems);
            }
            // No choice offers a second true answer.
            let ix = Index::new(&f, seed);
            for c in cards.iter().filter(|c| c.kind == Kind::Choice) {
                let Some(fact_id) = c.id.as_str().strip_suffix(".choice") else { continue };
                let Some((_, fact)) = ix.facts.iter().find(|(id, _)| id == fact_id) else { continue };
                let truths = true_answers(&ix, fact);
                for choice in &c.choices {
                    if *choice != c.answer {
                        prop_assert!(!truths.contains(&fold(choice)), "{:?} offers {:?}, also true", c.prompt, choice);
                    }
                }
            }
        }

        /// A head question scoped "in YEAR" or "from A to B" accepts every other head of the
        /// group the facts say held the role then, and nobody whose known term excludes it.
        #[test]
        fn time_scoped_questions_accept_the_heads_of_that_time(f in facts_file()) {
            let cards = generate(&f, &Options::default());
            let ix = Index::new(&f, 0);
            let year = |w: &Option<facts::When>| match w.as_ref().map(facts::When::dates) {
                Some([d]) if d.end.is_none() => Some(d.start.year),
                _ => None,
            };
            for c in cards.iter().filter(|c| c.id.as_str().ends_with(".recall-person")) {
                let fact_id = c.id.as_str().trim_end_matches(".recall-person");
                let Some((_, fact)) = ix.facts.iter().find(|(id, _)| id == fact_id) else { continue };
                let Body::Head(h) = &fact.body else { continue };
                let words: Vec<&str> = c.prompt.trim_end_matches('?').split(' ').collect();
                let n = words.len();
                let accepted = |p: &str| c.accept.iter().chain([&c.answer]).any(|a| fold(a) == fold(p));
                for o in ix.group(h).iter().filter(|o| fold(&o.person) != fold(&h.person)) {
                    let (from, to, during) = (year(&o.from), year(&o.to), year(&o.during));
                    // ("became head of X in 1926" asks for a start, not a year of the term.)
                    if n > 2 && words[n - 2] == "in" && !words.contains(&"became")
                        && let Ok(y) = words[n - 1].parse::<u16>()
                    {
                        let held = from.zip(to).is_some_and(|(a, b)| a <= y && y <= b) || during == Some(y);
                        let excluded = from.zip(to).is_some_and(|(a, b)| y < a || b < y);
                        prop_assert!(!held || accepted(&o.person), "{:?} should accept {:?}", c.prompt, o.person);
                        prop_assert!(!excluded || !accepted(&o.person), "{:?} accepts {:?}", c.prompt, o.person);
                    }
                    if n > 4 && words[n - 4] == "from" && words[n - 2] == "to"
                        && let (Ok(a), Ok(b)) = (words[n - 3].parse::<u16>(), words[n - 1].parse::<u16>())
                    {
                        let same = from == Some(a) && to == Some(b);
                        prop_assert!(!same || accepted(&o.person), "{:?} should accept {:?}", c.prompt, o.person);
                    }
                }
            }
        }

        /// A head edited to name another person, keeping its id (as a curator does), retires
        /// the cards of that fact that ask for its person and starts new ones; every other
        /// question keeps its id; merging again changes nothing.
        #[test]
        fn a_head_edited_to_another_person_retires_its_cards_only(
            f in facts_file(),
            pick in any::<prop::sample::Index>(),
        ) {
            let mut f = f;
            for fact in &mut f.facts {
                fact.id = Some(fact.body.id());
            }
            let heads: Vec<usize> = (0..f.facts.len())
                .filter(|&i| matches!(f.facts[i].body, Body::Head(_)))
                .collect();
            prop_assume!(!heads.is_empty());
            let i = heads[pick.index(heads.len())];
            let fact_id = f.facts[i].id.clone().unwrap_or_default();
            prop_assume!(f.facts.iter().filter(|x| x.id.as_deref() == Some(fact_id.as_str())).count() == 1);
            let before = generate(&f, &Options::default());
            let mut edited = f.clone();
            if let Body::Head(h) = &mut edited.facts[i].body {
                "Zed Quist".clone_into(&mut h.person);
            }
            let fresh = generate(&edited, &Options::default());
            let ids = content_ids(&edited);
            let (merged, report) = merge_with(&before, fresh.clone(), &ids, false);
            let now: HashSet<&str> = merged.iter().map(|c| c.id.as_str()).collect();
            let prefix = format!("{fact_id}.");
            let mine: Vec<&Card> = before.iter().filter(|c| c.id.as_str().starts_with(&prefix)).collect();
            // (A head whose questions another fact's card asks, the same prompt, has only
            // statements and years left: nothing in the deck names its person to compare.)
            let asks_person = mine
                .iter()
                .any(|c| matches!(c.kind, Kind::Recall | Kind::Choice | Kind::Cloze));
            if asks_person {
                prop_assert_eq!(report.retired.len(), mine.len(), "{:?}", report);
                for c in &mine {
                    prop_assert!(!now.contains(c.id.as_str()), "{} kept its id", c.id.as_str());
                }
            }
            let fresh_keys: HashSet<String> = super::keys(&fresh).into_iter().collect();
            for c in before.iter().filter(|c| !c.id.as_str().starts_with(&prefix)) {
                if fresh_keys.contains(c.id.as_str()) {
                    prop_assert!(now.contains(c.id.as_str()), "{} lost", c.id.as_str());
                }
            }
            let (again, r2) = merge_with(&merged, fresh, &ids, false);
            prop_assert_eq!(&again, &merged);
            prop_assert!(r2.retired.is_empty());
        }

        #[test]
        fn the_seed_never_changes_which_cards_exist(f in facts_file(), a in 0_u64..1000, b in 0_u64..1000) {
            let ids = |seed| super::keys(&generate(&f, &Options { seed }));
            prop_assert_eq!(ids(a), ids(b));
        }
    }
}

#[test]
fn a_decks_own_fsrs_parameters_survive_rewriting() {
    let mut w = crate::schedule::fsrs::DEFAULT_PARAMETERS;
    w[2] = 3.456_789_012_345;
    w[20] = 0.3;
    let text = w.map(|x| x.to_string()).join(", ");
    let deck = load_str(&format!(
        "id: d\nname: D\nparameters: {text}\ncards:\n  - {{id: a, prompt: p, answer: x}}\n"
    ))
    .unwrap();
    let again = load_str(&to_yaml(&Header::of(&deck), &deck.cards)).unwrap();
    assert!(again.fixed_parameters);
    assert!(
        again
            .scheduling
            .parameters
            .iter()
            .zip(&w)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
}
