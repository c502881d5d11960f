"""A chip class short for one segment's buyers, for the path tests of docs/model.md §8.3 (tools/tw_va_trace.py)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import supplychain as sc
from supplychain.impact.table import load_io_table
from tools.tw_va_trace import factors

DAYS = 40


def short_path(commodity: str, segment: str, short: Callable[[object], bool]):  # type: ignore[no-untyped-def]
    """``(network, table, factors)`` of a 40-day record in which the demands of ``commodity`` and ``segment``
    for which ``short(demand)`` holds get 70 % of their demand on days 5-24, every other demand in full."""
    net, table = sc.load_baseline(horizon_days=5).network, load_io_table()
    d = np.stack([np.array([x.rate_per_day for x in net.demands])] * DAYS)
    y = d.copy()
    k = [i for i, x in enumerate(net.demands) if (x.commodity, x.segment) == (commodity, segment) and short(x)]
    y[5:25, k] *= 0.7
    return net, table, factors(net, table, (d, d), (d, y), commodity, segment)
