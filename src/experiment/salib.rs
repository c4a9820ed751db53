//! Designs in and out as SALib and the EMA Workbench read and write them, so
//! that their samples run through `carenet sweep` (shards and Slurm included)
//! and carenet's designs can be analysed by them.
//!
//! - In: `design = "file"` with `file = "design.csv"`: one column per key path,
//!   one row per point, in order (a leading `point` column, as carenet writes
//!   it, is skipped). Cells are TOML values (`0.5`, `300`, `true`) or else text.
//! - Out: every sweep writes `design.csv` (the same layout: point, then the key
//!   paths) and, when every column is a number, `salib_problem.json`, a SALib
//!   problem definition (`num_vars`, `names`, `bounds`): the parameters' `low`
//!   and `high` (which the experiment file of a design file may state too), or
//!   else the smallest and largest value; `carenet_bounds_from` says which.

use std::path::Path;

use toml::Value;

use super::plan::{DesignRows, Parameter, Plan};
use crate::output::Row;
use crate::scenario::overrides::value_from_text;

/// The column carenet's own design.csv leads with; skipped when read back.
const POINT_COLUMN: &str = "point";

/// Why a design file cannot be read, and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignFileError {
    pub message: String,
    pub fix: String,
}

/// The fix of a design file that cannot be read at all, or whose first line
/// names no key paths.
const DESIGN_FILE_FIX: &str = "give the path of a CSV file relative to this experiment file, \
                               whose first line names the key paths and each further line a point";

impl From<String> for DesignFileError {
    fn from(message: String) -> Self {
        DesignFileError {
            message,
            fix: DESIGN_FILE_FIX.into(),
        }
    }
}

/// A line of a design file that the CSV reader refuses, said by its line: a
/// point with more or fewer values than the first line has columns (QA 37:
/// "CSV error: record 2 (line: 3, byte: 66): found record with 1 fields, but
/// the previous record has 2 fields", and the fix said to give the file's
/// path, which was right).
fn record_error(
    path: &Path,
    error: &csv::Error,
    columns: &[String],
    skip_point: bool,
) -> DesignFileError {
    let file = path.display();
    let line = error.position().map(csv::Position::line);
    let at = line.map_or_else(|| file.to_string(), |line| format!("{file}, line {line}"));
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            let named = if skip_point {
                format!("{POINT_COLUMN}, {}", columns.join(", "))
            } else {
                columns.join(", ")
            };
            DesignFileError {
                message: format!(
                    "{at}: {len} value{} where the first line names {expected_len} column{} \
                     ({named})",
                    if *len == 1 { "" } else { "s" },
                    if *expected_len == 1 { "" } else { "s" },
                ),
                fix: "give the point on that line one value for each column, in the first \
                      line's order, or remove the line"
                    .into(),
            }
        }
        _ => DesignFileError {
            message: format!("{at}: {error}"),
            fix: "save the design file as CSV in UTF-8 (Excel: \"CSV UTF-8\"), one point a line"
                .into(),
        },
    }
}

/// The points of a design file, in file order.
///
/// A file as Excel saves CSV in a Dutch locale is read too (QA 28: it was
/// refused with a raw CSV error): a UTF-8 byte-order mark is skipped, and a
/// file whose first line has semicolons and no comma is read with `;` between
/// the columns and a decimal comma in numbers (`0,3` is 0.3).
pub fn read_design_file(path: &Path) -> Result<DesignRows, DesignFileError> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the design file {}: {e}", path.display()))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semicolons = first_line.contains(&b';') && !first_line.contains(&b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if semicolons { b';' } else { b',' })
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let skip_point = headers.get(0) == Some(POINT_COLUMN);
    let columns: Vec<String> = headers
        .iter()
        .skip(usize::from(skip_point))
        .map(|c| c.trim().to_string())
        .collect();
    if columns.is_empty() || columns.iter().any(String::is_empty) {
        return Err(format!(
            "{}: the first line must name the key paths the design sets, e.g. \
             neighbourhood[*].cohesion,formal.hours_per_1000_residents",
            path.display()
        )
        .into());
    }
    for (later, column) in columns.iter().enumerate() {
        if let Some(first) = columns[..later].iter().position(|c| c == column) {
            let number = |c: usize| c + 1 + usize::from(skip_point);
            return Err(format!(
                "{}: the first line names `{column}` twice (columns {} and {}), and the second \
                 would replace the first at every point: keep one column per key path",
                path.display(),
                number(first),
                number(later)
            )
            .into());
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| record_error(path, &e, &columns, skip_point))?;
        let values = record.iter().skip(usize::from(skip_point));
        rows.push(
            columns
                .iter()
                .cloned()
                .zip(values.map(|cell| {
                    let cell = cell.trim();
                    match decimal_comma(cell).filter(|_| semicolons) {
                        Some(number) => value_from_text(&number),
                        None => value_from_text(cell),
                    }
                }))
                .collect(),
        );
    }
    if rows.is_empty() {
        return Err(format!("{}: the design file has no points", path.display()).into());
    }
    Ok((columns, rows))
}

/// `0,3` or `-12,5` as `0.3` and `-12.5`: a number with a decimal comma.
fn decimal_comma(cell: &str) -> Option<String> {
    let (whole, fraction) = cell.split_once(',')?;
    let digits = whole.strip_prefix('-').unwrap_or(whole);
    let number = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit());
    number.then(|| format!("{whole}.{fraction}"))
}

/// design.csv: the point number, then the value of each column.
pub fn design_table(plan: &Plan) -> Vec<Row> {
    plan.points
        .iter()
        .map(|point| {
            let mut row = Row(vec![(POINT_COLUMN.into(), point.id.to_string())]);
            row.0.extend(
                point
                    .values
                    .iter()
                    .map(|(column, value)| (column.clone(), plain(value))),
            );
            row
        })
        .collect()
}

/// A TOML value as a CSV cell: strings without quotes.
pub fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The SALib problem definition of the design, as JSON; `None` when a column is
/// not a number (SALib's problems are numeric).
pub fn salib_problem(plan: &Plan) -> Option<String> {
    let bounds = plan
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| bounds_of(plan, c, column))
        .collect::<Option<Vec<([f64; 2], &str)>>>()?;
    // Where each column's bounds came from (QA 30: a design file's bounds
    // were its sample's range, narrower than the range the sample was drawn
    // from, without saying so). SALib reads only the keys it knows.
    let problem = serde_json::json!({
        "num_vars": plan.columns.len(),
        "names": plan.columns,
        "bounds": bounds.iter().map(|(range, _)| range).collect::<Vec<_>>(),
        "carenet_bounds_from": bounds.iter().map(|(_, from)| from).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&problem)
        .ok()
        .map(|text| text + "\n")
}

/// Said in salib_problem.json's `carenet_bounds_from` of bounds that are a
/// parameter's `low` and `high`.
pub const BOUNDS_DECLARED: &str = "experiment file";
/// ... and of bounds that are the smallest and largest value of the design.
pub const BOUNDS_OF_VALUES: &str = "values' range";

/// The range of column `c` and where it came from: the parameter's low and
/// high (for a design file, a [[parameter]] table may state them), or else the
/// smallest and largest value the design gives it.
fn bounds_of(plan: &Plan, c: usize, column: &str) -> Option<([f64; 2], &'static str)> {
    let declared = plan
        .file
        .parameters
        .iter()
        .find(|p: &&Parameter| p.path == column)
        .and_then(|p| Some([p.low?, p.high?]));
    if let Some(declared) = declared {
        return Some((declared, BOUNDS_DECLARED));
    }
    let values = plan
        .points
        .iter()
        .map(|p| match p.values.get(c).map(|(_, v)| v) {
            Some(Value::Float(x)) => Some(*x),
            Some(Value::Integer(i)) => Some(*i as f64),
            _ => None,
        })
        .collect::<Option<Vec<f64>>>()?;
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(([low, high], BOUNDS_OF_VALUES))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    const SCENARIO: &str = "name = \"tiny\"\n[[neighbourhood]]\nname = \"A\"\nadults = 100\n";

    /// An experiment folder with the scenario, the experiment file and files.
    fn experiment(text: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tiny.toml"), SCENARIO).unwrap();
        for (name, contents) in files {
            std::fs::write(dir.path().join(name), contents).unwrap();
        }
        let path = dir.path().join("experiment.toml");
        let head = "name = \"e\"\nscenario = \"tiny.toml\"\n";
        std::fs::write(&path, format!("{head}{text}")).unwrap();
        (dir, path)
    }

    #[test]
    fn an_experiment_file_not_in_utf8_gets_the_encoding_fix() {
        let (dir, path) = experiment("design = \"grid\"\n", &[]);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"# caf\xe9\n");
        std::fs::write(&path, bytes).unwrap();
        let error = Plan::load(&path).expect_err("not UTF-8").to_string();
        assert!(error.contains("fix: save the file as UTF-8"), "{error}");
        let missing = Plan::load(&dir.path().join("nothere.toml"))
            .expect_err("missing")
            .to_string();
        assert!(missing.contains("fix: check the path"), "{missing}");
    }

    #[test]
    fn a_design_saved_by_a_dutch_excel_is_read_with_its_semicolons_and_decimal_commas() {
        let dutch = "\u{feff}neighbourhood[*].cohesion;formal.hours_per_1000_residents\n\
                     0,25;100\n0,75;250,5\n";
        let english = "\u{feff}neighbourhood[*].cohesion,formal.hours_per_1000_residents\n\
                       0.25,100\n0.75,250.5\n";
        for design in [dutch, english] {
            let (_dir, path) = experiment(
                "design = \"file\"\nfile = \"design.csv\"\n",
                &[("design.csv", design)],
            );
            let plan = Plan::load(&path).unwrap_or_else(|e| panic!("{design}: {e}"));
            assert_eq!(plan.points.len(), 2);
            assert_eq!(plan.points[0].scenario.neighbourhoods[0].cohesion, 0.25);
            assert_eq!(
                plan.points[1].scenario.formal.hours_per_1000_residents,
                250.5
            );
        }
        assert_eq!(decimal_comma("-12,5").as_deref(), Some("-12.5"));
        assert_eq!(decimal_comma("a,b"), None);
        assert_eq!(decimal_comma("1,2,3"), None);
    }

    #[test]
    fn a_design_file_gives_the_points_in_order_and_is_written_back_alike() {
        let design = "point,neighbourhood[*].cohesion,formal.hours_per_1000_residents\n\
                      0,0.25,100\n1,0.75,250.5\n2,0.5,300\n";
        let (_dir, path) = experiment(
            "design = \"file\"\nfile = \"design.csv\"\n",
            &[("design.csv", design)],
        );
        let plan = Plan::load(&path).unwrap();
        assert_eq!(
            plan.columns,
            [
                "neighbourhood[*].cohesion",
                "formal.hours_per_1000_residents"
            ]
        );
        assert_eq!(plan.points.len(), 3);
        assert_eq!(plan.points[1].scenario.neighbourhoods[0].cohesion, 0.75);
        assert_eq!(
            plan.points[1].scenario.formal.hours_per_1000_residents,
            250.5
        );
        let written = crate::output::table_bytes(&design_table(&plan)).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), design);
        let problem: serde_json::Value =
            serde_json::from_str(&salib_problem(&plan).unwrap()).unwrap();
        assert_eq!(problem["num_vars"], 2);
        assert_eq!(problem["bounds"][0], serde_json::json!([0.25, 0.75]));
        assert_eq!(problem["bounds"][1], serde_json::json!([100.0, 300.0]));
    }

    #[test]
    fn a_sampled_design_states_its_parameters_ranges() {
        let (_dir, path) = experiment(
            "design = \"morris\"\nsamples = 2\n[[parameter]]\npath = \"neighbourhood[0].cohesion\"\n\
             low = 0.1\nhigh = 0.9\n",
            &[],
        );
        let plan = Plan::load(&path).unwrap();
        let problem: serde_json::Value =
            serde_json::from_str(&salib_problem(&plan).unwrap()).unwrap();
        assert_eq!(
            problem["names"],
            serde_json::json!(["neighbourhood[0].cohesion"])
        );
        assert_eq!(problem["bounds"], serde_json::json!([[0.1, 0.9]]));
        assert_eq!(design_table(&plan).len(), 2 * 2);
    }

    /// QA 30: a design file's sample (here two Morris trajectories that never
    /// reach cohesion 0.9) is not its range: the experiment file can state the
    /// bounds it was drawn from, and those go to salib_problem.json.
    #[test]
    fn a_design_file_takes_the_bounds_its_experiment_file_declares() {
        let design = "neighbourhood[*].cohesion,formal.hours_per_1000_residents\n\
                      0.1,100\n0.3667,100\n0.3667,193.33\n";
        let declared = "design = \"file\"\nfile = \"d.csv\"\n[[parameter]]\n\
                        path = \"neighbourhood[*].cohesion\"\nlow = 0.1\nhigh = 0.9\n";
        let (_dir, path) = experiment(declared, &[("d.csv", design)]);
        let plan = Plan::load(&path).unwrap();
        let problem: serde_json::Value =
            serde_json::from_str(&salib_problem(&plan).unwrap()).unwrap();
        assert_eq!(
            problem["bounds"],
            serde_json::json!([[0.1, 0.9], [100.0, 193.33]])
        );
        assert_eq!(
            problem["carenet_bounds_from"],
            serde_json::json!(["experiment file", "values' range"])
        );

        let problems = |text: &str| {
            let (_dir, path) = experiment(text, &[("d.csv", design)]);
            Plan::load(&path)
                .unwrap_err()
                .problems()
                .iter()
                .map(|p| format!("{}: {} / {}", p.path, p.message, p.fix))
                .collect::<Vec<_>>()
        };
        let head = "design = \"file\"\nfile = \"d.csv\"\n[[parameter]]\n";
        // A value outside the declared range.
        let narrow = problems(&format!(
            "{head}path = \"formal.hours_per_1000_residents\"\nlow = 100\nhigh = 150\n"
        ));
        assert_eq!(narrow.len(), 1, "{narrow:?}");
        assert!(
            narrow[0].starts_with(
                "parameter[0]: d.csv, point 2 (line 4) has `formal.hours_per_1000_residents` \
                 = 193.33, outside `low` = 100 to `high` = 150"
            ),
            "{narrow:?}"
        );
        // A range for a key path the file does not set.
        let other = problems(&format!("{head}path = \"weeks\"\nlow = 1\nhigh = 3\n"));
        assert!(
            other[0].starts_with("parameter[0].path: `weeks` is not a column of d.csv"),
            "{other:?}"
        );
        // A misspelt path is the parameter's, not the file's column.
        let misspelt = problems(&format!(
            "{head}path = \"neighbourhood[*].cohesoin\"\nlow = 0.1\nhigh = 0.9\n"
        ));
        assert!(
            misspelt[0].starts_with("parameter[0].path: ") && !misspelt[0].contains("d.csv"),
            "{misspelt:?}"
        );
        // Values instead of a range; a range upside down.
        let values = problems(&format!(
            "{head}path = \"neighbourhood[*].cohesion\"\nvalues = [0.1, 0.9]\n"
        ));
        assert!(
            values[0].contains("needs `low` and `high`: they state the range"),
            "{values:?}"
        );
        let upside_down = problems(&format!(
            "{head}path = \"neighbourhood[*].cohesion\"\nlow = 0.9\nhigh = 0.1\n"
        ));
        assert!(
            upside_down[0].starts_with("parameter[0].low: `low` = 0.9 is not below"),
            "{upside_down:?}"
        );
    }

    #[test]
    fn bad_design_files_are_explained() {
        let message = |text: &str, files: &[(&str, &str)]| {
            let (_dir, path) = experiment(text, files);
            Plan::load(&path).unwrap_err().to_string()
        };
        let file = "design = \"file\"\nfile = \"d.csv\"\n";
        assert!(message("design = \"file\"\n", &[]).contains("needs `file`"));
        assert!(message(file, &[]).contains("cannot read the design file"));
        assert!(message(file, &[("d.csv", "weeks\n")]).contains("no points"));
        // QA 37: a short line was the CSV reader's "found record with 1
        // fields, but the previous record has 2 fields", and its fix said to
        // give the file's path.
        let ragged = message(file, &[("d.csv", "weeks,burn_in_weeks\n3,1\n4\n")]);
        assert!(
            ragged.contains(
                "d.csv, line 3: 1 value where the first line names 2 columns \
                 (weeks, burn_in_weeks)"
            ) && ragged.contains("one value for each column, in the first line's order")
                && !ragged.contains("CSV error")
                && !ragged.contains("give the path"),
            "{ragged}"
        );
        let long = message(file, &[("d.csv", "point,weeks\n0,3\n1,4,5\n")]);
        assert!(
            long.contains(
                "d.csv, line 3: 3 values where the first line names 2 columns (point, weeks)"
            ),
            "{long}"
        );
        let unknown = message(file, &[("d.csv", "behaviour.ask.bse\n0.5\n")]);
        assert!(
            unknown.contains("d.csv, column `behaviour.ask.bse`: no field `bse` here")
                && unknown.contains("did you mean `base`?"),
            "{unknown}"
        );
        let out_of_range = message(file, &[("d.csv", "neighbourhood[0].cohesion\n0.5\n1.5\n")]);
        assert!(
            out_of_range.contains("point 1") && out_of_range.contains("cohesion"),
            "{out_of_range}"
        );
        // A built-in scenario by name; a text column makes no SALib problem,
        // but still a design.
        let (dir, _) = experiment(file, &[("d.csv", "name\nx\ny\n")]);
        let path = dir.path().join("builtin.toml");
        let text = "name = \"b\"\nscenario = \"pv1-0-none\"\ndesign = \"file\"\nfile = \"d.csv\"\n";
        std::fs::write(&path, text).unwrap();
        let plan = Plan::load(&path).unwrap();
        assert_eq!(plan.points[1].scenario.name, "y");
        assert_eq!(
            plan.base,
            crate::scenario::builtin::load("pv1-0-none").unwrap()
        );
        assert!(salib_problem(&plan).is_none());
    }
}
