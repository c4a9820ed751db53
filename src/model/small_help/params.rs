//! Parameters of neighbours' small help: the `[small_help]` section.

use serde::{Deserialize, Serialize};

use crate::kinds::Task;
use crate::scenario::Checker;

/// Neighbours who look in on a resident with a long-term need (docs/ODD.md
/// §7.10.20).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmallHelpParams {
    /// Most hours a week a resident with a long-term need gets from all their
    /// neighbours together by looking in, whatever the trust or the cohesion.
    pub hours_per_week: f64,
    /// The tasks neighbours do when they look in.
    pub tasks: Vec<Task>,
    /// A neighbour looks in only on someone they trust at least this much.
    pub min_trust: f64,
    /// Neighbours who may look in on one resident: their most trusted ones, at
    /// most this many. Structural help from neighbours is a personal tie with one
    /// or two of them, not a street's many acquaintances (Jager-Vreugdenhil).
    pub visitors: u32,
    /// Log-odds that such a neighbour looks in this week, before helpfulness and
    /// strain (weighed by the give coefficients of `[behaviour.give]`). Trust
    /// decides who they are, not how often they come.
    pub base: f64,
    /// Friends who keep a friend with a long-term need company (session 19).
    pub friends: FriendVisitParams,
}

impl Default for SmallHelpParams {
    fn default() -> Self {
        SmallHelpParams {
            hours_per_week: 1.25,
            tasks: vec![Task::Company, Task::Transport, Task::Household],
            min_trust: 0.3,
            visitors: 1,
            base: -1.2,
            friends: FriendVisitParams::default(),
        }
    }
}

/// Friends who visit a friend with a long-term need and keep them company,
/// offered, not asked (docs/ODD.md §7.10.20): Egging, De Boer & Stevens
/// (2011) found friends to be 9% of the carers of people aged 55+ outside
/// their household, caring for years like children but lightly like
/// neighbours. The same rule as neighbours' look-ins, with the distance to
/// travel lowering the chance as it lowers giving. Off at
/// `hours_per_week = 0` (as until session 19).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FriendVisitParams {
    /// Most hours a week a resident with a long-term need gets from all their
    /// friends together by visiting; 0 turns the visits off.
    pub hours_per_week: f64,
    /// The tasks friends do when they visit.
    pub tasks: Vec<Task>,
    /// A friend visits only someone they trust at least this much.
    pub min_trust: f64,
    /// Friends who may visit one resident: their most trusted ones, at most
    /// this many.
    pub visitors: u32,
    /// Log-odds that such a friend visits this week, before helpfulness,
    /// strain and distance (weighed by the coefficients of `[behaviour.give]`).
    pub base: f64,
}

impl Default for FriendVisitParams {
    fn default() -> Self {
        FriendVisitParams {
            hours_per_week: 1.25,
            tasks: vec![Task::Company],
            min_trust: 0.5,
            visitors: 1,
            base: -0.8,
        }
    }
}

impl SmallHelpParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        check_visits(
            c,
            "small_help",
            self.hours_per_week,
            &self.tasks,
            self.min_trust,
            self.visitors,
            self.base,
        );
        let f = &self.friends;
        check_visits(
            c,
            "small_help.friends",
            f.hours_per_week,
            &f.tasks,
            f.min_trust,
            f.visitors,
            f.base,
        );
    }
}

/// The checks of one kind of visitor's settings, under `prefix`.
fn check_visits(
    c: &mut Checker,
    prefix: &str,
    hours_per_week: f64,
    tasks: &[Task],
    min_trust: f64,
    visitors: u32,
    base: f64,
) {
    c.within(
        &format!("{prefix}.hours_per_week"),
        hours_per_week,
        0.0,
        40.0,
        "hours per week",
    );
    c.share(&format!("{prefix}.min_trust"), min_trust);
    c.log_odds(&format!("{prefix}.base"), base);
    c.within(
        &format!("{prefix}.visitors"),
        f64::from(visitors),
        0.0,
        20.0,
        "visitors",
    );
    c.each_once(&format!("{prefix}.tasks"), tasks, "task");
}
