//! The world a run starts from: the scenario's people, associations and social graph.

use crate::associations::Associations;
use crate::network::{FormationReport, Network, build_network};
use crate::population::{People, build_residents};
use crate::scenario::Scenario;

/// Everything built from a scenario before the first week.
#[derive(Debug, Clone)]
pub struct World {
    pub scenario: Scenario,
    pub people: People,
    pub associations: Associations,
    pub network: Network,
    pub formation: FormationReport,
}

/// A step of building the world, reported to whoever shows progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildStage {
    Residents,
    Associations,
    Network,
}

impl BuildStage {
    pub fn describe(self) -> &'static str {
        match self {
            BuildStage::Residents => "drawing residents and households",
            BuildStage::Associations => "drawing association memberships",
            BuildStage::Network => "forming the social network",
        }
    }
}

impl World {
    /// Builds the world of a validated scenario.
    pub fn build(scenario: &Scenario) -> World {
        Self::build_observed(scenario, &mut |_| {})
    }

    /// Builds the world, telling `observe` when each stage starts.
    pub fn build_observed(scenario: &Scenario, observe: &mut dyn FnMut(BuildStage)) -> World {
        observe(BuildStage::Residents);
        let mut people = build_residents(scenario);
        observe(BuildStage::Associations);
        let associations = Associations::draw(scenario, &people);
        observe(BuildStage::Network);
        let (network, formation) = build_network(scenario, &mut people, &associations);
        World {
            scenario: scenario.clone(),
            people,
            associations,
            network,
            formation,
        }
    }

    /// Bytes per person held by the arrays the weekly loop reads.
    pub fn bytes_per_person(&self) -> usize {
        People::BYTES_PER_PERSON
    }
}
