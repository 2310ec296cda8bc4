//! Moving the review log in and out: a streamed export of every review with its card, and
//! an idempotent import. A review's identity is its card and its time in milliseconds: a
//! review already in the log (same card, same time) is never added twice, so importing the
//! same file again adds nothing.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Insert, LogEntry, Store, StoreError, classify, insert_review, timestamp};
use crate::schedule::Rating;

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
    pub reviewed_at: Timestamp,
    pub rating: Rating,
    pub answer: String,
    pub verdict: String,
    pub response_ms: u64,
    pub scheduler: String,
    /// A cram (practice) review, which the scheduler ignores.
    pub cram: bool,
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
    pub reviewed_at: Timestamp,
    pub rating: Rating,
    pub answer: String,
    pub verdict: String,
    pub response_ms: u64,
    pub scheduler: String,
    /// A cram (practice) review, which the scheduler ignores.
    pub cram: bool,
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
            .prepare(
                "SELECT card.id, deck.key, deck.name, card.key, card.kind, card.prompt,
                        card.answer, r.reviewed_at, r.rating, r.answer, r.verdict,
                        r.response_ms, r.scheduler, r.mode = 'cram'
                 FROM review AS r JOIN card ON card.id = r.card_id
                 JOIN deck ON deck.id = card.deck_id
                 ORDER BY r.card_id, r.reviewed_at, r.id",
            )
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
                    reviewed_at: timestamp(row.get(7)?),
                    rating: Rating::from_number(row.get(8)?).unwrap_or(Rating::Again),
                    answer: get(9)?,
                    verdict: get(10)?,
                    response_ms: u64::try_from(row.get::<_, i64>(11)?).unwrap_or(0),
                    scheduler: get(12)?,
                    cram: row.get(13)?,
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
        for review in reviews {
            let (card_id, deck, created) = resolve(&tx, &review.card, now).map_err(fail)?;
            report.cards_created += usize::from(created);
            if !report.decks.contains(&deck) {
                report.decks.push(deck);
            }
            let entry = LogEntry {
                reviewed_at: review.reviewed_at,
                rating: review.rating,
                answer: &review.answer,
                verdict: &review.verdict,
                response_ms: review.response_ms,
                scheduler: &review.scheduler,
                cram: review.cram,
            };
            let added = insert_review(&tx, card_id, &entry, Insert::IfNew).map_err(fail)?;
            if added == 1 {
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

/// The row id of the deck with this key, created (with no file) if missing.
fn deck_row(tx: &Transaction<'_>, key: &str, name: &str, now: i64) -> rusqlite::Result<i64> {
    if let Some(id) = tx
        .query_row("SELECT id FROM deck WHERE key = ?1", [key], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    // No file yet: an empty path and hash, so the first `study` of a file with this id
    // synchronises it.
    tx.execute(
        "INSERT INTO deck (key, name, path, content_hash, added_at, synced_at)
         VALUES (?1, ?2, '', '', ?3, ?3)",
        params![key, name, now],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The card a review belongs to: its row id, its deck's key, and whether it was created.
fn resolve(
    tx: &Transaction<'_>,
    card: &CardRef,
    now: Timestamp,
) -> rusqlite::Result<(i64, String, bool)> {
    let now_ms = now.as_millisecond();
    let insert = |deck: i64, id: Option<i64>, key: &str, kind: &str, prompt: &str, answer: &str| {
        let position: i64 = tx.query_row(
            "SELECT coalesce(max(position) + 1, 0) FROM card WHERE deck_id = ?1",
            [deck],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO card (id, deck_id, key, kind, prompt, answer, position, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, deck, key, kind, prompt, answer, position, now_ms],
        )?;
        Ok::<_, rusqlite::Error>(tx.last_insert_rowid())
    };
    match card {
        CardRef::Number(number) => {
            let found: Option<String> = tx
                .query_row(
                    "SELECT deck.key FROM card JOIN deck ON deck.id = card.deck_id
                     WHERE card.id = ?1",
                    [number],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(deck) = found {
                return Ok((*number, deck, false));
            }
            let deck = deck_row(tx, IMPORT_DECK, "Imported reviews", now_ms)?;
            let key = number.to_string();
            let prompt = format!("(imported card {number})");
            let id = insert(deck, Some(*number), &key, "recall", &prompt, "")?;
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
            let deck_id = deck_row(tx, deck, deck_name, now_ms)?;
            if let Some(id) = tx
                .query_row(
                    "SELECT id FROM card WHERE deck_id = ?1 AND key = ?2",
                    params![deck_id, card],
                    |r| r.get(0),
                )
                .optional()?
            {
                return Ok((id, deck.clone(), false));
            }
            let id = insert(deck_id, None, card, kind, prompt, answer)?;
            Ok((id, deck.clone(), true))
        }
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
