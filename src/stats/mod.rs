//! Progress reports computed from the store: the numbers only; `term` draws them and
//! `to_json` exports them.
//!
//! `Snapshot` is the one-screen summary; `progress::Report` adds every chart of
//! `factdrill stats` (one file per kind of report: `calendar`, `retention`, `calibration`,
//! `cards`), computed from the statistics digest (`digest`, kept current by `refresh`)
//! rather than a replay of the whole log. `docs/statistics.md` defines each number.

pub mod calendar;
pub mod calibration;
pub mod cards;
pub mod digest;
pub mod progress;
pub mod refresh;
pub mod retention;

pub use progress::{Options, Report};

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::day::Day;
use crate::deck::Id;
use crate::schedule::{CardState, Rating, Scheduler, replay_seeded};
use crate::store::{Activity, CardHistory, PhaseCounts, Store, StoreError, card_seed};

/// A first, honest summary: cards by phase, today's reviews, what is due.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub now: Timestamp,
    pub day: Day,
    pub phases: PhaseCounts,
    pub retired: u32,
    pub today: Activity,
    pub total_reviews: i64,
    /// Seen cards due at or before now.
    pub due_now: u32,
    /// Seen cards due before the end of today (including `due_now`).
    pub due_today: u32,
    /// Seen cards due during tomorrow.
    pub due_tomorrow: u32,
    pub next_due: Option<Timestamp>,
}

impl Snapshot {
    pub fn collect(store: &Store, now: Timestamp, tz: &TimeZone) -> Result<Self, StoreError> {
        Self::collect_for(store, None, now, tz)
    }

    /// The snapshot of one deck (by key), or of every deck.
    pub fn collect_for(
        store: &Store,
        deck: Option<&str>,
        now: Timestamp,
        tz: &TimeZone,
    ) -> Result<Self, StoreError> {
        let total = store.review_count_in(deck)?;
        let tomorrow = Day::containing(now, tz).next(tz);
        let mut due = Vec::new();
        store.for_each_due(deck, tomorrow.end, |at| due.push(at))?;
        Self::collect_counted(store, deck, now, tz, total, &due)
    }

    /// `collect_for`, given the number of reviews in the log of the selected decks (the
    /// statistics digest knows it; counting them reads the whole log) and the due times of
    /// their active seen cards, every one before the end of tomorrow at least (the forecast
    /// reads them anyway).
    pub fn collect_counted(
        store: &Store,
        deck: Option<&str>,
        now: Timestamp,
        tz: &TimeZone,
        total_reviews: i64,
        due: &[Timestamp],
    ) -> Result<Self, StoreError> {
        let day = Day::containing(now, tz);
        let tomorrow = day.next(tz);
        let count = |before: Timestamp| due.iter().filter(|&&at| at < before).count() as u32;
        let due_today = count(day.end);
        let (phases, retired) = store.phase_counts_in(deck)?;
        // A key that is not a valid id names no deck: nothing happened in it today.
        let today = match deck.map(Id::parse) {
            None => store.activity(None, day.start, day.end)?,
            Some(Ok(id)) => store.activity(Some(&id), day.start, day.end)?,
            Some(Err(_)) => Activity::default(),
        };
        // Every due time before tomorrow's end is in `due`: its least is the least of all.
        let next_due = match due.iter().min() {
            Some(&at) => Some(at),
            None => store.next_due_in(deck)?,
        };
        Ok(Self {
            now,
            day,
            phases,
            retired,
            today,
            total_reviews,
            due_now: count(now + jiff::SignedDuration::from_millis(1)),
            due_today,
            due_tomorrow: count(tomorrow.end).saturating_sub(due_today),
            next_due,
        })
    }

    pub fn active_cards(&self) -> u32 {
        let p = self.phases;
        p.new + p.learning + p.review + p.relearning
    }

    /// Share of today's answers that were right, if there were any.
    pub fn correct_today(&self) -> Option<f64> {
        (self.today.reviews > 0)
            .then(|| f64::from(self.today.correct) / f64::from(self.today.reviews))
    }

    pub fn to_json(&self) -> serde_json::Value {
        let p = self.phases;
        json!({
            "now": self.now.to_string(),
            "day": {
                "date": self.day.date.to_string(),
                "start": self.day.start.to_string(),
                "end": self.day.end.to_string(),
            },
            "cards": {
                "active": self.active_cards(),
                "new": p.new,
                "learning": p.learning,
                "review": p.review,
                "relearning": p.relearning,
                "suspended": p.suspended,
                "retired": self.retired,
            },
            "today": {
                "reviews": self.today.reviews,
                "correct": self.today.correct,
                "new_cards": self.today.introduced,
            },
            "reviews_total": self.total_reviews,
            "due": {
                "now": self.due_now,
                "today": self.due_today,
                "tomorrow": self.due_tomorrow,
                "next": self.next_due.map(|t| t.to_string()),
            },
        })
    }
}

/// The study streak as of `now` (`calendar::Streak`, the same numbers `factdrill stats`
/// shows), from the review times alone: cheap enough for the end of a session.
pub fn streak(
    store: &Store,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<calendar::Streak, StoreError> {
    let Some((first, _)) = store.review_span(None)? else {
        return Ok(calendar::Streak::default());
    };
    let calendar = calendar::Calendar::new(first, now, tz);
    let mut days = vec![0u32; calendar.len()];
    store.for_each_review_time(|at| {
        if let Some(day) = calendar.index(at).and_then(|i| days.get_mut(i)) {
            *day += 1;
        }
    })?;
    let today = calendar.index(now).unwrap_or(days.len().saturating_sub(1));
    Ok(calendar::Streak::of(&days, today))
}

/// The current study streak as of `now` (`Streak::current`: the run of days with a review
/// that ends today, or yesterday while today has none yet), found by stepping back through
/// the log a day at a time: a few index look-ups per day of the streak, where `streak`
/// reads every review. The study summary needs only this number.
pub fn current_streak(store: &Store, now: Timestamp, tz: &TimeZone) -> Result<u32, StoreError> {
    let previous = |day: &Day| day.date.yesterday().map(|date| Day::of(date, tz)).ok();
    let mut expected = Day::containing(now, tz);
    let mut before = expected.end;
    let mut current = 0;
    while let Some(at) = store.last_review_before(before)? {
        let reviewed = Day::containing(at, tz);
        let yesterday = previous(&expected);
        let in_run = reviewed.date == expected.date
            // Today may have no review yet: the streak then ends yesterday.
            || (current == 0 && yesterday.is_some_and(|y| y.date == reviewed.date));
        if !in_run {
            break;
        }
        current += 1;
        before = reviewed.start;
        match previous(&reviewed) {
            Some(day) => expected = day,
            None => break,
        }
    }
    Ok(current)
}

/// One card's schedule, as Anki's card info shows it: its log, its state replayed from that
/// log, its recall probability now and what each rating would do.
#[derive(Debug, Clone, PartialEq)]
pub struct CardReport {
    pub history: CardHistory,
    pub scheduler: &'static str,
    pub state: CardState,
    pub now: Timestamp,
    pub retrievability: Option<f64>,
    pub next_intervals: [SignedDuration; 4],
}

impl CardReport {
    /// Replays the card's log under `scheduler`, starting from the card's fuzz seed.
    pub fn new(history: CardHistory, scheduler: &dyn Scheduler, now: Timestamp) -> Self {
        let seed = card_seed(&history.deck, &history.card);
        let log: Vec<(Rating, Timestamp)> = history
            .reviews
            .iter()
            // Cram reviews are practice: the scheduler's fold ignores them.
            .filter(|r| !r.cram)
            .map(|r| (r.rating, r.reviewed_at))
            .collect();
        let state = replay_seeded(scheduler, seed, &log);
        Self {
            retrievability: scheduler.retrievability(&state, now),
            next_intervals: scheduler.next_intervals(&state, now),
            scheduler: scheduler.name(),
            history,
            state,
            now,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let s = &self.state;
        json!({
            "deck": self.history.deck,
            "card": self.history.card,
            "prompt": self.history.prompt,
            "answer": self.history.answer,
            "retired": self.history.retired,
            "scheduler": self.scheduler,
            "state": {
                "phase": s.phase.as_str(),
                "step": s.step,
                "stability_days": s.memory.map(|m| m.stability),
                "difficulty": s.memory.map(|m| m.difficulty),
                "ease": s.sm2.map(|m| m.ease),
                "reps": s.reps,
                "lapses": s.lapses,
                "last_review": s.last_review.map(|t| t.to_string()),
                "due": s.due.map(|t| t.to_string()),
            },
            "retrievability": self.retrievability,
            "next_interval_seconds": {
                "again": self.next_intervals[0].as_secs(),
                "hard": self.next_intervals[1].as_secs(),
                "good": self.next_intervals[2].as_secs(),
                "easy": self.next_intervals[3].as_secs(),
            },
            "reviews": self.history.reviews.iter().map(|r| json!({
                "at": r.reviewed_at.to_string(),
                "rating": r.rating.number(),
                "answer": r.answer,
                "verdict": r.verdict,
                "response_ms": r.response_ms,
                "scheduler": r.scheduler,
                "cram": r.cram,
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CardRef, ImportedReview, LoggedReview};

    fn review(at: Timestamp, cram: bool) -> ImportedReview {
        ImportedReview {
            card: CardRef::Number(1 + at.as_second() % 7),
            uid: None,
            device: None,
            review: LoggedReview {
                reviewed_at: at,
                rating: Rating::Good,
                answer: String::new(),
                verdict: "correct".into(),
                response_ms: 0,
                scheduler: "fsrs-6".into(),
                cram,
                format: None,
                confusion: None,
            },
        }
    }

    /// Stepping back a day at a time counts the same streak as counting every review's day,
    /// whatever the gaps, the hour of the reviews around the 4 am rollover, cram reviews (not
    /// study days) and the time of day "now" is.
    #[test]
    fn the_current_streak_stepped_back_equals_the_one_counted_from_every_review() {
        let tz = TimeZone::get("Europe/London").unwrap();
        let start: Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
        let hour = SignedDuration::from_hours(1);
        let mut store = Store::open_in_memory().unwrap();
        let mut reviews = Vec::new();
        // Days 0-9 studied, a gap, 12-20 studied (around the DST change of 29 March), a day
        // with only cram, 22-40 studied at 3 am (the day before, by the rollover) and noon.
        for day in (0..10).chain(12..21).chain(22..41) {
            let noon = start + hour * (24 * day);
            reviews.push(review(noon, false));
            reviews.push(review(noon + hour * 15, false)); // 3 am the next date
        }
        reviews.push(review(start + hour * (24 * 21), true));
        store.import_reviews(&reviews, start).unwrap();
        let mut nonzero = 0;
        for h in (0..24 * 44).step_by(5) {
            let now = start + hour * h;
            let stepped = current_streak(&store, now, &tz).unwrap();
            let counted = streak(&store, now, &tz).unwrap().current;
            assert_eq!(stepped, counted, "now {now}");
            nonzero += usize::from(counted > 1);
        }
        assert!(nonzero > 50);
        assert_eq!(
            current_streak(&Store::open_in_memory().unwrap(), start, &tz).unwrap(),
            0
        );
    }
}
