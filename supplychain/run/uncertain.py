"""Runs of a scenario with uncertain parameters: each run's values, drawn from that run's own stream.

Run ``r`` draws one uniform number per uncertain parameter from a stream of
its own, the child ``PARAMETER_STREAM`` of its seed sequence (the engines'
streams are children ``0, 1, ...``; see `supplychain.engines.draws`), and
maps it through the parameter's quantile function
(`Uncertainty.values`). So a run's values depend on
the seed and the run number only, never on chunk size or executor, and two
scenarios with the same uncertain parameters run with one seed see the same
values in every run (common random numbers). Each distinct set of values is
put into the scenario by `substitute` and
compiled once.

Implements docs/model.md §7.2 (seeds) and §6.13 (parameter-paths).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..compile.compiler import Compiled, compile_scenario
from ..compile.steady import steady_state
from ..model.network import Network
from ..model.paths import Usage
from ..model.scenario import Scenario
from ..model.substitution import substitute

__all__ = ["PARAMETER_STREAM", "parameter_units", "run_values", "compile_runs", "region_usage", "grouped_order"]

#: Child index of a run's seed sequence that feeds its uncertain parameters (far above the engines' streams).
PARAMETER_STREAM = 1 << 20


def parameter_units(seqs: Sequence[np.random.SeedSequence], n_parameters: int) -> np.ndarray:
    """Uniform numbers ``(n_runs, n_parameters)`` in ``[0, 1)``, one row from each run's parameter stream.

    Examples
    --------
    >>> from supplychain.engines.draws import run_seed_sequences
    >>> seqs = run_seed_sequences(5, 4)
    >>> bool((parameter_units(seqs, 2)[2:] == parameter_units(seqs[2:], 2)).all())
    True
    """
    out = np.empty((len(seqs), n_parameters))
    for r, seq in enumerate(seqs):
        child = np.random.SeedSequence(seq.entropy, spawn_key=tuple(seq.spawn_key) + (PARAMETER_STREAM,),
                                       pool_size=seq.pool_size)
        out[r] = np.random.default_rng(child).random(n_parameters)
    return out


def run_values(scenario: Scenario, seqs: Sequence[np.random.SeedSequence]) -> list[dict[str, Any]]:
    """Each run's values of ``scenario.uncertainties``, ``{path: value}``, in run order."""
    units = parameter_units(seqs, len(scenario.uncertainties))
    columns = [u.values(units[:, k]) for k, u in enumerate(scenario.uncertainties)]
    return [{u.path: columns[k][r] for k, u in enumerate(scenario.uncertainties)} for r in range(len(seqs))]


def region_usage(network: Network) -> Usage:
    """``usage(region, commodity)``: the region's steady daily usage of the commodity (all its buyers).

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> usage = region_usage(toy_scenario(10).network)
    >>> usage("KR", "ore") > 0, usage("KR", "nothing")
    (True, 0.0)
    """
    ss = steady_state(network)
    region = {f.id: f.region for f in network.facilities} | {d.id: d.region for d in network.demands}
    totals: dict[tuple[str, str], float] = {}
    for (node, commodity), rate in ss.usage.items():
        key = (region.get(node, ""), commodity)
        totals[key] = totals.get(key, 0.0) + rate

    def usage(reg: str, commodity: str) -> float:
        return totals.get((reg, commodity), 0.0)
    return usage


def compile_runs(scenario: Scenario, seqs: Sequence[np.random.SeedSequence]) -> list[Compiled]:
    """One compiled scenario per run (runs with equal values share one object)."""
    usage = region_usage(scenario.network)
    cache: dict[tuple[Any, ...], Compiled] = {}
    out = []
    for values in run_values(scenario, seqs):
        key = tuple(values.values())
        if key not in cache:
            cache[key] = compile_scenario(substitute(scenario, values, usage=usage))
        out.append(cache[key])
    return out


def grouped_order(compiled_runs: Sequence[Compiled]) -> np.ndarray:
    """Run order that puts runs sharing a compiled scenario next to each other (first appearance first).

    Runs are simulated in this order, so that runs with equal values share
    chunks, and put back in run order afterwards; the order depends on the
    drawn values only, never on chunk size or executor.

    Examples
    --------
    >>> a, b = object(), object()
    >>> grouped_order([a, b, a, b, b]).tolist()
    [0, 2, 1, 3, 4]
    """
    first: dict[int, int] = {}
    keys = [first.setdefault(id(c), len(first)) for c in compiled_runs]
    return np.argsort(np.array(keys, dtype=np.int64), kind="stable")
