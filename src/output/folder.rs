//! An output folder that appears all at once.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why outputs could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{} exists and is not a carenet results folder (it has no manifest.json)\n  fix: choose another --out folder, or empty this one",
        path.display()
    )]
    NotAResultsFolder { path: PathBuf },
    #[error("cannot write CSV {}: {source}", path.display())]
    Csv { path: PathBuf, source: csv::Error },
    #[error("cannot serialise {what}: {message}")]
    Serialise { what: String, message: String },
}

impl OutputError {
    pub(crate) fn io(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
        move |source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A run's output folder under construction. Files go into a hidden staging folder
/// beside the target; [`RunFolder::commit`] swaps it into place. Dropping an
/// uncommitted folder removes the staging folder.
#[derive(Debug)]
pub struct RunFolder {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl RunFolder {
    /// Prepares to write `target`. An existing target is replaced on commit only if
    /// it is empty or an earlier carenet run (it holds `manifest.json`).
    pub fn create(target: &Path) -> Result<RunFolder, OutputError> {
        if target.exists() && !is_replaceable(target) {
            return Err(OutputError::NotAResultsFolder {
                path: target.to_path_buf(),
            });
        }
        let name = target
            .file_name()
            .map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(OutputError::io(parent))?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(OutputError::io(&staging))?;
        }
        fs::create_dir(&staging).map_err(OutputError::io(&staging))?;
        Ok(RunFolder {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Where the run will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The path of a file in the staging folder.
    pub fn path(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// A buffered writer for a new file in the staging folder.
    pub fn create_file(&self, file: &str) -> Result<BufWriter<fs::File>, OutputError> {
        let path = self.path(file);
        let handle = fs::File::create(&path).map_err(OutputError::io(&path))?;
        Ok(BufWriter::with_capacity(1 << 16, handle))
    }

    /// A CSV writer for a new file in the staging folder.
    pub fn create_csv(&self, file: &str) -> Result<csv::Writer<BufWriter<fs::File>>, OutputError> {
        Ok(csv::Writer::from_writer(self.create_file(file)?))
    }

    /// Writes a whole file at once.
    pub fn write_bytes(&self, file: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.path(file);
        let mut out = self.create_file(file)?;
        out.write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(OutputError::io(&path))
    }

    /// Moves the finished folder into place, replacing an earlier run there.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let old = self.staging.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map_or_else(|| "run".into(), |n| n.to_string_lossy()),
            std::process::id()
        ));
        if self.target.exists() {
            fs::rename(&self.target, &old).map_err(OutputError::io(&self.target))?;
        }
        fs::rename(&self.staging, &self.target).map_err(OutputError::io(&self.target))?;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(OutputError::io(&old))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for RunFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

fn is_replaceable(target: &Path) -> bool {
    target.join("manifest.json").is_file()
        || fs::read_dir(target).is_ok_and(|mut entries| entries.next().is_none())
}

/// Writes a file so that it appears whole or not at all: into a temporary file
/// beside it, then renamed over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    fs::write(&temporary, bytes).map_err(OutputError::io(&temporary))?;
    fs::rename(&temporary, path).map_err(OutputError::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit_and_drop_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        {
            let folder = RunFolder::create(&target).unwrap();
            folder.write_bytes("a.csv", b"x\n1\n").unwrap();
            assert!(!target.exists());
        }
        assert!(!target.exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "staging folder left behind"
        );
        let folder = RunFolder::create(&target).unwrap();
        folder.write_bytes("a.csv", b"x\n1\n").unwrap();
        folder.commit().unwrap();
        assert_eq!(fs::read_to_string(target.join("a.csv")).unwrap(), "x\n1\n");
    }

    #[test]
    fn replaces_an_earlier_run_but_not_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("thesis.docx"), b"precious").unwrap();
        assert!(matches!(
            RunFolder::create(&target),
            Err(OutputError::NotAResultsFolder { .. })
        ));

        fs::remove_file(target.join("thesis.docx")).unwrap();
        fs::write(target.join("manifest.json"), b"{}").unwrap();
        fs::write(target.join("stale.csv"), b"old").unwrap();
        let folder = RunFolder::create(&target).unwrap();
        folder
            .write_bytes("manifest.json", b"{\"new\": true}")
            .unwrap();
        folder.commit().unwrap();
        assert!(
            !target.join("stale.csv").exists(),
            "files of the earlier run must go"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
