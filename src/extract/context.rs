//! What the reader remembers while reading: the article's topic, the section, the region a
//! paragraph is about ("In Germany, ..."), the previous sentence's subject (for "it"), the
//! people named so far (so "Piatnitsky" resolves to "Osip Piatnitsky"), and the last head
//! found (for "Next was ...", "Succeeding him was ..."). Also the per-sentence view the
//! pattern rules share: tokens, subject, quoted stretches and date expressions.

use super::time::{self, Found};
use super::token::{Name, Tok, name_at, tokenize};

/// Words that name an organisation or part of one rather than a person.
const ORG_WORDS: &[&str] = &[
    "department",
    "committee",
    "section",
    "party",
    "service",
    "services",
    "office",
    "commission",
    "bureau",
    "agency",
    "society",
    "company",
    "association",
    "league",
    "union",
    "council",
    "institute",
    "school",
    "army",
    "group",
    "organization",
    "organisation",
    "ministry",
    "church",
    "club",
    "corporation",
    "congress",
    "international",
    "front",
    "brigade",
    "movement",
    "foundation",
    "university",
    "college",
    "academy",
    "board",
    "directorate",
    "police",
    "yard",
    "navy",
    "court",
    "parliament",
    "assembly",
    "trust",
    "bank",
    "guild",
    "order",
    "branch",
    "network",
    "apparatus",
    "affair",
    "affairs",
    "case",
    "library",
    "museum",
    "hospital",
    "railway",
    "press",
    "verlag",
    "publishers",
    "review",
    "times",
    "government",
    "republic",
    "kingdom",
    "empire",
    "state",
    "states",
    "city",
    "world",
    "war",
    "revolution",
    "secretariat",
    "cheka",
    "intelligence",
    "communications",
    "headquarters",
    "lodge",
    "house",
    "hall",
];

/// `ORG_WORDS` as a set: `org_like` runs for nearly every name.
fn org_words() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| ORG_WORDS.iter().copied().collect())
}

/// Verbs that report what someone said: what follows is a claim, and a leading date is when
/// it was said, not when something happened.
pub const REPORTING: &[&str] = &[
    "stated",
    "states",
    "said",
    "says",
    "wrote",
    "writes",
    "noted",
    "notes",
    "described",
    "describes",
    "called",
    "calls",
    "speculated",
    "argued",
    "argues",
    "claimed",
    "claims",
    "mentioned",
    "mentions",
    "observed",
    "remarked",
    "recalled",
    "recalls",
    "suggested",
    "suggests",
    "asserted",
    "believed",
    "reported",
    "reports",
    "explained",
    "concluded",
    "referred",
    "refers",
];

/// Main verbs that end a sentence's subject.
const VERBS: &[&str] = &[
    "was",
    "were",
    "is",
    "are",
    "has",
    "had",
    "have",
    "became",
    "becomes",
    "lay",
    "lies",
    "resided",
    "stood",
    "remained",
    "began",
    "moved",
    "received",
    "hurt",
    "served",
    "went",
    "came",
    "led",
    "made",
    "took",
    "gave",
    "sent",
    "held",
    "met",
    "grew",
    "fell",
    "won",
    "lost",
    "left",
    "ran",
    "set",
    "may",
    "might",
    "could",
    "would",
    "will",
    "can",
    "did",
    "does",
    "maintained",
    "formed",
    "arrived",
    "worked",
    "sought",
    "supported",
    "undertook",
];

/// Whether a name reads as an organisation (or a thing), not a person.
pub fn org_like(name: &str) -> bool {
    let mut count = 0;
    for w in name.split_whitespace() {
        count += 1;
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if count > 4 || w.eq_ignore_ascii_case("of") || w.eq_ignore_ascii_case("the") {
            return true;
        }
        let mut buf = [0u8; 24];
        if super::token::lower(w, &mut buf).is_some_and(|l| org_words().contains(l)) {
            return true;
        }
    }
    count == 1
        && name.chars().count() >= 2
        && name.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// A plausible person's name: one to five capitalised words, not an organisation.
pub fn person_like(name: &str) -> bool {
    let words = name.split_whitespace().count();
    let pronoun = [
        "it", "its", "he", "him", "his", "she", "her", "they", "them", "this", "there",
    ]
    .iter()
    .any(|p| name.eq_ignore_ascii_case(p));
    (1..=5).contains(&words) && !pronoun && !org_like(name)
}

/// The reader's memory across sentences.
#[derive(Debug, Default)]
pub struct Context {
    pub topic: Option<String>,
    pub section: Option<String>,
    /// The region the current paragraph is about.
    pub region: Option<String>,
    /// The previous sentence's subject, if it was a thing (for "it" and "its").
    pub last_subject: Option<String>,
    /// The last person named (for "he", "him", "she", "her").
    pub last_person: Option<String>,
    /// Full names seen so far with their folded surnames, most recent last.
    people: Vec<(String, String)>,
    /// Index into the fact list of the last head fact in this paragraph.
    pub last_head: Option<usize>,
    /// Whether the paragraph is inside a quotation at the current sentence.
    pub in_quote: bool,
    /// The location subject of the paragraph's last location fact (for "its address").
    pub last_place_subject: Option<String>,
}

/// People remembered for surname resolution; bounded so a huge input stays linear.
const MAX_PEOPLE: usize = 512;

impl Context {
    pub fn start_paragraph(&mut self, section: Option<&str>) {
        self.section = section.map(str::to_owned);
        self.region = None;
        self.last_subject = None;
        self.last_head = None;
        self.in_quote = false;
        self.last_place_subject = None;
    }

    /// A person's full name: a lone surname (or a longer form's tail) resolves to the most
    /// recent full name ending with it.
    pub fn person(&self, name: &str) -> String {
        let name = name.trim();
        if name.split_whitespace().count() == 1 {
            let folded = crate::facts::fold(name);
            if let Some((full, _)) = self.people.iter().rev().find(|(_, last)| *last == folded) {
                return full.clone();
            }
        }
        name.to_owned()
    }

    /// Remembers a person's full name.
    pub fn meet(&mut self, name: &str) {
        if name.split_whitespace().count() >= 2 && person_like(name) {
            if self.people.last().is_some_and(|(p, _)| p == name) {
                return;
            }
            self.people.retain(|(p, _)| p != name);
            if self.people.len() >= MAX_PEOPLE {
                self.people.remove(0);
            }
            let last = name.rsplit(' ').next().unwrap_or(name);
            self.people
                .push((name.to_owned(), crate::facts::fold(last)));
        }
    }

    /// What "it"/"its"/"the organisation" refers to: the previous thing-subject, else the topic.
    pub fn it(&self) -> Option<String> {
        self.last_subject.clone().or_else(|| self.topic.clone())
    }

    /// A noun phrase with pronouns resolved and a leading "the" dropped.
    pub fn resolve(&self, np: &str) -> Option<String> {
        let np = np.trim();
        let lower = np.to_lowercase();
        if matches!(
            lower.as_str(),
            "it" | "its" | "this" | "the organization" | "the organisation"
        ) {
            return self.it();
        }
        if matches!(lower.as_str(), "he" | "him" | "she" | "her" | "his") {
            return self.last_person.clone();
        }
        let np = np
            .strip_prefix("The ")
            .or_else(|| np.strip_prefix("the "))
            .unwrap_or(np);
        (!np.is_empty()).then(|| np.to_owned())
    }
}

/// One sentence as the rules see it.
pub struct Sent<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok<'a>>,
    /// Per token: inside double quotes.
    pub quoted: Vec<bool>,
    /// Per token: inside parentheses.
    pub paren: Vec<bool>,
    /// Date expressions (all, including quoted ones).
    pub dates: Vec<Found>,
    /// Token index where the main clause starts (after "In Germany," or "In 1923,").
    pub clause: usize,
    /// Token range of the main clause's subject.
    pub subject: (usize, usize),
    /// Whether the sentence reports what someone said.
    pub reporting: Option<usize>,
    /// `np_text` of the subject, computed once.
    subject_np: String,
    /// The unquoted person-style name phrases, left to right, not overlapping.
    pub names: Vec<Name>,
}

impl<'a> Sent<'a> {
    pub fn new(text: &'a str, starts_quoted: bool) -> Self {
        let toks = tokenize(text);
        let mut quoted = Vec::with_capacity(toks.len());
        let mut paren = Vec::with_capacity(toks.len());
        let mut q = starts_quoted;
        let mut depth = 0usize;
        for (i, t) in toks.iter().enumerate() {
            // A sentence wholly in brackets is read as if it were not.
            if i == 0 && t.text == "(" {
                quoted.push(q);
                paren.push(false);
                continue;
            }
            match t.text {
                "\"" => {
                    q = !q;
                    quoted.push(true);
                }
                _ => quoted.push(q),
            }
            if t.text == "(" {
                depth += 1;
            }
            paren.push(depth > 0);
            if t.text == ")" {
                depth = depth.saturating_sub(1);
            }
        }
        let dates = time::find(&toks);
        let clause = clause_start(&toks, &dates);
        let clause = if toks.first().is_some_and(|t| t.text == "(") && clause == 0 {
            1
        } else {
            clause
        };
        let subject = subject_range(&toks, clause);
        // Only the date rules ask, and only when there is a date.
        let reporting = if dates.is_empty() {
            None
        } else {
            toks.iter()
                .enumerate()
                .position(|(i, t)| !quoted[i] && t.is_any(REPORTING))
        };
        let mut sent = Self {
            text,
            toks,
            quoted,
            paren,
            dates,
            clause,
            subject,
            reporting,
            subject_np: String::new(),
            names: Vec::new(),
        };
        sent.subject_np = sent.np_text(subject.0, subject.1);
        let mut i = 0;
        while i < sent.toks.len() {
            match name_at(&sent.toks, i, false) {
                Some(n) if !n.quoted() && n.first == i => {
                    sent.names.push(n);
                    i = n.end.max(i + 1);
                }
                _ => i += 1,
            }
        }
        sent
    }

    /// Whether the quote state flips across the sentence (an odd number of quote marks).
    pub fn toggles_quote(&self) -> bool {
        self.toks.iter().filter(|t| t.text == "\"").count() % 2 == 1
    }

    /// The text of tokens `[a, b)`.
    pub fn span(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.toks.len() {
            return "";
        }
        self.text
            .get(self.toks[a].start..self.toks[b - 1].end)
            .unwrap_or("")
    }

    pub fn name_text(&self, n: &Name) -> &'a str {
        n.text(self.text, &self.toks)
    }

    /// The subject as a clean noun phrase: "The OMS's international headquarters" ->
    /// "OMS international headquarters".
    pub fn subject_text(&self) -> String {
        self.subject_np.clone()
    }

    /// Tokens `[a, b)` as a noun phrase: quotes, possessive marks, dates (with their
    /// preposition) and a leading determiner or subordinator dropped.
    pub fn np_text(&self, a: usize, b: usize) -> String {
        let in_date = |i: usize| {
            self.dates
                .iter()
                .any(|d| i >= d.first.saturating_sub(usize::from(d.lead.is_some())) && i < d.end)
        };
        let mut a = a;
        while a < b
            && self.toks[a].is_any(&[
                "when", "while", "after", "as", "because", "although", "once",
            ])
        {
            a += 1;
        }
        let words: Vec<&str> = (a..b.min(self.toks.len()))
            .filter(|&i| !in_date(i))
            .map(|i| self.toks[i].text)
            .filter(|t| *t != "'s" && *t != "\"")
            .collect();
        let mut text = words.join(" ");
        for det in ["The ", "the ", "A ", "An "] {
            if let Some(rest) = text.strip_prefix(det) {
                text = rest.to_owned();
            }
        }
        text
    }

    /// The name phrase at token `i`.
    pub fn name_at(&self, i: usize, orgs: bool) -> Option<Name> {
        name_at(&self.toks, i, orgs)
    }
}

/// Leading adverbials end at the first comma: "In Germany, ...", "In April 1927, ...".
fn clause_start(toks: &[Tok<'_>], dates: &[Found]) -> usize {
    let lead = toks.first().is_some_and(|t| {
        t.is_any(&[
            "in",
            "during",
            "by",
            "after",
            "before",
            "on",
            "from",
            "between",
            "since",
            "over",
            "under",
            "while",
            "when",
            "as",
            "at",
            "around",
            "following",
            "throughout",
        ])
    });
    // "In 1710 the society moved ...": a leading date without a comma.
    if lead
        && let Some(d) = dates.first().filter(|d| d.first <= 1)
        && toks
            .get(d.end)
            .is_some_and(|t| t.is_word() && !t.is_any(&["and", "or"]))
    {
        return d.end;
    }
    if lead && let Some(comma) = toks.iter().take(12).position(|t| t.text == ",") {
        return comma + 1;
    }
    0
}

/// The subject: from the clause start to the main verb (at most 10 tokens), skipping a
/// parenthesis or an appositive between commas.
pub fn subject_range(toks: &[Tok<'_>], clause: usize) -> (usize, usize) {
    let mut end = clause;
    let mut depth = 0usize;
    while end < toks.len() && end < clause + 10 {
        let t = &toks[end];
        if t.text == "(" {
            depth += 1;
        } else if t.text == ")" {
            depth = depth.saturating_sub(1);
        } else if depth == 0 {
            let verb = t.is_any(VERBS)
                || (end > clause
                    && !t.is_cap()
                    && t.text.len() > 4
                    && t.text.ends_with("ed")
                    && t.is_word());
            if verb || matches!(t.text, "," | ";" | ":" | ".") {
                break;
            }
        }
        end += 1;
    }
    // Drop a trailing parenthesis from the subject.
    let mut b = end;
    if let Some(open) = toks[clause..b].iter().position(|t| t.text == "(") {
        b = clause + open;
    }
    (clause, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn subject(s: &str, expected: &str) {
        assert_eq!(Sent::new(s, false).subject_text(), expected);
    }

    #[test]
    fn subjects_skip_leading_adverbials() {
        subject("In 1923, the group received direction.", "group");
        subject(
            "The Society's main office lay in Bath.",
            "Society main office",
        );
        subject(
            "In April 1927, the city police raided the office.",
            "city police",
        );
        subject("Ann Example (1901-1980) was born here.", "Ann Example");
        subject("It was founded in 1921.", "It");
    }

    #[test]
    fn people_resolve_by_surname() {
        let mut ctx = Context::default();
        ctx.meet("Ann Example");
        ctx.meet("Department of Things");
        assert_eq!(ctx.person("Example"), "Ann Example");
        assert_eq!(ctx.person("Other"), "Other");
        assert_eq!(ctx.person("Department"), "Department");
    }

    #[test]
    fn org_and_person_names() {
        assert!(org_like("International Liaison Department"));
        assert!(org_like("ECCI"));
        assert!(person_like("Mirov-Abramov"));
        assert!(person_like("Solomon Vladimirovich Mikhelson-Manuilov"));
        assert!(!person_like("Third Congress of the Comintern"));
    }

    #[test]
    fn pronouns_resolve_to_the_last_thing_or_the_topic() {
        let mut ctx = Context {
            topic: Some("Society".into()),
            ..Context::default()
        };
        assert_eq!(ctx.resolve("it").as_deref(), Some("Society"));
        ctx.last_subject = Some("Society school".into());
        assert_eq!(ctx.resolve("It").as_deref(), Some("Society school"));
        assert_eq!(ctx.resolve("the Club").as_deref(), Some("Club"));
    }
}
