//! Asking and giving in rounds (docs/ODD.md §7.10.5, §7.10.6), in three phases per
//! round:
//!
//! 1. **propose**, in parallel over residents in need: each walks its ties in the
//!    order of the help-seeking norm and asks the first it dares to ask, for the
//!    tasks it dares to ask it;
//! 2. **resolve**, in parallel over helpers: each asked helper answers the asks it
//!    received in a fixed order (closer tie kinds first, then a seeded shuffle),
//!    never giving more than its remaining capacity;
//! 3. **apply**, in one thread: the answers move hours, trust and balances.
//!
//! Every random draw comes from a stream keyed by (seed, week, round, person), and
//! every phase's output is ordered by ids, not by threads, so the result is the same
//! on any number of threads.

mod ahead;
mod formulas;
mod params;
mod taken_on;

pub use ahead::{AskerTraits, NOTHING_KEPT, Step, WalksAhead};
pub use formulas::{
    AskSituation, GiveSituation, ask_chance, distance_weight, frailty_log_odds, give_chance,
    is_weak_tie, logistic, sex_log_odds, weighed_debt,
};
pub use params::{AskParams, AskingParams, GiveParams, NormGroup};
pub use taken_on::TakenOn;

use rand::RngExt;
use rayon::prelude::*;

use super::case::Case;
use super::formal::FormalStatus;
use super::gift::{self, TieChange};
use super::interventions::{HelpRadius, Policy};
use super::ledger::{CareLedger, Gift};
use super::reciprocity::balance_seen_by;
use super::strain::Carers;
use super::{TOUCH_BATCH, Week};
use crate::hours::{Hours, TaskHours};
use crate::ids::{PersonId, TieId};
use crate::kinds::{EpisodeKind, Locality, Task, TieKind};
use crate::network::{Adjacent, Network, RowWalk, tie_flags};
use crate::population::People;
use crate::rng::{Stream, stream, stream_key};
use crate::scenario::Scenario;
use crate::tally::WeekTally;

/// Round keys leave room for this many rounds per week.
const ROUND_SLOTS: u64 = 64;

/// Key of each resident's fixed order of asking within a tie kind (outside the
/// range of week × round keys).
const GO_TO_ORDER: u64 = u64::MAX;

/// A set of tasks, one bit per task.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskSet(u8);

impl TaskSet {
    pub fn with(self, task: Task) -> TaskSet {
        TaskSet(self.0 | 1 << task.index())
    }

    pub fn contains(self, task: Task) -> bool {
        self.0 & 1 << task.index() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The tasks in both sets.
    pub fn within(self, other: TaskSet) -> TaskSet {
        TaskSet(self.0 & other.0)
    }

    /// The tasks in the set, in task order.
    pub fn tasks(self) -> impl Iterator<Item = Task> {
        Task::ALL.iter().copied().filter(move |t| self.contains(*t))
    }
}

/// Bits of an answer order taken by the tie kind (the high byte): closer kinds
/// are answered first whatever the seeded chance in the low bits says.
const KIND_SHIFT: u32 = 56;

/// The order in which a helper answers an ask: its tie kind (in the strength
/// order of [`TieKind`]), then the asker's seeded shuffle.
fn answer_order(kind: TieKind, shuffle: u64) -> u64 {
    ((kind.index() as u64) << KIND_SHIFT) | (shuffle >> (u64::BITS - KIND_SHIFT))
}

/// One ask: a resident in need asks one tie for some tasks.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    pub helper: PersonId,
    /// Index of the asker's case.
    pub case: u32,
    pub tie: TieId,
    pub kind: TieKind,
    /// The tasks asked.
    pub tasks: TaskSet,
    /// Order in which the helper answers: closer kinds first, then seeded chance.
    pub order: u64,
}

/// A helper's answer: hours per task (all zero is a refusal).
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    pub ask: Ask,
    pub given: TaskHours,
}

/// What the rounds read; nothing here changes during a phase.
pub struct Round<'a> {
    pub scenario: &'a Scenario,
    pub people: &'a People,
    pub network: &'a Network,
    /// Who has hours for others: nobody asks a person who has none (a parent
    /// in a nursing home, docs/ODD.md §7.10.19, step 9).
    pub carers: &'a Carers,
    pub policies: &'a [Policy],
    /// The tasks by the order of tie kinds they are asked along, without
    /// partners (they helped first).
    pub groups: &'a [NormGroup],
    /// The first steps of this week's walks (empty: every walk reads its row).
    pub ahead: &'a WalksAhead,
    pub week: u32,
    pub round: u32,
}

impl Round<'_> {
    fn key(&self) -> u64 {
        u64::from(self.week) * ROUND_SLOTS + u64::from(self.round)
    }

    /// Whether informal help may come over this tie under the help radius.
    pub fn reachable(&self, case: &Case, other: PersonId) -> bool {
        help_reachable(
            self.policies[case.neighbourhood.index()].help_radius,
            self.people,
            case,
            other,
        )
    }

    /// Reads, for a batch of cases before they propose, what their walks will
    /// read at random places among millions: each asker's row and traits, then,
    /// for the next [`TOUCH_TIES`] ties of each walk, the tie's trust and
    /// balance (and a kin tie's flags) and the strain of the person at its
    /// other end. In one pass the cases' cache misses overlap; in `propose`
    /// each waited for the one before (session 24). It only reads, so what the
    /// cases propose is unchanged. A case that will not walk is passed by: its
    /// memory would be read for nothing.
    #[inline(never)] // a call per batch; its own frame in profiles
    fn touch_walks(&self, first: usize, cases: &[Case]) {
        let mut seen = 0u32;
        // Found once for both passes: `first_walk` reads the case's demand,
        // and looking it up in each took about 1% of the week (session 27).
        let mut walking = [None; TOUCH_BATCH];
        for (i, case) in cases.iter().enumerate() {
            walking[i] = first_walk(self.groups, case);
            let Some(g) = walking[i] else {
                continue;
            };
            if self.ahead.traits((first + i) as u32).is_none() {
                let p = case.person.index();
                seen ^=
                    self.people.formal_trust[p].to_bits() ^ self.people.ask_reluctance[p].to_bits();
            }
            // The row only where the walk is past its kept steps (session 27).
            if matches!(
                self.ahead.step((first + i) as u32, g, case.walk[g]),
                Step::Beyond
            ) {
                // An entry in every cache line of the row (8 entries of 8 bytes).
                let row = self.network.row(case.person);
                for entry in row.iter().step_by(8).chain(row.last()) {
                    seen ^= entry.other.0;
                }
            }
        }
        for (i, case) in cases.iter().enumerate() {
            let Some(g) = walking[i] else {
                continue;
            };
            let mut walk = self.walk_of(case, g);
            for at in case.walk[g]..case.walk[g] + TOUCH_TIES {
                let Some(entry) = walk.entry((first + i) as u32, at) else {
                    break;
                };
                let t = entry.tie().index();
                let held = self.network.ties.trust_and_balance(t);
                seen ^= held.balance.to_bits() ^ self.carers.strain[entry.other.index()].to_bits();
                if entry.kind() == TieKind::Kin {
                    seen ^= u32::from(self.network.ties.flags[t]);
                }
            }
        }
        std::hint::black_box(seen);
    }

    /// Case `case`'s walk along group `g`'s norm: its kept steps, then its row.
    fn walk_of<'c>(&'c self, case: &Case, g: usize) -> Walk<'c> {
        Walk {
            round: self,
            person: case.person,
            g,
            row: None,
        }
    }

    /// Phase 1 for one resident: the next tie it asks, if any. The groups of
    /// tasks are walked in turn, each along its own norm, so that a resident
    /// still sends at most one ask a round.
    pub fn propose(&self, case: &mut Case, case_index: u32) -> Option<Ask> {
        if case
            .walk_done
            .iter()
            .take(self.groups.len())
            .all(|done| *done)
        {
            return None;
        }
        let wanted = self.wanted_tasks(case, case_index);
        if wanted.is_empty() {
            return None;
        }
        let mut rng = stream(
            self.scenario.seed,
            Stream::Asking,
            self.key(),
            u64::from(case.person.0),
        );
        for (g, group) in self.groups.iter().enumerate() {
            let tasks = wanted.within(group.tasks);
            if case.walk_done[g] || tasks.is_empty() {
                continue;
            }
            if let Some(ask) = self.ask_along(case, case_index, g, tasks, &mut rng) {
                return Some(ask);
            }
            case.walk_done[g] = true;
        }
        None
    }

    /// The next tie of group `g`'s walk that the resident asks for some of
    /// `wanted`, if any before the walk's end.
    fn ask_along(
        &self,
        case: &mut Case,
        case_index: u32,
        g: usize,
        wanted: TaskSet,
        rng: &mut crate::rng::StreamRng,
    ) -> Option<Ask> {
        let person = case.person;
        let reluctance = self.reluctance(case, case_index);
        let scale = self.scenario.behaviour.asking.give.distance_scale_km;
        let remoteness = |km: f64| crate::math::ln(1.0 + km / scale);
        let mut walk = self.walk_of(case, g);
        while let Some(entry) = walk.entry(case_index, case.walk[g]) {
            case.walk[g] += 1;
            if !self.carers.has_hours(entry.other) || !self.reachable(case, entry.other) {
                continue;
            }
            let tie = entry.tie();
            let ties = &self.network.ties;
            // Trust and balance in one read (one cache line).
            let held = ties.trust_and_balance(tie.index());
            let owed = balance_seen_by(held.balance, person < entry.other).min(0.0);
            // What the debt weighs is the same for every task of this tie.
            let owed_hours = if owed < 0.0 {
                weighed_debt(
                    &self.scenario.behaviour.asking.ask,
                    // The row's kind, not the ties' kind column: one read
                    // at a random place less (the flags only for kin).
                    tie_flags::between_generations(entry.kind(), ties.flags[tie.index()]),
                    -f64::from(owed),
                )
            } else {
                0.0
            };
            let mut tasks = TaskSet::default();
            for task in wanted.tasks() {
                let situation = AskSituation {
                    trust: f64::from(held.trust),
                    reluctance,
                    scope: self.scenario.scope.get(entry.kind(), task),
                    owed_hours,
                    visible_strain: f64::from(self.carers.strain[entry.other.index()]),
                    emergency_remoteness: if task == Task::Emergency {
                        remoteness(f64::from(ties.distance_km[tie.index()]))
                    } else {
                        0.0
                    },
                };
                if rng.random::<f64>() < ask_chance(&self.scenario.behaviour.asking.ask, &situation)
                {
                    tasks = tasks.with(task);
                }
            }
            if !tasks.is_empty() {
                self.name_hours(case, tasks, reluctance);
                let shuffle = stream_key(
                    self.scenario.seed,
                    Stream::Giving,
                    self.key(),
                    u64::from(person.0),
                );
                return Some(Ask {
                    helper: entry.other,
                    case: case_index,
                    tie,
                    kind: entry.kind(),
                    tasks,
                    order: answer_order(entry.kind(), shuffle),
                });
            }
        }
        None
    }

    /// The hours named for the tasks of an ask that are asked for the first
    /// time this week: part of the open hours, less the more reluctant the
    /// asker (§7.10.5). Later asks for the task this week are the same request.
    fn name_hours(&self, case: &mut Case, tasks: TaskSet, reluctance: f64) {
        let ask = &self.scenario.behaviour.asking.ask;
        for task in tasks.tasks() {
            let i = task.index();
            if !case.asked_this_week[i] {
                case.named_left[i] = ask.named_hours(case.remaining(task), reluctance);
            }
        }
    }

    /// Tasks with open demand that the resident would ask its network for:
    /// personal care goes to the district team first when the resident trusts it;
    /// a task whose named hours were all given this week is not asked again.
    fn wanted_tasks(&self, case: &Case, case_index: u32) -> TaskSet {
        let behaviour = &self.scenario.behaviour.asking;
        let formal_first = behaviour.formal_first_for_personal_care
            && f64::from(self.asker_traits(case, case_index).formal_trust)
                >= behaviour.formal_first_trust
            && case.has_episode(EpisodeKind::LongTerm);
        Task::ALL
            .iter()
            .filter(|t| !(formal_first && **t == Task::PersonalCare))
            .filter(|t| !case.remaining(**t).is_zero())
            .filter(|t| !case.asked_this_week[t.index()] || !case.named_left[t.index()].is_zero())
            .fold(TaskSet::default(), |set, t| set.with(*t))
    }

    /// The asker's traits: kept with the walks' steps, or read from `people`.
    fn asker_traits(&self, case: &Case, case_index: u32) -> AskerTraits {
        self.ahead.traits(case_index).unwrap_or_else(|| {
            let p = case.person.index();
            AskerTraits {
                formal_trust: self.people.formal_trust[p],
                ask_reluctance: self.people.ask_reluctance[p],
            }
        })
    }

    /// The asker's reluctance, lifted while the district team activates the network.
    fn reluctance(&self, case: &Case, case_index: u32) -> f64 {
        let own = f64::from(self.asker_traits(case, case_index).ask_reluctance);
        reluctance_as_asked(self.scenario, case, own)
    }

    /// Phase 2 for one helper: answers to its asks, in order.
    pub fn resolve(&self, asks: &[Ask], cases: &[Case], capacity_left: Hours) -> Vec<Answer> {
        let helper = asks[0].helper;
        let h = helper.index();
        let mut left = capacity_left;
        let mut rng = stream(
            self.scenario.seed,
            Stream::Giving,
            self.key(),
            u64::from(helper.0),
        );
        let ties = &self.network.ties;
        asks.iter()
            .map(|ask| {
                let mut given = [Hours::ZERO; Task::COUNT];
                if self.carers.burnt_out[h] > 0 {
                    return Answer { ask: *ask, given };
                }
                let case = &cases[ask.case as usize];
                let t = ask.tie.index();
                let held = ties.trust_and_balance(t);
                for task in ask.tasks.tasks() {
                    let situation = GiveSituation {
                        kind: ask.kind,
                        task,
                        helpfulness: f64::from(self.people.helpfulness[h]),
                        helper_age: self.people.age[h],
                        helper_is_woman: self.people.is_woman(helper),
                        trust: f64::from(held.trust),
                        strain: f64::from(self.carers.strain[h]),
                        scope: self.scenario.scope.get(ask.kind, task),
                        distance_km: f64::from(ties.distance_km[t]),
                        blended: ties.flags[t] & tie_flags::BLENDED != 0,
                        unreturned_hours: f64::from(
                            balance_seen_by(held.balance, helper < case.person).max(0.0),
                        ),
                        episode_weeks: f64::from(case.episode_weeks(task, self.week)),
                    };
                    let chance = give_chance(&self.scenario.behaviour.asking.give, &situation);
                    if rng.random::<f64>() < chance {
                        let named = case.named_left[task.index()];
                        let hours = case.remaining(task).min(named).min(left);
                        given[task.index()] = hours;
                        left -= hours;
                    }
                }
                Answer { ask: *ask, given }
            })
            .collect()
    }
}

/// A walk of a round: its kept steps ([`WalksAhead`]), then, past them, the
/// row, found the first time a step needs it.
struct Walk<'a> {
    round: &'a Round<'a>,
    person: PersonId,
    g: usize,
    row: Option<RowWalk<'a>>,
}

impl Walk<'_> {
    /// The entry at step `at` of the walk of case `case`, or `None` past its end.
    #[inline]
    fn entry(&mut self, case: u32, at: u32) -> Option<Adjacent> {
        match self.round.ahead.step(case, self.g, at) {
            Step::Entry(entry) => Some(entry),
            Step::End => None,
            Step::Beyond => {
                let round = self.round;
                let (person, g) = (self.person, self.g);
                self.row
                    .get_or_insert_with(|| {
                        // Not keyed by week: a resident turns to the same
                        // people first every week (a main carer emerges, as
                        // in the field), and moves on only when they refuse
                        // or have no hours left.
                        let shuffle = go_to_order(round.scenario.seed, person);
                        RowWalk::new(round.network.row(person), &round.groups[g].norm, shuffle)
                    })
                    .entry(at)
            }
        }
    }
}

/// The first group of tasks whose walk the case may go on with this round, if any.
fn first_walk(groups: &[NormGroup], case: &Case) -> Option<usize> {
    may_walk(groups, case).next()
}

/// The groups of tasks whose walk the case may go on with: not ended, and
/// some task of the group maybe wanted.
fn may_walk<'a>(groups: &'a [NormGroup], case: &'a Case) -> impl Iterator<Item = usize> + 'a {
    let open = wanted_at_most(case);
    (0..groups.len())
        .filter(move |&g| !case.walk_done[g] && !open.within(groups[g].tasks).is_empty())
}

/// The key of a resident's fixed order of asking within each tie kind.
fn go_to_order(seed: u64, person: PersonId) -> u64 {
    stream_key(seed, Stream::Asking, GO_TO_ORDER, u64::from(person.0))
}

/// The tasks `Round::wanted_tasks` may want of the case: the same, but
/// personal care is kept even where it goes to the district team first (that
/// test reads the asker's trust in the team, a read at a random place).
fn wanted_at_most(case: &Case) -> TaskSet {
    Task::ALL
        .iter()
        .filter(|t| !case.remaining(**t).is_zero())
        .filter(|t| !case.asked_this_week[t.index()] || !case.named_left[t.index()].is_zero())
        .fold(TaskSet::default(), |set, t| set.with(*t))
}

/// A resident's reluctance to ask as every ask weighs it: lowered by
/// `formal.reluctance_lift` while a network-first intake activates their
/// network (docs/ODD.md §7.10.5, §7.10.8). The asking rounds and the main
/// carer (§7.10.21) ask with it.
pub fn reluctance_as_asked(scenario: &Scenario, case: &Case, own: f64) -> f64 {
    match case.formal {
        FormalStatus::Activating { .. } => own * (1.0 - scenario.formal.reluctance_lift),
        _ => own,
    }
}

/// Whether informal help may travel from `other` to the resident of `case`.
pub fn help_reachable(radius: HelpRadius, people: &People, case: &Case, other: PersonId) -> bool {
    match radius {
        HelpRadius::Unlimited => true,
        HelpRadius::Area => people.is_resident(other),
        HelpRadius::Neighbourhood => people.neighbourhood[other.index()] == case.neighbourhood,
    }
}

/// The tie at position `at` of a walk through `row` in the order of `norm`.
/// Rows are sorted by kind, so each kind is one contiguous slice. Within a kind
/// the walk starts at an offset drawn from `shuffle` (a different one for each
/// kind), so that the order of ids in the row (residents before outside alters,
/// low neighbourhood numbers first) gives no tie a standing advantage.
/// Rounds walk with `network::RowWalk`, which gives the same entries.
pub fn walk_entry(row: &[Adjacent], norm: &[TieKind], at: u32, shuffle: u64) -> Option<Adjacent> {
    let mut at = at as usize;
    for kind in norm {
        let start = row.partition_point(|e| e.kind() < *kind);
        let end = row.partition_point(|e| e.kind() <= *kind);
        let len = end - start;
        if at < len {
            // The remainder in 64 bits, then narrowed: `as usize` first would cut
            // the key to 32 bits in WebAssembly and walk in another order there.
            let offset = (crate::rng::mix64(shuffle ^ kind.index() as u64) % len as u64) as usize;
            return Some(row[start + (at + offset) % len]);
        }
        at -= len;
    }
    None
}

/// What the rounds change: the cases' demand, the helpers' hours and the ledger
/// (and, in [`ask_in_rounds`], the ties' trust and balances).
pub struct RoundState<'a> {
    pub cases: &'a mut [Case],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
}

/// The week's asking step: rounds of asking and answering until nobody asks
/// (the first round always runs) or the scenario's rounds are done. `groups`
/// are the tasks by the norm they are asked along
/// ([`AskingParams::norm_groups`]), without partners, who helped first.
pub fn ask_in_rounds(
    week: &Week,
    groups: &[NormGroup],
    network: &mut Network,
    state: RoundState,
    tally: &mut WeekTally,
) {
    let RoundState {
        cases,
        carers,
        ledger,
    } = state;
    if week.scenario.behaviour.asking.take_on_long_term {
        let state = RoundState {
            cases: &mut *cases,
            carers: &mut *carers,
            ledger: &mut *ledger,
        };
        taken_on::keep_taken_on(week, network, state, tally);
    }
    let ahead = WalksAhead::fill(
        network,
        week.people,
        groups,
        week.scenario.seed,
        cases,
        |case| may_walk(groups, case).fold(0, |set, g| set | 1 << g),
    );
    for round in 0..week.scenario.behaviour.asking.ask_rounds {
        let context = Round {
            scenario: week.scenario,
            people: week.people,
            network,
            carers,
            policies: week.policies,
            groups,
            ahead: &ahead,
            week: week.week,
            round,
        };
        let answers = ask_and_answer(&context, cases, &carers.left);
        if answers.is_empty() && round > 0 {
            break;
        }
        let state = RoundState {
            cases: &mut *cases,
            carers: &mut *carers,
            ledger: &mut *ledger,
        };
        apply_answers(&answers, state, network, week, tally);
    }
}

/// Ties of each walk, from where it stands, whose memory
/// [`Round::touch_walks`] reads.
const TOUCH_TIES: u32 = 2;

/// Phases 1 and 2; the answers come back in helper order.
pub fn ask_and_answer(round: &Round, cases: &mut [Case], capacity_left: &[Hours]) -> Vec<Answer> {
    let mut asks: Vec<Ask> = cases
        .par_chunks_mut(TOUCH_BATCH)
        .enumerate()
        .flat_map_iter(|(c, batch)| {
            let first = c * TOUCH_BATCH;
            round.touch_walks(first, batch);
            batch
                .iter_mut()
                .enumerate()
                .filter_map(move |(i, case)| round.propose(case, (first + i) as u32))
        })
        .collect();
    // In (helper, order, case) order, unique (one ask per case): the asks
    // come in case order, are sorted stably by helper (a counting sort:
    // session 28), and each helper's few by (order, case).
    crate::radix::sort_by_key(&mut asks, capacity_left.len(), |a| a.helper.index());
    let cases: &[Case] = cases;
    asks.par_chunk_by_mut(|a, b| a.helper == b.helper)
        .flat_map_iter(|group| {
            if group.len() > 1 {
                group.sort_unstable_by_key(|a| (a.order, a.case));
            }
            round.resolve(group, cases, capacity_left[group[0].helper.index()])
        })
        .collect()
}

/// What an answer did on its asker's side, for the tallies and the helper's side.
#[derive(Debug, Clone, Copy)]
struct Applied {
    receiver: PersonId,
    neighbourhood: usize,
    /// Hours the asker named for the tasks asked for the first time this week
    /// (all their open hours unless asks are sized by reluctance).
    asked: Hours,
    total: Hours,
    /// Hours met per episode kind (counted for neighbours' help).
    met: [Hours; EpisodeKind::COUNT],
    /// Where the hours came from; `None` for a refusal.
    given: Option<Given>,
}

/// What the tallies of hours given read of an answer's two ends. Only answers
/// that gave hours read it: the helper's neighbourhood is a cache miss at a
/// random place, and many answers are refusals (session 26).
#[derive(Debug, Clone, Copy)]
struct Given {
    locality: Locality,
    /// The receiver's groups in the tallies.
    groups: gift::ReceiverGroups,
}

/// Phase 3: moves hours, trust and balances.
///
/// Each case has at most one answer a round, so the askers' side (demand, recent
/// helpers) is applied in parallel over cases. The helpers' side is applied
/// as if answer by answer in answer order: the tallies are integer hours and
/// counts, summed in any order; each tie's trust and balance change in answer
/// order, in parallel over parts of the ties (two answers may share a tie);
/// each helper's hours in parallel over parts of the helpers (the answers come
/// sorted by helper); and the ledger notes the gifts in answer order.
pub fn apply_answers(
    answers: &[Answer],
    state: RoundState,
    network: &mut Network,
    week: &Week,
    tally: &mut WeekTally,
) {
    let take_on = week.scenario.behaviour.asking.take_on_long_term;
    let applied = apply_to_askers(answers, state.cases, week.people, week.week, take_on);
    // Only hours given are tallied by distance (the distance is a miss per tie).
    let distances: Vec<Option<f32>> = answers
        .par_iter()
        .zip(&applied)
        .map(|(a, done)| {
            done.given
                .map(|_| network.ties.distance_km[a.ask.tie.index()])
        })
        .collect();
    count_answers(answers, &applied, &distances, tally, TALLY_PIECE);
    let mut changes: Vec<(TieId, TieChange)> = Vec::with_capacity(answers.len());
    let mut spent: Vec<(PersonId, Hours)> = Vec::with_capacity(answers.len());
    for (answer, done) in answers.iter().zip(&applied) {
        let ask = answer.ask;
        if done.total.is_zero() {
            changes.push((ask.tie, TieChange::Refused));
            continue;
        }
        let total = done.total;
        changes.push((
            ask.tie,
            TieChange::Helped {
                helper_is_lower: ask.helper < done.receiver,
                hours: total,
            },
        ));
        spent.push((ask.helper, total));
        state.ledger.note(Gift {
            helper: ask.helper,
            receiver: done.receiver,
            tie: Some(ask.tie),
            hours: total,
            household: false,
        });
    }
    let trust = &week.scenario.behaviour.trust;
    network
        .ties
        .change_in_parallel(&changes, |before, balance, change| {
            change.apply(trust, (before, balance))
        });
    state.carers.spend_sorted(&spent);
}

/// Answers per piece of [`count_answers`]: a fixed number, so that the
/// pieces do not depend on the threads.
const TALLY_PIECE: usize = 4096;

/// Counts every answer in the week's tallies ([`count_answer`], and the
/// receivers' groups of the hours given): pieces of `piece` answers count
/// into tallies of their own in parallel, added to `tally` in piece order
/// (integer counts: the same sums in any grouping). Answer by answer on the
/// engine's thread this was most of `apply_answers`' samples there, about
/// 100 in 20 weeks at the 1m rung on 2 threads (session 29).
fn count_answers(
    answers: &[Answer],
    applied: &[Applied],
    distances: &[Option<f32>],
    tally: &mut WeekTally,
    piece: usize,
) {
    let (week, neighbourhoods) = (tally.week, tally.neighbourhoods.len());
    let parts: Vec<WeekTally> = answers
        .par_chunks(piece)
        .zip(applied.par_chunks(piece))
        .zip(distances.par_chunks(piece))
        .map(|((answers, applied), distances)| {
            let mut part = WeekTally::new(week, neighbourhoods);
            for ((answer, done), km) in answers.iter().zip(applied).zip(distances) {
                count_answer(answer, done, *km, &mut part);
                if let Some(given) = done.given.filter(|_| !done.total.is_zero()) {
                    gift::count_for_groups(&mut part, given.groups, answer.ask.kind, done.total);
                }
            }
            part
        })
        .collect();
    for part in &parts {
        tally.add_answer_counts(part);
    }
}

/// The hours asked, neighbours' help by episode kind, and the informal hours by
/// tie kind, task and locality.
fn count_answer(answer: &Answer, done: &Applied, km: Option<f32>, tally: &mut WeekTally) {
    let ask = answer.ask;
    tally.asked += done.asked;
    let n = done.neighbourhood;
    if ask.kind == TieKind::Neighbour {
        for (slot, part) in tally.neighbourhoods[n]
            .neighbour_by_episode
            .iter_mut()
            .zip(done.met)
        {
            *slot += part;
        }
    }
    let (Some(given), Some(distance_km)) = (done.given, km) else {
        return;
    };
    for task in Task::ALL {
        let hours = answer.given[task.index()];
        tally.add_informal((ask.kind, *task, given.locality), distance_km, hours, n);
    }
}

/// The askers' side of every answer, in parallel over cases; returned in answer
/// order.
fn apply_to_askers(
    answers: &[Answer],
    cases: &mut [Case],
    people: &People,
    week: u32,
    take_on: bool,
) -> Vec<Applied> {
    let mut slot = vec![u32::MAX; cases.len()];
    for (i, answer) in answers.iter().enumerate() {
        let s = &mut slot[answer.ask.case as usize];
        debug_assert_eq!(*s, u32::MAX, "two answers to one case in a round");
        *s = i as u32;
    }
    let done: Vec<(u32, Applied)> = cases
        .par_iter_mut()
        .zip(&slot)
        .filter(|(_, i)| **i != u32::MAX)
        .map(|(case, &i)| {
            let answer = &answers[i as usize];
            if take_on {
                take_on_tasks(answer, case);
            }
            (i, apply_to_asker(answer, case, people, week))
        })
        .collect();
    drop(slot);
    let mut applied: Vec<Option<Applied>> = vec![None; answers.len()];
    for (i, one) in done {
        applied[i as usize] = Some(one);
    }
    applied
        .into_iter()
        .map(|a| a.expect("every answer has its case"))
        .collect()
}

/// The tasks of the asker's long-term need the helper gave hours for, and so
/// took on (before the hours meet the demand).
fn take_on_tasks(answer: &Answer, case: &mut Case) {
    let ask = answer.ask;
    for task in Task::ALL {
        if !answer.given[task.index()].is_zero() && taken_on::takes_on(case, ask.kind, *task) {
            let taken = TakenOn {
                helper: ask.helper,
                tie: ask.tie,
                kind: ask.kind,
                task: *task,
                hours: answer.given[task.index()],
            };
            taken_on::note_taken_on(case, taken);
        }
    }
}

/// Meets the asker's demand with the hours given and notes the helper.
fn apply_to_asker(answer: &Answer, case: &mut Case, people: &People, week: u32) -> Applied {
    let ask = answer.ask;
    let mut asked = Hours::ZERO;
    for task in ask.tasks.tasks() {
        let first = !std::mem::replace(&mut case.asked_this_week[task.index()], true);
        if first {
            asked += case.named_left[task.index()];
        }
    }
    let mut met = [Hours::ZERO; EpisodeKind::COUNT];
    let mut total = Hours::ZERO;
    for task in Task::ALL {
        let hours = answer.given[task.index()];
        if hours.is_zero() {
            continue;
        }
        for (sum, part) in met.iter_mut().zip(case.take(*task, hours)) {
            *sum += part;
        }
        let named = &mut case.named_left[task.index()];
        *named = named.saturating_sub(hours);
        total += hours;
    }
    if !total.is_zero() {
        gift::receive_informal(case, ask.helper, Some(ask.tie), week, total);
    }
    Applied {
        receiver: case.person,
        neighbourhood: case.neighbourhood.index(),
        asked,
        total,
        met,
        given: (!total.is_zero()).then(|| Given {
            locality: locality_between(people, case, ask.helper),
            groups: gift::ReceiverGroups::of(people, case.person),
        }),
    }
}

/// Where a helper lives relative to the resident helped.
pub fn locality_between(people: &People, case: &Case, helper: PersonId) -> Locality {
    let theirs = people.neighbourhood[helper.index()];
    if theirs.is_outside() {
        Locality::Outside
    } else if theirs == case.neighbourhood {
        Locality::SameNeighbourhood
    } else {
        Locality::CrossNeighbourhood
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers counted in pieces in parallel give the tally that counting
    /// them one by one gives, for any piece size: refusals, hours given by
    /// every tie kind to receivers near and far, in several neighbourhoods
    /// and of both groups.
    #[test]
    fn answers_counted_in_pieces_equal_answers_counted_one_by_one() {
        let mut people = crate::model::testing::tiny_people(40);
        for p in (0..people.len()).step_by(3) {
            people.ask_reluctance[p] = 0.9;
        }
        let (mut answers, mut applied, mut distances) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..500u32 {
            let kind = TieKind::ALL[i as usize % TieKind::ALL.len()];
            let mut given = [Hours::ZERO; Task::COUNT];
            for task in Task::ALL {
                if !(i + task.index() as u32).is_multiple_of(4) {
                    given[task.index()] = Hours((i * 7 + task.index() as u32) % 300);
                }
            }
            let refused = i.is_multiple_of(5);
            if refused {
                given = [Hours::ZERO; Task::COUNT];
            }
            let receiver = PersonId(i % 40);
            let total: Hours = given.iter().copied().sum();
            answers.push(Answer {
                ask: Ask {
                    helper: PersonId((i + 1) % 40),
                    case: i,
                    tie: TieId(i),
                    kind,
                    tasks: TaskSet::default().with(Task::Household),
                    order: 0,
                },
                given,
            });
            let locality =
                crate::kinds::Locality::ALL[i as usize % crate::kinds::Locality::ALL.len()];
            applied.push(Applied {
                receiver,
                neighbourhood: (i % 3) as usize,
                asked: Hours(i % 50),
                total,
                met: std::array::from_fn(|k| Hours((i + k as u32) % 11)),
                given: (!refused).then(|| Given {
                    locality,
                    groups: gift::ReceiverGroups::of(&people, receiver),
                }),
            });
            distances.push((!refused).then_some((i % 97) as f32 * 1.7));
        }
        let mut one_by_one = WeekTally::new(3, 3);
        for ((answer, done), km) in answers.iter().zip(&applied).zip(&distances) {
            count_answer(answer, done, *km, &mut one_by_one);
            if let Some(given) = done.given.filter(|_| !done.total.is_zero()) {
                gift::count_for_groups(&mut one_by_one, given.groups, answer.ask.kind, done.total);
            }
        }
        assert!(one_by_one.informal.0 > 0);
        assert!(one_by_one.informal_to_reluctant.0 > 0);
        for piece in [1, 7, 64, 499, 500, 4096] {
            let mut in_pieces = WeekTally::new(3, 3);
            count_answers(&answers, &applied, &distances, &mut in_pieces, piece);
            assert_eq!(in_pieces, one_by_one, "piece {piece}");
        }
    }

    #[test]
    fn an_answer_with_hours_for_a_long_term_task_takes_it_on() {
        let mut case = crate::model::testing::case_in_need(PersonId(0), 10.0);
        let answer = |kind, hours: f64| {
            let mut given = [Hours::ZERO; Task::COUNT];
            given[Task::Household.index()] = Hours::from_f64(hours);
            Answer {
                ask: Ask {
                    helper: PersonId(2),
                    case: 0,
                    tie: TieId(1),
                    kind,
                    tasks: TaskSet::default().with(Task::Household),
                    order: 0,
                },
                given,
            }
        };
        take_on_tasks(&answer(TieKind::Kin, 0.0), &mut case);
        assert!(case.taken_on.is_empty(), "a refusal takes nothing on");
        take_on_tasks(&answer(TieKind::Neighbour, 2.0), &mut case);
        assert!(
            case.taken_on.is_empty(),
            "neighbours help, but do not take on"
        );
        take_on_tasks(&answer(TieKind::Kin, 2.0), &mut case);
        assert_eq!(case.taken_on.len(), 1);
        assert_eq!(case.taken_on[0].hours, Hours::from_f64(2.0));
    }

    #[test]
    fn the_walk_follows_the_norm_not_the_row_order() {
        let row = [
            Adjacent::new(PersonId(5), TieId(0), TieKind::Kin),
            Adjacent::new(PersonId(7), TieId(1), TieKind::Kin),
            Adjacent::new(PersonId(2), TieId(2), TieKind::Friend),
            Adjacent::new(PersonId(3), TieId(3), TieKind::Neighbour),
        ];
        let norm = [TieKind::Neighbour, TieKind::Kin, TieKind::Friend];
        let walk: Vec<u32> = (0..5)
            .map_while(|i| walk_entry(&row, &norm, i, 0))
            .map(|e| e.other.0)
            .collect();
        // Kinds in the norm's order; within a kind, some rotation of the row.
        assert_eq!(walk[0], 3);
        assert!(walk[1..3] == [5, 7] || walk[1..3] == [7, 5]);
        assert_eq!(walk[3], 2);
        let starts: std::collections::HashSet<u32> = (0..64)
            .filter_map(|s| walk_entry(&row, &norm, 1, s))
            .map(|e| e.other.0)
            .collect();
        assert_eq!(starts.len(), 2, "both kin come first in some weeks");
        let only_friends: Vec<u32> = (0..5)
            .map_while(|i| walk_entry(&row, &[TieKind::Friend], i, 9))
            .map(|e| e.other.0)
            .collect();
        assert_eq!(only_friends, vec![2]);
        assert!(walk_entry(&[], &norm, 0, 0).is_none());
    }
}

#[cfg(test)]
mod step_tests {
    use super::*;
    use crate::model::interventions::policies;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    /// Resident 0 (partner 1) needs 4 hours of household help and has two
    /// friends, 2 and 3. Asking is certain; giving has log-odds `give_base`.
    fn rounds(give_base: f64) -> (Case, Carers, Network, CareLedger, WeekTally) {
        rounds_naming(give_base, 1.0)
    }

    /// [`rounds`] with `named_share_when_reluctant` (everyone's reluctance is 0.5).
    fn rounds_naming(
        give_base: f64,
        named_share: f64,
    ) -> (Case, Carers, Network, CareLedger, WeekTally) {
        let mut scenario = tiny_scenario(4);
        scenario.behaviour.asking.ask.named_share_when_reluctant = named_share;
        scenario.behaviour.asking.ask.base = 50.0;
        scenario.behaviour.asking.give.base = give_base;
        let people = tiny_people(4);
        let mut network = tiny_network(
            4,
            &[
                (0, 1, TieKind::Partner),
                (0, 2, TieKind::Friend),
                (0, 3, TieKind::Friend),
            ],
        );
        let mut cases = [case_in_need(PersonId(0), 4.0)];
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.start_week(&cases, &crate::model::strain::StrainParams::keeping(1.0));
        let mut ledger = CareLedger::new(4);
        let mut tally = WeekTally::new(0, 1);
        let policies = policies(&scenario, None);
        let week = Week::new(&scenario, &people, 2, &policies);
        let groups = [NormGroup {
            tasks: Task::ALL
                .iter()
                .fold(TaskSet::default(), |set, t| set.with(*t)),
            norm: vec![TieKind::Kin, TieKind::Friend],
        }];
        let state = RoundState {
            cases: &mut cases,
            carers: &mut carers,
            ledger: &mut ledger,
        };
        ask_in_rounds(&week, &groups, &mut network, state, &mut tally);
        let [case] = cases;
        (case, carers, network, ledger, tally)
    }

    /// The first round of week 2 in a tiny world.
    fn week_2_round<'a>(
        scenario: &'a Scenario,
        people: &'a People,
        network: &'a Network,
        carers: &'a Carers,
        policies: &'a [Policy],
        groups: &'a [NormGroup],
    ) -> Round<'a> {
        Round {
            scenario,
            people,
            network,
            carers,
            policies,
            groups,
            ahead: &NOTHING_KEPT,
            week: 2,
            round: 0,
        }
    }

    /// With company asked along its own norm (friends first), a resident
    /// who needs household help and company asks kin for the household help
    /// only, and once that is no longer wanted, a friend for company; one ask
    /// a round all the same (docs/ODD.md §7.10.5).
    #[test]
    fn a_task_with_its_own_norm_is_asked_along_it() {
        let mut scenario = tiny_scenario(4);
        scenario.behaviour.asking.ask.base = 50.0;
        scenario.behaviour.asking.task_norms.insert(
            Task::Company,
            vec![TieKind::Partner, TieKind::Friend, TieKind::Kin],
        );
        let groups = scenario.behaviour.asking.norm_groups();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].norm, [TieKind::Friend, TieKind::Kin]);
        let people = tiny_people(4);
        let network = tiny_network(4, &[(0, 2, TieKind::Kin), (0, 3, TieKind::Friend)]);
        let mut case = case_in_need(PersonId(0), 4.0);
        case.demand[EpisodeKind::LongTerm.index()][Task::Company.index()] = Hours::from_f64(2.0);
        let policies = policies(&scenario, None);
        let carers = Carers::new(&people, vec![0.0; 4]);
        let round = week_2_round(&scenario, &people, &network, &carers, &policies, &groups);
        let first = round.propose(&mut case, 0).expect("an ask");
        assert_eq!(first.helper, PersonId(2), "kin first for household help");
        assert!(first.tasks.contains(Task::Household) && !first.tasks.contains(Task::Company));
        // The household help was given: only company is wanted now.
        case.demand[EpisodeKind::LongTerm.index()][Task::Household.index()] = Hours::ZERO;
        let second = round.propose(&mut case, 0).expect("an ask");
        assert_eq!(second.helper, PersonId(3), "a friend first for company");
        assert_eq!(second.tasks, TaskSet::default().with(Task::Company));
    }

    /// Nobody asks a person without hours for others (a parent in a nursing
    /// home): the walk passes them by, so no refusal costs the tie trust.
    #[test]
    fn a_tie_without_hours_for_others_is_not_asked() {
        let mut scenario = tiny_scenario(4);
        scenario.behaviour.asking.ask.base = 50.0;
        let groups = scenario.behaviour.asking.norm_groups();
        let people = tiny_people(4);
        let network = tiny_network(4, &[(0, 2, TieKind::Kin), (0, 3, TieKind::Friend)]);
        let mut case = case_in_need(PersonId(0), 4.0);
        let policies = policies(&scenario, None);
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.set_capacity(PersonId(2), Hours::ZERO);
        let round = week_2_round(&scenario, &people, &network, &carers, &policies, &groups);
        let ask = round.propose(&mut case, 0).expect("an ask");
        assert_eq!(
            ask.helper,
            PersonId(3),
            "the friend, not the kin without hours"
        );
        assert!(round.propose(&mut case, 0).is_none(), "nobody else to ask");
    }

    /// Without norms per task every task is in one group along the general
    /// norm, partners left out; tasks with the same norm share a group.
    #[test]
    fn the_norm_groups_follow_the_task_norms() {
        let mut asking = AskingParams::default();
        let groups = asking.norm_groups();
        assert_eq!(groups.len(), 1);
        assert!(Task::ALL.iter().all(|t| groups[0].tasks.contains(*t)));
        assert!(!groups[0].norm.contains(&TieKind::Partner));
        let friends_first = vec![TieKind::Partner, TieKind::Friend, TieKind::Kin];
        asking
            .task_norms
            .insert(Task::Company, friends_first.clone());
        asking.task_norms.insert(Task::Transport, friends_first);
        let groups = asking.norm_groups();
        assert_eq!(groups.len(), 2);
        assert!(
            groups[1].tasks.contains(Task::Company) && groups[1].tasks.contains(Task::Transport)
        );
        assert!(!groups[0].tasks.contains(Task::Company));
    }

    fn tie(network: &Network, a: u32, b: u32) -> usize {
        network
            .tie_between(PersonId(a), PersonId(b))
            .unwrap()
            .tie()
            .index()
    }

    #[test]
    fn a_friend_who_is_asked_and_helps_meets_the_need_and_gains_trust() {
        let (case, carers, network, ledger, tally) = rounds(50.0);
        assert!(case.remaining_total().is_zero());
        assert_eq!(case.hours.informal, Hours::from_f64(4.0));
        let helper = case.helpers[0].helper;
        assert!(helper == PersonId(2) || helper == PersonId(3));
        assert_eq!(carers.given[helper.index()], Hours::from_f64(4.0));
        let t = tie(&network, 0, helper.0);
        assert!(network.ties.trust(t) > 0.8);
        assert_eq!(network.ties.balance(t), -4.0, "the lower end, 0, received");
        assert_eq!(ledger.week.len(), 1);
        assert_eq!(tally.asked.0, 400, "4 hours, in hundredths");
        assert_eq!(tally.informal.0, 400);
    }

    #[test]
    fn friends_who_refuse_lose_trust_and_the_need_stays_open() {
        let (case, carers, network, ledger, tally) = rounds(-50.0);
        assert_eq!(case.remaining_total(), Hours::from_f64(4.0));
        assert!(carers.given.iter().all(|g| g.is_zero()));
        for friend in [2, 3] {
            assert!(
                network.ties.trust(tie(&network, 0, friend)) < 0.8,
                "friend {friend}"
            );
        }
        assert_eq!(
            network.ties.trust(tie(&network, 0, 1)),
            0.8,
            "partners are not asked"
        );
        assert!(ledger.week.is_empty());
        assert!(tally.informal.0 == 0);
        assert_eq!(
            tally.asked.0, 400,
            "4 hours asked once, though two friends were asked in turn"
        );
    }

    #[test]
    fn a_reluctant_asker_names_part_of_the_need_and_asks_no_more_that_week() {
        // Reluctance 0.5 and a named share of 0.5 when fully reluctant: 75% of 4 hours.
        let (case, carers, _, _, tally) = rounds_naming(50.0, 0.5);
        assert_eq!(case.hours.informal, Hours::from_f64(3.0));
        assert_eq!(
            case.remaining_total(),
            Hours::from_f64(1.0),
            "the rest unasked"
        );
        assert_eq!(tally.asked.0, 300, "the hours named, once");
        let given: Hours = carers.given.iter().copied().sum();
        assert_eq!(
            given,
            Hours::from_f64(3.0),
            "one friend gave, nobody was asked again"
        );
        let (refused, ..) = rounds_naming(-50.0, 0.5);
        assert_eq!(
            refused.named_left[Task::Household.index()],
            Hours::from_f64(3.0)
        );
    }
}
