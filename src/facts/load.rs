//! Reading a facts file: bytes -> YAML tree (`crate::yaml`) -> validated `Facts`, collecting
//! every problem with its line and column before failing, exactly like deck files. Never
//! panics on any input.

use std::collections::HashMap;
use std::path::Path;

use super::{Alias, Body, Date, Dated, Fact, Facts, Head, Kind, Location, Role, Source, When};
use crate::error::Error;
use crate::yaml::{self, Fields, Node, Pos, Problem, Value};

const FILE_FIELDS: &[&str] = &["topic", "facts"];
const COMMON_FIELDS: &[&str] = &["kind", "id", "uncertain", "source", "rule"];
const HEAD_FIELDS: &[&str] = &[
    "person", "org", "region", "role", "from", "to", "during", "order",
];
const DATE_FIELDS: &[&str] = &["event", "subject", "when"];
const LOCATION_FIELDS: &[&str] = &["subject", "place"];
const ALIAS_FIELDS: &[&str] = &["name", "aliases"];
const SOURCE_FIELDS: &[&str] = &["section", "sentence", "span"];

/// Loads and validates a facts file.
pub fn load(path: &Path) -> Result<Facts, Error> {
    let text = crate::text::read(path, yaml::MAX_FILE_BYTES)?;
    load_str(&text).map_err(|problems| Error::Invalid {
        path: path.to_owned(),
        problems,
    })
}

/// Validates facts text; on failure returns every problem found, in file order.
pub fn load_str(text: &str) -> Result<Facts, Vec<Problem>> {
    let root = yaml::parse(text).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    match read_file(&root, &mut problems) {
        Some(facts) if problems.is_empty() => Ok(facts),
        _ => {
            problems.sort_by_key(|p| p.pos);
            problems.dedup();
            Err(problems)
        }
    }
}

fn read_file(root: &Node, problems: &mut Vec<Problem>) -> Option<Facts> {
    let fields = Fields::new(root, "facts file", FILE_FIELDS, problems)?;
    let topic = fields.text("topic", problems).map(|(t, _)| t);
    let Some(node) = fields.get("facts") else {
        problems.push(Problem::new(fields.pos, "the facts file has no `facts`"));
        return None;
    };
    let items: &[Node] = match &node.value {
        Value::Seq(items) => items,
        Value::Null => &[],
        _ => {
            problems.push(Problem::new(
                node.pos,
                format!(
                    "`facts` must be a list of facts, found {}",
                    node.type_name()
                ),
            ));
            return None;
        }
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut facts = Vec::with_capacity(items.len());
    for item in items {
        if let Some(fact) = read_fact(item, problems) {
            if let Some(id) = &fact.id {
                if let Some(first) = seen.get(id) {
                    problems.push(Problem::new(
                        item.pos,
                        format!(
                            "duplicate fact id `{}`; it is first used at line {first}",
                            crate::term::safe(id)
                        ),
                    ));
                }
                seen.entry(id.clone()).or_insert(item.pos.line);
            }
            facts.push(fact);
        }
    }
    Some(Facts { topic, facts })
}

fn read_fact(node: &Node, problems: &mut Vec<Problem>) -> Option<Fact> {
    let kind = read_kind(node, problems);
    let own: &[&str] = match kind {
        Some(Kind::Head) => HEAD_FIELDS,
        Some(Kind::Date) => DATE_FIELDS,
        Some(Kind::Location) => LOCATION_FIELDS,
        Some(Kind::Alias) => ALIAS_FIELDS,
        None => &[],
    };
    let known: Vec<&str> = if kind.is_some() {
        COMMON_FIELDS.iter().chain(own).copied().collect()
    } else {
        // Without a kind we cannot tell which fields belong; accept them all.
        [
            COMMON_FIELDS,
            HEAD_FIELDS,
            DATE_FIELDS,
            LOCATION_FIELDS,
            ALIAS_FIELDS,
        ]
        .concat()
    };
    let fields = Fields::new(node, "fact", &known, problems)?;
    let kind = kind?;
    let what = format!("{kind} fact");
    let id = fields.text("id", problems).map(|(t, _)| t);
    let uncertain = read_bool(&fields, "uncertain", problems);
    let rule = fields.text("rule", problems).map(|(t, _)| t);
    let source = fields.get("source").and_then(|n| read_source(n, problems));
    let body = match kind {
        Kind::Head => read_head(&fields, &what, problems),
        Kind::Date => read_date(&fields, &what, problems),
        Kind::Location => {
            let subject = fields.required_text("subject", &what, problems);
            let place = fields.required_text("place", &what, problems);
            Some(Body::Location(Location {
                subject: subject?.0,
                place: place?.0,
            }))
        }
        Kind::Alias => {
            let name = fields.required_text("name", &what, problems);
            let aliases = fields.text_list("aliases", problems);
            if aliases.is_empty() {
                problems.push(Problem::new(fields.pos, format!("{what} has no `aliases`")));
            }
            Some(Body::Alias(Alias {
                name: name?.0,
                aliases: aliases.into_iter().map(|(t, _)| t).collect(),
            }))
        }
    }?;
    let alternatives = body_whens(&body).iter().any(|w| w.dates().len() > 1);
    if alternatives && !uncertain {
        problems.push(Problem::new(
            fields.pos,
            format!("{what} lists alternative dates; mark it `uncertain: true`"),
        ));
    }
    Some(Fact {
        id,
        body,
        uncertain,
        source,
        rule,
    })
}

fn body_whens(body: &Body) -> Vec<&When> {
    match body {
        Body::Head(h) => h.from.iter().chain(h.to.iter()).collect(),
        Body::Date(d) => vec![&d.when],
        Body::Location(_) | Body::Alias(_) => Vec::new(),
    }
}

fn read_kind(node: &Node, problems: &mut Vec<Problem>) -> Option<Kind> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    let Some((_, value)) = entries.iter().find(|(k, _)| k.name == "kind") else {
        problems.push(Problem::new(node.pos, "fact has no `kind`"));
        return None;
    };
    let Some(text) = value.as_text() else {
        problems.push(Problem::new(
            value.pos,
            format!("`kind` must be text, found {}", value.type_name()),
        ));
        return None;
    };
    let kind = Kind::parse(&text);
    if kind.is_none() {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        problems.push(Problem::new(value.pos, unknown("kind", &text, &names)));
    }
    kind
}

fn unknown(what: &str, text: &str, names: &[&str]) -> String {
    let hint = match yaml::did_you_mean(text, names) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("expected one of: {}", names.join(", ")),
    };
    format!("unknown {what} `{}`; {hint}", crate::term::safe(text))
}

fn read_head(fields: &Fields<'_>, what: &str, problems: &mut Vec<Problem>) -> Option<Body> {
    let person = fields.required_text("person", what, problems);
    let org = fields.text("org", problems).map(|(t, _)| t);
    let region = fields.text("region", problems).map(|(t, _)| t);
    let role = match fields.text("role", problems) {
        None => Some(Role::Head),
        Some((text, pos)) => {
            let role = Role::parse(&text);
            if role.is_none() {
                let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                problems.push(Problem::new(pos, unknown("role", &text, &names)));
            }
            role
        }
    };
    let from = read_when(fields, "from", problems);
    let to = read_when(fields, "to", problems);
    let during = read_when(fields, "during", problems);
    let order = fields.count("order", problems).map(|(n, _)| n);
    let (from, to, during) = (from.ok()?, to.ok()?, during.ok()?);
    check_term(
        fields,
        from.as_ref(),
        to.as_ref(),
        during.as_ref(),
        problems,
    );
    Some(Body::Head(Head {
        person: person?.0,
        org,
        region,
        role: role?,
        from,
        to,
        during,
        order,
    }))
}

/// A term must read forwards: `to` not before `from`, `during` inside them. With
/// alternatives, only a term no reading makes consistent is refused.
fn check_term(
    fields: &Fields<'_>,
    from: Option<&When>,
    to: Option<&When>,
    during: Option<&When>,
    problems: &mut Vec<Problem>,
) {
    let at = |name: &str| fields.get(name).map_or(fields.pos, |n| n.pos);
    if let (Some(from), Some(to)) = (from, to)
        && to.latest() < from.earliest()
    {
        problems.push(Problem::new(
            at("to"),
            format!("`to` {} is before `from` {}", shown(to), shown(from)),
        ));
    }
    let Some(during) = during else { return };
    if let Some(from) = from
        && during.latest() < from.earliest()
    {
        problems.push(Problem::new(
            at("during"),
            format!(
                "`during` {} is before `from` {}: the role was not held yet",
                shown(during),
                shown(from)
            ),
        ));
    }
    if let Some(to) = to
        && during.earliest() > to.latest()
    {
        problems.push(Problem::new(
            at("during"),
            format!(
                "`during` {} is after `to` {}: the role had ended",
                shown(during),
                shown(to)
            ),
        ));
    }
}

/// A date field's value as a curator wrote it: `1926`, `1935 or 1937`.
fn shown(when: &When) -> String {
    let dates: Vec<String> = when.dates().iter().map(ToString::to_string).collect();
    dates.join(" or ")
}

fn read_date(fields: &Fields<'_>, what: &str, problems: &mut Vec<Problem>) -> Option<Body> {
    let event = fields.required_text("event", what, problems);
    let subject = fields.text("subject", problems).map(|(t, _)| t);
    let when = read_when(fields, "when", problems);
    let when = match when {
        Ok(Some(when)) => Some(when),
        Ok(None) => {
            problems.push(Problem::new(fields.pos, format!("{what} has no `when`")));
            None
        }
        Err(()) => None,
    };
    Some(Body::Date(Dated {
        event: event?.0,
        subject,
        when: when?,
    }))
}

/// A date field: one date, or a list of alternatives. `Err` after reporting a problem.
fn read_when(
    fields: &Fields<'_>,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Result<Option<When>, ()> {
    let Some(node) = fields.get(name) else {
        return Ok(None);
    };
    let items: Vec<&Node> = match &node.value {
        Value::Null => return Ok(None),
        Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    let mut dates = Vec::with_capacity(items.len());
    let mut ok = true;
    for item in items {
        if let Some(text) = item
            .as_text()
            .filter(|_| !matches!(item.value, Value::Bool(_)))
        {
            match Date::parse(&text) {
                Ok(date) => dates.push(date),
                Err(message) => {
                    problems.push(Problem::new(item.pos, format!("`{name}`: {message}")));
                    ok = false;
                }
            }
        } else {
            problems.push(Problem::new(
                item.pos,
                format!(
                    "`{name}` must be a date like 1921, 1921-07 or 1933/1938, found {}",
                    item.type_name()
                ),
            ));
            ok = false;
        }
    }
    if !ok {
        return Err(());
    }
    if let Some(when) = When::any_of(dates) {
        Ok(Some(when))
    } else {
        problems.push(Problem::new(node.pos, format!("`{name}` lists no dates")));
        Err(())
    }
}

fn read_bool(fields: &Fields<'_>, name: &str, problems: &mut Vec<Problem>) -> bool {
    match fields.get(name).map(|n| (&n.value, n)) {
        None | Some((Value::Null, _)) => false,
        Some((Value::Bool(b), _)) => *b,
        Some((_, node)) => {
            problems.push(Problem::new(
                node.pos,
                format!("`{name}` must be true or false, found {}", node.type_name()),
            ));
            false
        }
    }
}

fn read_source(node: &Node, problems: &mut Vec<Problem>) -> Option<Source> {
    if node.value == Value::Null {
        return None;
    }
    let fields = Fields::new(node, "source", SOURCE_FIELDS, problems)?;
    let section = fields.text("section", problems).map(|(t, _)| t);
    let sentence = fields.required_text("sentence", "source", problems);
    let span = read_span(&fields, problems);
    Some(Source {
        section,
        sentence: sentence?.0,
        span: span?,
    })
}

fn read_span(fields: &Fields<'_>, problems: &mut Vec<Problem>) -> Option<(usize, usize)> {
    let Some(node) = fields.get("span") else {
        problems.push(Problem::new(fields.pos, "source has no `span`"));
        return None;
    };
    let bad = |problems: &mut Vec<Problem>, pos: Pos| {
        problems.push(Problem::new(
            pos,
            "`span` must be two character offsets [start, end] with start <= end",
        ));
    };
    let Value::Seq(items) = &node.value else {
        bad(problems, node.pos);
        return None;
    };
    let nums: Vec<usize> = items
        .iter()
        .filter_map(|i| match i.value {
            Value::Int(n) => usize::try_from(n).ok(),
            _ => None,
        })
        .collect();
    match nums[..] {
        [a, b] if items.len() == 2 && a <= b => Some((a, b)),
        _ => {
            bad(problems, node.pos);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn overlong_text_is_reported_at_its_field() {
        let long = "x".repeat(crate::yaml::MAX_TEXT_CHARS + 1);
        let text = format!(
            "topic: T\nfacts:\n  - kind: alias\n    name: {long}\n    aliases: [ok, {long}]\n"
        );
        let problems: Vec<String> = load_str(&text)
            .expect_err("overlong fields are refused")
            .into_iter()
            .map(|p| format!("{}: {}", p.pos, p.message))
            .collect();
        assert!(
            problems
                .contains(&"4:11: `name` is 10001 characters long; the limit is 10000".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(
                &"5:19: `aliases` is 10001 characters long; the limit is 10000".to_owned()
            ),
            "{problems:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Arbitrary text never panics the loader; a refusal always says where and what.
        #[test]
        fn loader_never_panics_on_any_text(text in "\\PC{0,400}") {
            if let Err(problems) = load_str(&text) {
                prop_assert!(!problems.is_empty());
                prop_assert!(problems.iter().all(|p| p.pos.line >= 1 && !p.message.is_empty()));
            }
        }

        /// Nor does a valid file with one byte range replaced by arbitrary text.
        #[test]
        fn loader_never_panics_on_an_edited_file(
            at in 0usize..GOOD.len(),
            len in 0usize..40,
            insert in "\\PC{0,20}",
        ) {
            let mut text = GOOD.to_owned();
            let start = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let end = (start + len).min(text.len());
            let end = (end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
            text.replace_range(start..end, &insert);
            let _ = load_str(&text);
        }
    }

    const GOOD: &str = "\
topic: Example Society
facts:
  - kind: head
    person: Ann Example
    org: Example Society
    region: null
    role: head
    from: 1901
    to: 1910-05
    order: 1
  - kind: date
    event: founded
    subject: Example Society
    when: [1899, 1900]
    uncertain: true
    id: date-0123456789
    rule: date.founded
    source:
      section: History
      sentence: It was founded in 1899 or 1900.
      span: [10, 41]
  - kind: location
    subject: Example Society headquarters
    place: Bristol
  - kind: alias
    name: Ann Example
    aliases: [Annie, \"A. E.\"]
";

    #[track_caller]
    fn problems(text: &str) -> Vec<String> {
        load_str(text)
            .expect_err("the facts file should be invalid")
            .into_iter()
            .map(|p| format!("{}: {}", p.pos, p.message))
            .collect()
    }

    #[test]
    fn loads_a_valid_file() {
        let facts = load_str(GOOD).unwrap();
        assert_eq!(facts.topic.as_deref(), Some("Example Society"));
        assert_eq!(facts.facts.len(), 4);
        let Body::Head(head) = &facts.facts[0].body else {
            panic!("expected a head")
        };
        assert_eq!(head.to.as_ref().unwrap().first().to_string(), "1910-05");
        assert_eq!(head.order, Some(1));
        let date = &facts.facts[1];
        assert!(date.uncertain);
        assert_eq!(date.source.as_ref().unwrap().span, (10, 41));
        let Body::Alias(alias) = &facts.facts[3].body else {
            panic!("expected an alias")
        };
        assert_eq!(alias.aliases, vec!["Annie", "A. E."]);
    }

    #[test]
    fn collects_every_problem_in_order() {
        let text = "\
topic: T
facts:
  - kind: haed
    person: X
  - kind: head
    persn: Y
    role: boss
    from: 19O1
  - kind: date
    event: founded
    when: [1899, 1900]
  - kind: alias
    name: Z
  - person: W
  - kind: location
    subject: S
    place: P
    uncertain: maybe
";
        assert_eq!(
            problems(text),
            vec![
                "3:11: unknown kind `haed`; did you mean `head`?",
                "5:5: head fact has no `person`",
                "6:5: unknown field `persn` in fact; did you mean `person`?",
                "7:11: unknown role `boss`; expected one of: head, deputy, representative",
                "8:11: `from`: `19O1` is not a date: the year must have 4 digits",
                "9:5: date fact lists alternative dates; mark it `uncertain: true`",
                "12:5: alias fact has no `aliases`",
                "14:5: fact has no `kind`",
                "18:16: `uncertain` must be true or false, found text",
            ]
        );
    }

    #[test]
    fn terms_read_forwards() {
        let text = "\
facts:
  - {kind: head, person: A, from: 1930, to: 1926}
  - {kind: head, person: B, from: 1930-05, to: 1930}
  - {kind: head, person: C, from: 1930-05, to: 1930-04}
  - {kind: head, person: D, from: 1921, to: 1926, during: 1927}
  - {kind: head, person: E, from: 1921, during: 1920/1921}
  - {kind: head, person: F, from: 1921, during: 1918/1920}
  - {kind: head, person: G, to: [1935, 1937], from: 1936, uncertain: true}
  - {kind: head, person: H, to: [1934, 1935], from: 1936, uncertain: true}
  - {kind: head, person: I, during: 1925, dureing: 1926}
  - {kind: head, person: J, during: 19250}
  - {kind: location, subject: S, place: P, from: 1921}
";
        assert_eq!(
            problems(text),
            vec![
                "2:45: `to` 1926 is before `from` 1930",
                "4:48: `to` 1930-04 is before `from` 1930-05",
                "5:59: `during` 1927 is after `to` 1926: the role had ended",
                "7:49: `during` 1918/1920 is before `from` 1921: the role was not held yet",
                "9:33: `to` 1934 or 1935 is before `from` 1936",
                "10:43: unknown field `dureing` in fact; did you mean `during`?",
                "11:37: `during`: `19250` is not a date: the year must have 4 digits",
                // Only heads carry times.
                "12:44: unknown field `from` in fact; expected one of: kind, id, uncertain, source, rule, subject, place",
            ]
        );
    }

    #[test]
    fn duplicate_ids_and_bad_sources() {
        let text = "\
facts:
  - {kind: location, id: a, subject: S, place: P}
  - {kind: location, id: a, subject: T, place: Q, source: {sentence: s, span: [5, 2]}}
";
        assert_eq!(
            problems(text),
            vec![
                "3:5: duplicate fact id `a`; it is first used at line 2",
                "3:79: `span` must be two character offsets [start, end] with start <= end",
            ]
        );
    }

    #[test]
    fn not_a_mapping_and_no_facts() {
        assert_eq!(
            problems("- a\n"),
            vec!["1:1: expected a facts file (a mapping of fields), found a list"]
        );
        assert_eq!(
            problems("topic: T\n"),
            vec!["1:1: the facts file has no `facts`"]
        );
    }
}
