//! Issue 16 for the command line: `--set`, exit codes, `--version`, GEXF
//! positions, completions and the man page, weeks.csv and comparison.xlsx.

use std::path::Path;

use crate::common::{
    assert_ok, carenet, csv_table, json, listed_files, small_experiment, small_scenario, stderr,
    stdout,
};

fn toml_file(path: &Path) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

// Item 4: --set ---------------------------------------------------------------------

#[test]
fn set_changes_a_run_is_recorded_and_the_run_reproduces_from_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    let sets = [
        "--set",
        "formal.hours_per_1000_residents=300",
        "--set",
        "neighbourhood[*].cohesion=0.6",
    ];
    let mut args = vec!["run", "small.toml", "--out", "r"];
    args.extend(sets);
    assert_ok(&carenet(&args, dir.path()));
    let manifest = json(&dir.path().join("r/manifest.json"));
    assert_eq!(
        manifest["overrides"],
        serde_json::json!([
            "formal.hours_per_1000_residents=300",
            "neighbourhood[*].cohesion=0.6"
        ])
    );
    let scenario = toml_file(&dir.path().join("r/scenario.toml"));
    assert_eq!(
        scenario["formal"]["hours_per_1000_residents"].as_float(),
        Some(300.0)
    );
    for n in scenario["neighbourhood"].as_array().unwrap() {
        assert_eq!(n["cohesion"].as_float(), Some(0.6));
    }
    // The same command again, and the folder's own scenario.toml, give the same outcomes.
    let mut again = vec!["run", "small.toml", "--out", "again"];
    again.extend(sets);
    assert_ok(&carenet(&again, dir.path()));
    assert_ok(&carenet(
        &["run", "r/scenario.toml", "--out", "alone"],
        dir.path(),
    ));
    let summary =
        |folder: &str| std::fs::read(dir.path().join(folder).join("summary.csv")).unwrap();
    assert_eq!(summary("r"), summary("again"));
    assert_eq!(summary("r"), summary("alone"));
    assert_ok(&carenet(
        &["run", "small.toml", "--out", "plain"],
        dir.path(),
    ));
    assert_ne!(summary("r"), summary("plain"), "--set changed the outcomes");
    assert!(
        json(&dir.path().join("plain/manifest.json"))
            .get("overrides")
            .is_none()
    );
}

#[test]
fn a_bad_set_names_the_flag_the_key_and_the_nearest_key_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    let cases: [(&str, &[&str]); 4] = [
        (
            "formal.hours_per_1000=300",
            &[
                "--set formal.hours_per_1000=300",
                "not a scenario key",
                "did you mean `formal.hours_per_1000_residents`?",
            ],
        ),
        (
            "neighbourhood[1].cohesin=0.5",
            &["did you mean `neighbourhood[1].cohesion`?"],
        ),
        (
            "neighbourhood[0].cohesion=1.5",
            &[
                "--set neighbourhood[0].cohesion=1.5",
                "between 0 and 1",
                "fix:",
            ],
        ),
        (
            "formal.hours_per_1000_residents=lots",
            &["takes a number, not text", "fix:", "the scenario has 200.0"],
        ),
    ];
    for (set, expected) in cases {
        let out = carenet(&["run", "small.toml", "--set", set], dir.path());
        assert_eq!(out.status.code(), Some(3), "{set}: {}", stderr(&out));
        for piece in expected {
            assert!(
                stderr(&out).contains(piece),
                "{piece:?} in {}",
                stderr(&out)
            );
        }
    }
    let no_equals = carenet(&["run", "small.toml", "--set", "cohesion"], dir.path());
    assert_eq!(
        no_equals.status.code(),
        Some(2),
        "a malformed flag is a usage error"
    );
    assert!(
        stderr(&no_equals).contains("KEY=VALUE"),
        "{}",
        stderr(&no_equals)
    );
    assert!(!dir.path().join("results").exists(), "nothing written");
}

#[test]
fn set_applies_to_every_variant_of_a_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let base = small_scenario(dir.path());
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        dir.path().join("other.toml"),
        text.replace("name = \"small\"", "name = \"other\""),
    )
    .unwrap();
    let out = carenet(
        &[
            "compare",
            "small.toml",
            "other.toml",
            "--replicates",
            "2",
            "--out",
            "cmp",
            "--set",
            "formal.network_first=false",
        ],
        dir.path(),
    );
    assert_ok(&out);
    for variant in ["small", "other"] {
        let scenario = toml_file(&dir.path().join(format!("cmp/variant-{variant}.toml")));
        assert_eq!(scenario["formal"]["network_first"].as_bool(), Some(false));
    }
    let manifest = json(&dir.path().join("cmp/manifest.json"));
    assert_eq!(
        manifest["overrides"],
        serde_json::json!(["formal.network_first=false"])
    );
}

#[test]
fn set_applies_to_every_point_of_a_sweep_and_is_part_of_the_experiment() {
    let dir = tempfile::tempdir().unwrap();
    small_experiment(dir.path());
    let set = ["--set", "formal.hours_per_1000_residents=350"];
    let mut args = vec!["sweep", "experiment.toml", "--out", "x"];
    args.extend(set);
    assert_ok(&carenet(&args, dir.path()));
    for run in ["p0000-r001", "p0001-r002"] {
        let scenario = toml_file(&dir.path().join("x/runs").join(run).join("scenario.toml"));
        assert_eq!(
            scenario["formal"]["hours_per_1000_residents"].as_float(),
            Some(350.0)
        );
    }
    let record = json(&dir.path().join("x/experiment.json"));
    assert_eq!(
        record["overrides"],
        serde_json::json!(["formal.hours_per_1000_residents=350"])
    );
    let experiment = std::fs::read_to_string(dir.path().join("x/experiment.toml")).unwrap();
    assert!(
        experiment.contains("# --set formal.hours_per_1000_residents=350"),
        "{experiment}"
    );
    // Resuming with other --set options is another experiment: refused.
    let other = carenet(&["sweep", "experiment.toml", "--out", "x"], dir.path());
    assert!(!other.status.success());
    assert!(
        stderr(&other).contains("holds another experiment"),
        "{}",
        stderr(&other)
    );
    // QA 35: and says which options differ, not only that a file does.
    let mut args = vec!["sweep", "experiment.toml", "--out", "x"];
    args.extend(["--set", "formal.hours_per_1000_residents=300"]);
    let other = carenet(&args, dir.path());
    assert_eq!(other.status.code(), Some(4));
    assert!(
        stderr(&other).contains(
            "it ran with --set formal.hours_per_1000_residents=350, this one has \
             --set formal.hours_per_1000_residents=300"
        ),
        "{}",
        stderr(&other)
    );
    // A key the design varies cannot also be set.
    let varied = carenet(
        &[
            "sweep",
            "experiment.toml",
            "--out",
            "y",
            "--set",
            "neighbourhood[0].cohesion=0.5",
        ],
        dir.path(),
    );
    assert_eq!(varied.status.code(), Some(3), "{}", stderr(&varied));
    assert!(stderr(&varied).contains("the experiment varies `neighbourhood[*].cohesion`"));
    assert!(!dir.path().join("y").exists());
}

// Item 7: exit codes and --version ------------------------------------------------------

#[test]
fn exit_codes_are_distinct_and_documented_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    let usage = carenet(&["run", "--no-such-option"], dir.path());
    assert_eq!(usage.status.code(), Some(2), "{}", stderr(&usage));
    std::fs::write(dir.path().join("bad.toml"), "name = 3\n").unwrap();
    let invalid = carenet(&["run", "bad.toml"], dir.path());
    assert_eq!(invalid.status.code(), Some(3), "{}", stderr(&invalid));
    std::fs::write(dir.path().join("file"), "").unwrap();
    let failed = carenet(&["run", "small.toml", "--out", "file/r"], dir.path());
    assert_eq!(failed.status.code(), Some(4), "{}", stderr(&failed));
    let help = stdout(&carenet(&["--help"], dir.path()));
    for line in [
        "0    success",
        "1    not reproduced",
        "2    usage",
        "3    invalid input",
        "4    could not finish",
        "5    internal error",
    ] {
        assert!(help.contains(line), "{line:?} in --help:\n{help}");
    }
}

#[test]
fn version_names_the_commit_and_whether_the_tree_was_dirty() {
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(&["--version"], dir.path());
    assert_ok(&out);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("carenet {} (", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let inside = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(inside)
        .output()
        .ok()
        .filter(|o| o.status.success());
    match head {
        Some(head) => {
            let commit = String::from_utf8_lossy(&head.stdout).trim().to_string();
            assert!(
                text.contains(&format!("commit {commit}")),
                "{text} lacks {commit}"
            );
        }
        None => assert!(text.contains("commit unknown"), "{text}"),
    }
}

// Item 7: GEXF positions, completions and the manual page -------------------------------

#[test]
fn gexf_nodes_carry_their_homes_for_gephi() {
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    assert_ok(&carenet(
        &["run", "small.toml", "--export-graph", "--out", "r"],
        dir.path(),
    ));
    for file in ["network.gexf", "help_network.gexf"] {
        let gexf = std::fs::read_to_string(dir.path().join("r").join(file)).unwrap();
        assert!(
            gexf.contains("xmlns:viz=\"http://gexf.net/1.3/viz\""),
            "{file}"
        );
        let nodes = gexf.matches("<node ").count();
        assert!(nodes > 0, "{file}");
        assert_eq!(gexf.matches("<viz:position ").count(), nodes, "{file}");
    }
}

#[test]
fn completions_and_man_pages_come_from_the_command_definition() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_carenet()"),
        ("zsh", "#compdef carenet"),
        ("fish", "complete -c carenet"),
    ] {
        let out = carenet(&["completions", shell], dir.path());
        assert_ok(&out);
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: {marker}");
        assert!(script.contains("--set"), "{shell} completes run's --set");
    }
    let unknown = carenet(&["completions", "cmd.exe"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    let page = carenet(&["man"], dir.path());
    assert_ok(&page);
    let text = stdout(&page);
    assert!(
        text.starts_with(".ie") || text.contains(".TH carenet 1"),
        "{text}"
    );
    assert!(
        text.contains("Exit codes"),
        "the exit codes are in the page"
    );
    assert_ok(&carenet(&["man", "--out", "man"], dir.path()));
    for name in [
        "carenet.1",
        "carenet-run.1",
        "carenet-sweep.1",
        "carenet-compare.1",
    ] {
        let page = std::fs::read_to_string(dir.path().join("man").join(name)).unwrap();
        assert!(page.contains(".TH"), "{name}");
    }
    assert!(
        std::fs::read_to_string(dir.path().join("man/carenet-run.1"))
            .unwrap()
            .contains("\\-\\-set")
    );
    let again = carenet(&["man", "--out", "man"], dir.path());
    assert_eq!(
        again.status.code(),
        Some(4),
        "existing pages are not replaced without --force (exit 4, files in the way)"
    );
    assert_ok(&carenet(&["man", "--out", "man", "--force"], dir.path()));
}

// Item 6: weeks.csv and comparison.xlsx ---------------------------------------------------

/// A sweep's long table `x/{long}` of the small experiment: its key columns
/// (run, point, replicate, seed, the varied parameter), then run
/// p0001-r002's rows exactly as its own `{run_file}`; those rows.
fn rows_of_run_prefixed(dir: &Path, long: &str, run_file: &str) -> Vec<Vec<String>> {
    let (header, rows) = csv_table(&dir.join("x").join(long));
    assert_eq!(
        header[..5],
        [
            "run",
            "point",
            "replicate",
            "seed",
            "neighbourhood_all_cohesion"
        ]
    );
    let (run_header, run_rows) = csv_table(&dir.join("x/runs/p0001-r002").join(run_file));
    assert_eq!(header[5..], run_header[..]);
    let mine: Vec<Vec<String>> = rows.into_iter().filter(|r| r[0] == "p0001-r002").collect();
    assert_eq!(mine.len(), run_rows.len());
    for (row, own) in mine.iter().zip(&run_rows) {
        assert_eq!(row[5..], own[..]);
    }
    mine
}

#[test]
fn a_sweep_writes_every_week_of_every_run_with_plain_column_names() {
    let dir = tempfile::tempdir().unwrap();
    small_experiment(dir.path());
    assert_ok(&carenet(
        &["sweep", "experiment.toml", "--out", "x"],
        dir.path(),
    ));
    let (header, rows) = csv_table(&dir.path().join("x/weeks.csv"));
    assert_eq!(header[5..7], ["week", "residents_in_need"]);
    assert_eq!(rows.len(), 2 * 2 * 4, "points x replicates x weeks");
    // Each run's rows are its own timeseries.csv, prefixed.
    let mine = rows_of_run_prefixed(dir.path(), "weeks.csv", "timeseries.csv");
    for row in &mine {
        assert_eq!(row[1..5], ["1", "2", row[3].as_str(), "0.8"]);
    }
    let (_, runs) = csv_table(&dir.path().join("x/runs.csv"));
    let seed_of_run = runs.iter().find(|r| r[0] == "1" && r[1] == "2").unwrap()[2].clone();
    assert_eq!(mine[0][3], seed_of_run);
    assert!(
        !dir.path().join("x/yearly.csv").exists(),
        "runs of a year or less have no years"
    );
}

/// QA 35: a sweep over a projection keeps its years, as `compare` and `run
/// --replicates` do: each run's yearly.csv, and all of them in one long
/// table prefixed as weeks.csv is. Before, a sweep's runs kept only their
/// summary and weeks, and a year's deaths or carers were lost.
#[test]
fn a_sweep_of_several_years_writes_every_year_of_every_run() {
    let dir = tempfile::tempdir().unwrap();
    small_experiment(dir.path());
    assert_ok(&carenet(
        &[
            "sweep",
            "experiment.toml",
            "--out",
            "x",
            "--set",
            "weeks=104",
        ],
        dir.path(),
    ));
    let (header, rows) = csv_table(&dir.path().join("x/yearly.csv"));
    assert_eq!(header[5..8], ["year", "calendar_year", "weeks"]);
    assert_eq!(rows.len(), 2 * 2 * 2, "points x replicates x years");
    rows_of_run_prefixed(dir.path(), "yearly.csv", "yearly.csv");
    let record = std::fs::read_to_string(dir.path().join("x/experiment.json")).unwrap();
    assert!(record.contains("\"yearly.csv\""), "recorded: {record}");
    // A resume reads the kept runs' years again, to the same bytes.
    let first = std::fs::read(dir.path().join("x/yearly.csv")).unwrap();
    assert_ok(&carenet(
        &[
            "sweep",
            "experiment.toml",
            "--out",
            "x",
            "--set",
            "weeks=104",
        ],
        dir.path(),
    ));
    assert_eq!(
        std::fs::read(dir.path().join("x/yearly.csv")).unwrap(),
        first
    );
}

#[test]
fn a_comparison_writes_weeks_and_an_excel_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let base = small_scenario(dir.path());
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        dir.path().join("other.toml"),
        text.replace("name = \"small\"", "name = \"other\""),
    )
    .unwrap();
    let args = [
        "compare",
        "small.toml",
        "other.toml",
        "--replicates",
        "2",
        "--out",
    ];
    assert_ok(&carenet(&[&args[..], &["cmp"]].concat(), dir.path()));
    let (header, rows) = csv_table(&dir.path().join("cmp/weeks.csv"));
    assert_eq!(header[..5], ["run", "variant", "replicate", "seed", "week"]);
    assert_eq!(rows.len(), 2 * 2 * 4);
    assert_eq!(rows[0][0], "small-r001");
    let workbook = std::fs::read(dir.path().join("cmp/comparison.xlsx")).unwrap();
    assert!(workbook.starts_with(b"PK\x03\x04"), "an xlsx is a zip file");
    // The same comparison again gives the same workbook, byte for byte.
    assert_ok(&carenet(&[&args[..], &["again"]].concat(), dir.path()));
    assert_eq!(
        std::fs::read(dir.path().join("again/comparison.xlsx")).unwrap(),
        workbook
    );
    let manifest = json(&dir.path().join("cmp/manifest.json"));
    let listed = listed_files(&manifest);
    assert!(
        listed.contains(&"comparison.xlsx") && listed.contains(&"weeks.csv"),
        "{listed:?}"
    );
}

#[test]
fn replicates_and_sweeps_write_an_excel_workbook_too() {
    // QA 26 §12: only compare wrote an .xlsx; a Dutch Excel opens the CSV
    // files of a run of replicates or a sweep in one column.
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    small_experiment(dir.path());
    let reps = carenet(
        &["run", "small.toml", "--replicates", "2", "--out", "reps"],
        dir.path(),
    );
    assert_ok(&reps);
    assert!(stdout(&reps).contains("for Excel: summary.xlsx"));
    let workbook = std::fs::read(dir.path().join("reps/summary.xlsx")).unwrap();
    assert!(workbook.starts_with(b"PK\x03\x04"), "an xlsx is a zip file");
    let manifest = json(&dir.path().join("reps/manifest.json"));
    assert!(listed_files(&manifest).contains(&"summary.xlsx"));
    let sweep = carenet(&["sweep", "experiment.toml", "--out", "x"], dir.path());
    assert_ok(&sweep);
    assert!(stdout(&sweep).contains("(for Excel: runs.xlsx)"));
    let runs = std::fs::read(dir.path().join("x/runs.xlsx")).unwrap();
    assert!(runs.starts_with(b"PK\x03\x04"), "an xlsx is a zip file");
    // A resumed sweep writes the same workbook, and keeps a user's edit of it.
    assert_ok(&carenet(
        &["sweep", "experiment.toml", "--out", "x"],
        dir.path(),
    ));
    assert_eq!(std::fs::read(dir.path().join("x/runs.xlsx")).unwrap(), runs);
    std::fs::write(dir.path().join("x/runs.xlsx"), b"edited in Excel").unwrap();
    let resumed = carenet(&["sweep", "experiment.toml", "--out", "x"], dir.path());
    assert_eq!(resumed.status.code(), Some(4), "{}", stderr(&resumed));
    assert_eq!(
        std::fs::read(dir.path().join("x/runs.xlsx")).unwrap(),
        b"edited in Excel"
    );
}

#[test]
fn a_single_run_writes_an_excel_workbook_listed_in_its_manifest() {
    // QA 27's leftover: only replicates, sweeps and comparisons had a workbook,
    // so a Dutch Excel opened a single run's CSV files in one column.
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    let run = carenet(&["run", "small.toml", "--out", "one"], dir.path());
    assert_ok(&run);
    assert!(stdout(&run).contains("for Excel: summary.xlsx"));
    let workbook = std::fs::read(dir.path().join("one/summary.xlsx")).unwrap();
    assert!(workbook.starts_with(b"PK\x03\x04"), "an xlsx is a zip file");
    let manifest = json(&dir.path().join("one/manifest.json"));
    let entry = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "summary.xlsx")
        .expect("summary.xlsx in the manifest");
    assert_eq!(entry["bytes"].as_u64(), Some(workbook.len() as u64));
    // The same run gives the same workbook, and replaces its own folder.
    let again = carenet(&["run", "small.toml", "--out", "one"], dir.path());
    assert_ok(&again);
    assert_eq!(
        std::fs::read(dir.path().join("one/summary.xlsx")).unwrap(),
        workbook
    );
    // A workbook edited since (saved from Excel) is the user's: kept, refused.
    std::fs::write(dir.path().join("one/summary.xlsx"), b"saved from Excel").unwrap();
    let refused = carenet(&["run", "small.toml", "--out", "one"], dir.path());
    assert!(!refused.status.success(), "{}", stdout(&refused));
    assert!(
        stderr(&refused).contains("summary.xlsx"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read(dir.path().join("one/summary.xlsx")).unwrap(),
        b"saved from Excel"
    );
}

#[test]
fn a_sweep_into_a_folder_of_the_users_names_what_is_there_and_keeps_it() {
    // QA 28: "exists and is not an experiment folder" did not say what was found.
    let dir = tempfile::tempdir().unwrap();
    small_experiment(dir.path());
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "mine\n").unwrap();
    let out = carenet(&["sweep", "experiment.toml", "--out", "mine"], dir.path());
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("it holds notes.txt") && stderr(&out).contains("fix: "),
        "{}",
        stderr(&out)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("mine"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine/notes.txt")).unwrap(),
        "mine\n"
    );
}
