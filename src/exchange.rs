//! Review-log exchange formats (`docs/formats.md`): the plain CSV `card_id,review_time,rating`
//! and factdrill's lossless JSON. Pure: rows in, text out; text in, rows or every problem
//! with its line out. The store does the reading and writing of the database.

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;

use crate::schedule::Rating;
use crate::store::{CardRef, ExportedReview, ImportedReview};
use crate::yaml::{Pos, Problem};

/// The CSV header, exactly as the shared review-log format has it.
pub const CSV_HEADER: &str = "card_id,review_time,rating";

/// The JSON document's `format` value.
pub const JSON_FORMAT: &str = "factdrill-reviews";

/// One CSV line (with its newline); empty for a cram review, which the CSV format (read by
/// schedulers and optimizers) has no place for.
pub fn csv_row(r: &ExportedReview) -> String {
    if r.cram {
        return String::new();
    }
    format!(
        "{},{},{}\n",
        r.card_id,
        r.reviewed_at.as_millisecond(),
        r.rating.number()
    )
}

/// The opening of the JSON document; rows follow, separated by `,\n`, then `JSON_END`.
pub fn json_start() -> String {
    format!("{{\"format\": \"{JSON_FORMAT}\", \"version\": 1, \"reviews\": [\n")
}

pub const JSON_END: &str = "\n]}\n";

/// One review as a JSON object on one line.
pub fn json_row(r: &ExportedReview) -> String {
    json!({
        "deck": r.deck,
        "deck_name": r.deck_name,
        "card": r.card,
        "card_id": r.card_id,
        "kind": r.kind,
        "prompt": r.prompt,
        "card_answer": r.card_answer,
        "review_time": r.reviewed_at.as_millisecond(),
        "rating": r.rating.number(),
        "answer": r.answer,
        "verdict": r.verdict,
        "response_ms": r.response_ms,
        "scheduler": r.scheduler,
        "mode": if r.cram { "cram" } else { "normal" },
    })
    .to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDoc {
    format: String,
    version: u32,
    reviews: Vec<JsonReview>,
}

#[derive(Deserialize)]
struct JsonReview {
    deck: String,
    deck_name: Option<String>,
    card: String,
    kind: Option<String>,
    prompt: Option<String>,
    card_answer: Option<String>,
    review_time: i64,
    rating: i64,
    #[serde(default)]
    answer: String,
    verdict: Option<String>,
    #[serde(default)]
    response_ms: u64,
    scheduler: Option<String>,
    /// `normal` (the default) or `cram`.
    mode: Option<String>,
}

const VERDICTS: [&str; 4] = ["correct", "close", "partial", "wrong"];

/// The verdict of a review that has none: self-graded, Again is wrong, the rest correct.
fn verdict_of(rating: Rating) -> &'static str {
    if rating == Rating::Again {
        "wrong"
    } else {
        "correct"
    }
}

fn time(ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(ms).ok()
}

/// Reads a review log: JSON when the text starts with `{`, CSV otherwise.
pub fn parse(text: &str) -> Result<Vec<ImportedReview>, Vec<Problem>> {
    if text.trim_start().starts_with('{') {
        parse_json(text)
    } else {
        parse_csv(text)
    }
}

fn problem(line: usize, message: impl Into<String>) -> Problem {
    Problem::new(
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: 1,
        },
        message,
    )
}

/// The CSV format: the header line, then `card_id,review_time,rating` per line.
pub fn parse_csv(text: &str) -> Result<Vec<ImportedReview>, Vec<Problem>> {
    let mut lines = text.lines().enumerate();
    let mut problems = Vec::new();
    match lines.next() {
        Some((_, header)) if header.trim().trim_start_matches('\u{feff}') == CSV_HEADER => {}
        _ => {
            return Err(vec![problem(
                1,
                format!("the first line must be the header `{CSV_HEADER}`"),
            )]);
        }
    }
    let mut reviews = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 3 {
            problems.push(problem(
                n,
                format!(
                    "expected 3 fields (card_id,review_time,rating), found {}",
                    fields.len()
                ),
            ));
            continue;
        }
        let card = fields[0].parse::<i64>().ok().filter(|&c| c > 0);
        let at = fields[1].parse::<i64>().ok().and_then(time);
        let rating = fields[2].parse::<i64>().ok().and_then(Rating::from_number);
        match (card, at, rating) {
            (Some(card), Some(at), Some(rating)) => reviews.push(ImportedReview {
                card: CardRef::Number(card),
                reviewed_at: at,
                rating,
                answer: String::new(),
                verdict: verdict_of(rating).to_owned(),
                response_ms: 0,
                scheduler: "import".to_owned(),
                cram: false,
            }),
            (None, _, _) => problems.push(problem(
                n,
                format!("card_id `{}` is not a positive whole number", fields[0]),
            )),
            (_, None, _) => problems.push(problem(
                n,
                format!(
                    "review_time `{}` is not a time in milliseconds since 1970",
                    fields[1]
                ),
            )),
            (_, _, None) => problems.push(problem(
                n,
                format!("rating `{}` is not 1, 2, 3 or 4", fields[2]),
            )),
        }
    }
    if problems.is_empty() {
        Ok(reviews)
    } else {
        Err(problems)
    }
}

/// The JSON format written by `export reviews --format json`.
pub fn parse_json(text: &str) -> Result<Vec<ImportedReview>, Vec<Problem>> {
    let doc: JsonDoc = serde_json::from_str(text).map_err(|e| {
        vec![Problem::new(
            Pos {
                line: u32::try_from(e.line()).unwrap_or(0),
                col: u32::try_from(e.column()).unwrap_or(0),
            },
            format!("not a factdrill review log: {e}"),
        )]
    })?;
    if doc.format != JSON_FORMAT || doc.version != 1 {
        return Err(vec![problem(
            1,
            format!(
                "format `{}` version {} is not `{JSON_FORMAT}` version 1",
                doc.format, doc.version
            ),
        )]);
    }
    let mut problems = Vec::new();
    let mut reviews = Vec::new();
    for (i, r) in doc.reviews.into_iter().enumerate() {
        // Reviews are written one per line after the opening line.
        let n = i + 2;
        let Some(rating) = Rating::from_number(r.rating) else {
            problems.push(problem(
                n,
                format!("rating {} is not 1, 2, 3 or 4", r.rating),
            ));
            continue;
        };
        let Some(at) = time(r.review_time) else {
            problems.push(problem(
                n,
                format!("review_time {} is out of range", r.review_time),
            ));
            continue;
        };
        let verdict = r.verdict.unwrap_or_else(|| verdict_of(rating).to_owned());
        if !VERDICTS.contains(&verdict.as_str()) {
            problems.push(problem(
                n,
                format!("verdict `{verdict}` is not one of {}", VERDICTS.join(", ")),
            ));
            continue;
        }
        let kind = r.kind.unwrap_or_else(|| "recall".to_owned());
        if crate::deck::Kind::parse(&kind).is_none() {
            problems.push(problem(n, format!("kind `{kind}` is not a card kind")));
            continue;
        }
        for (what, id) in [("deck", &r.deck), ("card", &r.card)] {
            if let Err(reason) = crate::deck::Id::parse(id) {
                problems.push(problem(n, format!("{what}: {reason}")));
            }
        }
        let cram = match r.mode.as_deref() {
            None | Some("normal") => false,
            Some("cram") => true,
            Some(other) => {
                problems.push(problem(
                    n,
                    format!("mode `{other}` is not `normal` or `cram`"),
                ));
                continue;
            }
        };
        reviews.push(ImportedReview {
            card: CardRef::Key {
                deck_name: r.deck_name.unwrap_or_else(|| r.deck.clone()),
                deck: r.deck,
                card: r.card,
                kind,
                prompt: r.prompt.unwrap_or_default(),
                answer: r.card_answer.unwrap_or_default(),
            },
            reviewed_at: at,
            rating,
            answer: r.answer,
            verdict,
            response_ms: r.response_ms,
            scheduler: r.scheduler.unwrap_or_else(|| "import".to_owned()),
            cram,
        });
    }
    if problems.is_empty() {
        Ok(reviews)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_parse_with_derived_verdicts() {
        let rows =
            parse("card_id,review_time,rating\n7,1745851969576,3\n7,1745938369576,1\n\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].card, CardRef::Number(7));
        assert_eq!(rows[0].reviewed_at.as_millisecond(), 1_745_851_969_576);
        assert_eq!(
            (rows[0].rating, rows[0].verdict.as_str()),
            (Rating::Good, "correct")
        );
        assert_eq!(
            (rows[1].rating, rows[1].verdict.as_str()),
            (Rating::Again, "wrong")
        );
    }

    #[test]
    fn every_bad_csv_line_is_reported_with_its_number() {
        let problems = parse("card_id,review_time,rating\n1,2,3\nx,2,3\n1,2,5\n1,2\n").unwrap_err();
        let lines: Vec<(u32, &str)> = problems
            .iter()
            .map(|p| (p.pos.line, p.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (3, "card_id `x` is not a positive whole number"),
                (4, "rating `5` is not 1, 2, 3 or 4"),
                (5, "expected 3 fields (card_id,review_time,rating), found 2"),
            ]
        );
        let header = parse("id,time,rating\n").unwrap_err();
        assert_eq!(
            header[0].message,
            "the first line must be the header `card_id,review_time,rating`"
        );
    }

    #[test]
    fn json_rows_round_trip() {
        let review = ExportedReview {
            card_id: 3,
            deck: "oms".into(),
            deck_name: "The OMS".into(),
            card: "hq".into(),
            kind: "recall".into(),
            prompt: "Where?".into(),
            card_answer: "Berlin".into(),
            reviewed_at: Timestamp::from_millisecond(1_700_000_000_123).unwrap(),
            rating: Rating::Hard,
            answer: "Berln".into(),
            verdict: "close".into(),
            response_ms: 4200,
            scheduler: "fsrs-6".into(),
            cram: true,
        };
        let text = format!("{}{}{JSON_END}", json_start(), json_row(&review));
        let rows = parse(&text).unwrap();
        assert_eq!(
            rows,
            vec![ImportedReview {
                card: CardRef::Key {
                    deck: "oms".into(),
                    deck_name: "The OMS".into(),
                    card: "hq".into(),
                    kind: "recall".into(),
                    prompt: "Where?".into(),
                    answer: "Berlin".into(),
                },
                reviewed_at: review.reviewed_at,
                rating: Rating::Hard,
                answer: "Berln".into(),
                verdict: "close".into(),
                response_ms: 4200,
                scheduler: "fsrs-6".into(),
                cram: true,
            }]
        );
        assert_eq!(csv_row(&review), "", "the CSV format has no place for cram");
        let normal = ExportedReview {
            cram: false,
            ..review
        };
        assert_eq!(csv_row(&normal), "3,1700000000123,2\n");
    }
}
