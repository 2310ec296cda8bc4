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

-- The cards of each deck never seen (active, with no state past 'new'), in deck order, so
-- a session finds its new cards in one range instead of reading every card of the deck
-- and every state (100k cards: two whole indexes). Kept by the triggers below for every
-- writer, as `deck_tally` is; a test recounts it (`store/due.rs`). `key` is the card's,
-- which never changes for a card row.
CREATE TABLE card_unseen (
    deck_id  INTEGER NOT NULL,
    position INTEGER NOT NULL,
    card_id  INTEGER NOT NULL,
    key      TEXT    NOT NULL,
    PRIMARY KEY (deck_id, position, card_id)
) STRICT, WITHOUT ROWID;

INSERT INTO card_unseen (deck_id, position, card_id, key)
SELECT card.deck_id, card.position, card.id, card.key FROM card
WHERE card.retired_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM card_state WHERE card_id = card.id AND phase <> 'new');

CREATE TRIGGER card_unseen_card_insert AFTER INSERT ON card
WHEN NEW.retired_at IS NULL
 AND NOT EXISTS (SELECT 1 FROM card_state WHERE card_id = NEW.id AND phase <> 'new')
BEGIN
    INSERT OR IGNORE INTO card_unseen (deck_id, position, card_id, key)
    VALUES (NEW.deck_id, NEW.position, NEW.id, NEW.key);
END;

CREATE TRIGGER card_unseen_card_delete AFTER DELETE ON card
BEGIN
    DELETE FROM card_unseen
    WHERE deck_id = OLD.deck_id AND position = OLD.position AND card_id = OLD.id;
END;

-- Moved in its deck (an edited file), retired or brought back: out, and in again if unseen.
CREATE TRIGGER card_unseen_card_update AFTER UPDATE OF id, deck_id, position, key, retired_at ON card
BEGIN
    DELETE FROM card_unseen
    WHERE deck_id = OLD.deck_id AND position = OLD.position AND card_id = OLD.id;
    INSERT OR IGNORE INTO card_unseen (deck_id, position, card_id, key)
    SELECT NEW.deck_id, NEW.position, NEW.id, NEW.key
    WHERE NEW.retired_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM card_state WHERE card_id = NEW.id AND phase <> 'new');
END;

CREATE TRIGGER card_unseen_state_insert AFTER INSERT ON card_state WHEN NEW.phase <> 'new'
BEGIN
    DELETE FROM card_unseen
    WHERE (deck_id, position, card_id) IN
        (SELECT deck_id, position, id FROM card WHERE id = NEW.card_id);
END;

-- A state deleted (undo of a card's only review, a rebuild): its card is unseen again.
CREATE TRIGGER card_unseen_state_delete AFTER DELETE ON card_state WHEN OLD.phase <> 'new'
BEGIN
    INSERT OR IGNORE INTO card_unseen (deck_id, position, card_id, key)
    SELECT deck_id, position, id, key FROM card
    WHERE id = OLD.card_id AND retired_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM card_state WHERE card_id = OLD.card_id AND phase <> 'new');
END;

-- Most answers leave the phase as it was: nothing to do then.
CREATE TRIGGER card_unseen_state_update AFTER UPDATE OF card_id, phase ON card_state
WHEN OLD.phase IS NOT NEW.phase OR OLD.card_id IS NOT NEW.card_id
BEGIN
    INSERT OR IGNORE INTO card_unseen (deck_id, position, card_id, key)
    SELECT deck_id, position, id, key FROM card
    WHERE id = OLD.card_id AND retired_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM card_state WHERE card_id = OLD.card_id AND phase <> 'new');
    DELETE FROM card_unseen
    WHERE NEW.phase <> 'new' AND (deck_id, position, card_id) IN
        (SELECT deck_id, position, id FROM card WHERE id = NEW.card_id);
END;

-- A deck's states not in the review phase (learning, relearning, 'new'): few, and every
-- one of them is a card the day can use, whatever its due time.
CREATE INDEX card_state_unsettled ON card_state (deck_id) WHERE phase <> 'review';

-- A deck's states in due order with their JSON: the reviews a day can use (~4k at 100k
-- cards) are one range read in order, not 4k look-ups of rows scattered through
-- `card_state` (the rows are in the order cards were first studied). Costs ~30 MB at 100k
-- cards, and each answer moves one more index entry.
CREATE INDEX card_state_in_due_order ON card_state (deck_id, due, phase, state);
