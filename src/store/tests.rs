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
            previous: &card.state,
            cram: false,
            leech: false,
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

// --- Reliability: concurrent sessions, migrations, faults (docs/RELIABILITY.md) ---

fn file_store(dir: &tempfile::TempDir) -> (std::path::PathBuf, Store) {
    let path = dir.path().join("f.db");
    let store = Store::open(&path).unwrap();
    (path, store)
}

#[test]
fn still_due_notices_a_review_or_retirement_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut a) = file_store(&dir);
    let now = t("2026-01-01T09:00:00Z");
    a.sync_deck(&deck(TWO), now).unwrap();
    // A second connection stands for a second `factdrill study` on the same file.
    let b = Store::open(&path).unwrap();
    let seen_by_b = b.cards(&Id::parse("d").unwrap()).unwrap();
    assert!(
        b.still_due(seen_by_b[0].handle, &seen_by_b[0].state)
            .unwrap()
    );

    let seen_by_a = a.cards(&Id::parse("d").unwrap()).unwrap();
    let after = answer(&mut a, &seen_by_a[0], Rating::Good, now);
    assert!(
        !b.still_due(seen_by_b[0].handle, &seen_by_b[0].state)
            .unwrap()
    );
    assert!(
        b.still_due(seen_by_b[1].handle, &seen_by_b[1].state)
            .unwrap()
    );
    // The session that answered holds the new state, which is what the cache has.
    assert!(a.still_due(seen_by_a[0].handle, &after).unwrap());

    // `b` leaves the deck's file without card `b`: it is retired, so no longer due.
    a.sync_deck(
        &deck("id: d\nname: D\ncards:\n  - {id: a, prompt: pa, answer: x}\n"),
        now,
    )
    .unwrap();
    assert!(
        !b.still_due(seen_by_b[1].handle, &seen_by_b[1].state)
            .unwrap()
    );
}

#[test]
fn answers_to_one_card_from_two_sessions_are_both_logged_and_the_cache_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut a) = file_store(&dir);
    let now = t("2026-01-01T09:00:00Z");
    let id = Id::parse("d").unwrap();
    let fsrs = Fsrs::default();
    a.sync_deck(&deck(TWO), now).unwrap();
    a.ensure_states(&id, &fsrs, "fp").unwrap();
    let mut b = Store::open(&path).unwrap();
    let card_a = a.cards(&id).unwrap()[0].clone();
    let card_b = b.cards(&id).unwrap()[0].clone();
    // Both sessions showed the card before either answered.
    answer(&mut a, &card_a, Rating::Good, now);
    let later = t("2026-01-01T09:01:00Z");
    answer(&mut b, &card_b, Rating::Good, later);
    assert_eq!(a.review_count().unwrap(), 2, "both answers are in the log");
    // b's state was computed from a stale one: the cache must be rebuilt from the log.
    assert!(a.ensure_states(&id, &fsrs, "fp").unwrap());
    let rebuilt = a.cards(&id).unwrap()[0].state.clone();
    assert_eq!(rebuilt.reps, 2);
    // An answer that raced nothing leaves the cache trusted.
    let card = a.cards(&id).unwrap()[1].clone();
    answer(&mut a, &card, Rating::Good, later);
    assert!(!a.ensure_states(&id, &fsrs, "fp").unwrap());
}

fn user_version(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

fn has_table(conn: &Connection, name: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        == 1
}

#[test]
fn migrations_back_up_first_and_apply_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = file_store(&dir);
    assert_eq!(
        store.migration_backup(),
        None,
        "a new file is not backed up"
    );
    let now = t("2026-01-01T09:00:00Z");
    store.sync_deck(&deck(TWO), now).unwrap();
    let card = store.cards(&Id::parse("d").unwrap()).unwrap()[0].clone();
    answer(&mut store, &card, Rating::Good, now);
    drop(store);

    // A build with one more migration opens this database, at this build's version.
    let v = LATEST_VERSION;
    let mut more: Vec<&str> = migrate::MIGRATIONS.to_vec();
    more.push("CREATE TABLE extra (x INTEGER) STRICT;");
    let mut conn = Connection::open(&path).unwrap();
    let backup = migrate::apply_list(&mut conn, &path, v, &more)
        .unwrap()
        .expect("an existing database is backed up");
    assert_eq!((backup.from, backup.to), (v, v + 1));
    assert_eq!(backup.path, dir.path().join(format!("f.db.backup-v{v}")));
    assert_eq!(user_version(&conn), v + 1);
    assert!(has_table(&conn, "extra"));
    let copy = Connection::open(&backup.path).unwrap();
    assert_eq!(user_version(&copy), v);
    assert!(!has_table(&copy, "extra"));
    let reviews: i64 = copy
        .query_row("SELECT count(*) FROM review", [], |r| r.get(0))
        .unwrap();
    assert_eq!(reviews, 1, "the copy holds the history");
    drop(copy);
    let first_copy = std::fs::read(&backup.path).unwrap();

    // A failing migration changes nothing: the good one before it is rolled back too.
    let mut broken = more.clone();
    broken.push("CREATE TABLE more (x INTEGER) STRICT;");
    broken.push("CREATE TABLE worse (x INTEGER) STRICT; THIS IS NOT SQL;");
    let err = migrate::apply_list(&mut conn, &path, v + 1, &broken).unwrap_err();
    assert!(matches!(err, StoreError::Sqlite { .. }), "{err}");
    assert_eq!(user_version(&conn), v + 1);
    assert!(!has_table(&conn, "more") && !has_table(&conn, "worse"));
    // Its backup took a new name; the first one is untouched.
    let next = format!("f.db.backup-v{}", v + 1);
    assert!(dir.path().join(&next).exists());
    assert_eq!(std::fs::read(&backup.path).unwrap(), first_copy);
    let again = migrate::apply_list(&mut conn, &path, v + 1, &broken[..broken.len() - 1])
        .unwrap()
        .unwrap();
    assert_eq!(again.path, dir.path().join(format!("{next}-2")));
}

#[test]
fn another_programs_database_is_never_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    let conn = Connection::open(&path).unwrap();
    assert!(has_table(&conn, "notes"));
    assert!(!has_table(&conn, "review"), "no factdrill table was added");
    assert_eq!(user_version(&conn), 0);
}

#[test]
fn a_full_disk_is_reported_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = file_store(&dir);
    let now = t("2026-01-01T09:00:00Z");
    store.sync_deck(&deck(TWO), now).unwrap();
    let card = store.cards(&Id::parse("d").unwrap()).unwrap()[0].clone();
    // No page may be added: the database behaves as on a full disk (SQLITE_FULL).
    let pages: i64 = store
        .conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .unwrap();
    store
        .conn
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let fsrs = Fsrs::default();
    let state = fsrs.review(&card.state, Rating::Good, now);
    let long_answer = "x".repeat(50_000);
    let err = store
        .record(&NewReview {
            handle: card.handle,
            reviewed_at: now,
            rating: Rating::Good,
            answer: &long_answer,
            verdict: "correct",
            response_ms: 1,
            scheduler: fsrs.name(),
            state: &state,
            previous: &card.state,
            cram: false,
            leech: false,
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Full { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "the disk holding {} is full; free some space and try again",
            path.display()
        )
    );
    // Neither the review nor the card's new state was written.
    assert_eq!(store.review_count().unwrap(), 0);
    assert!(store.still_due(card.handle, &card.state).unwrap());
    // Once there is room again, the same answer is recorded.
    store
        .conn
        .pragma_update(None, "max_page_count", 1_000_000)
        .unwrap();
    answer(&mut store, &card, Rating::Good, now);
    assert_eq!(store.review_count().unwrap(), 1);
}

/// Records `rating` on `card` as `cram`/`leech` say; returns the new state (the card's own
/// for cram).
fn answer_as(
    store: &mut Store,
    card: &StoredCard,
    rating: Rating,
    at: Timestamp,
    cram: bool,
    leech: bool,
) -> CardState {
    let fsrs = Fsrs::default();
    let state = if cram {
        card.state.clone()
    } else {
        fsrs.review(&card.state, rating, at)
    };
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
            previous: &card.state,
            cram,
            leech,
        })
        .unwrap();
    state
}

fn card_a(store: &Store) -> StoredCard {
    store.cards(&Id::parse("d").unwrap()).unwrap()[0].clone()
}

#[test]
fn undo_restores_the_state_exactly_as_before_the_answer() {
    let mut store = Store::open_in_memory().unwrap();
    let fsrs = Fsrs::default();
    store
        .sync_deck(&deck(TWO), t("2026-01-01T09:00:00Z"))
        .unwrap();
    let new = card_a(&store);
    // A history with a lapse in it, each state taken from the store before the next answer.
    let mut states = vec![new.state.clone()];
    let mut times = vec![];
    for (i, rating) in [
        Rating::Good,
        Rating::Good,
        Rating::Again,
        Rating::Hard,
        Rating::Easy,
    ]
    .into_iter()
    .enumerate()
    {
        let at = t("2026-01-01T09:00:00Z") + jiff::SignedDuration::from_hours(30 * i as i64);
        let c = card_a(&store);
        answer(&mut store, &c, rating, at);
        states.push(card_a(&store).state);
        times.push(at);
    }
    // Undo each answer, newest first: the cache holds exactly the state before it, and it is
    // the fold of the remaining log.
    for i in (0..times.len()).rev() {
        let undone = store.undo(new.handle, times[i], &fsrs).unwrap().unwrap();
        assert_eq!(undone.state, states[i], "after undoing answer {i}");
        assert_eq!(card_a(&store).state, states[i]);
        assert_eq!(store.fold_card(new.handle, &fsrs).unwrap(), states[i]);
        assert!(store.still_due(new.handle, &states[i]).unwrap());
        assert!(!undone.unleeched);
    }
    assert_eq!(store.review_count().unwrap(), 0);
    assert_eq!(card_a(&store), new, "back to a new card, with no cache row");
    // Nothing left to undo: nothing changes.
    assert_eq!(store.undo(new.handle, times[0], &fsrs).unwrap(), None);
}

#[test]
fn cram_reviews_are_logged_but_change_no_state_limit_or_fold() {
    let mut store = Store::open_in_memory().unwrap();
    let fsrs = Fsrs::default();
    let id = Id::parse("d").unwrap();
    let day = t("2026-01-01T04:00:00Z");
    store.sync_deck(&deck(TWO), day).unwrap();
    let c = card_a(&store);
    let s1 = answer(&mut store, &c, Rating::Good, t("2026-01-01T09:00:00Z"));
    let c = card_a(&store);
    answer_as(
        &mut store,
        &c,
        Rating::Again,
        t("2026-01-01T09:05:00Z"),
        true,
        false,
    );
    let b = store.cards(&id).unwrap()[1].clone();
    answer_as(
        &mut store,
        &b,
        Rating::Again,
        t("2026-01-01T09:06:00Z"),
        true,
        false,
    );
    assert_eq!(store.review_count().unwrap(), 3, "all logged");
    assert_eq!(card_a(&store).state, s1);
    assert_eq!(store.cards(&id).unwrap()[1].state, b.state, "still new");
    let today = store
        .activity(None, day, t("2026-01-02T04:00:00Z"))
        .unwrap();
    assert_eq!((today.reviews, today.introduced), (1, 1));
    // A rebuild of the cache folds the normal reviews only.
    assert!(store.ensure_states(&id, &fsrs, "other").unwrap());
    assert_eq!(card_a(&store).state, s1);
    assert_eq!(
        store.review_count_in(None).unwrap(),
        1,
        "stats count no cram"
    );
    // Undoing a cram review deletes it and leaves the state alone.
    let undone = store
        .undo(card_a(&store).handle, t("2026-01-01T09:05:00Z"), &fsrs)
        .unwrap()
        .unwrap();
    assert_eq!(undone.state, s1);
    assert_eq!(store.review_count().unwrap(), 2);
}

#[test]
fn a_leech_is_tagged_and_suspended_and_undo_lifts_both() {
    let mut store = Store::open_in_memory().unwrap();
    let fsrs = Fsrs::default();
    let now = t("2026-01-01T09:00:00Z");
    store.sync_deck(&deck(TWO), now).unwrap();
    let a = card_a(&store);
    let before = answer(&mut store, &a, Rating::Good, now);
    let at = t("2026-01-05T09:00:00Z");
    let c = card_a(&store);
    answer_as(&mut store, &c, Rating::Again, at, false, true);
    let marks = store.marks(a.handle).unwrap();
    assert!(marks.leech);
    assert_eq!(marks.suspended, Some(at));
    assert!(card_a(&store).marks.holds_back(at));
    let undone = store.undo(a.handle, at, &fsrs).unwrap().unwrap();
    assert!(undone.unleeched);
    assert_eq!(undone.state, before);
    assert_eq!(
        store.marks(a.handle).unwrap(),
        crate::mark::Marks::default()
    );

    // A card the learner had suspended before stays suspended when the leech is undone.
    store.suspend(a.handle, now).unwrap();
    let c = card_a(&store);
    answer_as(&mut store, &c, Rating::Again, at, false, true);
    store.undo(a.handle, at, &fsrs).unwrap();
    let marks = store.marks(a.handle).unwrap();
    assert_eq!((marks.suspended, marks.leech), (Some(now), false));
}

#[test]
fn marks_are_set_and_cleared_and_keep_cards_out_of_due_counts() {
    use crate::mark::{Flag, Marks};
    let mut store = Store::open_in_memory().unwrap();
    let now = t("2026-01-01T09:00:00Z");
    let tomorrow = t("2026-01-02T04:00:00Z");
    store.sync_deck(&deck(TWO), now).unwrap();
    let a = card_a(&store);
    answer(&mut store, &a, Rating::Again, now);
    let later = t("2026-01-01T10:00:00Z");
    let due = |store: &Store| {
        let d = &store.due_by_deck(later, tomorrow).unwrap()[0];
        (d.due_now, d.due_today, d.new)
    };
    assert_eq!(due(&store), (1, 1, 1));
    store.suspend(a.handle, now).unwrap();
    store.suspend(a.handle, later).unwrap();
    assert_eq!(
        store.marks(a.handle).unwrap().suspended,
        Some(now),
        "first time kept"
    );
    assert_eq!(due(&store), (0, 0, 1));
    assert_eq!(store.due_count(tomorrow).unwrap(), 0);
    assert_eq!(store.phase_counts_in(None).unwrap().0.suspended, 1);
    assert_eq!(store.next_due().unwrap(), None);
    // A session that built its queue before the suspension skips the card.
    let held = card_a(&store).state;
    assert!(!store.still_due(a.handle, &held).unwrap());
    store.unsuspend(a.handle, later).unwrap();
    assert!(store.still_due(a.handle, &held).unwrap());
    assert_eq!(due(&store), (1, 1, 1));

    let b = store.cards(&Id::parse("d").unwrap()).unwrap()[1].clone();
    store.bury(b.handle, tomorrow, later).unwrap();
    assert_eq!(
        due(&store),
        (1, 1, 0),
        "a buried new card is not waiting today"
    );
    store.unbury(b.handle, later).unwrap();
    assert_eq!(due(&store), (1, 1, 1));

    store
        .set_flag(a.handle, Some(Flag::Blue), Some("check"), later)
        .unwrap();
    let marks = store.marks(a.handle).unwrap();
    assert_eq!(
        (marks.flag, marks.note.as_deref()),
        (Some(Flag::Blue), Some("check"))
    );
    assert_eq!(card_a(&store).marks, marks);
    store
        .set_flag(a.handle, None, Some("ignored"), later)
        .unwrap();
    assert_eq!(store.marks(a.handle).unwrap(), Marks::default());

    let found = store.find_cards("a", None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].deck.as_str(), found[0].handle), ("d", a.handle));
    assert!(store.find_cards("a", Some("other")).unwrap().is_empty());
}

#[test]
fn review_stream_reads_only_its_index() {
    let store = Store::open_in_memory().unwrap();
    let plan: Vec<String> = store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {}", report::REVIEW_STREAM))
        .unwrap()
        .query_map([Option::<String>::None], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter()
            .any(|step| step == "SCAN review USING COVERING INDEX review_in_card_order"),
        "{plan:?}"
    );
    // No sort step: the index order is the stream's order.
    assert!(
        !plan.iter().any(|step| step.contains("TEMP B-TREE")),
        "{plan:?}"
    );
}

/// A day's study cards are every card but the review cards due after the day and not
/// reviewed in it: the ones the queue can neither ask nor let hold a sibling back.
#[test]
fn the_days_cards_leave_out_only_reviews_due_later_and_not_reviewed_that_day() {
    let mut text = String::from("id: d\nname: D\ncards:\n");
    for i in 0..40 {
        text.push_str(&format!("  - {{id: c{i}, prompt: p{i}, answer: a{i}}}\n"));
    }
    let mut store = Store::open_in_memory().unwrap();
    let id = Id::parse("d").unwrap();
    let start = t("2026-01-01T09:00:00Z");
    store.sync_deck(&deck(&text), start).unwrap();
    // Cards 0-9 new; the others answered once at a time spread over 40 days, some Again
    // (learning), then some again in the last days.
    for (i, card) in store.cards(&id).unwrap().into_iter().enumerate().skip(10) {
        let at = start + jiff::SignedDuration::from_hours(24 * (i as i64 - 10));
        let rating = if i % 7 == 0 {
            Rating::Again
        } else {
            Rating::Easy
        };
        let state = answer(&mut store, &card, rating, at);
        if i % 3 == 0 {
            let again = StoredCard {
                state,
                ..card.clone()
            };
            answer(
                &mut store,
                &again,
                Rating::Good,
                at + jiff::SignedDuration::from_hours(24 * 20),
            );
        }
    }
    let all = store.cards(&id).unwrap();
    let mut kinds = std::collections::HashSet::new();
    for day in 20..60 {
        let day_start = start + jiff::SignedDuration::from_hours(24 * day);
        let day_end = day_start + jiff::SignedDuration::from_hours(24);
        let today = store.cards_for_day(&id, day_start, day_end).unwrap();
        let expected: Vec<&StoredCard> = all
            .iter()
            .filter(|c| {
                let later_review = c.state.phase == Phase::Review
                    && c.state.due.is_some_and(|d| d >= day_end)
                    && c.state.last_review.is_none_or(|l| l < day_start);
                kinds.insert((c.state.phase, later_review));
                !later_review
            })
            .collect();
        assert_eq!(today.iter().collect::<Vec<_>>(), expected, "day {day}");
        assert!(today.len() < all.len() || day > 50);
    }
    // New, learning and review cards, each kept and left out, were all seen.
    assert!(kinds.len() >= 4, "{kinds:?}");
}

#[test]
fn a_decks_cards_are_read_in_order_from_indexes_alone() {
    let store = Store::open_in_memory().unwrap();
    let plan_of = |sql: &str| -> Vec<String> {
        store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([1], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for (sql, index) in [
        (DECK_CARDS, "card_in_deck_order (deck_id=?)"),
        (DECK_STATES, "card_state_by_deck (deck_id=?)"),
    ] {
        let plan = plan_of(sql);
        assert_eq!(plan.len(), 1, "{plan:?}");
        assert!(
            plan[0].contains(&format!("USING COVERING INDEX {index}")),
            "{plan:?}"
        );
    }
    let marks = plan_of(DECK_MARKS);
    assert!(marks[0].starts_with("SCAN m"), "{marks:?}");
}

/// Frames in the WAL that the automatic checkpoint has not reset, after `pages` pages of
/// writes in separate commits.
fn wal_frames_after_writes(store: &Store, pages: usize) -> i64 {
    let blob = "x".repeat(3000);
    for i in 0..pages {
        store
            .conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![format!("filler/{i}"), blob],
            )
            .unwrap();
    }
    // PASSIVE returns (busy, frames in the WAL, frames checkpointed).
    store
        .conn
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
        .unwrap()
}

#[test]
fn held_checkpoints_stay_out_of_commits_until_the_session_ends() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = file_store(&dir);
    // SQLite's default: a commit over 1,000 pages of WAL checkpoints, so the WAL restarts.
    assert!(wal_frames_after_writes(&store, 1500) < 1000);
    let other = tempfile::tempdir().unwrap();
    let (_, held) = file_store(&other);
    held.hold_checkpoints().unwrap();
    let frames = wal_frames_after_writes(&held, 1500);
    assert!(frames >= 1500, "no commit checkpointed: {frames} frames");
    // `checkpoint` folds it in and turns the automatic checkpoint back on.
    held.checkpoint().unwrap();
    let auto: i64 = held
        .conn
        .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
        .unwrap();
    assert_eq!(auto, 1000);
}
