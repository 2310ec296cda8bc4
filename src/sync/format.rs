//! The device file format (docs/sync.md): JSON Lines, a header line then one event per line.
//! Pure: events in, text out; bytes in, complete lines parsed into events out, or the first
//! problem with its line. A line that does not end in a newline is not complete yet (a sync
//! tool may be copying the file) and is left for the next time.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::mark::{Flag, MarkChange, MarkEvent};
use crate::schedule::Rating;
use crate::store::{LoggedReview, SyncDelete, SyncEvent, SyncMark, SyncReview};

/// The header's `format` value.
pub const FORMAT: &str = "factdrill-sync";

/// The newest format version this build reads. A line (or header) with a larger `v`
/// (`version`) was written by a newer factdrill and is refused, with the whole new part of
/// its file, so nothing is skipped silently.
///
/// Version 2 added mark events (`"type": "mark"`), written with `"v": 2`. Factdrill 1 reads
/// a file up to its first such line and then refuses the rest of it, saying to upgrade.
/// Version 3 added to reviews the question's format (`question_format`) and the answer
/// expected in a confusion (`confused_expected`): a review line that carries a format or
/// a confusion says `"v": 3`, so a reader that would drop them refuses it instead.
pub const VERSION: u64 = 3;

/// The version a header says: what a reader needs for the header and the lines without a
/// `v`. Reviews, deletions and names are still version 1, so a device that never marks a
/// card writes files that factdrill 1 reads whole.
pub const HEADER_VERSION: u64 = 1;

/// The version a mark line says (`"v": 2`).
pub const MARK_VERSION: u64 = 2;

/// The version a review line with a format or a confusion says (`"v": 3`).
pub const REVIEW_EXTRA_VERSION: u64 = 3;

/// A device file's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub device: String,
    pub name: String,
}

/// The header line as written: fields in this order, so the files read well.
#[derive(Serialize)]
struct HeaderOut<'a> {
    format: &'static str,
    version: u64,
    device: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ReviewOut<'a> {
    /// First, so an older reader refuses the line before anything else.
    #[serde(skip_serializing_if = "Option::is_none")]
    v: Option<u64>,
    #[serde(rename = "type")]
    kind_of: &'static str,
    uid: &'a str,
    device: &'a str,
    time: i64,
    deck: &'a str,
    deck_name: &'a str,
    card: &'a str,
    kind: &'a str,
    prompt: &'a str,
    card_answer: &'a str,
    rating: u8,
    answer: &'a str,
    verdict: &'a str,
    response_ms: u64,
    scheduler: &'a str,
    mode: &'static str,
    /// Only on the reviews recorded with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    question_format: Option<&'a str>,
    /// Only on a wrong answer that named another known entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    confused_with: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confused_expected: Option<&'a str>,
}

#[derive(Serialize)]
struct DeleteOut<'a> {
    #[serde(rename = "type")]
    kind_of: &'static str,
    uid: &'a str,
    device: &'a str,
    time: i64,
}

#[derive(Serialize)]
struct MarkOut<'a> {
    v: u64,
    #[serde(rename = "type")]
    kind_of: &'static str,
    uid: &'a str,
    device: &'a str,
    time: i64,
    deck: &'a str,
    card: &'a str,
    mark: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flag: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a str>,
}

fn line_of(value: &impl Serialize) -> String {
    // Plain data with string keys: serialising cannot fail.
    let mut line = serde_json::to_string(value).unwrap_or_default();
    line.push('\n');
    line
}

/// The header line (with its newline).
pub fn header_line(header: &Header) -> String {
    line_of(&HeaderOut {
        format: FORMAT,
        version: HEADER_VERSION,
        device: &header.device,
        name: &header.name,
    })
}

/// One event as a line (with its newline).
pub fn event_line(event: &SyncEvent) -> String {
    match event {
        SyncEvent::Review(r) => {
            let review = &r.review;
            let extra = review.format.is_some() || review.confusion.is_some();
            line_of(&ReviewOut {
                v: extra.then_some(REVIEW_EXTRA_VERSION),
                kind_of: "review",
                uid: &r.uid,
                device: &r.device,
                time: review.reviewed_at.as_millisecond(),
                deck: &r.deck,
                deck_name: &r.deck_name,
                card: &r.card,
                kind: &r.kind,
                prompt: &r.prompt,
                card_answer: &r.card_answer,
                rating: review.rating.number(),
                answer: &review.answer,
                verdict: &review.verdict,
                response_ms: review.response_ms,
                scheduler: &review.scheduler,
                mode: if review.cram { "cram" } else { "normal" },
                question_format: review.format.as_deref(),
                confused_with: review.confusion.as_ref().map(|c| c.given.as_str()),
                confused_expected: review.confusion.as_ref().map(|c| c.expected.as_str()),
            })
        }
        SyncEvent::Delete(d) => line_of(&DeleteOut {
            kind_of: "delete",
            uid: &d.uid,
            device: &d.device,
            time: d.deleted_at.as_millisecond(),
        }),
        SyncEvent::Mark(m) => {
            let (until, flag, note, review) = match &m.event.change {
                MarkChange::Bury { until } => (Some(until.as_millisecond()), None, None, None),
                MarkChange::Flag { flag, note } => {
                    (None, Some(flag.as_str()), note.as_deref(), None)
                }
                MarkChange::Leech { review } => (None, None, None, Some(review.as_str())),
                _ => (None, None, None, None),
            };
            line_of(&MarkOut {
                v: MARK_VERSION,
                kind_of: "mark",
                uid: &m.event.uid,
                device: &m.device,
                time: m.event.at.as_millisecond(),
                deck: &m.deck,
                card: &m.card,
                mark: m.event.change.name(),
                until,
                flag,
                note,
                review,
            })
        }
    }
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// 1-based, counted from the start of the part parsed.
    pub line: usize,
    pub message: String,
    /// The line was written by a newer factdrill.
    pub newer: bool,
}

impl LineProblem {
    fn bad(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
            newer: false,
        }
    }
}

/// The complete lines at the start of `bytes`: the byte length they span (with their
/// newlines) and each one's text, without its line ending. Stops before a line with a NUL
/// byte: a file some sync tools preallocate and fill in is not complete there yet.
pub fn complete_lines(bytes: &[u8]) -> (usize, Vec<&[u8]>) {
    let mut lines = Vec::new();
    let mut end = 0;
    while let Some(newline) = bytes[end..].iter().position(|&b| b == b'\n') {
        let line = &bytes[end..end + newline];
        if line.contains(&0) {
            break;
        }
        lines.push(line.strip_suffix(b"\r").unwrap_or(line));
        end += newline + 1;
    }
    (end, lines)
}

/// Reads a header line.
pub fn parse_header(line: &[u8]) -> Result<Header, LineProblem> {
    let value: Value = serde_json::from_slice(line).map_err(|e| {
        LineProblem::bad(
            1,
            format!("not a factdrill sync file: the first line is not JSON ({e})"),
        )
    })?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(LineProblem::bad(
            1,
            format!("not a factdrill sync file: the first line has no \"format\": \"{FORMAT}\""),
        ));
    }
    check_version(1, value.get("version"))?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
    let device = text("device");
    if !valid_device(device) {
        return Err(LineProblem::bad(
            1,
            "the header has no valid \"device\" id (letters, digits, - and _)",
        ));
    }
    Ok(Header {
        device: device.to_owned(),
        name: text("name").to_owned(),
    })
}

fn check_version(line: usize, version: Option<&Value>) -> Result<(), LineProblem> {
    let version = match version {
        None => return Ok(()),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| LineProblem::bad(line, "the format version is not a whole number"))?,
    };
    if version > VERSION {
        return Err(LineProblem {
            line,
            message: format!(
                "written by a newer factdrill (sync format version {version}; this one reads up to {VERSION}); upgrade factdrill on this machine"
            ),
            newer: true,
        });
    }
    Ok(())
}

/// Device ids name files: only ASCII letters, digits, `-` and `_`, at most 64.
pub fn valid_device(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Deserialize)]
struct ReviewLine {
    uid: String,
    device: String,
    time: i64,
    deck: String,
    #[serde(default)]
    deck_name: String,
    card: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    card_answer: String,
    rating: i64,
    #[serde(default)]
    answer: String,
    verdict: String,
    #[serde(default)]
    response_ms: u64,
    #[serde(default)]
    scheduler: String,
    /// `normal` (the default) or `cram`.
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    question_format: Option<String>,
    #[serde(default)]
    confused_with: Option<String>,
    /// Version 3; before, the expected answer was the line's `card_answer`.
    #[serde(default)]
    confused_expected: Option<String>,
}

#[derive(Deserialize)]
struct DeleteLine {
    uid: String,
    device: String,
    time: i64,
}

#[derive(Deserialize)]
struct MarkLine {
    uid: String,
    device: String,
    time: i64,
    deck: String,
    card: String,
    mark: String,
    #[serde(default)]
    until: Option<i64>,
    #[serde(default)]
    flag: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    review: Option<String>,
}

const VERDICTS: [&str; 4] = ["correct", "close", "partial", "wrong"];

/// What some lines of a device file hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub events: Vec<SyncEvent>,
    /// The device's name, if a line renamed it (the last such line).
    pub name: Option<String>,
}

/// A line that renames the device (`sync --name` after its file was made).
pub fn name_line(device: &str, name: &str, time: Timestamp) -> String {
    line_of(&NameOut {
        kind_of: "name",
        device,
        name,
        time: time.as_millisecond(),
    })
}

#[derive(Serialize)]
struct NameOut<'a> {
    #[serde(rename = "type")]
    kind_of: &'static str,
    device: &'a str,
    name: &'a str,
    time: i64,
}

/// Reads event lines; `first` is the line number of the first. All or nothing: the first
/// problem is returned and no event, so a file is applied only when every new line is good.
pub fn parse_events(lines: &[&[u8]], first: usize) -> Result<Parsed, LineProblem> {
    let mut parsed = Parsed {
        events: Vec::with_capacity(lines.len()),
        name: None,
    };
    for (i, line) in lines.iter().enumerate() {
        let n = first + i;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(line, n)? {
            Line::Event(event) => parsed.events.push(event),
            Line::Name(name) => parsed.name = Some(name),
        }
    }
    Ok(parsed)
}

// Short-lived, one at a time: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Line {
    Event(SyncEvent),
    Name(String),
}

/// A review's (or deletion's) id must be a UUID.
fn check_uid(uid: &str, n: usize) -> Result<(), LineProblem> {
    uuid::Uuid::parse_str(uid)
        .map(|_| ())
        .map_err(|_| LineProblem::bad(n, format!("{uid:?} is not a review id (a UUID)")))
}

fn check_device(id: &str, n: usize) -> Result<(), LineProblem> {
    if valid_device(id) {
        Ok(())
    } else {
        Err(LineProblem::bad(n, format!("{id:?} is not a device id")))
    }
}

fn parse_line(line: &[u8], n: usize) -> Result<Line, LineProblem> {
    let value: Value = serde_json::from_slice(line)
        .map_err(|e| LineProblem::bad(n, format!("not a JSON object ({e})")))?;
    check_version(n, value.get("v"))?;
    let bad_field = |e: serde_json::Error| LineProblem::bad(n, e.to_string());
    let time = |ms: i64| {
        Timestamp::from_millisecond(ms)
            .map_err(|_| LineProblem::bad(n, format!("time {ms} is out of range")))
    };
    let uid = |uid: &str| check_uid(uid, n);
    let device = |id: &str| check_device(id, n);
    match value.get("type").and_then(Value::as_str) {
        Some("review") => parse_review(value, n),
        Some("delete") => {
            let d: DeleteLine = serde_json::from_value(value).map_err(bad_field)?;
            uid(&d.uid)?;
            device(&d.device)?;
            Ok(Line::Event(SyncEvent::Delete(SyncDelete {
                uid: d.uid,
                device: d.device,
                deleted_at: time(d.time)?,
            })))
        }
        Some("mark") => parse_mark(value, n),
        Some("name") => match value.get("name").and_then(Value::as_str) {
            Some(name) => Ok(Line::Name(name.to_owned())),
            None => Err(LineProblem::bad(n, "the name event has no \"name\"")),
        },
        Some(other) => Err(LineProblem::bad(
            n,
            format!("unknown event type {other:?} (expected {EVENT_TYPES})"),
        )),
        None => Err(LineProblem::bad(n, "the event has no \"type\"")),
    }
}

/// The event types this version reads, for the error about one it does not.
const EVENT_TYPES: &str = "\"review\", \"delete\", \"mark\" or \"name\"";

/// A review line.
fn parse_review(value: Value, n: usize) -> Result<Line, LineProblem> {
    let bad_field = |e: serde_json::Error| LineProblem::bad(n, e.to_string());
    let time = |ms: i64| {
        Timestamp::from_millisecond(ms)
            .map_err(|_| LineProblem::bad(n, format!("time {ms} is out of range")))
    };
    let r: ReviewLine = serde_json::from_value(value).map_err(bad_field)?;
    check_uid(&r.uid, n)?;
    check_device(&r.device, n)?;
    if crate::deck::Id::parse(&r.deck).is_err() {
        return Err(LineProblem::bad(
            n,
            format!("{:?} is not a deck id", r.deck),
        ));
    }
    if r.card.trim().is_empty() {
        return Err(LineProblem::bad(n, "the card id is empty"));
    }
    let rating = Rating::from_number(r.rating)
        .ok_or_else(|| LineProblem::bad(n, format!("rating {} is not 1 to 4", r.rating)))?;
    if !VERDICTS.contains(&r.verdict.as_str()) {
        return Err(LineProblem::bad(
            n,
            format!(
                "verdict {:?} is not one of {}",
                r.verdict,
                VERDICTS.join(", ")
            ),
        ));
    }
    let cram = match r.mode.as_deref() {
        None | Some("normal") => false,
        Some("cram") => true,
        Some(other) => {
            return Err(LineProblem::bad(
                n,
                format!("mode {other:?} is not \"normal\" or \"cram\""),
            ));
        }
    };
    let (format, confusion) = crate::exchange::extras(
        r.question_format,
        r.confused_with,
        r.confused_expected,
        &r.card_answer,
    )
    .map_err(|message| LineProblem::bad(n, message))?;
    Ok(Line::Event(SyncEvent::Review(SyncReview {
        uid: r.uid,
        device: r.device,
        deck_name: if r.deck_name.is_empty() {
            r.deck.clone()
        } else {
            r.deck_name
        },
        deck: r.deck,
        card: r.card,
        kind: r.kind.unwrap_or_else(|| "recall".to_owned()),
        prompt: r.prompt,
        card_answer: r.card_answer,
        review: LoggedReview {
            reviewed_at: time(r.time)?,
            rating,
            answer: r.answer,
            verdict: r.verdict,
            response_ms: r.response_ms,
            scheduler: r.scheduler,
            cram,
            format,
            confusion,
        },
    })))
}

/// A mark line (format version 2).
fn parse_mark(value: Value, n: usize) -> Result<Line, LineProblem> {
    let time = |ms: i64| {
        Timestamp::from_millisecond(ms)
            .map_err(|_| LineProblem::bad(n, format!("time {ms} is out of range")))
    };
    let bad_field = |e: serde_json::Error| LineProblem::bad(n, e.to_string());
    let m: MarkLine = serde_json::from_value(value).map_err(bad_field)?;
    // Events fold in the order of their ids as text: one spelling (lower case, hyphens) for
    // every id, whatever the writer used.
    let uid = uuid::Uuid::parse_str(&m.uid)
        .map_err(|_| LineProblem::bad(n, format!("{:?} is not a mark event id (a UUID)", m.uid)))?
        .hyphenated()
        .to_string();
    if !valid_device(&m.device) {
        return Err(LineProblem::bad(
            n,
            format!("{:?} is not a device id", m.device),
        ));
    }
    if crate::deck::Id::parse(&m.deck).is_err() {
        return Err(LineProblem::bad(
            n,
            format!("{:?} is not a deck id", m.deck),
        ));
    }
    if m.card.trim().is_empty() {
        return Err(LineProblem::bad(n, "the card id is empty"));
    }
    if let Some(review) = &m.review
        && uuid::Uuid::parse_str(review).is_err()
    {
        return Err(LineProblem::bad(
            n,
            format!("{review:?} is not a review id (a UUID)"),
        ));
    }
    let flag = match m.flag.as_deref() {
        None => None,
        Some(name) => Some(
            Flag::ALL
                .into_iter()
                .find(|f| f.as_str() == name)
                .ok_or_else(|| LineProblem::bad(n, format!("{name:?} is not a flag colour")))?,
        ),
    };
    let until = m.until.map(time).transpose()?;
    let change =
        MarkChange::from_parts(&m.mark, until, flag, m.note, m.review).ok_or_else(|| {
            LineProblem::bad(
                n,
                if MarkChange::NAMES.contains(&m.mark.as_str()) {
                    format!(
                        "the {:?} mark lacks its {}",
                        m.mark,
                        match m.mark.as_str() {
                            "bury" => "\"until\"",
                            "flag" => "\"flag\"",
                            _ => "\"review\"",
                        }
                    )
                } else {
                    format!(
                        "mark {:?} is not one of {}",
                        m.mark,
                        MarkChange::NAMES.join(", ")
                    )
                },
            )
        })?;
    Ok(Line::Event(SyncEvent::Mark(SyncMark {
        device: m.device,
        deck: m.deck,
        card: m.card,
        event: MarkEvent {
            uid,
            at: time(m.time)?,
            change,
        },
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Confusion;

    fn review() -> SyncEvent {
        review_with(None, None)
    }

    fn review_with(format: Option<&str>, confusion: Option<Confusion>) -> SyncEvent {
        SyncEvent::Review(SyncReview {
            uid: "019ab2c0-0000-7000-8000-000000000001".to_owned(),
            device: "a1b2".to_owned(),
            deck: "oms".to_owned(),
            deck_name: "OMS".to_owned(),
            card: "hq".to_owned(),
            kind: "recall".to_owned(),
            prompt: "Where?\n\"quoted\"".to_owned(),
            card_answer: "Berlin".to_owned(),
            review: LoggedReview {
                reviewed_at: Timestamp::from_millisecond(1_768_032_000_000).unwrap(),
                rating: Rating::Good,
                answer: "Berlin".to_owned(),
                verdict: "correct".to_owned(),
                response_ms: 1200,
                scheduler: "fsrs-6".to_owned(),
                cram: false,
                format: format.map(str::to_owned),
                confusion,
            },
        })
    }

    #[test]
    fn formats_and_confusions_round_trip_as_version_3_lines() {
        let confusion = || Confusion {
            given: "Vienna".to_owned(),
            expected: "Berlin, then".to_owned(),
        };
        for (format, confusion) in [
            (Some("recognition"), None),
            (None, Some(confusion())),
            (Some("ordering"), Some(confusion())),
        ] {
            let event = review_with(format, confusion);
            let line = event_line(&event);
            // An older factdrill checks `v` before anything else and refuses the line.
            assert!(line.starts_with("{\"v\":3,\"type\":\"review\","), "{line}");
            let (_, lines) = complete_lines(line.as_bytes());
            assert_eq!(parse_events(&lines, 1).unwrap().events, vec![event]);
        }
        // A plain review is still a version 1 line.
        assert!(event_line(&review()).starts_with("{\"type\":\"review\","));
        // A version 2 line with a confusion (no expected answer): the card's answer.
        let old = event_line(&review()).replace(
            ",\"mode\":\"normal\"",
            ",\"mode\":\"normal\",\"confused_with\":\"Vienna\"",
        );
        let parsed = parse_events(&complete_lines(old.as_bytes()).1, 1).unwrap();
        let SyncEvent::Review(r) = &parsed.events[0] else {
            unreachable!()
        };
        assert_eq!(
            r.review.confusion,
            Some(Confusion {
                given: "Vienna".to_owned(),
                expected: "Berlin".to_owned()
            })
        );
        let bad = event_line(&review_with(Some("recall"), None)).replace("recall\"}", "essay\"}");
        assert!(
            problem(&bad).message.contains("question_format `essay`"),
            "{bad}"
        );
    }

    #[track_caller]
    fn problem(line: &str) -> LineProblem {
        parse_events(&[line.as_bytes()], 7).unwrap_err()
    }

    #[test]
    fn events_round_trip_through_one_line_each() {
        let delete = SyncEvent::Delete(SyncDelete {
            uid: "019ab2c0-0000-7000-8000-000000000002".to_owned(),
            device: "c3".to_owned(),
            deleted_at: Timestamp::from_millisecond(5).unwrap(),
        });
        let text = format!("{}{}", event_line(&review()), event_line(&delete));
        let (end, lines) = complete_lines(text.as_bytes());
        assert_eq!(end, text.len());
        assert_eq!(lines.len(), 2, "a newline in a prompt stays escaped");
        assert_eq!(
            parse_events(&lines, 2).unwrap().events,
            vec![review(), delete]
        );
        let renamed = format!(
            "{}{}",
            name_line("a1b2", "laptop", Timestamp::UNIX_EPOCH),
            name_line("a1b2", "desk", Timestamp::UNIX_EPOCH)
        );
        let parsed = parse_events(&complete_lines(renamed.as_bytes()).1, 2).unwrap();
        assert_eq!(parsed.name.as_deref(), Some("desk"));
        assert!(parsed.events.is_empty());
    }

    fn mark(change: MarkChange) -> SyncEvent {
        SyncEvent::Mark(SyncMark {
            device: "a1b2".to_owned(),
            deck: "oms".to_owned(),
            card: "hq".to_owned(),
            event: MarkEvent {
                uid: "019ab2c0-0000-7000-8000-00000000000a".to_owned(),
                at: Timestamp::from_millisecond(1_768_032_000_000).unwrap(),
                change,
            },
        })
    }

    #[test]
    fn mark_events_round_trip_as_version_2_lines() {
        let changes = [
            MarkChange::Suspend,
            MarkChange::Unsuspend,
            MarkChange::Bury {
                until: Timestamp::from_millisecond(1_768_100_000_000).unwrap(),
            },
            MarkChange::Unbury,
            MarkChange::Flag {
                flag: Flag::Purple,
                note: Some("check \"this\"".to_owned()),
            },
            MarkChange::Flag {
                flag: Flag::Red,
                note: None,
            },
            MarkChange::Unflag,
            MarkChange::Leech {
                review: "019ab2c0-0000-7000-8000-000000000001".to_owned(),
            },
        ];
        for change in changes {
            let event = mark(change);
            let line = event_line(&event);
            // An older factdrill checks `v` before anything else and refuses the line.
            assert!(line.starts_with("{\"v\":2,\"type\":\"mark\","), "{line}");
            let (_, lines) = complete_lines(line.as_bytes());
            assert_eq!(parse_events(&lines, 1).unwrap().events, vec![event]);
        }
    }

    #[test]
    fn bad_mark_lines_say_what_is_wrong() {
        let good = event_line(&mark(MarkChange::Bury {
            until: Timestamp::from_millisecond(5).unwrap(),
        }));
        let case = |line: &str, want: &str| {
            let p = problem(line);
            assert_eq!((p.line, p.newer), (7, false));
            assert!(p.message.contains(want), "{line}: {}", p.message);
        };
        case(
            &good.replace("\"bury\"", "\"hide\""),
            "mark \"hide\" is not one of",
        );
        case(
            &good.replace(",\"until\":5", ""),
            "the \"bury\" mark lacks its \"until\"",
        );
        case(
            &good.replace("\"bury\",\"until\":5", "\"flag\",\"flag\":\"mauve\""),
            "\"mauve\" is not a flag colour",
        );
        case(
            &good.replace("\"bury\",\"until\":5", "\"leech\",\"review\":\"x\""),
            "not a review id",
        );
        case(&good.replace("019ab2c0", "zz"), "not a mark event id");
        let upper = good.replace(
            "019ab2c0-0000-7000-8000-00000000000a",
            "019AB2C000007000800000000000000A",
        );
        let parsed = parse_events(&[upper.trim_end().as_bytes()], 1)
            .unwrap()
            .events;
        assert_eq!(
            parsed[0].uid(),
            "019ab2c0-0000-7000-8000-00000000000a",
            "one spelling"
        );
        case(&good.replace("\"hq\"", "\" \""), "the card id is empty");
    }

    #[test]
    fn a_line_without_its_newline_is_not_complete() {
        let line = event_line(&review());
        let text = format!("{line}{}", &line[..line.len() / 2]);
        let (end, lines) = complete_lines(text.as_bytes());
        assert_eq!((end, lines.len()), (line.len(), 1));
        let zeros = format!("{line}\0\0\0\0\n");
        assert_eq!(complete_lines(zeros.as_bytes()).0, line.len());
        let crlf = line.replace('\n', "\r\n");
        assert_eq!(
            parse_events(&complete_lines(crlf.as_bytes()).1, 1)
                .unwrap()
                .events,
            vec![review()]
        );
    }

    #[test]
    fn headers_are_checked() {
        let h = Header {
            device: "a1b2".to_owned(),
            name: "laptop".to_owned(),
        };
        let line = header_line(&h);
        assert_eq!(parse_header(line.trim_end().as_bytes()).unwrap(), h);
        let newer = parse_header(br#"{"format":"factdrill-sync","version":4,"device":"a1b2"}"#)
            .unwrap_err();
        assert!(newer.newer);
        assert!(newer.message.contains("version 4"), "{}", newer.message);
        assert!(
            header_line(&h).contains("\"version\":1,"),
            "reviews are still version 1"
        );
        assert!(parse_header(br#"{"format":"other","device":"a"}"#).is_err());
        assert!(parse_header(br#"{"format":"factdrill-sync","device":"../x"}"#).is_err());
        assert!(parse_header(b"garbage").is_err());
    }

    #[test]
    fn bad_lines_name_their_line_and_what_is_wrong() {
        let case = |line: &str, want: &str| {
            let p = problem(line);
            assert_eq!(p.line, 7);
            assert!(p.message.contains(want), "{line}: {}", p.message);
        };
        let good = event_line(&review());
        case(&good.replace("\"rating\":3", "\"rating\":9"), "rating 9");
        case(&good.replace("correct", "great"), "verdict \"great\"");
        case(
            &good.replace("\"oms\"", "\"no such/deck\""),
            "not a deck id",
        );
        case(&good.replace("019ab2c0", "zz"), "not a review id");
        case(&good.replace("review", "marks"), "unknown event type");
        case(&good.replace("normal", "sprint"), "mode \"sprint\"");
        case("{not json", "not a JSON object");
        case("{}", "no \"type\"");
        let newer = problem(&good.replace("{\"", "{\"v\":4,\""));
        assert!(newer.newer, "{}", newer.message);
        assert!(
            problem(&good.replace("\"time\":", "\"time\":\"x\",\"t\":"))
                .message
                .len()
                > 5
        );
    }
}
