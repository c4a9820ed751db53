//! Parameters of needs and episodes: the `[needs]` table of a scenario file.

use crate::hours::HOURS_IN_A_WEEK;
use serde::{Deserialize, Serialize};

use crate::kinds::{EpisodeKind, PerAgeBand};
use crate::scenario::{Checker, Range, TaskMix};

/// Need episodes (docs/ODD.md §7.10.1). Hazards are per adult per year, by age band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NeedParams {
    pub emergency_per_year: PerAgeBand<f64>,
    pub short_term_per_year: PerAgeBand<f64>,
    pub long_term_per_year: PerAgeBand<f64>,
    /// How the long-term hazard of the open band (75+) rises with age, per year
    /// of age (log-linear; the band's mean hazard is kept). 0: one hazard for
    /// the whole band.
    pub long_term_age_gradient: f64,
    /// How many times a man's the long-term hazard of a woman of the same age
    /// is, split around the band's hazard (a woman's `2r / (1 + r)` times it,
    /// a man's `2 / (1 + r)`), so the band keeps its hazard when its sexes are
    /// even (docs/ODD.md §7.10.1). 1: one hazard for both.
    pub long_term_women_ratio: f64,
    /// Hours of an emergency (it lasts one week).
    pub emergency_hours: Range,
    /// Length of a short-term episode, weeks.
    pub short_term_weeks: Range,
    /// Weekly hours of a short-term episode.
    pub short_term_hours: Range,
    /// Mean length of a long-term episode, weeks, by age band (exponential, at
    /// least 13 weeks).
    pub long_term_mean_weeks: PerAgeBand<f64>,
    /// Weekly hours of a long-term episode, low and high end by age band.
    pub long_term_hours_min: PerAgeBand<f64>,
    pub long_term_hours_max: PerAgeBand<f64>,
    /// Share of the long-term episodes of someone living with a partner that
    /// are heavy (docs/ODD.md §7.10.1), by age band: round-the-clock care that
    /// is met at home only with a partner there (alone, it is met in a Wlz
    /// home, outside the model's community).
    pub long_term_heavy_share: PerAgeBand<f64>,
    /// Weekly hours of a heavy long-term episode.
    pub long_term_heavy_hours: Range,
    /// Shares of weekly hours by task, per episode kind.
    pub task_mix: TaskMixes,
    /// Which residents are in a long-term need when the simulation starts
    /// (docs/ODD.md §7.10.1, session 37).
    pub long_term_at_start: LongTermAtStart,
}

/// The long-term needs already running at the start of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LongTermAtStart {
    /// As many as the onsets and lengths leave at each age, followed along
    /// the ages each resident has lived through: a 76-year-old has had the
    /// 75+ hazard for about a year, not for ever.
    #[default]
    AgeStructured,
    /// As many as the hazard of the resident's age band would leave if it had
    /// held all their life (sessions 1–36): too many just above a rise of the
    /// hazard, at 75–80, which a projection then loses over its first years.
    BandStationary,
}

impl Default for NeedParams {
    fn default() -> Self {
        NeedParams {
            emergency_per_year: [0.29, 0.48, 0.7, 1.4],
            short_term_per_year: [0.18, 0.27, 0.42, 0.7],
            long_term_per_year: [0.004, 0.01, 0.011, 0.10],
            long_term_age_gradient: 0.0,
            long_term_women_ratio: 1.0,
            emergency_hours: Range::new(1.0, 2.0),
            short_term_weeks: Range::new(1.0, 6.0),
            short_term_hours: Range::new(3.0, 8.0),
            long_term_mean_weeks: [78.0, 104.0, 130.0, 156.0],
            long_term_hours_min: [4.0, 4.0, 6.0, 8.0],
            long_term_hours_max: [10.0, 12.0, 38.0, 35.0],
            long_term_heavy_share: [0.0, 0.0, 0.3, 0.6],
            long_term_heavy_hours: Range::new(35.0, 60.0),
            task_mix: TaskMixes::default(),
            long_term_at_start: LongTermAtStart::default(),
        }
    }
}

impl NeedParams {
    /// Yearly onset hazard of an episode kind for an age band.
    pub fn hazard_per_year(&self, kind: EpisodeKind, band: usize) -> f64 {
        match kind {
            EpisodeKind::Emergency => self.emergency_per_year[band],
            EpisodeKind::ShortTerm => self.short_term_per_year[band],
            EpisodeKind::LongTerm => self.long_term_per_year[band],
        }
    }
}

/// Task mixes of the three episode kinds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaskMixes {
    pub emergency: TaskMix,
    pub short_term: TaskMix,
    pub long_term: TaskMix,
}

impl TaskMixes {
    pub fn get(&self, kind: EpisodeKind) -> &TaskMix {
        match kind {
            EpisodeKind::Emergency => &self.emergency,
            EpisodeKind::ShortTerm => &self.short_term,
            EpisodeKind::LongTerm => &self.long_term,
        }
    }
}

impl Default for TaskMixes {
    fn default() -> Self {
        // household, personal_care, transport, administration, company, emergency
        TaskMixes {
            emergency: TaskMix([0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
            short_term: TaskMix([0.4, 0.2, 0.2, 0.0, 0.2, 0.0]),
            long_term: TaskMix([0.3, 0.25, 0.15, 0.1, 0.2, 0.0]),
        }
    }
}

impl NeedParams {
    /// Range checks of the `[needs]` table.
    pub(crate) fn check(&self, c: &mut Checker) {
        for (name, hazards) in [
            ("emergency_per_year", self.emergency_per_year),
            ("short_term_per_year", self.short_term_per_year),
            ("long_term_per_year", self.long_term_per_year),
        ] {
            for (band, hazard) in hazards.iter().enumerate() {
                c.within(
                    &format!("needs.{name}[{band}]"),
                    *hazard,
                    0.0,
                    52.0,
                    "episodes per year",
                );
            }
        }
        c.within(
            "needs.long_term_age_gradient",
            self.long_term_age_gradient,
            0.0,
            0.3,
            "a rise per year of age",
        );
        c.within(
            "needs.long_term_women_ratio",
            self.long_term_women_ratio,
            0.2,
            5.0,
            "a ratio of hazards",
        );
        c.range("needs.emergency_hours", self.emergency_hours);
        c.range("needs.short_term_weeks", self.short_term_weeks);
        c.within(
            "needs.short_term_weeks.min",
            self.short_term_weeks.min,
            1.0,
            520.0,
            "weeks",
        );
        c.range("needs.short_term_hours", self.short_term_hours);
        for band in 0..self.long_term_mean_weeks.len() {
            c.within(
                &format!("needs.long_term_mean_weeks[{band}]"),
                self.long_term_mean_weeks[band],
                13.0,
                5200.0,
                "weeks",
            );
            let (min_path, max_path) = (
                format!("needs.long_term_hours_min[{band}]"),
                format!("needs.long_term_hours_max[{band}]"),
            );
            let (min, max) = (
                self.long_term_hours_min[band],
                self.long_term_hours_max[band],
            );
            // Two arrays in the file, not one range: each is named by its own key.
            c.non_negative(&min_path, min);
            c.within(&max_path, max, 0.0, HOURS_IN_A_WEEK, "hours per week");
            // A negative maximum is its own problem, and "at most -3" no fix.
            if min > max && max >= 0.0 {
                c.fail(
                    &min_path,
                    format!("{min} is above `{max_path}` ({max})"),
                    format!("lower `{min_path}` to at most {max} or raise `{max_path}`"),
                );
            }
        }
        c.shares("needs.long_term_heavy_share", &self.long_term_heavy_share);
        c.range("needs.long_term_heavy_hours", self.long_term_heavy_hours);
        c.within(
            "needs.long_term_heavy_hours.max",
            self.long_term_heavy_hours.max,
            0.0,
            HOURS_IN_A_WEEK,
            "hours per week",
        );
        for (name, mix) in [
            ("emergency", &self.task_mix.emergency),
            ("short_term", &self.task_mix.short_term),
            ("long_term", &self.task_mix.long_term),
        ] {
            c.task_mix(&format!("needs.task_mix.{name}"), mix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Scenario, validate};

    /// The long-term hours are two arrays in the file: a problem names the key
    /// the user wrote, not a range path that does not exist.
    #[test]
    fn long_term_hours_problems_name_the_array_written() {
        let mut scenario = Scenario::default();
        scenario.needs.long_term_hours_max[1] = -3.0;
        let problems = validate(&scenario);
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"needs.long_term_hours_max[1]"), "{paths:?}");
        assert!(
            paths
                .iter()
                .all(|p| !p.ends_with(".max") && !p.ends_with(".min"))
        );

        let mut scenario = Scenario::default();
        scenario.needs.long_term_hours_min[2] = 50.0;
        let problems = validate(&scenario);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "needs.long_term_hours_min[2]");
        assert!(problems[0].fix.contains("needs.long_term_hours_max[2]"));
    }
}
