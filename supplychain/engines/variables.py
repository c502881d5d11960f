"""The daily variables an engine records: the one table of them.

Engines record these series; `Results`
(``series``, ``to_dataframe``, archives) and the plots label, check and
describe them from this table alone. A variable whose ``mechanism`` is set is
recorded only when the compiled scenario has that mechanism (its key in
``Compiled.schedules.extras``): stockpile releases and destroyed stock move
goods outside the five daily phases, so the material balance needs them;
work in progress exists only at facilities with a cycle time.

Implements docs/model.md §8.1 (recorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Variable", "VARIABLES", "AXES", "variable_axes"]

#: Axes a variable's items run over (labelled by `Coords`).
AXES = ("facility", "stock", "lane", "demand")


@dataclass(frozen=True)
class Variable:
    """One recorded daily series.

    Parameters
    ----------
    name : str
        Key in ``Results.arrays``.
    axis : {"facility", "stock", "lane", "demand"}
        What the last axis of the ``(runs, days, items)`` array runs over.
    kind : {"rate", "level"}
        ``"rate"``: an amount per day (sums over days are meaningful);
        ``"level"``: an amount held at the end of the day.
    description : str
        One line, in the commodity's unit.
    mechanism : str or None
        Recorded only when ``Compiled.schedules.extras`` has this key; ``None``:
        always recorded.
    """

    name: str
    axis: Literal["facility", "stock", "lane", "demand"]
    kind: Literal["rate", "level"]
    description: str
    mechanism: str | None = None


#: Every recorded daily series, in recording (and table) order.
VARIABLES: dict[str, Variable] = {v.name: v for v in (
    Variable("production", "facility", "rate", "units produced by each facility per day"),
    Variable("inventory", "stock", "level", "stock on hand at the end of each day"),
    Variable("flow", "lane", "rate", "units shipped on each lane per day"),
    Variable("arrivals", "lane", "rate", "units landed at the buyer on each lane per day"),
    Variable("in_transit", "lane", "level", "units in transit on each lane at the end of each day"),
    Variable("demand", "demand", "rate", "new final demand per day (excluding backlog)"),
    Variable("delivered", "demand", "rate", "final demand served per day (backlog included)"),
    Variable("served_on_day", "demand", "rate",
             "final demand served from stock on the day it arose (backlog served later excluded)"),
    Variable("unmet", "demand", "level", "demand outstanding at the end of each day (lost or backlogged)"),
    Variable("backlog", "lane", "level",
             "units ordered on each lane and not yet shipped (owed by the supplier) at the end of each day"),
    Variable("quoted_lead_time", "lane", "level",
             "quoted lead time of each lane at the end of each day: transport plus the supplier's "
             "backlog over its throughput (days, not units)"),
    Variable("share", "lane", "level",
             "applied sourcing share of each lane: the fraction of its buyer's order sent to it, before lane "
             "capacity (target share less what is diverted, plus what it takes for other lanes; a fraction)"),
    Variable("on_order", "stock", "level",
             "units on order for each buyer stock at the end of each day: in transit plus owed by suppliers' "
             "backlogs (0 for output stocks)"),
    Variable("released", "stock", "rate", "units released from strategic reserves into each stock per day",
             mechanism="stockpiles"),
    Variable("destroyed", "stock", "rate", "units of stock destroyed by disasters per day",
             mechanism="destroy"),
    Variable("recovered", "stock", "rate",
             "units of an input recovered from its facility's new scrap into its stock per day (docs/model.md "
             "§5.4.3)", mechanism="scrap"),
    Variable("wip", "facility", "level",
             "work in progress (started, not yet output) at the end of each day", mechanism="wip"),
    Variable("awaiting_licence", "lane", "level",
             "units ordered on each lane awaiting a licence decision (on order, not shipped) at the end of "
             "each day", mechanism="licences"),
    Variable("price", "stock", "level",
             "scarcity price of each stock's market (its commodity in its region) after the day's price update, "
             "USD per unit (stocks of one market carry the same value)"),
)}


def variable_axes() -> dict[str, str]:
    """Each variable's axis, ``{name: axis}``, in table order.

    Examples
    --------
    >>> variable_axes()["released"]
    'stock'
    """
    return {name: v.axis for name, v in VARIABLES.items()}
