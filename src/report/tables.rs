//! Reading the CSV tables a report is made from, by column name.

use std::path::{Path, PathBuf};

use super::ReportError;

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

    /// The text of a cell.
    pub fn text(&self, row: usize, column: &str) -> Result<&str, ReportError> {
        let index = self.column(column)?;
        Ok(self.rows[row].get(index).map_or("", String::as_str))
    }

    /// A cell as a number; `None` for an empty (NA) or unreadable cell.
    pub fn number(&self, row: usize, column: &str) -> Result<Option<f64>, ReportError> {
        Ok(self.text(row, column)?.trim().parse::<f64>().ok())
    }

    /// A whole column as numbers, NA read as 0.
    pub fn numbers(&self, column: &str) -> Result<Vec<f64>, ReportError> {
        let index = self.column(column)?;
        Ok(self
            .rows
            .iter()
            .map(|r| {
                r.get(index)
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .unwrap_or(0.0)
            })
            .collect())
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
        assert_eq!(table.find("b", "x").unwrap(), Some(1));
        let error = table.column("c").unwrap_err().to_string();
        assert!(error.contains("t.csv") && error.contains("`c`"), "{error}");
    }
}
