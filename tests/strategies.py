"""Hypothesis strategies: small random networks that are valid by construction."""

from __future__ import annotations

from hypothesis import strategies as st

from supplychain.model import (
    BaseStock,
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Lane,
    MinMax,
    Network,
    Normal,
    Region,
    Uniform,
)

REGIONS = ("CN", "JP", "KR", "US", "TW", "ROW")


@st.composite
def policies(draw, usage_scale: float = 10.0):
    kind = draw(st.sampled_from(["cover", "base", "minmax"]))
    if kind == "cover":
        return DaysOfCover(draw(st.floats(0.0, 40.0)))
    if kind == "base":
        return BaseStock(draw(st.floats(0.0, 50.0 * usage_scale)))
    s = draw(st.floats(0.0, 20.0 * usage_scale))
    return MinMax(s, s + draw(st.floats(0.0, 30.0 * usage_scale)))


@st.composite
def lead_times(draw):
    if draw(st.booleans()):
        return float(draw(st.integers(1, 6)))
    low = draw(st.floats(0.2, 4.0))
    return Uniform(low, low + draw(st.floats(0.1, 5.0)))


@st.composite
def networks(draw):
    """Mines -> refineries (1 or 2 inputs) -> demands, with random capacities, shares and policies."""
    n_ores = draw(st.integers(1, 2))
    ores = [f"ore{i}" for i in range(n_ores)]
    commodities = [Commodity(o, "t", 10.0) for o in ores] + [Commodity("metal", "t", 100.0)]
    facilities, lanes = [], []
    mines = []
    for i in range(draw(st.integers(1, 3))):
        ore = ores[i % n_ores]
        fid = f"M{i}"
        mines.append((fid, ore))
        facilities.append(Facility(fid, draw(st.sampled_from(REGIONS)), "mine", ore,
                                   draw(st.floats(0.0, 40.0)), policies={ore: draw(policies())}))
    refineries = []
    for j in range(draw(st.integers(1, 2))):
        fid = f"R{j}"
        recipe = {o: draw(st.floats(0.5, 3.0)) for o in ores}
        refineries.append(fid)
        pol = {c: draw(policies()) for c in list(recipe) + ["metal"] if draw(st.booleans())}
        init = {c: draw(st.floats(0.0, 200.0)) for c in list(recipe) + ["metal"] if draw(st.booleans())}
        facilities.append(Facility(fid, draw(st.sampled_from(REGIONS)), "refinery", "metal",
                                   draw(st.floats(0.0, 20.0)), recipe=recipe, policies=pol,
                                   initial_inventory=init))
        for mine, ore in mines:
            if ore in recipe:
                lanes.append(Lane(mine, fid, ore, lead_time=draw(lead_times()),
                                  share=draw(st.floats(0.1, 1.0)),
                                  capacity_per_day=draw(st.sampled_from([float("inf"), 5.0, 50.0]))))
    demands = []
    for k in range(draw(st.integers(1, 3))):
        did = f"D{k}"
        noise = Normal(1.0, draw(st.floats(0.0, 0.5)), low=0.0) if draw(st.booleans()) else None
        demands.append(Demand(did, draw(st.sampled_from(REGIONS)), "metal", draw(st.floats(0.0, 12.0)),
                              noise=noise, policy=draw(policies()),
                              unmet=draw(st.sampled_from(["lost", "backorder"]))))
        for fid in refineries:
            lanes.append(Lane(fid, did, "metal", lead_time=draw(lead_times()), share=draw(st.floats(0.1, 1.0))))
    # Ores no refinery uses would leave a mine idle; every ore above is in every recipe.
    return Network(regions=tuple(Region(r) for r in REGIONS), commodities=tuple(commodities),
                   facilities=tuple(facilities), lanes=tuple(lanes), demands=tuple(demands))
