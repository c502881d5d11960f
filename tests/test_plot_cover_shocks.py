"""cover.png: each panel shades the shocks that reach its commodity, and its panels go to buyers a shock reaches."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

import supplychain as sc  # noqa: E402
from supplychain.plotting.results import shade_shocks, shock_windows, supply_chain_of  # noqa: E402


def _flagship_like():
    # A magnet ban (days 10-100) and a chip-demand shock (days 20-40): on the calendar one merged window.
    return sc.load_baseline(horizon_days=120).with_shocks(
        sc.ExportControl(exporter="CN", commodity="ndfeb_magnet", mode="ban", start=10, end=100),
        sc.DemandShock(region="US", commodity="logic_chip", factor=1.5, start=20, end=40))


def test_a_chip_panel_is_not_shaded_for_a_magnet_ban():
    s = _flagship_like()
    assert shock_windows(s) == [(10, 100)]
    assert shock_windows(s, commodity="logic_chip") == [(20, 40)]
    assert shock_windows(s, commodity="ndfeb_magnet") == [(10, 100)]
    ax = shade_shocks(Figure().subplots(), s, commodity="logic_chip")
    assert len(ax.patches) == 1


def test_a_blockade_of_no_commodity_reaches_every_chain_and_inputs_count():
    s = sc.load_baseline(horizon_days=60).with_shocks(
        sc.LogisticsShock(through="TW", closed=True, start=5, end=25),
        sc.ExportControl(exporter="CN", commodity="gallium", mode="ban", start=30, end=50))
    assert shock_windows(s, commodity="logic_chip") == [(5, 25)]
    assert "gallium" in supply_chain_of(s.network, "compound_chip")
    assert shock_windows(s, commodity="compound_chip") == [(5, 25), (30, 50)]


def test_cover_panels_go_to_buyers_whose_chain_a_shock_reaches():
    from supplychain.cli.cover_text import drawn_buyers
    from supplychain.cli.figures import cover_commodities
    base = sc.load_baseline(horizon_days=60)
    ban = base.with_shocks(*(sc.ExportControl(exporter="CN", commodity=c, mode="ban", start=5)
                             for c in ("gallium", "germanium")))
    shocked, unshocked = sc.simulate(ban, engine="vector", seed=0), sc.simulate(base, engine="vector", seed=0)
    panels = cover_commodities(shocked, unshocked)
    chains = [supply_chain_of(base.network, c) for c, _ in panels]
    assert panels and all({"gallium", "germanium"} & chain for chain in chains)
    assert set(panels) <= drawn_buyers(shocked, unshocked)   # no "no stock drawn" panel beside drawn ones
