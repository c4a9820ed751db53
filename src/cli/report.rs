//! `carenet report`: an HTML page with charts of a results folder.

use std::path::PathBuf;

use carenet::report::{Lang, write_report_in};
use clap::{Args, ValueEnum};

use super::Failure;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A folder written by `carenet run` (one run or --replicates) or `carenet compare`.
    dir: PathBuf,
    /// The HTML file to write (default: DIR/report.html, in Dutch
    /// DIR/report.nl.html): a new file (a missing folder is made, and said), or
    /// an earlier report, which is replaced; any other file is refused unless
    /// --force. Symlinks, devices, FIFOs and folders are refused. The charts
    /// always go to DIR/charts/ (in Dutch DIR/charts/nl/), so a report in each
    /// language can stand side by side.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the file at --out even if it is not a report carenet wrote, and
    /// charts in the charts folder changed since the last report in this
    /// language wrote them (without it, such files are refused and kept).
    #[arg(long)]
    force: bool,
    /// The language of the page and its charts: en (English) or nl (Dutch:
    /// words, and numbers as 1.234,5; written to report.nl.html and
    /// charts/nl/). Column and file names stay as written.
    #[arg(long, value_enum, default_value_t = ReportLang::En)]
    lang: ReportLang,
}

/// `--lang`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportLang {
    En,
    Nl,
}

impl From<ReportLang> for Lang {
    fn from(lang: ReportLang) -> Lang {
        match lang {
            ReportLang::En => Lang::En,
            ReportLang::Nl => Lang::Nl,
        }
    }
}

pub fn report(args: ReportArgs) -> Result<(), Failure> {
    let written = write_report_in(&args.dir, args.out.as_deref(), args.force, args.lang.into())?;
    if let Some(folder) = &written.created_folder {
        println!("created the folder {} for the report", folder.display());
    }
    let svg_files = written
        .charts
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .count();
    println!(
        "{} report: {} ({} charts as SVG and PNG in {})",
        written.kind.describe(),
        written.html.display(),
        svg_files,
        written.chart_dir.display()
    );
    Ok(())
}
