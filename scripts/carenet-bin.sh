#!/usr/bin/env bash
# Prints the absolute path of this tree's release `carenet` binary, for the test
# and export scripts: $CARENET_BIN when it is set (CI hands over the binary
# `cargo test --release` built, since `cargo build --release` would compile the
# crate again with other dependency features), else the binary that
# `cargo build --release --bin carenet` makes in cargo's target folder.
# Everything but the path goes to standard error.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n ${CARENET_BIN:-} ]]; then
    bin=$CARENET_BIN
else
    echo "== cargo build --release --bin carenet" >&2
    cargo build --release --bin carenet >&2
    target=$(cargo metadata --format-version 1 --no-deps |
        grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
    bin=$target/release/carenet
fi
[[ -x $bin ]] || { echo "no carenet binary at $bin" >&2; exit 1; }
echo "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
