//! Reading a deck file: bytes -> YAML tree -> validated `Deck`, collecting every problem in
//! the file (with its line and column) before failing. Never panics on any input.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::{Card, Deck, FORMAT_VERSION, Id, Kind, Origin};
use crate::error::Error;
use crate::schedule::config::{MAXIMUM_INTERVAL_RANGE, RETENTION_RANGE};
use crate::schedule::{Algorithm, ConfigError, SchedulerConfig, parse_steps};
use crate::yaml::{self, Fields, Pos, Problem, Value};

const DECK_FIELDS: &[&str] = &[
    "version",
    "id",
    "name",
    "description",
    "new_per_day",
    "reviews_per_day",
    "scheduler",
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "fuzz",
    "strict",
    "leech_threshold",
    "cards",
    "parameters",
];

const CARD_FIELDS: &[&str] = &[
    "id",
    "kind",
    "prompt",
    "answer",
    "accept",
    "choices",
    "items",
    "explanation",
    "source",
    "tags",
    "generated",
];

/// The longest text a field may hold (checked by `yaml::Fields` for every text field).
pub use crate::yaml::MAX_TEXT_CHARS;

/// Loads and validates a deck file.
pub fn load(path: &Path) -> Result<Deck, Error> {
    let text = crate::text::read(path, crate::yaml::MAX_FILE_BYTES)?;
    let mut deck = load_str(&text).map_err(|problems| Error::Invalid {
        path: path.to_owned(),
        problems,
    })?;
    path.clone_into(&mut deck.path);
    Ok(deck)
}

/// The hash that identifies a deck file's bytes (`Deck::content_hash`): 16 hex digits of
/// blake3, cheap enough to compute on every start-up (about 1 ms per MB).
pub fn content_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..16].to_owned()
}

/// Validates deck text; on failure returns every problem found, in file order.
pub fn load_str(text: &str) -> Result<Deck, Vec<Problem>> {
    from_tree(text, yaml::parse(text))
}

/// Validates the tree read from `text` (the text gives the content hash).
fn from_tree(text: &str, root: Result<yaml::Node<'_>, Problem>) -> Result<Deck, Vec<Problem>> {
    let root = root.map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let deck = read_deck(&root, &mut problems);
    match deck {
        Some(mut deck) if problems.is_empty() => {
            deck.content_hash = content_hash(text);
            Ok(deck)
        }
        _ => {
            problems.sort_by_key(|p| p.pos);
            problems.dedup();
            Err(problems)
        }
    }
}

fn read_deck(root: &yaml::Node, problems: &mut Vec<Problem>) -> Option<Deck> {
    let fields = Fields::new(root, "deck", DECK_FIELDS, problems)?;
    if let Some((version, pos)) = fields.count("version", problems)
        && version != FORMAT_VERSION
    {
        problems.push(Problem::new(
            pos,
            format!(
                "deck format version {version} is not supported; this factdrill reads version {FORMAT_VERSION}"
            ),
        ));
    }
    let id = fields
        .required_text("id", "the deck", problems)
        .and_then(|(text, pos)| parse_id(&text, pos, problems));
    let name = fields.required_text("name", "the deck", problems);
    let description = fields.text("description", problems).map(|(t, _)| t);
    let new_per_day = fields.count("new_per_day", problems).map(|(n, _)| n);
    let reviews_per_day = fields.count("reviews_per_day", problems).map(|(n, _)| n);
    let leech_threshold = fields.count("leech_threshold", problems).map(|(n, _)| n);
    let scheduling = read_scheduling(&fields, problems);
    let strict = match fields.get("strict") {
        None => false,
        Some(node) => match node.value {
            Value::Bool(on) => on,
            Value::Null => false,
            _ => {
                problems.push(Problem::new(
                    node.pos,
                    format!("`strict` must be true or false, found {}", node.type_name()),
                ));
                false
            }
        },
    };
    let cards = read_cards(&fields, problems);
    Some(Deck {
        id: id?,
        name: name?.0,
        description,
        new_per_day,
        reviews_per_day,
        strict,
        fixed_parameters: fields
            .get("parameters")
            .is_some_and(|n| n.value != Value::Null),
        leech_threshold,
        scheduling,
        cards: cards?,
        path: std::path::PathBuf::new(),
        content_hash: String::new(),
    })
}

/// The deck's scheduler settings; anything not given keeps the default (FSRS-6, retention
/// 0.9, steps 1m 10m / 10m, at most 36500 days, fuzz on).
fn read_scheduling(fields: &Fields<'_>, problems: &mut Vec<Problem>) -> SchedulerConfig {
    let mut config = SchedulerConfig::default();
    if let Some((text, pos)) = fields.text("scheduler", problems) {
        match text.parse::<Algorithm>() {
            Ok(algorithm) => config.algorithm = algorithm,
            Err(e) => problems.push(Problem::new(pos, e.to_string())),
        }
    }
    if let Some((value, pos)) = fields.number("desired_retention", problems) {
        if RETENTION_RANGE.contains(&value) {
            config.desired_retention = value;
        } else {
            problems.push(Problem::new(
                pos,
                ConfigError::Retention { value }.to_string(),
            ));
        }
    }
    for (name, steps) in [
        ("learning_steps", &mut config.learning_steps),
        ("relearning_steps", &mut config.relearning_steps),
    ] {
        if fields.get(name).is_none() {
            continue;
        }
        // Either one text ("1m 10m") or a list (["1m", "10m"]); an empty list means no steps.
        let items = fields.text_list(name, problems);
        let pos = items.first().map_or(fields.key_pos(name), |(_, p)| *p);
        let text: Vec<String> = items.into_iter().map(|(t, _)| t).collect();
        match parse_steps(&text.join(" ")) {
            Ok(parsed) => *steps = parsed,
            Err(e) => problems.push(Problem::new(pos, format!("`{name}`: {e}"))),
        }
    }
    if let Some((days, pos)) = fields.count("maximum_interval", problems) {
        if MAXIMUM_INTERVAL_RANGE.contains(&days) {
            config.maximum_interval_days = days;
        } else {
            problems.push(Problem::new(
                pos,
                ConfigError::MaximumInterval { value: days }.to_string(),
            ));
        }
    }
    if fields.get("parameters").is_some() {
        // 21 numbers: one text ("0.212, 1.2931, ...", as the optimizer prints them) or a list.
        let items = fields.text_list("parameters", problems);
        let pos = items
            .first()
            .map_or(fields.key_pos("parameters"), |(_, p)| *p);
        let text: Vec<String> = items.into_iter().map(|(t, _)| t).collect();
        if !text.is_empty() {
            match crate::schedule::config::parse_parameters(&text.join(" ")) {
                Ok(w) => config.parameters = w,
                Err(e) => {
                    for problem in e.problems {
                        problems.push(Problem::new(pos, format!("`parameters`: {problem}")));
                    }
                }
            }
        }
    }
    if let Some(node) = fields.get("fuzz") {
        match node.value {
            Value::Bool(on) => config.fuzz = on,
            Value::Null => {}
            _ => problems.push(Problem::new(
                node.pos,
                format!("`fuzz` must be true or false, found {}", node.type_name()),
            )),
        }
    }
    config
}

fn read_cards(fields: &Fields<'_>, problems: &mut Vec<Problem>) -> Option<Vec<Card>> {
    let Some(node) = fields.get("cards") else {
        problems.push(Problem::new(fields.pos, "the deck has no `cards`"));
        return None;
    };
    let Value::Seq(items) = &node.value else {
        problems.push(Problem::new(
            node.pos,
            format!(
                "`cards` must be a list of cards, found {}",
                node.type_name()
            ),
        ));
        return None;
    };
    if items.is_empty() {
        problems.push(Problem::new(node.pos, "the deck has no cards"));
    }
    let mut seen: HashMap<Cow<'_, str>, u32> = HashMap::new();
    let mut cards = Vec::with_capacity(items.len());
    for item in items {
        // Duplicate ids are found even among cards with other problems.
        if let yaml::Value::Map(entries) = &item.value
            && let Some((_, id)) = entries.iter().find(|(k, _)| k.name == "id")
            && let Some(id) = id.as_text()
        {
            if let Some(first) = seen.get(&id) {
                problems.push(Problem::new(
                    item.pos,
                    format!(
                        "duplicate card id `{}`; it is first used at line {first}",
                        crate::term::safe(&id)
                    ),
                ));
                continue;
            }
            seen.insert(id, item.pos.line);
        }
        if let Some(card) = read_card(item, problems) {
            cards.push(card);
        }
    }
    Some(cards)
}

fn read_card(node: &yaml::Node, problems: &mut Vec<Problem>) -> Option<Card> {
    // Name the card by its id in every message about it, so the author can find it.
    let named = match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == "id")
            .and_then(|(_, v)| v.as_text())
            .filter(|id| Id::parse(id).is_ok())
            .map(|id| format!("card `{id}`")),
        _ => None,
    };
    let fields = Fields::new(
        node,
        named.as_deref().unwrap_or("card"),
        CARD_FIELDS,
        problems,
    )?;
    let id = fields
        .required_text("id", "card", problems)
        .and_then(|(text, pos)| parse_id(&text, pos, problems));
    let what = named.unwrap_or_else(|| "card".to_owned());
    let kind = read_kind(&fields, &what, problems);
    let prompt = fields.required_text("prompt", &what, problems);
    // An ordering card's answer is its items' order; any other card needs one.
    let answer = if kind == Some(Kind::Ordering) {
        if fields.get("answer").is_some() {
            problems.push(Problem::new(
                fields.key_pos("answer"),
                format!("{what} is an ordering card: list its `items` in the right order instead of an `answer`"),
            ));
        }
        None
    } else {
        let answer = fields.required_text("answer", &what, problems);
        // Grading folds away punctuation, symbols and what it cannot transliterate, so an
        // answer must keep something after that folding, or it could never be typed.
        if let Some((text, pos)) = &answer
            && crate::grade::normalize(text).is_empty()
        {
            problems.push(Problem::new(
                *pos,
                format!("the answer of {what} has no letter or digit to type"),
            ));
        }
        answer
    };
    let accept = fields.text_list("accept", problems);
    let choices = read_options(&fields, kind, &what, problems);
    let explanation = fields.text("explanation", problems);
    let source = fields.text("source", problems);
    let tags = fields.text_list("tags", problems);
    let accept = accept.into_iter().map(|(t, _)| t).collect();
    let explanation = explanation.map(|(t, _)| t);
    let source = source.map(|(t, _)| t);
    let tags = tags.into_iter().map(|(t, _)| t).collect();
    let generated = read_origin(&fields, problems);

    if let Some(kind) = kind {
        check_kind(
            kind,
            &what,
            answer.as_ref(),
            prompt.as_ref(),
            &choices,
            &fields,
            problems,
        );
    }
    let kind = kind?;
    let answer = if kind == Kind::Ordering {
        choices
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    } else {
        answer?.0
    };

    Some(Card {
        id: id?,
        kind,
        prompt: prompt?.0,
        answer,
        accept,
        choices: choices.into_iter().map(|(t, _)| t).collect(),
        explanation,
        source,
        tags,
        generated,
        line: node.pos.line,
    })
}

/// `generated: KEY HASH`: the question a generated card was made for and its content hash.
fn read_origin(fields: &Fields<'_>, problems: &mut Vec<Problem>) -> Option<Origin> {
    let (text, pos) = fields.text("generated", problems)?;
    let mut words = text.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(key), Some(hash), None)
            if Id::parse(key).is_ok() && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Some(Origin {
                key: key.to_owned(),
                hash: hash.to_owned(),
            })
        }
        _ => {
            problems.push(Problem::new(
                pos,
                format!(
                    "`generated` must be a question key and a hex content hash, e.g. \
                     `head-586a9d77a2.recall-person 7c1e0a9d3b`, found `{}`; delete the line to \
                     make the card a hand-written one",
                    crate::term::safe(&text)
                ),
            ));
            None
        }
    }
}

/// The card's kind: as written, or by default `choice` when it has choices, else `recall`.
fn read_kind(fields: &Fields<'_>, what: &str, problems: &mut Vec<Problem>) -> Option<Kind> {
    let Some((text, pos)) = fields.text("kind", problems) else {
        // Absent (or null) is the default; a wrong type was reported by `text`.
        return fields
            .get("kind")
            .is_none_or(|n| n.value == Value::Null)
            .then(|| {
                if fields.get("choices").is_some() {
                    Kind::Choice
                } else {
                    Kind::Recall
                }
            });
    };
    let kind = Kind::parse(&text);
    if kind.is_none() {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        let mut message = format!("unknown kind `{}` in {what}", crate::term::safe(&text));
        match yaml::did_you_mean(&text, &names) {
            Some(close) => message.push_str(&format!("; did you mean `{close}`?")),
            None => message.push_str(&format!("; expected one of: {}", names.join(", "))),
        }
        problems.push(Problem::new(pos, message));
    }
    kind
}

/// The options a card shows: `choices`, or for an ordering card its `items`.
fn read_options(
    fields: &Fields<'_>,
    kind: Option<Kind>,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(String, Pos)> {
    let items = fields.text_list("items", problems);
    let choices = fields.text_list("choices", problems);
    if kind == Some(Kind::Ordering) {
        if !choices.is_empty() {
            problems.push(Problem::new(
                fields.key_pos("choices"),
                format!("{what} is an ordering card: its options are `items`, not `choices`"),
            ));
        }
        return items;
    }
    if !items.is_empty() {
        problems.push(Problem::new(
            fields.key_pos("items"),
            "only ordering cards have `items`; use `choices` or `kind: ordering`",
        ));
    }
    choices
}

/// What marks the gap in a cloze prompt (three or more underscores).
pub const BLANK: &str = "___";

/// The rules each kind adds: choices that contain the answer, items to order, a blank to
/// fill, a year, true or false.
fn check_kind(
    kind: Kind,
    what: &str,
    answer: Option<&(String, Pos)>,
    prompt: Option<&(String, Pos)>,
    choices: &[(String, Pos)],
    fields: &Fields<'_>,
    problems: &mut Vec<Problem>,
) {
    if kind.has_options() {
        check_distinct(choices, problems);
    } else if !choices.is_empty() {
        problems.push(Problem::new(
            fields.key_pos("choices"),
            format!("{what} is a {kind} card and cannot have `choices`; use `kind: choice`"),
        ));
    }
    match kind {
        Kind::Choice => {
            if choices.len() < 2 {
                problems.push(Problem::new(
                    fields.key_pos("choices"),
                    format!(
                        "{what} is a choice card and needs at least 2 `choices`, it has {}",
                        choices.len()
                    ),
                ));
            } else if choices.len() > 26 {
                problems.push(Problem::new(
                    fields.key_pos("choices"),
                    format!(
                        "{what} has {} choices; at most 26 can be lettered",
                        choices.len()
                    ),
                ));
            } else if let Some((answer, pos)) = answer
                && !choices.iter().any(|(c, _)| c == answer)
            {
                problems.push(Problem::new(
                    *pos,
                    format!(
                        "the answer `{}` of {what} is not among its choices",
                        crate::term::safe(answer)
                    ),
                ));
            }
        }
        Kind::Ordering => {
            if !(3..=8).contains(&choices.len()) {
                problems.push(Problem::new(
                    fields.key_pos("items"),
                    format!(
                        "{what} is an ordering card and needs 3 to 8 `items`, it has {}",
                        choices.len()
                    ),
                ));
            }
        }
        Kind::Year => {
            if let Some((answer, pos)) = answer
                && !is_year_answer(answer)
            {
                problems.push(Problem::new(
                    *pos,
                    format!(
                        "the answer `{}` of {what} is not a year: write YYYY, YYYY-MM, YYYY-MM-DD or a span YYYY-YYYY",
                        crate::term::safe(answer)
                    ),
                ));
            }
        }
        Kind::TrueFalse => {
            if let Some((answer, pos)) = answer
                && !matches!(answer.as_str(), "true" | "false")
            {
                problems.push(Problem::new(
                    *pos,
                    format!(
                        "the answer of {what} must be true or false, found `{}`",
                        crate::term::safe(answer)
                    ),
                ));
            }
        }
        Kind::Cloze => {
            if let Some((prompt, pos)) = prompt
                && !prompt.contains(BLANK)
            {
                problems.push(Problem::new(
                    *pos,
                    format!("{what} is a cloze card: its prompt needs a blank, written `{BLANK}`"),
                ));
            }
        }
        Kind::Recall => {}
    }
}

/// A year, a year-month, a full date, or a span of years.
fn is_year_answer(text: &str) -> bool {
    let year = |t: &str| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
    let two = |t: &&str| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit());
    let text = text.trim();
    // "1937-1939", "1937/1939", "1937–1939" are spans; "1921-07" is a month.
    let span = text
        .split_once(['/', '–'])
        .or_else(|| text.split_once('-').filter(|(_, b)| b.len() == 4));
    if let Some((a, b)) = span {
        return year(a.trim()) && year(b.trim());
    }
    let mut parts = text.split('-');
    let first = parts.next().is_some_and(year);
    let rest: Vec<&str> = parts.collect();
    first && rest.len() <= 2 && rest.iter().all(two)
}

fn check_distinct(choices: &[(String, Pos)], problems: &mut Vec<Problem>) {
    let mut seen: Vec<&str> = Vec::new();
    for (choice, pos) in choices {
        if choice.trim().is_empty() {
            problems.push(Problem::new(*pos, "an option is empty"));
        } else if seen.contains(&choice.as_str()) {
            problems.push(Problem::new(
                *pos,
                format!("`{}` is listed twice", crate::term::safe(choice)),
            ));
        }
        seen.push(choice);
    }
}

fn parse_id(text: &str, pos: Pos, problems: &mut Vec<Problem>) -> Option<Id> {
    Id::parse(text)
        .map_err(|message| problems.push(Problem::new(pos, message)))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
id: demo
name: Demo
cards:
  - id: one
    prompt: Where was the OMS headquarters?
    answer: Berlin
  - id: two
    kind: choice
    prompt: Who was the first head of the OMS?
    choices: [Osip Piatnitsky, Mikhail Trilisser]
    answer: Osip Piatnitsky
  - id: three
    prompt: In what year was the OMS founded?
    answer: 1921
    accept: [July 1921]
";

    #[track_caller]
    fn problems(text: &str) -> Vec<String> {
        load_str(text)
            .expect_err("the deck should be invalid")
            .into_iter()
            .map(|p| format!("{}: {}", p.pos, p.message))
            .collect()
    }

    #[test]
    fn loads_a_valid_deck() {
        let deck = load_str(GOOD).unwrap();
        assert_eq!(deck.id.as_str(), "demo");
        assert_eq!(deck.cards.len(), 3);
        assert_eq!(deck.cards[0].kind, Kind::Recall);
        assert_eq!(deck.cards[1].kind, Kind::Choice);
        assert_eq!(deck.cards[2].answer, "1921");
        assert_eq!(deck.cards[2].accept, vec!["July 1921"]);
        assert_eq!(deck.cards[2].line, 12);
        assert_eq!(deck.content_hash.len(), 16);
    }

    #[test]
    fn kind_defaults_from_choices() {
        let deck = load_str(
            "id: d\nname: D\ncards:\n  - {id: a, prompt: p, answer: x, choices: [x, y]}\n",
        )
        .unwrap();
        assert_eq!(deck.cards[0].kind, Kind::Choice);
    }

    #[test]
    fn collects_every_problem_in_order() {
        let text = "\
id: demo
name: Demo
cards:
  - id: one
    prompt: \"  \"
    answer: Berlin
  - id: one
    prompt: Again?
    answer: Berlin
  - id: three
    kind: choice
    prompt: Who?
    choices: [A, B]
    answer: C
  - id: four
    kind: essay
    promt: Why?
    answer: Because
";
        assert_eq!(
            problems(text),
            vec![
                "5:13: `prompt` is empty",
                "7:5: duplicate card id `one`; it is first used at line 4",
                "14:13: the answer `C` of card `three` is not among its choices",
                "15:5: card `four` has no `prompt`",
                "16:11: unknown kind `essay` in card `four`; expected one of: recall, choice, year, truefalse, cloze, ordering",
                "17:5: unknown field `promt` in card `four`; did you mean `prompt`?",
            ]
        );
    }

    #[test]
    fn wrong_types_are_reported() {
        let text = "id: d\nname: [x]\nnew_per_day: -3\ncards:\n  - id: a\n    prompt: p\n    answer: {x: 1}\n";
        assert_eq!(
            problems(text),
            vec![
                "2:7: `name` must be text, found a list",
                "3:14: `new_per_day` must be a whole number of 0 or more, found -3",
                "7:13: `answer` must be text, found a mapping",
            ]
        );
    }

    #[test]
    fn bad_ids_and_missing_cards() {
        assert_eq!(
            problems("id: bad id\nname: D\n"),
            vec![
                "1:1: the deck has no `cards`",
                "1:5: id `bad id` has a space; ids use only ASCII letters, digits and - _ . :",
            ]
        );
    }

    #[test]
    // Parsing the printed numbers gives them back exactly.
    #[allow(clippy::float_cmp)]
    fn fsrs_parameters_are_read_as_text_or_list_and_checked() {
        use crate::schedule::fsrs::DEFAULT_PARAMETERS;
        let text = DEFAULT_PARAMETERS.map(|w| w.to_string()).join(", ");
        let cards = "cards:\n  - {id: a, prompt: p, answer: x}\n";
        let deck = load_str(&format!("id: d\nname: D\nparameters: {text}\n{cards}")).unwrap();
        assert!(deck.fixed_parameters);
        assert_eq!(deck.scheduling.parameters, DEFAULT_PARAMETERS);
        let deck = load_str(&format!("id: d\nname: D\nparameters: [{text}]\n{cards}")).unwrap();
        assert_eq!(deck.scheduling.parameters, DEFAULT_PARAMETERS);
        let plain = load_str(&format!("id: d\nname: D\n{cards}")).unwrap();
        assert!(!plain.fixed_parameters);
        let mut bad = DEFAULT_PARAMETERS.map(|w| w.to_string());
        bad[20] = "2".to_owned();
        assert_eq!(
            problems(&format!(
                "id: d\nname: D\nparameters: {}\n{cards}",
                bad.join(" ")
            )),
            vec!["3:13: `parameters`: FSRS parameter w[20] = 2 is out of range: use 0.1 to 0.8"]
        );
        assert_eq!(
            problems(&format!("id: d\nname: D\nparameters: 1 2 3\n{cards}")),
            vec!["3:13: `parameters`: FSRS needs 21 parameters, got 3"]
        );
    }

    #[test]
    fn scheduler_settings_are_read_and_checked() {
        let deck = load_str(
            "id: d\nname: D\nscheduler: sm2\ndesired_retention: 0.85\nlearning_steps: 30s 5m\n\
             relearning_steps: []\nmaximum_interval: 365\nfuzz: false\n\
             cards:\n  - {id: a, prompt: p, answer: x}\n",
        )
        .unwrap();
        let s = &deck.scheduling;
        assert_eq!(s.algorithm, Algorithm::Sm2);
        assert!((s.desired_retention - 0.85).abs() < 1e-12);
        assert_eq!(
            s.learning_steps,
            vec![
                jiff::SignedDuration::from_secs(30),
                jiff::SignedDuration::from_mins(5)
            ]
        );
        assert!(s.relearning_steps.is_empty());
        assert_eq!(s.maximum_interval_days, 365);
        assert!(!s.fuzz);
        assert_eq!(
            problems(
                "id: d\nname: D\nscheduler: sm3\ndesired_retention: 1.5\nlearning_steps: 10x\n\
                 maximum_interval: 0\nfuzz: maybe\ncards:\n  - {id: a, prompt: p, answer: x}\n"
            ),
            vec![
                "3:12: unknown scheduler `sm3`: choose `fsrs` (also `fsrs-6`) or `sm2` (also `sm-2`)",
                "4:20: desired retention 1.5 is out of range: use a number from 0.7 to 0.99",
                "5:17: `learning_steps`: step `10x` is not valid: its unit is not s, m, h or d; write steps as whole numbers with a unit, e.g. `1m 10m` (units: s, m, h, d)",
                "6:19: maximum interval 0 days is out of range: use 1 to 36500 days",
                "7:7: `fuzz` must be true or false, found text",
            ]
        );
    }

    #[test]
    fn every_kind_loads_with_its_own_rules() {
        let deck = load_str(
            "id: d\nname: D\ncards:\n\
             - {id: y, kind: year, prompt: When?, answer: 1921}\n\
             - {id: s, kind: year, prompt: When?, answer: 1937-1939}\n\
             - {id: t, kind: truefalse, prompt: The OMS was founded in 1921., answer: true}\n\
             - {id: c, kind: cloze, prompt: It was founded at the ___ Congress., answer: Third}\n\
             - {id: o, kind: ordering, prompt: Order these., items: [founded, raided, liquidated]}\n",
        )
        .unwrap();
        let kinds: Vec<Kind> = deck.cards.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Year,
                Kind::Year,
                Kind::TrueFalse,
                Kind::Cloze,
                Kind::Ordering
            ]
        );
        assert_eq!(deck.cards[2].answer, "true");
        assert_eq!(deck.cards[4].answer, "founded → raided → liquidated");
        assert_eq!(
            deck.cards[4].choices,
            vec!["founded", "raided", "liquidated"]
        );
    }

    #[test]
    fn kind_rules_are_checked() {
        assert_eq!(
            problems(
                "id: d\nname: D\ncards:\n\
                 - {id: y, kind: year, prompt: When?, answer: soon}\n\
                 - {id: t, kind: truefalse, prompt: Is it?, answer: maybe}\n\
                 - {id: c, kind: cloze, prompt: No blank here., answer: x}\n\
                 - {id: o, kind: ordering, prompt: Order., items: [a, b], answer: a}\n\
                 - {id: r, prompt: p, answer: x, items: [a, b, c]}\n"
            ),
            vec![
                "4:46: the answer `soon` of card `y` is not a year: write YYYY, YYYY-MM, YYYY-MM-DD or a span YYYY-YYYY",
                "5:52: the answer of card `t` must be true or false, found `maybe`",
                "6:32: card `c` is a cloze card: its prompt needs a blank, written `___`",
                "7:43: card `o` is an ordering card and needs 3 to 8 `items`, it has 2",
                "7:58: card `o` is an ordering card: list its `items` in the right order instead of an `answer`",
                "8:33: only ordering cards have `items`; use `choices` or `kind: ordering`",
            ]
        );
    }

    #[test]
    fn an_answer_needs_a_letter_or_digit() {
        assert_eq!(
            problems("id: d\nname: D\ncards:\n  - {id: a, prompt: p, answer: \"?!\"}\n"),
            vec!["4:32: the answer of card `a` has no letter or digit to type"]
        );
    }

    #[test]
    fn overlong_text_is_reported_at_its_field() {
        let long = "é".repeat(MAX_TEXT_CHARS + 1);
        let at_limit = "é".repeat(MAX_TEXT_CHARS);
        let deck = format!(
            "id: d\nname: D\ncards:\n  - id: a\n    prompt: {long}\n    answer: {at_limit}\n    accept: [ok, {long}]\n"
        );
        assert_eq!(
            problems(&deck),
            vec![
                "5:13: `prompt` is 10001 characters long; the limit is 10000",
                "7:18: `accept` is 10001 characters long; the limit is 10000",
            ]
        );
    }

    #[test]
    fn generated_marks_a_card_and_is_checked() {
        let deck = load_str(
            "id: d\nname: D\ncards:\n\
             - {id: a, prompt: p, answer: x, generated: head-586a9d77a2.recall-person 7c1e0a9d3b}\n\
             - {id: b, prompt: q, answer: y}\n",
        )
        .unwrap();
        let origin = deck.cards[0].generated.as_ref().unwrap();
        assert_eq!(origin.key, "head-586a9d77a2.recall-person");
        assert_eq!(origin.hash, "7c1e0a9d3b");
        assert_eq!(
            deck.cards[1].generated, None,
            "cards are hand-written by default"
        );
        let found = problems(
            "id: d\nname: D\ncards:\n  - {id: a, prompt: p, answer: x, generated: by hand}\n",
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("4:46: `generated` must be a question key and a hex content hash"),
            "{found:?}"
        );
    }

    #[test]
    fn not_a_mapping() {
        assert_eq!(
            problems("- a\n- b\n"),
            vec!["1:1: expected a deck (a mapping of fields), found a list"]
        );
    }

    /// A deck read by the fast reader loads, or fails with the same problems, as the same
    /// deck read by the full reader; and the fast reader did read these.
    #[test]
    fn either_reader_gives_the_same_deck_and_problems() {
        let bad_many = include_str!("../../tests/fixtures/decks/bad-many.yaml");
        let cases = [
            GOOD,
            include_str!("../../tests/fixtures/decks/kinds.yaml"),
            include_str!("../../tests/fixtures/decks/oms-hand.yaml"),
            include_str!("../../decks/oms.yaml"),
            // Duplicate ids, empty, missing and misspelt fields, wrong types, unknown kind.
            bad_many,
            // Wrong types at the deck level, numbers and booleans where text is wanted.
            "id: d\nname: [x]\nnew_per_day: -3\nfuzz: maybe\nstrict: 1\ncards:\n  - id: a\n    prompt: 12\n    answer: true\n    tags: [1.5, x]\n",
            // Missing cards, a bad id, an empty list, a null value.
            "id: bad id\nname: D\n",
            "id: d\nname: D\ncards: []\n",
            "id: d\nname:\ncards:\n  - id: a\n    prompt: p\n    answer: x\n",
            // Not a mapping.
            "- a\n- b\n",
        ];
        for text in cases {
            assert!(
                yaml::parse_fast(text).is_some(),
                "the fast reader should read:\n{text}"
            );
            assert_eq!(
                load_str(text),
                from_tree(text, yaml::parse_full(text)),
                "{text}"
            );
        }
    }

    /// Files with a YAML-level problem, or YAML the fast reader does not read, go to the full
    /// reader: the message and position are the ones it always gave.
    #[test]
    fn yaml_problems_are_reported_by_the_full_reader() {
        let cases = [
            // Bad syntax: an unclosed quote, an unclosed list, a bad indent.
            include_str!("../../tests/fixtures/decks/bad-syntax.yaml"),
            "id: d\nname: [x\ncards: []\n",
            "id: d\n  name: x\ncards: []\n",
            // A tab for indentation, a duplicate key, an alias of nothing (anchors and aliases
            // are read by the full reader only).
            "id: d\nname: D\ncards:\n\t- id: a\n",
            "id: d\nid: e\nname: D\ncards: []\n",
            "id: d\nname: *x\ncards: []\n",
            // Several documents, a directive, a tag that does not fit.
            "id: d\nname: D\ncards: []\n---\nid: e\n",
            "%YAML 1.2\n---\nid: d\nname: D\ncards: []\n",
            "id: !!int d\nname: D\ncards:\n  - {id: a, prompt: p, answer: x}\n",
            // A non-finite number, a bad escape.
            "id: d\nname: D\nfuzz: .inf\ncards: []\n",
            "id: d\nname: \"\\q\"\ncards: []\n",
        ];
        for text in cases {
            assert!(yaml::parse_fast(text).is_none(), "declined:\n{text}");
            let full = from_tree(text, yaml::parse_full(text));
            assert!(full.is_err(), "{text}");
            assert_eq!(load_str(text), full, "{text}");
        }
        // A tab inside a quoted value, an anchor and its alias: not problems, only not read
        // fast.
        let tab = "id: d\nname: \"a\tb\"\ncards:\n  - {id: a, prompt: p, answer: x}\n";
        assert_eq!(load_str(tab).unwrap().name, "a\tb");
        let alias = "id: &x d\nname: *x\ncards:\n  - {id: a, prompt: p, answer: x}\n";
        assert!(yaml::parse_fast(alias).is_none());
        assert_eq!(load_str(alias).unwrap().name, "d");
        let tagged = "id: d\nname: !!str 1921\ncards:\n  - {id: a, prompt: p, answer: x}\n";
        assert!(yaml::parse_fast(tagged).is_none());
        assert_eq!(load_str(tagged).unwrap().name, "1921");
    }

    #[test]
    fn unsupported_version() {
        assert_eq!(
            problems("version: 2\nid: d\nname: D\ncards: []\n"),
            vec![
                "1:10: deck format version 2 is not supported; this factdrill reads version 1",
                "4:8: the deck has no cards",
            ]
        );
    }
}
