//! The teaching page's side of the model, shared by its two hosts: `carenet
//! serve` (the model runs natively behind a local web server) and the page in
//! the browser alone (the model compiled to WebAssembly, [`web`], running in a
//! web worker). Both offer the same research settings and levers ([`levers`]),
//! draw the same block of one neighbourhood ([`picture`]) and watch a run week
//! by week ([`WatchedRun`]), so the page shows the same numbers from either.

pub mod levers;
pub mod picture;
#[cfg(all(target_family = "wasm", target_os = "unknown"))]
pub mod web;

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::experiment::{Run, RunningRun};
use crate::output::{self, Row};

use levers::{Rejection, RunPlan, catalogue};
use picture::{Flow, Picture};

/// One reported week as the page gets it.
#[derive(Debug, Clone, Serialize)]
pub struct WeekPoint {
    /// The week's row of timeseries.csv, with the numbers of the file.
    pub row: Map<String, Value>,
    /// Help to the drawn block this week.
    pub flows: Vec<Flow>,
}

/// A CSV row as a JSON object: numbers as numbers, empty cells (NA) as null,
/// other text as strings. The numbers are parsed from the same text the CSV
/// file gets, so the page shows the file's values.
pub fn row_json(row: &Row) -> Map<String, Value> {
    row.0
        .iter()
        .map(|(column, text)| {
            let value = if text.is_empty() {
                Value::Null
            } else {
                text.parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(|| Value::String(text.clone()), Value::Number)
            };
            (column.clone(), value)
        })
        .collect()
}

/// The built-in settings and the levers' limits, as the page asks for them.
pub fn catalogue_json() -> Result<Value, Rejection> {
    Ok(json!({
        "scenarios": catalogue()?,
        "limits": {
            "formal_capacity_max": levers::MAX_FORMAL_CAPACITY,
            "pace_ms_max": levers::MAX_PACE_MS,
            "drawn_residents_max": picture::MAX_RESIDENTS,
        },
    }))
}

/// A run of the page, one week at a time: the block it draws and each reported
/// week's numbers and help to the block.
pub struct WatchedRun {
    running: RunningRun,
    picture: Arc<Picture>,
}

impl WatchedRun {
    /// Builds the world of `plan` and the block of its watched neighbourhood.
    pub fn start(plan: &RunPlan) -> WatchedRun {
        let mut picture = None;
        let running = RunningRun::start(&plan.scenario, |engine| {
            engine.keep_week_gifts();
            picture = Some(Arc::new(Picture::of(engine.world(), plan.watch)));
        });
        WatchedRun {
            running,
            picture: picture.expect("prepare runs before the first week"),
        }
    }

    pub fn picture(&self) -> &Arc<Picture> {
        &self.picture
    }

    /// Weeks run so far, burn-in included.
    pub fn weeks_done(&self) -> u32 {
        self.running.engine().week()
    }

    pub fn is_finished(&self) -> bool {
        self.running.engine().is_finished()
    }

    /// Runs the next week; its point if it was a reported week.
    pub fn step(&mut self) -> Option<WeekPoint> {
        let picture = &self.picture;
        let mut point = None;
        self.running.step(&mut |engine, tally| {
            if tally.week >= 0 {
                point = Some(WeekPoint {
                    row: row_json(&output::timeseries_row(tally)),
                    flows: picture.flows(engine.world(), engine.ledger().last_week_gifts()),
                });
            }
        });
        point
    }

    /// The finished run (call once [`WatchedRun::is_finished`]).
    pub fn finish(self) -> Run {
        self.running.finish()
    }
}
