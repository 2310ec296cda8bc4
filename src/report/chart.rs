//! Each chart of the progress report drawn with plotters on an SVG drawing area. Numbers
//! come only from `stats::Report`; nothing here computes a statistic. The functions draw
//! and never `present` (which would close the SVG document): the caller presents once,
//! after drawing every chart that shares the image.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::stats::Report;
use crate::stats::cards::{Accuracy, Histogram};

/// One drawing area of the SVG backend.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// What drawing can fail with (the SVG backend writes to a string: in practice, nothing).
pub type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

const GREEN: RGBColor = RGBColor(46, 139, 87);
const RED: RGBColor = RGBColor(205, 92, 92);
const BLUE: RGBColor = RGBColor(70, 110, 180);
const ORANGE: RGBColor = RGBColor(230, 145, 56);
const GREY: RGBColor = RGBColor(150, 150, 150);
const EMPTY: RGBColor = RGBColor(235, 237, 240);

const TITLE: (&str, u32) = ("sans-serif", 22);
const LABEL: (&str, u32) = ("sans-serif", 13);

/// A function that draws one chart of the report.
pub type Paint = fn(&Area<'_>, &Report) -> DrawResult;

/// The charts, in the order the report shows them: a title and what draws it.
pub const CHARTS: &[(&str, Paint)] = &[
    ("Reviews per day", reviews_per_day),
    ("Last year", heatmap),
    ("Forecast", forecast),
    ("Cards by state", states),
    ("True retention", retention),
    ("Calibration", calibration),
    ("Intervals", intervals),
    ("Difficulty", difficulty),
    ("Accuracy by deck", accuracy_by_deck),
    ("Accuracy by kind", accuracy_by_kind),
    ("Accuracy by fact", accuracy_by_fact),
    ("Accuracy by question", accuracy_by_question),
];

/// Short date labels for a day axis.
fn month_day(date: jiff::civil::Date) -> String {
    format!("{:02}-{:02}", date.month(), date.day())
}

/// A labelled column chart: one bar per value, its label under it (a segmented axis, so
/// each label sits under its own bar).
fn columns(
    area: &Area<'_>,
    title: &str,
    labels: &[String],
    values: &[f64],
    y_desc: &str,
    y_max: Option<f64>,
    color: RGBColor,
) -> DrawResult {
    area.fill(&WHITE)?;
    let top = y_max.unwrap_or_else(|| values.iter().copied().fold(0.0, f64::max).max(1.0) * 1.15);
    let n = values.len().max(1) as u32;
    let mut chart = ChartBuilder::on(area)
        .caption(title, TITLE)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)?;
    // At most about 12 labels: every k-th bar's.
    let every = n.div_ceil(12).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(n as usize)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) if i.is_multiple_of(every) => {
                labels.get(*i as usize).cloned().unwrap_or_default()
            }
            _ => String::new(),
        })
        .y_labels(6)
        .y_label_formatter(&|y: &f64| format!("{y:.0}"))
        .y_desc(y_desc)
        .label_style(LABEL)
        .draw()?;
    chart.draw_series(
        plotters::series::Histogram::vertical(&chart)
            .style(color.filled())
            .margin(if n > 20 { 2 } else { 8 })
            .data(values.iter().enumerate().map(|(i, &v)| (i as u32, v))),
    )?;
    // The value over each bar, when there are few enough bars to read them.
    if n <= 16 {
        chart.draw_series(values.iter().enumerate().filter(|(_, v)| **v > 0.0).map(
            |(i, &v)| {
                let text = if y_max == Some(100.0) {
                    format!("{v:.0}%")
                } else {
                    format!("{v:.0}")
                };
                Text::new(
                    text,
                    (SegmentValue::CenterOf(i as u32), v + top * 0.03),
                    LABEL,
                )
            },
        ))?;
    }
    Ok(())
}

/// Reviews per day: every review (grey) with the right answers over it (green).
pub fn reviews_per_day(area: &Area<'_>, r: &Report) -> DrawResult {
    area.fill(&WHITE)?;
    let n = r.daily.len().max(1);
    let top = r
        .daily
        .iter()
        .map(|d| f64::from(d.totals.reviews))
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Reviews per day, last {} days", r.daily.len()),
            TITLE,
        )
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..n as f64, 0.0..top)?;
    let every = n.div_ceil(10).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(40))
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            if (x - x.floor()).abs() < 1e-9 && i.is_multiple_of(every) {
                r.daily
                    .get(i)
                    .map(|d| month_day(d.date))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .light_line_style(WHITE)
        .y_label_formatter(&|y: &f64| format!("{y:.0}"))
        .y_desc("reviews")
        .label_style(LABEL)
        .draw()?;
    chart
        .draw_series(r.daily.iter().enumerate().map(|(i, d)| {
            let x = i as f64;
            Rectangle::new(
                [(x + 0.1, 0.0), (x + 0.9, f64::from(d.totals.reviews))],
                RED.filled(),
            )
        }))?
        .label("not right")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], RED.filled()));
    chart
        .draw_series(r.daily.iter().enumerate().map(|(i, d)| {
            let x = i as f64;
            Rectangle::new(
                [(x + 0.1, 0.0), (x + 0.9, f64::from(d.totals.correct))],
                GREEN.filled(),
            )
        }))?
        .label("right (correct or close)")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], GREEN.filled()));
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}

/// A calendar heatmap of the last year: one column per week, Monday at the top.
pub fn heatmap(area: &Area<'_>, r: &Report) -> DrawResult {
    area.fill(&WHITE)?;
    let h = &r.heatmap;
    let weeks = h.weeks().max(1);
    let max = h.reviews.iter().copied().max().unwrap_or(0).max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Last year: reviews per day, {} to {}", h.start, h.today),
            TITLE,
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(0.0..weeks as f64, 7.0..0.0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_axes()
        .x_labels(0)
        .y_labels(0)
        .draw()?;
    // Labels drawn where the cells are (an axis would put them at the cells' edges): the
    // weekday of a row, the month that begins in a week's column.
    let (base_x, base_y) = area.get_base_pixel();
    let at = |x: f64, y: f64| {
        let (px, py) = chart.backend_coord(&(x, y));
        (px - base_x, py - base_y)
    };
    for (day, name) in [(0.5, "Mon"), (2.5, "Wed"), (4.5, "Fri"), (6.5, "Sun")] {
        let (px, py) = at(0.0, day);
        area.draw(&Text::new(name, (px - 32, py - 7), LABEL))?;
    }
    for week in 0..weeks {
        let monday = h.monday(week);
        if monday.day() <= 7 {
            let (px, py) = at(week as f64, 7.0);
            area.draw(&Text::new(
                monday.strftime("%b").to_string(),
                (px, py + 6),
                LABEL,
            ))?;
        }
    }
    chart.draw_series(h.reviews.iter().enumerate().map(|(i, &n)| {
        let (week, day) = ((i / 7) as f64, (i % 7) as f64);
        let color = if n == 0 {
            EMPTY
        } else {
            // From light to dark green with the day's share of the busiest day.
            let share = 0.25 + 0.75 * f64::from(n) / f64::from(max);
            let mix = |light: u8, dark: u8| {
                (f64::from(light) + (f64::from(dark) - f64::from(light)) * share) as u8
            };
            RGBColor(mix(198, 25), mix(228, 97), mix(139, 39))
        };
        Rectangle::new(
            [(week + 0.08, day + 0.08), (week + 0.92, day + 0.92)],
            color.filled(),
        )
    }))?;
    Ok(())
}

pub fn forecast(area: &Area<'_>, r: &Report) -> DrawResult {
    let labels: Vec<String> = r.forecast.days.iter().map(|d| month_day(d.date)).collect();
    let values: Vec<f64> = r.forecast.days.iter().map(|d| f64::from(d.due)).collect();
    columns(
        area,
        &format!(
            "Forecast: cards due, next {} days ({} overdue today)",
            values.len(),
            r.forecast.overdue
        ),
        &labels,
        &values,
        "cards due",
        None,
        BLUE,
    )
}

pub fn states(area: &Area<'_>, r: &Report) -> DrawResult {
    let p = r.snapshot.phases;
    let rows = [
        ("new", p.new),
        ("learning", p.learning),
        ("review", p.review),
        ("relearning", p.relearning),
        ("retired", r.snapshot.retired),
    ];
    let labels: Vec<String> = rows.iter().map(|(l, _)| (*l).to_owned()).collect();
    let values: Vec<f64> = rows.iter().map(|(_, n)| f64::from(*n)).collect();
    columns(
        area,
        "Cards by state",
        &labels,
        &values,
        "cards",
        None,
        BLUE,
    )
}

/// True retention per window: young, mature and all, side by side.
pub fn retention(area: &Area<'_>, r: &Report) -> DrawResult {
    area.fill(&WHITE)?;
    let windows = &r.retention.windows;
    let n = windows.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .caption("True retention: reviews passed, % (young < 21 d)", TITLE)
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        // Room above 100% for the legend.
        .build_cartesian_2d(0.0..n as f64, 0.0..130.0)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            if (x - x.floor() - 0.5).abs() < 1e-9 {
                windows
                    .get(i)
                    .map(|w| format!("last {} days", w.days))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .light_line_style(WHITE)
        .y_labels(14)
        .y_label_formatter(&|y: &f64| {
            if *y <= 100.0 {
                format!("{y:.0}")
            } else {
                String::new()
            }
        })
        .y_desc("% passed")
        .label_style(LABEL)
        .draw()?;
    let groups = [
        ("young", GREEN, 0usize),
        ("mature", BLUE, 1),
        ("all", GREY, 2),
    ];
    for (name, color, slot) in groups {
        let tally = |w: &crate::stats::retention::Window| match slot {
            0 => w.young,
            1 => w.mature,
            _ => w.all,
        };
        chart
            .draw_series(windows.iter().enumerate().filter_map(|(i, w)| {
                let rate = tally(w).rate()? * 100.0;
                let x = i as f64 + 0.1 + 0.27 * slot as f64;
                Some(Rectangle::new([(x, 0.0), (x + 0.25, rate)], color.filled()))
            }))?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
        chart.draw_series(windows.iter().enumerate().filter_map(|(i, w)| {
            let t = tally(w);
            let rate = t.rate()? * 100.0;
            let x = i as f64 + 0.1 + 0.27 * slot as f64;
            Some(Text::new(format!("{rate:.0}%"), (x, rate + 4.0), LABEL))
        }))?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

/// Predicted recall against actual recall, per bin; perfect calibration is the diagonal.
pub fn calibration(area: &Area<'_>, r: &Report) -> DrawResult {
    area.fill(&WHITE)?;
    let c = &r.calibration;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "Calibration: predicted vs actual recall ({} reviews)",
                c.count
            ),
            TITLE,
        )
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..100.0, 0.0..100.0)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_label_formatter(&|x: &f64| format!("{x:.0}"))
        .y_label_formatter(&|y: &f64| format!("{y:.0}"))
        .x_desc("predicted recall %")
        .y_desc("actual recall %")
        .label_style(LABEL)
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (100.0, 100.0)],
            GREY.stroke_width(1),
        ))?
        .label("perfect calibration")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], GREY));
    let points: Vec<(f64, f64, u32)> = c
        .bins
        .iter()
        .filter_map(|b| Some((b.mean_predicted? * 100.0, b.actual? * 100.0, b.count)))
        .collect();
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|&(x, y, _)| (x, y)),
            ORANGE.stroke_width(2),
        ))?
        .label("this learner")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], ORANGE.stroke_width(2)));
    chart.draw_series(
        points
            .iter()
            .map(|&(x, y, _)| Circle::new((x, y), 5, ORANGE.filled())),
    )?;
    chart.draw_series(
        points
            .iter()
            .map(|&(x, y, n)| Text::new(format!("{n}"), (x + 1.5, y - 2.0), LABEL)),
    )?;
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}

fn histogram(area: &Area<'_>, title: &str, h: &Histogram, y_desc: &str) -> DrawResult {
    let labels: Vec<String> = h.buckets.iter().map(|b| b.label.clone()).collect();
    let values: Vec<f64> = h.buckets.iter().map(|b| f64::from(b.count)).collect();
    columns(area, title, &labels, &values, y_desc, None, BLUE)
}

pub fn intervals(area: &Area<'_>, r: &Report) -> DrawResult {
    histogram(
        area,
        &format!(
            "Intervals: cards in review by interval ({} cards)",
            r.intervals.total()
        ),
        &r.intervals,
        "cards",
    )
}

pub fn difficulty(area: &Area<'_>, r: &Report) -> DrawResult {
    histogram(
        area,
        &format!(
            "Difficulty: FSRS difficulty of seen cards ({} cards)",
            r.difficulty.total()
        ),
        &r.difficulty,
        "cards",
    )
}

fn accuracy(area: &Area<'_>, title: &str, groups: &[Accuracy]) -> DrawResult {
    let labels: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let values: Vec<f64> = groups
        .iter()
        .map(|g| g.rate().unwrap_or(0.0) * 100.0)
        .collect();
    columns(area, title, &labels, &values, "% right", Some(100.0), GREEN)
}

pub fn accuracy_by_deck(area: &Area<'_>, r: &Report) -> DrawResult {
    accuracy(area, "Accuracy by deck: answers right, %", &r.decks)
}

pub fn accuracy_by_kind(area: &Area<'_>, r: &Report) -> DrawResult {
    accuracy(area, "Accuracy by kind: answers right, %", &r.kinds)
}

pub fn accuracy_by_fact(area: &Area<'_>, r: &Report) -> DrawResult {
    accuracy(area, "Accuracy by fact: answers right, %", &r.facts)
}

pub fn accuracy_by_question(area: &Area<'_>, r: &Report) -> DrawResult {
    accuracy(area, "Accuracy by question: answers right, %", &r.questions)
}

/// The hardest cards as rows of text, for the all-in-one SVG (the HTML page uses a table).
pub fn hardest(area: &Area<'_>, r: &Report) -> DrawResult {
    area.fill(&WHITE)?;
    let (_, height) = area.dim_in_pixel();
    area.draw(&Text::new("Hardest cards", (10, 10), TITLE))?;
    let mut y = 45;
    for (title, cards) in [
        ("Most lapses", &r.most_lapses),
        ("Lowest recall now", &r.lowest_recall),
    ] {
        area.draw(&Text::new(title, (10, y), ("sans-serif", 16)))?;
        y += 22;
        if cards.is_empty() {
            area.draw(&Text::new("none", (20, y), LABEL))?;
            y += 18;
        }
        for c in cards {
            if y as u32 + 18 > height {
                break;
            }
            let recall = c
                .retrievability
                .map_or_else(|| "-".to_owned(), |p| format!("{:.0}%", p * 100.0));
            let prompt: String = c.prompt.chars().take(70).collect();
            let line = format!(
                "{} lapses, {recall} recall  {}/{}  {prompt}",
                c.lapses, c.deck, c.card
            );
            area.draw(&Text::new(line, (20, y), LABEL))?;
            y += 18;
        }
        y += 10;
    }
    Ok(())
}

/// The legend box every chart with series labels draws, in one corner.
fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.8))
        .border_style(GREY)
        .label_font(LABEL)
        .draw()
}
