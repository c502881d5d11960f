"""A one-supplier, one-buyer scenario whose stock cover is computed by hand (doctests and tests of
`supplychain.metrics.cover`)."""

from __future__ import annotations

from ..model import (
    CapacityShock,
    Commodity,
    Demand,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
)
from ..model.policies import DaysOfCover

__all__ = ["stop_scenario"]


def stop_scenario(*, stop_days: int = 5, start: int = 5, horizon_days: int = 40) -> Scenario:
    """A Chinese mine (20 t/day, one day of finished ore) serves 10 t/day of US demand holding 10 days of cover.

    The lane takes one day. The mine stops for ``stop_days`` from day ``start`` and ships its one day
    of stock on day ``start``; it comes back at full capacity (no recovery ramp, restart delay or
    ramp), so from then on it ships 20 t/day until the US buyer's backlog is cleared. Nothing lands
    in the US on days ``start + 2 .. start + stop_days``: its stock falls by 10 t a day to
    ``100 - 10 (stop_days - 1)`` t on day ``start + stop_days``, then rises by 10 t a day.

    Examples
    --------
    >>> stop_scenario(stop_days=3).shocks[0].end
    8
    """
    net = Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 100.0, chain="minerals"),),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", 20.0, policies={"ore": DaysOfCover(1.0)},
                             restart_days=0.0, restart_ramp_days=0.0),),
        lanes=(Lane("CN.mine", "US.ore", "ore", lead_time=Fixed(1.0)),),
        demands=(Demand("US.ore", "US", "ore", 10.0, policy=DaysOfCover(10.0)),),
    )
    stop = CapacityShock(facility="CN.mine", fraction_lost=1.0, start=start, end=start + stop_days, recovery_days=0)
    return Scenario(net, horizon_days=horizon_days, shocks=(stop,), name="mine stop")
