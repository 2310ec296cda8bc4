-- factdrill schema: adaptive learning (docs/statistics.md, docs/optimizer.md). Additive:
-- three new tables.

-- Confusions ("Confusions"). A wrong answer that was another known entity of the deck
-- ("Kippenberger" for "Burde") is kept with its review: the card asked, the entity given
-- and the answer expected. Deleting the review (undo, or an undo on another device arriving
-- by sync) deletes its confusion with it.
CREATE TABLE confusion (
    review_id INTEGER NOT NULL PRIMARY KEY REFERENCES review(id) ON DELETE CASCADE,
    card_id   INTEGER NOT NULL REFERENCES card(id),
    given     TEXT    NOT NULL,             -- the entity answered, by its principal name
    expected  TEXT    NOT NULL              -- the card's answer when it was asked
) STRICT;

CREATE INDEX confusion_by_card ON confusion (card_id);

-- What each card asks about ("Per relation"), from its deck file: the kind of fact (head,
-- date, location, alias; NULL when the card names none) and the kind of question
-- (`recall-person`, `choice`, ... or the card kind). Written when a deck file is synced.
CREATE TABLE card_topic (
    card_id  INTEGER NOT NULL PRIMARY KEY REFERENCES card(id),
    fact     TEXT,
    question TEXT    NOT NULL
) STRICT;

-- How each review's question was asked ("Format by memory strength", docs/scheduling.md):
-- recognition (multiple choice, true/false), recall (typed) or ordering. Deleted with its
-- review. Reviews without a row (recorded before, or merged by sync) count by their card's
-- kind.
CREATE TABLE review_format (
    review_id INTEGER NOT NULL PRIMARY KEY REFERENCES review(id) ON DELETE CASCADE,
    format    TEXT    NOT NULL CHECK (format IN ('recognition', 'recall', 'ordering'))
) STRICT;

-- Every deck is read again on its next sync (as if its file had changed), which fills
-- card_topic for the cards already known; nothing else changes.
UPDATE deck SET content_hash = '';
