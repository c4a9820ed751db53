//! `carenet validate`: the stylised facts of docs/ODD.md §1.2, with replicates.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use carenet::experiment::validate::{self as facts_lib, Check, Setup, validate};
use carenet::output::{Manifest, timestamp_now};
use carenet::scenario::Scenario;
use clap::Args;

use super::Failure;
use super::overrides::{self, Override};
use super::progress::Progress;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Replicates per variant (default 20; 3 with --quick).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=1000))]
    replicates: Option<u32>,
    /// A first look, and CI: 3 replicates per variant instead of 20. The
    /// intervals are then wide, so a fact can FAIL by chance (exit code 1 all
    /// the same); run without --quick before reading a fact as not reproduced.
    #[arg(long)]
    quick: bool,
    /// Only this fact (P1 … P7; repeat for several). Default: all seven.
    #[arg(long = "fact", value_name = "P1..P7")]
    facts: Vec<String>,
    /// Output folder for validation.csv (default: results/validation); a folder
    /// there is replaced only if it holds nothing carenet did not write.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the output folder even if it holds files carenet did not write.
    #[arg(long)]
    force: bool,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
    /// Change a field of every scenario the facts use (the research scenarios
    /// and the baseline) by its key path, e.g. --set behaviour.comfortable_share=0.7:
    /// do the facts hold at your parameters? Applied before each fact makes its
    /// own variants (network-first on and off, trust low and high, ...), so a
    /// fact still compares what it compares. Repeatable, applied in order.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = overrides::parse)]
    overrides: Vec<Override>,
    #[command(flatten)]
    memory: super::MemoryCeiling,
}

pub fn run(args: ValidateArgs) -> Result<(), Failure> {
    let replicates = args
        .replicates
        .unwrap_or(if args.quick { 3 } else { FULL_REPLICATES });
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join("validation"));
    facts_lib::check_fact_names(&args.facts).map_err(|e| super::usage(format!("--fact: {e}")))?;
    let clock = Instant::now();
    let started = timestamp_now();
    check_memory(&scenarios_set(&args.overrides)?, replicates, &args.memory)?;
    // Opened before the facts run: a folder of the user's in the way is
    // refused at once, not after minutes of replicates.
    let folder = super::open_output(&out, args.force, &[])?;
    let replaced = super::Replaced::by(&folder);
    let given = args.overrides.clone();
    let adjust = move |s: &Scenario| {
        // Checked on every scenario the facts use before any run.
        overrides::apply(s, &given).expect("--set was checked on every scenario")
    };
    let setup = Setup {
        replicates,
        adjust: &adjust,
    };
    let progress = Progress::new(args.quiet);
    let checks = validate(&setup, &args.facts, &|fact| {
        progress.stage(&format!("running {fact}"))
    })
    .map_err(|e| super::usage(format!("--fact: {e}")))?;
    progress.finish();
    let seconds = clock.elapsed().as_secs_f64();
    folder.write_bytes("validation.csv", table(&checks)?.as_bytes())?;
    let mut manifest = validation_manifest(&args, replicates, &checks, started, seconds);
    manifest.record_files(&folder)?;
    manifest.write(&folder)?;
    let written = folder.commit()?;
    super::say_replaced(replaced, &written);
    print(&checks, replicates, seconds, &written);
    if !args.overrides.is_empty() {
        println!(
            "at --set {} (applied to every scenario the facts use)",
            overrides::record(&args.overrides).join(" --set ")
        );
    }
    let failed: Vec<&str> = facts_lib::reproduced(&checks)
        .into_iter()
        .filter(|(_, pass)| !pass)
        .map(|(fact, _)| fact)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(super::not_reproduced(format!(
            "not reproduced: {} (docs/ODD.md §1.2 gives each check's criterion, the \
             research that bears on it and what moves it){}",
            failed.join(", "),
            few_replicates_note(replicates)
        )))
    }
}

/// The replicates of a full validation, which the facts are judged by.
const FULL_REPLICATES: u32 = 20;

/// Said with a fact not reproduced at fewer replicates than a full
/// validation's (QA 29: `validate --quick`, "for a first look", ended in
/// "FAIL" and "not reproduced" for four facts whose wide 3-replicate intervals
/// merely included the threshold; the README says so, the command did not).
fn few_replicates_note(replicates: u32) -> String {
    if replicates >= FULL_REPLICATES {
        return String::new();
    }
    format!(
        "\n  note: with {replicates} replicates the intervals are wide, too wide for some checks \
         to pass; run `carenet validate` ({FULL_REPLICATES} replicates) before reading a fact as \
         not reproduced"
    )
}

/// The validation folder's record: the facts run, their replicates and the
/// `--set` options. Each fact runs its own research scenarios with their own
/// seeds, so the record names no one scenario.
fn validation_manifest(
    args: &ValidateArgs,
    replicates: u32,
    checks: &[Check],
    started: String,
    seconds: f64,
) -> Manifest {
    let mut facts = serde_json::Map::new();
    facts.insert("replicates".into(), replicates.into());
    let run: Vec<String> = facts_lib::reproduced(checks)
        .into_iter()
        .map(|(fact, _)| fact.to_string())
        .collect();
    facts.insert("facts".into(), run.into());
    let mut manifest = Manifest::new(
        "validation",
        "",
        "the research scenarios of docs/ODD.md §1.2, each with its own seed",
        0,
        started,
        seconds,
        facts,
    );
    manifest.overrides = overrides::record(&args.overrides);
    manifest
}

/// The baseline and every research scenario with `--set` applied, so that a
/// bad key or value is refused before anything runs.
fn scenarios_set(given: &[Override]) -> Result<Vec<Scenario>, Failure> {
    let mut scenarios = vec![overrides::apply(&facts_lib::baseline(), given)?];
    for (name, _) in facts_lib::scenarios() {
        scenarios.push(overrides::apply(&facts_lib::library(name), given)?);
    }
    Ok(scenarios)
}

/// Refuses, before anything is written, facts whose runs would not fit in
/// memory: `--set` can make the research scenarios' areas of any size. Each
/// fact compares at least two variants, replicates of both at once.
fn check_memory(
    scenarios: &[Scenario],
    replicates: u32,
    ceiling: &super::MemoryCeiling,
) -> Result<(), Failure> {
    super::check_runs_memory(scenarios, 2 * u64::from(replicates), ceiling)
}

/// validation.csv: one row per check.
pub(super) fn table(checks: &[Check]) -> Result<String, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "fact",
        "metric",
        "n",
        "mean",
        "ci95_low",
        "ci95_high",
        "criterion",
        "pass",
        "near_criterion",
    ])?;
    for c in checks {
        let f = |v: Option<f64>| v.map_or_else(String::new, carenet::output::float_cell);
        w.write_record([
            c.fact.to_string(),
            c.metric.clone(),
            c.estimate.map_or(0, |e| e.n).to_string(),
            f(c.estimate.map(|e| e.mean)),
            f(c.estimate.and_then(|e| e.ci95).map(|c| c.0)),
            f(c.estimate.and_then(|e| e.ci95).map(|c| c.1)),
            c.criterion.clone(),
            c.pass.to_string(),
            c.near.to_string(),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow!("cannot write validation.csv: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn print(checks: &[Check], replicates: u32, seconds: f64, out: &Path) {
    // QA 30: the output said 3 replicates, not that this is a first look
    // whose FAIL can be chance (the note on a failure came after the table).
    let first_look = if replicates < FULL_REPLICATES {
        format!(
            " (a first look: a full validation has {FULL_REPLICATES}; with {replicates} a fact \
             can FAIL by chance)"
        )
    } else {
        String::new()
    };
    println!(
        "Stylised facts (docs/ODD.md §1.2), {replicates} replicates per variant{first_look}, \
         {seconds:.0}s:"
    );
    for c in checks {
        let value = match c.estimate.and_then(|e| e.ci95.map(|ci| (e.mean, ci))) {
            Some((mean, (low, high))) => format!("{mean:.3} [{low:.3}, {high:.3}]"),
            None => "n/a".into(),
        };
        let mark = if c.pass { "pass" } else { "FAIL" };
        let near = if c.near { " (near)" } else { "" };
        println!(
            "  {mark}  {:<22} {} = {value}; {}{near}",
            c.fact, c.metric, c.criterion
        );
    }
    if checks.iter().any(|c| c.near) {
        println!(
            "(near: the criterion lies within twice the interval's half-width of the mean, so \
             another set of replicates may give the other verdict; check with more, e.g. \
             --replicates 60)"
        );
    }
    let summary = facts_lib::reproduced(checks);
    let passed = summary.iter().filter(|(_, p)| *p).count();
    println!(
        "{passed} of {} facts reproduced; table: {}",
        summary.len(),
        out.join("validation.csv").display()
    );
}
