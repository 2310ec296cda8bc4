//! The grader against real material: names and dates of the OMS article
//! (`/work/shared/sources/oms.txt`), accepted and rejected, as tables; and property tests
//! (exact answers are always right, normalisation is idempotent, nothing panics).

use std::sync::LazyLock;

use proptest::prelude::*;

use super::*;
use crate::deck::{Card, Id, Kind};

/// People, places and organisations of the OMS article.
const OMS_ENTITIES: &[&str] = &[
    "Osip Piatnitsky",
    "Mikhail Trilisser",
    "Jacob Mirov-Abramov",
    "Hans Kippenberger",
    "Solomon Vladimirovich Mikhelson-Manuilov",
    "Henk Sneevliet",
    "Walter Krivitsky",
    "Berthe Zimmermann",
    "Fritz Platten",
    "Fritz Burde",
    "Arthur Koestler",
    "Richard Sorge",
    "Leo Flieg",
    "Willi Muenzenberg",
    "Jacob Rudnik",
    "Arnold Deutsch",
    "Kim Philby",
    "Richard Jensen",
    "George Mink",
    "Whittaker Chambers",
    "Kitty Harris",
    "Earl Browder",
    "Donald Maclean",
    "Arthur Ewert",
    "Agnes Smedley",
    "Ruth Werner",
    "Joseph Ducroux",
    "Alexander Borisovich Epstein",
    "Juliet Stuart Poyntz",
    "J. Peters",
    "Alger Hiss",
    "Ruth Fischer",
    "Victor Serge",
    "Aino Kuusinen",
    "Otto Wille Kuusinen",
    "David Glazer",
    "Raymond W. Leonard",
    "David McKnight",
    "Nigel West",
    "Thomas Sakmyster",
    "Boris Volodarsky",
    "Leon Trotsky",
    "Larisa Reisner",
    "Fyodor Raskolnikov",
    "Walter Krivitsky",
    "Berlin",
    "Moscow",
    "Kuntsevo",
    "Lenin School",
    "Hotel Lux",
    "131-132 Wilhelmstrasse",
    "Shanghai",
    "Beijing",
    "London",
    "Scotland Yard",
    "ARCOS",
    "OGPU",
    "GRU",
    "Comintern",
    "Razvedupr",
    "Austria",
    "Denmark",
    "Netherlands",
    "Turkey",
    "Switzerland",
    "International Liaison Department",
    "Third Congress",
];

static GRADER: LazyLock<Grader> = LazyLock::new(|| grader(GradeOptions::default()));

fn grader(options: GradeOptions) -> Grader {
    Grader::new(
        OMS_ENTITIES.iter().map(|s| (*s).to_owned()),
        vec![
            vec!["Mikhail Trilisser".to_owned(), "Moskvin".to_owned()],
            vec!["Hans Kippenberger".to_owned(), "Alfred Langer".to_owned()],
            vec![
                "Solomon Vladimirovich Mikhelson-Manuilov".to_owned(),
                "Black".to_owned(),
            ],
        ],
        options,
    )
}

fn card(kind: Kind, answer: &str, accept: &[&str], choices: &[&str]) -> Card {
    Card {
        id: Id::parse("oms-1").unwrap(),
        kind,
        prompt: "?".to_owned(),
        answer: answer.to_owned(),
        accept: accept.iter().map(|s| (*s).to_owned()).collect(),
        choices: choices.iter().map(|s| (*s).to_owned()).collect(),
        explanation: None,
        source: None,
        tags: Vec::new(),
        generated: None,
        line: 1,
    }
}

#[track_caller]
fn check(grade: &Grade, typed: &str, expected: Verdict) {
    assert_eq!(
        grade.verdict, expected,
        "typed {typed:?}: got {} ({})",
        grade.verdict, grade.explanation
    );
    assert!((0.0..=1.0).contains(&grade.score));
}

/// A typed answer to a recall card.
#[track_caller]
fn case(answer: &str, typed: &str, expected: Verdict) {
    let grade = GRADER.grade(&card(Kind::Recall, answer, &[], &[]), &[], typed);
    check(&grade, typed, expected);
}

/// A typed answer to a recall card with accepted alternatives.
#[track_caller]
fn case_accept(answer: &str, accept: &[&str], typed: &str, expected: Verdict) {
    let grade = GRADER.grade(&card(Kind::Recall, answer, accept, &[]), &[], typed);
    check(&grade, typed, expected);
}

/// A typed answer to a choice card shown with `shown` in that order.
#[track_caller]
fn case_choice(answer: &str, shown: &[&str], typed: &str, expected: Verdict) {
    let shown: Vec<String> = shown.iter().map(|s| (*s).to_owned()).collect();
    let c = card(Kind::Choice, answer, &[], &[]);
    check(&GRADER.grade(&c, &shown, typed), typed, expected);
}

#[track_caller]
fn explains(answer: &str, typed: &str, expected: &str) {
    let grade = GRADER.grade(&card(Kind::Recall, answer, &[], &[]), &[], typed);
    assert_eq!(grade.explanation, expected, "typed {typed:?}");
}

#[test]
fn exact_answers_after_normalisation_are_correct() {
    use Verdict::Correct;
    case("Osip Piatnitsky", "Osip Piatnitsky", Correct);
    case("Osip Piatnitsky", "osip piatnitsky", Correct);
    case("Osip Piatnitsky", "  OSIP   PIATNITSKY  ", Correct);
    case("Osip Piatnitsky", "Osip Piatnitsky.", Correct);
    case("Mikhail Trilisser", "mikhail trilisser", Correct);
    case("Jacob Mirov-Abramov", "Jacob Mirov-Abramov", Correct);
    case("Jacob Mirov-Abramov", "Jacob Mirov Abramov", Correct);
    case("Jacob Mirov-Abramov", "jacob mirov–abramov", Correct);
    case("Henk Sneevliet", "henk sneevliet", Correct);
    case("Berlin", "berlin", Correct);
    case("Berlin", "BERLIN!", Correct);
    case("Lenin School", "the Lenin School", Correct);
    case("Lenin School", "The lenin school", Correct);
    case("Hotel Lux", "hotel lux", Correct);
    case("131-132 Wilhelmstrasse", "131-132 Wilhelmstraße", Correct);
    case("131-132 Wilhelmstrasse", "131 132 wilhelmstrasse", Correct);
    case("Third Congress", "3rd Congress", Correct);
    case("Third Congress", "3 congress", Correct);
    case("Third Congress", "the third congress", Correct);
    case("Scotland Yard", "scotland yard", Correct);
    case("Comintern", "the Comintern", Correct);
    case("OGPU", "ogpu", Correct);
    case("Führer Verlag", "Fuhrer Verlag", Correct);
    case("Führer Verlag", "FÜHRER VERLAG", Correct);
    case("Marx & Engels", "Marx and Engels", Correct);
    case("Willi Muenzenberg", "Willi Muenzenberg", Correct);
}

#[test]
fn people_by_surname_full_name_initial_or_alias() {
    use Verdict::Correct;
    case("Osip Piatnitsky", "Piatnitsky", Correct);
    case("Osip Piatnitsky", "piatnitsky", Correct);
    case("Osip Piatnitsky", "O. Piatnitsky", Correct);
    case("Osip Piatnitsky", "O Piatnitsky", Correct);
    case("Mikhail Trilisser", "Trilisser", Correct);
    case("Mikhail Trilisser", "Moskvin", Correct);
    case("Mikhail Trilisser", "moskvin", Correct);
    case("Trilisser", "Moskvin", Correct);
    case("Hans Kippenberger", "Kippenberger", Correct);
    case("Hans Kippenberger", "Alfred Langer", Correct);
    case("Hans Kippenberger", "Langer", Correct);
    case("Jacob Mirov-Abramov", "Mirov-Abramov", Correct);
    case("Jacob Mirov-Abramov", "Mirov Abramov", Correct);
    case(
        "Solomon Vladimirovich Mikhelson-Manuilov",
        "Mikhelson-Manuilov",
        Correct,
    );
    case(
        "Solomon Vladimirovich Mikhelson-Manuilov",
        "Solomon Mikhelson-Manuilov",
        Correct,
    );
    case(
        "Solomon Vladimirovich Mikhelson-Manuilov",
        "S. Mikhelson-Manuilov",
        Correct,
    );
    case("Solomon Vladimirovich Mikhelson-Manuilov", "Black", Correct);
    case("Henk Sneevliet", "Sneevliet", Correct);
    case("Walter Krivitsky", "Krivitsky", Correct);
    case("Richard Sorge", "Sorge", Correct);
    case("Leo Flieg", "Flieg", Correct);
    case("Arnold Deutsch", "Deutsch", Correct);
    case("Alexander Borisovich Epstein", "Alexander Epstein", Correct);
    case("Alexander Borisovich Epstein", "Epstein", Correct);
    case("J. Peters", "Peters", Correct);
    case("Osip Piatnitsky", "Osip Aronovich Piatnitsky", Correct);
    case_accept("Mirov-Abramov", &["Kippenberger"], "Kippenberger", Correct);
    case_accept("Berlin", &["Berlin, Germany"], "berlin germany", Correct);
}

#[test]
fn transliteration_variants_are_close() {
    use Verdict::Close;
    case("Osip Piatnitsky", "Pyatnitsky", Close);
    case("Osip Piatnitsky", "Pjatnizki", Close);
    case("Osip Piatnitsky", "Пятницкий", Close);
    case("Osip Piatnitsky", "Piatnitskii", Close);
    case("Osip Piatnitsky", "Piatnitskiy", Close);
    case("Osip Piatnitsky", "Piatnitski", Close);
    case("Osip Piatnitsky", "Piatnicki", Close);
    case("Osip Piatnitsky", "Iosif Pyatnitsky", Close);
    case("Richard Sorge", "Richard Serge", Verdict::Wrong);
    case("Osip Piatnitsky", "Osip Pyatnitsky", Close);
    case("Osip Piatnitsky", "Осип Пятницкий", Close);
    case("Mikhail Trilisser", "Mikhail Trilissers", Close);
    // Cyrillic whose transliteration is the answer's spelling is simply correct.
    case("Mikhail Trilisser", "Михаил Трилиссер", Verdict::Correct);
    case("Mikhail Trilisser", "Michail Trilisser", Close);
    case("Mikhail Trilisser", "Mihail Trilisser", Close);
    case("Mikhail Trilisser", "Trilliser", Close);
    case("Mikhail Trilisser", "Трилиссер", Verdict::Correct);
    case("Jacob Mirov-Abramov", "Yakob Mirov-Abramov", Close);
    case("Jacob Mirov-Abramov", "Jakob Mirow-Abramow", Close);
    case("Jacob Mirov-Abramov", "Mirovabramov", Close);
    case("Jacob Rudnik", "Jakob Rudnik", Close);
    case(
        "Solomon Vladimirovich Mikhelson-Manuilov",
        "Michelson-Manuilov",
        Close,
    );
    case(
        "Solomon Vladimirovich Mikhelson-Manuilov",
        "Mikhelson Manuilow",
        Close,
    );
    case("Fyodor Raskolnikov", "Raskolnikoff", Close);
    case("Fyodor Raskolnikov", "Fjodor Raskolnikow", Close);
    case("Fyodor Raskolnikov", "Fedor Raskolnikov", Close);
    case("Kuntsevo", "Kunzevo", Close);
    case("Kuntsevo", "Кунцево", Verdict::Correct);
    case("Hans Kippenberger", "Kipenberger", Close);
    case("Willi Muenzenberg", "Willi Münzenberg", Verdict::Close);
}

#[test]
fn typos_within_the_budget_are_close() {
    use Verdict::Close;
    case("Osip Piatnitsky", "Piatnitksy", Close);
    case("Osip Piatnitsky", "Piatnisky", Close);
    case("Osip Piatnitsky", "Piatntisky", Close);
    case("Osip Piatnitsky", "Osip Piatnitzkey", Close);
    case("Mikhail Trilisser", "Trilsser", Close);
    case("Mikhail Trilisser", "Trilisesr", Close);
    case("Hans Kippenberger", "Kippenbreger", Close);
    case("Hans Kippenberger", "Kippenburger", Close);
    case("Henk Sneevliet", "Sneevleit", Close);
    case("Henk Sneevliet", "Sneevliett", Close);
    case("Walter Krivitsky", "Krivitzki", Close);
    case("Walter Krivitsky", "Krivitskiy", Close);
    case("Walter Krivitsky", "Krivistky", Close);
    case("Berthe Zimmermann", "Zimmerman", Close);
    case("Berthe Zimmermann", "Zimermann", Close);
    case("Willi Muenzenberg", "Munzenberg", Close);
    case("Richard Sorge", "Sorje", Close);
    case("Whittaker Chambers", "Whitaker Chambers", Close);
    case("Shanghai", "Shangai", Close);
    case("Razvedupr", "Razvedpur", Close);
    case("Switzerland", "Switzerlnd", Close);
    case(
        "International Liaison Department",
        "International Liason Department",
        Close,
    );
    case("Netherlands", "Netherland", Close);
    case("Juliet Stuart Poyntz", "Juliet Stuart Pointz", Close);
    case("Thomas Sakmyster", "Sakmister", Close);
}

#[test]
fn short_answers_get_no_typo_tolerance() {
    use Verdict::{Correct, Wrong};
    case("GRU", "GRU", Correct);
    case("GRU", "GRO", Wrong);
    case("OGPU", "OGPO", Wrong);
    case("Mink", "Mini", Wrong);
    case("Hiss", "Hess", Wrong);
    case("Lux", "Lex", Wrong);
    case("Leo", "Lea", Wrong);
    case("West", "Vest", Verdict::Close);
}

#[test]
fn another_known_entity_is_never_accepted() {
    use Verdict::Wrong;
    case("Osip Piatnitsky", "Trilisser", Wrong);
    case("Osip Piatnitsky", "Mikhail Trilisser", Wrong);
    case("Osip Piatnitsky", "Moskvin", Wrong);
    case("Mikhail Trilisser", "Piatnitsky", Wrong);
    case("Richard Sorge", "Serge", Wrong);
    case("Richard Sorge", "Victor Serge", Wrong);
    case("Victor Serge", "Sorge", Wrong);
    case("Jacob Mirov-Abramov", "Jacob Rudnik", Wrong);
    case("Jacob Rudnik", "Jacob Mirov-Abramov", Wrong);
    case("Fritz Platten", "Fritz Burde", Wrong);
    case("Fritz Burde", "Fritz Platten", Wrong);
    case("Richard Jensen", "Richard Sorge", Wrong);
    case("Arthur Koestler", "Arthur Ewert", Wrong);
    case("Ruth Werner", "Ruth Fischer", Wrong);
    case("Berlin", "Moscow", Wrong);
    case("Beijing", "Shanghai", Wrong);
    case("Austria", "Denmark", Wrong);
    case("Hans Kippenberger", "Black", Wrong);
    case("Hans Kippenberger", "Leon Trotsky", Wrong);
    case("Henk Sneevliet", "Kim Philby", Wrong);
    case("Earl Browder", "Alger Hiss", Wrong);
    case("Kitty Harris", "Donald Maclean", Wrong);
    case("Agnes Smedley", "Ruth Werner", Wrong);
    case("Joseph Ducroux", "Joseph Stalin", Wrong);
    case("Third Congress", "Fourth Congress", Wrong);
    case("Third Congress", "4th congress", Wrong);
    case("131-132 Wilhelmstrasse", "131-133 Wilhelmstrasse", Wrong);
}

#[test]
fn a_typo_nearer_another_entity_is_wrong() {
    let entities = ["Mikhail Trilisser", "Mikhail Trilesser", "Osip Piatnitsky"];
    let g = Grader::new(
        entities.iter().map(|s| (*s).to_owned()),
        Vec::new(),
        GradeOptions::default(),
    );
    let c = card(Kind::Recall, "Mikhail Trilisser", &[], &[]);
    // One edit from the answer, none from another person: wrong.
    check(&g.grade(&c, &[], "Trilesser"), "Trilesser", Verdict::Wrong);
    // Two from the answer, one from another person: wrong.
    check(&g.grade(&c, &[], "Trilessar"), "Trilessar", Verdict::Wrong);
    // Equally near both: refused.
    check(&g.grade(&c, &[], "Trilasser"), "Trilasser", Verdict::Wrong);
    // Nearer the answer: accepted.
    check(
        &g.grade(&c, &[], "Trilisser"),
        "Trilisser",
        Verdict::Correct,
    );
    check(&g.grade(&c, &[], "Trilissr"), "Trilissr", Verdict::Close);
}

#[test]
fn part_of_a_name_or_a_shared_surname_is_partial() {
    use Verdict::Partial;
    case("Osip Piatnitsky", "Osip", Partial);
    case("Hans Kippenberger", "Hans", Partial);
    case(
        "Solomon Vladimirovich Mikhelson-Manuilov",
        "Solomon Vladimirovich",
        Partial,
    );
    case("Alexander Borisovich Epstein", "Borisovich", Partial);
    case("Otto Wille Kuusinen", "Kuusinen", Partial);
    case("Aino Kuusinen", "Kuusinen", Partial);
    case("Otto Wille Kuusinen", "Otto Kuusinen", Verdict::Correct);
    case("Aino Kuusinen", "Aino Kuusinen", Verdict::Correct);
    case("Otto Wille Kuusinen", "Aino Kuusinen", Verdict::Wrong);
    case(
        "International Liaison Department",
        "Liaison Department",
        Partial,
    );
}

#[test]
fn a_fuller_name_or_another_word_order_is_accepted() {
    case("Piatnitsky", "Osip Piatnitsky", Verdict::Correct);
    case("Piatnitsky", "osip piatnitsky", Verdict::Correct);
    case("Piatnitsky", "Osip Pyatnitsky", Verdict::Close);
    case("Trilisser", "Mikhail Trilisser", Verdict::Correct);
    case("Trilisser", "Osip Piatnitsky", Verdict::Wrong);
    case("Kuntsevo", "Kuntsevo Moscow", Verdict::Wrong);
    case("Osip Piatnitsky", "Piatnitsky Osip", Verdict::Close);
    case("Osip Piatnitsky", "Piatnitsky, Osip", Verdict::Close);
    explains(
        "Piatnitsky",
        "Osip Piatnitsky",
        "correct: Piatnitsky (Osip Piatnitsky is the same)",
    );
}

#[test]
fn full_name_required_when_surname_alone_is_off() {
    let g = grader(GradeOptions {
        strict: false,
        surname_alone: false,
    });
    let c = card(Kind::Recall, "Osip Piatnitsky", &[], &[]);
    for (typed, expected) in [
        ("Piatnitsky", Verdict::Partial),
        ("Osip Piatnitsky", Verdict::Correct),
        ("O. Piatnitsky", Verdict::Correct),
        ("Osip Pyatnitsky", Verdict::Close),
        ("Trilisser", Verdict::Wrong),
    ] {
        check(&g.grade(&c, &[], typed), typed, expected);
    }
    // The card tag does the same for one card.
    let mut tagged = card(Kind::Recall, "Mikhail Trilisser", &[], &[]);
    tagged.tags.push(TAG_FULL_NAME.to_owned());
    check(
        &GRADER.grade(&tagged, &[], "Trilisser"),
        "Trilisser",
        Verdict::Partial,
    );
    check(
        &GRADER.grade(&tagged, &[], "Mikhail Trilisser"),
        "Mikhail Trilisser",
        Verdict::Correct,
    );
}

#[test]
fn strict_mode_accepts_only_exact_answers() {
    let g = grader(GradeOptions {
        strict: true,
        surname_alone: true,
    });
    let c = card(Kind::Recall, "Osip Piatnitsky", &["Pyatnitsky"], &[]);
    for (typed, expected) in [
        ("osip piatnitsky", Verdict::Correct),
        ("Osip Piatnitsky!", Verdict::Correct),
        ("Pyatnitsky", Verdict::Correct),
        ("Piatnitsky", Verdict::Wrong),
        ("Osip Pjatnizki", Verdict::Wrong),
        ("Osip Piatnitksy", Verdict::Wrong),
        ("Osip", Verdict::Wrong),
    ] {
        check(&g.grade(&c, &[], typed), typed, expected);
    }
    let mut tagged = card(Kind::Recall, "Henk Sneevliet", &[], &[]);
    tagged.tags.push(TAG_STRICT.to_owned());
    check(
        &GRADER.grade(&tagged, &[], "Sneevleit"),
        "Sneevleit",
        Verdict::Wrong,
    );
}

#[test]
fn dates_years_and_spans() {
    use Verdict::{Correct, Partial, Wrong};
    case("1921", "1921", Correct);
    case("1921", "July 1921", Correct);
    case("1921", "1921-07", Correct);
    case("1921", "7/1921", Correct);
    case("1921", "in 1921", Correct);
    case("1921", "15 July 1921", Correct);
    case("1921", "I think 1921", Correct);
    case("1921", "1922", Wrong);
    case("1921", "1912", Wrong);
    case("1921", "July 1922", Wrong);
    case("1921", "21", Wrong);
    case("1921", "Piatnitsky", Wrong);
    case("July 1921", "July 1921", Correct);
    case("July 1921", "jul 1921", Correct);
    case("July 1921", "1921-07", Correct);
    case("July 1921", "07/1921", Correct);
    case("July 1921", "1921", Partial);
    case("July 1921", "June 1921", Partial);
    case("July 1921", "July 1920", Wrong);
    case("1937-1939", "1937-1939", Correct);
    case("1937-1939", "1937–1939", Correct);
    case("1937-1939", "1937 to 1939", Correct);
    case("1937-1939", "from 1937 to 1939", Correct);
    case("1937-1939", "between 1937 and 1939", Correct);
    case("1937-1939", "1937-39", Correct);
    case("1937-1939", "1937", Partial);
    case("1937-1939", "1936-1939", Partial);
    case("1937-1939", "1936-1938", Wrong);
    case("1937-1939", "1938", Wrong);
    case("1921-1939", "1921–1939", Correct);
    case("1933 to 1938", "1933-1938", Correct);
    case("the 1920s", "1920s", Correct);
    case("the 1920s", "1925", Partial);
    case("the 1920s", "1930s", Wrong);
    case("August 11, 2008", "11 August 2008", Correct);
    case("August 11, 2008", "2008-08-11", Correct);
    case("August 11, 2008", "August 2008", Partial);
    case_accept("1935", &["1937"], "1937", Correct);
    case_accept("1935", &["1937"], "1936", Wrong);
}

#[test]
fn choices_by_letter_number_or_text() {
    use Verdict::{Close, Correct, Wrong};
    let shown = [
        "Mikhail Trilisser",
        "Osip Piatnitsky",
        "Henk Sneevliet",
        "Jacob Mirov-Abramov",
    ];
    let answer = "Osip Piatnitsky";
    case_choice(answer, &shown, "b", Correct);
    case_choice(answer, &shown, "B", Correct);
    case_choice(answer, &shown, "(b)", Correct);
    case_choice(answer, &shown, "B)", Correct);
    case_choice(answer, &shown, "2", Correct);
    // Number 0 and numbers past the end pick nothing (0 once overflowed `n - 1`).
    case_choice(answer, &shown, "0", Wrong);
    case_choice(answer, &shown, "99", Wrong);
    case_choice(answer, &shown, "Osip Piatnitsky", Correct);
    case_choice(answer, &shown, "osip piatnitsky", Correct);
    case_choice(answer, &shown, "Piatnitsky", Correct);
    case_choice(answer, &shown, "Pyatnitsky", Close);
    case_choice(answer, &shown, "a", Wrong);
    case_choice(answer, &shown, "1", Wrong);
    case_choice(answer, &shown, "Trilisser", Wrong);
    case_choice(answer, &shown, "e", Wrong);
    case_choice(answer, &shown, "5", Wrong);
    case_choice(answer, &shown, "Kippenberger", Wrong);
    case_choice(answer, &shown, "", Wrong);
    let years = ["1919", "1921", "1923", "1925"];
    case_choice("1921", &years, "1921", Correct);
    case_choice("1921", &years, "b", Correct);
    case_choice("1921", &years, "2", Correct);
    case_choice("1921", &years, "1923", Wrong);
    case_choice("1921", &years, "1922", Wrong);
}

#[test]
fn choice_explanations_name_the_letters() {
    let shown: Vec<String> = ["Trilisser", "Piatnitsky"].map(String::from).to_vec();
    let c = card(Kind::Choice, "Piatnitsky", &[], &[]);
    assert_eq!(
        GRADER.grade(&c, &shown, "a").explanation,
        "wrong: you chose A (Trilisser); the answer is B (Piatnitsky)"
    );
    assert_eq!(
        GRADER.grade(&c, &shown, "b").explanation,
        "correct: B (Piatnitsky)"
    );
    let own_order = card(
        Kind::Choice,
        "Piatnitsky",
        &[],
        &["Piatnitsky", "Trilisser"],
    );
    assert_eq!(
        GRADER.grade(&own_order, &[], "a").explanation,
        "correct: A (Piatnitsky)"
    );
}

#[test]
fn true_false_answers() {
    for (expected, typed, verdict) in [
        (true, "t", Verdict::Correct),
        (true, "T", Verdict::Correct),
        (true, "true", Verdict::Correct),
        (true, "Yes", Verdict::Correct),
        (true, "y", Verdict::Correct),
        (true, "f", Verdict::Wrong),
        (true, "no", Verdict::Wrong),
        (false, "false", Verdict::Correct),
        (false, "n", Verdict::Correct),
        (false, "No.", Verdict::Correct),
        (false, "yes", Verdict::Wrong),
        (false, "maybe", Verdict::Wrong),
        (false, "", Verdict::Wrong),
    ] {
        check(&grade_true_false(expected, typed), typed, verdict);
    }
}

#[test]
fn grade_year_for_future_year_cards() {
    for (typed, verdict) in [
        ("1921", Verdict::Correct),
        ("July 1921", Verdict::Correct),
        ("1921-07", Verdict::Correct),
        ("7/1921", Verdict::Correct),
        ("1920", Verdict::Wrong),
        ("", Verdict::Wrong),
        ("nineteen twenty-one", Verdict::Wrong),
    ] {
        check(&grade_year(1921, typed), typed, verdict);
    }
}

#[test]
fn empty_answers_are_wrong_with_no_answer() {
    for typed in ["", "   ", "\n", "?!", "\u{0}"] {
        let grade = GRADER.grade(&card(Kind::Recall, "Osip Piatnitsky", &[], &[]), &[], typed);
        check(&grade, typed, Verdict::Wrong);
        assert!(
            grade.explanation.starts_with("wrong: no answer"),
            "{typed:?}"
        );
    }
}

#[test]
fn explanations_say_what_happened() {
    explains(
        "Osip Piatnitsky",
        "Pyatnitsky",
        "accepted: Osip Piatnitsky — you wrote Pyatnitsky, a spelling variant",
    );
    explains(
        "Osip Piatnitsky",
        "Piatnitksy",
        "accepted: Osip Piatnitsky — you wrote Piatnitksy, a typo (1 letter off)",
    );
    explains(
        "Osip Piatnitsky",
        "Trilisser",
        "wrong: Trilisser is another person in this deck; the answer is Osip Piatnitsky",
    );
    explains(
        "Osip Piatnitsky",
        "Moskvin",
        "wrong: Moskvin is Mikhail Trilisser, another person in this deck; the answer is Osip Piatnitsky",
    );
    explains(
        "Mikhail Trilisser",
        "Moskvin",
        "correct: Moskvin, another name for Mikhail Trilisser",
    );
    explains(
        "Osip Piatnitsky",
        "Lenin",
        "wrong: the answer is Osip Piatnitsky",
    );
    explains(
        "Otto Wille Kuusinen",
        "Kuusinen",
        "partly right: Otto Wille Kuusinen — Kuusinen alone could also be Aino Kuusinen",
    );
    explains("1921", "1922", "wrong: the answer is 1921, you wrote 1922");
    explains(
        "1937-1939",
        "1937",
        "partly right: 1937–1939 — that is only one end of the span",
    );
}

#[test]
fn explanations_escape_control_characters_and_cut_long_text() {
    let grade = GRADER.grade(
        &card(Kind::Recall, "Berlin", &[], &[]),
        &[],
        "Berlinn\u{1b}[31m",
    );
    assert!(
        !grade.explanation.contains('\u{1b}'),
        "{}",
        grade.explanation
    );
    let long = "Trilisser ".repeat(100);
    let grade = GRADER.grade(
        &card(Kind::Recall, "Mikhail Trilisser", &[], &[]),
        &[],
        &long,
    );
    assert!(
        grade.explanation.chars().count() < 200,
        "{}",
        grade.explanation
    );
}

#[test]
fn suggested_rating_follows_the_verdict() {
    let rating = |verdict| Grade::new(verdict, 0.5, String::new()).suggested_rating();
    assert_eq!(rating(Verdict::Wrong), Rating::Again);
    assert_eq!(rating(Verdict::Partial), Rating::Hard);
    assert_eq!(rating(Verdict::Close), Rating::Hard);
    assert_eq!(rating(Verdict::Correct), Rating::Good);
}

#[test]
fn from_cards_knows_every_answer_and_choice() {
    let cards = [
        card(Kind::Recall, "Osip Piatnitsky", &[], &[]),
        card(
            Kind::Choice,
            "Henk Sneevliet",
            &[],
            &["Henk Sneevliet", "Mikhail Trilisser"],
        ),
        card(Kind::Recall, "1921", &[], &[]),
    ];
    let g = Grader::from_cards(&cards, GradeOptions::default());
    assert_eq!(g.known_names(), 3, "years are not names");
    let grade = g.grade(&cards[0], &[], "Trilisser");
    assert_eq!(
        grade.explanation,
        "wrong: Trilisser is another person in this deck; the answer is Osip Piatnitsky"
    );
}

#[test]
fn huge_input_is_graded_quickly_and_wrong() {
    let huge = "Пятницкий ".repeat(50_000) + &"\u{0}".repeat(10_000);
    let c = card(Kind::Recall, "Osip Piatnitsky", &[], &[]);
    check(&GRADER.grade(&c, &[], &huge), "huge", Verdict::Wrong);
    check(&grade_year(1921, &huge), "huge", Verdict::Wrong);
    check(&grade_ordering(&[0, 1], &huge, 2), "huge", Verdict::Wrong);
}

fn any_card() -> impl Strategy<Value = Card> {
    prop_oneof![
        Just(card(Kind::Recall, "Osip Piatnitsky", &[], &[])),
        Just(card(Kind::Recall, "1937-1939", &[], &[])),
        Just(card(Kind::Recall, "July 1921", &["1921"], &[])),
        Just(card(Kind::Recall, "Third Congress", &[], &[])),
        Just(card(
            Kind::Choice,
            "Osip Piatnitsky",
            &[],
            &["Osip Piatnitsky", "Mikhail Trilisser"],
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_exact_answer_is_always_correct(answer in "\\PC{1,40}", choice in any::<bool>()) {
        prop_assume!(!normalize(&answer).is_empty());
        let (c, shown) = if choice {
            let shown = vec!["Decoy".to_owned(), answer.clone()];
            (card(Kind::Choice, &answer, &[], &[]), shown)
        } else {
            (card(Kind::Recall, &answer, &[], &[]), Vec::new())
        };
        let grade = GRADER.grade(&c, &shown, &answer);
        prop_assert_eq!(grade.verdict, Verdict::Correct, "{}", grade.explanation);
        prop_assert!((grade.score - 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn the_exact_oms_answer_is_correct_in_any_case(i in 0..OMS_ENTITIES.len(), upper in any::<bool>()) {
        let answer = OMS_ENTITIES[i];
        let typed = if upper { answer.to_uppercase() } else { answer.to_lowercase() };
        let grade = GRADER.grade(&card(Kind::Recall, answer, &[], &[]), &[], &typed);
        prop_assert_eq!(grade.verdict, Verdict::Correct, "{}", grade.explanation);
    }

    #[test]
    fn normalisation_is_idempotent(text in any::<String>()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(once.is_ascii());
    }

    #[test]
    fn normalisation_of_words_is_idempotent(text in "((the|a|an|twenty|first|3rd|&|-|Пятницкий|Ö|x) ?){0,8}") {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn grading_never_panics_and_scores_stay_in_range(
        c in any_card(),
        typed in prop_oneof![any::<String>(), "\\PC{0,20}", "[\\x00-\\x1f0-9/ -]{0,30}"],
        repeat in 1usize..200,
    ) {
        let typed = typed.repeat(repeat);
        let shown = c.choices.clone();
        for grade in [
            GRADER.grade(&c, &shown, &typed),
            grade_year(1921, &typed),
            grade_true_false(true, &typed),
            grade_ordering(&[2, 0, 1], &typed, 3),
        ] {
            prop_assert!((0.0..=1.0).contains(&grade.score));
            prop_assert!(!grade.explanation.is_empty());
            prop_assert_eq!(grade.verdict == Verdict::Correct, grade.score >= 1.0);
        }
    }

    #[test]
    fn arbitrary_answers_never_panic(answer in any::<String>(), typed in any::<String>()) {
        let grade = GRADER.grade(&card(Kind::Recall, &answer, &[], &[]), &[], &typed);
        prop_assert!((0.0..=1.0).contains(&grade.score));
    }
}

#[test]
fn a_grader_indexed_in_the_background_grades_as_one_indexed_at_once() {
    let cards: Vec<Card> = OMS_ENTITIES
        .iter()
        .map(|name| card(Kind::Recall, name, &[], &[]))
        .chain([card(
            Kind::Choice,
            "Osip Piatnitsky",
            &[],
            &["Osip Piatnitsky", "Mikhail Trilisser", "Henk Sneevliet"],
        )])
        .collect();
    let now = Grader::from_cards(&cards, GradeOptions::default());
    let later = Grader::in_background(cards.clone(), GradeOptions::default());
    let typed = [
        "Osip Piatnitsky",
        "Piatnitsky",
        "Osip Pyatnitsky",
        "Mikhail Trilisser",
        "Trilliser",
        "Kim Philby",
        "nobody at all",
        "2",
    ];
    for card in &cards {
        for answer in typed {
            assert_eq!(
                later.grade(card, &[], answer),
                now.grade(card, &[], answer),
                "{answer:?} for {}",
                card.answer
            );
        }
    }
    assert_eq!(later.known_names(), now.known_names());
    assert!(now.known_names() > OMS_ENTITIES.len() / 2);
}

/// The entity a wrong answer was confused with, `None` if it names nothing known.
#[track_caller]
fn confused(c: &Card, shown: &[&str], typed: &str, expected: Option<&str>) {
    let shown: Vec<String> = shown.iter().map(|s| (*s).to_owned()).collect();
    let grade = GRADER.grade(c, &shown, typed);
    assert_eq!(
        grade.confused_with.as_deref(),
        expected,
        "typed {typed:?}: {}",
        grade.explanation
    );
}

#[test]
fn a_wrong_answer_that_is_another_known_entity_is_a_confusion() {
    let burde = card(Kind::Recall, "Fritz Burde", &[], &[]);
    // Typed exactly, by surname, or by an alias: the principal name is recorded.
    confused(&burde, &[], "Hans Kippenberger", Some("Hans Kippenberger"));
    confused(&burde, &[], "Kippenberger", Some("Hans Kippenberger"));
    confused(&burde, &[], "Alfred Langer", Some("Hans Kippenberger"));
    // A typo nearer another person than the answer.
    confused(&burde, &[], "Kipenberger", Some("Hans Kippenberger"));
    // Not a confusion: right, close, unknown words, nothing typed.
    confused(&burde, &[], "Fritz Burde", None);
    confused(&burde, &[], "Burdee", None);
    confused(&burde, &[], "Napoleon", None);
    confused(&burde, &[], "", None);
    let city = card(Kind::Recall, "Beijing", &[], &[]);
    confused(&city, &[], "Shanghai", Some("Shanghai"));
}

#[test]
fn a_wrong_choice_is_a_confusion_only_when_it_names_a_known_entity() {
    let shown = ["Fritz Burde", "Hans Kippenberger", "Leo Flieg"];
    let c = card(Kind::Choice, "Fritz Burde", &[], &shown);
    confused(&c, &shown, "b", Some("Hans Kippenberger"));
    confused(&c, &shown, "Leo Flieg", Some("Leo Flieg"));
    confused(&c, &shown, "a", None);
    // Years are not entities.
    let years = ["1922", "1923", "1924"];
    let y = card(Kind::Choice, "1924", &[], &years);
    confused(&y, &years, "a", None);
    // A true/false or a year question has no entity to confuse.
    let tf = card(Kind::TrueFalse, "true", &[], &[]);
    confused(&tf, &[], "false", None);
    let year = card(Kind::Year, "1921", &[], &[]);
    confused(&year, &[], "1925", None);
}

#[test]
fn the_card_answering_a_confused_entity_is_found_in_another_fact() {
    let mut own = card(Kind::Recall, "Fritz Burde", &[], &[]);
    own.id = Id::parse("burde-head").unwrap();
    let mut sibling = card(Kind::Choice, "Hans Kippenberger", &[], &[]);
    sibling.id = Id::parse("kip-choice").unwrap();
    let mut recall = card(Kind::Recall, "Hans Kippenberger", &["Kippenberger"], &[]);
    recall.id = Id::parse("kip-recall").unwrap();
    let mut sourced = card(Kind::Recall, "Kippenberger", &[], &[]);
    sourced.id = Id::parse("kip-sourced").unwrap();
    sourced.source = Some("Kippenberger headed the German branch before Burde.".into());
    let grader = Grader::from_cards(
        &[own.clone(), sibling.clone(), recall.clone()],
        GradeOptions::default(),
    );
    // A typed question of another fact is preferred to a choice card.
    let found = grader.card_answering("Hans Kippenberger", own.sibling());
    assert_eq!(found.map(|c| c.id.as_str()), Some("kip-recall"));
    // The missed card's own fact is never the answer.
    assert!(
        grader
            .card_answering("Fritz Burde", own.sibling())
            .is_none()
    );
    // A card with a source sentence comes first; names match by their normal form.
    let grader = Grader::from_cards(&[own.clone(), recall, sourced], GradeOptions::default());
    let found = grader.card_answering("kippenberger", own.sibling());
    assert_eq!(found.map(|c| c.id.as_str()), Some("kip-sourced"));
    assert!(grader.card_answering("Leo Flieg", own.sibling()).is_none());
}
