//! `carenet sweep` and `carenet merge`: experiments over many points and
//! replicates, resumable, shardable across a cluster.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use carenet::experiment::plan::{Job, Plan};
use carenet::experiment::sweep::{
    Shard, Table, is_done, merge_tables, read_summary, run_folder, runs_row, shard_jobs,
};
use carenet::experiment::{Contents, Run, write_run};
use carenet::output::{self, Manifest, Row, RunFolder, write_atomically};
use clap::Args;
use rayon::prelude::*;

use super::Failure;
use super::progress::Progress;

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The experiment file (TOML): scenario, design, parameters, replicates.
    experiment: PathBuf,
    /// Output folder (default: results/<experiment name>, with -shard-I-of-N
    /// for a shard).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only shard I of N (0-based), e.g. 0/4. Under a Slurm job array the
    /// shard comes from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.
    #[arg(long)]
    shard: Option<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folders of the shards of one experiment.
    #[arg(required = true)]
    folders: Vec<PathBuf>,
    /// Output folder for the merged runs.csv.
    #[arg(long)]
    out: PathBuf,
}

fn shard_of(args: &SweepArgs) -> Result<Shard, Failure> {
    if let Some(text) = &args.shard {
        return Shard::parse(text).map_err(|e| anyhow!("--shard {e}").into());
    }
    match Shard::from_slurm(|k| std::env::var(k).ok()) {
        Some(shard) => shard.map_err(|e| anyhow!("Slurm array variables: {e}").into()),
        None => Ok(Shard::WHOLE),
    }
}

pub fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let plan = Plan::load(&args.experiment)?;
    let shard = shard_of(&args)?;
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .context("cannot set up the worker threads")?;
    }
    let out = args.out.clone().unwrap_or_else(|| {
        let name = if shard == Shard::WHOLE {
            plan.file.name.clone()
        } else {
            format!(
                "{}-shard-{}-of-{}",
                plan.file.name, shard.index, shard.count
            )
        };
        Path::new("results").join(name)
    });
    let done = execute(&plan, &out, shard, args.quiet)?;
    println!(
        "{}: {} runs ({} new, {} already done) in {:.1}s; runs.csv: {}",
        plan.file.name,
        done.rows.len(),
        done.new,
        done.rows.len() - done.new,
        done.seconds,
        out.join("runs.csv").display()
    );
    Ok(())
}

/// What a sweep did.
pub struct Done {
    /// runs.csv, one row per run of the shard, in plan order.
    pub rows: Vec<Row>,
    /// Runs done now (the others were done before).
    pub new: usize,
    pub seconds: f64,
}

/// Runs the shard's runs that are not done yet into `out` and writes runs.csv.
pub fn execute(plan: &Plan, out: &Path, shard: Shard, quiet: bool) -> Result<Done, Failure> {
    claim_folder(out, plan)?;
    remove_leftovers(&out.join("runs"))?;
    let started = output::timestamp_now();
    let clock = Instant::now();
    let jobs = shard_jobs(plan, shard);
    let pending: Vec<Job> = jobs.iter().copied().filter(|j| !is_done(out, *j)).collect();
    let progress = Progress::new(quiet);
    progress.start_bar(pending.len() as u64, "runs done");
    let result: Result<(), Failure> = pending.par_iter().try_for_each(|job| {
        run_job(plan, out, *job)?;
        progress.tick();
        Ok(())
    });
    progress.finish();
    result?;
    let rows = jobs
        .iter()
        .map(|job| {
            let summary = read_summary(&run_folder(out, *job).join("summary.csv"))?;
            Ok(runs_row(plan, *job, &summary))
        })
        .collect::<Result<Vec<Row>, Failure>>()?;
    write_atomically(&out.join("runs.csv"), &output::table_bytes(&rows)?)?;
    let seconds = clock.elapsed().as_secs_f64();
    write_manifest(plan, out, shard, jobs.len(), started, seconds)?;
    Ok(Done {
        rows,
        new: pending.len(),
        seconds,
    })
}

/// Makes `out` this experiment's folder, or checks that it already is.
fn claim_folder(out: &Path, plan: &Plan) -> Result<(), Failure> {
    let recorded = out.join("experiment.toml");
    if recorded.is_file() {
        let text = std::fs::read_to_string(&recorded)
            .with_context(|| format!("cannot read {}", recorded.display()))?;
        if text != plan.text {
            return Err(anyhow!(
                "{} holds another experiment (its experiment.toml differs)\n  fix: choose another --out folder, or remove it to start again",
                out.display()
            )
            .into());
        }
        return Ok(());
    }
    if out.exists() && std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some()) {
        return Err(anyhow!(
            "{} exists and is not an experiment folder\n  fix: choose another --out folder",
            out.display()
        )
        .into());
    }
    std::fs::create_dir_all(out.join("runs"))
        .with_context(|| format!("cannot create {}", out.display()))?;
    write_atomically(&recorded, plan.text.as_bytes())?;
    Ok(())
}

/// Clears the staging folders of runs that were interrupted (another sweep of the
/// same folder must not run at the same time).
fn remove_leftovers(runs: &Path) -> Result<(), Failure> {
    let entries =
        std::fs::read_dir(runs).with_context(|| format!("cannot read {}", runs.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".partial-") {
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn run_job(plan: &Plan, out: &Path, job: Job) -> Result<(), Failure> {
    let scenario = plan.scenario_of(job);
    let run = Run::execute(&scenario, &mut |_| {});
    let folder = RunFolder::create(&run_folder(out, job))?;
    let contents = if plan.file.keep_runs {
        Contents::Full
    } else {
        Contents::SummaryOnly
    };
    write_run(
        &folder,
        &scenario,
        &plan.file.scenario.display().to_string(),
        &run,
        contents,
        output::timestamp_now(),
    )?;
    folder.commit()?;
    Ok(())
}

fn write_manifest(
    plan: &Plan,
    out: &Path,
    shard: Shard,
    runs: usize,
    started: String,
    seconds: f64,
) -> Result<(), Failure> {
    let mut facts = serde_json::Map::new();
    facts.insert("experiment".into(), plan.file.name.clone().into());
    facts.insert("points".into(), plan.points.len().into());
    facts.insert("replicates".into(), plan.file.replicates.into());
    facts.insert(
        "shard".into(),
        format!("{}/{}", shard.index, shard.count).into(),
    );
    facts.insert("runs_in_this_folder".into(), runs.into());
    facts.insert(
        "replicate_seeds".into(),
        (1..=plan.file.replicates)
            .map(|r| carenet::experiment::replicate_seed(plan.base.seed, r))
            .collect::<Vec<u64>>()
            .into(),
    );
    facts.insert(
        "experiment_sha256".into(),
        output::sha256_hex(plan.text.as_bytes()).into(),
    );
    let base = toml::to_string(&plan.base).context("cannot serialise the scenario")?;
    let manifest = Manifest::new(
        &plan.base.name,
        &base,
        &plan.file.scenario.display().to_string(),
        plan.base.seed,
        started,
        seconds,
        facts,
    );
    let text = serde_json::to_string_pretty(&manifest).context("cannot serialise the manifest")?;
    write_atomically(&out.join("experiment.json"), format!("{text}\n").as_bytes())?;
    write_atomically(&out.join("scenario.toml"), base.as_bytes())?;
    Ok(())
}

pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let mut experiment: Option<(PathBuf, String)> = None;
    let mut tables = Vec::new();
    for folder in &args.folders {
        let recorded = folder.join("experiment.toml");
        let text = std::fs::read_to_string(&recorded).with_context(|| {
            format!(
                "{} is not an experiment folder (no experiment.toml)",
                folder.display()
            )
        })?;
        match &experiment {
            Some((first, first_text)) if *first_text != text => {
                return Err(anyhow!(
                    "{} and {} hold different experiments; merge only shards of one experiment",
                    first.display(),
                    folder.display()
                )
                .into());
            }
            Some(_) => {}
            None => experiment = Some((folder.clone(), text)),
        }
        let path = folder.join("runs.csv");
        tables.push((path.clone(), Table::read(&path).map_err(|e| anyhow!(e))?));
    }
    let merged = merge_tables(&tables).map_err(|e| anyhow!(e))?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&merged.header)?;
    for row in &merged.rows {
        out.write_record(row)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| anyhow!("cannot write runs.csv: {e}"))?;
    write_atomically(&args.out.join("runs.csv"), &bytes)?;
    if let Some((_, text)) = experiment {
        write_atomically(&args.out.join("experiment.toml"), text.as_bytes())?;
    }
    println!(
        "merged {} runs from {} folders into {}",
        merged.rows.len(),
        args.folders.len(),
        args.out.join("runs.csv").display()
    );
    Ok(())
}
