"""What each policy response of a run did: reserve released, capacity added and used, stock targets reached.

A response that never acted changes nothing, and a comparison of runs with and without it prints
"Nothing changed": this module says *why*, in the response's own terms (docs/model.md §6.10-§6.12):

- `StockpileRelease`: units released of the reserve and the days it released on; when it released
  nothing, the lowest cover (end-of-day stock over baseline daily usage, days) that any of its stocks
  reached in its window, against its trigger ``release_below_cover_days``.
- `CapacityInvestment`: capacity added over the run (units) and the part of it used: the facility's
  output above the capacity it would have had without the investment, day by day.
- `SafetyStockChange`: the buyers' cover (pooled stock over pooled usage, days) on the window's first day
  and at its highest and lowest, against the new target ``cover_days``.

Daily results only (a ``keep="summary"`` ensemble keeps no stocks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._format import format_units
from ..compile.compiler import compile_scenario
from ..compile.schedules import labelled_shocks
from ..model import CapacityInvestment, SafetyStockChange, StockpileRelease

if TYPE_CHECKING:
    import pandas as pd

    from ..results import Results

__all__ = ["response_effects", "RESPONSE_EFFECT_COLUMNS"]

#: Columns of `response_effects`.
RESPONSE_EFFECT_COLUMNS = ("response", "kind", "region", "commodity", "unit", "available", "used",
                           "used_share", "active_days", "lowest_cover_days", "lowest_cover_date", "trigger_days",
                           "effect")


def _without(scenario: Any, response: Any) -> Any:
    """``scenario`` with one response (its first occurrence) left out."""
    kept = list(scenario.responses)
    kept.remove(response)
    return scenario.replace(responses=tuple(kept))


def _date(results: Results, day: int) -> str:
    return str(results.scenario.date_of(int(day)))


def _stockpile(results: Results, response: StockpileRelease, spec: Any, unit: str) -> dict[str, Any]:
    stocks = np.asarray(spec.stocks, dtype=int)
    first, stop = max(spec.first, 0), min(spec.stop, results.n_days)
    released = np.asarray(results.released, dtype=float)[:, :, stocks].sum(axis=2)        # (R, T)
    total = float(released.sum(axis=1).mean())
    days = int((released > 1e-9).any(axis=0).sum())
    row = dict(available=float(spec.reserve), used=total,
               used_share=total / spec.reserve if spec.reserve > 0 else np.nan, active_days=days,
               trigger_days=float(spec.cover_days), lowest_cover_days=np.nan, lowest_cover_date="")
    usage = np.asarray(spec.usage, dtype=float)
    if stop > first and (usage > 0).any():
        stock = np.asarray(results.inventory, dtype=float)[:, first:stop][:, :, stocks[usage > 0]]
        cover = stock / usage[usage > 0]                                                   # (R, t, n)
        low = cover.min(axis=(0, 2))
        day = int(low.argmin())
        row.update(lowest_cover_days=float(low[day]), lowest_cover_date=_date(results, first + day))
    amount = f"{format_units(spec.reserve)} {unit}"
    if stop <= first:
        row["effect"] = f"released nothing of {amount}: its window lies outside the run"
    elif total > 1e-9:
        on = np.flatnonzero((released > 1e-9).any(axis=0))
        row["effect"] = (f"released {format_units(total)} of {amount} ({total / spec.reserve:.0%}) on {days} "
                         f"day{'s' if days != 1 else ''}, {_date(results, on[0])} to {_date(results, on[-1])}")
    else:
        row["effect"] = (f"released nothing of {amount}: its stocks' cover fell to {row['lowest_cover_days']:.1f} "
                         f"days at lowest ({row['lowest_cover_date']}), never below its trigger of "
                         f"{spec.cover_days:g} days (release_below_cover_days)")
    return row


def _investment(results: Results, response: CapacityInvestment, unit: str, with_it: Any) -> dict[str, Any]:
    without = compile_scenario(_without(results.scenario, response))
    grown = with_it.capacity[None, :] * with_it.schedules.capacity_factor                      # (T, F)
    before = without.capacity[None, :] * without.schedules.capacity_factor
    added = np.maximum(grown - before, 0.0)
    fac = int(np.argmax(added.sum(axis=0)))
    added, before = added[:, fac], before[:, fac]
    production = np.asarray(results.production, dtype=float)[:, :, fac]                       # (R, T)
    used = float(np.minimum(np.maximum(production - before[None, :], 0.0), added[None, :]).sum(axis=1).mean())
    total = float(added.sum())
    online = np.flatnonzero(added > 0)
    row = dict(available=total, used=used, used_share=used / total if total > 0 else np.nan,
               active_days=int(len(online)), trigger_days=np.nan, lowest_cover_days=np.nan, lowest_cover_date="",
               facility=with_it.facility_ids[fac])
    where = with_it.facility_ids[fac]
    if not len(online):
        row["effect"] = f"added no capacity to {where} within the run (it comes online after the last day)"
    else:
        row["effect"] = (f"added {format_units(total)} {unit} of capacity to {where} over {len(online)} days from "
                         f"{_date(results, online[0])}; the plant used {format_units(used)} {unit} of it "
                         f"({used / total:.0%}: output above the capacity it would have had without it)")
    return row


def _safety(results: Results, response: SafetyStockChange, with_it: Any) -> dict[str, Any]:
    without = compile_scenario(_without(results.scenario, response))
    moved = np.abs(with_it.schedules.target_extra - without.schedules.target_extra) > 1e-12
    buyers = np.flatnonzero(np.asarray(moved).any(axis=0))
    row: dict[str, Any] = dict(available=np.nan, used=np.nan, used_share=np.nan, trigger_days=response.cover_days,
                               lowest_cover_days=np.nan, lowest_cover_date="")
    days = np.flatnonzero(np.asarray(moved).any(axis=1))
    row["active_days"] = int(len(days))
    if not len(buyers) or not len(days):
        row["effect"] = f"changed no buyer's target within the run (target {response.cover_days:g} days)"
        return row
    stocks = with_it.buyer_stock[buyers]
    usage = np.array([with_it.steady.usage.get((with_it.stock_node[s], with_it.stock_commodity[s]), 0.0)
                      for s in stocks])
    held = np.asarray(results.inventory, dtype=float)[:, days[0]:days[-1] + 1][:, :, stocks].sum(axis=2)
    cover = (held / usage.sum()).mean(axis=0) if usage.sum() > 0 else np.full(held.shape[1], np.nan)
    low, high = int(np.nanargmin(cover)), int(np.nanargmax(cover))
    row.update(lowest_cover_days=float(cover[low]), lowest_cover_date=_date(results, days[0] + low))
    row["effect"] = (f"moved the target of {len(buyers)} buyer{'s' if len(buyers) != 1 else ''} to "
                     f"{response.cover_days:g} days of cover from {_date(results, days[0])}: their cover was "
                     f"{cover[0]:.1f} days then, {cover[high]:.1f} at highest ({_date(results, days[0] + high)}), "
                     f"{cover[low]:.1f} at lowest ({_date(results, days[0] + low)})")
    return row


def response_effects(results: Results) -> pd.DataFrame:
    """What each policy response of ``results.scenario`` did in the run (means over runs).

    One row per response (`RESPONSE_EFFECT_COLUMNS`): ``available`` and ``used`` in the commodity's unit
    (a reserve and what it released; capacity added over the run and the output above the capacity
    without it), ``active_days`` (days it released, days its capacity was online, days its target
    held), ``lowest_cover_days`` and its date (a reserve's stocks, the lowest end-of-day cover of any
    one of them in its window, in any run; a safety stock's buyers, pooled, mean over runs), ``trigger_days``
    (``release_below_cover_days`` or the new ``cover_days``) and ``effect``, one sentence. Empty for
    a scenario without responses.

    Examples
    --------
    A reserve whose buyers never fall to its trigger releases nothing and says how close they came:

    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock, StockpileRelease
    >>> stop = CapacityShock(facility="KR.cells", fraction_lost=1.0, start=5, end=8)
    >>> pile = StockpileRelease(region="US", commodity="cell", reserve=100.0, release_below_cover_days=1.0)
    >>> t = response_effects(simulate(toy_scenario(30).with_shocks(stop, pile)))
    >>> t[["kind", "available", "used"]].values.tolist()
    [['stockpile_release', 100.0, 0.0]]
    """
    import pandas as pd

    from ..results.daily import require_daily

    scenario = results.scenario
    rows: list[dict[str, Any]] = []
    if not scenario.responses:
        return pd.DataFrame(columns=list(RESPONSE_EFFECT_COLUMNS))
    require_daily(results, "response_effects", "simulate(..., keep=\"series\") and response_effects on its results")
    units = {c.id: c.unit for c in scenario.network.commodities}
    piles = [s for _, _, s in labelled_shocks(scenario) if isinstance(s, StockpileRelease)]
    compiled = compile_scenario(scenario)     # once: each investment and safety stock compares with it
    specs = compiled.schedules.extras.get("stockpiles", [])
    spec_of = dict(zip(map(id, piles), specs)) if len(piles) == len(specs) else {}
    for response in scenario.responses:
        commodity = getattr(response, "commodity", None)
        if isinstance(response, CapacityInvestment) and commodity is None:
            fac = next(f for f in scenario.network.facilities if f.id == response.facility)
            commodity = fac.output
        unit = units.get(commodity, "units")
        if isinstance(response, StockpileRelease) and id(response) in spec_of:
            row = _stockpile(results, response, spec_of[id(response)], unit)
        elif isinstance(response, CapacityInvestment):
            row = _investment(results, response, unit, compiled)
        elif isinstance(response, SafetyStockChange):
            row = _safety(results, response, compiled)
        else:
            continue
        row.update(response=response.id or type(response).__name__, kind=response.kind, region=response.region,
                   commodity=commodity, unit=unit)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(RESPONSE_EFFECT_COLUMNS))
