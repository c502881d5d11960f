"""From shortfalls at final demand to value added lost by region and industry.

Each demand of an input commodity the table knows (chips, Li-ion cells, NdFeB magnets) in a
region the table knows is that region's supply of the input to its industries. On day ``t``
the region's shortfall of commodity ``c`` is ``s = 1 - min(1, sum Y / sum D)`` over those
demands and the last ``W`` days (the users' working stock, ``IOTable.working_stock_days``; 0
without demand), less what substitution has replaced since its redesign started: its first day short of deliveries
or, if earlier, the first day an export control in force is upstream of it (`supplychain.impact.threat`). Demand
given up to prices (``G``, `supplychain.impact.given_up`) is output not made but for what the users thrift:
with the table's output share ``phi``, ``s = 1 - min(1, sum Y / sum (D + phi G))``. The shortfall is
rationed among the sectors that use ``c`` (by the table's priority ranks,
or pro rata), and a sector short of ``s_j`` whose share ``w`` of output needs ``c`` keeps the
capacity factor ``kappa = 1 - max_c w s_j`` (docs/model.md §8.3). The ARIO kernel (or the DIIM)
turns the capacity factors into gross output, and value added lost is ``v (x0 - x)``. Deliveries of backordered
demands above their demand are the inputs with which the kernel makes up lost output (step 2b); lost-sales demands
never bring any, so nothing is made up for them.
A demand with an end-use segment the table lists (``Demand.segment``, ``IOTable.segment_use``) is a
column of its own whose shortfall reaches only the segment's sectors, pro rata among them; segments of one
region and commodity that reach the same sectors in the same shares (tranches of one group of users with
different stocks) are one column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from scipy import sparse

from .._validation import check_choice
from ..model.network import Network
from .kernel import Ario, diim
from .run_rate import RUN_RATE_DAYS
from .table import REST_OF_ECONOMY, IOTable, load_io_table, sector_name
from .threat import control_days

if TYPE_CHECKING:
    import pandas as pd

    from ..model.scenario import Scenario

__all__ = ["METHODS", "RATIONING", "InputMap", "Shortfalls", "ValueAddedLoss", "value_added_loss",
           "LossAccumulator", "feeds_impact"]

#: Propagation methods: the ARIO-type kernel (default) or the dynamic inoperability model.
METHODS = ("ario", "diim")
Method = Literal["ario", "diim"]
#: Rationing of a short input among its users: by the table's priority ranks (default) or pro rata.
RATIONING = ("priority", "pro_rata")
Rationing = Literal["priority", "pro_rata"]


@dataclass(frozen=True, eq=False)
class InputMap:
    """Which demands supply which (region, input commodity) column, and how its users share a shortfall.

    ``dependence[k, n]`` is the share of node ``n``'s output that needs column ``k``; ``use[k, n]``
    the share of the column's supply that node ``n`` uses; ``later[k, n]`` the use of the nodes
    served after ``n`` and ``group[k, n]`` the use of the nodes of ``n``'s rank (docs/model.md §8.3).
    """

    summing: sparse.csr_matrix   # (K, D): 1 where demand d is column k
    dependence: np.ndarray       # (K, N): share of node n's output that needs column k
    columns: tuple[tuple[str, str, str | None], ...]   # (region, commodity, segment or None) of each column
    use: np.ndarray              # (K, N): share of column k's supply used by node n
    later: np.ndarray            # (K, N): use of the nodes ranked below n (they absorb a shortfall first)
    group: np.ndarray            # (K, N): use of the nodes of n's rank
    substitutable: np.ndarray    # (K,): share of the column's use that substitution can replace
    substitution_days: np.ndarray  # (K,): days substitution takes to reach that share
    output_share: float = 1.0    # share of demand given up to prices that is output not made (the table's)
    backordered: bool = False    # whether some mapped demand is backordered, so deliveries can exceed demand

    @classmethod
    def build(cls, network: Network, table: IOTable, rationing: Rationing = "priority") -> InputMap:
        """Map ``network``'s demands onto ``table``'s regions and input commodities."""
        check_choice(rationing, RATIONING, "rationing", "value_added_loss")
        columns: list[tuple[str, str, str | None]] = []
        rows, cols = [], []
        first: dict[tuple[str, str, bytes], str] = {}
        for d, dem in enumerate(network.demands):
            if dem.region in table.regions and dem.commodity in table.dependence:
                # A segment the table knows is a column of its own; other demands of the commodity pool. Segments
                # whose input reaches the same sectors in the same shares supply the same users (tranches of one
                # group holding different stocks): one column, named by the first, rationed pro rata.
                seg = getattr(dem, "segment", None)
                if seg in table.segment_use:
                    seg = first.setdefault((dem.region, dem.commodity, table.segment_use[seg].tobytes()), seg)
                else:
                    seg = None
                key = (dem.region, dem.commodity, seg)
                if key not in columns:
                    columns.append(key)
                rows.append(columns.index(key))
                cols.append(d)
        n_r, n_s = len(table.regions), len(table.sectors)
        k_n = (len(columns), n_r * n_s)
        dependence, use, later, group = np.zeros(k_n), np.zeros(k_n), np.zeros(k_n), np.zeros(k_n)
        substitutable, days = np.zeros(len(columns)), np.ones(len(columns))
        price = {c.id: c.price_usd for c in getattr(network, "commodities", ())}
        for k, (region, commodity, segment) in enumerate(columns):
            r = table.regions.index(region)
            block = slice(r * n_s, (r + 1) * n_s)
            w = table.dependence[commodity][r]
            u = table.use.get(commodity) if segment is None else table.segment_use[segment]
            if u is None:        # no market by application: use in proportion to the output that needs it
                need = w * table.output[r]
                u = need / need.sum() if need.sum() > 0 else np.full(n_s, 1.0 / n_s)
            if segment is not None:  # a segment's chips reach its own sectors only, pro rata among them
                w = np.where(u > 0, w, 0.0)
            theta = table.content.get(commodity)
            if theta is not None:    # no more output can need the input than its supply can serve
                supply = 365.0 * price.get(commodity, 0.0) * sum(
                    network.demands[d].rate_per_day for d, row in zip(cols, rows) if row == k)
                with np.errstate(invalid="ignore", divide="ignore"):
                    w = np.where(theta > 0, np.minimum(w, u * supply / (theta * table.output[r])), w)
            dependence[k, block] = w
            use[k, block] = u
            rank = table.priority.get(commodity, np.zeros(n_s)) if rationing == "priority" and segment is None \
                else np.zeros(n_s)
            later[k, block] = [u[rank < rank[j]].sum() for j in range(n_s)]
            group[k, block] = [u[rank == rank[j]].sum() for j in range(n_s)]
            substitutable[k], days[k] = table.substitution.get(commodity, (0.0, 1.0))
        summing = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(columns), len(network.demands)))
        backordered = any(getattr(network.demands[d], "unmet", "lost") == "backorder" for d in cols)
        return cls(summing=summing, dependence=dependence, columns=tuple(columns), use=use, later=later,
                   group=group, substitutable=substitutable, substitution_days=days,
                   output_share=table.price_output_share, backordered=backordered)

    @property
    def dependent_share(self) -> np.ndarray:
        """Share of each node's output that needs some column's input (N,): the most of its dependences."""
        return self.dependence.max(axis=0) if len(self.columns) else np.zeros(self.dependence.shape[1])

    @property
    def active(self) -> bool:
        """Whether any demand feeds the impact layer."""
        return len(self.columns) > 0

    def sums(self, demand: np.ndarray, delivered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each column's demand and delivered (R, K) from one day's demand and delivered, each (R, D)."""
        return self.summed(demand), self.summed(delivered)

    def summed(self, per_demand: np.ndarray) -> np.ndarray:
        """Each column's sum (R, K) of one day's values per demand (R, D)."""
        return np.asarray((self.summing @ np.asarray(per_demand, dtype=float).T).T)

    def shortfall(self, demand: np.ndarray, delivered: np.ndarray) -> np.ndarray:
        """Each column's shortfall share ``s`` (R, K) from one day's demand and delivered, each (R, D)."""
        return _share_short(*self.sums(demand, delivered))

    def capacity(self, demand: np.ndarray, delivered: np.ndarray, age: np.ndarray | None = None) -> np.ndarray:
        """Capacity factors (R, N) from one day's demand and delivered, each (R, D), measured on that day alone.

        ``age`` (R, K) counts each column's days since its first shortfall, today included (0 before);
        without it no substitution applies.
        """
        return self.capacity_at(self.shortfall(demand, delivered), age)

    def room_at(self, surplus: np.ndarray) -> np.ndarray:
        """Extra output (R, N), a share of normal output, that each column's deliveries above demand allow.

        ``surplus`` (R, K) is a column's deliveries above its demand over the window, a share of that demand;
        a node can make up ``max_k surplus_k w_kn`` (pro rata among the users, docs/model.md §8.3, step 2b).
        """
        if not self.dependence.shape[0]:
            return np.zeros((surplus.shape[0], self.dependence.shape[1]))
        return (surplus[:, :, None] * self.dependence).max(axis=1)

    def capacity_at(self, short: np.ndarray, age: np.ndarray | None = None) -> np.ndarray:
        """Capacity factors (R, N) from each column's shortfall share ``short`` (R, K) and ``age`` (R, K)."""
        if age is not None:
            ramp = np.minimum(np.asarray(age, dtype=float) / self.substitution_days, 1.0)
            short = np.maximum(short - self.substitutable * ramp, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            each = np.where(self.group > 0, np.clip((short[:, :, None] - self.later) / self.group, 0.0, 1.0), 0.0)
        hit = each * self.dependence                                                   # (R, K, N)
        return 1.0 - hit.max(axis=1) if hit.shape[1] else np.ones((short.shape[0], self.dependence.shape[1]))


#: A share short below this is rounding, not a shortfall: the engines sum a buyer's lanes in different orders
#: (docs/model.md §10), and a shortfall of 1e-15 would start a column's substitution clock in one and not the other.
SHORT_TOLERANCE = 1e-9


def _share_short(wanted: np.ndarray, got: np.ndarray) -> np.ndarray:
    """``1 - min(1, got / wanted)``, 0 where nothing was wanted or the share is below `SHORT_TOLERANCE`."""
    with np.errstate(invalid="ignore", divide="ignore"):
        short = np.where(wanted > 0, 1.0 - np.minimum(got / wanted, 1.0), 0.0)
    return np.where(short > SHORT_TOLERANCE, short, 0.0)


class Shortfalls:
    """Daily capacity factors of ``n_runs`` runs from shortfalls over the users' working stock.

    Each column's shortfall is measured over the last ``window`` days (docs/model.md §8.3): users
    spread what arrives over the working stock they hold, so a day without an arrival that the
    next days make up stops no production, and rationing among users sees the shortfall of the
    window, not a day's lumpiness. Demand given up to prices counts by the table's output share:
    the users need it still, but for the rest of what they gave up, which they thrift.
    Substitution and thrifting replace a growing share of a short input from its first day short of
    deliveries or, if earlier, from ``controls`` (K,), the first day an export control in force is upstream of
    the column (`supplychain.impact.threat.control_days`; ``None``: no control); the window and the count are
    each run's own.
    """

    def __init__(self, imap: InputMap, n_runs: int, window: int = 1, controls: np.ndarray | None = None) -> None:
        if int(window) != window or window < 1:
            raise ValueError(f"window must be a whole number of days >= 1, got {str(window)[:80]}")
        self.imap = imap
        k = len(imap.columns)
        self.controls = np.full(k, np.inf) if controls is None else np.asarray(controls, dtype=float)
        self.age = np.zeros((n_runs, k))
        self.wanted = np.zeros((n_runs, int(window), k))   # ring of the last days' column sums
        self.got = np.zeros((n_runs, int(window), k))
        self.given = np.zeros((n_runs, int(window), k))    # demand given up to prices
        self.day = np.zeros(n_runs, dtype=np.int64)        # each run's days fed so far
        self.undelivered = np.zeros((n_runs, k))           # the last day's shortfall of deliveries alone
        self.surplus = np.zeros((n_runs, k))               # deliveries above demand over the window, a share

    def short(self, demand: np.ndarray, delivered: np.ndarray, given_up: np.ndarray | None = None) -> np.ndarray:
        """Feed one day's demand, delivered and demand given up to prices (R, D); each column's shortfall (R, K).

        The shortfall is over the window, ``1 - min(1, Y / (D + phi G))`` with ``phi`` the table's output
        share (what the users thrift they need no more); ``given_up`` ``None`` is nothing given up. The shortfall of deliveries
        alone, ``1 - min(1, Y / D)``, is kept in ``undelivered``.
        """
        wanted, got = self.imap.sums(demand, delivered)
        runs = np.arange(self.day.shape[0])
        slot = self.day % self.wanted.shape[1]
        self.wanted[runs, slot], self.got[runs, slot] = wanted, got
        self.given[runs, slot] = 0.0 if given_up is None else self.imap.summed(given_up)
        self.day += 1
        need, have = self.wanted.sum(axis=1), self.got.sum(axis=1)
        self.undelivered = _share_short(need, have)
        if self.imap.backordered:   # late deliveries above the window's demand: inputs for lost output (step 2b)
            given = self.imap.output_share * self.given.sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                self.surplus[...] = np.where(need + given > 0, np.maximum(have / (need + given) - 1.0, 0.0), 0.0)
        if not self.given.any():   # nothing given up within the window: the shortfall of deliveries, exactly
            return self.undelivered
        given = self.given.sum(axis=1)
        return _share_short(need + self.imap.output_share * given, have)

    def capacity(self, demand: np.ndarray, delivered: np.ndarray, given_up: np.ndarray | None = None) -> np.ndarray:
        """Capacity factors (R, N) of the next day (``given_up``: demand given up to prices, or ``None``)."""
        short = self.short(demand, delivered, given_up)
        # Redesign starts with a shortage of deliveries or an export control upstream (a price rise alone starts no
        # requalification); today is the day just fed.
        today = (self.day - 1)[:, None]
        self.age[...] = np.where((self.age > 0) | (self.undelivered > 0) | (today >= self.controls[None, :]),
                                 self.age + 1, 0)
        if not self.age.any() and not short.any():  # nothing short today or before: every factor is exactly 1
            return np.ones((self.age.shape[0], self.imap.dependence.shape[1]))
        return self.imap.capacity_at(short, self.age)

    def row(self, r: int) -> Shortfalls:
        """The shortfalls of run ``r`` alone, sharing this one's state (feeding it updates this one)."""
        one = Shortfalls.__new__(Shortfalls)
        one.imap, one.age, one.controls = self.imap, self.age[r: r + 1], self.controls
        one.wanted, one.got, one.day = self.wanted[r: r + 1], self.got[r: r + 1], self.day[r: r + 1]
        one.given, one.undelivered = self.given[r: r + 1], self.undelivered[r: r + 1]
        one.surplus = self.surplus[r: r + 1]
        return one


def feeds_impact(network: Network, table: IOTable | None = None) -> bool:
    """Whether any demand of ``network`` supplies an input the table maps to industries.

    Examples
    --------
    >>> import supplychain as sc
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> feeds_impact(sc.load_baseline(horizon_days=5).network), feeds_impact(synthetic_scenario(5).network)
    (True, False)
    """
    return InputMap.build(network, load_io_table() if table is None else table).active


@dataclass(frozen=True, eq=False)
class ValueAddedLoss:
    """Value added lost per run, day, region and industry (USD at the table's prices).

    Attributes
    ----------
    daily : ndarray, shape (n_runs, n_days, n_regions, n_sectors)
        Value added lost each day; negative when overproduction makes up for earlier losses.
    regions, sectors : tuple of str
        Labels of the last two axes.
    method : str
        ``"ario"`` or ``"diim"``.
    """

    daily: np.ndarray
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    method: str

    @property
    def total(self) -> np.ndarray:
        """Value added lost over the horizon per run, region and sector, (n_runs, R, S)."""
        return self.daily.sum(axis=1)

    def __repr__(self) -> str:
        """One line: shape, mean total over runs, and the region and industry losing most.

        Examples
        --------
        >>> daily = np.zeros((2, 10, 2, 2))
        >>> daily[:, :, 0, 1] = 1e8
        >>> daily[:, :, 1, 0] = 2e7
        >>> ValueAddedLoss(daily, ("JP", "US"), ("C26", "OTH"), "ario")
        ValueAddedLoss(ario: 2 runs x 10 days x 2 regions x 2 industries; total $1.20bn (mean over runs); largest region JP $1.00bn, largest user electronics (C26) $200M, rest of the economy (OTH) $1.00bn)
        """
        from .._format import format_usd
        n_runs, n_days, n_r, n_s = self.daily.shape
        mean = self.total.mean(axis=0) if n_runs else np.zeros((n_r, n_s))
        head = (f"ValueAddedLoss({self.method}: {n_runs} run{'s' if n_runs != 1 else ''} x {n_days} days x "
                f"{n_r} regions x {n_s} industries; total {format_usd(float(mean.sum()))}"
                + (" (mean over runs)" if n_runs > 1 else ""))
        if not mean.size:
            return head + ")"
        by_region, by_sector = mean.sum(axis=1), mean.sum(axis=0)
        r = int(np.argmax(np.abs(by_region)))
        text = f"{head}; largest region {self.regions[r]} {format_usd(float(by_region[r]))}"
        # OTH is every other industry summed, so it would always be the largest: name the largest
        # industry that uses the chain's goods, and the rest of the economy apart.
        using = [k for k, code in enumerate(self.sectors) if code != REST_OF_ECONOMY]
        if using:
            k = max(using, key=lambda i: abs(by_sector[i]))
            text += (f", largest user {sector_name(self.sectors[k])} ({self.sectors[k]}) "
                     f"{format_usd(float(by_sector[k]))}")
        if REST_OF_ECONOMY in self.sectors:
            text += (f", {sector_name(REST_OF_ECONOMY)} ({REST_OF_ECONOMY}) "
                     f"{format_usd(float(by_sector[self.sectors.index(REST_OF_ECONOMY)]))}")
        return text + ")"

    def to_dataframe(self) -> pd.DataFrame:
        """Totals over the horizon, one row per run, region and sector (``value_added_loss_usd``).

        ``sector`` is the industry's code (``C26``) and ``industry`` its name (``electronics``,
        `supplychain.impact.table.sector_name`), as every table and chart of value added lost says it.
        """
        import pandas as pd

        n_runs, _, n_r, n_s = self.daily.shape
        sectors = np.tile(np.array(self.sectors, dtype=object), n_runs * n_r)
        return pd.DataFrame({
            "run": np.repeat(np.arange(n_runs), n_r * n_s),
            "region": np.tile(np.repeat(np.array(self.regions, dtype=object), n_s), n_runs),
            "sector": sectors,
            "industry": [sector_name(code) for code in sectors],
            "value_added_loss_usd": self.total.reshape(-1),
        })


def value_added_loss(demand: np.ndarray, delivered: np.ndarray, network: Network, *,
                     table: IOTable | None = None, method: Method = "ario",
                     rationing: Rationing = "priority", given_up: np.ndarray | None = None,
                     scenario: Scenario | None = None) -> ValueAddedLoss:
    """Value added lost beyond the chain, from daily demand and deliveries (docs/model.md §8.3).

    Parameters
    ----------
    demand, delivered : ndarray, shape (n_runs, n_days, n_demands)
        Recorded ``demand`` and ``delivered`` of ``network``'s demands.
    network : Network
        The network whose demands the arrays follow.
    table : IOTable, optional
        Input-output table; the shipped one by default.
    method : {"ario", "diim"}
        Propagation kernel.
    rationing : {"priority", "pro_rata"}
        How a short input is shared among the sectors that use it: the lowest-ranked uses of
        the table's priority ranks go short first (default), or every use by the same share
        (the conservative option).
    given_up : ndarray, shape (n_runs, n_days, n_demands), optional
        Demand given up to prices and tariffs (`supplychain.impact.given_up.PriceResponse`): the
        table's output share of it counts as not delivered (docs/model.md §8.3). None: nothing.
    scenario : Scenario, optional
        The scenario whose ``network`` this is: its export controls start the redesign of the inputs
        downstream of them on the day they are in force (`supplychain.impact.threat`). None: redesign starts
        on each input's first short day only.

    Examples
    --------
    >>> import supplychain as sc
    >>> net = sc.load_baseline(horizon_days=10).network
    >>> d = np.ones((1, 10, len(net.demands)))
    >>> float(np.abs(value_added_loss(d, d, net).total).max())      # everything delivered
    0.0
    >>> y = d.copy(); y[:, :, [net.demands.index(x) for x in net.demands
    ...                        if x.commodity == "mature_chip" and x.region == "JP"]] = 0.5
    >>> loss = value_added_loss(d, y, net)                  # Japan gets half its mature chips
    >>> loss.regions[int(loss.total[0].sum(axis=1).argmax())]
    'JP'
    """
    check_choice(method, METHODS, "method", "value_added_loss")
    table = load_io_table() if table is None else table
    demand = np.broadcast_to(np.asarray(demand, dtype=float), np.shape(delivered))
    delivered = np.asarray(delivered, dtype=float)
    n_runs, n_days, _ = delivered.shape
    imap = InputMap.build(network, table, rationing)
    short = Shortfalls(imap, n_runs, table.working_stock_days,
                       None if scenario is None else control_days(scenario, imap))
    n_r, n_s = len(table.regions), len(table.sectors)
    x0 = table.daily_output
    given = None if given_up is None else np.broadcast_to(np.asarray(given_up, dtype=float), delivered.shape)
    caps, rooms = [], []
    for t in range(n_days):
        caps.append(short.capacity(demand[:, t], delivered[:, t], None if given is None else given[:, t]))
        rooms.append(imap.room_at(short.surplus) if imap.backordered else None)
    cap = np.stack(caps, axis=1) if n_days else np.ones((n_runs, 0, n_r * n_s))
    if method == "ario":
        stepper = _Stepper(table, n_runs, imap.dependent_share, imap.backordered)
        lost = np.stack([stepper.step(cap[:, t], rooms[t]) for t in range(n_days)], axis=1) if n_days \
            else cap * 0.0
    else:
        a_star = table.a * x0[None, :] / x0[:, None]
        q = diim(a_star, diim_resilience(table), 1.0 - cap)
        lost = q * x0
    daily = (lost * table.value_added).reshape(n_runs, n_days, n_r, n_s) if method == "diim" else \
        lost.reshape(n_runs, n_days, n_r, n_s)
    return ValueAddedLoss(daily=daily, regions=table.regions, sectors=table.sectors, method=method)


def diim_resilience(table: IOTable) -> np.ndarray:
    """DIIM resilience ``k_i = ln(100) / (T (1 - a*_ii))``: 99 % recovered within ``T`` inventory days.

    The form is Lian & Haimes (2006); ``T`` is the table's inventory days, so the DIIM's lag stands in
    for the ARIO kernel's stocks.
    """
    days = float(table.params.inventory_days.max())
    return np.minimum(np.log(100.0) / (days * (1.0 - np.diag(table.a))), 1.0)


class _Stepper:
    """The ARIO kernel of ``n_runs`` runs, stepped only for runs that have met a shortfall.

    Until its first capacity factor below 1 a run stays at the kernel's fixed point and loses
    nothing, so it is not stepped; the choice is the run's own, so its numbers do not depend on
    which runs share its batch.
    """

    def __init__(self, table: IOTable, n_runs: int, dependent: np.ndarray | None = None,
                 makeup: bool = False) -> None:
        self.table = table
        self.kernel = Ario(table.a, table.daily_output, table.sector_of_node, table.params, n_runs, dependent,
                           makeup=makeup)
        self.disturbed = np.zeros(n_runs, dtype=bool)

    def step(self, capacity: np.ndarray, room: np.ndarray | None = None) -> np.ndarray:
        """Value added lost on the day (R, N) under capacity factors (R, N) and make-up room (R, N) or None."""
        self.disturbed |= (capacity < 1.0).any(axis=1)
        lost = np.zeros_like(capacity)
        if not self.disturbed.any():
            return lost
        rows = np.flatnonzero(self.disturbed)
        out = self.kernel.step_rows(rows, capacity[rows], None if room is None else room[rows])
        lost[rows] = (self.table.daily_output - out) * self.table.value_added
        return lost

    def row(self, r: int) -> _Stepper:
        one = _Stepper.__new__(_Stepper)
        one.table, one.kernel = self.table, self.kernel.row(r)
        one.disturbed = self.disturbed[r: r + 1]
        return one


class LossAccumulator:
    """Per-run totals of value added lost, fed one day at a time (for ``keep="summary"``).

    Holds the ARIO state of its runs only; `row` gives a view on one run that writes into
    this one. Inactive (and free) when no demand of the network feeds the impact layer.
    """

    def __init__(self, network: Network, n_runs: int, table: IOTable | None = None,
                 scenario: Scenario | None = None) -> None:
        self.table = load_io_table() if table is None else table
        self.imap = InputMap.build(network, self.table)
        self.short = Shortfalls(self.imap, n_runs, self.table.working_stock_days,
                                None if scenario is None else control_days(scenario, self.imap))
        n_r, n_s = len(self.table.regions), len(self.table.sectors)
        self.total = np.zeros((n_runs, n_r, n_s))
        self.stepper = _Stepper(self.table, n_runs, self.imap.dependent_share, self.imap.backordered) \
            if self.imap.active else None
        # The last 2 x RUN_RATE_DAYS days' loss per region, a ring: the run rate and its previous window.
        self.ring = np.zeros((n_runs, 2 * RUN_RATE_DAYS, n_r))
        self.fed = np.zeros(n_runs, dtype=np.int64)

    def row(self, r: int) -> LossAccumulator:
        """An accumulator of run ``r`` alone sharing this one's state (no copy)."""
        one = LossAccumulator.__new__(LossAccumulator)
        one.table, one.imap, one.short = self.table, self.imap, self.short.row(r)
        one.total, one.ring, one.fed = self.total[r: r + 1], self.ring[r: r + 1], self.fed[r: r + 1]
        one.stepper = None if self.stepper is None else self.stepper.row(r)
        return one

    def put(self, demand: np.ndarray, delivered: np.ndarray, given_up: np.ndarray | None = None) -> None:
        """Add one day from its demand, delivered and demand given up to prices (or ``None``), each (R, D)."""
        slot = self.fed % self.ring.shape[1]
        runs = np.arange(self.fed.shape[0])
        self.fed += 1
        if self.stepper is None:
            return  # no demand feeds an industry: nothing is ever lost (the ring stays 0)
        demand = np.broadcast_to(demand, np.shape(delivered))
        capacity = self.short.capacity(demand, delivered, given_up)
        if not self.stepper.disturbed.any() and not (capacity < 1.0).any():
            self.ring[runs, slot] = 0.0
            return  # no run short today or before: every run stays at the kernel's fixed point, losing nothing
        room = self.imap.room_at(self.short.surplus) if self.imap.backordered else None
        lost = self.stepper.step(capacity, room).reshape(self.total.shape)
        self.total += lost
        self.ring[runs, slot] = lost.sum(axis=2)

    def recent(self) -> np.ndarray:
        """Each run's loss per region on its last days fed, oldest first.

        Shape (R, min(days fed, 2 x RUN_RATE_DAYS), regions).

        The days a run rate needs (`supplychain.impact.run_rate`); all runs of an accumulator are fed
        the same days.
        """
        n_runs, width, n_r = self.ring.shape
        kept = int(min(self.fed.min(), width)) if n_runs else 0
        if kept == 0:
            return np.zeros((n_runs, kept, n_r))
        order = (self.fed[:, None] - kept + np.arange(kept)[None, :]) % width       # (R, kept)
        return np.take_along_axis(self.ring, order[:, :, None], axis=1)
