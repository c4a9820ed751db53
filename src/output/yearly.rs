//! `yearly.csv` (docs/ODD.md §9.13): one row per reported year of a run of
//! several years: the residents by age band at the year's start and the turn of
//! the year that led to them (docs/ODD.md §7.2.1), then the year's care as
//! `summary.csv` counts it. Written only when a run reports more than 52 weeks.

use crate::hours::HoursTotal;
use crate::kinds::Locality;
use crate::model::demography::YEAR_WEEKS;
use crate::scenario::Scenario;
use crate::tally::{Calibration, WeekTally, YearStart, share};

use super::Row;

/// The file's name.
pub const YEARLY_CSV: &str = "yearly.csv";

/// The column of the calendar year a row's year stands for (empty where the
/// scenario has no `start_year`). It names the row, as `year` does, and is not
/// measured: aggregates and comparisons carry it beside `year`.
pub const CALENDAR_YEAR: &str = "calendar_year";

/// The `calendar_year` cell of reported year `year` (1, 2, …) of
/// `scenario`: empty where it has no `start_year`.
pub fn calendar_year_cell(scenario: &Scenario, year: u32) -> String {
    scenario
        .calendar_year(year)
        .map_or_else(String::new, |y| y.to_string())
}

/// How a row of yearly.csv (or of a table led by its keys) names its year
/// to a reader: the calendar year it stands for where there is one, else its
/// number; none for a row without a year.
pub fn year_shown(row: &Row) -> Option<&str> {
    match row.get(CALENDAR_YEAR) {
        Some(calendar) if !calendar.is_empty() => Some(calendar),
        _ => row.get("year"),
    }
}

/// Whether a run of `reported_weeks` follows its years and writes yearly.csv:
/// more than one year.
pub fn is_multi_year(reported_weeks: usize) -> bool {
    reported_weeks > YEAR_WEEKS as usize
}

/// The residents' columns, by age band.
const ALONE_COLUMNS: [&str; 4] = [
    "living_alone_share_18_34",
    "living_alone_share_35_54",
    "living_alone_share_55_74",
    "living_alone_share_75_plus",
];

const BAND_COLUMNS: [&str; 4] = [
    "adults_18_34",
    "adults_35_54",
    "adults_55_74",
    "adults_75_plus",
];

/// The header of `yearly.csv`, as a row of an empty year.
pub fn yearly_template(scenario: &Scenario) -> Row {
    yearly_row(scenario, &YearStart::default(), None, &[], 0)
}

/// One row per reported year begun: `years[i]`, the carer figures
/// `figures[i]` of the year (none for a year still running) and the weeks of
/// year `i + 1` (the last year may be short).
pub fn yearly_rows(
    scenario: &Scenario,
    years: &[YearStart],
    figures: &[Calibration],
    weeks: &[WeekTally],
) -> Vec<Row> {
    years
        .iter()
        .zip(weeks.chunks(YEAR_WEEKS as usize))
        .enumerate()
        .map(|(i, (start, weeks))| {
            let before = i * YEAR_WEEKS as usize;
            yearly_row(scenario, start, figures.get(i), weeks, before)
        })
        .collect()
}

/// yearly_aggregate.csv's rows of one set of runs (the replicates of `run
/// --replicates`, or one variant's in `compare`): per year, every column of
/// their yearly.csv rows but the `keys` that name a row (`replicate`,
/// `year`, …), over the runs (n, mean, sd, 95% interval), `year` and
/// `calendar_year` first.
pub fn aggregate_by_year(rows: &[&Row], keys: &[&str]) -> Vec<Row> {
    let mut years: Vec<&str> = rows.iter().filter_map(|r| r.get("year")).collect();
    years.sort_by_key(|year| year.parse::<u32>().unwrap_or(u32::MAX));
    years.dedup();
    let mut out = Vec::new();
    for year in years {
        let of_year: Vec<Row> = rows
            .iter()
            .filter(|r| r.get("year") == Some(year))
            .map(|r| (*r).clone())
            .collect();
        let calendar_year = of_year
            .first()
            .and_then(|r| r.get(CALENDAR_YEAR))
            .unwrap_or_default()
            .to_string();
        let columns =
            super::aggregate_columns(&of_year, |c| c != CALENDAR_YEAR && !keys.contains(&c));
        out.extend(columns.into_iter().map(|row| {
            row.with_first(CALENDAR_YEAR, &calendar_year)
                .with_first("year", year)
        }));
    }
    out
}

/// One of a year's carer figures.
type YearFigure = fn(&Calibration) -> Option<f64>;

/// The carer figures of a year, as summary.csv's columns of the same names
/// (docs/ODD.md §9.9) read over the year alone.
const CARER_COLUMNS: [(&str, YearFigure); 7] = [
    ("carers_cbs_share", |c| c.carers_cbs_share),
    ("carers_broad_share", |c| c.carers_broad_share),
    ("intensive_share_of_cbs_carers", |c| {
        c.intensive_share_of_cbs_carers
    }),
    ("heavily_burdened_share_of_cbs_carers", |c| {
        c.heavily_burdened_share_of_cbs_carers
    }),
    ("cbs_carer_mean_hours", |c| c.cbs_carer_mean_hours),
    ("receivers_55plus_share", |c| c.receivers_55plus_share),
    ("receivers_75plus_share", |c| c.receivers_75plus_share),
];

/// A year's row; `before` is the number of reported weeks before it (for the
/// levers' cost of this year alone).
fn yearly_row(
    scenario: &Scenario,
    start: &YearStart,
    figures: Option<&Calibration>,
    weeks: &[WeekTally],
    before: usize,
) -> Row {
    let total = |f: fn(&WeekTally) -> HoursTotal| weeks.iter().map(f).sum::<HoursTotal>();
    // Written in the shortest form that reads back exactly, as summary.csv's
    // means are (docs/ODD.md §9.5), not rounded.
    let mean =
        |f: fn(&WeekTally) -> f64| share(weeks.iter().map(f).sum::<f64>(), weeks.len() as f64);
    let need = total(|t| t.need);
    let informal = total(|t| t.informal);
    let unmet = total(|t| t.unmet);
    let outbound = total(|t| t.outbound);
    let local = |l: Locality| {
        weeks
            .iter()
            .map(|t| t.by_locality[l.index()])
            .sum::<HoursTotal>()
    };
    let mut row = Row::default();
    row.put("year", start.year)
        .put(CALENDAR_YEAR, calendar_year_cell(scenario, start.year))
        .put("weeks", weeks.len())
        .put("adults", start.adults());
    for (column, count) in BAND_COLUMNS.iter().zip(start.residents) {
        row.put(*column, count);
    }
    let alone = start.living_alone.iter().sum::<u64>();
    row.optional(
        "living_alone_share",
        share(alone as f64, start.adults() as f64),
    );
    for ((column, alone), adults) in ALONE_COLUMNS
        .iter()
        .zip(start.living_alone)
        .zip(start.residents)
    {
        row.optional(*column, share(alone as f64, adults as f64));
    }
    row.put("deaths", start.deaths)
        .put("departures", start.departures)
        .put("arrivals", start.arrivals)
        .put("comings_of_age", start.comings_of_age)
        .put("partners_moving_in", start.partners_moving_in)
        .put("couples_formed", start.couples_formed)
        .put("separations", start.separations)
        .put("outside_deaths", start.outside_deaths)
        .optional("receivers", mean(|t| t.residents_in_need as f64))
        .optional("carers", mean(|t| t.strain.carers as f64));
    for (column, figure) in CARER_COLUMNS {
        row.optional(column, figures.and_then(figure));
    }
    row.hours("need_hours", need)
        .hours("household_hours", total(|t| t.household))
        .hours("informal_hours", informal)
        .hours("formal_hours", total(|t| t.formal))
        .hours("long_term_care_hours", total(|t| t.long_term_care))
        .hours("unmet_hours", unmet)
        .optional("unmet_share", share(unmet.as_f64(), need.as_f64()));
    for (column, locality) in super::outcomes::LOCALITY_SHARES {
        row.optional(column, share(local(locality).as_f64(), informal.as_f64()));
    }
    row.hours("outbound_hours", outbound)
        .optional(
            "outbound_share",
            share(outbound.as_f64(), (informal + outbound).as_f64()),
        )
        .optional("mean_strain", mean(|t| t.strain.mean))
        .put("burnouts", weeks.iter().map(|t| t.burnouts).sum::<u64>());
    cost_columns(&mut row, scenario, weeks, before);
    row
}

/// The year's formal care priced, and the levers' cost over its weeks.
fn cost_columns(row: &mut Row, scenario: &Scenario, weeks: &[WeekTally], before: usize) {
    let cost = &scenario.cost;
    let levers = cost.intervention_cost(scenario, before + weeks.len())
        - cost.intervention_cost(scenario, before);
    super::outcomes::priced_columns(row, cost, weeks, levers.max(0.0));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Run;

    #[test]
    fn the_years_add_up_to_the_run() {
        let mut scenario = Scenario::default();
        scenario.neighbourhoods.truncate(2);
        for n in &mut scenario.neighbourhoods {
            n.adults = 800;
        }
        scenario.weeks = 2 * YEAR_WEEKS + 10;
        scenario.burn_in_weeks = 4;
        let run = Run::execute(&scenario, &mut |_| {});
        let rows = yearly_rows(
            &scenario,
            &run.record.years,
            &run.record.year_figures,
            &run.record.weeks,
        );
        assert_eq!(rows.len(), 3);
        let template = yearly_template(&scenario);
        for row in &rows {
            assert!(
                row.0
                    .iter()
                    .map(|(c, _)| c)
                    .eq(template.0.iter().map(|(c, _)| c))
            );
        }
        assert_eq!(rows[2].get("weeks"), Some("10"));
        let sum = |column: &str| -> f64 {
            rows.iter()
                .map(|r| {
                    r.get(column)
                        .and_then(|v| v.parse::<f64>().ok())
                        .unwrap_or(0.0)
                })
                .sum()
        };
        let summary = crate::output::summary_row(&scenario, 1600, &run.record);
        for column in ["need_hours", "unmet_hours", "informal_hours", "burnouts"] {
            let whole: f64 = summary
                .get(column)
                .and_then(|v| v.parse().ok())
                .unwrap_or(-1.0);
            assert!((sum(column) - whole).abs() < 0.005, "{column}");
        }
        // need = household + informal + formal + unmet in every year.
        for row in &rows {
            let value = |c: &str| {
                row.get(c)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(-1.0)
            };
            let parts = value("household_hours")
                + value("informal_hours")
                + value("formal_hours")
                + value("unmet_hours");
            assert!((value("need_hours") - parts).abs() < 0.005);
            let adults: f64 = BAND_COLUMNS.iter().map(|c| value(c)).sum();
            assert_eq!(adults, value("adults"));
        }
        // The means are written as summary.csv writes its own, in the shortest
        // form that reads back exactly (QA 24 §11: mean_strain had two decimals).
        let year_one = &run.record.weeks[..YEAR_WEEKS as usize];
        let exact = |f: fn(&WeekTally) -> f64| {
            crate::output::float_cell(year_one.iter().map(f).sum::<f64>() / year_one.len() as f64)
        };
        assert_eq!(
            rows[0].get("mean_strain"),
            Some(exact(|t| t.strain.mean).as_str())
        );
        assert_eq!(
            rows[0].get("receivers"),
            Some(exact(|t| t.residents_in_need as f64).as_str())
        );
        assert_eq!(
            rows[0].get("carers"),
            Some(exact(|t| t.strain.carers as f64).as_str())
        );
        assert!(
            rows[0].get("mean_strain").is_some_and(|s| s.len() > 4),
            "{:?}",
            rows[0].get("mean_strain")
        );
    }

    /// Session 37: the page and reports of `ageing-2025-2040` said years 1–15.
    #[test]
    fn a_start_year_labels_the_years_and_the_aggregates_carry_it() {
        let years: Vec<YearStart> = (1..=3)
            .map(|year| YearStart {
                year,
                ..YearStart::default()
            })
            .collect();
        let weeks: Vec<WeekTally> = (0..2 * YEAR_WEEKS + 10)
            .map(|w| WeekTally::new(i64::from(w), 1))
            .collect();
        let mut scenario = Scenario::default();
        let unlabelled = yearly_rows(&scenario, &years, &[], &weeks);
        assert!(unlabelled.iter().all(|r| r.get(CALENDAR_YEAR) == Some("")));
        scenario.start_year = Some(2025);
        let rows = yearly_rows(&scenario, &years, &[], &weeks);
        let labels: Vec<&str> = rows.iter().filter_map(|r| r.get(CALENDAR_YEAR)).collect();
        assert_eq!(labels, ["2025", "2026", "2027"]);
        let replicates: Vec<Row> = (1..=2)
            .flat_map(|r| {
                rows.iter()
                    .map(move |row| row.clone().with_first("replicate", r))
            })
            .collect();
        let refs: Vec<&Row> = replicates.iter().collect();
        let aggregate = aggregate_by_year(&refs, &["replicate", "year"]);
        assert!(
            aggregate
                .iter()
                .all(|r| r.get("metric") != Some(CALENDAR_YEAR))
        );
        let weeks_of_year_3 = aggregate
            .iter()
            .find(|r| r.get("year") == Some("3") && r.get("metric") == Some("weeks"))
            .expect("year 3's weeks");
        assert_eq!(weeks_of_year_3.get(CALENDAR_YEAR), Some("2027"));
        assert_eq!(weeks_of_year_3.0[1].0, CALENDAR_YEAR);
    }
}
