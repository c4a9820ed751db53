//! `carenet sweep` and `carenet merge`: experiments over many points and
//! replicates, resumable, shardable across a cluster.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use carenet::experiment::Run;
use carenet::experiment::plan::{Job, Plan, PlanError};
use carenet::experiment::replicates::map_runs;
use carenet::experiment::sweep::{
    Shard, Table, check_kept_files, check_kept_run, check_pending_folder, is_done, merge_tables,
    read_summary, run_folder, runs_row, shard_jobs,
};
use carenet::output::{self, Manifest, Row, RunFolder, write_atomically};
use carenet::output::{Contents, write_run};
use clap::Args;
use rayon::prelude::*;

use super::Failure;
use super::overrides::{self, Override};
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
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = overrides::parse, help = overrides::EXPERIMENT_HELP)]
    overrides: Vec<Override>,
    #[command(flatten)]
    memory: super::MemoryCeiling,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folders of the shards of one experiment.
    #[arg(required = true)]
    folders: Vec<PathBuf>,
    /// Output folder for the merged runs.csv and runs.xlsx: new, empty, or an
    /// earlier merge of the same experiment; never one of the shard folders.
    #[arg(long)]
    out: PathBuf,
    /// Merge even if shards or runs are missing (they are listed).
    #[arg(long)]
    allow_partial: bool,
}

fn shard_of(args: &SweepArgs) -> Result<Shard, Failure> {
    if let Some(text) = &args.shard {
        return Shard::parse(text).map_err(|e| super::usage(format!("--shard {e}")));
    }
    match Shard::from_slurm(|k| std::env::var(k).ok()) {
        Some(shard) => shard.map_err(|e| super::usage(format!("Slurm array variables: {e}"))),
        None => Ok(Shard::WHOLE),
    }
}

pub fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let mut plan = Plan::load(&args.experiment)?;
    apply_overrides(&mut plan, &args.overrides)?;
    let shard = shard_of(&args)?;
    super::set_threads(args.threads)?;
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
    let recorded = overrides::record(&args.overrides);
    let done = execute(&plan, &recorded, &out, shard, (args.quiet, &args.memory))?;
    println!(
        "{}: {} ({} new, {} already done) in {:.1}s; runs.csv: {} (for Excel: runs.xlsx)",
        plan.file.name,
        super::runs_counted(done.rows.len()),
        done.new,
        done.rows.len() - done.new,
        done.seconds,
        out.join("runs.csv").display()
    );
    Ok(())
}

/// Applies `--set` to the experiment's base scenario and every point (refusing
/// a key the design varies), and notes them at the end of the experiment's
/// text, so that a resumed sweep or a merge of shards run with other `--set`
/// options is refused as another experiment.
pub(super) fn apply_overrides(plan: &mut Plan, given: &[Override]) -> Result<(), Failure> {
    if given.is_empty() {
        return Ok(());
    }
    overrides::check_not_varied(given, &plan.columns)?;
    plan.base = overrides::apply(&plan.base, given)?;
    for point in &mut plan.points {
        point.scenario = overrides::apply(&point.scenario, given).map_err(|failure| Failure {
            code: failure.code,
            error: failure
                .error
                .context(format!("point {} of the experiment", point.id)),
        })?;
    }
    plan.text.push_str(SET_NOTE);
    for o in given {
        plan.text.push_str(&format!("# --set {}\n", o.text));
    }
    Ok(())
}

/// An experiment folder's record: what ran, and the tables it wrote with
/// their sizes and SHA-256, so that a resume can tell an edited table.
const EXPERIMENT_RECORD: &str = "experiment.json";

/// The tables a sweep writes in place at its end, recorded in
/// [`EXPERIMENT_RECORD`] (`calibrate` and `sensitivity` add their own after).
const EXPERIMENT_TABLES: [&str; 7] = [
    "design.csv",
    "salib_problem.json",
    "runs.csv",
    "runs.xlsx",
    "weeks.csv",
    "yearly.csv",
    "scenario.toml",
];

/// Writes `name` (a table `calibrate` or `sensitivity` makes from the runs)
/// into the experiment folder `out` and adds it, with its size and SHA-256,
/// to the folder's record, so that a resume keeps an edited copy as it keeps
/// an edited runs.csv.
pub fn write_recorded_table(out: &Path, name: &str, bytes: &[u8]) -> Result<(), Failure> {
    write_table_recorded_in(out, EXPERIMENT_RECORD, name, bytes)
}

/// Writes `name` into the folder `out` and adds it, with its size and
/// SHA-256, to the folder's record `record` (made, listing only it, where
/// there is none yet), which [`output::check_listed_files_unchanged`] reads.
pub fn write_table_recorded_in(
    out: &Path,
    record: &str,
    name: &str,
    bytes: &[u8],
) -> Result<(), Failure> {
    write_atomically(&out.join(name), bytes)?;
    let path = out.join(record);
    let mut record: serde_json::Value = if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} was not written by carenet", path.display()))?
    } else {
        serde_json::json!({ "carenet_version": env!("CARGO_PKG_VERSION"), "files": [] })
    };
    let entry = output::OutputFile {
        name: name.to_string(),
        bytes: bytes.len() as u64,
        sha256: output::sha256_hex(bytes),
    };
    let files = record
        .get_mut("files")
        .and_then(serde_json::Value::as_array_mut)
        .ok_or_else(|| anyhow!("{} lists no files", path.display()))?;
    files.retain(|f| f.get("name").and_then(serde_json::Value::as_str) != Some(name));
    files.push(serde_json::to_value(entry).context("cannot serialise the record")?);
    let text = serde_json::to_string_pretty(&record).context("cannot serialise the record")?;
    write_atomically(&path, format!("{text}\n").as_bytes())?;
    Ok(())
}

/// What a sweep did.
pub struct Done {
    /// runs.csv, one row per run of the shard, in plan order.
    pub rows: Vec<Row>,
    /// Runs done now (the others were done before).
    pub new: usize,
    pub seconds: f64,
    /// The folder's lock, held while the caller writes its own tables there.
    pub _lock: output::WriterLock,
}

/// Runs the shard's runs that are not done yet into `out` and writes runs.csv;
/// `overrides` (`--set` as typed) go into its manifest. Runs that would not
/// fit in memory (`--max-memory`) are refused before anything is written.
pub fn execute(
    plan: &Plan,
    overrides: &[String],
    out: &Path,
    shard: Shard,
    (quiet, memory): (bool, &super::MemoryCeiling),
) -> Result<Done, Failure> {
    let jobs = shard_jobs(plan, shard);
    let scenarios = plan.points.iter().map(|p| &p.scenario);
    super::check_runs_memory(scenarios.clone(), jobs.len() as u64, memory)?;
    let largest_area = scenarios.map(|s| s.area_adults()).max().unwrap_or(0);
    // QA 40: two sweeps of one folder at once both ran every run and wrote
    // its tables over each other; the second is refused, as a second run is.
    refuse_a_file(out)?;
    let lock = output::lock_folder(out)?;
    claim_folder(out, plan)?;
    refuse_changed_tables(out)?;
    let started = output::timestamp_now();
    let clock = Instant::now();
    let pending = pending_jobs(plan, out, &jobs)?;
    write_design(plan, out)?;
    for leftover in output::remove_dead_leftovers(&out.join("runs")) {
        eprintln!(
            "removed {}, left behind by a sweep that was stopped",
            leftover.display()
        );
    }
    run_pending(plan, out, &pending, largest_area, quiet)?;
    let rows = runs_rows(plan, out, &jobs)?;
    write_atomically(&out.join("runs.csv"), &output::table_bytes(&rows)?)?;
    write_runs_workbook(plan, out, &rows)?;
    write_weeks_and_years(plan, out, &jobs)?;
    let base = toml::to_string(&plan.base).context("cannot serialise the scenario")?;
    write_atomically(&out.join("scenario.toml"), base.as_bytes())?;
    let seconds = clock.elapsed().as_secs_f64();
    let mut manifest = experiment_manifest(plan, shard, jobs.len(), started, seconds)?;
    manifest.overrides = overrides.to_vec();
    manifest
        .record_files_in(out, &EXPERIMENT_TABLES)
        .with_context(|| format!("cannot read back the tables in {}", out.display()))?;
    let text = serde_json::to_string_pretty(&manifest).context("cannot serialise the manifest")?;
    write_atomically(&out.join(EXPERIMENT_RECORD), format!("{text}\n").as_bytes())?;
    Ok(Done {
        rows,
        new: pending.len(),
        seconds,
        _lock: lock,
    })
}

/// Refuses a folder whose tables were changed since the sweep wrote them.
fn refuse_changed_tables(out: &Path) -> Result<(), Failure> {
    output::check_listed_files_unchanged(out, EXPERIMENT_RECORD).map_err(|message| Failure {
        code: super::EXIT_FAILED,
        error: anyhow!(
            "{}: {message}; a resumed sweep writes its tables anew\n  fix: move your copy out of the folder (or rename it) and run again: the sweep writes the file anew from its runs",
            out.display()
        ),
    })
}

/// The jobs not done yet, once the done ones' files and the others' folders
/// are checked.
fn pending_jobs(plan: &Plan, out: &Path, jobs: &[Job]) -> Result<Vec<Job>, Failure> {
    let (kept, pending): (Vec<Job>, Vec<Job>) =
        jobs.iter().copied().partition(|j| is_done(out, *j));
    check_kept(plan, out, &kept)?;
    if let Some(Err(message)) = pending
        .iter()
        .map(|job| check_pending_folder(out, *job))
        .find(Result::is_err)
    {
        return Err(Failure {
            code: super::EXIT_FAILED,
            error: anyhow!(message),
        });
    }
    Ok(pending)
}

fn run_pending(
    plan: &Plan,
    out: &Path,
    pending: &[Job],
    largest_area: u64,
    quiet: bool,
) -> Result<(), Failure> {
    let progress = Progress::new(quiet);
    progress.start_bar(pending.len() as u64, "runs done");
    // Runs of large areas one after another, as replicates run: each already
    // uses every core, and memory is the limit.
    let result = map_runs(pending, largest_area, |job| {
        run_job(plan, out, *job)?;
        progress.tick();
        Ok::<(), Failure>(())
    });
    progress.finish();
    result?;
    Ok(())
}

/// runs.csv's rows, read from every run's summary.csv.
fn runs_rows(plan: &Plan, out: &Path, jobs: &[Job]) -> Result<Vec<Row>, Failure> {
    jobs.iter()
        .map(|job| {
            let folder = run_folder(out, *job);
            let summary = read_summary(&folder.join("summary.csv")).map_err(|message| {
                anyhow!(
                    "{message}\n  fix: remove the folder {} to have that run done again",
                    folder.display()
                )
            })?;
            Ok(runs_row(plan, *job, &summary))
        })
        .collect::<Result<Vec<Row>, Failure>>()
}

/// weeks.csv and yearly.csv of the runs, or why they are not written.
fn write_weeks_and_years(plan: &Plan, out: &Path, jobs: &[Job]) -> Result<(), Failure> {
    match super::weeks::of_sweep(plan, jobs, out)? {
        Ok(bytes) => write_atomically(&out.join("weeks.csv"), &bytes)?,
        Err(missing) => eprintln!(
            "weeks.csv not written: {missing}; remove that run's folder to have it rerun with its weeks"
        ),
    }
    match super::weeks::years_of_sweep(plan, jobs, out)? {
        Ok(Some(bytes)) => write_atomically(&out.join(output::YEARLY_CSV), &bytes)?,
        Ok(None) => {}
        Err(missing) => eprintln!(
            "yearly.csv not written: {missing}; remove that run's folder to have it rerun with its years"
        ),
    }
    Ok(())
}

/// Checks the runs an earlier sweep finished before any is trusted, in plan
/// order so that the first refused is the one named. Changed files are an
/// output folder holding what carenet did not write (exit code 4); a run of
/// another scenario or seed means the experiment needs fixing (exit code 3).
/// Both are refused, never run again: that would replace what someone may
/// have changed on purpose.
fn check_kept(plan: &Plan, out: &Path, kept: &[Job]) -> Result<(), Failure> {
    // Hashing every kept file is the slow part of a resume; the runs are
    // independent, so they are checked in parallel.
    let files: Vec<Result<(), String>> = kept
        .par_iter()
        .map(|job| check_kept_files(out, *job))
        .collect();
    if let Some(Err(message)) = files.into_iter().find(Result::is_err) {
        return Err(Failure {
            code: super::EXIT_FAILED,
            error: anyhow!(message),
        });
    }
    for job in kept {
        check_kept_run(plan, out, *job).map_err(|message| {
            Failure::from(PlanError::Invalid {
                path: out.join("experiment.toml"),
                message: format!(
                    "{message}\n  fix: remove that run's folder to have it rerun, or choose another --out folder for this experiment"
                ),
            })
        })?;
    }
    Ok(())
}

/// design.csv and, for a numeric design, salib_problem.json: the points for
/// SALib's and the EMA Workbench's analyses (every shard writes the same).
fn write_design(plan: &Plan, out: &Path) -> Result<(), Failure> {
    let design = carenet::experiment::salib::design_table(plan);
    write_atomically(&out.join("design.csv"), &output::table_bytes(&design)?)?;
    if let Some(problem) = carenet::experiment::salib::salib_problem(plan) {
        write_atomically(&out.join("salib_problem.json"), problem.as_bytes())?;
    }
    Ok(())
}

/// runs.xlsx: runs.csv and design.csv as sheets of one workbook, for Excel
/// in a locale that reads CSV otherwise (README.md, "For policy analysts").
fn write_runs_workbook(plan: &Plan, out: &Path, rows: &[Row]) -> Result<(), Failure> {
    let design = carenet::experiment::salib::design_table(plan);
    let bytes = super::xlsx::said_workbook("runs.xlsx", &[("runs", rows), ("design", &design)])?;
    write_atomically(&out.join("runs.xlsx"), &bytes)?;
    Ok(())
}

/// A file at `--out`, or on the way to it, is the user's: said as such, not
/// as "Not a directory" or "File exists".
fn refuse_a_file(out: &Path) -> Result<(), Failure> {
    if std::fs::symlink_metadata(out).is_ok_and(|m| !m.is_dir() && !m.file_type().is_symlink()) {
        return Err(carenet::output::OutputError::IsAFile {
            path: out.to_path_buf(),
        }
        .into());
    }
    output::refuse_a_file_on_the_way(out)?;
    Ok(())
}

/// Makes `out` this experiment's folder, or checks that it already is (the
/// caller has refused a file at `out` and taken the folder's lock).
fn claim_folder(out: &Path, plan: &Plan) -> Result<(), Failure> {
    let recorded = out.join("experiment.toml");
    if recorded.is_file() {
        let text = std::fs::read_to_string(&recorded)
            .with_context(|| format!("cannot read {}", recorded.display()))?;
        if text != plan.text {
            return Err(anyhow!(
                "{} holds another experiment: its experiment.toml (the experiment file and \
                 the --set options it ran with) differs from this one, {}\n  fix: give the \
                 same file and --set options to resume it, choose another --out folder, or \
                 remove it to start again",
                out.display(),
                first_difference(&text, &plan.text)
            )
            .into());
        }
        return Ok(());
    }
    if out.exists() && !only_an_empty_runs_folder(out) {
        // Named, so the user sees which of their files stopped the sweep (QA 28).
        let found: Vec<String> = std::fs::read_dir(out)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let shown = first_names(found);
        return Err(anyhow!(
            "{} exists and is not an experiment folder (no experiment.toml; it holds {shown}); a sweep never writes among other files\n  \
             fix: choose another --out folder, or move those files out of it",
            out.display()
        )
        .into());
    }
    std::fs::create_dir_all(out.join("runs"))
        .with_context(|| format!("cannot create {}", out.display()))?;
    write_atomically(&recorded, plan.text.as_bytes())?;
    Ok(())
}

/// The names of files found in a folder, sorted, the first five and how many
/// in all, for a message that says what stopped a command writing there.
fn first_names(mut found: Vec<String>) -> String {
    found.sort();
    if found.len() > 5 {
        format!("{}, … ({} in all)", found[..5].join(", "), found.len())
    } else {
        found.join(", ")
    }
}

/// Whether `out` holds nothing, or only the empty `runs/` a sweep makes
/// before its experiment.toml: what a sweep stopped there (a full disk, a
/// kill) leaves, which the next sweep takes as new (QA 40: it was refused as
/// "not an experiment folder … move those files out of it").
fn only_an_empty_runs_folder(out: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(out) else {
        return false;
    };
    let names: Vec<std::ffi::OsString> = entries
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    match names.as_slice() {
        [] => true,
        [only] if only == "runs" => {
            std::fs::read_dir(out.join("runs")).is_ok_and(|mut d| d.next().is_none())
        }
        _ => false,
    }
}

/// How a recorded experiment.toml differs from this experiment's text, in
/// words: a resume refused for another `--set` option said only "its
/// experiment.toml differs" of a file the user never edited (QA 35). The
/// `--set` options are named when they differ, else the first other line.
fn first_difference(recorded: &str, now: &str) -> String {
    let (sets_there, file_there) = split_recorded_sets(recorded);
    let (sets_now, file_now) = split_recorded_sets(now);
    if file_there == file_now {
        let said = |sets: &[&str]| match sets {
            [] => "no --set options".to_string(),
            sets => sets
                .iter()
                .map(|s| format!("--set {s}"))
                .collect::<Vec<_>>()
                .join(" "),
        };
        return format!(
            "in its --set options: it ran with {}, this one has {}",
            said(&sets_there),
            said(&sets_now)
        );
    }
    let shown = |line: Option<&str>| line.map_or("nothing".to_string(), |l| format!("`{l}`"));
    let (mut there, mut here) = (recorded.lines(), now.lines());
    for number in 1.. {
        match (there.next(), here.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                return format!("from line {number}: {} there, {} now", shown(a), shown(b));
            }
        }
    }
    "in its line endings".to_string()
}

/// An experiment's text split into the `--set` options noted at its end
/// ([`apply_overrides`]) and the experiment file's own text.
fn split_recorded_sets(text: &str) -> (Vec<&str>, &str) {
    match text.split_once(SET_NOTE) {
        Some((file, sets)) => (
            sets.lines()
                .filter_map(|l| l.strip_prefix("# --set "))
                .collect(),
            file,
        ),
        None => (Vec::new(), text),
    }
}

/// The line before the `--set` options noted at the end of an experiment's text.
const SET_NOTE: &str = "\n# carenet sweep --set, applied to every point's scenario:\n";

fn run_job(plan: &Plan, out: &Path, job: Job) -> Result<(), Failure> {
    let scenario = plan.scenario_of(job);
    let run = Run::execute(&scenario, &mut |_| {});
    let folder = RunFolder::create(&run_folder(out, job))?;
    let contents = if plan.file.keep_runs {
        Contents::Full
    } else {
        Contents::SummaryAndWeeks
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

/// experiment.json's record (written beside the base scenario.toml).
fn experiment_manifest(
    plan: &Plan,
    shard: Shard,
    runs: usize,
    started: String,
    seconds: f64,
) -> Result<Manifest, Failure> {
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
        carenet::output::seeds_json(
            (1..=plan.file.replicates)
                .map(|r| carenet::experiment::replicate_seed(plan.base.seed, r)),
        ),
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
    Ok(manifest)
}

pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let shards = args
        .folders
        .iter()
        .map(|folder| ShardFolder::read(folder))
        .collect::<Result<Vec<_>, Failure>>()?;
    let text = same_experiment(&shards)?;
    let missing = missing_runs(&shards)?;
    if !missing.is_empty() {
        let list = missing.join("\n  ");
        if !args.allow_partial {
            return Err(super::usage(format!(
                "the shards given are not the whole experiment:\n  {list}\n  \
                 fix: add the missing shard folders (run them with `carenet sweep --shard I/N`), \
                 or pass --allow-partial to merge what there is"
            )));
        }
        eprintln!("merging a partial experiment; missing:\n  {list}");
    }
    let design = shards_design(&shards)?;
    // One writer of a folder at a time, as for run, compare and sweep: two
    // merges into one --out (or a merge into a folder a sweep writes) wrote
    // runs.csv over each other.
    refuse_a_file(&args.out)?;
    let _lock = output::lock_folder(&args.out)?;
    claim_merge_folder(&args.out, &args.folders, &text)?;
    let tables: Vec<(PathBuf, Table)> = shards.into_iter().map(|s| (s.runs_csv, s.table)).collect();
    let merged = merge_tables(&tables).map_err(|e| anyhow!(e))?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&merged.header)?;
    for row in &merged.rows {
        out.write_record(row)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| anyhow!("cannot write runs.csv: {e}"))?;
    // The record names what the merge writes, with its SHA-256, so that a
    // later merge into the folder can tell a runs.csv someone edited.
    // runs.xlsx as a sweep writes it (its `runs` sheet), for an Excel that
    // reads CSV with a semicolon and a decimal comma.
    let rows: Vec<Row> = merged
        .rows
        .iter()
        .map(|row| {
            Row(merged
                .header
                .iter()
                .cloned()
                .zip(row.iter().cloned())
                .collect())
        })
        .collect();
    let mut sheets: Vec<(&str, &[Row])> = vec![("runs", &rows)];
    if let Some(design) = &design {
        sheets.push(("design", design));
    }
    let workbook = super::xlsx::said_workbook("runs.xlsx", &sheets)?;
    let files = [
        ("experiment.toml", text.as_bytes()),
        ("runs.csv", &bytes[..]),
        ("runs.xlsx", &workbook[..]),
    ];
    write_atomically(
        &args.out.join(MERGE_RECORD),
        merge_record(&args.folders, &missing, &files).as_bytes(),
    )?;
    for (name, bytes) in &files {
        write_atomically(&args.out.join(name), bytes)?;
    }
    println!(
        "merged {} from {} folders into {} (for Excel: runs.xlsx)",
        super::runs_counted(merged.rows.len()),
        args.folders.len(),
        args.out.join("runs.csv").display()
    );
    Ok(())
}

/// The shards' design.csv (one row per point of the whole experiment, the
/// same in every shard) as runs.xlsx's `design` sheet, as a sweep's workbook
/// has it; `None` when no shard has one. Two shards with different design.csv
/// files are refused: one of them was edited, and which is right cannot be told.
fn shards_design(shards: &[ShardFolder]) -> Result<Option<Vec<Row>>, Failure> {
    let mut first: Option<(PathBuf, Vec<u8>)> = None;
    for shard in shards {
        let path = shard.folder.join("design.csv");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        match &first {
            None => first = Some((path, bytes)),
            Some((first_path, first_bytes)) if *first_bytes != bytes => {
                return Err(super::usage(format!(
                    "{} and {} differ, though every shard of one experiment writes the same design.csv\n  \
                     fix: run the shard whose design.csv was changed again (`carenet sweep --shard I/N` writes it anew), \
                     or restore that file",
                    first_path.display(),
                    path.display()
                )));
            }
            Some(_) => {}
        }
    }
    first
        .map(|(path, bytes)| super::xlsx::rows_of_csv(&path.display().to_string(), &bytes))
        .transpose()
}

/// The file that marks a folder as written by `carenet merge`.
const MERGE_RECORD: &str = "merge.json";

/// A sweep's folder whose sweep has not finished: stopped (a cluster job's
/// time limit, Ctrl-C) or still running, so it has its runs so far and no
/// experiment.json or runs.csv yet. QA 37: merge called it "not a finished
/// sweep folder" and said to "give the folders `carenet sweep` wrote", which
/// it was; the way on is to run its sweep again, which keeps its runs.
fn unfinished_shard(folder: &Path) -> Failure {
    let done = std::fs::read_dir(folder.join("runs")).map_or(0, |runs| {
        runs.flatten()
            .filter(|run| run.path().join("manifest.json").is_file())
            .count()
    });
    let folder = folder.display();
    super::usage(format!(
        "{folder} is a sweep that has not finished: {done} run{} done, and no runs.csv yet \
         (it was stopped, or is still running)\n  \
         fix: run its `carenet sweep` again with the same experiment file, --shard and --set \
         options and --out {folder}: it keeps the finished runs and runs the rest; then merge. \
         Or leave {folder} out and pass --allow-partial to merge the others",
        if done == 1 { "" } else { "s" }
    ))
}

/// One shard's folder as `carenet merge` reads it.
struct ShardFolder {
    folder: PathBuf,
    experiment: String,
    shard: Shard,
    points: usize,
    replicates: u32,
    runs_csv: PathBuf,
    table: Table,
}

impl ShardFolder {
    fn read(folder: &Path) -> Result<ShardFolder, Failure> {
        let not_a_shard = |what: &str| {
            super::usage(format!(
                "{} is not a finished sweep folder ({what})\n  fix: give the folders `carenet sweep` wrote",
                folder.display()
            ))
        };
        let experiment = std::fs::read_to_string(folder.join("experiment.toml"))
            .map_err(|_| not_a_shard("no experiment.toml"))?;
        if !folder.join("experiment.json").exists() && folder.join("runs").is_dir() {
            return Err(unfinished_shard(folder));
        }
        let record: serde_json::Value = std::fs::read_to_string(folder.join("experiment.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .ok_or_else(|| not_a_shard("no readable experiment.json"))?;
        let facts = &record["facts"];
        let shard = facts["shard"]
            .as_str()
            .and_then(|s| Shard::parse(s).ok())
            .ok_or_else(|| not_a_shard("experiment.json names no shard"))?;
        let points = facts["points"]
            .as_u64()
            .ok_or_else(|| not_a_shard("experiment.json has no points"))?;
        let replicates = facts["replicates"]
            .as_u64()
            .and_then(|r| u32::try_from(r).ok())
            .ok_or_else(|| not_a_shard("experiment.json has no replicates"))?;
        let runs_csv = folder.join("runs.csv");
        let table = Table::read(&runs_csv).map_err(|e| anyhow!(e))?;
        Ok(ShardFolder {
            folder: folder.to_path_buf(),
            experiment,
            shard,
            points: points as usize,
            replicates,
            runs_csv,
            table,
        })
    }

    /// The (point, replicate) pairs this shard should hold, as runs.csv spells them.
    fn expected_runs(&self) -> Vec<(String, String)> {
        let replicates = self.replicates as usize;
        (0..self.points * replicates)
            .filter(|position| self.shard.takes(*position))
            .map(|position| {
                (
                    (position / replicates).to_string(),
                    (position % replicates + 1).to_string(),
                )
            })
            .collect()
    }
}

/// The experiment file shared by every shard, or an error naming two that differ.
fn same_experiment(shards: &[ShardFolder]) -> Result<String, Failure> {
    let first = &shards[0];
    for other in &shards[1..] {
        if other.experiment != first.experiment {
            return Err(super::usage(format!(
                "{} and {} hold different experiments (their experiment.toml differ)\n  \
                 fix: merge only the shards of one experiment, run with the same experiment \
                 file and --shard I/N",
                first.folder.display(),
                other.folder.display()
            )));
        }
        if other.shard.count != first.shard.count {
            return Err(super::usage(format!(
                "{} is shard {}/{} but {} is shard {}/{}: shards of different splits cannot be merged\n  \
                 fix: merge the shards of one split (the same N in --shard I/N)",
                first.folder.display(),
                first.shard.index,
                first.shard.count,
                other.folder.display(),
                other.shard.index,
                other.shard.count
            )));
        }
    }
    Ok(first.experiment.clone())
}

/// What the shards lack to be the whole experiment: shards not given, and runs
/// missing from the shards given. A shard given twice is refused.
fn missing_runs(shards: &[ShardFolder]) -> Result<Vec<String>, Failure> {
    let count = shards[0].shard.count;
    let mut missing = Vec::new();
    for index in 0..count {
        let given: Vec<&ShardFolder> = shards.iter().filter(|s| s.shard.index == index).collect();
        match given.as_slice() {
            [] => missing.push(format!("shard {index}/{count} (not given)")),
            [one] => missing.extend(missing_in_shard(one)),
            [first, second, ..] => {
                return Err(super::usage(format!(
                    "{} and {} are both shard {index}/{count}: a shard is given twice; give each shard once",
                    first.folder.display(),
                    second.folder.display()
                )));
            }
        }
    }
    Ok(missing)
}

/// The runs a shard's runs.csv lacks.
fn missing_in_shard(shard: &ShardFolder) -> Vec<String> {
    let have: std::collections::HashSet<(String, String)> = shard
        .table
        .rows
        .iter()
        .map(|row| (row[0].clone(), row.get(1).cloned().unwrap_or_default()))
        .collect();
    shard
        .expected_runs()
        .into_iter()
        .filter(|run| !have.contains(run))
        .map(|(point, replicate)| {
            format!(
                "point {point} replicate {replicate} (not in {})",
                shard.runs_csv.display()
            )
        })
        .collect()
}

/// A path with symbolic links and `..` resolved, also when it does not exist
/// yet (a new --out folder): its nearest existing ancestor resolved, with the
/// rest of the path after it, so that a new folder inside an input is seen to
/// be inside it.
fn resolved_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Checks that `out` may take the merged files: not one of the inputs nor inside
/// one, and new, empty (but for the shard folders being merged), or an earlier
/// merge of the same experiment.
fn claim_merge_folder(out: &Path, inputs: &[PathBuf], experiment: &str) -> Result<(), Failure> {
    let resolved = |p: &Path| resolved_path(p);
    let out_resolved = resolved(out);
    if let Some(input) = inputs
        .iter()
        .find(|i| out_resolved.starts_with(resolved(i)))
    {
        return Err(super::usage(format!(
            "--out {} is the shard folder {} or inside it; merging never writes into an input\n  \
             fix: choose a new folder for the merged runs.csv",
            out.display(),
            input.display()
        )));
    }
    if !out.exists() {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        return Ok(());
    }
    let earlier_merge = out.join(MERGE_RECORD).is_file()
        && std::fs::read_to_string(out.join("experiment.toml")).is_ok_and(|t| t == experiment);
    // The shards' own parent folder is the documented destination
    // (scripts/slurm/sweep.sbatch: `merge results/shard-* --out results`): the
    // shard folders being merged may stand in it, and nothing else foreign.
    let entries = entries_besides_inputs(out, inputs)?;
    let only_merged = entries.iter().all(|name| {
        [MERGE_RECORD, "experiment.toml", "runs.csv", "runs.xlsx"].contains(&name.as_str())
    });
    if entries.is_empty() {
        return Ok(());
    }
    if earlier_merge && only_merged {
        let Some(why) = earlier_merge_kept_back(out, &entries) else {
            return Ok(());
        };
        return Err(Failure {
            code: super::EXIT_FAILED,
            error: anyhow!(
                "{}: {why}; a merge writes runs.csv and runs.xlsx anew\n  fix: move your copy out of the folder (or rename it) and merge again, or merge into a new folder",
                out.display(),
            ),
        });
    }
    // Exit code 4, as every command whose output folder holds files carenet
    // did not write (docs40: merge said 2, a wrong command line).
    let shown = first_names(entries);
    Err(super::files_in_the_way(format!(
        "--out {} holds files that are not an earlier merge of this experiment ({shown}); merging never writes over them\n  \
         fix: choose a new or empty folder, or move those files out of it",
        out.display()
    )))
}

/// The names in `out` but the shard folders being merged and dead locks.
fn entries_besides_inputs(out: &Path, inputs: &[PathBuf]) -> Result<Vec<String>, Failure> {
    let resolved = |p: &Path| resolved_path(p);
    let inputs_resolved: Vec<PathBuf> = inputs.iter().map(|i| resolved(i)).collect();
    Ok(std::fs::read_dir(out)
        .with_context(|| format!("cannot read {}", out.display()))?
        .filter_map(Result::ok)
        .filter(|e| !inputs_resolved.contains(&resolved(&e.path())))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // A shard's lock left by a task killed outright (Slurm's OOM kill)
        // is no one's file.
        .filter(|name| !output::is_dead_lock(out, name))
        .collect())
}

/// Why an earlier merge's files in `out` may not be written over, or None
/// if they are as it wrote them.
fn earlier_merge_kept_back(out: &Path, entries: &[String]) -> Option<String> {
    // A merge from before the record named its files has nothing to check
    // them against: like an edited runs.csv, it is kept.
    let listed =
        std::fs::read_to_string(out.join(MERGE_RECORD)).is_ok_and(|t| t.contains("\"files\""));
    if !listed {
        return Some(format!(
            "its {MERGE_RECORD}, from an earlier carenet, does not say what it wrote, so an edit of runs.csv cannot be told"
        ));
    }
    match output::check_listed_files_unchanged(out, MERGE_RECORD) {
        // A merge from before merges wrote runs.xlsx did not write the
        // one there: it is someone's.
        Ok(()) if entries.iter().any(|e| e == "runs.xlsx") && !merge_lists(out, "runs.xlsx") => {
            Some(format!(
                "runs.xlsx is not among the files its {MERGE_RECORD} lists (the earlier merge wrote none), so it is someone's"
            ))
        }
        Ok(()) => None,
        Err(why) => Some(why),
    }
}

/// Whether the folder's merge.json lists `name` among the files it wrote.
fn merge_lists(out: &Path, name: &str) -> bool {
    std::fs::read_to_string(out.join(MERGE_RECORD))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|record| {
            record["files"]
                .as_array()
                .map(|files| files.iter().any(|f| f["name"] == name))
        })
        .unwrap_or(false)
}

/// merge.json: which folders were merged and what was missing.
fn merge_record(folders: &[PathBuf], missing: &[String], files: &[(&str, &[u8])]) -> String {
    let files: Vec<output::OutputFile> = files
        .iter()
        .map(|(name, bytes)| output::OutputFile {
            name: (*name).to_string(),
            bytes: bytes.len() as u64,
            sha256: output::sha256_hex(bytes),
        })
        .collect();
    let record = serde_json::json!({
        "carenet_version": env!("CARGO_PKG_VERSION"),
        "merged_at": output::timestamp_now(),
        "shard_folders": folders.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
        "missing": missing,
        "files": files,
    });
    format!("{record:#}\n")
}
