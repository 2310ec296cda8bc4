//! `cloze` cards: the fact's source sentence with the key entity (the person, the year, the
//! place, the other name) replaced by the blank `___`. The sentence must read on its own: a
//! leading "It"/"Its" (or an "it" with nothing before it to refer to) is replaced by the
//! thing the fact is about; a sentence that still leans on the one before it ("Next was ...",
//! "Succeeding him ...", "a member there"), that holds the entity twice, or (for a head) that
//! names neither the organisation, the region nor another person makes no cloze; nor does
//! one with a slip of the source ("referred to the it as").

use super::grammar::{article_before_pronoun, dangling};
use super::phrase::{capitalize, possessive};
use super::{Index, card, key};
use crate::deck::{Card, Kind};
use crate::facts::{Body, Fact, Head, fold};

pub const BLANK: &str = "___";

pub fn cards(ix: &Index<'_>, id: &str, fact: &Fact) -> Option<Card> {
    let sentence = clean(&fact.source.as_ref()?.sentence)?;
    let sentence = resolve_it(&sentence, thing(ix, fact).as_deref())?;
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
    // A sentence that leans on another, or has a slip ("referred to the it as"), makes no cloze.
    if dangling(&prompt).is_some() || article_before_pronoun(&prompt).is_some() {
        return None;
    }
    if let Body::Head(h) = &fact.body
        && !anchored(ix, h, &prompt)
    {
        return None;
    }
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

/// What "it" refers to in a fact's sentence: a date's or location's subject, an alias's name
/// (not a person's), a head's organisation; as it reads in running text.
fn thing(ix: &Index<'_>, fact: &Fact) -> Option<String> {
    let name = match &fact.body {
        Body::Date(d) => d.subject.as_deref().filter(|s| !ix.is_person(s))?,
        Body::Location(l) => l.subject.as_str(),
        Body::Alias(a) => Some(a.name.as_str()).filter(|n| !ix.is_person(n))?,
        Body::Head(h) => ix.org_name(h.org.as_deref()),
    };
    Some(ix.np(name))
}

/// The sentence with a leading "It"/"Its", or a first "it"/"its" nothing before it can
/// refer to, replaced by `thing`; `None` if one is needed and there is none.
fn resolve_it(sentence: &str, thing: Option<&str>) -> Option<String> {
    for (word, owner) in [("It ", false), ("Its ", true)] {
        if let Some(rest) = sentence.strip_prefix(word) {
            let np = if owner {
                possessive(thing?)
            } else {
                thing?.to_owned()
            };
            return Some(format!("{} {rest}", capitalize(&np)));
        }
    }
    if dangling(sentence) == Some("it") {
        let thing = thing?;
        let words: Vec<&str> = sentence.split(' ').collect();
        let at = words
            .iter()
            .position(|w| matches!(w.trim_end_matches([',', '.']), "it" | "its"))?;
        let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        let tail = &words[at][words[at].trim_end_matches([',', '.']).len()..];
        out[at] = if words[at].starts_with("its") {
            format!("{}{tail}", possessive(thing))
        } else {
            format!("{thing}{tail}")
        };
        return Some(out.join(" "));
    }
    Some(sentence.to_owned())
}

/// Whether a head's cloze still says what was headed: it names the organisation, the
/// region or another person of the facts ("___ was Piatnitsky's deputy").
fn anchored(ix: &Index<'_>, h: &Head, prompt: &str) -> bool {
    let text = format!(" {} ", fold(prompt));
    let has = |name: &str| {
        let n = fold(name);
        !n.is_empty() && text.contains(&format!(" {n} "))
    };
    let org = ix.org_name(h.org.as_deref());
    has(org)
        || ix.aliases(org).iter().any(|a| has(a))
        || h.region.as_deref().is_some_and(has)
        || ix
            .people_list
            .iter()
            .any(|p| fold(p) != fold(&h.person) && p.split_whitespace().last().is_some_and(has))
}

/// The sentence without wrapping parentheses or a trailing colon, when it is short enough to
/// read as a question. A sentence that ends in a colon introduces what follows it ("...,
/// which includes the following:"), so its last clause goes too.
fn clean(sentence: &str) -> Option<String> {
    let mut s = sentence.trim();
    if s.starts_with('(') && s.ends_with(')') {
        s = s[1..s.len() - 1].trim();
    }
    let introduces = s.ends_with(':');
    let mut s = s.trim_end_matches([':', ';', ',']).trim_end();
    if introduces {
        s = &s[..s.rfind(", ")?];
    }
    if s.is_empty() || s.chars().count() > 300 {
        return None;
    }
    let mut s = super::phrase::capitalize(s);
    if !s.ends_with(['.', '!', '?', '"', '\'', ')']) {
        s.push('.');
    }
    Some(s)
}

/// The one whole-word occurrence of `target` replaced by the blank; `None` if there is none,
/// or more than one (a cloze blanks one slot, and the other would give it away).
fn blank(sentence: &str, target: &str) -> Option<String> {
    if target.trim().is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut rest = sentence;
    let mut found = 0;
    while let Some(at) = rest.find(target) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + target.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        if word(before) || word(after) {
            out.push_str(target);
        } else {
            out.push_str(BLANK);
            found += 1;
        }
        rest = &rest[at + target.len()..];
    }
    out.push_str(rest);
    (found == 1).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_whole_words_only() {
        assert_eq!(blank("In 1935, she worked in 1935.", "1935"), None);
        assert_eq!(
            blank("In 1935, she worked in 1936.", "1935").as_deref(),
            Some("In ___, she worked in 1936.")
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
        assert_eq!(
            clean("In 1935, Peters penned a manual, which includes the following:").as_deref(),
            Some("In 1935, Peters penned a manual.")
        );
        assert_eq!(clean("He wrote:"), None);
    }

    #[test]
    fn it_is_resolved_to_what_the_fact_is_about() {
        let r = |s: &str| resolve_it(s, Some("the OMS training school"));
        assert_eq!(
            r("It lay in Kuntsevo.").as_deref(),
            Some("The OMS training school lay in Kuntsevo.")
        );
        assert_eq!(
            r("Its address was X.").as_deref(),
            Some("The OMS training school's address was X.")
        );
        assert_eq!(
            r("Other sources call it the Lenin School.").as_deref(),
            Some("Other sources call the OMS training school the Lenin School.")
        );
        assert_eq!(
            r("Over the same period, CPUSA made Peters its counterpart.").as_deref(),
            Some("Over the same period, CPUSA made Peters its counterpart."),
            "an \"its\" with something before it is left alone"
        );
        assert_eq!(resolve_it("It was founded.", None), None);
    }
}
