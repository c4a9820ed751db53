//! Associations and their members (docs/ODD.md §2). An association of the scenario
//! becomes one instance per catchment: one for the area, one for a named
//! neighbourhood, or one in every neighbourhood.

use rand::RngExt;
use rayon::prelude::*;

use crate::ids::{AssociationId, NeighbourhoodId, PersonId};
use crate::population::People;
use crate::rng::{Stream, stream};
use crate::scenario::{Catchment, Scenario};

/// One association working in one catchment.
#[derive(Debug, Clone, PartialEq)]
pub struct AssociationInstance {
    /// Index into the scenario's `association` list.
    pub spec: usize,
    /// `None` for an area-wide association.
    pub neighbourhood: Option<NeighbourhoodId>,
    pub care_oriented: bool,
}

/// A person's membership of an association instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Membership {
    pub association: AssociationId,
    /// The member volunteers for the association.
    pub volunteer: bool,
}

/// Association instances with their members, both ways round.
#[derive(Debug, Clone, Default)]
pub struct Associations {
    pub instances: Vec<AssociationInstance>,
    /// Start of each person's memberships, plus the end.
    person_start: Vec<u32>,
    memberships: Vec<Membership>,
    /// Start of each instance's members, plus the end.
    member_start: Vec<u32>,
    members: Vec<PersonId>,
}

impl Associations {
    /// Instances for the scenario's associations.
    pub fn instances_of(scenario: &Scenario) -> Vec<AssociationInstance> {
        let mut instances = Vec::new();
        for (spec, a) in scenario.associations.iter().enumerate() {
            let mut add = |neighbourhood| {
                instances.push(AssociationInstance {
                    spec,
                    neighbourhood,
                    care_oriented: a.care_oriented,
                })
            };
            match &a.catchment {
                Catchment::Area => add(None),
                Catchment::EachNeighbourhood => (0..scenario.neighbourhoods.len())
                    .for_each(|n| add(Some(NeighbourhoodId(n as u16)))),
                Catchment::Neighbourhood(name) => {
                    if let Some(n) = scenario.neighbourhood_index(name) {
                        add(Some(NeighbourhoodId(n as u16)));
                    }
                }
            }
        }
        instances
    }

    /// Draws memberships for every resident: each joins each association working in
    /// their neighbourhood with the chance for their age band. Only the instances
    /// that work where a resident lives are looked at (so the cost does not grow
    /// with the number of neighbourhoods), and each association's draw comes from
    /// its own stream (so adding an association changes no other membership).
    pub fn draw(scenario: &Scenario, people: &People) -> Associations {
        let instances = Self::instances_of(scenario);
        let draws = MembershipDraws::new(scenario, &instances);
        let per_person: Vec<Vec<Membership>> = (0..people.area_residents() as u32)
            .into_par_iter()
            .map(|p| draws.of(people, PersonId(p), 0))
            .collect();
        Self::from_memberships(instances, people.len(), &per_person)
    }

    /// The residents who took a home at the turn of `year` (docs/ODD.md
    /// §7.2.1) draw their memberships as residents did at the start, from
    /// draws of their own for that year; everyone else keeps theirs. A
    /// membership is the person's, not the home's: without this a newcomer
    /// kept the memberships drawn for the home's previous occupant, of another
    /// age band (until session 40).
    pub fn draw_for_newcomers(
        &mut self,
        scenario: &Scenario,
        people: &People,
        newcomers: &[PersonId],
        year: u32,
    ) {
        if newcomers.is_empty() || self.instances.is_empty() {
            return;
        }
        let instances = std::mem::take(&mut self.instances);
        let draws = MembershipDraws::new(scenario, &instances);
        let mut per_person: Vec<Vec<Membership>> = (0..people.area_residents() as u32)
            .map(|p| self.of_person(PersonId(p)).to_vec())
            .collect();
        for &p in newcomers {
            per_person[p.index()] = draws.of(people, p, year);
        }
        *self = Self::from_memberships(instances, people.len(), &per_person);
    }

    fn from_memberships(
        instances: Vec<AssociationInstance>,
        people: usize,
        per_person: &[Vec<Membership>],
    ) -> Associations {
        let mut person_start = Vec::with_capacity(people + 1);
        let mut memberships = Vec::new();
        let mut member_lists = vec![Vec::new(); instances.len()];
        for (p, mine) in per_person.iter().enumerate() {
            person_start.push(memberships.len() as u32);
            for m in mine {
                member_lists[m.association.index()].push(PersonId(p as u32));
            }
            memberships.extend_from_slice(mine);
        }
        for _ in per_person.len()..people {
            person_start.push(memberships.len() as u32);
        }
        person_start.push(memberships.len() as u32);
        let mut member_start = vec![0u32];
        let mut members = Vec::new();
        for list in member_lists {
            members.extend(list);
            member_start.push(members.len() as u32);
        }
        Associations {
            instances,
            person_start,
            memberships,
            member_start,
            members,
        }
    }

    /// A person's memberships (empty for outside alters).
    pub fn of_person(&self, person: PersonId) -> &[Membership] {
        let p = person.index();
        match (self.person_start.get(p), self.person_start.get(p + 1)) {
            (Some(start), Some(end)) => &self.memberships[*start as usize..*end as usize],
            _ => &[],
        }
    }

    /// The members of an association instance, in id order.
    pub fn members(&self, association: AssociationId) -> &[PersonId] {
        let a = association.index();
        &self.members[self.member_start[a] as usize..self.member_start[a + 1] as usize]
    }

    /// Total memberships.
    pub fn membership_count(&self) -> usize {
        self.memberships.len()
    }
}

/// The association instances open to each resident, and their draws.
struct MembershipDraws<'a> {
    scenario: &'a Scenario,
    instances: &'a [AssociationInstance],
    area_wide: Vec<usize>,
    local: Vec<Vec<usize>>,
}

impl<'a> MembershipDraws<'a> {
    fn new(scenario: &'a Scenario, instances: &'a [AssociationInstance]) -> Self {
        let mut area_wide = Vec::new();
        let mut local = vec![Vec::new(); scenario.neighbourhoods.len()];
        for (i, instance) in instances.iter().enumerate() {
            match instance.neighbourhood {
                None => area_wide.push(i),
                Some(n) => local[n.index()].push(i),
            }
        }
        MembershipDraws {
            scenario,
            instances,
            area_wide,
            local,
        }
    }

    /// `person`'s memberships, sorted: two uniforms per association open to
    /// them (join, volunteer) from the stream Memberships keyed by the person
    /// and the association's index in the scenario, with the year of a
    /// newcomer's turn in the key's upper half (0 at the start).
    fn of(&self, people: &People, person: PersonId, year: u32) -> Vec<Membership> {
        let p = person.index();
        let home = people.neighbourhood[p];
        let band = people.age_band[p].index();
        let mut mine: Vec<Membership> = self
            .area_wide
            .iter()
            .chain(&self.local[home.index()])
            .filter_map(|&i| {
                let spec_index = self.instances[i].spec;
                let spec = &self.scenario.associations[spec_index];
                let key = spec_index as u64 | (u64::from(year) << 32);
                let mut rng = stream(
                    self.scenario.seed,
                    Stream::Memberships,
                    u64::from(person.0),
                    key,
                );
                let join: f64 = rng.random();
                let volunteer: f64 = rng.random();
                (join < spec.membership[band]).then_some(Membership {
                    association: AssociationId(i as u32),
                    volunteer: volunteer < spec.volunteer_share,
                })
            })
            .collect();
        mine.sort_unstable();
        mine
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::build_residents;

    #[test]
    fn each_neighbourhood_association_takes_only_its_residents() {
        let scenario = Scenario::default();
        let people = build_residents(&scenario);
        let associations = Associations::draw(&scenario, &people);
        let per_neighbourhood: Vec<_> = associations
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| i.neighbourhood.is_some())
            .collect();
        assert_eq!(per_neighbourhood.len(), scenario.neighbourhoods.len());
        for (id, instance) in per_neighbourhood {
            let members = associations.members(AssociationId(id as u32));
            assert!(!members.is_empty());
            assert!(
                members
                    .iter()
                    .all(|m| Some(people.neighbourhood[m.index()]) == instance.neighbourhood)
            );
        }
    }

    #[test]
    fn membership_rate_follows_age_band() {
        let mut scenario = Scenario::default();
        scenario.associations.truncate(1);
        scenario.associations[0].membership = [0.0, 0.0, 0.0, 0.5];
        let people = build_residents(&scenario);
        let associations = Associations::draw(&scenario, &people);
        let members = associations.members(AssociationId(0));
        assert!(
            members
                .iter()
                .all(|m| people.age_band[m.index()] == crate::kinds::AgeBand::Age75Plus)
        );
        let old = people
            .age_band
            .iter()
            .filter(|b| **b == crate::kinds::AgeBand::Age75Plus)
            .count();
        let share = members.len() as f64 / old as f64;
        assert!((share - 0.5).abs() < 0.05, "{share}");
        for m in members {
            assert_eq!(associations.of_person(*m).len(), 1);
        }
    }
}
