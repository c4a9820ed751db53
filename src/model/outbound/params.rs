//! Parameters of care for parents outside the area: the `[outbound]` section.

use serde::{Deserialize, Serialize};

use crate::scenario::Checker;

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
    /// The rest is shared among the parent's children: a resident child is
    /// asked for `1 / (1 + siblings in touch)` of it. `false` asks the resident
    /// child for all of it.
    pub shared_with_siblings: bool,
    /// A child who agrees to a task of a parent's long-term need keeps doing
    /// it each week until the need ends or the child burns out (care as a
    /// routine). `false` asks the child anew each week, task by task.
    pub committed_care: bool,
}

impl Default for OutboundParams {
    fn default() -> Self {
        OutboundParams {
            enabled: true,
            formal_share: 0.17,
            shared_with_siblings: true,
            committed_care: true,
        }
    }
}

impl OutboundParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.share("outbound.formal_share", self.formal_share);
    }
}
