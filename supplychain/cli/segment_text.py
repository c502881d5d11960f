"""What ``supplychain run`` says about the shortfall of each end-use segment (docs/model.md §5.5)."""

from __future__ import annotations

from collections import defaultdict

from .._format import format_usd
from ..metrics.service import cumulative_shortfall
from ..results import EnsembleResults, Results

__all__ = ["format_segment_shortfall"]


def format_segment_shortfall(results: Results | EnsembleResults,
                             baseline: Results | EnsembleResults | None = None) -> str:
    """One line giving the change in shortfall (USD at reference prices) of each end-use segment.

    The change table pools a region's segments per commodity; this line says whose orders went
    unfilled (an automotive buyer holding two weeks of chips runs short long before an electronics
    buyer holding forty days). Segments whose shortfall changed by $1 or more are listed, largest change
    first, then how many did not. Means over runs; against ``baseline`` when given. '' when no demand
    carries a segment or no segment's shortfall changed by $1 or more.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> from supplychain import CapacityShock
    >>> base = load_baseline().with_horizon(120)
    >>> out = [CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=0, end=60) for s in ("fab", "fab_new", "packaging")]
    >>> print(format_segment_shortfall(simulate(base.with_shocks(*out), engine="vector"),
    ...                                simulate(base, engine="vector")))  # doctest: +ELLIPSIS
    Shortfall by end-use segment of buyers (each segment holds its own stock; change, USD): ...automotive +$...
    """
    segment_of = {d.id: d.segment for d in results.scenario.network.demands if d.segment}
    if not segment_of:
        return ""
    short = cumulative_shortfall(results, usd=True, by="demand").mean(axis=0)
    if baseline is not None:
        short = short - cumulative_shortfall(baseline, usd=True, by="demand").mean(axis=0)
    by_segment: dict[str, float] = defaultdict(float)
    by_commodity: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    commodity_of = {d.id: d.commodity for d in results.scenario.network.demands}
    for demand, value in short.items():
        if demand in segment_of:
            by_segment[segment_of[demand]] += float(value)
            by_commodity[segment_of[demand]][commodity_of[demand]] += float(value)
    if all(abs(v) < 1.0 for v in by_segment.values()):
        return ""
    parts = []
    for segment in sorted(by_segment, key=lambda s: -abs(by_segment[s])):
        value = by_segment[segment]
        if abs(value) < 1.0:
            continue
        largest = sorted(by_commodity[segment].items(), key=lambda item: -abs(item[1]))
        detail = ", ".join(f"{c} {format_usd(v, sign=True)}" for c, v in largest[:3] if abs(v) >= 1.0)
        parts.append(f"{segment} {format_usd(value, sign=True)} ({detail})")
    # Chip segments and magnet users' groups share the line: a shock to one chain leaves the other's
    # segments at $0, counted rather than listed.
    same = sum(abs(v) < 1.0 for v in by_segment.values())
    rest = f" ({same} unchanged)" if same else ""
    return ("Shortfall by end-use segment of buyers (each segment holds its own stock; change, USD): "
            + "; ".join(parts) + rest + ".")
