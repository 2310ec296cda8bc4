//! A deck as an Anki collection (the legacy "schema 11" layout of `collection.anki2` that
//! every current Anki and AnkiDroid still imports): notetypes, the deck, and one note with
//! one card per factdrill card. Pure: `store::anki` writes the SQLite file and the zip.
//!
//! Identity: a note's `guid` is a hash of the deck id and the card id, so exporting the deck
//! again after editing it and importing that into Anki updates the notes instead of adding
//! duplicates (Anki matches notes by guid). Note and card row ids are only row numbers (Anki
//! renumbers clashing ones on import); they start at the export time in milliseconds, which
//! Anki shows as the date the note was added.
//!
//! Every piece of deck text is HTML-escaped before it goes into a field: a deck is plain
//! text, and `<b>` in a prompt must show as `<b>`, not turn bold.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::deck::{Card, Deck, Kind};

/// The notetype for every card but proper cloze cards: Front, Back, Extra, Card.
pub const BASIC_MODEL_ID: i64 = 1_764_000_000_001;
/// The cloze notetype: Text (with `{{c1::...}}`), Extra, Card.
pub const CLOZE_MODEL_ID: i64 = 1_764_000_000_002;

pub const BASIC_MODEL_NAME: &str = "factdrill Basic";
pub const CLOZE_MODEL_NAME: &str = "factdrill Cloze";
pub const BASIC_FIELDS: [&str; 4] = ["Front", "Back", "Extra", "Card"];
pub const CLOZE_FIELDS: [&str; 3] = ["Text", "Extra", "Card"];

/// What separates a note's fields in the `flds` column.
pub const FIELD_SEPARATOR: char = '\u{1f}';

/// The Anki collection for one deck: the `col` row's JSON columns and the notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// Seconds since 1970: the collection's creation (`crt`), the notetypes' `mod`.
    pub created_secs: i64,
    /// Milliseconds since 1970: `col.mod` and `col.scm`.
    pub modified_ms: i64,
    /// The Anki deck id the cards go to.
    pub deck_id: i64,
    /// `col.conf`, `col.models`, `col.decks`, `col.dconf` as JSON text.
    pub conf: String,
    pub models: String,
    pub decks: String,
    pub dconf: String,
    pub notes: Vec<Note>,
}

/// One note and its single card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub guid: String,
    pub model_id: i64,
    /// Field values, HTML, in the notetype's field order.
    pub fields: Vec<String>,
    /// Anki's tag column: space-separated with a space at each end.
    pub tags: String,
    /// The first field without HTML, for sorting and duplicate checks.
    pub sort_field: String,
    /// The first 8 hex digits of the SHA-1 of `sort_field`, as Anki computes `csum`.
    pub checksum: i64,
    pub card_id: i64,
    /// The new card's position in the deck's new queue (1, 2, ...): file order.
    pub due: i64,
}

impl Note {
    /// The `flds` column: fields joined by the unit separator.
    pub fn joined_fields(&self) -> String {
        self.fields.join(&FIELD_SEPARATOR.to_string())
    }
}

/// Maps a deck to an Anki collection made at `now`.
pub fn collection(deck: &Deck, now: Timestamp) -> Collection {
    let secs = now.as_second();
    let ms = now.as_millisecond();
    let deck_id = anki_deck_id(deck.id.as_str());
    let notes = deck
        .cards
        .iter()
        .enumerate()
        .map(|(i, card)| {
            let i = i as i64;
            note(deck, card, ms + i, i + 1)
        })
        .collect();
    Collection {
        created_secs: secs,
        modified_ms: ms,
        deck_id,
        conf: conf_json(deck_id, secs).to_string(),
        models: models_json(deck_id, secs).to_string(),
        decks: decks_json(deck, deck_id, secs).to_string(),
        dconf: dconf_json(deck, secs).to_string(),
        notes,
    }
}

/// The note for one card; `id` doubles as the card's row id (notes and cards are separate
/// tables).
fn note(deck: &Deck, card: &Card, id: i64, due: i64) -> Note {
    let reference = escape(&format!("{}/{}", deck.id, card.id));
    let extra = extra(card);
    let (model_id, fields) = if let Some(text) = cloze_text(card) {
        (CLOZE_MODEL_ID, vec![text, extra, reference])
    } else {
        let (front, back) = front_back(deck, card);
        (BASIC_MODEL_ID, vec![front, back, extra, reference])
    };
    let sort_field = strip_html(&fields[0]);
    Note {
        id,
        guid: guid(deck.id.as_str(), card.id.as_str()),
        model_id,
        tags: tags(card),
        checksum: checksum(&sort_field),
        sort_field,
        fields,
        card_id: id,
        due,
    }
}

/// The front and back of a card on the Basic notetype.
fn front_back(deck: &Deck, card: &Card) -> (String, String) {
    let prompt = escape(&card.prompt);
    match card.kind {
        Kind::Recall | Kind::Year | Kind::Cloze => (prompt, escape(&card.answer)),
        Kind::TrueFalse => {
            let front = if card.prompt.to_lowercase().contains("true or false") {
                prompt
            } else {
                format!("{prompt}<div class=\"hint\">True or false?</div>")
            };
            let back = if card.answer == "true" {
                "True"
            } else {
                "False"
            };
            (front, back.to_owned())
        }
        Kind::Choice => {
            let order = shuffled(deck, card, false);
            let front = format!("{prompt}{}", options(&card.choices, &order));
            let back = order
                .iter()
                .position(|&i| card.choices[i] == card.answer)
                .map_or_else(
                    || escape(&card.answer),
                    |at| format!("{}) {}", letter(at), escape(&card.answer)),
                );
            (front, back)
        }
        Kind::Ordering => {
            let order = shuffled(deck, card, true);
            let front = format!("{prompt}{}", options(&card.choices, &order));
            // The letters of the items, taken in the right order.
            let letters: Vec<String> = (0..card.choices.len())
                .filter_map(|right| order.iter().position(|&i| i == right))
                .map(|shown| letter(shown).to_string())
                .collect();
            let items = list_items(card.choices.iter());
            (
                front,
                format!(
                    "<div class=\"letters\">{}</div><ol class=\"order\">{items}</ol>",
                    letters.join(" ")
                ),
            )
        }
    }
}

/// A cloze card as Anki cloze text (`... {{c1::Third}} Congress ...`), when it has exactly
/// one blank and nothing that Anki's cloze syntax would misread; otherwise `None` and the
/// card goes on the Basic notetype.
fn cloze_text(card: &Card) -> Option<String> {
    if card.kind != Kind::Cloze {
        return None;
    }
    let clean = |t: &str| !t.contains("{{") && !t.contains("}}") && !t.contains("::");
    if !clean(&card.prompt) || !clean(&card.answer) || card.answer.trim().is_empty() {
        return None;
    }
    let (start, end) = blank(&card.prompt)?;
    if blank(&card.prompt[end..]).is_some() {
        return None;
    }
    Some(format!(
        "{}{{{{c1::{}}}}}{}",
        escape(&card.prompt[..start]),
        escape(&card.answer),
        escape(&card.prompt[end..])
    ))
}

/// The byte range of the first run of three or more underscores (the deck format's blank).
fn blank(text: &str) -> Option<(usize, usize)> {
    let start = text.find("___")?;
    let run = text[start..].bytes().take_while(|&b| b == b'_').count();
    Some((start, start + run))
}

/// Explanation, other accepted answers and the source sentence, for the back.
fn extra(card: &Card) -> String {
    let mut parts = Vec::new();
    if let Some(e) = &card.explanation {
        parts.push(escape(e));
    }
    if !card.accept.is_empty() {
        let accepted: Vec<String> = card.accept.iter().map(|a| escape(a)).collect();
        parts.push(format!("Also accepted: {}", accepted.join("; ")));
    }
    if let Some(s) = &card.source {
        parts.push(format!(
            "<span class=\"source\">Source: {}</span>",
            escape(s)
        ));
    }
    parts.join("<br>")
}

/// The card's tags (Anki tags cannot hold spaces) and its kind as `factdrill::KIND`.
fn tags(card: &Card) -> String {
    let mut tags: Vec<String> = card
        .tags
        .iter()
        .map(|t| {
            t.chars()
                .map(|c| if c.is_whitespace() { '_' } else { c })
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    tags.push(format!("factdrill::{}", card.kind));
    tags.sort();
    tags.dedup();
    format!(" {} ", tags.join(" "))
}

/// The options of a choice or ordering card as a lettered list, in the order given.
fn options(items: &[String], order: &[usize]) -> String {
    let list = list_items(order.iter().map(|&i| &items[i]));
    format!("<ol class=\"options\" type=\"a\">{list}</ol>")
}

/// Each text as an escaped `<li>` element.
fn list_items<'a>(texts: impl Iterator<Item = &'a String>) -> String {
    texts.fold(String::new(), |mut out, text| {
        out.push_str("<li>");
        out.push_str(&escape(text));
        out.push_str("</li>");
        out
    })
}

fn letter(index: usize) -> char {
    char::from(b'a' + (index % 26) as u8)
}

/// The order the options are shown in: fixed per card (a hash of deck, card and option),
/// so the answer's position says nothing; an ordering card is never shown in order.
fn shuffled(deck: &Deck, card: &Card, never_sorted: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..card.choices.len()).collect();
    order.sort_by_key(|&i| {
        hash64(&format!(
            "factdrill option:{}:{}:{}",
            deck.id, card.id, card.choices[i]
        ))
    });
    if never_sorted && order.len() > 1 && order.windows(2).all(|w| w[0] < w[1]) {
        order.rotate_left(1);
    }
    order
}

/// A note's guid: 11 base-62 characters from a hash of the deck and card ids.
pub fn guid(deck: &str, card: &str) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut n = hash64(&format!("factdrill card:{deck}:{card}"));
    let mut out = String::new();
    for _ in 0..11 {
        out.push(char::from(DIGITS[(n % 62) as usize]));
        n /= 62;
    }
    out
}

/// The Anki deck id of a factdrill deck: stable, so a second import goes to the same deck.
pub fn anki_deck_id(deck: &str) -> i64 {
    // In the range of millisecond timestamps Anki uses for ids, below 2^53 (exact in JSON
    // readers that use doubles).
    1_000_000_000_000 + (hash64(&format!("factdrill deck:{deck}")) % 1_000_000_000_000) as i64
}

fn hash64(text: &str) -> u64 {
    let hash = blake3::hash(text.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(bytes)
}

/// Anki's `csum`: the first 8 hex digits of the SHA-1 of the stripped first field.
pub fn checksum(sort_field: &str) -> i64 {
    let digest = sha1_smol::Sha1::from(sort_field).digest().bytes();
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// Text as HTML: `& < > "` escaped, line breaks as `<br>`, control characters (which
/// include the field separator) dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The HTML this module writes, back to text: tags removed (a list item or line break
/// becomes a space), the escaped characters restored.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

const CSS: &str = ".card { font-family: sans-serif; font-size: 20px; text-align: center; \
color: black; background-color: white; }\n\
.options, .order { display: inline-block; text-align: left; }\n\
.hint, .letters { margin-top: 0.5em; font-weight: bold; }\n\
.extra { margin-top: 1em; font-size: 16px; color: #555; }\n\
.source { font-style: italic; }\n\
.cloze { font-weight: bold; color: blue; }\n";

fn field_json(name: &str, ord: usize) -> Value {
    json!({
        "name": name, "ord": ord, "sticky": false, "rtl": false,
        "font": "Arial", "size": 20, "media": [],
    })
}

fn template_json(name: &str, qfmt: &str, afmt: &str) -> Value {
    json!({
        "name": name, "ord": 0, "qfmt": qfmt, "afmt": afmt,
        "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0,
    })
}

fn model_json(
    id: i64,
    name: &str,
    kind: u8,
    fields: &[&str],
    template: &Value,
    deck_id: i64,
    secs: i64,
) -> Value {
    json!({
        "id": id,
        "name": name,
        "type": kind,
        "mod": secs,
        "usn": -1,
        "sortf": 0,
        "did": deck_id,
        "tmpls": [template],
        "flds": fields.iter().enumerate().map(|(i, f)| field_json(f, i)).collect::<Vec<_>>(),
        "css": CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": false,
        "req": [[0, "any", [0]]],
        "tags": [],
        "vers": [],
    })
}

fn models_json(deck_id: i64, secs: i64) -> Value {
    let basic = model_json(
        BASIC_MODEL_ID,
        BASIC_MODEL_NAME,
        0,
        &BASIC_FIELDS,
        &template_json(
            "Card 1",
            "{{Front}}",
            "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}\n{{#Extra}}<div class=\"extra\">{{Extra}}</div>{{/Extra}}",
        ),
        deck_id,
        secs,
    );
    let cloze = model_json(
        CLOZE_MODEL_ID,
        CLOZE_MODEL_NAME,
        1,
        &CLOZE_FIELDS,
        &template_json(
            "Cloze",
            "{{cloze:Text}}",
            "{{cloze:Text}}\n{{#Extra}}<div class=\"extra\">{{Extra}}</div>{{/Extra}}",
        ),
        deck_id,
        secs,
    );
    json!({
        BASIC_MODEL_ID.to_string(): basic,
        CLOZE_MODEL_ID.to_string(): cloze,
    })
}

fn deck_json(id: i64, name: &str, description: &str, secs: i64) -> Value {
    json!({
        "id": id,
        "name": name,
        "desc": description,
        "mod": secs,
        "usn": -1,
        "collapsed": false,
        "browserCollapsed": false,
        "dyn": 0,
        "conf": 1,
        "extendNew": 0,
        "extendRev": 0,
        "newToday": [0, 0],
        "revToday": [0, 0],
        "lrnToday": [0, 0],
        "timeToday": [0, 0],
    })
}

fn decks_json(deck: &Deck, deck_id: i64, secs: i64) -> Value {
    json!({
        "1": deck_json(1, "Default", "", secs),
        deck_id.to_string(): deck_json(
            deck_id,
            &deck.name,
            &escape(deck.description.as_deref().unwrap_or_default()),
            secs,
        ),
    })
}

/// The options group: Anki's defaults, with the deck's daily limits.
fn dconf_json(deck: &Deck, secs: i64) -> Value {
    let new_per_day = deck
        .new_per_day
        .unwrap_or(crate::session::DEFAULT_NEW_PER_DAY);
    let reviews_per_day = deck
        .reviews_per_day
        .unwrap_or(crate::session::DEFAULT_REVIEWS_PER_DAY);
    json!({
        "1": {
            "id": 1,
            "name": "Default",
            "mod": secs,
            "usn": -1,
            "maxTaken": 60,
            "autoplay": true,
            "timer": 0,
            "replayq": true,
            "dyn": false,
            "new": {
                "bury": false,
                "delays": [1.0, 10.0],
                "initialFactor": 2500,
                "ints": [1, 4, 0],
                "order": 1,
                "perDay": new_per_day,
            },
            "rev": {
                "bury": false,
                "ease4": 1.3,
                "ivlFct": 1.0,
                "maxIvl": deck.scheduling.maximum_interval_days,
                "perDay": reviews_per_day,
                "hardFactor": 1.2,
            },
            "lapse": {
                "delays": [10.0],
                "leechAction": 1,
                "leechFails": 8,
                "minInt": 1,
                "mult": 0.0,
            },
        }
    })
}

fn conf_json(deck_id: i64, secs: i64) -> Value {
    json!({
        "activeDecks": [deck_id],
        "curDeck": deck_id,
        "curModel": BASIC_MODEL_ID,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": true,
        "dueCounts": true,
        "addToCur": true,
        "sortType": "noteFld",
        "sortBackwards": false,
        "nextPos": 1,
        "schedVer": 2,
        "creationOffset": 0,
        "mod": secs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(cards: &str) -> Deck {
        crate::deck::load_str(&format!("id: t\nname: \"Test <deck>\"\ncards:\n{cards}"))
            .expect("test deck is valid")
    }

    fn now() -> Timestamp {
        "2026-01-15T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn text_is_escaped_in_every_field() {
        let d = deck(
            "  - {id: a, prompt: \"Is <b>this</b> & \\\"that\\\" bold?\", answer: \"x<y\", explanation: \"a\\nb\"}\n",
        );
        let c = collection(&d, now());
        let n = &c.notes[0];
        assert_eq!(n.model_id, BASIC_MODEL_ID);
        assert_eq!(
            n.fields[0],
            "Is &lt;b&gt;this&lt;/b&gt; &amp; &quot;that&quot; bold?"
        );
        assert_eq!(n.fields[1], "x&lt;y");
        assert_eq!(n.fields[2], "a<br>b");
        assert_eq!(n.fields[3], "t/a");
        assert_eq!(n.sort_field, "Is <b>this</b> & \"that\" bold?");
        assert!(!n.joined_fields().contains('\n'));
        assert_eq!(n.joined_fields().matches(FIELD_SEPARATOR).count(), 3);
    }

    #[test]
    fn a_cloze_card_with_one_blank_uses_the_cloze_notetype() {
        let d = deck(
            "  - {id: c, kind: cloze, prompt: It was founded at the ____ Congress., answer: Third}\n\
             \x20 - {id: d, kind: cloze, prompt: ___ and ___ met., answer: A and B}\n",
        );
        let c = collection(&d, now());
        assert_eq!(c.notes[0].model_id, CLOZE_MODEL_ID);
        assert_eq!(
            c.notes[0].fields[0],
            "It was founded at the {{c1::Third}} Congress."
        );
        // Two blanks: Anki's cloze cannot say "fill both with this": a Basic card.
        assert_eq!(c.notes[1].model_id, BASIC_MODEL_ID);
        assert_eq!(c.notes[1].fields[1], "A and B");
        // Cloze syntax in the text would be misread by Anki: a Basic card too.
        let d = deck("  - {id: e, kind: cloze, prompt: 'Use {{c2::x}} in ___.', answer: Anki}\n");
        let n = &collection(&d, now()).notes[0];
        assert_eq!(n.model_id, BASIC_MODEL_ID);
        assert_eq!(n.fields[0], "Use {{c2::x}} in ___.");
    }

    #[test]
    fn choices_are_lettered_and_the_back_names_the_letter() {
        let d = deck(
            "  - {id: q, prompt: Where?, choices: [Berlin, Vienna, Shanghai, London], answer: Berlin}\n",
        );
        let n = &collection(&d, now()).notes[0];
        let front = &n.fields[0];
        assert!(front.starts_with("Where?<ol class=\"options\" type=\"a\">"));
        for city in ["Berlin", "Vienna", "Shanghai", "London"] {
            assert_eq!(front.matches(&format!("<li>{city}</li>")).count(), 1);
        }
        // The letter on the back is Berlin's position on the front.
        let items: Vec<&str> = front.split("<li>").skip(1).collect();
        let at = items.iter().position(|i| i.starts_with("Berlin")).unwrap();
        assert_eq!(n.fields[1], format!("{}) Berlin", letter(at)));
    }

    #[test]
    fn ordering_is_never_shown_in_order_and_the_back_gives_the_letters() {
        let d =
            deck("  - {id: o, kind: ordering, prompt: Order them., items: [one, two, three]}\n");
        let n = &collection(&d, now()).notes[0];
        let shown: Vec<String> = n.fields[0]
            .split("<li>")
            .skip(1)
            .map(|i| i.split('<').next().unwrap().to_owned())
            .collect();
        assert_ne!(shown, ["one", "two", "three"]);
        let letters: Vec<usize> = n.fields[1]
            .split("</div>")
            .next()
            .unwrap()
            .trim_start_matches("<div class=\"letters\">")
            .split(' ')
            .map(|l| usize::from(l.as_bytes()[0] - b'a'))
            .collect();
        let answered: Vec<&str> = letters.iter().map(|&i| shown[i].as_str()).collect();
        assert_eq!(answered, ["one", "two", "three"]);
    }

    #[test]
    fn truefalse_backs_say_true_or_false() {
        let d = deck(
            "  - {id: t, kind: truefalse, prompt: The sky is green., answer: false}\n\
             \x20 - {id: u, kind: truefalse, prompt: \"True or false: water is wet.\", answer: true}\n",
        );
        let c = collection(&d, now());
        assert!(c.notes[0].fields[0].contains("True or false?"));
        assert_eq!(c.notes[0].fields[1], "False");
        assert!(!c.notes[1].fields[0].contains("<div"));
        assert_eq!(c.notes[1].fields[1], "True");
    }

    #[test]
    fn guids_depend_on_deck_and_card_ids_only() {
        assert_eq!(guid("oms", "a"), guid("oms", "a"));
        assert_ne!(guid("oms", "a"), guid("oms", "b"));
        assert_ne!(guid("oms", "a"), guid("other", "a"));
        assert_eq!(guid("oms", "a").len(), 11);
        let a = deck("  - {id: a, prompt: One?, answer: '1'}\n");
        let b = deck("  - {id: a, prompt: 'One, reworded?', answer: '1'}\n");
        let later: Timestamp = "2026-02-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            collection(&a, now()).notes[0].guid,
            collection(&b, later).notes[0].guid
        );
    }

    #[test]
    fn checksum_is_the_first_32_bits_of_sha1() {
        // SHA-1("abc") = a9993e36...
        assert_eq!(checksum("abc"), 0xa999_3e36);
    }

    #[test]
    fn tags_have_no_spaces_and_name_the_kind() {
        let d = deck("  - {id: a, prompt: One?, answer: '1', tags: [big deal, x]}\n");
        assert_eq!(
            collection(&d, now()).notes[0].tags,
            " big_deal factdrill::recall x "
        );
    }

    #[test]
    fn json_columns_parse_and_name_the_deck() {
        let d = deck("  - {id: a, prompt: One?, answer: '1'}\n");
        let c = collection(&d, now());
        let decks: Value = serde_json::from_str(&c.decks).unwrap();
        assert_eq!(decks[c.deck_id.to_string()]["name"], "Test <deck>");
        let models: Value = serde_json::from_str(&c.models).unwrap();
        assert_eq!(
            models[BASIC_MODEL_ID.to_string()]["flds"][1]["name"],
            "Back"
        );
        assert_eq!(models[CLOZE_MODEL_ID.to_string()]["type"], 1);
        let _: Value = serde_json::from_str(&c.dconf).unwrap();
        let _: Value = serde_json::from_str(&c.conf).unwrap();
    }
}
