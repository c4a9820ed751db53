"""Type stubs of carenet._carenet, the compiled extension (python/src/lib.rs).

The package's own functions (carenet.run, carenet.check, ...) are the public
API; this module is what they call.
"""

from typing import Any, Optional, Sequence, Tuple

__version__: str

class ScenarioError(ValueError):
    """A scenario that cannot run: `problems` lists (key path, problem, fix)."""

    problems: list[tuple[str, str, str]]

def run_tables(
    scenario: str,
    set: Sequence[Tuple[str, Any]],
    seed: Optional[int],
    replicates: int,
    microdata: bool = False,
    max_memory: Optional[str] = None,
) -> tuple[list[str], str]:
    """The outcome tables of `replicates` runs as CSV texts (summary,
    timeseries, flows, neighbourhoods, yearly, network_summary and, with
    `microdata`, residents and residents_yearly), and
    the scenario run as TOML; raises ScenarioError, before building, for a run
    whose memory estimate exceeds `max_memory` (or the memory available), and
    KeyboardInterrupt on Ctrl-C."""

def resolved_toml(scenario: str, set: Sequence[Tuple[str, Any]], seed: Optional[int]) -> str:
    """The scenario with `set` and `seed` applied, as TOML."""

def check(path: str) -> str:
    """"ok: ..." for a scenario (or experiment file) that can run; raises ScenarioError otherwise."""

def builtin_scenarios() -> list[tuple[str, str]]:
    """The built-in scenarios: (name, TOML text)."""

def replicate_seed(base: int, r: int) -> int:
    """The seed of replicate r (from 1) of a scenario with seed `base`."""

def summary_columns(scenario: str) -> list[str]:
    """The columns of summary.csv for the scenario, in order."""

def yearly_columns(scenario: str, set: Sequence[Tuple[str, Any]]) -> list[str]:
    """The columns of yearly.csv for the scenario with `set` applied, in
    order; empty where its run reports 52 weeks or fewer."""

def takes_whole_numbers(scenario: str, set: Sequence[Tuple[str, Any]], path: str) -> Optional[bool]:
    """Whether the key at `path` of the scenario with `set` applied takes whole
    numbers; None where the path reaches no value."""
