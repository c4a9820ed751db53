//! The calibration metrics of a run (docs/ODD.md §1.3), each computed with its source's definition
//! (docs/ODD.md §1.3 says how).

use rayon::prelude::*;

use super::Engine;
use crate::kinds::{AgeBand, CareRelation, CarerAgeBand, KinRelation, TieKind};
use crate::network::Network;
use crate::population::{People, flags};
use crate::tally::{Calibration, share};

/// CBS: care to one person for at least 13 weeks …
const CBS_WEEKS_TO_ONE_PERSON: u16 = 13;
/// … or at least 8 hours a week; also the bar of an intensive carer.
const CBS_HOURS_PER_WEEK: f64 = 8.0;
/// A parent within this distance: CBS's "young parents within 5 km of their
/// mother".
const KIN_NEAR_KM: f32 = 5.0;
/// The ages of CBS's young parents.
const YOUNG_PARENT_AGES: std::ops::RangeInclusive<u8> = 25..=40;

impl Engine {
    /// The calibration metrics over the reported weeks so far.
    pub fn calibration(&self) -> Calibration {
        self.calibration_with(&self.live.ledger)
    }

    /// The calibration metrics of the care `ledger` counted (the run's, or a
    /// year's in a run of several years).
    pub(super) fn calibration_with(&self, ledger: &super::CareLedger) -> Calibration {
        let people = &self.world.people;
        let network = &self.world.network;
        let residents = people.area_residents();
        let mut c = Calibration::default();
        // The tie lookups in parallel; the sums (one of floats) in resident order.
        let statuses: Vec<CarerStatus> = (0..residents)
            .into_par_iter()
            .map(|r| CarerStatus::of(network, ledger, r))
            .collect();
        CarerCounts::of(people, network, &statuses).write_into(&mut c);
        c.relatives_share_of_care_pairs = relatives_share(network, ledger, residents);
        c.isolated_share = isolated_share(network, residents);
        c.volunteering_share = volunteering_share(self, people);
        c.kin_within_5km_share = kin_near_share(people, network, residents);
        let is_intensive = |r: usize| statuses[r].intensive();
        let is_cbs_carer = |r: usize| statuses[r].cbs;
        let old_parents =
            children_of_old_parents(people, network, ledger, &is_cbs_carer, &is_intensive);
        c.children_of_80plus_caring_share = old_parents.caring_share();
        c.children_of_80plus_intensive_share = old_parents.intensive_share();
        c.children_of_80plus_cbs_carers_share = old_parents.carers_share();
        c.children_of_80plus_cbs_intensive_share = old_parents.carers_intensive_share();
        let over_55 = receivers(people, network, ledger, 55);
        c.receivers_55plus_share = over_55.share;
        c.receivers_55plus_mean_hours = over_55.mean_hours;
        c.receivers_55plus_mean_hours_alone = over_55.mean_hours_alone;
        c.receivers_55plus_mean_hours_with_partner = over_55.mean_hours_with_partner;
        c.receivers_55plus_share_by_sex = over_55.share_by_sex;
        let over_75 = receivers(people, network, ledger, 75);
        c.receivers_75plus_share = over_75.share;
        c.receivers_75plus_share_by_sex = over_75.share_by_sex;
        let carers_of_old = carers_of_55plus_elsewhere(people, &statuses);
        c.friends_share_of_carers_of_55plus = carers_of_old.share(CareRelation::Friend);
        c.neighbours_share_of_carers_of_55plus = carers_of_old.share(CareRelation::Neighbour);
        c
    }
}

/// The counts behind the carer shares of docs/ODD.md §1.3, by age, sex,
/// relation and burden, summed over residents in their order (the hours are
/// floats, so the order fixes their bits).
#[derive(Debug, Default)]
struct CarerCounts {
    residents: u64,
    broad: u64,
    cbs: u64,
    intensive: u64,
    burdened: u64,
    cbs_hours: f64,
    burdened_hours: f64,
    /// Per age band: (CBS carers, residents).
    by_band: [(u64, u64); AgeBand::COUNT],
    by_carer_band: [u64; CarerAgeBand::COUNT],
    residents_by_carer_band: [u64; CarerAgeBand::COUNT],
    by_relation: [u64; CareRelation::COUNT],
    hours_by_relation: [f64; CareRelation::COUNT],
    in_law: u64,
    /// `[residents, CBS carers]` by sex: `[men, women]`.
    by_sex: [[u64; 2]; 2],
}

impl CarerCounts {
    fn of(people: &People, network: &Network, statuses: &[CarerStatus]) -> CarerCounts {
        let mut counts = CarerCounts {
            residents: statuses.len() as u64,
            ..CarerCounts::default()
        };
        for (r, status) in statuses.iter().enumerate() {
            counts.add(people, network, r, status);
        }
        counts
    }

    fn add(&mut self, people: &People, network: &Network, r: usize, status: &CarerStatus) {
        let band = people.age_band[r].index();
        self.by_band[band].1 += 1;
        let carer_band = CarerAgeBand::of_age(people.age[r]).index();
        self.residents_by_carer_band[carer_band] += 1;
        self.broad += u64::from(status.broad);
        let sex = usize::from(people.is_woman(crate::ids::PersonId(r as u32)));
        self.by_sex[sex][0] += 1;
        let Some(hours) = status.cbs_hours_per_week() else {
            return;
        };
        self.cbs += 1;
        self.by_sex[sex][1] += 1;
        self.by_band[band].0 += 1;
        self.by_carer_band[carer_band] += 1;
        if let Some((receiver, relation)) = status.main_receiver {
            self.by_relation[relation.index()] += 1;
            self.hours_by_relation[relation.index()] += hours;
            self.in_law += u64::from(is_in_law(network, r, receiver));
        }
        self.cbs_hours += hours;
        self.intensive += u64::from(status.intensive());
        self.burdened += u64::from(status.heavily_burdened);
        if status.heavily_burdened {
            self.burdened_hours += hours;
        }
    }

    fn write_into(&self, c: &mut Calibration) {
        let cbs = self.cbs as f64;
        c.carers_broad_share = share(self.broad as f64, self.residents as f64);
        c.carers_cbs_share = share(cbs, self.residents as f64);
        c.cbs_carer_mean_hours = share(self.cbs_hours, cbs);
        c.cbs_carers_women_share = share(self.by_sex[1][1] as f64, cbs);
        c.carers_cbs_share_by_sex = self
            .by_sex
            .map(|[residents, carers]| share(carers as f64, residents as f64));
        c.intensive_share_of_cbs_carers = share(self.intensive as f64, cbs);
        c.heavily_burdened_share_of_cbs_carers = share(self.burdened as f64, cbs);
        c.cbs_carer_mean_hours_heavily_burdened = share(self.burdened_hours, self.burdened as f64);
        c.cbs_carer_mean_hours_not_heavily_burdened = share(
            self.cbs_hours - self.burdened_hours,
            (self.cbs - self.burdened) as f64,
        );
        for (slot, (carers, all)) in c.cbs_carer_share_by_age.iter_mut().zip(self.by_band) {
            *slot = share(carers as f64, all as f64);
        }
        for (slot, carers) in c.cbs_carers_by_age.iter_mut().zip(self.by_carer_band) {
            *slot = share(carers as f64, cbs);
        }
        let bands = self
            .by_carer_band
            .into_iter()
            .zip(self.residents_by_carer_band);
        for (slot, (carers, all)) in c.cbs_carer_rate_by_age.iter_mut().zip(bands) {
            *slot = share(carers as f64, all as f64);
        }
        let with_receiver: u64 = self.by_relation.iter().sum();
        for (slot, carers) in c.cbs_carers_by_relation.iter_mut().zip(self.by_relation) {
            *slot = share(carers as f64, with_receiver as f64);
        }
        c.cbs_carers_of_in_law_share = share(self.in_law as f64, with_receiver as f64);
        let relations = self.hours_by_relation.into_iter().zip(self.by_relation);
        for (slot, (hours, carers)) in c.cbs_carer_mean_hours_by_relation.iter_mut().zip(relations)
        {
            *slot = share(hours, carers as f64);
        }
    }
}

/// What the carer figures of docs/ODD.md §1.3 count of one resident over the
/// reported weeks: the one definition behind summary.csv's carer figures and
/// residents.csv's carer columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarerStatus {
    /// Helped someone outside their household (SCP's broad carer).
    pub broad: bool,
    /// Care hours a week over the weeks they cared, usual help not counted;
    /// `None` if they never cared.
    pub hours_per_caring_week: Option<f64>,
    /// A CBS carer: care to one person in 13+ weeks, or 8+ hours a week.
    pub cbs: bool,
    /// A CBS carer above the burden threshold in at least half of their caring
    /// weeks.
    pub heavily_burdened: bool,
    /// The person they gave most hours over a tie (the first in row order
    /// among equals), and who that person is to them; `None` if they never
    /// cared.
    pub main_receiver: Option<(crate::ids::PersonId, CareRelation)>,
}

impl CarerStatus {
    /// Resident `r`'s status from the ledger of the reported weeks.
    pub fn of(network: &Network, ledger: &super::CareLedger, r: usize) -> CarerStatus {
        let hours_per_caring_week = ledger.hours_per_caring_week(r);
        // 8+ hours a week makes a CBS carer by itself; so does 13+ weeks to one.
        let cbs = hours_per_caring_week.is_some_and(|hours| {
            hours >= CBS_HOURS_PER_WEEK || cared_long_for_one(network, ledger, r)
        });
        CarerStatus {
            broad: ledger.outside_household_weeks[r] > 0,
            hours_per_caring_week,
            cbs,
            heavily_burdened: cbs && 2 * ledger.burdened_weeks[r] >= ledger.care_weeks[r],
            main_receiver: hours_per_caring_week
                .and_then(|_| main_receiver_where(network, ledger, r, |_| true)),
        }
    }

    /// A CBS carer's hours a week while caring; `None` for others.
    pub fn cbs_hours_per_week(&self) -> Option<f64> {
        self.hours_per_caring_week.filter(|_| self.cbs)
    }

    /// An intensive carer: 8+ hours a week while caring (a CBS carer by that
    /// alone).
    pub fn intensive(&self) -> bool {
        self.hours_per_caring_week
            .is_some_and(|hours| hours >= CBS_HOURS_PER_WEEK)
    }
}

impl Engine {
    /// Resident `r`'s carer status over the reported weeks so far.
    pub fn carer_status(&self, r: usize) -> CarerStatus {
        CarerStatus::of(&self.world.network, &self.live.ledger, r)
    }

    /// Resident `r`'s side as a receiver over the reported weeks so far:
    /// whether they received care meeting the CBS definition, and the hours a
    /// week they received from everyone over the weeks with care (`None` if
    /// they received none).
    pub fn receiver_status(&self, r: usize) -> (bool, Option<f64>) {
        let ledger = &self.live.ledger;
        (
            is_receiver(&self.world.network, ledger, r),
            ledger.hours_per_receiving_week(r),
        )
    }
}

/// Whether `other` is resident `r`'s parent-in-law or child-in-law.
fn is_in_law(network: &Network, r: usize, other: crate::ids::PersonId) -> bool {
    let me = crate::ids::PersonId(r as u32);
    network.tie_between(me, other).is_some_and(|e| {
        matches!(
            network.kin_relation(me, e),
            Some(KinRelation::ParentInLaw | KinRelation::ChildInLaw)
        )
    })
}

/// Whether resident `r` cared for one person over a tie in 13 or more weeks.
fn cared_long_for_one(network: &Network, ledger: &super::CareLedger, r: usize) -> bool {
    let me = crate::ids::PersonId(r as u32);
    network.row(me).iter().any(|e| {
        ledger.direction_weeks(e.tie(), usize::from(me > e.other)) >= CBS_WEEKS_TO_ONE_PERSON
    })
}

/// Of broad carers (residents who helped someone outside their household), the
/// share whose main receiver outside the household (most hours over a tie) is a
/// relative: SCP's "relationship of carers to the receiver" asks each carer
/// about the person they helped most.
fn relatives_share(network: &Network, ledger: &super::CareLedger, residents: usize) -> Option<f64> {
    let (kin, all) = (0..residents)
        .into_par_iter()
        .filter(|r| ledger.outside_household_weeks[*r] > 0)
        .filter_map(|r| main_receiver_where(network, ledger, r, |kind| kind != TieKind::Partner))
        .map(|(_, relation)| {
            let kin = !matches!(
                relation,
                CareRelation::Friend | CareRelation::Neighbour | CareRelation::Other
            );
            (u64::from(kin), 1u64)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    share(kin as f64, all as f64)
}

/// Residents with no tie besides a partner.
fn isolated_share(network: &Network, residents: usize) -> Option<f64> {
    let isolated = (0..residents)
        .into_par_iter()
        .filter(|r| {
            network
                .row(crate::ids::PersonId(*r as u32))
                .iter()
                .all(|e| e.kind() == TieKind::Partner)
        })
        .count();
    share(isolated as f64, residents as f64)
}

/// Residents who volunteer for an association or are registered with a help
/// exchange.
fn volunteering_share(engine: &Engine, people: &People) -> Option<f64> {
    let residents = people.area_residents();
    let associations = &engine.world.associations;
    let volunteers = (0..residents)
        .into_par_iter()
        .map(|r| crate::ids::PersonId(r as u32))
        .filter(|p| {
            people.has_flag(*p, flags::EXCHANGE_VOLUNTEER)
                || associations.of_person(*p).iter().any(|m| m.volunteer)
        })
        .count();
    share(volunteers as f64, residents as f64)
}

/// What resident `r` is to `other` and back: the ledger's tie-direction end of
/// `r` giving to `other`, and of `other` giving to `r`.
fn ends(r: usize, other: crate::ids::PersonId) -> (usize, usize) {
    let giving = usize::from(r > other.index());
    (giving, 1 - giving)
}

/// Carer `r`'s main receiver (most hours over a tie; the first in row order
/// among equals) among the ties of the kinds `counts` accepts, and who they
/// are to `r`.
fn main_receiver_where(
    network: &Network,
    ledger: &super::CareLedger,
    r: usize,
    counts: impl Fn(TieKind) -> bool,
) -> Option<(crate::ids::PersonId, CareRelation)> {
    let me = crate::ids::PersonId(r as u32);
    let mut best: Option<(u64, crate::ids::PersonId, CareRelation)> = None;
    for entry in network.row(me).iter().filter(|e| counts(e.kind())) {
        let hours = ledger
            .direction(entry.tie(), ends(r, entry.other).0)
            .map_or(0, |d| d.hours);
        if hours > 0 && best.is_none_or(|(most, _, _)| hours > most) {
            let relation = CareRelation::of(entry.kind(), network.kin_relation(me, *entry));
            best = Some((hours, entry.other, relation));
        }
    }
    best.map(|(_, receiver, relation)| (receiver, relation))
}

/// CBS carers whose main receiver is someone aged 55+ outside their household
/// (a resident or a parent outside the area), by who that person is to them.
#[derive(Debug, Default, Clone, Copy)]
struct CarersOfOld {
    by_relation: [u64; CareRelation::COUNT],
}

impl CarersOfOld {
    fn share(&self, relation: CareRelation) -> Option<f64> {
        let all: u64 = self.by_relation.iter().sum();
        share(self.by_relation[relation.index()] as f64, all as f64)
    }
}

/// Egging, De Boer & Stevens (2011) took carers (mantelzorgers, from a CBS/SCP
/// survey of carers) who cared for someone aged 55+ outside their household
/// and asked who that person was to them: a friend in 9% of cases, a
/// neighbour in 9% (docs/ODD.md §1.3). Each carer is counted once, by their
/// main receiver (most hours over a tie), whatever the hours; a carer whose
/// main receiver is their partner cares inside the household.
fn carers_of_55plus_elsewhere(people: &People, statuses: &[CarerStatus]) -> CarersOfOld {
    let mut carers = CarersOfOld::default();
    for status in statuses.iter().filter(|s| s.cbs) {
        if let Some((receiver, relation)) = status.main_receiver
            && relation != CareRelation::Partner
            && people.age[receiver.index()] >= 55
        {
            carers.by_relation[relation.index()] += 1;
        }
    }
    carers
}

/// Residents with a parent aged 80+ in touch, how many of them care for one,
/// and how many are CBS carers of anyone (CBS 2024 asks whether they give
/// mantelzorg, not to whom).
#[derive(Debug, Default, Clone, Copy)]
struct OldParentCare {
    children: u64,
    caring: u64,
    intensive: u64,
    carers: u64,
    carers_intensive: u64,
}

impl OldParentCare {
    fn caring_share(self) -> Option<f64> {
        share(self.caring as f64, self.children as f64)
    }

    fn intensive_share(self) -> Option<f64> {
        share(self.intensive as f64, self.caring as f64)
    }

    fn carers_share(self) -> Option<f64> {
        share(self.carers as f64, self.children as f64)
    }

    fn carers_intensive_share(self) -> Option<f64> {
        share(self.carers_intensive as f64, self.carers as f64)
    }

    fn plus(self, other: OldParentCare) -> OldParentCare {
        OldParentCare {
            children: self.children + other.children,
            caring: self.caring + other.caring,
            intensive: self.intensive + other.intensive,
            carers: self.carers + other.carers,
            carers_intensive: self.carers_intensive + other.carers_intensive,
        }
    }
}

/// Age of the parents in `children_of_80plus_*`.
const OLD_PARENT_AGE: u8 = 80;

/// Children of parents aged 80+: who is a CBS carer of such a parent, and who
/// gives them 8+ hours a week while caring; and who is a CBS carer, or an
/// intensive one, of anyone.
fn children_of_old_parents(
    people: &People,
    network: &Network,
    ledger: &super::CareLedger,
    is_cbs_carer: &(impl Fn(usize) -> bool + Sync),
    is_intensive: &(impl Fn(usize) -> bool + Sync),
) -> OldParentCare {
    (0..people.area_residents())
        .into_par_iter()
        .map(|r| {
            let me = crate::ids::PersonId(r as u32);
            let mut found = OldParentCare::default();
            for entry in network.row(me) {
                let old_parent = network.kin_relation(me, *entry) == Some(KinRelation::Parent)
                    && people.age[entry.other.index()] >= OLD_PARENT_AGE;
                if !old_parent {
                    continue;
                }
                if found.children == 0 {
                    found.children = 1;
                    found.carers = u64::from(is_cbs_carer(r));
                    found.carers_intensive = u64::from(is_intensive(r));
                }
                let Some(care) = ledger.direction(entry.tie(), ends(r, entry.other).0) else {
                    continue;
                };
                if care.weeks > 0 && is_cbs_carer(r) {
                    found.caring = 1;
                    let weekly = care.hours as f64 / 100.0 / f64::from(care.weeks);
                    found.intensive = found.intensive.max(u64::from(weekly >= CBS_HOURS_PER_WEEK));
                }
            }
            found
        })
        .reduce(OldParentCare::default, OldParentCare::plus)
}

/// Residents aged `min_age` or older who received care meeting the CBS
/// definition (from one carer over a tie in 13+ weeks, or 8+ hours a week while
/// that carer cared): their share of the residents of that age, and the mean
/// over them of the hours a week they received from everyone, over the weeks
/// they received care (CBS asks receivers their hours a week).
fn receivers(
    people: &People,
    network: &Network,
    ledger: &super::CareLedger,
    min_age: u8,
) -> Receivers {
    // Float sums in a fixed order whatever the threads: each block of
    // residents in resident order, then the blocks in order.
    const BLOCK: usize = 1 << 14;
    let residents = people.area_residents();
    let blocks: Vec<ReceiverSums> = (0..residents.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| {
            let mut sums = ReceiverSums::default();
            for r in b * BLOCK..((b + 1) * BLOCK).min(residents) {
                if people.age[r] < min_age {
                    continue;
                }
                sums.residents += 1;
                let sex = usize::from(people.is_woman(crate::ids::PersonId(r as u32)));
                sums.by_sex[sex][0] += 1;
                if is_receiver(network, ledger, r) {
                    sums.by_sex[sex][1] += 1;
                    let household =
                        usize::from(people.partner(crate::ids::PersonId(r as u32)).is_some());
                    sums.receivers[household] += 1;
                    sums.hours[household] += ledger.hours_per_receiving_week(r).unwrap_or(0.0);
                }
            }
            sums
        })
        .collect();
    let sums = blocks
        .into_iter()
        .fold(ReceiverSums::default(), ReceiverSums::plus);
    let [alone, with_partner] = sums.receivers;
    let receivers = (alone + with_partner) as f64;
    Receivers {
        share: share(receivers, sums.residents as f64),
        mean_hours: share(sums.hours[0] + sums.hours[1], receivers),
        mean_hours_alone: share(sums.hours[0], alone as f64),
        mean_hours_with_partner: share(sums.hours[1], with_partner as f64),
        share_by_sex: sums
            .by_sex
            .map(|[residents, receivers]| share(receivers as f64, residents as f64)),
    }
}

/// Counts and hours of [`receivers`], by household: `[alone, with a partner]`.
#[derive(Debug, Clone, Copy, Default)]
struct ReceiverSums {
    residents: u64,
    receivers: [u64; 2],
    hours: [f64; 2],
    /// `[residents, receivers]` by sex: `[men, women]`.
    by_sex: [[u64; 2]; 2],
}

impl ReceiverSums {
    fn plus(self, other: ReceiverSums) -> ReceiverSums {
        ReceiverSums {
            residents: self.residents + other.residents,
            receivers: [
                self.receivers[0] + other.receivers[0],
                self.receivers[1] + other.receivers[1],
            ],
            hours: [
                self.hours[0] + other.hours[0],
                self.hours[1] + other.hours[1],
            ],
            by_sex: [0, 1].map(|sex| [0, 1].map(|i| self.by_sex[sex][i] + other.by_sex[sex][i])),
        }
    }
}

/// What [`receivers`] finds.
struct Receivers {
    share: Option<f64>,
    mean_hours: Option<f64>,
    mean_hours_alone: Option<f64>,
    mean_hours_with_partner: Option<f64>,
    /// The share by sex, `[men, women]`.
    share_by_sex: [Option<f64>; 2],
}

/// Whether resident `r` received care meeting the CBS definition over a tie.
fn is_receiver(network: &Network, ledger: &super::CareLedger, r: usize) -> bool {
    let me = crate::ids::PersonId(r as u32);
    network.row(me).iter().any(|entry| {
        ledger
            .direction(entry.tie(), ends(r, entry.other).1)
            .is_some_and(|care| {
                care.weeks >= CBS_WEEKS_TO_ONE_PERSON
                    || care.hours as f64 / 100.0
                        >= CBS_HOURS_PER_WEEK * f64::from(care.weeks.max(1))
            })
    })
}

/// Of residents aged 25–40 with a parent they keep in touch with, the share with
/// a parent within 5 km: the model's reading of CBS's "young parents within 5 km
/// of their mother" (residents' own young children are not modelled).
fn kin_near_share(people: &People, network: &Network, residents: usize) -> Option<f64> {
    let (near, all) = (0..residents)
        .into_par_iter()
        .map(|r| {
            let me = crate::ids::PersonId(r as u32);
            if !YOUNG_PARENT_AGES.contains(&people.age[r]) {
                return (0u64, 0u64);
            }
            let mut parents = network
                .row(me)
                .iter()
                .filter(|e| network.kin_relation(me, **e) == Some(KinRelation::Parent))
                .map(|e| network.ties.distance_km[e.tie().index()])
                .peekable();
            if parents.peek().is_none() {
                return (0, 0);
            }
            let close = parents.any(|d| d < KIN_NEAR_KM);
            (u64::from(close), 1)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    share(near as f64, all as f64)
}
