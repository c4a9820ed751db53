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
    #[command(flatten)]
    memory: super::MemoryCeiling,
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
    let done = execute(
        &plan,
        &recorded,
        &out,
        Shard::WHOLE,
        (args.quiet, &args.memory),
    )?;
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
    print_top(&rows, plan.file.design, plan.file.samples);
    println!(
        "{} ({} new) in {:.1}s; indices for {} metrics: {}",
        super::runs_counted(done.rows.len()),
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
        carenet::output::float_cell(value)
    } else {
        String::new()
    }
}

/// The most influential factor for a few headline metrics.
fn print_top(rows: &[Row], design: Design, samples: usize) {
    for line in top_lines(rows, design, samples) {
        println!("{line}");
    }
}

/// Half the width of a Sobol index's 95% interval above which the summary
/// says the indices are imprecise: an index of a share of variance (0 to 1)
/// known only to ±0.25 or worse ranks factors by noise.
const IMPRECISE_HALF_WIDTH: f64 = 0.25;

/// [`print_top`]'s lines: each headline metric's most influential factor,
/// for Sobol with its total index's 95% interval, and a note when those
/// intervals are too wide to rank factors by (QA 35: 8 samples gave a total
/// index of 1.17 and nothing said it was noise).
fn top_lines(rows: &[Row], design: Design, samples: usize) -> Vec<String> {
    let key = if design == Design::Morris {
        "mu_star"
    } else {
        "total"
    };
    let number = |r: &Row, column: &str| r.get(column)?.parse::<f64>().ok();
    let mut lines = Vec::new();
    let mut widest: f64 = 0.0;
    for metric in [
        "unmet_share",
        "informal_hours",
        "mean_strain",
        "within_neighbourhood_share",
    ] {
        let best = rows
            .iter()
            .filter(|r| r.get("metric") == Some(metric))
            .filter_map(|r| Some((r, r.get("factor")?, number(r, key)?)))
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let Some((row, factor, value)) = best else {
            continue;
        };
        let interval = match (
            number(row, "total_ci95_low"),
            number(row, "total_ci95_high"),
        ) {
            (Some(low), Some(high)) if design == Design::Sobol => {
                widest = widest.max((high - low) / 2.0);
                format!(", 95% interval {low:.3} to {high:.3}")
            }
            _ => String::new(),
        };
        // Sobol's indices are shares of variance (0 to 1), three decimals;
        // Morris's mu_star is in the metric's unit, three significant digits
        // (QA 36: mean_strain's 0.000165 read "mu_star 0.000", as if no effect).
        let shown = match design {
            Design::Morris => carenet::experiment::compare::human(value),
            _ => format!("{value:.3}"),
        };
        lines.push(format!(
            "  {metric:<28} most sensitive to {factor} ({key} {shown}{interval})"
        ));
    }
    if widest > IMPRECISE_HALF_WIDTH {
        lines.push(format!(
            "  note: with samples = {samples} these indices are known only to ±{widest:.2} \
             (95%), too wide to rank the factors; four times the samples halve the intervals"
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sobol_row(metric: &str, factor: &str, total: f64, ci: (f64, f64)) -> Row {
        Row(vec![
            ("metric".into(), metric.into()),
            ("factor".into(), factor.into()),
            ("total".into(), total.to_string()),
            ("total_ci95_low".into(), ci.0.to_string()),
            ("total_ci95_high".into(), ci.1.to_string()),
        ])
    }

    #[test]
    fn sobol_summary_gives_the_interval_and_says_when_it_is_too_wide_to_rank() {
        let noisy = [
            sobol_row("unmet_share", "a", 1.17, (0.2, 2.1)),
            sobol_row("unmet_share", "b", 0.4, (0.0, 0.9)),
        ];
        let lines = top_lines(&noisy, Design::Sobol, 8);
        assert!(
            lines[0].contains("most sensitive to a (total 1.170, 95% interval 0.200 to 2.100)"),
            "{lines:?}"
        );
        assert!(
            lines[1].contains("samples = 8") && lines[1].contains("±0.95"),
            "{lines:?}"
        );
        let precise = [sobol_row("unmet_share", "a", 0.6, (0.55, 0.65))];
        let lines = top_lines(&precise, Design::Sobol, 1024);
        assert_eq!(lines.len(), 1, "{lines:?}");
    }

    #[test]
    fn a_small_morris_effect_keeps_its_significant_digits() {
        let row = |metric: &str, mu_star: f64| {
            Row(vec![
                ("metric".into(), metric.into()),
                ("factor".into(), "formal.hours_per_1000_residents".into()),
                ("mu_star".into(), mu_star.to_string()),
            ])
        };
        let rows = [
            row("informal_hours", 433.0275),
            row("mean_strain", 0.000_165_082),
        ];
        let lines = top_lines(&rows, Design::Morris, 2);
        assert!(lines[0].ends_with("(mu_star 433)"), "{lines:?}");
        assert!(lines[1].ends_with("(mu_star 0.000165)"), "{lines:?}");
    }
}
