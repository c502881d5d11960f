"""The shocked runs and their baseline given the wrong way round: drawn as given and said, never swapped."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from supplychain import compare, simulate  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.errors import SimulationWarning  # noqa: E402
from supplychain.model import CapacityShock  # noqa: E402
from supplychain.plotting import plot_change, plot_flow_delta  # noqa: E402
from supplychain.plotting.change import change_by_group, most_changed  # noqa: E402


@pytest.fixture(scope="module")
def pair():
    base = toy_scenario(60)
    shocked = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=5, end=40))
    return simulate(shocked, seed=0), simulate(base, seed=0)


def _lines(ax):
    return {line.get_label(): np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()
            if ":" in line.get_label()}


def test_the_keyword_form_reads_the_same_everywhere_and_says_nothing(pair):
    shocked, base = pair
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        table = compare(shocked, baseline=base)
        ax = plot_change(shocked, baseline=base, ax=Figure().subplots())
        plot_flow_delta(base, shocked, "cell", ax=Figure().subplots())
    drop = table[(table.metric == "delivered") & (table.region == "US") & (table.commodity == "cell")]["change"]
    assert float(drop.iloc[0]) < 0 and _lines(ax)["US:cell"].sum() < 0    # the same sign in table and plot


@pytest.mark.parametrize("call", [
    lambda s, b: plot_change(b, s, ax=Figure().subplots()),
    lambda s, b: most_changed(b, s),
    lambda s, b: change_by_group(b, s),
])
def test_plot_change_given_before_then_after_warns_and_draws_what_it_was_given(pair, call):
    # compare(before, after) is the positional order compare keeps; plot_change's is (shocked, baseline).
    shocked, base = pair
    with pytest.warns(SimulationWarning, match=r"\(unshocked, shocked\): .* every change reversed; .*"
                                               r"\(shocked, baseline=base\)"):
        call(shocked, base)


def test_reversed_plot_change_is_the_mirror_image_not_a_silent_swap(pair):
    shocked, base = pair
    right = _lines(plot_change(shocked, baseline=base, ax=Figure().subplots()))
    with pytest.warns(SimulationWarning):
        wrong = _lines(plot_change(base, shocked, ax=Figure().subplots()))
    assert set(right) == set(wrong)
    assert all(np.allclose(right[k], -wrong[k]) for k in right)


def test_plot_flow_delta_given_shocked_then_baseline_warns(pair):
    shocked, base = pair
    with pytest.warns(SimulationWarning, match=r"plot_flow_delta takes before then after.*"
                                               r"plot_flow_delta\(base, shocked, commodity\)"):
        plot_flow_delta(shocked, base, "cell", ax=Figure().subplots())


def test_runs_of_unrelated_scenarios_are_not_second_guessed(pair):
    shocked, _ = pair
    other = simulate(toy_scenario(60).with_shocks(CapacityShock(fraction_lost=0.5, facility="KR.cells", start=5,
                                                                end=40)), seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        plot_change(other, shocked, ax=Figure().subplots())
        plot_change(shocked, other, ax=Figure().subplots())
