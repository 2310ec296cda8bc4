//! Splitting a cleaned paragraph into sentences. A full stop ends a sentence only when what
//! follows starts one (a capital, a digit, a quote or a bracket) and what precedes is not an
//! initial ("J. Peters", "E. H. Cookridge") or a known abbreviation ("pp.", "St.", "Mr.").
//! Sentences longer than `MAX_BYTES` are cut, so the work per sentence is bounded.

use std::ops::Range;

/// The longest sentence handed to the pattern rules; longer runs are cut at a space.
pub const MAX_BYTES: usize = 1_000;

/// Words that end with a full stop without ending a sentence (compared in lower case).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "rev", "gen", "col", "lt", "capt", "cpt",
    "maj", "sgt", "gov", "sen", "rep", "hon", "pres", "pp", "ed", "eds", "trans", "etc", "e.g",
    "i.e", "vs", "cf", "ca", "c", "approx", "fl", "b", "d", "inc", "ltd", "co", "corp", "bros",
    "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "u.s", "u.k", "u.s.s.r", "fig", "op", "cit", "ibid", "al", "esp", "dept", "univ",
    "assn", "ave", "blvd", "rd",
];

/// Abbreviations that precede a number ("No. 5", "p. 41").
const NUMBERED: &[&str] = &["no", "nos", "p", "vol", "vols", "op", "fig", "art"];

/// The byte ranges of the sentences of `text`, trimmed, in order; never empty ranges.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mut end = None;
        if b == b';' && bytes.get(i + 1) == Some(&b' ') {
            // Clauses joined by a semicolon are read as sentences of their own.
            end = Some(i + 1);
        } else if matches!(b, b'.' | b'!' | b'?') {
            // Take the run of closing marks: "...", `."`, `.)`.
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b')' | b'\'') {
                j += 1;
            }
            let ends = j >= bytes.len()
                || (bytes[j] == b' ' && starts_sentence(&text[j..]) && !is_abbreviation(text, i));
            if ends {
                end = Some(j);
            }
            if end.is_none() {
                i = j;
                continue;
            }
        } else if i - start >= MAX_BYTES && b == b' ' {
            end = Some(i);
        } else if i - start >= 2 * MAX_BYTES && text.is_char_boundary(i) {
            // No space for a long way (one giant token): cut anyway.
            end = Some(i);
        }
        if let Some(e) = end {
            push(text, start..e, &mut out);
            start = e;
            i = e;
        } else {
            i += 1;
        }
    }
    push(text, start..bytes.len(), &mut out);
    out
}

fn push(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

/// Whether the text after a space starts a sentence.
fn starts_sentence(rest: &str) -> bool {
    let mut chars = rest.chars().skip_while(|c| *c == ' ');
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
        Some('"' | '(' | '\'' | '[') => chars.next().is_some_and(|c| !c.is_lowercase()),
        _ => false,
    }
}

/// Whether the full stop at byte `dot` ends an initial or a known abbreviation.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    // The separator may be several bytes long (a no-break space): step over the whole char.
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(' || c == '"')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let mut chars = word.chars();
    // A single capital letter is an initial.
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return true;
    }
    if word.len() > 8 {
        return false;
    }
    let lower = word.to_lowercase();
    // "No. 5", "p. 41", "vol. 2": abbreviations only before a number.
    if NUMBERED.contains(&lower.as_str()) {
        return text[dot + 1..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit());
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn case(text: &str, expected: &[&str]) {
        let got: Vec<&str> = split(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn multibyte_space_before_an_initial_is_stepped_over_whole() {
        // A no-break space (2 bytes) or an ideographic space (3 bytes) before "J." once made
        // the abbreviation check slice inside a character.
        case("Led by\u{a0}J. Peters.", &["Led by\u{a0}J. Peters."]);
        case(
            "Led by\u{3000}J. Peters. Next came Y.",
            &["Led by\u{3000}J. Peters.", "Next came Y."],
        );
    }

    #[test]
    fn splits_on_full_stops_before_capitals() {
        case(
            "It grew. It shrank! Why? Nobody knows.",
            &["It grew.", "It shrank!", "Why?", "Nobody knows."],
        );
    }

    #[test]
    fn initials_and_abbreviations_do_not_end_sentences() {
        case(
            "Browder made J. Peters its counterpart. See E. H. Cookridge, pp. 41.",
            &[
                "Browder made J. Peters its counterpart.",
                "See E. H. Cookridge, pp. 41.",
            ],
        );
        case(
            "Mr. Smith lived on St. Mark's Place. He left.",
            &["Mr. Smith lived on St. Mark's Place.", "He left."],
        );
    }

    #[test]
    fn semicolons_split_clauses() {
        case(
            "An early head was Ann; by 1929, Bo was a member.",
            &["An early head was Ann;", "by 1929, Bo was a member."],
        );
    }

    #[test]
    fn quotes_and_ellipses() {
        case(
            "He said \"no.\" Then he left... and came back. \"Yes.\" Fine",
            &[
                "He said \"no.\"",
                "Then he left... and came back.",
                "\"Yes.\"",
                "Fine",
            ],
        );
    }

    #[test]
    fn long_sentences_are_cut() {
        let text = "word ".repeat(1_000);
        let parts = split(&text);
        assert!(parts.len() >= 4);
        assert!(parts.iter().all(|r| r.len() <= MAX_BYTES + 10));
        let giant = "x".repeat(10_000);
        assert!(split(&giant).iter().all(|r| r.len() <= 2 * MAX_BYTES));
    }

    proptest! {
        #[test]
        fn ranges_are_ordered_char_boundaries(s in "\\PC{0,300}|[a-zA-Z .?!\"]{0,300}") {
            let mut last = 0;
            for r in split(&s) {
                prop_assert!(r.start >= last && r.start < r.end);
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                last = r.end;
            }
        }
    }
}
