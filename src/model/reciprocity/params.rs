//! Parameters of reciprocity and favours: keys of the `[behaviour]` table.

use crate::scenario::Checker;

/// Returned favours and fading balances (docs/ODD.md §7.10.10).
#[derive(Debug, Clone, PartialEq)]
pub struct ReciprocityParams {
    /// Share of a tie's balance that fades each week.
    pub balance_fade: f64,
    /// Chance per week that a helped resident with spare capacity returns a favour.
    pub return_favour_chance: f64,
    pub return_favour_hours: f64,
}

impl Default for ReciprocityParams {
    fn default() -> Self {
        ReciprocityParams {
            balance_fade: 0.02,
            return_favour_chance: 0.3,
            return_favour_hours: 1.0,
        }
    }
}

impl ReciprocityParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.share("behaviour.balance_fade", self.balance_fade);
        c.share("behaviour.return_favour_chance", self.return_favour_chance);
        c.within(
            "behaviour.return_favour_hours",
            self.return_favour_hours,
            0.0,
            40.0,
            "hours",
        );
    }
}
