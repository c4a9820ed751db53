#!/usr/bin/env bash
# Builds the carenet wheel: the extension (carenet._carenet) and, as the wheel's
# script, the compiled `carenet` command. Run from anywhere; needs Rust and maturin
# (pip install maturin). Output: target/wheels/carenet-*.whl.
set -euo pipefail
cd "$(dirname "$0")/.."
# CARENET_BIN: an already built release binary of this tree (CI reuses the one
# `cargo test --release` built, which has the same code but dev-dependency features).
# Without it, scripts/carenet-bin.sh builds one and finds it in cargo's target
# folder, wherever CARGO_TARGET_DIR or .cargo/config puts it (QA 28: a fixed
# target/release/carenet failed there, or packed an older binary left in it).
CARENET_BIN="$(bash scripts/carenet-bin.sh)"
mkdir -p target/wheel-data/scripts
cp "$CARENET_BIN" target/wheel-data/scripts/carenet
maturin build --release --manifest-path python/Cargo.toml --out target/wheels "$@"
