"""carenet as an EMA Workbench model: exploratory modelling over scenarios and
policies, with replications.

    from ema_workbench import perform_experiments
    from carenet.ema import model

    m = model("baseline",
              uncertainties={"neighbourhood[*].cohesion": (0.2, 0.8),
                             "population.helpfulness_mean": (0.4, 0.8)},
              levers={"formal.hours_per_1000_residents": (50, 300)},
              replications=2)
    experiments, outcomes = perform_experiments(m, scenarios=8, policies=2)

Uncertainties and levers are named by their scenario key paths (as in experiment
files and `carenet.run(set=...)`): a dict of key path -> (low, high) gives an
IntegerParameter where the key takes whole numbers (weeks, adults, an
intervention's start week) and a RealParameter elsewhere, however the bounds are
written ((0, 1) for a cohesion is every share between), or, for a list, a
CategoricalParameter; EMA parameter objects may be given too, their names (or
variable_name) being key paths. Outcomes are columns of summary.csv.

For projections (runs of more than 52 weeks), `yearly_outcomes` names columns
of yearly.csv: each becomes an ArrayOutcome `<column>_by_year` holding the
value of every reported year (one array per replication; with `aggregate`,
reduced over the replications year by year, so `aggregate` must take
`axis=`, as numpy.mean does).

Replication r runs with `carenet.replicate_seed(seed, r)`, the seed of
`carenet run --replicates`'s replicate r, so each outcome can be reproduced with
the command line. An outcome is an ArrayOutcome (one value per replication, also
for a single one) unless `aggregate` (e.g. numpy.mean) makes it a ScalarOutcome.
(The EMA Workbench registers each outcome name with one class per Python
process, so use one choice of `aggregate` per process.)
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np

from ema_workbench import (
    ArrayOutcome,
    CategoricalParameter,
    IntegerParameter,
    RealParameter,
    ReplicatorModel,
    ScalarOutcome,
)

from . import ScenarioError, _carenet, _seed, _settings, _whole, replicate_seed, resolved_scenario, run

#: Summary metrics reported when no outcomes are named.
DEFAULT_OUTCOMES = (
    "unmet_share",
    "within_neighbourhood_share",
    "outside_share",
    "formal_hours",
    "informal_hours",
    "mean_strain",
    "burnouts",
    "mean_wait_weeks",
)


class CarenetFunction:
    """The model function EMA calls: key path values (and a replication's seed)
    in, summary metrics out. A class rather than a closure so that EMA's
    multiprocessing evaluator can pickle it."""

    def __init__(self, scenario: str, set: Mapping[str, Any], outcomes: Sequence[str],
                 yearly_outcomes: Sequence[str] = ()):
        self.scenario = scenario
        self.set = dict(set)
        self.outcomes = list(outcomes)
        self.yearly_outcomes = list(yearly_outcomes)

    def __call__(self, seed: Optional[int] = None, **values: Any) -> dict:
        results = run(self.scenario, set={**self.set, **values}, seed=seed)
        summary = results.summary
        row = summary.iloc[0]
        missing = [name for name in self.outcomes if name not in summary.columns]
        if missing:
            raise KeyError(f"not columns of summary.csv: {', '.join(missing)}")
        out = {name: float(row[name]) for name in self.outcomes}
        if self.yearly_outcomes:
            yearly = results.yearly
            if yearly is None:
                raise KeyError("yearly outcomes need a run of more than 52 weeks (set weeks)")
            for column in self.yearly_outcomes:
                out[yearly_outcome_name(column)] = yearly[column].to_numpy(dtype=float)
        return out


def yearly_outcome_name(column: str) -> str:
    """The EMA outcome of a yearly.csv column: `<column>_by_year`."""
    return f"{column}_by_year"


class PerYear:
    """`aggregate` over the replications, year by year: the replications'
    arrays stacked, reduced along the first axis (picklable, for EMA's
    multiprocessing evaluator)."""

    def __init__(self, aggregate: Callable):
        self.aggregate = aggregate

    def __call__(self, replications: Any) -> np.ndarray:
        return np.asarray(self.aggregate(np.asarray(replications, dtype=float), axis=0))


def _parameters(spec: Any, scenario: str, set: Mapping[str, Any], role: str) -> list:
    if spec is None:
        return []
    if not isinstance(spec, Mapping):
        return list(spec)
    return [_parameter(str(path), bounds, scenario, set, role) for path, bounds in spec.items()]


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _parameter(path: str, bounds: Any, scenario: str, set: Mapping[str, Any], role: str) -> Any:
    """A list's CategoricalParameter, or a (low, high) pair's IntegerParameter
    where the key takes whole numbers and RealParameter elsewhere."""
    if isinstance(bounds, list):
        return CategoricalParameter(path, bounds)
    # QA 37: (100.0, 200.0, 300.0) ran as (100, 200) without a word, a single
    # number or "100-300" failed with Python's words ("'float' object is not
    # iterable", a range (1.0, 0.0) from the text's characters).
    if (isinstance(bounds, (str, bytes, Mapping)) or not hasattr(bounds, "__len__")
            or len(bounds) != 2 or not all(_is_number(b) for b in bounds)):
        raise ValueError(
            f"{role} `{path}` = {bounds!r}: give a range as a pair of numbers (low, high), "
            f"a list of the values to take, or a fixed value in set=")
    low, high = bounds
    whole = _carenet.takes_whole_numbers(scenario, _settings(set), path)
    if whole is None:
        # A key path that reaches nothing: _check_parameters names it with
        # the nearest key, as a scenario's check does.
        whole = all(isinstance(b, numbers.Integral) for b in bounds)
    if not whole:
        # QA 37: the type of the bounds chose before, so (0, 1) for a
        # cohesion was an IntegerParameter that sampled 0 and 1 alone.
        return RealParameter(path, float(low), float(high))
    fractions = [b for b in bounds if float(b) != int(b)]
    if fractions:
        raise ValueError(
            f"{role} `{path}` takes whole numbers, not {fractions[0]!r}: "
            f"give ({math.ceil(low)}, {math.floor(high)})")
    return IntegerParameter(path, int(low), int(high))


def _bound_values(parameter: Any) -> list:
    """The values at the ends of an EMA parameter's range (or its categories)."""
    # A categorical parameter is an integer one over the categories' indices in
    # the EMA Workbench, so its categories come first.
    if hasattr(parameter, "categories"):
        return [getattr(c, "value", c) for c in parameter.categories]
    return [parameter.lower_bound, parameter.upper_bound]


def _check_parameters(scenario: str, set: Mapping[str, Any], parameters: list, role: str) -> None:
    """Each parameter's key path and its range's ends, checked as carenet checks a
    scenario, before any experiment runs: a typo would otherwise surface only in
    the first experiment (and a pool of workers may wait on it)."""
    for parameter in parameters:
        # QA 36: the EMA Workbench takes RealParameter(path, 0.8, 0.2) without
        # a word and samples NaN from it; every experiment then failed.
        low, high = getattr(parameter, "lower_bound", 0), getattr(parameter, "upper_bound", 1)
        if not hasattr(parameter, "categories") and not low < high:
            raise ValueError(
                f"{role} `{parameter.name}` has the range ({low!r}, {high!r}): the low end must "
                f"be below the high end; give ({min(low, high)!r}, {max(low, high)!r})"
                + (", or set one value with set=" if low == high else "")
            )
        for value in _bound_values(parameter):
            try:
                resolved_scenario(scenario, set={**set, parameter.name: value})
            except ScenarioError as error:
                raise ScenarioError(f"{role} `{parameter.name}` = {value!r}: {error}") from error
        # An EMA RealParameter given over a key of whole numbers passes at its
        # whole bounds and fails at every sample between them.
        if (type(parameter) is RealParameter
                and _carenet.takes_whole_numbers(scenario, _settings(set), parameter.name)):
            raise ValueError(
                f"{role} `{parameter.name}` takes whole numbers: give an IntegerParameter, "
                f"or the pair ({math.ceil(low)}, {math.floor(high)})")


def scenario_seed(scenario: str = "baseline", set: Optional[Mapping[str, Any]] = None) -> int:
    """The seed of a scenario (file or built-in name) with `set` applied."""
    text = resolved_scenario(scenario, set=set)
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "seed":
            return int(value)
    raise ValueError(f"{scenario} has no seed")


def _check_outcomes(scenario: str, outcomes: list) -> None:
    # A misspelt outcome would surface only at the first experiment, where a
    # pool of workers may wait on it (QA 24).
    columns = _carenet.summary_columns(scenario)
    for name in outcomes:
        if name not in columns:
            near = difflib.get_close_matches(str(name), columns, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else "; see docs/ODD.md §9 for the columns"
            raise ValueError(f"outcome {name!r} is not a column of summary.csv{hint}")


def _check_yearly_outcomes(scenario: str, set: Mapping[str, Any], yearly_outcomes: list) -> None:
    # The run must report more than a year, and each name be a column of its
    # yearly.csv, before any experiment runs.
    if not yearly_outcomes:
        return
    columns = _carenet.yearly_columns(scenario, _settings(set))
    if not columns:
        raise ValueError(
            f"yearly outcomes {yearly_outcomes!r} need a run of more than 52 weeks; "
            f"{scenario} reports 52 or fewer: set weeks (e.g. set={{'weeks': 780}} for 15 years)")
    for name in yearly_outcomes:
        if name not in columns:
            near = difflib.get_close_matches(str(name), columns, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else "; see docs/ODD.md §9.13 for the columns"
            raise ValueError(f"yearly outcome {name!r} is not a column of yearly.csv{hint}")


def model(scenario: str | os.PathLike = "baseline", uncertainties: Any = None,
          levers: Any = None, outcomes: Sequence[str] = DEFAULT_OUTCOMES,
          replications: int = 1, seed: Optional[int] = None,
          set: Optional[Mapping[str, Any]] = None,
          aggregate: Optional[Callable] = None, name: str = "carenet",
          yearly_outcomes: Sequence[str] = ()) -> ReplicatorModel:
    """A ready EMA Workbench model of a carenet scenario.

    scenario: file path or built-in name; set: fixed key path values applied
    first (e.g. a smaller area); seed: base seed (default: the scenario's);
    yearly_outcomes: columns of yearly.csv, each an outcome `<column>_by_year`
    (runs of more than 52 weeks).
    """
    scenario = os.fspath(scenario)
    set = dict(set or {})
    yearly_outcomes = list(yearly_outcomes)
    # QA 37: replications=0 made a model whose every outcome was empty,
    # 2.5 ran 2, and seed=-1 said "can't convert negative int to unsigned";
    # checked as carenet.run checks replicates and seed.
    replications = _whole("replications", replications, 1)
    seed = _seed(seed)
    base_seed = scenario_seed(scenario, set) if seed is None else seed
    ema_model = ReplicatorModel(
        name, function=CarenetFunction(scenario, set, outcomes, yearly_outcomes))
    ema_model.uncertainties = _parameters(uncertainties, scenario, set, "uncertainty")
    ema_model.levers = _parameters(levers, scenario, set, "lever")
    _check_parameters(scenario, set, list(ema_model.uncertainties), "uncertainty")
    _check_parameters(scenario, set, list(ema_model.levers), "lever")
    _check_outcomes(scenario, list(outcomes))
    _check_yearly_outcomes(scenario, set, yearly_outcomes)
    ema_model.replications = [{"seed": replicate_seed(base_seed, r)}
                              for r in range(1, replications + 1)]
    per_year = [yearly_outcome_name(o) for o in yearly_outcomes]
    if aggregate is None:
        ema_model.outcomes = [ArrayOutcome(o) for o in list(outcomes) + per_year]
    else:
        ema_model.outcomes = ([ScalarOutcome(o, function=aggregate) for o in outcomes]
                              + [ArrayOutcome(o, function=PerYear(aggregate)) for o in per_year])
    return ema_model
