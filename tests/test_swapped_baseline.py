"""A swapped (results, baseline) pair warns in every function that takes one, through one shared check."""

from __future__ import annotations

import re
import warnings

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from supplychain import compare, simulate  # noqa: E402
from supplychain.analytics import value_added_loss_table  # noqa: E402
from supplychain.analytics.resilience import (  # noqa: E402
    excess_shortfall,
    expected_shortfall,
    normalised_resilience,
    performance,
    resilience_loss,
    time_to_recover,
    time_to_survive,
)
from supplychain.analytics.trade import peak_cost_increase, trade_diversion  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.errors import SimulationWarning, ValidationError  # noqa: E402
from supplychain.metrics import who_pays  # noqa: E402
from supplychain.metrics.run_rate import daily_loss_by_region, loss_run_rate  # noqa: E402
from supplychain.model import CapacityShock  # noqa: E402
from supplychain.plotting import plot_fan, plot_resilience_curve, plot_who_pays  # noqa: E402

CALLS = {
    "compare": lambda r, b: compare(r, baseline=b),
    "compare_both_keywords": lambda r, b: compare(baseline=b, shocked=r),
    "value_added_loss_table": lambda r, b: value_added_loss_table(r, baseline=b),
    "who_pays": lambda r, b: who_pays(r, baseline=b),
    "plot_fan": lambda r, b: plot_fan(r, b, ax=Figure().subplots()),
    "plot_resilience_curve": lambda r, b: plot_resilience_curve(r, b, ax=Figure().subplots()),
    "plot_who_pays": lambda r, b: plot_who_pays(r, baseline=b, ax=Figure().subplots()),
    "performance": lambda r, b: performance(r, baseline=b),
    "time_to_survive": lambda r, b: time_to_survive(r, baseline=b),
    "time_to_recover": lambda r, b: time_to_recover(r, baseline=b),
    "resilience_loss": lambda r, b: resilience_loss(r, baseline=b),
    "normalised_resilience": lambda r, b: normalised_resilience(r, baseline=b),
    "excess_shortfall": lambda r, b: excess_shortfall(r, baseline=b),
    "expected_shortfall": lambda r, b: expected_shortfall(r, baseline=b),
    "peak_cost_increase": lambda r, b: peak_cost_increase(r, baseline=b),
    "trade_diversion": lambda r, b: trade_diversion(r, baseline=b),
    "loss_run_rate": lambda r, b: loss_run_rate(r, b, days=10),
    "daily_loss_by_region": lambda r, b: daily_loss_by_region(r, b),
}


@pytest.fixture(scope="module")
def pair():
    base = toy_scenario(40)
    shocked = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=5, end=25))
    return simulate(shocked, seed=0), simulate(base, seed=0)


@pytest.mark.parametrize("name", list(CALLS))
def test_a_swapped_pair_warns_once_naming_the_call_and_the_right_form(pair, name):
    shocked, base = pair
    call = name.split("_both")[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        CALLS[name](base, shocked)
    swapped = [str(w.message) for w in caught if "unshocked, shocked" in str(w.message)]
    # One warning, naming the function called: not one per measure a plot calls (plot_resilience_curve
    # calls four), nor a helper's name (plot_who_pays draws who_pays's table).
    assert len(swapped) == 1, swapped
    assert re.match(rf"{call}\(unshocked, shocked\): .* every change reversed; .*{call}\(shocked, baseline=base\)",
                    swapped[0])


@pytest.mark.parametrize("name", list(CALLS))
def test_the_right_way_round_says_nothing_about_order(pair, name):
    shocked, base = pair
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        CALLS[name](shocked, base)
    assert not [w for w in caught if "unshocked, shocked" in str(w.message)]


def test_the_warning_points_at_the_users_line(pair):
    shocked, base = pair
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value_added_loss_table(base, baseline=shocked)
    assert [w.filename for w in caught if "unshocked, shocked" in str(w.message)] == [__file__]


@pytest.mark.parametrize("name", ["plot_resilience_curve", "performance", "time_to_recover", "loss_run_rate",
                                  "plot_who_pays"])
def test_the_warning_of_every_call_points_at_the_users_line(pair, name):
    shocked, base = pair
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        CALLS[name](base, shocked)
    assert [w.filename for w in caught if "unshocked, shocked" in str(w.message)] == [__file__]


def test_plot_fan_of_ensembles_warns_as_plot_fan():
    base = toy_scenario(30)
    shocked = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=5, end=25))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SimulationWarning)  # two identical runs: the fan needs an ensemble
        runs = [simulate(s, engine="vector", n_runs=2, seed=0, keep="summary") for s in (shocked, base)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plot_fan(runs[1], runs[0], ax=Figure().subplots())
    assert [str(w.message).split(":")[0] for w in caught if "unshocked, shocked" in str(w.message)] == [
        "plot_fan(unshocked, shocked)"]


def test_plot_who_pays_names_itself_in_its_other_warnings_and_errors():
    from supplychain.analytics._toy import single_source_network
    from supplychain.model import Scenario
    # The only mine stops for good: the importer's price sits at its cap for weeks (tests/test_price_bounds.py).
    ban = CapacityShock(start=5, fraction_lost=1.0, facility="CN.mine")
    saturated = simulate(Scenario(single_source_network(stock=2000.0), horizon_days=200, name="toy ban",
                                  shocks=(ban,)), engine="vector")
    with pytest.warns(SimulationWarning, match=r"^plot_who_pays: .*at the 5x cap") as caught:
        plot_who_pays(saturated, ax=Figure().subplots())
    assert not [w for w in caught if str(w.message).startswith("who_pays")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SimulationWarning)  # identical runs: an unpaired baseline is the point
        other = simulate(Scenario(single_source_network(stock=2000.0), horizon_days=200), engine="vector", n_runs=2)
    with pytest.raises(ValidationError, match=r"baseline must be the same number of runs .* for plot_who_pays"):
        plot_who_pays(saturated, baseline=other, ax=Figure().subplots())
