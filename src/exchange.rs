//! Review-log exchange formats (`docs/formats.md`): the plain CSV `card_id,review_time,rating`
//! and factdrill's lossless JSON. Pure: rows in, text out; text in, rows or every problem
//! with its line out. The store does the reading and writing of the database.

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;

use crate::schedule::Rating;
use crate::session::format::Format;
use crate::store::{CardRef, Confusion, ExportedReview, ImportedReview, LoggedReview};
use crate::yaml::{Pos, Problem};

/// The CSV header, exactly as the shared review-log format has it.
pub const CSV_HEADER: &str = "card_id,review_time,rating";

/// The JSON document's `format` value.
pub const JSON_FORMAT: &str = "factdrill-reviews";

/// The JSON document's `version`, the newest this build reads. Version 2 added each
/// review's `question_format`, `confused_with` and `confused_expected`; version 1 documents
/// (which have none of them) still read.
pub const JSON_VERSION: u32 = 2;

/// One CSV line (with its newline); empty for a cram review, which the CSV format (read by
/// schedulers and optimizers) has no place for.
pub fn csv_row(r: &ExportedReview) -> String {
    if r.review.cram {
        return String::new();
    }
    format!(
        "{},{},{}\n",
        r.card_id,
        r.review.reviewed_at.as_millisecond(),
        r.review.rating.number()
    )
}

/// The opening of the JSON document; rows follow, separated by `,\n`, then `JSON_END`.
pub fn json_start() -> String {
    format!("{{\"format\": \"{JSON_FORMAT}\", \"version\": {JSON_VERSION}, \"reviews\": [\n")
}

pub const JSON_END: &str = "\n]}\n";

/// One review as a JSON object on one line.
pub fn json_row(r: &ExportedReview) -> String {
    let review = &r.review;
    let mut row = json!({
        "deck": r.deck,
        "deck_name": r.deck_name,
        "card": r.card,
        "card_id": r.card_id,
        "kind": r.kind,
        "prompt": r.prompt,
        "card_answer": r.card_answer,
        "review_time": review.reviewed_at.as_millisecond(),
        "rating": review.rating.number(),
        "answer": review.answer,
        "verdict": review.verdict,
        "response_ms": review.response_ms,
        "scheduler": review.scheduler,
        "mode": if review.cram { "cram" } else { "normal" },
        "uid": r.uid,
        "device": r.device,
    });
    // Only on the reviews that have them, so older logs' rows read the same.
    if let Some(format) = &review.format {
        row["question_format"] = json!(format);
    }
    if let Some(c) = &review.confusion {
        row["confused_with"] = json!(c.given);
        row["confused_expected"] = json!(c.expected);
    }
    row.to_string()
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
    uid: Option<String>,
    device: Option<String>,
    /// `recognition`, `recall` or `ordering` (version 2).
    question_format: Option<String>,
    /// The entity a wrong answer named, and the answer expected then (version 2; the
    /// expected answer defaults to `card_answer`).
    confused_with: Option<String>,
    confused_expected: Option<String>,
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
                uid: None,
                device: None,
                review: LoggedReview {
                    reviewed_at: at,
                    rating,
                    answer: String::new(),
                    verdict: verdict_of(rating).to_owned(),
                    response_ms: 0,
                    scheduler: "import".to_owned(),
                    cram: false,
                    format: None,
                    confusion: None,
                },
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

/// A document this build reads: `factdrill-reviews`, version 1 or 2.
fn check_version(doc: &JsonDoc) -> Result<(), Vec<Problem>> {
    if doc.format != JSON_FORMAT || doc.version == 0 {
        Err(vec![problem(
            1,
            format!(
                "format `{}` version {} is not `{JSON_FORMAT}` version 1 or {JSON_VERSION}",
                doc.format, doc.version
            ),
        )])
    } else if doc.version > JSON_VERSION {
        Err(vec![problem(
            1,
            format!(
                "written by a newer factdrill (`{JSON_FORMAT}` version {}; this one reads up to {JSON_VERSION}); upgrade factdrill on this machine",
                doc.version
            ),
        )])
    } else {
        Ok(())
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
    check_version(&doc)?;
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
        let Some((uid, device)) = global_ids(r.uid, r.device, n, &mut problems) else {
            continue;
        };
        let card_answer = r.card_answer.unwrap_or_default();
        let given = (r.question_format, r.confused_with, r.confused_expected);
        let read = extras(given.0, given.1, given.2, &card_answer);
        let Ok((format, confusion)) = read.map_err(|m| problems.push(problem(n, m))) else {
            continue;
        };
        reviews.push(ImportedReview {
            card: CardRef::Key {
                deck_name: r.deck_name.unwrap_or_else(|| r.deck.clone()),
                deck: r.deck,
                card: r.card,
                kind,
                prompt: r.prompt.unwrap_or_default(),
                answer: card_answer,
            },
            uid,
            device,
            review: LoggedReview {
                reviewed_at: at,
                rating,
                answer: r.answer,
                verdict,
                response_ms: r.response_ms,
                scheduler: r.scheduler.unwrap_or_else(|| "import".to_owned()),
                cram,
                format,
                confusion,
            },
        });
    }
    if problems.is_empty() {
        Ok(reviews)
    } else {
        Err(problems)
    }
}

/// A review's format and confusion as a file gives them (this JSON, or a sync line): the
/// format checked, and a confusion's expected answer defaulting to the card's answer (files
/// written before it was carried). An empty `confused_with` is no confusion.
pub fn extras(
    format: Option<String>,
    given: Option<String>,
    expected: Option<String>,
    card_answer: &str,
) -> Result<(Option<String>, Option<Confusion>), String> {
    if let Some(format) = &format
        && Format::parse(format).is_none()
    {
        return Err(format!(
            "question_format `{format}` is not recognition, recall or ordering"
        ));
    }
    let confusion = match (given.filter(|g| !g.trim().is_empty()), expected) {
        (Some(given), expected) => Some(Confusion {
            given,
            expected: expected.unwrap_or_else(|| card_answer.to_owned()),
        }),
        (None, Some(_)) => return Err("confused_expected without confused_with".to_owned()),
        (None, None) => None,
    };
    Ok((format, confusion))
}

/// A review's global id and device (docs/sync.md), kept when valid; an empty one (a review
/// exported before it had one) is as good as none. `None` after reporting a bad one.
fn global_ids(
    uid: Option<String>,
    device: Option<String>,
    n: usize,
    problems: &mut Vec<Problem>,
) -> Option<(Option<String>, Option<String>)> {
    let uid = uid.filter(|u| !u.is_empty());
    if let Some(uid) = &uid
        && uuid::Uuid::parse_str(uid).is_err()
    {
        problems.push(problem(
            n,
            format!("uid `{uid}` is not a review id (a UUID)"),
        ));
        return None;
    }
    let device = device.filter(|d| !d.is_empty());
    if let Some(device) = &device
        && !crate::sync::format::valid_device(device)
    {
        problems.push(problem(n, format!("device `{device}` is not a device id")));
        return None;
    }
    Some((uid, device))
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
        let (first, second) = (&rows[0].review, &rows[1].review);
        assert_eq!(first.reviewed_at.as_millisecond(), 1_745_851_969_576);
        assert_eq!(
            (first.rating, first.verdict.as_str()),
            (Rating::Good, "correct")
        );
        assert_eq!(
            (second.rating, second.verdict.as_str()),
            (Rating::Again, "wrong")
        );
        assert_eq!((&first.format, &first.confusion), (&None, &None));
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

    fn exported(format: Option<&str>, confusion: Option<Confusion>) -> ExportedReview {
        ExportedReview {
            card_id: 3,
            deck: "oms".into(),
            deck_name: "The OMS".into(),
            card: "hq".into(),
            kind: "recall".into(),
            prompt: "Where?".into(),
            card_answer: "Berlin".into(),
            uid: "019ab2c0-0000-7000-8000-000000000001".into(),
            device: "a1b2".into(),
            review: LoggedReview {
                reviewed_at: Timestamp::from_millisecond(1_700_000_000_123).unwrap(),
                rating: Rating::Hard,
                answer: "Berln".into(),
                verdict: "close".into(),
                response_ms: 4200,
                scheduler: "fsrs-6".into(),
                cram: true,
                format: format.map(str::to_owned),
                confusion,
            },
        }
    }

    #[test]
    fn json_rows_round_trip_every_field() {
        let confusion = || Confusion {
            given: "Vienna".into(),
            expected: "Berlin (then)".into(),
        };
        for (format, confusion) in [
            (None, None),
            (Some("recognition"), None),
            (Some("recall"), Some(confusion())),
            (None, Some(confusion())),
        ] {
            let review = exported(format, confusion);
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
                    uid: Some("019ab2c0-0000-7000-8000-000000000001".into()),
                    device: Some("a1b2".into()),
                    review: review.review.clone(),
                }]
            );
        }
        let review = exported(Some("recall"), None);
        assert_eq!(csv_row(&review), "", "the CSV format has no place for cram");
        let mut normal = review;
        normal.review.cram = false;
        assert_eq!(csv_row(&normal), "3,1700000000123,2\n");
    }

    #[test]
    fn version_1_documents_read_and_newer_ones_are_refused() {
        let row = r#"{"deck":"d","card":"c","review_time":1,"rating":3}"#;
        let doc = |version: u32| {
            format!(
                "{{\"format\": \"{JSON_FORMAT}\", \"version\": {version}, \"reviews\": [\n{row}{JSON_END}"
            )
        };
        let old = parse(&doc(1)).unwrap();
        assert_eq!(
            (&old[0].review.format, &old[0].review.confusion),
            (&None, &None)
        );
        assert!(parse(&doc(2)).is_ok());
        let newer = parse(&doc(3)).unwrap_err();
        assert_eq!(
            newer[0].message,
            "written by a newer factdrill (`factdrill-reviews` version 3; this one reads up to 2); upgrade factdrill on this machine"
        );
        assert!(json_start().contains("\"version\": 2,"));
    }

    #[test]
    fn json_formats_and_confusions_are_checked() {
        let doc = |fields: &str| {
            format!(
                "{}{{\"deck\":\"d\",\"card\":\"c\",\"card_answer\":\"x\",\"review_time\":1,\"rating\":1{fields}}}{JSON_END}",
                json_start()
            )
        };
        let bad = parse(&doc(",\"question_format\":\"essay\"")).unwrap_err();
        assert_eq!(
            bad[0].message,
            "question_format `essay` is not recognition, recall or ordering"
        );
        let bad = parse(&doc(",\"confused_expected\":\"x\"")).unwrap_err();
        assert_eq!(bad[0].message, "confused_expected without confused_with");
        // Without its expected answer, a confusion expected the card's answer.
        let read = parse(&doc(",\"confused_with\":\"y\"")).unwrap();
        assert_eq!(
            read[0].review.confusion,
            Some(Confusion {
                given: "y".into(),
                expected: "x".into()
            })
        );
    }

    #[test]
    fn json_review_ids_are_checked() {
        let doc = |fields: &str| {
            format!(
                "{}{{\"deck\":\"d\",\"card\":\"c\",\"review_time\":1,\"rating\":3{fields}}}{JSON_END}",
                json_start()
            )
        };
        let bad = parse(&doc(",\"uid\":\"x\"")).unwrap_err();
        assert_eq!(bad[0].message, "uid `x` is not a review id (a UUID)");
        let bad = parse(&doc(",\"device\":\"a/b\"")).unwrap_err();
        assert_eq!(bad[0].message, "device `a/b` is not a device id");
        let none = parse(&doc(",\"uid\":\"\",\"device\":\"\"")).unwrap();
        assert_eq!(
            (none[0].uid.as_deref(), none[0].device.as_deref()),
            (None, None)
        );
    }
}
