"""An uncertain parameter: a path and the distribution (or the set of choices) its value comes from.

Values come from a uniform number ``u`` in ``[0, 1)`` through the
distribution's quantile function (or, for choices, the ``floor(u k)``-th of
``k`` equally likely values). So one mechanism serves random sampling (``u``
from a run's own stream) and space-filling designs (``u`` from a Latin
hypercube or a Sobol sequence).

Implements docs/model.md §6.13 (parameter-paths).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .._validation import fail
from ._checked import Checked
from .dists import Distribution, Uniform, distribution_from_dict
from .paths import parse_path

__all__ = ["Uncertainty", "PARAMETER_STREAM", "parameter_units", "run_values"]

#: Child index of a run's seed sequence that feeds its uncertain parameters (far above the engines' streams).
PARAMETER_STREAM = 1 << 20


@dataclass(frozen=True, slots=True)
class Uncertainty(Checked):
    """A parameter whose value is uncertain: ``path`` and either ``distribution`` or ``choices``.

    See docs/model.md §6.13 (parameter-paths).

    Parameters
    ----------
    path : str
        The parameter (`supplychain.model.paths`), e.g.
        ``"shocks.cn_gallium_ban.duration_days"``.
    distribution : Distribution, optional
        Where a numeric value comes from (a number means that fixed value).
    choices : sequence, optional
        Equally likely values (numbers, ids, true/false), instead of a
        distribution: e.g. the scope of a control, ``("gallium", "*")``.

    Examples
    --------
    >>> u = Uncertainty("shocks.quake.duration_days", Uniform(30, 90))
    >>> u.value(0.5), u.values([0.0, 0.25])
    (60.0, [30.0, 45.0])
    >>> Uncertainty("shocks.ban.commodity", choices=("gallium", "germanium")).value(0.7)
    'germanium'
    >>> Uncertainty.range("shocks.ban.leakage", 0.0, 0.3).distribution
    Uniform(low=0.0, high=0.3)
    """

    path: str
    distribution: Distribution | None = None
    choices: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        parse_path(self.path)
        if (self.distribution is None) == (self.choices is None):
            raise fail("distribution or choices", "given (exactly one of them)",
                       (self.distribution, self.choices), "Uncertainty", self.path)
        if self.distribution is not None:
            object.__setattr__(self, "distribution", distribution_from_dict(self.distribution, "distribution"))
        else:
            if isinstance(self.choices, (str, bytes, dict)) or not isinstance(self.choices, Sequence):
                raise fail("choices", "a list of values", self.choices, "Uncertainty", self.path)
            choices = tuple(self.choices)
            if not choices:
                raise fail("choices", "a non-empty list of values", self.choices, "Uncertainty", self.path)
            for c in choices:
                if not isinstance(c, (str, int, float, bool)) or isinstance(c, float) and not math.isfinite(c):
                    raise fail("choices", "numbers, names or true/false", c, "Uncertainty", self.path)
            object.__setattr__(self, "choices", choices)

    @classmethod
    def range(cls, path: str, low: float, high: float) -> Uncertainty:
        """A parameter known only to lie in ``[low, high]``: a uniform distribution."""
        return cls(path, Uniform(low, high))

    @property
    def is_categorical(self) -> bool:
        """True when the value is one of ``choices``."""
        return self.choices is not None

    def value(self, u: float) -> Any:
        """The value at uniform number ``u`` in ``[0, 1)``."""
        return self.values([u])[0]

    def values(self, u: Sequence[float] | np.ndarray) -> list[Any]:
        """The values at uniform numbers ``u`` (quantiles, or the ``floor(u k)``-th choice)."""
        arr = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.choices is not None:
            k = len(self.choices)
            return [self.choices[i] for i in np.minimum((arr * k).astype(int), k - 1)]
        dist = self.distribution
        assert dist is not None
        # An unbounded side keeps u strictly inside (0, 1), so every value is finite.
        lo = 0.0 if math.isfinite(dist.minimum) else 1e-12
        hi = 1.0 if math.isfinite(dist.maximum) else 1.0 - 1e-12
        inner = np.clip(arr, lo, hi)
        return [float(dist.quantile(float(x))) for x in inner]

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for experiment and scenario files."""
        if self.choices is not None:
            return {"path": self.path, "choices": list(self.choices)}
        assert self.distribution is not None
        return {"path": self.path, "distribution": self.distribution.to_dict()}

    @classmethod
    def from_dict(cls, data: Any) -> Uncertainty:
        """Inverse of `to_dict`."""
        if not isinstance(data, dict) or "path" not in data:
            raise fail("uncertainty", "a table with 'path' and 'distribution' or 'choices'", data, "Uncertainty")
        unknown = sorted(set(data) - {"path", "distribution", "choices"})
        if unknown:
            raise fail(unknown[0], "one of 'path', 'distribution', 'choices'", data[unknown[0]], "Uncertainty",
                       str(data["path"]))
        choices = data.get("choices")
        return cls(data["path"], data.get("distribution"), None if choices is None else tuple(choices))


def parameter_units(seqs: Sequence[np.random.SeedSequence], n_parameters: int) -> np.ndarray:
    """Uniform numbers ``(n_runs, n_parameters)`` in ``[0, 1)``, one row from each run's parameter stream.

    Run ``r`` draws from the child `PARAMETER_STREAM` of its seed sequence (the engines' streams are
    children ``0, 1, ...``), so its values depend on the seed and the run number only (docs/model.md §7.2).

    Examples
    --------
    >>> seqs = np.random.SeedSequence(5).spawn(4)
    >>> bool((parameter_units(seqs, 2)[2:] == parameter_units(seqs[2:], 2)).all())
    True
    """
    out = np.empty((len(seqs), n_parameters))
    for r, seq in enumerate(seqs):
        child = np.random.SeedSequence(seq.entropy, spawn_key=tuple(seq.spawn_key) + (PARAMETER_STREAM,),
                                       pool_size=seq.pool_size)
        out[r] = np.random.default_rng(child).random(n_parameters)
    return out


class _WithUncertainties(Protocol):
    """What `run_values` reads of a `Scenario` (typed structurally: scenario.py imports this module)."""

    @property
    def uncertainties(self) -> Sequence[Uncertainty]: ...


def run_values(scenario: _WithUncertainties, seqs: Sequence[np.random.SeedSequence]) -> list[dict[str, Any]]:
    """Each run's drawn values of ``scenario.uncertainties``, ``{path: value}``, in run order.

    These are the values as drawn; `supplychain.model.substitution.applied_values` gives them as the
    model holds them (whole days for days).
    """
    units = parameter_units(seqs, len(scenario.uncertainties))
    columns = [u.values(units[:, k]) for k, u in enumerate(scenario.uncertainties)]
    return [{u.path: columns[k][r] for k, u in enumerate(scenario.uncertainties)} for r in range(len(seqs))]
