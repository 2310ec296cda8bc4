//! Fuzz target: the grader on an arbitrary card answer, choices and typed text. It must never
//! panic, scores stay in 0..=1, and the exact answer is always right.

#![no_main]

use factdrill::deck::{Card, Id, Kind};
use factdrill::grade::{GradeOptions, Grader, Verdict};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Fields separated by the unit separator: answer, typed, then choices.
    let mut parts = text.split('\u{1f}');
    let answer = parts.next().unwrap_or_default().trim().to_owned();
    let typed = parts.next().unwrap_or_default().to_owned();
    let mut choices: Vec<String> = parts.map(str::to_owned).collect();
    // The deck loader refuses answers that fold to nothing (nothing to type).
    if factdrill::grade::normalize(&answer).is_empty() {
        return;
    }
    let kind = if choices.len() >= 2 {
        if !choices.contains(&answer) {
            choices.push(answer.clone());
        }
        Kind::Choice
    } else {
        choices.clear();
        Kind::Recall
    };
    let card = Card {
        id: Id::parse("fuzz").expect("a valid id"),
        kind,
        prompt: "?".to_owned(),
        answer: answer.clone(),
        accept: Vec::new(),
        choices: choices.clone(),
        explanation: None,
        source: None,
        tags: Vec::new(),
        line: 1,
        generated: None,
    };
    let grader = Grader::from_cards(std::slice::from_ref(&card), GradeOptions::default());
    let grade = grader.grade(&card, &choices, &typed);
    assert!((0.0..=1.0).contains(&grade.score));
    let exact = grader.grade(&card, &choices, &answer);
    assert_eq!(exact.verdict, Verdict::Correct, "{answer:?}");
});
