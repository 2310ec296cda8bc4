//! Moving the review log in and out: a streamed export of every review with its card, and
//! an idempotent import. A review's identity is its card and its time in milliseconds: a
//! review already in the log (same card, same time) is never added twice, so importing the
//! same file again adds nothing. A review that comes with its global id (JSON) keeps it, and
//! is also skipped when the log has that id or a tombstone for it.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use super::log::{self, Insert, LoggedReview};
use super::{Store, StoreError, classify};

/// One review with everything needed to put it back in another database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedReview {
    /// The card's row id in this database.
    pub card_id: i64,
    pub deck: String,
    pub deck_name: String,
    pub card: String,
    pub kind: String,
    pub prompt: String,
    pub card_answer: String,
    /// The review's global id (see docs/sync.md).
    pub uid: String,
    /// The device that recorded it.
    pub device: String,
    pub review: LoggedReview,
}

/// Which card an imported review belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardRef {
    /// A bare card number (the CSV format): the card with this row id here, or else a new
    /// card with this number in the deck `imported`.
    Number(i64),
    /// A card by deck and card id (the JSON format), created if this database lacks it.
    Key {
        deck: String,
        deck_name: String,
        card: String,
        kind: String,
        prompt: String,
        answer: String,
    },
}

/// One review to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedReview {
    pub card: CardRef,
    /// The review's global id and recording device, when the file has them (factdrill's
    /// JSON): kept, so a review imported here and also synced here is one review.
    pub uid: Option<String>,
    pub device: Option<String>,
    pub review: LoggedReview,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    /// Reviews already in the log.
    pub skipped: usize,
    pub cards_created: usize,
    /// Keys of the decks that received reviews (their state caches need a rebuild).
    pub decks: Vec<String>,
}

/// The deck that receives cards known only by number.
pub const IMPORT_DECK: &str = "imported";

impl Store {
    /// Calls `each` for every review, ordered by card, then time.
    pub fn for_each_exported(
        &self,
        mut each: impl FnMut(ExportedReview) -> Result<(), std::io::Error>,
    ) -> Result<Result<(), std::io::Error>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT card.id, deck.key, deck.name, card.key, card.kind, card.prompt,
                        card.answer, coalesce(r.uid, ''), coalesce(r.device, ''), {}
                 FROM review AS r JOIN card ON card.id = r.card_id
                 JOIN deck ON deck.id = card.deck_id {}
                 ORDER BY r.card_id, r.reviewed_at, r.id",
                log::COLUMNS,
                log::JOINS
            ))
            .map_err(self.fail())?;
        let mut rows = stmt.query([]).map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            let get = |i| row.get::<_, String>(i);
            let review = (|| -> rusqlite::Result<ExportedReview> {
                Ok(ExportedReview {
                    card_id: row.get(0)?,
                    deck: get(1)?,
                    deck_name: get(2)?,
                    card: get(3)?,
                    kind: get(4)?,
                    prompt: get(5)?,
                    card_answer: get(6)?,
                    uid: get(7)?,
                    device: get(8)?,
                    review: log::read(row, 9)?,
                })
            })()
            .map_err(self.fail())?;
            if let Err(e) = each(review) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// Adds the reviews not already in the log, creating missing decks and cards, all in
    /// one transaction.
    pub fn import_reviews(
        &mut self,
        reviews: &[ImportedReview],
        now: Timestamp,
    ) -> Result<ImportReport, StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        let mut report = ImportReport::default();
        let mut resolver = Resolver::new(&tx, now);
        // The log before this import (see `Insert::ImportWithId`).
        let before: i64 = tx
            .query_row("SELECT coalesce(max(id), 0) FROM review", [], |r| r.get(0))
            .map_err(fail)?;
        for review in reviews {
            let (card_id, deck, created) = resolver.resolve(&review.card).map_err(fail)?;
            report.cards_created += usize::from(created);
            if !report.decks.iter().any(|d| d == deck) {
                report.decks.push(deck.to_owned());
            }
            let insert = match &review.uid {
                Some(uid) => Insert::ImportWithId {
                    uid,
                    device: review.device.as_deref(),
                    before,
                },
                None => Insert::Import,
            };
            let added = log::insert(&tx, card_id, &review.review, insert).map_err(fail)?;
            if added.is_some() {
                report.added += 1;
            } else {
                report.skipped += 1;
            }
        }
        tx.commit().map_err(fail)?;
        report.decks.sort();
        Ok(report)
    }
}

/// A card as an import names it, for the resolver's memory.
#[derive(Clone, PartialEq, Eq, Hash)]
enum CardKey {
    Number(i64),
    Key { deck: String, card: String },
}

/// Finds (or creates) the card of each imported review. A log holds many reviews per card
/// and comes grouped by card, so each card is looked up in SQL once and then remembered,
/// and each deck's next free position is counted here instead of by a `max(position)` query
/// per new card (which made importing 100k new cards quadratic: 12 minutes for 1.8M rows).
struct Resolver<'t> {
    tx: &'t Transaction<'t>,
    now_ms: i64,
    cards: HashMap<CardKey, (i64, String, bool)>,
    decks: HashMap<String, i64>,
    next_position: HashMap<i64, i64>,
}

impl<'t> Resolver<'t> {
    fn new(tx: &'t Transaction<'t>, now: Timestamp) -> Self {
        Self {
            tx,
            now_ms: now.as_millisecond(),
            cards: HashMap::new(),
            decks: HashMap::new(),
            next_position: HashMap::new(),
        }
    }

    /// The card a review belongs to: its row id, its deck's key, and whether this import
    /// created it (true only the first time it is asked for).
    fn resolve(&mut self, card: &CardRef) -> rusqlite::Result<(i64, &str, bool)> {
        let key = match card {
            CardRef::Number(n) => CardKey::Number(*n),
            CardRef::Key { deck, card, .. } => CardKey::Key {
                deck: deck.clone(),
                card: card.clone(),
            },
        };
        if !self.cards.contains_key(&key) {
            let found = self.lookup(card)?;
            self.cards.insert(key.clone(), found);
        } else if let Some(entry) = self.cards.get_mut(&key) {
            entry.2 = false;
        }
        let (id, deck, created) = &self.cards[&key];
        Ok((*id, deck.as_str(), *created))
    }

    fn lookup(&mut self, card: &CardRef) -> rusqlite::Result<(i64, String, bool)> {
        match card {
            CardRef::Number(number) => {
                let found: Option<String> = self
                    .tx
                    .prepare_cached(
                        "SELECT deck.key FROM card JOIN deck ON deck.id = card.deck_id
                         WHERE card.id = ?1",
                    )?
                    .query_row([number], |r| r.get(0))
                    .optional()?;
                if let Some(deck) = found {
                    return Ok((*number, deck, false));
                }
                let deck = self.deck_row(IMPORT_DECK, "Imported reviews")?;
                let key = number.to_string();
                let prompt = format!("(imported card {number})");
                let id = self.insert(deck, Some(*number), &key, "recall", &prompt, "")?;
                Ok((id, IMPORT_DECK.to_owned(), true))
            }
            CardRef::Key {
                deck,
                deck_name,
                card,
                kind,
                prompt,
                answer,
            } => {
                let deck_id = self.deck_row(deck, deck_name)?;
                if let Some(id) = self
                    .tx
                    .prepare_cached("SELECT id FROM card WHERE deck_id = ?1 AND key = ?2")?
                    .query_row(params![deck_id, card], |r| r.get(0))
                    .optional()?
                {
                    return Ok((id, deck.clone(), false));
                }
                let id = self.insert(deck_id, None, card, kind, prompt, answer)?;
                Ok((id, deck.clone(), true))
            }
        }
    }

    /// The row id of the deck with this key, created (with no file) if missing.
    fn deck_row(&mut self, key: &str, name: &str) -> rusqlite::Result<i64> {
        if let Some(&id) = self.decks.get(key) {
            return Ok(id);
        }
        let id = if let Some(id) = self
            .tx
            .query_row("SELECT id FROM deck WHERE key = ?1", [key], |r| r.get(0))
            .optional()?
        {
            id
        } else {
            // No file yet: an empty path and hash, so the first `study` of a file with this
            // id synchronises it.
            self.tx.execute(
                "INSERT INTO deck (key, name, path, content_hash, added_at, synced_at)
                 VALUES (?1, ?2, '', '', ?3, ?3)",
                params![key, name, self.now_ms],
            )?;
            self.tx.last_insert_rowid()
        };
        self.decks.insert(key.to_owned(), id);
        Ok(id)
    }

    fn insert(
        &mut self,
        deck: i64,
        id: Option<i64>,
        key: &str,
        kind: &str,
        prompt: &str,
        answer: &str,
    ) -> rusqlite::Result<i64> {
        let position = match self.next_position.get(&deck) {
            Some(&p) => p,
            None => self.tx.query_row(
                "SELECT coalesce(max(position) + 1, 0) FROM card WHERE deck_id = ?1",
                [deck],
                |r| r.get(0),
            )?,
        };
        self.next_position.insert(deck, position + 1);
        self.tx
            .prepare_cached(
                "INSERT INTO card (id, deck_id, key, kind, prompt, answer, position, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                deck,
                key,
                kind,
                prompt,
                answer,
                position,
                self.now_ms
            ])?;
        Ok(self.tx.last_insert_rowid())
    }
}

impl Store {
    /// Copies the whole database to `dest` with SQLite's online backup API: a consistent
    /// copy even while another factdrill is writing.
    pub fn backup_to(&self, dest: &std::path::Path) -> Result<(), StoreError> {
        let fail = |e| classify(dest, e);
        let mut target = rusqlite::Connection::open(dest).map_err(fail)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut target).map_err(fail)?;
        backup
            .run_to_completion(256, std::time::Duration::from_millis(5), None)
            .map_err(fail)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Rating;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(1_772_000_000_000 + ms).unwrap()
    }

    fn keyed(deck: &str, card: &str) -> CardRef {
        CardRef::Key {
            deck: deck.into(),
            deck_name: format!("Deck {deck}"),
            card: card.into(),
            kind: "recall".into(),
            prompt: format!("prompt {card}"),
            answer: format!("answer {card}"),
        }
    }

    /// Reviews of cards by number and by key, cards interleaved and repeated, one duplicate.
    fn log() -> Vec<ImportedReview> {
        let refs = [
            CardRef::Number(7),
            keyed("x", "a"),
            CardRef::Number(3),
            keyed("y", "a"),
            CardRef::Number(7),
            keyed("x", "b"),
            keyed("x", "a"),
            CardRef::Number(3),
            CardRef::Number(3),
        ];
        refs.into_iter()
            .enumerate()
            .map(|(i, card)| ImportedReview {
                card,
                uid: None,
                device: None,
                review: LoggedReview {
                    // The last review repeats the one before: same card, same time.
                    reviewed_at: at(1000 * (i.min(7) as i64)),
                    rating: Rating::from_number(1 + (i % 4) as i64).unwrap(),
                    answer: format!("typed {i}"),
                    verdict: "correct".into(),
                    response_ms: 100 * i as u64,
                    scheduler: "fsrs-6".into(),
                    cram: false,
                    format: (i % 3 == 0).then(|| "recall".to_owned()),
                    confusion: (i == 2).then(|| super::super::Confusion {
                        given: "someone".into(),
                        expected: "answer".into(),
                    }),
                },
            })
            .collect()
    }

    /// Card rows: id, deck key, card key, position.
    type CardRows = Vec<(i64, String, String, i64)>;

    /// Everything an import can write, in a comparable form.
    fn contents(store: &Store) -> (Vec<ExportedReview>, CardRows) {
        let mut reviews = Vec::new();
        store
            .for_each_exported(|r| {
                // Each database has its own device id, and each review a fresh uid.
                reviews.push(ExportedReview {
                    uid: String::new(),
                    device: String::new(),
                    ..r
                });
                Ok(())
            })
            .unwrap()
            .unwrap();
        let mut stmt = store
            .conn
            .prepare(
                "SELECT card.id, deck.key, card.key, card.position FROM card
                 JOIN deck ON deck.id = card.deck_id ORDER BY card.id",
            )
            .unwrap();
        let cards = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (reviews, cards)
    }

    #[test]
    fn batched_import_writes_what_one_review_at_a_time_writes() {
        let now = at(0);
        let mut batched = Store::open_in_memory().unwrap();
        let report = batched.import_reviews(&log(), now).unwrap();
        let mut single = Store::open_in_memory().unwrap();
        let mut created = 0;
        let mut added = 0;
        for review in log() {
            let r = single
                .import_reviews(std::slice::from_ref(&review), now)
                .unwrap();
            created += r.cards_created;
            added += r.added;
        }
        assert_eq!(contents(&batched), contents(&single));
        assert_eq!(
            (report.cards_created, report.added, report.skipped),
            (5, 8, 1)
        );
        assert_eq!((created, added), (5, 8));
        assert_eq!(report.decks, ["imported", "x", "y"]);
        // Positions count up per deck: the imported deck got cards 7 then 3.
        let (_, cards) = contents(&batched);
        let imported: Vec<_> = cards
            .iter()
            .filter(|c| c.1 == "imported")
            .map(|c| (c.0, c.3))
            .collect();
        assert_eq!(imported, [(3, 1), (7, 0)]);
        // Importing again adds nothing and creates nothing.
        let again = batched.import_reviews(&log(), now).unwrap();
        assert_eq!((again.added, again.cards_created, again.skipped), (0, 0, 9));
    }
}
