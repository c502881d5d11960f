"""Render the built network as the TOML files (text), in a fixed layout."""

from __future__ import annotations

import json

from .network import Draft
from .sources import BATT, MIN, REGIONS, SEMI, V


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
# Every number is an inline table {{ value = ..., source = "..." }}. A source names the primary
# publication, organisation and year (and table where known); "derived:" says how a number was
# computed from cited figures; "assumption:" marks a judgement with its reasoning (the ones that
# drive results are listed in docs/assumptions.md, with their sensitivity).
# Rates are per day (annual / 365). This file is generated: edit tools/baseline/ and run
# `python -m tools.baseline` from the repository root; each source spells out the arithmetic.
# tests/test_baseline_data.py checks that every number has a source and that the network is in
# steady state, and tests/test_baseline_build.py that the builder reproduces this file byte for byte.
"""


def render_regions() -> str:
    names = {"JP": "Japan", "KR": "South Korea", "US": "United States", "CN": "China", "TW": "Taiwan",
             "ROW": "Rest of world"}
    lines = [HEADER.format(title="regions"),
             "# ROW groups every country not listed (Australia, Chile, DRC, Indonesia, Europe, SE Asia, ...).", ""]
    for r in REGIONS:
        lines += ["[[region]]", f"id = {q(r)}", f"name = {q(names[r])}", ""]
    return "\n".join(lines)


def render_commodities(net: Draft) -> str:
    lines = [HEADER.format(title="commodities"),
             "# price_usd: reference price per unit. elasticity: substitution elasticity sigma between suppliers.",
             "# input_cover_days: days of use a buyer (facility or final consumer) holds. output_cover_days:",
             "# days of output a producer holds.", ""]
    for chain in ("minerals", "batteries", "semiconductors"):
        lines.append(f"# ---- {chain} " + "-" * 80)
        for c in net.commodities.values():
            if c["chain"] != chain:
                continue
            lines += ["[[commodity]]", f"id = {q(c['id'])}", f"name = {q(c['name'])}", f"unit = {q(c['unit'])}",
                      f"chain = {q(c['chain'])}"]
            for k in ("price_usd", "elasticity", "input_cover_days", "output_cover_days"):
                lines.append(f"{k} = {val(c[k])}")
            lines.append("")
    return "\n".join(lines)


STAGE_ORDER = ("mine", "refinery", "recycling", "magnet", "precursor", "material", "synthetic", "cell_plant", "wafer", "chemical", "equipment",
               "fab", "fab_new", "packaging")


def render_chain(net: Draft, file: str, title: str, intro: list[str]) -> str:
    lines = [HEADER.format(title=title)] + [f"# {s}" for s in intro] + [""]
    facs = [f for f in net.facilities.values() if net.file_of[f["id"]] == file]
    corder = list(net.commodities)
    facs.sort(key=lambda f: (STAGE_ORDER.index(f["stage"]), corder.index(f["output"]), REGIONS.index(f["region"])))
    current = None
    for f in facs:
        key = (f["stage"], f["output"])
        if key != current:
            lines.append(f"# ---- {f['stage']}: {f['output']} " + "-" * 60)
            current = key
        lines += ["[[facility]]", f"id = {q(f['id'])}", f"region = {q(f['region'])}", f"stage = {q(f['stage'])}",
                  f"output = {q(f['output'])}", f"capacity_per_day = {val(f['capacity_per_day'])}"]
        for key in ("restart_days", "restart_ramp_days", "scrap_recovery", "scrap_days"):
            if key in f:
                lines.append(f"{key} = {val(f[key])}")
        if "scrap_input" in f:
            lines.append(f"scrap_input = {q(f['scrap_input'])}")
        if f["recipe"]:
            lines.append("[facility.recipe]")
            for c, v in f["recipe"].items():
                lines.append(f"{c} = {val(v)}")
        lines.append("")
    dems = [d for d in net.demands.values() if net.file_of[d["id"]] == file]
    dems.sort(key=lambda d: (corder.index(d["commodity"]), REGIONS.index(d["region"])))
    if dems:
        lines.append("# ---- final demand " + "-" * 70)
    for d in dems:
        lines += ["[[demand]]", f"id = {q(d['id'])}", f"region = {q(d['region'])}",
                  f"commodity = {q(d['commodity'])}"]
        lines += [f"segment = {q(d['segment'])}"] if "segment" in d else []
        lines += [f"rate_per_day = {val(d['rate_per_day'])}"]
        lines += [f"cover_days = {val(d['cover_days'])}"] if "cover_days" in d else []
        lines.append("")
    # Lanes go in the file of their destination.
    lanes = [l for l in net.lanes if net.file_of[l["destination"]] == file]
    order = {i: n for n, i in enumerate(list(net.facilities) + list(net.demands))}
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
    return "\n".join(lines)


CHAIN_FILES = (
    (MIN, "critical minerals (mining, refining) and NdFeB magnets", (
        "Nine minerals: lithium, cobalt, nickel, graphite, manganese, rare earths (NdPr; Dy/Tb), gallium,",
        "germanium. Mines feed refineries home-first, then pro rata (e.g. Australian spodumene to Chinese",
        "converters). Use outside the modelled battery/chip/magnet chains (stainless steel, superalloys, steel,",
        "refractories, LEDs, fibre optics, ...) is demand where it is consumed, bought by cited import shares",
        "(US from USGS apparent consumption, with US scrap as a 'recycling' plant); what a refinery or mine",
        "makes beyond every draw stays in its own region, so mines and refineries run at their USGS/IEA output.",
    )),
    (BATT, "lithium-ion batteries", (
        "Refined Ni, Co, Mn -> cathode precursor (pCAM); pCAM + lithium chemicals -> cathode active material",
        "(CAM); spherical graphite -> anode active material",
        "(AAM); CAM + AAM -> cells (GWh) -> final demand for cells in each region.",
        "Trade matrices are RAS-balanced: a prior from trade data (named in each share's source) is scaled",
        "so that each supplier produces its cited share and each buyer gets what it uses.",
    )),
    (SEMI, "semiconductors", (
        "Silicon wafers, photoresist, high-purity HF, gallium and germanium -> fabs (memory, advanced logic",
        "<10 nm, mature nodes) -> assembly/test/packaging -> final demand for packaged chips per region.",
        "Wafer counts are 300 mm-equivalent. A chip unit ('wafer-eq') is the good packaged dies from one",
        "processed wafer, so packaging uses 1 processed wafer per wafer-eq.",
        "Chipmaking tools (lithography, deposition, etch/clean, process control; 1 unit = 1,000 USD) are used",
        "by each region's new capacity (fab_new: the capacity added in the year); the installed base (fab)",
        "uses none, so a tool ban cuts capacity growth only.",
        "Trade matrices are RAS-balanced (see the share sources).",
    )),
)


def render(net: Draft) -> dict[str, str]:
    """File name -> text of every baseline data file."""
    files = {"regions.toml": render_regions(), "commodities.toml": render_commodities(net)}
    for file, title, intro in CHAIN_FILES:
        files[file] = render_chain(net, file, title, list(intro))
    return files
