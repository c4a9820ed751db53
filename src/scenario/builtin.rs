//! The shipped scenarios, built into the library and the binary so that they
//! are there after `cargo install` or `pip install`, in an empty folder:
//! `carenet list` shows them, `carenet scenarios export DIR` writes them out,
//! and [`resolve`] finds a scenario by file path or by built-in name.

use std::path::Path;

use super::{Problem, Scenario, ScenarioError, load_file, parse_str};

/// Every file of `scenarios/` as (name without `.toml`, text), the baseline first.
/// A test checks that the list and the folder agree.
pub const ALL: [(&str, &str); 24] = [
    ("baseline", super::BASELINE_TOML),
    (
        "ageing-2025-2040",
        include_str!("../../scenarios/ageing-2025-2040.toml"),
    ),
    (
        "ageing-town-2025-2040",
        include_str!("../../scenarios/ageing-town-2025-2040.toml"),
    ),
    (
        "bredewold-network-first",
        include_str!("../../scenarios/bredewold-network-first.toml"),
    ),
    (
        "carers-carry-on",
        include_str!("../../scenarios/carers-carry-on.toml"),
    ),
    (
        "delange-mutual-aid",
        include_str!("../../scenarios/delange-mutual-aid.toml"),
    ),
    (
        "jager-cohesion-gradient",
        include_str!("../../scenarios/jager-cohesion-gradient.toml"),
    ),
    (
        "linders-drents-dorp",
        include_str!("../../scenarios/linders-drents-dorp.toml"),
    ),
    (
        "main-carers",
        include_str!("../../scenarios/main-carers.toml"),
    ),
    ("million", include_str!("../../scenarios/million.toml")),
    (
        "pv1-0-none",
        include_str!("../../scenarios/pv1-0-none.toml"),
    ),
    (
        "pv1-1-cohesion-events",
        include_str!("../../scenarios/pv1-1-cohesion-events.toml"),
    ),
    (
        "pv1-2-care-associations",
        include_str!("../../scenarios/pv1-2-care-associations.toml"),
    ),
    (
        "pv1-3-help-exchange",
        include_str!("../../scenarios/pv1-3-help-exchange.toml"),
    ),
    (
        "pv1-4-help-exchange-reciprocity",
        include_str!("../../scenarios/pv1-4-help-exchange-reciprocity.toml"),
    ),
    (
        "pv1-5-network-first",
        include_str!("../../scenarios/pv1-5-network-first.toml"),
    ),
    (
        "pv1-6-neighbourhood-bound",
        include_str!("../../scenarios/pv1-6-neighbourhood-bound.toml"),
    ),
    (
        "pv1-7-no-usual-help-norm",
        include_str!("../../scenarios/pv1-7-no-usual-help-norm.toml"),
    ),
    (
        "respite-care",
        include_str!("../../scenarios/respite-care.toml"),
    ),
    ("synth-10k", include_str!("../../scenarios/synth-10k.toml")),
    (
        "welschen-low-trust",
        include_str!("../../scenarios/welschen-low-trust.toml"),
    ),
    (
        "welschen-low-trust-guides",
        include_str!("../../scenarios/welschen-low-trust-guides.toml"),
    ),
    ("who-cares", include_str!("../../scenarios/who-cares.toml")),
    (
        "women-and-men",
        include_str!("../../scenarios/women-and-men.toml"),
    ),
];

/// The names of the built-in scenarios, the baseline first.
pub fn names() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|(name, _)| *name)
}

/// The text of a built-in scenario; `name` may end in `.toml`.
pub fn text(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    ALL.iter()
        .find(|(built_in, _)| *built_in == name)
        .map(|(_, text)| *text)
}

/// Where a built-in scenario came from, as messages and manifests name it.
pub fn source(name: &str) -> String {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    format!("built-in scenarios/{name}.toml")
}

/// A built-in scenario by name, read and checked, or an error listing the names.
pub fn load(name: &str) -> Result<Scenario, ScenarioError> {
    match text(name) {
        Some(text) => parse_str(text, &source(name)),
        None => Err(unknown(name)),
    }
}

/// A scenario given as a file path or a built-in name, and where it came from:
/// an existing file wins, so that a user's `baseline.toml` is the one run; a
/// name that is neither is an error that lists the built-in names.
pub fn resolve(file_or_name: &str) -> Result<(Scenario, String), ScenarioError> {
    let path = Path::new(file_or_name);
    if path.is_file() {
        return Ok((load_file(path)?, path.display().to_string()));
    }
    if text(file_or_name).is_some() {
        return Ok((load(file_or_name)?, source(file_or_name)));
    }
    Err(unknown(file_or_name))
}

/// [`resolve`] for a path from the command line: a file there wins; a path
/// that is no file but spells a built-in name is that scenario.
pub fn resolve_path(path: &Path) -> Result<(Scenario, String), ScenarioError> {
    match path.to_str() {
        Some(text) if !path.is_file() => resolve(text),
        _ => Ok((load_file(path)?, path.display().to_string())),
    }
}

fn unknown(name: &str) -> ScenarioError {
    if Path::new(name).is_dir() {
        return a_folder(name);
    }
    let known: Vec<&str> = names().collect();
    let list = format!(
        "give the path of a scenario file, or one of the built-in names: {}",
        known.join(", ")
    );
    let fix = match nearest_scenario(name) {
        Some(near) => format!("did you mean `{near}`? Otherwise {list}"),
        None => list,
    };
    ScenarioError::Invalid {
        file: name.to_string(),
        problems: vec![Problem::new(
            "",
            format!("there is no scenario file `{name}` and no built-in scenario of that name"),
            fix,
        )],
    }
}

/// A folder given where a scenario file belongs: its scenario files named.
fn a_folder(name: &str) -> ScenarioError {
    let mut files = toml_files(Path::new(name));
    files.sort();
    let fix = match files.as_slice() {
        [] => "give the path of a scenario file (it holds no .toml file)".to_string(),
        [one] => format!(
            "give the scenario file in it: {}",
            Path::new(name).join(one).display()
        ),
        many => format!(
            "give one of the scenario files in it, e.g. {} ({} .toml files)",
            Path::new(name).join(&many[0]).display(),
            many.len()
        ),
    };
    ScenarioError::Invalid {
        file: name.to_string(),
        problems: vec![Problem::new(
            "",
            format!("`{name}` is a folder, not a scenario file"),
            fix,
        )],
    }
}

/// The names of the `.toml` files in `folder` (none if it cannot be read).
fn toml_files(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|f| f.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default()
}

/// What a mistyped scenario most likely meant (QA 28: `carenet run baselin`
/// listed 24 names without pointing at one): a `.toml` file of a near name in
/// the folder the path names, else a near built-in name.
fn nearest_scenario(name: &str) -> Option<String> {
    let path = Path::new(name);
    let file_name = path.file_name()?.to_str()?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let stem = file_name.strip_suffix(".toml").unwrap_or(file_name);
    let files = toml_files(folder);
    // The one file, or else the one built-in name, with every word typed in
    // order (QA 30: `pv1-4-exchange`, as README once wrote it, got
    // `pv1-3-help-exchange`, the nearest by letters, not
    // `pv1-4-help-exchange-reciprocity`).
    let stems: Vec<&str> = files.iter().map(|f| f.trim_end_matches(".toml")).collect();
    if let Some(file) = only_one_with_the_words(stem, &stems) {
        return Some(
            path.with_file_name(format!("{file}.toml"))
                .display()
                .to_string(),
        );
    }
    let known: Vec<&str> = names().collect();
    if let Some(name) = only_one_with_the_words(stem, &known) {
        return Some(name.to_string());
    }
    // A file within a third of the name's letters (at most two edits): `mien`
    // for `mine`, not `exp` for `w`.
    let near_file = files
        .into_iter()
        .map(|f| {
            let d = strsim::damerau_levenshtein(stem, f.trim_end_matches(".toml"));
            (d, f)
        })
        .filter(|(d, _)| *d <= 2 && 3 * d <= stem.chars().count())
        .min();
    if let Some((_, file)) = near_file {
        return Some(path.with_file_name(file).display().to_string());
    }
    super::load::closest(stem, &known).map(String::from)
}

/// The one candidate that has every word of `typed` (two or more words,
/// split at `-` and `_`), whole and in order, among its own; None if none or
/// several have.
fn only_one_with_the_words<'a>(typed: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let words = |s: &str| -> Vec<String> {
        s.split(['-', '_'])
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let typed = words(typed);
    if typed.len() < 2 {
        return None;
    }
    let has_all = |candidate: &str| {
        let mut own = words(candidate).into_iter();
        typed.iter().all(|word| own.any(|w| w == *word))
    };
    let mut matching = candidates.iter().filter(|c| has_all(c));
    match (matching.next(), matching.next()) {
        (Some(one), None) => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_scenario_is_answered_with_the_nearest_file_or_name() {
        let fix = |name: &str| match resolve(name) {
            Err(ScenarioError::Invalid { problems, .. }) => problems[0].fix.clone(),
            other => panic!("{name}: {other:?}"),
        };
        assert!(fix("baselin").starts_with("did you mean `baseline`?"));
        assert!(fix("pv1-3-help-exchang").starts_with("did you mean `pv1-3-help-exchange`?"));
        // Every word typed, in a longer name: that name, not the nearest by letters.
        assert!(
            fix("pv1-4-exchange").starts_with("did you mean `pv1-4-help-exchange-reciprocity`?"),
            "{}",
            fix("pv1-4-exchange")
        );
        assert!(fix("welschen-guides").starts_with("did you mean `welschen-low-trust-guides`?"));
        assert_eq!(
            only_one_with_the_words(
                "pv1-exchange",
                &["pv1-3-help-exchange", "pv1-4-help-exchange-reciprocity"]
            ),
            None,
            "two have the words"
        );
        assert_eq!(
            only_one_with_the_words("exchange", &["pv1-3-help-exchange"]),
            None
        );
        let dir = std::env::temp_dir().join(format!("carenet-nearest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("my-town.toml"), "name = \"t\"\n").unwrap();
        let typo = dir.join("my-twn.toml").display().to_string();
        let expected = format!("did you mean `{}`?", dir.join("my-town.toml").display());
        assert!(fix(&typo).starts_with(&expected), "{}", fix(&typo));
        assert!(fix("zzzzzzzzzzzzzzzzzzzzzz").starts_with("give the path"));
        // A one-letter name is too short to guess from; a folder is said to be one.
        std::fs::create_dir_all(dir.join("w")).unwrap();
        std::fs::write(dir.join("exp.toml"), "name = \"t\"\n").unwrap();
        let short = dir.join("w").join("x").display().to_string();
        assert!(fix(&short).starts_with("give the path"), "{}", fix(&short));
        let folder = match resolve(&dir.display().to_string()) {
            Err(ScenarioError::Invalid { problems, .. }) => problems[0].clone(),
            other => panic!("{other:?}"),
        };
        assert!(folder.message.ends_with("is a folder, not a scenario file"));
        assert!(folder.fix.contains("exp.toml"), "{}", folder.fix);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_file_of_the_scenarios_folder_is_built_in_and_valid() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
            .expect("scenarios/")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|f| f.strip_suffix(".toml").map(str::to_string))
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = names().map(str::to_string).collect();
        built_in.sort();
        assert_eq!(
            built_in, on_disk,
            "scenario::builtin::ALL must list scenarios/*.toml"
        );
        for (name, text) in ALL {
            let file = std::fs::read_to_string(folder.join(format!("{name}.toml"))).unwrap();
            assert_eq!(text, file);
            load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn names_resolve_and_unknown_names_list_the_built_ins() {
        let (scenario, source) = resolve("linders-drents-dorp").unwrap();
        assert_eq!(source, "built-in scenarios/linders-drents-dorp.toml");
        assert_eq!(scenario, load("linders-drents-dorp.toml").unwrap());
        assert_eq!(load("baseline").unwrap(), Scenario::default());
        let message = resolve("no-such-scenario").unwrap_err().to_string();
        assert!(
            message.contains("no-such-scenario") && message.contains("baseline, "),
            "{message}"
        );
    }

    #[test]
    fn an_existing_file_wins_over_a_built_in_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline");
        std::fs::write(&path, "name = \"mine\"\nweeks = 3\n").unwrap();
        let (scenario, source) = resolve(path.to_str().unwrap()).unwrap();
        assert_eq!((scenario.name.as_str(), scenario.weeks), ("mine", 3));
        assert_eq!(source, path.display().to_string());
    }
}
