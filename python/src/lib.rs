//! The `carenet._carenet` extension: the Python package's way into the carenet
//! library. Scenarios are read, overridden and checked by the library, runs are
//! the library's `Run::execute_stoppable` (on a worker thread, the GIL
//! released, stopped within its build or between weeks on Ctrl-C), and the outcome tables are
//! the rows the command line writes to its CSV files, handed over as CSV text so
//! that pandas reads exactly what `carenet run` writes. `carenet/__init__.py`
//! turns them into DataFrames.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use carenet::experiment::plan::{Plan, PlanError, looks_like_experiment};
use carenet::experiment::replicates::{self, map_replicates};
use carenet::experiment::{Run, Stopped, replicate_seed};
use carenet::output::{self, Row};
use carenet::scenario::limits::{self, MemoryKnobs};
use carenet::scenario::overrides::{self, Override};
use carenet::scenario::{Problem, Scenario, ScenarioError as CoreScenarioError, builtin};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyString, PyTuple};

// Module `carenet`, where the package exports it: pickle finds the class by
// its module and name, so an error raised in a worker process reaches the
// parent (`_carenet` is not importable on its own).
create_exception!(
    carenet,
    ScenarioError,
    PyValueError,
    "A scenario that cannot run: its `problems` attribute lists (key path, problem, fix)."
);

/// A library error as `ScenarioError` with its problems attached.
fn scenario_error(py: Python<'_>, message: String, problems: &[Problem]) -> PyErr {
    let err = ScenarioError::new_err(message);
    let listed: Vec<(String, String, String)> = problems
        .iter()
        .map(|p| (p.path.clone(), p.message.clone(), p.fix.clone()))
        .collect();
    // Setting an attribute on a fresh exception object cannot fail in practice;
    // if it did, the message still lists every problem.
    let _ = err.value(py).setattr("problems", listed);
    err
}

fn from_scenario_error(py: Python<'_>, error: &CoreScenarioError) -> PyErr {
    scenario_error(py, error.to_string(), error.problems())
}

/// A Python value as a TOML value: bool, int, float, str, or a list of them.
fn toml_value(value: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    if value.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(toml::Value::Integer(value.extract()?));
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(toml::Value::Float(value.extract()?));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(toml::Value::String(value.extract()?));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items = value
            .try_iter()?
            .map(|item| toml_value(&item?))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(toml::Value::Array(items));
    }
    // numpy numbers (EMA Workbench samples) are neither int nor float subclasses.
    if let Ok(number) = value.extract::<f64>() {
        return Ok(toml::Value::Float(number));
    }
    Err(PyTypeError::new_err(format!(
        "a scenario value must be a bool, int, float, str or list of them, not {}",
        value.get_type().name()?
    )))
}

/// The scenario `file_or_name` (a file path or a built-in name) with `set`
/// applied and `seed` instead of its own, checked; and where it came from.
fn prepare(
    py: Python<'_>,
    file_or_name: &str,
    set: Vec<(String, Bound<'_, PyAny>)>,
    seed: Option<u64>,
) -> PyResult<(Scenario, String)> {
    let (scenario, source) =
        builtin::resolve(file_or_name).map_err(|e| from_scenario_error(py, &e))?;
    let settings = set
        .iter()
        .map(|(path, value)| {
            let value = toml_value(value)
                .map_err(|e| PyTypeError::new_err(format!("set[{path:?}]: {}", e.value(py))))?;
            Ok(Override::new(path.clone(), value))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let mut scenario = overrides::apply_or_problems(&scenario, &settings).map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("  {}: {}\n    fix: {}", p.path, p.message, p.fix))
            .collect();
        let message = format!(
            "set= for {file_or_name} has {} problem{}:\n{}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            lines.join("\n")
        );
        scenario_error(py, message, &problems)
    })?;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    Ok((scenario, source))
}

/// What one replicate gives: the rows of summary, timeseries, flows,
/// neighbourhoods and (in runs of several years) yearly, each led by its
/// replicate; residents' rows with `microdata` (no header: the rows of all
/// replicates follow one header); and network_summary.csv's rows led by the
/// replicate, with their header.
struct ReplicateTables {
    rows: [CsvPart; 5],
    residents: Vec<u8>,
    /// residents_yearly.csv's rows, in a run of several years with `microdata`.
    residents_yearly: Vec<u8>,
    network: Vec<String>,
}

/// A replicate's rows of one table as CSV: the header line of its columns
/// (empty without rows) and the rows. Written as they are made, so that a
/// run of many years does not hold its flows as rows until the end.
struct CsvPart {
    header: Vec<u8>,
    body: Vec<u8>,
}

impl CsvPart {
    fn of(rows: impl IntoIterator<Item = Row>) -> Result<CsvPart, String> {
        let (header, body) = output::header_and_rows_csv(rows).map_err(|e| e.to_string())?;
        Ok(CsvPart { header, body })
    }
}

/// The replicates' parts of one table as one CSV text: the first header
/// found, else `template`'s (a table without rows is its columns, as the
/// command's file is), else nothing; then every replicate's rows.
fn joined_csv(parts: &[&CsvPart], template: Option<&Row>) -> Result<Vec<u8>, String> {
    let header = match parts.iter().find(|p| !p.header.is_empty()) {
        Some(part) => part.header.clone(),
        None => match template {
            Some(template) => {
                output::table_csv(template, std::iter::empty::<Row>()).map_err(|e| e.to_string())?
            }
            None => return Ok(Vec::new()),
        },
    };
    let mut text = header;
    for part in parts {
        text.extend_from_slice(&part.body);
    }
    Ok(text)
}

/// Why a replicate gave no tables.
enum Failed {
    /// Its run was stopped (Ctrl-C).
    Stopped,
    /// Its tables could not be made.
    Tables(String),
}

impl From<String> for Failed {
    fn from(message: String) -> Failed {
        Failed::Tables(message)
    }
}

fn replicate_tables(
    scenario: &Scenario,
    replicate: u32,
    microdata: bool,
    stop: &AtomicBool,
) -> Result<ReplicateTables, Failed> {
    let run = Run::execute_stoppable(scenario, microdata, stop, &mut |_| {})
        .map_err(|Stopped| Failed::Stopped)?;
    let residents = run.world().people.area_residents();
    let record = &run.record;
    let led = |rows: &mut dyn Iterator<Item = Row>| {
        CsvPart::of(rows.map(|row| row.with_first("replicate", replicate))).map_err(Failed::Tables)
    };
    let microdata = match &run.residents {
        Some(accounts) => accounts
            .write_csv(&run.engine, Some(replicate), false, Vec::new())
            .map_err(|e| format!("residents.csv: {e}"))?,
        None => Vec::new(),
    };
    let residents_yearly = match run
        .residents
        .as_ref()
        .and_then(|a| a.years.as_ref().map(|y| (a, y)))
    {
        Some((accounts, years)) => years
            .write_csv(
                &run.engine,
                &accounts.accounts,
                Some(replicate),
                false,
                Vec::new(),
            )
            .map_err(|e| format!("residents_yearly.csv: {e}"))?,
        None => Vec::new(),
    };
    let yearly = if output::is_multi_year(record.weeks.len()) {
        output::yearly_rows(scenario, &record.years, &record.year_figures, &record.weeks)
    } else {
        Vec::new()
    };
    let network = output::network_summary_csv(&run.network_summary)
        .map_err(|e| format!("network_summary.csv: {e}"))?;
    let network = String::from_utf8(network).map_err(|e| e.to_string())?;
    let network = network
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("replicate,{line}"),
            _ => format!("{replicate},{line}"),
        })
        .collect();
    Ok(ReplicateTables {
        rows: [
            led(&mut std::iter::once(output::summary_row(
                scenario, residents, record,
            )))?,
            led(&mut record.weeks.iter().map(output::timeseries_row))?,
            led(&mut output::flow_rows_by_week(record))?,
            led(&mut output::neighbourhood_rows(scenario, record).into_iter())?,
            led(&mut yearly.into_iter())?,
        ],
        residents: microdata,
        residents_yearly,
        network,
    })
}

/// The header `columns` with a replicate column, and the replicates' rows, as
/// one CSV text (residents.csv, residents_yearly.csv).
fn residents_text(columns: Vec<String>, per_replicate: &[Vec<u8>]) -> PyResult<String> {
    let mut text = std::iter::once("replicate".to_string())
        .chain(columns)
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for rows in per_replicate {
        text.push_str(std::str::from_utf8(rows).map_err(|e| PyValueError::new_err(e.to_string()))?);
    }
    Ok(text)
}

/// How often a running run's caller looks for Ctrl-C: quick enough that
/// KeyboardInterrupt feels immediate, rare enough to cost nothing.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// `work` on a worker thread while this thread, the GIL released, runs
/// Python's signal handlers every [`SIGNAL_POLL`]: PyO3 code that holds the
/// thread until a run ends would leave Ctrl-C unanswered for minutes. When a
/// handler raises (KeyboardInterrupt), `stop` is set, the worker is waited for
/// (its runs end at their next week) and the exception is raised, so nothing
/// of the run outlives the call.
fn interruptible<T: Send>(
    py: Python<'_>,
    stop: &AtomicBool,
    work: impl FnOnce() -> T + Send,
) -> PyResult<T> {
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel();
        scope.spawn(move || {
            // The receiver outlives the scope's threads; a failed send cannot happen.
            let _ = sender.send(work());
        });
        py.detach(move || {
            loop {
                match receiver.recv_timeout(SIGNAL_POLL) {
                    Ok(done) => return Ok(done),
                    Err(RecvTimeoutError::Timeout) => {}
                    // The worker panicked: the scope re-raises its panic.
                    Err(RecvTimeoutError::Disconnected) => {
                        return Err(PyRuntimeError::new_err("the run's thread failed"));
                    }
                }
                if let Err(signal) = Python::attach(|py| py.check_signals()) {
                    stop.store(true, Ordering::Relaxed);
                    // Err only if the worker panicked, which the scope re-raises.
                    let _ = receiver.recv();
                    return Err(signal);
                }
            }
        })
    })
}

/// The first of a memory refusal's (key path, problem, fix): no key path is at
/// fault, so it names what the refusal is about.
const MEMORY_PROBLEM: &str = "memory";

/// The run's memory estimate against `max_memory` or the memory available,
/// as `carenet run` checks it, before anything is built: a refusal is a
/// `ScenarioError` with the command's message.
fn check_memory(
    py: Python<'_>,
    scenario: &Scenario,
    (replicates, microdata): (u32, bool),
    max_memory: Option<&str>,
) -> PyResult<()> {
    let ceiling = max_memory
        .map(limits::parse_memory)
        .transpose()
        .map_err(|e| PyValueError::new_err(format!("max_memory: {e}")))?;
    let at_once = replicates::at_once(scenario.area_adults(), u64::from(replicates));
    let knobs = MemoryKnobs {
        threads: "replicates=",
        ceiling: "max_memory=",
        microdata: "microdata=True",
    };
    limits::check_memory(scenario, at_once, microdata, ceiling, knobs).map_err(|message| {
        let (problem, fix) = message.split_once("\n  fix: ").unwrap_or((&message, ""));
        // Filed under `memory`, what it is about: the area, its years, the
        // replicates at once and microdata all add to it, not the
        // neighbourhoods alone (QA 37: it was filed under `neighbourhood`, a
        // key path the user had not set and that has no fault). The message
        // starts with the scenario's name; the problem, like a key path's,
        // does not repeat it.
        let prefix = format!("{}: ", scenario.name);
        let problem = problem.strip_prefix(prefix.as_str()).unwrap_or(problem);
        let problem = Problem::new(MEMORY_PROBLEM, problem, fix);
        scenario_error(py, message.clone(), &[problem])
    })?;
    Ok(())
}

/// Runs a scenario's replicates (in parallel, the GIL released; Ctrl-C stops
/// them with KeyboardInterrupt) and returns summary, timeseries, flows,
/// neighbourhoods, yearly (empty in a run of one year) and network_summary as
/// CSV text (and residents, with `microdata`), and the resolved scenario as
/// TOML. A run whose memory estimate exceeds `max_memory` (e.g. "8G"), or the
/// memory available, is refused before anything is built.
#[pyfunction]
#[pyo3(signature = (scenario, set, seed, replicates, microdata=false, max_memory=None))]
fn run_tables(
    py: Python<'_>,
    scenario: &str,
    set: Vec<(String, Bound<'_, PyAny>)>,
    seed: Option<u64>,
    replicates: u32,
    microdata: bool,
    max_memory: Option<&str>,
) -> PyResult<(Vec<String>, String)> {
    if replicates == 0 {
        return Err(PyValueError::new_err("replicates must be 1 or more"));
    }
    let (scenario, _) = prepare(py, scenario, set, seed)?;
    check_memory(py, &scenario, (replicates, microdata), max_memory)?;
    let resolved = toml::to_string(&scenario).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let stop = AtomicBool::new(false);
    let per_replicate: Vec<ReplicateTables> = interruptible(py, &stop, || {
        map_replicates(&[&scenario], replicates, |_, r, seeded| {
            replicate_tables(seeded, r, microdata, &stop)
        })
    })?
    .map_err(|failed| match failed {
        Failed::Tables(message) => PyValueError::new_err(message),
        // Only a signal sets the flag, and interruptible raised its exception.
        Failed::Stopped => PyRuntimeError::new_err("the run was stopped"),
    })?;
    // The headers, so that a table without rows (no flows in a tiny run) is
    // an empty frame with its columns, as the command line's file is; yearly
    // is empty text in a run of one year (the command writes no yearly.csv).
    let empty = Default::default();
    let templates = output::outcome_tables(&scenario, 0, &empty);
    let mut headers: Vec<Option<Row>> = [3, 0, 1, 2]
        .map(|i| Some(templates[i].1.template.clone().with_first("replicate", 0)))
        .into();
    headers.push(None);
    let mut tables = Vec::with_capacity(7);
    for (table, header) in headers.iter().enumerate() {
        let parts: Vec<&CsvPart> = per_replicate.iter().map(|t| &t.rows[table]).collect();
        let bytes = joined_csv(&parts, header.as_ref()).map_err(PyValueError::new_err)?;
        tables.push(String::from_utf8(bytes).map_err(|e| PyValueError::new_err(e.to_string()))?);
    }
    let mut network = Vec::new();
    for (r, replicate) in per_replicate.iter().enumerate() {
        let skip = usize::from(r > 0); // one header
        network.extend(replicate.network.iter().skip(skip).cloned());
    }
    tables.push(network.join("\n") + "\n");
    if microdata {
        let (rows, years): (Vec<Vec<u8>>, Vec<Vec<u8>>) = per_replicate
            .into_iter()
            .map(|t| (t.residents, t.residents_yearly))
            .unzip();
        tables.push(residents_text(output::resident_columns(), &rows)?);
        // Empty text in a run of one year, as for yearly.
        let several_years = output::is_multi_year(scenario.weeks as usize);
        tables.push(if several_years {
            residents_text(output::residents_yearly_columns(), &years)?
        } else {
            String::new()
        });
    }
    Ok((tables, resolved))
}

/// The scenario with `set` and `seed` applied, as the TOML a run records in
/// its scenario.toml (to run the same with the command line).
#[pyfunction]
#[pyo3(signature = (scenario, set, seed))]
fn resolved_toml(
    py: Python<'_>,
    scenario: &str,
    set: Vec<(String, Bound<'_, PyAny>)>,
    seed: Option<u64>,
) -> PyResult<String> {
    let (scenario, _) = prepare(py, scenario, set, seed)?;
    toml::to_string(&scenario).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Checks a scenario file or built-in name, or an experiment file (told apart
/// as `carenet check` tells them: a `design`, `[[parameter]]` tables or a
/// `scenario`), as `sweep` would before running it; returns a one-line
/// description, or raises `ScenarioError` listing every problem.
#[pyfunction]
fn check(py: Python<'_>, path: &str) -> PyResult<String> {
    if let Ok(text) = std::fs::read_to_string(path)
        && looks_like_experiment(&text)
    {
        return check_experiment(py, path);
    }
    let (scenario, source) = builtin::resolve(path).map_err(|e| from_scenario_error(py, &e))?;
    Ok(format!("ok: {source} ({})", scenario.outline()))
}

/// An experiment file as `carenet check` checks it: its settings, its
/// scenario and every point of its design. The problems of the file come
/// first, then those of its scenario when that cannot be used.
fn check_experiment(py: Python<'_>, path: &str) -> PyResult<String> {
    let plan = Plan::load(std::path::Path::new(path)).map_err(|e| {
        let mut problems = e.problems().to_vec();
        match &e {
            PlanError::Problems {
                scenario: Some(scenario),
                ..
            } => problems.extend(scenario.problems().iter().cloned()),
            PlanError::Scenario(scenario) => problems.extend(scenario.problems().iter().cloned()),
            _ => {}
        }
        scenario_error(py, e.to_string(), &problems)
    })?;
    Ok(format!(
        "ok: {path} (experiment \"{}\": {})",
        plan.file.name,
        plan.runs_described()
    ))
}

/// The built-in scenarios as (name, text), the baseline first.
#[pyfunction]
fn builtin_scenarios() -> Vec<(&'static str, &'static str)> {
    builtin::ALL.to_vec()
}

/// The seed of replicate `r` (from 1) of a scenario with seed `base`, as
/// `carenet run --replicates` and `carenet.run` derive it.
#[pyfunction(name = "replicate_seed")]
fn seed_of_replicate(base: u64, r: u32) -> u64 {
    replicate_seed(base, r)
}

/// The columns of yearly.csv for the scenario `file_or_name` with `set`
/// applied, in order; none where its run reports 52 weeks or fewer (no
/// yearly.csv). The EMA model checks its yearly outcomes against them.
#[pyfunction]
#[pyo3(signature = (scenario, set))]
fn yearly_columns(
    py: Python<'_>,
    scenario: &str,
    set: Vec<(String, Bound<'_, PyAny>)>,
) -> PyResult<Vec<String>> {
    let (scenario, _) = prepare(py, scenario, set, None)?;
    if !output::is_multi_year(scenario.weeks as usize) {
        return Ok(Vec::new());
    }
    Ok(output::yearly_template(&scenario)
        .0
        .into_iter()
        .map(|(column, _)| column)
        .collect())
}

/// Whether the key at `path` of the scenario `file_or_name`, with `set`
/// applied, takes whole numbers; None where the path reaches no value. The
/// EMA model makes an integer or a real parameter by it.
#[pyfunction]
#[pyo3(signature = (scenario, set, path))]
fn takes_whole_numbers(
    py: Python<'_>,
    scenario: &str,
    set: Vec<(String, Bound<'_, PyAny>)>,
    path: &str,
) -> PyResult<Option<bool>> {
    let (scenario, _) = prepare(py, scenario, set, None)?;
    Ok(carenet::scenario::takes_whole_numbers(&scenario, path))
}

/// The columns of summary.csv for the scenario `file_or_name`, in order (the
/// scenario decides some, e.g. one per neighbourhood).
#[pyfunction]
fn summary_columns(py: Python<'_>, scenario: &str) -> PyResult<Vec<String>> {
    let (scenario, _) = prepare(py, scenario, Vec::new(), None)?;
    let empty = Default::default();
    let templates = output::outcome_tables(&scenario, 0, &empty);
    Ok(templates[3]
        .1
        .template
        .0
        .iter()
        .map(|(column, _)| column.clone())
        .collect())
}

#[pymodule]
fn _carenet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add_function(wrap_pyfunction!(run_tables, m)?)?;
    m.add_function(wrap_pyfunction!(resolved_toml, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(builtin_scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(seed_of_replicate, m)?)?;
    m.add_function(wrap_pyfunction!(summary_columns, m)?)?;
    m.add_function(wrap_pyfunction!(yearly_columns, m)?)?;
    m.add_function(wrap_pyfunction!(takes_whole_numbers, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
