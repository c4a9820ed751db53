#!/usr/bin/env bash
# CI of the Python package: builds the wheel, installs it into a fresh virtual
# environment under target/ (with the pinned EMA Workbench and SALib), and runs the
# Python tests (the package, the EMA Workbench example, SALib) against the wheel's own
# `carenet` command. Called by .ci/run after
# `cargo test --release`, whose target/release/carenet it reuses (CARENET_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
# CARENET_CI_VENV: a venv with requirements-ci.txt installed (.ci/provision
# makes it while cargo compiles); without it, a fresh one under target/.
venv="${CARENET_CI_VENV:-}"
if [[ -z $venv ]]; then
    venv=target/python-ci
    rm -rf "$venv"
fi
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
# A few seconds when .ci/provision already installed them.
"$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements-ci.txt
venv="$(cd "$venv" && pwd)"
export PATH="$venv/bin:$PATH"
rm -f target/wheels/carenet-*.whl
bash python/build-wheel.sh --quiet
pip install --quiet --no-deps --force-reinstall target/wheels/carenet-*.whl
python python/tests/test_package.py
python python/tests/test_ema.py
python python/tests/test_salib.py
