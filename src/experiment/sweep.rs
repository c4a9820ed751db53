//! Running an experiment's runs resumably, a shard at a time, and merging shards.
//!
//! An experiment folder holds `experiment.toml` (the file as given),
//! `runs/pPPPP-rRRR/` (one finished run folder per run, each with its own
//! manifest), and `runs.csv` (one row per finished run, sorted by point and
//! replicate). A run counts as done only when its folder has a manifest, so an
//! interrupted sweep resumes where it stopped and never counts a half-written run;
//! a done run is kept only if its files are as its manifest lists them and it is
//! this experiment's run, and is otherwise refused, never silently run again.

use std::path::{Path, PathBuf};

use crate::output::Row;

use super::plan::{Job, Plan};
use super::salib::plain;

/// Which share of the runs this process does: shard `index` of `count`
/// (0-based), taking every `count`-th run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` (0 ≤ I < N).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not I/N, e.g. 0/4"))?;
        let index: u32 = i
            .trim()
            .parse()
            .map_err(|_| format!("`{i}` is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a number"))?;
        if count == 0 || index >= count {
            let fix = match count {
                0 => "N is the number of shards, 1 or more".to_string(),
                _ => format!(
                    "shards count from 0: the {count} shards are 0/{count} to {}/{count}",
                    count - 1
                ),
            };
            return Err(format!("{index}/{count} is not a shard; {fix}"));
        }
        Ok(Shard { index, count })
    }

    /// The shard of a Slurm job array task, from `SLURM_ARRAY_TASK_ID` and
    /// `SLURM_ARRAY_TASK_COUNT` (task ids counted from `SLURM_ARRAY_TASK_MIN`,
    /// 0 if unset).
    pub fn from_slurm(get: impl Fn(&str) -> Option<String>) -> Option<Result<Shard, String>> {
        let id = get("SLURM_ARRAY_TASK_ID")?;
        let count = get("SLURM_ARRAY_TASK_COUNT")?;
        let min = get("SLURM_ARRAY_TASK_MIN").unwrap_or_else(|| "0".into());
        let parse = |v: &str| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| format!("`{v}` is not a number"))
        };
        Some((|| {
            let (id, count, min) = (parse(&id)?, parse(&count)?, parse(&min)?);
            Shard::parse(&format!("{}/{count}", id.saturating_sub(min)))
        })())
    }

    pub fn takes(&self, position: usize) -> bool {
        position % self.count as usize == self.index as usize
    }
}

/// The runs of a shard, in plan order.
pub fn shard_jobs(plan: &Plan, shard: Shard) -> Vec<Job> {
    plan.jobs()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| shard.takes(*i))
        .map(|(_, job)| job)
        .collect()
}

/// Where a run's folder is.
pub fn run_folder(experiment: &Path, job: Job) -> PathBuf {
    experiment.join("runs").join(job.folder())
}

/// Whether a run finished (its folder has a manifest). A finished run is kept
/// only after [`check_kept_files`] and [`check_kept_run`]; one that fails them
/// is refused rather than run again, since running it again would replace
/// what someone may have changed on purpose.
pub fn is_done(experiment: &Path, job: Job) -> bool {
    crate::output::is_finished_run(&run_folder(experiment, job))
}

/// Checks that a run still to be done has a folder to write: none yet, or an
/// empty one. A folder with files but no manifest is no finished run and not
/// carenet's to replace (a run's folder appears whole, with its manifest, so
/// files without one were put or left there by someone); it is refused
/// before any run starts, naming the fix a sweep has. QA 39: it was found
/// only when that run had been computed, and the error told to pass --force
/// or choose another --out folder, of a command without --force.
pub fn check_pending_folder(experiment: &Path, job: Job) -> Result<(), String> {
    let folder = run_folder(experiment, job);
    let Ok(mut entries) = std::fs::read_dir(&folder) else {
        return Ok(());
    };
    if entries.next().is_none() {
        return Ok(());
    }
    Err(format!(
        "{} holds files but no manifest.json, so it is no finished run, and a sweep never \
         writes over files it did not finish\n  \
         fix: remove the folder {} to have that run done again (move any file of yours out of \
         it first)",
        folder.display(),
        folder.display()
    ))
}

/// The files of a run that a sweep reads back: runs.csv comes from
/// summary.csv, weeks.csv from timeseries.csv, and scenario.toml is what
/// [`check_kept_run`] compares with the experiment.
const READ_BACK: [&str; 3] = ["scenario.toml", "summary.csv", "timeseries.csv"];

/// Checks that a run kept from an earlier sweep is as carenet wrote it: every
/// file its manifest lists has the size and SHA-256 listed there, and the files
/// the sweep reads back are among them (timeseries.csv only if it is there:
/// runs of older carenets lack it). The error names the folder, the file and
/// the fix.
pub fn check_kept_files(experiment: &Path, job: Job) -> Result<(), String> {
    let folder = run_folder(experiment, job);
    let refuse = |problem: String| {
        format!(
            "{} cannot be kept as a finished run: {problem}\n  \
             fix: remove the folder {} to have that run done again, \
             or restore the file as carenet wrote it",
            folder.display(),
            folder.display()
        )
    };
    let listed = crate::output::check_recorded_files(&folder).map_err(refuse)?;
    let unlisted = READ_BACK.iter().find(|name| {
        let optional = **name == "timeseries.csv" && !folder.join(name).exists();
        !optional && !listed.iter().any(|l| l == *name)
    });
    match unlisted {
        Some(name) => Err(refuse(format!("{name} is not listed in its manifest.json"))),
        None => Ok(()),
    }
}

/// Checks that a run kept from an earlier sweep is this experiment's run `job`:
/// run from the same scenario (the point's values and every other setting, by
/// the SHA-256 of its resolved `scenario.toml`, both as its manifest records it
/// and as the file in its folder is) with the replicate's seed. The error names
/// the folder and the first differences.
pub fn check_kept_run(plan: &Plan, experiment: &Path, job: Job) -> Result<(), String> {
    let folder = run_folder(experiment, job);
    let manifest_path = folder.join("manifest.json");
    let manifest: serde_json::Value = std::fs::read_to_string(&manifest_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or_else(|| {
            format!(
                "{} cannot be read as a carenet manifest",
                manifest_path.display()
            )
        })?;
    let expected = plan.scenario_of(job);
    let recorded_seed = manifest["seed"].as_u64();
    if recorded_seed != Some(expected.seed) {
        return Err(format!(
            "{} was run with seed {}, but point {} replicate {} of this experiment has seed {}",
            folder.display(),
            recorded_seed.map_or_else(|| "(none recorded)".into(), |s| s.to_string()),
            job.point,
            job.replicate,
            expected.seed
        ));
    }
    let expected_text = toml::to_string(&expected).map_err(|e| e.to_string())?;
    let expected_sha256 = crate::output::sha256_hex(expected_text.as_bytes());
    // Both the manifest's record and the file on disk must be the point's
    // scenario: the manifest alone says nothing of a scenario.toml edited since.
    let kept = std::fs::read_to_string(folder.join("scenario.toml")).unwrap_or_default();
    if manifest["scenario_sha256"].as_str() == Some(&expected_sha256)
        && crate::output::sha256_hex(kept.as_bytes()) == expected_sha256
    {
        return Ok(());
    }
    Err(format!(
        "{} was run from another scenario than point {} of this experiment: {}",
        folder.display(),
        job.point,
        scenario_differences(&kept, &expected_text)
    ))
}

/// The first differences between two resolved scenarios, by key path.
fn scenario_differences(kept: &str, expected: &str) -> String {
    const SHOWN: usize = 3;
    let flat = |text: &str| {
        let mut values = std::collections::BTreeMap::new();
        if let Ok(table) = text.parse::<toml::Table>() {
            flatten("", &toml::Value::Table(table), &mut values);
        }
        values
    };
    let (kept, expected) = (flat(kept), flat(expected));
    let keys: std::collections::BTreeSet<&String> = kept.keys().chain(expected.keys()).collect();
    let differences: Vec<String> = keys
        .into_iter()
        .filter(|k| kept.get(*k) != expected.get(*k))
        .map(|k| {
            let show = |v: Option<&String>| v.map_or_else(|| "unset".to_string(), Clone::clone);
            format!(
                "`{k}` is {} there and {} in the experiment",
                show(kept.get(k)),
                show(expected.get(k))
            )
        })
        .collect();
    match differences.len() {
        0 => "its scenario.toml differs from the one its manifest records".into(),
        n if n <= SHOWN => differences.join("; "),
        n => format!(
            "{}; and {} more",
            differences[..SHOWN].join("; "),
            n - SHOWN
        ),
    }
}

/// Every leaf of a TOML value under its key path (`a.b[2].c`).
fn flatten(
    prefix: &str,
    value: &toml::Value,
    out: &mut std::collections::BTreeMap<String, String>,
) {
    match value {
        toml::Value::Table(table) => {
            for (key, inner) in table {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, inner, out);
            }
        }
        toml::Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), inner, out);
            }
        }
        leaf => {
            out.insert(prefix.to_string(), leaf.to_string());
        }
    }
}

/// The runs.csv row of a finished run: point, replicate, seed, the varied
/// values, then the run's summary metrics. A summary column that is also a
/// varied key path (`weeks`) holds the same value and is left out, so that
/// no column is named twice (pandas and R would rename one).
pub fn runs_row(plan: &Plan, job: Job, summary: &Row) -> Row {
    let scenario = plan.scenario_of(job);
    let mut row = Row(vec![
        ("point".into(), job.point.to_string()),
        ("replicate".into(), job.replicate.to_string()),
        ("seed".into(), scenario.seed.to_string()),
    ]);
    for (column, value) in &plan.point(job.point).values {
        row.0.push((column.clone(), plain(value)));
    }
    row.0.extend(
        summary
            .0
            .iter()
            .filter(|(c, _)| {
                !["scenario", "seed"].contains(&c.as_str()) && !plan.columns.contains(c)
            })
            .cloned(),
    );
    row
}

/// Reads a one-row summary.csv back. The error names the file: a sweep reads
/// many, and a bare CSV error does not say which one to look at.
pub fn read_summary(path: &Path) -> Result<Row, String> {
    let cannot = |e: csv::Error| format!("cannot read {}: {e}", path.display());
    let mut reader = csv::Reader::from_path(path).map_err(cannot)?;
    let header: Vec<String> = reader
        .headers()
        .map_err(cannot)?
        .iter()
        .map(String::from)
        .collect();
    let record = reader
        .records()
        .next()
        .ok_or_else(|| format!("cannot read {}: it holds no row", path.display()))?
        .map_err(cannot)?;
    Ok(Row(header
        .into_iter()
        .zip(record.iter().map(String::from))
        .collect()))
}

/// A table read from CSV: its header and rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &Path) -> Result<Table, String> {
        let mut reader =
            csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let header = reader
            .headers()
            .map_err(|e| format!("{}: {e}", path.display()))?
            .iter()
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(String::from).collect())
                    .map_err(|e| format!("{}: {e}", path.display()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Table { header, rows })
    }
}

/// Merges the runs.csv tables of shards of one experiment: same header, no run
/// twice, rows sorted by (point, replicate) as a single-machine sweep writes them.
pub fn merge_tables(tables: &[(PathBuf, Table)]) -> Result<Table, String> {
    let Some((_, first)) = tables.first() else {
        return Err("nothing to merge".into());
    };
    let mut merged = Table {
        header: first.header.clone(),
        rows: Vec::new(),
    };
    for (path, table) in tables {
        if table.header != merged.header {
            return Err(format!(
                "{} has other columns than {}: not the same experiment",
                path.display(),
                tables[0].0.display()
            ));
        }
        merged.rows.extend(table.rows.iter().cloned());
    }
    let key = |row: &Vec<String>| -> (u64, u64) {
        let number = |i: usize| row.get(i).and_then(|v| v.parse().ok()).unwrap_or(u64::MAX);
        (number(0), number(1))
    };
    merged.rows.sort_by_key(key);
    if let Some(pair) = merged.rows.windows(2).find(|w| key(&w[0]) == key(&w[1])) {
        return Err(format!(
            "run point {} replicate {} appears twice; shards overlap",
            pair[0][0], pair[0][1]
        ));
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_run_may_have_no_folder_or_an_empty_one_but_not_files() {
        let dir = tempfile::tempdir().unwrap();
        let job = Job {
            point: 1,
            replicate: 2,
        };
        assert_eq!(check_pending_folder(dir.path(), job), Ok(()));
        let folder = run_folder(dir.path(), job);
        std::fs::create_dir_all(&folder).unwrap();
        assert_eq!(check_pending_folder(dir.path(), job), Ok(()));
        std::fs::write(folder.join("summary.csv"), "mine").unwrap();
        let refused = check_pending_folder(dir.path(), job).unwrap_err();
        assert!(
            refused.contains("p0001-r002 holds files but no manifest.json"),
            "{refused}"
        );
        assert!(refused.contains("fix: remove the folder"), "{refused}");
        assert!(
            !refused.contains("--force") && !refused.contains("--out"),
            "{refused}"
        );
    }

    #[test]
    fn shards_split_runs_without_overlap_or_gap() {
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for position in 0..50 {
            assert_eq!(shards.iter().filter(|s| s.takes(position)).count(), 1);
        }
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(Shard::parse("4/4").is_err() && Shard::parse("x").is_err());
    }

    #[test]
    fn slurm_array_variables_give_the_shard() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let shard = Shard::from_slurm(env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ]));
        assert_eq!(shard, Some(Ok(Shard { index: 2, count: 4 })));
        assert_eq!(Shard::from_slurm(env(&[])), None);
    }

    #[test]
    fn summary_read_errors_name_the_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("summary.csv");
        let read_with = |text: &str| {
            std::fs::write(&path, text).expect("written");
            read_summary(&path)
        };
        assert_eq!(
            read_with("a,b\n1,2\n").expect("one row").0,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        for (text, says) in [("a,b\n1\n", "found record"), ("a,b\n", "holds no row")] {
            let message = read_with(text).expect_err(text);
            assert!(
                message.contains(&path.display().to_string()) && message.contains(says),
                "{message}"
            );
        }
    }

    fn table(rows: &[[&str; 3]]) -> Table {
        Table {
            header: vec!["point".into(), "replicate".into(), "x".into()],
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn merging_sorts_and_refuses_duplicates_and_other_experiments() {
        let a = (
            PathBuf::from("a"),
            table(&[["1", "1", "x"], ["0", "2", "y"]]),
        );
        let b = (
            PathBuf::from("b"),
            table(&[["0", "1", "z"], ["10", "1", "w"]]),
        );
        let merged = merge_tables(&[a.clone(), b.clone()]).expect("merges");
        let keys: Vec<(&str, &str)> = merged
            .rows
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        assert_eq!(keys, vec![("0", "1"), ("0", "2"), ("1", "1"), ("10", "1")]);
        assert!(
            merge_tables(&[a.clone(), a.clone()])
                .unwrap_err()
                .contains("twice")
        );
        let mut other = b.1.clone();
        other.header[2] = "y".into();
        assert!(
            merge_tables(&[a, (PathBuf::from("c"), other)])
                .unwrap_err()
                .contains("other columns")
        );
    }

    #[test]
    fn a_runs_row_names_each_column_once_when_the_design_varies_weeks() {
        // QA 31: runs.csv had `weeks` twice (the varied key path and the
        // summary's column); pandas read the second as `weeks.1`.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.toml");
        std::fs::write(
            &path,
            "name = \"w\"\nscenario = \"baseline\"\ndesign = \"grid\"\n\
             [[parameter]]\npath = \"weeks\"\nvalues = [26, 52]\n",
        )
        .unwrap();
        let plan = Plan::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let summary = Row(["scenario", "seed", "weeks", "residents", "unmet_share"]
            .iter()
            .zip(["baseline", "1", "52", "6000", "0.2"])
            .map(|(c, v)| (c.to_string(), v.to_string()))
            .collect());
        let row = runs_row(
            &plan,
            Job {
                point: 1,
                replicate: 1,
            },
            &summary,
        );
        let header: Vec<&str> = row.0.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            header,
            [
                "point",
                "replicate",
                "seed",
                "weeks",
                "residents",
                "unmet_share"
            ]
        );
        assert_eq!(row.0[3].1, "52");
    }
}
