-- factdrill schema v3: FSRS-6 parameters fitted to the learner's own review log
-- (`factdrill optimize --save`). Additive: nothing else changes.

CREATE TABLE fsrs_params (
    scope        TEXT    NOT NULL PRIMARY KEY, -- a deck's key, or '' for every deck
    parameters   TEXT    NOT NULL,             -- JSON array of the 21 numbers w0..w20
    fitted_at    INTEGER NOT NULL,             -- ms since the Unix epoch, UTC
    review_count INTEGER NOT NULL CHECK (review_count >= 0), -- reviews in the log fitted to
    item_count   INTEGER NOT NULL CHECK (item_count >= 0),   -- of them, the ones predicted
    log_loss     REAL    NOT NULL              -- the fit's log loss on those reviews
) STRICT;
