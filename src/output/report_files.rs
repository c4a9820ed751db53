//! What `carenet report` writes into a results folder, as the folder
//! protocol knows it: the page (`report.html`, `report.nl.html`) and the
//! charts folder with its record of every chart's SHA-256.
//!
//! A report is made from a run's tables, so a run that replaces the folder
//! makes it out of date. A rerun into a reported folder was refused as
//! holding "what carenet did not write" (session 41), though carenet wrote
//! it; it now replaces a report that is as carenet wrote it (a page carenet
//! made, charts that match their record), and still refuses charts a user
//! touched up and any other file.

use std::fs;
use std::path::Path;

/// The record of the chart files `carenet report` wrote into `DIR/charts/`,
/// in the format of `sha256sum` (`sha256sum -c charts.sha256` checks them),
/// so that a chart a user edited (an SVG touched up for slides) is not
/// written over by the next report or run.
pub const CHART_RECORD: &str = "charts.sha256";

/// The generator a report's page names in its `<meta name="generator">`.
pub const REPORT_GENERATOR: &str = "carenet report";

/// The report's pages in a results folder, English and Dutch, and where
/// each is recorded: its charts' folder
/// (relative to the results folder) and its name in that folder's
/// [`CHART_RECORD`], a path from the charts' folder, as `sha256sum -c` run
/// there reads it. A page is recognised as carenet's only unchanged, so a
/// page a user annotated is not replaced by a rerun.
pub const PAGE_RECORDS: [(&str, &str, &str); 2] = [
    ("report.html", "charts", "../report.html"),
    ("report.nl.html", "charts/nl", "../../report.nl.html"),
];

/// The folder of the Dutch charts, inside the English charts' folder.
const DUTCH_CHARTS: &str = "nl";

/// Whether `path` is a page `carenet report` wrote (a page of its own
/// generator; before session 26 the page said so in its footer).
pub fn is_carenet_report(path: &Path) -> bool {
    fs::read(path).is_ok_and(|bytes| {
        let text = String::from_utf8_lossy(&bytes);
        text.starts_with("<!DOCTYPE html>")
            && (text.contains(&format!(
                "<meta name=\"generator\" content=\"{REPORT_GENERATOR}\">"
            )) || text.contains("Written by <code>carenet report</code>"))
    })
}

/// Whether `record` (a [`CHART_RECORD`]) gives `hash` for the file `name`.
/// A report that is writing its charts lists a file's old and new hash both
/// (so that one stopped half-way leaves a folder its record still
/// describes), so any of a name's lines may match.
pub fn record_lists(record: &str, name: &str, hash: &str) -> bool {
    record.lines().any(|line| {
        line.split_once("  ")
            .is_some_and(|(recorded_hash, file)| file == name && recorded_hash == hash)
    })
}

/// Whether `dir` is a charts folder exactly as reports left it: a record,
/// every other file listed in it with its hash, and at most the Dutch charts'
/// folder, the same. Symbolic links and anything else are not.
fn is_unchanged_chart_folder(dir: &Path, dutch_inside: bool) -> bool {
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return false;
    }
    let Ok(record) = fs::read_to_string(dir.join(CHART_RECORD)) else {
        return false;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.into_iter().all(|entry| {
        let Ok(entry) = entry else {
            return false;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            return false;
        };
        if name == CHART_RECORD {
            kind.is_file()
        } else if dutch_inside && name == DUTCH_CHARTS && kind.is_dir() {
            is_unchanged_chart_folder(&path, false)
        } else {
            kind.is_file()
                && fs::read(&path)
                    .is_ok_and(|bytes| record_lists(&record, &name, &super::sha256_hex(&bytes)))
        }
    })
}

/// Whether the entry `name` of the results folder `dir` is a report's, as
/// carenet wrote it: a report page unchanged since (its hash in its charts'
/// record, [`PAGE_RECORDS`]), or the charts folder unchanged.
pub fn is_report_output(dir: &Path, name: &str) -> bool {
    let path = dir.join(name);
    if name == "charts" {
        return is_unchanged_chart_folder(&path, true);
    }
    let Some((_, charts, recorded_as)) = PAGE_RECORDS.iter().find(|(page, ..)| *page == name)
    else {
        return false;
    };
    let record = fs::read_to_string(dir.join(charts).join(CHART_RECORD)).unwrap_or_default();
    fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        && is_carenet_report(&path)
        && fs::read(&path)
            .is_ok_and(|bytes| record_lists(&record, recorded_as, &super::sha256_hex(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart_folder_with(dir: &Path, files: &[(&str, &[u8])]) -> String {
        fs::create_dir_all(dir).unwrap();
        let mut record = String::new();
        for (name, bytes) in files {
            fs::write(dir.join(name), bytes).unwrap();
            record += &format!("{}  {name}\n", super::super::sha256_hex(bytes));
        }
        fs::write(dir.join(CHART_RECORD), &record).unwrap();
        record
    }

    #[test]
    fn a_chart_folder_as_written_is_a_reports_and_an_edited_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let charts = dir.path().join("charts");
        chart_folder_with(&charts, &[("a.svg", b"<svg/>"), ("a.png", b"png")]);
        chart_folder_with(&charts.join("nl"), &[("a.svg", b"<svg>nl</svg>")]);
        assert!(is_report_output(dir.path(), "charts"));

        fs::write(charts.join("nl/a.svg"), b"<svg>touched up</svg>").unwrap();
        assert!(!is_report_output(dir.path(), "charts"), "an edited chart");
        fs::write(charts.join("nl/a.svg"), b"<svg>nl</svg>").unwrap();
        fs::write(charts.join("notes.txt"), b"mine").unwrap();
        assert!(
            !is_report_output(dir.path(), "charts"),
            "a file of the user's"
        );
        fs::remove_file(charts.join("notes.txt")).unwrap();
        fs::remove_file(charts.join(CHART_RECORD)).unwrap();
        assert!(!is_report_output(dir.path(), "charts"), "no record");
    }

    #[test]
    fn a_record_listing_a_files_old_and_new_hash_accepts_either() {
        let record = "aa  a.svg\nbb  a.svg\ncc  b.svg\n";
        assert!(record_lists(record, "a.svg", "aa"));
        assert!(record_lists(record, "a.svg", "bb"));
        assert!(!record_lists(record, "a.svg", "cc"));
        assert!(!record_lists(record, "c.svg", "cc"));
    }

    #[test]
    fn only_a_page_carenet_wrote_and_nobody_changed_is_a_report() {
        let dir = tempfile::tempdir().unwrap();
        let page = format!(
            "<!DOCTYPE html>\n<html><head><meta name=\"generator\" content=\"{REPORT_GENERATOR}\">"
        );
        let recorded =
            |name: &str, bytes: &[u8]| format!("{}  {name}\n", super::super::sha256_hex(bytes));
        fs::create_dir_all(dir.path().join("charts/nl")).unwrap();
        fs::write(dir.path().join("report.html"), &page).unwrap();
        fs::write(
            dir.path().join("charts").join(CHART_RECORD),
            recorded("../report.html", page.as_bytes()),
        )
        .unwrap();
        let mine = "<!DOCTYPE html><p>mine</p>";
        fs::write(dir.path().join("report.nl.html"), mine).unwrap();
        fs::write(
            dir.path().join("charts/nl").join(CHART_RECORD),
            recorded("../../report.nl.html", mine.as_bytes()),
        )
        .unwrap();
        fs::write(dir.path().join("notes.html"), "<!DOCTYPE html>").unwrap();
        assert!(is_report_output(dir.path(), "report.html"));
        assert!(
            !is_report_output(dir.path(), "report.nl.html"),
            "not carenet's"
        );
        assert!(!is_report_output(dir.path(), "notes.html"));

        fs::write(
            dir.path().join("report.html"),
            format!("{page}<p>my note</p>"),
        )
        .unwrap();
        assert!(!is_report_output(dir.path(), "report.html"), "annotated");
    }
}
