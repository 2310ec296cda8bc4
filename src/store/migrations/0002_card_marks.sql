-- factdrill schema v2: marks a learner puts on cards, and cram reviews.
--
-- Marks are not answers: they live beside the review log, never in it, and the scheduler
-- never reads them. A card without a row here has no mark.
CREATE TABLE card_mark (
    card_id             INTEGER PRIMARY KEY REFERENCES card(id),
    suspended_at        INTEGER,            -- ms; set: the card is never due until unsuspended
    suspended_by_review INTEGER,            -- the review (id) whose lapse suspended a leech;
                                            -- undoing that review lifts the suspension
    buried_until        INTEGER,            -- ms; the card is not due before this (next 4 am)
    flag                TEXT CHECK (flag IN ('red', 'orange', 'green', 'blue', 'pink',
                                             'turquoise', 'purple')),
    note                TEXT,               -- the learner's note with the flag
    leech_review        INTEGER             -- the review (id) that made the card a leech;
                                            -- NULL: not a leech
) STRICT;

-- Cram reviews are practice: logged, but ignored by the scheduler's fold, the daily limits
-- and the statistics. Existing reviews are normal ones.
ALTER TABLE review ADD COLUMN mode TEXT NOT NULL DEFAULT 'normal' CHECK (mode IN ('normal', 'cram'));
