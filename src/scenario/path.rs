//! Setting any scenario field by its key path, as experiments vary them:
//! `formal.hours_per_1000_residents`, `behaviour.ask.base`,
//! `needs.long_term_per_year[3]`, `neighbourhood[1].cohesion`, or
//! `neighbourhood[*].cohesion` for every neighbourhood at once.

use serde::Deserialize;
use toml::Value;

use super::{Problem, Scenario, validate};

/// One step of a key path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Every,
}

fn parse(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if key.is_empty() {
            return Err(format!("`{path}` has an empty key"));
        }
        steps.push(Step::Key(key.to_string()));
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner
                .find(']')
                .ok_or_else(|| format!("`{path}` has an unclosed ["))?;
            let index = &inner[..end];
            steps.push(if index == "*" {
                Step::Every
            } else {
                Step::Index(index.parse().map_err(|_| {
                    // An experiment's parameter naming an entry gets the
                    // way to write it (QA 35).
                    format!(
                        "`{index}` in `{path}` is not an index (fix: write the entry's \
                                 index, counted from 0, or [*] for every entry)"
                    )
                })?)
            });
            rest = &inner[end + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("`{path}` has text after ]"));
        }
    }
    Ok(steps)
}

/// The scenario with the field at `path` set to `value`, checked like a scenario
/// file. Errors name the path and what is wrong.
pub fn with_value(scenario: &Scenario, path: &str, value: &Value) -> Result<Scenario, String> {
    with_values(scenario, &[(path, value)])
}

/// The scenario with every `(path, value)` set, checked once like a scenario file
/// after all are set (so that values which must agree, such as shares summing to
/// one, can be changed together). Errors name the path and what is wrong, one
/// line for each problem found (see [`set_checked`]).
pub(super) fn with_values(
    scenario: &Scenario,
    settings: &[(&str, &Value)],
) -> Result<Scenario, String> {
    set_checked(scenario, settings).map_err(|problems| {
        let set = settings
            .iter()
            .map(|(path, value)| format!("`{path}` = {value}"))
            .collect::<Vec<_>>()
            .join(", ");
        problems
            .iter()
            .map(|problem| match problem.kind {
                SetProblemKind::Setting => problem.text.clone(),
                SetProblemKind::Check => format!("{set}: {}", problem.text),
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Whether a problem of a setting is about the setting itself (a path that does
/// not exist, a value of the wrong kind) or found by the checks of the scenario
/// it makes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SetProblemKind {
    Setting,
    Check,
}

/// One problem of a setting: as a scenario file's problem, and as one line.
#[derive(Debug, Clone)]
pub(super) struct SetProblem {
    pub problem: Problem,
    kind: SetProblemKind,
    text: String,
}

/// The scenario with every `(path, value)` set and checked, or every problem
/// found: each setting whose path does not exist or whose value is of the wrong
/// kind (the others are still set), then what the checks find in the scenario
/// they make, all of it, not only the first.
pub(super) fn set_checked(
    scenario: &Scenario,
    settings: &[(&str, &Value)],
) -> Result<Scenario, Vec<SetProblem>> {
    if settings.is_empty() {
        return Ok(scenario.clone());
    }
    // A TOML integer is an i64, and a replicate's seed may be up to 2^64 − 1:
    // the seed is kept aside unless a setting changes it.
    let mut without_seed = scenario.clone();
    without_seed.seed = 0;
    let mut root =
        Value::try_from(&without_seed).map_err(|e| vec![setting_problem("", e.to_string())])?;
    // A seed above i64 comes as text (`--set seed=18446744073709551615`, one
    // of manifest.json's replicate seeds, written as text): it is set aside
    // like the scenario's own, and a 0 stands in for it in the table.
    let stand_in = Value::Integer(0);
    let seed_beyond_toml = |path: &str, value: &Value| match value {
        Value::String(text) if path == "seed" => text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|seed| i64::try_from(*seed).is_err()),
        _ => None,
    };
    let large_seed = settings
        .iter()
        .rev()
        .find(|(path, _)| *path == "seed")
        .and_then(|(path, value)| seed_beyond_toml(path, value));
    let settings: Vec<(&str, &Value)> = settings
        .iter()
        .map(|&(path, value)| match seed_beyond_toml(path, value) {
            Some(_) => (path, &stand_in),
            None => (path, value),
        })
        .collect();
    let settings = settings.as_slice();
    let mut problems = Vec::new();
    for (path, value) in settings {
        // Each setting is tried on what the ones before it made, and left out
        // if it does not fit, so that the others are still set and checked.
        // (With one setting, the reading of the whole below is that check.)
        let mut next = root.clone();
        let fits = parse(path)
            .and_then(|steps| set(&mut next, &steps, value, path))
            .and_then(|()| match settings.len() {
                1 => Ok(()),
                _ => read_as(path, next.clone()).map(|_| ()),
            });
        match fits {
            Ok(()) => root = next,
            Err(message) => problems.push(setting_problem(path, message)),
        }
    }
    let only = match settings {
        [(path, _)] => *path,
        _ => "",
    };
    let mut changed =
        read_as(only, root).map_err(|message| vec![setting_problem(only, message)])?;
    if !settings.iter().any(|(path, _)| *path == "seed") {
        changed.seed = scenario.seed;
    }
    if let Some(seed) = large_seed {
        changed.seed = seed;
    }
    problems.extend(validate(&changed).into_iter().map(|problem| SetProblem {
        text: format!(
            "{}: {} (fix: {})",
            problem.path, problem.message, problem.fix
        ),
        problem,
        kind: SetProblemKind::Check,
    }));
    if problems.is_empty() {
        Ok(changed)
    } else {
        Err(problems)
    }
}

/// The scenario a table holds, or why it holds none, said of the setting at
/// `path` (none if empty).
fn read_as(path: &str, root: Value) -> Result<Scenario, String> {
    Scenario::deserialize(root).map_err(|e| {
        let error = e.to_string();
        let fix = integer_too_large(&error)
            .map_or_else(String::new, |(_, range)| format!(" (fix: write {range})"));
        match path {
            "" => format!("{}{fix}", plain_type_error(&error)),
            _ => format!("`{path}`: {}{fix}", plain_type_error(&error)),
        }
    })
}

/// The fix of a value of the wrong kind for `path`.
pub fn kind_fix(path: &str) -> String {
    format!("give `{path}` a value of the kind it takes")
}

/// A setting's own problem: its message, with the fix it names (`(fix: …)`) or
/// one that fits.
fn setting_problem(path: &str, text: String) -> SetProblem {
    let (message, fix) = match text.split_once(" (fix: ") {
        Some((message, fix)) => (
            message.to_string(),
            fix.strip_suffix(')').unwrap_or(fix).to_string(),
        ),
        None if path.is_empty() => (
            text.clone(),
            "give each key a value of the kind it takes (`carenet scenarios export DIR` writes \
             DIR/baseline.toml with every key and its default)"
                .to_string(),
        ),
        None => (text.clone(), kind_fix(path)),
    };
    // The problem's path says which key; its message need not repeat it.
    let message = message
        .strip_prefix(&format!("`{path}`: "))
        .map_or(message.clone(), str::to_string);
    SetProblem {
        problem: Problem::new(path, message, fix),
        kind: SetProblemKind::Setting,
        text,
    }
}

/// The problem of the key path `path` itself in `scenario`, before any value
/// is set: a key that is not there (with the nearest one), an index beyond a
/// list, a path that does not parse. None if every step of it is there.
pub(crate) fn path_problem(scenario: &Scenario, path: &str) -> Option<Problem> {
    let mut without_seed = scenario.clone();
    without_seed.seed = 0;
    let mut root = Value::try_from(&without_seed).ok()?;
    let reached = parse(path).and_then(|steps| visit(&mut root, &steps, path, &mut |_| Ok(())));
    reached
        .err()
        .map(|text| setting_problem(path, text).problem)
}

/// Whether the key at `path` takes whole numbers (`weeks`,
/// `neighbourhood[2].adults`), as the default scenario holds it: every value
/// there an integer. False where the default has no such key (an
/// intervention's: the baseline has none), so the caller's general words
/// stand.
pub(crate) fn holds_whole_number(path: &str) -> bool {
    let Ok(steps) = parse(path) else {
        return false;
    };
    // The user's file may have more entries than the default's: any entry
    // holds the same kind.
    let steps: Vec<Step> = steps
        .into_iter()
        .map(|step| match step {
            Step::Index(_) => Step::Every,
            other => other,
        })
        .collect();
    every_value_whole(&Scenario::default(), &steps, path) == Some(true)
}

/// Whether the key at `path` of `scenario` takes whole numbers: every value it
/// reaches there an integer (`weeks`, `neighbourhood[*].adults`, an
/// intervention's `start_week`), where a number with a fraction is refused.
/// None where the path reaches no value. The EMA Workbench model of the
/// Python package asks it to choose an integer or a real parameter by the
/// key, not by how its bounds were typed (QA 37: `(0, 1)` for a cohesion
/// sampled 0 and 1 only).
pub fn takes_whole_numbers(scenario: &Scenario, path: &str) -> Option<bool> {
    every_value_whole(scenario, &parse(path).ok()?, path)
}

fn every_value_whole(scenario: &Scenario, steps: &[Step], path: &str) -> Option<bool> {
    let without_seed = Scenario {
        seed: 0,
        ..scenario.clone()
    };
    let mut root = Value::try_from(&without_seed).ok()?;
    let mut every_whole = true;
    let mut any = false;
    visit(&mut root, steps, path, &mut |leaf| {
        any = true;
        every_whole &= leaf.is_integer();
        Ok(())
    })
    .ok()?;
    any.then_some(every_whole)
}

/// Whether `key` of an intervention of kind `kind` (`start_week` of
/// "cohesion_events") takes whole numbers: the default scenario has no
/// interventions to look at, so a fraction is offered to the kind's reader.
pub(crate) fn intervention_key_holds_whole_number(kind: &str, key: &str) -> bool {
    let mut entry = toml::Table::new();
    entry.insert("kind".into(), Value::String(kind.into()));
    entry.insert(key.into(), Value::Float(0.5));
    Value::Table(entry)
        .try_into::<super::Intervention>()
        .is_err_and(|error| {
            let message = error.message();
            message.contains("expected u") || message.contains("expected i")
        })
}

fn set(node: &mut Value, steps: &[Step], value: &Value, path: &str) -> Result<(), String> {
    visit(node, steps, path, &mut |leaf| {
        *leaf = converted(leaf, value, path)?;
        Ok(())
    })
}

/// Follows `steps` from `node` and hands each value they reach (every entry
/// for `[*]`) to `leaf`; the error says which step is not there.
fn visit(
    node: &mut Value,
    steps: &[Step],
    path: &str,
    leaf: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        return leaf(node);
    };
    match (step, node) {
        (Step::Key(key), Value::Table(table)) => {
            let allowed: Vec<String> = table.keys().cloned().collect();
            let child = table.get_mut(key).ok_or_else(|| {
                let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
                let fix = match super::load::closest(key, &names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("use one of: {}", allowed.join(", ")),
                };
                format!("`{path}`: no field `{key}` here (fix: {fix})")
            })?;
            visit(child, rest, path, leaf)
        }
        (Step::Index(i), Value::Array(items)) => {
            let len = items.len();
            let child = items
                .get_mut(*i)
                .ok_or_else(|| match len {
                    0 => format!("`{path}`: index {i} but the list is empty (fix: add an entry in the scenario file first)"),
                    _ => format!(
                        "`{path}`: index {i} but there are {len} entries (fix: use an index from 0 to {})",
                        len - 1
                    ),
                })?;
            visit(child, rest, path, leaf)
        }
        (Step::Every, Value::Array(items)) => items
            .iter_mut()
            .try_for_each(|child| visit(child, rest, path, leaf)),
        (step, _) => Err(format!("`{path}`: cannot apply {step:?} here")),
    }
}

/// The new value in the type of the old one (integers become floats where the
/// field is a number with a fraction; whole floats become integers).
fn converted(old: &Value, new: &Value, path: &str) -> Result<Value, String> {
    match (old, new) {
        (Value::Float(_), Value::Integer(i)) => Ok(Value::Float(*i as f64)),
        (Value::Integer(_), Value::Float(f)) if f.fract() == 0.0 => Ok(Value::Integer(*f as i64)),
        (Value::Integer(_), Value::Float(f)) => {
            Err(format!("`{path}` takes a whole number, not {f}"))
        }
        (old, new) if old.type_str() == new.type_str() => Ok(new.clone()),
        // QA 40: a whole number beyond TOML's (64-bit signed) integers reads
        // as text, and was told "give the number …, not text: without
        // quotes", as it was given.
        (Value::Integer(_), Value::String(text)) if beyond_toml_integers(text) => {
            // The seed stands in the table as 0 (see `set_checked`).
            let fix = match path {
                "seed" => format!("write a seed from 0 to {}", u64::MAX),
                _ => format!("write a smaller whole number; the scenario has {old}"),
            };
            Err(format!(
                "`{path}`: {} is too large for a whole number (fix: {fix})",
                text.trim()
            ))
        }
        (old, new) => Err(format!(
            "`{path}` takes {}, not {}{}",
            in_words(old),
            in_words(new),
            kind_fix_for(path, old, new).map_or_else(String::new, |fix| format!(" (fix: {fix})"))
        )),
    }
}

/// Whether `text` is a whole number, written with digits only, that a TOML
/// integer (an i64) cannot hold.
fn beyond_toml_integers(text: &str) -> bool {
    let digits = text.trim().strip_prefix('-').unwrap_or(text.trim());
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && text.trim().parse::<i64>().is_err()
}

/// The fix of `new` where `path` holds a value like `old`: a number given as
/// text ("300", "0,7": quoted in a file or an experiment, a str from Python)
/// is named as the number to write; anything else gets the value the
/// scenario has, to show the kind (QA 30: Python's `set=` said only "a value
/// of the kind it takes", where the command line showed the value). None for
/// a table or a long list: [`kind_fix`] alone.
fn kind_fix_for(path: &str, old: &Value, new: &Value) -> Option<String> {
    // QA 33: a key of whole numbers given "8,5" was told to take 8.5, which
    // is refused in turn.
    if let (Value::Integer(_), Value::String(text)) = (old, new)
        && let Some(n) = super::decimal_comma_number(text.trim())
    {
        return Some(format!(
            "give `{path}` a whole number, not text: without quotes and without a decimal \
             comma or point, e.g. {}",
            n.round()
        ));
    }
    let number = match (old, new) {
        (Value::Float(_) | Value::Integer(_), Value::String(text)) => {
            let text = text.trim();
            match super::decimal_comma_number(text) {
                Some(n) => Some((n.to_string(), " and with a decimal point")),
                None => text
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .map(|_| (text.to_string(), "")),
            }
        }
        _ => None,
    };
    if let Some((number, point)) = number {
        return Some(format!(
            "give `{path}` the number {number}, not text: without quotes{point}"
        ));
    }
    let shown = old.to_string();
    (!old.is_table() && shown.len() <= 80 && !shown.contains('\n'))
        .then(|| format!("{}; the scenario has {shown}", kind_fix(path)))
}

/// The kind of a TOML value in words, as [`plain_type_error`] says Rust's
/// types: QA 39: "takes a float, not a string" (TOML's names) told a
/// policy analyst who wrote `lots` for a number of hours what a programmer
/// would call it.
fn in_words(value: &Value) -> &'static str {
    match value {
        Value::Float(_) => "a number",
        Value::Integer(_) => "a whole number",
        Value::String(_) => "text",
        Value::Boolean(_) => "true or false",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
        Value::Datetime(_) => "a date",
    }
}

/// The whole numbers a field of the Rust integer type `rust` holds.
fn integer_range(rust: &str) -> Option<(i128, i128)> {
    Some(match rust {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

/// A whole number above what its key's type holds, as serde says it
/// (`invalid value: integer `5000000000`, expected u32`, or for one beyond
/// 64 bits `invalid type: integer `…` as i128, expected u64`): the number as
/// written and the range in words. QA 40: `adults = 5000000000` was "expected
/// a whole number of 0 or more", which it is, with the fix "use a whole
/// number of 0 or more", and a seed beyond 2^64 leaked "as i128".
pub(crate) fn integer_too_large(message: &str) -> Option<(String, String)> {
    let first = message.lines().next().unwrap_or(message).trim();
    let rest = first
        .strip_prefix("invalid value: integer `")
        .or_else(|| first.strip_prefix("invalid type: integer `"))?;
    let (number, rest) = rest.split_once('`')?;
    let (_, rust) = rest.rsplit_once("expected ")?;
    let value: i128 = number.parse().ok()?;
    let Some((low, high)) = integer_range(rust.trim()) else {
        // Read as any TOML value (an experiment file's): beyond TOML's integers.
        return (rest.starts_with(" as i128") && value > i64::MAX.into()).then(|| {
            (
                number.to_string(),
                format!("a smaller whole number (TOML's go up to {})", i64::MAX),
            )
        });
    };
    (value > high).then(|| {
        let range = if low == 0 {
            format!("a whole number from 0 to {high}")
        } else {
            format!("a whole number from {low} to {high}")
        };
        (number.to_string(), range)
    })
}

/// A deserialisation error as one plain line: serde's first line, with its
/// Rust and TOML type names said in words (QA 39: a scenario file's
/// `cohesion = "high"` got "invalid type: string "high", expected a number",
/// where --set says "takes a number, not text").
pub(super) fn plain_type_error(error: &str) -> String {
    let first = error.lines().next().unwrap_or(error).trim();
    if let Some((number, range)) = integer_too_large(first) {
        return format!("{number} is too large: expected {range}");
    }
    [
        (
            "invalid type: floating point",
            "wrong kind of value: the number",
        ),
        (
            "invalid type: integer",
            "wrong kind of value: the whole number",
        ),
        ("invalid type: string", "wrong kind of value: the text"),
        ("invalid type: boolean", "wrong kind of value: the switch"),
        ("invalid type: sequence", "wrong kind of value: a list"),
        ("invalid type: map", "wrong kind of value: a table"),
        ("expected a string", "expected text"),
        ("expected a boolean", "expected true or false"),
        ("expected a sequence", "expected a list"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u16", "expected a whole number of 0 or more"),
        ("expected u8", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
    ]
    .iter()
    .fold(first.to_string(), |text, (rust, words)| {
        text.replace(rust, words)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_values_are_said_in_words_with_a_fix() {
        let s = Scenario::default();
        let index = with_value(&s, "neighbourhood[9].cohesion", &Value::Float(0.5)).unwrap_err();
        let last = s.neighbourhoods.len() - 1;
        assert!(
            index.ends_with(&format!("(fix: use an index from 0 to {last})")),
            "{index}"
        );
        let named = path_problem(&s, "neighbourhood[Centrum].cohesion").expect("a problem");
        assert_eq!(
            named.fix,
            "write the entry's index, counted from 0, or [*] for every entry"
        );
        assert_eq!(
            plain_type_error("invalid type: string \"high\", expected f64"),
            "wrong kind of value: the text \"high\", expected a number"
        );
        assert_eq!(
            plain_type_error("invalid type: floating point `1500.5`, expected u32"),
            "wrong kind of value: the number `1500.5`, expected a whole number of 0 or more"
        );
        let kind = with_value(&s, "formal", &Value::Integer(3)).unwrap_err();
        assert_eq!(kind, "`formal` takes a table, not a whole number");
        let text = with_value(
            &s,
            "formal.hours_per_1000_residents",
            &Value::String("lots".into()),
        );
        assert_eq!(
            text.unwrap_err(),
            "`formal.hours_per_1000_residents` takes a number, not text (fix: give \
             `formal.hours_per_1000_residents` a value of the kind it takes; the scenario has 200.0)"
        );
        let negative = with_value(&s, "seed", &Value::Integer(-1)).unwrap_err();
        assert!(!negative.contains('\n'), "{negative:?}");
        assert!(
            negative.contains("expected a whole number of 0 or more"),
            "{negative}"
        );
    }

    #[test]
    fn a_key_takes_whole_numbers_by_what_the_scenario_holds_there() {
        let s = Scenario::default();
        assert_eq!(takes_whole_numbers(&s, "weeks"), Some(true));
        assert_eq!(
            takes_whole_numbers(&s, "neighbourhood[*].adults"),
            Some(true)
        );
        assert_eq!(
            takes_whole_numbers(&s, "neighbourhood[1].adults"),
            Some(true)
        );
        // A share and hours are numbers with a fraction, whatever the bounds
        // a user types for them.
        assert_eq!(
            takes_whole_numbers(&s, "neighbourhood[*].cohesion"),
            Some(false)
        );
        let hours = "formal.hours_per_1000_residents";
        assert_eq!(takes_whole_numbers(&s, hours), Some(false));
        // An intervention's key, which the default scenario does not have.
        let (events, _) = super::super::builtin::resolve("pv1-1-cohesion-events").unwrap();
        assert_eq!(
            takes_whole_numbers(&events, "intervention[0].start_week"),
            Some(true)
        );
        assert_eq!(
            takes_whole_numbers(&events, "intervention[0].trust_boost"),
            Some(false)
        );
        assert_eq!(takes_whole_numbers(&s, "intervention[0].start_week"), None);
        assert_eq!(takes_whole_numbers(&s, "formal.hours_per_1000"), None);
        assert_eq!(takes_whole_numbers(&s, "neighbourhood[x"), None);
    }

    #[test]
    fn a_seed_beyond_toml_integers_can_be_set_and_a_larger_number_is_said_too_large() {
        // QA 40: `--set seed=18446744073709551615` (a replicate seed of
        // manifest.json, which `--seed` takes) was refused as text, "give the
        // number …, not text: without quotes", as it had been given.
        let s = Scenario::default();
        let largest = Value::String(u64::MAX.to_string());
        let seeded = with_value(&s, "seed", &largest).unwrap();
        assert_eq!(seeded.seed, u64::MAX);
        let weeks = Value::Integer(4);
        let both = with_values(&s, &[("seed", &largest), ("weeks", &weeks)]).unwrap();
        assert_eq!((both.seed, both.weeks), (u64::MAX, 4));
        let beyond =
            with_value(&s, "seed", &Value::String("99999999999999999999999".into())).unwrap_err();
        assert_eq!(
            beyond,
            "`seed`: 99999999999999999999999 is too large for a whole number (fix: write a seed \
             from 0 to 18446744073709551615)"
        );
        let adults = Value::String("99999999999999999999".into());
        let too_many = with_value(&s, "neighbourhood[0].adults", &adults).unwrap_err();
        assert!(
            too_many.contains("is too large for a whole number"),
            "{too_many}"
        );
        assert!(!too_many.contains("not text"), "{too_many}");
        // An experiment file reads its values as any TOML value first.
        assert_eq!(
            plain_type_error(
                "invalid type: integer `99999999999999999999` as i128, expected any valid TOML value"
            ),
            "99999999999999999999 is too large: expected a smaller whole number (TOML's go up \
             to 9223372036854775807)"
        );
        let u32_beyond = with_value(&s, "weeks", &Value::Integer(5_000_000_000)).unwrap_err();
        assert_eq!(
            u32_beyond,
            "`weeks`: 5000000000 is too large: expected a whole number from 0 to 4294967295 \
             (fix: write a whole number from 0 to 4294967295)"
        );
    }

    #[test]
    fn a_seed_beyond_toml_integers_survives_a_setting() {
        // Replicate seeds reach 2^64 − 1; a TOML integer is an i64.
        let s = Scenario {
            seed: u64::MAX - 7,
            ..Scenario::default()
        };
        let changed = with_value(&s, "weeks", &Value::Integer(4)).unwrap();
        assert_eq!((changed.seed, changed.weeks), (u64::MAX - 7, 4));
        let reseeded = with_value(&s, "seed", &Value::Integer(9)).unwrap();
        assert_eq!(reseeded.seed, 9);
        assert_eq!(set_checked(&s, &[]).unwrap().seed, u64::MAX - 7);
    }

    #[test]
    fn sets_nested_fields_array_entries_and_every_entry() {
        let s = Scenario::default();
        let a = with_value(&s, "formal.hours_per_1000_residents", &Value::Integer(120)).unwrap();
        assert_eq!(a.formal.hours_per_1000_residents, 120.0);
        let b = with_value(&s, "needs.long_term_per_year[3]", &Value::Float(0.2)).unwrap();
        assert_eq!(b.needs.long_term_per_year[3], 0.2);
        let c = with_value(&s, "neighbourhood[1].cohesion", &Value::Float(0.9)).unwrap();
        assert_eq!(c.neighbourhoods[1].cohesion, 0.9);
        assert_eq!(c.neighbourhoods[0].cohesion, s.neighbourhoods[0].cohesion);
        let d = with_value(&s, "neighbourhood[*].cohesion", &Value::Float(0.1)).unwrap();
        assert!(d.neighbourhoods.iter().all(|n| n.cohesion == 0.1));
        let e = with_value(&s, "behaviour.burnout_weeks", &Value::Float(4.0)).unwrap();
        assert_eq!(e.behaviour.strain.burnout_weeks, 4);
    }

    #[test]
    fn a_path_is_checked_without_a_value() {
        let s = Scenario::default();
        assert_eq!(path_problem(&s, "neighbourhood[*].cohesion"), None);
        assert_eq!(path_problem(&s, "formal.hours_per_1000_residents"), None);
        let p = path_problem(&s, "neighbourhood[*].cohesoin").expect("no such key");
        assert_eq!(p.path, "neighbourhood[*].cohesoin");
        assert!(p.message.contains("no field `cohesoin`"), "{p:?}");
        assert_eq!(p.fix, "did you mean `cohesion`?");
        let p = path_problem(&s, "neighbourhood[9].cohesion").expect("no such entry");
        assert!(p.message.contains("index 9"), "{p:?}");
        assert!(path_problem(&s, "a..b").is_some());
    }

    #[test]
    fn bad_paths_and_values_are_explained() {
        let s = Scenario::default();
        let err = with_value(&s, "formal.hours", &Value::Float(1.0)).unwrap_err();
        assert!(err.contains("no field `hours`") && err.contains("hours_per_1000_residents"));
        let err = with_value(&s, "neighbourhood[9].cohesion", &Value::Float(0.1)).unwrap_err();
        assert!(err.contains("index 9"), "{err}");
        let err = with_value(&s, "neighbourhood[0].cohesion", &Value::Float(1.5)).unwrap_err();
        assert!(err.contains("cohesion"), "{err}");
        let err = with_value(&s, "behaviour.burnout_weeks", &Value::Float(4.5)).unwrap_err();
        assert!(err.contains("whole number"), "{err}");
        let err = with_value(&s, "name", &Value::Float(4.5)).unwrap_err();
        assert!(err.contains("`name` takes text, not a number"), "{err}");
        assert!(parse("a[1").is_err() && parse("a..b").is_err());
    }
}
