//! FSRS-6 parameters fitted by `factdrill optimize --save`: one set per deck and one for
//! every deck, each with when it was fitted and how many reviews it saw (so a later refit can
//! be suggested when the log has grown, e.g. doubled). Only the latest fit per scope is kept.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, timestamp};

/// Which decks a saved parameter set is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamScope {
    /// Every deck without a set of its own.
    Global,
    /// One deck, by key.
    Deck(String),
}

impl ParamScope {
    fn key(&self) -> &str {
        match self {
            ParamScope::Global => "",
            ParamScope::Deck(deck) => deck,
        }
    }
}

/// A saved fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedParameters {
    pub scope: ParamScope,
    pub parameters: [f64; 21],
    pub fitted_at: Timestamp,
    /// Reviews in the log the fit used (same-day ones included).
    pub review_count: u64,
    /// Of them, the reviews the fit predicted.
    pub item_count: u64,
    pub log_loss: f64,
}

impl Store {
    /// Saves a fit, replacing the one saved before for the same scope.
    ///
    /// # Panics
    ///
    /// Never: an array of numbers always serialises.
    pub fn save_parameters(&mut self, saved: &SavedParameters) -> Result<(), StoreError> {
        let json = serde_json::to_string(&saved.parameters.to_vec())
            .expect("an array of numbers serialises");
        self.conn
            .execute(
                "INSERT INTO fsrs_params (scope, parameters, fitted_at, review_count, item_count, log_loss)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (scope) DO UPDATE SET parameters = excluded.parameters,
                    fitted_at = excluded.fitted_at, review_count = excluded.review_count,
                    item_count = excluded.item_count, log_loss = excluded.log_loss",
                params![
                    saved.scope.key(),
                    json,
                    saved.fitted_at.as_millisecond(),
                    i64::try_from(saved.review_count).unwrap_or(i64::MAX),
                    i64::try_from(saved.item_count).unwrap_or(i64::MAX),
                    saved.log_loss,
                ],
            )
            .map_err(self.fail())?;
        Ok(())
    }

    /// The parameters that apply to `deck`: its own saved set, else the global one. A stored
    /// set that no longer reads as 21 valid parameters is ignored (the defaults then apply).
    pub fn parameters_for(&self, deck: &str) -> Result<Option<SavedParameters>, StoreError> {
        if let Some(own) = self.saved_parameters(&ParamScope::Deck(deck.to_owned()))? {
            return Ok(Some(own));
        }
        self.saved_parameters(&ParamScope::Global)
    }

    /// The set saved for exactly this scope.
    pub fn saved_parameters(
        &self,
        scope: &ParamScope,
    ) -> Result<Option<SavedParameters>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT parameters, fitted_at, review_count, item_count, log_loss
                 FROM fsrs_params WHERE scope = ?1",
                params![scope.key()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, f64>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(self.fail())?;
        let Some((json, fitted_at, reviews, items, log_loss)) = row else {
            return Ok(None);
        };
        let parameters = serde_json::from_str::<Vec<f64>>(&json)
            .ok()
            .and_then(|w| crate::schedule::config::validate_parameters(&w).ok());
        Ok(parameters.map(|parameters| SavedParameters {
            scope: scope.clone(),
            parameters,
            fitted_at: timestamp(fitted_at),
            review_count: u64::try_from(reviews).unwrap_or(0),
            item_count: u64::try_from(items).unwrap_or(0),
            log_loss,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::fsrs::DEFAULT_PARAMETERS;

    fn saved(scope: ParamScope, w0: f64) -> SavedParameters {
        let mut parameters = DEFAULT_PARAMETERS;
        parameters[0] = w0;
        SavedParameters {
            scope,
            parameters,
            fitted_at: "2026-11-25T10:00:00Z".parse().unwrap(),
            review_count: 1000,
            item_count: 400,
            log_loss: 0.31,
        }
    }

    #[test]
    fn deck_parameters_come_before_global_ones() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.parameters_for("oms").unwrap(), None);
        let global = saved(ParamScope::Global, 0.5);
        store.save_parameters(&global).unwrap();
        assert_eq!(store.parameters_for("oms").unwrap(), Some(global.clone()));
        let own = saved(ParamScope::Deck("oms".into()), 0.7);
        store.save_parameters(&own).unwrap();
        assert_eq!(store.parameters_for("oms").unwrap(), Some(own));
        assert_eq!(store.parameters_for("other").unwrap(), Some(global));
    }

    #[test]
    fn saving_again_replaces_and_round_trips_exactly() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .save_parameters(&saved(ParamScope::Global, 0.5))
            .unwrap();
        let mut newer = saved(ParamScope::Global, 0.123_456_789_012_345_6);
        newer.review_count = 2000;
        store.save_parameters(&newer).unwrap();
        assert_eq!(
            store.saved_parameters(&ParamScope::Global).unwrap(),
            Some(newer)
        );
    }
}
