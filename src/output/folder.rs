//! An output folder that appears all at once, replaces only what carenet wrote,
//! and is written by one process at a time.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use super::manifest::OutputFile;

/// Why outputs could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{} exists and is not a carenet run folder that can be replaced: {reason}\n  \
         fix: choose another --out folder, move your own files out of it, \
         or pass --force to replace the folder with everything in it",
        path.display()
    )]
    NotAResultsFolder { path: PathBuf, reason: String },
    #[error(
        "{} exists and is not a teaching page that export-page wrote, so it is not replaced: \
         {reason}\n  \
         fix: name another DIR (a new or empty folder), move your own files out of it, \
         or pass --force to replace the folder with everything in it",
        path.display()
    )]
    NotAPageFolder { path: PathBuf, reason: String },
    #[error(
        "another carenet (process {pid}) is writing {} right now\n  \
         fix: wait for it to finish, or choose another --out folder",
        path.display()
    )]
    Busy { path: PathBuf, pid: u32 },
    #[error(
        "`{}` names no folder a run can replace (the current folder, its parent or the root)\n  \
         fix: name a folder for the run, e.g. --out ./my-run",
        path.display()
    )]
    NotAFolderName { path: PathBuf },
    #[error(
        "{} is a file, not a folder: carenet writes its outputs into a folder and never \
         replaces a file with one, even with --force\n  \
         fix: name a new folder for the outputs, e.g. --out ./my-run, or move the file",
        path.display()
    )]
    IsAFile { path: PathBuf },
    #[error(
        "{} {reason}, and a run replaces the whole folder it writes\n  \
         fix: name a folder of its own for the run, e.g. --out ./my-run",
        path.display()
    )]
    HoldsWhatMustStay { path: PathBuf, reason: String },
    #[error(
        "cannot write {}: {} is a file, not a folder, and carenet never replaces a file \
         with a folder, even with --force\n  \
         fix: name a place beside that file rather than inside it, or move the file",
        path.display(),
        file.display()
    )]
    FileOnTheWay { path: PathBuf, file: PathBuf },
    #[error(
        "cannot write {}: there is no folder {}\n  \
         fix: make the folder first (`mkdir -p {1}`), or name a file in a folder that exists",
        path.display(),
        folder.display()
    )]
    NoFolderFor { path: PathBuf, folder: PathBuf },
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

/// The staging folders and locks this process holds, so that a signal handler
/// can remove them before the process exits ([`remove_own_staging`]).
static HELD: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn held() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn hold(path: &Path) {
    held().push(path.to_path_buf());
}

fn release(path: &Path) {
    held().retain(|p| p != path);
}

/// Set once the process is stopping: no new run folder may be made, so that a
/// worker thread cannot create a staging folder again after the signal
/// handler removed it.
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// How often removing a staging folder is tried: worker threads still write
/// into it while the handler runs, and a file they create between the
/// listing and the removal of the folder makes `remove_dir_all` fail.
const REMOVAL_TRIES: u32 = 50;

/// Removes every staging folder and lock this process holds: for a Ctrl-C or
/// SIGTERM handler, just before the process exits, so a stopped run leaves
/// nothing behind. Returns what could not be removed (empty when all is gone).
pub fn remove_own_staging() -> Vec<PathBuf> {
    STOPPING.store(true, std::sync::atomic::Ordering::SeqCst);
    let paths = std::mem::take(&mut *held());
    paths
        .into_iter()
        .filter(|path| !remove_for_good(path))
        .collect()
}

/// Removes a file or folder, trying again while threads still write into it;
/// whether it is gone.
fn remove_for_good(path: &Path) -> bool {
    for _ in 0..REMOVAL_TRIES {
        let removed = if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
        if removed.is_ok() || fs::symlink_metadata(path).is_err() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    fs::symlink_metadata(path).is_err()
}

/// Whether an existing target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Only an empty folder or a recognisable carenet run holding nothing else.
    OnlyCarenetRuns,
    /// Only an empty folder or a teaching page that `carenet export-page`
    /// wrote, unchanged and holding nothing else
    /// (`page_folder::check_page_replaceable`).
    OnlyPages,
    /// Whatever is there (`--force`).
    Anything,
}

/// A run's output folder under construction. Files go into a hidden staging folder
/// beside the target; [`RunFolder::commit`] swaps it into place. Dropping an
/// uncommitted folder removes the staging folder. While it exists, a lock file
/// beside the target keeps other carenet processes out of the same target.
#[derive(Debug)]
pub struct RunFolder {
    target: PathBuf,
    /// Where the user will find the folder, for messages: the target, or for
    /// a folder inside another's staging folder, the place it will have once
    /// that one is committed ([`RunFolder::create_inside`]).
    shown: PathBuf,
    staging: PathBuf,
    committed: bool,
    replaces_previous: bool,
    /// Whether the folder replaced holds a report of the run it held.
    replaces_report: bool,
    removed_leftovers: Vec<PathBuf>,
    _lock: FolderLock,
}

impl RunFolder {
    /// Prepares to write `target`. An existing target is replaced on commit only if
    /// it is empty or an earlier carenet run that holds nothing carenet did not
    /// write ([`check_replaceable`]).
    pub fn create(target: &Path) -> Result<RunFolder, OutputError> {
        RunFolder::create_with(target, Replace::OnlyCarenetRuns)
    }

    /// [`RunFolder::create`], with `Replace::Anything` for `--force`.
    pub fn create_with(target: &Path, replace: Replace) -> Result<RunFolder, OutputError> {
        RunFolder::create_reading(target, replace, &[])
    }

    /// [`RunFolder::create_with`] for a run that reads `inputs` (the scenario
    /// files): a target holding one of them is refused, however `replace` reads.
    pub fn create_reading(
        target: &Path,
        replace: Replace,
        inputs: &[&Path],
    ) -> Result<RunFolder, OutputError> {
        if STOPPING.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(OutputError::io(target)(io::Error::new(
                io::ErrorKind::Interrupted,
                "carenet is stopping",
            )));
        }
        refuse_unnamed(target)?;
        // QA 28: `run --out notes.txt --force` moved the file aside, committed
        // the run, then failed to remove it as a folder (exit 4, the file left
        // as a hidden `.notes.txt.old-PID`). A file is never replaced.
        if fs::symlink_metadata(target).is_ok_and(|m| !m.is_dir() && !m.file_type().is_symlink()) {
            return Err(OutputError::IsAFile {
                path: target.to_path_buf(),
            });
        }
        refuse_a_file_on_the_way(target)?;
        refuse_holding_the_working_folder(target)?;
        refuse_holding_inputs(target, inputs)?;
        let name = folder_name(target);
        let parent = parent_of(target);
        fs::create_dir_all(&parent).map_err(OutputError::io(&parent))?;
        let lock = FolderLock::take(&parent, &name, target)?;
        let removed_leftovers = remove_dead_leftovers(&parent);
        let replaces_previous = target.exists();
        let mut replaces_report = false;
        if replaces_previous {
            match replace {
                Replace::OnlyCarenetRuns => replaces_report = check_replaceable(target)?,
                Replace::OnlyPages => {
                    super::page_folder::check_page_replaceable(target).map_err(|reason| {
                        OutputError::NotAPageFolder {
                            path: target.to_path_buf(),
                            reason,
                        }
                    })?
                }
                Replace::Anything => {}
            }
        }
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(OutputError::io(&staging))?;
        }
        fs::create_dir(&staging).map_err(OutputError::io(&staging))?;
        hold(&staging);
        Ok(RunFolder {
            target: target.to_path_buf(),
            shown: target.to_path_buf(),
            staging,
            committed: false,
            replaces_previous: replaces_previous && !is_empty_folder(target),
            replaces_report,
            removed_leftovers,
            _lock: lock,
        })
    }

    /// Where the run will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// A folder `name` inside this one (a replicate's), written and committed
    /// into this one's staging folder; its messages name the place it will
    /// have once this one is committed.
    pub fn create_inside(&self, name: &str) -> Result<RunFolder, OutputError> {
        let mut inside = RunFolder::create(&self.path(name))?;
        inside.shown = self.shown(name);
        Ok(inside)
    }

    /// Where `file` of the folder will be once committed: the path to name
    /// in a message, not its hidden staging copy's (QA 40: a full disk said
    /// "cannot write CSV ./.r3.partial-14121/residents.csv").
    pub fn shown(&self, file: &str) -> PathBuf {
        self.shown.join(file)
    }

    /// Whether committing replaces an earlier run (or, forced, other files).
    pub fn replaces_previous(&self) -> bool {
        self.replaces_previous
    }

    /// Whether the earlier run replaced had a report (`carenet report`'s page
    /// and charts), which goes with it: it was of the tables replaced.
    pub fn replaces_report(&self) -> bool {
        self.replaces_report
    }

    /// Staging folders of carenet processes that no longer run, removed on the
    /// way in.
    pub fn removed_leftovers(&self) -> &[PathBuf] {
        &self.removed_leftovers
    }

    /// The path of a file in the staging folder.
    pub fn path(&self, file: &str) -> PathBuf {
        self.staging.join(file)
    }

    /// A buffered writer for a new file in the staging folder.
    pub fn create_file(&self, file: &str) -> Result<BufWriter<fs::File>, OutputError> {
        let handle = fs::File::create(self.path(file)).map_err(self.cannot_write(file))?;
        Ok(BufWriter::with_capacity(1 << 16, handle))
    }

    /// A failed write said of the file where the run puts it, not of its
    /// hidden staging copy (QA 35: a full disk said "cannot write
    /// sw/runs/.p0000-r002.partial-25992/scenario.toml").
    fn cannot_write(&self, file: &str) -> impl FnOnce(io::Error) -> OutputError + '_ {
        let path = self.shown(file);
        move |source| OutputError::Io { path, source }
    }

    /// A CSV writer for a new file in the staging folder.
    pub fn create_csv(&self, file: &str) -> Result<csv::Writer<BufWriter<fs::File>>, OutputError> {
        Ok(csv::Writer::from_writer(self.create_file(file)?))
    }

    /// Writes a whole file at once.
    pub fn write_bytes(&self, file: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut out = self.create_file(file)?;
        out.write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(self.cannot_write(file))
    }

    /// Moves the finished folder into place, replacing an earlier run there.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let old = self.staging.with_file_name(format!(
            ".{}.old-{}",
            folder_name(&self.target),
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
        release(&self.staging);
    }
}

/// The last component of a target, which names its staging folder and lock.
fn folder_name(target: &Path) -> String {
    target
        .file_name()
        .map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned())
}

fn parent_of(target: &Path) -> PathBuf {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// A file or folder to be made inside a file (`--out notes.txt/run`) is
/// refused as that file, not with the system's "File exists" or "Not a
/// directory" (QA 29): the nearest part of the path that exists must be a
/// folder (or a link to one).
pub fn refuse_a_file_on_the_way(target: &Path) -> Result<(), OutputError> {
    let nearest = target
        .ancestors()
        .skip(1)
        .find(|part| !part.as_os_str().is_empty() && fs::symlink_metadata(part).is_ok());
    match nearest {
        Some(part) if !part.is_dir() => Err(OutputError::FileOnTheWay {
            path: target.to_path_buf(),
            file: part.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// `.`, `..`, `/` and paths ending in them cannot be renamed into place.
fn refuse_unnamed(target: &Path) -> Result<(), OutputError> {
    match target.components().next_back() {
        Some(Component::Normal(_)) => Ok(()),
        _ => Err(OutputError::NotAFolderName {
            path: target.to_path_buf(),
        }),
    }
}

/// However it is written (`$(pwd)`, `../here`, an absolute path), a target that
/// is the current folder, holds it, or is the home folder is never replaced: a
/// forced replace would delete the user's files and the shell's folder.
fn refuse_holding_the_working_folder(target: &Path) -> Result<(), OutputError> {
    let Ok(resolved) = fs::canonicalize(target) else {
        return Ok(()); // not there yet: nothing of the user's to lose
    };
    let refuse = |reason: &str| {
        Err(OutputError::HoldsWhatMustStay {
            path: target.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    let working = std::env::current_dir().and_then(fs::canonicalize);
    if working.is_ok_and(|here| here.starts_with(&resolved)) {
        return refuse("is the current folder or holds it");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if home
        .and_then(|home| fs::canonicalize(home).ok())
        .is_some_and(|home| home == resolved)
    {
        return refuse("is the home folder");
    }
    Ok(())
}

/// Refuses to replace `target` if it holds one of `inputs` (the scenario file
/// being run): a forced replace would delete the file the run was made from.
/// A run's own `scenario.toml`, unchanged since carenet wrote it, may be run
/// into its folder again (the rerun writes the same file).
fn refuse_holding_inputs(target: &Path, inputs: &[&Path]) -> Result<(), OutputError> {
    let Ok(resolved) = fs::canonicalize(target) else {
        return Ok(());
    };
    let recorded = read_recorded_manifest(target).ok();
    let carenets_own = |input: &Path| {
        recorded.as_ref().is_some_and(|manifest| {
            manifest.files.iter().any(|file| {
                resolved.join(&file.name) == input && check_recorded_file(target, file).is_ok()
            })
        })
    };
    for input in inputs {
        let Ok(canonical) = fs::canonicalize(input) else {
            continue;
        };
        if canonical.starts_with(&resolved) && !carenets_own(&canonical) {
            return Err(OutputError::HoldsWhatMustStay {
                path: target.to_path_buf(),
                reason: format!("holds {}, which this run reads", input.display()),
            });
        }
    }
    Ok(())
}

fn is_empty_folder(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// What `manifest.json` must say for its folder to count as a carenet run.
#[derive(Debug, Deserialize)]
struct RecordedManifest {
    carenet_version: String,
    files: Vec<OutputFile>,
    #[serde(default)]
    facts: serde_json::Map<String, serde_json::Value>,
}

/// Checks that `dir` may be replaced without losing anything a user wrote: it is
/// empty, or its manifest is a carenet manifest, every file it lists is there
/// unchanged (size and SHA-256), and nothing else is there except the manifest,
/// a report of it as `carenet report` wrote it (its page and unchanged charts,
/// [`super::is_report_output`]) and, for replicates, `replicate-NNN/` folders that
/// pass the same check. Says whether it holds such a report (which the run
/// replacing it makes out of date).
pub fn check_replaceable(dir: &Path) -> Result<bool, OutputError> {
    let refuse = |reason: String| OutputError::NotAResultsFolder {
        path: dir.to_path_buf(),
        reason,
    };
    let metadata = fs::symlink_metadata(dir).map_err(OutputError::io(dir))?;
    if !metadata.is_dir() {
        return Err(refuse("it is not a folder".into()));
    }
    if is_empty_folder(dir) {
        return Ok(false);
    }
    let manifest = read_recorded_manifest(dir).map_err(refuse)?;
    for file in &manifest.files {
        check_recorded_file(dir, file).map_err(refuse)?;
    }
    let replicates = manifest
        .facts
        .get("replicates")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let mut foreign = Vec::new();
    let mut holds_report = false;
    for entry in fs::read_dir(dir).map_err(OutputError::io(dir))? {
        let entry = entry.map_err(OutputError::io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let listed = name == "manifest.json" || manifest.files.iter().any(|f| f.name == name);
        if listed {
            continue;
        }
        if is_replicate_folder(&name, replicates) {
            holds_report |= check_replaceable(&entry.path())?;
            continue;
        }
        if super::report_files::is_report_output(dir, &name) {
            holds_report = true;
            continue;
        }
        if name == "charts" {
            foreign.push("charts (not as `carenet report` left it: a chart changed, or a file of yours in it)".into());
            continue;
        }
        foreign.push(name);
    }
    if foreign.is_empty() {
        return Ok(holds_report);
    }
    foreign.sort();
    Err(refuse(format!(
        "it holds what carenet did not write: {}",
        foreign.join(", ")
    )))
}

/// A folder's `manifest.json`, if carenet wrote it; the error says why not.
fn read_recorded_manifest(dir: &Path) -> Result<RecordedManifest, String> {
    let text = fs::read_to_string(dir.join("manifest.json"))
        .map_err(|_| "it has no carenet manifest.json".to_string())?;
    let manifest: RecordedManifest = serde_json::from_str(&text)
        .map_err(|e| format!("its manifest.json was not written by carenet ({e})"))?;
    if manifest.carenet_version.is_empty() {
        return Err("its manifest.json names no carenet version".into());
    }
    Ok(manifest)
}

/// Checks that every file a run folder's `manifest.json` lists is there with
/// the size and SHA-256 it records (the check [`check_replaceable`] makes),
/// and returns their names. Files the manifest does not list are not looked
/// at: a reader that trusts a file should check that it is among the names.
pub fn check_recorded_files(dir: &Path) -> Result<Vec<String>, String> {
    let manifest = read_recorded_manifest(dir)?;
    for file in &manifest.files {
        check_recorded_file(dir, file)?;
    }
    Ok(manifest.files.into_iter().map(|f| f.name).collect())
}

/// Checks, before a resumed experiment writes its tables anew, that each file
/// its record `dir/<record>` (`experiment.json`) lists and that is still there
/// is as carenet wrote it: an edited `runs.csv` (a column added in Excel, a
/// note) is someone's work, kept and named rather than written over. Files
/// the record does not list, and a folder without a record, pass: a stopped
/// sweep writes its record last, and records of carenet before session 26
/// list no files.
pub fn check_listed_files_unchanged(dir: &Path, record: &str) -> Result<(), String> {
    let path = dir.join(record);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let manifest: RecordedManifest = serde_json::from_str(&text)
        .map_err(|e| format!("{} was not written by carenet ({e})", path.display()))?;
    for file in &manifest.files {
        if !file.is_in_its_folder() {
            return Err(format!(
                "{} lists `{}`, not a file of the folder",
                path.display(),
                file.name
            ));
        }
        if dir.join(&file.name).exists() {
            file.check_unchanged_in(dir, record, "carenet")?;
        }
    }
    Ok(())
}

/// `replicate-NNN` with 1 ≤ NNN ≤ the manifest's replicates.
fn is_replicate_folder(name: &str, replicates: u64) -> bool {
    name.strip_prefix("replicate-")
        .and_then(|n| n.parse::<u64>().ok())
        .is_some_and(|r| (1..=replicates).contains(&r))
}

/// Whether a file the manifest lists is there as carenet wrote it.
fn check_recorded_file(dir: &Path, file: &OutputFile) -> Result<(), String> {
    if !file.is_in_its_folder() {
        return Err(format!(
            "its manifest lists `{}`, not a run's file",
            file.name
        ));
    }
    file.check_unchanged_in(dir, "the manifest", "carenet")
}

/// One writer's hold on a folder it writes in place (a sweep's, which resumes
/// rather than appearing whole): the lock file a [`RunFolder`] takes, so that
/// a second carenet writing the same folder is refused with the first one's
/// process id. Released when dropped (and on Ctrl-C or SIGTERM).
#[derive(Debug)]
pub struct WriterLock {
    _lock: FolderLock,
}

/// Takes the lock of `target` (`.<name>.lock` beside it, its parent made if
/// needed); [`OutputError::Busy`] while another carenet process holds it.
pub fn lock_folder(target: &Path) -> Result<WriterLock, OutputError> {
    refuse_unnamed(target)?;
    let parent = parent_of(target);
    fs::create_dir_all(&parent).map_err(OutputError::io(&parent))?;
    Ok(WriterLock {
        _lock: FolderLock::take(&parent, &folder_name(target), target)?,
    })
}

/// Whether `name`, an entry of a folder, is the lock file of a carenet
/// process that no longer runs (a writer killed outright).
pub fn is_dead_lock(dir: &Path, name: &str) -> bool {
    name.starts_with('.')
        && name.ends_with(".lock")
        && fs::read_to_string(dir.join(name))
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok())
            .is_some_and(|pid| !process_runs(pid))
}

/// A lock file `.<name>.lock` beside a target, holding the writer's process id.
/// It is created whole (written under a private name, then hard-linked into
/// place, which fails if the lock exists), so a reader never sees it empty. A
/// lock whose process no longer runs is stale and taken over.
#[derive(Debug)]
struct FolderLock {
    path: PathBuf,
}

impl FolderLock {
    fn take(parent: &Path, name: &str, target: &Path) -> Result<FolderLock, OutputError> {
        let path = parent.join(format!(".{name}.lock"));
        let own = std::process::id();
        let draft = parent.join(format!(".{name}.lock-{own}"));
        // Failures are said of the folder being written, not of the lock's
        // hidden file (QA 40: "cannot write ro/.x.lock-13623").
        // A draft that could not be written whole (a full disk) is removed too.
        if let Err(e) = fs::write(&draft, own.to_string()) {
            let _ = fs::remove_file(&draft);
            return Err(OutputError::io(target)(e));
        }
        let taken = FolderLock::link(&draft, &path, target);
        let _ = fs::remove_file(&draft);
        taken?;
        hold(&path);
        Ok(FolderLock { path })
    }

    /// Links the draft into place, taking over a stale lock once.
    fn link(draft: &Path, path: &Path, target: &Path) -> Result<(), OutputError> {
        for _ in 0..2 {
            match fs::hard_link(draft, path) {
                Ok(()) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if process_runs(pid) => {
                            return Err(OutputError::Busy {
                                path: target.to_path_buf(),
                                pid,
                            });
                        }
                        _ => {
                            let _ = fs::remove_file(path);
                        }
                    }
                }
                Err(e) => return Err(OutputError::io(target)(e)),
            }
        }
        Err(OutputError::Busy {
            path: target.to_path_buf(),
            pid: 0,
        })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let ours = fs::read_to_string(&self.path)
            .is_ok_and(|t| t.trim() == std::process::id().to_string());
        if ours {
            let _ = fs::remove_file(&self.path);
        }
        release(&self.path);
    }
}

/// Whether a process runs (Linux: it has a /proc entry). Without /proc every
/// process counts as running, so nothing of a live run is ever removed.
pub fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// The process id in a staging name `.<name>.partial-<pid>` or
/// `.<name>.old-<pid>`.
fn staging_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let (_, pid) = name
        .rsplit_once(".partial-")
        .or_else(|| name.rsplit_once(".old-"))?;
    pid.parse().ok()
}

/// Removes, from `dir`, the staging folders and temporary files of carenet
/// processes that no longer run (killed runs, crashed servers), and returns
/// them. A staging folder holding anything carenet does not write is left alone.
pub fn remove_dead_leftovers(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = staging_pid(&name) else {
            continue;
        };
        if process_runs(pid) {
            continue;
        }
        let path = entry.path();
        let gone = if path.is_dir() {
            holds_only_carenet_files(&path) && fs::remove_dir_all(&path).is_ok()
        } else {
            fs::remove_file(&path).is_ok()
        };
        if gone {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// Whether a folder holds only the kinds of files carenet writes into runs.
fn holds_only_carenet_files(dir: &Path) -> bool {
    const WRITTEN: [&str; 6] = ["csv", "toml", "json", "graphml", "gexf", "md"];
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(Result::ok).all(|entry| {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        match entry.file_type() {
            Ok(t) if t.is_dir() => {
                (name.starts_with("replicate-") || staging_pid(&name).is_some())
                    && holds_only_carenet_files(&path)
            }
            Ok(t) if t.is_file() => {
                is_part_file(&name)
                    || path
                        .extension()
                        .is_some_and(|e| WRITTEN.iter().any(|w| e == *w))
            }
            _ => false,
        }
    })
}

/// Whether a file name is one of the parts a replicate run writes before
/// joining them (`.residents-NNN.part`, `.residents_yearly-NNN.part`,
/// `cli::run`).
fn is_part_file(name: &str) -> bool {
    [".residents-", ".residents_yearly-"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .and_then(|rest| rest.strip_suffix(".part"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Writes a file so that it appears whole or not at all: into a temporary file
/// beside it, then renamed over it. A write or rename that fails removes the
/// temporary file, so that a full disk leaves no hidden half-written copy
/// behind (QA 35: `report --out` on a full disk left `.report.html.partial-PID`).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let written = fs::write(&temporary, bytes)
        .map_err(|source| why_not_written(path, source))
        .and_then(|()| fs::rename(&temporary, path).map_err(OutputError::io(path)));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// A failed write said of the file asked for, not of its hidden temporary
/// copy, and in carenet's words where the folder for it is a file or missing
/// (QA 29: `import-cbs --out notes.txt/x.toml` said "cannot write
/// notes.txt/.x.toml.partial-8122: Not a directory").
fn why_not_written(path: &Path, source: io::Error) -> OutputError {
    if let Err(is_a_file) = refuse_a_file_on_the_way(path) {
        return is_a_file;
    }
    let folder = parent_of(path);
    if !folder.is_dir() {
        return OutputError::NoFolderFor {
            path: path.to_path_buf(),
            folder,
        };
    }
    OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_runs_staging_with_residents_parts_is_removed_but_not_other_parts() {
        let dir = tempfile::tempdir().unwrap();
        // No process has this id, so the run that staged it is dead.
        let dead = dir.path().join(".k.partial-4294967295");
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join(".residents-001.part"), b"").unwrap();
        fs::write(dead.join("summary.csv"), b"x\n").unwrap();
        assert_eq!(remove_dead_leftovers(dir.path()), vec![dead.clone()]);
        assert!(!dead.exists());
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join("download.part"), b"mine").unwrap();
        assert!(remove_dead_leftovers(dir.path()).is_empty());
        assert!(dead.join("download.part").exists(), "a user's file is kept");
        assert!(is_part_file(".residents-012.part"));
        assert!(is_part_file(".residents_yearly-012.part"));
        assert!(!is_part_file(".residents-.part") && !is_part_file(".residents-1a.part"));
    }

    #[test]
    fn a_failed_atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should go: the temporary file is written,
        // the rename over the folder fails.
        let target = dir.path().join("report.html");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("notes.txt"), b"mine").unwrap();
        assert!(write_atomically(&target, b"<html>").is_err());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec!["report.html".to_string()],
            "a temporary file was left"
        );
        assert_eq!(fs::read(target.join("notes.txt")).unwrap(), b"mine");
    }

    #[test]
    fn a_failed_write_names_the_file_where_the_run_puts_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        let folder = RunFolder::create(&target).unwrap();
        // The staging folder gone from under the run, as a full or lost disk
        // makes a write fail.
        fs::remove_dir_all(folder.path("")).unwrap();
        let error = folder.write_bytes("summary.csv", b"x\n").unwrap_err();
        let said = error.to_string();
        assert!(
            said.contains(&target.join("summary.csv").display().to_string()),
            "{said}"
        );
        assert!(!said.contains("partial"), "{said}");
    }

    #[test]
    fn removal_for_good_removes_a_folder_and_reports_it_gone() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join(".run.partial-1");
        fs::create_dir_all(staging.join("replicate-001")).unwrap();
        fs::write(staging.join("replicate-001/a.csv"), b"x").unwrap();
        assert!(remove_for_good(&staging));
        assert!(!staging.exists());
        assert!(remove_for_good(&staging), "already gone counts as gone");
    }

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
        let stale = b"old";
        let manifest = format!(
            r#"{{"carenet_version": "0.1.0", "files": [{{"name": "stale.csv", "bytes": 3, "sha256": "{}"}}]}}"#,
            crate::output::sha256_hex(stale)
        );
        fs::write(target.join("manifest.json"), manifest).unwrap();
        fs::write(target.join("stale.csv"), stale).unwrap();
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
