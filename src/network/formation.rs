//! Network formation at the start of a run (docs/ODD.md §7.4–§7.7).
//!
//! Every resident proposes ties from its own random streams (one per tie kind, so
//! that changing one kind's parameters leaves the others' draws alone); the
//! proposals are collected in resident order, duplicate pairs are merged keeping
//! the strongest kind, and tie attributes are drawn per tie. Nothing depends on the
//! number of threads.

use rand::RngExt;
use rayon::prelude::*;

use super::kinship::LivingParent;
use super::sociability::Sociability;
use super::spatial::{Grid, MIN_CELL_KM};
use super::{NewTie, tie_flags};
use crate::associations::Associations;
use crate::demography::SurvivalByAge;
use crate::ids::{AssociationId, NeighbourhoodId, PersonId};
use crate::kinds::{AgeBand, KinRelation, TieKind};
use crate::population::{
    OutsideAlter, OutsideAlters, People, Traits, beta_with_mean, distance_km, draw_age_band,
    draw_traits,
};
use crate::rng::{Stream, StreamRng, poisson, stream};
use crate::scenario::Scenario;

/// Attempts to find a suitable alter before a proposal is dropped.
const SAMPLING_TRIES: u32 = 512;
/// Residents who propose at once: the proposals (about 40 bytes each, a dozen per
/// resident) of one batch are merged into the pair list before the next batch is
/// drawn, so they never all exist at the same time.
const PROPOSAL_BATCH: u32 = 1 << 16;

/// A proposed or merged tie: lower id, higher id, kind, and for kin the flag bits
/// of what the higher id is to the lower (`tie_flags::relation_bits`).
type Pair = (u32, u32, TieKind, u8);

/// Keys of the `InLaw` stream for whether a tie to a parent-in-law is kept
/// up carry this bit, apart from the keys of the ties' trust (a tie's index,
/// below 2^32).
const IN_LAW_CONTACT_KEY: u64 = 1 << 40;

/// A drawn home lies inside the area when a resident lives this close to it, km.
const AREA_REACH_KM: f32 = 0.25;
/// Where a relative's home lies inside the area, a resident of the right age is
/// sought within these distances of it, km, and within these many years of the
/// drawn age (the second try widens both).
const RELATIVE_SEARCH: [(f32, u8); 2] = [(0.5, 2), (1.5, 5)];
/// Attempts per search for a relative in the area.
const RELATIVE_TRIES: u32 = 128;

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
    /// What `to` is to `from`, for kin ties.
    relation: KinRelation,
}

/// What formation did, for the run's log and for checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormationReport {
    /// Proposals whose alter could not be found (e.g. nobody lives within the
    /// neighbour radius).
    pub unmatched_proposals: u64,
    /// Proposed pairs merged into a tie of a stronger kind.
    pub merged_duplicates: u64,
    /// Parents and siblings whose drawn home lay inside the area but near which
    /// no resident of their age lived; they were placed outside instead.
    pub relatives_placed_outside: u64,
    /// Ties between residents and their partner's parents (docs/ODD.md §7.4.1).
    pub parents_in_law: u64,
}

struct Former<'a> {
    scenario: &'a Scenario,
    people: &'a People,
    grid: Grid,
    sociability: Sociability,
    /// The area's age mix, for outside alters' ages.
    area_age_mix: [f64; AgeBand::COUNT],
    /// Survival to each age, for outside alters' ages.
    survival: SurvivalByAge,
}

impl Former<'_> {
    fn seed(&self) -> u64 {
        self.scenario.seed
    }

    /// An outside alter at a log-uniform distance in `[outside] distance_km`, of
    /// the given age band (or one drawn from the area's mix).
    fn outside_alter(&self, rng: &mut StreamRng, ego: PersonId, band: Option<AgeBand>) -> Target {
        let range = self.scenario.outside.distance_km;
        let distance = range.min * crate::math::pow(range.max / range.min, rng.random::<f64>());
        let point = self.point_at(rng, ego, distance);
        let band = band.unwrap_or_else(|| draw_age_band(rng, &self.area_age_mix));
        let age = self.survival.draw_age_in(rng, band);
        self.outside_alter_at(rng, point, (age, None))
    }

    /// An outside alter living at `position`, aged `age`, a woman or a man
    /// where the relation says which (`woman`; else drawn when it joins).
    fn outside_alter_at(
        &self,
        rng: &mut StreamRng,
        position: [f32; 2],
        (age, woman): (u8, Option<bool>),
    ) -> Target {
        let traits = draw_traits(self.scenario, rng, AgeBand::of_age(age), None);
        Target::NewOutside(OutsideAlter {
            position,
            age,
            traits,
            woman,
        })
    }

    /// A point `distance` km from `ego`'s home in a random direction.
    fn point_at(&self, rng: &mut StreamRng, ego: PersonId, distance: f64) -> [f32; 2] {
        let (sin, cos) = crate::math::sin_cos(std::f64::consts::TAU * rng.random::<f64>());
        let home = self.people.position[ego.index()];
        [
            home[0] + (distance * cos) as f32,
            home[1] + (distance * sin) as f32,
        ]
    }

    /// The home of a close relative: a family distance from `ego`'s home.
    fn family_home(&self, rng: &mut StreamRng, ego: PersonId) -> [f32; 2] {
        let distance = self.scenario.kinship.draw_family_distance(rng);
        self.point_at(rng, ego, distance)
    }

    /// A resident aged about `age` living near `point`, not `ego` or their partner.
    fn relative_in_area(
        &self,
        rng: &mut StreamRng,
        ego: PersonId,
        point: [f32; 2],
        age: u8,
    ) -> Option<PersonId> {
        let people = self.people;
        let partner = people.partner(ego);
        RELATIVE_SEARCH.iter().find_map(|&(radius, years)| {
            self.grid
                .sample_within(rng, point, radius, RELATIVE_TRIES, |m| {
                    m.id != ego && Some(m.id) != partner && m.age.abs_diff(age) <= years
                })
        })
    }

    /// Whether a home at `point` lies inside the area (a resident lives close by).
    fn inside_area(&self, point: [f32; 2]) -> bool {
        self.grid.any_within(point, AREA_REACH_KM)
    }

    fn propose(&self, ego: PersonId, out: &mut Vec<Proposal>) -> u64 {
        let placed_outside = self.propose_parents(ego, out) + self.propose_siblings(ego, out);
        self.propose_children(ego, out);
        self.propose_other_kin(ego, out);
        self.propose_friends(ego, out);
        self.propose_neighbours(ego, out);
        self.propose_acquaintances(ego, out);
        placed_outside
    }

    fn push(out: &mut Vec<Proposal>, from: PersonId, to: Option<Target>, kind: TieKind) -> bool {
        Self::push_kin(out, from, to, kind, KinRelation::OtherKin)
    }

    /// Pushes a proposal, or an unmatched one (to `from` itself) where `to` is none.
    fn push_kin(
        out: &mut Vec<Proposal>,
        from: PersonId,
        to: Option<Target>,
        kind: TieKind,
        relation: KinRelation,
    ) -> bool {
        let found = to.is_some();
        out.push(Proposal {
            from,
            to: to.unwrap_or(Target::Resident(from)),
            kind,
            relation,
        });
        found
    }

    /// The parents, if alive and in contact: the household of a resident of the
    /// mother's age near their drawn home when it lies inside the area, else one
    /// outside alter per parent there. Returns how many were placed outside for
    /// want of a resident of their age.
    fn propose_parents(&self, ego: PersonId, out: &mut Vec<Proposal>) -> u64 {
        let kin = &self.scenario.kinship;
        let mortality = &self.scenario.population.mortality;
        let mut rng = stream(self.seed(), Stream::Kin, u64::from(ego.0), 1);
        let age = self.people.age[ego.index()];
        let living: Vec<LivingParent> = kin
            .draw_parents(&mut rng, age, mortality)
            .living_with_sex()
            .collect();
        if living.is_empty() || !kin.in_contact(&mut rng, self.sociability.of(ego)) {
            return 0;
        }
        let point = self.family_home(&mut rng, ego);
        let inside = self.inside_area(point);
        let ages: Vec<u8> = living.iter().map(|p| p.age).collect();
        if inside && self.parents_in_area(&mut rng, ego, point, &ages, out) {
            return 0;
        }
        for parent in &living {
            let alter = self.outside_alter_at(&mut rng, point, (parent.age, Some(parent.woman)));
            Self::push_kin(out, ego, Some(alter), TieKind::Kin, KinRelation::Parent);
        }
        u64::from(inside)
    }

    /// Parents living in the area: a resident of the first living parent's age near
    /// `point`, and for a second living parent that resident's partner (or, for
    /// parents who live apart, another resident of that age nearby).
    fn parents_in_area(
        &self,
        rng: &mut StreamRng,
        ego: PersonId,
        point: [f32; 2],
        living: &[u8],
        out: &mut Vec<Proposal>,
    ) -> bool {
        let Some(first) = self.relative_in_area(rng, ego, point, living[0]) else {
            return false;
        };
        Self::push_kin(
            out,
            ego,
            Some(Target::Resident(first)),
            TieKind::Kin,
            KinRelation::Parent,
        );
        if let Some(&second_age) = living.get(1) {
            let widest = RELATIVE_SEARCH[RELATIVE_SEARCH.len() - 1].1;
            let second = match self.people.partner(first) {
                Some(partner)
                    if partner != ego
                        && self.people.age[partner.index()].abs_diff(second_age) <= widest =>
                {
                    Some(partner)
                }
                _ => self.relative_in_area(rng, ego, point, second_age),
            };
            if let Some(second) = second.filter(|p| *p != first) {
                Self::push_kin(
                    out,
                    ego,
                    Some(Target::Resident(second)),
                    TieKind::Kin,
                    KinRelation::Parent,
                );
            }
        }
        true
    }

    /// Living adult children in contact who live outside the area, as outside
    /// alters; children inside the area propose the tie themselves (as a parent
    /// tie), so that no pair is drawn twice.
    fn propose_children(&self, ego: PersonId, out: &mut Vec<Proposal>) {
        let kin = &self.scenario.kinship;
        let mortality = &self.scenario.population.mortality;
        let mut rng = stream(self.seed(), Stream::Kin, u64::from(ego.0), 2);
        let age = self.people.age[ego.index()];
        for child_age in kin.draw_adult_children(&mut rng, age, mortality) {
            if !kin.in_contact(&mut rng, self.sociability.of(ego)) {
                continue;
            }
            let point = self.family_home(&mut rng, ego);
            if self.inside_area(point) {
                continue;
            }
            let alter = self.outside_alter_at(&mut rng, point, (child_age, None));
            Self::push_kin(out, ego, Some(alter), TieKind::Kin, KinRelation::Child);
        }
    }

    /// Living siblings, as many as sociability keeps up, at family distances; a
    /// sibling inside the area is proposed by each end half of the time, since
    /// both draw each other. Returns how many were placed outside for want of a
    /// resident of their age.
    fn propose_siblings(&self, ego: PersonId, out: &mut Vec<Proposal>) -> u64 {
        let kin = &self.scenario.kinship;
        let mortality = &self.scenario.population.mortality;
        let mut rng = stream(self.seed(), Stream::Kin, u64::from(ego.0), 3);
        let age = self.people.age[ego.index()];
        let mean = self.sociability.scale(ego, kin.siblings_mean);
        let mut placed_outside = 0;
        for sibling_age in kin.draw_siblings(&mut rng, age, mean, mortality) {
            let point = self.family_home(&mut rng, ego);
            let mut target = None;
            if self.inside_area(point) {
                if rng.random::<bool>() {
                    continue;
                }
                target = self
                    .relative_in_area(&mut rng, ego, point, sibling_age)
                    .map(Target::Resident);
                placed_outside += u64::from(target.is_none());
            }
            let to = match target {
                Some(resident) => resident,
                None => self.outside_alter_at(&mut rng, point, (sibling_age, None)),
            };
            Self::push_kin(out, ego, Some(to), TieKind::Kin, KinRelation::Sibling);
        }
        placed_outside
    }

    /// Other relatives (grandparents, grandchildren, aunts, cousins, in-laws), by
    /// the `other_kin_*` shares and distances.
    fn propose_other_kin(&self, ego: PersonId, out: &mut Vec<Proposal>) {
        let n = &self.scenario.kinship;
        let people = self.people;
        let mut rng = stream(self.seed(), Stream::Kin, u64::from(ego.0), 0);
        let home = people.neighbourhood[ego.index()];
        let partner = people.partner(ego);
        let members = people.neighbourhood_members(home);
        let single_neighbourhood = self.scenario.neighbourhoods.len() == 1;
        let social = &self.sociability;
        let same = poisson(
            &mut rng,
            social.scale(
                ego,
                n.other_kin_mean * n.other_kin_locality.same_neighbourhood / 2.0,
            ),
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
                n.other_kin_mean
                    * (n.other_kin_locality.outside + n.other_kin_locality.elsewhere_in_area),
            )
        } else {
            (
                poisson(
                    &mut rng,
                    social.scale(
                        ego,
                        n.other_kin_mean * n.other_kin_locality.elsewhere_in_area / 2.0,
                    ),
                ),
                n.other_kin_mean * n.other_kin_locality.outside,
            )
        };
        for _ in 0..elsewhere {
            let pick = self
                .grid
                .sample_by_distance(
                    &mut rng,
                    people.position[ego.index()],
                    n.other_kin_distance_decay_km as f32,
                    SAMPLING_TRIES,
                    |m| m.neighbourhood != home && social.welcomes_member(ego, m),
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
                    |m| {
                        m.id != ego
                            && Some(m.id) != partner
                            && (!same_band || m.age_band == band)
                            && social.welcomes_member(ego, m)
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
                    |m| {
                        m.id != ego
                            && Some(m.id) != partner
                            && m.neighbourhood == home
                            && social.welcomes_member(ego, m)
                    },
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
                    |m| m.id != ego && Some(m.id) != partner && social.welcomes_member(ego, m),
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

/// Builds every tie of the starting network and appends outside alters to
/// `people`, or gives up (`None`) when `stop` says so: it is asked before
/// each batch of 65,536 proposers, most of the build's time, so a stop takes
/// effect within about a second at any size. Only read, so a build that is
/// not stopped is the same to the byte.
pub fn build_network_unless(
    scenario: &Scenario,
    people: &mut People,
    associations: &Associations,
    stop: &dyn Fn() -> bool,
) -> Option<(super::Network, FormationReport)> {
    let (pairs, outside, sociability, mut report) =
        propose_pairs(scenario, people, associations, stop)?;
    people.append_outside(outside);
    let in_laws = if scenario.kinship.parents_in_law {
        in_law_pairs(scenario, people, &sociability, &pairs)
    } else {
        Vec::new()
    };
    // Ties to parents-in-law follow every other tie, so that the others keep
    // their ids and draws whether or not they exist. Both are drawn into the
    // same columns, in parallel: appended one by one, the in-law ties grew
    // every column on the calling thread (session 30).
    let ends: Vec<[PersonId; 2]> = pairs
        .par_iter()
        .chain(in_laws.par_iter())
        .map(|&(a, b, _, _)| [PersonId(a), PersonId(b)])
        .collect();
    let ties = draw_ties(scenario, people, &pairs, &in_laws);
    drop(pairs);
    report.parents_in_law = in_laws.len() as u64;
    let network = super::Network::from_parts(people.len(), people.area_residents(), ties, &ends);
    Some((network, report))
}

/// The ties between a resident living with a partner and each parent of that
/// partner with whom the partner has a tie, a resident or outside (docs/ODD.md
/// §7.4.1), in pair order; none where the two already have a tie. The least
/// sociable keep them up as they keep up their own family ties, in proportion
/// to their sociability below `kinship.close_family_sociability` (a draw of
/// the `InLaw` stream keyed by the pair). `pairs` are the merged ties, sorted
/// by their ends.
fn in_law_pairs(
    scenario: &Scenario,
    people: &People,
    sociability: &Sociability,
    pairs: &[Pair],
) -> Vec<Pair> {
    let threshold = scenario.kinship.close_family_sociability.max(1e-9);
    let keeps_up = |in_law: u32, parent: u32| {
        let chance = (sociability.of(PersonId(in_law)) / threshold).min(1.0);
        chance >= 1.0 || {
            let key = u64::from(parent) | IN_LAW_CONTACT_KEY;
            let mut rng = stream(scenario.seed, Stream::InLaw, u64::from(in_law), key);
            rng.random::<f64>() < chance
        }
    };
    let tied = |a: u32, b: u32| {
        pairs
            .binary_search_by_key(&(a, b), |&(x, y, _, _)| (x, y))
            .is_ok()
    };
    let mut in_laws: Vec<Pair> = pairs
        .par_iter()
        .filter(|&&(_, _, kind, _)| kind == TieKind::Kin)
        .filter_map(|&(a, b, _, bits)| {
            let (child, parent) = match tie_flags::relation(bits) {
                KinRelation::Parent => (a, b),
                KinRelation::Child => (b, a),
                _ => return None,
            };
            let in_law = people.partner(PersonId(child))?.0;
            let (low, high) = (in_law.min(parent), in_law.max(parent));
            if in_law == parent || tied(low, high) || !keeps_up(in_law, parent) {
                return None;
            }
            let higher_to_lower = if parent > in_law {
                KinRelation::ParentInLaw
            } else {
                KinRelation::ChildInLaw
            };
            Some((
                low,
                high,
                TieKind::Kin,
                tie_flags::relation_bits(higher_to_lower),
            ))
        })
        .collect();
    in_laws.par_sort_unstable();
    in_laws.dedup_by_key(|(a, b, _, _)| (*a, *b));
    in_laws
}

/// A tie between a resident and a partner's parent: trust from the law of ties
/// to parents-in-law (`kinship.in_law_trust`), online contact as for any tie,
/// from their own stream (`InLaw`, keyed by `key`), so that no other tie's
/// draws move. `ends` are lower id first; the flags hold no relation yet.
pub(crate) fn in_law_tie(
    scenario: &Scenario,
    people: &People,
    key: [u64; 2],
    ends: [PersonId; 2],
) -> NewTie {
    let n = &scenario.network;
    let mut rng = stream(scenario.seed, Stream::InLaw, key[0], key[1]);
    let trust = beta_with_mean(
        &mut rng,
        scenario.kinship.in_law_trust,
        n.trust_concentration,
    );
    let blended = rng.random::<f64>() < n.blended_share;
    NewTie {
        ends,
        kind: TieKind::Kin,
        trust: trust as f32,
        distance_km: distance_km(
            people.position[ends[0].index()],
            people.position[ends[1].index()],
        ),
        flags: if blended { tie_flags::BLENDED } else { 0 },
    }
}

/// Every resident's proposals, merged into distinct pairs sorted by (lower id,
/// higher id) with the strongest kind proposed, and the outside alters they
/// found (numbered from `people.len()` in the order of the proposals).
fn propose_pairs(
    scenario: &Scenario,
    people: &People,
    associations: &Associations,
    stop: &dyn Fn() -> bool,
) -> Option<(Vec<Pair>, OutsideAlters, Sociability, FormationReport)> {
    let residents = people.area_residents();
    let mut area_age_mix = [0.0; AgeBand::COUNT];
    for band in &people.age_band[..residents] {
        area_age_mix[band.index()] += 1.0 / residents.max(1) as f64;
    }
    let cell_km = (scenario.network.neighbour_radius_km as f32).max(MIN_CELL_KM);
    let sociability =
        Sociability::draw(scenario.seed, scenario.network.sociability_shape, residents);
    let former = Former {
        scenario,
        people,
        grid: Grid::with_sociability(people, cell_km, sociability.values()),
        sociability,
        area_age_mix,
        survival: SurvivalByAge::new(&scenario.population.mortality),
    };
    let mut report = FormationReport::default();
    let mut outside = OutsideAlters::default();
    let mut pairs: Vec<Pair> = crate::population::partner_pairs(scenario, people)
        .into_iter()
        .map(|(a, b)| (a.0, b.0, TieKind::Partner, 0))
        .collect();
    for batch in (0..residents as u32).step_by(PROPOSAL_BATCH as usize) {
        if stop() {
            return None;
        }
        let end = batch.saturating_add(PROPOSAL_BATCH).min(residents as u32);
        let (placed_outside, proposals): (Vec<u64>, Vec<Vec<Proposal>>) = (batch..end)
            .into_par_iter()
            .map(|ego| {
                let mut out = Vec::new();
                let placed_outside = former.propose(PersonId(ego), &mut out);
                former.propose_co_members(associations, PersonId(ego), &mut out);
                (placed_outside, out)
            })
            .unzip();
        report.relatives_placed_outside += placed_outside.iter().sum::<u64>();
        report.unmatched_proposals +=
            merge_batch(people.len(), &proposals, &mut outside, &mut pairs);
        // A batch's 65,536 lists freed one by one were most of the main
        // thread's time while the workers waited (session 30).
        proposals.into_par_iter().for_each(drop);
    }
    pairs.par_sort_unstable();
    let before = pairs.len();
    pairs.dedup_by_key(|(a, b, _, _)| (*a, *b));
    pairs.shrink_to_fit();
    report.merged_duplicates = (before - pairs.len()) as u64;
    Some((pairs, outside, former.sociability, report))
}

/// Adds a batch's proposals (one list per proposer, in resident order) to
/// `pairs` and their new outside alters to `outside`; returns how many were
/// unmatched. The alters are numbered from `people` in the order of the
/// proposals, as one pass would number them: each proposer's first alter gets
/// the count of those before it, so every proposer's pairs are made in parallel.
fn merge_batch(
    people: usize,
    proposals: &[Vec<Proposal>],
    outside: &mut OutsideAlters,
    pairs: &mut Vec<Pair>,
) -> u64 {
    let is_new = |p: &Proposal| matches!(p.to, Target::NewOutside(_));
    let is_self = |p: &Proposal| matches!(p.to, Target::Resident(r) if r == p.from);
    let (counts, unmatched): (Vec<usize>, Vec<usize>) = proposals
        .par_iter()
        .map(|list| {
            let new = list.iter().filter(|p| is_new(p)).count();
            (new, list.iter().filter(|p| is_self(p)).count())
        })
        .unzip();
    let mut next = people + outside.len();
    let first_ids: Vec<usize> = counts
        .iter()
        .map(|count| {
            let first = next;
            next += count;
            first
        })
        .collect();
    let mut alters = Vec::new();
    let no_alter = OutsideAlter {
        position: [0.0; 2],
        age: 0,
        traits: Traits {
            capacity: 0.0,
            helpfulness: 0.0,
            ask_reluctance: 0.0,
            formal_trust: 0.0,
        },
        woman: None,
    };
    append_parts(&mut alters, &counts, no_alter, |k, part| {
        let drawn = proposals[k].iter().filter_map(|p| match p.to {
            Target::NewOutside(alter) => Some(alter),
            Target::Resident(_) => None,
        });
        part.iter_mut()
            .zip(drawn)
            .for_each(|(slot, alter)| *slot = alter);
    });
    outside.extend(alters);
    let pair_counts: Vec<usize> = proposals
        .iter()
        .zip(&unmatched)
        .map(|(list, unmatched)| list.len() - unmatched)
        .collect();
    append_parts(
        pairs,
        &pair_counts,
        (0, 0, TieKind::Partner, 0),
        |k, part| {
            let mut next_id = first_ids[k];
            let made = proposals[k].iter().filter_map(|proposal| {
                let other = match proposal.to {
                    Target::Resident(p) if p == proposal.from => return None,
                    Target::Resident(p) => p,
                    Target::NewOutside(_) => {
                        next_id += 1;
                        outside_id(next_id - 1)
                    }
                };
                Some(pair_of(proposal, other))
            });
            part.iter_mut()
                .zip(made)
                .for_each(|(slot, pair)| *slot = pair);
        },
    );
    unmatched.iter().sum::<usize>() as u64
}

/// Appends to `out` one part per list, in list order: part k has `counts[k]`
/// items, written by `write(k, part)`, the parts in parallel. (`par_extend`
/// from `flat_map_iter` gathers the parts in a list of vectors and copies
/// them in on the calling thread, page faults of `out`'s new room included:
/// a batch's 1.6 million pairs while the workers waited; session 30.)
fn append_parts<T: Copy + Send + Sync>(
    out: &mut Vec<T>,
    counts: &[usize],
    filler: T,
    write: impl Fn(usize, &mut [T]) + Sync,
) {
    let old = out.len();
    let total: usize = counts.iter().sum();
    out.par_extend((0..total).into_par_iter().map(|_| filler));
    let mut parts = Vec::with_capacity(counts.len());
    let mut rest: &mut [T] = &mut out[old..];
    for &count in counts {
        let (part, tail) = rest.split_at_mut(count);
        parts.push(part);
        rest = tail;
    }
    parts
        .into_par_iter()
        .enumerate()
        .for_each(|(k, part)| write(k, part));
}

/// The merged form of a proposal to `other`: the relation is stored as what the
/// higher id is to the lower.
fn pair_of(proposal: &Proposal, other: PersonId) -> Pair {
    let (a, b, relation) = if proposal.from < other {
        (proposal.from, other, proposal.relation)
    } else {
        (other, proposal.from, proposal.relation.inverse())
    };
    let bits = if proposal.kind == TieKind::Kin {
        tie_flags::relation_bits(relation)
    } else {
        0
    };
    (a.0, b.0, proposal.kind, bits)
}

fn outside_id(index: usize) -> PersonId {
    PersonId(u32::try_from(index).expect("fewer than 2^32 people"))
}

/// The attributes of every tie, drawn per tie in parallel into exactly sized
/// arrays: the merged pairs' ties, then the in-law ties (tie `pairs.len() + i`
/// is in-law tie i, drawn from its own stream keyed by i).
fn draw_ties(
    scenario: &Scenario,
    people: &People,
    pairs: &[Pair],
    in_laws: &[Pair],
) -> super::Ties {
    let first_in_law = pairs.len();
    let n = pairs.len() + in_laws.len();
    let mut kinds = crate::scatter::filled(n, TieKind::Partner);
    let mut trust_and_balance = super::TrustAndBalances::zeros(n);
    let mut distances = vec![0.0; n];
    let mut all_flags = vec![0; n];
    (
        &mut kinds,
        trust_and_balance.trust_mut(),
        &mut distances,
        &mut all_flags,
        pairs.par_iter().chain(in_laws.par_iter()),
    )
        .into_par_iter()
        .enumerate()
        .for_each(
            |(t, (kind, trust, distance_km, flags, &(a, b, k, relation)))| {
                let ends = [PersonId(a), PersonId(b)];
                let tie = match t.checked_sub(first_in_law) {
                    Some(i) => in_law_tie(scenario, people, [i as u64, 0], ends),
                    None => {
                        let tie = draw_tie(scenario, people, t as u64, ends, k);
                        let trust =
                            with_rare_contact(scenario, k, relation, [t as u64, 0], tie.trust);
                        NewTie { trust, ..tie }
                    }
                };
                *kind = tie.kind;
                *trust = tie.trust;
                *distance_km = tie.distance_km;
                *flags = tie.flags | relation;
            },
        );
    super::Ties::from_columns(kinds, distances, trust_and_balance, all_flags)
}

/// A tie's trust (by kind, for neighbours raised by the cohesion of `home`'s
/// neighbourhood) and whether it has online contact (docs/ODD.md §7.7), in
/// that order from `rng`: at the start and for newcomers alike.
pub(crate) fn draw_trust_and_contact(
    scenario: &Scenario,
    people: &People,
    rng: &mut StreamRng,
    home: PersonId,
    kind: TieKind,
) -> (f32, bool) {
    let n = &scenario.network;
    let mut mean = n.initial_trust.get(kind);
    if kind == TieKind::Neighbour {
        let neighbourhood = people.neighbourhood[home.index()];
        mean += n.neighbour_trust_per_cohesion
            * scenario.neighbourhoods[neighbourhood.index()].cohesion;
    }
    let trust = beta_with_mean(rng, mean, n.trust_concentration) as f32;
    let blended = kind != TieKind::Partner && rng.random::<f64>() < n.blended_share;
    (trust, blended)
}

/// The trust of a tie, or, for a tie between a parent and an adult child that
/// is one of rare contact (chance `kinship.rare_contact_share`, docs/ODD.md
/// §7.4.1), an acquaintance's trust drawn anew. Its own stream, keyed by
/// `key`, so that no other draw moves; no draw at all at a share of 0.
pub(crate) fn with_rare_contact(
    scenario: &Scenario,
    kind: TieKind,
    flags: u8,
    key: [u64; 2],
    trust: f32,
) -> f32 {
    let share = scenario.kinship.rare_contact_share;
    if share <= 0.0 || !tie_flags::between_generations(kind, flags) {
        return trust;
    }
    let mut rng = stream(scenario.seed, Stream::RareContact, key[0], key[1]);
    if rng.random::<f64>() >= share {
        return trust;
    }
    let n = &scenario.network;
    beta_with_mean(
        &mut rng,
        n.initial_trust.get(TieKind::Acquaintance),
        n.trust_concentration,
    ) as f32
}

/// Draws a tie's trust and online contact; distance follows from the homes.
fn draw_tie(
    scenario: &Scenario,
    people: &People,
    index: u64,
    ends: [PersonId; 2],
    kind: TieKind,
) -> NewTie {
    let mut rng = stream(scenario.seed, Stream::TieTrust, index, 0);
    let (trust, blended) = draw_trust_and_contact(scenario, people, &mut rng, ends[0], kind);
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
