//! Reading a deck file: bytes -> YAML tree -> validated `Deck`, collecting every problem in
//! the file (with its line and column) before failing. Never panics on any input.

use std::collections::HashMap;
use std::path::Path;

use super::{Card, Deck, FORMAT_VERSION, Id, Kind};
use crate::error::Error;
use crate::yaml::{self, Fields, Pos, Problem, Value};

const DECK_FIELDS: &[&str] = &[
    "version",
    "id",
    "name",
    "description",
    "new_per_day",
    "reviews_per_day",
    "cards",
];

const CARD_FIELDS: &[&str] = &[
    "id",
    "kind",
    "prompt",
    "answer",
    "accept",
    "choices",
    "explanation",
    "source",
    "tags",
];

/// Loads and validates a deck file.
pub fn load(path: &Path) -> Result<Deck, Error> {
    let text = crate::text::read(path, crate::yaml::MAX_FILE_BYTES)?;
    let mut deck = load_str(&text).map_err(|problems| Error::Invalid {
        path: path.to_owned(),
        problems,
    })?;
    deck.path = path.to_owned();
    Ok(deck)
}

/// Validates deck text; on failure returns every problem found, in file order.
pub fn load_str(text: &str) -> Result<Deck, Vec<Problem>> {
    let root = yaml::parse(text).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let deck = read_deck(&root, &mut problems);
    match deck {
        Some(mut deck) if problems.is_empty() => {
            deck.content_hash = blake3::hash(text.as_bytes()).to_hex()[..16].to_owned();
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
    let cards = read_cards(&fields, problems);
    Some(Deck {
        id: id?,
        name: name?.0,
        description,
        new_per_day,
        reviews_per_day,
        cards: cards?,
        path: std::path::PathBuf::new(),
        content_hash: String::new(),
    })
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
    let mut seen: HashMap<String, u32> = HashMap::new();
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
    let fields = Fields::new(node, "card", CARD_FIELDS, problems)?;
    let id = fields
        .required_text("id", "card", problems)
        .and_then(|(text, pos)| parse_id(&text, pos, problems));
    // Once a card has an id, name it in its messages so the author can find it.
    let what = id
        .as_ref()
        .map_or_else(|| "card".to_owned(), |id| format!("card `{id}`"));
    let kind = match fields.text("kind", problems) {
        None if fields.get("kind").is_none() => {
            // A card with choices is a choice card; otherwise it asks for a typed answer.
            Some(if fields.get("choices").is_some() {
                Kind::Choice
            } else {
                Kind::Recall
            })
        }
        None => None,
        Some((text, pos)) => {
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
    };
    let prompt = fields.required_text("prompt", &what, problems);
    let answer = fields.required_text("answer", &what, problems);
    let accept: Vec<String> = fields
        .text_list("accept", problems)
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let choices = fields.text_list("choices", problems);
    let explanation = fields.text("explanation", problems).map(|(t, _)| t);
    let source = fields.text("source", problems).map(|(t, _)| t);
    let tags = fields
        .text_list("tags", problems)
        .into_iter()
        .map(|(t, _)| t)
        .collect();

    if let (Some(kind), Some((answer, answer_pos))) = (kind, answer.as_ref()) {
        check_choices(
            kind,
            &what,
            answer,
            *answer_pos,
            &choices,
            &fields,
            problems,
        );
    }

    Some(Card {
        id: id?,
        kind: kind?,
        prompt: prompt?.0,
        answer: answer?.0,
        accept,
        choices: choices.into_iter().map(|(t, _)| t).collect(),
        explanation,
        source,
        tags,
        line: node.pos.line,
    })
}

fn check_choices(
    kind: Kind,
    what: &str,
    answer: &str,
    answer_pos: Pos,
    choices: &[(String, Pos)],
    fields: &Fields<'_>,
    problems: &mut Vec<Problem>,
) {
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
            }
            let mut seen: Vec<&str> = Vec::new();
            for (choice, pos) in choices {
                if choice.trim().is_empty() {
                    problems.push(Problem::new(*pos, "a choice is empty"));
                } else if seen.contains(&choice.as_str()) {
                    problems.push(Problem::new(
                        *pos,
                        format!("choice `{}` is listed twice", crate::term::safe(choice)),
                    ));
                }
                seen.push(choice);
            }
            if choices.len() >= 2 && !choices.iter().any(|(c, _)| c == answer) {
                problems.push(Problem::new(
                    answer_pos,
                    format!(
                        "the answer `{}` of {what} is not among its choices",
                        crate::term::safe(answer)
                    ),
                ));
            }
        }
        Kind::Recall => {
            if !choices.is_empty() {
                problems.push(Problem::new(
                    fields.key_pos("choices"),
                    format!(
                        "{what} is a recall card and cannot have `choices`; use `kind: choice`"
                    ),
                ));
            }
        }
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
                "16:11: unknown kind `essay` in card `four`; expected one of: recall, choice",
                "17:5: unknown field `promt` in card; did you mean `prompt`?",
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
    fn not_a_mapping() {
        assert_eq!(
            problems("- a\n- b\n"),
            vec!["1:1: expected a deck (a mapping of fields), found a list"]
        );
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
