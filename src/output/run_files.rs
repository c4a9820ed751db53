//! A finished run's folder: the resolved scenario, the outcome tables and, last,
//! the manifest. `carenet run`, `sweep` and `serve` write their runs through here,
//! so every run folder has the same files.

use crate::output::{self, Manifest, OutputError, RunFolder};
use crate::scenario::Scenario;

use crate::experiment::Run;

/// Which files a run folder gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// Every output, and the graph too.
    FullWithGraph,
    /// Every output.
    Full,
    /// The scenario and summary.csv only.
    SummaryOnly,
    /// The scenario, summary.csv and timeseries.csv, and yearly.csv in a run
    /// of several years (sweeps that do not keep runs: their weeks.csv and
    /// yearly.csv are made of the runs' weeks and years).
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
    let files = table_files(scenario, run, contents)?;
    write_run_with_files(folder, scenario, source, run, contents, started, &files)
}

/// [`write_run_with_overrides`] with the files already made, by name and
/// bytes: [`table_files`]' for `contents`, and any of the caller's made from
/// them (`carenet run`'s `summary.xlsx`), so the tables are made once. They
/// are written before the manifest, which lists them like the others.
pub fn write_run_with_files(
    folder: &RunFolder,
    scenario: &Scenario,
    source: (&str, &[String]),
    run: &Run,
    contents: Contents,
    started: String,
    files: &[(&str, Vec<u8>)],
) -> Result<(), OutputError> {
    let (source, overrides) = source;
    for (file, bytes) in files {
        folder.write_bytes(file, bytes)?;
    }
    if let Some(accounts) = &run.residents {
        write_residents(folder, run, accounts)?;
    }
    if contents == Contents::FullWithGraph {
        // Streamed to the files: a large area's graph is too big to hold twice.
        let world = run.world();
        output::write_graph(folder, "network", &output::social_graph(world))?;
        output::write_graph(
            folder,
            "help_network",
            &output::help_network(world, run.engine.ledger()),
        )?;
    }
    let mut manifest = Manifest::new(
        &scenario.name,
        &resolved_scenario(scenario)?,
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

/// `residents.csv`, and in a run of several years `residents_yearly.csv`,
/// streamed to the files (a large area's rows are not held twice).
fn write_residents(
    folder: &RunFolder,
    run: &Run,
    accounts: &output::ResidentAccounts,
) -> Result<(), OutputError> {
    let csv_error = |file: &str| {
        let path = folder.shown(file);
        move |source| OutputError::Csv { path, source }
    };
    // Flushing the buffer is the last write; an error there is the file's.
    let flushed = |file: &str, out: std::io::BufWriter<std::fs::File>| {
        out.into_inner()
            .map(drop)
            .map_err(|e| OutputError::io(&folder.shown(file))(e.into_error()))
    };
    let file = "residents.csv";
    let out = accounts
        .write_csv(&run.engine, None, true, folder.create_file(file)?)
        .map_err(csv_error(file))?;
    flushed(file, out)?;
    if let Some(years) = &accounts.years {
        let file = output::RESIDENTS_YEARLY_CSV;
        let out = years
            .write_csv(
                &run.engine,
                &accounts.accounts,
                None,
                true,
                folder.create_file(file)?,
            )
            .map_err(csv_error(file))?;
        flushed(file, out)?;
    }
    Ok(())
}

/// The scenario as run, as `scenario.toml` holds it.
fn resolved_scenario(scenario: &Scenario) -> Result<String, OutputError> {
    toml::to_string(scenario).map_err(|e| OutputError::Serialise {
        what: "the scenario".into(),
        message: e.to_string(),
    })
}

/// The run folder's files but the graphs and the manifest, by name, as the bytes
/// [`write_run`] writes: `scenario.toml` and the CSV tables. The teaching page in
/// the browser offers these for download.
pub fn table_files(
    scenario: &Scenario,
    run: &Run,
    contents: Contents,
) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let csv_error = |file: &str, e: csv::Error| OutputError::Serialise {
        what: file.to_string(),
        message: e.to_string(),
    };
    let mut files = vec![("scenario.toml", resolved_scenario(scenario)?.into_bytes())];
    let residents = run.world().people.area_residents();
    if matches!(contents, Contents::SummaryOnly | Contents::SummaryAndWeeks) {
        for (file, table) in output::outcome_tables(scenario, residents, &run.record) {
            let kept = file == "summary.csv"
                || (file == "timeseries.csv" && contents == Contents::SummaryAndWeeks);
            if kept {
                let bytes = output::table_csv(&table.template, table.rows)
                    .map_err(|e| csv_error(file, e))?;
                files.push((file, bytes));
            }
        }
        if contents == Contents::SummaryAndWeeks {
            files.extend(yearly_file(scenario, run)?);
        }
        return Ok(files);
    }
    let network = output::network_summary_csv(&run.network_summary)
        .map_err(|e| csv_error("network_summary.csv", e))?;
    files.push(("network_summary.csv", network));
    for (file, table) in output::outcome_tables(scenario, residents, &run.record) {
        let bytes =
            output::table_csv(&table.template, table.rows).map_err(|e| csv_error(file, e))?;
        files.push((file, bytes));
    }
    files.extend(yearly_file(scenario, run)?);
    Ok(files)
}

/// yearly.csv's name and bytes in a run of several years; none otherwise.
fn yearly_file(
    scenario: &Scenario,
    run: &Run,
) -> Result<Option<(&'static str, Vec<u8>)>, OutputError> {
    if !output::is_multi_year(run.record.weeks.len()) {
        return Ok(None);
    }
    let file = output::YEARLY_CSV;
    let rows = output::yearly_rows(
        scenario,
        &run.record.years,
        &run.record.year_figures,
        &run.record.weeks,
    );
    let bytes = output::table_csv(&output::yearly_template(scenario), &rows).map_err(|e| {
        OutputError::Serialise {
            what: file.to_string(),
            message: e.to_string(),
        }
    })?;
    Ok(Some((file, bytes)))
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
    put("parent_in_law_ties", world.formation.parents_in_law.into());
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
