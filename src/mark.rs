//! What a learner can put on a card besides answers: suspension, burying until tomorrow, a
//! coloured flag with a note, and the leech tag. Pure types and rules; the store keeps the
//! marks (table `card_mark`), beside the review log and never in it, and the scheduler never
//! reads them.

use std::fmt;

use jiff::Timestamp;

/// A card failed this many times is a leech, as in Anki (a deck's `leech_threshold`).
pub const DEFAULT_LEECH_THRESHOLD: u32 = 8;

/// Anki's seven flag colours, numbered as Anki numbers them (Ctrl-1 .. Ctrl-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    Red,
    Orange,
    Green,
    Blue,
    Pink,
    Turquoise,
    Purple,
}

impl Flag {
    pub const ALL: [Flag; 7] = [
        Flag::Red,
        Flag::Orange,
        Flag::Green,
        Flag::Blue,
        Flag::Pink,
        Flag::Turquoise,
        Flag::Purple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Red => "red",
            Flag::Orange => "orange",
            Flag::Green => "green",
            Flag::Blue => "blue",
            Flag::Pink => "pink",
            Flag::Turquoise => "turquoise",
            Flag::Purple => "purple",
        }
    }

    /// A colour by name (any case) or by Anki's number, 1 (red) to 7 (purple).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        if let Ok(n) = text.parse::<usize>() {
            return n.checked_sub(1).and_then(|i| Self::ALL.get(i)).copied();
        }
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every mark a card carries. `Marks::default()` is a card with none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Suspended since then: never due until unsuspended.
    pub suspended: Option<Timestamp>,
    /// Buried: not due before this time (the next study day's start).
    pub buried_until: Option<Timestamp>,
    pub flag: Option<Flag>,
    /// The learner's note with the flag.
    pub note: Option<String>,
    /// Tagged a leech (failed `leech_threshold` times).
    pub leech: bool,
}

impl Marks {
    /// Whether the card is kept out of sessions and due counts at `now`.
    pub fn holds_back(&self, now: Timestamp) -> bool {
        self.suspended.is_some() || self.is_buried(now)
    }

    pub fn is_buried(&self, now: Timestamp) -> bool {
        self.buried_until.is_some_and(|until| until > now)
    }
}

/// Whether a card's `lapses`-th lapse makes it a leech, as Anki counts: at the threshold, and
/// again every half threshold after it (8, 12, 16, ... for 8), so a card unsuspended and
/// failed again is caught again. A threshold of 0 turns leeches off.
pub fn is_leech_lapse(lapses: u32, threshold: u32) -> bool {
    if threshold == 0 || lapses < threshold {
        return false;
    }
    (lapses - threshold).is_multiple_of((threshold / 2).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_by_name_or_number() {
        assert_eq!(Flag::parse("red"), Some(Flag::Red));
        assert_eq!(Flag::parse(" Purple "), Some(Flag::Purple));
        assert_eq!(Flag::parse("4"), Some(Flag::Blue));
        assert_eq!(Flag::parse("0"), None);
        assert_eq!(Flag::parse("8"), None);
        assert_eq!(Flag::parse("mauve"), None);
        for f in Flag::ALL {
            assert_eq!(Flag::parse(f.as_str()), Some(f));
        }
    }

    #[test]
    fn leech_at_threshold_then_every_half_threshold() {
        let leeches: Vec<u32> = (0..=20).filter(|&n| is_leech_lapse(n, 8)).collect();
        assert_eq!(leeches, vec![8, 12, 16, 20]);
        let leeches: Vec<u32> = (0..=5).filter(|&n| is_leech_lapse(n, 1)).collect();
        assert_eq!(leeches, vec![1, 2, 3, 4, 5]);
        assert!(!(0..100).any(|n| is_leech_lapse(n, 0)), "0 turns them off");
    }

    #[test]
    fn suspended_or_buried_cards_are_held_back() {
        let now: Timestamp = "2026-01-10T09:00:00Z".parse().unwrap();
        let later: Timestamp = "2026-01-11T04:00:00Z".parse().unwrap();
        assert!(!Marks::default().holds_back(now));
        let buried = Marks {
            buried_until: Some(later),
            ..Marks::default()
        };
        assert!(buried.holds_back(now));
        assert!(!buried.holds_back(later), "burying ends at the rollover");
        let suspended = Marks {
            suspended: Some(now),
            ..Marks::default()
        };
        assert!(suspended.holds_back(later));
        let flagged = Marks {
            flag: Some(Flag::Red),
            leech: true,
            ..Marks::default()
        };
        assert!(
            !flagged.holds_back(now),
            "flags and the leech tag alone hold nothing"
        );
    }
}
