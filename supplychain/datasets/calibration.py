"""Calibration checks: published figures the built-in baseline must reproduce, within stated tolerances.

The figures live in ``supplychain/data/calibration.toml``, one ``[[check]]`` table each, with the
published value, its source (organisation, publication, year, table), a tolerance and the measure
that computes the model's value from the baseline in steady state. ``supplychain data --check``
prints the table and exits non-zero when a check fails; ``tests/test_baseline_calibration.py``
runs the same table.

Measures (the ``measure`` key and its arguments):

``import_reliance`` (``region``, ``commodities``)
    ``1 - production / use`` of the listed commodities (same content units) in the region, the
    USGS definition of net import reliance with stock changes left out; 0 for a net exporter.
``import_share`` (``region``, ``commodity``, ``exporter``: one region or a list)
    The exporters' share of the region's imports of a commodity (lane flows from other regions).
``output_share`` (``output``, ``region``, optional ``stage``)
    The region's share of world steady-state output (scrap recycling left out).
``capacity`` (``output``: one output or a list, ``region``)
    The region's yearly capacity for an output (or for all the listed outputs).
``capacity_share`` (``outputs``, ``region``)
    The region's share of world capacity making any of the outputs (scrap recycling left out).
``demand_share`` (``commodities``, ``region``)
    The region's share of world final demand, value-weighted over the listed commodities.
``use`` (``commodity``, optional ``region``, optional ``outputs``, optional ``per_use_in``, optional ``per``)
    Yearly use (facility inputs plus final demand), optionally only by facilities making ``outputs``,
    divided by the same region's total use (``per_use_in``) or by a number (``per``).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._format import format_percent, format_units
from ..errors import ScenarioFileError
from ..model import Network
from .baseline import load_baseline, steady_state_production

__all__ = ["CALIBRATION_FILE", "CalibrationRow", "calibration_table", "format_calibration", "load_checks"]

#: The cited published figures the baseline is checked against.
CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "data" / "calibration.toml"
_KINDS = ("abs", "rel", "at_least")
_DAYS = 365.0


@dataclass(frozen=True)
class CalibrationRow:
    """One check: the model's value against a published figure.

    Attributes
    ----------
    figure : str
        What is compared.
    model, published, tolerance : float
        The model's value, the published value, and the allowed gap (absolute, relative to the
        published value for ``kind == "rel"``, or none above the published floor for ``"at_least"``).
    kind : str
        ``"abs"``, ``"rel"`` or ``"at_least"``.
    source : str
        The publication the published value comes from.
    share : bool
        Whether the figure is a share (printed as a percentage, its absolute tolerance in points).
    """

    figure: str
    model: float
    published: float
    tolerance: float
    kind: str
    source: str
    share: bool = False

    @property
    def passed(self) -> bool:
        """Whether the model reproduces the published figure within the tolerance."""
        slack = 1e-9 * max(1.0, abs(self.published))  # rounding of the data files, not a tolerance
        if self.kind == "rel":
            return abs(self.model - self.published) <= self.tolerance * abs(self.published) + slack
        if self.kind == "at_least":
            return self.model >= self.published - self.tolerance - slack
        return abs(self.model - self.published) <= self.tolerance + slack


def load_checks(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The ``[[check]]`` tables of the calibration file, validated.

    Examples
    --------
    >>> checks = load_checks()
    >>> all(c["source"] and c["kind"] in ("abs", "rel", "at_least") for c in checks)
    True
    """
    p = Path(path) if path is not None else CALIBRATION_FILE
    try:
        checks = tomllib.loads(p.read_text(encoding="utf-8")).get("check", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioFileError(f"cannot read the calibration file {p}: {exc}") from None
    for i, c in enumerate(checks):
        for key in ("figure", "measure", "published", "source", "tolerance", "kind"):
            if key not in c:
                raise ScenarioFileError(f"{p}: check {i} ({c.get('figure', '?')!r}) has no {key!r}")
        if c["measure"] not in _MEASURES:
            raise ScenarioFileError(f"{p}: check {c['figure']!r}: measure {str(c['measure'])[:80]!r} is not one "
                                    f"of {sorted(_MEASURES)}")
        if c["kind"] not in _KINDS:
            raise ScenarioFileError(f"{p}: check {c['figure']!r}: kind {str(c['kind'])[:80]!r} is not one of {_KINDS}")
    return checks


class _Steady:
    """Steady-state flows of a network: production, use by region and lane flows."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.production = steady_state_production(network)
        self.region_of = {f.id: f.region for f in network.facilities}
        self.region_of.update({d.id: d.region for d in network.demands})
        need: dict[tuple[str, str], float] = {}
        for f in network.facilities:
            for c, r in dict(f.recipe).items():
                need[(f.id, c)] = self.production[f.id] * r
        for d in network.demands:
            need[(d.id, d.commodity)] = d.rate_per_day
        total: dict[tuple[str, str], float] = defaultdict(float)
        for lane in network.lanes:
            total[(lane.destination, lane.commodity)] += lane.share
        self.flows = [(self.region_of[l.origin], self.region_of[l.destination], l.commodity,
                       need.get((l.destination, l.commodity), 0.0) * l.share / total[(l.destination, l.commodity)])
                      for l in network.lanes]

    def use(self, commodity: str, region: str | None = None, outputs: tuple[str, ...] | None = None) -> float:
        out = 0.0
        for f in self.network.facilities:
            r = dict(f.recipe).get(commodity)
            if r and (region is None or f.region == region) and (outputs is None or f.output in outputs):
                out += self.production[f.id] * r
        if outputs is None:
            out += sum(d.rate_per_day for d in self.network.demands
                       if d.commodity == commodity and (region is None or d.region == region))
        return out * _DAYS

    def made(self, output: str, region: str | None = None, stage: str | None = None) -> float:
        return _DAYS * sum(self.production[f.id] for f in self.network.facilities
                           if f.output == output and f.stage != "recycling" and (region is None or f.region == region)
                           and (stage is None or f.stage == stage))


def _import_reliance(s: _Steady, region: str, commodities: list[str]) -> float:
    use = sum(s.use(c, region) for c in commodities)
    made = sum(_DAYS * s.production[f.id] for f in s.network.facilities
               if f.region == region and f.output in commodities)
    return max(0.0, 1.0 - made / use) if use > 0 else 0.0


def _import_share(s: _Steady, region: str, commodity: str, exporter: str | list[str]) -> float:
    exporters = {exporter} if isinstance(exporter, str) else set(exporter)
    imports = [(o, v) for o, d, c, v in s.flows if d == region and c == commodity and o != region]
    total = sum(v for _, v in imports)
    return sum(v for o, v in imports if o in exporters) / total if total > 0 else 0.0


def _output_share(s: _Steady, output: str, region: str, stage: str | None = None) -> float:
    return s.made(output, region, stage) / s.made(output, None, stage)


def _capacity(s: _Steady, output: str | list[str], region: str) -> float:
    outputs = {output} if isinstance(output, str) else set(output)
    return _DAYS * sum(f.capacity_per_day for f in s.network.facilities if f.output in outputs and f.region == region)


def _capacity_share(s: _Steady, outputs: list[str], region: str) -> float:
    cap = {f.id: f.capacity_per_day for f in s.network.facilities if f.output in outputs and f.stage != "recycling"}
    return sum(v for i, v in cap.items() if s.region_of[i] == region) / sum(cap.values())


def _demand_share(s: _Steady, commodities: list[str], region: str) -> float:
    price = {c.id: c.price_usd for c in s.network.commodities}
    val: dict[str, float] = defaultdict(float)
    for d in s.network.demands:
        if d.commodity in commodities:
            val[d.region] += d.rate_per_day * price[d.commodity]
    return val[region] / sum(val.values())


def _use(s: _Steady, commodity: str, region: str | None = None, outputs: list[str] | None = None,
         per_use_in: str | None = None, per: float | None = None) -> float:
    got = s.use(commodity, region, tuple(outputs) if outputs is not None else None)
    if per_use_in is not None:
        got /= s.use(commodity, per_use_in)
    if per is not None:
        got /= per
    return got


_MEASURES = {"import_reliance": _import_reliance, "import_share": _import_share, "output_share": _output_share,
             "capacity": _capacity, "capacity_share": _capacity_share, "demand_share": _demand_share, "use": _use}
_META = ("figure", "measure", "published", "source", "tolerance", "kind")


def calibration_table(network: Network | None = None, path: str | Path | None = None) -> list[CalibrationRow]:
    """Every calibration check computed on ``network`` (default: the built-in baseline).

    Parameters
    ----------
    network : Network, optional
        The network to check; the built-in baseline's by default.
    path : str or Path, optional
        A calibration file other than the shipped one.

    Returns
    -------
    list of CalibrationRow

    Examples
    --------
    >>> rows = calibration_table()
    >>> all(r.passed for r in rows)
    True
    """
    s = _Steady(network if network is not None else load_baseline().network)
    rows = []
    for c in load_checks(path):
        args = {k: v for k, v in c.items() if k not in _META}
        try:
            model = float(_MEASURES[c["measure"]](s, **args))
        except (TypeError, KeyError, ZeroDivisionError) as exc:
            raise ScenarioFileError(f"calibration check {c['figure']!r}: cannot compute {c['measure']} with "
                                    f"{str(args)[:80]}: {exc!r}") from None
        share = c["measure"] in _SHARES or (c["measure"] == "use" and ("per_use_in" in args or "per" in args))
        rows.append(CalibrationRow(c["figure"], model, float(c["published"]), float(c["tolerance"]), c["kind"],
                                   c["source"], share))
    return rows


#: Measures that are shares (a ``use`` divided by another use or by a total is one too).
_SHARES = ("import_reliance", "import_share", "output_share", "capacity_share", "demand_share")


def _value(x: float, share: bool) -> str:
    # The package's number format: shares with one decimal, quantities with three figures or separators.
    return format_percent(x, floor=False) if share else format_units(x)


def _tolerance(r: CalibrationRow) -> str:
    if r.kind == "rel":
        return f"±{r.tolerance:.0%}"
    amount = f"{100 * r.tolerance:.1f} pp" if r.share else format_units(r.tolerance)
    if r.kind == "at_least":
        return "at least" if r.tolerance == 0 else f"at least -{amount}"
    # A tolerance below a millionth of the unit is numerical slack on a figure that must match exactly.
    return "exact" if abs(r.tolerance) < 1e-6 else f"±{amount}"


def format_calibration(rows: list[CalibrationRow]) -> str:
    """The calibration table as text: figure, model, published, tolerance, verdict, source.

    Examples
    --------
    Shares read as percentages with their absolute tolerance in percentage points.

    >>> print(format_calibration([CalibrationRow("x share", 0.5, 0.52, 0.03, "abs", "Org 2025", share=True),
    ...                           CalibrationRow("y use, t/yr", 9_600.0, 9_600.0, 0.02, "rel", "Org 2026")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    figure        model  published  tolerance  verdict  source
    x share       50.0%  52.0%      ±3.0 pp    pass     Org 2025
    y use, t/yr   9,600  9,600      ±2%        pass     Org 2026
    2 of 2 checks pass.

    Small shares keep one decimal, as everywhere; a figure that must be exactly zero says so.

    >>> print(format_calibration([CalibrationRow("z share", 0.00645, 0.00645, 0.005, "abs", "Org", share=True),
    ...                           CalibrationRow("w use, kg/yr", 0.0, 0.0, 1e-9, "abs", "Org")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    figure        model  published  tolerance  verdict  source
    z share       0.6%   0.6%       ±0.5 pp    pass     Org
    w use, kg/yr  0      0          exact      pass     Org
    2 of 2 checks pass.
    """
    table = [("figure", "model", "published", "tolerance", "verdict", "source")]
    table += [(r.figure, _value(r.model, r.share), _value(r.published, r.share), _tolerance(r),
               "pass" if r.passed else "FAIL", r.source) for r in rows]
    width = [max(len(row[i]) for row in table) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:5], width)) + "  " + row[5] for row in table]
    lines.append(f"{sum(r.passed for r in rows)} of {len(rows)} checks pass.")
    return "\n".join(lines)
