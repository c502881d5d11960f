"""Construction and every validation message of the model."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from supplychain import UnknownIdError, ValidationError
from supplychain.model import (
    BaseStock,
    Commodity,
    DaysOfCover,
    Demand,
    Empirical,
    Facility,
    Fixed,
    Lane,
    LogNormal,
    MinMax,
    Network,
    Normal,
    Region,
    Scenario,
    Triangular,
    Uniform,
    distribution_from_dict,
    policy_from_dict,
)

from .conftest import chain_network


def test_model_objects_are_immutable():
    net = chain_network()
    with pytest.raises(dataclasses.FrozenInstanceError):
        net.facilities[0].capacity_per_day = 1.0  # type: ignore[misc]


def test_facility_rejects_negative_capacity_naming_field_value_and_id():
    with pytest.raises(ValidationError, match=r"capacity_per_day must be >= 0; got -1.0 for Facility 'X'"):
        Facility("X", "CN", "mine", "ore", -1.0)


def test_recipe_ratio_must_be_positive():
    with pytest.raises(ValidationError, match=r"recipe\['ore'\] must be > 0; got 0"):
        Facility("X", "CN", "refinery", "metal", 1.0, recipe={"ore": 0})


def test_policy_for_a_stock_the_facility_does_not_hold_lists_close_matches():
    with pytest.raises(UnknownIdError, match=r"stock 'mettal' for Facility 'X' is not a known id. Did you mean 'metal'"):
        Facility("X", "CN", "refinery", "metal", 1.0, recipe={"ore": 1}, policies={"mettal": 5})


def test_unknown_region_lists_close_matches():
    net = chain_network()
    bad = dataclasses.replace(net.facilities[0], region="CNN")
    with pytest.raises(UnknownIdError, match=r"region 'CNN' for Facility 'CN.mine' is not a known id. Did you mean 'CN'"):
        dataclasses.replace(net, facilities=(bad,) + net.facilities[1:])


def test_lane_commodity_must_be_origin_output():
    net = chain_network()
    bad = Lane("CN.mine", "CN.refinery", "metal", lead_time=1)
    with pytest.raises(ValidationError, match=r"commodity must be the origin's output 'ore'; got 'metal'"):
        dataclasses.replace(net, lanes=(bad,) + net.lanes[1:])


def test_unknown_lane_destination_is_reported():
    net = chain_network()
    bad = Lane("CN.refinery", "US.metl", "metal", lead_time=1)
    with pytest.raises(UnknownIdError, match=r"destination 'US.metl' .* Did you mean 'US.metal'"):
        dataclasses.replace(net, lanes=net.lanes[:1] + (bad,))


def test_cycles_are_rejected():
    net = chain_network()
    loop = Facility("CN.mine", "CN", "mine", "ore", 1.0, recipe={"metal": 1.0})
    with pytest.raises(ValidationError, match="must not form a cycle"):
        dataclasses.replace(net, facilities=(loop,) + net.facilities[1:],
                            lanes=net.lanes + (Lane("CN.refinery", "CN.mine", "metal"),))


def test_duplicate_ids_are_rejected():
    net = chain_network()
    with pytest.raises(ValidationError, match="unique; got 'CN.mine' twice"):
        dataclasses.replace(net, facilities=net.facilities + net.facilities[:1])


def test_lane_lead_time_must_be_positive():
    with pytest.raises(ValidationError, match="lead_time must be a positive number of days"):
        Lane("a", "b", "c", lead_time=0)


def test_demand_unmet_mode_and_rate():
    with pytest.raises(ValidationError, match=r"unmet must be 'lost' or 'backorder'; got 'drop'"):
        Demand("d", "US", "metal", 1.0, unmet="drop")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"rate_per_day must be >= 0; got -2"):
        Demand("d", "US", "metal", -2)


def test_scenario_validates_horizon_and_seed():
    net = chain_network()
    with pytest.raises(ValidationError, match="horizon_days must be a whole number of days; got 1.5"):
        Scenario(net, horizon_days=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="seed must be a non-negative integer or None; got -1"):
        Scenario(net, seed=-1)


def test_network_lookup_suggests_close_ids():
    with pytest.raises(UnknownIdError, match="Did you mean 'CN.refinery'"):
        chain_network().facility("CN.refinary")


@pytest.mark.parametrize("dist", [
    Fixed(2.0), Uniform(1.0, 3.0), Triangular(1.0, 2.0, 6.0), Normal(5.0, 1.0), Normal(1.0, 0.5, low=0.0),
    LogNormal(10.0, 3.0), Empirical((1.0, 2.0, 7.0), (0.2, 0.5, 0.3)),
])
def test_distribution_sample_mean_matches_declared_mean(dist):
    x = dist.sample(np.random.default_rng(1), 200_000)
    assert x.shape == (200_000,)
    sd = max(float(x.std()), 1e-12)
    assert abs(x.mean() - dist.mean) < 5 * sd / math.sqrt(len(x)) + 1e-12
    assert x.min() >= dist.minimum - 1e-12
    assert distribution_from_dict(dist.to_dict()) == dist


def test_distribution_errors_name_the_parameter():
    with pytest.raises(ValidationError, match=r"high must be >= 3; got 1"):
        Uniform(3, 1)
    with pytest.raises(ValidationError, match=r"kind must be one of"):
        distribution_from_dict({"kind": "gamma"})


def test_policies_round_trip_and_validate():
    for p in (BaseStock(5.0), MinMax(2.0, 9.0), DaysOfCover(14.0)):
        assert policy_from_dict(p.to_dict()) == p
    with pytest.raises(ValidationError, match=r"order_up_to must be >= reorder_point \(5\); got 2"):
        MinMax(5, 2)


def test_unknown_id_without_a_close_match_lists_the_known_ids():
    import supplychain as sc
    from supplychain import ExportControl
    from supplychain.errors import UnknownIdError
    shock = ExportControl(exporter="XX", commodity="gallium", mode="ban")
    with pytest.raises(UnknownIdError, match=r"exporter 'XX' .* Known: CN, JP, KR, ROW, TW, US\."):
        sc.simulate(sc.load_baseline().with_horizon(5).with_shocks(shock))
