"""One function picks the buyers: the console's lines on stocks drawn and ``cover.png``'s panels name the same groups,
in one order (`supplychain.cli.cover_text.cover_groups`)."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from supplychain import CapacityShock, load_baseline, simulate  # noqa: E402
from supplychain.analytics._cover_toy import segment_stop_scenario  # noqa: E402
from supplychain.cli.cover_text import cover_groups, format_cover_notes, headline_buyer, ranked_buyers  # noqa: E402
from supplychain.cli.figures import cover_commodities  # noqa: E402


@pytest.fixture(scope="module")
def fab_stop():
    """Taiwan's fabs and packagers stopped for 25 days: the others draw stocks (at 30 days electronics buyers run
    out of Taiwan's designs too, docs/model.md §5.6.6, design-specific stocks)."""
    base = load_baseline().with_horizon(120)
    out = [CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=30, end=55)
           for s in ("fab", "fab_new", "packaging")]
    return simulate(base.with_shocks(*out), engine="vector"), simulate(base, engine="vector")


def test_ranking_is_by_stock_drawn_hand_computed():
    # segment_stop_scenario: 10 t/day of ore at $100/t stop for 7 days; automotive buyers hold 3 days, electronics 6.
    # Stock drawn: automotive all 3 days (30 t, $3,000), electronics all 6 days (60 t, $6,000): electronics first.
    scenario = segment_stop_scenario()
    shocked, base = simulate(scenario), simulate(scenario.without_shocks())
    assert ranked_buyers(shocked, base) == [("ore", "electronics"), ("ore", "automotive")]
    assert headline_buyer(shocked, base) == ("ore", "electronics")


def test_cover_png_and_the_console_single_out_the_same_buyer(fab_stop):
    shocked, base = fab_stop
    first = headline_buyer(shocked, base)
    panels = cover_commodities(shocked, base)
    assert panels[0] == first == ("logic_chip", "electronics")   # as the README's flagship text names them
    notes = format_cover_notes(shocked, base)
    assert notes.splitlines()[1].startswith("No final demand for logic_chip (electronics buyers) went short")
    # The console names the panels' groups, in the panels' order (one function, cover_groups): three of the
    # buffers that absorbed the stop (seven did), then the automotive buyers, who ran short of logic chips.
    assert [f"{c} ({s} buyers)" if s else c for c, s in panels] == _named(notes)
    assert [short for *_, short in cover_groups(shocked, base)] == [False, False, False, True]
    assert panels[3] == ("logic_chip", "automotive")


def test_cover_png_draws_the_headline_buyer_first(fab_stop, tmp_path):
    from matplotlib.figure import Figure

    from supplychain.cli.figures import save_cover
    shocked, base = fab_stop
    titles = []
    original = Figure.savefig
    try:
        Figure.savefig = lambda self, *a, **k: titles.extend(ax.get_title() for ax in self.axes if ax.get_visible())
        assert save_cover(shocked, tmp_path, base) == ["cover.png"]
    finally:
        Figure.savefig = original
    assert titles[0].startswith("logic_chip: electronics buyers' stocks")


def test_the_panels_trough_label_gives_the_consoles_days(fab_stop):
    import re

    from supplychain.plotting import plot_cover
    shocked, base = fab_stop
    line = format_cover_notes(shocked, base).splitlines()[1]
    days = re.search(r"\((\d+\.\d) of \d+ days of cover\)", line).group(1)
    ax = plot_cover(shocked, "logic_chip", held_by="buyers", baseline=base, segment="electronics")
    assert any(text.get_text().endswith(f"({days} d)") for text in ax.texts), [t.get_text() for t in ax.texts]


def _named(notes: str) -> list[str]:
    """The groups the console's lines on stocks drawn name, in their order."""
    return [line.split("No final demand for ", 1)[1].split(" went short", 1)[0] if line.startswith("No final demand")
            else line.split(" ran short", 1)[0] for line in notes.splitlines()[1:]]


def test_the_console_lines_and_the_panels_name_the_same_groups_in_one_order_hand_computed():
    # Ore stops 8 days (nothing lands for 7): the electronics buyers' 20 days absorb it, 200 t -> 130 t (65 %,
    # 13.0 days, 70 t = $7,000 drawn); the automotive buyers' 3 days (30 t) are empty on day 9, 2025-01-10.
    # The buffer that absorbed the shock comes first, then the buyers who ran short.
    scenario = segment_stop_scenario(automotive_days=3.0, electronics_days=20.0)
    shocked, base = simulate(scenario), simulate(scenario.without_shocks())
    notes = format_cover_notes(shocked, base)
    assert cover_groups(shocked, base) == [("ore", "electronics", False), ("ore", "automotive", True)]
    assert "fell to 65.0% of normal in US (13.0 of 20 days of cover)" in notes and "$7.00k drawn" in notes
    assert "ore (automotive buyers) ran short (in the shortfall table): buyers' usable stock gave out in US on " \
           "2025-01-10; $3.00k drawn" in notes
    assert _named(notes) == ["ore (electronics buyers)", "ore (automotive buyers)"]
    assert cover_commodities(shocked, base) == [("ore", "electronics"), ("ore", "automotive")]

