//! Marks on cards (table `card_mark`): suspend, bury, flag, the leech tag; finding cards by
//! `DECK/CARD` for `factdrill card`; and undo, which deletes a card's last review and folds
//! the rest of its log again. Marks never touch the review log.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Store, StoreError, card_seed, classify, state_params, timestamp};
use crate::mark::{Flag, Marks};
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

/// What undoing a review did.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The card's state folded from the reviews that remain (a new card's when none do).
    pub state: CardState,
    /// The undone review had made the card a leech; its tag and suspension were lifted.
    pub unleeched: bool,
}

/// The columns of `card_mark` a mark sets.
enum Change<'a> {
    Suspend(Timestamp),
    Unsuspend,
    Bury(Timestamp),
    Unbury,
    Flag(Option<Flag>, Option<&'a str>),
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
            .query_map(params![card, deck], |r| {
                Ok(FoundCard {
                    handle: r.get(0)?,
                    deck: r.get(1)?,
                    card: r.get(2)?,
                    prompt: r.get(3)?,
                    retired: r.get(4)?,
                })
            })
            .map_err(self.fail())?;
        rows.collect::<Result<_, _>>().map_err(self.fail())
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
        self.change(handle, &Change::Suspend(at))
    }

    /// Lifts a suspension (the leech tag, if any, stays: it records what happened).
    pub fn unsuspend(&mut self, handle: i64) -> Result<(), StoreError> {
        self.change(handle, &Change::Unsuspend)
    }

    /// Keeps a card out of sessions until `until` (the next study day's start).
    pub fn bury(&mut self, handle: i64, until: Timestamp) -> Result<(), StoreError> {
        self.change(handle, &Change::Bury(until))
    }

    pub fn unbury(&mut self, handle: i64) -> Result<(), StoreError> {
        self.change(handle, &Change::Unbury)
    }

    /// Sets (or, with `None`, clears) a card's flag and its note.
    pub fn set_flag(
        &mut self,
        handle: i64,
        flag: Option<Flag>,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        self.change(handle, &Change::Flag(flag, note))
    }

    fn change(&mut self, handle: i64, change: &Change<'_>) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        tx.execute(
            "INSERT INTO card_mark (card_id) VALUES (?1) ON CONFLICT (card_id) DO NOTHING",
            params![handle],
        )
        .map_err(fail)?;
        match change {
            Change::Suspend(at) => tx.execute(
                "UPDATE card_mark SET suspended_at = coalesce(suspended_at, ?2) WHERE card_id = ?1",
                params![handle, at.as_millisecond()],
            ),
            Change::Unsuspend => tx.execute(
                "UPDATE card_mark SET suspended_at = NULL, suspended_by_review = NULL
                 WHERE card_id = ?1",
                params![handle],
            ),
            Change::Bury(until) => tx.execute(
                "UPDATE card_mark SET buried_until = ?2 WHERE card_id = ?1",
                params![handle, until.as_millisecond()],
            ),
            Change::Unbury => tx.execute(
                "UPDATE card_mark SET buried_until = NULL WHERE card_id = ?1",
                params![handle],
            ),
            Change::Flag(flag, note) => tx.execute(
                "UPDATE card_mark SET flag = ?2, note = ?3 WHERE card_id = ?1",
                params![
                    handle,
                    flag.map(Flag::as_str),
                    note.filter(|_| flag.is_some())
                ],
            ),
        }
        .map_err(fail)?;
        tx.commit().map_err(fail)
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
        tx.execute("DELETE FROM review WHERE id = ?1", params![review])
            .map_err(fail)?;
        let unleeched = tx
            .execute(
                "UPDATE card_mark SET leech_review = NULL WHERE card_id = ?1 AND leech_review = ?2",
                params![handle, review],
            )
            .map_err(fail)?
            > 0;
        tx.execute(
            "UPDATE card_mark SET suspended_at = NULL, suspended_by_review = NULL
             WHERE card_id = ?1 AND suspended_by_review = ?2",
            params![handle, review],
        )
        .map_err(fail)?;
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

/// Tags a card a leech and suspends it, both caused by `review` (so undoing that review
/// lifts both).
pub(super) fn mark_leech(
    conn: &Connection,
    handle: i64,
    review: i64,
    at: Timestamp,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO card_mark (card_id) VALUES (?1) ON CONFLICT (card_id) DO NOTHING",
        params![handle],
    )?;
    conn.execute(
        "UPDATE card_mark SET leech_review = ?2,
            suspended_by_review = CASE WHEN suspended_at IS NULL THEN ?2 ELSE suspended_by_review END,
            suspended_at = coalesce(suspended_at, ?3)
         WHERE card_id = ?1",
        params![handle, review, at.as_millisecond()],
    )?;
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
         WHERE card_id = ?1 AND mode = 'normal' ORDER BY reviewed_at, id",
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
