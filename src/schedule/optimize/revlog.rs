//! A review-log file (the CSV `card_id,review_time,rating` of `docs/formats.md`, or
//! factdrill's JSON export), already parsed by `exchange`, as the optimizer's `Log`. Pure.

use jiff::tz::TimeZone;

use super::dataset::Log;
use crate::store::{CardRef, ImportedReview};

/// Groups the reviews by card (a CSV card number, or a JSON deck and card id), each card's
/// reviews in time order, whatever order the file lists them in.
pub fn log_from_file(reviews: &[ImportedReview], tz: &TimeZone) -> Log {
    // Numbered cards (CSV) in numeric order, then named ones (JSON) by deck and card: the
    // order the database lists cards in after an import, so both give the same batches.
    let mut keyed: Vec<((i64, String), &ImportedReview)> = reviews
        .iter()
        .map(|r| {
            let key = match &r.card {
                CardRef::Number(n) => (*n, String::new()),
                CardRef::Key { deck, card, .. } => (i64::MAX, format!("{deck}\u{0}{card}")),
            };
            (key, r)
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.review.reviewed_at.cmp(&b.1.review.reviewed_at))
    });
    Log::from_reviews(
        keyed
            .into_iter()
            .map(|(key, r)| (key, r.review.reviewed_at, r.review.rating)),
        tz,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_order_does_not_matter() {
        let text = "card_id,review_time,rating\n2,1000,3\n1,90000000,3\n1,1000,1\n2,200000000,1\n";
        let reviews = crate::exchange::parse(text).unwrap();
        let log = log_from_file(&reviews, &TimeZone::UTC);
        let cards: Vec<Vec<(u8, u32)>> = log
            .cards
            .iter()
            .map(|c| c.reviews.iter().map(|r| (r.rating, r.delta_t)).collect())
            .collect();
        // Card 1: Again at 00:00:01, Good 25 h later (study days start at 04:00: 1 day).
        // Card 2: Good at 00:00:01 (the study day before), Again 55.6 h later at 07:33: 3 days.
        assert_eq!(cards, [vec![(1, 0), (3, 1)], vec![(3, 0), (1, 3)]]);
    }
}
