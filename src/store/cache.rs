//! The parsed-deck cache: a validated deck stored as JSON under the hash of its file's
//! bytes, so a start-up that finds the file unchanged reads the hash and this row instead of
//! parsing YAML again (10x faster for a 10k-card deck; docs/BENCHMARKS.md). Derived data:
//! a missing, stale or unreadable entry only means the file is parsed again.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::deck::Deck;
use crate::schedule::SchedulerConfig;

/// Tells apart entries written by another build, whose `Deck` may have other fields.
const FORMAT: &str = concat!("json/", env!("CARGO_PKG_VERSION"), "/2");

impl Store {
    /// The deck cached under this content hash, if there is one this build can read.
    pub fn cached_deck(&self, content_hash: &str) -> Result<Option<Deck>, StoreError> {
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
        let body = serde_json::to_string(deck).unwrap_or_default();
        let scheduling =
            serde_json::to_string(&(&deck.scheduling, deck.fixed_parameters)).unwrap_or_default();
        let path = self.path.clone();
        let fail = |e| super::classify(&path, e);
        // The same IMMEDIATE-style short transaction as every write; `&self` so a read-only
        // caller (loading the known decks) can fill the cache as it goes.
        let tx = self.conn.unchecked_transaction().map_err(fail)?;
        tx.execute(
            "DELETE FROM deck_cache WHERE deck_key = ?1 OR content_hash = ?2",
            params![deck.id.as_str(), deck.content_hash],
        )
        .map_err(fail)?;
        tx.execute(
            "INSERT INTO deck_cache (content_hash, deck_key, format, scheduling, body)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                deck.content_hash,
                deck.id.as_str(),
                FORMAT,
                scheduling,
                body
            ],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)
    }
}
