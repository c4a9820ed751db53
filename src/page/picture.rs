//! The small network picture: a block of one neighbourhood (the residents
//! nearest its centre, at most [`MAX_RESIDENTS`]), the ties among them by kind,
//! and each week's help to them, from inside the block or from further away.
//!
//! A block rather than a random sample, because neighbour ties reach only about
//! 200 m: a compact block shows them, and shows that most help still comes from
//! outside it (Linders).

use std::collections::HashMap;

use serde::Serialize;

use crate::engine::Gift;
use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::{Locality, TieKind};
use crate::model::case::Case;
use crate::world::World;

/// Most residents drawn: enough to see a street's ties, few enough to read.
pub const MAX_RESIDENTS: usize = 150;

/// A drawn resident.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Position in km from the neighbourhood's centre.
    pub x: f32,
    pub y: f32,
    pub age_band: &'static str,
}

/// A tie between two drawn residents (indices into `nodes`), as built.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub kind: &'static str,
}

/// Help to one drawn resident in one week from one helper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    /// The receiver (index into `nodes`).
    pub to: usize,
    /// The helper, when drawn too.
    pub from: Option<usize>,
    /// Where the helper lives: `block` (drawn), or a [`Locality`] name.
    pub source: &'static str,
    /// Tie kind the help went over (`partner` for household help, usual help
    /// included).
    pub kind: &'static str,
    pub hours: f64,
}

/// The block of one neighbourhood.
#[derive(Debug, Clone, Serialize)]
pub struct Picture {
    pub neighbourhood: String,
    /// Residents of the whole neighbourhood.
    pub residents: usize,
    pub radius_km: f64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Node index of each drawn person, for the weekly flows.
    #[serde(skip)]
    index: HashMap<PersonId, usize>,
    #[serde(skip)]
    home: NeighbourhoodId,
}

impl Picture {
    /// The residents of neighbourhood `n` nearest its centre (ties broken by id,
    /// so the block is the same on every run of the world) and their ties.
    pub fn of(world: &World, n: usize) -> Picture {
        let spec = &world.scenario.neighbourhoods[n];
        let people = &world.people;
        let centre = [spec.centre_km[0] as f32, spec.centre_km[1] as f32];
        let offset = |p: PersonId| {
            let [x, y] = people.position[p.index()];
            (x - centre[0], y - centre[1])
        };
        let mut members: Vec<PersonId> = people
            .neighbourhood_members(NeighbourhoodId(n as u16))
            .map(PersonId)
            .collect();
        let residents = members.len();
        let distance = |p: &PersonId| {
            let (dx, dy) = offset(*p);
            dx * dx + dy * dy
        };
        members.sort_by(|a, b| distance(a).total_cmp(&distance(b)).then(a.cmp(b)));
        members.truncate(MAX_RESIDENTS);
        let index: HashMap<PersonId, usize> =
            members.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let nodes = members
            .iter()
            .map(|p| {
                let (x, y) = offset(*p);
                Node {
                    x,
                    y,
                    age_band: people.age_band[p.index()].name(),
                }
            })
            .collect();
        let mut edges = Vec::new();
        for (a, person) in members.iter().enumerate() {
            for entry in world.network.row(*person) {
                if let Some(&b) = index.get(&entry.other).filter(|b| **b > a) {
                    edges.push(Edge {
                        a,
                        b,
                        kind: entry.kind().name(),
                    });
                }
            }
        }
        Picture {
            neighbourhood: spec.name.clone(),
            residents,
            radius_km: spec.radius_km,
            nodes,
            edges,
            index,
            home: NeighbourhoodId(n as u16),
        }
    }

    /// This week's help to drawn residents, one flow per helper and receiver,
    /// in the order of the receivers and then of the helpers: a partner's
    /// household help from this week's `cases` (all of it, as the page's
    /// "by the partner" hours count it), the rest from the week's `gifts`.
    ///
    /// Not the household gifts: the ledger notes only a partner's care beyond
    /// usual help (docs/ODD.md §7.10.3), so the picture said "0.0 hours of help
    /// from their partner" beside 4,379 hours by partners in the week's numbers
    /// (QA 36).
    pub fn flows(&self, world: &World, cases: &[Case], gifts: &[Gift]) -> Vec<Flow> {
        let people = &world.people;
        let network = &world.network;
        let home = self.home;
        let mut hours: HashMap<(usize, PersonId), (f64, &'static str)> = HashMap::new();
        for case in cases.iter().filter(|c| c.hours.household.0 > 0) {
            let (Some(&to), Some(partner)) =
                (self.index.get(&case.person), people.partner(case.person))
            else {
                continue;
            };
            let entry = hours
                .entry((to, partner))
                .or_insert((0.0, TieKind::Partner.name()));
            entry.0 += case.hours.household.as_f64();
        }
        for gift in gifts.iter().filter(|g| !g.household) {
            let Some(&to) = self.index.get(&gift.receiver) else {
                continue;
            };
            // A gift over a volunteer tie made this week has no tie id yet;
            // by the end of the week the tie is in the network.
            let kind = gift
                .tie
                .map(|t| network.ties.kind[t.index()])
                .or_else(|| {
                    network
                        .tie_between(gift.helper, gift.receiver)
                        .map(|e| e.kind())
                })
                .unwrap_or(TieKind::Volunteer);
            let entry = hours.entry((to, gift.helper)).or_insert((0.0, kind.name()));
            entry.0 += gift.hours.as_f64();
        }
        // HashMap order is arbitrary; the page gets a fixed order.
        let mut by_pair: Vec<_> = hours.into_iter().collect();
        by_pair.sort_by_key(|((to, helper), _)| (*to, *helper));
        by_pair
            .into_iter()
            .map(|((to, helper), (hours, kind))| {
                let from = self.index.get(&helper).copied();
                let lives = people.neighbourhood[helper.index()];
                let source = if from.is_some() {
                    "block"
                } else if lives.is_outside() {
                    Locality::Outside.name()
                } else if lives == home {
                    Locality::SameNeighbourhood.name()
                } else {
                    Locality::CrossNeighbourhood.name()
                };
                Flow {
                    to,
                    from,
                    source,
                    kind,
                    hours: (hours * 100.0).round() / 100.0,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn small() -> Scenario {
        Scenario::default_scaled(300, 3, 2)
    }

    #[test]
    fn the_block_is_the_nearest_residents_and_their_ties() {
        let world = World::build(&small());
        let picture = Picture::of(&world, 1);
        assert_eq!(picture.neighbourhood, "Tuindorp");
        assert_eq!(picture.nodes.len(), MAX_RESIDENTS);
        assert_eq!(picture.residents, 300);
        let farthest = picture
            .nodes
            .iter()
            .map(|n| crate::population::distance_km([n.x, n.y], [0.0, 0.0]))
            .fold(0.0f32, f32::max);
        let members = world.people.neighbourhood_members(NeighbourhoodId(1));
        let centre = world.scenario.neighbourhoods[1].centre_km;
        let outside_block = members
            .map(PersonId)
            .filter(|p| !picture.index.contains_key(p))
            .map(|p| {
                let [x, y] = world.people.position[p.index()];
                crate::population::distance_km([x, y], [centre[0] as f32, centre[1] as f32])
            })
            .fold(f32::INFINITY, f32::min);
        assert!(farthest <= outside_block + 1e-6);
        assert!(!picture.edges.is_empty());
        let mut persons = vec![PersonId(0); picture.nodes.len()];
        for (person, node) in &picture.index {
            persons[*node] = *person;
        }
        for edge in &picture.edges {
            let (a, b) = (persons[edge.a], persons[edge.b]);
            assert!(edge.a < edge.b);
            assert_eq!(
                world.network.tie_between(a, b).map(|e| e.kind().name()),
                Some(edge.kind)
            );
        }
    }

    #[test]
    fn flows_add_up_to_the_help_received_in_the_block_partners_usual_help_included() {
        let scenario = small();
        let mut checked_weeks = 0;
        let mut partner_weeks_above_the_ledger = 0;
        let picture = std::cell::OnceCell::new();
        crate::experiment::Run::execute_observed(
            &scenario,
            |engine| {
                engine.keep_week_gifts();
                let _ = picture.set(Picture::of(engine.world(), 0));
            },
            &mut |engine, _| {
                let picture: &Picture = picture.get().unwrap();
                let gifts = engine.ledger().last_week_gifts();
                let cases = engine.cases();
                let flows = picture.flows(engine.world(), cases, gifts);
                let in_block = |person: &PersonId| picture.index.contains_key(person);
                let informal: u64 = gifts
                    .iter()
                    .filter(|g| !g.household && in_block(&g.receiver))
                    .map(|g| u64::from(g.hours.0))
                    .sum();
                let drawn = |partner: bool| -> f64 {
                    flows
                        .iter()
                        .filter(|f| (f.kind == "partner") == partner)
                        .map(|f| f.hours)
                        .sum()
                };
                assert!((drawn(false) - informal as f64 / 100.0).abs() < 1e-6);
                // A partner's help with its usual part, as the week's
                // household hours count it; the ledger's household gifts are
                // only the part beyond usual help.
                let household: u64 = cases
                    .iter()
                    .filter(|c| in_block(&c.person))
                    .map(|c| u64::from(c.hours.household.0))
                    .sum();
                let beyond_usual: u64 = gifts
                    .iter()
                    .filter(|g| g.household && in_block(&g.receiver))
                    .map(|g| u64::from(g.hours.0))
                    .sum();
                assert!((drawn(true) - household as f64 / 100.0).abs() < 1e-6);
                partner_weeks_above_the_ledger += usize::from(household > beyond_usual);
                assert!(
                    flows
                        .iter()
                        .all(|f| f.from.is_some() == (f.source == "block"))
                );
                checked_weeks += usize::from(!flows.is_empty());
            },
        );
        assert!(checked_weeks > 0, "some help reached the block");
        assert!(
            partner_weeks_above_the_ledger > 0,
            "partners' usual help is drawn too"
        );
    }
}
