//! Wrong options of the same type as the answer: people for people (heads with the same role
//! and organisation first, then other heads, then anyone else), places for places, addresses
//! for addresses, years near the true year. The caller passes everything that is true for the
//! question, and nothing true is ever returned. Seeded and stable: the same seed, question key
//! and facts give the same options.

use std::collections::HashSet;

use super::Index;
use crate::facts::{Head, fold};

/// Up to `n` candidates, best tier first, in a seeded order within a tier, never one of
/// `exclude` (compared folded) and never twice.
pub fn pick(
    ix: &Index<'_>,
    key: &str,
    candidates: impl IntoIterator<Item = (u8, String)>,
    exclude: &[String],
    n: usize,
) -> Vec<String> {
    let excluded: HashSet<String> = exclude.iter().map(|e| fold(e)).collect();
    let mut seen = HashSet::new();
    let mut ranked: Vec<(u8, u64, String)> = Vec::new();
    for (tier, c) in candidates {
        let folded = fold(&c);
        if !excluded.contains(&folded) {
            let rank = ix.rank_folded(key, &folded);
            if seen.insert(folded) {
                ranked.push((tier, rank, c));
            }
        }
    }
    ranked.sort();
    ranked.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// People to offer against the head of `h`: same role and organisation (another region)
/// first, then other heads, then other people of the facts.
pub fn people_for(ix: &Index<'_>, h: &Head) -> Vec<(u8, String)> {
    let org = ix.org_key(h.org.as_deref());
    let key = format!("{}\x1f{org}", h.person);
    let mut out: Vec<(u8, String)> = window(ix, &key, ix.heads(), POOL)
        .map(|o| {
            let same = o.role == h.role && ix.org_key(o.org.as_deref()) == org;
            (u8::from(!same), o.person.clone())
        })
        .collect();
    out.extend(window(ix, &key, &ix.people_list, POOL).map(|p| (2, p.clone())));
    out
}

/// How many candidates of a large pool are considered for one question.
const POOL: usize = 24;

/// At most `n` items of `list`, from a seeded place onwards (wrapping around): distractors
/// cost the same for a deck of ten facts or ten thousand.
pub fn window<'l, T>(
    ix: &Index<'_>,
    key: &str,
    list: &'l [T],
    n: usize,
) -> impl Iterator<Item = &'l T> {
    let start = if list.len() > n {
        (ix.rank(key, "window") % list.len() as u64) as usize
    } else {
        0
    };
    list[start..].iter().chain(&list[..start]).take(n)
}

/// Everyone in the facts, heads first.
pub fn people(ix: &Index<'_>, key: &str) -> Vec<(u8, String)> {
    window(ix, key, &ix.people_list, POOL)
        .map(|p| (u8::from(ix.headships(p).is_empty()), p.clone()))
        .collect()
}

/// Places of the same type as `place`: addresses for an address, other places otherwise.
pub fn places_like(ix: &Index<'_>, place: &str) -> Vec<(u8, String)> {
    let pool = if super::is_address(place) {
        &ix.addresses
    } else {
        &ix.places
    };
    window(ix, place, pool, POOL)
        .map(|p| (0, p.clone()))
        .collect()
}

/// Years near `year` (within 4 either side), none of them in `true_years`: the closest first,
/// in a seeded order.
pub fn near_years(ix: &Index<'_>, key: &str, year: u16, true_years: &[u16], n: usize) -> Vec<u16> {
    let candidates = (1..=4_u16).flat_map(|d| {
        [year.checked_sub(d), year.checked_add(d)]
            .into_iter()
            .flatten()
            .filter(|y| *y > 0)
            .map(move |y| (u8::try_from(d).unwrap_or(u8::MAX) / 2, y.to_string()))
    });
    let exclude: Vec<String> = true_years
        .iter()
        .chain(std::iter::once(&year))
        .map(ToString::to_string)
        .collect();
    pick(ix, key, candidates, &exclude, n)
        .into_iter()
        .filter_map(|y| y.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Facts;

    #[test]
    fn near_years_skip_true_years_and_are_seeded() {
        let facts = Facts::default();
        let ix = Index::new(&facts, 7);
        let years = near_years(&ix, "k", 1935, &[1937], 3);
        assert_eq!(years.len(), 3);
        assert!(
            !years.contains(&1935) && !years.contains(&1937),
            "{years:?}"
        );
        assert!(years.iter().all(|y| y.abs_diff(1935) <= 4));
        assert_eq!(years, near_years(&ix, "k", 1935, &[1937], 3), "stable");
        let other = Index::new(&facts, 8);
        let many: Vec<Vec<u16>> = (0..8)
            .map(|k| near_years(&other, &k.to_string(), 1935, &[], 3))
            .collect();
        assert!(
            many.windows(2).any(|w| w[0] != w[1]),
            "the seed and key vary them"
        );
    }

    #[test]
    fn pick_excludes_folded_and_duplicates() {
        let facts = Facts::default();
        let ix = Index::new(&facts, 1);
        let got = pick(
            &ix,
            "k",
            [
                (1, "Ann Berg".to_owned()),
                (0, "ann  berg".to_owned()),
                (0, "Bo Dahl".to_owned()),
                (2, "Cy Ek".to_owned()),
            ],
            &["BO DAHL".to_owned()],
            5,
        );
        assert_eq!(
            got,
            vec!["Ann Berg", "Cy Ek"],
            "the first spelling of a name is kept"
        );
    }
}
