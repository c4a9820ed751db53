//! The built-in scenarios as a user meets them after `cargo install` or `pip
//! install`: in an empty folder.

use crate::common::{carenet, stderr, stdout};

fn text(out: &std::process::Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

#[test]
fn list_in_an_empty_folder_shows_the_built_in_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(&["list"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let listed = text(&out);
    for name in carenet::scenario::builtin::names() {
        assert!(listed.contains(name), "{name} missing:\n{listed}");
    }
    assert!(listed.contains("carenet scenarios export DIR"), "{listed}");
}

/// QA 31: `carenet list --dir experiments` called every experiment file "not
/// valid", though `carenet check` passes each.
#[test]
fn list_marks_experiment_files_as_such_and_only_broken_files_as_not_valid() {
    let dir = tempfile::tempdir().unwrap();
    let experiments = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("experiments");
    std::fs::write(dir.path().join("broken.toml"), "name = = 3\n").unwrap();
    let out = carenet(
        &["list", "--dir", experiments.to_str().unwrap()],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let listed = stdout(&out);
    let lhs = listed
        .lines()
        .find(|line| line.contains("behaviour-lhs.toml"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(
        lhs.contains("(experiment file) Latin hypercube (40 points"),
        "{lhs}"
    );
    assert!(!listed.contains("not valid"), "{listed}");
    let out = carenet(&["list", "--dir", "."], dir.path());
    assert!(stdout(&out).contains("not valid"), "{}", text(&out));
}

#[test]
fn export_writes_every_built_in_scenario_and_keeps_a_changed_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(&["scenarios", "export", "mine"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    for (name, contents) in carenet::scenario::builtin::ALL {
        let written = std::fs::read_to_string(dir.path().join(format!("mine/{name}.toml")));
        assert_eq!(written.unwrap(), contents, "{name}");
    }
    // Listing the exported folder reads the files.
    let out = carenet(&["list", "--dir", "mine"], dir.path());
    assert!(text(&out).contains("mine/baseline.toml"), "{}", text(&out));
    // Exporting again over unchanged files is fine; a user's edit is kept.
    assert!(
        carenet(&["scenarios", "export", "mine"], dir.path())
            .status
            .success()
    );
    let edited = dir.path().join("mine/baseline.toml");
    std::fs::write(&edited, "name = \"edited\"\n").unwrap();
    let out = carenet(&["scenarios", "export", "mine"], dir.path());
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(text(&out).contains("--force"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "name = \"edited\"\n"
    );
    let out = carenet(&["scenarios", "export", "mine", "--force"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert_ne!(
        std::fs::read_to_string(&edited).unwrap(),
        "name = \"edited\"\n"
    );
}

/// Seconds vary from run to run: every `(0.2s)` becomes `(…s)`.
fn without_seconds(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("s)") {
            Some(close) if after[..close].parse::<f64>().is_ok() => {
                out.push_str("(…s)");
                rest = &after[close + 2..];
            }
            _ => {
                out.push('(');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The README shows what the default scenario prints; it is what it prints.
#[test]
fn the_readmes_default_run_is_what_carenet_run_prints() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```\nbaseline: ")
        .expect("README shows the default run's output")
        + 4;
    let end = start + readme[start..].find("```").expect("the block ends");
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(&["run"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        without_seconds(readme[start..end].trim_end()),
        without_seconds(stdout(&out).trim_end()),
        "README.md's output of `carenet run` is out of date"
    );
}

#[test]
fn a_built_in_scenario_runs_under_the_name_its_results_are_filed_under() {
    // QA 24 §11: pv1-3-help-exchange.toml was named "pv1-help-exchange", so its
    // results went to results/pv1-help-exchange and `carenet run
    // pv1-help-exchange` found no such scenario. The rest of the pv1 set keep
    // their names: results/compare-pv1-none (README) and the pv1-4 snapshot
    // (tests/snapshots/) are filed under them.
    let kept = [
        "pv1-0-none",
        "pv1-1-cohesion-events",
        "pv1-2-care-associations",
        "pv1-4-help-exchange-reciprocity",
        "pv1-5-network-first",
        "pv1-6-neighbourhood-bound",
        "pv1-7-no-usual-help-norm",
        "synth-10k",
    ];
    for name in carenet::scenario::builtin::names() {
        let scenario = carenet::scenario::builtin::load(name).unwrap();
        if !kept.contains(&name) {
            assert_eq!(scenario.name, name, "scenarios/{name}.toml");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(
        &[
            "run",
            "pv1-3-help-exchange",
            "--set",
            "weeks=2",
            "--set",
            "burn_in_weeks=0",
            "--set",
            "neighbourhood[*].adults=100",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        dir.path()
            .join("results/pv1-3-help-exchange/summary.csv")
            .exists()
    );
}
