//! Parameters of household first: a key of the `[behaviour]` table.

use crate::scenario::Checker;

/// What a partner does before anyone is asked (docs/ODD.md §7.10.3).
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdParams {
    /// Extra weekly hours a partner can give to the partner in need, beyond the
    /// capacity for helping others.
    pub partner_extra_hours: f64,
}

impl Default for HouseholdParams {
    fn default() -> Self {
        HouseholdParams {
            partner_extra_hours: 20.0,
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
    }
}
