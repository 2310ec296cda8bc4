//! The full progress report behind `factdrill stats`, computed from the statistics digest
//! (`digest.rs`, kept current by `refresh.rs`): per-day tallies feed the per-day reports,
//! each card's fold the per-card ones; due times feed the forecast.
//!
//! `CardReports` and `day_reports` are pure (digest in, numbers out); `Report::collect` is
//! the glue that refreshes the digest and reads it.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::Snapshot;
use super::calendar::{Calendar, DayTotals, Heatmap, Streak};
use super::calibration::Calibration;
use super::cards::{Accuracy, Candidate, HardCard, Hardest, Histogram, review_interval_days};
use super::digest::{DayTally, day_date};
use super::refresh::{DeckSchedule, refresh};
use super::retention::{Tally, TrueRetention};
use crate::day::Day;
use crate::deck::Kind;
use crate::schedule::Scheduler;
use crate::store::{ConfusedPair, DeckInfo, DigestCard, Store, StoreError};

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

/// The name of the `facts` group of cards that name no kind of fact.
pub const OTHER_FACT: &str = "other";

/// The per-card reports, fed the digest's cards one at a time, in any order: accuracy per
/// group, the interval and difficulty distributions, and the hardest cards.
pub struct CardReports<'a> {
    infos: &'a [DeckInfo],
    schedulers: &'a [Box<dyn Scheduler>],
    now: Timestamp,
    pub intervals: Histogram,
    pub difficulty: Histogram,
    /// One per deck of `infos`, in that order.
    pub decks: Vec<Accuracy>,
    /// One per `Kind`, in `Kind::ALL` order.
    pub kinds: Vec<Accuracy>,
    /// One per kind of fact, in `facts::Kind::ALL` order, then `OTHER_FACT`.
    pub facts: Vec<Accuracy>,
    /// By the kind of question; a card that names none is grouped by its card kind.
    pub questions: BTreeMap<String, Accuracy>,
    pub hardest: Hardest,
}

/// Counts a card's reviews in a group.
fn count_in(group: &mut Accuracy, card: &DigestCard<'_>) {
    group.reviews += card.reviews;
    group.correct += card.correct;
    group.recalled += card.recalled;
    group.retention.add_tally(card.retention);
}

impl<'a> CardReports<'a> {
    /// `schedulers[i]` schedules the cards of `infos[i]`.
    pub fn new(
        infos: &'a [DeckInfo],
        schedulers: &'a [Box<dyn Scheduler>],
        now: Timestamp,
    ) -> Self {
        let mut facts: Vec<Accuracy> = crate::facts::Kind::ALL
            .iter()
            .map(|k| Accuracy::named(k.as_str()))
            .collect();
        facts.push(Accuracy::named(OTHER_FACT));
        Self {
            infos,
            schedulers,
            now,
            intervals: Histogram::intervals(),
            difficulty: Histogram::difficulty(),
            decks: infos.iter().map(|d| Accuracy::named(&d.key)).collect(),
            kinds: Kind::ALL
                .iter()
                .map(|k| Accuracy::named(k.as_str()))
                .collect(),
            facts,
            questions: BTreeMap::new(),
            hardest: Hardest::default(),
        }
    }

    /// One card's digest; a card of a deck not in `infos` is left out.
    pub fn add(&mut self, card: &DigestCard<'_>) {
        let Some(deck) = self.infos.iter().position(|d| d.handle == card.deck) else {
            return;
        };
        let kind = Kind::parse(card.kind).unwrap_or(Kind::Recall);
        let fact = card
            .fact
            .and_then(|f| self.facts.iter().position(|g| g.name == f))
            .unwrap_or(self.facts.len() - 1);
        let question = card.question.unwrap_or(kind.as_str());
        count_in(&mut self.decks[deck], card);
        count_in(
            &mut self.kinds[Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)],
            card,
        );
        count_in(&mut self.facts[fact], card);
        if let Some(group) = self.questions.get_mut(question) {
            count_in(group, card);
        } else {
            let mut group = Accuracy::named(question);
            count_in(&mut group, card);
            self.questions.insert(question.to_owned(), group);
        }
        if card.retired || card.reviews == 0 {
            return;
        }
        let state = &card.state;
        if let Some(days) = review_interval_days(state) {
            self.intervals.add_interval(days);
        }
        if let Some(memory) = state.memory {
            self.difficulty.add_difficulty(memory.difficulty);
        }
        let scheduler = self.schedulers[deck].as_ref();
        self.hardest.consider(Candidate {
            handle: card.card,
            lapses: state.lapses,
            reviews: card.reviews,
            retrievability: scheduler.retrievability(state, self.now),
        });
    }
}

/// The per-day reports of `calendar` from the digest's day tallies: totals per day, and true
/// retention over the windows that end today (calendar index `today`).
pub fn day_reports(
    calendar: &Calendar,
    today: usize,
    tallies: &[(i32, DayTally)],
) -> (Vec<DayTotals>, TrueRetention) {
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    let mut days = vec![DayTotals::default(); calendar.len()];
    let mut retention = TrueRetention::default();
    for (number, t) in tallies {
        let Some(index) = day_date(*number).and_then(|d| calendar.index_of_date(d)) else {
            continue;
        };
        days[index] = DayTotals {
            reviews: count(t.reviews),
            correct: count(t.correct),
            again: count(t.again),
            introduced: count(t.introduced),
            time_ms: u64::try_from(t.time_ms).unwrap_or(0),
        };
        if index <= today {
            let young = Tally {
                reviews: count(t.young),
                passed: count(t.young_passed),
            };
            let mature = Tally {
                reviews: count(t.mature),
                passed: count(t.mature_passed),
            };
            retention.add_day((today - index) as u32, young, mature);
        }
    }
    (days, retention)
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
    /// Due times by study day from `today` (a calendar index); cards due before
    /// `today_start` are overdue and counted today. `due` holds every due time before the
    /// end of the forecast's last day.
    fn of(calendar: &Calendar, today: usize, today_start: Timestamp, due: &[Timestamp]) -> Self {
        let mut forecast = Forecast {
            overdue: 0,
            days: (0..FORECAST_DAYS)
                .map(|i| ForecastDay {
                    date: calendar.date(today + i),
                    due: 0,
                })
                .collect(),
        };
        for &at in due {
            let day = match calendar.index(at) {
                Some(d) if d >= today => d - today,
                _ => 0,
            };
            if at < today_start {
                forecast.overdue += 1;
            }
            if let Some(slot) = forecast.days.get_mut(day) {
                slot.due += 1;
            }
        }
        forecast
    }
}

/// The study days a report covers: the year of the heatmap (or `days` back, if more), the
/// forecast's days ahead, and every day with a review.
fn calendar_for(tallies: &[(i32, DayTally)], days: u32, now: Timestamp, tz: &TimeZone) -> Calendar {
    let back = SignedDuration::from_hours(24 * YEAR_DAYS.max(i64::from(days) + 1));
    let ahead = SignedDuration::from_hours(24 * (FORECAST_DAYS as i64 + 1));
    let (mut from, mut to) = (
        now.saturating_sub(back).unwrap_or(now),
        now.saturating_add(ahead).unwrap_or(now),
    );
    let start_of = |number: i32| day_date(number).map(|date| Day::of(date, tz).start);
    if let Some(first) = tallies.first().and_then(|(n, _)| start_of(*n)) {
        from = from.min(first);
    }
    if let Some(last) = tallies.last().and_then(|(n, _)| start_of(*n)) {
        to = to.max(last);
    }
    Calendar::new(from, to, tz)
}

/// The reviews-per-day chart: the `days` days ending today.
fn daily(calendar: &Calendar, today: usize, days: u32, totals: &[DayTotals]) -> Vec<DailyPoint> {
    (0..days as usize)
        .rev()
        .map(|back| {
            let i = today as i64 - back as i64;
            let totals = usize::try_from(i)
                .ok()
                .and_then(|i| totals.get(i))
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
        .collect()
}

/// The hardest cards with their text.
fn label(store: &Store, list: &[Candidate]) -> Result<Vec<HardCard>, StoreError> {
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
}

impl Report {
    /// Brings the statistics digest up to date (`refresh.rs`) and computes every report from
    /// it. `scheduler_for` gives the scheduler a deck's cards are replayed with, and its
    /// fingerprint (every setting: a change rebuilds the deck's digest).
    pub fn collect(
        store: &mut Store,
        options: &Options<'_>,
        scheduler_for: impl Fn(&DeckInfo) -> (Box<dyn Scheduler>, String),
    ) -> Result<Self, StoreError> {
        let Options {
            deck,
            days,
            now,
            tz,
        } = *options;
        let infos = store.catalog_decks(deck)?;
        let (schedulers, fingerprints): (Vec<Box<dyn Scheduler>>, Vec<String>) =
            infos.iter().map(&scheduler_for).unzip();
        let plan: Vec<DeckSchedule<'_>> = infos
            .iter()
            .zip(&schedulers)
            .zip(&fingerprints)
            .map(|((d, s), f)| DeckSchedule {
                handle: d.handle,
                scheduler: s.as_ref(),
                fingerprint: f,
            })
            .collect();
        refresh(store, &plan, tz)?;
        let tallies = store.digest_days(deck)?;
        let calendar = calendar_for(&tallies, days, now, tz);
        let today = calendar
            .index(now)
            .unwrap_or(calendar.len().saturating_sub(1));
        let (day_totals, retention) = day_reports(&calendar, today, &tallies);
        let mut c = CardReports::new(&infos, &schedulers, now);
        store.for_each_digest_card(deck, |card| c.add(card))?;
        let calibration = store.digest_calibration(deck)?.finish();
        // One read of the due times feeds the forecast and the snapshot's due counts.
        let mut due = Vec::new();
        store.for_each_due(deck, calendar.end(today + FORECAST_DAYS - 1), |at| {
            due.push(at);
        })?;
        let total = tallies.iter().map(|(_, t)| t.reviews).sum();
        let snapshot = Snapshot::collect_counted(store, deck, now, tz, total, &due)?;

        let reviews: Vec<u32> = day_totals.iter().map(|d| d.reviews).collect();
        let daily = daily(&calendar, today, days, &day_totals);
        let forecast = Forecast::of(&calendar, today, snapshot.day.start, &due);
        Ok(Self {
            deck: deck.map(str::to_owned),
            schedulers: infos
                .iter()
                .zip(&schedulers)
                .map(|(d, s)| (d.key.clone(), s.name()))
                .collect(),
            today: day_totals.get(today).copied().unwrap_or_default(),
            streak: Streak::of(&reviews, today),
            heatmap: Heatmap::of(&calendar, &reviews, today),
            daily,
            forecast,
            retention,
            calibration,
            intervals: c.intervals.clone(),
            difficulty: c.difficulty.clone(),
            decks: c.decks.clone(),
            kinds: c.kinds.iter().filter(|k| k.reviews > 0).cloned().collect(),
            facts: c.facts.iter().filter(|k| k.reviews > 0).cloned().collect(),
            questions: c
                .questions
                .values()
                .filter(|k| k.reviews > 0)
                .cloned()
                .collect(),
            most_lapses: label(store, &c.hardest.most_lapses)?,
            lowest_recall: label(store, &c.hardest.lowest_recall)?,
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
    use crate::schedule::{Fsrs, Rating};
    use crate::stats::digest::{CardFold, DayFinder, Tallies};
    use crate::store::ReviewRow;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
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
        let infos = [DeckInfo {
            handle: 1,
            key: "d".into(),
            name: "D".into(),
            path: "d.yaml".into(),
        }];
        let schedulers: Vec<Box<dyn Scheduler>> = vec![Box::new(Fsrs::default())];
        let now = t("2026-01-20T12:00:00Z");
        let mut c = CardReports::new(&infos, &schedulers, now);
        let utc = TimeZone::UTC;
        let mut days = DayFinder::new(&utc);
        let mut tallies = Tallies::default();
        // Card 1: Good (the 10-minute learning step), Good (graduates: review phase), then
        // Again on day 5, a review-phase review that fails. Card 2: Easy (review phase at
        // once), Good on day 10, a review-phase review that passes. Card 3: one wrong answer.
        let rows = [
            row(1, "2026-01-01T12:00:00Z", Rating::Good, true),
            row(1, "2026-01-01T12:10:00Z", Rating::Good, true),
            row(1, "2026-01-05T12:00:00Z", Rating::Again, false),
            row(2, "2026-01-01T12:00:00Z", Rating::Easy, true),
            row(2, "2026-01-10T12:00:00Z", Rating::Good, true),
            row(3, "2026-01-01T12:00:00Z", Rating::Again, false),
        ];
        // (kind, fact, question) of cards 1, 2, 3.
        let topics = [
            ("recall", Some("head"), Some("recall-person")),
            ("year", Some("date"), Some("year")),
            ("choice", None, None),
        ];
        for (group, (kind, fact, question)) in rows.chunk_by(|a, b| a.card == b.card).zip(topics) {
            let mut fold = CardFold::new(0);
            for r in group {
                fold.push(&Fsrs::default(), r, days.day(r.at), &mut tallies);
            }
            c.add(&DigestCard {
                card: group[0].card,
                deck: 1,
                kind,
                retired: false,
                fact,
                question,
                reviews: fold.reviews,
                correct: fold.correct,
                recalled: fold.recalled,
                retention: fold.retention,
                state: fold.state,
            });
        }
        let questions: Vec<Accuracy> = c.questions.values().cloned().collect();
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
            table(&questions),
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
