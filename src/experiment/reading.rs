//! Reading an experiment file with every problem found at once, as scenario
//! files are read (`scenario::load`): each problem names the file, the line
//! and column or key path, what is wrong and the fix, in the order of the file.
//!
//! Serde stops at the first wrong key, so each key of the file (and of each
//! `[[parameter]]`) is read on its own, beside stand-ins for the required
//! keys; the keys that read make the file whose settings, scenario and design
//! are then checked. A check that needs a key which did not read is left out
//! rather than reported again.

use std::collections::BTreeSet;
use std::path::Path;

use toml::{Table, Value};

use super::plan::{
    Design, DesignRows, ExperimentFile, MAX_REPLICATES, MAX_RUNS, MIN_MORRIS_TRAJECTORIES,
    MIN_SOBOL_SAMPLES, Parameter, Point, design_size,
};
use crate::scenario::overrides::{Override, apply_or_problems};
use crate::scenario::{
    self, Problem, Scenario, ScenarioError, line_column, locate, path_problem, problem_from_syntax,
    problem_from_toml,
};

/// Most problems listed: a design of many points can repeat one mistake at
/// every point, and more than this is no longer a list to read.
const MAX_PROBLEMS: usize = 64;

/// The required keys, and the stand-in each is read beside.
const REQUIRED: [(&str, &str, &str); 3] = [
    (
        "name",
        "stand-in",
        "name = \"cohesion-sweep\" (it names the results folder)",
    ),
    (
        "scenario",
        "baseline",
        "scenario = \"baseline\" (a scenario file relative to this file, or a built-in scenario's name)",
    ),
    (
        "design",
        "grid",
        "design = \"grid\" (grid, points, latin_hypercube, morris, sobol or file)",
    ),
];

/// What was read of an experiment file.
pub(super) struct Reading {
    /// The keys that read (stand-ins for the required keys that did not).
    pub file: ExperimentFile,
    /// Top-level keys, and `parameter[i]` entries, that did not read or are
    /// missing: checks that need them are left out.
    unusable: BTreeSet<String>,
    /// Top-level keys the file writes (a key it leaves out has its default).
    written: BTreeSet<String>,
    pub problems: Vec<Problem>,
}

impl Reading {
    pub(super) fn usable(&self, key: &str) -> bool {
        !self.unusable.contains(key)
    }

    pub(super) fn written(&self, key: &str) -> bool {
        self.written.contains(key)
    }
}

/// Reads `text` key by key; `Err` with its problems if nothing can be
/// checked beyond them (it is not TOML).
pub(super) fn read(text: &str) -> Result<Reading, Vec<Problem>> {
    let table: Table = text.parse().map_err(|error: toml::de::Error| {
        vec![problem_from_syntax(&error, text, &holds_whole_number)]
    })?;
    let mut problems = Vec::new();
    let mut unusable = BTreeSet::new();
    let mut clean = Table::new();
    for (key, value) in &table {
        if key == "parameter"
            && let Value::Array(entries) = value
        {
            clean.insert(
                key.clone(),
                read_parameters(entries, &mut problems, &mut unusable),
            );
            continue;
        }
        match key_error(key, value) {
            None => {
                clean.insert(key.clone(), value.clone());
            }
            Some(error) => {
                let mut problem = unknown_design(key, value).unwrap_or_else(|| Problem {
                    path: key.clone(),
                    ..problem_from_toml(&error, None)
                });
                if matches!(key.as_str(), "parameter" | "point") && value.is_table() {
                    problem.fix =
                        format!("write [[{key}]] with double brackets, one table per {key}");
                }
                problems.push(problem);
                unusable.insert(key.clone());
            }
        }
    }
    for (key, stand_in, example) in REQUIRED {
        if clean.contains_key(key) {
            continue;
        }
        if !table.contains_key(key) {
            problems.push(Problem::new(
                "",
                format!("the key `{key}` is missing"),
                format!("add a line {example}"),
            ));
        }
        unusable.insert(key.to_string());
        clean.insert(key.to_string(), Value::String(stand_in.to_string()));
    }
    // Every key read on its own: their sum reads too, or its error is one
    // more problem.
    let file = match Value::Table(clean).try_into::<ExperimentFile>() {
        Ok(file) => file,
        Err(error) => {
            problems.push(problem_from_toml(&error, None));
            return Err(problems);
        }
    };
    Ok(Reading {
        file,
        unusable,
        written: table.keys().cloned().collect(),
        problems,
    })
}

/// The designs, each with what it is, in the order the README lists them.
const DESIGNS: [(&str, &str); 6] = [
    ("grid", "every combination of the parameters' `values`"),
    ("points", "the `[[point]]` tables as written"),
    (
        "latin_hypercube",
        "`samples` points between each parameter's `low` and `high`",
    ),
    ("morris", "elementary effects, for `carenet sensitivity`"),
    ("sobol", "Sobol indices, for `carenet sensitivity`"),
    ("file", "the points of a CSV file"),
];

/// Names other tools (SALib, the EMA Workbench, textbooks) give a design that
/// carenet names otherwise.
const OTHER_DESIGN_NAMES: [(&str, &str); 9] = [
    ("lhs", "latin_hypercube"),
    ("latin", "latin_hypercube"),
    ("full_factorial", "grid"),
    ("factorial", "grid"),
    ("list", "points"),
    ("saltelli", "sobol"),
    ("elementary_effects", "morris"),
    ("csv", "file"),
    ("samples", "file"),
];

/// An unknown `design` (`design = "lhs"`) as one problem that says it is not a
/// design, the design meant and what each design is. QA 38: it was serde's
/// "unknown variant `lhs`" with the bare list of names.
fn unknown_design(key: &str, value: &Value) -> Option<Problem> {
    let written = value.as_str().filter(|_| key == "design")?;
    if DESIGNS.iter().any(|(name, _)| *name == written) {
        return None;
    }
    let bare = written.trim().to_lowercase().replace(['-', ' '], "_");
    let names: Vec<&str> = DESIGNS.iter().map(|(name, _)| *name).collect();
    let meant = OTHER_DESIGN_NAMES
        .iter()
        .find(|(other, _)| *other == bare)
        .map(|(_, ours)| *ours)
        .or_else(|| names.iter().find(|name| **name == bare).copied())
        .or_else(|| scenario::closest(&bare, &names));
    let listed: Vec<String> = DESIGNS
        .iter()
        .map(|(name, what)| format!("{name} ({what})"))
        .collect();
    let fix = match meant {
        Some(name) => format!(
            "did you mean design = \"{name}\"? the designs are {}",
            listed.join(", ")
        ),
        None => format!("write one of the designs: {}", listed.join(", ")),
    };
    Some(Problem::new(
        "design",
        format!("\"{written}\" is not a design carenet knows"),
        fix,
    ))
}

/// The `[[parameter]]` entries with the keys that read; an entry with a key
/// that does not is unusable (a stand-in path keeps the others' indices).
fn read_parameters(
    entries: &[Value],
    problems: &mut Vec<Problem>,
    unusable: &mut BTreeSet<String>,
) -> Value {
    let mut clean = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let here = format!("parameter[{i}]");
        let mut kept = Table::new();
        let mut wrong = false;
        match entry {
            Value::Table(keys) => {
                for (key, value) in keys {
                    let mut alone = Table::new();
                    if key != "path" {
                        alone.insert("path".into(), Value::String("stand-in".into()));
                    }
                    alone.insert(key.clone(), value.clone());
                    match key_error("parameter", &Value::Array(vec![Value::Table(alone)])) {
                        None => {
                            kept.insert(key.clone(), value.clone());
                        }
                        Some(error) => {
                            // An unknown key is left out; the entry reads
                            // without it.
                            wrong |= !error.message().starts_with("unknown field");
                            problems.push(Problem {
                                path: format!("{here}.{key}"),
                                ..problem_from_toml(&error, None)
                            });
                        }
                    }
                }
                if !keys.contains_key("path") {
                    wrong = true;
                    problems.push(Problem::new(
                        here.clone(),
                        "this parameter has no `path`",
                        "add the key path it varies, e.g. path = \"neighbourhood[*].cohesion\"",
                    ));
                }
            }
            _ => {
                wrong = true;
                problems.push(Problem::new(
                    here.clone(),
                    format!("a parameter is a table, not {}", entry.type_str()),
                    "write each parameter as a [[parameter]] table with `path` and `values` \
                     (or `low` and `high`)",
                ));
            }
        }
        if wrong {
            unusable.insert(here);
            kept.insert("path".into(), Value::String("stand-in".into()));
        }
        clean.push(Value::Table(kept));
    }
    Value::Array(clean)
}

/// Whether the key at `path` of an experiment file takes whole numbers: a
/// setting of its own (`replicates`), read beside stand-ins, or a scenario
/// key a `[[point]]` sets (`point[0].weeks`).
fn holds_whole_number(path: &str) -> bool {
    if let Some((_, scenario_key)) = path
        .strip_prefix("point[")
        .and_then(|rest| rest.split_once("]."))
    {
        return scenario::holds_whole_number(scenario_key);
    }
    !path.contains(['.', '['])
        && key_error(path, &Value::Float(0.5)).is_some_and(|error| {
            let message = error.message();
            message.contains("expected u") || message.contains("expected i")
        })
}

/// Why `key = value` is not an experiment file's key, read beside stand-ins
/// for the required keys; None if it reads.
fn key_error(key: &str, value: &Value) -> Option<toml::de::Error> {
    let mut alone = Table::new();
    for (required, stand_in, _) in REQUIRED {
        alone.insert(required.into(), Value::String(stand_in.into()));
    }
    alone.insert(key.into(), value.clone());
    Value::Table(alone).try_into::<ExperimentFile>().err()
}

/// The checks of the settings that read: name, replicates, samples, the
/// design's own needs and the number of runs.
pub(super) fn check_settings(reading: &Reading, dir: &Path) -> Vec<Problem> {
    let mut problems = name_and_replicates_problems(reading);
    if !reading.usable("design") {
        return problems;
    }
    problems.extend(samples_problem(reading));
    problems.extend(levels_problem(reading));
    problems.extend(design_problems(reading));
    problems.extend(varied_key_problems(reading));
    let points = design_points(reading, dir, &mut problems);
    problems.extend(runs_problem(reading, points));
    problems
}

fn name_and_replicates_problems(reading: &Reading) -> Vec<Problem> {
    let file = &reading.file;
    let mut problems = Vec::new();
    if reading.usable("name")
        && let Err((message, fix)) = name_problem(&file.name)
    {
        problems.push(Problem::new("name", message, fix));
    }
    if reading.usable("replicates") && !(1..=MAX_REPLICATES).contains(&file.replicates) {
        problems.push(Problem::new(
            "replicates",
            format!("`replicates` is {}", file.replicates),
            format!("set it from 1 to {MAX_REPLICATES}"),
        ));
    }
    problems
}

/// The fewest samples the design needs for defined indices.
fn fewest_samples(design: Design) -> usize {
    match design {
        Design::Morris => MIN_MORRIS_TRAJECTORIES,
        Design::Sobol => MIN_SOBOL_SAMPLES,
        Design::LatinHypercube => 1,
        Design::Grid | Design::Points | Design::File => 0,
    }
}

fn samples_problem(reading: &Reading) -> Option<Problem> {
    let file = &reading.file;
    let fewest = fewest_samples(file.design);
    if !reading.usable("samples") || file.samples >= fewest {
        return None;
    }
    let design = design_name(file.design);
    // QA 36: a file without `samples` was told "`samples` is 0", a number
    // it never wrote.
    Some(if reading.written("samples") {
        Problem::new(
            "samples",
            format!(
                "`samples` is {}; design \"{design}\" needs at least {fewest} (fewer give undefined indices)",
                file.samples
            ),
            format!("set `samples` to {fewest} or more"),
        )
    } else {
        Problem::new(
            "samples",
            format!("`samples` is missing; design \"{design}\" needs at least {fewest}"),
            format!("add a line `samples = N` with N {fewest} or more"),
        )
    })
}

fn levels_problem(reading: &Reading) -> Option<Problem> {
    let file = &reading.file;
    let odd_levels = file.levels < 2 || !file.levels.is_multiple_of(2);
    (file.design == Design::Morris && reading.usable("levels") && odd_levels).then(|| {
        Problem::new(
            "levels",
            format!(
                "`levels` is {}; a Morris design needs an even number of levels",
                file.levels
            ),
            "set `levels` to an even number of 2 or more, e.g. 4",
        )
    })
}

/// What the chosen design needs of its [[parameter]], [[point]] or `file`.
fn design_problems(reading: &Reading) -> Vec<Problem> {
    match reading.file.design {
        Design::Grid => grid_problems(reading),
        Design::LatinHypercube | Design::Morris | Design::Sobol => sampled_design_problems(reading),
        Design::Points => points_problems(reading),
        Design::File => file_design_problems(reading),
    }
}

fn grid_problems(reading: &Reading) -> Vec<Problem> {
    let file = &reading.file;
    let mut problems = Vec::new();
    if reading.usable("parameter") && file.parameters.is_empty() {
        problems.push(Problem::new(
            "design",
            "a grid needs at least one [[parameter]] with `values`",
            "add a [[parameter]] table with `path` and `values = [...]`",
        ));
    }
    for (i, p) in file.parameters.iter().enumerate() {
        if reading.usable(&format!("parameter[{i}]")) && p.values.is_empty() {
            problems.push(Problem::new(
                format!("parameter[{i}]"),
                format!("parameter `{}` has no `values` for the grid", p.path),
                "give it the values to run, e.g. values = [0.2, 0.5, 0.8]",
            ));
        }
    }
    problems
}

fn sampled_design_problems(reading: &Reading) -> Vec<Problem> {
    let file = &reading.file;
    let mut problems = Vec::new();
    if reading.usable("parameter") && file.parameters.is_empty() {
        problems.push(Problem::new(
            "design",
            format!(
                "design \"{}\" needs at least one [[parameter]] with `low` and `high`",
                design_name(file.design)
            ),
            "add a [[parameter]] table with `path`, `low` and `high`",
        ));
    }
    problems.extend(range_problems(reading, |p| {
        (
            format!(
                "parameter `{}` needs `low` and `high` for design \"{}\"",
                p.path,
                design_name(file.design)
            ),
            "add the range it is sampled from, e.g. low = 0.1 and high = 0.9".into(),
        )
    }));
    problems
}

fn points_problems(reading: &Reading) -> Vec<Problem> {
    let file = &reading.file;
    let mut problems = Vec::new();
    if reading.usable("point") && file.points.is_empty() {
        problems.push(Problem::new(
            "design",
            "design \"points\" needs [[point]] tables",
            "add a [[point]] table per point, each setting the same key paths",
        ));
    }
    let columns = point_columns(&file.points);
    for (i, point) in file.points.iter().enumerate() {
        for column in &columns {
            if !point.contains_key(*column) {
                problems.push(Problem::new(
                    format!("point[{i}]"),
                    format!("point {i} does not set `{column}`; every point sets every column"),
                    format!("add \"{column}\" = ... to this point, or take it out of the others"),
                ));
            }
        }
    }
    problems
}

/// Every key any point sets, in the order first set.
fn point_columns(points: &[Table]) -> Vec<&String> {
    let mut columns: Vec<&String> = Vec::new();
    for point in points {
        for key in point.keys() {
            if !columns.contains(&key) {
                columns.push(key);
            }
        }
    }
    columns
}

fn file_design_problems(reading: &Reading) -> Vec<Problem> {
    let file = &reading.file;
    // [[parameter]] tables of a file design only state the ranges the
    // sample was drawn from, for salib_problem.json (QA 30).
    let mut problems = range_problems(reading, |p| {
        (
            format!(
                "parameter `{}` of design \"file\" needs `low` and `high`: they \
                 state the range its column was sampled from (for \
                 salib_problem.json); the values come from the file",
                p.path
            ),
            "add low = ... and high = ... as given to SALib or the EMA Workbench, \
             or leave out this [[parameter]] table"
                .into(),
        )
    });
    if reading.usable("file") && file.file.is_none() {
        problems.push(Problem::new(
            "design",
            "design \"file\" needs `file`, the CSV of points (one column per key path)",
            "add a line file = \"points.csv\" (relative to this experiment file)",
        ));
    }
    problems
}

/// The design's size: a design file's rows, or as counted without drawing;
/// None if it cannot be known. Reading the design file adds its problems.
fn design_points(reading: &Reading, dir: &Path, problems: &mut Vec<Problem>) -> Option<u64> {
    let file = &reading.file;
    let parameters_usable = reading.usable("parameter")
        && (0..file.parameters.len()).all(|i| reading.usable(&format!("parameter[{i}]")));
    match (file.design, &file.file) {
        (Design::File, Some(name)) if reading.usable("file") => {
            design_file_rows(reading, &dir.join(name), problems)
        }
        (Design::File, _) => None,
        _ if parameters_usable && reading.usable("point") => Some(design_size(file)),
        _ => None,
    }
}

fn design_file_rows(reading: &Reading, path: &Path, problems: &mut Vec<Problem>) -> Option<u64> {
    match super::salib::read_design_file(path) {
        Ok((columns, rows)) => {
            if columns.iter().any(|c| c == SEED) {
                problems.push(seed_problem("file".into(), design_file(&reading.file)));
            }
            if reading.usable("parameter") {
                problems.extend(declared_ranges_problems(reading, &columns, &rows));
            }
            Some(rows.len() as u64)
        }
        Err(unread) => {
            problems.push(Problem::new("file", unread.message, unread.fix));
            None
        }
    }
}

fn runs_problem(reading: &Reading, points: Option<u64>) -> Option<Problem> {
    let runs = points.map(|points| points.saturating_mul(u64::from(reading.file.replicates)));
    let runs = runs.filter(|runs| *runs > MAX_RUNS && reading.usable("replicates"))?;
    Some(Problem::new(
        "replicates",
        format!(
            "the experiment has {runs} runs (points × replicates); at most {MAX_RUNS} are allowed"
        ),
        "lower `samples`, the grid's values, the design file's rows or `replicates`, \
         or split it into several experiments",
    ))
}

/// The one key path a design may not vary.
const SEED: &str = "seed";

/// A design's `seed` would be set and then replaced unseen: every run takes
/// the seed of its replicate, the same at every point (common random numbers).
fn seed_problem(path: String, source: String) -> Problem {
    Problem::new(
        path,
        format!(
            "{source} varies `{SEED}`, but every run takes its replicate's seed (derived \
             from the scenario's, the same at every point), so these values would be replaced"
        ),
        "take `seed` out of the design: for runs with other seeds raise `replicates`; for \
         another base seed set `seed` in the scenario, or pass --set seed=S",
    )
}

/// The key paths of the [[parameter]] tables and [[point]] tables that no
/// design may have: `seed`, and a path of two [[parameter]] tables (the
/// second's values would replace the first's at every point).
fn varied_key_problems(reading: &Reading) -> Vec<Problem> {
    let file = &reading.file;
    let mut problems = Vec::new();
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, p) in file.parameters.iter().enumerate() {
        if !reading.usable(&format!("parameter[{i}]")) {
            continue;
        }
        let here = format!("parameter[{i}].path");
        if p.path == SEED {
            problems.push(seed_problem(here.clone(), format!("parameter[{i}]")));
        }
        match seen.iter().find(|(path, _)| *path == p.path) {
            Some((_, first)) => problems.push(Problem::new(
                here,
                format!(
                    "`{}` has a [[parameter]] table already (parameter[{first}])",
                    p.path
                ),
                "give each key path one [[parameter]] table: put all its values, or its \
                 range, in the first and remove this one",
            )),
            None => seen.push((&p.path, i)),
        }
    }
    if reading.usable("point")
        && let Some(i) = file.points.iter().position(|p| p.contains_key(SEED))
    {
        problems.push(seed_problem(
            format!("point[{i}].{SEED}"),
            format!("point[{i}]"),
        ));
    }
    problems
}

/// Each readable [[parameter]]'s `low` below its `high`; one without both
/// gets the design's own message and fix (`missing`).
fn range_problems(
    reading: &Reading,
    missing: impl Fn(&Parameter) -> (String, String),
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, p) in reading.file.parameters.iter().enumerate() {
        if !reading.usable(&format!("parameter[{i}]")) {
            continue;
        }
        match (p.low, p.high) {
            (Some(low), Some(high)) if low < high => {}
            (Some(low), Some(high)) => problems.push(Problem::new(
                format!("parameter[{i}].low"),
                format!("`low` = {low} is not below `high` = {high}"),
                "give the range's lower end as `low` and its upper end as `high`",
            )),
            _ => {
                let (message, fix) = missing(p);
                problems.push(Problem::new(format!("parameter[{i}]"), message, fix));
            }
        }
    }
    problems
}

/// How the problem of a design file's [[parameter]] that names no column
/// of the file says so.
pub(super) const NOT_A_COLUMN: &str = " is not a column of ";

/// The [[parameter]] ranges of a design file's columns: each names a column of
/// the file, and the file's values lie within it (else SALib, told these
/// bounds by salib_problem.json, would analyse another sample than was run).
fn declared_ranges_problems(
    reading: &Reading,
    columns: &[String],
    rows: &[Vec<(String, Value)>],
) -> Vec<Problem> {
    let file = &reading.file;
    let mut problems = Vec::new();
    for (i, p) in file.parameters.iter().enumerate() {
        if !reading.usable(&format!("parameter[{i}]")) {
            continue;
        }
        let Some(c) = columns.iter().position(|column| *column == p.path) else {
            problems.push(Problem::new(
                format!("parameter[{i}].path"),
                format!(
                    "`{}`{NOT_A_COLUMN}{}, whose columns are {}",
                    p.path,
                    design_file(file),
                    columns
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "give the key path of a column as the file's first line writes it",
            ));
            continue;
        };
        let (Some(low), Some(high)) = (p.low, p.high) else {
            continue;
        };
        if low >= high {
            continue; // said by check_settings
        }
        let outside = rows.iter().enumerate().find_map(|(id, row)| {
            let number = match row.get(c).map(|(_, v)| v) {
                Some(Value::Float(x)) => *x,
                Some(Value::Integer(n)) => *n as f64,
                _ => return None,
            };
            (number < low || number > high).then_some((id, number))
        });
        if let Some((id, number)) = outside {
            problems.push(Problem::new(
                format!("parameter[{i}]"),
                format!(
                    "{}, point {id} (line {}) has `{}` = {number}, outside `low` = {low} to \
                     `high` = {high}",
                    design_file(file),
                    id + 2,
                    p.path
                ),
                "give the range the sample was drawn from (the bounds given to SALib or the \
                 EMA Workbench), or correct the file",
            ));
        }
    }
    problems
}

/// An experiment's name names its folder under results/: letters, digits, '-',
/// '_' and '.', not starting with '.', so it cannot point outside results/.
fn name_problem(name: &str) -> Result<(), (String, String)> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.len() > 100 || name.starts_with('.') || !name.chars().all(plain) {
        return Err((
            format!("`name` \"{name}\" cannot name a results folder"),
            "use up to 100 letters, digits, '-', '_' or '.', not starting with '.' \
             (no '/' or '..'), e.g. name = \"cohesion-sweep\""
                .into(),
        ));
    }
    Ok(())
}

/// The design's name as the file writes it.
fn design_name(design: Design) -> String {
    serde_json::to_value(design)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The experiment's scenario: a file relative to the experiment file or, if
/// there is no such file, a built-in scenario of that name.
pub(super) fn base_scenario(experiment: &Path, scenario: &Path) -> Result<Scenario, ScenarioError> {
    let path = experiment.parent().unwrap_or(Path::new(".")).join(scenario);
    match scenario.to_str() {
        Some(name) if !path.exists() && scenario::builtin::text(name).is_some() => {
            scenario::builtin::load(name)
        }
        _ => scenario::load_file(&path),
    }
}

/// The problem of a scenario that cannot be used, at the `scenario` key.
pub(super) fn scenario_problem(error: &ScenarioError) -> Problem {
    match error {
        ScenarioError::Read { path, source } => Problem::new(
            "scenario",
            format!("cannot read the scenario file {}: {source}", path.display()),
            "give a scenario file relative to this experiment file, or the name of a \
             built-in scenario (`carenet list`)",
        ),
        ScenarioError::Invalid { file, problems } => Problem::new(
            "scenario",
            format!(
                "the scenario {file} has {} {} (listed below)",
                problems.len(),
                if problems.len() == 1 {
                    "problem"
                } else {
                    "problems"
                }
            ),
            format!("fix the scenario file (`carenet check {file}` lists them)"),
        ),
    }
}

/// Where a design's value is written, to place a problem found with it.
#[derive(Debug, Clone)]
enum Source {
    /// `parameter[i].values[j]`, `parameter[i].low`: a key path in the file.
    Key(String),
    /// A key of a `[[point]]` table (it may hold dots): its table and key.
    PointKey(usize, String),
    /// A cell of the design file: the point (its line is the point + 2).
    Row(usize),
    /// A column of the design file: its key path.
    Column(String),
}

/// The key paths the file's parameters and points vary that the base
/// scenario does not have, each once (a wrong one would be wrong at every
/// point), and those key paths.
pub(super) fn check_paths(reading: &Reading, base: &Scenario) -> (Vec<Problem>, Vec<String>) {
    let file = &reading.file;
    let mut columns: Vec<&String> = Vec::new();
    for (i, p) in file.parameters.iter().enumerate() {
        if reading.usable(&format!("parameter[{i}]")) && !columns.contains(&&p.path) {
            columns.push(&p.path);
        }
    }
    if reading.usable("point") {
        for point in &file.points {
            for key in point.keys() {
                if !columns.contains(&key) {
                    columns.push(key);
                }
            }
        }
    }
    let mut problems = Vec::new();
    let mut wrong = Vec::new();
    for column in columns {
        if let Some(problem) = path_problem(base, column) {
            let source = column_source(file, column);
            problems.push(placed_at(&source, problem.message, problem.fix, file));
            wrong.push(column.clone());
        }
    }
    (problems, wrong)
}

/// Whether the settings the design is drawn from read and passed their
/// checks, so that its points can be drawn: `problems` are those found so far.
pub(super) fn design_ready(reading: &Reading, problems: &[Problem]) -> bool {
    let design_keys = ["design", "parameter", "point", "file", "samples", "levels"];
    let of_the_design = |path: &str| {
        design_keys.iter().any(|key| {
            path == *key
                || path.starts_with(&format!("{key}["))
                || path.starts_with(&format!("{key}."))
        })
    };
    design_keys.iter().all(|key| reading.usable(key))
        && (0..reading.file.parameters.len()).all(|i| reading.usable(&format!("parameter[{i}]")))
        && !problems.iter().any(|p| {
            // An unknown key was left out: the design reads without it.
            let unknown = p.message.starts_with("unknown field");
            p.path.is_empty() || (of_the_design(&p.path) && !unknown)
        })
}

/// Each value the file writes, set alone in the base scenario, for a file
/// whose points cannot be drawn: what is wrong with a value whatever the
/// other columns are (a key that takes another kind of value, a value out of
/// its key's range). Problems that could come from the other columns of its
/// point are left to the check of the points.
pub(super) fn check_values_alone(
    reading: &Reading,
    base: &Scenario,
    wrong: &[String],
) -> Vec<Problem> {
    let file = &reading.file;
    let mut problems = Vec::new();
    let mut check = |source: Source, column: &str, value: &Value| {
        let set = [Override::new(column.to_string(), value.clone())];
        if let Err(found) = apply_or_problems(base, &set) {
            for problem in found {
                if problem.path.is_empty() || is_set_by(column, &problem.path) {
                    problems.push(setting_problem(&source, column, value, problem, file));
                }
            }
        }
    };
    for (i, p) in file.parameters.iter().enumerate() {
        if !reading.usable(&format!("parameter[{i}]")) || wrong.contains(&p.path) {
            continue;
        }
        for (j, value) in p.values.iter().enumerate() {
            check(
                Source::Key(format!("parameter[{i}].values[{j}]")),
                &p.path,
                value,
            );
        }
        for (end, value) in [("low", p.low), ("high", p.high)] {
            if let Some(value) = value {
                let value = if p.integer {
                    Value::Integer(value.round() as i64)
                } else {
                    Value::Float(value)
                };
                check(
                    Source::Key(format!("parameter[{i}].{end}")),
                    &p.path,
                    &value,
                );
            }
        }
    }
    if reading.usable("point") {
        for (i, point) in file.points.iter().enumerate() {
            for (key, value) in point {
                if !wrong.contains(key) {
                    check(Source::PointKey(i, key.clone()), key, value);
                }
            }
        }
    }
    once_each(problems)
}

/// Checks the design's values against the base scenario, point by point, and
/// makes its points; every problem, placed where its value is written, or
/// the points if there are none. `rows` are the design's rows; the key paths
/// `wrong` were found wrong already and are not set.
pub(super) fn check_points(
    file: &ExperimentFile,
    base: &Scenario,
    (columns, rows): DesignRows,
    wrong: &[String],
) -> Result<Vec<Point>, Vec<Problem>> {
    let (wrong_columns, mut problems) = column_problems(file, base, &columns, wrong);
    if matches!(
        file.design,
        Design::LatinHypercube | Design::Morris | Design::Sobol
    ) {
        problems.extend(range_end_problems(file, base, &wrong_columns));
        if !problems.is_empty() {
            return Err(once_each(problems));
        }
    }
    let mut points = Vec::with_capacity(rows.len());
    for (id, values) in rows.into_iter().enumerate() {
        let set: Vec<Override> = values
            .iter()
            .filter(|(column, _)| !wrong_columns.contains(column))
            .map(|(column, value)| Override::new(column.clone(), value.clone()))
            .collect();
        match apply_or_problems(base, &set) {
            Ok(scenario) if problems.is_empty() => points.push(Point {
                id,
                values,
                scenario,
            }),
            Ok(_) => {}
            Err(found) => {
                for problem in found {
                    problems.push(point_problem(file, id, &values, problem));
                }
                problems = once_each(problems);
                if problems.len() >= MAX_PROBLEMS {
                    break;
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(points)
    } else {
        Err(problems)
    }
}

/// The design's key paths not in the base scenario, found only now for a
/// design file: all the wrong key paths (`wrong` and these), and a problem
/// for each of these.
fn column_problems(
    file: &ExperimentFile,
    base: &Scenario,
    columns: &[String],
    wrong: &[String],
) -> (Vec<String>, Vec<Problem>) {
    let mut problems: Vec<Problem> = Vec::new();
    let mut wrong_columns = wrong.to_vec();
    for column in columns {
        if wrong_columns.contains(column) {
            continue;
        }
        if let Some(problem) = path_problem(base, column) {
            let source = column_source(file, column);
            problems.push(placed_at(&source, problem.message, problem.fix, file));
            wrong_columns.push(column.clone());
        }
    }
    (wrong_columns, problems)
}

/// A sampled design's ranges, checked at their ends: the points lie between.
fn range_end_problems(
    file: &ExperimentFile,
    base: &Scenario,
    wrong_columns: &[String],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, p) in file.parameters.iter().enumerate() {
        if wrong_columns.contains(&p.path) {
            continue;
        }
        for (end, value) in [("low", p.low), ("high", p.high)] {
            let Some(value) = value else { continue };
            let value = if p.integer {
                Value::Integer(value.round() as i64)
            } else {
                Value::Float(value)
            };
            let set = [Override::new(p.path.clone(), value.clone())];
            if let Err(found) = apply_or_problems(base, &set) {
                let source = Source::Key(format!("parameter[{i}].{end}"));
                for problem in found {
                    problems.push(setting_problem(&source, &p.path, &value, problem, file));
                }
            }
        }
    }
    problems
}

/// A problem of point `id`, placed at the value that caused it, or at the
/// point if no value covers its key path.
fn point_problem(
    file: &ExperimentFile,
    id: usize,
    values: &[(String, Value)],
    problem: Problem,
) -> Problem {
    let column = values
        .iter()
        .find(|(column, _)| covers(column, &problem.path));
    match column {
        Some((column, value)) => {
            let source = value_source(file, id, column, value);
            setting_problem(&source, column, value, problem, file)
        }
        None => {
            let set: Vec<String> = values.iter().map(|(c, v)| format!("`{c}` = {v}")).collect();
            placed_at(
                &point_source(file, id),
                format!(
                    "point {id} ({}): at `{}`: {}",
                    set.join(", "),
                    problem.path,
                    problem.message
                ),
                problem.fix,
                file,
            )
        }
    }
}

/// A problem of setting `column` to `value`, placed at `source`: the
/// scenario's fix speaks of the key path the experiment varies
/// (`neighbourhood[*].cohesion`, not `neighbourhood[0].cohesion`).
fn setting_problem(
    source: &Source,
    column: &str,
    value: &Value,
    problem: Problem,
    file: &ExperimentFile,
) -> Problem {
    let (fix, within) = if problem.path.is_empty() || is_set_by(column, &problem.path) {
        let fix = problem
            .fix
            .replace(&format!("`{}`", problem.path), &format!("`{column}`"));
        (fix, String::new())
    } else {
        (problem.fix, format!(" (at `{}`)", problem.path))
    };
    placed_at(
        source,
        format!("`{column}` = {value}{within}: {}", problem.message),
        fix,
        file,
    )
}

/// A problem at `source`, with its key path (and, for a design file's row,
/// the point and line in the message).
fn placed_at(source: &Source, message: String, fix: String, file: &ExperimentFile) -> Problem {
    match source {
        Source::Key(path) => Problem::new(path.clone(), message, fix),
        Source::PointKey(i, key) => Problem::new(format!("point[{i}].{key}"), message, fix),
        Source::Row(id) => Problem::new(
            "file",
            format!(
                "{}, point {id} (line {}): {message}",
                design_file(file),
                id + 2
            ),
            fix,
        ),
        Source::Column(column) => Problem::new(
            "file",
            format!("{}, column `{column}`: {message}", design_file(file)),
            fix,
        ),
    }
}

/// The design file's name as the experiment writes it.
fn design_file(file: &ExperimentFile) -> String {
    file.file
        .as_ref()
        .map_or_else(String::new, |f| f.display().to_string())
}

/// Where a column of the design is written: its parameter's `path`, the first
/// point that sets it, or the design file.
fn column_source(file: &ExperimentFile, column: &str) -> Source {
    match file.design {
        Design::Points => {
            let i = file
                .points
                .iter()
                .position(|p| p.contains_key(column))
                .unwrap_or(0);
            Source::PointKey(i, column.to_string())
        }
        // A design file's column, or the path of a [[parameter]] that states
        // a column's range.
        Design::File if !file.parameters.iter().any(|p| p.path == column) => {
            Source::Column(column.to_string())
        }
        _ => {
            let i = file
                .parameters
                .iter()
                .position(|p| p.path == column)
                .unwrap_or(0);
            Source::Key(format!("parameter[{i}].path"))
        }
    }
}

/// Where the value `value` of `column` at point `id` is written.
fn value_source(file: &ExperimentFile, id: usize, column: &str, value: &Value) -> Source {
    match file.design {
        Design::Points => Source::PointKey(id, column.to_string()),
        Design::File => Source::Row(id),
        Design::Grid => {
            let i = file
                .parameters
                .iter()
                .position(|p| p.path == column)
                .unwrap_or(0);
            let j = file.parameters[i]
                .values
                .iter()
                .position(|v| v == value)
                .unwrap_or(0);
            Source::Key(format!("parameter[{i}].values[{j}]"))
        }
        Design::LatinHypercube | Design::Morris | Design::Sobol => {
            let i = file
                .parameters
                .iter()
                .position(|p| p.path == column)
                .unwrap_or(0);
            Source::Key(format!("parameter[{i}]"))
        }
    }
}

/// Where a point as a whole is written.
fn point_source(file: &ExperimentFile, id: usize) -> Source {
    match file.design {
        Design::Points => Source::Key(format!("point[{id}]")),
        Design::File => Source::Row(id),
        _ => Source::Key("design".into()),
    }
}

/// Whether the scenario key path `path` is what `column` sets, or lies within
/// it: `neighbourhood[*].cohesion` covers `neighbourhood[2].cohesion`, and
/// `neighbourhood[0].age_mix` covers `neighbourhood[0].age_mix[1]`.
fn covers(column: &str, path: &str) -> bool {
    rest_after(column, path).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Whether `path` is the very key `column` sets (one of them, for `[*]`).
fn is_set_by(column: &str, path: &str) -> bool {
    rest_after(column, path) == Some("")
}

/// What is left of `path` after the part `column` matches (`[*]` matching
/// one index), if it matches.
fn rest_after<'p>(column: &str, path: &'p str) -> Option<&'p str> {
    let mut rest = path;
    for (n, part) in column.split("[*]").enumerate() {
        if n > 0 {
            let (index, after) = rest.strip_prefix('[')?.split_once(']')?;
            if !(index == "*" || (!index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()))) {
                return None;
            }
            rest = after;
        }
        rest = rest.strip_prefix(part)?;
    }
    Some(rest)
}

/// Each problem once, in the order found.
fn once_each(problems: Vec<Problem>) -> Vec<Problem> {
    let mut once: Vec<Problem> = Vec::with_capacity(problems.len());
    for problem in problems {
        if !once.contains(&problem) {
            once.push(problem);
        }
    }
    once
}

/// The problems with their line and column in the file `text`, where their
/// key path is written there.
pub(super) fn place(text: &str, mut problems: Vec<Problem>) -> Vec<Problem> {
    let document = toml_edit::Document::parse(text).ok();
    for problem in &mut problems {
        if problem.position.is_some() {
            continue;
        }
        let Some(root) = document.as_ref().map(|d| d.as_item()) else {
            continue;
        };
        let offset = match point_key(&problem.path) {
            // A point's key may hold dots and brackets: found as written.
            Some((i, key)) => root
                .get("point")
                .and_then(|points| points.get(i))
                .and_then(|point| {
                    let table = point.as_table_like()?;
                    table
                        .key(key)
                        .and_then(|k| k.span())
                        .or_else(|| table.get(key).and_then(toml_edit::Item::span))
                        .or_else(|| point.span())
                })
                .map(|span| span.start),
            None => locate(root, &problem.path),
        };
        problem.position = offset.map(|o| line_column(text, o));
    }
    problems
}

/// `point[3].neighbourhood[*].cohesion` as (3, `neighbourhood[*].cohesion`).
fn point_key(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("point[")?;
    let (index, key) = rest.split_once("].")?;
    Some((index.parse().ok()?, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error's list of designs is written beside the `Design` enum: each
    /// name in it (and each name another tool's name points to) must be one
    /// serde reads, and every design must be listed.
    #[test]
    fn the_listed_designs_are_the_enums() {
        let design = |name: &str| -> Design {
            Value::String(name.into())
                .try_into()
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let listed: Vec<Design> = DESIGNS.iter().map(|(name, _)| design(name)).collect();
        for (_, ours) in OTHER_DESIGN_NAMES {
            design(ours);
        }
        // A new variant fails to compile here until it is listed above.
        let every = |d: Design| match d {
            Design::Grid
            | Design::Points
            | Design::LatinHypercube
            | Design::Morris
            | Design::Sobol
            | Design::File => d,
        };
        for d in [
            Design::Grid,
            Design::Points,
            Design::LatinHypercube,
            Design::Morris,
            Design::Sobol,
            Design::File,
        ] {
            assert!(listed.contains(&every(d)), "{d:?} is not in DESIGNS");
        }
    }

    #[test]
    fn an_unknown_design_is_one_problem_naming_the_design_meant_and_every_design() {
        // QA 38: `design = "lhs"` was serde's "unknown variant `lhs`".
        let problems_of = |design: &str| {
            let text = format!("name = \"x\"\nscenario = \"baseline\"\ndesign = \"{design}\"\n");
            read(&text).map_or_else(|problems| problems, |reading| reading.problems)
        };
        let problems = problems_of("lhs");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "design");
        assert_eq!(problems[0].message, "\"lhs\" is not a design carenet knows");
        assert!(
            problems[0]
                .fix
                .starts_with("did you mean design = \"latin_hypercube\"? the designs are grid ("),
            "{}",
            problems[0].fix
        );
        for name in ["points (", "morris (", "sobol (", "file ("] {
            assert!(
                problems[0].fix.contains(name),
                "{name}: {}",
                problems[0].fix
            );
        }
        assert!(
            problems_of("Latin-Hypercube")[0]
                .fix
                .starts_with("did you mean design = \"latin_hypercube\"")
        );
        assert!(
            problems_of("gird")[0]
                .fix
                .starts_with("did you mean design = \"grid\"")
        );
        assert!(
            problems_of("anything")[0]
                .fix
                .starts_with("write one of the designs: grid (")
        );
        assert!(problems_of("sobol").is_empty());
    }

    #[test]
    fn a_decimal_comma_in_a_key_of_whole_numbers_is_told_to_write_a_whole_number() {
        // QA 34: as in a scenario file, `replicates = 2,5` was told to write
        // 2.5, which is refused in turn; a point's scenario key likewise.
        let fix_of = |text: &str| match read(text) {
            Err(problems) => (problems[0].path.clone(), problems[0].fix.clone()),
            Ok(_) => panic!("{text} read"),
        };
        let head = "name = \"x\"\nscenario = \"baseline\"\ndesign = \"points\"\n";
        assert_eq!(
            fix_of(&format!("{head}replicates = 2,5\n")),
            (
                "replicates".to_string(),
                "`replicates` takes a whole number, without a decimal comma or point: e.g. \
                 replicates = 3"
                    .to_string()
            )
        );
        assert_eq!(
            fix_of(&format!("{head}[[point]]\nweeks = 8,5\n")).1,
            "`point[0].weeks` takes a whole number, without a decimal comma or point: e.g. \
             weeks = 9"
        );
        assert_eq!(
            fix_of(&format!(
                "{head}[[point]]\n\"neighbourhood[*].cohesion\" = 0,5\n"
            ))
            .1,
            "write the number with a decimal point: 0.5 (TOML has no decimal comma)"
        );
    }

    #[test]
    fn samples_left_out_are_called_missing_not_zero() {
        let samples_problem = |samples_line: &str| {
            let text = format!(
                "name = \"x\"\nscenario = \"baseline\"\ndesign = \"morris\"\nreplicates = 1\n\
                 {samples_line}[[parameter]]\npath = \"weeks\"\nlow = 10\nhigh = 20\n"
            );
            let reading = read(&text).expect("reads");
            check_settings(&reading, Path::new("."))
                .into_iter()
                .find(|p| p.path == "samples")
                .map(|p| (p.message, p.fix))
                .expect("a problem of samples")
        };
        let (message, fix) = samples_problem("");
        assert_eq!(
            message,
            "`samples` is missing; design \"morris\" needs at least 2"
        );
        assert_eq!(fix, "add a line `samples = N` with N 2 or more");
        let (message, fix) = samples_problem("samples = 1\n");
        assert!(message.starts_with("`samples` is 1;"), "{message}");
        assert_eq!(fix, "set `samples` to 2 or more");
    }

    #[test]
    fn a_column_covers_the_keys_it_sets() {
        assert!(covers(
            "neighbourhood[*].cohesion",
            "neighbourhood[2].cohesion"
        ));
        assert!(covers(
            "neighbourhood[*].cohesion",
            "neighbourhood[*].cohesion"
        ));
        assert!(covers(
            "neighbourhood[0].age_mix",
            "neighbourhood[0].age_mix[1]"
        ));
        assert!(!covers(
            "neighbourhood[*].cohesion",
            "neighbourhood[2].adults"
        ));
        assert!(!covers(
            "neighbourhood[*].cohesion",
            "neighbourhood[x].cohesion"
        ));
        assert!(!covers("weeks", "weeks_x"));
        assert!(covers("weeks", "weeks"));
        assert!(is_set_by(
            "neighbourhood[*].cohesion",
            "neighbourhood[4].cohesion"
        ));
        assert!(!is_set_by(
            "neighbourhood[0].age_mix",
            "neighbourhood[0].age_mix[1]"
        ));
    }
}
