"""Count distributions for demand in whole units: Poisson and negative binomial."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from scipy import stats

from ..._validation import check_number, fail
from .base import Distribution, _param

__all__ = ["Poisson", "NegativeBinomial"]


class _Counts(Distribution):
    """Whole numbers from 0 up, without an upper bound."""

    __slots__ = ()
    counts: ClassVar[bool] = True

    @property
    def minimum(self) -> float:
        return 0.0

    @property
    def maximum(self) -> float:
        return math.inf


@dataclass(frozen=True, slots=True)
class Poisson(_Counts):
    """Poisson counts with ``mean`` (variance = mean): independent arrivals of whole units.

    As the ``noise`` of a `Demand`, draws are divided
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", _param(self.mean, "mean", "Poisson distribution", low=0.0,
                                                low_open=True))

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        return rng.poisson(self.mean, size).astype(float)

    def quantile(self, q: float) -> float:
        return float(stats.poisson.ppf(q, self.mean))


@dataclass(frozen=True, slots=True)
class NegativeBinomial(_Counts):
    """Negative-binomial counts with ``mean`` and ``dispersion`` k: variance = mean + mean² / k.

    Overdispersed demand (the gamma-Poisson mixture: a Poisson whose rate is
    gamma distributed with shape k); it tends to `Poisson` as k grows.
    In NumPy's ``(n, p)`` form, ``n = k`` and ``p = k / (k + mean)``; build
    one from that form with `from_n_p`. As demand ``noise`` it is
    divided by ``mean``, like `Poisson`.

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

    def quantile(self, q: float) -> float:
        return float(stats.nbinom.ppf(q, self.dispersion, self.p))
