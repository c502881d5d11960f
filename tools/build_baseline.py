"""Derive the supplychain baseline data files (TOML) from cited public figures.

Kept outside the package: it does the arithmetic (unit
conversions, RAS balancing of trade matrices, balancing "other uses" demand)
so that every number written to the TOML files is consistent, and writes the
derivation next to each number.

Run:  python tools/build_baseline.py supplychain/data/baseline
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

DAYS = 365.0
REGIONS = ["JP", "KR", "US", "CN", "TW", "ROW"]
ASIA = {"CN", "JP", "KR", "TW"}


def sig(x: float, n: int = 6) -> float:
    return float(f"{x:.{n}g}")


def fmt(x: float) -> str:
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


class V:
    """A value with its source."""

    def __init__(self, value: float, source: str, **extra: float) -> None:
        self.value = float(value)
        self.source = source
        self.extra = extra


# ---------------------------------------------------------------------------------------------
# Cited inputs
# ---------------------------------------------------------------------------------------------
U_MINE = 0.85
U_MINE_SRC = "assumption: mine utilisation 85% (no mine-utilisation figure in calibration.md)"
U_REF = 0.80
U_REF_SRC = ("utilisation 80%: calibration.md §4.3 Indonesian nickel processing 75-79% (2023, Indonesian govt) "
             "used as the refinery proxy")
U_CN_BATT = 0.45
U_CN_BATT_SRC = "utilisation 45%: China battery-cell industry 2022 (CRU; calibration.md §4.3)"
U_X_BATT = 0.80
U_X_BATT_SRC = "utilisation 80%: battery plants outside China need 75-85% to break even (CRU 2023; calibration.md §4.3)"

LCE_PER_LI = 5.323  # t Li2CO3 per t Li: 73.89 / (2 x 6.941)

# Wood Mackenzie base case 2023 (via Visual Capitalist): battery demand and material demand.
WM = dict(gwh=1152.0, cam=2132e3, lce=878e3, ni=596e3, co=147e3, mn=207e3, graphite=1119e3)
WM_SRC = ("Wood Mackenzie battery raw-material base case 2023 (via Visual Capitalist 2023): 1,152 GWh, "
          "2,132 kt CAM, 878 kt LCE, 596 kt Ni, 147 kt Co, 207 kt Mn, 1,119 kt graphite")
CAM_PER_GWH = WM["cam"] / WM["gwh"]
AAM_PER_GWH = WM["graphite"] / WM["gwh"]

# World Li-ion cell demand 2025: SNE EV installations 1,187 GWh / EV share 85% (IEA 2024).
CELL_WORLD = 1187.0 / 0.85 / DAYS  # GWh/day
CELL_WORLD_SRC = ("derived: 1,187 GWh EV-battery installations 2025 (SNE Research) / 0.85 EV share of battery "
                  f"demand (IEA 2024) = {1187/0.85:,.0f} GWh/yr world Li-ion demand")

# ---------------------------------------------------------------------------------------------
# Lead times and freight
# ---------------------------------------------------------------------------------------------


def band(o: str, d: str) -> str:
    if o == d:
        return "domestic"
    if o in ASIA and d in ASIA:
        return "intra_asia"
    if {o, d} <= ASIA | {"US"}:
        return "transpacific"
    return "long_haul"


SEA_LT = {
    "domestic": (3.0, 2.0, 5.0, "assumption: domestic truck/rail door-to-door 2-5 days"),
    "intra_asia": (10.0, 7.0, 12.0, "calibration.md §4.1: intra-Asia door-to-door 7-12 days (industry schedules)"),
    "transpacific": (25.0, 20.0, 30.0, "calibration.md §4.1: China->US West Coast door-to-door 20-30 days "
                                       "(industry guides; Flexport)"),
    "long_haul": (35.0, 20.0, 50.0, "assumption: ROW legs mix Australia (~3 wk), Europe (China->N. Europe 28-35 d "
                                    "port-to-port, calibration.md §4.1), S. America and Africa; 35 d mid value"),
}
AIR_LT = {
    "domestic": (2.0, 1.0, 3.0, "assumption: domestic express 1-3 days"),
    "intl": (6.0, 5.0, 7.0, "calibration.md §4.1: air freight ~5-7 days door-to-door (chips typically move by air)"),
}
AIR_COMMODITIES = {"memory_wafer", "logic_wafer", "mature_wafer", "memory_chip", "logic_chip", "mature_chip",
                   "photoresist"}
BULK = {"lithium_ore", "cobalt_ore", "nickel_ore", "graphite_ore", "manganese_ore", "rare_earth_ore",
        "gallium_crude", "germanium_conc"}


def lead_time(o: str, d: str, c: str) -> V:
    b = band(o, d)
    if c in AIR_COMMODITIES:
        val, lo, hi, src = AIR_LT["domestic" if b == "domestic" else "intl"]
        if c == "photoresist":
            src += "; assumption: photoresist flown (short shelf life)"
    else:
        val, lo, hi, src = SEA_LT[b]
    return V(val, src, low=lo, high=hi)


FREIGHT_RATE = {  # ad-valorem freight + insurance, by class and band
    "bulk": {"domestic": 0.02, "intra_asia": 0.05, "transpacific": 0.08, "long_haul": 0.08},
    "goods": {"domestic": 0.005, "intra_asia": 0.015, "transpacific": 0.03, "long_haul": 0.03},
    "air": {"domestic": 0.001, "intra_asia": 0.005, "transpacific": 0.005, "long_haul": 0.005},
}


def freight(o: str, d: str, c: str, price: float, unit: str) -> V:
    b = band(o, d)
    cls = "air" if c in AIR_COMMODITIES else "bulk" if c in BULK else "goods"
    r = FREIGHT_RATE[cls][b]
    return V(sig(r * price, 4), f"assumption: freight+insurance {r:.1%} of value ({cls}, {b.replace('_', ' ')}) "
                                f"x price {fmt(price)} USD/{unit}; calibration.md has no freight rates")


# ---------------------------------------------------------------------------------------------
# Commodities
# ---------------------------------------------------------------------------------------------
COMMODITIES: dict[str, dict] = {}


def commodity(cid, name, unit, chain, price: V, sigma: V, cover_in: V, cover_out: V) -> None:
    COMMODITIES[cid] = dict(id=cid, name=name, unit=unit, chain=chain, price_usd=price, elasticity=sigma,
                            input_cover_days=cover_in, output_cover_days=cover_out)


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

COVER_ORE = V(45.0, "calibration.md §4.2: mineral stocks ~45-100 days (USGS-based calc.); lower end for "
                    "refinery feed")
COVER_OUT = V(15.0, "assumption: producers hold ~2 weeks of finished output (no figure in calibration.md)")
COVER_BATT_IN = V(60.0, "calibration.md §4.2: battery-maker raw-material buffers ~1-3 months (Fastmarkets, 2023); "
                        "mid value 60 d")


def build_commodities() -> None:
    lce_price = 9000.0
    co_price = 15.0 * 2204.62
    ni_price = 15000.0
    ndpr_price = 69000.0
    ga_price = 580.0
    ge_price = 4100.0
    half = "assumption: ore/concentrate paid ~50% of the refined value of its content (typical payability)"
    commodity("lithium_ore", "Lithium in concentrate/brine (Li content)", "t Li", "minerals",
              V(sig(0.5 * lce_price * LCE_PER_LI), f"{half}: 0.5 x 9,000 USD/t LCE x 5.323 t LCE/t Li"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    commodity("lithium_chem", "Lithium chemicals (carbonate/hydroxide, LCE)", "t LCE", "minerals",
              V(lce_price, "USGS Mineral Commodity Summaries 2026, lithium: battery-grade Li carbonate 2025e "
                           "average 9,000 USD/t (Benchmark data)"),
              SIG_REF, COVER_BATT_IN, COVER_OUT)
    commodity("cobalt_ore", "Cobalt in hydroxide/concentrate (Co content)", "t Co", "minerals",
              V(sig(0.5 * co_price), f"{half}: 0.5 x LME cobalt 15 USD/lb (2025e, USGS MCS 2026)"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    commodity("cobalt_refined", "Refined cobalt (metal, sulphate; Co content)", "t Co", "minerals",
              V(sig(co_price), "USGS Mineral Commodity Summaries 2026, cobalt: LME cash 15 USD/lb 2025e "
                               "x 2,204.62 lb/t"),
              SIG_REF, V(57.0, "calibration.md §4.2: US cobalt industry stocks 1,500 t ≈ 57 days of apparent "
                               "consumption (USGS MCS 2026, 2025e)"), COVER_OUT)
    commodity("nickel_ore", "Nickel in ore/MHP/matte (Ni content)", "t Ni", "minerals",
              V(sig(0.5 * ni_price), f"{half}: 0.5 x LME nickel 15,000 USD/t (2025e, USGS MCS 2026)"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    commodity("nickel_refined", "Refined nickel (class 1, sulphate, NPI; Ni content)", "t Ni", "minerals",
              V(ni_price, "USGS Mineral Commodity Summaries 2026, nickel: LME cash 15,000 USD/t 2025e"),
              SIG_REF, V(100.0, "calibration.md §4.2: US nickel consumer stocks 25,000 t ≈ 100 days of primary "
                                "consumption (USGS MCS 2026, 2025e)"), COVER_OUT)
    commodity("graphite_ore", "Natural flake graphite", "t", "minerals",
              V(1000.0, "USGS Mineral Commodity Summaries 2026, graphite: US import unit value of flake 2025e "
                        "1,000 USD/t"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    commodity("graphite_spherical", "Spherical purified (battery-grade) natural graphite", "t", "minerals",
              V(2500.0, "assumption: ~2 t flake (2 x 1,000 USD/t, USGS MCS 2026) plus purification; "
                        "2,500 USD/t"),
              SIG_REF, COVER_BATT_IN, COVER_OUT)
    commodity("manganese_ore", "Manganese ore (Mn content)", "t Mn", "minerals",
              V(450.0, "USGS Mineral Commodity Summaries 2026, manganese: ore 44% Mn cif China 4.50 USD/dmtu "
                       "2025e (CRU) = 450 USD/t Mn contained (1 dmtu = 10 kg Mn)"),
              SIG_ORE, V(175.0, "calibration.md §4.2: US manganese ore stocks ≈ 170-180 days of reported "
                                "consumption (USGS MCS 2026, 2024-25)"), COVER_OUT)
    commodity("manganese_sulphate", "High-purity manganese sulphate (Mn content)", "t Mn", "minerals",
              V(3500.0, "assumption: HPMSM ~1,100 USD/t product at 32% Mn ≈ 3,500 USD/t Mn (unverified "
                        "industry quote)"),
              SIG_REF, COVER_BATT_IN, COVER_OUT)
    commodity("rare_earth_ore", "Rare-earth concentrate (REO content)", "t REO", "minerals",
              V(sig(0.5 * 0.25 * ndpr_price), f"{half}, counting only the NdPr (25% of REO, assumption) "
                                              "at 69 USD/kg: 0.5 x 0.25 x 69,000"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    commodity("ndpr_oxide", "Separated NdPr oxide (magnet rare earths)", "t", "minerals",
              V(ndpr_price, "USGS Mineral Commodity Summaries 2026, rare earths: NdPr oxide fob 69 USD/kg 2025e "
                            "(Argus)"),
              SIG_REF, V(60.0, "calibration.md §4.2: Japan national stockpile target 60 days of consumption "
                               "(METI/JOGMEC)"), COVER_OUT)
    commodity("ndfeb_magnet", "Sintered NdFeB permanent magnets", "t", "minerals",
              V(sig(0.30 * ndpr_price / 0.75), "derived: 0.30 t NdPr oxide/t magnet x 69,000 USD/t / 0.75 "
                                               "(neodymium oxide is >3/4 of magnet cost, MacroPolo 2024)"),
              SIG_MAGNET, V(60.0, "calibration.md §4.2: importers hold ~1-3 months (pre-control rushes); 60 d "
                                  "mid value"), COVER_OUT)
    commodity("gallium_crude", "Primary low-purity gallium", "kg", "minerals",
              V(sig(0.5 * ga_price), f"{half}: 0.5 x 580 USD/kg"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    commodity("gallium", "High-purity refined gallium", "kg", "minerals",
              V(ga_price, "USGS Mineral Commodity Summaries 2026, gallium: US import unit value of Ga metal "
                          "2025e 580 USD/kg"),
              SIG_REF, V(65.0, "calibration.md §4.2: US gallium consumer stocks 3,400 kg ≈ 65 days of US "
                               "consumption (USGS MCS 2026, 2025e)"), COVER_OUT)
    commodity("germanium_conc", "Germanium in zinc residues / fly-ash concentrate", "kg", "minerals",
              V(sig(0.5 * ge_price), f"{half}: 0.5 x 4,100 USD/kg"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    commodity("germanium", "Refined germanium (metal, GeO2, GeCl4; Ge content)", "kg", "minerals",
              V(ge_price, "USGS Mineral Commodity Summaries 2026, germanium: Ge metal Europe 99.999% 2025e "
                          "4,100 USD/kg (Argus)"),
              SIG_REF, V(65.0, "assumption: as for gallium, 65 days (USGS-based US Ga stocks, "
                               "calibration.md §4.2)"), COVER_OUT)
    # Batteries
    cam_metal = (WM["lce"] * lce_price + WM["ni"] * ni_price + WM["co"] * co_price + WM["mn"] * 3500.0) / WM["cam"]
    commodity("cam", "Cathode active material (NMC/NCA/LFP mix)", "t", "batteries",
              V(sig(cam_metal / 0.75, 4), f"derived: refined-metal content per t CAM (Wood Mackenzie 2023 ratios) at "
                                          f"2025 prices = {cam_metal:,.0f} USD/t / 0.75 (assumption: metals ≈ 75% of "
                                          "CAM price)"),
              SIG_MAT, V(30.0, "assumption: cell makers hold ~1 month of active materials (calibration.md §4.2: "
                               "battery makers 1-3 months)"), COVER_OUT)
    commodity("aam", "Anode active material (graphite)", "t", "batteries",
              V(4000.0, "assumption: 4,000 USD/t (Chinese anode material 2024-25 roughly 3,000-5,000 USD/t, "
                        "unverified)"),
              SIG_MAT, V(30.0, "assumption: cell makers hold ~1 month of active materials (calibration.md §4.2: "
                               "battery makers 1-3 months)"), COVER_OUT)
    commodity("li_ion_cell", "Lithium-ion battery cells", "GWh", "batteries",
              V(75e6, "IEA 2024: average BEV pack <100 USD/kWh; assumption: cells ≈ 75% of pack cost -> "
                      "75 USD/kWh = 75 million USD/GWh"),
              SIG_CELL, V(30.0, "assumption: vehicle/ESS makers hold ~1 month of cells (calibration.md §4.2: "
                                "battery buffers 1-3 months)"), COVER_OUT)
    # Semiconductors (prices of chips set later from volumes)
    commodity("wafer_300mm", "Prime silicon wafers", "wafer (300 mm-eq)", "semiconductors",
              V(sig(12.6e9 / 14.1e9 * 109.6, 4), "derived: 12.6 bn USD / 14.1 bn in² silicon wafer market 2021 "
                                                "(SEMI; calibration.md §3.4) = 0.894 USD/in² x 109.6 in² per "
                                                "300 mm wafer"),
              SIG_WAFER, V(30.0, "assumption: fabs hold ~1 month of wafers and wet chemicals"), COVER_OUT)
    commodity("photoresist", "Photoresists (all grades), in value units", "kUSD", "semiconductors",
              V(1000.0, "definition: 1 unit = 1,000 USD of photoresist at 2024 prices (no physical volume "
                        "data; market 2.57 bn USD, TECHCET 2024)"),
              SIG_SEMI_MAT, V(30.0, "assumption: fabs hold ~1 month of resist (shelf life ~6 months)"), COVER_OUT)
    commodity("hf_high_purity", "High-purity hydrogen fluoride (etchant)", "t", "semiconductors",
              V(1800.0, "assumption: ~1,800 USD/t (order of Japan's pre-2019 export unit value to Korea, "
                        "unverified)"),
              SIG_SEMI_MAT, V(30.0, "assumption: fabs hold ~1 month of wafers and wet chemicals"), COVER_OUT)


# ---------------------------------------------------------------------------------------------
# Network pieces
# ---------------------------------------------------------------------------------------------
FAC: dict[str, dict] = {}
LANES: list[dict] = []
DEMANDS: dict[str, dict] = {}
FILE_OF: dict[str, str] = {}  # facility/demand id -> file


def fid(region: str, stage: str, output: str) -> str:
    return f"{region}.{stage}.{output}"


def facility(file: str, region: str, stage: str, output: str, production: float, util: float, cap_src: str,
             recipe: dict[str, V] | None = None, capacity: float | None = None) -> str:
    i = fid(region, stage, output)
    cap = capacity if capacity is not None else production / util
    FAC[i] = dict(id=i, region=region, stage=stage, output=output, production=production,
                  capacity_per_day=V(sig(cap), cap_src), recipe=recipe or {})
    FILE_OF[i] = file
    return i


def demand(file: str, region: str, c: str, rate: float, src: str) -> str:
    i = f"{region}.demand.{c}"
    assert i not in DEMANDS, i
    DEMANDS[i] = dict(id=i, region=region, commodity=c, rate_per_day=V(sig(rate), src))
    FILE_OF[i] = file
    return i


def lane(origin: str, dest: str, c: str, share: float, share_src: str) -> None:
    o_reg = origin.split(".")[0]
    d_reg = dest.split(".")[0]
    com = COMMODITIES[c]
    LANES.append(dict(origin=origin, destination=dest, commodity=c, share=V(sig(share, 4), share_src),
                      lead_time_days=lead_time(o_reg, d_reg, c),
                      freight_usd_per_unit=freight(o_reg, d_reg, c, com["price_usd"].value, com["unit"]),
                      file=None))


def _ras_fit(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray | None:
    x = x.copy()
    for _ in range(20000):
        r = x.sum(axis=1)
        x *= np.divide(rows, r, out=np.zeros_like(rows), where=r > 0)[:, None]
        c = x.sum(axis=0)
        x *= np.divide(cols, c, out=np.zeros_like(cols), where=c > 0)[None, :]
        if np.allclose(x.sum(axis=1), rows, rtol=1e-10, atol=1e-12):
            return x
    return None


def ras(prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, prune: float = 0.06,
        keep: np.ndarray | None = None) -> np.ndarray:
    """Bi-proportional (RAS) fit of ``prior`` to row and column totals.

    Then repeatedly drops links that are small for both ends (below ``prune`` of the buyer's supply
    and below 4 * ``prune`` of the supplier's sales) while the fit stays feasible.
    """
    assert abs(rows.sum() - cols.sum()) < 1e-6 * max(rows.sum(), 1), (rows.sum(), cols.sum())
    x = _ras_fit(prior.astype(float), rows, cols)
    if x is None:
        raise RuntimeError(f"RAS did not converge: prior {prior}, rows {rows}, cols {cols}")
    for _round in range(6):
        col_share = x / np.where(x.sum(axis=0) > 0, x.sum(axis=0), 1)[None, :]
        row_share = x / np.where(x.sum(axis=1) > 0, x.sum(axis=1), 1)[:, None]
        small = (x > 0) & (col_share < prune) & (row_share < 4 * prune)
        if keep is not None:
            small &= ~keep
        if not small.any():
            return x
        trial = x.copy()
        trial[small] = 0.0
        fitted = _ras_fit(trial, rows, cols)
        if fitted is None:
            return x
        x = fitted
    return x


def balance_trade(file, commodity_id, suppliers: dict[str, str], buyers: dict[str, float],
                  targets: dict[str, float], prior_fn, prior_src: str, target_src: str) -> dict[str, float]:
    """RAS-balance supplier->buyer flows; add lanes; return supplier production."""
    s_ids = list(suppliers)
    b_ids = list(buyers)
    prior = np.array([[prior_fn(suppliers[s], b) for b in b_ids] for s in s_ids], dtype=float)
    rows = np.array([targets[s] for s in s_ids])
    cols = np.array([buyers[b] for b in b_ids])
    keep = np.array([[b.split(".")[0] == suppliers[s] for b in b_ids] for s in s_ids])
    x = ras(prior, rows, cols, keep=keep)
    for j, b in enumerate(b_ids):
        tot = x[:, j].sum()
        for i, s in enumerate(s_ids):
            if x[i, j] > 0:
                lane(s, b, commodity_id, x[i, j] / tot,
                     f"derived: RAS-balanced trade matrix; prior {prior_src}; supplier totals {target_src}; "
                     f"flow {fmt(x[i, j])} of the buyer's {fmt(tot)} {COMMODITIES[commodity_id]['unit']}/day")
    return {s: float(x[i].sum()) for i, s in enumerate(s_ids)}


def source_direct(file, commodity_id, refineries: dict[str, str], buyers: dict[str, float],
                  priors: dict[str, dict[str, float]], prior_src: dict[str, str]) -> dict[str, float]:
    """Buyers source by cited/assumed shares (no balancing); returns flow drawn from each refinery."""
    drawn = defaultdict(float)
    for b, use in buyers.items():
        breg = b.split(".")[0]
        p = priors[breg]
        tot = sum(p.values())
        for sreg, w in p.items():
            s = refineries[sreg]
            drawn[s] += use * w / tot
            lane(s, b, commodity_id, w / tot, f"{prior_src[breg]}; flow {fmt(use * w / tot)} of "
                                              f"{fmt(use)} {COMMODITIES[commodity_id]['unit']}/day")
    return drawn


# ---------------------------------------------------------------------------------------------
# Semiconductors
# ---------------------------------------------------------------------------------------------
SEMI = "semiconductors.toml"
BATT = "batteries.toml"
MIN = "minerals.toml"

CSET_FAB = {"CN": 24, "TW": 18, "KR": 17, "JP": 17, "US": 10, "ROW": 15}
CSET_ATP = {"CN": 30, "TW": 28, "KR": 9, "JP": 6, "US": 3, "ROW": 23}
CSET_WAFER = {"JP": 56, "TW": 16, "ROW": 14, "KR": 10, "CN": 4}
WORLD_FAB_CAP = 33.7e6 * 12 / 2.25 / DAYS  # 300mm-eq wafers/day
FAB_CAP_SRC = ("world fab capacity 33.7M wafers/month 200mm-eq 2025 (SEMI World Fab Forecast; calibration.md §3.1) "
               f"x12/2.25/365 = {WORLD_FAB_CAP:,.0f} 300mm-eq wafers/day")
SEG_SHARE = {"memory": 0.36, "logic": 0.04}
SEG_SHARE["mature"] = 1 - SEG_SHARE["memory"] - SEG_SHARE["logic"]
SEG_SRC = {
    "memory": "memory = 36% of installed capacity (IC Insights Global Wafer Capacity 2013, Dec 2012: 36.1%)",
    "logic": ("advanced logic (<10 nm) = 4% of capacity (assumption: ~0.6M wpm 300 mm at TSMC/Samsung/Intel "
              "<=7 nm vs ~15M wpm 300mm-eq world)"),
}
MEM_SPLIT = {"KR": 0.42, "CN": 0.26, "JP": 0.14, "TW": 0.08, "US": 0.04, "ROW": 0.06}
MEM_SRC = ("assumption: memory capacity by site from TrendForce 2024 revenue shares (Samsung+SK hynix ~75% DRAM, "
           "~56% NAND; Kioxia 15% NAND; Micron 22% DRAM) and fab locations (Samsung Xi'an, SK hynix Wuxi/Dalian, "
           "Micron TW/JP/SG, Kioxia JP)")
LOGIC_SPLIT = {"TW": 0.68, "KR": 0.20, "US": 0.12}
LOGIC_SRC = ("TrendForce advanced foundry (<=16/14 nm) 2023: TW 68%, US 12% (calibration.md §3.1); KR takes the "
             "remaining 20% (assumption: Samsung)")
UTIL_FAB = {"memory": 0.90, "logic": 0.95, "mature": 0.75}
UTIL_FAB_SRC = {
    "memory": "utilisation 90% (fabs ~90% forecast 2025, DIGITIMES/TechInsights; calibration.md §4.3)",
    "logic": "utilisation 95% (TSMC leading edge ~100%+ H2 2024, TrendForce; calibration.md §4.3)",
    "mature": "utilisation 75% (mature-node foundry 70-80% 2024, TrendForce; calibration.md §4.3)",
}
CHIP_SALES = {"memory": 165.1e9, "logic": 212.6e9, "mature": 627.6e9 - 165.1e9 - 212.6e9}
CHIP_SALES_SRC = {
    "memory": "memory sales 2024 165.1 bn USD (SIA/WSTS, Feb 2025)",
    "logic": "logic sales 2024 212.6 bn USD (SIA/WSTS, Feb 2025)",
    "mature": "total 627.6 bn - memory 165.1 - logic 212.6 = 249.9 bn USD 2024 (SIA/WSTS, Feb 2025)",
}
# WSTS Dec 2024 monthly sales (3-month average): Americas 20.05, Europe 4.2, Japan 4.0, China 15.5, APAC/other 13.3.
WSTS = {"US": 20.05, "EU": 4.2, "JP": 4.0, "CN": 15.5, "APAC": 13.3}
WSTS_TOT = sum(WSTS.values())
CHIP_DEMAND_SHARE = {"US": WSTS["US"] / WSTS_TOT, "JP": WSTS["JP"] / WSTS_TOT, "CN": WSTS["CN"] / WSTS_TOT,
                     "KR": 0.05, "TW": 0.08}
CHIP_DEMAND_SHARE["ROW"] = 1 - sum(CHIP_DEMAND_SHARE.values())
CHIP_DEMAND_SRC = {
    "US": "Americas 20.05 of 57.05 bn USD, Dec 2024 (SIA/WSTS monthly sales, 3-month avg)",
    "JP": "Japan 4.0 of 57.05 bn USD, Dec 2024 (SIA/WSTS)",
    "CN": "China 15.5 of 57.05 bn USD, Dec 2024 (SIA/WSTS)",
    "KR": "assumption: 5% of world, carved from WSTS Asia Pacific/All Other 13.3 of 57.05 bn USD (Dec 2024)",
    "TW": "assumption: 8% of world (AI-server assembly), carved from WSTS Asia Pacific/All Other 13.3 of 57.05 bn USD",
    "ROW": "derived: Europe 4.2 + Asia Pacific/All Other 13.3 of 57.05 bn USD (SIA/WSTS, Dec 2024) minus KR and TW",
}

SEG_WAFER = {"memory": "memory_wafer", "logic": "logic_wafer", "mature": "mature_wafer"}
SEG_CHIP = {"memory": "memory_chip", "logic": "logic_chip", "mature": "mature_chip"}

FAB_USE: dict[str, dict[str, float]] = {}  # fab id -> {input: units/day}
FAB_OUT: dict[str, float] = {}


def build_semis() -> dict:
    # Fab capacity by region and segment.
    cap: dict[tuple[str, str], float] = {}
    cap_src: dict[tuple[str, str], str] = {}
    for r in REGIONS:
        tot = CSET_FAB[r] / sum(CSET_FAB.values()) * WORLD_FAB_CAP
        mem = MEM_SPLIT[r] * SEG_SHARE["memory"] * WORLD_FAB_CAP
        log = LOGIC_SPLIT.get(r, 0) * SEG_SHARE["logic"] * WORLD_FAB_CAP
        mat = tot - mem - log
        assert mat > 0, r
        cap[(r, "memory")] = mem
        cap_src[(r, "memory")] = (f"derived: {MEM_SPLIT[r]:.0%} of memory capacity ({SEG_SRC['memory']}) of "
                                  f"{FAB_CAP_SRC}; site split {MEM_SRC}")
        if log > 0:
            cap[(r, "logic")] = log
            cap_src[(r, "logic")] = (f"derived: {LOGIC_SPLIT[r]:.0%} of advanced-logic capacity ({SEG_SRC['logic']}) "
                                     f"of {FAB_CAP_SRC}; site split {LOGIC_SRC}")
        cap[(r, "mature")] = mat
        cap_src[(r, "mature")] = (f"derived: region's fab capacity {CSET_FAB[r]}% of world (CSET/ETO Chip Explorer "
                                  f"dataset, 2022 'Fabrication'; shares sum to 101, normalised) x {FAB_CAP_SRC} = {tot:,.0f}/day, minus its "
                                  f"memory {mem:,.0f} and advanced-logic {log:,.0f} capacity")
    seg_total = {s: sum(v * UTIL_FAB[s] for (r, ss), v in cap.items() if ss == s) for s in SEG_SHARE}
    # Chip prices.
    prices = {}
    for s in SEG_SHARE:
        p = CHIP_SALES[s] / (seg_total[s] * DAYS)
        prices[s] = p
        commodity(SEG_CHIP[s], f"Packaged {s} chips" if s != "logic" else "Packaged advanced-logic chips",
                  "wafer-eq", "semiconductors",
                  V(sig(p, 4), f"derived: {CHIP_SALES_SRC[s]} / {seg_total[s] * DAYS:,.0f} wafer-eq/yr modelled "
                               "output (unit = good packaged dies from one 300 mm-eq wafer)"),
                  SIG_CHIP, V(40.0, "US Commerce, Results from Semiconductor Supply Chain RFI (Jan 2022): median "
                                    "chip inventory of users 40 days in 2019 (calibration.md §4.2, §5.5)"),
                  COVER_OUT)
        commodity(SEG_WAFER[s], f"Processed {s} wafers (front-end done)", "wafer (300 mm-eq)", "semiconductors",
                  V(sig(0.9 * p, 4), "assumption: processed wafer worth 90% of the packaged chips it yields "
                                     "(ATP ≈ 6% of value added, SIA/BCG 2021, recalled)"),
                  SIG_CHIP, V(14.0, "assumption: packaging houses hold ~2 weeks of die bank"), COVER_OUT)
    # Fabs.
    fab_ids: dict[tuple[str, str], str] = {}
    for (r, s), c in cap.items():
        prod = c * UTIL_FAB[s]
        i = facility(SEMI, r, "fab", SEG_WAFER[s], prod, 1.0, cap_src[(r, s)] + f"; throughput at "
                     f"{UTIL_FAB_SRC[s]}", capacity=c)
        fab_ids[(r, s)] = i
        FAB_OUT[i] = prod
    # Chip demand and packaging.
    for s in SEG_SHARE:
        total = seg_total[s]
        demands = {}
        for r in REGIONS:
            d = demand(SEMI, r, SEG_CHIP[s], CHIP_DEMAND_SHARE[r] * total,
                       f"derived: {CHIP_DEMAND_SHARE[r]:.2%} of world {s} output {total:,.0f} wafer-eq/day "
                       f"(= modelled fab throughput); regional share: {CHIP_DEMAND_SRC[r]}")
            demands[d] = CHIP_DEMAND_SHARE[r] * total
        pk = {}
        targets = {}
        for r in REGIONS:
            prod = CSET_ATP[r] / sum(CSET_ATP.values()) * total
            i = facility(SEMI, r, "packaging", SEG_CHIP[s], prod, 0.80,
                         f"derived: ATP share {CSET_ATP[r]}% (CSET/ETO Chip Explorer dataset, 2022 'Assembly, "
                         f"testing, and packaging'; shares sum to 99, normalised) x world {s} output {total:,.0f} wafer-eq/day / utilisation 0.80 "
                         "(assumption, cf. fabs ~80% H2 2024, calibration.md §4.3)",
                         recipe={SEG_WAFER[s]: V(1.0, "definition: 1 wafer-eq of chips = the good dies of one "
                                                      "processed wafer")})
            pk[i] = r
            targets[i] = prod
        balance_trade(SEMI, SEG_CHIP[s], pk, demands, targets,
                      lambda sreg, b: CSET_ATP[sreg] * (2.0 if b.startswith(sreg + ".") else 1.0),
                      "world ATP shares (CSET/ETO Chip Explorer dataset, 2022) x2 for the home region "
                      "(assumption: home bias)",
                      "ATP shares (CSET/ETO Chip Explorer dataset, 2022)")
        # Fab -> packaging.
        fabs = {fab_ids[(r, ss)]: r for (r, ss) in fab_ids if ss == s}
        ftargets = {f: FAB_OUT[f] for f in fabs}
        balance_trade(SEMI, SEG_WAFER[s], fabs, targets, ftargets,
                      lambda sreg, b: FAB_OUT[fab_ids[(sreg, s)]] * (3.0 if b.startswith(sreg + ".") else 1.0),
                      "fab output shares x3 for packaging in the fab's own region (assumption: IDMs/foundries "
                      "package near the fab)",
                      "modelled fab throughput")
    # Fab inputs.
    seg_of = {i: s for (r, s), i in fab_ids.items()}
    # Silicon wafers: 1.1 per processed wafer.
    wafer_ratio = V(1.1, "assumption: 1 prime wafer per processed wafer plus ~10% test/monitor wafers")
    # Photoresist value per wafer, weighted by lithography intensity.
    pr_w = {"mature": 1.0, "memory": 1.5, "logic": 3.0}
    pr_base = 2.57e9 / DAYS / 1000 / sum(seg_total[s] * pr_w[s] for s in seg_total)  # kUSD per mature wafer
    # HF: Korea's imports 3,000 t/month from JP = 44.6% -> Korea use; per wafer at Korea's fab output.
    kr_out = sum(FAB_OUT[i] for (r, s), i in fab_ids.items() if r == "KR")
    hf_per_wafer = 3000 * 12 / 0.446 / DAYS / kr_out
    # Gallium: 40% of world primary Ga into mature-node (incl. compound) fabs; Ge: 15% into logic+mature fabs.
    ga_semis = 0.40 * 900_000 / DAYS
    ga_per_wafer = ga_semis / seg_total["mature"]
    ge_world = 85_000 / 0.80
    ge_semis = 0.15 * ge_world / DAYS
    ge_per_wafer = ge_semis / (seg_total["mature"] + seg_total["logic"])
    for i, s in seg_of.items():
        rec = {
            "wafer_300mm": wafer_ratio,
            "photoresist": V(sig(pr_base * pr_w[s], 4),
                             f"derived: photoresist market 2.57 bn USD 2024 (TECHCET) spread over modelled wafer "
                             f"starts weighted mature 1 : memory 1.5 : advanced logic 3 (assumption: lithography "
                             f"layers/EUV resist); weight {pr_w[s]}"),
            "hf_high_purity": V(sig(hf_per_wafer, 4),
                                f"derived: Japan's HF exports to Korea ~3,000 t/month (Japan MoF) = 44.6% of Korea's "
                                f"supply (Kyodo, H1 2019) -> {3000 * 12 / 0.446:,.0f} t/yr over Korea's modelled "
                                f"{kr_out:,.0f} wafers/day; same intensity for all fabs (assumption)"),
        }
        if s == "mature":
            rec["gallium"] = V(sig(ga_per_wafer, 4),
                               f"derived: assumption that 40% of world primary gallium (900,000 kg 2025e, USGS MCS "
                               f"2026) goes to GaAs/GaN and other chips made in mature-node fabs, over "
                               f"{seg_total['mature']:,.0f} mature wafers/day")
        if s in ("mature", "logic"):
            rec["germanium"] = V(sig(ge_per_wafer, 4),
                                 f"derived: assumption that 15% of world refined germanium ({ge_world:,.0f} kg/yr = "
                                 "China 85,000 kg (USGS MCS 2020) / 0.80 China share (EU CRM 2023, calibration.md "
                                 "§1.2)) goes to SiGe/Ge electronics, over logic+mature wafer starts")
        FAC[i]["recipe"] = rec
        FAB_USE[i] = {k: FAB_OUT[i] * v.value for k, v in rec.items()}
    # Silicon wafer suppliers.
    use = {i: u["wafer_300mm"] for i, u in FAB_USE.items()}
    total = sum(use.values())
    sup, tgt = {}, {}
    for r, sh in CSET_WAFER.items():
        i = facility(SEMI, r, "wafer", "wafer_300mm", sh / 100 * total, 0.95,
                     f"derived: wafer share {sh}% (CSET/ETO Chip Explorer dataset, 2019 'Wafer'; DE counted as ROW) x "
                     f"modelled wafer use {total:,.0f}/day / utilisation 0.95 (TECHCET 300 mm wafer supply 95-96% "
                     "2023; calibration.md §4.3)")
        sup[i] = r
        tgt[i] = sh / 100 * total
    balance_trade(SEMI, "wafer_300mm", sup, use, tgt,
                  lambda sreg, b: CSET_WAFER[sreg] * (2.0 if b.startswith(sreg + ".") else 1.0),
                  "world wafer shares (CSET/ETO Chip Explorer dataset, 2019) x2 for the fab's own region "
                  "(assumption)", "wafer shares (CSET/ETO Chip Explorer dataset, 2019)")
    # Photoresist.
    pr_share = {"JP": 0.90, "US": 0.05, "KR": 0.04, "CN": 0.01}
    use = {i: u["photoresist"] for i, u in FAB_USE.items()}
    total = sum(use.values())
    sup, tgt = {}, {}
    for r, sh in pr_share.items():
        src = ("Japanese makers ≈ 90-91% of the global market (Nikkei via TrendForce 2025; calibration.md §3.4)"
               if r == "JP" else "assumption: split of the non-Japanese ~10% among CSET-listed providers "
                                 "(CSET/ETO Chip Explorer dataset, 2019: CN, JP, KR, US)")
        i = facility(SEMI, r, "chemical", "photoresist", sh * total, 0.80,
                     f"derived: {sh:.0%} of modelled resist use {total:,.0f} kUSD/day; {src}; utilisation 0.80 "
                     "(assumption)")
        sup[i] = r
        tgt[i] = sh * total

    def pr_prior(sreg: str, b: str) -> float:
        breg = b.split(".")[0]
        if breg == "KR":
            return {"JP": 0.9, "KR": 0.08, "US": 0.02}.get(sreg, 0.0)
        if breg == "CN":
            return {"JP": 0.85, "US": 0.05, "CN": 0.1}.get(sreg, 0.0)
        return {"JP": 0.9, "US": 0.1 if breg in ("US", "ROW", "TW") else 0.05}.get(sreg, 0.0)

    balance_trade(SEMI, "photoresist", sup, use, tgt, pr_prior,
                  "KR >90% from JP before 2019 (Kyodo/BusinessKorea; calibration.md §5.3), CN fabs use some local "
                  "resist, others ~90% JP (assumption)", "photoresist shares (see the chemical capacity sources)")
    # HF.
    hf_share = {"JP": 0.70, "KR": 0.15, "CN": 0.15}
    use = {i: u["hf_high_purity"] for i, u in FAB_USE.items()}
    total = sum(use.values())
    sup, tgt = {}, {}
    for r, sh in hf_share.items():
        src = ("Japan ≈ 70% of global high-purity HF (Yonhap 2019; calibration.md §3.4)" if r == "JP" else
               "assumption: KR (Soulbrain, SK) and CN split the remaining 30%")
        i = facility(SEMI, r, "chemical", "hf_high_purity", sh * total, 0.80,
                     f"derived: {sh:.0%} of modelled HF use {total:,.1f} t/day; {src}; utilisation 0.80 (assumption)")
        sup[i] = r
        tgt[i] = sh * total

    def hf_prior(sreg: str, b: str) -> float:
        breg = b.split(".")[0]
        if breg == "KR":
            return {"JP": 0.446, "KR": 0.3, "CN": 0.254}[sreg]
        if breg == "CN":
            return {"JP": 0.4, "KR": 0.1, "CN": 0.5}[sreg]
        return {"JP": 0.85, "KR": 0.05, "CN": 0.10}[sreg]

    balance_trade(SEMI, "hf_high_purity", sup, use, tgt, hf_prior,
                  "Korea 44.6% from Japan in H1 2019 (Kyodo; calibration.md §5.3), CN fabs half local, others "
                  "~85% JP (assumption)", "HF shares (see the chemical capacity sources)")
    return fab_ids


# ---------------------------------------------------------------------------------------------
# Batteries
# ---------------------------------------------------------------------------------------------
CELL_DEMAND_SHARE = {"CN": 0.59, "US": 0.13, "JP": 0.03, "KR": 0.03, "TW": 0.01, "ROW": 0.21}
CELL_DEMAND_SRC = {
    "CN": "China 59% of 2024 EV battery demand (IEA Global EV Outlook 2025; calibration.md §2.1)",
    "US": "US 13% of 2024 EV battery demand (IEA Global EV Outlook 2025)",
    "JP": "assumption: 3%, carved from the 15% of 2024 EV battery demand outside China/EU/US (IEA GEVO 2025)",
    "KR": "assumption: 3%, carved from the 15% outside China/EU/US (IEA GEVO 2025)",
    "TW": "assumption: 1%, carved from the 15% outside China/EU/US (IEA GEVO 2025)",
    "ROW": "derived: EU 13% (IEA GEVO 2025) + 8% rest of the 15% outside China/EU/US after JP, KR, TW",
}
CELL_PROD_SHARE = {"CN": 0.75, "ROW": 0.11, "US": 0.06, "KR": 0.04, "JP": 0.04}
CELL_PROD_SRC = {
    "CN": "China >75% of batteries sold globally (IEA, Mar 2025; calibration.md §2.1)",
    "ROW": "Europe 110 GWh of EV batteries 2023 (IEA GEVO 2024) ≈ 9.5% of 1,152 GWh (Wood Mackenzie 2023) plus "
           "SE Asia/India -> 11% (assumption for the extra)",
    "US": "US 70 GWh of EV batteries 2023 (IEA GEVO 2024) ≈ 6% of 1,152 GWh (Wood Mackenzie 2023)",
    "KR": "assumption: 4% in Korean home plants (K-trio hold 15-18% of installations but build mostly abroad, "
          "SNE Research)",
    "JP": "assumption: 4% in Japanese home plants (Panasonic ~4% of installations, SNE Research; plus PPES, AESC)",
}
CAM_SHARE = {"CN": 0.87, "KR": 0.08, "JP": 0.03, "ROW": 0.02}
CAM_SRC = ("China 87% of CAM capacity 2024 (Benchmark; calibration.md §2.1); Korea largest outside China -> KR 8%, "
           "JP 3%, ROW 2% (assumption split of the 13%)")
AAM_SHARE = {"CN": 0.96, "KR": 0.015, "JP": 0.01, "ROW": 0.015}
AAM_SRC = ("China >97% of AAM capacity 2023 (IEA GEVO 2024; calibration.md §2.1) -> 96%; US AAM imports Jan-Aug 2025 "
           "CN 55%, Indonesia 31%, KR 14% (USGS MCS 2026) -> KR 1.5%, ROW (Indonesia) 1.5%, JP 1% (assumption split)")
NATURAL_IN_AAM = 0.30
MAGNET_WORLD = 260_000 / 0.90 / DAYS
MAGNET_SHARE = {"CN": 0.90, "JP": 0.08, "ROW": 0.015, "US": 0.005}
MAGNET_SRC = {
    "CN": "China ~90-92% of NdFeB magnets (IEA/Adamas 2023; calibration.md §1.2) -> 90%",
    "JP": "Japan <9% (Argus 2022; calibration.md §1.2) -> 8%",
    "ROW": "assumption: 1.5% (VAC in Germany/Slovakia, Vietnam, others)",
    "US": "assumption: 0.5% (MP Materials Fort Worth and e-VAC start-ups 2025)",
}
MAGNET_DEMAND_SHARE = {"CN": 0.70, "JP": 0.08, "KR": 0.05, "US": 0.06, "TW": 0.01, "ROW": 0.10}
MAGNET_DEMAND_SRC = ("China's domestic use ≈ (260 kt made - 58 kt exported, 2024) / 289 kt world ≈ 70% (SMM 2024; "
                     "China customs via Adamas; calibration.md §5.7); the other 30% split by automotive/electronics "
                     "manufacturing weight (assumption)")


def build_batteries() -> dict:
    total = CELL_WORLD
    demands = {}
    for r in REGIONS:
        d = demand(BATT, r, "li_ion_cell", CELL_DEMAND_SHARE[r] * total,
                   f"{CELL_DEMAND_SHARE[r]:.0%} of world demand; share: {CELL_DEMAND_SRC[r]}; world: "
                   f"{CELL_WORLD_SRC}")
        demands[d] = CELL_DEMAND_SHARE[r] * total
    plants, targets = {}, {}
    cam_rec = V(sig(CAM_PER_GWH, 5), f"derived: 2,132 kt CAM / 1,152 GWh ({WM_SRC})")
    aam_rec = V(sig(AAM_PER_GWH, 5), f"derived: 1,119 kt graphite / 1,152 GWh, anode material ≈ graphite mass "
                                     f"(assumption; silicon additives ignored) ({WM_SRC})")
    for r, sh in CELL_PROD_SHARE.items():
        u, usrc = (U_CN_BATT, U_CN_BATT_SRC) if r == "CN" else (U_X_BATT, U_X_BATT_SRC)
        i = facility(BATT, r, "cell_plant", "li_ion_cell", sh * total, u,
                     f"derived: {sh:.0%} of world cell output {total:,.3f} GWh/day ({CELL_PROD_SRC[r]}) / {usrc}",
                     recipe={"cam": cam_rec, "aam": aam_rec})
        plants[i] = r
        targets[i] = sh * total

    def cell_prior(sreg: str, b: str) -> float:
        breg = b.split(".")[0]
        table = {
            "CN": {"CN": 1.0},
            "US": {"US": 1.0, "CN": 0.67, "KR": 0.09, "JP": 0.07, "ROW": 0.17},
            "JP": {"JP": 1.0, "CN": 0.5, "KR": 0.1},
            "KR": {"KR": 1.0, "CN": 0.5},
            "TW": {"CN": 0.6, "KR": 0.2, "JP": 0.2},
            "ROW": {"ROW": 1.0, "CN": 0.8, "KR": 0.3, "JP": 0.1},
        }
        return table[breg].get(sreg, 0.0)

    balance_trade(BATT, "li_ion_cell", plants, demands, targets, cell_prior,
                  "home plants first; US imports CN 67%, KR 9%, JP 7%, others 17% of value (UN Comtrade 2022; "
                  "calibration.md §2.3); other importers mostly from China (assumption)",
                  "cell production shares (see the cell_plant capacity sources)")
    cell_out = targets
    # CAM and AAM.
    for mat, shares, src, per in (("cam", CAM_SHARE, CAM_SRC, CAM_PER_GWH), ("aam", AAM_SHARE, AAM_SRC, AAM_PER_GWH)):
        use = {p: cell_out[p] * per for p in plants}
        tot = sum(use.values())
        sup, tgt = {}, {}
        for r, sh in shares.items():
            u, usrc = (U_CN_BATT, "utilisation 45% (China battery chain overcapacity; CRU 2022 cell figure used as "
                                  "proxy, calibration.md §4.3)") if r == "CN" else (U_X_BATT, U_X_BATT_SRC)
            i = facility(BATT, r, "material", mat, sh * tot, u,
                         f"derived: {sh:.1%} of modelled {mat.upper()} use {tot:,.0f} t/day; {src}; {usrc}")
            sup[i] = r
            tgt[i] = sh * tot

        def mat_prior(sreg: str, b: str, mat=mat) -> float:
            breg = b.split(".")[0]
            table = {
                "CN": {"CN": 1.0},
                "KR": {"KR": 1.0, "CN": 0.5},
                "JP": {"JP": 1.0, "CN": 0.5, "KR": 0.2},
                "US": {"KR": 0.5, "JP": 0.2, "CN": 0.3, "ROW": 0.1},
                "ROW": {"ROW": 0.5, "CN": 1.0, "KR": 0.5, "JP": 0.1},
            }
            return table[breg].get(sreg, 0.0)

        balance_trade(BATT, mat, sup, use, tgt, mat_prior,
                      "home supply first, Korea the main non-Chinese exporter (IEA GEVO 2024; Benchmark 2024), "
                      "US plants fed by Korean/Japanese partners (assumption)",
                      f"{mat.upper()} production shares (see the material capacity sources)")
    mat_out = {i: f["production"] for i, f in FAC.items() if f["stage"] == "material"}
    # CAM recipe (refined metal per t CAM) and AAM recipe.
    for i, f in FAC.items():
        if f["output"] == "cam":
            f["recipe"] = {
                "lithium_chem": V(sig(WM["lce"] / WM["cam"], 4), f"derived: 878 kt LCE / 2,132 kt CAM ({WM_SRC})"),
                "nickel_refined": V(sig(WM["ni"] / WM["cam"], 4), f"derived: 596 kt Ni / 2,132 kt CAM ({WM_SRC})"),
                "cobalt_refined": V(sig(WM["co"] / WM["cam"], 4), f"derived: 147 kt Co / 2,132 kt CAM ({WM_SRC})"),
                "manganese_sulphate": V(sig(WM["mn"] / WM["cam"], 4),
                                        f"derived: 207 kt Mn / 2,132 kt CAM ({WM_SRC})"),
            }
        elif f["output"] == "aam":
            f["recipe"] = {"graphite_spherical": V(
                NATURAL_IN_AAM, "assumption: natural (spherical) graphite ≈ 30% of anode graphite; the synthetic "
                                "rest is made from needle/petroleum coke, not modelled")}
    # Magnets live in minerals.toml (rare-earth chain) but are built here for ordering.
    mtotal = MAGNET_WORLD
    mdem = {}
    for r in REGIONS:
        d = demand(MIN, r, "ndfeb_magnet", MAGNET_DEMAND_SHARE[r] * mtotal,
                   f"{MAGNET_DEMAND_SHARE[r]:.0%} of world magnet use {mtotal * DAYS:,.0f} t/yr; {MAGNET_DEMAND_SRC}")
        mdem[d] = MAGNET_DEMAND_SHARE[r] * mtotal
    sup, tgt = {}, {}
    for r, sh in MAGNET_SHARE.items():
        u, usrc = (0.60, "utilisation 60% (assumption: 'midstream overcapacity', SMM 2024)") if r == "CN" else \
            (0.80, "utilisation 80% (assumption)")
        i = facility(MIN, r, "magnet", "ndfeb_magnet", sh * mtotal, u,
                     f"derived: {sh:.1%} of world NdFeB output {mtotal * DAYS:,.0f} t/yr (= China 260,000 t 2024e, "
                     f"SMM 2024, / 0.90 China share); {MAGNET_SRC[r]}; {usrc}",
                     recipe={"ndpr_oxide": V(0.30, "assumption: sintered NdFeB holds 29-32% Nd+Pr by weight; as "
                                                   "oxide (x1.17) less recycled swarf -> 0.30 t NdPr oxide/t")})
        sup[i] = r
        tgt[i] = sh * mtotal

    def mag_prior(sreg: str, b: str) -> float:
        breg = b.split(".")[0]
        table = {
            "CN": {"CN": 1.0},
            "JP": {"JP": 0.6, "CN": 0.4},
            "KR": {"CN": 0.847, "ROW": 0.153},
            "US": {"CN": 0.80, "JP": 0.10, "ROW": 0.05, "US": 0.05},
            "TW": {"CN": 0.8, "JP": 0.2},
            "ROW": {"CN": 0.75, "ROW": 0.15, "JP": 0.10},
        }
        return table[breg].get(sreg, 0.0)

    balance_trade(MIN, "ndfeb_magnet", sup, mdem, tgt, mag_prior,
                  "KR NdFeB imports 84.7% CN, 14.3% Philippines 2023 (KITA); US RE+magnets ~80% CN (Comtrade 2024); "
                  "others assumption", "magnet production shares (see the magnet capacity sources)")
    return mat_out


# ---------------------------------------------------------------------------------------------
# Minerals
# ---------------------------------------------------------------------------------------------

def chain_use(commodity_id: str) -> dict[str, float]:
    """Daily use of ``commodity_id`` by every facility that has it in its recipe."""
    out = {}
    for i, f in FAC.items():
        if commodity_id in f["recipe"]:
            out[i] = f["production"] * f["recipe"][commodity_id].value
    return out


def allocate_ore(mineral: str, ore: str, mines: dict[str, float], refinery_need: dict[str, float]) -> dict:
    """Home-first, then pro-rata allocation of mine output to refineries; returns leftover per mine."""
    avail = dict(mines)
    flows: dict[tuple[str, str], float] = defaultdict(float)
    residual = {}
    for ref, need in refinery_need.items():
        r = ref.split(".")[0]
        home = fid(r, "mine", ore)
        take = min(need, avail.get(home, 0.0))
        if take > 0:
            flows[(home, ref)] += take
            avail[home] -= take
        residual[ref] = need - take
    tot_avail = sum(avail.values())
    tot_res = sum(residual.values())
    scale = sum(mines.values())
    assert tot_res <= tot_avail + 1e-9 * scale, (mineral, tot_res, tot_avail)
    for ref, res in residual.items():
        if res <= 1e-9 * scale:
            continue
        for m, a in avail.items():
            if a > 0:
                flows[(m, ref)] += res * a / tot_avail
    used = defaultdict(float)
    for (m, ref), v in flows.items():
        used[m] += v
    leftover = {m: mines[m] - used[m] for m in mines}
    need_tot = defaultdict(float)
    for (m, ref), v in flows.items():
        need_tot[ref] += v
    for (m, ref), v in flows.items():
        home = m.split(".")[0] == ref.split(".")[0]
        how = "home mine first" if home else "residual need filled pro rata to other mines' spare output"
        lane(m, ref, ore, v / need_tot[ref],
             f"derived: home-first allocation of mine output to refineries ({how}); flow {fmt(v)} of the "
             f"refinery's {fmt(need_tot[ref])} {COMMODITIES[ore]['unit']}/day")
    return leftover


def other_uses(region: str, c: str, rate: float, what: str, origin: str) -> None:
    if rate <= 1e-9 * max(1.0, rate):
        return
    d = demand(MIN, region, c, rate, f"derived balancing item: {what}; stands for uses outside the modelled chains "
                                     "and stock changes (calibration.md §1)")
    lane(origin, d, c, 1.0, "definition: other uses in the producing region are served by its own plant")


MINERALS = {}


def mineral(name, ore, refined, mine_prod: dict[str, tuple[float, str]], ref_share: dict[str, tuple[float, str]],
            recipe: V, mine_cap: dict[str, tuple[float, str]] | None = None, world_src: str = "",
            refined_total: float | None = None, buyer_priors=None, prior_src=None, ras_prior=None,
            ras_src: str = "", ore_other_uses: bool = False) -> None:
    MINERALS[name] = (ore, refined)
    # Mines.
    mines = {}
    for r, (p, src) in mine_prod.items():
        if mine_cap and r in mine_cap:
            cap, csrc = mine_cap[r]
            i = facility(MIN, r, "mine", ore, p, 1.0, f"{csrc}; output {src}", capacity=cap)
        else:
            i = facility(MIN, r, "mine", ore, p, U_MINE, f"derived: output {src} / {U_MINE_SRC}")
        mines[i] = p
    world_ore = sum(mines.values())
    # Refineries.
    use = chain_use(refined)
    total_use = sum(use.values())
    if refined_total is None:
        refined_total = world_ore / recipe.value
        total_src = (f"world refined = world mine output {world_ore * DAYS:,.0f} {COMMODITIES[ore]['unit']}/yr / "
                     f"{recipe.value:g} (recipe)")
    else:
        total_src = "world refined = modelled chain use (no independent production figure)"
    refs = {}
    for r, (sh, src) in ref_share.items():
        out = sh * refined_total
        i = facility(MIN, r, "refinery", refined, out, U_REF,
                     f"derived: {sh:.1%} of world refined output {refined_total * DAYS:,.0f} "
                     f"{COMMODITIES[refined]['unit']}/yr ({total_src}); share: {src}; {U_REF_SRC}",
                     recipe={ore: recipe})
        refs[r] = i
    # Chain sourcing.
    if buyer_priors is not None:
        drawn = source_direct(MIN, refined, refs, use, buyer_priors, prior_src)
        for r, i in refs.items():
            left = FAC[i]["production"] - drawn.get(i, 0.0)
            assert left >= -1e-6 * FAC[i]["production"], (i, left)
            other_uses(r, refined, left, f"refinery output {fmt(FAC[i]['production'])} minus modelled chain draw "
                                         f"{fmt(drawn.get(i, 0.0))} {COMMODITIES[refined]['unit']}/day", i)
    else:
        tgt = {i: FAC[i]["production"] for i in refs.values()}
        assert abs(sum(tgt.values()) - total_use) < 1e-6 * total_use
        balance_trade(MIN, refined, {i: r for r, i in refs.items()}, use, tgt, ras_prior,
                      ras_src, "refining shares (see the refinery capacity sources)")
    # Ore to refineries.
    need = {i: FAC[i]["production"] * recipe.value for i in refs.values()}
    leftover = allocate_ore(name, ore, mines, need)
    for m, left in leftover.items():
        if left > 1e-6 * mines[m]:
            assert ore_other_uses, (m, left)
            other_uses(m.split(".")[0], ore, left, f"mine output {fmt(mines[m])} minus refinery feed "
                                                   f"{fmt(mines[m] - left)} {COMMODITIES[ore]['unit']}/day", m)


def build_minerals() -> None:
    d = DAYS
    usgs = "USGS Mineral Commodity Summaries 2026"
    # Lithium.
    mineral(
        "lithium", "lithium_ore", "lithium_chem",
        {"CN": (62_000 / d, f"China 62,000 t Li 2025e ({usgs}, lithium) /365"),
         "ROW": ((290_000 - 62_000) / d, f"world 290,000 - China 62,000 t Li 2025e ({usgs}, lithium; Australia, "
                                         "Chile, Zimbabwe, Argentina...; US withheld) /365")},
        {"CN": (0.70, "China ~70% of lithium chemicals 2025 (IEA GCMO 2026 via secondary; calibration.md §1.2)"),
         "ROW": (0.30, "rest of world ~30% (Chile, Argentina; IEA CMMR 2023/GCMO 2026)")},
        V(sig(1 / LCE_PER_LI, 5), "stoichiometry: Li2CO3 is 18.79% Li (2 x 6.941 / 73.89); losses ignored"),
        buyer_priors={"CN": {"CN": 0.85, "ROW": 0.15}, "KR": {"CN": 0.796, "ROW": 0.175},
                      "JP": {"CN": 0.70, "ROW": 0.30}, "ROW": {"CN": 0.5, "ROW": 0.5}},
        prior_src={"CN": "assumption: Chinese CAM makers buy 85% domestic chemicals, 15% Chilean/Argentine imports",
                   "KR": "KR lithium hydroxide imports 79.6% China, 17.5% Chile 2023 (KITA; calibration.md §1.5)",
                   "JP": "assumption: Japan less China-dependent than Korea (KCCI 2020 battery-mineral aggregate "
                         "41% vs 58.7%) -> 70/30",
                   "ROW": "assumption: 50/50 China and ROW converters"})
    # Cobalt.
    mineral(
        "cobalt", "cobalt_ore", "cobalt_refined",
        {"CN": (2_000 / d, f"China 2,000 t Co 2025e ({usgs}, cobalt) /365"),
         "ROW": (308_000 / d, f"world 310,000 - China 2,000 t Co 2025e ({usgs}, cobalt; DRC 230,000, Indonesia "
                              "44,000; US 300 t counted here) /365")},
        {"CN": (0.75, "China ~75% of refined cobalt 2025 (IEA GCMO 2026 via secondary; calibration.md §1.2)"),
         "JP": (0.025, "Japan 6.2 of ~244 kt refined output 2023 ≈ 2.5% (refined-output dataset, calibration.md "
                       "§1.2)"),
         "ROW": (0.225, "remainder: Finland, Canada, Norway, Belgium, Zambia...")},
        V(1.0, "assumption: refined output equals contained cobalt (metal-content basis; losses ignored)"),
        buyer_priors={"CN": {"CN": 1.0}, "KR": {"CN": 0.728, "ROW": 0.272}, "JP": {"JP": 0.4, "CN": 0.6},
                      "ROW": {"ROW": 0.7, "CN": 0.3}},
        prior_src={"CN": "assumption: Chinese CAM uses domestic refined cobalt",
                   "KR": "KR cobalt oxide/hydroxide imports 72.8% China 2022 (KITA; calibration.md §1.5)",
                   "JP": "assumption: Sumitomo Metal Mining supplies ~40%, China the rest",
                   "ROW": "assumption: European CAM uses Finnish/Belgian cobalt 70%"})
    # Nickel.
    mineral(
        "nickel", "nickel_ore", "nickel_refined",
        {"CN": (120_000 / d, f"China 120,000 t Ni 2025e ({usgs}, nickel) /365"),
         "ROW": (3_780_000 / d, f"world 3,900,000 - China 120,000 t Ni 2025e ({usgs}, nickel; Indonesia 2.6 Mt, "
                                "Philippines, Russia, Canada...; US 10,000 t counted here) /365")},
        {"CN": (0.28, "China 28% of refined nickel 2023 (IEA GCMO 2024 via Cipher News; calibration.md §1.2)"),
         "ROW": (0.72, "rest incl. Indonesia 37% (IEA GCMO 2024), Russia, Japan, Canada...")},
        V(1.0, "assumption: refined output equals contained nickel (metal-content basis; losses ignored)"),
        buyer_priors={"CN": {"CN": 0.6, "ROW": 0.4}, "KR": {"CN": 0.6, "ROW": 0.4},
                      "JP": {"ROW": 0.7, "CN": 0.3}, "ROW": {"ROW": 0.8, "CN": 0.2}},
        prior_src={"CN": "assumption: China 55% of nickel sulphate 2022 (IEA CMMR 2023) -> 60% domestic, 40% "
                         "Indonesian intermediates",
                   "KR": "assumption: KR Ni hydroxide/precursor 94-96% from China 2024 (MOTIE/KOMIR) but sulphate "
                         "also from Indonesia/Australia -> 60/40",
                   "JP": "assumption: Japanese CAM uses Sumitomo/Indonesian nickel 70%",
                   "ROW": "assumption: 80% non-Chinese nickel"})
    # Graphite (mine -> spherical graphite -> AAM); flake not used for batteries goes to other uses.
    mineral(
        "graphite", "graphite_ore", "graphite_spherical",
        {"CN": (1_400_000 / d, f"China 1.40 Mt natural graphite 2025e ({usgs}, graphite) /365"),
         "ROW": (400_000 / d, f"world 1.80 Mt - China 1.40 Mt 2025e ({usgs}, graphite; Madagascar, Tanzania, Brazil, "
                              "Mozambique; KR 500 t counted here) /365")},
        {"CN": (0.95, "China >90-95% of battery-grade spherical graphite (IEA GCMO 2024/2026; USGS MCS 2026; "
                      "calibration.md §1.2) -> 95%"),
         "ROW": (0.05, "rest (Chinese-owned SPG in Indonesia; IEA GCMO 2026)")},
        V(2.0, "assumption: ~50% yield from flake to spherical purified graphite"),
        refined_total=sum(chain_use("graphite_spherical").values()),
        ras_prior=lambda sreg, b: {
            "CN": {"CN": 1.0, "ROW": 0.04}, "KR": {"CN": 0.97, "ROW": 0.03}, "JP": {"CN": 0.915, "ROW": 0.085},
            "ROW": {"CN": 0.6, "ROW": 0.4}}[b.split(".")[0]].get(sreg, 0.0),
        ras_src="KR graphite 97% China 2024 (MOTIE/KOMIR), JP natural graphite 91.5% China 2020 (KCCI); "
                "calibration.md §1.5; Chinese AAM makers take some Indonesian SPG and ROW AAM 40% (assumption)",
        ore_other_uses=True)
    # Manganese (mine -> HPMSM -> CAM); most ore goes to steel (other uses).
    mineral(
        "manganese", "manganese_ore", "manganese_sulphate",
        {"CN": (700_000 / d, f"China 700 kt Mn 2025e ({usgs}, manganese) /365"),
         "ROW": (19_300_000 / d, f"world 20,000 - China 700 kt Mn content 2025e ({usgs}, manganese; South Africa, "
                                 "Gabon, Australia, Ghana...) /365")},
        {"CN": (0.95, "China ~95% of high-purity manganese sulphate 2022 (IEA CMMR 2023; calibration.md §1.2)"),
         "ROW": (0.05, "rest of world 5%")},
        V(1.0, "assumption: Mn-content basis, losses ignored"),
        refined_total=sum(chain_use("manganese_sulphate").values()),
        ras_prior=lambda sreg, b: 1.0 if sreg == "CN" else (0.3 if b.startswith("ROW.") else 0.02),
        ras_src="China ~95% of HPMSM (IEA CMMR 2023), non-Chinese HPMSM mostly used in ROW (assumption)",
        ore_other_uses=True)
    # Rare earths: REO concentrate -> NdPr oxide -> magnets.
    ndpr_frac = 0.25
    mineral(
        "rare_earths", "rare_earth_ore", "ndpr_oxide",
        {"CN": (270_000 / d, f"China 270,000 t REO 2025e ({usgs}, rare earths) /365"),
         "US": (51_000 / d, f"US 51,000 t REO 2025e ({usgs}, rare earths) /365"),
         "ROW": (69_000 / d, f"world 390,000 - CN 270,000 - US 51,000 t REO 2025e ({usgs}; Australia 29,000, "
                             "Burma 22,000, Thailand 4,800...) /365")},
        {"CN": (0.85, "China ~85% of rare-earth separation 2025 (IEA GCMO 2026 via secondary; calibration.md §1.2)"),
         "US": (8_900 / 390_000, "US compounds & metals output 8,900 t REO 2025e (USGS MCS 2026) / 390,000 t world "
                                 "mine output"),
         "ROW": (1 - 0.85 - 8_900 / 390_000, "remainder (Malaysia/Lynas, Estonia...)")},
        V(1 / ndpr_frac, "assumption: NdPr ≈ 25% of REO in Bayan Obo/Mountain Pass/Mt Weld/ionic-clay feeds "
                         "(20-25%); La/Ce co-products not modelled"),
        buyer_priors={"CN": {"CN": 0.95, "ROW": 0.05}, "JP": {"CN": 0.70, "ROW": 0.30}, "ROW": {"CN": 0.7, "ROW": 0.3},
                      "US": {"US": 1.0}},
        prior_src={"CN": "assumption: Chinese magnet makers use 95% Chinese NdPr, 5% imported oxides (Myanmar, Laos, Malaysia)",
                   "JP": "Japan's rare-earth imports ~70% China 2023 (JOGMEC/WSJ; calibration.md §1.5), rest Lynas",
                   "ROW": "assumption: 70% China, 30% Lynas/others",
                   "US": "assumption: US magnet start-ups use US-separated NdPr (MP Materials)"})
    # Gallium: primary low-purity -> high-purity.
    mineral(
        "gallium", "gallium_crude", "gallium",
        {"CN": (891_000 / d, f"China 99% of 900,000 kg primary Ga 2025e ({usgs}, gallium) /365"),
         "JP": (3_000 / d, f"Japan 3,000 kg 2025e ({usgs}, gallium) /365"),
         "ROW": (6_000 / d, f"Russia 6,000 kg 2025e ({usgs}, gallium) /365")},
        {"CN": (0.85, "assumption: Chinese refiners upgrade most of China's primary output (USGS: China 99% of "
                      "primary)"),
         "JP": (0.07, "assumption: Japan refines and recycles high-purity Ga (Dowa, Sumitomo Chemical; JP 22% of US "
                      "Ga-metal imports, USGS MCS 2026)"),
         "ROW": (0.08, "assumption: Canada/Germany/Slovakia refiners (CA 28%, DE 16% of US Ga-metal imports, USGS "
                       "MCS 2026)")},
        V(1.0, "assumption: high-purity refining loses little; recycled scrap offsets losses"),
        mine_cap={"CN": (1_600_000 / d, f"capacity 1,600,000 kg/yr China ({usgs}, gallium) /365"),
                  "JP": (10_000 / d, f"capacity 10,000 kg/yr Japan ({usgs}, gallium) /365"),
                  "ROW": (10_000 / d, f"capacity 10,000 kg/yr Russia ({usgs}, gallium; 100,000 kg idle elsewhere "
                                      "excluded) /365")},
        buyer_priors={"CN": {"CN": 1.0}, "US": {"ROW": 0.60, "JP": 0.22, "CN": 0.18},
                      "KR": {"CN": 0.98, "JP": 0.02}, "JP": {"JP": 0.3, "CN": 0.7},
                      "TW": {"CN": 0.75, "JP": 0.15, "ROW": 0.10}, "ROW": {"CN": 0.6, "ROW": 0.3, "JP": 0.1}},
        prior_src={"CN": "assumption: Chinese fabs use Chinese gallium",
                   "US": "US Ga-metal imports: Canada 28, Japan 22, China 18, Germany 16, other 16% (USGS MCS 2026; "
                         "calibration.md §1.4) -> ROW 60%",
                   "KR": "KR gallium 98% from China 2024 (MOTIE/KOMIR; calibration.md §1.5)",
                   "JP": "assumption: Japanese fabs 30% domestic high-purity Ga, 70% China",
                   "TW": "assumption: mostly China (no TW data in calibration.md)",
                   "ROW": "assumption: 60% China, 30% European/Canadian refiners, 10% Japan"})
    # Germanium.
    ge_world = 85_000 / 0.80
    mineral(
        "germanium", "germanium_conc", "germanium",
        {"CN": (85_000 / d, "China 85,000 kg refinery output (USGS MCS 2020, germanium, 2019); assumption: China "
                            "refines its own zinc/coal feed /365"),
         "ROW": ((ge_world - 85_000) / d, "world = China 85,000 kg / 0.80 China share (EU CRM study 2023, recalled; "
                                          "calibration.md §1.2 [L]) minus China; zinc residues from Canada/US "
                                          "(Red Dog), Russia, DRC /365")},
        {"CN": (0.80, "China ~80% of refined germanium (EU CRM study 2023, recalled; calibration.md §1.2 [L])"),
         "ROW": (0.20, "rest: Belgium (Umicore), Canada (Teck), Russia, Germany")},
        V(1.0, "assumption: Ge-content basis, losses ignored"),
        buyer_priors={"CN": {"CN": 1.0}, "US": {"CN": 0.41, "ROW": 0.59}, "KR": {"CN": 0.8, "ROW": 0.2},
                      "JP": {"CN": 0.7, "ROW": 0.3}, "TW": {"CN": 0.7, "ROW": 0.3}, "ROW": {"CN": 0.5, "ROW": 0.5}},
        prior_src={"CN": "assumption: Chinese fabs use Chinese germanium",
                   "US": "US Ge-metal imports: China 41, Belgium 27, Germany 25% (USGS MCS 2026; calibration.md §1.4)",
                   "KR": "assumption: 80% China (KR depends on China for 16-20 of 31 rare metals, MOTIE/KOMIR 2024)",
                   "JP": "assumption: 70% China",
                   "TW": "assumption: 70% China",
                   "ROW": "assumption: 50% China, 50% Umicore/Teck"})


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def num(x: float) -> str:
    r = repr(float(x))
    return r


def val(v: V, extra: bool = True) -> str:
    parts = [f"value = {num(v.value)}"]
    if extra:
        for k, x in v.extra.items():
            parts.append(f"{k} = {num(x)}")
    parts.append(f"source = {q(v.source)}")
    return "{ " + ", ".join(parts) + " }"


HEADER = """\
# supplychain built-in baseline: {title}
#
# Every number is an inline table {{ value = ..., source = "..." }}. A source names the publication,
# organisation and year; "derived:" says how a number was computed from cited figures; "assumption:"
# marks a judgement with its reasoning. calibration.md is the project's compiled reference
# (shared/reference/calibration.md); its section numbers are given where a figure came through it.
# Rates are per day (annual / 365). Derived numbers were computed with a small script and each
# source spells out the arithmetic. tests/test_baseline_data.py checks that every number has a
# source and that the network is in steady state: change a number together with its source, and
# keep capacities above steady-state production.
"""


def write_regions(out: Path) -> None:
    names = {"JP": "Japan", "KR": "South Korea", "US": "United States", "CN": "China", "TW": "Taiwan",
             "ROW": "Rest of world"}
    lines = [HEADER.format(title="regions"),
             "# ROW groups every country not listed (Australia, Chile, DRC, Indonesia, Europe, SE Asia, ...).", ""]
    for r in REGIONS:
        lines += ["[[region]]", f"id = {q(r)}", f"name = {q(names[r])}", ""]
    (out / "regions.toml").write_text("\n".join(lines), encoding="utf-8")


def write_commodities(out: Path) -> None:
    lines = [HEADER.format(title="commodities"),
             "# price_usd: reference price per unit. elasticity: substitution elasticity sigma between suppliers.",
             "# input_cover_days: days of use a buyer (facility or final consumer) holds. output_cover_days:",
             "# days of output a producer holds.", ""]
    for chain in ("minerals", "batteries", "semiconductors"):
        lines.append(f"# ---- {chain} " + "-" * 80)
        for c in COMMODITIES.values():
            if c["chain"] != chain:
                continue
            lines += ["[[commodity]]", f"id = {q(c['id'])}", f"name = {q(c['name'])}", f"unit = {q(c['unit'])}",
                      f"chain = {q(c['chain'])}"]
            for k in ("price_usd", "elasticity", "input_cover_days", "output_cover_days"):
                lines.append(f"{k} = {val(c[k])}")
            lines.append("")
    (out / "commodities.toml").write_text("\n".join(lines), encoding="utf-8")


STAGE_ORDER = ["mine", "refinery", "magnet", "material", "cell_plant", "wafer", "chemical", "fab", "packaging"]


def write_chain(out: Path, file: str, title: str, intro: list[str]) -> None:
    lines = [HEADER.format(title=title)] + [f"# {s}" for s in intro] + [""]
    facs = [f for f in FAC.values() if FILE_OF[f["id"]] == file]
    corder = list(COMMODITIES)
    facs.sort(key=lambda f: (STAGE_ORDER.index(f["stage"]), corder.index(f["output"]), REGIONS.index(f["region"])))
    current = None
    for f in facs:
        key = (f["stage"], f["output"])
        if key != current:
            lines.append(f"# ---- {f['stage']}: {f['output']} " + "-" * 60)
            current = key
        lines += ["[[facility]]", f"id = {q(f['id'])}", f"region = {q(f['region'])}", f"stage = {q(f['stage'])}",
                  f"output = {q(f['output'])}", f"capacity_per_day = {val(f['capacity_per_day'])}"]
        if f["recipe"]:
            lines.append("[facility.recipe]")
            for c, v in f["recipe"].items():
                lines.append(f"{c} = {val(v)}")
        lines.append("")
    dems = [d for d in DEMANDS.values() if FILE_OF[d["id"]] == file]
    dems.sort(key=lambda d: (corder.index(d["commodity"]), REGIONS.index(d["region"])))
    if dems:
        lines.append("# ---- final demand " + "-" * 70)
    for d in dems:
        lines += ["[[demand]]", f"id = {q(d['id'])}", f"region = {q(d['region'])}",
                  f"commodity = {q(d['commodity'])}", f"rate_per_day = {val(d['rate_per_day'])}", ""]
    # Lanes go in the file of their destination.
    lanes = [l for l in LANES if FILE_OF[l["destination"]] == file]
    order = {i: n for n, i in enumerate(list(FAC) + list(DEMANDS))}
    lanes.sort(key=lambda l: (corder.index(l["commodity"]), order[l["destination"]], order[l["origin"]]))
    if lanes:
        lines.append("# ---- lanes (into the buyers listed in this file) " + "-" * 40)
        lines.append("# lead_time_days: mean door-to-door days with a plausible low/high range (the loader uses the")
        lines.append("# mean unless random lead times are requested).")
    current = None
    for l in lanes:
        if l["commodity"] != current:
            lines.append(f"# -- {l['commodity']}")
            current = l["commodity"]
        lines += ["[[lane]]", f"origin = {q(l['origin'])}", f"destination = {q(l['destination'])}",
                  f"commodity = {q(l['commodity'])}", f"share = {val(l['share'])}",
                  f"lead_time_days = {val(l['lead_time_days'])}",
                  f"freight_usd_per_unit = {val(l['freight_usd_per_unit'])}", ""]
    (out / file).write_text("\n".join(lines), encoding="utf-8")


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    build_commodities()
    build_semis()
    build_batteries()
    build_minerals()
    write_regions(out)
    write_commodities(out)
    write_chain(out, MIN, "critical minerals (mining, refining) and NdFeB magnets", [
        "Eight minerals: lithium, cobalt, nickel, graphite, manganese, rare earths, gallium, germanium.",
        "Mines feed refineries home-first, then pro rata (e.g. Australian spodumene to Chinese converters).",
        "Refined output not used by the modelled battery/chip/magnet chains goes to an 'other uses' demand in",
        "the refinery's region (stainless steel, alloys, LEDs, fibre optics, ...), so mines and refineries run",
        "at their USGS/IEA output. Graphite flake and manganese ore not refined for batteries go to other uses",
        "(refractories, steel) in the mining region.",
    ])
    write_chain(out, BATT, "lithium-ion batteries", [
        "Refined Li, Co, Ni, Mn -> cathode active material (CAM); spherical graphite -> anode active material",
        "(AAM); CAM + AAM -> cells (GWh) -> final demand for cells in each region.",
        "Trade matrices are RAS-balanced: a prior from trade data (named in each share's source) is scaled",
        "so that each supplier produces its cited share and each buyer gets what it uses.",
    ])
    write_chain(out, SEMI, "semiconductors", [
        "Silicon wafers, photoresist, high-purity HF, gallium and germanium -> fabs (memory, advanced logic",
        "<10 nm, mature nodes) -> assembly/test/packaging -> final demand for packaged chips per region.",
        "Wafer counts are 300 mm-equivalent. A chip unit ('wafer-eq') is the good packaged dies from one",
        "processed wafer, so packaging uses 1 processed wafer per wafer-eq.",
        "Trade matrices are RAS-balanced (see the share sources).",
    ])
    print(f"{len(FAC)} facilities, {len(LANES)} lanes, {len(DEMANDS)} demands, {len(COMMODITIES)} commodities")


if __name__ == "__main__":
    main(sys.argv[1])
