//! Ordering questions: put n shown items (labelled A, B, C ... or 1, 2, 3 ...) in order,
//! typed as "BADC", "b a d c", "b,a,d,c" or "2 1 4 3".
//!
//! Partial credit is the share of neighbouring pairs of the right order that the learner
//! kept together and in order: for A B C D, the pairs A-B, B-C, C-D. "A B D C" keeps A-B
//! (1 of 3); "B C D A" keeps B-C and C-D (2 of 3). It rewards knowing runs of the sequence,
//! and a reversed order scores nothing.

use super::{Grade, Verdict, shown};

/// Grades a typed order. `expected_order[k]` is the index (0-based, in display order) of
/// the item that belongs at position `k`; `n` is the number of items shown.
pub fn grade_ordering(expected_order: &[usize], typed: &str, n: usize) -> Grade {
    let right = render(expected_order, n);
    if typed.trim().is_empty() {
        return Grade::new(
            Verdict::Wrong,
            0.0,
            format!("wrong: no answer; the order is {right}"),
        );
    }
    let Some(given) = parse(typed, n) else {
        let labels = if n == 0 {
            String::new()
        } else {
            format!("{}-{}", label(0, n), label(n - 1, n))
        };
        return Grade::new(
            Verdict::Wrong,
            0.0,
            format!(
                "wrong: {} is not an order of {labels} (give each once); the order is {right}",
                shown(typed)
            ),
        );
    };
    if given == expected_order {
        return Grade::new(Verdict::Correct, 1.0, format!("correct: {right}"));
    }
    let mut position = vec![usize::MAX; n];
    for (k, &item) in given.iter().enumerate() {
        position[item] = k;
    }
    let at = |item: usize| position.get(item).copied().unwrap_or(usize::MAX);
    let pairs = expected_order.len().saturating_sub(1);
    let kept = expected_order
        .windows(2)
        .filter(|w| at(w[0]) != usize::MAX && at(w[1]) == at(w[0]).wrapping_add(1))
        .count();
    if kept == 0 {
        return Grade::new(Verdict::Wrong, 0.0, format!("wrong: the order is {right}"));
    }
    Grade::new(
        Verdict::Partial,
        kept as f64 / pairs as f64,
        format!(
            "partly right: {kept} of {pairs} neighbouring pairs in order; the order is {right}"
        ),
    )
}

/// The item indices typed, when they name each of the `n` items exactly once.
fn parse(typed: &str, n: usize) -> Option<Vec<usize>> {
    let text = typed.trim().to_lowercase();
    let separated = text
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, ',' | ';' | '-' | '>' | '/' | '.'));
    let tokens: Vec<&str> = if separated {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect()
    } else if n <= 9 || text.bytes().all(|b| b.is_ascii_alphabetic()) {
        // "BADC" or "2143": one item per character.
        (0..text.len()).filter_map(|i| text.get(i..=i)).collect()
    } else {
        return None;
    };
    if tokens.len() != n {
        return None;
    }
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for token in tokens {
        let item = match token.as_bytes() {
            [letter] if letter.is_ascii_lowercase() && n <= 26 => usize::from(letter - b'a'),
            _ => token.parse::<usize>().ok()?.checked_sub(1)?,
        };
        if item >= n || std::mem::replace(&mut seen[item], true) {
            return None;
        }
        order.push(item);
    }
    Some(order)
}

fn label(item: usize, n: usize) -> String {
    match u8::try_from(item).ok().filter(|&i| i < 26 && n <= 26) {
        Some(i) => char::from(b'A' + i).to_string(),
        None => (item + 1).to_string(),
    }
}

fn render(order: &[usize], n: usize) -> String {
    order
        .iter()
        .map(|&i| label(i, n))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(typed: &str, verdict: Verdict, score: f64) {
        // The right order is B A D C (display indices 1 0 3 2).
        let grade = grade_ordering(&[1, 0, 3, 2], typed, 4);
        assert_eq!(grade.verdict, verdict, "{typed:?}: {}", grade.explanation);
        assert!(
            (grade.score - score).abs() < 1e-9,
            "{typed:?}: {}",
            grade.score
        );
    }

    #[test]
    fn accepts_every_spelling_of_the_right_order() {
        case("BADC", Verdict::Correct, 1.0);
        case("b a d c", Verdict::Correct, 1.0);
        case("b,a,d,c", Verdict::Correct, 1.0);
        case(" B > A > D > C ", Verdict::Correct, 1.0);
        case("2143", Verdict::Correct, 1.0);
        case("2, 1, 4, 3", Verdict::Correct, 1.0);
    }

    #[test]
    fn partial_credit_counts_neighbouring_pairs_kept() {
        case("BACD", Verdict::Partial, 1.0 / 3.0);
        case("ADCB", Verdict::Partial, 2.0 / 3.0);
        case("CBAD", Verdict::Partial, 2.0 / 3.0);
        case("ABCD", Verdict::Wrong, 0.0);
        case("CDAB", Verdict::Wrong, 0.0);
    }

    #[test]
    fn refuses_incomplete_or_repeated_orders() {
        case("BAD", Verdict::Wrong, 0.0);
        case("BADD", Verdict::Wrong, 0.0);
        case("BADE", Verdict::Wrong, 0.0);
        case("b a d c e", Verdict::Wrong, 0.0);
        case("", Verdict::Wrong, 0.0);
        case("0 1 2 3", Verdict::Wrong, 0.0);
    }

    #[test]
    fn does_not_panic_on_a_bad_expected_order() {
        let grade = grade_ordering(&[0, 7, 1], "ABC", 3);
        assert_eq!(grade.verdict, Verdict::Wrong);
        let grade = grade_ordering(&[], "A", 0);
        assert_eq!(grade.verdict, Verdict::Wrong);
    }
}
