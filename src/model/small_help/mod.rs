//! Neighbours' small help and friends' visits (docs/ODD.md §7.10.20): a
//! neighbour or two who know a resident with a long-term need well look in,
//! keep them company, run a small errand, an hour or two a week; never more,
//! however cohesive the street. Friends who keep such a friend company do the
//! same, as far as the way to them allows.
//!
//! Field research puts neighbours in emergencies and small favours, not in
//! long-term care (Jager-Vreugdenhil), a safety net rather than carers
//! (Linders); friends and neighbours are each about 9% of the carers of people
//! aged 55+ outside their household, friends caring for years as children do
//! and lightly as neighbours do (Egging, De Boer & Stevens 2011). Asked help
//! from neighbours shies away from long episodes (§7.10.6); this rule is the
//! other half: help that is offered, not asked for, and capped per resident
//! whatever the trust.
//!
//! The draws are made in parallel over cases (keyed by seed, week and the
//! resident); the hours move in case order, within each visitor's hours left.

mod params;

pub use params::{FriendVisitParams, SmallHelpParams};

use rand::RngExt;
use rayon::prelude::*;

use super::asking::{frailty_log_odds, help_reachable, locality_between, logistic, sex_log_odds};
use super::case::Case;
use super::gift;
use super::ledger::{CareLedger, Gift};
use super::strain::Carers;
use super::{TOUCH_BATCH, Week};
use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::kinds::{EpisodeKind, Task, TieKind};
use crate::network::{Adjacent, Network};
use crate::rng::{Stream, stream};
use crate::tally::WeekTally;

/// Who comes to look in, and the rule's settings for them.
struct Visiting<'a> {
    kind: TieKind,
    stream: Stream,
    hours_per_week: f64,
    tasks: &'a [Task],
    min_trust: f64,
    visitors: u32,
    base: f64,
    /// Whether the way between the homes lowers the chance, as it lowers
    /// giving (§7.10.6): friends travel; neighbours live next door.
    travels: bool,
}

impl SmallHelpParams {
    /// Friends first (company is what friends give, Litwak), then neighbours.
    fn visiting(&self) -> [Visiting<'_>; 2] {
        let f = &self.friends;
        [
            Visiting {
                kind: TieKind::Friend,
                stream: Stream::FriendVisits,
                hours_per_week: f.hours_per_week,
                tasks: &f.tasks,
                min_trust: f.min_trust,
                visitors: f.visitors,
                base: f.base,
                travels: true,
            },
            Visiting {
                kind: TieKind::Neighbour,
                stream: Stream::SmallHelp,
                hours_per_week: self.hours_per_week,
                tasks: &self.tasks,
                min_trust: self.min_trust,
                visitors: self.visitors,
                base: self.base,
                travels: false,
            },
        ]
    }
}

impl Visiting<'_> {
    /// The chance that one such visitor comes this week.
    fn chance(
        &self,
        give: &crate::model::asking::GiveParams,
        helpfulness: f64,
        (age, woman): (u8, bool),
        strain: f64,
        km: f64,
    ) -> f64 {
        let way = if self.travels {
            give.distance * crate::math::ln(1.0 + km / give.distance_scale_km)
        } else {
            0.0
        };
        logistic(
            self.base
                + give.helpfulness * (helpfulness - 0.5)
                + frailty_log_odds(give, age)
                + sex_log_odds(give, woman)
                + give.strain * strain
                + way,
        )
    }
}

/// A friend or neighbour who looks in on the resident of a case this week.
struct Visit {
    case: usize,
    visitor: PersonId,
    tie: TieId,
}

/// What neighbours' small help changes.
pub struct SmallHelpState<'a> {
    pub cases: &'a mut [Case],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
    pub network: &'a mut Network,
}

/// The week's visits, friends' then neighbours': for each, who looks in (in
/// parallel), then the hours (in case order).
pub fn friends_and_neighbours_look_in(
    week: &Week,
    mut state: SmallHelpState,
    tally: &mut WeekTally,
) {
    for visiting in week.scenario.small_help.visiting() {
        if visiting.hours_per_week > 0.0 && !visiting.tasks.is_empty() {
            come(week, &visiting, &mut state, tally);
        }
    }
}

fn come(week: &Week, visiting: &Visiting, state: &mut SmallHelpState, tally: &mut WeekTally) {
    // A case with nothing left of the visitors' tasks would get no hours
    // from any of them: its draws would move nothing.
    let visited = |case: &Case| {
        case.has_episode(EpisodeKind::LongTerm)
            && visiting.tasks.iter().any(|t| !case.remaining(*t).is_zero())
    };
    let (network, carers): (&Network, &Carers) = (state.network, state.carers);
    let visits: Vec<Visit> = state
        .cases
        .par_chunks(TOUCH_BATCH)
        .enumerate()
        .flat_map_iter(|(b, batch)| {
            touch_known(network, visiting.kind, batch.iter().filter(|c| visited(c)));
            batch
                .iter()
                .enumerate()
                .filter(|(_, case)| visited(case))
                .flat_map(move |(j, case)| {
                    let i = b * TOUCH_BATCH + j;
                    visits_to(week, visiting, network, carers, i, case)
                })
        })
        .collect();
    let cap = Hours::from_f64(visiting.hours_per_week);
    let mut received = vec![Hours::ZERO; state.cases.len()];
    let SmallHelpState {
        cases,
        carers,
        ledger,
        network,
    } = state;
    for visit in visits {
        let room = cap.saturating_sub(received[visit.case]);
        let given = look_in(
            week,
            visiting,
            &visit,
            room,
            &mut cases[visit.case],
            carers,
            network,
            tally,
        );
        received[visit.case] += given;
        if !given.is_zero() {
            gift::give(
                Gift {
                    helper: visit.visitor,
                    receiver: cases[visit.case].person,
                    tie: Some(visit.tie),
                    hours: given,
                    household: false,
                },
                carers,
                ledger,
            );
        }
    }
}

/// Reads, for a batch of cases, each row and the trust of each tie of the
/// visitors' kind, which [`visits_to`] then reads case after case. In one
/// pass the cases' cache misses overlap; case after case, each waited for the
/// one before (session 26, as `asking::Round::touch_walks` does for the
/// asking walk). It only reads, so the visits are as before.
#[inline(never)] // a call per batch; its own frame in profiles
fn touch_known<'c>(network: &Network, kind: TieKind, cases: impl Iterator<Item = &'c Case>) {
    let mut seen = 0u32;
    for case in cases {
        for e in network.row(case.person).iter().filter(|e| e.kind() == kind) {
            seen ^= network.ties.trust(e.tie().index()).to_bits();
        }
    }
    std::hint::black_box(seen);
}

/// The friends or neighbours who look in on one resident this week: of those
/// who know them well enough, are not burnt out and live within the help
/// radius of the resident's neighbourhood (§7.10.16), the `visitors` most
/// trusted (ties by row order), each if they draw to come. One draw per tie
/// of the kind, in row order, whether eligible or not, so that a change of
/// eligibility does not shift the others' draws.
fn visits_to(
    week: &Week,
    visiting: &Visiting,
    network: &Network,
    carers: &Carers,
    index: usize,
    case: &Case,
) -> Vec<Visit> {
    let scenario = week.scenario;
    let give = &scenario.behaviour.asking.give;
    let mut rng = stream(
        scenario.seed,
        visiting.stream,
        u64::from(week.week),
        u64::from(case.person.0),
    );
    let ties = &network.ties;
    let radius = week.policies[case.neighbourhood.index()].help_radius;
    let mut known: Vec<(f32, f64, Adjacent)> = network
        .row(case.person)
        .iter()
        .filter(|e| e.kind() == visiting.kind)
        .map(|e| (ties.trust(e.tie().index()), rng.random::<f64>(), *e))
        .filter(|(trust, _, _)| f64::from(*trust) >= visiting.min_trust)
        .collect();
    // Stable: equal trust keeps row order. Who can come is checked in that
    // order, so that only the few chosen are looked up.
    known.sort_by(|a, b| b.0.total_cmp(&a.0));
    known
        .into_iter()
        .filter(|(_, _, e)| {
            carers.burnt_out[e.other.index()] == 0
                && help_reachable(radius, week.people, case, e.other)
        })
        .take(visiting.visitors as usize)
        .filter_map(|(_, draw, e)| {
            let v = e.other.index();
            let chance = visiting.chance(
                give,
                f64::from(week.people.helpfulness[v]),
                (week.people.age[v], week.people.is_woman(e.other)),
                f64::from(carers.strain[v]),
                f64::from(ties.distance_km[e.tie().index()]),
            );
            (draw < chance).then_some(Visit {
                case: index,
                visitor: e.other,
                tie: e.tie(),
            })
        })
        .collect()
}

/// One visit: up to `room` hours of the open tasks of the visitors' kind, in
/// the order the scenario lists them, within the visitor's hours left. The
/// receiver's side, the tally and the tie move here; the caller books the
/// helper's side.
#[allow(clippy::too_many_arguments)]
fn look_in(
    week: &Week,
    visiting: &Visiting,
    visit: &Visit,
    room: Hours,
    case: &mut Case,
    carers: &Carers,
    network: &mut Network,
    tally: &mut WeekTally,
) -> Hours {
    let left = carers.left[visit.visitor.index()];
    let mut can = room.min(left);
    let locality = locality_between(week.people, case, visit.visitor);
    let t = visit.tie.index();
    let distance_km = network.ties.distance_km[t];
    let n = case.neighbourhood.index();
    let mut total = Hours::ZERO;
    for task in visiting.tasks {
        let part = case.remaining(*task).min(can);
        if part.is_zero() {
            continue;
        }
        let met = case.take(*task, part);
        if visiting.kind == TieKind::Neighbour {
            for (slot, met) in tally.neighbourhoods[n]
                .neighbour_by_episode
                .iter_mut()
                .zip(met)
            {
                *slot += met;
            }
        }
        tally.add_informal((visiting.kind, *task, locality), distance_km, part, n);
        can -= part;
        total += part;
    }
    if total.is_zero() {
        return total;
    }
    gift::receive_informal(case, visit.visitor, Some(visit.tie), week.week, total);
    gift::count_for_receiver(tally, week.people, case.person, visiting.kind, total);
    let trust = &week.scenario.behaviour.trust;
    let ends = [visit.visitor, case.person];
    gift::tie_after_help(&mut network.ties, trust, visit.tie, ends, total);
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::interventions::policies;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};
    use crate::scenario::Scenario;

    /// Resident 0 with a long-term need of 10 hours of housework, and residents
    /// 2–5 tied to them as `kind`.
    struct Street {
        scenario: Scenario,
        people: crate::population::People,
        network: Network,
        carers: Carers,
        ledger: CareLedger,
        radius: crate::model::interventions::HelpRadius,
    }

    impl Street {
        fn new(kind: TieKind) -> Street {
            let mut scenario = tiny_scenario(6);
            // Every neighbour who may come draws to come.
            scenario.small_help.base = 20.0;
            let people = tiny_people(6);
            let ties: Vec<(u32, u32, TieKind)> = (2..6).map(|n| (0, n, kind)).collect();
            let network = tiny_network(6, &ties);
            let mut carers = Carers::new(&people, vec![0.0; 6]);
            carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
            Street {
                scenario,
                people,
                network,
                carers,
                ledger: CareLedger::new(6),
                radius: crate::model::interventions::HelpRadius::Unlimited,
            }
        }

        /// Trust of resident 0 in 2–5: 0.5, 0.9, 0.6 and 0.95 (3 and 5 the
        /// closest); each can give 1 hour this week.
        fn trusted_and_with_an_hour(&mut self) {
            for (n, trust) in [(2, 0.5), (3, 0.9), (4, 0.6), (5, 0.95)] {
                let row = self.network.row(PersonId(0)).to_vec();
                let e = row.iter().find(|e| e.other == PersonId(n)).expect("a tie");
                self.network.ties.set_trust(e.tie().index(), trust);
                self.carers.left[n as usize] = Hours::from_f64(1.0);
            }
        }

        /// One week of small help for `case`: the hours it got.
        fn week(&mut self, case: Case) -> (Hours, WeekTally, Case) {
            let mut policies = policies(&self.scenario, Some(0));
            policies[0].help_radius = self.radius;
            let week = Week::new(&self.scenario, &self.people, 0, &policies);
            let mut cases = [case];
            let mut tally = WeekTally::new(0, 1);
            let before = cases[0].remaining_total();
            let state = SmallHelpState {
                cases: &mut cases,
                carers: &mut self.carers,
                ledger: &mut self.ledger,
                network: &mut self.network,
            };
            friends_and_neighbours_look_in(&week, state, &mut tally);
            let [case] = cases;
            (before - case.remaining_total(), tally, case)
        }
    }

    #[test]
    fn neighbours_together_give_no_more_than_the_cap() {
        let mut street = Street::new(TieKind::Neighbour);
        street.scenario.small_help.visitors = 4;
        let (got, tally, case) = street.week(case_in_need(PersonId(0), 10.0));
        assert_eq!(
            got,
            Hours::from_f64(1.25),
            "four neighbours come, the cap holds"
        );
        assert_eq!(tally.informal.as_f64(), 1.25);
        assert_eq!(case.remaining(Task::Household), Hours::from_f64(8.75));
        let given: Hours = street.carers.given.iter().copied().sum();
        assert_eq!(given, got, "the helpers' side is booked too");
    }

    #[test]
    fn the_most_trusted_neighbours_look_in() {
        let mut street = Street::new(TieKind::Neighbour);
        street.scenario.small_help.visitors = 2;
        street.scenario.small_help.hours_per_week = 10.0;
        street.trusted_and_with_an_hour();
        let (got, ..) = street.week(case_in_need(PersonId(0), 10.0));
        assert_eq!(got, Hours::from_f64(2.0));
        let came: Vec<usize> = (2..6)
            .filter(|n| !street.carers.given[*n].is_zero())
            .collect();
        assert_eq!(came, [3, 5]);
    }

    #[test]
    fn friends_visit_for_company_when_turned_on() {
        let mut street = Street::new(TieKind::Friend);
        street.scenario.small_help.friends.hours_per_week = 2.0;
        street.scenario.small_help.friends.base = 20.0;
        let mut case = case_in_need(PersonId(0), 10.0);
        case.demand[EpisodeKind::LongTerm.index()][Task::Company.index()] = Hours::from_f64(3.0);
        let (got, tally, case) = street.week(case);
        assert_eq!(got, Hours::from_f64(2.0), "company, up to the friends' cap");
        assert_eq!(case.remaining(Task::Company), Hours::from_f64(1.0));
        assert_eq!(case.remaining(Task::Household), Hours::from_f64(10.0));
        assert_eq!(tally.informal.as_f64(), 2.0);
        assert!(
            tally.neighbourhoods[0]
                .neighbour_by_episode
                .iter()
                .all(|h| h.as_f64() == 0.0),
            "friends' hours are not neighbours'"
        );
    }

    #[test]
    fn the_way_to_a_friend_lowers_the_chance_of_a_visit_but_not_a_neighbours() {
        let params = SmallHelpParams::default();
        let give = crate::model::asking::GiveParams::default();
        let [friends, neighbours] = params.visiting();
        let near = friends.chance(&give, 0.5, (50, false), 0.0, 0.5);
        let far = friends.chance(&give, 0.5, (50, false), 0.0, 50.0);
        assert!(far < near, "{far} < {near}");
        assert_eq!(
            neighbours.chance(&give, 0.5, (50, false), 0.0, 0.5),
            neighbours.chance(&give, 0.5, (50, false), 0.0, 50.0)
        );
    }

    #[test]
    fn frail_friends_and_neighbours_look_in_less_often() {
        let params = SmallHelpParams::default();
        let frail = crate::model::asking::GiveParams {
            frailty: -3.0,
            ..crate::model::asking::GiveParams::default()
        };
        for visiting in params.visiting() {
            let young = visiting.chance(&frail, 0.5, (74, false), 0.0, 0.5);
            let old = visiting.chance(&frail, 0.5, (75, false), 0.0, 0.5);
            assert!(old < 0.1 * young, "{old} < {young} / 10");
        }
    }

    #[test]
    fn friends_do_not_visit_when_their_visits_are_off() {
        let mut street = Street::new(TieKind::Friend);
        street.scenario.small_help.friends.base = 20.0;
        let mut case = case_in_need(PersonId(0), 10.0);
        case.demand[EpisodeKind::LongTerm.index()][Task::Company.index()] = Hours::from_f64(3.0);
        let (on, ..) = street.week(case.clone());
        assert_eq!(on, Hours::from_f64(1.25), "on by default");
        street.scenario.small_help.friends.hours_per_week = 0.0;
        street
            .carers
            .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        let (off, ..) = street.week(case);
        assert_eq!(off, Hours::ZERO);
    }

    /// A help radius that keeps help inside the neighbourhood keeps the most
    /// trusted neighbour from over the border away; the next one comes.
    #[test]
    fn visitors_come_only_from_within_the_help_radius() {
        let mut street = Street::new(TieKind::Neighbour);
        street.scenario.small_help.hours_per_week = 10.0;
        street.trusted_and_with_an_hour();
        street.people.neighbourhood[5] = crate::ids::NeighbourhoodId(1);
        street.radius = crate::model::interventions::HelpRadius::Neighbourhood;
        let (got, ..) = street.week(case_in_need(PersonId(0), 10.0));
        assert_eq!(got, Hours::from_f64(1.0));
        let came: Vec<usize> = (2..6)
            .filter(|n| !street.carers.given[*n].is_zero())
            .collect();
        assert_eq!(came, [3], "5 is more trusted but lives over the border");
    }

    #[test]
    fn nobody_looks_in_on_someone_they_trust_too_little() {
        let mut street = Street::new(TieKind::Neighbour);
        // tiny_network's ties have trust 0.8.
        street.scenario.small_help.min_trust = 0.9;
        let (got, ..) = street.week(case_in_need(PersonId(0), 10.0));
        assert_eq!(got, Hours::ZERO);
    }

    #[test]
    fn burnt_out_neighbours_stay_away() {
        let mut street = Street::new(TieKind::Neighbour);
        for n in 2..6 {
            street.carers.burnt_out[n] = 3;
        }
        let (got, ..) = street.week(case_in_need(PersonId(0), 10.0));
        assert_eq!(got, Hours::ZERO);
    }

    #[test]
    fn small_help_is_for_long_term_needs_and_its_own_tasks() {
        let mut street = Street::new(TieKind::Neighbour);
        let mut emergency = case_in_need(PersonId(0), 10.0);
        emergency.demand.swap(
            EpisodeKind::LongTerm.index(),
            EpisodeKind::Emergency.index(),
        );
        emergency.episodes.swap(
            EpisodeKind::LongTerm.index(),
            EpisodeKind::Emergency.index(),
        );
        let (got, ..) = street.week(emergency);
        assert_eq!(
            got,
            Hours::ZERO,
            "an emergency is asked for, not looked in on"
        );

        street.scenario.small_help.tasks = vec![Task::Company];
        let (got, ..) = street.week(case_in_need(PersonId(0), 10.0));
        assert_eq!(got, Hours::ZERO, "housework is not among the tasks");
    }
}
