//! The outcome tables of a run (docs/ODD.md §9): `timeseries.csv`, `flows.csv`,
//! `neighbourhoods.csv` and `summary.csv`. Every column is documented in
//! docs/ODD.md §9 ("Outputs") and README.md. Hours are exact two-decimal numbers;
//! a share with nothing to share (no need, no intakes) is left empty (NA).

use crate::cost::CostParams;
use crate::experiment::stats::Estimate;
use crate::hours::HoursTotal;
use crate::kinds::{
    CareRelation, CarerAgeBand, DistanceBand, EpisodeKind, Locality, PerTask, Task, TieKind,
};
use crate::metrics;
use crate::scenario::Scenario;
use crate::tally::{Calibration, Flow, RunRecord, WeekTally, share};

use super::{OutputError, RunFolder};

/// One CSV row as (column, value) pairs, so a header can never drift from its
/// values.
#[derive(Debug, Default, Clone)]
pub struct Row(pub Vec<(String, String)>);

/// A floating-point value as a CSV cell: Rust's shortest round-trip digits,
/// with a decimal point even when the value is whole ("0.0", not "0"), so
/// that pandas, arrow and R's `read.csv` read a column of shares or means as
/// floating point in every run, not as integers in a run where each value
/// happens to be whole.
pub fn float_cell(value: f64) -> String {
    with_decimal_point(value.to_string(), value.is_finite())
}

/// `cell`, a finite float's shortest digits, with ".0" where it has no point.
fn with_decimal_point(mut cell: String, finite: bool) -> String {
    if finite && !cell.contains('.') {
        cell.push_str(".0");
    }
    cell
}

/// What a [`Row`] takes as a value: counts and names as they are written,
/// floating-point values by [`float_cell`].
pub trait Cell {
    fn cell(&self) -> String;
}

impl Cell for f64 {
    fn cell(&self) -> String {
        float_cell(*self)
    }
}

/// An `f32` keeps its own shortest digits (0.86, not 0.8600000143051147).
impl Cell for f32 {
    fn cell(&self) -> String {
        with_decimal_point(self.to_string(), self.is_finite())
    }
}

macro_rules! cell_as_written {
    ($($t:ty),*) => {
        $(impl Cell for $t {
            fn cell(&self) -> String {
                self.to_string()
            }
        })*
    };
}

cell_as_written!(
    u8, u16, u32, u64, usize, i32, i64, bool, str, String, HoursTotal
);
cell_as_written!(TieKind, Task, Locality, DistanceBand);

impl<T: Cell + ?Sized> Cell for &T {
    fn cell(&self) -> String {
        (**self).cell()
    }
}

impl Row {
    pub(crate) fn put(&mut self, column: impl Into<String>, value: impl Cell) -> &mut Self {
        self.0.push((column.into(), value.cell()));
        self
    }

    pub(crate) fn hours(&mut self, column: impl Into<String>, hours: HoursTotal) -> &mut Self {
        self.put(column, hours)
    }

    pub(crate) fn optional(&mut self, column: impl Into<String>, value: Option<f64>) -> &mut Self {
        self.put(column, value.map_or_else(String::new, float_cell))
    }

    /// The row with one more column in front.
    pub fn with_first(mut self, column: &str, value: impl ToString) -> Row {
        self.0.insert(0, (column.to_string(), value.to_string()));
        self
    }

    pub fn get(&self, column: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
    }
}

/// A table of rows with the same columns as `template` (which gives the header
/// even when there are no rows), written into the run folder.
pub fn write_table(
    folder: &RunFolder,
    file: &str,
    template: &Row,
    rows: &[Row],
) -> Result<(), OutputError> {
    let bytes = table_csv(template, rows).map_err(|source| OutputError::Csv {
        path: folder.shown(file),
        source,
    })?;
    folder.write_bytes(file, &bytes)
}

/// The bytes of [`write_table`]'s file: the header from `template`, then `rows`.
pub fn table_csv<R: std::borrow::Borrow<Row>>(
    template: &Row,
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(template.0.iter().map(|(c, _)| c))?;
    for row in rows {
        let row = row.borrow();
        debug_assert!(
            row.0
                .iter()
                .map(|(c, _)| c)
                .eq(template.0.iter().map(|(c, _)| c))
        );
        out.write_record(row.0.iter().map(|(_, v)| v))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// Rows as CSV made as they come: the header line of the first row's columns
/// (empty without rows) and the rows' lines, so that parts of one table (a
/// replicate's each) join under one header.
pub fn header_and_rows_csv<R: std::borrow::Borrow<Row>>(
    rows: impl IntoIterator<Item = R>,
) -> Result<(Vec<u8>, Vec<u8>), csv::Error> {
    let mut header = Vec::new();
    let mut body = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let row = row.borrow();
        if header.is_empty() {
            header = table_csv(row, std::iter::empty::<Row>())?;
        }
        body.write_record(row.0.iter().map(|(_, v)| v))?;
    }
    let body = body.into_inner().map_err(|e| e.into_error())?;
    Ok((header, body))
}

/// A table as CSV bytes, the first row's columns as the header (nothing for no
/// rows), for files written with `write_atomically`.
pub fn table_bytes(rows: &[Row]) -> Result<Vec<u8>, csv::Error> {
    let (mut bytes, body) = header_and_rows_csv(rows)?;
    bytes.extend_from_slice(&body);
    Ok(bytes)
}

/// The shares of informal hours by where the helper lives, as columns of
/// `summary.csv` and `yearly.csv`.
pub(super) const LOCALITY_SHARES: [(&str, Locality); 3] = [
    ("within_neighbourhood_share", Locality::SameNeighbourhood),
    ("cross_neighbourhood_share", Locality::CrossNeighbourhood),
    ("outside_share", Locality::Outside),
];

/// One row of `timeseries.csv`.
pub fn timeseries_row(t: &WeekTally) -> Row {
    let mut row = Row::default();
    row.put("week", t.week)
        .put("residents_in_need", t.residents_in_need)
        .put("residents_with_unmet_need", t.residents_with_unmet_need)
        .hours("need_hours", t.need)
        .hours("household_hours", t.household)
        .hours("usual_help_hours", t.usual_help)
        .hours("informal_hours", t.informal)
        .hours("formal_hours", t.formal)
        .hours("respite_hours", t.respite)
        .hours("long_term_care_hours", t.long_term_care)
        .hours("unmet_hours", t.unmet)
        .hours(
            "within_neighbourhood_hours",
            t.by_locality[Locality::SameNeighbourhood.index()],
        )
        .hours(
            "cross_neighbourhood_hours",
            t.by_locality[Locality::CrossNeighbourhood.index()],
        )
        .hours("outside_hours", t.by_locality[Locality::Outside.index()]);
    for kind in TieKind::ALL.iter().filter(|k| **k != TieKind::Partner) {
        row.hours(format!("{kind}_hours"), t.hours_by_kind(*kind));
    }
    row.hours("outbound_hours", t.outbound)
        .hours("outbound_nursing_home_hours", t.outbound_nursing_home)
        .put("outside_parents_in_need", t.outside_parents_in_need)
        .hours("outside_parent_need_hours", t.outside_parent_need)
        .hours("asked_hours", t.asked)
        .hours("favour_hours", t.favours)
        .put("carers", t.strain.carers)
        .put("mean_strain", t.strain.mean)
        .put("p90_strain", t.strain.p90)
        .put("heavily_burdened_carers", t.strain.heavily_burdened)
        .put("burnouts", t.burnouts)
        .put("burnt_out", t.burnt_out)
        .put("waiting_list", t.waiting_list)
        .put("left_waiting_list", t.left_waiting_list)
        .put("intakes", t.intakes)
        .put("intakes_network_involved", t.intakes_network_involved)
        .put("intakes_network_burdened", t.intakes_network_burdened)
        .put("assignments", t.assignments)
        .optional(
            "mean_wait_weeks",
            share(t.waited_weeks as f64, t.assignments as f64),
        )
        .put("exchange_requests", t.exchange_requests)
        .put("exchange_matches", t.exchange_matches)
        .put("new_peer_ties", t.new_peer_ties)
        .put("isolated_in_need", t.isolated_in_need)
        .hours("isolated_need_hours", t.isolated_need)
        .hours("isolated_unmet_hours", t.isolated_unmet)
        .put("mean_abs_balance", t.mean_abs_balance);
    row.clone()
}

/// Which way an hour of informal help crosses the area's boundary, in flows.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Help received by residents (from residents or from outside).
    Inbound,
    /// Help residents gave their parents outside the area.
    Outbound,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

/// Where a flow.csv row's hours went: which way, over what tie, for what task,
/// where the helper lives seen from the receiver, and how far.
#[derive(Debug, Clone, Copy)]
struct FlowCell {
    direction: Direction,
    kind: TieKind,
    task: Task,
    locality: Locality,
    distance: DistanceBand,
}

/// The rows of `flows.csv`: one per week, direction, tie kind, task, locality and
/// distance band with hours. Outbound rows are a resident's help to a parent
/// outside the area: tie kind `kin`, locality `outside` (where the receiver
/// lives).
pub fn flow_rows(record: &RunRecord) -> Vec<Row> {
    flow_rows_by_week(record).collect()
}

/// [`flow_rows`] made a week at a time, for writing them as they come: a run
/// of many years has hundreds of thousands (a 15-year run's held 33 MB as
/// rows).
pub fn flow_rows_by_week(record: &RunRecord) -> impl Iterator<Item = Row> + '_ {
    record.weeks.iter().flat_map(week_flow_rows)
}

/// One week's rows of `flows.csv`.
fn week_flow_rows(t: &WeekTally) -> Vec<Row> {
    let mut rows = Vec::new();
    for kind in TieKind::ALL {
        for task in Task::ALL {
            for locality in Locality::ALL {
                for distance in DistanceBand::ALL {
                    let flow =
                        t.flows[kind.index()][task.index()][locality.index()][distance.index()];
                    let cell = FlowCell {
                        direction: Direction::Inbound,
                        kind: *kind,
                        task: *task,
                        locality: *locality,
                        distance: *distance,
                    };
                    if flow.episodes > 0 {
                        rows.push(flow_row(t.week, cell, flow));
                    }
                }
            }
        }
    }
    for task in Task::ALL {
        for distance in DistanceBand::ALL {
            let flow = t.outbound_flows[task.index()][distance.index()];
            let cell = FlowCell {
                direction: Direction::Outbound,
                kind: TieKind::Kin,
                task: *task,
                locality: Locality::Outside,
                distance: *distance,
            };
            if flow.episodes > 0 {
                rows.push(flow_row(t.week, cell, flow));
            }
        }
    }
    rows
}

fn flow_row(week: i64, cell: FlowCell, flow: Flow) -> Row {
    let mut row = Row::default();
    row.put("week", week)
        .put("direction", cell.direction.name())
        .put("tie_kind", cell.kind)
        .put("task", cell.task)
        .put("locality", cell.locality)
        .put("distance_band", cell.distance)
        .hours("hours", flow.hours)
        .put("episodes", flow.episodes);
    row
}

/// The rows of `neighbourhoods.csv`: each neighbourhood over the reported weeks.
pub fn neighbourhood_rows(scenario: &Scenario, record: &RunRecord) -> Vec<Row> {
    let totals = record.neighbourhood_totals(scenario.neighbourhoods.len());
    scenario
        .neighbourhoods
        .iter()
        .zip(&totals)
        .map(|(n, t)| {
            let mut row = Row::default();
            row.put("neighbourhood", &n.name)
                .put("residents", n.adults)
                .put("cohesion", n.cohesion)
                .put("institutional_trust", n.institutional_trust)
                .put("mutual_aid_tradition", n.mutual_aid_tradition)
                .hours("need_hours", t.need)
                .hours("household_hours", t.household)
                .hours("informal_hours", t.informal)
                .hours("formal_hours", t.formal)
                .hours("unmet_hours", t.unmet)
                .hours("within_neighbourhood_hours", t.within);
            for kind in EpisodeKind::ALL {
                row.hours(
                    format!("neighbour_hours_{kind}"),
                    t.neighbour_by_episode[kind.index()],
                );
            }
            row.optional(
                "within_neighbourhood_share",
                share(t.within.as_f64(), t.informal.as_f64()),
            )
            .optional("unmet_share", share(t.unmet.as_f64(), t.need.as_f64()))
            .optional(
                "residents_with_unmet_need_share",
                share(t.unmet_weeks as f64, t.in_need_weeks as f64),
            )
            .put("burnouts", t.burnouts);
            row.clone()
        })
        .collect()
}

/// The single row of `summary.csv`: its columns in the order of the metric
/// table (`crate::metrics`).
pub fn summary_row(scenario: &Scenario, residents: usize, record: &RunRecord) -> Row {
    in_table_order(&summary_values(scenario, residents, record))
}

/// The values of `summary.csv` by column, in the order they are worked out.
fn summary_values(scenario: &Scenario, residents: usize, record: &RunRecord) -> Row {
    let mut values = Row::default();
    values
        .put("scenario", &scenario.name)
        .put("seed", scenario.seed)
        .put("weeks", record.weeks.len())
        .put("residents", residents);
    need_columns(&mut values, record);
    strain_and_formal_columns(&mut values, record);
    weak_network_columns(&mut values, record);
    outbound_columns(&mut values, record);
    values
        .put("exchange_matches", record.count(|t| t.exchange_matches))
        .put("new_peer_ties", record.count(|t| t.new_peer_ties))
        .optional(
            "mean_abs_balance",
            record.weeks.last().map(|t| t.mean_abs_balance),
        );
    calibration_columns(&mut values, record);
    cost_columns(&mut values, scenario, record);
    values
}

/// `values` with the columns of `summary.csv` in the metric table's order.
fn in_table_order(values: &Row) -> Row {
    debug_assert!(
        values
            .0
            .iter()
            .all(|(c, _)| metrics::summary_columns().any(|s| s == c)),
        "a summary column missing from src/metrics.rs"
    );
    Row(metrics::summary_columns()
        .map(|column| {
            let value = values.get(column).unwrap_or_default();
            (column.to_string(), value.to_string())
        })
        .collect())
}

/// A mean over the reported weeks (NA for none).
fn mean_over_weeks(record: &RunRecord, f: fn(&WeekTally) -> f64) -> Option<f64> {
    share(
        record.weeks.iter().map(f).sum::<f64>(),
        record.weeks.len() as f64,
    )
}

/// Need and who met it: hours, the unmet share, where informal help came from
/// and over which kind of tie.
fn need_columns(row: &mut Row, record: &RunRecord) {
    let need = record.total(|t| t.need);
    let informal = record.total(|t| t.informal);
    let unmet = record.total(|t| t.unmet);
    row.hours("need_hours", need)
        .hours("household_hours", record.total(|t| t.household))
        .hours("usual_help_hours", record.total(|t| t.usual_help))
        .hours("informal_hours", informal)
        .hours("formal_hours", record.total(|t| t.formal))
        .hours("respite_hours", record.total(|t| t.respite))
        .hours("long_term_care_hours", record.total(|t| t.long_term_care))
        .hours("unmet_hours", unmet)
        .optional("unmet_share", share(unmet.as_f64(), need.as_f64()));
    for (column, locality) in LOCALITY_SHARES {
        let local = record.total(|t| t.by_locality[locality.index()]);
        row.optional(column, share(local.as_f64(), informal.as_f64()));
    }
    for kind in TieKind::ALL.iter().filter(|k| **k != TieKind::Partner) {
        let by_kind = record.total(|t| t.hours_by_kind(*kind));
        row.hours(format!("{kind}_hours"), by_kind);
    }
}

/// Residents left with unmet need, carers' strain and burnouts, and formal
/// care's intakes and waiting.
fn strain_and_formal_columns(row: &mut Row, record: &RunRecord) {
    let count = |f: fn(&WeekTally) -> u64| record.count(f);
    let intakes = count(|t| t.intakes) as f64;
    row.optional(
        "residents_with_unmet_need_share",
        share(
            count(|t| t.residents_with_unmet_need) as f64,
            count(|t| t.residents_in_need) as f64,
        ),
    )
    .optional("mean_strain", mean_over_weeks(record, |t| t.strain.mean))
    .optional("p90_strain", mean_over_weeks(record, |t| t.strain.p90))
    .put("burnouts", count(|t| t.burnouts))
    .put("intakes", count(|t| t.intakes))
    .optional(
        "intake_network_involved_share",
        share(count(|t| t.intakes_network_involved) as f64, intakes),
    )
    .optional(
        "intake_network_burdened_share",
        share(count(|t| t.intakes_network_burdened) as f64, intakes),
    )
    .optional(
        "mean_wait_weeks",
        share(
            count(|t| t.waited_weeks) as f64,
            count(|t| t.assignments) as f64,
        ),
    )
    .optional(
        "mean_waiting_list",
        mean_over_weeks(record, |t| t.waiting_list as f64),
    )
    .put("left_waiting_list", count(|t| t.left_waiting_list));
}

/// Who carries the unmet need (isolated residents, the weakest networks),
/// help to reluctant askers, the wait before intake, hours asked and favours.
fn weak_network_columns(row: &mut Row, record: &RunRecord) {
    let need = record.total(|t| t.need).as_f64();
    let unmet = record.total(|t| t.unmet).as_f64();
    let isolated_need = record.total(|t| t.isolated_need).as_f64();
    let isolated_unmet = record.total(|t| t.isolated_unmet).as_f64();
    let weak_need = record.total(|t| t.weak_network_need).as_f64();
    let weak_unmet = record.total(|t| t.weak_network_unmet).as_f64();
    let intakes = record.count(|t| t.intakes) as f64;
    row.optional(
        "isolated_residents_unmet_share",
        share(isolated_unmet, isolated_need),
    )
    .optional("unmet_on_isolated_share", share(isolated_unmet, unmet))
    .optional("weak_network_unmet_share", share(weak_unmet, weak_need))
    .optional(
        "other_unmet_share",
        share(unmet - weak_unmet, need - weak_need),
    )
    .optional("unmet_on_weak_networks_share", share(weak_unmet, unmet))
    .hours(
        "informal_hours_to_reluctant",
        record.total(|t| t.informal_to_reluctant),
    )
    .optional(
        "mean_weeks_before_intake",
        share(record.count(|t| t.weeks_before_intake) as f64, intakes),
    )
    .hours("asked_hours", record.total(|t| t.asked))
    .hours("favour_hours", record.total(|t| t.favours));
}

/// Residents' help to their parents outside the area: hours in all and by
/// distance, and those parents' need (docs/ODD.md §9).
fn outbound_columns(row: &mut Row, record: &RunRecord) {
    let outbound = record.total(|t| t.outbound);
    row.hours("outbound_hours", outbound);
    for band in DistanceBand::ALL {
        row.hours(
            format!("outbound_hours_{band}"),
            record.total(|t| t.outbound_by_distance(*band)),
        );
    }
    row.hours(
        "outbound_nursing_home_hours",
        record.total(|t| t.outbound_nursing_home),
    );
    row.hours(
        "outside_parent_need_hours",
        record.total(|t| t.outside_parent_need),
    );
}

/// What the run's formal hours and its levers cost, in euros (docs/ODD.md §9.12).
fn cost_columns(row: &mut Row, scenario: &Scenario, record: &RunRecord) {
    let levers = scenario
        .cost
        .intervention_cost(scenario, record.weeks.len());
    priced_columns(row, &scenario.cost, &record.weeks, levers);
}

/// The cost columns of a run or a year (docs/ODD.md §9.9, §9.13): the formal
/// hours of `weeks` priced, in all, then the levers' cost `levers`, then the
/// formal cost by who pays it (after the first two, which they add up to).
pub(super) fn priced_columns(row: &mut Row, cost: &CostParams, weeks: &[WeekTally], levers: f64) {
    let by_task = |field: fn(&WeekTally) -> &PerTask<HoursTotal>| {
        let mut sum = [HoursTotal::default(); Task::COUNT];
        for week in weeks {
            for (s, hours) in sum.iter_mut().zip(field(week)) {
                *s += *hours;
            }
        }
        sum
    };
    let all = by_task(|t| &t.formal_by_task);
    let split = cost.formal_cost_by_payer(
        &all,
        &by_task(|t| &t.respite_by_task),
        &by_task(|t| &t.long_term_care_by_task),
    );
    row.put("formal_cost_eur", format!("{:.2}", cost.formal_cost(&all)))
        .put("intervention_cost_eur", format!("{levers:.2}"))
        .put("formal_cost_wmo_eur", format!("{:.2}", split.wmo))
        .put("formal_cost_zvw_eur", format!("{:.2}", split.zvw))
        .put("formal_cost_wlz_eur", format!("{:.2}", split.wlz));
}

/// One row per metric of a set of summary rows: n, mean, standard deviation and
/// 95% interval of the mean over the rows (NA values left out).
pub fn aggregate_rows(rows: &[Row]) -> Vec<Row> {
    aggregate_columns(rows, |column| metrics::find(column).is_some())
}

/// [`aggregate_rows`] of the columns `keep` keeps, in the rows' order.
pub fn aggregate_columns(rows: &[Row], keep: impl Fn(&str) -> bool) -> Vec<Row> {
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    first
        .0
        .iter()
        .map(|(column, _)| column.as_str())
        .filter(|column| keep(column))
        .map(|metric| {
            let values: Vec<f64> = rows
                .iter()
                .filter_map(|r| r.get(metric).and_then(|v| v.parse::<f64>().ok()))
                .collect();
            let estimate = Estimate::of(&values);
            let mut row = Row::default();
            row.put("metric", metric)
                .put("n", estimate.map_or(0, |e| e.n))
                .optional("mean", estimate.map(|e| e.mean))
                .optional("sd", estimate.and_then(|e| e.sd))
                .optional("ci95_low", estimate.and_then(|e| e.ci95).map(|c| c.0))
                .optional("ci95_high", estimate.and_then(|e| e.ci95).map(|c| c.1));
            row
        })
        .collect()
}

/// The calibration metrics (docs/ODD.md §1.3).
fn calibration_columns(row: &mut Row, record: &RunRecord) {
    let c = record.calibration.clone().unwrap_or_default();
    carer_share_columns(row, &c);
    help_to_55plus_columns(row, record, &c);
    carer_age_and_relation_columns(row, &c);
    children_and_receivers_columns(row, &c);
}

/// The carers' shares of residents, their hours and burden, by age.
fn carer_share_columns(row: &mut Row, c: &Calibration) {
    row.optional("carers_broad_share", c.carers_broad_share)
        .optional("carers_cbs_share", c.carers_cbs_share)
        .optional("cbs_carer_mean_hours", c.cbs_carer_mean_hours)
        .optional(
            "intensive_share_of_cbs_carers",
            c.intensive_share_of_cbs_carers,
        )
        .optional(
            "heavily_burdened_share_of_cbs_carers",
            c.heavily_burdened_share_of_cbs_carers,
        );
    for (band, value) in crate::kinds::AgeBand::ALL
        .iter()
        .zip(c.cbs_carer_share_by_age)
    {
        row.optional(format!("cbs_carer_share_{band}"), value);
    }
}

/// Who helps the over-55s (relatives, friends, neighbours), isolation,
/// volunteering and kin nearby.
fn help_to_55plus_columns(row: &mut Row, record: &RunRecord, c: &Calibration) {
    let to_55plus: HoursTotal = record.weeks.iter().flat_map(|t| t.informal_to_55plus).sum();
    let from = |kind: TieKind| -> HoursTotal {
        record
            .weeks
            .iter()
            .map(|t| t.informal_to_55plus[kind.index()])
            .sum()
    };
    row.optional(
        "relatives_share_of_care_pairs",
        c.relatives_share_of_care_pairs,
    )
    .optional(
        "friends_share_of_help_to_55plus",
        share(from(TieKind::Friend).as_f64(), to_55plus.as_f64()),
    )
    .optional(
        "neighbours_share_of_help_to_55plus",
        share(from(TieKind::Neighbour).as_f64(), to_55plus.as_f64()),
    )
    .optional(
        "friends_share_of_carers_of_55plus",
        c.friends_share_of_carers_of_55plus,
    )
    .optional(
        "neighbours_share_of_carers_of_55plus",
        c.neighbours_share_of_carers_of_55plus,
    )
    .optional("isolated_share", c.isolated_share)
    .optional("volunteering_share", c.volunteering_share)
    .optional("kin_within_5km_share", c.kin_within_5km_share);
}

/// CBS's carers by their age and by whom they care for, and their hours.
fn carer_age_and_relation_columns(row: &mut Row, c: &Calibration) {
    for (band, value) in CarerAgeBand::ALL.iter().zip(c.cbs_carers_by_age) {
        row.optional(format!("cbs_carers_aged_{band}_share"), value);
    }
    for (band, value) in CarerAgeBand::ALL.iter().zip(c.cbs_carer_rate_by_age) {
        row.optional(format!("cbs_carer_rate_aged_{band}"), value);
    }
    for (relation, value) in CareRelation::ALL.iter().zip(c.cbs_carers_by_relation) {
        row.optional(format!("cbs_carers_of_{relation}_share"), value);
    }
    row.optional("cbs_carers_of_in_law_share", c.cbs_carers_of_in_law_share);
    for (relation, value) in CareRelation::ALL
        .iter()
        .zip(c.cbs_carer_mean_hours_by_relation)
    {
        row.optional(format!("cbs_carer_mean_hours_of_{relation}"), value);
    }
    row.optional(
        "cbs_carer_mean_hours_heavily_burdened",
        c.cbs_carer_mean_hours_heavily_burdened,
    );
    row.optional(
        "cbs_carer_mean_hours_not_heavily_burdened",
        c.cbs_carer_mean_hours_not_heavily_burdened,
    );
}

/// The children of over-80s who care, and the receivers of care by age and sex.
fn children_and_receivers_columns(row: &mut Row, c: &Calibration) {
    row.optional(
        "children_of_80plus_caring_share",
        c.children_of_80plus_caring_share,
    )
    .optional(
        "children_of_80plus_intensive_share",
        c.children_of_80plus_intensive_share,
    )
    .optional(
        "children_of_80plus_cbs_carers_share",
        c.children_of_80plus_cbs_carers_share,
    )
    .optional(
        "children_of_80plus_cbs_intensive_share",
        c.children_of_80plus_cbs_intensive_share,
    )
    .optional("receivers_55plus_share", c.receivers_55plus_share)
    .optional("receivers_75plus_share", c.receivers_75plus_share)
    .optional("cbs_carers_women_share", c.cbs_carers_women_share)
    .optional("carers_cbs_share_men", c.carers_cbs_share_by_sex[0])
    .optional("carers_cbs_share_women", c.carers_cbs_share_by_sex[1])
    .optional(
        "receivers_55plus_share_men",
        c.receivers_55plus_share_by_sex[0],
    )
    .optional(
        "receivers_55plus_share_women",
        c.receivers_55plus_share_by_sex[1],
    )
    .optional(
        "receivers_75plus_share_men",
        c.receivers_75plus_share_by_sex[0],
    )
    .optional(
        "receivers_75plus_share_women",
        c.receivers_75plus_share_by_sex[1],
    )
    .optional("receivers_55plus_mean_hours", c.receivers_55plus_mean_hours)
    .optional(
        "receivers_55plus_mean_hours_alone",
        c.receivers_55plus_mean_hours_alone,
    )
    .optional(
        "receivers_55plus_mean_hours_with_partner",
        c.receivers_55plus_mean_hours_with_partner,
    );
}

/// One outcome table: its header's template row and its rows.
pub struct Table<'a> {
    pub template: Row,
    /// Made as they are read: flows.csv's rows a week at a time.
    pub rows: Box<dyn Iterator<Item = Row> + 'a>,
}

/// The four outcome tables of a run folder by file name (`write_run` writes them).
pub fn outcome_tables<'a>(
    scenario: &Scenario,
    residents: usize,
    record: &'a RunRecord,
) -> [(&'static str, Table<'a>); 4] {
    let timeseries = Table {
        template: timeseries_row(&WeekTally::new(0, scenario.neighbourhoods.len())),
        rows: Box::new(record.weeks.iter().map(timeseries_row)),
    };
    let flows = Table {
        template: flow_row(
            0,
            FlowCell {
                direction: Direction::Inbound,
                kind: TieKind::Kin,
                task: Task::Household,
                locality: Locality::Outside,
                distance: DistanceBand::Under1Km,
            },
            Flow::default(),
        ),
        rows: Box::new(flow_rows_by_week(record)),
    };
    let empty = RunRecord::default();
    let neighbourhoods = Table {
        template: neighbourhood_rows(scenario, &empty)
            .into_iter()
            .next()
            .unwrap_or_default(),
        rows: Box::new(neighbourhood_rows(scenario, record).into_iter()),
    };
    let summary = summary_row(scenario, residents, record);
    let summary = Table {
        template: summary.clone(),
        rows: Box::new(std::iter::once(summary)),
    };
    [
        ("timeseries.csv", timeseries),
        ("flows.csv", flows),
        ("neighbourhoods.csv", neighbourhoods),
        ("summary.csv", summary),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value summary_row works out has its row in the metric table, and
    /// every metric of the table a value.
    #[test]
    fn floating_point_cells_keep_their_decimal_point_when_whole() {
        // QA 37: a run whose waiting list stayed empty wrote mean_waiting_list
        // as "0", and pandas read the column as int64.
        let mut row = Row::default();
        row.put("mean", 0.0_f64)
            .put("share", 1.0_f64)
            .put("strain", 2.0_f32)
            .put("fraction", 0.25_f64)
            .put("large", 1.0e21_f64)
            .put("count", 3_u64)
            .optional("na", None)
            .optional("whole", Some(7.0));
        assert_eq!(row.get("mean"), Some("0.0"));
        assert_eq!(row.get("share"), Some("1.0"));
        assert_eq!(row.get("strain"), Some("2.0"));
        assert_eq!(row.get("fraction"), Some("0.25"));
        assert_eq!(row.get("large"), Some("1000000000000000000000.0"));
        assert_eq!(row.get("count"), Some("3"));
        assert_eq!(row.get("na"), Some(""));
        assert_eq!(row.get("whole"), Some("7.0"));
    }

    #[test]
    fn summary_columns_are_the_metric_table() {
        let scenario = Scenario::default();
        let values = summary_values(&scenario, 0, &RunRecord::default());
        let worked_out: Vec<&str> = values.0.iter().map(|(c, _)| c.as_str()).collect();
        let table: Vec<&str> = metrics::summary_columns().collect();
        assert_eq!(worked_out, table);
        let row = summary_row(&scenario, 0, &RunRecord::default());
        assert!(row.0.iter().map(|(c, _)| c.as_str()).eq(table));
    }
}
