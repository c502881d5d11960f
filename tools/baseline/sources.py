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
SIG_ORE = V(0.5, "assumption: raw minerals have very low short-run substitutability, 0.5-1 (below the "
                 "GTAP Armington ESUBD 0.9 for minerals nec, GTAP Data Base defaults, Hertel, Hummels, Ivanic & "
                 "Keeney 2007); lower end for ores tied to one refinery route")
SIG_REF = V(1.0, "assumption: critical minerals 0.5-1 in the short run (GTAP minerals nec ESUBD 0.9, "
                 "Hertel et al. 2007); upper end for refined products")
SIG_MAT = V(2.0, "GTAP Armington ESUBD 3.3 for chemicals, rubber, plastics (GTAP Data Base defaults, Hertel, "
                 "Hummels, Ivanic & Keeney 2007), cut to 2.0 because cathode/anode grades "
                 "need customer qualification (assumption)")
SIG_CELL = V(2.8, "GTAP Armington ESUBD 2.8 for motor vehicles and parts (GTAP Data Base defaults, Hertel, "
                  "Hummels, Ivanic & Keeney 2007; cells are qualified per vehicle platform)")
SIG_MAGNET = V(1.0, "assumption: critical-mineral products 0.5-1 in the short run (GTAP minerals nec ESUBD "
                    "0.9, Hertel et al. 2007; in the 2010-11 rare-earth episode substitution took years)")
SIG_SEMI_MAT = V(1.5, "GTAP Armington ESUBD 3.3 for chemicals (GTAP Data Base defaults, Hertel et al. 2007), "
                      "halved because fab materials are qualified per "
                      "process (assumption; cf. 2019 JP->KR curbs)")
SIG_WAFER = V(2.0, "assumption: chips 2-4 over 1-2 years (below the GTAP electronic-equipment ESUBD 4.4, "
                   "Hertel et al. 2007); lower end for qualified silicon wafers")
SIG_CHIP = V(2.0, "assumption: chips 2-4 over 1-2 years (below the GTAP electronic-equipment ESUBD 4.4, "
                  "Hertel et al. 2007), near zero short run for node-specific parts (2021-22 shortage, US "
                  "Commerce RFI 2022); lower end used")

# ---- stock cover shared by several commodities ----
COVER_ORE = V(45.0, "assumption: US mineral stocks hold ~45-100 days of consumption (USGS MCS 2026 salient "
                    "statistics: cobalt 44-57, gallium 65, nickel 100 days); lower end for refinery feed")
COVER_OUT = V(15.0, "assumption: producers hold ~2 weeks of finished output (no published figure found)")
COVER_BATT_IN = V(60.0, "assumption: battery-maker raw-material buffers ~1-3 months (buying ahead of China's "
                        "Dec 2023 graphite licensing, Fastmarkets 2023); mid value 60 d")
