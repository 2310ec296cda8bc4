//! The full YAML reader: serde-saphyr, for every file the fast reader (`fast.rs`) declines.
//! Its positions and messages are the reference: the fast reader must agree with it on every
//! file it accepts, and every problem with a file is reported from here.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{
    Key, MAX_ALIAS_EXPANSION, MAX_ALIASES, MAX_ANCHORS, MAX_DEPTH, Node, Pos, Problem, Value,
};

/// Parses one YAML document into a tree. Syntax errors and exceeded limits come back as a
/// single problem with the position the parser gave.
pub(super) fn parse(text: &str) -> Result<Node<'static>, Problem> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        // Only `true` and `false` are booleans: `yes`, `no`, `y`, `on` stay text, so an
        // answer of "No" or an id of "y" is read as written (YAML 1.1's "Norway problem").
        strict_booleans: true,
        // Budgets against what makes a small file costly: nesting, aliases and anchors, and
        // the values aliases add by expansion (`alias_limits`). The file's own values and
        // parser events are not counted (the parser's default of 250,000 values refused any
        // deck of some 30,000 cards): the file size limit, checked before parsing, bounds them.
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ANCHORS,
            max_nodes: usize::MAX,
            max_events: usize::MAX,
            // Counting expansion itself makes this heuristic (ten aliases per anchor at
            // most) redundant, and it refused an honest anchor shared by many cards.
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_ALIAS_EXPANSION,
        },
    };
    match serde_saphyr::from_str_with_options::<Spanned<Value<'static>>>(text, options) {
        Ok(spanned) => Ok(Node {
            pos: pos_of(&spanned),
            value: spanned.value,
        }),
        Err(err) => {
            let pos = err.location().map_or(Pos { line: 1, col: 1 }, |l| Pos {
                line: l.line() as u32,
                col: l.column() as u32,
            });
            Err(Problem::new(pos, syntax_message(&err)))
        }
    }
}

/// The parser's message without its own "error: line L column C:" prefix, since we print the
/// position in our own `path:line:col:` form.
fn syntax_message(err: &serde_saphyr::Error) -> String {
    if let Some(message) = budget_message(err) {
        return format!("invalid YAML: {message}");
    }
    let full = err.without_snippet().to_string();
    let mut msg = full.trim();
    msg = msg.strip_prefix("error:").unwrap_or(msg).trim_start();
    if let Some(rest) = msg.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
        && rest[..idx].contains("column")
    {
        msg = &rest[idx + 2..];
    }
    let mut first = msg.lines().next().unwrap_or(msg).trim();
    if let Some(idx) = first.rfind(" at line ")
        && first[idx..].contains(", column ")
    {
        first = &first[..idx];
    }
    // serde-saphyr suggests changing its own options; that advice is for programmers.
    let first = first
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(first);
    format!("invalid YAML: {first}")
}

/// A plain sentence for a breached parser budget (the parser's own text is a `{:?}` dump).
fn budget_message(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    let mut err = err;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = err
    {
        err = error;
    }
    let breach = match err {
        serde_saphyr::Error::Budget { breach, .. } => breach,
        serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. } => {
            return Some(format!(
                "aliases (`*name`) here expand to more than {MAX_ALIAS_EXPANSION} values; \
                 factdrill refuses it as an alias bomb (aliases that repeat aliases)"
            ));
        }
        _ => return None,
    };
    Some(match breach {
        BudgetBreach::Depth { .. } => {
            format!("nested more than {MAX_DEPTH} levels deep; factdrill refuses deeper files")
        }
        BudgetBreach::Aliases { .. } => format!(
            "more than {MAX_ALIASES} aliases (`*name`); factdrill refuses so many, as a guard against alias bombs"
        ),
        BudgetBreach::Anchors { .. } => {
            format!("more than {MAX_ANCHORS} anchors (`&name`); factdrill refuses so many")
        }
        BudgetBreach::RecordedAnchorEvents { .. } | BudgetBreach::RecordedAnchorBytes { .. } => {
            "the anchors (`&name`) here hold too much for factdrill to keep; it refuses the file"
                .to_owned()
        }
        _ => "the file exceeds a size limit of the YAML reader; factdrill refuses it".to_owned(),
    })
}

fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos {
        line: s.referenced.line() as u32,
        col: s.referenced.column() as u32,
    }
}

impl<'de> Deserialize<'de> for Value<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'static>, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value<'static>, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'static>, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value<'static>, E> {
        i64::try_from(v)
            .map(Value::Int)
            .or(Ok(Value::Str(Cow::Owned(v.to_string()))))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value<'static>, E> {
        Ok(Value::Str(Cow::Owned(v.to_string())))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value<'static>, E> {
        Ok(Value::Str(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'static>, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'static>, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'static>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value<'static>, E> {
        Err(E::custom("binary values are not supported"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'static>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value<'static>>>()? {
            items.push(Node {
                pos: pos_of(&item),
                value: item.value,
            });
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'static>, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value<'static>>>()? {
            let kpos = pos_of(&key);
            let name = match key.value {
                Value::Str(s) => s,
                Value::Int(i) => Cow::Owned(i.to_string()),
                Value::Bool(b) => Cow::Owned(b.to_string()),
                Value::Float(x) => Cow::Owned(x.to_string()),
                Value::Null => Cow::Borrowed("null"),
                Value::Seq(_) | Value::Map(_) => {
                    return Err(de::Error::custom("mapping keys must be plain text"));
                }
            };
            let value = map.next_value::<Spanned<Value<'static>>>()?;
            entries.push((
                Key { name, pos: kpos },
                Node {
                    pos: pos_of(&value),
                    value: value.value,
                },
            ));
        }
        Ok(Value::Map(entries))
    }
}
