"""Example 09's onset: which stocks hold the automakers until the shortage reaches them, half-month by half-month.

Runs `supplychain.datasets.chip_shortage_2021.shortage_2021()` (the example's scenario, vector engine, seed
2021) and prints, for the first half and the second half of each month from October 2020 to July 2021, the
mature chips and wafers (foundry-made and IDM together; one wafer makes one chip's worth) held at each
stage, in days of 2019's mature-chip demand (the baseline's rate, the scale of every stock target):

- fabs: finished wafers in the fabs' output stocks, and their work in progress (40 days of cycle time);
- packagers: wafers in their input stocks, chips in their output stocks, their work in progress (10 days);
- pipeline: wafers and chips in transit on lanes, and the lanes' backlogs (ordered, not shipped);
- users: the automotive buyers' chips (in days of their own 2019 demand) and the other buyers';

then the fabs' output over their capacity, the automotive buyers' and the other buyers' extra shortfall
over their demand (against the unshocked run), and the largest quoted lead time above transport on a lane
to an automotive buyer. ``--lead-times`` traces the scenario with the Q4 2020 orders beyond output read from chip
lead times instead (``shortage_2021(backlog_2020=True)``). Last, both scenarios' vehicles lost by quarter of 2021 against
IHS Markit's: each quarter's automotive buyers' extra mature-chip shortfall share times the quarter's share of the
91.8 M vehicles of 2019 (world shares, not region by region as ``vehicles_lost``).

Run: ``PYTHONPATH=$PWD python tools/ex09_onset.py`` (about 20 s).
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np

import supplychain as sc
from supplychain.datasets.chip_shortage_2021 import (CHIPS, MATURE, ONSET, WORLD_VEHICLES_2019, automotive_timing,
                                                     shortage_2021)

SEED = 2021
#: Light vehicles not built for want of chips in each quarter of 2021, millions (IHS Markit: Q1 1.44, Q2 2.6, Q3 3.1 as
#: estimated in September; J. Bouchot, IHS Markit, to Les Echos, Sep 2021; Q1 "an estimated 1.4 million", IHS Markit,
#: Jul 2021; it had estimated 672,000 on 3 Feb and nearly 1 million on 16 Feb 2021, Reuters).
IHS_2021 = {"Q1 2021": 1.44, "Q2 2021": 2.6, "Q3 2021": 3.1}


def main(backlog: bool) -> None:
    """Print the trace of the example's scenario (with Q4 2020's orders beyond output if ``backlog``)."""
    scenario = shortage_2021(backlog_2020=backlog) if backlog else shortage_2021()
    res, base = (sc.simulate(s, engine="vector", seed=SEED) for s in (scenario, scenario.without_shocks()))
    net = scenario.network
    fac = {f.id: f for f in net.facilities}
    rate = sum(d.rate_per_day for d in net.demands if d.commodity in CHIPS)
    auto = [i for i, d in enumerate(net.demands) if d.commodity in CHIPS and d.segment == "automotive"]
    other = [i for i, d in enumerate(net.demands) if d.commodity in CHIPS and d.segment != "automotive"]
    auto_rate = sum(net.demands[i].rate_per_day for i in auto)
    stocks = res.coords.stock
    node = [s.split(":")[0] for s in stocks]
    com = [s.split(":")[1] for s in stocks]
    stage = [fac[n].stage if n in fac else "demand" for n in node]
    segment = {d.id: d.segment for d in net.demands}

    def pick(cond) -> list[int]:
        return [k for k in range(len(stocks)) if com[k] in MATURE and cond(k)]

    groups = {
        "fab out": pick(lambda k: stage[k].startswith("fab")),
        "pack in": pick(lambda k: stage[k] == "packaging" and com[k] in MATURE[1::2]),
        "pack out": pick(lambda k: stage[k] == "packaging" and com[k] in CHIPS),
        "users auto": pick(lambda k: stage[k] == "demand" and segment[node[k]] == "automotive"),
        "users other": pick(lambda k: stage[k] == "demand" and segment[node[k]] != "automotive"),
    }
    fabs = [j for j, f in enumerate(net.facilities) if f.output in MATURE[1::2]]
    packs = [j for j, f in enumerate(net.facilities) if f.output in CHIPS]
    lanes = [j for j, lane in enumerate(net.lanes) if lane.commodity in MATURE]
    auto_lanes = [j for j, lane in enumerate(net.lanes) if lane.commodity in CHIPS
                  and segment.get(lane.destination) == "automotive"]
    cap = np.array([net.facilities[j].capacity_per_day for j in fabs])
    lead = np.array([net.lanes[j].lead_time.mean for j in auto_lanes])
    inv, wip, a = res.arrays["inventory"][0], res.arrays["wip"][0], res.arrays
    gap = (res.demand - res.delivered - (base.demand - base.delivered))[0]
    day0 = scenario.start_date
    print(f"Example 09{' with Q4 2020 orders beyond output (lead times)' if backlog else ''}: mature chips and wafers by "
          "stage, days of 2019's demand (automotive users: of their own); mean over each half-month")
    head = ["fab out", "fab wip", "pack in", "pack out", "pack wip", "transit", "backlog", "users auto", "users other"]
    print(f"{'':13}" + "".join(f"{h:>12}" for h in head) + f"{'fab util':>10}{'auto short':>12}{'other short':>12}{'quote +d':>10}")
    for y, m in [(2020, 10), (2020, 11), (2020, 12)] + [(2021, m) for m in range(1, 8)]:
        for half in (0, 1):
            first = dt.date(y, m, 1 if half == 0 else 16)
            last = dt.date(y, m, 15) if half == 0 else (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1))
            sel = slice((first - day0).days, (last - day0).days + 1)
            row = [inv[sel][:, groups["fab out"]].sum(1).mean() / rate, wip[sel][:, fabs].sum(1).mean() / rate,
                   inv[sel][:, groups["pack in"]].sum(1).mean() / rate, inv[sel][:, groups["pack out"]].sum(1).mean() / rate,
                   wip[sel][:, packs].sum(1).mean() / rate, a["in_transit"][0][sel][:, lanes].sum(1).mean() / rate,
                   a["backlog"][0][sel][:, lanes].sum(1).mean() / rate, inv[sel][:, groups["users auto"]].sum(1).mean() / auto_rate,
                   inv[sel][:, groups["users other"]].sum(1).mean() / (rate - auto_rate)]
            util = (res.production[0][sel][:, fabs].sum(1) / cap.sum()).mean()
            short = [gap[sel][:, k].sum() / res.demand[0][sel][:, k].sum() for k in (auto, other)]
            quote = (a["quoted_lead_time"][0][sel][:, auto_lanes] - lead).max()
            print(f"{first:%d %b %Y}  " + "".join(f"{x:12.2f}" for x in row) + f"{util:10.1%}{short[0]:12.1%}{short[1]:12.1%}{quote:10.1f}")
    print("\nVehicles lost by quarter of 2021, millions (automotive buyers' chips; world shares):")
    days = {"Q1 2021": 90, "Q2 2021": 91, "Q3 2021": 92, "Q4 2021": 92}
    print(f"  {'':36}" + "".join(f"{q:>10}" for q in days) + f"{'first month > 1 %':>20}")
    for name, flag in (("model, the example", False), ("model, Q4 2020 orders beyond output", True)):
        other = shortage_2021(backlog_2020=flag)
        pair = (res, base) if flag == backlog else [sc.simulate(x, engine="vector", seed=SEED) for x in (other, other.without_shocks())]
        quarters, onset = automotive_timing(*pair)
        print(f"  {name:36}" + "".join(f"{quarters[q] * WORLD_VEHICLES_2019 * n / 365 / 1e6:10.2f}" for q, n in days.items())
              + f"{onset:>20}")
    print(f"  {'IHS Markit':36}" + "".join(f"{IHS_2021[q]:10.2f}" if q in IHS_2021 else f"{'':10}" for q in days) + f"{ONSET:>20}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--lead-times", action="store_true", help="add Q4 2020's orders beyond output read from chip lead times")
    main(parser.parse_args().lead_times)
