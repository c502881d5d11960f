"""Scenario discovery with PRIM: the box of conditions under which a policy fails.

The patient rule induction method (Friedman & Fisher, 1999, *Statistics and
Computing* 9: 123-143), as used for scenario discovery (Bryant & Lempert,
2010, *Technological Forecasting & Social Change* 77: 34-49):

* **peeling**: starting from all futures, repeatedly remove the share
  ``alpha`` of the points in the box at the low or high end of one numeric
  dimension (or one value of a categorical dimension), the candidate with
  the largest gain in density (share of cases of interest) per point
  removed; stop when the box would hold less than ``mass_min`` of all points;
* the **trajectory** records coverage (cases of interest inside / all cases
  of interest), density (cases of interest inside / points inside), mass
  (points inside / all points) and the number of restricted dimensions at
  each step; the analyst picks a box on it (by default the one with the
  highest coverage among those at least ``threshold`` dense);
* **pasting** (optional) widens the chosen box again, ``alpha`` of its
  points at a time, while that raises its density;
* each restricted dimension gets a **quasi-p-value**: the one-sided binomial
  probability of at least the box's cases of interest among its points, if
  their rate were the density of the box with that restriction lifted
  (Bryant & Lempert, 2010, §3.2). Small values mean the restriction matters.

Written here rather than taken from a package: ema-workbench is a large
framework with its own model and run machinery, and the ``prim`` package on
PyPI is unmaintained; this module is a few hundred lines of NumPy and pandas.

Implements docs/model.md §6.14 (experiments).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from ..._format import format_units
from ..._validation import check_number, fail

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["prim", "PrimResult", "PrimBox"]

#: Uncertain shock fields that are days from the scenario's start (printed as days and dates).
_DAY_FIELDS = ("start", "end", "announced")


@dataclass(frozen=True)
class PrimBox:
    """One box: its limits, statistics and quasi-p-values.

    ``limits`` has one row per restricted dimension: ``low`` and ``high``
    (numeric) or ``values`` (categorical, the values kept), and ``qp``, the
    quasi-p-value.
    """

    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float
    n_points: int
    step: int

    def describe(self, start_date: dt.date | None = None) -> str:
        """One line per restricted dimension, then the box's statistics.

        Bounds read as plain numbers (no exponent); a dimension that is a
        shock's day (``....start``, ``....end``, ``....announced``) reads as
        whole days and, given the scenario's ``start_date``, as dates.

        Examples
        --------
        >>> import datetime as dt, pandas as pd
        >>> limits = pd.DataFrame({"low": [61.13, 1.2e5], "high": [294.0, 2.5e5], "values": [None, None],
        ...                        "qp": [0.74, 0.02]}, index=["shocks.ban.start", "shocks.ban.leakage_capacity"])
        >>> print(PrimBox(limits, 1.0, 0.86, 0.44, 7, 9).describe(dt.date(2025, 1, 1)))
        box at step 9: coverage 100%, density 86%, mass 44% (7 futures)
          shocks.ban.start on days 61 to 294 (2025-03-03 to 2025-10-22)  (quasi-p 0.74)
          shocks.ban.leakage_capacity in [120,000, 250,000]  (quasi-p 0.02)
        """
        lines = []
        for dim, row in self.limits.iterrows():
            if isinstance(row["values"], tuple):
                what = "in {" + ", ".join(map(str, row["values"])) + "}"
            elif str(dim).rsplit(".", 1)[-1] in _DAY_FIELDS:
                low, high = int(round(row["low"])), int(round(row["high"]))
                what = f"on days {low} to {high}"
                if start_date is not None:
                    try:
                        what += (f" ({start_date + dt.timedelta(days=low)} to "
                                 f"{start_date + dt.timedelta(days=high)})")
                    except OverflowError:
                        pass
            else:
                what = f"in [{format_units(row['low'])}, {format_units(row['high'])}]"
            lines.append(f"  {dim} {what}  (quasi-p {row['qp']:.2g})")
        head = (f"box at step {self.step}: coverage {self.coverage:.0%}, density {self.density:.0%}, "
                f"mass {self.mass:.0%} ({self.n_points} futures)")
        return "\n".join([head, *lines]) if lines else head + " (no restriction)"


class _Box:
    """Limits per dimension: (low, high) for numeric, a frozenset of kept values for categorical."""

    def __init__(self, limits: dict[str, Any]) -> None:
        self.limits = dict(limits)

    def inside(self, x: pd.DataFrame, skip: str | None = None) -> np.ndarray:
        mask = np.ones(len(x), dtype=bool)
        for dim, lim in self.limits.items():
            if dim == skip:
                continue
            col = x[dim].to_numpy()
            if isinstance(lim, frozenset):
                mask &= np.isin(col, list(lim))
            else:
                mask &= (col >= lim[0]) & (col <= lim[1])
        return mask


def _is_categorical(col: pd.Series) -> bool:
    import pandas as pd
    return pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col)


class PrimResult:
    """The peeling trajectory and its boxes.

    Attributes
    ----------
    trajectory : pandas.DataFrame
        One row per step: ``coverage, density, mass, n_points, n_restricted``.
    chosen : int
        Step of the default box: the highest coverage among boxes with
        density at least ``threshold``, else the densest.
    """

    def __init__(self, x: pd.DataFrame, y: np.ndarray, boxes: list[_Box], initial: dict[str, Any],
                 threshold: float, alpha: float, paste: bool) -> None:
        import pandas as pd

        self._x, self._y, self._boxes, self._initial = x, y, boxes, initial
        self.alpha, self.paste, self.threshold = alpha, paste, threshold
        rows = [self._stats(b) for b in boxes]
        self.trajectory = pd.DataFrame(rows, columns=["coverage", "density", "mass", "n_points", "n_restricted"])
        self.trajectory.index.name = "step"
        dense = self.trajectory[self.trajectory["density"] >= threshold - 1e-12]
        self.chosen = int(dense["coverage"].idxmax()) if len(dense) else int(self.trajectory["density"].idxmax())

    def _restricted(self, box: _Box) -> list[str]:
        out = []
        for dim, lim in box.limits.items():
            init = self._initial[dim]
            if isinstance(lim, frozenset):
                if lim != init:
                    out.append(dim)
            elif lim[0] > init[0] or lim[1] < init[1]:
                out.append(dim)
        return out

    def _stats(self, box: _Box) -> tuple[float, float, float, int, int]:
        inside = box.inside(self._x)
        n, k = int(inside.sum()), float(self._y[inside].sum())
        total = float(self._y.sum())
        return (k / total if total else 0.0, k / n if n else 0.0, n / len(self._y), n,
                len(self._restricted(box)))

    def _paste(self, box: _Box) -> _Box:
        x, y = self._x, self._y
        current = _Box(box.limits)
        while True:
            inside = current.inside(x)
            best, best_density = None, y[inside].mean() if inside.any() else 0.0
            step = max(1, int(np.ceil(self.alpha * inside.sum())))
            for dim, lim in current.limits.items():
                if isinstance(lim, frozenset):
                    continue
                col = x[dim].to_numpy()
                others = current.inside(x, skip=dim)
                below = np.sort(col[others & (col < lim[0])])
                above = np.sort(col[others & (col > lim[1])])
                candidates = []
                if below.size:
                    candidates.append((below[-min(step, below.size)], lim[1]))
                if above.size:
                    candidates.append((lim[0], above[min(step, above.size) - 1]))
                for cand in candidates:
                    trial = _Box(current.limits | {dim: cand})
                    m = trial.inside(x)
                    density = y[m].mean()
                    if density > best_density + 1e-12:
                        best, best_density = trial, density
            if best is None:
                return current
            current = best

    def box(self, step: int | None = None, *, paste: bool | None = None) -> PrimBox:
        """The box at ``step`` (default `chosen`), pasted if asked, with quasi-p-values."""
        import pandas as pd

        step = self.chosen if step is None else int(step)
        if not 0 <= step < len(self._boxes):
            raise fail("step", f"a step in [0, {len(self._boxes) - 1}]", step, "PrimResult")
        box = self._boxes[step]
        if self.paste if paste is None else paste:
            box = self._paste(box)
        coverage, density, mass, n, _ = self._stats(box)
        inside = box.inside(self._x)
        k = int(self._y[inside].sum())
        rows = {}
        for dim in self._restricted(box):
            relaxed = box.inside(self._x, skip=dim)
            p_rel = float(self._y[relaxed].mean()) if relaxed.any() else 0.0
            qp = float(stats.binom.sf(k - 1, n, p_rel)) if n else 1.0
            lim = box.limits[dim]
            if isinstance(lim, frozenset):
                rows[dim] = {"low": np.nan, "high": np.nan, "values": tuple(sorted(lim, key=str)), "qp": qp}
            else:
                rows[dim] = {"low": lim[0], "high": lim[1], "values": None, "qp": qp}
        limits = pd.DataFrame.from_dict(rows, orient="index", columns=["low", "high", "values", "qp"])
        limits.index.name = "dimension"
        return PrimBox(limits=limits, coverage=coverage, density=density, mass=mass, n_points=n, step=step)


def prim(x: pd.DataFrame, y: np.ndarray, *, alpha: float = 0.05, mass_min: float = 0.05,
         threshold: float = 0.8, paste: bool = False) -> PrimResult:
    """Peel boxes around the cases of interest ``y`` over the uncertainties ``x``.

    Parameters
    ----------
    x : pandas.DataFrame
        One row per future, one column per uncertain parameter (numbers, or
        names and true/false for categorical ones).
    y : array of bool
        True where the future is a case of interest (the policy failed).
    alpha : float
        Share of the box's points removed in each peel (0.05 is the usual
        choice; Friedman & Fisher, 1999).
    mass_min : float
        Peeling stops before the box holds fewer than this share of all points.
    threshold : float
        Density the default box must reach (`PrimResult.chosen`).
    paste : bool
        Paste the box returned by `PrimResult.box` by default.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.random((1000, 3)), columns=["a", "b", "c"])
    >>> y = ((x.a > 0.6) & (x.b < 0.3)).to_numpy()
    >>> box = prim(x, y).box()
    >>> sorted(box.limits.index), round(float(box.limits.loc["a", "low"]), 1), round(float(box.limits.loc["b", "high"]), 1)
    (['a', 'b'], 0.6, 0.3)
    """
    import pandas as pd

    if not isinstance(x, pd.DataFrame) or x.empty:
        raise fail("x", "a non-empty DataFrame of uncertain parameters", type(x).__name__, "prim")
    y = np.asarray(y, dtype=bool)
    if y.shape != (len(x),):
        raise fail("y", f"{len(x)} true/false values (one per row of x)", y.shape, "prim")
    alpha = check_number(alpha, "alpha", "prim", low=0.0, low_open=True, high=0.5)
    mass_min = check_number(mass_min, "mass_min", "prim", low=0.0, high=1.0)
    threshold = check_number(threshold, "threshold", "prim", low=0.0, high=1.0)
    x = x.reset_index(drop=True)
    initial: dict[str, Any] = {}
    for dim in x.columns:
        col = x[dim]
        if _is_categorical(col):
            initial[dim] = frozenset(col.tolist())
        else:
            initial[dim] = (float(col.min()), float(col.max()))
    box = _Box(initial)
    boxes = [box]
    n_min = mass_min * len(x)
    while True:
        inside = box.inside(x)
        best, best_gain = None, -np.inf
        for dim in x.columns:
            col = x[dim].to_numpy()[inside]
            lim = box.limits[dim]
            trials: list[Any] = []
            if isinstance(lim, frozenset):
                trials = [lim - {v} for v in lim if len(lim) > 1]
            else:
                lo_q, hi_q = np.quantile(col.astype(float), [alpha, 1 - alpha])
                # Peel to the first value above the alpha-quantile, so at least one point goes.
                higher = col[col > lo_q]
                lower = col[col < hi_q]
                if higher.size:
                    trials.append((float(higher.min()), lim[1]))
                if lower.size:
                    trials.append((lim[0], float(lower.max())))
            for t in trials:
                trial = _Box(box.limits | {dim: t})
                m = trial.inside(x)
                if m.sum() < n_min or m.sum() == inside.sum():
                    continue
                # Gain in density per point peeled (Friedman & Fisher's criterion; "lenient1" in
                # EMA Workbench): a peel that removes half the box must buy a lot of density.
                gain = (y[m].mean() - y[inside].mean()) / (inside.sum() - m.sum())
                if gain > best_gain:
                    best, best_gain = trial, gain
        if best is None:
            break
        box = best
        boxes.append(box)
    return PrimResult(x, y, boxes, initial, threshold, alpha, paste)
