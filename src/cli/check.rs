//! `carenet check`: validate scenario files and experiment files (told apart
//! by their content: an experiment has a `design`, `[[parameter]]` tables or
//! names a `scenario`), without running them.

use std::path::{Path, PathBuf};

use carenet::experiment::plan::{Plan, looks_like_experiment};
use carenet::scenario::load_file;

use super::{EXIT_INVALID_INPUT, Failure};

pub fn check(files: &[PathBuf]) -> Result<(), Failure> {
    let mut invalid = 0;
    for file in files {
        let checked = match std::fs::read_to_string(file) {
            Ok(text) if looks_like_experiment(&text) => check_experiment(file),
            _ => check_scenario(file),
        };
        match checked {
            Ok(line) => println!("ok: {} ({line})", file.display()),
            Err(error) => {
                eprintln!("{error}");
                invalid += 1;
            }
        }
    }
    if invalid == 0 {
        return Ok(());
    }
    let noun = if files.len() == 1 {
        "file is"
    } else {
        "files are"
    };
    let error = anyhow::anyhow!("{invalid} of {} {noun} not valid", files.len());
    Err(Failure {
        code: EXIT_INVALID_INPUT,
        error,
    })
}

fn check_scenario(file: &Path) -> Result<String, anyhow::Error> {
    Ok(load_file(file)?.outline())
}

/// An experiment file, checked as `sweep` checks it before running: its
/// settings, its scenario and every point of its design.
fn check_experiment(file: &Path) -> Result<String, anyhow::Error> {
    let plan = Plan::load(file)?;
    let design = serde_json::to_value(plan.file.design)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Ok(format!(
        "experiment \"{}\", design {design}: {}",
        plan.file.name,
        plan.runs_described()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_neighbourhood_is_said_in_the_singular() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("one.toml");
        std::fs::write(
            &file,
            "name = \"one\"\n[[neighbourhood]]\nname = \"A\"\nadults = 10\n",
        )
        .unwrap();
        let said = check_scenario(&file).unwrap();
        assert!(
            said.contains("\"one\", 1 neighbourhood, 10 adults"),
            "{said}"
        );
        let baseline = carenet::scenario::Scenario::default().outline();
        assert!(baseline.contains(" neighbourhoods, "), "{baseline}");
        // In thousands, as carenet's other counts (QA 37: "11334 adults").
        assert!(baseline.contains(", 6,000 adults, "), "{baseline}");
    }
}
