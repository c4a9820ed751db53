//! Household first (docs/ODD.md §7.10.3): a partner covers what they can before
//! anyone is asked, with their capacity for others plus extra hours kept for the
//! partner.
//!
//! Each case draws only on its own partner, and a partner has one partner, so the
//! cases are served in parallel; the partners' hours and the ledger are then
//! updated in case order.

mod params;

pub use params::HouseholdParams;

use rayon::prelude::*;

use super::Week;
use super::case::{Case, RecentHelp};
use super::gift;
use super::ledger::{CareLedger, Gift};
use super::strain::Carers;
use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::kinds::Task;
use crate::network::Network;

/// What a partner gave this week.
struct PartnerHelp {
    partner: PersonId,
    receiver: PersonId,
    tie: Option<TieId>,
    give: Hours,
    extra: Hours,
}

/// What household first changes: the cases' demand and the partners' hours.
pub struct HouseholdState<'a> {
    pub cases: &'a mut [Case],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
}

/// The week's household step.
pub fn household_first(week: &Week, network: &Network, state: HouseholdState) {
    let helped = partners_help(week, network, state.cases, state.carers);
    for help in helped {
        partner_gave(help, state.carers, state.ledger);
    }
}

/// Each case's partner covers what they can, in parallel over cases.
fn partners_help(
    week: &Week,
    network: &Network,
    cases: &mut [Case],
    carers: &Carers,
) -> Vec<PartnerHelp> {
    let b = &week.scenario.behaviour;
    let people = week.people;
    let in_need: Vec<PersonId> = cases
        .par_iter()
        .filter(|c| c.limits_capacity())
        .map(|c| c.person)
        .collect();
    cases
        .par_iter_mut()
        .filter_map(|case| {
            let partner = people.partner(case.person)?;
            let p = partner.index();
            if carers.burnt_out[p] > 0 {
                return None;
            }
            let own_share = if in_need.binary_search(&partner).is_ok() {
                b.strain.capacity_in_need_share
            } else {
                1.0
            };
            let extra = Hours::from_f64(b.household.partner_extra_hours * own_share);
            let give = case.remaining_total().min(carers.left[p] + extra);
            if give.is_zero() {
                return None;
            }
            cover(case, give);
            case.hours.household += give;
            case.helpers.push(RecentHelp {
                helper: partner,
                tie: None,
                week: week.week,
                hours: give,
            });
            Some(PartnerHelp {
                partner,
                receiver: case.person,
                tie: network.tie_between(case.person, partner).map(|e| e.tie()),
                give,
                extra,
            })
        })
        .collect()
}

/// Meets `hours` of a case's demand, tasks in their order.
fn cover(case: &mut Case, hours: Hours) {
    let mut left = hours;
    for task in Task::ALL {
        let part = left.min(case.remaining(*task));
        case.take(*task, part);
        left -= part;
    }
}

/// A partner who cares has the extra hours on top of their capacity, and
/// strain counts against both: the extra hours are spent first.
fn partner_gave(help: PartnerHelp, carers: &mut Carers, ledger: &mut CareLedger) {
    let p = help.partner.index();
    let from_extra = help.give.min(help.extra);
    carers.available[p] += help.extra;
    carers.left[p] += from_extra;
    gift::give(
        Gift {
            helper: help.partner,
            receiver: help.receiver,
            tie: help.tie,
            hours: help.give,
            household: true,
        },
        carers,
        ledger,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::TieKind;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    fn run(need: f64, partner_left: Hours, partner_burnt_out: bool) -> (Case, Carers, CareLedger) {
        let scenario = tiny_scenario(4);
        let people = tiny_people(4);
        let network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.start_week(&[], 1.0);
        carers.left[1] = partner_left;
        carers.available[1] = partner_left;
        if partner_burnt_out {
            carers.burnt_out[1] = 3;
        }
        let mut cases = [case_in_need(PersonId(0), need)];
        let mut ledger = CareLedger::new(4);
        let week = Week::new(&scenario, &people, 7, &[]);
        household_first(
            &week,
            &network,
            HouseholdState {
                cases: &mut cases,
                carers: &mut carers,
                ledger: &mut ledger,
            },
        );
        let [case] = cases;
        (case, carers, ledger)
    }

    #[test]
    fn the_partner_covers_the_need_from_the_extra_hours_first() {
        let (case, carers, ledger) = run(12.0, Hours::from_f64(5.0), false);
        assert_eq!(case.hours.household, Hours::from_f64(12.0));
        assert!(case.remaining_total().is_zero());
        // 12 hours from 20 extra: the 5 hours for others stay free.
        assert_eq!(carers.left[1], Hours::from_f64(5.0));
        assert_eq!(carers.available[1], Hours::from_f64(25.0));
        assert_eq!(carers.given[1], Hours::from_f64(12.0));
        assert_eq!(ledger.week.len(), 1);
        assert!(ledger.week[0].household);
        assert_eq!(case.helpers[0].helper, PersonId(1));
        assert_eq!(case.helpers[0].week, 7);
    }

    #[test]
    fn beyond_the_extra_hours_the_partner_spends_their_own() {
        let (case, carers, _) = run(30.0, Hours::from_f64(5.0), false);
        assert_eq!(case.hours.household, Hours::from_f64(25.0));
        assert_eq!(case.remaining_total(), Hours::from_f64(5.0));
        assert_eq!(carers.left[1], Hours::ZERO);
    }

    #[test]
    fn a_burnt_out_partner_gives_nothing() {
        let (case, carers, ledger) = run(12.0, Hours::from_f64(5.0), true);
        assert!(case.hours.household.is_zero());
        assert!(carers.given[1].is_zero());
        assert!(ledger.week.is_empty());
    }
}
