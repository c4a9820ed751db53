//! Tiny hand-built worlds for the submodels' unit tests: a handful of residents
//! in one neighbourhood, in couples (0 and 1, 2 and 3, …), with traits set by
//! hand, and ties written out one by one.

use super::case::Case;
use super::needs::Episode;
use crate::hours::Hours;
use crate::ids::PersonId;
use crate::kinds::{AgeBand, EpisodeKind, KinRelation, Task, TieKind};
use crate::network::{Network, NewTie, tie_flags};
use crate::population::{People, build_residents};
use crate::scenario::{Neighbourhood, Scenario};

/// A scenario of one neighbourhood of `adults` residents, all in couples.
pub fn tiny_scenario(adults: u32) -> Scenario {
    Scenario {
        name: "tiny".into(),
        neighbourhoods: vec![Neighbourhood {
            name: "A".into(),
            adults,
            living_alone: 0.0,
            ..Neighbourhood::default()
        }],
        ..Scenario::default()
    }
}

/// The residents of [`tiny_scenario`], each with 10 hours a week for others,
/// middling helpfulness, reluctance and formal trust, and aged 18–34.
pub fn tiny_people(adults: u32) -> People {
    let mut people = build_residents(&tiny_scenario(adults));
    let n = people.len();
    people.capacity = vec![10.0; n];
    people.helpfulness = vec![0.5; n];
    people.ask_reluctance = vec![0.5; n];
    people.formal_trust = vec![0.5; n];
    people.position = vec![[0.0, 0.0]; n];
    people.age_band = vec![AgeBand::Age18To34; n];
    people
}

/// A network of `people` persons with the given ties (trust 0.8, 1 km apart).
pub fn tiny_network(people: usize, ties: &[(u32, u32, TieKind)]) -> Network {
    let ties: Vec<NewTie> = ties
        .iter()
        .map(|&(a, b, kind)| NewTie {
            ends: PersonId::ordered_pair(PersonId(a), PersonId(b)),
            kind,
            trust: 0.8,
            distance_km: 1.0,
            flags: 0,
        })
        .collect();
    Network::from_ties(people, &ties)
}

/// A kin tie of trust 0.8 and `km` long, on which `b` is `relation_of_b_to_a`
/// to `a` (stored, as formation does, as the higher id's relation to the lower).
pub fn kin_tie(a: u32, b: u32, relation_of_b_to_a: KinRelation, km: f32) -> NewTie {
    let stored = if a < b {
        relation_of_b_to_a
    } else {
        relation_of_b_to_a.inverse()
    };
    NewTie {
        ends: PersonId::ordered_pair(PersonId(a), PersonId(b)),
        kind: TieKind::Kin,
        trust: 0.8,
        distance_km: km,
        flags: tie_flags::relation_bits(stored),
    }
}

/// A resident with a long-term need of `hours` a week of household tasks, open
/// in full this week (week 0).
pub fn case_in_need(person: PersonId, hours: f64) -> Case {
    let mut case = Case::new(person, crate::ids::NeighbourhoodId(0));
    let weekly = Hours::from_f64(hours);
    case.episodes[EpisodeKind::LongTerm.index()] = Some(Episode {
        kind: EpisodeKind::LongTerm,
        weekly,
        start_week: 0,
        end_week: 100,
    });
    case.demand[EpisodeKind::LongTerm.index()][Task::Household.index()] = weekly;
    case.hours.need = weekly;
    case
}
