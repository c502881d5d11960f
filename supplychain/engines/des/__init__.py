"""The SimPy discrete-event engine, written from the specification alone.

This engine is a second, independent implementation of ``docs/model.md``: it
imports none of the vector engine's rule modules (``engines.kernel``,
``sourcing``, ``licences``, ``restart``, ``outages``, ``dynamic``, ``day``,
``prices``; an import-linter contract in ``pyproject.toml`` enforces it). It
shares with the vector engine only the compiled scenario (arrays and daily
schedules, `supplychain.compile`), the random draws of each run
(`draw_run`, so both engines see the same
numbers run by run) and the recording sinks (`record`,
`summary`). So the agreement tests compare two
implementations of the rules, not one implementation run twice.

A run is one SimPy environment (`.run.Run`): arrival events land
shipments, shock events change the day's schedules, and the daily review
walks the items in the order of docs/model.md §5.1, each item's rule being
plain scalar Python in one function: a facility's production
(`.production.produce`), a buyer's review (`.ordering.review`),
a supplier's order book (`.shipping.offer`), the export controls
(`.trade`) and the stock events (`.stock_events`).

Implements docs/model.md §10 (conformance): the SimPy engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Literal, overload

import numpy as np

from ...compile.compiler import Compiled
from ..draws import RunDraws, draw_run
from ..finite import check_draws, check_inputs, check_state
from ..record import Recorder
from ..summary import SummaryPart, SummarySink
from .layout import Layout
from .run import Run

__all__ = ["run_des"]

_DRAWS = ("demand_noise", "lead_time", "outage", "licence_approved", "licence_delay", "licence_p")


#: What a summary needs of each run (`SummarySink.put_horizon`).
_SUMMARY = ("demand", "delivered", "unmet", "served_on_day", "flow")


def _simulate(c: Compiled, layout: Layout, seq: np.random.SeedSequence,
              only: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """One run: its draws, its simulation, and the checks for non-finite numbers; series ``(T, n)``."""
    draws: RunDraws = draw_run(c, seq)
    batch = SimpleNamespace(**{name: None if getattr(draws, name) is None else getattr(draws, name)[None]
                               for name in _DRAWS})
    check_draws(c, batch, [seq])  # type: ignore[arg-type]
    run = Run(c, layout, draws, only)
    series = run.run()
    end = SimpleNamespace(stock=np.array([run.stock + [np.inf]]), transit_lane=np.array([run.transit]),
                          backlog=np.array([run.backlog]),
                          wip=np.array([run.wip_total]) if any(layout.cycle) else None)
    check_state(c, end, [seq])  # type: ignore[arg-type]
    return series


@overload
def run_des(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
            keep: Literal["series"] = ...) -> dict[str, np.ndarray]: ...


@overload
def run_des(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
            keep: Literal["summary"]) -> SummaryPart: ...


def run_des(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
            keep: Literal["series", "summary"] = "series") -> dict[str, np.ndarray] | SummaryPart:
    """Run one chunk of SimPy replications, one per seed sequence, one after the other.

    Parameters
    ----------
    c : Compiled
        The compiled scenario.
    seqs : sequence of SeedSequence
        One per run (`run_seed_sequences`).
    keep : {"series", "summary"}
        ``"series"``: daily series ``{name: (R, T, n)}``. ``"summary"``: a
        `SummaryPart` (each run is
        summarised when it ends; no ``(R, T, n)`` series is held).

    Raises
    ------
    SupplyChainError
        If an input, a draw or the state is not finite.

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> from supplychain.engines.draws import run_seed_sequences
    >>> c = compile_scenario(synthetic_scenario(10, horizon_days=20))
    >>> run_des(c, run_seed_sequences(0, 2))["flow"].shape == (2, 20, c.n_lanes)
    True
    """
    check_inputs(c)
    layout = Layout(c)
    if keep == "series":
        series = Recorder(c, len(seqs))
        for r, seq in enumerate(seqs):
            one = _simulate(c, layout, seq)
            for name, arr in series.arrays.items():
                arr[r] = one[name]
        return series.result()
    summary = SummarySink(c, len(seqs))
    for r, seq in enumerate(seqs):
        priced = c.schedules.extras.get("prices") is not None
        one = _simulate(c, layout, seq, _SUMMARY + ("price",) if priced else _SUMMARY)
        days = [one[name][None] for name in _SUMMARY]
        if priced:  # scarcity prices (docs/model.md §5.9) give the summary's price index
            days.append(one["price"][None])
        summary.row(r).put_horizon(*days)
    return summary.result()
