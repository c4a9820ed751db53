//! The `carenet` command as a user runs it.

use std::path::{Path, PathBuf};

use crate::common::{
    CsvTable, assert_ok, carenet, column, csv_table, json, listed_files, stderr, stdout,
};

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
fn yearly_csv_is_written_for_several_years_only_and_is_the_same_on_any_threads() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let path = scenario.to_str().unwrap();
    let run = |out: &str, threads: &str, weeks: &str| {
        let args = [
            "run",
            path,
            "--set",
            weeks,
            "--set",
            "burn_in_weeks=4",
            "--threads",
            threads,
            "--out",
            out,
            "--quiet",
        ];
        let done = carenet(&args, dir.path());
        assert!(done.status.success(), "{}", stderr(&done));
        let manifest = json(&dir.path().join(out).join("manifest.json"));
        assert_eq!(
            manifest["threads"].to_string(),
            threads,
            "{out}: the pool's threads"
        );
        (dir.path().join(out), stdout(&done))
    };
    let (one_year, said) = run("year", "2", "weeks=52");
    assert!(
        !one_year.join("yearly.csv").exists(),
        "one year: no yearly.csv"
    );
    assert!(!said.contains("yearly.csv"), "{said}");
    let (t1, said) = run("t1", "1", "weeks=110");
    // QA 35: the totals printed are the whole run's; the terminal says where the years are.
    assert!(said.contains("(per year: yearly.csv"), "{said}");
    let t1 = std::fs::read(t1.join("yearly.csv")).unwrap();
    let t2 = std::fs::read(run("t2", "2", "weeks=110").0.join("yearly.csv")).unwrap();
    assert_eq!(t1, t2, "yearly.csv: 1 vs 2 threads");
    assert_eq!(
        String::from_utf8_lossy(&t1).lines().count(),
        4,
        "a header and 3 years"
    );
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
        "summary.xlsx",
        "timeseries.csv",
    ];
    for file in files.iter().chain(&["manifest.json"]) {
        assert!(folder.join(file).is_file(), "{file} missing");
    }
    let manifest = json(&folder.join("manifest.json"));
    assert_eq!(manifest["seed"], 20_261_123);
    assert_eq!(listed_files(&manifest), files);
    let timeseries = std::fs::read_to_string(folder.join("timeseries.csv")).unwrap();
    assert_eq!(
        timeseries.lines().count(),
        1 + 52,
        "a header and 52 reported weeks"
    );
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
        // The runs compared did run on those threads: were `--threads` lost on
        // the way to the pool, all three would run on the default and agree.
        let manifest = json(&dir.path().join(out).join("manifest.json"));
        assert_eq!(
            manifest["threads"].to_string(),
            threads,
            "{out}: the pool's threads"
        );
    }
    for file in [
        "network_summary.csv",
        "network.graphml",
        "network.gexf",
        "help_network.graphml",
        "help_network.gexf",
        "scenario.toml",
        "timeseries.csv",
        "flows.csv",
        "neighbourhoods.csv",
        "summary.csv",
    ] {
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

/// A broken scenario must fail with exit code 3 (invalid input), a message naming the file, the
/// line and the fix, and write nothing.
fn assert_rejected(text: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    for args in [vec!["check", "bad.toml"], vec!["run", "bad.toml"]] {
        let out = carenet(&args, dir.path());
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
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

/// The README's example of scenario mistakes is what `carenet check` prints:
/// both problems of the file at once, in file order, and exit code 3.
#[test]
fn the_readmes_scenario_mistakes_are_what_check_prints() {
    let readme = include_str!("../../README.md");
    let block = |from: usize, fence: &str| {
        let start = from + readme[from..].find(fence).expect("README has the block") + fence.len();
        let end = start + readme[start..].find("```").expect("the block ends");
        (&readme[start..end], end)
    };
    let example = readme
        .find("This `b.toml`")
        .expect("README shows a scenario with mistakes");
    let (file, after) = block(example, "```toml\n");
    let (printed, _) = block(after + 3, "```\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.toml"), file).unwrap();
    let out = carenet(&["check", "b.toml"], dir.path());
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        printed,
        "README.md's example of scenario mistakes is out of date"
    );
    assert!(printed.contains("has 2 problems"), "{printed}");
    let run = carenet(&["run", "b.toml", "--out", "out"], dir.path());
    assert_eq!(run.status.code(), Some(3));
    assert!(stderr(&run).contains(printed.lines().next().unwrap()));
    assert!(
        !dir.path().join("out").exists(),
        "a rejected run wrote files"
    );
}

#[test]
fn every_mistake_of_a_file_is_rejected_at_once() {
    assert_rejected(
        "name = \"m\"\n[[neighbourhood]]\nname = \"A\"\nadults = 500\ncohesin = 0.5\n\
         [network]\nfriend_mean = 3.0\n[formal]\nhours_per_1000 = 300\n\
         [[intervention]]\nkind = \"cohesion_events\"\nneighbourhoods = [\"Z\"]\n",
        &[
            "has 4 problems",
            "bad.toml:5:1 at `neighbourhood[0].cohesin`: unknown field `cohesin`",
            "bad.toml:7:1 at `network.friend_mean`: unknown field `friend_mean`",
            "bad.toml:9:1 at `formal.hours_per_1000`: unknown field `hours_per_1000`",
            "did you mean `hours_per_1000_residents`",
            "bad.toml:12:19 at `intervention[0].neighbourhoods[0]`",
        ],
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
        &[
            "bad.toml:2:8 at `seed`",
            "expected a whole number of 0 or more",
        ],
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
    let bad = carenet(&["new", "bad name/x"], dir.path());
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("carenet new \"bad name/x\""),
        "{}",
        stderr(&bad)
    );
    assert!(
        !stderr(&bad).contains("x.toml:"),
        "no place in a file never written: {}",
        stderr(&bad)
    );
    // QA 40: "cannot name an output folder", of a command that writes a file.
    assert!(
        stderr(&bad).contains("\"bad name/x\" cannot name a scenario: the name becomes its file"),
        "{}",
        stderr(&bad)
    );
    assert!(!dir.path().join("bad name").exists());
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

#[test]
fn replicates_write_one_folder_each_and_an_aggregate_and_rerun_alone() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let path = scenario.to_str().unwrap();
    let out = carenet(
        &["run", path, "--replicates", "3", "--out", "reps"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let reps = dir.path().join("reps");
    for r in 1..=3 {
        assert!(
            reps.join(format!("replicate-{r:03}/manifest.json"))
                .is_file()
        );
    }
    let summary = std::fs::read_to_string(reps.join("summary.csv")).unwrap();
    let lines: Vec<&str> = summary.lines().collect();
    assert_eq!(lines.len(), 4, "a header and one row per replicate");
    assert!(lines[0].starts_with("replicate,scenario,seed,"));
    let aggregate = std::fs::read_to_string(reps.join("summary_aggregate.csv")).unwrap();
    assert!(aggregate.starts_with("metric,n,mean,sd,ci95_low,ci95_high"));
    let unmet = aggregate
        .lines()
        .find(|l| l.starts_with("unmet_share,"))
        .expect("unmet_share aggregated");
    assert!(unmet.starts_with("unmet_share,3,"), "{unmet}");
    // QA 26: the terminal gave shares and `burnouts 313.000 [279.395,
    // 346.605]`, no hours, euros or Wlz care, and no period.
    let printed = stdout(&out);
    for metric in [
        "unmet_hours",
        "formal_hours",
        "long_term_care_hours",
        "formal_cost_eur",
    ] {
        assert!(printed.contains(metric), "{metric} in:\n{printed}");
    }
    let line = |metric: &str| {
        printed
            .lines()
            .find(|l| l.trim_start().starts_with(metric))
            .unwrap_or_else(|| panic!("{metric} in:\n{printed}"))
            .to_string()
    };
    assert!(
        line("formal_cost_eur").contains("€ "),
        "{}",
        line("formal_cost_eur")
    );
    assert!(!line("burnouts").contains('.'), "{}", line("burnouts"));
    assert!(
        printed.contains("totals over the year of each replicate"),
        "{printed}"
    );

    // Replicate 2 rerun alone with its seed gives the same outputs.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reps.join("manifest.json")).unwrap())
            .unwrap();
    // As text: seeds above 2^53 would be rounded by JSON readers as numbers.
    let seed_text = manifest["facts"]["replicate_seeds"][1]
        .as_str()
        .unwrap()
        .to_string();
    let alone = carenet(
        &["run", path, "--seed", &seed_text, "--out", "alone"],
        dir.path(),
    );
    assert!(alone.status.success(), "{}", stderr(&alone));
    for file in ["timeseries.csv", "flows.csv", "summary.csv"] {
        assert_eq!(
            std::fs::read(reps.join("replicate-002").join(file)).unwrap(),
            std::fs::read(dir.path().join("alone").join(file)).unwrap(),
            "{file}"
        );
    }
    // Replicate 1 is the scenario's own seed.
    assert!(lines[1].starts_with("1,small,5,"), "{}", lines[1]);
    // QA 35: every replicate's weeks in one table, as compare and sweep write
    // them: replicate 2's rows are its timeseries.csv, led by replicate and seed.
    let weeks = std::fs::read_to_string(reps.join("weeks.csv")).unwrap();
    let own = std::fs::read_to_string(reps.join("replicate-002/timeseries.csv")).unwrap();
    let mut own = own.lines();
    assert_eq!(
        weeks.lines().next().unwrap(),
        format!("replicate,seed,{}", own.next().unwrap())
    );
    let prefix = format!("2,{seed_text},");
    let second: Vec<&str> = weeks
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .collect();
    assert_eq!(second, own.collect::<Vec<_>>());
    assert_eq!(weeks.lines().count(), 1 + 3 * second.len());
}

#[test]
fn compare_runs_variants_with_common_seeds_and_writes_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let base = small_scenario(dir.path());
    let text = std::fs::read_to_string(&base).unwrap();
    let variant = dir.path().join("bound.toml");
    std::fs::write(
        &variant,
        text.replace("name = \"small\"", "name = \"bound\"")
            + "[[intervention]]\nkind = \"help_radius\"\nradius = \"neighbourhood\"\n",
    )
    .unwrap();
    let out = carenet(
        &[
            "compare",
            base.to_str().unwrap(),
            variant.to_str().unwrap(),
            "--replicates",
            "2",
            "--out",
            "cmp",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let cmp = dir.path().join("cmp");
    let runs = std::fs::read_to_string(cmp.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 2 * 2);
    // Common random numbers: both variants ran replicate 2 with the same seed.
    let seeds: Vec<&str> = runs
        .lines()
        .skip(1)
        .filter(|l| l.contains(",2,"))
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(seeds.len(), 2);
    assert_eq!(seeds[0], seeds[1]);
    let comparison = std::fs::read_to_string(cmp.join("comparison.csv")).unwrap();
    let row = |variant: &str| {
        comparison
            .lines()
            .find(|l| l.starts_with(&format!("within_neighbourhood_share,{variant},")))
            .unwrap_or_else(|| panic!("no row for {variant}"))
            .to_string()
    };
    let bound: Vec<String> = row("bound").split(',').map(String::from).collect();
    assert_eq!(bound[3], "1.0", "neighbourhood-bound help is all within");
    let base_row: Vec<String> = row("small").split(',').map(String::from).collect();
    assert_eq!(base_row[6], "0.0", "the base differs from itself by zero");
    let markdown = std::fs::read_to_string(cmp.join("comparison.md")).unwrap();
    assert!(markdown.contains("| unmet_share |"));
    // Both directions of help across the boundaries: where residents' help
    // comes from, and the hours their help goes out of the area.
    for metric in [
        "within_neighbourhood_share",
        "cross_neighbourhood_share",
        "outside_share",
        "outbound_hours",
    ] {
        assert!(
            markdown.contains(&format!("| {metric} |")),
            "comparison.md shows {metric}"
        );
    }
    // QA 26: formal hours with their parts that are not the teams' own, so
    // that respite sparing the Wlz hours shows (both were in comparison.csv
    // only).
    for metric in ["long_term_care_hours", "respite_hours"] {
        assert!(
            markdown.contains(&format!("| {metric} |")),
            "comparison.md shows {metric}"
        );
        assert!(
            stdout(&out).contains(metric),
            "the terminal shows {metric}:\n{}",
            stdout(&out)
        );
    }
    assert!(cmp.join("manifest.json").is_file());
}

fn small_experiment(dir: &Path, extra: &str) -> PathBuf {
    small_scenario(dir);
    let path = dir.join("experiment.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"exp\"\nscenario = \"small.toml\"\nreplicates = 2\ndesign = \"grid\"\n\
             [[parameter]]\npath = \"neighbourhood[*].cohesion\"\nvalues = [0.2, 0.8]\n{extra}"
        ),
    )
    .unwrap();
    path
}

#[test]
fn sweeps_resume_after_an_interruption_and_shards_merge_into_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let experiment = small_experiment(dir.path(), "");
    let path = experiment.to_str().unwrap();
    let whole = carenet(&["sweep", path, "--out", "whole"], dir.path());
    assert!(whole.status.success(), "{}", stderr(&whole));
    let runs_csv = std::fs::read(dir.path().join("whole/runs.csv")).unwrap();
    let text = String::from_utf8(runs_csv.clone()).unwrap();
    assert_eq!(text.lines().count(), 1 + 2 * 2);
    assert!(text.starts_with("point,replicate,seed,neighbourhood[*].cohesion,"));

    // A run killed while writing leaves only its staging folder, never a run
    // folder: it runs again, and only it, and the leftover is cleared away.
    let runs = dir.path().join("whole/runs");
    std::fs::remove_dir_all(runs.join("p0001-r002")).unwrap();
    let leftover = runs.join(".p0001-r002.partial-999999");
    std::fs::create_dir(&leftover).unwrap();
    std::fs::write(leftover.join("summary.csv"), "scenario,se").unwrap();
    let again = carenet(&["sweep", path, "--out", "whole"], dir.path());
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("(1 new, 3 already done)"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        std::fs::read(dir.path().join("whole/runs.csv")).unwrap(),
        runs_csv
    );

    for shard in ["0/2", "1/2"] {
        let out = format!("shard{}", &shard[..1]);
        let run = carenet(
            &["sweep", path, "--shard", shard, "--out", &out],
            dir.path(),
        );
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let merge = carenet(
        &["merge", "shard0", "shard1", "--out", "merged"],
        dir.path(),
    );
    assert!(merge.status.success(), "{}", stderr(&merge));
    assert_eq!(
        std::fs::read(dir.path().join("merged/runs.csv")).unwrap(),
        runs_csv,
        "merged shards equal the single-machine sweep byte for byte"
    );
    let twice = carenet(&["merge", "shard0", "shard0", "--out", "bad"], dir.path());
    assert!(!twice.status.success());
    assert!(stderr(&twice).contains("twice"), "{}", stderr(&twice));
    for inside in ["shard1/sub", "shard1/runs/new", "shard0/../shard1/x"] {
        let into = carenet(&["merge", "shard0", "shard1", "--out", inside], dir.path());
        assert_eq!(into.status.code(), Some(2), "{inside}: {}", stderr(&into));
        assert!(
            stderr(&into).contains("or inside it"),
            "{inside}: {}",
            stderr(&into)
        );
        assert!(!dir.path().join(inside).exists(), "{inside} was made");
    }
}

#[test]
fn an_experiment_with_a_bad_parameter_path_is_rejected_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let experiment = small_experiment(
        dir.path(),
        "[[parameter]]\npath = \"formal.hours\"\nvalues = [1.0]\n",
    );
    let out = carenet(
        &["sweep", experiment.to_str().unwrap(), "--out", "x"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no field `hours`"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("x").exists(), "nothing written");
}

#[test]
fn morris_sensitivity_finds_zero_effect_for_a_parameter_the_model_does_not_use() {
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    let path = dir.path().join("morris.toml");
    // With no help exchange open, its ask_base changes nothing: with common random
    // numbers its elementary effects are exactly zero; the formal budget is not.
    std::fs::write(
        &path,
        "name = \"m\"\nscenario = \"small.toml\"\ndesign = \"morris\"\nsamples = 3\nlevels = 4\n\
         [[parameter]]\npath = \"help_exchange.ask_base\"\nlow = -2.0\nhigh = 2.0\n\
         [[parameter]]\npath = \"formal.hours_per_1000_residents\"\nlow = 0.0\nhigh = 400.0\n",
    )
    .unwrap();
    let out = carenet(
        &["sensitivity", path.to_str().unwrap(), "--out", "m"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(dir.path().join("m/sensitivity.csv")).unwrap();
    assert!(csv.starts_with("metric,factor,mu,mu_star,sigma,"));
    let mu_star = |factor: &str| -> f64 {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("formal_hours,{factor},")))
            .unwrap_or_else(|| panic!("no row for {factor}"));
        line.split(',').nth(3).unwrap().parse().unwrap()
    };
    assert_eq!(mu_star("help_exchange.ask_base"), 0.0);
    assert!(mu_star("formal.hours_per_1000_residents") > 0.0);
}

#[test]
fn quick_validation_judges_every_stylised_fact_and_exits_by_its_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(&["validate", "--quick", "--out", "v"], dir.path());
    let mut reader = csv::Reader::from_path(dir.path().join("v/validation.csv"))
        .unwrap_or_else(|_| panic!("no table; {}", stderr(&out)));
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "fact",
            "metric",
            "n",
            "mean",
            "ci95_low",
            "ci95_high",
            "criterion",
            "pass",
            "near_criterion"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let facts: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(facts.len(), 7, "{facts:?}");
    for row in &rows {
        assert_eq!(row[2], "3", "three replicates per check: {row:?}");
        assert!(row[7] == "true" || row[7] == "false");
        // Near: the criterion within twice the interval's half-width of the mean.
        let number = |i: usize| row[i].parse::<f64>().unwrap();
        let (mean, half) = (number(3), (number(5) - number(4)) / 2.0);
        let criterion: f64 = row[6].rsplit(' ').next().unwrap().parse().unwrap();
        let near = (mean - criterion).abs() < 2.0 * half;
        assert_eq!(row[8], near.to_string(), "{row:?}");
    }
    let any_near = rows.iter().any(|r| r[8] == "true");
    assert_eq!(stdout(&out).contains("(near: the criterion"), any_near);
    let all_pass = rows.iter().all(|r| r[7] == "true");
    assert_eq!(out.status.success(), all_pass, "{}", stdout(&out));
    // QA 30: the output says what --quick means before any FAIL.
    assert!(
        stdout(&out).starts_with(
            "Stylised facts (docs/ODD.md §1.2), 3 replicates per variant (a first look: a full \
             validation has 20; with 3 a fact can FAIL by chance)"
        ),
        "{}",
        stdout(&out)
    );
    // QA 29: a fact failed at 3 replicates is said to need the full run.
    if !all_pass {
        assert!(
            stderr(&out).contains("note: with 3 replicates the intervals are wide")
                && stderr(&out).contains("run `carenet validate` (20 replicates)"),
            "{}",
            stderr(&out)
        );
    }
}

/// `validate --set` runs the facts at the user's parameters: a change that
/// matters moves the fact's numbers and is named in the output; a bad key is
/// refused before anything runs, with the nearest key, and nothing is written.
#[test]
fn validation_at_changed_parameters_moves_the_facts_and_refuses_a_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    let mean_of = |folder: &str| -> Vec<String> {
        let mut reader = csv::Reader::from_path(dir.path().join(folder).join("validation.csv"))
            .unwrap_or_else(|_| panic!("no table in {folder}"));
        reader
            .records()
            .map(|r| r.unwrap()[3].to_string())
            .collect()
    };
    carenet(
        &["validate", "--quick", "--fact", "P7", "--out", "plain"],
        dir.path(),
    );
    let changed = carenet(
        &[
            "validate",
            "--quick",
            "--fact",
            "P7",
            "--out",
            "changed",
            "--set",
            "behaviour.ask.base=-1.0",
        ],
        dir.path(),
    );
    assert!(
        stdout(&changed).contains("at --set behaviour.ask.base=-1.0"),
        "{}",
        stdout(&changed)
    );
    assert_ne!(
        mean_of("plain"),
        mean_of("changed"),
        "the change reached the runs"
    );

    let bad = carenet(
        &[
            "validate",
            "--quick",
            "--out",
            "bad",
            "--set",
            "behaviour.ask.bse=1",
        ],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(3), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("behaviour.ask.base"),
        "{}",
        stderr(&bad)
    );
    assert!(!dir.path().join("bad").exists());
}

/// QA 26: `validate --out` wrote over a user's `validation.csv` with exit 0.
#[test]
fn validate_keeps_a_users_file_in_its_folder_and_replaces_its_own_run() {
    let dir = tempfile::tempdir().unwrap();
    let quick = |out: &str, force: bool| {
        let mut args = vec!["validate", "--quick", "--fact", "P7", "--out", out];
        if force {
            args.push("--force");
        }
        carenet(&args, dir.path())
    };
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    let notes = dir.path().join("mine").join("validation.csv");
    std::fs::write(&notes, "my notes\n").unwrap();
    let refused = quick("mine", false);
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("mine exists and is not a carenet run folder"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    let forced = quick("mine", true);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(
        std::fs::read_to_string(&notes)
            .unwrap()
            .starts_with("fact,")
    );

    // Its own earlier run is replaced without --force, and said so.
    assert!(quick("v", false).status.success());
    assert!(dir.path().join("v").join("manifest.json").is_file());
    let again = quick("v", false);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("replaced the previous run"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn calibrate_takes_set_for_every_point_and_a_resume_with_another_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let experiment = small_experiment(dir.path(), "");
    let path = experiment.to_str().unwrap();
    let with = |value: &str| {
        let set = format!("formal.hours_per_1000_residents={value}");
        carenet(
            &["calibrate", path, "--out", "c", "--set", &set],
            dir.path(),
        )
    };
    let first = with("150");
    assert!(first.status.success(), "{}", stderr(&first));
    let recorded = std::fs::read_to_string(dir.path().join("c/experiment.toml")).unwrap();
    assert!(
        recorded.contains("--set formal.hours_per_1000_residents=150"),
        "{recorded}"
    );
    let scenario =
        std::fs::read_to_string(dir.path().join("c/runs/p0001-r001/scenario.toml")).unwrap();
    assert!(
        scenario.contains("hours_per_1000_residents = 150"),
        "{scenario}"
    );
    let calibration = std::fs::read(dir.path().join("c/calibration.csv")).unwrap();
    // QA 26: a resume wrote calibration.csv anew over a user's edit of it.
    let mut edited = calibration.clone();
    edited.extend_from_slice(b"my note\n");
    std::fs::write(dir.path().join("c/calibration.csv"), &edited).unwrap();
    let again = with("150");
    assert_eq!(again.status.code(), Some(4), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("calibration.csv was changed after carenet wrote it"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(dir.path().join("c/calibration.csv")).unwrap(),
        edited
    );
    std::fs::write(dir.path().join("c/calibration.csv"), &calibration).unwrap();
    let again = with("150");
    assert!(again.status.success(), "{}", stderr(&again));
    let other = with("300");
    assert!(
        !other.status.success(),
        "another --set is another experiment"
    );
    assert!(
        stderr(&other).contains("another experiment"),
        "{}",
        stderr(&other)
    );
    assert_eq!(
        std::fs::read(dir.path().join("c/calibration.csv")).unwrap(),
        calibration
    );
    let varied = carenet(
        &[
            "sensitivity",
            path,
            "--out",
            "s",
            "--set",
            "neighbourhood[0].cohesion=0.5",
        ],
        dir.path(),
    );
    assert!(!varied.status.success());
    assert!(stderr(&varied).contains("varies"), "{}", stderr(&varied));
}

#[test]
fn calibrate_ranks_points_by_their_distance_to_the_targets() {
    let dir = tempfile::tempdir().unwrap();
    let experiment = small_experiment(dir.path(), "");
    let out = carenet(
        &["calibrate", experiment.to_str().unwrap(), "--out", "c"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(dir.path().join("c/calibration.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let score = header
        .iter()
        .position(|c| c == "score")
        .expect("a score column");
    assert!(header.iter().any(|c| c == "carers_cbs_share_in_range"));
    let scores: Vec<f64> = reader
        .records()
        .map(|r| r.unwrap()[score].parse().unwrap())
        .collect();
    assert_eq!(scores.len(), 2, "one row per point");
    assert!(
        scores.windows(2).all(|w| w[0] <= w[1]),
        "best first: {scores:?}"
    );
    assert!(!stderr(&out).contains("yearly figures"), "{}", stderr(&out));
    // QA 35: runs of other than a year are ranked, but not in silence.
    let short = carenet(
        &[
            "calibrate",
            experiment.to_str().unwrap(),
            "--out",
            "c8",
            "--set",
            "weeks=8",
        ],
        dir.path(),
    );
    assert!(short.status.success(), "{}", stderr(&short));
    assert!(
        stderr(&short).contains("the targets are yearly figures")
            && stderr(&short).contains("report 8 weeks")
            && stderr(&short).contains("--set weeks=52"),
        "{}",
        stderr(&short)
    );
}

/// `--leading` runs the best points again and checks the facts at each, with
/// the experiment's model changes and the point's values set in the facts'
/// scenarios: a leading point's P1 is what `carenet validate --set` gives there.
#[test]
fn calibrate_checks_the_facts_at_its_leading_points() {
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    let small = dir.path().join("small.toml");
    let text = std::fs::read_to_string(&small).unwrap();
    std::fs::write(
        &small,
        format!("{text}[behaviour.ask]\ndebt_between_generations = 0.5\n"),
    )
    .unwrap();
    let experiment = dir.path().join("leading.toml");
    std::fs::write(
        &experiment,
        "name = \"lead\"\nscenario = \"small.toml\"\nreplicates = 2\ndesign = \"grid\"\n\
         [[parameter]]\npath = \"behaviour.comfortable_share\"\nvalues = [0.55, 0.7]\n",
    )
    .unwrap();
    let out = carenet(
        &[
            "calibrate",
            experiment.to_str().unwrap(),
            "--out",
            "c",
            "--leading",
            "1",
            "--leading-replicates",
            "3",
            "--facts-replicates",
            "2",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let table = csv_table(&dir.path().join("c/leading-1x3/leading.csv"));
    assert_eq!(table.1.len(), 1, "one leading point");
    let cell = |name: &str| column(&table, name)[0].to_string();
    assert_eq!(cell("replicates"), "3");
    let passes = ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
        .iter()
        .filter(|fact| cell(fact) == "true")
        .count();
    assert_eq!(cell("facts_reproduced"), passes.to_string());
    let point = cell("point");
    let share = cell("behaviour.comfortable_share");
    let checks = std::fs::read_to_string(
        dir.path()
            .join(format!("c/leading-1x3/facts/p{:0>4}/validation.csv", point)),
    )
    .unwrap();
    let validate = carenet(
        &[
            "validate",
            "--fact",
            "P1",
            "--replicates",
            "2",
            "--out",
            "v",
            "--set",
            "behaviour.ask.debt_between_generations=0.5",
            "--set",
            &format!("behaviour.comfortable_share={share}"),
        ],
        dir.path(),
    );
    let alone = std::fs::read_to_string(dir.path().join("v/validation.csv")).unwrap();
    assert!(
        validate.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&validate)
    );
    let p1 = |csv: &str| {
        csv.lines()
            .find(|l| l.starts_with("P1 "))
            .map(String::from)
            .expect("a P1 row")
    };
    assert_eq!(p1(&checks), p1(&alone));
}

/// A small help-exchange area by its built-in name (every way of helping,
/// volunteer matches included, occurs in it).
const SMALL_EXCHANGE: [&str; 7] = [
    "pv1-3-help-exchange",
    "--set",
    "neighbourhood[*].adults=150",
    "--set",
    "weeks=16",
    "--set",
    "burn_in_weeks=8",
];

/// Hours as whole hundredths ("12.34" is 1234): exact sums.
fn hundredths(value: &str) -> i64 {
    let (whole, cents) = value.split_once('.').expect("two decimals");
    assert_eq!(cents.len(), 2, "{value}");
    whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

fn sum_hours(table: &CsvTable, name: &str) -> i64 {
    column(table, name).into_iter().map(hundredths).sum()
}

fn sum_counts(table: &CsvTable, name: &str) -> i64 {
    column(table, name)
        .into_iter()
        .map(|v| v.parse::<i64>().unwrap())
        .sum()
}

/// The files of a run folder but its manifest, by name.
fn run_files(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "manifest.json")
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn microdata_is_off_by_default_changes_no_other_file_and_is_the_same_on_any_threads() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &str, threads: &str, microdata: bool| {
        let mut args = vec!["run"];
        args.extend(SMALL_EXCHANGE);
        args.extend(["--threads", threads, "--out", out]);
        if microdata {
            args.push("--microdata");
        }
        let done = carenet(&args, dir.path());
        assert!(done.status.success(), "{}", stderr(&done));
        run_files(&dir.path().join(out))
    };
    let plain = run("plain", "2", false);
    let one = run("one", "1", true);
    let two = run("two", "2", true);
    assert!(plain.iter().all(|(name, _)| name != "residents.csv"));
    assert_eq!(one, two, "1 thread against 2");
    let without: Vec<_> = one
        .into_iter()
        .filter(|(name, _)| name != "residents.csv")
        .collect();
    assert_eq!(without, plain, "--microdata changed another file");
    let manifest = std::fs::read_to_string(dir.path().join("two/manifest.json")).unwrap();
    assert!(manifest.contains("\"residents.csv\""), "{manifest}");
}

/// Every column of a run's tables, microdata included, is defined in its
/// section of docs/ODD.md §9: the ODD is the outputs' description of record.
#[test]
fn every_column_of_a_runs_tables_is_defined_in_the_odd() {
    use crate::odd::{odd_section, undefined};
    let dir = tempfile::tempdir().unwrap();
    let folder = small_run_with_microdata(dir.path());
    for (file, from, to) in [
        ("network_summary.csv", "\n### 9.2 ", "\n### 9.3 "),
        ("timeseries.csv", "\n### 9.6 ", "\n### 9.7 "),
        ("flows.csv", "\n### 9.7 ", "\n### 9.8 "),
        ("neighbourhoods.csv", "\n### 9.8 ", "\n### 9.9 "),
        ("residents.csv", "\n### 9.11 ", "\n### 9.12 "),
    ] {
        let table = std::fs::read_to_string(folder.join(file)).unwrap();
        let columns: Vec<&str> = table.lines().next().unwrap().split(',').collect();
        let missing = undefined(&odd_section(from, to), &columns);
        assert!(
            missing.is_empty(),
            "{file}: not defined in docs/ODD.md: {missing:?}"
        );
    }
}

/// Each resident's informal hours are the sum of their hours by tie kind, and
/// their need the sum of household, informal, formal and unmet hours.
fn assert_each_residents_hours_add_up(residents: &CsvTable) {
    let kinds: Vec<String> = residents
        .0
        .iter()
        .filter(|c| c.starts_with("informal_hours_"))
        .cloned()
        .collect();
    assert_eq!(kinds.len(), 8, "{kinds:?}");
    assert_each_residents_hours_add_up_in(residents, &kinds);
}

/// Each row's need is the sum of household, informal, formal and unmet hours,
/// and its informal hours the sum of the columns `kinds` (when there are any).
fn assert_each_residents_hours_add_up_in(residents: &CsvTable, kinds: &[String]) {
    for (r, row) in residents.1.iter().enumerate() {
        let value =
            |name: &str| hundredths(&row[residents.0.iter().position(|c| c == name).unwrap()]);
        if !kinds.is_empty() {
            let by_kind: i64 = kinds.iter().map(|k| value(k)).sum();
            assert_eq!(by_kind, value("informal_hours"), "resident {r}");
        }
        let parts =
            ["household", "informal", "formal", "unmet"].map(|s| value(&format!("{s}_hours")));
        assert_eq!(
            parts.iter().sum::<i64>(),
            value("need_hours"),
            "resident {r}"
        );
    }
}

/// The small exchange scenario run in `dir` with microdata: its folder.
fn small_run_with_microdata(dir: &Path) -> PathBuf {
    let mut args = vec!["run"];
    args.extend(SMALL_EXCHANGE);
    args.extend(["--out", "m", "--microdata"]);
    let done = carenet(&args, dir);
    assert!(done.status.success(), "{}", stderr(&done));
    dir.join("m")
}

#[test]
fn residents_add_up_to_the_runs_totals() {
    let dir = tempfile::tempdir().unwrap();
    let folder = small_run_with_microdata(dir.path());
    let residents = csv_table(&folder.join("residents.csv"));
    let summary = csv_table(&folder.join("summary.csv"));
    let weeks = csv_table(&folder.join("timeseries.csv"));
    assert_eq!(
        column(&summary, "residents"),
        [residents.1.len().to_string()]
    );
    let total = |name: &str| sum_hours(&summary, name);
    for source in ["need", "household", "informal", "formal", "unmet"] {
        let name = format!("{source}_hours");
        assert_eq!(sum_hours(&residents, &name), total(&name), "{name}");
    }
    for kind in [
        "kin",
        "friend",
        "peer",
        "association",
        "volunteer",
        "neighbour",
    ] {
        let by_kind = sum_hours(&residents, &format!("informal_hours_{kind}"));
        assert_eq!(by_kind, total(&format!("{kind}_hours")), "{kind}");
    }
    assert!(total("volunteer_hours") > 0, "the exchange matched nobody");
    assert_eq!(sum_hours(&residents, "informal_hours_partner"), 0);
    assert_each_residents_hours_add_up(&residents);
    // Given: household help all comes from a resident partner; informal help
    // from residents is the informal help but that from outside the area.
    assert_eq!(
        sum_hours(&residents, "given_household_hours"),
        total("household_hours")
    );
    assert_eq!(
        sum_hours(&residents, "given_outbound_hours"),
        total("outbound_hours")
    );
    assert_eq!(
        sum_hours(&residents, "given_nursing_home_hours"),
        total("outbound_nursing_home_hours")
    );
    assert!(total("outbound_nursing_home_hours") > 0, "nobody in a home");
    let from_residents = sum_hours(&weeks, "informal_hours") - sum_hours(&weeks, "outside_hours");
    assert_eq!(
        sum_hours(&residents, "given_informal_hours"),
        from_residents
    );
    let neighbourhoods = csv_table(&folder.join("neighbourhoods.csv"));
    for (count, total) in [
        ("weeks_in_need", sum_counts(&weeks, "residents_in_need")),
        (
            "weeks_with_unmet_need",
            sum_counts(&weeks, "residents_with_unmet_need"),
        ),
        ("intakes", sum_counts(&summary, "intakes")),
        ("burnouts", sum_counts(&neighbourhoods, "burnouts")),
    ] {
        assert_eq!(sum_counts(&residents, count), total, "{count}");
    }
    assert!(sum_counts(&residents, "intakes") > 0, "nobody applied");
    check_ties_against_the_network_summary(
        &residents,
        &csv_table(&folder.join("network_summary.csv")),
    );
    check_carers_against_the_summary(&residents, &summary, Window::OneYear);
}

/// How long the run was: in a run of several years a carer's receiver can
/// die or move away, and their tie with them ends.
#[derive(PartialEq)]
enum Window {
    OneYear,
    SeveralYears,
}

/// residents.csv's carer columns give summary.csv's carer figures: one
/// definition of a carer behind both.
fn check_carers_against_the_summary(residents: &CsvTable, summary: &CsvTable, window: Window) {
    let figure = |name: &str| column(summary, name)[0].parse::<f64>().unwrap();
    let flag = |name: &str| -> Vec<bool> {
        column(residents, name)
            .iter()
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let share = |hits: usize, of: usize| hits as f64 / of as f64;
    let close = |model: f64, summary: f64, name: &str| {
        assert!(
            (model - summary).abs() < 1e-9,
            "{name}: {model} against {summary}"
        )
    };
    let (broad, cbs) = (flag("carer_broad"), flag("carer_cbs"));
    let (intensive, burdened) = (flag("carer_intensive"), flag("carer_heavily_burdened"));
    let carers = cbs.iter().filter(|c| **c).count();
    assert!(carers > 0, "no CBS carers in the run");
    let count = |flags: &[bool]| flags.iter().zip(&cbs).filter(|(f, c)| **f && **c).count();
    close(
        share(carers, residents.1.len()),
        figure("carers_cbs_share"),
        "carers_cbs_share",
    );
    close(
        share(broad.iter().filter(|b| **b).count(), residents.1.len()),
        figure("carers_broad_share"),
        "carers_broad_share",
    );
    close(
        share(count(&intensive), carers),
        figure("intensive_share_of_cbs_carers"),
        "intensive",
    );
    close(
        share(count(&burdened), carers),
        figure("heavily_burdened_share_of_cbs_carers"),
        "burdened",
    );
    assert!(
        intensive.iter().zip(&cbs).all(|(i, c)| !i || *c),
        "an intensive carer is a CBS carer"
    );
    let hours: Vec<&str> = column(residents, "care_hours_per_caring_week");
    let cbs_hours: f64 = hours
        .iter()
        .zip(&cbs)
        .filter(|(_, c)| **c)
        .map(|(h, _)| h.parse::<f64>().unwrap())
        .sum();
    let mean = cbs_hours / carers as f64;
    assert!(
        (mean - figure("cbs_carer_mean_hours")).abs() < 0.005,
        "hours {mean}"
    );
    let relations = column(residents, "main_receiver");
    for relation in [
        "partner",
        "parent",
        "child",
        "sibling",
        "other_kin",
        "friend",
        "neighbour",
        "other",
    ] {
        let of_relation = relations
            .iter()
            .zip(&cbs)
            .filter(|(r, c)| **c && **r == relation)
            .count();
        let with_receiver = relations
            .iter()
            .zip(&cbs)
            .filter(|(r, c)| **c && !r.is_empty())
            .count();
        close(
            share(of_relation, with_receiver),
            figure(&format!("cbs_carers_of_{relation}_share")),
            relation,
        );
    }
    for (r, h) in relations.iter().zip(&hours) {
        assert!(
            r.is_empty() || !h.is_empty(),
            "a main receiver only if they cared"
        );
        if window == Window::OneYear {
            assert_eq!(
                r.is_empty(),
                h.is_empty(),
                "a main receiver exactly when they cared"
            );
        }
    }
    // QA 36: docs/ODD.md §9.11 said NA "if they never cared"; over several
    // years some who cared have none, and the summary's shares leave them out.
    let cared_without_a_receiver = relations
        .iter()
        .zip(&hours)
        .filter(|(r, h)| r.is_empty() && !h.is_empty())
        .count();
    assert_eq!(
        cared_without_a_receiver > 0,
        window == Window::SeveralYears,
        "carers whose every tie of care ended"
    );
    // The rate within each age band, as CBS reports its age profile.
    let ages: Vec<u8> = column(residents, "age")
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
    let bands: [(&str, std::ops::RangeInclusive<u8>); 8] = [
        ("18-24", 18..=24),
        ("25-34", 25..=34),
        ("35-44", 35..=44),
        ("45-54", 45..=54),
        ("55-64", 55..=64),
        ("65-74", 65..=74),
        ("75-84", 75..=84),
        ("85+", 85..=u8::MAX),
    ];
    for (band, years) in bands {
        let of_age: Vec<bool> = ages.iter().map(|a| years.contains(a)).collect();
        let all = of_age.iter().filter(|x| **x).count();
        let carers = of_age.iter().zip(&cbs).filter(|(x, c)| **x && **c).count();
        let name = format!("cbs_carer_rate_aged_{band}");
        close(share(carers, all), figure(&name), &name);
    }
    // QA 40: `cbs_carer_share_<band>` is the same rate by the four bands of
    // `age_band` (docs/ODD.md §9.9 said only "defined in §1.3", which has no
    // row for it), not the share of CBS carers in the band.
    let age_bands = column(residents, "age_band");
    for band in ["18-34", "35-54", "55-74", "75+"] {
        let all = age_bands.iter().filter(|b| **b == band).count();
        let carers = age_bands
            .iter()
            .zip(&cbs)
            .filter(|(b, c)| **b == band && **c)
            .count();
        let name = format!("cbs_carer_share_{band}");
        close(share(carers, all), figure(&name), &name);
    }
    // The receivers' side: who received care in the CBS sense, and their hours.
    let receivers = flag("receiver_cbs");
    let received = column(residents, "care_hours_per_receiving_week");
    for (over, name) in [
        (55, "receivers_55plus_share"),
        (75, "receivers_75plus_share"),
    ] {
        let old = |r: usize| ages[r] >= over;
        let all = (0..ages.len()).filter(|r| old(*r)).count();
        let hits = (0..ages.len()).filter(|r| old(*r) && receivers[*r]).count();
        close(share(hits, all), figure(name), name);
    }
    let old_receivers: Vec<f64> = (0..ages.len())
        .filter(|r| ages[*r] >= 55 && receivers[*r])
        .map(|r| received[r].parse::<f64>().unwrap())
        .collect();
    assert!(
        !old_receivers.is_empty(),
        "no receivers aged 55+ in the run"
    );
    let mean = old_receivers.iter().sum::<f64>() / old_receivers.len() as f64;
    assert!(
        (mean - figure("receivers_55plus_mean_hours")).abs() < 0.005,
        "received hours {mean}"
    );
    for (r, h) in receivers.iter().zip(&received) {
        assert!(!r || !h.is_empty(), "a receiver received hours");
    }
    let sizes = column(residents, "household_size");
    for (size, name) in [("1", "alone"), ("2", "with_partner")] {
        let hours: Vec<f64> = (0..ages.len())
            .filter(|r| ages[*r] >= 55 && receivers[*r] && sizes[*r] == size)
            .map(|r| received[r].parse::<f64>().unwrap())
            .collect();
        assert!(!hours.is_empty(), "no receivers aged 55+ {name}");
        let mean = hours.iter().sum::<f64>() / hours.len() as f64;
        let column = format!("receivers_55plus_mean_hours_{name}");
        assert!((mean - figure(&column)).abs() < 0.005, "{column}: {mean}");
    }
}

/// Ties per resident of each neighbourhood, as network_summary.csv means them.
fn check_ties_against_the_network_summary(residents: &CsvTable, network: &CsvTable) {
    let homes = column(residents, "neighbourhood");
    for (n, name) in column(network, "neighbourhood").into_iter().enumerate() {
        let members = homes.iter().filter(|h| **h == name).count();
        assert_eq!(column(network, "residents")[n], members.to_string());
        for kind in [
            "partner",
            "kin",
            "friend",
            "neighbour",
            "acquaintance",
            "association",
        ] {
            let ties: i64 = column(residents, &format!("ties_{kind}"))
                .iter()
                .zip(&homes)
                .filter(|(_, h)| **h == name)
                .map(|(t, _)| t.parse::<i64>().unwrap())
                .sum();
            let mean: f64 = column(network, &format!("mean_ties_{kind}"))[n]
                .parse()
                .unwrap();
            assert!(
                (ties as f64 / members as f64 - mean).abs() < 1e-9,
                "{name} {kind}"
            );
        }
    }
    let kin = sum_counts(residents, "ties_kin");
    let by_relation: i64 = [
        "parent",
        "child",
        "sibling",
        "other_kin",
        "parent_in_law",
        "child_in_law",
    ]
    .iter()
    .map(|r| sum_counts(residents, &format!("ties_{r}")))
    .sum();
    assert_eq!(kin, by_relation);
}

#[test]
fn replicates_write_one_residents_csv_whose_rows_rerun_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["run"];
    args.extend(SMALL_EXCHANGE);
    args.extend(["--replicates", "2", "--out", "reps", "--microdata"]);
    let done = carenet(&args, dir.path());
    assert!(done.status.success(), "{}", stderr(&done));
    let reps = dir.path().join("reps");
    assert!(!reps.join("replicate-002/residents.csv").exists());
    let seed = second_replicate_seed(&reps);
    let mut args = vec!["run"];
    args.extend(SMALL_EXCHANGE);
    args.extend(["--seed", &seed, "--out", "alone", "--microdata"]);
    let done = carenet(&args, dir.path());
    assert!(done.status.success(), "{}", stderr(&done));
    assert_second_replicate_reruns_alone(&reps, &dir.path().join("alone"), "residents.csv");
}

/// The seed of replicate 2 of a replicate folder, as its manifest records it.
fn second_replicate_seed(reps: &Path) -> String {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reps.join("manifest.json")).unwrap())
            .unwrap();
    manifest["facts"]["replicate_seeds"][1]
        .as_str()
        .unwrap()
        .to_string()
}

/// `file` of the two replicates in `reps` is one table led by `replicate`,
/// whose rows of replicate 2 are those of the run `alone` with its seed, and
/// no replicate's part of it is left.
fn assert_second_replicate_reruns_alone(reps: &Path, alone: &Path, file: &str) {
    let all = std::fs::read_to_string(reps.join(file)).unwrap();
    let alone = std::fs::read_to_string(alone.join(file)).unwrap();
    let mut lines = alone.lines();
    let header = lines.next().unwrap();
    assert_eq!(all.lines().next().unwrap(), format!("replicate,{header}"));
    let second: Vec<&str> = all.lines().filter_map(|l| l.strip_prefix("2,")).collect();
    assert_eq!(second, lines.collect::<Vec<_>>());
    assert_eq!(all.lines().count(), 1 + 2 * second.len());
    let left: Vec<_> = std::fs::read_dir(reps)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The small exchange area over two years and a short third (demography on,
/// as at the defaults): a run that writes residents_yearly.csv.
const SMALL_YEARS: [&str; 7] = [
    "pv1-3-help-exchange",
    "--set",
    "neighbourhood[*].adults=150",
    "--set",
    "weeks=120",
    "--set",
    "burn_in_weeks=8",
];

/// The small run of years with `extra` arguments into `out` in `dir`: its folder.
fn run_years(dir: &Path, extra: &[&str], out: &str) -> PathBuf {
    let mut args = vec!["run"];
    args.extend(SMALL_YEARS);
    args.extend(extra);
    args.extend(["--out", out]);
    let done = carenet(&args, dir);
    assert!(done.status.success(), "{}", stderr(&done));
    dir.join(out)
}

/// residents_yearly.csv follows persons through the years: its rows add up,
/// each year's rows to yearly.csv's totals and each home's years to its row of
/// residents.csv; a home has a new occupant exactly where yearly.csv counts a
/// death or a move out; it is the same on 1 and 2 threads, and a run of one
/// year has none.
#[test]
fn residents_yearly_adds_up_to_the_years_and_the_homes_and_follows_occupants() {
    let dir = tempfile::tempdir().unwrap();
    let one = run_years(dir.path(), &["--threads", "1", "--microdata"], "one");
    let folder = run_years(dir.path(), &["--threads", "2", "--microdata"], "two");
    assert_eq!(run_files(&one), run_files(&folder), "1 thread against 2");
    let panel = csv_table(&folder.join("residents_yearly.csv"));
    let residents = csv_table(&folder.join("residents.csv"));
    let yearly = csv_table(&folder.join("yearly.csv"));
    assert_eq!(
        panel.1.len(),
        3 * residents.1.len(),
        "a row per resident and year"
    );
    let columns: Vec<&str> = panel.0.iter().map(String::as_str).collect();
    let odd = crate::odd::odd_section("\n#### 9.11.1 ", "\n### 9.12 ");
    let missing = crate::odd::undefined(&odd, &columns);
    assert!(
        missing.is_empty(),
        "not defined in docs/ODD.md §9.11.1: {missing:?}"
    );
    assert_each_residents_hours_add_up_in(&panel, &[]);
    let value = |table: &CsvTable, row: &[String], name: &str| {
        row[table.0.iter().position(|c| c == name).unwrap()].clone()
    };
    // Without a start_year the calendar year is empty; with one, each year
    // has its own and nothing else changes (session 37).
    assert!(
        panel
            .1
            .iter()
            .all(|row| value(&panel, row, "calendar_year").is_empty())
    );
    let dated = run_years(
        dir.path(),
        &["--threads", "2", "--microdata", "--set", "start_year=2030"],
        "dated",
    );
    let dated_panel = csv_table(&dated.join("residents_yearly.csv"));
    assert_eq!(dated_panel.1.len(), panel.1.len());
    for (row, dated_row) in panel.1.iter().zip(&dated_panel.1) {
        let year: u32 = value(&panel, row, "year").parse().unwrap();
        assert_eq!(
            value(&dated_panel, dated_row, "calendar_year"),
            (2029 + year).to_string()
        );
        let others = |table: &CsvTable, row: &[String]| -> Vec<String> {
            table
                .0
                .iter()
                .zip(row)
                .filter(|(c, _)| *c != "calendar_year")
                .map(|(_, v)| v.clone())
                .collect()
        };
        assert_eq!(others(&panel, row), others(&dated_panel, dated_row));
    }
    let rows_where = |name: &str, wanted: usize| -> Vec<&Vec<String>> {
        let wanted = wanted.to_string();
        panel
            .1
            .iter()
            .filter(|row| value(&panel, row, name) == wanted)
            .collect()
    };
    let total = |rows: &[&Vec<String>], name: &str, parse: fn(&str) -> i64| -> i64 {
        rows.iter()
            .map(|row| parse(&value(&panel, row, name)))
            .sum()
    };
    let whole = |v: &str| v.parse::<i64>().unwrap();
    for (y, year_row) in yearly.1.iter().enumerate() {
        let rows = rows_where("year", y + 1);
        for name in [
            "need_hours",
            "household_hours",
            "informal_hours",
            "formal_hours",
            "unmet_hours",
        ] {
            assert_eq!(
                total(&rows, name, hundredths),
                hundredths(&value(&yearly, year_row, name)),
                "year {} {name}",
                y + 1
            );
        }
    }
    for (r, home) in residents.1.iter().enumerate() {
        let years = rows_where("resident", r);
        assert_eq!(years.len(), 3, "resident {r}");
        for name in [
            "need_hours",
            "unmet_hours",
            "given_informal_hours",
            "given_outbound_hours",
        ] {
            assert_eq!(
                total(&years, name, hundredths),
                hundredths(&value(&residents, home, name)),
                "resident {r} {name}"
            );
        }
        for name in ["weeks_in_need", "burnouts", "intakes"] {
            assert_eq!(
                total(&years, name, whole).to_string(),
                value(&residents, home, name),
                "resident {r} {name}"
            );
        }
    }
    let occupants = |year: usize| -> Vec<String> {
        rows_where("year", year)
            .iter()
            .map(|row| value(&panel, row, "occupant"))
            .collect()
    };
    for year in 2..=3 {
        let (before, after) = (occupants(year - 1), occupants(year));
        let new = before.iter().zip(&after).filter(|(b, a)| b != a).count();
        let turn = &yearly.1[year - 1];
        let left: usize = ["deaths", "departures"]
            .iter()
            .map(|c| value(&yearly, turn, c).parse::<usize>().unwrap())
            .sum();
        assert!(left > 0, "the test needs a turn where someone leaves");
        assert_eq!(new, left, "year {year}");
    }
    check_carers_against_the_summary(
        &residents,
        &csv_table(&folder.join("summary.csv")),
        Window::SeveralYears,
    );
    let single = run_years(dir.path(), &["--set", "weeks=52", "--microdata"], "single");
    assert!(single.join("residents.csv").exists());
    assert!(!single.join("residents_yearly.csv").exists());
}

/// yearly.csv's carer figures are each year's alone, as CBS asks about a
/// year: the first year's equal those of the same run stopped after a year
/// (demography acts only at the turns), where summary.csv's over the whole run
/// count more carers.
#[test]
fn yearly_carer_figures_are_the_years_own() {
    let dir = tempfile::tempdir().unwrap();
    let years = run_years(dir.path(), &[], "years");
    let one = run_years(dir.path(), &["--set", "weeks=52"], "one");
    let yearly = csv_table(&years.join("yearly.csv"));
    let summary = csv_table(&one.join("summary.csv"));
    let whole = csv_table(&years.join("summary.csv"));
    let value = |table: &CsvTable, row: usize, name: &str| {
        table.1[row][table.0.iter().position(|c| c == name).unwrap()].clone()
    };
    for name in [
        "carers_cbs_share",
        "carers_broad_share",
        "intensive_share_of_cbs_carers",
        "heavily_burdened_share_of_cbs_carers",
        "cbs_carer_mean_hours",
        "receivers_55plus_share",
        "receivers_75plus_share",
    ] {
        assert_eq!(value(&yearly, 0, name), value(&summary, 0, name), "{name}");
        for year in 1..3 {
            assert!(
                value(&yearly, year, name).parse::<f64>().is_ok(),
                "year {} {name}",
                year + 1
            );
        }
    }
    let share = |table: &CsvTable, row| {
        value(table, row, "carers_cbs_share")
            .parse::<f64>()
            .unwrap()
    };
    for year in 0..3 {
        assert!(
            share(&whole, 0) > share(&yearly, year),
            "over three years more residents care 13 weeks than in year {}",
            year + 1
        );
    }
}

/// Replicates write one residents_yearly.csv, led by the replicate, whose
/// rows are those of each replicate's seed run alone.
#[test]
fn replicates_write_one_residents_yearly_csv_whose_rows_rerun_alone() {
    let dir = tempfile::tempdir().unwrap();
    let reps = run_years(dir.path(), &["--replicates", "2", "--microdata"], "reps");
    let seed = second_replicate_seed(&reps);
    let alone = run_years(dir.path(), &["--seed", &seed, "--microdata"], "alone");
    assert_second_replicate_reruns_alone(&reps, &alone, "residents_yearly.csv");
}

/// QA 35: replicates of several years write their years side by side
/// (yearly.csv, led by the replicate) and each year's mean and interval over
/// them (yearly_aggregate.csv), as `compare` does; before, a projection's
/// intervals by year needed a loop over the replicate folders.
#[test]
fn replicates_of_several_years_write_each_years_mean_and_interval() {
    let dir = tempfile::tempdir().unwrap();
    let reps = run_years(dir.path(), &["--replicates", "2"], "reps");
    let seed = second_replicate_seed(&reps);
    let alone = run_years(dir.path(), &["--seed", &seed], "alone");
    assert_second_replicate_reruns_alone(&reps, &alone, "yearly.csv");
    let years = csv_table(&reps.join("yearly.csv"));
    let aggregate = csv_table(&reps.join("yearly_aggregate.csv"));
    assert_eq!(
        aggregate.0,
        [
            "year",
            "calendar_year",
            "metric",
            "n",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high"
        ]
    );
    let need: Vec<f64> = column(&years, "need_hours")
        .iter()
        .zip(column(&years, "year"))
        .filter(|(_, year)| *year == "2")
        .map(|(v, _)| v.parse().unwrap())
        .collect();
    assert_eq!(need.len(), 2, "year 2 of each replicate");
    let row = aggregate
        .1
        .iter()
        .find(|r| r[0] == "2" && r[2] == "need_hours")
        .expect("year 2's need");
    assert_eq!(row[1], "", "no start_year: no calendar year");
    assert_eq!(row[3], "2");
    let mean: f64 = row[4].parse().unwrap();
    assert!(
        (mean - (need[0] + need[1]) / 2.0).abs() < 1e-6,
        "{row:?} {need:?}"
    );
    let listed = json(&reps.join("manifest.json"));
    let listed = listed_files(&listed);
    assert!(listed.contains(&"yearly.csv") && listed.contains(&"yearly_aggregate.csv"));
    assert_ok(&carenet(&["report", "reps"], dir.path()));
}

#[test]
fn run_and_compare_take_built_in_names_in_an_empty_folder_and_a_file_wins() {
    let dir = tempfile::tempdir().unwrap();
    let small = [
        "--set",
        "neighbourhood[*].adults=100",
        "--set",
        "weeks=4",
        "--set",
        "burn_in_weeks=2",
    ];
    let mut args = vec![
        "compare",
        "pv1-0-none",
        "pv1-5-network-first",
        "--replicates",
        "2",
    ];
    args.extend(small);
    let done = carenet(&args, dir.path());
    assert!(done.status.success(), "{}", stderr(&done));
    let manifest =
        std::fs::read_to_string(dir.path().join("results/compare-pv1-none/manifest.json")).unwrap();
    assert!(
        manifest.contains("built-in scenarios/pv1-0-none.toml"),
        "{manifest}"
    );
    let mut args = vec!["run", "linders-drents-dorp", "--out", "ld"];
    args.extend(small);
    let done = carenet(&args, dir.path());
    assert!(done.status.success(), "{}", stderr(&done));
    // A file named like a built-in scenario is the one run.
    std::fs::write(
        dir.path().join("baseline"),
        "name = \"mine\"\nweeks = 2\nburn_in_weeks = 1\n",
    )
    .unwrap();
    let done = carenet(
        &["run", "baseline", "--set", "neighbourhood[*].adults=50"],
        dir.path(),
    );
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(dir.path().join("results/mine/summary.csv").is_file());
    let unknown = carenet(&["run", "no-such-scenario"], dir.path());
    assert_eq!(unknown.status.code(), Some(3));
    assert!(
        stderr(&unknown).contains("linders-drents-dorp"),
        "{}",
        stderr(&unknown)
    );
    let help = stdout(&carenet(&["run", "--help"], dir.path()));
    assert!(
        help.contains("built-in scenario") && help.contains("file of that name wins"),
        "{help}"
    );
}

/// QA 31: sweep, sensitivity and calibrate said their --set options were
/// recorded in manifest.json; they are in the folder's experiment.toml.
#[test]
fn the_set_options_help_says_where_each_command_records_them() {
    let dir = tempfile::tempdir().unwrap();
    for (command, record) in [
        ("run", "manifest.json"),
        ("compare", "manifest.json"),
        ("sweep", "experiment.toml"),
        ("sensitivity", "experiment.toml"),
        ("calibrate", "experiment.toml"),
    ] {
        let help = stdout(&carenet(&[command, "--help"], dir.path()));
        let set = help
            .lines()
            .skip_while(|line| !line.contains("--set <KEY=VALUE>"))
            .take_while(|line| !line.trim_start().starts_with("-h,"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(set.contains(record), "{command} --help: {set}");
    }
    let help = stdout(&carenet(&["sweep", "--help"], dir.path()));
    assert!(help.contains("design = \"file\""), "{help}");
}

#[test]
fn import_cbs_writes_a_scenario_that_checks_and_runs_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kwb-sample.csv");
    let fixture = fixture.to_str().unwrap();
    let out = carenet(&["import-cbs", fixture, "--gemeente", "GM1900"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("sudwest-fryslan.toml"),
        "{}",
        stdout(&out)
    );
    let written = dir.path().join("sudwest-fryslan.toml");
    let text = std::fs::read_to_string(&written).unwrap();
    let check = carenet(&["check", "sudwest-fryslan.toml"], dir.path());
    assert!(check.status.success(), "{}", stderr(&check));
    let run = carenet(
        &[
            "run",
            "sudwest-fryslan.toml",
            "--set",
            "weeks=2",
            "--set",
            "burn_in_weeks=0",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let summary = std::fs::read_to_string(
        dir.path()
            .join("results/sudwest-fryslan/neighbourhoods.csv"),
    )
    .unwrap();
    assert!(summary.contains("Sneek-Centrum"), "{summary}");

    // Again: refused, the file untouched; with --force, replaced.
    let again = carenet(&["import-cbs", fixture, "--gemeente", "GM1900"], dir.path());
    assert_eq!(again.status.code(), Some(4), "{}", stderr(&again));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    std::fs::write(&written, "mine").unwrap();
    let again = carenet(&["import-cbs", fixture, "--gemeente", "GM1900"], dir.path());
    assert_eq!(again.status.code(), Some(4));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "mine");
    let forced = carenet(
        &["import-cbs", fixture, "--gemeente", "GM1900", "--force"],
        dir.path(),
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), text);
}

/// QA 30: `--wijk` took only a code; a name as CBS prints it, or without its
/// "Wijk 01 ", now selects the same wijk, and a wrong one lists the wijken.
#[test]
fn import_cbs_takes_a_wijk_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kwb-sample.csv");
    let fixture = fixture.to_str().unwrap();
    let import = |wijk: &str, out: &str| {
        carenet(
            &[
                "import-cbs",
                fixture,
                "--gemeente",
                "GM1900",
                "--wijk",
                wijk,
                "--out",
                out,
            ],
            dir.path(),
        )
    };
    for (wijk, out) in [
        ("WK190001", "code.toml"),
        ("Wijk 01 Bolsward", "cbs.toml"),
        ("bolsward", "name.toml"),
    ] {
        let done = import(wijk, out);
        assert!(done.status.success(), "{wijk}: {}", stderr(&done));
        // QA 31: the line said the gemeente alone.
        assert!(
            stdout(&done).contains("wijk WK190001 of Súdwest-Fryslân (GM1900), "),
            "{wijk}: {}",
            stdout(&done)
        );
    }
    let code = std::fs::read_to_string(dir.path().join("code.toml")).unwrap();
    assert!(code.contains("--wijk WK190001"), "{code}");
    for out in ["cbs.toml", "name.toml"] {
        assert_eq!(std::fs::read_to_string(dir.path().join(out)).unwrap(), code);
    }
    let wrong = import("Bolswerd", "wrong.toml");
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains("its 2 wijken: WK190000 Wijk 00 Sneek, WK190001 Wijk 01 Bolsward"),
        "{}",
        stderr(&wrong)
    );
    assert!(!dir.path().join("wrong.toml").exists());
}

#[test]
fn import_cbs_refuses_broken_files_and_wrong_codes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kwb-sample.csv");
    let text = std::fs::read_to_string(&fixture).unwrap();
    std::fs::write(dir.path().join("commas.csv"), text.replace(';', ",")).unwrap();
    let broken = carenet(
        &[
            "import-cbs",
            "commas.csv",
            "--gemeente",
            "GM1900",
            "--out",
            "x.toml",
        ],
        dir.path(),
    );
    assert_eq!(broken.status.code(), Some(3), "{}", stderr(&broken));
    assert!(
        stderr(&broken).contains("commas.csv:1: the header has one column only"),
        "{}",
        stderr(&broken)
    );
    let wrong = carenet(
        &[
            "import-cbs",
            fixture.to_str().unwrap(),
            "--gemeente",
            "Vlieland",
            "--out",
            "x.toml",
        ],
        dir.path(),
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains("fix: use --gemeente GM0096"));
    let missing = carenet(
        &["import-cbs", "nothing.csv", "--gemeente", "GM1900"],
        dir.path(),
    );
    // Exit code 3 (input to fix) since session 41, as `run` of a scenario
    // file that is not there.
    assert_eq!(missing.status.code(), Some(3), "{}", stderr(&missing));
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "only the broken input is there");
}

#[test]
fn compare_prices_formal_hours_and_levers_and_says_what_1000_eur_buys() {
    let dir = tempfile::tempdir().unwrap();
    // Every tariff 10 €/h: formal cost is 10 x formal hours.
    let base = "name = \"priced\"\nseed = 5\nweeks = 4\nburn_in_weeks = 2\n\
                [[neighbourhood]]\nname = \"A\"\nadults = 500\n\
                [[neighbourhood]]\nname = \"B\"\nadults = 400\ncentre_km = [1.2, 0.0]\n\
                [cost]\nhousehold_help_eur_per_hour = 10\npersonal_care_eur_per_hour = 10\n\
                support_eur_per_hour = 10\n";
    std::fs::write(dir.path().join("base.toml"), base).unwrap();
    std::fs::write(
        dir.path().join("events.toml"),
        base.replace("\"priced\"", "\"events\"")
            + "[[intervention]]\nkind = \"cohesion_events\"\nstart_week = 2\n",
    )
    .unwrap();
    let out = carenet(
        &[
            "compare",
            "base.toml",
            "events.toml",
            "--replicates",
            "3",
            "--out",
            "cmp",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let cmp = dir.path().join("cmp");
    let runs = std::fs::read_to_string(cmp.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|c| *c == name).unwrap();
    for line in runs.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let formal: f64 = cells[column("formal_hours")].parse().unwrap();
        let cost: f64 = cells[column("formal_cost_eur")].parse().unwrap();
        assert!(
            (cost - 10.0 * formal).abs() < 0.006,
            "{cost} for {formal} h"
        );
        // Cohesion events in 2 neighbourhoods, 5,000 € a year each, for weeks 2 and 3.
        let levers: f64 = cells[column("intervention_cost_eur")].parse().unwrap();
        let expected = if cells[0] == "events" {
            2.0 * 5000.0 * 2.0 / 52.0
        } else {
            0.0
        };
        assert!((levers - expected).abs() < 0.006, "{line}");
    }
    let table = std::fs::read_to_string(cmp.join("cost_effectiveness.csv")).unwrap();
    let mut lines = table.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("variant,extra_intervention_cost_eur,unmet_hours_change,")
    );
    let events = lines.next().unwrap();
    assert!(events.starts_with("events,384.62"), "{events}");
    assert!(
        table.lines().next().unwrap().contains(
            ",wmo_cost_change_eur,wmo_cost_change_eur_ci95_low,wmo_cost_change_eur_ci95_high,zvw_cost_change_eur,"
        ),
        "{table}"
    );
    assert_eq!(lines.next(), None, "one row per variant but the base");
    // QA 31: §9.12 described the table in prose and named 4 of its 26 columns.
    let columns: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    let section = crate::odd::odd_section("\n### 9.12 ", "\n### 9.13 ");
    let missing = crate::odd::undefined(&section, &columns);
    assert!(
        missing.is_empty(),
        "cost_effectiveness.csv: not defined in docs/ODD.md §9.12: {missing:?}"
    );
    assert!(
        section.contains(&format!("{} columns in this\norder", columns.len())),
        "§9.12 gives the number of columns"
    );
    let markdown = std::fs::read_to_string(cmp.join("comparison.md")).unwrap();
    assert!(markdown.contains("## Cost-effectiveness"), "{markdown}");
    assert!(
        markdown.contains("- events spends € 385 more on interventions than priced over the 4 reported weeks. Per € 1,000 of that, unmet hours change by"),
        "{markdown}"
    );
}

/// The carers of a parent- or child-in-law are a part of the carers of a
/// parent or a child, and there are none without ties to parents-in-law
/// (docs/ODD.md §7.4.1, §9.9).
#[test]
fn carers_of_in_laws_are_counted_among_carers_of_parents_and_children() {
    let dir = tempfile::tempdir().unwrap();
    let shares = |out: &str, set: &[&str]| -> [f64; 4] {
        let mut args = vec!["run", "baseline", "--out", out, "-q"];
        args.extend(set);
        let done = carenet(&args, dir.path());
        assert!(done.status.success(), "{}", stderr(&done));
        let summary = csv_table(&dir.path().join(out).join("summary.csv"));
        let value = |name: &str| column(&summary, name)[0].parse::<f64>().unwrap();
        let manifest = json(&dir.path().join(out).join("manifest.json"));
        let ties = manifest["facts"]["parent_in_law_ties"].as_f64();
        [
            value("cbs_carers_of_in_law_share"),
            value("cbs_carers_of_parent_share"),
            value("cbs_carers_of_child_share"),
            ties.expect("the manifest counts the ties to parents-in-law"),
        ]
    };
    let [in_law, parent, child, ties] = shares("with", &[]);
    assert!(in_law > 0.02, "{in_law} of CBS carers care for an in-law");
    assert!(
        in_law < parent + child,
        "{in_law} against {parent} + {child}"
    );
    assert!(ties > 1000.0, "{ties} ties to parents-in-law");
    let set = ["--set", "kinship.parents_in_law=false"];
    let [in_law, parent, _, ties] = shares("without", &set);
    assert_eq!((in_law, ties), (0.0, 0.0));
    assert!(parent > 0.2, "{parent}");
}

/// A WebAssembly module with nothing but the exports the exported page calls
/// (enough for export-page, which does not run it).
fn module_with_the_pages_exports() -> Vec<u8> {
    fn leb128(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    let exports = [
        ("memory", 2),
        ("carenet_alloc", 0),
        ("carenet_free", 0),
        ("carenet_output_ptr", 0),
        ("carenet_catalogue", 0),
        ("carenet_start", 0),
        ("carenet_step", 0),
        ("carenet_finish", 0),
    ];
    let mut section = Vec::new();
    leb128(exports.len(), &mut section);
    for (i, (name, kind)) in exports.into_iter().enumerate() {
        leb128(name.len(), &mut section);
        section.extend(name.as_bytes());
        section.push(kind);
        leb128(i, &mut section);
    }
    let mut module = b"\0asm\x01\0\0\0\x07".to_vec();
    leb128(section.len(), &mut module);
    module.extend(section);
    module
}

#[test]
fn export_page_refuses_a_module_the_page_cannot_run_and_replaces_only_its_own_page() {
    let dir = tempfile::tempdir().unwrap();
    // QA 23b item 5: a valid header and no exports.
    std::fs::write(dir.path().join("min.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let bad = carenet(&["export-page", "page", "--wasm", "min.wasm"], dir.path());
    assert_eq!(bad.status.code(), Some(3), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("min.wasm is not the carenet model the page runs")
            && stderr(&bad).contains("carenet_alloc")
            && stderr(&bad).contains("fix: build the page with `bash scripts/export-page.sh DIR`"),
        "{}",
        stderr(&bad)
    );
    assert!(!dir.path().join("page").exists());

    std::fs::write(
        dir.path().join("page.wasm"),
        module_with_the_pages_exports(),
    )
    .unwrap();
    let export = || carenet(&["export-page", "page", "--wasm", "page.wasm"], dir.path());
    let first = export();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(dir.path().join("page/index.html").is_file());
    assert!(dir.path().join("page/carenet-page.json").is_file());
    // Its own page again: replaced without --force.
    let again = export();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("replaced the earlier page there"),
        "{}",
        stdout(&again)
    );
    // With a file of the user's: refused in export-page's words, nothing touched.
    std::fs::write(dir.path().join("page/assets/notes.txt"), "mine").unwrap();
    let refused = export();
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("is not a teaching page that export-page wrote")
            && message.contains("assets/notes.txt")
            && message.contains("fix: name another DIR")
            && message.contains("--force")
            && !message.contains("--out")
            && !message.contains("run folder"),
        "{message}"
    );
    assert!(dir.path().join("page/assets/notes.txt").exists());
    let forced = carenet(
        &["export-page", "page", "--wasm", "page.wasm", "--force"],
        dir.path(),
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(!dir.path().join("page/assets/notes.txt").exists());
}

/// QA 28's leftover: export-page given a file where its folder should be had
/// no test. QA 29: a folder or file asked for inside a file (`notes.txt/page`)
/// was refused as "cannot write notes.txt: File exists (os error 17)" (run,
/// sweep, export-page, new, scenarios export, man) or "cannot write
/// notes.txt/.x.toml.partial-8122: Not a directory" (import-cbs, synth); it
/// is named as the user's file now, and kept.
#[test]
fn a_file_where_an_output_folder_should_be_is_named_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("page.wasm"),
        module_with_the_pages_exports(),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine\n").unwrap();
    small_experiment(dir.path(), "");
    let cbs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kwb-sample.csv");
    let cbs = cbs.to_str().unwrap();
    // The page's folder itself a file: said in export-page's words.
    for args in [
        ["export-page", "notes.txt", "--wasm", "page.wasm"].as_slice(),
        &["export-page", "notes.txt", "--wasm", "page.wasm", "--force"],
    ] {
        let out = carenet(args, dir.path());
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {message}");
        assert!(
            message.contains("notes.txt is a file, not a folder")
                && message.contains("fix: name a new folder for the page"),
            "{args:?}: {message}"
        );
    }
    let inside: [&[&str]; 9] = [
        &["export-page", "notes.txt/page", "--wasm", "page.wasm"],
        &["run", "small.toml", "--out", "notes.txt/run"],
        &["sweep", "experiment.toml", "--out", "notes.txt/sweep"],
        &[
            "import-cbs",
            cbs,
            "--gemeente",
            "GM1900",
            "--out",
            "notes.txt/x.toml",
        ],
        &[
            "synth",
            "--adults",
            "100",
            "--neighbourhoods",
            "1",
            "--out",
            "notes.txt/s.toml",
        ],
        &["new", "area", "--dir", "notes.txt"],
        &["scenarios", "export", "notes.txt/all"],
        &["man", "--out", "notes.txt"],
        &["report", "r", "--out", "notes.txt/report.html"],
    ];
    let run = carenet(&["run", "small.toml", "--out", "r"], dir.path());
    assert!(run.status.success(), "{}", stderr(&run));
    for args in inside {
        let out = carenet(args, dir.path());
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {message}");
        assert!(
            message.contains("notes.txt is a file, not a folder")
                && message.contains("fix: name a place beside that file rather than inside it")
                && !message.contains("os error")
                && !message.contains("partial"),
            "{args:?}: {message}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "mine\n",
            "{args:?}"
        );
    }
    // A file in a folder that is not there: the folder named, not the
    // hidden copy the file is written through.
    let out = carenet(
        &[
            "import-cbs",
            cbs,
            "--gemeente",
            "GM1900",
            "--out",
            "nowhere/x.toml",
        ],
        dir.path(),
    );
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{message}");
    assert!(
        message.contains("cannot write nowhere/x.toml: there is no folder nowhere")
            && message.contains("`mkdir -p nowhere`")
            && !message.contains("partial"),
        "{message}"
    );
}

#[test]
fn import_cbs_refuses_contradicting_figures_and_says_which_it_set_right() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kwb-sample.csv");
    let text = std::fs::read_to_string(&fixture).unwrap();
    // QA 23b item 6: a_00_14 = 9000 in Sneek-Centrum, of 3610 inhabitants.
    let children = text.replacen(";3610;1765;1845;265;", ";3610;1765;1845;9000;", 1);
    std::fs::write(dir.path().join("children.csv"), children).unwrap();
    let out = carenet(
        &["import-cbs", "children.csv", "--gemeente", "GM1900"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("children.csv:9: the figures of buurt BU19000000 Sneek-Centrum")
            && stderr(&out).contains("`a_00_14`")
            && stderr(&out).contains("9000")
            && stderr(&out).contains("`a_inw` = 3610"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("sudwest-fryslan.toml").exists());

    // 1600 one-person households for 1544 adults: set to 1, said and marked.
    let alone = text.replacen(";985;520;245;220;", ";985;1600;245;220;", 1);
    std::fs::write(dir.path().join("alone.csv"), alone).unwrap();
    let out = carenet(
        &["import-cbs", "alone.csv", "--gemeente", "GM1900"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("  BU19000100 Bolsward-Centrum: `a_1p_hh` = 1600")
            && stdout(&out).contains("share of 1.04 living alone, set to 1"),
        "{}",
        stdout(&out)
    );
    let written = std::fs::read_to_string(dir.path().join("sudwest-fryslan.toml")).unwrap();
    assert!(written.contains("# CHECK: `a_1p_hh` = 1600"), "{written}");
}

#[test]
fn a_compare_set_that_one_variant_cannot_take_names_that_variant() {
    // QA 24: the base has no intervention, the variant has one; the message
    // did not say which variant refused the --set.
    let dir = tempfile::tempdir().unwrap();
    let out = carenet(
        &[
            "compare",
            "pv1-0-none",
            "pv1-3-help-exchange",
            "--set",
            "intervention[0].matches_per_week=30",
            "--out",
            "c",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("in pv1-0-none: --set intervention[0]"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("c").exists());
}

#[test]
fn a_negative_seed_is_a_usage_error_that_says_what_a_seed_is() {
    // QA 24: clap's tip "use '-- -1'" led nowhere; a seed is 0 or more.
    let dir = tempfile::tempdir().unwrap();
    let synth = [
        "synth",
        "--adults",
        "100",
        "--neighbourhoods",
        "1",
        "--seed",
        "-1",
    ];
    for args in [&["run", "--seed", "-1", "--out", "x"][..], &synth[..]] {
        let out = carenet(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("a seed is a whole number from 0 to 18446744073709551615"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("-- -1"), "{}", stderr(&out));
    }
}

#[test]
fn a_replicates_scenario_with_a_seed_beyond_toml_integers_reruns_with_and_without_set() {
    // Replicate seeds reach 2^64 − 1; the --set machinery goes through TOML
    // values, whose integers are i64.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.toml"),
        "name = \"big\"\nseed = 17620850513400458907\nweeks = 2\nburn_in_weeks = 0\n\
         [[neighbourhood]]\nname = \"A\"\nadults = 200\n",
    )
    .unwrap();
    for extra in [vec![], vec!["--set", "weeks=3"]] {
        let mut args = vec!["run", "big.toml", "--out", "out", "--force", "-q"];
        args.extend(extra);
        let out = carenet(&args, dir.path());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let written = std::fs::read_to_string(dir.path().join("out/scenario.toml")).unwrap();
        assert!(written.contains("seed = 17620850513400458907"), "{written}");
    }
}

#[test]
fn check_checks_an_experiment_file_and_sweep_lists_every_problem_writing_nothing() {
    // QA 24 §6: `carenet check exp.toml` read an experiment as a scenario
    // ("unknown field `scenario`"), and `sweep` gave one mistake a run.
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path());
    std::fs::write(
        dir.path().join("good.toml"),
        "name = \"good\"\nscenario = \"small.toml\"\nreplicates = 2\ndesign = \"grid\"\n\
         [[parameter]]\npath = \"neighbourhood[*].cohesion\"\nvalues = [0.2, 0.8]\n",
    )
    .unwrap();
    let out = carenet(&["check", "good.toml", "small.toml"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "ok: good.toml (experiment \"good\", design grid: 2 points × 2 replicates = 4 runs of scenario"
        ),
        "{}",
        stdout(&out)
    );
    std::fs::write(
        dir.path().join("bad.toml"),
        "name = \"bad\"\nscenario = \"small.toml\"\nreplicates = 0\ndesign = \"gird\"\n\
         [[parameter]]\npath = \"neighbourhood[*].cohesoin\"\nvalues = [0.2, 0.8]\n",
    )
    .unwrap();
    let listed = [
        "experiment bad.toml has 3 problems:",
        "bad.toml:3:14 at `replicates`: `replicates` is 0",
        "bad.toml:4:10 at `design`: \"gird\" is not a design carenet knows",
        "did you mean design = \"grid\"?",
        "bad.toml:6:8 at `parameter[0].path`: no field `cohesoin` here",
        "did you mean `cohesion`?",
    ];
    let out = carenet(&["check", "bad.toml"], dir.path());
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    for line in listed {
        assert!(stderr(&out).contains(line), "{line}:\n{}", stderr(&out));
    }
    assert!(
        !stderr(&out).contains("unknown field `scenario`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("1 of 1 file is not valid"),
        "{}",
        stderr(&out)
    );
    let out = carenet(&["sweep", "bad.toml"], dir.path());
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    for line in listed {
        assert!(stderr(&out).contains(line), "{line}:\n{}", stderr(&out));
    }
    assert!(!dir.path().join("results").exists(), "nothing written");
}

#[test]
fn formal_cost_is_split_by_who_pays_it_in_summary_and_yearly() {
    // QA 26: formal_cost_eur priced the Wmo's, the insurers' and the Wlz's
    // hours together, and a municipality needs its own part.
    let dir = tempfile::tempdir().unwrap();
    // Every tariff 10 €/h, so each payer's part is 10 x its hours.
    let base = "name = \"payers\"\nseed = 11\nweeks = 60\nburn_in_weeks = 4\n\
                [[neighbourhood]]\nname = \"A\"\nadults = 700\n\
                [[neighbourhood]]\nname = \"B\"\nadults = 600\ncentre_km = [1.2, 0.0]\n\
                [[intervention]]\nkind = \"respite\"\nhours_per_week = 4.0\nuptake = 1.0\n\
                [cost]\nhousehold_help_eur_per_hour = 10\npersonal_care_eur_per_hour = 10\n\
                support_eur_per_hour = 10\n";
    std::fs::write(dir.path().join("flat.toml"), base).unwrap();
    // The same with personal care free: the insurers pay nothing.
    std::fs::write(
        dir.path().join("free.toml"),
        base.replace(
            "personal_care_eur_per_hour = 10",
            "personal_care_eur_per_hour = 0",
        ),
    )
    .unwrap();
    for (file, out) in [("flat.toml", "flat"), ("free.toml", "free")] {
        let run = carenet(&["run", file, "--out", out, "--quiet"], dir.path());
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let number = |table: &CsvTable, name: &str, row: usize| -> f64 {
        column(table, name)[row].parse().unwrap()
    };
    let flat = csv_table(&dir.path().join("flat/summary.csv"));
    let cost = |name: &str| number(&flat, name, 0);
    let (wmo, zvw, wlz) = (
        cost("formal_cost_wmo_eur"),
        cost("formal_cost_zvw_eur"),
        cost("formal_cost_wlz_eur"),
    );
    assert!(cost("long_term_care_hours") > 0.0 && cost("respite_hours") > 0.0);
    assert!((wmo + zvw + wlz - cost("formal_cost_eur")).abs() < 0.02);
    assert!(
        (wlz - 10.0 * cost("long_term_care_hours")).abs() < 0.02,
        "{wlz}"
    );
    assert!(
        wmo >= 10.0 * cost("respite_hours") - 0.02,
        "respite is the Wmo's"
    );
    assert!(zvw > 0.0, "the teams' personal care is the insurers'");
    let free = csv_table(&dir.path().join("free/summary.csv"));
    assert_eq!(column(&free, "formal_cost_zvw_eur"), ["0.00"]);
    // The years add up to the run, payer by payer.
    let yearly = csv_table(&dir.path().join("flat/yearly.csv"));
    for name in [
        "formal_cost_wmo_eur",
        "formal_cost_zvw_eur",
        "formal_cost_wlz_eur",
    ] {
        let years: f64 = (0..2).map(|row| number(&yearly, name, row)).sum();
        assert!((years - cost(name)).abs() < 0.02, "{name}: {years}");
    }
}

#[test]
fn a_comparison_of_several_years_has_a_table_per_variant_and_year() {
    // QA 26 §12: compare --set weeks=156 gave totals over 3 years and no
    // per-year table; the analyst had to aggregate weeks.csv by year.
    let dir = tempfile::tempdir().unwrap();
    let base = "name = \"base\"\nseed = 3\nweeks = 110\nburn_in_weeks = 2\n\
                [[neighbourhood]]\nname = \"A\"\nadults = 400\n";
    std::fs::write(dir.path().join("base.toml"), base).unwrap();
    std::fs::write(
        dir.path().join("respite.toml"),
        base.replace("\"base\"", "\"respite\"")
            + "[[intervention]]\nkind = \"respite\"\nhours_per_week = 4.0\n",
    )
    .unwrap();
    let out = carenet(
        &[
            "compare",
            "base.toml",
            "respite.toml",
            "--replicates",
            "2",
            "--out",
            "cmp",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("per year: yearly_comparison.csv"));
    let cmp = dir.path().join("cmp");
    let yearly = csv_table(&cmp.join("yearly.csv"));
    assert_eq!(
        yearly.0[..5],
        ["variant", "replicate", "year", "calendar_year", "weeks"]
    );
    // 2 variants x 2 replicates x 3 years (52, 52 and 6 weeks).
    assert_eq!(yearly.1.len(), 12);
    let aggregate = csv_table(&cmp.join("yearly_aggregate.csv"));
    assert_eq!(
        aggregate.0,
        [
            "variant",
            "year",
            "calendar_year",
            "metric",
            "n",
            "mean",
            "sd",
            "ci95_low",
            "ci95_high"
        ]
    );
    let keys: Vec<String> = aggregate
        .1
        .iter()
        .filter(|r| r[3] == "unmet_hours")
        .map(|r| format!("{} {} {}", r[0], r[1], r[4]))
        .collect();
    assert_eq!(
        keys,
        [
            "base 1 2",
            "base 2 2",
            "base 3 2",
            "respite 1 2",
            "respite 2 2",
            "respite 3 2"
        ]
    );
    // Each year's mean is the mean of that year's rows of yearly.csv.
    let unmet = yearly.0.iter().position(|c| c == "unmet_hours").unwrap();
    let mean: f64 = yearly
        .1
        .iter()
        .filter(|r| r[0] == "respite" && r[2] == "2")
        .map(|r| r[unmet].parse::<f64>().unwrap())
        .sum::<f64>()
        / 2.0;
    let row = aggregate
        .1
        .iter()
        .find(|r| r[0] == "respite" && r[1] == "2" && r[3] == "unmet_hours")
        .unwrap();
    assert!((row[5].parse::<f64>().unwrap() - mean).abs() < 1e-6);
    // Each year's difference from the base, paired by replicate (QA 31: the
    // years had each variant's means only).
    let compared = csv_table(&cmp.join("yearly_comparison.csv"));
    assert_eq!(
        compared.0[..5],
        ["year", "calendar_year", "metric", "variant", "n"]
    );
    assert_eq!(
        compared.0[8..],
        [
            "difference",
            "difference_ci95_low",
            "difference_ci95_high",
            "clear_difference"
        ]
    );
    let of_year = |variant: &str, replicate: &str| -> f64 {
        let row = yearly
            .1
            .iter()
            .find(|r| r[0] == variant && r[1] == replicate && r[2] == "2")
            .unwrap();
        row[unmet].parse().unwrap()
    };
    let paired = (of_year("respite", "1") - of_year("base", "1") + of_year("respite", "2")
        - of_year("base", "2"))
        / 2.0;
    let row = compared
        .1
        .iter()
        .find(|r| r[0] == "2" && r[2] == "unmet_hours" && r[3] == "respite")
        .unwrap();
    assert!(
        (row[8].parse::<f64>().unwrap() - paired).abs() < 1e-6,
        "{row:?} against {paired}"
    );
    let base = compared
        .1
        .iter()
        .find(|r| r[0] == "2" && r[2] == "unmet_hours" && r[3] == "base")
        .unwrap();
    assert_eq!(base[8].parse::<f64>().unwrap(), 0.0);
    // 3 years x 2 variants, every column of yearly.csv but the keys and the
    // calendar year.
    assert_eq!(compared.1.len(), 3 * 2 * (yearly.0.len() - 4));
    let markdown = std::fs::read_to_string(cmp.join("comparison.md")).unwrap();
    assert!(markdown.contains("## Per year"), "{markdown}");
    assert!(markdown.contains("| respite | 3 | 6 |"), "{markdown}");
    // The households beside the need (session 29): the share living alone.
    assert!(
        markdown.contains("| unmet_share | living_alone_share | burnouts |"),
        "{markdown}"
    );
    // A comparison of a year has none.
    let one_year = carenet(
        &[
            "compare",
            "base.toml",
            "respite.toml",
            "--replicates",
            "2",
            "--set",
            "weeks=20",
            "--out",
            "short",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(one_year.status.success(), "{}", stderr(&one_year));
    assert!(!dir.path().join("short/yearly.csv").exists());
}

#[test]
fn bench_keeps_a_users_bench_csv_unless_forced() {
    // QA 26 §12: bench --out DIR wrote bench.csv over a file of that name.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    std::fs::write(dir.path().join("b/bench.csv"), "my annotated copy\n").unwrap();
    let args = ["bench", "--sizes", "2000", "--weeks", "1", "--out", "b"];
    let refused = carenet(&args, dir.path());
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("not written by carenet bench; kept"));
    assert!(stderr(&refused).contains("fix: "));
    assert!(
        !stdout(&refused).contains("scale ladder"),
        "nothing was measured"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b/bench.csv")).unwrap(),
        "my annotated copy\n"
    );
    let forced = carenet(&[&args[..], &["--force"]].concat(), dir.path());
    assert!(forced.status.success(), "{}", stderr(&forced));
    // Its own table is replaced, and said so.
    let again = carenet(&args, dir.path());
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("replacing the bench.csv of an earlier bench"));
}

#[test]
fn synth_keeps_a_users_file_unless_forced_and_replaces_its_own() {
    // QA 28: `carenet synth --out my.toml` wrote over the user's my.toml (exit 0).
    let dir = tempfile::tempdir().unwrap();
    let synth = |extra: &[&str]| {
        let mut args = vec![
            "synth",
            "--adults",
            "1000",
            "--neighbourhoods",
            "2",
            "--out",
            "area.toml",
        ];
        args.extend_from_slice(extra);
        carenet(&args, dir.path())
    };
    let area = dir.path().join("area.toml");
    std::fs::write(&area, "# my own area\n").unwrap();
    let out = synth(&[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("area.toml exists") && stderr(&out).contains("--force"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&area).unwrap(), "# my own area\n");
    assert!(synth(&["--force"]).status.success());
    let written = std::fs::read_to_string(&area).unwrap();
    assert!(written.starts_with("# Generated by `carenet synth"));
    // Its own unchanged file is replaced (scripts rerun it); an edited one is not.
    assert!(synth(&[]).status.success());
    std::fs::write(&area, format!("{written}# edited\n")).unwrap();
    assert_eq!(synth(&[]).status.code(), Some(4));
    assert!(
        std::fs::read_to_string(&area)
            .unwrap()
            .ends_with("# edited\n")
    );
}

#[test]
fn validate_with_an_unknown_fact_writes_nothing_and_says_the_fix() {
    // QA 40: `validate --fact P9` made results/ (the default folder's parent)
    // before it read the fact names, and said no fix.
    let dir = tempfile::tempdir().unwrap();
    let done = carenet(&["validate", "--quick", "--fact", "P9"], dir.path());
    assert_eq!(done.status.code(), Some(2), "{}", stderr(&done));
    let said = stderr(&done);
    assert!(said.contains("no fact `P9`"), "{said}");
    assert!(
        said.contains("fix: name one of them, e.g. --fact P2"),
        "{said}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
