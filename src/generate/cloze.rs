//! `cloze` cards: the fact's source sentence with the key entity (the person, the year, the
//! place, the other name) replaced by the blank `___`. A fact without a source sentence, or
//! whose sentence does not contain the entity as written, gets no cloze card.

use super::{Index, card, key};
use crate::deck::{Card, Kind};
use crate::facts::{Body, Fact};

const BLANK: &str = "___";

pub fn cards(ix: &Index<'_>, id: &str, fact: &Fact) -> Option<Card> {
    let sentence = clean(&fact.source.as_ref()?.sentence)?;
    let targets: Vec<String> = match &fact.body {
        Body::Head(h) => {
            let mut t = vec![h.person.clone()];
            t.extend(h.person.split_whitespace().last().map(str::to_owned));
            t
        }
        Body::Date(d) => {
            if fact.uncertain || d.when.dates().len() > 1 {
                return None;
            }
            let date = d.when.first();
            match date.end {
                Some(end) if end.year != date.start.year => {
                    let (a, b) = (date.start.year, end.year);
                    vec![
                        format!("{a}-{b}"),
                        format!("{a}–{b}"),
                        format!("{a} to {b}"),
                    ]
                }
                _ => vec![date.start.year.to_string()],
            }
        }
        Body::Location(l) => vec![l.place.clone()],
        Body::Alias(a) => {
            let mut t: Vec<String> = a
                .aliases
                .iter()
                .filter(|x| deunicode::deunicode(x) == **x)
                .cloned()
                .collect();
            t.extend(a.aliases.iter().cloned());
            t
        }
    };
    let (prompt, answer) = targets
        .iter()
        .find_map(|t| blank(&sentence, t).map(|p| (p, t.clone())))?;
    let mut c = card(
        &key(id, "cloze"),
        Kind::Cloze,
        prompt,
        answer.clone(),
        Some(fact),
    );
    c.accept = match &fact.body {
        Body::Head(h) => {
            let mut a = vec![h.person.clone()];
            a.extend(ix.person_accept(&h.person));
            a
        }
        _ => Vec::new(),
    };
    Some(c)
}

/// The sentence without wrapping parentheses or a trailing colon, when it is short enough to
/// read as a question.
fn clean(sentence: &str) -> Option<String> {
    let mut s = sentence.trim();
    if s.starts_with('(') && s.ends_with(')') {
        s = s[1..s.len() - 1].trim();
    }
    let s = s.trim_end_matches([':', ';', ',']).trim_end();
    if s.is_empty() || s.chars().count() > 300 {
        return None;
    }
    let mut s = super::phrase::capitalize(s);
    if !s.ends_with(['.', '!', '?', '"', '\'', ')']) {
        s.push('.');
    }
    Some(s)
}

/// Every whole-word occurrence of `target` replaced by the blank; `None` if there is none.
fn blank(sentence: &str, target: &str) -> Option<String> {
    if target.trim().is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut rest = sentence;
    let mut found = false;
    while let Some(at) = rest.find(target) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + target.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        if word(before) || word(after) {
            out.push_str(target);
        } else {
            out.push_str(BLANK);
            found = true;
        }
        rest = &rest[at + target.len()..];
    }
    out.push_str(rest);
    found.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_whole_words_only() {
        assert_eq!(
            blank("In 1935, she worked in 1935.", "1935").as_deref(),
            Some("In ___, she worked in ___.")
        );
        assert_eq!(
            blank("Leopold met Leo.", "Leo").as_deref(),
            Some("Leopold met ___.")
        );
        assert_eq!(blank("Nothing here.", "Leo"), None);
        assert_eq!(
            clean("(Krivitsky said so.)").as_deref(),
            Some("Krivitsky said so.")
        );
        assert_eq!(
            clean("by 1929, he was there;").as_deref(),
            Some("By 1929, he was there.")
        );
    }
}
