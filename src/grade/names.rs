//! Names as the grader sees them: a display spelling, its normalised form and skeleton,
//! whether it looks like a person's name (and then its surname), and the shorter forms a
//! learner may type for it. Also the edit-distance rules shared by every matcher.

use super::normalize::normalize;
use super::translit::word_skeleton;

/// Strings longer than this (in bytes of skeleton) are never edit-distanced: the work is
/// quadratic, and no real answer is that long.
pub const MAX_EDIT_LEN: usize = 200;

/// Lowercase words that may start a surname ("Ludwig van Beethoven").
const PARTICLES: [&str; 14] = [
    "van", "von", "der", "den", "de", "la", "le", "di", "da", "du", "del", "ten", "ter", "bin",
];

/// Last words that make a capitalised phrase an organisation or place, not a person, so that
/// "Lenin School" never accepts "School" alone.
const NOT_SURNAMES: [&str; 48] = [
    "academy",
    "affair",
    "affairs",
    "agency",
    "army",
    "association",
    "bank",
    "brigade",
    "bureau",
    "case",
    "church",
    "city",
    "college",
    "commission",
    "committee",
    "company",
    "conference",
    "congress",
    "council",
    "court",
    "department",
    "empire",
    "federation",
    "front",
    "group",
    "hotel",
    "institute",
    "international",
    "island",
    "kingdom",
    "league",
    "liaison",
    "ministry",
    "movement",
    "office",
    "party",
    "police",
    "press",
    "republic",
    "river",
    "school",
    "section",
    "service",
    "square",
    "street",
    "treaty",
    "union",
    "university",
];

/// A name (or any short answer) prepared for comparison.
#[derive(Debug, Clone)]
pub struct Name {
    /// As written in the deck, for explanations.
    pub display: String,
    pub norm: String,
    pub skel: String,
    /// Skeleton of each normalised word.
    pub word_skels: Vec<String>,
    /// Number of trailing words that form the surname, when the name looks like a person's.
    pub surname_words: Option<usize>,
    /// Digit tokens of the normalised form, sorted: numbers are never typo-tolerated.
    pub numbers: Vec<String>,
}

/// How a form relates to the full name it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// The name as written.
    Full,
    /// First name and surname, middle names and patronymic left out.
    Short,
    /// Initial and surname ("O. Piatnitsky"): no typo tolerance, or a typo could drop the
    /// initial and pass off the surname alone when the full name is required.
    Initial,
    /// The surname alone.
    Surname,
}

/// One spelling the learner may type for a name.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub skel: String,
    pub norm: String,
}

impl Name {
    pub fn parse(display: &str) -> Self {
        let norm = normalize(display);
        let word_skels: Vec<String> = norm.split(' ').map(word_skeleton).collect();
        let skel = word_skels.concat();
        let mut numbers: Vec<String> = norm
            .split(' ')
            .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
        numbers.sort_unstable();
        let surname_words =
            person_surname_words(display).filter(|&k| k < word_skels.len() && !norm.is_empty());
        Self {
            display: display.trim().to_owned(),
            norm,
            skel,
            word_skels,
            surname_words,
            numbers,
        }
    }

    pub fn is_person(&self) -> bool {
        self.surname_words.is_some()
    }

    /// Skeleton of the surname, for names that look like a person's.
    pub fn surname_skel(&self) -> Option<String> {
        let k = self.surname_words?;
        Some(self.word_skels[self.word_skels.len() - k..].concat())
    }

    fn surname_norm(&self) -> Option<String> {
        let k = self.surname_words?;
        let words: Vec<&str> = self.norm.split(' ').collect();
        Some(words[words.len() - k..].join(" "))
    }

    /// Initial of the given name (on the skeleton, so Jacob and Yakov agree).
    fn initial(&self) -> Option<u8> {
        self.surname_words?;
        self.word_skels.first()?.bytes().next()
    }

    /// The spellings accepted for this name: the full name; for people also first name and
    /// surname, initial and surname, and (when `surname_alone`) the surname alone.
    pub fn forms(&self, surname_alone: bool) -> Vec<Form> {
        let mut forms = vec![Form {
            kind: FormKind::Full,
            skel: self.skel.clone(),
            norm: self.norm.clone(),
        }];
        let (Some(k), Some(surname), Some(surname_norm)) =
            (self.surname_words, self.surname_skel(), self.surname_norm())
        else {
            return forms;
        };
        let first_norm = self.norm.split(' ').next().unwrap_or_default();
        let first_skel = &self.word_skels[0];
        if self.word_skels.len() > k + 1 {
            forms.push(Form {
                kind: FormKind::Short,
                skel: format!("{first_skel}{surname}"),
                norm: format!("{first_norm} {surname_norm}"),
            });
        }
        if first_norm.len() > 1
            && let Some(initial) = first_norm.chars().next()
        {
            forms.push(Form {
                kind: FormKind::Initial,
                skel: format!("{}{surname}", word_skeleton(&initial.to_string())),
                norm: format!("{initial} {surname_norm}"),
            });
        }
        if surname_alone {
            forms.push(Form {
                kind: FormKind::Surname,
                skel: surname,
                norm: surname_norm,
            });
        }
        forms
    }

    /// Whether typed words are this person's given name, any middle names and the surname
    /// ("Osip Aronovich Piatnitsky" for "Osip Piatnitsky"): middle names are not checked.
    pub fn with_middle_names(&self, typed_word_skels: &[String]) -> bool {
        let Some(k) = self.surname_words else {
            return false;
        };
        let n = typed_word_skels.len();
        n > self.word_skels.len()
            && n <= self.word_skels.len() + 2
            && typed_word_skels[0] == self.word_skels[0]
            && typed_word_skels[n - k..] == self.word_skels[self.word_skels.len() - k..]
    }

    /// The share of this name's words the typed words give, when every typed word is one of
    /// them ("Osip" for "Osip Piatnitsky" is 1/2); `None` when any typed word is foreign.
    pub fn word_share(&self, typed_word_skels: &[String]) -> Option<f64> {
        if typed_word_skels.is_empty() || self.word_skels.len() < 2 {
            return None;
        }
        let mut used = vec![false; self.word_skels.len()];
        for typed in typed_word_skels {
            let slot = self
                .word_skels
                .iter()
                .enumerate()
                .position(|(i, w)| !used[i] && w == typed)?;
            used[slot] = true;
        }
        let hits = used.iter().filter(|&&u| u).count();
        Some(hits as f64 / self.word_skels.len() as f64)
    }
}

/// Whether two names denote the same entity: same skeleton, a bare surname and a full name
/// with that surname, or two people with the same surname and given-name initial
/// ("O. Piatnitsky" and "Osip Piatnitsky").
pub fn same_entity(a: &Name, b: &Name) -> bool {
    if a.skel == b.skel {
        return true;
    }
    match (a.surname_skel(), b.surname_skel()) {
        (Some(sa), Some(sb)) => sa == sb && a.initial() == b.initial(),
        (Some(sa), None) => sa == b.skel,
        (None, Some(sb)) => sb == a.skel,
        (None, None) => false,
    }
}

/// Edits tolerated in an answer whose skeleton has `len` letters: none for very short
/// answers, where one edit makes another word.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        8..=12 => 2,
        _ => 3,
    }
}

/// Edits between a typed name and a form, when within the form's typo budget: the smaller
/// of the distance between skeletons and between normalised spellings, so that a typo in a
/// letter the skeleton merges ("Piatnitksy") still counts as one.
pub fn typo_distance(typed: &Name, form: &Form) -> Option<usize> {
    if form.kind == FormKind::Initial {
        return None;
    }
    let budget = typo_budget(form.skel.len());
    let on_skel = distance_within(&typed.skel, &form.skel, budget);
    let on_norm = distance_within(&typed.norm, &form.norm, budget);
    match (on_skel, on_norm) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Damerau-Levenshtein distance when it is at most `max`; `None` when it is larger or the
/// strings are too long to compare.
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.len() > MAX_EDIT_LEN || b.len() > MAX_EDIT_LEN || a.len().abs_diff(b.len()) > max {
        return None;
    }
    let d = strsim::damerau_levenshtein(a, b);
    (d <= max).then_some(d)
}

/// The number of trailing words of `display` that form a surname, when `display` looks like
/// a person's name: two to five capitalised words (particles and initials allowed), no
/// digits, not an acronym, not ending in an organisation or place word.
fn person_surname_words(display: &str) -> Option<usize> {
    let words: Vec<&str> = display.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || display.chars().any(char::is_numeric) {
        return None;
    }
    let capitalised = |w: &str| {
        w.trim_start_matches(|c: char| !c.is_alphabetic())
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    let acronym =
        |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() > 1 && w == w.to_uppercase();
    let mut surname_start = words.len() - 1;
    while surname_start > 1 && PARTICLES.contains(&words[surname_start - 1]) {
        surname_start -= 1;
    }
    for (i, w) in words.iter().enumerate() {
        let particle = i >= surname_start && PARTICLES.contains(w);
        if !(particle || capitalised(w)) || acronym(w) {
            return None;
        }
    }
    let last = normalize(words[words.len() - 1]);
    if NOT_SURNAMES.contains(&last.as_str()) {
        return None;
    }
    let surname = normalize(&words[surname_start..].join(" "));
    Some(surname.split(' ').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn surname(display: &str, expected: Option<&str>) {
        let name = Name::parse(display);
        let got = name.surname_words.map(|k| {
            let words: Vec<&str> = name.norm.split(' ').collect();
            words[words.len() - k..].join(" ")
        });
        assert_eq!(got.as_deref(), expected, "surname of {display:?}");
    }

    #[test]
    fn people_have_surnames_and_institutions_do_not() {
        surname("Osip Piatnitsky", Some("piatnitsky"));
        surname("Jacob Mirov-Abramov", Some("mirov abramov"));
        surname(
            "Solomon Vladimirovich Mikhelson-Manuilov",
            Some("mikhelson manuilov"),
        );
        surname("Ludwig van Beethoven", Some("van beethoven"));
        surname("J. Peters", Some("peters"));
        surname("Piatnitsky", None);
        surname("Lenin School", None);
        surname("International Liaison Department", None);
        surname("OMS GRU", None);
        surname("Kuntsevo near Moscow", None);
        surname("131-132 Wilhelmstrasse", None);
    }

    #[test]
    fn forms_of_a_person() {
        let name = Name::parse("Solomon Vladimirovich Mikhelson-Manuilov");
        let norms: Vec<String> = name.forms(true).into_iter().map(|f| f.norm).collect();
        assert_eq!(
            norms,
            [
                "solomon vladimirovich mikhelson manuilov",
                "solomon mikhelson manuilov",
                "s mikhelson manuilov",
                "mikhelson manuilov"
            ]
        );
        assert_eq!(name.forms(false).len(), 3);
    }

    #[test]
    fn same_entity_links_spellings_of_one_person() {
        let same = |a: &str, b: &str| same_entity(&Name::parse(a), &Name::parse(b));
        assert!(same("Osip Piatnitsky", "O. Piatnitsky"));
        assert!(same("Osip Piatnitsky", "Piatnitsky"));
        assert!(same("Jacob Rudnik", "Jakob Rudnik"));
        assert!(!same("Aino Kuusinen", "Otto Wille Kuusinen"));
        assert!(!same("Mikhail Trilisser", "Osip Piatnitsky"));
    }

    #[test]
    fn budget_grows_with_length_and_distance_is_bounded() {
        assert_eq!(typo_budget(4), 0);
        assert_eq!(typo_budget(9), 2);
        assert_eq!(distance_within("piatnizki", "piatniski", 2), Some(1));
        assert_eq!(distance_within("piatnizki", "piatnski", 2), Some(2));
        assert_eq!(distance_within("piatnizki", "triliser", 2), None);
        let long = "a".repeat(MAX_EDIT_LEN + 1);
        assert_eq!(distance_within(&long, &long, 3), None);
    }
}
