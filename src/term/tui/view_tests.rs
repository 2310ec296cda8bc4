//! Rendered screens, snapshot-tested on ratatui's test backend.

use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};

use super::*;

const LOOK: Look = Look {
    color: false,
    unicode: true,
};

fn draw(screen: &Screen, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(screen, LOOK, frame)).unwrap();
    terminal
}

fn text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

fn hint(key: &'static str, label: &'static str) -> KeyHint {
    KeyHint { key, label }
}

fn question(prompt: &str, choices: &[&str]) -> Question {
    Question {
        prompt: prompt.to_owned(),
        is_new: true,
        hint: None,
        choices: choices
            .iter()
            .enumerate()
            .map(|(i, c)| Choice {
                letter: crate::session::letter(i),
                text: (*c).to_owned(),
                mark: Mark::Plain,
            })
            .collect(),
    }
}

fn screen(body: Body) -> Screen {
    Screen {
        deck: "OMS".to_owned(),
        answered: 3,
        total: 12,
        elapsed_secs: 95,
        body,
        status: None,
        keys: vec![
            hint("Enter", "answer"),
            hint("Esc", "keys"),
            hint("F1", "help"),
            hint("Ctrl-C", "quit"),
        ],
        overlay: None,
    }
}

fn asking(question: Question, typed: &str, cursor: usize) -> Body {
    Body::Asking {
        question,
        input: InputView {
            text: typed.to_owned(),
            cursor,
        },
        typing: true,
    }
}

fn answered(question: Question, verdict: Verdict, message: &str) -> Body {
    Body::Answered {
        question,
        feedback: FeedbackView {
            typed: "Berlim".to_owned(),
            verdict,
            message: message.to_owned(),
            details: vec!["The OMS reported to the Comintern's executive.".to_owned()],
            source: Some("The OMS's international headquarters resided in Berlin.".to_owned()),
            ratings: [
                (Rating::Again, "1m"),
                (Rating::Hard, "6m"),
                (Rating::Good, "10m"),
                (Rating::Easy, "6d"),
            ]
            .into_iter()
            .map(|(rating, i)| RatingOption {
                rating,
                interval: i.to_owned(),
            })
            .collect(),
            suggested: if verdict == Verdict::Wrong {
                Rating::Again
            } else {
                Rating::Good
            },
        },
    }
}

#[test]
fn question_with_choices() {
    let q = question(
        "Who was the first head of the OMS?",
        &["Henk Sneevliet", "Mikhail Trilisser", "Osip Piatnitsky"],
    );
    let mut s = screen(Body::Asking {
        question: q,
        input: InputView {
            text: String::new(),
            cursor: 0,
        },
        typing: false,
    });
    s.keys = vec![
        hint("a-c", "choose"),
        hint("u", "undo"),
        hint("s", "suspend"),
        hint("?", "help"),
        hint("q", "quit"),
    ];
    let mut t = draw(&s, 60, 14);
    insta::assert_snapshot!(text(&t));
    // Not typing: no cursor on the answer line.
    assert!(!t.backend_mut().cursor_visible());
}

#[test]
fn typed_input_with_the_cursor_inside() {
    let s = screen(asking(
        question("Where was the OMS international headquarters?", &[]),
        "Berlni",
        4,
    ));
    let mut t = draw(&s, 60, 12);
    insta::assert_snapshot!(text(&t));
    let label = "answer> ".len() as u16;
    t.backend_mut().assert_cursor_position((label + 4, 9));
}

#[test]
fn long_input_scrolls_to_keep_the_cursor_in_view() {
    let long = "Otdel Mezhdunarodnoi Svyazi of the Communist International";
    let s = screen(asking(
        question("Expand OMS.", &[]),
        long,
        long.chars().count(),
    ));
    let mut t = draw(&s, 40, 10);
    let shown = text(&t);
    assert!(shown.contains("answer> "), "{shown}");
    assert!(
        shown.contains("International"),
        "the end is in view: {shown}"
    );
    assert!(!shown.contains("Otdel"), "the start scrolled away: {shown}");
    let pos = t.backend_mut().get_cursor_position().unwrap();
    assert!(pos.x < 40, "cursor inside the screen: {pos:?}");
    // With the cursor at the start, the start is in view.
    let s = screen(asking(question("Expand OMS.", &[]), long, 0));
    assert!(text(&draw(&s, 40, 10)).contains("answer> Otdel"));
}

#[test]
fn feedback_wrong_with_source() {
    let mut s = screen(answered(
        question("Where was the OMS international headquarters?", &[]),
        Verdict::Wrong,
        "the answer is Berlin",
    ));
    s.keys = vec![
        hint("1-4", "rate"),
        hint("Enter", "accept"),
        hint("e", "explain"),
        hint("q", "quit"),
    ];
    insta::assert_snapshot!(text(&draw(&s, 72, 16)));
}

#[test]
fn feedback_correct_marks_the_right_choice() {
    let mut q = question(
        "Who was the first head of the OMS?",
        &["Henk Sneevliet", "Mikhail Trilisser", "Osip Piatnitsky"],
    );
    q.choices[2].mark = Mark::Correct;
    q.choices[0].mark = Mark::Picked;
    let mut body = answered(q, Verdict::Correct, "c (Osip Piatnitsky)");
    if let Body::Answered { feedback, .. } = &mut body {
        feedback.typed = "c".to_owned();
        feedback.details.clear();
        feedback.source = None;
    }
    let mut s = screen(body);
    s.status = Some(Status {
        text: "Undone: your last answer to `hq` is deleted.".to_owned(),
        warn: true,
    });
    insta::assert_snapshot!(text(&draw(&s, 60, 16)));
}

#[test]
fn help_overlay() {
    let mut s = screen(asking(question("Expand OMS.", &[]), "", 0));
    s.overlay = Some(Overlay::Help);
    insta::assert_snapshot!(text(&draw(&s, 80, 24)));
}

#[test]
fn explain_overlay() {
    let mut s = screen(answered(question("Expand OMS.", &[]), Verdict::Close, "x"));
    s.overlay = Some(Overlay::Explain(vec![
        ("Card".to_owned(), "oms-name in deck OMS".to_owned()),
        ("Source".to_owned(), "A sentence long enough to wrap inside the box of the explain view, which is narrower than the screen.".to_owned()),
    ]));
    insta::assert_snapshot!(text(&draw(&s, 60, 16)));
}

#[test]
fn small_terminal_says_so() {
    let s = screen(asking(question("Expand OMS.", &[]), "", 0));
    insta::assert_snapshot!(text(&draw(&s, 30, 6)));
    // Degenerate sizes draw without panicking.
    for (w, h) in [(0, 0), (1, 1), (MIN_WIDTH, MIN_HEIGHT), (200, 3), (3, 200)] {
        draw(&s, w, h);
    }
}

#[test]
fn long_text_wraps() {
    let prompt = "In what year did the Comintern's International Liaison Department, \
                  which ran couriers, money and codes for the foreign parties, move its \
                  headquarters from Berlin to Moscow?";
    let mut body = answered(
        question(prompt, &[]),
        Verdict::Partial,
        "the year is right, the month is not",
    );
    if let Body::Answered { feedback, .. } = &mut body {
        feedback.source = Some(
            "After the Nazi seizure of power in 1933 the OMS moved its West European bureau \
             first to Copenhagen and then, as the police closed in, to Moscow itself."
                .to_owned(),
        );
    }
    let mut s = screen(body);
    s.keys = (0..9).map(|_| hint("Enter", "accept")).collect();
    insta::assert_snapshot!(text(&draw(&s, 44, 20)));
}

#[test]
fn ascii_look_draws_no_box_characters() {
    let mut s = screen(asking(question("Expand OMS.", &[]), "", 0));
    s.overlay = Some(Overlay::Help);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let look = Look {
        color: false,
        unicode: false,
    };
    t.draw(|frame| render(&s, look, frame)).unwrap();
    let shown = text(&t);
    assert!(shown.is_ascii(), "{shown}");
}

#[test]
fn colour_only_when_allowed() {
    let s = screen(answered(
        question("Q?", &[]),
        Verdict::Wrong,
        "the answer is Berlin",
    ));
    let colours = |look: Look| {
        let mut t = Terminal::new(TestBackend::new(60, 14)).unwrap();
        t.draw(|frame| render(&s, look, frame)).unwrap();
        t.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    assert_eq!(colours(LOOK), 0, "NO_COLOR: no colours at all");
    assert!(
        colours(Look {
            color: true,
            ..LOOK
        }) > 0
    );
}

#[test]
fn elapsed_time_reads_as_a_clock() {
    assert_eq!(clock(0), "0:00");
    assert_eq!(clock(95), "1:35");
    assert_eq!(clock(3_600 + 61), "1:01:01");
}

#[test]
fn a_long_deck_name_is_shortened_not_overwritten() {
    let mut s = screen(asking(question("Q?", &[]), "", 0));
    s.deck = "The OMS: the Comintern's International Liaison Department".to_owned();
    let t = draw(&s, 60, 12);
    let top = text(&t).lines().next().unwrap().to_owned();
    assert_eq!(
        top,
        "\"factdrill · The OMS: the Comintern's I…  3/12 answered, 1:35\""
    );
    assert_eq!(shorten("abcdef", 4, LOOK), "abc…");
    assert_eq!(shorten("abc", 3, LOOK), "abc");
    assert_eq!(shorten("abcdef", 0, LOOK), "");
    let ascii = Look {
        unicode: false,
        ..LOOK
    };
    assert_eq!(shorten("abcdef", 5, ascii), "ab...");
    assert_eq!(shorten("abcdef", 2, ascii), "");
}
