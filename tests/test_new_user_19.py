"""A trade-ministry analyst's findings (3 Dec 2026): each slip is caught or said, each plot says what it assumes."""

from __future__ import annotations

import re
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import supplychain as sc  # noqa: E402
from supplychain._format import format_usd_ticks  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.analytics.compare import compare  # noqa: E402
from supplychain.errors import SimulationWarning, ValidationError  # noqa: E402
from supplychain.model import CapacityShock, ExportControl, StockpileRelease, Tariff  # noqa: E402

STOP = CapacityShock(fraction_lost=1.0, facility="KR.cells", start=2, end=9)


@pytest.fixture(scope="module")
def toy_pair():
    base = toy_scenario(20)
    return sc.simulate(base.with_shocks(STOP), seed=1), sc.simulate(base, seed=1)


def test_compare_positional_pair_with_fewer_shocks_second_warns(toy_pair):
    shocked, base = toy_pair
    right = compare(shocked, baseline=base)
    with pytest.warns(SimulationWarning, match=r"the second has fewer shocks than the first"):
        slip = compare(shocked, base)
    assert slip["change"].equals(-right["change"])                       # computed as given, every sign reversed
    other = sc.simulate(toy_scenario(20).with_shocks(STOP, CapacityShock(fraction_lost=0.5, facility="CN.mine",
                                                                         start=3, end=6)), seed=1)
    with pytest.warns(SimulationWarning, match=r"\(2 shocks, no response\) then"):
        compare(other, shocked)                                           # fewer, though not unshocked
    # Before then after, or more shocks second (a policy variant against another): kept, but said, since no
    # rule tells a meant pair from a reversed one; the keyword forms are silent.
    for first, second in ((base, shocked), (shocked, other)):
        with pytest.warns(SimulationWarning, match=r"reads before then after: .* call compare\(second, baseline=first\)"):
            compare(first, second)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        assert compare(shocked, baseline=base)["change"].equals(right["change"])
        compare(baseline=other, shocked=shocked)                          # both named: meant, silent


def test_plot_value_added_loss_takes_the_baseline_by_keyword():
    from supplychain.analytics.impact import value_added_loss_table
    from supplychain.plotting import plot_value_added_loss
    base = sc.load_baseline(horizon_days=20)
    surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0)
    shocked = sc.simulate(base.with_shocks(surge), engine="vector", seed=1)
    unshocked = sc.simulate(base, engine="vector", seed=1)
    ax = plot_value_added_loss(shocked, baseline=unshocked)
    drawn = sum(p.get_width() for p in ax.patches)
    table = value_added_loss_table(shocked, baseline=unshocked)
    assert drawn == pytest.approx(table["value_added_loss_usd"].sum())   # the table's net loss, bar by bar
    assert "against the baseline" in ax.get_xlabel()


def test_money_ticks_share_one_format():
    assert format_usd_ticks([0.0, 5e7, 1e8, 3.5e8]) == ["$0", "$50M", "$100M", "$350M"]
    assert format_usd_ticks([0.0, 2.5e8, 5e8, 7.5e8, 1e9]) == ["$0", "$0.25bn", "$0.50bn", "$0.75bn", "$1.00bn"]
    assert format_usd_ticks([-2e6, 0.0, 2e6]) == ["-$2M", "$0", "$2M"]


def test_who_pays_says_the_export_supply_assumption_and_colours_gain_and_loss():
    from supplychain.cli import format_who_pays
    from supplychain.metrics import who_pays
    from supplychain.plotting import plot_who_pays
    results = sc.simulate(toy_scenario(40).with_shocks(Tariff(importer="KR", commodity="ore", exporter="CN",
                                                              rate=0.25)), seed=1)
    text = format_who_pays(who_pays(results))
    assert "Tariff (exporter) is $0 by assumption" in text and "Amiti, Redding & Weinstein 2019" in text
    finite = format_who_pays(who_pays(results, export_supply_elasticity=2.0))
    assert "by GSIM with export supply elasticity 2" in finite
    ax = plot_who_pays(results)
    assert "importers bear the whole tariff by assumption" in ax.get_xlabel()     # a footnote, not the title
    assert ax.get_title().count("\n") == 1                                          # two lines
    assert [t.get_text()[:4] for t in ax.get_legend().get_texts()] == ["gain", "loss", "fina"]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    colours = {label: matplotlib.colors.to_hex(p.get_facecolor()) for label, p in zip(labels, ax.patches)}
    green = matplotlib.colors.to_hex("C2")
    duty = next(label for label in labels if label.startswith("tariffs collected"))
    assert colours[duty] == green                                        # customs gained the duty
    shown = [t.get_text() for t in ax.get_yticklabels()]
    money = [s.lstrip("-") for s in shown if s not in ("$0", "")]
    assert len({re.sub(r"[\d,]", "", s.split(".")[-1]) for s in money}) <= 1, shown   # one scale word
    assert len({len(s.split(".")[1]) if "." in s else 0 for s in money}) <= 1, shown   # one number of decimals


def test_plot_titles_tell_the_shocks_when_the_name_was_derived():
    base = sc.load_baseline(horizon_days=30)
    ban = [ExportControl(exporter="CN", commodity=c, start="2025-03-01", end="2025-08-28")
           for c in ("gallium", "gallium_crude")]
    assert base.with_shocks(*ban).title == "CN ban on gallium, gallium_crude from 2025-03-01, 180 days"
    assert base.with_shocks(*ban, name="gallium ban").title == "gallium ban"
    assert base.title == "baseline"


def test_dates_and_region_names_are_read_as_scenario_files_read_them():
    with pytest.raises(ValidationError, match=r"got '2025-02-30' \(February 2025 has 28 days\) for ExportControl"):
        ExportControl(exporter="CN", commodity="gallium", start="2025-02-30")
    with pytest.raises(ValidationError, match=r"\(February 2025 has 28 days\)"):
        sc.load_baseline(start_date="2025-02-29")
    base = sc.load_baseline(horizon_days=30, start_date="2025-01-01")
    s = base.with_shocks(ExportControl(exporter="China", commodity="gallium", destinations=("South Korea",)),
                         StockpileRelease(region="south korea", commodity="gallium", days_of_cover=60,
                                          release_below_cover_days=30))
    assert (s.shocks[0].exporter, s.shocks[0].destinations, s.responses[0].region) == ("CN", ("KR",), "KR")


def test_stockpile_with_both_sizes_and_a_type_key_say_what_to_write():
    with pytest.raises(ValidationError, match=r"give one, not both"):
        StockpileRelease(region="KR", commodity="gallium", days_of_cover=60, reserve=10, release_below_cover_days=30)
    from supplychain.model.shocks import shock_from_dict
    with pytest.raises(ValidationError, match=r"write kind = 'tariff', not type = 'tariff'"):
        shock_from_dict({"type": "tariff", "importer": "US", "commodity": "ore", "rate": 0.1})


def test_a_random_scenario_without_a_seed_says_so():
    licence = toy_scenario(20).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="licence",
                                                         approval_probability=0.5, start=2))
    with pytest.warns(SimulationWarning, match=r"no seed given .* recorded as results.seed"):
        first = sc.simulate(licence)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        again = sc.simulate(licence, seed=first.seed)                   # the recorded seed repeats the run
        sc.simulate(toy_scenario(20))                                   # nothing random: nothing to say
    assert np.array_equal(again.delivered, first.delivered)
