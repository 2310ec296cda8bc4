//! The database side of `factdrill sync` (docs/sync.md): this device's id, review ids, the
//! events not yet in the sync folder, applying another device's events, and how far each
//! file in the folder has been read. Reading and writing the folder's files is `crate::sync`.
//!
//! Merging is a set union by review id: applying the same events twice changes nothing,
//! and a review whose id has a tombstone is never inserted. Mark events merge the same way
//! by their own ids; the marks of every card they touch are folded again.

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::log::{self, LoggedReview};
use super::{Store, StoreError, classify, marks, timestamp};
use crate::mark::{Flag, MarkChange, MarkEvent};

/// This database as a sync device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    /// Random, made when the database was created (or re-keyed with `--new-device`).
    pub id: String,
    /// A name for people (`sync --name`); may be empty.
    pub name: String,
}

/// A review as it travels between devices: cards are named by deck and card id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReview {
    pub uid: String,
    /// The device that recorded it.
    pub device: String,
    pub deck: String,
    pub deck_name: String,
    pub card: String,
    pub kind: String,
    pub prompt: String,
    /// The card's answer (its text in the deck), so a placeholder card reads well.
    pub card_answer: String,
    pub review: LoggedReview,
}

/// A deleted review (undo), by its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDelete {
    pub uid: String,
    /// The device that deleted it.
    pub device: String,
    pub deleted_at: Timestamp,
}

/// A change of a card's marks, as it travels between devices (format version 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMark {
    /// The device that made the change.
    pub device: String,
    pub deck: String,
    pub card: String,
    /// Its id, time and change.
    pub event: MarkEvent,
}

/// One line of a device file after its header.
// Nearly every event is a review: boxing it would cost an allocation each, to save space
// only in the rare deletion.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    Review(SyncReview),
    Delete(SyncDelete),
    Mark(SyncMark),
}

impl SyncEvent {
    pub fn uid(&self) -> &str {
        match self {
            SyncEvent::Review(r) => &r.uid,
            SyncEvent::Delete(d) => &d.uid,
            SyncEvent::Mark(m) => &m.event.uid,
        }
    }

    /// `review`, `delete` or `mark`: the event's kind in the file and in `sync_seen`.
    pub fn kind(&self) -> &'static str {
        match self {
            SyncEvent::Review(_) => "review",
            SyncEvent::Delete(_) => "delete",
            SyncEvent::Mark(_) => "mark",
        }
    }

    /// When it happened.
    pub fn time(&self) -> Timestamp {
        match self {
            SyncEvent::Review(r) => r.review.reviewed_at,
            SyncEvent::Delete(d) => d.deleted_at,
            SyncEvent::Mark(m) => m.event.at,
        }
    }
}

/// How far one file of the sync folder has been read (or written, for this device's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// The file's name in the folder.
    pub name: String,
    /// The device id in its header.
    pub device: String,
    pub device_name: String,
    /// Bytes of complete lines read from the start.
    pub read_bytes: u64,
    /// The last bytes (a few dozen) before `read_bytes`, to notice a replaced file.
    pub tail: Vec<u8>,
    /// Events in those bytes.
    pub events: u64,
    pub last_event: Option<Timestamp>,
}

/// Events this database has that no file in the sync folder holds yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendingEvents {
    pub events: Vec<SyncEvent>,
}

/// How many events of each kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventCounts {
    pub reviews: u64,
    pub deletes: u64,
    pub marks: u64,
}

impl EventCounts {
    pub fn total(&self) -> u64 {
        self.reviews + self.deletes + self.marks
    }
}

/// What applying a file's events changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Reviews inserted.
    pub reviews: usize,
    /// Reviews deleted by tombstones.
    pub deletes: usize,
    /// Mark events added.
    pub marks: usize,
    /// Reviews recorded under this device's id that this database did not have (a restored
    /// backup, or a copy of this database on another machine).
    pub own_unknown: usize,
    /// Keys of the decks whose cards changed (their state caches were invalidated).
    pub decks: BTreeSet<String>,
}

/// The columns of a review as sync writes it; `review_row` reads them.
fn review_columns() -> String {
    format!(
        "SELECT r.uid, coalesce(r.device, ''), deck.key, deck.name, card.key, card.kind,
                card.prompt, card.answer, {}
         FROM review AS r JOIN card ON card.id = r.card_id JOIN deck ON deck.id = card.deck_id
         {}",
        log::COLUMNS,
        log::JOINS
    )
}

fn review_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SyncReview> {
    Ok(SyncReview {
        uid: r.get(0)?,
        device: r.get(1)?,
        deck: r.get(2)?,
        deck_name: r.get(3)?,
        card: r.get(4)?,
        kind: r.get(5)?,
        prompt: r.get(6)?,
        card_answer: r.get(7)?,
        review: log::read(r, 8)?,
    })
}

impl Store {
    /// This database's device id and name.
    pub fn device(&self) -> Result<Device, StoreError> {
        let get = |key: &str| -> Result<Option<String>, StoreError> {
            self.conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(self.fail())
        };
        Ok(Device {
            // The migration makes it; it is only missing if someone deleted it by hand.
            id: get("device_id")?.unwrap_or_default(),
            name: get("device_name")?.unwrap_or_default(),
        })
    }

    /// Names this device (shown to the other devices).
    pub fn set_device_name(&mut self, name: &str) -> Result<(), StoreError> {
        self.set_meta("device_name", name)
    }

    /// Gives this database a new random device id, e.g. after it was copied from another
    /// machine. Reviews keep the id of the device that recorded them.
    pub fn new_device_id(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES ('device_id', lower(hex(randomblob(8))))
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [],
            )
            .map_err(self.fail())?;
        Ok(())
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(self.fail())?;
        Ok(())
    }

    /// Makes `dir` the sync folder. If it is not the one last used, what was known about the
    /// old folder's files is forgotten (every file is read again, and this device's file gets
    /// every event the new folder lacks). Returns whether the folder changed.
    pub fn use_sync_dir(&mut self, dir: &str) -> Result<bool, StoreError> {
        let current: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'sync_dir'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.fail())?;
        if current.as_deref() == Some(dir) {
            return Ok(false);
        }
        self.forget_sync_files()?;
        self.set_meta("sync_dir", dir)?;
        Ok(true)
    }

    /// The sync folder last used, if any.
    pub fn sync_dir(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'sync_dir'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.fail())
    }

    /// Forgets which events the folder holds and how far each file was read: the next sync
    /// reads every file from the start and writes whatever none of them holds.
    pub fn forget_sync_files(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        tx.execute_batch(
            "DELETE FROM sync_seen; DELETE FROM sync_seen_mark; DELETE FROM sync_file;",
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)
    }

    /// Every file of the sync folder this database has read or written, by name.
    pub fn sync_files(&self) -> Result<Vec<FileRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name, device, device_name, read_bytes, tail, events, last_event
                 FROM sync_file ORDER BY name",
            )
            .map_err(self.fail())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(FileRecord {
                    name: r.get(0)?,
                    device: r.get(1)?,
                    device_name: r.get(2)?,
                    read_bytes: u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                    tail: r.get(4)?,
                    events: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
                    last_event: r.get::<_, Option<i64>>(6)?.map(timestamp),
                })
            })
            .map_err(self.fail())?;
        rows.collect::<Result<_, _>>().map_err(self.fail())
    }

    /// The events no file of the sync folder holds: every review and tombstone whose id is not
    /// in `sync_seen`, in the order they were recorded (reviews, then deletions).
    pub fn pending_events(&self) -> Result<PendingEvents, StoreError> {
        self.pending_batch(usize::MAX)
    }

    /// The first `limit` of `pending_events`.
    pub fn pending_batch(&self, limit: usize) -> Result<PendingEvents, StoreError> {
        let limit_of = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let mut events = Vec::new();
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{}
                 WHERE r.uid IS NOT NULL AND NOT EXISTS
                    (SELECT 1 FROM sync_seen WHERE kind = 'review' AND uid = r.uid)
                 ORDER BY r.id LIMIT ?1",
                review_columns()
            ))
            .map_err(self.fail())?;
        let rows = stmt
            .query_map([limit_of(limit)], |r| review_row(r).map(SyncEvent::Review))
            .map_err(self.fail())?;
        for row in rows {
            events.push(row.map_err(self.fail())?);
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT t.uid, t.device, t.deleted_at FROM review_tombstone AS t
                 WHERE NOT EXISTS (SELECT 1 FROM sync_seen WHERE kind = 'delete' AND uid = t.uid)
                 ORDER BY t.deleted_at, t.uid LIMIT ?1",
            )
            .map_err(self.fail())?;
        let rows = stmt
            .query_map([limit_of(limit - events.len())], |r| {
                Ok(SyncEvent::Delete(SyncDelete {
                    uid: r.get(0)?,
                    device: r.get(1)?,
                    deleted_at: timestamp(r.get(2)?),
                }))
            })
            .map_err(self.fail())?;
        for row in rows {
            events.push(row.map_err(self.fail())?);
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.uid, e.device, deck.key, card.key, e.at, e.change, e.until, e.flag,
                        e.note, e.review
                 FROM mark_event AS e JOIN card ON card.id = e.card_id
                 JOIN deck ON deck.id = card.deck_id
                 WHERE NOT EXISTS (SELECT 1 FROM sync_seen_mark WHERE uid = e.uid)
                 ORDER BY e.uid LIMIT ?1",
            )
            .map_err(self.fail())?;
        let rows = stmt
            .query_map([limit_of(limit - events.len())], mark_row)
            .map_err(self.fail())?;
        for row in rows {
            events.extend(row.map_err(self.fail())?.map(SyncEvent::Mark));
        }
        Ok(PendingEvents { events })
    }

    /// How many reviews, deletions and mark events no file of the sync folder holds yet.
    pub fn pending_counts(&self) -> Result<EventCounts, StoreError> {
        self.counts(
            "SELECT (SELECT count(*) FROM review AS r WHERE r.uid IS NOT NULL AND NOT EXISTS
                        (SELECT 1 FROM sync_seen WHERE kind = 'review' AND uid = r.uid)),
                    (SELECT count(*) FROM review_tombstone AS t WHERE NOT EXISTS
                        (SELECT 1 FROM sync_seen WHERE kind = 'delete' AND uid = t.uid)),
                    (SELECT count(*) FROM mark_event AS e WHERE NOT EXISTS
                        (SELECT 1 FROM sync_seen_mark WHERE uid = e.uid))",
        )
    }

    /// How many reviews, tombstones and mark events this database has (all pending for a
    /// new folder).
    pub fn event_counts(&self) -> Result<EventCounts, StoreError> {
        self.counts(
            "SELECT (SELECT count(*) FROM review), (SELECT count(*) FROM review_tombstone),
                    (SELECT count(*) FROM mark_event)",
        )
    }

    fn counts(&self, sql: &str) -> Result<EventCounts, StoreError> {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        self.conn
            .query_row(sql, [], |r| {
                Ok(EventCounts {
                    reviews: count(r.get(0)?),
                    deletes: count(r.get(1)?),
                    marks: count(r.get(2)?),
                })
            })
            .map_err(self.fail())
    }

    /// Records that this device's file now holds `events` and has grown to `record`, in one
    /// transaction (after the file was written and flushed to disk).
    pub fn mark_written(
        &mut self,
        events: &[SyncEvent],
        record: &FileRecord,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        mark_seen(&tx, events).map_err(fail)?;
        save_record(&tx, record).map_err(fail)?;
        tx.commit().map_err(fail)
    }

    /// Applies the events read from one file of the sync folder and records how far it was
    /// read, in one transaction: inserts the reviews this database lacks (creating placeholder
    /// decks and cards for ones it does not know), deletes tombstoned reviews, and invalidates
    /// the state caches of the decks whose logs changed.
    pub fn apply_events(
        &mut self,
        events: &[SyncEvent],
        record: &FileRecord,
        now: Timestamp,
    ) -> Result<Applied, StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let own = self.device()?.id;
        let tx = self.conn.transaction().map_err(fail)?;
        let mut applied = Applied::default();
        let mut cards = HashMap::new();
        let mut positions = HashMap::new();
        // Cards whose mark log grew, and cards whose review log changed (a leech event counts
        // only while its review is in the log): their marks are folded again.
        let mut marked = BTreeSet::new();
        let mut touched = BTreeSet::new();
        for event in events {
            match event {
                SyncEvent::Review(review) => {
                    let known: bool = tx
                        .prepare_cached(
                            "SELECT EXISTS (SELECT 1 FROM review WHERE uid = ?1)
                                 OR EXISTS (SELECT 1 FROM review_tombstone WHERE uid = ?1)",
                        )
                        .and_then(|mut stmt| stmt.query_row([&review.uid], |r| r.get(0)))
                        .map_err(fail)?;
                    if known {
                        continue;
                    }
                    let key = (review.deck.clone(), review.card.clone());
                    let card_id = if let Some(&id) = cards.get(&key) {
                        id
                    } else {
                        let of = PlaceholderOf {
                            deck: &review.deck,
                            deck_name: &review.deck_name,
                            card: &review.card,
                            kind: &review.kind,
                            prompt: &review.prompt,
                            card_answer: &review.card_answer,
                        };
                        let id = placeholder_card(&tx, &of, now, &mut positions).map_err(fail)?;
                        cards.insert(key, id);
                        id
                    };
                    let insert = log::Insert::Synced {
                        uid: &review.uid,
                        device: &review.device,
                    };
                    log::insert(&tx, card_id, &review.review, insert).map_err(fail)?;
                    touched.insert(card_id);
                    applied.reviews += 1;
                    applied.own_unknown += usize::from(review.device == own);
                    applied.decks.insert(review.deck.clone());
                }
                SyncEvent::Delete(delete) => {
                    tx.execute(
                        "INSERT OR IGNORE INTO review_tombstone (uid, device, deleted_at)
                         VALUES (?1, ?2, ?3)",
                        params![
                            delete.uid,
                            delete.device,
                            delete.deleted_at.as_millisecond()
                        ],
                    )
                    .map_err(fail)?;
                    let found: Option<(String, i64)> = tx
                        .query_row(
                            "SELECT deck.key, card.id FROM review JOIN card ON card.id = review.card_id
                             JOIN deck ON deck.id = card.deck_id WHERE review.uid = ?1",
                            [&delete.uid],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .optional()
                        .map_err(fail)?;
                    if let Some((deck, card_id)) = found {
                        tx.execute("DELETE FROM review WHERE uid = ?1", [&delete.uid])
                            .map_err(fail)?;
                        touched.insert(card_id);
                        applied.deletes += 1;
                        applied.decks.insert(deck);
                    }
                }
                SyncEvent::Mark(mark) => {
                    if let Some(card_id) =
                        apply_mark(&tx, mark, &mut cards, &mut positions, now).map_err(fail)?
                    {
                        marked.insert(card_id);
                        applied.marks += 1;
                    }
                }
            }
        }
        refresh_marks(&tx, marked, touched).map_err(fail)?;
        mark_seen(&tx, events).map_err(fail)?;
        save_record(&tx, record).map_err(fail)?;
        // The next `study` of these decks replays their logs (the command rebuilds the caches
        // of the decks whose files it can load at once).
        for deck in &applied.decks {
            tx.execute(
                "DELETE FROM meta WHERE key = ?1",
                [format!("state_fingerprint/{deck}")],
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        Ok(applied)
    }

    /// Every mark event, by uid, as sync would write it: to check that two databases hold the
    /// same mark log.
    pub fn synced_marks(&self) -> Result<Vec<SyncMark>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.uid, e.device, deck.key, card.key, e.at, e.change, e.until, e.flag,
                        e.note, e.review
                 FROM mark_event AS e JOIN card ON card.id = e.card_id
                 JOIN deck ON deck.id = card.deck_id ORDER BY e.uid",
            )
            .map_err(self.fail())?;
        let rows = stmt.query_map([], mark_row).map_err(self.fail())?;
        let mut marks = Vec::new();
        for row in rows {
            marks.extend(row.map_err(self.fail())?);
        }
        Ok(marks)
    }

    /// Every review in the log, by uid, as sync would write it: to check that two databases
    /// hold the same log.
    pub fn synced_log(&self) -> Result<Vec<SyncReview>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{} ORDER BY r.uid", review_columns()))
            .map_err(self.fail())?;
        let rows = stmt.query_map([], review_row).map_err(self.fail())?;
        rows.collect::<Result<_, _>>().map_err(self.fail())
    }
}

/// Adds another device's mark event (and a placeholder card if the card is unknown);
/// returns the card if the event was new.
fn apply_mark(
    tx: &Transaction<'_>,
    mark: &SyncMark,
    cards: &mut HashMap<(String, String), i64>,
    positions: &mut HashMap<i64, i64>,
    now: Timestamp,
) -> rusqlite::Result<Option<i64>> {
    let key = (mark.deck.clone(), mark.card.clone());
    let card_id = if let Some(&id) = cards.get(&key) {
        id
    } else {
        let of = PlaceholderOf {
            deck: &mark.deck,
            deck_name: &mark.deck,
            card: &mark.card,
            kind: "recall",
            prompt: "",
            card_answer: "",
        };
        let id = placeholder_card(tx, &of, now, positions)?;
        cards.insert(key, id);
        id
    };
    let new = marks::insert_event(tx, card_id, Some(&mark.device), &mark.event)?;
    Ok(new.then_some(card_id))
}

/// Folds again the marks of the cards whose mark log grew (`marked`) and of the cards whose
/// review log changed (`touched`) that have mark events: a leech event counts only while
/// its review is in the log.
fn refresh_marks(
    tx: &Transaction<'_>,
    mut marked: BTreeSet<i64>,
    touched: BTreeSet<i64>,
) -> rusqlite::Result<()> {
    // Most databases have few marks: one look at the table saves a probe per card.
    let any_marks: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM mark_event)", [], |r| r.get(0))?;
    for card_id in touched.into_iter().filter(|_| any_marks) {
        let has_marks: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM mark_event WHERE card_id = ?1)")?
            .query_row([card_id], |r| r.get(0))?;
        if has_marks {
            marked.insert(card_id);
        }
    }
    for card_id in marked {
        marks::refresh(tx, card_id)?;
    }
    Ok(())
}

fn mark_seen(tx: &Transaction<'_>, events: &[SyncEvent]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare("INSERT OR IGNORE INTO sync_seen (kind, uid) VALUES (?1, ?2)")?;
    let mut marks = tx.prepare("INSERT OR IGNORE INTO sync_seen_mark (uid) VALUES (?1)")?;
    for event in events {
        match event {
            SyncEvent::Mark(m) => marks.execute([&m.event.uid])?,
            _ => stmt.execute(params![event.kind(), event.uid()])?,
        };
    }
    Ok(())
}

/// A mark event as sync writes it, from (uid, device, deck, card, at, change, until, flag,
/// note, review); `None` for a row the table's checks rule out.
fn mark_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<SyncMark>> {
    let name: String = r.get(5)?;
    let change = MarkChange::from_parts(
        &name,
        r.get::<_, Option<i64>>(6)?.map(timestamp),
        r.get::<_, Option<String>>(7)?
            .as_deref()
            .and_then(Flag::parse),
        r.get(8)?,
        r.get(9)?,
    );
    let Some(change) = change else {
        return Ok(None);
    };
    Ok(Some(SyncMark {
        device: r.get(1)?,
        deck: r.get(2)?,
        card: r.get(3)?,
        event: MarkEvent {
            uid: r.get(0)?,
            at: timestamp(r.get(4)?),
            change,
        },
    }))
}

fn save_record(tx: &Transaction<'_>, record: &FileRecord) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO sync_file (name, device, device_name, read_bytes, tail, events, last_event)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (name) DO UPDATE SET
            device = excluded.device, device_name = excluded.device_name,
            read_bytes = excluded.read_bytes, tail = excluded.tail,
            events = excluded.events, last_event = excluded.last_event",
        params![
            record.name,
            record.device,
            record.device_name,
            i64::try_from(record.read_bytes).unwrap_or(i64::MAX),
            record.tail,
            i64::try_from(record.events).unwrap_or(i64::MAX),
            record.last_event.map(Timestamp::as_millisecond),
        ],
    )?;
    Ok(())
}

/// What a placeholder card is made of: the card as a review's writer had it, or only its
/// ids for a mark event.
struct PlaceholderOf<'a> {
    deck: &'a str,
    deck_name: &'a str,
    card: &'a str,
    kind: &'a str,
    prompt: &'a str,
    card_answer: &'a str,
}

/// The card a synced review (or mark event) belongs to. A deck this database does not know gets a row with
/// no file (the first `study` of a file with its id fills it in); a card it does not know is
/// added retired, so it counts nowhere as an active card until a deck file that has it is
/// studied here (which brings it back with its history).
fn placeholder_card(
    tx: &Transaction<'_>,
    review: &PlaceholderOf<'_>,
    now: Timestamp,
    positions: &mut HashMap<i64, i64>,
) -> rusqlite::Result<i64> {
    let now_ms = now.as_millisecond();
    let deck: i64 = if let Some(id) = tx
        .prepare_cached("SELECT id FROM deck WHERE key = ?1")?
        .query_row([&review.deck], |r| r.get(0))
        .optional()?
    {
        id
    } else {
        tx.execute(
            "INSERT INTO deck (key, name, path, content_hash, added_at, synced_at)
             VALUES (?1, ?2, '', '', ?3, ?3)",
            params![review.deck, review.deck_name, now_ms],
        )?;
        tx.last_insert_rowid()
    };
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM card WHERE deck_id = ?1 AND key = ?2")?
        .query_row(params![deck, review.card], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    // New cards go after the deck's last one; counted once per deck and sync, not per card
    // (finding the maximum scans the deck's cards).
    let position = match positions.get(&deck) {
        Some(&next) => next,
        None => tx.query_row(
            "SELECT coalesce(max(position) + 1, 0) FROM card WHERE deck_id = ?1",
            [deck],
            |r| r.get(0),
        )?,
    };
    positions.insert(deck, position + 1);
    tx.prepare_cached(
        "INSERT INTO card (deck_id, key, kind, prompt, answer, position, added_at, retired_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        deck,
        review.card,
        review.kind,
        review.prompt,
        review.card_answer,
        position,
        now_ms
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The low 62 bits of a UUID: the random part after the variant.
const RAND_B: u128 = (1 << 62) - 1;

/// A new review's id: a UUIDv7 of the review's time in milliseconds, made greater than every
/// id this log already has for that millisecond, so reviews given in one millisecond (a
/// pinned clock) replay in the order they were given, on every device.
pub(super) fn review_uid(conn: &Connection, at: Timestamp) -> rusqlite::Result<String> {
    let ms = u64::try_from(at.as_millisecond().clamp(0, (1 << 48) - 1)).unwrap_or(0);
    let of = |ms: u64, bytes: &[u8; 10]| {
        uuid::Builder::from_unix_timestamp_millis(ms, bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    };
    let latest: Option<String> = conn.query_row(
        "SELECT max(uid) FROM review WHERE uid >= ?1 AND uid < ?2",
        params![of(ms, &[0; 10]), of(ms + 1, &[0; 10])],
        |r| r.get(0),
    )?;
    Ok(after(latest.as_deref(), of(ms, &rand::random())))
}

/// `fresh`, or if `latest` is not smaller, the id right after `latest`: ids made this way
/// grow in the order they are made.
pub(super) fn after(latest: Option<&str>, fresh: String) -> String {
    if let Some(latest) = latest.filter(|l| *l >= fresh.as_str())
        && let Ok(parsed) = uuid::Uuid::parse_str(latest)
    {
        let next = parsed.as_u128().wrapping_add(1);
        // A carry out of the random bits would change the version or variant: keep the
        // random id then (2^-62 odds).
        if next & RAND_B != 0 {
            return uuid::Uuid::from_u128(next).hyphenated().to_string();
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{self, Id};
    use crate::mark::{Flag, MarkChange, Marks};
    use crate::schedule::{Fsrs, Rating, Scheduler};
    use crate::store::{NewReview, migrate};

    const DECK: &str = "id: d\nname: D\ncards:\n  - {id: a, prompt: pa, answer: x}\n  - {id: b, prompt: pb, answer: y}\n";

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn studied(deck_text: &str) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store
            .sync_deck(
                &deck::load_str(deck_text).unwrap(),
                t("2026-01-01T09:00:00Z"),
            )
            .unwrap();
        store
    }

    /// Answers card `key` of deck `d` at `at`.
    fn answer(store: &mut Store, key: &str, rating: Rating, at: Timestamp) {
        let card = store
            .cards(&Id::parse("d").unwrap())
            .unwrap()
            .into_iter()
            .find(|c| c.key == key)
            .unwrap();
        let fsrs = Fsrs::default();
        let state = fsrs.review(&card.state, rating, at);
        store
            .record(&NewReview {
                handle: card.handle,
                reviewed_at: at,
                rating,
                answer: "typed",
                verdict: "correct",
                response_ms: 900,
                scheduler: fsrs.name(),
                state: &state,
                previous: &card.state,
                cram: false,
                leech: false,
            })
            .unwrap();
    }

    fn handle(store: &Store, key: &str) -> i64 {
        store
            .cards(&Id::parse("d").unwrap())
            .unwrap()
            .into_iter()
            .find(|c| c.key == key)
            .unwrap()
            .handle
    }

    /// Undoes this database's latest review, as `:u` does.
    fn undo_last(store: &mut Store) {
        let last: Option<(i64, i64)> = store
            .conn
            .query_row(
                "SELECT card_id, reviewed_at FROM review ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .unwrap();
        if let Some((card, at)) = last {
            store
                .undo(card, timestamp(at), &Fsrs::default())
                .unwrap()
                .unwrap();
        }
    }

    /// Changes card `key`'s marks: 0 suspend, 1 unsuspend, 2 bury, 3 unbury, 4 flag red with
    /// a note, 5 unflag, 6 flag purple, 7 a failed answer that makes the card a leech.
    fn mark_card(store: &mut Store, key: &str, change: u8, at: Timestamp) {
        let h = handle(store, key);
        let tomorrow = at + jiff::SignedDuration::from_hours(20);
        match change {
            0 => store.suspend(h, at).unwrap(),
            1 => store.unsuspend(h, at).unwrap(),
            2 => store.bury(h, tomorrow, at).unwrap(),
            3 => store.unbury(h, at).unwrap(),
            4 => store
                .set_flag(h, Some(Flag::Red), Some("why?"), at)
                .unwrap(),
            5 => store.set_flag(h, None, None, at).unwrap(),
            6 => store.set_flag(h, Some(Flag::Purple), None, at).unwrap(),
            _ => answer_leech(store, key, at),
        }
    }

    /// A failed answer of card `key` that the session found makes it a leech.
    fn answer_leech(store: &mut Store, key: &str, at: Timestamp) {
        let card = store
            .cards(&Id::parse("d").unwrap())
            .unwrap()
            .into_iter()
            .find(|c| c.key == key)
            .unwrap();
        let fsrs = Fsrs::default();
        let state = fsrs.review(&card.state, Rating::Again, at);
        store
            .record(&NewReview {
                handle: card.handle,
                reviewed_at: at,
                rating: Rating::Again,
                answer: "typed",
                verdict: "wrong",
                response_ms: 900,
                scheduler: fsrs.name(),
                state: &state,
                previous: &card.state,
                cram: false,
                leech: true,
            })
            .unwrap();
    }

    fn uids(store: &Store) -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare("SELECT uid FROM review ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn file(name: &str) -> FileRecord {
        FileRecord {
            name: name.to_owned(),
            device: "other".to_owned(),
            device_name: String::new(),
            read_bytes: 10,
            tail: b"x".to_vec(),
            events: 0,
            last_event: None,
        }
    }

    fn fresh_uid(store: &Store, at: Timestamp) -> String {
        review_uid(&store.conn, at).unwrap()
    }

    #[test]
    fn reviews_get_time_ordered_v7_ids_and_this_device() {
        let mut store = studied(DECK);
        let at = t("2026-01-02T09:00:00Z");
        // A pinned clock: three answers in one millisecond keep their order in the ids.
        answer(&mut store, "a", Rating::Again, at);
        answer(&mut store, "a", Rating::Good, at);
        answer(&mut store, "b", Rating::Good, at);
        answer(&mut store, "b", Rating::Good, t("2026-01-03T09:00:00Z"));
        let ids = uids(&store);
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(
            ids, sorted,
            "ids grow with time and, within a millisecond, in order"
        );
        for id in &ids {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 7);
            let (secs, _) = parsed.get_timestamp().unwrap().to_unix();
            assert!(secs >= 1_767_344_400, "{id} carries the review's time");
        }
        let device = store.device().unwrap().id;
        assert_eq!(device.len(), 16);
        let devices: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM review WHERE device = ?1",
                [&device],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(devices, 4);
    }

    #[test]
    fn a_writer_that_gives_no_id_still_gets_one_and_the_log_stays_append_only() {
        let mut store = studied(DECK);
        answer(&mut store, "a", Rating::Good, t("2026-01-02T09:00:00Z"));
        let card: i64 = store
            .conn
            .query_row("SELECT card_id FROM review", [], |r| r.get(0))
            .unwrap();
        store
            .conn
            .execute(
                "INSERT INTO review (card_id, reviewed_at, rating, answer, verdict, response_ms, scheduler)
                 VALUES (?1, 1767344400000, 3, 'x', 'correct', 0, 'fsrs-6')",
                [card],
            )
            .unwrap();
        let ids = uids(&store);
        assert!(uuid::Uuid::parse_str(&ids[1]).is_ok(), "{ids:?}");
        assert_ne!(ids[0], ids[1]);
        for sql in [
            "UPDATE review SET rating = 1",
            "UPDATE review SET uid = 'x'",
            "UPDATE review SET device = 'someone-else'",
        ] {
            let err = store.conn.execute(sql, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
    }

    #[test]
    fn the_migration_gives_old_reviews_ids_in_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate::apply_list(&mut conn, &path, 0, &migrate::MIGRATIONS[..1]).unwrap();
        conn.execute_batch(
            "INSERT INTO deck VALUES (1, 'd', 'D', '', '', 0, 0);
             INSERT INTO card VALUES (1, 1, 'a', 'recall', 'p', 'x', 0, 0, NULL);
             INSERT INTO review VALUES (1, 1, 1767344400000, 1, '', 'wrong', 0, 'fsrs-6');
             INSERT INTO review VALUES (2, 1, 1767344400000, 3, '', 'correct', 0, 'fsrs-6');
             INSERT INTO review VALUES (3, 1, 1767300000000, 3, '', 'correct', 0, 'fsrs-6');",
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        let ids = uids(&store);
        assert!(ids[0] < ids[1], "same millisecond: row order kept: {ids:?}");
        assert!(ids[2] < ids[0], "earlier review, smaller id: {ids:?}");
        for id in &ids {
            let parsed = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 7, "{id}");
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122, "{id}");
        }
        assert_eq!(
            ids[0][..13],
            fresh_uid(&store, t("2026-01-02T09:00:00Z"))[..13]
        );
        let pending = store.pending_counts().unwrap();
        assert_eq!(
            (pending.reviews, pending.deletes),
            (3, 0),
            "old reviews are sent on the first sync"
        );
    }

    #[test]
    fn applying_another_devices_events_twice_adds_them_once() {
        let mut a = studied(DECK);
        answer(&mut a, "a", Rating::Good, t("2026-01-02T09:00:00Z"));
        answer(&mut a, "b", Rating::Again, t("2026-01-02T09:01:00Z"));
        let mut b = studied(DECK);
        answer(&mut b, "a", Rating::Hard, t("2026-01-02T10:00:00Z"));
        let events = a.pending_events().unwrap().events;
        assert_eq!(events.len(), 2);
        let now = t("2026-01-03T09:00:00Z");
        let first = b.apply_events(&events, &file("a.jsonl"), now).unwrap();
        assert_eq!((first.reviews, first.deletes), (2, 0));
        assert_eq!(first.decks.iter().collect::<Vec<_>>(), ["d"]);
        let again = b.apply_events(&events, &file("a.jsonl"), now).unwrap();
        assert_eq!(again, Applied::default());
        assert_eq!(b.review_count().unwrap(), 3);
        // What b read is not pending; only its own review is.
        let pending = b.pending_events().unwrap().events;
        assert_eq!(pending.len(), 1);
        assert_eq!(b.sync_files().unwrap(), vec![file("a.jsonl")]);
        // And the other way: both logs are the same set.
        a.apply_events(&pending, &file("b.jsonl"), now).unwrap();
        assert_eq!(a.synced_log().unwrap(), b.synced_log().unwrap());
    }

    #[test]
    fn a_deletion_travels_and_the_review_never_comes_back() {
        let mut a = studied(DECK);
        answer(&mut a, "a", Rating::Good, t("2026-01-02T09:00:00Z"));
        answer(&mut a, "a", Rating::Again, t("2026-01-02T09:05:00Z"));
        let mut b = studied(DECK);
        let now = t("2026-01-03T09:00:00Z");
        let reviews = a.pending_events().unwrap().events;
        b.apply_events(&reviews, &file("a.jsonl"), now).unwrap();
        a.mark_written(&reviews, &file("a-own.jsonl")).unwrap();

        // Undo on a: the last review row is deleted; a tombstone remains.
        let last = uids(&a).pop().unwrap();
        a.conn
            .execute("DELETE FROM review WHERE uid = ?1", [&last])
            .unwrap();
        let pending = a.pending_events().unwrap().events;
        assert!(
            matches!(&pending[..], [SyncEvent::Delete(d)] if d.uid == last && d.device == a.device().unwrap().id),
            "{pending:?}"
        );
        let applied = b.apply_events(&pending, &file("a.jsonl"), now).unwrap();
        assert_eq!((applied.reviews, applied.deletes), (0, 1));
        assert_eq!(b.review_count().unwrap(), 1);
        // The review arriving again (an old copy of a's file) is not inserted.
        let again = b.apply_events(&reviews, &file("a.jsonl"), now).unwrap();
        assert_eq!(again.reviews, 0);
        assert_eq!(a.synced_log().unwrap(), b.synced_log().unwrap());
        // A deletion of a review b never had is kept, so the review never arrives.
        let mut c = studied(DECK);
        c.apply_events(&pending, &file("a.jsonl"), now).unwrap();
        c.apply_events(&reviews, &file("a.jsonl"), now).unwrap();
        assert_eq!(c.review_count().unwrap(), 1);
    }

    #[test]
    fn unknown_decks_and_cards_wait_for_their_file_without_counting_as_active() {
        let mut a = studied(DECK);
        answer(&mut a, "a", Rating::Good, t("2026-01-02T09:00:00Z"));
        let events = a.pending_events().unwrap().events;
        let mut b = Store::open_in_memory().unwrap();
        let now = t("2026-01-03T09:00:00Z");
        b.apply_events(&events, &file("a.jsonl"), now).unwrap();
        let known = b.known_decks().unwrap();
        assert_eq!(known.len(), 1);
        assert_eq!((known[0].key.as_str(), known[0].name.as_str()), ("d", "D"));
        assert!(known[0].path.as_os_str().is_empty(), "no file yet");
        assert_eq!(
            b.phase_counts().unwrap(),
            crate::store::PhaseCounts::default()
        );
        assert!(b.due_by_deck(now, now).unwrap().is_empty());
        assert_eq!(b.next_due().unwrap(), None);

        // Studying the deck file brings the card back with its history.
        let report = b.sync_deck(&deck::load_str(DECK).unwrap(), now).unwrap();
        assert_eq!((report.added, report.returned), (1, 1));
        let id = Id::parse("d").unwrap();
        b.ensure_states(&id, &Fsrs::default(), "fsrs").unwrap();
        a.ensure_states(&id, &Fsrs::default(), "fsrs-rebuilt")
            .unwrap();
        let states = |s: &Store| {
            s.cards(&id)
                .unwrap()
                .into_iter()
                .map(|c| (c.key, c.state))
                .collect::<Vec<_>>()
        };
        assert_eq!(states(&a), states(&b));
        assert_eq!(b.phase_counts().unwrap().new, 1);
    }

    #[test]
    fn a_new_folder_forgets_the_old_ones_records() {
        let mut a = studied(DECK);
        answer(&mut a, "a", Rating::Good, t("2026-01-02T09:00:00Z"));
        assert!(a.use_sync_dir("/one").unwrap());
        let events = a.pending_events().unwrap().events;
        a.mark_written(&events, &file("mine.jsonl")).unwrap();
        assert_eq!(a.pending_counts().unwrap().total(), 0);
        assert!(!a.use_sync_dir("/one").unwrap());
        assert_eq!(a.pending_counts().unwrap().total(), 0);
        assert!(a.use_sync_dir("/two").unwrap());
        assert_eq!(a.pending_counts().unwrap().reviews, 1);
        assert!(a.sync_files().unwrap().is_empty());
    }

    fn marks_of(store: &Store, key: &str) -> Marks {
        store.marks(handle(store, key)).unwrap()
    }

    #[test]
    fn marks_travel_and_a_change_made_after_seeing_another_wins_even_in_one_millisecond() {
        let mut a = studied(DECK);
        let mut b = studied(DECK);
        // One pinned clock for both: only the order of the ids can decide.
        let at = t("2026-01-02T09:00:00Z");
        let now = t("2026-01-03T09:00:00Z");
        let ha = handle(&a, "a");
        a.suspend(ha, at).unwrap();
        a.set_flag(ha, Some(Flag::Red), Some("ask"), at).unwrap();
        let sent = a.pending_events().unwrap().events;
        assert_eq!(a.pending_counts().unwrap().marks, 2);
        assert!(sent.iter().all(|e| e.kind() == "mark"), "{sent:?}");
        let applied = b.apply_events(&sent, &file("a.jsonl"), now).unwrap();
        assert_eq!((applied.marks, applied.reviews), (2, 0));
        assert!(applied.decks.is_empty(), "no review log changed");
        assert_eq!(marks_of(&b, "a"), marks_of(&a, "a"));
        assert_eq!(marks_of(&b, "a").suspended, Some(at));
        let again = b.apply_events(&sent, &file("a.jsonl"), now).unwrap();
        assert_eq!(again, Applied::default(), "known events add nothing");
        assert_eq!(
            b.pending_counts().unwrap().total(),
            0,
            "read, so not pending"
        );

        b.unsuspend(handle(&b, "a"), at).unwrap();
        let back = b.pending_events().unwrap().events;
        assert_eq!(back.len(), 1);
        assert!(back[0].uid() > sent[1].uid(), "made after what b knew");
        a.mark_written(&sent, &file("a-own.jsonl")).unwrap();
        a.apply_events(&back, &file("b.jsonl"), now).unwrap();
        assert_eq!(marks_of(&a, "a"), marks_of(&b, "a"));
        let m = marks_of(&a, "a");
        assert_eq!((m.suspended, m.flag), (None, Some(Flag::Red)));
        assert_eq!(a.synced_marks().unwrap(), b.synced_marks().unwrap());
    }

    #[test]
    fn a_leech_travels_and_undoing_its_review_lifts_it_everywhere() {
        let mut a = studied(DECK);
        let mut b = studied(DECK);
        let at = t("2026-01-02T09:00:00Z");
        let now = t("2026-01-03T09:00:00Z");
        answer_leech(&mut a, "a", at);
        let sent = a.pending_events().unwrap().events;
        assert_eq!(
            sent.iter().map(SyncEvent::kind).collect::<Vec<_>>(),
            ["review", "mark"]
        );
        let SyncEvent::Mark(leech) = &sent[1] else {
            unreachable!()
        };
        assert_eq!(
            leech.event.change,
            MarkChange::Leech {
                review: sent[0].uid().to_owned()
            },
            "the leech names its review by uid"
        );
        b.apply_events(&sent, &file("a.jsonl"), now).unwrap();
        let m = marks_of(&b, "a");
        assert!(m.leech);
        assert_eq!(m.suspended, Some(at));
        assert_eq!(m, marks_of(&a, "a"));

        a.mark_written(&sent, &file("a-own.jsonl")).unwrap();
        undo_last(&mut a);
        assert_eq!(marks_of(&a, "a"), Marks::default());
        let undone = a.pending_events().unwrap().events;
        assert_eq!(
            undone.iter().map(SyncEvent::kind).collect::<Vec<_>>(),
            ["delete"],
            "the tombstone is the event"
        );
        b.apply_events(&undone, &file("a.jsonl"), now).unwrap();
        assert_eq!(marks_of(&b, "a"), Marks::default());
    }

    #[test]
    fn a_leech_that_arrives_before_its_review_counts_once_the_review_is_there() {
        let mut a = studied(DECK);
        answer_leech(&mut a, "a", t("2026-01-02T09:00:00Z"));
        let sent = a.pending_events().unwrap().events;
        let mut b = studied(DECK);
        let now = t("2026-01-03T09:00:00Z");
        b.apply_events(&sent[1..], &file("relay.jsonl"), now)
            .unwrap();
        assert!(!marks_of(&b, "a").leech, "its review is not here yet");
        b.apply_events(&sent[..1], &file("a.jsonl"), now).unwrap();
        assert_eq!(marks_of(&b, "a"), marks_of(&a, "a"));
        assert!(marks_of(&b, "a").leech);
    }

    #[test]
    fn a_mark_of_a_card_this_database_does_not_know_waits_on_a_placeholder() {
        let mut a = studied(DECK);
        a.suspend(handle(&a, "b"), t("2026-01-02T09:00:00Z"))
            .unwrap();
        let sent = a.pending_events().unwrap().events;
        let mut b = Store::open_in_memory().unwrap();
        let now = t("2026-01-03T09:00:00Z");
        b.apply_events(&sent, &file("a.jsonl"), now).unwrap();
        assert_eq!(b.phase_counts().unwrap().new, 0, "not an active card");
        b.sync_deck(&deck::load_str(DECK).unwrap(), now).unwrap();
        assert_eq!(marks_of(&b, "b"), marks_of(&a, "b"));
        assert_eq!(b.synced_marks().unwrap(), a.synced_marks().unwrap());
    }

    #[test]
    fn marks_set_before_the_upgrade_become_events_with_the_same_effect() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate::apply_list(&mut conn, &path, 0, &migrate::MIGRATIONS[..3]).unwrap();
        conn.execute_batch(
            "INSERT INTO deck VALUES (1, 'd', 'D', '', '', 0, 0);
             INSERT INTO card VALUES (1, 1, 'a', 'recall', 'p', 'x', 0, 0, NULL);
             INSERT INTO card VALUES (2, 1, 'b', 'recall', 'p', 'y', 1, 0, NULL);
             INSERT INTO card VALUES (3, 1, 'c', 'recall', 'p', 'z', 2, 0, NULL);
             INSERT INTO review (id, card_id, reviewed_at, rating, answer, verdict, response_ms,
                                 scheduler)
                 VALUES (1, 1, 1767344400000, 1, '', 'wrong', 0, 'fsrs-6'),
                        (2, 2, 1767344500000, 1, '', 'wrong', 0, 'fsrs-6');
             -- a: a leech that suspended it; b: suspended by hand, then a leech, flagged;
             -- c: buried.
             INSERT INTO card_mark VALUES (1, 1767344400000, 1, NULL, NULL, NULL, 1);
             INSERT INTO card_mark VALUES (2, 1767300000000, NULL, NULL, 'blue', 'hm', 2);
             INSERT INTO card_mark VALUES (3, NULL, NULL, 1767400000000, NULL, NULL, NULL);",
        )
        .unwrap();
        let before: Vec<Marks> = {
            let mut stmt = conn
                .prepare(
                    "SELECT suspended_at, buried_until, flag, note, leech_review IS NOT NULL
                     FROM card_mark ORDER BY card_id",
                )
                .unwrap();
            stmt.query_map([], super::super::marks::marks_from_row)
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        drop(conn);
        let mut store = Store::open(&path).unwrap();
        let after: Vec<Marks> = (1..=3).map(|h| store.marks(h).unwrap()).collect();
        assert_eq!(after, before);
        assert_eq!(store.pending_counts().unwrap().marks, 5);
        let review_uid: String = store
            .conn
            .query_row("SELECT uid FROM review WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        let events = store.mark_events(1).unwrap();
        assert_eq!(
            events.iter().map(|e| &e.change).collect::<Vec<_>>(),
            [&MarkChange::Leech { review: review_uid }]
        );
        for e in store.synced_marks().unwrap() {
            let uid = uuid::Uuid::parse_str(&e.event.uid).unwrap();
            assert_eq!(uid.get_version_num(), 7, "{}", e.event.uid);
            assert_eq!(uid.get_variant(), uuid::Variant::RFC4122, "{}", e.event.uid);
        }
        // And the cache still follows its events: undoing the leech lifts it.
        store
            .undo(1, timestamp(1_767_344_400_000), &Fsrs::default())
            .unwrap();
        assert_eq!(store.marks(1).unwrap(), Marks::default());
    }

    /// A device in the simulation: its database, its file (the events it appended), and
    /// how far it has read each other device's file.
    struct Sim {
        store: Store,
        file: Vec<SyncEvent>,
        read: Vec<usize>,
    }

    /// One sync of device `d`: read what is new in every other file, then append what no
    /// file holds, as `crate::sync::run` does with real files.
    fn sim_sync(devices: &mut [Sim], d: usize, now: Timestamp) {
        for e in 0..devices.len() {
            if e == d {
                continue;
            }
            let from = devices[d].read[e];
            let new = devices[e].file[from..].to_vec();
            let record = FileRecord {
                read_bytes: devices[e].file.len() as u64,
                ..file(&format!("{e}.jsonl"))
            };
            devices[d].store.apply_events(&new, &record, now).unwrap();
            devices[d].read[e] = devices[e].file.len();
        }
        let pending = devices[d].store.pending_events().unwrap().events;
        devices[d].file.extend(pending.iter().cloned());
        devices[d]
            .store
            .mark_written(&pending, &file(&format!("{d}.jsonl")))
            .unwrap();
    }

    #[derive(Debug, Clone)]
    enum Op {
        Answer {
            device: usize,
            card: bool,
            rating: u8,
        },
        Undo {
            device: usize,
        },
        /// A mark change (0 suspend ... 6 flag purple) or, with 7, a lapse that makes a leech.
        Mark {
            device: usize,
            card: bool,
            change: u8,
        },
        Sync {
            device: usize,
        },
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            4 => (0..3usize, any::<bool>(), 1..=4u8)
                .prop_map(|(device, card, rating)| Op::Answer { device, card, rating }),
            1 => (0..3usize).prop_map(|device| Op::Undo { device }),
            3 => (0..3usize, any::<bool>(), 0..8u8)
                .prop_map(|(device, card, change)| Op::Mark { device, card, change }),
            3 => (0..3usize).prop_map(|device| Op::Sync { device }),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Three devices answering, undoing, marking and syncing in any order end, after
        /// everyone has synced twice, with one log, one mark log and one set of card states
        /// and marks.
        #[test]
        fn any_interleaving_converges(ops in proptest::collection::vec(op(), 0..40)) {
            let mut devices: Vec<Sim> = (0..3)
                .map(|_| Sim { store: studied(DECK), file: Vec::new(), read: vec![0; 3] })
                .collect();
            let start = t("2026-01-02T09:00:00Z");
            let now = t("2026-03-01T09:00:00Z");
            for (i, op) in ops.iter().enumerate() {
                // Every few steps share a millisecond, as a pinned clock would.
                let at = start + jiff::SignedDuration::from_mins(i64::try_from(i / 3).unwrap());
                match *op {
                    Op::Answer { device, card, rating } => answer(
                        &mut devices[device].store,
                        if card { "a" } else { "b" },
                        Rating::from_number(i64::from(rating)).unwrap(),
                        at,
                    ),
                    Op::Undo { device } => undo_last(&mut devices[device].store),
                    Op::Mark { device, card, change } => {
                        mark_card(&mut devices[device].store, if card { "a" } else { "b" }, change, at);
                    }
                    Op::Sync { device } => sim_sync(&mut devices, device, now),
                }
            }
            for _ in 0..2 {
                for d in 0..3 {
                    sim_sync(&mut devices, d, now);
                }
            }
            let id = Id::parse("d").unwrap();
            let logs: Vec<_> = devices.iter().map(|d| d.store.synced_log().unwrap()).collect();
            proptest::prop_assert_eq!(&logs[0], &logs[1]);
            proptest::prop_assert_eq!(&logs[0], &logs[2]);
            let marks: Vec<_> = devices.iter().map(|d| d.store.synced_marks().unwrap()).collect();
            proptest::prop_assert_eq!(&marks[0], &marks[1]);
            proptest::prop_assert_eq!(&marks[0], &marks[2]);
            let states: Vec<_> = devices
                .iter_mut()
                .map(|d| {
                    d.store.ensure_states(&id, &Fsrs::default(), "replayed").unwrap();
                    d.store
                        .cards(&id)
                        .unwrap()
                        .into_iter()
                        .map(|c| (c.state, c.marks))
                        .collect::<Vec<_>>()
                })
                .collect();
            proptest::prop_assert_eq!(&states[0], &states[1]);
            proptest::prop_assert_eq!(&states[0], &states[2]);
            // And nothing is pending anywhere: a further sync writes nothing.
            for d in &devices {
                proptest::prop_assert_eq!(d.store.pending_counts().unwrap().total(), 0);
            }
        }
    }
}
