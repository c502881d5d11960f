"""The network under construction: commodities, facilities, demands and lanes, plus trade balancing.

A :class:`Draft` is created by :func:`tools.baseline.build.build` and passed to each value chain's
``build_*`` function, which adds to it; nothing is kept at module level.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .logistics import freight, lead_time
from .sources import V, fmt, sig


def fid(region: str, stage: str, output: str) -> str:
    return f"{region}.{stage}.{output}"


@dataclass
class Draft:
    """Everything written to the TOML files, in insertion order (the order fixes the file layout)."""

    commodities: dict[str, dict] = field(default_factory=dict)
    facilities: dict[str, dict] = field(default_factory=dict)
    lanes: list[dict] = field(default_factory=list)
    demands: dict[str, dict] = field(default_factory=dict)
    file_of: dict[str, str] = field(default_factory=dict)  # facility/demand id -> file

    def commodity(self, cid, name, unit, chain, price: V, sigma: V, cover_in: V, cover_out: V) -> None:
        self.commodities[cid] = dict(id=cid, name=name, unit=unit, chain=chain, price_usd=price, elasticity=sigma,
                                     input_cover_days=cover_in, output_cover_days=cover_out)

    def facility(self, file: str, region: str, stage: str, output: str, production: float, util: float,
                 cap_src: str, recipe: dict[str, V] | None = None, capacity: float | None = None) -> str:
        i = fid(region, stage, output)
        cap = capacity if capacity is not None else production / util
        self.facilities[i] = dict(id=i, region=region, stage=stage, output=output, production=production,
                                  capacity_per_day=V(sig(cap), cap_src), recipe=recipe or {})
        self.file_of[i] = file
        return i

    def demand(self, file: str, region: str, c: str, rate: float, src: str, segment: str | None = None,
               cover: V | None = None) -> str:
        """A final demand; with ``segment``, one end-use buyer of several (id ``region.demand.c.segment``)."""
        i = f"{region}.demand.{c}" + (f".{segment}" if segment else "")
        assert i not in self.demands, i
        self.demands[i] = dict(id=i, region=region, commodity=c, rate_per_day=V(sig(rate), src))
        if segment:
            self.demands[i]["segment"] = segment
        if cover is not None:
            self.demands[i]["cover_days"] = cover
        self.file_of[i] = file
        return i

    def lane(self, origin: str, dest: str, c: str, share: float, share_src: str) -> None:
        o_reg = origin.split(".")[0]
        d_reg = dest.split(".")[0]
        com = self.commodities[c]
        self.lanes.append(dict(origin=origin, destination=dest, commodity=c, share=V(sig(share, 4), share_src),
                               lead_time_days=lead_time(o_reg, d_reg, c),
                               freight_usd_per_unit=freight(o_reg, d_reg, c, com["price_usd"].value, com["unit"]),
                               file=None))

    def unit(self, c: str) -> str:
        return self.commodities[c]["unit"]

    def chain_use(self, commodity_id: str) -> dict[str, float]:
        """Daily use of ``commodity_id`` by every facility that has it in its recipe."""
        out = {}
        for i, f in self.facilities.items():
            if commodity_id in f["recipe"]:
                out[i] = f["production"] * f["recipe"][commodity_id].value
        return out

    def balance_trade(self, commodity_id, suppliers: dict[str, str], buyers: dict[str, float],
                      targets: dict[str, float], prior_fn, prior_src: str, target_src: str,
                      keep_pairs: frozenset[tuple[str, str]] = frozenset(),
                      prior_by_supplier: bool = False,
                      pinned: dict[tuple[str, str], float] | None = None) -> dict[str, float]:
        """RAS-balance supplier->buyer flows; add lanes; return supplier production.

        Links within a region, and (supplier region or supplier id, buyer region) pairs in ``keep_pairs``
        (trade links with a cited import share), are never pruned. ``prior_fn(supplier region, buyer id)``
        gives the prior, or ``prior_fn(supplier id, buyer id)`` with ``prior_by_supplier`` (when one region's
        suppliers of the commodity differ, e.g. natural and synthetic graphite anode plants). ``pinned`` maps
        (supplier id, buyer region) to a cited share of each such buyer's use: that flow is fixed (not a
        prior), and the rest of the matrix is balanced around it.
        """
        s_ids = list(suppliers)
        b_ids = list(buyers)
        prior = np.array([[prior_fn(s if prior_by_supplier else suppliers[s], b) for b in b_ids] for s in s_ids],
                         dtype=float)
        rows = np.array([targets[s] for s in s_ids])
        cols = np.array([buyers[b] for b in b_ids])
        keep = np.array([[b.split(".")[0] == suppliers[s] or (suppliers[s], b.split(".")[0]) in keep_pairs
                          or (s, b.split(".")[0]) in keep_pairs for b in b_ids] for s in s_ids])
        fixed = np.array([[(pinned or {}).get((s, b.split(".")[0]), 0.0) * buyers[b] for b in b_ids]
                          for s in s_ids])
        if (fixed.sum(axis=1) > rows).any():
            raise ValueError(f"pinned flows of {commodity_id} exceed a supplier's output")
        prior[fixed > 0] = 0.0
        x = ras(prior, rows - fixed.sum(axis=1), cols - fixed.sum(axis=0), keep=keep & (fixed == 0)) + fixed
        for j, b in enumerate(b_ids):
            tot = x[:, j].sum()
            for i, s in enumerate(s_ids):
                if x[i, j] > 0:
                    how = (f"pinned at the cited share {fixed[i, j] / tot:.4g} of the buyer's use, the rest "
                           f"RAS-balanced around it" if fixed[i, j] > 0 else "RAS-balanced trade matrix")
                    self.lane(s, b, commodity_id, x[i, j] / tot,
                              f"derived: {how}; prior {prior_src}; supplier totals {target_src}; "
                              f"flow {fmt(x[i, j])} of the buyer's {fmt(tot)} {self.unit(commodity_id)}/day")
        return {s: float(x[i].sum()) for i, s in enumerate(s_ids)}

    def source_direct(self, commodity_id, refineries: dict[str, str], buyers: dict[str, float],
                      priors: dict[str, dict[str, float]], prior_src: dict[str, str]) -> dict[str, float]:
        """Buyers source by cited/assumed shares (no balancing); returns flow drawn from each refinery."""
        drawn: dict[str, float] = defaultdict(float)
        for b, use in buyers.items():
            breg = b.split(".")[0]
            p = priors[breg]
            tot = sum(p.values())
            for sreg, w in p.items():
                s = refineries[sreg]
                drawn[s] += use * w / tot
                self.lane(s, b, commodity_id, w / tot, f"{prior_src[breg]}; flow {fmt(use * w / tot)} of "
                                                       f"{fmt(use)} {self.unit(commodity_id)}/day")
        return drawn


def split_demands(net: Draft, parts) -> None:
    """Replace pooled demands by one demand per end-use segment, each with the pooled buyer's lanes.

    ``parts(id, demand)`` gives ``None`` to keep a demand, else its segments as ``(segment, share, source,
    cover)``; each segment buys ``share`` of the pooled rate (12 significant digits, so the segments add up to
    the pooled demand to within 1e-11) on the pooled buyer's lanes with the same shares, so every flow of the
    chain is unchanged.
    """
    split: dict[str, list[str]] = {}
    demands: dict[str, dict] = {}
    for i, d in list(net.demands.items()):
        pieces = parts(i, d)
        if pieces is None:
            demands[i] = d
            continue
        rate, file = d["rate_per_day"], net.file_of.pop(i)
        split[i] = []
        for g, share, source, cover in pieces:
            j = net.demand(file, d["region"], d["commodity"], share * rate.value, source, segment=g, cover=cover)
            demands[j] = net.demands.pop(j)
            demands[j]["rate_per_day"] = V(sig(share * rate.value, 12), demands[j]["rate_per_day"].source)
            split[i].append(j)
    net.demands.clear()
    net.demands.update(demands)
    lanes = []
    for lane in net.lanes:
        for j in split.get(lane["destination"], [lane["destination"]]):
            lanes.append({**lane, "destination": j})
    net.lanes[:] = lanes


def _ras_fit(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
    x = x.copy()
    for _ in range(20000):
        r = x.sum(axis=1)
        x *= np.divide(rows, r, out=np.zeros_like(rows), where=r > 0)[:, None]
        c = x.sum(axis=0)
        x *= np.divide(cols, c, out=np.zeros_like(cols), where=c > 0)[None, :]
        if np.allclose(x.sum(axis=1), rows, rtol=1e-10, atol=1e-12):
            return x
    return None


def ras(prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, prune: float = 0.06,
        keep: np.ndarray | None = None) -> np.ndarray:
    """Bi-proportional (RAS) fit of ``prior`` to row and column totals.

    Then repeatedly drops links that are small for both ends (below ``prune`` of the buyer's supply
    and below 4 * ``prune`` of the supplier's sales) while the fit stays feasible.
    """
    assert abs(rows.sum() - cols.sum()) < 1e-6 * max(rows.sum(), 1), (rows.sum(), cols.sum())
    x = _ras_fit(prior.astype(float), rows, cols)
    if x is None:
        raise RuntimeError(f"RAS did not converge: prior {prior}, rows {rows}, cols {cols}")
    for _round in range(6):
        col_share = x / np.where(x.sum(axis=0) > 0, x.sum(axis=0), 1)[None, :]
        row_share = x / np.where(x.sum(axis=1) > 0, x.sum(axis=1), 1)[:, None]
        small = (x > 0) & (col_share < prune) & (row_share < 4 * prune)
        if keep is not None:
            small &= ~keep
        if not small.any():
            return x
        trial = x.copy()
        trial[small] = 0.0
        fitted = _ras_fit(trial, rows, cols)
        if fitted is None:
            return x
        x = fitted
    return x
