//! The weekly steps of needs: episodes end and start ([`end_episodes_of`], [`start_onsets`]), each
//! case's demand opens and need is counted ([`open_week`]), and what is still
//! open at the end of the week is counted as unmet ([`count_unmet`]).

use std::ops::AddAssign;

use rayon::prelude::*;

use super::{
    Episode, NeedModel, NeedProfile, OnsetCalendar, demand_of, end_episodes,
    merge_sorted_in_parallel, start_episode,
};
use crate::hours::HoursTotal;
use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::{EpisodeKind, PerTask};
use crate::model::TOUCH_BATCH;
use crate::model::Week;
use crate::model::case::{Case, WeekHours};
use crate::network::Network;
use crate::population::People;
use crate::tally::WeekTally;

/// One in this many of the week's residents in need, those with the fewest
/// usable ties, have a network that counts as small or weak (the fifth; De
/// Lange; docs/ODD.md §7.10.9).
const WEAK_NETWORK_ONE_IN: usize = 5;

/// Long-term needs already running at the start.
pub fn initial_cases(needs: &NeedModel, people: &People) -> Vec<Case> {
    (0..people.area_residents() as u32)
        .into_par_iter()
        .filter_map(|i| {
            let person = PersonId(i);
            needs
                .initial_episode(person, NeedProfile::of(people, person))
                .map(|episode| {
                    let mut case = Case::new(person, people.neighbourhood[person.index()]);
                    start_episode(&mut case.episodes, episode);
                    case
                })
        })
        .collect()
}

/// Ends finished episodes, starts this week's onsets and draws the next ones.
/// Returns the indices (before the onsets) of the cases whose long-term need
/// ended, for the district team to let go of.
///
/// Episodes end before onsets start: an onset in the week a long-term need ends
/// must not hide that ending, or the district team would keep its hours
/// promised to a resident who no longer needs them.
pub fn end_episodes_of(cases: &mut [Case], week: u32) -> Vec<usize> {
    cases
        .par_iter_mut()
        .enumerate()
        .filter_map(|(i, case)| {
            let had_long_term = case.has_episode(EpisodeKind::LongTerm);
            end_episodes(&mut case.episodes, week);
            (had_long_term && !case.has_episode(EpisodeKind::LongTerm)).then_some(i)
        })
        .collect()
}

/// Starts this week's onsets (new cases join, in person order) and drops the
/// cases without any episode left.
pub fn start_onsets(
    needs: &NeedModel,
    calendar: &mut OnsetCalendar,
    people: &People,
    cases: &mut Vec<Case>,
    week: u32,
) {
    let starting = calendar.episodes_starting(needs, people, week);
    // Each onset's case, looked up in parallel (the lookups are cache misses;
    // new cases join only after the loop, so the places hold).
    // A new case's neighbourhood, a cache miss too, is looked up with it.
    // The search runs over a column of the cases' persons, read once in
    // order: over the 192-byte cases every step was a cache miss (session
    // 25; the persons are distinct, so it finds the same case).
    let persons: Vec<PersonId> = cases.par_iter().map(|c| c.person).collect();
    let places: Vec<Result<usize, NeighbourhoodId>> = starting
        .par_iter()
        .map(|(person, _)| {
            persons
                .binary_search(person)
                .map_err(|_| people.neighbourhood[person.index()])
        })
        .collect();
    let mut fresh: Vec<(PersonId, NeighbourhoodId, Episode)> = Vec::new();
    for ((person, episode), place) in starting.into_iter().zip(places) {
        match place {
            Ok(i) => start_episode(&mut cases[i].episodes, episode),
            Err(neighbourhood) => fresh.push((person, neighbourhood, episode)),
        }
    }
    // Stable: a resident's onsets start in the calendar's order.
    fresh.sort_by_key(|(person, ..)| *person);
    let mut joining: Vec<Case> = Vec::with_capacity(fresh.len());
    for (person, neighbourhood, episode) in fresh {
        if joining.last().is_none_or(|c| c.person != person) {
            joining.push(Case::new(person, neighbourhood));
        }
        if let Some(case) = joining.last_mut() {
            start_episode(&mut case.episodes, episode);
        }
    }
    merge_sorted_in_parallel(
        cases,
        joining,
        |c| c.person,
        |c| c.episodes.iter().any(Option::is_some),
        || Case::new(PersonId(0), NeighbourhoodId::OUTSIDE),
    );
}

/// Sets this week's demand of every case, their usable ties, and counts need.
pub fn open_week(
    week: &Week,
    needs: &NeedModel,
    network: &Network,
    cases: &mut [Case],
    tally: &mut WeekTally,
) {
    let measures = &week.scenario.behaviour.measures;
    let window_start = week.week.saturating_sub(measures.involvement_weeks);
    let usable = measures.usable_tie_trust as f32;
    let ties = &network.ties;
    // The engine keeps the usable bits for this threshold; a caller that did
    // not (a unit test) gets the same count from the trust itself.
    let kept = ties.usable_at() == Some(usable);
    let open_case = |case: &mut Case| {
        case.demand = demand_of(needs, &case.episodes);
        case.hours = WeekHours {
            need: case.remaining_total(),
            ..WeekHours::default()
        };
        case.walk = Default::default();
        case.walk_done = Default::default();
        case.asked_this_week = Default::default();
        case.forget_help_before(window_start);
        let row = network.row(case.person).iter();
        // The bits give the same count as the trust (`usable_at` is the same
        // threshold) at a cache hit per tie instead of a miss.
        case.usable_ties = if kept {
            row.filter(|e| ties.is_usable(e.tie().index())).count()
        } else {
            row.filter(|e| ties.trust(e.tie().index()) >= usable)
                .count()
        } as u32;
        case.isolated = case.usable_ties == 0;
    };
    cases.par_chunks_mut(TOUCH_BATCH).for_each(|batch| {
        touch_cases(network, batch);
        for case in batch {
            open_case(case);
        }
    });
    let cut = weak_network_cut(cases);
    cases.par_iter_mut().for_each(|case| {
        case.weak_network = case.usable_ties <= cut;
    });
    count_need(cases, tally);
}

/// Reads, for a batch of cases before their weeks open, what the opening
/// reads at random places: each case's list of recent helpers (a separate
/// allocation per case) and its row (an entry per cache line). In one pass
/// the cases' cache misses overlap; case after case, each waited for the one
/// before (session 25, as `asking::Round::touch_walks` does for the asking
/// walk). It only reads, so the week opens as before.
#[inline(never)] // a call per batch; its own frame in profiles
fn touch_cases(network: &Network, cases: &[Case]) {
    let mut seen = 0u32;
    for case in cases {
        // An entry in every cache line of the helpers (3 entries of 20 bytes).
        for help in case.helpers.iter().step_by(3) {
            seen ^= help.week;
        }
        // An entry in every cache line of the row (8 entries of 8 bytes).
        let row = network.row(case.person);
        for entry in row.iter().step_by(8).chain(row.last()) {
            seen ^= entry.other.0;
        }
    }
    std::hint::black_box(seen);
}

fn count_need(cases: &[Case], tally: &mut WeekTally) {
    let sums = sum_by_neighbourhood(cases, |case| {
        let need = HoursTotal::from(case.hours.need);
        NeedPart {
            need,
            weeks: 1,
            isolated: u64::from(case.isolated),
            isolated_need: if case.isolated {
                need
            } else {
                HoursTotal::default()
            },
            weak_network_need: if case.weak_network {
                need
            } else {
                HoursTotal::default()
            },
        }
    });
    for (n, part) in sums {
        let n = &mut tally.neighbourhoods[n];
        n.need += part.need;
        n.in_need_weeks += part.weeks;
        tally.need += part.need;
        tally.residents_in_need += part.weeks;
        tally.isolated_in_need += part.isolated;
        tally.isolated_need += part.isolated_need;
        tally.weak_network_need += part.weak_network_need;
    }
}

/// What cases add to the need counts.
#[derive(Debug, Clone, Copy, Default)]
struct NeedPart {
    need: HoursTotal,
    weeks: u64,
    isolated: u64,
    isolated_need: HoursTotal,
    weak_network_need: HoursTotal,
}

impl AddAssign for NeedPart {
    fn add_assign(&mut self, other: NeedPart) {
        self.need += other.need;
        self.weeks += other.weeks;
        self.isolated += other.isolated;
        self.isolated_need += other.isolated_need;
        self.weak_network_need += other.weak_network_need;
    }
}

/// Cases per part of [`sum_by_neighbourhood`].
const SUM_PART: usize = 4096;

/// Sums of `part(case)` over the cases, in parallel over parts of the cases:
/// within a part, consecutive cases of one neighbourhood (a neighbourhood's
/// residents have consecutive ids) are summed into one `(neighbourhood, sum)`,
/// returned in case order. The sums are integers, so adding them up in this
/// order gives what adding case by case gives.
fn sum_by_neighbourhood<P: AddAssign + Send>(
    cases: &[Case],
    part: impl Fn(&Case) -> P + Sync,
) -> Vec<(usize, P)> {
    cases
        .par_chunks(SUM_PART)
        .flat_map_iter(|cases| {
            let mut sums: Vec<(usize, P)> = Vec::new();
            for case in cases {
                let n = case.neighbourhood.index();
                let p = part(case);
                match sums.last_mut() {
                    Some((m, sum)) if *m == n => *sum += p,
                    _ => sums.push((n, p)),
                }
            }
            sums
        })
        .collect()
}

/// The number of usable ties at the 20th percentile (nearest rank) of this
/// week's residents in need: at or below it, a network counts as small or weak.
fn weak_network_cut(cases: &[Case]) -> u32 {
    let mut counts: Vec<u32> = cases.par_iter().map(|c| c.usable_ties).collect();
    if counts.is_empty() {
        return 0;
    }
    let rank = (counts.len() / WEAK_NETWORK_ONE_IN).min(counts.len() - 1);
    *counts.select_nth_unstable(rank).1
}

/// What is still open at the end of the week is unmet.
pub fn count_unmet(cases: &[Case], tally: &mut WeekTally) {
    let sums = sum_by_neighbourhood(cases, |case| {
        let unmet = HoursTotal::from(case.remaining_total());
        let none = HoursTotal::default();
        UnmetPart {
            household: HoursTotal::from(case.hours.household),
            formal: HoursTotal::from(case.hours.formal),
            formal_by_task: case.hours.formal_by_task.map(HoursTotal::from),
            unmet,
            unmet_weeks: u64::from(unmet != none),
            isolated_unmet: if case.isolated { unmet } else { none },
            weak_network_unmet: if case.weak_network { unmet } else { none },
        }
    });
    for (n, part) in sums {
        let n = &mut tally.neighbourhoods[n];
        n.household += part.household;
        n.formal += part.formal;
        n.unmet += part.unmet;
        n.unmet_weeks += part.unmet_weeks;
        tally.household += part.household;
        tally.formal += part.formal;
        for (sum, hours) in tally.formal_by_task.iter_mut().zip(part.formal_by_task) {
            *sum += hours;
        }
        tally.unmet += part.unmet;
        tally.residents_with_unmet_need += part.unmet_weeks;
        tally.isolated_unmet += part.isolated_unmet;
        tally.weak_network_unmet += part.weak_network_unmet;
    }
}

/// What cases add to the counts of unmet need and of the hours met at home and
/// by professionals.
#[derive(Debug, Clone, Copy, Default)]
struct UnmetPart {
    household: HoursTotal,
    formal: HoursTotal,
    formal_by_task: PerTask<HoursTotal>,
    unmet: HoursTotal,
    unmet_weeks: u64,
    isolated_unmet: HoursTotal,
    weak_network_unmet: HoursTotal,
}

impl AddAssign for UnmetPart {
    fn add_assign(&mut self, other: UnmetPart) {
        self.household += other.household;
        self.formal += other.formal;
        for (sum, hours) in self.formal_by_task.iter_mut().zip(other.formal_by_task) {
            *sum += hours;
        }
        self.unmet += other.unmet;
        self.unmet_weeks += other.unmet_weeks;
        self.isolated_unmet += other.isolated_unmet;
        self.weak_network_unmet += other.weak_network_unmet;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::Hours;
    use crate::kinds::TieKind;
    use crate::model::needs::Episode;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    #[test]
    fn an_ended_long_term_need_is_reported_and_its_case_dropped() {
        let scenario = tiny_scenario(4);
        let people = tiny_people(4);
        let needs = NeedModel::new(
            &scenario.needs,
            &scenario.population.mortality,
            scenario.seed,
        );
        let mut calendar = OnsetCalendar::new(&needs, &people, 0);
        let mut cases = vec![
            case_in_need(PersonId(0), 5.0),
            case_in_need(PersonId(2), 5.0),
        ];
        cases[0].episodes[EpisodeKind::LongTerm.index()] = Some(Episode {
            kind: EpisodeKind::LongTerm,
            weekly: Hours::from_f64(5.0),
            start_week: 0,
            end_week: 10,
        });
        assert!(end_episodes_of(&mut cases, 9).is_empty());
        assert_eq!(end_episodes_of(&mut cases, 10), vec![0]);
        start_onsets(&needs, &mut calendar, &people, &mut cases, 10);
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].person, PersonId(2));
    }

    #[test]
    fn the_week_opens_with_full_demand_and_counts_need_and_isolation() {
        let scenario = tiny_scenario(4);
        let people = tiny_people(4);
        let needs = NeedModel::new(
            &scenario.needs,
            &scenario.population.mortality,
            scenario.seed,
        );
        // 0 has a partner tie of trust 0.8; 2 has no tie at all.
        let network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
        let mut cases = vec![
            case_in_need(PersonId(0), 5.0),
            case_in_need(PersonId(2), 5.0),
        ];
        let mut tally = WeekTally::new(0, 1);
        let week = Week::new(&scenario, &people, 3, &[]);
        open_week(&week, &needs, &network, &mut cases, &mut tally);
        assert_eq!(cases[0].usable_ties, 1);
        assert!(!cases[0].isolated && cases[1].isolated);
        assert!(cases[1].weak_network, "the fewest usable ties");
        let weekly = demand_of(&needs, &cases[0].episodes);
        assert_eq!(cases[0].demand, weekly);
        assert_eq!(tally.need.0, 2 * u64::from(cases[0].hours.need.0));
        assert_eq!(tally.isolated_in_need, 1);
        count_unmet(&cases, &mut tally);
        assert_eq!(tally.unmet, tally.need, "nobody helped");
        assert_eq!(tally.residents_with_unmet_need, 2);
    }
}
