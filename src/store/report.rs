//! Queries behind `factdrill stats`: the review log streamed in card order, the cards it
//! belongs to, due times and per-deck counts. Read-only; additive to `Store`, kept apart
//! from the study path so the two can change independently.
//!
//! Every query takes an optional deck key: `None` means every deck.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{PhaseCounts, Store, StoreError, timestamp};
use crate::deck::Kind;
use crate::schedule::{Phase, Rating};

/// A deck as the statistics see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckInfo {
    /// The deck's row id.
    pub handle: i64,
    pub key: String,
    pub name: String,
    pub path: std::path::PathBuf,
}

/// One card, without its text: enough to attribute its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogCard {
    /// The card's row id (the `card_id` of its reviews).
    pub handle: i64,
    /// Index into `Catalog::decks`.
    pub deck: usize,
    pub key: String,
    pub kind: Kind,
    pub retired: bool,
    /// The kind of fact it asks about and the kind of question (`card_topic`); `None` for a
    /// card whose deck has not been synced since they were recorded, or that names no fact.
    pub fact: Option<String>,
    pub question: Option<String>,
}

/// The cards of the selected decks, ordered by handle (the order reviews are streamed in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub decks: Vec<DeckInfo>,
    pub cards: Vec<CatalogCard>,
}

impl Catalog {
    /// The card with this handle, if it is in the catalog.
    pub fn card(&self, handle: i64) -> Option<&CatalogCard> {
        self.cards
            .binary_search_by_key(&handle, |c| c.handle)
            .ok()
            .map(|i| &self.cards[i])
    }
}

/// One row of the review log, as the statistics read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewRow {
    pub card: i64,
    pub at: Timestamp,
    pub rating: Rating,
    /// The verdict was `correct` or `close` (as `Activity::correct` counts).
    pub correct: bool,
    pub response_ms: u64,
}

/// A card's text, for naming it in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardLabel {
    pub handle: i64,
    pub deck: String,
    pub card: String,
    pub prompt: String,
}

/// The review log of the selected decks in card order. Every column it reads is in the index
/// `review_in_card_order` (migration 0002), so SQLite reads that index front to back and
/// never the table (tested: `store::tests::review_stream_reads_only_its_index`).
pub(super) const REVIEW_STREAM: &str =
    "SELECT card_id, reviewed_at, rating, verdict IN ('correct', 'close'), response_ms
     FROM review
     WHERE mode = 'normal' AND (?1 IS NULL OR card_id IN
        (SELECT card.id FROM card JOIN deck ON deck.id = card.deck_id WHERE deck.key = ?1))
     ORDER BY card_id, reviewed_at, uid, id";

/// `select` (a query on `card_state AS cs` whose WHERE clause uses `?1`) limited to the
/// states of active (not retired, not suspended) cards of the selected deck (`?2`, its key;
/// NULL for every deck). Whether a card is retired or suspended is a look-up in a small
/// index, not a read of its row; a deck's states are one range of `card_state_by_deck`.
fn active_states(select: &str, deck: Option<&str>) -> String {
    let deck = if deck.is_some() {
        "AND cs.deck_id = (SELECT id FROM deck WHERE key = ?2)"
    } else {
        "AND ?2 IS NULL"
    };
    format!(
        "{select} {deck}
           AND NOT EXISTS (SELECT 1 FROM card INDEXED BY card_retired
                           WHERE card.id = cs.card_id AND card.retired_at IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM card_mark AS m
                           WHERE m.card_id = cs.card_id AND m.suspended_at IS NOT NULL)"
    )
}

impl Store {
    /// The selected decks, by key.
    pub fn catalog_decks(&self, deck: Option<&str>) -> Result<Vec<DeckInfo>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, key, name, path FROM deck WHERE ?1 IS NULL OR key = ?1 ORDER BY key",
            )
            .map_err(self.fail())?;
        stmt.query_map(params![deck], |row| {
            Ok(DeckInfo {
                handle: row.get(0)?,
                key: row.get(1)?,
                name: row.get(2)?,
                path: std::path::PathBuf::from(row.get::<_, String>(3)?),
            })
        })
        .and_then(Iterator::collect)
        .map_err(self.fail())
    }

    /// The selected decks and their cards, by handle.
    pub fn catalog(&self, deck: Option<&str>) -> Result<Catalog, StoreError> {
        let mut catalog = Catalog::default();
        let mut ids = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT id, key, name, path FROM deck WHERE ?1 IS NULL OR key = ?1 ORDER BY key",
                )
                .map_err(self.fail())?;
            let mut rows = stmt.query(params![deck]).map_err(self.fail())?;
            while let Some(row) = rows.next().map_err(self.fail())? {
                let handle = row.get::<_, i64>(0).map_err(self.fail())?;
                ids.push(handle);
                catalog.decks.push(DeckInfo {
                    handle,
                    key: row.get(1).map_err(self.fail())?,
                    name: row.get(2).map_err(self.fail())?,
                    path: std::path::PathBuf::from(row.get::<_, String>(3).map_err(self.fail())?),
                });
            }
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT card.id, card.deck_id, card.key, card.kind, card.retired_at IS NOT NULL,
                        card_topic.fact, card_topic.question
                 FROM card JOIN deck ON deck.id = card.deck_id
                 LEFT JOIN card_topic ON card_topic.card_id = card.id
                 WHERE ?1 IS NULL OR deck.key = ?1
                 ORDER BY card.id",
            )
            .map_err(self.fail())?;
        let mut rows = stmt.query(params![deck]).map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            let deck_id: i64 = row.get(1).map_err(self.fail())?;
            let Some(deck) = ids.iter().position(|&id| id == deck_id) else {
                continue;
            };
            let kind: String = row.get(3).map_err(self.fail())?;
            catalog.cards.push(CatalogCard {
                handle: row.get(0).map_err(self.fail())?,
                deck,
                key: row.get(2).map_err(self.fail())?,
                kind: Kind::parse(&kind).unwrap_or(Kind::Recall),
                retired: row.get(4).map_err(self.fail())?,
                fact: row.get(5).map_err(self.fail())?,
                question: row.get(6).map_err(self.fail())?,
            });
        }
        Ok(catalog)
    }

    /// The first and last review times of the selected decks, if they have any.
    pub fn review_span(
        &self,
        deck: Option<&str>,
    ) -> Result<Option<(Timestamp, Timestamp)>, StoreError> {
        let span: (Option<i64>, Option<i64>) = self
            .conn
            .query_row(
                // Two subqueries: SQLite finds a lone min() or max() at an end of an index,
                // but reads every row for both at once.
                "SELECT (SELECT min(reviewed_at) FROM review
                         WHERE mode = 'normal' AND (?1 IS NULL OR card_id IN
                            (SELECT card.id FROM card JOIN deck ON deck.id = card.deck_id
                             WHERE deck.key = ?1))),
                        (SELECT max(reviewed_at) FROM review
                         WHERE mode = 'normal' AND (?1 IS NULL OR card_id IN
                            (SELECT card.id FROM card JOIN deck ON deck.id = card.deck_id
                             WHERE deck.key = ?1)))",
                params![deck],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.fail())?;
        Ok(match span {
            (Some(first), Some(last)) => Some((timestamp(first), timestamp(last))),
            _ => None,
        })
    }

    /// Calls `each` for every review of the selected decks, ordered by card, then time: one
    /// row at a time, so a log of millions of reviews is never held in memory.
    pub fn for_each_review(
        &self,
        deck: Option<&str>,
        mut each: impl FnMut(ReviewRow),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(REVIEW_STREAM).map_err(self.fail())?;
        let mut rows = stmt.query(params![deck]).map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            let rating: i64 = row.get(2).map_err(self.fail())?;
            each(ReviewRow {
                card: row.get(0).map_err(self.fail())?,
                at: timestamp(row.get(1).map_err(self.fail())?),
                rating: Rating::from_number(rating).unwrap_or(Rating::Again),
                correct: row.get(3).map_err(self.fail())?,
                response_ms: u64::try_from(row.get::<_, i64>(4).map_err(self.fail())?).unwrap_or(0),
            });
        }
        Ok(())
    }

    /// The time of the latest normal (not cram) review before `before`: one step back
    /// through the log by the time index, so a study streak is counted a day at a time
    /// without reading the log.
    pub fn last_review_before(&self, before: Timestamp) -> Result<Option<Timestamp>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT reviewed_at FROM review INDEXED BY review_by_time
                 WHERE reviewed_at < ?1 AND mode = 'normal'
                 ORDER BY reviewed_at DESC LIMIT 1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([before.as_millisecond()], |r| r.get(0))
                    .optional()
            })
            .map(|ms| ms.map(timestamp))
            .map_err(self.fail())
    }

    /// Calls `each` with the time of every normal (not cram) review, in no particular
    /// order: enough to count study days.
    pub fn for_each_review_time(&self, mut each: impl FnMut(Timestamp)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT reviewed_at FROM review WHERE mode = 'normal'")
            .map_err(self.fail())?;
        let mut rows = stmt.query([]).map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            each(timestamp(row.get(0).map_err(self.fail())?));
        }
        Ok(())
    }

    /// Calls `each` with the due time of every active, already-seen card of the selected
    /// decks that is due before `before`.
    pub fn for_each_due(
        &self,
        deck: Option<&str>,
        before: Timestamp,
        mut each: impl FnMut(Timestamp),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(&active_states(
                "SELECT cs.due FROM card_state AS cs WHERE cs.due < ?1",
                deck,
            ))
            .map_err(self.fail())?;
        let mut rows = stmt
            .query(params![before.as_millisecond(), deck])
            .map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            each(timestamp(row.get(0).map_err(self.fail())?));
        }
        Ok(())
    }

    /// Active cards of the selected decks by phase, and their retired cards.
    pub fn phase_counts_in(&self, deck: Option<&str>) -> Result<(PhaseCounts, u32), StoreError> {
        let mut counts = PhaseCounts::default();
        // Phases of every state (one read of the index on (deck, due, phase)), less those of
        // retired cards (few: their own index). Suspended cards count in their phase.
        for (sql, sign) in [
            (
                "SELECT cs.phase, count(*) FROM card_state AS cs
                 WHERE ?1 IS NULL OR cs.deck_id = (SELECT id FROM deck WHERE key = ?1)
                 GROUP BY cs.phase",
                1,
            ),
            (
                "SELECT cs.phase, count(*) FROM card INDEXED BY card_retired
                 JOIN card_state AS cs ON cs.card_id = card.id
                 WHERE card.retired_at IS NOT NULL
                   AND (?1 IS NULL OR card.deck_id = (SELECT id FROM deck WHERE key = ?1))
                 GROUP BY cs.phase",
                -1,
            ),
        ] {
            let mut stmt = self.conn.prepare(sql).map_err(self.fail())?;
            let mut rows = stmt.query(params![deck]).map_err(self.fail())?;
            while let Some(row) = rows.next().map_err(self.fail())? {
                let phase: String = row.get(0).map_err(self.fail())?;
                let n: i64 = row.get(1).map_err(self.fail())?;
                let slot = match Phase::parse(&phase) {
                    Some(Phase::New) | None => continue,
                    Some(Phase::Learning) => &mut counts.learning,
                    Some(Phase::Review) => &mut counts.review,
                    Some(Phase::Relearning) => &mut counts.relearning,
                };
                *slot = u32::try_from(i64::from(*slot) + sign * n).unwrap_or(0);
            }
        }
        // Cards, and retired ones (few: their own index); every active card not learning or
        // in review is new, with a state or without.
        let (cards, retired): (u32, u32) = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM card
                         WHERE ?1 IS NULL OR deck_id = (SELECT id FROM deck WHERE key = ?1)),
                        (SELECT count(*) FROM card INDEXED BY card_retired
                         WHERE retired_at IS NOT NULL
                           AND (?1 IS NULL OR deck_id = (SELECT id FROM deck WHERE key = ?1)))",
                params![deck],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.fail())?;
        counts.new = cards
            .saturating_sub(retired)
            .saturating_sub(counts.learning + counts.review + counts.relearning);
        counts.suspended = self
            .conn
            .query_row(
                "SELECT count(*) FROM card_mark AS m
                 JOIN card ON card.id = m.card_id JOIN deck ON deck.id = card.deck_id
                 WHERE m.suspended_at IS NOT NULL AND card.retired_at IS NULL
                   AND (?1 IS NULL OR deck.key = ?1)",
                params![deck],
                |r| r.get(0),
            )
            .map_err(self.fail())?;
        Ok((counts, retired))
    }

    /// Active, already-seen cards of the selected decks due before `before`.
    pub fn due_count_in(&self, deck: Option<&str>, before: Timestamp) -> Result<u32, StoreError> {
        self.conn
            .query_row(
                &active_states(
                    "SELECT count(*) FROM card_state AS cs WHERE cs.due < ?1",
                    deck,
                ),
                params![before.as_millisecond(), deck],
                |r| r.get(0),
            )
            .map_err(self.fail())
    }

    /// The earliest due time among active, already-seen cards of the selected decks.
    pub fn next_due_in(&self, deck: Option<&str>) -> Result<Option<Timestamp>, StoreError> {
        let ms: Option<i64> = self
            .conn
            .query_row(
                &active_states(
                    "SELECT min(cs.due) FROM card_state AS cs WHERE ?1 IS NULL",
                    deck,
                ),
                params![None::<i64>, deck],
                |r| r.get(0),
            )
            .map_err(self.fail())?;
        Ok(ms.map(timestamp))
    }

    /// Reviews in the log of the selected decks.
    pub fn review_count_in(&self, deck: Option<&str>) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM review
                 WHERE mode = 'normal' AND (?1 IS NULL OR card_id IN
                    (SELECT card.id FROM card JOIN deck ON deck.id = card.deck_id WHERE deck.key = ?1))",
                params![deck],
                |r| r.get(0),
            )
            .map_err(self.fail())
    }

    /// The deck, id and prompt of each of these cards, in the order given (unknown handles
    /// are left out).
    pub fn card_labels(&self, handles: &[i64]) -> Result<Vec<CardLabel>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT deck.key, card.key, card.prompt FROM card
                 JOIN deck ON deck.id = card.deck_id WHERE card.id = ?1",
            )
            .map_err(self.fail())?;
        let mut labels = Vec::with_capacity(handles.len());
        for &handle in handles {
            let mut rows = stmt.query(params![handle]).map_err(self.fail())?;
            if let Some(row) = rows.next().map_err(self.fail())? {
                labels.push(CardLabel {
                    handle,
                    deck: row.get(0).map_err(self.fail())?,
                    card: row.get(1).map_err(self.fail())?,
                    prompt: row.get(2).map_err(self.fail())?,
                });
            }
        }
        Ok(labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck;
    use crate::schedule::{CardState, Fsrs, Scheduler};
    use crate::store::NewReview;

    /// The counts taken from the indexes equal a count of every card: retired cards apart,
    /// suspended cards in their phase, cards never seen (with or without a state) new.
    #[test]
    fn phase_counts_from_the_indexes_equal_a_count_of_every_card() {
        let mut store = Store::open_in_memory().unwrap();
        let at: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        let text = |ids: &[&str]| {
            let mut yaml = String::from("id: d\nname: D\ncards:\n");
            for id in ids {
                yaml.push_str(&format!("  - {{id: {id}, prompt: p{id}, answer: x}}\n"));
            }
            deck::load_str(&yaml).unwrap()
        };
        store
            .sync_deck(&text(&["a", "b", "c", "e", "f", "g"]), at)
            .unwrap();
        let fsrs = Fsrs::default();
        let cards = store.cards(&deck::Id::parse("d").unwrap()).unwrap();
        for (card, rating) in
            cards
                .iter()
                .zip([Rating::Good, Rating::Easy, Rating::Again, Rating::Easy])
        {
            let state = fsrs.review(&card.state, rating, at);
            store
                .record(&NewReview {
                    handle: card.handle,
                    reviewed_at: at,
                    rating,
                    answer: "",
                    verdict: "correct",
                    response_ms: 0,
                    scheduler: fsrs.name(),
                    state: &state,
                    previous: &CardState::new_card(),
                    cram: false,
                    leech: false,
                })
                .unwrap();
        }
        // b (review) suspended; e (review) retired by the deck losing it.
        store.suspend(cards[1].handle, at).unwrap();
        store
            .sync_deck(&text(&["a", "b", "c", "f", "g"]), at)
            .unwrap();
        let (counts, retired) = store.phase_counts_in(None).unwrap();
        assert_eq!(retired, 1);
        assert_eq!(
            (
                counts.new,
                counts.learning,
                counts.review,
                counts.relearning,
                counts.suspended
            ),
            (2, 2, 1, 0, 1)
        );
        assert_eq!(store.phase_counts_in(Some("d")).unwrap(), (counts, retired));
        assert_eq!(
            store.phase_counts_in(Some("none")).unwrap().0,
            PhaseCounts::default()
        );
    }
}
