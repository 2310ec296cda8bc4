//! Cleaning an article copied from a wiki: headings found (`Title[edit | edit source]`,
//! `== Title ==`, or a short unpunctuated line), reference marks (`[12]`, `[3][6]`,
//! `[citation needed]`) removed, back matter (References, See also, Notes ...) and site cruft
//! (template or Lua errors, licence footers, hatnotes) dropped, quotes and dashes normalised.
//! Every kept character remembers where it was in the original, for `Source::span`.
//! Linear in the input; knows nothing of facts.

/// One paragraph of cleaned text and the section it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub section: Option<String>,
    pub text: String,
    /// Where runs of `text` came from; sorted by `clean`.
    segs: Vec<Seg>,
}

/// A run of cleaned text starting at byte `clean`, copied verbatim (or, when not `verbatim`,
/// replaced) from the original starting at character `orig_char`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seg {
    clean: usize,
    orig_char: usize,
    verbatim: bool,
}

/// Verbatim runs are cut this often so mapping an offset back costs a bounded count.
const SEG_BYTES: usize = 256;

impl Paragraph {
    /// The character offset in the original article of byte `offset` of `text`.
    pub fn orig_char(&self, offset: usize) -> usize {
        let i = self.segs.partition_point(|s| s.clean <= offset);
        let Some(seg) = i.checked_sub(1).and_then(|i| self.segs.get(i)) else {
            return 0;
        };
        if !seg.verbatim {
            return seg.orig_char;
        }
        let end = offset.min(self.text.len());
        let run = self.text.get(seg.clean..end).unwrap_or("");
        seg.orig_char + run.chars().count()
    }
}

/// Sections whose content is back matter, not article text.
const BACK_MATTER: &[&str] = &[
    "references",
    "see also",
    "notes",
    "further reading",
    "external links",
    "bibliography",
    "sources",
    "citations",
    "footnotes",
    "works cited",
    "literature",
    "notes and references",
];

/// Cleans a whole article into paragraphs.
pub fn clean(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let mut skipping = false;
    let mut orig_char = 0usize;
    let mut first_line = true;
    for raw in text.split_inclusive('\n') {
        let line_chars = orig_char;
        orig_char += raw.chars().count();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let is_first = std::mem::replace(&mut first_line, false);
        if let Some(title) = heading(trimmed) {
            let title = tidy(&title);
            skipping = BACK_MATTER.contains(&title.to_lowercase().as_str());
            section = Some(title);
            continue;
        }
        if skipping || is_cruft(trimmed, is_first) {
            continue;
        }
        let p = paragraph(line, line_chars, section.clone());
        if !p.text.trim().is_empty() {
            out.push(p);
        }
    }
    out
}

/// The title of a heading line, if it is one.
fn heading(line: &str) -> Option<String> {
    for marker in ["[edit | edit source]", "[edit source]", "[edit]"] {
        if let Some(title) = line.strip_suffix(marker) {
            return Some(title.trim().to_owned());
        }
    }
    if line.len() > 4 && line.starts_with("==") && line.ends_with("==") {
        return Some(line.trim_matches('=').trim().to_owned());
    }
    // A short line with no closing punctuation reads as a heading in copied text.
    if line.len() > 60 {
        return None;
    }
    let words = line.split_whitespace().count();
    let last = line.chars().last().unwrap_or('.');
    let first = line.chars().next().unwrap_or('a');
    if line.len() <= 60
        && words <= 6
        && first.is_uppercase()
        && !matches!(
            last,
            '.' | '!' | '?' | ':' | ';' | ',' | '"' | ')' | ']' | '\''
        )
        && !line.contains(". ")
    {
        return Some(line.to_owned());
    }
    None
}

/// Site furniture rather than article text.
fn is_cruft(line: &str, first: bool) -> bool {
    let lower = line.to_lowercase();
    let starts = [
        "lua error",
        "script error",
        "cite error",
        "expression error",
        "template:",
        "main article:",
        "main articles:",
        "further information:",
        "retrieved from",
        "jump to navigation",
        "from wikipedia",
        "this page was last edited",
        "this article is about",
        "for other uses",
    ];
    let contains = [
        "community content is available under",
        "text is available under the creative commons",
        "content is available under cc-by",
        "this article needs additional citations",
    ];
    starts.iter().any(|s| lower.starts_with(s))
        || contains.iter().any(|s| lower.contains(s))
        // A hatnote: "For the X, see Y."
        || (first || lower.len() < 200) && lower.starts_with("for ") && lower.contains(", see ")
}

/// Cleans one line into a paragraph, mapping every kept byte to the original.
fn paragraph(line: &str, line_char: usize, section: Option<String>) -> Paragraph {
    let mut text = String::with_capacity(line.len());
    let mut segs: Vec<Seg> = Vec::new();
    let mut run_start: Option<usize> = None; // clean byte where the current verbatim run began
    let mut chars = line.char_indices().peekable();
    let mut char_no = line_char;
    // Leading spaces are dropped; they are indentation.
    while let Some(&(_, c)) = chars.peek() {
        if !c.is_whitespace() {
            break;
        }
        chars.next();
        char_no += 1;
    }
    let bytes = line.as_bytes();
    let mut i = chars.peek().map_or(line.len(), |&(i, _)| i);
    while i < line.len() {
        let b = bytes[i];
        // Fast path: a run of plain printable ASCII is copied as it is.
        if (0x20..0x7f).contains(&b) && b != b'[' && b != b'`' {
            if run_start.is_none_or(|s| text.len() - s >= SEG_BYTES) {
                segs.push(Seg {
                    clean: text.len(),
                    orig_char: char_no,
                    verbatim: true,
                });
                run_start = Some(text.len());
            }
            let room = SEG_BYTES - (text.len() - run_start.unwrap_or(text.len()));
            let mut j = i + 1;
            while j < bytes.len()
                && j - i < room.max(1)
                && (0x20..0x7f).contains(&bytes[j])
                && bytes[j] != b'['
                && bytes[j] != b'`'
            {
                j += 1;
            }
            text.push_str(&line[i..j]);
            char_no += j - i;
            i = j;
            continue;
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        if c == '['
            && let Some(len) = reference_mark(&line[i..])
        {
            char_no += line[i..i + len].chars().count();
            i += len;
            run_start = None;
            continue;
        }
        i += c.len_utf8();
        if let Some(rep) = normalise(c) {
            segs.push(Seg {
                clean: text.len(),
                orig_char: char_no,
                verbatim: false,
            });
            text.push_str(rep);
            run_start = None;
        } else if c.is_control() && c != '\t' {
            run_start = None;
        } else {
            if run_start.is_none_or(|s| text.len() - s >= SEG_BYTES) {
                segs.push(Seg {
                    clean: text.len(),
                    orig_char: char_no,
                    verbatim: true,
                });
                run_start = Some(text.len());
            }
            text.push(if c == '\t' { ' ' } else { c });
        }
        char_no += 1;
    }
    let end = text.trim_end().len();
    text.truncate(end);
    Paragraph {
        section,
        text,
        segs,
    }
}

/// The byte length of a reference mark at the start of `s` (`[12]`, `[a]`, `[note 3]`,
/// `[citation needed]`, `[edit | edit source]`), or `None` if the bracket is text.
fn reference_mark(s: &str) -> Option<usize> {
    let close = s.as_bytes().iter().take(48).position(|&b| b == b']')?;
    let inner = &s[1..close];
    let ok = !inner.is_empty()
        && (inner
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b' ')
            || inner.chars().next().is_some_and(char::is_lowercase)
            || inner.starts_with("Note")
            || inner.starts_with("N ")
            || inner.starts_with("NB"));
    ok.then_some(close + 1)
}

/// The replacement for a typographic character, if it has one.
fn normalise(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{00ab}' | '\u{00bb}'
        | '\u{2033}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{00a0}' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => " ",
        '\u{2026}' => "...",
        '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => "",
        _ => return None,
    })
}

/// A heading title with its marks removed and quotes normalised.
fn tidy(title: &str) -> String {
    paragraph(title, 0, None).text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn case(input: &str, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> = clean(input)
            .into_iter()
            .map(|p| (p.section.unwrap_or_default(), p.text))
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(s, t)| ((*s).to_owned(), (*t).to_owned()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn removes_reference_marks_and_normalises_typography() {
        case(
            "It was \u{201c}secret\u{201d}[3][6] \u{2013} very.[citation needed] Done[a].\n",
            &[("", "It was \"secret\" - very. Done.")],
        );
    }

    #[test]
    fn finds_headings_and_drops_back_matter() {
        case(
            "For the other one, see Elsewhere.\n\nThe Club was old.\n\nHistory[edit | edit source]\n\nIt grew.\n\n== See also ==\n\n  1. Smith (2001). Book.\n\nReferences[edit]\n  2. x\n\nLua error in Module:X at line 3.\n\nCommunity content is available under CC-BY-SA unless otherwise noted.\n",
            &[("", "The Club was old."), ("History", "It grew.")],
        );
    }

    #[test]
    fn short_unpunctuated_lines_are_headings() {
        case(
            "Example Society\n\nThe society met.\n\nEarly years\n\nIt met again.\n",
            &[
                ("Example Society", "The society met."),
                ("Early years", "It met again."),
            ],
        );
    }

    #[test]
    fn brackets_that_are_text_stay() {
        case(
            "He wrote [Capital Letters] here.\n",
            &[("", "He wrote [Capital Letters] here.")],
        );
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let original = "Head\n\n\u{201c}Ab\u{201d}[1] cd \u{00e9}f.\n";
        let paras = clean(original);
        let p = &paras[0];
        assert_eq!(p.text, "\"Ab\" cd \u{e9}f.");
        let chars: Vec<char> = original.chars().collect();
        let at = |clean_byte: usize| chars[p.orig_char(clean_byte)];
        assert_eq!(at(1), 'A');
        assert_eq!(at(5), 'c');
        assert_eq!(at(p.text.find('f').unwrap()), 'f');
    }

    proptest! {
        #[test]
        fn never_panics_and_offsets_stay_in_range(s in "\\PC{0,200}|[\\[\\]a-z0-9 \n\u{201c}\u{2013}]{0,200}") {
            let total = s.chars().count();
            for p in clean(&s) {
                for (i, _) in p.text.char_indices() {
                    prop_assert!(p.orig_char(i) <= total);
                }
            }
        }
    }
}
