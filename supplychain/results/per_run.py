"""Per-run tables of an ensemble: each run's uncertain parameters and its shortfall in USD.

What a user needs to plot a run's outcome against what was drawn for it (shortfall against the length
of an outage): `run_parameters` gives each run's values of the scenario's uncertain parameters,
recomputed exactly from the scenario and the seed (a run's values depend on them alone, docs/model.md
§7.2 and §6.13), so an ensemble read back from its archive gives them too; `shortfall_by_run` gives each
run's shortfall at reference prices by region, commodity and end-use segment.

Implements docs/model.md §6.13 (parameter-paths, the values of each run).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .._validation import fail
from .labelled import demand_segments

if TYPE_CHECKING:
    import pandas as pd

    from ..model.scenario import Scenario
    from .series import Coords

__all__ = ["run_parameters", "shortfall_by_run", "SHORTFALL_KEYS"]

#: What `shortfall_by_run` can group demands by.
SHORTFALL_KEYS = ("region", "commodity", "segment")


def run_parameters(scenario: Scenario, seed: int, n_runs: int, *, drawn: bool = False) -> pd.DataFrame:
    """Each run's values of ``scenario.uncertainties``: one row per run (index ``run``), one column per path.

    ``drawn=False`` (default): the values as the runs used them, after the conversion the model makes
    (`supplychain.model.substitution.applied_values`: whole days for days, so a duration drawn
    33.7 days is 34). ``drawn=True``: the numbers as drawn from each run's parameter stream. No columns
    for a scenario without uncertain parameters.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock, Uniform
    >>> sc = toy_scenario(60).with_shocks(CapacityShock(id="quake", region="CN", fraction_lost=0.5,
    ...                                                 start=10, end=40))
    >>> sc = sc.with_uncertainty("shocks.quake.duration_days", Uniform(10, 20))
    >>> used, drawn = run_parameters(sc, 3, 4), run_parameters(sc, 3, 4, drawn=True)
    >>> list(used.columns), used.index.name, bool((used - drawn).abs().max().max() <= 0.5)
    (['shocks.quake.duration_days'], 'run', True)
    """
    import pandas as pd

    from ..engines.draws import run_seed_sequences
    from ..model.substitution import applied_values
    from ..model.uncertainty import run_values

    paths = [u.path for u in scenario.uncertainties]
    index = pd.RangeIndex(n_runs, name="run")
    if not paths:
        return pd.DataFrame(index=index)
    values = run_values(scenario, run_seed_sequences(seed, n_runs))
    rows = values if drawn else [applied_values(scenario, v) for v in values]
    return pd.DataFrame(rows, columns=paths, index=index)


def shortfall_by_run(scenario: Scenario, coords: Coords, demand: np.ndarray, delivered: np.ndarray,
                     by: str | Sequence[str] = ("region", "segment"), *, total: bool = True) -> pd.DataFrame:
    """Each run's shortfall at reference prices (USD): one row per run, one column per group of demands.

    ``demand`` and ``delivered`` are totals over the horizon per run and demand ``(n_runs, n_demands)``;
    a demand's shortfall is ``max(demand - delivered, 0)`` (late deliveries count as delivered, as in
    `EnsembleResults.shortfall`) times its commodity's reference price. ``by`` names the labels of a
    group (`SHORTFALL_KEYS`; a demand without an end-use segment has segment ``""``); several give
    column labels that are tuples. ``total=True`` adds a column ``"ALL"`` (a tuple of ``"ALL"`` for
    several labels): the run's whole shortfall, the sum of the others.
    """
    import pandas as pd

    keys = (by,) if isinstance(by, str) else tuple(by)
    if not keys or any(k not in SHORTFALL_KEYS for k in keys) or len(set(keys)) != len(keys):
        raise fail("by", f"one or more of {', '.join(SHORTFALL_KEYS)}", by, "shortfall_by_run")
    net = scenario.network
    price = {c.id: c.price_usd for c in net.commodities}
    labels = {"region": list(coords.region["demand"]), "commodity": list(coords.commodity["demand"]),
              "segment": list(demand_segments(scenario, coords))}
    usd = np.maximum(np.asarray(demand, float) - np.asarray(delivered, float), 0.0) * np.array(
        [price[c] for c in labels["commodity"]], dtype=float)
    group = [tuple(labels[k][d] for k in keys) for d in range(usd.shape[1])]
    names = sorted(set(group))
    member = np.zeros((len(group), len(names)))
    for d, g in enumerate(group):
        member[d, names.index(g)] = 1.0
    out = usd @ member
    columns: list[object] = [g[0] if len(keys) == 1 else g for g in names]
    if total:
        out = np.column_stack([out, usd.sum(axis=1)])
        columns.append("ALL" if len(keys) == 1 else ("ALL",) * len(keys))
    frame = pd.DataFrame(out, index=pd.RangeIndex(usd.shape[0], name="run"))
    frame.columns = pd.MultiIndex.from_tuples(columns, names=list(keys)) if len(keys) > 1 else pd.Index(
        columns, name=keys[0])
    return frame
