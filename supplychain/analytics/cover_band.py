"""How much an answer hinges on chip buyers' days of cover: the scenario rerun at the ends of the cited range.

A region's chip demand is split among end-use buyers (automotive, industrial, electronics), each with
its own stock and days of cover (docs/model.md §5.5). The covers are uncertain: the built-in data give
each a central value and a range of published holdings (``cover_days`` ``low``/``high`` in
``semiconductors.toml``; docs/assumptions.md, "Chip buyers' days of cover"). `cover_band`
reruns a scenario and its unshocked baseline with every segment's buyers at the low ends together, and
again at the high ends, and reports the shortfall and value added lost at low, central and high covers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._validation import check_days, fail
from ..errors import ValidationError
from ..impact.loss import feeds_impact
from ..metrics.service import cumulative_shortfall
from ..model import Network, Scenario
from ..model.policies import DaysOfCover
from ..results import Results
from ..run.simulate import identical_runs_expected, simulate
from .impact import value_added_loss_table

__all__ = ["cover_band", "cited_covers", "with_segment_covers", "band_range", "chip_buyers", "CASES", "LEVELS"]

#: The rows of a band: every segment's buyers at the low ends of their ranges, as given, at the high ends.
CASES = ("low", "central", "high")


def cited_covers() -> dict[str, tuple[float, float, float]]:
    """The cited days of cover of each end-use segment of the built-in baseline: ``(low, central, high)``.

    Read from the data files (each segmented demand's ``cover_days`` with its ``low``/``high``
    range and source; ``supplychain data`` prints the sources). Where the demands of one segment
    differed, the widest range and the smallest central value would be taken; in the shipped data
    every demand of a segment carries the same figures.

    Examples
    --------
    >>> cited_covers()["automotive"]
    (5.0, 14.0, 40.0)
    """
    from ..datasets.baseline import baseline_provenance, load_baseline
    segment_of = {d.id: d.segment for d in load_baseline().network.demands if d.segment}
    found: dict[str, dict[str, list[float]]] = {}
    for row in baseline_provenance():
        field = row["field"]
        if row["item"] in segment_of and field.startswith("cover_days"):
            key = field.split(".", 1)[1] if "." in field else "value"
            found.setdefault(segment_of[row["item"]], {}).setdefault(key, []).append(float(row["value"]))
    return {g: (min(v.get("low", v["value"])), min(v["value"]), max(v.get("high", v["value"])))
            for g, v in sorted(found.items())}


def with_segment_covers(scenario: Scenario, days: Mapping[str, float]) -> Scenario:
    """``scenario`` with the buyers of each end-use segment in ``days`` holding that many days of cover.

    Only demands whose ``segment`` is a key of ``days`` change; they start at their new target
    (``initial_inventory`` cleared), as the baseline's buyers start at theirs.

    Examples
    --------
    >>> from supplychain.analytics._cover_toy import segment_stop_scenario
    >>> net = with_segment_covers(segment_stop_scenario(), {"automotive": 9.0}).network
    >>> [d.policy.days for d in net.demands]
    [9.0, 6.0]
    """
    for g, d in days.items():
        check_days(d, f"days[{g!r}]", "cover band")
    demands = tuple(dataclasses.replace(d, policy=DaysOfCover(float(days[d.segment])), initial_inventory=None)
                    if d.segment in days else d for d in scenario.network.demands)
    return scenario.replace(network=dataclasses.replace(scenario.network, demands=demands))


def _central_covers(scenario: Scenario) -> dict[str, float]:
    out: dict[str, float] = {}
    for d in scenario.network.demands:
        if d.segment is None:
            continue
        if not isinstance(d.policy, DaysOfCover):
            raise fail("policy", "DaysOfCover for the buyers of an end-use segment (the band sets their days)",
                       d.policy, "Demand", d.id)
        out[d.segment] = min(out.get(d.segment, math.inf), d.policy.days)
    return out


#: Prefixes of the columns holding each run's own shortfall beside its change (``baseline_shortfall_usd``, ...).
LEVELS = ("baseline_", "shocked_")


def chip_buyers(net: Network) -> set[str]:
    """The ids of the demands whose covers the band is about: the semiconductor chain's segmented buyers.

    Magnet users carry a segment too (car_parts, motors, devices) but have no cited range of cover, so a
    shock that moves only them has nothing for the band to bound. On a network without a semiconductor
    chain, every segmented demand (a hand-built network's segments stand for chip buyers there).

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> net = load_baseline().network
    >>> sorted({d.segment for d in net.demands if d.id in chip_buyers(net)})
    ['automotive', 'electronics', 'industrial']
    """
    chain = {c.id: c.chain for c in net.commodities}
    segmented = {d.id for d in net.demands if d.segment}
    return {i for i in segmented if chain[net.demand(i).commodity] == "semiconductors"} or segmented


def _shortfalls(results: Results, segment_of: Mapping[str, str]) -> dict[str, float]:
    """Shortfall in USD (mean over runs) of all demands, of the chip buyers and of each segment's."""
    short = cumulative_shortfall(results, usd=True, by="demand").mean(axis=0)
    chips = chip_buyers(results.scenario.network)
    out = {"shortfall_usd": float(short.sum()),
           "chip_shortfall_usd": float(sum(v for k, v in short.items() if k in chips))}
    for g in sorted(set(segment_of.values())):
        out[f"shortfall_usd:{g}"] = float(sum(v for k, v in short.items() if segment_of.get(k) == g))
    return out


def _measure(results: Results, baseline: Results) -> dict[str, float]:
    """Changes against the baseline, shortfall (all demands, chip buyers, each segment) and value added lost,
    then each shortfall's level in the baseline and in the shocked run (`LEVELS`)."""
    net = results.scenario.network
    segment_of = {d.id: d.segment for d in net.demands if d.segment}
    before, after = _shortfalls(baseline, segment_of), _shortfalls(results, segment_of)
    out = {name: after[name] - before[name] for name in after}
    out["value_added_loss_usd"] = (float(value_added_loss_table(results, baseline)["value_added_loss_usd"].sum())
                                   if feeds_impact(net) else float("nan"))
    out.update({f"baseline_{name}": value for name, value in before.items()})
    out.update({f"shocked_{name}": value for name, value in after.items()})
    return out


def cover_band(scenario: Scenario, covers: Mapping[str, tuple[float, float]] | None = None, *,
               seed: int | None = None, results: Results | None = None,
               baseline: Results | None = None) -> pd.DataFrame:
    """Shortfall and value added lost with chip buyers' days of cover at the ends of their range.

    The scenario and its unshocked baseline (``scenario.without_shocks()``) are run on the vector
    engine, one run each on one seed, with every end-use segment's buyers at the low end of its
    range together, and again at the high end; the central row is the scenario as given. On a
    deterministic scenario (no random lead times, noise, outages or licence draws) one run is
    exact, and the two engines agree exactly; on a random one each row is one run, not a mean.

    Parameters
    ----------
    scenario : Scenario
        A scenario whose network has demands with a ``segment`` (the built-in baseline has them).
    covers : mapping of str to (float, float), optional
        Days of cover ``(low, high)`` per segment; segments left out keep their days. Default: the
        cited ranges of the built-in data (`cited_covers`) for the segments in the scenario.
    seed : int, optional
        Seed of the runs (default: the scenario's, else 0).
    results, baseline : Results, optional
        Runs of ``scenario`` and of its unshocked baseline on one seed, to use as the central row
        instead of running them again (``supplychain run`` passes its own).

    Returns
    -------
    DataFrame
        Index ``case`` (``"low"``, ``"central"``, ``"high"``: the covers' ends, so "low" covers give
        the larger shortfall); columns ``cover_days:SEGMENT`` (days held), ``shortfall_usd`` (change of
        all demands' shortfall against the baseline, USD at reference prices), ``chip_shortfall_usd``
        (the segmented chip buyers' part: demands of the semiconductor chain with a segment), ``shortfall_usd:SEGMENT``, ``value_added_loss_usd``
        (NaN off the built-in network), then each shortfall's own level in the baseline and in the
        shocked run at the same covers, ``baseline_shortfall_usd``, ``shocked_shortfall_usd``, ...
        (the change is their difference). ``attrs``: ``engine`` ("vector"), ``seed``, ``deterministic``.

    Raises
    ------
    ValidationError
        If no demand has a segment, a segment in ``covers`` has no demand, a range has
        ``low > high`` or days outside ``[0, 3650]``, or a segment's buyers do not hold
        `DaysOfCover`.

    Examples
    --------
    >>> from supplychain.analytics._cover_toy import segment_stop_scenario
    >>> band = cover_band(segment_stop_scenario(), {"automotive": (2.0, 9.0), "electronics": (4.0, 6.0)})
    >>> band["cover_days:automotive"].tolist(), band["shortfall_usd:automotive"].tolist()
    ([2.0, 3.0, 9.0], [5000.0, 4000.0, 0.0])
    >>> band["shortfall_usd:electronics"].tolist()   # 10 t/day x (7 days without ore - 4, 6, 6 days held) x $100
    [3000.0, 1000.0, 1000.0]
    """
    from ._engine import is_deterministic
    central = _central_covers(scenario)
    if not central:
        raise ValidationError("cover_band: the scenario has no demand with an end-use segment (Demand.segment); "
                              "the built-in baseline has them (automotive, industrial, electronics chip buyers).")
    if covers is None:
        cited = cited_covers()
        covers = {g: (cited[g][0], cited[g][2]) for g in central if g in cited}
    for g, pair in covers.items():
        if g not in central:
            raise fail("covers", f"a segment of the scenario's demands ({', '.join(sorted(central))})", g,
                       "cover band")
        low, high = (check_days(x, f"covers[{g!r}]", "cover band") for x in pair)
        if low > high:
            raise fail(f"covers[{g!r}]", "(low, high) with low <= high", pair, "cover band")
    seed = seed if seed is not None else (scenario.seed if scenario.seed is not None else 0)
    rows: dict[str, dict[str, float]] = {}
    with identical_runs_expected():
        for case, end in (("low", 0), ("central", None), ("high", 1)):
            if case == "central" and results is not None and baseline is not None:
                shocked, base = results, baseline
            else:
                days = dict(central) if end is None else {**central, **{g: r[end] for g, r in covers.items()}}
                varied = with_segment_covers(scenario, days)
                shocked = simulate(varied, engine="vector", n_runs=1, seed=seed)
                base = simulate(varied.without_shocks(), engine="vector", n_runs=1, seed=seed)
            days_used = _central_covers(shocked.scenario)
            rows[case] = {**{f"cover_days:{g}": days_used[g] for g in sorted(days_used)}, **_measure(shocked, base)}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "case"
    frame.attrs.update(engine="vector", seed=int(seed), deterministic=bool(is_deterministic(scenario)))
    return frame


def band_range(frame: pd.DataFrame, column: str) -> tuple[float, float]:
    """Smallest and largest value of ``column`` over the band's rows (low covers usually give the largest)."""
    values = frame[column].to_numpy(dtype=float)
    return float(np.nanmin(values)), float(np.nanmax(values))
