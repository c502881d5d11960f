"""The day each input column's users learn that an export control cuts into their supply (docs/model.md §8.3).

Redesign and thrifting start on the earlier of a column's first day short of deliveries and the first day an
export control (any mode: ban, licence or quota) is in force on a baseline lane upstream of the column's
demands: a lane the control covers (the lanes the compiler controls: origin in the exporter's region,
destination in a covered region other than the exporter's, the control's commodity or every one for ``"*"``)
from which a chain of baseline lanes (``share > 0``) leads to a demand of the column. Users hear of a public
control at once and start redesign then (Japan's users after China's 2010 stop, docs/model.md §8.3); a capacity
stop, a closed lane, a tariff or a price rise starts nothing before the column is short. A control in force
before day 0 starts the clock on day 0: what users redesigned before is in the baseline's demand.

The days are the scenario's as given: with uncertain parameters that move a control's start, the summary sink
(``keep="summary"``) reads each run's compiled scenario, `Results.value_added_loss` the scenario as given (as it
reads the demand given up to prices).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..model.scenario import Scenario
    from .loss import InputMap

__all__ = ["control_days"]


def control_days(scenario: Scenario, imap: InputMap) -> np.ndarray:
    """First day (K,) an export control in force is upstream of each column's demands; ``inf`` if none.

    ``imap`` maps the scenario's demands onto columns (`supplychain.impact.loss.InputMap`); a column's day is
    the earliest of its demands'. Days count from the scenario's day 0 and are never below 0.

    Examples
    --------
    >>> import supplychain as sc
    >>> from supplychain.impact.loss import InputMap
    >>> from supplychain.impact.table import load_io_table
    >>> scen = sc.load_baseline(horizon_days=60).with_shocks(
    ...     sc.ExportControl(exporter="CN", commodity="gallium", mode="ban", start=20))
    >>> imap = InputMap.build(scen.network, load_io_table())
    >>> days = dict(zip(imap.columns, control_days(scen, imap).tolist()))
    >>> days[("KR", "compound_chip", None)], days[("KR", "li_ion_cell", None)]   # gallium from China; cells: none
    (20.0, inf)
    """
    from ..model.shocks.trade import ExportControl

    net = scenario.network
    region = {f.id: f.region for f in net.facilities} | {d.id: d.region for d in net.demands}
    facilities = {f.id for f in net.facilities}
    baseline = [lane for lane in net.lanes if lane.share > 0 and lane.origin in facilities]
    out: dict[str, list[str]] = {}
    for lane in baseline:
        out.setdefault(lane.origin, []).append(lane.destination)
    day_of: dict[str, float] = {}    # earliest control day of each node downstream of a controlled lane
    for shock in scenario.shocks:
        if not isinstance(shock, ExportControl):
            continue
        first, stop = shock.span(scenario.start_date, scenario.horizon_days)
        if first >= scenario.horizon_days or stop <= 0:
            continue          # not in force within the horizon
        day = float(max(first, 0))
        stack = [lane.destination for lane in baseline
                 if region[lane.origin] == shock.exporter and region[lane.destination] != shock.exporter
                 and shock.commodity in ("*", lane.commodity)
                 and (shock.destinations is None or region[lane.destination] in shock.destinations)
                 and (shock.except_destinations is None
                      or region[lane.destination] not in shock.except_destinations)]
        seen: set[str] = set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(out.get(node, ()))
        for node in seen:
            day_of[node] = min(day_of.get(node, math.inf), day)
    per_demand = np.array([day_of.get(d.id, math.inf) for d in net.demands])
    days = np.full(len(imap.columns), math.inf)
    summing = imap.summing.tocoo()
    np.minimum.at(days, summing.row, per_demand[summing.col])
    return days
