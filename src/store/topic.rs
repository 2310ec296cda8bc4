//! What each card asks about (table `card_topic`, migration 0008): the kind of fact and the
//! kind of question, from the deck file (`Card::fact_kind`, `Card::question_kind`), so that
//! `stats` can group the review log by relation without reading deck files.

use rusqlite::{Transaction, params};

use crate::deck::Card;

/// Stores the topic of each of `cards`, cards of the deck with row id `deck_row` (the card
/// rows exist: `sync_deck` has just written them).
pub(super) fn save(tx: &Transaction<'_>, deck_row: i64, cards: &[Card]) -> rusqlite::Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO card_topic (card_id, fact, question)
         SELECT id, ?3, ?4 FROM card WHERE deck_id = ?1 AND key = ?2
         ON CONFLICT (card_id) DO UPDATE SET fact = excluded.fact, question = excluded.question",
    )?;
    for card in cards {
        upsert.execute(params![
            deck_row,
            card.id.as_str(),
            card.fact_kind().map(crate::facts::Kind::as_str),
            card.question_kind()
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::deck;
    use crate::store::Store;

    fn topics(store: &Store) -> Vec<(String, Option<String>, Option<String>)> {
        store
            .catalog(None)
            .unwrap()
            .cards
            .into_iter()
            .map(|c| (c.key, c.fact, c.question))
            .collect()
    }

    #[test]
    fn syncing_a_deck_stores_what_each_card_asks_about() {
        let mut store = Store::open_in_memory().unwrap();
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let v1 = "id: d\nname: D\ncards:\n  - {id: a, prompt: p, answer: x, tags: [head]}\n  - {id: b, prompt: p, answer: y}\n";
        store.sync_deck(&deck::load_str(v1).unwrap(), now).unwrap();
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            topics(&store),
            [
                ("a".into(), some("head"), some("recall")),
                ("b".into(), None, some("recall")),
            ]
        );
        // An edited file updates them.
        let v2 = "id: d\nname: D\ncards:\n  - {id: a, prompt: p, answer: x, tags: [location]}\n  - {id: b, prompt: p, answer: y, tags: [date], generated: date-0123456789.recall-event 0123456789}\n";
        store.sync_deck(&deck::load_str(v2).unwrap(), now).unwrap();
        assert_eq!(
            topics(&store),
            [
                ("a".into(), some("location"), some("recall")),
                ("b".into(), some("date"), some("recall-event")),
            ]
        );
    }
}
