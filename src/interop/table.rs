//! A spreadsheet of cards (CSV, or TSV) -> a deck file, for authors who write in a
//! spreadsheet. The first row names the columns (`docs/formats.md`, "Decks from a
//! spreadsheet"); each later row is a card.
//!
//! The rows are written as deck YAML with one card field per line, and that text goes
//! through the deck loader's own validation; each problem it finds is mapped back from its
//! YAML line to the spreadsheet cell the value came from, so the author sees
//! `cards.csv:7:12: ...` and not a position in a file they never wrote.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::deck::{self, Deck};
use crate::facts::yaml_scalar as scalar;
use crate::generate::{Header, to_yaml};
use crate::yaml::{Pos, Problem};

/// The columns a header may name (case and surrounding spaces do not matter).
pub const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "prompt",
    "answer",
    "choices",
    "items",
    "accept",
    "explanation",
    "source",
    "tags",
];

/// Columns holding lists, whose items are separated by `|` (`\|` for a bar in an item).
const LIST_COLUMNS: &[&str] = &["choices", "items", "accept", "tags"];

/// How the file separates cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
        }
    }
}

/// What the import made: the deck file's text, its deck, and warnings for the author.
#[derive(Debug, Clone)]
pub struct Imported {
    pub yaml: String,
    pub deck: Deck,
    pub warnings: Vec<String>,
}

/// One cell's text and where it starts in the file.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    pos: Pos,
}

/// Reads the spreadsheet `text` (BOM already removed) into a deck with this id and name.
/// On failure returns every problem, each at the cell (line:column) it concerns.
pub fn import(
    text: &str,
    delimiter: Delimiter,
    id: &str,
    name: &str,
) -> Result<Imported, Vec<Problem>> {
    let rows = read_rows(text, delimiter)?;
    let mut problems = Vec::new();
    let Some((header, body)) = rows.split_first() else {
        return Err(vec![Problem::new(
            Pos { line: 1, col: 1 },
            format!(
                "the file is empty; the first row must name the columns, e.g. {}",
                COLUMNS.join(",")
            ),
        )]);
    };
    let columns = read_header(header, &mut problems);
    for required in ["prompt", "answer"] {
        // A misspelt column was just reported with its likely name; say it once.
        if problems.is_empty() && !columns.values().any(|c| *c == required) {
            problems.push(Problem::new(
                header.first().map_or(Pos { line: 1, col: 1 }, |c| c.pos),
                format!(
                    "the header row has no `{required}` column (the columns are {})",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let has_ids = columns.values().any(|c| *c == "id");
    let mut warnings = Vec::new();
    if !has_ids {
        warnings.push(
            "there is no `id` column: each card's id is made from its row's content, so editing \
             a row later makes it a new card and its progress starts again; add an `id` column \
             (copy the ids from the deck written now) to keep ids stable"
                .to_owned(),
        );
    }

    // The deck as YAML, one field per line, remembering which cell each line came from.
    let top = Pos { line: 1, col: 1 };
    let mut yaml = Traced::default();
    yaml.line(format!("id: {}", scalar(id, false)), top);
    yaml.line(format!("name: {}", scalar(name, false)), top);
    yaml.line("cards:", top);
    let mut cards = 0;
    for row in body {
        if row.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        if row.len() > header.len()
            && let Some(extra) = row[header.len()..]
                .iter()
                .find(|c| !c.text.trim().is_empty())
        {
            problems.push(Problem::new(
                extra.pos,
                format!(
                    "this row has {} cells but the header names {} columns",
                    row.len(),
                    header.len()
                ),
            ));
            continue;
        }
        cards += 1;
        write_card(&mut yaml, row, &columns, has_ids);
    }
    if cards == 0 && problems.is_empty() {
        problems.push(Problem::new(
            header.first().map_or(top, |c| c.pos),
            "the file has a header row but no cards; add a row for each card",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (yaml, deck) = checked(yaml, id, name)?;
    Ok(Imported {
        yaml,
        deck,
        warnings,
    })
}

/// The deck YAML through the deck loader's validation, its problems mapped back to cells;
/// then written in the layout `generate` uses, and loaded again.
fn checked(yaml: Traced, id: &str, name: &str) -> Result<(String, Deck), Vec<Problem>> {
    let top = Pos { line: 1, col: 1 };
    let origin = yaml.origin;
    let deck = deck::load_str(&yaml.text).map_err(|found| {
        let mut mapped: Vec<Problem> = found
            .into_iter()
            .map(|p| {
                let pos = origin
                    .get(p.pos.line as usize)
                    .copied()
                    .unwrap_or(Pos { line: 1, col: 1 });
                Problem::new(pos, cell_lines(&p.message, &origin))
            })
            .collect();
        mapped.sort_by_key(|p| p.pos);
        mapped.dedup();
        mapped
    })?;
    // The deck as a person would write it (the same layout `generate` writes).
    let yaml = to_yaml(&Header::new(id.to_owned(), name.to_owned()), &deck.cards);
    let yaml = yaml.replacen(
        "# A factdrill deck (docs/deck-format.md). Cards marked `generated:` were written by\n\
         # `factdrill generate` and are refreshed by `generate --merge`; edit one and it is kept\n\
         # as yours (docs/generation.md). Cards without the mark are hand-written.\n",
        "# A factdrill deck (docs/deck-format.md), imported from a spreadsheet by\n\
         # `factdrill import deck`.\n",
        1,
    );
    let deck = deck::load_str(&yaml).map_err(|mut found| {
        // Cannot happen: the same cards loaded a moment ago. Say so rather than panic.
        found.insert(
            0,
            Problem::new(top, "internal error: the written deck does not load back"),
        );
        found
    })?;
    Ok((yaml, deck))
}

/// YAML text and, for each of its lines, the spreadsheet cell it came from (index = line).
struct Traced {
    text: String,
    origin: Vec<Pos>,
}

impl Default for Traced {
    fn default() -> Self {
        Self {
            text: String::new(),
            // Lines count from 1.
            origin: vec![Pos { line: 1, col: 1 }],
        }
    }
}

impl Traced {
    fn line(&mut self, text: impl AsRef<str>, from: Pos) {
        self.text.push_str(text.as_ref());
        self.text.push('\n');
        self.origin.push(from);
    }
}

/// One row as a card of the deck YAML, one field per line.
fn write_card(yaml: &mut Traced, row: &[Cell], columns: &HashMap<usize, &str>, has_ids: bool) {
    let start = row[0].pos;
    // The row's cell of a column, even when empty (where an empty value is reported).
    let raw = |name: &str| -> Option<&Cell> {
        let index = columns.iter().find(|(_, c)| **c == name)?.0;
        row.get(*index)
    };
    let cell = |name: &str| raw(name).filter(|c| !c.text.trim().is_empty());
    let card_id = match cell("id") {
        Some(c) => c.text.trim().to_owned(),
        None if has_ids => String::new(),
        None => content_id(row),
    };
    yaml.line(
        format!("  - id: {}", scalar(&card_id, false)),
        raw("id").map_or(start, |c| c.pos),
    );
    let kind = cell("kind").map(|c| c.text.trim().to_lowercase());
    if let Some(c) = cell("kind") {
        yaml.line(
            format!("    kind: {}", scalar(kind.as_deref().unwrap_or(""), false)),
            c.pos,
        );
    }
    let prompt = raw("prompt");
    yaml.line(
        format!(
            "    prompt: {}",
            scalar(prompt.map_or("", |c| c.text.trim()), false)
        ),
        prompt.map_or(start, |c| c.pos),
    );
    if let Some(c) = cell("answer") {
        let answer = c.text.trim();
        let value = match answer.to_lowercase().as_str() {
            v @ ("true" | "false") if kind.as_deref() == Some("truefalse") => v.to_owned(),
            _ => scalar(answer, false),
        };
        yaml.line(format!("    answer: {value}"), c.pos);
    }
    for &column in LIST_COLUMNS {
        let Some(c) = cell(column) else { continue };
        // An ordering card's list is its `items`, whichever column holds it.
        let key = if column == "choices" && kind.as_deref() == Some("ordering") {
            "items"
        } else {
            column
        };
        let items: Vec<String> = split_list(&c.text)
            .iter()
            .map(|t| scalar(t, true))
            .collect();
        yaml.line(format!("    {key}: [{}]", items.join(", ")), c.pos);
    }
    for column in ["explanation", "source"] {
        if let Some(c) = cell(column) {
            yaml.line(
                format!("    {column}: {}", scalar(c.text.trim(), false)),
                c.pos,
            );
        }
    }
}

/// A validation message with its references to YAML lines (`at line 7`) turned into the
/// spreadsheet lines those came from.
fn cell_lines(message: &str, origin: &[Pos]) -> String {
    const AT: &str = "at line ";
    let Some(at) = message.find(AT) else {
        return message.to_owned();
    };
    let digits = &message[at + AT.len()..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    match digits[..end]
        .parse::<usize>()
        .ok()
        .and_then(|n| origin.get(n))
    {
        Some(pos) => format!("{}{AT}{}{}", &message[..at], pos.line, &digits[end..]),
        None => message.to_owned(),
    }
}

/// A card id from the row's content: `row-` and 10 hex digits of its hash.
fn content_id(row: &[Cell]) -> String {
    let mut text = String::new();
    for cell in row {
        let _ = write!(text, "{}\u{1f}", cell.text.trim());
    }
    format!("row-{}", &blake3::hash(text.as_bytes()).to_hex()[..10])
}

/// Splits a list cell at `|`; `\|` is a bar inside an item. Items are trimmed, empty ones
/// dropped.
pub fn split_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                current.push('|');
                chars.next();
            }
            '|' => items.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Column index -> column name; problems for unknown and repeated names.
fn read_header<'a>(header: &'a [Cell], problems: &mut Vec<Problem>) -> HashMap<usize, &'a str> {
    let mut columns = HashMap::new();
    let mut seen: HashMap<&str, Pos> = HashMap::new();
    for (i, cell) in header.iter().enumerate() {
        let name = cell.text.trim();
        let Some(known) = COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(name)) else {
            if name.is_empty() {
                problems.push(Problem::new(
                    cell.pos,
                    "a column has no name in the header row",
                ));
                continue;
            }
            let mut message = format!(
                "unknown column `{}` (the columns are {})",
                crate::term::safe(name),
                COLUMNS.join(", ")
            );
            if let Some(close) = crate::yaml::did_you_mean(name, COLUMNS) {
                message = format!(
                    "unknown column `{}`; did you mean `{close}`?",
                    crate::term::safe(name)
                );
            }
            problems.push(Problem::new(cell.pos, message));
            continue;
        };
        if let Some(first) = seen.insert(known, cell.pos) {
            problems.push(Problem::new(
                cell.pos,
                format!(
                    "column `{known}` appears twice; it is first at column {}",
                    first.col
                ),
            ));
            continue;
        }
        columns.insert(i, *known);
    }
    columns
}

/// Every record with each cell's text and start position. The `csv` crate reads the
/// values; the positions come from scanning each record from where the crate says it
/// starts, with the same quoting rules.
fn read_rows(text: &str, delimiter: Delimiter) -> Result<Vec<Vec<Cell>>, Vec<Problem>> {
    let lines = LineIndex::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter.byte())
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let start = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let pos = err
                    .position()
                    .map_or(Pos { line: 1, col: 1 }, |p| lines.pos(p.byte() as usize));
                return Err(vec![Problem::new(
                    pos,
                    format!("cannot read this row: {err}"),
                )]);
            }
        }
        // The reader's position before the call may sit on blank lines it then skipped.
        let start = record
            .position()
            .map_or(start, |p| p.byte() as usize)
            .min(text.len());
        let starts = cell_starts(text, start, delimiter.byte(), record.len()).map_err(|at| {
            vec![Problem::new(
                lines.pos(at),
                "this quoted cell never ends: a closing `\"` is missing",
            )]
        })?;
        rows.push(
            record
                .iter()
                .zip(starts)
                .map(|(value, at)| Cell {
                    text: value.to_owned(),
                    pos: lines.pos(at),
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// The byte offsets where the `count` cells of the record starting at `start` begin; the
/// offset of an opening quote that is never closed as the error.
fn cell_starts(text: &str, start: usize, delimiter: u8, count: usize) -> Result<Vec<usize>, usize> {
    let bytes = text.as_bytes();
    let mut at = start;
    let mut starts = Vec::with_capacity(count);
    for _ in 0..count {
        starts.push(at);
        if bytes.get(at) == Some(&b'"') {
            let open = at;
            at += 1;
            loop {
                match bytes.get(at) {
                    None => return Err(open),
                    Some(b'"') if bytes.get(at + 1) == Some(&b'"') => at += 2,
                    Some(b'"') => {
                        at += 1;
                        break;
                    }
                    Some(_) => at += 1,
                }
            }
        }
        while let Some(&b) = bytes.get(at) {
            if b == delimiter || b == b'\n' || b == b'\r' {
                break;
            }
            at += 1;
        }
        if bytes.get(at) == Some(&delimiter) {
            at += 1;
        }
    }
    Ok(starts)
}

/// Byte offset -> 1-based line and column (in characters).
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let begin = self.starts[line - 1];
        let col = self
            .text
            .get(begin..offset)
            .map_or(0, |t| t.chars().count());
        Pos {
            line: line as u32,
            col: col as u32 + 1,
        }
    }
}

/// The deck id and name a file suggests: its name up to the first dot, the id spelt with
/// the characters ids allow (`My Cards.csv` -> `my-cards`, "My Cards").
pub fn identity_from_file_name(file_name: &str) -> (String, String) {
    let stem = file_name.split('.').next().unwrap_or_default().trim();
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':') {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id
        .trim_matches('-')
        .chars()
        .take(deck::Id::MAX_LEN)
        .collect::<String>();
    let id = if id.is_empty() { "deck".to_owned() } else { id };
    let name = if stem.is_empty() {
        id.clone()
    } else {
        stem.to_owned()
    };
    (id, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn ok(text: &str) -> Imported {
        match import(text, Delimiter::Comma, "t", "T") {
            Ok(imported) => imported,
            Err(problems) => panic!("{problems:?}"),
        }
    }

    #[track_caller]
    fn errors(text: &str) -> Vec<String> {
        import(text, Delimiter::Comma, "t", "T")
            .expect_err("should fail")
            .into_iter()
            .map(|p| format!("{}:{}: {}", p.pos.line, p.pos.col, p.message))
            .collect()
    }

    #[test]
    fn every_column_reaches_the_card() {
        let i = ok(
            "id,kind,prompt,answer,choices,accept,explanation,source,tags\n\
                    hq,choice,Where?,Berlin,Berlin|Vienna|Rome,,Unter den Linden.,It was in Berlin.,place|city\n\
                    who,,Who?,Osip Piatnitsky,,Piatnitsky|Pyatnitsky,,,\n",
        );
        let c = &i.deck.cards;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].kind, crate::deck::Kind::Choice);
        assert_eq!(c[0].choices, ["Berlin", "Vienna", "Rome"]);
        assert_eq!(c[0].explanation.as_deref(), Some("Unter den Linden."));
        assert_eq!(c[0].source.as_deref(), Some("It was in Berlin."));
        assert_eq!(c[0].tags, ["place", "city"]);
        assert_eq!(c[1].kind, crate::deck::Kind::Recall);
        assert_eq!(c[1].accept, ["Piatnitsky", "Pyatnitsky"]);
        assert!(i.warnings.is_empty());
        // What is written loads back to the same cards.
        assert_eq!(crate::deck::load_str(&i.yaml).unwrap().cards, i.deck.cards);
    }

    #[test]
    fn quoted_cells_keep_commas_newlines_and_quotes() {
        let i = ok("prompt,answer\n\"Two lines,\nwith a comma\",\"He said \"\"no\"\"\"\n");
        assert_eq!(i.deck.cards[0].prompt, "Two lines,\nwith a comma");
        assert_eq!(i.deck.cards[0].answer, "He said \"no\"");
    }

    #[test]
    fn without_an_id_column_ids_come_from_the_row_and_a_warning_says_so() {
        let a = ok("prompt,answer\nOne?,1\nTwo?,2\n");
        let b = ok("prompt,answer\nTwo?,2\nOne?,1\n");
        assert_eq!(a.deck.cards[0].id, b.deck.cards[1].id);
        assert!(a.deck.cards[0].id.as_str().starts_with("row-"));
        assert_eq!(a.warnings.len(), 1);
        let edited = ok("prompt,answer\nOne?,one\n");
        assert_ne!(edited.deck.cards[0].id, a.deck.cards[0].id);
    }

    #[test]
    fn problems_point_at_the_cell() {
        let e = errors(
            "id,kind,prompt,answer,choices\n\
             a,choice,Where?,Paris,Berlin|Vienna\n\
             b,essay,\"Multi\nline\",x,\n\
             a,,Again?,y,\n",
        );
        assert_eq!(
            e,
            [
                "2:17: the answer `Paris` of card `a` is not among its choices",
                "3:3: unknown kind `essay` in card `b`; expected one of: recall, choice, year, truefalse, cloze, ordering",
                "5:1: duplicate card id `a`; it is first used at line 2",
            ],
        );
    }

    #[test]
    fn header_problems_are_reported_together() {
        let e = errors("id,promt,anwser,colour\nx,y,z,w\n");
        assert_eq!(
            e,
            [
                "1:4: unknown column `promt`; did you mean `prompt`?",
                "1:10: unknown column `anwser`; did you mean `answer`?",
                "1:17: unknown column `colour` (the columns are id, kind, prompt, answer, choices, items, accept, explanation, source, tags)",
            ]
        );
        assert_eq!(
            errors("prompt\nx\n"),
            [
                "1:1: the header row has no `answer` column (the columns are id, kind, prompt, answer, choices, items, accept, explanation, source, tags)"
            ]
        );
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_the_quote() {
        assert_eq!(
            errors("prompt,answer\nx,\"never closed\n"),
            ["2:3: this quoted cell never ends: a closing `\"` is missing"]
        );
    }

    #[test]
    fn tabs_ordering_and_truefalse() {
        let i = import(
            "Kind\tPrompt\tAnswer\tChoices\n\
             ordering\tOrder them.\t\tone|two|three\n\
             truefalse\tWater is wet.\tTRUE\t\n\
             \t\t\t\n",
            Delimiter::Tab,
            "t",
            "T",
        )
        .unwrap();
        let c = &i.deck.cards;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].kind, crate::deck::Kind::Ordering);
        assert_eq!(c[0].choices, ["one", "two", "three"]);
        assert_eq!(c[1].answer, "true");
    }

    #[test]
    fn list_cells_split_at_unescaped_bars() {
        assert_eq!(split_list("a | b\\|c ||d"), ["a", "b|c", "d"]);
        assert!(split_list("  ").is_empty());
    }

    #[test]
    fn ids_from_file_names() {
        assert_eq!(
            identity_from_file_name("My Cards.csv"),
            ("my-cards".to_owned(), "My Cards".to_owned())
        );
        assert_eq!(identity_from_file_name("åäö.tsv").0, "deck");
    }
}
