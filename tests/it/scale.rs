//! The scale consistency check (`carenet bench --consistency`) at a size the test
//! suite can afford: ten replicates of a 10,000-adult area against one run of a
//! 100,000-adult area built by the same recipe. Per-capita outcomes must agree,
//! and a bias injected into the larger area only must be caught, so the check is
//! known to be able to fail.

use std::sync::OnceLock;

use carenet::experiment::scale::{
    MetricCheck, Verdict, check_consistency, consistency_scenario, summary_of,
};
use carenet::output::Row;
use rayon::prelude::*;

const REFERENCE_ADULTS: u64 = 10_000;
const LARGER_ADULTS: u64 = 100_000;
const REPLICATES: u32 = 10;
const REPORTED_WEEKS: u32 = 52;

/// The reference replicates, run once for both tests.
fn reference() -> &'static [Row] {
    static REFERENCE: OnceLock<Vec<Row>> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        (1..=REPLICATES)
            .into_par_iter()
            .map(|r| {
                let scenario = consistency_scenario(REFERENCE_ADULTS, r, REPORTED_WEEKS)
                    .expect("the ladder's scenario is valid");
                summary_of(&scenario)
            })
            .collect()
    })
}

fn describe(checks: &[MetricCheck]) -> String {
    checks
        .iter()
        .map(|c| {
            format!(
                "{}: {:?} against {:?} ({})",
                c.metric.name,
                c.value,
                c.interval,
                c.label()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn per_capita_outcomes_of_a_ten_times_larger_area_agree() {
    let larger = consistency_scenario(LARGER_ADULTS, REPLICATES + 1, REPORTED_WEEKS)
        .expect("the ladder's scenario is valid");
    let checks = check_consistency(reference(), &summary_of(&larger));
    assert!(
        !checks.iter().any(MetricCheck::fails),
        "per-capita outcomes drift with size:\n{}",
        describe(&checks)
    );
    assert!(
        checks
            .iter()
            .all(|c| c.metric.depends_on_width || c.verdict == Verdict::Agrees),
        "every metric that should not depend on size is judged and agrees:\n{}",
        describe(&checks)
    );
}

#[test]
fn a_bias_in_the_larger_area_only_is_caught() {
    let mut biased = consistency_scenario(LARGER_ADULTS, REPLICATES + 1, REPORTED_WEEKS)
        .expect("the ladder's scenario is valid");
    // Helpers in the larger area give less readily (giving's base at −1, 2.2
    // below the default): what a size-dependent bug in giving would look like.
    // Since session 21's heavy needs at home, which partners carry, the unmet
    // share varies more between small replicates and a bias in giving must be
    // larger to show in it.
    biased.behaviour.asking.give.base = -1.0;
    let checks = check_consistency(reference(), &summary_of(&biased));
    let caught: Vec<&str> = checks
        .iter()
        .filter(|c| c.fails())
        .map(|c| c.metric.name)
        .collect();
    assert!(
        caught.contains(&"unmet_share"),
        "the injected bias went unnoticed:\n{}",
        describe(&checks)
    );
}
