//! The one place that parses YAML: a small tree whose every node knows its line and column,
//! and a field reader that collects every problem instead of stopping at the first.
//!
//! Deck and facts files both load through here, so both get the same `path:line:col: what`
//! diagnostics, the same limits against hostile input (alias bombs, deep nesting, huge files)
//! and the same "did you mean" for misspelt fields. This module knows nothing of decks or facts.
//!
//! Two readers build the tree. `fast.rs` reads the plain subset of YAML that decks and facts
//! files are written in (block mappings and sequences, one-line scalars and flow lists) in
//! one pass without allocating per token; it declines anything else, and any file with a
//! problem, and `saphyr.rs` (serde-saphyr) then reads the file as before. So every accepted
//! file gives the tree the full reader gives, and every message comes from the full reader.

mod fast;
mod saphyr;

use std::borrow::Cow;
use std::fmt;

/// Files larger than this are refused before parsing (a 100k-card deck as `generate` writes
/// it is about 14 MB). This is the limit on size: a file without aliases holds at most a few
/// values per byte, so the number of values is not limited separately, and a deck of any
/// number of cards that fits in the file is read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Parser budgets against hostile files: nesting depth, alias uses and anchor definitions.
const MAX_DEPTH: usize = 64;
const MAX_ALIASES: usize = 1_000;
const MAX_ANCHORS: usize = 10_000;
/// Values (parser events: each scalar, and each list or mapping's start and end) that aliases
/// may add to a file by repeating what their anchors hold, all aliases together. This, not a
/// count of the file's own values, is what stops an alias bomb: eleven levels of ten aliases
/// would expand to 10^11 values from a few hundred bytes. 1,000 aliases of a 100-value
/// anchor fit; the fast reader declines every alias, so it needs no such budget.
const MAX_ALIAS_EXPANSION: usize = 100_000;

/// The longest text a field may hold, in characters. A prompt, an answer or a fact is a line
/// or two; 10,000 characters leaves room for a long source passage while keeping a hostile
/// or broken file (one 60 MB string) from reaching the terminal, the grader and the database.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Whether `text` (field `name`, at `pos`) is within `MAX_TEXT_CHARS`; reports it if not.
fn within_limit(name: &str, text: &str, pos: Pos, problems: &mut Vec<Problem>) -> bool {
    // Cheap for short strings: a char has at most 4 bytes.
    if text.len() <= MAX_TEXT_CHARS {
        return true;
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        problems.push(Problem::new(
            pos,
            format!("`{name}` is {chars} characters long; the limit is {MAX_TEXT_CHARS}"),
        ));
        return false;
    }
    true
}

/// A position in a text file, 1-based, counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// One thing wrong with a file, at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pos: Pos,
    pub message: String,
}

impl Problem {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            pos,
            message: message.into(),
        }
    }
}

/// A YAML value. Mapping entries keep their order and their keys' positions. Text borrows
/// from the file where it can (the fast reader's plain and unescaped quoted scalars), so a
/// 10k-card deck is read without an allocation per field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Key<'a>, Node<'a>)>),
}

/// Parses one YAML document into a tree. Syntax errors and exceeded limits come back as a
/// single problem with the position the parser gave.
pub fn parse(text: &str) -> Result<Node<'_>, Problem> {
    if text.trim().is_empty() {
        return Err(Problem::new(
            Pos { line: 1, col: 1 },
            "the file is empty; expected a YAML mapping",
        ));
    }
    match fast::parse(text) {
        Some(root) => Ok(root),
        None => saphyr::parse(text),
    }
}

/// Parses with the full reader only: the reference the fast reader is tested against (for
/// tests, benchmarks and fuzzing; `parse` is the one to use).
pub fn parse_full(text: &str) -> Result<Node<'_>, Problem> {
    if text.trim().is_empty() {
        return parse(text);
    }
    saphyr::parse(text)
}

/// Parses with the fast reader only; `None` when it declines the text (for tests,
/// benchmarks and fuzzing).
pub fn parse_fast(text: &str) -> Option<Node<'_>> {
    fast::parse(text)
}

/// A value and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub pos: Pos,
}

/// A mapping key and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'a> {
    pub name: Cow<'a, str>,
    pub pos: Pos,
}

impl Node<'_> {
    /// What a user would call this kind of value, for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The node as text: strings as they are, and plain scalars (numbers, booleans) written
    /// back as text, so `answer: 1921` reads as "1921" (but `007` as "7": the value, not the
    /// spelling, is kept; docs/deck-format.md says to quote such answers).
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(x) => Some(Cow::Owned(x.to_string())),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            _ => None,
        }
    }
}

/// Reads the fields of one mapping against a list of known names, reporting into `problems`:
/// a non-mapping, unknown fields (with the closest known name), and wrong types. Each getter
/// returns `None` after reporting, so a loader can carry on and find the next problem.
pub struct Fields<'a> {
    entries: &'a [(Key<'a>, Node<'a>)],
    pub pos: Pos,
}

impl<'a> Fields<'a> {
    /// `what` names the mapping in messages ("card", "deck").
    pub fn new(
        node: &'a Node<'a>,
        what: &str,
        known: &[&str],
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        let Value::Map(entries) = &node.value else {
            problems.push(Problem::new(
                node.pos,
                format!(
                    "expected a {what} (a mapping of fields), found {}",
                    node.type_name()
                ),
            ));
            return None;
        };
        for (key, _) in entries {
            if !known.contains(&&*key.name) {
                let mut message = format!("unknown field `{}` in {what}", key.name);
                if let Some(close) = did_you_mean(&key.name, known) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                } else {
                    message.push_str(&format!("; expected one of: {}", known.join(", ")));
                }
                problems.push(Problem::new(key.pos, message));
            }
        }
        Some(Self {
            entries,
            pos: node.pos,
        })
    }

    /// The raw node of a field, if present.
    pub fn get(&self, name: &str) -> Option<&'a Node<'a>> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
    }

    /// The position of a field's key, or of the mapping when the field is absent.
    pub fn key_pos(&self, name: &str) -> Pos {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map_or(self.pos, |(k, _)| k.pos)
    }

    /// An optional text field; `null` counts as absent.
    pub fn text(&self, name: &str, problems: &mut Vec<Problem>) -> Option<(String, Pos)> {
        let node = self.get(name)?;
        if node.value == Value::Null {
            return None;
        }
        if let Some(text) = node.as_text() {
            within_limit(name, &text, node.pos, problems).then_some((text.into_owned(), node.pos))
        } else {
            problems.push(Problem::new(
                node.pos,
                format!("`{name}` must be text, found {}", node.type_name()),
            ));
            None
        }
    }

    /// A required, non-blank text field. Reports a missing or blank field at the mapping.
    pub fn required_text(
        &self,
        name: &str,
        what: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<(String, Pos)> {
        if self.get(name).is_none_or(|n| n.value == Value::Null) {
            problems.push(Problem::new(self.pos, format!("{what} has no `{name}`")));
            return None;
        }
        let (text, pos) = self.text(name, problems)?;
        if text.trim().is_empty() {
            problems.push(Problem::new(pos, format!("`{name}` is empty")));
            return None;
        }
        Some((text, pos))
    }

    /// An optional list of text items; a single text value is accepted as a one-item list.
    pub fn text_list(&self, name: &str, problems: &mut Vec<Problem>) -> Vec<(String, Pos)> {
        let Some(node) = self.get(name) else {
            return Vec::new();
        };
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items
                .iter()
                .filter_map(|item| {
                    if let Some(text) = item.as_text() {
                        within_limit(name, &text, item.pos, problems)
                            .then(|| (text.into_owned(), item.pos))
                    } else {
                        problems.push(Problem::new(
                            item.pos,
                            format!("items of `{name}` must be text, found {}", item.type_name()),
                        ));
                        None
                    }
                })
                .collect(),
            _ => {
                if let Some(text) = node.as_text() {
                    if within_limit(name, &text, node.pos, problems) {
                        vec![(text.into_owned(), node.pos)]
                    } else {
                        Vec::new()
                    }
                } else {
                    problems.push(Problem::new(
                        node.pos,
                        format!(
                            "`{name}` must be a list of text, found {}",
                            node.type_name()
                        ),
                    ));
                    Vec::new()
                }
            }
        }
    }

    /// An optional non-negative integer field.
    pub fn count(&self, name: &str, problems: &mut Vec<Problem>) -> Option<(u32, Pos)> {
        let node = self.get(name)?;
        match node.value {
            Value::Null => None,
            Value::Int(i) if (0..=i64::from(u32::MAX)).contains(&i) => Some((i as u32, node.pos)),
            _ => {
                problems.push(Problem::new(
                    node.pos,
                    format!(
                        "`{name}` must be a whole number of 0 or more, found {}",
                        describe(node)
                    ),
                ));
                None
            }
        }
    }

    /// An optional number field.
    pub fn number(&self, name: &str, problems: &mut Vec<Problem>) -> Option<(f64, Pos)> {
        let node = self.get(name)?;
        match node.value {
            Value::Null => None,
            Value::Int(i) => Some((i as f64, node.pos)),
            Value::Float(x) if x.is_finite() => Some((x, node.pos)),
            _ => {
                problems.push(Problem::new(
                    node.pos,
                    format!("`{name}` must be a number, found {}", describe(node)),
                ));
                None
            }
        }
    }
}

/// A short description of a node for messages: its text when it is a scalar.
fn describe(node: &Node<'_>) -> String {
    match &node.value {
        Value::Str(s) => format!("\"{s}\""),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => x.to_string(),
        _ => node.type_name().to_owned(),
    }
}

/// The known name closest to `word`, if it is close enough to be a likely misspelling.
pub fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let word = word.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3) && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_line_and_column() {
        let root = parse("id: oms\ncards:\n  - id: a\n    answer: 1921\n").unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("expected a map")
        };
        assert_eq!(entries[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(entries[0].1.pos, Pos { line: 1, col: 5 });
        let Value::Seq(cards) = &entries[1].1.value else {
            panic!("expected a list")
        };
        let Value::Map(card) = &cards[0].value else {
            panic!("expected a map")
        };
        assert_eq!(card[1].0.pos, Pos { line: 4, col: 5 });
        assert_eq!(card[1].1.as_text().as_deref(), Some("1921"));
    }

    #[test]
    fn syntax_error_has_position_and_plain_message() {
        let err = parse("id: [1,\n").unwrap_err();
        assert_eq!(err.pos, Pos { line: 1, col: 5 });
        assert_eq!(err.message, "invalid YAML: unclosed bracket '['");
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, col: 1 });
        assert_eq!(err.message, "invalid YAML: duplicate mapping key: a");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(&text).unwrap_err();
        assert_eq!(
            err.message,
            "invalid YAML: aliases (`*name`) here expand to more than 100000 values; factdrill refuses it as an alias bomb (aliases that repeat aliases)"
        );
        assert_ne!(err.pos, Pos { line: 1, col: 1 }, "the bomb has a position");
    }

    /// Aliases are limited by what they expand to, not by how many uses one anchor has:
    /// one list of choices shared by 900 cards is read.
    #[test]
    fn an_anchor_shared_by_many_aliases_is_read() {
        let mut text = String::from("shared: &c [a, b, c, d]\ncards:\n");
        for i in 0..900 {
            text.push_str(&format!("  - id: c{i}\n    choices: *c\n"));
        }
        let root = parse(&text).unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("expected a map")
        };
        let Value::Seq(cards) = &entries[1].1.value else {
            panic!("expected a list")
        };
        assert_eq!(cards.len(), 900);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&text).is_err());
        // Block nesting past the depth budget: 70 mappings, each a level deeper. In a thread
        // with a main thread's stack: 64 levels of the full reader overflow a test thread's
        // 2 MiB in a debug build (the binary parses on its main thread, 8 MiB).
        let mut text = String::new();
        for i in 0..70 {
            text.push_str(&" ".repeat(i));
            text.push_str("k:\n");
        }
        text.push_str(&" ".repeat(70));
        text.push_str("x\n");
        let err = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || parse(&text).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(err.pos, Pos { line: 65, col: 65 });
        assert_eq!(
            err.message,
            "invalid YAML: nested more than 64 levels deep; factdrill refuses deeper files"
        );
    }

    #[test]
    fn only_true_and_false_are_booleans() {
        let root = parse("a: yes\nb: No\nc: y\nd: off\ne: true\n").unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("expected a map")
        };
        let values: Vec<&Value> = entries.iter().map(|(_, v)| &v.value).collect();
        assert_eq!(
            values,
            vec![
                &Value::Str("yes".into()),
                &Value::Str("No".into()),
                &Value::Str("y".into()),
                &Value::Str("off".into()),
                &Value::Bool(true),
            ]
        );
    }

    #[test]
    fn empty_file_is_a_problem() {
        assert_eq!(
            parse("  \n").unwrap_err().message,
            "the file is empty; expected a YAML mapping"
        );
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        let known = ["prompt", "answer", "choices", "tags"];
        assert_eq!(did_you_mean("promt", &known), Some("prompt"));
        assert_eq!(did_you_mean("answers", &known), Some("answer"));
        assert_eq!(did_you_mean("zzz", &known), None);
    }
}
