//! The grammar of generated questions: when a name takes "the", how dates read, and how a
//! fact's event ("raided ARCOS in London") becomes a question ("did Scotland Yard raid ARCOS
//! in London") or a statement. Pure string work; no facts lookups beyond what is passed in.

use crate::facts::{Date, Point, When, fold};

/// Whether a name takes "the" in running text, decided by evidence first: in the source
/// sentences that mention it, "the NAME" against NAME after anything but another determiner
/// or a possessive. With no evidence either way, a name made only of capitalised words
/// ("Hotel Lux", "Scotland Yard", "Germany") takes none, and anything else (an acronym such as
/// "OMS", or a phrase with lower-case words such as "courier section") takes "the".
pub fn takes_the<'a>(name: &str, sentences: impl IntoIterator<Item = &'a str>) -> bool {
    let (mut with, mut without) = (0_u32, 0_u32);
    let target = fold(name);
    if target.is_empty() {
        return false;
    }
    for sentence in sentences {
        let words: Vec<String> = fold(sentence)
            .split(' ')
            .map(str::to_owned)
            .collect::<Vec<_>>();
        let name_words: Vec<&str> = target.split(' ').collect();
        let n = name_words.len();
        if words.len() < n {
            continue;
        }
        for start in 0..=words.len() - n {
            if words[start..start + n]
                .iter()
                .zip(&name_words)
                .any(|(a, b)| a != b)
            {
                continue;
            }
            match start.checked_sub(1).map(|i| words[i].as_str()) {
                Some("the") => with += 1,
                // "its", "a", "Moscow's" (folded to "moscow s"): neither way.
                Some("a" | "an" | "its" | "his" | "her" | "their" | "this" | "that" | "s") => {}
                _ => without += 1,
            }
        }
    }
    if with + without > 0 {
        return with >= without && with > 0;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    // "Victor Serge's memoir" takes the article its possessor takes: none for a name of
    // capitalised words, "the" for "the OMS's training school".
    if let Some(at) = words[..words.len().saturating_sub(1)]
        .iter()
        .position(|w| w.ends_with("'s") || w.ends_with("\u{2019}s"))
    {
        let owner = words[..=at].join(" ");
        let owner = owner
            .trim_end_matches("'s")
            .trim_end_matches("\u{2019}s")
            .to_owned();
        return takes_the(&owner, []);
    }
    let acronym = |w: &&str| w.chars().filter(char::is_ascii_uppercase).count() >= 2;
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    words.iter().any(acronym) || !words.iter().all(capitalised)
}

/// A name as it reads inside a sentence: a phrase seen only at the start of sentences with its
/// first letter capitalised there ("Radio communications") is written in lower case, and "the"
/// goes before it when `takes_the` says so.
pub fn noun_phrase<'a>(name: &str, sentences: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let mut text = name.to_owned();
    let first_word = name.split_whitespace().next().unwrap_or("");
    let rest_lower = name
        .split_whitespace()
        .nth(1)
        .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase));
    let acronym = first_word.chars().filter(char::is_ascii_uppercase).count() >= 2;
    if rest_lower && !acronym {
        let only_initial = sentences
            .clone()
            .into_iter()
            .filter(|s| s.contains(name) || s.contains(&lower_first(name)))
            .all(|s| s.trim_start_matches(['"', '(', '\'']).starts_with(name));
        if only_initial {
            text = lower_first(name);
        }
    }
    if takes_the(name, sentences) {
        format!("the {text}")
    } else {
        text
    }
}

pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

/// The text with its first letter in upper case ("the OMS was ..." -> "The OMS was ...").
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// "the OMS" -> "the OMS's"; "Piatnitsky" -> "Piatnitsky's"; "radio communications" ->
/// "radio communications'".
pub fn possessive(np: &str) -> String {
    if np.ends_with('s') && !np.ends_with(char::is_uppercase) && !np.ends_with("ss") {
        format!("{np}'")
    } else {
        format!("{np}'s")
    }
}

pub fn ordinal(n: u32) -> String {
    const WORDS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    if (1..=10).contains(&n) {
        return WORDS[n as usize - 1].to_owned();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "1921", "July 1921", "15 July 1921".
pub fn point_text(p: Point) -> String {
    match (p.month, p.day) {
        (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m) - 1], p.year),
        (Some(m), None) => format!("{} {}", MONTHS[usize::from(m) - 1], p.year),
        _ => p.year.to_string(),
    }
}

/// How a date reads before or after a statement: "in 1921", "in July 1921", "on 15 July 1921",
/// "from 1933 to 1938", and for alternatives "in 1935 or 1937".
pub fn when_phrase(when: &When) -> String {
    let phrases: Vec<String> = when.dates().iter().map(date_phrase).collect();
    phrases.join(" or ").replace(" or in ", " or ")
}

pub fn date_phrase(date: &Date) -> String {
    match date.end {
        Some(end) if end.year != date.start.year => {
            format!("from {} to {}", point_text(date.start), point_text(end))
        }
        _ if date.start.day.is_some() => format!("on {}", point_text(date.start)),
        _ => format!("in {}", point_text(date.start)),
    }
}

/// The answer of a `year` card: the year, or a span of years `1933-1938`.
pub fn year_answer(date: &Date) -> String {
    match date.end {
        Some(end) if end.year != date.start.year => format!("{}-{}", date.start.year, end.year),
        _ => date.start.year.to_string(),
    }
}

/// Whether a date is a span of more than one year (asked "During which years ...?").
pub fn is_span(date: &Date) -> bool {
    date.end.is_some_and(|end| end.year != date.start.year)
}

/// How an event is put into words, decided from its first words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// "founded at ...", "purged", "born": the subject "was" it.
    Passive(String),
    /// "a member of ...": the subject "was" it.
    Copula(String),
    /// "raided ARCOS in London": past tense; `base` is the form after "did".
    Active { past: String, base: String },
    /// A whole clause with its own subject, read as that subject and a verb phrase:
    /// "direction of the OMS transferred to the GRU" is "direction of the OMS" +
    /// `Passive("transferred to the GRU")`. Its subject is not the fact's, so no "Who ...?".
    Split { subject: String, event: Box<Event> },
    /// Words in which no verb can be found ("Victor Serge's memoir in French"): nothing is
    /// said or asked with them.
    Unreadable(String),
}

const PREPOSITIONS: &[&str] = &[
    "at",
    "in",
    "to",
    "from",
    "by",
    "into",
    "on",
    "for",
    "with",
    "as",
    "near",
    "under",
    "after",
    "before",
    "during",
    "posthumously",
];
/// Verbs that take no object: "arrived in", "worked for" are active, not passive.
const INTRANSITIVE: &[&str] = &[
    "arrived",
    "died",
    "moved",
    "worked",
    "lived",
    "served",
    "returned",
    "fled",
    "went",
    "came",
    "stayed",
    "remained",
    "operated",
    "resided",
    "traveled",
    "travelled",
    "emigrated",
    "escaped",
    "collapsed",
    "began",
    "became",
    "grew",
    "rose",
    "fell",
    "existed",
    "happened",
    "occurred",
];

/// Past participles that do not end in -ed.
const PARTICIPLES: &[&str] = &[
    "born",
    "sent",
    "made",
    "held",
    "led",
    "given",
    "taken",
    "known",
    "built",
    "kept",
    "seen",
    "written",
    "shown",
    "brought",
    "told",
    "sold",
    "caught",
    "thrown",
    "left",
    "found",
    "hidden",
    "chosen",
    "paid",
    "put",
    "set",
    "shot",
    "spent",
    "sentenced",
];

const IRREGULAR: &[(&str, &str)] = &[
    ("became", "become"),
    ("began", "begin"),
    ("hurt", "hurt"),
    ("sent", "send"),
    ("made", "make"),
    ("took", "take"),
    ("held", "hold"),
    ("led", "lead"),
    ("met", "meet"),
    ("left", "leave"),
    ("went", "go"),
    ("came", "come"),
    ("fled", "flee"),
    ("wrote", "write"),
    ("gave", "give"),
    ("found", "find"),
    ("stood", "stand"),
    ("kept", "keep"),
    ("grew", "grow"),
    ("fell", "fall"),
    ("won", "win"),
    ("built", "build"),
    ("bought", "buy"),
    ("brought", "bring"),
    ("told", "tell"),
    ("sold", "sell"),
    ("spent", "spend"),
    ("knew", "know"),
    ("saw", "see"),
    ("ran", "run"),
    ("rose", "rise"),
    ("died", "die"),
    ("lied", "lie"),
    ("tied", "tie"),
    ("paid", "pay"),
    ("said", "say"),
    ("put", "put"),
    ("set", "set"),
    ("shot", "shoot"),
    ("had", "have"),
    ("was", "be"),
    ("were", "be"),
    ("did", "do"),
];

/// Stems that need their final "e" back: "arriv-ed" -> "arrive".
const E_STEMS: &[&str] = &[
    "undermin", "determin", "examin", "combin", "declin", "retir", "resign", "decid", "provid",
    "organiz", "organis", "recogniz", "recognis", "realiz", "realis", "us", "nam", "hop", "tak",
    "purg", "liquidat", "creat", "locat", "operat", "separat", "dissolv", "involv", "arriv",
    "receiv", "mov", "serv", "liv", "achiev", "believ", "continu", "argu", "pursu", "issu",
    "replac", "produc", "introduc", "reduc", "forc", "announc", "pronounc", "publicis", "caus",
    "clos", "pos", "impos", "propos", "oppos", "expos", "compos", "chang", "arrang", "charg",
    "emerg", "merg", "manag", "engag", "encourag", "rescu", "writ", "stat",
];

/// "raided" -> "raid", "arrived" -> "arrive", "penned" -> "pen", "carried" -> "carry",
/// "began" -> "begin". `None` when the word does not look like a past tense.
pub fn base_form(past: &str) -> Option<String> {
    let lower = past.to_lowercase();
    if let Some((_, base)) = IRREGULAR.iter().find(|(p, _)| *p == lower) {
        return Some((*base).to_owned());
    }
    let stem = lower.strip_suffix("ed")?;
    if stem.len() < 2 {
        return None;
    }
    if let Some(y) = stem.strip_suffix('i') {
        return Some(format!("{y}y"));
    }
    if E_STEMS.contains(&stem) {
        return Some(format!("{stem}e"));
    }
    let bytes = stem.as_bytes();
    let (last, before) = (bytes[bytes.len() - 1], bytes[bytes.len() - 2]);
    if last == before && !matches!(last, b'l' | b's' | b'z' | b'f') && !is_vowel(last) {
        return Some(stem[..stem.len() - 1].to_owned());
    }
    if matches!(last, b'v' | b'u') || (last == b'c' && !is_vowel(before)) {
        return Some(format!("{stem}e"));
    }
    Some(stem.to_owned())
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Words before a noun: a verb never follows one directly ("the united front").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "his", "her", "their", "this", "that", "these", "those", "of", "by",
    "with", "to", "and", "or",
];

/// Whether a word can be the finite past-tense verb of a clause: an irregular past or
/// participle from the tables, or a lower-case word in "-ed" ("need", "seed" are not).
fn is_past(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty() || !w.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    IRREGULAR.iter().any(|(p, _)| *p == w)
        || PARTICIPLES.contains(&w)
        || (w.len() > 3 && w.ends_with("ed") && !w.ends_with("eed"))
}

/// Reads an event's shape. `subject` is the fact's subject; an event that names its own
/// subject (or has none, or starts with a capital or "the") is a whole clause, split at its
/// first past-tense verb into its own subject and a verb phrase.
pub fn event(text: &str, subject: Option<&str>) -> Event {
    let text = text.trim();
    let first = text.split_whitespace().next().unwrap_or("");
    let names_subject = subject.is_some_and(|s| {
        let s = fold(s);
        !s.is_empty() && format!(" {} ", fold(text)).contains(&format!(" {s} "))
    });
    if subject.is_none()
        || names_subject
        || first == "the"
        || first.chars().next().is_some_and(char::is_uppercase)
    {
        return split(text);
    }
    verb_phrase(text).unwrap_or_else(|| split(text))
}

/// A verb phrase whose subject is given elsewhere: "a member of ...", "founded at ...",
/// "raided ARCOS in London". `None` when the first word is not a verb in the past tense.
fn verb_phrase(text: &str) -> Option<Event> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = *words.first()?;
    let second = words
        .get(1)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    if matches!(first, "a" | "an") {
        return Some(Event::Copula(text.to_owned()));
    }
    if matches!(first, "was" | "were") && words.len() > 1 {
        return Some(Event::Copula(words[1..].join(" ")));
    }
    let lower = first.to_lowercase();
    let object_free = second.is_none_or(|w| PREPOSITIONS.contains(&w));
    let participle = PARTICIPLES.contains(&lower.as_str())
        || (lower.ends_with("ed") && !INTRANSITIVE.contains(&lower.as_str()));
    if participle && object_free {
        return Some(Event::Passive(text.to_owned()));
    }
    let base = base_form(first)?;
    let mut rest: Vec<String> = words[1..].iter().map(|w| (*w).to_owned()).collect();
    // "arrived in X and stayed ..." -> "arrive in X and stay ...".
    for i in 1..rest.len() {
        if rest[i - 1] == "and"
            && rest[i].chars().next().is_some_and(char::is_lowercase)
            && rest[i].ends_with("ed")
            && let Some(b) = base_form(&rest[i])
        {
            rest[i] = b;
        }
    }
    let base = std::iter::once(base)
        .chain(rest)
        .collect::<Vec<_>>()
        .join(" ");
    Some(Event::Active {
        past: text.to_owned(),
        base,
    })
}

/// A clause split at its first past-tense verb that does not follow a determiner or a comma:
/// "the Noulens Affair over OMS spy Jakob Rudnik | undermined the OMS's stance".
fn split(text: &str) -> Event {
    let words: Vec<&str> = text.split_whitespace().collect();
    for i in 1..words.len() {
        let before = words[i - 1];
        if !is_past(words[i])
            || before.ends_with([',', ';', ':'])
            || DETERMINERS.contains(&before.to_lowercase().as_str())
        {
            continue;
        }
        if let Some(inner) = verb_phrase(&words[i..].join(" ")) {
            let own = words[..i].join(" ");
            let own = match words[0] {
                "The" | "A" | "An" => lower_first(&own),
                _ => own,
            };
            return Event::Split {
                subject: own,
                event: Box::new(inner),
            };
        }
    }
    Event::Unreadable(text.to_owned())
}

impl Event {
    /// A statement: "the OMS was founded at ...", "Scotland Yard raided ARCOS in London".
    pub fn statement(&self, subject: &str) -> Option<String> {
        match self {
            Event::Passive(t) | Event::Copula(t) => Some(format!("{subject} {} {t}", be(subject))),
            Event::Active { past, .. } => Some(format!("{subject} {past}")),
            Event::Split { subject, event } => event.statement(subject),
            Event::Unreadable(_) => None,
        }
    }

    /// The question's tail after "In what year" / "During which years":
    /// "was the OMS founded at ...", "did Scotland Yard raid ARCOS in London".
    pub fn question(&self, subject: &str) -> Option<String> {
        match self {
            Event::Passive(t) | Event::Copula(t) => Some(format!("{} {subject} {t}", be(subject))),
            Event::Active { base, .. } => Some(format!("did {subject} {base}")),
            Event::Split { subject, event } => event.question(subject),
            Event::Unreadable(_) => None,
        }
    }

    /// The predicate for "Who ... ?": "raided ARCOS in London", "was purged". Only for events
    /// whose subject is the fact's.
    pub fn predicate(&self) -> Option<String> {
        match self {
            Event::Passive(t) | Event::Copula(t) => Some(format!("was {t}")),
            Event::Active { past, .. } => Some(past.clone()),
            Event::Split { .. } | Event::Unreadable(_) => None,
        }
    }
}

/// Nouns that take a plural verb in any form: "the headquarters were", "the police were".
const PLURAL_NOUNS: &[&str] = &[
    "headquarters",
    "police",
    "forces",
    "troops",
    "people",
    "authorities",
    "services",
    "communications",
    "archives",
    "premises",
    "quarters",
    "arms",
    "offices",
    "members",
    "agents",
    "leaders",
];

/// Whether a noun phrase is plural, from its last word: one of `PLURAL_NOUNS`, or a
/// lower-case word in "-s" that is not "-ss", "-us", "-is" or "-ics" ("radio
/// communications", "two agents"). Proper names ("ARCOS", "United States") are singular.
pub fn is_plural(np: &str) -> bool {
    let Some(last) = np.split_whitespace().last() else {
        return false;
    };
    let word = last.trim_matches(|c: char| !c.is_alphanumeric());
    let lower = word.to_lowercase();
    if PLURAL_NOUNS.contains(&lower.as_str()) {
        return true;
    }
    word.chars().next().is_some_and(char::is_lowercase)
        && !last.ends_with(['\'', '\u{2019}'])
        && lower.len() > 3
        && lower.ends_with('s')
        && !["ss", "us", "is", "ics"].iter().any(|e| lower.ends_with(e))
}

/// The past of "to be" that agrees with a noun phrase: "was", or "were" for a plural.
pub fn be(np: &str) -> &'static str {
    if is_plural(np) { "were" } else { "was" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn verb(past: &str, base: &str) {
        assert_eq!(base_form(past).as_deref(), Some(base), "{past}");
    }

    #[test]
    fn past_tenses_become_base_forms() {
        verb("raided", "raid");
        verb("received", "receive");
        verb("arrived", "arrive");
        verb("penned", "pen");
        verb("carried", "carry");
        verb("began", "begin");
        verb("became", "become");
        verb("hurt", "hurt");
        verb("worked", "work");
        verb("called", "call");
        verb("passed", "pass");
        verb("stayed", "stay");
        verb("undermined", "undermine");
        verb("transferred", "transfer");
        verb("died", "die");
        assert_eq!(base_form("member"), None);
    }

    #[track_caller]
    fn question(event_text: &str, subject: &str, expected: &str) {
        assert_eq!(
            event(event_text, Some(subject))
                .question(subject)
                .as_deref(),
            Some(expected),
            "{event_text}"
        );
    }

    #[test]
    fn events_become_questions() {
        question(
            "founded at the Third Congress of the Comintern",
            "the OMS",
            "was the OMS founded at the Third Congress of the Comintern",
        );
        question(
            "raided ARCOS in London",
            "Scotland Yard",
            "did Scotland Yard raid ARCOS in London",
        );
        question("purged", "Osip Piatnitsky", "was Osip Piatnitsky purged");
        question("born", "Victor Serge", "was Victor Serge born");
        question("died", "Victor Serge", "did Victor Serge die");
        question(
            "arrived in the United States and stayed through most of the decade",
            "Epstein",
            "did Epstein arrive in the United States and stay through most of the decade",
        );
        question(
            "a member of the OMS in Austria",
            "Arnold Deutsch",
            "was Arnold Deutsch a member of the OMS in Austria",
        );
        question(
            "moved increasingly toward intelligence operations",
            "the OMS",
            "did the OMS move increasingly toward intelligence operations",
        );
        question(
            "sent to Germany",
            "the OMS group",
            "was the OMS group sent to Germany",
        );
        question(
            "raided the office",
            "the police",
            "did the police raid the office",
        );
        question("disbanded", "the forces", "were the forces disbanded");
    }

    #[test]
    fn clauses_are_split_at_their_verb() {
        question(
            "direction of the OMS transferred to the GRU",
            "the OMS",
            "was direction of the OMS transferred to the GRU",
        );
        question(
            "Victor Serge's memoir published posthumously in French",
            "Victor Serge",
            "was Victor Serge's memoir published posthumously in French",
        );
        question(
            "the Noulens Affair over OMS spy Jakob Rudnik undermined the OMS's stance",
            "the Noulens Affair",
            "did the Noulens Affair over OMS spy Jakob Rudnik undermine the OMS's stance",
        );
        assert_eq!(
            event("The OMS group was sent to Germany", None).statement("x"),
            Some("the OMS group was sent to Germany".to_owned())
        );
        // No verb: nothing is said or asked.
        let e = event("Victor Serge's memoir in French", Some("Victor Serge"));
        assert_eq!(e.question("Victor Serge"), None);
        assert_eq!(e.statement("Victor Serge"), None);
        // A clause's own subject is not the fact's: no "Who ...?".
        assert_eq!(
            event("direction of the OMS transferred to the GRU", Some("OMS")).predicate(),
            None
        );
    }

    #[test]
    fn plurals_take_were() {
        for np in [
            "the OMS international headquarters",
            "the Chinese police",
            "radio communications",
        ] {
            assert!(is_plural(np), "{np}");
            assert_eq!(be(np), "were");
        }
        for np in [
            "ARCOS",
            "the United States",
            "the courier section",
            "Hotel Lux",
            "the address",
            "the Soviet military attache's office",
            "the crisis",
            "the status",
            "politics",
        ] {
            assert!(!is_plural(np), "{np}");
        }
    }

    #[test]
    fn the_is_decided_by_evidence_then_by_shape() {
        let s = [
            "The first head of the OMS was Osip Piatnitsky.",
            "In May 1927, Scotland Yard raided ARCOS in London.",
            "Radio communications formed part of OMS services.",
        ];
        assert!(takes_the("OMS", s));
        assert!(!takes_the("ARCOS", s));
        assert!(!takes_the("Scotland Yard", s));
        assert!(takes_the("GRU", []), "acronyms take the by default");
        assert!(takes_the("courier section", []));
        assert!(!takes_the("Hotel Lux", []));
        assert!(!takes_the("Victor Serge's memoir", []));
        assert!(takes_the("OMS's training school", []));
        assert_eq!(
            noun_phrase("Radio communications", s),
            "radio communications"
        );
        assert_eq!(noun_phrase("OMS", s), "the OMS");
        assert_eq!(
            noun_phrase("Netherlands", ["In the Netherlands, the head was X."]),
            "the Netherlands"
        );
    }

    #[test]
    fn dates_read_naturally() {
        let w = |t| When::parse(t).unwrap();
        assert_eq!(when_phrase(&w("1921-07")), "in July 1921");
        assert_eq!(when_phrase(&w("1933/1938")), "from 1933 to 1938");
        assert_eq!(when_phrase(&w("1921-07-15")), "on 15 July 1921");
        let any = When::any_of(vec![
            Date::parse("1935").unwrap(),
            Date::parse("1937").unwrap(),
        ])
        .unwrap();
        assert_eq!(when_phrase(&any), "in 1935 or 1937");
        assert_eq!(year_answer(&Date::parse("1933/1938").unwrap()), "1933-1938");
        assert_eq!(ordinal(2), "second");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(possessive("the OMS"), "the OMS's");
    }
}
