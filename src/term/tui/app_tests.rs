//! The study loop driven by scripted keys, with a fake journal: no terminal, pinned clock.

use std::cell::RefCell;
use std::rc::Rc;

use crossterm::event::{KeyCode, KeyModifiers};

use super::*;
use crate::deck::Id;
use crate::grade::{GradeOptions, Grader};
use crate::schedule::{CardState, Fsrs};
use crate::session::{DeckPlan, Plan, Review, StudyCard};
use crate::store::StoreError;

const NOW: &str = "2026-01-10T09:00:00Z";

fn card(id: &str, kind: Kind, answer: &str, choices: &[&str]) -> Card {
    Card {
        id: Id::parse(id).unwrap(),
        kind,
        prompt: format!("question {id}?"),
        answer: answer.into(),
        accept: vec![],
        choices: choices.iter().map(|s| (*s).to_owned()).collect(),
        explanation: None,
        source: Some(format!("the source of {id}")),
        tags: vec![],
        generated: None,
        line: 1,
    }
}

fn session(cards: Vec<Card>) -> Session {
    session_grading_by(cards, Grader::from_cards(&[], GradeOptions::default()))
}

fn session_grading_by(cards: Vec<Card>, grader: Grader) -> Session {
    let cards: Vec<StudyCard> = cards
        .into_iter()
        .enumerate()
        .map(|(i, card)| StudyCard {
            handle: i as i64,
            deck: 0,
            card,
            state: CardState::new_card(),
            flag: None,
            note: None,
        })
        .collect();
    let plan = Plan {
        decks: vec![DeckPlan {
            id: "deck".into(),
            name: "Deck".into(),
            new_per_day: 20,
            reviews_per_day: 200,
            reviewed_today: 0,
            introduced_today: 0,
            strict: false,
            leech_threshold: crate::mark::DEFAULT_LEECH_THRESHOLD,
        }],
        cards,
        now: NOW.parse().unwrap(),
        day_start: "2026-01-10T04:00:00Z".parse().unwrap(),
        day_end: "2026-01-11T04:00:00Z".parse().unwrap(),
        seed: 7,
        options: crate::session::Options::default(),
    };
    Session::new(plan, vec![Box::new(Fsrs::default())], grader)
}

/// Records what the loop asks of the store and the actions.
#[derive(Default)]
struct Front {
    reviews: Rc<RefCell<Vec<Review>>>,
    /// Handles another session answered meanwhile.
    gone: Vec<i64>,
    calls: Vec<&'static str>,
}

impl Journal for Front {
    fn record(&mut self, review: &Review) -> Result<(), StoreError> {
        self.reviews.borrow_mut().push(review.clone());
        Ok(())
    }

    fn still_due(&mut self, handle: i64, _: &CardState) -> Result<bool, StoreError> {
        Ok(!self.gone.contains(&handle))
    }

    fn undo(&mut self, _: &crate::session::UndoneReview) -> Result<(), StoreError> {
        self.calls.push("journal undo");
        Ok(())
    }

    fn mark(&mut self, _: &crate::session::Marking) -> Result<(), StoreError> {
        self.calls.push("journal mark");
        Ok(())
    }
}

impl Actions for Front {
    fn undo(&mut self, _: &mut Session, _: Timestamp) -> Result<Outcome, Error> {
        self.calls.push("undo");
        Ok(Outcome::Refused("Nothing to undo.".into()))
    }

    /// Takes a question off the screen, as the real one will.
    fn suspend(&mut self, session: &mut Session, _: Timestamp) -> Result<Outcome, Error> {
        self.calls.push("suspend");
        session.skip().map_err(session_error)?;
        Ok(Outcome::Done("Suspended.".into()))
    }

    fn bury(&mut self, _: &mut Session, _: Timestamp) -> Result<Outcome, Error> {
        self.calls.push("bury");
        Ok(Outcome::Refused("Nothing to bury.".into()))
    }

    fn flag(&mut self, _: &mut Session, _: Timestamp) -> Result<Outcome, Error> {
        self.calls.push("flag");
        Ok(Outcome::Done("Flagged.".into()))
    }
}

fn key(code: KeyCode) -> Signal {
    Signal::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(text: &str) -> Vec<Signal> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

fn enter() -> Signal {
    key(KeyCode::Enter)
}

fn ctrl_c() -> Signal {
    Signal::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

/// Runs the loop on `script` (then the terminal "closes"), returning the summary and every
/// screen drawn, each with the number of reviews committed when it was drawn.
fn drive(
    s: &mut Session,
    front: &mut Front,
    script: Vec<Signal>,
) -> (Summary, Vec<(Screen, usize)>) {
    let clock = Clock::Fixed(NOW.parse().unwrap());
    let reviews = Rc::clone(&front.reviews);
    let mut script = script.into_iter();
    let mut screens = Vec::new();
    let summary = run(
        s,
        &clock,
        front,
        || Ok(script.next().unwrap_or(Signal::Closed)),
        |screen| {
            screens.push((screen.clone(), reviews.borrow().len()));
            Ok(())
        },
    )
    .unwrap();
    (summary, screens)
}

fn prompt_of(screen: &Screen) -> &str {
    match &screen.body {
        Body::Asking { question, .. } | Body::Answered { question, .. } => &question.prompt,
    }
}

fn recall_pair() -> Session {
    session(vec![
        card("one", Kind::Recall, "Berlin", &[]),
        card("two", Kind::Recall, "Moscow", &[]),
    ])
}

#[test]
fn each_answer_is_committed_before_the_next_question() {
    let mut s = recall_pair();
    let mut front = Front::default();
    let mut script = typed("Berlin");
    script.extend([enter(), enter()]);
    script.extend(typed("Moscow"));
    script.extend([enter(), key(KeyCode::Char('4'))]);
    let (summary, screens) = drive(&mut s, &mut front, script);
    let reviews = front.reviews.borrow();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0].rating, Rating::Good, "Enter took the suggestion");
    assert_eq!(reviews[0].answer, "Berlin");
    assert_eq!(reviews[1].rating, Rating::Easy);
    for (screen, committed) in &screens {
        if prompt_of(screen) == "question two?" {
            assert_eq!(
                *committed, 1,
                "the first answer was recorded before the second question"
            );
        }
    }
    assert_eq!(summary.answered, 2);
    // `one` rated Good comes back (learning step) and the session goes on until input ends.
    assert_eq!(summary.left, 1);
}

#[test]
fn typed_text_and_edits_reach_the_grader() {
    let mut s = recall_pair();
    let mut front = Front::default();
    let mut script = typed("Bxerlin");
    script.extend([
        key(KeyCode::Home),
        key(KeyCode::Right),
        key(KeyCode::Delete),
    ]);
    script.push(enter());
    let (_, screens) = drive(&mut s, &mut front, script);
    let last = &screens.last().unwrap().0;
    let Body::Answered { feedback, .. } = &last.body else {
        panic!("answered: {last:?}");
    };
    assert_eq!(feedback.typed, "Berlin");
    assert_eq!(feedback.verdict, Verdict::Correct);
    assert_eq!(feedback.source.as_deref(), Some("the source of one"));
    // The terminal closed on the answer screen: the answer was still recorded.
    assert_eq!(front.reviews.borrow().len(), 1);
}

#[test]
fn quitting_on_the_answer_screen_records_the_suggested_rating() {
    let mut s = recall_pair();
    let mut front = Front::default();
    let mut script = typed("Paris");
    script.extend([enter(), key(KeyCode::Char('q'))]);
    let (summary, _) = drive(&mut s, &mut front, script);
    let reviews = front.reviews.borrow();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].rating, Rating::Again, "wrong: Again suggested");
    assert_eq!(summary.answered, 1);
}

#[test]
fn q_while_typing_is_a_letter_and_ctrl_c_quits_without_recording() {
    let mut s = recall_pair();
    let mut front = Front::default();
    let mut script = typed("q");
    script.push(ctrl_c());
    // Never reached: Ctrl-C ended the session.
    script.extend([enter(), enter()]);
    let (summary, screens) = drive(&mut s, &mut front, script);
    let Body::Asking { input, .. } = &screens.last().unwrap().0.body else {
        panic!("asking");
    };
    assert_eq!(input.text, "q");
    assert!(front.reviews.borrow().is_empty());
    assert_eq!((summary.answered, summary.left), (0, 2));
}

#[test]
fn choice_letters_answer_at_once() {
    let mut s = session(vec![card(
        "pick",
        Kind::Choice,
        "Berlin",
        &["Berlin", "Moscow", "Vienna"],
    )]);
    let first = s.prompt().unwrap().choices.to_vec();
    let right = letter(first.iter().position(|c| c == "Berlin").unwrap());
    let wrong = letter(first.iter().position(|c| c == "Vienna").unwrap());
    let mut front = Front::default();
    let (_, screens) = drive(
        &mut s,
        &mut front,
        vec![key(KeyCode::Char(wrong)), key(KeyCode::Char('1'))],
    );
    let first_screen = &screens[0].0;
    assert!(
        first_screen
            .keys
            .iter()
            .any(|k| k.key == "a-c" && k.label == "choose")
    );
    assert!(
        !first_screen.keys.iter().any(|k| k.label == "bury"),
        "b picks a choice here"
    );
    let Body::Answered { question, feedback } = &screens[1].0.body else {
        panic!("answered");
    };
    assert_eq!(feedback.verdict, Verdict::Wrong);
    let mark = |l: char| {
        question
            .choices
            .iter()
            .find(|c| c.letter == l)
            .unwrap()
            .mark
    };
    assert_eq!(mark(right), Mark::Correct);
    assert_eq!(mark(wrong), Mark::Picked);
    assert_eq!(front.reviews.borrow()[0].rating, Rating::Again);
}

#[test]
fn actions_go_to_the_front_end_and_say_what_happened() {
    let mut s = recall_pair();
    let mut front = Front::default();
    let mut script = typed("Ber");
    // Esc: single keys are commands. Flag keeps the question and what is typed.
    script.extend([key(KeyCode::Esc), key(KeyCode::Char('f'))]);
    // Undo is refused (a warning), and the text is still there.
    script.push(key(KeyCode::Char('u')));
    // Suspend takes the question away: the next one comes, with an empty line.
    script.push(key(KeyCode::Char('s')));
    let (_, screens) = drive(&mut s, &mut front, script);
    assert_eq!(front.calls, ["flag", "undo", "suspend"]);
    let texts: Vec<(String, Option<Status>)> = screens
        .iter()
        .map(|(screen, _)| {
            let Body::Asking { input, .. } = &screen.body else {
                panic!("asking");
            };
            (input.text.clone(), screen.status.clone())
        })
        .collect();
    let n = texts.len();
    assert_eq!(
        texts[n - 3],
        (
            "Ber".into(),
            Some(Status {
                text: "Flagged.".into(),
                warn: false
            })
        )
    );
    assert_eq!(
        texts[n - 2],
        (
            "Ber".into(),
            Some(Status {
                text: "Nothing to undo.".into(),
                warn: true
            })
        )
    );
    assert_eq!(
        texts[n - 1],
        (
            String::new(),
            Some(Status {
                text: "Suspended.".into(),
                warn: false
            })
        )
    );
    assert_eq!(prompt_of(&screens[n - 1].0), "question two?");
}

#[test]
fn a_card_answered_elsewhere_is_skipped_with_a_note() {
    let mut s = recall_pair();
    let mut front = Front {
        gone: vec![0],
        ..Front::default()
    };
    let (summary, screens) = drive(&mut s, &mut front, vec![]);
    let first = &screens[0].0;
    assert_eq!(prompt_of(first), "question two?");
    assert!(
        first
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Skipped `one`")
    );
    assert_eq!((summary.answered, summary.left), (0, 1));
}

#[test]
fn help_and_explain_open_and_close() {
    let mut s = recall_pair();
    let mut front = Front::default();
    let mut script = vec![key(KeyCode::Char('?')), key(KeyCode::Esc)];
    script.extend(typed("Berlin"));
    script.extend([enter(), key(KeyCode::Char('e')), key(KeyCode::Esc)]);
    let (_, screens) = drive(&mut s, &mut front, script);
    let overlays: Vec<Option<&Overlay>> = screens.iter().map(|(s, _)| s.overlay.as_ref()).collect();
    assert_eq!(overlays[1], Some(&Overlay::Help));
    assert_eq!(overlays[2], None);
    let explained = screens
        .iter()
        .find_map(|(s, _)| match &s.overlay {
            Some(Overlay::Explain(rows)) => Some(rows.clone()),
            _ => None,
        })
        .expect("an explain view");
    assert!(explained.contains(&("Source".to_owned(), "the source of one".to_owned())));
    assert_eq!(screens.last().unwrap().0.overlay, None);
}

#[test]
fn explain_before_answering_gives_nothing_away() {
    let mut s = recall_pair();
    let mut front = Front::default();
    let script = vec![key(KeyCode::Esc), key(KeyCode::Char('e'))];
    let (_, screens) = drive(&mut s, &mut front, script);
    let last = &screens.last().unwrap().0;
    assert_eq!(last.overlay, None);
    assert!(
        last.status
            .as_ref()
            .unwrap()
            .text
            .contains("once you have answered")
    );
}

#[test]
fn nothing_left_ends_the_loop_without_drawing() {
    let mut s = session(vec![]);
    let mut front = Front::default();
    let (summary, screens) = drive(&mut s, &mut front, vec![enter()]);
    assert!(screens.is_empty());
    assert_eq!(summary.answered, 0);
}

#[test]
fn a_confused_answer_shows_the_other_fact_among_the_details() {
    let cards = vec![
        card("one", Kind::Recall, "Berlin", &[]),
        card("two", Kind::Recall, "Moscow", &[]),
    ];
    let grader = Grader::from_cards(&cards, GradeOptions::default());
    let mut s = session_grading_by(cards, grader);
    let mut front = Front::default();
    let mut script = typed("Moscow");
    script.push(enter());
    let (_, screens) = drive(&mut s, &mut front, script);
    let last = &screens.last().unwrap().0;
    let Body::Answered { feedback, .. } = &last.body else {
        panic!("answered: {last:?}");
    };
    assert_eq!(feedback.verdict, Verdict::Wrong);
    assert_eq!(
        feedback.details.first().map(String::as_str),
        Some("You answered Moscow: the source of two")
    );
    let reviews = front.reviews.borrow();
    let confusion = reviews[0].confusion.as_ref().expect("recorded");
    assert_eq!(
        (confusion.given.as_str(), confusion.expected.as_str()),
        ("Moscow", "Berlin")
    );
}
