//! `carenet calibrate`: run an experiment and rank its points by their distance
//! to the docs/ODD.md §1.3 ranges.

use std::path::{Path, PathBuf};

use carenet::experiment::plan::Plan;
use carenet::experiment::sweep::Shard;
use carenet::experiment::targets::{TARGETS, score};
use carenet::output::{Row, table_bytes, write_atomically};
use clap::Args;

use super::Failure;
use super::sweep::execute;

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// An experiment file over the parameters to calibrate (any design).
    experiment: PathBuf,
    /// Output folder (default: results/<experiment name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
}

pub fn calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let plan = Plan::load(&args.experiment)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(&plan.file.name));
    let done = execute(&plan, &[], &out, Shard::WHOLE, args.quiet)?;
    let mut points: Vec<(f64, Row)> = plan
        .points
        .iter()
        .map(|point| {
            let rows: Vec<&Row> = done
                .rows
                .iter()
                .filter(|r| r.get("point") == Some(point.id.to_string().as_str()))
                .collect();
            let mean = |column: &str| {
                let values: Vec<f64> = rows
                    .iter()
                    .filter_map(|r| r.get(column)?.parse::<f64>().ok())
                    .collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            };
            let total = score(mean);
            let mut row = Row(vec![("point".into(), point.id.to_string())]);
            for (column, value) in &point.values {
                row.0.push((column.clone(), value.to_string()));
            }
            row.0.push(("score".into(), total.to_string()));
            for target in TARGETS {
                let value = mean(target.column);
                row.0.push((
                    target.column.into(),
                    value.map_or_else(String::new, |v| v.to_string()),
                ));
                row.0.push((
                    format!("{}_in_range", target.column),
                    value.is_some_and(|v| target.miss(v) == 0.0).to_string(),
                ));
            }
            (total, row)
        })
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let rows: Vec<Row> = points.iter().map(|(_, row)| row.clone()).collect();
    let bytes = table_bytes(&rows)?;
    write_atomically(&out.join("calibration.csv"), &bytes)?;
    println!("best points (score: sum of squared misses in range widths; 0 = all targets met):");
    for (total, row) in points.iter().take(5) {
        let values: Vec<String> = plan
            .columns
            .iter()
            .map(|c| format!("{c} = {}", row.get(c).unwrap_or("")))
            .collect();
        let met = TARGETS
            .iter()
            .filter(|t| row.get(&format!("{}_in_range", t.column)) == Some("true"))
            .count();
        println!(
            "  {total:>8.2}  {met}/{} targets met  {}",
            TARGETS.len(),
            values.join(", ")
        );
    }
    println!("table: {}", out.join("calibration.csv").display());
    Ok(())
}
