"""Explore formal-care budgets under uncertainty with the EMA Workbench.

    pip install "carenet[ema]"      # or: pip install carenet ema_workbench
    python ema_policies.py

Eight scenarios (cohesion and helpfulness unknown) times two policies (formal-care
hours per 1,000 residents), two replications each, on a 1,000-adult version of
the baseline area; prints the mean unmet share per policy.
"""

import numpy as np
from ema_workbench import perform_experiments

from carenet.ema import model

# A 1,000-adult area (five neighbourhoods of 200) and a shorter year, so that the
# 32 runs take seconds.
SMALL_AREA = {"neighbourhood[*].adults": 200, "weeks": 26, "burn_in_weeks": 26}


def explore(scenarios=8, policies=2, replications=2, seed=20261123):
    carenet_model = model(
        "baseline",
        set=SMALL_AREA,
        seed=seed,
        uncertainties={
            "neighbourhood[*].cohesion": (0.2, 0.8),
            "population.helpfulness_mean": (0.4, 0.8),
        },
        levers={"formal.hours_per_1000_residents": (50.0, 300.0)},
        outcomes=["unmet_share", "informal_hours", "formal_hours", "mean_strain"],
        replications=replications,
    )
    experiments, outcomes = perform_experiments(
        carenet_model, scenarios=scenarios, policies=policies
    )
    return carenet_model, experiments, outcomes


if __name__ == "__main__":
    _, experiments, outcomes = explore()
    unmet = outcomes["unmet_share"].mean(axis=1)  # mean over replications
    for policy in experiments["policy"].unique():
        rows = (experiments["policy"] == policy).to_numpy()
        hours = experiments.loc[rows, "formal.hours_per_1000_residents"].iloc[0]
        print(f"{hours:6.0f} formal hours per 1,000 residents: "
              f"unmet share {np.mean(unmet[rows]):.3f} over {rows.sum()} scenarios")
