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
    a_typo_is_refused_before_any_experiment()


def a_typo_is_refused_before_any_experiment():
    import carenet.ema

    for levers, named in [({"formal.activation_weekz": (2, 8)}, "formal.activation_weekz"),
                          ({"neighbourhood[*].cohesion": (0.2, 1.8)}, "1.8")]:
        try:
            carenet.ema.model(levers=levers)
        except carenet.ScenarioError as error:
            assert named in str(error), str(error)
        else:
            raise AssertionError(f"{levers} must be refused when the model is made")
    model = carenet.ema.model(levers={"formal.network_first": [True, False],
                                      "formal.activation_weeks": (2, 8)})
    assert [p.name for p in model.levers] == ["formal.network_first", "formal.activation_weeks"]
    print("ok: a key path or range the scenario refuses is refused when the EMA model is made")
    try:
        carenet.ema.model(outcomes=["unmet_shar"])
    except ValueError as error:
        assert "'unmet_shar'" in str(error) and "did you mean 'unmet_share'" in str(error), str(error)
    else:
        raise AssertionError("a misspelt outcome must be refused when the model is made")
    print("ok: a misspelt outcome is refused when the EMA model is made, with the nearest column")


if __name__ == "__main__":
    main()
