//! Parameters of the interventions: the `[[intervention]]` entries of a scenario
//! file.

use serde::{Deserialize, Serialize};

use crate::scenario::Checker;

/// How far informal help may travel (the help-radius counterfactual).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpRadius {
    Unlimited,
    Area,
    Neighbourhood,
}

/// A policy lever switched on from a week, for some neighbourhoods (docs/ODD.md §7.10.16).
/// An empty `neighbourhoods` list means every neighbourhood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Intervention {
    /// Neighbourhood barbecues and the like: more neighbour ties, more trust.
    CohesionEvents {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Mean new neighbour ties per resident.
        #[serde(default = "defaults::extra_neighbour_ties")]
        extra_neighbour_ties: f64,
        /// Added to the trust of existing neighbour ties.
        #[serde(default = "defaults::trust_boost")]
        trust_boost: f64,
    },
    /// More members and volunteers for care-oriented associations.
    AssociationSupport {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Relative increase of membership (0.5: half as many again).
        #[serde(default = "defaults::extra_membership")]
        extra_membership: f64,
        /// Relative increase of volunteer capacity.
        #[serde(default = "defaults::extra_volunteer_capacity")]
        extra_volunteer_capacity: f64,
    },
    /// A help exchange with a coordinator opens.
    HelpExchange {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        #[serde(default = "defaults::matches_per_week")]
        matches_per_week: u32,
        #[serde(default)]
        reciprocity_rule: bool,
    },
    /// The district team asks the network first.
    NetworkFirst {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        #[serde(default = "defaults::activation_weeks")]
        activation_weeks: u32,
    },
    /// Professional hours change (a budget cut or increase).
    FormalCapacity {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        hours_per_1000_residents: f64,
    },
    /// Volunteers, churches and migrant organisations guide residents to formal care.
    InformalGuides {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Share of the application delay that guides take away.
        #[serde(default = "defaults::delay_reduction")]
        delay_reduction: f64,
    },
    /// Online contact: distance matters less for company and administration.
    BlendedContact {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Share of ties with online contact from the start week.
        #[serde(default = "defaults::blended_share")]
        blended_share: f64,
    },
    /// Respite care (respijtzorg, the Wmo's support of carers): the district
    /// team takes over some hours of a long-term need each week while the
    /// partner who cares at home is heavily burdened or burnt out.
    Respite {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Professional hours a week that relieve the partner.
        #[serde(default = "defaults::respite_hours_per_week")]
        hours_per_week: f64,
        /// Share of the weeks in which a partner who could have respite takes it.
        #[serde(default = "defaults::respite_uptake")]
        uptake: f64,
    },
    /// Counterfactual: informal help only inside the own neighbourhood or area.
    HelpRadius {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        radius: HelpRadius,
    },
}

/// Defaults of the levers' settings, each set here once. A lever that also
/// exists as a standing organisation takes that organisation's default.
mod defaults {
    use crate::model::exchange::HelpExchange;
    use crate::model::formal::FormalCare;

    /// Mean new neighbour ties per resident of a cohesion event.
    pub fn extra_neighbour_ties() -> f64 {
        1.0
    }
    /// Trust added to existing neighbour ties by a cohesion event.
    pub fn trust_boost() -> f64 {
        0.1
    }
    /// Association support: half as many members again.
    pub fn extra_membership() -> f64 {
        0.5
    }
    /// Association support: half as much volunteer capacity again.
    pub fn extra_volunteer_capacity() -> f64 {
        0.5
    }
    pub fn matches_per_week() -> u32 {
        HelpExchange::default().matches_per_week
    }
    pub fn activation_weeks() -> u32 {
        FormalCare::default().activation_weeks
    }
    /// Informal guides take half of the application delay away.
    pub fn delay_reduction() -> f64 {
        0.5
    }
    /// Ties with online contact after a blended-contact lever.
    pub fn blended_share() -> f64 {
        0.7
    }
    /// Respite: one part of a day (a dagdeel) a week.
    pub fn respite_hours_per_week() -> f64 {
        4.0
    }
    /// Respite: every partner who could have it takes it.
    pub fn respite_uptake() -> f64 {
        1.0
    }
}

impl Intervention {
    /// The scenario-file spelling of the lever.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Intervention::CohesionEvents { .. } => "cohesion_events",
            Intervention::AssociationSupport { .. } => "association_support",
            Intervention::HelpExchange { .. } => "help_exchange",
            Intervention::NetworkFirst { .. } => "network_first",
            Intervention::FormalCapacity { .. } => "formal_capacity",
            Intervention::InformalGuides { .. } => "informal_guides",
            Intervention::BlendedContact { .. } => "blended_contact",
            Intervention::Respite { .. } => "respite",
            Intervention::HelpRadius { .. } => "help_radius",
        }
    }

    /// First week (counted from the end of the burn-in) the lever works.
    pub fn start_week(&self) -> u32 {
        match self {
            Intervention::CohesionEvents { start_week, .. }
            | Intervention::AssociationSupport { start_week, .. }
            | Intervention::HelpExchange { start_week, .. }
            | Intervention::NetworkFirst { start_week, .. }
            | Intervention::FormalCapacity { start_week, .. }
            | Intervention::InformalGuides { start_week, .. }
            | Intervention::BlendedContact { start_week, .. }
            | Intervention::Respite { start_week, .. }
            | Intervention::HelpRadius { start_week, .. } => *start_week,
        }
    }

    /// Target neighbourhoods by name; empty means all.
    pub fn neighbourhoods(&self) -> &[String] {
        match self {
            Intervention::CohesionEvents { neighbourhoods, .. }
            | Intervention::AssociationSupport { neighbourhoods, .. }
            | Intervention::HelpExchange { neighbourhoods, .. }
            | Intervention::NetworkFirst { neighbourhoods, .. }
            | Intervention::FormalCapacity { neighbourhoods, .. }
            | Intervention::InformalGuides { neighbourhoods, .. }
            | Intervention::BlendedContact { neighbourhoods, .. }
            | Intervention::Respite { neighbourhoods, .. }
            | Intervention::HelpRadius { neighbourhoods, .. } => neighbourhoods,
        }
    }
}

impl Intervention {
    /// Range checks of the lever's own settings; `at` makes a key path of a field.
    pub(crate) fn check_settings(&self, c: &mut Checker, at: &dyn Fn(&str) -> String) {
        match self {
            Intervention::CohesionEvents {
                extra_neighbour_ties,
                trust_boost,
                ..
            } => {
                c.within(
                    &at("extra_neighbour_ties"),
                    *extra_neighbour_ties,
                    0.0,
                    50.0,
                    "a mean number of ties",
                );
                c.share(&at("trust_boost"), *trust_boost);
            }
            Intervention::AssociationSupport {
                extra_membership,
                extra_volunteer_capacity,
                ..
            } => {
                for (field, value) in [
                    ("extra_membership", extra_membership),
                    ("extra_volunteer_capacity", extra_volunteer_capacity),
                ] {
                    c.within(&at(field), *value, 0.0, 10.0, "a relative increase");
                }
            }
            Intervention::FormalCapacity {
                hours_per_1000_residents,
                ..
            } => {
                c.within(
                    &at("hours_per_1000_residents"),
                    *hours_per_1000_residents,
                    0.0,
                    100_000.0,
                    "hours per week",
                );
            }
            Intervention::InformalGuides {
                delay_reduction, ..
            } => c.share(&at("delay_reduction"), *delay_reduction),
            Intervention::BlendedContact { blended_share, .. } => {
                c.share(&at("blended_share"), *blended_share)
            }
            Intervention::Respite {
                hours_per_week,
                uptake,
                ..
            } => {
                c.within(
                    &at("hours_per_week"),
                    *hours_per_week,
                    0.0,
                    crate::hours::HOURS_IN_A_WEEK,
                    "hours per week",
                );
                c.share(&at("uptake"), *uptake);
            }
            Intervention::HelpExchange { .. }
            | Intervention::NetworkFirst { .. }
            | Intervention::HelpRadius { .. } => {}
        }
    }
}
