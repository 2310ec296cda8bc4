//! The statistics digest (migration 0010): each card's folded log and each deck's per-day
//! and calibration tallies, kept so `factdrill stats` folds in only what changed since its
//! last run. This file reads and writes those tables; what they mean and how they are kept
//! right is `stats/digest.rs` and `stats/refresh.rs`. The triggers of the migration record
//! every change to the folded log, whoever makes it.

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::Timestamp;
use rusqlite::{MAIN_DB, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::{Store, StoreError, card_seed, classify, timestamp};
use crate::schedule::{CardState, Memory, Phase, Rating};
use crate::stats::calibration::{BINS, BinSum, CalibrationBuilder};
use crate::stats::digest::{CardFold, DayTally, Tallies};
use crate::stats::retention::Tally;

use super::report::ReviewRow;

/// Where a review sorts in its card's log: the order the log is replayed in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LogKey {
    pub at: i64,
    pub uid: Option<String>,
    pub id: i64,
}

/// A review read to be folded, with its place in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub key: LogKey,
    pub row: ReviewRow,
}

/// A card's stored fold and the last review folded into it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFold {
    pub card: i64,
    pub fold: CardFold,
    pub last: LogKey,
}

/// What `DigestTx::fold` found for a card.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredRead {
    /// No fold: the card has no folded review.
    Missing,
    Found(Box<StoredFold>),
    /// A fold that does not read back (the tables were edited or damaged): the deck's
    /// digest must be rebuilt.
    Damaged,
}

/// One card of the digest as the report reads it: its counts, a state with every field the
/// report reads (phase, reps, lapses, memory, last review, due; not the learning step or
/// SM-2's numbers, which it does not), and what it is grouped by.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestCard<'a> {
    pub card: i64,
    /// The deck's row id.
    pub deck: i64,
    pub kind: &'a str,
    pub retired: bool,
    pub fact: Option<&'a str>,
    pub question: Option<&'a str>,
    pub reviews: u32,
    pub correct: u32,
    pub recalled: u32,
    pub retention: Tally,
    pub state: CardState,
}

/// A deck's digest: the settings it was made under and the largest review id folded in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestMark {
    pub fingerprint: String,
    pub watermark: i64,
}

/// The columns a fold is read with (`LogRow::read`).
const LOG_COLUMNS: &str =
    "card_id, reviewed_at, rating, verdict IN ('correct', 'close'), response_ms, uid, id";

/// A deck's normal reviews in card order, from the index `review_in_card_order` alone.
const DECK_LOG: &str = "SELECT card_id, reviewed_at, rating, verdict IN ('correct', 'close'),
            response_ms, uid, id
     FROM review
     WHERE mode = 'normal' AND card_id IN (SELECT id FROM card WHERE deck_id = ?1)
     ORDER BY card_id, reviewed_at, uid, id";

impl LogRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        let at: i64 = row.get(1)?;
        let rating: i64 = row.get(2)?;
        Ok(Self {
            key: LogKey {
                at,
                uid: row.get(5)?,
                id: row.get(6)?,
            },
            row: ReviewRow {
                card: row.get(0)?,
                at: timestamp(at),
                rating: Rating::from_number(rating).unwrap_or(Rating::Again),
                correct: row.get(3)?,
                response_ms: u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
            },
        })
    }
}

fn blob(x: i128) -> Vec<u8> {
    x.to_le_bytes().to_vec()
}

fn unblob(bytes: &[u8]) -> i128 {
    bytes
        .try_into()
        .map(i128::from_le_bytes)
        .unwrap_or_default()
}

fn tally(row: &Row<'_>, at: usize) -> rusqlite::Result<DayTally> {
    Ok(DayTally {
        reviews: row.get(at)?,
        correct: row.get(at + 1)?,
        again: row.get(at + 2)?,
        introduced: row.get(at + 3)?,
        time_ms: row.get(at + 4)?,
        young: row.get(at + 5)?,
        young_passed: row.get(at + 6)?,
        mature: row.get(at + 7)?,
        mature_passed: row.get(at + 8)?,
    })
}

/// Bytes in a packed fold (`pack`).
const PACKED: usize = 7 * 4 + 2 + 4 * 8;

/// A fold's counts and the state fields the report reads, in one blob: seven u32 (reviews,
/// correct, recalled, retention reviews and passed, reps, lapses), the phase, which of the
/// optional fields are there, then stability, difficulty, last review and due (f64, f64,
/// i64 ms, i64 ms), little-endian.
fn pack(fold: &CardFold) -> Vec<u8> {
    let s = &fold.state;
    let mut out = Vec::with_capacity(PACKED);
    for n in [
        fold.reviews,
        fold.correct,
        fold.recalled,
        fold.retention.reviews,
        fold.retention.passed,
        s.reps,
        s.lapses,
    ] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    let phase = Phase::ALL.iter().position(|p| *p == s.phase).unwrap_or(0) as u8;
    let present = u8::from(s.memory.is_some())
        | u8::from(s.last_review.is_some()) << 1
        | u8::from(s.due.is_some()) << 2;
    out.extend_from_slice(&[phase, present]);
    let memory = s.memory.unwrap_or(Memory {
        stability: 0.0,
        difficulty: 0.0,
    });
    out.extend_from_slice(&memory.stability.to_le_bytes());
    out.extend_from_slice(&memory.difficulty.to_le_bytes());
    let ms = |t: Option<Timestamp>| t.map_or(0, Timestamp::as_millisecond);
    out.extend_from_slice(&ms(s.last_review).to_le_bytes());
    out.extend_from_slice(&ms(s.due).to_le_bytes());
    out
}

/// `pack` undone: the counts (reviews, correct, recalled, retention) and the state sketch.
fn unpack(data: &[u8]) -> Option<([u32; 3], Tally, CardState)> {
    if data.len() != PACKED {
        return None;
    }
    let word = |i: usize| u32::from_le_bytes(data[i * 4..i * 4 + 4].try_into().unwrap_or_default());
    let eight = |at: usize| -> [u8; 8] { data[at..at + 8].try_into().unwrap_or_default() };
    let (phase, present) = (data[28], data[29]);
    let has = |bit: u8| present & (1 << bit) != 0;
    let time = |at: usize, bit: u8| has(bit).then(|| timestamp(i64::from_le_bytes(eight(at))));
    let state = CardState {
        phase: *Phase::ALL.get(usize::from(phase))?,
        reps: word(5),
        lapses: word(6),
        memory: has(0).then(|| Memory {
            stability: f64::from_le_bytes(eight(30)),
            difficulty: f64::from_le_bytes(eight(38)),
        }),
        last_review: time(46, 1),
        due: time(54, 2),
        ..CardState::new_card()
    };
    let retention = Tally {
        reviews: word(3),
        passed: word(4),
    };
    Some(([word(0), word(1), word(2)], retention, state))
}

const SELECTED_DECKS: &str = "(?1 IS NULL OR deck_id = (SELECT id FROM deck WHERE key = ?1))";

impl Store {
    /// Begins the one transaction a refresh of the digest runs in (IMMEDIATE: no other
    /// writer between reading what changed and writing it). On a database this process
    /// cannot write, the digest is kept in memory instead (`digest_in_memory`).
    pub fn digest(&mut self) -> Result<DigestTx<'_>, StoreError> {
        let path = self.path.clone();
        let read_only = self.conn.is_readonly(MAIN_DB).unwrap_or(false);
        if read_only {
            self.digest_in_memory()?;
        }
        let behavior = if read_only {
            TransactionBehavior::Deferred
        } else {
            TransactionBehavior::Immediate
        };
        let tx = self
            .conn
            .transaction_with_behavior(behavior)
            .map_err(|e| classify(&path, e))?;
        Ok(DigestTx { tx, path })
    }

    /// Gives this connection its own empty digest tables in memory, in front of the
    /// database's (SQLite looks a name up in the temporary schema first): for a database
    /// that cannot be written, whose statistics are then computed from the whole log on
    /// each run, as before the digest existed, and nothing is written to it.
    pub fn digest_in_memory(&mut self) -> Result<(), StoreError> {
        let exists: bool = self
            .conn
            .query_row(
                "SELECT count(*) > 0 FROM temp.sqlite_schema WHERE name = 'digest_deck'",
                [],
                |r| r.get(0),
            )
            .map_err(self.fail())?;
        if exists {
            return Ok(());
        }
        let schema: Vec<String> = self
            .conn
            .prepare(
                "SELECT sql FROM main.sqlite_schema
                 WHERE type IN ('table', 'index') AND substr(tbl_name, 1, 7) = 'digest_'
                   AND sql IS NOT NULL
                 ORDER BY type = 'index'",
            )
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
            .map_err(self.fail())?;
        for sql in schema {
            let sql = sql
                .replacen("CREATE TABLE ", "CREATE TEMP TABLE ", 1)
                .replacen("CREATE INDEX ", "CREATE INDEX temp.", 1);
            self.conn.execute_batch(&sql).map_err(self.fail())?;
        }
        Ok(())
    }

    /// The digest's per-day tallies of the selected decks, summed, by `day_number`.
    pub fn digest_days(&self, deck: Option<&str>) -> Result<Vec<(i32, DayTally)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT day, sum(reviews), sum(correct), sum(again), sum(introduced),
                        sum(time_ms), sum(young), sum(young_passed), sum(mature),
                        sum(mature_passed)
                 FROM digest_day WHERE {SELECTED_DECKS} GROUP BY day ORDER BY day"
            ))
            .map_err(self.fail())?;
        stmt.query_map(params![deck], |r| Ok((r.get(0)?, tally(r, 1)?)))
            .and_then(Iterator::collect)
            .map_err(self.fail())
    }

    /// The digest's calibration of the selected decks.
    pub fn digest_calibration(&self, deck: Option<&str>) -> Result<CalibrationBuilder, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT bin, count, passed, predicted, log_loss FROM digest_bin
                 WHERE {SELECTED_DECKS}"
            ))
            .map_err(self.fail())?;
        let mut rows = stmt.query(params![deck]).map_err(self.fail())?;
        let mut builder = CalibrationBuilder::default();
        while let Some(row) = rows.next().map_err(self.fail())? {
            let bin: i64 = row.get(0).map_err(self.fail())?;
            let bin = usize::try_from(bin).unwrap_or(usize::MAX);
            let sum = BinSum {
                count: row.get(1).map_err(self.fail())?,
                passed: row.get(2).map_err(self.fail())?,
                predicted: unblob(&row.get::<_, Vec<u8>>(3).map_err(self.fail())?),
                log_loss: unblob(&row.get::<_, Vec<u8>>(4).map_err(self.fail())?),
            };
            if let Some(b) = builder.bins.get_mut(bin) {
                b.merge(&sum, 1);
            }
        }
        Ok(builder)
    }

    /// Calls `each` with every card of the selected decks that has folded reviews.
    pub fn for_each_digest_card(
        &self,
        deck: Option<&str>,
        mut each: impl FnMut(&DigestCard<'_>),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.card_id, d.deck_id, d.data, card.kind, card.retired_at IS NOT NULL,
                        t.fact, t.question
                 FROM digest_card AS d JOIN card ON card.id = d.card_id
                 LEFT JOIN card_topic AS t ON t.card_id = d.card_id
                 WHERE ?1 IS NULL OR d.deck_id = (SELECT id FROM deck WHERE key = ?1)",
            )
            .map_err(self.fail())?;
        let mut rows = stmt.query(params![deck]).map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            let card = (|| {
                let text = |i: usize| row.get_ref(i).map(|v| v.as_str_or_null().ok().flatten());
                let Some(([reviews, correct, recalled], retention, state)) =
                    unpack(row.get_ref(2)?.as_blob().unwrap_or_default())
                else {
                    return Ok(None);
                };
                Ok::<_, rusqlite::Error>(Some(DigestCard {
                    card: row.get(0)?,
                    deck: row.get(1)?,
                    kind: text(3)?.unwrap_or_default(),
                    retired: row.get(4)?,
                    fact: text(5)?,
                    question: text(6)?,
                    reviews,
                    correct,
                    recalled,
                    retention,
                    state,
                }))
            })()
            .map_err(self.fail())?;
            if let Some(card) = card {
                each(&card);
            }
        }
        Ok(())
    }
}

/// The transaction a digest refresh runs in; dropped without `commit`, nothing changes.
pub struct DigestTx<'a> {
    tx: Transaction<'a>,
    path: PathBuf,
}

impl DigestTx<'_> {
    fn fail(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |e| classify(&self.path, e)
    }

    pub fn commit(self) -> Result<(), StoreError> {
        let path = self.path;
        self.tx.commit().map_err(|e| classify(&path, e))
    }

    /// The largest review id in the log (0 when it is empty).
    pub fn max_review_id(&self) -> Result<i64, StoreError> {
        self.tx
            .query_row("SELECT coalesce(max(id), 0) FROM review", [], |r| r.get(0))
            .map_err(self.fail())
    }

    /// The first and last review times in the log (any deck, any mode).
    pub fn review_span(&self) -> Result<Option<(Timestamp, Timestamp)>, StoreError> {
        let span: (Option<i64>, Option<i64>) = self
            .tx
            .query_row(
                // Two subqueries: SQLite finds a lone min() or max() at an end of the index,
                // but scans it for both at once.
                "SELECT (SELECT min(reviewed_at) FROM review),
                        (SELECT max(reviewed_at) FROM review)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.fail())?;
        Ok(match span {
            (Some(a), Some(b)) => Some((timestamp(a), timestamp(b))),
            _ => None,
        })
    }

    pub fn mark(&self, deck: i64) -> Result<Option<DigestMark>, StoreError> {
        self.tx
            .query_row(
                "SELECT fingerprint, watermark FROM digest_deck WHERE deck_id = ?1",
                [deck],
                |r| {
                    Ok(DigestMark {
                        fingerprint: r.get(0)?,
                        watermark: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(self.fail())
    }

    pub fn set_mark(&self, deck: i64, mark: &DigestMark) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO digest_deck (deck_id, fingerprint, watermark) VALUES (?1, ?2, ?3)
                 ON CONFLICT (deck_id) DO UPDATE SET
                    fingerprint = excluded.fingerprint, watermark = excluded.watermark",
                params![deck, mark.fingerprint, mark.watermark],
            )
            .map(drop)
            .map_err(self.fail())
    }

    /// Forgets everything folded for a deck.
    pub fn clear_deck(&self, deck: i64) -> Result<(), StoreError> {
        for sql in [
            "DELETE FROM digest_state WHERE card_id IN
                (SELECT card_id FROM digest_card WHERE deck_id = ?1)",
            "DELETE FROM digest_card WHERE deck_id = ?1",
            "DELETE FROM digest_day WHERE deck_id = ?1",
            "DELETE FROM digest_bin WHERE deck_id = ?1",
            "DELETE FROM digest_deck WHERE deck_id = ?1",
        ] {
            self.tx.execute(sql, [deck]).map_err(self.fail())?;
        }
        self.clear_changes(deck)
    }

    /// Forgets the recorded changes to a deck's log (once they are folded in).
    pub fn clear_changes(&self, deck: i64) -> Result<(), StoreError> {
        for sql in [
            "DELETE FROM digest_removed WHERE card_id IN
                (SELECT id FROM card WHERE deck_id = ?1
                 UNION SELECT card_id FROM digest_card WHERE deck_id = ?1)",
            "DELETE FROM digest_added WHERE card_id IN
                (SELECT id FROM card WHERE deck_id = ?1
                 UNION SELECT card_id FROM digest_card WHERE deck_id = ?1)",
        ] {
            self.tx.execute(sql, [deck]).map_err(self.fail())?;
        }
        Ok(())
    }

    /// Calls `each` with every normal review of a deck, in card order, then log order.
    pub fn for_each_review(
        &self,
        deck: i64,
        mut each: impl FnMut(LogRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.tx.prepare(DECK_LOG).map_err(self.fail())?;
        let mut rows = stmt.query([deck]).map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            each(LogRow::read(row).map_err(self.fail())?)?;
        }
        Ok(())
    }

    /// A deck's normal reviews with an id above `watermark`, in card order, then log order.
    pub fn new_reviews(&self, deck: i64, watermark: i64) -> Result<Vec<LogRow>, StoreError> {
        // A range of new ids: NOT INDEXED keeps SQLite from reading the whole log in card
        // order through `review_in_card_order` to save sorting the few new rows; CROSS JOIN
        // keeps the review table outside.
        let mut stmt = self
            .tx
            .prepare(
                "SELECT review.card_id, review.reviewed_at, review.rating,
                        review.verdict IN ('correct', 'close'), review.response_ms,
                        review.uid, review.id
                 FROM review NOT INDEXED CROSS JOIN card ON card.id = review.card_id
                 WHERE review.id > ?2 AND review.mode = 'normal' AND card.deck_id = ?1
                 ORDER BY review.card_id, review.reviewed_at, review.uid, review.id",
            )
            .map_err(self.fail())?;
        stmt.query_map(params![deck, watermark], LogRow::read)
            .and_then(Iterator::collect)
            .map_err(self.fail())
    }

    /// The deck's cards whose folded log changed other than by new reviews at its end:
    /// reviews removed, reviews given an old id, modes changed.
    pub fn changed_cards(&self, deck: i64) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .tx
            .prepare(
                // Both tables are empty or nearly: read them, look each card up.
                "SELECT r.card_id FROM digest_removed AS r
                 JOIN digest_card AS d ON d.card_id = r.card_id WHERE d.deck_id = ?1
                 UNION
                 SELECT a.card_id FROM digest_added AS a
                 JOIN card ON card.id = a.card_id WHERE card.deck_id = ?1
                 ORDER BY 1",
            )
            .map_err(self.fail())?;
        stmt.query_map([deck], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(self.fail())
    }

    /// A card's normal reviews as they are now, in log order.
    pub fn card_log(&self, card: i64) -> Result<Vec<LogRow>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "SELECT {LOG_COLUMNS} FROM review WHERE card_id = ?1 AND mode = 'normal'
                 ORDER BY reviewed_at, uid, id"
            ))
            .map_err(self.fail())?;
        stmt.query_map([card], LogRow::read)
            .and_then(Iterator::collect)
            .map_err(self.fail())
    }

    /// A card's reviews as they were when last folded (up to `watermark`): the log now
    /// without what arrived since, with what left it since.
    pub fn folded_log(&self, card: i64, watermark: i64) -> Result<Vec<LogRow>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "SELECT {LOG_COLUMNS} FROM review
                 WHERE card_id = ?1 AND mode = 'normal' AND id <= ?2
                   AND id NOT IN (SELECT id FROM digest_added WHERE card_id = ?1)
                 UNION ALL
                 SELECT {LOG_COLUMNS} FROM digest_removed WHERE card_id = ?1 AND id <= ?2
                 ORDER BY 2, 6, 7"
            ))
            .map_err(self.fail())?;
        stmt.query_map([card, watermark], LogRow::read)
            .and_then(Iterator::collect)
            .map_err(self.fail())
    }

    /// A card's stored fold.
    pub fn fold(&self, card: i64) -> Result<StoredRead, StoreError> {
        let found = self
            .tx
            .prepare_cached(
                "SELECT data, last_day, last_at, last_uid, last_id, digest_state.state
                 FROM digest_card LEFT JOIN digest_state USING (card_id)
                 WHERE card_id = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([card], |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, Option<i32>>(1)?,
                        LogKey {
                            at: r.get(2)?,
                            uid: r.get(3)?,
                            id: r.get(4)?,
                        },
                        r.get::<_, Option<String>>(5)?,
                    ))
                })
                .optional()
            })
            .map_err(self.fail())?;
        let Some((data, last_day, last, json)) = found else {
            return Ok(StoredRead::Missing);
        };
        let state = json.and_then(|json| serde_json::from_str::<CardState>(&json).ok());
        let (Some(state), Some(([reviews, correct, recalled], retention, _))) =
            (state, unpack(&data))
        else {
            return Ok(StoredRead::Damaged);
        };
        Ok(StoredRead::Found(Box::new(StoredFold {
            card,
            fold: CardFold {
                state,
                last_day: last_day.filter(|d| *d != 0),
                reviews,
                correct,
                recalled,
                retention,
            },
            last,
        })))
    }

    /// Writes a card's fold (replacing the one it had).
    pub fn save_fold(&self, deck: i64, stored: &StoredFold) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO digest_card
                    (card_id, deck_id, data, last_day, last_at, last_uid, last_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    stored.card,
                    deck,
                    pack(&stored.fold),
                    stored.fold.last_day.unwrap_or(0),
                    stored.last.at,
                    stored.last.uid,
                    stored.last.id,
                ])
            })
            .map_err(self.fail())?;
        let json =
            serde_json::to_string(&stored.fold.state).map_err(|source| StoreError::BadState {
                path: self.path.clone(),
                source,
            })?;
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO digest_state (card_id, state) VALUES (?1, ?2)")
            .and_then(|mut stmt| stmt.execute(params![stored.card, json]))
            .map(drop)
            .map_err(self.fail())
    }

    /// The fuzz seed of each card of a deck (`card_seed`), by row id.
    pub fn card_seeds(&self, deck: i64) -> Result<HashMap<i64, u64>, StoreError> {
        let mut stmt = self
            .tx
            .prepare(
                "SELECT card.id, deck.key, card.key FROM card JOIN deck ON deck.id = card.deck_id
                 WHERE card.deck_id = ?1",
            )
            .map_err(self.fail())?;
        let mut rows = stmt.query([deck]).map_err(self.fail())?;
        let mut seeds = HashMap::new();
        while let Some(row) = rows.next().map_err(self.fail())? {
            let (id, deck, key): (i64, String, String) =
                (|| Ok::<_, rusqlite::Error>((row.get(0)?, row.get(1)?, row.get(2)?)))()
                    .map_err(self.fail())?;
            seeds.insert(id, card_seed(&deck, &key));
        }
        Ok(seeds)
    }

    /// One card's fuzz seed (0 for a card that is gone).
    pub fn card_seed(&self, card: i64) -> Result<u64, StoreError> {
        self.tx
            .prepare_cached(
                "SELECT deck.key, card.key FROM card JOIN deck ON deck.id = card.deck_id
                 WHERE card.id = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([card], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()
            })
            .map(|keys| keys.map_or(0, |(deck, key)| card_seed(&deck, &key)))
            .map_err(self.fail())
    }

    /// Forgets a card's fold (its log is empty now).
    pub fn drop_fold(&self, card: i64) -> Result<(), StoreError> {
        for sql in [
            "DELETE FROM digest_card WHERE card_id = ?1",
            "DELETE FROM digest_state WHERE card_id = ?1",
        ] {
            self.tx.execute(sql, [card]).map_err(self.fail())?;
        }
        Ok(())
    }

    /// Adds `tallies` to a deck's stored ones (a day left with no review is deleted).
    pub fn add_tallies(&self, deck: i64, tallies: &Tallies) -> Result<(), StoreError> {
        {
            let mut upsert = self
                .tx
                .prepare_cached(
                    "INSERT INTO digest_day (deck_id, day, reviews, correct, again, introduced,
                        time_ms, young, young_passed, mature, mature_passed)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                     ON CONFLICT (deck_id, day) DO UPDATE SET
                        reviews = reviews + excluded.reviews,
                        correct = correct + excluded.correct,
                        again = again + excluded.again,
                        introduced = introduced + excluded.introduced,
                        time_ms = time_ms + excluded.time_ms,
                        young = young + excluded.young,
                        young_passed = young_passed + excluded.young_passed,
                        mature = mature + excluded.mature,
                        mature_passed = mature_passed + excluded.mature_passed",
                )
                .map_err(self.fail())?;
            for (day, t) in &tallies.days {
                if *t == DayTally::default() {
                    continue;
                }
                upsert
                    .execute(params![
                        deck,
                        day,
                        t.reviews,
                        t.correct,
                        t.again,
                        t.introduced,
                        t.time_ms,
                        t.young,
                        t.young_passed,
                        t.mature,
                        t.mature_passed
                    ])
                    .map_err(self.fail())?;
            }
        }
        self.tx
            .execute(
                "DELETE FROM digest_day WHERE deck_id = ?1 AND reviews = 0",
                [deck],
            )
            .map_err(self.fail())?;
        if tallies.calibration.is_empty() {
            return Ok(());
        }
        let mut sums = [BinSum::default(); BINS];
        {
            let mut stmt = self
                .tx
                .prepare_cached(
                    "SELECT bin, count, passed, predicted, log_loss FROM digest_bin
                     WHERE deck_id = ?1",
                )
                .map_err(self.fail())?;
            let mut rows = stmt.query([deck]).map_err(self.fail())?;
            while let Some(row) = rows.next().map_err(self.fail())? {
                let bin: i64 = row.get(0).map_err(self.fail())?;
                let bin = usize::try_from(bin).unwrap_or(usize::MAX);
                if let Some(sum) = sums.get_mut(bin) {
                    *sum = BinSum {
                        count: row.get(1).map_err(self.fail())?,
                        passed: row.get(2).map_err(self.fail())?,
                        predicted: unblob(&row.get::<_, Vec<u8>>(3).map_err(self.fail())?),
                        log_loss: unblob(&row.get::<_, Vec<u8>>(4).map_err(self.fail())?),
                    };
                }
            }
        }
        let mut write = self
            .tx
            .prepare_cached(
                "INSERT OR REPLACE INTO digest_bin (deck_id, bin, count, passed, predicted, log_loss)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(self.fail())?;
        for (bin, (sum, delta)) in sums.iter_mut().zip(&tallies.calibration.bins).enumerate() {
            sum.merge(delta, 1);
            write
                .execute(params![
                    deck,
                    bin as i64,
                    sum.count,
                    sum.passed,
                    blob(sum.predicted),
                    blob(sum.log_loss)
                ])
                .map_err(self.fail())?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
