"""O-23's prototype (docs/model.md §13): NOT the model's rule, a wrapper around the vector engine's split.

``--rule per-design``: each design account orders its own gap from its lane (order up to a position per design).
Run on the six-week stop of Taiwan's logic fabs of `tools.tw_logic_stop` (vector engine, NumPy path, seed 7). Prints
the shortfall, Korea's share of China's logic-wafer imports, Korean-design chips delivered to users by month, Korea's
fab output and the scarcity rent. ``--rule none`` runs the shipped rules through the same script. (The other
prototype, a lane that owes no queue keeping the locked part of the planned pipeline off, is the shipped rule of
docs/model.md §5.6.5 since 4 Dec 2026.)

Usage: ``python -m tools.o23_prototypes --rule per-design [--second-source 0] [--horizon 365]``.
"""

from __future__ import annotations

import argparse
import os
import warnings

import numpy as np


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    ap.add_argument("--rule", choices=("none", "per-design"), default="per-design")
    ap.add_argument("--second-source", type=float, default=None)
    ap.add_argument("--horizon", type=int, default=365)
    a = ap.parse_args(argv)
    os.environ["SUPPLYCHAIN_JIT"] = "off"   # the wrappers replace the NumPy split
    warnings.simplefilter("ignore")
    import supplychain as sc
    from supplychain.engines import designs as D
    from supplychain.engines import kernel as K
    from supplychain.engines import sourcing as S
    from supplychain.metrics.incidence import who_pays
    from supplychain.model import sourcing
    if a.second_source is not None:
        for k in ("logic_wafer", "logic_chip"):
            sourcing.SECOND_SOURCE_SHARE[k] = a.second_source
    orig = S.split_orders

    def per_design(c, s, sp, q, share, allow, late, filed=None, licensed=None, plain=None, fused=None, hold=None):  # type: ignore[no-untyped-def]
        if s.design is None or s.design_share is None or filed is not None:
            return orig(c, s, sp, q, share, allow, late, filed, licensed, plain, fused, hold)
        ds = D.design_spec(c)
        sh = np.array(np.broadcast_to(share, (q.shape[0], len(c.lane_buyer))), dtype=float)
        pos = s.stock[:, c.buyer_stock] + s.transit_buyer + K._sum_into(s.owed, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
        pos[:, K._demand_buyer(c)] -= s.backlog
        lanes, cl = ds.lanes, s.design_share
        b_of = c.lane_buyer[lanes]
        held = s.design + ds.lock * (s.transit_lane[:, lanes] + s.owed[:, lanes])
        need = np.maximum(cl * (q + pos)[:, b_of] - held, 0.0)
        def per_buyer(x: np.ndarray) -> np.ndarray:
            out = np.zeros_like(q)
            np.add.at(out, (slice(None), b_of), x)
            return out

        locked_share, held_b, need_b = per_buyer(cl), per_buyer(held), per_buyer(need)
        has = np.zeros(q.shape[1], bool)
        has[b_of] = True
        need_free = np.maximum((1.0 - locked_share) * (q + pos) - (pos - held_b), 0.0)
        q2 = np.where(has[None, :] & (q > 0), need_b + need_free, q)
        free = sh.copy()
        free[:, lanes] = np.maximum(sh[:, lanes] - cl, 0.0)
        free_sum = np.zeros_like(q)
        np.add.at(free_sum, (slice(None), c.lane_buyer), free)
        with np.errstate(divide="ignore", invalid="ignore"):
            new = np.where(free_sum[:, c.lane_buyer] > 0, need_free[:, c.lane_buyer] * free / free_sum[:, c.lane_buyer], 0.0)
            new[:, lanes] += need
            new = np.where(q2[:, c.lane_buyer] > 0, new / q2[:, c.lane_buyer], sh)
        sh2 = np.where((has & (q > 0))[:, c.lane_buyer], new, sh)
        plain = None if plain is None else plain + (q2 - q)
        return orig(c, s, sp, q2, sh2, allow, late, filed, licensed, plain, fused, hold)

    if a.rule != "none":
        S.split_orders = per_design
    base = sc.load_baseline(horizon_days=a.horizon)
    b = sc.simulate(base, engine="vector", seed=7)
    stop = sc.CapacityShock(facility="TW.fab.logic_wafer", fraction_lost=1.0, start="2025-03-01", end="2025-04-12")
    s = sc.simulate(base.with_shocks(stop), engine="vector", seed=7)
    S.split_orders = orig
    t = sc.compare(s, baseline=b)
    short = t[t.metric == "shortfall_usd"]
    print(f"rule {a.rule}: baseline short {short.baseline.sum() / 1e9:.3f} bn, change {short.change.sum() / 1e9:.3f} bn")
    imp = t[(t.metric == "import_share") & (t.commodity == "logic_wafer") & (t.region == "CN") & (t.partner == "KR")]
    print("CN<-KR logic_wafer share:", imp[["baseline", "shocked"]].round(3).values.tolist())
    co, fb, fs = s.coords, b.values("flow")[0], s.values("flow")[0]
    kr = [i for i, lane in enumerate(co.lane) if "packaging.logic_chip.KR>" in lane and ".demand." in lane]
    print("Korean-design chips to users by month:",
          " ".join(f"{fs[m * 30:(m + 1) * 30, kr].sum() / fb[m * 30:(m + 1) * 30, kr].sum():.2f}" for m in range(a.horizon // 30)))
    i = co.facility.index("KR.fab.logic_wafer")
    print(f"KR.fab.logic_wafer, first year: {s.values('production')[0, :365, i].sum() / b.values('production')[0, :365, i].sum():.3f}")
    print("scarcity rent, bn USD:", (who_pays(s, baseline=b)["scarcity_rent_usd"] / 1e9).round(2).to_dict())


if __name__ == "__main__":
    main()
