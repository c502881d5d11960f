"""A swapped (results, baseline) pair warns in every function that takes one, through one shared check."""

from __future__ import annotations

import warnings

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from supplychain import compare, simulate  # noqa: E402
from supplychain.analytics import value_added_loss_table  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.errors import SimulationWarning  # noqa: E402
from supplychain.metrics import who_pays  # noqa: E402
from supplychain.model import CapacityShock  # noqa: E402
from supplychain.plotting import plot_fan, plot_resilience_curve  # noqa: E402

CALLS = {
    "compare": lambda r, b: compare(r, baseline=b),
    "compare_both_keywords": lambda r, b: compare(baseline=b, shocked=r),
    "value_added_loss_table": lambda r, b: value_added_loss_table(r, baseline=b),
    "who_pays": lambda r, b: who_pays(r, baseline=b),
    "plot_fan": lambda r, b: plot_fan(r, b, ax=Figure().subplots()),
    "plot_resilience_curve": lambda r, b: plot_resilience_curve(r, b, ax=Figure().subplots()),
}


@pytest.fixture(scope="module")
def pair():
    base = toy_scenario(40)
    shocked = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=5, end=25))
    return simulate(shocked, seed=0), simulate(base, seed=0)


@pytest.mark.parametrize("name", list(CALLS))
def test_a_swapped_pair_warns_naming_the_call_and_the_right_form(pair, name):
    shocked, base = pair
    call = name.split("_both")[0]
    with pytest.warns(SimulationWarning, match=rf"{call}\(unshocked, shocked\): .* every change reversed; "
                                               rf".*{call}\(shocked, baseline=base\)"):
        CALLS[name](base, shocked)


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
