//! carenet's integration tests, one module per topic, in one test binary.
//!
//! Each file directly in `tests/` would be a test binary of its own, compiled
//! and linked on its own against the library and every dependency; on CI's two
//! cores that cost minutes. A new topic is a module here (`mod topic;` and
//! `tests/it/topic.rs`), and `cargo test --release --test it topic::` runs it
//! alone. Tests run in parallel threads of one process, so none may change the
//! process's environment or working directory: those that need their own give
//! them to the `carenet` child process they start.

// The modules that run the `carenet` binary need the command line (the `cli`
// feature); the others test the model core, and run with
// `--no-default-features` too.
#[cfg(feature = "cli")]
mod builtin_scenarios;
#[cfg(feature = "cli")]
mod cli;
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
mod common;
mod engine;
mod generations;
mod interventions;
mod network_formation;
mod network_properties;
mod odd;
#[cfg(feature = "cli")]
mod release;
#[cfg(feature = "cli")]
mod reliability;
#[cfg(feature = "cli")]
mod report;
mod scale;
#[cfg(feature = "cli")]
mod serve;
mod snapshots;
mod teaching;
