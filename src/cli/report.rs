//! `carenet report`: an HTML page with charts of a results folder.

use std::path::PathBuf;

use carenet::report::write_report_with;
use clap::Args;

use super::Failure;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A folder written by `carenet run` (one run or --replicates) or `carenet compare`.
    dir: PathBuf,
    /// The HTML file to write (default: DIR/report.html): a new file (a missing
    /// folder is made, and said), or an earlier report, which is replaced; any
    /// other file is refused unless --force. Symlinks, devices, FIFOs and
    /// folders are refused. The charts always go to DIR/charts/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the file at --out even if it is not a report carenet wrote, and
    /// charts in DIR/charts/ changed since the last report wrote them (without
    /// it, such files are refused and kept).
    #[arg(long)]
    force: bool,
}

pub fn report(args: ReportArgs) -> Result<(), Failure> {
    let written = write_report_with(&args.dir, args.out.as_deref(), args.force)?;
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
        args.dir.join("charts").display()
    );
    Ok(())
}
