//! `carenet bench`: the scale ladder. Each size is built and simulated in a child
//! process of this same binary, so the peak memory reported for a size is that
//! process's own high-water mark (VmHWM), not the largest size run so far; the
//! parent collects the children's measurements into a table and `bench.csv`.
//!
//! `carenet bench --consistency` checks instead that per-capita outcomes agree
//! across sizes (see `carenet::experiment::scale`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, anyhow};
use carenet::World;
use carenet::engine::simulate;
use carenet::experiment::replicates;
use carenet::experiment::scale::{
    MetricCheck, check_consistency, consistency_scenario, ladder_scenario, parse_size, size_label,
    summary_of,
};
use carenet::output::{Row, table_bytes};
use carenet::scenario::limits::{available_memory_bytes, proc_kilobytes_field};
use clap::Args;
use serde::{Deserialize, Serialize};

use super::Failure;
use super::progress::Progress;
use super::run::thousands;

/// Sizes of the ladder when none are given: a few minutes on two cores.
const DEFAULT_SIZES: [u64; 3] = [10_000, 100_000, 1_000_000];
/// Sizes of the consistency check when none are given.
const DEFAULT_CONSISTENCY_SIZES: [u64; 2] = [100_000, 1_000_000];
/// Rough peak memory per adult of a run (world, engine and formation's
/// temporary lists; 16.3 GB for 15 million adults), to warn before a size that
/// may not fit.
const PEAK_BYTES_PER_ADULT_ESTIMATE: f64 = 1_100.0;
/// Sizes from which the simulation cost per resident-week should stay constant
/// (the target: within a factor 1.5 from 100,000 adults up).
const SCALING_FROM_ADULTS: u64 = 100_000;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Sizes in adults, comma-separated: 10k, 100k, 1m, 1.5m, 15m or plain numbers
    /// (default 10k,100k,1m; with --consistency 100k,1m). 15m needs about 13 GB.
    #[arg(long, value_delimiter = ',', value_parser = parse_size)]
    sizes: Vec<u64>,
    /// Weeks simulated per size, without burn-in (the ladder times set-up plus
    /// these weeks). With --consistency: the reported weeks, after the
    /// scenario's 52 weeks of burn-in.
    #[arg(long, default_value_t = 52, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    weeks: u32,
    /// Worker threads per run (default: all cores). A list such as 1,2 runs every
    /// size with each count and prints the speed-up over the first.
    #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Vec<u32>,
    /// Folder for bench.csv (and consistency.csv). A table there is replaced
    /// only if an earlier bench wrote it and it is unchanged (bench.json
    /// records what bench wrote).
    #[arg(long, default_value = "results/bench")]
    out: PathBuf,
    /// Replace bench.csv (consistency.csv) in --out even if carenet bench did
    /// not write it or it was changed.
    #[arg(long)]
    force: bool,
    /// Instead of timing: run the first size --replicates times (each with its
    /// own layout and seed) and each later size once, and check that every
    /// per-capita metric of the later sizes lies in the first size's 95%
    /// prediction interval; writes consistency.csv; exit code 1 if one differs.
    #[arg(long)]
    consistency: bool,
    /// Replicates of the reference size for --consistency.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=1000))]
    replicates: u32,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
}

/// The hidden command a ladder child runs: one size, measured.
#[derive(Debug, Args)]
pub struct ChildArgs {
    #[arg(long)]
    adults: u64,
    #[arg(long)]
    weeks: u32,
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long, default_value_t = 1)]
    layout_seed: u64,
}

/// What a child measured, sent to the parent as one JSON line.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Measurement {
    adults: u64,
    neighbourhoods: usize,
    threads: usize,
    weeks: u32,
    residents: usize,
    outside_alters: usize,
    ties_at_start: usize,
    ties_at_end: usize,
    setup_seconds: f64,
    simulate_seconds: f64,
    /// The process's peak resident memory after set-up and at the end (VmHWM);
    /// `None` where /proc is not available.
    peak_bytes_setup: Option<u64>,
    peak_bytes: Option<u64>,
    /// The graph's bytes per tie direction from its array sizes.
    graph_bytes_per_direction: f64,
}

impl Measurement {
    fn resident_weeks(&self) -> f64 {
        self.residents as f64 * f64::from(self.weeks)
    }

    fn resident_weeks_per_second(&self) -> f64 {
        self.resident_weeks() / self.simulate_seconds.max(1e-9)
    }

    fn nanoseconds_per_resident_week(&self) -> f64 {
        1e9 * self.simulate_seconds / self.resident_weeks().max(1.0)
    }

    fn setup_microseconds_per_adult(&self) -> f64 {
        1e6 * self.setup_seconds / self.adults.max(1) as f64
    }

    fn per(&self, count: usize) -> Option<f64> {
        self.peak_bytes
            .filter(|_| count > 0)
            .map(|b| b as f64 / count as f64)
    }
}

/// A `VmHWM` or `VmRSS` line of /proc/self/status, in bytes.
fn proc_status_bytes(field: &str) -> Option<u64> {
    proc_kilobytes_field("/proc/self/status", field)
}

fn peak_resident_bytes() -> Option<u64> {
    proc_status_bytes("VmHWM:")
}

/// The one-minute load average, to record how busy the machine was.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// `carenet bench-child`: builds and runs one rung and prints its measurement.
pub fn child(args: ChildArgs) -> Result<(), Failure> {
    super::set_threads(args.threads)?;
    let mut scenario = ladder_scenario(args.adults, args.layout_seed)?;
    scenario.weeks = args.weeks;
    scenario.burn_in_weeks = 0;
    let clock = Instant::now();
    let world = World::build(&scenario);
    let setup_seconds = clock.elapsed().as_secs_f64();
    // Formation's temporary lists make set-up's own peak; read it before the
    // engine adds its state.
    let peak_bytes_setup = peak_resident_bytes();
    let ties_at_start = world.network.ties.len();
    let clock = Instant::now();
    let (_record, engine) = simulate(world, &mut |_| {});
    let simulate_seconds = clock.elapsed().as_secs_f64();
    let world = engine.world();
    let residents = world.people.area_residents();
    let measurement = Measurement {
        adults: args.adults,
        neighbourhoods: scenario.neighbourhoods.len(),
        threads: rayon::current_num_threads(),
        weeks: args.weeks,
        residents,
        outside_alters: world.people.len() - residents,
        ties_at_start,
        ties_at_end: world.network.ties.len(),
        setup_seconds,
        simulate_seconds,
        peak_bytes_setup,
        peak_bytes: peak_resident_bytes(),
        graph_bytes_per_direction: world.network.bytes_per_direction(),
    };
    let line = serde_json::to_string(&measurement).context("cannot write the measurement")?;
    println!("{line}");
    Ok(())
}

pub fn bench(args: BenchArgs) -> Result<(), Failure> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    if args.consistency {
        let table = OwnTable::claim(&args.out, "consistency.csv", args.force)?;
        return consistency(&args, table);
    }
    let mut table = OwnTable::claim(&args.out, "bench.csv", args.force)?;
    let sizes = if args.sizes.is_empty() {
        DEFAULT_SIZES.to_vec()
    } else {
        args.sizes.clone()
    };
    warn_about_memory(&sizes);
    let thread_counts: Vec<Option<usize>> = if args.threads.is_empty() {
        vec![None]
    } else {
        args.threads.iter().map(|t| Some(*t as usize)).collect()
    };
    for threads in thread_counts.iter().flatten() {
        super::check_threads(*threads)?;
    }
    println!(
        "scale ladder: {} weeks per size after building it, each size in its own process; load average {}",
        args.weeks,
        load_average().map_or_else(|| "n/a".into(), |l| format!("{l:.2}"))
    );
    print_header();
    let mut measured: Vec<(Measurement, Option<f64>)> = Vec::new();
    for threads in &thread_counts {
        for adults in &sizes {
            let load = load_average();
            let measurement = run_child(*adults, args.weeks, *threads)?;
            print_row(&measurement);
            measured.push((measurement, load));
            let rows: Vec<Row> = measured.iter().map(|(m, l)| csv_row(m, *l)).collect();
            // Rewritten after every size, so a long ladder that is stopped keeps
            // the sizes it finished.
            table.write(&table_bytes(&rows)?)?;
        }
    }
    print_scaling(&measured);
    println!("bench.csv: {}", args.out.join("bench.csv").display());
    Ok(())
}

/// bench's record of the tables it wrote in its folder, with their sizes and
/// SHA-256: what a later bench may replace.
const BENCH_RECORD: &str = "bench.json";

/// A table bench writes in its --out folder, and may write again and again
/// (bench.csv after every size): it replaces only a table an earlier bench
/// wrote and nobody changed since, or any with --force, and never one that
/// changed while this bench ran.
struct OwnTable {
    dir: PathBuf,
    name: &'static str,
    /// The SHA-256 of what this bench last wrote.
    written: Option<String>,
}

impl OwnTable {
    /// Checks, before anything is measured, that `name` in `dir` may be
    /// written: absent, an earlier bench's unchanged table (said), or `force`.
    fn claim(dir: &Path, name: &'static str, force: bool) -> Result<OwnTable, Failure> {
        let path = dir.join(name);
        let table = OwnTable {
            dir: dir.to_path_buf(),
            name,
            written: None,
        };
        if force || !path.exists() {
            return Ok(table);
        }
        // What bench.json says bench last wrote there, if it names the table.
        let recorded = std::fs::read_to_string(dir.join(BENCH_RECORD))
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|record| {
                record.get("files")?.as_array()?.iter().find_map(|f| {
                    (f.get("name")? == name).then(|| f.get("sha256")?.as_str().map(String::from))?
                })
            });
        let now = std::fs::read(&path)
            .map(|b| carenet::output::sha256_hex(&b))
            .ok();
        let why = match recorded {
            Some(sha) if now.as_ref() == Some(&sha) => {
                println!(
                    "replacing the {name} of an earlier bench in {}",
                    dir.display()
                );
                return Ok(table);
            }
            Some(_) => format!(
                "changed since carenet bench wrote it (its SHA-256 differs from {BENCH_RECORD})"
            ),
            None => "not written by carenet bench".to_string(),
        };
        Err(Failure {
            code: super::EXIT_FAILED,
            error: anyhow::anyhow!(
                "{}: {why}; kept\n  fix: move it out of the folder or rename it, choose another --out folder, or add --force to replace it",
                path.display(),
            ),
        })
    }

    /// Writes the table (again), and records it; refused if the file is no
    /// longer what this bench wrote last (someone changed it meanwhile).
    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        let path = self.dir.join(self.name);
        if let Some(sha) = &self.written {
            let now = std::fs::read(&path).map(|b| carenet::output::sha256_hex(&b));
            if now.as_ref().ok() != Some(sha) {
                return Err(Failure {
                    code: super::EXIT_FAILED,
                    error: anyhow::anyhow!(
                        "{} changed while bench ran: kept; the sizes measured so far are printed above\n  fix: bench again with another --out folder",
                        path.display()
                    ),
                });
            }
        }
        super::sweep::write_table_recorded_in(&self.dir, BENCH_RECORD, self.name, bytes)?;
        self.written = Some(carenet::output::sha256_hex(bytes));
        Ok(())
    }
}

fn warn_about_memory(sizes: &[u64]) {
    let Some(largest) = sizes.iter().max() else {
        return;
    };
    let needed = *largest as f64 * PEAK_BYTES_PER_ADULT_ESTIMATE;
    if let Some(available) = available_memory_bytes()
        && needed > 0.8 * available as f64
    {
        eprintln!(
            "warning: {} adults need about {:.1} GB at their peak and {:.1} GB are available",
            largest,
            needed / 1e9,
            available as f64 / 1e9
        );
    }
}

/// Runs one size in a child process and reads its measurement.
fn run_child(adults: u64, weeks: u32, threads: Option<usize>) -> Result<Measurement, Failure> {
    let exe = std::env::current_exe().context("cannot find the carenet binary to run a size")?;
    let mut command = Command::new(exe);
    command
        .arg("bench-child")
        .arg("--adults")
        .arg(adults.to_string())
        .arg("--weeks")
        .arg(weeks.to_string());
    if let Some(threads) = threads {
        command.arg("--threads").arg(threads.to_string());
    }
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .context("cannot start the process for a size")?;
    if !output.status.success() {
        return Err(anyhow!(
            "the run of {} adults failed ({}); a killed process usually means it ran out of memory",
            size_label(adults),
            output.status
        )
        .into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .last()
        .ok_or_else(|| anyhow!("the run of {} adults printed nothing", size_label(adults)))?;
    Ok(serde_json::from_str(line).with_context(|| {
        format!(
            "cannot read the measurement of {} adults",
            size_label(adults)
        )
    })?)
}

const HEADER: [(&str, usize); 11] = [
    ("adults", 7),
    ("threads", 7),
    ("persons", 11),
    ("ties", 12),
    ("set-up s", 9),
    ("µs/adult", 8),
    ("sim s", 8),
    ("res-weeks/s", 11),
    ("peak MB", 9),
    ("B/resident", 10),
    ("B/tie", 6),
];

fn print_header() {
    let cells: Vec<String> = HEADER
        .iter()
        .map(|(name, width)| format!("{name:>width$}"))
        .collect();
    println!("{}", cells.join("  "));
}

fn print_row(m: &Measurement) {
    let optional = |v: Option<f64>, digits: usize| {
        v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.digits$}"))
    };
    let cells = [
        size_label(m.adults),
        m.threads.to_string(),
        thousands((m.residents + m.outside_alters) as f64),
        thousands(m.ties_at_start as f64),
        format!("{:.2}", m.setup_seconds),
        format!("{:.2}", m.setup_microseconds_per_adult()),
        format!("{:.2}", m.simulate_seconds),
        format!("{:.2} M", m.resident_weeks_per_second() / 1e6),
        optional(m.peak_bytes.map(|b| b as f64 / 1e6), 0),
        optional(m.per(m.residents), 0),
        optional(m.per(m.ties_at_end), 0),
    ];
    let cells: Vec<String> = cells
        .iter()
        .zip(HEADER)
        .map(|(cell, (_, width))| format!("{cell:>width$}"))
        .collect();
    println!("{}", cells.join("  "));
}

fn csv_row(m: &Measurement, load: Option<f64>) -> Row {
    let optional = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.1}"));
    let cells: Vec<(&str, String)> = vec![
        ("adults", m.adults.to_string()),
        ("neighbourhoods", m.neighbourhoods.to_string()),
        ("threads", m.threads.to_string()),
        ("weeks", m.weeks.to_string()),
        ("residents", m.residents.to_string()),
        ("outside_alters", m.outside_alters.to_string()),
        (
            "residents_and_outside_alters",
            (m.residents + m.outside_alters).to_string(),
        ),
        ("ties_at_start", m.ties_at_start.to_string()),
        ("ties_at_end", m.ties_at_end.to_string()),
        ("setup_seconds", format!("{:.3}", m.setup_seconds)),
        (
            "setup_microseconds_per_adult",
            format!("{:.3}", m.setup_microseconds_per_adult()),
        ),
        ("simulate_seconds", format!("{:.3}", m.simulate_seconds)),
        (
            "resident_weeks_per_second",
            format!("{:.0}", m.resident_weeks_per_second()),
        ),
        (
            "nanoseconds_per_resident_week",
            format!("{:.1}", m.nanoseconds_per_resident_week()),
        ),
        (
            "peak_rss_mb",
            optional(m.peak_bytes.map(|b| b as f64 / 1e6)),
        ),
        (
            "peak_rss_setup_mb",
            optional(m.peak_bytes_setup.map(|b| b as f64 / 1e6)),
        ),
        ("bytes_per_resident", optional(m.per(m.residents))),
        ("bytes_per_tie", optional(m.per(m.ties_at_end))),
        (
            "graph_bytes_per_tie_direction",
            format!("{:.2}", m.graph_bytes_per_direction),
        ),
        (
            "load_average_before",
            load.map_or_else(String::new, |l| format!("{l:.2}")),
        ),
    ];
    Row(cells.into_iter().map(|(c, v)| (c.to_string(), v)).collect())
}

/// How the cost per resident-week and per adult built changes with size, and
/// what more threads bought.
fn print_scaling(measured: &[(Measurement, Option<f64>)]) {
    let mut thread_counts: Vec<usize> = measured.iter().map(|(m, _)| m.threads).collect();
    thread_counts.dedup();
    for threads in &thread_counts {
        let rungs: Vec<&Measurement> = measured
            .iter()
            .map(|(m, _)| m)
            .filter(|m| m.threads == *threads && m.adults >= SCALING_FROM_ADULTS)
            .collect();
        if rungs.len() < 2 {
            continue;
        }
        let spread = |cost: fn(&Measurement) -> f64| {
            let costs: Vec<f64> = rungs.iter().map(|m| cost(m)).collect();
            let max = costs.iter().copied().fold(f64::MIN, f64::max);
            let min = costs.iter().copied().fold(f64::MAX, f64::min);
            max / min
        };
        println!(
            "{threads} thread(s), {} to {} adults: cost per resident-week varies by a factor {:.2}, set-up per adult by {:.2} (target: at most 1.5)",
            size_label(rungs[0].adults),
            size_label(rungs[rungs.len() - 1].adults),
            spread(Measurement::nanoseconds_per_resident_week),
            spread(Measurement::setup_microseconds_per_adult),
        );
    }
    let Some(first) = thread_counts.first() else {
        return;
    };
    for threads in thread_counts.iter().skip(1) {
        for (m, _) in measured.iter().filter(|(m, _)| m.threads == *threads) {
            if let Some((base, _)) = measured
                .iter()
                .find(|(b, _)| b.threads == *first && b.adults == m.adults)
            {
                println!(
                    "{} adults, {threads} threads against {first}: simulation {:.2}x, set-up {:.2}x, both {:.2}x as fast",
                    size_label(m.adults),
                    base.simulate_seconds / m.simulate_seconds,
                    base.setup_seconds / m.setup_seconds,
                    (base.setup_seconds + base.simulate_seconds)
                        / (m.setup_seconds + m.simulate_seconds),
                );
            }
        }
    }
}

/// `carenet bench --consistency`.
fn consistency(args: &BenchArgs, mut table: OwnTable) -> Result<(), Failure> {
    let sizes = if args.sizes.is_empty() {
        DEFAULT_CONSISTENCY_SIZES.to_vec()
    } else {
        args.sizes.clone()
    };
    let [reference_size, larger @ ..] = sizes.as_slice() else {
        unreachable!("sizes are never empty")
    };
    if larger.is_empty() {
        return Err(anyhow!(
            "--consistency needs two sizes or more: the reference first, e.g. --sizes 100k,1m"
        )
        .into());
    }
    warn_about_memory(&sizes);
    super::set_threads(args.threads.first().map(|t| *t as usize))?;
    let clock = Instant::now();
    let checked = consistency_runs(args, *reference_size, larger)?;
    println!(
        "per-capita outcomes, {} weeks after 52 of burn-in: {} replicates of {} adults (mean, 95% prediction interval of one run) against one run of each larger size ({:.0}s)",
        args.weeks,
        args.replicates,
        size_label(*reference_size),
        clock.elapsed().as_secs_f64()
    );
    let rows = print_consistency(*reference_size, &checked);
    let path = args.out.join("consistency.csv");
    table.write(&table_bytes(&rows)?)?;
    let all = checked.iter().flat_map(|(_, checks)| checks);
    let judged = all.clone().filter(|c| !c.metric.depends_on_width).count();
    let differs = all.filter(|c| c.fails()).count();
    println!(
        "{} of {judged} judged metric checks agree (the locality shares depend on the area's width and are shown, not judged); consistency.csv: {}",
        judged - differs,
        path.display()
    );
    if differs > 0 {
        return Err(super::not_reproduced(format!(
            "{differs} per-capita metric(s) differ between {} and the larger sizes",
            size_label(*reference_size)
        )));
    }
    Ok(())
}

/// The reference size's replicates (in parallel while they are small) and one
/// run of each larger size, checked against them.
fn consistency_runs(
    args: &BenchArgs,
    reference_size: u64,
    larger: &[u64],
) -> Result<Vec<(u64, Vec<MetricCheck>)>, Failure> {
    let progress = Progress::new(args.quiet);
    progress.start_bar(
        u64::from(args.replicates) + larger.len() as u64,
        "runs done",
    );
    let one = |replicate: u32, adults: u64| -> Result<Row, Failure> {
        let scenario = consistency_scenario(adults, replicate, args.weeks)?;
        let row = summary_of(&scenario);
        progress.tick();
        Ok(row)
    };
    let numbers: Vec<u32> = (1..=args.replicates).collect();
    let reference = replicates::map_runs(&numbers, reference_size, |r| one(*r, reference_size))?;
    // The larger areas take replicate numbers after the reference's, so no run
    // shares a layout or a seed with a reference replicate.
    let checked = larger
        .iter()
        .enumerate()
        .map(|(i, adults)| {
            let row = one(args.replicates + 1 + i as u32, *adults)?;
            Ok((*adults, check_consistency(&reference, &row)))
        })
        .collect::<Result<_, Failure>>()?;
    progress.finish();
    Ok(checked)
}

/// Prints each larger size's checks as a table; returns consistency.csv's rows.
fn print_consistency(reference_size: u64, checked: &[(u64, Vec<MetricCheck>)]) -> Vec<Row> {
    let number = |v: Option<f64>| v.map_or_else(|| "n/a".into(), |v| format!("{v:.4}"));
    let mut rows = Vec::new();
    for (adults, checks) in checked {
        println!(
            "{:<38} {:>10}  {:>21}  {:>10}  verdict",
            "metric",
            format!("{} mean", size_label(reference_size)),
            "interval",
            size_label(*adults)
        );
        for check in checks {
            let interval = check.interval.map_or_else(
                || "n/a".into(),
                |(low, high)| format!("[{low:.4}, {high:.4}]"),
            );
            println!(
                "{:<38} {:>10}  {:>21}  {:>10}  {}",
                check.metric.name,
                number(check.reference.map(|e| e.mean)),
                interval,
                number(check.value),
                check.label()
            );
            rows.push(consistency_row(reference_size, *adults, check));
        }
    }
    rows
}

fn consistency_row(reference_adults: u64, adults: u64, check: &MetricCheck) -> Row {
    let number = |v: Option<f64>| v.map_or_else(String::new, carenet::output::float_cell);
    let estimate = check.reference.as_ref();
    let cells: Vec<(&str, String)> = vec![
        ("metric", check.metric.name.to_string()),
        ("meaning", check.metric.meaning.to_string()),
        ("reference_adults", reference_adults.to_string()),
        ("reference_runs", estimate.map_or(0, |e| e.n).to_string()),
        ("reference_mean", number(estimate.map(|e| e.mean))),
        ("reference_sd", number(estimate.and_then(|e| e.sd))),
        ("prediction_low", number(check.interval.map(|i| i.0))),
        ("prediction_high", number(check.interval.map(|i| i.1))),
        ("adults", adults.to_string()),
        ("value", number(check.value)),
        ("verdict", check.verdict.name().to_string()),
        (
            "depends_on_width",
            check.metric.depends_on_width.to_string(),
        ),
        ("fails", check.fails().to_string()),
    ];
    Row(cells.into_iter().map(|(c, v)| (c.to_string(), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_rewrites_its_own_table_and_never_one_changed_meanwhile() {
        // QA 26 §12: bench --out wrote bench.csv over a user's file of that name.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.csv");
        let mut table = OwnTable::claim(dir.path(), "bench.csv", false).expect("nothing there");
        table.write(b"size\n1\n").unwrap();
        table.write(b"size\n1\n2\n").unwrap();
        // A later bench replaces its own unchanged table.
        let mut again = OwnTable::claim(dir.path(), "bench.csv", false).expect("its own");
        again.write(b"size\n3\n").unwrap();
        // Someone edits it while the ladder runs: the next size does not overwrite it.
        std::fs::write(&path, b"size\n3\nmy note\n").unwrap();
        let changed = again.write(b"size\n3\n4\n").expect_err("changed meanwhile");
        assert_eq!(changed.code, crate::cli::EXIT_FAILED);
        assert!(
            changed
                .error
                .to_string()
                .contains("changed while bench ran")
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"size\n3\nmy note\n");
        // And a later bench refuses the edited table, but for --force.
        let refused = OwnTable::claim(dir.path(), "bench.csv", false)
            .err()
            .expect("edited");
        assert!(
            refused.error.to_string().contains("--force"),
            "{}",
            refused.error
        );
        assert!(OwnTable::claim(dir.path(), "bench.csv", true).is_ok());
        // A table of the user's that no bench wrote is refused too.
        std::fs::write(dir.path().join("consistency.csv"), b"mine\n").unwrap();
        let mine = OwnTable::claim(dir.path(), "consistency.csv", false)
            .err()
            .expect("mine");
        assert!(
            mine.error
                .to_string()
                .contains("not written by carenet bench")
        );
    }

    #[test]
    fn a_proc_status_line_reads_as_bytes() {
        // On Linux the running test has a high-water mark of at least a megabyte.
        if Path::new("/proc/self/status").exists() {
            assert!(peak_resident_bytes().is_some_and(|b| b > 1_000_000));
        }
    }
}
