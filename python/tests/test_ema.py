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


def command_run(command, out, values, seed):
    """`carenet run` of the baseline with `values` and `seed`, into `out`."""
    scenario = out.with_suffix(".toml")
    scenario.write_text(carenet.resolved_scenario("baseline", set=values, seed=seed))
    done = subprocess.run([command, "run", str(scenario), "--out", str(out), "-q"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


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
                out = command_run(command, folder / f"e{i}-r{r}", values, seed)
                summary = pd.read_csv(out / "summary.csv").iloc[0]
                assert summary["seed"] == seed
                for name, table in outcomes.items():
                    assert table[i][r] == float(summary[name]), (i, r, name, table[i][r],
                                                                summary[name])
                    checked += 1
    print(f"ok: {checked} EMA outcomes (16 experiments x 2 replications x "
          f"{len(outcomes)} metrics) equal the command's summary.csv")
    a_typo_is_refused_before_any_experiment()
    a_projections_years_are_outcomes()


def a_projections_years_are_outcomes():
    """Yearly outcomes of a 2-year run: every year's value of each replication
    is the command's yearly.csv on the same values and seed; with numpy.mean
    the mean over the replications, year by year; and a model of one year or
    a misspelt column is refused when it is made."""
    import numpy as np
    from ema_workbench import Scenario, perform_experiments

    import carenet.ema

    area = {**ema_policies.SMALL_AREA, "weeks": 104}
    columns = ["unmet_share", "carers_cbs_share"]
    kwargs = dict(set=area, uncertainties={"population.helpfulness_mean": (0.4, 0.8)},
                  outcomes=["unmet_share"], yearly_outcomes=columns, replications=2)
    model = carenet.ema.model("baseline", name="years", **kwargs)
    experiments, outcomes = perform_experiments(model, scenarios=2)
    assert outcomes["unmet_share_by_year"].shape == (2, 2, 2), outcomes["unmet_share_by_year"].shape
    command = shutil.which("carenet")
    seeds = [rep["seed"] for rep in model.replications]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for i, row in experiments.iterrows():
            values = {**area, "population.helpfulness_mean": float(row["population.helpfulness_mean"])}
            for r, seed in enumerate(seeds):
                out = command_run(command, folder / f"y{i}-r{r}", values, seed)
                yearly = pd.read_csv(out / "yearly.csv")
                for column in columns:
                    got = outcomes[f"{column}_by_year"][i][r]
                    assert list(got) == list(yearly[column].astype(float)), (i, r, column, got)
    # No summary outcome here: EMA registers each outcome name with one class
    # per process, and unmet_share is an ArrayOutcome above.
    mean_model = carenet.ema.model("baseline", name="yearsmean", aggregate=np.mean,
                                   **{**kwargs, "outcomes": []})
    # The same two scenarios as above.
    same = [Scenario(name=str(i), **{"population.helpfulness_mean": float(v)})
            for i, v in enumerate(experiments["population.helpfulness_mean"])]
    _, means = perform_experiments(mean_model, scenarios=same)
    assert means["unmet_share_by_year"].shape == (2, 2), means["unmet_share_by_year"].shape
    for i in range(2):
        expected = outcomes["unmet_share_by_year"][i].mean(axis=0)
        assert np.allclose(means["unmet_share_by_year"][i], expected, rtol=0, atol=1e-15), i
    print("ok: yearly outcomes of a 2-year run equal the command's yearly.csv, and their means by year")
    for area, columns, said in [(ema_policies.SMALL_AREA, ["unmet_share"], "more than 52 weeks"),
                                ({**ema_policies.SMALL_AREA, "weeks": 104}, ["unmet_shar"],
                                 "did you mean 'unmet_share'")]:
        try:
            carenet.ema.model(set=area, yearly_outcomes=columns)
        except ValueError as error:
            assert said in str(error), str(error)
        else:
            raise AssertionError(f"yearly outcomes {columns} must be refused for {area}")
    print("ok: yearly outcomes of a run of one year, or misspelt, are refused when the model is made")


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
    # QA 36: reversed bounds were taken, and the EMA Workbench sampled NaN from them.
    for bounds, fix in [((0.8, 0.2), "give (0.2, 0.8)"), ((5, 5), "set one value with set=")]:
        try:
            carenet.ema.model(uncertainties={"neighbourhood[*].cohesion": bounds} if bounds[0] < 1
                              else {"formal.activation_weeks": bounds})
        except ValueError as error:
            assert "the low end must be below the high end" in str(error) and fix in str(error), \
                str(error)
        else:
            raise AssertionError(f"the range {bounds} must be refused when the model is made")
    print("ok: a range whose low end is not below its high end is refused, with the range to give")
    a_range_takes_the_kind_of_its_key()


def a_range_takes_the_kind_of_its_key():
    import carenet.ema
    from ema_workbench import IntegerParameter, RealParameter

    # QA 37: the bounds' Python types chose the kind, so (0, 1) for a share
    # sampled 0 and 1 alone, and (50.0, 300.0) for whole weeks sampled 6.3.
    model = carenet.ema.model(uncertainties={"neighbourhood[*].cohesion": (0, 1),
                                             "formal.hours_per_1000_residents": (50, 300)},
                              levers={"formal.activation_weeks": (2.0, 8.0),
                                      "neighbourhood[*].adults": (100, 300)})
    kinds = {p.name: (type(p), p.lower_bound, p.upper_bound)
             for p in list(model.uncertainties) + list(model.levers)}
    assert kinds == {"neighbourhood[*].cohesion": (RealParameter, 0.0, 1.0),
                     "formal.hours_per_1000_residents": (RealParameter, 50.0, 300.0),
                     "formal.activation_weeks": (IntegerParameter, 2, 8),
                     "neighbourhood[*].adults": (IntegerParameter, 100, 300)}, kinds
    # An intervention's key, which only the scenario has.
    model = carenet.ema.model("pv1-1-cohesion-events",
                              levers={"intervention[0].start_week": (0.0, 10.0)})
    assert type(list(model.levers)[0]) is IntegerParameter
    print("ok: a range is an IntegerParameter where its key takes whole numbers, "
          "a RealParameter elsewhere, however its bounds are written")
    for bounds, said in [((100.0, 200.0, 300.0), "give a range as a pair of numbers (low, high)"),
                         (200.0, "a fixed value in set="), ("100-300", "= '100-300'"),
                         ((None, 300.0), "a pair of numbers"), ((True, 300), "a pair of numbers")]:
        try:
            carenet.ema.model(levers={"formal.hours_per_1000_residents": bounds})
        except ValueError as error:
            assert "lever `formal.hours_per_1000_residents`" in str(error), str(error)
            assert said in str(error), str(error)
        else:
            raise AssertionError(f"the range {bounds!r} must be refused when the model is made")
    for levers, said in [({"formal.activation_weeks": (2.5, 8)}, "takes whole numbers, not 2.5: give (3, 8)"),
                         ([RealParameter("formal.activation_weeks", 2, 8)],
                          "takes whole numbers: give an IntegerParameter, or the pair (2, 8)")]:
        try:
            carenet.ema.model(levers=levers)
        except ValueError as error:
            assert "lever `formal.activation_weeks`" in str(error) and said in str(error), str(error)
        else:
            raise AssertionError(f"{levers!r} must be refused when the model is made")
    print("ok: a range that is no pair of numbers, or has fractions for whole numbers, is refused")
    # QA 37: replications=0 gave empty outcomes, 2.5 ran 2, seed=-1 an OverflowError.
    for settings, error, said in [({"replications": 0}, ValueError, "replications must be a whole "
                                   "number of 1 or more, not 0"),
                                  ({"replications": 2.5}, TypeError, "replications must be a whole "
                                   "number, not 2.5"),
                                  ({"seed": -1}, ValueError, "seed must be a whole number of 0 or "
                                   "more, not -1")]:
        try:
            carenet.ema.model(**settings)
        except error as refused:
            assert said in str(refused), str(refused)
        else:
            raise AssertionError(f"{settings} must be refused when the model is made")
    print("ok: replications and a seed that are no whole numbers of their range are refused")


if __name__ == "__main__":
    main()
