//! Confusions: wrong answers that were another known entity of the deck, kept with their
//! review (migration 0007) and counted for `factdrill stats`. Written with their review
//! (`log::insert`: an answer, an import, a synced review); deleted with it (undo).

use rusqlite::params;

use super::{Confusion, LoggedReview, NewReview, Store, StoreError, timestamp};

/// The confusion an answer showed: the entity given instead of the card's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confused<'a> {
    /// The entity the learner gave, by its principal name.
    pub given: &'a str,
    /// The card's answer.
    pub expected: &'a str,
}

/// What `Store::record_with` records besides the review itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewExtra<'a> {
    pub confused: Option<Confused<'a>>,
    /// `recognition`, `recall` or `ordering` (`session::format::Format`).
    pub format: Option<&'a str>,
}

/// A review of the log with how it was asked, for `evaluate` per format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormattedReview {
    pub card: i64,
    pub at: jiff::Timestamp,
    pub rating: crate::schedule::Rating,
    /// The format recorded with the review, if any.
    pub format: Option<String>,
    /// The card's kind now (`deck::Kind::as_str`), for reviews without one.
    pub kind: String,
}

/// The review an answer appends to the log: `record_with`'s review and its extras.
pub(super) fn logged(review: &NewReview<'_>, extra: &ReviewExtra<'_>) -> LoggedReview {
    LoggedReview {
        reviewed_at: review.reviewed_at,
        rating: review.rating,
        answer: review.answer.to_owned(),
        verdict: review.verdict.to_owned(),
        response_ms: review.response_ms,
        scheduler: review.scheduler.to_owned(),
        cram: review.cram,
        format: extra.format.map(str::to_owned),
        confusion: extra.confused.map(|c| Confusion {
            given: c.given.to_owned(),
            expected: c.expected.to_owned(),
        }),
    }
}

/// One confused pair on one card, with how often it happened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfusedPair {
    pub deck: String,
    pub card: String,
    pub prompt: String,
    /// What the learner answered.
    pub given: String,
    /// What the card asked for.
    pub expected: String,
    pub times: u32,
    /// When it last happened.
    #[serde(serialize_with = "as_text")]
    pub last: jiff::Timestamp,
}

fn as_text<S: serde::Serializer>(at: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_string())
}

impl Store {
    /// The normal (not cram) reviews of one deck (by key) or of every deck, in the order
    /// `for_each_review` gives them (by card, then time), with the format each was asked in.
    pub fn for_each_formatted_review(
        &self,
        deck: Option<&str>,
        mut each: impl FnMut(FormattedReview),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT review.card_id, review.reviewed_at, review.rating, review_format.format,
                        card.kind
                 FROM review
                 JOIN card ON card.id = review.card_id
                 JOIN deck ON deck.id = card.deck_id
                 LEFT JOIN review_format ON review_format.review_id = review.id
                 WHERE review.mode = 'normal' AND (?1 IS NULL OR deck.key = ?1)
                 ORDER BY review.card_id, review.reviewed_at, review.uid, review.id",
            )
            .map_err(self.fail())?;
        let mut rows = stmt.query(params![deck]).map_err(self.fail())?;
        while let Some(row) = rows.next().map_err(self.fail())? {
            let rating: i64 = row.get(2).map_err(self.fail())?;
            each(FormattedReview {
                card: row.get(0).map_err(self.fail())?,
                at: timestamp(row.get(1).map_err(self.fail())?),
                rating: crate::schedule::Rating::from_number(rating)
                    .unwrap_or(crate::schedule::Rating::Again),
                format: row.get(3).map_err(self.fail())?,
                kind: row.get(4).map_err(self.fail())?,
            });
        }
        Ok(())
    }

    /// The `limit` most frequent confusions of one deck (by key) or of every deck: per card,
    /// entity given and answer expected; most often first, then most recent.
    pub fn confused_pairs(
        &self,
        deck: Option<&str>,
        limit: u32,
    ) -> Result<Vec<ConfusedPair>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT deck.key, card.key, card.prompt, confusion.given, confusion.expected,
                        count(*) AS times, max(review.reviewed_at) AS last
                 FROM confusion
                 JOIN review ON review.id = confusion.review_id
                 JOIN card ON card.id = confusion.card_id
                 JOIN deck ON deck.id = card.deck_id
                 WHERE ?1 IS NULL OR deck.key = ?1
                 GROUP BY confusion.card_id, confusion.given, confusion.expected
                 ORDER BY times DESC, last DESC, deck.key, card.key, confusion.given
                 LIMIT ?2",
            )
            .map_err(self.fail())?;
        let rows = stmt
            .query_map(params![deck, limit], |r| {
                Ok(ConfusedPair {
                    deck: r.get(0)?,
                    card: r.get(1)?,
                    prompt: r.get(2)?,
                    given: r.get(3)?,
                    expected: r.get(4)?,
                    times: r.get(5)?,
                    last: timestamp(r.get(6)?),
                })
            })
            .map_err(self.fail())?;
        rows.collect::<Result<_, _>>().map_err(self.fail())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck;
    use crate::schedule::{Fsrs, Rating, Scheduler};
    use crate::store::NewReview;

    const DECK: &str = "id: d\nname: D\ncards:\n  - {id: a, prompt: who headed it in 1932?, answer: Fritz Burde}\n  - {id: b, prompt: who headed it before?, answer: Hans Kippenberger}\n";

    fn t(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    /// Answers card `key` wrongly at `at`, confusing it with `given` when set.
    fn miss(store: &mut Store, key: &str, given: Option<&str>, at: jiff::Timestamp) {
        let card = store
            .cards(&deck::Id::parse("d").unwrap())
            .unwrap()
            .into_iter()
            .find(|c| c.key == key)
            .unwrap();
        let fsrs = Fsrs::default();
        let state = fsrs.review(&card.state, Rating::Again, at);
        let expected = if key == "a" {
            "Fritz Burde"
        } else {
            "Hans Kippenberger"
        };
        store
            .record_with(
                &NewReview {
                    handle: card.handle,
                    reviewed_at: at,
                    rating: Rating::Again,
                    answer: given.unwrap_or("nobody"),
                    verdict: "wrong",
                    response_ms: 1000,
                    scheduler: fsrs.name(),
                    state: &state,
                    previous: &card.state,
                    cram: false,
                    leech: false,
                },
                &ReviewExtra {
                    confused: given.map(|given| Confused { given, expected }),
                    format: Some("recall"),
                },
            )
            .unwrap();
    }

    #[test]
    fn confusions_are_counted_by_pair_and_undone_with_their_review() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .sync_deck(&deck::load_str(DECK).unwrap(), t("2026-01-01T00:00:00Z"))
            .unwrap();
        miss(
            &mut store,
            "a",
            Some("Hans Kippenberger"),
            t("2026-01-02T10:00:00Z"),
        );
        miss(&mut store, "a", None, t("2026-01-03T10:00:00Z"));
        miss(
            &mut store,
            "b",
            Some("Fritz Burde"),
            t("2026-01-03T11:00:00Z"),
        );
        miss(
            &mut store,
            "a",
            Some("Hans Kippenberger"),
            t("2026-01-04T10:00:00Z"),
        );
        let pairs = store.confused_pairs(None, 10).unwrap();
        let summary: Vec<(&str, &str, &str, u32)> = pairs
            .iter()
            .map(|p| {
                (
                    p.card.as_str(),
                    p.given.as_str(),
                    p.expected.as_str(),
                    p.times,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("a", "Hans Kippenberger", "Fritz Burde", 2),
                ("b", "Fritz Burde", "Hans Kippenberger", 1),
            ]
        );
        assert_eq!(pairs[0].last, t("2026-01-04T10:00:00Z"));
        assert_eq!(pairs[0].prompt, "who headed it in 1932?");
        assert_eq!(store.confused_pairs(Some("other"), 10).unwrap(), []);
        assert_eq!(store.confused_pairs(None, 1).unwrap().len(), 1);

        // Undoing the last answer to `a` takes its confusion with it.
        let a = store
            .cards(&deck::Id::parse("d").unwrap())
            .unwrap()
            .into_iter()
            .find(|c| c.key == "a")
            .unwrap();
        store
            .undo(a.handle, t("2026-01-04T10:00:00Z"), &Fsrs::default())
            .unwrap()
            .expect("a review to undo");
        let pairs = store.confused_pairs(None, 10).unwrap();
        let summary: Vec<(&str, u32, jiff::Timestamp)> = pairs
            .iter()
            .map(|p| (p.card.as_str(), p.times, p.last))
            .collect();
        // Equal counts: the most recent first.
        assert_eq!(
            summary,
            [
                ("b", 1, t("2026-01-03T11:00:00Z")),
                ("a", 1, t("2026-01-02T10:00:00Z")),
            ]
        );
    }

    #[test]
    fn formats_are_recorded_with_their_review() {
        // The format is recorded with each review; a review without one has none, and
        // its card's kind.
        let mut store = Store::open_in_memory().unwrap();
        store
            .sync_deck(&deck::load_str(DECK).unwrap(), t("2026-01-01T00:00:00Z"))
            .unwrap();
        miss(&mut store, "a", None, t("2026-01-02T10:00:00Z"));
        let b = store
            .cards(&deck::Id::parse("d").unwrap())
            .unwrap()
            .into_iter()
            .find(|c| c.key == "b")
            .unwrap();
        let fsrs = Fsrs::default();
        let at = t("2026-01-05T10:00:00Z");
        store
            .record(&NewReview {
                handle: b.handle,
                reviewed_at: at,
                rating: Rating::Good,
                answer: "Hans Kippenberger",
                verdict: "correct",
                response_ms: 1000,
                scheduler: fsrs.name(),
                state: &fsrs.review(&b.state, Rating::Good, at),
                previous: &b.state,
                cram: false,
                leech: false,
            })
            .unwrap();
        let mut formats = Vec::new();
        store
            .for_each_formatted_review(None, |r| formats.push((r.format, r.kind)))
            .unwrap();
        let recall = || (Some("recall".to_owned()), "recall".to_owned());
        assert_eq!(formats, [recall(), (None, "recall".to_owned())]);
    }
}
