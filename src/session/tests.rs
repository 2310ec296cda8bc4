//! The session's rules, each driven without a terminal on a pinned clock.
use super::queue::interleave;
use super::*;
use crate::schedule::Fsrs;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn card(id: &str, kind: Kind, answer: &str, choices: &[&str]) -> Card {
    Card {
        id: Id::parse(id).unwrap(),
        kind,
        prompt: format!("question {id}?"),
        answer: answer.into(),
        accept: vec![],
        choices: choices.iter().map(|s| (*s).to_owned()).collect(),
        explanation: None,
        source: None,
        tags: vec![],
        generated: None,
        line: 1,
    }
}

fn deck(new_per_day: u32, reviews_per_day: u32) -> DeckPlan {
    DeckPlan {
        id: "deck".into(),
        name: "Deck".into(),
        new_per_day,
        reviews_per_day,
        reviewed_today: 0,
        introduced_today: 0,
        strict: false,
        leech_threshold: 8,
    }
}

fn reviewed(due: &str) -> CardState {
    CardState {
        phase: Phase::Review,
        due: Some(t(due)),
        last_review: Some(t("2026-01-01T09:00:00Z")),
        memory: Some(crate::schedule::Memory {
            stability: 5.0,
            difficulty: 5.0,
        }),
        reps: 1,
        ..CardState::new_card()
    }
}

fn session(decks: Vec<DeckPlan>, cards: Vec<(Card, CardState)>) -> Session {
    session_with(decks, cards, Options::default())
}

fn session_with(decks: Vec<DeckPlan>, cards: Vec<(Card, CardState)>, options: Options) -> Session {
    let cards = cards
        .into_iter()
        .enumerate()
        .map(|(i, (card, state))| StudyCard {
            handle: i as i64,
            deck: 0,
            card,
            state,
            flag: None,
            note: None,
        })
        .collect();
    let plan = Plan {
        decks,
        cards,
        now: t("2026-01-10T09:00:00Z"),
        day_start: t("2026-01-10T04:00:00Z"),
        day_end: t("2026-01-11T04:00:00Z"),
        seed: 7,
        options,
    };
    Session::new(
        plan,
        vec![Box::new(Fsrs::default())],
        Grader::from_cards(&[], GradeOptions::default()),
    )
}

fn order(s: &mut Session) -> Vec<String> {
    let mut ids = vec![];
    while let Some(p) = s.prompt() {
        ids.push(p.card.id.to_string());
        let at = t("2026-01-10T09:00:00Z");
        s.answer("x", 0, at).unwrap();
        // Easy graduates a card at once, so no learning step brings it back.
        s.rate(Rating::Easy, at).unwrap();
    }
    ids
}

#[test]
fn due_cards_oldest_first_with_new_cards_in_deck_order_among_them() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (card("n1", Kind::Recall, "x", &[]), CardState::new_card()),
            (
                card("late", Kind::Recall, "x", &[]),
                reviewed("2026-01-09T09:00:00Z"),
            ),
            (
                card("later-today", Kind::Recall, "x", &[]),
                reviewed("2026-01-10T20:00:00Z"),
            ),
            (
                card("tomorrow", Kind::Recall, "x", &[]),
                reviewed("2026-01-11T09:00:00Z"),
            ),
            (card("n2", Kind::Recall, "x", &[]), CardState::new_card()),
            (
                card("oldest", Kind::Recall, "x", &[]),
                reviewed("2026-01-05T09:00:00Z"),
            ),
        ],
    );
    // Equal recall probability now: oldest due first; the new cards spread among them.
    assert_eq!(
        order(&mut s),
        vec!["oldest", "n1", "late", "n2", "later-today"]
    );
}

#[test]
fn daily_limits_hold_cards_back() {
    let mut d = deck(2, 1);
    d.introduced_today = 1;
    let mut s = session(
        vec![d],
        vec![
            (card("n1", Kind::Recall, "x", &[]), CardState::new_card()),
            (card("n2", Kind::Recall, "x", &[]), CardState::new_card()),
            (
                card("r1", Kind::Recall, "x", &[]),
                reviewed("2026-01-09T09:00:00Z"),
            ),
            (
                card("r2", Kind::Recall, "x", &[]),
                reviewed("2026-01-08T09:00:00Z"),
            ),
        ],
    );
    assert_eq!(
        s.summary().held,
        Held {
            reviews: 1,
            new: 1,
            ..Held::default()
        }
    );
    assert_eq!(order(&mut s), vec!["r2", "n1"]);
}

#[test]
fn answer_then_rate_produces_a_review() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![(
            card("q", Kind::Recall, "Berlin", &[]),
            CardState::new_card(),
        )],
    );
    let p = s.prompt().unwrap();
    assert_eq!((p.number, p.total, p.is_new), (1, 1, true));
    let at = t("2026-01-10T09:00:00Z");
    let fb = s.answer(" berlin ", 2_500, at).unwrap();
    assert_eq!(fb.grade.verdict, Verdict::Correct);
    assert_eq!(fb.suggested, Rating::Good);
    assert_eq!(fb.correct_answer, "Berlin");
    assert!(fb.intervals[0] <= fb.intervals[3]);
    let review = s.rate(Rating::Good, at).unwrap();
    assert_eq!(review.answer, "berlin");
    assert_eq!(review.response_ms, 2_500);
    assert_eq!(review.state.phase, Phase::Learning);
    // Its next learning step (10 minutes) falls within the session: it comes back.
    let again = s.prompt().unwrap();
    assert_eq!((again.number, again.total, again.is_new), (2, 2, false));
    let later = at + SignedDuration::from_mins(10);
    s.answer("Berlin", 1_000, later).unwrap();
    let review = s.rate(Rating::Good, later).unwrap();
    assert_eq!(review.state.phase, Phase::Review);
    assert!(s.prompt().is_none());
    let sum = s.summary();
    assert_eq!(
        (sum.answered, sum.passed, sum.new_cards, sum.left),
        (2, 2, 1, 0)
    );
    assert_eq!(sum.ratings, [0, 0, 2, 0]);
}

#[test]
fn calls_out_of_order_are_errors_not_panics() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![(
            card("q", Kind::Recall, "Berlin", &[]),
            CardState::new_card(),
        )],
    );
    let at = t("2026-01-10T09:00:00Z");
    assert_eq!(s.answer("x", 0, at), Err(SessionError::NotAsking));
    assert_eq!(s.rate(Rating::Good, at), Err(SessionError::NotRating));
    s.prompt().unwrap();
    assert_eq!(s.rate(Rating::Good, at), Err(SessionError::NotRating));
    s.answer("x", 0, at).unwrap();
    assert!(s.awaiting_rating());
    assert_eq!(s.answer("x", 0, at), Err(SessionError::NotAsking));
    // The prompt stays on the same card until rated.
    assert_eq!(s.prompt().unwrap().card.id.as_str(), "q");
    s.rate(Rating::Again, at).unwrap();
}

#[test]
fn choices_are_shuffled_reproducibly_and_graded_by_shown_letter() {
    let c = card(
        "c",
        Kind::Choice,
        "Berlin",
        &["Berlin", "Moscow", "Vienna", "Shanghai"],
    );
    let mut a = session(
        vec![deck(20, 200)],
        vec![(c.clone(), CardState::new_card())],
    );
    let mut b = session(vec![deck(20, 200)], vec![(c, CardState::new_card())]);
    let shown_a: Vec<String> = a.prompt().unwrap().choices.to_vec();
    let shown_b: Vec<String> = b.prompt().unwrap().choices.to_vec();
    assert_eq!(shown_a, shown_b);
    let mut sorted = shown_a.clone();
    sorted.sort();
    assert_eq!(sorted, vec!["Berlin", "Moscow", "Shanghai", "Vienna"]);
    let i = shown_a.iter().position(|c| c == "Berlin").unwrap();
    let fb = a
        .answer(&letter(i).to_string(), 0, t("2026-01-10T09:00:00Z"))
        .unwrap();
    assert_eq!(fb.grade.verdict, Verdict::Correct);
    assert_eq!(fb.correct_answer, format!("{}) Berlin", letter(i)));
}

#[test]
fn a_skipped_card_is_dropped_uncounted() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (card("a", Kind::Recall, "x", &[]), CardState::new_card()),
            (card("b", Kind::Recall, "x", &[]), CardState::new_card()),
        ],
    );
    assert_eq!(s.skip(), Err(SessionError::NotAsking));
    assert_eq!(s.prompt().unwrap().card.id.as_str(), "a");
    let (handle, state) = s.current().unwrap();
    assert_eq!((handle, state.phase), (0, Phase::New));
    s.skip().unwrap();
    assert_eq!(s.summary().left, 1);
    let p = s.prompt().unwrap();
    assert_eq!((p.card.id.as_str(), p.number, p.total), ("b", 1, 1));
    let at = t("2026-01-10T09:00:00Z");
    s.answer("x", 0, at).unwrap();
    assert_eq!(
        s.skip(),
        Err(SessionError::NotAsking),
        "an answer must be rated"
    );
    let review = s.rate(Rating::Easy, at).unwrap();
    assert_eq!(review.previous, CardState::new_card());
    assert!(s.prompt().is_none());
    assert_eq!(s.summary().answered, 1);
}

#[test]
fn unanswered_prompt_counts_as_left() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (card("a", Kind::Recall, "x", &[]), CardState::new_card()),
            (card("b", Kind::Recall, "x", &[]), CardState::new_card()),
        ],
    );
    s.prompt().unwrap();
    assert_eq!(s.summary().left, 2);
}

const NOW: &str = "2026-01-10T09:00:00Z";

fn recall(id: &str) -> Card {
    card(id, Kind::Recall, "x", &[])
}

/// A generated card of fact `fact`.
fn of_fact(id: &str, fact: &str) -> Card {
    Card {
        generated: Some(crate::deck::Origin {
            key: format!("{fact}.{id}"),
            hash: "0".into(),
        }),
        ..recall(id)
    }
}

/// A review card last seen on 2026-01-01 with this stability, due on `due`.
fn known(stability: f64, due: &str) -> CardState {
    CardState {
        memory: Some(crate::schedule::Memory {
            stability,
            difficulty: 5.0,
        }),
        ..reviewed(due)
    }
}

/// Answers every card with `rating` until the session ends; the ids in order.
fn run(s: &mut Session, rating: Rating) -> Vec<String> {
    let mut ids = vec![];
    while let Some(p) = s.prompt() {
        ids.push(p.card.id.to_string());
        s.answer("x", 0, t(NOW)).unwrap();
        s.rate(rating, t(NOW)).unwrap();
    }
    ids
}

#[test]
fn reviews_least_likely_recalled_come_first() {
    // Same last review and due date; the lower the stability, the lower the recall now.
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (recall("strong"), known(50.0, "2026-01-09T09:00:00Z")),
            (recall("weak"), known(2.0, "2026-01-09T09:00:00Z")),
            (recall("middling"), known(10.0, "2026-01-09T09:00:00Z")),
        ],
    );
    assert_eq!(order(&mut s), vec!["weak", "middling", "strong"]);
}

#[test]
fn learning_cards_first_then_new_cards_spread_among_reviews() {
    let learning = CardState {
        phase: Phase::Learning,
        step: Some(1),
        due: Some(t("2026-01-10T08:50:00Z")),
        last_review: Some(t("2026-01-10T08:40:00Z")),
        ..reviewed("2026-01-10T08:50:00Z")
    };
    let mut cards = vec![(recall("l"), learning)];
    for i in 0..4 {
        cards.push((recall(&format!("r{i}")), reviewed("2026-01-09T09:00:00Z")));
    }
    cards.push((recall("n0"), CardState::new_card()));
    cards.push((recall("n1"), CardState::new_card()));
    let mut s = session(vec![deck(20, 200)], cards);
    // R = 4 reviews, N = 2 new: new cards after review ceil(4/3) = 2 and ceil(8/3) = 3.
    assert_eq!(order(&mut s), vec!["l", "r0", "r1", "n0", "r2", "n1", "r3"]);
}

#[test]
fn interleaving_rule() {
    #[track_caller]
    fn case(r: usize, n: usize, want: &str) {
        let reviews: Vec<usize> = (0..r).collect();
        let new: Vec<usize> = (100..100 + n).collect();
        let got: String = interleave(&reviews, &new)
            .iter()
            .map(|&i| if i >= 100 { 'n' } else { 'r' })
            .collect();
        assert_eq!(got, want, "{r} reviews, {n} new");
    }
    case(0, 3, "nnn");
    case(3, 0, "rrr");
    case(4, 1, "rrnrr");
    case(1, 3, "rnnn");
    case(2, 2, "rnrn");
    case(6, 2, "rrnrrnrr");
}

#[test]
fn global_limits_hold_cards_back_after_the_deck_limits() {
    let decks = vec![deck(2, 200), deck(20, 200)];
    let cards: Vec<(Card, CardState)> = (0..6)
        .map(|i| (recall(&format!("n{i}")), CardState::new_card()))
        .collect();
    let plan_cards = cards
        .into_iter()
        .enumerate()
        .map(|(i, (card, state))| StudyCard {
            handle: i as i64,
            // n0..n2 in deck 0 (limit 2), n3..n5 in deck 1.
            deck: usize::from(i >= 3),
            card,
            state,
            flag: None,
            note: None,
        })
        .collect();
    let options = Options {
        global: GlobalLimits {
            new_per_day: Some(4),
            introduced_today: 1,
            ..GlobalLimits::default()
        },
        ..Options::default()
    };
    let mut s = Session::new(
        Plan {
            decks,
            cards: plan_cards,
            now: t(NOW),
            day_start: t("2026-01-10T04:00:00Z"),
            day_end: t("2026-01-11T04:00:00Z"),
            seed: 7,
            options,
        },
        vec![Box::new(Fsrs::default()), Box::new(Fsrs::default())],
        Grader::from_cards(&[], GradeOptions::default()),
    );
    let held = s.summary().held;
    // Deck 0 gives 2 (n2 held by its limit); 4 - 1 done today = 3 in all, so deck 1
    // gives 1 and 2 are held by the global limit.
    assert_eq!((held.new, held.new_global), (1, 2));
    assert_eq!(s.summary().global.new_per_day, Some(4));
    assert_eq!(order(&mut s), vec!["n0", "n1", "n3"]);
}

#[test]
fn global_review_limit() {
    let options = Options {
        global: GlobalLimits {
            reviews_per_day: Some(1),
            ..GlobalLimits::default()
        },
        ..Options::default()
    };
    let s = session_with(
        vec![deck(20, 200)],
        vec![
            (recall("a"), reviewed("2026-01-09T09:00:00Z")),
            (recall("b"), reviewed("2026-01-08T09:00:00Z")),
        ],
        options,
    );
    assert_eq!(s.summary().held.reviews_global, 1);
    assert_eq!(s.summary().left, 1);
}

#[test]
fn siblings_are_not_shown_on_the_same_day() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (of_fact("a-recall", "f1"), CardState::new_card()),
            (of_fact("a-choice", "f1"), CardState::new_card()),
            (of_fact("b-recall", "f2"), CardState::new_card()),
            // Reviewed earlier today: its fact is taken for the day.
            (
                of_fact("c-recall", "f3"),
                CardState {
                    last_review: Some(t("2026-01-10T06:00:00Z")),
                    ..reviewed("2026-01-15T09:00:00Z")
                },
            ),
            (of_fact("c-year", "f3"), CardState::new_card()),
            // Hand-written cards are their own siblings.
            (recall("mine"), CardState::new_card()),
            (recall("mine-too"), CardState::new_card()),
        ],
    );
    assert_eq!(s.summary().held.siblings, 2);
    assert_eq!(
        order(&mut s),
        vec!["a-recall", "b-recall", "mine", "mine-too"]
    );
    assert_eq!(recall("x").sibling(), "x");
    assert_eq!(of_fact("x", "head-1").sibling(), "head-1");
}

#[test]
fn a_due_review_buries_its_new_sibling_not_the_reverse() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (of_fact("new-one", "f"), CardState::new_card()),
            (of_fact("due-one", "f"), reviewed("2026-01-09T09:00:00Z")),
        ],
    );
    assert_eq!(order(&mut s), vec!["due-one"]);
}

#[test]
fn filters_by_tag_and_kind() {
    let tagged = |id: &str, kind: Kind, tags: &[&str]| Card {
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..card(
            id,
            kind,
            "x",
            &["x", "y"][..usize::from(kind == Kind::Choice) * 2],
        )
    };
    let cards = vec![
        (tagged("a", Kind::Recall, &["head"]), CardState::new_card()),
        (tagged("b", Kind::Choice, &["head"]), CardState::new_card()),
        (tagged("c", Kind::Recall, &["date"]), CardState::new_card()),
        (tagged("d", Kind::Recall, &[]), CardState::new_card()),
    ];
    let only = |tags: &[&str], kinds: &[Kind]| {
        let options = Options {
            filter: Filter {
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                kinds: kinds.to_vec(),
            },
            ..Options::default()
        };
        order(&mut session_with(
            vec![deck(20, 200)],
            cards.clone(),
            options,
        ))
    };
    assert_eq!(only(&["head"], &[]), vec!["a", "b"]);
    assert_eq!(only(&["head", "date"], &[]), vec!["a", "b", "c"]);
    assert_eq!(only(&[], &[Kind::Choice]), vec!["b"]);
    assert_eq!(only(&["head"], &[Kind::Recall]), vec!["a"]);
    assert_eq!(only(&[], &[]), vec!["a", "b", "c", "d"]);
}

#[test]
fn limit_caps_the_cards_but_not_their_learning_steps() {
    let options = Options {
        limit: Some(2),
        ..Options::default()
    };
    let cards: Vec<(Card, CardState)> = (0..5)
        .map(|i| (recall(&format!("n{i}")), CardState::new_card()))
        .collect();
    let mut s = session_with(vec![deck(20, 200)], cards, options);
    assert_eq!(s.summary().held.session_limit, 3);
    assert_eq!(s.summary().limit, Some(2));
    // Good puts a new card on its 10-minute step, which comes back in the session.
    assert_eq!(run(&mut s, Rating::Good), vec!["n0", "n1", "n0", "n1"]);
}

#[test]
fn time_box_stops_offering_cards_after_the_current_one() {
    let options = Options {
        time_box: Some(SignedDuration::from_mins(5)),
        ..Options::default()
    };
    let cards: Vec<(Card, CardState)> = (0..4)
        .map(|i| (recall(&format!("n{i}")), CardState::new_card()))
        .collect();
    let mut s = session_with(vec![deck(20, 200)], cards, options);
    let at = |m: i64| t(NOW) + SignedDuration::from_mins(m);
    s.prompt().unwrap();
    s.answer("x", 0, at(1)).unwrap();
    s.rate(Rating::Easy, at(1)).unwrap();
    // Asked within the box, answered after it: the card finishes, then the session ends.
    assert_eq!(s.prompt().unwrap().card.id.as_str(), "n1");
    s.answer("x", 0, at(6)).unwrap();
    s.rate(Rating::Easy, at(6)).unwrap();
    assert!(s.prompt().is_none());
    let sum = s.summary();
    assert_eq!(
        sum.stopped,
        Some(Stop::TimeBox(SignedDuration::from_mins(5)))
    );
    assert_eq!((sum.answered, sum.left), (2, 2));
    // Undoing the answer that ran past the box re-opens it for that card only.
    assert!(matches!(s.undo(), Ok(Undo::Review(_))));
    assert_eq!(s.summary().stopped, None);
    assert_eq!(s.prompt().unwrap().card.id.as_str(), "n1");
    s.answer("x", 0, at(7)).unwrap();
    s.rate(Rating::Easy, at(7)).unwrap();
    assert!(s.prompt().is_none());
}

#[test]
fn cram_practises_everything_without_changing_the_schedule() {
    let tomorrow = reviewed("2026-01-11T09:00:00Z");
    let options = Options {
        cram: true,
        ..Options::default()
    };
    let mut d = deck(0, 0);
    d.introduced_today = 5;
    let mut s = session_with(
        vec![d],
        vec![
            (recall("new"), CardState::new_card()),
            (recall("not-due"), tomorrow.clone()),
            (recall("weak"), known(1.0, "2026-01-02T09:00:00Z")),
        ],
        options,
    );
    assert!(s.is_cram());
    assert_eq!(s.summary().held, Held::default(), "no limits in cram");
    let mut seen = vec![];
    let mut reviews = vec![];
    while let Some(p) = s.prompt() {
        let id = p.card.id.to_string();
        // Again once on `weak`: it comes back at the end.
        let rating = if id == "weak" && !seen.contains(&id) {
            Rating::Again
        } else {
            Rating::Good
        };
        seen.push(id);
        s.answer("x", 0, t(NOW)).unwrap();
        reviews.push(s.rate(rating, t(NOW)).unwrap());
    }
    assert_eq!(seen, vec!["weak", "not-due", "new", "weak"]);
    for r in &reviews {
        assert!(r.cram);
        assert_eq!(r.state, r.previous, "cram changes no state");
        assert_eq!(r.leech, None);
    }
    assert_eq!(reviews[1].state, tomorrow);
}

#[test]
fn undo_restores_the_card_and_the_totals_and_asks_it_next() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (recall("a"), CardState::new_card()),
            (recall("b"), CardState::new_card()),
        ],
    );
    assert_eq!(s.undo(), Err(SessionError::NothingToUndo));
    let before = s.summary();
    s.prompt().unwrap();
    s.answer("x", 900, t(NOW)).unwrap();
    // Between answer and rating, undo takes back the typed answer only.
    assert_eq!(s.undo(), Ok(Undo::Answer));
    assert!(!s.awaiting_rating());
    assert_eq!(s.prompt().unwrap().card.id.as_str(), "a");
    s.answer("x", 900, t(NOW)).unwrap();
    // Good: a learning step that comes back in this session.
    let review = s.rate(Rating::Good, t(NOW)).unwrap();
    assert_eq!(s.prompt().unwrap().card.id.as_str(), "b");
    let Ok(Undo::Review(undone)) = s.undo() else {
        panic!("a rated answer to undo")
    };
    assert_eq!(
        (undone.handle, undone.card.as_str(), undone.reviewed_at),
        (0, "a", review.reviewed_at)
    );
    assert_eq!(s.summary().undone, 1);
    let after = s.summary();
    assert_eq!(
        (after.answered, after.passed, after.ratings, after.new_cards),
        (
            before.answered,
            before.passed,
            before.ratings,
            before.new_cards
        )
    );
    assert_eq!(after.response_ms, 0);
    // `a` is asked again, new, then `b` (shown before the undo), and `a` only once.
    let p = s.prompt().unwrap();
    assert_eq!((p.card.id.as_str(), p.is_new, p.total), ("a", true, 2));
    assert_eq!(s.current().unwrap().1, &CardState::new_card());
    s.answer("x", 0, t(NOW)).unwrap();
    s.rate(Rating::Easy, t(NOW)).unwrap();
    assert_eq!(run(&mut s, Rating::Easy), vec!["b"]);
}

#[test]
fn undo_is_repeatable_back_to_the_first_answer() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (recall("a"), CardState::new_card()),
            (recall("b"), CardState::new_card()),
            (recall("c"), CardState::new_card()),
        ],
    );
    for _ in 0..3 {
        s.prompt().unwrap();
        s.answer("x", 0, t(NOW)).unwrap();
        s.rate(Rating::Easy, t(NOW)).unwrap();
    }
    assert!(s.prompt().is_none());
    let mut undone = vec![];
    while let Ok(Undo::Review(u)) = s.undo() {
        undone.push(u.card.to_string());
    }
    assert_eq!(undone, vec!["c", "b", "a"]);
    assert!(!s.can_undo());
    assert_eq!(s.summary().answered, 0);
    assert_eq!(run(&mut s, Rating::Easy), vec!["a", "b", "c"]);
}

#[test]
fn suspend_and_bury_drop_the_card_flag_keeps_it() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![
            (recall("a"), CardState::new_card()),
            (recall("b"), CardState::new_card()),
            (recall("c"), CardState::new_card()),
        ],
    );
    assert_eq!(s.suspend(), Err(SessionError::NoCard));
    s.prompt().unwrap();
    let m = s
        .flag(Some(Flag::Red), Some("check the date".into()))
        .unwrap();
    assert_eq!(
        m.mark,
        Mark::Flag {
            flag: Some(Flag::Red),
            note: Some("check the date".into())
        }
    );
    let p = s.prompt().unwrap();
    assert_eq!(p.card.id.as_str(), "a", "flagging keeps it");
    assert_eq!((p.flag, p.note), (Some(Flag::Red), Some("check the date")));
    let m = s.suspend().unwrap();
    assert_eq!((m.handle, m.card.as_str(), m.mark), (0, "a", Mark::Suspend));
    s.prompt().unwrap();
    s.answer("x", 0, t(NOW)).unwrap();
    // Burying after an answer drops the answer: nothing to rate.
    let m = s.bury().unwrap();
    assert_eq!(
        m.mark,
        Mark::Bury {
            until: t("2026-01-11T04:00:00Z")
        }
    );
    assert!(!s.awaiting_rating());
    assert_eq!(run(&mut s, Rating::Easy), vec!["c"]);
    let sum = s.summary();
    assert_eq!((sum.suspended, sum.buried, sum.answered), (1, 1, 1));
}

#[test]
fn the_eighth_lapse_makes_a_leech_that_leaves_the_session() {
    let mut d = deck(20, 200);
    d.leech_threshold = 3;
    let failing = CardState {
        lapses: 2,
        ..reviewed("2026-01-09T09:00:00Z")
    };
    let mut s = session(
        vec![d],
        vec![
            (recall("leech"), failing.clone()),
            (
                recall("fine"),
                CardState {
                    lapses: 0,
                    ..failing
                },
            ),
        ],
    );
    s.prompt().unwrap();
    s.answer("x", 0, t(NOW)).unwrap();
    let review = s.rate(Rating::Again, t(NOW)).unwrap();
    assert_eq!(
        review.leech,
        Some(Leech {
            lapses: 3,
            threshold: 3
        })
    );
    assert_eq!(s.summary().leeches, 1);
    // A lapse below the threshold is not a leech, and its relearning step comes back.
    s.prompt().unwrap();
    s.answer("x", 0, t(NOW)).unwrap();
    assert_eq!(s.rate(Rating::Again, t(NOW)).unwrap().leech, None);
    assert_eq!(run(&mut s, Rating::Good), vec!["fine"], "the leech is gone");
    // Undo brings the leech back.
    let mut s2 = session(
        vec![DeckPlan {
            leech_threshold: 3,
            ..deck(20, 200)
        }],
        vec![(
            recall("leech"),
            CardState {
                lapses: 2,
                ..reviewed("2026-01-09T09:00:00Z")
            },
        )],
    );
    s2.prompt().unwrap();
    s2.answer("x", 0, t(NOW)).unwrap();
    s2.rate(Rating::Again, t(NOW)).unwrap();
    let Ok(Undo::Review(u)) = s2.undo() else {
        panic!("undo")
    };
    assert!(u.was_leech);
    assert_eq!(s2.summary().leeches, 0);
    assert_eq!(s2.prompt().unwrap().card.id.as_str(), "leech");
}

#[test]
fn an_again_on_a_review_card_under_the_threshold_is_no_leech() {
    let mut s = session(
        vec![deck(20, 200)],
        vec![(recall("a"), reviewed("2026-01-09T09:00:00Z"))],
    );
    s.prompt().unwrap();
    s.answer("x", 0, t(NOW)).unwrap();
    let r = s.rate(Rating::Again, t(NOW)).unwrap();
    assert_eq!((r.state.lapses, r.leech), (1, None));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn rating() -> impl Strategy<Value = Rating> {
        prop_oneof![
            Just(Rating::Again),
            Just(Rating::Hard),
            Just(Rating::Good),
            Just(Rating::Easy)
        ]
    }

    /// Three new cards, two due reviews (one close to a leech).
    fn cards() -> Vec<(Card, CardState)> {
        vec![
            (recall("n0"), CardState::new_card()),
            (recall("n1"), CardState::new_card()),
            (recall("n2"), CardState::new_card()),
            (
                recall("r0"),
                CardState {
                    lapses: 7,
                    ..reviewed("2026-01-09T09:00:00Z")
                },
            ),
            (recall("r1"), known(3.0, "2026-01-08T09:00:00Z")),
        ]
    }

    proptest! {
        /// Whatever was answered, undoing every answer gives back the session as it was
        /// built: the same totals, the same card states, the same order of cards.
        #[test]
        fn undoing_everything_restores_the_session(
            ratings in prop::collection::vec(rating(), 0..12),
            cram in any::<bool>(),
        ) {
            let options = Options { cram, ..Options::default() };
            let fresh = session_with(vec![deck(20, 200)], cards(), options.clone());
            let mut s = session_with(vec![deck(20, 200)], cards(), options.clone());
            let mut at = t(NOW);
            for rating in &ratings {
                if s.prompt().is_none() {
                    break;
                }
                at += SignedDuration::from_mins(11);
                s.answer("x", 100, at).unwrap();
                let review = s.rate(*rating, at).unwrap();
                prop_assert_eq!(review.cram, cram);
            }
            while let Ok(undo) = s.undo() {
                prop_assert!(matches!(undo, Undo::Review(_)));
            }
            let (a, b) = (s.summary(), fresh.summary());
            prop_assert_eq!(
                (a.answered, a.passed, a.ratings, a.new_cards, a.response_ms, a.leeches),
                (b.answered, b.passed, b.ratings, b.new_cards, b.response_ms, b.leeches)
            );
            prop_assert_eq!(a.left, b.left);
            prop_assert_eq!(&s.cards, &fresh.cards);
            let mut fresh = fresh;
            prop_assert_eq!(order(&mut s), order(&mut fresh));
        }
    }
}

#[test]
fn a_confused_answer_shows_the_other_fact_and_is_recorded_with_the_review() {
    let burde = Card {
        prompt: "Who headed the German branch in 1932?".into(),
        ..card("burde", Kind::Recall, "Fritz Burde", &[])
    };
    let kippenberger = Card {
        source: Some("Hans Kippenberger headed the German branch before Burde.".into()),
        ..card("kippenberger", Kind::Recall, "Hans Kippenberger", &[])
    };
    let cards = vec![burde.clone(), kippenberger.clone()];
    let plan = Plan {
        decks: vec![deck(20, 200)],
        cards: vec![StudyCard {
            handle: 1,
            deck: 0,
            card: burde,
            state: CardState::new_card(),
            flag: None,
            note: None,
        }],
        now: t("2026-01-10T09:00:00Z"),
        day_start: t("2026-01-10T04:00:00Z"),
        day_end: t("2026-01-11T04:00:00Z"),
        seed: 7,
        options: Options::default(),
    };
    let grader = Grader::from_cards(&cards, GradeOptions::default());
    let mut s = Session::new(plan, vec![Box::new(Fsrs::default())], grader);
    let at = t("2026-01-10T09:00:00Z");
    assert_eq!(s.prompt().unwrap().card.id.as_str(), "burde");
    let feedback = s.answer("Kippenberger", 900, at).unwrap();
    let confusion = feedback.confusion.clone().expect("a confusion");
    assert_eq!(confusion.given, "Hans Kippenberger");
    assert_eq!(confusion.expected, "Fritz Burde");
    assert_eq!(
        confusion.other.as_ref().map(|o| o.card.as_str()),
        Some("kippenberger")
    );
    assert_eq!(
        confusion.contrast(),
        "You answered Hans Kippenberger: Hans Kippenberger headed the German branch before Burde."
    );
    let review = s.rate(feedback.suggested, at).unwrap();
    assert_eq!(review.rating, Rating::Again);
    assert_eq!(review.confusion, Some(confusion));
    // A right answer the next time is no confusion.
    while let Some(p) = s.prompt() {
        assert_eq!(p.card.id.as_str(), "burde");
        let feedback = s.answer("Burde", 900, at).unwrap();
        assert_eq!(feedback.confusion, None);
        assert_eq!(s.rate(Rating::Easy, at).unwrap().confusion, None);
    }
}

#[test]
fn a_confusion_without_a_card_for_the_other_entity_names_it_alone() {
    let confusion = Confusion {
        given: "Leo Flieg".into(),
        expected: "Fritz Burde".into(),
        other: None,
    };
    assert_eq!(
        confusion.contrast(),
        "You answered Leo Flieg, another name in this deck, not Fritz Burde."
    );
    let with_prompt = Confusion {
        other: Some(OtherFact {
            card: Id::parse("flieg").unwrap(),
            prompt: "Who ran the OMS office in Berlin?".into(),
            answer: "Leo Flieg".into(),
            source: None,
        }),
        ..confusion
    };
    assert_eq!(
        with_prompt.contrast(),
        "You answered Leo Flieg: Who ran the OMS office in Berlin? Leo Flieg"
    );
}

/// A card of fact `fact` (its `generated:` key), of `kind`.
fn fact_card(id: &str, fact: &str, kind: Kind) -> Card {
    let choices: &[&str] = if kind == Kind::Choice {
        &["x", "y"]
    } else {
        &[]
    };
    Card {
        generated: Some(crate::deck::Origin {
            key: format!("{fact}.{}", kind.as_str()),
            hash: "0".into(),
        }),
        ..card(id, kind, "x", choices)
    }
}

/// A review-phase state last reviewed on 2026-01-09 09:00 with `stability` days, due at
/// `due`.
fn memory(stability: f64, last: &str, due: &str) -> CardState {
    CardState {
        phase: Phase::Review,
        due: Some(t(due)),
        last_review: Some(t(last)),
        memory: Some(crate::schedule::Memory {
            stability,
            difficulty: 5.0,
        }),
        reps: 3,
        ..CardState::new_card()
    }
}

fn by_memory() -> Options {
    Options {
        format: Some(format::Thresholds::default()),
        ..Options::default()
    }
}

/// The first card a session over `cards` shows.
#[track_caller]
fn first_shown(cards: Vec<(Card, CardState)>, options: Options) -> String {
    let mut s = session_with(vec![deck(20, 200)], cards, options);
    s.prompt().unwrap().card.id.to_string()
}

#[test]
fn a_weak_fact_is_asked_by_recognition_and_a_strong_one_by_recall() {
    let new = CardState::new_card;
    // A new fact: multiple choice first, whatever the deck order.
    let fresh = || {
        vec![
            (fact_card("typed", "head-1", Kind::Recall), new()),
            (fact_card("pick", "head-1", Kind::Choice), new()),
        ]
    };
    assert_eq!(first_shown(fresh(), by_memory()), "pick");
    // Without format choice, the deck's first card.
    assert_eq!(first_shown(fresh(), Options::default()), "typed");

    // The typed card is due but the fact is weak (stability 2 days): the choice card instead.
    let weak = vec![
        (
            fact_card("typed", "head-1", Kind::Recall),
            memory(2.0, "2026-01-08T09:00:00Z", "2026-01-10T08:00:00Z"),
        ),
        (fact_card("pick", "head-1", Kind::Choice), new()),
    ];
    assert_eq!(first_shown(weak, by_memory()), "pick");

    // The choice card is due and the fact strong (30 days, reviewed yesterday): typed.
    let strong = || {
        vec![
            (fact_card("typed", "head-1", Kind::Recall), new()),
            (
                fact_card("pick", "head-1", Kind::Choice),
                memory(30.0, "2026-01-09T09:00:00Z", "2026-01-10T08:00:00Z"),
            ),
        ]
    };
    assert_eq!(first_shown(strong(), by_memory()), "typed");
    // The thresholds are configurable: a fact needs 40 days here.
    let strict = Options {
        format: Some(format::Thresholds {
            recall_stability_days: 40,
            ..format::Thresholds::default()
        }),
        ..Options::default()
    };
    assert_eq!(first_shown(strong(), strict), "pick");

    // Strong but long overdue (recall now well under 70 %): recognition again.
    let lapsing = vec![
        (
            fact_card("typed", "head-1", Kind::Recall),
            memory(8.0, "2025-06-01T09:00:00Z", "2025-06-09T09:00:00Z"),
        ),
        (fact_card("pick", "head-1", Kind::Choice), new()),
    ];
    assert_eq!(first_shown(lapsing, by_memory()), "pick");
}

#[test]
fn format_choice_keeps_one_card_per_fact_and_leaves_lone_and_ordering_cards_alone() {
    let new = CardState::new_card;
    let mut s = session_with(
        vec![deck(20, 200)],
        vec![
            (fact_card("typed", "head-1", Kind::Recall), new()),
            (fact_card("pick", "head-1", Kind::Choice), new()),
            (fact_card("true-or-false", "head-1", Kind::TrueFalse), new()),
            (fact_card("order", "date-2", Kind::Ordering), new()),
            (fact_card("lone", "date-3", Kind::Recall), new()),
        ],
        by_memory(),
    );
    let mut shown = vec![];
    let at = t("2026-01-10T09:00:00Z");
    while let Some(p) = s.prompt() {
        shown.push(p.card.id.to_string());
        s.answer("x", 0, at).unwrap();
        s.rate(Rating::Easy, at).unwrap();
    }
    // One card of `head-1`, the first recognition card of it; the others as they come.
    assert_eq!(shown, ["pick", "order", "lone"]);
}

#[test]
fn the_review_records_the_format_shown() {
    assert_eq!(
        format::Format::of(Kind::Choice),
        format::Format::Recognition
    );
    assert_eq!(
        format::Format::of(Kind::TrueFalse),
        format::Format::Recognition
    );
    for kind in [Kind::Recall, Kind::Year, Kind::Cloze] {
        assert_eq!(format::Format::of(kind), format::Format::Recall);
    }
    let mut s = session_with(
        vec![deck(20, 200)],
        vec![(
            fact_card("pick", "head-1", Kind::Choice),
            CardState::new_card(),
        )],
        by_memory(),
    );
    let at = t("2026-01-10T09:00:00Z");
    s.prompt().unwrap();
    s.answer("a", 0, at).unwrap();
    assert_eq!(
        s.rate(Rating::Good, at).unwrap().format,
        format::Format::Recognition
    );
}

/// A plan of stand-ins (ids only, as `study` builds from the cache): each queued card gets
/// its text just before it is shown, once; one whose text is gone is skipped.
#[test]
fn stand_ins_get_their_cards_as_they_are_shown_and_gone_ones_are_skipped() {
    let real = |id: &str| card(id, Kind::Recall, &format!("answer {id}"), &[]);
    let stand_in = |id: &str| Card {
        prompt: String::new(),
        answer: String::new(),
        ..real(id)
    };
    let mut s = session(
        vec![deck(10, 10)],
        ["a", "b", "c", "d"]
            .into_iter()
            .map(|id| (stand_in(id), CardState::default()))
            .collect(),
    );
    let queued = s.queued();
    assert_eq!(queued, [0, 1, 2, 3]);
    assert!(s.fill_card(0, real("a")));
    assert!(!s.fill_card(1, real("a")), "another card's id is refused");
    let asked = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = std::rc::Rc::clone(&asked);
    let ids = ["a", "b", "c", "d"];
    s.texts_from(Box::new(move |i| {
        log.borrow_mut().push(i);
        match i {
            0 => Ok(None),
            2 => Err(Gone),
            _ => Ok(Some(real(ids[i]))),
        }
    }));
    let mut shown = Vec::new();
    while let Some(p) = s.prompt() {
        shown.push((p.card.id.to_string(), p.card.answer.clone()));
        let at = t("2026-01-10T09:00:00Z");
        s.answer("x", 0, at).unwrap();
        s.rate(Rating::Easy, at).unwrap();
    }
    assert_eq!(
        shown,
        [
            ("a".to_owned(), "answer a".to_owned()),
            ("b".to_owned(), "answer b".to_owned()),
            ("d".to_owned(), "answer d".to_owned()),
        ]
    );
    assert_eq!(*asked.borrow(), [0, 1, 2, 3]);
}
