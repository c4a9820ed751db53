//! The `carenet` command as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn carenet(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_carenet"))
        .args(args)
        .current_dir(dir)
        .env("CI", "1")
        .output()
        .expect("carenet runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn small_scenario(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("small.toml");
    std::fs::write(
        &path,
        "name = \"small\"\nseed = 5\n[[neighbourhood]]\nname = \"A\"\nadults = 600\n\
         [[neighbourhood]]\nname = \"B\"\nadults = 400\ncentre_km = [1.2, 0.0]\ncohesion = 0.8\n",
    )
    .unwrap();
    path
}

#[test]
fn run_without_arguments_runs_the_baseline_into_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(&["run"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = dir.path().join("results/baseline");
    let files = [
        "flows.csv",
        "neighbourhoods.csv",
        "network_summary.csv",
        "scenario.toml",
        "summary.csv",
        "timeseries.csv",
    ];
    for file in files.iter().chain(&["manifest.json"]) {
        assert!(folder.join(file).is_file(), "{file} missing");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["seed"], 20_261_123);
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, files);
}

#[test]
fn a_run_can_be_reproduced_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let first = carenet(
        &["run", scenario.to_str().unwrap(), "--out", "one"],
        dir.path(),
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let again = carenet(&["run", "one/scenario.toml", "--out", "two"], dir.path());
    assert!(again.status.success(), "{}", stderr(&again));
    for file in ["network_summary.csv", "scenario.toml"] {
        assert_eq!(
            std::fs::read(dir.path().join("one").join(file)).unwrap(),
            std::fs::read(dir.path().join("two").join(file)).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn outputs_are_byte_identical_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let path = scenario.to_str().unwrap();
    for (threads, out) in [("1", "t1"), ("2", "t2"), ("4", "t4")] {
        let run = carenet(
            &[
                "run",
                path,
                "--threads",
                threads,
                "--out",
                out,
                "--export-graph",
            ],
            dir.path(),
        );
        assert!(run.status.success(), "{}", stderr(&run));
    }
    for file in ["network_summary.csv", "network.graphml", "scenario.toml"] {
        let one = std::fs::read(dir.path().join("t1").join(file)).unwrap();
        assert_eq!(
            one,
            std::fs::read(dir.path().join("t2").join(file)).unwrap(),
            "{file}: 1 vs 2 threads"
        );
        assert_eq!(
            one,
            std::fs::read(dir.path().join("t4").join(file)).unwrap(),
            "{file}: 1 vs 4 threads"
        );
    }
}

#[test]
fn seed_option_changes_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let path = scenario.to_str().unwrap();
    assert!(
        carenet(&["run", path, "--out", "a"], dir.path())
            .status
            .success()
    );
    assert!(
        carenet(&["run", path, "--seed", "6", "--out", "b"], dir.path())
            .status
            .success()
    );
    let read = |d: &str| std::fs::read(dir.path().join(d).join("network_summary.csv")).unwrap();
    assert_ne!(read("a"), read("b"));
}

/// A broken scenario must fail with exit code 2, a message naming the file, the
/// line and the fix, and write nothing.
fn assert_rejected(text: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    for args in [vec!["check", "bad.toml"], vec!["run", "bad.toml"]] {
        let out = carenet(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let message = stderr(&out);
        assert!(message.contains("bad.toml"), "no file name in: {message}");
        assert!(message.contains("fix:"), "no fix in: {message}");
        for part in expected {
            assert!(message.contains(part), "{part:?} missing from: {message}");
        }
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("bad.toml")],
        "a rejected run wrote files"
    );
}

#[test]
fn unknown_key_is_rejected_with_its_line() {
    assert_rejected(
        "name = \"x\"\n[network]\nfriend_mean = 4\n",
        &["bad.toml:3:1", "friends_mean"],
    );
}

#[test]
fn wrong_type_is_rejected() {
    assert_rejected(
        "name = \"x\"\nseed = \"forty-two\"\n",
        &["bad.toml:2:8", "expected u64"],
    );
}

#[test]
fn broken_toml_line_is_rejected() {
    assert_rejected(
        "name = \"x\"\n[[neighbourhood]\nname = \"A\"\n",
        &["bad.toml:2"],
    );
}

#[test]
fn share_out_of_range_is_rejected() {
    assert_rejected(
        "[[neighbourhood]]\nname = \"A\"\nadults = 10\nliving_alone = 1.5\n",
        &[
            "bad.toml:4:16",
            "neighbourhood[0].living_alone",
            "between 0 and 1",
        ],
    );
}

#[test]
fn negative_radius_is_rejected() {
    assert_rejected(
        "[[neighbourhood]]\nname = \"A\"\nadults = 10\nradius_km = -1.0\n",
        &["radius_km", "above 0"],
    );
}

#[test]
fn unknown_neighbourhood_in_intervention_is_rejected() {
    assert_rejected(
        "[[neighbourhood]]\nname = \"A\"\nadults = 10\n[[intervention]]\nkind = \"cohesion_events\"\nneighbourhoods = [\"Z\"]\n",
        &[
            "no neighbourhood named \"Z\"",
            "use one of the scenario's neighbourhoods: A",
        ],
    );
}

#[test]
fn scope_value_out_of_range_is_rejected() {
    assert_rejected(
        "[scope.neighbour]\npersonal_care = 2\n",
        &["scope.neighbour.personal_care", "bad.toml:2:17"],
    );
}

#[test]
fn new_writes_a_scenario_that_checks_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(&["new", "my-area"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        carenet(&["check", "my-area.toml"], dir.path())
            .status
            .success()
    );
    let refused = carenet(&["new", "my-area"], dir.path());
    assert!(
        !refused.status.success(),
        "must not overwrite without --force"
    );
    let run = carenet(&["run", "my-area.toml", "--quiet"], dir.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        dir.path()
            .join("results/my-area/network_summary.csv")
            .is_file()
    );
}

#[test]
fn every_shipped_scenario_is_valid() {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(&scenarios).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            carenet::scenario::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
            count += 1;
        }
    }
    assert!(count >= 1);
}
