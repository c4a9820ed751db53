//! Command-line interface: parses arguments, shows progress on a terminal, and maps
//! errors to messages and exit codes. The library does the work.

mod bench;
mod calibrate;
mod check;
mod compare;
mod docs;
mod export_page;
mod overrides;
mod progress;
mod report;
mod run;
mod scenarios;
mod sensitivity;
mod serve;
mod sweep;
mod validate;
mod weeks;
mod xlsx;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// carenet: an agent-based simulator of informal care networks.
///
/// Residents of a study area are nodes of a social graph whose ties carry a
/// relationship kind, trust and distance. Scenario files (TOML) describe the area
/// and the policy levers; runs write CSV outcomes under results/.
#[derive(Debug, Parser)]
#[command(
    name = "carenet",
    version = VERSION,
    about,
    long_about = None,
    propagate_version = true,
    after_help = EXIT_CODES_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario and write its outputs (default: the baseline scenario).
    Run(run::RunArgs),
    /// Compare policy variants of one area with replicates and common random
    /// numbers: comparison.csv, comparison.md, runs.csv and comparison.xlsx for Excel.
    Compare(compare::CompareArgs),
    /// Run an experiment file: a grid, list or Latin hypercube of parameter
    /// points, or the points of a CSV file (design = "file"), with replicates;
    /// resumable, and shardable with --shard I/N.
    Sweep(sweep::SweepArgs),
    /// Morris elementary effects or Sobol indices of every summary metric, from an
    /// experiment file with design = "morris" or "sobol": sensitivity.csv.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Merge the runs.csv of shards of one experiment (runs.csv, and runs.xlsx
    /// for Excel).
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
    /// Write the teaching page as a static folder that runs the model in the
    /// browser alone (WebAssembly): for a web host or a USB stick.
    ExportPage(export_page::ExportPageArgs),
    /// Check scenario files and experiment files without running them (an
    /// experiment file, told by its `design`, `[[parameter]]` or `scenario`
    /// keys, is checked as `sweep` checks it: its settings, its scenario and
    /// every point of its design).
    Check {
        /// Scenario or experiment files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write a commented starter scenario to NAME.toml.
    New {
        /// Name of the scenario (letters, digits, '-', '_', '.').
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
        #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = parse_seed)]
        seed: u64,
        /// File to write (default: standard output). An existing file is
        /// replaced only if an earlier synth wrote it and it is unchanged.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Overwrite --out whatever it holds.
        #[arg(long)]
        force: bool,
    },
    /// Your own municipality: a scenario with one neighbourhood per buurt of a
    /// gemeente (or of one wijk), from CBS's table "Kerncijfers wijken en
    /// buurten" as CBS publishes it (CSV; see README.md for where to download it).
    ImportCbs(scenarios::ImportCbsArgs),
    /// The scale ladder: build and run synthetic areas of several sizes, each in
    /// its own process, and print set-up and simulation seconds, resident-weeks
    /// per second and peak memory (bench.csv); with --consistency, check that
    /// per-capita outcomes agree across sizes (consistency.csv).
    Bench(bench::BenchArgs),
    /// One size of the ladder, measured (run by `carenet bench` in a child process).
    #[command(hide = true)]
    BenchChild(bench::ChildArgs),
    /// Print a shell completion script: `carenet completions bash >
    /// ~/.local/share/bash-completion/completions/carenet` (zsh: into a folder
    /// of $fpath as _carenet; fish: ~/.config/fish/completions/carenet.fish).
    Completions(docs::CompletionsArgs),
    /// Print the manual page carenet.1 (`carenet man | man -l -`), or with
    /// --out DIR write it and one page per command (carenet-run.1, ...).
    Man(docs::ManArgs),
    /// List the scenarios in a folder with their descriptions (default:
    /// ./scenarios if it exists, else the built-in scenarios).
    List {
        /// Folder of scenario files.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The built-in scenarios.
    #[command(subcommand)]
    Scenarios(ScenariosCommand),
}

#[derive(Debug, Subcommand)]
enum ScenariosCommand {
    /// Write the built-in scenarios to DIR as files to read and edit.
    Export {
        /// Folder to write them in (created if missing).
        dir: PathBuf,
        /// Overwrite files there that hold other contents.
        #[arg(long)]
        force: bool,
    },
}

/// Exit code when a check ran and its answer is no: `validate` found a
/// stylised fact the model does not reproduce, `bench --consistency` a metric
/// that differs across sizes (as `diff` and `grep` answer no with 1).
pub const EXIT_NOT_REPRODUCED: u8 = 1;
/// Exit code for a command line that is wrong: an unknown option, a missing or
/// malformed argument, an option out of range (clap's own code for these).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for input the user must fix: a scenario or experiment file, or a
/// `--set`, or a file or folder named that is not there; nothing was written.
pub const EXIT_INVALID_INPUT: u8 = 3;
/// Exit code for a run that could not finish for a reason outside its input: a
/// file or folder that cannot be read or written, an output folder holding
/// files carenet did not write, not enough memory, another carenet writing the
/// same folder.
pub const EXIT_FAILED: u8 = 4;
/// Exit code for a bug in carenet (a panic), which should be reported.
pub const EXIT_INTERNAL: u8 = 5;

/// The exit codes, for `carenet --help`.
const EXIT_CODES_HELP: &str = "Exit codes:
  0    success
  1    not reproduced: validate found a stylised fact the model does not reproduce,
       or bench --consistency a metric that differs between sizes
  2    usage: the command line is wrong (unknown option, missing or malformed argument)
  3    invalid input: a scenario file, experiment file, --set, CBS table (import-cbs) or
       WebAssembly module (export-page) needs fixing, or a file or folder given is not
       there; nothing was written
  4    could not finish: a file or folder there cannot be read or written, the output folder
       holds files carenet did not write, not enough memory, another carenet writes there
  5    internal error: a bug in carenet; please report it with the command and scenario
  130  stopped by Ctrl-C or SIGTERM; nothing half-written is left
  141  standard output was closed early (as by `| head`); nothing half-written is left";

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        let error = error.into();
        if let Some(cbs) = error.downcast_ref::<carenet::scenario::CbsError>() {
            let code = match cbs.kind {
                carenet::scenario::CbsErrorKind::Argument => EXIT_USAGE,
                carenet::scenario::CbsErrorKind::File => EXIT_INVALID_INPUT,
            };
            return Failure { code, error };
        }
        let code = if error.is::<carenet::scenario::ScenarioError>()
            || error.is::<carenet::experiment::plan::PlanError>()
            || error
                .downcast_ref::<carenet::report::ReportError>()
                .is_some_and(report_input_is_at_fault)
        {
            EXIT_INVALID_INPUT
        } else {
            EXIT_FAILED
        };
        Failure { code, error }
    }
}

/// True for a report refused because of the folder or file it was given,
/// rather than because a file could not be read or written.
fn report_input_is_at_fault(error: &carenet::report::ReportError) -> bool {
    use carenet::report::ReportError;
    matches!(
        error,
        ReportError::UnknownFolder { .. }
            | ReportError::ExperimentFolder { .. }
            | ReportError::NoFolder { .. }
            | ReportError::MissingColumn { .. }
            | ReportError::BadValue { .. }
            | ReportError::NoRows { .. }
            | ReportError::NotAFile { .. }
    )
}

/// Reads `--seed` (of `run` and `synth`): a whole number from 0 to 2^64 − 1,
/// said so when it is not (clap's own tip for `-1` is to write `-- -1`).
fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "a seed is a whole number from 0 to {}, not `{text}`",
            u64::MAX
        )
    })
}

/// A usage error: exit code 2 with the message.
fn usage(message: String) -> Failure {
    Failure {
        code: EXIT_USAGE,
        error: anyhow::Error::msg(message),
    }
}

/// An input the user named could not be read: exit code 3 ("input needs
/// fixing") when nothing of that name is there, as `run`, `check`, `sweep`
/// and `report` say of a scenario, experiment file or folder that is not
/// there; 4 when it is there and the file system refuses it (permissions,
/// a disk error). The io error stays in the chain for the fix line.
fn unreadable_input(what: String, error: std::io::Error) -> Failure {
    let code = if error.kind() == std::io::ErrorKind::NotFound {
        EXIT_INVALID_INPUT
    } else {
        EXIT_FAILED
    };
    Failure {
        code,
        error: anyhow::Error::new(error).context(what),
    }
}

/// A file of the user's in the way, kept: exit code 4 (the README's "the
/// output folder holds files carenet did not write") with the message.
fn files_in_the_way(message: String) -> Failure {
    Failure {
        code: EXIT_FAILED,
        error: anyhow::Error::msg(message),
    }
}

/// A check whose answer is no: exit code 1 with the message.
fn not_reproduced(message: String) -> Failure {
    Failure {
        code: EXIT_NOT_REPRODUCED,
        error: anyhow::Error::msg(message),
    }
}

/// Opens a run's output folder (`--force`: whatever is there may be replaced)
/// and says which staging folders of stopped runs it cleared on the way.
fn open_output(
    target: &std::path::Path,
    force: bool,
    inputs: &[&std::path::Path],
) -> Result<carenet::output::RunFolder, Failure> {
    use carenet::output::{Replace, RunFolder};
    let replace = if force {
        Replace::Anything
    } else {
        Replace::OnlyCarenetRuns
    };
    let folder = RunFolder::create_reading(target, replace, inputs)?;
    for leftover in folder.removed_leftovers() {
        eprintln!(
            "removed {}, left behind by a carenet that was stopped",
            leftover.display()
        );
    }
    Ok(folder)
}

/// What committing a run's folder replaces, to be said once it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replaced {
    Nothing,
    Run,
    /// An earlier run and the report of it (`carenet report`'s page and charts).
    RunAndReport,
}

impl Replaced {
    fn by(folder: &carenet::output::RunFolder) -> Replaced {
        if folder.replaces_report() {
            Replaced::RunAndReport
        } else if folder.replaces_previous() {
            Replaced::Run
        } else {
            Replaced::Nothing
        }
    }
}

/// Tells the user that an earlier run's folder was replaced, and its report
/// with it (made of the tables replaced).
fn say_replaced(replaced: Replaced, written: &std::path::Path) {
    match replaced {
        Replaced::Nothing => {}
        Replaced::Run => println!("replaced the previous run in {}", written.display()),
        Replaced::RunAndReport => println!(
            "replaced the previous run in {0} and its report, which was of that run \
             (`carenet report {0}` writes one of this run)",
            written.display()
        ),
    }
}

/// Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: i32 = 130;

/// On Ctrl-C or SIGTERM, removes this process's staging folders and locks and
/// exits, so that a stopped run leaves nothing half-written. (`serve` has its
/// own handler, which lets running runs finish.)
fn stop_cleanly_on_signals() {
    let installed = ctrlc::set_handler(|| {
        let left = carenet::output::remove_own_staging();
        if left.is_empty() {
            eprintln!("carenet: stopped; nothing half-written was left behind");
        } else {
            for path in &left {
                eprintln!(
                    "carenet: stopped, but could not remove the unfinished {}; \
                     remove it by hand (the next run beside it does so too)",
                    path.display()
                );
            }
        }
        std::process::exit(EXIT_INTERRUPTED);
    });
    if let Err(error) = installed {
        eprintln!(
            "carenet: cannot listen for Ctrl-C ({error}); a stopped run may leave a staging folder"
        );
    }
}

/// carenet's version with the git commit it was built from and whether the
/// working tree had uncommitted changes (from build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("CARENET_BUILD"), ")");

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        stop_cleanly_on_signals();
    }
    quiet_panic_on_closed_stdout();
    ExitCode::from(exit_code(|| dispatch(cli.command)))
}

/// Why printing to standard output failed, set by the panic hook of
/// [`quiet_panic_on_closed_stdout`].
static STDOUT_FAILURE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// `println!` panics when standard output is gone (`carenet list | head`, a
/// closed terminal, a full disk behind `>`). That is not a bug in carenet, so
/// the hook records it instead of printing a panic message, and
/// [`exit_code`] ends the command as [`stdout_failure_exit`] says.
fn quiet_panic_on_closed_stdout() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        match message.and_then(|m| m.strip_prefix("failed printing to stdout: ")) {
            Some(reason) => {
                if let Ok(mut failure) = STDOUT_FAILURE.lock() {
                    *failure = Some(reason.to_string());
                }
            }
            None => default_hook(info),
        }
    }));
}

/// Writes `bytes` to standard output as `print!` does: a closed or full
/// standard output ends the command the way `println!`'s failure does
/// ([`stdout_failure_exit`]: quietly with 141 for a closed pipe), for output
/// made by libraries that report a write error otherwise (clap_complete
/// panicked with a message of its own: `carenet completions bash | true` ended
/// in "internal error", and `carenet man | true` with exit code 4).
pub(crate) fn print_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(bytes).and_then(|()| out.flush()) {
        panic!("failed printing to stdout: {error}");
    }
}

/// Exit code when the reader of standard output went away (128 + SIGPIPE, as
/// shells report a process ended by a closed pipe).
const EXIT_STDOUT_CLOSED: u8 = 141;

/// How a command ends after printing to standard output failed for `reason`:
/// staging is removed (nothing half-written), a closed pipe ends quietly, as
/// Unix tools do, and any other failure is said in one line.
fn stdout_failure_exit(reason: &str) -> u8 {
    let left = carenet::output::remove_own_staging();
    for path in &left {
        eprintln!(
            "carenet: could not remove the unfinished {}; remove it by hand",
            path.display()
        );
    }
    // "(os error 32)" is EPIPE on Linux and macOS, whatever the locale's wording.
    if reason.contains("(os error 32)") {
        return EXIT_STDOUT_CLOSED;
    }
    if left.is_empty() {
        eprintln!(
            "error: cannot write to standard output ({reason}); stopped, nothing half-written was left behind"
        );
    } else {
        eprintln!("error: cannot write to standard output ({reason}); stopped");
    }
    EXIT_FAILED
}

/// Runs a command and says how it ended; returns its exit code. A panic is a
/// bug: its message (printed by the default hook) is followed by a request to
/// report it, and the exit code says that the input was not at fault.
fn exit_code(command: impl FnOnce() -> Result<(), Failure>) -> u8 {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(command)) {
        Ok(Ok(())) => 0,
        Ok(Err(Failure { code, error })) => {
            eprintln!("error: {}", message_with_causes(&error));
            code
        }
        Err(_) => {
            let stdout_failure = STDOUT_FAILURE.lock().ok().and_then(|mut f| f.take());
            if let Some(reason) = stdout_failure {
                return stdout_failure_exit(&reason);
            }
            eprintln!(
                "error: internal error: this is a bug in carenet {VERSION}; please report it with \
                 the command, the scenario file and the message above"
            );
            EXIT_INTERNAL
        }
    }
}

fn dispatch(command: Command) -> Result<(), Failure> {
    match command {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge(args) => sweep::merge(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
        Command::Validate(args) => validate::run(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
        Command::Report(args) => report::report(args),
        Command::Serve(args) => serve::serve(args),
        Command::ExportPage(args) => export_page::export_page(args),
        Command::Check { files } => check::check(&files),
        Command::New { name, dir, force } => scenarios::new(&name, &dir, force),
        Command::List { dir } => scenarios::list(dir.as_deref()),
        Command::Scenarios(ScenariosCommand::Export { dir, force }) => {
            scenarios::export(&dir, force)
        }
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
        Command::ImportCbs(args) => scenarios::import_cbs(&args),
        Command::Bench(args) => bench::bench(args),
        Command::BenchChild(args) => bench::child(args),
        Command::Synth {
            adults,
            neighbourhoods,
            density,
            seed,
            out,
            force,
        } => scenarios::synth(
            &carenet::scenario::SynthSpec {
                adults,
                neighbourhoods,
                density_per_km2: density,
                seed,
            },
            out.as_deref(),
            force,
        ),
    }
}

/// The error and its causes, "a: b: c", leaving out a cause whose text an
/// earlier message already shows (many errors quote their source), and a fix
/// line for a file system's refusal where the message has none.
fn message_with_causes(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    if !message.contains("fix:")
        && let Some(fix) = error
            .chain()
            .find_map(|cause| {
                cause.downcast_ref::<std::io::Error>().or_else(|| {
                    match cause.downcast_ref::<csv::Error>().map(csv::Error::kind) {
                        Some(csv::ErrorKind::Io(io)) => Some(io),
                        _ => None,
                    }
                })
            })
            .and_then(|io| file_system_fix(io.kind()))
    {
        message.push_str("\n  fix: ");
        message.push_str(fix);
    }
    message
}

/// The fix of a file or folder the file system refuses to carenet, whatever
/// the command (QA 40: a read-only output folder and a full disk were said
/// with the system's words alone, "Permission denied (os error 13)").
fn file_system_fix(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind;
    Some(match kind {
        ErrorKind::PermissionDenied => {
            "this user may not use that file or folder: change its permissions (`ls -ld` \
             shows them), or choose a place of your own (e.g. another --out)"
        }
        ErrorKind::ReadOnlyFilesystem => {
            "that disk is mounted read-only: choose a place on another (e.g. another --out)"
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "the disk is full: free some space (`df -h .` shows it), or choose a place on \
             another disk (e.g. another --out)"
        }
        // QA 40: `import-cbs kwb.csv`, `list --dir DIR` of a path not there.
        ErrorKind::NotFound => {
            "check the path: nothing of that name is there (`ls` its folder shows what is), \
             or give the full path"
        }
        ErrorKind::InvalidFilename => {
            "a name in that path is too long for the file system: choose a shorter one (e.g. a shorter --out)"
        }
        _ => return None,
    })
}

/// At most this many worker threads per core: more only adds switching.
const THREADS_PER_CORE: usize = 4;

/// Sets the number of worker threads (default: one per core). Refuses 0 and
/// counts far beyond the machine's cores, which only slow a run down (results
/// never depend on the count).
fn set_threads(threads: Option<usize>) -> Result<(), Failure> {
    let Some(threads) = threads else {
        return Ok(());
    };
    check_threads(threads)?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| anyhow::anyhow!("cannot set up the worker threads: {e}"))?;
    Ok(())
}

/// "1 run", "2 runs" (QA 36: a sweep of one run said "1 runs").
fn runs_counted(runs: usize) -> String {
    if runs == 1 {
        "1 run".into()
    } else {
        format!("{runs} runs")
    }
}

/// `--max-memory`, for every command that runs scenarios.
#[derive(Debug, clap::Args)]
pub struct MemoryCeiling {
    /// Refuse to start if the runs held in memory at once are estimated to
    /// need more than this (e.g. 4G, 512M); default: the memory this machine
    /// has available.
    #[arg(long, value_name = "SIZE", value_parser = carenet::scenario::limits::parse_memory)]
    pub max_memory: Option<u64>,
}

/// The options a memory refusal names in its fix.
const MEMORY_KNOBS: carenet::scenario::limits::MemoryKnobs =
    carenet::scenario::limits::MemoryKnobs {
        threads: "--threads",
        ceiling: "--max-memory",
        microdata: "--microdata",
    };

/// Refuses, before anything is built or written, an experiment's `runs` runs
/// of `scenarios` that would not fit: as many at once as they run
/// ([`carenet::experiment::replicates::map_runs`]), each as large as the
/// largest (a sweep over a million-adult area on a 64-core node would hold
/// 64 runs of 1 GB, and die hours later).
fn check_runs_memory<'a>(
    scenarios: impl IntoIterator<Item = &'a carenet::scenario::Scenario> + Clone,
    runs: u64,
    ceiling: &MemoryCeiling,
) -> Result<(), Failure> {
    use carenet::experiment::replicates;
    use carenet::scenario::limits;
    let largest_area = scenarios.clone().into_iter().map(|s| s.area_adults()).max();
    let Some(largest) = limits::largest_run(scenarios, false) else {
        return Ok(());
    };
    let at_once = replicates::at_once(largest_area.unwrap_or(0), runs);
    limits::check_memory(largest, at_once, false, ceiling.max_memory, MEMORY_KNOBS)
        .map(|_| ())
        .map_err(|message| anyhow::anyhow!(message).into())
}

/// Refuses a thread count of 0 or far beyond the machine's cores.
fn check_threads(threads: usize) -> Result<(), Failure> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let most = THREADS_PER_CORE * cores;
    if threads == 0 || threads > most {
        return Err(Failure {
            code: EXIT_USAGE,
            error: anyhow::anyhow!(
                "--threads {threads} is out of range: this machine has {cores} cores, and more than \
                 {THREADS_PER_CORE} threads per core only add switching between them (results do not depend on the count)\n  \
                 fix: use --threads from 1 to {most}, or leave it out to use one per core"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_run_is_said_in_the_singular() {
        assert_eq!(runs_counted(1), "1 run");
        assert_eq!(runs_counted(0), "0 runs");
        assert_eq!(runs_counted(40), "40 runs");
    }

    #[test]
    fn every_way_a_command_ends_has_its_own_exit_code() {
        assert_eq!(exit_code(|| Ok(())), 0);
        assert_eq!(exit_code(|| Err(usage("x".into()))), EXIT_USAGE);
        assert_eq!(
            exit_code(|| Err(not_reproduced("x".into()))),
            EXIT_NOT_REPRODUCED
        );
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        assert_eq!(exit_code(|| Err(io.into())), EXIT_FAILED);
        assert_eq!(exit_code(|| panic!("a bug")), EXIT_INTERNAL);
        assert_eq!(
            stdout_failure_exit("Broken pipe (os error 32)"),
            EXIT_STDOUT_CLOSED
        );
        assert_eq!(
            stdout_failure_exit("No space left on device (os error 28)"),
            EXIT_FAILED
        );
        let codes = [
            EXIT_NOT_REPRODUCED,
            EXIT_USAGE,
            EXIT_INVALID_INPUT,
            EXIT_FAILED,
            EXIT_INTERNAL,
            EXIT_STDOUT_CLOSED,
        ];
        let distinct: std::collections::BTreeSet<u8> = codes.into_iter().collect();
        assert_eq!(distinct.len(), codes.len());
        for code in codes {
            assert!(
                EXIT_CODES_HELP.contains(&format!("\n  {code}  ")),
                "{code} documented"
            );
        }
    }
}
