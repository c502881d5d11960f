"""What ``supplychain run`` says about a cover band: the run's results across chip buyers' cited days of cover
(docs/model.md §8.2; `supplychain.analytics.cover_band`), as a console line and as rows of the change table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._format import format_usd

__all__ = ["format_cover_band", "cover_band_rows", "BAND_METRIC"]


def format_cover_band(band: pd.DataFrame) -> str:
    """One line: the chip buyers' and the total shortfall and the value added lost across their cited days of cover.

    ``band`` is a `supplychain.analytics.cover_band.cover_band` table; the ranges are the smallest
    and largest of its low, central and high rows.

    Examples
    --------
    >>> band = pd.DataFrame({"cover_days:automotive": [5.0, 14.0, 40.0], "cover_days:electronics": [31.0, 40.0, 40.0],
    ...                      "shortfall_usd": [3e9, 1.4e9, 0.5e9], "chip_shortfall_usd": [2.9e9, 1.1e9, 0.1e9],
    ...                      "value_added_loss_usd": [9e10, 6e10, 2e10]},
    ...                     index=pd.Index(["low", "central", "high"], name="case"))
    >>> print(format_cover_band(band))
    Across cited chip buyers' covers (automotive 5-40 days, central 14; electronics 31-40, central 40; reruns of the scenario and its baseline at both ends on the vector engine, supplychain.analytics.cover_band): chip buyers short $100M-$2.90bn (central $1.10bn), total shortfall $500M-$3.00bn (central $1.40bn), value added lost $20.0bn-$90.0bn (central $60.0bn).
    """
    segments = [c.split(":", 1)[1] for c in band.columns if c.startswith("cover_days:")]
    covers = []
    for g in segments:
        low, central, high = (band.loc[case, f"cover_days:{g}"] for case in ("low", "central", "high"))
        if low != high:   # a segment without a cited range (the magnet users' groups) is held at its days
            covers.append(f"{g} {low:g}-{high:g}{'' if covers else ' days'}, central {central:g}")

    def span(column: str) -> str:
        values = band[column].to_numpy(dtype=float)
        return (f"{format_usd(float(np.nanmin(values)))}-{format_usd(float(np.nanmax(values)))} "
                f"(central {format_usd(float(band.loc['central', column]))})")

    parts = [f"chip buyers short {span('chip_shortfall_usd')}"] if "chip_shortfall_usd" in band else []
    parts.append(f"total shortfall {span('shortfall_usd')}")
    if "value_added_loss_usd" in band and not band["value_added_loss_usd"].isna().all():
        parts.append(f"value added lost {span('value_added_loss_usd')}")
    return (f"Across cited chip buyers' covers ({'; '.join(covers)}; reruns of the scenario and its baseline at "
            "both ends on the vector engine, supplychain.analytics.cover_band): " + ", ".join(parts) + ".")


#: Prefix of the metrics of a cover band's rows in ``run --format csv|json|markdown``: names of their own, so
#: that a sum over ``metric == "shortfall_usd"`` counts the run's demands once, not again at each cover.
BAND_METRIC = "cover_band:"


def cover_band_rows(band: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (the change table ``run --format csv|json`` prints) with the cover band's rows after its own.

    Each case of the band (``low``, ``central``, ``high``: every segment's buyers at that end of their
    cited days of cover) gives rows in the table's columns, region and commodity ``ALL``, and a ``case``
    column (empty on the table's own rows). Every band row reads as the table's own rows do:
    ``baseline`` the unshocked run's value at the case's covers, ``shocked`` the shocked run's, ``change``
    their difference:

    - ``cover_band:cover_days`` per segment: the days of cover held, the same in both runs (change 0);
    - ``cover_band:shortfall_usd`` (every demand, segment empty, and per segment) and
      ``cover_band:chip_shortfall_usd``: each run's shortfall, USD at reference prices;
    - ``cover_band:value_added_loss_usd`` (when known): value added lost against the baseline, so 0 in the
      baseline and the loss in the shocked run.

    ``cover_band.csv`` (``run --out``) is the band as `cover_band` returns it, one row per case.

    Examples
    --------
    >>> band = pd.DataFrame({"cover_days:automotive": [5.0, 14.0], "shortfall_usd": [3e9, 1e9],
    ...                      "shortfall_usd:automotive": [2e9, 5e8], "baseline_shortfall_usd": [1e8, 0.0],
    ...                      "shocked_shortfall_usd": [3.1e9, 1e9], "baseline_shortfall_usd:automotive": [0.0, 0.0],
    ...                      "shocked_shortfall_usd:automotive": [2e9, 5e8]}, index=pd.Index(["low", "central"], name="case"))
    >>> table = pd.DataFrame({"region": ["US"], "commodity": ["chip"], "segment": ["automotive"],
    ...                       "metric": ["shortfall_usd"], "partner": [""], "baseline": [0.0], "shocked": [5e8],
    ...                       "change": [5e8]})
    >>> rows = cover_band_rows(band, table)
    >>> rows[rows.case == "low"][["segment", "metric", "baseline", "shocked", "change"]].values.tolist()
    [['automotive', 'cover_band:cover_days', 5.0, 5.0, 0.0], ['', 'cover_band:shortfall_usd', 100000000.0, 3100000000.0, 3000000000.0], ['automotive', 'cover_band:shortfall_usd', 0.0, 2000000000.0, 2000000000.0]]
    >>> rows["case"].tolist()[:2]
    ['', 'low']
    """
    from ..analytics.cover_band import LEVELS
    rows = []
    has_segment = "segment" in table
    for case, values in band.iterrows():
        for column, value in values.items():
            what, _, segment = str(column).partition(":")
            if what.startswith(LEVELS):   # a level: it fills its change's row
                continue
            if what == "cover_days":
                before, after, change = float(value), float(value), 0.0
            elif what == "value_added_loss_usd":
                if not np.isfinite(value):
                    continue
                before, after, change = 0.0, float(value), float(value)
            else:
                before, after = (float(values.get(f"{level}{column}", np.nan)) for level in LEVELS)
                change = float(value)
            row = {"region": "ALL", "commodity": "ALL", "metric": BAND_METRIC + what, "partner": "",
                   "baseline": before, "shocked": after, "change": change, "case": str(case)}
            if has_segment:
                row["segment"] = segment
            rows.append(row)
    extra = pd.DataFrame(rows).reindex(columns=[*table.columns, "case"])
    return pd.concat([table.assign(case=""), extra], ignore_index=True)
