-- factdrill schema: confusions (docs/statistics.md, "Confusions"). A wrong answer that was
-- another known entity of the deck ("Kippenberger" for "Burde") is kept with its review:
-- the card asked, the entity given and the answer expected. Deleting the review (undo, or
-- an undo on another device arriving by sync) deletes its confusion with it. Additive.

CREATE TABLE confusion (
    review_id INTEGER NOT NULL PRIMARY KEY REFERENCES review(id) ON DELETE CASCADE,
    card_id   INTEGER NOT NULL REFERENCES card(id),
    given     TEXT    NOT NULL,             -- the entity answered, by its principal name
    expected  TEXT    NOT NULL              -- the card's answer when it was asked
) STRICT;

CREATE INDEX confusion_by_card ON confusion (card_id);
