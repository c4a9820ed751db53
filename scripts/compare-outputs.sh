#!/usr/bin/env bash
# Byte-for-byte comparison of carenet's outputs between two revisions.
#
#   scripts/compare-outputs.sh BASE [NEW]
#
# BASE and NEW are git revisions, or `worktree` for the checkout as it stands
# (uncommitted changes included). NEW defaults to `worktree`.
#
# For each revision the script builds the release binary, then runs every
# scenario in scenarios/ and a 100,000-adult `carenet synth` area with their
# fixed seeds, with --export-graph, on 1 and on 2 threads. It then checks that
#   - every output file (CSV, GraphML, GEXF, scenario.toml) of NEW equals BASE's,
#   - manifest.json is equal once its run-specific fields are dropped (commit,
#     command line, clock times and timings),
#   - within NEW, the 1-thread and 2-thread outputs are identical.
# Exit code 0 when everything is identical, 1 otherwise (the differing files
# are listed, with a diff of the small text files).
#
# A committed revision's outputs are recorded once in results/compare/<commit>/
# and reused; `worktree` outputs are always recomputed. Graph files are large
# (about 10 GB for scenarios/million.toml), so only their SHA-256 is kept.
#
# Environment: SYNTH_ADULTS (default 100000), SYNTH_NEIGHBOURHOODS (default 20),
# SKIP (a regular expression of scenario names to leave out, e.g. 'million', for
# a quick check between steps: scenarios/million.toml with its graph files takes
# about half an hour on two cores). Only the runs NEW has are compared, so a
# complete recording of BASE serves quick and full checks alike; the summary line
# says how many runs were compared.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

synth_adults="${SYNTH_ADULTS:-100000}"
synth_neighbourhoods="${SYNTH_NEIGHBOURHOODS:-20}"
skip="${SKIP:-}"
cache_root="$repo/results/compare"
thread_counts=(1 2)

die() { echo "compare-outputs: $*" >&2; exit 2; }

# The binary of a revision. `worktree` and a clean checkout of HEAD build in
# place; any other commit is checked out in a temporary worktree and built in
# target/compare (a target folder of its own, so the checkout's build stays warm).
binary_of() {
  local rev="$1"
  if [[ "$rev" == worktree ]]; then
    cargo build --release --quiet --bin carenet >&2
    echo "$repo/target/release/carenet"
    return
  fi
  local commit head
  commit="$(git rev-parse --verify "$rev^{commit}")" || die "unknown revision $rev"
  head="$(git rev-parse HEAD)"
  if [[ "$commit" == "$head" && -z "$(git status --porcelain --untracked-files=no)" ]]; then
    cargo build --release --quiet --bin carenet >&2
    echo "$repo/target/release/carenet"
    return
  fi
  local tree="${TMPDIR:-/tmp}/carenet-compare-$commit"
  [[ -d "$tree" ]] || git worktree add --detach --quiet "$tree" "$commit" >&2
  CARGO_TARGET_DIR="$repo/target/compare" cargo build --release --quiet --bin carenet \
    --manifest-path "$tree/Cargo.toml" >&2
  echo "$repo/target/compare/release/carenet"
}

# Keeps a run folder's comparable content: small files as they are, graph files
# as their SHA-256, and manifest.json without the fields that differ per run.
normalise_run() {
  local run="$1"
  local f
  for f in "$run"/*.graphml "$run"/*.gexf; do
    [[ -e "$f" ]] || continue
    sha256sum "$f" | cut -d' ' -f1 >"$f.sha256"
    rm "$f"
  done
  jq 'del(.git_commit, .command, .started, .finished, .seconds,
          .facts.build_seconds, .facts.simulate_seconds,
          .facts.resident_weeks_per_second)' "$run/manifest.json" >"$run/manifest.normalised.json"
  rm "$run/manifest.json"
}

# Runs every scenario on each thread count into the folder $2.
record() {
  local bin="$1" out="$2"
  local scenarios=()
  local s
  for s in scenarios/*.toml; do scenarios+=("$s"); done
  # The synthetic area is run from one fixed path, so that the manifest's
  # scenario_source is the same for both revisions.
  local synth="results/compare/synth-100k.toml"
  # stdout carries outputs_of's answer (the folder), so the synth's message goes
  # to stderr.
  "$bin" synth --adults "$synth_adults" --neighbourhoods "$synth_neighbourhoods" --seed 1 \
    --out "$synth" >&2
  cp "$synth" "$out/synth-100k.input.toml"
  scenarios+=("$synth")
  for s in "${scenarios[@]}"; do
    local name
    name="$(basename "$s" .toml)"
    if [[ -n "$skip" && "$name" =~ $skip ]]; then continue; fi
    local t
    for t in "${thread_counts[@]}"; do
      local run="$out/$name/threads-$t"
      local started=$SECONDS
      "$bin" run -q --export-graph --threads "$t" --out "$run" "$s" >/dev/null
      normalise_run "$run"
      echo "  $name on $t thread(s): $((SECONDS - started)) s" >&2
    done
  done
}

# The outputs of a revision: from the cache for a commit, fresh for the worktree.
outputs_of() {
  local rev="$1"
  local key out
  if [[ "$rev" == worktree ]]; then
    key="worktree"
  else
    key="$(git rev-parse --verify "$rev^{commit}")"
  fi
  out="$cache_root/$key"
  if [[ "$key" != worktree && -f "$out/COMPLETE" ]]; then
    echo "$out"
    return
  fi
  local bin
  bin="$(binary_of "$rev")"
  echo "recording $rev into $out" >&2
  rm -rf "$out"
  mkdir -p "$out"
  record "$bin" "$out"
  # Only a recording of every scenario serves later comparisons.
  if [[ -z "$skip" ]]; then touch "$out/COMPLETE"; fi
  echo "$out"
}

# Lists the files that differ between the runs of NEW and the same runs of BASE.
differences() {
  local base_out="$1" new_out="$2"
  local run
  for run in "$new_out"/*/; do
    run="$(basename "$run")"
    if [[ ! -d "$base_out/$run" ]]; then
      echo "only in $new: $run"
      continue
    fi
    diff -rq "$base_out/$run" "$new_out/$run" || true
  done
}

base="${1:-}"
new="${2:-worktree}"
[[ -n "$base" ]] || die "usage: scripts/compare-outputs.sh BASE [NEW]"
command -v jq >/dev/null || die "needs jq"

base_out="$(outputs_of "$base")"
new_out="$(outputs_of "$new")"

status=0
report="$(differences "$base_out" "$new_out")"
if [[ -n "$report" ]]; then
  status=1
  echo "DIFFERENT: $base against $new"
  echo "$report"
  for run in "$new_out"/*/; do
    run="$(basename "$run")"
    [[ -d "$base_out/$run" ]] && diff -r --exclude='*.sha256' "$base_out/$run" "$new_out/$run" | head -20
  done
fi
for run in "$new_out"/*/; do
  [[ -d "$run/threads-1" ]] || continue
  threads_report="$(diff -rq "$run/threads-1" "$run/threads-2" \
    | grep -v manifest.normalised.json || true)"
  if [[ -n "$threads_report" ]]; then
    status=1
    echo "DIFFERENT on 1 and 2 threads in $new: $threads_report"
  fi
done
count="$(find "$new_out" -mindepth 3 -type f | wc -l)"
runs="$(find "$new_out" -mindepth 2 -maxdepth 2 -type d | wc -l)"
if [[ $status -eq 0 ]]; then
  echo "IDENTICAL: $runs runs ($(ls "$new_out" | grep -v -e COMPLETE -e '\.toml$' | tr '\n' ' ')), $count files of $new equal those of $base, and 1 thread = 2 threads"
fi
exit $status
