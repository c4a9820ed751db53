//! `carenet sensitivity`: Morris elementary effects or Sobol indices of every
//! summary metric, from an experiment file with design "morris" or "sobol".

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use carenet::experiment::design::morris_trajectories;
use carenet::experiment::plan::{Design, Plan, PlanError, factors};
use carenet::experiment::sensitivity::{morris_indices, sobol_indices};
use carenet::experiment::sweep::Shard;
use carenet::output::{Row, table_bytes};
use clap::Args;

use super::Failure;
use super::overrides::{self, Override};
use super::sweep::execute;

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// An experiment file with design = "morris" or "sobol".
    experiment: PathBuf,
    /// Output folder (default: results/<experiment name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = overrides::parse, help = overrides::EXPERIMENT_HELP)]
    overrides: Vec<Override>,
}

/// Columns of runs.csv that are not metrics.
const NOT_METRICS: [&str; 5] = ["point", "replicate", "seed", "weeks", "residents"];

pub fn sensitivity(args: SensitivityArgs) -> Result<(), Failure> {
    let mut plan = Plan::load(&args.experiment)?;
    super::sweep::apply_overrides(&mut plan, &args.overrides)?;
    super::set_threads(args.threads)?;
    let recorded = overrides::record(&args.overrides);
    if !matches!(plan.file.design, Design::Morris | Design::Sobol) {
        return Err(PlanError::Invalid {
            path: args.experiment.clone(),
            message: format!(
                "design = {} cannot be analysed for sensitivity; it needs design = \"morris\" or \"sobol\" \
                 (run other designs with `carenet sweep`)",
                serde_json::to_string(&plan.file.design).unwrap_or_else(|_| "?".into())
            ),
        }
        .into());
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(&plan.file.name));
    let done = execute(&plan, &recorded, &out, Shard::WHOLE, args.quiet)?;
    let factors = factors(&plan.file.parameters).map_err(|e| anyhow!(e))?;
    let metrics: Vec<String> = done.rows[0]
        .0
        .iter()
        .map(|(c, _)| c.clone())
        .filter(|c| !NOT_METRICS.contains(&c.as_str()) && !plan.columns.contains(c))
        .collect();
    let mut rows = Vec::new();
    for metric in &metrics {
        let Some(means) = point_means(&done.rows, metric, plan.points.len()) else {
            continue;
        };
        rows.extend(match plan.file.design {
            Design::Morris => morris_rows(&plan, &factors, metric, &means),
            _ => sobol_rows(&plan, metric, &means),
        });
    }
    super::sweep::write_recorded_table(&out, "sensitivity.csv", &table_bytes(&rows)?)?;
    print_top(&rows, plan.file.design);
    println!(
        "{} runs ({} new) in {:.1}s; indices for {} metrics: {}",
        done.rows.len(),
        done.new,
        done.seconds,
        metrics.len(),
        out.join("sensitivity.csv").display()
    );
    Ok(())
}

/// The mean of a metric over each point's replicates; `None` if some point has
/// no value (the metric is undefined there, e.g. a wait with no assignments).
fn point_means(rows: &[Row], metric: &str, points: usize) -> Option<Vec<f64>> {
    let mut sums = vec![(0.0, 0usize); points];
    for row in rows {
        let point: usize = row.get("point")?.parse().ok()?;
        if let Some(v) = row.get(metric).and_then(|v| v.parse::<f64>().ok()) {
            sums[point].0 += v;
            sums[point].1 += 1;
        }
    }
    sums.iter()
        .map(|(sum, n)| (*n > 0).then(|| sum / *n as f64))
        .collect()
}

fn morris_rows(
    plan: &Plan,
    factors: &[carenet::experiment::design::Factor],
    metric: &str,
    means: &[f64],
) -> Vec<Row> {
    let file = &plan.file;
    let trajectories = morris_trajectories(factors, file.samples, file.levels, file.design_seed);
    let per = factors.len() + 1;
    let outputs: Vec<Vec<f64>> = means.chunks(per).map(<[f64]>::to_vec).collect();
    let optional = |v: Option<f64>| v.map_or_else(String::new, finite);
    morris_indices(factors, &trajectories, &outputs)
        .into_iter()
        .map(|m| {
            Row(vec![
                ("metric".into(), metric.to_string()),
                ("factor".into(), m.factor),
                ("mu".into(), finite(m.mu)),
                ("mu_star".into(), finite(m.mu_star)),
                ("sigma".into(), finite(m.sigma)),
                (
                    "mu_star_ci95_low".into(),
                    optional(m.mu_star_ci95.map(|c| c.0)),
                ),
                (
                    "mu_star_ci95_high".into(),
                    optional(m.mu_star_ci95.map(|c| c.1)),
                ),
            ])
        })
        .collect()
}

fn sobol_rows(plan: &Plan, metric: &str, means: &[f64]) -> Vec<Row> {
    let k = plan.columns.len();
    let optional = |v: Option<f64>| v.map_or_else(String::new, finite);
    sobol_indices(k, plan.file.samples, means)
        .into_iter()
        .map(|s| {
            Row(vec![
                ("metric".into(), metric.to_string()),
                ("factor".into(), plan.columns[s.factor].clone()),
                ("first_order".into(), finite(s.first_order)),
                (
                    "first_order_ci95_low".into(),
                    optional(s.first_order_ci95.map(|c| c.0)),
                ),
                (
                    "first_order_ci95_high".into(),
                    optional(s.first_order_ci95.map(|c| c.1)),
                ),
                ("total".into(), finite(s.total)),
                ("total_ci95_low".into(), optional(s.total_ci95.map(|c| c.0))),
                (
                    "total_ci95_high".into(),
                    optional(s.total_ci95.map(|c| c.1)),
                ),
            ])
        })
        .collect()
}

/// A value as a CSV cell; empty (NA) when it is not a finite number (an index
/// over outputs that do not vary), so no NaN reaches sensitivity.csv.
fn finite(value: f64) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        String::new()
    }
}

/// The most influential factor for a few headline metrics.
fn print_top(rows: &[Row], design: Design) {
    let key = if design == Design::Morris {
        "mu_star"
    } else {
        "total"
    };
    for metric in [
        "unmet_share",
        "informal_hours",
        "mean_strain",
        "within_neighbourhood_share",
    ] {
        let best = rows
            .iter()
            .filter(|r| r.get("metric") == Some(metric))
            .filter_map(|r| Some((r.get("factor")?, r.get(key)?.parse::<f64>().ok()?)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((factor, value)) = best {
            println!("  {metric:<28} most sensitive to {factor} ({key} {value:.3})");
        }
    }
}
