//! The world a run starts from: the scenario's people, associations and social graph.

use crate::associations::Associations;
use crate::network::{FormationReport, Network, build_network_unless};
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
        Self::build_unless(scenario, observe, &|| false).expect("a build never stopped ends")
    }

    /// Builds the world, telling `observe` when each stage starts, or gives
    /// it up (`None`) when `stop` says so: asked between the stages and
    /// within the network's formation (about a second apart at any size).
    /// Only read, so a build that is not stopped is the same to the byte.
    pub fn build_unless(
        scenario: &Scenario,
        observe: &mut dyn FnMut(BuildStage),
        stop: &dyn Fn() -> bool,
    ) -> Option<World> {
        observe(BuildStage::Residents);
        let mut people = build_residents(scenario);
        if stop() {
            return None;
        }
        observe(BuildStage::Associations);
        let associations = Associations::draw(scenario, &people);
        if stop() {
            return None;
        }
        observe(BuildStage::Network);
        let (network, formation) =
            build_network_unless(scenario, &mut people, &associations, stop)?;
        Some(World {
            scenario: scenario.clone(),
            people,
            associations,
            network,
            formation,
        })
    }

    /// Bytes per person held by the arrays the weekly loop reads.
    pub fn bytes_per_person(&self) -> usize {
        People::BYTES_PER_PERSON
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    /// A build asked to stop gives up at the question (between its stages,
    /// or before a batch of proposers); one never asked to stop is the
    /// plain build, tie for tie.
    #[test]
    fn a_build_asked_to_stop_gives_up_and_one_never_stopped_is_the_plain_build() {
        let scenario = Scenario::default_scaled(3000, 4, 0);
        for stop_at in 1..=3 {
            let asked = Cell::new(0);
            let stop = || {
                asked.set(asked.get() + 1);
                asked.get() >= stop_at
            };
            assert!(World::build_unless(&scenario, &mut |_| {}, &stop).is_none());
            assert_eq!(asked.get(), stop_at, "given up at question {stop_at}");
        }
        let asked = Cell::new(0);
        let never = || {
            asked.set(asked.get() + 1);
            false
        };
        let world = World::build_unless(&scenario, &mut |_| {}, &never).expect("built");
        assert_eq!(asked.get(), 3, "two stages and one batch of proposers");
        let plain = World::build(&scenario);
        assert_eq!(world.network.tie_ends(), plain.network.tie_ends());
        assert_eq!(world.people.len(), plain.people.len());
    }
}
