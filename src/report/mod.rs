//! `factdrill report`: the charts of `factdrill stats` as one self-contained file a browser
//! opens: an HTML page with inline SVG charts, tables and the report's JSON, or a single SVG
//! image with every chart. The charts are drawn with plotters (`chart.rs`); this file lays
//! out the page. Pure: `Report` in, text out; the caller writes the file.

pub mod chart;

use std::fmt::Write as _;

use plotters::prelude::*;

use crate::stats::Report;
use crate::stats::cards::HardCard;
use crate::stats::retention::Tally;

/// Size of one chart, in pixels.
pub const CHART_SIZE: (u32, u32) = (900, 360);

/// What the report file is, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Svg,
}

impl Format {
    /// `.html` / `.htm` -> HTML, `.svg` -> SVG (any case); anything else is `None`.
    pub fn of(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Format::Html),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }
}

/// Drawing failed (the SVG backend writes to memory, so this is not expected).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart `{chart}`: {message}")]
pub struct DrawError {
    pub chart: String,
    pub message: String,
}

fn draw(
    title: &str,
    size: (u32, u32),
    paint: impl FnOnce(&chart::Area<'_>) -> chart::DrawResult,
) -> Result<String, DrawError> {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        paint(&area)
            .and_then(|()| area.present())
            .map_err(|e| DrawError {
                chart: title.to_owned(),
                message: e.to_string(),
            })?;
    }
    Ok(svg)
}

/// One SVG image: every chart in a grid of two columns, then the hardest cards.
pub fn svg(r: &Report) -> Result<String, DrawError> {
    let (w, h) = CHART_SIZE;
    let rows = chart::CHARTS.len().div_ceil(2) as u32 + 1;
    draw("report", (w * 2, h * rows), |root| {
        root.fill(&WHITE)?;
        let (grid, rest) = root.split_vertically(h * (rows - 1));
        let cells = grid.split_evenly(((rows - 1) as usize, 2));
        for ((_, paint), cell) in chart::CHARTS.iter().zip(cells.iter()) {
            paint(cell, r)?;
        }
        chart::hardest(&rest, r)
    })
}

/// The HTML page: a summary, each chart with the numbers behind its title, the tables, and
/// the report as JSON (`<script type="application/json" id="report-data">`).
pub fn html(r: &Report) -> Result<String, DrawError> {
    let mut page = String::new();
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    let scope = r
        .deck
        .as_ref()
        .map_or_else(|| "all decks".to_owned(), |d| format!("deck {d}"));
    let _ = writeln!(
        page,
        "<title>factdrill progress: {}</title>\n<style>{CSS}</style>\n</head>\n<body>",
        escape(&scope)
    );
    let _ = writeln!(
        page,
        "<h1>factdrill progress</h1>\n<p class=\"meta\">{} &middot; {} &middot; made {}</p>",
        escape(&scope),
        r.snapshot.day.date,
        r.snapshot.now
    );
    summary(&mut page, r);
    for (title, paint) in chart::CHARTS {
        let svg = draw(title, CHART_SIZE, |area| paint(area, r))?;
        let _ = writeln!(
            page,
            "<section>\n<h2>{}</h2>\n<p class=\"numbers\">{}</p>\n{}\n",
            escape(title),
            numbers(title, r),
            svg.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .trim()
        );
        match *title {
            "True retention" => retention_table(&mut page, r),
            "Calibration" => calibration_table(&mut page, r),
            _ => {}
        }
        page.push_str("</section>\n");
    }
    hardest_table(&mut page, "Most lapses", &r.most_lapses);
    hardest_table(&mut page, "Lowest recall now", &r.lowest_recall);
    confused_table(&mut page, &r.confusions);
    // Every number behind the charts, for scripts; `</` cannot end the element early.
    let json = serde_json::to_string(&r.to_json())
        .unwrap_or_default()
        .replace("</", "<\\/");
    let _ = writeln!(
        page,
        "<script type=\"application/json\" id=\"report-data\">{json}</script>\n</body>\n</html>"
    );
    Ok(page)
}

const CSS: &str = "body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em;\
color:#222}h1{margin-bottom:0}.meta{color:#666}section{margin:2em 0}\
h2{border-bottom:1px solid #ddd;padding-bottom:.2em}.numbers{color:#444}\
svg{max-width:100%;height:auto}table{border-collapse:collapse;margin:1em 0}\
td,th{border:1px solid #ddd;padding:.3em .6em;text-align:right}\
td.text,th.text{text-align:left}dl{display:grid;grid-template-columns:max-content auto;\
gap:.2em 1em}dt{font-weight:bold}dd{margin:0}";

fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

fn ms(ms: u64) -> String {
    crate::term::duration(jiff::SignedDuration::from_millis(
        i64::try_from(ms).unwrap_or(i64::MAX),
    ))
}

fn summary(page: &mut String, r: &Report) {
    let s = &r.snapshot;
    let today = &r.today;
    let right = (today.reviews > 0).then(|| f64::from(today.correct) / f64::from(today.reviews));
    let rows = [
        (
            "Today",
            format!(
                "{} ({} right), {} answering",
                crate::error::count(today.reviews as usize, "review"),
                pct(right),
                ms(today.time_ms)
            ),
        ),
        (
            "Streak",
            format!(
                "{} (longest {}; {} studied in all)",
                crate::error::count(r.streak.current as usize, "day"),
                crate::error::count(r.streak.longest as usize, "day"),
                crate::error::count(r.streak.days_studied as usize, "day")
            ),
        ),
        (
            "Cards",
            format!("{} active, {} retired", s.active_cards(), s.retired),
        ),
        (
            "Due",
            format!(
                "{} now, {} today, {} tomorrow",
                s.due_now, s.due_today, s.due_tomorrow
            ),
        ),
        ("Reviews", format!("{} in all", s.total_reviews)),
    ];
    page.push_str("<dl class=\"summary\">\n");
    for (name, value) in rows {
        let _ = writeln!(page, "<dt>{name}</dt><dd>{}</dd>", escape(&value));
    }
    page.push_str("</dl>\n");
}

/// The numbers that go with a chart's heading (the terminal report's heading line).
fn numbers(title: &str, r: &Report) -> String {
    let text = match title {
        "Reviews per day" => {
            let (reviews, correct, time) = r.daily.iter().fold((0u32, 0u32, 0u64), |a, d| {
                (
                    a.0 + d.totals.reviews,
                    a.1 + d.totals.correct,
                    a.2 + d.totals.time_ms,
                )
            });
            let right = (reviews > 0).then(|| f64::from(correct) / f64::from(reviews));
            format!(
                "last {} days: {}, {} right, {} answering",
                r.daily.len(),
                crate::error::count(reviews as usize, "review"),
                pct(right),
                ms(time)
            )
        }
        "Last year" => format!(
            "{} from {} to {}",
            crate::error::count(
                r.heatmap.reviews.iter().map(|&n| n as usize).sum(),
                "review"
            ),
            r.heatmap.start,
            r.heatmap.today
        ),
        "Forecast" => format!(
            "next {} days: {} due ({} overdue, counted today)",
            r.forecast.days.len(),
            crate::error::count(r.forecast.days.iter().map(|d| d.due as usize).sum(), "card"),
            r.forecast.overdue
        ),
        "Cards by state" => {
            let p = r.snapshot.phases;
            format!(
                "new {}, learning {}, review {}, relearning {}, retired {}",
                p.new, p.learning, p.review, p.relearning, r.snapshot.retired
            )
        }
        "True retention" => {
            "reviews of cards in review passed (Hard or better); young: interval under 21 days"
                .to_owned()
        }
        "Calibration" => {
            let c = &r.calibration;
            if c.count == 0 {
                "no predictions yet (reviews on a later day of cards the scheduler models)"
                    .to_owned()
            } else {
                format!(
                    "{}: predicted {}, actual {}; log loss {:.3}, RMSE(bins) {:.1} points",
                    crate::error::count(c.count as usize, "review"),
                    pct(c.mean_predicted),
                    pct(c.actual),
                    c.log_loss.unwrap_or(0.0),
                    c.rmse_bins.unwrap_or(0.0) * 100.0
                )
            }
        }
        "Intervals" => format!(
            "cards in review, by scheduled interval; {} cards",
            r.intervals.total()
        ),
        "Difficulty" => format!(
            "FSRS difficulty of seen cards, 0% easiest; {} cards",
            r.difficulty.total()
        ),
        "Accuracy by deck" | "Accuracy by kind" | "Accuracy by fact" | "Accuracy by question" => {
            let groups = match title {
                "Accuracy by deck" => &r.decks,
                "Accuracy by kind" => &r.kinds,
                "Accuracy by fact" => &r.facts,
                _ => &r.questions,
            };
            let parts: Vec<String> = groups
                .iter()
                .map(|g| {
                    format!(
                        "{} {} of {}",
                        g.name,
                        pct(g.rate()),
                        crate::error::count(g.reviews as usize, "review")
                    )
                })
                .collect();
            if parts.is_empty() {
                "no reviews yet".to_owned()
            } else {
                format!("answers graded correct or close: {}", parts.join("; "))
            }
        }
        _ => String::new(),
    };
    escape(&text)
}

fn tally(t: Tally) -> String {
    if t.reviews == 0 {
        "-".to_owned()
    } else {
        format!("{} ({}/{})", pct(t.rate()), t.passed, t.reviews)
    }
}

fn retention_table(page: &mut String, r: &Report) {
    page.push_str(
        "<table class=\"retention\"><tr><th class=\"text\">window</th><th>young</th>\
         <th>mature</th><th>all</th></tr>\n",
    );
    for w in &r.retention.windows {
        let _ = writeln!(
            page,
            "<tr><td class=\"text\">last {} days</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            w.days,
            tally(w.young),
            tally(w.mature),
            tally(w.all)
        );
    }
    page.push_str("</table>\n");
}

fn calibration_table(page: &mut String, r: &Report) {
    if r.calibration.count == 0 {
        return;
    }
    page.push_str(
        "<table class=\"calibration\"><tr><th class=\"text\">predicted</th><th>reviews</th>\
         <th>mean predicted</th><th>actual</th></tr>\n",
    );
    for b in &r.calibration.bins {
        let _ = writeln!(
            page,
            "<tr><td class=\"text\">{:.0}-{:.0}%</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            b.from * 100.0,
            b.to * 100.0,
            b.count,
            pct(b.mean_predicted),
            pct(b.actual)
        );
    }
    page.push_str("</table>\n");
}

fn hardest_table(page: &mut String, title: &str, cards: &[HardCard]) {
    let _ = writeln!(page, "<section>\n<h2>{title}</h2>");
    if cards.is_empty() {
        page.push_str("<p>none</p>\n</section>\n");
        return;
    }
    page.push_str(
        "<table class=\"hardest\"><tr><th>lapses</th><th>reviews</th><th>recall now</th>\
         <th class=\"text\">deck</th><th class=\"text\">card</th><th class=\"text\">prompt</th></tr>\n",
    );
    for c in cards {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"text\">{}</td>\
             <td class=\"text\">{}</td><td class=\"text\">{}</td></tr>",
            c.lapses,
            c.reviews,
            pct(c.retrievability),
            escape(&c.deck),
            escape(&c.card),
            escape(&c.prompt)
        );
    }
    page.push_str("</table>\n</section>\n");
}

/// The most confused pairs (`docs/statistics.md`, "Confusions").
fn confused_table(page: &mut String, pairs: &[crate::store::ConfusedPair]) {
    page.push_str("<section>\n<h2>Most confused</h2>\n");
    if pairs.is_empty() {
        page.push_str("<p>none</p>\n</section>\n");
        return;
    }
    page.push_str(
        "<table class=\"hardest\"><tr><th>times</th><th class=\"text\">answered</th>\
         <th class=\"text\">for</th><th class=\"text\">deck</th><th class=\"text\">card</th>\
         <th class=\"text\">prompt</th></tr>\n",
    );
    for p in pairs {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td>\
             <td class=\"text\">{}</td><td class=\"text\">{}</td><td class=\"text\">{}</td></tr>",
            p.times,
            escape(&p.given),
            escape(&p.expected),
            escape(&p.deck),
            escape(&p.card),
            escape(&p.prompt)
        );
    }
    page.push_str("</table>\n</section>\n");
}

/// Text as HTML text: `& < > "` escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        let case = |path: &str, want: Option<Format>| {
            assert_eq!(Format::of(std::path::Path::new(path)), want, "{path}");
        };
        case("progress.html", Some(Format::Html));
        case("a/b/PROGRESS.HTM", Some(Format::Html));
        case("chart.svg", Some(Format::Svg));
        case("progress.pdf", None);
        case("progress", None);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<b>\"x\" & y</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"
        );
    }
}
