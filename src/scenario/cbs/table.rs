//! Reading the CBS table "Kerncijfers wijken en buurten" as CBS publishes it:
//! semicolon-separated, decimal commas, "." (and blanks, "x", "-") for values CBS
//! does not publish, text that may be quoted or padded with spaces, in UTF-8 (with
//! or without a byte-order mark) or in Windows-1252/Latin-1, as Excel saves it.

use std::collections::HashMap;

use super::CbsError;

/// The table: its columns by lower-case name, and its rows.
pub struct Table {
    pub file: String,
    columns: HashMap<String, usize>,
    pub rows: Vec<Record>,
}

/// One row of the table, with its 1-based line in the file.
pub struct Record {
    pub line: usize,
    fields: Vec<String>,
}

/// The columns an import reads. `gwb_code_10` may be called `gwb_code` in
/// older years; the others have kept their names since 2013.
pub const CODE: &str = "gwb_code_10";
const CODE_OLD: &str = "gwb_code";
pub const NAME: &str = "regio";
pub const GEMEENTE_NAME: &str = "gm_naam";
pub const INHABITANTS: &str = "a_inw";
pub const AGES: [&str; 5] = ["a_00_14", "a_15_24", "a_25_44", "a_45_64", "a_65_oo"];
pub const ONE_PERSON_HOUSEHOLDS: &str = "a_1p_hh";
pub const LAND_HA: &str = "a_lan_ha";
pub const DENSITY: &str = "bev_dich";

/// Values CBS writes for a figure it does not publish: "." (secret or not
/// available), blank, "x" and "-" in some years, and -99997 and friends in the
/// geographic files that some users convert.
const MISSING: [&str; 6] = ["", ".", "x", "X", "-", "?"];

impl Table {
    /// Decodes and splits a file's bytes; checks the header and that every row
    /// has as many fields as the header.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Table, CbsError> {
        let text = decode(bytes);
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty());
        let Some((_, header)) = lines.next() else {
            return Err(CbsError::new(
                file,
                None,
                "the file is empty",
                "download the table again (see README.md, \"Your own municipality\")",
            ));
        };
        let names = split_fields(header);
        if names.len() < 2 {
            return Err(not_semicolon_separated(file, header));
        }
        let columns: HashMap<String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.to_lowercase(), i))
            .collect();
        let table = Table {
            file: file.to_string(),
            columns,
            rows: Vec::new(),
        };
        table.check_columns()?;
        let mut rows = Vec::new();
        for (index, line) in lines {
            let fields = split_fields(line);
            if fields.len() != names.len() {
                return Err(CbsError::new(
                    file,
                    Some(index + 1),
                    format!(
                        "this row has {} fields, the header {}",
                        fields.len(),
                        names.len()
                    ),
                    "the file may be cut off or edited by hand: download it again from CBS",
                ));
            }
            rows.push(Record {
                line: index + 1,
                fields,
            });
        }
        Ok(Table { rows, ..table })
    }

    fn check_columns(&self) -> Result<(), CbsError> {
        let mut needed = vec![
            NAME,
            GEMEENTE_NAME,
            INHABITANTS,
            ONE_PERSON_HOUSEHOLDS,
            LAND_HA,
            DENSITY,
        ];
        needed.extend(AGES);
        let mut missing: Vec<&str> = needed
            .into_iter()
            .filter(|name| !self.columns.contains_key(*name))
            .collect();
        if self.code_column().is_none() {
            missing.insert(0, CODE);
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(CbsError::new(
            &self.file,
            Some(1),
            format!(
                "the header lacks the column(s) {}: this is not CBS's table \"Kerncijfers wijken en buurten\"",
                missing.join(", ")
            ),
            "download the table's CSV from CBS (README.md, \"Your own municipality\") and give that file unchanged",
        ))
    }

    fn code_column(&self) -> Option<usize> {
        self.columns
            .get(CODE)
            .or_else(|| self.columns.get(CODE_OLD))
            .copied()
    }

    /// The area code of a row (GM0363, WK036300, BU03630000), upper case.
    pub fn code(&self, record: &Record) -> String {
        self.code_column()
            .map(|i| record.fields[i].to_uppercase())
            .unwrap_or_default()
    }

    /// The text of a column (which `check_columns` made sure is there).
    pub fn text<'a>(&self, record: &'a Record, column: &str) -> &'a str {
        self.columns
            .get(column)
            .map_or("", |i| record.fields[*i].as_str())
    }

    /// A number of a column; `None` where CBS publishes none.
    pub fn number(&self, record: &Record, column: &str) -> Result<Option<f64>, CbsError> {
        let raw = self.text(record, column);
        parse_number(raw).map_err(|()| {
            CbsError::new(
                &self.file,
                Some(record.line),
                format!("`{column}` is \"{raw}\", which is neither a number nor a CBS missing-value marker (\".\" or blank)"),
                "correct the value, or download the table again from CBS",
            )
        })
    }
}

fn not_semicolon_separated(file: &str, header: &str) -> CbsError {
    let separator = if header.contains('\t') {
        "tabs"
    } else if header.contains(',') {
        "commas"
    } else {
        "no separator carenet knows"
    };
    CbsError::new(
        file,
        Some(1),
        format!(
            "the header has one column only (it uses {separator}): CBS's CSV is separated by semicolons"
        ),
        "give the CSV as CBS publishes it, or save it from a spreadsheet as \"CSV (semicolon-separated)\"",
    )
}

/// The text of a file: UTF-8 (a byte-order mark dropped), or else Windows-1252,
/// the superset of Latin-1 that Excel writes on Dutch Windows.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// One byte of Windows-1252: Latin-1 except for 0x80–0x9F, where it has
/// typographic characters (those it leaves undefined are read as Latin-1).
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Splits a line at semicolons outside double quotes; quotes are removed
/// (`""` inside quotes is one quote) and each field is trimmed.
pub fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ';' if !quoted => fields.push(std::mem::take(&mut field).trim().to_string()),
            _ => field.push(c),
        }
    }
    fields.push(field.trim().to_string());
    fields
}

/// A number as CBS writes it: decimal comma (a point then groups thousands),
/// spaces (also non-breaking) between digit groups; `None` for a missing
/// value; `Err` for anything else.
fn parse_number(raw: &str) -> Result<Option<f64>, ()> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect();
    if MISSING.contains(&compact.as_str()) {
        return Ok(None);
    }
    // -99997 (and -99995, -99998) mark suppressed values in CBS's geographic files.
    if compact.starts_with("-9999") && compact.len() == 6 {
        return Ok(None);
    }
    let plain = if compact.contains(',') {
        compact.replace('.', "").replace(',', ".")
    } else {
        compact
    };
    match plain.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some(value)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_cbs_writes_them() {
        assert_eq!(parse_number("2,12"), Ok(Some(2.12)));
        assert_eq!(parse_number("  1 045"), Ok(Some(1045.0)));
        assert_eq!(parse_number("1\u{a0}045"), Ok(Some(1045.0)));
        assert_eq!(parse_number("\"17811291\""), Ok(Some(17_811_291.0)));
        assert_eq!(parse_number("1.234,5"), Ok(Some(1234.5)));
        assert_eq!(parse_number("."), Ok(None));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number(" x "), Ok(None));
        assert_eq!(parse_number("-99997"), Ok(None));
        assert_eq!(parse_number("-5"), Ok(Some(-5.0)));
        assert_eq!(parse_number("veel"), Err(()));
        assert_eq!(parse_number("NaN"), Err(()));
    }

    #[test]
    fn fields_split_at_semicolons_outside_quotes() {
        assert_eq!(
            split_fields("BU1;\"Oost; West\";\"a \"\"b\"\"\"; 12 "),
            vec!["BU1", "Oost; West", "a \"b\"", "12"]
        );
        assert_eq!(split_fields("a;;"), vec!["a", "", ""]);
    }

    #[test]
    fn latin1_and_utf8_with_a_byte_order_mark_decode_alike() {
        let utf8 = "Súdwest-Fryslân;’s".as_bytes();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(utf8);
        let cp1252: Vec<u8> = b"S\xFAdwest-Frysl\xE2n;\x92s".to_vec();
        assert_eq!(decode(utf8), "Súdwest-Fryslân;’s");
        assert_eq!(decode(&bom), "Súdwest-Fryslân;’s");
        assert_eq!(decode(&cp1252), "Súdwest-Fryslân;’s");
    }
}
