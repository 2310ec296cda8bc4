//! Pre-training: the initial stabilities w0-w3 (one per first rating) estimated directly from
//! how often each card was recalled at its first review on a later day, before gradient
//! descent starts; and the outlier filter that decides which cards take part. Both follow the
//! reference optimizer (fsrs-rs `parameter_initialization.rs`, `dataset.rs`), written anew.

// s, d, r, w: the names of the FSRS papers and the reference code.
#![allow(clippy::many_single_char_names)]

use std::collections::{BTreeMap, BTreeSet};

use crate::schedule::fsrs::{DEFAULT_PARAMETERS, S_MIN};

/// The two weights of the relations between the initial stabilities (`smooth_and_fill`).
const W1: f64 = 0.41;
const W2: f64 = 0.54;

/// Initial stabilities are kept at or below this many days.
pub const INIT_S_MAX: f64 = 100.0;

/// A card's first prediction: the rating of its first review, the days until its first
/// review on a later day, and whether it was recalled then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstItem {
    pub first_rating: u8,
    pub delta_t: u32,
    pub recalled: bool,
}

/// Which first items are kept: the `(first rating, delta_t)` groups that are too small or too
/// far out are dropped, with every card in them, from pre-training and training alike.
/// Per first rating, the smallest groups are dropped until 5 % of the items (at least 20) are
/// gone; of the rest, groups of fewer than 6 items or with delta_t over 100 days (365 for
/// Easy) are dropped too.
pub fn outliers(items: &[FirstItem]) -> BTreeSet<(u8, u32)> {
    let mut groups: BTreeMap<u8, BTreeMap<u32, usize>> = BTreeMap::new();
    for item in items {
        *groups
            .entry(item.first_rating)
            .or_default()
            .entry(item.delta_t)
            .or_default() += 1;
    }
    let mut removed = BTreeSet::new();
    for (rating, by_delta) in groups {
        let total: usize = by_delta.values().sum();
        let mut sizes: Vec<(u32, usize)> = by_delta.into_iter().collect();
        // Smallest groups first; among equal sizes, the shorter delay first.
        sizes.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut dropped = 0;
        let max_delta = if rating == 4 { 365 } else { 100 };
        for (delta_t, size) in sizes {
            if dropped + size >= 20.max(total / 20) {
                if size < 6 || delta_t > max_delta {
                    removed.insert((rating, delta_t));
                }
            } else {
                dropped += size;
                removed.insert((rating, delta_t));
            }
        }
    }
    removed
}

/// Initial stabilities fitted to the first items (after the outlier filter), with the count
/// of items behind each rating. `None` when no rating has any item.
pub fn initial_stability(
    items: &[FirstItem],
    average_recall: f64,
) -> Option<([f64; 4], [usize; 4])> {
    // rating -> delta_t -> (count, recalled)
    let mut groups: BTreeMap<u8, BTreeMap<u32, (f64, f64)>> = BTreeMap::new();
    let mut counts = [0; 4];
    for item in items {
        let slot = groups
            .entry(item.first_rating)
            .or_default()
            .entry(item.delta_t)
            .or_default();
        slot.0 += 1.0;
        slot.1 += f64::from(u8::from(item.recalled));
        counts[usize::from(item.first_rating.clamp(1, 4)) - 1] += 1;
    }
    let mut found = [None; 4];
    for (rating, by_delta) in &groups {
        let index = usize::from(rating.clamp(&1, &4) - 1);
        // (delta_t, recall smoothed toward the average, count)
        let points: Vec<(f64, f64, f64)> = by_delta
            .iter()
            .map(|(&dt, &(n, recalled))| {
                (f64::from(dt), (recalled + average_recall) / (n + 1.0), n)
            })
            .collect();
        found[index] = Some(search(&points, DEFAULT_PARAMETERS[index]));
    }
    smooth_and_fill(found, counts).map(|s| (s, counts))
}

/// The stability minimising the count-weighted log loss of the default forgetting curve over
/// `(delta_t, recall, count)` points, plus |s - default| / 16, by ternary search.
fn search(points: &[(f64, f64, f64)], default: f64) -> f64 {
    let decay = -DEFAULT_PARAMETERS[20];
    let factor = 0.9f64.powf(1.0 / decay) - 1.0;
    let loss = |s: f64| {
        let fit: f64 = points
            .iter()
            .map(|&(t, recall, n)| {
                let p = (1.0 + factor * t / s).powf(decay);
                -(recall * p.ln() + (1.0 - recall) * (1.0 - p).ln()) * n
            })
            .sum();
        fit + (s - default).abs() / 16.0
    };
    let (mut low, mut high) = (S_MIN, INIT_S_MAX);
    for _ in 0..1000 {
        if high - low <= f64::EPSILON {
            break;
        }
        let a = low + (high - low) / 3.0;
        let b = high - (high - low) / 3.0;
        if loss(a) < loss(b) {
            high = b;
        } else {
            low = a;
        }
    }
    f64::midpoint(low, high)
}

/// Makes the initial stabilities grow with the rating (a smaller value wins over a larger
/// one for a worse rating only when it has more items behind it), then fills the ratings
/// without data from the ones with data, in log space:
/// `ln S_hard = 0.41 ln S_again + 0.59 ln S_good` and
/// `ln S_good = 0.46 ln S_hard + 0.54 ln S_easy`. One rating alone scales the defaults.
/// Every value ends in `[S_MIN, 100]`. `None` when no rating has data.
pub fn smooth_and_fill(mut s: [Option<f64>; 4], counts: [usize; 4]) -> Option<[f64; 4]> {
    for (small, big) in [(0, 1), (1, 2), (2, 3), (0, 2), (1, 3), (0, 3)] {
        if let (Some(a), Some(b)) = (s[small], s[big])
            && a > b
        {
            if counts[small] > counts[big] {
                s[big] = Some(a);
            } else {
                s[small] = Some(b);
            }
        }
    }
    let known = s.iter().filter(|v| v.is_some()).count();
    let filled: [f64; 4] = match known {
        0 => return None,
        1 => {
            let i = s.iter().position(Option::is_some)?;
            let factor = s[i]? / DEFAULT_PARAMETERS[i];
            let mut all: [f64; 4] = std::array::from_fn(|j| DEFAULT_PARAMETERS[j] * factor);
            all.sort_by(f64::total_cmp);
            all
        }
        4 => s.map(|v| v.unwrap_or(S_MIN)),
        _ => {
            // Two linear equations in l = ln S:
            //   E1: W1 l1 - l2 + (1 - W1) l3 = 0
            //   E2: (1 - W2) l2 - l3 + W2 l4 = 0
            let e = [[W1, -1.0, 1.0 - W1, 0.0], [0.0, 1.0 - W2, -1.0, W2]];
            let l: [Option<f64>; 4] = s.map(|v| v.map(f64::ln));
            let unknown: Vec<usize> = (0..4).filter(|&i| l[i].is_none()).collect();
            let rhs = |row: &[f64; 4]| -> f64 {
                -(0..4).filter_map(|i| l[i].map(|x| row[i] * x)).sum::<f64>()
            };
            let mut out = l;
            if let [u] = unknown[..] {
                // Three known: the equation holding the unknown (E2 for Good, as the
                // reference does; E1 holds Again and Hard only).
                let row = if u <= 1 { &e[0] } else { &e[1] };
                out[u] = Some(rhs(row) / row[u]);
            } else if let [u, v] = unknown[..] {
                let (a, b, c, d) = (e[0][u], e[0][v], e[1][u], e[1][v]);
                let (r0, r1) = (rhs(&e[0]), rhs(&e[1]));
                let det = a * d - b * c;
                out[u] = Some((r0 * d - b * r1) / det);
                out[v] = Some((a * r1 - r0 * c) / det);
            }
            out.map(|x| x.map_or(S_MIN, f64::exp))
        }
    };
    Some(filled.map(|v| {
        if v.is_finite() {
            v.clamp(S_MIN, INIT_S_MAX)
        } else {
            S_MIN
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(first_rating: u8, delta_t: u32, recalled: bool) -> FirstItem {
        FirstItem {
            first_rating,
            delta_t,
            recalled,
        }
    }

    #[test]
    fn search_finds_the_stability_behind_a_recall_rate() {
        // 1000 items at 5 days, 90 % recalled: the curve is at 0.9 when t = S, so S = 5
        // (pulled a hair toward the default by the |s - default| / 16 term).
        let s = search(&[(5.0, 0.9, 1000.0)], DEFAULT_PARAMETERS[2]);
        assert!((s - 5.0).abs() < 0.05, "{s}");
    }

    #[test]
    fn initial_stability_grows_with_recall() {
        let mut items = Vec::new();
        for i in 0..200 {
            // Again cards: 60 % recalled after 1 day; Good cards: 95 %.
            items.push(item(1, 1, i % 10 < 6));
            items.push(item(3, 1, i % 20 != 0));
        }
        let (s, counts) = initial_stability(&items, 0.8).unwrap();
        assert_eq!(counts, [200, 0, 200, 0]);
        assert!(s[0] < s[1] && s[1] < s[2] && s[2] < s[3], "{s:?}");
        assert!(s[0] < 0.5 && s[2] > 1.0, "{s:?}");
    }

    #[test]
    fn fill_solves_the_two_relations() {
        // Hard and Easy known: Good from E2, Again from E1.
        let s = smooth_and_fill([None, Some(2.0), None, Some(20.0)], [0, 10, 0, 10]).unwrap();
        let good = (0.46 * 2f64.ln() + 0.54 * 20f64.ln()).exp();
        assert!((s[2] - good).abs() < 1e-9, "{s:?}");
        let again = ((2f64.ln() - 0.59 * good.ln()) / 0.41).exp();
        assert!((s[0] - again).abs() < 1e-9, "{s:?}");
        // All four known: only the order is fixed, toward the rating with more data.
        let s = smooth_and_fill([Some(3.0), Some(2.0), Some(4.0), Some(9.0)], [50, 5, 50, 5]);
        assert_eq!(s, Some([3.0, 3.0, 4.0, 9.0]));
        assert_eq!(smooth_and_fill([None; 4], [0; 4]), None);
        // One rating scales the defaults.
        let s = smooth_and_fill(
            [None, None, Some(2.0 * DEFAULT_PARAMETERS[2]), None],
            [0; 4],
        );
        assert!((s.unwrap()[3] - 2.0 * DEFAULT_PARAMETERS[3]).abs() < 1e-9);
    }

    #[test]
    fn outliers_drop_small_and_far_groups() {
        let mut items = vec![item(3, 1, true); 400];
        items.extend(vec![item(3, 2, true); 30]);
        items.extend(vec![item(3, 150, true); 30]);
        items.extend(vec![item(3, 7, true); 3]);
        items.extend(vec![item(1, 1, true); 10]);
        let removed = outliers(&items);
        // Rating 3: 463 items, drop at least 23: the groups of 3 (delta 7) and then 30
        // (delta 2) would pass 23, so delta 2 is kept (30 >= 6, 2 <= 100); delta 150 is
        // too far.
        assert!(removed.contains(&(3, 7)) && removed.contains(&(3, 150)));
        assert!(!removed.contains(&(3, 1)) && !removed.contains(&(3, 2)));
        // Rating 1 has 10 items, fewer than the 20 to drop: all dropped.
        assert!(removed.contains(&(1, 1)));
    }
}
