"""Lead times and freight of a lane, by distance band and commodity class."""

from __future__ import annotations

from .sources import ASIA, V, fmt, frozen, sig


def band(o: str, d: str) -> str:
    if o == d:
        return "domestic"
    if o in ASIA and d in ASIA:
        return "intra_asia"
    if {o, d} <= ASIA | {"US"}:
        return "transpacific"
    return "long_haul"


SEA_LT = frozen({
    "domestic": (3.0, 2.0, 5.0, "assumption: domestic truck/rail door-to-door 2-5 days"),
    "intra_asia": (10.0, 7.0, 12.0, "assumption: intra-Asia door-to-door 7-12 days (carrier schedules: 2-5 days "
                                    "port-to-port, e.g. Shanghai-Busan/Tokyo/Kaohsiung 2-4 d, plus inland legs and port dwell)"),
    "transpacific": (25.0, 20.0, 30.0, "Flexport shipping guides: China->US West Coast door-to-door 20-30 days "
                                       "(port-to-port 16-18 d pre-pandemic, Shifl data via Container News 2021)"),
    "long_haul": (35.0, 20.0, 50.0, "assumption: ROW legs mix Australia (~3 wk), Europe (China->N. Europe 28-35 d "
                                    "port-to-port on carrier schedules), S. America and Africa; 35 d mid value"),
})
AIR_LT = frozen({
    "domestic": (2.0, 1.0, 3.0, "assumption: domestic express 1-3 days"),
    "intl": (6.0, 5.0, 7.0, "assumption: air freight ~5-7 days door-to-door (1-3 d airport-to-airport plus "
                            "handling and customs; chips typically move by air)"),
})
AIR_COMMODITIES = frozenset({"memory_wafer", "logic_wafer", "mature_wafer", "mature_idm_wafer", "memory_chip",
                             "logic_chip", "mature_chip", "mature_idm_chip", "compound_chip", "compound_wafer",
                             "photoresist"})
BULK = frozenset({"lithium_ore", "cobalt_ore", "nickel_ore", "graphite_ore", "manganese_ore", "rare_earth_ore",
                  "gallium_crude", "germanium_conc"})


def lead_time(o: str, d: str, c: str) -> V:
    b = band(o, d)
    if c in AIR_COMMODITIES:
        val, lo, hi, src = AIR_LT["domestic" if b == "domestic" else "intl"]
        if c == "photoresist":
            src += "; assumption: photoresist flown (short shelf life)"
    else:
        val, lo, hi, src = SEA_LT[b]
    return V(val, src, low=lo, high=hi)


FREIGHT_RATE = frozen({  # ad-valorem freight + insurance, by class and band
    "bulk": frozen({"domestic": 0.02, "intra_asia": 0.05, "transpacific": 0.08, "long_haul": 0.08}),
    "goods": frozen({"domestic": 0.005, "intra_asia": 0.015, "transpacific": 0.03, "long_haul": 0.03}),
    "air": frozen({"domestic": 0.001, "intra_asia": 0.005, "transpacific": 0.005, "long_haul": 0.005}),
})


def freight(o: str, d: str, c: str, price: float, unit: str) -> V:
    b = band(o, d)
    cls = "air" if c in AIR_COMMODITIES else "bulk" if c in BULK else "goods"
    r = FREIGHT_RATE[cls][b]
    return V(sig(r * price, 4), f"assumption: freight+insurance {r:.1%} of value ({cls}, {b.replace('_', ' ')}) "
                                f"x price {fmt(price)} USD/{unit}; no published lane freight rates used")
