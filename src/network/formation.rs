//! Network formation at the start of a run (docs/ODD.md §7.4–§7.7).
//!
//! Every resident proposes ties from its own random streams (one per tie kind, so
//! that changing one kind's parameters leaves the others' draws alone); the
//! proposals are collected in resident order, duplicate pairs are merged keeping
//! the strongest kind, and tie attributes are drawn per tie. Nothing depends on the
//! number of threads.

use rand::RngExt;
use rayon::prelude::*;

use super::sociability::Sociability;
use super::spatial::Grid;
use super::{NewTie, tie_flags};
use crate::associations::Associations;
use crate::ids::{AssociationId, NeighbourhoodId, PersonId};
use crate::kinds::{AgeBand, TieKind};
use crate::population::{
    OutsideAlter, OutsideAlters, People, beta_with_mean, distance_km, draw_age_band, draw_traits,
};
use crate::rng::{Stream, StreamRng, poisson, stream};
use crate::scenario::Scenario;

/// Attempts to find a suitable alter before a proposal is dropped.
const SAMPLING_TRIES: u32 = 512;
/// Residents who propose at once: the proposals (about 40 bytes each, a dozen per
/// resident) of one batch are merged into the pair list before the next batch is
/// drawn, so they never all exist at the same time.
const PROPOSAL_BATCH: u32 = 1 << 16;

/// A proposed or merged tie: lower id, higher id, kind.
type Pair = (u32, u32, TieKind);

/// The other end of a proposed tie.
#[derive(Debug, Clone, Copy)]
enum Target {
    Resident(PersonId),
    /// A new person outside the area, tied only to the proposer.
    NewOutside(OutsideAlter),
}

#[derive(Debug, Clone, Copy)]
struct Proposal {
    from: PersonId,
    to: Target,
    kind: TieKind,
}

/// What formation did, for the run's log and for checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormationReport {
    /// Proposals whose alter could not be found (e.g. nobody lives within the
    /// neighbour radius).
    pub unmatched_proposals: u64,
    /// Proposed pairs merged into a tie of a stronger kind.
    pub merged_duplicates: u64,
}

struct Former<'a> {
    scenario: &'a Scenario,
    people: &'a People,
    grid: Grid,
    sociability: Sociability,
    /// The area's age mix, for outside alters' ages.
    area_age_mix: [f64; AgeBand::COUNT],
}

impl Former<'_> {
    fn seed(&self) -> u64 {
        self.scenario.seed
    }

    fn outside_alter(&self, rng: &mut StreamRng, ego: PersonId, band: Option<AgeBand>) -> Target {
        let range = self.scenario.outside.distance_km;
        let distance = range.min * (range.max / range.min).powf(rng.random::<f64>());
        let angle = std::f64::consts::TAU * rng.random::<f64>();
        let home = self.people.position[ego.index()];
        let position = [
            home[0] + (distance * angle.cos()) as f32,
            home[1] + (distance * angle.sin()) as f32,
        ];
        let age_band = band.unwrap_or_else(|| draw_age_band(rng, &self.area_age_mix));
        let traits = draw_traits(self.scenario, rng, age_band, None);
        Target::NewOutside(OutsideAlter {
            position,
            age_band,
            traits,
        })
    }

    fn propose(&self, ego: PersonId, out: &mut Vec<Proposal>) {
        self.propose_kin(ego, out);
        self.propose_friends(ego, out);
        self.propose_neighbours(ego, out);
        self.propose_acquaintances(ego, out);
    }

    fn push(out: &mut Vec<Proposal>, from: PersonId, to: Option<Target>, kind: TieKind) -> bool {
        match to {
            Some(to) => {
                out.push(Proposal { from, to, kind });
                true
            }
            None => {
                out.push(Proposal {
                    from,
                    to: Target::Resident(from),
                    kind,
                });
                false
            }
        }
    }

    fn propose_kin(&self, ego: PersonId, out: &mut Vec<Proposal>) {
        let n = &self.scenario.network;
        let people = self.people;
        let mut rng = stream(self.seed(), Stream::Kin, u64::from(ego.0), 0);
        let home = people.neighbourhood[ego.index()];
        let partner = people.partner(ego);
        let members = people.neighbourhood_members(home);
        let single_neighbourhood = self.scenario.neighbourhoods.len() == 1;
        let social = &self.sociability;
        let same = poisson(
            &mut rng,
            social.scale(ego, n.kin_mean * n.kin_locality.same_neighbourhood / 2.0),
        );
        for _ in 0..same {
            let pick = (0..SAMPLING_TRIES).find_map(|_| {
                let p = PersonId(rng.random_range(members.clone()));
                (p != ego && Some(p) != partner && social.welcomes(ego, p))
                    .then_some(Target::Resident(p))
            });
            Self::push(out, ego, pick, TieKind::Kin);
        }
        // With one neighbourhood there is no "elsewhere in the area": those kin live outside.
        let (elsewhere, outside_mean) = if single_neighbourhood {
            (
                0,
                n.kin_mean * (n.kin_locality.outside + n.kin_locality.elsewhere_in_area),
            )
        } else {
            (
                poisson(
                    &mut rng,
                    social.scale(ego, n.kin_mean * n.kin_locality.elsewhere_in_area / 2.0),
                ),
                n.kin_mean * n.kin_locality.outside,
            )
        };
        for _ in 0..elsewhere {
            let pick = self
                .grid
                .sample_by_distance(
                    &mut rng,
                    people.position[ego.index()],
                    n.kin_distance_decay_km as f32,
                    SAMPLING_TRIES,
                    |p| people.neighbourhood[p.index()] != home && social.welcomes(ego, p),
                )
                .map(Target::Resident);
            Self::push(out, ego, pick, TieKind::Kin);
        }
        for _ in 0..poisson(&mut rng, social.scale(ego, outside_mean)) {
            let alter = self.outside_alter(&mut rng, ego, None);
            Self::push(out, ego, Some(alter), TieKind::Kin);
        }
    }

    fn propose_friends(&self, ego: PersonId, out: &mut Vec<Proposal>) {
        let n = &self.scenario.network;
        let people = self.people;
        let mut rng = stream(self.seed(), Stream::Friends, u64::from(ego.0), 0);
        let band = people.age_band[ego.index()];
        let partner = people.partner(ego);
        let social = &self.sociability;
        for _ in 0..poisson(
            &mut rng,
            social.scale(ego, n.friends_mean * (1.0 - n.friends_outside_share) / 2.0),
        ) {
            let same_band = rng.random::<f64>() < n.friend_age_homophily;
            let pick = self
                .grid
                .sample_by_distance(
                    &mut rng,
                    people.position[ego.index()],
                    n.friend_distance_decay_km as f32,
                    SAMPLING_TRIES,
                    |p| {
                        p != ego
                            && Some(p) != partner
                            && (!same_band || people.age_band[p.index()] == band)
                            && social.welcomes(ego, p)
                    },
                )
                .map(Target::Resident);
            Self::push(out, ego, pick, TieKind::Friend);
        }
        for _ in 0..poisson(
            &mut rng,
            social.scale(ego, n.friends_mean * n.friends_outside_share),
        ) {
            let same_band = rng.random::<f64>() < n.friend_age_homophily;
            let alter = self.outside_alter(&mut rng, ego, same_band.then_some(band));
            Self::push(out, ego, Some(alter), TieKind::Friend);
        }
    }

    fn neighbours_mean(&self, home: NeighbourhoodId) -> f64 {
        let cohesion = self.scenario.neighbourhoods[home.index()].cohesion;
        self.scenario.network.neighbours_mean.lerp(cohesion)
    }

    fn propose_neighbours(&self, ego: PersonId, out: &mut Vec<Proposal>) {
        let people = self.people;
        let mut rng = stream(self.seed(), Stream::Neighbours, u64::from(ego.0), 0);
        let home = people.neighbourhood[ego.index()];
        let partner = people.partner(ego);
        let radius = self.scenario.network.neighbour_radius_km as f32;
        let social = &self.sociability;
        for _ in 0..poisson(
            &mut rng,
            social.scale(ego, self.neighbours_mean(home) / 2.0),
        ) {
            let pick = self
                .grid
                .sample_within(
                    &mut rng,
                    people.position[ego.index()],
                    radius,
                    SAMPLING_TRIES,
                    |p| {
                        p != ego
                            && Some(p) != partner
                            && people.neighbourhood[p.index()] == home
                            && social.welcomes(ego, p)
                    },
                    |p| people.position[p.index()],
                )
                .map(Target::Resident);
            Self::push(out, ego, pick, TieKind::Neighbour);
        }
    }

    fn propose_acquaintances(&self, ego: PersonId, out: &mut Vec<Proposal>) {
        let n = &self.scenario.network;
        let people = self.people;
        let mut rng = stream(self.seed(), Stream::Acquaintances, u64::from(ego.0), 0);
        let partner = people.partner(ego);
        let social = &self.sociability;
        for _ in 0..poisson(
            &mut rng,
            social.scale(
                ego,
                n.acquaintances_mean * (1.0 - n.acquaintances_outside_share) / 2.0,
            ),
        ) {
            let pick = self
                .grid
                .sample_by_distance(
                    &mut rng,
                    people.position[ego.index()],
                    n.acquaintance_distance_decay_km as f32,
                    SAMPLING_TRIES,
                    |p| p != ego && Some(p) != partner && social.welcomes(ego, p),
                )
                .map(Target::Resident);
            Self::push(out, ego, pick, TieKind::Acquaintance);
        }
        for _ in 0..poisson(
            &mut rng,
            social.scale(ego, n.acquaintances_mean * n.acquaintances_outside_share),
        ) {
            let alter = self.outside_alter(&mut rng, ego, None);
            Self::push(out, ego, Some(alter), TieKind::Acquaintance);
        }
    }

    /// Each member of an association proposes ties to random co-members.
    fn propose_co_members(
        &self,
        associations: &Associations,
        member: PersonId,
        out: &mut Vec<Proposal>,
    ) {
        let mean = self.scenario.network.association_ties_per_membership / 2.0;
        for membership in associations.of_person(member) {
            let AssociationId(a) = membership.association;
            let mut rng = stream(
                self.seed(),
                Stream::AssociationTies,
                u64::from(member.0),
                u64::from(a),
            );
            let members = associations.members(membership.association);
            if members.len() < 2 {
                continue;
            }
            let social = &self.sociability;
            for _ in 0..poisson(&mut rng, social.scale(member, mean)) {
                let pick = (0..SAMPLING_TRIES).find_map(|_| {
                    let p = members[rng.random_range(0..members.len())];
                    (p != member && social.welcomes(member, p)).then_some(Target::Resident(p))
                });
                Self::push(out, member, pick, TieKind::Association);
            }
        }
    }
}

/// Builds every tie of the starting network and appends outside alters to `people`.
pub fn build_network(
    scenario: &Scenario,
    people: &mut People,
    associations: &Associations,
) -> (super::Network, FormationReport) {
    let (pairs, outside, report) = propose_pairs(scenario, people, associations);
    people.append_outside(outside);
    let ends: Vec<[PersonId; 2]> = pairs
        .par_iter()
        .map(|&(a, b, _)| [PersonId(a), PersonId(b)])
        .collect();
    let ties = draw_ties(scenario, people, &pairs);
    drop(pairs);
    let network = super::Network::from_parts(people.len(), people.area_residents(), ties, &ends);
    (network, report)
}

/// Every resident's proposals, merged into distinct pairs sorted by (lower id,
/// higher id) with the strongest kind proposed, and the outside alters they
/// found (numbered from `people.len()` in the order of the proposals).
fn propose_pairs(
    scenario: &Scenario,
    people: &People,
    associations: &Associations,
) -> (Vec<Pair>, OutsideAlters, FormationReport) {
    let residents = people.area_residents();
    let mut area_age_mix = [0.0; AgeBand::COUNT];
    for band in &people.age_band[..residents] {
        area_age_mix[band.index()] += 1.0 / residents.max(1) as f64;
    }
    let cell_km = scenario.network.neighbour_radius_km.max(0.05) as f32;
    let former = Former {
        scenario,
        people,
        grid: Grid::new(people, cell_km),
        sociability: Sociability::draw(
            scenario.seed,
            scenario.network.sociability_shape,
            residents,
        ),
        area_age_mix,
    };
    let mut report = FormationReport::default();
    let mut outside = OutsideAlters::default();
    let mut pairs: Vec<Pair> = crate::population::partner_pairs(scenario, people)
        .into_iter()
        .map(|(a, b)| (a.0, b.0, TieKind::Partner))
        .collect();
    for batch in (0..residents as u32).step_by(PROPOSAL_BATCH as usize) {
        let end = batch.saturating_add(PROPOSAL_BATCH).min(residents as u32);
        let proposals: Vec<Proposal> = (batch..end)
            .into_par_iter()
            .flat_map_iter(|ego| {
                let mut out = Vec::new();
                former.propose(PersonId(ego), &mut out);
                former.propose_co_members(associations, PersonId(ego), &mut out);
                out
            })
            .collect();
        for proposal in proposals {
            let other = match proposal.to {
                Target::Resident(p) if p == proposal.from => {
                    report.unmatched_proposals += 1;
                    continue;
                }
                Target::Resident(p) => p,
                Target::NewOutside(alter) => outside_id(people.len() + outside.push(alter)),
            };
            let (a, b) = if proposal.from < other {
                (proposal.from, other)
            } else {
                (other, proposal.from)
            };
            pairs.push((a.0, b.0, proposal.kind));
        }
    }
    pairs.par_sort_unstable();
    let before = pairs.len();
    pairs.dedup_by_key(|(a, b, _)| (*a, *b));
    pairs.shrink_to_fit();
    report.merged_duplicates = (before - pairs.len()) as u64;
    (pairs, outside, report)
}

fn outside_id(index: usize) -> PersonId {
    PersonId(u32::try_from(index).expect("fewer than 2^32 people"))
}

/// The attributes of every tie, drawn per tie in parallel into exactly sized
/// arrays.
fn draw_ties(scenario: &Scenario, people: &People, pairs: &[Pair]) -> super::Ties {
    let n = pairs.len();
    let mut ties = super::Ties {
        kind: vec![TieKind::Partner; n],
        trust: vec![0.0; n],
        distance_km: vec![0.0; n],
        balance: vec![0.0; n],
        flags: vec![0; n],
    };
    (
        &mut ties.kind,
        &mut ties.trust,
        &mut ties.distance_km,
        &mut ties.flags,
        pairs,
    )
        .into_par_iter()
        .enumerate()
        .for_each(|(t, (kind, trust, distance_km, flags, &(a, b, k)))| {
            let tie = draw_tie(scenario, people, t as u64, [PersonId(a), PersonId(b)], k);
            *kind = tie.kind;
            *trust = tie.trust;
            *distance_km = tie.distance_km;
            *flags = tie.flags;
        });
    ties
}

/// Draws a tie's trust and online contact; distance follows from the homes.
fn draw_tie(
    scenario: &Scenario,
    people: &People,
    index: u64,
    ends: [PersonId; 2],
    kind: TieKind,
) -> NewTie {
    let n = &scenario.network;
    let mut rng = stream(scenario.seed, Stream::TieTrust, index, 0);
    let mut mean = n.initial_trust.get(kind);
    if kind == TieKind::Neighbour {
        let home = people.neighbourhood[ends[0].index()];
        mean += n.neighbour_trust_per_cohesion * scenario.neighbourhoods[home.index()].cohesion;
    }
    let trust = beta_with_mean(&mut rng, mean, n.trust_concentration) as f32;
    let blended = kind != TieKind::Partner && rng.random::<f64>() < n.blended_share;
    NewTie {
        ends,
        kind,
        trust,
        distance_km: distance_km(
            people.position[ends[0].index()],
            people.position[ends[1].index()],
        ),
        flags: if blended { tie_flags::BLENDED } else { 0 },
    }
}
