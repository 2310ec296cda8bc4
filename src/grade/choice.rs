//! Picking from a list: a choice by letter ("b", "B)"), by number ("2") or by its text (with
//! typo tolerance unless strict); and true/false questions.

use super::names::{Name, typo_distance};
use super::{Grade, Verdict, normalize, shown};

/// Grades a choice answer. `choices_shown` is the list in the order the learner saw it;
/// `answer` and `accept` say which choices are right.
pub fn grade_choice(
    answer: &str,
    accept: &[String],
    choices_shown: &[String],
    typed: &str,
    strict: bool,
) -> Grade {
    let typed_norm = normalize(typed);
    let right: Vec<String> = std::iter::once(answer)
        .chain(accept.iter().map(String::as_str))
        .map(normalize)
        .collect();
    let answer_at = choices_shown
        .iter()
        .position(|c| right.contains(&normalize(c)));
    let answer_shown = match answer_at {
        Some(i) => labelled(choices_shown, i),
        None => shown(answer),
    };
    if typed_norm.is_empty() {
        return Grade::new(
            Verdict::Wrong,
            0.0,
            format!("wrong: no answer; the answer is {answer_shown}"),
        );
    }
    let Some((chosen, typo)) = pick(choices_shown, &typed_norm, strict) else {
        return Grade::new(
            Verdict::Wrong,
            0.0,
            format!(
                "wrong: {} is not one of the choices; the answer is {answer_shown}",
                shown(typed)
            ),
        );
    };
    let chosen_shown = labelled(choices_shown, chosen);
    if !right.contains(&normalize(&choices_shown[chosen])) {
        return Grade::new(
            Verdict::Wrong,
            0.0,
            format!("wrong: you chose {chosen_shown}; the answer is {answer_shown}"),
        )
        .confused(&choices_shown[chosen]);
    }
    if typo {
        Grade::new(
            Verdict::Close,
            0.8,
            format!(
                "accepted: {chosen_shown} — you wrote {}, a typo or variant",
                shown(typed)
            ),
        )
    } else {
        Grade::new(Verdict::Correct, 1.0, format!("correct: {chosen_shown}"))
    }
}

/// The index of the choice meant, and whether it was recognised only despite a typo.
/// Exact text wins over a letter or number, so choices that are themselves letters or
/// numbers ("1921") still work.
fn pick(choices: &[String], typed_norm: &str, strict: bool) -> Option<(usize, bool)> {
    if let Some(i) = choices.iter().position(|c| normalize(c) == typed_norm) {
        return Some((i, false));
    }
    if let &[letter] = typed_norm.as_bytes()
        && letter.is_ascii_lowercase()
    {
        let i = usize::from(letter - b'a');
        return (i < choices.len()).then_some((i, false));
    }
    if let Ok(n) = typed_norm.parse::<usize>() {
        // Lazily: `n - 1` must not be computed for 0.
        return (1..=choices.len()).contains(&n).then(|| (n - 1, false));
    }
    if strict {
        return None;
    }
    // A shorter form (a surname), another spelling or a typo: the single best choice.
    let typed = Name::parse(typed_norm);
    let mut scored: Vec<((u8, usize), usize)> = choices
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let best = Name::parse(c)
                .forms(true)
                .iter()
                .filter_map(|form| {
                    if form.norm == typed.norm {
                        Some((0, 0))
                    } else if form.skel == typed.skel {
                        Some((1, 0))
                    } else {
                        typo_distance(&typed, form).map(|d| (2, d))
                    }
                })
                .min()?;
            Some((best, i))
        })
        .collect();
    scored.sort_unstable();
    match scored[..] {
        [(how, i)] => Some((i, how.0 > 0)),
        [(how, i), (next, _), ..] if how < next => Some((i, how.0 > 0)),
        _ => None,
    }
}

/// "C (Piatnitsky)": the letter shown with a choice, and its text.
fn labelled(choices: &[String], i: usize) -> String {
    let text = shown(&choices[i]);
    match u8::try_from(i).ok().filter(|&i| i < 26) {
        Some(i) => format!("{} ({text})", char::from(b'A' + i)),
        None => format!("{} ({text})", i + 1),
    }
}

/// Grades a true/false answer typed as t/f, true/false, yes/no or y/n (any case).
pub fn grade_true_false(expected: bool, typed: &str) -> Grade {
    let word = if expected { "true" } else { "false" };
    let given = match normalize(typed).as_str() {
        "" => {
            return Grade::new(
                Verdict::Wrong,
                0.0,
                format!("wrong: no answer; the answer is {word}"),
            );
        }
        "t" | "true" | "y" | "yes" => true,
        "f" | "false" | "n" | "no" => false,
        _ => {
            return Grade::new(
                Verdict::Wrong,
                0.0,
                format!(
                    "wrong: {} is neither true nor false; the answer is {word}",
                    shown(typed)
                ),
            );
        }
    };
    if given == expected {
        Grade::new(Verdict::Correct, 1.0, format!("correct: {word}"))
    } else {
        Grade::new(Verdict::Wrong, 0.0, format!("wrong: the answer is {word}"))
    }
}
