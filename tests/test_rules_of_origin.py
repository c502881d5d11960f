"""Rules of origin for tariffs (docs/model.md §6.4.1).

US customs take an integrated circuit's origin from where its wafer was fabricated, not where it was
packaged, so a Section 301 tariff on Chinese chips falls on chips from Chinese wafers packaged anywhere
and not on Taiwanese wafers packaged in China. ``Tariff(origin_input=...)`` scales each lane's rate by
the taxed origin's share of its supplier's wafers (at baseline shares). Oracles are worked by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

import supplychain as sc
from supplychain.analytics.compare import lane_costs, tariff_paid
from supplychain.compile import compile_scenario
from supplychain.errors import SupplyChainError, ValidationError
from supplychain.io.scenario import dumps_scenario, loads_scenario
from supplychain.model import Commodity, Demand, Facility, Lane, Network, Region, Scenario, Tariff
from supplychain.run import simulate


def chips() -> Network:
    """Wafers from CN.fab and TW.fab; packagers in CN (30 % Chinese wafers, 70 % Taiwanese) and TW
    (20 % Chinese, 80 % Taiwanese) and MY (Taiwanese wafers only); US demand buys chips from all three.
    """
    fabs = (Facility("CN.fab", "CN", "fab", "wafer", 100.0), Facility("TW.fab", "TW", "fab", "wafer", 100.0))
    packs = tuple(Facility(f"{r}.pack", r, "pack", "chip", 100.0, recipe={"wafer": 1.0}) for r in ("CN", "TW", "MY"))
    wafer_lanes = (Lane("CN.fab", "CN.pack", "wafer", share=0.3), Lane("TW.fab", "CN.pack", "wafer", share=0.7),
                   Lane("CN.fab", "TW.pack", "wafer", share=0.2), Lane("TW.fab", "TW.pack", "wafer", share=0.8),
                   Lane("TW.fab", "MY.pack", "wafer", share=1.0))
    chip_lanes = tuple(Lane(f"{r}.pack", "US.chip", "chip", share=1.0) for r in ("CN", "TW", "MY"))
    return Network(
        regions=tuple(Region(r) for r in ("CN", "TW", "MY", "US")),
        commodities=(Commodity("wafer", "wafer", 100.0, chain="semiconductors"),
                     Commodity("chip", "chip", 200.0, chain="semiconductors")),
        facilities=fabs + packs, lanes=wafer_lanes + chip_lanes,
        demands=(Demand("US.chip", "US", "chip", 30.0),),
    )


def rates(shock: Tariff, day: int = 1) -> dict[str, float]:
    sc_ = Scenario(chips(), horizon_days=10).with_shocks(shock)
    c = compile_scenario(sc_)
    return {lid: float(c.schedules.tariff[day, i]) for i, lid in enumerate(c.lane_ids) if lid.endswith("US.chip")}


def test_the_wafer_decides_the_origin_of_a_chip():
    # 50 % on Chinese chips: CN-packaged chips are 30 % Chinese (0.5 x 0.3), TW-packaged 20 %
    # (0.5 x 0.2), MY-packaged none.
    by_wafer = rates(Tariff(importer="US", exporter="CN", commodity="chip", rate=0.5, start=0, origin_input="wafer"))
    assert by_wafer == pytest.approx({"CN.pack>US.chip": 0.15, "TW.pack>US.chip": 0.10, "MY.pack>US.chip": 0.0})
    # Without the rule the packaging region decides: all of CN's chips, nothing else.
    by_lane = rates(Tariff(importer="US", exporter="CN", commodity="chip", rate=0.5, start=0))
    assert by_lane == pytest.approx({"CN.pack>US.chip": 0.5, "TW.pack>US.chip": 0.0, "MY.pack>US.chip": 0.0})
    # A tariff on Taiwanese chips taxes China's packaging of Taiwanese wafers: 0.5 x 0.7.
    tw = rates(Tariff(importer="US", exporter="TW", commodity="chip", rate=0.5, start=0, origin_input="wafer"))
    assert tw == pytest.approx({"CN.pack>US.chip": 0.35, "TW.pack>US.chip": 0.40, "MY.pack>US.chip": 0.5})
    # Every foreign origin: everything the US imports is of foreign wafers.
    every = rates(Tariff(importer="US", commodity="chip", rate=0.1, start=0, origin_input="wafer"))
    assert every == pytest.approx({"CN.pack>US.chip": 0.1, "TW.pack>US.chip": 0.1, "MY.pack>US.chip": 0.1})


def test_tariff_paid_and_sourcing_follow_the_origin_content():
    # Tariff paid is rate x price x shipments on each lane (docs/model.md §6.4.2); with the rule
    # China's packagers pay on 30 % of their chips, so their share falls less than without it, and
    # Taiwan's packagers now pay too.
    shock = dict(importer="US", exporter="CN", commodity="chip", rate=0.5, start=2)
    with_rule = simulate(Scenario(chips(), horizon_days=200).with_shocks(Tariff(origin_input="wafer", **shock)),
                         engine="vector", seed=0)
    without = simulate(Scenario(chips(), horizon_days=200).with_shocks(Tariff(**shock)), engine="vector", seed=0)
    cn, tw = "CN.pack>US.chip", "TW.pack>US.chip"
    j = with_rule.coords.index("lane", tw)
    paid = lane_costs(with_rule)["tariff"][0, j]
    assert paid == pytest.approx(0.10 * 200.0 * with_rule.series("flow", tw)[0][2:].sum(), rel=1e-12)
    assert lane_costs(without)["tariff"][0, j] == 0.0
    assert tariff_paid(with_rule)[0] < tariff_paid(without)[0]
    assert with_rule.series("share", cn)[0][-1] > without.series("share", cn)[0][-1]


def test_rule_of_origin_errors_name_the_field():
    with pytest.raises(ValidationError, match="commodity must be one commodity when origin_input is given"):
        Tariff(importer="US", exporter="CN", commodity="*", rate=0.5, origin_input="wafer")
    with pytest.raises(SupplyChainError, match="origin_input .wafr. for Tariff is not a known id. Did you mean .wafer."):
        rates(Tariff(importer="US", exporter="CN", commodity="chip", rate=0.5, start=0, origin_input="wafr"))
    with pytest.raises(ValidationError, match="origin_input must be an input of the facilities making 'wafer'"):
        rates(Tariff(importer="US", exporter="CN", commodity="wafer", rate=0.5, start=0, origin_input="chip"))


def test_origin_input_round_trips_through_scenario_files():
    shock = Tariff(importer="US", exporter="CN", commodity="chip", rate=0.5, start=0, origin_input="wafer")
    back = loads_scenario(dumps_scenario(Scenario(chips(), horizon_days=10).with_shocks(shock)))
    assert back.shocks == (shock,)


def test_section301_chips_are_taxed_by_wafer_origin_in_the_baseline():
    # The shipped Section 301 file taxes chips by where their wafers were made: China makes no logic
    # wafers in the baseline, so no logic chip is Chinese, wherever packaged; Chinese mature-node wafers
    # packaged in Taiwan are taxed. The baseline's packagers are split by the region of the fab behind
    # their wafers, so a part packaging Chinese wafers pays the whole rate and the others none.
    scenario = sc.load_example("section301_2024").with_horizon(200)
    c = compile_scenario(scenario)
    day = 190                                                 # 2025-01-07: after the 1 Jan 2025 increase
    tau = dict(zip(c.lane_ids, c.schedules.tariff[day]))
    assert all(v == 0.0 for k, v in tau.items() if ">US.demand.logic_chip" in k)   # every end-use segment
    buyer = "US.demand.mature_chip.automotive"
    assert tau[f"TW.packaging.mature_chip.CN>{buyer}"] == tau[f"CN.packaging.mature_chip.CN>{buyer}"] == 0.5
    assert tau[f"TW.packaging.mature_chip.TW>{buyer}"] == tau[f"CN.packaging.mature_chip.TW>{buyer}"] == 0.0
