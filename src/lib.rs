//! carenet: an agent-based simulator of informal care networks.
//!
//! Data flows one way: a [`scenario`] is read and checked; [`population`],
//! [`associations`] and [`network`] build the [`world`] from it; [`output`] writes
//! what a run produced. The rules live one folder per submodel in [`model`]; the
//! [`engine`] schedules them. See docs/ARCHITECTURE.md for the map and
//! docs/ODD.md for the model.
//!
//! The model core builds alone (`--no-default-features`); the features `report`
//! (charts), `serve` (the teaching page) and `cli` (the `carenet` binary) add the
//! front ends.

pub mod associations;
pub mod clock;
pub mod cost;
pub mod demography;
pub mod engine;
pub mod experiment;
pub mod hours;
pub mod ids;
pub mod kinds;
pub mod lang;
pub mod laws;
pub mod math;
pub mod metrics;
pub mod model;
pub mod network;
pub mod output;
pub mod page;
pub mod population;
mod radix;
#[cfg(feature = "report")]
pub mod report;
pub mod rng;
mod scatter;
pub mod scenario;
#[cfg(feature = "serve")]
pub mod serve;
pub mod tally;
pub mod world;

pub use scenario::Scenario;
pub use world::World;
