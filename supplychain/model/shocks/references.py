"""Check that a shock names only regions, commodities, facilities and stages of its network.

Compiling a scenario checks the same ids, but a typo found when the scenario
is built (``Scenario(...)``, ``with_shocks``, ``with_responses``, a loaded file)
points at the line that made it, not at a later ``simulate``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from ..._validation import check_known, region_id
from ...errors import UnknownIdError
from ..network import Network
from .base import Shock

__all__ = ["check_references", "with_region_ids"]

#: Which network ids each kind of shock field names.
_REGION_FIELDS = ("importer", "exporter", "region", "origin_region", "destination_region", "through",
                  "destinations", "except_destinations")
_COMMODITY_FIELDS = ("commodity", "origin_input")


def _values(value: object) -> Iterable[str]:
    if value is None or value == "*":
        return ()
    if isinstance(value, (tuple, list, frozenset, set)):
        return tuple(v for v in value if v != "*")
    return (value,)  # type: ignore[return-value]


def check_references(shock: Shock, network: Network, label: str) -> None:
    """Raise `UnknownIdError`, with close matches, for an unknown id in ``shock``.

    ``label`` says where the shock sits (``"shocks entry 2"``), as compile errors do.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import DemandShock
    >>> check_references(DemandShock(region="US", commodity="cel", factor=2.0, start=1),
    ...                  toy_scenario(10).network, "shocks entry 1")
    Traceback (most recent call last):
    ...
    supplychain.errors.UnknownIdError: shocks entry 1: commodity 'cel' for DemandShock is not a known id. Did you mean 'cell'?
    """
    kind = type(shock).__name__
    known = {
        "region": [r.id for r in network.regions],
        "commodity": {c.id: c for c in network.commodities},   # with names: "graphite" also finds "aam"
        "facility": [f.id for f in network.facilities],
        "stage": sorted({f.stage for f in network.facilities}),
        "segment": sorted({d.segment for d in network.demands if d.segment is not None}),
    }
    fields = [(name, "region") for name in _REGION_FIELDS] + [(name, "commodity") for name in _COMMODITY_FIELDS]
    fields += [("facility", "facility"), ("stage", "stage"), ("segment", "segment")]
    for name, what in fields:
        for value in _values(getattr(shock, name, None)):
            if what == "segment" and not known[what]:
                raise UnknownIdError(f"{label}: segment {value!r} for {kind} is not a known id: no demand of "
                                     f"this network has a segment (Demand.segment).")
            try:
                check_known(value, known[what], name, kind)
            except Exception as exc:
                raise type(exc)(f"{label}: {exc}") from None


def with_region_ids(shock: Shock, names: Mapping[str, str | None]) -> Shock:
    """``shock`` with each region written as a name (``"China"``, ``"south korea"``) given as its id.

    The one alias table of scenario files and Python (``Scenario``, ``with_shocks``): names are
    resolved by `supplychain._validation.region_id` (ids in any case and the regions' own names);
    what it does not know is left for `check_references` to refuse with close matches.

    Examples
    --------
    >>> from supplychain.model import ExportControl
    >>> ban = ExportControl(exporter="China", commodity="gallium", destinations=("south korea", "US"))
    >>> fixed = with_region_ids(ban, {"CN": "China", "KR": "South Korea", "US": "United States"})
    >>> fixed.exporter, fixed.destinations
    ('CN', ('KR', 'US'))
    """
    changed: dict[str, Any] = {}
    for field in _REGION_FIELDS:
        value = getattr(shock, field, None)
        if isinstance(value, str):
            ident = region_id(value, names)
            if ident is not None and ident != value:
                changed[field] = ident
        elif isinstance(value, (tuple, list, frozenset)) and value:
            ids = [v if not isinstance(v, str) or v == "*" else (region_id(v, names) or v) for v in value]
            if ids != list(value):
                changed[field] = type(value)(ids)
    return dataclasses.replace(shock, **changed) if changed else shock  # type: ignore[type-var]
