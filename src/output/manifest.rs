//! `manifest.json`: what is needed to reproduce a run from its own folder.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{OutputError, RunFolder};

/// One file the run wrote (or export-page: `carenet-page.json` lists the same).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputFile {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

impl OutputFile {
    /// Whether the name is of a file in the record's own folder, not a path
    /// elsewhere or a hidden file (a record that lists `../x` is not ours).
    pub(crate) fn is_in_its_folder(&self) -> bool {
        !self.name.contains(['/', '\\']) && !self.name.starts_with('.')
    }

    /// Checks that the file of this name in `dir` is there with the recorded
    /// size and SHA-256, for a folder that may be replaced only if nothing in
    /// it was changed. `manifest` names the list in messages (`the manifest`,
    /// `carenet-page.json`) and `writer` what wrote the file (`carenet`,
    /// `export-page`); the error says whether the file is missing or changed.
    pub(crate) fn check_unchanged_in(
        &self,
        dir: &Path,
        manifest: &str,
        writer: &str,
    ) -> Result<(), String> {
        let (bytes, sha256) = file_size_and_sha256(&dir.join(&self.name)).map_err(|_| {
            let its = manifest.strip_prefix("the ").unwrap_or(manifest);
            format!("{} (listed in its {its}) is missing", self.name)
        })?;
        if bytes == self.bytes && sha256 == self.sha256 {
            return Ok(());
        }
        Err(format!(
            "{} was changed after {writer} wrote it (its size or SHA-256 differs from {manifest})",
            self.name
        ))
    }
}

/// The record of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub carenet_version: String,
    /// The git commit carenet was built from, when known.
    pub git_commit: Option<String>,
    /// Whether the build's working tree had uncommitted changes, when known
    /// (then `git_commit` alone does not give the code that ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_dirty: Option<bool>,
    pub scenario_name: String,
    /// Where the scenario was read from.
    pub scenario_source: String,
    /// The `--set KEY=VALUE` options applied, in order, to the scenario read
    /// from `scenario_source` (`scenario.toml` holds their result); rerun with
    /// the same options, or from `scenario.toml` alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// SHA-256 of `scenario.toml`, the resolved scenario in this folder.
    pub scenario_sha256: String,
    pub seed: u64,
    pub threads: usize,
    pub command: Vec<String>,
    pub started: String,
    pub finished: String,
    pub seconds: f64,
    /// Build statistics and other facts worth keeping.
    pub facts: serde_json::Map<String, serde_json::Value>,
    pub files: Vec<OutputFile>,
}

impl Manifest {
    /// A manifest for a run or experiment of `scenario_name` whose resolved
    /// scenario text is `scenario_toml`, finished now; files are recorded later.
    pub fn new(
        scenario_name: &str,
        scenario_toml: &str,
        scenario_source: &str,
        seed: u64,
        started: String,
        seconds: f64,
        facts: serde_json::Map<String, serde_json::Value>,
    ) -> Manifest {
        Manifest {
            carenet_version: env!("CARGO_PKG_VERSION").into(),
            git_commit: option_env!("CARENET_GIT_COMMIT").map(String::from),
            git_dirty: option_env!("CARENET_GIT_DIRTY").map(|dirty| dirty == "true"),
            scenario_name: scenario_name.to_string(),
            scenario_source: scenario_source.to_string(),
            overrides: Vec::new(),
            scenario_sha256: sha256_hex(scenario_toml.as_bytes()),
            seed,
            threads: rayon::current_num_threads(),
            command: std::env::args().collect(),
            started,
            finished: timestamp_now(),
            seconds,
            facts,
            files: Vec::new(),
        }
    }
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Size and hex SHA-256 of a file, read in pieces: a large area's residents.csv
/// or graph is not held in memory to be hashed.
pub fn file_size_and_sha256(path: &std::path::Path) -> std::io::Result<(u64, String)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    let hex = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((size, hex))
}

impl Manifest {
    /// Lists and hashes every file already in the folder (the manifest and
    /// subfolders, which carry their own manifests, excepted).
    pub fn record_files(&mut self, folder: &RunFolder) -> Result<(), OutputError> {
        let dir = folder.path("");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map_err(OutputError::io(&dir))?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "manifest.json")
            .collect();
        names.sort();
        self.files = names
            .into_iter()
            .map(|name| {
                let path = folder.path(&name);
                let (bytes, sha256) =
                    file_size_and_sha256(&path).map_err(OutputError::io(&path))?;
                Ok(OutputFile {
                    bytes,
                    sha256,
                    name,
                })
            })
            .collect::<Result<_, OutputError>>()?;
        Ok(())
    }

    /// Lists and hashes the files of `names` that are in `dir` (an experiment
    /// folder, whose tables are written in place rather than staged), in the
    /// order given.
    pub fn record_files_in(&mut self, dir: &Path, names: &[&str]) -> std::io::Result<()> {
        self.files = names
            .iter()
            .filter(|name| dir.join(name).is_file())
            .map(|name| {
                let (bytes, sha256) = file_size_and_sha256(&dir.join(name))?;
                Ok(OutputFile {
                    name: (*name).to_string(),
                    bytes,
                    sha256,
                })
            })
            .collect::<std::io::Result<_>>()?;
        Ok(())
    }

    /// Writes the manifest; call last.
    pub fn write(&self, folder: &RunFolder) -> Result<(), OutputError> {
        let text = serde_json::to_string_pretty(self).expect("a manifest always serialises");
        folder.write_bytes("manifest.json", format!("{text}\n").as_bytes())
    }
}

/// Now, as an RFC 3339 timestamp in UTC.
pub fn timestamp_now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// True if `dir` holds a finished run.
pub fn is_finished_run(dir: &Path) -> bool {
    dir.join("manifest.json").is_file()
}

/// Replicate seeds as manifest.json records them: as text, because seeds go up
/// to 2^64 − 1 and JSON numbers above 2^53 are rounded by common readers (jq,
/// JavaScript), which would rerun another world with no error.
pub fn seeds_json(seeds: impl IntoIterator<Item = u64>) -> serde_json::Value {
    seeds
        .into_iter()
        .map(|seed| serde_json::Value::String(seed.to_string()))
        .collect::<Vec<_>>()
        .into()
}

#[cfg(test)]
mod seed_tests {
    #[test]
    fn seeds_are_written_as_text_that_keeps_every_digit() {
        let json = super::seeds_json([5, u64::MAX, 17_620_850_513_400_458_907]);
        assert_eq!(
            json.to_string(),
            r#"["5","18446744073709551615","17620850513400458907"]"#
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run folder's and the page folder's check of a listed file are one
    /// function, with each folder's own words.
    #[test]
    fn a_listed_file_is_checked_for_both_kinds_of_folder_with_their_words() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("summary.csv"), b"a,b\n").unwrap();
        let file = OutputFile {
            name: "summary.csv".into(),
            bytes: 4,
            sha256: sha256_hex(b"a,b\n"),
        };
        assert_eq!(
            file.check_unchanged_in(dir.path(), "the manifest", "carenet"),
            Ok(())
        );
        std::fs::write(dir.path().join("summary.csv"), b"a,c\n").unwrap();
        assert_eq!(
            file.check_unchanged_in(dir.path(), "the manifest", "carenet"),
            Err("summary.csv was changed after carenet wrote it \
                 (its size or SHA-256 differs from the manifest)"
                .into())
        );
        assert_eq!(
            file.check_unchanged_in(dir.path(), "carenet-page.json", "export-page"),
            Err("summary.csv was changed after export-page wrote it \
                 (its size or SHA-256 differs from carenet-page.json)"
                .into())
        );
        std::fs::remove_file(dir.path().join("summary.csv")).unwrap();
        assert_eq!(
            file.check_unchanged_in(dir.path(), "the manifest", "carenet"),
            Err("summary.csv (listed in its manifest) is missing".into())
        );
        assert_eq!(
            file.check_unchanged_in(dir.path(), "carenet-page.json", "export-page"),
            Err("summary.csv (listed in its carenet-page.json) is missing".into())
        );
    }
}
