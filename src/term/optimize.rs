//! What `optimize` and `evaluate` show: progress while fitting (only on a terminal), the
//! fitted parameters and the metrics before and after, the evaluation table.

use std::io::{IsTerminal, Write};

use anstyle::Style;

use crate::schedule::optimize::evaluate::Evaluation;
use crate::schedule::optimize::metrics::Metrics;
use crate::schedule::optimize::{Fit, Progress};
use crate::store::ParamScope;

const BOLD: Style = Style::new().bold();

/// A one-line progress display on stderr, redrawn when the percentage changes; nothing when
/// stderr is not a terminal.
pub struct FitProgress {
    on: bool,
    shown: Option<usize>,
}

impl Default for FitProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl FitProgress {
    pub fn new() -> Self {
        Self {
            on: std::io::stderr().is_terminal(),
            shown: None,
        }
    }

    pub fn update(&mut self, p: Progress) {
        if !self.on || p.total == 0 || p.epochs == 0 {
            return;
        }
        let done = (p.epoch.saturating_sub(1)) * p.total + p.done.min(p.total);
        let percent = done * 100 / (p.epochs * p.total);
        if self.shown != Some(percent) {
            self.shown = Some(percent);
            let mut err = anstream::stderr();
            let _ = write!(
                err,
                "\rfitting FSRS-6: {percent:>3} % (epoch {}/{})",
                p.epoch, p.epochs
            );
            let _ = err.flush();
        }
    }

    /// Clears the progress line.
    pub fn finish(&mut self) {
        if self.on && self.shown.is_some() {
            let mut err = anstream::stderr();
            let _ = write!(err, "\r{:60}\r", "");
            let _ = err.flush();
        }
    }
}

fn auc(m: &Metrics) -> String {
    m.auc.map_or_else(|| "-".to_owned(), |a| format!("{a:.4}"))
}

/// The fitted parameters and the metrics of the defaults and the fit on the same reviews.
pub fn fit_report(
    fit: &Fit,
    [before, after]: [&Metrics; 2],
    asked_to_save: bool,
    saved: Option<&ParamScope>,
) {
    println!(
        "Fitted FSRS-6 to {} reviews of {} cards: {} of them on a later day than the card's previous review, {} used for the fit.",
        fit.reviews, fit.cards, fit.items, fit.used_items
    );
    if fit.kept_defaults {
        println!(
            "The fit did not predict these reviews better than the default parameters, so the defaults are kept."
        );
    }
    println!();
    println!("{BOLD}Parameters{BOLD:#} (w0 to w20):");
    for row in fit.parameters.chunks(7) {
        let cells: Vec<String> = row.iter().map(|w| format!("{w:.4}")).collect();
        println!("  {}", cells.join(", "));
    }
    println!();
    println!("{:<12} {:>9} {:>9}", "", "defaults", "fitted");
    println!(
        "{:<12} {:>9.4} {:>9.4}",
        "log loss", before.log_loss, after.log_loss
    );
    println!(
        "{:<12} {:>9.4} {:>9.4}",
        "RMSE(bins)", before.rmse_bins, after.rmse_bins
    );
    println!("{:<12} {:>9} {:>9}", "AUC", auc(before), auc(after));
    println!(
        "Measured on the reviews fitted to; `factdrill evaluate` measures on later reviews the fit has not seen."
    );
    println!();
    match saved {
        Some(ParamScope::Global) => println!(
            "Saved: every deck without parameters of its own is scheduled with them from now on."
        ),
        Some(ParamScope::Deck(deck)) => println!(
            "Saved for deck `{}`: it is scheduled with them from now on.",
            crate::term::safe(deck)
        ),
        None if asked_to_save => println!("Nothing saved: the defaults stay in use."),
        None => println!("Not saved; run again with --save to schedule with them."),
    }
}

/// The split and each model's metrics on the later part.
pub fn evaluation_report(e: &Evaluation, tz: &jiff::tz::TimeZone) {
    let cut = jiff::Timestamp::from_millisecond(e.split.cutoff).map_or_else(
        |_| e.split.cutoff.to_string(),
        |t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y-%m-%d %H:%M:%S %:z")
                .to_string()
        },
    );
    println!(
        "Fitted on the {} reviews before {cut} (80 % of the log's time span); every model predicts the {} from then on.",
        e.train_items, e.test_items
    );
    println!(
        "(Only reviews on a later day than the card's previous one count; docs/optimizer.md.)"
    );
    println!();
    println!(
        "{:<18} {:>9} {:>11} {:>7}",
        "model", "log loss", "RMSE(bins)", "AUC"
    );
    for m in &e.models {
        println!(
            "{:<18} {:>9.4} {:>11.4} {:>7}",
            m.name,
            m.metrics.log_loss,
            m.metrics.rmse_bins,
            auc(&m.metrics)
        );
    }
    println!();
    println!("Lower log loss and RMSE(bins) are better; higher AUC is better.");
    if e.fit.kept_defaults {
        println!(
            "The fit did not improve on the defaults on the earlier reviews, so fitted FSRS-6 is the defaults."
        );
    }
}

/// `evaluate`'s log loss per question format (database logs only).
pub fn format_losses(groups: &[crate::schedule::optimize::grouped::GroupLoss]) {
    let loss = |l: Option<f64>| l.map_or_else(|| "-".to_owned(), |l| format!("{l:.4}"));
    println!();
    println!("Log loss per question format, on the same later reviews:");
    println!(
        "{:<12} {:>7} {:>15} {:>14}",
        "format", "reviews", "default FSRS-6", "fitted FSRS-6"
    );
    for g in groups.iter().filter(|g| g.items > 0) {
        println!(
            "{:<12} {:>7} {:>15} {:>14}",
            g.group,
            g.items,
            loss(g.default),
            loss(g.fitted)
        );
    }
}
