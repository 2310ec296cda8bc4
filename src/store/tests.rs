//! Store tests: in-memory databases, decks built from YAML strings.

use super::*;
use crate::deck;
use crate::schedule::Fsrs;

fn deck(text: &str) -> Deck {
    deck::load_str(text).expect("valid test deck")
}

const TWO: &str = "id: d\nname: D\ncards:\n  - {id: a, prompt: pa, answer: x}\n  - {id: b, prompt: pb, answer: y}\n";
const B_AND_C: &str = "id: d\nname: D\ncards:\n  - {id: b, prompt: pb edited, answer: y}\n  - {id: c, prompt: pc, answer: z}\n";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn answer(store: &mut Store, card: &StoredCard, rating: Rating, at: Timestamp) -> CardState {
    let fsrs = Fsrs::default();
    let state = fsrs.review(&card.state, rating, at);
    store
        .record(&NewReview {
            handle: card.handle,
            reviewed_at: at,
            rating,
            answer: "typed",
            verdict: "correct",
            response_ms: 1200,
            scheduler: fsrs.name(),
            state: &state,
        })
        .unwrap();
    state
}

#[test]
fn new_database_is_at_latest_version() {
    let store = Store::open_in_memory().unwrap();
    let v: i64 = store
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, LATEST_VERSION);
}

#[test]
fn sync_adds_retires_and_restores_by_id() {
    let mut store = Store::open_in_memory().unwrap();
    let now = t("2026-01-01T09:00:00Z");
    let first = store.sync_deck(&deck(TWO), now).unwrap();
    assert_eq!((first.added, first.retired, first.returned), (2, 0, 0));
    let again = store.sync_deck(&deck(TWO), now).unwrap();
    assert!(again.unchanged_file);

    let cards = store.cards(&Id::parse("d").unwrap()).unwrap();
    let b = cards.iter().find(|c| c.key == "b").unwrap().clone();
    answer(&mut store, &b, Rating::Good, now);

    let edited = store.sync_deck(&deck(B_AND_C), now).unwrap();
    assert_eq!((edited.added, edited.retired, edited.returned), (1, 1, 0));
    let keys: Vec<String> = store
        .cards(&Id::parse("d").unwrap())
        .unwrap()
        .into_iter()
        .map(|c| c.key)
        .collect();
    assert_eq!(keys, vec!["b", "c"]);
    // b kept its history through the edit of its prompt.
    let b_after = store.cards(&Id::parse("d").unwrap()).unwrap()[0].clone();
    assert_eq!(b_after.handle, b.handle);
    assert_eq!(b_after.state.reps, 1);
    assert_eq!(store.retired_count().unwrap(), 1);

    let back = store.sync_deck(&deck(TWO), now).unwrap();
    assert_eq!((back.added, back.retired, back.returned), (0, 1, 1));
    assert_eq!(store.review_count().unwrap(), 1);
}

#[test]
fn review_log_is_append_only() {
    let mut store = Store::open_in_memory().unwrap();
    let now = t("2026-01-01T09:00:00Z");
    store.sync_deck(&deck(TWO), now).unwrap();
    let card = store.cards(&Id::parse("d").unwrap()).unwrap()[0].clone();
    answer(&mut store, &card, Rating::Good, now);
    let err = store
        .conn
        .execute("UPDATE review SET rating = 4", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn activity_counts_reviews_correct_and_introduced() {
    let mut store = Store::open_in_memory().unwrap();
    let day = t("2026-01-01T04:00:00Z");
    store.sync_deck(&deck(TWO), day).unwrap();
    let cards = store.cards(&Id::parse("d").unwrap()).unwrap();
    let s = answer(
        &mut store,
        &cards[0],
        Rating::Good,
        t("2026-01-01T09:00:00Z"),
    );
    let a_again = StoredCard {
        state: s,
        ..cards[0].clone()
    };
    answer(
        &mut store,
        &a_again,
        Rating::Good,
        t("2026-01-03T09:00:00Z"),
    );
    answer(
        &mut store,
        &cards[1],
        Rating::Again,
        t("2026-01-03T10:00:00Z"),
    );
    let d3 = store
        .activity(None, t("2026-01-03T04:00:00Z"), t("2026-01-04T04:00:00Z"))
        .unwrap();
    assert_eq!(
        d3,
        Activity {
            reviews: 2,
            correct: 2,
            introduced: 1
        }
    );
}

#[test]
fn state_cache_is_rebuilt_from_the_log_when_the_scheduler_changes() {
    let mut store = Store::open_in_memory().unwrap();
    let now = t("2026-01-01T09:00:00Z");
    store.sync_deck(&deck(TWO), now).unwrap();
    let fsrs = Fsrs::default();
    assert!(
        store
            .ensure_states(&Id::parse("d").unwrap(), &fsrs, "fsrs-6:default")
            .unwrap()
    );
    let card = store.cards(&Id::parse("d").unwrap()).unwrap()[0].clone();
    let s1 = answer(&mut store, &card, Rating::Good, now);
    let card = StoredCard { state: s1, ..card };
    let s2 = answer(&mut store, &card, Rating::Hard, t("2026-01-04T09:00:00Z"));
    // Corrupt the cache, then rebuild it: the fold of the log gives the same state.
    store.conn.execute("DELETE FROM card_state", []).unwrap();
    assert!(
        !store
            .ensure_states(&Id::parse("d").unwrap(), &fsrs, "fsrs-6:default")
            .unwrap()
    );
    assert!(
        store
            .ensure_states(&Id::parse("d").unwrap(), &fsrs, "fsrs-6:other")
            .unwrap()
    );
    let rebuilt = store.cards(&Id::parse("d").unwrap()).unwrap()[0].clone();
    assert_eq!(rebuilt.state, s2);
}

#[test]
fn newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
    }
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
}

#[test]
fn garbage_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    // Never overwritten.
    assert_eq!(std::fs::read(&path).unwrap(), vec![b'x'; 4096]);
}
