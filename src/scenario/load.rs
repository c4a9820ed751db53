//! Reading a scenario file, with errors a social scientist can act on: each names the
//! file, the line and column or key path, what was expected, and how to fix it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Scenario, validate};

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Key path of the offending value, e.g. `neighbourhood[2].cohesion`.
    pub path: String,
    /// 1-based line and column in the file, where the value is written there.
    pub position: Option<(usize, usize)>,
    /// What is wrong, and what was expected.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl Problem {
    pub fn new(
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            position: None,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// Why a scenario could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read scenario file {}: {source}\n  fix: check the path; `carenet list` shows the shipped scenarios", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", render(file, problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The problems found, empty for a read error.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScenarioError::Read { .. } => &[],
            ScenarioError::Invalid { problems, .. } => problems,
        }
    }
}

fn render(file: &str, problems: &[Problem]) -> String {
    render_problems("scenario", file, problems)
}

/// The list of a file's problems as carenet prints it: "`what` FILE has N
/// problems:", then each with its place, message and fix.
pub(crate) fn render_problems(what: &str, file: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    let count = problems.len();
    let noun = if count == 1 { "problem" } else { "problems" };
    out.push_str(&format!("{what} {file} has {count} {noun}:"));
    for problem in problems {
        out.push_str(&format!("\n{}", PlacedProblem { file, problem }));
    }
    out
}

struct PlacedProblem<'a> {
    file: &'a str,
    problem: &'a Problem,
}

impl fmt::Display for PlacedProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Problem {
            path,
            position,
            message,
            fix,
        } = self.problem;
        write!(f, "  {}", self.file)?;
        if let Some((line, column)) = position {
            write!(f, ":{line}:{column}")?;
        }
        if !path.is_empty() {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {message}\n    fix: {fix}")
    }
}

/// Reads, parses and validates a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.display().to_string();
    let text =
        String::from_utf8(bytes).map_err(|e| not_utf8(&file, e.as_bytes(), e.utf8_error()))?;
    parse_str(&text, &file)
}

/// A scenario file that is not UTF-8, at the first byte that is not (QA 28:
/// an `é` saved as Latin-1 was answered "fix: check the path").
fn not_utf8(file: &str, bytes: &[u8], error: std::str::Utf8Error) -> ScenarioError {
    let at = error.valid_up_to();
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    let mut problem = Problem::new(
        "",
        format!(
            "byte 0x{:02X} is not UTF-8: the file was saved in another encoding \
             (a letter such as é or ë as Latin-1 or Windows-1252)",
            bytes[at]
        ),
        "save the file as UTF-8 (Notepad: Save as, Encoding UTF-8; \
         most editors show the encoding in their status bar)",
    );
    problem.position = Some((line, column));
    ScenarioError::Invalid {
        file: file.to_string(),
        problems: vec![problem],
    }
}

/// Parses and validates scenario text; `file` names it in messages.
pub fn parse_str(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    if sets_nothing(text) {
        return Err(ScenarioError::Invalid {
            file: file.to_string(),
            problems: vec![Problem::new(
                "",
                "the scenario is empty: it sets no keys, so it would silently run the baseline",
                "write the scenario's settings (`carenet new NAME` writes a commented starter), \
                 or run the baseline on purpose with `carenet run` and no file",
            )],
        });
    }
    if let Some(problem) = an_experiment_file(text, file) {
        return Err(ScenarioError::Invalid {
            file: file.to_string(),
            problems: vec![problem],
        });
    }
    let problems = match toml::from_str::<Scenario>(text) {
        // The usual case: the file reads, and only its values need checking.
        Ok(scenario) => {
            let original = toml_edit::Document::parse(text).ok();
            let too_long = original
                .as_ref()
                .map(|doc| lists_too_long(doc.as_item(), text, &scenario))
                .unwrap_or_default();
            // A list's values past those it takes were not read, so the
            // checks of the rest (out of range at [1]) follow from it.
            let problems: Vec<Problem> = validate(&scenario)
                .into_iter()
                .filter(|p| !too_long.iter().any(|long| within(&p.path, &long.path)))
                .collect();
            if problems.is_empty() && too_long.is_empty() {
                return Ok(scenario);
            }
            // `validate` checks in its own order (an age mix before the
            // living-alone share above it); the file's order is the reader's.
            let mut problems = placed(text, original.as_ref().map(|doc| doc.as_item()), problems);
            problems.extend(too_long);
            in_file_order(problems)
        }
        Err(error) => all_problems(text, &error),
    };
    Err(ScenarioError::Invalid {
        file: file.to_string(),
        problems,
    })
}

/// How many unknown keys are taken out of a file, one per parse, before giving
/// up: more than this is unlikely to be a scenario file at all, and already more
/// problems than a message can usefully list.
const MAX_UNKNOWN_KEYS: usize = 64;

/// Every problem of a file that does not read, in file order. Serde stops at the
/// first unknown key or wrong value, so each is noted and taken out of a copy of
/// the file in turn (a value taken out leaves its default), until the copy reads
/// and its values can be checked as well. An entry whose kind is an unknown
/// name (an intervention's `kind`) is taken out whole, as the reader cannot
/// tell which of its keys belong; the entries after it keep their place in the
/// messages. Any other error ends the search, and so does a required key
/// missing because its wrong value was taken out: what the parser says after
/// it may be its artefact.
fn all_problems(text: &str, first: &toml::de::Error) -> Vec<Problem> {
    let place = |offset: Option<usize>| offset.map(|o| line_column(text, o));
    let (Ok(original), Ok(mut reduced)) = (
        toml_edit::Document::parse(text),
        text.parse::<toml_edit::DocumentMut>(),
    ) else {
        // Not TOML at all: the parser's one error is all there is to say.
        return vec![problem_from_syntax(first, text, &|path| {
            scenario_key_holds_whole_number(text, path)
        })];
    };
    let keys = written_keys(original.as_item());
    let mut problems = Vec::new();
    let mut current = text.to_string();
    let mut error = first.clone();
    let mut wrong_values: Vec<String> = Vec::new();
    let mut removed = Removed::default();
    for _ in 0..MAX_UNKNOWN_KEYS {
        if follows_from_a_wrong_value(&error, &wrong_values) {
            break;
        }
        // The copy's keys, read once for both kinds of problem it may hold.
        let here = toml_edit::Document::parse(current.as_str())
            .map(|doc| written_keys(doc.as_item()))
            .unwrap_or_default();
        let (offset, unknown) = in_original(&here, current == text, &keys, &error, &removed);
        let culprit = Culprit::of(&here, &current, &error, unknown);
        // Every problem names its place by key path, as the file writes it,
        // as well as by line; a wrong value inside an entry of a list of
        // tables (an intervention) is placed at its key, found by its value.
        let path = culprit.as_ref().map(|c| removed.original(&c.path()));
        let at = match &culprit {
            Some(Culprit::InEntry(_)) => path
                .as_ref()
                .and_then(|path| keys.iter().find(|k| k.path == *path))
                .map(|k| k.start)
                .or(offset),
            _ => offset,
        };
        problems.push(Problem {
            path: path.unwrap_or_default(),
            ..problem_from_toml(&error, place(at))
        });
        let taken_out = match culprit {
            Some(Culprit::UnknownKind(array, index)) => {
                let taken = remove_entry(&mut reduced, &array, index);
                if taken {
                    removed.0.push((array, index));
                }
                taken
            }
            Some(Culprit::Unknown(path)) => remove_key(&mut reduced, &path),
            Some(Culprit::InEntry(path) | Culprit::WrongValue(path)) => {
                wrong_values.push(removed.original(&path));
                remove_key(&mut reduced, &path)
            }
            None => false,
        };
        if !taken_out {
            break;
        }
        current = reduced.to_string();
        match toml::from_str::<Scenario>(&current) {
            Ok(scenario) => {
                // A wrong value taken out leaves its default, which the checks
                // may refuse too (an empty name): that is the same problem.
                let checked = validate(&scenario)
                    .into_iter()
                    .map(|mut p| {
                        p.path = removed.original(&p.path);
                        p
                    })
                    .filter(|p| !wrong_values.iter().any(|w| within(&p.path, w)));
                problems.extend(placed(text, Some(original.as_item()), checked.collect()));
                break;
            }
            Err(next) => error = next,
        }
    }
    in_file_order(problems)
}

/// The lists of the file longer than their key takes (a by-band key takes
/// four values): the reader takes the first values and leaves the rest
/// unread, so `[1,0, 0.5, 0.15, 0.03]` (a decimal comma, five numbers) would
/// be read as 1, 0, 0.5, 0.15 without a word (QA 34). Found by comparing the
/// written lists with the scenario read from them.
fn lists_too_long(root: &toml_edit::Item, text: &str, scenario: &Scenario) -> Vec<Problem> {
    let mut without_seed = scenario.clone();
    without_seed.seed = 0;
    let mut problems = Vec::new();
    if let Ok(read) = toml::Value::try_from(&without_seed) {
        compare_lengths(root, &read, "", text, &mut problems);
    }
    problems
}

fn compare_lengths(
    written: &toml_edit::Item,
    read: &toml::Value,
    path: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) {
    if let Some(table) = written.as_table_like() {
        for (key, child) in table.iter() {
            if let Some(read_child) = read.get(key) {
                let child_path = match path {
                    "" => key.to_string(),
                    _ => format!("{path}.{key}"),
                };
                compare_lengths(child, read_child, &child_path, text, problems);
            }
        }
        return;
    }
    let written_len = match written {
        toml_edit::Item::ArrayOfTables(entries) => entries.len(),
        toml_edit::Item::Value(toml_edit::Value::Array(values)) => values.len(),
        _ => return,
    };
    let Some(read_values) = read.as_array() else {
        return;
    };
    if written_len > read_values.len() {
        problems.push(list_too_long(
            written,
            path,
            text,
            written_len,
            read_values.len(),
        ));
        return;
    }
    for (i, read_value) in read_values.iter().enumerate() {
        if let Some(entry) = written.get(i) {
            compare_lengths(entry, read_value, &format!("{path}[{i}]"), text, problems);
        }
    }
}

/// The problem of a list at `path` with `written` values where it takes
/// `takes`: a decimal comma (`0,3`) is named where joining the numbers it
/// splits gives the right number of values.
fn list_too_long(
    item: &toml_edit::Item,
    path: &str,
    text: &str,
    written: usize,
    takes: usize,
) -> Problem {
    let span = item.span();
    let by_band = takes == crate::kinds::AgeBand::COUNT;
    let message = if by_band {
        format!("{written} values where it takes {takes}, one per age band")
    } else {
        format!("{written} values where it takes {takes}")
    };
    let rejoined = span
        .as_ref()
        .and_then(|span| text.get(span.clone()))
        .and_then(rejoin_decimal_commas)
        .filter(|numbers| numbers.len() == takes);
    let fix = match rejoined {
        Some(numbers) => format!(
            "a list's numbers are separated by commas, so write decimals with a point: [{}] \
             (TOML has no decimal comma)",
            numbers.join(", ")
        ),
        None if by_band => {
            "give exactly four values, one per age band: [18–34, 35–54, 55–74, 75+]".into()
        }
        None => format!("give exactly {takes} values"),
    };
    Problem {
        path: path.to_string(),
        position: span.map(|span| line_column(text, span.start)),
        message,
        fix,
    }
}

/// The numbers of a list written on one line (`[0,3, 0.04]`) with each
/// decimal comma (digits, a comma and digits with no space between) read as
/// a point: `["0.3", "0.04"]`. None if it has none, or is not a plain list
/// of numbers.
fn rejoin_decimal_commas(written: &str) -> Option<Vec<String>> {
    let inner = written.trim().strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(['#', '\n', '[', '"']) {
        return None;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let mut numbers: Vec<String> = Vec::new();
    let mut joined_any = false;
    let mut previous_whole = false;
    for piece in inner.split(',') {
        let joins = previous_whole && digits(piece);
        if joins && let Some(last) = numbers.last_mut() {
            last.push('.');
            last.push_str(piece);
            joined_any = true;
            previous_whole = false;
            continue;
        }
        let number = piece.trim();
        if number.is_empty() {
            continue;
        }
        let bare = number.strip_prefix('-').unwrap_or(number);
        previous_whole = digits(bare) && piece.ends_with(|c: char| c.is_ascii_digit());
        numbers.push(number.to_string());
    }
    joined_any.then_some(numbers)
}

/// What a parse error is about, in the reduced copy's key paths: the copy
/// takes it out (a wrong value leaves its default) so that the search can go
/// on to the problems after it.
enum Culprit {
    /// A wrong value of a key inside an entry of a list of tables.
    InEntry(String),
    /// An entry (`intervention`, 1) whose `kind` is an unknown name.
    UnknownKind(String, usize),
    /// A key the scenario does not have.
    Unknown(String),
    /// A wrong value of any other key.
    WrongValue(String),
}

impl Culprit {
    fn of(
        here: &[WrittenKey],
        text: &str,
        error: &toml::de::Error,
        unknown: Option<String>,
    ) -> Option<Culprit> {
        if let Some(key) = wrong_value_in_entry(here, text, error) {
            return Some(Culprit::InEntry(key.path.clone()));
        }
        if let Some((array, index)) = entry_of_unknown_kind(here, error) {
            return Some(Culprit::UnknownKind(array, index));
        }
        unknown
            .map(Culprit::Unknown)
            .or_else(|| wrong_value_key(here, error).map(Culprit::WrongValue))
    }

    /// The key path the problem is about.
    fn path(&self) -> String {
        match self {
            Culprit::InEntry(path) | Culprit::Unknown(path) | Culprit::WrongValue(path) => {
                path.clone()
            }
            Culprit::UnknownKind(array, index) => format!("{array}[{index}].kind"),
        }
    }
}

/// The key whose value a type or value error is about (`network_first =
/// "yes"`): taking it out leaves its default, so the search can go on to the
/// keys after it. None for other errors.
fn wrong_value_key(here: &[WrittenKey], error: &toml::de::Error) -> Option<String> {
    let message = error.message();
    if !(message.starts_with("invalid type") || message.starts_with("invalid value")) {
        return None;
    }
    let offset = error.span()?.start;
    // A table written where a list of tables belongs (`[neighbourhood]` for
    // `[[neighbourhood]]`) is reported at its header's `[`, one before its key.
    let header = usize::from(message.starts_with("invalid type: map, expected a sequence"));
    // The innermost key around the value: the last one (parents come first)
    // whose span holds the offset, and a key, not an array entry.
    here.iter()
        .rev()
        .filter(|k| !k.path.ends_with(']'))
        .find(|k| k.start <= offset + header && offset < k.end.max(k.start + 1))
        .map(|k| k.path.clone())
}

/// Whether key path `path` is `key` or lies within it.
fn within(path: &str, key: &str) -> bool {
    path.strip_prefix(key)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Whether a "missing field" error is only the echo of a wrong value taken
/// out before (a required key): not a problem of the file, and the search
/// cannot go on past it.
fn follows_from_a_wrong_value(error: &toml::de::Error, wrong_values: &[String]) -> bool {
    let Some(name) = quoted_after(error.message(), "missing field `") else {
        return false;
    };
    wrong_values.iter().any(|path| names_key(path, name))
}

/// Whether key path `path` ends in the key `name` (`formal.network_first`,
/// `network_first`): serde's messages name a key, not its path.
fn names_key(path: &str, name: &str) -> bool {
    path.strip_suffix(name)
        .is_some_and(|head| head.is_empty() || head.ends_with('.'))
}

/// Where a parse error of a copy of the file with some keys taken out (whose
/// written keys are `here`; `unchanged` if none was taken out yet) is in the
/// original (whose written keys are `keys`), and the key path to take out next
/// if the error is about an unknown key.
fn in_original(
    here: &[WrittenKey],
    unchanged: bool,
    keys: &[WrittenKey],
    error: &toml::de::Error,
    removed: &Removed,
) -> (Option<usize>, Option<String>) {
    if let Some(unknown) = unknown_written_key(here, error) {
        let path = removed.original(&unknown.path);
        let offset = keys.iter().find(|k| k.path == path).map(|k| k.start);
        return (offset, Some(unknown.path.clone()));
    }
    let offset = error.span().and_then(|span| {
        original_offset(here, keys, span.start, removed).or(unchanged.then_some(span.start))
    });
    (offset, None)
}

/// The array entries taken out of the reduced copy, in order: a later entry's
/// index in the copy is lower than in the original by the entries taken out
/// before it.
#[derive(Debug, Default)]
struct Removed(Vec<(String, usize)>);

impl Removed {
    /// The key path in the original file of key path `path` of the copy.
    fn original(&self, path: &str) -> String {
        let mut path = path.to_string();
        for (array, taken) in self.0.iter().rev() {
            let Some(rest) = path
                .strip_prefix(array.as_str())
                .and_then(|rest| rest.strip_prefix('['))
            else {
                continue;
            };
            let Some((index, after)) = rest.split_once(']') else {
                continue;
            };
            if let Ok(index) = index.parse::<usize>()
                && index >= *taken
            {
                path = format!("{array}[{}]{after}", index + 1);
            }
        }
        path
    }
}

/// The key inside an entry of a list of tables whose value a type or value
/// error is about. Serde reads such an entry (an intervention, by its `kind`)
/// as a whole and points at its header, so the key is found among the entry's
/// own keys as the one whose written value is the one the error quotes
/// (`string "ten"`, `floating point `2.5``). None unless exactly one matches.
fn wrong_value_in_entry<'k>(
    here: &'k [WrittenKey],
    text: &str,
    error: &toml::de::Error,
) -> Option<&'k WrittenKey> {
    let message = error.message();
    let unexpected = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))?
        .split(", expected")
        .next()?;
    let written = unexpected.strip_prefix("string ").or_else(|| {
        ["integer ", "floating point ", "boolean "]
            .iter()
            .find_map(|kind| unexpected.strip_prefix(kind))
            .map(|value| value.trim_matches('`'))
    })?;
    let offset = error.span()?.start;
    let entry = here
        .iter()
        .find(|k| k.path.ends_with(']') && k.start == offset)?;
    let prefix = format!("{}.", entry.path);
    let mut matching = here.iter().filter(|k| {
        k.path
            .strip_prefix(&prefix)
            .is_some_and(|name| !name.contains(['.', '[']))
            && text
                .get(k.start..k.end)
                .and_then(|line| line.split_once('='))
                .is_some_and(|(_, value)| value.trim() == written)
    });
    let key = matching.next()?;
    matching.next().is_none().then_some(key)
}

/// The list and index of the entry (`intervention`, 1) whose kind an "unknown
/// variant" error is about: the entry around the unknown name, where the name
/// is the value of the entry's `kind`. None for other errors and for unknown
/// names elsewhere.
fn entry_of_unknown_kind(here: &[WrittenKey], error: &toml::de::Error) -> Option<(String, usize)> {
    quoted_after(error.message(), "unknown variant `")?;
    let offset = error.span()?.start;
    let key = here
        .iter()
        .rev()
        .find(|k| k.start <= offset && offset < k.end.max(k.start + 1))?;
    let (array, index) = key.path.strip_suffix("].kind")?.rsplit_once('[')?;
    Some((array.to_string(), index.parse().ok()?))
}

/// Takes entry `index` of the top-level list `array` (`intervention`) out of
/// the document; false if it is not there.
fn remove_entry(document: &mut toml_edit::DocumentMut, array: &str, index: usize) -> bool {
    let Some(item) = document.as_item_mut().get_mut(array) else {
        return false;
    };
    match item {
        toml_edit::Item::ArrayOfTables(entries) if index < entries.len() => {
            entries.remove(index);
            true
        }
        toml_edit::Item::Value(toml_edit::Value::Array(entries)) if index < entries.len() => {
            entries.remove(index);
            true
        }
        _ => false,
    }
}

/// Problems found by `validate`, with the line and column of their key path.
fn placed(text: &str, root: Option<&toml_edit::Item>, mut problems: Vec<Problem>) -> Vec<Problem> {
    for problem in &mut problems {
        problem.position = root
            .and_then(|root| locate(root, &problem.path))
            .map(|offset| line_column(text, offset));
    }
    problems
}

/// Sorted by line and column, those without a place last, each once.
pub(crate) fn in_file_order(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| (p.position.is_none(), p.position));
    let mut once: Vec<Problem> = Vec::with_capacity(problems.len());
    for problem in problems {
        if !once.contains(&problem) {
            once.push(problem);
        }
    }
    once
}

/// Whether scenario text is valid TOML without a single key (empty, blank or
/// comments only).
/// Top-level keys an experiment file has and a scenario file never has: they
/// tell the two apart (`carenet check`, `carenet list`, and [`parse_str`]).
pub const EXPERIMENT_KEYS: [&str; 4] = ["design", "parameter", "point", "scenario"];

/// An experiment file given where a scenario is wanted (`carenet run
/// sweep.toml`, `carenet.run("sweep.toml")`): one problem that says what the
/// file is and which command runs it. QA 36: it was four "unknown field"
/// problems whose fixes told the user to remove `scenario`, `design`,
/// `replicates` and `parameter`, which would leave nothing worth running.
fn an_experiment_file(text: &str, file: &str) -> Option<Problem> {
    let table = text.parse::<toml::Table>().ok()?;
    let key = EXPERIMENT_KEYS
        .iter()
        .find(|key| table.contains_key(**key))?;
    let its_scenario = match table.get("scenario").and_then(|s| s.as_str()) {
        Some(scenario) => format!(
            ", or run the scenario it names: `carenet run {}`",
            scenario_of_experiment(file, scenario)
        ),
        None => String::new(),
    };
    let mut problem = Problem::new(
        "",
        format!(
            "this is an experiment file, not a scenario: it has `{key}`, which no scenario \
             file has"
        ),
        format!(
            "run it with `carenet sweep {file}` (`carenet sensitivity` for design \
             \"morris\" or \"sobol\", `carenet calibrate` to rank its points against the \
             Dutch figures){its_scenario}"
        ),
    );
    problem.position = key_line(text, key).map(|line| (line, 1));
    Some(problem)
}

/// The scenario an experiment file `file` names, as a path from where the
/// user is: an experiment names its scenario file relative to itself, so
/// `../scenarios/baseline.toml` of `experiments/x.toml` is
/// `experiments/../scenarios/baseline.toml` from the project's folder (QA 37:
/// the fix said `carenet run ../scenarios/baseline.toml`, no file from there).
/// A name with no file beside the experiment is a built-in's, said as it is.
fn scenario_of_experiment(file: &str, scenario: &str) -> String {
    Path::new(file)
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .map(|folder| folder.join(scenario))
        .filter(|beside| beside.is_file())
        .map_or_else(
            || scenario.to_string(),
            |beside| beside.display().to_string(),
        )
}

/// The line (1-based) where a top-level key or array of tables is first written.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.strip_prefix("[[")
                .map_or(line, |rest| rest.trim_start())
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ']']))
        })
        .map(|index| index + 1)
}

fn sets_nothing(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|table| table.is_empty())
}

/// A TOML syntax error as a problem, read against the `text` it is in: a
/// Dutch decimal comma written without quotes (`= 32,40`, or `0,04` in a
/// list) is not TOML, and the parser's own words ("expected newline") do not
/// say so. `holds_whole_number` tells, for the key path the line writes,
/// whether its key takes whole numbers, which are not told to write `8.5`.
pub(crate) fn problem_from_syntax(
    error: &toml::de::Error,
    text: &str,
    holds_whole_number: &dyn Fn(&str) -> bool,
) -> Problem {
    let offset = error.span().map(|s| s.start);
    let problem = problem_from_toml(error, offset.map(|o| line_column(text, o)));
    let Some(offset) = offset else {
        return problem;
    };
    let line = line_column(text, offset).0;
    let path = written_key_path(text, line).unwrap_or_default();
    if let Some(number) = decimal_comma_at(text, offset) {
        let key = path.rsplit('.').next().unwrap_or_default();
        let fix = if !path.is_empty() && holds_whole_number(&path) {
            // QA 34: `weeks = 8,5` was told to write 8.5, which is refused in
            // turn; the command line's `--set weeks=8,5` already said this.
            format!(
                "`{path}` takes a whole number, without a decimal comma or point: e.g. {key} = {}",
                number.round()
            )
        } else {
            format!("write the number with a decimal point: {number} (TOML has no decimal comma)")
        };
        return Problem {
            path,
            fix,
            ..problem
        };
    }
    match decimal_comma_in_list_at(text, offset) {
        // QA 34: `[0.3, 0,04, 0.02]` is refused for the leading zero of `04`.
        Some(number) => Problem {
            path,
            fix: format!(
                "a list's numbers are separated by commas, so write decimals with a point: \
                 {number} (TOML has no decimal comma)"
            ),
            ..problem
        },
        None if problem.message.starts_with("duplicate key") && !path.is_empty() => {
            duplicate_key(text, line, path, problem)
        }
        // QA 40: a value the parser cannot hold (a number beyond 64 bits)
        // was said with its line alone; the key is named as for any value.
        None => Problem { path, ..problem },
    }
}

/// A key written twice in one table: named, with the line of its first
/// writing (QA 40: "duplicate key" named neither).
fn duplicate_key(text: &str, line: usize, path: String, problem: Problem) -> Problem {
    let first = (1..line).find(|l| written_key_path(text, *l).as_deref() == Some(path.as_str()));
    let (message, fix) = match first {
        Some(first) => (
            format!("`{path}` is set twice: on line {first} and again here"),
            format!("keep one of the two: remove line {line} or line {first}"),
        ),
        None => (
            format!("`{path}` is set twice in its table"),
            "each key may appear once per table; remove one of them".to_string(),
        ),
    };
    Problem {
        path,
        message,
        fix,
        ..problem
    }
}

/// The key path that line `line` (1-based) of `text` writes (`key = ...`),
/// read from the text alone, for a file the parser could not read: the last
/// table header above it and the key; an entry of a list of tables
/// (`[[neighbourhood]]`) by its index. None for a line without a plain key.
fn written_key_path(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let before = lines.get(..line.checked_sub(1)?)?;
    let key = written_key(lines.get(line - 1)?.split_once('=')?.0)?;
    let Some((at, table)) = before
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, l)| Some((i, table_header(l)?)))
    else {
        return Some(key);
    };
    let table = match table {
        Header::Table(name) => name,
        Header::Entry(name) => {
            let index = before[..at]
                .iter()
                .filter(|l| table_header(l) == Some(Header::Entry(name.clone())))
                .count();
            format!("{name}[{index}]")
        }
    };
    Some(format!("{table}.{key}"))
}

/// Whether the key at `path` of scenario `text` (which does not parse)
/// takes whole numbers: as the default scenario holds it, or for a key of an
/// intervention, by the kind its entry names in its `kind` line.
fn scenario_key_holds_whole_number(text: &str, path: &str) -> bool {
    if super::holds_whole_number(path) {
        return true;
    }
    let Some((index, key)) = path
        .strip_prefix("intervention[")
        .and_then(|rest| rest.split_once("]."))
    else {
        return false;
    };
    index
        .parse()
        .ok()
        .and_then(|index| entry_kind(text, "intervention", index))
        .is_some_and(|kind| super::intervention_key_holds_whole_number(&kind, key))
}

/// The `kind = "..."` an entry (`[[intervention]]` number `index`, from 0)
/// of `text` writes, read from the text alone.
fn entry_kind(text: &str, array: &str, index: usize) -> Option<String> {
    let mut lines = text.lines();
    let mut seen = 0;
    for line in lines.by_ref() {
        if table_header(line) == Some(Header::Entry(array.to_string())) {
            if seen == index {
                break;
            }
            seen += 1;
        }
    }
    lines
        .take_while(|line| table_header(line).is_none())
        .find_map(|line| {
            let (key, value) = line.split_once('=')?;
            let value = value.split('#').next()?.trim();
            (written_key(key)? == "kind")
                .then(|| {
                    value
                        .strip_prefix('"')?
                        .strip_suffix('"')
                        .map(str::to_string)
                })
                .flatten()
        })
}

#[derive(Debug, PartialEq)]
enum Header {
    /// `[name]`
    Table(String),
    /// `[[name]]`, an entry of a list of tables.
    Entry(String),
}

/// The table a header line opens; None for any other line (a line of a
/// list written over several lines may start with `[` too, but not with a
/// name).
fn table_header(line: &str) -> Option<Header> {
    let line = line.split('#').next()?.trim();
    let name_of = |name: &str| {
        let name = name.trim();
        (name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .then(|| name.to_string())
    };
    if let Some(name) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
        return name_of(name).map(Header::Entry);
    }
    name_of(line.strip_prefix('[')?.strip_suffix(']')?).map(Header::Table)
}

/// A key as written before `=`: bare or dotted (`a.b`), or quoted, whose
/// text may hold dots (an experiment's `"neighbourhood[*].cohesion"`).
fn written_key(written: &str) -> Option<String> {
    let written = written.trim();
    if let Some(quoted) = written
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return (!quoted.is_empty() && !quoted.contains('"')).then(|| quoted.to_string());
    }
    let parts: Vec<&str> = written.split('.').map(str::trim).collect();
    parts
        .iter()
        .all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        })
        .then(|| parts.join("."))
}

/// The number a `key = 32,40` line means, when the syntax error at `offset`
/// is on such a line: the value is digits, one comma and digits.
fn decimal_comma_at(text: &str, offset: usize) -> Option<f64> {
    let (line, _) = line_column(text, offset);
    let written = text.lines().nth(line - 1)?;
    let value = written.split_once('=')?.1;
    decimal_comma_number(value.split('#').next()?)
}

/// The number a list's `0,04` means, when the syntax error at `offset` (the
/// parser's "leading zero" of `04`) is the part after its comma: digits,
/// a comma and digits, with no space between, inside `[...]` on a key's line.
fn decimal_comma_in_list_at(text: &str, offset: usize) -> Option<f64> {
    let (line, _) = line_column(text, offset);
    let written = text.lines().nth(line - 1)?;
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let (before, after) = written.split_at_checked(offset - line_start)?;
    if !written.split_once('=')?.1.trim_start().starts_with('[') {
        return None;
    }
    let fraction: String = after.chars().take_while(char::is_ascii_digit).collect();
    let before = before.strip_suffix(',')?;
    let whole_start = before
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let whole = &before[whole_start..];
    let separated = before[..whole_start].ends_with([' ', '[', ',']);
    (separated && !whole.is_empty() && !fraction.is_empty())
        .then(|| format!("{whole}.{fraction}").parse().ok())
        .flatten()
}

/// The number `32,40` means in a Dutch locale: digits, one comma and digits
/// (a sign allowed), or None for anything else.
pub fn decimal_comma_number(value: &str) -> Option<f64> {
    let value = value.trim();
    let (whole, fraction) = value.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let whole = whole.strip_prefix('-').unwrap_or(whole);
    (digits(whole) && digits(fraction))
        .then(|| value.replace(',', ".").parse().ok())
        .flatten()
}

/// A parse error as a problem; `position` is where it is in the original file.
pub(crate) fn problem_from_toml(
    error: &toml::de::Error,
    position: Option<(usize, usize)>,
) -> Problem {
    let message = error.message().trim().to_string();
    let fix = fix_for(&message);
    let message = match message.split_once(", expected") {
        // The allowed names go into the fix; the message says what is wrong.
        // Serde's "unknown variant" is a name carenet does not know (QA 38).
        Some((head, _)) if head.starts_with("unknown variant") => {
            match quoted_after(head, "unknown variant `") {
                Some(word) => format!("`{word}` is not a name carenet knows here"),
                None => head.to_string(),
            }
        }
        Some((head, _)) if head.starts_with("unknown") => head.to_string(),
        _ => super::path::plain_type_error(&message),
    };
    Problem {
        path: String::new(),
        position,
        message,
        fix,
    }
}

/// The text between `prefix` and the next backtick.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('`')?])
}

/// All backtick-quoted words after "expected".
fn expected_words(message: &str) -> Vec<&str> {
    let Some(at) = message.find("expected") else {
        return Vec::new();
    };
    message[at..].split('`').skip(1).step_by(2).collect()
}

/// The allowed name nearest `word`: within a few edits, or else one that starts
/// like it, ignoring underscores (`hours_per_1000` for `hours_per_1000_residents`,
/// `burnin` for `burn_in_weeks`), which edits alone are too many for.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let distance = |c: &str| strsim::damerau_levenshtein(word, c);
    // Fewer edits than half the longer word's letters as well: any two words
    // of three letters are within three edits (QA 36: `min` was "did you
    // mean `high`?", `max` and `key` "did you mean `low`?").
    let near = candidates
        .iter()
        .map(|c| (distance(c), *c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 3) && 2 * *d <= word.len().max(c.len()))
        .min();
    let bare = |s: &str| s.replace('_', "").to_lowercase();
    let typed = bare(word);
    let starts_alike = |c: &&&str| {
        let c = bare(c);
        let (short, long) = if c.len() < typed.len() {
            (&c, &typed)
        } else {
            (&typed, &c)
        };
        short.len() >= 4 && long.starts_with(short.as_str())
    };
    near.or_else(|| {
        candidates
            .iter()
            .filter(starts_alike)
            .map(|c| (distance(c), *c))
            .min()
    })
    .map(|(_, c)| c)
}

/// Words other tools use for a key carenet names otherwise: SALib's and the
/// EMA Workbench's bounds (`min`/`max`, `lower`/`upper`), and a parameter's
/// `key` for its `path`. Offered when the key they stand for is allowed there.
const OTHER_TOOLS_WORDS: [(&str, &str); 7] = [
    ("min", "low"),
    ("minimum", "low"),
    ("lower", "low"),
    ("max", "high"),
    ("maximum", "high"),
    ("upper", "high"),
    ("key", "path"),
];

fn did_you_mean(word: &str, message: &str) -> String {
    let allowed = expected_words(message);
    let synonym = OTHER_TOOLS_WORDS
        .iter()
        .find(|(other, ours)| *other == word && allowed.contains(ours))
        .map(|(_, ours)| *ours);
    match synonym.or_else(|| closest(word, &allowed)) {
        Some(best) => format!(
            "did you mean `{best}`? allowed here: {}",
            allowed.join(", ")
        ),
        None if allowed.is_empty() => String::new(),
        None => format!("allowed here: {}", allowed.join(", ")),
    }
}

fn fix_for(message: &str) -> String {
    if let Some((_, range)) = super::path::integer_too_large(message) {
        return format!("write {range}");
    }
    if let Some(key) = quoted_after(message, "unknown field `") {
        return format!(
            "remove `{key}` or correct its spelling; {}",
            did_you_mean(key, message)
        );
    }
    if let Some(word) = quoted_after(message, "unknown variant `") {
        let names = did_you_mean(word, message);
        return if names.is_empty() {
            format!("replace `{word}` by one of the names the README gives for this key")
        } else {
            names
        };
    }
    if let Some(key) = quoted_after(message, "missing field `") {
        return format!(
            "add a line `{key} = ...` to this table (see `carenet new` for an example)"
        );
    }
    if message.contains("expected an array of length 4") {
        return "give exactly four values, one per age band: [18–34, 35–54, 55–74, 75+]".into();
    }
    if message.contains("expected an array of length 2") {
        return "give two numbers [x, y], in km".into();
    }
    if message.starts_with("invalid value") && message.contains("expected u") {
        return "use a whole number of 0 or more, without a decimal point".into();
    }
    if message.starts_with("invalid type: map, expected a sequence") {
        return "a list of tables is written with double brackets, one header per entry: \
                `[[neighbourhood]]`, `[[association]]`, `[[intervention]]`"
            .into();
    }
    if message.starts_with("invalid type") && message.contains("expected u") {
        return "use a whole number of 0 or more, without a decimal point or quotes".into();
    }
    // A Dutch decimal comma in quotes ("32,40"): say the number as TOML writes it.
    if let Some(text) = message
        .strip_prefix("invalid type: string \"")
        .and_then(|rest| rest.split('"').next())
        && message.contains("expected")
        && !message.contains("expected a string")
        && let Ok(number) = text.trim().replace(',', ".").parse::<f64>()
    {
        return format!(
            "write the number without quotes and with a decimal point: {number} (TOML has no decimal comma)"
        );
    }
    if message.starts_with("invalid type") {
        return "write a value of the expected type: numbers without quotes, text in \"quotes\", \
                lists in [brackets], true/false for switches"
            .into();
    }
    if message.contains("duplicate key") {
        return "each key may appear once per table; remove one of them".into();
    }
    "this line is not valid TOML: check quotes around text, `key = value` pairs, and [table] headers".into()
}

pub(crate) fn line_column(text: &str, mut offset: usize) -> (usize, usize) {
    // An offset carried over from a reduced copy of the file is not a parser's
    // span; never cut a character in two.
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some((index, after)) = rest.split_once(']') {
            if let Ok(i) = index.parse() {
                out.push(Segment::Index(i));
            }
            rest = after.trim_start_matches('[');
        }
    }
    out
}

/// The byte offset where the value at `path` (or its nearest written ancestor) is.
pub(crate) fn locate(root: &toml_edit::Item, path: &str) -> Option<usize> {
    let mut item = root;
    let mut best = None;
    for segment in segments(path) {
        let next = match segment {
            Segment::Key(key) => item.get(key),
            Segment::Index(i) => item.get(i),
        };
        match next {
            Some(found) => {
                item = found;
                best = item_span(item).or(best);
            }
            None => break,
        }
    }
    best
}

fn item_span(item: &toml_edit::Item) -> Option<usize> {
    item.span().map(|span| span.start)
}

/// A key or array entry written in a file: its key path (as `validate` writes
/// them, `neighbourhood[1].adults`), where its key starts (an entry's value, which
/// has no key) and where it or its value ends.
#[derive(Debug)]
struct WrittenKey {
    path: String,
    start: usize,
    end: usize,
}

/// Every key and array entry of a parsed document, parents before children.
fn written_keys(root: &toml_edit::Item) -> Vec<WrittenKey> {
    let mut keys = Vec::new();
    collect_keys(root, "", &mut keys);
    keys
}

fn collect_keys(item: &toml_edit::Item, path: &str, keys: &mut Vec<WrittenKey>) {
    for (child_path, key_span, child) in children(item, path) {
        let value_span = child.span();
        let start = key_span
            .as_ref()
            .or(value_span.as_ref())
            .map(|span| span.start);
        let end = [key_span, value_span]
            .into_iter()
            .flatten()
            .map(|span| span.end)
            .max();
        if let (Some(start), Some(end)) = (start, end) {
            keys.push(WrittenKey {
                path: child_path.clone(),
                start,
                end,
            });
        }
        collect_keys(child, &child_path, keys);
    }
}

/// The keys and array entries directly inside `item`: their key paths, where
/// their key is written (entries have none) and their values.
fn children<'i>(
    item: &'i toml_edit::Item,
    path: &str,
) -> Vec<(String, Option<Range<usize>>, &'i toml_edit::Item)> {
    if let Some(table) = item.as_table_like() {
        let key_path = |key: &str| match path {
            "" => key.to_string(),
            _ => format!("{path}.{key}"),
        };
        return table
            .iter()
            .map(|(key, child)| (key_path(key), table.key(key).and_then(|k| k.span()), child))
            .collect();
    }
    let entries = match item {
        toml_edit::Item::ArrayOfTables(array) => array.len(),
        toml_edit::Item::Value(toml_edit::Value::Array(array)) => array.len(),
        _ => 0,
    };
    (0..entries)
        .filter_map(|i| Some((format!("{path}[{i}]"), None, item.get(i)?)))
        .collect()
}

/// The written key a parse error is about, where taking it out lets the rest be
/// read: an unknown field, or an unknown name written as a key (`[scope.frend]`).
/// An unknown name written as a value (an intervention's `kind`) is not one:
/// without it the reader would only go on to say that it is missing.
fn unknown_written_key<'k>(
    keys: &'k [WrittenKey],
    error: &toml::de::Error,
) -> Option<&'k WrittenKey> {
    let offset = error.span().map(|span| span.start);
    if let Some(name) = quoted_after(error.message(), "unknown field `") {
        return unknown_key(keys, name, offset);
    }
    let name = quoted_after(error.message(), "unknown variant `")?;
    unknown_key(keys, name, offset).filter(|key| Some(key.start) == offset)
}

/// The written key an "unknown field" error at `offset` is about: the key
/// itself, or, where serde points at its table instead (an `[[intervention]]`,
/// whose `kind` is read first), the first key of that name after it.
fn unknown_key<'k>(
    keys: &'k [WrittenKey],
    name: &str,
    offset: Option<usize>,
) -> Option<&'k WrittenKey> {
    let named = || keys.iter().filter(|k| names_key(&k.path, name));
    let offset = offset.unwrap_or(0);
    named()
        .find(|k| k.start == offset)
        .or_else(|| {
            named()
                .filter(|k| k.start >= offset)
                .min_by_key(|k| k.start)
        })
        .or_else(|| named().next())
}

/// Where `offset` in a reduced copy of the file is in the original: the same
/// place in the same key (a copy differs only by keys taken out).
fn original_offset(
    here: &[WrittenKey],
    original: &[WrittenKey],
    offset: usize,
    removed: &Removed,
) -> Option<usize> {
    let at = here
        .iter()
        .rev()
        .find(|k| k.start <= offset && offset < k.end.max(k.start + 1))?;
    let path = removed.original(&at.path);
    let same = original.iter().find(|k| k.path == path)?;
    Some(same.start + (offset - at.start))
}

/// Takes the key at `path` out of the document; false if it is not there.
fn remove_key(document: &mut toml_edit::DocumentMut, path: &str) -> bool {
    let mut steps = segments(path);
    let Some(Segment::Key(key)) = steps.pop() else {
        return false;
    };
    let mut item = document.as_item_mut();
    for step in steps {
        let next = match step {
            Segment::Key(name) => item.as_table_like_mut().and_then(|t| t.get_mut(name)),
            Segment::Index(i) => item.get_mut(i),
        };
        let Some(next) = next else {
            return false;
        };
        item = next;
    }
    item.as_table_like_mut()
        .and_then(|table| table.remove(key))
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_experiment_file_s_fix_names_its_scenario_from_where_the_user_is() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("experiments")).unwrap();
        std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
        std::fs::write(dir.path().join("scenarios/area.toml"), "name = \"a\"\n").unwrap();
        let text = "name = \"e\"\nscenario = \"../scenarios/area.toml\"\ndesign = \"grid\"\n";
        let file = dir.path().join("experiments/e.toml");
        let problem = an_experiment_file(text, &file.display().to_string()).unwrap();
        let beside = dir.path().join("experiments/../scenarios/area.toml");
        assert!(
            problem
                .fix
                .ends_with(&format!("`carenet run {}`", beside.display())),
            "{}",
            problem.fix
        );
        // A built-in's name, and a file in the folder the user is in.
        let builtin = text.replace("../scenarios/area.toml", "baseline");
        let problem = an_experiment_file(&builtin, &file.display().to_string()).unwrap();
        assert!(
            problem.fix.ends_with("`carenet run baseline`"),
            "{}",
            problem.fix
        );
        let here = an_experiment_file(&builtin, "e.toml").unwrap();
        assert!(here.fix.ends_with("`carenet run baseline`"), "{}", here.fix);
    }

    fn problem(text: &str) -> Problem {
        let err = parse_str(text, "test.toml").expect_err("should be rejected");
        err.problems()[0].clone()
    }

    fn all_problems_of(text: &str) -> Vec<Problem> {
        parse_str(text, "test.toml")
            .expect_err("should be rejected")
            .problems()
            .to_vec()
    }

    fn lines(problems: &[Problem]) -> Vec<Option<usize>> {
        problems
            .iter()
            .map(|p| p.position.map(|(line, _)| line))
            .collect()
    }

    #[test]
    fn a_decimal_comma_without_quotes_is_answered_with_the_number_to_write() {
        // QA 27's leftover: `= 32,40` is a TOML syntax error, whose general
        // fix did not say what to write.
        for (line, number) in [("32,40", "32.4"), ("-0,5 # note", "-0.5"), ("1,25", "1.25")] {
            let text = format!("[cost]\nhousehold_help_eur_per_hour = {line}\n");
            let error = crate::scenario::parse_str(&text, "t.toml").expect_err("not TOML");
            let shown = error.to_string();
            assert!(
                shown.contains(&format!("with a decimal point: {number} ")),
                "{line}: {shown}"
            );
            assert!(shown.contains("t.toml:2:"), "{shown}");
        }
        // A syntax error that is not a decimal comma keeps the general fix.
        let error =
            crate::scenario::parse_str("[cost]\nx = 1,2,3\n", "t.toml").expect_err("not TOML");
        assert!(!error.to_string().contains("decimal point"), "{error}");
    }

    #[test]
    fn a_decimal_comma_in_a_key_of_whole_numbers_is_told_to_write_a_whole_number() {
        // QA 34: `weeks = 8,5` in a file was told to write 8.5, which is
        // refused in turn; `--set weeks=8,5` already said "a whole number".
        let fix_of = |text: &str| {
            let problem = problem(text);
            (
                problem.path,
                problem.position.map(|(line, _)| line),
                problem.fix,
            )
        };
        assert_eq!(
            fix_of("name = \"w\"\nweeks = 8,5  # note\n"),
            (
                "weeks".to_string(),
                Some(2),
                "`weeks` takes a whole number, without a decimal comma or point: e.g. weeks = 9"
                    .to_string()
            )
        );
        // In the second entry of a list of tables, and a table's key.
        let entries = "[[neighbourhood]]\nname = \"A\"\nadults = 500\n\
                       [[neighbourhood]] # the second\nname = \"B\"\nadults = 1200,4\n";
        assert_eq!(
            fix_of(entries).2,
            "`neighbourhood[1].adults` takes a whole number, without a decimal comma or \
             point: e.g. adults = 1200"
        );
        assert_eq!(
            fix_of("[demography]\npair_up_max_age_gap_years = 8,5\n").0,
            "demography.pair_up_max_age_gap_years"
        );
        // An intervention's key, by the kind its entry names after it.
        let intervention = "[[intervention]]\nkind = \"cohesion_events\"\n\
                            [[intervention]]\nstart_week = 8,5\nkind = \"network_first\"\n";
        assert_eq!(
            fix_of(intervention).2,
            "`intervention[1].start_week` takes a whole number, without a decimal comma or \
             point: e.g. start_week = 9"
        );
        assert_eq!(
            fix_of("[[intervention]]\nkind = \"cohesion_events\"\ntrust_boost = 0,1\n").2,
            "write the number with a decimal point: 0.1 (TOML has no decimal comma)"
        );
        // A key of decimals is still told to write the point.
        assert_eq!(
            fix_of("[[neighbourhood]]\nname = \"A\"\ncohesion = 0,7\n").2,
            "write the number with a decimal point: 0.7 (TOML has no decimal comma)"
        );
    }

    #[test]
    fn a_decimal_comma_in_a_list_is_answered_with_the_list_to_write() {
        // QA 34: `[0,3, 0.04, 0.02, 0.005]` reads as five numbers, of which
        // the reader took four without a word (here 3 out of range; with
        // `[1,0, ...]` all four in range, a different scenario run).
        let demography = |list: &str| format!("[demography]\nsingles_pair_up_per_year = {list}\n");
        for (list, meant) in [
            ("[0,3, 0.04, 0.02, 0.005]", "[0.3, 0.04, 0.02, 0.005]"),
            ("[1,0, 0.5, 0.15, 0.03]", "[1.0, 0.5, 0.15, 0.03]"),
            ("[0,3, 0,4, 0.02, 0.005]", "[0.3, 0.4, 0.02, 0.005]"),
        ] {
            let problems = all_problems_of(&demography(list));
            assert_eq!(problems.len(), 1, "{list}: {problems:?}");
            assert_eq!(problems[0].path, "demography.singles_pair_up_per_year");
            assert_eq!(problems[0].position, Some((2, 28)), "{list}");
            assert!(
                problems[0]
                    .message
                    .ends_with("where it takes 4, one per age band"),
                "{problems:?}"
            );
            assert_eq!(
                problems[0].fix,
                format!(
                    "a list's numbers are separated by commas, so write decimals with a \
                     point: {meant} (TOML has no decimal comma)"
                )
            );
        }
        // Five values without a decimal comma: too many, no guess.
        let five = problem(&demography("[0.3, 0.04, 0.02, 0.005, 0.1]"));
        assert_eq!(five.message, "5 values where it takes 4, one per age band");
        assert!(five.fix.starts_with("give exactly four values"), "{five:?}");
        // `0,04` is not TOML (a leading zero): the same words, at the number.
        let syntax = problem(&demography("[0.3, 0,04, 0.02, 0.005]"));
        assert_eq!(syntax.path, "demography.singles_pair_up_per_year");
        assert_eq!(syntax.position, Some((2, 36)));
        assert_eq!(
            syntax.fix,
            "a list's numbers are separated by commas, so write decimals with a point: 0.04 \
             (TOML has no decimal comma)"
        );
        // Other syntax errors in a list keep the general fix.
        let other = problem(&demography("[0.3, 0.04 0.02, 0.005]"));
        assert!(
            other.fix.starts_with("this line is not valid TOML"),
            "{other:?}"
        );
    }

    #[test]
    fn a_file_not_in_utf8_is_answered_with_its_line_and_the_encoding_fix() {
        let dir = std::env::temp_dir().join(format!("carenet-latin1-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("latin.toml");
        std::fs::write(
            &file,
            b"name = \"x\"\n[[neighbourhood]]\nname = \"Sn\xe9k\"\n",
        )
        .unwrap();
        let error = load_file(&file).expect_err("not UTF-8");
        std::fs::remove_dir_all(&dir).unwrap();
        let text = error.to_string();
        assert!(
            text.contains("latin.toml:3:11: byte 0xE9 is not UTF-8"),
            "{text}"
        );
        assert!(text.contains("fix: save the file as UTF-8"), "{text}");
    }

    #[test]
    fn a_decimal_comma_in_quotes_is_answered_with_the_number_to_write() {
        // QA 27: a Dutch user writes "32,40"; the fix said only "numbers
        // without quotes".
        assert_eq!(
            fix_for("invalid type: string \"32,40\", expected f64"),
            "write the number without quotes and with a decimal point: 32.4 (TOML has no decimal comma)"
        );
        assert!(
            fix_for("invalid type: string \"lots\", expected f64").starts_with("write a value")
        );
        let error = crate::scenario::parse_str(
            "[cost]\nhousehold_help_eur_per_hour = \"32,40\"\n",
            "t.toml",
        )
        .expect_err("a string");
        assert!(error.to_string().contains("decimal point: 32.4"), "{error}");
    }

    #[test]
    fn every_problem_of_a_file_is_reported_in_file_order() {
        // Unknown keys in three sections and a name `validate` refuses, which
        // serde and `validate` find one at a time and in their own order.
        let text = "name = \"m\"\n\
                    [[neighbourhood]]\nname = \"A\"\nadults = 500\ncohesin = 0.5\n\
                    [network]\nfriend_mean = 3.0\n\
                    [formal]\nhours_per_1000 = 300\n\
                    [[intervention]]\nkind = \"cohesion_events\"\nneighbourhoods = [\"Z\"]\n";
        let problems = all_problems_of(text);
        assert_eq!(
            lines(&problems),
            [Some(5), Some(7), Some(9), Some(12)],
            "{problems:#?}"
        );
        assert!(problems[0].message.contains("`cohesin`"), "{problems:#?}");
        assert!(
            problems[1].message.contains("`friend_mean`"),
            "{problems:#?}"
        );
        assert!(
            problems[2].message.contains("`hours_per_1000`"),
            "{problems:#?}"
        );
        assert_eq!(problems[3].path, "intervention[0].neighbourhoods[0]");
        assert_eq!(problems[3].position, Some((12, 19)));
        assert!(problems[3].message.contains("\"Z\""), "{problems:#?}");
    }

    /// QA 29: a file that reads but has wrong values got them in the order
    /// `validate` checks them (line 6 before line 5), though the README
    /// promises the order of the file.
    #[test]
    fn wrong_values_of_a_file_that_reads_are_reported_in_file_order() {
        let text = "name = \"t\"\n[[neighbourhood]]\nname = \"A\"\nadults = 300\n\
                    living_alone = -0.2\nage_mix = [0.5, 0.5, 0.1, -0.1]\n";
        let problems = all_problems_of(text);
        assert_eq!(lines(&problems), [Some(5), Some(6)], "{problems:#?}");
    }

    #[test]
    fn the_same_misspelling_in_two_entries_is_reported_for_each_once() {
        let text = "[[neighbourhood]]\nname = \"A\"\nadult = 100\n\n\
                    [[neighbourhood]]\nname = \"B\"\nadult = 100\n";
        let problems = all_problems_of(text);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!(problems[0].position, Some((3, 1)));
        assert_eq!(problems[1].position, Some((7, 1)));
        assert!(
            problems
                .iter()
                .all(|p| p.fix.contains("did you mean `adults`"))
        );
    }

    #[test]
    fn unknown_keys_before_a_wrong_value_are_reported_with_it() {
        // Serde reads [formal] before [network] and [[neighbourhood]], so the
        // wrong value on line 9 was its first error and hid the keys above it.
        let text = "name = \"b\"\n[[neighbourhood]]\nname = \"A\"\nadultz = 100\n\
                    [network]\nfriend_mean = 3\n[formal]\nhours_per_1000 = 100\n\
                    network_first = \"yes\"\n";
        let problems = all_problems_of(text);
        assert_eq!(
            lines(&problems),
            [Some(4), Some(6), Some(8), Some(9)],
            "{problems:#?}"
        );
        assert!(
            problems[3].message.contains("expected true or false"),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_required_key_of_the_wrong_type_is_not_also_called_missing() {
        let text = "name = \"b\"\n[[neighbourhood]]\nname = 3\nadults = 100\n";
        let problems = all_problems_of(text);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        // QA 39: said in words, not in serde's type names.
        assert!(
            problems[0]
                .message
                .starts_with("wrong kind of value: the whole number `3`, expected text"),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .all(|p| !p.message.contains("missing field"))
        );
    }

    #[test]
    fn a_wrong_type_after_an_unknown_key_is_still_reported() {
        let problems = all_problems_of("name = \"t\"\nburnin = 3\nweeks = \"ten\"\n");
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!(problems[0].position, Some((2, 1)));
        assert!(
            problems[0].fix.contains("did you mean `burn_in_weeks`"),
            "{problems:#?}"
        );
        assert_eq!(problems[1].position, Some((3, 9)));
        assert!(
            problems[1]
                .message
                .contains("expected a whole number of 0 or more"),
            "{problems:#?}"
        );
    }

    #[test]
    fn an_unknown_key_in_an_inline_table_is_placed() {
        let text = "weeks = 10\nintervention = [{ kind = \"cohesion_events\", bad = 1 }]\n";
        let problems = all_problems_of(text);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].position, Some((2, 45)), "{problems:#?}");
        assert!(problems[0].message.contains("`bad`"), "{problems:#?}");
        // No weeks at all is said once, not again as an intervention that
        // starts after weeks 0 to 4294967295.
        let problems = all_problems_of("weeks = 0\n[[intervention]]\nkind = \"cohesion_events\"\n");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].path, "weeks");
    }

    #[test]
    fn an_unknown_name_written_as_a_key_is_one_problem_of_several() {
        let text = "[network]\nfriend_mean = 3\n\
                    [scope.frend]\nhousehold = 0.5\n\
                    [scope.friend]\npractical_hlp = 0.3\nhousehold = 2.0\n";
        let problems = all_problems_of(text);
        let places: Vec<_> = problems.iter().map(|p| p.position).collect();
        assert_eq!(
            places,
            [Some((2, 1)), Some((3, 8)), Some((6, 1)), Some((7, 13))],
            "{problems:#?}"
        );
        assert!(
            problems[1].fix.contains("did you mean `friend`"),
            "{problems:#?}"
        );
        assert_eq!(problems[3].path, "scope.friend.household");
        // An unknown kind of an entry takes the entry out whole (its other
        // keys belong to no known kind), and the search goes on after it.
        let problems = all_problems_of("[[intervention]]\nkind = \"cohesion_event\"\nbad = 1\n");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].position, Some((2, 8)));
    }

    #[test]
    fn an_unknown_intervention_kind_is_one_problem_of_several() {
        // The second intervention's kind is unknown: the keys before it, the
        // third intervention (one entry lower in the copy once the second is
        // out) and the values after it are still checked and placed.
        let text = "name = \"k\"\nseedz = 3\n\
                    [[intervention]]\nkind = \"cohesion_events\"\nstart_week = 2\n\
                    [[intervention]]\nkind = \"cohesion_partyy\"\nstart_week = 4\n\
                    [[intervention]]\nkind = \"cohesion_events\"\nneighbourhoods = [\"Z\"]\nstrat_week = 1\n\
                    [formal]\nhours_per_1000_residents = -5.0\n";
        let problems = all_problems_of(text);
        assert_eq!(
            lines(&problems),
            [Some(2), Some(7), Some(11), Some(12), Some(14)],
            "{problems:#?}"
        );
        assert!(problems[0].message.contains("`seedz`"), "{problems:#?}");
        assert!(
            problems[1].message.contains("`cohesion_partyy`")
                && problems[1].fix.contains("cohesion_events"),
            "{problems:#?}"
        );
        assert_eq!(problems[2].path, "intervention[2].neighbourhoods[0]");
        assert!(
            problems[3].message.contains("`strat_week`"),
            "{problems:#?}"
        );
        assert_eq!(problems[4].path, "formal.hours_per_1000_residents");
    }

    #[test]
    fn a_wrong_value_inside_an_intervention_is_placed_at_its_key_and_hides_nothing() {
        // Serde points at the entry's header; the key is found by its value.
        let text = "name = \"w\"\ncohesoin = 0.5\n\
                    [[intervention]]\nkind = \"help_exchange\"\nmatches_per_week = \"ten\"\nstart_wek = 3\n\
                    [formal]\nhours_per_1000_residents = -5.0\n";
        let problems = all_problems_of(text);
        assert_eq!(
            lines(&problems),
            [Some(2), Some(5), Some(6), Some(8)],
            "{problems:#?}"
        );
        assert_eq!(problems[1].path, "intervention[0].matches_per_week");
        assert!(
            problems[1].message.contains("expected a whole number"),
            "{problems:#?}"
        );
        assert!(problems[2].fix.contains("did you mean `start_week`"));
    }

    #[test]
    fn a_single_table_for_a_list_of_tables_says_double_brackets_and_hides_nothing() {
        let text = "name = \"b\"\n[neighbourhood]\nname = \"A\"\nadults = 300\n\
                    [netwrok]\nfriends_mean = 3\n";
        let problems = all_problems_of(text);
        assert_eq!(lines(&problems), [Some(2), Some(5)], "{problems:#?}");
        assert!(
            problems[0].fix.contains("`[[neighbourhood]]`"),
            "{problems:#?}"
        );
        assert!(problems[1].fix.contains("did you mean `network`"));
    }

    #[test]
    fn a_misspelling_that_starts_like_a_key_gets_a_suggestion() {
        let p = problem("[formal]\nhours_per_1000 = 300\n");
        assert_eq!(p.position, Some((2, 1)));
        assert!(
            p.fix.contains("did you mean `hours_per_1000_residents`"),
            "{p:?}"
        );
        assert_eq!(closest("xy", &["xyzzy_long_name"]), None);
    }

    #[test]
    fn a_short_word_gets_no_suggestion_it_shares_nothing_with() {
        let allowed = ["path", "values", "low", "high", "integer"];
        assert_eq!(closest("min", &allowed), None);
        assert_eq!(closest("max", &allowed), None);
        assert_eq!(closest("key", &allowed), None);
        assert_eq!(closest("lwo", &allowed), Some("low"));
        assert_eq!(closest("hihg", &allowed), Some("high"));
        assert_eq!(closest("value", &allowed), Some("values"));
    }

    #[test]
    fn the_bounds_of_other_tools_are_told_their_carenet_names() {
        let message =
            "unknown field `min`, expected one of `path`, `values`, `low`, `high`, `integer`";
        for (word, ours) in [
            ("min", "low"),
            ("max", "high"),
            ("upper", "high"),
            ("key", "path"),
        ] {
            let fix = did_you_mean(word, &message.replace("`min`", &format!("`{word}`")));
            assert!(
                fix.starts_with(&format!("did you mean `{ours}`?")),
                "{word}: {fix}"
            );
        }
        // Not where the key it stands for is not allowed.
        assert!(
            !did_you_mean("max", "unknown field `max`, expected `weeks` or `seed`")
                .contains("did you mean")
        );
    }

    #[test]
    fn unknown_key_is_located_and_a_spelling_suggested() {
        let p = problem("name = \"x\"\nweeks = 10\nburnin_weeks = 4\n");
        assert_eq!(p.position, Some((3, 1)));
        assert!(p.message.contains("unknown field `burnin_weeks`"), "{p:?}");
        assert!(p.fix.contains("did you mean `burn_in_weeks`"), "{p:?}");
    }

    #[test]
    fn unknown_key_inside_intervention_points_at_the_key() {
        let p = problem(
            "[[intervention]]\nkind = \"cohesion_events\"\nstart_week = 2\ntrust_bost = 0.1\n",
        );
        assert_eq!(p.position, Some((4, 1)));
        assert!(p.fix.contains("trust_boost"), "{p:?}");
    }

    #[test]
    fn wrong_type_names_the_type() {
        let p = problem("weeks = \"ten\"\n");
        assert_eq!(p.position, Some((1, 9)));
        assert!(
            p.message.contains("expected a whole number of 0 or more"),
            "{p:?}"
        );
        assert!(p.fix.contains("without a decimal point or quotes"), "{p:?}");
    }

    #[test]
    fn broken_line_is_a_syntax_error_with_position() {
        let p = problem("name = \"x\"\nweeks = = 3\n");
        assert_eq!(p.position.map(|(line, _)| line), Some(2));
        assert!(p.fix.contains("not valid TOML"), "{p:?}");
    }

    #[test]
    fn out_of_range_value_is_located_by_key_path() {
        let text = "[[neighbourhood]]\nname = \"A\"\nadults = 100\n\n[[neighbourhood]]\nname = \"B\"\nadults = 100\ncohesion = 1.4\n";
        let p = problem(text);
        assert_eq!(p.path, "neighbourhood[1].cohesion");
        assert_eq!(p.position, Some((8, 12)));
        assert!(p.message.contains("between 0 and 1"), "{p:?}");
    }

    #[test]
    fn message_names_file_line_and_fix() {
        let err = parse_str("weeks = -1\n", "scenarios/bad.toml").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("scenarios/bad.toml:1:9"), "{text}");
        assert!(text.contains("fix:"), "{text}");
    }
}

#[cfg(test)]
mod qa40_tests {
    use crate::scenario::{Problem, parse_str};

    fn problems(text: &str) -> Vec<Problem> {
        parse_str(text, "t.toml")
            .expect_err("refused")
            .problems()
            .to_vec()
    }

    #[test]
    fn a_whole_number_too_large_for_its_key_is_said_so_at_its_key() {
        // QA 40: `adults = 5000000000` was "expected a whole number of 0 or
        // more" (it is one) with the fix to use one.
        let adults =
            problems("name = \"x\"\n[[neighbourhood]]\nname = \"A\"\nadults = 5000000000\n");
        assert_eq!(adults[0].path, "neighbourhood[0].adults");
        assert_eq!(
            adults[0].message,
            "5000000000 is too large: expected a whole number from 0 to 4294967295"
        );
        assert_eq!(adults[0].fix, "write a whole number from 0 to 4294967295");
        // Beyond 64 bits the parser's own words leaked "as i128", without the key.
        let seed = problems("name = \"x\"\nseed = 99999999999999999999999\n");
        assert_eq!(seed[0].path, "seed");
        assert_eq!(seed[0].position, Some((2, 8)));
        assert_eq!(
            seed[0].message,
            "99999999999999999999999 is too large: expected a whole number from 0 to \
             18446744073709551615"
        );
        assert!(!seed[0].message.contains("i128"), "{:?}", seed[0]);
        // Below 0 keeps its words.
        let negative = problems("name = \"x\"\nweeks = -3\n");
        assert!(
            negative[0]
                .message
                .contains("expected a whole number of 0 or more"),
            "{:?}",
            negative[0]
        );
    }

    #[test]
    fn a_key_written_twice_is_named_with_both_lines() {
        // QA 40: "t.toml:2:1: duplicate key" named neither the key nor the other line.
        let top = problems("name = \"x\"\nname = \"y\"\n");
        assert_eq!(top[0].path, "name");
        assert_eq!(
            top[0].message,
            "`name` is set twice: on line 1 and again here"
        );
        assert_eq!(top[0].fix, "keep one of the two: remove line 2 or line 1");
        let entry =
            problems("name = \"x\"\n[[neighbourhood]]\nname = \"A\"\nadults = 100\nname = \"B\"\n");
        assert_eq!(entry[0].path, "neighbourhood[0].name");
        assert_eq!(entry[0].position, Some((5, 1)));
        assert!(entry[0].message.contains("on line 3"), "{:?}", entry[0]);
    }
}
