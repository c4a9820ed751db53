//! Runs a scenario from Rust code with the model core alone: no command line,
//! no report, no server. Builds with `cargo run --release --no-default-features
//! --example run_scenario -- [SCENARIO.toml]` (default: the built-in baseline).
//!
//! It builds the world, runs every week, changes one lever between two runs, and
//! prints a few outcomes of each: the way a script or another language's binding
//! would drive the model.

use carenet::World;
use carenet::engine::Engine;
use carenet::scenario::{self, BASELINE_TOML, Scenario};
use carenet::tally::RunRecord;

/// Informal, formal and unmet hours over the reported weeks, and burnouts.
fn describe(label: &str, record: &RunRecord) {
    let informal = record.total(|t| t.informal).as_f64();
    let formal = record.total(|t| t.formal).as_f64();
    let unmet = record.total(|t| t.unmet).as_f64();
    let need = record.total(|t| t.need).as_f64();
    let burnouts = record.count(|t| t.burnouts);
    println!(
        "{label:<28} need {need:>9.0} h  informal {informal:>8.0} h  formal {formal:>8.0} h  \
         unmet {:>4.1}%  burnouts {burnouts}",
        100.0 * unmet / need.max(1.0)
    );
}

fn run(scenario: &Scenario) -> RunRecord {
    let mut engine = Engine::new(World::build(scenario));
    engine.run(&mut |_| {})
}

fn main() -> Result<(), scenario::ScenarioError> {
    let mut scenario = match std::env::args().nth(1) {
        Some(path) => scenario::load_file(path.as_ref())?,
        None => scenario::parse_str(BASELINE_TOML, "built-in baseline")?,
    };
    describe(&scenario.name.clone(), &run(&scenario));
    // The same area with a third less professional time.
    scenario.formal.hours_per_1000_residents *= 2.0 / 3.0;
    if let Some(problem) = scenario::validate(&scenario).first() {
        eprintln!("{}: {}", problem.path, problem.message);
        std::process::exit(2);
    }
    describe("a third less formal care", &run(&scenario));
    Ok(())
}
