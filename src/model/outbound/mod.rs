//! Care for parents outside the area (docs/ODD.md §7.10.19): the largest flow of
//! care across the area's boundary, from a resident of 45–64 to a parent of 80+
//! in another town.
//!
//! A resident's parents who live outside the area are outside alters. They get
//! needs on the residents' need model (same hazards, lengths and hours by age
//! band), and each week:
//!
//! 1. professionals where the parent lives meet `formal_share` of the long-term
//!    need (the area's teams do not serve them);
//! 2. the other parent, where both live, covers what they can first, as a
//!    partner does for a resident (household first);
//! 3. the rest is shared among the parent's children: the resident child is
//!    asked for their part of each task, by the same ask and give formulas as
//!    every other ask (trust, the parent's reluctance, the task's scope for kin,
//!    what is owed, the child's strain, and distance);
//! 4. what the child gives comes out of their hours for others and counts in
//!    their strain and in the carer figures, but not in the area's need: the
//!    identity need = household + informal + formal + unmet stays the
//!    residents' own;
//! 5. the child's partner, tied to the parent as a child-in-law, is asked for
//!    what the child leaves of their part of a long-term need, after every
//!    child has given, and their hours are booked as a child's are;
//! 6. a parent of 80 or older may live in a nursing home: the home gives
//!    their care, and the family's part is a need of its own, visits,
//!    company and affairs, shared among the children as any other need.
//!
//! The draws are made in parallel over parents (keyed by seed, week and parent);
//! the hours move in parent order, so a child with two parents in need serves the
//! lower-numbered first on any number of threads.

mod params;

pub use params::OutboundParams;

use rand::RngExt;
use rayon::prelude::*;

use super::asking::{AskSituation, GiveSituation, ask_chance, give_chance, weighed_debt};
use super::gift::TieChange;
use super::ledger::{CareLedger, Gift};
use super::needs::{
    Demand, Episode, Episodes, NeedModel, NeedProfile, OnsetCalendar, demand_of, end_episodes,
    merge_sorted_in_parallel, split_by_mix, start_episode,
};
use super::reciprocity::balance_seen_by;
use super::strain::{Carers, StrainParams};
use super::{TOUCH_BATCH, Week};
use crate::hours::{Hours, TaskHours};
use crate::ids::{PersonId, TieId};
use crate::kinds::{EpisodeKind, KinRelation, PerTask, Task, TieKind};
use crate::network::{KinshipParams, Network, tie_flags};
use crate::population::People;
use crate::rng::{Stream, stream};
use crate::scenario::Scenario;
use crate::tally::WeekTally;

/// A parent outside the area with a child living in it.
#[derive(Debug, Clone)]
pub struct OutsideParent {
    pub parent: PersonId,
    /// The resident child.
    pub child: PersonId,
    /// The parent–child tie.
    pub tie: TieId,
    /// The child's other parent outside the area, who lives with this one.
    pub co_parent: Option<PersonId>,
    /// Children who share the care: the resident and their siblings in touch.
    pub children: u32,
    /// The resident child's partner, tied to the parent as a child-in-law.
    pub in_law: Option<InLaw>,
    /// The parent lives in a nursing home (`[outbound] nursing_home_*`).
    pub in_nursing_home: bool,
}

/// A child's partner with a tie to the parent (docs/ODD.md §7.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InLaw {
    pub person: PersonId,
    /// The tie between the child-in-law and the parent.
    pub tie: TieId,
}

/// The need of a parent outside the area who has at least one episode or
/// lives in a nursing home. Most
/// parents have none in a given week, so the parents in need are kept apart
/// (as residents in need are cases), and a week's care visits only them.
#[derive(Debug, Clone)]
pub struct ParentNeed {
    /// The parent's place in [`OutsideParents::parents`].
    pub index: u32,
    pub episodes: Episodes,
    /// Tasks of the parent's long-term need that the child has taken on and
    /// keeps doing each week (`[outbound] committed_care`).
    pub committed: PerTask<bool>,
    /// Tasks the child's partner has taken on (`[outbound] in_law_care`).
    pub in_law_committed: PerTask<bool>,
    /// The parent lives in a nursing home: the family's visits and help are
    /// their need, every week, and episodes do not start.
    pub nursing_home: bool,
}

impl ParentNeed {
    fn new(index: usize) -> ParentNeed {
        ParentNeed {
            index: index as u32,
            episodes: [None; EpisodeKind::COUNT],
            committed: [false; Task::COUNT],
            in_law_committed: [false; Task::COUNT],
            nursing_home: false,
        }
    }

    /// A parent in a nursing home, who needs the family's part every week.
    fn in_nursing_home(index: usize) -> ParentNeed {
        ParentNeed {
            nursing_home: true,
            ..ParentNeed::new(index)
        }
    }

    fn in_need(&self) -> bool {
        self.nursing_home || self.episodes.iter().any(Option::is_some)
    }

    /// Whether the need includes tasks the child can take on for good: a
    /// long-term need, or life in a nursing home.
    fn lasts(&self) -> bool {
        self.nursing_home || self.episodes[EpisodeKind::LongTerm.index()].is_some()
    }

    /// The share of their capacity the parent keeps for others while in need
    /// (docs/ODD.md §7.10.2); `None` when no need limits it. A parent in a
    /// nursing home keeps none.
    fn capacity_kept(&self, strain: &StrainParams) -> Option<f64> {
        if self.nursing_home {
            return Some(0.0);
        }
        strain.capacity_kept_in(
            self.episodes[EpisodeKind::ShortTerm.index()].is_some(),
            self.episodes[EpisodeKind::LongTerm.index()].is_some(),
        )
    }
}

/// Every resident's parents outside the area, in parent order, those in need
/// with their episodes, and the calendar of their onsets.
pub struct OutsideParents {
    parents: Vec<OutsideParent>,
    /// Each parent's id, in the order of `parents`: [`OutsideParents::index_of`]
    /// searches these 4-byte keys rather than the 40-byte parents, whose
    /// every step was a cache miss into tens of megabytes (session 25; the
    /// ids are distinct, so it finds the same parent).
    ids: Vec<PersonId>,
    /// The parents with at least one episode or in a nursing home, by index
    /// into `parents`. A
    /// parent without one has no tasks taken on either (a task is taken on only
    /// during a long-term need, and dropped when it ends).
    in_need: Vec<ParentNeed>,
    calendar: OnsetCalendar,
}

impl OutsideParents {
    /// Nobody outside needs care (`[outbound] enabled = false`).
    pub fn none() -> OutsideParents {
        OutsideParents {
            parents: Vec::new(),
            ids: Vec::new(),
            in_need: Vec::new(),
            calendar: OnsetCalendar::empty(),
        }
    }

    /// The parents outside the area of every resident, with the long-term needs
    /// they already have and their first onsets within `horizon` weeks.
    pub fn find(
        scenario: &Scenario,
        needs: &NeedModel,
        people: &People,
        network: &Network,
        horizon: u32,
    ) -> OutsideParents {
        let parents = parents_outside(scenario, people, network);
        let in_need = parents
            .par_iter()
            .enumerate()
            .filter_map(|(index, p)| {
                if p.in_nursing_home {
                    return Some(ParentNeed::in_nursing_home(index));
                }
                let episode = needs.initial_episode(p.parent, NeedProfile::of(people, p.parent))?;
                let mut need = ParentNeed::new(index);
                start_episode(&mut need.episodes, episode);
                Some(need)
            })
            .collect();
        let persons: Vec<PersonId> = parents.iter().map(|p| p.parent).collect();
        let calendar = OnsetCalendar::for_persons(needs, people, horizon, &persons);
        OutsideParents {
            parents,
            ids: persons,
            in_need,
            calendar,
        }
    }

    /// After a turn of the year (docs/ODD.md §7.2.1): the parents outside the
    /// area found again (parents who died, or whose child left, drop out; the
    /// newcomers' parents join, with the long-term needs of their age), needs
    /// carried over, and onsets drawn afresh from `week` at the new ages. A
    /// parent who moved into a nursing home leaves their episodes behind.
    pub fn after_year(
        &mut self,
        scenario: &Scenario,
        needs: &NeedModel,
        people: &People,
        network: &Network,
        week: u32,
    ) {
        let parents = parents_outside(scenario, people, network);
        let mut in_need = Vec::new();
        for (index, p) in parents.iter().enumerate() {
            let before = self.index_of(p.parent).map(|i| (i, self.need_at(i)));
            if p.in_nursing_home {
                let mut need = ParentNeed::in_nursing_home(index);
                if let Some((i, Some(before))) = before
                    && before.nursing_home
                {
                    self.carry_over_commitments(i, before, p, &mut need);
                }
                in_need.push(need);
                continue;
            }
            let mut need = ParentNeed::new(index);
            match before {
                Some((i, before)) => {
                    let Some(before) = before else {
                        continue;
                    };
                    need.episodes = before.episodes;
                    self.carry_over_commitments(i, before, p, &mut need);
                }
                None => {
                    let who = NeedProfile::of(people, p.parent);
                    if let Some(mut episode) = needs.initial_episode(p.parent, who) {
                        episode.end_week = episode.end_week.saturating_add(week);
                        episode.start_week = week;
                        start_episode(&mut need.episodes, episode);
                    }
                }
            }
            if need.in_need() {
                in_need.push(need);
            }
        }
        let persons: Vec<PersonId> = parents.iter().map(|p| p.parent).collect();
        self.calendar.restart(needs, people, week, &persons);
        self.parents = parents;
        self.ids = persons;
        self.in_need = in_need;
    }

    /// The tasks taken on last year stay taken on by the same child, and by
    /// the same child-in-law.
    fn carry_over_commitments(
        &self,
        i: usize,
        before: &ParentNeed,
        p: &OutsideParent,
        need: &mut ParentNeed,
    ) {
        if self.parents[i].child == p.child {
            need.committed = before.committed;
        }
        if self.parents[i].in_law.is_some() && self.parents[i].in_law == p.in_law {
            need.in_law_committed = before.in_law_committed;
        }
    }

    pub fn parents(&self) -> &[OutsideParent] {
        &self.parents
    }

    /// The parents who live in a nursing home, in parent order.
    pub fn in_nursing_homes(&self) -> impl Iterator<Item = PersonId> + '_ {
        self.parents
            .iter()
            .filter(|p| p.in_nursing_home)
            .map(|p| p.parent)
    }

    /// Whether `person` is a parent outside the area who lives in a nursing home.
    pub fn is_in_nursing_home(&self, person: PersonId) -> bool {
        self.index_of(person)
            .is_some_and(|i| self.parents[i].in_nursing_home)
    }

    /// Parents in a nursing home keep no hours for others: residents who ask
    /// them get nothing (docs/ODD.md §7.10.19, step 9).
    pub fn no_hours_in_nursing_homes(&self, carers: &mut Carers) {
        for parent in self.in_nursing_homes() {
            carers.set_capacity(parent, Hours::ZERO);
        }
    }

    /// The parents with at least one episode or in a nursing home, in parent
    /// order.
    pub fn in_need(&self) -> &[ParentNeed] {
        &self.in_need
    }

    /// Ends finished episodes and starts this week's onsets: only the parents
    /// in need are visited; those with an onset join them and those left
    /// without an episode leave (in parent order, as a pass over every parent
    /// would find them).
    fn update_episodes(&mut self, needs: &NeedModel, people: &People, week: u32) {
        self.in_need.par_iter_mut().for_each(|n| {
            end_episodes(&mut n.episodes, week);
            if !n.lasts() {
                n.committed = [false; Task::COUNT];
                n.in_law_committed = [false; Task::COUNT];
            }
        });
        let starting = self.calendar.episodes_starting(needs, people, week);
        // Where each onset's parent is, looked up in parallel: the lookups
        // are cache misses, and the places do not change below (new parents
        // in need join only after the loop).
        let places: Vec<Option<(usize, Result<usize, usize>)>> = starting
            .par_iter()
            .map(|(person, _)| {
                let i = self.index_of(*person)?;
                Some((i, self.position_in_need(i)))
            })
            .collect();
        let mut joining: Vec<(u32, Episode)> = Vec::new();
        for ((_, episode), place) in starting.into_iter().zip(places) {
            match place {
                None => {}
                // In a nursing home, the home meets new needs.
                Some((_, Ok(k))) if self.in_need[k].nursing_home => {}
                Some((_, Ok(k))) => start_episode(&mut self.in_need[k].episodes, episode),
                Some((i, Err(_))) => joining.push((i as u32, episode)),
            }
        }
        // Stable: a parent's onsets start in the calendar's order.
        joining.sort_by_key(|(i, _)| *i);
        let mut joined: Vec<ParentNeed> = Vec::with_capacity(joining.len());
        for (i, episode) in joining {
            if joined.last().is_none_or(|n| n.index != i) {
                joined.push(ParentNeed::new(i as usize));
            }
            if let Some(need) = joined.last_mut() {
                start_episode(&mut need.episodes, episode);
            }
        }
        // In parallel pieces: a serial merge of the ~60,000 parents in need
        // was about 30 samples of the engine's thread in 20 weeks at the 1m
        // rung (session 29).
        merge_sorted_in_parallel(
            &mut self.in_need,
            joined,
            |n| n.index,
            ParentNeed::in_need,
            || ParentNeed::new(0),
        );
    }

    fn index_of(&self, person: PersonId) -> Option<usize> {
        self.ids.binary_search(&person).ok()
    }

    fn position_in_need(&self, index: usize) -> Result<usize, usize> {
        self.in_need
            .binary_search_by_key(&(index as u32), |n| n.index)
    }

    /// The need of the parent at `index`, if they have one.
    fn need_at(&self, index: usize) -> Option<&ParentNeed> {
        self.position_in_need(index).ok().map(|k| &self.in_need[k])
    }
}

/// Each resident's parents who live outside the area, sorted by parent.
fn parents_outside(scenario: &Scenario, people: &People, network: &Network) -> Vec<OutsideParent> {
    let mut parents: Vec<OutsideParent> = (0..people.area_residents() as u32)
        .into_par_iter()
        .flat_map_iter(|r| {
            let child = PersonId(r);
            let row = network.row(child);
            let relation = |e| network.kin_relation(child, e);
            let siblings = row
                .iter()
                .filter(|e| relation(**e) == Some(KinRelation::Sibling))
                .count() as u32;
            let outside: Vec<_> = row
                .iter()
                .filter(|e| {
                    !people.is_resident(e.other) && relation(**e) == Some(KinRelation::Parent)
                })
                .copied()
                .collect();
            let co_parent_of = |me: PersonId| {
                (outside.len() == 2).then(|| outside.iter().map(|e| e.other).find(|o| *o != me))?
            };
            let in_law_of = |parent: PersonId| {
                let person = people.partner(child)?;
                let e = network.tie_between(person, parent)?;
                (network.kin_relation(person, e) == Some(KinRelation::ParentInLaw)).then(|| InLaw {
                    person,
                    tie: e.tie(),
                })
            };
            outside
                .iter()
                .map(|e| OutsideParent {
                    parent: e.other,
                    child,
                    tie: e.tie(),
                    co_parent: co_parent_of(e.other),
                    children: 1 + siblings,
                    in_law: in_law_of(e.other),
                    in_nursing_home: lives_in_nursing_home(scenario, people, e.other),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    parents.sort_by_key(|p| p.parent);
    // An outside alter is drawn for one resident; should two residents ever
    // share one, the first child alone is kept, so no need is counted twice.
    parents.dedup_by_key(|p| p.parent);
    parents
}

/// Whether a parent lives in a nursing home this year (docs/ODD.md
/// §7.10.19, step 9): one uniform draw per parent for life, below the share
/// of their age. The shares do not fall with age, so a parent who moved in
/// stays.
fn lives_in_nursing_home(scenario: &Scenario, people: &People, parent: PersonId) -> bool {
    let share = scenario
        .outbound
        .nursing_home_share(people.age[parent.index()]);
    share > 0.0
        && stream(scenario.seed, Stream::NursingHome, u64::from(parent.0), 0).random::<f64>()
            < share
}

/// A parent's week as drawn before any hours move: what is open after the
/// professionals, and the tasks the parent asks for and the child agrees to.
///
/// Everything that does not change while the week's hours move (the parent's
/// and the other parent's need, the other parent's hours, the child's burnout,
/// the tie's length) is read here, in parallel over parents, so that moving
/// the hours, one parent after another, touches only what it changes.
struct Plan {
    /// The parent's place in [`OutsideParents::in_need`].
    index: usize,
    parent: PersonId,
    child: PersonId,
    tie: TieId,
    distance_km: f32,
    child_burnt_out: bool,
    /// The parent lives in a nursing home.
    nursing_home: bool,
    /// A burnt-out main carer who goes on with the tasks they took on, within
    /// `outbound.main_carer_extra_hours` (`behaviour.burnout_keeps_main_care`).
    carrying_on: bool,
    need: Hours,
    /// The child's share of each task: what the professionals and the other
    /// parent leave, divided among the children.
    share: TaskHours,
    /// Whether the child is the parent's main carer.
    main_carer: bool,
    asked: [bool; Task::COUNT],
    agreed: [bool; Task::COUNT],
    /// Tasks with long-term need this week, which an agreeing child takes on.
    long_term: [bool; Task::COUNT],
    /// The child's partner's draws, when they have a tie to the parent and
    /// `outbound.in_law_care` is on.
    in_law: Option<InLawPlan>,
}

/// What the child's partner is asked for and would agree to, of each task,
/// should the child leave some of their part open.
struct InLawPlan {
    person: PersonId,
    tie: TieId,
    distance_km: f32,
    /// The most they are asked for of each task ([`in_law_part`]).
    part: TaskHours,
    burnt_out: bool,
    asked: [bool; Task::COUNT],
    agreed: [bool; Task::COUNT],
}

impl Plan {
    /// Whether the child gives this week: not burnt out, or carrying on.
    fn gives(&self) -> bool {
        !self.child_burnt_out || self.carrying_on
    }
}

/// What the week's care for outside parents changes.
pub struct OutboundState<'a> {
    pub parents: &'a mut OutsideParents,
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
    pub network: &'a mut Network,
}

/// The week's care for parents outside the area.
pub fn care_for_parents(
    week: &Week,
    needs: &NeedModel,
    state: OutboundState,
    tally: &mut WeekTally,
) {
    if state.parents.parents.is_empty() {
        return;
    }
    state.parents.update_episodes(needs, week.people, week.week);
    let plans: Vec<Plan> = {
        let (parents, network, carers) = (&*state.parents, &*state.network, &*state.carers);
        parents
            .in_need
            .par_chunks(TOUCH_BATCH)
            .enumerate()
            .flat_map_iter(|(c, batch)| {
                touch_plans(week, network, carers, parents, batch);
                let first = c * TOUCH_BATCH;
                batch
                    .iter()
                    .enumerate()
                    .map(move |(i, n)| plan(week, needs, network, carers, parents, first + i, n))
            })
            .collect()
    };
    let moved = move_hours(week, &plans, state.carers);
    let by_in_laws = move_in_law_hours(&plans, &moved, state.carers);
    let hours = [moved.as_slice(), by_in_laws.as_slice()];
    let Booked { changes, gifts } = book_plans(
        week,
        &plans,
        hours,
        &mut state.parents.in_need,
        tally,
        BOOKING_PIECE,
    );
    state.ledger.note_all(gifts.into_par_iter());
    let trust = &week.scenario.behaviour.trust;
    state
        .network
        .ties
        .change_in_parallel(&changes, |before, balance, change| {
            change.apply(trust, (before, balance))
        });
}

/// Reads, for a batch of parents in need before they are planned, what
/// [`plan`] reads at random places among millions: the tie to the child (its
/// distance, trust and balance, kind and flags), the child's and the parent's traits
/// and state, the other parent's, and the child-in-law's tie and state. In one
/// pass the parents' cache misses overlap; in `plan` each waited for the one
/// before (session 25, as `asking::Round::touch_walks` does for the asking
/// walk). It only reads, so the plans are unchanged.
#[inline(never)] // a call per batch; its own frame in profiles
fn touch_plans(
    week: &Week,
    network: &Network,
    carers: &Carers,
    parents: &OutsideParents,
    batch: &[ParentNeed],
) {
    let (ties, people) = (&network.ties, week.people);
    let tie = |t: TieId| {
        let t = t.index();
        let held = ties.trust_and_balance(t);
        held.trust.to_bits()
            ^ held.balance.to_bits()
            ^ ties.distance_km[t].to_bits()
            ^ u32::from(ties.flags[t])
            ^ ties.kind[t].index() as u32
    };
    let person = |p: PersonId| {
        let p = p.index();
        carers.strain[p].to_bits()
            ^ u32::from(carers.burnt_out[p])
            ^ carers.capacity[p].0
            ^ people.helpfulness[p].to_bits()
    };
    let mut seen = 0u32;
    for n in batch {
        let p = &parents.parents[n.index as usize];
        seen ^= tie(p.tie) ^ person(p.child) ^ people.ask_reluctance[p.parent.index()].to_bits();
        seen ^= u32::from(people.age[p.child.index()]);
        if let Some(co) = p.co_parent {
            seen ^= person(co);
        }
        if let Some(in_law) = p.in_law {
            seen ^= tie(in_law.tie) ^ person(in_law.person);
        }
    }
    std::hint::black_box(seen);
}

/// The hours a child gives a parent this week, by task.
#[derive(Debug, Clone, Copy, Default)]
struct Moved {
    hours: TaskHours,
    total: Hours,
}

/// The hours each plan moves, in plan order: a child with two parents in need
/// gives to them in plan order from what is left, so the children's hours
/// move in parallel over parts of the children, each child's plans in order.
fn move_hours(week: &Week, plans: &[Plan], carers: &mut Carers) -> Vec<Moved> {
    let mut giving: Vec<(PersonId, u32)> = plans
        .iter()
        .enumerate()
        .filter(|(_, plan)| plan.gives() && plan.asked.contains(&true))
        .map(|(i, plan)| (plan.child, i as u32))
        .collect();
    // (child, plan) is unique: each child's plans stay in plan order.
    giving.par_sort_unstable();
    let extra = Hours::from_f64(week.scenario.outbound.main_carer_extra_hours);
    let moved = carers.move_hours_sorted(&giving, |left, i| {
        let plan = &plans[*i as usize];
        let extra = if plan.main_carer { extra } else { Hours::ZERO };
        let mut moved = Moved::default();
        for task in Task::ALL {
            if !plan.agreed[task.index()] {
                continue;
            }
            let hours = plan.share[task.index()].min(left + extra - moved.total);
            moved.hours[task.index()] = hours;
            moved.total += hours;
        }
        let beyond = moved.total.saturating_sub(left);
        (beyond, moved.total, moved)
    });
    let mut by_plan = vec![Moved::default(); plans.len()];
    for ((_, i), moved) in giving.iter().zip(moved) {
        by_plan[*i as usize] = moved;
    }
    by_plan
}

/// What the child leaves open of their part of each task (all of it where
/// they did not give it, the rest where they gave some), up to the part the
/// child's partner is asked for.
fn left_for_in_law(plan: &Plan, in_law: &InLawPlan, by_child: &Moved) -> TaskHours {
    let mut left = plan.share;
    for ((left, given), part) in left.iter_mut().zip(&by_child.hours).zip(&in_law.part) {
        *left = left.saturating_sub(*given).min(*part);
    }
    left
}

/// The hours each plan's child-in-law gives, after every child has given
/// (so a resident who is both gives to their own parents first): of each task
/// they agreed to, what the child left open, within their hours for others.
fn move_in_law_hours(plans: &[Plan], by_children: &[Moved], carers: &mut Carers) -> Vec<Moved> {
    let mut giving: Vec<(PersonId, u32)> = plans
        .iter()
        .enumerate()
        .filter_map(|(i, plan)| {
            let in_law = plan.in_law.as_ref()?;
            (!in_law.burnt_out && in_law.agreed.contains(&true))
                .then_some((in_law.person, i as u32))
        })
        .collect();
    giving.par_sort_unstable();
    let moved = carers.move_hours_sorted(&giving, |left, i| {
        let plan = &plans[*i as usize];
        let mut moved = Moved::default();
        if let Some(in_law) = &plan.in_law {
            let open = left_for_in_law(plan, in_law, &by_children[*i as usize]);
            for task in Task::ALL.iter().filter(|t| in_law.agreed[t.index()]) {
                let hours = open[task.index()].min(left - moved.total);
                moved.hours[task.index()] = hours;
                moved.total += hours;
            }
        }
        (Hours::ZERO, moved.total, moved)
    });
    let mut by_plan = vec![Moved::default(); plans.len()];
    for ((_, i), moved) in giving.iter().zip(moved) {
        by_plan[*i as usize] = moved;
    }
    by_plan
}

/// A parent's need this week, what professionals leave open, the draws of
/// asking and giving for each open task, and the child's share.
fn plan(
    week: &Week,
    needs: &NeedModel,
    network: &Network,
    carers: &Carers,
    parents: &OutsideParents,
    index: usize,
    n: &ParentNeed,
) -> Plan {
    let scenario = week.scenario;
    let p = &parents.parents[n.index as usize];
    let (demand, formal_share) = parent_demand(scenario, needs, n);
    let need: Hours = demand.iter().flatten().copied().sum();
    let open = open_after_professionals(formal_share, &demand);
    let long_term = demand[EpisodeKind::LongTerm.index()].map(|h| !h.is_zero());
    let mut rng = stream(
        scenario.seed,
        Stream::Outbound,
        u64::from(week.week),
        u64::from(p.parent.0),
    );
    let t = p.tie.index();
    let distance_km = network.ties.distance_km[t];
    let (share, fraction, main_carer) =
        childs_share(week, parents, carers, p, open, f64::from(distance_km));
    let child_burnt_out = carers.burnt_out[p.child.index()] > 0;
    let carrying_on = child_burnt_out
        && main_carer
        && scenario
            .behaviour
            .strain
            .carries_on_within(scenario.outbound.main_carer_extra_hours);
    let helper = Helper {
        person: p.child,
        tie: p.tie,
    };
    // A main carer carrying on through burnout takes on nothing new.
    let asks = Asks {
        open: &open,
        committed: &n.committed,
        new_asks: !carrying_on,
    };
    let (asked, agreed) = draw_asks(week, network, carers, p.parent, helper, asks, &mut rng);
    let in_law = p
        .in_law
        .filter(|_| scenario.outbound.in_law_care)
        .map(|in_law| {
            let part = in_law_part(scenario, &demand, formal_share, &share, fraction);
            plan_in_law(week, network, carers, p.parent, in_law, n, part, &mut rng)
        });
    Plan {
        index,
        parent: p.parent,
        child: p.child,
        tie: p.tie,
        distance_km,
        child_burnt_out,
        nursing_home: n.nursing_home,
        carrying_on,
        need,
        share,
        main_carer,
        asked,
        agreed,
        long_term,
        in_law,
    }
}

/// What a helper may be asked for this week: the tasks with hours `open`
/// to them, of which those `committed` are given without asking; with
/// `new_asks` off, nothing else.
struct Asks<'a> {
    open: &'a TaskHours,
    committed: &'a PerTask<bool>,
    new_asks: bool,
}

/// For each task, whether the parent asks `helper` and the helper agrees, by
/// the ask and give formulas of every other ask. Two draws per task from
/// `rng`, whatever the answers, so that one task's answer does not shift the
/// draws of the next (docs/ODD.md §7.10.19, steps 5 and 8).
fn draw_asks(
    week: &Week,
    network: &Network,
    carers: &Carers,
    parent: PersonId,
    helper: Helper,
    asks: Asks,
    rng: &mut crate::rng::StreamRng,
) -> (PerTask<bool>, PerTask<bool>) {
    let mut asked = [false; Task::COUNT];
    let mut agreed = [false; Task::COUNT];
    for task in Task::ALL {
        let (ask_draw, give_draw) = (rng.random::<f64>(), rng.random::<f64>());
        let i = task.index();
        if asks.open[i].is_zero() {
            continue;
        }
        if asks.committed[i] {
            (asked[i], agreed[i]) = (true, true);
            continue;
        }
        if !asks.new_asks {
            continue;
        }
        let (ask, give) = ask_and_give_chances(week, network, carers, parent, helper, *task);
        asked[i] = ask_draw < ask;
        agreed[i] = asked[i] && give_draw < give;
    }
    (asked, agreed)
}

/// The draws for the child's partner (docs/ODD.md §7.10.19): for each task
/// of which they may be asked a `part` ([`in_law_part`]), whether the parent
/// asks them over their own tie and they agree, by the formulas of every
/// other ask. Two draws per task, after the child's, whatever the answers.
#[allow(clippy::too_many_arguments)]
fn plan_in_law(
    week: &Week,
    network: &Network,
    carers: &Carers,
    parent: PersonId,
    in_law: InLaw,
    need: &ParentNeed,
    part: TaskHours,
    rng: &mut crate::rng::StreamRng,
) -> InLawPlan {
    let helper = Helper {
        person: in_law.person,
        tie: in_law.tie,
    };
    let asks = Asks {
        open: &part,
        committed: &need.in_law_committed,
        new_asks: true,
    };
    let (asked, agreed) = draw_asks(week, network, carers, parent, helper, asks, rng);
    InLawPlan {
        person: in_law.person,
        tie: in_law.tie,
        distance_km: network.ties.distance_km[in_law.tie.index()],
        part,
        burnt_out: carers.burnt_out[in_law.person.index()] > 0,
        asked,
        agreed,
    }
}

/// The child's share of what is `open` after the professionals: the other
/// parent covers first, the children share the rest ([`child_share`]); the
/// child's share of the whole, and whether the child is the main carer.
fn childs_share(
    week: &Week,
    parents: &OutsideParents,
    carers: &Carers,
    p: &OutsideParent,
    mut open: TaskHours,
    distance_km: f64,
) -> (TaskHours, f64, bool) {
    if let Some(co) = p.co_parent {
        let share_household = !p.in_nursing_home && !parents.is_in_nursing_home(co);
        co_parent_covers(week, parents, carers, co, share_household, &mut open);
    }
    let child_is_woman = week.people.is_woman(p.child);
    let (share, main_carer) = child_share(week.scenario, p, distance_km, child_is_woman);
    (open.map(|hours| hours.scaled(share)), share, main_carer)
}

/// What a parent asks of the family this week, by episode kind, and the share
/// of its long-term part that professionals meet. In a nursing home it is
/// the family's part of life there (`nursing_home_hours`, a lasting need of
/// its own), the home's staff giving the care; otherwise the parent's
/// episodes on the residents' need model, professionals meeting
/// `formal_share` of the long-term need.
fn parent_demand(scenario: &Scenario, needs: &NeedModel, n: &ParentNeed) -> (Demand, f64) {
    let outbound = &scenario.outbound;
    if !n.nursing_home {
        return (demand_of(needs, &n.episodes), outbound.formal_share);
    }
    let mut demand: Demand = [[Hours::ZERO; Task::COUNT]; EpisodeKind::COUNT];
    demand[EpisodeKind::LongTerm.index()] = split_by_mix(
        Hours::from_f64(outbound.nursing_home_hours),
        &outbound.nursing_home_task_mix,
    );
    (demand, 0.0)
}

/// The most the child's partner is asked for of each task: the child's part
/// of it, and without `in_law_short_needs` no more than the child's share of
/// its long-term hours that professionals (meeting `formal_share` of them)
/// leave (docs/ODD.md §7.10.19, step 8).
fn in_law_part(
    scenario: &Scenario,
    demand: &Demand,
    formal_share: f64,
    share: &TaskHours,
    fraction: f64,
) -> TaskHours {
    let outbound = &scenario.outbound;
    if outbound.in_law_short_needs {
        return *share;
    }
    let long_term = &demand[EpisodeKind::LongTerm.index()];
    let mut part = *share;
    for (part, hours) in part.iter_mut().zip(long_term) {
        let childs = hours.scaled(1.0 - formal_share).scaled(fraction);
        *part = (*part).min(childs);
    }
    part
}

/// What is open of each task after professionals met `formal_share` of the
/// long-term part.
fn open_after_professionals(formal_share: f64, demand: &Demand) -> TaskHours {
    let mut open = [Hours::ZERO; Task::COUNT];
    let professionals_leave = 1.0 - formal_share;
    for kind in EpisodeKind::ALL {
        for task in Task::ALL {
            let hours = demand[kind.index()][task.index()];
            open[task.index()] += if *kind == EpisodeKind::LongTerm {
                hours.scaled(professionals_leave)
            } else {
                hours
            };
        }
    }
    open
}

/// Whom a parent asks: the child, or the child's partner, over their tie.
#[derive(Debug, Clone, Copy)]
struct Helper {
    person: PersonId,
    tie: TieId,
}

/// The chances that the parent asks `helper` for `task`, and that the helper
/// agrees, by the ask and give formulas of every other ask.
fn ask_and_give_chances(
    week: &Week,
    network: &Network,
    carers: &Carers,
    parent: PersonId,
    helper: Helper,
    task: Task,
) -> (f64, f64) {
    let scenario = week.scenario;
    let t = helper.tie.index();
    let ties = &network.ties;
    let child = helper.person.index();
    let trust = f64::from(ties.trust(t));
    let distance_km = f64::from(ties.distance_km[t]);
    let owed = balance_seen_by(ties.balance(t), parent < helper.person).min(0.0);
    let asking = &scenario.behaviour.asking;
    let remoteness = crate::math::ln(1.0 + distance_km / asking.give.distance_scale_km);
    let scope = scenario.scope.get(TieKind::Kin, task);
    let ask = AskSituation {
        trust,
        reluctance: f64::from(week.people.ask_reluctance[parent.index()]),
        scope,
        owed_hours: weighed_debt(
            &asking.ask,
            network.is_between_generations(helper.tie),
            -f64::from(owed),
        ),
        visible_strain: f64::from(carers.strain[child]),
        emergency_remoteness: if task == Task::Emergency {
            remoteness
        } else {
            0.0
        },
    };
    let give = GiveSituation {
        kind: TieKind::Kin,
        task,
        helpfulness: f64::from(week.people.helpfulness[child]),
        helper_age: week.people.age[child],
        helper_is_woman: week.people.is_woman(helper.person),
        trust,
        strain: f64::from(carers.strain[child]),
        scope,
        distance_km,
        blended: ties.flags[t] & tie_flags::BLENDED != 0,
        unreturned_hours: 0.0,
        episode_weeks: 1.0,
    };
    (
        ask_chance(&asking.ask, &ask),
        give_chance(&asking.give, &give),
    )
}

/// Plans per piece of [`book_plans`]: a fixed number, so that the pieces
/// do not depend on the threads.
const BOOKING_PIECE: usize = 4096;

/// The tie changes and the gifts for the ledger of the week's bookings, in
/// plan order (each plan's child, then the child's partner).
#[derive(Debug, Default)]
struct Booked {
    changes: Vec<(TieId, TieChange)>,
    gifts: Vec<Gift>,
}

/// Books every plan ([`carry_out`], then [`carry_out_in_law`]) with the hours
/// the children and their partners moved (`hours`, in plan order): pieces of
/// `piece` plans book in parallel, each with its own part of the parents in
/// need (plan k is the parent in need k), its own tally (integer counts, added
/// in piece order: the same sums in any grouping) and its own lists, joined in
/// piece order. Plan by plan on the engine's thread this was about 75–95
/// samples in 20 weeks at the 1m rung on 2 threads (session 29).
fn book_plans(
    week: &Week,
    plans: &[Plan],
    [moved, by_in_laws]: [&[Moved]; 2],
    in_need: &mut [ParentNeed],
    tally: &mut WeekTally,
    piece: usize,
) -> Booked {
    debug_assert!(
        plans.len() == in_need.len() && plans.iter().enumerate().all(|(k, p)| p.index == k),
        "plan k is the parent in need k"
    );
    let parts: Vec<(WeekTally, Booked)> = plans
        .par_chunks(piece)
        .zip(moved.par_chunks(piece))
        .zip(by_in_laws.par_chunks(piece))
        .zip(in_need.par_chunks_mut(piece))
        .map(|(((plans, moved), by_in_laws), needs)| {
            // Booking counts nothing per neighbourhood.
            let mut part = WeekTally::new(tally.week, 0);
            let mut booked = Booked::default();
            let each = plans.iter().zip(moved).zip(by_in_laws).zip(needs);
            for (((plan, moved), by_in_law), need) in each {
                carry_out(week, plan, moved, need, &mut part, &mut booked);
                carry_out_in_law(week, plan, [moved, by_in_law], need, &mut part, &mut booked);
            }
            (part, booked)
        })
        .collect();
    let mut all = Booked::default();
    for (part, booked) in parts {
        tally.add_outbound_counts(&part);
        all.changes.extend(booked.changes);
        all.gifts.extend(booked.gifts);
    }
    all
}

/// Books one parent's week: the tallies, the tasks the child takes on, the
/// change to their tie, and the ledger (the hours moved in [`move_hours`]).
fn carry_out(
    week: &Week,
    plan: &Plan,
    moved: &Moved,
    need: &mut ParentNeed,
    tally: &mut WeekTally,
    booked: &mut Booked,
) {
    let scenario = week.scenario;
    let (parent, child, tie) = (plan.parent, plan.child, plan.tie);
    tally.outside_parents_in_need += 1;
    tally.outside_parent_need += plan.need;
    if !plan.gives() {
        need.committed = [false; Task::COUNT];
        return;
    }
    if !plan.asked.contains(&true) {
        return;
    }
    for task in Task::ALL {
        if plan.agreed[task.index()] {
            let hours = moved.hours[task.index()];
            tally.add_outbound(*task, plan.distance_km, hours, plan.nursing_home);
        }
    }
    if scenario.outbound.committed_care {
        take_on_long_term_tasks(need, plan);
    }
    book(booked, child, parent, tie, moved.total);
}

/// A helper who was asked: their tie's change (a refusal when they gave
/// nothing) and, when they gave, the gift in the ledger of who cared for whom.
fn book(booked: &mut Booked, helper: PersonId, parent: PersonId, tie: TieId, total: Hours) {
    if total.is_zero() {
        booked.changes.push((tie, TieChange::Refused));
        return;
    }
    let helper_is_lower = helper < parent;
    booked.changes.push((
        tie,
        TieChange::Helped {
            helper_is_lower,
            hours: total,
        },
    ));
    booked.gifts.push(Gift {
        helper,
        receiver: parent,
        tie: Some(tie),
        hours: total,
        household: false,
    });
}

/// Books what the child's partner gave: the tallies, the tasks they take on,
/// the change to their tie, and the ledger. They are asked only for what the
/// child left open, so a task the child gave in full asks nothing of them.
fn carry_out_in_law(
    week: &Week,
    plan: &Plan,
    [by_child, by_in_law]: [&Moved; 2],
    need: &mut ParentNeed,
    tally: &mut WeekTally,
    booked: &mut Booked,
) {
    let Some(in_law) = &plan.in_law else {
        return;
    };
    if in_law.burnt_out {
        need.in_law_committed = [false; Task::COUNT];
        return;
    }
    let open = left_for_in_law(plan, in_law, by_child);
    let asked = |i: usize| in_law.asked[i] && !open[i].is_zero();
    if !(0..Task::COUNT).any(asked) {
        return;
    }
    for task in Task::ALL.iter().filter(|t| asked(t.index())) {
        let i = task.index();
        if in_law.agreed[i] {
            let hours = by_in_law.hours[i];
            tally.add_outbound(*task, in_law.distance_km, hours, plan.nursing_home);
            if plan.long_term[i] && week.scenario.outbound.committed_care {
                need.in_law_committed[i] = true;
            }
        }
    }
    book(
        booked,
        in_law.person,
        plan.parent,
        in_law.tie,
        by_in_law.total,
    );
}

/// The resident child's part of what professionals and the other parent leave
/// open (docs/ODD.md §7.10.19). Research finds one child usually the main
/// carer of a parent (the hoofdmantelzorger), not siblings sharing alike: the
/// resident is the main carer with chance `1 / children`, drawn once per
/// parent and child, and is then asked for `main_carer_share`; otherwise for
/// an equal part of the rest. Over the children the parts add up to the whole.
/// With `main_carer_nearest` the chance is that of living nearest the parent
/// instead ([`chance_of_being_nearest`]). Returns the share and whether the
/// resident is the main carer (an only child always is, without main carers
/// nobody is).
fn child_share(
    scenario: &Scenario,
    p: &OutsideParent,
    distance_km: f64,
    child_is_woman: bool,
) -> (f64, bool) {
    let outbound = &scenario.outbound;
    if !outbound.shared_with_siblings || p.children <= 1 {
        return (1.0, outbound.main_carer);
    }
    let children = f64::from(p.children);
    if !outbound.main_carer {
        return (1.0 / children, false);
    }
    let mut rng = stream(
        scenario.seed,
        Stream::MainCarer,
        u64::from(p.parent.0),
        u64::from(p.child.0),
    );
    let chance = if outbound.main_carer_nearest {
        chance_of_being_nearest(&scenario.kinship, distance_km, p.children)
    } else if outbound.main_carer_daughter_weight == 1.0 {
        1.0 / children
    } else {
        chance_by_sex(
            p.children,
            child_is_woman,
            outbound.main_carer_daughter_weight,
        )
    };
    if rng.random::<f64>() < chance {
        (outbound.main_carer_share, true)
    } else {
        ((1.0 - outbound.main_carer_share) / (children - 1.0), false)
    }
}

/// The chance that a child is their parent's main carer when a daughter is
/// `daughter_weight` times as likely to be it as a son, and the sexes of the
/// `children − 1` siblings, which the model does not hold, are even chances:
/// the own weight over all the children's, averaged over the number of
/// daughters among the siblings (binomial). Averaged over the child's own
/// sex it is `1 / children`, so sex moves who cares, not how many do.
pub(crate) fn chance_by_sex(children: u32, woman: bool, daughter_weight: f64) -> f64 {
    let siblings = children.saturating_sub(1) as i32;
    let own = if woman { daughter_weight } else { 1.0 };
    let mut ways = 1.0; // siblings choose daughters, by Pascal's rule
    let mut chance = 0.0;
    for daughters in 0..=siblings {
        let weights =
            own + f64::from(daughters) * daughter_weight + f64::from(siblings - daughters);
        chance += ways * own / weights;
        ways = ways * f64::from(siblings - daughters) / f64::from(daughters + 1);
    }
    chance / 2f64.powi(siblings)
}

/// The chance that a child living `distance_km` from their parent lives
/// nearer than each of their `children − 1` siblings, whose distances the
/// model does not hold and takes from the same family-distance law
/// (`kinship.family_distance_*`, log-normal): `(1 − F(d))^(children − 1)`.
/// Averaged over distances drawn from that law it is `1 / children`, the
/// chance without nearness, but it goes to the child nearby (CBS 2024:
/// children who live near care most often and most intensively).
fn chance_of_being_nearest(kinship: &KinshipParams, distance_km: f64, children: u32) -> f64 {
    kinship
        .family_distance_beyond(distance_km)
        .powi(children.saturating_sub(1) as i32)
}

/// A child who agreed to a task of the parent's long-term need keeps doing it
/// each week: care for a parent is a routine the child grows into, not a
/// favour asked anew each week (docs/ODD.md §7.10.19).
fn take_on_long_term_tasks(parent: &mut ParentNeed, plan: &Plan) {
    for task in Task::ALL {
        let i = task.index();
        if plan.agreed[i] && plan.long_term[i] {
            parent.committed[i] = true;
        }
    }
}

/// The other parent covers what they can first, with their hours for others
/// plus, when they `share_household` with the one in need, the extra hours
/// partners keep for each other (a share of them when in need themselves),
/// as household first does for residents; a parent in a nursing home no
/// longer shares the household, and a co-parent in one keeps no hours.
/// Their household lies outside the model's accounts: it takes nothing from
/// what they give residents and adds nothing to their strain.
fn co_parent_covers(
    week: &Week,
    parents: &OutsideParents,
    carers: &Carers,
    co: PersonId,
    share_household: bool,
    open: &mut TaskHours,
) {
    let b = &week.scenario.behaviour;
    let c = co.index();
    if carers.burnt_out[c] > 0 {
        return;
    }
    // In need themselves, the other parent keeps the share of their hours for
    // others that a resident in the same need keeps, and of the extra hours
    // partners keep for each other what a resident partner in need keeps
    // (docs/ODD.md §7.10.2, §7.10.3).
    let kept = parents
        .index_of(co)
        .and_then(|i| parents.need_at(i))
        .and_then(|need| need.capacity_kept(&b.strain));
    let own_share = kept.unwrap_or(1.0);
    let extra_share = match (share_household, kept) {
        (false, _) => 0.0,
        (true, Some(_)) => b.strain.capacity_in_need_share,
        (true, None) => 1.0,
    };
    let mut can = carers.capacity[c].scaled(own_share)
        + Hours::from_f64(b.household.partner_extra_hours * extra_share);
    let covered = &week.scenario.outbound.co_parent_tasks;
    for task in Task::ALL.iter().filter(|task| covered.contains(task)) {
        let part = open[task.index()].min(can);
        open[task.index()] -= part;
        can -= part;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::interventions::policies;

    /// Plans booked in pieces in parallel give what booking them one by one
    /// gives, for any piece size: the tallies, the parents' commitments and
    /// the tie changes and gifts in plan order (children who give, refuse,
    /// are burnt out or carry on; partners who give, refuse or are burnt out).
    #[test]
    fn plans_booked_in_pieces_equal_plans_booked_one_by_one() {
        let scenario = tiny_scenario(40);
        let people = tiny_people(40);
        let week = Week::new(&scenario, &people, 5, &[]);
        let h = |x: u32| Hours(x % 400);
        let tasks = |i: u32, k: u32| std::array::from_fn(|t| (i + t as u32 * k).is_multiple_of(3));
        let (mut plans, mut moved, mut by_in_laws) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..300u32 {
            let in_law = (!i.is_multiple_of(4)).then(|| InLawPlan {
                person: PersonId(i % 40),
                tie: TieId(1000 + i),
                distance_km: (i % 50) as f32 * 3.1,
                part: std::array::from_fn(|t| h(i * 3 + t as u32 * 11)),
                burnt_out: i.is_multiple_of(7),
                asked: tasks(i, 1),
                agreed: tasks(i, 2),
            });
            plans.push(Plan {
                index: i as usize,
                parent: PersonId(100 + i),
                child: PersonId((i * 7) % 40),
                tie: TieId(i),
                distance_km: (i % 90) as f32 * 2.3,
                child_burnt_out: i.is_multiple_of(5),
                nursing_home: i.is_multiple_of(6),
                carrying_on: i.is_multiple_of(10),
                need: h(i * 13),
                share: std::array::from_fn(|t| h(i * 5 + t as u32 * 17)),
                main_carer: i.is_multiple_of(2),
                asked: tasks(i, 5),
                agreed: tasks(i, 4),
                long_term: tasks(i, 7),
                in_law,
            });
            let hours: TaskHours = std::array::from_fn(|t| h(i * 11 + t as u32 * 29));
            moved.push(Moved {
                hours,
                total: hours.iter().copied().sum(),
            });
            let hours: TaskHours = std::array::from_fn(|t| h(i * 19 + t as u32 * 3));
            by_in_laws.push(Moved {
                hours,
                total: if i.is_multiple_of(9) {
                    Hours::ZERO
                } else {
                    hours.iter().copied().sum()
                },
            });
        }
        let needs = || -> Vec<ParentNeed> { (0..300).map(ParentNeed::new).collect() };
        let book = |piece| {
            let (mut in_need, mut tally) = (needs(), WeekTally::new(5, 2));
            let hours = [moved.as_slice(), by_in_laws.as_slice()];
            let booked = book_plans(&week, &plans, hours, &mut in_need, &mut tally, piece);
            (format!("{booked:?}"), format!("{in_need:?}"), tally)
        };
        let one_by_one = book(plans.len());
        assert!(one_by_one.2.outbound.0 > 0 && one_by_one.2.outbound_nursing_home.0 > 0);
        assert!(one_by_one.1.contains("committed: [true"));
        for piece in [1, 3, 64, 299, 4096] {
            assert!(book(piece) == one_by_one, "piece {piece}");
        }
    }
    use crate::model::needs::Episode;
    use crate::model::strain::next_strain;
    use crate::model::testing::{kin_tie, tiny_people, tiny_scenario};
    use crate::network::NewTie;
    use crate::population::{OutsideAlter, OutsideAlters, Traits};
    use crate::scenario::Scenario;

    /// Residents 0–3 (couples 0–1 and 2–3); resident 0's parents live outside
    /// (persons 4 and 5, aged 84, together), and resident 2 is 0's sibling.
    struct Family {
        scenario: Scenario,
        people: People,
        network: Network,
        carers: Carers,
        ledger: CareLedger,
    }

    /// An outside parent's traits, as [`tiny_people`] gives residents: 10
    /// hours a week for others, middling helpfulness, reluctance and trust.
    fn middling_traits() -> Traits {
        Traits {
            capacity: 10.0,
            helpfulness: 0.5,
            ask_reluctance: 0.5,
            formal_trust: 0.5,
        }
    }

    /// A kin tie 40 km long (parents and siblings outside the area).
    fn kin(a: u32, b: u32, relation_of_b_to_a: KinRelation) -> NewTie {
        kin_tie(a, b, relation_of_b_to_a, 40.0)
    }

    impl Family {
        fn new(both_parents: bool) -> Family {
            Family::with_in_law(both_parents, false)
        }

        /// With `in_law`, resident 1 (resident 0's partner) has a tie with
        /// parent 4 as a child-in-law.
        fn with_in_law(both_parents: bool, in_law: bool) -> Family {
            let mut scenario = tiny_scenario(4);
            // Asked and agreed to for certain: the tests follow the hours.
            scenario.behaviour.asking.ask.base = 30.0;
            scenario.behaviour.asking.give.base = 30.0;
            scenario.outbound.formal_share = 0.25;
            // Siblings share alike here; the main carer has tests of its own.
            scenario.outbound.main_carer = false;
            // At home; nursing homes have tests of their own.
            scenario.outbound.nursing_home_share_80_89 = 0.0;
            scenario.outbound.nursing_home_share_90_plus = 0.0;
            let mut people = tiny_people(4);
            let mut alters = OutsideAlters::default();
            let traits = middling_traits();
            let parents = if both_parents { 2 } else { 1 };
            for _ in 0..parents {
                alters.push(OutsideAlter {
                    position: [40.0, 0.0],
                    age: 84,
                    traits,
                    woman: None,
                });
            }
            people.append_outside(alters);
            let mut ties = vec![
                kin(0, 2, KinRelation::Sibling),
                kin(0, 4, KinRelation::Parent),
            ];
            if both_parents {
                ties.push(kin(0, 5, KinRelation::Parent));
            }
            if in_law {
                ties.push(kin(1, 4, KinRelation::ParentInLaw));
            }
            let network = Network::from_ties(people.len(), &ties);
            let mut carers = Carers::new(&people, vec![0.0; people.len()]);
            carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
            Family {
                scenario,
                people,
                network,
                carers,
                ledger: CareLedger::new(4),
            }
        }

        /// Resident 0's outside parents, parent 4 with a long-term need of
        /// `hours` a week.
        fn parents(&self, hours: f64) -> OutsideParents {
            let parents = parents_outside(&self.scenario, &self.people, &self.network);
            let mut need = ParentNeed::new(0);
            need.episodes[EpisodeKind::LongTerm.index()] = Some(Episode {
                kind: EpisodeKind::LongTerm,
                weekly: Hours::from_f64(hours),
                start_week: 0,
                end_week: 100,
            });
            let ids = parents.iter().map(|p| p.parent).collect();
            OutsideParents {
                parents,
                ids,
                in_need: vec![need],
                calendar: OnsetCalendar::empty(),
            }
        }

        /// The need model of the family's scenario.
        fn needs(&self) -> NeedModel {
            NeedModel::new(
                &self.scenario.needs,
                &self.scenario.population.mortality,
                self.scenario.seed,
            )
        }

        /// Every parent aged 80 or older lives in a nursing home.
        fn all_old_parents_in_homes(&mut self) {
            self.scenario.outbound.nursing_home_share_80_89 = 1.0;
            self.scenario.outbound.nursing_home_share_90_plus = 1.0;
        }

        /// One week of care for `parents`: the week's tally.
        fn week(&mut self, parents: &mut OutsideParents) -> WeekTally {
            self.week_number(parents, 0)
        }

        fn week_number(&mut self, parents: &mut OutsideParents, number: u32) -> WeekTally {
            let needs = self.needs();
            let policies = policies(&self.scenario, Some(0));
            let week = Week::new(&self.scenario, &self.people, number, &policies);
            let mut tally = WeekTally::new(0, 1);
            let state = OutboundState {
                parents,
                carers: &mut self.carers,
                ledger: &mut self.ledger,
                network: &mut self.network,
            };
            care_for_parents(&week, &needs, state, &mut tally);
            tally
        }
    }

    /// Resident 0's parents with parent 4 (aged 84) in a nursing home, as
    /// the engine finds them.
    fn in_nursing_home(family: &mut Family) -> OutsideParents {
        family.all_old_parents_in_homes();
        // Parent 5 at home, in their seventies.
        if family.people.len() > 5 {
            family.people.age[5] = 75;
        }
        let needs = family.needs();
        let parents = OutsideParents::find(
            &family.scenario,
            &needs,
            &family.people,
            &family.network,
            100,
        );
        parents.no_hours_in_nursing_homes(&mut family.carers);
        family.carers.start_week(&[], &StrainParams::keeping(1.0));
        parents
    }

    /// The week's outbound hours are `hours`, within `tolerance`.
    fn assert_outbound(tally: &WeekTally, hours: f64, tolerance: f64) {
        let outbound = tally.outbound.as_f64();
        assert!(
            (outbound - hours).abs() < tolerance,
            "{outbound} h, not {hours}"
        );
    }

    fn parent_of(children: u32, parent: u32, child: u32) -> OutsideParent {
        OutsideParent {
            parent: PersonId(parent),
            child: PersonId(child),
            tie: TieId(0),
            co_parent: None,
            children,
            in_law: None,
            in_nursing_home: false,
        }
    }

    #[test]
    fn one_of_three_siblings_is_the_main_carer_and_the_parts_add_up() {
        let scenario = tiny_scenario(4);
        assert_eq!(scenario.outbound.main_carer_share, 0.7);
        assert_eq!(
            child_share(&scenario, &parent_of(1, 9, 0), 5.0, false),
            (1.0, true),
            "an only child"
        );
        let draws: Vec<(f64, bool)> = (0..3000)
            .map(|i| child_share(&scenario, &parent_of(3, 10_000 + i, i), 5.0, false))
            .collect();
        let part = |d: &(f64, bool), share: f64| (d.0 - share).abs() < 1e-12;
        assert!(
            draws
                .iter()
                .all(|d| (d.1 && part(d, 0.7)) || (!d.1 && part(d, 0.15)))
        );
        let main = draws.iter().filter(|d| d.1).count();
        // Binomial(3000, 1/3): sd 26.
        assert!((main as f64 - 1000.0).abs() < 100.0, "{main} main carers");
        let again = child_share(&scenario, &parent_of(3, 10_000, 0), 5.0, false);
        assert_eq!(again, draws[0], "drawn once per parent and child");
        let mut equal = scenario.clone();
        equal.outbound.main_carer = false;
        assert_eq!(
            child_share(&equal, &parent_of(4, 9, 0), 5.0, false),
            (0.25, false)
        );
    }

    /// docs/ODD.md §7.10.19: with daughters more likely than sons to be the
    /// main carer, a daughter's chance is above `1 / children` and a son's
    /// below, their mean is `1 / children`, and a weight of 1 is no difference.
    #[test]
    fn daughters_are_main_carers_more_often_and_the_chances_average_one_in_n() {
        for children in 2..6u32 {
            let n = f64::from(children);
            let daughter = chance_by_sex(children, true, 2.0);
            let son = chance_by_sex(children, false, 2.0);
            assert!(
                daughter > 1.0 / n && son < 1.0 / n,
                "{children}: {daughter}, {son}"
            );
            assert!(((daughter + son) / 2.0 - 1.0 / n).abs() < 1e-12);
            assert!((chance_by_sex(children, true, 1.0) - 1.0 / n).abs() < 1e-12);
        }
        // Two children: a daughter with a sister (1/2) or a brother (2/3).
        assert!((chance_by_sex(2, true, 2.0) - (0.5 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        let mut scenario = Scenario::default();
        scenario.outbound.main_carer_daughter_weight = 3.0;
        let drawn = |woman| {
            (0..4000u32)
                .filter(|i| child_share(&scenario, &parent_of(3, 10_000 + i, *i), 5.0, woman).1)
                .count()
        };
        let (daughters, sons) = (drawn(true), drawn(false));
        assert!(daughters > sons + 400, "{daughters} daughters, {sons} sons");
    }

    /// With `main_carer_nearest` (docs/ODD.md §7.10.19) the main carer is the
    /// child who lives nearest: a child at the family distance's median is
    /// nearer than each sibling with chance 1/2, so with three children 1/4; the
    /// chances over children at distances drawn from the law average 1/n; and
    /// the nearer child is the main carer more often.
    #[test]
    fn the_nearest_child_is_the_main_carer_when_nearness_decides() {
        let mut scenario = tiny_scenario(4);
        scenario.outbound.main_carer_nearest = true;
        let kinship = scenario.kinship.clone();
        let median = kinship.family_distance_median_km;
        assert!((chance_of_being_nearest(&kinship, median, 3) - 0.25).abs() < 1e-12);
        assert_eq!(chance_of_being_nearest(&kinship, median, 1), 1.0);
        let mut rng = stream(7, Stream::MainCarer, 0, 0);
        let n = 20_000;
        let mean: f64 = (0..n)
            .map(|_| chance_of_being_nearest(&kinship, kinship.draw_family_distance(&mut rng), 3))
            .sum::<f64>()
            / f64::from(n);
        assert!((mean - 1.0 / 3.0).abs() < 0.01, "{mean}");
        let main_at = |distance_km: f64| {
            (0..3000)
                .filter(|i| {
                    child_share(&scenario, &parent_of(3, 10_000 + i, *i), distance_km, false).1
                })
                .count()
        };
        let (near, far) = (main_at(1.0), main_at(50.0));
        assert!(near > 1500 && far < 300, "near {near}, far {far}");
    }

    #[test]
    fn a_main_carer_gives_beyond_their_hours_for_others_and_strains_for_it() {
        let mut family = Family::new(false);
        family.scenario.outbound.main_carer = true;
        family.scenario.outbound.main_carer_extra_hours = 8.0;
        family.scenario.outbound.shared_with_siblings = false;
        // 40 hours, a quarter met by professionals: 30 open, of which the only
        // carer gives their 10 hours for others and 8 more.
        let mut parents = family.parents(40.0);
        let tally = family.week(&mut parents);
        assert_outbound(&tally, 18.0, 0.01);
        assert_eq!(family.carers.given[0], Hours::from_f64(18.0));
        assert_eq!(family.carers.available[0], Hours::from_f64(10.0));
        assert_eq!(family.carers.left[0], Hours::ZERO);
        let strain = &family.scenario.behaviour.strain;
        let beyond = next_strain(strain, 0.0, Hours::from_f64(18.0), Hours::from_f64(10.0));
        let within = next_strain(strain, 0.0, Hours::from_f64(10.0), Hours::from_f64(10.0));
        assert!(beyond > within, "{beyond} > {within}");
        family.scenario.outbound.main_carer_extra_hours = 0.0;
        let mut parents = family.parents(40.0);
        family
            .carers
            .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        let tally = family.week(&mut parents);
        assert_outbound(&tally, 10.0, 0.01);
    }

    #[test]
    fn a_residents_parents_outside_are_found_with_the_co_parent_and_siblings() {
        let family = Family::new(true);
        let parents = parents_outside(&family.scenario, &family.people, &family.network);
        let found: Vec<_> = parents
            .iter()
            .map(|p| (p.parent, p.child, p.co_parent, p.children))
            .collect();
        assert_eq!(
            found,
            [
                (PersonId(4), PersonId(0), Some(PersonId(5)), 2),
                (PersonId(5), PersonId(0), Some(PersonId(4)), 2),
            ]
        );
    }

    #[test]
    fn the_child_gives_their_share_of_what_professionals_leave() {
        let mut family = Family::new(false);
        let mut parents = family.parents(4.0);
        let tally = family.week(&mut parents);
        // 4 hours, a quarter met by professionals, half of the rest for each of
        // two children.
        assert_outbound(&tally, 1.5, 0.05);
        assert!((tally.outside_parent_need.as_f64() - 4.0).abs() < 0.01);
        assert_eq!(tally.outside_parents_in_need, 1);
        assert!(
            tally.need.as_f64() == 0.0 && tally.informal.as_f64() == 0.0,
            "the area's own accounts hold the residents' need only"
        );
        assert_eq!(family.carers.given[0].as_f64(), tally.outbound.as_f64());
        let strain = vec![0.0; 6];
        family.ledger.close_week(true, &strain, 1.0, |_, _| None);
        assert_eq!(family.ledger.outside_household_weeks[0], 1, "a carer");

        family.scenario.outbound.shared_with_siblings = false;
        let mut alone = family.parents(4.0);
        family
            .carers
            .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        let tally = family.week(&mut alone);
        assert_outbound(&tally, 3.0, 0.05);
    }

    #[test]
    fn a_child_keeps_the_tasks_they_took_on_until_the_need_ends() {
        for committed_care in [true, false] {
            let mut family = Family::new(false);
            family.scenario.outbound.committed_care = committed_care;
            let mut parents = family.parents(4.0);
            let first = family.week(&mut parents);
            assert!(first.outbound.as_f64() > 1.0, "{:?}", first.outbound);
            // From now on nobody would ask or agree anew.
            family.scenario.behaviour.asking.ask.base = -30.0;
            family.scenario.behaviour.asking.give.base = -30.0;
            family
                .carers
                .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
            let second = family.week_number(&mut parents, 1);
            if committed_care {
                assert_eq!(second.outbound, first.outbound, "the same tasks, each week");
            } else {
                assert_eq!(second.outbound.as_f64(), 0.0, "asked anew, and refused");
            }
        }

        let mut family = Family::new(false);
        let mut parents = family.parents(4.0);
        family.week(&mut parents);
        assert!(parents.in_need[0].committed.contains(&true));
        parents.in_need[0].episodes[EpisodeKind::LongTerm.index()]
            .as_mut()
            .expect("a long-term need")
            .end_week = 2;
        family
            .carers
            .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        let after = family.week_number(&mut parents, 2);
        assert_eq!(after.outbound.as_f64(), 0.0);
        assert!(parents.in_need.is_empty(), "the need ended");

        // A short-term need goes on: the parent stays in need, the tasks of
        // the long-term need are dropped.
        let mut family = Family::new(false);
        let mut parents = family.parents(4.0);
        family.week(&mut parents);
        let need = &mut parents.in_need[0];
        need.episodes[EpisodeKind::LongTerm.index()]
            .as_mut()
            .expect("a long-term need")
            .end_week = 2;
        need.episodes[EpisodeKind::ShortTerm.index()] = Some(Episode {
            kind: EpisodeKind::ShortTerm,
            weekly: Hours::from_f64(2.0),
            start_week: 1,
            end_week: 5,
        });
        family
            .carers
            .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        family.week_number(&mut parents, 2);
        assert_eq!(parents.in_need.len(), 1);
        assert!(!parents.in_need[0].committed.contains(&true));
    }

    /// The parents in need, kept apart week by week, are exactly those a pass
    /// over every parent finds with an episode, with the same episodes.
    #[test]
    fn the_parents_in_need_are_those_a_pass_over_everyone_finds() {
        let mut scenario = tiny_scenario(40);
        scenario.needs.emergency_per_year = [12.0; 4];
        scenario.needs.short_term_per_year = [6.0; 4];
        scenario.needs.long_term_per_year = [3.0; 4];
        // Parents of 84 in a nursing home would be in need every week.
        scenario.outbound.nursing_home_share_80_89 = 0.0;
        scenario.outbound.nursing_home_share_90_plus = 0.0;
        let needs = NeedModel::new(
            &scenario.needs,
            &scenario.population.mortality,
            scenario.seed,
        );
        let mut people = tiny_people(40);
        let mut alters = OutsideAlters::default();
        let traits = middling_traits();
        for _ in 0..40 {
            alters.push(OutsideAlter {
                position: [40.0, 0.0],
                age: 84,
                traits,
                woman: None,
            });
        }
        people.append_outside(alters);
        // Residents 0..20 have one parent outside each (40 + r), residents
        // 20..40 none; parents 60..80 have no child in the area.
        let ties: Vec<NewTie> = (0..20)
            .map(|r| kin(r, 40 + r, KinRelation::Parent))
            .collect();
        let network = Network::from_ties(people.len(), &ties);
        let horizon = 200;
        let mut parents = OutsideParents::find(&scenario, &needs, &people, &network, horizon);
        assert_eq!(parents.parents().len(), 20);
        // The pass over every parent, as it was done before.
        let mut everyone: Vec<Episodes> = vec![[None; EpisodeKind::COUNT]; 20];
        for n in parents.in_need() {
            everyone[n.index as usize] = n.episodes;
        }
        let persons: Vec<PersonId> = parents.parents().iter().map(|p| p.parent).collect();
        let mut calendar = OnsetCalendar::for_persons(&needs, &people, horizon, &persons);
        let mut seen = 0;
        for week in 0..horizon {
            parents.update_episodes(&needs, &people, week);
            for episodes in everyone.iter_mut() {
                end_episodes(episodes, week);
            }
            for (person, episode) in calendar.episodes_starting(&needs, &people, week) {
                let i = persons.binary_search(&person).expect("a parent");
                start_episode(&mut everyone[i], episode);
            }
            let expected: Vec<(u32, Episodes)> = everyone
                .iter()
                .enumerate()
                .filter(|(_, e)| e.iter().any(Option::is_some))
                .map(|(i, e)| (i as u32, *e))
                .collect();
            let kept: Vec<(u32, Episodes)> = parents
                .in_need()
                .iter()
                .map(|n| (n.index, n.episodes))
                .collect();
            assert_eq!(kept, expected, "week {week}");
            seen += kept.len();
        }
        assert!(seen > 200 * 5, "many parents in need: {seen}");
    }

    #[test]
    fn a_burnt_out_child_drops_the_tasks_they_took_on() {
        let mut family = Family::new(false);
        let mut parents = family.parents(4.0);
        family.week(&mut parents);
        assert!(parents.in_need[0].committed.contains(&true));
        family
            .carers
            .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        family.carers.burnt_out[0] = 3;
        let tally = family.week_number(&mut parents, 1);
        assert_eq!(tally.outbound.as_f64(), 0.0);
        assert!(!parents.in_need[0].committed.contains(&true));
    }

    #[test]
    fn a_burnt_out_main_carer_who_carries_on_keeps_their_tasks_within_the_extra_hours() {
        let mut family = Family::new(false);
        family.scenario.outbound.main_carer = true;
        family.scenario.outbound.shared_with_siblings = false;
        family.scenario.outbound.main_carer_extra_hours = 6.0;
        family.scenario.behaviour.strain.burnout_keeps_main_care = true;
        let mut parents = family.parents(40.0);
        let first = family.week(&mut parents);
        assert_outbound(&first, 16.0, 0.01);
        let committed = parents.in_need[0].committed;
        assert!(committed.contains(&true));
        family
            .carers
            .start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        // Burnt out: no hours for others (as start_week leaves them).
        family.carers.burnt_out[0] = 3;
        family.carers.available[0] = Hours::ZERO;
        family.carers.left[0] = Hours::ZERO;
        let tally = family.week_number(&mut parents, 1);
        assert_outbound(&tally, 6.0, 0.01);
        assert_eq!(family.carers.given[0], Hours::from_f64(6.0));
        assert_eq!(parents.in_need[0].committed, committed, "kept, none new");

        // Without extra hours there is nothing to carry on with: the tasks go.
        family.scenario.outbound.main_carer_extra_hours = 0.0;
        let tally = family.week_number(&mut parents, 2);
        assert_eq!(tally.outbound.as_f64(), 0.0);
        assert!(!parents.in_need[0].committed.contains(&true));
    }

    #[test]
    fn the_other_parent_covers_first() {
        let mut family = Family::new(true);
        let mut parents = family.parents(4.0);
        let tally = family.week(&mut parents);
        assert_eq!(tally.outside_parents_in_need, 1);
        assert_eq!(
            tally.outbound.as_f64(),
            0.0,
            "the co-parent's 10 hours suffice"
        );
    }

    #[test]
    fn another_parent_in_long_term_need_covers_only_the_extra_hours_partners_keep() {
        let mut family = Family::new(true);
        family.scenario.behaviour.household.partner_extra_hours = 8.0;
        family.scenario.behaviour.strain.capacity_in_need_share = 0.25;
        family
            .scenario
            .behaviour
            .strain
            .capacity_in_long_term_need_share = 0.0;
        let mut parents = family.parents(4.0);
        let co = parents
            .index_of(PersonId(5))
            .expect("person 5 is the other parent");
        let mut co_need = ParentNeed::new(co);
        co_need.episodes[EpisodeKind::LongTerm.index()] =
            parents.in_need[0].episodes[EpisodeKind::LongTerm.index()];
        parents.in_need.push(co_need);
        let tally = family.week(&mut parents);
        // Each parent's 3 hours left after professionals: the other covers 2
        // (a quarter of 8 extra hours, none of their capacity), and the
        // resident gives half of the last hour, their sibling the other half.
        assert_eq!(tally.outside_parents_in_need, 2);
        assert_outbound(&tally, 1.0, 0.02);
    }

    #[test]
    fn a_task_the_other_parent_covers_twice_is_a_problem_of_the_scenario() {
        let mut scenario = Scenario::default();
        scenario.outbound.co_parent_tasks = vec![Task::Transport, Task::Transport];
        let text = format!("{:?}", crate::scenario::validate(&scenario));
        assert!(text.contains("outbound.co_parent_tasks"), "{text}");
        assert!(text.contains("listed twice"), "{text}");
        assert!(crate::scenario::validate(&Scenario::default()).is_empty());
    }

    #[test]
    fn the_other_parent_covers_only_their_tasks() {
        let mut family = Family::new(true);
        family.scenario.outbound.co_parent_tasks = vec![
            Task::Household,
            Task::PersonalCare,
            Task::Company,
            Task::Emergency,
        ];
        let mut parents = family.parents(4.0);
        let tally = family.week(&mut parents);
        // Transport and administration, 25% of the long-term mix, of the 3 hours
        // left after professionals, shared by the resident and one sibling.
        assert_outbound(&tally, 0.375, 0.02);
    }

    #[test]
    fn a_child_gives_within_their_hours_and_not_when_burnt_out() {
        let mut family = Family::new(false);
        family.carers.left[0] = Hours::from_f64(0.5);
        let mut parents = family.parents(4.0);
        let tally = family.week(&mut parents);
        assert_outbound(&tally, 0.5, 0.05);

        let mut family = Family::new(false);
        family.carers.burnt_out[0] = 2;
        let mut parents = family.parents(4.0);
        let tally = family.week(&mut parents);
        assert_eq!(tally.outbound.as_f64(), 0.0);
    }

    /// Resident 0's partner gives what resident 0 leaves of their part
    /// (docs/ODD.md §7.10.19, step 8): the rest of it when 0's hours run
    /// out, all of it when 0 is burnt out, nothing when 0 gives it all, and
    /// nothing at all without `outbound.in_law_care`.
    #[test]
    fn a_childs_partner_gives_what_the_child_leaves_of_their_part() {
        // 4 hours of need, 3 left by professionals, half of it the child's
        // part (one sibling): 1.5 hours.
        let run = |child_hours: f64, child_burnt_out: bool, in_law_care: bool| {
            let mut family = Family::with_in_law(false, true);
            family.scenario.outbound.in_law_care = in_law_care;
            family.carers.left[0] = Hours::from_f64(child_hours);
            family.carers.burnt_out[0] = u8::from(child_burnt_out) * 2;
            let mut parents = family.parents(4.0);
            assert_eq!(
                parents.parents[0].in_law.map(|i| i.person),
                Some(PersonId(1)),
                "resident 0's partner is the child-in-law"
            );
            let before = family.carers.left[1];
            let tally = family.week(&mut parents);
            let by_in_law = (before - family.carers.left[1]).as_f64();
            (tally.outbound.as_f64(), by_in_law, parents)
        };
        let (outbound, by_in_law, _) = run(0.5, false, true);
        assert!((outbound - 1.5).abs() < 0.05, "{outbound}");
        assert!((by_in_law - 1.0).abs() < 0.05, "{by_in_law}");

        let (outbound, by_in_law, parents) = run(4.0, true, true);
        assert!((by_in_law - 1.5).abs() < 0.05, "{by_in_law}");
        assert!((outbound - 1.5).abs() < 0.05, "{outbound}");
        assert!(
            parents.in_need[0].in_law_committed.contains(&true),
            "the partner took on the tasks of a long-term need"
        );
        assert!(!parents.in_need[0].committed.contains(&true));

        let (outbound, by_in_law, _) = run(4.0, false, true);
        assert!((outbound - 1.5).abs() < 0.05, "{outbound}");
        assert_eq!(by_in_law, 0.0, "the child gave their part in full");

        let (outbound, by_in_law, _) = run(0.5, false, false);
        assert!((outbound - 0.5).abs() < 0.05, "{outbound}");
        assert_eq!(by_in_law, 0.0);
    }

    /// A partner who gives nothing because the child gave all leaves their
    /// tie as it was; one who helps has it booked in the ledger as theirs.
    #[test]
    fn a_childs_partner_is_booked_only_when_asked() {
        let mut family = Family::with_in_law(false, true);
        let tie = family
            .network
            .tie_between(PersonId(1), PersonId(4))
            .map(|e| e.tie());
        let tie = tie.expect("the tie to the parent-in-law").index();
        let trust = family.network.ties.trust(tie);
        let mut parents = family.parents(4.0);
        family.week(&mut parents);
        assert_eq!(family.network.ties.trust(tie), trust);
        assert_eq!(family.network.ties.balance(tie), 0.0);

        let mut family = Family::with_in_law(false, true);
        family.carers.burnt_out[0] = 2;
        let mut parents = family.parents(4.0);
        family.week(&mut parents);
        assert!(
            family.network.ties.balance(tie) != 0.0,
            "the partner helped"
        );
        family.ledger.close_week(true, &[0.0; 6], 1.0, |_, _| None);
        assert_eq!(
            family.ledger.outside_household_weeks[1], 1,
            "the partner cared"
        );
        assert_eq!(family.ledger.outside_household_weeks[0], 0);
    }

    /// The child's partner is asked for no more than the child's share of
    /// the long-term hours professionals leave; with `in_law_short_needs`,
    /// for the child's part of the short need too.
    #[test]
    fn a_childs_partner_is_asked_for_the_long_term_part_unless_short_needs_too() {
        let run = |short_needs: bool| {
            let mut family = Family::with_in_law(false, true);
            family.scenario.outbound.in_law_short_needs = short_needs;
            family.carers.burnt_out[0] = 2;
            let mut parents = family.parents(2.0);
            parents.in_need[0].episodes[EpisodeKind::ShortTerm.index()] = Some(Episode {
                kind: EpisodeKind::ShortTerm,
                weekly: Hours::from_f64(2.0),
                start_week: 0,
                end_week: 100,
            });
            let before = family.carers.left[1];
            family.week(&mut parents);
            (before - family.carers.left[1]).as_f64()
        };
        // Half (one sibling) of 2 × 0.75 long-term hours; of that and the
        // 2 short-term hours with short needs too.
        let long_term_only = run(false);
        assert!((long_term_only - 0.75).abs() < 0.05, "{long_term_only}");
        let with_short = run(true);
        assert!((with_short - 1.75).abs() < 0.05, "{with_short}");
    }

    #[test]
    fn parents_live_in_a_nursing_home_at_the_share_of_their_age_and_stay() {
        let mut scenario = tiny_scenario(4);
        scenario.outbound.nursing_home_share_80_89 = 0.1;
        scenario.outbound.nursing_home_share_90_plus = 0.3;
        let mut people = tiny_people(4);
        let mut alters = OutsideAlters::default();
        let n = 20_000;
        for _ in 0..n {
            alters.push(OutsideAlter {
                position: [40.0, 0.0],
                age: 79,
                traits: middling_traits(),
                woman: None,
            });
        }
        people.append_outside(alters);
        let parents: Vec<PersonId> = (4..4 + n).map(PersonId).collect();
        let living_in = |people: &People| -> Vec<bool> {
            parents
                .iter()
                .map(|p| lives_in_nursing_home(&scenario, people, *p))
                .collect()
        };
        let mut seen = Vec::new();
        for age in [79, 84, 92] {
            for p in &parents {
                people.age[p.index()] = age;
            }
            seen.push(living_in(&people));
        }
        let share = |v: &[bool]| v.iter().filter(|x| **x).count() as f64 / n as f64;
        assert_eq!(share(&seen[0]), 0.0, "nobody under 80");
        // Binomial sd at n = 20,000: 0.002 and 0.003.
        assert!((share(&seen[1]) - 0.1).abs() < 0.01, "{}", share(&seen[1]));
        assert!((share(&seen[2]) - 0.3).abs() < 0.015, "{}", share(&seen[2]));
        let stayed = seen[1]
            .iter()
            .zip(&seen[2])
            .all(|(at_84, at_92)| !at_84 || *at_92);
        assert!(stayed, "a parent in a home at 84 is still there at 92");
    }

    #[test]
    fn a_parent_in_a_nursing_home_needs_the_family_every_week_and_no_episode_starts() {
        let mut family = Family::new(false);
        family.scenario.outbound.nursing_home_hours = 12.0;
        // Onsets nearly every week: the home meets them, not the family.
        family.scenario.needs.emergency_per_year = [40.0; 4];
        family.scenario.needs.short_term_per_year = [40.0; 4];
        family.scenario.needs.long_term_per_year = [40.0; 4];
        let mut parents = in_nursing_home(&mut family);
        assert!(parents.parents()[0].in_nursing_home);
        assert_eq!(parents.in_need().len(), 1);
        for week in 0..20 {
            family.carers.start_week(&[], &StrainParams::keeping(1.0));
            let tally = family.week_number(&mut parents, week);
            let need = &parents.in_need()[0];
            assert!(need.nursing_home && need.episodes.iter().all(Option::is_none));
            assert_eq!(tally.outside_parents_in_need, 1);
            assert!((tally.outside_parent_need.as_f64() - 12.0).abs() < 0.01);
            // Two children share alike; the resident gives their half, as
            // asked and agreed for certain, no professional share taken.
            assert_outbound(&tally, 6.0, 0.01);
            assert_eq!(tally.outbound_nursing_home, tally.outbound, "all to a home");
            if week == 0 {
                // Taken on: from now on the child gives unasked.
                family.scenario.behaviour.asking.ask.base = -30.0;
            }
        }
        let mix = &family.scenario.outbound.nursing_home_task_mix;
        for task in Task::ALL {
            let taken_on = parents.in_need()[0].committed[task.index()];
            assert_eq!(taken_on, mix.get(*task) > 0.0, "{task} taken on");
        }
    }

    #[test]
    fn a_childs_partner_gives_what_the_child_leaves_of_a_parent_in_a_home() {
        // The child's part is half of 30 hours; their 10 hours for others
        // leave 5, which the child's partner gives.
        let mut family = Family::with_in_law(false, true);
        family.scenario.outbound.nursing_home_hours = 30.0;
        let mut parents = in_nursing_home(&mut family);
        let tally = family.week(&mut parents);
        assert_outbound(&tally, 15.0, 0.01);
        assert_eq!(tally.outbound_nursing_home, tally.outbound);
        assert!((family.carers.given[1].as_f64() - 5.0).abs() < 0.01);
    }

    #[test]
    fn the_family_is_asked_for_the_task_mix_of_life_in_a_nursing_home() {
        let mut family = Family::new(false);
        family.scenario.outbound.nursing_home_hours = 10.0;
        let parents = in_nursing_home(&mut family);
        let needs = family.needs();
        let (demand, formal_share) = parent_demand(&family.scenario, &needs, &parents.in_need()[0]);
        assert_eq!(formal_share, 0.0, "the home's care is not the family's");
        let long_term = demand[EpisodeKind::LongTerm.index()];
        let mix = &family.scenario.outbound.nursing_home_task_mix;
        for task in Task::ALL {
            let hours = long_term[task.index()].as_f64();
            assert!(
                (hours - 10.0 * mix.get(*task)).abs() < 0.01,
                "{task}: {hours}"
            );
        }
        for kind in [EpisodeKind::Emergency, EpisodeKind::ShortTerm] {
            assert!(demand[kind.index()].iter().all(|h| h.is_zero()));
        }
    }

    #[test]
    fn a_parent_in_a_nursing_home_keeps_no_hours_for_others() {
        let mut family = Family::new(true);
        let _ = in_nursing_home(&mut family);
        assert_eq!(family.carers.capacity[4], Hours::ZERO);
        assert_eq!(family.carers.available[4], Hours::ZERO);
        assert_eq!(family.carers.capacity[5], Hours::from_f64(10.0), "at home");
    }

    #[test]
    fn the_other_parent_at_home_visits_first_and_one_in_a_home_covers_nothing() {
        // Parent 4 in a home, parent 5 at home with 10 hours for others but
        // without the extra hours partners keep for each other (they no
        // longer share a household): of the 20 hours the children share the
        // 10 left, and the resident gives half.
        let mut family = Family::new(true);
        assert_eq!(family.scenario.outbound.nursing_home_hours, 20.0);
        let mut parents = in_nursing_home(&mut family);
        let tally = family.week(&mut parents);
        assert_outbound(&tally, 5.0, 0.01);
        // Both in a home: the other parent covers nothing, and the resident
        // gives half of each parent's hours (a sibling shares).
        let mut family = Family::new(true);
        family.people.age[5] = 84;
        // Within the resident's 10 hours for others.
        family.scenario.outbound.nursing_home_hours = 8.0;
        family.all_old_parents_in_homes();
        let needs = family.needs();
        let mut parents = OutsideParents::find(
            &family.scenario,
            &needs,
            &family.people,
            &family.network,
            100,
        );
        let hours = family.scenario.outbound.nursing_home_hours;
        let tally = family.week(&mut parents);
        assert_outbound(&tally, hours, 0.01);
    }

    #[test]
    fn a_parent_who_moves_into_a_nursing_home_leaves_the_episodes_and_the_tasks_behind() {
        let mut family = Family::new(false);
        family.people.age[4] = 79;
        family.all_old_parents_in_homes();
        let needs = family.needs();
        let mut parents = family.parents(4.0);
        family.week(&mut parents);
        assert!(parents.in_need()[0].committed.contains(&true));
        // A year on, at 80.
        family.people.age[4] = 80;
        let (people, network) = (&family.people, &family.network);
        parents.after_year(&family.scenario, &needs, people, network, 52);
        let need = &parents.in_need()[0];
        assert!(need.nursing_home);
        assert!(need.episodes.iter().all(Option::is_none));
        assert!(!need.committed.contains(&true), "a new need, asked anew");
        family.carers.start_week(&[], &StrainParams::keeping(1.0));
        family.week_number(&mut parents, 52);
        let taken_on = parents.in_need()[0].committed;
        assert!(taken_on.contains(&true));
        // Another year in the home: the same child keeps the same tasks.
        family.people.age[4] = 81;
        let (people, network) = (&family.people, &family.network);
        parents.after_year(&family.scenario, &needs, people, network, 104);
        assert!(parents.in_need()[0].nursing_home);
        assert_eq!(parents.in_need()[0].committed, taken_on);
    }
}
