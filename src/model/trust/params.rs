//! Parameters of trust: keys of the `[behaviour]` table.

use crate::scenario::Checker;

/// How help and refusals move a tie's trust (docs/ODD.md §7.10.12).
#[derive(Debug, Clone, PartialEq)]
pub struct TrustParams {
    /// Trust gained by a tie per help given.
    pub trust_gain: f64,
    /// Trust lost by a tie per refusal.
    pub trust_loss: f64,
}

impl Default for TrustParams {
    fn default() -> Self {
        TrustParams {
            trust_gain: 0.02,
            trust_loss: 0.01,
        }
    }
}

impl TrustParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.share("behaviour.trust_gain", self.trust_gain);
        c.share("behaviour.trust_loss", self.trust_loss);
    }
}
