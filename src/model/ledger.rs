//! Who cared for whom over the reported weeks, for the survey definitions of
//! docs/ODD.md §1.3: carers in the broad (SCP) and the CBS sense, intensive and heavily
//! burdened carers, and the relationship of carer to receiver.
//!
//! Every gift of the week (household, informal, exchange; favours are not care) is
//! noted as it happens; at the end of a reported week the notes become counters per
//! resident and per tie direction.
//!
//! Only a small share of tie directions ever carries care (about one per resident
//! over a year, against 22 tie directions), so the counters per tie direction are
//! kept sparse, in a hash map keyed by (tie, end): a dense array per tie cost
//! 20 bytes a tie, 3.3 GB at 15 million adults. The map is only queried, never
//! iterated, so its order cannot reach a result. It is cut into
//! `DIRECTION_SHARDS` maps by tie id, so that closing a week fills them in
//! parallel (a serial pass was about 2.6% of a week's CPU at the 1-million-adult
//! rung, all of it on one thread).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::scatter;

/// One help given this week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gift {
    pub helper: PersonId,
    pub receiver: PersonId,
    /// The tie it went over (the partner tie for household help); `None` for a
    /// volunteer tie made this week.
    pub tie: Option<TieId>,
    pub hours: Hours,
    /// Household help to a partner (not care "outside the household").
    pub household: bool,
}

/// Counters over the reported weeks.
#[derive(Debug, Clone, Default)]
pub struct CareLedger {
    /// Per resident: weeks with any household or informal care given.
    pub care_weeks: Vec<u16>,
    /// Per resident: hundredths of hours of care given.
    pub care_hours: Vec<u64>,
    /// Per resident: weeks with informal care to someone outside the household.
    pub outside_household_weeks: Vec<u16>,
    /// Per resident: caring weeks that ended with strain at or above the burden
    /// threshold.
    pub burdened_weeks: Vec<u16>,
    /// Per resident: weeks in which they received care from anyone: a
    /// partner's household care beyond usual help (docs/ODD.md §7.10.3) or
    /// informal help (the receiver's side, as CBS asks receivers).
    pub received_weeks: Vec<u16>,
    /// Per resident: hundredths of hours of care received.
    pub received_hours: Vec<u64>,
    /// Per tie direction that carried care in a reported week: its counters.
    directions: DirectionMap,
    /// This week's gifts.
    pub week: Vec<Gift>,
    /// Whether `close_week` keeps a copy of the week's gifts in `last_week`.
    keep_week_gifts: bool,
    /// The gifts of the week last closed (burn-in weeks too), when kept.
    last_week: Vec<Gift>,
}

/// What one end of a tie gave over it in the reported weeks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DirectionCare {
    /// Weeks with care.
    pub weeks: u16,
    /// Hundredths of hours.
    pub hours: u64,
}

/// The map key of a tie direction: `end` 0 is the lower-numbered end giving.
fn direction_key(tie: TieId, end: usize) -> u64 {
    (u64::from(tie.0) << 1) | end as u64
}

/// Maps the tie directions are spread over (a fixed number, so nothing depends
/// on the number of threads; the maps are never iterated anyway).
const DIRECTION_SHARDS: usize = 64;

/// The map a direction's key lives in: by tie id, so both directions of a tie
/// share one, and the hash within a map (all of the key's bits) stays spread.
fn shard_of(key: u64) -> usize {
    ((key >> 1) % DIRECTION_SHARDS as u64) as usize
}

type Directions = HashMap<u64, DirectionCare, BuildHasherDefault<KeyHasher>>;

/// The counters per tie direction, in [`DIRECTION_SHARDS`] hash maps.
#[derive(Debug, Clone, PartialEq)]
struct DirectionMap {
    shards: Vec<Directions>,
    /// Per map, a bit per key of its ties ([`bit_of`]), set when the key is
    /// in the map. The calibration metrics ask for every direction of every
    /// carer's and receiver's row, and most carried no care: the bits (3 MB
    /// at the 1-million-adult rung) answer those from the cache, where each
    /// was a hash lookup and a miss into the maps (session 26). Kept per map,
    /// so that each map's bits are set in parallel with it.
    with_care: Vec<Vec<u64>>,
}

/// A key's bit among its map's: the map holds every [`DIRECTION_SHARDS`]th
/// tie, two directions each.
fn bit_of(key: u64) -> u64 {
    (((key >> 1) / DIRECTION_SHARDS as u64) << 1) | (key & 1)
}

impl Default for DirectionMap {
    fn default() -> Self {
        DirectionMap {
            shards: vec![Directions::default(); DIRECTION_SHARDS],
            with_care: vec![Vec::new(); DIRECTION_SHARDS],
        }
    }
}

impl DirectionMap {
    #[inline]
    fn get(&self, key: u64) -> Option<DirectionCare> {
        if !self.may_hold(key) {
            return None;
        }
        self.shards[shard_of(key)].get(&key).copied()
    }

    #[inline]
    fn may_hold(&self, key: u64) -> bool {
        let bit = bit_of(key);
        self.with_care[shard_of(key)]
            .get((bit / 64) as usize)
            .is_some_and(|word| word & (1 << (bit % 64)) != 0)
    }

    fn len(&self) -> usize {
        self.shards.iter().map(HashMap::len).sum()
    }

    /// Adds a week's care: `(key, hours)` pairs sorted by (shard, key), so
    /// each map's part is one slice and a key's pairs are adjacent. A
    /// direction counts one week however many gifts went over it.
    fn add_week(&mut self, sorted: &[(u64, u64)]) {
        let mut parts = Vec::with_capacity(DIRECTION_SHARDS);
        let mut rest = sorted;
        for shard in 0..DIRECTION_SHARDS {
            let (mine, tail) = rest.split_at(rest.partition_point(|d| shard_of(d.0) <= shard));
            parts.push(mine);
            rest = tail;
        }
        self.shards
            .par_iter_mut()
            .zip(self.with_care.par_iter_mut())
            .zip(parts)
            .for_each(|((map, bits), part)| {
                for same in part.chunk_by(|a, b| a.0 == b.0) {
                    let care = map.entry(same[0].0).or_default();
                    care.weeks = care.weeks.saturating_add(1);
                    care.hours += same.iter().map(|d| d.1).sum::<u64>();
                    mark(bits, bit_of(same[0].0));
                }
            });
    }
}

fn mark(bits: &mut Vec<u64>, bit: u64) {
    let word = (bit / 64) as usize;
    if word >= bits.len() {
        bits.resize(word + 1, 0);
    }
    bits[word] |= 1 << (bit % 64);
}

/// A hasher for the map's integer keys (SplitMix64's finaliser): the default
/// SipHash is needlessly slow here, and no key comes from outside.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        crate::rng::mix64(self.0)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

impl CareLedger {
    pub fn new(residents: usize) -> CareLedger {
        CareLedger {
            care_weeks: vec![0; residents],
            care_hours: vec![0; residents],
            outside_household_weeks: vec![0; residents],
            burdened_weeks: vec![0; residents],
            received_weeks: vec![0; residents],
            received_hours: vec![0; residents],
            ..CareLedger::default()
        }
    }

    /// Clears a resident's counters when their home passes to someone else
    /// (docs/ODD.md §7.2.1): the newcomer starts with a clean account.
    pub fn forget_resident(&mut self, resident: usize) {
        self.care_weeks[resident] = 0;
        self.care_hours[resident] = 0;
        self.outside_household_weeks[resident] = 0;
        self.burdened_weeks[resident] = 0;
        self.received_weeks[resident] = 0;
        self.received_hours[resident] = 0;
    }

    /// From now on, keep each closed week's gifts for [`CareLedger::last_week_gifts`]
    /// (`carenet serve` draws them). A copy: the counters do not change.
    pub fn keep_week_gifts(&mut self) {
        self.keep_week_gifts = true;
    }

    /// The gifts of the week last closed, in the order they were given; empty
    /// unless [`CareLedger::keep_week_gifts`] was called. A gift over a volunteer
    /// tie made that week has `tie: None`.
    pub fn last_week_gifts(&self) -> &[Gift] {
        &self.last_week
    }

    /// What `tie`'s end `end` (0: the lower-numbered end) gave over it.
    #[inline]
    pub fn direction(&self, tie: TieId, end: usize) -> Option<DirectionCare> {
        self.directions.get(direction_key(tie, end))
    }

    /// Weeks in which `tie`'s end `end` gave care over it.
    pub fn direction_weeks(&self, tie: TieId, end: usize) -> u16 {
        self.direction(tie, end).map_or(0, |d| d.weeks)
    }

    /// Whether two ledgers counted the same care (what is kept for watching aside).
    pub fn same_counts(&self, other: &CareLedger) -> bool {
        self.care_weeks == other.care_weeks
            && self.care_hours == other.care_hours
            && self.outside_household_weeks == other.outside_household_weeks
            && self.burdened_weeks == other.burdened_weeks
            && self.received_weeks == other.received_weeks
            && self.received_hours == other.received_hours
            && self.directions == other.directions
    }

    /// Tie directions that carried care.
    pub fn directions_with_care(&self) -> usize {
        self.directions.len()
    }

    pub fn note(&mut self, gift: Gift) {
        if !gift.hours.is_zero() {
            self.week.push(gift);
        }
    }

    /// [`CareLedger::note`] of many gifts, in their order.
    pub fn note_all(&mut self, gifts: impl ParallelIterator<Item = Gift>) {
        self.week
            .par_extend(gifts.filter(|gift| !gift.hours.is_zero()));
    }

    /// Turns the week's gifts into counters (in a reported week) and forgets them.
    /// `strain` is everyone's strain after the week's update; `tie_of` finds the
    /// tie of a gift made over a tie that did not exist yet when it was given.
    pub fn close_week(
        &mut self,
        reported: bool,
        strain: &[f32],
        burden: f64,
        tie_of: impl Fn(PersonId, PersonId) -> Option<TieId>,
    ) {
        let mut gifts = std::mem::take(&mut self.week);
        if self.keep_week_gifts {
            self.last_week.clone_from(&gifts);
        }
        if !reported {
            return;
        }
        for gift in gifts.iter_mut().filter(|g| g.tie.is_none()) {
            gift.tie = tie_of(gift.helper, gift.receiver);
        }
        // The receivers' and the directions' counts read the gifts and write
        // counters of their own: side by side on two threads (session 28),
        // then the helpers' count sorts the gifts.
        let (weeks, hours) = (&mut self.received_weeks, &mut self.received_hours);
        let directions = &mut self.directions;
        rayon::join(
            || count_receivers(weeks, hours, &gifts),
            || count_directions(directions, &gifts),
        );
        self.count_residents(&mut gifts, strain, burden);
    }

    /// Caring weeks, hours, weeks outside the household and burdened weeks of
    /// the residents who gave this week.
    fn count_residents(&mut self, gifts: &mut [Gift], strain: &[f32], burden: f64) {
        let residents = self.care_weeks.len();
        // Only the grouping by helper matters: counts and sums do not depend on
        // the order within a helper's gifts. Helpers outside the area (their
        // keys capped at `residents`) go last; a counting sort (session 28).
        crate::radix::sort_by_key(gifts, residents + 1, |g| g.helper.index().min(residents));
        let gifts = &gifts[..gifts.partition_point(|g| g.helper.index() < residents)];
        // In parallel over parts of the residents (each counter is its
        // helper's own).
        let cuts = scatter::cuts(gifts.len(), |i| gifts[i].helper.index(), scatter::PIECE, 1);
        let starts: Vec<usize> = cuts.iter().map(|c| c.start).collect();
        scatter::pieces(gifts, &cuts)
            .into_par_iter()
            .zip(scatter::split(&mut self.care_weeks, &cuts, 1))
            .zip(scatter::split(&mut self.care_hours, &cuts, 1))
            .zip(scatter::split(&mut self.outside_household_weeks, &cuts, 1))
            .zip(scatter::split(&mut self.burdened_weeks, &cuts, 1))
            .zip(starts)
            .for_each(|(((((gifts, weeks), hours), outside), burdened), start)| {
                for mine in gifts.chunk_by(|a, b| a.helper == b.helper) {
                    let h = mine[0].helper.index();
                    let i = h - start;
                    weeks[i] += 1;
                    hours[i] += mine.iter().map(|g| u64::from(g.hours.0)).sum::<u64>();
                    if mine.iter().any(|g| !g.household) {
                        outside[i] += 1;
                    }
                    if f64::from(strain[h]) >= burden {
                        burdened[i] += 1;
                    }
                }
            });
    }

    /// Mean weekly hours received over the weeks with care, for a resident who
    /// received care.
    pub fn hours_per_receiving_week(&self, resident: usize) -> Option<f64> {
        let weeks = self.received_weeks[resident];
        (weeks > 0).then(|| self.received_hours[resident] as f64 / 100.0 / f64::from(weeks))
    }

    /// Mean weekly hours while caring, for a resident who cared.
    pub fn hours_per_caring_week(&self, resident: usize) -> Option<f64> {
        let weeks = self.care_weeks[resident];
        (weeks > 0).then(|| self.care_hours[resident] as f64 / 100.0 / f64::from(weeks))
    }
}

/// Weeks and hours of care received by the residents who received this
/// week: a week counts once however many gave.
fn count_receivers(received_weeks: &mut [u16], received_hours: &mut [u64], gifts: &[Gift]) {
    let residents = received_weeks.len();
    let mut received: Vec<(u32, u32)> = gifts
        .iter()
        .filter(|g| g.receiver.index() < residents)
        .map(|g| (g.receiver.0, g.hours.0))
        .collect();
    // Hours are whole hundredths: their sums do not depend on the order.
    crate::radix::sort_by_key(&mut received, residents, |&(receiver, _)| receiver as usize);
    for mine in received.chunk_by(|a, b| a.0 == b.0) {
        let r = mine[0].0 as usize;
        received_weeks[r] = received_weeks[r].saturating_add(1);
        received_hours[r] += mine.iter().map(|&(_, h)| u64::from(h)).sum::<u64>();
    }
}

/// Hours and weeks per tie direction: a direction counts one week however
/// many gifts went over it.
fn count_directions(map: &mut DirectionMap, gifts: &[Gift]) {
    let mut directions: Vec<(u64, u64)> = gifts
        .iter()
        .filter_map(|g| {
            let end = usize::from(g.helper > g.receiver);
            Some((direction_key(g.tie?, end), u64::from(g.hours.0)))
        })
        .collect();
    // Hours are whole hundredths: their sums do not depend on the order.
    // In (shard, key) order, by a counting sort of each key's rank in
    // that order (session 28): a key is its tie's `tie / 64` and
    // `shard_of` (`tie % 64`), then its end.
    let ties = directions
        .iter()
        .map(|&(key, _)| key >> 1)
        .max()
        .map_or(0, |t| t + 1);
    let per_shard = ties.div_ceil(DIRECTION_SHARDS as u64);
    let rank = |key: u64| {
        let (tie, end) = (key >> 1, key & 1);
        let shard = tie % DIRECTION_SHARDS as u64;
        (shard * per_shard + tie / DIRECTION_SHARDS as u64) * 2 + end
    };
    let bound = DIRECTION_SHARDS as u64 * per_shard * 2;
    crate::radix::sort_by_key(&mut directions, bound as usize, |&(key, _)| {
        rank(key) as usize
    });
    debug_assert!(directions.is_sorted_by_key(|&(key, _)| (shard_of(key), key)));
    map.add_week(&directions);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gift(helper: u32, receiver: u32, tie: u32, hours: u32, household: bool) -> Gift {
        Gift {
            helper: PersonId(helper),
            receiver: PersonId(receiver),
            tie: Some(TieId(tie)),
            hours: Hours(hours),
            household,
        }
    }

    #[test]
    fn a_week_counts_once_per_resident_and_tie_direction() {
        let mut ledger = CareLedger::new(4);
        ledger.note(gift(0, 1, 0, 300, true));
        ledger.note(gift(0, 2, 1, 100, false));
        ledger.note(gift(0, 2, 1, 100, false));
        ledger.note(gift(2, 0, 1, 50, false));
        ledger.note(gift(3, 1, 2, 0, false));
        ledger.close_week(true, &[0.7, 0.0, 0.1, 0.0], 0.6, |_, _| None);
        assert_eq!(ledger.care_weeks, vec![1, 0, 1, 0]);
        assert_eq!(ledger.care_hours[0], 500);
        assert_eq!(ledger.outside_household_weeks, vec![1, 0, 1, 0]);
        assert_eq!(ledger.burdened_weeks, vec![1, 0, 0, 0]);
        let care = |t, end| ledger.direction(TieId(t), end).unwrap_or_default();
        assert_eq!(care(1, 0).weeks, 1, "both directions of tie 1");
        assert_eq!(care(1, 1).weeks, 1);
        assert_eq!((care(0, 0).weeks, care(0, 1).weeks), (1, 0));
        assert_eq!((care(1, 0).hours, care(1, 1).hours), (200, 50));
        assert_eq!(ledger.directions_with_care(), 3);
        assert_eq!(ledger.hours_per_caring_week(0), Some(5.0));
        assert!(ledger.week.is_empty());
        ledger.note(gift(1, 0, 0, 100, true));
        ledger.close_week(false, &[0.0; 4], 0.6, |_, _| None);
        assert_eq!(ledger.care_weeks[1], 0, "burn-in weeks are not counted");
        assert!(ledger.last_week_gifts().is_empty(), "not kept unless asked");
    }

    /// A receiver's week counts once however many gave; hours add up; gifts
    /// to people outside the area are not a resident's.
    #[test]
    fn receivers_count_their_weeks_once_and_all_hours() {
        let mut ledger = CareLedger::new(3);
        ledger.note(gift(0, 1, 0, 300, true));
        ledger.note(gift(2, 1, 1, 150, false));
        ledger.note(gift(1, 7, 2, 400, false));
        ledger.close_week(true, &[0.0; 3], 0.6, |_, _| None);
        ledger.note(gift(0, 1, 0, 100, true));
        ledger.close_week(true, &[0.0; 3], 0.6, |_, _| None);
        assert_eq!(ledger.received_weeks, vec![0, 2, 0]);
        assert_eq!(ledger.received_hours, vec![0, 550, 0]);
        assert_eq!(ledger.hours_per_receiving_week(1), Some(2.75));
        assert_eq!(ledger.hours_per_receiving_week(0), None);
        ledger.forget_resident(1);
        assert_eq!(ledger.hours_per_receiving_week(1), None);
    }

    /// The maps by tie id hold what one map filled gift by gift holds, over
    /// weeks of gifts on ties of every shard.
    #[test]
    fn the_sharded_directions_are_one_map_filled_in_turn() {
        use rand::RngExt;
        let mut rng = crate::rng::stream(5, crate::rng::Stream::Friends, 0, 0);
        let mut ledger = CareLedger::new(50);
        let mut reference: HashMap<u64, DirectionCare> = HashMap::new();
        for _ in 0..4 {
            let mut week_keys = std::collections::HashSet::new();
            for _ in 0..3_000 {
                let (a, b) = (rng.random_range(0..60u32), rng.random_range(0..60u32));
                let g = gift(
                    a,
                    b,
                    rng.random_range(0..500),
                    rng.random_range(0..400),
                    false,
                );
                if !g.hours.is_zero() {
                    let key = direction_key(TieId(g.tie.map_or(0, |t| t.0)), usize::from(a > b));
                    let care = reference.entry(key).or_default();
                    care.hours += u64::from(g.hours.0);
                    if week_keys.insert(key) {
                        care.weeks += 1;
                    }
                }
                ledger.note(g);
            }
            ledger.close_week(true, &[0.0; 60], 0.6, |_, _| None);
        }
        assert_eq!(ledger.directions_with_care(), reference.len());
        for (key, care) in &reference {
            let tie = TieId((key >> 1) as u32);
            assert_eq!(ledger.direction(tie, (key & 1) as usize), Some(*care));
        }
        let marked: u32 = ledger
            .directions
            .with_care
            .iter()
            .flatten()
            .map(|w| w.count_ones())
            .sum();
        assert_eq!(
            marked as usize,
            reference.len(),
            "a bit for each key, no more"
        );
        let used = ledger.directions.shards.iter().filter(|m| !m.is_empty());
        assert_eq!(used.count(), DIRECTION_SHARDS, "every map is used");
    }

    #[test]
    fn kept_gifts_are_the_last_closed_week_and_change_no_counter() {
        let mut watched = CareLedger::new(3);
        watched.keep_week_gifts();
        let mut plain = CareLedger::new(3);
        for ledger in [&mut watched, &mut plain] {
            ledger.note(gift(0, 1, 0, 300, true));
            ledger.note(gift(2, 1, 1, 100, false));
            ledger.close_week(true, &[0.0; 3], 0.6, |_, _| None);
        }
        assert_eq!(
            watched.last_week_gifts(),
            &[gift(0, 1, 0, 300, true), gift(2, 1, 1, 100, false)]
        );
        assert_eq!(watched.care_hours, plain.care_hours);
        assert!(watched.same_counts(&plain));
        watched.note(gift(1, 2, 1, 50, false));
        watched.close_week(true, &[0.0; 3], 0.6, |_, _| None);
        assert_eq!(watched.last_week_gifts(), &[gift(1, 2, 1, 50, false)]);
    }
}
