"""Results of a simulation: one immutable type shared by both engines.

Daily series are NumPy arrays shaped ``(n_runs, n_days, n_items)`` whose last
axis is labelled by `Coords`. Tables come from `Results.to_dataframe`
(long, tidy form) and `Results.summary` (per region and commodity).

Implements docs/model.md §8.1 (recorded).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..engines.variables import VARIABLES, variable_axes
from ..model.scenario import Scenario
from ..errors import ValidationError
from .archive import read_archive, save_results
from .labelled import demand_segments

if TYPE_CHECKING:
    import pandas as pd

    from ..impact.loss import ValueAddedLoss
    from ..impact.table import IOTable
    import xarray

__all__ = ["Coords", "Results", "VARIABLE_AXES", "summary_table", "load_results", "coords_from_json",
           "demand_segments"]

#: Each recorded daily series and the axis it is labelled by (from the one table,
#: `supplychain.engines.variables.VARIABLES`).
VARIABLE_AXES: dict[str, str] = variable_axes()

#: Bytes a row of `Results.to_dataframe` takes while it is built: nine 8-byte columns (five of them object
#: pointers to shared labels) and the copy `pandas.concat` makes of them.
FRAME_BYTES_PER_ROW = 144


def _physical_memory() -> int:
    """This machine's physical memory in bytes, or 0 where the system does not say."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return 0


@dataclass(frozen=True, eq=False)
class Coords:
    """Labels of the result axes.

    ``stock`` labels are ``"node:commodity"``; every item also has a region
    and a commodity so tables can be grouped.
    """

    facility: tuple[str, ...]
    lane: tuple[str, ...]
    demand: tuple[str, ...]
    stock: tuple[str, ...]
    region: dict[str, tuple[str, ...]] = field(default_factory=dict)     # axis -> region per item
    commodity: dict[str, tuple[str, ...]] = field(default_factory=dict)  # axis -> commodity per item

    @classmethod
    def from_scenario(cls, scenario: Scenario, stock_node: tuple[str, ...],
                      stock_commodity: tuple[str, ...]) -> Coords:
        """Labels for a scenario's facilities, lanes, demands and stocks."""
        net = scenario.network
        node_region = {f.id: f.region for f in net.facilities} | {d.id: d.region for d in net.demands}
        lanes = net.lanes
        return cls(
            facility=tuple(f.id for f in net.facilities),
            lane=tuple(l.id for l in lanes),
            demand=tuple(d.id for d in net.demands),
            stock=tuple(f"{n}:{c}" for n, c in zip(stock_node, stock_commodity)),
            region={
                "facility": tuple(f.region for f in net.facilities),
                "lane": tuple(f"{node_region[l.origin]}>{node_region[l.destination]}" for l in lanes),
                "demand": tuple(d.region for d in net.demands),
                "stock": tuple(node_region[n] for n in stock_node),
            },
            commodity={
                "facility": tuple(f.output for f in net.facilities),
                "lane": tuple(l.commodity for l in lanes),
                "demand": tuple(d.commodity for d in net.demands),
                "stock": tuple(stock_commodity),
            },
        )

    def labels(self, axis: str) -> tuple[str, ...]:
        """Item ids along ``axis``."""
        return getattr(self, axis)

    def index(self, axis: str, ident: str) -> int:
        """Position of ``ident`` along ``axis`` (close matches suggested if unknown)."""
        from .._validation import check_known
        labels = self.labels(axis)
        check_known(ident, labels, axis, "Results")
        return labels.index(ident)


@dataclass(frozen=True, eq=False)
class Results:
    """What happened in one or more runs of a scenario.

    See docs/model.md §8.1 (recorded).

    Parameters
    ----------
    engine : str
        ``"des"`` or ``"vector"``.
    seed : int
        The root seed; run ``r`` used ``SeedSequence(seed).spawn(n_runs)[r]``.
    scenario : Scenario
        The scenario simulated.
    coords : Coords
        Labels of the last axis of each array.
    arrays : dict of str to ndarray
        Daily series, shape ``(n_runs, n_days, n_items)``, read-only.
    initial_inventory : ndarray
        Stock on hand at the start of day 0, shape ``(n_stocks,)``.
    initial_in_transit : ndarray
        Goods in transit at the start of day 0 per lane, shape ``(n_lanes,)``.
    compiled_loops : bool or None
        Whether the vector engine ran its bookkeeping as compiled Numba loops
        (`supplychain.engines.jit`, ``SUPPLYCHAIN_JIT``): the same
        numbers, faster. ``False`` for NumPy alone and for the SimPy engine;
        ``None`` when not known (run on a dask cluster, or read from an
        archive written before archives kept it). Archives keep it. The repr
        and ``supplychain run`` say which.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(30), seed=1)
    >>> res.n_runs, res.n_days
    (1, 30)
    >>> bool((res.delivered <= res.demand + 1e-9).all())
    True
    """

    engine: str
    seed: int
    scenario: Scenario
    coords: Coords
    arrays: dict[str, np.ndarray]
    initial_inventory: np.ndarray
    initial_in_transit: np.ndarray
    compiled_loops: bool | None = None

    def __post_init__(self) -> None:
        for arr in list(self.arrays.values()) + [self.initial_inventory, self.initial_in_transit]:
            arr.flags.writeable = False

    # Shapes and labels ------------------------------------------------------------------------
    @property
    def n_runs(self) -> int:
        return int(self.arrays["demand"].shape[0])

    @property
    def n_days(self) -> int:
        return int(self.arrays["demand"].shape[1])

    @property
    def dates(self) -> list[dt.date]:
        """Calendar date of each day."""
        return [self.scenario.date_of(t) for t in range(self.n_days)]

    # Named series -----------------------------------------------------------------------------
    @property
    def production(self) -> np.ndarray:
        """Units produced per facility per day, ``(runs, days, facilities)``."""
        return self.arrays["production"]

    @property
    def inventory(self) -> np.ndarray:
        """Stock on hand at the end of each day, ``(runs, days, stocks)``."""
        return self.arrays["inventory"]

    @property
    def flow(self) -> np.ndarray:
        """Units shipped on each lane per day, ``(runs, days, lanes)``."""
        return self.arrays["flow"]

    @property
    def arrivals(self) -> np.ndarray:
        """Units landed at the buyer per lane per day, ``(runs, days, lanes)``."""
        return self.arrays["arrivals"]

    @property
    def in_transit(self) -> np.ndarray:
        """Units in transit on each lane at the end of each day, ``(runs, days, lanes)``."""
        return self.arrays["in_transit"]

    @property
    def demand(self) -> np.ndarray:
        """Final demand per day (new demand, excluding backlog), ``(runs, days, demands)``."""
        return self.arrays["demand"]

    @property
    def delivered(self) -> np.ndarray:
        """Final demand served per day, ``(runs, days, demands)``."""
        return self.arrays["delivered"]

    @property
    def unmet(self) -> np.ndarray:
        """Demand outstanding at the end of each day (lost, or backlogged), ``(runs, days, demands)``."""
        return self.arrays["unmet"]

    @property
    def released(self) -> np.ndarray:
        """Units released from strategic reserves into each stock per day, ``(runs, days, stocks)``.

        Zeros when the scenario has no `StockpileRelease`.
        """
        return self._optional("released")

    @property
    def destroyed(self) -> np.ndarray:
        """Units of stock destroyed by disasters per day, ``(runs, days, stocks)``.

        Zeros when no `CapacityShock` destroys inventory.
        """
        return self._optional("destroyed")

    def _optional(self, name: str) -> np.ndarray:
        if name in self.arrays:
            return self.arrays[name]
        zeros = np.zeros(self.arrays["inventory"].shape)
        zeros.flags.writeable = False
        return zeros

    @property
    def variables(self) -> tuple[str, ...]:
        """Names of the recorded series, in the order of `VARIABLE_AXES`."""
        return tuple(name for name in VARIABLES if name in self.arrays)

    def series(self, variable: str, ident: str) -> np.ndarray:
        """One item's daily series, ``(runs, days)``, e.g. ``series("flow", "CN.mine>US.ore")``.

        Every variable of `VARIABLE_AXES` is reachable; ``released`` and
        ``destroyed`` are zeros when the scenario lacks their mechanism.

        Examples
        --------
        >>> from supplychain import load_baseline, simulate
        >>> res = simulate(load_baseline().with_horizon(5), seed=1)
        >>> stock = res.coords.stock[0]
        >>> res.series("inventory", stock).shape, float(res.series("released", stock).sum())
        ((1, 5), 0.0)
        """
        from .._validation import check_known
        check_known(variable, VARIABLE_AXES, "variable", "Results")
        return self.values(variable)[:, :, self.coords.index(VARIABLE_AXES[variable], ident)]

    def values(self, variable: str) -> np.ndarray:
        """Every item's daily series of one variable, ``(runs, days, items)``.

        ``released`` and ``destroyed`` are zeros when the scenario lacks their mechanism.
        """
        from .._validation import check_known
        check_known(variable, VARIABLE_AXES, "variable", "Results")
        return self._optional(variable) if VARIABLES[variable].mechanism else self.arrays[variable]

    # Tables -----------------------------------------------------------------------------------
    def to_dataframe(self, variables: str | list[str] | None = None) -> pd.DataFrame:
        """Long, tidy table: one row per run, day, variable and item.

        Columns: ``run, day, date, variable, id, region, commodity, segment, value``;
        ``segment`` is a demand's end use (`demand_segments`), empty for
        other items and for demands without one. By default every recorded variable (`variables`); any name of
        `VARIABLE_AXES` may be asked for (``released`` and ``destroyed``
        are zeros when not recorded). One name may be given as a string.

        Examples
        --------
        >>> from supplychain import simulate
        >>> from supplychain.analytics._toy import toy_scenario
        >>> simulate(toy_scenario(3)).to_dataframe("price")["variable"].unique().tolist()
        ['price']
        """
        import pandas as pd

        from .._validation import check_known
        names = list(self.variables) if variables is None else [variables] if isinstance(variables, str) else variables
        for name in names:
            check_known(name, VARIABLE_AXES, "variable", "Results")
        rows = self.n_runs * self.n_days * sum(len(self.coords.labels(VARIABLE_AXES[n])) for n in names)
        need, have = rows * FRAME_BYTES_PER_ROW, _physical_memory()
        if have and need > have / 2:
            from .._format import format_bytes
            raise ValidationError(
                f"to_dataframe() of {len(names)} variable(s) over {self.n_runs:,} run(s) would build {rows:,} rows, "
                f"about {format_bytes(need)}, more than half of this machine's {format_bytes(have)}: ask for the "
                "variables you need (to_dataframe('delivered')), or use summary(), compare() or to_xarray().")
        frames = []
        dates = np.array(self.dates, dtype="datetime64[D]")
        for name in names:
            axis = VARIABLE_AXES[name]
            arr = self.values(name)
            r, t, n = arr.shape
            segments = demand_segments(self.scenario, self.coords) if axis == "demand" else ("",) * n
            frames.append(pd.DataFrame({
                "run": np.repeat(np.arange(r), t * n),
                "day": np.tile(np.repeat(np.arange(t), n), r),
                "date": np.tile(np.repeat(dates, n), r),
                "variable": name,
                "id": np.tile(np.array(self.coords.labels(axis), dtype=object), r * t),
                "region": np.tile(np.array(self.coords.region[axis], dtype=object), r * t),
                "commodity": np.tile(np.array(self.coords.commodity[axis], dtype=object), r * t),
                "segment": np.tile(np.array(segments, dtype=object), r * t),
                "value": arr.reshape(-1),
            }))
        return pd.concat(frames, ignore_index=True)

    @property
    def parameters(self) -> pd.DataFrame:
        """Each run's values of the scenario's uncertain parameters, as the runs used them: run x path.

        As `EnsembleResults.parameters` (whole days for days; no columns when nothing is uncertain).
        """
        from .per_run import run_parameters
        return run_parameters(self.scenario, self.seed, self.n_runs)

    def shortfall_usd_by_run(self, by: str | tuple[str, ...] = ("region", "segment"), *,
                             total: bool = True) -> pd.DataFrame:
        """Each run's shortfall at reference prices (USD) over the horizon: run x group of demands.

        As `EnsembleResults.shortfall_usd_by_run`, from the daily series summed over the horizon.
        """
        from .per_run import shortfall_by_run
        return shortfall_by_run(self.scenario, self.coords, self.demand.sum(axis=1), self.delivered.sum(axis=1),
                                by, total=total)

    def summary(self) -> pd.DataFrame:
        """Demand, delivered, fill rates, cycle service level and shortfall per region, commodity and segment.

        One row per region, commodity and end-use ``segment`` (empty for
        demands without one: every demand but the chip buyers'). Means over
        runs. ``fill_rate`` is the type-2 fill rate (served from stock on the
        day of demand / demand), ``delivery_rate`` counts late
        (backlogged) deliveries too, ``cycle_service_level`` is the share of
        days without a stockout. Shortfall is demand minus delivered over the
        horizon, in units and in USD at the commodity's reference price.

        Examples
        --------
        >>> from supplychain import load_baseline, simulate
        >>> table = simulate(load_baseline().with_horizon(5), seed=0).summary()
        >>> list(table.columns[:4])
        ['region', 'commodity', 'segment', 'unit']
        >>> table[(table.region == "US") & (table.commodity == "logic_chip")]["segment"].tolist()
        ['automotive', 'electronics', 'industrial']
        """
        from ..engines.summary import stockouts

        table, _ = summary_table(self.scenario, self.coords, self.demand.sum(axis=1),
                                 self.delivered.sum(axis=1), self.arrays["served_on_day"].sum(axis=1),
                                 stockouts(self.delivered, self.arrays["unmet"]).sum(axis=1), self.n_days)
        return table

    def value_added_loss(self, method: str = "ario", table: IOTable | None = None,
                         rationing: str = "priority") -> ValueAddedLoss:
        """Value added lost beyond the chain, per run, day, region and industry (docs/model.md §8.3).

        Shortfalls at final demand of the products the input-output table's industries buy (its
        ``dependence``; in the shipped table chips of every class, Li-ion cells, NdFeB magnets,
        germanium and gallium), and the demand their users give up to higher prices, cap the output
        of the industries that use them (C26-C29; germanium also the rest of the economy's) in each
        region, and an input-output model propagates the caps; it never feeds back into the
        simulation.

        Parameters
        ----------
        method : {"ario", "diim"}
            The ARIO-type kernel (inventories, rationing, bounded overproduction; default) or
            the dynamic inoperability input-output model.
        table : IOTable, optional
            Input-output table; `supplychain.impact.load_io_table` by default.
        rationing : {"priority", "pro_rata"}
            How a short input is shared among the industries that use it (docs/model.md §8.3).

        Returns
        -------
        ValueAddedLoss
            ``.daily`` (runs, days, regions, sectors) in USD, ``.total`` over the horizon,
            ``.to_dataframe()``.

        Examples
        --------
        >>> import supplychain as sc
        >>> res = sc.simulate(sc.load_baseline(horizon_days=20), engine="vector", seed=1)
        >>> loss = res.value_added_loss()
        >>> loss.daily.shape, float(abs(loss.total).max())      # nothing short, nothing lost
        ((1, 20, 6, 5), 0.0)
        """
        from ..impact.given_up import given_up_series
        from ..impact.loss import value_added_loss

        # Demand given up to prices is output its users do not make, but for what they thrift (§8.3).
        given = given_up_series(self.scenario, self.demand, self.arrays.get("price"))
        return value_added_loss(self.demand, self.delivered, self.scenario.network, table=table,
                                method=method, rationing=rationing, given_up=given,  # type: ignore[arg-type]
                                scenario=self.scenario)

    # Files ------------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write these results to one ``.npz`` archive and return its path.

        The write is atomic (temporary file in the same folder, then rename),
        and `supplychain.load_results` restores the results exactly,
        scenario included.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from supplychain import load_baseline, simulate
        >>> from supplychain import load_results
        >>> res = simulate(load_baseline().with_horizon(10), seed=2)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     load_results(res.save(pathlib.Path(tmp) / "res.npz")).seed
        2
        """
        return save_results(self, path)

    # Labelled views ---------------------------------------------------------------------------
    def to_xarray(self, variables: str | list[str] | None = None) -> xarray.Dataset:
        """The daily series as an `xarray.Dataset`, labelled by run, date and item.

        Each variable has dimensions ``(run, date, <axis>_id)``, where the
        axis is ``facility``, ``lane``, ``demand`` or ``stock``
        (`VARIABLE_AXES`); every axis carries ``<axis>_region`` and
        ``<axis>_commodity`` coordinates (the demand axis ``demand_segment`` too,
        empty for demands without an end-use segment), and ``day`` numbers the dates. Needs
        the optional extra: ``pip install "supplychain[xarray]"``.

        Parameters
        ----------
        variables : str or list of str, optional
            Which series (default: every recorded one, `variables`);
            one name may be given as a string.

        Examples
        --------
        >>> from supplychain import load_baseline, simulate
        >>> res = simulate(load_baseline().with_horizon(5), seed=0)
        >>> ds = res.to_xarray(["demand", "delivered"])
        >>> ds["delivered"].sel(demand_id="US.demand.logic_chip.automotive").dims
        ('run', 'date')
        >>> bool((ds["delivered"].groupby("demand_region").sum() >= 0).all())
        True
        >>> str(ds["demand_segment"].sel(demand_id="US.demand.logic_chip.automotive").item())
        'automotive'
        """
        from .labelled import results_dataset
        return results_dataset(self, variables)

    def __repr__(self) -> str:
        """One line: scenario, engine, runs, seed and calendar.

        The vector engine says whether it ran its compiled loops or NumPy alone
        (`compiled_loops`).

        Examples
        --------
        >>> from supplychain import load_baseline, simulate
        >>> simulate(load_baseline().with_horizon(5), seed=0)
        Results('baseline': des engine, 1 run, seed 0, 5 days from 2025-01-01)
        """
        from .labelled import header
        return f"Results({header(self)})"

    def _repr_html_(self) -> str:
        from .labelled import results_html
        return results_html(self, "Results")


def transport_lead_time(scenario: Scenario, shape: tuple[int, ...]) -> np.ndarray:
    """The scheduled transport lead time of every lane and day, broadcast to ``shape`` ``(R, T, L)``.

    The quoted lead time of an archive written before order books were recorded
    (docs/model.md §5.7: with no backlog the quote is the transport lead time;
    random lead-time draws are not kept, so the mean is used).
    """
    from ..compile.compiler import compile_scenario
    c = compile_scenario(scenario)
    sch = c.schedules
    days = np.arange(shape[1])
    lead = c.lane_lead_mean * sch.lead_factor[days] + sch.lead_extra[days]
    return np.broadcast_to(lead, shape).copy()


def sourcing_series_from(scenario: Scenario, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``share`` and ``on_order`` of an archive written before they were recorded.

    Nothing was re-sourced then: the applied share was the scheduled target
    share (docs/model.md §6.4.3), and on order is in transit plus backlog
    summed into each lane's buyer stock (docs/model.md §5.6).
    """
    from ..compile.compiler import compile_scenario
    c = compile_scenario(scenario)
    shape = arrays["flow"].shape
    share = np.broadcast_to(c.schedules.share[np.minimum(np.arange(shape[1]), len(c.schedules.share) - 1)],
                            shape).copy()
    pending = arrays["in_transit"] + arrays["backlog"]
    on_order = np.zeros(shape[:2] + (c.n_stocks,))
    np.add.at(on_order, (slice(None), slice(None), c.lane_dst_stock), pending)
    return {"share": share, "on_order": on_order}


def reference_prices(scenario: Scenario, shape: tuple[int, ...]) -> np.ndarray:
    """``price`` of an archive written before scarcity prices: each stock's reference price, ``(R, T, S)``.

    Prices were fixed then (docs/model.md §5.9 gives every market index 1 when nothing moves it).
    """
    from ..compile.compiler import compile_scenario
    spec = compile_scenario(scenario).schedules.extras["prices"]
    return np.broadcast_to(spec.stock_price, shape).copy()


def served_on_day_from(delivered: np.ndarray, unmet: np.ndarray, scenario: Scenario) -> np.ndarray:
    """``served_on_day`` rebuilt from ``delivered`` and ``unmet`` (docs/model.md §5.5), ``(R, T, D)``.

    The backlog is served first, so the day's demand served that day is
    ``(delivered_t - backlog_{t-1})^+``, where the backlog is yesterday's
    ``unmet`` under backorders and 0 under lost sales. Used for archives
    written before ``served_on_day`` was recorded.
    """
    backorder = np.array([d.unmet == "backorder" for d in scenario.network.demands], dtype=bool)
    before = np.zeros_like(unmet)
    before[:, 1:] = unmet[:, :-1]
    return np.maximum(delivered - np.where(backorder, before, 0.0), 0.0)


def summary_table(scenario: Scenario, coords: Coords, demand: np.ndarray, delivered: np.ndarray,
                  served_on_day: np.ndarray, stockout_days: np.ndarray,
                  n_days: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The summary table from per-run totals, and each group's (type-2) fill rate per run.

    Parameters
    ----------
    scenario, coords
        What was simulated, and the labels of the demand axis.
    demand, delivered, served_on_day, stockout_days : ndarray
        Totals over the horizon, shape ``(n_runs, n_demands)``.
    n_days : int
        Days simulated.

    Returns
    -------
    table : pandas.DataFrame
        One row per region, commodity and end-use ``segment`` (``""`` for a
        demand without one): ``unit``, mean ``demand`` and
        ``delivered``, ``fill_rate`` (type 2: served from stock on the day of
        demand / demand), ``delivery_rate`` (delivered, late included / demand),
        ``cycle_service_level`` (share of days without a stockout, averaged
        over the group's demands), ``shortfall`` (units) and ``shortfall_usd``.
    run_fill_rates : ndarray
        Fill rate of each row in each run, shape ``(n_rows, n_runs)``.
    """
    import pandas as pd

    prices = {c.id: c.price_usd for c in scenario.network.commodities}
    units = {c.id: c.unit for c in scenario.network.commodities}
    keys = pd.MultiIndex.from_arrays([coords.region["demand"], coords.commodity["demand"],
                                      demand_segments(scenario, coords)],
                                     names=["region", "commodity", "segment"])
    levels = [0, 1, 2]
    per_run_demand = pd.DataFrame(demand.T, index=keys).groupby(level=levels, sort=True).sum()
    per_run_delivered = pd.DataFrame(delivered.T, index=keys).groupby(level=levels, sort=True).sum()
    per_run_served = pd.DataFrame(served_on_day.T, index=keys).groupby(level=levels, sort=True).sum()
    per_run_csl = pd.DataFrame(1.0 - stockout_days.T / n_days, index=keys).groupby(level=levels, sort=True).mean()
    demand_g, delivered_g = per_run_demand.to_numpy(), per_run_delivered.to_numpy()
    served_g = per_run_served.to_numpy()
    table = per_run_demand.index.to_frame(index=False)
    table.insert(3, "unit", table["commodity"].map(units))
    table["demand"] = demand_g.mean(axis=1)
    table["delivered"] = delivered_g.mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        run_fill = np.where(demand_g > 0, served_g / demand_g, 1.0)
        served = served_g.mean(axis=1)
        table["fill_rate"] = np.where(table["demand"] > 0, served / table["demand"], 1.0)
        table["delivery_rate"] = np.where(table["demand"] > 0, table["delivered"] / table["demand"], 1.0)
    table["cycle_service_level"] = per_run_csl.to_numpy().mean(axis=1)
    table["shortfall"] = (table["demand"] - table["delivered"]).clip(lower=0.0)
    table["shortfall_usd"] = table["shortfall"] * table["commodity"].map(prices)
    return table, run_fill


def coords_from_json(value: dict[str, Any]) -> Coords:
    """`Coords` from an archive's checked labels (JSON turned the tuples into lists)."""
    return Coords(**{name: {axis: tuple(v) for axis, v in labels.items()} if isinstance(labels, dict)
                     else tuple(labels) for name, labels in value.items()})


def load_results(path: str | os.PathLike[str]) -> Results:
    """Read results written by `Results.save`, exactly as they were.

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` archive.

    Returns
    -------
    Results

    Raises
    ------
    ScenarioFileError
        If the file is missing or is not a supplychain results archive.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=3)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     back = load_results(res.save(pathlib.Path(tmp) / "run.npz"))
    >>> back.seed, bool(np.array_equal(back.delivered, res.delivered)), back.scenario == res.scenario
    (3, True, True)
    """
    optional = frozenset(name for name, var in VARIABLES.items() if var.mechanism) | {
        "served_on_day", "backlog", "quoted_lead_time", "share", "on_order", "price"}
    raw = read_archive(path, VARIABLE_AXES, optional=optional)  # checks every part, the scenario included
    scenario = raw.scenario
    if "served_on_day" not in raw.arrays:  # an archive written before the series was recorded
        raw.arrays["served_on_day"] = served_on_day_from(raw.arrays["delivered"], raw.arrays["unmet"],
                                                         scenario)
    if "backlog" not in raw.arrays:  # written before order books: nothing was owed
        raw.arrays["backlog"] = np.zeros(raw.arrays["flow"].shape)
    if "quoted_lead_time" not in raw.arrays:  # ... and the quoted lead time was the transport lead time
        raw.arrays["quoted_lead_time"] = transport_lead_time(scenario, raw.arrays["flow"].shape)
    if "share" not in raw.arrays or "on_order" not in raw.arrays:  # written before re-sourcing
        raw.arrays.update(sourcing_series_from(scenario, raw.arrays))
    if "price" not in raw.arrays:  # written before scarcity prices: every market at its reference price
        raw.arrays["price"] = reference_prices(scenario, raw.arrays["inventory"].shape)
    return Results(engine=raw.engine, seed=raw.seed, scenario=scenario, coords=coords_from_json(raw.coords),
                   arrays=raw.arrays,
                   initial_inventory=raw.initial_inventory, initial_in_transit=raw.initial_in_transit,
                   compiled_loops=raw.compiled_loops)
