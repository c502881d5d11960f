"""Labelled views of results: xarray datasets and notebook (HTML) summaries.

xarray is an optional dependency (``pip install "supplychain[xarray]"``); it is
imported only when `Results.to_xarray`
or `EnsembleResults.to_xarray`
is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..engines.variables import variable_axes
from ..model._display import html_table, plural

if TYPE_CHECKING:
    import pandas as pd

    from ..model.scenario import Scenario
    from .ensemble import EnsembleResults
    from .series import Coords, Results

__all__ = ["demand_segments", "require_xarray", "results_dataset", "ensemble_dataset", "results_html", "header",
           "engine_words"]

_AXES = ("facility", "lane", "demand", "stock")
_TOP_ROWS = 8   # rows of the largest shortfalls shown by the HTML summary


def demand_segments(scenario: Scenario, coords: Coords) -> tuple[str, ...]:
    """The end-use segment of each demand along the demand axis, ``""`` for a demand without one.

    Chip buyers are split by end use (``Demand.segment``: automotive, industrial, electronics), so
    a region and commodity alone do not name a demand; every table that lists demands carries
    this as its ``segment`` column. An empty string rather than ``None`` keeps the rows in
    pandas' group-bys and writes an empty CSV field.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(5), seed=0)
    >>> dict(zip(res.coords.demand, demand_segments(res.scenario, res.coords)))["US.demand.logic_chip.automotive"]
    'automotive'
    >>> sorted(set(demand_segments(res.scenario, res.coords)))[:4]   # then the magnet users' groups
    ['', 'automotive', 'car_parts', 'car_parts_10w']
    """
    segment = {d.id: d.segment or "" for d in scenario.network.demands}
    return tuple(segment.get(ident, "") for ident in coords.demand)


def require_xarray() -> Any:
    """Import xarray, or say which extra installs it."""
    try:
        import xarray
    except ImportError as exc:
        raise ImportError('to_xarray() needs xarray, an optional dependency: pip install "supplychain[xarray]" '
                          '(or pip install xarray)') from exc
    return xarray


def _axis_coords(coords: Coords, axes: set[str], scenario: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for axis in _AXES:
        if axis in axes:
            dim = f"{axis}_id"
            out[dim] = list(coords.labels(axis))
            out[f"{axis}_region"] = (dim, list(coords.region[axis]))
            out[f"{axis}_commodity"] = (dim, list(coords.commodity[axis]))
            if axis == "demand":  # chip buyers are split by end use: region and commodity do not name them
                out["demand_segment"] = (dim, list(demand_segments(scenario, coords)))
    return out


def _dates(scenario: Any, n_days: int) -> np.ndarray:
    return np.array([scenario.date_of(t) for t in range(n_days)], dtype="datetime64[ns]")


def _attrs(res: Results | EnsembleResults) -> dict[str, Any]:
    loops = getattr(res, "compiled_loops", None)
    return {"engine": res.engine, "compiled_loops": "unknown" if loops is None else str(bool(loops)).lower(),
            "seed": res.seed, "scenario": res.scenario.name,
            "start_date": res.scenario.start_date.isoformat(),
            "shock_day": -1 if res.scenario.shock_day is None else int(res.scenario.shock_day)}


def results_dataset(res: Results, variables: str | list[str] | None = None) -> Any:
    """Every recorded daily series as one `xarray.Dataset` (see `Results.to_xarray`)."""
    from .._validation import check_known
    xr = require_xarray()
    axes_of = variable_axes()
    names = (list(res.variables) if variables is None else [variables] if isinstance(variables, str)
             else list(variables))
    for name in names:
        check_known(name, axes_of, "variable", "Results.to_xarray")
    data = {name: (("run", "date", f"{axes_of[name]}_id"), np.asarray(res.values(name))) for name in names}
    coords = {"run": np.arange(res.n_runs), "date": _dates(res.scenario, res.n_days),
              "day": ("date", np.arange(res.n_days)), **_axis_coords(res.coords, {axes_of[n] for n in names},
                                                                           res.scenario)}
    return xr.Dataset(data, coords=coords, attrs=_attrs(res))


def ensemble_dataset(ens: EnsembleResults) -> Any:
    """Per-run totals and percentile bands as one `xarray.Dataset` (see `EnsembleResults.to_xarray`)."""
    xr = require_xarray()
    per_run = {"demand": ens.demand, "delivered": ens.delivered, "served_on_day": ens.served_on_day,
               "stockout_days": ens.stockout_days, "fill_rate": ens.fill_rate}
    data: dict[str, Any] = {f"total_{k}" if k in ("demand", "delivered", "served_on_day") else k:
                            (("run", "demand_id"), np.asarray(v)) for k, v in per_run.items()}
    for name, arr in ens.bands.items():
        data[f"band_{name}"] = (("quantile", "date", "group"), np.asarray(arr))
    coords = {"run": np.arange(ens.n_runs), "date": _dates(ens.scenario, ens.n_days),
              "day": ("date", np.arange(ens.n_days)), "quantile": list(ens.quantiles),
              "group": list(ens.band_groups), **_axis_coords(ens.coords, {"demand"}, ens.scenario)}
    if ens.days_below is not None and ens.days_to_recover is not None:  # docs/model.md §8.2, When
        from ..engines.summary import TIMING_THRESHOLDS
        data["days_below"] = (("run", "threshold", "group"), np.asarray(ens.days_below))
        data["days_to_recover"] = (("run", "threshold", "group"), np.asarray(ens.days_to_recover))
        coords["threshold"] = list(TIMING_THRESHOLDS)
    return xr.Dataset(data, coords=coords, attrs={**_attrs(ens), "bands_exact": int(ens.bands_exact)})


def engine_words(res: Results | EnsembleResults) -> str:
    """``"des engine"``, or for the vector engine whether it ran compiled loops or NumPy alone.

    Someone timing runs can then tell whether Numba was used (`supplychain.engines.jit`);
    nothing is added when that is not known (an archive read back, a dask cluster).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> engine_words(SimpleNamespace(engine="vector", compiled_loops=False))
    'vector engine (NumPy)'
    >>> engine_words(SimpleNamespace(engine="vector", compiled_loops=True))
    'vector engine (compiled loops)'
    >>> engine_words(SimpleNamespace(engine="des", compiled_loops=False))
    'des engine'
    """
    loops = getattr(res, "compiled_loops", None)
    if res.engine != "vector" or loops is None:
        return f"{res.engine} engine"
    return f"{res.engine} engine ({'compiled loops' if loops else 'NumPy'})"


def header(res: Results | EnsembleResults) -> str:
    """``"'name': des engine, 1 run, seed 42, 365 days from 2025-01-01"``, then ``", price feedback: on"`` when on.

    The words of the run header (`supplychain.results.text.run_head`), so a
    repr says as plainly as ``supplychain run`` that prices acted on demand and sourcing,
    and whether the vector engine ran compiled loops (`engine_words`).
    """
    feedback = ", price feedback: on" if res.scenario.price_feedback else ""
    return (f"{res.scenario.name!r}: {engine_words(res)}, {plural(res.n_runs, 'run')}, seed {res.seed}, "
            f"{res.n_days} days from {res.scenario.start_date.isoformat()}{feedback}")


def results_html(res: Results | EnsembleResults, kind: str) -> str:
    """A notebook summary: the header, total shortfall and the demands that fell shortest."""
    table: pd.DataFrame = res.summary()
    total = float(table["shortfall_usd"].sum())
    worst = table[table["shortfall_usd"] > 0].nlargest(_TOP_ROWS, "shortfall_usd")
    rows = [("run", header(res)), ("total shortfall (USD" + (", mean over runs)" if res.n_runs > 1 else ")"), f"{total:,.0f}"),
            ("demands short", f"{(table['shortfall_usd'] > 0).sum()} of {len(table)}")]
    footer = ""
    if len(worst):
        cols = ["region", "commodity", "segment", "fill_rate", "shortfall", "shortfall_usd"]
        footer = ("<p>Largest shortfalls</p>"
                  + worst[cols].to_html(index=False, float_format=lambda v: f"{v:,.4g}", escape=True))
    return html_table(kind, rows, footer=footer)
