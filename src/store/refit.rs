//! When FSRS-6 was last refitted automatically (`optimize::refit`): the review count of the
//! log at the last attempt, kept or not, in `meta`, so a refit that did not help is not tried
//! again after every session.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

const KEY: &str = "refit_attempt_reviews";

impl Store {
    /// The review count at the last automatic refit attempt, if there was one.
    pub fn refit_attempt(&self) -> Result<Option<u64>, StoreError> {
        let value: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
            .optional()
            .map_err(self.fail())?;
        Ok(value.and_then(|v| v.parse().ok()))
    }

    /// Records an automatic refit attempt on a log of `reviews` reviews.
    pub fn note_refit_attempt(&mut self, reviews: u64) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![KEY, reviews.to_string()],
            )
            .map_err(self.fail())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn the_last_attempt_is_remembered() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.refit_attempt().unwrap(), None);
        store.note_refit_attempt(1200).unwrap();
        store.note_refit_attempt(2400).unwrap();
        assert_eq!(store.refit_attempt().unwrap(), Some(2400));
    }
}
