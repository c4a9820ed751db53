//! Snapshots of `summary.csv` for the baseline, one research setting and one
//! policy variant, kept in `tests/snapshots/`. A change to the model that moves
//! any outcome fails here and shows up in review as a change to these files.
//!
//! After a deliberate model change, rewrite them with
//! `UPDATE_SNAPSHOTS=1 cargo test --release --test it snapshots::` and review the diff
//! (`git diff tests/snapshots/`) as part of the change.

use std::path::PathBuf;

use carenet::experiment::Run;
use carenet::output::{summary_row, table_bytes};
use carenet::scenario::parse_str;

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.summary.csv"))
}

/// The `summary.csv` of a shipped scenario, computed through the library.
fn summary_of(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).expect("shipped scenario");
    let scenario = parse_str(&text, &path.display().to_string()).expect("valid scenario");
    let run = Run::execute(&scenario, &mut |_| {});
    let residents = run.world().people.area_residents();
    let row = summary_row(&scenario, residents, &run.record);
    String::from_utf8(table_bytes(&[row]).expect("csv")).expect("utf-8")
}

/// Column by column, what changed (the row is long; a plain diff of one line
/// would not say where).
fn changed_columns(expected: &str, actual: &str) -> Vec<String> {
    let cells = |text: &str| -> Vec<(String, String)> {
        let mut lines = text.lines();
        let header: Vec<String> = lines
            .next()
            .unwrap_or("")
            .split(',')
            .map(String::from)
            .collect();
        let values: Vec<String> = lines
            .next()
            .unwrap_or("")
            .split(',')
            .map(String::from)
            .collect();
        header.into_iter().zip(values).collect()
    };
    let (old, new) = (cells(expected), cells(actual));
    let mut changes: Vec<String> = old
        .iter()
        .zip(&new)
        .filter(|(a, b)| a != b)
        .map(|((column, was), (_, now))| format!("{column}: {was} -> {now}"))
        .collect();
    if old.len() != new.len() || old.iter().zip(&new).any(|(a, b)| a.0 != b.0) {
        changes.push("the columns themselves changed".into());
    }
    changes
}

fn check(name: &str) {
    let actual = summary_of(name);
    let path = snapshot_path(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write snapshot");
        return;
    }
    let expected =
        std::fs::read_to_string(&path).expect("snapshot file (UPDATE_SNAPSHOTS=1 writes it)");
    assert!(
        expected == actual,
        "{name}: summary.csv differs from {}:\n{}\n(rewrite with UPDATE_SNAPSHOTS=1 if the change is meant)",
        path.display(),
        changed_columns(&expected, &actual).join("\n")
    );
}

#[test]
fn baseline_summary_is_unchanged() {
    check("baseline");
}

#[test]
fn linders_drents_dorp_summary_is_unchanged() {
    check("linders-drents-dorp");
}

#[test]
fn pv1_help_exchange_with_reciprocity_summary_is_unchanged() {
    check("pv1-4-help-exchange-reciprocity");
}

#[test]
fn a_changed_value_is_named_by_its_column() {
    let changes = changed_columns("a,b,c\n1,2,3\n", "a,b,c\n1,5,3\n");
    assert_eq!(changes, vec!["b: 2 -> 5".to_string()]);
    assert!(
        changed_columns("a,b\n1,2\n", "a,c\n1,2\n")
            .last()
            .unwrap()
            .contains("columns")
    );
}
