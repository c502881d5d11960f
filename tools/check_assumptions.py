"""Every scenario figure quoted in docs/assumptions.md, measured again and printed next to the doc's.

Each claim (`CLAIMS`) names a figure in docs/assumptions.md by a pattern that matches it exactly once
(its first group is the number as written), the run that measures it (`MEASURES`: a function returning
named figures, run once however many claims read it) and the command a reader runs to see it printed.
The script prints, claim by claim, the doc's figure, the model's at the doc's precision and whether they
agree (the same figure once rounded as the doc rounds it; ``--tolerance`` widens that to a share).

Figures printed by the project's own tools are measured the same way those tools measure them:
``python -m tools.tw_fab_outage`` (Taiwan fab outages), ``python tools/ga_horizon.py`` (the gallium
ban's one-year loss), ``python tools/assumptions_sensitivity.py`` (the sensitivity table, not re-run
here: paste its output) and ``python examples/09_chip_shortage_2021.py`` (the 2021 shortage).

Usage::

    PYTHONPATH=$PWD python tools/check_assumptions.py                # every claim (about 5 minutes)
    PYTHONPATH=$PWD python tools/check_assumptions.py --only ex09    # claims whose key starts with ex09
    PYTHONPATH=$PWD python tools/check_assumptions.py --list         # the claims and their doc figures, no runs

Exits 1 if a figure disagrees or a pattern does not match exactly once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import supplychain as sc  # noqa: E402
from supplychain.analytics import chain_shortfall_usd, gdp_at_risk  # noqa: E402
from supplychain.datasets.scenarios import scenario_path  # noqa: E402

DOC = ROOT / "docs" / "assumptions.md"
FLAGSHIP = "taiwan_blockade_magnets"


# --------------------------------------------------------------------------------------------- measures
def _shortfall_change(shocked: sc.Results, base: sc.Results) -> float:
    """Change of every demand's shortfall (USD at reference prices), as `supplychain run` totals it."""
    table = sc.compare(shocked, baseline=base, segments=False)
    return float(table.loc[table.metric == "shortfall_usd", "change"].sum())


def _va(shocked: sc.Results, base: sc.Results, region: str = "ALL") -> float:
    return float(gdp_at_risk(shocked, baseline=base).loc[region, "loss_mean_usd"])


@functools.cache
def flagship(feedback: bool = False) -> dict[str, float]:
    """`taiwan_blockade_magnets` on the vector engine, its seed (deterministic: the DES gives the same)."""
    scen = sc.load_scenario(scenario_path(FLAGSHIP)).replace(price_feedback=feedback)
    shocked = sc.simulate(scen, engine="vector", seed=scen.seed)
    base = sc.simulate(scen.without_shocks(), engine="vector", seed=scen.seed)
    return {"shortfall": _shortfall_change(shocked, base), "va": _va(shocked, base)}


@functools.cache
def flagship_band() -> dict[str, float]:
    """`supplychain.analytics.cover_band` of the flagship: low, central and high covers."""
    from supplychain.analytics import cover_band
    band = cover_band(sc.load_scenario(scenario_path(FLAGSHIP)))
    out = {}
    for case in band.index:
        for col in ("shortfall_usd", "chip_shortfall_usd", "value_added_loss_usd", "shortfall_usd:automotive",
                    "shortfall_usd:electronics", "shortfall_usd:industrial"):
            out[f"{case}:{col}"] = float(band.loc[case, col])
    return out


def _ga_ban(scen: sc.Scenario, start: int | str, end: int | None = None) -> sc.Scenario:
    return scen.with_shocks(*(sc.ExportControl(exporter="CN", commodity=k, mode="ban", start=start, end=end)
                              for k in ("gallium", "gallium_crude", "compound_wafer")))  # ga_flow.GALLIUM_ITEMS


@functools.cache
def ga_year(feedback: bool) -> dict[str, float]:
    """China bans gallium and crude gallium from day 0, 30, 59: one year's US and world value added lost
    (vector, seed 42), as ``tools/ga_horizon.py`` measures it."""
    from supplychain.metrics import loss_run_rate
    scen = sc.load_baseline().with_horizon(365).replace(price_feedback=feedback)
    base = sc.simulate(scen, engine="vector", seed=42)
    out = {}
    for start in (0, 30, 59):
        rate = loss_run_rate(sc.simulate(_ga_ban(scen, start), engine="vector", seed=42), base)
        out[f"us{start}"], out[f"world{start}"] = float(rate.loc["US", "loss_usd"]), float(rate.loc["ALL", "loss_usd"])
        out[f"us_rate{start}"] = float(rate.loc["US", "run_rate_usd_per_year"])
    return out


@functools.cache
def ga_steady() -> dict[str, float]:
    """``python tools/ga_horizon.py --steady``: `steady_loss` of the bans from day 0, 30, 59 and of one from
    day 0 to 365 (US, vector, seed 42; a few minutes)."""
    from supplychain.analytics.impact import steady_loss
    scen = sc.load_baseline().with_horizon(365)
    out = {}
    for key, start, end in (("0", 0, None), ("30", 30, None), ("59", 59, None), ("end", 0, 365)):
        got = steady_loss(_ga_ban(scen, start, end), seed=42)
        out[f"settled{key}"] = float(got.loc["US", "run_rate_usd_per_year"])
        out[f"lost{key}"] = float(got.loc["US", "loss_usd"])
        out[f"peak{key}"] = float(got.loc["US", "peak_run_rate_usd_per_year"])
        out[f"world_settled{key}"] = float(got.loc["ALL", "run_rate_usd_per_year"])
        out[f"world_lost{key}"] = float(got.loc["ALL", "loss_usd"])
        out[f"day{key}"] = float(got.attrs["horizon_days"])
    return out


@functools.cache
def gdp_table() -> dict[str, float]:
    """The "GDP at risk" table: one year from 1 Jan 2025, deterministic, vector engine, seed 0."""
    scen = sc.load_baseline()
    base = sc.simulate(scen, engine="vector", seed=0)
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    stages = sorted({f.stage for f in scen.network.facilities if f.region == "TW" and f.stage in ("fab", "fab_new")})
    cases = {
        "ga": _ga_ban(scen, "2025-03-01"),
        "tw180": scen.with_shocks(*(sc.CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=0, end=180)
                                    for s in stages)),
        "magnet180": scen.with_shocks(sc.ExportControl(exporter="CN", commodity="ndfeb_magnet", mode="ban",
                                                       start=0, end=180)),
    }
    out = {}
    for name, s in cases.items():
        res = sc.simulate(s, engine="vector", seed=0)
        out[f"{name}:short"] = float((chain_shortfall_usd(res) - chain_shortfall_usd(base)).mean())
        out[f"{name}:world"], out[f"{name}:us"] = _va(res, base), _va(res, base, "US")
    return out


@functools.cache
def tw_outage(destroy: float = 0.0, second_source: float | None = None) -> dict[str, float]:
    """``python -m tools.tw_fab_outage [--destroy X] [--second-source S]``: chain shortfall and world value
    added lost (730 days, vector, seed 1)."""
    from supplychain.model import sourcing
    from tools.tw_fab_outage import by_class, idm_chips, outage, output_dip
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    saved = dict(sourcing.SECOND_SOURCE_SHARE)
    try:
        if second_source is not None:   # as the tool does: every locked commodity takes the share
            sourcing.SECOND_SOURCE_SHARE.update({k: second_source for k, v in saved.items()
                                                 if k != "default" and v < 1})
        base = sc.load_baseline(horizon_days=730)
        ref = sc.simulate(base, engine="vector", seed=1)
        out = {}
        for days in (30, 90, 120, 180):
            res = sc.simulate(outage(base, days, destroy), engine="vector", seed=1)
            out[f"{days}:short"] = float(chain_shortfall_usd(res)[0] - chain_shortfall_usd(ref)[0])
            out[f"{days}:va"] = float(res.value_added_loss().total.sum() - ref.value_added_loss().total.sum())
            out[f"{days}:mature_chip"] = by_class(res, ref).get("mature_chip", 0.0)
            out[f"{days}:idm_dip"] = output_dip(res, ref, lambda f: idm_chips(f) and f.region != "TW", days=days)
            out[f"{days}:memory_wafer_dip"] = output_dip(res, ref, lambda f: f.output == "memory_wafer", days=days)
            out[f"{days}:memory_chip_dip"] = output_dip(res, ref, lambda f: f.output == "memory_chip", days=days)
        return out
    finally:
        sourcing.SECOND_SOURCE_SHARE.clear()
        sourcing.SECOND_SOURCE_SHARE.update(saved)


@functools.cache
def tw_prices() -> dict[str, float]:
    """Every Taiwanese fab out for 30, 90, 180 days from day 30 (730 days, price feedback on, vector, seed 1): the
    TW logic-wafer price peak, Taiwan's rents and margin (`supplychain.metrics.who_pays`), buyers' logic-chip
    price peaks by region."""
    from supplychain.metrics import who_pays
    from supplychain.plotting import market_prices
    from tools.tw_fab_outage import outage
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    base = sc.load_baseline(horizon_days=730).replace(price_feedback=True)
    ref = sc.simulate(base, engine="vector", seed=1)
    out = {}
    for days in (30, 90, 180):
        res = sc.simulate(outage(base, days), engine="vector", seed=1)
        regions, index = market_prices(res, "logic_wafer")
        out[f"{days}:peak"] = float(index[0][:, regions.index("TW")].max())
        paid = who_pays(res, baseline=ref)
        cols = ("scarcity_rent_usd", "scarcity_rent_net_of_inputs_usd", "sales_lost_usd", "producer_margin_change_usd")
        out.update({f"{days}:{col}": float(paid.loc["TW", col]) for col in cols})
        regions, index = market_prices(res, "logic_chip")
        peaks = index[0].max(axis=0)
        out.update({f"{days}:chip:{r}": float(x) for r, x in zip(regions, peaks)})
        out[f"{days}:chip:min"], out[f"{days}:chip:max"] = float(peaks.min()), float(peaks.max())
    return out


@functools.cache
def ex09(allocation: str = "recent", lean_chain: bool = True, malaysia_idm: bool = True,
         backlog: bool = False) -> dict[str, float | str]:
    """Example 09 (``python examples/09_chip_shortage_2021.py``): 2021 after the 2020 lead-in, seed 2021."""
    from supplychain.datasets.chip_shortage_2021 import (AFS_SPLIT, LEAD_IN, MATURE, automotive_timing,
                                                         shortage_2021, vehicles_lost)
    from supplychain.impact import load_io_table
    from supplychain.plotting import market_prices
    scen = shortage_2021(allocation=allocation, lean_chain=lean_chain, backlog_2020=backlog)
    if not malaysia_idm:
        scen = scen.replace(shocks=tuple(s for s in scen.shocks
                                         if not (getattr(s, "facility", None) or "").startswith(
                                             "ROW.packaging.mature_chip.idm_backend")))
    shocked = sc.simulate(scen, engine="vector", seed=2021)
    base = sc.simulate(scen.without_shocks(), engine="vector", seed=2021)
    table = load_io_table()
    units, revenue, seg, _ = vehicles_lost(shocked, base, table, LEAD_IN)
    out: dict[str, float | str] = {
        "c29": float(units.sum()), "revenue": float(revenue), "buyers": float(seg.sum()),
        "va": _va(shocked, base), "short": float((chain_shortfall_usd(shocked) - chain_shortfall_usd(base)).mean()),
        "peak": float(np.max(market_prices(shocked, MATURE[0])[1])),
        "onset": automotive_timing(shocked, base)[1]}
    for name in AFS_SPLIT:
        for key, u in (("c29", units), ("buyers", seg)):
            out[f"{key}:{name}"] = sum(u[table.regions.index(r)] for r in name.split("+")) / max(float(u.sum()), 1.0)
    return out


@functools.cache
def sensitivity_reference(runs: int = 4) -> dict[str, float]:
    """The reference line of ``python tools/assumptions_sensitivity.py --runs 4``: each headline scenario's
    shock shortfall and worst fill rate on the shipped data."""
    from tools import assumptions_sensitivity as sens
    out = {}
    for path in sens.DEFAULT_SCENARIOS:
        got = sens.headline(sens.on_baseline(path, None), runs=runs)
        out[f"{Path(path).stem}:short"], out[f"{Path(path).stem}:fill"] = got.shortfall_usd, got.worst_fill
    return out


#: Each measure by name: the function and its arguments.
MEASURES: dict[str, Callable[[], dict[str, float | str]]] = {
    "flagship": lambda: flagship(False),
    "flagship_feedback": lambda: flagship(True),
    "flagship_band": flagship_band,
    "sensitivity_reference": sensitivity_reference,
    "ga_year_off": lambda: ga_year(False),
    "ga_year_on": lambda: ga_year(True),
    "ga_steady": ga_steady,
    "gdp_table": gdp_table,
    "tw_outage": lambda: tw_outage(0.0),
    "tw_outage_destroy25": lambda: tw_outage(0.25),
    "tw_outage_destroy100": lambda: tw_outage(1.0),
    "tw_outage_share1": lambda: tw_outage(0.0, 1.0),
    "tw_outage_share0.5": lambda: tw_outage(0.0, 0.5),
    "tw_outage_share0": lambda: tw_outage(0.0, 0.0),
    "tw_prices": tw_prices,
    "ex09": lambda: ex09(),
    "ex09_history": lambda: ex09("auto"),
    "ex09_pro_rata": lambda: ex09("pro_rata"),
    "ex09_stocked": lambda: ex09(lean_chain=False),
    "ex09_no_malaysia_idm": lambda: ex09(malaysia_idm=False),
    "ex09_backlog": lambda: ex09(backlog=True),
}


# --------------------------------------------------------------------------------------------- claims
@dataclass(frozen=True)
class Claim:
    """A figure of docs/assumptions.md: ``pattern`` matches it once, group 1 the number as written;
    ``scale`` turns the measure into the doc's unit (1e-9 for bn USD, 1e-6 for M, 100 for %)."""

    key: str
    pattern: str
    measure: str
    field: str
    scale: float
    command: str


_FLAG = "supplychain run taiwan_blockade_magnets"
_BAND = "supplychain.analytics.cover_band(load_scenario('taiwan_blockade_magnets'))"
_GA = "python tools/ga_horizon.py"
_TW = "python -m tools.tw_fab_outage"
_EX9 = "python examples/09_chip_shortage_2021.py"

CLAIMS: list[Claim] = []


def claim(key: str, pattern: str, measure: str, field: str, scale: float, command: str) -> None:
    """Add a claim to `CLAIMS`."""
    CLAIMS.append(Claim(key, pattern, measure, field, scale, command))


# The flagship (central covers = the scenario as shipped).
claim("flagship:shortfall", r"flagship \(`taiwan_blockade_magnets`\) loses \$(\d+\.\d+)bn of chips", "flagship",
      "shortfall", 1e-9, _FLAG)
claim("flagship:va", r"and \$(\d+\.\d)bn of world value added \(`supplychain run", "flagship", "va", 1e-9, _FLAG)
claim("flagship:feedback:shortfall", r"with price feedback on \$(\d+\.\d+)bn short", "flagship_feedback", "shortfall",
      1e-9, _FLAG + " --price-feedback")
claim("flagship:feedback:va", r"with price feedback on \$\d+\.\d+bn short and \$(\d+\.\d)bn", "flagship_feedback",
      "va", 1e-9, _FLAG + " --price-feedback")
for _case, _label in (("low", "low ends"), ("central", "central"), ("high", "high ends")):
    _row = rf"\| {_label} \([^|]*\) \| "
    for _i, _col in enumerate(("shortfall_usd", "chip_shortfall_usd", "shortfall_usd:automotive",
                               "shortfall_usd:electronics", "shortfall_usd:industrial")):
        claim(f"band:{_case}:{_col}", _row + r"[^|]+ \| " * _i + r"\$(\d+\.?\d*)M \|", "flagship_band",
              f"{_case}:{_col}", 1e-6, _BAND)
    claim(f"band:{_case}:va", _row + r"(?:[^|]+ \| ){5}\$(\d+\.?\d*)bn \|", "flagship_band",
          f"{_case}:value_added_loss_usd", 1e-9, _BAND)

# The sensitivity table's reference line (tools/assumptions_sensitivity.py).
for _name in ("taiwan_blockade_magnets", "gallium_germanium_2023"):
    _ref = rf"Reference \(shipped values\):[^|]*?{_name}: shock shortfall "
    _sens = "python tools/assumptions_sensitivity.py"
    claim(f"sens:{_name}:short", _ref + r"([\d,]+\.\d) M USD", "sensitivity_reference", f"{_name}:short", 1e-6,
          _sens + " --runs 4")
    claim(f"sens:{_name}:fill", _ref + r"[\d,.]+ M USD, worst fill rate (\d\.\d+)", "sensitivity_reference",
          f"{_name}:fill", 1.0, _sens + " --runs 4")

# The gallium ban's one-year loss (tools/ga_horizon.py) and its settled loss (--steady).
_STEADY = _GA + " --steady"
for _d in (0, 30, 59):
    _row = rf"\| from day {_d} \| "
    claim(f"ga:off:us{_d}", _row + r"(\d+\.\d+) \| \d+\.\d+ \| [^|]*\| \d+\.\d+ \|", "ga_year_off", f"us{_d}", 1e-9,
          _GA)
    claim(f"ga:on:us{_d}", _row + r"\d+\.\d+ \| (\d+\.\d+) \| [^|]*\| \d+\.\d+ \|", "ga_year_on", f"us{_d}", 1e-9,
          _GA + " --feedback")
    claim(f"ga:off:rate{_d}", _row + r"\d+\.\d+ \| \d+\.\d+ \| (\d+\.\d) ", "ga_year_off", f"us_rate{_d}", 1e-9, _GA)
    claim(f"ga:off:world{_d}", _row + r"\d+\.\d+ \| \d+\.\d+ \| [^|]*\| (\d+\.\d+) \|", "ga_year_off", f"world{_d}",
          1e-9, _GA)
    for _k, (_f, _num) in enumerate((("peak", r"(\d+\.\d)"), ("settled", r"(\d+\.\d+)"), ("lost", r"(\d+\.\d+)"))):
        _skip = r"(?:[^|]+ \| )" + f"{{{4 + _k}}}"
        claim(f"ga:steady:{_f}{_d}", _row + _skip + _num + r" \|", "ga_steady", f"{_f}{_d}", 1e-9, _STEADY)
_END = r"\| from day 0, ending on day 365 \|"
claim("ga:steady:peak_end", _END + r" (?:[^|]*\| ){4}(\d+\.\d) \|", "ga_steady", "peakend", 1e-9, _STEADY)
claim("ga:steady:day_end", _END + r"(?:[^|]*\|){5} 0 \(settled at day (\d+)\)", "ga_steady", "dayend", 1.0, _STEADY)
claim("ga:steady:lost_end", _END + r"(?:[^|]*\|){6} (\d+\.\d+) \(the whole episode\)", "ga_steady", "lostend", 1e-9,
      _STEADY)
claim("ga:steady:world_settled0", r"world (\d+\.\d) bn a year settled", "ga_steady", "world_settled0", 1e-9, _STEADY)
claim("ga:steady:world_lost_end", r"the whole episode, [\d.]+ bn USD \(world (\d+\.\d) bn\)", "ga_steady",
      "world_lostend", 1e-9, _STEADY)

# The GDP-at-risk table.
for _k, _label in (("ga", "China bans gallium"), ("tw180", "every Taiwanese fab down for 180 days"),
                   ("magnet180", "China bans NdFeB magnets for 180 days")):
    claim(f"gdp:{_k}:short", rf"\| {_label}[^|]* \| (\d+\.\d+) bn USD", "gdp_table", f"{_k}:short", 1e-9,
          "supplychain.analytics.gdp_at_risk (tools/check_assumptions.py gdp_table)")
    claim(f"gdp:{_k}:world", rf"\| {_label}[^|]* \| [^|]+ \| (\d+\.?\d*) bn \|", "gdp_table", f"{_k}:world", 1e-9,
          "supplychain.analytics.gdp_at_risk (tools/check_assumptions.py gdp_table)")
    claim(f"gdp:{_k}:us", rf"\| {_label}[^|]* \| [^|]+ \| [^|]+ \| (\d+\.?\d*) bn \|", "gdp_table", f"{_k}:us",
          1e-9, "supplychain.analytics.gdp_at_risk (tools/check_assumptions.py gdp_table)")

# Taiwan fab outages (tools/tw_fab_outage.py), columns: none scrapped, a quarter, all.
for _days in (30, 90, 120, 180):
    for _j, (_m, _opt) in enumerate((("tw_outage", ""), ("tw_outage_destroy25", " --destroy 0.25"),
                                     ("tw_outage_destroy100", " --destroy 1"))):
        _pre = rf"\| {_days} days \| " + r"[^|]+ \| " * _j
        claim(f"tw:{_days}:{_j}:short", _pre + r"\$(\d+\.?\d*)bn / ", _m, f"{_days}:short", 1e-9, _TW + _opt)
        claim(f"tw:{_days}:{_j}:va", _pre + r"\$\d+\.?\d*bn / \$([\d,]+\.?\d*)bn \|", _m, f"{_days}:va", 1e-9,
              _TW + _opt)

_OPT = {"tw_outage": "", "tw_outage_destroy25": " --destroy 0.25", "tw_outage_destroy100": " --destroy 1"}
_180 = r"long outages \(180 days: "
for _key, _pattern, _m, _field, _scale in (
        ("mature180:0", _180 + r"\$(\d+\.\d\d)bn, ", "tw_outage", "180:mature_chip", 1e-9),
        ("mature180:1", _180 + r"\$[\d.]+bn, \$(\d+\.\d\d)bn", "tw_outage_destroy25", "180:mature_chip", 1e-9),
        ("mature180:2", _180 + r"\$[\d.]+bn, \$[\d.]+bn and \$(\d+\.\d\d)bn", "tw_outage_destroy100", "180:mature_chip",
         1e-9),
        ("idm180:0", r"run at (\d+\.\d) % of normal at the worst \(scrapping", "tw_outage", "180:idm_dip", 1.0),
        ("idm180:2", r"at the worst \(scrapping all stock: (\d+\.\d) %\)", "tw_outage_destroy100", "180:idm_dip", 1.0),
        ("memory_wafer30:0", r"memory wafer starts fall to (\d+) % of normal for the first month", "tw_outage",
         "30:memory_wafer_dip", 1.0),
        ("memory_chip180:0", r"packaged memory to (\d+) % at the worst", "tw_outage", "180:memory_chip_dip", 1.0)):
    claim(f"tw:{_key}", _pattern, _m, _field, _scale, _TW + _OPT[_m])
for _j, _share in enumerate(("1", "0.5", "0.2", "0")):
    _m = "tw_outage" if _share == "0.2" else f"tw_outage_share{_share}"
    claim(f"lock:{_share}:mature180", r"at 180 days by " + r"\$[\d.]+bn / " * _j + r"\$(\d+\.\d\d)bn", _m,
          "180:mature_chip", 1e-9, f"{_TW} --second-source {_share}")

# Design lock-in: the same outages by second-source share (1 = no lock-in, 0.2 the default).
for _days in (90, 120, 180):
    for _j, _share in enumerate(("1", "0.5", "0.2", "0")):
        _m = "tw_outage" if _share == "0.2" else f"tw_outage_share{_share}"
        _pre = rf"\| {_days}-day outage \| " + r"[^|]+ \| " * _j
        claim(f"lock:{_share}:{_days}:short", _pre + r"\$(\d+\.?\d*)bn / ", _m, f"{_days}:short", 1e-9,
              f"{_TW} --second-source {_share}")
        claim(f"lock:{_share}:{_days}:va", _pre + r"\$\d+\.?\d*bn / \$([\d,]+\.?\d*)bn \|", _m, f"{_days}:va",
              1e-9, f"{_TW} --second-source {_share}")

# Prices of a Taiwanese fab outage (the table of docs/assumptions.md's scarcity prices).
_PR = "tools/check_assumptions.py: tw_prices()"
for _key, _pattern, _field, _scale in (
        ("30:peak", r"TW logic-wafer price peak (\d\.\d\d), TW gross", "30:peak", 1.0),
        ("30:rent", r"TW gross scarcity rent (\d+\.\d) bn USD", "30:scarcity_rent_usd", 1e-9),
        ("30:net", r"TW gross scarcity rent [\d.]+ bn USD, (\d+\.\d) bn net of inputs",
         "30:scarcity_rent_net_of_inputs_usd", 1e-9),
        ("30:margin", r"producers' margin changes by ([+-]?\d+\.\d) bn once", "30:producer_margin_change_usd", 1e-9),
        ("30:sales", r"once the (\d+\.\d) bn of sales lost", "30:sales_lost_usd", 1e-9),
        ("90:peak", r"90 days: peak (\d\.\d\d), margin", "90:peak", 1.0),
        ("90:margin", r"90 days: peak [\d.]+, margin ([+-]?\d+\.\d) bn", "90:producer_margin_change_usd", 1e-9),
        ("180:peak", r"180 days: peak (\d\.\d\d), margin", "180:peak", 1.0),
        ("180:margin", r"180 days: peak [\d.]+, margin ([+-]?\d+\.\d) bn", "180:producer_margin_change_usd", 1e-9),
        ("180:chip:US", r"logic-chip indices peak at (\d\.\d) in the US", "180:chip:US", 1.0),
        ("180:chip:JP", r"logic-chip indices peak at [\d.]+ in the US, (\d\.\d) in Japan", "180:chip:JP", 1.0),
        ("180:chip:ROW", r"in Japan, (\d\.\d\d) in ROW", "180:chip:ROW", 1.0),
        ("180:chip:CN", r"in Japan, [\d.]+ in ROW and (\d\.\d\d) in CN", "180:chip:CN", 1.0),
        ("180:chip:KR", r"in CN, (\d\.\d\d) in KR", "180:chip:KR", 1.0),
        ("90:chip:min", r"90 days: (\d\.\d\d)-[\d.]+ by region", "90:chip:min", 1.0),
        ("90:chip:max", r"90 days: [\d.]+-(\d\.\d\d) by region", "90:chip:max", 1.0),
        ("30:chip:min", r"30 days: (\d\.\d\d)-[\d.]+ by region", "30:chip:min", 1.0),
        ("30:chip:max", r"30 days: [\d.]+-(\d\.\d\d) by region", "30:chip:max", 1.0)):
    claim(f"prices:{_key}", _pattern, "tw_prices", _field, _scale, _PR)

# Example 09.
_EX9_ROW = r"\| \*\*model \(the example[^|]*\*\* \| "
claim("ex09:c29", _EX9_ROW + r"\*\*(\d+\.\d) M\*\*", "ex09", "c29", 1e-6, _EX9)
claim("ex09:revenue", _EX9_ROW + r"[^|]+ \| \*\*(\d+) bn USD\*\*", "ex09", "revenue", 1e-9, _EX9)
claim("ex09:buyers", _EX9_ROW + r"(?:[^|]+ \| ){2}\*\*(\d+\.\d) M\*\*", "ex09", "buyers", 1e-6, _EX9)
claim("ex09:va", _EX9_ROW + r"(?:[^|]+ \| ){3}\*\*(\d+) bn USD\*\*", "ex09", "va", 1e-9, _EX9)
claim("ex09:short", _EX9_ROW + r"(?:[^|]+ \| ){4}\*\*(\d+\.\d+) bn USD\*\*", "ex09", "short", 1e-9, _EX9)
claim("ex09:peak", _EX9_ROW + r"(?:[^|]+ \| ){5}\*\*(\d+\.\d+)\*\*", "ex09", "peak", 1.0, _EX9)
claim("ex09:onset", _EX9_ROW + r"(?:[^|]+ \| ){6}\*\*(\w+ \d{4})\*\*", "ex09", "onset", 1.0, _EX9)
for _i, _r in enumerate(("US", "CN", "JP+KR+TW", "ROW")):
    claim(f"ex09:buyers:{_r}", _EX9_ROW + r"(?:[^|]+ \| ){7}\*\*" + r"\d+ / " * _i + r"(\d+)", "ex09",
          f"buyers:{_r}", 100.0, _EX9)
for _m, _label in (("ex09_history", "by history"), ("ex09_pro_rata", "pro rata"),
                   ("ex09_stocked", "fabs and packagers at the baseline's stocks"),
                   ("ex09_backlog", "Q4 2020 orders beyond output")):
    _row = rf"\| model, {_label}[^|]*\|"
    for _i, (_f, _num, _scale) in enumerate((("c29", r"(\d+\.\d) M", 1e-6), ("revenue", r"(\d+) bn USD", 1e-9),
                                             ("buyers", r"(\d+\.\d) M", 1e-6), ("va", r"(\d+) bn USD", 1e-9),
                                             ("short", r"(\d+\.\d+) bn USD", 1e-9))):
        claim(f"{_m}:{_f}", _row + r"(?:[^|]*\|)" * _i + " " + _num + r" \|", _m, _f, _scale, _EX9)
    claim(f"{_m}:onset", _row + r"(?:[^|]*\|){6} (\w+ \d{4}) \|", _m, "onset", 1.0, _EX9)
_NO_IDM = "tools/check_assumptions.py: ex09(malaysia_idm=False)"
claim("ex09_no_malaysia_idm:c29", r"[Ww]ithout the lockdown of the IDMs' back-end plant, (\d+\.\d\d) M vehicles",
      "ex09_no_malaysia_idm", "c29", 1e-6, _NO_IDM)
claim("ex09_no_malaysia_idm:buyers", r"[Ww]ithout the lockdown of the IDMs' back-end plant, [^;]* and (\d+\.\d\d) M "
      r"\(automotive buyers\)", "ex09_no_malaysia_idm", "buyers", 1e-6, _NO_IDM)
claim("ex09_no_malaysia_idm:va", r"[Ww]ithout the lockdown of the IDMs' back-end plant, [^;]*; world value added "
      r"(\d+) bn", "ex09_no_malaysia_idm", "va", 1e-9, _NO_IDM)
claim("ex09_no_malaysia_idm:short", r"The chain's shortfall rises \((\d+\.\d\d) bn USD without the lockdown",
      "ex09_no_malaysia_idm", "short", 1e-9, _NO_IDM)
claim("ex09:c29:precise", r"with it \(the example\), (\d+\.\d\d) M vehicles", "ex09", "c29", 1e-6, _EX9)
claim("ex09:buyers:precise", r"with it \(the example\), [^;]* and (\d+\.\d\d) M;", "ex09", "buyers", 1e-6, _EX9)
claim("ex09:va:precise", r"with it \(the example\), [^;]*; world value added (\d+) bn", "ex09", "va", 1e-9, _EX9)


# --------------------------------------------------------------------------------------------- checking
def doc_figure(text: str, c: Claim) -> tuple[str | None, int]:
    """The figure as written in the doc and how many times the pattern matches."""
    found = re.findall(c.pattern, text)
    return (found[0] if found else None), len(found)


def agrees(written: str, model: float | str, tolerance: float) -> tuple[bool, str]:
    """Whether ``model`` rounds to ``written`` (or lies within ``tolerance`` of it), and ``model`` so rounded."""
    if isinstance(model, str):
        return model == written, model
    plain = written.replace(",", "")
    places = len(plain.split(".")[1]) if "." in plain else 0
    shown = f"{model:,.{places}f}"
    doc = float(plain)
    return (round(model, places) == doc or abs(model - doc) <= tolerance * abs(doc)), shown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="claims whose key starts with this")
    ap.add_argument("--list", action="store_true", help="list the claims and the doc's figures, run nothing")
    ap.add_argument("--tolerance", type=float, default=0.0, help="relative difference accepted (default: rounding)")
    a = ap.parse_args(argv)
    text = re.sub(r"\s+", " ", DOC.read_text(encoding="utf-8"))   # a figure may wrap across lines
    claims = [c for c in CLAIMS if c.key.startswith(a.only)]
    bad = 0
    print(f"{'claim':32} {'doc':>10} {'model':>10}  {'':5} reproduce with")
    for c in claims:
        written, n = doc_figure(text, c)
        if n != 1:
            bad += 1
            print(f"{c.key:32} {'':>10} {'':>10}  {'DOC?':5} pattern matches {n} times in {DOC.name}")
            continue
        if a.list:
            print(f"{c.key:32} {written:>10} {'':>10}  {'':5} {c.command}")
            continue
        value = MEASURES[c.measure]()[c.field]
        ok, shown = agrees(written, value if isinstance(value, str) else value * c.scale, a.tolerance)
        bad += not ok
        print(f"{c.key:32} {written:>10} {shown:>10}  {'ok' if ok else 'DIFF':5} {c.command}", flush=True)
    if a.list:
        print(f"{len(claims)} claims, {bad} of them not found exactly once")
    else:
        print(f"{len(claims) - bad} of {len(claims)} claims agree ({dt.date.today()})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
