"""Tiny hand-built networks used by the analytics doctests and tests.

They stand in for the built-in baseline where an example must run in
milliseconds and where hand-computed answers are needed.
"""

from __future__ import annotations

from ..model import Commodity, Demand, Facility, Fixed, Lane, Network, Region, Scenario
from ..model.policies import DaysOfCover

__all__ = ["single_source_network", "toy_network", "toy_scenario"]


def single_source_network(*, stock: float = 100.0, rate_per_day: float = 10.0,
                          capacity_per_day: float = 20.0) -> Network:
    """One mine feeding one demand over a one-day lane; the only buffer is the consumer stock.

    The mine holds no output stock, so if it stops the demand survives on
    ``stock`` plus the one day of goods in transit: ``(stock + rate) / rate`` days.

    Examples
    --------
    >>> single_source_network().demand("US.ore").initial_inventory
    100.0
    """
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 100.0, chain="minerals"),),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", capacity_per_day,
                             policies={"ore": DaysOfCover(0.0)}),),
        lanes=(Lane("CN.mine", "US.ore", "ore", lead_time=Fixed(1.0)),),
        demands=(Demand("US.ore", "US", "ore", rate_per_day, initial_inventory=stock),),
    )


def toy_network() -> Network:
    """Two mines (CN 70 %, ROW 30 %) feed a Korean cell plant that serves the US and Japan.

    Examples
    --------
    >>> [f.id for f in toy_network().facilities]
    ['CN.mine', 'ROW.mine', 'KR.cells']
    """
    return Network(
        regions=(Region("CN"), Region("ROW"), Region("KR"), Region("US"), Region("JP")),
        commodities=(Commodity("ore", "t", 100.0, chain="minerals", elasticity=2.0),
                     Commodity("cell", "GWh", 1000.0, chain="batteries")),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", 12.0, default_cover_days=5.0),
            Facility("ROW.mine", "ROW", "mine", "ore", 6.0, default_cover_days=5.0),
            Facility("KR.cells", "KR", "cell_plant", "cell", 15.0, recipe={"ore": 1.0},
                     default_cover_days=10.0),
        ),
        lanes=(
            Lane("CN.mine", "KR.cells", "ore", lead_time=Fixed(5.0), share=0.7, freight_usd_per_unit=5.0),
            Lane("ROW.mine", "KR.cells", "ore", lead_time=Fixed(10.0), share=0.3, freight_usd_per_unit=9.0),
            Lane("KR.cells", "US.cells", "cell", lead_time=Fixed(14.0), freight_usd_per_unit=20.0),
            Lane("KR.cells", "JP.cells", "cell", lead_time=Fixed(3.0), freight_usd_per_unit=8.0),
        ),
        demands=(Demand("US.cells", "US", "cell", 6.0, policy=DaysOfCover(20.0)),
                 Demand("JP.cells", "JP", "cell", 4.0, policy=DaysOfCover(20.0))),
    )


def toy_scenario(horizon_days: int = 120) -> Scenario:
    """`toy_network` as a scenario with no shock.

    Examples
    --------
    >>> toy_scenario(30).horizon_days
    30
    """
    return Scenario(toy_network(), horizon_days=horizon_days, name="toy")
