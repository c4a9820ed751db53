//! Capacity, strain and burnout (docs/ODD.md §7.10.2, §7.10.11): every person's
//! hours for others this week, what they gave, and the strain that giving beyond
//! a comfortable share builds up until they burn out and give nothing for weeks.

mod params;

pub use params::StrainParams;

use rayon::prelude::*;

use super::case::Case;
use crate::hours::Hours;
use crate::ids::PersonId;
use crate::outcomes::{StrainStats, WeekTally};
use crate::population::People;

/// Weekly helping state of everyone (residents and outside alters), as parallel
/// arrays indexed by person.
#[derive(Debug, Clone)]
pub struct Carers {
    pub strain: Vec<f32>,
    /// Weeks of burnout left; 0 when not burnt out.
    pub burnt_out: Vec<u8>,
    /// Hours a week for helping others (association support may raise it).
    pub capacity: Vec<Hours>,
    /// Hours available this week, including extra hours for a partner in need.
    pub available: Vec<Hours>,
    /// Hours still free this week.
    pub left: Vec<Hours>,
    /// Hours given this week (household, informal and favours).
    pub given: Vec<Hours>,
}

impl Carers {
    /// Everyone with their drawn capacity and the given strain, nobody burnt out.
    pub fn new(people: &People, strain: Vec<f32>) -> Carers {
        let n = people.len();
        Carers {
            strain,
            burnt_out: vec![0; n],
            capacity: people
                .capacity
                .iter()
                .map(|c| Hours::from_f64(f64::from(*c)))
                .collect(),
            available: vec![Hours::ZERO; n],
            left: vec![Hours::ZERO; n],
            given: vec![Hours::ZERO; n],
        }
    }

    /// Adds the last `count` persons of `people` (outside alters who joined
    /// during a run) with their drawn capacity, no strain, not burnt out.
    pub fn add_people(&mut self, people: &People, count: usize) {
        let first = people.len() - count;
        for capacity in &people.capacity[first..] {
            self.capacity.push(Hours::from_f64(f64::from(*capacity)));
        }
        let n = people.len();
        self.strain.resize(n, 0.0);
        self.burnt_out.resize(n, 0);
        self.available.resize(n, Hours::ZERO);
        self.left.resize(n, Hours::ZERO);
        self.given.resize(n, Hours::ZERO);
    }

    /// A new occupant of a person's place (a home taken by a newcomer): their
    /// capacity, no strain, not burnt out.
    pub fn restart(&mut self, person: PersonId, capacity: Hours) {
        let p = person.index();
        self.strain[p] = 0.0;
        self.burnt_out[p] = 0;
        self.capacity[p] = capacity;
        self.available[p] = Hours::ZERO;
        self.left[p] = Hours::ZERO;
        self.given[p] = Hours::ZERO;
    }

    /// Bytes per person of this state.
    pub const BYTES_PER_PERSON: usize = 4 + 1 + 4 * 4;

    /// Whether a person is burnt out this week.
    pub fn is_burnt_out(&self, person: PersonId) -> bool {
        self.burnt_out[person.index()] > 0
    }

    /// The week's capacity step: everyone starts the week with their capacity,
    /// nobody burnt out gives, and residents in need keep only a share of theirs
    /// for others.
    pub fn start_week(&mut self, cases: &[Case], in_need_share: f64) {
        (
            &mut self.available,
            &mut self.left,
            &mut self.given,
            &self.capacity,
            &self.burnt_out,
        )
            .into_par_iter()
            .for_each(|(available, left, given, capacity, burnt)| {
                *available = if *burnt > 0 { Hours::ZERO } else { *capacity };
                *left = *available;
                *given = Hours::ZERO;
            });
        for case in cases.iter().filter(|c| c.limits_capacity()) {
            let p = case.person.index();
            self.available[p] = self.available[p].scaled(in_need_share);
            self.left[p] = self.available[p];
        }
    }

    /// The week's strain step: strain and burnout after the week. Returns who
    /// burnt out.
    pub fn end_week(&mut self, p: &StrainParams) -> Vec<PersonId> {
        let burnout_weeks = p.burnout_weeks.min(u32::from(u8::MAX)) as u8;
        (
            &mut self.strain,
            &mut self.burnt_out,
            &self.given,
            &self.available,
        )
            .into_par_iter()
            .enumerate()
            .filter_map(|(i, (strain, burnt, given, available))| {
                if *burnt > 0 {
                    *burnt -= 1;
                    *strain = (f64::from(*strain) - p.strain_recovery).max(0.0) as f32;
                    return None;
                }
                *strain = next_strain(p, f64::from(*strain), *given, *available) as f32;
                if f64::from(*strain) >= p.burnout_threshold {
                    *burnt = burnout_weeks;
                    return Some(PersonId(i as u32));
                }
                None
            })
            .collect()
    }

    /// Strain of everyone who gave help this week or is burnt out.
    pub fn strain_stats(&self, burden_threshold: f64) -> StrainStats {
        let strains: Vec<f32> = (&self.strain, &self.given, &self.burnt_out)
            .into_par_iter()
            .filter(|(_, given, burnt)| !given.is_zero() || **burnt > 0)
            .map(|(s, _, _)| *s)
            .collect();
        StrainStats::of(strains, burden_threshold)
    }

    /// Counts the week's burnouts (by the neighbourhood of residents), those
    /// burnt out, and the strain distribution.
    pub fn count(
        &self,
        burnt: &[PersonId],
        people: &People,
        burden_threshold: f64,
        tally: &mut WeekTally,
    ) {
        for person in burnt {
            tally.burnouts += 1;
            let n = people.neighbourhood[person.index()];
            if !n.is_outside() {
                tally.neighbourhoods[n.index()].burnouts += 1;
                tally.burnout_residents.push(*person);
            }
        }
        tally.burnt_out = self.burnt_out.par_iter().filter(|b| **b > 0).count() as u64;
        tally.strain = self.strain_stats(burden_threshold);
    }
}

/// Strain after a week in which a helper gave `given` hours out of `capacity`:
/// it rises in proportion to the load beyond the comfortable share and falls by
/// the recovery rate otherwise.
pub fn next_strain(p: &StrainParams, strain: f64, given: Hours, capacity: Hours) -> f64 {
    let load = if capacity.is_zero() {
        if given.is_zero() { 0.0 } else { 1.0 }
    } else {
        given.as_f64() / capacity.as_f64()
    };
    let next = if load > p.comfortable_share && p.comfortable_share < 1.0 {
        strain + p.strain_gain * (load - p.comfortable_share) / (1.0 - p.comfortable_share)
    } else {
        strain - p.strain_recovery
    };
    next.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::tiny_people;

    #[test]
    fn strain_rises_above_the_comfortable_share_and_recovers_below() {
        let p = StrainParams::default();
        let up = next_strain(&p, 0.2, Hours(1000), Hours(1000));
        assert!((up - (0.2 + p.strain_gain)).abs() < 1e-12);
        let down = next_strain(&p, 0.2, Hours(100), Hours(1000));
        assert!((down - (0.2 - p.strain_recovery)).abs() < 1e-12);
        assert_eq!(next_strain(&p, 0.0, Hours::ZERO, Hours::ZERO), 0.0);
        assert_eq!(next_strain(&p, 0.99, Hours(5000), Hours(100)), 1.0);
    }

    #[test]
    fn a_carer_at_the_threshold_burns_out_gives_nothing_then_recovers() {
        let people = tiny_people(4);
        let p = StrainParams {
            burnout_weeks: 2,
            ..StrainParams::default()
        };
        let mut carers = Carers::new(&people, vec![0.0, 0.89, 0.5, 0.0]);
        carers.start_week(&[], p.capacity_in_need_share);
        // Person 1 gives everything they have: strain crosses 0.9.
        let all = carers.available[1];
        carers.given[1] = all;
        let burnt = carers.end_week(&p);
        assert_eq!(burnt, vec![PersonId(1)]);
        assert!(carers.is_burnt_out(PersonId(1)));
        assert!(carers.strain[2] < 0.5, "person 2 gave nothing and recovers");
        for _ in 0..2 {
            carers.start_week(&[], p.capacity_in_need_share);
            assert_eq!(carers.available[1], Hours::ZERO, "burnt out: no hours");
            assert!(carers.end_week(&p).is_empty());
        }
        carers.start_week(&[], p.capacity_in_need_share);
        assert!(!carers.is_burnt_out(PersonId(1)));
        assert_eq!(carers.available[1], carers.capacity[1]);
    }

    #[test]
    fn residents_in_need_keep_only_a_share_of_their_hours_for_others() {
        let people = tiny_people(2);
        let mut carers = Carers::new(&people, vec![0.0; 2]);
        let case = crate::model::testing::case_in_need(PersonId(0), 10.0);
        carers.start_week(std::slice::from_ref(&case), 0.25);
        assert_eq!(carers.available[0], carers.capacity[0].scaled(0.25));
        assert_eq!(carers.available[1], carers.capacity[1]);
        assert_eq!(carers.left[0], carers.available[0]);
    }
}
