-- factdrill schema v4: card marks as events, so they travel through sync (docs/sync.md).
--
-- Every change of a card's marks (suspend, unsuspend, bury, unbury, flag, unflag, leech) is
-- an event with its own UUIDv7 and the device that made it, kept for good: the log of marks
-- merges between devices as a set union, like the review log. A card's marks are the fold
-- of its events in id order (src/mark.rs); `card_mark` stays as the cache of that fold, so
-- the due queries stay cheap. Its review columns now hold the local row of the review a
-- leech event names by uid.
CREATE TABLE mark_event (
    uid     TEXT    NOT NULL PRIMARY KEY,       -- UUIDv7; events fold in this order
    device  TEXT    NOT NULL,                   -- the device that made the change
    card_id INTEGER NOT NULL REFERENCES card(id),
    at      INTEGER NOT NULL,                   -- ms since the Unix epoch: when it was made
    change  TEXT    NOT NULL CHECK (change IN ('suspend', 'unsuspend', 'bury', 'unbury',
                                               'flag', 'unflag', 'leech')),
    until   INTEGER CHECK ((change = 'bury') = (until IS NOT NULL)),   -- bury: ms
    flag    TEXT    CHECK ((change = 'flag') = (flag IS NOT NULL) AND
                           flag IN ('red', 'orange', 'green', 'blue', 'pink', 'turquoise',
                                    'purple')),
    note    TEXT,                                -- flag: the learner's note
    review  TEXT    CHECK ((change = 'leech') = (review IS NOT NULL))  -- leech: the review's uid
) STRICT, WITHOUT ROWID;

CREATE INDEX mark_event_by_card ON mark_event (card_id, uid);

CREATE TRIGGER mark_event_is_append_only BEFORE UPDATE ON mark_event
BEGIN
    SELECT RAISE(ABORT, 'the mark log is append-only');
END;

-- Mark events (by uid) that a file in the sync folder holds; `sync_seen` is for reviews and
-- deletions.
CREATE TABLE sync_seen_mark (
    uid TEXT NOT NULL PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- The marks set before this version become events of this device, so the first sync sends
-- them: a suspension the learner set, a leech (by its review's uid; the suspension it caused
-- comes with it), a burial and a flag (at the time of the upgrade: when they were set was
-- not kept).
CREATE TEMP TABLE old_mark AS
SELECT m.card_id, 'suspend' AS change, m.suspended_at AS at, NULL AS until, NULL AS flag,
       NULL AS note, NULL AS review
FROM card_mark AS m WHERE m.suspended_at IS NOT NULL AND m.suspended_by_review IS NULL
UNION ALL
SELECT m.card_id, 'leech', r.reviewed_at, NULL, NULL, NULL, r.uid
FROM card_mark AS m JOIN review AS r ON r.id = m.suspended_by_review
WHERE m.suspended_at IS NOT NULL
UNION ALL
SELECT m.card_id, 'leech', r.reviewed_at, NULL, NULL, NULL, r.uid
FROM card_mark AS m JOIN review AS r ON r.id = m.leech_review
WHERE m.leech_review IS NOT m.suspended_by_review OR m.suspended_at IS NULL
UNION ALL
SELECT m.card_id, 'bury', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
       m.buried_until, NULL, NULL, NULL
FROM card_mark AS m WHERE m.buried_until IS NOT NULL
UNION ALL
SELECT m.card_id, 'flag', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
       NULL, m.flag, m.note, NULL
FROM card_mark AS m WHERE m.flag IS NOT NULL;

INSERT INTO mark_event (uid, device, card_id, at, change, until, flag, note, review)
SELECT substr(printf('%012x', max(min(at, 281474976710655), 0)), 1, 8) || '-' ||
       substr(printf('%012x', max(min(at, 281474976710655), 0)), 9, 4) || '-7' ||
       substr(lower(hex(randomblob(2))), 2, 3) || '-' ||
       substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2, 3) || '-' ||
       lower(hex(randomblob(6))),
       coalesce((SELECT value FROM meta WHERE key = 'device_id'), ''),
       card_id, at, change, until, flag, note, review
FROM temp.old_mark;

DROP TABLE temp.old_mark;
