//! Answer grading: typed text against a card's answer. Pure, no I/O.
//!
//! This is the first grader: exact match after case, whitespace and punctuation
//! normalisation; accepted alternatives; choices by letter, number or text.

use crate::deck::{Card, Kind};
use crate::schedule::Rating;

/// How an answer was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Correct,
    Close,
    Partial,
    Wrong,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Close => "close",
            Verdict::Partial => "partial",
            Verdict::Wrong => "wrong",
        }
    }

    /// Right enough to count as remembered.
    pub fn passed(self) -> bool {
        matches!(self, Verdict::Correct | Verdict::Close)
    }
}

/// A verdict with a short explanation for the learner.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub verdict: Verdict,
    pub explanation: String,
    /// 0 (wrong) to 1 (right).
    pub score: f64,
}

impl Grade {
    /// The rating Enter accepts: wrong -> Again, close/partial -> Hard, correct -> Good.
    /// Easy is only ever the learner's own choice.
    pub fn suggested_rating(&self) -> Rating {
        match self.verdict {
            Verdict::Correct => Rating::Good,
            Verdict::Close | Verdict::Partial => Rating::Hard,
            Verdict::Wrong => Rating::Again,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GradeOptions {
    /// Exact match after normalisation only.
    pub strict: bool,
    /// Accept a person's surname alone.
    pub surname_alone: bool,
}

impl Default for GradeOptions {
    fn default() -> Self {
        Self {
            strict: false,
            surname_alone: true,
        }
    }
}

/// Grades answers for one session.
#[derive(Debug, Clone, Default)]
pub struct Grader {
    options: GradeOptions,
}

impl Grader {
    pub fn new(
        _entities: impl IntoIterator<Item = String>,
        _aliases: Vec<Vec<String>>,
        options: GradeOptions,
    ) -> Self {
        Self { options }
    }

    pub fn from_cards(_cards: &[Card], options: GradeOptions) -> Self {
        Self { options }
    }

    /// Grades `typed` for `card`; `choices_shown` is the choice list in the order shown.
    pub fn grade(&self, card: &Card, choices_shown: &[String], typed: &str) -> Grade {
        let _ = self.options;
        let typed = typed.trim();
        if typed.is_empty() {
            return wrong("no answer".to_owned());
        }
        let typed = match card.kind {
            Kind::Choice => pick_choice(choices_shown, typed).unwrap_or(typed),
            Kind::Recall => typed,
        };
        let wanted = normalize(typed);
        let accepted = std::iter::once(&card.answer).chain(&card.accept);
        if accepted.into_iter().any(|a| normalize(a) == wanted) {
            Grade {
                verdict: Verdict::Correct,
                explanation: "correct".to_owned(),
                score: 1.0,
            }
        } else {
            wrong(format!("you wrote {typed}"))
        }
    }
}

fn wrong(explanation: String) -> Grade {
    Grade {
        verdict: Verdict::Wrong,
        explanation,
        score: 0.0,
    }
}

/// A choice picked by letter (`b`), number (`2`) or its text.
fn pick_choice<'a>(choices: &'a [String], typed: &str) -> Option<&'a str> {
    let lower = typed.to_lowercase();
    let mut chars = lower.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_lowercase()
    {
        return choices.get((c as u8 - b'a') as usize).map(String::as_str);
    }
    if let Ok(n) = lower.parse::<usize>() {
        return n
            .checked_sub(1)
            .and_then(|i| choices.get(i))
            .map(String::as_str);
    }
    None
}

/// Lower case, punctuation dropped, whitespace collapsed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '\''))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(
            word.chars()
                .filter(|c| *c != '\'')
                .flat_map(char::to_lowercase),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Id;

    fn card(kind: Kind, answer: &str, accept: &[&str], choices: &[&str]) -> Card {
        Card {
            id: Id::parse("c").unwrap(),
            kind,
            prompt: "?".into(),
            answer: answer.into(),
            accept: accept.iter().map(|s| (*s).to_owned()).collect(),
            choices: choices.iter().map(|s| (*s).to_owned()).collect(),
            explanation: None,
            source: None,
            tags: vec![],
            line: 1,
        }
    }

    #[track_caller]
    fn case(card: &Card, typed: &str, verdict: Verdict) {
        let grader = Grader::default();
        assert_eq!(
            grader.grade(card, &card.choices, typed).verdict,
            verdict,
            "{typed:?}"
        );
    }

    #[test]
    fn recall_is_exact_after_normalisation() {
        let c = card(Kind::Recall, "Osip Piatnitsky", &["Piatnitsky"], &[]);
        case(&c, "Osip Piatnitsky", Verdict::Correct);
        case(&c, "  osip   PIATNITSKY. ", Verdict::Correct);
        case(&c, "piatnitsky", Verdict::Correct);
        case(&c, "Trilisser", Verdict::Wrong);
        case(&c, "", Verdict::Wrong);
    }

    #[test]
    fn choices_by_letter_number_or_text() {
        let c = card(Kind::Choice, "Berlin", &[], &["Moscow", "Berlin", "Vienna"]);
        case(&c, "b", Verdict::Correct);
        case(&c, "B", Verdict::Correct);
        case(&c, "2", Verdict::Correct);
        case(&c, "berlin", Verdict::Correct);
        case(&c, "a", Verdict::Wrong);
        case(&c, "9", Verdict::Wrong);
    }

    #[test]
    fn suggested_rating_follows_verdict() {
        let g = |verdict| Grade {
            verdict,
            explanation: String::new(),
            score: 0.0,
        };
        assert_eq!(g(Verdict::Correct).suggested_rating(), Rating::Good);
        assert_eq!(g(Verdict::Close).suggested_rating(), Rating::Hard);
        assert_eq!(g(Verdict::Wrong).suggested_rating(), Rating::Again);
    }
}
