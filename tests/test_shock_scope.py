"""What a shock's ``stage`` and ``facility`` reach (docs/model.md §6.6): a stage selects its family (``fab``
also stops ``fab_new``, the capacity added in the year), each loss applied once; a facility id selects that
facility alone and warns when its twin of the family keeps running."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from supplychain.compile import compile_scenario
from supplychain.errors import SimulationWarning
from supplychain.model import (
    CapacityShock,
    Commodity,
    Demand,
    Facility,
    Lane,
    Network,
    RandomOutage,
    Region,
    Scenario,
)

FAB, NEW, PACK, CN_FAB = 0, 1, 2, 3


def network() -> Network:
    """KR: an installed fab, its new capacity (stage fab_new) and a packager; CN: a fab. One wafer demand."""
    return Network(
        regions=(Region("KR"), Region("CN")),
        commodities=(Commodity("wafer", "wafer", 1000.0), Commodity("chip", "wafer-eq", 2000.0)),
        facilities=(Facility("KR.fab", "KR", "fab", "wafer", 100.0),
                    Facility("KR.fab_new", "KR", "fab_new", "wafer", 10.0),
                    Facility("KR.pack", "KR", "packaging", "chip", 200.0, recipe={"wafer": 1.0}),
                    Facility("CN.fab", "CN", "fab", "wafer", 50.0)),
        lanes=(Lane("KR.fab", "KR.pack", "wafer", share=0.8), Lane("KR.fab_new", "KR.pack", "wafer", share=0.1),
               Lane("CN.fab", "KR.pack", "wafer", share=0.1), Lane("KR.pack", "KR.use", "chip", share=1.0)),
        demands=(Demand("KR.use", "KR", "chip", 50.0),),
    )


def factor(*shocks) -> np.ndarray:
    """Capacity factor of each facility on day 5 (every shock below runs days 2-10)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SimulationWarning)
        c = compile_scenario(Scenario(network(), shocks, horizon_days=20))
    return np.asarray(c.schedules.capacity_factor)[5]


def stop(**where) -> CapacityShock:
    return CapacityShock(fraction_lost=where.pop("lost", 1.0), start=2, end=10, recovery_days=0, **where)


def test_a_stage_stops_its_family_and_only_in_its_region():
    np.testing.assert_allclose(factor(stop(region="KR", stage="fab")), [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_allclose(factor(stop(stage="fab", lost=0.5)), [0.5, 0.5, 1.0, 0.5])
    np.testing.assert_allclose(factor(stop(region="KR", stage="fab_new")), [1.0, 0.0, 1.0, 1.0])   # only itself


def test_a_family_stage_named_by_another_shock_takes_that_shocks_loss_only_once():
    # fab 60 % and fab_new 50 %: the new capacity keeps 0.5, not 0.4 x 0.5 = 0.2.
    both = factor(stop(region="KR", stage="fab", lost=0.6), stop(region="KR", stage="fab_new", lost=0.5))
    np.testing.assert_allclose(both, [0.4, 0.5, 1.0, 1.0])
    # The same with the fab_new shock everywhere (region None covers KR too).
    np.testing.assert_allclose(factor(stop(region="KR", stage="fab", lost=0.6), stop(stage="fab_new", lost=0.5)),
                               [0.4, 0.5, 1.0, 1.0])


def test_a_facility_id_stops_that_facility_alone_and_names_its_twin():
    with pytest.warns(SimulationWarning, match=r"facility='KR.fab'\) leaves 'KR.fab_new' running.*family=True"):
        compile_scenario(Scenario(network(), (stop(facility="KR.fab"),), horizon_days=20))
    np.testing.assert_allclose(factor(stop(facility="KR.fab")), [0.0, 1.0, 1.0, 1.0])
    for cover in (stop(facility="KR.fab_new"), stop(region="KR", stage="fab_new"), stop(region="KR")):
        with warnings.catch_warnings():
            warnings.simplefilter("error", SimulationWarning)   # the twin is reached: nothing to say
            compile_scenario(Scenario(network(), (stop(facility="KR.fab"), cover), horizon_days=20))
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        compile_scenario(Scenario(network(), (stop(facility="CN.fab"),), horizon_days=20))   # no twin in CN


def test_family_true_adds_a_facilitys_twins_and_false_keeps_a_stage_or_facility_exact():
    np.testing.assert_allclose(factor(stop(facility="KR.fab", family=True)), [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_allclose(factor(stop(region="KR", stage="fab", family=False)), [0.0, 1.0, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)   # said explicitly: no warning either way
        for shock in (stop(facility="KR.fab", family=True), stop(facility="KR.fab", family=False)):
            compile_scenario(Scenario(network(), (shock,), horizon_days=20))
    assert stop(facility="KR.fab", family=False).to_dict()["family"] is False
    assert "family" not in stop(facility="KR.fab").to_dict()
    with pytest.raises(Exception, match="family"):
        stop(facility="KR.fab", family="yes")


def test_a_random_outage_stage_selects_the_same_family():
    def targets(*shocks):
        c = compile_scenario(Scenario(network(), shocks, horizon_days=20))
        return [sorted(s.facilities.tolist()) for s in c.schedules.extras["outages"]]

    out = dict(rate_per_year=1.0, duration=5.0)
    assert targets(RandomOutage(region="KR", stage="fab", **out)) == [[FAB, NEW]]
    assert targets(RandomOutage(stage="fab", **out), RandomOutage(stage="fab_new", **out)) == [[FAB, CN_FAB], [NEW]]
    assert targets(RandomOutage(stage="fab", family=False, **out)) == [[FAB, CN_FAB]]
    assert targets(RandomOutage(facility="KR.fab", family=True, **out)) == [[FAB, NEW]]


def test_a_tariff_table_says_the_baseline_has_no_standing_tariffs():
    from supplychain.analytics.compare import NO_STANDING_TARIFFS, compare, format_changes
    from supplychain.model import Tariff
    from supplychain.run import simulate

    base = Scenario(network(), horizon_days=20)
    duty = base.with_shocks(Tariff(importer="KR", exporter="CN", commodity="wafer", rate=0.25, start=0))
    b, a = simulate(base, engine="vector", seed=1), simulate(duty, engine="vector", seed=1)
    table = compare(a, baseline=b)
    paid = table[table["metric"] == "tariff_paid_usd"]
    assert paid["baseline"].sum() == 0.0 and paid["shocked"].sum() > 0.0
    text = format_changes(table)
    assert NO_STANDING_TARIFFS in text and text.index("Tariff paid") < text.index(NO_STANDING_TARIFFS)
    # Between two runs that both pay duty the line would be false: it is not printed.
    more = duty.with_shocks(Tariff(importer="KR", exporter="CN", commodity="wafer", rate=0.25, start=10))
    assert NO_STANDING_TARIFFS not in format_changes(compare(simulate(more, engine="vector", seed=1), baseline=a))


def test_a_misspelt_id_in_another_shock_is_named_by_its_own_check():
    from supplychain.errors import UnknownIdError
    with pytest.raises(UnknownIdError, match="KR.fabb"):
        compile_scenario(Scenario(network(), (stop(facility="KR.fab"), stop(facility="KR.fabb", family=True)),
                                  horizon_days=20))
