//! A resident in need: their episodes, what is left of this week's demand, their
//! standing with the district team and who helped them lately.

use super::formal::FormalStatus;
use super::needs::{Demand, Episodes};
use crate::hours::{Hours, TaskHours};
use crate::ids::{NeighbourhoodId, PersonId, TieId};
use crate::kinds::{EpisodeKind, PerTask, Task};

/// Help received lately, kept for the involvement window of formal intakes and for
/// returning favours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecentHelp {
    pub helper: PersonId,
    /// The tie it came over; `None` for a volunteer tie made this week and not yet
    /// in the network, and for the household partner.
    pub tie: Option<TieId>,
    pub week: u32,
    pub hours: Hours,
}

/// This week's need and where its hours went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeekHours {
    pub need: Hours,
    pub household: Hours,
    pub formal: Hours,
    /// `formal` by task, for pricing (docs/ODD.md §9.12).
    pub formal_by_task: TaskHours,
    /// The part of `formal` given under the Wlz (docs/ODD.md §7.10.23).
    pub long_term_care: Hours,
    /// The part of `formal` given as respite for a burdened partner
    /// (docs/ODD.md §7.10.22): not the district team's own care, so not
    /// what a review of the client's hours starts from.
    pub respite: Hours,
    pub informal: Hours,
}

/// A resident with at least one need episode.
#[derive(Debug, Clone)]
pub struct Case {
    pub person: PersonId,
    pub neighbourhood: NeighbourhoodId,
    pub episodes: Episodes,
    /// Demand still open this week.
    pub demand: Demand,
    pub hours: WeekHours,
    pub formal: FormalStatus,
    /// Consecutive weeks with long-term need unmet (the clock of applying).
    pub unmet_weeks: u32,
    /// Position in this week's walk along each group's help-seeking norm
    /// (one group unless tasks have norms of their own, docs/ODD.md §7.10.5).
    pub walk: PerTask<u32>,
    pub walk_done: PerTask<bool>,
    pub helpers: Vec<RecentHelp>,
    /// No tie of usable trust this week.
    pub isolated: bool,
    /// Ties of usable trust this week.
    pub usable_ties: u32,
    /// Among the fifth of this week's residents in need with the fewest usable
    /// ties (a small or weak network, De Lange).
    pub weak_network: bool,
    /// The tasks asked for this week: a task asked again after a refusal is
    /// the same request, not new hours asked.
    pub asked_this_week: PerTask<bool>,
    /// Of each task asked this week, the hours the resident named and has not
    /// yet been given (docs/ODD.md §7.10.5); read only once the task was asked.
    pub named_left: TaskHours,
    /// Tasks of the long-term need that helpers took on (docs/ODD.md §7.10.5).
    pub taken_on: Vec<super::asking::TakenOn>,
    /// The relative who carries the long-term need (docs/ODD.md §7.10.21).
    pub main_carer: Option<super::main_carer::MainCarer>,
    /// The week from which the long-term need is cared for under the Wlz:
    /// its intake with the district team plus the indication's weeks
    /// (docs/ODD.md §7.10.23); none before such an intake.
    pub wlz_from: Option<u32>,
}

impl Case {
    pub fn new(person: PersonId, neighbourhood: NeighbourhoodId) -> Case {
        Case {
            person,
            neighbourhood,
            episodes: [None; EpisodeKind::COUNT],
            demand: [[Hours::ZERO; Task::COUNT]; EpisodeKind::COUNT],
            hours: WeekHours::default(),
            formal: FormalStatus::None,
            unmet_weeks: 0,
            walk: [0; Task::COUNT],
            walk_done: [false; Task::COUNT],
            helpers: Vec::new(),
            isolated: false,
            usable_ties: 0,
            weak_network: false,
            asked_this_week: [false; Task::COUNT],
            named_left: [Hours::ZERO; Task::COUNT],
            taken_on: Vec::new(),
            main_carer: None,
            wlz_from: None,
        }
    }

    pub fn has_episode(&self, kind: EpisodeKind) -> bool {
        self.episodes[kind.index()].is_some()
    }

    /// Short- and long-term needs limit one's own capacity for others (by how
    /// much: `StrainParams::capacity_kept`); emergencies do not.
    pub fn limits_capacity(&self) -> bool {
        self.has_episode(EpisodeKind::ShortTerm) || self.has_episode(EpisodeKind::LongTerm)
    }

    pub fn remaining(&self, task: Task) -> Hours {
        self.demand.iter().map(|d| d[task.index()]).sum()
    }

    pub fn remaining_total(&self) -> Hours {
        self.demand.iter().flatten().copied().sum()
    }

    pub fn remaining_by_task(&self) -> TaskHours {
        let mut out = [Hours::ZERO; Task::COUNT];
        for task in Task::ALL {
            out[task.index()] = self.remaining(*task);
        }
        out
    }

    pub fn remaining_of(&self, kind: EpisodeKind) -> Hours {
        self.demand[kind.index()].iter().copied().sum()
    }

    /// Meets up to `hours` of a task's demand, emergencies first, then short-term,
    /// then long-term needs; returns what was met of each episode kind.
    pub fn take(&mut self, task: Task, hours: Hours) -> [Hours; EpisodeKind::COUNT] {
        let mut left = hours;
        let mut met = [Hours::ZERO; EpisodeKind::COUNT];
        for kind in EpisodeKind::ALL {
            let open = &mut self.demand[kind.index()][task.index()];
            let part = left.min(*open);
            *open -= part;
            left -= part;
            met[kind.index()] = part;
        }
        debug_assert!(left.is_zero(), "took more hours than the demand held");
        met
    }

    /// Meets up to `hours` of a long-term need's demand, tasks in `order`.
    pub fn take_long_term(&mut self, hours: Hours, order: &[Task]) -> Hours {
        crate::hours::total(&self.take_long_term_by_task(hours, order))
    }

    /// Meets up to `hours` of a long-term need's demand, tasks in `order`;
    /// returns what was met of each task.
    pub fn take_long_term_by_task(&mut self, hours: Hours, order: &[Task]) -> TaskHours {
        let mut left = hours;
        let mut met = [Hours::ZERO; Task::COUNT];
        for task in order {
            let open = &mut self.demand[EpisodeKind::LongTerm.index()][task.index()];
            let part = left.min(*open);
            *open -= part;
            left -= part;
            met[task.index()] += part;
        }
        met
    }

    /// Weeks the oldest episode with open demand in `task` has lasted.
    pub fn episode_weeks(&self, task: Task, week: u32) -> u32 {
        self.episodes
            .iter()
            .flatten()
            .filter(|e| !self.demand[e.kind.index()][task.index()].is_zero())
            .map(|e| e.age_weeks(week))
            .max()
            .unwrap_or(1)
    }

    /// Forgets help older than the window.
    pub fn forget_help_before(&mut self, week: u32) {
        self.helpers.retain(|h| h.week >= week);
    }

    /// Someone helped (household care or informal) since `week`.
    pub fn helped_since(&self, week: u32) -> bool {
        self.helpers.iter().any(|h| h.week >= week)
    }

    /// The helpers who gave care in at least `min_weeks` different weeks since
    /// `week`: a network that is involved, not a one-off favour.
    pub fn involved_since(&self, week: u32, min_weeks: u32) -> Vec<PersonId> {
        let mut recent: Vec<(PersonId, u32)> = self
            .helpers
            .iter()
            .filter(|h| h.week >= week)
            .map(|h| (h.helper, h.week))
            .collect();
        recent.sort_unstable();
        recent.dedup();
        recent
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|weeks| weeks.len() >= min_weeks as usize)
            .map(|weeks| weeks[0].0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case_with(demand: [[u32; 6]; 3]) -> Case {
        let mut c = Case::new(PersonId(1), NeighbourhoodId(0));
        for (k, row) in demand.iter().enumerate() {
            for (t, h) in row.iter().enumerate() {
                c.demand[k][t] = Hours(*h);
            }
        }
        c
    }

    #[test]
    fn taking_meets_emergencies_first_and_conserves_hours() {
        let mut c = case_with([
            [0, 0, 0, 0, 0, 100],
            [200, 0, 0, 0, 0, 0],
            [300, 0, 0, 0, 0, 0],
        ]);
        let before = c.remaining_total();
        let met = c.take(Task::Household, Hours(250));
        assert_eq!(met, [Hours(0), Hours(200), Hours(50)]);
        assert_eq!(c.remaining_total(), before - Hours(250));
        assert_eq!(c.remaining(Task::Household), Hours(250));
    }

    #[test]
    fn long_term_taking_follows_the_order_and_stops_at_the_demand() {
        let mut c = case_with([[0; 6], [0; 6], [100, 200, 0, 0, 50, 0]]);
        let met = c.take_long_term(Hours(1000), &[Task::PersonalCare, Task::Household]);
        assert_eq!(met, Hours(300));
        assert_eq!(c.remaining_total(), Hours(50));
    }
}
