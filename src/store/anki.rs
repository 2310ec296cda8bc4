//! Writing an Anki package (`.apkg`): the collection (`interop::apkg::Collection`) as an
//! SQLite database in Anki's legacy schema 11, built in memory, then zipped (deflate) as
//! `collection.anki2` next to an empty `media` map. The SQL for Anki's tables lives here
//! because this module tree is the only one that speaks SQL.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use crate::interop::apkg::Collection;

/// Anki's schema 11 tables, as Anki 2.1 created them (the column types matter less than
/// the names and their order: Anki reads rows by position).
const SCHEMA: &str = "
CREATE TABLE col (
    id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
    ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
    conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
    tags text NOT NULL
);
CREATE TABLE notes (
    id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
    usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
    csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
    id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
    mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
    due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
    lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
    odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
    id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
    ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
    time integer NOT NULL, type integer NOT NULL
);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

/// The collection schema version Anki reads as "legacy, upgrade me".
const SCHEMA_VERSION: i64 = 11;

/// What can go wrong writing a package. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum AnkiError {
    #[error("cannot build the Anki collection for {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot write {}: {source}", path.display())]
    Zip {
        path: PathBuf,
        source: zip::result::ZipError,
    },
}

/// The collection as the bytes of an SQLite database file.
pub fn collection_bytes(collection: &Collection) -> Result<Vec<u8>, rusqlite::Error> {
    let mut conn = Connection::open_in_memory()?;
    conn.execute_batch(SCHEMA)?;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, ?3, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
        params![
            collection.created_secs,
            collection.modified_ms,
            SCHEMA_VERSION,
            collection.conf,
            collection.models,
            collection.decks,
            collection.dconf,
        ],
    )?;
    {
        let mut note =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')")?;
        let mut card = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )?;
        for n in &collection.notes {
            note.execute(params![
                n.id,
                n.guid,
                n.model_id,
                collection.created_secs,
                n.tags,
                n.joined_fields(),
                n.sort_field,
                n.checksum,
            ])?;
            card.execute(params![
                n.card_id,
                n.id,
                collection.deck_id,
                collection.created_secs,
                n.due,
            ])?;
        }
    }
    tx.commit()?;
    let data = conn.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}

/// Writes the package to `path`: `collection.anki2` and `media` (`{}`: no media files).
/// On failure no partial file is left behind.
pub fn write_package(path: &Path, collection: &Collection) -> Result<(), AnkiError> {
    let bytes = collection_bytes(collection).map_err(|source| AnkiError::Sqlite {
        path: path.to_owned(),
        source,
    })?;
    let result = zip_to(path, &bytes);
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

fn zip_to(path: &Path, collection: &[u8]) -> Result<(), AnkiError> {
    let io = |source| AnkiError::Write {
        path: path.to_owned(),
        source,
    };
    let zip = |source| AnkiError::Zip {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // A fixed time: the same deck exported twice gives the same bytes.
        .last_modified_time(zip::DateTime::default());
    writer
        .start_file("collection.anki2", options)
        .map_err(zip)?;
    writer.write_all(collection).map_err(io)?;
    writer.start_file("media", options).map_err(zip)?;
    writer.write_all(b"{}").map_err(io)?;
    let mut out = writer.finish().map_err(zip)?;
    out.flush().map_err(io)?;
    out.get_ref().sync_all().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collection_opens_and_holds_the_notes() {
        let deck = crate::deck::load_str(
            "id: t\nname: T\ncards:\n  - {id: a, prompt: One?, answer: '1'}\n  - {id: b, kind: cloze, prompt: ___ two, answer: One}\n",
        )
        .unwrap();
        let c = crate::interop::apkg::collection(&deck, "2026-01-15T09:00:00Z".parse().unwrap());
        let bytes = collection_bytes(&c).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.anki2");
        std::fs::write(&file, bytes).unwrap();
        let conn = Connection::open(&file).unwrap();
        let ver: i64 = conn
            .query_row("SELECT ver FROM col", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ver, 11);
        let notes: i64 = conn
            .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
            .unwrap();
        let cards: i64 = conn
            .query_row(
                "SELECT count(*) FROM cards c JOIN notes n ON c.nid = n.id WHERE c.did = ?1",
                [c.deck_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!((notes, cards), (2, 2));
    }
}
