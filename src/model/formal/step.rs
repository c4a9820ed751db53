//! Formal care in the week (rule §5.5): served clients get their professional
//! hours after the household and before the network is asked; after the network
//! and the exchange had their turn, residents with unmet long-term need move on
//! the road of applying, network-first activation and the waiting list.

use rayon::prelude::*;

use super::{Case, Engine};
use crate::formal::{FormalStatus, Intake, Waiting, application_delay};
use crate::hours::{Hours, total};
use crate::ids::PersonId;
use crate::interventions::Policy;
use crate::kinds::{EpisodeKind, Task};
use crate::outcomes::WeekTally;

/// Professionals do personal care first, then household, administration, transport
/// and company.
const FORMAL_TASK_ORDER: [Task; 5] = [
    Task::PersonalCare,
    Task::Household,
    Task::Administration,
    Task::Transport,
    Task::Company,
];

impl Engine {
    pub(super) fn deliver_formal_care(&mut self) {
        self.cases.par_iter_mut().for_each(|case| {
            let assigned = case.formal.assigned_hours();
            if !assigned.is_zero() {
                let delivered = case.take_long_term(assigned, &FORMAL_TASK_ORDER);
                case.hours.formal += delivered;
            }
        });
    }

    pub(super) fn apply_to_formal_care(&mut self, policies: &[Policy], tally: &mut WeekTally) {
        let week = self.week;
        let formal = self.world.scenario.formal.clone();
        let minimum = Hours::from_f64(formal.min_unmet_hours);
        let cap = Hours::from_f64(formal.max_hours_per_client);
        for i in 0..self.cases.len() {
            if !self.cases[i].has_episode(EpisodeKind::LongTerm) {
                continue;
            }
            let case = &self.cases[i];
            let open = total(&case.demand[EpisodeKind::LongTerm.index()]);
            let asked = open.min(cap);
            let policy = &policies[case.neighbourhood.index()];
            let next = match case.formal {
                FormalStatus::None => {
                    self.consider_applying(i, [open, asked], minimum, policy, tally)
                }
                FormalStatus::Activating { until } if week >= until => {
                    if open >= minimum {
                        self.enqueue(i, asked);
                        FormalStatus::Waiting {
                            since: week,
                            hours: asked,
                        }
                    } else {
                        self.cases[i].unmet_weeks = 0;
                        FormalStatus::None
                    }
                }
                FormalStatus::Served { hours, review } if week >= review => {
                    let wanted = (case.hours.formal + open).min(cap);
                    let team = &mut self.teams[case.neighbourhood.index()];
                    let hours = team.review(hours, wanted);
                    if hours.is_zero() {
                        FormalStatus::None
                    } else {
                        FormalStatus::Served {
                            hours,
                            review: week + formal.assignment_weeks,
                        }
                    }
                }
                other => other,
            };
            self.cases[i].formal = next;
        }
        self.assign_waiting(minimum, tally);
    }

    /// Counts the weeks of unmet long-term need (`open` hours this week) and applies
    /// for `asked` hours (capped per client) when the delay is over.
    fn consider_applying(
        &mut self,
        i: usize,
        [open, asked]: [Hours; 2],
        minimum: Hours,
        policy: &Policy,
        tally: &mut WeekTally,
    ) -> FormalStatus {
        let week = self.week;
        let case = &mut self.cases[i];
        if open.is_zero() || open < minimum {
            case.unmet_weeks = 0;
            return FormalStatus::None;
        }
        case.unmet_weeks += 1;
        let trust = f64::from(self.world.people.formal_trust[case.person.index()]);
        let delay = application_delay(
            &self.world.scenario.formal,
            trust,
            policy.guide_delay_reduction,
        );
        if f64::from(case.unmet_weeks) < delay.max(1.0) {
            return FormalStatus::None;
        }
        let intake = self.intake(i);
        tally.weeks_before_intake += u64::from(self.cases[i].unmet_weeks);
        tally.intakes += 1;
        tally.intakes_network_involved += u64::from(intake.network_involved);
        tally.intakes_network_burdened += u64::from(intake.network_burdened);
        match policy.network_first {
            Some(weeks) if weeks > 0 => FormalStatus::Activating {
                until: week + weeks,
            },
            _ => {
                self.enqueue(i, asked);
                FormalStatus::Waiting {
                    since: week,
                    hours: asked,
                }
            }
        }
    }

    /// What the team sees at the kitchen table: is the network already helping, and
    /// is it burdened (a helper strained beyond the burden threshold, burnt out, or
    /// without hours left this week)?
    fn intake(&self, i: usize) -> Intake {
        let case = &self.cases[i];
        let window_start = self
            .week
            .saturating_sub(self.world.scenario.behaviour.involvement_weeks);
        let threshold = self.world.scenario.behaviour.burden_threshold;
        let helpers: Vec<PersonId> = case
            .helpers
            .iter()
            .filter(|h| h.week >= window_start)
            .map(|h| h.helper)
            .collect();
        let burdened = helpers.iter().any(|h| {
            let p = h.index();
            f64::from(self.carers.strain[p]) >= threshold
                || self.carers.burnt_out[p] > 0
                || (self.carers.left[p].is_zero() && !self.carers.available[p].is_zero())
        });
        Intake {
            network_involved: case.helped_since(window_start),
            network_burdened: burdened,
        }
    }

    fn enqueue(&mut self, i: usize, hours: Hours) {
        let case: &Case = &self.cases[i];
        self.teams[case.neighbourhood.index()].enqueue(Waiting {
            person: case.person,
            since: self.week,
            hours,
        });
    }

    /// Each team serves its list in order while its hours last.
    fn assign_waiting(&mut self, minimum: Hours, tally: &mut WeekTally) {
        let week = self.week;
        let review_after = self.world.scenario.formal.assignment_weeks;
        let cases = &mut self.cases;
        for team in &mut self.teams {
            let still_waiting = |person: PersonId| {
                cases
                    .binary_search_by_key(&person, |c| c.person)
                    .is_ok_and(|i| matches!(cases[i].formal, FormalStatus::Waiting { .. }))
            };
            let made = team.assign(week, minimum, still_waiting);
            for assignment in made {
                if let Ok(i) = cases.binary_search_by_key(&assignment.person, |c| c.person) {
                    cases[i].formal = FormalStatus::Served {
                        hours: assignment.hours,
                        review: week + review_after,
                    };
                }
                tally.assignments += 1;
                tally.waited_weeks += u64::from(assignment.waited_weeks);
            }
            tally.waiting_list += team.waiting(|person| {
                cases
                    .binary_search_by_key(&person, |c| c.person)
                    .is_ok_and(|i| matches!(cases[i].formal, FormalStatus::Waiting { .. }))
            }) as u64;
        }
    }
}
