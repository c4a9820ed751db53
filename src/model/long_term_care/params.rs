//! Parameters of long-term care at home: the `[long_term_care]` table.

use serde::{Deserialize, Serialize};

use crate::hours::HOURS_IN_A_WEEK;
use crate::scenario::Checker;

/// Professional long-term care at home under the Wlz (Wet langdurige zorg) for
/// needs of care around the clock (docs/ODD.md §7.10.23).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LongTermCareParams {
    /// Off: heavy long-term needs at home get no care but the household's, the
    /// network's and the district team's (as until session 25).
    pub enabled: bool,
    /// A long-term need of at least this many hours a week is one of care
    /// nearby around the clock, the Wlz's criterion: by default the lower end
    /// of the heavy needs (`needs.long_term_heavy_hours.min`).
    pub min_need_hours: f64,
    /// Weeks from the intake with the district team, which refers such a
    /// need to the CIZ, to the Wlz's care: the CIZ's legal term for its
    /// decision. Until then the team serves the case as any other.
    pub indication_weeks: u32,
    /// The most professional hours a week the Wlz gives at home: what the
    /// partner and the network leave of the need, up to this (assumption:
    /// about two hours a day).
    pub hours_per_week: f64,
    /// In a week the client's partner is burnt out, the client stays this many
    /// days and nights in a nursing home (the Wlz's short stay, kortdurend
    /// verblijf: at most three a week, for clients at home, to relieve the
    /// carer), where the home gives all the care of those days. 0: no stays
    /// (as until session 26).
    pub stay_days_per_week: f64,
}

impl Default for LongTermCareParams {
    fn default() -> Self {
        LongTermCareParams {
            enabled: true,
            min_need_hours: 35.0,
            indication_weeks: 6,
            hours_per_week: 14.0,
            stay_days_per_week: 3.0,
        }
    }
}

impl LongTermCareParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.within(
            "long_term_care.min_need_hours",
            self.min_need_hours,
            0.0,
            HOURS_IN_A_WEEK,
            "hours per week",
        );
        c.within(
            "long_term_care.hours_per_week",
            self.hours_per_week,
            0.0,
            HOURS_IN_A_WEEK,
            "hours per week",
        );
        c.within(
            "long_term_care.stay_days_per_week",
            self.stay_days_per_week,
            0.0,
            DAYS_IN_A_WEEK,
            "days a week",
        );
    }
}

/// Days in a week, the most a client can stay.
pub(super) const DAYS_IN_A_WEEK: f64 = 7.0;
