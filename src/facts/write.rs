//! Writing facts as YAML (for people to curate) and JSON (for programs). Both come from one
//! ordered list of fields per fact, so they cannot drift apart. The YAML is emitted by hand,
//! quoting only where YAML needs it, because a curator reads it line by line; it loads back
//! through `load_str` to the same `Facts` (tested below).

use std::fmt::Write as _;

use super::{Body, Fact, Facts, When};

/// A value in the written form.
enum Out {
    Null,
    Text(String),
    Int(u64),
    Bool(bool),
    When(When),
    List(Vec<String>),
    Span(usize, usize),
    Map(Vec<(&'static str, Out)>),
}

fn text(t: &str) -> Out {
    Out::Text(t.to_owned())
}

fn opt(t: Option<&str>) -> Out {
    t.map_or(Out::Null, text)
}

fn when(w: Option<&When>) -> Out {
    w.map_or(Out::Null, |w| Out::When(w.clone()))
}

/// The fields of one fact, in the order they are written.
fn fields(fact: &Fact) -> Vec<(&'static str, Out)> {
    let mut out = vec![("kind", text(fact.kind().as_str()))];
    if let Some(id) = &fact.id {
        out.push(("id", text(id)));
    }
    match &fact.body {
        Body::Head(h) => {
            out.push(("person", text(&h.person)));
            out.push(("org", opt(h.org.as_deref())));
            out.push(("region", opt(h.region.as_deref())));
            out.push(("role", text(h.role.as_str())));
            out.push(("from", when(h.from.as_ref())));
            out.push(("to", when(h.to.as_ref())));
            out.push(("during", when(h.during.as_ref())));
            out.push(("order", h.order.map_or(Out::Null, |n| Out::Int(n.into()))));
        }
        Body::Date(d) => {
            out.push(("event", text(&d.event)));
            out.push(("subject", opt(d.subject.as_deref())));
            out.push(("when", Out::When(d.when.clone())));
        }
        Body::Location(l) => {
            out.push(("subject", text(&l.subject)));
            out.push(("place", text(&l.place)));
        }
        Body::Alias(a) => {
            out.push(("name", text(&a.name)));
            out.push(("aliases", Out::List(a.aliases.clone())));
        }
    }
    if fact.uncertain {
        out.push(("uncertain", Out::Bool(true)));
    }
    if let Some(rule) = &fact.rule {
        out.push(("rule", text(rule)));
    }
    if let Some(source) = &fact.source {
        out.push((
            "source",
            Out::Map(vec![
                ("section", opt(source.section.as_deref())),
                ("sentence", text(&source.sentence)),
                ("span", Out::Span(source.span.0, source.span.1)),
            ]),
        ));
    }
    out
}

/// The facts as a YAML facts file (`docs/facts-format.md`).
pub fn to_yaml(facts: &Facts) -> String {
    let mut out = String::new();
    out.push_str("# factdrill facts file; format: docs/facts-format.md\n");
    let _ = writeln!(
        out,
        "topic: {}",
        facts
            .topic
            .as_deref()
            .map_or("null".to_owned(), |t| scalar(t, false))
    );
    if facts.facts.is_empty() {
        out.push_str("facts: []\n");
        return out;
    }
    out.push_str("facts:\n");
    for fact in &facts.facts {
        let mut first = true;
        for (name, value) in fields(fact) {
            out.push_str(if first { "  - " } else { "    " });
            first = false;
            write_field(&mut out, name, &value, "    ");
        }
    }
    out
}

fn write_field(out: &mut String, name: &str, value: &Out, indent: &str) {
    let _ = match value {
        Out::Null => writeln!(out, "{name}: null"),
        Out::Text(t) => writeln!(out, "{name}: {}", scalar(t, false)),
        Out::Int(n) => writeln!(out, "{name}: {n}"),
        Out::Bool(b) => writeln!(out, "{name}: {b}"),
        Out::When(w) => match w.dates() {
            [one] => writeln!(out, "{name}: {one}"),
            many => {
                let items: Vec<String> = many.iter().map(ToString::to_string).collect();
                writeln!(out, "{name}: [{}]", items.join(", "))
            }
        },
        Out::List(items) => {
            let items: Vec<String> = items.iter().map(|t| scalar(t, true)).collect();
            writeln!(out, "{name}: [{}]", items.join(", "))
        }
        Out::Span(a, b) => writeln!(out, "{name}: [{a}, {b}]"),
        Out::Map(entries) => {
            let _ = writeln!(out, "{name}:");
            let inner = format!("{indent}  ");
            for (k, v) in entries {
                out.push_str(&inner);
                write_field(out, k, v, &inner);
            }
            Ok(())
        }
    };
}

/// A YAML scalar: plain when YAML reads it back as the same text, double-quoted otherwise.
pub(crate) fn scalar(t: &str, in_flow: bool) -> String {
    if plain_ok(t, in_flow) {
        t.to_owned()
    } else {
        quoted(t)
    }
}

fn plain_ok(t: &str, in_flow: bool) -> bool {
    let Some(first) = t.chars().next() else {
        return false;
    };
    let reserved = [
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
        "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n", "Y", "N",
    ];
    !(reserved.contains(&t)
        // Numbers and dates would come back typed, or normalised ("1e3", "0x10", ".5").
        || first.is_ascii_digit()
        || matches!(first, '+' | '.' | '-' | '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#'
            | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`')
        || first.is_whitespace()
        || t.ends_with(char::is_whitespace)
        || t.ends_with(':')
        || t.contains(": ")
        || t.contains(" #")
        || t.chars().any(|c| c.is_control() || c == '\u{feff}' || c == '\u{85}')
        || (in_flow && t.contains([',', '[', ']', '{', '}'])))
}

fn quoted(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + 2);
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{feff}' || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The facts as JSON: `{"topic": ..., "facts": [{...}, ...]}` with the YAML's field names;
/// dates as strings, alternatives as arrays of strings.
pub fn to_json(facts: &Facts) -> String {
    let list: Vec<serde_json::Value> = facts.facts.iter().map(|f| json_map(fields(f))).collect();
    let root = serde_json::json!({ "topic": facts.topic, "facts": list });
    serde_json::to_string_pretty(&root).unwrap_or_default()
}

fn json_map(entries: Vec<(&'static str, Out)>) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json_value(v)))
        .collect();
    serde_json::Value::Object(map)
}

fn json_value(v: Out) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Out::Null => J::Null,
        Out::Text(t) => J::String(t),
        Out::Int(n) => J::from(n),
        Out::Bool(b) => J::Bool(b),
        Out::When(w) => match w.dates() {
            [one] => J::String(one.to_string()),
            many => J::Array(many.iter().map(|d| J::String(d.to_string())).collect()),
        },
        Out::List(items) => J::Array(items.into_iter().map(J::String).collect()),
        Out::Span(a, b) => J::Array(vec![J::from(a), J::from(b)]),
        Out::Map(entries) => json_map(entries),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Alias, Date, Dated, Head, Location, Role, Source, load_str};
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Facts {
        let mut date = Fact::new(Body::Date(Dated {
            event: "moved: to \"new\" premises #2".into(),
            subject: Some("Example Society".into()),
            when: When::any_of(vec![
                Date::parse("1935").unwrap(),
                Date::parse("1937-04/1939").unwrap(),
            ])
            .unwrap(),
        }));
        date.uncertain = true;
        date.rule = Some("dates.in-year".into());
        date.source = Some(Source {
            section: Some("History".into()),
            sentence: "In 1935 or 1937, it moved.\n".into(),
            span: (3, 29),
        });
        Facts {
            topic: Some("Example Society".into()),
            facts: vec![
                Fact::new(Body::Head(Head {
                    person: "Ann Example".into(),
                    org: None,
                    region: Some("Côte d'Ivoire".into()),
                    role: Role::Deputy,
                    from: Some(When::parse("1901").unwrap()),
                    to: None,
                    during: Some(When::parse("1903/1905").unwrap()),
                    order: Some(2),
                })),
                date,
                Fact::new(Body::Location(Location {
                    subject: "headquarters".into(),
                    place: "131-132 Main Street".into(),
                })),
                Fact::new(Body::Alias(Alias {
                    name: "null".into(),
                    aliases: vec![
                        "Leo".into(),
                        "Smith, John".into(),
                        "yes".into(),
                        "- x".into(),
                    ],
                })),
            ],
        }
    }

    #[test]
    fn yaml_round_trips() {
        let facts = sample();
        let yaml = to_yaml(&facts);
        assert_eq!(load_str(&yaml).unwrap(), facts, "{yaml}");
    }

    #[test]
    fn yaml_is_plain_where_it_can_be() {
        let yaml = to_yaml(&sample());
        assert!(yaml.contains("    person: Ann Example\n"), "{yaml}");
        assert!(yaml.contains("    region: Côte d'Ivoire\n"), "{yaml}");
        assert!(
            yaml.contains("    place: \"131-132 Main Street\"\n"),
            "{yaml}"
        );
        assert!(yaml.contains("    when: [1935, 1937-04/1939]\n"), "{yaml}");
        assert!(
            yaml.contains("    aliases: [Leo, \"Smith, John\", \"yes\", \"- x\"]\n"),
            "{yaml}"
        );
    }

    #[test]
    fn empty_facts_round_trip() {
        let facts = Facts::default();
        assert_eq!(load_str(&to_yaml(&facts)).unwrap(), facts);
    }

    #[test]
    fn json_has_the_same_fields() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&sample())).unwrap();
        assert_eq!(json["topic"], "Example Society");
        assert_eq!(json["facts"][0]["role"], "deputy");
        assert_eq!(json["facts"][1]["when"][1], "1937-04/1939");
        assert_eq!(json["facts"][1]["source"]["span"][1], 29);
    }

    proptest! {
        #[test]
        fn any_text_round_trips(person in "\\PC{1,30}", place in ".{1,30}") {
            prop_assume!(!person.trim().is_empty() && !place.trim().is_empty());
            let facts = Facts {
                topic: Some(place.clone()),
                facts: vec![
                    Fact::new(Body::Location(Location { subject: person.clone(), place })),
                    Fact::new(Body::Alias(Alias { name: person.clone(), aliases: vec![person] })),
                ],
            };
            let yaml = to_yaml(&facts);
            prop_assert_eq!(load_str(&yaml).unwrap(), facts);
        }
    }
}
