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
#: Sintered NdFeB magnets, USD/t: China's export unit value of 2024 (tools/baseline/minerals.py cites it)
MAGNET_PRICE = 49200.0
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

# ---- semiconductor back end (assembly, test and packaging): where it is and whose it is ----
#: back-end facilities by location, Q4 2021 (OSAT and IDM, including some under construction or planned)
ATP_SITES = frozen({"CN": 134, "TW": 111, "SEA": 95, "AM": 65, "JP": 31, "KR": 24, "EU": 24})
#: outsourced (OSAT) facilities where published; the other locations' counts follow from the totals
ATP_SITES_OSAT = frozen({"CN": 111, "TW": 107, "AM": 45})
#: integrated device makers' (IDM) own back-end facilities where published
ATP_SITES_IDM = frozen({"SEA": 50, "AM": 20})
ATP_SITES_TOTAL = frozen({"OSAT": 373, "IDM": 111})
ATP_SITES_SRC = ("SEMI and TechSearch International, Worldwide Assembly & Test Facility Database, press release 23 "
                 "Feb 2022 (Q4 2021 edition, the first to count IDMs' own sites): 484 back-end facilities, 373 OSAT "
                 "and 111 IDM; China 134, Taiwan 111, South-East Asia 95, Americas 65, Japan 31, Korea 24, Europe 24; "
                 "OSAT facilities China 111, Taiwan 107, Americas over 45; IDM facilities South-East Asia 50, China "
                 "around 25, Americas around 20 (via Evertiq, 24 Feb 2022, and global-net.co.jp)")
#: back-end (ATP) site capacity by country, 2022, percent of world
ATP_CAPACITY = frozen({"CN": 30.0, "TW": 28.0, "KR": 9.0, "JP": 6.0, "US": 3.0, "EU": 3.0, "SEA": 20.0})
ATP_CAPACITY_SRC = ("CSET/ETO Chip Explorer dataset, 'Assembly, testing, and packaging (ATP)', 2022 ATP site capacity "
                    "by country (from SIA/BCG, Emerging Resilience in the Semiconductor Supply Chain, May 2024): China "
                    "30, Taiwan 28, Korea 9, Japan 6, US 3, Europe 3, various countries (Malaysia, Vietnam, the "
                    "Philippines, Singapore, Thailand) 20")
#: Malaysia's back end and where its chips go
MY_ATP = V(0.13, "Malaysia Semiconductor Industry Association (president Wong Siew Hai, The Star, 24 Sep 2021): "
                 "Malaysia's assembly and test back end is about 13% of world capacity; about 7% of world "
                 "semiconductor trade flows through Malaysia")
MY_TO_US = V(0.20, "Malaysia Semiconductor Industry Association (Wong Siew Hai, Bernama, Apr 2024): 20% of Malaysia's "
                   "semiconductor exports go to the United States; Singapore, the US, China, Hong Kong and Vietnam "
                   "are its largest electrical and electronic export markets (MATRADE, The Star, 30 Mar 2022)")
