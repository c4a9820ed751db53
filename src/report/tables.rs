//! Reading the CSV tables a report is made from, by column name.

use std::path::{Path, PathBuf};

use super::ReportError;

/// Larger than any count, hour total or share carenet writes (hours of 400
/// million adults over 100 years stay below it), and small enough that sums of
/// a chart's values stay finite.
const LARGEST_VALUE: f64 = 1e15;

/// A CSV file held in memory as text cells.
#[derive(Debug, Clone)]
pub struct Table {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file with a header row.
    pub fn read(path: &Path) -> Result<Table, ReportError> {
        let csv_error = |source| ReportError::Csv {
            path: path.to_path_buf(),
            source,
        };
        let mut reader = csv::Reader::from_path(path).map_err(csv_error)?;
        let header = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(
                record
                    .map_err(csv_error)?
                    .iter()
                    .map(str::to_string)
                    .collect(),
            );
        }
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    /// Whether the table has a column of that name.
    pub fn has_column(&self, name: &str) -> bool {
        self.header.iter().any(|c| c == name)
    }

    /// The index of a column, or an error naming the file and the column.
    pub fn column(&self, name: &str) -> Result<usize, ReportError> {
        self.header
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| ReportError::MissingColumn {
                path: self.path.clone(),
                column: name.to_string(),
            })
    }

    /// Reads a CSV file that must hold at least one row below its header.
    /// The rows as [`Row`](crate::output::Row)s of (column, value).
    pub fn to_rows(&self) -> Vec<crate::output::Row> {
        self.rows
            .iter()
            .map(|row| {
                crate::output::Row(
                    self.header
                        .iter()
                        .cloned()
                        .zip(row.iter().cloned())
                        .collect(),
                )
            })
            .collect()
    }

    pub fn read_with_rows(path: &Path) -> Result<Table, ReportError> {
        let table = Table::read(path)?;
        if table.rows.is_empty() {
            return Err(ReportError::NoRows {
                path: path.to_path_buf(),
            });
        }
        Ok(table)
    }

    /// The text of a cell ("" for a row the table does not have).
    pub fn text(&self, row: usize, column: &str) -> Result<&str, ReportError> {
        let index = self.column(column)?;
        Ok(self
            .rows
            .get(row)
            .and_then(|r| r.get(index))
            .map_or("", String::as_str))
    }

    /// A cell as a number; `None` for an empty cell (NA). Anything else that is
    /// not a finite number up to `LARGEST_VALUE` in size is refused with the file, row and column: charts of
    /// infinite values cannot be drawn, and a wrong value must not pass as NA.
    pub fn number(&self, row: usize, column: &str) -> Result<Option<f64>, ReportError> {
        let text = self.text(row, column)?.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(value) if value.abs() <= LARGEST_VALUE => Ok(Some(value)),
            _ => Err(ReportError::BadValue {
                path: self.path.clone(),
                row: row + 1,
                line: row + 2,
                column: column.to_string(),
                value: text.chars().take(40).collect(),
            }),
        }
    }

    /// A whole column as numbers, NA read as 0; a value that is not a finite
    /// number is refused as in [`Table::number`].
    pub fn numbers(&self, column: &str) -> Result<Vec<f64>, ReportError> {
        (0..self.rows.len())
            .map(|row| Ok(self.number(row, column)?.unwrap_or(0.0)))
            .collect()
    }

    /// The first row whose `key` column equals `value`.
    pub fn find(&self, key: &str, value: &str) -> Result<Option<usize>, ReportError> {
        let index = self.column(key)?;
        Ok(self
            .rows
            .iter()
            .position(|r| r.get(index).is_some_and(|v| v == value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_by_name_and_na_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "a,b\n1.5,\n2,x\n").unwrap();
        let table = Table::read(&path).unwrap();
        assert_eq!(table.numbers("a").unwrap(), vec![1.5, 2.0]);
        assert_eq!(table.number(0, "b").unwrap(), None);
        let error = table.number(1, "b").unwrap_err().to_string();
        assert!(error.contains("row 2 (line 3), column `b`"), "{error}");
        assert_eq!(table.find("b", "x").unwrap(), Some(1));
        let error = table.column("c").unwrap_err().to_string();
        assert!(error.contains("t.csv") && error.contains("`c`"), "{error}");
    }
}
