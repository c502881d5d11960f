"""The ``supplychain`` command: run scenarios and show the built-in data.

Each subcommand is a pair of functions, ``_configure_<name>(parser)`` adding
its arguments and ``_cmd_<name>(args) -> int`` doing the work, registered in
`COMMANDS`. To add one, write the pair and append a `Command`.
Usage errors (an unknown option, a bad value, options that contradict each
other) print one line naming the subcommand, ``supplychain run: error:
<message> (see 'supplychain run --help')``, and exit with status 2. Other
errors the user can fix (any `SupplyChainError`
and file errors) print one line, ``supplychain: error: <message>``, and exit
with status 2; errors found while simulating a scenario file name the file
(see `about_scenario`). Ctrl-C prints
``supplychain: interrupted`` and exits with 130, SIGTERM ``supplychain:
terminated`` and 143; output folders are written all or nothing
(`supplychain.cli.output`).

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
supplychain ...
0
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .._format import format_bytes, format_columns, format_percent, format_units, format_usd
from .._progress import PhaseBar, step_lines
from .._version import __version__
from ..errors import SimulationWarning, SupplyChainError
from ..results.text import format_summary, run_head
from ..run.chunks import reuse_workers
from ..run.simulate import ENGINES
from . import analytics_commands as _analytics
from . import experiment_command as _experiment
from .._validation import MAX_DAYS
from .arguments import UsageError, resolve_scenario, whole_number
from .formats import add_format_argument, render
from .inputs import about_scenario, check_results
from .output import Terminated, check_out_dir, sigterm_raises, write_folder

#: Above this many runs, ``run`` keeps per-run summaries and percentile bands, not daily series: one run
#: of the baseline year records about 25 MB of daily series (before compression), which ``--out`` writes.
SERIES_RUN_LIMIT = 3

if TYPE_CHECKING:
    import pandas as pd

    from ..model.scenario import Scenario
    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["main", "build_parser", "Command", "COMMANDS", "resolve_scenario", "format_summary",
           "has_shocks", "write_outputs", "write_summary", "planned_files", "describe_files",
           "format_shortfall_distribution", "series_bytes", "SERIES_RUN_LIMIT", "archive_bytes", "cover_commodities"]


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, argument set-up and handler."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


# Shared helpers -------------------------------------------------------------------------------
# Quantities, money and shares in the one format of every table (supplychain._format).
_qty = format_units
_usd = format_usd
_pct = format_percent
_table = format_columns
_run_head = run_head


def has_shocks(scenario: Scenario) -> bool:
    """Whether ``scenario`` has a disruption or response beyond the standing conditions in force on day 0.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> has_shocks(load_baseline())
    False
    """
    return bool(scenario.responses) or len(scenario.shocks) > len(scenario.in_force())


# Output folder --------------------------------------------------------------------------------
def _grid(n_panels: int, ncols: int, size: tuple[float, float]) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure
    ncols = min(ncols, max(1, n_panels))
    nrows = math.ceil(n_panels / ncols) or 1
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    return fig, list(fig.subplots(nrows, ncols, squeeze=False).flat)


def _hide_unused(axes: list[Any], n_used: int) -> None:
    for ax in axes[n_used:]:
        ax.set_visible(False)


def _headline_commodities(results: Results, baseline: Results | None = None, n: int = 4) -> list[str]:
    """The ``n`` commodities most worth a flow plot.

    Against a baseline: the largest change in shortfall, then in cross-border trade (USD); alone:
    the largest shortfall, then the largest cross-border trade.
    """
    import numpy as np
    price = {c.id: c.price_usd for c in results.scenario.network.commodities}
    cross = np.array([a != b for a, b in (p.split(">") for p in results.coords.region["lane"])])

    def trade_of(res: Results) -> dict[str, float]:
        shipped = res.flow.sum(axis=1).mean(axis=0) * cross
        out: dict[str, float] = {}
        for commodity, value in zip(res.coords.commodity["lane"], shipped):
            out[commodity] = out.get(commodity, 0.0) + float(value) * price[commodity]
        return out

    short = results.summary().groupby("commodity")["shortfall_usd"].sum()
    trade = trade_of(results)
    if baseline is None:
        return sorted(trade, key=lambda c: (-short.get(c, 0.0), -trade[c], c))[:n]
    short = (short - baseline.summary().groupby("commodity")["shortfall_usd"].sum()).abs()
    base = trade_of(baseline)
    moved = {c: abs(trade[c] - base.get(c, 0.0)) for c in trade}
    ranked = sorted(moved, key=lambda c: (-short.get(c, 0.0), -moved[c], c))
    return [c for c in ranked if short.get(c, 0.0) > 0 or moved[c] > 0][:n] or ranked[:n]


def _save_figures(results: Results, folder: Path, baseline: Results | None = None) -> list[str]:
    """``timeseries.png`` and ``flows.png``: against the baseline when there is one, else levels.

    With a baseline, ``timeseries.png`` shows the change in deliveries of the region-commodity
    groups the shock moved most (per day and cumulative, calendar dates, shock window shaded) and
    ``flows.png`` the change in trade of the headline commodities. Without one, deliveries against
    demand per region, and trade levels.
    """
    from ..plotting.change import most_changed, plot_change, plot_flow_delta
    from ..plotting.results import plot_flows, plot_timeseries, shade_shocks
    if baseline is not None:
        fig, axes = _grid(2, 2, (6.4, 4.0))
        # Both panels draw the same groups in the same colours (ranked by the daily change).
        ids = most_changed(results, baseline)
        colors = {ident: f"C{k % 10}" for k, ident in enumerate(ids)}
        plot_change(results, baseline, ids=ids or None, colors=colors, ax=axes[0])
        plot_change(results, baseline, ids=ids or None, colors=colors, cumulative=True, ax=axes[1])
        axes[1].set_title("cumulative change (the area lost)", fontsize="medium")
    else:
        regions = sorted(set(results.coords.region["demand"]))
        fig, axes = _grid(len(regions), 3, (5.0, 3.2))
        for ax, region in zip(axes, regions):
            plot_timeseries(results, "demand", region, ax=ax, by="region", usd=True, color="0.5",
                            linestyle="--", band=None)
            plot_timeseries(results, "delivered", region, ax=ax, by="region", usd=True, color="C0")
            shade_shocks(ax, results.scenario, results.n_days)
            ax.set_title(f"{region}: delivered vs demand", fontsize="medium")
            ax.set_ylabel("USD/day at reference prices")
            ax.set_ylim(bottom=0.0)  # a drop reads as a share of demand, not as a wiggle
        _hide_unused(axes, len(regions))
    fig.savefig(folder / "timeseries.png", dpi=110)
    commodities = _headline_commodities(results, baseline)
    fig, axes = _grid(len(commodities), 2, (4.6, 4.0))
    for ax, commodity in zip(axes, commodities):
        if baseline is not None:
            plot_flow_delta(baseline, results, commodity, ax=ax)
        else:
            plot_flows(results, commodity, ax=ax)
    _hide_unused(axes, len(commodities))
    fig.savefig(folder / "flows.png", dpi=110)
    return ["timeseries.png", "flows.png", *_save_prices(results, folder, baseline)]


def _save_prices(results: Results, folder: Path, baseline: Results | None = None) -> list[str]:
    """``prices.png``: scarcity prices of the commodities whose prices moved most, and who pays."""
    from ..plotting.prices import moved_commodities, plot_prices, plot_who_pays
    # The largest move in value (chips rising 10 % cost buyers more than a small ore market doubling) and the
    # largest moves of the index, three panels in all.
    ranked = moved_commodities(results, 1, by="value") + moved_commodities(results, 3)
    commodities = list(dict.fromkeys(ranked))[:3] or _headline_commodities(results, None, 1)
    fig, axes = _grid(len(commodities) + 1, 2, (5.2, 3.6))
    for ax, commodity in zip(axes, commodities):
        plot_prices(results, commodity, ax=ax)
    with warnings.catch_warnings():  # the run's text already names the markets pinned at a bound
        warnings.simplefilter("ignore", SimulationWarning)
        plot_who_pays(results, baseline=baseline, ax=axes[len(commodities)])
    _hide_unused(axes, len(commodities) + 1)
    fig.savefig(folder / "prices.png", dpi=110)
    return ["prices.png"]


def cover_commodities(results: Results, baseline: Results | None = None,
                      n: int = 4) -> list[tuple[str, str | None]]:
    """The final-demand commodities, or their end-use segments, whose buyers' stocks fell most: lowest
    share of normal stock left in any region (against a baseline: the largest fall below the
    baseline's), at most ``n``, as ``(commodity, segment or None)``.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> cover_commodities(simulate(stop_scenario(stop_days=5)))
    [('ore', None)]
    """
    from ..metrics.cover import stock_cover

    demands = {d.id: d for d in results.scenario.network.demands}

    def lowest(res: Results) -> pd.Series:
        # Each demand's own consumer stock: a segment's buyers hold theirs apart from the others'.
        table = stock_cover(res, by="demand", held_by="final_buyers")
        table = table[table["normal_stock"] > 0]
        group = table["demand"].map(lambda d: f"{demands[d].commodity}|{demands[d].segment or ''}")
        return table.groupby(group)["share_left"].min()

    left = lowest(results)
    fall = (lowest(baseline).reindex(left.index).fillna(1.0) - left) if baseline is not None else 1.0 - left
    groups = [str(g).split("|") for g in fall.sort_values(ascending=False, kind="stable").index[:n]]
    return [(commodity, segment or None) for commodity, segment in groups]


def _save_cover(results: Results, folder: Path, baseline: Results | None = None) -> list[str]:
    """``cover.png``: days of stock cover of the commodities whose final buyers' stocks fell most."""
    from ..plotting.cover import plot_cover, separate_trough_labels
    commodities = cover_commodities(results, baseline)
    if not commodities:
        return []
    fig, axes = _grid(len(commodities), 2, (6.4, 4.0))
    for ax, (commodity, segment) in zip(axes, commodities):
        plot_cover(results, commodity, baseline=baseline, segment=segment, separate_labels=False, ax=ax)
    _hide_unused(axes, len(commodities))
    separate_trough_labels(*axes[:len(commodities)])   # every panel drawn: one layout places all the labels
    fig.savefig(folder / "cover.png", dpi=110)
    return ["cover.png"]


def _save_fans(results: EnsembleResults, folder: Path, baseline: EnsembleResults | None) -> list[str]:
    """``fan.png``: the cumulative shortfall fan of every region with demand and of all, baseline beside."""
    from ..plotting.ensemble import plot_ensemble_fan
    groups = ["ALL", *(g for g in results.band_groups if g != "ALL")]
    fig, axes = _grid(len(groups), 3, (5.2, 3.4))
    for k, (ax, group) in enumerate(zip(axes, groups)):
        plot_ensemble_fan(results, baseline, group=group, ax=ax)
        ax.set_title("all regions" if group == "ALL" else group, fontsize="medium")
        ax.set_ylabel("cumulative shortfall" if k % 3 == 0 else "")
        if k:
            ax.get_legend().remove()
    _hide_unused(axes, len(groups))
    fig.suptitle(f"{results.scenario.name}: cumulative shortfall over {results.n_runs:,} runs (median, 5-95%)")
    fig.savefig(folder / "fan.png", dpi=110)
    fig, axes = _grid(len(groups), 3, (5.2, 3.4))
    for k, (ax, group) in enumerate(zip(axes, groups)):
        plot_ensemble_fan(results, baseline, series="price_index", group=group, ax=ax)
        ax.set_title("all regions" if group == "ALL" else group, fontsize="medium")
        ax.set_ylabel("price index" if k % 3 == 0 else "")
        if k:
            ax.get_legend().remove()
    _hide_unused(axes, len(groups))
    fig.suptitle(f"{results.scenario.name}: scarcity price of final demand over {results.n_runs:,} runs "
                 "(median, 5-95%)")
    fig.savefig(folder / "prices.png", dpi=110)
    return ["fan.png", "prices.png"]


def planned_files(results: Results | EnsembleResults, *, compared: bool,
                  baseline: Results | EnsembleResults | None = None,
                  cover_band: bool = False) -> list[tuple[str, int | None]]:
    """What ``run --out`` writes for these results: each file name with an archive's size (None: small).

    An archive's size is that of the compressed file (`archive_bytes`): exact, as an upper
    bound, when every array is compressed to measure it, else an estimate from samples of the
    largest arrays; `describe_files` says which. Compared with its baseline, a run writes the
    baseline's archive too, as an ensemble does, and a plot of stock cover; with ``cover_band`` (a
    band was computed) ``cover_band.csv`` too.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> ens = simulate(synthetic_scenario(5, horizon_days=20), engine="vector", n_runs=60, seed=1, keep="summary")
    >>> [name for name, _ in planned_files(ens, compared=False)]
    ['results.npz', 'summary.csv', 'shortfall.csv', 'bands.csv', 'fan.png', 'prices.png']
    >>> one = simulate(synthetic_scenario(5, horizon_days=20), seed=1)
    >>> [name for name, _ in planned_files(one, compared=True, baseline=one)][:3]
    ['results.npz', 'baseline.npz', 'summary.csv']
    """
    from ..results.ensemble import EnsembleResults
    files: list[tuple[str, int | None]] = [("results.npz", archive_bytes(results))]
    if baseline is not None:
        files.append(("baseline.npz", archive_bytes(baseline)))
    if isinstance(results, EnsembleResults):
        files += [("summary.csv", None), ("shortfall.csv", None), ("bands.csv", None), ("fan.png", None),
                  ("prices.png", None)]
    else:
        files += [("summary.csv", None), ("timeseries.png", None), ("flows.png", None), ("prices.png", None)]
        files += [("cover.png", None)] if baseline is not None else []
    from ..impact.loss import feeds_impact
    impact = ([("value_added_loss.csv", None), ("value_added_loss.png", None)]
              if compared and feeds_impact(results.scenario.network) else [])
    band = [("cover_band.csv", None)] if cover_band else []
    return files + impact + ([("compare.csv", None)] if compared else []) + band


#: Arrays up to this many bytes are compressed whole to measure an archive; larger ones are sampled.
EXACT_ARRAY_BYTES = 4_000_000
#: Samples taken of a larger array, each this many bytes (well above deflate's 32 kB window).
_SAMPLES, _SAMPLE_BYTES = 8, 512_000
#: Bytes per archive member beyond its compressed data: the .npy header, its zip local and central
#: records (with zip64 extras), rounded up; and the archive's end records.
_MEMBER_BYTES, _END_BYTES = 400, 200


def _deflated(data: memoryview) -> int:
    """Bytes of ``data`` once deflated as ``np.savez_compressed`` does (zipfile's default level)."""
    import zlib
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return len(packer.compress(data)) + len(packer.flush())


def archive_bytes(results: Results | EnsembleResults) -> int:
    """Bytes of the ``.npz`` archive ``results.save`` writes, measured by compressing what it holds.

    Arrays up to `EXACT_ARRAY_BYTES` are deflated whole, as the archive does, so the figure is
    an upper bound (headers counted generously); a larger array is measured on `_SAMPLES` evenly
    spaced stretches and scaled, an estimate. `archive_is_exact` says which applies.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(30), seed=0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = res.save(pathlib.Path(tmp) / "r.npz").stat().st_size
    >>> written <= archive_bytes(res) < 1.2 * written + 20_000
    True
    """
    import numpy as np
    total = _END_BYTES
    for name, array in _archive_members(results):
        data = memoryview(np.ascontiguousarray(array)).cast("B")
        total += _MEMBER_BYTES + 2 * len(name)
        if data.nbytes <= _exact_limit():
            total += _deflated(data)
            continue
        step = (data.nbytes - _SAMPLE_BYTES) // (_SAMPLES - 1)
        sampled = sum(_deflated(data[k * step: k * step + _SAMPLE_BYTES]) for k in range(_SAMPLES))
        total += int(sampled * data.nbytes / (_SAMPLES * _SAMPLE_BYTES))
    return total


def archive_is_exact(results: Results | EnsembleResults) -> bool:
    """Whether `archive_bytes` compressed every member whole (an upper bound), not samples of some."""
    import numpy as np
    return all(np.asarray(a).nbytes <= _exact_limit() for _, a in _archive_members(results))


def _exact_limit() -> int:
    """Bytes up to which an array is compressed whole: `EXACT_ARRAY_BYTES`, or its samples' total."""
    return max(EXACT_ARRAY_BYTES, _SAMPLES * _SAMPLE_BYTES)


def _archive_members(results: Results | EnsembleResults) -> list[tuple[str, np.ndarray]]:
    """(name, array) of what the archive holds: every array, the metadata and the scenario as text."""
    import dataclasses
    import json

    import numpy as np

    from ..io.scenario import dumps_scenario
    from ..results.ensemble import EnsembleResults
    coords = {f.name: getattr(results.coords, f.name) for f in dataclasses.fields(results.coords)}
    # numpy stores text as UTF-32; the metadata is the labels plus a few short fields.
    text = [("metadata.npy", np.array(json.dumps({"coords": coords, "runs": results.n_runs}))),
            ("scenario_toml.npy", np.array(dumps_scenario(results.scenario)))]
    if isinstance(results, EnsembleResults):
        arrays = [*results._per_run(), *results.bands.values()]
        return [(f"member{k}.npy", a) for k, a in enumerate(arrays)] + text
    arrays = [*results.arrays.values(), results.initial_inventory, results.initial_in_transit]
    return [(f"member{k}.npy", a) for k, a in enumerate(arrays)] + text


#: Files written only when their content exists, and the condition the plan line states.
_IF = {"value_added_loss.png": "if any value added is lost"}


def describe_files(files: list[tuple[str, int | None]], out: Path, results: Results | EnsembleResults) -> str:
    """One line saying what ``--out`` will write and how large the archives are at most."""
    from ..results.ensemble import EnsembleResults
    what = ("ensemble summary: per-run totals and daily percentile bands" if isinstance(results, EnsembleResults)
            else f"daily series of {results.n_runs} run{'' if results.n_runs == 1 else 's'}")
    # Measured by compressing every array whole: an upper bound; from samples of large arrays: an estimate.
    bound = "at most" if archive_is_exact(results) else "about"
    parts = [f"{name} ({what}, {bound} {format_bytes(size)})" if name == "results.npz" and size is not None
             else f"{name} (the baseline's, {bound} {format_bytes(size)})" if size is not None
             else f"{name} ({_IF[name]})" if name in _IF else name
             for name, size in files]
    return f"Writing to {out}: {', '.join(parts)}."


def write_outputs(results: Results, out: Path, *, compare: pd.DataFrame | None = None,
                  baseline: Results | None = None, cover_band: pd.DataFrame | None = None) -> list[str]:
    """Write ``results.npz``, ``summary.csv``, PNG plots and ``compare.csv`` into ``out``, all or nothing.

    ``compare`` is the table of `compare` (with ``segments=True``:
    chip buyers per end-use segment, as in ``summary.csv``), if any, and
    ``baseline`` the unshocked runs it compared against: then ``baseline.npz`` too (as an ensemble
    writes its baseline's archive), and the plots show the change; with the built-in network also
    ``value_added_loss.csv`` and ``.png`` (docs/model.md §8.3), and ``cover.png``: days of stock cover
    of the final-demand commodities whose buyers' stocks fell most against the baseline
    (`plot_cover`). ``cover_band``, a
    `cover_band` table, is written as ``cover_band.csv``.
    """
    from ..impact.loss import feeds_impact

    def write(tmp: Path) -> list[str]:
        results.save(tmp / "results.npz")
        names = ["results.npz"]
        if baseline is not None:
            names.append(baseline.save(tmp / "baseline.npz").name)
        results.summary().to_csv(tmp / "summary.csv", index=False)
        names += ["summary.csv", *_save_figures(results, tmp, baseline)]
        names += _save_cover(results, tmp, baseline) if baseline is not None else []
        if compare is not None and feeds_impact(results.scenario.network):
            from .impact_text import save_value_added
            names += save_value_added(results, baseline, tmp)
        if compare is not None:
            compare.to_csv(tmp / "compare.csv", index=False)
            names.append("compare.csv")
        if cover_band is not None:
            cover_band.to_csv(tmp / "cover_band.csv")   # the index is the case: low, central, high
            names.append("cover_band.csv")
        return names
    return write_folder(out, write)


def write_summary(results: EnsembleResults, out: Path, *, compare: pd.DataFrame | None = None,
                  baseline: EnsembleResults | None = None, cover_band: pd.DataFrame | None = None) -> list[str]:
    """Write an ensemble's archive, tables and fan chart into ``out``, all or nothing.

    ``results.npz`` (`EnsembleResults.save`; ``baseline.npz`` too when
    compared), ``summary.csv``, ``shortfall.csv`` (shortfall percentiles and the probability of any
    shortfall), ``bands.csv`` (daily percentile bands), ``fan.png``, ``prices.png`` (the price index fan) and
    ``compare.csv`` if compared, and ``cover_band.csv`` for a ``cover_band`` table (as `write_outputs`).
    """
    from ..impact.loss import feeds_impact

    def write(tmp: Path) -> list[str]:
        names = [results.save(tmp / "results.npz").name]
        if baseline is not None:
            names.append(baseline.save(tmp / "baseline.npz").name)
        results.summary().to_csv(tmp / "summary.csv", index=False)
        results.shortfall_summary().to_csv(tmp / "shortfall.csv", index=False)
        results.bands_dataframe().to_csv(tmp / "bands.csv", index=False)
        names += ["summary.csv", "shortfall.csv", "bands.csv", *_save_fans(results, tmp, baseline)]
        if compare is not None and feeds_impact(results.scenario.network):
            from .impact_text import save_value_added
            names += save_value_added(results, baseline, tmp)
        if compare is not None:
            compare.to_csv(tmp / "compare.csv", index=False)
            names.append("compare.csv")
        if cover_band is not None:
            cover_band.to_csv(tmp / "cover_band.csv")   # the index is the case: low, central, high
            names.append("cover_band.csv")
        return names
    return write_folder(out, write)


def format_shortfall_distribution(results: EnsembleResults, top: int = 12) -> str:
    """The shortfall over runs of the demands that ran short in some run: chance, median and 5-95 %.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> ens = simulate(synthetic_scenario(5, horizon_days=20), engine="vector", n_runs=60, seed=1, keep="summary")
    >>> print(format_shortfall_distribution(ens).splitlines()[0])
    Shortfall over 60 runs (USD at reference prices):
    """
    table = results.shortfall_summary()
    short = table[(table["p_shortfall"] > 0) & (table["region"] != "ALL")]
    short = short.sort_values(["shortfall_usd", "p_shortfall"], ascending=False, kind="stable")
    lines = [f"Shortfall over {results.n_runs:,} run{'' if results.n_runs == 1 else 's'} (USD at reference prices):"]
    if len(short):
        rows = [[str(r.region), str(r.commodity), str(r.segment), _pct(r.p_shortfall, floor=False),
                 _usd(r.shortfall_usd), _usd(r.shortfall_usd_p5), _usd(r.shortfall_usd_p50), _usd(r.shortfall_usd_p95)]
                for r in short.head(top).itertuples()]
        lines += _table(["region", "commodity", "segment", "runs short", "mean", "5th pct", "median", "95th pct"],
                        rows, 3)
        if len(short) > top:
            lines.append(f"... and {len(short) - top} more demands short in some run (shortfall.csv with --out).")
    total = table[table["region"] == "ALL"].iloc[0]
    lines.append(f"Any shortfall in {_pct(total['p_shortfall'], floor=False)} of runs; total "
                 f"{_usd(total['shortfall_usd'])} on average, 90% of runs between "
                 f"{_usd(total['shortfall_usd_p5'])} and {_usd(total['shortfall_usd_p95'])}.")
    return "\n".join(lines)


# Subcommands ----------------------------------------------------------------------------------
def _configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="'baseline', a shipped scenario by name (listed by 'supplychain "
                                         "scenarios', e.g. taiwan_blockade_magnets) or a scenario TOML file")
    parser.add_argument("--engine", choices=ENGINES, default="des",
                        help="des: SimPy discrete-event engine; vector: NumPy Monte Carlo (default: des)")
    parser.add_argument("--runs", type=whole_number(1), default=1, metavar="N", help="number of runs (default: 1)")
    parser.add_argument("--seed", type=whole_number(0), default=None, metavar="S",
                        help="root seed (default: the scenario's, else fresh and printed)")
    parser.add_argument("--horizon", type=whole_number(1, int(MAX_DAYS)), default=None, metavar="DAYS",
                        help="simulate this many days instead of the scenario's horizon")
    parser.add_argument("--random-lead-times", action="store_true",
                        help="draw each lane's lead time per shipment over its documented low/mode/high range "
                             "(triangular), as load_baseline(random_lead_times=True); for scenarios on the "
                             "baseline network. Without it (or noise, outages, uncertain parameters) every run "
                             "is the same")
    parser.add_argument("--keep", choices=("series", "summary"), default=None,
                        help="series: every daily series of every run (about 25 MB per run of the baseline year "
                             "in results.npz before compression); summary: per-run totals and daily percentile "
                             f"bands, a few MB whatever the runs (default: series up to {SERIES_RUN_LIMIT} runs, "
                             "else summary; the output says which)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="write the results archive, CSV tables and plots into DIR (says what and how large "
                             "before writing: daily series of up to "
                             f"{SERIES_RUN_LIMIT} runs, else summaries; --keep series for every series)")
    parser.add_argument("--all", action="store_true",
                        help="also print the full summary table, every region and commodity")
    # Two flags of one setting: given together they contradict each other, so argparse refuses the pair
    # (a BooleanOptionalAction would let the last one win silently). Both default to None, not True:
    # argparse counts an option as given only when its value differs from its default.
    band = parser.add_mutually_exclusive_group()
    band.add_argument("--cover-band", dest="cover_band", action="store_const", const=True, default=None,
                      help="when the shock moves chip buyers, rerun the scenario and its baseline with every "
                           "end-use segment's days of cover at the low and at the high end of its cited range "
                           "(vector engine, deterministic scenarios) and print the shortfall and value added "
                           "lost across them (supplychain.analytics.cover_band; with --out also cover_band.csv; "
                           "on by default, about a fifth more CPU time on the flagship)")
    band.add_argument("--no-cover-band", dest="cover_band", action="store_const", const=False, default=None,
                      help="skip the cover band's reruns")
    feedback = parser.add_mutually_exclusive_group()
    feedback.add_argument("--price-feedback", dest="price_feedback", action="store_const", const=True,
                          default=None, help="scarcity prices act on demand, sourcing and a short supplier's "
                                             "rationing (Scenario.price_feedback; default: the scenario's, off "
                                             "unless its file sets price_feedback = true)")
    feedback.add_argument("--no-price-feedback", dest="price_feedback", action="store_const", const=False,
                          default=None, help="keep every quantity as with fixed prices, whatever the scenario says")
    parser.add_argument("--compare", nargs="?", const="baseline", choices=["baseline"], default=None,
                        help="run the scenario without its shocks too (same seed: paired runs) and print what "
                             "changed, with 95%% intervals over several runs; the default for a scenario with "
                             "shocks; with --out, write compare.csv")
    add_format_argument(parser, table_help="the change against the baseline (or the summary), for people")


def _keep(args: argparse.Namespace) -> str:
    if args.keep is not None:
        return str(args.keep)
    # Daily series of every run grow with runs x days x items; big ensembles keep summaries.
    return "summary" if args.runs > SERIES_RUN_LIMIT else "series"


def series_bytes(results: Results | EnsembleResults, n_runs: int | None = None) -> int:
    """At most how many bytes the daily series of ``n_runs`` runs (default: all) of these results take.

    Every recorded variable of every item on every day, in 8-byte floats, before compression:
    what ``--keep series`` puts into ``results.npz``.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=0)
    >>> series_bytes(res) >= sum(a.nbytes for a in res.arrays.values())
    True
    """
    from ..results.series import VARIABLE_AXES
    items = sum(len(results.coords.labels(axis)) for axis in VARIABLE_AXES.values())
    return 8 * results.n_days * items * (results.n_runs if n_runs is None else n_runs)


def _mode_line(keep: str, args: argparse.Namespace, results: Results | EnsembleResults) -> str:
    if keep == "series":
        return ""
    why = "--keep summary" if args.keep == "summary" else f"more than {SERIES_RUN_LIMIT} runs"
    return (f"Kept per-run totals and daily percentile bands, not daily series ({why}; --keep series keeps "
            f"every daily series: up to {format_bytes(series_bytes(results))} for {'this run' if results.n_runs == 1 else f'these {results.n_runs:,} runs'}).")


#: What ``run --runs N`` says of a scenario in which nothing is random.
IDENTICAL_RUNS_CLI = ("nothing in this scenario is random; the {n} runs are identical: use --runs 1, or "
                      "--random-lead-times (or a scenario with demand noise, RandomOutage or uncertain parameters)")


def _cmd_run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..impact.loss import feeds_impact
    from ..run.simulate import identical_runs_expected, simulate
    if args.out is not None:
        check_out_dir(args.out)  # before the work, not after it
    keep = _keep(args)
    phases = ["loading scenario", f"simulating {args.runs} run{'' if args.runs == 1 else 's'} on {args.engine}",
              "simulating the unshocked baseline", "comparing", "cover band"]
    phases += ["writing outputs"] if args.out is not None else []
    table = baseline = by_segment = band = None
    with about_scenario(args.scenario), PhaseBar(phases, enabled=not args.quiet) as bar, ExitStack() as stack:
        bar.step(phases[0])
        scenario = resolve_scenario(args.scenario)
        if args.horizon is not None:
            scenario = scenario.with_horizon(args.horizon)
        if args.price_feedback is not None:
            scenario = scenario.replace(price_feedback=args.price_feedback)
        if args.random_lead_times:
            from ..datasets.baseline import with_random_lead_times
            scenario = with_random_lead_times(scenario)
        shocked = has_shocks(scenario)
        do_compare = args.compare == "baseline" or shocked
        if args.runs > 1:
            from ..analytics._engine import is_deterministic
            if is_deterministic(scenario):
                warnings.warn(IDENTICAL_RUNS_CLI.format(n=args.runs), SimulationWarning, stacklevel=1)
        # The library's own warning names Python arguments; the command line said what to type instead.
        stack.enter_context(identical_runs_expected())
        bar.step(phases[1])
        results = simulate(scenario, engine=args.engine, n_runs=args.runs, seed=args.seed, keep=keep,
                           progress=not args.quiet and args.runs > 1)
        check_results(results)  # an extreme value the model let through must not end in a silent NaN
        if do_compare:
            from ..analytics.compare import compare
            bar.step(phases[2])
            base = scenario.without_shocks(name=f"{scenario.name} without shocks")
            baseline = simulate(base, engine=args.engine, n_runs=results.n_runs, seed=results.seed, keep=keep,
                                progress=not args.quiet and args.runs > 1)
            check_results(baseline)
            bar.step(phases[3])
            # Every table names each demand as summary.csv does: chip buyers by their end-use segment,
            # so the printed change table, compare.csv and the segment line count the same demands.
            table = by_segment = compare(baseline, results, segments=True)
            table.attrs["unshocked"] = True  # the baseline is this scenario without its shocks
            band = _cover_band(args, scenario, results, baseline, bar)
        text = _run_text(args, keep, results, table, shocked, by_segment, band)
        if args.cover_band and table is None and args.format == "table":
            text += ("\n\nAcross cited chip buyers' covers: no band, a scenario without shocks has no change to "
                     "bound (--compare baseline runs the pair).")
        if args.format == "table":
            from .price_text import format_price_notes
            notes = format_price_notes(results, baseline)
            text += "\n\n" + notes if notes else ""
            if args.all and scenario.price_feedback and keep == "series":
                from .price_text import who_pays_table
                text += "\n\n" + who_pays_table(results, baseline)  # type: ignore[arg-type]
            elif args.all and scenario.price_feedback:
                text += ("\n\nWho pays (supplychain.metrics.who_pays): not known from per-run summaries, which keep "
                         "no daily prices (--keep series keeps them).")
        if table is not None and args.format == "table":
            from .segment_text import format_segment_shortfall
            segments = format_segment_shortfall(results, baseline)
            text += "\n\n" + segments if segments else ""
            from .cover_text import format_cover_band
            line = format_cover_band(band) if isinstance(band, pd.DataFrame) else band or ""
            text += ("\n" if segments else "\n\n") + line if line else ""
            from .cover_text import format_cover_notes
            cover = format_cover_notes(results, baseline)
            text += "\n\n" + cover if cover else ""
        if table is not None and args.format == "table" and feeds_impact(scenario.network):
            from ..analytics.impact import value_added_loss_table
            from .impact_text import format_value_added
            text += "\n\n" + format_value_added(value_added_loss_table(results, baseline))
        if args.out is not None:
            banded = isinstance(band, pd.DataFrame)
            files = planned_files(results, compared=table is not None, baseline=baseline, cover_band=banded)
            if not args.quiet:
                print(describe_files(files, args.out, results), file=sys.stderr)
            bar.step(phases[-1])
            # Everything, compare.csv included, lands in one step: an interrupt leaves nothing.
            write = write_outputs if keep == "series" else write_summary
            names = write(results, args.out, compare=by_segment, baseline=baseline,  # type: ignore[operator]
                          cover_band=band if banded else None)  # type: ignore[arg-type]
    print(text)
    if args.out is not None and not args.quiet:
        from .impact_text import NOTHING_LOST
        skipped = "value_added_loss.csv" in names and "value_added_loss.png" not in names
        print(f"Wrote {', '.join(names)} to {args.out}" + (f" ({NOTHING_LOST})" if skipped else ""),
              file=sys.stderr)
    return 0


def _cover_band(args: argparse.Namespace, scenario: Scenario, results: Results | EnsembleResults,
                baseline: Results | EnsembleResults, bar: PhaseBar) -> pd.DataFrame | str | None:
    """The answer across chip buyers' cited covers: the band's table (deterministic scenarios), the line
    saying why there is none (random ones), or None (``--no-cover-band``, or no chip buyer moved).

    The reruns are a progress step of their own ("cover band"), not part of "comparing": on the flagship
    they take about a fifth of the time of the run and its baseline before them.
    """
    from .cover_text import touches_chip_buyers
    if args.cover_band is False:
        return None
    if not touches_chip_buyers(results, baseline):
        # Asked for by name, a band that is not computed is said, not skipped in silence.
        return ("Across cited chip buyers' covers: no band, the shock moved no chip buyer's shortfall or stock."
                if args.cover_band else None)
    from ..analytics._engine import is_deterministic
    if not is_deterministic(scenario):
        return ("Across cited chip buyers' covers: --cover-band reruns deterministic scenarios only "
                "(supplychain.analytics.cover_band runs one seed of a random one).")
    from ..analytics.cover_band import cover_band
    from ..results.series import Results
    bar.step("cover band")
    central = (results, baseline) if isinstance(results, Results) and isinstance(baseline, Results) else (None, None)
    return cover_band(scenario, seed=results.seed, results=central[0], baseline=central[1])


def _run_text(args: argparse.Namespace, keep: str, results: Results | EnsembleResults,
              table: pd.DataFrame | None, shocked: bool, by_segment: pd.DataFrame | None = None,
              band: pd.DataFrame | str | None = None) -> str:
    """What ``run`` prints: the change against the baseline (or the summary), in the chosen format.

    ``table`` and ``by_segment`` are the ``compare(..., segments=True)`` table (demand rows per end-use
    segment), printed as the change table or, with ``--format csv|json|markdown``, as it is, so that each
    row names one group of buyers; a cover band's table adds its rows there
    (`cover_band_rows`).
    """
    import pandas as pd

    from ..analytics.compare import format_changes
    if args.format != "table":
        shown = by_segment if by_segment is not None else table if table is not None else results.summary()
        if isinstance(band, pd.DataFrame):
            from .cover_text import cover_band_rows
            shown = cover_band_rows(band, shown)
        elif shown is by_segment or shown is table:
            shown = shown.assign(case="")   # the same columns whether or not a band was computed
        return render(shown, args.format).rstrip("\n")
    mode = _mode_line(keep, args, results)
    head = _run_head(results) + ("\n" + mode if mode else "")
    spread = ""
    if keep == "summary":
        spread = "\n\n" + format_shortfall_distribution(results)  # type: ignore[arg-type]
    if table is not None:
        if args.all:
            return format_summary(results) + ("\n" + mode if mode else "") + "\n\n" + format_changes(table) + spread
        return (head + "\n\n" + format_changes(table) + spread
                + "\nThe full summary of every region and commodity: --all.")
    text = format_summary(results) + ("\n" + mode if mode else "") + spread
    if not shocked:
        text += ("\n\nNo shock in this scenario, so nothing to compare. Run a shipped shock scenario, "
                 "e.g. 'supplychain run taiwan_blockade_magnets'; 'supplychain scenarios' lists them.")
    return text


def _configure_scenarios(parser: argparse.ArgumentParser) -> None:
    """No arguments: the list covers every shipped scenario."""


def _cmd_scenarios(args: argparse.Namespace) -> int:
    from ..datasets.scenarios import SCENARIO_DIR, scenarios
    listed = scenarios()
    width = max(map(len, listed), default=0)
    print("Scenarios shipped with supplychain (run one with 'supplychain run NAME'):")
    for name, description in listed.items():
        print(f"  {name.ljust(width)}  {description}")
    print(f"Files in {SCENARIO_DIR}; 'baseline' is the unshocked network.")
    return 0


def _configure_data(parser: argparse.ArgumentParser) -> None:
    """The table covers the whole built-in dataset; ``--check`` prints the calibration table instead."""
    parser.add_argument("--check", action="store_true",
                        help="compare the baseline with the published figures it must reproduce (calibration "
                             "table: figure, model, published, tolerance, verdict, source); exit 1 if any fails")


def _cmd_data(args: argparse.Namespace) -> int:
    try:
        from ..datasets.baseline import baseline_provenance, format_provenance
        if args.check:
            from ..datasets.calibration import calibration_table, format_calibration
    except ImportError as exc:
        raise SupplyChainError(f"the built-in baseline dataset is not available ({exc}).") from None
    if args.check:
        rows = calibration_table()
        print(format_calibration(rows))
        return 0 if all(r.passed for r in rows) else 1
    print(format_provenance(baseline_provenance()))
    return 0


#: Subcommands in the order ``--help`` lists them.
COMMANDS: list[Command] = [
    Command("run", "simulate a scenario and print what its shocks change (or, without shocks, its summary)",
            _configure_run, _cmd_run),
    Command("scenarios", "list the shock scenarios shipped with the package, with one line each",
            _configure_scenarios, _cmd_scenarios),
    Command("data", "show where the built-in baseline figures come from", _configure_data, _cmd_data),
    Command("stress-test", "knock out each facility, region-stage and exporter in turn and rank them",
            _analytics.configure_stress_test, _analytics.cmd_stress_test),
    Command("benchmark", "run the catalogue of standard policy shocks and print a resilience scorecard",
            _analytics.configure_benchmark, _analytics.cmd_benchmark),
    Command("experiment", "run policies across uncertain futures: robustness table, Pareto plot, PRIM boxes",
            _experiment.configure_experiment, _experiment.cmd_experiment),
]


# Entry point ----------------------------------------------------------------------------------
class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line that points at ``--help``.

    argparse prints the whole usage block before the error; the CLI's promise is one line on stderr
    and a non-zero exit for any bad input. Subcommand parsers inherit the class.

    Abbreviated long options are refused (``allow_abbrev=False``): ``--eng`` for ``--engine``
    would silently change meaning the day another option starting ``--eng`` is added, so a
    script must spell options out, and a shortened one gets "did you mean".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    #: The options of this (sub)command (set by `build_parser`), for "did you mean" on a misspelt one.
    known_options: tuple[str, ...] = ()
    #: The subcommands' parsers by name (set on the top parser by `build_parser`).
    subcommands: dict[str, _OneLineParser] = {}

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        """As argparse, but an argument nobody recognised is reported by the subcommand it was given to.

        argparse leaves the subcommand's unrecognised arguments to the top parser, whose error would read
        ``supplychain: error:`` while a bad choice of the same command reads ``supplychain run: error:``.
        """
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            child = self.subcommands.get(str(getattr(parsed, "command", "")), self)
            child.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}{self._suggestion(message)} "
                     f"(see '{self.prog} --help')\n")

    def _suggestion(self, message: str) -> str:
        """'; did you mean --engine?' for an unrecognised option close to a known one, "; did you mean
        'vector'?" for a misspelt choice ('' otherwise)."""
        import difflib
        import re
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            options = re.findall(r"'([^']*)'", choice.group(2)) or [o.strip() for o in choice.group(2).split(",")]
            close = difflib.get_close_matches(choice.group(1), options, n=2, cutoff=0.6)
            return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        if not message.startswith("unrecognized arguments:"):
            return ""
        for word in message.split(":", 1)[1].split():
            if word.startswith("--"):
                given = word.split("=", 1)[0]
                # A shortened option (abbreviations are refused) is completed when only one option starts so.
                starts = [option for option in self.known_options if option.startswith(given)]
                close = starts or difflib.get_close_matches(given, self.known_options, n=1, cutoff=0.75)
                if close:
                    return f"; did you mean {' or '.join(close[:3])}?"
        return ""


def version_text() -> str:
    """What ``--version`` prints: the version, and whether the vector engine can run compiled loops here.

    Someone timing runs needs to know whether Numba is there and when it is used
    (`supplychain.engines.jit`); finding it does not import it, so this costs nothing.

    Examples
    --------
    >>> print(version_text().splitlines()[1])  # doctest: +ELLIPSIS
    compiled loops (...
    """
    import importlib.metadata
    import importlib.util

    from ..engines import jit
    try:
        mode = jit.mode()
    except SupplyChainError as exc:
        return f"supplychain {__version__}\ncompiled loops (Numba): {exc}"
    if importlib.util.find_spec("numba") is None:
        loops = ("compiled loops (Numba): not installed, the vector engine runs NumPy alone "
                 '(pip install "supplychain[fast]" adds them: the same results, faster)')
    else:
        numba = f"compiled loops (Numba {importlib.metadata.version('numba')})"
        loops = {"off": f"{numba}: off ({jit.ENV}=off), the vector engine runs NumPy alone",
                 "on": f"{numba}: on for every vector-engine run ({jit.ENV}=on)",
                 "auto": f"{numba}: used by the vector engine for ensembles of about 150 baseline-year runs "
                         f"and more ({jit.ENV}=on|off overrides)"}[mode]
    return f"supplychain {__version__}\n{loops}"


class _Version(argparse.Action):
    """``--version``: `version_text` as it is (argparse's own action would re-wrap its lines)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = _OneLineParser(
        prog="supplychain",
        description="Simulate critical-mineral, battery and semiconductor flows among JP, KR, US, CN, "
                    "TW and ROW under tariffs, export controls and disruptions.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the version and whether compiled loops (Numba) are used, and exit")
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    common.add_argument("--quiet", action="store_true", help="no progress bar or status messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        child = sub.add_parser(command.name, help=command.help, description=command.help, parents=[common])
        command.configure(child)
        child.set_defaults(handler=command.handler)
        child.known_options = tuple(sorted({option for action in child._actions for option in action.option_strings
                                            if option.startswith("--")}))
    parser.subcommands = dict(sub.choices)
    parser.known_options = tuple(sorted({option for choice in sub.choices.values() for option in choice.known_options}))
    return parser


#: Longest error line printed; messages bound the values they quote, this bounds everything else.
_MAX_LINE = 1000


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = " ".join(str(exc).split())
    return text if len(text) <= _MAX_LINE else text[:_MAX_LINE] + "..."


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced by a non-file (tests, notebooks)
        pass


def _warning_printer() -> Any:
    """A ``warnings.showwarning`` that prints each distinct warning once per command.

    A command compiles its scenario more than once (the shocked run, its baseline, the comparison),
    so one shock past the horizon would otherwise warn once per compilation.
    """
    seen: set[str] = set()

    def show(message: Any, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        text = f"supplychain: warning: {_one_line(Exception(str(message)))}"
        if text not in seen:
            seen.add(text)
            print(text, file=sys.stderr)
    return show


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``supplychain`` command and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 on a usage, scenario or file error, 130 after Ctrl-C,
        143 after SIGTERM (which, while ``main`` runs, raises instead of killing
        the process at once, so that partial output is removed).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors: return the status, do not exit
        return exc.code if isinstance(exc.code, int) else 2
    with warnings.catch_warnings():
        warnings.showwarning = _warning_printer()
        try:
            # One worker pool for every ensemble of the command, and progress a log can show.
            with sigterm_raises(), step_lines(), reuse_workers():
                return int(args.handler(args))
        except BrokenPipeError:
            # The reader went away (``supplychain data | head``): not an error worth a message.
            _silence_stdout()
            return 141
        except UsageError as exc:
            prog = f"supplychain {args.command}"
            print(f"{prog}: error: {_one_line(exc)} (see '{prog} --help')", file=sys.stderr)
            return 2
        except (SupplyChainError, OSError) as exc:
            print(f"supplychain: error: {_one_line(exc)}", file=sys.stderr)
            return 2
        except Terminated:
            print("supplychain: terminated", file=sys.stderr)
            return 143
        except KeyboardInterrupt:
            print("supplychain: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":
    raise SystemExit(main())
