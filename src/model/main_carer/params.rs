//! Parameters of the main carer of a resident's long-term need: the
//! `[main_carer]` section.

use serde::{Deserialize, Serialize};

use crate::hours::HOURS_IN_A_WEEK;
use crate::kinds::CareRelation;
use crate::scenario::Checker;

/// One relative carries the bulk of a resident's long-term need (docs/ODD.md
/// §7.10.21).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MainCarerParams {
    /// A resident with a long-term need turns to one relative, who takes on
    /// the tasks they agree to as a routine. `false` leaves the need to the
    /// asking rounds, week by week (as before session 10).
    pub enabled: bool,
    /// Who may become the main carer, by what they are to the resident, in the
    /// order looked at; within a relation the nearest is asked first. Partners
    /// help by the household rule and neighbours look in (§7.10.20), so
    /// neither is listed.
    pub relations: Vec<CareRelation>,
    /// Share of the long-term need that the household and professionals
    /// leave open which the main carer is asked for; others are asked for
    /// the rest in the asking rounds.
    pub share: f64,
    /// A relative becomes the main carer only over a tie of at least this
    /// trust (the usable trust of `behaviour.usable_tie_trust` by default).
    pub min_trust: f64,
    /// Hours a week on top of their hours for others that a main carer gives
    /// (cutting down on work and their own time, as partners do with
    /// `behaviour.partner_extra_hours`). Strain counts against both.
    pub extra_hours: f64,
}

impl Default for MainCarerParams {
    fn default() -> Self {
        MainCarerParams {
            enabled: false,
            relations: vec![
                CareRelation::Child,
                CareRelation::Parent,
                CareRelation::Sibling,
                CareRelation::OtherKin,
                CareRelation::Friend,
            ],
            share: 0.7,
            min_trust: 0.5,
            extra_hours: 0.0,
        }
    }
}

impl MainCarerParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.share("main_carer.share", self.share);
        c.share("main_carer.min_trust", self.min_trust);
        c.within(
            "main_carer.extra_hours",
            self.extra_hours,
            0.0,
            HOURS_IN_A_WEEK,
            "hours per week",
        );
        for (i, relation) in self.relations.iter().enumerate() {
            if self.relations[..i].contains(relation) {
                c.fail(
                    "main_carer.relations",
                    format!("`{relation}` is listed twice"),
                    "name each relation once",
                );
            }
            if matches!(relation, CareRelation::Partner | CareRelation::Neighbour) {
                c.fail(
                    "main_carer.relations",
                    format!(
                        "`{relation}` cannot be a main carer here: partners help by the \
                         household rule and neighbours by looking in"
                    ),
                    "list only child, parent, sibling, other_kin, friend or other",
                );
            }
        }
    }
}
