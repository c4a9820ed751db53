"""carenet's Morris and Sobol indices against SALib's analyze on the same runs,
and SALib's own samples run through `carenet sweep` (design = "file").

Tolerances (stated in README "Sensitivity analysis with SALib"):
- Morris mu, mu* and sigma: the same estimators (elementary effects per unit of
  the range, Delta = p / (2(p - 1)); sigma with n - 1): equal to 1e-9 relative.
- Sobol total: the same estimator (Jansen 1999, Saltelli 2010 table 2 (f)),
  variance of f(A) and f(B) with n in the denominator: equal to 1e-9.
- Sobol first order: both use Saltelli 2010 table 2 (b), but SALib first
  standardises Y on the mean of all N(k + 2) outputs, carenet centres f(B) on
  the mean of f(A) and f(B). The two differ by exactly
  (mean_all - mean_AB) * mean(f(A_B^i) - f(A)) / V, which the test checks to
  1e-9. The raw difference is printed: it is sampling noise of order
  1/sqrt(n) (0.14 at most here, n = 16), vanishing as n grows.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample

SCENARIO = """name = "small"
seed = 5
weeks = 10
burn_in_weeks = 10
[[neighbourhood]]
name = "A"
adults = 600
[[neighbourhood]]
name = "B"
adults = 400
centre_km = [1.2, 0.0]
"""

PARAMETERS = """
[[parameter]]
path = "neighbourhood[*].cohesion"
low = 0.1
high = 0.9

[[parameter]]
path = "population.helpfulness_mean"
low = 0.4
high = 0.8

[[parameter]]
path = "formal.hours_per_1000_residents"
low = 20.0
high = 300.0
"""

METRICS = ["unmet_share", "informal_hours", "formal_hours", "mean_strain", "neighbour_hours"]
RTOL = 1e-9


def carenet(folder, *args):
    done = subprocess.run([shutil.which("carenet"), *args], cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def experiment(folder, name, head):
    (folder / "small.toml").write_text(SCENARIO)
    path = folder / f"{name}.toml"
    path.write_text(f'name = "{name}"\nscenario = "small.toml"\n{head}\n{PARAMETERS}')
    return path


def outputs(out, metric, points):
    """The per-point mean of a metric over replicates, in design order."""
    runs = pd.read_csv(out / "runs.csv")
    means = runs.groupby("point")[metric].mean()
    assert list(means.index) == list(range(points))
    return means.to_numpy(dtype=float)


def close(a, b, what):
    assert np.isclose(a, b, rtol=RTOL, atol=1e-12), f"{what}: carenet {a} SALib {b}"


def test_morris(folder):
    path = experiment(folder, "morris", 'design = "morris"\nsamples = 6\nlevels = 4\nreplicates = 2')
    carenet(folder, "sensitivity", path.name, "--out", "m", "--quiet")
    out = folder / "m"
    problem = json.loads((out / "salib_problem.json").read_text())
    design = pd.read_csv(out / "design.csv").drop(columns="point")
    assert list(design.columns) == problem["names"]
    X = design.to_numpy(dtype=float)
    indices = pd.read_csv(out / "sensitivity.csv")
    compared = 0
    for metric in METRICS:
        Y = outputs(out, metric, len(X))
        salib = morris_analyze.analyze(problem, X, Y, num_levels=4, seed=1)
        ours = indices[indices["metric"] == metric].set_index("factor")
        for i, name in enumerate(problem["names"]):
            for key in ("mu", "mu_star", "sigma"):
                close(ours.loc[name, key], salib[key][i], f"Morris {key} {metric} {name}")
                compared += 1
    print(f"ok: Morris: {compared} indices (mu, mu*, sigma) equal SALib's to {RTOL:g}")


def to_salib_order(Y, n, k):
    """carenet's Saltelli blocks A, B, A_B^1..A_B^k as SALib's rows: for each
    base sample j, A_j, A_B^1_j, ..., A_B^k_j, B_j."""
    blocks = Y.reshape(k + 2, n)
    a, b, mixed = blocks[0], blocks[1], blocks[2:]
    return np.column_stack([a, *mixed, b]).reshape(-1)


def test_sobol(folder):
    n, k = 16, 3
    path = experiment(folder, "sobol", f'design = "sobol"\nsamples = {n}\nreplicates = 1')
    carenet(folder, "sensitivity", path.name, "--out", "s", "--quiet")
    out = folder / "s"
    problem = json.loads((out / "salib_problem.json").read_text())
    indices = pd.read_csv(out / "sensitivity.csv")
    largest = 0.0
    compared = 0
    for metric in METRICS:
        Y = outputs(out, metric, n * (k + 2))
        salib = sobol_analyze.analyze(problem, to_salib_order(Y, n, k),
                                      calc_second_order=False, seed=1)
        ours = indices[indices["metric"] == metric].set_index("factor")
        a, b = Y[:n], Y[n:2 * n]
        variance = np.var(np.r_[a, b])
        for i, name in enumerate(problem["names"]):
            ab = Y[(2 + i) * n:(3 + i) * n]
            close(ours.loc[name, "total"], salib["ST"][i], f"Sobol total {metric} {name}")
            shift = (Y.mean() - np.r_[a, b].mean()) * np.mean(ab - a) / variance
            close(ours.loc[name, "first_order"], salib["S1"][i] + shift,
                  f"Sobol first order {metric} {name} (with the centring term)")
            largest = max(largest, abs(ours.loc[name, "first_order"] - salib["S1"][i]))
            compared += 2
    print(f"ok: Sobol: {compared} indices; total equal to {RTOL:g}, first order equal after "
          f"the documented centring term (largest raw difference {largest:.4f})")


def test_salib_samples_run_through_sweep(folder):
    problem = json.loads(json.dumps({
        "num_vars": 3,
        "names": ["neighbourhood[*].cohesion", "population.helpfulness_mean",
                  "formal.hours_per_1000_residents"],
        "bounds": [[0.1, 0.9], [0.4, 0.8], [20.0, 300.0]],
    }))
    X = morris_sample.sample(problem, N=4, num_levels=4, seed=7)
    pd.DataFrame(X, columns=problem["names"]).to_csv(folder / "salib.csv", index=False)
    (folder / "small.toml").write_text(SCENARIO)
    (folder / "from-salib.toml").write_text(
        'name = "from-salib"\nscenario = "small.toml"\ndesign = "file"\nfile = "salib.csv"\n')
    carenet(folder, "sweep", "from-salib.toml", "--out", "f", "--quiet")
    out = folder / "f"
    runs = pd.read_csv(out / "runs.csv")
    assert np.array_equal(runs[problem["names"]].to_numpy(), X), "runs.csv has SALib's values"
    design = pd.read_csv(out / "design.csv").drop(columns="point").to_numpy()
    assert np.array_equal(design, X)
    Y = outputs(out, "unmet_share", len(X))
    salib = morris_analyze.analyze(problem, X, Y, num_levels=4)
    assert np.all(np.isfinite(salib["mu_star"])), salib
    print(f"ok: {len(X)} SALib Morris points ran through carenet sweep (design = \"file\")")

    # QA 30: the sample's range is not the range it was drawn from. Without
    # declared bounds salib_problem.json says its bounds are the values' range;
    # with [[parameter]] low/high it states them, and SALib takes the file's
    # problem (its extra key included) as the original.
    written = json.loads((out / "salib_problem.json").read_text())
    assert written["carenet_bounds_from"] == ["values' range"] * 3, written
    assert written["bounds"] == [[X[:, i].min(), X[:, i].max()] for i in range(3)], written
    declared = "".join(
        f'[[parameter]]\npath = "{name}"\nlow = {low}\nhigh = {high}\n'
        for name, (low, high) in zip(problem["names"], problem["bounds"]))
    (folder / "bounded.toml").write_text(
        'name = "bounded"\nscenario = "small.toml"\ndesign = "file"\nfile = "salib.csv"\n'
        + declared)
    carenet(folder, "sweep", "bounded.toml", "--out", "b", "--quiet")
    written = json.loads((folder / "b" / "salib_problem.json").read_text())
    assert written["bounds"] == problem["bounds"], written
    assert written["carenet_bounds_from"] == ["experiment file"] * 3, written
    again = morris_analyze.analyze(written, X, outputs(folder / "b", "unmet_share", len(X)),
                                   num_levels=4)
    for key in ("mu", "mu_star", "sigma"):
        assert np.allclose(again[key], salib[key], rtol=1e-12), (key, again[key], salib[key])
    print("ok: declared bounds reach salib_problem.json, and SALib takes it as the original")


def main():
    for test in (test_morris, test_sobol, test_salib_samples_run_through_sweep):
        with tempfile.TemporaryDirectory() as folder:
            test(Path(folder))


if __name__ == "__main__":
    sys.exit(main())
