//! Runs started from the page: each in a background thread, publishing its weeks
//! as they are produced, and written on completion as a normal run folder
//! `<results>/serve/run-NNNN/` (atomically, through [`RunFolder`]).
//!
//! Run ids are numbers the server hands out; the folder name is made from the
//! number, never from anything a client sent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::output::{self, RunFolder};
use crate::output::{Contents, write_run};
use crate::page::levers::RunPlan;
use crate::page::picture::Picture;
use crate::page::{WatchedRun, WeekPoint, row_json};

/// Runs going at once: the machine has few cores and the page is for one class.
pub const MAX_ACTIVE_RUNS: usize = 2;
/// Finished runs kept in memory for the page (their folders stay on disk).
pub const KEPT_RUNS: usize = 50;

/// Where a run is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Status {
    /// Building the world.
    Building,
    /// Simulating; burn-in weeks count too.
    Running,
    /// Writing the run folder.
    Writing,
    Done,
    /// Stopped from the page before its end (`POST /api/runs/ID/stop`):
    /// nothing was written.
    Stopped,
    Failed {
        message: String,
    },
}

/// What a run has produced so far.
#[derive(Debug)]
pub struct Progress {
    pub status: Status,
    /// Weeks simulated, burn-in included.
    pub weeks_done: u32,
    pub picture: Option<Arc<Picture>>,
    pub weeks: Vec<WeekPoint>,
    /// summary.csv's row, when done.
    pub summary: Option<Map<String, Value>>,
}

/// A run of the page, shared between its thread and the request handlers.
#[derive(Debug)]
pub struct RunState {
    pub id: u32,
    pub scenario: String,
    pub total_weeks: u32,
    pub burn_in_weeks: u32,
    /// The folder, relative to the results folder (`serve/run-0001`).
    pub folder: String,
    /// The levers' values in the scenario as run.
    pub levers: super::levers::LeverValues,
    pub watch: String,
    progress: Mutex<Progress>,
    /// Set by [`RunState::stop`]: the run ends before its next week.
    stop_asked: AtomicBool,
}

impl RunState {
    /// Asks the run to end before its next week, unwritten (a student's Stop,
    /// or a closed tab: a run nobody watches would hold one of the
    /// [`MAX_ACTIVE_RUNS`] places until its end, minutes at a slow pace).
    /// A run already writing its folder finishes it.
    pub fn stop(&self) {
        self.stop_asked.store(true, Ordering::SeqCst);
    }

    fn stop_asked(&self) -> bool {
        self.stop_asked.load(Ordering::SeqCst)
    }

    /// The progress, even if a run thread panicked while holding it (the
    /// panic is reported as a failed run, the data stays readable).
    pub fn progress(&self) -> MutexGuard<'_, Progress> {
        self.progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Why a run could not be started.
#[derive(Debug, Clone, PartialEq)]
pub enum StartError {
    Busy,
}

/// The runs of this server.
#[derive(Debug)]
pub struct Runs {
    results: PathBuf,
    next_id: Mutex<u32>,
    runs: Mutex<BTreeMap<u32, Arc<RunState>>>,
    threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
    /// Set when the server stops: runs skip their pauses and finish quickly.
    stopping: Arc<AtomicBool>,
}

impl Runs {
    /// Runs writing under `results/serve/`, numbered after the folders already there.
    pub fn new(results: &Path) -> Runs {
        let first = std::fs::read_dir(results.join("serve"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        e.file_name()
                            .to_str()?
                            .strip_prefix("run-")?
                            .parse::<u32>()
                            .ok()
                    })
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
            + 1;
        Runs {
            results: results.to_path_buf(),
            next_id: Mutex::new(first),
            runs: Mutex::new(BTreeMap::new()),
            threads: Mutex::new(Vec::new()),
            stopping: Arc::new(AtomicBool::new(false)),
        }
    }

    fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
        mutex
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn get(&self, id: u32) -> Option<Arc<RunState>> {
        Runs::lock(&self.runs).get(&id).cloned()
    }

    /// Starts `plan` in a background thread.
    pub fn start(&self, plan: RunPlan) -> Result<Arc<RunState>, StartError> {
        let mut runs = Runs::lock(&self.runs);
        let active = runs
            .values()
            .filter(|r| {
                matches!(
                    r.progress().status,
                    Status::Building | Status::Running | Status::Writing
                )
            })
            .count();
        if active >= MAX_ACTIVE_RUNS || self.stopping.load(Ordering::SeqCst) {
            return Err(StartError::Busy);
        }
        let id = {
            let mut next = Runs::lock(&self.next_id);
            let id = *next;
            *next += 1;
            id
        };
        let folder = format!("serve/run-{id:04}");
        let scenario = &plan.scenario;
        let state = Arc::new(RunState {
            id,
            scenario: plan.source.clone(),
            total_weeks: scenario.burn_in_weeks + scenario.weeks,
            burn_in_weeks: scenario.burn_in_weeks,
            folder: folder.clone(),
            levers: crate::page::levers::ScenarioInfo::of(&plan.source, scenario).levers,
            watch: scenario.neighbourhoods[plan.watch].name.clone(),
            progress: Mutex::new(Progress {
                status: Status::Building,
                weeks_done: 0,
                picture: None,
                weeks: Vec::new(),
                summary: None,
            }),
            stop_asked: AtomicBool::new(false),
        });
        runs.insert(id, state.clone());
        while runs.len() > KEPT_RUNS {
            let Some(oldest) = runs.keys().next().copied() else {
                break;
            };
            runs.remove(&oldest);
        }
        drop(runs);
        let target = self.results.join(&folder);
        let stopping = self.stopping.clone();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                execute(&shared, &plan, &target, &stopping)
            }));
            let status = match outcome {
                Ok(Ok(Ended::Done)) => Status::Done,
                Ok(Ok(Ended::Stopped)) => Status::Stopped,
                Ok(Err(message)) => Status::Failed { message },
                Err(_) => Status::Failed {
                    message: "the run stopped on an internal error (see the server's terminal)"
                        .into(),
                },
            };
            shared.progress().status = status;
        });
        let mut threads = Runs::lock(&self.threads);
        threads.retain(|t| !t.is_finished());
        threads.push(thread);
        Ok(state)
    }

    /// Refuses new runs, lets the running ones finish without pauses, and waits
    /// for them, so that no half-written folder is left behind.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        let threads = std::mem::take(&mut *Runs::lock(&self.threads));
        for thread in threads {
            // A panicking run already recorded its failure.
            let _ = thread.join();
        }
    }
}

/// How a run's thread ended, when it did not fail.
enum Ended {
    Done,
    /// Stopped from the page; its folder was never committed, so nothing of
    /// it is left on disk.
    Stopped,
}

/// Builds, simulates (publishing each week) and writes one run.
fn execute(
    state: &RunState,
    plan: &RunPlan,
    target: &Path,
    stopping: &AtomicBool,
) -> Result<Ended, String> {
    let scenario = &plan.scenario;
    let started = output::timestamp_now();
    let folder = RunFolder::create(target).map_err(|e| e.to_string())?;
    let pace = Duration::from_millis(plan.pace_ms);
    let mut watched = WatchedRun::start(plan);
    {
        let mut progress = state.progress();
        progress.picture = Some(watched.picture().clone());
        progress.status = Status::Running;
    }
    while !watched.is_finished() {
        if state.stop_asked() {
            return Ok(Ended::Stopped);
        }
        let point = watched.step();
        let reported = point.is_some();
        {
            let mut progress = state.progress();
            progress.weeks_done += 1;
            progress.weeks.extend(point);
        }
        if reported && !pace.is_zero() && !stopping.load(Ordering::SeqCst) && !state.stop_asked() {
            std::thread::sleep(pace);
        }
    }
    let run = watched.finish();
    state.progress().status = Status::Writing;
    write_run(
        &folder,
        scenario,
        &format!("carenet serve: built-in scenario {}", plan.source),
        &run,
        Contents::Full,
        started,
    )
    .map_err(|e| e.to_string())?;
    folder.commit().map_err(|e| e.to_string())?;
    let summary = output::summary_row(scenario, run.world().people.area_residents(), &run.record);
    state.progress().summary = Some(row_json(&summary));
    Ok(Ended::Done)
}
