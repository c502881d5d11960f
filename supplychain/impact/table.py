"""The multi-regional input-output table of the impact layer, assembled from its cited data file.

The shipped file (``supplychain/data/impact/io_table.toml``, written by ``python -m tools.impact``)
holds gross output per region and sector, direct coefficients between sectors, domestic input
shares, each sector's dependence on chips, cells, magnets, germanium and gallium, and the ARIO parameters.
`load_io_table` assembles the multi-regional coefficient matrix (docs/model.md §8.3):

``A[(o, i), (r, j)] = a[i, j] * h[i]`` if ``o == r``, else ``a[i, j] * (1 - h[i]) * x[o, i] / sum_{o' != r} x[o', i]``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .kernel import ArioParameters

__all__ = ["IOTable", "load_io_table", "value_added_by_region", "DEFAULT_TABLE", "REST_OF_ECONOMY", "SECTOR_NAMES",
           "input_kind",
           "sector_name"]

#: The shipped table's path inside the package.
DEFAULT_TABLE = "data/impact/io_table.toml"
#: The table's sector for every industry outside electronics, electrical equipment, machinery and vehicles.
REST_OF_ECONOMY = "OTH"
#: Short names of the shipped table's industries (ISIC Rev.4 divisions; ``OTH`` is every other one): the one
#: mapping every table, console line and chart uses beside or instead of the code (the data file's
#: ``[sector_names]`` holds the full titles).
SECTOR_NAMES = {"C26": "electronics", "C27": "electrical equipment", "C28": "machinery", "C29": "motor vehicles",
                REST_OF_ECONOMY: "rest of the economy"}


#: Words for the kinds of input whose ids end so; any other input the table maps is named by its id.
KIND_WORDS = (("_chip", "chips"), ("_cell", "cells"), ("_magnet", "magnets"))


def input_kind(commodity: str) -> str:
    """The kind of an input in words: ``"chips"`` for every chip class, ``"cells"``, ``"magnets"``, else its id.

    Examples
    --------
    >>> input_kind("mature_idm_chip"), input_kind("ndfeb_magnet"), input_kind("gallium")
    ('chips', 'magnets', 'gallium')
    """
    return next((w for end, w in KIND_WORDS if commodity.endswith(end)), commodity)


def sector_name(code: str) -> str:
    """An industry's short name for tables and legends, its code when it has none.

    Examples
    --------
    >>> sector_name("C29"), sector_name("OTH"), sector_name("C30")
    ('motor vehicles', 'rest of the economy', 'C30')
    """
    return SECTOR_NAMES.get(code, code)


@dataclass(frozen=True, eq=False)
class IOTable:
    """A multi-regional input-output table for the impact layer (arrays, annual USD).

    Attributes
    ----------
    regions, sectors : tuple of str
        Labels; nodes are (region, sector) pairs in region-major order.
    output : ndarray, shape (R, S)
        Gross output, USD per year.
    a : ndarray, shape (N, N)
        Direct coefficients between nodes, ``N = R * S``.
    value_added : ndarray, shape (N,)
        Value added per unit of gross output.
    dependence : dict of str to ndarray (R, S)
        Per input commodity, the share of each node's output that needs it.
    params : ArioParameters
        Behavioural parameters of the ARIO kernel.
    use : dict of str to ndarray (S,)
        Per input commodity, the share of its use (by value) that goes to each sector
        (market by application); commodities without one are used in proportion to the
        output that needs them.
    priority : dict of str to ndarray (S,)
        Per input commodity, each sector's rank when a short input is rationed (higher is
        served first; equal ranks share pro rata); all equal when absent.
    content : dict of str to ndarray (S,)
        Per input commodity, its value per dollar of the output that needs it (0: not given);
        it caps the dependence at what the chain's supply of the input can serve.
    substitution : dict of str to (float, float)
        Per input commodity, the share of its use that substitution and thrifting can replace,
        and the days they take to reach it.
    working_stock_days : int
        Days of the input the industries hold as working stock: a shortfall is measured over
        that many trailing days (docs/model.md §8.3; 1 measures each day alone).
    segment_use : dict of str to ndarray (S,)
        Per end-use buyer segment (``Demand.segment``), the share of its input that goes to
        each sector: a segment's shortfall reaches only its own sectors (docs/model.md §8.3).
    price_output_share : float
        The share of an input's demand given up to a price rise that is output its users do not
        make (counted like a shortfall); the rest they thrift (docs/model.md §8.3).
    """

    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    output: np.ndarray
    a: np.ndarray
    value_added: np.ndarray
    dependence: dict[str, np.ndarray]
    params: ArioParameters
    use: dict[str, np.ndarray] = field(default_factory=dict)
    priority: dict[str, np.ndarray] = field(default_factory=dict)
    substitution: dict[str, tuple[float, float]] = field(default_factory=dict)
    content: dict[str, np.ndarray] = field(default_factory=dict)
    working_stock_days: int = 1
    segment_use: dict[str, np.ndarray] = field(default_factory=dict)
    price_output_share: float = 1.0

    @property
    def sector_of_node(self) -> np.ndarray:
        """Sector index of each node, shape (N,)."""
        return np.tile(np.arange(len(self.sectors)), len(self.regions))

    @property
    def daily_output(self) -> np.ndarray:
        """Normal gross output per node and day (USD), shape (N,)."""
        return self.output.reshape(-1) / 365.0


def _value(entry: object, where: str) -> float:
    if not isinstance(entry, dict) or "value" not in entry or not entry.get("source"):
        raise ValueError(f"{where}: expected {{ value = ..., source = ... }}, got {str(entry)[:80]}")
    return float(entry["value"])


def parse_io_table(data: dict) -> IOTable:
    """Assemble an `IOTable` from the parsed TOML of the data file."""
    regions = tuple(data["table"]["regions"])
    sectors = tuple(data["table"]["sectors"])
    n_r, n_s = len(regions), len(sectors)
    output = np.zeros((n_r, n_s))
    for row in data["output"]:
        output[regions.index(row["region"]), sectors.index(row["sector"])] = _value(row["value"], "output")
    if (output <= 0).any():
        raise ValueError("output: every region and sector needs a positive gross output")
    tech = np.zeros((n_s, n_s))
    for row in data["coefficient"]:
        tech[sectors.index(row["input"]), sectors.index(row["sector"])] = _value(row["value"], "coefficient")
    home = np.zeros(n_s)
    for row in data["domestic_share"]:
        home[sectors.index(row["sector"])] = _value(row["value"], "domestic_share")
    n = n_r * n_s
    a = np.zeros((n, n))
    for r in range(n_r):
        for o in range(n_r):
            if o == r:
                share = home
            else:
                others = output.sum(axis=0) - output[r]
                share = (1.0 - home) * output[o] / others
            a[o * n_s:(o + 1) * n_s, r * n_s:(r + 1) * n_s] = tech * share[:, None]
    value_added = 1.0 - a.sum(axis=0)
    if (value_added <= 0).any():
        raise ValueError("coefficient: some sector's inputs exceed its output (value added <= 0)")
    dependence: dict[str, np.ndarray] = {}
    for row in data["dependence"]:
        w = dependence.setdefault(row["commodity"], np.zeros((n_r, n_s)))
        value = _value(row["value"], "dependence")
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"dependence: {row['commodity']} in {row['sector']} is {value}, expected 0 to 1")
        rows = range(n_r) if row["region"] == "ALL" else [regions.index(row["region"])]
        for r in rows:
            w[r, sectors.index(row["sector"])] = value
    essential = np.ones((n_s, n_s))
    for row in data.get("essential", []):
        essential[sectors.index(row["input"]), sectors.index(row["sector"])] = _value(row["value"], "essential")
    p = data["parameters"]
    params = ArioParameters(inventory_days=np.full(n_s, _value(p["inventory_days"], "inventory_days")),
                            psi=_value(p["psi"], "psi"),
                            tau_inventory=_value(p["tau_inventory"], "tau_inventory"),
                            alpha_max=_value(p["alpha_max"], "alpha_max"),
                            tau_alpha=_value(p["tau_alpha"], "tau_alpha"), essential=essential)
    working = _value(p["working_stock_days"], "working_stock_days") if "working_stock_days" in p else 1.0
    output_share = _value(p["price_output_share"], "price_output_share") if "price_output_share" in p else 1.0
    if not 0.0 <= output_share <= 1.0:
        raise ValueError(f"price_output_share: expected a share in [0, 1], got {output_share}")
    if working != int(working) or working < 1:
        raise ValueError(f"working_stock_days: expected a whole number of days >= 1, got {working}")
    use: dict[str, np.ndarray] = {}
    for row in data.get("use", []):
        value = _value(row["value"], "use")
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"use: {row['commodity']} in {row['sector']} is {value}, expected 0 to 1")
        use.setdefault(row["commodity"], np.zeros(n_s))[sectors.index(row["sector"])] = value
    for commodity, u in use.items():
        if abs(u.sum() - 1.0) > 1e-6:
            raise ValueError(f"use: shares of {commodity} sum to {u.sum():.6g}, expected 1")
    priority: dict[str, np.ndarray] = {}
    for row in data.get("priority", []):
        priority.setdefault(row["commodity"], np.zeros(n_s))[sectors.index(row["sector"])] = \
            _value(row["value"], "priority")
    content: dict[str, np.ndarray] = {}
    for row in data.get("content", []):
        value = _value(row["value"], "content")
        if not 0.0 < value <= 1.0:
            raise ValueError(f"content: {row['commodity']} in {row['sector']} is {value}, expected (0, 1]")
        content.setdefault(row["commodity"], np.zeros(n_s))[sectors.index(row["sector"])] = value
    substitution: dict[str, tuple[float, float]] = {}
    for row in data.get("substitution", []):
        share, days = _value(row["share"], "substitution share"), _value(row["days"], "substitution days")
        if not 0.0 <= share <= 1.0 or days < 1.0:
            raise ValueError(f"substitution: {row['commodity']} has share {share}, days {days}; "
                             "expected a share in [0, 1] and days >= 1")
        substitution[row["commodity"]] = (share, days)
    segment_use: dict[str, np.ndarray] = {}
    for row in data.get("segment", []):
        value = _value(row["value"], "segment")
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"segment: {row['segment']} in {row['sector']} is {value}, expected 0 to 1")
        segment_use.setdefault(row["segment"], np.zeros(n_s))[sectors.index(row["sector"])] = value
    for seg, u in segment_use.items():
        if abs(u.sum() - 1.0) > 1e-6:
            raise ValueError(f"segment: shares of {seg} sum to {u.sum():.6g}, expected 1")
    return IOTable(regions=regions, sectors=sectors, output=output * 1e9, a=a, value_added=value_added,
                   dependence=dependence, params=params, use=use, priority=priority,
                   substitution=substitution, content=content, working_stock_days=int(working),
                   segment_use=segment_use, price_output_share=output_share)


@lru_cache(maxsize=4)
def _load(path: str | None) -> IOTable:
    if path is None:
        text = resources.files("supplychain").joinpath(DEFAULT_TABLE).read_bytes()
    else:
        text = Path(path).read_bytes()
    return parse_io_table(tomllib.loads(text.decode("utf-8")))


def load_io_table(path: str | Path | None = None) -> IOTable:
    """The shipped input-output table, or one read from ``path`` in the same format.

    Examples
    --------
    >>> t = load_io_table()
    >>> t.regions, t.sectors
    (('JP', 'KR', 'US', 'CN', 'TW', 'ROW'), ('C26', 'C27', 'C28', 'C29', 'OTH'))
    >>> round(float(t.output.sum()) / 1e12)      # world gross output, tn USD per year
    178
    """
    return _load(None if path is None else str(path))


def value_added_by_region(table: IOTable) -> np.ndarray:
    """Normal value added (GDP at basic prices) per region, USD per year, shape (R,).

    Examples
    --------
    >>> t = load_io_table()
    >>> round(float(value_added_by_region(t)[t.regions.index("US")]) / 1e12, 1)   # tn USD
    23.3
    """
    n_r, n_s = len(table.regions), len(table.sectors)
    return (table.value_added * table.output.reshape(-1)).reshape(n_r, n_s).sum(axis=1)
