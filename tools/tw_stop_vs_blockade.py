"""A stop of every Taiwanese fab against a blockade of Taiwan of the same length: what each withholds, what covers it.

Both shocks start on the same day (1 March, day 59, the flagship's) and run on the same horizon (730 days, so
the losses after either shock count in full), on the deterministic baseline:

* **fab stop**: every ``TW`` facility of stages ``fab`` and ``fab_new`` loses all capacity for ``D`` days
  (``tools.tw_fab_outage.outage``), then restarts cold (``docs/model.md`` §5.4.2): it withholds about
  ``D + 29`` days of its output, while Taiwan's packagers and every stock downstream of the fabs keep
  shipping;
* **blockade**: every international lane to or from Taiwan is closed for ``D`` days (a ``LogisticsShock``
  with ``through="TW"``, the flagship's without its magnet ban): everything made or held in Taiwan, its
  packagers' chips and its fabs' finished wafers included, is cut off, and only the stocks abroad cover it.

It prints the chain shortfall (chips, cells and magnets not delivered, USD at reference prices) and the world
value added lost (``docs/model.md`` §8.3) of each, by end-use segment; with ``--stages D``, for advanced logic and
foundry-made mature-node chips, the days of steady use held at each stage in Taiwan and abroad at checkpoints
after the start, and the chips withheld from users outside Taiwan so far (cumulative, in days of their steady
use). The baseline's foundry-chip packagers are split by the region of the fab behind their wafers
(``tools/baseline/packagers.py``): the packaged chips of each foundry's designs are a good of their own down to
their users (O-15 in ``docs/model.md`` §13). `split_packagers` splits another network the same way; the
``--split`` option it served is retired, the baseline being split already.

``--lng`` adds the blockade's cut of Taiwan's LNG (`blockade`): after its 11 days of gas, the fabs lose the
gas-fired 39.6 % of Taiwan's power, an optional shock the flagship leaves out.

Usage: ``python -m tools.tw_stop_vs_blockade [--days 30,60,90] [--horizon 730] [--start 59] [--engine vector]
[--lng] [--stages 60]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import warnings
from collections.abc import Callable, Sequence

import numpy as np

import supplychain as sc
from supplychain import CapacityShock, LogisticsShock
from supplychain.analytics import chain_shortfall_usd
from supplychain.compile.compiler import Compiled, compile_scenario
from tools.tw_fab_outage import by_class, outage

START = 59  # 1 March 2025, the flagship's blockade start
#: Foundry wafer -> the chip its packagers make (the IDMs' own wafers have no Taiwanese fab).
FOUNDRY = (("logic_wafer", "logic_chip"), ("mature_wafer", "mature_chip"))
CHECKPOINTS = (-1, 15, 30, 45, 60, 75, 90, 105, 120, 150, 180, 240)


#: Days of natural gas Taiwan holds: "natural gas reserves are at a level equivalent to 10 to 11 days of local
#: consumption" (Ministry of Economic Affairs, statement of 3 Aug 2022, Taipei Times, 4 Aug 2022).
LNG_DAYS = 11
#: Share of Taiwan's power generated from gas, 2023: 39.6 % (Energy Administration, Ministry of Economic Affairs,
#: power generation statistics 2023; gas 99 % imported as LNG).
GAS_POWER = 0.396


def blockade(base: sc.Scenario, days: int, start: int = START, lng: bool = False) -> sc.Scenario:
    """``base`` with every international lane to or from Taiwan closed for ``days`` from ``start``.

    With ``lng``, the blockade also stops Taiwan's LNG: once its ``LNG_DAYS`` of gas are burnt, the grid
    loses the gas-fired ``GAS_POWER`` of its generation until the lanes reopen, and every Taiwanese fab
    loses as much of its capacity (an assumption: power rationed in proportion, fabs not spared; coal's 39
    days and the 146 of crude oil, MOEA 2022, outlast the blockades compared here). An optional shock: the
    flagship scenario leaves it out.

    Examples
    --------
    >>> s = blockade(sc.load_baseline(horizon_days=200), 60, lng=True)
    >>> [type(x).__name__ for x in s.shocks]
    ['LogisticsShock', 'CapacityShock', 'CapacityShock']
    >>> s.shocks[1].start, s.shocks[1].end, s.shocks[1].fraction_lost
    (70, 119, 0.396)
    """
    shocks = [LogisticsShock(through="TW", closed=True, start=start, end=start + days)]
    if lng and days > LNG_DAYS:
        shocks += [CapacityShock(region="TW", stage=stage, fraction_lost=GAS_POWER, start=start + LNG_DAYS,
                                 end=start + days) for stage in ("fab", "fab_new")]
    return base.with_shocks(*shocks)


def split_packagers(base: sc.Scenario, pairs: Sequence[tuple[str, str]] = FOUNDRY) -> sc.Scenario:
    """``base`` with every packager of each ``(wafer, chip)`` pair split by the region of the fab behind its wafers.

    A packager ``P`` buying a share ``w_r`` of its wafers from region ``r``'s fabs becomes one packager
    ``P.r`` per region, with ``w_r`` of its capacity, the wafer lanes from ``r`` and a copy of each of its
    chip lanes with ``w_r`` of the lane's share; a potential alternate (share 0) goes to every part whose
    region it is not. Each region's designs are then a good of their own from the fab to the user, so a
    user's stock of one foundry's chips no longer covers another's. The shipped baseline is split so
    already (``tools/baseline/packagers.py``): a packager that buys from one region's fabs only is left
    as it is, so the function changes nothing there; it splits other networks the same way.

    Examples
    --------
    >>> base = sc.load_baseline(horizon_days=10)
    >>> split_packagers(base).network == base.network
    True
    >>> sorted(f.id for f in base.network.facilities if f.id.startswith("KR.packaging.logic_chip"))
    ['KR.packaging.logic_chip.KR', 'KR.packaging.logic_chip.TW']
    """
    net = base.network
    for wafer, chip in pairs:
        region = {f.id: f.region for f in net.facilities}
        shares: dict[str, dict[str, float]] = {}
        for f in net.facilities:
            if f.output != chip or f.stage != "packaging":
                continue
            inflow = [lane for lane in net.lanes if lane.destination == f.id and lane.commodity == wafer
                      and lane.share > 0]
            total = sum(lane.share for lane in inflow)
            by: dict[str, float] = {}
            for lane in inflow:
                by[region[lane.origin]] = by.get(region[lane.origin], 0.0) + lane.share / total
            if len(by) > 1:
                shares[f.id] = by
        facilities = []
        for f in net.facilities:
            if f.id in shares:
                facilities += [dataclasses.replace(f, id=f"{f.id}.{r}", capacity_per_day=f.capacity_per_day * w)
                               for r, w in shares[f.id].items()]
            else:
                facilities.append(f)
        lanes = []
        for lane in net.lanes:
            if lane.destination in shares and lane.commodity == wafer:
                to = [region[lane.origin]] if lane.share > 0 else [r for r in shares[lane.destination]
                                                                   if r != region[lane.origin]]
                lanes += [dataclasses.replace(lane, destination=f"{lane.destination}.{r}") for r in to]
            elif lane.origin in shares:
                lanes += [dataclasses.replace(lane, origin=f"{lane.origin}.{r}", share=lane.share * w)
                          for r, w in shares[lane.origin].items()]
            else:
                lanes.append(lane)
        net = dataclasses.replace(net, facilities=tuple(facilities), lanes=tuple(lanes))
    return dataclasses.replace(base, network=net)


def stage_days(c: Compiled, arrays: dict[str, np.ndarray], ref: dict[str, np.ndarray], wafer: str,
               chip: str) -> dict[str, np.ndarray]:
    """Days of steady use held at each stage of one foundry chip class, in Taiwan and abroad, per day.

    ``arrays`` and ``ref`` are one run's recorded series (run 0) of the shocked and the unshocked scenario;
    each stage is divided by its mean daily throughput in ``ref``. The last row is the chips withheld so far
    from users outside Taiwan: the cumulative shortfall of what reached them against ``ref``, in days of
    their steady use.
    """
    fac = c.scenario.network.facilities
    tw_fabs = [k for k, f in enumerate(fac) if f.region == "TW" and f.output == wafer]
    pk = [k for k, f in enumerate(fac) if f.output == chip and f.stage == "packaging"]
    home, abroad = [k for k in pk if fac[k].region == "TW"], [k for k in pk if fac[k].region != "TW"]
    origin = np.asarray(c.lane_origin)

    def lanes_from(ks: list[int]) -> np.ndarray:
        return np.flatnonzero(np.isin(origin, ks))

    def die_bank(ks: list[int]) -> list[int]:
        return [int(s) for k in ks for s in c.recipe_stock[k] if s < len(c.stock_commodity)
                and c.stock_commodity[s] == wafer]

    def mean_flow(lanes: np.ndarray) -> float:
        return float(ref["flow"][:, lanes].sum(axis=1).mean())

    wafer_lanes = lanes_from(tw_fabs)
    into = {name: np.flatnonzero(np.isin(c.lane_dst_stock, die_bank(ks)))
            for name, ks in (("TW", home), ("abroad", abroad))}
    out = {"TW": lanes_from(home), "abroad": lanes_from(abroad)}
    users = [d for d, dem in enumerate(c.scenario.network.demands) if dem.commodity == chip and dem.region != "TW"]
    to_users = np.flatnonzero(np.isin(c.lane_dst_stock, c.demand_stock[users]))
    per = {"fab": mean_flow(wafer_lanes), "users": mean_flow(to_users)}
    rows: dict[str, np.ndarray] = {
        "TW fabs' work in progress": arrays["wip"][:, tw_fabs].sum(axis=1) / per["fab"],
        "TW fabs' finished wafers": arrays["inventory"][:, c.out_stock[tw_fabs]].sum(axis=1) / per["fab"],
        "TW wafers in transit": arrays["in_transit"][:, wafer_lanes].sum(axis=1) / per["fab"]}
    for where, ks in (("TW", home), ("abroad", abroad)):
        rows[f"die bank, packagers {where}"] = (arrays["inventory"][:, die_bank(ks)].sum(axis=1)
                                                / mean_flow(into[where]))
        rows[f"packaging work, {where}"] = arrays["wip"][:, ks].sum(axis=1) / mean_flow(out[where])
        rows[f"finished chips, packagers {where}"] = (arrays["inventory"][:, c.out_stock[ks]].sum(axis=1)
                                                      / mean_flow(out[where]))
        rows[f"chips in transit from {where}"] = arrays["in_transit"][:, out[where]].sum(axis=1) / mean_flow(out[where])
    for seg in ("automotive", "industrial", "electronics"):
        ds = [d for d in users if c.scenario.network.demands[d].segment == seg]
        rate = sum(c.scenario.network.demands[d].rate_per_day for d in ds)
        rows[f"users' stock abroad, {seg}"] = arrays["inventory"][:, c.demand_stock[ds]].sum(axis=1) / rate
    rows["withheld from users abroad"] = np.cumsum(ref["flow"][:, to_users].sum(axis=1)
                                                   - arrays["flow"][:, to_users].sum(axis=1)) / per["users"]
    return rows


def _segments(res: sc.Results, ref: sc.Results) -> str:
    seg = by_class(res, ref, "segment")
    return ", ".join(f"{k} {v / 1e9:.2f}" for k, v in sorted(seg.items()) if abs(v) > 1e6) or "none"


def compare(base: sc.Scenario, days: Sequence[int], engine: str = "vector", start: int = START,
            report: Callable[[str], None] = print, lng: bool = False) -> dict[tuple[str, int], tuple[float, float]]:
    """Chain shortfall and world value added lost (USD) of each shock and length, against the unshocked run.

    Returns ``{(shock, days): (shortfall, value added lost)}`` with ``shock`` ``"fab stop"`` or ``"blockade"``
    and prints one line per length through ``report``; with ``lng`` the blockade also cuts Taiwan's LNG
    (`blockade`).
    """
    ref = sc.simulate(base, engine=engine, seed=1)
    ref_short, ref_va = float(chain_shortfall_usd(ref)[0]), float(ref.value_added_loss().total.sum())
    out: dict[tuple[str, int], tuple[float, float]] = {}
    report(f"{'days':>5} {'fab stop: short / VA lost':>27} {'blockade: short / VA lost':>27} {'ratio':>6}")
    for d in days:
        segs = []
        for name, shocked in (("fab stop", outage(base, d, start=start)), ("blockade", blockade(base, d, start, lng))):
            res = sc.simulate(shocked, engine=engine, seed=1)
            out[name, d] = (float(chain_shortfall_usd(res)[0]) - ref_short,
                            float(res.value_added_loss().total.sum()) - ref_va)
            segs.append(f"{name} {_segments(res, ref)}")
        (s1, v1), (s2, v2) = out["fab stop", d], out["blockade", d]
        ratio = f"{s2 / s1:6.1f}" if s1 > 1e6 else f"{'-':>6}"
        report(f"{d:>5} {s1 / 1e9:>11.2f}bn / {v1 / 1e9:>9.1f}bn {s2 / 1e9:>11.2f}bn / {v2 / 1e9:>9.1f}bn {ratio}")
        report(f"{'':>6}by segment, bn: " + "; ".join(segs))
    return out


def stages(base: sc.Scenario, d: int, engine: str = "vector", start: int = START,
           report: Callable[[str], None] = print) -> None:
    """Print `stage_days` of both shocks of length ``d`` at the checkpoints (days after ``start``)."""
    c = compile_scenario(base)
    names = ("production", "inventory", "wip", "in_transit", "flow")
    runs = {"ref": base, "fab stop": outage(base, d, start=start), "blockade": blockade(base, d, start)}
    arrays = {k: {n: np.asarray(sc.simulate(s, engine=engine, seed=1).arrays[n])[0] for n in names}
              for k, s in runs.items()}
    days = [start + t for t in CHECKPOINTS if 0 <= start + t < c.n_days]
    for wafer, chip in FOUNDRY:
        report(f"\n{chip}, {d}-day shocks from day {start}: days of steady use held (withheld: cumulative)")
        report(f"{'days after the start':>44}" + "".join(f"{t - start:>6d}" for t in days))
        rows = {k: stage_days(c, arrays[k], arrays["ref"], wafer, chip) for k in ("fab stop", "blockade")}
        for name in rows["fab stop"]:
            for k in ("fab stop", "blockade"):
                report(f"{name:34s} {k:9s}" + "".join(f"{rows[k][name][t]:6.1f}" for t in days))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="vector")
    ap.add_argument("--horizon", type=int, default=730)
    ap.add_argument("--start", type=int, default=START)
    ap.add_argument("--days", default="30,60,90")
    ap.add_argument("--lng", action="store_true",
                    help=f"the blockade also cuts LNG: Taiwan's fabs lose {GAS_POWER * 100:.1f} %% of capacity after "
                         f"{LNG_DAYS} days")
    ap.add_argument("--stages", type=int, default=None, help="print the stage table for shocks of this length")
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    base = sc.load_baseline(horizon_days=a.horizon)
    print(f"engine {a.engine}, {a.horizon} days, shocks from day {a.start}"
          + (f"; the blockade cuts LNG: fabs lose {GAS_POWER:.1%} from day {LNG_DAYS}" if a.lng else ""))
    compare(base, [int(x) for x in a.days.split(",")], a.engine, a.start, lng=a.lng)
    if a.stages:
        stages(base, a.stages, a.engine, a.start)


if __name__ == "__main__":
    main()
