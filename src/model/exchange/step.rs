//! The help exchange in the week (rule §5.6): after the rounds, residents with
//! need left in the exchange's tasks may turn to its coordinator, who matches them
//! with volunteers while the week's matches last.

use rand::RngExt;

use super::{Engine, RecentHelp};
use crate::behaviour::balance_after_gift;
use crate::exchange::turn_to_exchange_chance;
use crate::hours::Hours;
use crate::ids::PersonId;
use crate::interventions::Policy;
use crate::kinds::{Task, TieKind};
use crate::network::NewTie;
use crate::outcomes::WeekTally;
use crate::population::distance_km;
use crate::rng::{Stream, stream, stream_key};

impl Engine {
    pub(super) fn help_exchange(&mut self, policies: &[Policy], tally: &mut WeekTally) {
        for office in 0..self.offices.len() {
            self.run_office(office, policies, tally);
        }
    }

    fn run_office(&mut self, office: usize, policies: &[Policy], tally: &mut WeekTally) {
        let seed = self.world.scenario.seed;
        let week = self.week;
        let tasks = self.world.scenario.help_exchange.tasks.clone();
        let spec = self.offices[office].spec.clone();
        let key = u64::from(week) * 1024 + office as u64;
        // Residents with need left in the exchange's tasks, in a seeded order so that
        // low ids have no advantage when matches run out.
        let mut candidates: Vec<usize> = (0..self.cases.len())
            .filter(|i| {
                let case = &self.cases[*i];
                self.offices[office].covers(case.neighbourhood)
                    && tasks.iter().any(|t| !case.remaining(*t).is_zero())
            })
            .collect();
        candidates.sort_by_key(|i| {
            stream_key(
                seed,
                Stream::Exchange,
                key,
                u64::from(self.cases[*i].person.0),
            )
        });
        let mut matches = 0;
        for i in candidates {
            let person = self.cases[i].person;
            let p = person.index();
            if spec.reciprocity_rule && !self.can_offer(person) {
                continue;
            }
            let mut rng = stream(seed, Stream::Exchange, key, u64::from(person.0));
            let reluctance = f64::from(self.world.people.ask_reluctance[p]);
            let chance = turn_to_exchange_chance(
                &self.world.scenario.help_exchange,
                reluctance,
                spec.reciprocity_rule,
            );
            if rng.random::<f64>() >= chance {
                continue;
            }
            tally.exchange_requests += 1;
            if spec.reciprocity_rule {
                self.offices[office].register(person);
            }
            if matches >= spec.matches_per_week {
                continue;
            }
            let radius = policies[self.cases[i].neighbourhood.index()].help_radius;
            let volunteer = {
                let case = &self.cases[i];
                let carers = &self.carers;
                let people = &self.world.people;
                let network = &self.world.network;
                let pending = &self.pending_pairs;
                self.offices[office].pick_volunteer(&mut rng, |v| {
                    v != person
                        && !carers.left[v.index()].is_zero()
                        && carers.burnt_out[v.index()] == 0
                        && super::help_reachable(radius, people, case, v)
                        && network.tie_between(person, v).is_none()
                        && !pending.contains(&if person < v { [person, v] } else { [v, person] })
                })
            };
            if let Some(volunteer) = volunteer {
                matches += 1;
                tally.exchange_matches += 1;
                self.volunteer_helps(i, volunteer, &tasks, tally);
            }
        }
    }

    /// Someone offers something when they have hours for others and are not burnt out.
    fn can_offer(&self, person: PersonId) -> bool {
        let p = person.index();
        !self.carers.capacity[p].is_zero() && self.carers.burnt_out[p] == 0
    }

    /// A matched volunteer helps with what they can this week; the match becomes a
    /// volunteer tie.
    fn volunteer_helps(
        &mut self,
        i: usize,
        volunteer: PersonId,
        tasks: &[Task],
        tally: &mut WeekTally,
    ) {
        let week = self.week;
        let v = volunteer.index();
        let locality = super::locality_between(&self.world.people, &self.cases[i], volunteer);
        let case = &mut self.cases[i];
        let n = case.neighbourhood.index();
        let mut total = Hours::ZERO;
        for task in tasks {
            let hours = case.remaining(*task).min(self.carers.left[v] - total);
            if hours.is_zero() {
                continue;
            }
            case.take(*task, hours);
            tally.add_informal(TieKind::Volunteer, *task, locality, hours, n);
            total += hours;
        }
        case.hours.informal += total;
        case.helpers.push(RecentHelp {
            helper: volunteer,
            tie: None,
            week,
            hours: total,
        });
        self.carers.left[v] -= total;
        self.carers.given[v] += total;
        self.ledger.note(super::Gift {
            helper: volunteer,
            receiver: case.person,
            tie: None,
            hours: total,
            household: false,
        });
        if self.world.people.age_band[case.person.index()].index() >= 2 {
            tally.informal_to_55plus[TieKind::Volunteer.index()] += total;
        }
        if self.world.people.ask_reluctance[case.person.index()] >= crate::outcomes::RELUCTANT {
            tally.informal_to_reluctant += total;
        }
        let person = case.person;
        let people = &self.world.people;
        let ends = if person < volunteer {
            [person, volunteer]
        } else {
            [volunteer, person]
        };
        let tie = NewTie {
            ends,
            kind: TieKind::Volunteer,
            trust: self
                .world
                .scenario
                .network
                .initial_trust
                .get(TieKind::Volunteer) as f32,
            distance_km: distance_km(people.position[person.index()], people.position[v]),
            flags: 0,
        };
        let balance = balance_after_gift(0.0, total, volunteer < person);
        let queued = self.queue_tie(tie, balance);
        debug_assert!(queued, "the coordinator matched a pair already tied");
    }
}
