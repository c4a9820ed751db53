//! Demography at the turn of a reported year (docs/ODD.md §7.2.1): residents
//! and their relatives elsewhere age and die, households move out, young adults
//! come of age and newcomers move into the homes that fell vacant.
//!
//! A resident is a home: the id ranges of the neighbourhoods and the couples'
//! pairs (docs/ARCHITECTURE.md §3) stay as they are, and a home that falls
//! vacant is taken within the year by a young adult coming of age or by a
//! newcomer. Everything kept per person is cleared for a home's new occupant:
//! ties end (both rows), the case and its place with the district team go, the
//! ledger's counters, strain and burnout restart, the help exchange's pool loses
//! the leaver. New relatives elsewhere are appended after everyone else.
//!
//! The draws come from [`Stream::Demography`] keyed by year, purpose and person
//! or neighbourhood, in parallel where each draw is a person's own; what changes
//! shared state happens in id order, so the result is the same on any number of
//! threads. The work is a pass over the persons and the rows of those who leave
//! or arrive, not over the whole graph.

mod params;
#[cfg(test)]
mod tests;

mod pairing;
mod separation;

pub use params::DemographyParams;

use rand::RngExt;
use rayon::prelude::*;

use super::case::Case;
use super::exchange::Office;
use super::formal::{Team, step::long_term_ended};
use super::ledger::CareLedger;
use super::needs::{NeedModel, NeedProfile, start_episode};
use super::strain::Carers;
use crate::demography::{Mortality, OLDEST_AGE};
use crate::hours::Hours;
use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::{AgeBand, KinRelation, TieKind};
use crate::network::{
    Network, NewTie, draw_trust_and_contact, in_law_tie, tie_flags, with_rare_contact,
};
use crate::population::{
    OutsideAlter, OutsideAlters, People, Traits, couple_member_is_woman_by, couples_in,
    distance_km, draw_age_band, draw_traits, flags, partner_age, sex_draw,
};
use crate::rng::{Stream, StreamRng, poisson, stream};
use crate::scenario::Scenario;
use crate::tally::YearStart;

/// Weeks in a reported year: the turn of the year comes after each 52 reported
/// weeks, before the next.
pub const YEAR_WEEKS: u32 = 52;

/// The reported year (1, 2, …) that starts with reported week `week`, if one does.
pub fn year_starting(week: u32) -> Option<u32> {
    week.is_multiple_of(YEAR_WEEKS)
        .then_some(week / YEAR_WEEKS + 1)
}

/// Residents by age band, and no changes: the start of the first year.
pub fn first_year(people: &People) -> YearStart {
    YearStart {
        year: 1,
        residents: residents_by_band(people),
        living_alone: living_alone_by_band(people),
        ..YearStart::default()
    }
}

/// The draws of a turn of the year, one key per purpose.
#[derive(Clone, Copy)]
enum Draw {
    Death = 0,
    Move = 1,
    ComingOfAge = 2,
    Newcomer = 3,
    Tie = 4,
    Need = 5,
    PartnerMovesIn = 6,
    PairUp = 7,
}

fn draw(scenario: &Scenario, year: u32, purpose: Draw, subject: u64) -> StreamRng {
    let key = u64::from(year) * 8 + purpose as u64;
    stream(scenario.seed, Stream::Demography, key, subject)
}

/// The chance that someone aged `age` dies within the year.
pub fn death_chance(mortality: &Mortality, age: u8) -> f64 {
    death_chance_scaled(mortality, age, 1.0)
}

/// [`death_chance`] with the hazard multiplied by `factor`: one minus the
/// year's survival to the power `factor` (exactly [`death_chance`] at 1).
pub fn death_chance_scaled(mortality: &Mortality, age: u8, factor: f64) -> f64 {
    let age = f64::from(age);
    1.0 - crate::math::pow(mortality.survives(age, age + 1.0), factor)
}

/// How much lower mortality is in reported year `year` than in the first:
/// `(1 − demography.mortality_decline_per_year)^(year − 1)` (docs/ODD.md §7.2.1).
pub fn mortality_factor(scenario: &Scenario, year: u32) -> f64 {
    let decline = scenario.demography.mortality_decline_per_year;
    (1.0 - decline).powi(year.saturating_sub(1) as i32)
}

/// What the turn of the year changes.
pub struct DemographyState<'a> {
    pub people: &'a mut People,
    pub network: &'a mut Network,
    pub cases: &'a mut Vec<Case>,
    pub teams: &'a mut [Team],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
    pub offices: &'a mut [Office],
}

/// New residents arrive with the long-term needs of their age (the stationary
/// prevalence of §7.10.1, the remaining length drawn afresh from `week`), as
/// the residents of the start do: each such newcomer gets a case.
pub fn newcomers_needs(
    scenario: &Scenario,
    needs: &NeedModel,
    (year, week): (u32, u32),
    people: &People,
    newcomers: &[PersonId],
    cases: &mut Vec<Case>,
) {
    for person in newcomers {
        let mut rng = draw(scenario, year, Draw::Need, u64::from(person.0));
        let who = NeedProfile::of(people, *person);
        if let Some(mut episode) = needs.initial_episode_with(&mut rng, who) {
            episode.start_week = week;
            episode.end_week = episode.end_week.saturating_add(week);
            let mut case = Case::new(*person, people.neighbourhood[person.index()]);
            start_episode(&mut case.episodes, episode);
            cases.push(case);
        }
    }
    cases.sort_by_key(|c| c.person);
}

/// Who leaves the area this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Stays,
    Dies,
    MovesOut,
}

/// What a turn of the year did.
#[derive(Debug, Clone, Default)]
pub struct Turn {
    /// Residents by age band afterwards, and the counts of what changed.
    pub start: YearStart,
    /// The homes whose residents died or moved out, in id order (all taken
    /// again by new residents).
    pub vacated: Vec<PersonId>,
    /// Outside alters who died, in id order.
    pub outside_dead: Vec<PersonId>,
}

/// The turn into reported year `year` (2 or later).
pub fn turn_of_year(scenario: &Scenario, year: u32, state: DemographyState) -> Turn {
    let DemographyState {
        people,
        network,
        cases,
        teams,
        carers,
        ledger,
        offices,
    } = state;
    let mut fates = resident_fates(scenario, year, people);
    let parted = separation::separate(scenario, year, people, &mut fates);
    let outside_deaths = outside_deaths(scenario, year, people);
    let mut start = YearStart {
        year,
        ..YearStart::default()
    };
    let mut vacant = vec![false; people.area_residents()];
    // (the leaver, the partner they lived with), in id order of the leavers.
    let mut left_behind: Vec<(PersonId, PersonId)> = Vec::new();
    for (r, fate) in fates.iter().enumerate() {
        if *fate == Fate::Stays {
            continue;
        }
        let person = PersonId(r as u32);
        if let Some(partner) = people.partner(person) {
            people.set_alone(partner);
            left_behind.push((person, partner));
        }
        people.set_alone(person);
        people.vacate_home(person);
        leave(people, network, person);
        ledger.forget_resident(r);
        vacant[r] = true;
        match fate {
            Fate::Dies => start.deaths += 1,
            _ => start.departures += 1,
        }
    }
    for &(leaver, stayer) in &parted {
        if !vacant[leaver.index()] {
            separation::live_apart(people, network, leaver, stayer);
        }
    }
    start.separations = parted.len() as u64;
    for alter in &outside_deaths {
        leave(people, network, *alter);
    }
    start.outside_deaths = outside_deaths.len() as u64;
    clear_cases(cases, teams, &vacant);
    for office in offices.iter_mut() {
        office.volunteers.retain(|v| !vacant[v.index()]);
    }
    age_everyone(people);
    let mut newcomers = Newcomers {
        vacant: vacant.clone(),
        ..Newcomers::default()
    };
    // Who separated at this turn looks for a partner from the next on.
    let mut unavailable = vacant.clone();
    for &(leaver, stayer) in &parted {
        unavailable[leaver.index()] = true;
        unavailable[stayer.index()] = true;
    }
    start.couples_formed = pairing::pair_up(
        scenario,
        year,
        people,
        network,
        &unavailable,
        &mut newcomers,
    );
    for (ni, n) in scenario.neighbourhoods.iter().enumerate() {
        let home = NeighbourhoodId(ni as u16);
        let members = people.neighbourhood_members(home);
        let couples = couples_in(n);
        let homes: Vec<u32> = members.clone().filter(|p| vacant[*p as usize]).collect();
        let fill = HomesToFill {
            scenario,
            year,
            home,
            first: members.start,
            couples,
            vacant: &vacant,
            left_behind: &left_behind,
        };
        fill.fill(people, &homes, &mut newcomers, &mut start);
    }
    newcomers.settle(scenario, year, people, network, carers, offices);
    start.residents = residents_by_band(people);
    start.living_alone = living_alone_by_band(people);
    let vacated = (0..vacant.len() as u32)
        .filter(|p| vacant[*p as usize])
        .map(PersonId)
        .collect();
    Turn {
        start,
        vacated,
        outside_dead: outside_deaths,
    }
}

/// Each resident's fate, drawn in parallel: death by age; otherwise the
/// household moves out with the chance of its older member's age band (both
/// partners draw the same number, from the household's first member's key).
fn resident_fates(scenario: &Scenario, year: u32, people: &People) -> Vec<Fate> {
    let d = &scenario.demography;
    let mortality = &scenario.population.mortality;
    let factor = mortality_factor(scenario, year);
    (0..people.area_residents() as u32)
        .into_par_iter()
        .map(|r| {
            let person = PersonId(r);
            let age = people.age[r as usize];
            let mut rng = draw(scenario, year, Draw::Death, u64::from(r));
            if rng.random::<f64>() < death_chance_scaled(mortality, age, factor) {
                return Fate::Dies;
            }
            let partner = people.partner(person);
            let first = partner.map_or(person, |p| p.min(person));
            let oldest = partner.map_or(age, |p| age.max(people.age[p.index()]));
            let band = AgeBand::of_age(oldest).index();
            let mut rng = draw(scenario, year, Draw::Move, u64::from(first.0));
            if rng.random::<f64>() < d.move_out_per_year[band] {
                Fate::MovesOut
            } else {
                Fate::Stays
            }
        })
        .collect()
}

/// The distances of `person`'s ties, measured from where they live now (after
/// moving in with a partner, or back to their own home).
fn measure_ties_from_home(people: &People, network: &mut Network, person: PersonId) {
    let home = people.position[person.index()];
    let ties: Vec<(usize, PersonId)> = network
        .row(person)
        .iter()
        .map(|e| (e.tie().index(), e.other))
        .collect();
    for (t, other) in ties {
        network.ties.distance_km[t] = distance_km(home, people.position[other.index()]);
    }
}

/// Outside alters still in the model who die this year, in id order.
fn outside_deaths(scenario: &Scenario, year: u32, people: &People) -> Vec<PersonId> {
    let mortality = &scenario.population.mortality;
    let factor = mortality_factor(scenario, year);
    (people.area_residents() as u32..people.len() as u32)
        .into_par_iter()
        .filter(|a| {
            let a = *a as usize;
            if people.flags[a] & flags::GONE != 0 {
                return false;
            }
            let mut rng = draw(scenario, year, Draw::Death, a as u64);
            rng.random::<f64>() < death_chance_scaled(mortality, people.age[a], factor)
        })
        .map(PersonId)
        .collect()
}

/// `person` leaves the model's present: every tie ends, and outside alters left
/// with no tie (a leaver's relatives elsewhere) leave with them.
fn leave(people: &mut People, network: &mut Network, person: PersonId) {
    for other in network.end_ties_of(person) {
        if !people.is_resident(other) && network.degree(other) == 0 {
            people.flags[other.index()] |= flags::GONE;
        }
    }
    if !people.is_resident(person) {
        people.flags[person.index()] |= flags::GONE;
    }
}

/// Leavers' cases go (their hours with the district team are released and their
/// place on its list given up); nobody keeps a leaver as a recent helper.
fn clear_cases(cases: &mut Vec<Case>, teams: &mut [Team], vacant: &[bool]) {
    for case in cases.iter_mut().filter(|c| vacant[c.person.index()]) {
        long_term_ended(case, teams);
    }
    cases.retain(|c| !vacant[c.person.index()]);
    for case in cases.iter_mut() {
        case.helpers
            .retain(|h| !vacant.get(h.helper.index()).copied().unwrap_or(false));
    }
}

/// Everyone still here is a year older.
fn age_everyone(people: &mut People) {
    for p in 0..people.len() {
        if people.flags[p] & flags::GONE == 0 {
            let age = people.age[p].saturating_add(1).min(OLDEST_AGE);
            people.age[p] = age;
            people.age_band[p] = AgeBand::of_age(age);
        }
    }
}

/// Residents by age band.
fn residents_by_band(people: &People) -> [u64; AgeBand::COUNT] {
    let mut by_band = [0u64; AgeBand::COUNT];
    for band in &people.age_band[..people.area_residents()] {
        by_band[band.index()] += 1;
    }
    by_band
}

/// Residents living alone, by age band.
fn living_alone_by_band(people: &People) -> [u64; AgeBand::COUNT] {
    let mut by_band = [0u64; AgeBand::COUNT];
    for r in 0..people.area_residents() {
        if people.flags[r] & flags::LIVES_ALONE != 0 {
            by_band[people.age_band[r].index()] += 1;
        }
    }
    by_band
}

/// The vacant homes of one neighbourhood and how they are taken.
struct HomesToFill<'a> {
    scenario: &'a Scenario,
    year: u32,
    home: NeighbourhoodId,
    first: u32,
    couples: u32,
    vacant: &'a [bool],
    /// Every leaver of the year who lived with a partner, with that partner.
    left_behind: &'a [(PersonId, PersonId)],
}

impl HomesToFill<'_> {
    /// The other half of the couple's home that place `slot` belongs to
    /// (meaningful only for the first `2 × couples` places).
    fn other_half(&self, slot: u32) -> u32 {
        self.first + ((slot - self.first) ^ 1)
    }

    /// A couple's home whose other half is vacant too.
    fn pair_vacant(&self, p: u32) -> bool {
        let local = p - self.first;
        local < 2 * self.couples && self.vacant[self.other_half(p) as usize]
    }

    /// The order in which young adults coming of age take vacant homes:
    /// single homes (0), then a half of a home beside a resident (1), then
    /// couples' homes vacant as a whole (2). Before session 28 the halves
    /// came before the single homes (they have the lower ids), so the young
    /// took the place beside a widow or widower where a partner could move in.
    /// The place of a leaver who had paired up and lived in their partner's
    /// home counts as a place beside the partner left behind, since a
    /// newcomer who takes it may move in with them (since session 35; it
    /// counted as a single home, so a young adult could take it).
    fn kind_of_vacancy(&self, people: &People, p: u32) -> u8 {
        let local = p - self.first;
        if local >= 2 * self.couples {
            u8::from(self.single_in_other_half(people, p).is_some())
        } else if self.pair_vacant(p) {
            2
        } else {
            1
        }
    }

    /// The resident living alone beside the place `slot` that fell vacant:
    /// the partner its leaver lived with elsewhere (singles who paired up),
    /// else the one in the other half of a couple's home (a widow or widower
    /// of this year, or someone who took such a half earlier). Not this
    /// year's newcomers.
    fn single_in_other_half(&self, people: &People, slot: u32) -> Option<PersonId> {
        let partner = self
            .partner_elsewhere(slot)
            .filter(|p| !self.vacant[p.index()] && people.has_flag(*p, flags::LIVES_ALONE));
        if partner.is_some() {
            return partner;
        }
        let local = slot - self.first;
        let other = PersonId(self.other_half(slot));
        (local < 2 * self.couples
            && !self.vacant[other.index()]
            && people.has_flag(other, flags::LIVES_ALONE))
        .then_some(other)
    }

    /// The partner whom the leaver of `slot` lived with in another place than
    /// the other half of `slot`'s home (singles who paired up, docs/ODD.md
    /// §7.2.1): the half beside a resident is then that partner's home.
    fn partner_elsewhere(&self, slot: u32) -> Option<PersonId> {
        let leaver = PersonId(slot);
        let at = self
            .left_behind
            .binary_search_by_key(&leaver, |(l, _)| *l)
            .ok()?;
        let partner = self.left_behind[at].1;
        let in_a_couples_home = slot - self.first < 2 * self.couples;
        (!in_a_couples_home || partner.0 != self.other_half(slot)).then_some(partner)
    }

    /// Whether the newcomer who takes half `slot` beside `single` moves in as
    /// their partner: with `demography.partner_moves_in[b]` of the band `b` of
    /// `single`'s age (docs/ODD.md §7.2.1), from a draw of its own.
    fn partner_moves_in(&self, people: &People, slot: u32, single: PersonId) -> bool {
        let band = people.age_band[single.index()];
        let chance = self.scenario.demography.partner_moves_in[band.index()];
        chance > 0.0
            && draw(
                self.scenario,
                self.year,
                Draw::PartnerMovesIn,
                u64::from(slot),
            )
            .random::<f64>()
                < chance
    }

    /// Young adults coming of age take single homes first; the homes left go
    /// to newcomers: a couple where both halves of a couple's home are vacant,
    /// else one person.
    fn fill(&self, people: &mut People, homes: &[u32], out: &mut Newcomers, start: &mut YearStart) {
        let d = &self.scenario.demography;
        let members = people.neighbourhood_members(self.home);
        let mut rng = draw(
            self.scenario,
            self.year,
            Draw::ComingOfAge,
            u64::from(self.home.0),
        );
        let expected = d.coming_of_age_per_year * f64::from(members.end - members.start);
        let parents: Vec<PersonId> = members
            .filter(|p| !self.vacant[*p as usize])
            .map(PersonId)
            .filter(|p| (d.parent_age_min..=d.parent_age_max).contains(&people.age[p.index()]))
            .collect();
        let mut order: Vec<u32> = homes.to_vec();
        order.sort_by_key(|p| (self.kind_of_vacancy(people, *p), *p));
        let young = if parents.is_empty() {
            0
        } else {
            (poisson(&mut rng, expected) as usize).min(order.len())
        };
        let mut taken = vec![false; order.len()];
        for (i, slot) in order.iter().take(young).enumerate() {
            let parent = parents[rng.random_range(0..parents.len())];
            out.come_of_age(self.scenario, self.year, people, PersonId(*slot), parent);
            taken[i] = true;
            start.comings_of_age += 1;
        }
        let mut left: Vec<u32> = order
            .iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(p, _)| *p)
            .collect();
        left.sort_unstable();
        let mut i = 0;
        while i < left.len() {
            let slot = left[i];
            let local = slot - self.first;
            let mate = self.other_half(slot);
            if local < 2 * self.couples && local.is_multiple_of(2) && left.get(i + 1) == Some(&mate)
            {
                out.arrive(self.scenario, self.year, people, [slot, mate]);
                start.arrivals += 2;
                i += 2;
            } else if let Some(single) = self
                .single_in_other_half(people, slot)
                .filter(|single| self.partner_moves_in(people, slot, *single))
            {
                out.move_in_with(self.scenario, self.year, people, PersonId(slot), single);
                start.arrivals += 1;
                start.partners_moving_in += 1;
                i += 1;
            } else {
                out.arrive(self.scenario, self.year, people, [slot, slot]);
                start.arrivals += 1;
                i += 1;
            }
        }
    }
}

/// This year's new residents and the relatives and ties they bring, gathered
/// in id order and settled at once.
#[derive(Default)]
struct Newcomers {
    /// Homes that fell vacant this year (and take this year's new residents).
    vacant: Vec<bool>,
    /// New residents, each with their capacity, in the order they came.
    residents: Vec<PersonId>,
    alters: OutsideAlters,
    alter_count: usize,
    /// Kin ties to outside alters: (resident, index among `alters`, what the
    /// alter is to the resident).
    kin_outside: Vec<(PersonId, usize, KinRelation)>,
    /// Ties between residents: (ends, kind, what the second is to the first).
    local: Vec<([PersonId; 2], TieKind, KinRelation)>,
    /// Newcomers who moved in with a resident living alone: (the resident,
    /// the newcomer).
    moved_in: Vec<(PersonId, PersonId)>,
    /// Residents living alone who paired up this year (docs/ODD.md §7.2.1).
    paired: Vec<(PersonId, PersonId)>,
}

impl Newcomers {
    /// A resident's child turns 18 and takes home `slot`: tied to the parent
    /// and the parent's partner.
    fn come_of_age(
        &mut self,
        scenario: &Scenario,
        year: u32,
        people: &mut People,
        slot: PersonId,
        parent: PersonId,
    ) {
        let mut rng = draw(scenario, year, Draw::Newcomer, u64::from(slot.0));
        let age = crate::demography::ADULT_AGE;
        self.occupy(scenario, &mut rng, people, slot, age, true);
        people.set_woman(slot, alone_newcomer_is_woman(scenario, year, slot, age));
        for p in std::iter::once(parent).chain(people.partner(parent)) {
            self.local
                .push(([slot, p], TieKind::Kin, KinRelation::Parent));
        }
    }

    /// Newcomers from elsewhere take `homes` (a couple, or one person twice):
    /// ages from the arrivals' mix, relatives outside the area as set-up draws
    /// them, and a neighbour or so.
    fn arrive(&mut self, scenario: &Scenario, year: u32, people: &mut People, homes: [u32; 2]) {
        let d = &scenario.demography;
        let mortality = &scenario.population.mortality;
        let head = PersonId(homes[0]);
        let mut rng = draw(scenario, year, Draw::Newcomer, u64::from(head.0));
        let band = draw_age_band(&mut rng, &d.arrival_age_mix);
        let head_age = mortality.draw_age_in(&mut rng, band);
        let couple = homes[0] != homes[1];
        self.occupy(scenario, &mut rng, people, head, head_age, !couple);
        if !couple {
            let woman = alone_newcomer_is_woman(scenario, year, head, head_age);
            people.set_woman(head, woman);
        } else {
            let sd = scenario.population.partner_age_difference_sd_years;
            let mate = PersonId(homes[1]);
            let age = partner_age(&mut rng, head_age, sd);
            self.occupy(scenario, &mut rng, people, mate, age, false);
            people.set_partners(head, mate);
            // Sexes once both ages are known, from a draw of their own.
            let u = sex_draw(scenario.seed, u64::from(head.0), 2 + u64::from(year));
            let share = scenario.population.man_older_share;
            let head_woman = couple_member_is_woman_by(u, true, [head_age, age], share);
            people.set_woman(head, head_woman);
            people.set_woman(mate, !head_woman);
            self.local
                .push(([head, mate], TieKind::Partner, KinRelation::OtherKin));
        }
        for person in [PersonId(homes[0]), PersonId(homes[1])] {
            if couple || person == head {
                self.relatives_elsewhere(scenario, &mut rng, people, person);
                self.next_door(scenario, &mut rng, people, person);
            }
            if !couple {
                break;
            }
        }
    }

    /// A newcomer takes half `slot` of a couple's home as the partner of
    /// `single`, who lived alone in the other half: an age around theirs, the
    /// other sex, a partner tie, and relatives elsewhere; ties to each other's
    /// parents are made in [`Newcomers::settle`].
    fn move_in_with(
        &mut self,
        scenario: &Scenario,
        year: u32,
        people: &mut People,
        slot: PersonId,
        single: PersonId,
    ) {
        let mut rng = draw(scenario, year, Draw::Newcomer, u64::from(slot.0));
        let sd = scenario.population.partner_age_difference_sd_years;
        let age = partner_age(&mut rng, people.age[single.index()], sd);
        self.occupy(scenario, &mut rng, people, slot, age, false);
        people.set_partners(single, slot);
        if people.position[slot.index()] != people.position[single.index()] {
            people.move_in_with(slot, single);
        }
        people.set_woman(slot, !people.is_woman(single));
        self.local
            .push(([single, slot], TieKind::Partner, KinRelation::OtherKin));
        self.relatives_elsewhere(scenario, &mut rng, people, slot);
        self.moved_in.push((single, slot));
    }

    /// Sets a new resident's age, traits and household.
    fn occupy(
        &mut self,
        scenario: &Scenario,
        rng: &mut StreamRng,
        people: &mut People,
        person: PersonId,
        age: u8,
        alone: bool,
    ) {
        let p = person.index();
        let band = AgeBand::of_age(age);
        let n = &scenario.neighbourhoods[people.neighbourhood[p].index()];
        let traits = draw_traits(scenario, rng, band, Some(n));
        people.age[p] = age;
        people.age_band[p] = band;
        set_traits(people, p, &traits);
        let mut flag = if alone { flags::LIVES_ALONE } else { 0 };
        if rng.random::<f64>() < scenario.help_exchange.volunteer_share {
            flag |= flags::EXCHANGE_VOLUNTEER;
        }
        people.flags[p] = flag;
        self.residents.push(person);
    }

    /// Parents, adult children and siblings elsewhere, drawn as at the start
    /// (docs/ODD.md §7.4.1) with average sociability, all outside the area.
    fn relatives_elsewhere(
        &mut self,
        scenario: &Scenario,
        rng: &mut StreamRng,
        people: &People,
        person: PersonId,
    ) {
        let kin = &scenario.kinship;
        let mortality = &scenario.population.mortality;
        let age = people.age[person.index()];
        let home = people.position[person.index()];
        // (age, sex where the relation says it, relation, home)
        let mut relatives: Vec<(u8, Option<bool>, KinRelation, [f32; 2])> = Vec::new();
        let parents: Vec<_> = kin
            .draw_parents(rng, age, mortality)
            .living_with_sex()
            .collect();
        if !parents.is_empty() && kin.in_contact(rng, 1.0) {
            let point = family_home(scenario, rng, home);
            relatives.extend(
                parents
                    .iter()
                    .map(|p| (p.age, Some(p.woman), KinRelation::Parent, point)),
            );
        }
        for child in kin.draw_adult_children(rng, age, mortality) {
            if kin.in_contact(rng, 1.0) {
                let point = family_home(scenario, rng, home);
                relatives.push((child, None, KinRelation::Child, point));
            }
        }
        for sibling in kin.draw_siblings(rng, age, kin.siblings_mean, mortality) {
            let point = family_home(scenario, rng, home);
            relatives.push((sibling, None, KinRelation::Sibling, point));
        }
        for (age, woman, relation, position) in relatives {
            let traits = draw_traits(scenario, rng, AgeBand::of_age(age), None);
            self.alters.push(OutsideAlter {
                position,
                age,
                traits,
                woman,
            });
            self.kin_outside.push((person, self.alter_count, relation));
            self.alter_count += 1;
        }
    }

    /// The people next door: of a few residents of the neighbourhood drawn at
    /// random (not newcomers of this year), the nearest.
    fn next_door(
        &mut self,
        scenario: &Scenario,
        rng: &mut StreamRng,
        people: &People,
        person: PersonId,
    ) {
        const CANDIDATES: usize = 8;
        let members = people.neighbourhood_members(people.neighbourhood[person.index()]);
        let home = people.position[person.index()];
        let mut known: Vec<PersonId> = Vec::new();
        for _ in 0..scenario.demography.newcomer_neighbours {
            let nearest = (0..CANDIDATES)
                .map(|_| PersonId(rng.random_range(members.clone())))
                .filter(|p| !self.vacant[p.index()])
                .filter(|p| !known.contains(p))
                .min_by(|a, b| {
                    let da = distance_km(home, people.position[a.index()]);
                    let db = distance_km(home, people.position[b.index()]);
                    da.total_cmp(&db).then(a.cmp(b))
                });
            if let Some(neighbour) = nearest {
                known.push(neighbour);
                self.local.push((
                    [person, neighbour],
                    TieKind::Neighbour,
                    KinRelation::OtherKin,
                ));
            }
        }
    }

    /// Appends the relatives elsewhere, adds every new tie, and sets the new
    /// residents' hours, strain and volunteering.
    fn settle(
        self,
        scenario: &Scenario,
        year: u32,
        people: &mut People,
        network: &mut Network,
        carers: &mut Carers,
        offices: &mut [Office],
    ) {
        let first_alter = people.len() as u32;
        people.append_outside(self.alters);
        let added = people.len() - network.people();
        network.add_people(added);
        carers.add_people(people, added);
        for person in &self.residents {
            carers.restart(
                *person,
                Hours::from_f64(f64::from(people.capacity[person.index()])),
            );
            let n = people.neighbourhood[person.index()];
            if people.has_flag(*person, flags::EXCHANGE_VOLUNTEER) {
                for office in offices.iter_mut().filter(|o| o.covers(n)) {
                    office.register(*person);
                }
            }
        }
        let ends = self
            .kin_outside
            .iter()
            .map(|(r, a, rel)| ([*r, PersonId(first_alter + *a as u32)], TieKind::Kin, *rel))
            .chain(self.local.iter().copied());
        let ties: Vec<NewTie> = ends
            .enumerate()
            .map(|(i, (ends, kind, relation))| {
                new_tie(scenario, year, people, i, ends, kind, relation)
            })
            .collect();
        network.add_ties(&ties);
        if scenario.kinship.parents_in_law {
            let mut in_laws = in_law_ties(&self.kin_outside, scenario, year, people, first_alter);
            let mut resident_parents = parents_of_the_residents(&self.moved_in, network);
            let both_ways: Vec<(PersonId, PersonId)> = self
                .paired
                .iter()
                .flat_map(|&(a, b)| [(a, b), (b, a)])
                .collect();
            resident_parents.extend(
                parents_of_the_residents(&both_ways, network)
                    .into_iter()
                    .filter(|&(child, parent)| network.tie_between(child, parent).is_none()),
            );
            let first = in_laws.len();
            in_laws.extend(
                resident_parents
                    .iter()
                    .enumerate()
                    .map(|(i, &(newcomer, parent))| {
                        let key = [(first + i) as u64, u64::from(year) + 1];
                        tie_to_parent_in_law(scenario, people, key, newcomer, parent)
                    }),
            );
            network.add_ties(&in_laws);
        }
    }
}

/// The ties of a newcomer living with a partner to the partner's parents
/// (docs/ODD.md §7.4.1), drawn as at the start; `kin_outside` are the
/// newcomers' ties to their relatives outside, numbered from `first_alter`.
fn in_law_ties(
    kin_outside: &[(PersonId, usize, KinRelation)],
    scenario: &Scenario,
    year: u32,
    people: &People,
    first_alter: u32,
) -> Vec<NewTie> {
    kin_outside
        .iter()
        .filter(|(_, _, kin)| *kin == KinRelation::Parent)
        .filter_map(|(child, alter, _)| people.partner(*child).map(|p| (p, *alter)))
        .enumerate()
        .map(|(i, (in_law, alter))| {
            let parent = PersonId(first_alter + alter as u32);
            tie_to_parent_in_law(
                scenario,
                people,
                [i as u64, u64::from(year) + 1],
                in_law,
                parent,
            )
        })
        .collect()
}

/// For each newcomer who moved in with a resident, the resident's parents
/// (in the area or outside), to whom the newcomer is a child-in-law: (the
/// newcomer, the parent), in the order of `moved_in` and of the resident's row.
fn parents_of_the_residents(
    moved_in: &[(PersonId, PersonId)],
    network: &Network,
) -> Vec<(PersonId, PersonId)> {
    moved_in
        .iter()
        .flat_map(|&(resident, newcomer)| {
            network
                .row(resident)
                .iter()
                .filter(move |e| network.kin_relation(resident, **e) == Some(KinRelation::Parent))
                .map(move |e| (newcomer, e.other))
        })
        .collect()
}

/// The tie between a newcomer living with a partner and a `parent` of that
/// partner, drawn as a parent-in-law's tie (docs/ODD.md §7.4.1), with the
/// relation seen from the higher-numbered end (an outside parent's is the
/// higher id; a parent in the area's may be the lower).
fn tie_to_parent_in_law(
    scenario: &Scenario,
    people: &People,
    key: [u64; 2],
    child_in_law: PersonId,
    parent: PersonId,
) -> NewTie {
    let ends = [child_in_law.min(parent), child_in_law.max(parent)];
    let mut tie = in_law_tie(scenario, people, key, ends);
    let higher_is = if parent > child_in_law {
        KinRelation::ParentInLaw
    } else {
        KinRelation::ChildInLaw
    };
    tie.flags |= tie_flags::relation_bits(higher_is);
    tie
}

fn set_traits(people: &mut People, p: usize, traits: &Traits) {
    people.capacity[p] = traits.capacity;
    people.helpfulness[p] = traits.helpfulness;
    people.ask_reluctance[p] = traits.ask_reluctance;
    people.formal_trust[p] = traits.formal_trust;
}

/// A relative's home: a family distance from `home` in a random direction.
fn family_home(scenario: &Scenario, rng: &mut StreamRng, home: [f32; 2]) -> [f32; 2] {
    let distance = scenario.kinship.draw_family_distance(rng);
    let (sin, cos) = crate::math::sin_cos(std::f64::consts::TAU * rng.random::<f64>());
    [
        home[0] + (distance * cos) as f32,
        home[1] + (distance * sin) as f32,
    ]
}

/// A tie of a newcomer, with trust and online contact drawn as at the start
/// (docs/ODD.md §7.7); `relation` is what `ends[1]` is to `ends[0]` (kin only).
fn new_tie(
    scenario: &Scenario,
    year: u32,
    people: &People,
    index: usize,
    ends: [PersonId; 2],
    kind: TieKind,
    relation: KinRelation,
) -> NewTie {
    let mut rng = draw(scenario, year, Draw::Tie, index as u64);
    let (trust, blended) = draw_trust_and_contact(scenario, people, &mut rng, ends[0], kind);
    let mut flags = if blended { tie_flags::BLENDED } else { 0 };
    if kind == TieKind::Kin {
        // The flags say what the higher-numbered end is to the lower-numbered.
        let higher_to_lower = if ends[1] > ends[0] {
            relation
        } else {
            relation.inverse()
        };
        flags |= tie_flags::relation_bits(higher_to_lower);
    }
    let key = [index as u64, u64::from(year) + 1];
    NewTie {
        ends: [ends[0].min(ends[1]), ends[0].max(ends[1])],
        kind,
        trust: with_rare_contact(scenario, kind, flags, key, trust),
        distance_km: distance_km(
            people.position[ends[0].index()],
            people.position[ends[1].index()],
        ),
        flags,
    }
}

/// Whether a newcomer aged `age` who will live alone in `home` in `year` is a
/// woman, by the share of women among those who live alone at that age
/// (docs/ODD.md §7.1), drawn apart from the newcomer's other draws.
fn alone_newcomer_is_woman(scenario: &Scenario, year: u32, home: PersonId, age: u8) -> bool {
    let shares = &scenario.population.women_share_living_alone;
    let u = sex_draw(scenario.seed, u64::from(home.0), 2 + u64::from(year));
    u < shares[AgeBand::of_age(age).index()]
}
