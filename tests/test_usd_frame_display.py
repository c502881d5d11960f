"""Public money tables print in the money format ($12.3bn) and keep their values in USD to compute with."""

from __future__ import annotations

import io
import pickle

import pandas as pd

from supplychain._format import UsdFrame, format_usd


def test_money_columns_print_formatted_and_keep_their_values():
    table = UsdFrame({"region": ["US", "JP"], "loss_usd": [1.2345678e10, -6.28e4],
                      "rate_usd_per_year": [2.5e12, 0.0], "share": [0.25, 0.5]})
    text = repr(table)
    assert "1.234568e+10" not in text and "e+" not in text
    for value in (1.2345678e10, -6.28e4, 2.5e12, 0.0):
        assert format_usd(value) in text          # $12.3bn, -$62.8k, $2,500bn, $0
    assert "0.25" in text                          # not money: as pandas shows it
    assert "$12.3bn" in table._repr_html_()
    # The numbers are untouched: sums, CSV and a plain copy give the floats.
    assert table["loss_usd"].sum() == 1.2345678e10 - 6.28e4
    csv = pd.read_csv(io.StringIO(table.to_csv(index=False)))
    assert csv["loss_usd"].tolist() == [1.2345678e10, -6.28e4]
    assert type(pd.DataFrame(table)) is pd.DataFrame
    # Derived tables show the same way; attrs and the class survive pickling.
    table.attrs["n_runs"] = 3
    assert "$12.3bn" in repr(table[table["region"] == "US"])
    again = pickle.loads(pickle.dumps(table))
    assert isinstance(again, UsdFrame) and again.attrs["n_runs"] == 3


def test_value_added_loss_table_prints_in_bn_usd_not_exponents():
    import supplychain as sc
    from supplychain.analytics.impact import gdp_at_risk, value_added_loss_table
    base = sc.load_baseline(horizon_days=20)
    surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0)
    shocked = sc.simulate(base.with_shocks(surge), engine="vector", seed=1)
    unshocked = sc.simulate(base, engine="vector", seed=1)
    table = value_added_loss_table(shocked, baseline=unshocked)
    us = table[(table.region == "US") & (table.sector == "OTH")]["value_added_loss_usd"].iloc[0]
    assert us > 1e8 and format_usd(us) in repr(table) and "e+" not in repr(table)
    assert table["value_added_loss_usd"].dtype == float
    risk = gdp_at_risk(shocked, baseline=unshocked)
    assert format_usd(risk.loc["ALL", "loss_mean_usd"]) in repr(risk)
