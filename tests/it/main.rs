//! carenet's integration tests, one module per topic, in one test binary.
//!
//! Each file directly in `tests/` would be a test binary of its own, compiled
//! and linked on its own against the library and every dependency; on CI's two
//! cores that cost minutes. A new topic is a module here (`mod topic;` and
//! `tests/it/topic.rs`), and `cargo test --release --test it topic::` runs it
//! alone. Tests run in parallel threads of one process, so none may change the
//! process's environment or working directory: those that need their own give
//! them to the `carenet` child process they start.

mod builtin_scenarios;
mod cli;
mod common;
mod engine;
mod generations;
mod interventions;
mod network_formation;
mod network_properties;
mod release;
mod reliability;
mod report;
mod scale;
mod serve;
mod snapshots;
mod teaching;
