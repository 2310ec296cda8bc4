//! Interval fuzz: spreads cards learnt together over nearby days so they do not stay in
//! lockstep. The ranges are Anki's and py-fsrs's (`_get_fuzzed_interval`); the random draw is
//! deterministic, a hash of the card's fuzz seed and its review count, so replaying a review
//! log always gives the same due dates. No global RNG, no clock.

/// `(start, end, factor)`: the part of an interval between `start` and `end` days adds
/// `factor` days of spread per day.
const FUZZ_RANGES: [(f64, f64, f64); 3] = [
    (2.5, 7.0, 0.15),
    (7.0, 20.0, 0.10),
    (20.0, f64::INFINITY, 0.05),
];

/// The whole-day range `[min, max]` a fuzzed `interval_days` falls in, or `None` when the
/// interval is too short to fuzz (under 2.5 days). Never below 2 days or above `maximum`.
pub fn fuzz_range(interval_days: u32, maximum_days: u32) -> Option<(u32, u32)> {
    let days = f64::from(interval_days);
    if days < 2.5 {
        return None;
    }
    let delta = 1.0
        + FUZZ_RANGES
            .iter()
            .map(|&(start, end, factor)| factor * (days.min(end) - start).max(0.0))
            .sum::<f64>();
    // py-fsrs rounds with Python's `round`, ties to even.
    let low = ((days - delta).round_ties_even() as u32).max(2);
    let high = ((days + delta).round_ties_even() as u32).min(maximum_days);
    Some((low.min(high), high))
}

/// `interval_days` moved to a day in its fuzz range, chosen by `seed` and `review` (the
/// card's review count). Intervals too short to fuzz come back unchanged.
pub fn fuzz_interval(interval_days: u32, maximum_days: u32, seed: u64, review: u32) -> u32 {
    let Some((low, high)) = fuzz_range(interval_days, maximum_days) else {
        return interval_days;
    };
    let width = f64::from(high - low + 1);
    // Uniform over the whole days low..=high (py-fsrs rounds instead of flooring here, which
    // can land one day past `high`; flooring keeps the documented range exact).
    let offset = (unit_interval(seed, review) * width).floor() as u32;
    (low + offset).min(high)
}

/// A card's fuzz seed from a stable key (e.g. its card id): BLAKE3, so the seed is the same on
/// every platform and release.
pub fn fuzz_seed(card_key: &[u8]) -> u64 {
    let hash = blake3::hash(card_key);
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// A number in `[0, 1)` determined by `seed` and `review`.
fn unit_interval(seed: u64, review: u32) -> f64 {
    let bits = splitmix64(seed ^ splitmix64(u64::from(review)));
    // The top 53 bits as a fraction: exact in f64, strictly below 1.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The `SplitMix64` finaliser (Steele, Lea, Flood 2014): a fixed, well-mixed bijection on u64.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[track_caller]
    fn case(interval: u32, maximum: u32, expected: Option<(u32, u32)>) {
        assert_eq!(
            fuzz_range(interval, maximum),
            expected,
            "interval {interval}"
        );
    }

    #[test]
    fn fuzz_ranges_match_the_reference_table() {
        // Below 2.5 days: no fuzz.
        case(1, 36_500, None);
        case(2, 36_500, None);
        // 3 days: delta = 1 + 0.15 * (3 - 2.5) = 1.075; 1.925 -> 2, 4.075 -> 4.
        case(3, 36_500, Some((2, 4)));
        // 7 days: delta = 1 + 0.15 * 4.5 = 1.675; 5.325 -> 5, 8.675 -> 9.
        case(7, 36_500, Some((5, 9)));
        // 10 days: delta = 1 + 0.675 + 0.1 * 3 = 1.975; 8.025 -> 8, 11.975 -> 12.
        case(10, 36_500, Some((8, 12)));
        // 100 days: delta = 1 + 0.675 + 1.3 + 0.05 * 80 = 6.975; 93.025 -> 93, 106.975 -> 107.
        case(100, 36_500, Some((93, 107)));
        // The maximum caps the top and, if need be, the bottom.
        case(100, 100, Some((93, 100)));
        case(3, 2, Some((2, 2)));
    }

    #[test]
    fn fuzz_is_deterministic_and_varies_with_seed_and_review() {
        let a = fuzz_interval(100, 36_500, 42, 5);
        assert_eq!(a, fuzz_interval(100, 36_500, 42, 5));
        let spread: std::collections::BTreeSet<u32> = (0..200)
            .map(|review| fuzz_interval(100, 36_500, 42, review))
            .chain((0..200).map(|seed| fuzz_interval(100, 36_500, seed, 5)))
            .collect();
        // 200 + 200 draws over 15 days: every day of the range is hit.
        assert_eq!(spread, (93..=107).collect());
    }

    #[test]
    fn fuzz_seed_is_stable() {
        // The seed is part of what makes a replay reproducible: pin it.
        let hash = blake3::hash(b"card-1");
        let bytes: [u8; 8] = hash.as_bytes()[..8].try_into().unwrap();
        assert_eq!(fuzz_seed(b"card-1"), u64::from_le_bytes(bytes));
        assert_ne!(fuzz_seed(b"card-1"), fuzz_seed(b"card-2"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn fuzzed_interval_stays_in_its_range(
            interval in 1u32..=36_500,
            maximum in 1u32..=36_500,
            seed: u64,
            review: u32,
        ) {
            let interval = interval.min(maximum);
            let fuzzed = fuzz_interval(interval, maximum, seed, review);
            match fuzz_range(interval, maximum) {
                None => prop_assert_eq!(fuzzed, interval),
                Some((low, high)) => {
                    prop_assert!(low <= fuzzed && fuzzed <= high);
                    prop_assert!(low >= 2.min(maximum) && high <= maximum);
                    // Anki's spread: at most about 5 % plus a few days either side.
                    let spread = f64::from(interval.abs_diff(fuzzed));
                    prop_assert!(spread <= 1.0 + 0.675 + 1.3 + 0.05 * f64::from(interval) + 0.5);
                }
            }
        }

        #[test]
        fn unit_interval_is_in_zero_one(seed: u64, review: u32) {
            let u = unit_interval(seed, review);
            prop_assert!((0.0..1.0).contains(&u));
        }
    }
}
