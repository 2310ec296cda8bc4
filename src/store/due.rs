//! What is due, per deck, for `factdrill due` (a shell prompt calls it: it must cost
//! milliseconds at 100k cards). Nothing reads every card (migration 0007): a deck's due
//! cards and its next due time come from its range of `card_state_by_deck` (due order), its new cards from the
//! `deck_tally` counts (active cards, and of them the seen ones) that triggers keep, and
//! the few cards a mark holds back are read from `card_mark` and taken off.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{DeckDue, Store, StoreError, timestamp};

/// A deck's active new cards held back at `?1` by a mark. Marks are few: read first
/// (CROSS JOIN keeps SQLite from reading every card of the deck to look for one).
const HELD_NEW: &str = "SELECT card.deck_id, count(*) FROM card_mark AS m
     CROSS JOIN card ON card.id = m.card_id AND card.retired_at IS NULL
     LEFT JOIN card_state AS cs ON cs.card_id = m.card_id
     WHERE (m.suspended_at IS NOT NULL OR m.buried_until > ?1)
       AND (cs.card_id IS NULL OR cs.phase = 'new')
     GROUP BY card.deck_id";

/// Per deck, the earliest time a card buried past `?1` (and not suspended) is due once
/// unburied.
const UNBURIED: &str = "SELECT card.deck_id, min(max(cs.due, m.buried_until)) FROM card_mark AS m
     CROSS JOIN card ON card.id = m.card_id AND card.retired_at IS NULL
     CROSS JOIN card_state AS cs ON cs.card_id = m.card_id
     WHERE m.suspended_at IS NULL AND m.buried_until > ?1
     GROUP BY card.deck_id";

/// Deck `?3`'s active cards due at `?1` and before `?2` (or at `?1`, should the day end
/// before it), not held back by a mark: a range of `card_state_by_deck`, with a look-up in
/// the small indexes of retired and marked cards for each.
const DUE: &str = "SELECT coalesce(sum(cs.due <= ?1), 0), coalesce(sum(cs.due < ?2), 0)
     FROM card_state AS cs INDEXED BY card_state_by_deck
     WHERE cs.deck_id = ?3 AND cs.due < max(?1 + 1, ?2)
       AND NOT EXISTS (SELECT 1 FROM card INDEXED BY card_retired
                       WHERE card.id = cs.card_id AND card.retired_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM card_mark AS m WHERE m.card_id = cs.card_id
                       AND (m.suspended_at IS NOT NULL OR m.buried_until > ?1))";

/// The due time of deck `?2`'s first active card not held back at `?1`.
const FIRST_DUE: &str = "SELECT cs.due FROM card_state AS cs INDEXED BY card_state_by_deck
     WHERE cs.deck_id = ?2 AND cs.due IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM card INDEXED BY card_retired
                       WHERE card.id = cs.card_id AND card.retired_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM card_mark AS m WHERE m.card_id = cs.card_id
                       AND (m.suspended_at IS NOT NULL OR m.buried_until > ?1))
     ORDER BY cs.due LIMIT 1";

/// Deck `?1`'s unsettled states (learning, relearning, and 'new' ones): few, each a card
/// the day can use; the card's key and place come with them.
const DAY_UNSETTLED: &str = "SELECT s.card_id, c.key, c.position, s.state, s.phase = 'new'
     FROM card_state AS s INDEXED BY card_state_unsettled
     CROSS JOIN card AS c ON c.id = s.card_id AND c.retired_at IS NULL
     WHERE s.deck_id = ?1 AND s.phase <> 'review'";

/// Deck `?1`'s reviews due before `?2`: a range of `card_state_in_due_order`, which has
/// their states.
const DAY_REVIEWS: &str = "SELECT s.card_id, c.key, c.position, s.state
     FROM card_state AS s INDEXED BY card_state_in_due_order
     CROSS JOIN card AS c ON c.id = s.card_id AND c.retired_at IS NULL
     WHERE s.deck_id = ?1 AND s.due < ?2 AND s.phase = 'review'";

/// Deck `?1`'s reviews without a due time (none are written so; kept as the queue would).
const DAY_REVIEWS_UNDATED: &str = "SELECT s.card_id, c.key, c.position, s.state
     FROM card_state AS s INDEXED BY card_state_in_due_order
     CROSS JOIN card AS c ON c.id = s.card_id AND c.retired_at IS NULL
     WHERE s.deck_id = ?1 AND s.due IS NULL AND s.phase = 'review'";

/// Deck `?1`'s reviews due at `?2` or later that had a normal review since `?3` (they hold
/// their siblings back): a range of the log's time index.
const DAY_REVIEWED: &str = "SELECT s.card_id, c.key, c.position, s.state
     FROM (SELECT DISTINCT card_id FROM review INDEXED BY review_by_time
           WHERE reviewed_at >= ?3 AND mode = 'normal') AS r
     CROSS JOIN card_state AS s ON s.card_id = r.card_id
     CROSS JOIN card AS c ON c.id = s.card_id AND c.retired_at IS NULL
     WHERE s.deck_id = ?1 AND s.phase = 'review' AND s.due >= ?2";

/// Deck `?1`'s cards never seen, in deck order: its range of `card_unseen`.
const DAY_UNSEEN: &str = "SELECT card_id, key, position FROM card_unseen WHERE deck_id = ?1";

/// Active cards with a state due before `?1`, not suspended (`Store::due_count`).
pub(super) const DUE_COUNT: &str =
    "SELECT count(*) FROM card_state AS cs INDEXED BY card_state_by_due
     WHERE cs.due < ?1
       AND NOT EXISTS (SELECT 1 FROM card INDEXED BY card_retired
                       WHERE card.id = cs.card_id AND card.retired_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM card_mark AS m
                       WHERE m.card_id = cs.card_id AND m.suspended_at IS NOT NULL)";

/// One card of a day's selection, its state not yet decoded.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct DayCard {
    position: i64,
    key: String,
    handle: i64,
    state: Option<String>,
}

impl Store {
    /// The cards of a deck a day's session can use, in deck order: every active card but
    /// the reviews due at `end` or later without a normal review since `start` (the queue
    /// rules can neither ask those nor let them hold a sibling back; at 100k cards they are
    /// nearly 90 % of them). Read from index ranges (migration 0009), not from every card:
    /// the deck's unseen cards, its unsettled states, its reviews due in the day and the
    /// cards reviewed since `start`; only the states of the cards kept are decoded.
    pub fn cards_for_day(
        &self,
        deck: &crate::deck::Id,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<super::StoredCard>, StoreError> {
        let fail = self.fail();
        let Some(deck_id) = self
            .conn
            .query_row("SELECT id FROM deck WHERE key = ?1", [deck.as_str()], |r| {
                r.get::<_, i64>(0)
            })
            .optional()
            .map_err(&fail)?
        else {
            return Ok(Vec::new());
        };
        let mut marks_of = self.deck_marks(deck_id)?;
        let mut cards = Vec::new();
        for card in self.day_selection(deck_id, start, end)? {
            let state = match card.state {
                Some(json) => {
                    serde_json::from_str(&json).map_err(|source| StoreError::BadState {
                        path: self.path.clone(),
                        source,
                    })?
                }
                None => crate::schedule::CardState::with_fuzz_seed(super::card_seed(
                    deck.as_str(),
                    &card.key,
                )),
            };
            cards.push(super::StoredCard {
                marks: marks_of.remove(&card.handle).unwrap_or_default(),
                handle: card.handle,
                key: card.key,
                position: card.position,
                state,
            });
        }
        Ok(cards)
    }

    /// `cards_for_day`'s cards, in deck order (position, then key, as the deck order index
    /// has them), with their states' JSON.
    fn day_selection(
        &self,
        deck_id: i64,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<DayCard>, StoreError> {
        let fail = self.fail();
        let read = |sql: &str, args: &[&dyn rusqlite::ToSql], out: &mut Vec<DayCard>| {
            let mut stmt = self.conn.prepare_cached(sql).map_err(&fail)?;
            let mut rows = stmt.query(args).map_err(&fail)?;
            while let Some(r) = rows.next().map_err(&fail)? {
                out.push(DayCard {
                    handle: r.get(0).map_err(&fail)?,
                    key: r.get(1).map_err(&fail)?,
                    position: r.get(2).map_err(&fail)?,
                    state: r.get(3).map_err(&fail)?,
                });
            }
            Ok::<_, StoreError>(())
        };
        let (start, end) = (start.as_millisecond(), end.as_millisecond());
        let mut cards = Vec::new();
        // States in the 'new' phase belong to unseen cards: kept for them, by card.
        let mut new_states: HashMap<i64, String> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(DAY_UNSETTLED).map_err(&fail)?;
            let mut rows = stmt.query([deck_id]).map_err(&fail)?;
            while let Some(r) = rows.next().map_err(&fail)? {
                let card = DayCard {
                    handle: r.get(0).map_err(&fail)?,
                    key: r.get(1).map_err(&fail)?,
                    position: r.get(2).map_err(&fail)?,
                    state: r.get(3).map_err(&fail)?,
                };
                if r.get::<_, bool>(4).map_err(&fail)? {
                    new_states.insert(card.handle, card.state.unwrap_or_default());
                } else {
                    cards.push(card);
                }
            }
        }
        read(DAY_REVIEWS, &[&deck_id, &end], &mut cards)?;
        read(DAY_REVIEWS_UNDATED, &[&deck_id], &mut cards)?;
        read(DAY_REVIEWED, &[&deck_id, &end, &start], &mut cards)?;
        {
            let mut stmt = self.conn.prepare_cached(DAY_UNSEEN).map_err(&fail)?;
            let mut rows = stmt.query([deck_id]).map_err(&fail)?;
            while let Some(r) = rows.next().map_err(&fail)? {
                let handle: i64 = r.get(0).map_err(&fail)?;
                cards.push(DayCard {
                    handle,
                    key: r.get(1).map_err(&fail)?,
                    position: r.get(2).map_err(&fail)?,
                    state: new_states.remove(&handle),
                });
            }
        }
        cards.sort_unstable();
        Ok(cards)
    }

    /// Per deck that has active cards: cards due now, due before `day_end`, new cards
    /// waiting, and the next due time. Suspended cards and cards buried past `now` are not
    /// due and not waiting; a buried card is next due when it is unburied.
    pub fn due_by_deck(
        &self,
        now: Timestamp,
        day_end: Timestamp,
    ) -> Result<Vec<DeckDue>, StoreError> {
        let now_ms = now.as_millisecond();
        let end_ms = day_end.as_millisecond();
        let by_deck = |sql: &str, args: &[&dyn rusqlite::ToSql]| {
            let mut stmt = self.conn.prepare(sql).map_err(self.fail())?;
            let rows = stmt
                .query_map(args, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?)))
                .map_err(self.fail())?;
            rows.collect::<Result<HashMap<i64, u32>, _>>()
                .map_err(self.fail())
        };
        // Active cards, and of them the seen ones, kept per deck by triggers (migration 0007).
        let mut tally: HashMap<i64, (u32, u32)> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT deck_id, active, active_seen FROM deck_tally WHERE active > 0")
                .map_err(self.fail())?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?))))
                .map_err(self.fail())?;
            for row in rows {
                let (deck, counts) = row.map_err(self.fail())?;
                tally.insert(deck, counts);
            }
        }
        let held_new = by_deck(HELD_NEW, &[&now_ms])?;
        let mut due = self.conn.prepare(DUE).map_err(self.fail())?;
        let mut first_due = self.conn.prepare(FIRST_DUE).map_err(self.fail())?;
        let mut unburied: HashMap<i64, i64> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(UNBURIED).map_err(self.fail())?;
            let rows = stmt
                .query_map([now_ms], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
                })
                .map_err(self.fail())?;
            for row in rows {
                if let (deck, Some(at)) = row.map_err(self.fail())? {
                    unburied.insert(deck, at);
                }
            }
        }
        let mut decks = self
            .conn
            .prepare("SELECT id, key, name FROM deck ORDER BY key")
            .map_err(self.fail())?;
        let rows = decks
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(self.fail())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, key, name) = row.map_err(self.fail())?;
            let Some(&(active, active_seen)) = tally.get(&id) else {
                continue; // no active card: not listed
            };
            let new = active
                .saturating_sub(active_seen)
                .saturating_sub(held_new.get(&id).copied().unwrap_or(0));
            let (due_now, due_today) = due
                .query_row(params![now_ms, end_ms, id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(self.fail())?;
            let first: Option<i64> = first_due
                .query_row(params![now_ms, id], |r| r.get(0))
                .optional()
                .map_err(self.fail())?;
            let next_due = match (first, unburied.get(&id).copied()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            out.push(DeckDue {
                key,
                name,
                due_now,
                due_today,
                new,
                next_due: next_due.map(timestamp),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query `due_by_deck` replaced: every active card joined to its state and marks.
    /// Slow at 100k cards, plainly right; the fast one must give the same answer.
    fn due_by_scan(store: &Store, now: i64, day_end: i64) -> Vec<DeckDue> {
        let mut stmt = store
            .conn
            .prepare(
                "SELECT deck.key, deck.name,
                        coalesce(sum(cs.due <= ?1 AND m.card_id IS NULL), 0),
                        coalesce(sum(cs.due < ?2 AND m.card_id IS NULL), 0),
                        coalesce(sum((cs.card_id IS NULL OR cs.phase = 'new') AND m.card_id IS NULL), 0),
                        min(CASE WHEN m.suspended_at IS NULL
                                 THEN max(cs.due, coalesce(m.buried_until, 0)) END)
                 FROM deck
                 JOIN card ON card.deck_id = deck.id AND card.retired_at IS NULL
                 LEFT JOIN card_state AS cs ON cs.card_id = card.id
                 LEFT JOIN card_mark AS m ON m.card_id = card.id
                   AND (m.suspended_at IS NOT NULL OR m.buried_until > ?1)
                 GROUP BY deck.id
                 ORDER BY deck.key",
            )
            .unwrap();
        stmt.query_map(params![now, day_end], |r| {
            Ok(DeckDue {
                key: r.get(0)?,
                name: r.get(1)?,
                due_now: r.get(2)?,
                due_today: r.get(3)?,
                new: r.get(4)?,
                next_due: r.get::<_, Option<i64>>(5)?.map(timestamp),
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn plan_of(store: &Store, sql: &str) -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    const DAY: i64 = 86_400_000;
    /// "Now" in these tests: 2020-01-01 (due times before 1970 would be another story).
    const BASE: i64 = 1_577_836_800_000;

    /// A database with every case: three decks (one with only retired cards), new, learning,
    /// review and 'new'-phase states, due in the past, today and later, retired cards with
    /// states, suspended and buried cards (buried past now and buried until earlier), and
    /// states written without a deck (as undo and sync write them) that the trigger fills.
    fn mixed(store: &Store) {
        let conn = &store.conn;
        for (id, key) in [(1, "a"), (2, "b"), (3, "c")] {
            conn.execute(
                "INSERT INTO deck (id, key, name, path, content_hash, added_at, synced_at)
                 VALUES (?1, ?2, ?2, '', '', 0, 0)",
                params![id, key],
            )
            .unwrap();
        }
        let mut n = 0_i64;
        for card in 1..=120_i64 {
            let deck = [1, 2, 2, 3][usize::try_from(card % 4).unwrap()];
            let retired = (deck == 3 || card % 13 == 0).then_some(5_i64);
            conn.execute(
                "INSERT INTO card (id, deck_id, key, kind, prompt, answer, position, added_at, retired_at)
                 VALUES (?1, ?2, ?1, 'k', 'p', 'a', ?1, 0, ?3)",
                params![card, deck, retired],
            )
            .unwrap();
            n = (n * 7 + 3) % 17;
            // 0-2: new (no state); 3: a 'new' state; else seen, due from -3 to +9 days.
            if n >= 3 {
                let (phase, due) = if n == 3 {
                    ("new", None)
                } else {
                    let phase =
                        ["learning", "review", "relearning"][usize::try_from(n % 3).unwrap()];
                    (phase, Some(BASE + (n - 7) * DAY + card))
                };
                // Half with the deck given, half left to the trigger.
                let deck_given = (card % 2 == 0).then_some(deck);
                conn.execute(
                    "INSERT INTO card_state (card_id, phase, due, state, deck_id)
                     VALUES (?1, ?2, ?3, '{}', ?4)",
                    params![card, phase, due, deck_given],
                )
                .unwrap();
            }
            match card % 9 {
                0 => {
                    conn.execute(
                        "INSERT INTO card_mark (card_id, suspended_at) VALUES (?1, 1)",
                        [card],
                    )
                    .unwrap();
                }
                1 => {
                    conn.execute(
                        "INSERT INTO card_mark (card_id, buried_until) VALUES (?1, ?2)",
                        params![card, BASE + DAY / 2 + card],
                    )
                    .unwrap();
                }
                2 => {
                    conn.execute(
                        "INSERT INTO card_mark (card_id, buried_until, flag) VALUES (?1, ?2, 'red')",
                        params![card, BASE - 1],
                    )
                    .unwrap();
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_indexed_counts_equal_a_scan_of_every_card() {
        let store = Store::open_in_memory().unwrap();
        mixed(&store);
        let day = DAY;
        for now in [-6 * day, -day, 0, day / 3, day, 3 * day, 20 * day].map(|t| BASE + t) {
            for end in [now, now + day / 2, now + day] {
                let fast = store.due_by_deck(timestamp(now), timestamp(end)).unwrap();
                let slow = due_by_scan(&store, now, end);
                assert_eq!(fast, slow, "now {now}, day end {end}");
            }
        }
        // The case has something to count.
        let at_zero = store
            .due_by_deck(timestamp(BASE), timestamp(BASE + day))
            .unwrap();
        assert_eq!(at_zero.len(), 2, "{at_zero:?}");
        assert!(
            at_zero
                .iter()
                .all(|d| d.due_now > 0 && d.new > 0 && d.next_due.is_some())
        );
        assert!(at_zero.iter().any(|d| d.due_today > d.due_now));
    }

    fn tally_is_a_recount(store: &Store) {
        let kept: Vec<(i64, i64, i64)> = store
            .conn
            .prepare(
                "SELECT deck_id, active, active_seen FROM deck_tally WHERE active > 0 ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let counted: Vec<(i64, i64, i64)> = store
            .conn
            .prepare(
                "SELECT card.deck_id, count(*), count(cs.card_id) FROM card
                 LEFT JOIN card_state AS cs ON cs.card_id = card.id AND cs.phase <> 'new'
                 WHERE card.retired_at IS NULL GROUP BY card.deck_id ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(kept, counted);
        assert!(!kept.is_empty());
    }

    fn unseen_is_a_recount(store: &Store) {
        let rows = |sql: &str| -> Vec<(i64, i64, i64, String)> {
            store
                .conn
                .prepare(sql)
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let kept = rows("SELECT deck_id, position, card_id, key FROM card_unseen ORDER BY 1, 2, 3");
        let counted = rows(
            "SELECT deck_id, position, id, key FROM card WHERE retired_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM card_state WHERE card_id = card.id AND phase <> 'new')
             ORDER BY 1, 2, 3",
        );
        assert_eq!(kept, counted);
        assert!(!kept.is_empty());
    }

    /// The cards `cards_for_day` keeps, by a scan of every card: all active ones but the
    /// reviews due at `end` or later without a normal review since `start`.
    fn day_by_scan(store: &Store, deck: i64, start: i64, end: i64) -> Vec<DayCard> {
        store
            .conn
            .prepare(
                "SELECT card.position, card.key, card.id, cs.state FROM card
                 LEFT JOIN card_state AS cs ON cs.card_id = card.id
                 WHERE card.deck_id = ?1 AND card.retired_at IS NULL
                   AND NOT coalesce(cs.phase = 'review' AND cs.due >= ?2
                       AND card.id NOT IN (SELECT card_id FROM review
                                           WHERE reviewed_at >= ?3 AND mode = 'normal'), 0)
                 ORDER BY card.position, card.key",
            )
            .unwrap()
            .query_map(params![deck, end, start], |r| {
                Ok(DayCard {
                    position: r.get(0)?,
                    key: r.get(1)?,
                    handle: r.get(2)?,
                    state: r.get(3)?,
                })
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[track_caller]
    fn day_is_a_scan(store: &Store, what: &str) {
        let (mut kept_some, mut left_out_some) = (false, false);
        for deck in 1..=4 {
            let active: i64 = store
                .conn
                .query_row(
                    "SELECT count(*) FROM card WHERE deck_id = ?1 AND retired_at IS NULL",
                    [deck],
                    |r| r.get(0),
                )
                .unwrap();
            for start in [BASE - 2 * DAY, BASE, BASE + DAY / 2, BASE + 3 * DAY] {
                for end in [start + DAY / 3, start + DAY] {
                    let fast = store
                        .day_selection(deck, timestamp(start), timestamp(end))
                        .unwrap();
                    let slow = day_by_scan(store, deck, start, end);
                    assert_eq!(fast, slow, "{what}: deck {deck}, day {start}..{end}");
                    kept_some |= !fast.is_empty();
                    left_out_some |= (fast.len() as i64) < active;
                }
            }
        }
        assert!(kept_some && left_out_some);
    }

    /// Reviews in the log around `BASE`, normal and cram, for `cards_for_day`'s "reviewed
    /// since the day began".
    fn reviews(store: &Store) {
        for card in (1..=120_i64).filter(|c| c % 5 == 1) {
            let mode = if card % 3 == 0 { "cram" } else { "normal" };
            store
                .conn
                .execute(
                    "INSERT INTO review (card_id, reviewed_at, rating, answer, verdict,
                                         response_ms, scheduler, mode)
                     VALUES (?1, ?2, 3, 'a', 'correct', 1, 'fsrs-6', ?3)",
                    params![card, BASE + (card % 4 - 1) * DAY / 2, mode],
                )
                .unwrap();
        }
    }

    /// Every way the cards and states change keeps the tally equal to a recount, and the
    /// counts of `due` equal to a scan after each.
    #[test]
    fn the_tally_stays_a_recount_through_every_change() {
        let store = Store::open_in_memory().unwrap();
        mixed(&store);
        reviews(&store);
        tally_is_a_recount(&store);
        unseen_is_a_recount(&store);
        day_is_a_scan(&store, "at first");
        let changes = [
            // An edited file moves cards (`sync_deck` sets every position).
            "UPDATE card SET position = 200 - position WHERE id % 4 = 1",
            // Retire seen and new cards, bring some back.
            "UPDATE card SET retired_at = 9 WHERE id % 5 = 0",
            "UPDATE card SET retired_at = NULL WHERE id % 10 = 0",
            // A deck with only retired cards gets one back.
            "UPDATE card SET retired_at = NULL WHERE id = 3",
            // States change phase (the upsert of `record`), some to and from 'new'.
            "INSERT INTO card_state (card_id, phase, due, state) SELECT id, 'review', 1, '{}'
             FROM card WHERE id % 3 = 0 AND true
             ON CONFLICT (card_id) DO UPDATE SET phase = excluded.phase, due = excluded.due",
            "UPDATE card_state SET phase = 'new', due = NULL WHERE card_id % 7 = 0",
            // Undo of a card's only review; a rebuild of a deck's states.
            "DELETE FROM card_state WHERE card_id % 11 = 0",
            "DELETE FROM card_state WHERE deck_id = 2",
            "INSERT INTO card_state (card_id, phase, due, state)
             SELECT id, 'learning', id, '{}' FROM card WHERE deck_id = 2 AND id % 2 = 1",
            // New cards, one of them in a new deck.
            "INSERT INTO deck (id, key, name, path, content_hash, added_at, synced_at)
             VALUES (4, 'd', 'd', '', '', 0, 0)",
            "INSERT INTO card (id, deck_id, key, kind, prompt, answer, position, added_at)
             VALUES (500, 4, 'x', 'k', 'p', 'a', 1, 0), (501, 1, 'y', 'k', 'p', 'a', 1, 0)",
            "INSERT INTO card_state (card_id, phase, due, state) VALUES (500, 'review', 5, '{}')",
            "DELETE FROM card WHERE id = 501",
        ];
        for change in changes {
            store.conn.execute(change, []).unwrap();
            tally_is_a_recount(&store);
            unseen_is_a_recount(&store);
            day_is_a_scan(&store, change);
            for now in [BASE - DAY, BASE, BASE + 2 * DAY] {
                let fast = store
                    .due_by_deck(timestamp(now), timestamp(now + DAY))
                    .unwrap();
                assert_eq!(fast, due_by_scan(&store, now, now + DAY), "after {change}");
            }
        }
    }

    /// The migration fills the new column and the tally from what a database already has.
    #[test]
    fn the_migration_fills_the_deck_column_and_the_tally() {
        // Migration 0008, on a database at the schema before it.
        let (conn, last) = super::super::migrate::schema_before("CREATE TABLE deck_tally");
        conn.execute_batch(
            "INSERT INTO deck (id, key, name, path, content_hash, added_at, synced_at)
             VALUES (1, 'a', 'a', '', '', 0, 0), (2, 'b', 'b', '', '', 0, 0);
             INSERT INTO card (id, deck_id, key, kind, prompt, answer, position, added_at, retired_at)
             VALUES (1, 1, '1', 'k', 'p', 'a', 1, 0, NULL), (2, 1, '2', 'k', 'p', 'a', 2, 0, NULL),
                    (3, 2, '3', 'k', 'p', 'a', 1, 0, NULL), (4, 2, '4', 'k', 'p', 'a', 2, 0, 7),
                    (5, 2, '5', 'k', 'p', 'a', 3, 0, NULL);
             INSERT INTO card_state (card_id, phase, due, state)
             VALUES (1, 'review', 10, '{}'), (3, 'learning', 20, '{}'), (4, 'review', 30, '{}'),
                    (5, 'new', NULL, '{}');",
        )
        .unwrap();
        conn.execute_batch(last).unwrap();
        let decks: Vec<(i64, i64)> = conn
            .prepare("SELECT card_id, deck_id FROM card_state ORDER BY card_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(decks, [(1, 1), (3, 2), (4, 2), (5, 2)]);
        let tally: Vec<(i64, i64, i64)> = conn
            .prepare("SELECT deck_id, active, active_seen FROM deck_tally ORDER BY deck_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(tally, [(1, 2, 1), (2, 2, 1)]);
    }

    #[test]
    fn the_due_count_equals_a_join_with_every_due_card() {
        let store = Store::open_in_memory().unwrap();
        mixed(&store);
        let mut counted_some = false;
        for before in [BASE - 4 * DAY, BASE, BASE + DAY, BASE + 10 * DAY] {
            let fast = store.due_count(timestamp(before)).unwrap();
            let slow: u32 = store
                .conn
                .query_row(
                    "SELECT count(*) FROM card_state JOIN card ON card.id = card_state.card_id
                     WHERE card.retired_at IS NULL AND card_state.due < ?1
                       AND NOT EXISTS (SELECT 1 FROM card_mark AS m
                                       WHERE m.card_id = card.id AND m.suspended_at IS NOT NULL)",
                    [before],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(fast, slow, "before {before}");
            counted_some |= fast > 0;
        }
        assert!(counted_some);
        let plan = plan_of(&store, DUE_COUNT);
        assert!(
            plan[0].contains("COVERING INDEX card_state_by_due (due<?)"),
            "{plan:?}"
        );
    }

    /// Migration 0009 lists the unseen cards of a database at the schema before it.
    #[test]
    fn the_migration_lists_the_unseen_cards() {
        // Found by what it creates: the lead may renumber it when branches merge.
        let (conn, migration) = super::super::migrate::schema_before("CREATE TABLE card_unseen");
        conn.execute_batch(
            "INSERT INTO deck (id, key, name, path, content_hash, added_at, synced_at)
             VALUES (1, 'a', 'a', '', '', 0, 0), (2, 'b', 'b', '', '', 0, 0);
             INSERT INTO card (id, deck_id, key, kind, prompt, answer, position, added_at, retired_at)
             VALUES (1, 1, 'x', 'k', 'p', 'a', 1, 0, NULL), (2, 1, 'y', 'k', 'p', 'a', 2, 0, NULL),
                    (3, 2, 'z', 'k', 'p', 'a', 1, 0, NULL), (4, 2, 'w', 'k', 'p', 'a', 2, 0, 7),
                    (5, 2, 'v', 'k', 'p', 'a', 3, 0, NULL);
             INSERT INTO card_state (card_id, phase, due, state)
             VALUES (1, 'review', 10, '{}'), (3, 'learning', 20, '{}'), (5, 'new', NULL, '{}');",
        )
        .unwrap();
        conn.execute_batch(migration).unwrap();
        let unseen: Vec<(i64, i64, i64, String)> = conn
            .prepare("SELECT deck_id, position, card_id, key FROM card_unseen ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            unseen,
            [(1, 2, 2, "y".to_owned()), (2, 3, 5, "v".to_owned())]
        );
    }

    #[test]
    fn the_day_queries_read_index_ranges() {
        let store = Store::open_in_memory().unwrap();
        let case = |sql: &str, index: &str| {
            let plan = plan_of(&store, sql);
            assert!(plan.iter().any(|s| s.contains(index)), "{plan:?}");
            // The day's reviews (a range of the time index) are the only rows scanned, and
            // made distinct; nothing is sorted.
            assert!(
                !plan.iter().any(|s| s.starts_with("SCAN") && s != "SCAN r"),
                "{plan:?}"
            );
            assert!(
                !plan
                    .iter()
                    .any(|s| s.contains("TEMP B-TREE") && !s.contains("DISTINCT")),
                "{plan:?}"
            );
        };
        case(DAY_UNSETTLED, "card_state_unsettled (deck_id=?)");
        case(
            DAY_REVIEWS,
            "COVERING INDEX card_state_in_due_order (deck_id=? AND due<?)",
        );
        case(
            DAY_REVIEWS_UNDATED,
            "COVERING INDEX card_state_in_due_order (deck_id=? AND due=? AND phase=?)",
        );
        case(DAY_REVIEWED, "review_by_time (reviewed_at>?)");
        case(DAY_UNSEEN, "PRIMARY KEY (deck_id=?)");
        for trigger in ["card_unseen_state_insert", "card_unseen_state_update"] {
            let body: String = store
                .conn
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE name = ?1",
                    [trigger],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(body.contains("(deck_id, position, card_id) IN"), "{body}");
        }
        let delete = plan_of(
            &store,
            "DELETE FROM card_unseen WHERE (deck_id, position, card_id) IN
                (SELECT deck_id, position, id FROM card WHERE id = ?1)",
        );
        assert!(!delete.iter().any(|s| s.starts_with("SCAN")), "{delete:?}");
    }

    #[test]
    fn states_get_their_deck_whoever_writes_them() {
        let store = Store::open_in_memory().unwrap();
        mixed(&store);
        let wrong: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM card_state JOIN card ON card.id = card_state.card_id
                 WHERE card_state.deck_id IS NOT card.deck_id",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(wrong, 0);
    }

    #[test]
    fn the_due_queries_read_index_ranges() {
        let store = Store::open_in_memory().unwrap();
        for sql in [DUE, FIRST_DUE] {
            let plan = plan_of(&store, sql);
            assert!(
                plan[0].contains("USING COVERING INDEX card_state_by_deck (deck_id=? AND due"),
                "{plan:?}"
            );
            assert!(
                plan.iter()
                    .any(|s| s.contains("USING COVERING INDEX card_retired (id=?")),
                "{plan:?}"
            );
            assert!(!plan.iter().any(|s| s.contains("TEMP B-TREE")), "{plan:?}");
        }
        for marks in [HELD_NEW, UNBURIED] {
            let plan = plan_of(&store, marks);
            assert!(plan[0].starts_with("SCAN m"), "{plan:?}");
            assert!(
                plan[1..]
                    .iter()
                    .all(|s| s.starts_with("SEARCH") || s.contains("GROUP BY")),
                "{plan:?}"
            );
        }
        let first = plan_of(&store, FIRST_DUE);
        assert!(
            first
                .iter()
                .any(|s| s.contains("card_state_by_deck (deck_id=? AND due>?)")),
            "{first:?}"
        );
        assert!(
            !first.iter().any(|s| s.contains("TEMP B-TREE")),
            "{first:?}"
        );
    }
}
