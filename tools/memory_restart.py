"""After a month's stop of Korea's memory fabs: is it the restart or the buyers, and why the price moves little.

The expert reviewer's case of 4 Dec 2026: ``CapacityShock(facility="KR.fab.memory_wafer", fraction_lost=1.0)``
from 1 to 31 March 2025, vector engine, seed 1, 365 days, against the baseline on the same seed (the DES gives the
same output blocks). Printed, for the shipped case and two variants measured in the same run (``fraction_lost``
0.999, which keeps the fab above zero capacity so it does not restart cold, docs/model.md §5.4.2; and every other
memory fab cut by 10 % for the year against the same cut without the stop, rivals without spare capacity):
Korea's fab's output and its rivals' in 30-day blocks from 1 March (share of the run without the stop); the days of
its steady output it withheld and made back; whether its buyers came back (its finished wafers and what it owes);
the Korean packager's wafer stock and what its incumbent suppliers owe it; Taiwan's packagers' wafers by origin; the
peaks of the memory-wafer and memory-chip price indices; the memory chips users went without. docs/model.md §6.6
("A month's full stop of Korea's memory fabs") and O-25 report them.

Usage: ``python -m tools.memory_restart``.
"""

from __future__ import annotations

import warnings

import numpy as np

FAB = "KR.fab.memory_wafer"
SHOCK = dict(facility=FAB, start="2025-03-01", end="2025-03-31")
PACKAGER = "KR.packaging.memory_chip"
SEED = 1


def main() -> None:
    import supplychain as sc
    from supplychain import CapacityShock
    warnings.filterwarnings("ignore", message="CapacityShock")
    base = sc.load_baseline(horizon_days=365)
    net = base.network
    fabs = [(k, f) for k, f in enumerate(net.facilities) if f.output == "memory_wafer"]
    kr = next(k for k, f in fabs if f.id == FAB)
    rivals = [k for k, f in fabs if f.region != "KR" and f.id.split(".")[1] == "fab"]
    no_slack = [CapacityShock(facility=f.id, fraction_lost=0.1, start="2025-01-01") for _, f in fabs if f.id != FAB]
    ref = sc.simulate(base, engine="vector", seed=SEED)
    cases = (("as shipped (fraction_lost 1.0)", [CapacityShock(fraction_lost=1.0, **SHOCK)], ref),
             ("fraction_lost 0.999 (no cold restart)", [CapacityShock(fraction_lost=0.999, **SHOCK)], ref),
             ("rivals without spare capacity", [CapacityShock(fraction_lost=1.0, **SHOCK)] + no_slack,
              sc.simulate(base.with_shocks(*no_slack), engine="vector", seed=SEED)))
    stocks = list(ref.coords.stock)
    p_ref = ref.values("price")[0][0]
    chips = [i for i, d in enumerate(net.demands) if d.commodity == "memory_chip"]
    for name, shocks, b in cases:
        r = sc.simulate(base.with_shocks(*shocks), engine="vector", seed=SEED)
        P, P0 = r.values("production")[0], b.values("production")[0]
        steady = P0[10, kr]
        print(f"\n{name}")
        for label, ks in (("Korea's fab", [kr]), ("rival fabs ", rivals)):
            blocks = " ".join(f"{P[t:t + 30, ks].sum() / P0[t:t + 30, ks].sum():.2f}" for t in range(59, 365, 30))
            print(f"  {label} output by 30 days from 1 Mar: {blocks}; days 89-198 "
                  f"{P[89:199][:, ks].sum() / P0[89:199][:, ks].sum():.2f}; year {P[:, ks].sum() / P0[:, ks].sum():.4f}")
        gap = P0[:, kr] - P[:, kr]
        print(f"  Korea's fab withheld {gap[:131].clip(0).sum() / steady:.1f} days of its steady output to day 130, "
              f"made back {-gap[131:].clip(None, 0).sum() / steady:.1f}, net {gap.sum() / steady:.1f} "
              f"({gap.sum() / P0[:, kr].sum():.1%} of its year)")
        inv, owed = r.values("inventory")[0], r.values("backlog")[0]
        out = stocks.index(f"{FAB}:memory_wafer")
        lanes_out = [k for k, l in enumerate(net.lanes) if l.origin == FAB]
        empty = np.flatnonzero(inv[:, out] <= 1e-6 * inv[0, out])
        due = owed[:, lanes_out].sum(axis=1)
        print(f"  its finished wafers empty on {len(empty)} days ({empty.min() if len(empty) else '-'}-"
              f"{empty.max() if len(empty) else '-'}: it ships what it makes on the day); it owes its buyers on "
              f"{int((due[89:] > 0).sum())} of the {365 - 89} days from 31 Mar, at most {due[89:].max() / steady:.1f} "
              f"days of its output")
        into = [(k, l) for k, l in enumerate(net.lanes) if l.destination == PACKAGER and l.commodity == "memory_wafer"
                and b.values("flow")[0][10, k] > 0]
        use = sum(b.values("flow")[0][10, k] for k, _ in into)
        die = inv[:, stocks.index(f"{PACKAGER}:memory_wafer")] / use
        print(f"  Korean packager's wafers (days of its use): " + ", ".join(f"day {t} {die[t]:.1f}" for t in
                                                                              (59, 89, 95, 150, 240, 300, 364)))
        print("  owed to it on day 150 (days of its use): " + ", ".join(
            f"{l.origin} {owed[150, k] / use:.1f}" for k, l in into))
        flow, flow0 = r.values("flow")[0], b.values("flow")[0]
        tw = [(k, l) for k, l in enumerate(net.lanes) if l.commodity == "memory_wafer" and l.destination.startswith("TW.")]
        tot, tot0 = sum(flow[:, k].sum() for k, _ in tw), sum(flow0[:, k].sum() for k, _ in tw)
        print("  Taiwan's packagers' wafers by origin: " + ", ".join(
            f"{g} {sum(flow0[:, k].sum() for k, l in tw if l.origin.startswith(g + '.')) / tot0:.1%} -> "
            f"{sum(flow[:, k].sum() for k, l in tw if l.origin.startswith(g + '.')) / tot:.1%}" for g in ("TW", "KR", "CN")))
        price = r.values("price")[0]
        peaks = []
        for c in ("memory_wafer", "memory_chip"):
            ix = [i for i, s in enumerate(stocks) if s.endswith(":" + c)]
            rel = price[:, ix] / p_ref[ix]
            t, j = np.unravel_index(int(np.argmax(rel)), rel.shape)
            peaks.append(f"{c} {rel[t, j]:.2f} ({stocks[ix[j]].split('.')[0]}, day {t})")
        print("  price index peaks: " + "; ".join(peaks))
        short = r.values("unmet")[0][:, chips].sum() - b.values("unmet")[0][:, chips].sum()
        print(f"  memory chips users went without: {short:,.0f} units")


if __name__ == "__main__":
    main()
