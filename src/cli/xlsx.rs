//! Excel workbooks of a run folder's tables, one sheet per table: a
//! comparison's `comparison.xlsx`, a run's and the replicates' `summary.xlsx`,
//! a sweep's and a merge's `runs.xlsx`, so that an analyst whose Excel reads CSV with a
//! semicolon and a decimal comma (a Dutch locale) opens the figures in columns. Numbers are written as numbers (IEEE doubles, which Excel shows
//! with the reader's own decimal separator, a comma in a Dutch locale), never
//! as text with dots; true/false as booleans; an empty CSV cell (NA) as an
//! empty cell. Seeds and names stay text: a 64-bit seed has more digits than
//! Excel's 15 significant ones.

use carenet::output::Row;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::Failure;

/// Columns kept as text whatever their cells look like.
const TEXT_COLUMNS: [&str; 5] = ["seed", "run", "variant", "metric", "scenario"];

/// Excel's last row (1,048,576 rows, the header included).
const EXCEL_MAX_DATA_ROWS: usize = 1_048_575;

/// Sheets longer than this are fitted to their columns by hand, and written
/// a row at a time with the rows on disk (rust_xlsxwriter's low-memory
/// worksheet): a 15-year run's flows sheet of 73,000 rows held about 180 MB
/// as rows and cells in memory, more than the area's world (session 35).
const SHEET_ROWS_IN_MEMORY: usize = 10_000;

/// A table to write as a sheet: rows made in memory, or a CSV file carenet
/// wrote, read a record at a time (its header's columns in each).
#[derive(Clone, Copy)]
pub enum Sheet<'a> {
    Rows(&'a [Row]),
    Csv(&'a [u8]),
}

impl Sheet<'_> {
    /// The columns, from the first row or the CSV header (none if no rows).
    fn columns(&self) -> Result<Vec<String>, Failure> {
        match self {
            Sheet::Rows(rows) => Ok(rows
                .first()
                .map(|row| row.0.iter().map(|(c, _)| c.clone()).collect())
                .unwrap_or_default()),
            Sheet::Csv(bytes) => {
                let mut reader = csv::Reader::from_reader(*bytes);
                let header = reader.headers().map_err(read_back_failed)?;
                Ok(header.iter().map(String::from).collect())
            }
        }
    }

    /// Calls `visit` with each row's cells in column order, `width` of them
    /// (a missing cell is empty, NA).
    fn for_each_row(
        &self,
        width: usize,
        mut visit: impl FnMut(&[&str]) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        match self {
            Sheet::Rows(rows) => {
                let mut cells: Vec<&str> = Vec::with_capacity(width);
                for row in *rows {
                    cells.clear();
                    cells.extend((0..width).map(|c| row.0.get(c).map_or("", |(_, v)| v.as_str())));
                    visit(&cells)?;
                }
            }
            Sheet::Csv(bytes) => {
                let mut reader = csv::Reader::from_reader(*bytes);
                let mut record = csv::StringRecord::new();
                while reader.read_record(&mut record).map_err(read_back_failed)? {
                    let cells: Vec<&str> =
                        (0..width).map(|c| record.get(c).unwrap_or("")).collect();
                    visit(&cells)?;
                }
            }
        }
        Ok(())
    }
}

fn read_back_failed(e: csv::Error) -> Failure {
    anyhow::anyhow!("cannot read back a CSV table for the workbook: {e}").into()
}

/// What a sheet's first pass over its rows finds: how many, which columns
/// hold numbers only, and each column's widest cell in characters.
struct SheetShape {
    rows: usize,
    numeric: Vec<bool>,
    widest: Vec<usize>,
}

impl SheetShape {
    fn of(sheet: Sheet, columns: &[String]) -> Result<SheetShape, Failure> {
        let mut shape = SheetShape {
            rows: 0,
            numeric: columns
                .iter()
                .map(|c| !TEXT_COLUMNS.contains(&c.as_str()))
                .collect(),
            widest: columns.iter().map(|c| c.chars().count()).collect(),
        };
        sheet.for_each_row(columns.len(), |cells| {
            shape.rows += 1;
            for (col, cell) in cells.iter().enumerate() {
                shape.numeric[col] &= is_number_or_na(cell);
                shape.widest[col] = shape.widest[col].max(cell.chars().count());
            }
            Ok(())
        })?;
        Ok(shape)
    }
}

/// A workbook with one sheet per `(name, table)`, each headed by its columns;
/// a table longer than a sheet can hold is left out and named in the returned
/// notes.
pub fn workbook_of(tables: &[(&str, Sheet)]) -> Result<(Vec<u8>, Vec<String>), Failure> {
    let mut book = Workbook::new();
    // A fixed creation time, so that the same comparison gives the same bytes.
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_failed)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    let mut notes = Vec::new();
    for (name, sheet) in tables {
        let columns = sheet.columns()?;
        let shape = SheetShape::of(*sheet, &columns)?;
        if shape.rows == 0 {
            continue;
        }
        if shape.rows > EXCEL_MAX_DATA_ROWS {
            notes.push(format!(
                "sheet {name} left out: {} rows, more than Excel's {EXCEL_MAX_DATA_ROWS}",
                shape.rows
            ));
            continue;
        }
        write_sheet(&mut book, name, *sheet, &columns, &shape)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx_failed)?;
    Ok((bytes, notes))
}

fn xlsx_failed(e: XlsxError) -> Failure {
    match &e {
        // Long sheets go through a temporary file (a low-memory worksheet).
        XlsxError::TempFileError(dir, _) => anyhow::anyhow!(
            "cannot write the Excel workbook: {e}\n  fix: sheets of more than \
             {SHEET_ROWS_IN_MEMORY} rows are staged in the temporary folder ({}); let TMPDIR \
             name a folder that exists, is writable and has room",
            dir.display()
        ),
        _ => anyhow::anyhow!("cannot write the Excel workbook: {e}"),
    }
    .into()
}

/// One sheet, row by row: the columns in bold, then the cells.
fn write_sheet(
    book: &mut Workbook,
    name: &str,
    sheet: Sheet,
    columns: &[String],
    shape: &SheetShape,
) -> Result<(), Failure> {
    let in_memory = shape.rows <= SHEET_ROWS_IN_MEMORY;
    let out = if in_memory {
        book.add_worksheet()
    } else {
        book.add_worksheet_with_low_memory().map_err(xlsx_failed)?
    };
    out.set_name(name).map_err(xlsx_failed)?;
    let bold = Format::new().set_bold();
    for (col, column) in columns.iter().enumerate() {
        out.write_string_with_format(0, column_number(col)?, column, &bold)
            .map_err(xlsx_failed)?;
    }
    let mut r = 0u32;
    sheet.for_each_row(columns.len(), |cells| {
        r += 1;
        for (col, cell) in cells.iter().enumerate() {
            write_cell(out, r, column_number(col)?, cell, shape.numeric[col])
                .map_err(xlsx_failed)?;
        }
        Ok(())
    })?;
    out.set_freeze_panes(1, 0).map_err(xlsx_failed)?;
    if in_memory {
        out.autofit();
    } else {
        for (col, widest) in shape.widest.iter().enumerate() {
            let width = (*widest).clamp(6, 40) as f64 + 2.0;
            out.set_column_width(column_number(col)?, width)
                .map_err(xlsx_failed)?;
        }
    }
    Ok(())
}

/// Writes [`said_workbook`] of `tables` as `name` into a run folder, and says on
/// standard error which sheets were too long for Excel (their CSV file has
/// every row).
pub fn write_workbook(
    folder: &carenet::output::RunFolder,
    name: &str,
    tables: &[(&str, &[Row])],
) -> Result<(), Failure> {
    folder.write_bytes(name, &said_workbook(name, tables)?)?;
    Ok(())
}

/// The workbook of tables in memory, the sheets left out said on standard
/// error as notes of the file `name`.
pub fn said_workbook(name: &str, tables: &[(&str, &[Row])]) -> Result<Vec<u8>, Failure> {
    let sheets: Vec<(&str, Sheet)> = tables
        .iter()
        .map(|(sheet, rows)| (*sheet, Sheet::Rows(rows)))
        .collect();
    said_sheets(name, &sheets)
}

/// [`workbook_of`]'s bytes, the sheets left out said on standard error as
/// notes of the file `name`.
fn said_sheets(name: &str, sheets: &[(&str, Sheet)]) -> Result<Vec<u8>, Failure> {
    let (bytes, notes) = workbook_of(sheets)?;
    for note in notes {
        eprintln!("{name}: {note} (the CSV file has every row)");
    }
    Ok(bytes)
}

/// The sheets of a single run's `summary.xlsx`, from the CSV files of its
/// folder (`files`: name and bytes, as `output::table_files` gives them):
/// `summary` long (`scenario, seed, metric, value`, a row per column of
/// summary.csv, which Excel shows better than one row of 125 columns), then
/// `timeseries`, `neighbourhoods`, `network_summary`, `yearly` (runs of more
/// than a year) and `flows` as their CSV files are.
pub fn run_workbook(files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>, Failure> {
    let csv_of = |name: &str| {
        files
            .iter()
            .find(|(file, _)| *file == name)
            .map_or(&b""[..], |(_, bytes)| bytes.as_slice())
    };
    let summary = long_summary(&rows_of_csv("summary.csv", csv_of("summary.csv"))?);
    let names = [
        "timeseries",
        "neighbourhoods",
        "network_summary",
        "yearly",
        "flows",
    ];
    let csvs: Vec<String> = names.iter().map(|name| format!("{name}.csv")).collect();
    let mut sheets = vec![("summary", Sheet::Rows(&summary))];
    // Read a record at a time: a run of many years has long tables.
    sheets.extend(
        names
            .iter()
            .zip(&csvs)
            .map(|(name, csv)| (*name, Sheet::Csv(csv_of(csv)))),
    );
    said_sheets("summary.xlsx", &sheets)
}

/// summary.csv's one row as `scenario, seed, metric, value` rows, one per
/// metric.
fn long_summary(rows: &[Row]) -> Vec<Row> {
    let Some(row) = rows.first() else {
        return Vec::new();
    };
    let scenario = row.get("scenario").unwrap_or("");
    let seed = row.get("seed").unwrap_or("");
    row.0
        .iter()
        .filter(|(column, _)| column != "scenario" && column != "seed")
        .map(|(metric, value)| {
            Row(vec![
                ("scenario".into(), scenario.into()),
                ("seed".into(), seed.into()),
                ("metric".into(), metric.clone()),
                ("value".into(), value.clone()),
            ])
        })
        .collect()
}

/// A CSV file carenet wrote, as rows (its header's columns in each).
pub(super) fn rows_of_csv(name: &str, bytes: &[u8]) -> Result<Vec<Row>, Failure> {
    let failed = |e: csv::Error| anyhow::anyhow!("cannot read back {name} for the workbook: {e}");
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(failed)?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(failed)?;
        rows.push(Row(header
            .iter()
            .cloned()
            .zip(record.iter().map(String::from))
            .collect()));
    }
    Ok(rows)
}

fn column_number(col: usize) -> Result<u16, Failure> {
    Ok(u16::try_from(col).map_err(|_| anyhow::anyhow!("too many columns for Excel"))?)
}

/// True if every non-empty cell of the column is a finite number and the
/// column is not one kept as text.
#[cfg(test)]
fn is_numeric_column(rows: &[Row], col: usize) -> bool {
    let sheet = Sheet::Rows(rows);
    let columns = sheet.columns().unwrap();
    SheetShape::of(sheet, &columns).unwrap().numeric[col]
}

/// An empty cell (NA) or a finite number.
fn is_number_or_na(cell: &str) -> bool {
    cell.is_empty() || cell.parse::<f64>().is_ok_and(f64::is_finite)
}

fn write_cell(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    cell: &str,
    numeric: bool,
) -> Result<(), XlsxError> {
    if cell.is_empty() {
        return Ok(());
    }
    match (numeric, cell) {
        (true, _) => sheet.write_number(row, col, cell.parse::<f64>().unwrap_or(f64::NAN))?,
        (false, "true") => sheet.write_boolean(row, col, true)?,
        (false, "false") => sheet.write_boolean(row, col, false)?,
        (false, text) => sheet.write_string(row, col, text)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[(&str, &str)]) -> Row {
        Row(cells
            .iter()
            .map(|(c, v)| (c.to_string(), v.to_string()))
            .collect())
    }

    #[test]
    fn numbers_stay_numbers_and_seeds_and_names_stay_text() {
        let rows = [
            row(&[
                ("variant", "1"),
                ("seed", "18446744073709551615"),
                ("mean", "0.25"),
            ]),
            row(&[("variant", "b"), ("seed", "5"), ("mean", "")]),
        ];
        assert!(!is_numeric_column(&rows, 0), "a name column");
        assert!(!is_numeric_column(&rows, 1), "seeds keep their digits");
        assert!(is_numeric_column(&rows, 2), "an empty cell is NA, not text");
        let mixed = [row(&[("x", "1.5")]), row(&[("x", "n/a")])];
        assert!(!is_numeric_column(&mixed, 0));
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let rows = [row(&[("metric", "unmet_share"), ("mean", "0.25")])];
        let sheets = [("comparison", Sheet::Rows(&rows))];
        let (a, _) = workbook_of(&sheets).unwrap();
        let (b, _) = workbook_of(&sheets).unwrap();
        assert!(a.starts_with(b"PK"), "a zip file");
        assert_eq!(a, b);
    }

    /// A table longer than the sheets kept in memory goes on a low-memory
    /// sheet (rows on a temporary file): still the same bytes each time.
    #[test]
    fn a_long_table_gives_the_same_bytes_each_time() {
        let mut csv = String::from("week,direction,hours\n");
        for week in 0..=SHEET_ROWS_IN_MEMORY {
            csv += &format!("{week},inbound,{}.5\n", week % 7);
        }
        let sheets = [("flows", Sheet::Csv(csv.as_bytes()))];
        let (a, notes) = workbook_of(&sheets).unwrap();
        let (b, _) = workbook_of(&sheets).unwrap();
        assert!(a.starts_with(b"PK") && a == b && notes.is_empty());
        let columns = sheets[0].1.columns().unwrap();
        let shape = SheetShape::of(sheets[0].1, &columns).unwrap();
        assert_eq!(shape.rows, SHEET_ROWS_IN_MEMORY + 1);
        assert_eq!(shape.numeric, [true, false, true]);
        assert_eq!(shape.widest, [5, 9, 5]);
    }

    #[test]
    fn a_temporary_folder_that_fails_is_told_with_its_fix() {
        let missing = std::path::PathBuf::from("/nonexistent");
        let error = std::io::Error::from(std::io::ErrorKind::NotFound);
        let said = xlsx_failed(XlsxError::TempFileError(missing, error))
            .error
            .to_string();
        assert!(
            said.contains("/nonexistent") && said.contains("fix:") && said.contains("TMPDIR"),
            "{said}"
        );
    }

    #[test]
    fn a_runs_summary_sheet_is_long_with_numeric_values() {
        let csv = b"scenario,seed,need_hours,unmet_share\nbaseline,18446744073709551615,12.5,\n";
        let rows = rows_of_csv("summary.csv", csv).unwrap();
        let long = long_summary(&rows);
        let cells: Vec<Vec<&str>> = long
            .iter()
            .map(|r| r.0.iter().map(|(_, v)| v.as_str()).collect())
            .collect();
        assert_eq!(
            cells,
            [
                ["baseline", "18446744073709551615", "need_hours", "12.5"],
                ["baseline", "18446744073709551615", "unmet_share", ""],
            ]
        );
        assert!(is_numeric_column(&long, 3), "values are numbers, NA empty");
        assert!(!is_numeric_column(&long, 1), "the seed keeps its digits");
        let files = [("summary.csv", csv.to_vec())];
        let (a, b) = (run_workbook(&files).unwrap(), run_workbook(&files).unwrap());
        assert!(a.starts_with(b"PK") && a == b);
    }
}
