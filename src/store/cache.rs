//! The parsed-deck cache: a validated deck stored under the hash of its file's bytes, so a
//! start-up that finds the file unchanged reads this instead of parsing YAML again. Derived
//! data: a missing, stale or unreadable entry only means the file is parsed again.
//!
//! One entry is the deck without its cards (`deck_cache.body`, JSON), its cards one per row
//! (`deck_cache_card`, JSON, by position), and what the queue rules read of every card
//! (`deck_cache.heads`, `CardHeads`), so a study session decodes the few hundred cards it
//! shows, not the whole collection (docs/BENCHMARKS.md, "Start-up"). `deck_file` keeps
//! each deck file's last stamp, so an unchanged file is not even read (`FileStamp`).

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::deck::{Card, Deck, Id, Kind, Origin};
use crate::schedule::SchedulerConfig;

/// Tells apart entries written by another build, whose `Deck` may have other fields or
/// another layout (format 2 kept the whole deck in `body`; 3 splits it into rows).
const FORMAT: &str = concat!("rows/", env!("CARGO_PKG_VERSION"), "/3");

/// A cached deck without its cards' texts: the deck itself (`cards` empty) and what the
/// queue rules read of each card, by position.
#[derive(Debug)]
pub struct CachedDeck {
    pub deck: Deck,
    pub heads: CardHeads,
}

impl Store {
    /// The deck cached under this content hash, every card decoded, if there is one this
    /// build can read.
    pub fn cached_deck(&self, content_hash: &str) -> Result<Option<Deck>, StoreError> {
        let Some(mut deck) = self.cached_body(content_hash)? else {
            return Ok(None);
        };
        match self.cached_cards_all(content_hash)? {
            Some(cards) => {
                deck.cards = cards;
                Ok(Some(deck))
            }
            None => Ok(None),
        }
    }

    /// The deck cached under this content hash with its cards' heads only, if there is one
    /// this build can read: what a session needs before it knows which cards it shows.
    pub fn cached_outline(&self, content_hash: &str) -> Result<Option<CachedDeck>, StoreError> {
        let row: Option<(String, Option<Vec<u8>>)> = self
            .conn
            .query_row(
                "SELECT body, heads FROM deck_cache WHERE content_hash = ?1 AND format = ?2",
                params![content_hash, FORMAT],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.fail())?;
        let Some((body, Some(heads))) = row else {
            return Ok(None);
        };
        let (Ok(deck), Some(heads)) = (
            serde_json::from_str::<Deck>(&body),
            CardHeads::from_bytes(heads),
        ) else {
            return Ok(None);
        };
        Ok(Some(CachedDeck { deck, heads }))
    }

    /// The cards at these positions of the deck cached under this content hash, in the
    /// order asked; `None` for a position the entry does not have or cannot decode.
    pub fn cached_cards(
        &self,
        content_hash: &str,
        positions: &[usize],
    ) -> Result<Vec<Option<Card>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT body FROM deck_cache_card WHERE content_hash = ?1 AND position = ?2",
            )
            .map_err(self.fail())?;
        let mut cards = Vec::with_capacity(positions.len());
        for &position in positions {
            let body: Option<String> = stmt
                .query_row(params![content_hash, position as i64], |r| r.get(0))
                .optional()
                .map_err(self.fail())?;
            cards.push(body.and_then(|json| serde_json::from_str(&json).ok()));
        }
        Ok(cards)
    }

    /// Every card of the deck cached under this content hash, in file order; `None` if a
    /// card is missing or cannot be decoded (then the whole entry is unusable).
    pub fn cached_cards_all(&self, content_hash: &str) -> Result<Option<Vec<Card>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT position, body FROM deck_cache_card WHERE content_hash = ?1
                 ORDER BY position",
            )
            .map_err(self.fail())?;
        let mut rows = stmt.query([content_hash]).map_err(self.fail())?;
        let mut cards = Vec::new();
        while let Some(row) = rows.next().map_err(self.fail())? {
            let position: i64 = row.get(0).map_err(self.fail())?;
            let body: String = row.get(1).map_err(self.fail())?;
            let Ok(card) = serde_json::from_str::<Card>(&body) else {
                return Ok(None);
            };
            if usize::try_from(position).ok() != Some(cards.len()) {
                return Ok(None);
            }
            cards.push(card);
        }
        Ok(Some(cards))
    }

    /// The deck (without cards) cached under this content hash, if this build can read it.
    fn cached_body(&self, content_hash: &str) -> Result<Option<Deck>, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM deck_cache WHERE content_hash = ?1 AND format = ?2",
                params![content_hash, FORMAT],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.fail())?;
        Ok(body.and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// The id and scheduler settings of the deck cached under this content hash, and whether
    /// the file gives its own FSRS parameters: what the statistics need of a deck file,
    /// without decoding its cards.
    pub fn cached_scheduling(
        &self,
        content_hash: &str,
    ) -> Result<Option<(String, SchedulerConfig, bool)>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT deck_key, scheduling FROM deck_cache WHERE content_hash = ?1 AND format = ?2",
                params![content_hash, FORMAT],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.fail())?;
        Ok(row.and_then(|(key, json)| {
            let (config, fixed) = serde_json::from_str(&json).ok()?;
            Some((key, config, fixed))
        }))
    }

    /// Caches a validated deck under its content hash, replacing the deck's older entries.
    pub fn cache_deck(&self, deck: &Deck) -> Result<(), StoreError> {
        // A Deck is plain data; serialising it cannot fail.
        let body = serde_json::to_string(&outline(deck)).unwrap_or_default();
        let scheduling =
            serde_json::to_string(&(&deck.scheduling, deck.fixed_parameters)).unwrap_or_default();
        let heads = CardHeads::encode(&deck.cards);
        let path = self.path.clone();
        let fail = |e| super::classify(&path, e);
        // The same IMMEDIATE-style short transaction as every write; `&self` so a read-only
        // caller (loading the known decks) can fill the cache as it goes.
        let tx = self.conn.unchecked_transaction().map_err(fail)?;
        tx.execute(
            "DELETE FROM deck_cache_card WHERE content_hash IN
                (SELECT content_hash FROM deck_cache WHERE deck_key = ?1 OR content_hash = ?2)
                OR content_hash = ?2",
            params![deck.id.as_str(), deck.content_hash],
        )
        .map_err(fail)?;
        tx.execute(
            "DELETE FROM deck_cache WHERE deck_key = ?1 OR content_hash = ?2",
            params![deck.id.as_str(), deck.content_hash],
        )
        .map_err(fail)?;
        tx.execute(
            "INSERT INTO deck_cache (content_hash, deck_key, format, scheduling, body, heads)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                deck.content_hash,
                deck.id.as_str(),
                FORMAT,
                scheduling,
                body,
                heads.bytes
            ],
        )
        .map_err(fail)?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO deck_cache_card (content_hash, position, body) VALUES (?1, ?2, ?3)",
                )
                .map_err(fail)?;
            for (position, card) in deck.cards.iter().enumerate() {
                let body = serde_json::to_string(card).unwrap_or_default();
                insert
                    .execute(params![deck.content_hash, position as i64, body])
                    .map_err(fail)?;
            }
        }
        tx.commit().map_err(fail)
    }

    /// The content hash of the deck file at `path` when it was last read, if the file still
    /// has the stamp it had then (see `FileStamp` for why that is enough).
    pub fn deck_file_hash(
        &self,
        path: &std::path::Path,
        stamp: &FileStamp,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(i64, i64, i64, i64, i64, String)> = self
            .conn
            .query_row(
                "SELECT size, modified_ns, changed_ns, inode, device, content_hash
                 FROM deck_file WHERE path = ?1",
                [path.to_string_lossy()],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()
            .map_err(self.fail())?;
        Ok(
            row.and_then(|(size, modified_ns, changed_ns, inode, device, hash)| {
                let seen = FileStamp {
                    size,
                    modified_ns,
                    changed_ns,
                    inode,
                    device,
                };
                (seen == *stamp).then_some(hash)
            }),
        )
    }

    /// Remembers that the deck file at `path`, with this stamp, has this content hash; or,
    /// with `None`, forgets what was known of it (its stamp cannot be trusted).
    pub fn note_deck_file(
        &self,
        path: &std::path::Path,
        stamp: Option<(&FileStamp, &str)>,
    ) -> Result<(), StoreError> {
        let path = path.to_string_lossy();
        match stamp {
            Some((s, hash)) => self
                .conn
                .execute(
                    "INSERT INTO deck_file
                        (path, size, modified_ns, changed_ns, inode, device, content_hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (path) DO UPDATE SET size = excluded.size,
                        modified_ns = excluded.modified_ns, changed_ns = excluded.changed_ns,
                        inode = excluded.inode, device = excluded.device,
                        content_hash = excluded.content_hash",
                    params![
                        path,
                        s.size,
                        s.modified_ns,
                        s.changed_ns,
                        s.inode,
                        s.device,
                        hash
                    ],
                )
                .map(|_| ())
                .map_err(self.fail()),
            None => self
                .conn
                .execute("DELETE FROM deck_file WHERE path = ?1", [path])
                .map(|_| ())
                .map_err(self.fail()),
        }
    }

    /// The content hash the database last synchronised for this deck key.
    pub fn synced_hash(&self, deck: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT content_hash FROM deck WHERE key = ?1",
                [deck],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.fail())
    }
}

/// What identifies a version of a file without reading it: size, modification and change
/// times (nanoseconds), inode and device. A file is read and hashed again unless its stamp
/// equals the one noted when it was last hashed, and a stamp is only noted when it can be
/// trusted (`FileStamp::trusted`):
///
/// - Any write, rename or `touch` sets the change time (ctime) to the current time, and no
///   tool can set it back (`touch -d`, `cp -p` and `rsync -t` restore the modification
///   time only), so an edit changes the stamp unless it lands in the same clock tick as
///   the noted ctime.
/// - That tick is ruled out by noting a stamp only when both times are more than
///   `SETTLED` older than the moment before the file was read: a later edit then gets a
///   later time. An edit within the same second, same size, right after the file was
///   written, is caught because such a fresh stamp is never noted: the file is hashed
///   every time until its times are older than that.
/// - File systems with whole-second times (FAT, some network mounts) could give an edit the
///   very time noted; a stamp whose times both have no sub-second part is never noted, so
///   such files are always hashed.
/// - Editors that save by writing a new file and renaming it change the inode.
///
/// Not covered: a clock stepped back by more than `SETTLED`, or a network file system whose
/// server clock runs behind by more than that while also keeping nanosecond times.
/// On platforms other than Unix there is no ctime or inode, and files are always hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub size: i64,
    pub modified_ns: i64,
    pub changed_ns: i64,
    pub inode: i64,
    pub device: i64,
}

impl FileStamp {
    /// How long a file's times must be in the past before its stamp is trusted.
    pub const SETTLED_NS: i64 = 2_000_000_000;

    /// The stamp of a file's metadata (`None` where the platform gives no ctime or inode).
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        let ns = |secs: i64, nanos: i64| secs.checked_mul(1_000_000_000)?.checked_add(nanos);
        Some(Self {
            size: i64::try_from(meta.size()).ok()?,
            modified_ns: ns(meta.mtime(), meta.mtime_nsec())?,
            changed_ns: ns(meta.ctime(), meta.ctime_nsec())?,
            // Stored as SQLite integers: the bits are kept, only compared for equality.
            inode: meta.ino().cast_signed(),
            device: meta.dev().cast_signed(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<Self> {
        None
    }

    /// Whether this stamp, taken of a file read after `before_read_ns` (nanoseconds since
    /// the Unix epoch, the file system's clock), can stand for the file's content: both
    /// times settled, and at least one with a sub-second part (see the type's documentation).
    pub fn trusted(&self, before_read_ns: i64) -> bool {
        let settled = |t: i64| t.saturating_add(Self::SETTLED_NS) < before_read_ns;
        let fine = self.modified_ns % 1_000_000_000 != 0 || self.changed_ns % 1_000_000_000 != 0;
        settled(self.modified_ns) && settled(self.changed_ns) && fine
    }
}

/// What the queue rules of a session read of each card of a deck (id, kind, tags, and the
/// `generated` key its siblings share), encoded so one card's can be read by position
/// without decoding the others: a little-endian `u32` count, one `u32` offset per card, then
/// each card's record: id, kind (one byte, `Kind::ALL` order), tag count (`u32`) and tags,
/// generated key (empty: none). Strings are a `u32` length and UTF-8 bytes.
#[derive(Debug, Clone)]
pub struct CardHeads {
    bytes: Vec<u8>,
    count: usize,
}

impl CardHeads {
    fn encode(cards: &[Card]) -> Self {
        let mut records = Vec::new();
        let mut offsets = Vec::with_capacity(cards.len());
        let put = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&len32(s.len()).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        for card in cards {
            offsets.push(len32(records.len()));
            put(&mut records, card.id.as_str());
            let kind = Kind::ALL.iter().position(|k| *k == card.kind).unwrap_or(0);
            records.push(u8::try_from(kind).unwrap_or(0));
            records.extend_from_slice(&len32(card.tags.len()).to_le_bytes());
            for tag in &card.tags {
                put(&mut records, tag);
            }
            put(
                &mut records,
                card.generated.as_ref().map_or("", |o| o.key.as_str()),
            );
        }
        let mut bytes = Vec::with_capacity(4 + 4 * cards.len() + records.len());
        bytes.extend_from_slice(&len32(cards.len()).to_le_bytes());
        for offset in offsets {
            bytes.extend_from_slice(&offset.to_le_bytes());
        }
        bytes.extend_from_slice(&records);
        Self {
            bytes,
            count: cards.len(),
        }
    }

    /// Checks the header (count and offset table); each record is checked when read.
    fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        let count = usize::try_from(read_u32(&bytes, 0)?).ok()?;
        let records = count.checked_mul(4)?.checked_add(4)?;
        (records <= bytes.len()).then_some(Self { bytes, count })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// A stand-in for the card at `position`: its id, kind, tags and `generated` key as in
    /// the deck file, every text empty. Enough for the queue rules (`session::Filter`,
    /// `Card::sibling`, the question format); never to be shown. `None` if the entry is
    /// damaged there.
    pub fn stand_in(&self, position: usize) -> Option<Card> {
        let base = 4 + 4 * self.count;
        if position >= self.count {
            return None;
        }
        let offset = usize::try_from(read_u32(&self.bytes, 4 + 4 * position)?).ok()?;
        let mut at = base.checked_add(offset)?;
        let id = Id::parse(read_str(&self.bytes, &mut at)?).ok()?;
        let kind = *Kind::ALL.get(usize::from(*self.bytes.get(at)?))?;
        at += 1;
        let tag_count = usize::try_from(read_u32(&self.bytes, at)?).ok()?;
        at += 4;
        let mut tags = Vec::with_capacity(tag_count.min(64));
        for _ in 0..tag_count {
            tags.push(read_str(&self.bytes, &mut at)?.to_owned());
        }
        let generated = read_str(&self.bytes, &mut at)?;
        Some(Card {
            id,
            kind,
            prompt: String::new(),
            answer: String::new(),
            accept: Vec::new(),
            choices: Vec::new(),
            explanation: None,
            source: None,
            tags,
            generated: (!generated.is_empty()).then(|| Origin {
                key: generated.to_owned(),
                hash: String::new(),
            }),
            line: 0,
        })
    }
}

/// The deck without its cards (which go one per row).
fn outline(deck: &Deck) -> Deck {
    Deck {
        id: deck.id.clone(),
        name: deck.name.clone(),
        description: deck.description.clone(),
        new_per_day: deck.new_per_day,
        reviews_per_day: deck.reviews_per_day,
        strict: deck.strict,
        leech_threshold: deck.leech_threshold,
        scheduling: deck.scheduling.clone(),
        fixed_parameters: deck.fixed_parameters,
        cards: Vec::new(),
        path: deck.path.clone(),
        content_hash: deck.content_hash.clone(),
    }
}

/// A length as the encoding's `u32` (deck files are at most a few MB: it always fits).
fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let four = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(four.try_into().ok()?))
}

fn read_str<'a>(bytes: &'a [u8], at: &mut usize) -> Option<&'a str> {
    let len = usize::try_from(read_u32(bytes, *at)?).ok()?;
    let start = at.checked_add(4)?;
    let end = start.checked_add(len)?;
    let text = std::str::from_utf8(bytes.get(start..end)?).ok()?;
    *at = end;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck;

    fn sample() -> Deck {
        deck::load_str(
            "id: d\nname: D\ncards:\n  \
             - id: a\n    prompt: Who?\n    answer: Osip Piatnitsky\n    tags: [person, 1921]\n  \
             - id: b.c\n    kind: choice\n    prompt: Which?\n    answer: X\n    choices: [X, Y]\n    generated: head-1.choice 0123456789\n  \
             - id: c\n    kind: year\n    prompt: When?\n    answer: \"1921\"\n",
        )
        .expect("valid deck")
    }

    #[test]
    fn a_cached_deck_comes_back_whole_and_card_by_card() {
        let store = Store::open_in_memory().unwrap();
        let mut deck = sample();
        deck.content_hash = "h1".to_owned();
        store.cache_deck(&deck).unwrap();
        assert_eq!(store.cached_deck("h1").unwrap(), Some(deck.clone()));
        let outline = store.cached_outline("h1").unwrap().unwrap();
        assert!(outline.deck.cards.is_empty());
        assert_eq!(outline.deck.name, "D");
        assert_eq!(outline.heads.len(), 3);
        let picked = store.cached_cards("h1", &[2, 0, 7]).unwrap();
        assert_eq!(picked[0].as_ref(), Some(&deck.cards[2]));
        assert_eq!(picked[1].as_ref(), Some(&deck.cards[0]));
        assert_eq!(picked[2], None, "no such position");
        assert!(store.cached_outline("other").unwrap().is_none());
    }

    #[test]
    fn a_stand_in_keeps_what_the_queue_rules_read() {
        let deck = sample();
        let heads = CardHeads::encode(&deck.cards);
        let heads = CardHeads::from_bytes(heads.bytes).unwrap();
        for (position, card) in deck.cards.iter().enumerate() {
            let stand_in = heads.stand_in(position).unwrap();
            assert_eq!(stand_in.id, card.id);
            assert_eq!(stand_in.kind, card.kind);
            assert_eq!(stand_in.tags, card.tags);
            assert_eq!(stand_in.sibling(), card.sibling());
            assert_eq!(stand_in.question_kind(), card.question_kind());
            assert!(stand_in.prompt.is_empty() && stand_in.answer.is_empty());
        }
        assert!(heads.stand_in(3).is_none());
    }

    #[test]
    fn damaged_heads_give_no_stand_in_and_no_panic() {
        let bytes = CardHeads::encode(&sample().cards).bytes;
        for cut in 0..bytes.len() {
            if let Some(heads) = CardHeads::from_bytes(bytes[..cut].to_vec()) {
                for position in 0..4 {
                    let _ = heads.stand_in(position);
                }
            }
        }
        let mut wrong = bytes.clone();
        wrong[0] = 200;
        assert!(CardHeads::from_bytes(wrong).is_none());
    }

    #[test]
    fn caching_an_edit_replaces_the_decks_older_entry_and_its_cards() {
        let store = Store::open_in_memory().unwrap();
        let mut old = sample();
        old.content_hash = "old".to_owned();
        store.cache_deck(&old).unwrap();
        let mut new = sample();
        new.cards.truncate(1);
        new.content_hash = "new".to_owned();
        store.cache_deck(&new).unwrap();
        assert_eq!(store.cached_deck("old").unwrap(), None);
        assert_eq!(store.cached_cards("old", &[0]).unwrap(), vec![None]);
        assert_eq!(store.cached_deck("new").unwrap(), Some(new));
    }

    #[test]
    fn an_entry_of_another_format_is_never_read() {
        let store = Store::open_in_memory().unwrap();
        let mut deck = sample();
        deck.content_hash = "h".to_owned();
        store.cache_deck(&deck).unwrap();
        store
            .conn
            .execute("UPDATE deck_cache SET format = 'json/0.1.0/2'", [])
            .unwrap();
        assert_eq!(store.cached_deck("h").unwrap(), None);
        assert!(store.cached_outline("h").unwrap().is_none());
        assert_eq!(store.cached_scheduling("h").unwrap(), None);
    }

    #[track_caller]
    fn stamp_case(modified_ns: i64, changed_ns: i64, before_read_ns: i64, trusted: bool) {
        let stamp = FileStamp {
            size: 10,
            modified_ns,
            changed_ns,
            inode: 1,
            device: 1,
        };
        assert_eq!(stamp.trusted(before_read_ns), trusted);
    }

    #[test]
    fn only_settled_fine_grained_stamps_are_trusted() {
        let s = 1_000_000_000;
        stamp_case(100 * s + 5, 100 * s + 5, 103 * s, true);
        // Written less than two seconds before it was read: an edit in the same tick could
        // keep every field.
        stamp_case(100 * s + 5, 100 * s + 5, 101 * s, false);
        stamp_case(100 * s + 5, 102 * s + 5, 103 * s, false);
        // Whole-second times: a file system that could give an edit the same time.
        stamp_case(100 * s, 100 * s, 200 * s, false);
        stamp_case(100 * s, 100 * s + 1, 200 * s, true);
    }

    #[test]
    fn a_deck_file_hash_is_given_only_for_the_same_stamp() {
        let store = Store::open_in_memory().unwrap();
        let path = std::path::Path::new("/decks/a.yaml");
        let stamp = FileStamp {
            size: 10,
            modified_ns: 5,
            changed_ns: 6,
            inode: 7,
            device: 8,
        };
        assert_eq!(store.deck_file_hash(path, &stamp).unwrap(), None);
        store.note_deck_file(path, Some((&stamp, "h"))).unwrap();
        assert_eq!(
            store.deck_file_hash(path, &stamp).unwrap().as_deref(),
            Some("h")
        );
        for changed in [
            FileStamp { size: 11, ..stamp },
            FileStamp {
                modified_ns: 4,
                ..stamp
            },
            FileStamp {
                changed_ns: 9,
                ..stamp
            },
            FileStamp { inode: 1, ..stamp },
            FileStamp { device: 1, ..stamp },
        ] {
            assert_eq!(store.deck_file_hash(path, &changed).unwrap(), None);
        }
        store.note_deck_file(path, None).unwrap();
        assert_eq!(store.deck_file_hash(path, &stamp).unwrap(), None);
    }
}
