//! What the tallies count as an involved, burdened or missing network: keys of the
//! `[behaviour]` table that define measurements (docs/ODD.md §7.10.8, §7.10.9)
//! rather than behaviour. They change what is counted, not what anyone does,
//! with one exception: the `respite` lever relieves a partner whose strain is
//! at or above `burden_threshold` (docs/ODD.md §7.10.22).

use crate::scenario::Checker;

/// Definitions of the network measures.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureParams {
    /// Strain at or above which a carer counts as heavily burdened, and a
    /// network as burdened at intake (and a partner may get respite).
    pub burden_threshold: f64,
    /// Weeks back in which informal help counts as the network being involved at a
    /// formal intake (Bredewold's definition in Appendix B, docs/ODD.md §1.3: 4).
    pub involvement_weeks: u32,
    /// Weeks of that window in which one helper must have given care for the
    /// network to count as involved: Bredewold's "already involved" is care that
    /// is going on, not a one-off favour (docs/ODD.md §7.10.8).
    pub involvement_min_weeks: u32,
    /// A resident without any tie of at least this trust (partner included) has no
    /// usable network and is counted as isolated in the outcomes.
    pub usable_tie_trust: f64,
}

impl Default for MeasureParams {
    fn default() -> Self {
        MeasureParams {
            burden_threshold: 0.6,
            involvement_weeks: 4,
            involvement_min_weeks: 2,
            usable_tie_trust: 0.5,
        }
    }
}

impl MeasureParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        if self.involvement_weeks == 0 || self.involvement_weeks > 52 {
            c.fail(
                "behaviour.involvement_weeks",
                format!("{} weeks", self.involvement_weeks),
                "set `behaviour.involvement_weeks` from 1 to 52",
            );
        }
        if self.involvement_min_weeks == 0
            || self.involvement_min_weeks > self.involvement_weeks + 1
        {
            c.fail(
                "behaviour.involvement_min_weeks",
                format!(
                    "{} weeks, with a window of {} weeks and the intake week",
                    self.involvement_min_weeks, self.involvement_weeks
                ),
                "set `behaviour.involvement_min_weeks` from 1 to `behaviour.involvement_weeks` + 1",
            );
        }
        c.share("behaviour.usable_tie_trust", self.usable_tie_trust);
        c.within(
            "behaviour.burden_threshold",
            self.burden_threshold,
            0.01,
            1.0,
            "a strain level",
        );
    }
}
