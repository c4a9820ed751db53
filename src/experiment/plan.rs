//! Experiment files: which scenario, which parameters to vary and how, and how
//! many replicates per point. Every point is checked like a scenario file before
//! anything runs.
//!
//! ```toml
//! name = "cohesion-and-budget"
//! scenario = "baseline.toml"      # relative to this file
//! replicates = 5
//! design = "grid"                 # grid | points | latin_hypercube
//!
//! [[parameter]]
//! path = "neighbourhood[*].cohesion"
//! values = [0.2, 0.5, 0.8]
//!
//! [[parameter]]
//! path = "formal.hours_per_1000_residents"
//! values = [100, 200]
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Value;

use super::design::{Factor, latin_hypercube, morris_trajectories, saltelli_design};
use super::{reading, replicate_seed};
use crate::scenario::{self, Problem, Scenario, ScenarioError};

/// How the points of an experiment are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    /// Every combination of the parameters' `values`.
    Grid,
    /// The `[[point]]` tables, as written.
    Points,
    /// `samples` points of a Latin hypercube over the parameters' `low`–`high`.
    LatinHypercube,
    /// `samples` Morris trajectories on a grid of `levels` levels, for
    /// `carenet sensitivity` (elementary effects).
    Morris,
    /// Saltelli's design with a base sample of `samples`, for `carenet
    /// sensitivity` (Sobol first-order and total indices).
    Sobol,
    /// The points of a CSV file (`file`): one column per key path, one row per
    /// point, as SALib's or the EMA Workbench's samples are written
    /// (see [`super::salib`]).
    File,
}

/// A parameter to vary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Key path in the scenario, e.g. `behaviour.asking.ask.base` or
    /// `neighbourhood[*].cohesion`.
    pub path: String,
    /// Values for a grid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Value>,
    /// Range for a Latin hypercube.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// Round sampled values to whole numbers.
    #[serde(default)]
    pub integer: bool,
}

/// An experiment file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The scenario file, relative to the experiment file, or the name of a
    /// built-in scenario (when no such file exists).
    pub scenario: PathBuf,
    #[serde(default = "one")]
    pub replicates: u32,
    /// Keep every run's full outputs (otherwise only its summary).
    #[serde(default)]
    pub keep_runs: bool,
    pub design: Design,
    /// Points of a Latin hypercube, Morris trajectories, or Sobol base samples.
    #[serde(default)]
    pub samples: usize,
    /// Grid levels of a Morris design (even, at least 2).
    #[serde(default = "four")]
    pub levels: usize,
    /// Seed of the design's own random choices (not of the runs).
    #[serde(default = "design_seed")]
    pub design_seed: u64,
    #[serde(default, rename = "parameter")]
    pub parameters: Vec<Parameter>,
    #[serde(default, rename = "point")]
    pub points: Vec<toml::Table>,
    /// The design file of `design = "file"`, relative to the experiment file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
}

fn one() -> u32 {
    1
}

fn four() -> usize {
    4
}

fn design_seed() -> u64 {
    1
}

/// One point of the design: the values it sets, in the order of the columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub id: usize,
    pub values: Vec<(String, Value)>,
    pub scenario: Scenario,
}

/// A run of the experiment: a point and a replicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Job {
    pub point: usize,
    pub replicate: u32,
}

impl Job {
    /// The run's folder name under `runs/`.
    pub fn folder(&self) -> String {
        format!("p{:04}-r{:03}", self.point, self.replicate)
    }
}

/// A checked experiment, ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub file: ExperimentFile,
    /// The experiment file's text, for the record.
    pub text: String,
    pub base: Scenario,
    /// The columns the design varies.
    pub columns: Vec<String>,
    pub points: Vec<Point>,
}

/// Whether `text` is an experiment file rather than a scenario file, by its
/// content: it has a `design`, `[[parameter]]` or `[[point]]` tables, or names
/// a `scenario` (keys no scenario file has). Text that is not TOML is judged
/// by its lines.
pub fn looks_like_experiment(text: &str) -> bool {
    match text.parse::<toml::Table>() {
        Ok(table) => crate::scenario::EXPERIMENT_KEYS
            .iter()
            .any(|key| table.contains_key(*key)),
        Err(_) => text.lines().any(|line| {
            let line = line.trim();
            let key = line.split('=').next().unwrap_or("").trim();
            line.starts_with("[[parameter]]")
                || line.starts_with("[[point]]")
                || (line.contains('=') && (key == "design" || key == "scenario"))
        }),
    }
}

/// The fix of an experiment file that cannot be read (QA 28: one saved as
/// Latin-1 was "stream did not contain valid UTF-8" and nothing more).
fn read_fix(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::InvalidData => {
            "save the file as UTF-8 (it has a letter such as é saved as Latin-1 or Windows-1252; \
             Notepad: Save as, Encoding UTF-8)"
        }
        std::io::ErrorKind::NotFound => "check the path of the experiment file",
        _ => "check that the file is there and readable",
    }
}

/// Why an experiment cannot run.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read {}: {source}\n  fix: {}", path.display(), read_fix(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Everything wrong with the experiment file, in the order of the file,
    /// and the problems of its scenario when that cannot be used.
    #[error("{}", render_problems(file, problems, scenario.as_deref()))]
    Problems {
        file: String,
        problems: Vec<Problem>,
        scenario: Option<Box<ScenarioError>>,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}

impl PlanError {
    /// The experiment file's problems, empty for other errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            PlanError::Problems { problems, .. } => problems,
            _ => &[],
        }
    }
}

fn render_problems(file: &str, problems: &[Problem], scenario: Option<&ScenarioError>) -> String {
    let mut text = scenario::render_problems("experiment", file, problems);
    if let Some(error) = scenario {
        text.push_str(&format!("\n{error}"));
    }
    text
}

impl Plan {
    /// Reads and checks an experiment file and every point it describes. Every
    /// problem found is reported at once, each with its line and column (or
    /// key path) and its fix, as for scenario files.
    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let text = std::fs::read_to_string(path).map_err(|source| PlanError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let failed =
            |problems: Vec<Problem>, scenario: Option<ScenarioError>| PlanError::Problems {
                file: path.display().to_string(),
                problems: scenario::in_file_order(reading::place(&text, problems)),
                scenario: scenario.map(Box::new),
            };
        let reading = reading::read(&text).map_err(|problems| failed(problems, None))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut problems = reading.problems.clone();
        problems.extend(reading::check_settings(&reading, dir));
        let base = match reading.usable("scenario") {
            true => match reading::base_scenario(path, &reading.file.scenario) {
                Ok(base) => base,
                Err(error) => {
                    problems.push(reading::scenario_problem(&error));
                    let listed = matches!(error, ScenarioError::Invalid { .. }).then_some(error);
                    return Err(failed(problems, listed));
                }
            },
            false => return Err(failed(problems, None)),
        };
        let (wrong_paths, wrong) = reading::check_paths(&reading, &base);
        // A misspelt path of a design file's [[parameter]] is no column of the
        // file either: said once, with the key it is nearest to.
        problems.retain(|p| {
            !(p.message.contains(reading::NOT_A_COLUMN)
                && wrong_paths.iter().any(|w| w.path == p.path))
        });
        problems.extend(wrong_paths);
        if !reading::design_ready(&reading, &problems) {
            // The points cannot be drawn: each value is checked alone.
            problems.extend(reading::check_values_alone(&reading, &base, &wrong));
            return Err(failed(problems, None));
        }
        let file = reading.file;
        let (columns, rows) = design_rows(&file, dir).map_err(|message| {
            let key = if file.design == Design::File {
                "file"
            } else {
                "design"
            };
            problems.push(Problem::new(
                key,
                message,
                "correct the design's settings as said",
            ));
            failed(problems.clone(), None)
        })?;
        let points = reading::check_points(&file, &base, (columns.clone(), rows), &wrong);
        let points = match points {
            Ok(points) if problems.is_empty() => points,
            Ok(_) => return Err(failed(problems, None)),
            Err(found) => {
                problems.extend(found);
                return Err(failed(problems, None));
            }
        };
        Ok(Plan {
            file,
            text,
            base,
            columns,
            points,
        })
    }

    /// What the plan runs, as `carenet check` and Python's `check()` say it:
    /// `N points × R replicates = K runs of scenario "name"`.
    pub fn runs_described(&self) -> String {
        let points = self.points.len();
        let replicates = self.file.replicates;
        let runs = self.jobs().len();
        format!(
            "{points} {} × {replicates} {} = {runs} {} of scenario \"{}\"",
            if points == 1 { "point" } else { "points" },
            if replicates == 1 {
                "replicate"
            } else {
                "replicates"
            },
            if runs == 1 { "run" } else { "runs" },
            self.base.name
        )
    }

    /// Every run, point by point.
    pub fn jobs(&self) -> Vec<Job> {
        self.points
            .iter()
            .flat_map(|p| {
                (1..=self.file.replicates).map(move |replicate| Job {
                    point: p.id,
                    replicate,
                })
            })
            .collect()
    }

    /// The point with id `id` (a plan's points keep their ids when some are
    /// left out, as in [`Plan::leading`]).
    ///
    /// # Panics
    /// If the plan has no such point: ids come from the plan itself.
    pub fn point(&self, id: usize) -> &Point {
        self.points
            .iter()
            .find(|p| p.id == id)
            .expect("a point of this plan")
    }

    /// The scenario of a run: its point's scenario with the replicate's seed.
    /// Replicate r has the same seed at every point (common random numbers).
    pub fn scenario_of(&self, job: Job) -> Scenario {
        Scenario {
            seed: replicate_seed(self.base.seed, job.replicate),
            ..self.point(job.point).scenario.clone()
        }
    }

    /// The points `ids` of this experiment (in that order) at `replicates`
    /// replicates each: the leading points of a calibration run again to tell
    /// them apart. Points keep their ids, and replicate r keeps its seed, so the
    /// first replicates repeat the round's runs. The text records where the plan
    /// came from, and an experiment folder holds one such plan.
    pub fn leading(&self, ids: &[usize], replicates: u32) -> Plan {
        let points = ids.iter().map(|&id| self.point(id).clone()).collect();
        let listed: Vec<String> = ids.iter().map(usize::to_string).collect();
        Plan {
            file: ExperimentFile {
                replicates,
                ..self.file.clone()
            },
            text: format!(
                "# The leading points {} of the experiment below, at {replicates} replicates\n\
                 # per point (carenet calibrate --leading).\n{}",
                listed.join(", "),
                self.text
            ),
            base: self.base.clone(),
            columns: self.columns.clone(),
            points,
        }
    }
}

/// Most replicates per point, as for `carenet run --replicates`.
pub const MAX_REPLICATES: u32 = 10_000;
/// Most runs in one experiment (points × replicates): a million runs of even a
/// small area take days, and each needs a row and a folder.
pub const MAX_RUNS: u64 = 1_000_000;
/// Fewest Morris trajectories: sigma, the spread of elementary effects, needs two.
pub const MIN_MORRIS_TRAJECTORIES: usize = 2;
/// Fewest Sobol base samples: the estimators divide by the variance over the
/// samples and need a few to be defined at all.
pub const MIN_SOBOL_SAMPLES: usize = 4;

/// How many points a design will have, counted without drawing them.
pub(super) fn design_size(file: &ExperimentFile) -> u64 {
    let k = file.parameters.len() as u64;
    let samples = file.samples as u64;
    match file.design {
        Design::Grid => file
            .parameters
            .iter()
            .fold(1u64, |n, p| n.saturating_mul(p.values.len() as u64)),
        Design::Points => file.points.len() as u64,
        Design::LatinHypercube => samples,
        Design::Morris => samples.saturating_mul(k + 1),
        Design::Sobol => samples.saturating_mul(k + 2),
        // Counted when the file is read.
        Design::File => 0,
    }
}

/// The columns a design varies and, per point, the values it sets.
pub type DesignRows = (Vec<String>, Vec<Vec<(String, Value)>>);

/// The design's columns and, per point, the values it sets; `dir` is the
/// experiment file's folder.
pub(super) fn design_rows(file: &ExperimentFile, dir: &Path) -> Result<DesignRows, String> {
    match file.design {
        Design::Grid => grid(&file.parameters),
        Design::Points => points(&file.points),
        Design::LatinHypercube | Design::Morris | Design::Sobol => sampled(file),
        Design::File => from_file(file, dir),
    }
}

/// The points of `design = "file"`, within the limit on runs.
fn from_file(file: &ExperimentFile, dir: &Path) -> Result<DesignRows, String> {
    let Some(name) = &file.file else {
        return Err(
            "design \"file\" needs `file`, the CSV of points (one column per key path)".into(),
        );
    };
    let (columns, rows) = super::salib::read_design_file(&dir.join(name)).map_err(|e| e.message)?;
    let runs = (rows.len() as u64).saturating_mul(u64::from(file.replicates));
    if runs > MAX_RUNS {
        return Err(format!(
            "the design file gives {runs} runs (points × replicates); at most {MAX_RUNS} are allowed\n  \
             fix: split the design file into several experiments"
        ));
    }
    Ok((columns, rows))
}

/// The unscaled points of a sampling design, in the factors' units.
pub fn sample_points(file: &ExperimentFile, factors: &[Factor]) -> Result<Vec<Vec<f64>>, String> {
    if file.samples == 0 {
        return Err("this design needs `samples` = 1 or more".into());
    }
    Ok(match file.design {
        Design::Morris => {
            if file.levels < 2 || !file.levels.is_multiple_of(2) {
                return Err("a Morris design needs an even `levels` of 2 or more".into());
            }
            morris_trajectories(factors, file.samples, file.levels, file.design_seed)
                .into_iter()
                .flatten()
                .collect()
        }
        Design::Sobol => saltelli_design(factors, file.samples, file.design_seed),
        _ => latin_hypercube(factors, file.samples, file.design_seed),
    })
}

fn grid(parameters: &[Parameter]) -> Result<DesignRows, String> {
    if parameters.is_empty() {
        return Err("a grid needs at least one [[parameter]] with `values`".into());
    }
    let mut rows: Vec<Vec<(String, Value)>> = vec![Vec::new()];
    for p in parameters {
        if p.values.is_empty() {
            return Err(format!(
                "parameter `{}` has no `values` for the grid",
                p.path
            ));
        }
        rows = rows
            .into_iter()
            .flat_map(|row| {
                p.values.iter().map(move |v| {
                    let mut next = row.clone();
                    next.push((p.path.clone(), v.clone()));
                    next
                })
            })
            .collect();
    }
    Ok((parameters.iter().map(|p| p.path.clone()).collect(), rows))
}

fn points(tables: &[toml::Table]) -> Result<DesignRows, String> {
    if tables.is_empty() {
        return Err("design \"points\" needs [[point]] tables".into());
    }
    let mut columns: Vec<String> = Vec::new();
    for table in tables {
        for key in table.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let rows = tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            columns
                .iter()
                .map(|c| {
                    table.get(c).map(|v| (c.clone(), v.clone())).ok_or_else(|| {
                        format!("point {i} does not set `{c}`; every point sets every column")
                    })
                })
                .collect()
        })
        .collect::<Result<_, String>>()?;
    Ok((columns, rows))
}

fn sampled(file: &ExperimentFile) -> Result<DesignRows, String> {
    let factors = factors(&file.parameters)?;
    let rows = sample_points(file, &factors)?
        .into_iter()
        .map(|x| {
            factors
                .iter()
                .zip(x)
                .map(|(f, v)| {
                    let value = if f.integer {
                        Value::Integer(v.round() as i64)
                    } else {
                        Value::Float(v)
                    };
                    (f.name.clone(), value)
                })
                .collect()
        })
        .collect();
    Ok((factors.iter().map(|f| f.name.clone()).collect(), rows))
}

/// The parameters as factors with ranges.
pub fn factors(parameters: &[Parameter]) -> Result<Vec<Factor>, String> {
    if parameters.is_empty() {
        return Err("the design needs at least one [[parameter]] with `low` and `high`".into());
    }
    parameters
        .iter()
        .map(|p| match (p.low, p.high) {
            (Some(low), Some(high)) if low < high => Ok(Factor {
                name: p.path.clone(),
                low,
                high,
                integer: p.integer,
            }),
            _ => Err(format!(
                "parameter `{}` needs `low` < `high` for this design",
                p.path
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The experiment files in experiments/ are what README and docs/ODD.md §1.3
    /// tell users to run to reproduce the calibration rounds: each must load,
    /// with every point it describes a valid scenario.
    #[test]
    fn an_experiment_file_is_told_from_a_scenario_file_by_its_keys() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["experiments", "scenarios"] {
            for entry in std::fs::read_dir(dir.join(folder)).expect("a folder of the crate") {
                let path = entry.expect("an entry").path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path).expect("readable");
                    assert_eq!(
                        looks_like_experiment(&text),
                        folder == "experiments",
                        "{}",
                        path.display()
                    );
                }
            }
        }
        // Not TOML: judged by its lines.
        assert!(looks_like_experiment("name = \"x\"\ndesign = = 3\n"));
        assert!(looks_like_experiment("[[parameter]]\npath = \n"));
        assert!(!looks_like_experiment("name = \"x\"\nweeks = = 3\n"));
    }

    /// Each problem's line (if known) and key path, in the order reported.
    fn problem_places(error: &PlanError) -> Vec<(Option<usize>, &str)> {
        error
            .problems()
            .iter()
            .map(|p| (p.position.map(|(line, _)| line), p.path.as_str()))
            .collect()
    }

    #[test]
    fn every_problem_of_an_experiment_file_is_reported_at_once_in_file_order() {
        // QA 24 §6: the mistakes came one per run, without line numbers, and
        // the fix named `neighbourhood[0].cohesion` five times.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "name = \"bad\"\nscenario = \"baseline\"\nreplicates = 0\ndesign = \"grid\"\nkeep_run = true\n\
             [[parameter]]\npath = \"neighbourhood[*].cohesoin\"\nvalues = [0.2]\n\
             [[parameter]]\npath = \"neighbourhood[*].cohesion\"\nvalues = [0.2, 1.8]\n\
             [[parameter]]\npath = \"formal.hours_per_1000_residents\"\nvalues = [100, \"lots\"]\nlwo = 3\n",
        )
        .unwrap();
        let error = Plan::load(&path).unwrap_err();
        let places = problem_places(&error);
        assert_eq!(
            places,
            [
                (Some(3), "replicates"),
                (Some(5), "keep_run"),
                (Some(7), "parameter[0].path"),
                (Some(11), "parameter[1].values[1]"),
                (Some(14), "parameter[2].values[1]"),
                (Some(15), "parameter[2].lwo"),
            ],
            "{error}"
        );
        let problems = error.problems();
        assert!(
            problems[1].fix.contains("did you mean `keep_runs`"),
            "{error}"
        );
        assert!(
            problems[2].fix.contains("did you mean `cohesion`"),
            "{error}"
        );
        assert_eq!(
            problems[3].fix, "set `neighbourhood[*].cohesion` to a value from 0 to 1",
            "{error}"
        );
        assert!(problems[5].fix.contains("did you mean `low`"), "{error}");
        let text = error.to_string();
        assert!(text.starts_with("experiment "), "{text}");
        assert!(text.contains("bad.toml:11:"), "{text}");
        assert!(!text.contains("neighbourhood[0]"), "{text}");
        // A single [parameter] table gets the double brackets as its fix.
        std::fs::write(
            &path,
            "name = \"bad\"\nscenario = \"baseline\"\ndesign = \"grid\"\n\
             [parameter]\npath = \"weeks\"\nvalues = [2]\n",
        )
        .unwrap();
        let error = Plan::load(&path).unwrap_err();
        assert_eq!(error.problems()[0].path, "parameter", "{error}");
        assert_eq!(
            error.problems()[0].fix,
            "write [[parameter]] with double brackets, one table per parameter"
        );
        // A design that does not read hides neither the values nor the rest.
        std::fs::write(
            &path,
            "name = \"bad\"\nscenario = \"baseline\"\ndesign = \"gird\"\n\
             [[parameter]]\npath = \"neighbourhood[*].cohesion\"\nvalues = [1.8]\n",
        )
        .unwrap();
        let error = Plan::load(&path).unwrap_err();
        let paths: Vec<&str> = error.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["design", "parameter[0].values[0]"], "{error}");
        assert!(
            error.problems()[0]
                .fix
                .contains("did you mean design = \"grid\""),
            "{error}"
        );
    }

    #[test]
    fn a_design_that_varies_the_seed_or_one_key_path_twice_is_refused() {
        // QA 31: both ran, the seed's values replaced by each replicate's
        // seed and the first of two columns by the second, without a word;
        // runs.csv, design.csv and salib_problem.json then named a column
        // twice.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.toml");
        let load = |text: &str| {
            std::fs::write(&path, text).unwrap();
            Plan::load(&path)
        };
        let grid = "name = \"e\"\nscenario = \"baseline\"\ndesign = \"grid\"\n\
                    [[parameter]]\npath = \"seed\"\nvalues = [5, 6]\n\
                    [[parameter]]\npath = \"weeks\"\nvalues = [2]\n\
                    [[parameter]]\npath = \"weeks\"\nvalues = [3]\n";
        let error = load(grid).unwrap_err();
        let places = problem_places(&error);
        assert_eq!(
            places,
            [
                (Some(5), "parameter[0].path"),
                (Some(11), "parameter[2].path")
            ],
            "{error}"
        );
        assert!(
            error.problems()[0].fix.contains("raise `replicates`"),
            "{error}"
        );
        assert!(
            error.problems()[1].message.contains("(parameter[1])"),
            "{error}"
        );

        let points = "name = \"e\"\nscenario = \"baseline\"\ndesign = \"points\"\n\
                      [[point]]\nweeks = 2\nseed = 5\n";
        let error = load(points).unwrap_err();
        assert_eq!(error.problems().len(), 1, "{error}");
        assert_eq!(error.problems()[0].path, "point[0].seed", "{error}");
        assert_eq!(error.problems()[0].position.map(|(line, _)| line), Some(6));

        let from_file = "name = \"e\"\nscenario = \"baseline\"\ndesign = \"file\"\n\
                         file = \"points.csv\"\n";
        let csv = dir.path().join("points.csv");
        std::fs::write(&csv, "seed,weeks\n5,2\n").unwrap();
        let error = load(from_file).unwrap_err();
        assert_eq!(error.problems().len(), 1, "{error}");
        assert!(
            error.problems()[0]
                .message
                .contains("points.csv varies `seed`"),
            "{error}"
        );
        std::fs::write(&csv, "point,weeks,weeks\n0,2,3\n").unwrap();
        let error = load(from_file).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("names `weeks` twice (columns 2 and 3)"),
            "{error}"
        );
        // The same design without them loads.
        std::fs::write(&csv, "weeks\n2\n").unwrap();
        assert!(load(from_file).is_ok());
    }

    #[test]
    fn every_shipped_experiment_file_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("experiments");
        let mut loaded = 0;
        for entry in std::fs::read_dir(&dir).expect("experiments/ ships with the crate") {
            let path = entry.expect("a readable folder entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                let plan = Plan::load(&path).unwrap_or_else(|e| panic!("{e}"));
                assert!(!plan.jobs().is_empty(), "{} has no runs", path.display());
                loaded += 1;
            }
        }
        assert!(
            loaded >= 10,
            "only {loaded} experiment files in experiments/"
        );
    }
}
