//! Pattern-oriented validation: each stylised fact of docs/ODD.md §1.2 as an
//! experiment with replicates and common random numbers, judged by 95% intervals,
//! never by a single run.

use std::convert::Infallible;

use super::Run;
use super::replicates::map_replicates;
use super::stats::Estimate;
use crate::kinds::{EpisodeKind, Locality};
use crate::scenario::overrides::{self, Override, OverrideError};
use crate::scenario::{self, Scenario};
use crate::tally::{RunRecord, share};

/// The scenarios the facts use (the research settings without the baseline,
/// which the facts reach through their own files).
pub fn scenarios() -> &'static [(&'static str, &'static str)] {
    &scenario::RESEARCH_SCENARIOS[1..]
}

/// One judged quantity of a fact.
#[derive(Debug, Clone)]
pub struct Check {
    pub fact: &'static str,
    pub metric: String,
    pub estimate: Option<Estimate>,
    /// The criterion in words, e.g. "95% interval below 0.5".
    pub criterion: String,
    pub pass: bool,
    /// The verdict is near its criterion: the criterion lies within twice the
    /// interval's half-width of the mean, so another set of replicates may
    /// well give the other verdict (P3's strain check passed at 20 replicates
    /// and failed at 60, docs/ODD.md §1.2). A warning, not part of the verdict.
    pub near: bool,
}

/// What a check demands of the interval of its per-replicate values.
#[derive(Debug, Clone, Copy)]
enum Demand {
    Below(f64),
    Above(f64),
}

impl Demand {
    fn value(self) -> f64 {
        match self {
            Demand::Below(v) | Demand::Above(v) => v,
        }
    }

    /// Whether the criterion lies within twice the 95% interval's half-width
    /// of the mean (the interval twice as wide would reach it).
    fn near(self, e: Option<Estimate>) -> bool {
        e.and_then(|e| e.ci95.map(|(low, high)| (e.mean, (high - low) / 2.0)))
            .is_some_and(|(mean, half)| (mean - self.value()).abs() < 2.0 * half)
    }

    fn judge(self, e: Option<Estimate>) -> (String, bool) {
        match self {
            Demand::Below(v) => (
                format!("95% interval below {v}"),
                e.is_some_and(|e| e.below(v)),
            ),
            Demand::Above(v) => (
                format!("95% interval above {v}"),
                e.is_some_and(|e| e.above(v)),
            ),
        }
    }
}

fn check(fact: &'static str, metric: &str, values: &[f64], demand: Demand) -> Check {
    let estimate = Estimate::of(values);
    let (criterion, pass) = demand.judge(estimate);
    Check {
        fact,
        metric: metric.to_string(),
        estimate,
        criterion,
        pass,
        near: demand.near(estimate),
    }
}

/// What every fact runs with: replicates per variant, and the change the user
/// asked for (`carenet validate --set`), applied to each research scenario and
/// to the baseline before a fact makes its own variants.
pub struct Setup<'a> {
    pub replicates: u32,
    pub adjust: &'a (dyn Fn(&Scenario) -> Scenario + Sync),
}

impl Setup<'_> {
    /// The facts at the built-in scenarios as they are.
    pub fn plain(replicates: u32) -> Setup<'static> {
        Setup {
            replicates,
            adjust: &|s: &Scenario| s.clone(),
        }
    }

    fn library(&self, name: &str) -> Scenario {
        (self.adjust)(&library(name))
    }

    fn baseline(&self) -> Scenario {
        (self.adjust)(&baseline())
    }
}

/// The built-in research scenario `name`, as shipped.
pub fn library(name: &str) -> Scenario {
    let (_, text) = scenarios()
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a built-in scenario");
    scenario::parse_str(text, &format!("scenarios/{name}.toml"))
        .expect("built-in scenarios are valid")
}

/// The baseline, as shipped.
pub fn baseline() -> Scenario {
    scenario::parse_str(scenario::BASELINE_TOML, "scenarios/baseline.toml")
        .expect("the baseline is valid")
}

/// Runs `variants` for replicates 1..=n with common seeds (from the first
/// variant's seed); result[v][r] is variant v's record in replicate r.
fn run_all(variants: &[Scenario], replicates: u32) -> Vec<Vec<RunRecord>> {
    let refs: Vec<&Scenario> = variants.iter().collect();
    let records = map_replicates(&refs, replicates, |_, _, seeded| {
        Ok::<_, Infallible>(Run::execute(seeded, &mut |_| {}).record)
    })
    .unwrap_or_else(|never| match never {});
    let mut out: Vec<Vec<RunRecord>> = vec![Vec::new(); variants.len()];
    for (i, record) in records.into_iter().enumerate() {
        out[i / replicates as usize].push(record);
    }
    out
}

fn total_share(
    record: &RunRecord,
    part: impl Fn(&crate::tally::WeekTally) -> f64,
    whole: impl Fn(&crate::tally::WeekTally) -> f64,
) -> f64 {
    let p: f64 = record.weeks.iter().map(&part).sum();
    let w: f64 = record.weeks.iter().map(&whole).sum();
    share(p, w).unwrap_or(f64::NAN)
}

fn unmet_share(r: &RunRecord) -> f64 {
    total_share(r, |t| t.unmet.as_f64(), |t| t.need.as_f64())
}

/// Heavily burdened carers (strain at or above the burden threshold) in a mean
/// week. Not carers' mean strain: network-first activation draws in many helpers
/// who give little, and their low strain would dilute the mean even while the
/// strained carers become more.
fn heavily_burdened_carers(r: &RunRecord) -> f64 {
    r.weeks
        .iter()
        .map(|t| t.strain.heavily_burdened as f64)
        .sum::<f64>()
        / r.weeks.len().max(1) as f64
}

fn weeks_before_intake(r: &RunRecord) -> f64 {
    let weeks: u64 = r.weeks.iter().map(|t| t.weeks_before_intake).sum();
    let intakes: u64 = r.weeks.iter().map(|t| t.intakes).sum();
    share(weeks as f64, intakes as f64).unwrap_or(f64::NAN)
}

fn paired(a: &[RunRecord], b: &[RunRecord], f: impl Fn(&RunRecord) -> f64) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| f(x) - f(y)).collect()
}

/// P1 (Linders): in the cohesive neighbourhood, under half of informal help comes
/// from inside it.
fn p1(setup: &Setup) -> Vec<Check> {
    let s = setup.library("linders-drents-dorp");
    let n = s
        .neighbourhood_index("Drents Dorp")
        .expect("in the scenario");
    let runs = run_all(std::slice::from_ref(&s), setup.replicates);
    let values: Vec<f64> = runs[0]
        .iter()
        .map(|r| {
            let t = &r.neighbourhood_totals(s.neighbourhoods.len())[n];
            share(t.within.as_f64(), t.informal.as_f64()).unwrap_or(f64::NAN)
        })
        .collect();
    vec![check(
        "P1 Linders",
        "within-neighbourhood share of informal hours, Drents Dorp",
        &values,
        Demand::Below(0.5),
    )]
}

/// Per replicate: the least-squares slope of `per_resident` on cohesion across the
/// neighbourhoods, divided by its mean (relative change per unit of cohesion).
fn relative_slope(s: &Scenario, r: &RunRecord, kind: EpisodeKind) -> f64 {
    let totals = r.neighbourhood_totals(s.neighbourhoods.len());
    let points: Vec<(f64, f64)> = s
        .neighbourhoods
        .iter()
        .zip(&totals)
        .map(|(n, t)| {
            (
                n.cohesion,
                t.neighbour_by_episode[kind.index()].as_f64() / f64::from(n.adults),
            )
        })
        .collect();
    let k = points.len() as f64;
    let (mx, my) = (
        points.iter().map(|p| p.0).sum::<f64>() / k,
        points.iter().map(|p| p.1).sum::<f64>() / k,
    );
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    if my <= 0.0 || sxx <= 0.0 {
        return 0.0;
    }
    sxy / sxx / my
}

/// P2 (Jager-Vreugdenhil): neighbour help on emergencies follows cohesion,
/// neighbour help on long-term needs hardly does.
fn p2(setup: &Setup) -> Vec<Check> {
    let s = setup.library("jager-cohesion-gradient");
    let runs = run_all(std::slice::from_ref(&s), setup.replicates);
    let emergency: Vec<f64> = runs[0]
        .iter()
        .map(|r| relative_slope(&s, r, EpisodeKind::Emergency))
        .collect();
    let gap: Vec<f64> = runs[0]
        .iter()
        .map(|r| {
            relative_slope(&s, r, EpisodeKind::Emergency)
                - relative_slope(&s, r, EpisodeKind::LongTerm)
        })
        .collect();
    vec![
        check(
            "P2 Jager-Vreugdenhil",
            "relative slope of neighbour emergency hours on cohesion",
            &emergency,
            Demand::Above(0.0),
        ),
        check(
            "P2 Jager-Vreugdenhil",
            "emergency slope minus long-term slope",
            &gap,
            Demand::Above(0.0),
        ),
    ]
}

/// P3 (Bredewold): the network is involved at most intakes; network-first adds
/// little informal care and raises unmet need and strain.
fn p3(setup: &Setup) -> Vec<Check> {
    let nf = setup.library("bredewold-network-first");
    let base = Scenario {
        name: "bredewold-without".into(),
        formal: crate::scenario::FormalCare {
            network_first: false,
            ..nf.formal.clone()
        },
        ..nf.clone()
    };
    let runs = run_all(&[base, nf], setup.replicates);
    let involved: Vec<f64> = runs[0]
        .iter()
        .map(|r| {
            total_share(
                r,
                |t| t.intakes_network_involved as f64,
                |t| t.intakes as f64,
            )
        })
        .collect();
    let informal_gain = paired(&runs[1], &runs[0], |r| {
        r.weeks.iter().map(|t| t.informal.as_f64()).sum::<f64>()
    });
    let base_informal: f64 = runs[0]
        .iter()
        .map(|r| r.weeks.iter().map(|t| t.informal.as_f64()).sum::<f64>())
        .sum::<f64>()
        / f64::from(setup.replicates);
    let relative_gain: Vec<f64> = informal_gain.iter().map(|g| g / base_informal).collect();
    vec![
        check(
            "P3 Bredewold",
            "share of intakes with the network already involved",
            &involved,
            Demand::Above(0.5),
        ),
        check(
            "P3 Bredewold",
            "relative change of informal hours under network-first",
            &relative_gain,
            Demand::Below(0.05),
        ),
        check(
            "P3 Bredewold",
            "change of the unmet share under network-first",
            &paired(&runs[1], &runs[0], unmet_share),
            Demand::Above(0.0),
        ),
        check(
            "P3 Bredewold",
            "change of heavily burdened carers in a week under network-first",
            &paired(&runs[1], &runs[0], heavily_burdened_carers),
            Demand::Above(0.0),
        ),
    ]
}

/// P4 (Bredewold): a help exchange with a reciprocity rule raises help to those
/// reluctant to ask, compared with the same exchange without the rule.
fn p4(setup: &Setup) -> Vec<Check> {
    let with_exchange = |rule: bool| {
        let mut s = setup.baseline();
        s.name = format!("exchange-rule-{rule}");
        s.help_exchange.enabled = true;
        s.help_exchange.reciprocity_rule = rule;
        s
    };
    let runs = run_all(
        &[with_exchange(false), with_exchange(true)],
        setup.replicates,
    );
    let to_reluctant = |r: &RunRecord| {
        r.weeks
            .iter()
            .map(|t| t.informal_to_reluctant.as_f64())
            .sum::<f64>()
    };
    vec![check(
        "P4 Bredewold",
        "change of informal hours to reluctant askers with the reciprocity rule",
        &paired(&runs[1], &runs[0], to_reluctant),
        Demand::Above(0.0),
    )]
}

/// P5 (Welschen): low institutional trust delays applying and raises unmet
/// need; informal guides shorten the delay.
fn p5(setup: &Setup) -> Vec<Check> {
    let low = setup.library("welschen-low-trust");
    let mut high = low.clone();
    high.name = "welschen-high-trust".into();
    for n in &mut high.neighbourhoods {
        n.institutional_trust = 0.7;
    }
    let guides = setup.library("welschen-low-trust-guides");
    let runs = run_all(&[low, high, guides], setup.replicates);
    vec![
        check(
            "P5 Welschen",
            "weeks of unmet need before intake, low minus high trust",
            &paired(&runs[0], &runs[1], weeks_before_intake),
            Demand::Above(0.0),
        ),
        check(
            "P5 Welschen",
            "unmet share, low minus high trust",
            &paired(&runs[0], &runs[1], unmet_share),
            Demand::Above(0.0),
        ),
        check(
            "P5 Welschen",
            "weeks of unmet need before intake, with minus without guides",
            &paired(&runs[2], &runs[0], weeks_before_intake),
            Demand::Below(0.0),
        ),
    ]
}

fn weak_minus_other(r: &RunRecord) -> f64 {
    let weak = total_share(
        r,
        |t| t.weak_network_unmet.as_f64(),
        |t| t.weak_network_need.as_f64(),
    );
    let other = total_share(
        r,
        |t| t.unmet.as_f64() - t.weak_network_unmet.as_f64(),
        |t| t.need.as_f64() - t.weak_network_need.as_f64(),
    );
    weak - other
}

/// P6 (De Lange): small or weak networks carry more unmet need, and
/// network-first intake hits them hardest.
fn p6(setup: &Setup) -> Vec<Check> {
    let base = setup.library("delange-mutual-aid");
    let mut nf = base.clone();
    nf.name = "delange-network-first".into();
    nf.formal.network_first = true;
    let runs = run_all(&[base, nf], setup.replicates);
    let on_weak: Vec<f64> = runs[0]
        .iter()
        .map(|r| total_share(r, |t| t.weak_network_unmet.as_f64(), |t| t.unmet.as_f64()))
        .collect();
    vec![
        check(
            "P6 De Lange",
            "unmet share of weak networks minus that of the others",
            &runs[0].iter().map(weak_minus_other).collect::<Vec<_>>(),
            Demand::Above(0.0),
        ),
        check(
            "P6 De Lange",
            "share of all unmet hours carried by the fifth with the weakest networks",
            &on_weak,
            Demand::Above(0.5),
        ),
        check(
            "P6 De Lange",
            "network-first: rise of that gap (weak minus others)",
            &paired(&runs[1], &runs[0], weak_minus_other),
            Demand::Above(0.0),
        ),
    ]
}

/// P7 (Linders): as a population, residents ask for far fewer hours than they
/// give (here: asked hours below half of the household and informal hours given).
fn p7(setup: &Setup) -> Vec<Check> {
    let runs = run_all(&[setup.baseline()], setup.replicates);
    let ratio: Vec<f64> = runs[0]
        .iter()
        .map(|r| {
            let given: f64 = r
                .weeks
                .iter()
                .map(|t| {
                    t.household.as_f64() + t.informal.as_f64()
                        - t.by_locality[Locality::Outside.index()].as_f64()
                })
                .sum();
            let asked: f64 = r.weeks.iter().map(|t| t.asked.as_f64()).sum();
            share(asked, given).unwrap_or(f64::NAN)
        })
        .collect();
    vec![check(
        "P7 Linders",
        "hours asked / hours residents gave",
        &ratio,
        Demand::Below(0.5),
    )]
}

/// A fact's experiment: its setup in, checks out.
type Fact = fn(&Setup) -> Vec<Check>;

/// The facts, each with its experiment.
const FACTS: [(&str, Fact); 7] = [
    ("P1 Linders", p1),
    ("P2 Jager-Vreugdenhil", p2),
    ("P3 Bredewold", p3),
    ("P4 Bredewold", p4),
    ("P5 Welschen", p5),
    ("P6 De Lange", p6),
    ("P7 Linders", p7),
];

/// The facts' short names (P1 … P7), in order.
pub fn fact_ids() -> Vec<&'static str> {
    FACTS
        .iter()
        .filter_map(|(name, _)| name.split_whitespace().next())
        .collect()
}

/// Refuses a name in `only` that is no fact's, listing the facts: checked
/// before anything runs or is written (QA 40: `validate --fact P9` had made
/// the output folder's parent first).
pub fn check_fact_names(only: &[String]) -> Result<(), String> {
    let ids = fact_ids();
    match only
        .iter()
        .find(|o| !ids.iter().any(|id| id.eq_ignore_ascii_case(o)))
    {
        Some(unknown) => Err(format!(
            "no fact `{unknown}`; the facts are {}\n  fix: name one of them, e.g. --fact P2, \
             or leave --fact out to run all seven",
            ids.join(", ")
        )),
        None => Ok(()),
    }
}

/// The checks of the facts named in `only` (short names such as "P2", any
/// case; all facts when empty), with `setup`'s replicates per variant and its
/// change to the scenarios. An unknown name is an error that lists the known
/// ones.
pub fn validate(
    setup: &Setup,
    only: &[String],
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Check>, String> {
    check_fact_names(only)?;
    let ids = fact_ids();
    let mut checks = Vec::new();
    for ((name, fact), id) in FACTS.iter().zip(&ids) {
        if !only.is_empty() && !only.iter().any(|o| id.eq_ignore_ascii_case(o)) {
            continue;
        }
        progress(name);
        checks.extend(fact(setup));
    }
    Ok(checks)
}

/// Each fact with whether all its checks pass, in order.
pub fn reproduced(checks: &[Check]) -> Vec<(&'static str, bool)> {
    let mut out: Vec<(&'static str, bool)> = Vec::new();
    for c in checks {
        match out.iter_mut().find(|(f, _)| *f == c.fact) {
            Some((_, pass)) => *pass &= c.pass,
            None => out.push((c.fact, c.pass)),
        }
    }
    out
}

/// The parts of a scenario that describe its area and its run rather than the
/// model: what a fact sets up for itself and a calibration point does not
/// carry into the facts' scenarios.
pub const SETTING_SECTIONS: [&str; 10] = [
    "name",
    "description",
    "seed",
    "weeks",
    "burn_in_weeks",
    "neighbourhood",
    "association",
    "intervention",
    "cost",
    "demography",
];

/// Where `scenario`'s model parameters differ from the shipped baseline's, as
/// overrides: what a calibration on a scenario other than the baseline
/// carries into the facts, besides its points' values. Tables with the same
/// keys are compared field by field; anything else (a list, a table with
/// other keys such as `behaviour.task_norms`) is carried whole.
pub fn model_changes(scenario: &Scenario) -> Vec<Override> {
    let as_table = |s: &Scenario| match toml::Value::try_from(s) {
        Ok(toml::Value::Table(table)) => table,
        _ => unreachable!("a scenario serialises to a TOML table"),
    };
    let (ours, shipped) = (as_table(scenario), as_table(&baseline()));
    let mut changes = Vec::new();
    for (key, value) in &ours {
        if is_setting(key) {
            continue;
        }
        match shipped.get(key) {
            Some(theirs) => differences(key, value, theirs, &mut changes),
            None => changes.push(Override::new(key.clone(), value.clone())),
        }
    }
    changes
}

/// Whether a key path lies in one of the [`SETTING_SECTIONS`].
fn is_setting(path: &str) -> bool {
    let first = path.split(['.', '[']).next().unwrap_or(path);
    SETTING_SECTIONS.contains(&first)
}

/// Whether two key paths touch the same field: one is the other or lies
/// inside it (indices ignored, so `a.b[2]` touches `a.b`).
fn touches(a: &str, b: &str) -> bool {
    let plain = |p: &str| {
        let mut out = String::new();
        let mut depth = 0;
        for c in p.chars() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    };
    let (a, b) = (plain(a), plain(b));
    a == b || a.starts_with(&format!("{b}.")) || b.starts_with(&format!("{a}."))
}

fn differences(path: &str, ours: &toml::Value, theirs: &toml::Value, out: &mut Vec<Override>) {
    match (ours, theirs) {
        (toml::Value::Table(a), toml::Value::Table(b))
            if a.len() == b.len() && a.keys().all(|k| b.contains_key(k)) =>
        {
            for (key, value) in a {
                differences(&format!("{path}.{key}"), value, &b[key], out);
            }
        }
        _ if ours != theirs => out.push(Override::new(path, ours.clone())),
        _ => {}
    }
}

/// Checks, before anything runs, that `changes` can be carried into every
/// scenario the facts use (the baseline and the research scenarios) without
/// changing what a fact compares: no change may lie in the area or the run
/// ([`SETTING_SECTIONS`]: a cohesion made uniform would flatten P2's slopes),
/// none may touch a field a research scenario sets on purpose (one that
/// differs there from the baseline, such as `formal.network_first` in
/// `bredewold-network-first`), and each scenario must take them. The error
/// names the key and the scenario.
pub fn check_carried(changes: &[Override]) -> Result<(), OverrideError> {
    if let Some(setting) = changes.iter().find(|c| is_setting(&c.path)) {
        return Err(OverrideError(format!(
            "`{}` describes the area or the run, not the model, and each fact sets its own",
            setting.path
        )));
    }
    overrides::apply(&baseline(), changes)
        .map_err(|e| OverrideError(format!("in the baseline: {e}")))?;
    for (name, _) in scenarios() {
        let scenario = library(name);
        let own = model_changes(&scenario);
        for change in changes {
            if let Some(theirs) = own.iter().find(|o| touches(&o.path, &change.path)) {
                return Err(OverrideError(format!(
                    "`{}` would overwrite `{}`, which the research scenario `{name}` sets on purpose",
                    change.path, theirs.path
                )));
            }
        }
        overrides::apply(&scenario, changes)
            .map_err(|e| OverrideError(format!("in the research scenario `{name}`: {e}")))?;
    }
    Ok(())
}

/// The seven facts at a changed model: `changes` (a calibration's model
/// changes and one point's values) set in the baseline and in every research
/// scenario before each fact makes its own variants, as `carenet validate
/// --set` does. A change a scenario cannot take is an error naming the
/// scenario, found before anything runs.
pub fn facts_at(
    changes: &[Override],
    replicates: u32,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Check>, OverrideError> {
    check_carried(changes)?;
    let adjust = |s: &Scenario| {
        overrides::apply(s, changes).expect("checked on every scenario the facts use")
    };
    let setup = Setup {
        replicates,
        adjust: &adjust,
    };
    Ok(validate(&setup, &[], progress).expect("all facts are known"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_scenarios_parse_and_demands_judge_intervals() {
        for (name, _) in scenarios() {
            assert_eq!(library(name).name, *name);
        }
        let e = Estimate::of(&[0.2, 0.3, 0.25]);
        assert!(Demand::Below(0.5).judge(e).1);
        assert!(!Demand::Above(0.5).judge(e).1);
        assert!(
            !Demand::Below(0.5).judge(Estimate::of(&[0.2])).1,
            "one run proves nothing"
        );
    }

    /// A verdict is near its criterion when the criterion lies within twice
    /// the interval's half-width of the mean, on either side and whatever the
    /// verdict; far from it otherwise, and never without an interval.
    #[test]
    fn verdicts_near_their_criterion_are_flagged() {
        // Mean 0.1, half-width t(2) × 0.1 / √3 ≈ 0.248.
        let e = Estimate::of(&[0.0, 0.1, 0.2]);
        let half = e.and_then(|e| e.ci95).map(|(low, high)| (high - low) / 2.0);
        let half = half.expect("three values have an interval");
        assert!(Demand::Above(0.1 - 1.9 * half).near(e));
        assert!(Demand::Above(0.1 - 1.9 * half).judge(e).1, "a pass, near");
        assert!(Demand::Below(0.1 + 0.5 * half).near(e));
        assert!(!Demand::Below(0.1 + 0.5 * half).judge(e).1, "a fail, near");
        assert!(!Demand::Above(0.1 - 2.1 * half).near(e), "a pass, far");
        assert!(!Demand::Above(0.1 + 2.1 * half).near(e), "a fail, far");
        assert!(
            !Demand::Above(0.0).near(Estimate::of(&[0.1])),
            "no interval"
        );
        let c = check("P0", "x", &[0.0, 0.1, 0.2], Demand::Above(0.0));
        assert!(c.near && !c.pass);
    }

    #[test]
    fn model_changes_are_the_model_fields_that_differ_from_the_baseline() {
        assert!(model_changes(&baseline()).is_empty());
        let mut s = baseline();
        s.name = "elsewhere".into();
        s.seed += 1;
        s.neighbourhoods.truncate(2);
        s.behaviour.asking.ask.debt_between_generations = 0.25;
        s.population.capacity_mean_hours[1] = 13.0;
        s.behaviour.asking.task_norms.insert(
            crate::kinds::Task::Company,
            vec![crate::kinds::TieKind::Friend, crate::kinds::TieKind::Kin],
        );
        let changes = model_changes(&s);
        let paths: Vec<&str> = changes.iter().map(|o| o.path.as_str()).collect();
        assert!(
            paths.contains(&"behaviour.ask.debt_between_generations"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"population.capacity_mean_hours"),
            "{paths:?}"
        );
        assert!(paths.contains(&"behaviour.task_norms"), "{paths:?}");
        assert_eq!(paths.len(), 3, "the area and the seed stay: {paths:?}");
        let carried = overrides::apply(&library("bredewold-network-first"), &changes).unwrap();
        assert_eq!(carried.behaviour.asking.ask.debt_between_generations, 0.25);
        assert_eq!(
            carried.behaviour.asking.task_norms,
            s.behaviour.asking.task_norms
        );
        assert_eq!(carried.population.capacity_mean_hours[1], 13.0);
    }

    #[test]
    fn the_area_the_run_and_what_research_scenarios_set_are_not_carried() {
        let mut s = baseline();
        s.interventions = library("bredewold-network-first").interventions;
        s.demography.enabled = !s.demography.enabled;
        assert!(model_changes(&s).is_empty(), "{:?}", model_changes(&s));

        let cohesion = [Override::new("neighbourhood[*].cohesion", 0.5)];
        let err = facts_at(&cohesion, 2, &|_| {}).expect_err("the area is the facts'");
        assert!(err.0.contains("area or the run"), "{err}");

        let own = model_changes(&library("bredewold-network-first"));
        let first = own
            .first()
            .expect("the network-first scenario sets its team");
        let err = check_carried(std::slice::from_ref(first)).expect_err("set on purpose");
        assert!(err.0.contains("bredewold-network-first"), "{err}");

        assert!(touches("a.b[2]", "a.b") && touches("a.b", "a.b.c") && !touches("a.bc", "a.b"));
        assert!(check_carried(&[Override::new("behaviour.comfortable_share", 0.6)]).is_ok());
    }

    #[test]
    fn facts_are_chosen_by_their_short_names() {
        assert_eq!(fact_ids(), ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]);
        let err = validate(&Setup::plain(2), &["P8".into()], &|_| {}).expect_err("no P8");
        assert!(err.contains("P8") && err.contains("P1, P2"), "{err}");
    }
}
