//! Writing what a run produced.
//!
//! A run writes into a staging folder next to its output folder and moves it into
//! place only when every file is complete ([`RunFolder`]), so an interrupted run
//! never leaves a truncated CSV that looks complete. `manifest.json` is the last file
//! written; a folder with a manifest is a finished run.

mod folder;
mod graph;
mod manifest;
mod network_summary;
mod outcomes;
mod page_folder;
mod report_files;
mod residents;
mod residents_yearly;
mod run_files;
mod yearly;

pub use folder::{
    OutputError, Replace, RunFolder, WriterLock, check_listed_files_unchanged,
    check_recorded_files, check_replaceable, is_dead_lock, lock_folder, process_runs,
    refuse_a_file_on_the_way, remove_dead_leftovers, remove_own_staging, write_atomically,
};
pub use graph::{GraphTable, help_network, social_graph, write_gexf, write_graph, write_graphml};
pub use manifest::{Manifest, OutputFile, is_finished_run, seeds_json, sha256_hex, timestamp_now};
pub use network_summary::{
    NetworkSummaryRow, network_summary, network_summary_csv, write_network_summary,
};
pub use outcomes::{
    Cell, Row, Table, aggregate_columns, aggregate_rows, float_cell, flow_rows, flow_rows_by_week,
    header_and_rows_csv, neighbourhood_rows, outcome_tables, summary_row, table_bytes, table_csv,
    timeseries_row, write_table,
};
pub use page_folder::{PAGE_MANIFEST, page_manifest};
pub use report_files::{
    CHART_RECORD, PAGE_RECORDS, REPORT_GENERATOR, is_carenet_report, is_report_output, record_lists,
};
pub use residents::{
    Given, Received, ResidentAccount, ResidentAccounts, header_columns as resident_columns,
};
pub use residents_yearly::{RESIDENTS_YEARLY_CSV, YearPanel, residents_yearly_columns};
pub use run_files::{
    Contents, table_files, write_run, write_run_with_files, write_run_with_overrides,
};
pub use yearly::{
    CALENDAR_YEAR, YEARLY_CSV, aggregate_by_year, calendar_year_cell, is_multi_year, year_shown,
    yearly_rows, yearly_template,
};
