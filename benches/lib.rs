//! Nothing: the benchmarks are `engine.rs` and `world.rs` beside this file
//! (`cargo bench -p carenet-benches`); Cargo wants a library or binary in every
//! package.
