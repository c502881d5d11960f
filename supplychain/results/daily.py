"""A clear error when a function that reads daily series is given a summary ensemble."""

from __future__ import annotations

from typing import Any

from .series import Results

__all__ = ["require_daily"]


def require_daily(results: Any, function: str, instead: str) -> None:
    """Raise ``TypeError`` unless ``results`` holds daily series (`Results`).

    A summary ensemble (``keep="summary"``) keeps per-run totals and daily
    percentile bands, not the daily flows, prices and deliveries that
    ``function`` reads; ``instead`` says what to use on one.

    Examples
    --------
    >>> require_daily(None, "who_pays", "e.band('price_index', 'US')")
    Traceback (most recent call last):
    ...
    TypeError: who_pays needs daily results (simulate(..., keep="series")), got NoneType; use e.band('price_index', 'US') instead.
    """
    if isinstance(results, Results):
        return
    kind = type(results).__name__
    what = ("a summary ensemble (keep=\"summary\") keeps per-run totals and daily percentile bands, "
            "not daily series" if kind == "EnsembleResults" else "")
    raise TypeError(f"{function} needs daily results (simulate(..., keep=\"series\")), got {kind}; "
                    f"{what + '; ' if what else ''}use {instead} instead.")
