//! The queue rules of a session (`docs/scheduling.md`, "Study sessions"): which of the
//! plan's cards are shown, in what order, and which are held back by which rule. Pure: the
//! cards' states, the time and the plan in; the queue (indices into the plan's cards) and
//! the `Held` counts out.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use super::{DeckPlan, Filter, Held, LEARN_AHEAD, Options, StudyCard, format};
use crate::schedule::{Phase, Scheduler};

/// The inputs of the queue rules.
pub(super) struct Queue<'a> {
    pub(super) cards: &'a [StudyCard],
    pub(super) decks: &'a [DeckPlan],
    pub(super) schedulers: &'a [Box<dyn Scheduler>],
    pub(super) now: Timestamp,
    pub(super) day_start: Timestamp,
    pub(super) day_end: Timestamp,
}

impl Queue<'_> {
    pub(super) fn build(&self, options: &Options) -> (Vec<usize>, Held) {
        let cards = self.cards;
        let mut learning = Vec::new();
        let mut reviews = Vec::new();
        let mut new = Vec::new();
        for (index, sc) in cards.iter().enumerate() {
            if !options.filter.admits(&sc.card) {
                continue;
            }
            match sc.state.phase {
                Phase::New => new.push(index),
                Phase::Learning | Phase::Relearning => {
                    if sc.state.due.is_none_or(|d| d <= self.now + LEARN_AHEAD) {
                        learning.push(index);
                    }
                }
                Phase::Review => {
                    if sc.state.due.is_none_or(|d| d < self.day_end) {
                        reviews.push(index);
                    }
                }
            }
        }
        learning.sort_by_key(|&i| (cards[i].state.due, i));
        // Most at risk first: the lowest probability of recall now.
        let risk: Vec<f64> = cards
            .iter()
            .map(|sc| recall_now(sc, self.schedulers, self.now))
            .collect();
        reviews.sort_by(|&a, &b| {
            risk[a]
                .total_cmp(&risk[b])
                .then_with(|| (cards[a].state.due, a).cmp(&(cards[b].state.due, b)))
        });

        // Sibling burying: one card per fact a day. A fact is taken by any card of it that
        // was reviewed today or is a learning card of this session.
        let mut taken: HashSet<(usize, &str)> = cards
            .iter()
            .filter(|sc| {
                sc.state.last_review.is_some_and(|t| t >= self.day_start)
                    || matches!(sc.state.phase, Phase::Learning | Phase::Relearning)
            })
            .map(|sc| (sc.deck, sc.card.sibling()))
            .collect();
        let mut held = Held::default();
        let mut deck_reviews: Vec<u32> = self
            .decks
            .iter()
            .map(|d| d.reviews_per_day.saturating_sub(d.reviewed_today))
            .collect();
        let mut deck_new: Vec<u32> = self
            .decks
            .iter()
            .map(|d| d.new_per_day.saturating_sub(d.introduced_today))
            .collect();
        let g = options.global;
        let mut global_reviews = g
            .reviews_per_day
            .map_or(u32::MAX, |n| n.saturating_sub(g.reviewed_today));
        let mut global_new = g
            .new_per_day
            .map_or(u32::MAX, |n| n.saturating_sub(g.introduced_today));
        let mut admit = |list: Vec<usize>, is_new: bool, held: &mut Held| -> Vec<usize> {
            let mut kept = Vec::new();
            for i in list {
                let sc = &cards[i];
                let (deck_left, global_left) = if is_new {
                    (&mut deck_new[sc.deck], &mut global_new)
                } else {
                    (&mut deck_reviews[sc.deck], &mut global_reviews)
                };
                if taken.contains(&(sc.deck, sc.card.sibling())) {
                    held.siblings += 1;
                } else if *deck_left == 0 {
                    let count = if is_new {
                        &mut held.new
                    } else {
                        &mut held.reviews
                    };
                    *count += 1;
                } else if *global_left == 0 {
                    let count = if is_new {
                        &mut held.new_global
                    } else {
                        &mut held.reviews_global
                    };
                    *count += 1;
                } else {
                    *deck_left -= 1;
                    *global_left -= 1;
                    taken.insert((sc.deck, sc.card.sibling()));
                    kept.push(i);
                }
            }
            kept
        };
        let mut reviews = admit(reviews, false, &mut held);
        let mut new = admit(new, true, &mut held);
        self.choose_formats([&mut reviews, &mut new], options, &risk);
        // Learning steps are part of learning a card, not extra reviews: never held.
        let mut queue = learning;
        queue.extend(interleave(&reviews, &new));
        (queue, held)
    }
}

impl Queue<'_> {
    /// Replaces each queued card by the card of its fact in the format its memory calls for
    /// (`format::choose`): one card per fact still, only which one changes.
    fn choose_formats(&self, lists: [&mut Vec<usize>; 2], options: &Options, risk: &[f64]) {
        let (Some(thresholds), filter) = (options.format, &options.filter) else {
            return;
        };
        let mut facts: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
        for (i, sc) in self.cards.iter().enumerate() {
            if filter.admits(&sc.card) {
                facts
                    .entry((sc.deck, sc.card.sibling()))
                    .or_default()
                    .push(i);
            }
        }
        for slot in lists.into_iter().flatten() {
            let sc = &self.cards[*slot];
            let Some(fact) = facts.get(&(sc.deck, sc.card.sibling())) else {
                continue;
            };
            if fact.len() < 2 {
                continue;
            }
            let members: Vec<&StudyCard> = fact.iter().map(|&i| &self.cards[i]).collect();
            let wanted = format::wanted(&members, self.schedulers, self.now, thresholds);
            *slot = format::choose(*slot, fact, self.cards, wanted, |i| {
                // Never-reviewed cards last: their recall is unknown, not certain.
                if self.cards[i].state.memory.is_none() {
                    f64::INFINITY
                } else {
                    risk[i]
                }
            });
        }
    }
}

/// The probability of recalling a card now: the scheduler's, or for a scheduler without a
/// memory model (SM-2) the same curve's shape, 0.9 at the due date, `0.9^(elapsed/interval)`.
fn recall_now(sc: &StudyCard, schedulers: &[Box<dyn Scheduler>], now: Timestamp) -> f64 {
    if let Some(r) = schedulers
        .get(sc.deck)
        .and_then(|s| s.retrievability(&sc.state, now))
    {
        return r;
    }
    match (sc.state.last_review, sc.state.interval()) {
        (Some(last), Some(interval)) if interval.as_secs() > 0 => {
            let elapsed = now.duration_since(last).as_secs_f64().max(0.0);
            0.9_f64.powf(elapsed / interval.as_secs_f64())
        }
        _ => 1.0,
    }
}

/// New cards spread evenly among the reviews: with R reviews and N new cards, the j-th new
/// card (1-based) comes after the ⌈j·R/(N+1)⌉-th review.
pub(super) fn interleave(reviews: &[usize], new: &[usize]) -> Vec<usize> {
    let (r, n) = (reviews.len(), new.len());
    let mut out = Vec::with_capacity(r + n);
    let mut next_review = 0;
    for (j, &card) in new.iter().enumerate() {
        let after = ((j + 1) * r).div_ceil(n + 1);
        out.extend_from_slice(&reviews[next_review..after]);
        next_review = after;
        out.push(card);
    }
    out.extend_from_slice(&reviews[next_review..]);
    out
}

/// A cram session's queue: every card the filter admits, seen cards least likely recalled
/// first, then new cards in deck order.
pub(super) fn cram_queue(
    cards: &[StudyCard],
    filter: &Filter,
    schedulers: &[Box<dyn Scheduler>],
    now: Timestamp,
) -> Vec<usize> {
    let (mut seen, new): (Vec<usize>, Vec<usize>) = (0..cards.len())
        .filter(|&i| filter.admits(&cards[i].card))
        .partition(|&i| cards[i].state.phase != Phase::New);
    let risk: Vec<f64> = cards
        .iter()
        .map(|sc| recall_now(sc, schedulers, now))
        .collect();
    seen.sort_by(|&a, &b| risk[a].total_cmp(&risk[b]).then(a.cmp(&b)));
    seen.extend(new);
    seen
}
