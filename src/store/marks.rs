//! Marks on cards: suspend, bury, flag, the leech tag, each change an event in `mark_event`
//! (which sync carries to the other devices) and the fold of a card's events cached in
//! `card_mark`; finding cards by `DECK/CARD` for `factdrill card`; and undo, which deletes a
//! card's last review and folds the rest of its log again. Marks never touch the review log.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError, card_seed, classify, state_params, timestamp};
use crate::mark::{self, Flag, MarkChange, MarkEvent, Marks};
use crate::schedule::{CardState, Rating, Scheduler, replay_seeded};

/// A card found by its id, for `factdrill card`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCard {
    pub handle: i64,
    pub deck: String,
    pub card: String,
    pub prompt: String,
    pub retired: bool,
}

/// A `FoundCard` from a row of `card.id, deck.key, card.key, card.prompt, retired`.
fn found_card(r: &rusqlite::Row<'_>) -> rusqlite::Result<FoundCard> {
    Ok(FoundCard {
        handle: r.get(0)?,
        deck: r.get(1)?,
        card: r.get(2)?,
        prompt: r.get(3)?,
        retired: r.get(4)?,
    })
}

/// What undoing a review did.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The card's state folded from the reviews that remain (a new card's when none do).
    pub state: CardState,
    /// The undone review had made the card a leech; its tag and suspension were lifted.
    pub unleeched: bool,
}

impl Store {
    /// The cards with this id, in any deck or only in `deck`, ordered by deck.
    pub fn find_cards(&self, card: &str, deck: Option<&str>) -> Result<Vec<FoundCard>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT card.id, deck.key, card.key, card.prompt, card.retired_at IS NOT NULL
                 FROM card JOIN deck ON deck.id = card.deck_id
                 WHERE card.key = ?1 AND (?2 IS NULL OR deck.key = ?2)
                 ORDER BY deck.key",
            )
            .map_err(self.fail())?;
        let rows = stmt
            .query_map(params![card, deck], found_card)
            .map_err(self.fail())?;
        rows.collect::<Result<_, _>>().map_err(self.fail())
    }

    /// The cards each name could mean, all looked up at once: one scan of the cards for every
    /// id named (a lookup per name scanned them once per name: 10,000 names took 39 s). For
    /// each `(deck, card)` of `names`, in order: the cards with that id, in that deck if one
    /// is given, ordered by deck.
    pub fn find_named_cards(
        &self,
        names: &[(Option<&str>, &str)],
    ) -> Result<Vec<Vec<FoundCard>>, StoreError> {
        let keys: std::collections::BTreeSet<&str> = names.iter().map(|(_, card)| *card).collect();
        // The ids as one JSON array: a set SQLite reads with `json_each`, however many.
        let keys = serde_json::to_string(&keys).unwrap_or_default();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT card.id, deck.key, card.key, card.prompt, card.retired_at IS NOT NULL
                 FROM card JOIN deck ON deck.id = card.deck_id
                 WHERE card.key IN (SELECT value FROM json_each(?1))
                 ORDER BY deck.key",
            )
            .map_err(self.fail())?;
        let rows = stmt.query_map([keys], found_card).map_err(self.fail())?;
        let mut by_key: std::collections::HashMap<String, Vec<FoundCard>> =
            std::collections::HashMap::new();
        for row in rows {
            let card = row.map_err(self.fail())?;
            by_key.entry(card.card.clone()).or_default().push(card);
        }
        Ok(names
            .iter()
            .map(|(deck, card)| {
                by_key
                    .get(*card)
                    .map(|found| {
                        found
                            .iter()
                            .filter(|c| deck.is_none_or(|d| c.deck == d))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect())
    }

    /// Makes one change to the marks of many cards in one transaction (one commit, one
    /// sync of the disk, instead of one per card): each card still gets its own mark event,
    /// which sync carries, and its marks folded again.
    pub fn change_marks(
        &mut self,
        handles: &[i64],
        at: Timestamp,
        change: &MarkChange,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        for &handle in handles {
            log_change(&tx, handle, at, change).map_err(fail)?;
            refresh(&tx, handle).map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }

    /// A card's marks (none for a card without a row).
    pub fn marks(&self, handle: i64) -> Result<Marks, StoreError> {
        let marks = self
            .conn
            .query_row(
                "SELECT suspended_at, buried_until, flag, note, leech_review IS NOT NULL
                 FROM card_mark WHERE card_id = ?1",
                params![handle],
                marks_from_row,
            )
            .optional()
            .map_err(self.fail())?;
        Ok(marks.unwrap_or_default())
    }

    /// Suspends a card from `at`: never due until `unsuspend`. Suspending a suspended card
    /// keeps its first time.
    pub fn suspend(&mut self, handle: i64, at: Timestamp) -> Result<(), StoreError> {
        self.change(handle, at, &MarkChange::Suspend)
    }

    /// Lifts a suspension (the leech tag, if any, stays: it records what happened).
    pub fn unsuspend(&mut self, handle: i64, at: Timestamp) -> Result<(), StoreError> {
        self.change(handle, at, &MarkChange::Unsuspend)
    }

    /// Keeps a card out of sessions until `until` (the next study day's start).
    pub fn bury(&mut self, handle: i64, until: Timestamp, at: Timestamp) -> Result<(), StoreError> {
        self.change(handle, at, &MarkChange::Bury { until })
    }

    pub fn unbury(&mut self, handle: i64, at: Timestamp) -> Result<(), StoreError> {
        self.change(handle, at, &MarkChange::Unbury)
    }

    /// Sets (or, with `None`, clears) a card's flag and its note.
    pub fn set_flag(
        &mut self,
        handle: i64,
        flag: Option<Flag>,
        note: Option<&str>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let change = match flag {
            Some(flag) => MarkChange::Flag {
                flag,
                note: note.map(str::to_owned),
            },
            None => MarkChange::Unflag,
        };
        self.change(handle, at, &change)
    }

    /// Logs one change of a card's marks as this device's event and folds the card's marks
    /// again, in one transaction.
    fn change(
        &mut self,
        handle: i64,
        at: Timestamp,
        change: &MarkChange,
    ) -> Result<(), StoreError> {
        self.change_marks(&[handle], at, change)
    }

    /// A card's mark events, in the order they fold.
    pub fn mark_events(&self, handle: i64) -> Result<Vec<MarkEvent>, StoreError> {
        events_of(&self.conn, handle).map_err(self.fail())
    }

    /// Undoes one answer: deletes the card's review at `reviewed_at` (the latest one at that
    /// time) and stores the card's state folded again, by `scheduler`, from the reviews that
    /// remain, so the state is exactly what it would be had the answer never been given. A
    /// leech tag and suspension that review caused are lifted with it. `None` if the log has
    /// no such review (nothing changed).
    pub fn undo(
        &mut self,
        handle: i64,
        reviewed_at: Timestamp,
        scheduler: &dyn Scheduler,
    ) -> Result<Option<Undone>, StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        let found: Option<i64> = tx
            .query_row(
                "SELECT id FROM review WHERE card_id = ?1 AND reviewed_at = ?2
                 ORDER BY id DESC LIMIT 1",
                params![handle, reviewed_at.as_millisecond()],
                |r| r.get(0),
            )
            .optional()
            .map_err(fail)?;
        let Some(review) = found else {
            return Ok(None);
        };
        let leech_before = leech_review_of(&tx, handle).map_err(fail)?;
        tx.execute("DELETE FROM review WHERE id = ?1", params![review])
            .map_err(fail)?;
        // The leech event of the deleted review no longer counts: fold the marks again.
        refresh(&tx, handle).map_err(fail)?;
        let unleeched =
            leech_before.is_some() && leech_review_of(&tx, handle).map_err(fail)?.is_none();
        let (state, remaining) = fold(&tx, handle, scheduler).map_err(fail)?;
        if remaining == 0 {
            // Never reviewed again: no cache row, as for any new card.
            tx.execute("DELETE FROM card_state WHERE card_id = ?1", params![handle])
                .map_err(fail)?;
        } else {
            tx.execute(
                "INSERT INTO card_state (card_id, phase, due, state) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (card_id) DO UPDATE SET
                    phase = excluded.phase, due = excluded.due, state = excluded.state",
                state_params(handle, &state),
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        Ok(Some(Undone { state, unleeched }))
    }

    /// A card's state folded by `scheduler` from its normal (not cram) reviews: what the
    /// cache should hold.
    pub fn fold_card(
        &self,
        handle: i64,
        scheduler: &dyn Scheduler,
    ) -> Result<CardState, StoreError> {
        fold(&self.conn, handle, scheduler)
            .map(|(state, _)| state)
            .map_err(self.fail())
    }
}

/// Tags a card a leech and suspends it, both caused by `review` (its uid): a leech event of
/// this device, so undoing that review lifts both, here and on every device it syncs with.
pub(super) fn mark_leech(
    conn: &Connection,
    handle: i64,
    review: &str,
    at: Timestamp,
) -> rusqlite::Result<()> {
    log_change(
        conn,
        handle,
        at,
        &MarkChange::Leech {
            review: review.to_owned(),
        },
    )?;
    refresh(conn, handle)
}

/// Appends one change of this device to a card's mark log.
fn log_change(
    conn: &Connection,
    handle: i64,
    at: Timestamp,
    change: &MarkChange,
) -> rusqlite::Result<()> {
    let event = MarkEvent {
        uid: mark_uid(conn, handle, at)?,
        at,
        change: change.clone(),
    };
    insert_event(conn, handle, None, &event)?;
    Ok(())
}

/// Inserts a mark event (by `device`, or this device when `None`) unless its uid is known;
/// returns whether it was new.
pub(super) fn insert_event(
    conn: &Connection,
    handle: i64,
    device: Option<&str>,
    event: &MarkEvent,
) -> rusqlite::Result<bool> {
    let (until, flag, note, review) = match &event.change {
        MarkChange::Bury { until } => (Some(until.as_millisecond()), None, None, None),
        MarkChange::Flag { flag, note } => (None, Some(flag.as_str()), note.as_deref(), None),
        MarkChange::Leech { review } => (None, None, None, Some(review.as_str())),
        _ => (None, None, None, None),
    };
    let n = conn
        .prepare_cached(
            "INSERT INTO mark_event (uid, device, card_id, at, change, until, flag, note, review)
             VALUES (?1, coalesce(?2, (SELECT value FROM meta WHERE key = 'device_id'), ''),
                     ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (uid) DO NOTHING",
        )?
        .execute(params![
            event.uid,
            device,
            handle,
            event.at.as_millisecond(),
            event.change.name(),
            until,
            flag,
            note,
            review
        ])?;
    Ok(n > 0)
}

/// A new mark event's id: a UUIDv7 of `at`, made greater than the id of every event the card
/// already has (here or from other devices), so the change folds after everything this
/// device knew when it was made, even when its clock is behind another device's.
fn mark_uid(conn: &Connection, handle: i64, at: Timestamp) -> rusqlite::Result<String> {
    let ms = u64::try_from(at.as_millisecond().clamp(0, (1 << 48) - 1)).unwrap_or(0);
    let fresh = uuid::Builder::from_unix_timestamp_millis(ms, &rand::random())
        .into_uuid()
        .hyphenated()
        .to_string();
    let latest: Option<String> = conn
        .prepare_cached("SELECT max(uid) FROM mark_event WHERE card_id = ?1")?
        .query_row(params![handle], |r| r.get(0))?;
    Ok(super::sync::after(latest.as_deref(), fresh))
}

/// A card's mark events.
fn events_of(conn: &Connection, handle: i64) -> rusqlite::Result<Vec<MarkEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT uid, at, change, until, flag, note, review FROM mark_event
         WHERE card_id = ?1 ORDER BY uid",
    )?;
    let rows = stmt.query_map(params![handle], |r| {
        let name: String = r.get(2)?;
        let change = MarkChange::from_parts(
            &name,
            r.get::<_, Option<i64>>(3)?.map(timestamp),
            r.get::<_, Option<String>>(4)?
                .as_deref()
                .and_then(Flag::parse),
            r.get(5)?,
            r.get(6)?,
        );
        let (uid, at) = (r.get(0)?, timestamp(r.get(1)?));
        Ok(change.map(|change| MarkEvent { uid, at, change }))
    })?;
    // The table's checks make every row a change `from_parts` knows.
    Ok(rows
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect())
}

/// The review row (local id) that the cache says made the card a leech.
fn leech_review_of(conn: &Connection, handle: i64) -> rusqlite::Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT leech_review FROM card_mark WHERE card_id = ?1",
            params![handle],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Stores the fold of a card's mark events in the cache `card_mark` (no row for a card
/// without marks).
pub(super) fn refresh(conn: &Connection, handle: i64) -> rusqlite::Result<()> {
    let events = events_of(conn, handle)?;
    let mut find = conn.prepare_cached("SELECT id FROM review WHERE uid = ?1")?;
    let folded = mark::fold(&events, |uid| {
        find.query_row([uid], |r| r.get::<_, i64>(0))
            .optional()
            .ok()
            .flatten()
    });
    let m = &folded.marks;
    if *m == Marks::default() {
        conn.prepare_cached("DELETE FROM card_mark WHERE card_id = ?1")?
            .execute(params![handle])?;
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO card_mark (card_id, suspended_at, suspended_by_review, buried_until, flag,
                                note, leech_review)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (card_id) DO UPDATE SET
            suspended_at = excluded.suspended_at,
            suspended_by_review = excluded.suspended_by_review,
            buried_until = excluded.buried_until, flag = excluded.flag, note = excluded.note,
            leech_review = excluded.leech_review",
    )?
    .execute(params![
        handle,
        m.suspended.map(Timestamp::as_millisecond),
        folded.suspended_by,
        m.buried_until.map(Timestamp::as_millisecond),
        m.flag.map(Flag::as_str),
        m.note,
        folded.leech_review,
    ])?;
    Ok(())
}

/// The fold of a card's normal reviews, and how many there were.
fn fold(
    conn: &Connection,
    handle: i64,
    scheduler: &dyn Scheduler,
) -> rusqlite::Result<(CardState, usize)> {
    let (deck, card): (String, String) = conn.query_row(
        "SELECT deck.key, card.key FROM card JOIN deck ON deck.id = card.deck_id WHERE card.id = ?1",
        params![handle],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut stmt = conn.prepare(
        "SELECT rating, reviewed_at FROM review
         WHERE card_id = ?1 AND mode = 'normal' ORDER BY reviewed_at, uid, id",
    )?;
    let log = stmt
        .query_map(params![handle], |r| {
            Ok((
                Rating::from_number(r.get(0)?).unwrap_or(Rating::Again),
                timestamp(r.get(1)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((
        replay_seeded(scheduler, card_seed(&deck, &card), &log),
        log.len(),
    ))
}

/// `Marks` from a row of (suspended_at, buried_until, flag, note, is_leech).
pub(super) fn marks_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Marks> {
    Ok(Marks {
        suspended: r.get::<_, Option<i64>>(0)?.map(timestamp),
        buried_until: r.get::<_, Option<i64>>(1)?.map(timestamp),
        flag: r
            .get::<_, Option<String>>(2)?
            .as_deref()
            .and_then(Flag::parse),
        note: r.get(3)?,
        leech: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck;

    const DECKS: [&str; 2] = [
        "id: x\nname: X\ncards:\n  - {id: a, prompt: pa, answer: a}\n  - {id: both, prompt: pb, answer: b}\n",
        "id: y\nname: Y\ncards:\n  - {id: both, prompt: pc, answer: c}\n",
    ];

    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        for text in DECKS {
            store.sync_deck(&deck::load_str(text).unwrap(), at).unwrap();
        }
        store
    }

    #[test]
    fn named_cards_are_found_in_one_lookup_as_one_at_a_time_finds_them() {
        let store = store();
        let names = [
            (None, "a"),
            (Some("x"), "both"),
            (None, "both"),
            (Some("y"), "a"),
            (None, "nope"),
        ];
        let batch = store.find_named_cards(&names).unwrap();
        let single: Vec<Vec<FoundCard>> = names
            .iter()
            .map(|(deck, card)| store.find_cards(card, *deck).unwrap())
            .collect();
        assert_eq!(batch, single);
        let sizes: Vec<usize> = batch.iter().map(Vec::len).collect();
        assert_eq!(sizes, [1, 1, 2, 0, 0]);
    }

    #[test]
    fn a_change_to_many_cards_is_an_event_for_each_with_its_marks_folded() {
        let mut store = store();
        let at: Timestamp = "2026-01-02T00:00:00Z".parse().unwrap();
        let handles: Vec<i64> = store
            .find_named_cards(&[(Some("x"), "a"), (Some("y"), "both")])
            .unwrap()
            .into_iter()
            .flatten()
            .map(|c| c.handle)
            .collect();
        store
            .change_marks(&handles, at, &MarkChange::Suspend)
            .unwrap();
        for &h in &handles {
            assert_eq!(store.marks(h).unwrap().suspended, Some(at));
            let events = store.mark_events(h).unwrap();
            assert_eq!(events.len(), 1);
            assert_eq!(events[0].change, MarkChange::Suspend);
        }
        let other = store.find_cards("both", Some("x")).unwrap()[0].handle;
        assert_eq!(store.marks(other).unwrap(), Marks::default());
    }
}
