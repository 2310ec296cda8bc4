//! Document text -> facts. `extract` cleans the article (`clean`), splits sentences
//! (`sentence`), keeps what a reader remembers (`context`) and runs one rule family per kind of
//! fact (`heads`, `dates`, `locations`, `aliases`). `score` compares extracted facts with a
//! curated file. Pure functions: no files, no clock. Linear in the input: each sentence is
//! capped at `sentence::MAX_BYTES` and every rule looks at a bounded window of tokens.
//!
//! The rules are generic English encyclopedia patterns; no name, place or phrase of any one
//! article belongs in this module.

mod aliases;
mod clean;
pub mod command;
mod context;
mod dates;
mod heads;
mod locations;
mod score;
mod sentence;
mod tenure;
mod time;
mod token;

pub use score::{KindScore, Score, score};

use crate::facts::{Body, Fact, Facts, Head, Source};
use clean::Paragraph;
use context::{Context, Sent};

/// Extracts facts from an article's text. Never fails: text with no recognisable facts gives
/// an empty list.
pub fn extract(text: &str) -> Facts {
    let mut ctx = Context::default();
    let mut facts: Vec<Fact> = Vec::new();
    let mut first_sentence = true;
    let mut title: Option<String> = None;
    for para in clean::clean(text) {
        if title.is_none() && ctx.topic.is_none() {
            title.clone_from(&para.section);
        }
        ctx.start_paragraph(para.section.as_deref());
        for range in sentence::split(&para.text) {
            let text = &para.text[range.clone()];
            let starts_quoted = ctx.in_quote;
            let s = Sent::new(text, starts_quoted);
            if s.toggles_quote() {
                ctx.in_quote = !ctx.in_quote;
            }
            // A sentence that begins inside someone's quotation is their claim, not the article's.
            if starts_quoted {
                continue;
            }
            let topic_sentence = first_sentence;
            if first_sentence {
                first_sentence = false;
                ctx.topic = topic_of(&s).or_else(|| title.clone());
            }
            scope_region(&s, &mut ctx);
            meet_people(&s, &mut ctx);
            let mut sink = Sink {
                facts: &mut facts,
                para: &para,
                range: range.clone(),
                used_date: false,
            };
            aliases::apply(&s, &mut ctx, &mut sink);
            heads::apply(&s, &mut ctx, &mut sink);
            tenure::apply(&s, &mut ctx, &mut sink);
            locations::apply(&s, &mut ctx, &mut sink);
            dates::apply(&s, &mut ctx, &mut sink, topic_sentence);
            remember_subject(&s, &mut ctx);
        }
    }
    Facts {
        topic: ctx.topic,
        facts: merge(facts),
    }
}

/// How far back a succession looks for the predecessor's fact.
const RECENT_FACTS: usize = 1_000;

/// Where a rule puts facts: the fact list plus the sentence they come from.
pub(crate) struct Sink<'a> {
    facts: &'a mut Vec<Fact>,
    para: &'a Paragraph,
    range: std::ops::Range<usize>,
    /// A head rule has used the sentence's date (so it is not also an event).
    pub used_date: bool,
}

impl Sink<'_> {
    /// Adds a fact with its id, rule and source; returns its index.
    pub fn push(&mut self, body: Body, rule: &str, uncertain: bool) -> usize {
        let source = Source {
            section: self.para.section.clone(),
            sentence: self.para.text[self.range.clone()].to_owned(),
            span: (
                self.para.orig_char(self.range.start),
                self.para.orig_char(self.range.end),
            ),
        };
        self.facts.push(Fact {
            id: Some(body.id()),
            body,
            uncertain,
            source: Some(source),
            rule: Some(rule.to_owned()),
        });
        self.facts.len() - 1
    }

    pub fn head(&self, i: usize) -> Option<&Head> {
        match &self.facts.get(i)?.body {
            Body::Head(h) => Some(h),
            _ => None,
        }
    }

    pub fn head_mut(&mut self, i: usize) -> Option<&mut Head> {
        match &mut self.facts.get_mut(i)?.body {
            Body::Head(h) => Some(h),
            _ => None,
        }
    }

    /// The most recent head fact (role head) about `person`, among the last
    /// `RECENT_FACTS` facts (a predecessor is named near its successor; the bound keeps
    /// extraction linear on huge inputs).
    pub fn find_head(&self, person: &str) -> Option<usize> {
        let person = crate::facts::fold(person);
        let skip = self.facts.len().saturating_sub(RECENT_FACTS);
        self.facts[skip..].iter().rposition(|f| {
            matches!(&f.body, Body::Head(h) if h.role == crate::facts::Role::Head && crate::facts::fold(&h.person) == person)
        })
        .map(|i| i + skip)
    }
}

/// The topic: the first name in the article's first sentence ("The OMS (...) was ...").
fn topic_of(s: &Sent<'_>) -> Option<String> {
    let n = (0..s.toks.len().min(6)).find_map(|i| s.name_at(i, true))?;
    let text = s.name_text(&n);
    (!text.is_empty()).then(|| text.to_owned())
}

/// "In Germany, ..." at the start of a sentence sets the region for the paragraph.
fn scope_region(s: &Sent<'_>, ctx: &mut Context) {
    let toks = &s.toks;
    if s.clause < 3 || !toks[0].is("in") || toks[s.clause - 1].text != "," {
        return;
    }
    let Some(n) = s.name_at(1, false) else { return };
    if n.end + 1 != s.clause || n.quoted() || s.dates.iter().any(|d| d.first <= 2) {
        return;
    }
    let text = s.name_text(&n);
    if context::person_like(text) || text.split_whitespace().count() <= 3 {
        ctx.region = Some(text.to_owned());
    }
}

/// Remembers the full names of people in the sentence, for later surnames.
fn meet_people(s: &Sent<'_>, ctx: &mut Context) {
    for n in &s.names {
        let text = s.name_text(n);
        if (2..=4).contains(&n.words()) && context::person_like(text) {
            ctx.meet(text);
        }
    }
}

/// After a sentence: its subject becomes what "it" means next, unless it was a person.
fn remember_subject(s: &Sent<'_>, ctx: &mut Context) {
    let subject = s.subject_text();
    let words = subject.split_whitespace().count();
    if words == 0 || words > 5 {
        return;
    }
    let lower = subject.to_lowercase();
    if matches!(
        lower.as_str(),
        "it" | "its" | "he" | "she" | "they" | "this"
    ) {
        return;
    }
    if subject.chars().next().is_some_and(char::is_lowercase) {
        return;
    }
    let is_person =
        context::person_like(&subject) && !subject.contains(' ') && ctx.person(&subject) != subject
            || (context::person_like(&subject) && words >= 2 && !context::org_like(&subject));
    if is_person {
        ctx.last_person = Some(ctx.person(&subject));
        ctx.meet(&subject);
        return;
    }
    if context::org_like(&subject) || words >= 2 {
        ctx.last_subject = ctx.resolve(&subject);
    }
}

/// One fact per id: later duplicates fill what the first lacked; aliases of one name merge.
fn merge(facts: Vec<Fact>) -> Vec<Fact> {
    let mut out: Vec<Fact> = Vec::with_capacity(facts.len());
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for fact in facts {
        let id = fact.id.clone().unwrap_or_default();
        if let Some(&i) = index.get(&id) {
            let kept = &mut out[i];
            match (&mut kept.body, fact.body) {
                (Body::Alias(a), Body::Alias(b)) => {
                    for name in b.aliases {
                        if !a
                            .aliases
                            .iter()
                            .any(|x| crate::facts::fold(x) == crate::facts::fold(&name))
                        {
                            a.aliases.push(name);
                        }
                    }
                }
                (Body::Head(a), Body::Head(b)) => {
                    a.from = a.from.take().or(b.from);
                    a.to = a.to.take().or(b.to);
                    a.order = a.order.or(b.order);
                }
                _ => {}
            }
            continue;
        }
        index.insert(id, out.len());
        out.push(fact);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Role;
    use proptest::prelude::*;

    type Row = (
        String,
        Option<String>,
        Option<String>,
        Role,
        Option<u32>,
        String,
    );

    fn heads(text: &str) -> Vec<Row> {
        extract(text)
            .facts
            .into_iter()
            .filter_map(|f| match f.body {
                Body::Head(h) => Some((
                    h.person,
                    h.org,
                    h.region,
                    h.role,
                    h.order,
                    format!(
                        "{}-{}",
                        h.from.map(|w| w.first().to_string()).unwrap_or_default(),
                        h.to.map(|w| w.first().to_string()).unwrap_or_default()
                    ),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn topic_is_the_first_name() {
        let facts = extract("The Guild of Masons (Latin: Collegium) was a union.\n");
        assert_eq!(facts.topic.as_deref(), Some("Guild of Masons"));
    }

    #[test]
    fn regional_successions_keep_order_and_region() {
        let text = "The Guild was a union.\n\nIn Wales, the head was Anna Berg. Next was Otto Lind in the 1930s. Succeeding him was Carl Moss. Pia Holt was the last Guild head in Wales before the war in 1940.\n";
        let got = heads(text);
        let g = Some("Guild".to_owned());
        let w = Some("Wales".to_owned());
        assert_eq!(
            got,
            vec![
                (
                    "Anna Berg".into(),
                    g.clone(),
                    w.clone(),
                    Role::Head,
                    Some(1),
                    "-".into()
                ),
                (
                    "Otto Lind".into(),
                    g.clone(),
                    w.clone(),
                    Role::Head,
                    Some(2),
                    "-".into()
                ),
                (
                    "Carl Moss".into(),
                    g.clone(),
                    w.clone(),
                    Role::Head,
                    Some(3),
                    "-".into()
                ),
                (
                    "Pia Holt".into(),
                    g.clone(),
                    w.clone(),
                    Role::Head,
                    None,
                    "-1940".into()
                ),
            ]
        );
    }

    #[test]
    fn first_head_deputy_and_succession() {
        let text = "The Guild was a union.\n\nThe first head of the Guild was Anna Berg. Otto Lind was Berg's deputy. Lind (as \"Moss\") succeeded Berg to head the Guild in 1937.\n";
        let got = heads(text);
        let g = Some("Guild".to_owned());
        assert_eq!(
            got,
            vec![
                (
                    "Anna Berg".into(),
                    g.clone(),
                    None,
                    Role::Head,
                    Some(1),
                    "-1937".into()
                ),
                (
                    "Otto Lind".into(),
                    g.clone(),
                    None,
                    Role::Deputy,
                    None,
                    "-".into()
                ),
                (
                    "Otto Lind".into(),
                    g.clone(),
                    None,
                    Role::Head,
                    Some(2),
                    "1937-".into()
                ),
            ]
        );
    }

    #[test]
    fn headed_by_titles_and_spans() {
        let got = heads(
            "The Guild was a union.\n\nIn 1923, the Guild received orders from the \"Grand Council,\" headed by Anna Berg and two others. UMW president John Lewis agreed. In Peru, the head was Carl Moss, AKA \"Black,\" from 1933 to 1938.\n",
        );
        assert!(
            got.contains(&(
                "Anna Berg".into(),
                Some("Grand Council".into()),
                None,
                Role::Head,
                None,
                "-".into()
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "John Lewis".into(),
                Some("UMW".into()),
                None,
                Role::Head,
                None,
                "-".into()
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "Carl Moss".into(),
                Some("Guild".into()),
                Some("Peru".into()),
                Role::Head,
                None,
                "1933-1938".into()
            )),
            "{got:?}"
        );
    }

    #[test]
    fn bad_input_gives_a_result() {
        assert_eq!(extract(""), Facts::default());
        let _ = extract("\u{0}\u{1}\u{fffd}[[[[");
        let giant = "In 1921, the Guild met Anna Berg in Bath. "
            .repeat(20_000)
            .replace(". ", " ");
        let _ = extract(&giant);
    }

    /// F1 of the extractor on an article against its curated facts file.
    #[track_caller]
    fn f1(article: &str, gold: &str) -> Score {
        let gold = crate::facts::load_str(gold).expect("the curated file loads");
        let s = score(&extract(article), &gold);
        eprintln!("{s}");
        s
    }

    #[test]
    fn oms_article_scores_above_floor() {
        let s = f1(
            include_str!("../../decks/oms.txt"),
            include_str!("../../decks/oms.facts.yaml"),
        );
        // Measured 0.976 (see docs/BENCHMARKS.md); the floor catches regressions.
        assert!(s.overall.f1() >= 0.95, "{s}");
    }

    #[test]
    fn second_article_scores_above_floor() {
        let s = f1(
            include_str!("../../tests/fixtures/articles/royal-society.txt"),
            include_str!("../../tests/fixtures/articles/royal-society.facts.yaml"),
        );
        // Measured 0.349 before any rule was written with this article in view, 0.897 after
        // the generic rules it showed missing (docs/BENCHMARKS.md).
        assert!(s.overall.f1() >= 0.87, "{s}");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,400}") {
            let _ = extract(&s);
        }

        #[test]
        fn never_panics_on_article_like_text(words in proptest::collection::vec(
            "(In|The|the|head|was|of|Next|succeeded|AKA|\\(|\\)|\"|,|\\.|1921|1935 or 1937|from|to|[A-Z][a-z]{1,6}|'s|in|also known as|headed by)", 0..80)) {
            let _ = extract(&words.join(" "));
        }
    }
}
