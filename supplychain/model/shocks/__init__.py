"""Shocks and responses applied to a network over time.

* `.base`: `Shock` (a time window), `Response`, `to_day`;
* `.trade`: `Tariff`, `ExportControl`;
* `.disruptions`: `CapacityShock`, `LogisticsShock`, `DemandShock`;
* `.outages`: `RandomOutage`;
* `.responses`: `StockpileRelease`, `CapacityInvestment`, `SafetyStockChange`.

`SHOCK_KINDS` is the one table of the kinds a scenario file may name.

Implements docs/model.md §6 (shocks).
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING
from typing import Any

from ..._validation import close_matches, fail, unknown_field
from ...errors import ValidationError
from .base import DayOrDate, Response, Shock, date_or_day, to_day
from .disruptions import CapacityShock, DemandShock, LogisticsShock
from .outages import DAYS_PER_YEAR, RandomOutage
from .responses import CapacityInvestment, SafetyStockChange, StockpileRelease
from .trade import LICENCE_DELAY_DAYS, SWITCHING_LAG_DAYS, ExportControl, Tariff

__all__ = [
    "DAYS_PER_YEAR", "LICENCE_DELAY_DAYS", "SHOCK_KINDS", "SWITCHING_LAG_DAYS", "CapacityInvestment",
    "CapacityShock", "DayOrDate", "DemandShock", "ExportControl", "LogisticsShock", "RandomOutage", "Response",
    "SafetyStockChange", "Shock", "StockpileRelease", "Tariff", "shock_from_dict", "shock_kinds", "to_day",
]

#: Every shock class by its ``kind`` in scenario files: disruptions first, then responses.
SHOCK_KINDS: dict[str, type[Shock]] = {cls.kind: cls for cls in (
    Tariff, ExportControl, CapacityShock, LogisticsShock, DemandShock, RandomOutage,
    StockpileRelease, CapacityInvestment, SafetyStockChange)}


def shock_kinds() -> dict[str, type[Shock]]:
    """Every shock class by its ``kind`` (a copy of `SHOCK_KINDS`).

    Examples
    --------
    >>> sorted(shock_kinds())[:3]
    ['capacity_investment', 'capacity_shock', 'demand_shock']
    >>> sorted(k for k, cls in shock_kinds().items() if cls.is_response)
    ['capacity_investment', 'safety_stock_change', 'stockpile_release']
    """
    return dict(SHOCK_KINDS)


def shock_from_dict(data: Any) -> Shock:
    """Build a shock from its plain-data form ``{"kind": ..., **fields}`` (inverse of ``to_dict``).

    Dates may be `datetime.date` objects (TOML dates) or ISO strings;
    distributions use `distribution_from_dict`.

    Raises
    ------
    ValidationError
        If the kind or a field is unknown (close matches are suggested), a
        required field is missing or a value is out of range.

    Examples
    --------
    >>> shock_from_dict({"kind": "demand_shock", "region": "US", "commodity": "logic_chip",
    ...                  "factor": 1.17, "start": "2021-01-01"}).start
    datetime.date(2021, 1, 1)
    >>> t = Tariff(importer="US", exporter="CN", commodity="aam", rate=0.25, start="2026-01-01")
    >>> shock_from_dict(t.to_dict()) == t
    True
    >>> shock_from_dict({"kind": "tarif"})
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: kind must be a known shock kind (did you mean 'tariff'?); got 'tarif' for shock.
    >>> shock_from_dict({"type": "tariff", "importer": "US"})
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: shock must have a 'kind' key: write kind = 'tariff', not type = 'tariff' (did you mean 'kind' for 'type'?); keys given: type, importer.
    """
    if isinstance(data, dict) and "kind" not in data:
        # type = "tariff" for kind = "tariff" is the likely slip: name the key that holds the kind.
        meant = [k for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and v in SHOCK_KINDS]
        if meant:
            raise ValidationError(f"shock must have a 'kind' key: write kind = {data[meant[0]]!r}, not "
                                  f"{meant[0]} = {data[meant[0]]!r} (did you mean 'kind' for {meant[0]!r}?); "
                                  f"keys given: {', '.join(map(str, data))}.")
    if not isinstance(data, dict) or "kind" not in data:
        raise fail("shock", "a table with a 'kind' key", data, "scenario")
    kinds = SHOCK_KINDS
    params = dict(data)
    kind = params.pop("kind")
    if not isinstance(kind, str) or kind not in kinds:
        hits = close_matches(str(kind), kinds)
        hint = f"did you mean {', '.join(repr(h) for h in hits)}?" if hits else f"one of {sorted(kinds)}"
        raise fail("kind", f"a known shock kind ({hint})", kind, "shock")
    cls = kinds[kind]
    allowed = [f.name for f in dataclasses.fields(cls)]
    for key in params:
        if key not in allowed:
            raise unknown_field(key, allowed, cls.__name__, first=["kind"])
    for key in ("start", "end", "announced"):
        if key in params:
            params[key] = date_or_day(params[key], key, cls.__name__)
    missing = [f.name for f in dataclasses.fields(cls)
               if f.name not in params and f.default is f.default_factory is MISSING]
    if missing:
        raise ValidationError(f"{', '.join(missing)} must be given for {cls.__name__}; got only "
                              f"{sorted(params)!r}.")
    return cls(**params)
