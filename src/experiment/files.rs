//! A finished run's folder: the resolved scenario, the outcome tables and, last,
//! the manifest. `carenet run`, `sweep` and `serve` write their runs through here,
//! so every run folder has the same files.

use crate::output::{self, Manifest, OutputError, RunFolder};
use crate::scenario::Scenario;

use super::Run;

/// Which files a run folder gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// Every output, and the graph too.
    FullWithGraph,
    /// Every output.
    Full,
    /// The scenario and summary.csv only.
    SummaryOnly,
    /// The scenario, summary.csv and timeseries.csv (sweeps that do not keep
    /// runs: their weeks.csv is made of the runs' weeks).
    SummaryAndWeeks,
}

/// Writes one run's files and, last, its manifest.
pub fn write_run(
    folder: &RunFolder,
    scenario: &Scenario,
    source: &str,
    run: &Run,
    contents: Contents,
    started: String,
) -> Result<(), OutputError> {
    write_run_with_overrides(folder, scenario, (source, &[]), run, contents, started)
}

/// [`write_run`] for a scenario read from `source.0` and changed by the
/// command line's `--set KEY=VALUE` options `source.1`, which the manifest records.
pub fn write_run_with_overrides(
    folder: &RunFolder,
    scenario: &Scenario,
    source: (&str, &[String]),
    run: &Run,
    contents: Contents,
    started: String,
) -> Result<(), OutputError> {
    let (source, overrides) = source;
    let world = run.world();
    let resolved = toml::to_string(scenario).map_err(|e| OutputError::Serialise {
        what: "the scenario".into(),
        message: e.to_string(),
    })?;
    folder.write_bytes("scenario.toml", resolved.as_bytes())?;
    let residents = world.people.area_residents();
    if matches!(contents, Contents::SummaryOnly | Contents::SummaryAndWeeks) {
        let summary = output::summary_row(scenario, residents, &run.record);
        output::write_table(
            folder,
            "summary.csv",
            &summary,
            std::slice::from_ref(&summary),
        )?;
        if contents == Contents::SummaryAndWeeks {
            output::write_timeseries(folder, scenario, &run.record)?;
        }
    } else {
        output::write_network_summary(folder, &run.network_summary)?;
        if contents == Contents::FullWithGraph {
            output::write_graph(folder, "network", &output::social_graph(world))?;
            output::write_graph(
                folder,
                "help_network",
                &output::help_network(world, run.engine.ledger()),
            )?;
        }
        output::write_outcomes(folder, scenario, residents, &run.record)?;
    }
    let mut manifest = Manifest::new(
        &scenario.name,
        &resolved,
        source,
        scenario.seed,
        started,
        run.build_seconds + run.simulate_seconds,
        facts(run),
    );
    manifest.overrides = overrides.to_vec();
    manifest.record_files(folder)?;
    manifest.write(folder)?;
    Ok(())
}

/// The run's facts for its manifest: sizes, times and speed.
fn facts(run: &Run) -> serde_json::Map<String, serde_json::Value> {
    let world = run.world();
    let mut facts = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| facts.insert(key.into(), value);
    put("residents", world.people.area_residents().into());
    put(
        "outside_alters",
        (world.people.len() - world.people.area_residents()).into(),
    );
    put("ties_at_start", run.ties_at_start.into());
    put("ties_at_end", world.network.ties.len().into());
    put(
        "unmatched_tie_proposals",
        world.formation.unmatched_proposals.into(),
    );
    put(
        "merged_duplicate_ties",
        world.formation.merged_duplicates.into(),
    );
    put("build_seconds", run.build_seconds.into());
    put("simulate_seconds", run.simulate_seconds.into());
    let weeks = world.scenario.burn_in_weeks + world.scenario.weeks;
    let resident_weeks = world.people.area_residents() as f64 * f64::from(weeks);
    put(
        "resident_weeks_per_second",
        (resident_weeks / run.simulate_seconds.max(1e-9))
            .round()
            .into(),
    );
    put("reported_weeks", run.record.weeks.len().into());
    facts
}
