//! `--set KEY=VALUE` on run, compare, sweep, calibrate, sensitivity and
//! validate: scenario fields changed from the command line by their key path,
//! through the same machinery experiments vary parameters with
//! ([`carenet::scenario::overrides::apply_or_problems`]), so a changed scenario is
//! checked exactly like a scenario file. What this module adds is the command
//! line's side: reading `KEY=VALUE`, and errors that name the flag and suggest
//! the nearest key.

use carenet::scenario::{Problem, Scenario, decimal_comma_number, kind_fix, overrides};
use toml::Value;

use super::{EXIT_INVALID_INPUT, Failure};

/// One `--set KEY=VALUE`, as given and as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// `KEY=VALUE` as typed, for the manifest and error messages.
    pub text: String,
    pub key: String,
    pub value: Value,
}

/// What the `--set` flag's help says for every command.
macro_rules! set_help {
    ($recorded:literal) => {
        concat!(
            "Change a scenario field by its key path, as in scenario and experiment files, \
e.g. --set formal.hours_per_1000_residents=300 or --set 'neighbourhood[*].cohesion=0.6' \
(repeatable, applied in order; the value is TOML: a number, true/false, [a, b], or text). \
Checked like a scenario file and ",
            $recorded
        )
    };
}

/// The `--set` flag's help for run and compare.
pub const HELP: &str = set_help!("recorded in manifest.json");

/// The `--set` flag's help for sweep, sensitivity and calibrate, which record
/// the options in the folder's experiment.toml, not in a manifest (QA 31).
pub const EXPERIMENT_HELP: &str = set_help!(
    "applied to every point (not to a key the design varies); recorded as comments \
in the folder's experiment.toml, so that a resume with other --set options is refused"
);

/// Reads `KEY=VALUE` (clap's value parser). The value is read as a TOML value;
/// text that is not one (e.g. `name=my-run`) is taken as a string.
pub fn parse(text: &str) -> Result<Override, String> {
    let Some((key, raw)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not KEY=VALUE; write e.g. --set formal.hours_per_1000_residents=300"
        ));
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("`{text}` has no key before `=`"));
    }
    let raw = raw.trim();
    let value = format!("value = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut table| table.remove("value"))
        .unwrap_or_else(|| Value::String(raw.to_string()));
    Ok(Override {
        text: text.to_string(),
        key: key.to_string(),
        value,
    })
}

/// The overrides as the manifest records them: `KEY=VALUE` as typed, in order.
pub fn record(overrides: &[Override]) -> Vec<String> {
    overrides.iter().map(|o| o.text.clone()).collect()
}

/// `scenario` with every override applied in order and checked once like a
/// scenario file after all are set (so that values which must agree, such as
/// shares summing to one, can be changed together); otherwise an invalid-input
/// error with every problem found, each naming its flag, the key and the fix.
pub fn apply(scenario: &Scenario, overrides: &[Override]) -> Result<Scenario, Failure> {
    let settings: Vec<overrides::Override> = overrides
        .iter()
        .map(|o| overrides::Override::new(o.key.clone(), o.value.clone()))
        .collect();
    overrides::apply_or_problems(scenario, &settings).map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|problem| describe(scenario, overrides, problem))
            .collect();
        Failure {
            code: EXIT_INVALID_INPUT,
            error: anyhow::anyhow!(lines.join("\n")),
        }
    })
}

/// One problem of the overrides as a line or two: the flag it comes from (the
/// override of that key path, or the ones that touch the key the checks name),
/// what is wrong and the fix.
fn describe(scenario: &Scenario, given: &[Override], problem: &Problem) -> String {
    if let Some(o) = given.iter().rev().find(|o| o.key == problem.path) {
        return explain(scenario, o, problem);
    }
    let flags: Vec<&str> = given
        .iter()
        .filter(|o| overlap(&o.key, &problem.path))
        .map(|o| o.text.as_str())
        .collect();
    let flags = if flags.is_empty() {
        given.iter().map(|o| o.text.as_str()).collect::<Vec<_>>()
    } else {
        flags
    };
    format!(
        "--set {}: {}: {}\n  fix: {}",
        flags.join(" --set "),
        problem.path,
        problem.message,
        problem.fix
    )
}

/// Refuses an override of a key path the experiment itself varies (the two
/// would fight over the field; which won would depend on order).
pub fn check_not_varied(overrides: &[Override], columns: &[String]) -> Result<(), Failure> {
    for o in overrides {
        if let Some(column) = columns.iter().find(|c| overlap(&o.key, c)) {
            return Err(Failure {
                code: EXIT_INVALID_INPUT,
                error: anyhow::anyhow!(
                    "--set {}: the experiment varies `{column}`, which `{}` overlaps\n  \
                     fix: leave out this --set, or remove `{column}` from the experiment's parameters",
                    o.text,
                    o.key
                ),
            });
        }
    }
    Ok(())
}

/// The message for an override's own problem: an unknown key gets the nearest
/// known key, a value of the wrong kind what the key holds now.
fn explain(scenario: &Scenario, o: &Override, problem: &Problem) -> String {
    let known = Value::try_from(scenario)
        .map(|root| key_paths(&root))
        .unwrap_or_default();
    if let Some(said) = entry_problem(scenario, o) {
        return said;
    }
    let pattern = generic(&o.key);
    if !known.contains(&pattern) {
        let fix = match nearest(&pattern, &known) {
            Some(best) => format!("did you mean `{}`?", specific(best, &o.key)),
            None => "use a key path of the scenario file, e.g. formal.hours_per_1000_residents \
                     or neighbourhood[0].cohesion (docs/ODD.md §8 lists them)"
                .to_string(),
        };
        return format!(
            "--set {}: `{}` is not a scenario key\n  fix: {fix}",
            o.text, o.key
        );
    }
    let written = o.text.split_once('=').map_or("", |(_, value)| value);
    let whole_number = current(scenario, &o.key).is_some_and(|v| v.parse::<i64>().is_ok());
    let fix = if let Some(number) = decimal_comma_number(written) {
        if whole_number {
            // QA 33: `8,5` for a key of whole numbers got "write 8.5", which
            // is refused in turn.
            format!(
                "`{}` takes a whole number, without a decimal comma or point: e.g. {}={}",
                o.key,
                o.key,
                number.round()
            )
        } else {
            format!("write the number with a decimal point: {}={number}", o.key)
        }
    } else if problem.fix == kind_fix(&o.key) {
        // The library names the scenario's value in the fix of a value of the
        // wrong kind; this is for the fixes it gives without one.
        format!(
            "{}{}",
            problem.fix,
            current(scenario, &o.key)
                .map_or_else(String::new, |v| format!("; the scenario has {v}"))
        )
    } else {
        problem.fix.clone()
    };
    format!("--set {}: {}\n  fix: {fix}", o.text, problem.message)
}

/// An override of an entry of a list that names the entry rather than its
/// index (`neighbourhood[Centrum].cohesion`), or that the scenario does not
/// have at all (`intervention[0].kind` where it has no intervention): said
/// with the index to write, or that --set cannot add an entry (QA 35: the
/// first was told to "give it a value of the kind it takes", the second "did
/// you mean `intervention[0]`?").
fn entry_problem(scenario: &Scenario, o: &Override) -> Option<String> {
    let root = Value::try_from(scenario).ok()?;
    let (list, rest) = o.key.split_once('[')?;
    let (inside, after) = rest.split_once(']')?;
    let items = root.as_table()?.get(list)?.as_array()?;
    if items.is_empty() {
        return Some(format!(
            "--set {}: the scenario has no `{list}` entries, so `{}` is not there
  \
             fix: add a [[{list}]] table to the scenario file (--set changes the fields of the \
             entries a scenario has; it cannot add one)",
            o.text, o.key
        ));
    }
    if inside == "*" || inside.parse::<usize>().is_ok() {
        return None;
    }
    let named = |item: &Value| item.get("name").and_then(Value::as_str) == Some(inside);
    let fix = match items.iter().position(named) {
        Some(i) => format!("`{inside}` is {list}[{i}]: --set {list}[{i}]{after}=…"),
        None => format!(
            "write the entry's index, counted from 0 (0 to {}), or [*] for every entry",
            items.len() - 1
        ),
    };
    Some(format!(
        "--set {}: `{inside}` in `{}` is not an index
  fix: {fix}",
        o.text, o.key
    ))
}

/// The value the scenario holds at `key` (first entry for `[*]`), as TOML.
fn current(scenario: &Scenario, key: &str) -> Option<String> {
    let mut node = Value::try_from(scenario).ok()?;
    for token in tokens(key) {
        node = match token.strip_prefix('[') {
            Some(index) => {
                let index = index.trim_end_matches(']');
                let i = if index == "*" { 0 } else { index.parse().ok()? };
                node.as_array()?.get(i)?.clone()
            }
            None => node.as_table()?.get(token)?.clone(),
        };
    }
    Some(node.to_string())
}

/// Every key path of a scenario's table, array entries written `[*]`.
fn key_paths(root: &Value) -> Vec<String> {
    let mut paths = Vec::new();
    collect(root, String::new(), &mut paths);
    paths
}

fn collect(node: &Value, prefix: String, paths: &mut Vec<String>) {
    if !prefix.is_empty() {
        paths.push(prefix.clone());
    }
    match node {
        Value::Table(table) => {
            for (key, child) in table {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                collect(child, path, paths);
            }
        }
        Value::Array(items) => {
            let every = format!("{prefix}[*]");
            if items.is_empty() {
                paths.push(every);
            } else {
                let before = paths.len();
                for item in items {
                    collect(item, every.clone(), paths);
                }
                let mut added = paths.split_off(before);
                added.sort();
                added.dedup();
                paths.extend(added);
            }
        }
        _ => {}
    }
}

/// A key path's parts: keys and `[..]` indices.
fn tokens(path: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        while let Some(open) = rest.find('[') {
            if open > 0 {
                parts.push(&rest[..open]);
            }
            let close = rest[open..].find(']').map_or(rest.len(), |c| open + c + 1);
            parts.push(&rest[open..close]);
            rest = &rest[close..];
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
    }
    parts
}

/// The path with every index written `[*]`.
fn generic(path: &str) -> String {
    join(tokens(path).into_iter().map(|t| {
        if t.starts_with('[') {
            "[*]".to_string()
        } else {
            t.to_string()
        }
    }))
}

/// A known generic path with the user's own indices put back where they fit.
fn specific(known: &str, typed: &str) -> String {
    let mut indices = tokens(typed)
        .into_iter()
        .filter(|t| t.starts_with('['))
        .map(str::to_string);
    join(tokens(known).into_iter().map(|t| {
        if t == "[*]" {
            indices.next().unwrap_or_else(|| "[0]".to_string())
        } else {
            t.to_string()
        }
    }))
}

fn join(parts: impl Iterator<Item = String>) -> String {
    let mut path = String::new();
    for part in parts {
        if !path.is_empty() && !part.starts_with('[') {
            path.push('.');
        }
        path.push_str(&part);
    }
    path
}

/// The known path nearest to `pattern` by edit distance, if it is near enough
/// to be a slip (the same bound the scenario loader uses for unknown keys), or
/// else the path whose last part is the one typed, nearly (a right key under a
/// misspelt or missing section).
fn nearest<'a>(pattern: &str, known: &'a [String]) -> Option<&'a str> {
    let last = |p: &str| tokens(p).last().map_or(String::new(), |t| t.to_string());
    let best = |distance: &dyn Fn(&str) -> (usize, usize)| {
        known
            .iter()
            .map(|k| (distance(k), k.as_str()))
            .filter(|((d, bound), _)| d <= bound)
            .min_by_key(|((d, _), k)| (*d, k.len()))
            .map(|(_, k)| k)
    };
    best(&|k| (strsim::damerau_levenshtein(pattern, k), 3.max(k.len() / 3))).or_else(|| {
        let typed = last(pattern);
        best(&|k| {
            let leaf = last(k);
            (strsim::damerau_levenshtein(&typed, &leaf), leaf.len() / 5)
        })
    })
}

/// True if one key path is the other or inside it (`[*]` matches any index).
fn overlap(a: &str, b: &str) -> bool {
    tokens(a).iter().zip(tokens(b).iter()).all(|(x, y)| {
        x == y || (x.starts_with('[') && y.starts_with('[') && (*x == "[*]" || *y == "[*]"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Override {
        parse(text).unwrap()
    }

    #[test]
    fn values_are_read_as_toml_and_plain_text_as_a_string() {
        assert_eq!(set("a.b=300").value, Value::Integer(300));
        assert_eq!(set("a=0.5").value, Value::Float(0.5));
        assert_eq!(set("a=true").value, Value::Boolean(true));
        assert_eq!(set("name=my-run").value, Value::String("my-run".into()));
        assert_eq!(set("name=\"x y\"").value, Value::String("x y".into()));
        assert!(parse("no-equals").is_err() && parse("=3").is_err());
    }

    #[test]
    fn overrides_change_the_scenario_in_order() {
        let s = Scenario::default();
        let changed = apply(
            &s,
            &[
                set("neighbourhood[*].cohesion=0.6"),
                set("neighbourhood[1].cohesion=0.2"),
                set("formal.hours_per_1000_residents=300"),
            ],
        )
        .unwrap();
        assert_eq!(changed.neighbourhoods[0].cohesion, 0.6);
        assert_eq!(changed.neighbourhoods[1].cohesion, 0.2);
        assert_eq!(changed.formal.hours_per_1000_residents, 300.0);
    }

    fn error(text: &str) -> String {
        let failure = apply(&Scenario::default(), &[set(text)]).unwrap_err();
        assert_eq!(failure.code, EXIT_INVALID_INPUT);
        failure.error.to_string()
    }

    #[test]
    fn an_entry_named_instead_of_indexed_gets_its_index() {
        let first = &Scenario::default().neighbourhoods[0].name;
        let e = error(&format!("neighbourhood[{first}].cohesion=0.5"));
        assert!(
            e.contains(&format!(
                "fix: `{first}` is neighbourhood[0]: --set neighbourhood[0].cohesion=…"
            )),
            "{e}"
        );
        let e = error("neighbourhood[Nowhere].cohesion=0.5");
        assert!(
            e.contains("write the entry's index, counted from 0 (0 to 4)"),
            "{e}"
        );
    }

    #[test]
    fn an_entry_of_an_empty_list_says_set_cannot_add_one() {
        let e = error("intervention[0].kind=respite");
        assert!(
            e.contains("the scenario has no `intervention` entries"),
            "{e}"
        );
        assert!(
            e.contains("add a [[intervention]] table to the scenario file"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_key_gets_the_nearest_known_one() {
        let e = error("formal.hours_per_1000=300");
        assert!(e.contains("--set formal.hours_per_1000=300"), "{e}");
        assert!(e.contains("`formal.hours_per_1000_residents`"), "{e}");
        let e = error("neighbourhood[2].cohesin=0.5");
        assert!(e.contains("`neighbourhood[2].cohesion`"), "{e}");
        let e = error("hours_per_1000_residents=300");
        assert!(e.contains("`formal.hours_per_1000_residents`"), "{e}");
        let e = error("hours=3");
        assert!(
            !e.contains("did you mean"),
            "no far-fetched suggestion: {e}"
        );
    }

    #[test]
    fn a_bad_value_names_the_key_and_the_fix() {
        let e = error("neighbourhood[0].cohesion=1.5");
        assert!(e.contains("--set neighbourhood[0].cohesion=1.5"), "{e}");
        assert!(e.contains("fix:"), "{e}");
        // A fix that ends in a bracket of its own keeps it.
        let e = error("population.living_alone_by_age=[0,0,0,0]");
        assert!(e.ends_with("(equal shares: no age pattern)"), "{e}");
        let e = error("formal.hours_per_1000_residents=lots");
        assert!(
            e.contains("takes a number, not text") && e.contains("the scenario has"),
            "{e}"
        );
        // A Dutch decimal comma gets the setting to write instead.
        let e = error("formal.hours_per_1000_residents=32,40");
        assert!(
            e.ends_with(
                "fix: write the number with a decimal point: formal.hours_per_1000_residents=32.4"
            ),
            "{e}"
        );
        // QA 33: a key of whole numbers is not told to take a decimal point.
        let e = error("demography.pair_up_max_age_gap_years=8,5");
        assert!(
            e.ends_with(
                "fix: `demography.pair_up_max_age_gap_years` takes a whole number, without a \
                 decimal comma or point: e.g. demography.pair_up_max_age_gap_years=9"
            ),
            "{e}"
        );
        let e = error("weeks=10,0");
        assert!(e.ends_with("e.g. weeks=10"), "{e}");
    }

    #[test]
    fn a_problem_of_every_entry_of_a_wildcard_is_said_once() {
        let e = error("neighbourhood[*].cohesion=2");
        assert_eq!(e.matches("fix:").count(), 1, "{e}");
        assert!(
            e.starts_with("--set neighbourhood[*].cohesion=2: 2 is out of range"),
            "{e}"
        );
        assert!(
            e.ends_with("fix: set `neighbourhood[*].cohesion` to a value from 0 to 1"),
            "{e}"
        );
        assert!(!e.contains("neighbourhood[0]"), "{e}");
        // One entry's own problem keeps its entry.
        let e = error("neighbourhood[1].cohesion=2");
        assert!(e.contains("set `neighbourhood[1].cohesion`"), "{e}");
    }

    #[test]
    fn shares_that_must_agree_are_changed_together_and_every_problem_is_named() {
        let s = Scenario::default();
        let mix = [
            set("neighbourhood[0].age_mix[0]=0.45"),
            set("neighbourhood[0].age_mix[1]=0.22"),
        ];
        assert!(apply(&s, &mix[..1]).is_err());
        assert_eq!(apply(&s, &mix).unwrap().neighbourhoods[0].age_mix[1], 0.22);
        let failure = apply(
            &s,
            &[
                set("formal.hours_per_1000=300"),
                set("neighbourhood[0].cohesion=1.5"),
                set("weeks=many"),
            ],
        )
        .unwrap_err();
        let e = failure.error.to_string();
        assert!(
            e.contains(
                "--set formal.hours_per_1000=300: `formal.hours_per_1000` is not a scenario key"
            ),
            "{e}"
        );
        assert!(e.contains("--set weeks=many"), "{e}");
        assert!(e.contains("--set neighbourhood[0].cohesion=1.5"), "{e}");
        assert_eq!(e.matches("fix:").count(), 3, "{e}");
    }

    #[test]
    fn overlapping_paths_are_found() {
        assert!(overlap(
            "neighbourhood[*].cohesion",
            "neighbourhood[1].cohesion"
        ));
        assert!(overlap(
            "needs.long_term_per_year",
            "needs.long_term_per_year[3]"
        ));
        assert!(!overlap(
            "neighbourhood[0].cohesion",
            "neighbourhood[1].cohesion"
        ));
        assert!(!overlap(
            "formal.network_first",
            "formal.hours_per_1000_residents"
        ));
        let columns = vec!["neighbourhood[*].cohesion".to_string()];
        assert!(check_not_varied(&[set("neighbourhood[0].cohesion=0.1")], &columns).is_err());
        assert!(check_not_varied(&[set("formal.network_first=true")], &columns).is_ok());
    }
}
