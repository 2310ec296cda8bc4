//! Schema migrations: embedded SQL files applied in order, all pending ones in one
//! transaction, the version kept in `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;

use super::{StoreError, classify};

/// The migrations, in order; migration N brings the schema to version N.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_init.sql")];

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// Refuses a database written by a newer factdrill.
pub(super) fn check_version(path: &Path, version: i64) -> Result<(), StoreError> {
    if version > LATEST_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            known: LATEST_VERSION,
        });
    }
    Ok(())
}

/// Applies every migration after `version`, all or nothing.
pub(super) fn apply(conn: &mut Connection, path: &Path, version: i64) -> Result<(), StoreError> {
    let fail = |e| classify(path, e);
    let pending = usize::try_from(version).unwrap_or(0);
    if pending >= MIGRATIONS.len() {
        return Ok(());
    }
    let tx = conn.transaction().map_err(fail)?;
    // Another process may have migrated between our check and this write lock.
    let now: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(fail)?;
    check_version(path, now)?;
    for sql in &MIGRATIONS[usize::try_from(now).unwrap_or(0)..] {
        tx.execute_batch(sql).map_err(fail)?;
    }
    tx.pragma_update(None, "user_version", LATEST_VERSION)
        .map_err(fail)?;
    tx.commit().map_err(fail)
}
