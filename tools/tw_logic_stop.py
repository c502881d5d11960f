"""Where a six-week stop of Taiwan's logic fabs goes: stocks drawn, Korea's rise, users' designs, the rent.

Taiwan's logic-wafer fab (``TW.fab.logic_wafer``) loses all its capacity from 1 March to 12 April (the expert
reviewer's case of 3 Dec 2026), vector engine, seed 7, against the baseline on the same seed, over ``--horizon``
days (365 or 730). Printed: the shortfall by end-use segment; the fab's output lost; the chain's logic wafers and
chips on the last day against the baseline's (on hand, in transit, in work); each tier's stock against the
baseline's on a few days; the users' stock of Taiwanese designs, Korean designs and the free part (their design
accounts, docs/model.md §5.6.6, read through a hook on `supplychain.engines.designs.settle`); Korean-design chips
delivered to users per month; and the scarcity rent with and without the fabs' utilisation term
(``--no-utilisation``). docs/model.md §6.6 ("A six-week stop of Taiwan's logic fabs") and O-23 report them.

Usage: ``python -m tools.tw_logic_stop [--horizon 365] [--second-source S] [--no-utilisation]``.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

SHOCK = dict(facility="TW.fab.logic_wafer", fraction_lost=1.0, start="2025-03-01", end="2025-04-12")
DAYS = (59, 90, 110, 150, 180, 240, 364, 540, 729)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    ap.add_argument("--horizon", type=int, default=365)
    ap.add_argument("--second-source", type=float, default=None, help="second-source share of logic wafers and chips")
    ap.add_argument("--no-utilisation", action="store_true", help="fabs do not price by utilisation")
    a = ap.parse_args(argv)
    os.environ["SUPPLYCHAIN_JIT"] = "off"   # the hook below reads the NumPy path of the design accounts
    import supplychain as sc
    from supplychain.engines import designs
    from supplychain.metrics.incidence import who_pays
    from supplychain.model import sourcing
    if a.second_source is not None:
        for k in ("logic_wafer", "logic_chip"):
            sourcing.SECOND_SOURCE_SHARE[k] = a.second_source
    if a.no_utilisation:
        import supplychain.compile.rules.prices as rules
        rules.UTILISATION_STAGES = frozenset()
    base = sc.load_baseline(horizon_days=a.horizon)
    b = sc.simulate(base, engine="vector", seed=7)
    kept: list[np.ndarray] = []
    spec: list = []
    settle = designs.settle

    def hook(ds, accounts, cl, extra):  # type: ignore[no-untyped-def]
        cap = settle(ds, accounts, cl, extra)
        kept.append(np.array(accounts).ravel().copy())
        spec[:] = [ds]
        return cap

    designs.settle = hook
    s = sc.simulate(base.with_shocks(sc.CapacityShock(**SHOCK)), engine="vector", seed=7)
    designs.settle = settle
    co, net = s.coords, s.scenario.network
    price = {c.id: c.price_usd for c in net.commodities}
    days = [d for d in DAYS if d < a.horizon]
    table = sc.compare(s, baseline=b)
    short = table[table.metric == "shortfall_usd"].groupby("segment")["change"].sum()
    print("shortfall change by segment, M USD:", {k: round(v / 1e6, 1) for k, v in short.items() if abs(v) > 0})
    f = co.facility.index("TW.fab.logic_wafer")
    lost = float(b.values("production")[0, :, f].sum() - s.values("production")[0, :, f].sum())
    print(f"TW.fab.logic_wafer output lost: {lost:,.0f} wafers, {lost * price['logic_wafer'] / 1e9:.2f} bn USD")
    end = table[table.metric == "stock_end_usd"].groupby("commodity")["change"].sum()
    print("stock on the last day against the baseline's, bn USD:",
          {k: round(v / 1e9, 2) for k, v in end.items() if abs(v) > 1e6})
    inv_b, inv_s = b.values("inventory")[0], s.values("inventory")[0]
    fac = {x.id: x for x in net.facilities}

    def tier(name, pick):  # type: ignore[no-untyped-def]
        idx = [i for i, k in enumerate(co.stock) if pick(k.split(":")[0], co.commodity["stock"][i])]
        vb, vs = inv_b[:, idx].sum(1), inv_s[:, idx].sum(1)
        print(f"  {name:44s}", " ".join(f"{d}:{vs[d] / vb[d]:.2f}" for d in days))

    pack = lambda n: n in fac and "packag" in fac[n].stage  # noqa: E731
    print("stock against the baseline's, by day:")
    tier("Taiwan's logic fab, finished wafers", lambda n, c: c == "logic_wafer" and n == "TW.fab.logic_wafer")
    tier("other logic fabs, finished wafers", lambda n, c: c == "logic_wafer" and n in fac
         and fac[n].stage.startswith("fab") and n != "TW.fab.logic_wafer")
    for design in ("TW", "KR"):
        tier(f"parts of {design} designs, die bank", lambda n, c: c == "logic_wafer" and pack(n) and n.endswith(design))
        tier(f"parts of {design} designs, finished chips", lambda n, c: c == "logic_chip" and pack(n)
             and n.endswith(design))
    for seg in ("automotive", "electronics", "industrial"):
        tier(f"users, {seg}", lambda n, c: n.endswith("demand.logic_chip." + seg))
    ds, acc = spec[0], np.array(kept)
    lanes = [co.lane[i] for i in ds.lanes]
    print("users' design accounts against their day-0 level (TW designs / KR designs / free part):")
    for seg in ("automotive", "electronics", "industrial"):
        users = [co.stock.index(u) for u in co.stock if ".demand.logic_chip." + seg in u]
        own = {r: [j for j, l in enumerate(lanes) if ".demand.logic_chip." + seg in l and l.split(">")[0].endswith(r)]
               for r in ("TW", "KR")}
        t0, k0, s0 = acc[0, own["TW"]].sum(), acc[0, own["KR"]].sum(), inv_s[0, users].sum()
        row = []
        for d in days:
            t, k, st = acc[d, own["TW"]].sum(), acc[d, own["KR"]].sum(), inv_s[d, users].sum()
            row.append(f"{d}:{t / t0:.2f}/{k / k0:.2f}/{(st - t - k) / (s0 - t0 - k0):.2f}")
        print(f"  {seg:12s}", " ".join(row))
    fb, fs = b.values("flow")[0], s.values("flow")[0]
    kr = [i for i, l in enumerate(co.lane) if "packaging.logic_chip.KR>" in l and ".demand." in l]
    months = a.horizon // 30
    print("Korean-design chips delivered to users, by month:",
          " ".join(f"{fs[m * 30:(m + 1) * 30, kr].sum() / fb[m * 30:(m + 1) * 30, kr].sum():.2f}" for m in range(months)))
    w = who_pays(s, baseline=b)
    print("scarcity rent, bn USD:", (w["scarcity_rent_usd"] / 1e9).round(2).to_dict(),
          f"buyers' cost {w['buyer_cost_increase_usd'].sum() / 1e9:.2f} bn, Taiwan's sales lost "
          f"{w.loc['TW', 'sales_lost_usd'] / 1e9:.2f} bn")


if __name__ == "__main__":
    main()
