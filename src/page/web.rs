//! The model for the teaching page in a browser: plain `extern "C"` functions of
//! the WebAssembly module, with JSON across its linear memory.
//!
//! Why not wasm-bindgen: its generated glue must match a `wasm-bindgen-cli` of
//! exactly the crate's version, which CI would have to `cargo install` (minutes)
//! and every update would have to keep in step, and the page needs five calls
//! that pass JSON text either way. With plain exports, `cargo` alone builds the
//! module and the worker's glue is twenty lines of JavaScript
//! (`src/serve/assets/worker.js`).
//!
//! The protocol: the worker copies a request into memory it got from
//! [`carenet_alloc`], calls a function, and reads the answer, a JSON object of
//! the length the call returns, at [`carenet_output_ptr`]: the call's value, or
//! `{"error": ..., "fix": ...}`. One run at a time; starting a run replaces the
//! one before. The module is single-threaded: rayon runs everything on the
//! calling thread, and no clock, file or operating-system randomness is used.

use std::cell::RefCell;

use serde_json::{Value, json};

use crate::output;
use crate::output::{Contents, table_files};

use super::levers::{Rejection, RunRequest, ScenarioInfo, plan};
use super::{WatchedRun, catalogue_json, row_json};

thread_local! {
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static RUN: RefCell<Option<Running>> = const { RefCell::new(None) };
}

/// The run going on, with what the page needs once it is done.
struct Running {
    watched: WatchedRun,
    plan: super::levers::RunPlan,
}

fn answer(value: Value) -> usize {
    OUTPUT.with_borrow_mut(|out| {
        *out = value.to_string().into_bytes();
        out.len()
    })
}

fn error(rejection: Rejection) -> Value {
    json!({"error": rejection.message, "fix": rejection.fix})
}

fn no_run() -> Value {
    json!({"error": "there is no run going on", "fix": "start a run first"})
}

/// `len` bytes of memory for a request; give them back with [`carenet_free`].
#[unsafe(no_mangle)]
pub extern "C" fn carenet_alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len.max(1));
    let pointer = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    pointer
}

/// Frees memory from [`carenet_alloc`].
///
/// # Safety
/// `pointer` and `len` must be a pair [`carenet_alloc`] returned, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn carenet_free(pointer: *mut u8, len: usize) {
    // SAFETY: the caller passes back an allocation of capacity `len.max(1)`.
    drop(unsafe { Vec::from_raw_parts(pointer, 0, len.max(1)) });
}

/// Where the last answer is.
#[unsafe(no_mangle)]
pub extern "C" fn carenet_output_ptr() -> *const u8 {
    OUTPUT.with_borrow(|out| out.as_ptr())
}

/// The built-in settings with their levers' values (the server's
/// `GET /api/scenarios`); returns the answer's length.
#[unsafe(no_mangle)]
pub extern "C" fn carenet_catalogue() -> usize {
    answer(catalogue_json().unwrap_or_else(error))
}

/// Starts a run from a JSON run request (the server's `POST /api/runs`) of `len`
/// bytes at `pointer`: builds its world and answers the run's settings and the
/// drawn block.
///
/// # Safety
/// `pointer` must point at `len` initialised bytes (from [`carenet_alloc`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn carenet_start(pointer: *const u8, len: usize) -> usize {
    // SAFETY: the caller wrote `len` bytes at `pointer`.
    let bytes = unsafe { std::slice::from_raw_parts(pointer, len) };
    let request: RunRequest = match serde_json::from_slice(bytes) {
        Ok(request) => request,
        Err(e) => {
            return answer(json!({
                "error": format!("the run request is not valid: {e}"),
                "fix": "send a JSON object like {\"scenario\": \"baseline\", \"cohesion\": 0.5}",
            }));
        }
    };
    let plan = match plan(&request) {
        Ok(plan) => plan,
        Err(rejection) => return answer(error(rejection)),
    };
    RUN.set(None);
    let watched = WatchedRun::start(&plan);
    let scenario = &plan.scenario;
    let started = json!({
        "scenario": plan.source,
        "levers": ScenarioInfo::of(&plan.source, scenario).levers,
        "watch": scenario.neighbourhoods[plan.watch].name,
        "seed": scenario.seed,
        "total_weeks": scenario.burn_in_weeks + scenario.weeks,
        "burn_in_weeks": scenario.burn_in_weeks,
        "picture": watched.picture().as_ref(),
    });
    RUN.set(Some(Running { watched, plan }));
    answer(started)
}

/// Runs the next week: `{"weeks_done", "finished", "week"}`, `week` being the
/// reported week's point (null in the burn-in).
#[unsafe(no_mangle)]
pub extern "C" fn carenet_step() -> usize {
    let value = RUN.with_borrow_mut(|run| match run {
        None => no_run(),
        Some(run) => {
            let week = run.watched.step();
            json!({
                "weeks_done": run.watched.weeks_done(),
                "finished": run.watched.is_finished(),
                "week": week,
            })
        }
    });
    answer(value)
}

/// Ends a finished run: its summary.csv row and its files as `carenet run`
/// writes them (`scenario.toml` and the CSV tables; `{"name", "text"}` each).
#[unsafe(no_mangle)]
pub extern "C" fn carenet_finish() -> usize {
    let Some(Running { watched, plan }) = RUN.take() else {
        return answer(no_run());
    };
    if !watched.is_finished() {
        RUN.set(Some(Running { watched, plan }));
        return answer(json!({"error": "the run has weeks left", "fix": "step until finished"}));
    }
    let run = watched.finish();
    let scenario = &plan.scenario;
    let summary = output::summary_row(scenario, run.world().people.area_residents(), &run.record);
    let value = match table_files(scenario, &run, Contents::Full) {
        Err(e) => json!({"error": e.to_string(), "fix": "report this as a bug"}),
        Ok(files) => json!({
            "summary": row_json(&summary),
            "files": files
                .into_iter()
                .map(|(name, bytes)| json!({"name": name, "text": String::from_utf8_lossy(&bytes)}))
                .collect::<Vec<_>>(),
        }),
    };
    answer(value)
}
