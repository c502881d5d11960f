"""tools/ga_flow.py: the paths that split the gallium ban's loss keep one path each (docs/model.md §8.3)."""

from __future__ import annotations

import numpy as np

import supplychain as sc
from supplychain.impact.loss import value_added_loss
from supplychain.impact.table import load_io_table
from tools.ga_flow import _paths


def test_each_path_keeps_only_its_users() -> None:
    table = load_io_table()
    paths = {name: (tab, commodities) for name, tab, commodities in _paths(table)}
    c26, c27 = table.sectors.index("C26"), table.sectors.index("C27")
    magnets, _ = paths["Ga in NdFeB magnets (C27)"]
    cigs, _ = paths["Ga in CIGS cells (C26)"]
    assert np.all(magnets.dependence["gallium"][:, c26] == 0)
    assert np.array_equal(magnets.dependence["gallium"][:, c27], table.dependence["gallium"][:, c27])
    assert np.all(cigs.dependence["gallium"][:, c27] == 0)
    assert np.array_equal(cigs.dependence["gallium"][:, c26], table.dependence["gallium"][:, c26])
    assert paths["all paths"][0] is table and paths["compound devices"][1] == ("compound_chip",)
    assert table.dependence["gallium"][:, c26].any()          # the shipped table is left as it was


def test_a_gallium_shortfall_loses_nothing_on_the_compound_path() -> None:
    net = sc.load_baseline(horizon_days=20).network
    d = np.ones((1, 20, len(net.demands)))
    y = d.copy()
    y[:, :, [i for i, x in enumerate(net.demands) if x.commodity == "gallium" and x.region == "JP"]] = 0.0
    com = np.array([x.commodity for x in net.demands])
    losses = {}
    for name, tab, commodities in _paths(load_io_table()):
        got = y.copy()
        if commodities is not None:
            got[:, :, ~np.isin(com, commodities)] = 1.0
        losses[name] = float(value_added_loss(d, got, net, table=tab).total.sum())
    assert losses["compound devices"] == 0.0
    assert losses["Ga in NdFeB magnets (C27)"] > 0.0
    assert losses["Ga in NdFeB magnets (C27)"] <= losses["all paths"] + 1e-6
