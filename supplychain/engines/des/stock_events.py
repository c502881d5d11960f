"""Phase 2 of the day: stock destroyed by a disaster, then strategic reserves released into low stocks.

Implements docs/model.md §5.3 (stock-events), §6.6 (capacity-shock: stock destruction) and
§6.10 (stockpile-release).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import Run

__all__ = ["stock_events"]


def stock_events(run: Run, t: int) -> None:
    """Destroy stock and work in progress hit on day ``t``, then release reserves (in canonical order)."""
    stock = run.stock
    if run.destroyed is not None:
        destroyed = run.destroyed
        for s in range(len(destroyed)):
            destroyed[s] = 0.0
        for spec in run.destroy_specs:
            if spec.day != t:
                continue
            theta = spec.fraction
            for s in spec.stocks.tolist():
                lost = stock[s] * theta
                stock[s] -= lost
                destroyed[s] += lost
            for f in sorted(set(spec.wip_owner.tolist())):
                # The lots in the line, stalled ones included, are scrapped by the same fraction.
                line = run.wip[f]
                scrapped = 0.0
                for i, v in enumerate(line):
                    lost = v * theta
                    line[i] = v - lost
                    scrapped += lost
                lost = run.stalled[f] * theta
                run.stalled[f] -= lost
                scrapped += lost
                run.wip_total[f] -= scrapped
                destroyed[run.layout.out_stock[f]] += scrapped
    if run.released is None:
        return
    released = run.released
    for s in range(len(released)):
        released[s] = 0.0
    for p, pile in enumerate(run.stockpiles):
        if not pile.first <= t < pile.stop:
            continue
        stocks = pile.stocks.tolist()
        gaps = [max(pile.cover_days * u - stock[s], 0.0) for s, u in zip(stocks, pile.usage.tolist())]
        total = sum(gaps)
        amount = min(total, pile.max_per_day, run.reserve_left[p])
        share = amount / total if total > 0 else 0.0
        given_total = 0.0
        for s, gap in zip(stocks, gaps):
            given = gap * share
            stock[s] += given
            released[s] += given
            given_total += given
        run.reserve_left[p] -= given_total
