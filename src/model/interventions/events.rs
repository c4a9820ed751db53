//! One-time interventions (MODEL.md §7), applied at the start of their start week
//! to the residents of their target neighbourhoods: cohesion events, association
//! support, blended contact, and the opening of help exchanges.

use rand::RngExt;

use super::Engine;
use crate::exchange::Office;
use crate::hours::Hours;
use crate::ids::{AssociationId, PersonId};
use crate::interventions::{intervention_offices, starting_events, targets};
use crate::kinds::TieKind;
use crate::network::spatial::Grid;
use crate::network::{NewTie, tie_flags};
use crate::population::distance_km;
use crate::rng::{Stream, poisson, stream};
use crate::scenario::Intervention;

/// Draws of the grid per new neighbour tie before giving up.
const NEIGHBOUR_TRIES: u32 = 32;

impl Engine {
    pub(super) fn start_events(&mut self, reported_week: u32) {
        let events: Vec<(usize, Intervention)> =
            starting_events(&self.world.scenario, reported_week)
                .into_iter()
                .map(|(i, e)| (i, e.clone()))
                .collect();
        for (index, event) in events {
            match &event {
                Intervention::CohesionEvents {
                    extra_neighbour_ties,
                    trust_boost,
                    ..
                } => self.cohesion_events(index, &event, *extra_neighbour_ties, *trust_boost),
                Intervention::AssociationSupport {
                    extra_membership,
                    extra_volunteer_capacity,
                    ..
                } => self.association_support(
                    index,
                    &event,
                    *extra_membership,
                    *extra_volunteer_capacity,
                ),
                Intervention::BlendedContact { blended_share, .. } => {
                    self.blended_contact(index, &event, *blended_share)
                }
                Intervention::HelpExchange { .. } => {
                    for spec in intervention_offices(&self.world.scenario, &event) {
                        self.offices.push(Office::open(spec, &self.world.people));
                    }
                }
                _ => {}
            }
        }
        // The new ties are there from this week on.
        self.add_pending_ties();
    }

    fn targeted_residents(&self, event: &Intervention) -> Vec<PersonId> {
        let people = &self.world.people;
        (0..people.area_residents() as u32)
            .map(PersonId)
            .filter(|p| targets(&self.world.scenario, event, people.neighbourhood[p.index()]))
            .collect()
    }

    /// Barbecues and street parties: each targeted resident makes on average
    /// `extra` new neighbour ties within the neighbour radius, and existing
    /// neighbour ties gain `boost` trust.
    fn cohesion_events(&mut self, index: usize, event: &Intervention, extra: f64, boost: f64) {
        let scenario = &self.world.scenario;
        let people = &self.world.people;
        let radius = scenario.network.neighbour_radius_km as f32;
        let grid = Grid::new(people, radius.max(0.05));
        let residents = self.targeted_residents(event);
        let network = &mut self.world.network;
        for ego in &residents {
            let boosted: Vec<usize> = network
                .row(*ego)
                .iter()
                .filter(|e| e.kind() == TieKind::Neighbour && *ego < e.other)
                .map(|e| e.tie().index())
                .collect();
            for t in boosted {
                network.ties.trust[t] = (network.ties.trust[t] + boost as f32).min(1.0);
            }
        }
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
                    |p| p != *ego && Some(p) != partner && people.neighbourhood[p.index()] == home,
                    |p| people.position[p.index()],
                );
                if let Some(other) = pick {
                    let cohesion = scenario.neighbourhoods[home.index()].cohesion;
                    let trust = scenario.network.initial_trust.get(TieKind::Neighbour)
                        + scenario.network.neighbour_trust_per_cohesion * cohesion
                        + boost;
                    new_ties.push(new_tie(people, *ego, other, TieKind::Neighbour, trust));
                }
            }
        }
        for tie in new_ties {
            self.queue_tie(tie, 0.0);
        }
    }

    /// More members and volunteer hours for care-oriented associations: targeted
    /// residents who are not members join with `extra_membership` times their usual
    /// chance and get ties to co-members; those who volunteer for a care-oriented
    /// association get `extra_volunteer_capacity` more capacity.
    fn association_support(
        &mut self,
        index: usize,
        event: &Intervention,
        extra_membership: f64,
        extra_volunteer_capacity: f64,
    ) {
        let scenario = &self.world.scenario;
        let people = &self.world.people;
        let associations = &self.world.associations;
        let ties_per_membership = scenario.network.association_ties_per_membership;
        let trust = scenario.network.initial_trust.get(TieKind::Association);
        let mut new_ties = Vec::new();
        for ego in self.targeted_residents(event) {
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
                let c = &mut self.carers.capacity[ego.index()];
                *c = Hours::from_f64(c.as_f64() * (1.0 + extra_volunteer_capacity));
            }
            for (a, instance) in associations.instances.iter().enumerate() {
                let id = AssociationId(a as u32);
                let covers = instance.neighbourhood.is_none_or(|n| n == home);
                if !instance.care_oriented || !covers || own.iter().any(|m| m.association == id) {
                    continue;
                }
                let chance =
                    extra_membership * scenario.associations[instance.spec].membership[band];
                if rng.random::<f64>() >= chance {
                    continue;
                }
                let members = associations.members(id);
                for _ in 0..poisson(&mut rng, ties_per_membership) {
                    if members.is_empty() {
                        break;
                    }
                    let other = members[rng.random_range(0..members.len())];
                    new_ties.push(new_tie(people, ego, other, TieKind::Association, trust));
                }
            }
        }
        for tie in new_ties {
            self.queue_tie(tie, 0.0);
        }
    }

    /// Online contact: ties of targeted residents (partners aside) become blended
    /// so that `share` of them are, counting those that already were.
    fn blended_contact(&mut self, index: usize, event: &Intervention, share: f64) {
        let base = self.world.scenario.network.blended_share;
        let chance = if base >= 1.0 {
            0.0
        } else {
            ((share - base) / (1.0 - base)).clamp(0.0, 1.0)
        };
        let seed = self.world.scenario.seed;
        for ego in self.targeted_residents(event) {
            let entries: Vec<_> = self.world.network.row(ego).to_vec();
            for entry in entries.iter().filter(|e| e.kind() != TieKind::Partner) {
                let t = entry.tie().index();
                let flags = &mut self.world.network.ties.flags;
                if flags[t] & tie_flags::BLENDED != 0 {
                    continue;
                }
                let mut rng = stream(
                    seed,
                    Stream::Interventions,
                    index as u64,
                    t as u64 | 1 << 40,
                );
                if rng.random::<f64>() < chance {
                    flags[t] |= tie_flags::BLENDED;
                }
            }
        }
    }
}

fn new_tie(
    people: &crate::population::People,
    a: PersonId,
    b: PersonId,
    kind: TieKind,
    trust: f64,
) -> NewTie {
    NewTie {
        ends: if a < b { [a, b] } else { [b, a] },
        kind,
        trust: trust.clamp(0.0, 1.0) as f32,
        distance_km: distance_km(people.position[a.index()], people.position[b.index()]),
        flags: 0,
    }
}
