-- factdrill schema v1.
-- The review log is the source of truth and is append-only; card_state is a cache derived
-- from it (a fold of each card's reviews under the current scheduler) and can be rebuilt.

CREATE TABLE deck (
    id           INTEGER PRIMARY KEY,
    key          TEXT    NOT NULL UNIQUE,   -- the deck file's `id`
    name         TEXT    NOT NULL,
    path         TEXT    NOT NULL,          -- where the deck file was last loaded from
    content_hash TEXT    NOT NULL,          -- blake3 of the file, to skip unchanged decks
    added_at     INTEGER NOT NULL,          -- ms since the Unix epoch, UTC
    synced_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE card (
    id         INTEGER PRIMARY KEY,
    deck_id    INTEGER NOT NULL REFERENCES deck(id),
    key        TEXT    NOT NULL,            -- the card's `id` in its deck: its identity
    kind       TEXT    NOT NULL,
    prompt     TEXT    NOT NULL,            -- last known text, so history keeps its context
    answer     TEXT    NOT NULL,
    position   INTEGER NOT NULL,            -- order in the deck file: new cards come in this order
    added_at   INTEGER NOT NULL,
    retired_at INTEGER,                     -- set when the card left its deck; never deleted
    UNIQUE (deck_id, key)
) STRICT;

CREATE TABLE review (
    id          INTEGER PRIMARY KEY,
    card_id     INTEGER NOT NULL REFERENCES card(id),
    reviewed_at INTEGER NOT NULL,           -- ms since the Unix epoch, UTC
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    answer      TEXT    NOT NULL,           -- what the learner typed
    verdict     TEXT    NOT NULL CHECK (verdict IN ('correct', 'close', 'partial', 'wrong')),
    response_ms INTEGER NOT NULL CHECK (response_ms >= 0),
    scheduler   TEXT    NOT NULL            -- the scheduler that was in use, e.g. fsrs-6
) STRICT;

CREATE INDEX review_by_card ON review (card_id, reviewed_at);
CREATE INDEX review_by_time ON review (reviewed_at);

-- Reviews are never edited; undo deletes the last one.
CREATE TRIGGER review_is_append_only BEFORE UPDATE ON review
BEGIN
    SELECT RAISE(ABORT, 'the review log is append-only');
END;

CREATE TABLE card_state (
    card_id INTEGER PRIMARY KEY REFERENCES card(id),
    phase   TEXT    NOT NULL CHECK (phase IN ('new', 'learning', 'review', 'relearning')),
    due     INTEGER,                        -- ms since the Unix epoch; NULL for new cards
    state   TEXT    NOT NULL                -- JSON of schedule::CardState
) STRICT;

CREATE INDEX card_state_by_due ON card_state (due);

CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
