//! Interventions (docs/ODD.md §7.10.16): policy levers as they stand in a given
//! week.
//!
//! Levers that change how things work from a week on (network-first intake, formal
//! capacity, informal guides, help radius, help exchanges) are resolved here into
//! one [`Policy`] per neighbourhood. Levers that change the world once (cohesion
//! events, association support, blended contact) are listed by
//! [`starting_events`] and applied in their start week by [`events`].

pub mod events;
mod params;

pub use params::{HelpRadius, Intervention};

use crate::ids::NeighbourhoodId;
use crate::scenario::{Catchment, Scenario};

/// How one neighbourhood is governed in one week.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Network-first intake, with the weeks of activation; `None` if off.
    pub network_first: Option<u32>,
    /// Professional hours per 1,000 adults.
    pub formal_hours_per_1000: f64,
    /// Share of the application delay that informal guides take away.
    pub guide_delay_reduction: f64,
    /// How far informal help may travel for residents of this neighbourhood.
    pub help_radius: HelpRadius,
    /// Respite for partners who care at home; `None` if off.
    pub respite: Option<Respite>,
}

/// Respite care where it is on: hours a week and the share taken up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Respite {
    pub hours_per_week: f64,
    pub uptake: f64,
}

impl Policy {
    fn baseline(scenario: &Scenario) -> Policy {
        let formal = &scenario.formal;
        Policy {
            network_first: formal.network_first.then_some(formal.activation_weeks),
            formal_hours_per_1000: formal.hours_per_1000_residents,
            guide_delay_reduction: 0.0,
            help_radius: HelpRadius::Unlimited,
            respite: None,
        }
    }
}

/// Whether an intervention targets a neighbourhood (an empty list targets all).
pub fn targets(scenario: &Scenario, intervention: &Intervention, n: NeighbourhoodId) -> bool {
    let names = intervention.neighbourhoods();
    names.is_empty()
        || names
            .iter()
            .any(|name| scenario.neighbourhood_index(name) == Some(n.index()))
}

/// The policy of every neighbourhood in a week. `reported_week` is `None` during
/// the burn-in, when no intervention works yet.
pub fn policies(scenario: &Scenario, reported_week: Option<u32>) -> Vec<Policy> {
    let mut out = vec![Policy::baseline(scenario); scenario.neighbourhoods.len()];
    let Some(week) = reported_week else {
        return out;
    };
    // Later entries in the file override earlier ones for the same lever.
    for intervention in scenario
        .interventions
        .iter()
        .filter(|i| i.start_week() <= week)
    {
        for (i, policy) in out.iter_mut().enumerate() {
            if targets(scenario, intervention, NeighbourhoodId(i as u16)) {
                apply(intervention, policy);
            }
        }
    }
    out
}

fn apply(intervention: &Intervention, policy: &mut Policy) {
    match intervention {
        Intervention::NetworkFirst {
            activation_weeks, ..
        } => policy.network_first = Some(*activation_weeks),
        Intervention::FormalCapacity {
            hours_per_1000_residents,
            ..
        } => policy.formal_hours_per_1000 = *hours_per_1000_residents,
        Intervention::InformalGuides {
            delay_reduction, ..
        } => policy.guide_delay_reduction = *delay_reduction,
        Intervention::HelpRadius { radius, .. } => policy.help_radius = *radius,
        Intervention::Respite {
            hours_per_week,
            uptake,
            ..
        } => {
            policy.respite = Some(Respite {
                hours_per_week: *hours_per_week,
                uptake: *uptake,
            })
        }
        Intervention::CohesionEvents { .. }
        | Intervention::AssociationSupport { .. }
        | Intervention::HelpExchange { .. }
        | Intervention::BlendedContact { .. } => {}
    }
}

/// The one-time levers that start in `reported_week`, with their index in the
/// scenario (which keys their random streams).
pub fn starting_events(scenario: &Scenario, reported_week: u32) -> Vec<(usize, &Intervention)> {
    scenario
        .interventions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.start_week() == reported_week)
        .filter(|(_, i)| {
            matches!(
                i,
                Intervention::CohesionEvents { .. }
                    | Intervention::AssociationSupport { .. }
                    | Intervention::BlendedContact { .. }
                    | Intervention::HelpExchange { .. }
            )
        })
        .collect()
}

/// A help exchange office: where it works and how.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeSpec {
    /// `None`: the whole area.
    pub neighbourhood: Option<NeighbourhoodId>,
    pub matches_per_week: u32,
    pub reciprocity_rule: bool,
}

/// The offices of the scenario's own `[help_exchange]`, open from the start.
pub fn standing_offices(scenario: &Scenario) -> Vec<OfficeSpec> {
    let x = &scenario.help_exchange;
    if !x.enabled {
        return Vec::new();
    }
    let office = |neighbourhood| OfficeSpec {
        neighbourhood,
        matches_per_week: x.matches_per_week,
        reciprocity_rule: x.reciprocity_rule,
    };
    match &x.catchment {
        Catchment::Area => vec![office(None)],
        Catchment::EachNeighbourhood => (0..scenario.neighbourhoods.len())
            .map(|i| office(Some(NeighbourhoodId(i as u16))))
            .collect(),
        Catchment::Neighbourhood(name) => scenario
            .neighbourhood_index(name)
            .map(|i| vec![office(Some(NeighbourhoodId(i as u16)))])
            .unwrap_or_default(),
    }
}

/// The offices a `help_exchange` intervention opens: one for the whole area when
/// it names no neighbourhood, else one in each named neighbourhood.
pub fn intervention_offices(scenario: &Scenario, intervention: &Intervention) -> Vec<OfficeSpec> {
    let Intervention::HelpExchange {
        neighbourhoods,
        matches_per_week,
        reciprocity_rule,
        ..
    } = intervention
    else {
        return Vec::new();
    };
    let office = |neighbourhood| OfficeSpec {
        neighbourhood,
        matches_per_week: *matches_per_week,
        reciprocity_rule: *reciprocity_rule,
    };
    if neighbourhoods.is_empty() {
        return vec![office(None)];
    }
    neighbourhoods
        .iter()
        .filter_map(|name| scenario.neighbourhood_index(name))
        .map(|i| office(Some(NeighbourhoodId(i as u16))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario_with(text: &str) -> Scenario {
        crate::scenario::parse_str(text, "test.toml").expect("valid scenario")
    }

    #[test]
    fn levers_work_from_their_start_week_in_their_neighbourhoods_only() {
        let s = scenario_with(
            "[[intervention]]\nkind = \"network_first\"\nstart_week = 3\nneighbourhoods = [\"Tuindorp\"]\nactivation_weeks = 9\n\
             [[intervention]]\nkind = \"help_radius\"\nradius = \"neighbourhood\"\n",
        );
        let tuindorp = s.neighbourhood_index("Tuindorp").expect("baseline has it");
        assert!(
            policies(&s, None)
                .iter()
                .all(|p| p.network_first.is_none() && p.help_radius == HelpRadius::Unlimited)
        );
        let week2 = policies(&s, Some(2));
        assert!(week2.iter().all(|p| p.network_first.is_none()));
        assert!(
            week2
                .iter()
                .all(|p| p.help_radius == HelpRadius::Neighbourhood)
        );
        let week3 = policies(&s, Some(3));
        for (i, p) in week3.iter().enumerate() {
            assert_eq!(p.network_first, (i == tuindorp).then_some(9));
        }
    }

    #[test]
    fn formal_capacity_and_guides_override_the_baseline() {
        let s = scenario_with(
            "[[intervention]]\nkind = \"formal_capacity\"\nhours_per_1000_residents = 10.0\n\
             [[intervention]]\nkind = \"informal_guides\"\nneighbourhoods = [\"Oude Westen\"]\n",
        );
        let p = policies(&s, Some(0));
        assert!(p.iter().all(|x| x.formal_hours_per_1000 == 10.0));
        let ow = s
            .neighbourhood_index("Oude Westen")
            .expect("baseline has it");
        assert_eq!(p[ow].guide_delay_reduction, 0.5);
        assert_eq!(p[0].guide_delay_reduction, 0.0);
    }

    #[test]
    fn one_time_events_start_once() {
        let s = scenario_with(
            "[[intervention]]\nkind = \"cohesion_events\"\nstart_week = 2\n\
             [[intervention]]\nkind = \"formal_capacity\"\nstart_week = 2\nhours_per_1000_residents = 1.0\n",
        );
        assert!(starting_events(&s, 1).is_empty());
        assert_eq!(starting_events(&s, 2).len(), 1);
        assert!(starting_events(&s, 3).is_empty());
    }

    #[test]
    fn offices_follow_the_catchment() {
        let mut s = Scenario::default();
        assert!(standing_offices(&s).is_empty());
        s.help_exchange.enabled = true;
        s.help_exchange.catchment = Catchment::EachNeighbourhood;
        assert_eq!(standing_offices(&s).len(), s.neighbourhoods.len());
        let t = scenario_with(
            "[[intervention]]\nkind = \"help_exchange\"\nneighbourhoods = [\"Centrum\", \"Parkwijk\"]\n",
        );
        assert_eq!(intervention_offices(&t, &t.interventions[0]).len(), 2);
    }
}
