//! `carenet calibrate`: run an experiment and rank its points by their distance
//! to the docs/ODD.md §1.3 ranges; with `--leading N`, run the N best points
//! again with more replicates and check the stylised facts of §1.2 at each, so
//! that a point is chosen by facts and targets together.

use std::path::{Path, PathBuf};

use carenet::experiment::plan::Plan;
use carenet::experiment::sweep::Shard;
use carenet::experiment::targets::{TARGETS, score};
use carenet::experiment::validate::{check_carried, facts_at, model_changes, reproduced};
use carenet::output::{Row, float_cell, table_bytes, write_atomically};
use carenet::scenario::overrides::Override;
use clap::Args;

use super::overrides;
use super::progress::Progress;
use super::sweep::execute;
use super::{EXIT_INVALID_INPUT, Failure};

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
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = overrides::parse, help = overrides::EXPERIMENT_HELP)]
    overrides: Vec<overrides::Override>,
    /// Run the N points that meet most targets (the lowest score first among
    /// equals) again with --leading-replicates and check the seven stylised facts (docs/ODD.md §1.2) at each, as `carenet validate
    /// --set` would at that point: facts and targets scored together. Written
    /// to leading-<N>x<R>/leading.csv, best first by facts reproduced, then
    /// targets met, then score. The experiment's model changes from the
    /// baseline go into the facts' scenarios with each point's values.
    #[arg(long, value_name = "N", default_value_t = 0)]
    leading: usize,
    /// Replicates per leading point.
    #[arg(long, value_name = "R", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(2..=1000))]
    leading_replicates: u32,
    /// Replicates per variant of each fact at a leading point (as `carenet
    /// validate --replicates`).
    #[arg(long, value_name = "R", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(2..=1000))]
    facts_replicates: u32,
    #[command(flatten)]
    memory: super::MemoryCeiling,
}

/// A point with its mean metrics over its replicates, scored.
struct Scored {
    id: usize,
    score: f64,
    targets_met: usize,
    row: Row,
}

pub fn calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let mut plan = Plan::load(&args.experiment)?;
    super::sweep::apply_overrides(&mut plan, &args.overrides)?;
    super::set_threads(args.threads)?;
    let recorded = overrides::record(&args.overrides);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(&plan.file.name));
    let model = model_changes(&plan.base);
    if args.leading > 0 {
        for point in &plan.points {
            check_carried(&changes_at(&model, &plan, point.id))
                .map_err(|e| cannot_carry(&args.experiment, point.id, &e.0))?;
        }
    }
    let done = execute(
        &plan,
        &recorded,
        &out,
        Shard::WHOLE,
        (args.quiet, &args.memory),
    )?;
    warn_of_weeks_other_than_a_year(&done.rows);
    let mut points = score_points(&plan, &done.rows);
    points.sort_by(|a, b| a.score.total_cmp(&b.score));
    let rows: Vec<Row> = points.iter().map(|p| p.row.clone()).collect();
    super::sweep::write_recorded_table(&out, "calibration.csv", &table_bytes(&rows)?)?;
    println!("best points (score: sum of squared misses in range widths; 0 = all targets met):");
    for p in points.iter().take(5) {
        println!(
            "  {:>8.2}  {}/{} targets met  {}",
            p.score,
            p.targets_met,
            TARGETS.len(),
            values_text(&plan, p.id)
        );
    }
    println!("table: {}", out.join("calibration.csv").display());
    if args.leading > 0 {
        let ids = leading_ids(&points, args.leading);
        if ids.len() < args.leading {
            println!(
                "--leading {}: the experiment has {} points, so all {} are run again",
                args.leading,
                ids.len(),
                ids.len()
            );
        }
        confirm_leading(&plan, &model, &ids, &args, &out)?;
    }
    Ok(())
}

/// Says on standard error when the runs report other than 52 weeks: the
/// targets are yearly figures (CBS counts a carer over a year), so such runs'
/// scores are no distance to them, as `carenet report` says and leaves them
/// unscored (QA 35: `calibrate --set weeks=26` ranked points in silence,
/// with a CBS carer share of 8.6% against the 52 weeks' 13%).
fn warn_of_weeks_other_than_a_year(rows: &[Row]) {
    const YEAR: &str = "52";
    let mut other: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.get("weeks"))
        .filter(|w| *w != YEAR)
        .collect();
    other.sort_unstable();
    other.dedup();
    if other.is_empty() {
        return;
    }
    eprintln!(
        "warning: the targets are yearly figures (CBS counts a carer over a year), and the \
         experiment's runs report {} weeks: their scores and targets met are no distance to \
         the Dutch figures\n  fix: run 52 reported weeks (--set weeks=52, or weeks = 52 in \
         the scenario) to calibrate",
        other.join(", ")
    );
}

/// The `n` points that meet most targets, the closest first among equals: a
/// point is judged by the targets it meets before its distance.
fn leading_ids(points: &[Scored], n: usize) -> Vec<usize> {
    let mut by_met: Vec<&Scored> = points.iter().collect();
    by_met.sort_by(|a, b| {
        b.targets_met
            .cmp(&a.targets_met)
            .then(a.score.total_cmp(&b.score))
    });
    by_met.iter().take(n).map(|p| p.id).collect()
}

/// The leading points again at more replicates, with the facts at each;
/// leading.csv best first.
fn confirm_leading(
    plan: &Plan,
    model: &[Override],
    ids: &[usize],
    args: &CalibrateArgs,
    out: &Path,
) -> Result<(), Failure> {
    let leading = plan.leading(ids, args.leading_replicates);
    // One folder per choice of N and R, so that asking for more leading
    // points later starts its own record rather than clashing with this one.
    let folder = out.join(format!("leading-{}x{}", ids.len(), args.leading_replicates));
    refuse_other_leading_points(&folder, &leading)?;
    let done = execute(
        &leading,
        &overrides::record(&args.overrides),
        &folder,
        Shard::WHOLE,
        (args.quiet, &args.memory),
    )?;
    let mut confirmed = Vec::with_capacity(ids.len());
    for p in score_points(&leading, &done.rows) {
        confirmed.push(confirm_point(p, (plan, model), args, &folder)?);
    }
    confirmed.sort_by(|(a, a_facts, _), (b, b_facts, _)| {
        b_facts
            .cmp(a_facts)
            .then(b.targets_met.cmp(&a.targets_met))
            .then(a.score.total_cmp(&b.score))
    });
    let rows: Vec<Row> = confirmed.iter().map(|(p, ..)| p.row.clone()).collect();
    super::sweep::write_recorded_table(&folder, "leading.csv", &table_bytes(&rows)?)?;
    print_leading(&confirmed, (plan, model), args, &folder);
    Ok(())
}

/// A leading point, the number of facts it reproduces and the short names
/// of those it does not.
type Confirmed = (Scored, usize, Vec<&'static str>);

fn refuse_other_leading_points(folder: &Path, leading: &Plan) -> Result<(), Failure> {
    let recorded = std::fs::read_to_string(folder.join("experiment.toml")).ok();
    if recorded.is_some_and(|text| text != leading.text) {
        return Err(anyhow::anyhow!(
            "{} records other leading points (the round's ranking changed since they were run)\n  \
             fix: remove that folder to have the leading points chosen and run again; the round's own runs are kept",
            folder.display()
        )
        .into());
    }
    Ok(())
}

/// Runs the stylised facts at a leading point, writes its validation.csv
/// and adds the facts to its row.
fn confirm_point(
    mut p: Scored,
    (plan, model): (&Plan, &[Override]),
    args: &CalibrateArgs,
    folder: &Path,
) -> Result<Confirmed, Failure> {
    let progress = Progress::new(args.quiet);
    let stage = |fact: &str| progress.stage(&format!("point {}: {fact}", p.id));
    let checks = facts_at(
        &changes_at(model, plan, p.id),
        args.facts_replicates,
        &stage,
    )
    .map_err(|e| cannot_carry(&args.experiment, p.id, &e.0))?;
    progress.finish();
    let point_folder = folder.join("facts").join(format!("p{:04}", p.id));
    std::fs::create_dir_all(&point_folder)?;
    write_atomically(
        &point_folder.join("validation.csv"),
        super::validate::table(&checks)?.as_bytes(),
    )?;
    let facts = reproduced(&checks);
    let count = facts.iter().filter(|(_, pass)| *pass).count();
    p.row
        .0
        .push(("facts_replicates".into(), args.facts_replicates.to_string()));
    p.row.0.push(("facts_reproduced".into(), count.to_string()));
    for (fact, pass) in &facts {
        p.row
            .0
            .push((short_name(fact).to_string(), pass.to_string()));
    }
    let failed: Vec<&str> = facts
        .iter()
        .filter(|(_, pass)| !pass)
        .map(|(fact, _)| short_name(fact))
        .collect();
    Ok((p, count, failed))
}

fn print_leading(
    confirmed: &[Confirmed],
    (plan, model): (&Plan, &[Override]),
    args: &CalibrateArgs,
    folder: &Path,
) {
    println!(
        "leading points at {} replicates, facts at {} replicates per variant (best first):",
        args.leading_replicates, args.facts_replicates
    );
    for (p, count, failed) in confirmed {
        let missing = if failed.is_empty() {
            String::new()
        } else {
            format!(" (not {})", failed.join(", "))
        };
        println!(
            "  point {:>4}: {count}/7 facts{missing}, {}/{} targets met, score {:.2}  {}",
            p.id,
            p.targets_met,
            TARGETS.len(),
            p.score,
            values_text(plan, p.id)
        );
    }
    if !model.is_empty() {
        let carried: Vec<String> = model.iter().map(ToString::to_string).collect();
        println!(
            "facts at the experiment's changes from the baseline: {}",
            carried.join(", ")
        );
    }
    println!(
        "table: {} (each point's checks: {})",
        folder.join("leading.csv").display(),
        folder.join("facts").display()
    );
}

/// Each point of `plan` with its replicates' mean metrics and their score.
fn score_points(plan: &Plan, runs: &[Row]) -> Vec<Scored> {
    plan.points
        .iter()
        .map(|point| {
            let id = point.id.to_string();
            let rows: Vec<&Row> = runs
                .iter()
                .filter(|r| r.get("point") == Some(id.as_str()))
                .collect();
            let mean = |column: &str| {
                let values: Vec<f64> = rows
                    .iter()
                    .filter_map(|r| r.get(column)?.parse::<f64>().ok())
                    .collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            };
            let total = score(mean);
            let met = TARGETS
                .iter()
                .filter(|t| mean(t.column).is_some_and(|v| t.miss(v) == 0.0))
                .count();
            let mut row = Row(vec![("point".into(), id)]);
            for (column, value) in &point.values {
                row.0.push((column.clone(), value.to_string()));
            }
            row.0.push(("replicates".into(), rows.len().to_string()));
            row.0.push(("score".into(), float_cell(total)));
            row.0.push(("targets_met".into(), met.to_string()));
            for target in TARGETS {
                let value = mean(target.column);
                row.0.push((
                    target.column.into(),
                    value.map_or_else(String::new, float_cell),
                ));
                row.0.push((
                    format!("{}_in_range", target.column),
                    value.is_some_and(|v| target.miss(v) == 0.0).to_string(),
                ));
            }
            Scored {
                id: point.id,
                score: total,
                targets_met: met,
                row,
            }
        })
        .collect()
}

/// What the facts' scenarios take at a point: the experiment's model changes,
/// then the point's values.
fn changes_at(model: &[Override], plan: &Plan, id: usize) -> Vec<Override> {
    let mut changes = model.to_vec();
    changes.extend(
        plan.point(id)
            .values
            .iter()
            .map(|(column, value)| Override::new(column.clone(), value.clone())),
    );
    changes
}

/// A fact's short name ("P3" of "P3 Bredewold").
fn short_name(fact: &str) -> &str {
    fact.split_whitespace().next().unwrap_or(fact)
}

fn values_text(plan: &Plan, id: usize) -> String {
    plan.point(id)
        .values
        .iter()
        .map(|(column, value)| format!("{column} = {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn cannot_carry(experiment: &Path, point: usize, message: &str) -> Failure {
    Failure {
        code: EXIT_INVALID_INPUT,
        error: anyhow::anyhow!(
            "{}: point {point} cannot be carried into the facts' scenarios ({message})\n  \
             fix: leave out --leading, or vary only model parameters that every research scenario has",
            experiment.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(id: usize, targets_met: usize, score: f64) -> Scored {
        Scored {
            id,
            score,
            targets_met,
            row: Row(Vec::new()),
        }
    }

    #[test]
    fn the_leading_points_meet_most_targets_and_then_lie_closest() {
        let points = [
            scored(0, 9, 1.0),
            scored(1, 10, 5.0),
            scored(2, 10, 3.0),
            scored(3, 8, 0.5),
        ];
        assert_eq!(leading_ids(&points, 3), [2, 1, 0]);
        assert_eq!(leading_ids(&points, 9), [2, 1, 0, 3], "all when fewer");
    }
}
