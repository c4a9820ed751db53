//! Generations: who a resident's parents, children and siblings are, how old they
//! are, whether they are alive and where they live (docs/ODD.md §7.4.1).
//!
//! This file holds the `[kinship]` parameters, their checks and the draws that do
//! not need the area's map; `formation.rs` places the relatives (a resident of the
//! right age where the drawn home lies inside the area, an outside alter where it
//! lies outside).

use rand::RngExt;
use rand::distr::Distribution;

use crate::laws::{LogNormal, Normal};
use crate::math::{erfc, ln};
use serde::{Deserialize, Serialize};

use crate::demography::{ADULT_AGE, Mortality, OLDEST_AGE, age_plus};
use crate::scenario::{Checker, LocalityShares};

/// Most children per person the model draws (the last share is "this many or more").
pub const MAX_CHILDREN: usize = 4;

/// A normal law, by mean and standard deviation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeanSd {
    pub mean: f64,
    pub sd: f64,
}

/// The `[kinship]` section of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KinshipParams {
    /// A mother's age at the birth of a child, years (normal, cut to 16–50).
    pub mother_age_at_birth: MeanSd,
    /// How much older the father is than the mother, years.
    pub father_older_years: f64,
    /// Men's mortality hazard as a multiple of women's (the scenario's mortality
    /// law is taken as the average of the two), so that fewer fathers than
    /// mothers are alive.
    pub men_to_women_hazard_ratio: f64,
    /// Shares of adults who had 0, 1, 2, 3 and 4 or more children.
    pub children_shares: [f64; MAX_CHILDREN + 1],
    /// Mean number of brothers and sisters ever born (Poisson).
    pub siblings_mean: f64,
    /// Standard deviation of the age difference between siblings, years.
    pub sibling_age_sd_years: f64,
    /// Median distance between the homes of parents and their adult children
    /// (also used for siblings), km; distances are log-normal.
    pub family_distance_median_km: f64,
    /// Spread (sigma of the logarithm) of that distance.
    pub family_distance_spread: f64,
    /// Share of living parents and adult children with whom there is no contact.
    pub estranged_share: f64,
    /// Share of the parent–adult-child ties kept up in which contact is rare
    /// (a few times a year): they exist, but with an acquaintance's trust
    /// (docs/ODD.md §7.4.1). 0 by default (a lever; NKPS: 14%).
    pub rare_contact_share: f64,
    /// Below this sociability (mean 1), a resident keeps up ties with parents and
    /// children only in proportion to it: the least sociable lose touch with
    /// family too (the ~4% of adults without weekly contact, docs/ODD.md §7.4).
    pub close_family_sociability: f64,
    /// A resident living with a partner in the area has a tie with each of the
    /// partner's parents the partner is in touch with (docs/ODD.md §7.4.1).
    pub parents_in_law: bool,
    /// Mean trust of a tie to a partner's parent (beta law with the network's
    /// concentration).
    pub in_law_trust: f64,
    /// Mean number of other relatives with a tie (grandparents and grandchildren,
    /// aunts, uncles, cousins, other in-laws).
    pub other_kin_mean: f64,
    /// Where other relatives live.
    pub other_kin_locality: LocalityShares,
    /// Distance decay of other relatives elsewhere in the area, km.
    pub other_kin_distance_decay_km: f64,
}

impl Default for KinshipParams {
    fn default() -> Self {
        KinshipParams {
            mother_age_at_birth: MeanSd {
                mean: 28.0,
                sd: 5.0,
            },
            father_older_years: 3.0,
            men_to_women_hazard_ratio: 1.6,
            children_shares: [0.17, 0.16, 0.42, 0.17, 0.08],
            siblings_mean: 2.0,
            sibling_age_sd_years: 4.0,
            family_distance_median_km: 4.7,
            family_distance_spread: 2.2,
            estranged_share: 0.05,
            rare_contact_share: 0.0,
            close_family_sociability: 0.25,
            parents_in_law: true,
            in_law_trust: 0.7,
            other_kin_mean: 1.5,
            other_kin_locality: LocalityShares {
                same_neighbourhood: 0.1,
                elsewhere_in_area: 0.45,
                outside: 0.45,
            },
            other_kin_distance_decay_km: 10.0,
        }
    }
}

/// A parent as drawn for a resident: age now, and whether they are alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawnParents {
    /// Ages of the living parents (mother first), `None` where dead.
    pub mother: Option<u8>,
    pub father: Option<u8>,
}

impl DrawnParents {
    /// The living parents' ages.
    pub fn living(&self) -> impl Iterator<Item = u8> {
        self.mother.into_iter().chain(self.father)
    }

    /// The living parents as a `LivingParent` each, mother first.
    pub fn living_with_sex(&self) -> impl Iterator<Item = LivingParent> {
        let mothers = self.mother.map(|age| LivingParent { age, woman: true });
        let fathers = self.father.map(|age| LivingParent { age, woman: false });
        mothers.into_iter().chain(fathers)
    }
}

/// A living parent: their age and whether the mother.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LivingParent {
    pub age: u8,
    pub woman: bool,
}

impl KinshipParams {
    /// A mother's age at a birth, in 16–50.
    fn mother_age(&self, rng: &mut impl rand::Rng) -> f64 {
        let law = Normal::new(self.mother_age_at_birth.mean, self.mother_age_at_birth.sd)
            .unwrap_or_else(|_| Normal::new(28.0, 5.0).expect("a valid normal law"));
        law.sample(rng).clamp(16.0, 50.0)
    }

    /// Parents of someone aged `age`: ages now, alive with the chance to survive
    /// from their age at the birth to their age now.
    pub fn draw_parents(
        &self,
        rng: &mut impl rand::Rng,
        age: u8,
        mortality: &Mortality,
    ) -> DrawnParents {
        let (women, men) = mortality.by_sex(self.men_to_women_hazard_ratio);
        let mother_then = self.mother_age(rng);
        let father_then = mother_then + self.father_older_years;
        let mut alive = |then: f64, law: &Mortality| {
            let now = then + f64::from(age);
            let survives = rng.random::<f64>() < law.survives(then, now);
            (survives && now <= f64::from(OLDEST_AGE)).then(|| now.round() as u8)
        };
        let mother = alive(mother_then, &women);
        let father = alive(father_then, &men);
        DrawnParents { mother, father }
    }

    /// Ages of the living adult children of someone aged `age`.
    pub fn draw_adult_children(
        &self,
        rng: &mut impl rand::Rng,
        age: u8,
        mortality: &Mortality,
    ) -> Vec<u8> {
        let count = crate::population::draw_index(rng, &self.children_shares);
        (0..count)
            .filter_map(|_| {
                let child = f64::from(age) - self.mother_age(rng);
                let alive = rng.random::<f64>() < mortality.survival(child.max(0.0));
                (alive && child >= f64::from(ADULT_AGE)).then(|| child.round() as u8)
            })
            .collect()
    }

    /// Ages of the living adult siblings of someone aged `age`, for a Poisson
    /// number ever born with mean `mean` (already scaled by sociability).
    pub fn draw_siblings(
        &self,
        rng: &mut crate::rng::StreamRng,
        age: u8,
        mean: f64,
        mortality: &Mortality,
    ) -> Vec<u8> {
        let count = crate::rng::poisson(rng, mean);
        let gap = Normal::new(0.0, self.sibling_age_sd_years.max(1e-9))
            .unwrap_or_else(|_| Normal::new(0.0, 1.0).expect("a valid normal law"));
        (0..count)
            .filter_map(|_| {
                let sibling = age_plus(age, gap.sample(rng))?;
                let alive = rng.random::<f64>() < mortality.survival(f64::from(sibling));
                alive.then_some(sibling)
            })
            .collect()
    }

    /// The distance between the homes of two close relatives, km.
    pub fn draw_family_distance(&self, rng: &mut impl rand::Rng) -> f64 {
        LogNormal::new(
            ln(self.family_distance_median_km.max(1e-6)),
            self.family_distance_spread.max(0.0),
        )
        .map(|law| law.sample(rng))
        .unwrap_or(self.family_distance_median_km)
    }

    /// The chance that a distance drawn by [`KinshipParams::draw_family_distance`]
    /// is `distance_km` or more (1 − the log-normal's distribution function;
    /// without spread the law is the median alone).
    pub fn family_distance_beyond(&self, distance_km: f64) -> f64 {
        let median = self.family_distance_median_km.max(1e-6);
        let spread = self.family_distance_spread.max(0.0);
        if spread > 0.0 && distance_km > 0.0 {
            let z = (ln(distance_km) - ln(median)) / spread;
            0.5 * erfc(z / std::f64::consts::SQRT_2)
        } else if distance_km <= median {
            1.0
        } else {
            0.0
        }
    }

    /// Whether a parent–child tie is kept up by someone of this sociability.
    pub fn in_contact(&self, rng: &mut impl rand::Rng, sociability: f64) -> bool {
        let keeps_up = (sociability / self.close_family_sociability.max(1e-9)).min(1.0);
        rng.random::<f64>() < (1.0 - self.estranged_share) * keeps_up
    }

    /// Checks the ranges, with key paths under `kinship.`.
    pub(crate) fn check(&self, c: &mut Checker) {
        let mother = self.mother_age_at_birth;
        // Key, value, allowed range and what the value is, one row a key.
        #[rustfmt::skip]
        let ranges = [
            ("kinship.mother_age_at_birth.mean", mother.mean, 16.0, 50.0, "an age in years"),
            ("kinship.mother_age_at_birth.sd", mother.sd, 0.0, 15.0, "years"),
            ("kinship.father_older_years", self.father_older_years, -20.0, 20.0, "years"),
            ("kinship.men_to_women_hazard_ratio", self.men_to_women_hazard_ratio, 0.5, 4.0, "a ratio of hazards"),
            ("kinship.siblings_mean", self.siblings_mean, 0.0, 15.0, "a mean number"),
            ("kinship.sibling_age_sd_years", self.sibling_age_sd_years, 0.0, 20.0, "years"),
            ("kinship.family_distance_median_km", self.family_distance_median_km, 0.01, 300.0, "a distance in km within the Netherlands"),
            ("kinship.family_distance_spread", self.family_distance_spread, 0.0, 5.0, "the sigma of a log-normal law"),
            ("kinship.close_family_sociability", self.close_family_sociability, 0.0, 10.0, "a sociability (mean 1)"),
            ("kinship.other_kin_mean", self.other_kin_mean, 0.0, 100.0, "a mean number of ties"),
            ("kinship.other_kin_distance_decay_km", self.other_kin_distance_decay_km, 0.01, 1000.0, "a distance in km"),
        ];
        for (key, value, low, high, what) in ranges {
            c.within(key, value, low, high, what);
        }
        c.shares("kinship.children_shares", &self.children_shares);
        c.sums_to_one(
            "kinship.children_shares",
            &self.children_shares,
            "the shares with 0, 1, 2, 3 and 4 or more children",
        );
        c.share("kinship.estranged_share", self.estranged_share);
        c.share("kinship.rare_contact_share", self.rare_contact_share);
        c.share("kinship.in_law_trust", self.in_law_trust);
        let k = self.other_kin_locality;
        let locality = [k.same_neighbourhood, k.elsewhere_in_area, k.outside];
        c.shares("kinship.other_kin_locality", &locality);
        c.sums_to_one(
            "kinship.other_kin_locality",
            &locality,
            "same_neighbourhood, elsewhere_in_area, outside",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::KinRelation;
    use crate::rng::{Stream, stream};

    /// With rare contact, about that share of the ties between parents and
    /// children take an acquaintance's trust (most of them below the usable
    /// 0.5); every other tie keeps what it had, and the world is otherwise
    /// the same (docs/ODD.md §7.4.1).
    #[test]
    fn rare_contact_lowers_the_trust_of_that_share_of_parent_child_ties_only() {
        let scenario = crate::model::testing::tiny_scenario(3000);
        let mut rare = scenario.clone();
        rare.kinship.rare_contact_share = 0.3;
        let (plain, lowered) = (
            crate::world::World::build(&scenario).network,
            crate::world::World::build(&rare).network,
        );
        assert_eq!(plain.ties.kind, lowered.ties.kind);
        let (mut generations, mut changed, mut unusable) = (0usize, 0usize, 0usize);
        for t in 0..plain.ties.kind.len() {
            let tie = crate::ids::TieId(t as u32);
            let (before, after) = (plain.ties.trust(t), lowered.ties.trust(t));
            if !plain.is_between_generations(tie) {
                assert_eq!(before, after, "tie {t} is not between generations");
                continue;
            }
            generations += 1;
            changed += usize::from(before != after);
            unusable += usize::from(after != before && after < 0.5);
        }
        let share = changed as f64 / generations as f64;
        assert!(generations > 500, "{generations} parent-child ties");
        assert!((share - 0.3).abs() < 0.05, "share {share}");
        assert!(
            unusable as f64 > 0.8 * changed as f64,
            "{unusable} of {changed}"
        );
    }

    /// A resident's mother and father outside the area are a woman and a man
    /// (their survival was drawn by sex); other outside alters, even
    /// chances (docs/ODD.md §7.1, QA 31: a parent's sex was drawn anew).
    #[test]
    fn parents_outside_are_a_mother_and_a_father() {
        let world = crate::world::World::build(&crate::model::testing::tiny_scenario(3000));
        let (people, network) = (&world.people, &world.network);
        let (mut couples, mut children) = (0usize, [0usize; 2]);
        for r in 0..people.area_residents() as u32 {
            let me = crate::ids::PersonId(r);
            let outside: Vec<_> = network
                .row(me)
                .iter()
                .filter(|e| !people.is_resident(e.other))
                .filter(|e| network.kin_relation(me, **e) == Some(KinRelation::Parent))
                .map(|e| people.is_woman(e.other))
                .collect();
            if let [first, second] = outside[..] {
                assert!(
                    first && !second,
                    "resident {r}: the mother, then the father"
                );
                couples += 1;
            }
            for e in network.row(me) {
                if !people.is_resident(e.other)
                    && network.kin_relation(me, *e) == Some(KinRelation::Child)
                {
                    children[usize::from(people.is_woman(e.other))] += 1;
                }
            }
        }
        assert!(
            couples > 300,
            "{couples} residents with both parents outside"
        );
        let [sons, daughters] = children;
        let n = (sons + daughters) as f64;
        assert!(
            (daughters as f64 - n / 2.0).abs() < 4.0 * (n / 4.0).sqrt(),
            "{daughters} daughters of {n} children outside"
        );
    }

    /// Ties to a partner's parents come after every other tie, which keep
    /// their ids and draws; each joins a resident and a parent of their
    /// partner, and nearly every such parent gets one (docs/ODD.md §7.4.1).
    #[test]
    fn residents_are_tied_to_their_partners_parents_and_no_other_tie_moves() {
        let scenario = crate::model::testing::tiny_scenario(3000);
        let mut without = scenario.clone();
        without.kinship.parents_in_law = false;
        let world = crate::world::World::build(&scenario);
        let (with, plain) = (&world.network, crate::world::World::build(&without).network);
        let n = plain.ties.kind.len();
        assert_eq!(with.ties.kind[..n], plain.ties.kind[..]);
        assert!(with.ties.trusts().take(n).eq(plain.ties.trusts()));
        assert_eq!(with.ties.flags[..n], plain.ties.flags[..]);
        assert_eq!(with.tie_ends()[..n], plain.tie_ends()[..]);
        let people = &world.people;
        let relation = |me: crate::ids::PersonId, other| {
            let entry = with.tie_between(me, other).expect("a tie");
            with.kin_relation(me, entry)
        };
        let ends = with.tie_ends();
        for [a, b] in &ends[n..] {
            let (in_law, parent) =
                if people.is_resident(*a) && relation(*a, *b) == Some(KinRelation::ParentInLaw) {
                    (*a, *b)
                } else {
                    (*b, *a)
                };
            assert_eq!(relation(in_law, parent), Some(KinRelation::ParentInLaw));
            assert_eq!(relation(parent, in_law), Some(KinRelation::ChildInLaw));
            let partner = people.partner(in_law).expect("the in-law has a partner");
            assert_eq!(relation(partner, parent), Some(KinRelation::Parent));
        }
        // Parents of a resident living with a partner: how many are tied to
        // that partner (all but some of those of the least sociable: about
        // one resident in five lies below `close_family_sociability`).
        let (mut parents, mut tied) = (0usize, 0usize);
        for r in 0..people.area_residents() as u32 {
            let child = crate::ids::PersonId(r);
            let Some(partner) = people.partner(child) else {
                continue;
            };
            for e in with.row(child) {
                if with.kin_relation(child, *e) == Some(KinRelation::Parent) && e.other != partner {
                    parents += 1;
                    tied += usize::from(with.tie_between(partner, e.other).is_some());
                }
            }
        }
        assert!(
            ends.len() - n > 500,
            "{} ties to parents-in-law",
            ends.len() - n
        );
        assert!(tied as f64 > 0.8 * parents as f64, "{tied} of {parents}");
        assert!(tied < parents, "the least sociable keep some up only");
    }

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        let paths = |scenario: &crate::Scenario| -> Vec<String> {
            crate::scenario::validate(scenario)
                .into_iter()
                .map(|p| p.path)
                .collect()
        };
        assert!(paths(&crate::Scenario::default()).is_empty());
        let mut bad = crate::Scenario::default();
        bad.kinship.children_shares[0] = 0.5;
        bad.kinship.family_distance_median_km = -1.0;
        let paths = paths(&bad);
        assert!(paths.contains(&"kinship.children_shares".to_string()));
        assert!(paths.contains(&"kinship.family_distance_median_km".to_string()));
    }

    /// The share of drawn family distances at or beyond `d` is the law's
    /// `family_distance_beyond(d)` (1/2 at the median).
    #[test]
    fn the_share_beyond_a_distance_follows_the_drawn_law() {
        let kin = KinshipParams::default();
        let mut rng = stream(3, Stream::MainCarer, 0, 0);
        let drawn: Vec<f64> = (0..20_000)
            .map(|_| kin.draw_family_distance(&mut rng))
            .collect();
        assert!((kin.family_distance_beyond(kin.family_distance_median_km) - 0.5).abs() < 1e-12);
        for d in [1.0, 5.0, 50.0] {
            let share = drawn.iter().filter(|x| **x >= d).count() as f64 / drawn.len() as f64;
            let law = kin.family_distance_beyond(d);
            assert!(
                (share - law).abs() < 0.015,
                "{d} km: drawn {share}, law {law}"
            );
        }
        let mut point = kin.clone();
        point.family_distance_spread = 0.0;
        assert_eq!(point.family_distance_beyond(4.0), 1.0);
        assert_eq!(point.family_distance_beyond(6.0), 0.0);
    }

    #[test]
    fn older_people_have_fewer_living_parents() {
        let kin = KinshipParams::default();
        let mortality = Mortality::default();
        let mut rng = stream(3, Stream::Kin, 0, 0);
        let mut living = |age: u8| {
            (0..20_000)
                .map(|_| kin.draw_parents(&mut rng, age, &mortality).living().count())
                .sum::<usize>() as f64
                / 20_000.0
        };
        let (young, middle, old) = (living(25), living(55), living(75));
        assert!(young > 1.8, "{young}");
        assert!(middle > 0.5 && middle < 1.3, "{middle}");
        // Parents of a 75-year-old are 91 or older: few are alive.
        assert!(old < 0.15, "{old}");
    }

    /// CBS (1 January 2014): of 13.4 million adults, 6.9 million had a living
    /// mother and 5.4 million a living father in the Netherlands (51% and 40%).
    /// The model has no parents abroad (first-generation migrants, about one
    /// adult in eight), so it must come out above those shares, by about that much.
    #[test]
    fn living_mothers_and_fathers_match_cbs_for_a_dutch_age_mix() {
        let kin = KinshipParams::default();
        let mortality = Mortality::default();
        let dutch_mix = [0.27, 0.34, 0.28, 0.11];
        let mut rng = stream(7, Stream::Kin, 0, 0);
        let (mut mothers, mut fathers) = (0.0, 0.0);
        let n = 40_000;
        for _ in 0..n {
            let band = crate::population::draw_age_band(&mut rng, &dutch_mix);
            let age = mortality.draw_age_in(&mut rng, band);
            let parents = kin.draw_parents(&mut rng, age, &mortality);
            mothers += f64::from(u8::from(parents.mother.is_some()));
            fathers += f64::from(u8::from(parents.father.is_some()));
        }
        let (mothers, fathers) = (mothers / f64::from(n), fathers / f64::from(n));
        assert!((0.55..0.68).contains(&mothers), "living mother {mothers}");
        assert!((0.44..0.56).contains(&fathers), "living father {fathers}");
        assert!(fathers < mothers - 0.07);
    }

    #[test]
    fn a_parent_of_a_sixty_year_old_is_old() {
        let kin = KinshipParams::default();
        let mortality = Mortality::default();
        let mut rng = stream(4, Stream::Kin, 0, 0);
        for _ in 0..2000 {
            for parent in kin.draw_parents(&mut rng, 60, &mortality).living() {
                assert!((76..=OLDEST_AGE).contains(&parent), "{parent}");
            }
        }
    }

    #[test]
    fn children_follow_the_shares_and_are_adults() {
        let kin = KinshipParams::default();
        let mortality = Mortality::default();
        let mut rng = stream(5, Stream::Kin, 0, 0);
        let draws: Vec<Vec<u8>> = (0..20_000)
            .map(|_| kin.draw_adult_children(&mut rng, 80, &mortality))
            .collect();
        let mean = draws.iter().map(Vec::len).sum::<usize>() as f64 / draws.len() as f64;
        let expected: f64 = (0..=MAX_CHILDREN)
            .map(|k| k as f64 * kin.children_shares[k])
            .sum();
        // At 80 every child is an adult (about 52 years old); about 4% of those
        // have died.
        let alive = mortality.survival(52.0);
        assert!(
            (mean - expected * alive).abs() < 0.05,
            "{mean} vs {expected} x {alive}"
        );
        assert!(draws.iter().flatten().all(|a| (ADULT_AGE..=64).contains(a)));
        let young = kin.draw_adult_children(&mut rng, 30, &mortality);
        assert!(young.iter().all(|a| *a >= ADULT_AGE));
    }

    #[test]
    fn half_of_family_lives_within_the_median_distance() {
        let kin = KinshipParams::default();
        let mut rng = stream(6, Stream::Kin, 0, 0);
        let near = (0..40_000)
            .filter(|_| kin.draw_family_distance(&mut rng) < kin.family_distance_median_km)
            .count() as f64
            / 40_000.0;
        assert!((near - 0.5).abs() < 0.01, "{near}");
    }
}
