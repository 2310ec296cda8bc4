//! `factdrill card ...`: marks on cards named `DECK/CARD` (or `CARD`), given as arguments
//! or read from a file or standard input (`--from`). Every name is resolved, in one lookup,
//! before anything changes; then the change is made to every card in one transaction.

use std::path::Path;

use super::open;
use crate::cli::{CardAction, Config};
use crate::day::Day;
use crate::error::Error;
use crate::mark::MarkChange;
use crate::store::{FoundCard, Store};
use crate::term;

/// A card name and where it was read: `None` for an argument, else the file and line.
struct Name {
    text: String,
    from: Option<(String, usize)>,
}

pub(super) fn card(action: &CardAction, config: &Config) -> Result<(), Error> {
    let targets = match action {
        CardAction::Suspend(t)
        | CardAction::Unsuspend(t)
        | CardAction::Bury(t)
        | CardAction::Unbury(t)
        | CardAction::Unflag(t)
        | CardAction::Show(t) => t,
        CardAction::Flag(f) => &f.targets,
    };
    let mut names: Vec<Name> = targets
        .cards
        .iter()
        .map(|text| Name {
            text: text.clone(),
            from: None,
        })
        .collect();
    if let Some(path) = &targets.from {
        names.extend(read_names(path)?);
    }
    let store = open(config)?;
    let found = resolve(&store, &names)?;
    let mut store = store;
    let now = config.clock.now();
    let until = Day::containing(now, &config.tz).end;
    let (change, done) = match action {
        CardAction::Suspend(_) => (MarkChange::Suspend, "suspended".to_owned()),
        CardAction::Unsuspend(_) => (MarkChange::Unsuspend, "unsuspended".to_owned()),
        CardAction::Bury(_) => (
            MarkChange::Bury { until },
            format!(
                "buried until {}",
                until
                    .to_zoned_datetime(config.tz.clone())
                    .strftime("%Y-%m-%d %H:%M")
            ),
        ),
        CardAction::Unbury(_) => (MarkChange::Unbury, "unburied".to_owned()),
        CardAction::Flag(f) => (
            MarkChange::Flag {
                flag: f.colour,
                note: f.note.clone(),
            },
            format!("flagged {}", f.colour),
        ),
        CardAction::Unflag(_) => (MarkChange::Unflag, "unflagged".to_owned()),
        CardAction::Show(_) => {
            for card in &found {
                let marks = store.marks(card.handle)?;
                term::card_marks(card, &marks, now, &config.tz);
            }
            return Ok(());
        }
    };
    let handles: Vec<i64> = found.iter().map(|c| c.handle).collect();
    store.change_marks(&handles, now, &change)?;
    for card in &found {
        term::card_done(card, &done);
    }
    Ok(())
}

/// The names in a file (or standard input, `-`): one a line, trimmed; blank lines and
/// lines starting with `#` skipped.
fn read_names(path: &Path) -> Result<Vec<Name>, Error> {
    let (text, shown) = if path == Path::new("-") {
        let bytes = term::read_stdin()?;
        let text = crate::text::decode(bytes).map_err(|(line, col)| Error::NotUtf8 {
            path: "<stdin>".into(),
            line,
            col,
        })?;
        (text, "<stdin>".to_owned())
    } else {
        let text = crate::text::read(path, MAX_NAMES_BYTES)?;
        (text, path.display().to_string())
    };
    Ok(text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(n, line)| Name {
            text: line.to_owned(),
            from: Some((shown.clone(), n)),
        })
        .collect())
}

/// A names file larger than this is refused (a million names of 60 bytes).
const MAX_NAMES_BYTES: u64 = 64 << 20;

/// The card each name means, each card once, in the order first named. Every name that
/// matches no card or several is reported (with its file and line) and nothing is
/// returned: one bad name changes nothing. A single unknown name given as an argument is
/// the plain `UnknownCard` error.
fn resolve(store: &Store, names: &[Name]) -> Result<Vec<FoundCard>, Error> {
    let parts: Vec<(Option<&str>, &str)> = names
        .iter()
        .map(|n| match n.text.split_once('/') {
            Some((deck, card)) => (Some(deck), card),
            None => (None, n.text.as_str()),
        })
        .collect();
    let matches = store.find_named_cards(&parts)?;
    let mut problems = Vec::new();
    let mut found = Vec::with_capacity(names.len());
    let mut seen = std::collections::HashSet::new();
    // An unknown name given as an argument: when it is the only problem, the error is said
    // as it always was.
    let mut argument_error = None;
    for ((name, (deck, card)), mut cards) in names.iter().zip(&parts).zip(matches) {
        let problem = match cards.len() {
            1 => {
                let card = cards.pop().expect("one card");
                if seen.insert(card.handle) {
                    found.push(card);
                }
                continue;
            }
            0 => {
                let unknown = Error::UnknownCard {
                    card: (*card).to_owned(),
                    deck: deck.map(str::to_owned),
                };
                let text = unknown.to_string();
                if name.from.is_none() {
                    argument_error.get_or_insert(unknown);
                }
                text
            }
            _ => format!(
                "card `{card}` is in several decks ({}); name it DECK/CARD",
                cards
                    .into_iter()
                    .map(|c| c.deck)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        problems.push(match &name.from {
            Some((file, line)) => format!("{file}:{line}: {problem}"),
            None => problem,
        });
    }
    if problems.is_empty() {
        Ok(found)
    } else if let (1, Some(error)) = (problems.len(), argument_error) {
        Err(error)
    } else {
        Err(Error::CardNames {
            problems,
            total: names.len(),
        })
    }
}
