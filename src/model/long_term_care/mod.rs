//! Long-term care at home under the Wlz (docs/ODD.md §7.10.23): a resident
//! whose long-term need is one of care around the clock has a right to
//! professional care (Wet langdurige zorg, art. 3.2.1), at home as in a
//! nursing home. The road to it runs through the district team: at the
//! kitchen-table conversation the team refers such a need to the CIZ, which
//! decides within its legal term; until then the team serves the case as any
//! other, and from then on the Wlz does and the team lets go (the Wlz goes
//! before the Wmo: Wmo 2015, art. 2.3.5 lid 6). The care plan is made around
//! what the partner and the network give; the professionals give what they
//! leave of the need, up to the profile's hours. In a week the partner is
//! burnt out the client also stays some days in a nursing home (the Wlz's
//! short stay, kortdurend verblijf), which gives all of those days' care.
//!
//! Each case is topped up on its own, in parallel; no randomness.

mod params;

use params::DAYS_IN_A_WEEK;
pub use params::LongTermCareParams;

use rayon::prelude::*;

use super::Week;
use super::case::Case;
use super::formal::step::deliver_by_task;
use super::strain::Carers;
use crate::hours::{Hours, total};
use crate::kinds::EpisodeKind;
use crate::tally::{WeekTally, sum_by_task};

/// Whether a case's long-term need is one the Wlz covers: the rule is on and
/// the need is at least `min_need_hours` a week. The district team refers
/// such a need at its intake.
pub fn needs_it(params: &LongTermCareParams, case: &Case) -> bool {
    params.enabled
        && case.episodes[EpisodeKind::LongTerm.index()]
            .is_some_and(|e| e.weekly >= Hours::from_f64(params.min_need_hours))
}

/// Whether the Wlz cares for a case in `week`: it needs it and its
/// indication holds from this week or earlier.
pub fn is_client(params: &LongTermCareParams, case: &Case, week: u32) -> bool {
    needs_it(params, case) && case.wlz_from.is_some_and(|from| from <= week)
}

/// At the intake of a case the Wlz covers, the team refers it: its care
/// starts `indication_weeks` later.
pub fn refer(params: &LongTermCareParams, case: &mut Case, week: u32) {
    if needs_it(params, case) && case.wlz_from.is_none() {
        case.wlz_from = Some(week + params.indication_weeks);
    }
}

/// The week's Wlz care at home, after the household, the network and the
/// friends' and neighbours' look-ins: each client's open long-term demand,
/// up to `hours_per_week` and, in a week the client's partner is burnt out,
/// the days of a short stay in a nursing home (`stay_hours`); tasks in the
/// professionals' order, counted as formal care (and priced so) and in
/// `tally.long_term_care`. Reads the carers' burnout, changes nothing of them.
pub fn care_at_home(week: &Week, carers: &Carers, cases: &mut [Case], tally: &mut WeekTally) {
    let params = &week.scenario.long_term_care;
    if !params.enabled || (params.hours_per_week <= 0.0 && params.stay_days_per_week <= 0.0) {
        return;
    }
    let at_home = Hours::from_f64(params.hours_per_week);
    let now = week.week;
    let given = sum_by_task(
        cases
            .par_iter_mut()
            .filter(|case| is_client(params, case, now))
            .map(|case| {
                let hours = at_home + stay_hours(week, carers, case);
                let given = deliver_by_task(case, hours);
                case.hours.long_term_care += total(&given);
                given
            }),
    );
    for (sum, hours) in tally.long_term_care_by_task.iter_mut().zip(given) {
        *sum += hours;
        tally.long_term_care += hours;
    }
}

/// The hours of a client's short stay this week: none unless the partner who
/// carries the care at home is burnt out; then `stay_days_per_week` sevenths
/// of the weekly need, all of which the home gives on those days (§7.10.23).
fn stay_hours(week: &Week, carers: &Carers, case: &Case) -> Hours {
    let days = week.scenario.long_term_care.stay_days_per_week;
    let partner_burnt_out = week
        .people
        .partner(case.person)
        .is_some_and(|partner| carers.burnt_out[partner.index()] > 0);
    match case.episodes[EpisodeKind::LongTerm.index()] {
        Some(episode) if days > 0.0 && partner_burnt_out => {
            episode.weekly.scaled(days / DAYS_IN_A_WEEK)
        }
        _ => Hours::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::HoursTotal;
    use crate::ids::PersonId;
    use crate::kinds::Task;
    use crate::model::interventions::policies;
    use crate::model::testing::{case_in_need, tiny_people, tiny_scenario};

    /// One case with a long-term need of `need` hours a week of which `open`
    /// are still open, after the week's Wlz care with `params`; its partner
    /// at home is well.
    fn cared(need: f64, open: f64, params: LongTermCareParams) -> (Case, WeekTally) {
        cared_with(need, open, params, false)
    }

    /// The same, with the partner burnt out or not.
    fn cared_with(
        need: f64,
        open: f64,
        params: LongTermCareParams,
        partner_burnt_out: bool,
    ) -> (Case, WeekTally) {
        let mut scenario = tiny_scenario(4);
        scenario.long_term_care = params;
        let people = tiny_people(4);
        let policies = policies(&scenario, Some(0));
        // Referred in week 0: a client from the indication's weeks on.
        let week = Week::new(
            &scenario,
            &people,
            scenario.long_term_care.indication_weeks,
            &policies,
        );
        let mut cases = vec![case_in_need(PersonId(0), need)];
        refer(&scenario.long_term_care, &mut cases[0], 0);
        cases[0].demand[EpisodeKind::LongTerm.index()][Task::Household.index()] =
            Hours::from_f64(open);
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        let partner = people
            .partner(PersonId(0))
            .expect("the tiny area's residents live in pairs");
        if partner_burnt_out {
            carers.burnt_out[partner.index()] = 3;
        }
        let mut tally = WeekTally::new(0, 1);
        care_at_home(&week, &carers, &mut cases, &mut tally);
        (cases.remove(0), tally)
    }

    #[test]
    fn a_need_of_care_around_the_clock_gets_what_the_household_and_network_leave() {
        let params = LongTermCareParams::default();
        let (case, tally) = cared(40.0, 20.0, params.clone());
        let given = Hours::from_f64(params.hours_per_week);
        assert_eq!(case.hours.formal, given);
        assert_eq!(case.hours.long_term_care, given);
        assert_eq!(case.hours.formal_by_task[Task::Household.index()], given);
        assert_eq!(case.remaining_total(), Hours::from_f64(20.0) - given);
        assert_eq!(tally.long_term_care, HoursTotal::from(given));
        // No more than is open.
        let (case, _) = cared(40.0, 3.0, params);
        assert_eq!(case.hours.formal, Hours::from_f64(3.0));
        assert!(case.remaining_total().is_zero());
    }

    #[test]
    fn lighter_needs_and_the_rule_off_get_none() {
        let (case, tally) = cared(20.0, 20.0, LongTermCareParams::default());
        assert!(case.hours.formal.is_zero(), "below min_need_hours");
        assert_eq!(tally.long_term_care, HoursTotal(0));
        let off = LongTermCareParams {
            enabled: false,
            ..LongTermCareParams::default()
        };
        let (case, _) = cared(40.0, 20.0, off);
        assert!(case.hours.formal.is_zero());
        let none = LongTermCareParams {
            hours_per_week: 0.0,
            ..LongTermCareParams::default()
        };
        let (case, _) = cared(40.0, 20.0, none);
        assert!(case.hours.formal.is_zero());
    }

    #[test]
    fn clients_are_the_referred_needs_at_or_above_the_threshold_after_the_indication() {
        let params = LongTermCareParams::default();
        let mut heavy = case_in_need(PersonId(0), 35.0);
        assert!(needs_it(&params, &heavy));
        assert!(!is_client(&params, &heavy, 100), "not referred yet");
        refer(&params, &mut heavy, 10);
        let from = 10 + params.indication_weeks;
        assert!(!is_client(&params, &heavy, from - 1));
        assert!(is_client(&params, &heavy, from));
        refer(&params, &mut heavy, 20);
        assert_eq!(heavy.wlz_from, Some(from), "referred once");
        let mut light = case_in_need(PersonId(0), 34.99);
        refer(&params, &mut light, 10);
        assert_eq!(light.wlz_from, None);
        assert!(!is_client(&params, &light, 100));
        let off = LongTermCareParams {
            enabled: false,
            ..params
        };
        assert!(!is_client(&off, &heavy, 100));
    }

    #[test]
    fn a_client_whose_partner_is_burnt_out_stays_in_a_home_for_days_of_the_week() {
        let params = LongTermCareParams::default();
        let at_home = Hours::from_f64(params.hours_per_week);
        // 42 hours a week, all open: three days of seven are 18 hours, given
        // in full by the home, and the hours at home besides.
        let (case, tally) = cared_with(42.0, 42.0, params.clone(), true);
        let stay = Hours::from_f64(42.0 * 3.0 / 7.0);
        assert_eq!(case.hours.long_term_care, stay + at_home);
        assert_eq!(case.hours.formal, stay + at_home);
        assert_eq!(tally.long_term_care, HoursTotal::from(stay + at_home));
        assert_eq!(
            case.remaining_total(),
            Hours::from_f64(42.0) - stay - at_home
        );
        // Never more than is open.
        let (case, _) = cared_with(42.0, 20.0, params.clone(), true);
        assert_eq!(case.hours.long_term_care, Hours::from_f64(20.0));
        // A partner who is well: the hours at home alone.
        let (case, _) = cared_with(42.0, 42.0, params.clone(), false);
        assert_eq!(case.hours.long_term_care, at_home);
        // No stays: the hours at home alone, burnt-out partner or not.
        let no_stays = LongTermCareParams {
            stay_days_per_week: 0.0,
            ..params
        };
        let (case, _) = cared_with(42.0, 42.0, no_stays, true);
        assert_eq!(case.hours.long_term_care, at_home);
    }

    #[test]
    fn stays_are_the_wlzs_clients_alone() {
        // A need below the Wlz's threshold gets no stay, partner burnt out or not.
        let (case, _) = cared_with(20.0, 20.0, LongTermCareParams::default(), true);
        assert!(case.hours.formal.is_zero());
        let off = LongTermCareParams {
            enabled: false,
            ..LongTermCareParams::default()
        };
        let (case, _) = cared_with(42.0, 42.0, off, true);
        assert!(case.hours.formal.is_zero());
    }
}
