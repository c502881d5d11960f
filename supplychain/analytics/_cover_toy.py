"""A one-mine network with two end-use buyers whose shortfall under a stop is computed by hand
(doctests and tests of `supplychain.analytics.cover_band`)."""

from __future__ import annotations

from ..model import CapacityShock, Commodity, Demand, Facility, Fixed, Lane, Network, Region, Scenario
from ..model.policies import DaysOfCover

__all__ = ["segment_stop_scenario"]


def segment_stop_scenario(*, automotive_days: float = 3.0, electronics_days: float = 6.0,
                          stop_days: int = 8, start: int = 5, horizon_days: int = 40) -> Scenario:
    """A Chinese mine (40 t/day, one day of finished ore) serves two US buyers of 10 t/day each.

    The automotive buyer holds ``automotive_days`` of cover, the electronics buyer
    ``electronics_days``; ore costs 100 USD/t and the one-day lanes carry no freight. The mine
    stops for ``stop_days`` from day ``start`` with no restart delay or ramp, ships its one day of
    stock on day ``start`` and comes back at 40 t/day, twice the buyers' use, so the backlog clears
    within days. As in `supplychain.metrics._cover_toy.stop_scenario`, nothing lands for
    ``stop_days - 1`` days, so a buyer holding ``c`` days goes short of
    ``10 t x max(0, stop_days - 1 - c)``: with the defaults 10 x 4 = 40 t (4,000 USD) for the
    automotive buyer and 10 x 1 = 10 t (1,000 USD) for electronics.

    Examples
    --------
    >>> [d.segment for d in segment_stop_scenario().network.demands]
    ['automotive', 'electronics']
    """
    net = Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 100.0, chain="minerals"),),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", 40.0, policies={"ore": DaysOfCover(1.0)},
                             restart_days=0.0, restart_ramp_days=0.0),),
        lanes=(Lane("CN.mine", "US.ore.automotive", "ore", lead_time=Fixed(1.0)),
               Lane("CN.mine", "US.ore.electronics", "ore", lead_time=Fixed(1.0))),
        demands=(Demand("US.ore.automotive", "US", "ore", 10.0, policy=DaysOfCover(automotive_days),
                        segment="automotive"),
                 Demand("US.ore.electronics", "US", "ore", 10.0, policy=DaysOfCover(electronics_days),
                        segment="electronics")),
    )
    stop = CapacityShock(facility="CN.mine", fraction_lost=1.0, start=start, end=start + stop_days, recovery_days=0)
    return Scenario(net, horizon_days=horizon_days, shocks=(stop,), name="mine stop, two buyers")
