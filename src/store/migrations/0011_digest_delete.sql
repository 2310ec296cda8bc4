-- The statistics digest's delete trigger (0010) matched `digest_added` by review id alone.
-- A row left there by another card (a review inserted below a deck's watermark, then deleted
-- before that deck was refreshed; ids are reused after the last row goes) then hid a real
-- removal of a folded review: its share stayed in the digest for good. Now a review's
-- `digest_added` row is matched by (id, card) and goes with the review, so it can never
-- stand for another one.
DROP TRIGGER digest_review_delete;

CREATE TRIGGER digest_review_delete AFTER DELETE ON review
WHEN OLD.id <= (SELECT watermark FROM digest_deck
                WHERE deck_id = (SELECT deck_id FROM card WHERE id = OLD.card_id))
BEGIN
    INSERT INTO digest_removed (id, card_id, reviewed_at, uid, rating, verdict, response_ms)
    SELECT OLD.id, OLD.card_id, OLD.reviewed_at, OLD.uid, OLD.rating, OLD.verdict,
           OLD.response_ms
    WHERE OLD.mode = 'normal'
      AND NOT EXISTS (SELECT 1 FROM digest_added WHERE id = OLD.id AND card_id = OLD.card_id);
    DELETE FROM digest_added WHERE id = OLD.id AND card_id = OLD.card_id;
END;

-- Rows a 0010 database may already hold for reviews that are gone.
DELETE FROM digest_added
WHERE NOT EXISTS (SELECT 1 FROM review WHERE review.id = digest_added.id
                                         AND review.card_id = digest_added.card_id);
