//! The scale ladder behind `carenet bench`: synthetic areas that differ only in
//! size, and the check that per-capita outcomes do not drift with size.
//!
//! Every rung is `carenet synth` with the same adults per neighbourhood (the Dutch
//! average of about 1,150 adults per buurt: 15 million adults in about 13,000
//! buurten) and the same density, so a larger area is more neighbourhoods of the
//! same kind, not denser or bigger ones, and all rules run at every size.
//!
//! The consistency check compares a larger area's single run with replicates of a
//! smaller one. Per-capita metrics (shares, hours per resident, events per 1,000
//! residents) should agree whatever the size; each is judged against the 95%
//! prediction interval of one new run from the smaller area's replicates
//! (mean ± t(n−1) · sd · √(1 + 1/n)). That interval is conservative for the
//! larger run, whose own spread is smaller (more residents average out), so a
//! failure is a real drift with size, not noise.
//!
//! The locality shares (within the neighbourhood, across neighbourhoods, from
//! outside) and the informal share of need are reported but not judged: they
//! depend on the area's width by construction, since a wider area holds more of
//! each resident's family (`SizeFreeMetric::depends_on_width`).

use crate::experiment::stats::{Estimate, t_quantile_975};
use crate::experiment::{Run, replicate_seed};
use crate::output::{Row, summary_row};
use crate::scenario::{Scenario, ScenarioError, SynthSpec, parse_str, synth_scenario};

/// Adults per neighbourhood on every rung: the Netherlands' 15 million adults
/// over about 13,000 buurten.
pub const ADULTS_PER_NEIGHBOURHOOD: u64 = 1_150;

/// Adults per km² inside a neighbourhood on every rung (`carenet synth`'s default,
/// an ordinary Dutch urban density).
pub const DENSITY_PER_KM2: f64 = 3_000.0;

/// The largest area the scenario checks accept (`validate.rs`).
const MAX_ADULTS: u64 = 400_000_000;

/// Reads a size such as `10k`, `1m`, `1.5m` or `25000` as a number of adults.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim().to_ascii_lowercase().replace('_', "");
    let (number, factor) = match trimmed.chars().last() {
        Some('k') => (&trimmed[..trimmed.len() - 1], 1e3),
        Some('m') => (&trimmed[..trimmed.len() - 1], 1e6),
        _ => (trimmed.as_str(), 1.0),
    };
    let value: f64 = number.parse().map_err(|_| {
        format!("`{text}` is not a size; write a number of adults such as 25000, 10k or 1.5m")
    })?;
    let adults = (value * factor).round();
    if !(1.0..=MAX_ADULTS as f64).contains(&adults) {
        return Err(format!(
            "`{text}` is outside 1 to {MAX_ADULTS} adults; choose a size in that range"
        ));
    }
    Ok(adults as u64)
}

/// A size as the ladder writes it: `10k`, `1m`, `1.5m`, or the plain number.
pub fn size_label(adults: u64) -> String {
    if adults >= 1_000_000 && adults.is_multiple_of(100_000) {
        format!("{}m", adults as f64 / 1e6)
    } else if adults >= 1_000 && adults.is_multiple_of(1_000) {
        format!("{}k", adults / 1_000)
    } else {
        adults.to_string()
    }
}

/// The `carenet synth` request for a rung of `adults` adults; `layout_seed` draws
/// the neighbourhood sizes and climates.
pub fn ladder_spec(adults: u64, layout_seed: u64) -> SynthSpec {
    let neighbourhoods = ((adults as f64 / ADULTS_PER_NEIGHBOURHOOD as f64).round() as u64)
        .clamp(1, u64::from(u32::MAX));
    SynthSpec {
        adults,
        neighbourhoods: neighbourhoods as u32,
        density_per_km2: DENSITY_PER_KM2,
        seed: layout_seed,
    }
}

/// The scenario of a rung, read back from the text `carenet synth` writes, so it
/// is exactly the file a user would generate and run.
pub fn ladder_scenario(adults: u64, layout_seed: u64) -> Result<Scenario, ScenarioError> {
    let spec = ladder_spec(adults, layout_seed);
    let text = synth_scenario(&spec).map_err(|e| ScenarioError::Invalid {
        file: "the generated scenario".into(),
        problems: vec![crate::scenario::Problem {
            path: String::new(),
            position: None,
            message: format!("cannot serialise the synthetic area: {e}"),
            fix: "report this as a bug".into(),
        }],
    })?;
    parse_str(&text, "the generated scenario")
}

/// Replicate `r` (from 1) of a rung for the consistency check: its own layout
/// (neighbourhood sizes and climates drawn with seed `r`) and its own run seed, so
/// the replicates' spread covers both the area's layout and the run's chance.
pub fn consistency_scenario(
    adults: u64,
    replicate: u32,
    reported_weeks: u32,
) -> Result<Scenario, ScenarioError> {
    let mut scenario = ladder_scenario(adults, u64::from(replicate))?;
    scenario.seed = replicate_seed(scenario.seed, replicate);
    scenario.weeks = reported_weeks;
    Ok(scenario)
}

/// Builds and runs a scenario and returns its `summary.csv` row.
pub fn summary_of(scenario: &Scenario) -> Row {
    let run = Run::execute(scenario, &mut |_| {});
    summary_row(scenario, run.world().people.area_residents(), &run.record)
}

/// A per-capita quantity worked out from a `summary.csv` row (a column of the
/// metric table, `crate::metrics`, taken as it is or divided by residents and
/// weeks): one that should not depend on the area's size.
#[derive(Debug, Clone, Copy)]
pub struct SizeFreeMetric {
    pub name: &'static str,
    pub meaning: &'static str,
    /// Where helpers live rather than how much help there is: these shares
    /// depend on the area's width, because kin, friends and acquaintances
    /// elsewhere in the area are drawn at distances cut at the area's diameter
    /// (`network::spatial`), so in a narrower area they live closer. Since the
    /// generations (docs/ODD.md §7.4.1) carers and isolation depend on the width
    /// too: a wider area holds more of each resident's parents, children and
    /// siblings, and until care to relatives outside the area is modelled (ODD
    /// §10.0) only those inside can be cared for. Reported with their interval
    /// but not judged.
    pub depends_on_width: bool,
    value: fn(&Row) -> Option<f64>,
}

impl SizeFreeMetric {
    /// The metric's value in a `summary.csv` row; `None` when it is NA.
    pub fn of(&self, row: &Row) -> Option<f64> {
        (self.value)(row).filter(|v| v.is_finite())
    }
}

fn column(row: &Row, name: &str) -> Option<f64> {
    row.get(name).and_then(|v| v.parse::<f64>().ok())
}

fn ratio(row: &Row, numerator: &str, denominator: &str) -> Option<f64> {
    let d = column(row, denominator)?;
    (d != 0.0).then_some(column(row, numerator)? / d)
}

/// A count per 1,000 residents per 52 reported weeks.
fn per_1000_a_year(row: &Row, count: &str) -> Option<f64> {
    let resident_weeks = column(row, "residents")? * column(row, "weeks")?;
    (resident_weeks > 0.0).then_some(column(row, count)? / resident_weeks * 52.0 * 1000.0)
}

macro_rules! share_column {
    ($name:literal, $meaning:literal) => {
        SizeFreeMetric {
            name: $name,
            meaning: $meaning,
            depends_on_width: false,
            value: |row| column(row, $name),
        }
    };
    ($name:literal, $meaning:literal, depends_on_width) => {
        SizeFreeMetric {
            name: $name,
            meaning: $meaning,
            depends_on_width: true,
            value: |row| column(row, $name),
        }
    };
}

/// The metrics the consistency check compares across sizes. Totals (hours,
/// burnouts, intakes) are divided by residents and weeks; shares and means are
/// taken as they are.
pub const PER_CAPITA_METRICS: [SizeFreeMetric; 19] = [
    SizeFreeMetric {
        name: "need_hours_per_resident_week",
        meaning: "hours of need per resident per reported week",
        depends_on_width: false,
        value: |row| {
            let resident_weeks = column(row, "residents")? * column(row, "weeks")?;
            (resident_weeks > 0.0).then_some(column(row, "need_hours")? / resident_weeks)
        },
    },
    // Since generations and care for parents outside the area (docs/ODD.md
    // §7.4.1, §7.10.19), a wider area holds more of each resident's family: more
    // parents are residents whose need is the area's, fewer are outside alters
    // whom residents help outside it, and relatives nearer by help more.
    SizeFreeMetric {
        name: "informal_share_of_need",
        meaning: "share of need met by informal help",
        depends_on_width: true,
        value: |row| ratio(row, "informal_hours", "need_hours"),
    },
    SizeFreeMetric {
        name: "household_share_of_need",
        meaning: "share of need met within the household",
        depends_on_width: false,
        value: |row| ratio(row, "household_hours", "need_hours"),
    },
    SizeFreeMetric {
        name: "formal_share_of_need",
        meaning: "share of need met by professionals",
        depends_on_width: false,
        value: |row| ratio(row, "formal_hours", "need_hours"),
    },
    share_column!("unmet_share", "share of need left unmet"),
    share_column!(
        "residents_with_unmet_need_share",
        "share of residents in need with some need unmet"
    ),
    share_column!(
        "within_neighbourhood_share",
        "informal hours from the same neighbourhood",
        depends_on_width
    ),
    share_column!(
        "cross_neighbourhood_share",
        "informal hours from another neighbourhood",
        depends_on_width
    ),
    share_column!(
        "outside_share",
        "informal hours from outside the area",
        depends_on_width
    ),
    share_column!("mean_strain", "carers' mean strain"),
    share_column!("p90_strain", "carers' 90th-percentile strain"),
    SizeFreeMetric {
        name: "burnouts_per_1000_a_year",
        meaning: "burnouts per 1,000 residents per 52 weeks",
        depends_on_width: false,
        value: |row| per_1000_a_year(row, "burnouts"),
    },
    SizeFreeMetric {
        name: "intakes_per_1000_a_year",
        meaning: "formal intakes per 1,000 residents per 52 weeks",
        depends_on_width: false,
        value: |row| per_1000_a_year(row, "intakes"),
    },
    share_column!(
        "intake_network_burdened_share",
        "intakes whose network was already burdened"
    ),
    share_column!("mean_wait_weeks", "mean weeks on the waiting list"),
    share_column!(
        "carers_broad_share",
        "share of residents who gave care",
        depends_on_width
    ),
    share_column!(
        "cbs_carer_mean_hours",
        "hours a week per carer (CBS sense)",
        depends_on_width
    ),
    share_column!(
        "heavily_burdened_share_of_cbs_carers",
        "share of carers heavily burdened"
    ),
    share_column!(
        "isolated_share",
        "share of residents without ties besides a partner",
        depends_on_width
    ),
];

/// How a metric of the larger area compares with the smaller area's replicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Inside the prediction interval.
    Agrees,
    /// Outside it: the metric drifts with size.
    Differs,
    /// Not enough values to judge (NA in the run, or fewer than two replicates
    /// with a value).
    NotJudged,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Agrees => "agrees",
            Verdict::Differs => "differs",
            Verdict::NotJudged => "not judged",
        }
    }
}

/// One metric of the consistency check.
#[derive(Debug, Clone)]
pub struct MetricCheck {
    pub metric: SizeFreeMetric,
    /// Over the smaller area's replicates.
    pub reference: Option<Estimate>,
    /// The 95% prediction interval of one more run of the smaller area.
    pub interval: Option<(f64, f64)>,
    /// The larger area's value.
    pub value: Option<f64>,
    pub verdict: Verdict,
}

impl MetricCheck {
    /// Whether the check fails on this metric: it differs and it should not
    /// depend on the area's size.
    pub fn fails(&self) -> bool {
        self.verdict == Verdict::Differs && !self.metric.depends_on_width
    }

    /// The verdict as printed: failures in capitals, width-dependent shares
    /// marked as such.
    pub fn label(&self) -> &'static str {
        match (self.verdict, self.metric.depends_on_width) {
            (Verdict::Differs, false) => "DIFFERS",
            (Verdict::Differs, true) => "differs (depends on width)",
            (Verdict::Agrees, true) => "agrees (depends on width)",
            (verdict, _) => verdict.name(),
        }
    }
}

/// The 95% interval in which one new run from the same distribution as the
/// sample falls: mean ± t(n−1) · sd · √(1 + 1/n). `None` below two values.
pub fn prediction_interval(estimate: &Estimate) -> Option<(f64, f64)> {
    let sd = estimate.sd?;
    let n = estimate.n as f64;
    let half = t_quantile_975(estimate.n - 1) * sd * (1.0 + 1.0 / n).sqrt();
    Some((estimate.mean - half, estimate.mean + half))
}

/// Judges every per-capita metric of `larger` (one run) against the replicates of
/// the smaller area (`reference`, summary rows).
pub fn check_consistency(reference: &[Row], larger: &Row) -> Vec<MetricCheck> {
    PER_CAPITA_METRICS
        .iter()
        .map(|metric| {
            let values: Vec<f64> = reference.iter().filter_map(|r| metric.of(r)).collect();
            let estimate = Estimate::of(&values);
            let interval = estimate.as_ref().and_then(prediction_interval);
            let value = metric.of(larger);
            let verdict = match (interval, value) {
                (Some((low, high)), Some(v)) => {
                    // A metric that never varies (an interval of zero width) agrees
                    // when equal up to rounding.
                    let slack = 1e-9 * v.abs().max(1.0);
                    if v >= low - slack && v <= high + slack {
                        Verdict::Agrees
                    } else {
                        Verdict::Differs
                    }
                }
                _ => Verdict::NotJudged,
            };
            MetricCheck {
                metric: *metric,
                reference: estimate,
                interval,
                value,
                verdict,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns taken as they are must not be totals that grow with the area
    /// (the metric table's per-capita flag); the totals this check divides by
    /// residents and weeks are.
    #[test]
    fn per_capita_choices_agree_with_the_metric_table() {
        for metric in PER_CAPITA_METRICS {
            if let Some(entry) = crate::metrics::find(metric.name) {
                assert!(!entry.per_capita, "{} is a total", metric.name);
            }
        }
        for total in ["need_hours", "burnouts", "intakes"] {
            assert!(crate::metrics::find(total).is_some_and(|m| m.per_capita));
        }
    }

    #[test]
    fn sizes_read_with_suffixes_and_print_back() {
        assert_eq!(parse_size("10k"), Ok(10_000));
        assert_eq!(parse_size("1M"), Ok(1_000_000));
        assert_eq!(parse_size("1.5m"), Ok(1_500_000));
        assert_eq!(parse_size("25_000"), Ok(25_000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("500m").is_err());
        for adults in [10_000, 100_000, 1_000_000, 15_000_000, 1_500_000, 12_345] {
            assert_eq!(parse_size(&size_label(adults)), Ok(adults));
        }
    }

    #[test]
    fn rungs_have_the_dutch_adults_per_neighbourhood() {
        assert_eq!(ladder_spec(15_000_000, 1).neighbourhoods, 13_043);
        assert_eq!(ladder_spec(1_000_000, 1).neighbourhoods, 870);
        assert_eq!(ladder_spec(100, 1).neighbourhoods, 1);
        let scenario = ladder_scenario(20_000, 1).expect("valid");
        assert_eq!(scenario.area_adults(), 20_000);
        assert_eq!(scenario.neighbourhoods.len(), 17);
    }

    fn row(unmet_share: f64) -> Row {
        Row(vec![
            ("residents".into(), "1000".into()),
            ("weeks".into(), "52".into()),
            ("unmet_share".into(), unmet_share.to_string()),
            ("burnouts".into(), "10".into()),
        ])
    }

    #[test]
    fn a_run_inside_the_prediction_interval_agrees_and_a_shifted_one_differs() {
        let reference: Vec<Row> = [0.20, 0.21, 0.22, 0.19, 0.20, 0.21]
            .into_iter()
            .map(row)
            .collect();
        let find = |checks: &[MetricCheck], name: &str| {
            checks
                .iter()
                .find(|c| c.metric.name == name)
                .expect("metric checked")
                .clone()
        };
        let close = check_consistency(&reference, &row(0.215));
        assert_eq!(find(&close, "unmet_share").verdict, Verdict::Agrees);
        // Constant across replicates and equal: agrees; NA everywhere: not judged.
        assert_eq!(
            find(&close, "burnouts_per_1000_a_year").verdict,
            Verdict::Agrees
        );
        assert_eq!(find(&close, "mean_strain").verdict, Verdict::NotJudged);
        let shifted = check_consistency(&reference, &row(0.26));
        let unmet = find(&shifted, "unmet_share");
        assert_eq!(unmet.verdict, Verdict::Differs);
        let (low, high) = unmet.interval.expect("interval");
        // Wider than the confidence interval of the mean, by √(n + 1).
        let (c_low, c_high) = unmet.reference.and_then(|e| e.ci95).expect("ci");
        assert!(((high - low) / (c_high - c_low) - 7f64.sqrt()).abs() < 1e-9);
    }
}
