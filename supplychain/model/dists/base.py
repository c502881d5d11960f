"""The distribution interface and the checks its parameters share."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np
from scipy import special

from ..._validation import MAX_MAGNITUDE, check_number, fail
from .._checked import Checked

__all__ = ["Distribution", "DAY_TAIL"]

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
class Distribution(Checked):
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
