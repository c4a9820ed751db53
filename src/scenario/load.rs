//! Reading a scenario file, with errors a social scientist can act on: each names the
//! file, the line and column or key path, what was expected, and how to fix it.

use std::fmt;
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
    let mut out = String::new();
    let count = problems.len();
    let noun = if count == 1 { "problem" } else { "problems" };
    out.push_str(&format!("scenario {file} has {count} {noun}:"));
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
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_str(&text, &path.display().to_string())
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
    let scenario: Scenario = toml::from_str(text).map_err(|error| ScenarioError::Invalid {
        file: file.to_string(),
        problems: vec![problem_from_toml(text, &error)],
    })?;
    let mut problems = validate(&scenario);
    if problems.is_empty() {
        return Ok(scenario);
    }
    let document = toml_edit::Document::parse(text).ok();
    for problem in &mut problems {
        problem.position = document
            .as_ref()
            .and_then(|doc| locate(doc.as_item(), &problem.path))
            .map(|offset| line_column(text, offset));
    }
    Err(ScenarioError::Invalid {
        file: file.to_string(),
        problems,
    })
}

/// Whether scenario text is valid TOML without a single key (empty, blank or
/// comments only).
fn sets_nothing(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|table| table.is_empty())
}

fn problem_from_toml(text: &str, error: &toml::de::Error) -> Problem {
    let message = error.message().trim().to_string();
    let mut offset = error.span().map(|span| span.start);
    if let (Some(start), Some(key)) = (offset, quoted_after(&message, "unknown field `")) {
        // Errors inside an [[intervention]] point at its header; point at the key.
        offset = Some(find_key_line(text, start, key).unwrap_or(start));
    }
    let fix = fix_for(&message);
    let message = match message.split_once(", expected") {
        // The allowed names go into the fix; the message says what is wrong.
        Some((head, _)) if head.starts_with("unknown") => head.to_string(),
        _ => message,
    };
    Problem {
        path: String::new(),
        position: offset.map(|o| line_column(text, o)),
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

fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(distance, c)| *distance <= 3.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

fn did_you_mean(word: &str, message: &str) -> String {
    let allowed = expected_words(message);
    match closest(word, &allowed) {
        Some(best) => format!(
            "did you mean `{best}`? allowed here: {}",
            allowed.join(", ")
        ),
        None if allowed.is_empty() => String::new(),
        None => format!("allowed here: {}", allowed.join(", ")),
    }
}

fn fix_for(message: &str) -> String {
    if let Some(key) = quoted_after(message, "unknown field `") {
        return format!(
            "remove `{key}` or correct its spelling; {}",
            did_you_mean(key, message)
        );
    }
    if let Some(word) = quoted_after(message, "unknown variant `") {
        return format!(
            "`{word}` is not a known name here; {}",
            did_you_mean(word, message)
        );
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

/// The offset of the line that sets `key`, searching from `from` to the next header.
fn find_key_line(text: &str, from: usize, key: &str) -> Option<usize> {
    let mut offset = from;
    for (i, line) in text[from..].split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if i > 0 && trimmed.starts_with('[') {
            return None;
        }
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
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
fn locate(root: &toml_edit::Item, path: &str) -> Option<usize> {
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
    match item {
        toml_edit::Item::Value(value) => value.span(),
        toml_edit::Item::Table(table) => table.span(),
        toml_edit::Item::ArrayOfTables(array) => array.span(),
        toml_edit::Item::None => None,
    }
    .map(|span| span.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Problem {
        let err = parse_str(text, "test.toml").expect_err("should be rejected");
        err.problems()[0].clone()
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
        assert!(p.message.contains("expected u32"), "{p:?}");
        assert!(p.fix.contains("numbers without quotes"), "{p:?}");
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
