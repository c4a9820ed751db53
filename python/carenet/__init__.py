"""carenet: an agent-based simulator of informal care networks, from Python.

The runs are those of the carenet Rust library, the same code as the `carenet`
command installed with this package: the same scenario and seed give the same
numbers as `carenet run`.

    import carenet
    out = carenet.run("baseline", set={"formal.hours_per_1000_residents": 300},
                      seed=7, replicates=2)
    out.summary        # pandas DataFrame: one row per replicate (summary.csv's columns)
    out.timeseries     # every reported week of every replicate (timeseries.csv)
    out.flows          # hours by week, direction, tie kind, task, locality and distance (flows.csv)
    out.neighbourhoods # per neighbourhood, totals over the reported weeks (neighbourhoods.csv)
    out.network_summary  # the starting network per neighbourhood (network_summary.csv)
    out.yearly         # per reported year, in runs of several years (yearly.csv)

    out = carenet.run("baseline", microdata=True)
    out.residents      # one row per resident and replicate (residents.csv)

Every table starts with a `replicate` column (1, 2, ...). Replicate r runs with
`replicate_seed(seed, r)`, as `carenet run --replicates` does; replicate 1 uses
the seed itself, so `carenet run FILE --seed S` gives replicate 1's rows.
"""

from __future__ import annotations

import io
import numbers
import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional

import pandas as pd

from . import _carenet
from ._carenet import ScenarioError, replicate_seed

__all__ = [
    "Results",
    "ScenarioError",
    "check",
    "replicate_seed",
    "resolved_scenario",
    "run",
    "scenario_text",
    "scenarios",
]

__version__ = _carenet.__version__


@dataclass(eq=False)
class Results:
    """The outcome tables of a run, as DataFrames, and the scenario that ran."""

    summary: pd.DataFrame
    timeseries: pd.DataFrame
    flows: pd.DataFrame
    neighbourhoods: pd.DataFrame
    scenario_toml: str
    #: One row per resident (and replicate), as `carenet run --microdata`
    #: writes residents.csv; None unless `run(..., microdata=True)`.
    residents: Optional[pd.DataFrame] = None
    #: One row per reported year (and replicate), as yearly.csv; None in a run
    #: of one year, for which `carenet run` writes no yearly.csv.
    yearly: Optional[pd.DataFrame] = None
    #: The starting network per neighbourhood (and replicate), as
    #: network_summary.csv.
    network_summary: Optional[pd.DataFrame] = None
    #: One row per resident, reported year (and replicate), as `carenet run
    #: --microdata` writes residents_yearly.csv in a run of several years: a
    #: panel that follows persons through the years (docs/ODD.md §9.11.1);
    #: None unless `run(..., microdata=True)` runs more than 52 weeks.
    residents_yearly: Optional[pd.DataFrame] = None

    def __repr__(self) -> str:
        # A notebook shows this for a bare `results`: what is there, not every
        # table and the whole scenario (`results.summary` shows a table).
        tables = ["summary", "timeseries", "flows", "neighbourhoods"]
        tables += [t for t in ("yearly", "network_summary", "residents", "residents_yearly")
                   if getattr(self, t) is not None]
        shapes = ", ".join(f"{t} {getattr(self, t).shape[0]}x{getattr(self, t).shape[1]}"
                           for t in tables)
        name = next((line.partition("=")[2].strip().strip('"')
                     for line in self.scenario_toml.splitlines()
                     if line.startswith("name")), "?")
        replicates = self.summary["replicate"].nunique() if "replicate" in self.summary else 0
        return f"<carenet Results of {name!r}, {replicates} replicate(s): {shapes}>"


def _frame(csv_text: str) -> pd.DataFrame:
    if not csv_text:
        return pd.DataFrame()
    return pd.read_csv(io.StringIO(csv_text))


def _whole(name: str, value: Any, least: int) -> int:
    # bool is an int in Python, and 2.7 replicates must not quietly become 2.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    if value < least or value >= 2**64:
        raise ValueError(f"{name} must be a whole number of {least} or more, not {value}")
    return int(value)


def _seed(seed: Optional[int]) -> Optional[int]:
    return None if seed is None else _whole("seed", seed, 0)


def _replicates(replicates: int) -> int:
    count = _whole("replicates", replicates, 1)
    if count >= 2**32:
        raise ValueError(f"replicates must be fewer than {2**32}, not {count}")
    return count


def _settings(set: Optional[Mapping[str, Any]]) -> list:
    if set is None:
        return []
    if not isinstance(set, Mapping):
        raise TypeError("set must be a mapping of key paths to values, e.g. "
                        '{"formal.hours_per_1000_residents": 300}')
    return [(str(path), _value(str(path), value)) for path, value in set.items()]


def _value(path: str, value: Any) -> Any:
    # numpy arrays and scalars (and pandas Series) become Python values; a
    # None names its key, as the extension's TypeError would not.
    if value is None:
        raise TypeError(f"set[{path!r}] is None: give a number, text, true/false or a list")
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return value.tolist()
    return value


def _max_memory(max_memory: int | str | None) -> Optional[str]:
    # A number of bytes, or the command's --max-memory text ("8G", "512M").
    if max_memory is None:
        return None
    if isinstance(max_memory, bool) or not isinstance(max_memory, (numbers.Integral, str)):
        raise TypeError(f"max_memory must be bytes or a size such as '8G', not {max_memory!r}")
    return str(max_memory)


def run(scenario: str | os.PathLike = "baseline", set: Optional[Mapping[str, Any]] = None,
        seed: Optional[int] = None, replicates: int = 1, microdata: bool = False,
        max_memory: int | str | None = None) -> Results:
    """Runs a scenario and returns its outcome tables.

    scenario: a scenario file's path, or a built-in name (see `scenarios()`); an
        existing file wins over a built-in of the same name.
    set: key path -> value, e.g. {"formal.hours_per_1000_residents": 300,
        "neighbourhood[*].cohesion": 0.7}; checked like a scenario file (a
        mistake raises ScenarioError naming the path and the fix).
    seed: instead of the scenario's seed.
    replicates: runs with seeds derived from the seed; they run in parallel on
        all cores, and Python's other threads keep running meanwhile.
    microdata: also return `residents`, one row per resident of each replicate
        (the columns of `carenet run --microdata`'s residents.csv, led by
        `replicate`; docs/ODD.md §9.11), and in a run of more than 52 weeks
        `residents_yearly`, one row per resident, year and replicate
        (residents_yearly.csv, §9.11.1).
    max_memory: the ceiling of the memory check, in bytes or as "8G", "512M"
        (as `carenet run --max-memory`). Before anything is built, the run's
        peak memory is estimated, and a run that would need more than this (by
        default, more than the machine has available) raises ScenarioError
        with the estimate; its one problem's key path is "memory".

    Ctrl-C (KeyboardInterrupt, also a notebook's interrupt) stops a run within
    about a week of simulation, or while its world is built; nothing of it is
    kept.
    """
    tables, resolved = _carenet.run_tables(os.fspath(scenario), _settings(set), _seed(seed),
                                           _replicates(replicates), bool(microdata),
                                           _max_memory(max_memory))
    summary, timeseries, flows, neighbourhoods = (_frame(t) for t in tables[:4])
    yearly = _frame(tables[4]) if tables[4] else None
    network_summary = _frame(tables[5])
    residents = _frame(tables[6]) if microdata else None
    residents_yearly = _frame(tables[7]) if microdata and tables[7] else None
    return Results(summary, timeseries, flows, neighbourhoods, resolved, residents, yearly,
                   network_summary, residents_yearly)


def check(path: str | os.PathLike) -> str:
    """Checks a scenario file (or built-in name), or an experiment file, without
    running it.

    An experiment file (one with `design`, `[[parameter]]` tables or `scenario`)
    is checked as `carenet sweep` checks it: its settings, its scenario and every
    point of its design. Returns a one-line description; raises ScenarioError,
    whose message lists every problem and whose `problems` attribute holds (key
    path, problem, fix) tuples.
    """
    return _carenet.check(os.fspath(path))


def scenarios() -> list:
    """The names of the built-in scenarios, the baseline first."""
    return [name for name, _ in _carenet.builtin_scenarios()]


def scenario_text(name: str) -> str:
    """The TOML text of a built-in scenario (to read, or write out and edit)."""
    for built_in, text in _carenet.builtin_scenarios():
        if built_in == name.removesuffix(".toml"):
            return text
    raise ScenarioError(f"no built-in scenario `{name}`; built in: {', '.join(scenarios())}")


def resolved_scenario(scenario: str | os.PathLike = "baseline",
                      set: Optional[Mapping[str, Any]] = None,
                      seed: Optional[int] = None) -> str:
    """The scenario with `set` and `seed` applied, as TOML: the file that makes
    `carenet run` do what `run(scenario, set=..., seed=...)` does."""
    return _carenet.resolved_toml(os.fspath(scenario), _settings(set), _seed(seed))
