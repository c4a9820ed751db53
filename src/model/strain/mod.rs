//! Capacity, strain and burnout (docs/ODD.md §7.10.2, §7.10.11): every person's
//! hours for others this week, what they gave, and the strain that giving beyond
//! a comfortable share builds up until they burn out and give nothing for weeks.

mod params;

pub use params::StrainParams;

use rayon::prelude::*;

use super::case::Case;
use crate::hours::Hours;
use crate::ids::PersonId;
use crate::population::People;
use crate::scatter;
use crate::tally::{StrainStats, WeekTally};

/// Weekly helping state of everyone (residents and outside alters), as parallel
/// arrays indexed by person.
///
/// The weekly steps touch only the persons who are *active*: those whose hours
/// this week differ from a fresh week's (`available` their capacity, or nothing
/// when burnt out; `left` all of it; nothing `given`), and those with strain or
/// burnout. Everyone else starts the next week as they are and keeps strain 0,
/// so leaving them out changes no number (a week's cost follows the carers, not
/// the population: at the 1-million-adult rung 5.2 million persons, of whom some
/// tens of thousands are active). Hours are changed only through the methods
/// below ([`Carers::spend`], [`Carers::partner_extra`],
/// [`Carers::beyond_capacity`], [`Carers::set_capacity`]), which remember who was touched; writing the public
/// arrays directly, as some unit tests do to set up a case, is only safe for
/// what the week reads before [`Carers::start_week`] resets it.
#[derive(Debug, Clone)]
pub struct Carers {
    pub strain: Vec<f32>,
    /// Weeks of burnout left; 0 when not burnt out.
    pub burnt_out: Vec<u8>,
    /// Hours a week for helping others (association support may raise it).
    pub capacity: Vec<Hours>,
    /// One bit per person, set when their capacity is 0 (a parent in a nursing
    /// home): the asking walk tests it at every tie it passes, and a bit in a
    /// small array stays in cache where the capacity column would not.
    without_hours: Vec<u64>,
    /// Hours available this week, including extra hours for a partner in need.
    pub available: Vec<Hours>,
    /// Hours still free this week.
    pub left: Vec<Hours>,
    /// Hours given this week (household, informal and favours).
    pub given: Vec<Hours>,
    /// Persons whose hours were changed since the last [`Carers::start_week`]
    /// (or who joined, or whose capacity changed): a set, in id order after
    /// [`Carers::end_week`] and then in the order touched.
    touched: Vec<PersonId>,
    /// Whether a person is in `touched`.
    is_touched: Vec<bool>,
    /// Persons with strain above 0, burnt out, or whose burnout ended in the
    /// last [`Carers::end_week`], in id order: next week's hours of these must
    /// be set afresh and their strain updated even if they give nothing.
    straining: Vec<PersonId>,
    /// The persons the last [`Carers::end_week`] updated, in id order (for the
    /// strain statistics of the week).
    updated: Vec<PersonId>,
    /// Set until the first [`Carers::start_week`], which sets everyone's hours.
    fresh_start: bool,
}

impl Carers {
    /// Everyone with their drawn capacity and the given strain, nobody burnt out.
    pub fn new(people: &People, strain: Vec<f32>) -> Carers {
        let n = people.len();
        let straining = (0..n as u32)
            .map(PersonId)
            .filter(|p| strain[p.index()] > 0.0)
            .collect();
        let capacity: Vec<Hours> = people
            .capacity
            .iter()
            .map(|c| Hours::from_f64(f64::from(*c)))
            .collect();
        let mut without_hours = vec![0; n.div_ceil(64)];
        for (p, hours) in capacity.iter().enumerate() {
            mark(&mut without_hours, p, hours.is_zero());
        }
        Carers {
            strain,
            burnt_out: vec![0; n],
            capacity,
            without_hours,
            available: vec![Hours::ZERO; n],
            left: vec![Hours::ZERO; n],
            given: vec![Hours::ZERO; n],
            touched: Vec::new(),
            is_touched: vec![false; n],
            straining,
            updated: Vec::new(),
            fresh_start: true,
        }
    }

    /// Adds the last `count` persons of `people` (outside alters who joined
    /// during a run) with their drawn capacity, no strain, not burnt out.
    pub fn add_people(&mut self, people: &People, count: usize) {
        let first = people.len() - count;
        let n = people.len();
        self.without_hours.resize(n.div_ceil(64), 0);
        for (p, capacity) in people.capacity.iter().enumerate().skip(first) {
            let hours = Hours::from_f64(f64::from(*capacity));
            mark(&mut self.without_hours, p, hours.is_zero());
            self.capacity.push(hours);
        }
        self.strain.resize(n, 0.0);
        self.burnt_out.resize(n, 0);
        self.available.resize(n, Hours::ZERO);
        self.left.resize(n, Hours::ZERO);
        self.given.resize(n, Hours::ZERO);
        self.is_touched.resize(n, false);
        for p in first..n {
            self.touch(p);
        }
    }

    /// A new occupant of a person's place (a home taken by a newcomer): their
    /// capacity, no strain, not burnt out.
    pub fn restart(&mut self, person: PersonId, capacity: Hours) {
        let p = person.index();
        self.strain[p] = 0.0;
        self.burnt_out[p] = 0;
        self.capacity[p] = capacity;
        mark(&mut self.without_hours, p, capacity.is_zero());
        self.available[p] = Hours::ZERO;
        self.left[p] = Hours::ZERO;
        self.given[p] = Hours::ZERO;
        self.touch(p);
    }

    /// Notes that person `p`'s hours must be set afresh next week.
    fn touch(&mut self, p: usize) {
        if !self.is_touched[p] {
            self.is_touched[p] = true;
            self.touched.push(PersonId(p as u32));
        }
    }

    /// `hours` given by `person`: they leave what the person has left this
    /// week and count as given (for strain).
    pub fn spend(&mut self, person: PersonId, hours: Hours) {
        let p = person.index();
        self.left[p] -= hours;
        self.given[p] += hours;
        self.touch(p);
    }

    /// [`Carers::spend`] of many gifts of some hours, `(helper, hours)` sorted
    /// by helper, in parallel over parts of the helpers.
    pub fn spend_sorted(&mut self, gifts: &[(PersonId, Hours)]) {
        debug_assert!(gifts.iter().all(|g| !g.1.is_zero()));
        self.move_hours_sorted(gifts, |_, hours| (Hours::ZERO, *hours, ()));
    }

    /// Hours of many persons moved at once, in parallel over parts of the
    /// persons: `items` sorted by person, each person's in the order they
    /// happen. From the person's hours left, `step(left, item)` gives the
    /// hours beyond their capacity the item frees (as
    /// [`Carers::beyond_capacity`]), then the hours it spends (as
    /// [`Carers::spend`]; a person is touched if either is not zero), and
    /// what the caller wants back: one for each item, in `items`' order.
    /// Hours are integers and who was touched is a set, so the parts'
    /// order does not matter.
    pub fn move_hours_sorted<I: Sync, R: Send>(
        &mut self,
        items: &[(PersonId, I)],
        step: impl Fn(Hours, &I) -> (Hours, Hours, R) + Sync,
    ) -> Vec<R> {
        debug_assert!(items.is_sorted_by_key(|g| g.0));
        let cuts = scatter::cuts(items.len(), |i| items[i].0.index(), scatter::PIECE, 1);
        let starts: Vec<usize> = cuts.iter().map(|c| c.start).collect();
        let parts: Vec<(Vec<R>, Vec<PersonId>)> = scatter::pieces(items, &cuts)
            .into_par_iter()
            .zip(scatter::split(&mut self.left, &cuts, 1))
            .zip(scatter::split(&mut self.given, &cuts, 1))
            .zip(scatter::split(&mut self.is_touched, &cuts, 1))
            .zip(starts)
            .map(|((((items, left), given), is_touched), start)| {
                let mut results = Vec::with_capacity(items.len());
                let mut touched = Vec::new();
                for (person, item) in items {
                    let p = person.index() - start;
                    let (beyond, spent, result) = step(left[p], item);
                    results.push(result);
                    if beyond.is_zero() && spent.is_zero() {
                        continue;
                    }
                    left[p] += beyond;
                    left[p] -= spent;
                    given[p] += spent;
                    if !is_touched[p] {
                        is_touched[p] = true;
                        touched.push(*person);
                    }
                }
                (results, touched)
            })
            .collect();
        let mut results = Vec::with_capacity(items.len());
        for (part, touched) in parts {
            results.extend(part);
            self.touched.extend(touched);
        }
        results
    }

    /// [`Carers::partner_extra`] and then [`Carers::spend`] for many partners
    /// at once: `(partner, [extra, spent from the extra, given])`, sorted by
    /// partner, each partner once; in parallel over parts of the persons.
    pub fn partners_gave_sorted(&mut self, items: &[(PersonId, [Hours; 3])]) {
        debug_assert!(items.windows(2).all(|w| w[0].0 < w[1].0));
        let cuts = scatter::cuts(items.len(), |i| items[i].0.index(), scatter::PIECE, 1);
        let starts: Vec<usize> = cuts.iter().map(|c| c.start).collect();
        let parts: Vec<Vec<PersonId>> = scatter::pieces(items, &cuts)
            .into_par_iter()
            .zip(scatter::split(&mut self.available, &cuts, 1))
            .zip(scatter::split(&mut self.left, &cuts, 1))
            .zip(scatter::split(&mut self.given, &cuts, 1))
            .zip(scatter::split(&mut self.is_touched, &cuts, 1))
            .zip(starts)
            .map(
                |(((((items, available), left), given), is_touched), start)| {
                    let mut touched = Vec::new();
                    for (person, [extra, from_extra, give]) in items {
                        let p = person.index() - start;
                        available[p] += *extra;
                        left[p] += *from_extra;
                        left[p] -= *give;
                        given[p] += *give;
                        if !is_touched[p] {
                            is_touched[p] = true;
                            touched.push(*person);
                        }
                    }
                    touched
                },
            )
            .collect();
        for touched in parts {
            self.touched.extend(touched);
        }
    }

    /// A partner's `extra` hours on top of their capacity this week, of which
    /// `spent` go first into what they give.
    pub fn partner_extra(&mut self, person: PersonId, extra: Hours, spent: Hours) {
        let p = person.index();
        self.available[p] += extra;
        self.left[p] += spent;
        self.touch(p);
    }

    /// `hours` a carer gives beyond their hours for others this week (a main
    /// carer cutting down on work and their own time): they become free to give
    /// without raising what is available, so the week's load exceeds 1 and
    /// strain rises faster than any load within capacity.
    pub fn beyond_capacity(&mut self, person: PersonId, hours: Hours) {
        let p = person.index();
        self.left[p] += hours;
        self.touch(p);
    }

    /// A new weekly capacity for `person` (association support), from next
    /// week's [`Carers::start_week`] on.
    pub fn set_capacity(&mut self, person: PersonId, capacity: Hours) {
        let p = person.index();
        self.capacity[p] = capacity;
        mark(&mut self.without_hours, p, capacity.is_zero());
        self.touch(p);
    }

    /// Whether `person` has hours for others at all (capacity above 0).
    #[inline]
    pub fn has_hours(&self, person: PersonId) -> bool {
        let p = person.index();
        self.without_hours[p / 64] & (1 << (p % 64)) == 0
    }

    /// Bytes per person of this state.
    pub const BYTES_PER_PERSON: usize = 4 + 1 + 4 * 4 + 1;

    /// Whether a person is burnt out this week.
    pub fn is_burnt_out(&self, person: PersonId) -> bool {
        self.burnt_out[person.index()] > 0
    }

    /// The week's capacity step: everyone starts the week with their capacity,
    /// nobody burnt out gives, and residents in need keep only a share of theirs
    /// for others. Only the persons touched last week or straining are set
    /// afresh: everyone else's hours are still a fresh week's.
    pub fn start_week(&mut self, cases: &[Case], params: &StrainParams) {
        if std::mem::take(&mut self.fresh_start) {
            (
                &mut self.available,
                &mut self.left,
                &mut self.given,
                &self.capacity,
                &self.burnt_out,
            )
                .into_par_iter()
                .for_each(|(available, left, given, capacity, burnt)| {
                    fresh_hours(available, left, given, *capacity, *burnt);
                });
            self.is_touched.par_iter_mut().for_each(|t| *t = false);
            self.touched.clear();
        } else {
            // In parallel over pieces of persons in id order, the touched
            // and then the straining (a person in both is set afresh twice,
            // to the same hours).
            let mut touched = std::mem::take(&mut self.touched);
            // `end_week` left it sorted; only a turn of the year or an event
            // touches anyone after it.
            if !touched.is_sorted() {
                touched.par_sort_unstable();
            }
            for persons in [&touched, &self.straining] {
                let cuts = scatter::cuts(persons.len(), |i| persons[i].index(), scatter::PIECE, 1);
                let starts: Vec<usize> = cuts.iter().map(|c| c.start).collect();
                let (capacity, burnt_out) = (&self.capacity, &self.burnt_out);
                scatter::pieces(persons, &cuts)
                    .into_par_iter()
                    .zip(scatter::split(&mut self.available, &cuts, 1))
                    .zip(scatter::split(&mut self.left, &cuts, 1))
                    .zip(scatter::split(&mut self.given, &cuts, 1))
                    .zip(scatter::split(&mut self.is_touched, &cuts, 1))
                    .zip(starts)
                    .for_each(
                        |(((((persons, available), left), given), is_touched), start)| {
                            for person in persons {
                                let (i, p) = (person.index() - start, person.index());
                                fresh_hours(
                                    &mut available[i],
                                    &mut left[i],
                                    &mut given[i],
                                    capacity[p],
                                    burnt_out[p],
                                );
                                is_touched[i] = false;
                            }
                        },
                    );
            }
            touched.clear();
            self.touched = touched;
        }
        debug_assert!(cases.is_sorted_by_key(|c| c.person));
        // Nobody is touched now: every resident in need whose capacity is
        // limited is touched anew, in case (person) order.
        let limited: Vec<(PersonId, f64)> = cases
            .par_iter()
            .filter_map(|c| Some((c.person, params.capacity_kept(c)?)))
            .collect();
        let cuts = scatter::cuts(limited.len(), |i| limited[i].0.index(), scatter::PIECE, 1);
        let starts: Vec<usize> = cuts.iter().map(|c| c.start).collect();
        scatter::pieces(&limited, &cuts)
            .into_par_iter()
            .zip(scatter::split(&mut self.available, &cuts, 1))
            .zip(scatter::split(&mut self.left, &cuts, 1))
            .zip(scatter::split(&mut self.is_touched, &cuts, 1))
            .zip(starts)
            .for_each(|((((persons, available), left), is_touched), start)| {
                for (person, kept) in persons {
                    let i = person.index() - start;
                    available[i] = available[i].scaled(*kept);
                    left[i] = available[i];
                    is_touched[i] = true;
                }
            });
        self.touched
            .extend(limited.iter().map(|(person, _)| *person));
        #[cfg(debug_assertions)]
        self.check_fresh();
    }

    /// In debug builds: everyone not touched has a fresh week's hours (a write
    /// that bypassed the methods would show here).
    #[cfg(debug_assertions)]
    fn check_fresh(&self) {
        for p in 0..self.capacity.len() {
            if self.is_touched[p] {
                continue;
            }
            let fresh = if self.burnt_out[p] > 0 {
                Hours::ZERO
            } else {
                self.capacity[p]
            };
            debug_assert!(
                self.available[p] == fresh && self.left[p] == fresh && self.given[p].is_zero(),
                "person {p}'s hours were changed without Carers knowing"
            );
        }
    }

    /// The week's strain step: strain and burnout after the week. Returns who
    /// burnt out, in id order.
    ///
    /// Updates only those touched this week and those straining: anyone else
    /// gave nothing, has strain 0 and is not burnt out, and stays so
    /// (`next_strain` of 0 with nothing given is 0, and the burnout threshold
    /// is above 0).
    pub fn end_week(&mut self, p: &StrainParams) -> Vec<PersonId> {
        let burnout_weeks = p.burnout_weeks.min(u32::from(u8::MAX)) as u8;
        // Sorted in place (who was touched is a set), so that the next
        // `start_week` finds it sorted.
        // A counting sort (session 28); the ids are distinct.
        let persons = self.is_touched.len();
        crate::radix::sort_by_key(&mut self.touched, persons, |p| p.index());
        self.updated = merge_ids(&self.touched, &self.straining);
        // In parallel over pieces of persons in id order; each piece's
        // burnouts and straining persons come out in id order, and so do the
        // pieces'.
        let updated = &self.updated;
        let cuts = scatter::cuts(updated.len(), |i| updated[i].index(), scatter::PIECE, 1);
        let starts: Vec<usize> = cuts.iter().map(|c| c.start).collect();
        let (given, available) = (&self.given, &self.available);
        let parts: Vec<(Vec<PersonId>, Vec<PersonId>)> = scatter::pieces(updated, &cuts)
            .into_par_iter()
            .zip(scatter::split(&mut self.strain, &cuts, 1))
            .zip(scatter::split(&mut self.burnt_out, &cuts, 1))
            .zip(starts)
            .map(|(((persons, strain), burnt_out), start)| {
                let mut burnt_now = Vec::new();
                let mut straining = Vec::new();
                for person in persons {
                    let (i, g) = (person.index() - start, person.index());
                    let (before, burnt) = (strain[i], burnt_out[i]);
                    let (after, burnt_after) = if burnt > 0 {
                        let recovered = (f64::from(before) - p.strain_recovery).max(0.0) as f32;
                        (recovered, burnt - 1)
                    } else {
                        let next = next_strain(p, f64::from(before), given[g], available[g]) as f32;
                        if f64::from(next) >= p.burnout_threshold {
                            burnt_now.push(*person);
                            (next, burnout_weeks)
                        } else {
                            (next, 0)
                        }
                    };
                    strain[i] = after;
                    burnt_out[i] = burnt_after;
                    // A burnout that just ended still changes next week's hours.
                    if after > 0.0 || burnt_after > 0 || burnt > 0 {
                        straining.push(*person);
                    }
                }
                (burnt_now, straining)
            })
            .collect();
        let mut burnt_now = Vec::new();
        self.straining.clear();
        for (burnt, straining) in parts {
            burnt_now.extend(burnt);
            self.straining.extend(straining);
        }
        burnt_now
    }

    /// Strain of everyone who gave help this week or is burnt out, in id order
    /// (after [`Carers::end_week`]).
    pub fn strain_stats(&self, burden_threshold: f64) -> StrainStats {
        let strains: Vec<f32> = self
            .updated
            .par_iter()
            .map(|p| p.index())
            .filter(|&i| !self.given[i].is_zero() || self.burnt_out[i] > 0)
            .map(|i| self.strain[i])
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
        tally.burnt_out = self
            .straining
            .par_iter()
            .filter(|p| self.burnt_out[p.index()] > 0)
            .count() as u64;
        tally.strain = self.strain_stats(burden_threshold);
    }
}

/// A fresh week's hours: the capacity, or nothing when burnt out.
fn fresh_hours(
    available: &mut Hours,
    left: &mut Hours,
    given: &mut Hours,
    capacity: Hours,
    burnt: u8,
) {
    *available = if burnt > 0 { Hours::ZERO } else { capacity };
    *left = *available;
    *given = Hours::ZERO;
}

/// The sorted union of two sorted lists of distinct ids.
fn merge_ids(a: &[PersonId], b: &[PersonId]) -> Vec<PersonId> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                merged.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                merged.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                merged.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// Sets or clears person `p`'s bit in a bit set.
fn mark(bits: &mut [u64], p: usize, set: bool) {
    let bit = 1 << (p % 64);
    if set {
        bits[p / 64] |= bit;
    } else {
        bits[p / 64] &= !bit;
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
    use crate::population::{OutsideAlter, OutsideAlters, Traits};

    #[test]
    fn the_bit_of_no_hours_follows_every_change_of_capacity() {
        let mut people = tiny_people(130);
        people.capacity[70] = 0.0;
        let mut carers = Carers::new(&people, vec![0.0; people.len()]);
        let without = |c: &Carers| -> Vec<usize> {
            (0..c.capacity.len())
                .filter(|p| !c.has_hours(PersonId(*p as u32)))
                .collect()
        };
        assert_eq!(without(&carers), [70]);
        carers.set_capacity(PersonId(3), Hours::ZERO);
        carers.set_capacity(PersonId(70), Hours::from_f64(2.0));
        assert_eq!(without(&carers), [3]);
        carers.restart(PersonId(3), Hours::from_f64(1.0));
        carers.restart(PersonId(129), Hours::ZERO);
        assert_eq!(without(&carers), [129]);
        let mut alters = OutsideAlters::default();
        for capacity in [0.0, 4.0] {
            alters.push(OutsideAlter {
                position: [0.0, 0.0],
                age: 80,
                traits: Traits {
                    capacity,
                    helpfulness: 0.5,
                    ask_reluctance: 0.5,
                    formal_trust: 0.5,
                },
                woman: None,
            });
        }
        people.append_outside(alters);
        carers.add_people(&people, 2);
        assert_eq!(without(&carers), [129, 130]);
        for (p, hours) in carers.capacity.iter().enumerate() {
            assert_eq!(carers.has_hours(PersonId(p as u32)), !hours.is_zero());
        }
    }

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
        carers.start_week(&[], &p);
        // Person 1 gives everything they have: strain crosses 0.9.
        let all = carers.available[1];
        carers.given[1] = all;
        let burnt = carers.end_week(&p);
        assert_eq!(burnt, vec![PersonId(1)]);
        assert!(carers.is_burnt_out(PersonId(1)));
        assert!(carers.strain[2] < 0.5, "person 2 gave nothing and recovers");
        for _ in 0..2 {
            carers.start_week(&[], &p);
            assert_eq!(carers.available[1], Hours::ZERO, "burnt out: no hours");
            assert!(carers.end_week(&p).is_empty());
        }
        carers.start_week(&[], &p);
        assert!(!carers.is_burnt_out(PersonId(1)));
        assert_eq!(carers.available[1], carers.capacity[1]);
    }

    #[test]
    fn residents_in_need_keep_only_a_share_of_their_hours_for_others() {
        let people = tiny_people(2);
        let mut carers = Carers::new(&people, vec![0.0; 2]);
        let case = crate::model::testing::case_in_need(PersonId(0), 10.0);
        carers.start_week(std::slice::from_ref(&case), &StrainParams::keeping(0.25));
        assert_eq!(carers.available[0], carers.capacity[0].scaled(0.25));
        assert_eq!(carers.available[1], carers.capacity[1]);
        assert_eq!(carers.left[0], carers.available[0]);
    }

    #[test]
    fn a_long_term_need_keeps_its_own_share_and_a_short_one_the_other() {
        use crate::kinds::EpisodeKind;
        let people = tiny_people(3);
        let mut carers = Carers::new(&people, vec![0.0; 3]);
        let long = crate::model::testing::case_in_need(PersonId(0), 10.0);
        let mut short = crate::model::testing::case_in_need(PersonId(1), 10.0);
        let mut episode = short.episodes[EpisodeKind::LongTerm.index()]
            .take()
            .expect("case_in_need opens a long-term episode");
        episode.kind = EpisodeKind::ShortTerm;
        short.episodes[EpisodeKind::ShortTerm.index()] = Some(episode);
        let p = StrainParams {
            capacity_in_need_share: 0.5,
            capacity_in_long_term_need_share: 0.0,
            ..StrainParams::default()
        };
        let mut both = long.clone();
        both.episodes[EpisodeKind::ShortTerm.index()] =
            short.episodes[EpisodeKind::ShortTerm.index()];
        carers.start_week(&[long, short], &p);
        assert_eq!(
            carers.available[0],
            Hours::ZERO,
            "long-term: nothing for others"
        );
        assert_eq!(carers.left[0], Hours::ZERO);
        assert_eq!(carers.available[1], carers.capacity[1].scaled(0.5));
        assert_eq!(carers.available[2], carers.capacity[2], "not in need");
        // A second need never leaves more hours than one: with both running,
        // the smaller share, whichever kind it belongs to.
        let reversed = StrainParams {
            capacity_in_need_share: 0.1,
            capacity_in_long_term_need_share: 0.6,
            ..StrainParams::default()
        };
        assert_eq!(reversed.capacity_kept(&both), Some(0.1));
        assert_eq!(p.capacity_kept(&both), Some(0.0));
    }
}
