"""Probability distributions for random model inputs.

Distributions are immutable data with a vectorised ``sample(rng, size)``, so
that scenarios stay serialisable (no lambdas) and the vector engine can draw a
whole block of runs at once. Both engines call the same sampler.

Count distributions (:class:`Poisson`, :class:`NegativeBinomial`) draw whole
numbers for count demand.

Limits: every parameter is finite with ``|x| <= 1e6`` (the truncation bounds
of :class:`Normal` may also be infinite), so no draw can overflow; a
distribution of days (:func:`day_distribution`) must lie in ``[0, 3650]``.

Implements docs/model.md §7.1 (distributions) and §11 (limits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np
from scipy import special, stats

from .._validation import MAX_DAYS, MAX_MAGNITUDE, check_days, check_number, fail

__all__ = [
    "Distribution", "Fixed", "Uniform", "Triangular", "Normal", "LogNormal",
    "Empirical", "Poisson", "NegativeBinomial", "distribution_from_dict", "day_distribution", "DAY_TAIL",
]

#: Tail probability above which an unbounded distribution of days must stay within the day limit.
DAY_TAIL = 1e-9


def _param(value: object, name: str, kind: str, *, low: float | None = None, low_open: bool = False,
           allow_inf: bool = False) -> float:
    """A distribution parameter: finite (or infinite when allowed) and at most 1e6 in size."""
    x = check_number(value, name, kind, low=low, low_open=low_open, allow_inf=allow_inf)
    if math.isfinite(x) and abs(x) > MAX_MAGNITUDE:
        raise fail(name, f"between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}", value, kind)
    return x


def _truncated_normal_mean(a: float, b: float) -> float:
    """Mean of the standard normal truncated to ``[a, b]``: ``(phi(a) - phi(b)) / (Phi(b) - Phi(a))``.

    Computed in log space on the side of the mean where the tail
    probabilities are exact, so it stays finite far in a tail.
    """
    if a > 0:
        return -_truncated_normal_mean(-b, -a)
    la, lb = float(special.log_ndtr(a)), float(special.log_ndtr(b))
    log_z = lb + math.log1p(-math.exp(la - lb))

    def ratio(x: float) -> float:
        return 0.0 if math.isinf(x) else math.exp(-0.5 * x * x - 0.5 * math.log(2 * math.pi) - log_z)
    return ratio(a) - ratio(b)


def _truncated_normal_ppf(u: np.ndarray | float, a: float, b: float) -> np.ndarray:
    """Quantiles ``u`` of the standard normal truncated to ``[a, b]``, finite even deep in a tail.

    Works in log space, ``x = Phi^-1(log((1 - u) Phi(a) + u Phi(b)))``, on the
    side of the mean where the tail probabilities are small (and so exact), so
    that an interval like ``[40, inf)`` (probability 1e-350) still yields
    finite draws. One uniform per value keeps random streams aligned.
    """
    u = np.asarray(u, dtype=float)
    if a > 0:   # both bounds above the mean: mirror into the lower tail, where Phi is accurate
        return -_truncated_normal_ppf(1.0 - u, -b, -a)
    # 2**-60 keeps u = 0 (which rng.random can return) from mapping onto an infinite lower bound.
    u = np.clip(u, 2.0 ** -60, 1.0)
    la, lb = special.log_ndtr(a), special.log_ndtr(b)
    with np.errstate(divide="ignore"):
        y = np.logaddexp(np.log1p(-u) + la, np.log(u) + lb)
    return np.clip(special.ndtri_exp(np.minimum(y, lb)), a, b)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Base class: a distribution of non-negative or real values."""

    kind: ClassVar[str] = ""
    #: True for count distributions (whole numbers): as demand noise they are divided by their mean.
    counts: ClassVar[bool] = False

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

    @property
    def maximum(self) -> float:
        """Largest value the distribution can produce (``inf`` when unbounded)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def quantile(self, q: float) -> float:
        """The value below which a fraction ``q`` of draws fall (inverse CDF)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form used in scenario files: ``{"kind": ..., **params}``."""
        out: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
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
        return rng.lognormal(m, s, size)

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


@dataclass(frozen=True, slots=True)
class Poisson(Distribution):
    """Poisson counts with ``mean`` (variance = mean): independent arrivals of whole units.

    As the ``noise`` of a :class:`~supplychain.model.Demand`, draws are divided
    by ``mean``, so ``Demand(rate_per_day=10, noise=Poisson(10))`` demands a
    Poisson(10) number of units each day (docs/model.md §7.1).

    Limits: ``mean`` in ``(0, 1e6]``.

    Examples
    --------
    >>> import numpy as np
    >>> Poisson(4.0).mean, Poisson(4.0).quantile(0.5)
    (4.0, 4.0)
    >>> Poisson(4.0).sample(np.random.default_rng(0), 3)
    array([2., 0., 7.])
    """

    mean: float = field()  # type: ignore[assignment]  # a field, not the base class property
    kind: ClassVar[str] = "poisson"
    counts: ClassVar[bool] = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", _param(self.mean, "mean", "Poisson distribution", low=0.0,
                                                low_open=True))

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.poisson(self.mean, size).astype(float)

    @property
    def minimum(self) -> float:
        return 0.0

    @property
    def maximum(self) -> float:
        return math.inf

    def quantile(self, q: float) -> float:
        return float(stats.poisson.ppf(q, self.mean))


@dataclass(frozen=True, slots=True)
class NegativeBinomial(Distribution):
    """Negative-binomial counts with ``mean`` and ``dispersion`` k: variance = mean + mean² / k.

    Overdispersed demand (the gamma-Poisson mixture: a Poisson whose rate is
    gamma distributed with shape k); it tends to :class:`Poisson` as k grows.
    In NumPy's ``(n, p)`` form, ``n = k`` and ``p = k / (k + mean)``; build
    one from that form with :meth:`from_n_p`. As demand ``noise`` it is
    divided by ``mean``, like :class:`Poisson`.

    Limits: ``mean`` and ``dispersion`` in ``(0, 1e6]``.

    Examples
    --------
    >>> nb = NegativeBinomial(10.0, dispersion=5.0)
    >>> nb.mean, nb.variance
    (10.0, 30.0)
    >>> NegativeBinomial.from_n_p(5.0, 1 / 3)
    NegativeBinomial(mean=10.0, dispersion=5.0)
    """

    mean: float = field()  # type: ignore[assignment]  # a field, not the base class property
    dispersion: float
    kind: ClassVar[str] = "negative_binomial"
    counts: ClassVar[bool] = True

    def __post_init__(self) -> None:
        kind = "NegativeBinomial distribution"
        object.__setattr__(self, "mean", _param(self.mean, "mean", kind, low=0.0, low_open=True))
        object.__setattr__(self, "dispersion", _param(self.dispersion, "dispersion", kind, low=0.0,
                                                      low_open=True))

    @classmethod
    def from_n_p(cls, n: float, p: float) -> NegativeBinomial:
        """The distribution of failures before the ``n``-th success with success probability ``p``."""
        n = _param(n, "n", "NegativeBinomial distribution", low=0.0, low_open=True)
        p = check_number(p, "p", "NegativeBinomial distribution", low=0.0, low_open=True)
        if not p < 1.0:
            raise fail("p", "in (0, 1)", p, "NegativeBinomial distribution")
        return cls(round(n * (1.0 - p) / p, 12), n)

    @property
    def p(self) -> float:
        """NumPy's success probability, ``k / (k + mean)``."""
        return self.dispersion / (self.dispersion + self.mean)

    @property
    def variance(self) -> float:
        """``mean + mean**2 / dispersion``."""
        return self.mean + self.mean ** 2 / self.dispersion

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.negative_binomial(self.dispersion, self.p, size).astype(float)

    @property
    def minimum(self) -> float:
        return 0.0

    @property
    def maximum(self) -> float:
        return math.inf

    def quantile(self, q: float) -> float:
        return float(stats.nbinom.ppf(q, self.dispersion, self.p))


_KINDS: dict[str, type[Distribution]] = {
    cls.kind: cls for cls in (Fixed, Uniform, Triangular, Normal, LogNormal, Empirical, Poisson, NegativeBinomial)
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


def day_distribution(data: Any, field_name: str, kind: str, ident: str = "", *,
                     high: float = MAX_DAYS) -> Distribution:
    """A distribution of days (a number means :class:`Fixed`) within ``[0, high]``.

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
