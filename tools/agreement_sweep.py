"""Engine agreement sweep: small deterministic variants of the routing, reach and patience networks.

Usage (from the repository root)::

    python -m tools.agreement_sweep --seed 7 --minutes 20 --out sweep.jsonl
    python -m tools.agreement_sweep --seed 7 --cases 640 --minutes 60   # the same cases, to compare two versions

Each case draws 1-3 plants (optionally fed by one mine), their capacities, output policies (BaseStock,
DaysOfCover, MinMax), cycle times, lead times, shares, patience and qualification, one buyer
(DaysOfCover, BaseStock or MinMax; lost sales or backorders; panic) and one or two capacity shocks,
runs both engines with fixed lead times and compares every recorded array against the engines'
contract (1e-9 absolute plus 1e-9 relative, as ``tests/conftest.py::assert_engines_agree``). A case's
parameters are in its line, so ``build(p)`` reproduces it. A disagreement is either a rule the engines
read differently (a jump on one day) or a loop of the model that amplifies the engines' rounding
residues (a difference growing day by day; the vector engine alone then amplifies a 1e-13 change of
an input alike).
"""

from __future__ import annotations

import argparse
import json
import random
import time

import numpy as np

from supplychain.model import (BaseStock, CapacityShock, Commodity, DaysOfCover, Demand, Facility, Lane,
                               MinMax, Network, Region, Scenario)
from supplychain.run import simulate


def build(p: dict) -> Scenario:
    """The scenario of one drawn case ``p`` (see `draw`)."""
    regions = [Region(r) for r in ("CN", "KR", "JP", "US")]
    comms = [Commodity("w", "unit", 1.0, chain=p["chain"])]
    facs, lanes = [], []
    if p["upstream"]:
        comms.append(Commodity("ore", "t", 0.5, chain=p["chain"]))
        facs.append(Facility("JP.mine", "JP", "mine", "ore", p["mine_cap"],
                             policies={"ore": BaseStock(p["mine_target"])}))
    for s in p["suppliers"]:
        pol = {"BS": lambda: BaseStock(s["target"]), "DC": lambda: DaysOfCover(s["cover"]),
               "MM": lambda: MinMax(s["target"], s["target"] + s["gap"])}[s["policy"]]()
        recipe = {"ore": s["ratio"]} if p["upstream"] else {}
        facs.append(Facility(f"{s['region']}.plant", s["region"], "plant", "w", s["cap"], recipe=recipe,
                             policies={"w": pol}, cycle_time_days=s["cycle"]))
        if p["upstream"]:
            lanes.append(Lane("JP.mine", f"{s['region']}.plant", "ore", lead_time=p["mine_lead"]))
        lanes.append(Lane(f"{s['region']}.plant", "US.w", "w", lead_time=s["lead"], share=s["share"],
                          patience_days=s["patience"], qualification_days=s["qual"]))
    bp = p["buyer"]
    pol = {"BS": lambda: BaseStock(bp["level"]), "DC": lambda: DaysOfCover(bp["cover"]),
           "MM": lambda: MinMax(bp["s"], bp["S"])}[bp["policy"]]()
    dem = Demand("US.w", "US", "w", bp["rate"], policy=pol, unmet=bp["unmet"], panic=bp["panic"])
    net = Network(regions=tuple(regions), commodities=tuple(comms), facilities=tuple(facs), lanes=tuple(lanes),
                  demands=(dem,))
    shocks = [CapacityShock(facility=sh["facility"], fraction_lost=sh["fraction"], start=sh["start"], end=sh["end"],
                            recovery_days=sh["recovery"]) for sh in p["shocks"]]
    return Scenario(net, horizon_days=p["horizon"]).with_shocks(*shocks)


def draw(rng: random.Random) -> dict:
    """One case: 1-3 plants (optionally fed by a mine) serving one buyer, with 1-2 capacity shocks."""
    n = rng.choice([1, 2, 2, 2, 3])
    regs = ["CN", "KR", "JP"][:n]
    rate = rng.choice([5.0, 10.0, 10.0, 7.5, 6.0])
    raw = [rng.choice([1, 2, 3, 5, 7, 9]) for _ in regs]
    shares = [round(r / sum(raw), 4) for r in raw]
    sups = []
    for r, sh in zip(regs, shares):
        flow = rate * sh
        sups.append(dict(region=r, share=sh,
                         cap=rng.choice([flow, flow * 1.5, flow * 2, 40.0, round(flow * 0.8, 3), 10.0, 4.0]),
                         policy=rng.choice(["BS", "BS", "DC", "MM"]),
                         target=rng.choice([flow, flow + 5, 20.0, 41.0, 15.0]),
                         gap=rng.choice([5.0, 10.0, 20.0]), cover=rng.choice([0, 1, 5, 10]),
                         lead=rng.choice([1.0, 2.0, 2.0, 3.0, 2.5, 5.0]),
                         patience=rng.choice([None, 15.0, 30.0, 60.0, 90.0, 120.0]),
                         qual=rng.choice([None, None, None, 10.0, 30.0]), cycle=rng.choice([0, 0, 0, 3, 7]),
                         ratio=rng.choice([1.0, 2.0])))
    pol = rng.choice(["BS", "DC", "DC", "MM", "MM"])
    s_ = rng.choice([40.0, 50.0, 80.0, 60.0]); S_ = s_ + rng.choice([10.0, 20.0, 20.0, 30.0, 5.0])
    buyer = dict(rate=rate, policy=pol, level=rng.choice([20.0, 40.0, 100.0]), cover=rng.choice([5, 10, 10, 20, 30]),
                 s=s_, S=S_, unmet=rng.choice(["lost", "lost", "backorder"]), panic=rng.choice([0.0, 0.0, 0.5, 1.0]))
    shocks = []
    for _ in range(rng.choice([1, 1, 2])):
        f = rng.choice(sups)["region"] + ".plant" if not (rng.random() < 0.15) else "JP.mine"
        start = rng.choice([3, 5, 10, 20])
        end = rng.choice([None, start + 5, start + 10, start + 30, start + 60, start + 90])
        shocks.append(dict(facility=f, fraction=rng.choice([0.3, 0.5, 0.7, 1.0, 1.0]), start=start, end=end,
                           recovery=rng.choice([0, 0, 5, 10, 20])))
    upstream = rng.random() < 0.3
    if not upstream:
        shocks = [s for s in shocks if s["facility"] != "JP.mine"] or [
            dict(facility=sups[0]["region"] + ".plant", fraction=1.0, start=5, end=35, recovery=0)]
    return dict(chain=rng.choice(["other", "other", "minerals", "semiconductors", "batteries"]),
                suppliers=sups, buyer=buyer,
                shocks=shocks, horizon=rng.choice([120, 150, 200]), upstream=upstream,
                mine_cap=rng.choice([20.0, 40.0, 12.0]), mine_target=rng.choice([10.0, 20.0, 40.0]),
                mine_lead=rng.choice([1.0, 3.0, 10.0]))


def compare(a, b) -> list:  # type: ignore[no-untyped-def]
    """(first day, array, index, vector value, SimPy value) of each array beyond the 1e-9 contract."""
    out = []
    for name in a.arrays:
        x, y = np.asarray(a.arrays[name], float), np.asarray(b.arrays[name], float)
        d = np.abs(x - y)
        bad = d > 1e-9 + 1e-9 * np.abs(y)
        bad |= np.isnan(x) != np.isnan(y)
        if bad.any():
            idx = np.argwhere(bad); k = idx[np.argmin(idx[:, 1])]
            out.append((int(k[1]), name, tuple(int(v) for v in k), float(x[tuple(k)]), float(y[tuple(k)])))
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7, help="the sweep's seed; case i uses seed * 100000 + i")
    ap.add_argument("--minutes", type=float, default=20.0, help="wall time to spend")
    ap.add_argument("--cases", type=int, default=None,
                    help="stop after this many cases (case i is the same for a seed, so two versions can be compared)")
    ap.add_argument("--out", default="agreement_sweep.jsonl", help="one JSON line per case")
    a = ap.parse_args()
    t0 = time.time()
    i = nbad = nerr = 0
    with open(a.out, "a") as fh:
        while time.time() - t0 < a.minutes * 60 and (a.cases is None or i < a.cases):
            p = draw(random.Random(a.seed * 100000 + i))
            try:
                sc = build(p)
                diffs = compare(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))
                rec = dict(i=i, seed=a.seed, ok=not diffs, diffs=diffs[:6], p=p)
                nbad += bool(diffs)
            except Exception as e:  # a case the model refuses is counted, not fatal
                nerr += 1
                rec = dict(i=i, seed=a.seed, error=f"{type(e).__name__}: {e}"[:300], p=p)
            fh.write(json.dumps(rec, default=str) + "\n")
            fh.flush()
            i += 1
    print(f"cases {i}, disagree {nbad}, refused {nerr}")


if __name__ == "__main__":
    main()
