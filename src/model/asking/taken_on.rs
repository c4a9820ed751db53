//! Tasks of a long-term need that a helper took on (docs/ODD.md §7.10.5): a
//! tie who gave a resident help with a task of their long-term need keeps
//! giving those hours each week, before anyone is asked, until the need ends
//! or the helper burns out. Care for a parent or a partner is a routine one grows
//! into, not a favour asked anew each week; neighbours and acquaintances do
//! not take on long-term care (their help is small help, §7.10.20).

use super::formulas::is_weak_tie;
use super::{RoundState, locality_between};
use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::kinds::{EpisodeKind, Task, TieKind};
use crate::model::Week;
use crate::model::case::Case;
use crate::model::gift;
use crate::model::ledger::Gift;
use crate::network::Network;
use crate::tally::WeekTally;

/// One task of a resident's long-term need that a tie took on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenOn {
    pub helper: PersonId,
    pub tie: TieId,
    pub kind: TieKind,
    pub task: Task,
    /// Hours a week: what the helper gave the week they took the task on.
    pub hours: Hours,
}

/// Whether a helper over a tie of `kind` who gave hours for `task` takes it on.
pub fn takes_on(case: &Case, kind: TieKind, task: Task) -> bool {
    !is_weak_tie(kind) && !case.demand[EpisodeKind::LongTerm.index()][task.index()].is_zero()
}

/// Notes that `helper` took on `task` (once per helper and task).
pub fn note_taken_on(case: &mut Case, taken: TakenOn) {
    if !case
        .taken_on
        .iter()
        .any(|t| t.helper == taken.helper && t.task == taken.task)
    {
        case.taken_on.push(taken);
    }
}

/// Each case's helpers give the tasks they took on, in case order and, within
/// a case, in the order they took them on; each within the hours they have
/// left. A helper who burnt out drops what they took on; a case without a
/// long-term need has nothing taken on.
pub fn keep_taken_on(week: &Week, network: &mut Network, state: RoundState, tally: &mut WeekTally) {
    let RoundState {
        cases,
        carers,
        ledger,
    } = state;
    let trust = &week.scenario.behaviour.trust;
    for case in cases.iter_mut() {
        if case.episodes[EpisodeKind::LongTerm.index()].is_none() {
            case.taken_on.clear();
            continue;
        }
        // A tie ended by a death or a move (docs/ODD.md §7.2.1) ends what
        // was taken on over it.
        case.taken_on
            .retain(|t| carers.burnt_out[t.helper.index()] == 0 && !network.has_ended(t.tie));
        for i in 0..case.taken_on.len() {
            let taken = case.taken_on[i];
            let h = taken.helper.index();
            let open = case.demand[EpisodeKind::LongTerm.index()][taken.task.index()];
            let hours = taken.hours.min(open).min(carers.left[h]);
            if hours.is_zero() {
                continue;
            }
            // Taken on of the long-term need, so it meets that need alone (an
            // emergency or a short need in the same task is asked for anew).
            case.take_long_term_by_task(hours, &[taken.task]);
            gift::receive_informal(case, taken.helper, Some(taken.tie), week.week, hours);
            let ends = [taken.helper, case.person];
            gift::tie_after_help(&mut network.ties, trust, taken.tie, ends, hours);
            let given = Gift {
                helper: taken.helper,
                receiver: case.person,
                tie: Some(taken.tie),
                hours,
                household: false,
            };
            gift::give(given, carers, ledger);
            gift::count_for_receiver(tally, week.people, case.person, taken.kind, hours);
            let locality = locality_between(week.people, case, taken.helper);
            let n = case.neighbourhood.index();
            tally.add_informal(
                (taken.kind, taken.task, locality),
                network.ties.distance_km[taken.tie.index()],
                hours,
                n,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::interventions::policies;
    use crate::model::ledger::CareLedger;
    use crate::model::strain::Carers;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    /// Resident 0 has a long-term need of 10 hours of housework (and
    /// `short_term` hours of it from a short need besides); resident 2 is kin
    /// and took on 3 hours of the long-term need.
    fn keep_with(
        short_term: f64,
        burnt_out: bool,
        need_ended: bool,
        helper_left: bool,
    ) -> (Case, Carers, WeekTally) {
        let scenario = tiny_scenario(4);
        let people = tiny_people(4);
        let mut network = tiny_network(4, &[(0, 1, TieKind::Partner), (0, 2, TieKind::Kin)]);
        let tie = network
            .tie_between(PersonId(0), PersonId(2))
            .expect("kin")
            .tie();
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        if burnt_out {
            carers.burnt_out[2] = 3;
        }
        let mut case = case_in_need(PersonId(0), 10.0);
        case.demand[EpisodeKind::ShortTerm.index()][Task::Household.index()] =
            Hours::from_f64(short_term);
        note_taken_on(
            &mut case,
            TakenOn {
                helper: PersonId(2),
                tie,
                kind: TieKind::Kin,
                task: Task::Household,
                hours: Hours::from_f64(3.0),
            },
        );
        if need_ended {
            case.episodes[EpisodeKind::LongTerm.index()] = None;
        }
        if helper_left {
            network.end_ties_of(PersonId(2));
        }
        let mut cases = [case];
        let mut ledger = CareLedger::new(4);
        let policies = policies(&scenario, Some(0));
        let week = Week::new(&scenario, &people, 0, &policies);
        let mut tally = WeekTally::new(0, 1);
        let state = RoundState {
            cases: &mut cases,
            carers: &mut carers,
            ledger: &mut ledger,
        };
        keep_taken_on(&week, &mut network, state, &mut tally);
        let [case] = cases;
        (case, carers, tally)
    }

    fn keep(burnt_out: bool, need_ended: bool, helper_left: bool) -> (Case, Carers, WeekTally) {
        keep_with(0.0, burnt_out, need_ended, helper_left)
    }

    /// What a helper took on meets the long-term need it was taken on of; a
    /// short need in the same task stays open for the asking rounds.
    #[test]
    fn hours_taken_on_meet_the_long_term_need_not_a_short_one() {
        let (case, _, tally) = keep_with(5.0, false, false, false);
        let open = |kind: EpisodeKind| case.demand[kind.index()][Task::Household.index()];
        assert_eq!(open(EpisodeKind::LongTerm), Hours::from_f64(7.0));
        assert_eq!(open(EpisodeKind::ShortTerm), Hours::from_f64(5.0));
        assert_eq!(tally.informal.as_f64(), 3.0);
    }

    #[test]
    fn a_helper_gives_the_hours_they_took_on_without_being_asked() {
        let (case, carers, tally) = keep(false, false, false);
        assert_eq!(case.hours.informal, Hours::from_f64(3.0));
        assert_eq!(case.remaining(Task::Household), Hours::from_f64(7.0));
        assert_eq!(carers.given[2], Hours::from_f64(3.0));
        assert_eq!(tally.informal.as_f64(), 3.0);
        assert_eq!(tally.asked.as_f64(), 0.0, "nobody was asked");
        assert_eq!(case.taken_on.len(), 1, "kept for next week");
    }

    #[test]
    fn burning_out_the_end_of_the_need_or_of_the_tie_drops_what_was_taken_on() {
        let (case, carers, _) = keep(true, false, false);
        assert!(case.taken_on.is_empty());
        assert_eq!(carers.given[2], Hours::ZERO);
        let (case, _, tally) = keep(false, true, false);
        assert!(case.taken_on.is_empty());
        assert_eq!(tally.informal.as_f64(), 0.0);
        let (case, _, tally) = keep(false, false, true);
        assert!(case.taken_on.is_empty(), "the helper died or moved away");
        assert_eq!(tally.informal.as_f64(), 0.0);
    }

    #[test]
    fn kin_and_friends_take_on_long_term_tasks_neighbours_do_not() {
        let case = case_in_need(PersonId(0), 10.0);
        assert!(takes_on(&case, TieKind::Kin, Task::Household));
        assert!(takes_on(&case, TieKind::Friend, Task::Household));
        assert!(!takes_on(&case, TieKind::Neighbour, Task::Household));
        assert!(
            !takes_on(&case, TieKind::Kin, Task::PersonalCare),
            "no such need"
        );
    }

    #[test]
    fn a_task_is_taken_on_once_per_helper() {
        let mut case = case_in_need(PersonId(0), 10.0);
        let taken = TakenOn {
            helper: PersonId(2),
            tie: TieId(0),
            kind: TieKind::Kin,
            task: Task::Household,
            hours: Hours::from_f64(3.0),
        };
        note_taken_on(&mut case, taken);
        note_taken_on(&mut case, taken);
        assert_eq!(case.taken_on.len(), 1);
    }
}
