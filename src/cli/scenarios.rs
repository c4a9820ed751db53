//! `carenet new`, `carenet list` and `carenet scenarios export`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use carenet::experiment::plan::looks_like_experiment;
use carenet::scenario::{builtin, load_file, parse_str, starter_scenario};

use super::Failure;

pub fn new(name: &str, dir: &Path, force: bool) -> Result<(), Failure> {
    let text = starter_scenario(name);
    // The name must make a valid scenario. Its problems are those of the NAME
    // argument: the file they would point into is not written.
    if let Err(error) = parse_str(&text, &format!("{name}.toml")) {
        let said: Vec<String> = error
            .problems()
            .iter()
            .map(|p| match p.path.as_str() {
                // QA 40: it said the scenario's name "cannot name an output
                // folder", of a command that writes a file.
                "name" => format!(
                    "{name:?} cannot name a scenario: the name becomes its file, {name}.toml, \
                     and its output folder, results/{name}\n  fix: use letters, digits, '-', \
                     '_' or '.', e.g. `carenet new my-area`"
                ),
                _ => format!("{}\n  fix: {}", p.message, p.fix),
            })
            .collect();
        return Err(super::usage(format!(
            "carenet new {name:?}: {}",
            said.join("\n")
        )));
    }
    let path = dir.join(format!("{name}.toml"));
    if path.exists() && !force {
        return Err(anyhow::anyhow!(
            "{} exists already\n  fix: choose another name, or add --force to overwrite it",
            path.display()
        )
        .into());
    }
    carenet::output::refuse_a_file_on_the_way(&path)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    carenet::output::write_atomically(&path, text.as_bytes())?;
    println!(
        "wrote {}\nnext: edit it, then `carenet check {0}` and `carenet run {0}`",
        path.display()
    );
    Ok(())
}

/// `carenet list`: the scenarios of a folder, or else the built-in ones (so
/// that it works after `cargo install` or `pip install` in an empty folder).
pub fn list(dir: Option<&Path>) -> Result<(), Failure> {
    let default = Path::new("scenarios");
    let folder = match dir {
        Some(dir) => Some(dir),
        None if default.is_dir() => Some(default),
        None => None,
    };
    let rows = match folder {
        Some(folder) => folder_rows(folder)?,
        None => builtin_rows(),
    };
    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    for (name, description) in &rows {
        println!("{name:<width$}  {description}");
    }
    if folder.is_none() {
        println!(
            "\nbuilt-in scenarios: run one by name (`carenet run baseline`), or write them \
             out with `carenet scenarios export DIR` to edit them"
        );
    }
    Ok(())
}

/// (file, description) of each scenario file in a folder.
fn folder_rows(dir: &Path) -> Result<Vec<(String, String)>, Failure> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| {
            super::unreadable_input(
                format!("cannot read the scenario folder {}", dir.display()),
                e,
            )
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(anyhow::anyhow!(
            "no scenario files (*.toml) in {}\n  fix: `carenet list` without --dir shows the built-in scenarios",
            dir.display()
        )
        .into());
    }
    Ok(files
        .iter()
        .map(|file| (file.display().to_string(), file_description(file)))
        .collect())
}

/// What `list` says of a file: a scenario's description; an experiment
/// file's, marked as one (QA 31: every experiment was called not valid); or
/// that it is not valid.
fn file_description(file: &Path) -> String {
    const NOT_VALID: &str = "(not valid: run `carenet check` on it)";
    let text = std::fs::read_to_string(file).unwrap_or_default();
    if looks_like_experiment(&text) {
        return match text.parse::<toml::Table>() {
            Ok(table) => {
                let description = table.get("description").and_then(|d| d.as_str());
                format!(
                    "(experiment file) {}",
                    one_line(description.unwrap_or_default())
                )
                .trim_end()
                .to_string()
            }
            Err(_) => NOT_VALID.into(),
        };
    }
    load_file(file).map_or_else(|_| NOT_VALID.into(), |s| one_line(&s.description))
}

/// (name, description) of each built-in scenario.
fn builtin_rows() -> Vec<(String, String)> {
    builtin::ALL
        .iter()
        .map(|(name, _)| {
            let description =
                builtin::load(name).map_or_else(|e| e.to_string(), |s| one_line(&s.description));
            (name.to_string(), description)
        })
        .collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `carenet scenarios export DIR`: writes the built-in scenarios as files. A file
/// that is already there with other contents is kept unless `force` is given.
pub fn export(dir: &Path, force: bool) -> Result<(), Failure> {
    carenet::output::refuse_a_file_on_the_way(&dir.join("baseline.toml"))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let clashes: Vec<String> = builtin::ALL
        .iter()
        .map(|(name, text)| (dir.join(format!("{name}.toml")), text))
        .filter(|(path, text)| {
            path.exists() && std::fs::read_to_string(path).ok().as_deref() != Some(**text)
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !clashes.is_empty() && !force {
        return Err(super::files_in_the_way(format!(
            "{} of the files there hold other contents: {}\n  fix: export into another folder, or add --force to overwrite them",
            clashes.len(),
            clashes.join(", ")
        )));
    }
    for (name, text) in builtin::ALL {
        carenet::output::write_atomically(&dir.join(format!("{name}.toml")), text.as_bytes())?;
    }
    println!(
        "wrote {} scenarios to {}\nnext: `carenet list --dir {1}`, edit one, then `carenet run {1}/baseline.toml`",
        builtin::ALL.len(),
        dir.display()
    );
    Ok(())
}

/// `carenet synth`: a synthetic area as a scenario file.
pub fn synth(
    spec: &carenet::scenario::SynthSpec,
    out: Option<&Path>,
    force: bool,
) -> Result<(), Failure> {
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
    too_dense(spec)?;
    let text = carenet::scenario::synth_scenario(spec).context("cannot write the scenario")?;
    carenet::scenario::parse_str(&text, "the generated scenario")?;
    match out {
        Some(path) => {
            // QA 28: a user's file of that name was written over (exit 0).
            if path.exists() && !force && !is_unedited_synth(path) {
                return Err(anyhow::anyhow!(
                    "{} exists and is not a scenario `carenet synth` wrote (or it was edited since); nothing was written\n  \
                     fix: give another file with --out, or add --force to overwrite it",
                    path.display()
                )
                .into());
            }
            carenet::output::write_atomically(path, text.as_bytes())?;
            println!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// A density at which a neighbourhood's radius, written to the metre, is 0:
/// the scenario check would then blame `radius_km`, which the user did not
/// write (QA 31).
fn too_dense(spec: &carenet::scenario::SynthSpec) -> Result<(), Failure> {
    let neighbourhoods = carenet::scenario::synth_neighbourhoods(spec);
    if neighbourhoods.iter().all(|n| n.radius_km > 0.0) {
        return Ok(());
    }
    // The smallest neighbourhood has the smallest radius; written to the
    // metre, it must be half a metre or more.
    let fewest = neighbourhoods.iter().map(|n| n.adults).min().unwrap_or(1);
    let densest = f64::from(fewest) / (std::f64::consts::PI * 0.0005 * 0.0005);
    Err(super::usage(format!(
        "--density {} puts a neighbourhood of {fewest} adults within a radius under half a metre\n  \
         fix: give a --density of at most {} adults per km² (Dutch buurten have up to about 25000)",
        spec.density_per_km2,
        densest.floor()
    )))
}

/// Whether `path` is a file `carenet synth` wrote and nobody changed since: its
/// first line names the options, and they give its text again.
fn is_unedited_synth(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Some(options) = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# Generated by `carenet synth "))
        .and_then(|rest| rest.strip_suffix("`."))
    else {
        return false;
    };
    let words: Vec<&str> = options.split(' ').collect();
    let value = |flag: &str| {
        words
            .iter()
            .position(|w| *w == flag)
            .and_then(|i| words.get(i + 1).copied())
    };
    let spec = (|| {
        Some(carenet::scenario::SynthSpec {
            adults: value("--adults")?.parse().ok()?,
            neighbourhoods: value("--neighbourhoods")?.parse().ok()?,
            density_per_km2: value("--density")?.parse().ok()?,
            seed: value("--seed")?.parse().ok()?,
        })
    })();
    spec.and_then(|spec| carenet::scenario::synth_scenario(&spec).ok())
        .is_some_and(|again| again == text)
}

#[derive(Debug, clap::Args)]
pub struct ImportCbsArgs {
    /// The CBS table as downloaded: kwb-YYYY.csv (semicolon-separated; UTF-8 or Latin-1).
    pub file: PathBuf,
    /// The gemeente's CBS code, e.g. GM0363 (Amsterdam).
    #[arg(long)]
    pub gemeente: String,
    /// Only the buurten of this wijk of the gemeente: its code (WK036300) or its
    /// name as CBS writes it ("Wijk 01 Bolsward" or "Bolsward", any case).
    #[arg(long)]
    pub wijk: Option<String>,
    /// The scenario file to write (default: NAME.toml in this folder, NAME from
    /// the gemeente's name).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `carenet import-cbs`: a scenario from CBS's table of wijken and buurten,
/// written whole or not at all.
/// What import-cbs says it wrote: the area with its buurten and adults, the
/// figures to check and the buurten left out, a line each.
fn imported_lines(path: &Path, import: &carenet::scenario::CbsImport) -> String {
    use carenet::scenario::buurten;
    let s = &import.scenario;
    let mut out = format!(
        "wrote {}: {}, {}, {} adults\n",
        path.display(),
        import.area,
        buurten(s.neighbourhoods.len()),
        carenet::metrics::grouped(&s.area_adults().to_string())
    );
    if !import.checks.is_empty() {
        let n = import.checks.len();
        out += &format!(
            "check {n} figure{} that do{} not quite agree (marked CHECK at the buurt in the \
             file):\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "es" } else { "" }
        );
        for check in &import.checks {
            out += &format!("  {check}\n");
        }
    }
    if !import.skipped.is_empty() {
        out += &format!(
            "left out {} without inhabitants or figures (listed at the end of the file)\n",
            buurten(import.skipped.len())
        );
    }
    out
}

pub fn import_cbs(args: &ImportCbsArgs) -> Result<(), Failure> {
    let bytes = std::fs::read(&args.file).map_err(|e| {
        super::unreadable_input(
            format!("cannot read the CBS table {}", args.file.display()),
            e,
        )
    })?;
    let selection = carenet::scenario::CbsSelection {
        gemeente: args.gemeente.clone(),
        wijk: args.wijk.clone(),
    };
    let import =
        carenet::scenario::import_cbs(&bytes, &args.file.display().to_string(), &selection)?;
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.toml", import.name)));
    if path.exists() && !args.force {
        return Err(anyhow::anyhow!(
            "{} exists already; nothing was written\n  fix: give another file with --out, or add --force to overwrite it",
            path.display()
        )
        .into());
    }
    carenet::output::write_atomically(&path, import.text.as_bytes())?;
    print!("{}", imported_lines(&path, &import));
    println!(
        "assumptions to set: cohesion, institutional_trust and mutual_aid_tradition per buurt \
         (carenet's defaults now), and the positions (a compact layout; CBS's table has none)\n\
         next: edit them, then `carenet check {0}` and `carenet run {0}`",
        path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA 37: "left out 1 buurt(en)", "1 buurten" of a wijk of one, and
    /// "11334 adults" where the other commands group thousands.
    #[test]
    fn an_import_says_its_counts_in_words_and_thousands() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kwb-sample.csv");
        let bytes = std::fs::read(&fixture).unwrap();
        let selection = carenet::scenario::CbsSelection {
            gemeente: "GM1900".into(),
            wijk: None,
        };
        let import = carenet::scenario::import_cbs(&bytes, "kwb-sample.csv", &selection).unwrap();
        assert_eq!(import.skipped.len(), 1);
        let lines = imported_lines(Path::new("area.toml"), &import);
        let adults = carenet::metrics::grouped(&import.scenario.area_adults().to_string());
        assert!(adults.contains(','), "{adults}");
        assert!(
            lines.starts_with(&format!(
                "wrote area.toml: {}, {} buurten, {adults} adults\n",
                import.area,
                import.scenario.neighbourhoods.len()
            )),
            "{lines}"
        );
        assert!(
            lines.contains("left out 1 buurt without inhabitants or figures"),
            "{lines}"
        );
        assert!(!lines.contains("(en)") && !lines.contains("(s)"), "{lines}");
        assert!(
            import
                .text
                .contains("# Left out: 1 buurt without inhabitants")
        );
        assert_eq!(carenet::scenario::buurten(1), "1 buurt");
        assert_eq!(carenet::scenario::buurten(488), "488 buurten");
    }
}
