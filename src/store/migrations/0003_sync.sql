-- factdrill schema v3: sync between devices (docs/sync.md).
-- Every review gets a globally unique id and the id of the device that recorded it, so the
-- logs of several databases merge as a set union. A deleted review (undo) leaves a
-- tombstone, so the deletion travels too and the review is never merged back in.

-- This database's device id: random, made once. A copy of the database file shares it;
-- `factdrill sync DIR --new-device` gives a copy its own.
INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', lower(hex(randomblob(8))));

ALTER TABLE review ADD COLUMN uid TEXT;      -- UUIDv7: the review's time in ms, then random bits
ALTER TABLE review ADD COLUMN device TEXT;   -- the device id of the database that recorded it

-- The append-only trigger forbids the backfill below; it comes back, narrowed to let a row
-- receive its missing uid once (and nothing else), right after.
DROP TRIGGER review_is_append_only;

-- Existing reviews were recorded here. Their ids are UUIDv7-shaped: the review's time (48
-- bits), the version nibble 7, the row id (40 bits, around the variant nibble 8), so reviews
-- of one millisecond keep the order they were given in, then 32 random bits.
UPDATE review SET
    uid = substr(printf('%012x', max(min(reviewed_at, 281474976710655), 0)), 1, 8) || '-' ||
          substr(printf('%012x', max(min(reviewed_at, 281474976710655), 0)), 9, 4) || '-7' ||
          substr(printf('%010x', id & 1099511627775), 1, 3) || '-8' ||
          substr(printf('%010x', id & 1099511627775), 4, 3) || '-' ||
          substr(printf('%010x', id & 1099511627775), 7, 4) || lower(hex(randomblob(4))),
    device = (SELECT value FROM meta WHERE key = 'device_id');

CREATE UNIQUE INDEX review_by_uid ON review (uid);

-- Reviews are never edited; undo deletes the last one. The one update allowed: giving a row
-- that has no uid its uid and device (see review_gets_uid).
CREATE TRIGGER review_is_append_only BEFORE UPDATE ON review
WHEN OLD.uid IS NOT NULL OR NEW.uid IS NULL
    OR NEW.id IS NOT OLD.id OR NEW.card_id IS NOT OLD.card_id
    OR NEW.reviewed_at IS NOT OLD.reviewed_at OR NEW.rating IS NOT OLD.rating
    OR NEW.answer IS NOT OLD.answer OR NEW.verdict IS NOT OLD.verdict
    OR NEW.response_ms IS NOT OLD.response_ms OR NEW.scheduler IS NOT OLD.scheduler
BEGIN
    SELECT RAISE(ABORT, 'the review log is append-only');
END;

-- The store gives each review its uid when it writes it; this is the safety net for a
-- writer that does not, so no review is ever left out of sync.
CREATE TRIGGER review_gets_uid AFTER INSERT ON review WHEN NEW.uid IS NULL
BEGIN
    UPDATE review SET
        uid = substr(printf('%012x', max(min(NEW.reviewed_at, 281474976710655), 0)), 1, 8) || '-' ||
              substr(printf('%012x', max(min(NEW.reviewed_at, 281474976710655), 0)), 9, 4) || '-7' ||
              substr(printf('%010x', NEW.id & 1099511627775), 1, 3) || '-8' ||
              substr(printf('%010x', NEW.id & 1099511627775), 4, 3) || '-' ||
              substr(printf('%010x', NEW.id & 1099511627775), 7, 4) || lower(hex(randomblob(4))),
        device = coalesce(NEW.device, (SELECT value FROM meta WHERE key = 'device_id'))
    WHERE id = NEW.id;
END;

-- Reviews deleted here or on another device. A review whose uid is here is never inserted.
CREATE TABLE review_tombstone (
    uid        TEXT    NOT NULL PRIMARY KEY,
    device     TEXT    NOT NULL,            -- the device that deleted it
    deleted_at INTEGER NOT NULL             -- ms since the Unix epoch (SQLite's clock)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER review_leaves_tombstone AFTER DELETE ON review WHEN OLD.uid IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO review_tombstone (uid, device, deleted_at)
    VALUES (OLD.uid, coalesce((SELECT value FROM meta WHERE key = 'device_id'), ''),
            CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;

-- Events (reviews and deletions, by uid) that a file in the sync folder holds: read from
-- another device's file, or written to this device's. What is not here is pending.
CREATE TABLE sync_seen (
    kind TEXT NOT NULL CHECK (kind IN ('review', 'delete')),
    uid  TEXT NOT NULL,
    PRIMARY KEY (kind, uid)
) STRICT, WITHOUT ROWID;

-- How far each file in the sync folder has been read (or, for this device's own file,
-- written). The folder itself is meta 'sync_dir'.
CREATE TABLE sync_file (
    name        TEXT    NOT NULL PRIMARY KEY,  -- file name in the folder, e.g. <device>.jsonl
    device      TEXT    NOT NULL,              -- the device id in the file's header
    device_name TEXT    NOT NULL,
    read_bytes  INTEGER NOT NULL,              -- complete lines read, in bytes from the start
    tail        BLOB    NOT NULL,              -- the last bytes before read_bytes: a replaced file shows
    events      INTEGER NOT NULL,              -- events in those bytes
    last_event  INTEGER                        -- ms of the latest event in them
) STRICT;
