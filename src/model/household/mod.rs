//! Household first (rule §5.2): a partner covers what they can before anyone is
//! asked, with their capacity for others plus extra hours kept for the partner.
//!
//! Each case draws only on its own partner, and a partner has one partner, so the
//! cases are served in parallel; the partners' hours and the ledger are then
//! updated in case order.

use rayon::prelude::*;

use super::{Engine, RecentHelp};
use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::kinds::Task;

/// What a partner gave this week.
struct PartnerHelp {
    partner: PersonId,
    receiver: PersonId,
    tie: Option<TieId>,
    give: Hours,
    extra: Hours,
}

impl Engine {
    pub(super) fn household_first(&mut self, week: u32) {
        let b = &self.world.scenario.behaviour;
        let people = &self.world.people;
        let carers = &self.carers;
        let network = &self.world.network;
        let in_need: Vec<PersonId> = self
            .cases
            .par_iter()
            .filter(|c| c.limits_capacity())
            .map(|c| c.person)
            .collect();
        let helped: Vec<PartnerHelp> = self
            .cases
            .par_iter_mut()
            .filter_map(|case| {
                let partner = people.partner(case.person)?;
                let p = partner.index();
                if carers.burnt_out[p] > 0 {
                    return None;
                }
                let own_share = if in_need.binary_search(&partner).is_ok() {
                    b.capacity_in_need_share
                } else {
                    1.0
                };
                let extra = Hours::from_f64(b.partner_extra_hours * own_share);
                let give = case.remaining_total().min(carers.left[p] + extra);
                if give.is_zero() {
                    return None;
                }
                let mut left = give;
                for task in Task::ALL {
                    let part = left.min(case.remaining(*task));
                    case.take(*task, part);
                    left -= part;
                }
                case.hours.household += give;
                case.helpers.push(RecentHelp {
                    helper: partner,
                    tie: None,
                    week,
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
            .collect();
        for help in helped {
            self.partner_gave(help);
        }
    }

    /// A partner who cares has the extra hours on top of their capacity, and
    /// strain counts against both.
    fn partner_gave(&mut self, help: PartnerHelp) {
        let p = help.partner.index();
        let carers = &mut self.carers;
        let from_extra = help.give.min(help.extra);
        carers.available[p] += help.extra;
        carers.left[p] -= help.give - from_extra;
        carers.given[p] += help.give;
        self.ledger.note(super::Gift {
            helper: help.partner,
            receiver: help.receiver,
            tie: help.tie,
            hours: help.give,
            household: true,
        });
    }
}
