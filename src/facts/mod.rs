//! Facts: what an article says, in a form a deck author can read, correct and complete by hand
//! (format: `docs/facts-format.md`). This file holds the types, dates and stable ids; reading
//! lives in `load.rs`, writing (YAML and JSON) in `write.rs`. Nothing here reads articles.

mod date;
mod load;
mod write;

use std::fmt;

pub use date::{Date, MONTHS, Point, When};
pub use load::{load, load_str};
pub(crate) use write::scalar as yaml_scalar;
pub use write::{to_json, to_yaml};

/// A facts file: the article's topic and the facts found in it, in article order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// What the article is about; "it" and "its" in the article refer to it.
    pub topic: Option<String>,
    pub facts: Vec<Fact>,
}

/// One fact, with where it came from when an extractor found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Stable id derived from the fact's kind and key fields (`Body::id`), not its position.
    pub id: Option<String>,
    pub body: Body,
    /// The text hedges ("in 1935 or 1937"): every value it gives is kept, in `When` alternatives.
    pub uncertain: bool,
    pub source: Option<Source>,
    /// The extraction rule that produced the fact (absent for hand-written facts).
    pub rule: Option<String>,
}

impl Fact {
    /// A fact with its content id and nothing else.
    pub fn new(body: Body) -> Self {
        Self {
            id: Some(body.id()),
            body,
            uncertain: false,
            source: None,
            rule: None,
        }
    }

    pub fn kind(&self) -> Kind {
        self.body.kind()
    }
}

/// The sentence a fact was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The section heading the sentence is under (`None` before the first heading).
    pub section: Option<String>,
    /// The sentence, cleaned of reference marks.
    pub sentence: String,
    /// Character offsets `[start, end)` of the sentence in the original article text.
    pub span: (usize, usize),
}

/// What a fact says; one variant per kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Head(Head),
    Date(Dated),
    Location(Location),
    Alias(Alias),
}

/// Who led (or deputised for, or represented) what.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub person: String,
    /// The organisation or branch; `None` means the topic.
    pub org: Option<String>,
    /// The country or region when the text scopes it ("In Germany, ...").
    pub region: Option<String>,
    pub role: Role,
    /// When the role began and ended (`to` is never before `from`).
    pub from: Option<When>,
    pub to: Option<When>,
    /// A time the role is known to have been held, without its start or end: "the head in
    /// 1925" (a point), "in the mid-1920s" (a span: at some time within it). Inside
    /// `from`..`to` when those are given.
    pub during: Option<When>,
    /// Position in a succession: 1 for "the first head".
    pub order: Option<u32>,
}

/// What happened when.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    pub event: String,
    pub subject: Option<String>,
    pub when: When,
}

/// Where something was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub subject: String,
    pub place: String,
}

/// Other names of a person or organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    pub aliases: Vec<String>,
}

/// The kinds of fact, as written in the `kind` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Head,
    Date,
    Location,
    Alias,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Head, Kind::Date, Kind::Location, Kind::Alias];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Head => "head",
            Kind::Date => "date",
            Kind::Location => "location",
            Kind::Alias => "alias",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part a person played in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Head,
    Deputy,
    Representative,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Head, Role::Deputy, Role::Representative];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Head => "head",
            Role::Deputy => "deputy",
            Role::Representative => "representative",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::Head(_) => Kind::Head,
            Body::Date(_) => Kind::Date,
            Body::Location(_) => Kind::Location,
            Body::Alias(_) => Kind::Alias,
        }
    }

    /// The fact's stable id: its kind and the first 10 hex digits of the blake3 hash of its
    /// folded key fields. Key fields say what the fact is about (a head's person, org, region
    /// and role; a date's subject and event; a location's subject and place; an alias's name),
    /// so correcting a year or adding an alias keeps the id.
    pub fn id(&self) -> String {
        let keys: Vec<&str> = match self {
            Body::Head(h) => vec![
                &h.person,
                h.org.as_deref().unwrap_or(""),
                h.region.as_deref().unwrap_or(""),
                h.role.as_str(),
            ],
            Body::Date(d) => vec![d.subject.as_deref().unwrap_or(""), &d.event],
            Body::Location(l) => vec![&l.subject, &l.place],
            Body::Alias(a) => vec![&a.name],
        };
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.kind().as_str().as_bytes());
        for key in keys {
            hasher.update(b"\x1f");
            hasher.update(fold(key).as_bytes());
        }
        let hex = hasher.finalize().to_hex();
        format!("{}-{}", self.kind().as_str(), &hex[..10])
    }
}

/// Text folded for comparison: transliterated to ASCII (diacritics dropped), lower case, and
/// every run of non-alphanumeric characters made one space. "Führer-Verlag" -> "fuhrer verlag".
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut gap = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, folded: &str) {
        assert_eq!(fold(text), folded);
    }

    #[test]
    fn fold_drops_case_diacritics_and_punctuation() {
        case("Führer Verlag", "fuhrer verlag");
        case("  Mirov–Abramov ", "mirov abramov");
        case("\"Leo\"", "leo");
        case("", "");
    }

    #[test]
    fn id_depends_on_key_fields_not_on_years_or_position() {
        let head = |from| {
            Body::Head(Head {
                person: "Ann Example".into(),
                org: Some("Society".into()),
                region: None,
                role: Role::Head,
                from,
                to: None,
                during: None,
                order: Some(1),
            })
        };
        let a = head(None).id();
        let b = head(Some(When::parse("1901").unwrap())).id();
        assert_eq!(a, b);
        assert!(a.starts_with("head-"));
        assert_eq!(a.len(), "head-".len() + 10);
        let other = Body::Alias(Alias {
            name: "Ann Example".into(),
            aliases: vec![],
        });
        assert_ne!(a, other.id());
    }
}
