//! Your own municipality: a scenario from CBS's table "Kerncijfers wijken en
//! buurten" (`carenet import-cbs`), one neighbourhood per buurt of a gemeente
//! (or of one of its wijken).
//!
//! From CBS come each buurt's adults, age mix, share living alone and land area
//! (see `area`); the positions are a plausible layout, since the table has no
//! coordinates (see `layout`); cohesion, institutional trust and mutual-aid
//! tradition are not in the table and keep carenet's defaults, marked in the
//! written file as assumptions for the user to set (see `write`). Figures of
//! one area that contradict each other beyond CBS's rounding stop the import;
//! smaller disagreements are marked `CHECK` at the buurt (`Area::check`).

mod area;
mod layout;
mod table;
mod write;

use std::collections::HashMap;

use area::{Area, Source, first_of};
use table::Table;

use super::{Neighbourhood, Scenario};

/// Which areas to import: a gemeente (`GM0363`), or one of its wijken (`WK036300`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CbsSelection {
    pub gemeente: String,
    pub wijk: Option<String>,
}

/// `n` buurten as a count in English text: "1 buurt", "5 buurten" (QA 37:
/// import-cbs said "1 buurten" of a wijk of one, and "1 buurt(en)" left out).
pub fn buurten(n: usize) -> String {
    match n {
        1 => "1 buurt".into(),
        n => format!("{} buurten", crate::metrics::grouped(&n.to_string())),
    }
}

/// An imported scenario: its file's text and what it holds.
#[derive(Debug, Clone)]
pub struct CbsImport {
    /// The scenario's name (also the default file name, without `.toml`).
    pub name: String,
    /// The scenario file, with comments on sources and assumptions.
    pub text: String,
    pub scenario: Scenario,
    /// The gemeente's name as CBS writes it.
    pub gemeente_name: String,
    /// The area imported, for people: the gemeente, or a wijk of it, with
    /// their codes (QA 31: the command said the gemeente for a wijk).
    pub area: String,
    /// Buurten left out, each with the reason.
    pub skipped: Vec<String>,
    /// Figures that do not quite agree, each with its buurt and what was
    /// done (also marked `CHECK` at the buurt in the file).
    pub checks: Vec<String>,
}

/// Whether the command line or the file must be fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CbsErrorKind {
    /// `--gemeente` or `--wijk` is malformed or not in the file.
    Argument,
    /// The file is not CBS's table, or a value in it is not usable.
    File,
}

/// Why a CBS file could not be imported; nothing was written.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}{}: {message}\n  fix: {fix}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct CbsError {
    pub kind: CbsErrorKind,
    pub file: String,
    /// 1-based line of the file, where one is at fault.
    pub line: Option<usize>,
    pub message: String,
    pub fix: String,
}

impl CbsError {
    fn new(
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        CbsError {
            kind: CbsErrorKind::File,
            file: file.to_string(),
            line,
            message: message.into(),
            fix: fix.into(),
        }
    }

    fn argument(file: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        CbsError {
            kind: CbsErrorKind::Argument,
            ..CbsError::new(file, None, message, fix)
        }
    }
}

/// One buurt as it becomes a neighbourhood, with notes on where its values came from.
struct Imported {
    neighbourhood: Neighbourhood,
    code: String,
    wijk: String,
    inhabitants: f64,
    land_km2: f64,
    notes: Vec<String>,
}

/// Reads a CBS file's bytes (`file` names it in messages) and writes the
/// scenario of the selected buurten; the text is checked as any scenario file.
pub fn import_cbs(
    bytes: &[u8],
    file: &str,
    selection: &CbsSelection,
) -> Result<CbsImport, CbsError> {
    let table = Table::parse(bytes, file)?;
    let gemeente = gemeente_digits(&selection.gemeente, &table)?;
    // A wijk given by name becomes its code: the file's name, header and
    // command line then say which wijk as a code does.
    let wijk = match &selection.wijk {
        Some(wijk) => Some(wijk_digits(wijk, &gemeente, &table)?),
        None => None,
    };
    let selection = &CbsSelection {
        gemeente: selection.gemeente.clone(),
        wijk: wijk.as_ref().map(|digits| format!("WK{digits}")),
    };
    let prefix = wijk.unwrap_or_else(|| gemeente.clone());
    let areas = Areas::read(&table, &gemeente, &prefix)?;
    if areas.buurten.is_empty() {
        return Err(nothing_selected(&table, selection, &areas));
    }
    let mut imported = Vec::new();
    let mut skipped = Vec::new();
    let mut checks = Vec::new();
    let mut contradictions: Vec<Contradiction> = Vec::new();
    for buurt in &areas.buurten {
        match import_buurt(buurt, &areas) {
            Ok(mut one) => {
                match check_figures(buurt, &areas) {
                    Ok(notes) => {
                        for note in notes {
                            checks.push(format!("{} {}: {note}", buurt.code, buurt.name));
                            one.notes.push(format!("CHECK: {note}"));
                        }
                    }
                    Err(found) => {
                        if !contradictions.iter().any(|c| c.line == found.line) {
                            contradictions.push(found);
                        }
                    }
                }
                imported.push(one);
            }
            Err(reason) => skipped.push(format!("{} {}: {reason}", buurt.code, buurt.name)),
        }
    }
    if !contradictions.is_empty() {
        contradictions.sort_by_key(|c| c.line);
        return Err(contradicting(file, &contradictions));
    }
    if imported.is_empty() {
        return Err(CbsError::new(
            file,
            None,
            format!(
                "none of the {} buurten selected has inhabitants with published figures",
                areas.buurten.len()
            ),
            "choose a gemeente or wijk where people live",
        ));
    }
    name_uniquely(&mut imported);
    place(&mut imported);
    let gemeente_name = areas.gemeente_name(&table);
    let header = write::Header {
        file: file_name(file),
        selection,
        gemeente_code: format!("GM{gemeente}"),
        gemeente_name: &gemeente_name,
    };
    let name = write::scenario_name(&gemeente_name, &gemeente, selection.wijk.as_deref());
    let text = write::scenario_text(&header, &name, &imported, &skipped);
    let area = write::area(&header);
    let scenario = super::parse_str(&text, "the imported scenario").map_err(|e| {
        CbsError::new(
            file,
            None,
            format!("the scenario written from it is not valid: {e}"),
            "this is a bug in carenet; please report it with the file",
        )
    })?;
    Ok(CbsImport {
        name,
        text,
        scenario,
        gemeente_name,
        area,
        skipped,
        checks,
    })
}

/// The gemeente's row, its wijken and the selected buurten, in the file's order.
struct Areas {
    gemeente: Option<Area>,
    wijken: HashMap<String, Area>,
    buurten: Vec<Area>,
    gemeente_names: Vec<String>,
}

impl Areas {
    fn read(table: &Table, gemeente: &str, prefix: &str) -> Result<Areas, CbsError> {
        let mut areas = Areas {
            gemeente: None,
            wijken: HashMap::new(),
            buurten: Vec::new(),
            gemeente_names: Vec::new(),
        };
        let gemeente_code = format!("GM{gemeente}");
        for record in &table.rows {
            let code = table.code(record);
            if code == gemeente_code {
                areas.gemeente = Some(Area::read(table, record)?);
            } else if let Some(digits) = code.strip_prefix("WK")
                && digits.starts_with(gemeente)
            {
                areas
                    .wijken
                    .insert(digits.to_string(), Area::read(table, record)?);
            } else if code
                .strip_prefix("BU")
                .is_some_and(|d| d.starts_with(prefix))
            {
                areas.buurten.push(Area::read(table, record)?);
                areas
                    .gemeente_names
                    .push(table.text(record, table::GEMEENTE_NAME).to_string());
            }
        }
        Ok(areas)
    }

    fn gemeente_name(&self, table: &Table) -> String {
        let from_buurt = self.gemeente_names.first().filter(|n| !n.is_empty());
        from_buurt
            .cloned()
            .or_else(|| self.gemeente.as_ref().map(|g| g.name.clone()))
            .unwrap_or_else(|| table.file.clone())
    }

    /// The buurt, its wijk and its gemeente, for values the buurt lacks.
    fn chain<'a>(&'a self, buurt: &'a Area) -> Vec<(Source, &'a Area)> {
        let mut chain = vec![(Source::Buurt, buurt)];
        if let Some(wijk) = self.wijken.get(wijk_of(&buurt.code)) {
            chain.push((Source::Wijk, wijk));
        }
        if let Some(gemeente) = &self.gemeente {
            chain.push((Source::Gemeente, gemeente));
        }
        chain
    }
}

/// The wijk digits of a buurt code: BU03630001 lies in WK036300.
fn wijk_of(buurt_code: &str) -> &str {
    buurt_code.get(2..8).unwrap_or("")
}

/// A buurt as a neighbourhood, or why it is left out.
fn import_buurt(buurt: &Area, areas: &Areas) -> Result<Imported, String> {
    let inhabitants = buurt
        .inhabitants
        .filter(|n| *n > 0.0)
        .ok_or("no inhabitants (a_inw is 0 or not published)")?;
    let chain = areas.chain(buurt);
    let (share, share_from) = first_of(&chain, Area::adult_share)
        .ok_or("no age figures for the buurt, its wijk or its gemeente")?;
    let adults = (inhabitants * share).round();
    if adults < 1.0 {
        return Err(format!("{inhabitants} inhabitants, no adults"));
    }
    let mut notes = Vec::new();
    let (age_mix, ages_from) = first_of(&chain, Area::age_mix)
        .ok_or("no age figures for the buurt, its wijk or its gemeente")?;
    note_source(&mut notes, "adults and age mix", share_from.max(ages_from));
    let living_alone = match first_of(&chain, Area::living_alone) {
        Some((share, from)) => {
            note_source(&mut notes, "living alone", from);
            // More one-person households than adults: noted by `check_figures`.
            share.min(1.0)
        }
        None => {
            notes.push("living alone: carenet's default (no figures published)".into());
            Neighbourhood::default().living_alone
        }
    };
    let land_km2 = match buurt.land_km2() {
        Some(km2) => km2,
        None => {
            let (density, from) = first_of(&chain, Area::density_per_km2)
                .ok_or("no land area or density for the buurt, its wijk or its gemeente")?;
            note_source(&mut notes, "land area (inhabitants / density)", from);
            inhabitants / density
        }
    };
    Ok(Imported {
        neighbourhood: Neighbourhood {
            name: buurt.name.clone(),
            radius_km: (land_km2 / std::f64::consts::PI).sqrt(),
            adults: adults as u32,
            age_mix: write::shares_summing_to_one(age_mix),
            living_alone,
            ..Neighbourhood::default()
        },
        code: buurt.code.clone(),
        wijk: format!("WK{}", wijk_of(&buurt.code)),
        inhabitants,
        land_km2,
        notes,
    })
}

/// Figures of one area that contradict each other.
struct Contradiction {
    line: usize,
    /// "buurt BU19000000 Sneek-Centrum", or the wijk or gemeente whose
    /// figures a buurt takes.
    area: String,
    problem: String,
}

/// Checks the figures a buurt's neighbourhood is made from, the buurt's own
/// and those of the wijk or gemeente it takes shares from ([`Area::check`]):
/// a contradiction stops the import; small disagreements are notes.
fn check_figures(buurt: &Area, areas: &Areas) -> Result<Vec<String>, Contradiction> {
    let chain = areas.chain(buurt);
    let mut used = vec![Source::Buurt];
    for from in [
        first_of(&chain, Area::adult_share).map(|(_, from)| from),
        first_of(&chain, Area::living_alone).map(|(_, from)| from),
    ]
    .into_iter()
    .flatten()
    {
        if !used.contains(&from) {
            used.push(from);
        }
    }
    let mut notes = Vec::new();
    for (source, area) in chain.iter().filter(|(source, _)| used.contains(source)) {
        let whose = match source {
            Source::Buurt => format!("buurt {} {}", area.code, area.name),
            _ => format!(
                "{} {} {} (whose figures buurt {} takes)",
                source.label(),
                area.code,
                area.name,
                buurt.code
            ),
        };
        match area.check() {
            Ok(found) if *source == Source::Buurt => notes.extend(found),
            Ok(found) => notes.extend(
                found
                    .into_iter()
                    .map(|note| format!("in the {}'s figures, {note}", source.label())),
            ),
            Err(problem) => {
                return Err(Contradiction {
                    line: area.line,
                    area: whose,
                    problem,
                });
            }
        }
    }
    Ok(notes)
}

/// The error for figures that contradict each other, in one area or several.
fn contradicting(file: &str, found: &[Contradiction]) -> CbsError {
    let fix = "correct the figures (download the table again from CBS if you did not change \
               it), or replace a wrong one with \".\", CBS's mark for a figure it does not \
               publish: then the buurt takes the wijk's shares (a wijk the gemeente's)";
    let explained = "more than CBS's rounding and privacy suppression explain; nothing was written";
    match found {
        [one] => CbsError::new(
            file,
            Some(one.line),
            format!(
                "the figures of {} contradict each other: {} ({explained})",
                one.area, one.problem
            ),
            fix,
        ),
        _ => {
            let mut message = format!(
                "the figures of {} areas contradict each other ({explained}):",
                found.len()
            );
            for one in found {
                message.push_str(&format!(
                    "\n  line {}, {}: {}",
                    one.line, one.area, one.problem
                ));
            }
            CbsError::new(file, None, message, fix)
        }
    }
}

fn note_source(notes: &mut Vec<String>, what: &str, from: Source) {
    if from != Source::Buurt {
        notes.push(format!(
            "{what} from the {}'s figures (the buurt's are not published)",
            from.label()
        ));
    }
}

/// Buurten of one gemeente may share a name (a "Centrum" in two villages); those
/// get their code added, so every neighbourhood has its own name.
fn name_uniquely(imported: &mut [Imported]) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for one in imported.iter() {
        *count.entry(one.neighbourhood.name.clone()).or_default() += 1;
    }
    for one in imported.iter_mut() {
        let n = &mut one.neighbourhood;
        if n.name.is_empty() {
            n.name = one.code.clone();
        } else if count[&n.name] > 1 {
            n.name = format!("{} ({})", n.name, one.code);
        }
    }
}

/// Lays the buurten out (see `layout`), rounded to metres.
fn place(imported: &mut [Imported]) {
    let radii: Vec<f64> = imported.iter().map(|i| i.neighbourhood.radius_km).collect();
    let centres = layout::shelf_layout(&radii);
    let metres = |km: f64| (km * 1000.0).round() / 1000.0;
    for (one, centre) in imported.iter_mut().zip(centres) {
        let n = &mut one.neighbourhood;
        n.centre_km = centre.map(metres);
        n.radius_km = metres(n.radius_km).max(0.001);
    }
}

fn file_name(file: &str) -> &str {
    std::path::Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

/// "GM0363", "gm0363", "0363" and "363" all name Amsterdam: its four digits.
fn gemeente_digits(argument: &str, table: &Table) -> Result<String, CbsError> {
    let upper = argument.trim().to_uppercase();
    let digits = upper.strip_prefix("GM").unwrap_or(&upper);
    if !digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        return Ok(format!("{digits:0>4}"));
    }
    // A name where a code belongs: find the code, so the fix can say it.
    let by_name = table.rows.iter().find(|r| {
        table.code(r).starts_with("GM")
            && table
                .text(r, table::NAME)
                .eq_ignore_ascii_case(argument.trim())
    });
    let fix = match by_name {
        Some(record) => format!("use --gemeente {}", table.code(record)),
        None => "give the gemeente's CBS code, GM and four digits (the table's rows of \
                 recs \"Gemeente\" list them)"
            .to_string(),
    };
    Err(CbsError::argument(
        &table.file,
        format!("--gemeente \"{argument}\" is not a gemeente code such as GM0363"),
        fix,
    ))
}

/// The six digits of `--wijk`: a wijk code (`WK036300`, `036300`), which must
/// lie in the gemeente, or a wijk's name as CBS prints it ("Wijk 01 Bolsward")
/// or without CBS's "Wijk NN " ("Bolsward"), in any case (QA 30: a name was
/// refused as "not a wijk code").
fn wijk_digits(argument: &str, gemeente: &str, table: &Table) -> Result<String, CbsError> {
    let file = &table.file;
    let upper = argument.trim().to_uppercase();
    let digits = upper.strip_prefix("WK").unwrap_or(&upper);
    let wijken = wijken_of(table, gemeente);
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        if !digits.starts_with(gemeente) {
            return Err(CbsError::argument(
                file,
                format!("wijk WK{digits} does not lie in gemeente GM{gemeente}"),
                format!(
                    "use a wijk whose code starts with WK{gemeente}, or the wijk's own gemeente{}",
                    listed_wijken(&wijken)
                ),
            ));
        }
        return Ok(digits.to_string());
    }
    let wanted = argument.trim().to_lowercase();
    let matching: Vec<&(String, String)> = wijken
        .iter()
        .filter(|(_, name)| {
            let name = name.trim().to_lowercase();
            name == wanted || without_wijk_number(&name) == wanted
        })
        .collect();
    match matching.as_slice() {
        [(code, _)] => Ok(code.trim_start_matches("WK").to_string()),
        [] => Err(CbsError::argument(
            file,
            format!(
                "--wijk \"{}\" is neither a wijk code such as WK{gemeente}01 nor the name of \
                 a wijk of gemeente GM{gemeente}",
                argument.trim()
            ),
            format!(
                "give the wijk's code or its name as CBS writes it{}",
                listed_wijken(&wijken)
            ),
        )),
        several => Err(CbsError::argument(
            file,
            format!(
                "--wijk \"{}\" names {} wijken of gemeente GM{gemeente}: {}",
                argument.trim(),
                several.len(),
                several
                    .iter()
                    .map(|(code, name)| format!("{code} {name}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "give the code of the one you mean",
        )),
    }
}

/// "wijk 01 bolsward" → "bolsward": CBS numbers wijk names in many gemeenten.
fn without_wijk_number(name: &str) -> &str {
    let Some(rest) = name.strip_prefix("wijk ") else {
        return name;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    match rest.strip_prefix(' ') {
        Some(bare) if rest.len() < name.len() - "wijk ".len() => bare.trim(),
        _ => name,
    }
}

/// The gemeente's wijken in the file's order: (code, name).
fn wijken_of(table: &Table, gemeente: &str) -> Vec<(String, String)> {
    let prefix = format!("WK{gemeente}");
    table
        .rows
        .iter()
        .map(|r| (table.code(r), r))
        .filter(|(code, _)| code.starts_with(&prefix))
        .map(|(code, r)| (code, table.text(r, table::NAME).trim().to_string()))
        .collect()
}

/// At most this many wijken are listed in a message (Amsterdam has about 100).
const WIJKEN_NAMED: usize = 40;

/// "; its wijken: WK190000 Wijk 00 Sneek, ..." for a fix, or nothing when the
/// file has none of the gemeente's wijken.
fn listed_wijken(wijken: &[(String, String)]) -> String {
    if wijken.is_empty() {
        return String::new();
    }
    let mut named: Vec<String> = wijken
        .iter()
        .take(WIJKEN_NAMED)
        .map(|(code, name)| format!("{code} {name}"))
        .collect();
    if wijken.len() > WIJKEN_NAMED {
        named.push(format!("and {} more", wijken.len() - WIJKEN_NAMED));
    }
    format!("; its {} wijken: {}", wijken.len(), named.join(", "))
}

/// At most this many gemeenten are named when `--gemeente` is not in the
/// file (a file of a few, cut from CBS's of 342, is read at a glance).
const GEMEENTEN_NAMED: usize = 10;

/// The file's gemeenten for the message about a code it lacks: their codes
/// and names where they are few, else how many (QA 29: "it has 1" did not
/// say which).
fn gemeenten_in(table: &Table) -> String {
    let named: Vec<String> = table
        .rows
        .iter()
        .filter(|r| table.code(r).starts_with("GM"))
        .map(|r| format!("{} {}", table.code(r), table.text(r, table::NAME).trim()))
        .collect();
    if named.is_empty() || named.len() > GEMEENTEN_NAMED {
        return named.len().to_string();
    }
    format!("{}: {}", named.len(), named.join(", "))
}

/// The error for a selection without buurten: an unknown gemeente or wijk.
fn nothing_selected(table: &Table, selection: &CbsSelection, areas: &Areas) -> CbsError {
    let gemeenten = gemeenten_in(table);
    match (&areas.gemeente, &selection.wijk) {
        (Some(gemeente), Some(wijk)) => CbsError::argument(
            &table.file,
            format!(
                "{} ({}) has no buurten in wijk {wijk}",
                gemeente.name, gemeente.code
            ),
            format!(
                "check the wijk's code, or leave out --wijk to import the whole gemeente{}",
                listed_wijken(&wijken_of(table, gemeente.code.trim_start_matches("GM")))
            ),
        ),
        (Some(gemeente), None) => CbsError::new(
            &table.file,
            Some(gemeente.line),
            format!(
                "{} ({}) has no buurten in this file",
                gemeente.name, gemeente.code
            ),
            "download the table of wijken and buurten, not only gemeenten",
        ),
        (None, _) => CbsError::argument(
            &table.file,
            format!(
                "there is no gemeente {} in this file (it has {gemeenten})",
                selection.gemeente.trim()
            ),
            "check the code (the rows of recs \"Gemeente\" list them with their names); \
             codes change when gemeenten merge, so use a table of the same year",
        ),
    }
}

#[cfg(test)]
mod tests;
