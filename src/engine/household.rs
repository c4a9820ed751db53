//! Household first (rule §5.2): a partner covers what they can before anyone is
//! asked, with their capacity for others plus extra hours kept for the partner.

use super::{Engine, RecentHelp};
use crate::hours::Hours;
use crate::kinds::Task;

impl Engine {
    pub(super) fn household_first(&mut self, week: u32) {
        let b = &self.world.scenario.behaviour;
        let people = &self.world.people;
        let carers = &mut self.carers;
        let in_need: std::collections::HashSet<_> = self
            .cases
            .iter()
            .filter(|c| c.limits_capacity())
            .map(|c| c.person)
            .collect();
        for case in &mut self.cases {
            let Some(partner) = people.partner(case.person) else {
                continue;
            };
            let p = partner.index();
            if carers.burnt_out[p] > 0 {
                continue;
            }
            let own_share = if in_need.contains(&partner) {
                b.capacity_in_need_share
            } else {
                1.0
            };
            let extra = Hours::from_f64(b.partner_extra_hours * own_share);
            let open = case.remaining_total();
            let give = open.min(carers.left[p] + extra);
            if give.is_zero() {
                continue;
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
            // A partner who cares has the extra hours on top of their capacity, and
            // strain counts against both.
            let from_extra = give.min(extra);
            carers.available[p] += extra;
            self.ledger.note(super::Gift {
                helper: partner,
                receiver: case.person,
                tie: self
                    .world
                    .network
                    .tie_between(case.person, partner)
                    .map(|e| e.tie()),
                hours: give,
                household: true,
            });
            carers.left[p] -= give - from_extra;
            carers.given[p] += give;
        }
    }
}
