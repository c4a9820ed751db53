//! Parameters of formal care: the `[formal]` table of a scenario file.

use crate::hours::HOURS_IN_A_WEEK;
use serde::{Deserialize, Serialize};

use crate::scenario::{Checker, Range};

/// The district team ("wijkteam"), docs/ODD.md §7.10.8.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FormalCare {
    /// Weekly professional hours per 1,000 adult residents.
    pub hours_per_1000_residents: f64,
    /// Weeks of unmet long-term need before applying, at formal trust 1 and 0
    /// (linear in between).
    pub application_delay_weeks: Range,
    /// Weekly unmet long-term hours that count as a reason to apply.
    pub min_unmet_hours: f64,
    /// Network-first intake ("eigen kracht eerst").
    pub network_first: bool,
    /// Weeks the network is activated before professional hours are assigned.
    pub activation_weeks: u32,
    /// How much of the applicant's reluctance is lifted while activated (0–1).
    pub reluctance_lift: f64,
    /// Under network-first, the hours a week the team expects the network of an
    /// applicant with a kin or friend tie within reach to give, and does not
    /// grant (De Lange: the team assumes a network can take over; docs/ODD.md
    /// §7.10.8).
    pub network_first_expected_hours: f64,
    /// How far (km) a kin or friend tie may live and still count in the team's
    /// picture of the network.
    pub network_first_reach_km: f64,
    /// Weeks between reassessments of a client's hours.
    pub assignment_weeks: u32,
    /// Most professional hours a week one client is given (the indication's cap).
    pub max_hours_per_client: f64,
    /// The Wmo's usual-help norm: the team grants no hours for the usual-help
    /// tasks (`behaviour.usual_help_tasks`) of a resident whose partner lives
    /// with them and is not burnt out (docs/ODD.md §7.10.8).
    pub usual_help_norm: bool,
    /// Share of long-term needs whose road to the team starts with a referral
    /// (the GP, a hospital discharge, the district nurse): the resident applies
    /// in the first week their need is unmet, without the application delay,
    /// often before the network is involved (Bredewold et al. 2020).
    pub referred_share: f64,
}

impl Default for FormalCare {
    fn default() -> Self {
        FormalCare {
            hours_per_1000_residents: 200.0,
            application_delay_weeks: Range::new(2.0, 20.0),
            min_unmet_hours: 2.0,
            network_first: false,
            activation_weeks: 6,
            reluctance_lift: 0.5,
            network_first_expected_hours: 0.0,
            network_first_reach_km: 20.0,
            assignment_weeks: 26,
            max_hours_per_client: 6.0,
            usual_help_norm: true,
            referred_share: 0.5,
        }
    }
}

impl FormalCare {
    /// Range checks of the `[formal]` table.
    pub(crate) fn check(&self, c: &mut Checker) {
        c.within(
            "formal.hours_per_1000_residents",
            self.hours_per_1000_residents,
            0.0,
            100_000.0,
            "hours per week",
        );
        c.range(
            "formal.application_delay_weeks",
            self.application_delay_weeks,
        );
        c.non_negative("formal.min_unmet_hours", self.min_unmet_hours);
        c.within(
            "formal.max_hours_per_client",
            self.max_hours_per_client,
            0.0,
            crate::hours::HOURS_IN_A_WEEK,
            "hours per week",
        );
        c.share("formal.reluctance_lift", self.reluctance_lift);
        c.within(
            "formal.network_first_expected_hours",
            self.network_first_expected_hours,
            0.0,
            HOURS_IN_A_WEEK,
            "hours per week",
        );
        c.non_negative("formal.network_first_reach_km", self.network_first_reach_km);
        c.share("formal.referred_share", self.referred_share);
        if self.assignment_weeks == 0 {
            c.fail(
                "formal.assignment_weeks",
                "formal care assigned for 0 weeks",
                "set `formal.assignment_weeks` to 1 or more",
            );
        }
    }
}
