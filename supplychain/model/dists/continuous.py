"""Distributions of real values: fixed, uniform, triangular, (truncated) normal, log-normal, empirical."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from scipy import special

from ..._validation import fail
from .base import Distribution, _param, _truncated_normal_mean, _truncated_normal_ppf

__all__ = ["Fixed", "Uniform", "Triangular", "Normal", "LogNormal", "Empirical"]


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
        object.__setattr__(self, "value", _param(self.value, "value", "Fixed distribution"))

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return np.full(size, self.value, dtype=float)

    @property
    def mean(self) -> float:
        return self.value

    @property
    def minimum(self) -> float:
        return self.value

    @property
    def maximum(self) -> float:
        return self.value

    def quantile(self, q: float) -> float:
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
        low = _param(self.low, "low", "Uniform distribution")
        high = _param(self.high, "high", "Uniform distribution", low=low)
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

    @property
    def maximum(self) -> float:
        return self.high

    def quantile(self, q: float) -> float:
        return self.low + q * (self.high - self.low)


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
        low = _param(self.low, "low", "Triangular distribution")
        mode = _param(self.mode, "mode", "Triangular distribution", low=low)
        high = _param(self.high, "high", "Triangular distribution", low=mode)
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

    @property
    def maximum(self) -> float:
        return self.high

    def quantile(self, q: float) -> float:
        width, left = self.high - self.low, self.mode - self.low
        if q * width <= left:
            return self.low + math.sqrt(q * width * left)
        return self.high - math.sqrt((1.0 - q) * width * (self.high - self.mode))


@dataclass(frozen=True, slots=True)
class Normal(Distribution):
    """Normal with ``mean`` and ``sd``, optionally truncated to ``[low, high]``.

    Truncation renormalises (it is not clipping), so the mean shifts when the
    bounds cut into the bulk of the distribution. Draws are finite even far
    in a tail (inverse CDF in log space).

    Examples
    --------
    >>> round(Normal(1.0, 0.1, low=0.0).mean, 6)
    1.0
    >>> import numpy as np
    >>> bool((Normal(0.0, 1.0, low=40.0).sample(np.random.default_rng(0), 1000) >= 40).all())
    True
    """

    mu: float
    sd: float
    low: float = -math.inf
    high: float = math.inf
    kind: ClassVar[str] = "normal"

    def __post_init__(self) -> None:
        kind = "Normal distribution"
        mu = _param(self.mu, "mu", kind)
        sd = _param(self.sd, "sd", kind, low=0.0)
        low = _param(self.low, "low", kind, allow_inf=True)
        high = _param(self.high, "high", kind, allow_inf=True)
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
        return np.clip(self.mu + self.sd * _truncated_normal_ppf(rng.random(size), a, b), self.low, self.high)

    @property
    def mean(self) -> float:
        if self.sd == 0.0 or not self._truncated():
            return min(max(self.mu, self.low), self.high)
        a, b = (self.low - self.mu) / self.sd, (self.high - self.mu) / self.sd
        return self.mu + self.sd * _truncated_normal_mean(a, b)

    @property
    def minimum(self) -> float:
        return self.low if self.sd > 0 else min(max(self.mu, self.low), self.high)

    @property
    def maximum(self) -> float:
        return self.high if self.sd > 0 else min(max(self.mu, self.low), self.high)

    def quantile(self, q: float) -> float:
        if self.sd == 0.0:
            return self.maximum
        a, b = (self.low - self.mu) / self.sd, (self.high - self.mu) / self.sd
        x = self.mu + self.sd * float(_truncated_normal_ppf(q, a, b))
        return min(max(x, self.low), self.high)

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
        mu = _param(self.mu, "mu", "LogNormal distribution", low=0.0, low_open=True)
        sd = _param(self.sd, "sd", "LogNormal distribution", low=0.0)
        object.__setattr__(self, "mu", mu)
        object.__setattr__(self, "sd", sd)

    def _log_params(self) -> tuple[float, float]:
        # log(1 + (sd/mu)^2) without squaring a ratio that may overflow (sd/mu up to 1e6 / 5e-324).
        if self.sd <= self.mu:
            s2 = math.log1p((self.sd / self.mu) ** 2)
        else:
            s2 = 2.0 * (math.log(self.sd) - math.log(self.mu)) + math.log1p((self.mu / self.sd) ** 2)
        return math.log(self.mu) - 0.5 * s2, math.sqrt(s2)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        m, s = self._log_params()
        # exp(m + s Z) with NumPy's vectorised exp (docs/model.md §7.1), not Generator.lognormal's scalar one.
        return np.exp(m + s * rng.standard_normal(size))

    @property
    def mean(self) -> float:
        return self.mu

    @property
    def minimum(self) -> float:
        return 0.0 if self.sd > 0 else self.mu

    @property
    def maximum(self) -> float:
        return math.inf if self.sd > 0 else self.mu

    def quantile(self, q: float) -> float:
        m, s = self._log_params()
        if s == 0.0:
            return self.mu
        return float(np.exp(m + s * special.ndtri(q)))

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
        if isinstance(self.values, (str, bytes)) or not hasattr(self.values, "__iter__"):
            raise fail("values", "a non-empty list of numbers", self.values, kind)
        values = tuple(_param(v, "values", kind) for v in self.values)
        if not values:
            raise fail("values", "a non-empty list of numbers", self.values, kind)
        if isinstance(self.weights, (str, bytes)) or not hasattr(self.weights, "__iter__"):
            raise fail("weights", "a list of non-negative numbers", self.weights, kind)
        weights = tuple(_param(w, "weights", kind, low=0.0) for w in self.weights)
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
    def maximum(self) -> float:
        return max(self.values)

    def quantile(self, q: float) -> float:
        order = np.argsort(self.values, kind="stable")
        p = self._p()
        cum = np.cumsum(np.full(len(order), 1.0 / len(order)) if p is None else p[order])
        return float(np.asarray(self.values)[order][min(int(np.searchsorted(cum, q)), len(order) - 1)])

    @property
    def is_deterministic(self) -> bool:
        return len(set(self.values)) == 1
