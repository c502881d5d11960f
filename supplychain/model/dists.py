"""Probability distributions for random model inputs.

Distributions are immutable data with a vectorised ``sample(rng, size)``, so
that scenarios stay serialisable (no lambdas) and the vector engine can draw a
whole block of runs at once. Both engines call the same sampler.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from scipy import stats

from .._validation import check_number, fail

__all__ = [
    "Distribution", "Fixed", "Uniform", "Triangular", "Normal", "LogNormal",
    "Empirical", "distribution_from_dict",
]


@dataclass(frozen=True, slots=True)
class Distribution:
    """Base class: a distribution of non-negative or real values."""

    kind: ClassVar[str] = ""

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        """Draw ``size`` independent values with ``rng``."""
        raise NotImplementedError  # pragma: no cover - abstract

    @property
    def mean(self) -> float:
        """Expected value."""
        raise NotImplementedError  # pragma: no cover - abstract

    @property
    def is_deterministic(self) -> bool:
        """True when every draw is the same value (no randomness consumed)."""
        return False

    @property
    def minimum(self) -> float:
        """Smallest value the distribution can produce."""
        raise NotImplementedError  # pragma: no cover - abstract

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form used in scenario files: ``{"kind": ..., **params}``."""
        out: dict[str, Any] = {"kind": self.kind}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True, slots=True)
class Fixed(Distribution):
    """Always ``value``.

    Examples
    --------
    >>> import numpy as np
    >>> Fixed(3.0).sample(np.random.default_rng(0), 2)
    array([3., 3.])
    """

    value: float
    kind: ClassVar[str] = "fixed"

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", check_number(self.value, "value", "Fixed distribution"))

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return np.full(size, self.value, dtype=float)

    @property
    def mean(self) -> float:
        return self.value

    @property
    def minimum(self) -> float:
        return self.value

    @property
    def is_deterministic(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Uniform(Distribution):
    """Uniform on ``[low, high]``.

    Examples
    --------
    >>> Uniform(1.0, 3.0).mean
    2.0
    """

    low: float
    high: float
    kind: ClassVar[str] = "uniform"

    def __post_init__(self) -> None:
        low = check_number(self.low, "low", "Uniform distribution")
        high = check_number(self.high, "high", "Uniform distribution", low=low)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.uniform(self.low, self.high, size)

    @property
    def mean(self) -> float:
        return 0.5 * (self.low + self.high)

    @property
    def minimum(self) -> float:
        return self.low


@dataclass(frozen=True, slots=True)
class Triangular(Distribution):
    """Triangular on ``[low, high]`` with peak at ``mode``.

    Examples
    --------
    >>> Triangular(0.0, 3.0, 6.0).mean
    3.0
    """

    low: float
    mode: float
    high: float
    kind: ClassVar[str] = "triangular"

    def __post_init__(self) -> None:
        low = check_number(self.low, "low", "Triangular distribution")
        mode = check_number(self.mode, "mode", "Triangular distribution", low=low)
        high = check_number(self.high, "high", "Triangular distribution", low=mode)
        if high == low:
            raise fail("high", f"> low ({low:g})", high, "Triangular distribution")
        for name, value in (("low", low), ("mode", mode), ("high", high)):
            object.__setattr__(self, name, value)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, size)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3.0

    @property
    def minimum(self) -> float:
        return self.low


@dataclass(frozen=True, slots=True)
class Normal(Distribution):
    """Normal with ``mean`` and ``sd``, optionally truncated to ``[low, high]``.

    Truncation renormalises (it is not clipping), so the mean shifts when the
    bounds cut into the bulk of the distribution.

    Examples
    --------
    >>> round(Normal(1.0, 0.1, low=0.0).mean, 6)
    1.0
    """

    mu: float
    sd: float
    low: float = -math.inf
    high: float = math.inf
    kind: ClassVar[str] = "normal"

    def __post_init__(self) -> None:
        kind = "Normal distribution"
        mu = check_number(self.mu, "mu", kind)
        sd = check_number(self.sd, "sd", kind, low=0.0)
        low = check_number(self.low, "low", kind, allow_inf=True)
        high = check_number(self.high, "high", kind, allow_inf=True)
        if not low < high:
            raise fail("high", f"> low ({low:g})", high, kind)
        for name, value in (("mu", mu), ("sd", sd), ("low", low), ("high", high)):
            object.__setattr__(self, name, value)

    def _truncated(self) -> bool:
        return math.isfinite(self.low) or math.isfinite(self.high)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        if self.sd == 0.0:
            return np.full(size, min(max(self.mu, self.low), self.high), dtype=float)
        if not self._truncated():
            return rng.normal(self.mu, self.sd, size)
        a, b = (self.low - self.mu) / self.sd, (self.high - self.mu) / self.sd
        # Inverse-CDF sampling: one uniform per value, so streams stay aligned.
        u = rng.random(size)
        lo, hi = stats.norm.cdf(a), stats.norm.cdf(b)
        return np.clip(self.mu + self.sd * stats.norm.ppf(lo + u * (hi - lo)), self.low, self.high)

    @property
    def mean(self) -> float:
        if self.sd == 0.0 or not self._truncated():
            return min(max(self.mu, self.low), self.high)
        a, b = (self.low - self.mu) / self.sd, (self.high - self.mu) / self.sd
        return float(stats.truncnorm.mean(a, b, loc=self.mu, scale=self.sd))

    @property
    def minimum(self) -> float:
        return self.low if self.sd > 0 else min(max(self.mu, self.low), self.high)

    @property
    def is_deterministic(self) -> bool:
        return self.sd == 0.0


@dataclass(frozen=True, slots=True)
class LogNormal(Distribution):
    """Log-normal given by the ``mean`` and ``sd`` of the variable itself.

    Parametrising by the variable's own mean and standard deviation keeps
    scenario files readable (``mean = 20`` days, not ``mu = 2.98``).

    Examples
    --------
    >>> LogNormal(20.0, 5.0).mean
    20.0
    """

    mu: float
    sd: float
    kind: ClassVar[str] = "lognormal"

    def __post_init__(self) -> None:
        mu = check_number(self.mu, "mu", "LogNormal distribution", low=0.0, low_open=True)
        sd = check_number(self.sd, "sd", "LogNormal distribution", low=0.0)
        object.__setattr__(self, "mu", mu)
        object.__setattr__(self, "sd", sd)

    def _log_params(self) -> tuple[float, float]:
        s2 = math.log1p((self.sd / self.mu) ** 2)
        return math.log(self.mu) - 0.5 * s2, math.sqrt(s2)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        m, s = self._log_params()
        return rng.lognormal(m, s, size)

    @property
    def mean(self) -> float:
        return self.mu

    @property
    def minimum(self) -> float:
        return 0.0 if self.sd > 0 else self.mu

    @property
    def is_deterministic(self) -> bool:
        return self.sd == 0.0


@dataclass(frozen=True, slots=True)
class Empirical(Distribution):
    """Resample from observed ``values`` with optional ``weights``.

    Examples
    --------
    >>> Empirical((10.0, 20.0), (3.0, 1.0)).mean
    12.5
    """

    values: tuple[float, ...]
    weights: tuple[float, ...] = field(default=())
    kind: ClassVar[str] = "empirical"

    def __post_init__(self) -> None:
        kind = "Empirical distribution"
        values = tuple(check_number(v, "values", kind) for v in self.values)
        if not values:
            raise fail("values", "a non-empty list of numbers", self.values, kind)
        weights = tuple(check_number(w, "weights", kind, low=0.0) for w in self.weights)
        if weights and (len(weights) != len(values) or sum(weights) <= 0):
            raise fail("weights", f"{len(values)} non-negative numbers with a positive sum",
                       self.weights, kind)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "weights", weights)

    def _p(self) -> np.ndarray | None:
        if not self.weights:
            return None
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.choice(np.asarray(self.values, dtype=float), size=size, p=self._p())

    @property
    def mean(self) -> float:
        p = self._p()
        v = np.asarray(self.values, dtype=float)
        return float(v.mean() if p is None else v @ p)

    @property
    def minimum(self) -> float:
        return min(self.values)

    @property
    def is_deterministic(self) -> bool:
        return len(set(self.values)) == 1


_KINDS: dict[str, type[Distribution]] = {
    cls.kind: cls for cls in (Fixed, Uniform, Triangular, Normal, LogNormal, Empirical)
}


def distribution_from_dict(data: Any, field_name: str = "distribution") -> Distribution:
    """Build a distribution from its plain-data form (a number means :class:`Fixed`).

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
    if kind not in _KINDS:
        raise fail(f"{field_name}.kind", f"one of {sorted(_KINDS)}", kind, "distribution")
    cls = _KINDS[kind]
    for key in ("values", "weights"):
        if key in params and isinstance(params[key], list):
            params[key] = tuple(params[key])
    try:
        return cls(**params)
    except TypeError as exc:
        raise fail(field_name, f"valid parameters for a {kind} distribution ({exc})",
                   data, "distribution") from None
