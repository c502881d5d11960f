"""The time-to-survive and time-to-recover LPs of Simchi-Levi et al. (2015, *Interfaces* 45(5):375-390).

Our network maps onto the multi-tier model as follows.

* Nodes ``A`` are the facilities plus the demands; the finished-product
  nodes ``V`` are the demands, with ``d_j`` their rate per day, ``f_j`` the
  commodity's reference price and ``s_j`` the consumer stock on hand plus the
  goods in transit to it in steady state.
* ``r_kj`` is facility ``j``'s recipe; a demand node "assembles" its
  commodity from its suppliers one for one (``r = 1``).
* The parents ``P_jk`` are the origins of the lanes bringing ``k`` to ``j``;
  each lane is one allocation variable ``y_ij``.
* ``c_j`` is a facility's capacity per day; demands have none. Finite lane
  capacities add ``y_ij <= cap_ij t``.

Two extensions keep buffers that the original model ignores: a facility's
stock of input ``k`` (on hand plus in transit) relaxes its BOM row,
``r_kj u_j - sum_i y_ij <= s_jk`` (the paper's row multiplied by ``r_kj``),
and its output stock is ``s_i`` in the shipping row.

Both LPs share one sparse constraint matrix over the variables
``x = [u, y, l, t]``. A scenario changes only bounds: ``u_j = 0`` for the
disrupted nodes; ``l = 0`` and ``0 <= t <= max_days`` for TTS; ``l >= 0`` and
``t = TTR`` for the performance impact. They are solved with HiGHS through
`scipy.optimize.linprog`; `risk_exposure` solves each scenario on the
part of the network it touches, with a proof of optimality for the full LP
(`._lp_local`), and answers without an LP what follows from another
scenario: no loss over a TTR the network survives, and a knockout inside one
that lasts as long as the undisrupted network lasts as long.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from .._validation import check_choice, check_known, check_number
from ..compile.compiler import STOCK_INPUT, STOCK_OUTPUT, compile_scenario
from ..errors import SupplyChainError
from ..model import Network, Scenario
from ..run.tasks import map_chunks
from ._lp_local import LocalLP, local_solve

__all__ = ["RiskLP", "build_lp", "time_to_survive_lp", "performance_impact_lp", "risk_exposure"]

Solver = Literal["local", "full"]

#: Scenarios from which `risk_exposure` uses two worker processes by default (fewer take about a second).
_PROCESSES_FROM = 200


@dataclass(frozen=True, eq=False)
class RiskLP:
    """The TTS/TTR LPs of one network, built once; see the module docstring.

    Variables are ``u`` (one per node, facilities then demands), ``y`` (one
    per lane), ``l`` (one per demand) and ``t``.
    """

    node_ids: tuple[str, ...]
    n_facilities: int
    n_lanes: int
    a_ub: sparse.csr_matrix
    b_ub: np.ndarray
    profit: np.ndarray      # f_j, USD per unit, one per demand
    max_days: float
    lane_nodes: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))  # (L, 2) origin, dest
    steady_rate: np.ndarray | None = None   # x per unit of t in the network's steady state (None: not known)

    @property
    def n_demands(self) -> int:
        return len(self.node_ids) - self.n_facilities

    @property
    def n_vars(self) -> int:
        return len(self.node_ids) + self.n_lanes + self.n_demands + 1


class _Rows:
    """Accumulates sparse rows ``sum a x <= b``."""

    def __init__(self) -> None:
        self.r: list[int] = []
        self.c: list[int] = []
        self.v: list[float] = []
        self.b: list[float] = []

    def add(self, terms: Iterable[tuple[int, float]], rhs: float) -> None:
        row = len(self.b)
        for col, val in terms:
            self.r.append(row); self.c.append(col); self.v.append(val)
        self.b.append(rhs)

    def matrix(self, n_vars: int) -> tuple[sparse.csr_matrix, np.ndarray]:
        shape = (len(self.b), n_vars)
        return sparse.csr_matrix((self.v, (self.r, self.c)), shape=shape), np.array(self.b, dtype=float)


def build_lp(network: Network, *, max_days: float = 3650.0) -> RiskLP:
    """Build the shared constraint matrix of the TTS and TTR LPs for ``network``.

    Parameters
    ----------
    network : Network
        The supply network, with its steady-state stocks as ``s``.
    max_days : float
        Upper bound on ``t`` in the TTS LP; a TTS that reaches it is reported
        as ``inf`` (the network survives indefinitely).

    Examples
    --------
    >>> from supplychain.analytics._toy import single_source_network
    >>> lp = build_lp(single_source_network())
    >>> lp.node_ids, lp.a_ub.shape
    (('CN.mine', 'US.ore'), (4, 5))
    """
    check_number(max_days, "max_days", "build_lp", low=0.0, low_open=True)
    c = compile_scenario(Scenario(network, horizon_days=1, name="lp"))
    stock = c.initial_stock + np.bincount(c.lane_dst_stock, weights=c.initial_arrivals.sum(axis=0),
                                          minlength=c.n_stocks)
    n_f, n_l, n_d = c.n_facilities, c.n_lanes, c.n_demands
    u, y, l, t = 0, n_f + n_d, n_f + n_d + n_l, n_f + n_d + n_l + n_d
    node = {ident: i for i, ident in enumerate(c.facility_ids + c.demand_ids)}
    into: dict[int, list[int]] = {}
    for lane, dst in enumerate(c.lane_dst_stock):
        into.setdefault(int(dst), []).append(lane)
    rows = _Rows()
    for s in range(c.n_stocks):
        j = node[c.stock_node[s]]
        supply: list[tuple[int, float]] = [(y + lane, -1.0) for lane in into.get(s, [])]
        if c.stock_kind[s] == STOCK_INPUT:       # BOM: r_kj u_j - sum y_ij <= s_jk
            ratio = dict(network.facility(c.stock_node[s]).recipe)[c.stock_commodity[s]]
            rows.add([(u + j, ratio)] + supply, stock[s])
        elif c.stock_kind[s] == STOCK_OUTPUT:    # shipping: sum_k y_ik - u_i <= s_i
            out = np.flatnonzero(c.lane_origin == j).tolist()
            rows.add([(y + lane, 1.0) for lane in out] + [(u + j, -1.0)], stock[s])
        else:                                    # product node: u_j <= sum y_ij; l_j + u_j + s_j >= d_j t
            k = j - n_f
            rows.add([(u + j, 1.0)] + supply, 0.0)
            rows.add([(l + k, -1.0), (u + j, -1.0), (t, c.demand_rate[k])], stock[s])
    for j in range(n_f):                         # capacity: u_j <= c_j t
        rows.add([(u + j, 1.0), (t, -c.capacity[j])], 0.0)
    for lane in np.flatnonzero(np.isfinite(c.lane_capacity)).tolist():
        rows.add([(y + lane, 1.0), (t, -c.lane_capacity[lane])], 0.0)
    a_ub, b_ub = rows.matrix(t + 1)
    prices = {cm.id: cm.price_usd for cm in network.commodities}
    lane_dest = [node[c.stock_node[s]] for s in c.lane_dst_stock.tolist()]
    # The steady state as a point per day of t: production, lane flows, demand served in full, no loss.
    steady = np.concatenate([[c.steady.production.get(f, 0.0) for f in c.facility_ids], c.demand_rate,
                             [c.steady.flow.get(lane, 0.0) for lane in c.lane_ids], np.zeros(n_d), [1.0]])
    return RiskLP(node_ids=tuple(node), n_facilities=n_f, n_lanes=n_l, a_ub=a_ub, b_ub=b_ub,
                  profit=np.array([prices[d.commodity] for d in network.demands], dtype=float),
                  max_days=float(max_days), lane_nodes=np.column_stack([c.lane_origin, lane_dest]).astype(np.int64),
                  steady_rate=steady)


def _bounds(lp: RiskLP, disrupted: Iterable[str], *, loss: bool, t: tuple[float, float]) -> np.ndarray:
    n_a = len(lp.node_ids)
    b = np.zeros((lp.n_vars, 2))
    b[:, 1] = np.inf
    for ident in disrupted:
        check_known(ident, lp.node_ids[: lp.n_facilities], "disrupted node", "RiskLP")
        b[lp.node_ids.index(ident), 1] = 0.0
    if not loss:
        b[n_a + lp.n_lanes: n_a + lp.n_lanes + lp.n_demands, 1] = 0.0
    b[-1] = t
    return b


def _solve(lp: RiskLP, cost: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    res = linprog(cost, A_ub=lp.a_ub, b_ub=lp.b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        raise SupplyChainError(f"the risk LP did not solve: {res.message}")
    return np.asarray(res.x)


def time_to_survive_lp(lp: RiskLP, disrupted: Iterable[str]) -> float:
    """TTS: the longest time the network meets all demand with ``disrupted`` producing nothing.

    ``inf`` when ``t`` reaches ``lp.max_days`` (the TTS model of Simchi-Levi et al., 2015, *Interfaces* 45(5):375-390).

    Examples
    --------
    >>> from supplychain.analytics._toy import single_source_network
    >>> lp = build_lp(single_source_network(stock=100.0, rate_per_day=10.0))
    >>> time_to_survive_lp(lp, ["CN.mine"])
    11.0
    >>> time_to_survive_lp(lp, [])
    inf
    """
    cost = np.zeros(lp.n_vars)
    cost[-1] = -1.0
    t = float(_solve(lp, cost, _bounds(lp, disrupted, loss=False, t=(0.0, lp.max_days)))[-1])
    return np.inf if t >= lp.max_days * (1 - 1e-9) else round(t, 9)


def performance_impact_lp(lp: RiskLP, disrupted: Iterable[str], ttr_days: float) -> float:
    """PI: the least value of lost sales (USD) over ``ttr_days`` with ``disrupted`` down.

    The TTR model of Simchi-Levi et al., 2015, *Interfaces* 45(5):375-390, with ``f_j`` the reference price.

    Examples
    --------
    >>> from supplychain.analytics._toy import single_source_network
    >>> lp = build_lp(single_source_network(stock=100.0, rate_per_day=10.0))
    >>> performance_impact_lp(lp, ["CN.mine"], 20.0)   # 9 days x 10 t x 100 USD
    9000.0
    """
    ttr = check_number(ttr_days, "ttr_days", "performance_impact_lp", low=0.0)
    cost = np.zeros(lp.n_vars)
    n_a = len(lp.node_ids)
    cost[n_a + lp.n_lanes: n_a + lp.n_lanes + lp.n_demands] = lp.profit
    x = _solve(lp, cost, _bounds(lp, disrupted, loss=True, t=(ttr, ttr)))
    return round(float(cost @ x), 6)


def risk_exposure(lp: RiskLP, scenarios: Mapping[str, Iterable[str]],
                  ttr_days: float | Mapping[str, float], *, solver: Solver = "local",
                  processes: bool | None = None, progress: bool = False) -> pd.DataFrame:
    """TTS, performance impact and Risk Exposure Index for each disruption scenario.

    Parameters
    ----------
    lp : RiskLP
        From `build_lp`.
    scenarios : mapping of str to list of str
        Scenario name -> facility ids disrupted together.
    ttr_days : float or mapping of str to float
        Time-to-recover of every scenario, or per scenario name (an input,
        as in the paper).
    solver : {"local", "full"}
        ``"local"`` (default) solves each LP on the part of the network the
        knockout touches and proves, from the LP's optimality conditions,
        that the answer is the full LP's (to the solver's tolerance; see
        `._lp_local`); ``"full"`` solves the whole LP every time, as
        `time_to_survive_lp` and `performance_impact_lp` do.
    processes : bool, optional
        Spread the scenarios over two worker processes; by default only
        when there are at least 200 of them (fewer take about a second).
        The answers do not depend on it.
    progress : bool
        Show a progress bar over the scenarios (in a notebook or a terminal).

    Returns
    -------
    DataFrame
        Index: scenario. Columns ``tts_days, ttr_days, pi_usd, rei,
        vulnerable`` (``TTS < TTR``), ``exposure_days`` (``TTR - TTS``, at
        least 0) and the solve times ``tts_ms, pi_ms``. ``REI = PI / max PI``,
        so the worst scenario scores 1 (0 everywhere when nothing is lost).

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_network
    >>> lp = build_lp(toy_network())
    >>> df = risk_exposure(lp, {"cn": ["CN.mine"], "kr": ["KR.cells"]}, ttr_days=60)
    >>> df[["tts_days", "rei", "vulnerable"]]
        tts_days  rei  vulnerable
    cn    152.75  0.0       False
    kr     39.60  1.0        True
    """
    check_choice(solver, ("local", "full"), "solver", "risk_exposure")
    node = {ident: i for i, ident in enumerate(lp.node_ids[: lp.n_facilities])}
    items = []
    for name, nodes in scenarios.items():
        nodes = list(nodes)
        for ident in nodes:
            check_known(ident, node, "disrupted node", "RiskLP")
        ttr = float(ttr_days[name] if isinstance(ttr_days, Mapping) else ttr_days)
        items.append((name, nodes, check_number(ttr, "ttr_days", "risk_exposure", low=0.0)))
    use_processes = len(items) >= _PROCESSES_FROM if processes is None else bool(processes)
    # The local solver needs the lanes' nodes, which a RiskLP built by hand may lack.
    if solver == "full" or lp.lane_nodes.shape != (lp.n_lanes, 2):
        rows = map_chunks(_score_full, items, lp, chunk_size=_chunk(len(items), use_processes),
                          processes=use_processes, progress=progress, desc="risk LP", unit="scenario")
    else:
        rows = _local_rows(lp, [(name, [node[i] for i in nodes], ttr) for name, nodes, ttr in items],
                           use_processes, progress)
    df = pd.DataFrame(rows, columns=["scenario", "tts_days", "ttr_days", "pi_usd", "tts_ms", "pi_ms"])
    df = df.set_index("scenario")
    worst = df["pi_usd"].max() if len(df) else 0.0
    df.insert(3, "rei", df["pi_usd"] / worst if worst > 0 else 0.0)
    df.insert(4, "vulnerable", df["tts_days"] < df["ttr_days"])
    df.insert(5, "exposure_days", (df["ttr_days"] - df["tts_days"]).clip(lower=0.0))
    df.index.name = None
    return df


def _score_full(item: tuple[str, list[str], float], lp: RiskLP) -> tuple[str, float, float, float, float, float]:
    name, nodes, ttr = item
    t0 = time.perf_counter()
    tts = time_to_survive_lp(lp, nodes)
    t1 = time.perf_counter()
    pi = performance_impact_lp(lp, nodes, ttr)
    t2 = time.perf_counter()
    return name, tts, ttr, pi, 1e3 * (t1 - t0), 1e3 * (t2 - t1)


def _chunk(n_items: int, use_processes: bool) -> int:
    """About 16 tasks over the workers (they balance), or one scenario at a time in-process (a fine progress bar)."""
    return max(1, -(-n_items // 16)) if use_processes else 1


def _local_rows(lp: RiskLP, items: list[tuple[str, list[int], float]], use_processes: bool,
                progress: bool) -> list[tuple[str, float, float, float, float, float]]:
    """Score every scenario with the local solver, the largest knockouts first.

    Knocking out fewer nodes only removes bounds, so a scenario contained in one that survives as long
    as the undisrupted network (``t0``) survives as long too: it needs no LP (nor its PI, 0 then). The
    scenarios are solved in rounds, each of those whose supersets are all done (a region-stage, then
    its exporters, then its facilities).
    """
    tts = _local_tts(lp)
    pis = {ttr: _local_pi(lp, tts, ttr) for ttr in sorted({item[2] for item in items})}
    sets = [frozenset(nodes) for _, nodes, _ in items]
    holders: dict[int, list[int]] = {}
    for k, nodes in enumerate(sets):
        for j in nodes:
            holders.setdefault(j, []).append(k)
    supersets = [[m for m in holders[min(nodes)] if len(sets[m]) > len(nodes) and nodes < sets[m]] if nodes else []
                 for nodes in sets]
    rows: dict[int, tuple[str, float, float, float, float, float]] = {}
    lasts: set[int] = set()                     # scenarios that last as long as the undisrupted network
    while len(rows) < len(items):
        ready = [k for k in range(len(items)) if k not in rows and all(m in rows for m in supersets[k])]
        todo = []
        for k in ready:
            name, _, ttr = items[k]
            if tts.t0 >= ttr and lasts.intersection(supersets[k]):
                rows[k] = (name, _tts_days(tts.t0, lp.max_days), ttr, 0.0, 0.0, 0.0)
                lasts.add(k)
            else:
                todo.append(k)
        solved = map_chunks(_score_local, [items[k] for k in todo], tts, pis, lp.max_days,
                            chunk_size=_chunk(len(todo), use_processes), processes=use_processes,
                            progress=progress, desc="risk LP", unit="scenario")
        for k, (row, t) in zip(todo, solved):
            rows[k] = row
            if t >= tts.t0 * (1 - 1e-12):
                lasts.add(k)
    return [rows[k] for k in range(len(items))]


def _score_local(item: tuple[str, list[int], float], tts: LocalLP, pis: Mapping[float, LocalLP],
                 max_days: float) -> tuple[tuple[str, float, float, float, float, float], float]:
    name, nodes, ttr = item
    t0 = time.perf_counter()
    t = local_solve(tts, nodes).t
    t1 = time.perf_counter()
    # A network that survives ttr days loses nothing over them: the TTS solution scaled to t = ttr is feasible
    # (every right-hand side is a stock, >= 0) with no loss, and loss cannot be negative.
    pi = 0.0 if t >= ttr else local_solve(pis[ttr], nodes).objective
    t2 = time.perf_counter()
    return (name, _tts_days(t, max_days), ttr, round(pi, 6), 1e3 * (t1 - t0), 1e3 * (t2 - t1)), t


def _tts_days(t: float, max_days: float) -> float:
    return np.inf if t >= max_days * (1 - 1e-9) else round(t, 9)


def _structure(lp: RiskLP) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """Variables owned by each node (``u``, lanes out, loss) and the nodes each ships to."""
    n_a = len(lp.node_ids)
    own: list[list[int]] = [[j] for j in range(n_a)]
    children: list[list[int]] = [[] for _ in range(n_a)]
    for lane, (origin, dest) in enumerate(lp.lane_nodes.tolist()):
        own[origin].append(n_a + lane)
        children[origin].append(dest)
    for k in range(lp.n_demands):
        own[lp.n_facilities + k].append(n_a + lp.n_lanes + k)
    return (tuple(np.array(v, dtype=np.int64) for v in own),
            tuple(np.array(sorted(set(v)), dtype=np.int64) for v in children))


def _local(lp: RiskLP, cost: np.ndarray, bounds: np.ndarray, rate: np.ndarray, t0: float,
           maximise_t: bool) -> LocalLP:
    own, children = _structure(lp)
    return LocalLP(a_csr=lp.a_ub.tocsr(), a_csc=lp.a_ub.tocsc(), b=lp.b_ub, cost=cost, lo=bounds[:, 0],
                   hi=bounds[:, 1], rate=rate, t0=t0, maximise_t=maximise_t, node_vars=own, children=children)


def _feasible(lp: RiskLP, x: np.ndarray) -> bool:
    """``x`` meets every row of ``lp`` (to a relative 1e-9) and is non-negative."""
    scale = 1.0 + abs(lp.a_ub) @ np.abs(x)
    return bool((x >= 0).all() and (lp.a_ub @ x - lp.b_ub <= 1e-9 * scale).all())


def _local_tts(lp: RiskLP) -> LocalLP:
    """The TTS LP with its undisrupted optimum ``t0`` as base: the steady state when it lasts ``max_days``."""
    cost = np.zeros(lp.n_vars)
    cost[-1] = -1.0
    bounds = _bounds(lp, [], loss=False, t=(0.0, lp.max_days))
    rate = lp.steady_rate
    if rate is not None and _feasible(lp, rate * lp.max_days):
        t0 = lp.max_days
    else:
        x = _solve(lp, cost, bounds)
        t0 = float(x[-1])
        rate = x / t0 if t0 > 0 else np.eye(1, lp.n_vars, lp.n_vars - 1).ravel()
    return _local(lp, cost, bounds, rate, t0, maximise_t=True)


def _local_pi(lp: RiskLP, tts: LocalLP, ttr: float) -> LocalLP:
    """The PI LP at ``t = ttr``, based on the TTS base point when it lasts that long, else on its own optimum."""
    n_a = len(lp.node_ids)
    cost = np.zeros(lp.n_vars)
    cost[n_a + lp.n_lanes: n_a + lp.n_lanes + lp.n_demands] = lp.profit
    bounds = _bounds(lp, [], loss=True, t=(ttr, ttr))
    rate = tts.rate if ttr <= tts.t0 else _solve(lp, cost, bounds) / ttr
    return dataclasses.replace(tts, cost=cost, lo=bounds[:, 0], hi=bounds[:, 1], rate=rate, t0=ttr, maximise_t=False)
