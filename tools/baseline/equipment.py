"""Semiconductor manufacturing equipment: tool makers by region and the fab capacity that consumes their tools.

Four tool classes (lithography, deposition, etch and clean, process control/inspection), in value units of
1,000 USD, are made where CSET/ETO puts their suppliers (the Netherlands, Austria, Germany and Israel in ROW).
The installed base of a fab keeps running on its tools; the tools are consumed by the capacity a region adds
in a year. So each region's silicon-wafer fabs are split in two: the installed base (``<region>.fab.<wafer>``,
ids unchanged) and the year's new capacity (``<region>.fab_new.<wafer>``), which makes the same wafers from
the same inputs and sells to the same buyers in proportion, and also uses the region's yearly tool purchases.
An export control on tools to a region then cuts that region's capacity growth, not its installed base.
"""

from __future__ import annotations

from .network import Draft
from .sources import COVER_OUT, DAYS, REGIONS, SEMI, V, fmt, frozen, sig

CSET_TOOL_SRC = "CSET analysis of TechInsights data (2025), CSET/ETO Chip Explorer dataset ('provision' table, 2025)"

#: tool class -> (name, world market 2025 in bn USD, supplier shares in % by region, detail of the shares)
TOOLS = frozen({
    "litho_tool": ("Lithography tools (scanners and steppers), in value units", 32.6,
                   {"ROW": 84.1, "JP": 15.0},
                   "NL 81.5, AT 1.6, DE 0.6, SE 0.4 -> ROW 84.1; JP 15.0; US 0.6, CN 0.2, KR 0.2 left out"),
    "deposition_tool": ("Deposition tools (CVD, PVD, ALD, furnaces), in value units", 26.2,
                        {"US": 60.3, "JP": 14.0, "ROW": 12.6, "CN": 9.8, "KR": 3.3},
                        "US 60.3; JP 14.0; NL 10.9, DE 1.1, CH 0.4, FR 0.1, GB 0.1 -> ROW 12.6; CN 9.8; KR 3.3"),
    "etch_tool": ("Etch and clean tools, in value units", 29.1,
                  {"US": 52.6, "JP": 32.6, "CN": 10.1, "KR": 2.9},
                  "US 52.6; JP 32.6; CN 10.1; KR 2.9; TW 0.6, DE 0.4, NL 0.1, others 0.6 left out"),
    "inspection_tool": ("Process-control tools (inspection and metrology), in value units", 15.7,
                        {"US": 71.7, "JP": 14.1, "ROW": 12.9},
                        "US 71.7; JP 14.1; IL 6.0, NL 5.9, DE 0.6, HU 0.4 -> ROW 12.9; CN 0.7, KR 0.5 left out"),
})

#: share of world fab-equipment billings by destination 2022, % (SEMI/SEAJ WWSEMS)
SEMI_SPEND = frozen({"CN": 26.3, "TW": 24.9, "KR": 20.0, "US": 9.7, "JP": 7.8, "ROW": 11.3})
SEMI_SPEND_SRC = ("SEMI/SEAJ Worldwide Semiconductor Equipment Market Statistics, 12 Apr 2023: billings 2022 China "
                  "26.3%, Taiwan 24.9%, Korea 20.0%, North America 9.7%, Japan 7.8%, Europe 5.8% + rest 5.5% = ROW "
                  "11.3%")

#: capacity added in a year as a share of the region's capacity (SEMI World Fab Forecast, June 2024)
GROWTH = frozen({
    "CN": (0.14, "China 8.85 -> 10.1 M wafers/month 200 mm-eq 2024-25 = +14%"),
    "KR": (0.07, "Korea 5.05 -> 5.4 M wafers/month 2024-25 = +7%"),
    "TW": (0.04, "Taiwan 5.6 -> 5.8 M wafers/month 2024-25 = +4%"),
    "JP": (0.07, "assumption: the world's +7% (31.5 -> 33.7 M wafers/month 2024-25)"),
    "US": (0.07, "assumption: the world's +7% (31.5 -> 33.7 M wafers/month 2024-25)"),
    "ROW": (0.07, "assumption: the world's +7% (31.5 -> 33.7 M wafers/month 2024-25)"),
})
GROWTH_SRC = "SEMI World Fab Forecast (June 2024)"
SILICON_WAFERS = ("memory_wafer", "logic_wafer", "mature_wafer", "mature_idm_wafer")
U_TOOL = V(0.80, "assumption: tool makers run at 80% (no published utilisation; order books ran 6-12 months in "
                 "2023)")
TOOL_COVER = V(90.0, "assumption: fabs hold ~3 months of tools in the delivery and installation pipeline "
                     "(order-to-delivery of fab equipment 3-6 months in normal times: Nikkei Asia 2019, TheElec 2020)")
SIG_TOOL = V(0.5, "assumption: tools are qualified per process and installed for years; near-zero short-run "
                  "substitution (US, Japanese and Dutch tools have no Chinese equivalent at advanced nodes)")


def add_commodities(net: Draft) -> None:
    """The four tool classes (1 unit = 1,000 USD of tools)."""
    for c, (name, market, _, _) in TOOLS.items():
        net.commodity(c, name, "kUSD", "semiconductors",
                      V(1000.0, f"definition: 1 unit = 1,000 USD of tools at 2025 prices (world market {market} bn "
                                f"USD 2025, {CSET_TOOL_SRC})"),
                      SIG_TOOL, TOOL_COVER, COVER_OUT)


def build(net: Draft) -> None:
    """Split each silicon fab into installed base and new capacity; tool makers and tool trade."""
    new_fabs: dict[str, list[str]] = {r: [] for r in REGIONS}
    for i in [i for i, f in net.facilities.items() if f["stage"] == "fab" and f["output"] in SILICON_WAFERS]:
        new_fabs[net.facilities[i]["region"]].append(_split(net, i))
    # Tool use: the region's yearly purchases spread over its new capacity's output.
    out = {r: sum(net.facilities[g]["production"] for g in gs) for r, gs in new_fabs.items()}
    use: dict[str, dict[str, float]] = {c: {} for c in TOOLS}
    for r, gs in new_fabs.items():
        for c, (_, market, _, _) in TOOLS.items():
            per_year = SEMI_SPEND[r] / 100 * market * 1e6  # kUSD/yr
            per_wafer = per_year / DAYS / out[r]
            for g in gs:
                net.facilities[g]["recipe"][c] = V(
                    sig(per_wafer, 4),
                    f"derived: {SEMI_SPEND[r]}% of world equipment billings ({SEMI_SPEND_SRC}) x world "
                    f"{c.replace('_', ' ')} market {market} bn USD 2025 ({CSET_TOOL_SRC}) = {fmt(per_year)} "
                    f"kUSD/yr over the region's new-capacity output {fmt(out[r])} wafers/day (assumption: the same "
                    "tool mix in every region, all purchases for new capacity)")
                use[c][g] = net.facilities[g]["production"] * per_wafer
    # Tool makers: supply shares as CSET; trade RAS-balanced from world shares, Chinese makers selling at home.
    for c, (_, market, shares, detail) in TOOLS.items():
        total = sum(use[c].values())
        tot_sh = sum(shares.values())
        makers, targets = {}, {}
        for r, sh in shares.items():
            i = net.facility(SEMI, r, "equipment", c, total * sh / tot_sh, U_TOOL.value,
                             f"derived: {sh / tot_sh:.1%} of world {c.replace('_', ' ')} ({detail}; shares "
                             f"normalised; {CSET_TOOL_SRC}) x world use {fmt(total)} kUSD/day; {U_TOOL.source}")
            makers[i] = r
            targets[i] = total * sh / tot_sh
        net.balance_trade(c, makers, use[c], targets,
                          lambda sreg, b, shares=shares: shares[sreg] * (0.0 if sreg == "CN" and not
                                                                         b.startswith("CN.") else 1.0),
                          f"world supplier shares ({detail}; {CSET_TOOL_SRC}); assumption: Chinese tool makers "
                          "sell only in China (export controls and qualification keep them out of foreign fabs)",
                          "tool makers' shares (see the equipment capacity sources)")


def _split(net: Draft, i: str) -> str:
    """Move the region's growth share of fab ``i`` into a new-capacity facility; returns its id."""
    f = net.facilities[i]
    r, out = f["region"], f["output"]
    g, gsrc = GROWTH[r]
    cap = f["capacity_per_day"]
    new = net.facility(SEMI, r, "fab_new", out, f["production"] * g, 1.0,
                       f"derived: {g:.0%} of the region's {out.replace('_', ' ')} capacity is added in the year "
                       f"({GROWTH_SRC}: {gsrc}) x {fmt(cap.value)}/day ({cap.source})",
                       recipe=dict(f["recipe"]), capacity=sig(cap.value * g))
    f["production"] *= 1 - g
    f["capacity_per_day"] = V(sig(cap.value * (1 - g)), f"derived: {1 - g:.0%} installed base (the rest is the "
                                                        f"year's new capacity, {GROWTH_SRC}: {gsrc}) of {cap.source}")
    lanes = [l for l in net.lanes if l["origin"] == i or l["destination"] == i]
    for l in lanes:
        if l["origin"] == i:
            s = l["share"]
            l["share"] = V(sig(s.value * (1 - g), 4), f"{s.source}; x {1 - g:.2f} from the installed base")
            net.lane(new, l["destination"], l["commodity"], s.value * g,
                     f"{s.source}; x {g:.2f} from the region's new capacity")
        else:
            net.lane(l["origin"], new, l["commodity"], l["share"].value, l["share"].source)
    return new
