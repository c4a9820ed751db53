//! Parameters of asking and giving: in the `[behaviour]` table of a scenario
//! file, `ask_rounds`, `help_seeking_norm`, `formal_first_*` and the
//! `[behaviour.ask]` and `[behaviour.give]` coefficients.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::hours::Hours;
use crate::kinds::{Task, TieKind};
use crate::scenario::Checker;

/// How residents go about asking their ties (docs/ODD.md §7.10.5).
#[derive(Debug, Clone, PartialEq)]
pub struct AskingParams {
    /// Asking rounds per week.
    pub ask_rounds: u32,
    /// Order in which ties are asked: the help-seeking norm.
    pub help_seeking_norm: Vec<TieKind>,
    /// Tasks asked along an order of their own instead (Litwak's
    /// task-specific model, docs/ODD.md §7.10.5); empty by default.
    pub task_norms: BTreeMap<Task, Vec<TieKind>>,
    /// Apply to formal care first for personal care, when formal trust is at least
    /// `formal_first_trust`.
    pub formal_first_for_personal_care: bool,
    pub formal_first_trust: f64,
    /// A tie (not a neighbour or acquaintance) who gives hours for a task of a
    /// resident's long-term need takes it on: they do it each week, before
    /// anyone is asked, until the need ends or they burn out (docs/ODD.md
    /// §7.10.5). `false` asks anew each week.
    pub take_on_long_term: bool,
    pub ask: AskParams,
    pub give: GiveParams,
}

impl Default for AskingParams {
    fn default() -> Self {
        AskingParams {
            ask_rounds: 4,
            help_seeking_norm: vec![
                TieKind::Partner,
                TieKind::Kin,
                TieKind::Friend,
                TieKind::Peer,
                TieKind::Association,
                TieKind::Volunteer,
                TieKind::Neighbour,
                TieKind::Acquaintance,
            ],
            task_norms: BTreeMap::new(),
            formal_first_for_personal_care: true,
            formal_first_trust: 0.5,
            take_on_long_term: false,
            ask: AskParams::default(),
            give: GiveParams::default(),
        }
    }
}

/// Coefficients of the chance that a resident asks a tie (logistic, docs/ODD.md §7.10.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AskParams {
    /// Log-odds of asking a tie of trust 0.5 with no other hindrance.
    pub base: f64,
    /// Per unit of tie trust.
    pub trust: f64,
    /// Per unit of the asker's reluctance (negative: reluctance lowers asking).
    pub reluctance: f64,
    /// Per unit of (1 − scope) of the task for the tie's kind.
    pub out_of_scope: f64,
    /// Per 10 hours the asker already owes the tie.
    pub debt: f64,
    /// The share of `debt` that weighs over a tie between a parent and an
    /// adult child (docs/ODD.md §7.10.5): 1 weighs what a parent owes a child
    /// (or a child a parent) as any debt, 0 not at all (care between the
    /// generations is returned over a life, not week by week).
    pub debt_between_generations: f64,
    /// Per unit of the tie's visible strain.
    pub visible_strain: f64,
    /// For emergencies: per unit of log(1 + km / `give.distance_scale_km`). One
    /// calls who can come now, which makes neighbours the emergency fallback.
    pub emergency_distance: f64,
    /// Share of a task's open hours that a resident of reluctance 1 names when
    /// asking; a resident without reluctance names them all, and in between
    /// the share falls linearly (residents see themselves as givers and ask
    /// for less than they need, Linders). 1: every ask names all open hours.
    pub named_share_when_reluctant: f64,
}

impl AskParams {
    /// The hours a resident of reluctance `reluctance` names when first
    /// asking for a task with `open` hours this week.
    pub fn named_hours(&self, open: Hours, reluctance: f64) -> Hours {
        let share = 1.0 - (1.0 - self.named_share_when_reluctant) * reluctance;
        if share >= 1.0 {
            open
        } else {
            open.scaled(share)
        }
    }
}

impl Default for AskParams {
    fn default() -> Self {
        AskParams {
            base: 1.5,
            trust: 3.0,
            reluctance: -2.5,
            out_of_scope: -4.0,
            debt: -1.0,
            debt_between_generations: 1.0,
            visible_strain: -2.0,
            emergency_distance: -2.0,
            named_share_when_reluctant: 1.0,
        }
    }
}

/// Coefficients of the chance that an asked tie helps (logistic, docs/ODD.md §7.10.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GiveParams {
    /// Log-odds for a helper of helpfulness 0.5 and a tie of trust 0.5.
    pub base: f64,
    /// Per unit of the helper's helpfulness.
    pub helpfulness: f64,
    /// Per unit of tie trust.
    pub trust: f64,
    /// Per unit of the helper's own strain.
    pub strain: f64,
    /// Per unit of (1 − scope).
    pub out_of_scope: f64,
    /// For tasks that need presence: per unit of log(1 + km / distance_scale_km).
    pub distance: f64,
    pub distance_scale_km: f64,
    /// Neighbours and acquaintances: per 10 unreturned hours.
    pub unreturned: f64,
    /// Neighbours and acquaintances: per `patience_weeks` of the episode's length.
    pub long_episode: f64,
    pub patience_weeks: f64,
    /// Share of the distance effect that still applies to tasks that need no
    /// presence (company, administration) on ties without online contact; ties with
    /// blended contact feel none of it.
    pub distance_without_presence: f64,
    /// For a helper aged `frailty_age` or older: the frailty of old age, which
    /// makes taking on another's care rarer (docs/ODD.md §7.10.6).
    pub frailty: f64,
    /// The age in years from which `frailty` applies.
    pub frailty_age: u8,
    /// Log-odds by which women help more readily than men, split half and
    /// half around the base (+half for a woman, −half for a man), so that the
    /// base keeps its meaning for the population (docs/ODD.md §7.10.6).
    pub sex_gap: f64,
}

impl Default for GiveParams {
    fn default() -> Self {
        GiveParams {
            base: 1.09,
            helpfulness: 3.0,
            trust: 2.0,
            strain: -3.0,
            out_of_scope: -4.0,
            distance: -1.0,
            distance_scale_km: 10.0,
            unreturned: -1.5,
            long_episode: -2.5,
            patience_weeks: 4.0,
            distance_without_presence: 0.5,
            frailty: 0.0,
            frailty_age: 75,
            sex_gap: 0.0,
        }
    }
}

impl AskingParams {
    /// Range checks of the asking and giving keys of `[behaviour]`.
    pub(crate) fn check(&self, c: &mut Checker) {
        if self.ask_rounds == 0 || self.ask_rounds > 20 {
            c.fail(
                "behaviour.ask_rounds",
                format!("{} asking rounds", self.ask_rounds),
                "set `behaviour.ask_rounds` from 1 to 20",
            );
        }
        check_norm(c, "behaviour.help_seeking_norm", &self.help_seeking_norm);
        for (task, norm) in &self.task_norms {
            check_norm(c, &format!("behaviour.task_norms.{task}"), norm);
        }
        if !self.help_seeking_norm.contains(&TieKind::Partner) {
            c.fail(
                "behaviour.help_seeking_norm",
                "the norm leaves out partners, who help first by the household rule anyway",
                "put \"partner\" first in `help_seeking_norm`",
            );
        }
        c.share("behaviour.formal_first_trust", self.formal_first_trust);
        let ask = &self.ask;
        for (name, value) in [
            ("base", ask.base),
            ("trust", ask.trust),
            ("reluctance", ask.reluctance),
            ("out_of_scope", ask.out_of_scope),
            ("debt", ask.debt),
            ("visible_strain", ask.visible_strain),
            ("emergency_distance", ask.emergency_distance),
        ] {
            c.log_odds(&format!("behaviour.ask.{name}"), value);
        }
        c.share(
            "behaviour.ask.named_share_when_reluctant",
            ask.named_share_when_reluctant,
        );
        c.share(
            "behaviour.ask.debt_between_generations",
            ask.debt_between_generations,
        );
        self.give.check(c);
    }
}

/// A norm names each tie kind at most once.
fn check_norm(c: &mut Checker, path: &str, norm: &[TieKind]) {
    let mut seen = HashSet::new();
    for (i, kind) in norm.iter().enumerate() {
        if !seen.insert(kind) {
            c.fail(
                format!("{path}[{i}]"),
                format!("`{kind}` appears twice"),
                "name each tie kind at most once",
            );
        }
    }
}

/// Tasks asked along one order of tie kinds: the general norm's tasks, and
/// those of each norm of `task_norms`, partners left out (they help first by
/// the household rule).
#[derive(Debug, Clone, PartialEq)]
pub struct NormGroup {
    pub tasks: super::TaskSet,
    pub norm: Vec<TieKind>,
}

impl AskingParams {
    /// The groups of tasks by the norm they are asked along, in the order of
    /// their first task; one group of every task when no task has a norm of
    /// its own.
    pub fn norm_groups(&self) -> Vec<NormGroup> {
        let mut groups: Vec<NormGroup> = Vec::new();
        for task in Task::ALL {
            let norm: Vec<TieKind> = self
                .task_norms
                .get(task)
                .unwrap_or(&self.help_seeking_norm)
                .iter()
                .copied()
                .filter(|k| *k != TieKind::Partner)
                .collect();
            match groups.iter_mut().find(|g| g.norm == norm) {
                Some(group) => group.tasks = group.tasks.with(*task),
                None => groups.push(NormGroup {
                    tasks: super::TaskSet::default().with(*task),
                    norm,
                }),
            }
        }
        groups
    }
}

impl GiveParams {
    fn check(&self, c: &mut Checker) {
        for (name, value) in [
            ("base", self.base),
            ("helpfulness", self.helpfulness),
            ("trust", self.trust),
            ("strain", self.strain),
            ("out_of_scope", self.out_of_scope),
            ("distance", self.distance),
            ("unreturned", self.unreturned),
            ("long_episode", self.long_episode),
            ("frailty", self.frailty),
            ("sex_gap", self.sex_gap),
        ] {
            c.log_odds(&format!("behaviour.give.{name}"), value);
        }
        c.within(
            "behaviour.give.frailty_age",
            f64::from(self.frailty_age),
            18.0,
            f64::from(crate::demography::OLDEST_AGE),
            "an age in years",
        );
        c.positive("behaviour.give.distance_scale_km", self.distance_scale_km);
        c.positive("behaviour.give.patience_weeks", self.patience_weeks);
        c.share(
            "behaviour.give.distance_without_presence",
            self.distance_without_presence,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_hours_fall_with_reluctance_and_all_are_named_at_share_one() {
        let ask = AskParams {
            named_share_when_reluctant: 0.4,
            ..AskParams::default()
        };
        let open = Hours::from_f64(10.0);
        assert_eq!(ask.named_hours(open, 0.0), open);
        assert_eq!(ask.named_hours(open, 1.0), Hours::from_f64(4.0));
        assert_eq!(ask.named_hours(open, 0.5), Hours::from_f64(7.0));
        assert_eq!(AskParams::default().named_hours(open, 0.9), open);
    }
}
