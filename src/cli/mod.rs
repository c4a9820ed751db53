//! Command-line interface: parses arguments, shows progress on a terminal, and maps
//! errors to messages and exit codes. The library does the work.

mod bench;
mod calibrate;
mod check;
mod compare;
mod progress;
mod report;
mod run;
mod scenarios;
mod sensitivity;
mod serve;
mod sweep;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// carenet: an agent-based simulator of informal care networks.
///
/// Residents of a study area are nodes of a social graph whose ties carry a
/// relationship kind, trust and distance. Scenario files (TOML) describe the area
/// and the policy levers; runs write CSV outcomes under results/.
#[derive(Debug, Parser)]
#[command(name = "carenet", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario and write its outputs (default: the baseline scenario).
    Run(run::RunArgs),
    /// Compare policy variants of one area with replicates and common random
    /// numbers: comparison.csv, comparison.md and runs.csv.
    Compare(compare::CompareArgs),
    /// Run an experiment file: a grid, list or Latin hypercube of parameter
    /// points with replicates; resumable, and shardable with --shard I/N.
    Sweep(sweep::SweepArgs),
    /// Morris elementary effects or Sobol indices of every summary metric, from an
    /// experiment file with design = "morris" or "sobol": sensitivity.csv.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Merge the runs.csv of shards of one experiment.
    Merge(sweep::MergeArgs),
    /// Run the stylised facts of docs/ODD.md §1.2 with replicates and say which the
    /// model reproduces: validation.csv; exit code 1 if a fact fails.
    Validate(validate::ValidateArgs),
    /// Run an experiment and rank its points by their distance to the Dutch
    /// figures of docs/ODD.md §1.3: calibration.csv.
    Calibrate(calibrate::CalibrateArgs),
    /// Write an HTML report with charts (inline SVG, also in DIR/charts/) of a run,
    /// replicate or comparison folder.
    Report(report::ReportArgs),
    /// A local web page for teaching: pick a research setting, move the policy
    /// levers, run, and watch the weeks and one neighbourhood's network fill.
    Serve(serve::ServeArgs),
    /// Check scenario files without running them.
    Check {
        /// Scenario files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write a commented starter scenario to NAME.toml.
    New {
        /// Name of the scenario (letters, digits, '-', '_').
        name: String,
        /// Folder to write it in.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Write a synthetic area of any size as a scenario file (the scale ladder).
    Synth {
        /// Adults in the area.
        #[arg(long)]
        adults: u64,
        /// Neighbourhoods (the Netherlands has about 13,000 buurten).
        #[arg(long)]
        neighbourhoods: u32,
        /// Adults per km² inside a neighbourhood.
        #[arg(long, default_value_t = 3000.0)]
        density: f64,
        /// Seed of the layout and climates.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// File to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The scale ladder: build and run synthetic areas of several sizes, each in
    /// its own process, and print set-up and simulation seconds, resident-weeks
    /// per second and peak memory (bench.csv); with --consistency, check that
    /// per-capita outcomes agree across sizes (consistency.csv).
    Bench(bench::BenchArgs),
    /// One size of the ladder, measured (run by `carenet bench` in a child process).
    #[command(hide = true)]
    BenchChild(bench::ChildArgs),
    /// List the scenarios in a folder with their descriptions.
    List {
        /// Folder of scenario files.
        #[arg(long, default_value = "scenarios")]
        dir: PathBuf,
    },
}

/// Exit code for a scenario the user must fix.
const EXIT_INVALID_INPUT: u8 = 2;

/// An error with the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        let error = error.into();
        let code = if error.is::<carenet::scenario::ScenarioError>()
            || error.is::<carenet::experiment::plan::PlanError>()
        {
            EXIT_INVALID_INPUT
        } else {
            1
        };
        Failure { code, error }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge(args) => sweep::merge(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Validate(args) => validate::run(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
        Command::Report(args) => report::report(args),
        Command::Serve(args) => serve::serve(args),
        Command::Check { files } => check::check(&files),
        Command::New { name, dir, force } => scenarios::new(&name, &dir, force),
        Command::List { dir } => scenarios::list(&dir),
        Command::Bench(args) => bench::bench(args),
        Command::BenchChild(args) => bench::child(args),
        Command::Synth {
            adults,
            neighbourhoods,
            density,
            seed,
            out,
        } => scenarios::synth(
            &carenet::scenario::SynthSpec {
                adults,
                neighbourhoods,
                density_per_km2: density,
                seed,
            },
            out.as_deref(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { code, error }) => {
            eprintln!("error: {error:#}");
            ExitCode::from(code)
        }
    }
}
