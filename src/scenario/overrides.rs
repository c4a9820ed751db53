//! Overrides written `key.path=value`, as `carenet run --set` and the Python
//! package's `set={...}` give them: each sets one scenario field by its key path
//! (the machinery of experiments, [`super::with_value`]), and the changed scenario
//! is checked like a scenario file once all are set.
//!
//! ```
//! use carenet::scenario::{Scenario, overrides::{self, Override}};
//! let set = [Override::parse("formal.hours_per_1000_residents=300").unwrap()];
//! let scenario = overrides::apply(&Scenario::default(), &set).unwrap();
//! assert_eq!(scenario.formal.hours_per_1000_residents, 300.0);
//! ```

use std::fmt;
use std::str::FromStr;

use toml::Value;

use super::{Problem, Scenario};

/// One field to set: its key path and its new value.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: Value,
}

/// Why an override cannot be applied: the message names the key path, the value
/// and the fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct OverrideError(pub String);

impl Override {
    pub fn new(path: impl Into<String>, value: impl Into<Value>) -> Override {
        Override {
            path: path.into(),
            value: value.into(),
        }
    }

    /// Reads `key.path=value`. The value is read as a TOML value (`300`, `0.5`,
    /// `true`, `"text"`, `[0.1, 0.2]`); anything that is not one is taken as a
    /// string, so `name=my-variant` needs no quotes.
    pub fn parse(text: &str) -> Result<Override, OverrideError> {
        let Some((path, value)) = text.split_once('=') else {
            return Err(OverrideError(format!(
                "`{text}` has no `=`\n  fix: write key.path=value, e.g. formal.hours_per_1000_residents=300"
            )));
        };
        let path = path.trim();
        if path.is_empty() {
            return Err(OverrideError(format!(
                "`{text}` names no key path before `=`\n  fix: write key.path=value, e.g. neighbourhood[*].cohesion=0.6"
            )));
        }
        Ok(Override::new(path, value_from_text(value.trim())))
    }
}

/// `text` as one TOML value, or as a string if it is not one (as overrides and
/// design files give values).
pub fn value_from_text(text: &str) -> Value {
    toml::from_str::<toml::Table>(&format!("value = {text}"))
        .ok()
        .filter(|table| table.len() == 1)
        .and_then(|mut table| table.remove("value"))
        .unwrap_or_else(|| Value::String(text.to_string()))
}

impl FromStr for Override {
    type Err = OverrideError;

    fn from_str(text: &str) -> Result<Override, OverrideError> {
        Override::parse(text)
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// The scenario with every override set, in order (a later override of the same
/// path wins), checked like a scenario file after all are set.
pub fn apply(scenario: &Scenario, overrides: &[Override]) -> Result<Scenario, OverrideError> {
    if overrides.is_empty() {
        return Ok(scenario.clone());
    }
    let settings: Vec<(&str, &Value)> = overrides
        .iter()
        .map(|o| (o.path.as_str(), &o.value))
        .collect();
    super::path::with_values(scenario, &settings).map_err(OverrideError)
}

/// As [`apply`], but every problem found as a scenario file's problem (key
/// path, what is wrong, the fix), for callers that hand them on one by one
/// (the Python package's `ScenarioError.problems`): each override whose key path
/// does not exist or whose value is of the wrong kind, then everything the
/// checks find in the scenario the others make.
pub fn apply_or_problems(
    scenario: &Scenario,
    overrides: &[Override],
) -> Result<Scenario, Vec<Problem>> {
    let settings: Vec<(&str, &Value)> = overrides
        .iter()
        .map(|o| (o.path.as_str(), &o.value))
        .collect();
    super::path::set_checked(scenario, &settings).map_err(|problems| {
        once_per_wildcard(overrides, problems.into_iter().map(|p| p.problem).collect())
    })
}

/// The same problem in every entry a `[*]` override set, said once of the
/// override's own key path (QA 36: `neighbourhood[*].cohesion=2` gave five
/// problems, one per neighbourhood, each with its own fix, at the command
/// line and in Python). A problem of some entries only keeps its entry's path.
fn once_per_wildcard(overrides: &[Override], problems: Vec<Problem>) -> Vec<Problem> {
    let widened: Vec<Option<Problem>> = problems
        .iter()
        .map(|problem| {
            let o = overrides
                .iter()
                .rev()
                .find(|o| o.path != problem.path && fills(&o.path, &problem.path))?;
            let written =
                |text: &str| text.replace(&format!("`{}`", problem.path), &format!("`{}`", o.path));
            Some(Problem {
                path: o.path.clone(),
                message: written(&problem.message),
                fix: written(&problem.fix),
                ..problem.clone()
            })
        })
        .collect();
    let mut out: Vec<Problem> = Vec::new();
    for (problem, wide) in problems.into_iter().zip(&widened) {
        let shared = wide
            .as_ref()
            .filter(|w| widened.iter().flatten().filter(|other| other == w).count() > 1);
        match shared {
            Some(wide) if out.contains(wide) => {}
            Some(wide) => out.push(wide.clone()),
            None => out.push(problem),
        }
    }
    out
}

/// Whether `path` is `pattern` with each `[*]` an index: `neighbourhood[2].cohesion`
/// fills `neighbourhood[*].cohesion`.
fn fills(pattern: &str, path: &str) -> bool {
    let mut rest = path;
    let mut parts = pattern.split("[*]").peekable();
    while let Some(part) = parts.next() {
        let Some(after) = rest.strip_prefix(part) else {
            return false;
        };
        rest = after;
        if parts.peek().is_some() {
            let Some(inside) = rest.strip_prefix('[') else {
                return false;
            };
            let digits = inside.bytes().take_while(u8::is_ascii_digit).count();
            let Some(after) = inside[digits..].strip_prefix(']').filter(|_| digits > 0) else {
                return false;
            };
            rest = after;
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(texts: &[&str]) -> Vec<Override> {
        texts.iter().map(|t| Override::parse(t).unwrap()).collect()
    }

    #[test]
    fn a_path_fills_a_pattern_where_each_star_is_an_index() {
        assert!(fills(
            "neighbourhood[*].cohesion",
            "neighbourhood[12].cohesion"
        ));
        assert!(fills("a[*].b[*]", "a[0].b[3]"));
        assert!(!fills(
            "neighbourhood[*].cohesion",
            "neighbourhood[*].cohesion"
        ));
        assert!(!fills(
            "neighbourhood[*].cohesion",
            "neighbourhood[1].trust"
        ));
        assert!(!fills(
            "neighbourhood[*].cohesion",
            "neighbourhood[].cohesion"
        ));
        assert!(!fills(
            "neighbourhood[*].cohesion",
            "neighbourhood[1].cohesion_x"
        ));
    }

    #[test]
    fn a_problem_of_every_entry_of_a_wildcard_is_one_problem_of_the_wildcard() {
        let base = Scenario::default();
        let problems =
            apply_or_problems(&base, &parsed(&["neighbourhood[*].cohesion=2"])).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].path, "neighbourhood[*].cohesion");
        assert_eq!(
            problems[0].fix,
            "set `neighbourhood[*].cohesion` to a value from 0 to 1"
        );
        // One entry's own problem keeps its entry.
        let one = apply_or_problems(&base, &parsed(&["neighbourhood[1].cohesion=2"])).unwrap_err();
        assert_eq!(one[0].path, "neighbourhood[1].cohesion");
    }

    #[test]
    fn values_are_read_as_toml_or_else_as_text() {
        let o = parsed(&[
            "a.b=300",
            "a=0.5",
            "a=true",
            "a=\"x y\"",
            "a=[1, 2]",
            "name=my-run",
        ]);
        assert_eq!(o[0], Override::new("a.b", 300));
        assert_eq!(o[1].value, Value::Float(0.5));
        assert_eq!(o[2].value, Value::Boolean(true));
        assert_eq!(o[3].value, Value::String("x y".into()));
        assert!(matches!(&o[4].value, Value::Array(items) if items.len() == 2));
        assert_eq!(o[5].value, Value::String("my-run".into()));
        assert_eq!(
            Override::parse(" weeks = 10 ").unwrap(),
            Override::new("weeks", 10)
        );
        assert!(Override::parse("weeks").unwrap_err().0.contains("no `=`"));
        assert!(Override::parse("=3").unwrap_err().0.contains("no key path"));
    }

    #[test]
    fn applies_every_override_and_checks_once_at_the_end() {
        let base = Scenario::default();
        let set = parsed(&[
            "formal.hours_per_1000_residents=300",
            "neighbourhood[*].cohesion=0.9",
            "weeks=10",
        ]);
        let changed = apply(&base, &set).unwrap();
        assert_eq!(changed.formal.hours_per_1000_residents, 300.0);
        assert!(changed.neighbourhoods.iter().all(|n| n.cohesion == 0.9));
        assert_eq!(changed.weeks, 10);
        // Shares that must sum to one can be changed together, though either
        // change alone would not pass the check.
        let ages = parsed(&[
            "neighbourhood[0].age_mix[0]=0.45",
            "neighbourhood[0].age_mix[1]=0.22",
        ]);
        assert!(apply(&base, &ages[..1]).is_err());
        assert_eq!(
            apply(&base, &ages).unwrap().neighbourhoods[0].age_mix[1],
            0.22
        );
        assert_eq!(apply(&base, &[]).unwrap(), base);
    }

    #[test]
    fn every_bad_override_is_a_problem_with_its_path_and_fix() {
        let base = Scenario::default();
        let set = parsed(&[
            "formal.hours=3",
            "weeks=10",
            "neighbourhood[9].cohesion=0.5",
            "neighbourhood[0].cohesion=1.5",
            "formal.hours_per_1000_residents=-4",
        ]);
        let problems = apply_or_problems(&base, &set).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "formal.hours",
                "neighbourhood[9].cohesion",
                "neighbourhood[0].cohesion",
                "formal.hours_per_1000_residents"
            ],
            "{problems:?}"
        );
        assert!(problems[0].message.contains("no field `hours`"));
        assert_eq!(problems[0].fix, "did you mean `hours_per_1000_residents`?");
        let last = base.neighbourhoods.len() - 1;
        assert_eq!(
            problems[1].fix,
            format!("use an index from 0 to {last}"),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .all(|p| !p.message.is_empty() && !p.fix.is_empty())
        );
        // The one-line message of `apply` names every one of them.
        let message = apply(&base, &set).unwrap_err().0;
        assert_eq!(message.lines().count(), 4, "{message}");
        assert!(apply_or_problems(&base, &set[1..2]).is_ok());
    }

    #[test]
    fn bad_overrides_name_the_path_and_the_fix() {
        let base = Scenario::default();
        let err = apply(&base, &parsed(&["formal.hours=3"])).unwrap_err().0;
        assert!(err.contains("no field `hours`") && err.contains("hours_per_1000_residents"));
        let err = apply(&base, &parsed(&["neighbourhood[0].cohesion=1.5"]))
            .unwrap_err()
            .0;
        assert!(err.contains("cohesion") && err.contains("fix"), "{err}");
        let err = apply(&base, &parsed(&["weeks=many"])).unwrap_err().0;
        assert!(
            err.contains("`weeks` takes a whole number, not text"),
            "{err}"
        );
    }

    /// QA 30: a value of the wrong kind got "give `x` a value of the kind it
    /// takes" from the library (so from Python's `set=`), where the command
    /// line added the scenario's value; a number given as text is named.
    #[test]
    fn a_value_of_the_wrong_kind_gets_the_value_to_give() {
        let base = Scenario::default();
        let fix = |path: &str, value: Value| {
            let problems = apply_or_problems(&base, &[Override::new(path, value)]).unwrap_err();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].path, path);
            assert!(
                problems[0].message.contains("takes a") && !problems[0].message.contains("fix"),
                "{problems:?}"
            );
            problems[0].fix.clone()
        };
        let hours = "formal.hours_per_1000_residents";
        assert_eq!(
            fix(hours, Value::String("lots".into())),
            format!(
                "give `{hours}` a value of the kind it takes; the scenario has {}",
                Value::Float(base.formal.hours_per_1000_residents)
            )
        );
        assert_eq!(
            fix(hours, Value::String(" 300 ".into())),
            format!("give `{hours}` the number 300, not text: without quotes")
        );
        assert_eq!(
            fix("neighbourhood[*].cohesion", Value::String("0,7".into())),
            "give `neighbourhood[*].cohesion` the number 0.7, not text: without quotes \
             and with a decimal point"
        );
        assert_eq!(
            fix(
                "demography.pair_up_max_age_gap_years",
                Value::String("8,5".into())
            ),
            "give `demography.pair_up_max_age_gap_years` a whole number, not text: without \
             quotes and without a decimal comma or point, e.g. 9"
        );
        assert_eq!(
            fix("weeks", Value::Boolean(true)),
            format!(
                "give `weeks` a value of the kind it takes; the scenario has {}",
                base.weeks
            )
        );
    }
}
