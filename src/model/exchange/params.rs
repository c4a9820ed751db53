//! Parameters of the help exchange: the `[help_exchange]` table of a scenario file.

use serde::{Deserialize, Serialize};

use crate::kinds::Task;
use crate::scenario::{Catchment, Checker};

/// A help exchange with a coordinator (docs/ODD.md §7.10.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HelpExchange {
    pub enabled: bool,
    pub catchment: Catchment,
    /// Matches the coordinator can make per week (per catchment).
    pub matches_per_week: u32,
    /// Share of adults registered as volunteers.
    pub volunteer_share: f64,
    /// Only residents who offer something themselves may ask.
    pub reciprocity_rule: bool,
    /// Tasks the exchange takes on.
    pub tasks: Vec<Task>,
    /// Log-odds that a resident with unmet need in those tasks turns to the
    /// exchange, at reluctance 0.
    pub ask_base: f64,
    /// Per unit of the resident's reluctance to ask.
    pub ask_reluctance: f64,
    /// Share of that reluctance the reciprocity rule takes away: asking is a trade,
    /// not a favour (Bredewold).
    pub reciprocity_reluctance_lift: f64,
}

impl Default for HelpExchange {
    fn default() -> Self {
        HelpExchange {
            enabled: false,
            catchment: Catchment::Area,
            matches_per_week: 10,
            volunteer_share: 0.03,
            reciprocity_rule: false,
            tasks: vec![
                Task::Household,
                Task::Transport,
                Task::Administration,
                Task::Company,
            ],
            ask_base: 0.5,
            ask_reluctance: -3.0,
            reciprocity_reluctance_lift: 0.6,
        }
    }
}

impl HelpExchange {
    /// Range checks of the `[help_exchange]` table.
    pub(crate) fn check(&self, c: &mut Checker) {
        c.catchment("help_exchange.catchment", &self.catchment);
        c.share("help_exchange.volunteer_share", self.volunteer_share);
        c.log_odds("help_exchange.ask_base", self.ask_base);
        c.log_odds("help_exchange.ask_reluctance", self.ask_reluctance);
        c.share(
            "help_exchange.reciprocity_reluctance_lift",
            self.reciprocity_reluctance_lift,
        );
        if self.enabled && self.tasks.is_empty() {
            c.fail(
                "help_exchange.tasks",
                "an enabled help exchange takes on no tasks",
                "list the tasks it takes on, e.g. [\"household\", \"company\"]",
            );
        }
    }
}
