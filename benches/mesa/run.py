"""Runs the Mesa model on an area carenet exported and reports its speed.

    python run.py RUN_FOLDER [--weeks 104] [--seed 1]

RUN_FOLDER is a carenet run folder made with --export-graph (network.graphml and
scenario.toml are read from it). Loading the graph is timed apart from the weeks,
as carenet times its set-up apart from its simulation. Prints one JSON line.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import mesa

from model import CareNetwork, load


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    clock = time.perf_counter()
    graph, params = load(args.folder / "network.graphml", args.folder / "scenario.toml")
    model = CareNetwork(graph, params, seed=args.seed)
    setup_seconds = time.perf_counter() - clock
    residents = len(model.residents)

    clock, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.weeks):
        model.step()
    simulate_seconds = time.perf_counter() - clock
    # CPU time of the weeks: on a busy machine the wall clock overstates them.
    simulate_cpu_seconds = time.process_time() - cpu

    weeks = model.datacollector.get_model_vars_dataframe()
    reported = weeks.tail(min(52, len(weeks)))
    need = reported["need"].sum()
    result = {
        "implementation": "mesa",
        "mesa": mesa.__version__,
        "python": platform.python_version(),
        "residents": residents,
        "persons": len(model.persons),
        "ties": len(model.ties),
        "weeks": args.weeks,
        "setup_seconds": round(setup_seconds, 3),
        "simulate_seconds": round(simulate_seconds, 3),
        "simulate_cpu_seconds": round(simulate_cpu_seconds, 3),
        "resident_weeks_per_second": round(residents * args.weeks / simulate_seconds),
        "last_52_weeks": {
            "need_hours_per_resident_week": need / residents / len(reported),
            "household_share": reported["household"].sum() / need,
            "informal_share": reported["informal"].sum() / need,
            "unmet_share": reported["unmet"].sum() / need,
            "burnouts_per_1000_a_year": reported["burnouts"].sum() / residents * 1000 * 52 / len(reported),
            "mean_strain": reported["mean_strain"].mean(),
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
