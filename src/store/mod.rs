//! The SQLite store: the only module that imports rusqlite, and the only one with SQL in it.
//!
//! One database file holds every deck's cards and the review log. The log is append-only
//! and is the source of truth; `card_state` is a cache of each card's scheduling state,
//! rebuilt from the log whenever the scheduler changes. Each answer is committed in its own
//! transaction before the next prompt is shown.
//!
//! Several processes may use one file at once (two study sessions): every write transaction
//! begins IMMEDIATE, so a writer waits for the lock (busy timeout) instead of failing with
//! "database is locked" when its read snapshot went stale, and `still_due` / `record` notice a
//! card that another process reviewed since this one read it.

pub mod anki;
mod cache;
mod confusion;
mod digest;
mod due;
mod exchange;
mod log;
mod marks;
mod migrate;
mod params;
mod refit;
mod report;
mod sync;
mod topic;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::deck::{Deck, Id};
use crate::mark::Marks;
use crate::schedule::{CardState, Phase, Rating, Scheduler, fuzz_seed};

pub use cache::{CachedDeck, CardHeads, FileStamp};
pub use confusion::{Confused, ConfusedPair, FormattedReview, ReviewExtra};
pub use digest::{DigestCard, DigestMark, DigestTx, LogKey, LogRow, StoredFold, StoredRead};
pub use exchange::{CardRef, ExportedReview, IMPORT_DECK, ImportReport, ImportedReview};
pub use log::{Confusion, LoggedReview};
pub use marks::{FoundCard, Undone};
pub use migrate::{LATEST_VERSION, MigrationBackup};
pub use params::{ParamScope, SavedParameters};
pub use report::{CardLabel, Catalog, CatalogCard, DeckInfo, ReviewRow};
pub use sync::{
    Applied, Device, EventCounts, FileRecord, PendingEvents, SyncDelete, SyncEvent, SyncMark,
    SyncReview,
};

/// What can go wrong with the database. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the directory {} for the database: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "{} was written by a newer factdrill (schema version {found}; this one knows up to {known}); upgrade factdrill, or use another database with --db",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "{} is not a factdrill database, or it is damaged; restore it from a backup or choose another file with --db",
        path.display()
    )]
    NotADatabase { path: PathBuf },

    #[error(
        "{} is read-only; factdrill needs to write progress to it (check its permissions and those of its directory)",
        path.display()
    )]
    ReadOnly { path: PathBuf },

    #[error(
        "{} is busy: another factdrill kept it locked for too long; try again",
        path.display()
    )]
    Busy { path: PathBuf },

    #[error("the disk holding {} is full; free some space and try again", path.display())]
    Full { path: PathBuf },

    #[error(
        "cannot open {}: check that its directory exists and that factdrill may create files in it",
        path.display()
    )]
    CannotOpen { path: PathBuf },

    #[error(
        "cannot read or write {}: disk I/O error (the disk may be full, failing or gone); answers saved before this are kept",
        path.display()
    )]
    Io { path: PathBuf },

    #[error(
        "cannot back up {} to {} before upgrading it: {source}; the database was not changed",
        path.display(),
        backup.display()
    )]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        source: rusqlite::Error,
    },

    #[error(
        "cannot create {} to back up {} before upgrading it: {source}; the database was not changed",
        backup.display(),
        path.display()
    )]
    BackupFile {
        path: PathBuf,
        backup: PathBuf,
        source: std::io::Error,
    },

    #[error("database {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("database {}: a stored card state cannot be read: {source}", path.display())]
    BadState {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// A deck the database knows, and where its file was last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDeck {
    pub key: String,
    pub name: String,
    pub path: PathBuf,
}

/// What synchronising a deck file changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub added: usize,
    pub retired: usize,
    pub returned: usize,
    pub unchanged_file: bool,
}

/// An active card with its cached scheduling state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCard {
    /// Opaque handle for `record`.
    pub handle: i64,
    pub key: String,
    /// Its place in its deck file when the deck was last synchronised (0-based).
    pub position: i64,
    pub state: CardState,
    /// Suspension, burying, flag, leech tag.
    pub marks: Marks,
}

/// One answer, ready to be appended to the log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReview<'a> {
    pub handle: i64,
    pub reviewed_at: Timestamp,
    pub rating: Rating,
    pub answer: &'a str,
    /// `correct`, `close`, `partial` or `wrong`.
    pub verdict: &'a str,
    pub response_ms: u64,
    pub scheduler: &'a str,
    /// The card's state after this review (the cache entry).
    pub state: &'a CardState,
    /// The card's state before this review, as the session held it. If the cache no longer
    /// holds it, another process reviewed the card meanwhile (see `record`).
    pub previous: &'a CardState,
    /// A cram review: logged as practice (`mode = 'cram'`); the cached state is left alone.
    pub cram: bool,
    /// This answer made the card a leech: tag it and suspend it, in the same transaction.
    pub leech: bool,
}

/// A card found by its id, with its whole review log, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct CardHistory {
    pub deck: String,
    pub deck_path: PathBuf,
    pub card: String,
    pub prompt: String,
    pub answer: String,
    pub retired: bool,
    pub reviews: Vec<LoggedReview>,
}

/// Counts of what happened in a time window, for limits and stats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    pub reviews: u32,
    pub correct: u32,
    /// Cards whose first review falls in the window.
    pub introduced: u32,
}

/// What one deck has due, for `factdrill due`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckDue {
    pub key: String,
    pub name: String,
    /// Seen cards due at or before now.
    pub due_now: u32,
    /// Seen cards due before the end of the study day (including `due_now`).
    pub due_today: u32,
    /// Cards never studied.
    pub new: u32,
    pub next_due: Option<Timestamp>,
}

/// Cards by phase (retired cards excluded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhaseCounts {
    pub new: u32,
    pub learning: u32,
    pub review: u32,
    pub relearning: u32,
    /// Of the cards above, those suspended (counted in their phase too).
    pub suspended: u32,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    backup: Option<MigrationBackup>,
}

const BUSY_TIMEOUT_MS: u64 = 10_000;

impl Store {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| classify(path, e))?;
        Self::setup(conn, path.to_owned())
    }

    /// A private database in memory, for tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| classify(&path, e))?;
        Self::setup(conn, path)
    }

    fn setup(mut conn: Connection, path: PathBuf) -> Result<Self, StoreError> {
        let fail = |e| classify(&path, e);
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(fail)?;
        // A DEFERRED transaction that reads, then writes after another process committed,
        // fails at once with SQLITE_BUSY (its snapshot is stale; waiting cannot help). Taking
        // the write lock at BEGIN makes concurrent writers wait their turn instead.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        // Reading the schema version is the first real read: it is where a file that is not
        // a database is found out.
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(fail)?;
        migrate::check_version(&path, version)?;
        wal_mode(&conn).map_err(fail)?;
        // FULL: a committed answer survives power loss, not only a crash of the process.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(fail)?;
        let backup = migrate::apply(&mut conn, &path, version)?;
        Ok(Self { conn, path, backup })
    }

    /// For a study session: no automatic WAL checkpoint inside an answer's commit. SQLite
    /// checkpoints when a commit leaves the WAL over 1,000 pages, copying pages into the
    /// database and syncing it inside that commit: the slowest 1 % of answers. During a
    /// session the WAL grows instead (about 45 KB an answer), and `checkpoint` folds it in
    /// after the session; a session killed midway leaves it to the next close. Durability is
    /// unchanged: every commit still syncs the WAL (`synchronous = FULL`).
    pub fn hold_checkpoints(&self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(self.fail())
    }

    /// Folds the WAL into the database without waiting for readers (PASSIVE), and turns the
    /// automatic checkpoint back on.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(self.fail())?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 1000)
            .map_err(self.fail())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The copy of the database taken before `open` migrated it, if it did; the front end
    /// tells the learner where it is.
    pub fn migration_backup(&self) -> Option<&MigrationBackup> {
        self.backup.as_ref()
    }

    /// Whether a card is still as a session last saw it: active, not suspended, and with the
    /// cached state `held`. Another process (a second session on this database, or
    /// `factdrill card suspend`) may have reviewed, retired or suspended it since the session
    /// built its queue; then it is no longer due here.
    pub fn still_due(&self, handle: i64, held: &CardState) -> Result<bool, StoreError> {
        let row: Option<(bool, Option<String>)> = self
            .conn
            .query_row(
                "SELECT card.retired_at IS NULL AND m.suspended_at IS NULL, card_state.state
                 FROM card LEFT JOIN card_state ON card_state.card_id = card.id
                 LEFT JOIN card_mark AS m ON m.card_id = card.id
                 WHERE card.id = ?1",
                params![handle],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.fail())?;
        match row {
            Some((true, cached)) => state_matches(&self.path, cached.as_deref(), held),
            Some((false, _)) | None => Ok(false),
        }
    }

    fn fail(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |e| classify(&self.path, e)
    }

    /// Brings the database in line with a deck file: new cards are added, cards gone from the
    /// file are retired (their reviews kept), cards that come back are restored. Cards are
    /// matched by id, so edited prompts keep their history.
    pub fn sync_deck(&mut self, deck: &Deck, now: Timestamp) -> Result<SyncReport, StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let now_ms = now.as_millisecond();
        let deck_path = deck.path.to_string_lossy().into_owned();
        let tx = self.conn.transaction().map_err(fail)?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, content_hash FROM deck WHERE key = ?1",
                params![deck.id.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(fail)?;
        let mut report = SyncReport::default();
        let deck_row = if let Some((id, hash)) = existing {
            tx.execute(
                "UPDATE deck SET name = ?2, path = ?3, content_hash = ?4, synced_at = ?5 WHERE id = ?1",
                params![id, deck.name, deck_path, deck.content_hash, now_ms],
            )
            .map_err(fail)?;
            if hash == deck.content_hash {
                report.unchanged_file = true;
                tx.commit().map_err(fail)?;
                return Ok(report);
            }
            id
        } else {
            tx.execute(
                "INSERT INTO deck (key, name, path, content_hash, added_at, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![
                    deck.id.as_str(),
                    deck.name,
                    deck_path,
                    deck.content_hash,
                    now_ms
                ],
            )
            .map_err(fail)?;
            tx.last_insert_rowid()
        };
        {
            let mut known = std::collections::HashMap::new();
            let mut stmt = tx
                .prepare("SELECT key, retired_at IS NOT NULL FROM card WHERE deck_id = ?1")
                .map_err(fail)?;
            let rows = stmt
                .query_map(params![deck_row], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
                })
                .map_err(fail)?;
            for row in rows {
                let (key, retired) = row.map_err(fail)?;
                known.insert(key, retired);
            }
            let mut upsert = tx
                .prepare(
                    "INSERT INTO card (deck_id, key, kind, prompt, answer, position, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (deck_id, key) DO UPDATE SET
                        kind = excluded.kind, prompt = excluded.prompt,
                        answer = excluded.answer, position = excluded.position,
                        retired_at = NULL",
                )
                .map_err(fail)?;
            for (position, card) in deck.cards.iter().enumerate() {
                match known.remove(card.id.as_str()) {
                    None => report.added += 1,
                    Some(true) => report.returned += 1,
                    Some(false) => {}
                }
                upsert
                    .execute(params![
                        deck_row,
                        card.id.as_str(),
                        card.kind.as_str(),
                        card.prompt,
                        card.answer,
                        position as i64,
                        now_ms
                    ])
                    .map_err(fail)?;
            }
            topic::save(&tx, deck_row, &deck.cards).map_err(fail)?;
            let mut retire = tx
                .prepare(
                    "UPDATE card SET retired_at = ?3 WHERE deck_id = ?1 AND key = ?2 AND retired_at IS NULL",
                )
                .map_err(fail)?;
            for (key, retired) in known {
                if !retired {
                    retire
                        .execute(params![deck_row, key, now_ms])
                        .map_err(fail)?;
                    report.retired += 1;
                }
            }
        }
        tx.commit().map_err(fail)?;
        Ok(report)
    }

    /// Every deck this database knows, by key.
    pub fn known_decks(&self) -> Result<Vec<KnownDeck>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, name, path FROM deck ORDER BY key")
            .map_err(self.fail())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(KnownDeck {
                    key: r.get(0)?,
                    name: r.get(1)?,
                    path: PathBuf::from(r.get::<_, String>(2)?),
                })
            })
            .map_err(self.fail())?;
        rows.collect::<Result<_, _>>().map_err(self.fail())
    }

    /// The active (not retired) cards of a deck with their scheduling state, in deck order.
    pub fn cards(&self, deck: &Id) -> Result<Vec<StoredCard>, StoreError> {
        self.cards_selected(deck)
    }

    /// The marks on a deck's cards, by card.
    fn deck_marks(&self, deck_id: i64) -> Result<HashMap<i64, Marks>, StoreError> {
        let fail = self.fail();
        let mut marks_of: HashMap<i64, Marks> = HashMap::new();
        let mut stmt = self.conn.prepare(DECK_MARKS).map_err(&fail)?;
        let mut rows = stmt.query([deck_id]).map_err(&fail)?;
        while let Some(r) = rows.next().map_err(&fail)? {
            let marks = Marks {
                suspended: r.get::<_, Option<i64>>(1).map_err(&fail)?.map(timestamp),
                buried_until: r.get::<_, Option<i64>>(2).map_err(&fail)?.map(timestamp),
                flag: r
                    .get::<_, Option<String>>(3)
                    .map_err(&fail)?
                    .as_deref()
                    .and_then(crate::mark::Flag::parse),
                note: r.get(4).map_err(&fail)?,
                leech: r.get::<_, Option<bool>>(5).map_err(&fail)?.unwrap_or(false),
            };
            marks_of.insert(r.get(0).map_err(&fail)?, marks);
        }
        Ok(marks_of)
    }

    fn cards_selected(&self, deck: &Id) -> Result<Vec<StoredCard>, StoreError> {
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
        // Each step reads one index front to back (no look-up per card): which cards have a
        // state, the deck's marks (few), then its cards in deck order.
        let mut has_state = std::collections::HashSet::new();
        {
            let mut stmt = self.conn.prepare(DECK_STATES).map_err(&fail)?;
            let mut rows = stmt.query([deck_id]).map_err(&fail)?;
            while let Some(r) = rows.next().map_err(&fail)? {
                has_state.insert(r.get::<_, i64>(0).map_err(&fail)?);
            }
        }
        let mut marks_of = self.deck_marks(deck_id)?;
        let mut state_of = self
            .conn
            .prepare("SELECT state FROM card_state WHERE card_id = ?1")
            .map_err(&fail)?;
        let mut stmt = self.conn.prepare(DECK_CARDS).map_err(&fail)?;
        let mut rows = stmt.query([deck_id]).map_err(&fail)?;
        let mut cards = Vec::new();
        while let Some(r) = rows.next().map_err(&fail)? {
            let handle: i64 = r.get(0).map_err(&fail)?;
            let key: String = r.get(1).map_err(&fail)?;
            let position: i64 = r.get(2).map_err(&fail)?;
            // Only the states of the cards kept are read and decoded.
            let state: Option<String> = if has_state.contains(&handle) {
                state_of
                    .query_row([handle], |r| r.get(0))
                    .optional()
                    .map_err(&fail)?
            } else {
                None
            };
            let marks = marks_of.remove(&handle).unwrap_or_default();
            let state = match state {
                Some(json) => {
                    serde_json::from_str(&json).map_err(|source| StoreError::BadState {
                        path: self.path.clone(),
                        source,
                    })?
                }
                None => CardState::with_fuzz_seed(card_seed(deck.as_str(), &key)),
            };
            cards.push(StoredCard {
                handle,
                key,
                position,
                state,
                marks,
            });
        }
        Ok(cards)
    }

    /// Makes sure a deck's state cache was computed by `scheduler` (identified by
    /// `fingerprint`: its name and settings); if not, rebuilds the state of each of the deck's
    /// cards by replaying its review log. Returns whether it rebuilt.
    pub fn ensure_states(
        &mut self,
        deck: &Id,
        scheduler: &dyn Scheduler,
        fingerprint: &str,
    ) -> Result<bool, StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let meta_key = format!("state_fingerprint/{deck}");
        let current: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [&meta_key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(fail)?;
        if current.as_deref() == Some(fingerprint) {
            return Ok(false);
        }
        let tx = self.conn.transaction().map_err(fail)?;
        tx.execute(
            "DELETE FROM card_state WHERE card_id IN
                (SELECT card.id FROM card JOIN deck ON deck.id = card.deck_id WHERE deck.key = ?1)",
            [deck.as_str()],
        )
        .map_err(fail)?;
        {
            let mut stmt = tx
                .prepare(
                    "SELECT review.card_id, card.key, review.rating, review.reviewed_at, card.deck_id
                     FROM review JOIN card ON card.id = review.card_id
                     JOIN deck ON deck.id = card.deck_id
                     WHERE deck.key = ?1 AND review.mode = 'normal'
                     ORDER BY review.card_id, review.reviewed_at, review.uid, review.id",
                )
                .map_err(fail)?;
            let mut rows = stmt.query([deck.as_str()]).map_err(fail)?;
            let mut insert = tx
                .prepare(
                    "INSERT INTO card_state (card_id, phase, due, state, deck_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(fail)?;
            let mut current: Option<(i64, CardState)> = None;
            let mut deck_id: Option<i64> = None;
            let mut flush =
                |entry: Option<(i64, CardState)>, deck_id: Option<i64>| -> Result<(), StoreError> {
                    if let Some((card, state)) = entry {
                        let (card, phase, due, json) = state_params(card, &state);
                        insert
                            .execute(params![card, phase, due, json, deck_id])
                            .map_err(|e| classify(&path, e))?;
                    }
                    Ok(())
                };
            while let Some(row) = rows.next().map_err(fail)? {
                let card: i64 = row.get(0).map_err(fail)?;
                let rating =
                    Rating::from_number(row.get(2).map_err(fail)?).unwrap_or(Rating::Again);
                let at = timestamp(row.get(3).map_err(fail)?);
                match &mut current {
                    Some((id, state)) if *id == card => {
                        *state = scheduler.review(state, rating, at);
                    }
                    _ => {
                        let key: String = row.get(1).map_err(fail)?;
                        let new = CardState::with_fuzz_seed(card_seed(deck.as_str(), &key));
                        let fresh = scheduler.review(&new, rating, at);
                        let deck = row.get(4).map_err(fail)?;
                        flush(current.replace((card, fresh)), deck_id.replace(deck))?;
                    }
                }
            }
            flush(current, deck_id)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![meta_key, fingerprint],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(true)
    }

    /// Appends one review and updates the card's cached state, in one transaction.
    ///
    /// If the cache no longer holds `review.previous`, another process reviewed the card
    /// while this session showed it. The answer is still logged (the log is the truth, and
    /// both answers were really given), but the new state was computed from an old one, so
    /// the deck's cache is marked stale and the next `study` of the deck replays its log.
    pub fn record(&mut self, review: &NewReview<'_>) -> Result<(), StoreError> {
        self.record_with(review, &ReviewExtra::default())
    }

    /// `record`, and in the same transaction what else the answer showed (`confusion.rs`):
    /// the confusion, if any, and the format the question was asked in.
    pub fn record_with(
        &mut self,
        review: &NewReview<'_>,
        extra: &ReviewExtra<'_>,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        // IMMEDIATE (see `setup`): no other writer between this read and the writes below.
        let tx = self.conn.transaction().map_err(fail)?;
        let entry = confusion::logged(review, extra);
        if review.cram {
            // Practice: logged, and nothing else changes.
            log::insert(&tx, review.handle, &entry, log::Insert::Answer).map_err(fail)?;
            return tx.commit().map_err(fail);
        }
        let cached: Option<String> = tx
            .query_row(
                "SELECT state FROM card_state WHERE card_id = ?1",
                params![review.handle],
                |r| r.get(0),
            )
            .optional()
            .map_err(fail)?;
        let concurrent = !state_matches(&path, cached.as_deref(), review.previous)?;
        if concurrent {
            tx.execute(
                "DELETE FROM meta WHERE key = 'state_fingerprint/' ||
                    (SELECT deck.key FROM card JOIN deck ON deck.id = card.deck_id
                     WHERE card.id = ?1)",
                params![review.handle],
            )
            .map_err(fail)?;
        }
        let id = log::insert(&tx, review.handle, &entry, log::Insert::Answer).map_err(fail)?;
        if review.leech {
            let uid: String = tx
                .query_row("SELECT uid FROM review WHERE id = ?1", [id], |r| r.get(0))
                .map_err(fail)?;
            marks::mark_leech(&tx, review.handle, &uid, review.reviewed_at).map_err(fail)?;
        }
        tx.execute(
            "INSERT INTO card_state (card_id, phase, due, state) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (card_id) DO UPDATE SET
                phase = excluded.phase, due = excluded.due, state = excluded.state",
            state_params(review.handle, review.state),
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)
    }

    /// Reviews, correct answers and newly introduced cards in `[from, to)`, optionally for
    /// one deck.
    pub fn activity(
        &self,
        deck: Option<&Id>,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Activity, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*),
                        coalesce(sum(r.verdict IN ('correct', 'close')), 0),
                        coalesce(sum(NOT EXISTS (
                            SELECT 1 FROM review AS p
                            WHERE p.card_id = r.card_id AND p.mode = 'normal'
                              AND (p.reviewed_at < r.reviewed_at
                                   OR (p.reviewed_at = r.reviewed_at AND p.id < r.id)))), 0)
                 FROM review AS r
                 JOIN card ON card.id = r.card_id
                 JOIN deck ON deck.id = card.deck_id
                 WHERE r.reviewed_at >= ?1 AND r.reviewed_at < ?2 AND r.mode = 'normal'
                   AND (?3 IS NULL OR deck.key = ?3)",
                params![
                    from.as_millisecond(),
                    to.as_millisecond(),
                    deck.map(Id::as_str)
                ],
                |r| {
                    Ok(Activity {
                        reviews: r.get(0)?,
                        correct: r.get(1)?,
                        introduced: r.get(2)?,
                    })
                },
            )
            .map_err(self.fail())
    }

    /// Active cards by phase.
    pub fn phase_counts(&self) -> Result<PhaseCounts, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT coalesce(card_state.phase, 'new'), count(*)
                 FROM card LEFT JOIN card_state ON card_state.card_id = card.id
                 WHERE card.retired_at IS NULL
                 GROUP BY 1",
            )
            .map_err(self.fail())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))
            .map_err(self.fail())?;
        let mut counts = PhaseCounts::default();
        for row in rows {
            let (phase, n) = row.map_err(self.fail())?;
            match Phase::parse(&phase) {
                Some(Phase::New) | None => counts.new += n,
                Some(Phase::Learning) => counts.learning += n,
                Some(Phase::Review) => counts.review += n,
                Some(Phase::Relearning) => counts.relearning += n,
            }
        }
        Ok(counts)
    }

    /// Active, already-seen cards due before `before`: a range of the due index, with a
    /// look-up in the small indexes of retired and marked cards for each (the study
    /// summary's "due tomorrow"; a join with every due card's row read 6,000 scattered
    /// pages at 100k cards).
    pub fn due_count(&self, before: Timestamp) -> Result<u32, StoreError> {
        self.conn
            .query_row(due::DUE_COUNT, params![before.as_millisecond()], |r| {
                r.get(0)
            })
            .map_err(self.fail())
    }

    /// Number of retired cards (kept with their history).
    pub fn retired_count(&self) -> Result<u32, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM card WHERE retired_at IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .map_err(self.fail())
    }

    /// Every card with this id, in any deck (or only in `deck`), with its review log.
    pub fn card_histories(
        &self,
        card: &str,
        deck: Option<&str>,
    ) -> Result<Vec<CardHistory>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT card.id, deck.key, deck.path, card.key, card.prompt, card.answer,
                        card.retired_at IS NOT NULL
                 FROM card JOIN deck ON deck.id = card.deck_id
                 WHERE card.key = ?1 AND (?2 IS NULL OR deck.key = ?2)
                 ORDER BY deck.key",
            )
            .map_err(self.fail())?;
        let rows = stmt
            .query_map(params![card, deck], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    CardHistory {
                        deck: r.get(1)?,
                        deck_path: PathBuf::from(r.get::<_, String>(2)?),
                        card: r.get(3)?,
                        prompt: r.get(4)?,
                        answer: r.get(5)?,
                        retired: r.get(6)?,
                        reviews: Vec::new(),
                    },
                ))
            })
            .map_err(self.fail())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.fail())?;
        let mut reviews = self
            .conn
            .prepare(&format!(
                "SELECT {} FROM review AS r {}
                 WHERE r.card_id = ?1 ORDER BY r.reviewed_at, r.uid, r.id",
                log::COLUMNS,
                log::JOINS
            ))
            .map_err(self.fail())?;
        let mut found = Vec::new();
        for (id, mut history) in rows {
            history.reviews = reviews
                .query_map(params![id], |r| log::read(r, 0))
                .map_err(self.fail())?
                .collect::<Result<_, _>>()
                .map_err(self.fail())?;
            found.push(history);
        }
        Ok(found)
    }

    /// Total reviews in the log.
    pub fn review_count(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM review", [], |r| r.get(0))
            .map_err(self.fail())
    }

    /// The earliest due time among active, already-seen cards.
    pub fn next_due(&self) -> Result<Option<Timestamp>, StoreError> {
        let ms: Option<i64> = self
            .conn
            .query_row(
                "SELECT min(max(card_state.due, coalesce(m.buried_until, 0))) FROM card_state
                 JOIN card ON card.id = card_state.card_id
                 LEFT JOIN card_mark AS m ON m.card_id = card.id
                 WHERE card.retired_at IS NULL AND m.suspended_at IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(self.fail())?;
        Ok(ms.map(timestamp))
    }
}

/// The cards of a deck (`?1`, its row id) that have a cached state: the deck's range of
/// `card_state_by_deck`, read in order.
const DECK_STATES: &str = "SELECT card_id
     FROM card_state INDEXED BY card_state_by_deck WHERE deck_id = ?1";

/// The marks on a deck's cards (marks are few: read first, each card looked up).
const DECK_MARKS: &str = "SELECT m.card_id, m.suspended_at, m.buried_until, m.flag, m.note,
        m.leech_review IS NOT NULL
     FROM card_mark AS m CROSS JOIN card ON card.id = m.card_id WHERE card.deck_id = ?1";

/// A deck's active cards in deck order: its range of `card_in_deck_order` (migration
/// 0007), so neither the cards' texts are read nor anything sorted.
const DECK_CARDS: &str = "SELECT id, key, position FROM card INDEXED BY card_in_deck_order
     WHERE deck_id = ?1 AND retired_at IS NULL ORDER BY position";

/// The fuzz seed of a card: a hash of its deck and card ids, so a card's intervals are
/// spread the same way every time its log is replayed.
pub fn card_seed(deck: &str, card: &str) -> u64 {
    fuzz_seed(format!("{deck}/{card}").as_bytes())
}

fn state_params(card: i64, state: &CardState) -> (i64, &'static str, Option<i64>, String) {
    (
        card,
        state.phase.as_str(),
        state.due.map(Timestamp::as_millisecond),
        // A CardState is plain data; serialising it cannot fail.
        serde_json::to_string(state).unwrap_or_default(),
    )
}

/// Whether a cached state (its JSON; `None` for a card never reviewed) is `held`.
fn state_matches(path: &Path, cached: Option<&str>, held: &CardState) -> Result<bool, StoreError> {
    match cached {
        None => Ok(held.phase == Phase::New),
        Some(json) => {
            let cached: CardState =
                serde_json::from_str(json).map_err(|source| StoreError::BadState {
                    path: path.to_owned(),
                    source,
                })?;
            Ok(cached == *held)
        }
    }
}

/// Puts the database in WAL mode, if it is not already. Changing the journal mode needs a
/// moment of exclusive access, and SQLite answers "busy" at once, without its busy handler,
/// when another process holds the file just then (two sessions starting together on a new
/// database): so this waits and tries again, for as long as the busy timeout.
fn wal_mode(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        let mode: rusqlite::Result<String> =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0));
        match mode {
            Ok(_) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < std::time::Duration::from_millis(BUSY_TIMEOUT_MS) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Milliseconds since the epoch, clamped into jiff's range.
fn timestamp(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// Turns SQLite's error codes into messages a learner can act on.
fn classify(path: &Path, err: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let path = path.to_owned();
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            StoreError::NotADatabase { path }
        }
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        Some(ErrorCode::DiskFull) => StoreError::Full { path },
        Some(ErrorCode::CannotOpen) => StoreError::CannotOpen { path },
        Some(ErrorCode::SystemIoFailure) => StoreError::Io { path },
        _ => StoreError::Sqlite { path, source: err },
    }
}

#[cfg(test)]
mod tests;
