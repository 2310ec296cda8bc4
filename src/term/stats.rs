//! `factdrill stats` as text: the snapshot lines, then each report as a chart or table
//! (`chart.rs` draws them). Builds one string; `report` prints it.

use anstyle::Style;

use super::chart::{self, Charset};
use super::{duration, safe};
use crate::stats::Report;
use crate::stats::calendar::DayTotals;
use crate::stats::cards::{Accuracy, HardCard, Histogram};
use crate::stats::retention::Tally;

const BOLD: Style = Style::new().bold();
/// Width of horizontal bars, in cells.
const BAR: usize = 30;
/// Height of column charts, in rows.
const HEIGHT: usize = 6;

fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

fn ms(ms: u64) -> String {
    duration(jiff::SignedDuration::from_millis(
        i64::try_from(ms).unwrap_or(i64::MAX),
    ))
}

fn heading(out: &mut String, title: &str, rest: &str) {
    out.push_str(&format!("\n{BOLD}{title}{BOLD:#}"));
    if !rest.is_empty() {
        out.push_str("  ");
        out.push_str(rest);
    }
    out.push('\n');
}

/// Every report after the snapshot, as text.
pub fn render(r: &Report, charset: Charset) -> String {
    let mut out = String::new();
    if let Some(deck) = &r.deck {
        out.push_str(&format!("{BOLD}Deck{BOLD:#}       {}\n", safe(deck)));
    }
    let today = &r.today;
    out.push_str(&format!(
        "{BOLD}Time{BOLD:#}       {} answering today\n",
        ms(today.time_ms)
    ));
    out.push_str(&format!(
        "{BOLD}Streak{BOLD:#}     {} (longest {}; {} studied in all)\n",
        crate::error::count(r.streak.current as usize, "day"),
        crate::error::count(r.streak.longest as usize, "day"),
        crate::error::count(r.streak.days_studied as usize, "day"),
    ));

    heading(&mut out, "Last year", "reviews per day");
    for line in chart::heatmap(&r.heatmap, charset) {
        out.push_str(&format!("  {line}\n"));
    }
    daily(&mut out, r, charset);
    forecast(&mut out, r, charset);
    states(&mut out, r, charset);
    retention(&mut out, r);
    calibration(&mut out, r, charset);
    histogram(
        &mut out,
        "Intervals",
        "cards in review, by scheduled interval",
        &r.intervals,
        charset,
    );
    histogram(
        &mut out,
        "Difficulty",
        "FSRS difficulty of seen cards, 0% easiest",
        &r.difficulty,
        charset,
    );
    accuracy(&mut out, "Accuracy by deck", &r.decks, charset);
    accuracy(&mut out, "Accuracy by kind", &r.kinds, charset);
    accuracy(&mut out, "Accuracy by fact", &r.facts, charset);
    accuracy(&mut out, "Accuracy by question", &r.questions, charset);
    hardest(&mut out, "Most lapses", &r.most_lapses);
    hardest(&mut out, "Lowest recall now", &r.lowest_recall);
    confusions(&mut out, &r.confusions);
    // Empty bars leave spaces at line ends.
    let mut text = String::with_capacity(out.len());
    for line in out.lines() {
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn daily(out: &mut String, r: &Report, charset: Charset) {
    let mut total = DayTotals::default();
    for day in &r.daily {
        total.add(&day.totals);
    }
    let days = r.daily.len();
    let right = (total.reviews > 0).then(|| f64::from(total.correct) / f64::from(total.reviews));
    heading(
        out,
        "Reviews",
        &format!(
            "last {days} days: {}, {} right, {} answering, {:.1} a day",
            crate::error::count(total.reviews as usize, "review"),
            pct(right),
            ms(total.time_ms),
            f64::from(total.reviews) / days.max(1) as f64
        ),
    );
    let values: Vec<u64> = r
        .daily
        .iter()
        .map(|d| u64::from(d.totals.reviews))
        .collect();
    let (groups, size) = chart::group(&values);
    for line in chart::columns(&groups, HEIGHT, charset) {
        out.push_str(&format!("  {line}\n"));
    }
    if let (Some(first), Some(last)) = (r.daily.first(), r.daily.last()) {
        let per = if size > 1 {
            format!(" (one column per {size} days)")
        } else {
            String::new()
        };
        out.push_str(&format!("  {} to {}{per}\n", first.date, last.date));
    }
}

fn forecast(out: &mut String, r: &Report, charset: Charset) {
    let f = &r.forecast;
    let total: u32 = f.days.iter().map(|d| d.due).sum();
    heading(
        out,
        "Forecast",
        &format!(
            "next {} days: {} due ({} overdue, counted today)",
            f.days.len(),
            crate::error::count(total as usize, "card"),
            f.overdue
        ),
    );
    let values: Vec<u64> = f.days.iter().map(|d| u64::from(d.due)).collect();
    for line in chart::columns(&values, HEIGHT, charset) {
        out.push_str(&format!("  {line}\n"));
    }
    if let (Some(first), Some(last)) = (f.days.first(), f.days.last()) {
        out.push_str(&format!("  {} to {}\n", first.date, last.date));
    }
}

fn states(out: &mut String, r: &Report, charset: Charset) {
    let p = r.snapshot.phases;
    let rows = [
        ("new", p.new),
        ("learning", p.learning),
        ("review", p.review),
        ("relearning", p.relearning),
        ("retired", r.snapshot.retired),
    ];
    heading(out, "Cards by state", "");
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
    for (name, n) in rows {
        out.push_str(&format!(
            "  {name:<10} {n:>6} {}\n",
            chart::bar(f64::from(n), f64::from(max), BAR, charset)
        ));
    }
}

fn tally(t: Tally) -> String {
    if t.reviews == 0 {
        "-".to_owned()
    } else {
        format!("{} ({}/{})", pct(t.rate()), t.passed, t.reviews)
    }
}

fn retention(out: &mut String, r: &Report) {
    heading(
        out,
        "True retention",
        "reviews of cards in review passed (Hard or better); young < 21 d interval",
    );
    out.push_str(&format!(
        "  {:<10} {:<18} {:<18} {}\n",
        "", "young", "mature", "all"
    ));
    for w in &r.retention.windows {
        out.push_str(&format!(
            "  {:<10} {:<18} {:<18} {}\n",
            format!("{} days", w.days),
            tally(w.young),
            tally(w.mature),
            tally(w.all)
        ));
    }
}

fn calibration(out: &mut String, r: &Report, charset: Charset) {
    let c = &r.calibration;
    let summary = if c.count == 0 {
        "no predictions yet (reviews on a later day of cards the scheduler models)".to_owned()
    } else {
        format!(
            "{}: predicted {}, actual {}; log loss {:.3}, RMSE(bins) {:.1} points",
            crate::error::count(c.count as usize, "review"),
            pct(c.mean_predicted),
            pct(c.actual),
            c.log_loss.unwrap_or(0.0),
            c.rmse_bins.unwrap_or(0.0) * 100.0
        )
    };
    heading(out, "Calibration", &summary);
    if c.count == 0 {
        return;
    }
    out.push_str(&format!(
        "  {:<10} {:>7} {:>9} {:>7}  actual recall\n",
        "predicted", "reviews", "mean", "actual"
    ));
    for b in &c.bins {
        let range = format!("{:.0}-{:.0}%", b.from * 100.0, b.to * 100.0);
        out.push_str(&format!(
            "  {range:<10} {:>7} {:>9} {:>7}  {}\n",
            b.count,
            pct(b.mean_predicted),
            pct(b.actual),
            chart::bar(b.actual.unwrap_or(0.0), 1.0, 20, charset)
        ));
    }
}

fn histogram(out: &mut String, title: &str, what: &str, h: &Histogram, charset: Charset) {
    heading(out, title, &format!("{what}; {} cards", h.total()));
    let max = h.buckets.iter().map(|b| b.count).max().unwrap_or(0);
    for b in &h.buckets {
        out.push_str(&format!(
            "  {:<10} {:>6} {}\n",
            b.label,
            b.count,
            chart::bar(f64::from(b.count), f64::from(max), BAR, charset)
        ));
    }
}

fn accuracy(out: &mut String, title: &str, groups: &[Accuracy], charset: Charset) {
    heading(
        out,
        title,
        "answers graded correct or close; retention: learnt cards recalled",
    );
    if groups.iter().all(|g| g.reviews == 0) {
        out.push_str("  no reviews yet\n");
        return;
    }
    for g in groups {
        let retention = if g.retention.reviews > 0 {
            format!(
                "  retention {} of {}",
                pct(g.retention.rate()),
                g.retention.reviews
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  {:<16} {:>12} {:>5}  {}{retention}\n",
            safe(&g.name),
            crate::error::count(g.reviews as usize, "review"),
            pct(g.rate()),
            chart::bar(g.rate().unwrap_or(0.0), 1.0, 20, charset)
        ));
    }
}

fn hardest(out: &mut String, title: &str, cards: &[HardCard]) {
    heading(out, title, "");
    if cards.is_empty() {
        out.push_str("  none\n");
        return;
    }
    for c in cards {
        let prompt: String = safe(&c.prompt).chars().take(50).collect();
        out.push_str(&format!(
            "  {:>2} lapses {:>4} recall  {}/{}  {}\n",
            c.lapses,
            pct(c.retrievability),
            safe(&c.deck),
            safe(&c.card),
            prompt
        ));
    }
}

fn confusions(out: &mut String, pairs: &[crate::store::ConfusedPair]) {
    heading(
        out,
        "Most confused",
        "wrong answers that were another name in the deck",
    );
    if pairs.is_empty() {
        out.push_str("  none\n");
        return;
    }
    for p in pairs {
        let prompt: String = safe(&p.prompt).chars().take(50).collect();
        out.push_str(&format!(
            "  {:>3}x {} for {}  {}/{}  {}\n",
            p.times,
            safe(&p.given),
            safe(&p.expected),
            safe(&p.deck),
            safe(&p.card),
            prompt
        ));
    }
}
