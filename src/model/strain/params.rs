//! Parameters of capacity, strain and burnout: keys of the `[behaviour]` table.

use crate::kinds::EpisodeKind;
use crate::model::case::Case;
use crate::scenario::Checker;

/// How giving wears carers out (docs/ODD.md §7.10.2, §7.10.11).
#[derive(Debug, Clone, PartialEq)]
pub struct StrainParams {
    /// Share of capacity a helper gives without strain.
    pub comfortable_share: f64,
    /// Strain gained per week at full capacity beyond the comfortable share.
    pub strain_gain: f64,
    /// Strain lost per week when giving no more than the comfortable share.
    pub strain_recovery: f64,
    /// Strain at which a helper burns out.
    pub burnout_threshold: f64,
    /// Weeks a burnt-out helper gives nothing.
    pub burnout_weeks: u32,
    /// Share of their own capacity that residents keep for others while they have a
    /// short-term need themselves, and of a partner's extra hours that a partner
    /// with a short- or long-term need keeps (docs/ODD.md §7.10.2, §7.10.3).
    pub capacity_in_need_share: f64,
    /// Share of their own capacity that residents keep for others while they have
    /// a long-term need themselves: someone who needs help with their own
    /// household and care for months does not carry another's (docs/ODD.md
    /// §7.10.2). Their partner's care comes from the extra hours.
    pub capacity_in_long_term_need_share: f64,
    /// Whether a burnt-out carer goes on with the care that is part of their
    /// relationship (a partner's care at home, a main carer's tasks for a parent
    /// outside the area) within the extra hours kept for it, while they stop
    /// helping anyone else. `false`: burnout ends all care for its weeks.
    pub burnout_keeps_main_care: bool,
}

impl Default for StrainParams {
    fn default() -> Self {
        StrainParams {
            comfortable_share: 0.62,
            strain_gain: 0.047,
            strain_recovery: 0.05,
            burnout_threshold: 0.9,
            burnout_weeks: 8,
            capacity_in_need_share: 0.25,
            capacity_in_long_term_need_share: 0.0,
            burnout_keeps_main_care: false,
        }
    }
}

impl StrainParams {
    /// Whether a burnt-out carer goes on with the care they carry, given the
    /// `extra_hours` kept for it: only with the lever on and some such hours
    /// (docs/ODD.md §7.10.11).
    pub fn carries_on_within(&self, extra_hours: f64) -> bool {
        self.burnout_keeps_main_care && extra_hours > 0.0
    }

    /// Settings under which residents in need keep `share` of their capacity,
    /// whatever their need (for tests of a step's own arithmetic).
    #[cfg(test)]
    pub fn keeping(share: f64) -> StrainParams {
        StrainParams {
            capacity_in_need_share: share,
            capacity_in_long_term_need_share: share,
            ..StrainParams::default()
        }
    }

    /// The share of their capacity a resident in need keeps for others this
    /// week, by the needs of their case; `None` when nothing limits it
    /// (emergencies do not).
    pub fn capacity_kept(&self, case: &Case) -> Option<f64> {
        self.capacity_kept_in(
            case.has_episode(EpisodeKind::ShortTerm),
            case.has_episode(EpisodeKind::LongTerm),
        )
    }

    /// The share kept by someone with a running short-term and/or long-term
    /// episode: each kind's own share, the smaller when both run (a second
    /// need never leaves more hours than one).
    pub fn capacity_kept_in(&self, short_term: bool, long_term: bool) -> Option<f64> {
        match (short_term, long_term) {
            (false, false) => None,
            (true, false) => Some(self.capacity_in_need_share),
            (false, true) => Some(self.capacity_in_long_term_need_share),
            (true, true) => Some(
                self.capacity_in_need_share
                    .min(self.capacity_in_long_term_need_share),
            ),
        }
    }

    pub(crate) fn check(&self, c: &mut Checker) {
        c.share(
            "behaviour.capacity_in_need_share",
            self.capacity_in_need_share,
        );
        c.share(
            "behaviour.capacity_in_long_term_need_share",
            self.capacity_in_long_term_need_share,
        );
        if self.burnout_weeks == 0 || self.burnout_weeks > 255 {
            c.fail(
                "behaviour.burnout_weeks",
                format!("{} weeks of burnout", self.burnout_weeks),
                "set `behaviour.burnout_weeks` from 1 to 255",
            );
        }
        c.within(
            "behaviour.comfortable_share",
            self.comfortable_share,
            0.01,
            1.0,
            "a share",
        );
        c.share("behaviour.strain_gain", self.strain_gain);
        c.share("behaviour.strain_recovery", self.strain_recovery);
        c.within(
            "behaviour.burnout_threshold",
            self.burnout_threshold,
            0.01,
            1.0,
            "a strain level",
        );
    }
}
