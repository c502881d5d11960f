"""Summaries of large ensembles: what ``simulate(..., keep="summary")`` returns.

`EnsembleResults` is the sibling of `Results`
for thousands of runs: it has the same ``engine``, ``seed``, ``scenario``,
``coords`` and ``summary()``, but instead of daily series it keeps per-run
totals and percentile bands of key daily series (see
`supplychain.engines.summary` for how they are computed, and when the
bands are approximate).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .._validation import check_known
from ..model.scenario import Scenario
from .archive import read_ensemble_archive, save_ensemble
from .series import Coords, coords_from_json, demand_segments, summary_table

if TYPE_CHECKING:
    import pandas as pd
    import xarray

__all__ = ["EnsembleResults", "load_ensemble", "SHORTFALL_TOLERANCE"]

#: A run has a shortfall on a demand when its shortfall exceeds this share of the demand (rounding is none).
SHORTFALL_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class EnsembleResults:
    """Per-run totals and daily percentile bands of an ensemble of runs.

    Parameters
    ----------
    engine, seed, scenario, coords
        As in `Results`.
    n_days : int
        Days simulated.
    demand, delivered, served_on_day : ndarray
        Totals over the horizon per run and demand, shape ``(n_runs, n_demands)``,
        in each demand's unit: demand, delivered (backlog included) and demand
        served from stock on the day it arose.
    stockout_days : ndarray
        Days with a stockout per run and demand, ``(n_runs, n_demands)``.
    bands : dict of str to ndarray
        ``"service_level"``, ``"shortfall_usd"`` and ``"price_index"`` (the
        scarcity prices of the group's final demands weighted by the value of
        their baseline demand, 1 at reference prices; docs/model.md §5.9):
        percentiles over runs of each day's value per group, shape
        ``(n_quantiles, n_days, n_groups)``.
    band_groups : tuple of str
        Group labels of the bands' last axis: regions with demand, then ``"ALL"``.
    quantiles : tuple of float
        Percentiles of the bands' first axis (5, 25, 50, 75, 95).
    bands_exact : bool
        False when the ensemble was too large to hold and the bands are the
        run-weighted mean of per-block percentiles.
    lane_flow, lane_tariff_units, lane_extra_usd : ndarray, optional
        Totals over the horizon per run and lane, ``(n_runs, n_lanes)``: units
        shipped, the sum over days of units shipped x that day's tariff rate,
        and the USD of rerouting extras. They give
        `compare` its trade metrics
        (imports and their landed value, landed cost per unit, tariff paid, import shares).
        ``None`` in archives written before they were kept.
    value_added_loss : ndarray, optional
        Value added lost beyond the chain per run, region and industry, USD,
        ``(n_runs, regions, sectors)`` in the order of
        `supplychain.impact.load_io_table` (docs/model.md §8.3).
    value_added_loss_recent : ndarray, optional
        The value added lost per run, day and region on the horizon's last days (up to 60, oldest
        first), ``(n_runs, days, regions)``: what `supplychain.metrics.loss_run_rate` needs
        (docs/model.md §8.3, run rate). ``None`` in archives written before it was kept.
    compiled_loops : bool or None
        Whether the vector engine ran its compiled loops, as
        `Results.compiled_loops`.
    days_below, days_to_recover : ndarray, optional
        When each run ran short (docs/model.md §8.2, *When*), ``(n_runs, thresholds, groups)`` with the
        thresholds of `supplychain.engines.summary.TIMING_THRESHOLDS` and the groups of ``band_groups``, in
        days from the scenario's shock day: the first day with the group's service level below each threshold
        (``inf``: never within the horizon) and the time to recover after it by the definition of
        `supplychain.analytics.resilience.time_to_recover` (0: never below; ``inf``: not recovered).
        `timing` reads them; ``None`` in archives written before they were kept.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> res = simulate(synthetic_scenario(10, horizon_days=30), engine="vector",
    ...                n_runs=50, seed=1, keep="summary")
    >>> res.n_runs, res.fill_rate.shape == (50, len(res.coords.demand))
    (50, True)
    >>> res.band("service_level", "ALL").shape
    (5, 30)
    """

    engine: str
    seed: int
    scenario: Scenario
    coords: Coords
    n_days: int
    demand: np.ndarray
    delivered: np.ndarray
    served_on_day: np.ndarray
    stockout_days: np.ndarray
    bands: dict[str, np.ndarray]
    band_groups: tuple[str, ...]
    quantiles: tuple[float, ...]
    bands_exact: bool
    lane_flow: np.ndarray | None = None
    lane_tariff_units: np.ndarray | None = None
    lane_extra_usd: np.ndarray | None = None
    value_added_loss: np.ndarray | None = None
    compiled_loops: bool | None = None
    value_added_loss_recent: np.ndarray | None = None
    days_below: np.ndarray | None = None
    days_to_recover: np.ndarray | None = None

    def __post_init__(self) -> None:
        for arr in [*self._per_run(), *self.bands.values()]:
            arr.flags.writeable = False

    def _per_run(self) -> list[np.ndarray]:
        """The per-run arrays held: demand totals, then the lane totals when kept."""
        lanes = [self.lane_flow, self.lane_tariff_units, self.lane_extra_usd]
        return [self.demand, self.delivered, self.served_on_day, self.stockout_days,
                *(a for a in [*lanes, self.value_added_loss, self.value_added_loss_recent, self.days_below,
                              self.days_to_recover] if a is not None)]

    def timing(self, measure: str = "below", threshold: float = 0.95) -> np.ndarray:
        """Days from the shock day per run and group (``band_groups``), ``(n_runs, n_groups)``.

        ``measure="below"``: the first day with the group's service level below ``threshold`` (``inf``: never
        within the horizon). ``measure="recover"``: the time to recover after falling below ``threshold``, by
        the definition of `supplychain.analytics.resilience.time_to_recover` with its defaults (service back at
        `supplychain.engines.summary.RECOVER_AT` for `supplychain.engines.summary.SUSTAIN_DAYS` days; 0 when
        never below, ``inf`` when not recovered). See docs/model.md §8.2, *When*.

        Raises
        ------
        ValidationError
            If ``threshold`` is not one of those kept (`supplychain.engines.summary.TIMING_THRESHOLDS`),
            or if the archive predates timing (re-run the ensemble).

        Examples
        --------
        >>> from supplychain import simulate
        >>> from supplychain.analytics._toy import single_source_network
        >>> from supplychain.analytics.stress import knockout_scenario
        >>> sc = knockout_scenario(single_source_network(), ["CN.mine"], duration_days=30, horizon_days=40)
        >>> ens = simulate(sc, engine="vector", seed=0, keep="summary")
        >>> ens.band_groups, ens.timing("below", 0.95).tolist(), ens.timing("recover", 0.95).tolist()
        (('US', 'ALL'), [[11.0, 11.0]], [[inf, inf]])
        """
        from ..engines.summary import TIMING_THRESHOLDS
        from ..errors import ValidationError
        check_known(measure, ("below", "recover"), "measure", "EnsembleResults.timing")
        if self.days_below is None or self.days_to_recover is None:
            raise ValidationError("this ensemble archive predates the timing of shortfalls (days below a service "
                                  "level, days to recover); re-run the ensemble to get them")
        number = isinstance(threshold, (int, float, np.floating)) and not isinstance(threshold, bool)
        kept = [k for k, t in enumerate(TIMING_THRESHOLDS) if number and math.isclose(t, threshold, abs_tol=1e-12)]
        if not kept:
            raise ValidationError(f"an ensemble summary (keep='summary') keeps the timing for service levels "
                                  f"{', '.join(f'{t:g}' for t in TIMING_THRESHOLDS)} only; got threshold="
                                  f"{threshold!r} (keep='series' gives any threshold)")
        return (self.days_below if measure == "below" else self.days_to_recover)[:, kept[0], :]

    def value_added_loss_total(self) -> np.ndarray:
        """Value added lost beyond the chain per run (USD), summed over regions and industries.

        See docs/model.md §8.3; per region and industry in `value_added_loss`
        ``(n_runs, regions, sectors)``, labelled by `supplychain.impact.load_io_table`.

        Raises
        ------
        ValueError
            For an archive written before value added lost was kept.

        Examples
        --------
        >>> from supplychain import simulate
        >>> from supplychain.datasets.synthetic import synthetic_scenario
        >>> ens = simulate(synthetic_scenario(5, horizon_days=20), engine="vector", n_runs=3, seed=1,
        ...                keep="summary")
        >>> ens.value_added_loss_total().tolist()   # a synthetic network feeds no industry
        [0.0, 0.0, 0.0]
        """
        if self.value_added_loss is None:
            raise ValueError("this ensemble archive predates value added lost; re-run the ensemble")
        return self.value_added_loss.sum(axis=(1, 2))

    @property
    def n_runs(self) -> int:
        return int(self.demand.shape[0])

    @property
    def shortfall(self) -> np.ndarray:
        """Demand not delivered over the horizon, ``(n_runs, n_demands)``, clipped at 0."""
        return np.maximum(self.demand - self.delivered, 0.0)

    @property
    def fill_rate(self) -> np.ndarray:
        """Type-2 fill rate per run and demand: served from stock on the day of demand / demand.

        1 without demand; shape ``(n_runs, n_demands)``.
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            rate: np.ndarray = np.where(self.demand > 0, self.served_on_day / self.demand, 1.0)
        return rate

    @property
    def delivery_rate(self) -> np.ndarray:
        """Eventual delivery rate per run and demand: delivered (late included) / demand, ``(n_runs, n_demands)``."""
        with np.errstate(invalid="ignore", divide="ignore"):
            rate: np.ndarray = np.where(self.demand > 0, self.delivered / self.demand, 1.0)
        return rate

    @property
    def cycle_service_level(self) -> np.ndarray:
        """Share of days without a stockout per run and demand, ``(n_runs, n_demands)``."""
        return np.asarray(1.0 - self.stockout_days / self.n_days)

    @property
    def dates(self) -> list[dt.date]:
        """Calendar date of each day."""
        return [self.scenario.date_of(t) for t in range(self.n_days)]

    def band(self, series: str, group: str = "ALL") -> np.ndarray:
        """Percentile band of one series and group, shape ``(n_quantiles, n_days)``."""
        check_known(series, self.bands, "series", "EnsembleResults")
        check_known(group, self.band_groups, "group", "EnsembleResults")
        return self.bands[series][:, :, self.band_groups.index(group)]

    def summary(self) -> pd.DataFrame:
        """Demand, delivered, fill rates, cycle service level and shortfall per region, commodity and segment.

        The same columns as `Results.summary`
        (means over runs), plus ``fill_rate_p5`` and ``fill_rate_p95``: the
        5th and 95th percentiles over runs of each group's (type-2) fill rate.
        """
        table, run_fill = summary_table(self.scenario, self.coords, self.demand, self.delivered,
                                        self.served_on_day, self.stockout_days, self.n_days)
        table["fill_rate_p5"] = np.percentile(run_fill, 5, axis=1)
        table["fill_rate_p95"] = np.percentile(run_fill, 95, axis=1)
        return table

    @property
    def parameters(self) -> pd.DataFrame:
        """Each run's values of the scenario's uncertain parameters, as the runs used them: run x path.

        One row per run (index ``run``, in run order), one column per uncertain parameter
        (``scenario.uncertainties``), the value after the model's conversion (whole days for days:
        a duration drawn 33.7 days ran as 34). Recomputed exactly from the scenario and the seed, so an
        ensemble read back with `load_ensemble` gives them too; `drawn_parameters` gives the numbers as
        drawn. Plot any per-run measure against them (`shortfall_usd_by_run`, `value_added_loss_total`).
        No columns when nothing is uncertain (docs/model.md §6.13).

        Examples
        --------
        >>> from supplychain import simulate
        >>> from supplychain.analytics._toy import toy_scenario
        >>> from supplychain.model import CapacityShock, Uniform
        >>> sc = toy_scenario(60).with_shocks(CapacityShock(id="quake", region="CN", fraction_lost=0.5,
        ...                                                 start=10, end=40))
        >>> ens = simulate(sc.with_uncertainty("shocks.quake.duration_days", Uniform(10, 20)), engine="vector",
        ...                n_runs=5, seed=3, keep="summary")
        >>> ens.parameters["shocks.quake.duration_days"].tolist()
        [13, 15, 18, 14, 12]
        """
        from .per_run import run_parameters
        return run_parameters(self.scenario, self.seed, self.n_runs)

    @property
    def drawn_parameters(self) -> pd.DataFrame:
        """Each run's uncertain parameters as drawn, before the model's rounding (see `parameters`)."""
        from .per_run import run_parameters
        return run_parameters(self.scenario, self.seed, self.n_runs, drawn=True)

    def shortfall_usd_by_run(self, by: str | tuple[str, ...] = ("region", "segment"), *,
                             total: bool = True) -> pd.DataFrame:
        """Each run's shortfall at reference prices (USD): one row per run, one column per group of demands.

        ``by``: ``"region"``, ``"commodity"``, ``"segment"`` or a tuple of them (default: region and
        end-use segment; columns are then tuples, ``("US", "automotive")``, and ``("US", "")`` for the
        demands without a segment). ``total=True`` adds the run's whole shortfall, column ``"ALL"``
        (``("ALL", "ALL")`` with two labels). The same shortfall as `shortfall_summary`, run by run,
        ready to join with `parameters`.

        Examples
        --------
        >>> from supplychain import simulate
        >>> from supplychain.datasets.synthetic import synthetic_scenario
        >>> ens = simulate(synthetic_scenario(10, horizon_days=30), engine="vector", n_runs=4, seed=1,
        ...                keep="summary")
        >>> t = ens.shortfall_usd_by_run("region")
        >>> t.shape[0], t.columns[-1], bool(np.allclose(t.drop(columns="ALL").sum(axis=1), t["ALL"]))
        (4, 'ALL', True)
        """
        from .per_run import shortfall_by_run
        return shortfall_by_run(self.scenario, self.coords, self.demand, self.delivered, by, total=total)

    def shortfall_summary(self, percentiles: tuple[float, ...] = (5.0, 50.0, 95.0)) -> pd.DataFrame:
        """Distribution over runs of each demand's shortfall, in units and USD, and the chance of any.

        One row per region, commodity and end-use ``segment`` (empty for
        demands without one; demands of one group summed in each run):
        ``unit``, ``runs``, ``p_shortfall`` (share of runs whose shortfall exceeds `SHORTFALL_TOLERANCE` of demand), the
        mean shortfall in units and USD, and its percentiles over runs
        (``shortfall_p5`` ..., ``shortfall_usd_p5`` ...). A last row,
        ``ALL``/``ALL``/``ALL``, gives the same for the total in USD (``p_shortfall``:
        runs with any shortfall anywhere). Each run's shortfall in USD, not its percentiles:
        `shortfall_usd_by_run`.

        Examples
        --------
        >>> from supplychain import simulate
        >>> from supplychain.datasets.synthetic import synthetic_scenario
        >>> ens = simulate(synthetic_scenario(10, horizon_days=30), engine="vector", n_runs=40, seed=1,
        ...                keep="summary")
        >>> t = ens.shortfall_summary()
        >>> list(t.columns[:7]), t.iloc[-1]["region"]
        (['region', 'commodity', 'segment', 'unit', 'runs', 'p_shortfall', 'shortfall'], 'ALL')
        >>> bool((t["shortfall_usd_p5"] <= t["shortfall_usd_p95"]).all())
        True
        """
        import pandas as pd

        net = self.scenario.network
        prices = {c.id: c.price_usd for c in net.commodities}
        units = {c.id: c.unit for c in net.commodities}
        keys = list(zip(self.coords.region["demand"], self.coords.commodity["demand"],
                        demand_segments(self.scenario, self.coords)))
        groups = sorted(set(keys))
        member = np.array([[key == g for g in groups] for key in keys], dtype=float).reshape(len(keys), len(groups))
        demand, short = self.demand @ member, np.maximum(self.demand - self.delivered, 0.0) @ member
        usd = short * np.array([prices[c] for _, c, _ in groups])
        hit = short > SHORTFALL_TOLERANCE * demand

        def row(region: str, commodity: str, segment: str, unit: str, units_: np.ndarray | None,
                money: np.ndarray, any_hit: np.ndarray) -> dict[str, object]:
            out: dict[str, object] = {"region": region, "commodity": commodity, "segment": segment, "unit": unit,
                                      "runs": self.n_runs,
                                      "p_shortfall": float(any_hit.mean()),
                                      "shortfall": float(units_.mean()) if units_ is not None else np.nan}
            for p in percentiles:
                out[f"shortfall_p{p:g}"] = float(np.percentile(units_, p)) if units_ is not None else np.nan
            out["shortfall_usd"] = float(money.mean())
            for p in percentiles:
                out[f"shortfall_usd_p{p:g}"] = float(np.percentile(money, p))
            return out

        rows = [row(r, c, s, units[c], short[:, g], usd[:, g], hit[:, g]) for g, (r, c, s) in enumerate(groups)]
        rows.append(row("ALL", "ALL", "ALL", "USD", None, usd.sum(axis=1), hit.any(axis=1)))
        return pd.DataFrame(rows)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write this ensemble summary to one ``.npz`` archive and return its path.

        The write is atomic and `load_ensemble` restores it exactly,
        scenario included. The file holds the per-run totals and the bands, so
        its size grows with runs x demands, not with days x items.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from supplychain import simulate
        >>> from supplychain.datasets.synthetic import synthetic_scenario
        >>> ens = simulate(synthetic_scenario(5, horizon_days=20), engine="vector", n_runs=30, seed=4,
        ...                keep="summary")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     back = load_ensemble(ens.save(pathlib.Path(tmp) / "ens.npz"))
        >>> back.n_runs, bool(np.array_equal(back.delivered, ens.delivered))
        (30, True)
        """
        return save_ensemble(self, path)

    def nbytes(self) -> int:
        """Bytes of the arrays this summary holds (what `save` writes, before compression)."""
        arrays = [*self._per_run(), *self.bands.values()]
        return int(sum(a.nbytes for a in arrays))

    def bands_dataframe(self) -> pd.DataFrame:
        """Long table of the bands: ``series, group, day, date, quantile, value``."""
        import pandas as pd

        frames = []
        dates = np.array([self.scenario.date_of(t) for t in range(self.n_days)], dtype="datetime64[D]")
        n_q, n_t, n_g = len(self.quantiles), self.n_days, len(self.band_groups)
        for name, arr in self.bands.items():
            frames.append(pd.DataFrame({
                "series": name,
                "group": np.tile(np.array(self.band_groups, dtype=object), n_q * n_t),
                "day": np.tile(np.repeat(np.arange(n_t), n_g), n_q),
                "date": np.tile(np.repeat(dates, n_g), n_q),
                "quantile": np.repeat(np.array(self.quantiles), n_t * n_g),
                "value": arr.reshape(-1),
            }))
        return pd.concat(frames, ignore_index=True)

    def __repr__(self) -> str:
        from .labelled import header
        return f"EnsembleResults({header(self)}, bands {'exact' if self.bands_exact else 'approximate'})"

    def _repr_html_(self) -> str:
        from .labelled import results_html
        return results_html(self, "EnsembleResults")

    def to_xarray(self) -> xarray.Dataset:
        """Per-run totals ``(run, demand_id)`` and bands ``(quantile, date, group)`` as an `xarray.Dataset`.

        Variables: ``total_demand``, ``total_delivered``, ``total_served_on_day``,
        ``stockout_days``, ``fill_rate``, ``band_<series>`` for each band and, when kept, ``days_below`` and
        ``days_to_recover`` ``(run, threshold, group)`` (`timing`); each
        demand is labelled by ``demand_region``, ``demand_commodity`` and
        ``demand_segment`` (its end use, empty for demands without one).
        Needs the optional extra: ``pip install "supplychain[xarray]"``.

        Examples
        --------
        >>> from supplychain import simulate
        >>> from supplychain.datasets.synthetic import synthetic_scenario
        >>> ens = simulate(synthetic_scenario(10, horizon_days=30), engine="vector", n_runs=20, seed=1,
        ...                keep="summary")
        >>> ds = ens.to_xarray()
        >>> ds["fill_rate"].dims, ds["band_service_level"].sel(group="ALL").dims
        (('run', 'demand_id'), ('quantile', 'date'))
        """
        from .labelled import ensemble_dataset
        return ensemble_dataset(self)


def load_ensemble(path: str | os.PathLike[str]) -> EnsembleResults:
    """Read an ensemble summary written by `EnsembleResults.save`, exactly as it was.

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` archive.

    Returns
    -------
    EnsembleResults

    Raises
    ------
    ScenarioFileError
        If the file is missing or is not a well-formed ensemble archive (a
        daily results archive names `supplychain.load_results`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from supplychain import simulate
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> ens = simulate(synthetic_scenario(5, horizon_days=20), engine="vector", n_runs=30, seed=4,
    ...                keep="summary")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     back = load_ensemble(ens.save(pathlib.Path(tmp) / "ens.npz"))
    >>> back.seed, back.scenario == ens.scenario, bool(np.array_equal(back.bands["shortfall_usd"],
    ...                                                                 ens.bands["shortfall_usd"]))
    (4, True, True)
    """
    from ..engines.summary import BAND_SERIES
    raw = read_ensemble_archive(path, BAND_SERIES)
    if "price_index" not in raw.bands:  # written before scarcity prices: every price at its reference
        first = next(iter(raw.bands.values()))
        raw.bands["price_index"] = np.ones(first.shape)
    return EnsembleResults(engine=raw.engine, seed=raw.seed, scenario=raw.scenario,  # type: ignore[arg-type]
                           coords=coords_from_json(raw.coords), n_days=raw.n_days, **raw.totals, **raw.lanes,
                           bands=raw.bands, band_groups=raw.band_groups, quantiles=raw.quantiles,
                           bands_exact=raw.bands_exact, value_added_loss=raw.value_added_loss,
                           compiled_loops=raw.compiled_loops, value_added_loss_recent=raw.value_added_loss_recent,
                           **raw.timing)
