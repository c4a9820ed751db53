//! docs/ODD.md is the model's description of record: §1.3 scores the targets
//! `carenet calibrate` scores, against the same ranges; §8 has a row for every
//! key, with the default the code takes when it is left out and the range the
//! validator accepts; §9 defines every column the code writes (summary.csv
//! here; the other tables in `cli::every_column_of_a_runs_tables_…`).

use carenet::scenario::Scenario;
use toml::Value;

/// A row of §8's tables for one key written as `` `a.b[2].c` ``.
struct ParameterRow {
    key: String,
    default: String,
    allowed: String,
}

/// The rows of §8's tables that name one key.
fn parameter_rows() -> Vec<ParameterRow> {
    rows_naming_keys(&odd_section("\n## 8. Parameters", "\n## 9."))
}

/// The rows of a section's tables whose first cell is one key in backticks.
fn rows_naming_keys(section: &str) -> Vec<ParameterRow> {
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let key = cells.first()?.strip_prefix("| `")?.strip_suffix('`')?;
            Some(ParameterRow {
                key: key.to_string(),
                default: cells.get(1)?.trim().to_string(),
                allowed: cells.get(2)?.trim().to_string(),
            })
        })
        .collect()
}

/// The value at `key` (dots between tables, `[i]` for a list's entry).
fn value_at<'a>(root: &'a Value, key: &str) -> Option<&'a Value> {
    let mut value = root;
    for part in key.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (part, None),
        };
        value = value.get(name)?;
        if let Some(i) = index {
            value = value.get(i)?;
        }
    }
    Some(value)
}

/// Whether a default as the ODD writes it equals the code's.
fn same(written: &Value, code: &Value) -> bool {
    let number = |v: &Value| match v {
        Value::Float(x) => Some(*x),
        Value::Integer(i) => Some(*i as f64),
        _ => None,
    };
    match (written, code) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Table(a), Value::Table(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
        }
        _ => match (number(written), number(code)) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            _ => written == code,
        },
    }
}

/// A key of one parameter: table names and fields joined by dots.
fn is_plain_key(key: &str) -> bool {
    key.contains('.')
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._[]".contains(c))
        && !key.contains("[[")
}

/// A default as the ODD writes it, read as a TOML value: numbers (with a
/// typographic minus or thousands separators), lists, `{ min, max }`, `true`,
/// quoted text, each perhaps followed by a remark in brackets ("(0.4 until
/// session 19)"). Words ("none", "all six tasks") are not values: `None`.
fn literal(cell: &str) -> Option<Value> {
    let value = cell
        .split(" (")
        .next()?
        .trim()
        .trim_matches('`')
        .replace('−', "-");
    let value = if value.chars().all(|c| c.is_ascii_digit() || c == ',') {
        value.replace(',', "")
    } else {
        value
    };
    let table: toml::Table = toml::from_str(&format!("v = {value}")).ok()?;
    table.get("v").cloned()
}

#[test]
fn the_defaults_in_the_odds_parameter_tables_are_the_codes() {
    let code = Value::try_from(Scenario::default()).expect("the default scenario is TOML");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for ParameterRow {
        key, default: cell, ..
    } in parameter_rows()
    {
        let Some(in_code) = value_at(&code, &key) else {
            // Rows for every entry of a list (`[[neighbourhood]].cohesion`), for
            // a family of keys (`scope.<kind>.<task>`) or for an intervention's
            // settings name no one key; any other dotted key must exist.
            if is_plain_key(&key) {
                wrong.push(format!("{key}: the ODD names a key the code does not have"));
            }
            continue;
        };
        let Some(parsed) = literal(&cell) else {
            continue;
        };
        checked += 1;
        if !same(&parsed, in_code) {
            wrong.push(format!("{key}: ODD says {cell}, the code {in_code}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "docs/ODD.md §8 gives defaults the code does not take:\n{}",
        wrong.join("\n")
    );
    assert!(checked >= 100, "only {checked} defaults of §8 were checked");
}

/// §1.3's table of calibrated parameters gives the defaults the code takes (in
/// session 38 its predecessor, the first calibration's table, still said
/// `comfortable_share` 0.8 and `strain_gain` 0.03 where the code took 0.62 and
/// 0.047), and each of them is a key of §8.
#[test]
fn the_calibrated_parameters_of_section_1_3_are_the_codes() {
    let code = Value::try_from(Scenario::default()).expect("the default scenario is TOML");
    let section = odd_section(
        "\n**The calibrated parameters.**",
        "\n**Calibration tool.**",
    );
    let documented: Vec<String> = parameter_rows().into_iter().map(|r| r.key).collect();
    let rows = rows_naming_keys(&section);
    assert!(
        rows.len() >= 20,
        "only {} calibrated parameters",
        rows.len()
    );
    for ParameterRow { key, default, .. } in rows {
        let in_code = value_at(&code, &key).unwrap_or_else(|| panic!("{key}: not a key"));
        let written = literal(&default).unwrap_or_else(|| panic!("{key}: {default}"));
        assert!(
            same(&written, in_code),
            "{key}: §1.3 says {default}, the code {in_code}"
        );
        // §8.9 gives the scope as one table of kinds by tasks, not a row a key.
        assert!(
            documented.contains(&key) || key.starts_with("scope."),
            "{key}: no row in §8"
        );
    }
}

/// The names a section of docs/ODD.md writes in backticks; a name with a
/// placeholder (`cbs_carers_aged_<band>_share`) stands for every name that
/// fills it.
fn documented(section: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut names = Vec::new();
    let mut patterns = Vec::new();
    for (i, piece) in section.split('`').enumerate() {
        if i % 2 == 0 || piece.contains(' ') {
            continue;
        }
        match piece.split_once('<').zip(piece.split_once('>')) {
            Some(((prefix, _), (_, suffix))) => {
                patterns.push((prefix.to_string(), suffix.to_string()));
            }
            None => names.push(piece.to_string()),
        }
    }
    (names, patterns)
}

/// docs/ODD.md's section between the headings that start `from` and `to`.
pub(crate) fn odd_section(from: &str, to: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let odd = std::fs::read_to_string(format!("{root}/docs/ODD.md")).expect("docs/ODD.md");
    let start = odd.find(from).unwrap_or_else(|| panic!("ODD has {from}"));
    let end = start
        + odd[start..]
            .find(to)
            .unwrap_or_else(|| panic!("ODD has {to}"));
    odd[start..end].to_string()
}

/// The `columns` that `section` does not define.
pub(crate) fn undefined<'a>(section: &str, columns: &[&'a str]) -> Vec<&'a str> {
    let (names, patterns) = documented(section);
    columns
        .iter()
        .copied()
        .filter(|c| {
            !names.iter().any(|n| n == c)
                && !patterns.iter().any(|(prefix, suffix)| {
                    c.len() > prefix.len() + suffix.len()
                        && c.starts_with(prefix.as_str())
                        && c.ends_with(suffix.as_str())
                })
        })
        .collect()
}

/// Every column of `summary.csv` (the baseline's snapshot holds its header) is
/// defined in docs/ODD.md §9.9, and the section gives their number.
#[test]
fn every_summary_column_is_defined_in_the_odd() {
    let section = odd_section("\n### 9.9 `summary.csv`", "\n### 9.10");
    let snapshot = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/baseline.summary.csv"
    ))
    .expect("the baseline's summary snapshot");
    let columns: Vec<&str> = snapshot
        .lines()
        .next()
        .expect("a header")
        .split(',')
        .collect();
    let missing = undefined(&section, &columns);
    assert!(
        missing.is_empty(),
        "summary.csv columns docs/ODD.md §9.9 does not define: {missing:?}"
    );
    let count = format!(
        "{} columns ({} in runs of replicates",
        columns.len(),
        columns.len() + 1
    );
    assert!(section.contains(&count), "§9.9 says \"{count}\"");
}

/// The range a §8 row allows for a number when that is all it says: `a–b`
/// (inclusive; `100,000` with a thousands separator), for lists `each a–b`.
/// Other forms ("> 0", "not checked", a range with a further condition) are
/// `None`.
fn written_range(cell: &str) -> Option<(f64, f64, bool)> {
    let each = cell.starts_with("each ");
    let cell = cell
        .trim_start_matches("each ")
        .replace('−', "-")
        .replace(',', "");
    // "-50–50": the en dash separates the ends, a hyphen is a minus.
    let (low, high) = cell.split_once('–')?;
    Some((low.parse().ok()?, high.parse().ok()?, each))
}

/// A scenario with `value` at `key` (the first entry, for a list).
fn with_value(key: &str, value: f64, each: bool) -> Option<Scenario> {
    let mut root = Value::try_from(Scenario::default()).ok()?;
    let mut slot = &mut root;
    for part in key.split('.') {
        slot = slot.get_mut(part)?;
    }
    if each {
        slot = slot.get_mut(0)?;
    }
    *slot = match slot {
        Value::Integer(_) if value.fract() == 0.0 => Value::Integer(value as i64),
        Value::Integer(_) => return None,
        Value::Float(_) => Value::Float(value),
        _ => return None,
    };
    root.try_into().ok()
}

/// The ranges §8 allows are the validator's: both ends pass, and a value
/// just beyond either end is refused with an error naming the key.
#[test]
fn the_ranges_in_the_odds_parameter_tables_are_the_validators() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for ParameterRow { key, allowed, .. } in parameter_rows() {
        let key = key.as_str();
        let Some((low, high, each)) = written_range(&allowed) else {
            continue;
        };
        let refused = |value: f64| {
            with_value(key, value, each).map(|s| {
                carenet::scenario::validate(&s)
                    .iter()
                    .any(|p| p.path.starts_with(key))
            })
        };
        let step = if (high - low) >= 2.0 && low.fract() == 0.0 && high.fract() == 0.0 {
            1.0
        } else {
            (high - low).abs().max(1.0) * 1e-3
        };
        let cases = [
            (low, false),
            (high, false),
            (low - step, true),
            (high + step, true),
        ];
        let mut any = false;
        for (value, should_refuse) in cases {
            if let Some(was) = refused(value) {
                any = true;
                if was != should_refuse {
                    wrong.push(format!(
                        "{key} = {value}: §8 allows {low}–{high}, the validator {}",
                        if was { "refuses it" } else { "accepts it" }
                    ));
                }
            }
        }
        checked += usize::from(any);
    }
    assert!(
        wrong.is_empty(),
        "docs/ODD.md §8's ranges and the validator disagree:\n{}",
        wrong.join("\n")
    );
    assert!(checked >= 50, "only {checked} ranges of §8 were checked");
}

/// The keys of a scenario as TOML: tables are walked, anything else (numbers,
/// text, lists, lists of tables) is a key.
fn keys_of(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::Table(table) => {
            for (name, inner) in table {
                let key = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                keys_of(inner, &key, out);
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

/// Every key a scenario file can hold has its row in §8: the key itself, a
/// table it belongs to (`outside.distance_km` for `.min`), a family of keys
/// (`scope.<kind>.<task>`), or the entries of a list (`[[neighbourhood]].name`
/// for `neighbourhood`).
#[test]
fn every_parameter_has_its_row_in_the_odd() {
    let section = odd_section("\n## 8. Parameters", "\n## 9.");
    let rows: Vec<String> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| ")?.split(" | ").next())
        .flat_map(|cell| {
            cell.split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, key)| key.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let documented = |key: &str| {
        let table = key.rsplit_once('.').map_or("", |(table, _)| table);
        rows.iter().any(|row| {
            row == key
                || row == table
                || row.starts_with(&format!("[[{key}]]."))
                || row
                    .split_once('<')
                    .is_some_and(|(prefix, _)| !prefix.is_empty() && key.starts_with(prefix))
        })
    };
    let mut keys = Vec::new();
    keys_of(
        &Value::try_from(Scenario::default()).expect("the default scenario is TOML"),
        "",
        &mut keys,
    );
    let missing: Vec<&String> = keys.iter().filter(|k| !documented(k)).collect();
    assert!(
        missing.is_empty(),
        "keys of a scenario without a row in docs/ODD.md §8: {missing:?}"
    );
    assert!(keys.len() >= 150, "{} keys", keys.len());
}

/// The first `a–b` range in `text`, in a bracket if there is one, as written
/// (a percentage as a share).
fn range_in(text: &str) -> Option<(f64, f64)> {
    let text = text.replace('−', "-");
    let inner = text
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map_or(text.as_str(), |(inside, _)| inside);
    let (low, rest) = inner.split_once('–')?;
    let low = low
        .rsplit(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()?;
    let high: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let scale = if rest[high.len()..].starts_with('%') {
        0.01
    } else {
        1.0
    };
    Some((
        low.parse::<f64>().ok()? * scale,
        high.parse::<f64>().ok()? * scale,
    ))
}

/// §1.3's table marks as scored exactly the targets `carenet calibrate`
/// scores, with the ranges it scores them against.
#[test]
fn the_scored_targets_of_the_odd_are_the_calibrations() {
    use carenet::experiment::targets::TARGETS;
    let section = odd_section(
        "\n### 1.3 Calibration targets",
        "\n**The calibrated parameters.**",
    );
    let mut scored = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let (Some(metric), Some(target), Some(is_scored)) =
            (cells.first(), cells.get(1), cells.get(4))
        else {
            continue;
        };
        if !is_scored.starts_with("yes") {
            continue;
        }
        let column = metric
            .split('`')
            .nth(1)
            .expect("a scored row names its column");
        let code = TARGETS
            .iter()
            .find(|t| t.column == column)
            .unwrap_or_else(|| panic!("§1.3 scores {column}, carenet calibrate does not"));
        // Every scored row says against what: a row without a range would
        // skip the comparison, and §1.3 would not say what calibrate scores.
        let (low, high) = range_in(is_scored)
            .or_else(|| range_in(target))
            .unwrap_or_else(|| {
                panic!(
                    "{column}: §1.3 scores it but gives no range, the code {}–{}",
                    code.low, code.high
                )
            });
        assert!(
            (low - code.low).abs() < 1e-9 && (high - code.high).abs() < 1e-9,
            "{column}: §1.3 scores it against {low}–{high}, the code against {}–{}",
            code.low,
            code.high
        );
        scored.push(column);
    }
    let mut code: Vec<&str> = TARGETS.iter().map(|t| t.column).collect();
    code.sort_unstable();
    scored.sort_unstable();
    assert_eq!(
        scored, code,
        "§1.3's scored rows against carenet calibrate's targets"
    );
}
