//! Where something was: "X's headquarters resided in P", "X is based in P", "headquartered
//! in P", "the school lay in P near Q", "Its address was 12 Main Street", "P's Hotel Lux",
//! "raided the consul's office in P".

use super::Sink;
use super::context::{Context, Sent};
use crate::facts::{Body, Location};

/// Verbs (after the subject) that place it: "lay in", "was based in".
const PLACING: &[&str] = &[
    "resided",
    "lay",
    "lies",
    "stood",
    "stands",
    "sat",
    "sits",
    "situated",
    "located",
    "based",
    "headquartered",
    "housed",
    "seated",
    "centred",
    "centered",
    "found",
];

/// Nouns of places and premises.
const PREMISES: &[&str] = &[
    "headquarters",
    "office",
    "offices",
    "school",
    "base",
    "seat",
    "embassy",
    "consulate",
    "mission",
    "bureau",
    "branch",
    "station",
    "archive",
    "archives",
    "academy",
    "camp",
    "prison",
    "factory",
    "plant",
    "depot",
    "residence",
    "building",
    "college",
    "campus",
    "center",
    "centre",
    "house",
    "lodge",
];

/// Capitalised words that make a name a building or institution ("Hotel Lux").
const FACILITIES: &[&str] = &[
    "Hotel",
    "Palace",
    "House",
    "Building",
    "Tower",
    "Prison",
    "Castle",
    "Hall",
    "Church",
    "Cathedral",
    "Museum",
    "Theatre",
    "Theater",
    "Station",
    "Institute",
    "University",
    "School",
    "College",
    "Academy",
    "Library",
    "Hospital",
    "Square",
    "Street",
    "Embassy",
    "Fortress",
];

pub fn apply(s: &Sent<'_>, ctx: &mut Context, sink: &mut Sink<'_>) {
    let toks = &s.toks;
    let subject_text = s.subject_text();
    let subject = ctx.resolve(&subject_text);
    let (_, sb) = s.subject;
    let mut found: Found = Vec::new();
    // "S (was) based in P", "S lay in P"
    for i in sb..toks.len().min(sb + 4) {
        if toks[i].is_any(PLACING)
            && toks.get(i + 1).is_some_and(|t| t.is("in"))
            && let (Some(subj), Some(place)) = (subject.clone(), place_at(s, i + 2))
        {
            found.push((subj, place, "locations.placed-in"));
            break;
        }
    }
    // "S was in P" when S names premises.
    if found.is_empty()
        && toks
            .get(sb)
            .is_some_and(|t| t.is_any(&["was", "is", "were"]))
        && toks.get(sb + 1).is_some_and(|t| t.is("in"))
        && subject_text
            .split_whitespace()
            .last()
            .is_some_and(|w| PREMISES.contains(&w.to_lowercase().as_str()))
        && let (Some(subj), Some(place)) = (subject.clone(), place_at(s, sb + 2))
    {
        found.push((subj, place, "locations.was-in"));
    }
    // "headquartered in P" / "based in P" elsewhere in the sentence: about the subject.
    if found.is_empty() {
        for i in sb..toks.len() {
            if toks[i].is_any(&["headquartered", "based"])
                && toks.get(i + 1).is_some_and(|t| t.is("in"))
                && !s.quoted[i]
                && let (Some(subj), Some(place)) = (subject.clone(), place_at(s, i + 2))
            {
                found.push((subj, place, "locations.based-in"));
                break;
            }
        }
    }
    // "Its address was 12 Main Street": the address of the last thing placed, else of "it".
    if subject_text.ends_with("address") && toks.get(sb).is_some_and(|t| t.is_any(&["was", "is"])) {
        let end = (sb + 1..toks.len())
            .find(|&i| matches!(toks[i].text, "," | "." | ";") || (toks[i].is("in") && i > sb + 2))
            .unwrap_or(toks.len());
        let place = s.span(sb + 1, end).to_owned();
        let owner = if subject_text.to_lowercase().starts_with("its") {
            ctx.last_place_subject.clone().or_else(|| ctx.it())
        } else {
            ctx.resolve(subject_text.trim_end_matches("address").trim())
        };
        if let Some(owner) = owner
            && !place.is_empty()
        {
            found.push((owner, place, "locations.address"));
        }
    }
    possessive_facility(s, &mut found);
    moved_or_met(s, ctx, &mut found);
    object_in(s, ctx, sb, &mut found);
    for (subject, place, rule) in found {
        ctx.last_place_subject = Some(subject.clone());
        sink.push(Body::Location(Location { subject, place }), rule, false);
    }
}

type Found = Vec<(String, String, &'static str)>;

/// "Moscow's Hotel Lux": a city's named building.
fn possessive_facility(s: &Sent<'_>, found: &mut Found) {
    let toks = &s.toks;
    // "Moscow's Hotel Lux"
    for i in 1..toks.len().saturating_sub(1) {
        if toks[i].text == "'s"
            && toks[i - 1].is_cap()
            && let Some(n) = s.name_at(i + 1, false)
            && n.first == i + 1
            && s.toks[n.a..n.b]
                .iter()
                .any(|t| FACILITIES.contains(&t.text))
            && let Some(p) = s
                .name_at(i - 1, false)
                .filter(|p| p.b == i && p.first == i - 1)
        {
            found.push((
                s.name_text(&n).to_owned(),
                s.name_text(&p).to_owned(),
                "locations.possessive-facility",
            ));
        }
    }
}

/// "moved to P (and to Q)", "met at P", "were held at P": where the subject went or met.
fn moved_or_met(s: &Sent<'_>, ctx: &Context, found: &mut Found) {
    let toks = &s.toks;
    for i in 0..toks.len().saturating_sub(2) {
        if s.quoted[i] {
            continue;
        }
        let moved = toks[i].is_any(&["moved", "relocated", "returned"]) && toks[i + 1].is("to");
        let met = toks[i].is_any(&["met", "held", "convened", "gathered", "assembled"])
            && toks[i + 1].is("at");
        if !(moved || met) {
            continue;
        }
        // The mover: the noun phrase just before the verb ("the society met"), else the
        // sentence's subject.
        let near = (i.saturating_sub(3)..i)
            .find(|&k| toks[k].is("the"))
            .filter(|_| toks[i - 1].is_word() && !toks[i - 1].is_any(&["were", "was"]))
            .map(|k| s.np_text(k, i));
        let Some(subject) = near
            .or_else(|| Some(s.subject_text()))
            .and_then(|np| ctx.resolve(&np))
            .filter(|np| !np.is_empty())
        else {
            continue;
        };
        let rule = if moved {
            "locations.moved-to"
        } else {
            "locations.met-at"
        };
        let mut k = i + 2;
        // An acronym after "to" is an organisation, not a place ("moved to the GRU").
        while let Some(place) = place_at(s, k).filter(|p| !p.chars().all(char::is_uppercase)) {
            found.push((subject.clone(), place, rule));
            // "... in 1780 and to Burlington House"
            let Some(next) = (k + 1..toks.len().min(k + 10))
                .find(|&j| toks[j].is("to") && toks[j - 1].is("and"))
            else {
                break;
            };
            if !moved {
                break;
            }
            k = next + 1;
        }
    }
}

/// "raided the consul's office in P", "raided ACME in P": premises or acronyms as objects.
fn object_in(s: &Sent<'_>, ctx: &Context, sb: usize, found: &mut Found) {
    let toks = &s.toks;
    // "raided the consul's office in P", "raided ACME in P": premises or acronyms as objects.
    for i in (sb + 1)..toks.len() {
        if !toks[i].is("in") || s.quoted[i] || s.paren[i] {
            continue;
        }
        let Some(place) = place_at(s, i + 1) else {
            continue;
        };
        let prev = &toks[i - 1];
        let object = if prev.is_any(PREMISES) && !prev.is_cap() {
            // Back to the determiner: "the Soviet military attache's office".
            let start = (i.saturating_sub(7)..i - 1)
                .rev()
                .find(|&k| {
                    toks[k].is_any(&["the", "a", "an", "its", "their"])
                        || !toks[k].is_word() && toks[k].text != "'s"
                })
                .map_or(i - 1, |k| k + 1);
            let words: Vec<&str> = toks[start..i].iter().map(|t| t.text).collect();
            Some(words.join(" ").replace(" 's", "'s"))
        } else if let Some(n) = (i.saturating_sub(6)..i)
            .filter_map(|k| s.name_at(k, false))
            .find(|n| n.b == i && !n.quoted())
            .filter(|n| {
                s.toks[n.a..n.b]
                    .iter()
                    .any(|t| FACILITIES.contains(&t.text))
            })
        {
            // "Gresham College in the City of London", "Burlington House in Piccadilly"
            Some(s.name_text(&n).to_owned())
        } else if prev.is_acronym()
            && i >= 2
            && !toks[i - 2].is_any(&["for", "with", "to", "of", "the", "by"])
            && ctx.topic.as_deref() != Some(prev.text)
        {
            Some(prev.text.to_owned())
        } else {
            None
        };
        if let Some(object) = object
            && !found.iter().any(|(_, p, _)| *p == place)
        {
            found.push((object, place, "locations.object-in"));
        }
    }
}

/// A place name at token `i`: capitalised, not a date, not a person's role.
fn place_at(s: &Sent<'_>, i: usize) -> Option<String> {
    if s.dates.iter().any(|d| d.first == i || d.first + 1 == i) {
        return None;
    }
    let n = s.name_at(i, true)?;
    if n.first > i + 1 || n.quoted() {
        return None;
    }
    let text = s.name_text(&n);
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::extract;
    use crate::facts::Body;

    fn places(text: &str) -> Vec<(String, String)> {
        extract(text)
            .facts
            .into_iter()
            .filter_map(|f| match f.body {
                Body::Location(l) => Some((l.subject, l.place)),
                _ => None,
            })
            .collect()
    }

    #[track_caller]
    fn case(text: &str, subject: &str, place: &str) {
        let got = places(text);
        assert!(
            got.contains(&(subject.to_owned(), place.to_owned())),
            "{got:?}"
        );
    }

    #[test]
    fn location_patterns() {
        case(
            "The Guild's main office resided in Bath.",
            "Guild main office",
            "Bath",
        );
        case(
            "The Guild's main office resided in Bath. Its address was 12 Queen Street in the old town.",
            "Guild main office",
            "12 Queen Street",
        );
        case(
            "The Guild's school lay in Wells near Bath.",
            "Guild school",
            "Wells",
        );
        case(
            "The Guild is a union. It is headquartered in Leeds.",
            "Guild",
            "Leeds",
        );
        case("They stayed at Paris's Hotel Ritz.", "Hotel Ritz", "Paris");
        case(
            "In May 1927, the police raided ACME in London.",
            "ACME",
            "London",
        );
        case(
            "The police raided the consul's office in Lima.",
            "consul's office",
            "Lima",
        );
        case(
            "The Guild is a union. In 1710 the guild moved to Crane Yard and to Stone Hall in 1780.",
            "guild",
            "Stone Hall",
        );
        case(
            "The Guild is a union. Meetings were held at Gresham College in the City of London.",
            "Meetings",
            "Gresham College",
        );
        case(
            "The Guild is a union. Meetings were held at Gresham College in the City of London.",
            "Gresham College",
            "City of London",
        );
    }

    #[test]
    fn working_for_an_organisation_is_not_its_location() {
        assert!(places("She worked for the ACME in Rome.").is_empty());
        assert!(
            places("The Guild is old. In 1924, control of the Guild moved to the GRU.").is_empty()
        );
    }
}
