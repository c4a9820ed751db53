//! Formal care (docs/ODD.md §7.10.4, §7.10.8): one district team ("wijkteam") per neighbourhood, with
//! a weekly budget of professional hours and a first-in, first-out waiting list.
//!
//! A resident whose long-term need stays unmet applies after a delay that grows as
//! their trust in formal care falls; informal guides shorten it. Under network-first
//! intake the team first activates the network for some weeks, and only then puts
//! the resident on the list. Each intake records whether the network was already
//! involved and whether it was burdened.
//!
//! This file holds the team and its formulas; [`step`] the week's steps.

mod params;
pub mod step;

pub use params::FormalCare;

use std::collections::VecDeque;

use crate::hours::Hours;
use crate::ids::PersonId;

/// Where a resident stands with the district team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormalStatus {
    /// Not in contact with the team.
    #[default]
    None,
    /// Network-first intake: the network is being asked to do more until `until`.
    Activating { until: u32 },
    /// On the waiting list since `since`, asking for `hours` a week.
    Waiting { since: u32, hours: Hours },
    /// Receiving `hours` a week of professional care; reassessed at `review`.
    Served { hours: Hours, review: u32 },
}

impl FormalStatus {
    pub fn assigned_hours(self) -> Hours {
        match self {
            FormalStatus::Served { hours, .. } => hours,
            _ => Hours::ZERO,
        }
    }
}

/// Weeks of unmet long-term need before a resident applies: linear from
/// `application_delay_weeks.max` at formal trust 0 to `.min` at trust 1, shortened
/// by the share that informal guides take away.
pub fn application_delay(params: &FormalCare, formal_trust: f64, guide_reduction: f64) -> f64 {
    let trust = formal_trust.clamp(0.0, 1.0);
    let delay = params.application_delay_weeks.max
        + (params.application_delay_weeks.min - params.application_delay_weeks.max) * trust;
    delay * (1.0 - guide_reduction.clamp(0.0, 1.0))
}

/// What the team learns at an intake conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Intake {
    /// Someone already gave the applicant informal help in the involvement window.
    pub network_involved: bool,
    /// One of those helpers is heavily strained, burnt out or out of capacity.
    pub network_burdened: bool,
}

/// A place on the waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub person: PersonId,
    pub since: u32,
    pub hours: Hours,
}

/// An assignment made this week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub person: PersonId,
    pub hours: Hours,
    pub waited_weeks: u32,
}

/// Why a resident leaves a district team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    /// Their long-term need ended, or they died or moved away: from the
    /// waiting list, without care (`left_waiting_list`).
    Unserved,
    /// The Wlz takes them over (§7.10.23): served there.
    ToTheWlz,
}

/// One neighbourhood's district team.
#[derive(Debug, Clone, Default)]
pub struct Team {
    /// Professional hours per week.
    pub capacity: Hours,
    /// Hours promised to current clients.
    pub committed: Hours,
    pub queue: VecDeque<Waiting>,
    /// Residents who left the list before an assignment since it was last
    /// counted: their long-term need ended, or they died or moved away
    /// (§7.10.8). [`Team::take_left_unserved`] counts them into the week.
    left_unserved: u64,
}

impl Team {
    pub fn new(capacity: Hours) -> Team {
        Team {
            capacity,
            ..Team::default()
        }
    }

    /// Hours not yet promised (zero after a budget cut below the commitments).
    pub fn free(&self) -> Hours {
        self.capacity.saturating_sub(self.committed)
    }

    pub fn enqueue(&mut self, waiting: Waiting) {
        self.queue.push_back(waiting);
    }

    /// Serves the list in order while capacity lasts. The head is served with what
    /// is free if that is at least `minimum` (or all it asked); otherwise everyone
    /// keeps waiting: first come, first served, no overtaking. `still_waiting`
    /// tells whether a listed resident still needs the place (their need may have
    /// ended).
    pub fn assign(
        &mut self,
        week: u32,
        minimum: Hours,
        still_waiting: impl Fn(PersonId) -> bool,
    ) -> Vec<Assignment> {
        let mut made = Vec::new();
        while let Some(head) = self.queue.front().copied() {
            if !still_waiting(head.person) {
                self.queue.pop_front();
                continue;
            }
            let hours = head.hours.min(self.free());
            if hours.is_zero() || (hours < head.hours && hours < minimum) {
                break;
            }
            self.queue.pop_front();
            self.committed += hours;
            made.push(Assignment {
                person: head.person,
                hours,
                waited_weeks: week.saturating_sub(head.since),
            });
        }
        made
    }

    /// Takes a resident off the list (their long-term need ended while waiting,
    /// or the Wlz took them over), so that an old place is not used for a later
    /// application; one who leaves it without care is counted.
    pub fn withdraw(&mut self, person: PersonId, leaving: Leaving) {
        let before = self.queue.len();
        self.queue.retain(|w| w.person != person);
        if leaving == Leaving::Unserved && self.queue.len() < before {
            self.left_unserved += 1;
        }
    }

    /// The residents who left the list unserved since the last call.
    pub fn take_left_unserved(&mut self) -> u64 {
        std::mem::take(&mut self.left_unserved)
    }

    /// Ends a client's care, freeing its hours.
    pub fn release(&mut self, hours: Hours) {
        self.committed = self.committed.saturating_sub(hours);
    }

    /// Reassesses a client who now needs `wanted` hours: the team gives what it can
    /// of that within its free hours plus the client's current ones.
    pub fn review(&mut self, current: Hours, wanted: Hours) -> Hours {
        self.release(current);
        let hours = wanted.min(self.free());
        self.committed += hours;
        hours
    }

    /// Residents on the list who still need the place.
    pub fn waiting(&self, still_waiting: impl Fn(PersonId) -> bool) -> usize {
        self.queue
            .iter()
            .filter(|w| still_waiting(w.person))
            .count()
    }
}

/// Professional hours a week for a neighbourhood of `residents` adults.
pub fn team_capacity(hours_per_1000: f64, residents: usize) -> Hours {
    Hours::from_f64(hours_per_1000 * residents as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(person: u32, since: u32, hours: u32) -> Waiting {
        Waiting {
            person: PersonId(person),
            since,
            hours: Hours(hours),
        }
    }

    #[test]
    fn delay_falls_with_trust_and_with_guides() {
        let p = FormalCare::default();
        assert_eq!(
            application_delay(&p, 0.0, 0.0),
            p.application_delay_weeks.max
        );
        assert_eq!(
            application_delay(&p, 1.0, 0.0),
            p.application_delay_weeks.min
        );
        assert!(application_delay(&p, 0.3, 0.0) > application_delay(&p, 0.7, 0.0));
        assert!(application_delay(&p, 0.3, 0.5) < application_delay(&p, 0.3, 0.0));
        assert_eq!(application_delay(&p, 0.3, 1.0), 0.0);
    }

    #[test]
    fn first_come_first_served_without_overtaking() {
        let mut team = Team::new(Hours(1000));
        team.enqueue(waiting(1, 0, 600));
        team.enqueue(waiting(2, 1, 800));
        team.enqueue(waiting(3, 2, 100));
        let made = team.assign(5, Hours(200), |_| true);
        // 1 gets 600; 2 asks 800 but only 400 are free: 400 >= minimum 200, so 2 is
        // served with 400; nothing is left for 3.
        assert_eq!(made.len(), 2);
        assert_eq!(made[0].person, PersonId(1));
        assert_eq!(made[0].waited_weeks, 5);
        assert_eq!(made[1].hours, Hours(400));
        assert_eq!(team.free(), Hours::ZERO);
        assert_eq!(team.queue.len(), 1);
    }

    #[test]
    fn the_head_blocks_the_list_when_too_little_is_free() {
        let mut team = Team::new(Hours(150));
        team.enqueue(waiting(1, 0, 600));
        team.enqueue(waiting(2, 0, 100));
        assert!(team.assign(1, Hours(200), |_| true).is_empty());
        assert_eq!(team.queue.len(), 2);
    }

    #[test]
    fn residents_whose_need_ended_leave_the_list() {
        let mut team = Team::new(Hours(1000));
        team.enqueue(waiting(1, 0, 600));
        team.enqueue(waiting(2, 0, 600));
        let made = team.assign(1, Hours(200), |p| p != PersonId(1));
        assert_eq!(made[0].person, PersonId(2));
        assert_eq!(team.waiting(|_| true), 0);
        team.enqueue(waiting(3, 2, 100));
        team.enqueue(waiting(4, 2, 100));
        team.withdraw(PersonId(3), Leaving::Unserved);
        assert_eq!(team.queue.len(), 1);
        assert_eq!(team.queue[0].person, PersonId(4));
    }

    #[test]
    fn zero_capacity_serves_nobody_and_cuts_do_not_underflow() {
        let mut team = Team::new(Hours::ZERO);
        team.enqueue(waiting(1, 0, 100));
        assert!(team.assign(1, Hours::ZERO, |_| true).is_empty());
        let mut busy = Team::new(Hours(500));
        busy.committed = Hours(500);
        busy.capacity = Hours(200);
        assert_eq!(busy.free(), Hours::ZERO);
        assert_eq!(busy.review(Hours(500), Hours(500)), Hours(200));
        busy.release(Hours(9999));
        assert_eq!(busy.committed, Hours::ZERO);
    }
}
