"""What ``run --out`` writes: the plan of files (said before writing) and the writing itself, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._format import format_bytes
from . import figures as _figures
from .archive_size import archive_bytes, archive_is_exact
from .formats import render
from .output import write_folder

if TYPE_CHECKING:
    import pandas as pd

    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["planned_files", "describe_files", "write_outputs", "write_summary"]


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



#: Every file ``run --out`` may write: those a new run does not write are removed from a reused folder.
RUN_FILES = ("results.npz", "baseline.npz", "summary.csv", "shortfall.csv", "bands.csv", "fan.png", "prices.png",
             "timeseries.png", "flows.png", "cover.png", "value_added_loss.csv", "value_added_loss.png",
             "compare.csv", "cover_band.csv")

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

    ``compare`` is the change table (`supplychain.cli.run_command.change_rows`: the `compare` table
    with ``segments=True``, chip buyers per end-use segment as in ``summary.csv``, its ``case``
    column and the cover band's rows), written as ``run --format csv`` prints it, if any, and
    ``baseline`` the unshocked runs it compared against: then ``baseline.npz`` too (as an ensemble
    writes its baseline's archive), and the plots show the change; with the built-in network also
    ``value_added_loss.csv`` and ``.png`` (docs/model.md §8.3), and ``cover.png``: days of stock cover
    of the buyers the console's lines on stocks drawn name, in their order
    (`supplychain.cli.figures.cover_commodities`, `plot_cover`). ``cover_band``, a
    `cover_band` table, is written as ``cover_band.csv``.
    """
    def write(tmp: Path) -> list[str]:
        results.save(tmp / "results.npz")
        names = ["results.npz"]
        if baseline is not None:
            names.append(baseline.save(tmp / "baseline.npz").name)
        results.summary().to_csv(tmp / "summary.csv", index=False)
        names += ["summary.csv", *_figures.save_figures(results, tmp, baseline)]
        names += _figures.save_cover(results, tmp, baseline) if baseline is not None else []
        return names + _write_comparison(tmp, results, baseline, compare, cover_band)
    return write_folder(out, write, replaces=RUN_FILES)


def write_summary(results: EnsembleResults, out: Path, *, compare: pd.DataFrame | None = None,
                  baseline: EnsembleResults | None = None, cover_band: pd.DataFrame | None = None) -> list[str]:
    """Write an ensemble's archive, tables and fan chart into ``out``, all or nothing.

    ``results.npz`` (`EnsembleResults.save`; ``baseline.npz`` too when
    compared), ``summary.csv``, ``shortfall.csv`` (shortfall percentiles and the probability of any
    shortfall), ``bands.csv`` (daily percentile bands), ``fan.png``, ``prices.png`` (the price index fan) and
    ``compare.csv`` if compared, and ``cover_band.csv`` for a ``cover_band`` table (as `write_outputs`).
    """
    def write(tmp: Path) -> list[str]:
        names = [results.save(tmp / "results.npz").name]
        if baseline is not None:
            names.append(baseline.save(tmp / "baseline.npz").name)
        results.summary().to_csv(tmp / "summary.csv", index=False)
        results.shortfall_summary().to_csv(tmp / "shortfall.csv", index=False)
        results.bands_dataframe().to_csv(tmp / "bands.csv", index=False)
        names += ["summary.csv", "shortfall.csv", "bands.csv", *_figures.save_fans(results, tmp, baseline)]
        return names + _write_comparison(tmp, results, baseline, compare, cover_band)
    return write_folder(out, write, replaces=RUN_FILES)


def _write_comparison(tmp: Path, results: Any, baseline: Any, compare: pd.DataFrame | None,
                      cover_band: pd.DataFrame | None) -> list[str]:
    """Write the comparison's files (value added lost, ``compare.csv``, ``cover_band.csv``); their names."""
    from ..impact.loss import feeds_impact
    names: list[str] = []
    if compare is not None and feeds_impact(results.scenario.network):
        from .impact_text import save_value_added
        names += save_value_added(results, baseline, tmp)
    if compare is not None:
        # The table `run --format csv` prints, in its number format: one table, one precision.
        (tmp / "compare.csv").write_text(render(compare, "csv"), encoding="utf-8")
        names.append("compare.csv")
    if cover_band is not None:
        cover_band.to_csv(tmp / "cover_band.csv")   # the index is the case: low, central, high
        names.append("cover_band.csv")
    return names
