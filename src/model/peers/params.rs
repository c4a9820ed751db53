//! Parameters of fellow sufferers meeting: a key of the `[behaviour]` table.

use crate::scenario::Checker;

/// How often residents with a long-term need meet a peer (docs/ODD.md §7.10.13).
#[derive(Debug, Clone, PartialEq)]
pub struct PeerParams {
    /// Yearly chance that a resident with a long-term need meets a fellow sufferer.
    pub peer_tie_per_year: f64,
}

impl Default for PeerParams {
    fn default() -> Self {
        PeerParams {
            peer_tie_per_year: 0.5,
        }
    }
}

impl PeerParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.within(
            "behaviour.peer_tie_per_year",
            self.peer_tie_per_year,
            0.0,
            52.0,
            "ties per year",
        );
    }
}
