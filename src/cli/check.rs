//! `carenet check`: validate scenario files.

use std::path::PathBuf;

use carenet::scenario::load_file;

use super::{EXIT_INVALID_INPUT, Failure};

pub fn check(files: &[PathBuf]) -> Result<(), Failure> {
    let mut invalid = 0;
    for file in files {
        match load_file(file) {
            Ok(scenario) => println!(
                "ok: {} (\"{}\", {} neighbourhoods, {} adults, {} weeks)",
                file.display(),
                scenario.name,
                scenario.neighbourhoods.len(),
                scenario.area_adults(),
                scenario.weeks
            ),
            Err(error) => {
                eprintln!("{error}");
                invalid += 1;
            }
        }
    }
    if invalid == 0 {
        return Ok(());
    }
    let error = anyhow::anyhow!("{invalid} of {} scenario files are not valid", files.len());
    Err(Failure {
        code: EXIT_INVALID_INPUT,
        error,
    })
}
