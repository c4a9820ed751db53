//! `carenet new` and `carenet list`.

use std::path::Path;

use anyhow::Context;
use carenet::scenario::{load_file, parse_str, starter_scenario};

use super::Failure;

pub fn new(name: &str, dir: &Path, force: bool) -> Result<(), Failure> {
    let text = starter_scenario(name);
    // The name must make a valid scenario; this reports a bad name like any other error.
    parse_str(&text, &format!("{name}.toml"))?;
    let path = dir.join(format!("{name}.toml"));
    if path.exists() && !force {
        return Err(anyhow::anyhow!(
            "{} exists already\n  fix: choose another name, or add --force to overwrite it",
            path.display()
        )
        .into());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "wrote {}\nnext: edit it, then `carenet check {0}` and `carenet run {0}`",
        path.display()
    );
    Ok(())
}

pub fn list(dir: &Path) -> Result<(), Failure> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the scenario folder {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(anyhow::anyhow!("no scenario files (*.toml) in {}", dir.display()).into());
    }
    let width = files
        .iter()
        .map(|f| f.display().to_string().len())
        .max()
        .unwrap_or(0);
    for file in files {
        let description = match load_file(&file) {
            Ok(scenario) => scenario
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            Err(_) => "(not valid: run `carenet check` on it)".into(),
        };
        println!("{:<width$}  {description}", file.display().to_string());
    }
    Ok(())
}

/// `carenet synth`: a synthetic area as a scenario file.
pub fn synth(spec: &carenet::scenario::SynthSpec, out: Option<&Path>) -> Result<(), Failure> {
    let density_ok = spec.density_per_km2.is_finite() && spec.density_per_km2 > 0.0;
    if spec.adults == 0 || spec.neighbourhoods == 0 || !density_ok {
        return Err(super::usage(
            "need --adults and --neighbourhoods of 1 or more and a positive --density".into(),
        ));
    }
    if spec.adults < u64::from(spec.neighbourhoods) {
        return Err(super::usage(format!(
            "--adults {} is fewer than --neighbourhoods {}: every neighbourhood needs at least one adult\n  \
             fix: ask for at least as many adults as neighbourhoods",
            spec.adults, spec.neighbourhoods
        )));
    }
    let text = carenet::scenario::synth_scenario(spec).context("cannot write the scenario")?;
    carenet::scenario::parse_str(&text, "the generated scenario")?;
    match out {
        Some(path) => {
            carenet::output::write_atomically(path, text.as_bytes())?;
            println!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
