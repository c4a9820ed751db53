//! The teaching page's side of the model, shared by its two hosts: `carenet
//! serve` (the model runs natively behind a local web server) and the page in
//! the browser alone (the model compiled to WebAssembly, `web`, running in a
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
use crate::model::demography::{self, YEAR_WEEKS};
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
    /// In a run of several years, on the week that ends a year (or the run):
    /// the year's row of yearly.csv, with the numbers of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<Map<String, Value>>,
    /// In a run of several years, on the first week of each year after the
    /// first: the block drawn again after the turn of the year, with the
    /// ties and ages of the residents who live there now (QA 36: the
    /// picture kept the ties of the start, of residents long dead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture: Option<Picture>,
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
    /// The neighbourhood drawn.
    watch: usize,
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
            watch: plan.watch,
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
        let (current, watch) = (&self.picture, self.watch);
        let mut point = None;
        self.running.step(&mut |engine, tally| {
            let Ok(week) = u32::try_from(tally.week) else {
                return;
            };
            // The turn of the year runs at the start of a year's first week,
            // as the engine turns it (`Engine::start_year`).
            let world = engine.world();
            let turned = demography::year_starting(week).is_some_and(|year| year > 1)
                && world.scenario.demography.enabled;
            let redrawn = turned.then(|| Picture::of(world, watch));
            let picture = redrawn.as_ref().unwrap_or(current);
            point = Some(WeekPoint {
                row: row_json(&output::timeseries_row(tally)),
                flows: picture.flows(world, engine.cases(), engine.ledger().last_week_gifts()),
                year: None,
                picture: redrawn,
            });
        });
        if let Some(point) = &mut point {
            if let Some(redrawn) = &point.picture {
                self.picture = Arc::new(redrawn.clone());
            }
            point.year = self.year_ended();
        }
        point
    }

    /// The row of yearly.csv of the year the last reported week ended, if it
    /// ended one in a run of several years; the same rows as the file (made by
    /// the same function from the same weeks), so the page can show the years
    /// as they come.
    fn year_ended(&self) -> Option<Map<String, Value>> {
        let engine = self.running.engine();
        let scenario = &engine.world().scenario;
        let weeks = self.running.reported_weeks();
        let ends_year = weeks.len().is_multiple_of(YEAR_WEEKS as usize) || engine.is_finished();
        if !output::is_multi_year(scenario.weeks as usize) || !ends_year {
            return None;
        }
        output::yearly_rows(scenario, engine.years(), &engine.year_figures(), weeks)
            .last()
            .map(row_json)
    }

    /// The finished run (call once [`WatchedRun::is_finished`]).
    pub fn finish(self) -> Run {
        self.running.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Contents, table_files};
    use crate::scenario::Scenario;

    fn small(weeks: u32) -> RunPlan {
        RunPlan {
            source: "test".into(),
            scenario: Scenario::default_scaled(120, weeks, 2),
            watch: 0,
            pace_ms: 0,
        }
    }

    /// A year's row as the page gets it.
    type YearRow = Map<String, Value>;

    /// The year rows of a watched run, and yearly.csv's rows as JSON.
    fn years_watched_and_written(plan: &RunPlan) -> (Vec<YearRow>, Vec<YearRow>) {
        let mut watched = WatchedRun::start(plan);
        let mut shown = Vec::new();
        while !watched.is_finished() {
            shown.extend(watched.step().and_then(|point| point.year));
        }
        let run = watched.finish();
        let written = table_files(&plan.scenario, &run, Contents::Full)
            .unwrap()
            .into_iter()
            .find(|(name, _)| *name == output::YEARLY_CSV)
            .map(|(_, bytes)| {
                csv::Reader::from_reader(bytes.as_slice())
                    .deserialize::<std::collections::BTreeMap<String, String>>()
                    .map(|row| {
                        let row = output::Row(row.unwrap().into_iter().collect());
                        row_json(&row)
                    })
                    .collect()
            })
            .unwrap_or_default();
        (shown, written)
    }

    #[test]
    fn a_run_of_years_shows_each_year_as_yearly_csv_has_it() {
        // Two whole years and a short third, which ends with the run.
        let (shown, written) = years_watched_and_written(&small(2 * YEAR_WEEKS + 5));
        assert_eq!(shown.len(), 3);
        assert_eq!(shown, written);
        assert_eq!(shown[2]["weeks"], 5.0);
    }

    /// The block is drawn again after each turn of the year, as the world
    /// then is (QA 36: the picture kept the start's ties of residents who had
    /// died or moved); the flows of that week are to the block as redrawn.
    #[test]
    fn a_projection_draws_its_block_again_after_each_turn_of_the_year() {
        let plan = small(2 * YEAR_WEEKS + 5);
        let mut watched = WatchedRun::start(&plan);
        let start = watched.picture().as_ref().clone();
        let mut redrawn = Vec::new();
        while !watched.is_finished() {
            let Some(point) = watched.step() else {
                continue;
            };
            let week = point.row["week"].as_f64().unwrap_or(-1.0) as u32;
            if let Some(picture) = point.picture {
                let now = Picture::of(watched.running.engine().world(), plan.watch);
                assert_eq!(picture.edges.len(), now.edges.len(), "week {week}");
                assert_eq!(watched.picture().edges.len(), now.edges.len());
                redrawn.push((week, picture));
            }
        }
        let weeks: Vec<u32> = redrawn.iter().map(|(w, _)| *w).collect();
        assert_eq!(weeks, [YEAR_WEEKS, 2 * YEAR_WEEKS]);
        let ties = |p: &Picture| -> Vec<(usize, usize, &str)> {
            p.edges.iter().map(|e| (e.a, e.b, e.kind)).collect()
        };
        assert!(
            redrawn.iter().any(|(_, p)| ties(p) != ties(&start)),
            "the turns changed no tie of the block: the test needs one that does"
        );
        let one_year = small(YEAR_WEEKS);
        let mut watched = WatchedRun::start(&one_year);
        while !watched.is_finished() {
            assert!(watched.step().is_none_or(|p| p.picture.is_none()));
        }
    }

    #[test]
    fn a_run_of_one_year_shows_no_years() {
        let (shown, written) = years_watched_and_written(&small(YEAR_WEEKS));
        assert!(shown.is_empty() && written.is_empty());
    }
}
