"""Draw the figures shown in README.md (docs/*.png).

Scenario: the compound shock of the shipped scenario taiwan_blockade_magnets (Taiwan's lanes closed
for 60 days and a Chinese ban on NdFeB magnet exports, with Japanese and Korean stockpile releases),
run 200 times on the baseline with random lead times, against the baseline with the same seed.

Run: ``python docs/make_figures.py`` (about a minute).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import supplychain as sc
from supplychain.plotting.resilience import plot_fan, plot_resilience_curve
from supplychain.plotting.results import plot_flows

HERE = Path(__file__).parent
SEED = 2025
N_RUNS = 200
SCENARIO = "taiwan_blockade_magnets"   # shipped in supplychain/data/scenarios/


def main() -> None:
    example = sc.load_example(SCENARIO)
    shocks, without = example.all_shocks, example.shocks   # with and without the stockpile releases
    base = sc.load_baseline(horizon_days=365, random_lead_times=True)
    baseline = sc.simulate(base, engine="vector", n_runs=N_RUNS, seed=SEED)
    shocked = sc.simulate(base.with_shocks(*without, name="blockade + magnet ban"), engine="vector",
                          n_runs=N_RUNS, seed=SEED)
    released = sc.simulate(base.with_shocks(*shocks, name="... with JP/KR stockpile release"),
                           engine="vector", n_runs=N_RUNS, seed=SEED)

    fig, ax = plt.subplots(figsize=(9, 4))
    plot_fan(shocked, baseline, variable="delivered", ident="KR:ndfeb_magnet", by="region_commodity",
             usd=False, ax=ax)
    ax.set_ylabel("magnets delivered in Korea (t/day)")
    ax.set_title(f"Korean NdFeB magnet deliveries, blockade + magnet ban against the baseline\n"
                 f"{N_RUNS} runs: median line, shaded 25-75 % and 5-95 % of runs", fontsize="medium")
    fig.tight_layout()
    fig.savefig(HERE / "fan.png", dpi=100)

    fig, ax = plt.subplots(figsize=(8, 4))
    plot_resilience_curve(released, baseline, group="KR:ndfeb_magnet", by="region_commodity", ax=ax)
    fig.tight_layout()
    fig.savefig(HERE / "resilience.png", dpi=100)

    fig, ax = plt.subplots(figsize=(6, 5))
    plot_flows(baseline, "logic_chip", ax=ax)
    fig.tight_layout()
    fig.savefig(HERE / "flows.png", dpi=100)


if __name__ == "__main__":
    main()
