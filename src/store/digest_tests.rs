//! Every change the log can undergo, then the report from the digest kept up to date
//! against the report from a digest rebuilt from scratch: equal, number for number.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::deck::{self, Id};
use crate::schedule::{Fsrs, Rating, Scheduler, Sm2};
use crate::stats::Report;
use crate::stats::refresh::{DeckSchedule, Refreshed, refresh};
use crate::store::{CardRef, ImportedReview, LoggedReview, NewReview, Store};

const DECK: &str = "id: d\nname: D\ncards:\n  - {id: a, prompt: pa, answer: x}\n  - {id: b, prompt: pb, answer: y}\n  - {id: c, prompt: pc, answer: z}\n  - {id: e, prompt: pe, answer: w}\n";
const OTHER: &str = "id: o\nname: O\ncards:\n  - {id: f, prompt: pf, answer: v}\n  - {id: g, prompt: pg, answer: u}\n";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A store with the two decks synced.
fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    for text in [DECK, OTHER] {
        store
            .sync_deck(&deck::load_str(text).unwrap(), t("2025-06-01T09:00:00Z"))
            .unwrap();
    }
    store
}

fn handle(store: &Store, deck: &str, card: &str) -> i64 {
    store
        .cards(&Id::parse(deck).unwrap())
        .unwrap()
        .into_iter()
        .find(|c| c.key == card)
        .unwrap()
        .handle
}

/// Answers a card as `study` does.
fn study(store: &mut Store, deck: &str, card: &str, rating: Rating, at: Timestamp, cram: bool) {
    let fsrs = Fsrs::default();
    let stored = store
        .cards(&Id::parse(deck).unwrap())
        .unwrap()
        .into_iter()
        .find(|c| c.key == card)
        .unwrap();
    let state = fsrs.review(&stored.state, rating, at);
    store
        .record(&NewReview {
            handle: stored.handle,
            reviewed_at: at,
            rating,
            answer: "typed",
            verdict: if rating == Rating::Again {
                "wrong"
            } else {
                "correct"
            },
            response_ms: 2000 + at.as_second().rem_euclid(997) as u64,
            scheduler: fsrs.name(),
            state: &state,
            previous: &stored.state,
            cram,
            leech: false,
        })
        .unwrap();
}

fn imported(card: i64, at: Timestamp, rating: Rating, uid: Option<&str>) -> ImportedReview {
    ImportedReview {
        card: CardRef::Number(card),
        uid: uid.map(str::to_owned),
        device: None,
        review: LoggedReview {
            reviewed_at: at,
            rating,
            answer: String::new(),
            verdict: if rating == Rating::Again {
                "wrong"
            } else {
                "correct"
            }
            .into(),
            response_ms: 1000,
            scheduler: "fsrs-6".into(),
            cram: false,
            format: None,
            confusion: None,
        },
    }
}

/// The schedulers the tests replay with: FSRS-6 with `weight` as its first parameter.
fn fsrs(weight: Option<f64>) -> (Box<dyn Scheduler>, String) {
    let mut fsrs = Fsrs::default();
    if let Some(w) = weight {
        fsrs.w[0] = w;
    }
    (Box::new(fsrs), format!("fsrs {weight:?}"))
}

struct Setup {
    now: Timestamp,
    tz: TimeZone,
    weight: Option<f64>,
    sm2_for: Option<&'static str>,
}

impl Setup {
    fn new(now: &str) -> Self {
        Self {
            now: t(now),
            tz: TimeZone::get("Europe/Paris").unwrap(),
            weight: None,
            sm2_for: None,
        }
    }

    fn scheduler(&self, deck: &str) -> (Box<dyn Scheduler>, String) {
        if self.sm2_for == Some(deck) {
            (Box::new(Sm2::default()), "sm2".into())
        } else {
            fsrs(self.weight)
        }
    }

    /// Brings the digest up to date and says how.
    fn refresh(&self, store: &mut Store) -> Refreshed {
        let decks = store.catalog_decks(None).unwrap();
        let built: Vec<_> = decks.iter().map(|d| self.scheduler(&d.key)).collect();
        let plan: Vec<DeckSchedule<'_>> = decks
            .iter()
            .zip(&built)
            .map(|(d, (s, f))| DeckSchedule {
                handle: d.handle,
                scheduler: s.as_ref(),
                fingerprint: f,
            })
            .collect();
        refresh(store, &plan, &self.tz).unwrap()
    }

    fn report(&self, store: &mut Store, deck: Option<&str>) -> Report {
        let options = crate::stats::Options {
            deck,
            days: 30,
            now: self.now,
            tz: &self.tz,
        };
        Report::collect(store, &options, |d| self.scheduler(&d.key)).unwrap()
    }

    /// The report from the digest as kept, then from a digest rebuilt from the log:
    /// they must be equal, for every deck and for each.
    #[track_caller]
    fn check(&self, store: &mut Store) -> Report {
        let kept: Vec<Report> = [None, Some("d"), Some("o")]
            .into_iter()
            .map(|deck| self.report(store, deck))
            .collect();
        store.conn.execute("DELETE FROM digest_deck", []).unwrap();
        let scratch: Vec<Report> = [None, Some("d"), Some("o")]
            .into_iter()
            .map(|deck| self.report(store, deck))
            .collect();
        for (k, s) in kept.iter().zip(&scratch) {
            assert_eq!(k, s, "kept digest vs rebuilt, deck {:?}", k.deck);
        }
        kept.into_iter().next().unwrap()
    }
}

fn hours(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}

/// Two months of study of every card, a lapse or two among them.
fn history(store: &mut Store, start: Timestamp) {
    let ratings = [
        Rating::Good,
        Rating::Good,
        Rating::Again,
        Rating::Hard,
        Rating::Easy,
    ];
    for day in 0..60i64 {
        for (i, (deck, card)) in [("d", "a"), ("d", "b"), ("d", "c"), ("o", "f")]
            .into_iter()
            .enumerate()
        {
            if day % (i as i64 + 2) == 0 {
                let rating = ratings[((day as usize) * 7 + i) % ratings.len()];
                study(
                    store,
                    deck,
                    card,
                    rating,
                    start + hours(24 * day + i as i64),
                    false,
                );
            }
        }
    }
}

#[test]
fn answers_are_folded_onto_the_stored_state() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    assert_eq!(setup.refresh(&mut store).rebuilt, 2);
    assert_eq!(
        setup.refresh(&mut store),
        Refreshed::default(),
        "nothing new"
    );
    // A day of study later: two cards extended, nothing refolded, nothing rebuilt.
    study(
        &mut store,
        "d",
        "a",
        Rating::Good,
        t("2025-08-05T09:00:00Z"),
        false,
    );
    study(
        &mut store,
        "d",
        "e",
        Rating::Again,
        t("2025-08-05T09:01:00Z"),
        false,
    );
    study(
        &mut store,
        "d",
        "e",
        Rating::Good,
        t("2025-08-05T09:11:00Z"),
        false,
    );
    assert_eq!(
        setup.refresh(&mut store),
        Refreshed {
            rebuilt: 0,
            extended: 2,
            refolded: 0
        }
    );
    let report = setup.check(&mut store);
    assert_eq!(report.today.reviews, 3);
    assert_eq!(report.today.introduced, 1);
    assert!(report.calibration.count > 20);
}

#[test]
fn cram_answers_change_nothing() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    let before = setup.check(&mut store);
    study(
        &mut store,
        "d",
        "b",
        Rating::Again,
        t("2025-08-05T09:00:00Z"),
        true,
    );
    assert_eq!(setup.refresh(&mut store), Refreshed::default());
    assert_eq!(setup.check(&mut store), before);
}

#[test]
fn undo_takes_the_answer_out() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    setup.refresh(&mut store);
    let before = setup.check(&mut store);
    let at = t("2025-08-05T09:00:00Z");
    study(&mut store, "d", "a", Rating::Again, at, false);
    setup.check(&mut store);
    let a = handle(&store, "d", "a");
    store.undo(a, at, &Fsrs::default()).unwrap().unwrap();
    let done = setup.refresh(&mut store);
    assert_eq!((done.rebuilt, done.refolded), (0, 1));
    assert_eq!(setup.check(&mut store), before);
    // Undo an answer from weeks ago too (older than the card's last one).
    let b = handle(&store, "d", "b");
    store
        .undo(
            b,
            t("2025-06-01T08:00:00Z") + hours(24 * 30 + 1),
            &Fsrs::default(),
        )
        .unwrap()
        .unwrap();
    assert_eq!(setup.refresh(&mut store).refolded, 1);
    setup.check(&mut store);
}

#[test]
fn an_id_reused_after_undo_is_not_taken_for_a_folded_review() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    let at = t("2025-08-05T09:00:00Z");
    study(&mut store, "d", "a", Rating::Good, at, false);
    setup.refresh(&mut store);
    // The last review (the largest id) undone, then another card answered: SQLite gives
    // the new review the same id, at or under the watermark.
    let max = |store: &Store| -> i64 {
        store
            .conn
            .query_row("SELECT max(id) FROM review", [], |r| r.get(0))
            .unwrap()
    };
    let last = max(&store);
    store
        .undo(handle(&store, "d", "a"), at, &Fsrs::default())
        .unwrap();
    study(&mut store, "o", "g", Rating::Good, at + hours(1), false);
    assert_eq!(max(&store), last, "the id was reused");
    // And undone again, and reused again by the first card.
    store
        .undo(handle(&store, "o", "g"), at + hours(1), &Fsrs::default())
        .unwrap();
    study(&mut store, "d", "c", Rating::Hard, at + hours(2), false);
    assert_eq!(max(&store), last);
    let report = setup.check(&mut store);
    assert_eq!(report.today.reviews, 1);
}

/// A review inserted under a deck's watermark and deleted before that deck's refresh leaves
/// no trace that could stand for another card's review with the same id (found in review:
/// the delete trigger matched `digest_added` by id alone, so a folded review of deck `d`
/// deleted later was never taken out of the digest).
#[test]
fn a_pending_review_of_one_deck_does_not_hide_a_removal_in_another() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    let at = t("2025-08-05T09:00:00Z");
    let (a, f) = (handle(&store, "d", "a"), handle(&store, "o", "f"));
    study(&mut store, "d", "a", Rating::Good, at, false);
    setup.refresh(&mut store);
    // Undone; deck `o` answers with the reused id and is undone before `o` is refreshed.
    store.undo(a, at, &Fsrs::default()).unwrap().unwrap();
    study(&mut store, "o", "f", Rating::Good, at + hours(1), false);
    store
        .undo(f, at + hours(1), &Fsrs::default())
        .unwrap()
        .unwrap();
    setup.report(&mut store, Some("d"));
    // Deck `d` answers again with that id, has it folded in, then undoes it.
    study(&mut store, "d", "a", Rating::Again, at + hours(2), false);
    setup.report(&mut store, Some("d"));
    store
        .undo(a, at + hours(2), &Fsrs::default())
        .unwrap()
        .unwrap();
    let report = setup.check(&mut store);
    assert_eq!(report.today.reviews, 0);
}

#[test]
fn imported_reviews_older_than_a_card_s_last_are_refolded() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    setup.refresh(&mut store);
    let (a, f, e) = (
        handle(&store, "d", "a"),
        handle(&store, "o", "f"),
        handle(&store, "d", "e"),
    );
    let now = setup.now;
    // In the middle of a's log, before all of f's, and e's first (appended).
    let report = store
        .import_reviews(
            &[
                imported(a, t("2025-06-20T12:00:00Z"), Rating::Again, None),
                imported(f, t("2025-05-01T12:00:00Z"), Rating::Good, None),
                imported(e, t("2025-07-01T12:00:00Z"), Rating::Easy, None),
            ],
            now,
        )
        .unwrap();
    assert_eq!(report.added, 3);
    let done = setup.refresh(&mut store);
    assert_eq!((done.rebuilt, done.extended, done.refolded), (0, 1, 2));
    setup.check(&mut store);
}

#[test]
fn synced_reviews_and_tombstones_are_folded_in() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    setup.refresh(&mut store);
    let b = handle(&store, "d", "b");
    // Another device's reviews arrive with their own uids, one of them older than b's
    // last; a tombstone deletes one of ours by uid, as sync applies them.
    store
        .import_reviews(
            &[
                imported(
                    b,
                    t("2025-07-02T12:00:00Z"),
                    Rating::Hard,
                    Some("0198-remote-1"),
                ),
                imported(
                    b,
                    t("2025-08-05T08:00:00Z"),
                    Rating::Good,
                    Some("0198-remote-2"),
                ),
            ],
            setup.now,
        )
        .unwrap();
    let uid: String = store
        .conn
        .query_row(
            "SELECT uid FROM review WHERE card_id = ?1 ORDER BY reviewed_at LIMIT 1 OFFSET 3",
            [handle(&store, "d", "c")],
            |r| r.get(0),
        )
        .unwrap();
    store
        .conn
        .execute("DELETE FROM review WHERE uid = ?1", [&uid])
        .unwrap();
    assert_eq!(setup.refresh(&mut store).refolded, 2);
    setup.check(&mut store);
}

#[test]
fn retired_cards_leave_the_per_card_reports_without_a_refresh() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    let before = setup.check(&mut store);
    // The deck file loses card a: it is retired; its reviews still count.
    let edited = "id: d\nname: D\ncards:\n  - {id: b, prompt: pb, answer: y}\n  - {id: c, prompt: pc, answer: z}\n  - {id: e, prompt: pe, answer: w}\n";
    store
        .sync_deck(&deck::load_str(edited).unwrap(), setup.now)
        .unwrap();
    assert_eq!(setup.refresh(&mut store), Refreshed::default());
    let after = setup.check(&mut store);
    assert_eq!(after.intervals.total() + 1, before.intervals.total());
    assert_eq!(after.decks, before.decks);
    assert_eq!(after.snapshot.retired, 1);
}

#[test]
fn new_parameters_a_new_scheduler_or_time_zone_rebuild_the_deck() {
    let mut setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    let old = setup.check(&mut store);
    // `optimize --save` (or a refit) gave new parameters.
    setup.weight = Some(1.5);
    assert_eq!(setup.refresh(&mut store).rebuilt, 2);
    let new = setup.check(&mut store);
    assert_ne!(new.calibration, old.calibration);
    // One deck's file switched to SM-2: that deck only.
    setup.sm2_for = Some("o");
    assert_eq!(setup.refresh(&mut store).rebuilt, 1);
    setup.check(&mut store);
    // Another time zone moves the study days.
    setup.tz = TimeZone::get("America/New_York").unwrap();
    assert_eq!(setup.refresh(&mut store).rebuilt, 2);
    setup.check(&mut store);
}

#[test]
fn a_digest_edited_by_hand_is_found_out_and_rebuilt() {
    let setup = Setup::new("2025-08-05T10:00:00Z");
    let mut store = store();
    history(&mut store, t("2025-06-01T08:00:00Z"));
    let before = setup.check(&mut store);
    setup.refresh(&mut store);
    let a = handle(&store, "d", "a");
    store
        .conn
        .execute("DELETE FROM digest_state WHERE card_id = ?1", [a])
        .unwrap();
    store
        .undo(a, t("2025-06-01T08:00:00Z"), &Fsrs::default())
        .unwrap();
    assert_eq!(setup.refresh(&mut store).rebuilt, 1);
    assert_ne!(setup.check(&mut store), before);
}

#[test]
fn any_sequence_of_changes_keeps_the_digest_equal_to_a_rebuilt_one() {
    let setup = Setup::new("2025-09-01T10:00:00Z");
    let mut store = store();
    let cards = [
        ("d", "a"),
        ("d", "b"),
        ("d", "c"),
        ("d", "e"),
        ("o", "f"),
        ("o", "g"),
    ];
    let ratings = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];
    let mut at = t("2025-06-01T08:00:00Z");
    let mut seed: u64 = 7;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % n
    };
    let mut answered: Vec<(i64, Timestamp)> = Vec::new();
    for step in 0..300 {
        let (deck, card) = cards[next(cards.len())];
        let rating = ratings[next(4)];
        match next(10) {
            0 => {
                if let Some((h, when)) = answered.pop() {
                    store.undo(h, when, &Fsrs::default()).unwrap();
                }
            }
            1 => {
                let h = handle(&store, deck, card);
                let back = at - hours(24 * next(40) as i64 + 1);
                store
                    .import_reviews(&[imported(h, back, rating, None)], setup.now)
                    .unwrap();
            }
            2 => study(&mut store, deck, card, rating, at, true),
            _ => {
                study(&mut store, deck, card, rating, at, false);
                answered.push((handle(&store, deck, card), at));
            }
        }
        at += hours(1 + next(30) as i64);
        if step % 7 == 0 {
            setup.check(&mut store);
        } else if step % 3 == 0 {
            setup.refresh(&mut store);
        }
    }
    let report = setup.check(&mut store);
    assert!(report.snapshot.total_reviews > 150);
}
