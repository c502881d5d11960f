"""The caveat under the loss given shortfall names the substitution the impact table applies, never "none"."""

from __future__ import annotations

import dataclasses

import pandas as pd

from supplychain.cli.impact_text import RATIO_CAVEAT, format_value_added, ratio_caveat
from supplychain.impact.table import load_io_table


def test_the_built_in_tables_substitution_is_named_with_its_share_and_days():
    table = load_io_table()
    assert table.substitution                                # the built-in table substitutes some inputs
    text = ratio_caveat()
    assert "no substitution" not in text and text == RATIO_CAVEAT
    for commodity, (share, days) in table.substitution.items():
        assert commodity in text
        assert f"up to {100 * share:g} %" in text and f"over {days:g} days" in text


def test_a_table_without_substitution_says_so():
    table = dataclasses.replace(load_io_table(), substitution={})
    assert ratio_caveat(table).endswith("in fixed proportions, with no substitution; output that waited for a missing "
                                       "input is made up later only from inputs delivered beyond use, at most 14 % "
                                       "of normal output a day (make-up, docs/model.md §8.3); the rest is a lost sale.")


def test_two_shares_are_listed_apart():
    table = dataclasses.replace(load_io_table(), substitution={"a": (0.1, 180.0), "b": (0.2, 90.0), "c": (0.1, 180.0)})
    assert ("replace up to 10 % of the use of a and c, reached over 180 days; up to 20 % of the use of b, reached "
            "over 90 days from the first short day or an export control upstream, if earlier") in ratio_caveat(table)


def test_the_printed_table_ends_with_the_caveat():
    frame = pd.DataFrame({"region": ["US", "US"], "sector": ["C29", "OTH"], "value_added_loss_usd": [4e9, 2e9]})
    frame.attrs.update(shortfall_usd=1e8, net_of_baseline=True)
    assert format_value_added(frame).splitlines()[-1] == ratio_caveat()
