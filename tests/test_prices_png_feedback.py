"""``prices.png`` of ``run --out``: the who-pays panel follows the console, drawn only with price feedback on."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from unittest import mock  # noqa: E402

import pytest  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.cli import figures  # noqa: E402
from supplychain.model import Tariff  # noqa: E402


@pytest.mark.parametrize("feedback", [False, True])
def test_who_pays_is_drawn_only_when_prices_acted(feedback, tmp_path):
    scenario = toy_scenario(40).with_shocks(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25))
    shocked = simulate(scenario.replace(price_feedback=feedback))
    base = simulate(scenario.without_shocks().replace(price_feedback=feedback))
    from supplychain.plotting import prices
    real, drawn = prices.plot_who_pays, []
    with mock.patch.object(prices, "plot_who_pays", side_effect=lambda *a, **k: drawn.append(1) or real(*a, **k)):
        assert figures.save_prices(shocked, tmp_path, base) == ["prices.png"]
    assert bool(drawn) is feedback
    assert (tmp_path / "prices.png").stat().st_size > 0


def test_the_fixed_prices_note_says_what_the_console_says():
    assert "Price feedback off" in figures.FIXED_PRICES_NOTE and "--price-feedback" in figures.FIXED_PRICES_NOTE
