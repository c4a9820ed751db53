//! The calibration metrics of a run (docs/ODD.md §1.3), each computed with its source's definition
//! (docs/ODD.md §1.3 says how).

use rayon::prelude::*;

use super::Engine;
use crate::kinds::{AgeBand, TieKind};
use crate::network::Network;
use crate::outcomes::{Calibration, share};
use crate::population::{People, flags};

/// CBS: care to one person for at least 13 weeks …
const CBS_WEEKS_TO_ONE_PERSON: u16 = 13;
/// … or at least 8 hours a week; also the bar of an intensive carer.
const CBS_HOURS_PER_WEEK: f64 = 8.0;
/// Kin within this distance, a proxy for CBS's "young parents within 5 km of
/// their mother".
const KIN_NEAR_KM: f32 = 5.0;

impl Engine {
    /// The calibration metrics over the reported weeks so far.
    pub fn calibration(&self) -> Calibration {
        let people = &self.world.people;
        let network = &self.world.network;
        let ledger = &self.ledger;
        let residents = people.area_residents();
        let mut c = Calibration::default();
        let (mut broad, mut cbs, mut intensive, mut burdened) = (0u64, 0u64, 0u64, 0u64);
        let mut cbs_hours = 0.0;
        let mut by_band = [(0u64, 0u64); AgeBand::COUNT];
        // The tie lookups in parallel; the sums (one of floats) in resident order.
        let long_to_one: Vec<bool> = (0..residents)
            .into_par_iter()
            .map(|r| ledger.care_weeks[r] > 0 && cared_long_for_one(network, ledger, r))
            .collect();
        for (r, long_to_one) in long_to_one.iter().enumerate() {
            let band = people.age_band[r].index();
            by_band[band].1 += 1;
            if ledger.outside_household_weeks[r] > 0 {
                broad += 1;
            }
            let Some(hours) = ledger.hours_per_caring_week(r) else {
                continue;
            };
            if !(*long_to_one || hours >= CBS_HOURS_PER_WEEK) {
                continue;
            }
            cbs += 1;
            by_band[band].0 += 1;
            cbs_hours += hours;
            intensive += u64::from(hours >= CBS_HOURS_PER_WEEK);
            burdened += u64::from(2 * ledger.burdened_weeks[r] >= ledger.care_weeks[r]);
        }
        let n = residents as f64;
        c.carers_broad_share = share(broad as f64, n);
        c.carers_cbs_share = share(cbs as f64, n);
        c.cbs_carer_mean_hours = share(cbs_hours, cbs as f64);
        c.intensive_share_of_cbs_carers = share(intensive as f64, cbs as f64);
        c.heavily_burdened_share_of_cbs_carers = share(burdened as f64, cbs as f64);
        for (slot, (carers, all)) in c.cbs_carer_share_by_age.iter_mut().zip(by_band) {
            *slot = share(carers as f64, all as f64);
        }
        c.relatives_share_of_care_pairs = relatives_share(network, ledger, residents);
        c.isolated_share = isolated_share(network, residents);
        c.volunteering_share = volunteering_share(self, people);
        c.kin_within_5km_share = kin_near_share(network, residents);
        c
    }
}

/// Whether resident `r` cared for one person over a tie in 13 or more weeks.
fn cared_long_for_one(network: &Network, ledger: &super::CareLedger, r: usize) -> bool {
    let me = crate::ids::PersonId(r as u32);
    network.row(me).iter().any(|e| {
        ledger.direction_weeks(e.tie(), usize::from(me > e.other)) >= CBS_WEEKS_TO_ONE_PERSON
    })
}

/// Of the carer–receiver pairs outside the household (a resident helping over a
/// tie in some reported week), the share that are relatives (kin).
fn relatives_share(network: &Network, ledger: &super::CareLedger, residents: usize) -> Option<f64> {
    let (kin, all) = (0..residents)
        .into_par_iter()
        .map(|r| {
            let me = crate::ids::PersonId(r as u32);
            let (mut kin, mut all) = (0u64, 0u64);
            for e in network
                .row(me)
                .iter()
                .filter(|e| e.kind() != TieKind::Partner)
            {
                if ledger.direction_weeks(e.tie(), usize::from(me > e.other)) > 0 {
                    all += 1;
                    kin += u64::from(e.kind() == TieKind::Kin);
                }
            }
            (kin, all)
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

/// Of residents' kin ties, the share within 5 km.
fn kin_near_share(network: &Network, residents: usize) -> Option<f64> {
    let (near, all) = (0..residents)
        .into_par_iter()
        .map(|r| {
            let kin = network
                .row(crate::ids::PersonId(r as u32))
                .iter()
                .filter(|e| e.kind() == TieKind::Kin);
            kin.fold((0u64, 0u64), |(near, all), e| {
                let close = network.ties.distance_km[e.tie().index()] < KIN_NEAR_KM;
                (near + u64::from(close), all + 1)
            })
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    share(near as f64, all as f64)
}
