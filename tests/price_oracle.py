"""The hand-computed price path of a single-source mineral market cut off on day 0 (docs/model.md §5.9).

A US consumer uses 10 t a day and holds 110 t after day 0's arrivals, so on day t <= 11 it holds
110 - 10 t; from day 11 its unmet demand joins the market's account, which keeps 1 - 1/adjustment of
itself a day. The gap is (deficit + account) / 365 / 10, the target (1 - gap) ** (-1 / exponent), and the
price index closes 1/adjustment of the way to it a day.
"""

from __future__ import annotations


def cut_off_price_path(exponent: float, adjustment_days: float, days: int = 15) -> list[float]:
    """Price index on days 0..``days`` of the single-source market cut off on day 0.

    Examples
    --------
    >>> path = cut_off_price_path(0.25, 14.0)
    >>> path[0], len(path), path[15] > path[10] > 1.0
    (1.0, 16, True)
    """
    pi, account, expected = 1.0, 0.0, [1.0]
    for t in range(1, days + 1):
        held = max(110.0 - 10.0 * t, 0.0)
        account = account * (1.0 - 1.0 / adjustment_days) + max(10.0 - held, 0.0)
        gap = (110.0 - held + account) / 365.0 / 10.0
        pi += ((1.0 - gap) ** (-1.0 / exponent) - pi) / adjustment_days
        expected.append(pi)
    return expected
