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
:func:`scipy.optimize.linprog`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from .._validation import check_known, check_number
from ..compile.compiler import STOCK_INPUT, STOCK_OUTPUT, compile_scenario
from ..errors import SupplyChainError
from ..model import Network, Scenario

__all__ = ["RiskLP", "build_lp", "time_to_survive_lp", "performance_impact_lp", "risk_exposure"]


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
    return RiskLP(node_ids=tuple(node), n_facilities=n_f, n_lanes=n_l, a_ub=a_ub, b_ub=b_ub,
                  profit=np.array([prices[d.commodity] for d in network.demands], dtype=float),
                  max_days=float(max_days))


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
                  ttr_days: float | Mapping[str, float]) -> pd.DataFrame:
    """TTS, performance impact and Risk Exposure Index for each disruption scenario.

    Parameters
    ----------
    lp : RiskLP
        From :func:`build_lp`.
    scenarios : mapping of str to list of str
        Scenario name -> facility ids disrupted together.
    ttr_days : float or mapping of str to float
        Time-to-recover of every scenario, or per scenario name (an input,
        as in the paper).

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
    rows = []
    for name, nodes in scenarios.items():
        nodes = list(nodes)
        ttr = float(ttr_days[name] if isinstance(ttr_days, Mapping) else ttr_days)
        t0 = time.perf_counter()
        tts = time_to_survive_lp(lp, nodes)
        t1 = time.perf_counter()
        pi = performance_impact_lp(lp, nodes, ttr)
        t2 = time.perf_counter()
        rows.append((name, tts, ttr, pi, 1e3 * (t1 - t0), 1e3 * (t2 - t1)))
    df = pd.DataFrame(rows, columns=["scenario", "tts_days", "ttr_days", "pi_usd", "tts_ms", "pi_ms"])
    df = df.set_index("scenario")
    worst = df["pi_usd"].max() if len(df) else 0.0
    df.insert(3, "rei", df["pi_usd"] / worst if worst > 0 else 0.0)
    df.insert(4, "vulnerable", df["tts_days"] < df["ttr_days"])
    df.insert(5, "exposure_days", (df["ttr_days"] - df["tts_days"]).clip(lower=0.0))
    df.index.name = None
    return df
