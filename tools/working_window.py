"""World value added lost by the users' working-stock window (docs/assumptions.md, "Working stock of 5 days").

Prints, for the window ``IOTable.working_stock_days`` set to 1, 3, 5, 7 and 14 days (the shipped table
uses 5), world value added lost net of the unshocked run (bn USD):

1. example 09, the 2021 chip shortage (`supplychain.datasets.chip_shortage_2021.shortage_2021`, vector
   engine, seed 2021, deterministic);
2. China's ban of gallium and crude gallium from day 0 over one year with price feedback on (vector engine,
   seed 42): random lead times (mean of 4 runs, with the runs' range) against deterministic lead times, for
   windows of 1, 3, 5 and 7 days; pro rata rationing for 1 and 5 days; the DIIM kernel for 1 day.

Run: ``PYTHONPATH=$PWD python tools/working_window.py`` (a few minutes).
"""

from __future__ import annotations

import argparse
import dataclasses
import warnings

import numpy as np

import supplychain as sc
from supplychain.datasets.chip_shortage_2021 import shortage_2021
from supplychain.impact import load_io_table


def world_loss(shocked: sc.Results, base: sc.Results, window: int, rationing: str = "priority",
               method: str = "ario") -> tuple[float, np.ndarray]:
    """Mean world value added lost (bn USD) with the working-stock window ``window``, and each run's."""
    table = dataclasses.replace(load_io_table(), working_stock_days=window)
    runs = shocked.value_added_loss(method=method, table=table, rationing=rationing).total.sum(axis=(1, 2))
    ref = base.value_added_loss(method=method, table=table, rationing=rationing).total.sum(axis=(1, 2)).mean()
    per_run = (runs - ref) / 1e9
    return float(per_run.mean()), per_run


def _ga_ban(scenario: sc.Scenario) -> sc.Scenario:
    return scenario.with_shocks(*(sc.ExportControl(exporter="CN", commodity=k, mode="ban", start=0)
                                  for k in ("gallium", "gallium_crude")))


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0]).parse_args(argv)
    warnings.filterwarnings("ignore", category=sc.SimulationWarning)
    ex09 = shortage_2021()
    s, b = sc.simulate(ex09, engine="vector", seed=2021), sc.simulate(ex09.without_shocks(), engine="vector", seed=2021)
    print("example 09, windows 1 / 3 / 5 / 7 / 14 days: "
          + " / ".join(f"{world_loss(s, b, w)[0]:.1f}" for w in (1, 3, 5, 7, 14)), flush=True)
    det = sc.load_baseline().with_horizon(365).replace(price_feedback=True)
    rnd = sc.load_baseline(random_lead_times=True).with_horizon(365).replace(price_feedback=True)
    ds, db = sc.simulate(_ga_ban(det), engine="vector", seed=42), sc.simulate(det, engine="vector", seed=42)
    rs = sc.simulate(_ga_ban(rnd), engine="vector", seed=42, n_runs=4)
    rb = sc.simulate(rnd, engine="vector", seed=42, n_runs=4)
    for w in (1, 3, 5, 7):
        mean, runs = world_loss(rs, rb, w)
        print(f"gallium ban, window {w}: random lead times {mean:.1f} (runs {runs.min():.1f}-{runs.max():.1f}), "
              f"deterministic {world_loss(ds, db, w)[0]:.1f}", flush=True)
    for w in (1, 5):
        print(f"gallium ban, pro rata, window {w}: random {world_loss(rs, rb, w, 'pro_rata')[0]:.0f}, "
              f"deterministic {world_loss(ds, db, w, 'pro_rata')[0]:.0f}", flush=True)
    print(f"gallium ban, DIIM, window 1: random {world_loss(rs, rb, 1, method='diim')[0]:.0f}, "
          f"deterministic {world_loss(ds, db, 1, method='diim')[0]:.0f}")


if __name__ == "__main__":
    main()
