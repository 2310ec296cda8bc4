-- factdrill schema v7 (performance): `factdrill due` touches only what is due.
-- Each cached card state carries its card's deck, so what a deck has due is one range of an
-- index on (deck, due) instead of a join of every card of the deck to its state (100k cards:
-- 64 ms of CPU for `due`; docs/BENCHMARKS.md). A card never changes deck, so the copy never
-- goes stale; the trigger fills it for any writer that does not (undo, sync, import).

ALTER TABLE card_state ADD COLUMN deck_id INTEGER REFERENCES deck(id);

UPDATE card_state SET deck_id = (SELECT card.deck_id FROM card WHERE card.id = card_state.card_id);

CREATE TRIGGER card_state_gets_deck AFTER INSERT ON card_state WHEN NEW.deck_id IS NULL
BEGIN
    UPDATE card_state SET deck_id = (SELECT card.deck_id FROM card WHERE card.id = NEW.card_id)
    WHERE card_id = NEW.card_id;
END;

-- A deck's seen cards in due order, with their phase: its next due time comes from this
-- index alone.
CREATE INDEX card_state_by_deck ON card_state (deck_id, due, phase);

-- Retired cards (few): whether a due card is retired is a look-up here, not a read of the
-- card's row (3,000 due cards at 100k: 6,000 random page reads through the table).
CREATE INDEX card_retired ON card (id, retired_at) WHERE retired_at IS NOT NULL;

-- How many active cards each deck has, and how many of them have a state past 'new':
-- `due` counts a deck's new cards as the difference, where counting them took a read of
-- every card (two whole indexes, 15 ms at 100k cards). Kept by the triggers below for every
-- writer (deck sync, import, sync, study, undo, state rebuilds); a test recounts it.
CREATE TABLE deck_tally (
    deck_id     INTEGER PRIMARY KEY REFERENCES deck(id),
    active      INTEGER NOT NULL,           -- cards not retired
    active_seen INTEGER NOT NULL            -- of them, those with a state past 'new'
) STRICT;

INSERT INTO deck_tally (deck_id, active, active_seen)
SELECT card.deck_id, count(*), count(cs.card_id)
FROM card LEFT JOIN card_state AS cs ON cs.card_id = card.id AND cs.phase <> 'new'
WHERE card.retired_at IS NULL
GROUP BY card.deck_id;

CREATE TRIGGER deck_tally_card_insert AFTER INSERT ON card
BEGIN
    INSERT INTO deck_tally (deck_id, active, active_seen)
    VALUES (NEW.deck_id, NEW.retired_at IS NULL,
            NEW.retired_at IS NULL AND EXISTS (SELECT 1 FROM card_state
                                               WHERE card_id = NEW.id AND phase <> 'new'))
    ON CONFLICT (deck_id) DO UPDATE SET
        active = active + excluded.active, active_seen = active_seen + excluded.active_seen;
END;

CREATE TRIGGER deck_tally_card_delete AFTER DELETE ON card
BEGIN
    UPDATE deck_tally SET
        active = active - (OLD.retired_at IS NULL),
        active_seen = active_seen - (OLD.retired_at IS NULL AND EXISTS (
            SELECT 1 FROM card_state WHERE card_id = OLD.id AND phase <> 'new'))
    WHERE deck_id = OLD.deck_id;
END;

-- Retiring (or bringing back) a card: out of the old count, into the new one.
CREATE TRIGGER deck_tally_card_update AFTER UPDATE OF id, deck_id, retired_at ON card
BEGIN
    UPDATE deck_tally SET
        active = active - (OLD.retired_at IS NULL),
        active_seen = active_seen - (OLD.retired_at IS NULL AND EXISTS (
            SELECT 1 FROM card_state WHERE card_id = OLD.id AND phase <> 'new'))
    WHERE deck_id = OLD.deck_id;
    INSERT INTO deck_tally (deck_id, active, active_seen)
    VALUES (NEW.deck_id, NEW.retired_at IS NULL,
            NEW.retired_at IS NULL AND EXISTS (SELECT 1 FROM card_state
                                               WHERE card_id = NEW.id AND phase <> 'new'))
    ON CONFLICT (deck_id) DO UPDATE SET
        active = active + excluded.active, active_seen = active_seen + excluded.active_seen;
END;

CREATE TRIGGER deck_tally_state_insert AFTER INSERT ON card_state WHEN NEW.phase <> 'new'
BEGIN
    UPDATE deck_tally SET active_seen = active_seen + 1
    WHERE deck_id = (SELECT deck_id FROM card WHERE id = NEW.card_id AND retired_at IS NULL);
END;

CREATE TRIGGER deck_tally_state_delete AFTER DELETE ON card_state WHEN OLD.phase <> 'new'
BEGIN
    UPDATE deck_tally SET active_seen = active_seen - 1
    WHERE deck_id = (SELECT deck_id FROM card WHERE id = OLD.card_id AND retired_at IS NULL);
END;

-- Most answers leave the phase as it was (a review stays a review): nothing to count then.
CREATE TRIGGER deck_tally_state_update AFTER UPDATE OF card_id, phase ON card_state
WHEN OLD.phase IS NOT NEW.phase OR OLD.card_id IS NOT NEW.card_id
BEGIN
    UPDATE deck_tally SET active_seen = active_seen - (OLD.phase <> 'new')
    WHERE deck_id = (SELECT deck_id FROM card WHERE id = OLD.card_id AND retired_at IS NULL);
    UPDATE deck_tally SET active_seen = active_seen + (NEW.phase <> 'new')
    WHERE deck_id = (SELECT deck_id FROM card WHERE id = NEW.card_id AND retired_at IS NULL);
END;

-- `study` reads a deck's cards in deck order (this index) and their phase and due time
-- (`card_state_by_deck`), to pick the few a day's session can use before decoding any
-- state, without reading card texts or state JSON (100k cards: no sort of every row
-- through temporary files, and no read of 30 MB of states).
CREATE INDEX card_in_deck_order ON card (deck_id, position, key, retired_at);
