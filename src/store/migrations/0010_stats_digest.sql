-- factdrill schema v9 (performance): the statistics digest. `factdrill stats` replayed the
-- whole review log under each deck's scheduler on every run (100k cards, 2M reviews: 1.5 s).
-- These tables keep what that replay yields, so a run folds in only what changed since the
-- last one (`stats/refresh.rs`). They are derived data: deleting their rows (or a deck's
-- `digest_deck` row) makes the next `stats` rebuild them from the log.

-- Per deck: the settings the digest was made under (scheduler, time zone, format), and the
-- largest review id folded in. A review with a larger id is new.
CREATE TABLE digest_deck (
    deck_id     INTEGER PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    watermark   INTEGER NOT NULL
) STRICT;

-- Per card with folded reviews: its counts and the replayed state's fields the report reads,
-- packed in one blob (`store/digest.rs`: reading 100k cards is one column each), and where
-- its log ended (time, uid, id: the order the log is replayed in; study day yyyymmdd).
CREATE TABLE digest_card (
    card_id  INTEGER PRIMARY KEY,
    deck_id  INTEGER NOT NULL,
    data     BLOB    NOT NULL,
    last_day INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    last_uid TEXT,
    last_id  INTEGER NOT NULL
) STRICT;
CREATE INDEX digest_card_by_deck ON digest_card (deck_id);

-- The whole replayed state (JSON of schedule::CardState), read only to continue a card's
-- replay; apart so reading every card's counts does not read it.
CREATE TABLE digest_state (
    card_id INTEGER PRIMARY KEY,
    state   TEXT NOT NULL
) STRICT;

-- Per deck and study day (yyyymmdd): what its reviews add up to.
CREATE TABLE digest_day (
    deck_id       INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    reviews       INTEGER NOT NULL,
    correct       INTEGER NOT NULL,
    again         INTEGER NOT NULL,
    introduced    INTEGER NOT NULL,
    time_ms       INTEGER NOT NULL,
    young         INTEGER NOT NULL,
    young_passed  INTEGER NOT NULL,
    mature        INTEGER NOT NULL,
    mature_passed INTEGER NOT NULL,
    PRIMARY KEY (deck_id, day)
) STRICT, WITHOUT ROWID;

-- Per deck and calibration bin: counts and exact fixed-point sums (16-byte integers).
CREATE TABLE digest_bin (
    deck_id   INTEGER NOT NULL,
    bin       INTEGER NOT NULL,
    count     INTEGER NOT NULL,
    passed    INTEGER NOT NULL,
    predicted BLOB    NOT NULL,
    log_loss  BLOB    NOT NULL,
    PRIMARY KEY (deck_id, bin)
) STRICT, WITHOUT ROWID;

-- Folded reviews that left the log (undo, sync tombstones) since the last refresh: with the log as it is, they give the log as it was folded, so the card's old
-- share can be taken out before its new one is added.
CREATE TABLE digest_removed (
    id          INTEGER NOT NULL,
    card_id     INTEGER NOT NULL,
    reviewed_at INTEGER NOT NULL,
    uid         TEXT,
    rating      INTEGER NOT NULL,
    verdict     TEXT    NOT NULL,
    response_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX digest_removed_by_card ON digest_removed (card_id);

-- Reviews that arrived with an id at or under their deck's watermark (SQLite reuses the
-- largest id after it is deleted): not part of the folded log.
CREATE TABLE digest_added (
    id      INTEGER NOT NULL,
    card_id INTEGER NOT NULL,
    PRIMARY KEY (id, card_id)
) STRICT, WITHOUT ROWID;

-- Triggers, so every writer is seen (study, undo, import, sync, whatever comes next). An
-- ordinary answer gets a new, larger id: the insert trigger's condition is two look-ups by
-- primary key and it writes nothing. Reviews are never updated (`review_is_append_only`
-- refuses any change to a row once it has its uid), so inserts and deletes are all there is.
CREATE TRIGGER digest_review_delete AFTER DELETE ON review
WHEN OLD.mode = 'normal'
    AND OLD.id <= (SELECT watermark FROM digest_deck
                   WHERE deck_id = (SELECT deck_id FROM card WHERE id = OLD.card_id))
    AND NOT EXISTS (SELECT 1 FROM digest_added WHERE id = OLD.id)
BEGIN
    INSERT INTO digest_removed (id, card_id, reviewed_at, uid, rating, verdict, response_ms)
    VALUES (OLD.id, OLD.card_id, OLD.reviewed_at, OLD.uid, OLD.rating, OLD.verdict,
            OLD.response_ms);
END;

CREATE TRIGGER digest_review_insert AFTER INSERT ON review
WHEN NEW.id <= (SELECT watermark FROM digest_deck
                WHERE deck_id = (SELECT deck_id FROM card WHERE id = NEW.card_id))
BEGIN
    INSERT OR IGNORE INTO digest_added (id, card_id) VALUES (NEW.id, NEW.card_id);
END;
