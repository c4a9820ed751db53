#!/usr/bin/env bash
# End-to-end test of `carenet serve` in headless Chromium, as a person uses it
# (tests/e2e/serve.test.mjs): installs Debian's chromium if missing and the
# pinned playwright-core (npm ci), starts the server on a free port with a
# temporary results folder, runs the browser test, saves
# results/screenshots/serve.png, serve-years.png and report.png, and stops the server with Ctrl-C
# (SIGINT), checking that it stops cleanly. Then the exported page
# (scripts/export-page.sh, the model in WebAssembly): every built-in setting in
# WebAssembly against native runs (tests/e2e/wasm.test.mjs), and the page opened
# from its folder as file:// (tests/e2e/static.test.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# npm ci again only if the lock file is newer than the last install (.ci/provision
# ran it while cargo compiled).
if [ ! tests/e2e/node_modules/.package-lock.json -nt tests/e2e/package-lock.json ]; then
    echo "== npm ci (playwright-core, pinned in tests/e2e/package-lock.json)"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

bin="$(bash scripts/carenet-bin.sh)"
export CARENET_BIN="$bin" # scripts/export-page.sh below uses the same binary

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the system picks a free port; the server prints its address.
"$bin" serve --port 0 --results "$work/results" >"$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 100); do
    url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" || true)"
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "carenet serve did not print its address:"
    cat "$work/serve.log"
    exit 1
fi
echo "== carenet serve at $url"

status=0
CARENET_URL="$url" CARENET_RESULTS="$work/results" CARENET_BIN="$bin" \
    SCREENSHOTS="$PWD/results/screenshots" node tests/e2e/serve.test.mjs || status=$?
if [ "$status" != 0 ]; then
    echo "== the server's log"
    cat "$work/serve.log"
fi

echo "== Ctrl-C stops the server"
kill -INT "$server"
stopped=0
for _ in $(seq 1 100); do
    if ! kill -0 "$server" 2>/dev/null; then
        stopped=1
        break
    fi
    sleep 0.1
done
wait "$server" || { echo "carenet serve exited with an error:"; cat "$work/serve.log"; status=1; }
if [ "$stopped" != 1 ] || ! grep -q "carenet serve: stopped" "$work/serve.log"; then
    echo "carenet serve did not stop on Ctrl-C:"
    cat "$work/serve.log"
    status=1
fi
server=""
if ls -a "$work/results/serve" | grep -q partial; then
    echo "a half-written run folder was left behind"
    status=1
fi

echo "== the exported page: the model for WebAssembly and carenet export-page"
bash scripts/export-page.sh "$work/page"
for setting in baseline linders-drents-dorp jager-cohesion-gradient bredewold-network-first \
    welschen-low-trust welschen-low-trust-guides delange-mutual-aid ageing-town-2025-2040; do
    "$bin" run "scenarios/$setting.toml" --out "$work/native/$setting" --quiet >/dev/null
done
echo "== the settings in WebAssembly against native runs"
CARENET_PAGE="$work/page" CARENET_NATIVE="$work/native" node tests/e2e/wasm.test.mjs || status=1
echo "== the exported page from a folder (file://) in headless Chromium"
CARENET_PAGE="$work/page" CARENET_NATIVE="$work/native/baseline" \
    CARENET_NATIVE_YEARS="$work/native/ageing-town-2025-2040" node tests/e2e/static.test.mjs || status=1
exit "$status"
