#!/usr/bin/env bash
# Real-Slurm integration test of scripts/slurm/sweep.sbatch (run by .ci/run).
#
# Installs Debian's slurm-wlm and munge if they are missing (root + apt-get
# only; otherwise prints "SKIPPED: ..." and exits 0), starts a one-node cluster
# by hand in a temporary folder (munged, slurmctld, slurmd; no systemd, no
# cgroups), submits a small experiment as a 3-task job array with
# `sbatch --wait`, merges the shards with `carenet merge`, runs the same
# experiment on one machine with `carenet sweep`, and compares the two runs.csv
# byte for byte. Exits non-zero on any failure once Slurm is installed. The
# daemons it started are stopped by PID and the folder removed, also on failure.
#
#   bash tests/slurm.sh            # about a minute, plus the install the first time
#
# Slurm is configured only for this test: its own slurm.conf (SLURM_CONF), its
# own munge socket, ports picked at random, loopback addresses only.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$PATH:/usr/sbin:/sbin"
t0=$SECONDS
phase() { echo "-- [$((SECONDS - t0))s] $*"; }
skip() {
    echo "SKIPPED: Slurm not installable here: $*"
    exit 0
}
fail() {
    echo "FAILED: $*" >&2
    exit 1
}

tmp=""
made_policy=""
pids=() # daemons this test started, in start order
cleanup() {
    local rc=$?
    set +e
    if [[ -n ${SLURM_CONF:-} && ${#pids[@]} -gt 1 ]]; then
        # No job step may outlive slurmd: cancel what is left, wait a little.
        scancel --quiet --user=root 2>/dev/null
        for _ in $(seq 20); do
            [[ -z $(squeue -h -o %i 2>/dev/null) ]] && break
            sleep 0.5
        done
    fi
    local i pid
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid=${pids[i]}
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
    [[ -n $tmp ]] && rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_logs() {
    for f in "$tmp"/log/* "$tmp"/munge/*.log "$tmp"/work/*.out; do
        [[ -f $f ]] || continue
        echo "---- $f (last 40 lines)"
        tail -n 40 "$f"
    done
}

tmp=$(mktemp -d /tmp/carenet-slurm.XXXXXX)
chmod 755 "$tmp" # munged runs as the munge user and must reach its folder
mkdir -p "$tmp"/{log,state,spool,work}

# ---- 1. Slurm and munge --------------------------------------------------
commands=(sbatch sinfo squeue scancel slurmctld slurmd munged munge unmunge)
missing() {
    local c
    for c in "${commands[@]}"; do command -v "$c" >/dev/null || echo "$c"; done
}
[[ $(id -u) -eq 0 ]] || skip "not root (needed to install and to run slurmd)"
if [[ -n $(missing) ]]; then
    command -v apt-get >/dev/null || skip "no apt-get, and $(missing | tr '\n' ' ')missing"
    phase "installing slurm-wlm and munge (Debian packages)"
    # The packages' maintainer scripts must not start services of their own.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    install=(apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 slurm-wlm munge)
    if ! "${install[@]}" >"$tmp/log/apt.log" 2>&1; then
        phase "first install failed; apt-get update and again"
        apt-get update -qq >>"$tmp/log/apt.log" 2>&1 || true
        if ! "${install[@]}" >>"$tmp/log/apt.log" 2>&1; then
            tail -n 20 "$tmp/log/apt.log"
            skip "apt-get install slurm-wlm munge failed (its log above)"
        fi
    fi
    [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d && made_policy=""
    [[ -z $(missing) ]] || skip "installed, but still missing: $(missing | tr '\n' ' ')"
fi

# ---- 2. munged -----------------------------------------------------------
key=/etc/munge/munge.key
if [[ ! -s $key ]]; then
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then
        mungekey --create --keyfile="$key"
    else
        dd if=/dev/urandom bs=1 count=1024 of="$key" status=none
    fi
fi
socket=$tmp/munge/munge.socket
mkdir -p "$tmp/munge"
munge_opts=(--foreground --socket="$socket" --key-file="$key" --log-file="$tmp/munge/munged.log"
    --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed")
munge_ok() { munge -S "$socket" -n 2>/dev/null | unmunge -S "$socket" >/dev/null 2>&1; }
wait_munge() {
    for _ in $(seq 50); do
        munge_ok && return 0
        kill -0 "${pids[-1]}" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
as_munge=""
if id munge >/dev/null 2>&1 && command -v setpriv >/dev/null; then
    chown munge:munge "$key" "$tmp/munge"
    chmod 0400 "$key"
    chmod 0755 "$tmp/munge" # clients need to reach the socket
    setpriv --reuid=munge --regid=munge --init-groups -- munged "${munge_opts[@]}" \
        >>"$tmp/log/munged.out" 2>&1 &
    pids+=($!)
    as_munge=1
fi
if [[ -z $as_munge ]] || ! wait_munge; then
    # No munge user, or munged would not run as it: root with --force.
    if [[ -n $as_munge ]]; then
        echo "munged would not run as the munge user; trying root with --force"
        kill "${pids[-1]}" 2>/dev/null || true
    fi
    chown root:root "$tmp/munge"
    install -m 0400 -o root -g root "$key" "$tmp/munge/munge.key" # /etc's stays as it is
    munge_opts+=(--key-file="$tmp/munge/munge.key")
    munged --force "${munge_opts[@]}" >>"$tmp/log/munged.out" 2>&1 &
    pids+=($!)
    wait_munge || {
        show_logs
        fail "munged did not start (logs above)"
    }
fi
phase "munged running (pid ${pids[-1]}, socket $socket)"

# ---- 3. a one-node cluster ---------------------------------------------
node=$(hostname -s)
cpus=$(nproc)
memory=$(free -m | awk '/^Mem:/ {print $2}')
memory=$((memory > 2048 ? memory - 1024 : memory / 2)) # slurmd drains a node that has less than it claims
port_free() { ! (ss -Htln 2>/dev/null || true) | awk '{print $4}' | grep -q ":$1\$"; }
for _ in $(seq 20); do
    ctld_port=$((20000 + RANDOM % 20000))
    port_free "$ctld_port" && port_free $((ctld_port + 1)) && break
done
cat >"$tmp/slurm.conf" <<EOF
ClusterName=carenet-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf
phase "$(sinfo --version), $(munged --version 2>&1 | awk '{print $1}' | head -n 1)"
slurmctld -D -c -f "$SLURM_CONF" >>"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >>"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
phase "slurmctld (pid ${pids[-2]}) and slurmd (pid ${pids[-1]}) started, port $ctld_port; waiting for $node to be idle"
state=""
for i in $(seq 120); do
    state=$(sinfo -h -N -n "$node" -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    for pid in "${pids[@]:(-2)}"; do
        kill -0 "$pid" 2>/dev/null || {
            show_logs
            fail "a Slurm daemon (pid $pid) exited while starting (logs above)"
        }
    done
    if ((i == 120)); then
        sinfo -R 2>/dev/null || true
        show_logs
        fail "node $node not idle after 60 s (state: '${state:-no answer}'; logs above)"
    fi
    sleep 0.5
done
phase "cluster up: $(sinfo -h -o '%P %a %D %T %c CPUs')"

# ---- 4. carenet ---------------------------------------------------------
phase "the carenet binary"
carenet=$(bash "$repo/scripts/carenet-bin.sh")
[[ -x $carenet ]] || fail "no binary at $carenet"

# A small experiment (like tests/it/cli.rs's): 2 points x 3 replicates = 6 runs,
# 3 array tasks of 2 runs each, on 2 cores so that one task waits its turn.
cd "$tmp/work"
cat >small.toml <<'EOF'
name = "small"
seed = 5
[[neighbourhood]]
name = "A"
adults = 600
[[neighbourhood]]
name = "B"
adults = 400
centre_km = [1.2, 0.0]
cohesion = 0.8
EOF
cat >experiment.toml <<'EOF'
name = "slurm-test"
scenario = "small.toml"
replicates = 3
design = "grid"
[[parameter]]
path = "neighbourhood[*].cohesion"
values = [0.2, 0.8]
EOF

phase "sbatch --wait --array=0-2 scripts/slurm/sweep.sbatch experiment.toml results"
submitted=0
CARENET=$carenet timeout 240 sbatch --wait --array=0-2 --cpus-per-task=1 --mem=500M --time=10 \
    "$repo/scripts/slurm/sweep.sbatch" experiment.toml results || submitted=$?
for f in carenet-sweep-*.out; do
    [[ -f $f ]] && { echo "---- $f"; cat "$f"; }
done
if ((submitted != 0)); then
    squeue 2>/dev/null || true
    show_logs
    ((submitted == 124)) && fail "the job array did not finish within 240 s"
    fail "sbatch --wait exited $submitted: a task failed (logs above)"
fi
shards=(results/shard-*)
[[ ${#shards[@]} -eq 3 ]] || fail "expected 3 shard folders, found: ${shards[*]}"
for i in 0 1 2; do
    dir=results/shard-$i-of-3
    [[ -f $dir/runs.csv ]] || fail "$dir/runs.csv missing"
    rows=$(($(wc -l <"$dir/runs.csv") - 1))
    ((rows == 2)) || fail "$dir/runs.csv has $rows runs, not 2"
    # carenet took the shard from the array variables (the script passes no --shard).
    grep -q "\"shard\": \"$i/3\"" "$dir/experiment.json" || fail "$dir/experiment.json does not say shard $i/3"
    grep -q -- '--shard' "$dir/experiment.json" && fail "$dir was run with --shard, not from the array variables"
    grep -q '"threads": 1,' "$dir/experiment.json" || fail "$dir did not run on --threads \$SLURM_CPUS_PER_TASK = 1"
done

phase "carenet merge results/shard-* --out results"
"$carenet" merge results/shard-* --out results
phase "carenet sweep experiment.toml --out whole (one machine)"
"$carenet" sweep experiment.toml --out whole --quiet
rows=$(($(wc -l <whole/runs.csv) - 1))
((rows == 6)) || fail "whole/runs.csv has $rows runs, not 6"
if ! cmp results/runs.csv whole/runs.csv; then
    diff results/runs.csv whole/runs.csv | head -n 20 || true
    fail "the merged Slurm shards differ from the single-machine sweep"
fi
phase "merged runs.csv from 3 Slurm array tasks == single-machine runs.csv (6 runs, byte for byte)"
echo "slurm: 1 passed, 0 failed ($((SECONDS - t0)) s)"
