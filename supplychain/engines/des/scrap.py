"""Recovering more new scrap when an input runs short, for one run of the DES.

A facility with a ``scrap_input`` ``c`` and a ``scrap_recovery`` ``σ > 0`` uses
``a_c φ(t)`` of ``c`` per unit it starts, ``φ(t) = 1 - σ min(1, max(0, (t - t0) / T))``
with ``t0`` the first day its cover of ``c`` (at ``a_c φ``) fell short of what it
would start on capacity and need, and ``T`` its ``scrap_days``; the recovered
``a_c (1 - φ)`` per unit started goes back into the input stock the day it starts.

Implements docs/model.md §5.4.3 (new scrap), written apart from the vector
engine's rule (`supplychain.engines.scrap`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...compile.compiler import Compiled

__all__ = ["Scrap", "SCRAP_TOLERANCE"]

#: Margin below the starts, relative to the production target, by which the scrap input's cover must fall short to
#: start the recovery (§5.4.3).
SCRAP_TOLERANCE = 1e-9


class Scrap:
    """The scrap rule of one run: per facility with one, its input, recipe use, recovery, days and first day short.

    Examples
    --------
    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> Scrap.of(compile_scenario(synthetic_scenario(6, horizon_days=10))) is None
    True
    """

    def __init__(self, rules: dict[int, tuple[int, float, float, float, float]], n_stocks: int) -> None:
        self.rules = rules                            # f -> (stock, a, recovery, days, target)
        self.first = {f: float("inf") for f in rules}  # first day short of the scrap input
        self.recovered = [0.0] * n_stocks             # returned into each stock today

    @classmethod
    def of(cls, c: Compiled) -> Scrap | None:
        """The rule of ``c``'s facilities, or ``None`` when none has one."""
        rules = {}
        for f, fac in enumerate(c.scenario.network.facilities):
            if fac.scrap_input is not None and fac.scrap_recovery > 0.0:
                k = fac.inputs.index(fac.scrap_input)
                rules[f] = (int(c.recipe_stock[f, k]), float(c.recipe_ratio[f, k]), float(fac.scrap_recovery),
                            float(fac.scrap_days), float(c.prod_target[f]))
        return cls(rules, c.n_stocks) if rules else None

    def factor(self, f: int, t: int) -> float:
        """``φ`` of facility ``f`` on day ``t`` (1 for a facility without the rule)."""
        rule = self.rules.get(f)
        if rule is None:
            return 1.0
        _, _, recovery, days, _ = rule
        return 1.0 - recovery * min(1.0, max(0.0, (t - self.first[f]) / days))

    def note_short(self, f: int, t: int, stock: list[float], phi: float, capacity: float, need: float) -> None:
        """Start facility ``f``'s clock on day ``t`` if its cover of the scrap input falls short of its starts."""
        s, a, _, _, target = self.rules[f]
        if self.first[f] == float("inf") and stock[s] / (a * phi) < min(capacity, need) - SCRAP_TOLERANCE * target:
            self.first[f] = float(t)
