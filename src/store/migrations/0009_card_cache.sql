-- factdrill schema v9 (performance): the parsed-deck cache one card per row, and the last
-- seen stamp of each deck file, so `study` at 100k cards neither decodes every card of every
-- deck (23 MB of JSON, ~40 % of its start-up) nor reads and hashes unchanged deck files.
-- Derived data only, like `deck_cache`: deleting every row loses nothing. Entries written
-- by an older build (a whole deck in `deck_cache.body`) carry another `format` and are
-- never read; they are replaced the first time each deck is cached again.

-- Each card of a cached deck, by its position in the file, as JSON: a session decodes only
-- the cards it can show.
CREATE TABLE deck_cache_card (
    content_hash TEXT    NOT NULL,          -- the deck_cache entry it belongs to
    position     INTEGER NOT NULL,          -- 0-based, in file order
    body         TEXT    NOT NULL,          -- the validated card as JSON
    PRIMARY KEY (content_hash, position)
) STRICT, WITHOUT ROWID;

-- What the queue rules read of every card (id, kind, tags, the key its siblings share), in
-- a compact encoding readable by position (`store/cache.rs`, `CardHeads`).
ALTER TABLE deck_cache ADD COLUMN heads BLOB;

-- A deck file as last read: if its size, times, inode and device are unchanged, its content
-- hash is this one and the file is not read again (`store/cache.rs`, `FileStamp`).
CREATE TABLE deck_file (
    path         TEXT    NOT NULL PRIMARY KEY,
    size         INTEGER NOT NULL,
    modified_ns  INTEGER NOT NULL,
    changed_ns   INTEGER NOT NULL,
    inode        INTEGER NOT NULL,
    device       INTEGER NOT NULL,
    content_hash TEXT    NOT NULL
) STRICT;
