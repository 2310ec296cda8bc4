//! What a learner can put on a card besides answers: suspension, burying until tomorrow, a
//! coloured flag with a note, and the leech tag. Pure types and rules; the store keeps the
//! marks beside the review log and never in it, and the scheduler never reads them.
//!
//! Every change of a mark is an event with its own time-ordered id (table `mark_event`); a
//! card's marks are the fold of its events in id order (`fold`), so devices that hold the
//! same events agree on the marks whatever order the events reached them in (docs/sync.md).
//! The store caches the fold (table `card_mark`) for the due queries.

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

/// One change of a card's marks, as it is logged and travels through sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkChange {
    /// Suspend (a suspended card stays suspended since its first time).
    Suspend,
    Unsuspend,
    /// Bury until then.
    Bury {
        until: Timestamp,
    },
    Unbury,
    /// Set the flag and its note (replacing any).
    Flag {
        flag: Flag,
        note: Option<String>,
    },
    Unflag,
    /// Tagged a leech, and suspended unless it already was, by the lapse of the review with
    /// this id. Only while that review is in the log: undoing it takes both back.
    Leech {
        review: String,
    },
}

impl MarkChange {
    /// The change's name in the database and in sync files.
    pub fn name(&self) -> &'static str {
        match self {
            MarkChange::Suspend => "suspend",
            MarkChange::Unsuspend => "unsuspend",
            MarkChange::Bury { .. } => "bury",
            MarkChange::Unbury => "unbury",
            MarkChange::Flag { .. } => "flag",
            MarkChange::Unflag => "unflag",
            MarkChange::Leech { .. } => "leech",
        }
    }

    /// The change from its name and fields (`until` for bury, `flag` and `note` for flag,
    /// `review` for leech); `None` when the name is unknown or a field it needs is missing.
    pub fn from_parts(
        name: &str,
        until: Option<Timestamp>,
        flag: Option<Flag>,
        note: Option<String>,
        review: Option<String>,
    ) -> Option<Self> {
        Some(match name {
            "suspend" => MarkChange::Suspend,
            "unsuspend" => MarkChange::Unsuspend,
            "bury" => MarkChange::Bury { until: until? },
            "unbury" => MarkChange::Unbury,
            "flag" => MarkChange::Flag { flag: flag?, note },
            "unflag" => MarkChange::Unflag,
            "leech" => MarkChange::Leech { review: review? },
            _ => return None,
        })
    }

    /// The names `from_parts` knows.
    pub const NAMES: [&'static str; 7] = [
        "suspend",
        "unsuspend",
        "bury",
        "unbury",
        "flag",
        "unflag",
        "leech",
    ];
}

/// A logged change of one card's marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkEvent {
    /// A UUIDv7: the time first, then random bits. Events are folded in the order of their
    /// ids; a device makes a new event's id greater than the ids of the card's events it
    /// already has, so a change made after seeing another device's change comes after it
    /// even if this device's clock is behind.
    pub uid: String,
    /// When the change was made (shown as "suspended since").
    pub at: Timestamp,
    pub change: MarkChange,
}

/// A card's marks folded from its events, with the review (in the caller's terms) that made
/// it a leech and the one whose leech suspended it, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded<R> {
    pub marks: Marks,
    pub leech_review: Option<R>,
    pub suspended_by: Option<R>,
}

/// The marks a card's events leave, in id order whatever order `events` has: per mark the
/// last change wins (a suspension keeps its first time). A leech event counts only while
/// `review(uid)` finds its review (`Some(handle)`); a deleted review's leech is as if it had
/// never happened.
pub fn fold<R: Clone>(
    events: &[MarkEvent],
    mut review: impl FnMut(&str) -> Option<R>,
) -> Folded<R> {
    let mut order: Vec<&MarkEvent> = events.iter().collect();
    order.sort_by(|a, b| a.uid.cmp(&b.uid));
    order.dedup_by(|a, b| a.uid == b.uid);
    let mut folded = Folded {
        marks: Marks::default(),
        leech_review: None,
        suspended_by: None,
    };
    for event in order {
        let m = &mut folded.marks;
        match &event.change {
            MarkChange::Suspend => {
                if m.suspended.is_none() {
                    m.suspended = Some(event.at);
                    folded.suspended_by = None;
                }
            }
            MarkChange::Unsuspend => {
                m.suspended = None;
                folded.suspended_by = None;
            }
            MarkChange::Bury { until } => m.buried_until = Some(*until),
            MarkChange::Unbury => m.buried_until = None,
            MarkChange::Flag { flag, note } => {
                m.flag = Some(*flag);
                m.note.clone_from(note);
            }
            MarkChange::Unflag => {
                m.flag = None;
                m.note = None;
            }
            MarkChange::Leech { review: uid } => {
                let Some(handle) = review(uid) else { continue };
                m.leech = true;
                if m.suspended.is_none() {
                    m.suspended = Some(event.at);
                    folded.suspended_by = Some(handle.clone());
                }
                folded.leech_review = Some(handle);
            }
        }
    }
    folded
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

    fn event(uid: u8, at: &str, change: MarkChange) -> MarkEvent {
        MarkEvent {
            uid: format!("019b0000-0000-7000-8000-0000000000{uid:02x}"),
            at: at.parse().unwrap(),
            change,
        }
    }

    fn leech(review: &str) -> MarkChange {
        MarkChange::Leech {
            review: review.to_owned(),
        }
    }

    /// The fold with reviews `r1` (row 1) and `r2` (row 2) in the log.
    fn folded(events: &[MarkEvent]) -> Folded<i64> {
        fold(events, |uid| match uid {
            "r1" => Some(1),
            "r2" => Some(2),
            _ => None,
        })
    }

    #[test]
    fn the_last_change_of_each_mark_wins_in_id_order() {
        let t1 = "2026-01-10T09:00:00Z";
        let t2 = "2026-01-10T10:00:00Z";
        let until: Timestamp = "2026-01-11T04:00:00Z".parse().unwrap();
        // Given out of order: the ids decide.
        let events = [
            event(4, t2, MarkChange::Unsuspend),
            event(1, t1, MarkChange::Suspend),
            event(
                2,
                t1,
                MarkChange::Flag {
                    flag: Flag::Red,
                    note: Some("a".to_owned()),
                },
            ),
            event(3, t1, MarkChange::Bury { until }),
            event(5, t2, MarkChange::Suspend),
            event(6, t2, MarkChange::Suspend),
            event(7, t2, MarkChange::Unflag),
        ];
        let f = folded(&events);
        assert_eq!(
            f.marks,
            Marks {
                suspended: Some(t2.parse().unwrap()),
                buried_until: Some(until),
                ..Marks::default()
            }
        );
        let earlier = folded(&events[..4]);
        assert_eq!(
            earlier.marks.suspended, None,
            "unsuspend (4) after suspend (1)"
        );
        assert_eq!(earlier.marks.flag, Some(Flag::Red));
    }

    #[test]
    fn a_leech_counts_only_while_its_review_is_in_the_log() {
        let t1 = "2026-01-10T09:00:00Z";
        let t2 = "2026-01-10T10:00:00Z";
        let f = folded(&[event(1, t1, leech("r1"))]);
        assert!(f.marks.leech);
        assert_eq!((f.leech_review, f.suspended_by), (Some(1), Some(1)));
        assert_eq!(f.marks.suspended, Some(t1.parse().unwrap()));
        let gone = folded(&[event(1, t1, leech("deleted"))]);
        assert_eq!(gone, Folded::default());
        // Suspended by hand first: the leech does not own the suspension.
        let f = folded(&[event(2, t2, leech("r2")), event(1, t1, MarkChange::Suspend)]);
        assert_eq!((f.leech_review, f.suspended_by), (Some(2), None));
        assert_eq!(f.marks.suspended, Some(t1.parse().unwrap()));
        // Unsuspended after the leech: still a leech, no longer suspended.
        let f = folded(&[
            event(1, t1, leech("r1")),
            event(2, t2, MarkChange::Unsuspend),
        ]);
        assert_eq!((f.marks.leech, f.marks.suspended), (true, None));
    }

    fn change() -> impl proptest::strategy::Strategy<Value = MarkChange> {
        use proptest::prelude::*;
        let until =
            (0..3i64).prop_map(|d| Timestamp::from_second(1_768_000_000 + d * 86_400).unwrap());
        prop_oneof![
            Just(MarkChange::Suspend),
            Just(MarkChange::Unsuspend),
            until.prop_map(|until| MarkChange::Bury { until }),
            Just(MarkChange::Unbury),
            (0..7usize, proptest::option::of("[a-z]{0,3}")).prop_map(|(i, note)| {
                MarkChange::Flag {
                    flag: Flag::ALL[i],
                    note,
                }
            }),
            Just(MarkChange::Unflag),
            prop_oneof![Just("r1"), Just("r2"), Just("gone")].prop_map(leech),
        ]
    }

    proptest::proptest! {
        /// Whatever order a device receives a card's events in (and however often), the
        /// fold is the same.
        #[test]
        fn the_fold_does_not_depend_on_the_order_events_arrive_in(
            changes in proptest::collection::vec((change(), 0..5i64), 0..12),
            seed in proptest::prelude::any::<u64>(),
        ) {
            let events: Vec<MarkEvent> = changes
                .into_iter()
                .enumerate()
                .map(|(i, (change, minutes))| MarkEvent {
                    uid: format!("019b0000-0000-7000-8000-{i:012x}"),
                    at: Timestamp::from_second(1_768_000_000 + minutes * 60).unwrap(),
                    change,
                })
                .collect();
            let mut shuffled = events.clone();
            // A deterministic shuffle from the seed, and some events twice.
            let mut x = seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                shuffled.swap(i, usize::try_from(x % (i as u64 + 1)).unwrap());
            }
            shuffled.extend(events.iter().take(usize::try_from(seed % 3).unwrap()).cloned());
            proptest::prop_assert_eq!(folded(&events), folded(&shuffled));
        }
    }
}
