//! The model's rules, one folder per submodel. Each folder holds the submodel's
//! parameters (struct, `Default`, range checks), its formulas, its weekly step and
//! unit tests of that step on a tiny hand-built world. The engine
//! ([`crate::engine`]) only schedules the steps; docs/ODD.md §7.10 describes each.
//!
//! | submodel | folder | ODD |
//! |---|---|---|
//! | needs and episodes | [`needs`] | §7.10.1, §7.10.9 |
//! | household first | [`household`] | §7.10.3 |
//! | asking and giving | [`asking`] | §7.10.5, §7.10.6 |
//! | formal care | [`formal`] | §7.10.4, §7.10.8 |
//! | the help exchange | [`exchange`] | §7.10.7 |
//! | reciprocity and favours | [`reciprocity`] | §7.10.10 |
//! | capacity, strain and burnout | [`strain`] | §7.10.2, §7.10.11 |
//! | trust | [`trust`] | §7.10.12 |
//! | peers and new ties | [`peers`] | §7.10.13, §7.10.14 |
//! | interventions | [`interventions`] | §7.10.16 |
//! | care for parents outside the area | [`outbound`] | §7.10.19 |
//! | neighbours' small help | [`small_help`] | §7.10.20 |
//! | the main carer of a long-term need | [`main_carer`] | §7.10.21 |
//! | respite care for burdened partners | [`respite`] | §7.10.22 |
//! | long-term care at home under the Wlz | [`long_term_care`] | §7.10.23 |
//! | demography at the turn of a year | [`demography`] | §7.2.1 |
//!
//! Shared by the steps: a resident in need ([`case`]), a gift booked on both
//! sides ([`gift`]), who cared for whom ([`ledger`]) and the definitions of what
//! is counted as an involved, burdened or missing network ([`measures`]).

pub mod asking;
pub mod case;
pub mod demography;
pub mod exchange;
pub mod formal;
pub mod gift;
pub mod household;
pub mod interventions;
pub mod ledger;
pub mod long_term_care;
pub mod main_carer;
pub mod measures;
pub mod needs;
pub mod outbound;
pub mod peers;
pub mod reciprocity;
pub mod respite;
pub mod small_help;
pub mod strain;
pub mod trust;

#[cfg(test)]
pub(crate) mod testing;

use crate::population::People;
use crate::scenario::Scenario;
use interventions::Policy;

/// Items (cases, parents in need) whose memory a step's `touch_*` pass reads
/// in one pass before they are handled one after another: their misses are in
/// flight together (docs/ARCHITECTURE.md §4, session 24: 32 gave the same as
/// 16). One value for every step that batches so.
pub(crate) const TOUCH_BATCH: usize = 16;

/// What every weekly step may read and none may change: the scenario, the
/// people, the week and this week's levers in each neighbourhood.
#[derive(Clone, Copy)]
pub struct Week<'a> {
    pub scenario: &'a Scenario,
    pub people: &'a People,
    /// The simulation week, burn-in counted.
    pub week: u32,
    /// This week's policy in each neighbourhood.
    pub policies: &'a [Policy],
}

impl<'a> Week<'a> {
    pub fn new(
        scenario: &'a Scenario,
        people: &'a People,
        week: u32,
        policies: &'a [Policy],
    ) -> Week<'a> {
        Week {
            scenario,
            people,
            week,
            policies,
        }
    }
}
