//! carenet: an agent-based simulator of informal care networks.
//!
//! Data flows one way: a [`scenario`] is read and checked; [`population`],
//! [`associations`] and [`network`] build the [`world`] from it; [`output`] writes
//! what a run produced. See docs/ARCHITECTURE.md for the map and docs/ODD.md for
//! the model.

pub mod associations;
pub mod behaviour;
pub mod demography;
pub mod engine;
pub mod exchange;
pub mod experiment;
pub mod formal;
pub mod hours;
pub mod ids;
pub mod interventions;
pub mod kinds;
pub mod needs;
pub mod network;
pub mod outcomes;
pub mod output;
pub mod population;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod serve;
pub mod world;

pub use scenario::Scenario;
pub use world::World;
