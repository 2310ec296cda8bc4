//! Free-text answers (names, places, short phrases): exact after normalisation, then
//! transliteration variants, then typos within a budget, then part of a name; and the guard
//! that refuses an answer that is closer to another known entity than to the answer.

use super::index::{AliasBook, EntityIndex, Rival};
use super::names::{FormKind, Name, distance_within, same_entity, typo_distance};
use super::{Grade, GradeOptions, Verdict, shown};

/// Why a target is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Answer,
    Accepted,
    Alias,
}

/// How the typed text met a target, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum How {
    Exact,
    Variant,
    Typo(usize),
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    how: How,
    kind: FormKind,
    target: usize,
}

struct Target<'a> {
    name: Name,
    role: Role,
    /// For aliases, the card's answer or accepted name they stand for.
    of: Option<&'a str>,
}

/// Grades `typed` against `answer`, the card's `accept` list and the aliases of both.
pub fn grade_text(
    index: &EntityIndex,
    aliases: &AliasBook,
    answer: &str,
    accept: &[String],
    typed: &str,
    options: GradeOptions,
) -> Grade {
    let typed_name = Name::parse(typed);
    let targets = targets(aliases, answer, accept);
    let keep = |n: &Name| !targets.iter().any(|t| same_entity(n, &t.name));
    let answer_shown = shown(answer);

    let Some(hit) = best_hit(&targets, &typed_name, options) else {
        return no_hit(
            index,
            aliases,
            &targets,
            &typed_name,
            typed,
            &answer_shown,
            options,
            keep,
        );
    };
    let target = &targets[hit.target];

    if let How::Typo(d) = hit.how {
        if let Some(rival) = index.nearest(&typed_name.skel, d, keep) {
            let same_surname = rival.name.surname_skel().is_some()
                && rival.name.surname_skel() == target.name.surname_skel();
            if rival.distance == d && same_surname && hit.kind == FormKind::Surname {
                return ambiguous(&answer_shown, typed, rival.name);
            }
            return closer_to(aliases, typed, &rival, d, &answer_shown);
        }
        // "Richard Serge" for "Richard Sorge": one letter off the whole name, but the
        // surname typed is another person's.
        if let (Some(k), Some(surname)) = (target.name.surname_words, target.name.surname_skel())
            && typed_name.word_skels.len() > k
        {
            let typed_surname = typed_name.word_skels[typed_name.word_skels.len() - k..].concat();
            if let Some(ds) = distance_within(&typed_surname, &surname, d)
                && ds > 0
                && let Some(rival) = index.nearest(&typed_surname, ds - 1, keep)
            {
                return closer_to(aliases, typed, &rival, ds, &answer_shown);
            }
        }
    }
    if hit.kind == FormKind::Surname
        && let Some(rival) = index.exact(&typed_name.skel, keep)
    {
        return ambiguous(&answer_shown, typed, rival);
    }

    let what = match target.role {
        Role::Answer => answer_shown.clone(),
        Role::Accepted => format!("{} (also accepted)", shown(&target.name.display)),
        Role::Alias => format!(
            "{}, another name for {}",
            shown(&target.name.display),
            shown(target.of.unwrap_or(answer))
        ),
    };
    match hit.how {
        How::Exact => Grade::new(Verdict::Correct, 1.0, format!("correct: {what}")),
        How::Variant => Grade::new(
            Verdict::Close,
            0.9,
            format!(
                "accepted: {what} — you wrote {}, a spelling variant",
                shown(typed)
            ),
        ),
        How::Typo(d) => Grade::new(
            Verdict::Close,
            0.9 - 0.1 * d as f64,
            format!(
                "accepted: {what} — you wrote {}, a typo ({d} {} off)",
                shown(typed),
                if d == 1 { "letter" } else { "letters" }
            ),
        ),
    }
}

/// The answer, its accepted alternatives, and every alias of either.
fn targets<'a>(aliases: &AliasBook, answer: &'a str, accept: &'a [String]) -> Vec<Target<'a>> {
    let mut targets = vec![Target {
        name: Name::parse(answer),
        role: Role::Answer,
        of: None,
    }];
    targets.extend(accept.iter().map(|a| Target {
        name: Name::parse(a),
        role: Role::Accepted,
        of: None,
    }));
    let direct = targets.len();
    for i in 0..direct {
        let of = if i == 0 {
            answer
        } else {
            accept[i - 1].as_str()
        };
        let found: Vec<Name> = aliases
            .aliases_of(&targets[i].name)
            .into_iter()
            .cloned()
            .collect();
        targets.extend(found.into_iter().map(|name| Target {
            name,
            role: Role::Alias,
            of: Some(of),
        }));
    }
    targets.retain(|t| !t.name.skel.is_empty());
    targets
}

/// The best way the typed text meets any form of any target.
fn best_hit(targets: &[Target<'_>], typed: &Name, options: GradeOptions) -> Option<Hit> {
    let mut best: Option<Hit> = None;
    for (i, target) in targets.iter().enumerate() {
        // Numbers must match exactly: "4th Congress" is not "3rd Congress".
        if target.name.numbers != typed.numbers {
            continue;
        }
        for form in target.name.forms(options.surname_alone && !options.strict) {
            if options.strict && form.kind != FormKind::Full {
                continue;
            }
            let how = if form.norm == typed.norm {
                How::Exact
            } else if options.strict {
                continue;
            } else if form.skel == typed.skel {
                How::Variant
            } else if let Some(d) = typo_distance(typed, &form) {
                How::Typo(d)
            } else {
                continue;
            };
            let hit = Hit {
                how,
                kind: form.kind,
                target: i,
            };
            // Prefer the better match, then the full form (no surname check), then the
            // answer over its alternatives.
            let key = |h: &Hit| (h.how, h.kind == FormKind::Surname, h.target);
            if best.as_ref().is_none_or(|b| key(&hit) < key(b)) {
                best = Some(hit);
            }
        }
    }
    best
}

/// No form matched: middle names, part of a name, another known entity, or plain wrong.
#[allow(clippy::too_many_arguments)]
fn no_hit(
    index: &EntityIndex,
    aliases: &AliasBook,
    targets: &[Target<'_>],
    typed_name: &Name,
    typed: &str,
    answer_shown: &str,
    options: GradeOptions,
    keep: impl Fn(&Name) -> bool,
) -> Grade {
    if !options.strict {
        let direct = targets.iter().filter(|t| t.role != Role::Alias);
        for target in direct.clone() {
            if target.name.with_middle_names(&typed_name.word_skels) {
                return Grade::new(
                    Verdict::Correct,
                    1.0,
                    format!("correct: {answer_shown} (middle names not checked)"),
                );
            }
        }
        // A fuller known name of the same entity: "Osip Piatnitsky" when the card says
        // "Piatnitsky".
        let fuller_of = |n: &Name| {
            n.skel == typed_name.skel
                && targets.iter().any(|t| {
                    t.role != Role::Alias
                        && n.word_skels.len() > t.name.word_skels.len()
                        && same_entity(n, &t.name)
                })
        };
        if let Some(fuller) = index.exact(&typed_name.skel, fuller_of) {
            return if fuller.norm == typed_name.norm {
                Grade::new(
                    Verdict::Correct,
                    1.0,
                    format!(
                        "correct: {answer_shown} ({} is the same)",
                        shown(&fuller.display)
                    ),
                )
            } else {
                Grade::new(
                    Verdict::Close,
                    0.9,
                    format!(
                        "accepted: {answer_shown} — you wrote {}, a spelling variant of {}",
                        shown(typed),
                        shown(&fuller.display)
                    ),
                )
            };
        }
        let share = direct
            .filter_map(|t| t.name.word_share(&typed_name.word_skels))
            .fold(0.0_f64, f64::max);
        if share >= 1.0 {
            return Grade::new(
                Verdict::Close,
                0.9,
                format!(
                    "accepted: {answer_shown} — you wrote {}, the words in another order",
                    shown(typed)
                ),
            );
        }
        if share > 0.0 {
            let why = if options.surname_alone {
                "you gave only part of the name"
            } else {
                "the full name is required"
            };
            return Grade::new(
                Verdict::Partial,
                share,
                format!("partly right: {answer_shown} — {why}"),
            );
        }
    }
    if let Some(rival) = index.exact(&typed_name.skel, keep) {
        return Grade::new(
            Verdict::Wrong,
            0.0,
            format!(
                "wrong: {} is {}; the answer is {answer_shown}",
                shown(typed),
                describe(aliases, rival)
            ),
        )
        .confused(&aliases.principal(rival).display);
    }
    Grade::new(
        Verdict::Wrong,
        0.0,
        format!("wrong: the answer is {answer_shown}"),
    )
}

/// Wrong: the typed text is nearer (or as near) another known entity than the answer.
fn closer_to(
    aliases: &AliasBook,
    typed: &str,
    rival: &Rival<'_>,
    distance_to_answer: usize,
    answer_shown: &str,
) -> Grade {
    let principal = aliases.principal(rival.name);
    Grade::new(
        Verdict::Wrong,
        0.0,
        format!(
            "wrong: {} is {} {}, {}; the answer is {answer_shown}",
            shown(typed),
            if rival.distance < distance_to_answer {
                "closer to"
            } else {
                "as close to"
            },
            shown(&principal.display),
            another(principal),
        ),
    )
    .confused(&principal.display)
}

fn ambiguous(answer_shown: &str, typed: &str, rival: &Name) -> Grade {
    Grade::new(
        Verdict::Partial,
        0.5,
        format!(
            "partly right: {answer_shown} — {} alone could also be {}",
            shown(typed),
            shown(&rival.display)
        ),
    )
}

/// "another person in this deck" or "another name in this deck".
fn another(name: &Name) -> &'static str {
    if name.is_person() {
        "another person in this deck"
    } else {
        "another name in this deck"
    }
}

/// How to name a rival the learner wrote exactly: "another person in this deck", or, for an
/// alias, "Mikhail Trilisser, another person in this deck".
fn describe(aliases: &AliasBook, rival: &Name) -> String {
    let principal = aliases.principal(rival);
    if principal.skel == rival.skel {
        another(rival).to_owned()
    } else {
        format!("{}, {}", shown(&principal.display), another(principal))
    }
}
