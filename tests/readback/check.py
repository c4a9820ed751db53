"""Reads carenet's analyst outputs back as an analyst would (tests/readback.sh).

comparison.xlsx with openpyxl (cell types) and pandas (against the CSV files),
and so summary.xlsx (run, run --replicates) and runs.xlsx (sweep, merge),
weeks.csv of a comparison and of a sweep with pandas, and network.gexf with
networkx (every node has a viz position, equal to its x_km, y_km in metres).
Usage: python check.py WORKDIR  (the folder readback.sh ran carenet in)
"""

import math
import sys
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd

work = Path(sys.argv[1])
checked = []


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAILED: {message}")
    checked.append(message)


# comparison.xlsx: one sheet per table, numbers as numbers.
cmp = work / "cmp"
book = openpyxl.load_workbook(cmp / "comparison.xlsx")
check(
    book.sheetnames == ["comparison", "cost_effectiveness", "runs", "weeks"],
    f"sheets {book.sheetnames}",
)
sheet = book["comparison"]
header = [c.value for c in sheet[1]]
mean_col = header.index("mean")
numbers = [row[mean_col] for row in sheet.iter_rows(min_row=2, values_only=True)]
check(all(v is None or isinstance(v, (int, float)) for v in numbers), "means are numeric cells")
check(any(isinstance(v, float) and v != int(v) for v in numbers if v is not None), "fractional means")
types = {sheet.cell(row=r, column=mean_col + 1).data_type for r in range(2, sheet.max_row + 1)}
check(types <= {"n"}, f"mean cells are of type n (number), not s (string): {types}")
clear = header.index("clear_difference")
check(
    all(isinstance(row[clear], bool) for row in sheet.iter_rows(min_row=2, values_only=True)),
    "clear_difference cells are booleans",
)
seed_col = [c.value for c in book["runs"][1]].index("seed")
seeds = [row[seed_col] for row in book["runs"].iter_rows(min_row=2, values_only=True)]
check(all(isinstance(s, str) and s.isdigit() for s in seeds), "seeds are text, every digit kept")

def sheets_equal_csv(folder, workbook, sheets, all_sheets=None):
    """Each sheet of the workbook, read by pandas, is its CSV file: the same
    columns and rows, numbers numeric and equal, the rest the same text.
    all_sheets: the workbook's sheets, if more than those compared."""
    names = all_sheets or [s for s, _ in sheets]
    check(
        openpyxl.load_workbook(folder / workbook).sheetnames == names,
        f"{workbook}: sheets {names}",
    )
    for sheet_name, csv_name in sheets:
        from_excel = pd.read_excel(folder / workbook, sheet_name=sheet_name, dtype={"seed": str})
        from_csv = pd.read_csv(folder / csv_name, dtype={"seed": str})
        check(list(from_excel.columns) == list(from_csv.columns), f"{sheet_name}: the columns of {csv_name}")
        check(len(from_excel) == len(from_csv), f"{sheet_name}: the rows of {csv_name}")
        for column in from_csv.columns:
            a, b = from_excel[column], from_csv[column]
            if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
                check(pd.api.types.is_numeric_dtype(a), f"{sheet_name}.{column} is numeric in Excel too")
                same = ((a - b).abs() <= 1e-12 * b.abs().clip(lower=1)) | (a.isna() & b.isna())
                check(bool(same.all()), f"{sheet_name}.{column} equals {csv_name}")
            else:
                check(list(a.astype(str)) == list(b.astype(str)), f"{sheet_name}.{column} equals {csv_name}")


sheets_equal_csv(
    cmp,
    "comparison.xlsx",
    [
        ("comparison", "comparison.csv"),
        ("cost_effectiveness", "cost_effectiveness.csv"),
        ("runs", "runs.csv"),
        ("weeks", "weeks.csv"),
    ],
)
# The workbooks of replicates and of a sweep (QA 27), from the same writer.
sheets_equal_csv(
    work / "reps",
    "summary.xlsx",
    [("summary_aggregate", "summary_aggregate.csv"), ("summary", "summary.csv")],
)
sheets_equal_csv(work / "sweep", "runs.xlsx", [("runs", "runs.csv"), ("design", "design.csv")])
# A merge's runs.xlsx (QA 28): its runs.csv, which is the sweep's, and since
# QA 29 the sweep's design as a sheet of its own, as the sweep's workbook has.
sheets_equal_csv(
    work / "merged", "runs.xlsx", [("runs", "runs.csv"), ("design", "../sweep/design.csv")]
)
check((work / "merged" / "runs.csv").read_bytes() == (work / "sweep" / "runs.csv").read_bytes(), "merged runs.csv is the sweep's")
# A single run's summary.xlsx (QA 28): its tables as they are, and summary
# long, a row per column of summary.csv.
check(len(pd.read_csv(work / "long" / "flows.csv")) > 10_000, "long: a flows sheet of more than 10,000 rows")
for folder, yearly in [("run", []), ("years", ["yearly"]), ("long", ["yearly"])]:
    tables = ["timeseries", "neighbourhoods", "network_summary"] + yearly + ["flows"]
    sheets_equal_csv(
        work / folder,
        "summary.xlsx",
        [(t, f"{t}.csv") for t in tables],
        all_sheets=["summary"] + tables,
    )
    long = pd.read_excel(work / folder / "summary.xlsx", sheet_name="summary", dtype={"seed": str})
    wide = pd.read_csv(work / folder / "summary.csv", dtype={"seed": str})
    check(list(long.columns) == ["scenario", "seed", "metric", "value"], f"{folder}: summary sheet columns")
    check(list(long["metric"]) == list(wide.columns[2:]), f"{folder}: a summary row per metric, in order")
    check(set(long["seed"]) == {wide["seed"][0]} and set(long["scenario"]) == {wide["scenario"][0]}, f"{folder}: scenario and seed")
    check(pd.api.types.is_numeric_dtype(long["value"]), f"{folder}: summary values are numbers")
    # Shares, means and hours are floating point in every run, also where a
    # run's value is whole (an empty waiting list's mean of 0.0): pandas reads
    # only the counts as integers.
    counts = {"weeks", "residents", "burnouts", "intakes", "left_waiting_list", "exchange_matches", "new_peer_ties"}
    integers = {c for c in wide.columns if pd.api.types.is_integer_dtype(wide[c])}
    check(integers <= counts, f"{folder}: only counts read as integers, not {sorted(integers - counts)}")
    network = pd.read_csv(work / folder / "network_summary.csv")
    integers = {c for c in network.columns if pd.api.types.is_integer_dtype(network[c])}
    check(integers <= {"residents"}, f"{folder}: network_summary.csv's means are floats, not {sorted(integers)}")
    for metric, value in zip(long["metric"], long["value"]):
        expected = wide[metric][0]
        same = (pd.isna(value) and pd.isna(expected)) or math.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-12)
        check(same, f"{folder}: summary {metric} equals summary.csv")

# weeks.csv of the comparison: one row per variant, replicate and week.
weeks = pd.read_csv(cmp / "weeks.csv")
check(list(weeks.columns[:5]) == ["run", "variant", "replicate", "seed", "week"], "comparison weeks.csv columns")
check(len(weeks) == 2 * 2 * 4, f"2 variants x 2 replicates x 4 weeks: {len(weeks)}")
runs = pd.read_csv(cmp / "runs.csv")
totals = weeks.groupby(["variant", "replicate"])["unmet_hours"].sum().round(2)
for _, run in runs.iterrows():
    total = totals[(run["variant"], run["replicate"])]
    check(math.isclose(total, run["unmet_hours"], abs_tol=0.005), "weekly unmet hours add up to the run's")

# weeks.csv of the sweep: plain parameter names, one row per run and week.
sweep = pd.read_csv(work / "sweep" / "weeks.csv")
check(
    list(sweep.columns[:6]) == ["run", "point", "replicate", "seed", "neighbourhood_all_cohesion", "week"],
    f"sweep weeks.csv columns {list(sweep.columns[:6])}",
)
check(len(sweep) == 2 * 2 * 4, "2 points x 2 replicates x 4 weeks")
check(sorted(sweep["neighbourhood_all_cohesion"].unique()) == [0.2, 0.8], "the varied values")

# network.gexf: Gephi's positions.
graph = nx.read_gexf(work / "run" / "network.gexf")
check(graph.number_of_nodes() > 0, "the graph has nodes")
for node, data in graph.nodes(data=True):
    position = data["viz"]["position"]
    check(abs(position["x"] - data["x_km"] * 1000) <= 0.5, f"{node}: x in metres")
    check(abs(position["y"] - data["y_km"] * 1000) <= 0.5, f"{node}: y in metres")

# yearly.csv of a run of two years and six weeks: the columns of docs/ODD.md
# §9.13, in its order, and the file's identities.
odd = (Path(__file__).resolve().parents[2] / "docs" / "ODD.md").read_text(encoding="utf-8")
section = odd.split("### 9.13 `yearly.csv`", 1)[1].split("\n### ", 1)[0].split("\n---", 1)[0]
documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
yearly = pd.read_csv(work / "years" / "yearly.csv")
check(list(yearly.columns) == documented, f"yearly.csv columns as ODD §9.13: {list(yearly.columns)}")
check(list(yearly["year"]) == [1, 2, 3] and list(yearly["weeks"]) == [52, 52, 6], "three years, the last short")
check(list(yearly["calendar_year"]) == [2025, 2026, 2027], "the calendar years from start_year = 2025")
unlabelled = pd.read_csv(work / "long" / "yearly.csv")
check(unlabelled["calendar_year"].isna().all(), "no start_year: calendar_year is NA")
check(all(pd.api.types.is_numeric_dtype(yearly[c]) for c in yearly.columns), "every column is numeric")
parts = yearly[["household_hours", "informal_hours", "formal_hours", "unmet_hours"]].sum(axis=1)
check(((yearly["need_hours"] - parts).abs() < 0.005).all(), "need = household + informal + formal + unmet each year")
bands = yearly[["adults_18_34", "adults_35_54", "adults_55_74", "adults_75_plus"]].sum(axis=1)
check((bands == yearly["adults"]).all(), "the age bands add up to the adults")
change = yearly["adults"].diff().iloc[1:]
flows = (yearly["arrivals"] - yearly["departures"] - yearly["deaths"] + yearly["comings_of_age"]).iloc[1:]
check((change == flows).all(), "adults change by arrivals - departures - deaths + comings of age")
run_summary = pd.read_csv(work / "years" / "summary.csv")
check(math.isclose(yearly["unmet_hours"].sum(), run_summary["unmet_hours"][0], abs_tol=0.01), "the years add up to summary.csv")

print(f"readback (Python): {len(checked)} passed, 0 failed")
