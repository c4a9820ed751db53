"""The EMA Workbench example's experiment against the `carenet` command.

Runs python/examples/ema_policies.py's experiment (8 scenarios x 2 policies x 2
replications on a 1,000-adult area) and checks every outcome of every experiment
and replication against summary.csv of `carenet run` on the same values and seed.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

import carenet

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
import ema_policies  # noqa: E402


def main():
    model, experiments, outcomes = ema_policies.explore(scenarios=8, policies=2, replications=2)
    assert len(experiments) == 16, len(experiments)
    paths = [p.name for p in list(model.uncertainties) + list(model.levers)]
    seeds = [rep["seed"] for rep in model.replications]
    assert seeds == [carenet.replicate_seed(20261123, r) for r in (1, 2)]
    command = shutil.which("carenet")
    checked = 0
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for i, row in experiments.iterrows():
            values = {**ema_policies.SMALL_AREA, **{p: float(row[p]) for p in paths}}
            for r, seed in enumerate(seeds):
                scenario = folder / f"e{i}-r{r}.toml"
                scenario.write_text(carenet.resolved_scenario("baseline", set=values, seed=seed))
                out = folder / f"e{i}-r{r}"
                done = subprocess.run([command, "run", str(scenario), "--out", str(out), "-q"],
                                      capture_output=True, text=True)
                assert done.returncode == 0, done.stderr
                summary = pd.read_csv(out / "summary.csv").iloc[0]
                assert summary["seed"] == seed
                for name, table in outcomes.items():
                    assert table[i][r] == float(summary[name]), (i, r, name, table[i][r],
                                                                summary[name])
                    checked += 1
    print(f"ok: {checked} EMA outcomes (16 experiments x 2 replications x "
          f"{len(outcomes)} metrics) equal the command's summary.csv")


if __name__ == "__main__":
    main()
