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
    let mut ranked: Vec<(u8, u64, String)> = candidates
        .into_iter()
        .filter(|(_, c)| !excluded.contains(&fold(c)) && seen.insert(fold(c)))
        .map(|(tier, c)| (tier, ix.rank(key, &c), c))
        .collect();
    ranked.sort();
    ranked.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// People to offer against the head of `h`: same role and organisation (another region)
/// first, then other heads, then other people of the facts.
pub fn people_for(ix: &Index<'_>, h: &Head) -> Vec<(u8, String)> {
    let org = ix.org_key(h.org.as_deref());
    let mut out: Vec<(u8, String)> = ix
        .heads()
        .map(|(_, o)| {
            let tier = u8::from(!(o.role == h.role && ix.org_key(o.org.as_deref()) == org));
            (tier, o.person.clone())
        })
        .collect();
    out.extend(ix.people_list.iter().map(|p| (2, p.clone())));
    out
}

/// Everyone in the facts, heads first.
pub fn people(ix: &Index<'_>) -> Vec<(u8, String)> {
    ix.people_list
        .iter()
        .map(|p| {
            let head = ix.heads().any(|(_, h)| fold(&h.person) == fold(p));
            (u8::from(!head), p.clone())
        })
        .collect()
}

/// Places of the same type as `place`: addresses for an address, other places otherwise.
pub fn places_like(ix: &Index<'_>, place: &str) -> Vec<(u8, String)> {
    let pool = if super::is_address(place) {
        &ix.addresses
    } else {
        &ix.places
    };
    pool.iter().map(|p| (0, p.clone())).collect()
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
