//! One-time interventions, applied at the start of their start week to the
//! residents of their target neighbourhoods: cohesion events, association
//! support, blended contact, and the opening of help exchanges.

use rand::RngExt;

use super::{Intervention, intervention_offices, starting_events, targets};
use crate::associations::Associations;
use crate::hours::Hours;
use crate::ids::{AssociationId, PersonId};
use crate::kinds::TieKind;
use crate::model::Week;
use crate::model::exchange::Office;
use crate::model::peers::{NewTies, tie_between};
use crate::model::strain::Carers;
use crate::network::spatial::{Grid, MIN_CELL_KM};
use crate::network::{Network, NewTie, tie_flags};
use crate::rng::{Stream, poisson, stream};

/// Draws of the grid per new neighbour tie before giving up.
const NEIGHBOUR_TRIES: u32 = 32;

/// Sets the keys of blended-contact draws (keyed by tie) apart from the keys of
/// the other events (keyed by person).
const TIE_KEY_TAG: u64 = 1 << 40;

/// What one-time interventions change: ties (new ones, trust, online contact),
/// volunteers' capacity and the open exchange offices.
pub struct EventState<'a> {
    pub network: &'a mut Network,
    pub carers: &'a mut Carers,
    pub offices: &'a mut Vec<Office>,
    pub new_ties: &'a mut NewTies,
}

/// The week's event step: the interventions starting in `reported_week`, in
/// scenario order. New ties join the network at once (they are there from this
/// week on).
pub fn start_events(
    week: &Week,
    associations: &Associations,
    reported_week: u32,
    state: EventState,
) {
    for (index, event) in starting_events(week.scenario, reported_week) {
        let new_ties = match event {
            Intervention::CohesionEvents {
                extra_neighbour_ties,
                trust_boost,
                ..
            } => cohesion_events(
                week,
                index,
                event,
                *extra_neighbour_ties,
                *trust_boost,
                state.network,
            ),
            Intervention::AssociationSupport {
                extra_membership,
                extra_volunteer_capacity,
                ..
            } => {
                let support = Support {
                    extra_membership: *extra_membership,
                    extra_volunteer_capacity: *extra_volunteer_capacity,
                };
                association_support(week, associations, index, event, support, state.carers)
            }
            Intervention::BlendedContact { blended_share, .. } => {
                blended_contact(week, index, event, *blended_share, state.network);
                Vec::new()
            }
            Intervention::HelpExchange { .. } => {
                for spec in intervention_offices(week.scenario, event) {
                    state.offices.push(Office::open(spec, week.people));
                }
                Vec::new()
            }
            _ => Vec::new(),
        };
        for tie in new_ties {
            state.new_ties.queue(state.network, tie, 0.0);
        }
    }
    state.new_ties.join(state.network);
}

fn targeted_residents(week: &Week, event: &Intervention) -> Vec<PersonId> {
    let people = week.people;
    (0..people.area_residents() as u32)
        .map(PersonId)
        .filter(|p| targets(week.scenario, event, people.neighbourhood[p.index()]))
        .collect()
}

/// Barbecues and street parties: existing neighbour ties of targeted residents
/// gain `boost` trust, and each targeted resident makes on average `extra` new
/// neighbour ties within the neighbour radius (returned, to be queued).
fn cohesion_events(
    week: &Week,
    index: usize,
    event: &Intervention,
    extra: f64,
    boost: f64,
    network: &mut Network,
) -> Vec<NewTie> {
    let residents = targeted_residents(week, event);
    for ego in &residents {
        let boosted: Vec<usize> = network
            .row(*ego)
            .iter()
            .filter(|e| e.kind() == TieKind::Neighbour && *ego < e.other)
            .map(|e| e.tie().index())
            .collect();
        for t in boosted {
            network
                .ties
                .set_trust(t, (network.ties.trust(t) + boost as f32).min(1.0));
        }
    }
    let scenario = week.scenario;
    let people = week.people;
    let radius = scenario.network.neighbour_radius_km as f32;
    let grid = Grid::new(people, radius.max(MIN_CELL_KM));
    let mut new_ties = Vec::new();
    for ego in &residents {
        let home = people.neighbourhood[ego.index()];
        let partner = people.partner(*ego);
        let mut rng = stream(
            scenario.seed,
            Stream::Interventions,
            index as u64,
            u64::from(ego.0),
        );
        for _ in 0..poisson(&mut rng, extra / 2.0) {
            let pick = grid.sample_within(
                &mut rng,
                people.position[ego.index()],
                radius,
                NEIGHBOUR_TRIES,
                |m| m.id != *ego && Some(m.id) != partner && m.neighbourhood == home,
            );
            if let Some(other) = pick {
                let cohesion = scenario.neighbourhoods[home.index()].cohesion;
                let trust = scenario.network.initial_trust.get(TieKind::Neighbour)
                    + scenario.network.neighbour_trust_per_cohesion * cohesion
                    + boost;
                new_ties.push(tie_between(people, *ego, other, TieKind::Neighbour, trust));
            }
        }
    }
    new_ties
}

/// The settings of an association-support lever.
#[derive(Debug, Clone, Copy)]
struct Support {
    extra_membership: f64,
    extra_volunteer_capacity: f64,
}

/// More members and volunteer hours for care-oriented associations: targeted
/// residents who are not members join with `extra_membership` times their usual
/// chance and get ties to co-members (returned, to be queued); those who volunteer
/// for a care-oriented association get `extra_volunteer_capacity` more capacity.
fn association_support(
    week: &Week,
    associations: &Associations,
    index: usize,
    event: &Intervention,
    support: Support,
    carers: &mut Carers,
) -> Vec<NewTie> {
    let scenario = week.scenario;
    let people = week.people;
    let ties_per_membership = scenario.network.association_ties_per_membership;
    let trust = scenario.network.initial_trust.get(TieKind::Association);
    let mut new_ties = Vec::new();
    for ego in targeted_residents(week, event) {
        let home = people.neighbourhood[ego.index()];
        let band = people.age_band[ego.index()].index();
        let mut rng = stream(
            scenario.seed,
            Stream::Interventions,
            index as u64,
            u64::from(ego.0),
        );
        let own = associations.of_person(ego);
        if own
            .iter()
            .any(|m| m.volunteer && associations.instances[m.association.index()].care_oriented)
        {
            let c = carers.capacity[ego.index()];
            let raised = Hours::from_f64(c.as_f64() * (1.0 + support.extra_volunteer_capacity));
            carers.set_capacity(ego, raised);
        }
        for (a, instance) in associations.instances.iter().enumerate() {
            let id = AssociationId(a as u32);
            let covers = instance.neighbourhood.is_none_or(|n| n == home);
            if !instance.care_oriented || !covers || own.iter().any(|m| m.association == id) {
                continue;
            }
            let chance =
                support.extra_membership * scenario.associations[instance.spec].membership[band];
            if rng.random::<f64>() >= chance {
                continue;
            }
            let members = associations.members(id);
            for _ in 0..poisson(&mut rng, ties_per_membership) {
                if members.is_empty() {
                    break;
                }
                let other = members[rng.random_range(0..members.len())];
                new_ties.push(tie_between(people, ego, other, TieKind::Association, trust));
            }
        }
    }
    new_ties
}

/// Online contact: ties of targeted residents (partners aside) become blended
/// so that `share` of them are, counting those that already were.
fn blended_contact(
    week: &Week,
    index: usize,
    event: &Intervention,
    share: f64,
    network: &mut Network,
) {
    let base = week.scenario.network.blended_share;
    let chance = if base >= 1.0 {
        0.0
    } else {
        ((share - base) / (1.0 - base)).clamp(0.0, 1.0)
    };
    let seed = week.scenario.seed;
    for ego in targeted_residents(week, event) {
        let entries: Vec<_> = network.row(ego).to_vec();
        for entry in entries.iter().filter(|e| e.kind() != TieKind::Partner) {
            let t = entry.tie().index();
            let flags = &mut network.ties.flags;
            if flags[t] & tie_flags::BLENDED != 0 {
                continue;
            }
            let mut rng = stream(
                seed,
                Stream::Interventions,
                index as u64,
                t as u64 | TIE_KEY_TAG,
            );
            if rng.random::<f64>() < chance {
                flags[t] |= tie_flags::BLENDED;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::interventions::policies;
    use crate::model::testing::{tiny_network, tiny_people, tiny_scenario};

    /// Runs the events of reported week 0 on residents 0–3 (couples 0–1 and
    /// 2–3) with a neighbour tie 0–2 and a friend tie 1–3.
    fn start(lever: Intervention) -> (Network, Vec<Office>) {
        let mut scenario = tiny_scenario(4);
        scenario.interventions = vec![lever];
        let people = tiny_people(4);
        let mut network = tiny_network(
            4,
            &[
                (0, 1, TieKind::Partner),
                (2, 3, TieKind::Partner),
                (0, 2, TieKind::Neighbour),
                (1, 3, TieKind::Friend),
            ],
        );
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        let mut offices = Vec::new();
        let mut new_ties = NewTies::default();
        let policies = policies(&scenario, Some(0));
        let week = Week::new(&scenario, &people, 0, &policies);
        let state = EventState {
            network: &mut network,
            carers: &mut carers,
            offices: &mut offices,
            new_ties: &mut new_ties,
        };
        start_events(&week, &Associations::default(), 0, state);
        assert!(new_ties.is_empty(), "new ties joined the network at once");
        (network, offices)
    }

    fn trust(network: &Network, a: u32, b: u32) -> f32 {
        let tie = network.tie_between(PersonId(a), PersonId(b)).expect("tied");
        network.ties.trust(tie.tie().index())
    }

    #[test]
    fn cohesion_events_raise_the_trust_of_neighbour_ties_only() {
        let (network, _) = start(Intervention::CohesionEvents {
            start_week: 0,
            neighbourhoods: Vec::new(),
            extra_neighbour_ties: 0.0,
            trust_boost: 0.1,
        });
        assert!((trust(&network, 0, 2) - 0.9).abs() < 1e-6);
        assert_eq!(trust(&network, 1, 3), 0.8);
        assert_eq!(trust(&network, 0, 1), 0.8);
    }

    #[test]
    fn blended_contact_reaches_every_tie_but_partners() {
        let (network, _) = start(Intervention::BlendedContact {
            start_week: 0,
            neighbourhoods: Vec::new(),
            blended_share: 1.0,
        });
        let blended = |a, b| {
            let tie = network.tie_between(PersonId(a), PersonId(b)).expect("tied");
            network.ties.flags[tie.tie().index()] & tie_flags::BLENDED != 0
        };
        assert!(blended(0, 2) && blended(1, 3));
        assert!(!blended(0, 1) && !blended(2, 3));
    }

    #[test]
    fn a_help_exchange_lever_opens_an_office() {
        let (_, offices) = start(Intervention::HelpExchange {
            start_week: 0,
            neighbourhoods: Vec::new(),
            matches_per_week: 3,
            reciprocity_rule: true,
        });
        assert_eq!(offices.len(), 1);
        assert_eq!(offices[0].spec.matches_per_week, 3);
        assert!(offices[0].spec.reciprocity_rule);
    }
}
