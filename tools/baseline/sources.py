"""Shared constants, cited inputs and small helpers used by every value chain.

Everything here is read-only: tables are wrapped in ``MappingProxyType`` and values are
immutable :class:`V` records, so importing a module never builds or changes state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

DAYS = 365.0
REGIONS = ("JP", "KR", "US", "CN", "TW", "ROW")
ASIA = frozenset({"CN", "JP", "KR", "TW"})

#: the three data files holding facilities, demands and lanes
SEMI = "semiconductors.toml"
BATT = "batteries.toml"
MIN = "minerals.toml"


def sig(x: float, n: int = 6) -> float:
    """``x`` rounded to ``n`` significant digits."""
    return float(f"{x:.{n}g}")


def fmt(x: float) -> str:
    """A number as written in a source string (6 significant digits, thousands separators)."""
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def frozen(table: dict) -> Mapping:
    """A read-only view of a constant table."""
    return MappingProxyType(table)


@dataclass(frozen=True)
class V:
    """A value with its source (and optional extra numbers such as a low/high range)."""

    value: float
    source: str
    extra: Mapping[str, float] = field(default_factory=dict)

    def __init__(self, value: float, source: str, **extra: float) -> None:
        object.__setattr__(self, "value", float(value))
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "extra", frozen(dict(extra)))


USGS = "USGS Mineral Commodity Summaries 2026"

# ---- prices used by more than one chain (USD per unit; cited where each commodity is defined) ----
LCE_PRICE = 9000.0
CO_PRICE = 15.0 * 2204.62
NI_PRICE = 15000.0
MN_SULPHATE_PRICE = 3500.0
NDPR_PRICE = 69000.0
GA_PRICE = 580.0
GE_PRICE = 4100.0

LCE_PER_LI = 5.323  # t Li2CO3 per t Li: 73.89 / (2 x 6.941)

#: world germanium refinery output, kg/yr: China 85,000 kg / 0.80 China share
GE_WORLD = 85_000 / 0.80
#: world primary gallium output, kg/yr
GA_WORLD = 900_000

# Wood Mackenzie base case 2023 (via Visual Capitalist): battery demand and material demand.
WM = frozen(dict(gwh=1152.0, cam=2132e3, lce=878e3, ni=596e3, co=147e3, mn=207e3, graphite=1119e3))
WM_SRC = ("Wood Mackenzie battery raw-material base case 2023 (via Visual Capitalist 2023): 1,152 GWh, "
          "2,132 kt CAM, 878 kt LCE, 596 kt Ni, 147 kt Co, 207 kt Mn, 1,119 kt graphite")

# ---- substitution elasticities shared by several commodities ----
SIG_ORE = V(0.5, "calibration.md §4.4: raw minerals have very low short-run substitutability, use 0.5-1 "
                 "(below GTAP omn ESUBD 0.9); lower end for ores tied to one refinery route")
SIG_REF = V(1.0, "calibration.md §4.4: critical minerals 0.5-1 in the short run; upper end for refined products")
SIG_MAT = V(2.0, "calibration.md §4.4: GTAP crp ESUBD 3.3 (chemicals), cut to 2.0 because cathode/anode grades "
                 "need customer qualification (assumption)")
SIG_CELL = V(2.8, "calibration.md §4.4: GTAP mvh ESUBD 2.8 (motor vehicles & parts; cells are qualified per "
                  "vehicle platform)")
SIG_MAGNET = V(1.0, "calibration.md §4.4: critical-mineral products 0.5-1 short run (2010-11 REE episode: "
                    "substitution took years)")
SIG_SEMI_MAT = V(1.5, "calibration.md §4.4: GTAP crp ESUBD 3.3, halved because fab materials are qualified per "
                      "process (assumption; cf. 2019 JP->KR curbs)")
SIG_WAFER = V(2.0, "calibration.md §4.4: chips 2-4 over 1-2 years; lower end for qualified silicon wafers")
SIG_CHIP = V(2.0, "calibration.md §4.4: chips 2-4 over 1-2 years, near zero short run for node-specific parts; "
                  "lower end used")

# ---- stock cover shared by several commodities ----
COVER_ORE = V(45.0, "calibration.md §4.2: mineral stocks ~45-100 days (USGS-based calc.); lower end for "
                    "refinery feed")
COVER_OUT = V(15.0, "assumption: producers hold ~2 weeks of finished output (no figure in calibration.md)")
COVER_BATT_IN = V(60.0, "calibration.md §4.2: battery-maker raw-material buffers ~1-3 months (Fastmarkets, 2023); "
                        "mid value 60 d")
