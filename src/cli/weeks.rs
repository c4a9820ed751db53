//! `weeks.csv`: every week of every run of a sweep or comparison in one long
//! table (one row per run and reported week), for analysts who plot or model
//! the weeks in pandas or R without reading a folder per run. Column names are
//! plain words (a key path such as `neighbourhood[*].cohesion` becomes
//! `neighbourhood_all_cohesion`), so that R's data frames keep them as written.

use std::path::Path;

use anyhow::Context;
use carenet::experiment::plan::{Job, Plan};
use carenet::experiment::sweep::run_folder;
use carenet::output::{self, Row};
use carenet::tally::RunRecord;

use super::Failure;

/// A key path as a plain column name: `neighbourhood[*].cohesion` →
/// `neighbourhood_all_cohesion`, `needs.long_term_per_year[3]` →
/// `needs_long_term_per_year_3`.
pub fn plain_name(path: &str) -> String {
    let mut name = String::new();
    for c in path.chars() {
        match c {
            '*' => name.push_str("all"),
            '.' | '[' => name.push('_'),
            ']' => {}
            c if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
            _ => name.push('_'),
        }
    }
    name
}

/// The weeks of one run of a comparison: `run, variant, replicate, seed`,
/// then the run's timeseries.csv columns (`week` first).
pub fn of_comparison_run(variant: &str, replicate: u32, seed: u64, record: &RunRecord) -> Vec<Row> {
    record
        .weeks
        .iter()
        .map(|week| {
            output::timeseries_row(week)
                .with_first("seed", seed)
                .with_first("replicate", replicate)
                .with_first("variant", variant)
                .with_first("run", format!("{variant}-r{replicate:03}"))
        })
        .collect()
}

/// The weeks of a sweep's runs, read from each run's timeseries.csv: `run,
/// point, replicate, seed`, the varied parameters, then the weekly columns.
/// `None` (and the runs that lack it) when a run kept from an older sweep has
/// no timeseries.csv.
pub fn of_sweep(plan: &Plan, jobs: &[Job], out: &Path) -> Result<Result<Vec<u8>, String>, Failure> {
    let mut table = Long::new("weeks.csv");
    for job in jobs {
        let path = run_folder(out, *job).join("timeseries.csv");
        if !path.is_file() {
            return Ok(Err(format!(
                "{} has no timeseries.csv (a run kept from an older sweep)",
                run_folder(out, *job).display()
            )));
        }
        table.add_run(plan, *job, &path)?;
    }
    table.finish().map(Ok)
}

/// The years of a sweep's runs of several years, read from each run's
/// yearly.csv, prefixed as [`of_sweep`] prefixes the weeks: a sweep over a
/// projection keeps its years as `compare` and `run --replicates` do (QA 35:
/// a sweep's runs kept no yearly.csv). `Ok(None)` when no run reports more
/// than a year; `Err` names a run kept from an older sweep without one.
pub fn years_of_sweep(
    plan: &Plan,
    jobs: &[Job],
    out: &Path,
) -> Result<Result<Option<Vec<u8>>, String>, Failure> {
    let mut table = Long::new(output::YEARLY_CSV);
    let mut any = false;
    for job in jobs {
        if !output::is_multi_year(plan.scenario_of(*job).weeks as usize) {
            continue;
        }
        let path = run_folder(out, *job).join(output::YEARLY_CSV);
        if !path.is_file() {
            return Ok(Err(format!(
                "{} has no yearly.csv (a run kept from an older sweep)",
                run_folder(out, *job).display()
            )));
        }
        table.add_run(plan, *job, &path)?;
        any = true;
    }
    if !any {
        return Ok(Ok(None));
    }
    table.finish().map(|bytes| Ok(Some(bytes)))
}

/// A long table of a sweep's runs, one run's file after another, each row
/// led by the run's names and its point's values.
struct Long {
    name: &'static str,
    writer: csv::Writer<Vec<u8>>,
    header_written: bool,
}

impl Long {
    fn new(name: &'static str) -> Long {
        Long {
            name,
            writer: csv::Writer::from_writer(Vec::new()),
            header_written: false,
        }
    }

    /// The rows of `job`'s file at `path`, prefixed with `run, point,
    /// replicate, seed` and the point's values under plain names.
    fn add_run(&mut self, plan: &Plan, job: Job, path: &Path) -> Result<(), Failure> {
        let mut reader = csv::Reader::from_path(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let header: Vec<String> = reader
            .headers()
            .with_context(|| format!("cannot read {}", path.display()))?
            .iter()
            .map(String::from)
            .collect();
        let mut prefix = Row(vec![
            ("run".into(), job.folder()),
            ("point".into(), job.point.to_string()),
            ("replicate".into(), job.replicate.to_string()),
            ("seed".into(), plan.scenario_of(job).seed.to_string()),
        ]);
        for (column, value) in &plan.point(job.point).values {
            let cell = match value {
                toml::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            prefix.0.push((plain_name(column), cell));
        }
        for record in reader.records() {
            let record = record.with_context(|| format!("cannot read {}", path.display()))?;
            let mut row = prefix.clone();
            row.0
                .extend(header.iter().cloned().zip(record.iter().map(String::from)));
            self.write_row(&row)?;
        }
        Ok(())
    }

    fn write_row(&mut self, row: &Row) -> Result<(), Failure> {
        let name = self.name;
        if !self.header_written {
            self.writer
                .write_record(row.0.iter().map(|(c, _)| c))
                .with_context(|| format!("cannot write {name}"))?;
            self.header_written = true;
        }
        self.writer
            .write_record(row.0.iter().map(|(_, v)| v))
            .with_context(|| format!("cannot write {name}"))?;
        Ok(())
    }

    fn finish(self) -> Result<Vec<u8>, Failure> {
        let name = self.name;
        Ok(self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write {name}: {}", e.error()))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_paths_become_plain_column_names() {
        assert_eq!(
            plain_name("neighbourhood[*].cohesion"),
            "neighbourhood_all_cohesion"
        );
        assert_eq!(
            plain_name("neighbourhood[1].cohesion"),
            "neighbourhood_1_cohesion"
        );
        assert_eq!(
            plain_name("needs.long_term_per_year[3]"),
            "needs_long_term_per_year_3"
        );
        assert_eq!(
            plain_name("formal.hours_per_1000_residents"),
            "formal_hours_per_1000_residents"
        );
    }
}
