"""A one-supplier, one-buyer scenario whose stock cover is computed by hand (doctests and tests of
`supplychain.metrics.cover`)."""

from __future__ import annotations

from ..model import (
    BaseStock,
    CapacityShock,
    Commodity,
    Demand,
    ExportControl,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
)
from ..model.policies import DaysOfCover

__all__ = ["stop_scenario", "locked_scenario", "chain_stop_scenario"]


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


def locked_scenario(*, horizon_days: int = 30) -> Scenario:
    """US chip buyers (10/day, 10 days of cover) source half from CN.pkg, whose designs are 80 % locked, half from JP.pkg.

    China bans the chips from day 5. The buyer's stock of CN's locked designs is ``0.5 x 0.8 = 0.4`` of its
    100 chips (docs/model.md §5.6.6, design-specific stocks): 40 chips, used at 4 a day from day 6 (JP
    ships CN's portable part at once), gone after day 15. From day 16 the buyer serves 6 of the 10 it
    wants, although it holds 60 chips, all of JP's designs (porting takes 100 days).

    Examples
    --------
    >>> locked_scenario().network.lanes[0].second_source_share
    0.2
    """
    net = Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("chip", "unit", 2.0, chain="minerals"),),
        facilities=(Facility("CN.pkg", "CN", "pkg", "chip", 40.0, policies={"chip": BaseStock(20.0)}),
                    Facility("JP.pkg", "JP", "pkg", "chip", 100.0, policies={"chip": BaseStock(200.0)})),
        lanes=(Lane("CN.pkg", "US.chip", "chip", lead_time=1.0, share=0.5, second_source_share=0.2,
                    qualification_days=100.0),
               Lane("JP.pkg", "US.chip", "chip", lead_time=1.0, share=0.5)),
        demands=(Demand("US.chip", "US", "chip", 10.0, policy=DaysOfCover(10.0)),),
    )
    ban = ExportControl(exporter="CN", commodity="chip", mode="ban", start=5)
    return Scenario(net, horizon_days=horizon_days, shocks=(ban,), name="locked designs")


def chain_stop_scenario(*, stop_days: int = 10, start: int = 5, horizon_days: int = 200) -> Scenario:
    """A fab (11 wafers/day, 10 % above the use) feeds a packager that serves a US buyer of 10 chips/day.

    The fab holds 5 days of finished wafers, the packager 5 days of wafers (its die bank) and 5 of chips,
    the buyer 10 days; wafers cost $1 and chips $2, lanes take one day, nothing restarts slowly. The fab
    stops for ``stop_days`` from day ``start``: the 10 x ``stop_days`` wafers it does not make are drawn
    from the stocks, the buyer's last (its suppliers' stocks cover it first), and after the stop the fab
    makes them back at its one spare wafer a day, so the chain's stocks are whole again only about
    10 x ``stop_days`` days after the buyer's.

    Examples
    --------
    >>> [f.id for f in chain_stop_scenario().network.facilities]
    ['CN.fab', 'CN.pkg']
    """
    net = Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("wafer", "unit", 1.0, chain="minerals"),
                     Commodity("chip", "unit", 2.0, chain="minerals")),
        facilities=(Facility("CN.fab", "CN", "fab", "wafer", 11.0, policies={"wafer": DaysOfCover(5.0)},
                             restart_days=0.0, restart_ramp_days=0.0),
                    Facility("CN.pkg", "CN", "pkg", "chip", 100.0, recipe={"wafer": 1.0},
                             policies={"chip": DaysOfCover(5.0), "wafer": DaysOfCover(5.0)},
                             restart_days=0.0, restart_ramp_days=0.0)),
        lanes=(Lane("CN.fab", "CN.pkg", "wafer", lead_time=Fixed(1.0)),
               Lane("CN.pkg", "US.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", 10.0, policy=DaysOfCover(10.0)),),
    )
    stop = CapacityShock(facility="CN.fab", fraction_lost=1.0, start=start, end=start + stop_days, recovery_days=0)
    return Scenario(net, horizon_days=horizon_days, shocks=(stop,), name="fab stop")
