//! Writes a synthetic factdrill collection for benchmarks (docs/BENCHMARKS.md): deck files
//! and a database with a simulated review log, reproducible from a seed.
//!
//! ```sh
//! cargo run --release --example synth -- DIR [CARDS [REVIEWS [DECKS [SEED]]]]
//! ```
//!
//! Defaults: 100,000 cards, 2,000,000 reviews, 10 decks, seed 7, reviews before
//! 2026-11-25T09:00:00Z (set FACTDRILL_NOW the same when running commands on it).

#[path = "../benches/support/synth.rs"]
mod synth;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: synth DIR [CARDS [REVIEWS [DECKS [SEED]]]]");
        return ExitCode::from(2);
    };
    let mut options = synth::Options::new(dir.into());
    let number = |i: usize, default: usize| -> Result<usize, String> {
        args.get(i).map_or(Ok(default), |a| {
            a.replace('_', "")
                .parse()
                .map_err(|_| format!("argument {i} ({a}) is not a number"))
        })
    };
    let parsed = (|| -> Result<(), String> {
        options.cards = number(1, options.cards)?;
        options.reviews = number(2, options.reviews)?;
        options.decks = number(3, options.decks)?;
        options.seed = number(4, options.seed as usize)? as u64;
        Ok(())
    })();
    if let Err(e) = parsed {
        eprintln!("synth: {e}");
        return ExitCode::from(2);
    }
    let started = std::time::Instant::now();
    match synth::generate(&options) {
        Ok(s) => {
            println!(
                "{}: {} cards ({} studied) in {} decks, {} reviews (again {}, hard {}, good {}, easy {}) in {:.1} s",
                s.db.display(),
                s.cards,
                s.studied,
                s.decks.len(),
                s.reviews,
                s.ratings[0],
                s.ratings[1],
                s.ratings[2],
                s.ratings[3],
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}
