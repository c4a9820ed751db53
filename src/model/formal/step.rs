//! Formal care in the week: served clients get their professional hours after
//! the household and before the network is asked ([`deliver`]); after the network
//! and the exchange had their turn, residents with unmet long-term need move on
//! the road of applying, network-first activation and the waiting list
//! ([`apply`]).

use rand::RngExt;
use rayon::prelude::*;

use super::{
    FormalCare, FormalStatus, Intake, Leaving, Team, Waiting, application_delay, team_capacity,
};
use crate::hours::{Hours, TaskHours, total};
use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::{EpisodeKind, Task, TieKind};
use crate::model::Week;
use crate::model::case::Case;
use crate::model::interventions::Policy;
use crate::model::long_term_care;
use crate::model::strain::Carers;
use crate::network::Network;
use crate::population::People;
use crate::rng::{Stream, stream};
use crate::tally::WeekTally;

/// Professionals do personal care first, then household, administration, transport
/// and company.
const FORMAL_TASK_ORDER: [Task; 5] = [
    Task::PersonalCare,
    Task::Household,
    Task::Administration,
    Task::Transport,
    Task::Company,
];

/// One team per neighbourhood, with the scenario's hours per 1,000 residents.
pub fn teams_for(formal: &FormalCare, people: &People, neighbourhoods: usize) -> Vec<Team> {
    (0..neighbourhoods)
        .map(|i| {
            let residents = people
                .neighbourhood_members(NeighbourhoodId(i as u16))
                .len();
            Team::new(team_capacity(formal.hours_per_1000_residents, residents))
        })
        .collect()
}

/// This week's budgets, from the levers of each neighbourhood.
pub fn set_team_capacities(teams: &mut [Team], people: &People, policies: &[Policy]) {
    for (i, (team, policy)) in teams.iter_mut().zip(policies).enumerate() {
        let residents = people
            .neighbourhood_members(NeighbourhoodId(i as u16))
            .len();
        team.capacity = team_capacity(policy.formal_hours_per_1000, residents);
    }
}

/// The district team lets go of a case whose long-term need ended (or whose
/// resident died or moved away); a new long-term need needs a new intake,
/// also for the Wlz. A resident still on the waiting list leaves it unserved.
pub fn long_term_ended(case: &mut Case, teams: &mut [Team]) {
    leave_team(case, teams, Leaving::Unserved);
    case.wlz_from = None;
}

/// The team releases a case's hours or its place on the list.
fn leave_team(case: &mut Case, teams: &mut [Team], leaving: Leaving) {
    let team = &mut teams[case.neighbourhood.index()];
    team.release(case.formal.assigned_hours());
    if matches!(case.formal, FormalStatus::Waiting { .. }) {
        team.withdraw(case.person, leaving);
    }
    case.formal = FormalStatus::None;
    case.unmet_weeks = 0;
}

/// Served clients get their professional hours.
pub fn deliver(cases: &mut [Case]) {
    cases.par_iter_mut().for_each(|case| {
        let assigned = case.formal.assigned_hours();
        if !assigned.is_zero() {
            deliver_to(case, assigned);
        }
    });
}

/// Up to `hours` professional hours against a case's long-term demand, tasks
/// in the professionals' order, counted as formal care in all and by task
/// (for pricing); returns the hours delivered.
pub fn deliver_to(case: &mut Case, hours: Hours) -> Hours {
    total(&deliver_by_task(case, hours))
}

/// [`deliver_to`], returning the hours delivered by task (for pricing by
/// payer, docs/ODD.md §9.12).
pub fn deliver_by_task(case: &mut Case, hours: Hours) -> TaskHours {
    let delivered = case.take_long_term_by_task(hours, &FORMAL_TASK_ORDER);
    case.hours.formal += total(&delivered);
    for (by_task, hours) in case.hours.formal_by_task.iter_mut().zip(delivered) {
        *by_task += hours;
    }
    delivered
}

/// What the week's applications change: the cases' standing and the teams.
pub struct FormalState<'a> {
    pub cases: &'a mut [Case],
    pub teams: &'a mut [Team],
}

/// Reads the carers (is the network burdened at intake?), changes nothing of them.
pub fn apply(
    week: &Week,
    network: &Network,
    carers: &Carers,
    state: FormalState,
    tally: &mut WeekTally,
) {
    let formal = &week.scenario.formal;
    let FormalState { cases, teams } = state;
    let mut road = Road {
        week,
        carers,
        teams,
        tally,
        minimum: Hours::from_f64(formal.min_unmet_hours),
        cap: Hours::from_f64(formal.max_hours_per_client),
    };
    // What each case may be granted and what its network is expected to
    // give read only the case and the week's fixed state: looked up in
    // parallel (cache misses into the people, the carers and the network),
    // then each case takes its step in case order.
    let standings: Vec<Standing> = cases
        .par_iter()
        .map(|case| {
            if !case.has_episode(EpisodeKind::LongTerm) {
                Standing::NoLongTermNeed
            } else if long_term_care::is_client(&week.scenario.long_term_care, case, week.week) {
                Standing::WlzClient
            } else {
                Standing::LongTerm([
                    grantable_hours(week, carers, case),
                    expected_network_hours(week, network, case),
                ])
            }
        })
        .collect();
    for (case, standing) in cases.iter_mut().zip(standings) {
        match standing {
            Standing::NoLongTermNeed => {}
            // The Wlz goes before the Wmo: its clients leave the team and do
            // not apply (§7.10.23).
            Standing::WlzClient => leave_team(case, road.teams, Leaving::ToTheWlz),
            Standing::LongTerm([open, expected]) => {
                let asked = open.saturating_sub(expected).min(road.cap);
                case.formal = road.next_status(case, [open, asked, expected]);
            }
        }
    }
    assign_waiting(week, road.minimum, cases, road.teams, road.tally);
}

/// Where a case stands with the team this week, read in parallel before the
/// cases take their steps in order.
enum Standing {
    NoLongTermNeed,
    /// A client of the Wlz, whom the team lets go.
    WlzClient,
    /// A long-term need's open hours the team may grant, and those it expects
    /// of the network.
    LongTerm([Hours; 2]),
}

/// The road to formal care in one week: what each long-term case's step on it
/// reads and changes.
struct Road<'w, 'a> {
    week: &'w Week<'a>,
    carers: &'w Carers,
    teams: &'w mut [Team],
    tally: &'w mut WeekTally,
    /// Unmet hours a week below which no one applies or stays activated.
    minimum: Hours,
    /// The most hours a week a client is granted.
    cap: Hours,
}

/// The hours a week a network-first team expects the applicant's network to
/// give, and so does not grant (De Lange): the same expectation of everyone
/// with a network on paper — a kin or friend tie within reach — as the network
/// looks at the kitchen table. The team sees that the applicant knows someone,
/// not whether they trust them, have hours left or are already worn out.
/// Nothing is expected of a resident without such a tie, or without
/// network-first.
fn expected_network_hours(week: &Week, network: &Network, case: &Case) -> Hours {
    let formal = &week.scenario.formal;
    let network_first = week.policies[case.neighbourhood.index()].network_first;
    if network_first.is_none_or(|weeks| weeks == 0) || formal.network_first_expected_hours <= 0.0 {
        return Hours::ZERO;
    }
    let reach = formal.network_first_reach_km;
    let has_network_on_paper = network.row(case.person).iter().any(|e| {
        matches!(e.kind(), TieKind::Kin | TieKind::Friend)
            && f64::from(network.ties.distance_km[e.tie().index()]) <= reach
    });
    if has_network_on_paper {
        Hours::from_f64(formal.network_first_expected_hours)
    } else {
        Hours::ZERO
    }
}

/// The open long-term hours the team may grant: all of them, but for the
/// usual-help tasks of a resident living with a partner who is not burnt out
/// when the usual-help norm holds (a housemate is expected to do those).
fn grantable_hours(week: &Week, carers: &Carers, case: &Case) -> Hours {
    let demand = &case.demand[EpisodeKind::LongTerm.index()];
    let open = total(demand);
    if !week.scenario.formal.usual_help_norm {
        return open;
    }
    let Some(partner) = week.people.partner(case.person) else {
        return open;
    };
    if carers.burnt_out[partner.index()] > 0 {
        return open;
    }
    let household = &week.scenario.behaviour.household;
    let usual: Hours = Task::ALL
        .iter()
        .filter(|t| household.is_usual_help(**t))
        .map(|t| demand[t.index()])
        .sum();
    open - usual
}

impl Road<'_, '_> {
    /// A long-term case's standing after this week, with `open` hours unmet,
    /// `asked` (net of what the team expects of the network, capped per client)
    /// to ask the team for, and `expected` of the network.
    fn next_status(
        &mut self,
        case: &mut Case,
        [open, asked, expected]: [Hours; 3],
    ) -> FormalStatus {
        let now = self.week.week;
        match case.formal {
            FormalStatus::None => self.consider_applying(case, [open, asked]),
            FormalStatus::Activating { until } if now >= until => {
                if open >= self.minimum && !asked.is_zero() {
                    join_waiting_list(self.teams, case, now, asked)
                } else {
                    case.unmet_weeks = 0;
                    FormalStatus::None
                }
            }
            FormalStatus::Served { hours, review } if now >= review => {
                // What the team gave this week and what is still open; the
                // respite hours (§7.10.22) are the municipality's support of
                // the partner, not the client's care, and end with the burden.
                let team_gave = case.hours.formal.saturating_sub(case.hours.respite);
                let wanted = (team_gave + open).saturating_sub(expected).min(self.cap);
                let hours = self.teams[case.neighbourhood.index()].review(hours, wanted);
                if hours.is_zero() {
                    FormalStatus::None
                } else {
                    let assignment_weeks = self.week.scenario.formal.assignment_weeks;
                    FormalStatus::Served {
                        hours,
                        review: now + assignment_weeks,
                    }
                }
            }
            other => other,
        }
    }

    /// Counts the weeks of unmet long-term need (`open` hours this week) and
    /// applies for `asked` hours when the delay is over.
    fn consider_applying(&mut self, case: &mut Case, [open, asked]: [Hours; 2]) -> FormalStatus {
        let week = self.week;
        if open.is_zero() || open < self.minimum {
            case.unmet_weeks = 0;
            return FormalStatus::None;
        }
        case.unmet_weeks += 1;
        let policy = &week.policies[case.neighbourhood.index()];
        let trust = f64::from(week.people.formal_trust[case.person.index()]);
        let delay = if is_referred(week, case) {
            0.0
        } else {
            application_delay(&week.scenario.formal, trust, policy.guide_delay_reduction)
        };
        if f64::from(case.unmet_weeks) < delay.max(1.0) {
            return FormalStatus::None;
        }
        let intake = intake(week, self.carers, case);
        let tally = &mut *self.tally;
        tally.weeks_before_intake += u64::from(case.unmet_weeks);
        tally.intakes += 1;
        tally.intake_residents.push(case.person);
        tally.intakes_network_involved += u64::from(intake.network_involved);
        tally.intakes_network_burdened += u64::from(intake.network_burdened);
        long_term_care::refer(&week.scenario.long_term_care, case, week.week);
        match policy.network_first {
            Some(weeks) if weeks > 0 => FormalStatus::Activating {
                until: week.week + weeks,
            },
            _ => join_waiting_list(self.teams, case, week.week, asked),
        }
    }
}

/// Whether the resident's long-term need came to the team by a referral (GP,
/// hospital, district nurse): one draw per episode, from its start week.
fn is_referred(week: &Week, case: &Case) -> bool {
    let share = week.scenario.formal.referred_share;
    if share <= 0.0 {
        return false;
    }
    let Some(episode) = case.episodes[EpisodeKind::LongTerm.index()] else {
        return false;
    };
    let mut rng = stream(
        week.scenario.seed,
        Stream::Referral,
        u64::from(case.person.0),
        u64::from(episode.start_week),
    );
    rng.random::<f64>() < share
}

/// What the team sees at the kitchen table: is the network already helping, and
/// is it burdened (a helper strained beyond the burden threshold, burnt out, or
/// without hours left this week)?
fn intake(week: &Week, carers: &Carers, case: &Case) -> Intake {
    let measures = &week.scenario.behaviour.measures;
    let window_start = week.week.saturating_sub(measures.involvement_weeks);
    let helpers = case.involved_since(window_start, measures.involvement_min_weeks);
    let burdened = helpers.iter().any(|h| {
        let p = h.index();
        f64::from(carers.strain[p]) >= measures.burden_threshold
            || carers.burnt_out[p] > 0
            || (carers.left[p].is_zero() && !carers.available[p].is_zero())
    });
    Intake {
        network_involved: !helpers.is_empty(),
        network_burdened: burdened,
    }
}

/// The case joins its team's waiting list in `week`, for `hours` a week.
fn join_waiting_list(teams: &mut [Team], case: &Case, week: u32, hours: Hours) -> FormalStatus {
    teams[case.neighbourhood.index()].enqueue(Waiting {
        person: case.person,
        since: week,
        hours,
    });
    FormalStatus::Waiting { since: week, hours }
}

/// Each team serves its list in order while its hours last.
fn assign_waiting(
    week: &Week,
    minimum: Hours,
    cases: &mut [Case],
    teams: &mut [Team],
    tally: &mut WeekTally,
) {
    let review_after = week.scenario.formal.assignment_weeks;
    for team in teams.iter_mut() {
        let made = team.assign(week.week, minimum, |person| still_waiting(cases, person));
        for assignment in made {
            if let Ok(i) = cases.binary_search_by_key(&assignment.person, |c| c.person) {
                cases[i].formal = FormalStatus::Served {
                    hours: assignment.hours,
                    review: week.week + review_after,
                };
            }
            tally.assignments += 1;
            tally.waited_weeks += u64::from(assignment.waited_weeks);
        }
        tally.waiting_list += team.waiting(|person| still_waiting(cases, person)) as u64;
        tally.left_waiting_list += team.take_left_unserved();
    }
}

fn still_waiting(cases: &[Case], person: PersonId) -> bool {
    cases
        .binary_search_by_key(&person, |c| c.person)
        .is_ok_and(|i| matches!(cases[i].formal, FormalStatus::Waiting { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::case::RecentHelp;
    use crate::model::interventions::policies;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    struct Desk {
        scenario: crate::scenario::Scenario,
        people: People,
        network: Network,
        carers: Carers,
        teams: Vec<Team>,
    }

    impl Desk {
        fn new(network_first: bool) -> Desk {
            let mut scenario = tiny_scenario(4);
            scenario.formal.application_delay_weeks = crate::scenario::Range::new(2.0, 2.0);
            scenario.formal.network_first = network_first;
            scenario.formal.activation_weeks = 3;
            // The tests' needs are housework of a resident living with a
            // partner; the norm has its own test.
            scenario.formal.usual_help_norm = false;
            // Referrals have their own test.
            scenario.formal.referred_share = 0.0;
            let people = tiny_people(4);
            let mut carers = Carers::new(&people, vec![0.0; 4]);
            carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
            // 4 residents at 200 h per 1,000: a team of 0.8 hours a week.
            scenario.formal.hours_per_1000_residents = 2000.0;
            let teams = teams_for(&scenario.formal, &people, 1);
            Desk {
                scenario,
                people,
                network: tiny_network(4, &[]),
                carers,
                teams,
            }
        }

        fn week(&mut self, w: u32, cases: &mut [Case], tally: &mut WeekTally) {
            let policies = policies(&self.scenario, Some(w));
            let week = Week::new(&self.scenario, &self.people, w, &policies);
            let state = FormalState {
                cases,
                teams: &mut self.teams,
            };
            apply(&week, &self.network, &self.carers, state, tally);
        }
    }

    #[test]
    fn unmet_need_applies_after_the_delay_and_is_served_from_the_list() {
        let mut desk = Desk::new(false);
        let mut cases = [case_in_need(PersonId(0), 10.0)];
        for (helper, week) in [(1, 0), (1, 1), (2, 1)] {
            cases[0].helpers.push(RecentHelp {
                helper: PersonId(helper),
                tie: None,
                week,
                hours: Hours(100),
            });
        }
        let mut tally = WeekTally::new(0, 1);
        desk.week(0, &mut cases, &mut tally);
        assert_eq!(
            cases[0].formal,
            FormalStatus::None,
            "one week is not enough"
        );
        desk.week(1, &mut cases, &mut tally);
        assert_eq!(tally.intakes, 1);
        assert_eq!(
            tally.intakes_network_involved, 1,
            "1 helped in weeks 0 and 1"
        );
        // The team of 8 hours serves at once, up to the cap of 6 hours.
        assert_eq!(
            cases[0].formal,
            FormalStatus::Served {
                hours: Hours::from_f64(6.0),
                review: 1 + desk.scenario.formal.assignment_weeks,
            }
        );
        deliver(&mut cases);
        assert_eq!(cases[0].hours.formal, Hours::from_f64(6.0));
    }

    #[test]
    fn a_review_starts_from_the_teams_hours_not_the_partners_respite() {
        // A client served 2 hours a week, with a need of 6, reviewed in a week
        // in which respite took 2 hours off the partner's load: 2 stay open,
        // so the team grants 2 + 2 = 4, not 6.
        for respite in [0.0, 2.0] {
            let mut desk = Desk::new(false);
            let mut cases = [case_in_need(PersonId(0), 6.0)];
            desk.teams[0].committed = Hours::from_f64(2.0);
            cases[0].formal = FormalStatus::Served {
                hours: Hours::from_f64(2.0),
                review: 5,
            };
            let given = deliver_by_task(&mut cases[0], Hours::from_f64(respite));
            cases[0].hours.respite = total(&given);
            deliver(&mut cases);
            let mut tally = WeekTally::new(0, 1);
            desk.week(5, &mut cases, &mut tally);
            let open = 6.0 - 2.0 - respite;
            assert_eq!(
                cases[0].formal,
                FormalStatus::Served {
                    hours: Hours::from_f64(2.0 + open),
                    review: 5 + desk.scenario.formal.assignment_weeks,
                },
                "respite {respite}"
            );
        }
    }

    /// A review grants no more than `formal.max_hours_per_client` (6), though
    /// the team has the hours: 2 + 10 open are wanted (docs/ODD.md §7.10.8).
    #[test]
    fn a_review_grants_no_more_than_the_cap_per_client() {
        let mut desk = Desk::new(false);
        let cap = Hours::from_f64(desk.scenario.formal.max_hours_per_client);
        let mut cases = [case_in_need(PersonId(0), 12.0)];
        desk.teams[0].capacity = Hours::from_f64(20.0);
        desk.teams[0].committed = Hours::from_f64(2.0);
        cases[0].formal = FormalStatus::Served {
            hours: Hours::from_f64(2.0),
            review: 5,
        };
        deliver(&mut cases);
        desk.week(5, &mut cases, &mut WeekTally::new(0, 1));
        assert_eq!(cases[0].formal.assigned_hours(), cap);
    }

    #[test]
    fn the_team_refers_a_need_of_care_around_the_clock_and_lets_it_go_to_the_wlz() {
        for wlz in [true, false] {
            let mut desk = Desk::new(false);
            desk.scenario.formal.referred_share = 1.0;
            desk.scenario.long_term_care.enabled = wlz;
            let indication = desk.scenario.long_term_care.indication_weeks;
            let mut cases = [case_in_need(PersonId(0), 40.0)];
            let mut tally = WeekTally::new(0, 1);
            desk.week(0, &mut cases, &mut tally);
            assert_eq!(tally.intakes, 1, "referred: applies at once");
            assert!(matches!(cases[0].formal, FormalStatus::Served { .. }));
            let referred = wlz.then_some(indication);
            assert_eq!(cases[0].wlz_from, referred);
            for w in 1..indication {
                desk.week(w, &mut cases, &mut tally);
                assert!(matches!(cases[0].formal, FormalStatus::Served { .. }));
            }
            desk.week(indication, &mut cases, &mut tally);
            let served = matches!(cases[0].formal, FormalStatus::Served { .. });
            assert_eq!(served, !wlz, "Wlz on: {wlz}");
            if wlz {
                assert_eq!(desk.teams[0].committed, Hours::ZERO, "hours released");
            }
            for w in indication + 1..indication + 4 {
                desk.week(w, &mut cases, &mut tally);
            }
            assert_eq!(tally.intakes, 1, "a client of the Wlz does not apply again");
        }
    }

    #[test]
    fn a_referred_need_applies_in_its_first_unmet_week() {
        for (share, intake_week) in [(1.0, 0), (0.0, 1)] {
            let mut desk = Desk::new(false);
            desk.scenario.formal.referred_share = share;
            let mut cases = [case_in_need(PersonId(0), 10.0)];
            let mut tally = WeekTally::new(0, 1);
            let mut applied = None;
            for w in 0..3 {
                desk.week(w, &mut cases, &mut tally);
                if tally.intakes == 1 && applied.is_none() {
                    applied = Some(w);
                }
            }
            assert_eq!(applied, Some(intake_week), "referred share {share}");
            assert_eq!(tally.intakes_network_involved, 0, "nobody helped yet");
        }
    }

    #[test]
    fn referrals_are_drawn_once_per_episode() {
        let mut desk = Desk::new(false);
        desk.scenario.formal.referred_share = 0.5;
        let policies = policies(&desk.scenario, Some(0));
        let referred = |start_week: u32, now: u32| {
            let week = Week::new(&desk.scenario, &desk.people, now, &policies);
            let mut case = case_in_need(PersonId(0), 10.0);
            if let Some(e) = case.episodes[EpisodeKind::LongTerm.index()].as_mut() {
                e.start_week = start_week;
            }
            is_referred(&week, &case)
        };
        let episodes: Vec<bool> = (0..200).map(|start| referred(start, start)).collect();
        for (start, first) in episodes.iter().enumerate() {
            let start = start as u32;
            assert_eq!(
                referred(start, start + 7),
                *first,
                "the same episode, later"
            );
        }
        let share = episodes.iter().filter(|r| **r).count() as f64 / 200.0;
        // 200 draws at 0.5: the standard error is 0.035, so 0.5 ± 0.15 holds
        // unless the stream is broken.
        assert!((share - 0.5).abs() < 0.15, "{share}");
    }

    #[test]
    fn a_one_off_favour_is_not_a_network_involved() {
        let mut desk = Desk::new(false);
        let mut cases = [case_in_need(PersonId(0), 10.0)];
        cases[0].helpers.push(RecentHelp {
            helper: PersonId(2),
            tie: None,
            week: 1,
            hours: Hours(100),
        });
        let mut tally = WeekTally::new(0, 1);
        for w in 0..2 {
            desk.week(w, &mut cases, &mut tally);
        }
        assert_eq!(tally.intakes, 1);
        assert_eq!(tally.intakes_network_involved, 0);
    }

    /// The intake sees a burdened network (docs/ODD.md §7.10.8): a helper of
    /// the involvement window strained to the burden threshold, burnt out,
    /// or without hours left this week; a helper who copes is involved only.
    #[test]
    fn a_helper_strained_burnt_out_or_out_of_hours_is_a_burdened_network() {
        for burden in ["copes", "strained", "burnt out", "no hours left"] {
            let mut desk = Desk::new(false);
            let helper = PersonId(2);
            match burden {
                "strained" => desk.carers.strain[2] = 0.7,
                "burnt out" => desk.carers.burnt_out[2] = 2,
                "no hours left" => {
                    let all = desk.carers.left[2];
                    assert!(!all.is_zero());
                    desk.carers.spend(helper, all);
                }
                _ => {}
            }
            let mut cases = [case_in_need(PersonId(0), 10.0)];
            for week in 0..2 {
                cases[0].helpers.push(RecentHelp {
                    helper,
                    tie: None,
                    week,
                    hours: Hours(100),
                });
            }
            let mut tally = WeekTally::new(0, 1);
            for w in 0..2 {
                desk.week(w, &mut cases, &mut tally);
            }
            assert_eq!(tally.intakes, 1, "{burden}");
            assert_eq!(tally.intakes_network_involved, 1, "{burden}");
            let burdened = u64::from(burden != "copes");
            assert_eq!(tally.intakes_network_burdened, burdened, "{burden}");
        }
    }

    /// A burnt-out partner is expected to do nothing (docs/ODD.md §7.10.8):
    /// the team grants the housework then, norm or not.
    #[test]
    fn the_team_grants_no_housework_a_partner_is_expected_to_do() {
        for (norm, burnt_out) in [(true, false), (false, false), (true, true)] {
            let mut desk = Desk::new(false);
            desk.scenario.formal.usual_help_norm = norm;
            let partner = desk.people.partner(PersonId(0)).expect("a partner");
            if burnt_out {
                desk.carers.burnt_out[partner.index()] = 10;
            }
            let mut cases = [case_in_need(PersonId(0), 10.0)];
            let mut tally = WeekTally::new(0, 1);
            for w in 0..4 {
                desk.week(w, &mut cases, &mut tally);
            }
            let served = matches!(cases[0].formal, FormalStatus::Served { .. });
            assert_eq!(
                served,
                !norm || burnt_out,
                "usual_help_norm = {norm}, partner burnt out: {burnt_out}"
            );
        }
    }

    #[test]
    fn network_first_activates_the_network_before_the_list() {
        let mut desk = Desk::new(true);
        let mut cases = [case_in_need(PersonId(0), 10.0)];
        let mut tally = WeekTally::new(0, 1);
        for w in 0..2 {
            desk.week(w, &mut cases, &mut tally);
        }
        assert_eq!(cases[0].formal, FormalStatus::Activating { until: 4 });
        desk.week(4, &mut cases, &mut tally);
        assert!(matches!(cases[0].formal, FormalStatus::Served { .. }));

        // A network that left less than `min_unmet_hours` (2) open by the
        // end of the activation keeps the resident off the list.
        let mut desk = Desk::new(true);
        let mut cases = [case_in_need(PersonId(0), 10.0)];
        for w in 0..2 {
            desk.week(w, &mut cases, &mut tally);
        }
        cases[0].take(Task::Household, Hours::from_f64(9.0));
        desk.week(4, &mut cases, &mut tally);
        assert_eq!(cases[0].formal, FormalStatus::None);
    }

    /// The hours a network-first team that expects 2 hours of a network on
    /// paper grants resident 0, who needs `need`
    /// hours of housework, with these ties (all 1 km away, or 50 km if `far`).
    fn granted_network_first(need: f64, ties: &[(u32, u32, TieKind)], far: bool) -> FormalStatus {
        let mut desk = Desk::new(true);
        desk.scenario.formal.network_first_expected_hours = 2.0;
        desk.network = tiny_network(4, ties);
        if far {
            desk.network
                .ties
                .distance_km
                .iter_mut()
                .for_each(|d| *d = 50.0);
        }
        let mut cases = [case_in_need(PersonId(0), need)];
        let mut tally = WeekTally::new(0, 1);
        for w in [0, 1, 4, 5] {
            desk.week(w, &mut cases, &mut tally);
        }
        cases[0].formal
    }

    #[test]
    fn a_network_first_team_does_not_grant_what_it_expects_of_the_network_on_paper() {
        let network = [
            (0, 1, TieKind::Neighbour),
            (0, 2, TieKind::Kin),
            (0, 3, TieKind::Friend),
        ];
        let hours = |status: FormalStatus| status.assigned_hours();
        // Nobody on paper: the need, capped at 6 hours a client.
        assert_eq!(
            hours(granted_network_first(7.0, &[], false)),
            Hours::from_f64(6.0)
        );
        // Kin or a friend nearby: 2 hours expected, however many; neighbours do not count.
        assert_eq!(
            hours(granted_network_first(7.0, &network, false)),
            Hours::from_f64(5.0)
        );
        let neighbour_only = [(0, 1, TieKind::Neighbour)];
        assert_eq!(
            hours(granted_network_first(7.0, &neighbour_only, false)),
            Hours::from_f64(6.0)
        );
        // Family and friends far away are not in the team's picture.
        assert_eq!(
            hours(granted_network_first(7.0, &network, true)),
            Hours::from_f64(6.0)
        );
        // When the network on paper covers the need, the applicant leaves without hours.
        assert_eq!(
            granted_network_first(2.0, &network, false),
            FormalStatus::None
        );
    }

    #[test]
    fn without_network_first_the_team_expects_nothing_of_the_network() {
        let mut desk = Desk::new(false);
        desk.scenario.formal.network_first_expected_hours = 2.0;
        desk.network = tiny_network(4, &[(0, 2, TieKind::Kin), (0, 3, TieKind::Friend)]);
        let mut cases = [case_in_need(PersonId(0), 7.0)];
        let mut tally = WeekTally::new(0, 1);
        for w in 0..3 {
            desk.week(w, &mut cases, &mut tally);
        }
        assert_eq!(cases[0].formal.assigned_hours(), Hours::from_f64(6.0));
    }

    /// mean_wait_weeks counts only the waits that ended in an assignment, so
    /// a list whose residents' needs end before the team has hours looked
    /// short (QA 35: a wait of 0.0 weeks in a town whose list averaged 0.4
    /// residents who left it unserved). They are counted as they leave, once;
    /// a resident served, or let go to the Wlz, is not.
    #[test]
    fn residents_whose_need_ends_on_the_list_are_counted_as_leaving_it_unserved() {
        let mut desk = Desk::new(false);
        desk.teams[0].committed = desk.teams[0].capacity;
        let mut cases = [
            case_in_need(PersonId(0), 10.0),
            case_in_need(PersonId(1), 10.0),
        ];
        let mut tally = WeekTally::new(0, 1);
        for w in 0..2 {
            desk.week(w, &mut cases, &mut tally);
        }
        assert!(
            cases
                .iter()
                .all(|c| matches!(c.formal, FormalStatus::Waiting { .. }))
        );
        assert_eq!(tally.waiting_list, 2);
        assert_eq!(tally.left_waiting_list, 0);
        // Resident 0's need ends (the engine then drops the case).
        long_term_ended(&mut cases[0], &mut desk.teams);
        let [_, mut still] = cases;
        let mut tally = WeekTally::new(0, 1);
        desk.week(2, std::slice::from_mut(&mut still), &mut tally);
        assert_eq!(
            (
                tally.waiting_list,
                tally.left_waiting_list,
                tally.assignments
            ),
            (1, 1, 0)
        );
        let mut tally = WeekTally::new(0, 1);
        desk.week(3, std::slice::from_mut(&mut still), &mut tally);
        assert_eq!(tally.left_waiting_list, 0, "counted once");
        // Resident 1 becomes a client of the Wlz, which lets the team go.
        leave_team(&mut still, &mut desk.teams, Leaving::ToTheWlz);
        let mut tally = WeekTally::new(0, 1);
        desk.week(4, &mut [], &mut tally);
        assert_eq!(
            (tally.waiting_list, tally.left_waiting_list),
            (0, 0),
            "the Wlz's client left the list, but not unserved"
        );
    }

    #[test]
    fn an_ended_need_frees_the_teams_hours() {
        let mut desk = Desk::new(false);
        let mut cases = [case_in_need(PersonId(0), 10.0)];
        let mut tally = WeekTally::new(0, 1);
        for w in 0..2 {
            desk.week(w, &mut cases, &mut tally);
        }
        let before = desk.teams[0].free();
        long_term_ended(&mut cases[0], &mut desk.teams);
        assert_eq!(cases[0].formal, FormalStatus::None);
        assert_eq!(desk.teams[0].free(), before + Hours::from_f64(6.0));
    }
}
