//! The full progress report behind `factdrill stats`: one pass over the review log in card
//! order (streamed by the store) replays each card under its deck's scheduler and feeds
//! every per-day, per-card and per-review report at once; due times feed the forecast.
//!
//! The `Collector` is pure (rows in, numbers out); `Report::collect` is the glue that asks
//! the store for rows.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde_json::json;

use super::Snapshot;
use super::calendar::{Calendar, DayTotals, Heatmap, Streak};
use super::calibration::{Calibration, CalibrationBuilder};
use super::cards::{Accuracy, Candidate, HardCard, Hardest, Histogram, review_interval_days};
use super::retention::TrueRetention;
use crate::deck::Kind;
use crate::schedule::{CardState, Rating, Scheduler};
use crate::store::{Catalog, ConfusedPair, DeckInfo, ReviewRow, Store, StoreError, card_seed};

/// Days in the forecast, today included.
pub const FORECAST_DAYS: usize = 30;

/// Days of reviews shown per day by default.
pub const DEFAULT_DAYS: u32 = 30;

/// Days the calendar reaches back at least: the heatmap's 53 weeks.
const YEAR_DAYS: i64 = 371;

/// One day of the reviews-per-day chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyPoint {
    pub date: jiff::civil::Date,
    #[serde(flatten)]
    pub totals: DayTotals,
}

/// Cards coming due on one study day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastDay {
    pub date: jiff::civil::Date,
    pub due: u32,
}

/// Due cards per day for the next `FORECAST_DAYS` days. Today's count includes every card
/// already overdue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Cards due before today began (included in `days[0]`).
    pub overdue: u32,
    pub days: Vec<ForecastDay>,
}

/// Everything `factdrill stats` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub snapshot: Snapshot,
    /// The deck the report is limited to.
    pub deck: Option<String>,
    /// Each deck and the scheduler its cards were replayed with.
    pub schedulers: Vec<(String, &'static str)>,
    pub today: DayTotals,
    pub streak: Streak,
    pub heatmap: Heatmap,
    pub daily: Vec<DailyPoint>,
    pub forecast: Forecast,
    pub retention: TrueRetention,
    pub calibration: Calibration,
    pub intervals: Histogram,
    pub difficulty: Histogram,
    pub decks: Vec<Accuracy>,
    pub kinds: Vec<Accuracy>,
    /// By the kind of fact asked about (head, date, location, alias; `other` for cards that
    /// name none), those with reviews, in that order.
    pub facts: Vec<Accuracy>,
    /// By the kind of question (`Card::question_kind`), those with reviews, by name.
    pub questions: Vec<Accuracy>,
    pub most_lapses: Vec<HardCard>,
    pub lowest_recall: Vec<HardCard>,
    /// The most frequent confusions (`CONFUSIONS` at most), most often first.
    pub confusions: Vec<ConfusedPair>,
}

/// How many confused pairs `factdrill stats` lists.
pub const CONFUSIONS: u32 = 10;

/// Per-review and per-card accumulators, fed one review at a time in card order.
pub struct Collector<'a> {
    catalog: &'a Catalog,
    schedulers: &'a [Box<dyn Scheduler>],
    calendar: &'a Calendar,
    today: usize,
    now: Timestamp,
    current: Option<Current>,
    pub days: Vec<DayTotals>,
    pub retention: TrueRetention,
    pub calibration: CalibrationBuilder,
    pub intervals: Histogram,
    pub difficulty: Histogram,
    pub decks: Vec<Accuracy>,
    pub kinds: Vec<Accuracy>,
    pub facts: Vec<Accuracy>,
    pub questions: Vec<Accuracy>,
    /// For each catalog card, its group in `facts` and in `questions`.
    topics: Vec<(usize, usize)>,
    pub hardest: Hardest,
}

/// The name of the `facts` group of cards that name no kind of fact.
pub const OTHER_FACT: &str = "other";

/// The fact and question groups, and each catalog card's place in them.
fn topics(catalog: &Catalog) -> (Vec<Accuracy>, Vec<Accuracy>, Vec<(usize, usize)>) {
    let mut facts: Vec<Accuracy> = crate::facts::Kind::ALL
        .iter()
        .map(|k| Accuracy::named(k.as_str()))
        .collect();
    facts.push(Accuracy::named(OTHER_FACT));
    let names: std::collections::BTreeSet<&str> = catalog
        .cards
        .iter()
        .map(|c| c.question.as_deref().unwrap_or(c.kind.as_str()))
        .collect();
    let questions: Vec<Accuracy> = names.iter().map(|n| Accuracy::named(*n)).collect();
    let places = catalog
        .cards
        .iter()
        .map(|c| {
            let fact = c
                .fact
                .as_deref()
                .and_then(|f| facts.iter().position(|g| g.name == f))
                .unwrap_or(facts.len() - 1);
            let question = c.question.as_deref().unwrap_or(c.kind.as_str());
            (fact, names.iter().position(|n| *n == question).unwrap_or(0))
        })
        .collect();
    (facts, questions, places)
}

struct Current {
    handle: i64,
    /// Index into the catalog's cards; `None` for a card outside it (then skipped).
    card: Option<usize>,
    state: CardState,
    last_day: Option<usize>,
    reviews: u32,
}

impl<'a> Collector<'a> {
    /// `schedulers[i]` schedules the cards of `catalog.decks[i]`; `today` is the calendar
    /// index of `now`.
    pub fn new(
        catalog: &'a Catalog,
        schedulers: &'a [Box<dyn Scheduler>],
        calendar: &'a Calendar,
        now: Timestamp,
    ) -> Self {
        let (facts, questions, topics) = topics(catalog);
        let today = calendar
            .index(now)
            .unwrap_or(calendar.len().saturating_sub(1));
        Self {
            catalog,
            schedulers,
            calendar,
            today,
            now,
            current: None,
            days: vec![DayTotals::default(); calendar.len()],
            retention: TrueRetention::default(),
            calibration: CalibrationBuilder::default(),
            intervals: Histogram::intervals(),
            difficulty: Histogram::difficulty(),
            decks: catalog
                .decks
                .iter()
                .map(|d| Accuracy::named(&d.key))
                .collect(),
            kinds: Kind::ALL
                .iter()
                .map(|k| Accuracy::named(k.as_str()))
                .collect(),
            facts,
            questions,
            topics,
            hardest: Hardest::default(),
        }
    }

    pub fn today(&self) -> usize {
        self.today
    }

    /// One review; reviews must come grouped by card, oldest first.
    pub fn push(&mut self, row: &ReviewRow) {
        if self.current.as_ref().is_none_or(|c| c.handle != row.card) {
            self.flush();
            let card = self
                .catalog
                .cards
                .binary_search_by_key(&row.card, |c| c.handle)
                .ok();
            let seed = card.map_or(0, |i| {
                let c = &self.catalog.cards[i];
                card_seed(&self.catalog.decks[c.deck].key, &c.key)
            });
            self.current = Some(Current {
                handle: row.card,
                card,
                state: CardState::with_fuzz_seed(seed),
                last_day: None,
                reviews: 0,
            });
        }
        let Some(current) = self.current.as_mut() else {
            return;
        };
        let Some(index) = current.card else {
            return;
        };
        let card = &self.catalog.cards[index];
        let scheduler = self.schedulers[card.deck].as_ref();
        let day = self.calendar.index(row.at);
        let recalled = row.rating != Rating::Again;
        if let Some(d) = day {
            let totals = &mut self.days[d];
            totals.reviews += 1;
            totals.correct += u32::from(row.correct);
            totals.again += u32::from(!recalled);
            totals.introduced += u32::from(current.reviews == 0);
            totals.time_ms += row.response_ms;
        }
        // Calibration: reviews on a later study day than the card's previous one (same-day
        // steps are not predictions of memory), when the scheduler models recall.
        if let (Some(prev), Some(d)) = (current.last_day, day)
            && d > prev
            && let Some(p) = scheduler.retrievability(&current.state, row.at)
        {
            self.calibration.add(p, recalled);
        }
        let interval = review_interval_days(&current.state);
        if let (Some(interval), Some(d)) = (interval, day)
            && d <= self.today
        {
            self.retention
                .add((self.today - d) as u32, interval, recalled);
        }
        let (fact, question) = self.topics[index];
        for group in [
            &mut self.decks[card.deck],
            &mut self.kinds[Kind::ALL.iter().position(|k| *k == card.kind).unwrap_or(0)],
            &mut self.facts[fact],
            &mut self.questions[question],
        ] {
            group.reviews += 1;
            group.correct += u32::from(row.correct);
            group.recalled += u32::from(recalled);
            if interval.is_some() {
                group.retention.add(recalled);
            }
        }
        current.state = scheduler.review(&current.state, row.rating, row.at);
        current.last_day = day;
        current.reviews += 1;
    }

    /// Adds the card whose reviews just ended to the per-card reports.
    fn flush(&mut self) {
        let Some(current) = self.current.take() else {
            return;
        };
        let Some(index) = current.card else {
            return;
        };
        let card = &self.catalog.cards[index];
        if card.retired || current.reviews == 0 {
            return;
        }
        let state = &current.state;
        if let Some(days) = review_interval_days(state) {
            self.intervals.add_interval(days);
        }
        if let Some(memory) = state.memory {
            self.difficulty.add_difficulty(memory.difficulty);
        }
        let scheduler = self.schedulers[card.deck].as_ref();
        self.hardest.consider(Candidate {
            handle: card.handle,
            lapses: state.lapses,
            reviews: current.reviews,
            retrievability: scheduler.retrievability(state, self.now),
        });
    }

    /// Ends the stream.
    #[must_use]
    pub fn finish(mut self) -> Self {
        self.flush();
        self
    }
}

/// What `Report::collect` needs besides the store.
pub struct Options<'a> {
    pub deck: Option<&'a str>,
    /// Days in the reviews-per-day chart.
    pub days: u32,
    pub now: Timestamp,
    pub tz: &'a TimeZone,
}

impl Forecast {
    /// Due times of the selected decks, by study day from `today` (a calendar index);
    /// cards due before `today_start` are overdue and counted today.
    fn collect(
        store: &Store,
        deck: Option<&str>,
        calendar: &Calendar,
        today: usize,
        today_start: Timestamp,
    ) -> Result<Self, StoreError> {
        let mut forecast = Forecast {
            overdue: 0,
            days: (0..FORECAST_DAYS)
                .map(|i| ForecastDay {
                    date: calendar.date(today + i),
                    due: 0,
                })
                .collect(),
        };
        store.for_each_due(deck, calendar.end(today + FORECAST_DAYS - 1), |due| {
            let day = match calendar.index(due) {
                Some(d) if d >= today => d - today,
                _ => 0,
            };
            if due < today_start {
                forecast.overdue += 1;
            }
            if let Some(slot) = forecast.days.get_mut(day) {
                slot.due += 1;
            }
        })?;
        Ok(forecast)
    }
}

impl Report {
    /// Reads the store once and computes every report. `scheduler_for` gives the scheduler
    /// a deck's cards are replayed with.
    pub fn collect(
        store: &Store,
        options: &Options<'_>,
        scheduler_for: impl Fn(&DeckInfo) -> Box<dyn Scheduler>,
    ) -> Result<Self, StoreError> {
        let Options {
            deck,
            days,
            now,
            tz,
        } = *options;
        let catalog = store.catalog(deck)?;
        let schedulers: Vec<Box<dyn Scheduler>> =
            catalog.decks.iter().map(&scheduler_for).collect();
        let snapshot = Snapshot::collect_for(store, deck, now, tz)?;
        let back = SignedDuration::from_hours(24 * YEAR_DAYS.max(i64::from(days) + 1));
        let ahead = SignedDuration::from_hours(24 * (FORECAST_DAYS as i64 + 1));
        let (mut from, mut to) = (
            now.saturating_sub(back).unwrap_or(now),
            now.saturating_add(ahead).unwrap_or(now),
        );
        if let Some((first, last)) = store.review_span(deck)? {
            from = from.min(first);
            to = to.max(last);
        }
        let calendar = Calendar::new(from, to, tz);
        let mut collector = Collector::new(&catalog, &schedulers, &calendar, now);
        store.for_each_review(deck, |row| collector.push(&row))?;
        let c = collector.finish();
        let today = c.today();

        let reviews: Vec<u32> = c.days.iter().map(|d| d.reviews).collect();
        let daily = (0..days as usize)
            .rev()
            .map(|back| {
                let i = today as i64 - back as i64;
                let totals = usize::try_from(i)
                    .ok()
                    .and_then(|i| c.days.get(i))
                    .copied()
                    .unwrap_or_default();
                DailyPoint {
                    date: calendar
                        .date(today)
                        .checked_sub(jiff::Span::new().days(back as i64))
                        .unwrap_or(calendar.date(today)),
                    totals,
                }
            })
            .collect();

        let forecast = Forecast::collect(store, deck, &calendar, today, snapshot.day.start)?;
        let label = |list: &[Candidate]| -> Result<Vec<HardCard>, StoreError> {
            let handles: Vec<i64> = list.iter().map(|c| c.handle).collect();
            let labels = store.card_labels(&handles)?;
            Ok(list
                .iter()
                .zip(labels)
                .map(|(c, l)| HardCard {
                    handle: c.handle,
                    deck: l.deck,
                    card: l.card,
                    prompt: l.prompt,
                    lapses: c.lapses,
                    reviews: c.reviews,
                    retrievability: c.retrievability,
                })
                .collect())
        };
        Ok(Self {
            deck: deck.map(str::to_owned),
            schedulers: catalog
                .decks
                .iter()
                .zip(&schedulers)
                .map(|(d, s)| (d.key.clone(), s.name()))
                .collect(),
            today: c.days.get(today).copied().unwrap_or_default(),
            streak: Streak::of(&reviews, today),
            heatmap: Heatmap::of(&calendar, &reviews, today),
            daily,
            forecast,
            retention: c.retention.clone(),
            calibration: c.calibration.finish(),
            intervals: c.intervals.clone(),
            difficulty: c.difficulty.clone(),
            decks: c.decks.clone(),
            kinds: c.kinds.iter().filter(|k| k.reviews > 0).cloned().collect(),
            facts: c.facts.iter().filter(|k| k.reviews > 0).cloned().collect(),
            questions: c
                .questions
                .iter()
                .filter(|k| k.reviews > 0)
                .cloned()
                .collect(),
            most_lapses: label(&c.hardest.most_lapses)?,
            lowest_recall: label(&c.hardest.lowest_recall)?,
            confusions: store.confused_pairs(deck, CONFUSIONS)?,
            snapshot,
        })
    }

    /// Every number behind every chart: the snapshot's keys, and one key per report.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = self.snapshot.to_json();
        let today = &self.today;
        if let Some(t) = value.get_mut("today").and_then(|t| t.as_object_mut()) {
            t.insert("again".into(), json!(today.again));
            t.insert("time_ms".into(), json!(today.time_ms));
        }
        if let Some(object) = value.as_object_mut() {
            let schedulers: serde_json::Map<String, serde_json::Value> = self
                .schedulers
                .iter()
                .map(|(deck, name)| (deck.clone(), json!(name)))
                .collect();
            let entries = [
                ("deck", json!(self.deck)),
                ("schedulers", json!(schedulers)),
                ("streak", json!(self.streak)),
                ("heatmap", json!(self.heatmap)),
                ("daily", json!(self.daily)),
                ("forecast", json!(self.forecast)),
                ("true_retention", json!(self.retention)),
                ("calibration", json!(self.calibration)),
                ("intervals", json!(self.intervals)),
                ("difficulty", json!(self.difficulty)),
                (
                    "accuracy",
                    json!({
                        "decks": self.decks,
                        "kinds": self.kinds,
                        "facts": self.facts,
                        "questions": self.questions,
                    }),
                ),
                (
                    "hardest",
                    json!({"most_lapses": self.most_lapses, "lowest_recall": self.lowest_recall}),
                ),
                ("confusions", json!(self.confusions)),
            ];
            for (key, entry) in entries {
                object.insert(key.to_owned(), entry);
            }
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Fsrs;
    use crate::store::CatalogCard;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn card(handle: i64, kind: Kind, fact: Option<&str>, question: Option<&str>) -> CatalogCard {
        CatalogCard {
            handle,
            deck: 0,
            key: format!("c{handle}"),
            kind,
            retired: false,
            fact: fact.map(str::to_owned),
            question: question.map(str::to_owned),
        }
    }

    fn row(card: i64, at: &str, rating: Rating, correct: bool) -> ReviewRow {
        ReviewRow {
            card,
            at: t(at),
            rating,
            correct,
            response_ms: 1000,
        }
    }

    /// (name, reviews, correct, recalled, retention reviews, retention passed).
    fn table(groups: &[Accuracy]) -> Vec<(&str, u32, u32, u32, u32, u32)> {
        groups
            .iter()
            .filter(|g| g.reviews > 0)
            .map(|g| {
                let r = g.retention;
                (
                    g.name.as_str(),
                    g.reviews,
                    g.correct,
                    g.recalled,
                    r.reviews,
                    r.passed,
                )
            })
            .collect()
    }

    #[test]
    fn accuracy_and_retention_by_fact_and_question_kind() {
        let catalog = Catalog {
            decks: vec![DeckInfo {
                key: "d".into(),
                name: "D".into(),
                path: "d.yaml".into(),
            }],
            cards: vec![
                card(1, Kind::Recall, Some("head"), Some("recall-person")),
                card(2, Kind::Year, Some("date"), Some("year")),
                card(3, Kind::Choice, None, None),
            ],
        };
        let schedulers: Vec<Box<dyn Scheduler>> = vec![Box::new(Fsrs::default())];
        let now = t("2026-01-20T12:00:00Z");
        let calendar = Calendar::new(t("2026-01-01T12:00:00Z"), now, &TimeZone::UTC);
        let mut c = Collector::new(&catalog, &schedulers, &calendar, now);
        // Card 1: Good (the 10-minute learning step), Good (graduates: review phase), then
        // Again on day 5, a review-phase review that fails. Card 2: Easy (review phase at
        // once), Good on day 10, a review-phase review that passes. Card 3: one wrong answer.
        for r in [
            row(1, "2026-01-01T12:00:00Z", Rating::Good, true),
            row(1, "2026-01-01T12:10:00Z", Rating::Good, true),
            row(1, "2026-01-05T12:00:00Z", Rating::Again, false),
            row(2, "2026-01-01T12:00:00Z", Rating::Easy, true),
            row(2, "2026-01-10T12:00:00Z", Rating::Good, true),
            row(3, "2026-01-01T12:00:00Z", Rating::Again, false),
        ] {
            c.push(&r);
        }
        let c = c.finish();
        assert_eq!(
            table(&c.facts),
            [
                ("head", 3, 2, 2, 1, 0),
                ("date", 2, 2, 2, 1, 1),
                (OTHER_FACT, 1, 0, 0, 0, 0),
            ]
        );
        // Question kinds by name; a card without one is grouped by its card kind.
        assert_eq!(
            table(&c.questions),
            [
                ("choice", 1, 0, 0, 0, 0),
                ("recall-person", 3, 2, 2, 1, 0),
                ("year", 2, 2, 2, 1, 1),
            ]
        );
        // The same retention counts feed the per-deck and per-card-kind tables.
        assert_eq!(table(&c.decks), [("d", 6, 4, 4, 2, 1)]);
    }
}
