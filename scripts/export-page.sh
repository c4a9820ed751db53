#!/usr/bin/env bash
# The teaching page as a static folder that runs in the browser alone:
#   bash scripts/export-page.sh [DIR] [--force]      (default DIR: results/page)
# Builds the model for WebAssembly (installing the Rust target if missing) and
# the carenet binary, then runs `carenet export-page DIR`. Open DIR/index.html
# in a browser, copy DIR to a USB stick, or put it on any static web host.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-results/page}"
shift || true

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo "== rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi
echo "== the model for WebAssembly (cargo profile wasm)"
cargo rustc --profile wasm --lib --crate-type cdylib --target wasm32-unknown-unknown --no-default-features
target="${CARGO_TARGET_DIR:-target}"
bin="$(bash scripts/carenet-bin.sh)"
"$bin" export-page "$dir" --wasm "$target/wasm32-unknown-unknown/wasm/carenet.wasm" "$@"
