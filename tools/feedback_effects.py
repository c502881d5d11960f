"""What price feedback changes: the shipped scenarios of docs/assumptions.md run with it off and on.

Prints one line per scenario and setting (vector engine, single runs on each scenario's seed):

- example 06, China's graphite ban Mar-Aug 2025: Li-ion cell output by region against the baseline;
- example 02, Japan's 2019 licences on photoresist and HF to Korea (10 runs, without Korea's response):
  output of Korea's installed memory fabs, its new memory capacity and its logic fabs;
- the README's gallium ban (from 1 March, and from day 0): value added lost (world, US) and the chain's
  shortfall, and the world's run rate of loss at the end of the year;
- the flagship (``taiwan_blockade_magnets``): value added lost, chain shortfall, magnet price peaks;
- example 09, the 2021 chip shortage: value added lost, the change in chips not delivered and the chip
  demand below the unshocked run's (all at reference prices), and motor vehicles lost (C29 output);
- the other shipped scenarios, a one-year germanium ban and example 07's US magnet tariff: value added
  lost and the three highest price index peaks.

Run: ``PYTHONPATH=$PWD python tools/feedback_effects.py [ex06 ex02 ga flagship ex09]`` (about a minute of
CPU in all).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

import numpy as np

import supplychain as sc
from supplychain.analytics.impact import chain_shortfall_usd
from supplychain.metrics import loss_run_rate
from supplychain.model import ExportControl, Uniform
from supplychain.plotting.prices import market_prices
from supplychain.run.simulate import identical_runs_expected


def _va(shocked: sc.Results, base: sc.Results) -> str:
    rate = loss_run_rate(shocked, base)
    short = float((chain_shortfall_usd(shocked) - chain_shortfall_usd(base)).mean())
    world, us = rate.loc["ALL", "loss_usd"] / 1e9, rate.loc["US", "loss_usd"] / 1e9
    return f"value added lost world {world:.2f} bn, US {us:.2f} bn; chain shortfall {short / 1e9:.2f} bn"


def ex06(feedback: bool) -> str:
    base = sc.load_baseline(horizon_days=365).replace(price_feedback=feedback)
    ban = [ExportControl(exporter="CN", commodity=c, mode="ban", start="2025-03-01", end="2025-09-01")
           for c in ("graphite_ore", "graphite_spherical", "aam", "aam_synthetic")]
    b, s = sc.simulate(base, seed=2025), sc.simulate(base.with_shocks(*ban), seed=2025)
    cells = {r: f"{r}.cell_plant.li_ion_cell" for r in ("JP", "KR", "US", "CN", "ROW")}
    return "cell output " + ", ".join(
        f"{r} {float(s.series('production', f).sum()) / float(b.series('production', f).sum()) - 1:+.1%}"
        for r, f in cells.items())


def ex02(feedback: bool) -> str:
    base = sc.load_baseline(horizon_days=365, start_date=dt.date(2019, 6, 1)).replace(price_feedback=feedback)
    controls = [ExportControl(exporter="JP", commodity=c, destinations=["KR"], mode="licence",
                              approval_probability=0.9, processing_delay=Uniform(30.0, 90.0),
                              start=dt.date(2019, 7, 4), announced=dt.date(2019, 7, 1))
                for c in ("photoresist", "hf_high_purity")]
    with identical_runs_expected():
        b = sc.simulate(base, engine="vector", n_runs=10, seed=2019)
    s = sc.simulate(base.with_shocks(*controls), engine="vector", n_runs=10, seed=2019)
    parts = []
    for fac in ("KR.fab.memory_wafer", "KR.fab_new.memory_wafer", "KR.fab.logic_wafer"):
        i = s.coords.index("facility", fac)
        lost = 1 - s.production[:, :, i].sum(axis=1) / b.production[:, :, i].sum(axis=1)
        parts.append(f"{fac.split('.', 1)[1]} {-lost.mean():+.1%}")
    return "Korean output " + ", ".join(parts)


def gallium(feedback: bool) -> str:
    base = sc.load_baseline(horizon_days=365).replace(price_feedback=feedback)
    b = sc.simulate(base, engine="vector", seed=42)
    out = []
    for start in ("2025-03-01", "2025-01-01"):
        ban = [ExportControl(exporter="CN", commodity=c, mode="ban", start=start)
               for c in ("gallium", "gallium_crude", "compound_wafer")]  # as tools/ga_flow.GALLIUM_ITEMS
        s = sc.simulate(base.with_shocks(*ban), engine="vector", seed=42)
        rate = loss_run_rate(s, b).loc["ALL", "run_rate_usd_per_year"] / 1e9
        out.append(f"from {start[5:]}: {_va(s, b)}, run rate at the end {rate:.1f} bn/yr")
    return "; ".join(out)


def flagship(feedback: bool) -> str:
    scenario = sc.load_example("taiwan_blockade_magnets").replace(price_feedback=feedback)
    seed = scenario.seed if scenario.seed is not None else 2025
    s = sc.simulate(scenario, engine="vector", seed=seed)
    b = sc.simulate(scenario.replace(shocks=(), responses=()), engine="vector", seed=seed)
    regions, index = market_prices(s, "ndfeb_magnet")
    peaks = " ".join(f"{r} {index[0, :, k].max():.2f}" for k, r in enumerate(regions) if r != "CN")
    return f"{_va(s, b)}; magnet price peaks {peaks}"


def ex09(feedback: bool) -> str:
    from supplychain.datasets.chip_shortage_2021 import LEAD_IN, shortage_2021, vehicles_lost
    from supplychain.impact import load_io_table
    scenario = shortage_2021(365).replace(price_feedback=feedback)
    s, b = sc.simulate(scenario, engine="vector", seed=2021), sc.simulate(scenario.without_shocks(), engine="vector",
                                                                          seed=2021)
    price = {c.id: c.price_usd for c in scenario.network.commodities}
    chips = [i for i, k in enumerate(s.coords.commodity["demand"]) if k.endswith("_chip")]
    p = np.array([price[s.coords.commodity["demand"][i]] for i in chips])
    demand = [float((r.arrays["demand"][0][:, chips].sum(axis=0) * p).sum()) for r in (s, b)]
    units = vehicles_lost(s, b, load_io_table(), LEAD_IN)[0].sum()
    return (f"{_va(s, b)}; chip demand below the unshocked run's {(demand[1] - demand[0]) / 1e9:+.2f} bn; "
            f"vehicles lost {units / 1e6:.1f} M")


def _peaks(res: sc.Results, n: int = 3) -> str:
    """The ``n`` highest price index peaks over markets (commodity and region): the price over the reference."""
    co, price = res.coords, res.arrays["price"][0]
    ref = {c.id: c.price_usd for c in res.scenario.network.commodities}
    idx = price / np.array([ref[c] for c in co.commodity["stock"]])[None, :]
    first: dict[tuple[str, str], int] = {}
    for i, key in enumerate(zip(co.commodity["stock"], co.region["stock"])):
        first.setdefault(key, i)
    top = sorted(((float(idx[:, i].max()), k) for k, i in first.items()), reverse=True)[:n]
    return ", ".join(f"{r} {c} {v:.2f}" for v, (c, r) in top)


def others(feedback: bool) -> str:
    """The other shipped scenarios: value added lost (world) and the three highest price peaks."""
    base = sc.load_baseline(horizon_days=365)
    cases = {name: sc.load_example(name) for name in ("gallium_germanium_2023", "china_graphite_2023",
                                                       "section301_2024", "equipment_controls_china",
                                                       "japan_korea_2019")}
    cases["germanium ban"] = base.with_shocks(*(ExportControl(exporter="CN", commodity=c, mode="ban", start=0)
                                                for c in ("germanium", "germanium_conc")))
    cases["example 07"] = base.with_shocks(sc.Tariff(importer="US", exporter="CN", commodity="ndfeb_magnet",
                                                     rate=1.0, start="2025-02-01"))
    out = []
    for name, scenario in cases.items():
        scenario = scenario.replace(price_feedback=feedback)
        seed = scenario.seed if scenario.seed is not None else 2025
        s = sc.simulate(scenario, engine="vector", seed=seed)
        b = sc.simulate(scenario.replace(shocks=(), responses=()), engine="vector", seed=seed)
        out.append(f"{name}: VA {loss_run_rate(s, b).loc['ALL', 'loss_usd'] / 1e9:.2f} bn, peaks {_peaks(s)}")
    return "\n    " + "\n    ".join(out)


CASES: dict[str, Callable[[bool], str]] = {"ex06": ex06, "ex02": ex02, "ga": gallium, "flagship": flagship,
                                           "ex09": ex09, "others": others}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("cases", nargs="*", metavar="CASE",
                        help=f"scenarios to run, of {', '.join(CASES)} (default: all)")
    args = parser.parse_args()
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; expected one of {', '.join(CASES)}")
    for name in args.cases or CASES:
        for feedback in (False, True):
            print(f"{name:9} feedback {'on ' if feedback else 'off'}: {CASES[name](feedback)}", flush=True)


if __name__ == "__main__":
    main()
