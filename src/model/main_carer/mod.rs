//! The main carer of a resident's long-term need (docs/ODD.md §7.10.21): one
//! relative, usually the nearest child, carries the bulk of what the household
//! and professionals leave open, and keeps doing the tasks they agreed to each
//! week until the need ends or they burn out; others fill in.
//!
//! Dutch surveys find care for a long-term need concentrated in one person,
//! the main carer (hoofdmantelzorger), most often a partner or a child, and
//! among children most often the one who lives nearest; other helpers give
//! less and less often. Without this rule every week's care is asked anew of
//! whoever the asking rounds reach first, which spreads a long-term need thin
//! over many helpers who each give a few hours (docs/ODD.md §10.0).
//!
//! The choice of the main carer and the draws of asking and agreeing are made
//! in parallel over cases (keyed by seed, week and the resident); the hours
//! move in case order, within each main carer's hours left.

mod params;

pub use params::MainCarerParams;

use rand::RngExt;
use rayon::prelude::*;

use super::Week;
use super::asking::{
    AskSituation, GiveSituation, ask_chance, give_chance, locality_between, reluctance_as_asked,
    weighed_debt,
};
use super::case::Case;
use super::gift;
use super::interventions::Policy;
use super::ledger::{CareLedger, Gift};
use super::reciprocity::balance_seen_by;
use super::strain::Carers;
use super::trust::trust_after_refusal;
use crate::hours::{Hours, TaskHours};
use crate::ids::{PersonId, TieId};
use crate::kinds::{CareRelation, EpisodeKind, PerTask, Task, TieKind};
use crate::network::{Adjacent, Network, tie_flags};
use crate::rng::{Stream, stream};
use crate::tally::WeekTally;

/// The relative who carries a resident's long-term need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MainCarer {
    pub helper: PersonId,
    pub tie: TieId,
    pub kind: TieKind,
    /// Tasks of the long-term need the main carer agreed to and does each week.
    pub agreed: PerTask<bool>,
}

/// What the main carers change.
pub struct MainCarerState<'a> {
    pub cases: &'a mut [Case],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
    pub network: &'a mut Network,
}

/// One case's week, planned in parallel: its main carer (kept or newly
/// chosen), the tasks asked this week and the tasks agreed to (this week or
/// before).
struct Plan {
    case: usize,
    carer: MainCarer,
    asked: PerTask<bool>,
}

/// The week's main carers: cases whose long-term need ended let theirs go;
/// the others keep or choose one, ask for the tasks not yet agreed to, and the
/// main carers give their share of the open long-term need.
pub fn main_carers_give(week: &Week, mut state: MainCarerState, tally: &mut WeekTally) {
    if !week.scenario.main_carer.enabled {
        return;
    }
    let plans: Vec<Plan> = {
        let (network, carers) = (&*state.network, &*state.carers);
        state
            .cases
            .par_iter_mut()
            .enumerate()
            .filter_map(|(i, case)| plan(week, network, carers, i, case))
            .collect()
    };
    for plan in &plans {
        carry_out(week, plan, &mut state, tally);
    }
}

/// What is open of each task's long-term need.
fn long_term_open(case: &Case) -> TaskHours {
    case.demand[EpisodeKind::LongTerm.index()]
}

/// A case's main carer this week and the draws of asking and agreeing. A
/// case without a long-term need lets its main carer go; a main carer who burnt
/// out, whose tie ended (a death or a move) or who is out of reach under the
/// help radius is let go and another chosen.
fn plan(
    week: &Week,
    network: &Network,
    carers: &Carers,
    index: usize,
    case: &mut Case,
) -> Option<Plan> {
    if !case.has_episode(EpisodeKind::LongTerm) {
        case.main_carer = None;
        return None;
    }
    let open = long_term_open(case);
    if open.iter().all(|h| h.is_zero()) {
        return None;
    }
    let mut carer = case
        .main_carer
        .filter(|m| {
            can_carry(week, network, carers, case, m.helper, m.tie)
                || carries_on(week, network, carers, case, m)
        })
        .or_else(|| choose(week, network, carers, case))?;
    let burnt_out = carers.is_burnt_out(carer.helper);
    let scenario = week.scenario;
    let mut rng = stream(
        scenario.seed,
        Stream::ResidentMainCarer,
        u64::from(week.week),
        u64::from(case.person.0),
    );
    let mut asked = [false; Task::COUNT];
    for task in Task::ALL {
        let (ask_draw, give_draw) = (rng.random::<f64>(), rng.random::<f64>());
        let i = task.index();
        // A main carer carrying on through burnout takes on nothing new.
        if open[i].is_zero() || carer.agreed[i] || burnt_out {
            continue;
        }
        let (ask, give) = ask_and_give_chances(week, network, carers, case, &carer, *task);
        asked[i] = ask_draw < ask;
        carer.agreed[i] = asked[i] && give_draw < give;
    }
    Some(Plan {
        case: index,
        carer,
        asked,
    })
}

/// Whether `helper` can carry the case's need this week: with a capacity for
/// others (not a parent in a nursing home, whose capacity is 0 and whom the
/// asking rounds pass by too), not burnt out, the tie still there, and within
/// the help radius of the resident's neighbourhood.
fn can_carry(
    week: &Week,
    network: &Network,
    carers: &Carers,
    case: &Case,
    helper: PersonId,
    tie: TieId,
) -> bool {
    let radius = policy(week.policies, case).help_radius;
    carers.has_hours(helper)
        && carers.burnt_out[helper.index()] == 0
        && !network.has_ended(tie)
        && super::asking::help_reachable(radius, week.people, case, helper)
}

/// Whether a burnt-out main carer goes on with the tasks they agreed to,
/// within `main_carer.extra_hours` (`behaviour.burnout_keeps_main_care`,
/// docs/ODD.md §7.10.11): the tie still there and within the help radius.
fn carries_on(
    week: &Week,
    network: &Network,
    carers: &Carers,
    case: &Case,
    carer: &MainCarer,
) -> bool {
    let radius = policy(week.policies, case).help_radius;
    let scenario = week.scenario;
    carers.is_burnt_out(carer.helper)
        && scenario
            .behaviour
            .strain
            .carries_on_within(scenario.main_carer.extra_hours)
        && carer.agreed.contains(&true)
        && !network.has_ended(carer.tie)
        && super::asking::help_reachable(radius, week.people, case, carer.helper)
}

fn policy<'a>(policies: &'a [Policy], case: &Case) -> &'a Policy {
    &policies[case.neighbourhood.index()]
}

/// The resident's main carer: of the relations the scenario lists, in its
/// order, the first that holds a tie of at least `min_trust` to someone who
/// can carry the need; within it the nearest (equal distances: the lower tie
/// id), since among children the one living nearest most often becomes the
/// main carer.
fn choose(week: &Week, network: &Network, carers: &Carers, case: &Case) -> Option<MainCarer> {
    let params = &week.scenario.main_carer;
    let person = case.person;
    let ties = &network.ties;
    let row = network.row(person);
    let relation = |e: &Adjacent| CareRelation::of(e.kind(), network.kin_relation(person, *e));
    let eligible = |e: &&Adjacent| {
        f64::from(ties.trust(e.tie().index())) >= params.min_trust
            && can_carry(week, network, carers, case, e.other, e.tie())
    };
    params.relations.iter().find_map(|wanted| {
        row.iter()
            .filter(|e| relation(e) == *wanted)
            .filter(eligible)
            .min_by(|a, b| {
                let km = |e: &Adjacent| ties.distance_km[e.tie().index()];
                km(a).total_cmp(&km(b)).then(a.tie().cmp(&b.tie()))
            })
            .map(|e| MainCarer {
                helper: e.other,
                tie: e.tie(),
                kind: e.kind(),
                agreed: [false; Task::COUNT],
            })
    })
}

/// The chances that the resident asks the main carer for `task`, and that
/// they agree, by the ask and give formulas of every other ask (§7.10.5,
/// §7.10.6).
fn ask_and_give_chances(
    week: &Week,
    network: &Network,
    carers: &Carers,
    case: &Case,
    carer: &MainCarer,
    task: Task,
) -> (f64, f64) {
    let scenario = week.scenario;
    let asking = &scenario.behaviour.asking;
    let ties = &network.ties;
    let t = carer.tie.index();
    let (person, helper) = (case.person, carer.helper);
    let trust = f64::from(ties.trust(t));
    let distance_km = f64::from(ties.distance_km[t]);
    let scope = scenario.scope.get(carer.kind, task);
    let balance = ties.balance(t);
    let strain = f64::from(carers.strain[helper.index()]);
    let own_reluctance = f64::from(week.people.ask_reluctance[person.index()]);
    let ask = AskSituation {
        trust,
        reluctance: reluctance_as_asked(scenario, case, own_reluctance),
        scope,
        owed_hours: weighed_debt(
            &asking.ask,
            network.is_between_generations(carer.tie),
            -f64::from(balance_seen_by(balance, person < helper).min(0.0)),
        ),
        visible_strain: strain,
        emergency_remoteness: 0.0,
    };
    let give = GiveSituation {
        kind: carer.kind,
        task,
        helpfulness: f64::from(week.people.helpfulness[helper.index()]),
        helper_age: week.people.age[helper.index()],
        helper_is_woman: week.people.is_woman(helper),
        trust,
        strain,
        scope,
        distance_km,
        blended: ties.flags[t] & tie_flags::BLENDED != 0,
        unreturned_hours: f64::from(balance_seen_by(balance, helper < person).max(0.0)),
        episode_weeks: f64::from(case.episode_weeks(task, week.week)),
    };
    (
        ask_chance(&asking.ask, &ask),
        give_chance(&asking.give, &give),
    )
}

/// Moves one case's hours: the hours asked of the main carer this week are
/// counted (`share` of each asked task's open long-term need, sized by the
/// asker's reluctance as every ask is, §7.10.5; a refusal of every task asked
/// costs the tie trust), then the main carer gives what they were asked for
/// of each agreed task, within their hours left plus `extra_hours`. The asking
/// rounds ask others for the rest and count their own first ask of a task.
fn carry_out(week: &Week, plan: &Plan, state: &mut MainCarerState, tally: &mut WeekTally) {
    let MainCarerState {
        cases,
        carers,
        ledger,
        network,
    } = state;
    let params = &week.scenario.main_carer;
    let case = &mut cases[plan.case];
    let carer = plan.carer;
    case.main_carer = Some(carer);
    let own_reluctance = f64::from(week.people.ask_reluctance[case.person.index()]);
    let reluctance = reluctance_as_asked(week.scenario, case, own_reluctance);
    let asking = &week.scenario.behaviour.asking.ask;
    let asked_of_them = |open: Hours| asking.named_hours(open.scaled(params.share), reluctance);
    for task in Task::ALL {
        if plan.asked[task.index()] {
            tally.asked += asked_of_them(long_term_open(case)[task.index()]);
        }
    }
    let t = carer.tie.index();
    let trust = &week.scenario.behaviour.trust;
    let refused = Task::ALL
        .iter()
        .any(|task| plan.asked[task.index()] && !carer.agreed[task.index()]);
    if refused && !carer.agreed.contains(&true) {
        network
            .ties
            .set_trust(t, trust_after_refusal(trust, network.ties.trust(t)));
        case.main_carer = None;
        return;
    }
    let h = carer.helper.index();
    let can = carers.left[h] + Hours::from_f64(params.extra_hours);
    let given = hours_given(case, &carer.agreed, asked_of_them, can);
    let total: Hours = given.iter().copied().sum();
    if total.is_zero() {
        return;
    }
    let beyond = total.saturating_sub(carers.left[h]);
    if !beyond.is_zero() {
        carers.beyond_capacity(carer.helper, beyond);
    }
    let locality = locality_between(week.people, case, carer.helper);
    let distance_km = network.ties.distance_km[t];
    let n = case.neighbourhood.index();
    for task in Task::ALL {
        let hours = given[task.index()];
        let open = &mut case.demand[EpisodeKind::LongTerm.index()][task.index()];
        *open -= hours;
        tally.add_informal((carer.kind, *task, locality), distance_km, hours, n);
    }
    gift::receive_informal(case, carer.helper, Some(carer.tie), week.week, total);
    gift::count_for_receiver(tally, week.people, case.person, carer.kind, total);
    let ends = [carer.helper, case.person];
    gift::tie_after_help(&mut network.ties, trust, carer.tie, ends, total);
    let gift = Gift {
        helper: carer.helper,
        receiver: case.person,
        tie: Some(carer.tie),
        hours: total,
        household: false,
    };
    gift::give(gift, carers, ledger);
}

/// What the main carer gives of each agreed task: what they are asked for of
/// its open long-term need (`asked_of_them`), tasks in order, up to `can`
/// hours in all.
fn hours_given(
    case: &Case,
    agreed: &PerTask<bool>,
    asked_of_them: impl Fn(Hours) -> Hours,
    can: Hours,
) -> TaskHours {
    let open = long_term_open(case);
    let mut left = can;
    let mut given = [Hours::ZERO; Task::COUNT];
    for task in Task::ALL {
        let i = task.index();
        if !agreed[i] {
            continue;
        }
        let hours = asked_of_them(open[i]).min(left);
        given[i] = hours;
        left -= hours;
    }
    given
}

#[cfg(test)]
mod tests;
