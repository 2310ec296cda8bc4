//! Keeps the statistics digest (`digest.rs`, stored by the store) current with the review
//! log, one deck at a time, each in its own transaction:
//!
//! - a deck never digested, or digested under other settings (its scheduler fingerprint:
//!   algorithm and parameters, so `optimize --save`, a deck file's `parameters:` or
//!   `scheduler:`; the time zone; the digest's format), is rebuilt from its whole log;
//! - otherwise only what changed since the last refresh is folded in. Reviews with an id
//!   above the deck's watermark that sort after a card's last folded review are folded onto
//!   its stored state. A card whose folded log changed in any other way (a review deleted by
//!   undo or a sync tombstone, a review imported or synced older than its last one, an old id
//!   reused: the migration's triggers record deletions and reused ids) has its old share,
//!   replayed from the log as it was folded, taken out of the deck's tallies and its whole
//!   log folded again. Replaying the old log must give the stored fold back; if it does not
//!   (the tables were edited by hand), the deck is rebuilt.
//!
//! Retiring a card, suspending it, or editing its text changes no review: the report applies
//! those when it reads the digest.

use std::collections::BTreeSet;

use jiff::tz::TimeZone;

use super::digest::{CardFold, DayFinder, Tallies};
use crate::schedule::Scheduler;
use crate::store::{DigestMark, DigestTx, LogRow, Store, StoreError, StoredFold, StoredRead};

/// Changes whenever what the digest holds, or how it is computed, changes.
const FORMAT: u32 = 1;

/// A deck to refresh.
pub struct DeckSchedule<'a> {
    /// The deck's row id.
    pub handle: i64,
    pub scheduler: &'a dyn Scheduler,
    /// Every setting of the scheduler (a different one replays differently).
    pub fingerprint: &'a str,
}

/// What a refresh did, for tests and timings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Decks rebuilt from their whole log.
    pub rebuilt: usize,
    /// Cards whose new reviews were folded onto their stored state.
    pub extended: usize,
    /// Cards whose share was taken out and whose whole log was folded again.
    pub refolded: usize,
}

/// The digest's fingerprint of a deck scheduled by `scheduler` (its fingerprint) in `tz`.
fn fingerprint(scheduler: &str, tz: &TimeZone) -> String {
    let zone = tz
        .iana_name()
        .map_or_else(|| format!("{tz:?}"), str::to_owned);
    format!("digest {FORMAT}; time zone {zone}; {scheduler}")
}

/// Brings the digest of `decks` up to date with the log. A database that turns out not to
/// be writable gets its digest computed in memory (`Store::digest_in_memory`).
pub fn refresh(
    store: &mut Store,
    decks: &[DeckSchedule<'_>],
    tz: &TimeZone,
) -> Result<Refreshed, StoreError> {
    match refresh_in(store, decks, tz) {
        Err(StoreError::ReadOnly { .. }) => {
            store.digest_in_memory()?;
            refresh_in(store, decks, tz)
        }
        done => done,
    }
}

/// One transaction per deck: a deck rebuilt from its whole log (a second or so at 200k
/// reviews) holds the write lock for that deck only, so a study session answering at the
/// same time waits at most that long (its busy timeout is 10 s), never for every deck.
fn refresh_in(
    store: &mut Store,
    decks: &[DeckSchedule<'_>],
    tz: &TimeZone,
) -> Result<Refreshed, StoreError> {
    let mut days = DayFinder::new(tz);
    let mut done = Refreshed::default();
    for deck in decks {
        let tx = store.digest()?;
        let mark = DigestMark {
            fingerprint: fingerprint(deck.fingerprint, tz),
            watermark: tx.max_review_id()?,
        };
        let fresh = match tx.mark(deck.handle)? {
            Some(old) if old.fingerprint == mark.fingerprint => {
                update(&tx, deck, old.watermark, &mut days, &mut done)?
            }
            _ => false,
        };
        if !fresh {
            if let Some((first, last)) = tx.review_span()? {
                days.cover(first, last);
            }
            rebuild(&tx, deck, &mut days)?;
            done.rebuilt += 1;
        }
        if tx.mark(deck.handle)?.as_ref() != Some(&mark) {
            tx.set_mark(deck.handle, &mark)?;
        }
        tx.commit()?;
    }
    Ok(done)
}

/// Folds a deck's whole log into a digest emptied first.
fn rebuild(
    tx: &DigestTx<'_>,
    deck: &DeckSchedule<'_>,
    days: &mut DayFinder<'_>,
) -> Result<(), StoreError> {
    tx.clear_deck(deck.handle)?;
    let seeds = tx.card_seeds(deck.handle)?;
    let mut tallies = Tallies::default();
    let mut current: Option<StoredFold> = None;
    tx.for_each_review(deck.handle, |log| {
        let card = log.row.card;
        if current.as_ref().is_none_or(|c| c.card != card) {
            if let Some(done) = current.take() {
                tx.save_fold(deck.handle, &done)?;
            }
            current = Some(StoredFold {
                card,
                fold: CardFold::new(seeds.get(&card).copied().unwrap_or(0)),
                last: log.key.clone(),
            });
        }
        let stored = current.as_mut().expect("set just above");
        let day = days.day(log.row.at);
        stored
            .fold
            .push(deck.scheduler, &log.row, day, &mut tallies);
        stored.last = log.key;
        Ok(())
    })?;
    if let Some(done) = current {
        tx.save_fold(deck.handle, &done)?;
    }
    tx.add_tallies(deck.handle, &tallies)
}

/// Folds `log` (one card's reviews, in log order) onto `stored`, adding to `tallies`.
fn fold_onto(
    stored: &mut StoredFold,
    log: impl IntoIterator<Item = LogRow>,
    scheduler: &dyn Scheduler,
    days: &mut DayFinder<'_>,
    tallies: &mut Tallies,
) {
    for entry in log {
        let day = days.day(entry.row.at);
        stored.fold.push(scheduler, &entry.row, day, tallies);
        stored.last = entry.key;
    }
}

/// Folds in what changed since `watermark`. Returns false when the stored digest does not
/// match the log it was folded from (the deck must be rebuilt; nothing was written then).
fn update(
    tx: &DigestTx<'_>,
    deck: &DeckSchedule<'_>,
    watermark: i64,
    days: &mut DayFinder<'_>,
    done: &mut Refreshed,
) -> Result<bool, StoreError> {
    let mut changed: BTreeSet<i64> = tx.changed_cards(deck.handle)?.into_iter().collect();
    let new = tx.new_reviews(deck.handle, watermark)?;
    if changed.is_empty() && new.is_empty() {
        return Ok(true);
    }
    let mut tallies = Tallies::default();
    let mut extended = Vec::new();
    for group in new.chunk_by(|a, b| a.row.card == b.row.card) {
        let card = group[0].row.card;
        if changed.contains(&card) {
            continue;
        }
        let mut stored = match tx.fold(card)? {
            StoredRead::Found(stored) if group[0].key > stored.last => *stored,
            // Older than the card's last folded review: its replay changes from there on.
            StoredRead::Found(_) => {
                changed.insert(card);
                continue;
            }
            StoredRead::Damaged => return Ok(false),
            StoredRead::Missing => StoredFold {
                card,
                fold: CardFold::new(tx.card_seed(card)?),
                last: group[0].key.clone(),
            },
        };
        fold_onto(
            &mut stored,
            group.iter().cloned(),
            deck.scheduler,
            days,
            &mut tallies,
        );
        extended.push(stored);
    }
    let mut refolded = Vec::new();
    for &card in &changed {
        let found = tx.fold(card)?;
        if found == StoredRead::Damaged {
            return Ok(false);
        }
        if let StoredRead::Found(stored) = found {
            // The card's share as folded: replaying its log as it was must give it back.
            let mut old = StoredFold {
                card,
                fold: CardFold::new(stored.fold.state.fuzz_seed),
                last: stored.last.clone(),
            };
            let mut share = Tallies::default();
            fold_onto(
                &mut old,
                tx.folded_log(card, watermark)?,
                deck.scheduler,
                days,
                &mut share,
            );
            if old != *stored {
                return Ok(false);
            }
            tallies.merge(&share, -1);
        }
        let log = tx.card_log(card)?;
        let Some(first) = log.first() else {
            refolded.push((card, None));
            continue;
        };
        let mut stored = StoredFold {
            card,
            fold: CardFold::new(tx.card_seed(card)?),
            last: first.key.clone(),
        };
        fold_onto(&mut stored, log, deck.scheduler, days, &mut tallies);
        refolded.push((card, Some(stored)));
    }
    // Written only now: a mismatch above leaves nothing half-updated.
    for stored in &extended {
        tx.save_fold(deck.handle, stored)?;
    }
    for (card, stored) in &refolded {
        match stored {
            Some(stored) => tx.save_fold(deck.handle, stored)?,
            None => tx.drop_fold(*card)?,
        }
    }
    tx.add_tallies(deck.handle, &tallies)?;
    tx.clear_changes(deck.handle)?;
    done.extended += extended.len();
    done.refolded += refolded.len();
    Ok(true)
}
