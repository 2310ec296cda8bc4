//! Words and punctuation of one sentence, and the name phrases among them ("Osip Piatnitsky",
//! "the Third Congress of the Comintern", "\"Leo\""). The pattern rules match on these
//! tokens rather than on raw text, so they are linear in the sentence.

/// A word, number or punctuation mark, with its byte range in the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    /// Starts with a capital letter (computed once; the rules ask often).
    cap: bool,
    /// Starts with a letter or digit.
    word: bool,
}

impl<'a> Tok<'a> {
    pub fn new(text: &'a str, start: usize, end: usize) -> Self {
        let first = text.chars().next();
        Self {
            text,
            start,
            end,
            cap: first.is_some_and(char::is_uppercase),
            word: first.is_some_and(char::is_alphanumeric),
        }
    }

    /// Case-insensitive comparison with an ASCII word.
    pub fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }

    pub fn is_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.is(w))
    }

    pub fn is_word(&self) -> bool {
        self.word
    }

    /// Starts with a capital letter ("Berlin", "J.", "OMS", "Mirov-Abramov").
    pub fn is_cap(&self) -> bool {
        self.cap
    }

    /// All capitals and at least two letters: an acronym ("OMS", "ECCI").
    pub fn is_acronym(&self) -> bool {
        self.text.chars().count() >= 2
            && self
                .text
                .chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit())
    }

    /// A year from 1000 to 2100.
    pub fn year(&self) -> Option<u16> {
        if self.text.len() == 4 && self.text.bytes().all(|b| b.is_ascii_digit()) {
            let y: u16 = self.text.parse().ok()?;
            (1000..=2100).contains(&y).then_some(y)
        } else {
            None
        }
    }
}

/// A short ASCII word in lower case, without allocating (`None` for long or non-ASCII
/// words, which are never keywords).
pub fn lower<'b>(word: &str, buf: &'b mut [u8; 24]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// The tokens of a sentence. Words keep inner hyphens and apostrophes between letters
/// ("Mirov-Abramov", "O'Brien"); a possessive `'s` is its own token; an initial keeps its dot.
pub fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            let mut prev = c;
            while let Some(&(j, d)) = iter.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    prev = d;
                    iter.next();
                    continue;
                }
                // Join across `-` or `'` only between letters; not a possessive 's.
                if matches!(d, '-' | '\'') && prev.is_alphabetic() {
                    let next = s[j + 1..].chars().next();
                    let possessive = d == '\''
                        && next == Some('s')
                        && !s[j + 2..].chars().next().is_some_and(char::is_alphanumeric);
                    if next.is_some_and(char::is_alphabetic) && !possessive {
                        end = j + 1;
                        iter.next();
                        continue;
                    }
                }
                break;
            }
            // An initial: one capital letter followed by a dot.
            let word = &s[i..end];
            if word.chars().count() == 1 && c.is_uppercase() && bytes.get(end) == Some(&b'.') {
                iter.next();
                end += 1;
            }
            out.push(Tok::new(&s[i..end], i, end));
        } else if c == '\''
            && s[i + 1..].starts_with('s')
            && !s[i + 2..].starts_with(char::is_alphanumeric)
        {
            iter.next();
            out.push(Tok::new(&s[i..i + 2], i, i + 2));
        } else {
            let end = i + c.len_utf8();
            out.push(Tok::new(&s[i..end], i, end));
        }
    }
    out
}

/// Lower-case words that may join the capitalised words of one name.
const CONNECTORS: &[&str] = &[
    "of", "the", "for", "de", "von", "van", "der", "den", "du", "la", "le", "di", "da", "del",
    "al", "bin", "ibn", "and",
];

/// Capitalised words that start a sentence or a clause rather than a name.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "To",
    "Of",
    "It",
    "Its",
    "He",
    "She",
    "His",
    "Her",
    "They",
    "Their",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "After",
    "Before",
    "During",
    "Between",
    "When",
    "While",
    "Although",
    "Next",
    "Succeeding",
    "Other",
    "Some",
    "Most",
    "Many",
    "Two",
    "Three",
    "Both",
    "Moreover",
    "However",
    "Also",
    "As",
    "With",
    "Under",
    "Over",
    "Unlike",
    "Since",
    "Until",
    "Through",
    "Later",
    "Then",
    "But",
    "And",
    "Or",
    "We",
    "I",
    "Who",
    "Whom",
    "Which",
    "What",
    "Where",
    "Why",
    "How",
    "Once",
    "Here",
    "AKA",
    "Aka",
];

/// A name phrase: a run of capitalised words (with connectors inside, never at the ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    /// Token range `[first, end)` including any quotes.
    pub first: usize,
    pub end: usize,
    /// Token range `[a, b)` of the name itself.
    pub a: usize,
    pub b: usize,
}

impl Name {
    /// The name's text in the sentence.
    pub fn text<'a>(&self, s: &'a str, toks: &[Tok<'_>]) -> &'a str {
        s.get(toks[self.a].start..toks[self.b - 1].end)
            .unwrap_or("")
    }

    /// Whether the name was written in quotes.
    pub fn quoted(&self) -> bool {
        self.a > self.first
    }

    /// Number of tokens in the name.
    pub fn words(&self) -> usize {
        self.b - self.a
    }
}

/// The name phrase starting at token `i`, if there is one. A leading "the" is skipped;
/// `allow_connectors` admits "of the" inside (organisations), off for people.
pub fn name_at(toks: &[Tok<'_>], i: usize, allow_connectors: bool) -> Option<Name> {
    let mut i = i;
    if toks.get(i).is_some_and(|t| t.is("the")) {
        i += 1;
    }
    let first = toks.get(i)?;
    if first.text == "\"" {
        // A quoted name: "Leo", "Illegal Commission," (a comma may sit inside the quotes).
        let close = (i + 1..toks.len().min(i + 12)).find(|&j| toks[j].text == "\"")?;
        let mut b = close;
        while b > i + 1 && matches!(toks[b - 1].text, "," | "." | ";") {
            b -= 1;
        }
        let inner = &toks[i + 1..b];
        let ok = !inner.is_empty()
            && inner[0].is_cap()
            && inner
                .iter()
                .all(|t| t.is_word() || t.text == "-" || t.text == "'s")
            && inner
                .iter()
                .filter(|t| t.is_word())
                .all(|t| t.is_cap() || t.is_any(CONNECTORS));
        return ok.then_some(Name {
            first: i,
            end: close + 1,
            a: i + 1,
            b,
        });
    }
    if !first.is_cap() || !first.is_word() || NOT_NAMES.contains(&first.text) {
        return None;
    }
    let mut end = i + 1;
    let mut j = i + 1;
    while j < toks.len() && j - i <= 12 {
        let t = &toks[j];
        if t.is_cap() && t.is_word() && t.text != "AKA" {
            j += 1;
            end = j;
        } else if (allow_connectors && t.is_any(CONNECTORS) && !t.is("and"))
            || (!allow_connectors && t.is_any(PARTICLES))
        {
            j += 1;
        } else {
            break;
        }
    }
    Some(Name {
        first: i,
        end,
        a: i,
        b: end,
    })
}

/// Lower-case particles inside personal names.
const PARTICLES: &[&str] = &[
    "de", "von", "van", "der", "den", "du", "di", "da", "del", "bin", "ibn",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_keep_hyphenated_names_initials_and_split_possessives() {
        assert_eq!(
            texts("Mirov-Abramov's J. Peters, 1937-1939."),
            vec![
                "Mirov-Abramov",
                "'s",
                "J.",
                "Peters",
                ",",
                "1937",
                "-",
                "1939",
                "."
            ]
        );
        assert_eq!(
            texts("O'Brien (\"Leo\")"),
            vec!["O'Brien", "(", "\"", "Leo", "\"", ")"]
        );
    }

    #[track_caller]
    fn case(s: &str, at: usize, orgs: bool, expected: Option<&str>) {
        let toks = tokenize(s);
        let got = name_at(&toks, at, orgs).map(|n| n.text(s, &toks));
        assert_eq!(got, expected);
    }

    #[test]
    fn name_phrases() {
        case(
            "The first head was Osip Piatnitsky.",
            4,
            false,
            Some("Osip Piatnitsky"),
        );
        case(
            "founded at the Third Congress of the Comintern in 1921",
            2,
            true,
            Some("Third Congress of the Comintern"),
        );
        case(
            "the Third Congress of the Comintern",
            0,
            false,
            Some("Third Congress"),
        );
        case("AKA \"Leo\" and", 1, false, Some("Leo"));
        case(
            "the \"Illegal Commission,\" headed",
            0,
            true,
            Some("Illegal Commission"),
        );
        case("The head was here", 0, false, None);
        case("was \"a Russian comrade\"", 1, false, None);
        case(
            "Ludwig van Beethoven wrote",
            0,
            false,
            Some("Ludwig van Beethoven"),
        );
    }
}
