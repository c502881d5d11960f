"""Inventory policies: how a stock decides how much to order each day.

Every policy resolves, at compile time, into a reorder point ``s`` and an
order-up-to level ``S`` on the *inventory position* (on hand plus in transit,
licence waits included, minus the stock's own backorders; docs/model.md §5.6).
Each day, after production and demand, a stock whose position is at or below
``s`` orders ``S - position``. A textbook lead time of ``L`` periods is a lane
lead time of ``L + 1`` days (docs/model.md §5.6.4).

Implements docs/model.md §4.4 (levels) and §5.6 (ordering).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .._validation import MAX_QUANTITY, check_choice, check_days, check_magnitude, fail
from ._checked import Checked

__all__ = ["Policy", "BaseStock", "MinMax", "DaysOfCover", "policy_from_dict"]


@dataclass(frozen=True, slots=True)
class Policy(Checked):
    """Base class of inventory policies.

    See docs/model.md §5.6 (ordering) and §4.4 (levels).
    """

    kind: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form used in scenario files."""
        out: dict[str, Any] = {"kind": self.kind}
        out.update({name: getattr(self, name) for name in self.__dataclass_fields__})
        return out


@dataclass(frozen=True, slots=True)
class BaseStock(Policy):
    """Order-up-to (base-stock) policy: every day, order up to ``level`` (units, position).

    See docs/model.md §5.6.1 (base-stock).

    Limits: ``level`` in ``[0, 1e12]`` units.

    Examples
    --------
    >>> BaseStock(120.0).level
    120.0
    """

    level: float
    kind: ClassVar[str] = "base_stock"

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", check_magnitude(self.level, "level", "BaseStock policy", high=MAX_QUANTITY))


@dataclass(frozen=True, slots=True)
class MinMax(Policy):
    """(s, S) policy: when the position is at or below ``reorder_point``, order up to ``order_up_to``.

    See docs/model.md §5.6.2 (min-max).

    Limits: both levels in ``[0, 1e12]`` units.

    Examples
    --------
    >>> MinMax(reorder_point=50.0, order_up_to=200.0).order_up_to
    200.0
    """

    reorder_point: float
    order_up_to: float
    kind: ClassVar[str] = "min_max"

    def __post_init__(self) -> None:
        s = check_magnitude(self.reorder_point, "reorder_point", "MinMax policy", high=MAX_QUANTITY)
        big_s = check_magnitude(self.order_up_to, "order_up_to", "MinMax policy", high=MAX_QUANTITY)
        if big_s < s:
            raise fail("order_up_to", f">= reorder_point ({s:g})", big_s, "MinMax policy")
        object.__setattr__(self, "reorder_point", s)
        object.__setattr__(self, "order_up_to", big_s)


@dataclass(frozen=True, slots=True)
class DaysOfCover(Policy):
    """Hold ``days`` of baseline usage on hand, ordering every day.

    See docs/model.md §5.6.3 (days-of-cover).

    The order-up-to level adds the steady-state pipeline (baseline flow times
    lead time) to the on-hand target, so that a network started at its targets
    stays in steady state.

    Limits: ``days`` in ``[0, 3650]``.

    Examples
    --------
    >>> DaysOfCover(30).days
    30.0
    """

    days: float
    kind: ClassVar[str] = "days_of_cover"

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", check_days(self.days, "days", "DaysOfCover policy"))


_KINDS: dict[str, type[Policy]] = {c.kind: c for c in (BaseStock, MinMax, DaysOfCover)}


def policy_from_dict(data: Any, field_name: str = "policy") -> Policy:
    """Build a policy from plain data; a bare number means `DaysOfCover`.

    Examples
    --------
    >>> policy_from_dict({"kind": "base_stock", "level": 10})
    BaseStock(level=10.0)
    >>> policy_from_dict(14)
    DaysOfCover(days=14.0)
    """
    if isinstance(data, Policy):
        return data
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return DaysOfCover(float(data))
    if not isinstance(data, dict) or "kind" not in data:
        raise fail(field_name, f"a number of days or a table with kind in {sorted(_KINDS)}",
                   data, "policy")
    check_choice(data["kind"], sorted(_KINDS), f"{field_name}.kind", "policy")
    params = {k: v for k, v in data.items() if k != "kind"}
    try:
        return _KINDS[data["kind"]](**params)
    except TypeError as exc:
        raise fail(field_name, f"valid parameters for {data['kind']} ({exc})", data, "policy") from None
