//! Parameters of care for parents outside the area: the `[outbound]` section.

use crate::hours::HOURS_IN_A_WEEK;
use serde::{Deserialize, Serialize};

use crate::kinds::Task;
use crate::scenario::{Checker, TaskMix};

/// Who else meets an outside parent's need, so that a resident child is asked
/// for their own part of it (docs/ODD.md §7.10.19).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboundParams {
    /// Parents outside the area have needs on the residents' need model, and
    /// their resident children help them. `false` gives the model without care
    /// across the boundary outward (as before generations).
    pub enabled: bool,
    /// Share of an outside parent's long-term need that professionals where
    /// the parent lives meet (wijkverpleging, Wmo of their own municipality).
    pub formal_share: f64,
    /// The rest is shared among the parent's children (the resident and their
    /// siblings in touch). `false` asks the resident child for all of it.
    pub shared_with_siblings: bool,
    /// Among siblings one child is the main carer (the hoofdmantelzorger) and
    /// is asked for `main_carer_share` of what is left; the others share the
    /// rest equally. Each child is the main carer with the same chance, drawn
    /// once per parent and child. `false` shares it equally.
    pub main_carer: bool,
    /// Whether the main carer is the child who lives nearest the parent (the
    /// siblings' distances drawn from the family-distance law), rather than
    /// each child with the same chance.
    pub main_carer_nearest: bool,
    /// How many times as likely a daughter is as a son to be the main carer
    /// of a parent (CBS 2024: half of the daughters of parents aged 80+ care
    /// for them and a quarter of the sons, 14% and 7% for 8+ hours a week;
    /// docs/ODD.md §7.10.19). 1: sex does not matter.
    pub main_carer_daughter_weight: f64,
    /// The main carer's part when siblings share the care (0–1).
    pub main_carer_share: f64,
    /// Hours a week on top of their hours for others that a main carer (an
    /// only child, or the sibling who is the main carer) gives a parent in
    /// need: cutting down on work and their own time, as partners do
    /// (`behaviour.partner_extra_hours`). Strain counts against both.
    pub main_carer_extra_hours: f64,
    /// A child who agrees to a task of a parent's long-term need keeps doing
    /// it each week until the need ends or the child burns out (care as a
    /// routine). `false` asks the child anew each week, task by task.
    pub committed_care: bool,
    /// The tasks the other parent, living with the one in need, takes on
    /// before the children are asked (all by default). Without some, those
    /// tasks fall to the children even when the other parent has hours left
    /// (Litwak's task-specific model: a spouse does the daily tasks at home,
    /// children those at a distance).
    pub co_parent_tasks: Vec<Task>,
    /// The resident child's partner, tied to the parent as a child-in-law
    /// (`kinship.parents_in_law`), is asked for what the child leaves of
    /// their part of a long-term need, by the same formulas over their own
    /// tie, and keeps the tasks they agree to as a child does (docs/ODD.md
    /// §7.10.19).
    pub in_law_care: bool,
    /// The child's partner is also asked for the child's part of a parent's
    /// short illnesses and emergencies, not only of a long-term need.
    pub in_law_short_needs: bool,
    /// Share of parents aged 80–89 who live in a nursing home (docs/ODD.md
    /// §7.10.19, step 9). Their care is the home's; their children visit and
    /// help with `nursing_home_hours` a week. 0 (both shares) gives the model
    /// without nursing homes.
    pub nursing_home_share_80_89: f64,
    /// Share of parents aged 90 or older who live in a nursing home. At least
    /// the share at 80–89, so that nobody leaves a home as they age.
    pub nursing_home_share_90_plus: f64,
    /// Hours a week of help a parent in a nursing home gets from their family
    /// (visits, company, affairs, some personal care): shared among the
    /// children as any other need, after the other parent.
    pub nursing_home_hours: f64,
    /// How those hours divide over tasks.
    pub nursing_home_task_mix: TaskMix,
}

impl Default for OutboundParams {
    fn default() -> Self {
        OutboundParams {
            enabled: true,
            formal_share: 0.17,
            shared_with_siblings: true,
            main_carer: true,
            main_carer_nearest: false,
            main_carer_daughter_weight: 1.0,
            main_carer_share: 0.7,
            main_carer_extra_hours: 0.0,
            committed_care: true,
            co_parent_tasks: Task::ALL.to_vec(),
            in_law_care: true,
            in_law_short_needs: false,
            nursing_home_share_80_89: 0.08,
            nursing_home_share_90_plus: 0.24,
            nursing_home_hours: 20.0,
            // household, personal_care, transport, administration, company, emergency
            nursing_home_task_mix: TaskMix([0.0, 0.2, 0.1, 0.2, 0.5, 0.0]),
        }
    }
}

impl OutboundParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.share("outbound.formal_share", self.formal_share);
        c.share("outbound.main_carer_share", self.main_carer_share);
        c.within(
            "outbound.main_carer_daughter_weight",
            self.main_carer_daughter_weight,
            0.1,
            10.0,
            "a ratio of chances",
        );
        c.within(
            "outbound.main_carer_extra_hours",
            self.main_carer_extra_hours,
            0.0,
            HOURS_IN_A_WEEK,
            "hours per week",
        );
        c.each_once("outbound.co_parent_tasks", &self.co_parent_tasks, "task");
        c.share(
            "outbound.nursing_home_share_80_89",
            self.nursing_home_share_80_89,
        );
        c.share(
            "outbound.nursing_home_share_90_plus",
            self.nursing_home_share_90_plus,
        );
        if self.nursing_home_share_90_plus < self.nursing_home_share_80_89 {
            c.fail(
                "outbound.nursing_home_share_90_plus",
                format!(
                    "{} is below outbound.nursing_home_share_80_89 ({}): a parent \
                     who lives in a nursing home stays there as they age",
                    self.nursing_home_share_90_plus, self.nursing_home_share_80_89
                ),
                "make the share at 90+ at least the share at 80-89",
            );
        }
        c.within(
            "outbound.nursing_home_hours",
            self.nursing_home_hours,
            0.0,
            HOURS_IN_A_WEEK,
            "hours per week",
        );
        c.task_mix(
            "outbound.nursing_home_task_mix",
            &self.nursing_home_task_mix,
        );
    }
}

impl OutboundParams {
    /// The share of parents of `age` who live in a nursing home.
    pub fn nursing_home_share(&self, age: u8) -> f64 {
        match age {
            0..=79 => 0.0,
            80..=89 => self.nursing_home_share_80_89,
            _ => self.nursing_home_share_90_plus,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Scenario, validate};

    #[test]
    fn fewer_parents_in_a_home_at_90_than_at_80_is_a_problem_of_the_scenario() {
        let mut scenario = Scenario::default();
        assert!(validate(&scenario).is_empty());
        scenario.outbound.nursing_home_share_90_plus = 0.05;
        let problems = validate(&scenario);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "outbound.nursing_home_share_90_plus");
        scenario.outbound.nursing_home_task_mix.0[0] += 0.1;
        assert_eq!(validate(&scenario).len(), 2, "a mix that does not sum to 1");
    }
}
