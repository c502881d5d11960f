"""Probability distributions for random model inputs.

Distributions are immutable data with a vectorised ``sample(rng, size)``, so
that scenarios stay serialisable (no lambdas) and the vector engine can draw a
whole block of runs at once. Both engines call the same sampler.

Count distributions (`Poisson`, `NegativeBinomial`) draw whole
numbers for count demand.

Limits: every parameter is finite with ``|x| <= 1e6`` (the truncation bounds
of `Normal` may also be infinite), so no draw can overflow; a
distribution of days (`day_distribution`) must lie in ``[0, 3650]``.

Implements docs/model.md §7.1 (distributions) and §11 (limits).
"""

from __future__ import annotations

import math
from typing import Any

from ..._validation import MAX_DAYS, check_choice, check_days, fail
from .base import DAY_TAIL, Distribution
from .continuous import Empirical, Fixed, LogNormal, Normal, Triangular, Uniform
from .counts import NegativeBinomial, Poisson

__all__ = [
    "Distribution", "Fixed", "Uniform", "Triangular", "Normal", "LogNormal",
    "Empirical", "Poisson", "NegativeBinomial", "distribution_from_dict", "day_distribution", "DAY_TAIL",
]

_KINDS: dict[str, type[Distribution]] = {
    cls.kind: cls for cls in (Fixed, Uniform, Triangular, Normal, LogNormal, Empirical, Poisson, NegativeBinomial)
}


def distribution_from_dict(data: Any, field_name: str = "distribution") -> Distribution:
    """Build a distribution from its plain-data form (a number means `Fixed`).

    Examples
    --------
    >>> distribution_from_dict({"kind": "uniform", "low": 1, "high": 2})
    Uniform(low=1.0, high=2.0)
    >>> distribution_from_dict(5)
    Fixed(value=5.0)
    """
    if isinstance(data, Distribution):
        return data
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return Fixed(float(data))
    if not isinstance(data, dict) or "kind" not in data:
        raise fail(field_name, "a number or a table with a 'kind' key", data, "distribution")
    params = dict(data)
    kind = params.pop("kind")
    check_choice(kind, sorted(_KINDS), f"{field_name}.kind", "distribution")
    cls = _KINDS[kind]
    for key in ("values", "weights"):
        if key in params and isinstance(params[key], list):
            params[key] = tuple(params[key])
    try:
        return cls(**params)
    except TypeError as exc:
        raise fail(field_name, f"valid parameters for a {kind} distribution ({exc})",
                   data, "distribution") from None


def day_distribution(data: Any, field_name: str, kind: str, ident: str = "", *,
                     high: float = MAX_DAYS) -> Distribution:
    """A distribution of days (a number means `Fixed`) within ``[0, high]``.

    A distribution with unbounded support (log-normal, untruncated normal)
    passes when its ``1 - DAY_TAIL`` quantile is within the limit: the
    engines deliver a draw beyond the horizon after the horizon, so a rare
    long draw costs no memory.

    Limits: ``high`` defaults to 3,650 days (10 years).

    Examples
    --------
    >>> day_distribution({"kind": "uniform", "low": 45, "high": 75}, "processing_delay", "ExportControl")
    Uniform(low=45.0, high=75.0)
    >>> day_distribution({"kind": "lognormal", "mu": 1e-300, "sd": 1e300}, "processing_delay", "ExportControl")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: sd must be between -1e+06 and 1e+06; got 1e+300 for LogNormal distribution.
    >>> day_distribution(2**70, "processing_delay", "ExportControl")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: processing_delay must be <= 3650 days (10 years); got 1180591620717411303424 for ExportControl.
    >>> day_distribution(Uniform(10.0, 5000.0), "lead_time", "Lane")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: lead_time must be a distribution of days within [0, 3650] (10 years); got Uniform(low=10.0, high=5000.0) for Lane.
    """
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        data = check_days(data, field_name, kind, ident, high=high)
    dist = distribution_from_dict(data, field_name)
    top = dist.maximum if math.isfinite(dist.maximum) else dist.quantile(1.0 - DAY_TAIL)
    if dist.minimum < 0:
        raise fail(field_name, "a distribution of non-negative days", dist, kind, ident)
    if not top <= high:
        years = f" ({high / 365:g} years)" if high == MAX_DAYS else ""
        raise fail(field_name, f"a distribution of days within [0, {high:g}]{years}", dist, kind, ident)
    return dist
