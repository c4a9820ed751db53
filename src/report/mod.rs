//! `carenet report`: one self-contained HTML page (inline CSS, charts as inline
//! SVG) about a run, replicate or comparison folder, plus every chart as its own
//! SVG and PNG file in `charts/`.
//!
//! [`tables`] reads the CSV files by column name, [`charts`] draws them with
//! plotters' SVG backend, [`html`] puts the page together. The folder kind is
//! recognised from its files ([`FolderKind::detect`]).

pub mod charts;
pub mod html;
pub mod png;
pub mod tables;

use std::fs;
use std::path::{Path, PathBuf};

pub use crate::output::CHART_RECORD;
use crate::output::{OutputError, write_atomically};

use tables::Table;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read CSV {}: {source}", path.display())]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{} has no column `{column}`; was it written by this version of carenet?", path.display())]
    MissingColumn { path: PathBuf, column: String },
    #[error(
        "{} is not a carenet run, replicate or comparison folder\n  \
         a run folder needs {run}\n  \
         a replicate folder needs {replicates}\n  \
         a comparison folder needs {comparison}\n  \
         fix: point carenet report at a folder written by `carenet run` or `carenet compare`",
        path.display()
    )]
    UnknownFolder {
        path: PathBuf,
        run: String,
        replicates: String,
        comparison: String,
    },
    #[error(
        "{} is an experiment folder (`carenet sweep`, `sensitivity`, `calibrate` or `merge`): \
         a report is of one run, replicates or a comparison, and an experiment's outcomes \
         are the tables runs.csv (runs.xlsx for Excel) and weeks.csv\n  \
         fix: {fix}",
        path.display()
    )]
    ExperimentFolder { path: PathBuf, fix: String },
    #[error(
        "{} is not a folder\n  \
         fix: give the folder a run or comparison wrote its outputs to, e.g. results/baseline",
        path.display()
    )]
    NoFolder { path: PathBuf },
    #[error(
        "{}, row {row} (line {line}), column `{column}`: `{value}` is not a number carenet writes (finite, at most 1e15 in size)\n  \
         fix: carenet writes such numbers, or an empty cell for NA; rerun the run that wrote this file",
        path.display()
    )]
    BadValue {
        path: PathBuf,
        row: usize,
        line: usize,
        column: String,
        value: String,
    },
    #[error(
        "{} has a header but no rows; it is truncated\n  fix: rerun the run that wrote this folder",
        path.display()
    )]
    NoRows { path: PathBuf },
    #[error(
        "cannot write the report to {}: it is {what}\n  \
         fix: give --out the path of a regular file (an existing one is replaced) or of a new file",
        path.display()
    )]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "{} exists and is not a report carenet wrote, so it is not replaced\n  \
         fix: give --out a new file (or an earlier report), or pass --force to replace it",
        path.display()
    )]
    NotAReport { path: PathBuf },
    #[error(
        "{} was changed after carenet report wrote it (its SHA-256 differs from {}), so it is not replaced\n  \
         fix: move your copy out of the charts folder (or rename it), or pass --force to replace it",
        path.display(),
        CHART_RECORD
    )]
    EditedChart { path: PathBuf },
    #[error("cannot draw the chart \"{chart}\": {message}")]
    Chart { chart: String, message: String },
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// What a results folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderKind {
    /// `carenet run`: one run's outcome tables.
    Run,
    /// `carenet run --replicates N`: `replicate-NNN/` run folders and their aggregate.
    Replicates,
    /// `carenet compare`: variants with differences from the base.
    Comparison,
}

const RUN_FILES: [&str; 4] = [
    "timeseries.csv",
    "flows.csv",
    "neighbourhoods.csv",
    "summary.csv",
];
const REPLICATE_FILES: [&str; 3] = [
    "summary_aggregate.csv",
    "summary.csv",
    "replicate-001/summary.csv",
];
const COMPARISON_FILES: [&str; 3] = ["comparison.csv", "comparison.md", "runs.csv"];

/// What to do with an experiment folder instead: report its first run where
/// the sweep kept that run's tables (`keep_runs = true`), else run that
/// point again in full from the scenario its folder keeps (with its values
/// and seed) and report that; or read its tables.
fn experiment_report_fix(dir: &Path) -> String {
    let tables = "or read runs.csv with pandas, R or Excel (runs.xlsx)";
    let mut runs: Vec<PathBuf> = std::fs::read_dir(dir.join("runs"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.join("scenario.toml").is_file())
                .collect()
        })
        .unwrap_or_default();
    runs.sort();
    let Some(run) = runs.first() else {
        return format!("report a run of it, {tables}");
    };
    if RUN_FILES.iter().all(|file| run.join(file).is_file()) {
        return format!(
            "report one of its runs, e.g. `carenet report {}`, {tables}",
            run.display()
        );
    }
    let name = run.file_name().unwrap_or_default().to_string_lossy();
    format!(
        "its runs keep only their summary (set `keep_runs = true` in the experiment file to keep \
         every run's tables); to see one point, run it again in full from the scenario its \
         folder keeps (the point's values and seed) and report that: \
         `carenet run {} --out {name}` and `carenet report {name}`; {tables}",
        run.join("scenario.toml").display()
    )
}

impl FolderKind {
    /// The kind of `dir`, from its files; an error naming what each kind is missing.
    pub fn detect(dir: &Path) -> Result<FolderKind, ReportError> {
        if !dir.is_dir() {
            return Err(ReportError::NoFolder {
                path: dir.to_path_buf(),
            });
        }
        let missing = |files: &[&str]| -> Vec<String> {
            files
                .iter()
                .filter(|f| !dir.join(f).is_file())
                .map(|f| f.to_string())
                .collect()
        };
        let (comparison, replicates, mut run) = (
            missing(&COMPARISON_FILES),
            missing(&REPLICATE_FILES),
            missing(&RUN_FILES),
        );
        if comparison.is_empty() {
            return Ok(FolderKind::Comparison);
        }
        if replicates.is_empty() {
            let inner: Vec<String> = RUN_FILES
                .iter()
                .map(|f| format!("replicate-001/{f}"))
                .filter(|f| !dir.join(f).is_file())
                .collect();
            if inner.is_empty() {
                return Ok(FolderKind::Replicates);
            }
            run = inner;
        } else if run.is_empty() {
            return Ok(FolderKind::Run);
        }
        if dir.join("experiment.toml").is_file() {
            return Err(ReportError::ExperimentFolder {
                path: dir.to_path_buf(),
                fix: experiment_report_fix(dir),
            });
        }
        let describe = |files: &[&str], missing: &[String]| {
            format!("{} (missing: {})", files.join(", "), missing.join(", "))
        };
        Err(ReportError::UnknownFolder {
            path: dir.to_path_buf(),
            run: describe(&RUN_FILES, &run),
            replicates: describe(&REPLICATE_FILES, &replicates),
            comparison: describe(&COMPARISON_FILES, &comparison),
        })
    }

    pub fn describe(self) -> &'static str {
        match self {
            FolderKind::Run => "run",
            FolderKind::Replicates => "replicate",
            FolderKind::Comparison => "comparison",
        }
    }
}

pub use crate::metrics::{Format, Metric};

/// The headline metrics of summary.csv shown in a report's table, by column of
/// the metric table (`crate::metrics`, which gives their labels and formats).
const SUMMARY_COLUMNS: [&str; 28] = [
    "need_hours",
    "household_hours",
    "informal_hours",
    "formal_hours",
    "long_term_care_hours",
    "formal_cost_eur",
    "intervention_cost_eur",
    "formal_cost_wmo_eur",
    "formal_cost_zvw_eur",
    "formal_cost_wlz_eur",
    "unmet_hours",
    "unmet_share",
    "residents_with_unmet_need_share",
    "within_neighbourhood_share",
    "cross_neighbourhood_share",
    "outside_share",
    "outbound_hours",
    "outbound_nursing_home_hours",
    "usual_help_hours",
    "mean_strain",
    "p90_strain",
    "burnouts",
    "intakes",
    "intake_network_involved_share",
    "intake_network_burdened_share",
    "mean_wait_weeks",
    "mean_waiting_list",
    "left_waiting_list",
];

/// The headline metrics of summary.csv shown in a report's table, in order.
pub fn summary_metrics() -> impl Iterator<Item = &'static Metric> {
    SUMMARY_COLUMNS.iter().filter_map(|c| metric_of(c))
}

/// The metrics of a comparison's interval charts.
pub const COMPARISON_METRICS: [&str; 10] = [
    "unmet_share",
    "informal_hours",
    "formal_hours",
    "formal_cost_wmo_eur",
    "within_neighbourhood_share",
    "outbound_hours",
    "mean_strain",
    "burnouts",
    "intake_network_burdened_share",
    "mean_wait_weeks",
];

/// The metric of a column, if it is one.
pub fn metric_of(column: &str) -> Option<&'static Metric> {
    crate::metrics::find(column)
}

pub use crate::lang::Lang;

/// The report's formatting of numbers and labels in a language.
impl Lang {
    /// [`format_value`] in this language.
    pub fn value(self, value: f64, format: Format) -> String {
        self.number(&format_value(value, format))
    }

    /// [`thousands`] in this language.
    pub fn thousands(self, value: f64) -> String {
        self.number(&thousands(value))
    }

    /// `value` with `decimals` decimals, in this language.
    pub fn decimal(self, value: f64, decimals: usize) -> String {
        self.number(&format!("{value:.decimals$}"))
    }
}

/// A value as a report shows it: `58,805`, `24.2%`, `0.24`, `698`, `6.1`.
pub fn format_value(value: f64, format: Format) -> String {
    match format {
        Format::Hours | Format::Count => thousands(value),
        Format::Share => format!("{:.1}%", value * 100.0),
        Format::Strain => format!("{value:.2}"),
        Format::Decimal => format!("{value:.1}"),
        Format::Euro => format!("€ {}", thousands(value)),
    }
}

/// A number rounded to a whole number, with thousands separators.
pub fn thousands(value: f64) -> String {
    let rounded = value.round();
    let mut out = crate::metrics::grouped(&format!("{:.0}", rounded.abs()));
    if rounded < 0.0 {
        out.insert(0, '−');
    }
    out
}

/// What `carenet report` wrote.
#[derive(Debug)]
pub struct Written {
    pub kind: FolderKind,
    pub html: PathBuf,
    /// Every chart's SVG and PNG file.
    pub charts: Vec<PathBuf>,
    /// The folder of the charts: [`chart_folder`].
    pub chart_dir: PathBuf,
    /// The folder made for the HTML file, which did not exist (to be said).
    pub created_folder: Option<PathBuf>,
}

/// The report's file when `--out` is not given: `DIR/report.html` in
/// English, `DIR/report.nl.html` in Dutch, so that a folder can hold a report
/// in each language side by side (QA 34: a Dutch report replaced the English
/// one).
pub fn default_report_file(dir: &Path, lang: Lang) -> PathBuf {
    dir.join(page_record(lang).0)
}

/// Where a report's charts go: `DIR/charts/` in English, `DIR/charts/nl/` in
/// Dutch, each folder with its own record of the files written, so that a
/// Dutch report leaves the English charts (of the English page, and perhaps
/// on a user's slides) as they were.
pub fn chart_folder(dir: &Path, lang: Lang) -> PathBuf {
    dir.join(page_record(lang).1)
}

/// The default page's entry of [`crate::output::PAGE_RECORDS`] in `lang`:
/// (page, charts' folder, name in the charts' record).
fn page_record(lang: Lang) -> (&'static str, &'static str, &'static str) {
    crate::output::PAGE_RECORDS[match lang {
        Lang::En => 0,
        Lang::Nl => 1,
    }]
}

/// Writes the report of `dir` to `out` (default `dir/report.html`) and its charts
/// to `dir/charts/`.
pub fn write_report(dir: &Path, out: Option<&Path>) -> Result<Written, ReportError> {
    write_report_with(dir, out, false)
}

/// [`write_report`]; with `force`, an existing file at `out` is replaced even if
/// it is not a report carenet wrote (without, such a file is refused, so that a
/// slip of `--out` cannot overwrite a run's data or a user's file).
pub fn write_report_with(
    dir: &Path,
    out: Option<&Path>,
    force: bool,
) -> Result<Written, ReportError> {
    write_report_in(dir, out, force, Lang::En)
}

/// [`write_report_with`] in `lang`: the page's words, the charts' titles, axes,
/// legends and notes, and its numbers (`carenet report --lang nl`). The page
/// goes to `out`, else [`default_report_file`], and the charts to
/// [`chart_folder`].
pub fn write_report_in(
    dir: &Path,
    out: Option<&Path>,
    force: bool,
    lang: Lang,
) -> Result<Written, ReportError> {
    let kind = FolderKind::detect(dir)?;
    let html_path = out.map_or_else(|| default_report_file(dir, lang), Path::to_path_buf);
    let missing_folder = check_destination(&html_path)?;
    if !force
        && missing_folder.is_none()
        && html_path.is_file()
        && !crate::output::is_carenet_report(&html_path)
    {
        return Err(ReportError::NotAReport { path: html_path });
    }
    let (page, charts) = match kind {
        FolderKind::Run => {
            let run = RunTables::read(dir)?;
            let charts = charts::run_charts(&run, lang)?;
            (html::run_page(dir, &run, &charts, lang)?, charts)
        }
        FolderKind::Replicates => {
            let aggregate = Table::read_with_rows(&dir.join("summary_aggregate.csv"))?;
            let years = read_if_there(&dir.join("yearly_aggregate.csv"))?;
            let first = RunTables::read(&dir.join("replicate-001"))?;
            let charts = charts::run_charts(&first, lang)?;
            (
                html::replicate_page(dir, (&aggregate, years.as_ref()), &first, &charts, lang)?,
                charts,
            )
        }
        FolderKind::Comparison => {
            let comparison = Table::read_with_rows(&dir.join("comparison.csv"))?;
            let markdown = read_text(&dir.join("comparison.md"))?;
            let mut charts = charts::comparison_charts(&comparison, lang)?;
            if let Some(years) = read_if_there(&dir.join("yearly_comparison.csv"))? {
                charts.extend(charts::yearly_difference_charts(&years, lang)?);
            }
            // The reported weeks of every run: what the totals cover.
            let weeks: Vec<u32> = Table::read_with_rows(&dir.join("runs.csv"))?
                .numbers("weeks")?
                .into_iter()
                .map(|w| w as u32)
                .collect();
            let tables = html::ComparisonTables {
                comparison,
                costs: read_if_there(&dir.join("cost_effectiveness.csv"))?,
                yearly: read_if_there(&dir.join("yearly_aggregate.csv"))?,
                weeks,
            };
            (
                html::comparison_page(dir, &tables, &markdown, &charts, lang)?,
                charts,
            )
        }
    };
    let chart_dir = chart_folder(dir, lang);
    if !force {
        check_charts_unchanged(&chart_dir, &charts)?;
    }
    let files = chart_files(&charts)?;
    fs::create_dir_all(&chart_dir).map_err(|source| ReportError::Io {
        path: chart_dir.clone(),
        source,
    })?;
    let recorded = (html_path == default_report_file(dir, lang)).then(|| RecordedPage {
        recorded_as: page_record(lang).2,
        path: &html_path,
        bytes: page.as_bytes(),
    });
    let written = write_chart_files(&chart_dir, &files, recorded.as_ref())?;
    if recorded.is_none() {
        if let Some(folder) = &missing_folder {
            fs::create_dir_all(folder).map_err(|source| ReportError::Io {
                path: folder.clone(),
                source,
            })?;
        }
        write_atomically(&html_path, page.as_bytes())?;
    }
    Ok(Written {
        kind,
        html: html_path,
        charts: written,
        chart_dir,
        created_folder: missing_folder,
    })
}

/// A chart's file as it will be written: its name in the charts folder and
/// its bytes.
struct ChartFile {
    name: String,
    bytes: Vec<u8>,
}

/// Every chart's SVG and PNG, drawn before anything is written, so that a
/// chart that cannot be drawn leaves the folder as it was.
fn chart_files(charts: &[charts::Chart]) -> Result<Vec<ChartFile>, ReportError> {
    let mut files = Vec::with_capacity(2 * charts.len());
    for chart in charts {
        let bitmap = png::svg_to_png(&chart.svg).map_err(|message| ReportError::Chart {
            chart: chart.title.clone(),
            message,
        })?;
        files.push(ChartFile {
            name: format!("{}.svg", chart.file),
            bytes: chart.svg.as_bytes().to_vec(),
        });
        files.push(ChartFile {
            name: format!("{}.png", chart.file),
            bytes: bitmap,
        });
    }
    Ok(files)
}

/// `sha256sum`'s lines for the files, one each, in their order.
fn record_lines(files: &[ChartFile]) -> String {
    files
        .iter()
        .map(|f| format!("{}  {}\n", crate::output::sha256_hex(&f.bytes), f.name))
        .collect()
}

/// The report's page where the charts' record lists it
/// ([`crate::output::PAGE_RECORDS`]): the default page of the folder, so
/// that a run recognises it as carenet's only while nobody changed it.
struct RecordedPage<'a> {
    /// Its name in the record, from the charts' folder.
    recorded_as: &'static str,
    path: &'a Path,
    bytes: &'a [u8],
}

/// Writes the charts' files, the page if it is recorded with them, and their
/// record, and returns the charts' paths. Before the first file the record
/// lists each file's new hash besides what it listed (the old one,
/// [`record_while_writing`]), so a report stopped half-way (a full disk,
/// Ctrl-C) leaves a charts folder and page its record still describes: the
/// next report or run takes them as carenet's, not as charts a user touched
/// up (QA 40's left-over). The last record lists what the folder then holds
/// ([`record_when_written`]).
fn write_chart_files(
    chart_dir: &Path,
    files: &[ChartFile],
    page: Option<&RecordedPage>,
) -> Result<Vec<PathBuf>, ReportError> {
    let record_path = chart_dir.join(CHART_RECORD);
    let earlier = fs::read_to_string(&record_path).unwrap_or_default();
    let mut new_lines = record_lines(files);
    if let Some(page) = page {
        let hash = crate::output::sha256_hex(page.bytes);
        new_lines += &format!("{hash}  {}\n", page.recorded_as);
    }
    write_atomically(
        &record_path,
        record_while_writing(&earlier, &new_lines).as_bytes(),
    )?;
    let mut written = Vec::with_capacity(files.len());
    for file in files {
        let path = chart_dir.join(&file.name);
        write_atomically(&path, &file.bytes)?;
        written.push(path);
    }
    if let Some(page) = page {
        write_atomically(page.path, page.bytes)?;
    }
    let last = record_when_written(chart_dir, &earlier, &new_lines);
    write_atomically(&record_path, last.as_bytes())?;
    Ok(written)
}

/// The record while the files are written: the earlier record's lines, then
/// the new files' `new_lines` ([`record_lines`]).
fn record_while_writing(earlier: &str, new_lines: &str) -> String {
    let mut record: String = earlier.lines().map(|line| format!("{line}\n")).collect();
    record.push_str(new_lines);
    record
}

/// The record once the files are written: the lines of the earlier record's
/// files that this report did not write and nobody changed, then the new
/// files' `new_lines`.
fn record_when_written(chart_dir: &Path, earlier: &str, new_lines: &str) -> String {
    let name_of = |line: &str| line.split_once("  ").map(|(_, name)| name.to_string());
    let new_names: Vec<String> = new_lines.lines().filter_map(name_of).collect();
    let mut record: String = earlier
        .lines()
        .filter(|line| {
            line.split_once("  ").is_some_and(|(hash, name)| {
                !new_names.iter().any(|new| new == name)
                    && fs::read(chart_dir.join(name))
                        .is_ok_and(|bytes| crate::output::sha256_hex(&bytes) == hash)
            })
        })
        .map(|line| format!("{line}\n"))
        .collect();
    record.push_str(new_lines);
    record
}

/// Refuses to write over a chart file of `charts` that is in `chart_dir` but
/// not as the last report recorded it. Without a record (a folder reported
/// before session 26) every chart is replaced, as then.
fn check_charts_unchanged(chart_dir: &Path, charts: &[charts::Chart]) -> Result<(), ReportError> {
    let Ok(record) = fs::read_to_string(chart_dir.join(CHART_RECORD)) else {
        return Ok(());
    };
    for chart in charts {
        for extension in ["svg", "png"] {
            let name = format!("{}.{extension}", chart.file);
            let path = chart_dir.join(&name);
            let Ok(bytes) = fs::read(&path) else {
                continue;
            };
            if !crate::output::record_lists(&record, &name, &crate::output::sha256_hex(&bytes)) {
                return Err(ReportError::EditedChart { path });
            }
        }
    }
    Ok(())
}

/// Refuses a report destination that is not a regular file or a new file: a
/// device, FIFO, socket, folder or symlink would be replaced by the rename.
/// Returns the destination's folder when it does not exist yet, to be made
/// (and said) once the report is ready.
fn check_destination(path: &Path) -> Result<Option<PathBuf>, ReportError> {
    crate::output::refuse_a_file_on_the_way(path)?;
    let refuse = |what| ReportError::NotAFile {
        path: path.to_path_buf(),
        what,
    };
    match fs::symlink_metadata(path) {
        Ok(metadata) => {
            let kind = metadata.file_type();
            if kind.is_file() {
                Ok(None)
            } else if kind.is_symlink() {
                Err(refuse("a symbolic link"))
            } else if kind.is_dir() {
                Err(refuse("a folder"))
            } else {
                Err(refuse("a device, FIFO or socket, not a regular file"))
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Ok((!folder.is_dir()).then(|| folder.to_path_buf()))
        }
        Err(source) => Err(ReportError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// A table a folder may lack: cost_effectiveness.csv before session 28,
/// yearly_aggregate.csv of runs of a year or less (and of replicates before
/// session 35).
fn read_if_there(path: &Path) -> Result<Option<Table>, ReportError> {
    if path.is_file() {
        Table::read_with_rows(path).map(Some)
    } else {
        Ok(None)
    }
}

fn read_text(path: &Path) -> Result<String, ReportError> {
    fs::read_to_string(path).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The outcome tables of one run folder.
#[derive(Debug, Clone)]
pub struct RunTables {
    pub timeseries: Table,
    pub flows: Table,
    pub neighbourhoods: Table,
    pub summary: Table,
    /// `yearly.csv`, in a run of several years.
    pub yearly: Option<Table>,
}

impl RunTables {
    pub fn read(dir: &Path) -> Result<RunTables, ReportError> {
        Ok(RunTables {
            timeseries: Table::read_with_rows(&dir.join("timeseries.csv"))?,
            flows: Table::read(&dir.join("flows.csv"))?,
            neighbourhoods: Table::read_with_rows(&dir.join("neighbourhoods.csv"))?,
            summary: Table::read_with_rows(&dir.join("summary.csv"))?,
            yearly: {
                let path = dir.join(crate::output::YEARLY_CSV);
                match path.is_file() {
                    true => Some(Table::read_with_rows(&path)?),
                    false => None,
                }
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(name: &str, bytes: &[u8]) -> ChartFile {
        ChartFile {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    /// A report stopped after any of its chart files (a full disk, Ctrl-C)
    /// leaves a charts folder that is still carenet's: the next report does
    /// not take its charts for a user's, and a run may replace the folder.
    /// Before session 41 the record was written last, so the files replaced
    /// before the stop no longer matched the old record.
    #[test]
    fn a_report_stopped_between_its_chart_files_leaves_charts_it_recognises() {
        let old = [
            chart("a.svg", b"old a"),
            chart("b.svg", b"old b"),
            chart("c.png", b"c"),
        ];
        let new = [chart("a.svg", b"new a"), chart("b.svg", b"new b")];
        for stopped_after in 0..=new.len() {
            let dir = tempfile::tempdir().unwrap();
            let charts = dir.path().join("charts");
            fs::create_dir(&charts).unwrap();
            write_chart_files(&charts, &old, None).unwrap();
            let earlier = fs::read_to_string(charts.join(CHART_RECORD)).unwrap();
            fs::write(
                charts.join(CHART_RECORD),
                record_while_writing(&earlier, &record_lines(&new)),
            )
            .unwrap();
            for file in &new[..stopped_after] {
                fs::write(charts.join(&file.name), &file.bytes).unwrap();
            }
            assert!(
                crate::output::is_report_output(dir.path(), "charts"),
                "stopped after {stopped_after} files"
            );
            write_chart_files(&charts, &new, None).unwrap();
            let record = fs::read_to_string(charts.join(CHART_RECORD)).unwrap();
            assert_eq!(record.lines().count(), 3, "one line a file: {record}");
            assert!(
                record.contains("  c.png"),
                "the earlier report's chart is kept"
            );
            assert!(crate::output::is_report_output(dir.path(), "charts"));
        }
    }

    #[test]
    fn dutch_numbers_swap_the_separators() {
        assert_eq!(Lang::Nl.thousands(1_234_567.4), "1.234.567");
        assert_eq!(Lang::Nl.value(0.1875, Format::Share), "18,8%");
        assert_eq!(Lang::Nl.value(9_800.0, Format::Euro), "€ 9.800");
        assert_eq!(Lang::Nl.decimal(0.25, 2), "0,25");
        assert_eq!(Lang::En.value(0.1875, Format::Share), "18.8%");
        assert_eq!(Lang::En.thousands(1_234_567.4), "1,234,567");
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(thousands(58804.86), "58,805");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(-1234.0), "−1,234");
        assert_eq!(format_value(0.24189, Format::Share), "24.2%");
        assert_eq!(format_value(0.23518, Format::Strain), "0.24");
    }

    #[test]
    fn every_shown_metric_is_in_the_metric_table() {
        assert_eq!(summary_metrics().count(), SUMMARY_COLUMNS.len());
        for column in COMPARISON_METRICS {
            assert!(metric_of(column).is_some(), "{column}");
        }
    }

    #[test]
    fn an_unknown_folder_names_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("summary.csv"), "a\n1\n").unwrap();
        let error = FolderKind::detect(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("missing: timeseries.csv, flows.csv, neighbourhoods.csv"),
            "{error}"
        );
        assert!(
            error.contains("missing: comparison.csv, comparison.md, runs.csv"),
            "{error}"
        );
    }
}
