//! Experiments: many runs of one or more scenarios. A run is a pure function of
//! its scenario (seed included), so runs can go in parallel in any order and any
//! run can be repeated alone.

pub mod compare;
pub mod comparison_text;
pub mod design;

pub mod plan;
mod reading;
pub mod replicates;
pub mod salib;
pub mod scale;
pub mod sensitivity;
pub mod stats;
pub mod sweep;
pub mod targets;
pub mod validate;

use std::sync::atomic::{AtomicBool, Ordering};

use crate::clock::Stopwatch;
use crate::engine::Engine;
use crate::output::{NetworkSummaryRow, ResidentAccounts, network_summary};
use crate::rng::{Stream, stream_key};
use crate::scenario::Scenario;
use crate::tally::{RunRecord, WeekTally};
use crate::world::World;

/// The seed of replicate `r` (counted from 1) of a scenario with seed `base`.
///
/// Replicate 1 uses the scenario's own seed, so a single run and the first
/// replicate agree; replicate r > 1 uses the 64-bit stream key of
/// (base, `Stream::Replicate`, r, 0). `carenet run FILE --seed S` with that seed
/// reproduces the replicate alone.
pub fn replicate_seed(base: u64, r: u32) -> u64 {
    if r <= 1 {
        base
    } else {
        stream_key(base, Stream::Replicate, u64::from(r), 0)
    }
}

/// A run given up because its stop flag was set ([`Run::execute_stoppable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// A finished run: the engine at its end (with the world) and what it counted.
pub struct Run {
    pub engine: Engine,
    /// Ties when the world was built (runs add peer, volunteer and event ties).
    pub ties_at_start: usize,
    /// The starting network per neighbourhood, described before the first week.
    pub network_summary: Vec<NetworkSummaryRow>,
    pub record: RunRecord,
    pub build_seconds: f64,
    pub simulate_seconds: f64,
    /// Each resident's account of the reported weeks, when asked for
    /// ([`Run::execute_with_residents`]; residents.csv).
    pub residents: Option<ResidentAccounts>,
}

impl Run {
    /// Builds the world of `scenario` and runs all its weeks; `observe` hears of
    /// each world-building stage and each week.
    pub fn execute(scenario: &Scenario, observe_week: &mut dyn FnMut(&WeekTally)) -> Run {
        Run::execute_observed(scenario, |_| {}, &mut |_, tally| observe_week(tally))
    }

    /// [`Run::execute`] for a watcher: `prepare` sees the engine before the first
    /// week (its world as built), `observe` the engine after each week. Neither
    /// can change the run (`prepare` may only switch on what the engine keeps for
    /// watchers, such as [`crate::engine::CareLedger::keep_week_gifts`]).
    pub fn execute_observed(
        scenario: &Scenario,
        prepare: impl FnOnce(&mut Engine),
        observe: &mut dyn FnMut(&Engine, &WeekTally),
    ) -> Run {
        let mut running = RunningRun::start(scenario, prepare);
        while !running.engine().is_finished() {
            running.step(observe);
        }
        running.finish()
    }

    /// [`Run::execute`], keeping each resident's account of the reported weeks
    /// for residents.csv. The outputs are those of [`Run::execute`].
    pub fn execute_with_residents(
        scenario: &Scenario,
        observe_week: &mut dyn FnMut(&WeekTally),
    ) -> Run {
        let never = AtomicBool::new(false);
        match Run::execute_stoppable(scenario, true, &never, observe_week) {
            Ok(run) => run,
            Err(Stopped) => unreachable!("nothing sets a flag of its own"),
        }
    }

    /// [`Run::execute`] (or, with `residents`, [`Run::execute_with_residents`])
    /// that a caller on another thread can stop: `stop` is read before the
    /// world is built, within its build (between stages and batches of
    /// proposers, [`World::build_unless`]) and between weeks, and once it is
    /// set the run ends there with [`Stopped`], its half-built or half-run
    /// world dropped. A run whose flag stays unset is the same run, to
    /// the byte, as the unstoppable ones (the flag is only read). The Python
    /// package stops runs this way on Ctrl-C.
    pub fn execute_stoppable(
        scenario: &Scenario,
        residents: bool,
        stop: &AtomicBool,
        observe_week: &mut dyn FnMut(&WeekTally),
    ) -> Result<Run, Stopped> {
        let stopped = || stop.load(Ordering::Relaxed);
        if stopped() {
            return Err(Stopped);
        }
        let prepare = |engine: &mut Engine| {
            if residents {
                engine.keep_week_gifts();
            }
        };
        let mut running = RunningRun::start_unless(scenario, prepare, &stopped).ok_or(Stopped)?;
        let mut accounts = residents.then(|| ResidentAccounts::new(running.engine().world()));
        while !running.engine().is_finished() {
            if stopped() {
                return Err(Stopped);
            }
            running.step(&mut |engine, tally| {
                if let Some(accounts) = &mut accounts {
                    accounts.observe(engine, tally);
                }
                observe_week(tally);
            });
        }
        let mut run = running.finish();
        run.residents = accounts;
        Ok(run)
    }

    pub fn world(&self) -> &World {
        self.engine.world()
    }
}

/// A run that goes one week at a time, for a watcher that must return between
/// weeks (the teaching page: the server pauses between weeks, the browser's
/// worker answers the page). The same run as [`Run::execute_observed`], which
/// is built on it.
pub struct RunningRun {
    engine: Engine,
    ties_at_start: usize,
    network_summary: Vec<NetworkSummaryRow>,
    record: RunRecord,
    build_seconds: f64,
    simulate_seconds: f64,
}

impl RunningRun {
    /// Builds the world of `scenario`; `prepare` sees the engine before the
    /// first week (as in [`Run::execute_observed`]).
    pub fn start(scenario: &Scenario, prepare: impl FnOnce(&mut Engine)) -> RunningRun {
        Self::start_unless(scenario, prepare, &|| false).expect("a build never stopped ends")
    }

    /// [`RunningRun::start`], given up (`None`) while the world is built if
    /// `stop` says so (see [`World::build_unless`]).
    pub fn start_unless(
        scenario: &Scenario,
        prepare: impl FnOnce(&mut Engine),
        stop: &dyn Fn() -> bool,
    ) -> Option<RunningRun> {
        let clock = Stopwatch::start();
        let world = World::build_unless(scenario, &mut |_| {}, stop)?;
        let build_seconds = clock.seconds();
        let ties_at_start = world.network.ties.len();
        let network_summary = network_summary(&world);
        let clock = Stopwatch::start();
        let mut engine = Engine::new(world);
        prepare(&mut engine);
        Some(RunningRun {
            engine,
            ties_at_start,
            network_summary,
            record: RunRecord::default(),
            build_seconds,
            simulate_seconds: clock.seconds(),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The reported weeks run so far.
    pub fn reported_weeks(&self) -> &[WeekTally] {
        &self.record.weeks
    }

    /// Runs the next week (burn-in or reported) and shows it to `observe`;
    /// nothing once the engine is finished.
    pub fn step(&mut self, observe: &mut dyn FnMut(&Engine, &WeekTally)) {
        if self.engine.is_finished() {
            return;
        }
        let clock = Stopwatch::start();
        let tally = self.engine.step();
        self.simulate_seconds += clock.seconds();
        observe(&self.engine, &tally);
        self.record.add(tally);
    }

    /// The finished run (call once every week has run).
    pub fn finish(self) -> Run {
        let record = self.engine.finish_record(self.record);
        Run {
            engine: self.engine,
            ties_at_start: self.ties_at_start,
            network_summary: self.network_summary,
            record,
            build_seconds: self.build_seconds,
            simulate_seconds: self.simulate_seconds,
            residents: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watching_a_run_changes_none_of_its_outputs() {
        let mut scenario = Scenario::default();
        for n in &mut scenario.neighbourhoods {
            n.adults = 200;
        }
        scenario.weeks = 6;
        scenario.burn_in_weeks = 4;
        let plain = Run::execute(&scenario, &mut |_| {});
        let mut gifts = 0;
        let watched = Run::execute_observed(
            &scenario,
            |engine| engine.keep_week_gifts(),
            &mut |engine, _| gifts += engine.ledger().last_week_gifts().len(),
        );
        assert!(gifts > 0, "the watcher saw the gifts");
        assert_eq!(plain.record.weeks, watched.record.weeks);
        let residents = plain.world().people.area_residents();
        let summary = |run: &Run| crate::output::summary_row(&scenario, residents, &run.record).0;
        assert_eq!(summary(&plain), summary(&watched));
        assert!(plain.engine.ledger().same_counts(watched.engine.ledger()));
    }

    fn small() -> Scenario {
        Scenario::default_scaled(150, 8, 2)
    }

    #[test]
    fn a_stopped_run_stops_between_weeks_and_an_unstopped_one_is_unchanged() {
        let scenario = small();
        let stop = AtomicBool::new(false);
        let mut weeks = 0;
        // Set while the third week is observed: the run must end before a fourth.
        let stopped = Run::execute_stoppable(&scenario, false, &stop, &mut |_| {
            weeks += 1;
            if weeks == 3 {
                stop.store(true, Ordering::Relaxed);
            }
        });
        assert_eq!(stopped.err(), Some(Stopped));
        assert_eq!(weeks, 3, "no week ran after the flag was set");

        let mut weeks = 0;
        let never = Run::execute_stoppable(&scenario, false, &stop, &mut |_| weeks += 1);
        assert_eq!(
            never.err(),
            Some(Stopped),
            "a set flag stops before building"
        );
        assert_eq!(weeks, 0);

        stop.store(false, Ordering::Relaxed);
        let plain = Run::execute(&scenario, &mut |_| {});
        let free =
            Run::execute_stoppable(&scenario, true, &stop, &mut |_| {}).expect("not stopped");
        assert_eq!(plain.record.weeks, free.record.weeks);
        assert!(plain.engine.ledger().same_counts(free.engine.ledger()));
        let residents = |run: &Run| {
            run.residents.as_ref().map(|r| {
                r.write_csv(&run.engine, None, true, Vec::new())
                    .expect("in memory")
            })
        };
        let with_residents = Run::execute_with_residents(&scenario, &mut |_| {});
        assert_eq!(residents(&free), residents(&with_residents));
        assert!(residents(&free).is_some());
    }

    #[test]
    fn replicate_seeds_are_distinct_and_start_at_the_scenario_seed() {
        assert_eq!(replicate_seed(42, 1), 42);
        let seeds: std::collections::HashSet<u64> =
            (1..=1000).map(|r| replicate_seed(42, r)).collect();
        assert_eq!(seeds.len(), 1000);
        assert_ne!(replicate_seed(42, 2), replicate_seed(43, 2));
    }
}
