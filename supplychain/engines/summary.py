"""Ensemble summaries whose memory does not grow with the number of days x runs x items.

With ``simulate(..., keep="summary")`` no daily series leaves a chunk of
runs. Each chunk reduces its runs to a `SummaryPart`:

* per-run totals over the horizon of demand, delivered, demand served from
  stock on its day and stockout days per demand (from which shortfalls,
  fill rates, delivery rates and cycle service levels follow),
* per-run totals over the horizon per lane (`LANE_TOTALS`): units
  shipped, units shipped x the day's tariff rate and the USD of rerouting
  extras (``ExportControl`` leakage), from which import costs, landed costs,
  tariffs paid and import shares follow as for daily results, and
* per-run totals of value added lost per region and industry beyond the
  chain (`supplychain.impact`, docs/model.md §8.3), and
* per-run daily values of two key series per region (and ``"ALL"``),
  valued in USD at reference prices so commodities add up:
  ``service_level`` (delivered / demanded that day, 1 on days without
  demand, as in `supplychain.metrics.days_below_service`) and
  ``shortfall_usd`` (the cumulative shortfall of
  `supplychain.metrics.cumulative_shortfall`) and ``price_index``
  (the scarcity prices of the group's final demands, docs/model.md §5.9,
  weighted by the value of their baseline demand: 1 at reference prices),
  stored as float32, and
* per-run timing (`TIMING_THRESHOLDS`, docs/model.md §8.2, *When*): for
  each group and threshold, the first day from the scenario's shock day on
  which the service level falls below it and the day service then recovers
  (``time_to_recover``'s definition: ``RECOVER_AT`` held for
  ``SUSTAIN_DAYS`` days), found as the days pass with a counter of
  consecutive good days, so no daily array is kept for it.

`BandAccumulator` turns the daily values into percentile bands.
Percentiles need every run at once, so runs are cut into blocks of at most
``BAND_BUDGET_BYTES`` of float32 values. When one block holds the whole
ensemble (10,000 runs of the 365-day baseline take about 200 MB) the bands
are exact. Otherwise each block's percentiles are computed and the bands are
their run-weighted mean: a standard batch approximation whose bias shrinks
like ``1 / block size`` (blocks hold thousands of runs, so it is far below
the Monte Carlo error of a 5 % quantile). Blocks depend only on the number of
runs and the scenario's size, never on chunk size or executor, so results
stay bit-identical across those.

Implements docs/model.md §8.1 (recorded) and §8.2 (derived), for ``keep="summary"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..compile.compiler import Compiled
from ..impact.given_up import PriceResponse
from ..impact.loss import LossAccumulator
from .sums import csr_times

__all__ = ["TIMING_THRESHOLDS", "RECOVER_AT", "SUSTAIN_DAYS", "TIMING_TOTALS", "QUANTILES", "BAND_SERIES", "ALL",
           "LANE_TOTALS", "SummaryPart", "SummarySink", "BandAccumulator",
           "band_groups", "stockouts", "STOCKOUT_TOLERANCE"]

#: Percentiles of the daily bands.
QUANTILES = (5.0, 25.0, 50.0, 75.0, 95.0)
#: Key daily series kept as bands, per region and for all regions.
BAND_SERIES = ("service_level", "shortfall_usd", "price_index")
#: Per-run totals over the horizon per lane, each ``(n_runs, n_lanes)``: units shipped, the sum over days
#: of units shipped x that day's tariff rate, and the USD of rerouting extras (flow x extra cost per unit).
LANE_TOTALS = ("lane_flow", "lane_tariff_units", "lane_extra_usd")
#: Service levels whose first crossing from the shock day each run records per group (docs/model.md §8.2,
#: *When*): 0.99 (the first dip from normal service, `RECOVER_AT`), 0.95 (the default threshold of
#: ``time_to_survive`` and ``fail_below`` of ``time_to_recover``), 0.90 and 0.80 (a tenth, a fifth of the
#: day's demand unmet) and 0.50 (half of it unmet).
TIMING_THRESHOLDS = (0.99, 0.95, 0.90, 0.80, 0.50)
#: Service level a group must regain, and for how many days in a row, to count as recovered: the defaults of
#: `supplychain.analytics.resilience.time_to_recover`.
RECOVER_AT = 0.99
SUSTAIN_DAYS = 14
#: Per-run timing, each ``(n_runs, len(TIMING_THRESHOLDS), n_groups)`` of days from the shock day: the first day
#: with the service level below each threshold (``inf``: never) and the time to recover after it
#: (0: never below; ``inf``: not recovered within the horizon).
TIMING_TOTALS = ("days_below", "days_to_recover")
#: Label of the group summing every region.
ALL = "ALL"
#: Most bytes of per-run daily values held at once to compute percentiles.
BAND_BUDGET_BYTES = 256 * 2**20


def band_groups(c: Compiled) -> tuple[tuple[str, ...], sparse.csr_matrix]:
    """Group labels (regions with demand, sorted, then ``"ALL"``) and the (D, G) USD weights.

    Entry ``(d, g)`` is demand ``d``'s reference price if it belongs to group ``g``.
    """
    net = c.scenario.network
    regions = [d.region for d in net.demands]
    labels = tuple(sorted(set(regions))) + (ALL,)
    price = {k.id: k.price_usd for k in net.commodities}
    rows, cols, vals = [], [], []
    for i, d in enumerate(net.demands):
        for g in (labels.index(d.region), len(labels) - 1):
            rows.append(i)
            cols.append(g)
            vals.append(price[d.commodity])
    return labels, sparse.csr_matrix((vals, (rows, cols)), shape=(len(regions), len(labels)))


@dataclass(frozen=True, eq=False)
class SummaryPart:
    """Per-run summaries of a contiguous block of ``r`` runs (what a chunk returns)."""

    demand: np.ndarray     # (r, D) total demand over the horizon
    delivered: np.ndarray  # (r, D) total delivered
    daily: np.ndarray      # (r, T, 3 G) float32: service_level, shortfall_usd, then price_index columns
    served_on_day: np.ndarray  # (r, D) total demand served from stock on the day it arose
    stockout_days: np.ndarray  # (r, D) days with a stockout (`stockouts`)
    lane_flow: np.ndarray          # (r, L) units shipped over the horizon
    lane_tariff_units: np.ndarray  # (r, L) sum over days of units shipped x tariff rate
    lane_extra_usd: np.ndarray     # (r, L) sum over days of units shipped x rerouting extra (USD/unit)
    value_added_loss: np.ndarray   # (r, regions, sectors) USD of value added lost (docs/model.md §8.3)
    value_added_loss_recent: np.ndarray  # (r, last days, regions) the daily loss of the last days (run rate)
    days_below: np.ndarray       # (r, thresholds, G) days from the shock to service first below each threshold
    days_to_recover: np.ndarray  # (r, thresholds, G) days from the shock to recovery after that (0: never below)


class SummarySink:
    """A kernel sink that keeps only what `SummaryPart` needs.

    Every reduction runs day by day in a fixed order (a sparse product sums
    each row in column order), so a run's numbers do not depend on how many
    runs share its chunk.
    """

    #: It keeps no order book or quoted lead time (`supplychain.engines.kernel.records`).
    records = False

    def __init__(self, c: Compiled, n_runs: int) -> None:
        _, weights = band_groups(c)
        n_groups = weights.shape[1]
        self.summing = weights.T.tocsr()  # (G, D): one sparse product per series and day
        # Price index of a group: sum of rate x price over sum of rate x reference price (its demands).
        self.price_summing, self.price_base, self.demand_stock = _price_weights(c, weights)
        # Runs last in memory, like the vector engine's daily arrays: each sum then runs over contiguous memory.
        self.demand = np.zeros((n_runs, c.n_demands), order="F")
        self.delivered = np.zeros((n_runs, c.n_demands), order="F")
        self.served_on_day = np.zeros((n_runs, c.n_demands), order="F")
        self.stockout_days = np.zeros((n_runs, c.n_demands), order="F")
        self.tariff = c.schedules.tariff                       # (T or 1, L)
        # Days whose tariffs are all zero add exactly nothing to lane_tariff_units: skip them.
        self.taxed = self.tariff.any(axis=1)
        self.extra = c.schedules.extras.get("extra_cost_usd")  # (T, L) or None
        for name in LANE_TOTALS:
            setattr(self, name, np.zeros((n_runs, c.n_lanes), order="F"))
        self.gap = np.zeros((n_runs, n_groups))
        self.daily = np.empty((n_runs, c.n_days, len(BAND_SERIES) * n_groups), dtype=np.float32)
        self.impact = LossAccumulator(c.scenario.network, n_runs, scenario=c.scenario)
        self.response = PriceResponse(c)   # demand given up to prices counts in value added lost (§8.3)
        # Timing (docs/model.md §8.2, When): first day below each threshold, first day of a recovery window
        # (inf until found) and the run of consecutive days at RECOVER_AT or above ending on the last day seen.
        self.shock_day = 0 if c.scenario.shock_day is None else int(c.scenario.shock_day)
        self.thresholds = np.array(TIMING_THRESHOLDS)[None, :, None]
        self.fail_day = np.full((n_runs, len(TIMING_THRESHOLDS), n_groups), np.inf)
        self.recover_day = np.full((n_runs, len(TIMING_THRESHOLDS), n_groups), np.inf)
        self.good_days = np.zeros((n_runs, n_groups), dtype=np.int64)

    def row(self, r: int) -> SummarySink:
        """A sink of run ``r`` alone that accumulates into this one (no copy).

        Each run's reductions involve only its own row, so run ``r`` gets the
        same bits through its row as in a batch.
        """
        one = SummarySink.__new__(SummarySink)
        one.summing, one.tariff, one.extra, one.taxed = self.summing, self.tariff, self.extra, self.taxed
        one.impact, one.response = self.impact.row(r), self.response
        one.price_summing, one.price_base, one.demand_stock = self.price_summing, self.price_base, self.demand_stock
        one.shock_day, one.thresholds = self.shock_day, self.thresholds
        for name in ("demand", "delivered", "served_on_day", "stockout_days", "gap", "daily", *LANE_TOTALS,
                     "fail_day", "recover_day", "good_days"):
            setattr(one, name, getattr(self, name)[r: r + 1])
        return one

    def put(self, t: int, **values: np.ndarray) -> None:
        """Accumulate day ``t`` from ``demand``, ``delivered``, ``unmet``, ``served_on_day``, ``flow`` and ``price``.

        Other values are ignored; without ``price`` the price index is 1.
        """
        flow = values["flow"]
        self.lane_flow += flow
        row = t if self.tariff.shape[0] > 1 else 0
        if self.taxed[row]:
            self.lane_tariff_units += flow * self.tariff[row]
        if self.extra is not None:
            self.lane_extra_usd += flow * self.extra[t]
        demand = np.broadcast_to(values["demand"], self.demand.shape)
        delivered = values["delivered"]
        self.demand += demand
        self.delivered += delivered
        self.served_on_day += values["served_on_day"]
        self.stockout_days += stockouts(delivered, values["unmet"])
        self.impact.put(demand, delivered, self.response.given_up(t, demand, values.get("price")))
        wanted = _group_sum(demand, self.summing)
        served = _group_sum(delivered, self.summing)
        self.gap += wanted - served
        n_groups = self.gap.shape[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            service = np.where(wanted > 0, served / wanted, 1.0)
        self.daily[:, t, :n_groups] = service
        self._time(t, service)
        self.daily[:, t, n_groups: 2 * n_groups] = np.maximum(self.gap, 0.0)
        self.daily[:, t, 2 * n_groups:] = self._price_index(values.get("price"))

    def _time(self, t: int, service: np.ndarray) -> None:
        """Advance the timing by day ``t``'s service level per run and group, ``(R, G)`` float64.

        From the shock day on, a threshold's first day below is the first ``t`` with
        ``service < threshold``. A recovery is the first window of `SUSTAIN_DAYS` days at `RECOVER_AT` or above
        starting after that day: when the count of good days in a row reaches `SUSTAIN_DAYS` on day ``t``, the
        window began on ``t - SUSTAIN_DAYS + 1``. The failing day itself is below `RECOVER_AT` (every threshold
        is at most `RECOVER_AT`), so the count restarted after it and the window starts later, as
        ``time_to_recover`` asks.
        """
        self.good_days += 1   # in place: a run's sink (`row`) writes through to its ensemble's arrays
        self.good_days[service < RECOVER_AT] = 0
        if t < self.shock_day:
            return
        first = (service[:, None, :] < self.thresholds) & np.isinf(self.fail_day)
        self.fail_day[first] = t
        back = (self.good_days >= SUSTAIN_DAYS)[:, None, :] & np.isfinite(self.fail_day) & np.isinf(self.recover_day)
        self.recover_day[back] = t - SUSTAIN_DAYS + 1

    def _price_index(self, price: np.ndarray | None) -> np.ndarray | float:
        """The groups' price index from the day's ``price`` per stock (R, S) or (R, T, S); 1 without it."""
        if price is None:
            return 1.0
        at_demand = np.asarray(price)[..., self.demand_stock]
        shape = at_demand.shape
        summed = _group_sum(at_demand.reshape(-1, shape[-1]), self.price_summing).reshape(shape[:-1] + (-1,))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.price_base > 0, summed / np.where(self.price_base > 0, self.price_base, 1.0), 1.0)

    def put_horizon(self, demand: np.ndarray, delivered: np.ndarray, unmet: np.ndarray,
                    served_on_day: np.ndarray, flow: np.ndarray, price: np.ndarray | None = None) -> None:
        """Accumulate every day at once on a new sink, from ``(R, T, D)`` daily values and ``(R, T, L)`` flows.

        The same numbers, bit for bit, as ``T`` calls of `put`: running
        totals are cumulative sums, which add day after day in order, and the
        group sums treat each (run, day) row alike. One call per run instead of
        one per day saves the SimPy engine the per-call cost of small sparse
        products.
        """
        r, t, d = delivered.shape
        tariff = np.broadcast_to(self.tariff, flow.shape[1:])
        self.lane_flow[:] = np.cumsum(flow, axis=1)[:, -1]
        self.lane_tariff_units[:] = np.cumsum(flow * tariff, axis=1)[:, -1]
        if self.extra is not None:
            self.lane_extra_usd[:] = np.cumsum(flow * self.extra, axis=1)[:, -1]
        demand = np.broadcast_to(demand, delivered.shape)
        self.demand[:] = np.cumsum(demand, axis=1)[:, -1]
        self.delivered[:] = np.cumsum(delivered, axis=1)[:, -1]
        self.served_on_day[:] = np.cumsum(served_on_day, axis=1)[:, -1]
        self.stockout_days[:] = np.cumsum(stockouts(delivered, unmet), axis=1)[:, -1]
        for day in range(t):
            self.impact.put(demand[:, day], delivered[:, day],
                            self.response.given_up(day, demand[:, day], None if price is None else price[:, day]))
        wanted = _group_sum(demand.reshape(r * t, d), self.summing).reshape(r, t, -1)
        served = _group_sum(delivered.reshape(r * t, d), self.summing).reshape(r, t, -1)
        gap = np.cumsum(wanted - served, axis=1)
        self.gap[:] = gap[:, -1]
        n_groups = self.gap.shape[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            service = np.where(wanted > 0, served / wanted, 1.0)
        self.daily[:, :, :n_groups] = service
        for day in range(t):
            self._time(day, service[:, day])
        self.daily[:, :, n_groups: 2 * n_groups] = np.maximum(gap, 0.0)
        self.daily[:, :, 2 * n_groups:] = self._price_index(price)

    def result(self) -> SummaryPart:
        """The summaries gathered so far."""
        return SummaryPart(demand=self.demand, delivered=self.delivered, daily=self.daily,
                           served_on_day=self.served_on_day, stockout_days=self.stockout_days,
                           lane_flow=self.lane_flow, lane_tariff_units=self.lane_tariff_units,
                           lane_extra_usd=self.lane_extra_usd, value_added_loss=self.impact.total,
                           value_added_loss_recent=self.impact.recent(), **self.timing())

    def timing(self) -> dict[str, np.ndarray]:
        """`TIMING_TOTALS` so far, in days from the shock day."""
        failed = np.isfinite(self.fail_day)
        return {"days_below": self.fail_day - self.shock_day,
                "days_to_recover": np.where(failed, self.recover_day - self.shock_day, 0.0)}


#: Unmet share of what was wanted above which a day is a stockout (rounding is not a stockout).
STOCKOUT_TOLERANCE = 1e-9


def stockouts(delivered: np.ndarray, unmet: np.ndarray) -> np.ndarray:
    """1.0 on a stockout day, else 0.0: some demand (or backlog) was not served from stock.

    A day is a stockout when ``unmet > STOCKOUT_TOLERANCE * (delivered + unmet)``,
    ``delivered + unmet`` being what was wanted (the day's demand plus backlog).

    Examples
    --------
    >>> stockouts(np.array([10.0, 8.0, 0.0]), np.array([0.0, 2.0, 0.0])).tolist()
    [0.0, 1.0, 0.0]
    """
    return (unmet > STOCKOUT_TOLERANCE * (delivered + unmet)).astype(float)


def _price_weights(c: Compiled, weights: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """(G, D) baseline demand rates per group, each group's value of baseline demand (G,), demand stocks (D,).

    ``weights`` (D, G) holds each demand's reference price where it belongs to a group.
    """
    member = weights.copy().tocsr()
    member.data[:] = 1.0
    rates = sparse.diags(c.demand_rate) @ member          # (D, G): rate where the demand is in the group
    base = np.asarray(weights.T @ c.demand_rate).ravel()  # sum of reference price x rate per group
    return rates.T.tocsr(), base, np.asarray(c.demand_stock, dtype=np.intp)


def _group_sum(values: np.ndarray, summing: sparse.csr_matrix) -> np.ndarray:
    """``values @ summing.T`` for (R, D) values: each run's groups summed in column order."""
    return csr_times(summing, np.asarray(values).T).T


def _blocks(n_runs: int, bytes_per_run: int, budget: int) -> list[int]:
    """Near-equal block sizes covering ``n_runs``, each within ``budget`` bytes."""
    most = max(1, budget // max(bytes_per_run, 1))
    n_blocks = -(-n_runs // most)
    base, extra = divmod(n_runs, n_blocks)
    return [base + (i < extra) for i in range(n_blocks)]


class BandAccumulator:
    """Percentile bands of per-run daily values fed in run order, block by block.

    Examples
    --------
    >>> acc = BandAccumulator(n_runs=4, n_days=2, n_columns=1)
    >>> acc.add(np.arange(8, dtype=np.float32).reshape(4, 2, 1))
    >>> bands, exact = acc.result()
    >>> bands[2, :, 0], exact            # medians of days 0 and 1
    (array([3., 4.]), True)
    """

    def __init__(self, n_runs: int, n_days: int, n_columns: int, *, budget: int = BAND_BUDGET_BYTES,
                 quantiles: tuple[float, ...] = QUANTILES) -> None:
        self.sizes = _blocks(n_runs, n_days * n_columns * 4, budget)
        self.quantiles = quantiles
        self.total = np.zeros((len(quantiles), n_days, n_columns))
        # Runs last, so each percentile partitions contiguous memory (about twice as fast).
        self.buffer = np.empty((n_days, n_columns, self.sizes[0]), dtype=np.float32)
        self.filled = 0
        self.block = 0
        self.n_runs = n_runs

    def add(self, daily: np.ndarray) -> None:
        """Append the next runs' daily values, shape (r, T, C)."""
        while len(daily):
            size = self.sizes[self.block]
            take = min(size - self.filled, len(daily))
            self.buffer[:, :, self.filled: self.filled + take] = np.moveaxis(daily[:take], 0, -1)
            self.filled += take
            daily = daily[take:]
            if self.filled == size:
                self._close_block(size)

    def _close_block(self, size: int) -> None:
        block = self.buffer[:, :, :size]
        # overwrite_input lets NumPy partition in place instead of copying the block.
        q = np.asarray(np.percentile(block, self.quantiles, axis=-1, overwrite_input=True), dtype=float)
        if len(self.sizes) == 1:
            self.total = q
        else:
            self.total += q * size
        self.filled = 0
        self.block += 1

    def result(self) -> tuple[np.ndarray, bool]:
        """Bands (Q, T, C) and whether they are exact (a single block)."""
        if len(self.sizes) == 1:
            return self.total, True
        return self.total / self.n_runs, False
