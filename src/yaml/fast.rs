//! The fast reader: the plain subset of YAML that decks and facts files are written in, read
//! in one pass over the bytes. It must give exactly the tree the full reader (`saphyr.rs`)
//! gives, positions included, so it declines (`None`) anything it is not sure of, and the
//! full reader then reads the file, problems and all.
//!
//! Read here: block mappings with plain keys, block sequences (also unindented under a key),
//! one-line plain, single- and double-quoted scalars, one-line flow lists of scalars and flow
//! mappings of those, comments and blank lines. Declined: everything else (document markers,
//! directives, anchors, aliases, tags, block scalars, scalars over several lines, nested flow
//! mappings, tabs, CR, unusual characters, duplicate keys, empty list items) and every file
//! with a syntax error.
//!
//! It counts no values: it never expands an alias, so a file's values are bounded by its
//! size (`MAX_FILE_BYTES`), and a 100k-card deck in one file is read like a small one.

use std::borrow::Cow;

use super::{Key, Node, Pos, Value};

/// Deeper than this is declined (the full reader allows 64 levels; decks use 4).
const MAX_DEPTH: usize = 32;
/// Mappings with more keys than this are declined (duplicates are looked for by scanning).
const MAX_KEYS: usize = 256;
/// Longer keys are declined (YAML limits implicit keys to 1024 characters).
const MAX_KEY_BYTES: usize = 128;

/// Reads `text` if it is in the subset; `None` declines it. `text` is not blank.
pub(super) fn parse(text: &str) -> Option<Node<'_>> {
    if has_unusual_bytes(text.as_bytes()) {
        return None;
    }
    let mut reader = Reader {
        text,
        b: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
    };
    let indent = reader.skip_to_content()?;
    let first = &reader.b[reader.line_start..];
    if first.starts_with(b"---") || first.starts_with(b"...") || first.starts_with(b"%") {
        return None;
    }
    reader.i = reader.line_start + indent;
    let root = reader.block_node(indent, 0)?;
    // One document, nothing after it.
    if reader.skip_to_content().is_some() {
        return None;
    }
    Some(root)
}

/// Bytes the full reader treats specially or refuses: control characters (tab and CR
/// included), DEL, C1 controls (NEL is a line break in YAML 1.1), the line and paragraph
/// separators, a byte-order mark inside the text, and the non-characters U+FFFE, U+FFFF.
fn has_unusual_bytes(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0xC2 if b.get(i + 1).is_some_and(|c| (0x80..=0x9F).contains(c)) => return true,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => {
                return true;
            }
            0xEF if matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
            ) =>
            {
                return true;
            }
            b'\n' | b' '..=b'~' | 0x80.. => {}
            _ => return true,
        }
        i += 1;
    }
    false
}

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    /// The cursor, a byte offset.
    i: usize,
    /// The cursor's line, 1-based, and where that line starts.
    line: u32,
    line_start: usize,
}

impl<'a> Reader<'a> {
    fn pos(&self) -> Pos {
        let prefix = &self.text[self.line_start..self.i];
        let col = if prefix.is_ascii() {
            prefix.len()
        } else {
            prefix.chars().count()
        };
        Pos {
            line: self.line,
            col: col as u32 + 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn new_line(&mut self, start: usize) {
        self.i = start;
        self.line_start = start;
        self.line += 1;
    }

    /// From the start of a line, skips blank and comment lines; the indent of the next line
    /// with content (the cursor at that line's start), or `None` at the end of the text.
    fn skip_to_content(&mut self) -> Option<usize> {
        loop {
            let start = self.i;
            let mut j = start;
            while self.at(j) == Some(b' ') {
                j += 1;
            }
            match self.at(j) {
                None => {
                    self.i = j;
                    return None;
                }
                Some(b'\n') => self.new_line(j + 1),
                Some(b'#') => {
                    let Some(k) = memchr(b'\n', &self.b[j..]) else {
                        self.i = self.b.len();
                        return None;
                    };
                    self.new_line(j + k + 1);
                }
                Some(_) => return Some(j - start),
            }
        }
    }

    /// After a value: spaces, perhaps a comment, and the end of the line (the cursor then
    /// at the next line's start). `None` if anything else follows.
    fn end_of_line(&mut self) -> Option<()> {
        let spaces = self.i;
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.new_line(self.i + 1);
                Some(())
            }
            // A comment needs a space before it.
            Some(b'#') if self.i > spaces || self.i == self.line_start => {
                match memchr(b'\n', &self.b[self.i..]) {
                    Some(k) => self.new_line(self.i + k + 1),
                    None => self.i = self.b.len(),
                }
                Some(())
            }
            Some(_) => None,
        }
    }

    /// Whether the cursor is at a sequence entry's dash (`-` then a space or the line's end).
    fn at_dash(&self) -> bool {
        self.peek() == Some(b'-') && matches!(self.at(self.i + 1), None | Some(b' ' | b'\n'))
    }

    /// The length of a plain key at the cursor, if one is there (letters, digits, `_`, `-`,
    /// `.`, not starting with `-` or `.`, then `:` and a space or the line's end).
    fn key_ahead(&self) -> Option<usize> {
        let rest = &self.b[self.i..];
        let len = rest
            .iter()
            .take(MAX_KEY_BYTES + 1)
            .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))?;
        if len == 0 || len > MAX_KEY_BYTES || matches!(rest[0], b'-' | b'.') {
            return None;
        }
        (rest[len] == b':' && matches!(rest.get(len + 1), None | Some(b' ' | b'\n'))).then_some(len)
    }

    /// A block node whose first character is at the cursor, on a line indented `indent`.
    /// Returns with the cursor at the start of the next line with content (or the end).
    fn block_node(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.at_dash() {
            self.block_seq(indent, false, depth + 1)
        } else if self.key_ahead().is_some() {
            self.block_map(indent, depth + 1)
        } else {
            None
        }
    }

    /// A block sequence whose dashes are at column `indent`, the cursor at the first.
    /// `unindented`: the value of a key at the same indent, which the full reader places
    /// after the first dash and the spaces after it.
    fn block_seq(&mut self, indent: usize, unindented: bool, depth: usize) -> Option<Node<'a>> {
        let mut pos = self.pos();
        let mut items = Vec::new();
        loop {
            self.i += 1; // the dash
            if unindented && items.is_empty() {
                // The full reader places it after the dash and its spaces.
                let dash = self.i;
                self.skip_spaces();
                pos = self.pos();
                self.i = dash;
            }
            let item = self.seq_item(indent, depth)?;
            items.push(item);
            match self.skip_to_content() {
                Some(next) if next == indent => {
                    self.i = self.line_start + next;
                    if !self.at_dash() {
                        // The key after an unindented sequence: the mapping reads it.
                        self.i = self.line_start;
                        break;
                    }
                }
                Some(next) if next > indent => return None,
                _ => break,
            }
        }
        Some(Node {
            value: Value::Seq(items),
            pos,
        })
    }

    /// The item after a dash at column `indent`.
    fn seq_item(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if matches!(self.peek(), None | Some(b'\n')) {
            // The item is on the lines below (a nested block); an empty one is declined.
            self.end_of_line()?;
            return match self.skip_to_content() {
                Some(next) if next > indent => {
                    self.i = self.line_start + next;
                    self.block_node(next, depth)
                }
                _ => None,
            };
        }
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
        match self.peek() {
            None | Some(b'\n' | b'#') => None,
            Some(_) if self.at_dash() => None,
            Some(_) if self.key_ahead().is_some() => {
                let column = self.i - self.line_start;
                self.block_map(column, depth)
            }
            Some(_) => {
                let node = self.inline_value()?;
                self.end_of_line()?;
                // A more indented line would continue the scalar (or be an error).
                match self.skip_to_content() {
                    Some(next) if next > indent => None,
                    _ => Some(node),
                }
            }
        }
    }

    /// A block mapping whose keys are at column `indent`, the cursor at the first key.
    fn block_map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let pos = self.pos();
        let mut entries: Vec<(Key, Node)> = Vec::new();
        loop {
            let len = self.key_ahead()?;
            let key_pos = self.pos();
            let key = self.key(len, key_pos, &entries)?;
            let colon = self.pos();
            self.i += 1;
            let value = self.map_value(indent, colon, depth)?;
            entries.push((key, value));
            match self.skip_to_content() {
                Some(next) if next == indent => {
                    self.i = self.line_start + next;
                    self.key_ahead()?;
                }
                Some(next) if next > indent => return None,
                _ => break,
            }
        }
        Some(Node {
            value: Value::Map(entries),
            pos,
        })
    }

    /// The key of `len` bytes at the cursor, a new one in `entries`; the cursor after it.
    fn key(&mut self, len: usize, pos: Pos, entries: &[(Key<'a>, Node<'a>)]) -> Option<Key<'a>> {
        let name = &self.text[self.i..self.i + len];
        // A key that reads as null, a boolean or a number is named by its value (`1`,
        // `true`, `null`); one whose name would not be its text (`Null`, `01`) is declined.
        let same = match resolve(name)? {
            Resolved::Text => true,
            Resolved::Null => name == "null",
            Resolved::Bool(b) => name == b.to_string(),
            Resolved::Int(i) => name == i.to_string(),
            Resolved::Float(_) | Resolved::Other(_) => false,
        };
        if !same || entries.len() >= MAX_KEYS || entries.iter().any(|(k, _)| k.name == name) {
            return None;
        }
        self.i += len;
        Some(Key {
            name: Cow::Borrowed(name),
            pos,
        })
    }

    /// The value after a key's colon (at `colon`), the key at column `indent`.
    fn map_value(&mut self, indent: usize, colon: Pos, depth: usize) -> Option<Node<'a>> {
        if matches!(self.peek(), None | Some(b'\n')) {
            // The value is on the lines below, or there is none.
            self.end_of_line()?;
            return match self.skip_to_content() {
                Some(next) if next > indent => {
                    self.i = self.line_start + next;
                    self.block_node(next, depth)
                }
                Some(next) if next == indent && self.b[self.line_start + next] == b'-' => {
                    self.i = self.line_start + next;
                    if !self.at_dash() {
                        return None;
                    }
                    self.block_seq(indent, true, depth + 1)
                }
                _ => {
                    // An empty value: null, placed at the colon by the full reader.
                    Some(Node {
                        value: Value::Null,
                        pos: colon,
                    })
                }
            };
        }
        if self.peek() != Some(b' ') {
            return None;
        }
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
        if matches!(self.peek(), None | Some(b'\n' | b'#')) {
            return None; // a comment after the key: declined
        }
        let node = self.inline_value()?;
        self.end_of_line()?;
        match self.skip_to_content() {
            Some(next) if next > indent => None,
            _ => Some(node),
        }
    }

    /// A one-line value at the cursor: a quoted or plain scalar, a flow list or mapping.
    fn inline_value(&mut self) -> Option<Node<'a>> {
        match self.peek()? {
            b'[' => self.flow_seq(),
            b'{' => self.flow_map(),
            _ => self.scalar(None),
        }
    }

    /// A quoted or plain scalar at the cursor; in a flow collection (`closing` its bracket)
    /// a plain one ends at `,` or the bracket.
    fn scalar(&mut self, closing: Option<u8>) -> Option<Node<'a>> {
        let pos = self.pos();
        let value = match self.peek()? {
            b'"' => Value::Str(self.double_quoted()?),
            b'\'' => Value::Str(self.single_quoted()?),
            c if starts_plain(c, self.at(self.i + 1)) => self.plain(closing)?,
            _ => return None,
        };
        Some(Node { value, pos })
    }

    /// A flow mapping on one line, `{id: a, prompt: p, items: [x, y]}`, plain keys each
    /// followed by `: ` and a scalar or a flow list.
    fn flow_map(&mut self) -> Option<Node<'a>> {
        let pos = self.pos();
        self.i += 1;
        let mut entries: Vec<(Key<'a>, Node<'a>)> = Vec::new();
        self.skip_spaces();
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                let len = self.key_ahead()?;
                if self.at(self.i + len + 1) != Some(b' ') {
                    return None;
                }
                let key_pos = self.pos();
                let key = self.key(len, key_pos, &entries)?;
                self.i += 1; // the colon
                self.skip_spaces();
                let value = match self.peek()? {
                    b'[' => self.flow_seq()?,
                    _ => self.scalar(Some(b'}'))?,
                };
                entries.push((key, value));
                self.skip_spaces();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.skip_spaces();
                        if matches!(self.peek(), None | Some(b'}' | b',' | b'\n')) {
                            return None;
                        }
                    }
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        Some(Node {
            value: Value::Map(entries),
            pos,
        })
    }

    /// A flow list on one line, `[a, "b", 3]`, of scalars.
    fn flow_seq(&mut self) -> Option<Node<'a>> {
        let pos = self.pos();
        self.i += 1;
        let mut items = Vec::new();
        self.skip_spaces();
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                items.push(self.scalar(Some(b']'))?);
                self.skip_spaces();
                match self.peek()? {
                    b',' => {
                        self.i += 1;
                        self.skip_spaces();
                        if matches!(self.peek(), None | Some(b']' | b',')) {
                            return None;
                        }
                    }
                    b']' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        Some(Node {
            value: Value::Seq(items),
            pos,
        })
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    /// A plain scalar on one line, resolved as the full reader resolves it. In a flow
    /// collection (`closing` its bracket) it ends at `,` or the bracket, and other brackets
    /// and `:` in it are declined.
    fn plain(&mut self, closing: Option<u8>) -> Option<Value<'a>> {
        let in_flow = closing.is_some();
        let start = self.i;
        let mut end = start; // after the last non-space
        let mut j = start;
        while let Some(c) = self.at(j) {
            match c {
                b'\n' => break,
                b'#' if j > start && self.b[j - 1] == b' ' => break,
                b',' if in_flow => break,
                c if Some(c) == closing => break,
                // In a flow collection `:` may be inside a scalar only before a character
                // that is neither a space nor a flow indicator.
                b':' if in_flow
                    && matches!(
                        self.at(j + 1),
                        None | Some(b' ' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')
                    ) =>
                {
                    return None;
                }
                b'[' | b']' | b'{' | b'}' if in_flow => return None,
                b':' if matches!(self.at(j + 1), None | Some(b' ' | b'\n')) => return None,
                b' ' => {}
                _ => end = j + 1,
            }
            j += 1;
        }
        if in_flow && matches!(self.at(j), None | Some(b'\n' | b'#')) {
            return None; // a list over several lines
        }
        self.i = end;
        let text = &self.text[start..end];
        Some(match resolve(text)? {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            Resolved::Int(i) => Value::Int(i),
            Resolved::Float(x) => Value::Float(x),
            Resolved::Text => Value::Str(Cow::Borrowed(text)),
            Resolved::Other(value) => value,
        })
    }

    /// A double-quoted scalar on one line, escapes decoded.
    fn double_quoted(&mut self) -> Option<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        let mut out = String::new();
        let mut run = start; // start of the text not yet copied to `out`
        loop {
            let c = self.peek()?;
            match c {
                b'"' => break,
                b'\n' => return None,
                b'\\' => {
                    out.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    out.push(self.escape()?);
                    run = self.i;
                }
                _ => self.i += 1,
            }
        }
        let text = if run == start {
            Cow::Borrowed(&self.text[start..self.i])
        } else {
            out.push_str(&self.text[run..self.i]);
            Cow::Owned(out)
        };
        self.i += 1;
        Some(text)
    }

    /// The character an escape stands for, the cursor after its backslash.
    fn escape(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        let hex = |reader: &mut Self, digits: usize| -> Option<char> {
            let s = reader.text.get(reader.i..reader.i + digits)?;
            if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            reader.i += digits;
            char::from_u32(u32::from_str_radix(s, 16).ok()?)
        };
        Some(match c {
            b'0' => '\0',
            b'a' => '\u{07}',
            b'b' => '\u{08}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{0B}',
            b'f' => '\u{0C}',
            b'r' => '\r',
            b'e' => '\u{1B}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{A0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' => hex(self, 2)?,
            b'u' => hex(self, 4)?,
            b'U' => hex(self, 8)?,
            _ => return None,
        })
    }

    /// A single-quoted scalar on one line (`''` is a quote).
    fn single_quoted(&mut self) -> Option<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        let mut out = String::new();
        let mut run = self.i;
        loop {
            match self.peek()? {
                b'\'' if self.at(self.i + 1) == Some(b'\'') => {
                    out.push_str(&self.text[run..=self.i]);
                    self.i += 2;
                    run = self.i;
                }
                b'\'' => break,
                b'\n' => return None,
                _ => self.i += 1,
            }
        }
        let text = if run == start {
            Cow::Borrowed(&self.text[start..self.i])
        } else {
            out.push_str(&self.text[run..self.i]);
            Cow::Owned(out)
        };
        self.i += 1;
        Some(text)
    }
}

/// Whether a plain scalar may start with `c` (then `next`) in our subset: not an indicator,
/// except `-` before a character that is not a space (a negative number, `-foo`).
fn starts_plain(c: u8, next: Option<u8>) -> bool {
    match c {
        b'-' => next.is_some_and(|n| !matches!(n, b' ' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}

/// What a plain scalar reads as, by the full reader's rules (YAML 1.2 core schema, only
/// `true`, `True`, `TRUE` and the same for false as booleans). `Text`: the scalar's own text;
/// `Other`: a value the full reader gave for an unusual number spelling.
enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text,
    Other(Value<'static>),
}

/// `None` declines: the full reader refuses the scalar (`.inf`, `1e999`) or reads it as text
/// other than its own.
fn resolve(text: &str) -> Option<Resolved> {
    Some(match text {
        "~" | "null" | "Null" | "NULL" => Resolved::Null,
        "true" | "True" | "TRUE" => Resolved::Bool(true),
        "false" | "False" | "FALSE" => Resolved::Bool(false),
        _ => {
            let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
            // Only a digit or `.` (after a sign) can start a number (`.5`, `.inf`); `inf`
            // and `nan` spelt out stay text.
            if !unsigned
                .as_bytes()
                .first()
                .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
            {
                return Some(Resolved::Text);
            }
            number(text)?
        }
    })
}

/// A plain scalar that starts like a number. Decimal integers and decimals are read here;
/// any other spelling (`0x1F`, `007`, `1e3`, `1_000`, `1937-1939`, `.inf`) is read by the
/// full reader as the value of a one-key mapping, so it resolves exactly as it would.
fn number(text: &str) -> Option<Resolved> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let magnitude = text.strip_prefix('-').unwrap_or(text);
    if digits(magnitude) && magnitude.len() <= 18 && !magnitude.starts_with('0') || text == "0" {
        let value: i64 = magnitude.parse().ok()?;
        return Some(Resolved::Int(if text.starts_with('-') {
            -value
        } else {
            value
        }));
    }
    if let Some((whole, fraction)) = magnitude.split_once('.')
        && digits(whole)
        && digits(fraction)
        && magnitude.len() <= 24
    {
        let value: f64 = text.parse().ok()?;
        return value.is_finite().then_some(Resolved::Float(value));
    }
    let root = super::saphyr::parse(&format!("k: {text}\n")).ok()?;
    let Value::Map(mut entries) = root.value else {
        return None;
    };
    let (_, node) = entries.pop()?;
    match node.value {
        Value::Str(s) if *s == *text => Some(Resolved::Text),
        Value::Seq(_) | Value::Map(_) | Value::Str(_) => None,
        value => Some(Resolved::Other(value)),
    }
}

/// The first `needle` in `haystack`.
fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::super::{parse_fast, parse_full};
    use proptest::prelude::*;

    /// The fast reader either declines `text` or gives what the full reader gives.
    #[track_caller]
    fn agrees(text: &str) -> bool {
        match parse_fast(text) {
            None => false,
            Some(fast) => {
                assert_eq!(Ok(fast), parse_full(text), "the readers differ on:\n{text}");
                true
            }
        }
    }

    #[track_caller]
    fn case(text: &str, accepted: bool) {
        assert_eq!(agrees(text), accepted, "accepted? {text:?}");
    }

    #[test]
    fn reads_the_subset_as_the_full_reader_does() {
        case("a: 1\nb: x y\nc: \"q\\tz\\u00e9\"\nd: 'it''s'\n", true);
        case(
            "# head\n\nid: x\ncards:\n  - id: a\n    t: [1, \"b\", c d]\n  -   k: 1.5\n      j: -3\n",
            true,
        );
        case("m:\n- 1\n- x: 2\n  y: 3\nn: 4\n", true);
        case("a:\nb: ~\nc: null\nd: True\ne: no\nf: []\n", true);
        case("a: b # comment\n  # indented comment\nc: 'd' #x\n", true);
        case("a: é ü\nb: [é, ü ö, \"ñ\"]\nc: 1921\nd: 0.85\n", true);
        case(
            "a: 1937-1939\nb: 007\nc: 0x1F\nd: 1e3\ne: -0\nf: +5\ng: .5\n",
            true,
        );
        case(
            "a: 99999999999999999999\nb: 12345678901234567890123\n",
            true,
        );
        case("  a: 1\n  b:\n    - x\n", true);
        case("id: a\n\n# between\n", true);
        case(
            "a: {b: 1, c: [x, \"y\"], d: 'z'}\nl:\n  - {id: a, prompt: p?, answer: x}\n",
            true,
        );
        case("a: {}\nb: { x: y }\n", true);
        // An unindented sequence is placed after its first dash and spaces.
        case("id:\n id:\n -\n  - []\n", true);
        case("a:\n-   x\n- y\n", true);
        case("a: http://example.org/x?y=1\nb: a#b\nc: -x\n", true);
    }

    #[test]
    fn declines_what_it_does_not_read() {
        for text in [
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: {b: {c: 1}}\n",
            "a: {b}\n",
            "a: {b: 1,}\n",
            "a: {b:1}\n",
            "a: {b: 1\n",
            "a: {b: 1, b: 2}\n",
            "a: [{b: 1}]\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: long\n  text\n",
            "a: \"two\n  lines\"\n",
            "a: [1,\n  2]\n",
            "a:\tb\n",
            "a: b\r\n",
            "a: b\u{85}c\n",
            "a: 1\na: 2\n",
            "- \n- a\n",
            "? a\n: b\n",
            "\"a\": b\n",
            "a: b: c\n",
            "a: [b, [c]]\n",
            "a: [b,]\n",
            "a: .inf\n",
            "a: 1e999\n",
            "a: \"\\q\"\n",
            "a: [1, 2\n",
            "just text\n",
            "a: 1\n b: 2\n",
            "a:  # comment\n  b: 1\n",
        ] {
            case(text, false);
        }
    }

    /// Neither reader counts a file's own values: a list longer than the parser's default
    /// budget (250,000 values, which refused decks of some 30,000 cards) is read by both,
    /// to the same tree.
    #[test]
    fn long_files_are_read_by_both_readers() {
        let text = format!("cards:\n{}", "- x\n".repeat(260_000));
        assert!(agrees(&text));
    }

    #[test]
    fn shipped_and_fixture_files_agree_and_the_clean_ones_are_read_fast() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut files = Vec::new();
        for dir in [
            "decks",
            "tests/fixtures/decks",
            "tests/fixtures/articles",
            "fuzz/corpus/deck",
            "fuzz/corpus/facts",
            "fuzz/corpus/yaml",
        ] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.to_string_lossy().ends_with(".yaml") {
                    files.push(path);
                }
            }
        }
        files.sort();
        let mut accepted = Vec::new();
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if !text.trim().is_empty() && agrees(&text) {
                accepted.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
        for shipped in ["oms.yaml", "oms.facts.yaml", "royal-society.facts.yaml"] {
            assert!(
                accepted.iter().any(|a| a == shipped),
                "{shipped} should be read fast; read fast: {accepted:?}"
            );
        }
    }

    /// Scalars as a person or the writers spell them: words, numbers, dates, YAML's special
    /// words, indicators, quotes and escapes, non-ASCII.
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => "[a-zA-Z][a-zA-Z0-9 ,.?!'()/-]{0,20}",
            1 => "[-+.0-9eExXoO_:]{1,8}",
            1 => "(~|null|Null|NULL|true|True|TRUE|false|FALSE|yes|no|y|n|on|off|\\.inf|\\.nan|-\\.inf)",
            1 => "\"([a-z \\\\\"#:,]|\\\\[ntr0e\"\\\\/]|\\\\x[0-9a-f]{2}|\\\\u[0-9a-fA-F]{4}){0,8}\"",
            1 => "'([a-z \"#:,\\\\]|''){0,8}'",
            1 => "[a-zé ü#:,\\[\\]{}&*!|>%@`-]{1,10}",
            1 => "[0-9]{4}(-[0-9]{2}){0,2}",
            1 => "[0-9]{4}-[0-9]{4}",
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            "(id|kind|prompt|answer|choices|tags|accept)",
            "[a-z_][a-z0-9_.-]{0,6}",
            "[0-9]{1,3}",
            "(true|null|y|no)",
        ]
    }

    /// A tree of YAML values, rendered in block style with some freedom of layout.
    #[derive(Debug, Clone)]
    enum Doc {
        Scalar(String),
        Flow(Vec<String>),
        FlowMap(Vec<(String, String)>),
        Null,
        Map(Vec<(String, Doc)>),
        Seq(Vec<Doc>),
    }

    fn tree() -> impl Strategy<Value = Doc> {
        let leaf = prop_oneof![
            4 => scalar().prop_map(Doc::Scalar),
            1 => prop::collection::vec(scalar(), 0..4).prop_map(Doc::Flow),
            1 => prop::collection::vec((key(), scalar()), 0..4).prop_map(Doc::FlowMap),
            1 => Just(Doc::Null),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 1..5).prop_map(Doc::Map),
                prop::collection::vec(inner, 1..5).prop_map(Doc::Seq),
            ]
        })
    }

    /// Layout choices, drawn per document: unindented sequences under keys, comments and
    /// blank lines between entries, trailing comments, extra spaces after dashes.
    #[derive(Debug, Clone, Copy)]
    struct Layout {
        unindented: bool,
        comments: bool,
        trailing: bool,
        dash_spaces: usize,
        indent: usize,
    }

    fn render(doc: &Doc, layout: Layout, col: usize, out: &mut String) {
        let pad = |n: usize| " ".repeat(n);
        match doc {
            Doc::Scalar(s) => out.push_str(&format!(" {s}{}\n", tail(layout))),
            Doc::Flow(items) => out.push_str(&format!(" [{}]\n", items.join(", "))),
            Doc::FlowMap(entries) => {
                let entries: Vec<String> =
                    entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                out.push_str(&format!(" {{{}}}\n", entries.join(", ")));
            }
            Doc::Null => out.push('\n'),
            Doc::Map(entries) => {
                out.push('\n');
                let inner = col + layout.indent;
                for (k, v) in entries {
                    if layout.comments {
                        out.push_str(&format!("{}# about {k}\n\n", pad(inner)));
                    }
                    out.push_str(&format!("{}{k}:", pad(inner)));
                    let at = if layout.unindented && matches!(v, Doc::Seq(_)) {
                        inner - layout.indent
                    } else {
                        inner
                    };
                    render(v, layout, at, out);
                }
            }
            Doc::Seq(items) => {
                out.push('\n');
                let inner = col + layout.indent;
                for v in items {
                    out.push_str(&format!("{}-", pad(inner)));
                    match v {
                        // A mapping starts on the dash's line.
                        Doc::Map(entries) => {
                            let at = inner + 1 + layout.dash_spaces;
                            for (n, (k, v)) in entries.iter().enumerate() {
                                let lead = if n == 0 {
                                    pad(layout.dash_spaces)
                                } else {
                                    pad(at)
                                };
                                out.push_str(&format!("{lead}{k}:"));
                                render(v, layout, at, out);
                            }
                        }
                        _ => render(v, layout, inner, out),
                    }
                }
            }
        }
    }

    fn tail(layout: Layout) -> &'static str {
        if layout.trailing { " # trailing" } else { "" }
    }

    fn document() -> impl Strategy<Value = String> {
        (
            prop::collection::vec((key(), tree()), 1..5),
            any::<(bool, bool, bool)>(),
            1usize..3,
            1usize..4,
        )
            .prop_map(
                |(entries, (unindented, comments, trailing), dash_spaces, indent)| {
                    let layout = Layout {
                        unindented,
                        comments,
                        trailing,
                        dash_spaces,
                        indent,
                    };
                    let mut out = String::new();
                    if comments {
                        out.push_str("# A document\n\n");
                    }
                    for (k, v) in entries {
                        out.push_str(&format!("{k}:"));
                        render(&v, layout, 0, &mut out);
                    }
                    out
                },
            )
    }

    /// The generated documents exercise the fast reader, not only the fallback: a fixed
    /// sample of them, and every one the fast reader accepts agrees.
    #[test]
    fn many_generated_documents_are_read_fast() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = document();
        let cases = 400;
        let accepted = (0..cases)
            .filter(|_| agrees(&strategy.new_tree(&mut runner).unwrap().current()))
            .count();
        assert!(
            accepted * 10 >= cases,
            "only {accepted} of {cases} read fast"
        );
    }

    /// Any text, as the deck writer writes it, with every field and non-default settings.
    fn written_deck(texts: &[String], kind: crate::deck::Kind, seed: u8) -> String {
        use crate::deck::{Card, Id, Origin};
        use crate::generate::write::{Header, to_yaml};
        let text = |i: usize| texts[i % texts.len()].clone();
        let mut header = Header::new("deck-1".into(), text(0));
        header.description = Some(text(1));
        header.new_per_day = Some(u32::from(seed));
        header.strict = seed.is_multiple_of(2);
        header.scheduling.desired_retention = 0.85;
        header.scheduling.fuzz = false;
        header.scheduling.learning_steps = vec![jiff::SignedDuration::from_secs(90)];
        if seed.is_multiple_of(3) {
            header.scheduling.algorithm = crate::schedule::Algorithm::Sm2;
            header.scheduling.parameters[3] = 2.5;
        }
        let cards: Vec<Card> = (0..3)
            .map(|i| Card {
                id: Id::parse(&format!("c{i}")).unwrap(),
                kind,
                prompt: text(i + 2),
                answer: text(i + 3),
                accept: vec![text(i + 4), text(i)],
                choices: vec![text(i + 3), text(i + 5)],
                explanation: Some(text(i + 6)),
                source: (seed % 2 == 1).then(|| text(i + 7)),
                tags: vec![text(i + 1)],
                generated: (i == 1).then(|| Origin {
                    key: "head-0a.recall".into(),
                    hash: "0123abcd".into(),
                }),
                line: 0,
            })
            .collect();
        to_yaml(&header, &cards)
    }

    proptest! {
        /// What `generate` writes is always read fast (else a generated deck would take the
        /// slow path), and read as the full reader reads it.
        #[test]
        fn written_decks_are_read_fast(
            texts in prop::collection::vec("[^\u{2028}\u{2029}]{0,24}", 1..9),
            kind in prop::sample::select(crate::deck::Kind::ALL.to_vec()),
            seed: u8,
        ) {
            let text = written_deck(&texts, kind, seed);
            prop_assert!(agrees(&text), "not read fast:\n{}", text);
        }

        #[test]
        fn written_facts_are_read_fast(texts in prop::collection::vec("[^\u{2028}\u{2029}]{1,24}", 1..9)) {
            use crate::facts::{Alias, Body, Fact, Facts, Location};
            let text = |i: usize| texts[i % texts.len()].clone();
            let facts = Facts {
                topic: Some(text(0)),
                facts: vec![
                    Fact::new(Body::Location(Location { subject: text(1), place: text(2) })),
                    Fact::new(Body::Alias(Alias { name: text(3), aliases: vec![text(4), text(5)] })),
                ],
            };
            let yaml = crate::facts::to_yaml(&facts);
            prop_assert!(agrees(&yaml), "not read fast:\n{}", yaml);
        }

        #[test]
        fn generated_documents_read_alike(text in document()) {
            agrees(&text);
        }

        #[test]
        fn edited_decks_read_alike(
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, "[ \n:#\\-\"'\\[\\],a1]{0,2}"), 1..4)
        ) {
            let mut text = include_str!("../../tests/fixtures/decks/kinds.yaml").to_owned();
            for (at, how, piece) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                match how {
                    0 => text.insert_str(i, &piece),
                    1 => {
                        let mut j = (i + piece.len() + 1).min(text.len());
                        while !text.is_char_boundary(j) {
                            j -= 1;
                        }
                        text.replace_range(i..j, &piece);
                    }
                    2 => text.insert(i, ' '),
                    _ => {
                        if let Some(nl) = text[i..].find('\n') {
                            text.insert_str(i + nl + 1, "  ");
                        }
                    }
                }
            }
            if !text.trim().is_empty() {
                agrees(&text);
            }
        }
    }
}
