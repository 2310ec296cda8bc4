//! One review of the log, whole: the row of `review` with what is kept beside it (the
//! question's format in `review_format`, a confusion in `confusion`). `LoggedReview` is the
//! one declaration of a review's columns: the export, the import and sync embed it, and
//! every review is written by `insert` and read with `COLUMNS` and `read`, so a new column
//! is added here (and in the formats that carry it), once.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::timestamp;
use crate::schedule::Rating;

/// One review of the log, without its card or its global id (see `ExportedReview`,
/// `ImportedReview` and `SyncReview`, which add them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedReview {
    pub reviewed_at: Timestamp,
    pub rating: Rating,
    pub answer: String,
    /// `correct`, `close`, `partial` or `wrong`.
    pub verdict: String,
    pub response_ms: u64,
    pub scheduler: String,
    /// A cram review, which the scheduler's fold ignores.
    pub cram: bool,
    /// How the question was asked: `recognition`, `recall` or `ordering`
    /// (`session::format::Format`); `None` for reviews recorded without one (before
    /// migration 0007, imported from CSV).
    pub format: Option<String>,
    /// The other known entity a wrong answer named (`store::confusion`).
    pub confusion: Option<Confusion>,
}

/// A confusion as the log keeps it: the entity given and the answer expected then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confusion {
    /// The entity the learner gave, by its principal name.
    pub given: String,
    /// The card's answer when it was asked (it may have been edited since).
    pub expected: String,
}

/// The columns `read` reads, from `review AS r` joined with `FROM_JOINS`.
pub(super) const COLUMNS: &str = "r.reviewed_at, r.rating, r.answer, r.verdict, r.response_ms,
        r.scheduler, r.mode = 'cram', rf.format, rc.given, rc.expected";

/// The joins `COLUMNS` needs, after `FROM review AS r`.
pub(super) const JOINS: &str = "LEFT JOIN review_format AS rf ON rf.review_id = r.id
     LEFT JOIN confusion AS rc ON rc.review_id = r.id";

/// The review in `COLUMNS`, starting at column `at` of `row`.
pub(super) fn read(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<LoggedReview> {
    let given: Option<String> = row.get(at + 8)?;
    let expected: Option<String> = row.get(at + 9)?;
    Ok(LoggedReview {
        reviewed_at: timestamp(row.get(at)?),
        rating: Rating::from_number(row.get(at + 1)?).unwrap_or(Rating::Again),
        answer: row.get(at + 2)?,
        verdict: row.get(at + 3)?,
        response_ms: u64::try_from(row.get::<_, i64>(at + 4)?).unwrap_or(0),
        scheduler: row.get(at + 5)?,
        cram: row.get(at + 6)?,
        format: row.get(at + 7)?,
        confusion: given.map(|given| Confusion {
            given,
            expected: expected.unwrap_or_default(),
        }),
    })
}

/// How a review gets its global id, and when it is not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Insert<'a> {
    /// An answer just given: a new id, and always a new row (a pinned clock can repeat a
    /// millisecond).
    Answer,
    /// An imported review without an id (CSV): a new id; skipped if the card has a review
    /// at the same millisecond, so importing twice adds nothing.
    Import,
    /// An imported review with its id and device (factdrill JSON): kept; skipped if the log
    /// has the id, a tombstone for it, or a review of the card at the same millisecond among
    /// the rows up to `before` (the log before this import: two reviews of one card in one
    /// millisecond, with their own ids, are both kept). No device: this one.
    ImportWithId {
        uid: &'a str,
        device: Option<&'a str>,
        before: i64,
    },
    /// Another device's review, read by sync, which has checked that the id is unknown
    /// here.
    Synced { uid: &'a str, device: &'a str },
}

/// Appends a review to the log with its format and confusion; the new row's id, or `None`
/// when `insert` says the log has it already.
pub(super) fn insert(
    conn: &Connection,
    card_id: i64,
    review: &LoggedReview,
    insert: Insert<'_>,
) -> rusqlite::Result<Option<i64>> {
    const SAME_TIME: &str =
        "NOT EXISTS (SELECT 1 FROM review WHERE card_id = ?1 AND reviewed_at = ?2 AND id <= ?11)";
    const KNOWN_ID: &str = "NOT EXISTS (SELECT 1 FROM review WHERE uid = ?9)
           AND NOT EXISTS (SELECT 1 FROM review_tombstone WHERE uid = ?9)";
    // Every review gets its global id (and a device id) as it is written: sync merges logs
    // by it (docs/sync.md).
    let (uid, device, guard, before) = match insert {
        Insert::Answer => (
            super::sync::review_uid(conn, review.reviewed_at)?,
            None,
            String::new(),
            i64::MAX,
        ),
        Insert::Import => (
            super::sync::review_uid(conn, review.reviewed_at)?,
            None,
            format!(" WHERE {SAME_TIME}"),
            i64::MAX,
        ),
        Insert::ImportWithId {
            uid,
            device,
            before,
        } => (
            uid.to_owned(),
            device,
            format!(" WHERE {KNOWN_ID} AND {SAME_TIME}"),
            before,
        ),
        Insert::Synced { uid, device } => (uid.to_owned(), Some(device), String::new(), i64::MAX),
    };
    let at = review.reviewed_at.as_millisecond();
    let rating = review.rating.number();
    let response_ms = i64::try_from(review.response_ms).unwrap_or(i64::MAX);
    let mode = if review.cram { "cram" } else { "normal" };
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![
        &card_id,
        &at,
        &rating,
        &review.answer,
        &review.verdict,
        &response_ms,
        &review.scheduler,
        &mode,
        &uid,
        &device,
    ];
    if guard.contains("?11") {
        values.push(&before);
    }
    // Cached: an import runs this once per row, and preparing costs more than the insert.
    let written = conn
        .prepare_cached(&format!(
            "INSERT INTO review (card_id, reviewed_at, rating, answer, verdict, response_ms,
                                 scheduler, mode, uid, device)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                    coalesce(?10, (SELECT value FROM meta WHERE key = 'device_id')){guard}"
        ))?
        .execute(values.as_slice())?;
    if written == 0 {
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    if let Some(format) = &review.format {
        conn.prepare_cached("INSERT INTO review_format (review_id, format) VALUES (?1, ?2)")?
            .execute(params![id, format])?;
    }
    if let Some(c) = &review.confusion {
        conn.prepare_cached(
            "INSERT INTO confusion (review_id, card_id, given, expected) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, card_id, c.given, c.expected])?;
    }
    Ok(Some(id))
}
