//! The classroom exercises of docs/teaching/: each runs its settings with
//! replicates (common seeds) through the page's own levers and asserts the
//! direction the exercise tells students to expect. Small areas and few weeks,
//! so that they stay quick; the claims are the research's, not today's numbers.

use carenet::experiment::{Run, replicate_seed};
use carenet::output::summary_row;
use carenet::page::levers::{RunRequest, plan};
use carenet::scenario::HelpRadius;

const REPLICATES: u32 = 4;

/// The mean of `metric` over replicates of the built-in setting with the page's
/// levers set as in `request`, shrunk to a small area.
fn mean(request: RunRequest, metric: &str) -> f64 {
    let base = plan(&request).expect("the levers are valid").scenario;
    let mut total = 0.0;
    for r in 1..=REPLICATES {
        let mut scenario = base.clone();
        for n in &mut scenario.neighbourhoods {
            n.adults = n.adults.min(400);
        }
        scenario.burn_in_weeks = 26;
        scenario.weeks = 26;
        scenario.seed = replicate_seed(base.seed, r);
        let run = Run::execute(&scenario, &mut |_| {});
        let row = summary_row(&scenario, run.world().people.area_residents(), &run.record);
        let value: f64 = row.get(metric).and_then(|v| v.parse().ok()).expect(metric);
        total += value;
    }
    total / f64::from(REPLICATES)
}

fn baseline() -> RunRequest {
    RunRequest {
        scenario: "baseline".into(),
        ..RunRequest::default()
    }
}

/// Exercise 1 (Linders): help only from the own neighbourhood leaves much more
/// need unmet than help from anywhere.
#[test]
fn exercise_1_neighbourhood_bound_help_leaves_more_need_unmet() {
    let anywhere = mean(baseline(), "unmet_share");
    let bound = mean(
        RunRequest {
            help_radius: Some(HelpRadius::Neighbourhood),
            ..baseline()
        },
        "unmet_share",
    );
    assert!(bound > anywhere + 0.02, "unmet share {anywhere} → {bound}");
}

/// Exercise 2 (De Lange): fewer professional hours make residents wait longer.
#[test]
fn exercise_2_less_formal_capacity_means_longer_waits() {
    let usual = mean(baseline(), "mean_wait_weeks");
    let scarce = mean(
        RunRequest {
            formal_capacity: Some(100.0),
            ..baseline()
        },
        "mean_wait_weeks",
    );
    assert!(scarce > usual, "mean wait {usual} → {scarce} weeks");
}

/// Exercise 3 (Welschen): where trust in formal care is low, more need is left
/// unmet.
#[test]
fn exercise_3_low_trust_leaves_more_need_unmet() {
    let trusting = mean(
        RunRequest {
            institutional_trust: Some(0.9),
            ..baseline()
        },
        "unmet_share",
    );
    let distrustful = mean(
        RunRequest {
            institutional_trust: Some(0.1),
            ..baseline()
        },
        "unmet_share",
    );
    assert!(
        distrustful > trusting,
        "unmet share {trusting} → {distrustful}"
    );
}
