//! Schema migrations: embedded SQL files applied in order, all pending ones in one
//! transaction, the version kept in `PRAGMA user_version`. Before an existing database is
//! migrated, a copy of it is taken with SQLite's online backup API, so an upgrade that goes
//! wrong in a way SQLite cannot roll back (a bug in a migration) can still be undone by hand.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, MAIN_DB};

use super::{StoreError, classify};

/// The migrations, in order; migration N brings the schema to version N.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_card_marks.sql"),
    include_str!("migrations/0003_sync.sql"),
    include_str!("migrations/0004_fsrs_params.sql"),
    include_str!("migrations/0005_perf.sql"),
    include_str!("migrations/0006_mark_events.sql"),
    include_str!("migrations/0007_adapt.sql"),
    include_str!("migrations/0008_due_by_deck.sql"),
    include_str!("migrations/0009_card_cache.sql"),
    include_str!("migrations/0010_stats_digest.sql"),
    include_str!("migrations/0011_digest_delete.sql"),
];

/// For a test of one migration: a database at the schema just before the migration whose
/// SQL contains `marker` (found by what it creates, so renumbering does not break the test),
/// and that migration's SQL.
#[cfg(test)]
pub(super) fn schema_before(marker: &str) -> (Connection, &'static str) {
    let at = MIGRATIONS
        .iter()
        .position(|m| m.contains(marker))
        .expect("a migration with the marker");
    let conn = Connection::open_in_memory().expect("an in-memory database");
    for sql in &MIGRATIONS[..at] {
        conn.execute_batch(sql).expect("an earlier migration");
    }
    (conn, MIGRATIONS[at])
}

/// The schema version this build writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// The copy of a database taken before migrating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBackup {
    /// Schema version of the copy (the database before the upgrade).
    pub from: i64,
    /// Schema version the database was brought to.
    pub to: i64,
    /// `<db>.backup-v<from>`, or `<db>.backup-v<from>-<n>` if that name was taken.
    pub path: PathBuf,
}

/// Refuses a database written by a newer factdrill.
pub(super) fn check_version(path: &Path, version: i64) -> Result<(), StoreError> {
    check_known(path, version, LATEST_VERSION)
}

fn check_known(path: &Path, version: i64, known: i64) -> Result<(), StoreError> {
    if version > known {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            known,
        });
    }
    Ok(())
}

/// Applies every migration after `version`, all or nothing, after backing up an existing
/// database. Returns the backup, if one was taken.
pub(super) fn apply(
    conn: &mut Connection,
    path: &Path,
    version: i64,
) -> Result<Option<MigrationBackup>, StoreError> {
    apply_list(conn, path, version, MIGRATIONS)
}

/// `apply` with the list of migrations as a parameter, so tests can add a migration that
/// this build does not have.
pub(super) fn apply_list(
    conn: &mut Connection,
    path: &Path,
    version: i64,
    migrations: &[&str],
) -> Result<Option<MigrationBackup>, StoreError> {
    let fail = |e| classify(path, e);
    let latest = migrations.len() as i64;
    if version >= latest {
        return Ok(None);
    }
    // Version 0 is a new, empty file; a database at a later version holds the learner's
    // history and is copied first. The copy is taken outside the write transaction (the
    // backup API reads through its own snapshot); if another process migrates meanwhile,
    // the copy is still a faithful one of the old version.
    let backup = if version > 0 {
        Some(backup(conn, path, version, latest)?)
    } else {
        None
    };
    // The store's connections begin transactions IMMEDIATE: the write lock is taken here,
    // waiting (busy timeout) for another process that is migrating the same file.
    let tx = conn.transaction().map_err(fail)?;
    // Another process may have migrated between our check and this write lock.
    let now: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(fail)?;
    check_known(path, now, latest)?;
    if now == 0 {
        // A version-0 file with tables in it belongs to another program: never add ours to it.
        let objects: i64 = tx
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(fail)?;
        if objects > 0 {
            return Err(StoreError::NotADatabase {
                path: path.to_owned(),
            });
        }
    }
    for sql in &migrations[usize::try_from(now).unwrap_or(0)..] {
        tx.execute_batch(sql).map_err(fail)?;
    }
    tx.pragma_update(None, "user_version", latest)
        .map_err(fail)?;
    tx.commit().map_err(fail)?;
    Ok(backup)
}

/// Copies the database next to itself with SQLite's online backup API (consistent even if
/// another process is writing), under a name that no existing file has.
fn backup(
    conn: &Connection,
    path: &Path,
    from: i64,
    to: i64,
) -> Result<MigrationBackup, StoreError> {
    let target = reserve_backup_name(path, from)?;
    conn.backup(MAIN_DB, &target, None::<fn(rusqlite::backup::Progress)>)
        .map_err(|source| {
            // A half-written copy is worse than none: it could be mistaken for a backup.
            let _ = std::fs::remove_file(&target);
            StoreError::Backup {
                path: path.to_owned(),
                backup: target.clone(),
                source,
            }
        })?;
    Ok(MigrationBackup {
        from,
        to,
        path: target,
    })
}

/// Creates an empty file `<db>.backup-v<from>` (or `-2`, `-3`, ... if taken) and returns its
/// name. Creating it with `create_new` makes sure no existing file is ever overwritten.
fn reserve_backup_name(path: &Path, from: i64) -> Result<PathBuf, StoreError> {
    let name = |n: u32| {
        let mut name = path.as_os_str().to_owned();
        name.push(if n == 1 {
            format!(".backup-v{from}")
        } else {
            format!(".backup-v{from}-{n}")
        });
        PathBuf::from(name)
    };
    let mut last_error = None;
    for n in 1..=100 {
        let candidate = name(n);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(_) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                last_error = Some((candidate, e));
                break;
            }
        }
    }
    let (backup, source) = last_error.unwrap_or_else(|| {
        (
            name(100),
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        )
    });
    Err(StoreError::BackupFile {
        path: path.to_owned(),
        backup,
        source,
    })
}
