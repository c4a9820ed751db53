//! Residents and outside alters as a structure of arrays (docs/ODD.md §2).
//!
//! A person is an index into every array. Residents of the area come first,
//! neighbourhood after neighbourhood, couples before singles within a neighbourhood;
//! outside alters (relatives and friends elsewhere in the country) follow. The arrays
//! hold the static attributes the weekly loop reads; what changes week by week lives
//! in the engine's state.

use rand::RngExt;
use rand::distr::Distribution;

use crate::laws::{Beta, Gamma, Normal};
use crate::math::sin_cos;
use rayon::prelude::*;

use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::{AgeBand, PerAgeBand};
use crate::rng::{Stream, stream};
use crate::scenario::{Neighbourhood, Scenario};

/// Bit flags of a person.
pub mod flags {
    /// Lives alone (no partner in the household).
    pub const LIVES_ALONE: u8 = 1;
    /// Registered as a volunteer with the help exchange.
    pub const EXCHANGE_VOLUNTEER: u8 = 2;
    /// An outside alter who died, or who left the model with the resident they
    /// were tied to (docs/ODD.md §7.2.1): no ties, no needs, no longer aged.
    pub const GONE: u8 = 4;
    /// A woman (docs/ODD.md §7.1); a man otherwise.
    pub const WOMAN: u8 = 8;
}

/// Everyone in the model.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Neighbourhood, or `NeighbourhoodId::OUTSIDE`.
    pub neighbourhood: Vec<NeighbourhoodId>,
    /// Home position, km.
    pub position: Vec<[f32; 2]>,
    /// Age in years.
    pub age: Vec<u8>,
    /// The age band of `age`, kept beside it for the per-band parameter tables.
    pub age_band: Vec<AgeBand>,
    /// Hours per week available for helping others.
    pub capacity: Vec<f32>,
    /// Disposition to help when asked, 0–1.
    pub helpfulness: Vec<f32>,
    /// Reluctance to ask for help, 0–1.
    pub ask_reluctance: Vec<f32>,
    /// Trust in formal care, 0–1.
    pub formal_trust: Vec<f32>,
    /// See [`flags`].
    pub flags: Vec<u8>,
    /// Number of area residents; ids from here on are outside alters.
    area_residents: usize,
    /// First person of each neighbourhood, plus the end of the area.
    neighbourhood_start: Vec<u32>,
    /// The scenario's seed, from which an outside alter's sex is drawn when
    /// it joins (docs/ODD.md §7.1).
    seed: u64,
    /// Each resident's partner once singles have paired up across homes in a
    /// run of several years (docs/ODD.md §7.2.1); empty until then, when a
    /// partner is the other half of a couple's home.
    partner_of: Vec<PersonId>,
    /// Where residents who moved in with a partner lived before, so that
    /// their place, once it falls vacant, is their own home again.
    former_homes: std::collections::BTreeMap<PersonId, [f32; 2]>,
}

impl People {
    /// Everyone, residents and outside alters.
    pub fn len(&self) -> usize {
        self.neighbourhood.len()
    }

    pub fn is_empty(&self) -> bool {
        self.neighbourhood.is_empty()
    }

    /// Residents of the study area (the care receivers).
    pub fn area_residents(&self) -> usize {
        self.area_residents
    }

    /// True for a resident of the area, false for an outside alter.
    #[inline]
    pub fn is_resident(&self, person: PersonId) -> bool {
        person.index() < self.area_residents
    }

    /// The residents of a neighbourhood, a contiguous id range.
    pub fn neighbourhood_members(&self, n: NeighbourhoodId) -> std::ops::Range<u32> {
        self.neighbourhood_start[n.index()]..self.neighbourhood_start[n.index() + 1]
    }

    /// The partner a resident lives with, if any.
    pub fn partner(&self, person: PersonId) -> Option<PersonId> {
        if !self.is_resident(person) || self.has_flag(person, flags::LIVES_ALONE) {
            return None;
        }
        if let Some(partner) = self.partner_of.get(person.index()) {
            return Some(*partner);
        }
        Some(self.other_half(person))
    }

    /// The other half of the couple's home that `person`'s place belongs to
    /// (meaningful only for places in a couple's home).
    fn other_half(&self, person: PersonId) -> PersonId {
        let start = self
            .neighbourhood_members(self.neighbourhood[person.index()])
            .start;
        PersonId(start + ((person.0 - start) ^ 1))
    }

    /// `a` and `b`, residents, live together from now on. Partners in the two
    /// halves of a couple's home need no table; any other pair (singles who
    /// paired up, docs/ODD.md §7.2.1) starts one.
    pub(crate) fn set_partners(&mut self, a: PersonId, b: PersonId) {
        if self.partner_of.is_empty() && self.other_half(a) != b {
            self.partner_of = (0..self.area_residents as u32)
                .map(|r| self.other_half(PersonId(r)))
                .collect();
        }
        if !self.partner_of.is_empty() {
            self.partner_of[a.index()] = b;
            self.partner_of[b.index()] = a;
        }
        self.flags[a.index()] &= !flags::LIVES_ALONE;
        self.flags[b.index()] &= !flags::LIVES_ALONE;
    }

    /// `person`, a resident, lives alone from now on.
    pub(crate) fn set_alone(&mut self, person: PersonId) {
        self.flags[person.index()] |= flags::LIVES_ALONE;
    }

    /// `mover` moves into `partner`'s home; their own is remembered (the
    /// first one, if they move again) for whoever takes their place.
    pub(crate) fn move_in_with(&mut self, mover: PersonId, partner: PersonId) {
        let home = self.position[mover.index()];
        self.former_homes.entry(mover).or_insert(home);
        self.position[mover.index()] = self.position[partner.index()];
    }

    /// The home `person` lived in before they moved in with a partner, if
    /// they did.
    pub(crate) fn former_home(&self, person: PersonId) -> Option<[f32; 2]> {
        self.former_homes.get(&person).copied()
    }

    /// `person`'s place fell vacant, or they left a partner: the home is the
    /// one that belongs to the place again, if they had moved in with a
    /// partner.
    pub(crate) fn vacate_home(&mut self, person: PersonId) {
        if let Some(home) = self.former_homes.remove(&person) {
            self.position[person.index()] = home;
        }
    }

    #[inline]
    pub fn has_flag(&self, person: PersonId, flag: u8) -> bool {
        self.flags[person.index()] & flag != 0
    }

    /// Whether `person` is a woman (docs/ODD.md §7.1).
    #[inline]
    pub fn is_woman(&self, person: PersonId) -> bool {
        self.has_flag(person, flags::WOMAN)
    }

    /// Makes `person` a woman or a man.
    pub(crate) fn set_woman(&mut self, person: PersonId, woman: bool) {
        let flag = &mut self.flags[person.index()];
        if woman {
            *flag |= flags::WOMAN;
        } else {
            *flag &= !flags::WOMAN;
        }
    }

    /// Bytes held per person by these arrays.
    pub const BYTES_PER_PERSON: usize = std::mem::size_of::<NeighbourhoodId>()
        + std::mem::size_of::<[f32; 2]>()
        + std::mem::size_of::<u8>()
        + std::mem::size_of::<AgeBand>()
        + 4 * std::mem::size_of::<f32>()
        + std::mem::size_of::<u8>();

    /// Appends the outside alters found by network formation: every column's
    /// room is reserved once, then each batch is copied into all columns in
    /// parallel and freed (so the copy never holds two whole sets of alters).
    /// Columns grown batch by batch, then copied whole, cost serial copies on
    /// the calling thread (each growth of a column the allocator could not
    /// move in place, then the copy itself) while the workers waited.
    pub(crate) fn append_outside(&mut self, alters: OutsideAlters) {
        let first = self.len() as u64;
        let n = alters.len();
        u32::try_from(self.len() + n).expect("fewer than 2^32 people");
        self.reserve_exact(n);
        self.neighbourhood
            .par_extend((0..n).into_par_iter().map(|_| NeighbourhoodId::OUTSIDE));
        let seed = self.seed;
        let mut batch_first = first;
        for batch in alters.batches {
            self.flags.par_extend(
                batch
                    .par_iter()
                    .enumerate()
                    .map(|(i, a)| outside_sex_flag(seed, batch_first + i as u64, a.woman)),
            );
            batch_first += batch.len() as u64;
            self.position
                .par_extend(batch.par_iter().map(|a| a.position));
            self.age.par_extend(batch.par_iter().map(|a| a.age));
            self.age_band
                .par_extend(batch.par_iter().map(|a| AgeBand::of_age(a.age)));
            self.capacity
                .par_extend(batch.par_iter().map(|a| a.traits.capacity));
            self.helpfulness
                .par_extend(batch.par_iter().map(|a| a.traits.helpfulness));
            self.ask_reluctance
                .par_extend(batch.par_iter().map(|a| a.traits.ask_reluctance));
            self.formal_trust
                .par_extend(batch.par_iter().map(|a| a.traits.formal_trust));
        }
    }

    /// Room for `n` more persons in every column.
    fn reserve_exact(&mut self, n: usize) {
        self.neighbourhood.reserve_exact(n);
        self.flags.reserve_exact(n);
        self.position.reserve_exact(n);
        self.age.reserve_exact(n);
        self.age_band.reserve_exact(n);
        self.capacity.reserve_exact(n);
        self.helpfulness.reserve_exact(n);
        self.ask_reluctance.reserve_exact(n);
        self.formal_trust.reserve_exact(n);
    }
}

/// Outside alters as network formation draws them, before they join
/// [`People`]: in batches (formation's batches of proposers, in order), each
/// kept whole until it is copied into `People`'s columns.
#[derive(Debug, Default)]
pub(crate) struct OutsideAlters {
    batches: Vec<Vec<OutsideAlter>>,
    len: usize,
}

impl OutsideAlters {
    /// How many there are.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Adds one and returns its position in the list.
    pub(crate) fn push(&mut self, alter: OutsideAlter) -> usize {
        match self.batches.last_mut() {
            Some(batch) => batch.push(alter),
            None => self.batches.push(vec![alter]),
        }
        self.len += 1;
        self.len - 1
    }

    /// Appends `alters` in their order, as a batch of their own.
    pub(crate) fn extend(&mut self, alters: Vec<OutsideAlter>) {
        self.len += alters.len();
        self.batches.push(alters);
    }
}

/// Personal traits drawn for every person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Traits {
    pub capacity: f32,
    pub helpfulness: f32,
    pub ask_reluctance: f32,
    pub formal_trust: f32,
}

/// An outside alter as drawn by network formation, before it gets an id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OutsideAlter {
    pub position: [f32; 2],
    /// Age in years.
    pub age: u8,
    pub traits: Traits,
    /// Whether a woman, where the relation says it (a mother, a father);
    /// `None`: drawn when the alter joins (docs/ODD.md §7.1).
    pub woman: Option<bool>,
}

/// Draws a beta variable with the given mean and concentration.
pub(crate) fn beta_with_mean(rng: &mut impl rand::Rng, mean: f64, concentration: f64) -> f64 {
    let mean = mean.clamp(0.01, 0.99);
    Beta::new(mean * concentration, (1.0 - mean) * concentration)
        .map(|beta| beta.sample(rng))
        .unwrap_or(mean)
}

/// Draws a person's traits. `climate` is the neighbourhood they live in, if any.
pub(crate) fn draw_traits(
    scenario: &Scenario,
    rng: &mut impl rand::Rng,
    band: AgeBand,
    climate: Option<&Neighbourhood>,
) -> Traits {
    let p = &scenario.population;
    let mean_capacity = p.capacity_mean_hours[band.index()];
    let capacity = Gamma::new(p.capacity_shape, mean_capacity / p.capacity_shape)
        .map(|gamma| gamma.sample(rng))
        .unwrap_or(mean_capacity);
    let (tradition, trust) = match climate {
        Some(n) => (n.mutual_aid_tradition, n.institutional_trust),
        None => (0.5, 0.6),
    };
    let shift = p.mutual_aid_effect * (tradition - 0.5);
    let factor = if climate.is_some() {
        1.0
    } else {
        scenario.outside.capacity_factor
    };
    Traits {
        capacity: (capacity * factor) as f32,
        helpfulness: beta_with_mean(rng, p.helpfulness_mean + shift, p.trait_concentration) as f32,
        ask_reluctance: beta_with_mean(rng, p.ask_reluctance_mean - shift, p.trait_concentration)
            as f32,
        formal_trust: beta_with_mean(rng, trust, p.trait_concentration) as f32,
    }
}

/// Draws an age band from a mix of shares.
pub(crate) fn draw_age_band(rng: &mut impl rand::Rng, mix: &[f64; AgeBand::COUNT]) -> AgeBand {
    AgeBand::ALL[draw_index(rng, mix)]
}

/// An index drawn with the given shares (which sum to 1); the last where
/// rounding leaves the draw past them.
pub(crate) fn draw_index(rng: &mut impl rand::Rng, shares: &[f64]) -> usize {
    let mut u: f64 = rng.random();
    for (i, share) in shares.iter().enumerate() {
        if u < *share {
            return i;
        }
        u -= share;
    }
    shares.len() - 1
}

/// Households of one neighbourhood: the number of couples; the rest live alone.
pub(crate) fn couples_in(n: &Neighbourhood) -> u32 {
    let alone = (f64::from(n.adults) * n.living_alone).round() as u32;
    (n.adults - alone.min(n.adults)) / 2
}

/// The age mixes of a neighbourhood's households: `[singles, couple heads]`
/// (docs/ODD.md §7.1). Singles are spread over the bands in proportion to
/// `age_mix × alone_by_age`, no band getting more singles than it has adults;
/// couples take the rest of each band, so that adults as a whole still follow
/// `age_mix`. Equal weights (or a neighbourhood of only singles or only couples)
/// give both the neighbourhood's own mix.
pub(crate) fn household_age_mixes(
    n: &Neighbourhood,
    alone_by_age: &PerAgeBand<f64>,
) -> [[f64; AgeBand::COUNT]; 2] {
    let mix = n.age_mix;
    let couples = couples_in(n);
    let singles = n.adults - 2 * couples;
    let equal = alone_by_age.iter().all(|w| *w == alone_by_age[0]);
    if equal || couples == 0 || singles == 0 {
        return [mix, mix];
    }
    let single_share = f64::from(singles) / f64::from(n.adults);
    let singles_mix = capped_weights(&mix, alone_by_age, single_share);
    let mut heads = [0.0; AgeBand::COUNT];
    for (b, head) in heads.iter_mut().enumerate() {
        *head = ((mix[b] - single_share * singles_mix[b]) / (1.0 - single_share)).max(0.0);
    }
    let total: f64 = heads.iter().sum();
    heads.iter_mut().for_each(|h| *h /= total);
    [singles_mix, heads]
}

/// Shares proportional to `mix × weights`, none above `mix / single_share`
/// (what is capped goes to the other bands in proportion).
fn capped_weights(
    mix: &[f64; AgeBand::COUNT],
    weights: &PerAgeBand<f64>,
    single_share: f64,
) -> [f64; AgeBand::COUNT] {
    let cap = mix.map(|m| m / single_share);
    let mut shares = [0.0; AgeBand::COUNT];
    let mut capped = [false; AgeBand::COUNT];
    // Each pass caps at least one more band or ends; four bands, four passes.
    for _ in 0..AgeBand::COUNT {
        let room = 1.0
            - (0..AgeBand::COUNT)
                .filter(|b| capped[*b])
                .map(|b| cap[b])
                .sum::<f64>();
        // Bands of weight 0 take singles only when no other band can.
        let open_weight = |b: usize| mix[b] * weights[b];
        let weighted: f64 = (0..AgeBand::COUNT)
            .filter(|b| !capped[*b])
            .map(open_weight)
            .sum();
        let weight = |b: usize| {
            if weighted > 0.0 {
                open_weight(b)
            } else {
                mix[b]
            }
        };
        let free: f64 = (0..AgeBand::COUNT)
            .filter(|b| !capped[*b])
            .map(weight)
            .sum();
        let mut newly = false;
        for b in 0..AgeBand::COUNT {
            shares[b] = if capped[b] {
                cap[b]
            } else if free > 0.0 {
                room * weight(b) / free
            } else {
                0.0
            };
            if !capped[b] && shares[b] > cap[b] {
                capped[b] = true;
                newly = true;
            }
        }
        if !newly {
            break;
        }
    }
    shares
}

/// A uniformly random point in a neighbourhood's disc.
pub(crate) fn point_in(n: &Neighbourhood, rng: &mut impl rand::Rng) -> [f32; 2] {
    let r = n.radius_km * rng.random::<f64>().sqrt();
    let (sin, cos) = sin_cos(std::f64::consts::TAU * rng.random::<f64>());
    [
        (n.centre_km[0] + r * cos) as f32,
        (n.centre_km[1] + r * sin) as f32,
    ]
}

/// Builds the residents of the area. Household heads draw the address, the age
/// band from the neighbourhood's mix and an age within it; partners share the
/// address and are about as old (docs/ODD.md §7.2).
pub fn build_residents(scenario: &Scenario) -> People {
    let mut starts = vec![0u32];
    for n in &scenario.neighbourhoods {
        starts.push(starts.last().copied().unwrap_or(0) + n.adults);
    }
    let total = *starts.last().unwrap_or(&0) as usize;
    let seed = scenario.seed;
    let volunteer_share = scenario.help_exchange.volunteer_share;
    let p = &scenario.population;

    let mixes: Vec<[[f64; AgeBand::COUNT]; 2]> = scenario
        .neighbourhoods
        .iter()
        .map(|n| household_age_mixes(n, &p.living_alone_by_age))
        .collect();
    // Each person is drawn from its own stream; a couple's second member copies the
    // household's address and the head's age from the head's stream.
    let people: Vec<(NeighbourhoodId, [f32; 2], u8, Traits, u8)> = (0..total as u32)
        .into_par_iter()
        .map(|id| {
            let ni = starts.partition_point(|s| *s <= id) - 1;
            let n = &scenario.neighbourhoods[ni];
            let local = id - starts[ni];
            let couples = couples_in(n);
            let in_couple = local < 2 * couples;
            let head = if in_couple { id - local % 2 } else { id };
            let mut household = stream(seed, Stream::Households, u64::from(head), 0);
            let position = point_in(n, &mut household);
            let band = draw_age_band(&mut household, &mixes[ni][usize::from(in_couple)]);
            let head_age = p.mortality.draw_age_in(&mut household, band);
            let mut own = stream(seed, Stream::Attributes, u64::from(id), 0);
            let age = if id == head {
                head_age
            } else {
                partner_age(&mut own, head_age, p.partner_age_difference_sd_years)
            };
            let traits = draw_traits(scenario, &mut own, AgeBand::of_age(age), Some(n));
            let mut flag = if in_couple { 0 } else { flags::LIVES_ALONE };
            if own.random::<f64>() < volunteer_share {
                flag |= flags::EXCHANGE_VOLUNTEER;
            }
            (NeighbourhoodId(ni as u16), position, age, traits, flag)
        })
        .collect();

    let mut out = People {
        area_residents: total,
        neighbourhood_start: starts,
        seed,
        ..People::default()
    };
    // One column at a time, each filled in parallel in id order (a serial push
    // of every resident into nine columns was 3% of the set-up at 1 million).
    out.neighbourhood.par_extend(people.par_iter().map(|p| p.0));
    out.position.par_extend(people.par_iter().map(|p| p.1));
    out.age.par_extend(people.par_iter().map(|p| p.2));
    out.age_band
        .par_extend(people.par_iter().map(|p| AgeBand::of_age(p.2)));
    out.capacity
        .par_extend(people.par_iter().map(|p| p.3.capacity));
    out.helpfulness
        .par_extend(people.par_iter().map(|p| p.3.helpfulness));
    out.ask_reluctance
        .par_extend(people.par_iter().map(|p| p.3.ask_reluctance));
    out.formal_trust
        .par_extend(people.par_iter().map(|p| p.3.formal_trust));
    out.flags.par_extend(people.par_iter().map(|p| p.4));
    // Sexes last, once both partners' ages are known (docs/ODD.md §7.1).
    let women: Vec<bool> = (0..total as u32)
        .into_par_iter()
        .map(|id| is_woman_at_set_up(&out, p, PersonId(id)))
        .collect();
    for (person, woman) in women.into_iter().enumerate() {
        out.set_woman(PersonId(person as u32), woman);
    }
    out
}

/// Whether a resident of the area as built is a woman: one draw per couple,
/// keyed by its head (the lower id), so that the two members agree; one per
/// resident who lives alone.
fn is_woman_at_set_up(
    people: &People,
    p: &crate::scenario::PopulationParams,
    person: PersonId,
) -> bool {
    let seed = people.seed;
    match people.partner(person) {
        Some(mate) => {
            let head = person.min(mate);
            let ages = [people.age[person.index()], people.age[mate.index()]];
            couple_member_is_woman(seed, head.0, person == head, ages, p.man_older_share)
        }
        None => {
            let band = people.age_band[person.index()];
            alone_is_woman(seed, person.0, band, &p.women_share_living_alone)
        }
    }
}

/// Whether a member of a couple is the woman, from the draw `u` (uniform in
/// 0–1) of the couple and `[own age, partner's age]`: the man is the older
/// with the chance `man_older_share`, and the head is the man with even
/// chances when both are of an age (docs/ODD.md §7.1).
pub(crate) fn couple_member_is_woman_by(
    u: f64,
    is_head: bool,
    ages: [u8; 2],
    man_older_share: f64,
) -> bool {
    match ages[0].cmp(&ages[1]) {
        std::cmp::Ordering::Equal => (u < 0.5) != is_head,
        std::cmp::Ordering::Greater => u >= man_older_share,
        std::cmp::Ordering::Less => u < man_older_share,
    }
}

/// [`couple_member_is_woman_by`] with one draw per couple at set-up, keyed
/// by its head, so that the two members agree.
fn couple_member_is_woman(
    seed: u64,
    head: u32,
    is_head: bool,
    ages: [u8; 2],
    man_older_share: f64,
) -> bool {
    let u: f64 = stream(seed, Stream::Sex, u64::from(head), 0).random();
    couple_member_is_woman_by(u, is_head, ages, man_older_share)
}

/// Whether a resident aged in `band` who lives alone is a woman, at set-up.
fn alone_is_woman(seed: u64, id: u32, band: AgeBand, women_share: &[f64; AgeBand::COUNT]) -> bool {
    stream(seed, Stream::Sex, u64::from(id), 0).random::<f64>() < women_share[band.index()]
}

/// A uniform draw in 0–1 from a key of the `Sex` stream: sexes are drawn
/// apart from every other draw, so that they change nothing else.
pub(crate) fn sex_draw(seed: u64, a: u64, b: u64) -> f64 {
    (crate::rng::stream_key(seed, Stream::Sex, a, b) >> 11) as f64 / (1u64 << 53) as f64
}

/// An outside alter's sex flag: as `known` (a mother is a woman, a father a
/// man), else a woman with even chances (docs/ODD.md §7.1).
fn outside_sex_flag(seed: u64, id: u64, known: Option<bool>) -> u8 {
    if known.unwrap_or_else(|| sex_draw(seed, id, 1) < 0.5) {
        flags::WOMAN
    } else {
        0
    }
}

/// A partner's age: the head's plus a normal difference, kept adult.
pub(crate) fn partner_age(rng: &mut impl rand::Rng, head_age: u8, sd_years: f64) -> u8 {
    let difference = Normal::new(0.0, sd_years.max(1e-9))
        .map(|law| law.sample(rng))
        .unwrap_or(0.0);
    crate::demography::age_plus(head_age, difference).unwrap_or(head_age)
}

/// Partners: consecutive pairs at the start of each neighbourhood's block.
pub(crate) fn partner_pairs(scenario: &Scenario, people: &People) -> Vec<(PersonId, PersonId)> {
    let mut pairs = Vec::new();
    for (ni, n) in scenario.neighbourhoods.iter().enumerate() {
        let start = people
            .neighbourhood_members(NeighbourhoodId(ni as u16))
            .start;
        for k in 0..couples_in(n) {
            pairs.push((PersonId(start + 2 * k), PersonId(start + 2 * k + 1)));
        }
    }
    pairs
}

/// Euclidean distance between two positions, km.
#[inline]
pub fn distance_km(a: [f32; 2], b: [f32; 2]) -> f32 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    (dx * dx + dy * dy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_live_alone_more_often_and_adults_keep_the_age_mix() {
        let n = Neighbourhood {
            adults: 10_000,
            living_alone: 0.25,
            age_mix: [0.3, 0.35, 0.22, 0.13],
            ..Neighbourhood::default()
        };
        let [singles, heads] = household_age_mixes(&n, &[0.15, 0.14, 0.2, 0.43]);
        let s = 0.25;
        for b in 0..AgeBand::COUNT {
            let adults = s * singles[b] + (1.0 - s) * heads[b];
            assert!((adults - n.age_mix[b]).abs() < 1e-9, "band {b}: {adults}");
        }
        let alone_share = |b: usize| s * singles[b] / n.age_mix[b];
        // 75+ about three times as often alone as 35-54, as the weights say.
        let ratio = alone_share(3) / alone_share(1);
        assert!((ratio - 0.43 / 0.14).abs() < 1e-9, "{ratio}");
        // Equal weights: both mixes are the neighbourhood's own, to the bit.
        assert_eq!(household_age_mixes(&n, &[0.3; 4]), [n.age_mix, n.age_mix]);
    }

    #[test]
    fn no_band_gets_more_singles_than_it_has_adults() {
        let n = Neighbourhood {
            adults: 1_000,
            living_alone: 0.6,
            age_mix: [0.4, 0.4, 0.1, 0.1],
            ..Neighbourhood::default()
        };
        let [singles, heads] = household_age_mixes(&n, &[0.0, 0.0, 1.0, 1.0]);
        let s = 0.6;
        assert!((singles.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        for b in 2..4 {
            assert!(
                (s * singles[b] - n.age_mix[b]).abs() < 1e-9,
                "band {b} all alone"
            );
            assert_eq!(heads[b], 0.0);
        }
        assert!(heads.iter().all(|h| *h >= 0.0));
    }

    /// Two residents living alone in homes of their own become partners; the
    /// one who moves in keeps their own home for whoever takes their place.
    #[test]
    fn singles_who_pair_up_are_partners_and_a_vacated_place_is_its_home_again() {
        let scenario = Scenario::default();
        let mut people = build_residents(&scenario);
        let singles: Vec<PersonId> = (0..people.area_residents() as u32)
            .map(PersonId)
            .filter(|p| people.has_flag(*p, flags::LIVES_ALONE))
            .take(2)
            .collect();
        let [a, b] = [singles[0], singles[1]];
        let couple = PersonId(0);
        let mate = people
            .partner(couple)
            .expect("the first home is a couple's");
        let home = people.position[a.index()];
        people.set_partners(a, b);
        people.move_in_with(a, b);
        assert_eq!(people.partner(a), Some(b));
        assert_eq!(people.partner(b), Some(a));
        assert_eq!(people.partner(couple), Some(mate), "other couples stay");
        assert_eq!(people.position[a.index()], people.position[b.index()]);
        people.set_alone(b);
        people.set_alone(a);
        people.vacate_home(a);
        assert_eq!(people.partner(b), None);
        assert_eq!(people.position[a.index()], home);
    }

    #[test]
    fn households_follow_living_alone_share() {
        let scenario = Scenario::default();
        let people = build_residents(&scenario);
        assert_eq!(people.area_residents() as u64, scenario.area_adults());
        for (ni, n) in scenario.neighbourhoods.iter().enumerate() {
            let members = people.neighbourhood_members(NeighbourhoodId(ni as u16));
            let alone = members
                .clone()
                .filter(|&p| people.has_flag(PersonId(p), flags::LIVES_ALONE))
                .count();
            let expected = n.adults - 2 * couples_in(n);
            assert_eq!(alone as u32, expected);
            assert!((alone as f64 / f64::from(n.adults) - n.living_alone).abs() < 0.01);
        }
    }

    #[test]
    fn residents_live_inside_their_neighbourhood_and_partners_share_a_home() {
        let scenario = Scenario::default();
        let people = build_residents(&scenario);
        for p in 0..people.len() {
            let n = &scenario.neighbourhoods[people.neighbourhood[p].index()];
            let centre = [n.centre_km[0] as f32, n.centre_km[1] as f32];
            assert!(distance_km(people.position[p], centre) <= n.radius_km as f32 + 1e-4);
        }
        let mut gaps = Vec::new();
        for (a, b) in partner_pairs(&scenario, &people) {
            assert_eq!(people.position[a.index()], people.position[b.index()]);
            gaps.push(f64::from(people.age[a.index()]) - f64::from(people.age[b.index()]));
        }
        let sd = (gaps.iter().map(|g| g * g).sum::<f64>() / gaps.len() as f64).sqrt();
        let expected = scenario.population.partner_age_difference_sd_years;
        assert!((sd - expected).abs() < 0.5, "partners' age gap sd {sd}");
        for p in 0..people.len() {
            assert_eq!(people.age_band[p], AgeBand::of_age(people.age[p]));
        }
    }

    #[test]
    fn age_mix_and_trust_follow_the_neighbourhood() {
        let mut scenario = Scenario::default();
        scenario.neighbourhoods.truncate(1);
        let n = &mut scenario.neighbourhoods[0];
        n.adults = 20_000;
        n.age_mix = [0.1, 0.2, 0.3, 0.4];
        n.institutional_trust = 0.3;
        let people = build_residents(&scenario);
        let total = people.len() as f64;
        for band in AgeBand::ALL {
            let share = people.age_band.iter().filter(|b| *b == band).count() as f64 / total;
            // Couples' ages are close, so the sampling error is that of ~12,000
            // draws, plus partners who cross a band's edge.
            assert!(
                (share - scenario.neighbourhoods[0].age_mix[band.index()]).abs() < 0.03,
                "{band}: {share}"
            );
        }
        let mean_trust = people
            .formal_trust
            .iter()
            .map(|t| f64::from(*t))
            .sum::<f64>()
            / total;
        assert!((mean_trust - 0.3).abs() < 0.01, "{mean_trust}");
    }

    #[test]
    fn mutual_aid_tradition_raises_helpfulness_and_lowers_reluctance() {
        let mean = |v: &[f32]| v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64;
        let mut scenario = Scenario::default();
        scenario.neighbourhoods.truncate(1);
        scenario.neighbourhoods[0].adults = 5000;
        scenario.neighbourhoods[0].mutual_aid_tradition = 0.0;
        let low = build_residents(&scenario);
        scenario.neighbourhoods[0].mutual_aid_tradition = 1.0;
        let high = build_residents(&scenario);
        assert!(mean(&high.helpfulness) > mean(&low.helpfulness) + 0.2);
        assert!(mean(&high.ask_reluctance) < mean(&low.ask_reluctance) - 0.2);
    }

    /// docs/ODD.md §7.1: every couple is a woman and a man, the man the older
    /// in about `man_older_share` of the couples of unequal age, and the
    /// women's share among those living alone follows its table by age.
    #[test]
    fn couples_are_a_woman_and_a_man_and_the_alone_follow_their_table() {
        let mut scenario = Scenario::default();
        scenario.population.women_share_living_alone = [0.1, 0.3, 0.6, 0.9];
        let people = build_residents(&scenario);
        let (mut man_older, mut unequal) = (0u32, 0u32);
        let mut alone = [[0u32; 2]; AgeBand::COUNT];
        for r in 0..people.area_residents() {
            let person = PersonId(r as u32);
            match people.partner(person) {
                Some(partner) => {
                    assert_ne!(people.is_woman(person), people.is_woman(partner));
                    let (age, mate) = (people.age[r], people.age[partner.index()]);
                    if !people.is_woman(person) && age != mate {
                        unequal += 1;
                        man_older += u32::from(age > mate);
                    }
                }
                None => {
                    let band = people.age_band[r].index();
                    alone[band][0] += 1;
                    alone[band][1] += u32::from(people.is_woman(person));
                }
            }
        }
        let older = f64::from(man_older) / f64::from(unequal);
        assert!(
            (older - 0.78).abs() < 0.03,
            "man older in {older} of {unequal}"
        );
        for (band, [all, women]) in alone.iter().enumerate() {
            let share = f64::from(*women) / f64::from(*all);
            let wanted = scenario.population.women_share_living_alone[band];
            assert!(
                (share - wanted).abs() < 0.08,
                "band {band}: {share} of {all}"
            );
        }
    }

    /// Outside alters are women with even chances, drawn from the seed.
    #[test]
    fn outside_alters_are_women_half_the_time() {
        let mut people = People {
            seed: 5,
            ..People::default()
        };
        let mut alters = OutsideAlters::default();
        let traits = Traits {
            capacity: 1.0,
            helpfulness: 0.5,
            ask_reluctance: 0.5,
            formal_trust: 0.5,
        };
        for _ in 0..4000 {
            alters.push(OutsideAlter {
                position: [0.0, 0.0],
                age: 50,
                traits,
                woman: None,
            });
        }
        people.append_outside(alters);
        let women = (0..4000).filter(|p| people.is_woman(PersonId(*p))).count();
        assert!((1850..2150).contains(&women), "{women} women of 4000");
    }
}
