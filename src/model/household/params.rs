//! Parameters of household first: keys of the `[behaviour]` table.

use crate::kinds::Task;
use crate::scenario::Checker;

/// What a partner does before anyone is asked (docs/ODD.md §7.10.3).
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdParams {
    /// Extra weekly hours a partner can give to the partner in need, beyond the
    /// capacity for helping others.
    pub partner_extra_hours: f64,
    /// Tasks in which a partner's help is *usual help* (gebruikelijke hulp):
    /// what housemates are expected to do for each other, not mantelzorg in the
    /// CBS carer figures, and not granted by the district team to a resident
    /// living with a partner when `formal.usual_help_norm` holds.
    pub usual_help_tasks: Vec<Task>,
    /// Share of a partner's hours on the usual-help tasks that is their
    /// ordinary share of the housework (usual help); the rest, taking over
    /// what the partner in need did, is care in the CBS carer figures.
    pub usual_help_share: f64,
}

impl Default for HouseholdParams {
    fn default() -> Self {
        HouseholdParams {
            partner_extra_hours: 45.0,
            usual_help_tasks: vec![Task::Household],
            usual_help_share: 0.5,
        }
    }
}

impl HouseholdParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.within(
            "behaviour.partner_extra_hours",
            self.partner_extra_hours,
            0.0,
            100.0,
            "hours per week",
        );
        c.each_once("behaviour.usual_help_tasks", &self.usual_help_tasks, "task");
        c.share("behaviour.usual_help_share", self.usual_help_share);
    }

    /// Whether a partner's help with `task` is usual help.
    pub fn is_usual_help(&self, task: Task) -> bool {
        self.usual_help_tasks.contains(&task)
    }
}
