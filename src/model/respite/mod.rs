//! Respite care (docs/ODD.md §7.10.22): where the lever is on, the district
//! team takes over some hours of a resident's long-term need each week while
//! the partner who cares for them at home is heavily burdened or burnt out,
//! before the partner gives (household first, §7.10.3).
//!
//! The Wmo 2015 makes municipalities support carers (mantelzorgondersteuning),
//! and respite (respijtzorg: a professional or a volunteer taking over at home,
//! day care, a short stay) is its main form. In the model strain rises with a
//! partner's load and a partner who burns out stops caring for weeks
//! (§7.10.11), so hours taken off an overburdened partner's load are what
//! respite can change. Few Dutch carers use it, hence `uptake`.
//!
//! Each case is relieved on its own (its partner is nobody else's), in
//! parallel; the uptake draw is keyed by seed, week and resident.

use rand::RngExt;
use rayon::prelude::*;

use super::Week;
use super::case::Case;
use super::formal::step::deliver_by_task;
use super::long_term_care;
use super::strain::Carers;
use crate::hours::{Hours, TaskHours, total};
use crate::kinds::{EpisodeKind, Task};
use crate::rng::{Stream, stream};
use crate::tally::{WeekTally, sum_by_task};

/// The week's respite: professional hours to the cases whose partner is
/// heavily burdened or burnt out, counted as formal care (and priced so) and
/// in `tally.respite`.
pub fn relieve_partners(week: &Week, carers: &Carers, cases: &mut [Case], tally: &mut WeekTally) {
    if week.policies.iter().all(|p| p.respite.is_none()) {
        return;
    }
    let relieved = sum_by_task(cases.par_iter_mut().map(|case| relieve(week, carers, case)));
    for (sum, hours) in tally.respite_by_task.iter_mut().zip(relieved) {
        *sum += hours;
        tally.respite += hours;
    }
}

/// One case's respite this week: the hours delivered by task (0 if none).
fn relieve(week: &Week, carers: &Carers, case: &mut Case) -> TaskHours {
    let none = [Hours::ZERO; Task::COUNT];
    let Some(respite) = week.policies[case.neighbourhood.index()].respite else {
        return none;
    };
    if !case.has_episode(EpisodeKind::LongTerm) {
        return none;
    }
    // A client of the Wlz gets no Wmo support at home (Wmo 2015, art. 2.3.5
    // lid 6): the Wlz relieves its partner with its own short stays (§7.10.23).
    if long_term_care::is_client(&week.scenario.long_term_care, case, week.week) {
        return none;
    }
    let Some(partner) = week.people.partner(case.person) else {
        return none;
    };
    let threshold = week.scenario.behaviour.measures.burden_threshold;
    let p = partner.index();
    let burdened = f64::from(carers.strain[p]) >= threshold || carers.burnt_out[p] > 0;
    if !burdened {
        return none;
    }
    if respite.uptake < 1.0 {
        let mut rng = stream(
            week.scenario.seed,
            Stream::Respite,
            u64::from(week.week),
            u64::from(case.person.0),
        );
        if rng.random::<f64>() >= respite.uptake {
            return none;
        }
    }
    let given = deliver_by_task(case, Hours::from_f64(respite.hours_per_week));
    case.hours.respite += total(&given);
    given
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::HoursTotal;
    use crate::ids::PersonId;
    use crate::model::interventions::{Intervention, policies};
    use crate::model::testing::{case_in_need, tiny_people, tiny_scenario};

    /// Resident 0 has a long-term need of 10 hours and lives with partner 1,
    /// whose strain is `strain`; respite of 4 hours a week is on with `uptake`.
    fn relieved(strain: f32, burnt_out: bool, uptake: f64, lever: bool) -> (Case, WeekTally) {
        relieved_with(strain, burnt_out, uptake, lever, 10.0, false)
    }

    /// The same with a need of `need` hours a week, referred to the Wlz in
    /// week 0 (a client from week 6 on; the week run is week 7) or not.
    fn relieved_with(
        strain: f32,
        burnt_out: bool,
        uptake: f64,
        lever: bool,
        need: f64,
        referred: bool,
    ) -> (Case, WeekTally) {
        let mut scenario = tiny_scenario(4);
        if lever {
            scenario.interventions.push(Intervention::Respite {
                start_week: 0,
                neighbourhoods: Vec::new(),
                hours_per_week: 4.0,
                uptake,
            });
        }
        let people = tiny_people(4);
        let mut carers = Carers::new(&people, vec![0.0, strain, 0.0, 0.0]);
        if burnt_out {
            carers.burnt_out[1] = 3;
        }
        let policies = policies(&scenario, Some(0));
        let week = Week::new(&scenario, &people, 7, &policies);
        let mut cases = vec![case_in_need(PersonId(0), need)];
        if referred {
            long_term_care::refer(&scenario.long_term_care, &mut cases[0], 0);
        }
        let mut tally = WeekTally::new(0, 1);
        relieve_partners(&week, &carers, &mut cases, &mut tally);
        (cases.remove(0), tally)
    }

    #[test]
    fn a_heavily_burdened_partner_is_relieved_by_professional_hours() {
        let (case, tally) = relieved(0.7, false, 1.0, true);
        assert_eq!(case.hours.formal, Hours::from_f64(4.0));
        assert_eq!(case.remaining_total(), Hours::from_f64(6.0));
        let by_task: Hours = case.hours.formal_by_task.iter().copied().sum();
        assert_eq!(by_task, Hours::from_f64(4.0), "priced as formal care");
        assert_eq!(
            case.hours.formal_by_task[Task::Household.index()],
            Hours::from_f64(4.0)
        );
        assert_eq!(tally.respite, HoursTotal(400));
        assert_eq!(case.hours.respite, Hours::from_f64(4.0), "not the team's");
        let (case, _) = relieved(0.1, true, 1.0, true);
        assert_eq!(case.hours.formal, Hours::from_f64(4.0), "burnt out");
    }

    #[test]
    fn no_respite_for_a_partner_who_copes_or_without_the_lever() {
        let (case, tally) = relieved(0.3, false, 1.0, true);
        assert!(case.hours.formal.is_zero());
        assert_eq!(tally.respite, HoursTotal(0));
        let (case, _) = relieved(0.7, false, 1.0, false);
        assert!(case.hours.formal.is_zero());
        let (case, _) = relieved(0.7, false, 0.0, true);
        assert!(case.hours.formal.is_zero(), "nobody takes it up");
    }

    #[test]
    fn a_client_of_the_wlz_gets_no_respite_from_the_municipality() {
        let (case, tally) = relieved_with(0.7, true, 1.0, true, 40.0, true);
        assert!(case.hours.formal.is_zero(), "the Wlz relieves its partner");
        assert_eq!(tally.respite, HoursTotal(0));
        // The same need before its referral to the Wlz gets the Wmo's respite.
        let (case, _) = relieved_with(0.7, true, 1.0, true, 40.0, false);
        assert_eq!(case.hours.formal, Hours::from_f64(4.0));
    }
}
