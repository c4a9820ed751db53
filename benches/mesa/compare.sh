#!/usr/bin/env bash
# carenet and the Mesa model of benches/mesa/model.py on the same synthetic area
# for the same 104 weeks; prints resident-weeks per second of each and the ratio.
#
#   bash benches/mesa/compare.sh            # 10,000 adults
#   ADULTS=2000 bash benches/mesa/compare.sh
#
# Needs a release build of carenet (CARENET=path to use another) and a Python
# with Mesa (PYTHON=path; see README.md in this folder).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
carenet=${CARENET:-${CARGO_TARGET_DIR:-$root/target}/release/carenet}
python=${PYTHON:-python3}
adults=${ADULTS:-10000}
weeks=104
neighbourhoods=$(( (adults + 575) / 1150 ))
if (( neighbourhoods < 1 )); then neighbourhoods=1; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$carenet" synth --adults "$adults" --neighbourhoods "$neighbourhoods" --out "$work/area.toml" > /dev/null

# carenet's own run: 52 weeks of burn-in and 52 reported, as the defaults have it.
for threads in 1 2; do
  "$carenet" run "$work/area.toml" --threads "$threads" --out "$work/carenet-$threads" --quiet > /dev/null
done

# The graph for Mesa, as it stands after the first week without burn-in (the
# exported graph is the one at the end of a run).
sed '/^seed = /a weeks = 1\nburn_in_weeks = 0' "$work/area.toml" > "$work/area-start.toml"
"$carenet" run "$work/area-start.toml" --export-graph --out "$work/start" --quiet > /dev/null

(cd "$here" && "$python" run.py "$work/start" --weeks "$weeks") > "$work/mesa.json"

"$python" - "$work" "$adults" "$weeks" <<'PY'
import json, sys
work, adults, weeks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mesa = json.load(open(f"{work}/mesa.json"))
print(f"area: {adults} adults, {mesa['persons']} persons, {mesa['ties']} ties; {weeks} weeks")
print(f"{'implementation':<24} {'simulate s':>10} {'resident-weeks/s':>17} {'carenet / other':>16}")
rates = {}
for threads in (1, 2):
    facts = json.load(open(f"{work}/carenet-{threads}/manifest.json"))["facts"]
    seconds = facts["simulate_seconds"]
    rates[threads] = adults * weeks / seconds
    print(f"{'carenet, ' + str(threads) + ' thread(s)':<24} {seconds:>10.2f} {rates[threads]:>17,.0f}")
m = mesa["resident_weeks_per_second"]
print(f"{'Mesa ' + mesa['mesa'] + ', Python ' + mesa['python']:<24} {mesa['simulate_seconds']:>10.2f} {m:>17,.0f}")
print(f"ratio: carenet 1 thread / Mesa = {rates[1] / m:,.0f}x; carenet 2 threads / Mesa = {rates[2] / m:,.0f}x")
m_cpu = adults * weeks / mesa["simulate_cpu_seconds"]
print(f"Mesa by CPU time ({mesa['simulate_cpu_seconds']:.1f} s): {m_cpu:,.0f} resident-weeks/s; carenet 1 thread / Mesa = {rates[1] / m_cpu:,.0f}x")
print("Mesa set-up (reading the GraphML and making the agents): %.1f s" % mesa["setup_seconds"])
print("Mesa's last 52 weeks:", json.dumps({k: round(v, 4) for k, v in mesa["last_52_weeks"].items()}))
for threads in (1,):
    import csv
    row = next(csv.DictReader(open(f"{work}/carenet-{threads}/summary.csv")))
    need = float(row["need_hours"])
    residents = int(row["residents"])
    print("carenet's reported year:", json.dumps({
        "need_hours_per_resident_week": round(need / residents / 52, 4),
        "household_share": round(float(row["household_hours"]) / need, 4),
        "informal_share": round(float(row["informal_hours"]) / need, 4),
        "formal_share": round(float(row["formal_hours"]) / need, 4),
        "unmet_share": round(float(row["unmet_share"]), 4),
        "burnouts_per_1000_a_year": round(float(row["burnouts"]) / residents * 1000, 1),
        "mean_strain": round(float(row["mean_strain"]), 4),
    }))
PY
