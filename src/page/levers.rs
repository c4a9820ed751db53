//! The scenarios the page offers and the levers it moves.
//!
//! The scenarios are the shipped research settings of docs/ODD.md §1.1, built into the
//! binary, so a client names one from this list and never a file. A lever the
//! client leaves out keeps the scenario's own value (the cohesion gradient of
//! `jager-cohesion-gradient` survives unless the cohesion slider is moved); a lever
//! that is set is written into the scenario by its key path
//! ([`crate::scenario::with_value`]), so the scenario is checked exactly as
//! `carenet check` checks a file.

use serde::{Deserialize, Serialize};
use toml::Value;

use crate::scenario::{self, HelpRadius, Intervention, Scenario};

/// The projections the page offers after the research settings: runs of several
/// years sized for a browser (a run of the model in WebAssembly, on one thread,
/// takes seconds, not minutes). The 100,000-adult `ageing-2025-2040` is for
/// `carenet run`.
const PROJECTIONS: [&str; 1] = ["ageing-town-2025-2040"];

/// The page's settings: the research settings of docs/ODD.md §1.1 (the baseline
/// first), then [`PROJECTIONS`]. The `pv1-*` set is the baseline with one lever
/// each, which the sliders do themselves, and the million-adult scale test is too
/// large for a classroom.
fn settings() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    scenario::RESEARCH_SCENARIOS.iter().chain(
        scenario::builtin::ALL
            .iter()
            .filter(|(file, _)| PROJECTIONS.contains(file)),
    )
}

/// Professional hours per 1,000 residents the slider goes up to (the baseline has
/// 200); the scenario check allows more, the page does not need it.
pub const MAX_FORMAL_CAPACITY: f64 = 1000.0;
/// Longest pause between reported weeks, so that charts fill visibly.
pub const MAX_PACE_MS: u64 = 1000;

/// The help exchange lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exchange {
    Off,
    /// A coordinator matches requests with volunteers.
    Open,
    /// The same, but one may only ask when offering something too.
    Reciprocal,
}

/// `POST /api/runs`: a scenario from the list and the levers to set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// A name from `GET /api/scenarios`.
    pub scenario: String,
    /// Cohesion of every neighbourhood, 0–1.
    pub cohesion: Option<f64>,
    /// Trust in formal care of every neighbourhood, 0–1.
    pub institutional_trust: Option<f64>,
    /// District teams ask the network first.
    pub network_first: Option<bool>,
    pub help_exchange: Option<Exchange>,
    /// Professional hours a week per 1,000 adult residents.
    pub formal_capacity: Option<f64>,
    pub help_radius: Option<HelpRadius>,
    /// The neighbourhood whose network the page draws (default: the first).
    pub watch: Option<String>,
    /// Milliseconds to wait after each reported week (default 0).
    pub pace_ms: Option<u64>,
    /// Seed instead of the scenario's.
    pub seed: Option<u64>,
}

/// A request that cannot be run: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub message: String,
    pub fix: String,
}

fn reject(message: impl Into<String>, fix: impl Into<String>) -> Rejection {
    Rejection {
        message: message.into(),
        fix: fix.into(),
    }
}

/// The names of the built-in scenarios, in the page's order.
pub fn scenario_names() -> Vec<&'static str> {
    settings().map(|(file, _)| *file).collect()
}

/// The built-in scenario `name`, parsed and checked.
pub fn builtin(name: &str) -> Result<Scenario, Rejection> {
    let (file, text) = settings().find(|(file, _)| *file == name).ok_or_else(|| {
        reject(
            format!("there is no built-in scenario named {name:?}"),
            format!("use one of: {}", scenario_names().join(", ")),
        )
    })?;
    scenario::parse_str(text, &format!("scenarios/{file}.toml")).map_err(|e| {
        reject(
            format!("the built-in scenario {name} is invalid: {e}"),
            "report this as a bug",
        )
    })
}

/// What the page needs to know of a scenario: its neighbourhoods and the levers'
/// values in it.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
    pub description: String,
    pub adults: u64,
    pub weeks: u32,
    pub burn_in_weeks: u32,
    /// The calendar year of the first reported year, if the scenario says
    /// (the page labels a projection's years with it).
    pub start_year: Option<u32>,
    pub neighbourhoods: Vec<NeighbourhoodInfo>,
    pub levers: LeverValues,
}

#[derive(Debug, Clone, Serialize)]
pub struct NeighbourhoodInfo {
    pub name: String,
    pub adults: u32,
    pub cohesion: f64,
    pub institutional_trust: f64,
}

/// The levers as a scenario has them.
#[derive(Debug, Clone, Serialize)]
pub struct LeverValues {
    /// Cohesion, adult-weighted mean over the neighbourhoods.
    pub cohesion: f64,
    pub institutional_trust: f64,
    pub network_first: bool,
    pub help_exchange: Exchange,
    pub formal_capacity: f64,
    pub help_radius: HelpRadius,
}

impl ScenarioInfo {
    pub fn of(file: &str, scenario: &Scenario) -> ScenarioInfo {
        let adults = scenario.area_adults();
        let mean = |value: fn(&scenario::Neighbourhood) -> f64| {
            let total: f64 = scenario
                .neighbourhoods
                .iter()
                .map(|n| value(n) * f64::from(n.adults))
                .sum();
            if adults > 0 {
                total / adults as f64
            } else {
                0.0
            }
        };
        ScenarioInfo {
            name: file.to_string(),
            title: scenario.name.clone(),
            description: scenario.description.clone(),
            adults,
            weeks: scenario.weeks,
            burn_in_weeks: scenario.burn_in_weeks,
            start_year: scenario.start_year,
            neighbourhoods: scenario
                .neighbourhoods
                .iter()
                .map(|n| NeighbourhoodInfo {
                    name: n.name.clone(),
                    adults: n.adults,
                    cohesion: n.cohesion,
                    institutional_trust: n.institutional_trust,
                })
                .collect(),
            levers: LeverValues {
                cohesion: mean(|n| n.cohesion),
                institutional_trust: mean(|n| n.institutional_trust),
                network_first: scenario.formal.network_first,
                help_exchange: match (
                    scenario.help_exchange.enabled,
                    scenario.help_exchange.reciprocity_rule,
                ) {
                    (false, _) => Exchange::Off,
                    (true, false) => Exchange::Open,
                    (true, true) => Exchange::Reciprocal,
                },
                formal_capacity: scenario.formal.hours_per_1000_residents,
                help_radius: scenario
                    .interventions
                    .iter()
                    .find_map(|i| match i {
                        Intervention::HelpRadius { radius, .. } => Some(*radius),
                        _ => None,
                    })
                    .unwrap_or(HelpRadius::Unlimited),
            },
        }
    }
}

/// Every built-in scenario, described.
pub fn catalogue() -> Result<Vec<ScenarioInfo>, Rejection> {
    scenario_names()
        .into_iter()
        .map(|name| Ok(ScenarioInfo::of(name, &builtin(name)?)))
        .collect()
}

/// A run the server can start: the scenario with the levers set, and how to
/// show it.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// The built-in scenario's name.
    pub source: String,
    pub scenario: Scenario,
    /// Index of the neighbourhood the page draws.
    pub watch: usize,
    pub pace_ms: u64,
}

fn share(name: &str, value: f64) -> Result<f64, Rejection> {
    if (0.0..=1.0).contains(&value) {
        Ok(unsigned_zero(value))
    } else {
        Err(reject(
            format!("{name} must be between 0 and 1, not {}", shown(value)),
            format!("send {name} as a number from 0 to 1"),
        ))
    }
}

/// A number of a request as a message shows it: as sent where it is of a
/// readable size, else in exponent form (`1e308`, not its 309 digits).
fn shown(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && !(1e-6..1e15).contains(&size) {
        format!("{value:e}")
    } else {
        format!("{}", unsigned_zero(value))
    }
}

/// `-0` as `0`: a lever sent as `-0` is set, and echoed, as 0.
fn unsigned_zero(value: f64) -> f64 {
    if value == 0.0 { 0.0 } else { value }
}

/// Sets `path` in `scenario`, checked like a scenario file.
fn set(scenario: &Scenario, path: &str, value: Value) -> Result<Scenario, Rejection> {
    scenario::with_value(scenario, path, &value).map_err(|message| {
        reject(
            message,
            "move the lever back into the range the page offers",
        )
    })
}

/// The scenario and settings of a request, or why it cannot run.
pub fn plan(request: &RunRequest) -> Result<RunPlan, Rejection> {
    let mut s = with_levers(builtin(&request.scenario)?, request)?;
    if let Some(radius) = request.help_radius {
        s = with_help_radius(s, radius)?;
    }
    if let Some(seed) = request.seed {
        s.seed = seed;
    }
    let watch = match &request.watch {
        None => 0,
        Some(name) => s.neighbourhood_index(name).ok_or_else(|| {
            let names: Vec<&str> = s.neighbourhoods.iter().map(|n| n.name.as_str()).collect();
            reject(
                format!("{} has no neighbourhood named {name:?}", request.scenario),
                format!("watch one of: {}", names.join(", ")),
            )
        })?,
    };
    let pace_ms = request.pace_ms.unwrap_or(0);
    if pace_ms > MAX_PACE_MS {
        return Err(reject(
            format!("pace_ms must be at most {MAX_PACE_MS}, not {pace_ms}"),
            "send a pause between weeks of 0 to 1000 milliseconds",
        ));
    }
    Ok(RunPlan {
        source: request.scenario.clone(),
        scenario: s,
        watch,
        pace_ms,
    })
}

/// The scenario with the request's levers set through their key paths (each
/// checked like a scenario file's value).
fn with_levers(mut s: Scenario, request: &RunRequest) -> Result<Scenario, Rejection> {
    if let Some(cohesion) = request.cohesion {
        s = set(
            &s,
            "neighbourhood[*].cohesion",
            Value::Float(share("cohesion", cohesion)?),
        )?;
    }
    if let Some(trust) = request.institutional_trust {
        s = set(
            &s,
            "neighbourhood[*].institutional_trust",
            Value::Float(share("institutional_trust", trust)?),
        )?;
    }
    if let Some(first) = request.network_first {
        s = set(&s, "formal.network_first", Value::Boolean(first))?;
    }
    if let Some(exchange) = request.help_exchange {
        s = set(
            &s,
            "help_exchange.enabled",
            Value::Boolean(exchange != Exchange::Off),
        )?;
        s = set(
            &s,
            "help_exchange.reciprocity_rule",
            Value::Boolean(exchange == Exchange::Reciprocal),
        )?;
    }
    if let Some(capacity) = request.formal_capacity {
        if !(0.0..=MAX_FORMAL_CAPACITY).contains(&capacity) {
            return Err(reject(
                format!(
                    "formal_capacity must be between 0 and {MAX_FORMAL_CAPACITY} hours a week \
                     per 1,000 residents, not {}",
                    shown(capacity)
                ),
                "send formal_capacity as a number in that range (the baseline has 200)",
            ));
        }
        s = set(
            &s,
            "formal.hours_per_1000_residents",
            Value::Float(unsigned_zero(capacity)),
        )?;
    }
    Ok(s)
}

/// The help-radius lever: it replaces any help-radius counterfactual of the
/// scenario.
fn with_help_radius(mut s: Scenario, radius: HelpRadius) -> Result<Scenario, Rejection> {
    s.interventions
        .retain(|i| !matches!(i, Intervention::HelpRadius { .. }));
    if radius != HelpRadius::Unlimited {
        s.interventions.push(Intervention::HelpRadius {
            start_week: 0,
            neighbourhoods: Vec::new(),
            radius,
        });
    }
    if let Some(problem) = scenario::validate(&s).first() {
        return Err(reject(
            format!("{}: {}", problem.path, problem.message),
            problem.fix.clone(),
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(scenario: &str) -> RunRequest {
        RunRequest {
            scenario: scenario.into(),
            ..RunRequest::default()
        }
    }

    #[test]
    fn every_builtin_scenario_is_valid_and_described() {
        let catalogue = catalogue().expect("valid");
        assert_eq!(
            catalogue.len(),
            scenario::RESEARCH_SCENARIOS.len() + PROJECTIONS.len()
        );
        assert_eq!(catalogue[0].name, "baseline");
        // Every research setting is one year; every projection several.
        for info in &catalogue {
            let projection = PROJECTIONS.contains(&info.name.as_str());
            assert_eq!(
                crate::output::is_multi_year(info.weeks as usize),
                projection,
                "{}",
                info.name
            );
        }
        assert_eq!(catalogue[0].levers.formal_capacity, 200.0);
        assert!(catalogue.iter().all(|s| !s.neighbourhoods.is_empty()));
    }

    #[test]
    fn untouched_levers_keep_the_scenario() {
        let plan = plan(&request("jager-cohesion-gradient")).unwrap();
        assert_eq!(plan.scenario, builtin("jager-cohesion-gradient").unwrap());
        let cohesion: Vec<f64> = plan
            .scenario
            .neighbourhoods
            .iter()
            .map(|n| n.cohesion)
            .collect();
        assert_eq!(cohesion, vec![0.1, 0.3, 0.5, 0.7, 0.9]);
    }

    #[test]
    fn levers_set_the_scenario_fields() {
        let plan = plan(&RunRequest {
            cohesion: Some(0.8),
            institutional_trust: Some(0.2),
            network_first: Some(true),
            help_exchange: Some(Exchange::Reciprocal),
            formal_capacity: Some(120.0),
            help_radius: Some(HelpRadius::Neighbourhood),
            watch: Some("Tuindorp".into()),
            seed: Some(7),
            ..request("baseline")
        })
        .unwrap();
        let s = &plan.scenario;
        assert!(s.neighbourhoods.iter().all(|n| n.cohesion == 0.8));
        assert!(
            s.neighbourhoods
                .iter()
                .all(|n| n.institutional_trust == 0.2)
        );
        assert!(s.formal.network_first);
        assert!(s.help_exchange.enabled && s.help_exchange.reciprocity_rule);
        assert_eq!(s.formal.hours_per_1000_residents, 120.0);
        assert_eq!(
            ScenarioInfo::of("x", s).levers.help_radius,
            HelpRadius::Neighbourhood
        );
        assert_eq!(s.seed, 7);
        assert_eq!(plan.watch, 1);
    }

    #[test]
    fn bad_requests_say_what_to_fix() {
        let unknown = plan(&request("../../etc/passwd")).unwrap_err();
        assert!(unknown.fix.contains("baseline"), "{unknown:?}");
        let high = plan(&RunRequest {
            cohesion: Some(1.5),
            ..request("baseline")
        })
        .unwrap_err();
        assert!(high.message.contains("between 0 and 1"), "{high:?}");
        let capacity = plan(&RunRequest {
            formal_capacity: Some(-1.0),
            ..request("baseline")
        })
        .unwrap_err();
        assert!(capacity.message.contains("formal_capacity"), "{capacity:?}");
        let watch = plan(&RunRequest {
            watch: Some("Atlantis".into()),
            ..request("baseline")
        })
        .unwrap_err();
        assert!(watch.fix.contains("Tuindorp"), "{watch:?}");
        let pace = plan(&RunRequest {
            pace_ms: Some(5000),
            ..request("baseline")
        })
        .unwrap_err();
        assert!(pace.message.contains("pace_ms"), "{pace:?}");
    }

    #[test]
    fn numbers_in_messages_and_echoes_read_as_people_write_them() {
        // QA 26 §12: 1e308 was refused with its 309 digits, -0 echoed as -0.0.
        let huge = plan(&RunRequest {
            formal_capacity: Some(1e308),
            ..request("baseline")
        })
        .unwrap_err();
        assert!(huge.message.ends_with("not 1e308"), "{huge:?}");
        let tiny = plan(&RunRequest {
            cohesion: Some(-1e-300),
            ..request("baseline")
        })
        .unwrap_err();
        assert!(tiny.message.ends_with("not -1e-300"), "{tiny:?}");
        let ordinary = plan(&RunRequest {
            cohesion: Some(1.5),
            ..request("baseline")
        })
        .unwrap_err();
        assert!(ordinary.message.ends_with("not 1.5"), "{ordinary:?}");
        let zero = plan(&RunRequest {
            cohesion: Some(-0.0),
            formal_capacity: Some(-0.0),
            ..request("baseline")
        })
        .expect("-0 is 0");
        for n in &zero.scenario.neighbourhoods {
            assert!(n.cohesion.is_sign_positive(), "{}", n.cohesion);
        }
        assert!(
            zero.scenario
                .formal
                .hours_per_1000_residents
                .is_sign_positive()
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let error = serde_json::from_str::<RunRequest>(r#"{"scenario":"baseline","cohesoin":0.5}"#)
            .unwrap_err();
        assert!(
            error.to_string().contains("unknown field `cohesoin`"),
            "{error}"
        );
    }
}
