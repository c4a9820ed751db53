//! `carenet run`: run a scenario (or replicates of it) and write its outputs.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use carenet::World;
use carenet::experiment::{Run, replicate_seed, replicates};
use carenet::output::{self, Manifest, Row, RunFolder};
use carenet::output::{Contents, write_run_with_files, write_run_with_overrides};
use carenet::scenario::{self, BASELINE_TOML, Scenario};
use carenet::tally::{RunRecord, WeekTally};
use clap::Args;

use super::Failure;
use super::overrides::{self, Override};
use super::progress::Progress;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file, or the name of a built-in scenario (`carenet list`); a file
    /// of that name wins (default: scenarios/baseline.toml, or the built-in copy of it).
    scenario: Option<PathBuf>,
    /// Seed to use instead of the scenario's.
    #[arg(long, allow_negative_numbers = true, value_parser = super::parse_seed)]
    seed: Option<u64>,
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = overrides::parse, help = overrides::HELP)]
    overrides: Vec<Override>,
    /// Output folder (default: results/<scenario name>). An earlier run there is
    /// replaced only if the folder holds nothing carenet did not write.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the output folder even if it holds files carenet did not write.
    #[arg(long)]
    force: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Run this many replicates with seeds derived from the scenario's seed
    /// (replicate 1 uses the seed itself); each goes to replicate-NNN/, with
    /// summary.csv per replicate and summary_aggregate.csv (mean, sd, 95% CI),
    /// both as sheets of summary.xlsx for Excel too, and weeks.csv (every
    /// replicate's weeks); runs of more than 52 weeks add yearly.csv (every
    /// replicate's years) and yearly_aggregate.csv (each year's mean, sd and
    /// 95% CI), and their sheets.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    replicates: u32,
    /// Also write the social graph (network.graphml, network.gexf) and the realised
    /// help network of the reported weeks (help_network.graphml, .gexf).
    #[arg(long)]
    export_graph: bool,
    /// Also write residents.csv: one row per resident, with their ties, the
    /// hours they received (by source and tie kind) and gave, strain, burnouts
    /// and intakes over the reported weeks (docs/ODD.md §9.11); in a run of
    /// more than 52 weeks also residents_yearly.csv, one row per resident and
    /// year, following persons through the years (§9.11.1). With
    /// --replicates, one of each in the output folder with a replicate
    /// column.
    #[arg(long)]
    microdata: bool,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
    /// Print the seconds spent in each phase of the week (for performance work),
    /// and the run's peak memory against its estimate.
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    memory: super::MemoryCeiling,
}

impl RunArgs {
    fn contents(&self) -> Contents {
        if self.export_graph {
            Contents::FullWithGraph
        } else {
            Contents::Full
        }
    }
}

/// Reads the scenario to run and says where it came from.
fn load_scenario(file: Option<&Path>) -> Result<(Scenario, String), Failure> {
    if let Some(file) = file {
        return Ok(scenario::builtin::resolve_path(file)?);
    }
    let default = Path::new("scenarios/baseline.toml");
    if default.is_file() {
        return Ok((scenario::load_file(default)?, default.display().to_string()));
    }
    let source = "built-in scenarios/baseline.toml".to_string();
    Ok((scenario::parse_str(BASELINE_TOML, &source)?, source))
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let (scenario, source) = load_scenario(args.scenario.as_deref())?;
    let mut scenario = overrides::apply(&scenario, &args.overrides)?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    super::set_threads(args.threads)?;
    let estimate = check_memory(&args, &scenario)?;
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(&scenario.name));
    let inputs: Vec<&Path> = args.scenario.as_deref().into_iter().collect();
    let folder = super::open_output(&target, args.force, &inputs)?;
    let progress = Progress::new(args.quiet);
    if args.replicates > 1 {
        return run_replicates(&args, &scenario, &source, folder, &progress);
    }
    let started = output::timestamp_now();
    progress.start_bar(
        u64::from(scenario.burn_in_weeks + scenario.weeks),
        "weeks simulated",
    );
    let run = execute(&scenario, args.microdata, &mut |_| progress.tick());
    progress.stage("writing outputs");
    let recorded = overrides::record(&args.overrides);
    let mut files = output::table_files(&scenario, &run, args.contents())?;
    let workbook = super::xlsx::run_workbook(&files)?;
    files.push(("summary.xlsx", workbook));
    write_run_with_files(
        &folder,
        &scenario,
        (&source, &recorded),
        &run,
        args.contents(),
        started,
        &files,
    )?;
    progress.finish();
    if args.timings {
        for phase in carenet::engine::Phase::ALL {
            eprintln!(
                "{:>8.2}s  {}",
                run.engine.timings().0[phase as usize],
                phase.name()
            );
        }
        print_memory(estimate);
    }
    let replaced = super::Replaced::by(&folder);
    let written = folder.commit()?;
    print_summary(&run, &written);
    super::say_replaced(replaced, &written);
    Ok(())
}

/// Runs a scenario, keeping each resident's account when `microdata` is asked for.
fn execute(scenario: &Scenario, microdata: bool, observe: &mut dyn FnMut(&WeekTally)) -> Run {
    if microdata {
        Run::execute_with_residents(scenario, observe)
    } else {
        Run::execute(scenario, observe)
    }
}

/// The run's memory estimate against `--max-memory` or the memory available
/// ([`scenario::limits::check_memory`]); the estimate of one run, bytes.
fn check_memory(args: &RunArgs, scenario: &Scenario) -> Result<u64, Failure> {
    let at_once = replicates::at_once(scenario.area_adults(), u64::from(args.replicates));
    scenario::limits::check_memory(
        scenario,
        at_once,
        args.microdata,
        args.memory.max_memory,
        super::MEMORY_KNOBS,
    )
    .map_err(|message| anyhow::anyhow!(message).into())
}

/// The process's peak memory (VmHWM) against the estimate, on standard error.
fn print_memory(estimate: u64) {
    if let Some(peak) = scenario::limits::proc_kilobytes_field("/proc/self/status", "VmHWM:") {
        eprintln!("peak memory {peak} bytes, estimated {estimate} bytes");
    }
}

/// Runs the replicates (in parallel for areas small enough), each into its own
/// finished folder inside the output folder, then the per-replicate and aggregate
/// summaries.
fn run_replicates(
    args: &RunArgs,
    scenario: &Scenario,
    source: &str,
    folder: RunFolder,
    progress: &Progress,
) -> Result<(), Failure> {
    let started = output::timestamp_now();
    let clock = Instant::now();
    progress.start_bar(u64::from(args.replicates), "replicates done");
    let runs = replicates::map_replicates(&[scenario], args.replicates, |_, r, replicate| {
        let row = run_one_replicate(args, replicate, r, source, &folder)?;
        progress.tick();
        Ok::<_, Failure>(row)
    })?;
    progress.stage("writing summaries");
    if args.microdata {
        let years = output::is_multi_year(scenario.weeks as usize);
        join_residents_parts(&folder, args.replicates, years)?;
    }
    let (rows, weeks, years) = joined_replicates(runs);
    output::write_table(&folder, "summary.csv", &rows[0], &rows)?;
    folder.write_bytes(WEEKS_CSV, &weeks)?;
    let aggregate = output::aggregate_rows(&rows);
    output::write_table(&folder, "summary_aggregate.csv", &aggregate[0], &aggregate)?;
    let yearly = yearly_aggregate(&years);
    if !years.is_empty() {
        folder.write_bytes(output::YEARLY_CSV, &output::table_bytes(&years)?)?;
        folder.write_bytes(YEARLY_AGGREGATE_CSV, &output::table_bytes(&yearly)?)?;
    }
    super::xlsx::write_workbook(
        &folder,
        "summary.xlsx",
        &[
            ("summary_aggregate", &aggregate),
            ("summary", &rows),
            ("yearly_aggregate", &yearly),
            ("yearly", &years),
        ],
    )?;
    let resolved = toml::to_string(scenario).context("cannot serialise the scenario")?;
    folder.write_bytes("scenario.toml", resolved.as_bytes())?;
    let mut facts = serde_json::Map::new();
    facts.insert("replicates".into(), args.replicates.into());
    facts.insert(
        "replicate_seeds".into(),
        output::seeds_json((1..=args.replicates).map(|r| replicate_seed(scenario.seed, r))),
    );
    let mut manifest = Manifest::new(
        &scenario.name,
        &resolved,
        source,
        scenario.seed,
        started,
        clock.elapsed().as_secs_f64(),
        facts,
    );
    manifest.overrides = overrides::record(&args.overrides);
    manifest.record_files(&folder)?;
    manifest.write(&folder)?;
    progress.finish();
    let replaced = super::Replaced::by(&folder);
    let written = folder.commit()?;
    super::say_replaced(replaced, &written);
    print_aggregate(
        scenario,
        args.replicates,
        &aggregate,
        clock.elapsed().as_secs_f64(),
        &written,
    );
    Ok(())
}

/// The replicates' years side by side: a projection needs each year's mean
/// and interval over the replicates, not one replicate's year (QA 35: only
/// `compare` wrote them; `run --replicates` left a yearly.csv per replicate).
const YEARLY_AGGREGATE_CSV: &str = "yearly_aggregate.csv";

/// Every week of every replicate in one long table, as `compare` and `sweep`
/// write it: a plot of the replicates' weeks needed a loop over the
/// replicate-NNN/ folders (QA 35).
const WEEKS_CSV: &str = "weeks.csv";

/// What one replicate gives the folder's tables: its summary row, its weeks
/// (as weeks.csv's bytes with a header: kept as text, since a projection's
/// hundreds of replicates of 780 weeks would take gigabytes as rows), and its
/// years (yearly.csv's rows, none in a run of a year), each row led by
/// `replicate`.
struct ReplicateRows {
    summary: Row,
    weeks: Vec<u8>,
    years: Vec<Row>,
}

/// The replicates' summary rows, their weeks.csv (one header, then every
/// replicate's rows) and their yearly rows, in replicate order.
fn joined_replicates(runs: Vec<ReplicateRows>) -> (Vec<Row>, Vec<u8>, Vec<Row>) {
    let mut rows = Vec::with_capacity(runs.len());
    let (mut weeks, mut years) = (Vec::new(), Vec::new());
    for (i, run) in runs.into_iter().enumerate() {
        rows.push(run.summary);
        let body = match i {
            0 => &run.weeks[..],
            _ => run
                .weeks
                .splitn(2, |b| *b == b'\n')
                .nth(1)
                .unwrap_or_default(),
        };
        weeks.extend_from_slice(body);
        years.extend(run.years);
    }
    (rows, weeks, years)
}

/// yearly_aggregate.csv's rows: per year, every column of the replicates'
/// yearly.csv over them (n, mean, sd, 95% interval); none for runs of a year.
fn yearly_aggregate(years: &[Row]) -> Vec<Row> {
    let rows: Vec<&Row> = years.iter().collect();
    output::aggregate_by_year(&rows, &["replicate", "year"])
}

/// Runs replicate `r` into its own finished folder `replicate-RRR/` inside
/// `folder` (and, with --microdata, its parts of residents.csv and
/// residents_yearly.csv); its rows of the folder's tables.
fn run_one_replicate(
    args: &RunArgs,
    replicate: &Scenario,
    r: u32,
    source: &str,
    folder: &RunFolder,
) -> Result<ReplicateRows, Failure> {
    let mut run = execute(replicate, args.microdata, &mut |_| {});
    if let Some(accounts) = run.residents.take() {
        let name = residents_part(r, RESIDENTS);
        let cannot = || format!("cannot write {}", folder.shown(&name).display());
        let part = accounts
            .write_csv(&run.engine, Some(r), false, folder.create_file(&name)?)
            .with_context(cannot)?;
        part.into_inner()
            .map_err(|e| e.into_error())
            .with_context(cannot)?;
        if let Some(years) = &accounts.years {
            let name = residents_part(r, output::RESIDENTS_YEARLY_CSV);
            let cannot = || format!("cannot write {}", folder.shown(&name).display());
            let part = years
                .write_csv(
                    &run.engine,
                    &accounts.accounts,
                    Some(r),
                    false,
                    folder.create_file(&name)?,
                )
                .with_context(cannot)?;
            part.into_inner()
                .map_err(|e| e.into_error())
                .with_context(cannot)?;
        }
    }
    let sub = folder.create_inside(&format!("replicate-{r:03}"))?;
    write_run_with_overrides(
        &sub,
        replicate,
        (source, &overrides::record(&args.overrides)),
        &run,
        args.contents(),
        output::timestamp_now(),
    )?;
    sub.commit()?;
    let residents = run.world().people.area_residents();
    let summary = output::summary_row(replicate, residents, &run.record).with_first("replicate", r);
    Ok(ReplicateRows {
        summary,
        weeks: output::table_bytes(&replicate_weeks(replicate, &run.record, r))?,
        years: replicate_years(replicate, &run.record, r),
    })
}

/// Replicate `r`'s timeseries.csv rows, led by `replicate` and `seed`.
fn replicate_weeks(replicate: &Scenario, record: &RunRecord, r: u32) -> Vec<Row> {
    record
        .weeks
        .iter()
        .map(|week| {
            output::timeseries_row(week)
                .with_first("seed", replicate.seed)
                .with_first("replicate", r)
        })
        .collect()
}

/// Replicate `r`'s yearly.csv rows, led by `replicate`; none in a run of a
/// year or less.
fn replicate_years(replicate: &Scenario, record: &RunRecord, r: u32) -> Vec<Row> {
    if !output::is_multi_year(record.weeks.len()) {
        return Vec::new();
    }
    output::yearly_rows(
        replicate,
        &record.years,
        &record.year_figures,
        &record.weeks,
    )
    .into_iter()
    .map(|row| row.with_first("replicate", r))
    .collect()
}

/// residents.csv, the file of the window's accounts.
const RESIDENTS: &str = "residents.csv";

/// The staging file of replicate `r`'s rows of `file` (residents.csv or
/// residents_yearly.csv).
fn residents_part(r: u32, file: &str) -> String {
    format!(".{}-{r:03}.part", file.trim_end_matches(".csv"))
}

/// residents.csv (and residents_yearly.csv, in a run of several years) of a
/// replicate run: the header, then each replicate's rows (led by its number)
/// in replicate order; the parts are removed.
fn join_residents_parts(folder: &RunFolder, replicates: u32, years: bool) -> Result<(), Failure> {
    join_parts(folder, replicates, RESIDENTS, output::resident_columns())?;
    if years {
        let file = output::RESIDENTS_YEARLY_CSV;
        join_parts(folder, replicates, file, output::residents_yearly_columns())?;
    }
    Ok(())
}

/// `file` from the replicates' parts, under a header of `replicate` and `columns`.
fn join_parts(
    folder: &RunFolder,
    replicates: u32,
    file: &str,
    columns: Vec<String>,
) -> Result<(), Failure> {
    let cannot_write = || format!("cannot write {}", folder.shown(file).display());
    let mut out = folder.create_file(file)?;
    let header = std::iter::once("replicate".to_string()).chain(columns);
    writeln!(out, "{}", header.collect::<Vec<_>>().join(",")).with_context(cannot_write)?;
    for r in 1..=replicates {
        let part = folder.path(&residents_part(r, file));
        let mut rows = std::fs::File::open(&part)
            .with_context(|| format!("cannot read {}", part.display()))?;
        std::io::copy(&mut rows, &mut out).with_context(cannot_write)?;
        std::fs::remove_file(&part).with_context(|| format!("cannot remove {}", part.display()))?;
    }
    out.into_inner().map_err(|e| e.into_error())?;
    Ok(())
}

/// The metrics `run --replicates` prints: the unmet share and hours, formal
/// care with its Wlz part and cost, where help comes from, the intake and the
/// carers (summary_aggregate.csv has them all).
const AGGREGATE_METRICS: [&str; 15] = [
    "unmet_share",
    "unmet_hours",
    "formal_hours",
    "long_term_care_hours",
    "formal_cost_eur",
    "formal_cost_wmo_eur",
    "within_neighbourhood_share",
    "cross_neighbourhood_share",
    "outside_share",
    "intake_network_involved_share",
    "intake_network_burdened_share",
    "mean_wait_weeks",
    "left_waiting_list",
    "mean_strain",
    "burnouts",
];

/// A mean or bound as the terminal shows it: hours, euros and counts whole
/// with thousands separators (`€` before euros), shares and strain as
/// fractions with three decimals, weeks and residents with one.
fn aggregate_value(value: f64, format: Option<carenet::metrics::Format>) -> String {
    use carenet::metrics::Format;
    match format {
        Some(Format::Hours | Format::Count) => thousands(value.round()),
        Some(Format::Euro) => format!("€ {}", thousands(value.round())),
        Some(Format::Decimal) => format!("{value:.1}"),
        Some(Format::Share | Format::Strain) | None => format!("{value:.3}"),
    }
}

/// A metric's line of the terminal's table over replicates: its mean and 95%
/// interval (shown within the values it can take; `clipped` notes where it
/// was not). The interval's ends are apart by a semicolon: with thousands
/// grouped by commas, "[36,883, 122,702]" read as four numbers (QA 39).
fn aggregate_line(metric: &str, row: &Row, clipped: &mut bool) -> String {
    let value = |c: &str| row.get(c).and_then(|v| v.parse::<f64>().ok());
    let format = carenet::metrics::find(metric).map(|m| m.format);
    match (value("mean"), value("ci95_low"), value("ci95_high")) {
        (Some(mean), Some(low), Some(high)) => {
            let ((low, high), was_clipped) = carenet::metrics::find(metric)
                .map_or(((low, high), false), |m| m.shown_interval((low, high)));
            *clipped |= was_clipped;
            format!(
                "  {metric:<32} {:>10}  [{}; {}]",
                aggregate_value(mean, format),
                aggregate_value(low, format),
                aggregate_value(high, format)
            )
        }
        (Some(mean), _, _) => format!("  {metric:<32} {:>10}", aggregate_value(mean, format)),
        _ => format!("  {metric:<32} {:>10}", "n/a"),
    }
}

/// The headline metrics over replicates, with their 95% intervals.
fn print_aggregate(
    scenario: &Scenario,
    replicates: u32,
    rows: &[Row],
    seconds: f64,
    folder: &Path,
) {
    println!(
        "{}: {replicates} replicates ({seconds:.1}s); mean and 95% interval over replicates:",
        scenario.name
    );
    let mut clipped = false;
    for metric in AGGREGATE_METRICS {
        let Some(row) = rows.iter().find(|r| r.get("metric") == Some(metric)) else {
            continue;
        };
        println!("{}", aggregate_line(metric, row, &mut clipped));
    }
    println!(
        "(hours, euros and burnouts: totals over {} of each replicate; shares of 0 to 1)",
        reported_period(scenario.weeks as usize)
    );
    if clipped {
        println!("({})", carenet::metrics::CLIPPED_INTERVALS);
    }
    println!("(every metric: summary_aggregate.csv; for Excel: summary.xlsx)");
    if output::is_multi_year(scenario.weeks as usize) {
        println!(
            "(per year: {YEARLY_AGGREGATE_CSV}, the mean and 95% interval of every column of \
             yearly.csv over the replicates; every replicate's years: yearly.csv)"
        );
    }
    println!("outputs: {}", folder.display());
}

fn print_summary(run: &Run, folder: &Path) {
    let (world, record) = (run.world(), &run.record);
    let (seconds, simulate_seconds) = (run.build_seconds, run.simulate_seconds);
    let summary = &run.network_summary;
    let residents = world.people.area_residents();
    println!(
        "{}",
        network_headline(
            &world.scenario.name,
            [
                residents,
                world.scenario.neighbourhoods.len(),
                world.people.len() - residents,
                run.ties_at_start,
            ],
            seconds
        )
    );
    const SHOWN: usize = 12;
    // As wide as the longest name shown (CBS's buurt names run to 40 and
    // more characters), up to a cap beyond which a name is cut (QA 31).
    const WIDEST: usize = 32;
    let width = summary
        .iter()
        .take(SHOWN)
        .map(|row| row.neighbourhood.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(16, WIDEST);
    println!(
        "{:<width$} {:>9} {:>8} {:>10} {:>11} {:>12}",
        "neighbourhood", "residents", "cohesion", "mean ties", "neighbours", "ties inside"
    );
    for row in summary.iter().take(SHOWN) {
        println!(
            "{:<width$} {:>9} {:>8.2} {:>10.1} {:>11.1} {:>11.0}%",
            cut_to(&row.neighbourhood, width),
            thousands(row.residents as f64),
            row.cohesion,
            row.mean_ties,
            row.mean_ties_by_kind[carenet::kinds::TieKind::Neighbour.index()],
            100.0 * row.tie_share[carenet::kinds::Locality::SameNeighbourhood.index()]
        );
    }
    if summary.len() > SHOWN {
        println!(
            "... and {} more neighbourhoods (network_summary.csv)",
            summary.len() - SHOWN
        );
    }
    print_outcomes(world, record, simulate_seconds);
    if output::is_multi_year(record.weeks.len()) {
        // The totals above are the whole run's; a projection is read by year.
        let years = output::yearly_rows(
            &world.scenario,
            &record.years,
            &record.year_figures,
            &record.weeks,
        );
        println!();
        for line in year_lines(&years) {
            println!("{line}");
        }
        println!(
            "(per year: yearly.csv, the residents by age, deaths and moves, and each year's care \
             and costs)"
        );
    }
    println!("(every table as CSV; for Excel: summary.xlsx)");
    println!("outputs: {}", folder.display());
}

/// `name` in at most `width` characters: cut with "…" where longer.
fn cut_to(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_string();
    }
    let kept: String = name.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// The run's headline outcomes, for a reader at the terminal.
fn print_outcomes(world: &World, record: &RunRecord, seconds: f64) {
    let row = output::summary_row(&world.scenario, world.people.area_residents(), record);
    let reported = record.weeks.len();
    for line in outcome_lines(&row, reported, world.scenario.burn_in_weeks, seconds) {
        println!("{line}");
    }
}

/// The lines [`print_outcomes`] prints of summary.csv's `row`.
fn outcome_lines(row: &Row, reported: usize, burn_in_weeks: u32, seconds: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let number = |column: &str| row.get(column).and_then(|v| v.parse::<f64>().ok());
    // Hours, euros and counts grouped in thousands (QA 36: a projection's "21567
    // intakes" and "62759 burnouts" stood beside "108,174,995 h need").
    let in_thousands = |column: &str| number(column).map_or_else(|| "n/a".into(), thousands);
    let percent = |column: &str| {
        number(column).map_or_else(|| "n/a".into(), |v| format!("{:.0}%", 100.0 * v))
    };
    let fixed = |column: &str, digits: usize| {
        number(column).map_or_else(|| "n/a".into(), |v| format!("{v:.digits$}"))
    };
    lines.push(format!(
        "\n{} {} ({seconds:.1}s). Hours of need over {}:",
        weeks_in_words(reported as u32),
        match burn_in_weeks {
            0 => "without burn-in".to_string(),
            n => format!("after {} of burn-in", weeks_in_words(n)),
        },
        reported_period(reported)
    ));
    lines.push(format!(
        "  {} h need = {} household + {} informal + {} formal + {} unmet ({} unmet)",
        in_thousands("need_hours"),
        in_thousands("household_hours"),
        in_thousands("informal_hours"),
        in_thousands("formal_hours"),
        in_thousands("unmet_hours"),
        percent("unmet_share"),
    ));
    if number("long_term_care_hours").is_some_and(|h| h > 0.0) {
        lines.push(format!(
            "  formal care: {} h from the district teams and respite, {} h Wlz care (at home and short stays)",
            // Rounded first, so that the two parts add up to the total shown.
            thousands(
                number("formal_hours").unwrap_or(0.0).round()
                    - number("long_term_care_hours").unwrap_or(0.0).round()
            ),
            in_thousands("long_term_care_hours"),
        ));
    }
    lines.push(format!(
        "  formal care costs € {}: € {} the municipality (Wmo), € {} the health insurers (Zvw), € {} the Wlz; the levers € {}",
        in_thousands("formal_cost_eur"),
        in_thousands("formal_cost_wmo_eur"),
        in_thousands("formal_cost_zvw_eur"),
        in_thousands("formal_cost_wlz_eur"),
        in_thousands("intervention_cost_eur"),
    ));
    lines.push(format!(
        "  informal help: {} from the same neighbourhood, {} from other neighbourhoods, {} from outside the area",
        percent("within_neighbourhood_share"),
        percent("cross_neighbourhood_share"),
        percent("outside_share"),
    ));
    // A wait counts only those served: say who left the list unserved.
    let left_unserved = match number("left_waiting_list") {
        Some(n) if n > 0.0 => format!(", {} left the list unserved", thousands(n)),
        _ => String::new(),
    };
    lines.push(format!(
        "  formal intakes: {} ({} with the network already involved, {} already burdened); mean wait {} weeks{left_unserved}",
        in_thousands("intakes"),
        percent("intake_network_involved_share"),
        percent("intake_network_burdened_share"),
        fixed("mean_wait_weeks", 1),
    ));
    lines.push(format!(
        "  carers: mean strain {}, {} burnouts",
        fixed("mean_strain", 2),
        in_thousands("burnouts"),
    ));
    lines
}

/// "1 week", "52 weeks".
fn weeks_in_words(n: u32) -> String {
    match n {
        1 => "1 week".into(),
        n => format!("{n} weeks"),
    }
}

/// The reported weeks, in words: "the year" only when they are one.
fn reported_period(weeks: usize) -> String {
    match weeks {
        52 => "the year".into(),
        1 => "the reported week".into(),
        n => format!("the {n} reported weeks"),
    }
}

/// The most years the terminal lists; a longer run shows every few years
/// and its last.
const YEARS_SHOWN: usize = 20;

/// A projection's years at a glance (yearly.csv's `rows`): each year, by its
/// calendar year where the scenario has one, with its residents aged 75+, the
/// residents in need and the carers (weekly means), the year's need, the share
/// left unmet and the cost of formal care.
fn year_lines(rows: &[Row]) -> Vec<String> {
    let number = |row: &Row, column: &str| row.get(column).and_then(|v| v.parse::<f64>().ok());
    let whole =
        |row: &Row, column: &str| number(row, column).map_or_else(|| "n/a".into(), thousands);
    let step = rows.len().div_ceil(YEARS_SHOWN).max(1);
    let mut lines = vec![format!(
        "{:>6} {:>9} {:>8} {:>8} {:>12} {:>7} {:>16}",
        "year", "aged 75+", "in need", "carers", "need, h", "unmet", "formal care, €"
    )];
    for (i, row) in rows.iter().enumerate() {
        if i % step != 0 && i + 1 != rows.len() {
            continue;
        }
        let year = output::year_shown(row).unwrap_or("?");
        let short = number(row, "weeks").is_some_and(|w| w < 52.0);
        lines.push(format!(
            "{year:>6} {:>9} {:>8} {:>8} {:>12} {:>7} {:>16}{}",
            whole(row, "adults_75_plus"),
            whole(row, "receivers"),
            whole(row, "carers"),
            whole(row, "need_hours"),
            number(row, "unmet_share")
                .map_or_else(|| "n/a".into(), |v| format!("{:.1}%", 100.0 * v)),
            whole(row, "formal_cost_eur"),
            if short { " (a short last year)" } else { "" },
        ));
    }
    lines
}

/// The first line `carenet run` prints: the network as built, its counts
/// (residents, neighbourhoods, outside alters, ties) grouped in thousands as
/// the outcomes below it are (QA 38: "6000 residents ..., 31297 outside
/// alters, 77957 ties" above "430,378 h need").
fn network_headline(name: &str, counts: [usize; 4], seconds: f64) -> String {
    let [residents, neighbourhoods, alters, ties] = counts.map(|n| thousands(n as f64));
    let neighbourhoods = if counts[1] == 1 {
        "1 neighbourhood".to_string()
    } else {
        format!("{neighbourhoods} neighbourhoods")
    };
    format!(
        "{name}: {residents} residents in {neighbourhoods}, {alters} outside alters, {ties} ties \
         ({seconds:.1}s)"
    )
}

/// 12345.6 as "12,346".
pub(super) fn thousands(value: f64) -> String {
    let out = carenet::metrics::grouped(&format!("{:.0}", value.abs()));
    if value < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::{Row, aggregate_line, cut_to, network_headline, outcome_lines, year_lines};

    /// QA 39: "79,792  [36,883, 122,702]" read as four numbers; the ends of
    /// an interval are apart by a semicolon.
    #[test]
    fn an_interval_of_thousands_keeps_its_two_ends_apart() {
        let row = |mean: &str, low: &str, high: &str| {
            Row(vec![
                ("metric".into(), "unmet_hours".into()),
                ("mean".into(), mean.into()),
                ("ci95_low".into(), low.into()),
                ("ci95_high".into(), high.into()),
            ])
        };
        let mut clipped = false;
        let line = aggregate_line(
            "unmet_hours",
            &row("79792.4", "36883.2", "122702.1"),
            &mut clipped,
        );
        assert!(line.ends_with("79,792  [36,883; 122,702]"), "{line}");
        assert!(!clipped);
        let line = aggregate_line(
            "unmet_hours",
            &row("79792.4", "-5000", "122702.1"),
            &mut clipped,
        );
        assert!(line.ends_with("[0; 122,702]"), "{line}");
        assert!(
            clipped,
            "a count's interval below 0 is shown from 0, and said"
        );
        let line = aggregate_line(
            "formal_cost_eur",
            &row("4148784", "719819", "7577750"),
            &mut clipped,
        );
        assert!(
            line.ends_with("€ 4,148,784  [€ 719,819; € 7,577,750]"),
            "{line}"
        );
    }

    /// QA 38: the network's counts were written 6000, 31297 and 77957 above
    /// outcomes grouped in thousands, and one neighbourhood was "1 neighbourhoods".
    #[test]
    fn the_networks_counts_are_grouped_in_thousands() {
        assert_eq!(
            network_headline("baseline", [6000, 5, 31297, 77957], 0.12),
            "baseline: 6,000 residents in 5 neighbourhoods, 31,297 outside alters, 77,957 ties (0.1s)"
        );
        assert!(network_headline("one", [800, 1, 10, 20], 0.0).contains("in 1 neighbourhood,"));
    }

    /// Session 37: a projection printed the totals of its 15 years only.
    #[test]
    fn a_projection_lists_its_years_by_calendar_year() {
        let year = |y: u32, calendar: &str, weeks: &str| {
            Row([
                ("year", y.to_string()),
                ("calendar_year", calendar.to_string()),
                ("weeks", weeks.to_string()),
                ("adults_75_plus", "1011".to_string()),
                ("receivers", "458.4".to_string()),
                ("carers", "927.2".to_string()),
                ("need_hours", "442416.34".to_string()),
                ("unmet_share", "0.19076".to_string()),
                ("formal_cost_eur", "4945292.1".to_string()),
            ]
            .into_iter()
            .map(|(c, v)| (c.to_string(), v))
            .collect())
        };
        let lines = year_lines(&[year(1, "2025", "52"), year(2, "2026", "6")]);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[1].trim_start().starts_with("2025 "), "{}", lines[1]);
        for part in ["1,011", "458", "927", "442,416", "19.1%", "4,945,292"] {
            assert!(lines[1].contains(part), "{part} in {}", lines[1]);
        }
        assert!(lines[2].ends_with("(a short last year)"), "{}", lines[2]);
        let numbered = year_lines(&[year(1, "", "52")]);
        assert!(
            numbered[1].trim_start().starts_with("1 "),
            "{}",
            numbered[1]
        );
        // A century: every fifth year and the last.
        let century: Vec<Row> = (1..=100).map(|y| year(y, "", "52")).collect();
        let shown = year_lines(&century);
        assert_eq!(shown.len(), 1 + 20 + 1, "{shown:?}");
        assert!(
            shown
                .last()
                .is_some_and(|l| l.trim_start().starts_with("100 "))
        );
    }

    #[test]
    fn counts_of_thousands_are_grouped_as_the_hours_are() {
        let row = Row([
            ("need_hours", "108174995.2"),
            ("intakes", "21567"),
            ("burnouts", "62759"),
            ("mean_strain", "0.1"),
        ]
        .iter()
        .map(|(c, v)| (c.to_string(), v.to_string()))
        .collect());
        let text = outcome_lines(&row, 780, 52, 1.0).join("\n");
        assert!(!text.contains("left the list"), "none left: {text}");
        let mut left = row.clone();
        left.0.push(("left_waiting_list".into(), "1234".into()));
        let said = outcome_lines(&left, 780, 52, 1.0).join("\n");
        assert!(
            said.contains("weeks, 1,234 left the list unserved"),
            "{said}"
        );
        assert!(text.contains("108,174,995 h need"), "{text}");
        assert!(text.contains("formal intakes: 21,567 ("), "{text}");
        assert!(text.contains("mean strain 0.10, 62,759 burnouts"), "{text}");
    }

    #[test]
    fn long_names_are_cut_to_the_width_with_an_ellipsis() {
        assert_eq!(cut_to("buurt-00001", 16), "buurt-00001");
        let long = "Bolsward-Centrum en omgeving, Súdwest-Fryslân";
        let cut = cut_to(long, 32);
        assert_eq!(cut.chars().count(), 32);
        assert!(
            cut.starts_with("Bolsward-Centrum") && cut.ends_with('…'),
            "{cut}"
        );
        assert_eq!(
            format!("{:<16}|", cut_to("Súdwest", 16)).chars().count(),
            17
        );
    }
}
