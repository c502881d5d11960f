"""Runs of a scenario with uncertain parameters: each run's values, drawn from that run's own stream.

Run ``r`` draws one uniform number per uncertain parameter from a stream of
its own, the child ``PARAMETER_STREAM`` of its seed sequence (the engines'
streams are children ``0, 1, ...``; see `supplychain.engines.draws`), and
maps it through the parameter's quantile function
(`Uncertainty.values`). So a run's values depend on
the seed and the run number only, never on chunk size or executor, and two
scenarios with the same uncertain parameters run with one seed see the same
values in every run (common random numbers). Each distinct set of values, as
the model holds them (`applied_values`: whole days for days), is put into the
scenario by `substitute` and compiled once. The draws themselves live in
`supplychain.model.uncertainty` (so results can recompute each run's values).

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
from ..model.substitution import applied_values, substitute
from ..model.uncertainty import PARAMETER_STREAM, parameter_units, run_values

__all__ = ["PARAMETER_STREAM", "parameter_units", "run_values", "compile_runs", "region_usage", "grouped_order"]

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
    """One compiled scenario per run (runs whose values are equal as the model holds them share one object).

    Values are compared after `applied_values` (whole days for days, `typed_value`
    for typed fields), the conversion `substitute` makes anyway: ``Uniform(28, 56)``
    days give at most 29 scenarios to compile and run, not one per run, and each run's
    numbers are the same as if it had been compiled on its own.
    """
    usage = region_usage(scenario.network)
    cache: dict[tuple[Any, ...], Compiled] = {}
    out = []
    for values in run_values(scenario, seqs):
        key = tuple(applied_values(scenario, values).values())
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
