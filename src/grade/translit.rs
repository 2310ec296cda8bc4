//! Transliteration skeletons: one key per name that the common romanisations of the same
//! name share ("Piatnitsky", "Pyatnitsky", "Pjatnizki", "Пятницкий" -> `piatnizki`).
//!
//! Works on normalised text (ASCII, lowercase, single spaces). A skeleton is for comparing
//! only, never for display. The rules are deliberately few and symmetric; what they miss,
//! typo tolerance catches, and what they conflate, the known-entity check guards.

/// Rewrites applied in order to each word. Earlier rules see the original spelling.
const REWRITES: [(&str, &str); 10] = [
    ("sch", "sh"),
    ("kh", "h"),
    ("ch", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("tz", "z"),
    ("ts", "z"),
    ("q", "k"),
];

/// The skeleton of one word (see the module docs). A phrase's skeleton is its words'
/// skeletons joined without spaces, so that "Mirov Abramov" and "Mirovabramov" meet.
pub fn word_skeleton(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return word.to_owned();
    }
    let mut w = word.to_owned();
    // "Raskolnikoff" = "Raskolnikov" (w -> v comes below).
    if let Some(stem) = w.strip_suffix("off") {
        w = format!("{stem}ov");
    }
    // Polish -cki is -tski (Piatnicki = Piatnitsky); "ck" is "k" everywhere else.
    for ending in ["cki", "cky"] {
        if let Some(stem) = w.strip_suffix(ending) {
            w = format!("{stem}tski");
        }
    }
    for (from, to) in REWRITES {
        if w.contains(from) {
            w = w.replace(from, to);
        }
    }
    let mut out = String::with_capacity(w.len());
    let bytes = w.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let c = match b {
            // y/j/i: Yakov, Jakov, Iakov; -sky, -ski, -skij, -skii.
            b'y' | b'j' => b'i',
            // c before a front vowel is "ts" in Slavic and German spellings (Piatnicki),
            // elsewhere "k" (Jacob = Jakob).
            b'c' => match bytes.get(i + 1) {
                Some(b'e' | b'i' | b'y') => b'z',
                _ => b'k',
            },
            other => other,
        };
        // Double letters: Trilisser = Triliser; also collapses the "ii" of -skii.
        if out.as_bytes().last() != Some(&c) {
            out.push(char::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::normalize;

    fn skeleton(normalized: &str) -> String {
        normalized.split(' ').map(word_skeleton).collect()
    }

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(
            skeleton(&normalize(a)),
            skeleton(&normalize(b)),
            "{a:?} and {b:?} should share a skeleton"
        );
    }

    #[track_caller]
    fn differ(a: &str, b: &str) {
        assert_ne!(
            skeleton(&normalize(a)),
            skeleton(&normalize(b)),
            "{a:?} and {b:?} should not share a skeleton"
        );
    }

    #[test]
    fn romanisations_of_one_name_meet() {
        same("Piatnitsky", "Pyatnitsky");
        same("Piatnitsky", "Pjatnizki");
        same("Piatnitsky", "Пятницкий");
        same("Piatnitsky", "Piatnitskiy");
        same("Piatnitsky", "Piatnicki");
        same("Mikhail", "Michail");
        same("Mikhail", "Mihail");
        same("Mikhelson-Manuilov", "Michelson Manuilow");
        same("Trilisser", "Трилиссер");
        same("Aleksandr", "Alexandr");
        same("Raskolnikov", "Raskolnikoff");
        same("Jacob", "Jakob");
        same("Kippenberger", "Kipenberger");
        same("Mirov-Abramov", "Mirovabramov");
    }

    #[test]
    fn different_names_stay_apart() {
        differ("Piatnitsky", "Trilisser");
        differ("Mirov", "Minov");
        differ("1921", "1912");
        differ("Sorge", "Serge");
    }

    #[test]
    fn digits_are_untouched() {
        assert_eq!(word_skeleton("1921"), "1921");
        assert_eq!(skeleton("131 132 wilhelmstrasse"), "131132vilhelmstrase");
    }
}
