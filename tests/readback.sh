#!/usr/bin/env bash
# Reads carenet's analyst outputs back with the tools analysts use (issue 16,
# item 6 and GEXF positions): comparison.xlsx, summary.xlsx (run, replicates) and runs.xlsx (sweep, merge) with openpyxl and pandas,
# weeks.csv and yearly.csv with pandas and R's readr, network.gexf with networkx. The Python
# packages go into a virtual environment under target/ (made once, reused);
# R's readr comes from Debian (r-cran-readr, installed by .ci/run).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# CARENET_CI_VENV: the venv .ci/provision made (it has these packages too).
VENV="${CARENET_CI_VENV:-$ROOT/target/readback-venv}"
if ! "$VENV/bin/python" -c "import openpyxl, pandas, networkx" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet -r "$ROOT/tests/readback/requirements.txt"
fi
CARENET="$(bash "$ROOT/scripts/carenet-bin.sh")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
cat > small.toml <<'TOML'
name = "small"
seed = 5
weeks = 4
burn_in_weeks = 2
[[neighbourhood]]
name = "A"
adults = 300
[[neighbourhood]]
name = "B"
adults = 200
centre_km = [1.2, 0.0]
cohesion = 0.8
TOML
sed 's/name = "small"/name = "bound"/' small.toml > bound.toml
printf '[[intervention]]\nkind = "help_radius"\nradius = "neighbourhood"\n' >> bound.toml
cat > experiment.toml <<'TOML'
name = "exp"
scenario = "small.toml"
replicates = 2
design = "grid"
[[parameter]]
path = "neighbourhood[*].cohesion"
values = [0.2, 0.8]
TOML
"$CARENET" compare small.toml bound.toml --replicates 2 --out cmp --quiet > /dev/null
"$CARENET" sweep experiment.toml --out sweep --quiet > /dev/null
# Two shards merged: runs.xlsx of a merge (QA 28).
"$CARENET" sweep experiment.toml --shard 0/2 --out shard0 --quiet > /dev/null
"$CARENET" sweep experiment.toml --shard 1/2 --out shard1 --quiet > /dev/null
"$CARENET" merge shard0 shard1 --out merged > /dev/null
"$CARENET" run small.toml --export-graph --out run --quiet > /dev/null
"$CARENET" run small.toml --replicates 2 --out reps --quiet > /dev/null
# Two years and six weeks: yearly.csv (docs/ODD.md §9.13), labelled from 2025.
"$CARENET" run small.toml --set weeks=110 --set start_year=2025 --out years --quiet > /dev/null
# Three years of the baseline: flows.csv has more than 10,000 rows, which
# summary.xlsx writes on a low-memory sheet (session 35).
"$CARENET" run baseline --set weeks=156 --out long --quiet > /dev/null
"$VENV/bin/python" "$ROOT/tests/readback/check.py" "$WORK"
if Rscript -e 'library(readr)' > /dev/null 2>&1; then
    Rscript "$ROOT/tests/readback/check.R" "$WORK"
elif [ "${CI:-}" = "true" ]; then
    echo "R's readr is missing (apt-get install r-cran-readr)" >&2
    exit 1
else
    echo "R's readr is not installed here: its check was not run (CI installs r-cran-readr)"
fi
