"""End-use buyer segments of chip final demand: automotive, industrial and electronics buyers.

``semiconductors.build`` gives each region one pooled buyer per chip class (memory, advanced logic,
foundry-made and IDM-made mature-node chips). This module, run after the chain builders, splits each
pooled demand into one demand per end-use segment (``Demand.segment``, docs/model.md §5.5), each with
its own consumer stock and cover, and gives every segment the lanes of the pooled buyer with the same
shares, so each region's total per chip class and every flow of the chain stay exactly as they were.

Segments follow the WSTS end-use categories (WSTS Semiconductor End-Use Survey 2022, via SIA):
communications 30 %, PC/computer 26 %, automotive 14 %, industrial 14 %, consumer 14 %, government 2 %
of 2022 sales. ``electronics`` groups communications, computers, consumer and government (72 %): the
impact layer maps all four to C26 and no separate cover is published for them.

* **World share of each class by segment.** Mature-node chips (foundry- and IDM-made): the impact
  table's market by application (``tools/impact/build.py`` ``USE``, derived there from each segment's
  WSTS share and the cited share of its chips in the mature-node categories, ``MATURE_SHARE``:
  automotive 0.75, industrial two thirds; C29 26.4 %, C27 + C28 23.4 %, C26 the rest), so the impact
  layer's pooled and segmented mappings agree. Memory and advanced logic: what is left of each segment's
  WSTS share after its mature-node chips, spread over memory and logic in proportion to their sales
  (SIA/WSTS 2024).
* **Regional split.** A region's automotive chips are its share of world motor-vehicle output (C29
  gross output in the impact table), its industrial chips its share of C27 + C28 output: chips are
  used where the products that carry them are assembled. Electronics takes the rest of the region's
  use. World totals by segment are kept by construction.
* **Covers.** Electronics and industrial buyers hold the chip users' median 40 days of 2019 (US
  Commerce RFI, Jan 2022); automotive buyers one two-week order cycle (Bosch, 2021), a derivation
  marked as an assumption in its source. Each cover carries the range of published holdings
  (``low``/``high``: automotive and industrial 5-40 days, from the RFI's 2021 and 2019 medians;
  electronics 31-40, from the IHS assemblers' days of inventory), which ``supplychain.analytics.cover_band``
  reruns a scenario over.
"""

from __future__ import annotations

from tools.impact.build import MATURE_SHARE, OUTPUT, USE

from .network import Draft, split_demands
from .semiconductors import CHIP_SALES, CHIP_USE_SHARE, CLASSES, SEG_CHIP
from .sources import REGIONS, V, frozen, sig

SEGMENTS = ("automotive", "industrial", "electronics")
#: the sectors of the impact table each segment's chips go into
SECTORS = frozen({"automotive": ("C29",), "industrial": ("C27", "C28"), "electronics": ("C26",)})
WSTS = frozen({"automotive": 0.14, "industrial": 0.14, "electronics": 0.30 + 0.26 + 0.14 + 0.02})
WSTS_SRC = ("WSTS Semiconductor End-Use Survey 2022 (SIA, R. Casanova, 'Chip sales rise in 2022, especially to "
            "auto, industrial, consumer markets', Mar 2023): shares of 2022 semiconductor sales communications 30 %, "
            "PC/computer 26 %, automotive 14 %, industrial 14 %, consumer 14 %, government 2 %")
TOTAL_SALES = 627.6e9  # world semiconductor sales 2024 (SIA/WSTS, Feb 2025), as CHIP_SALES in semiconductors.py
RFI = ("US Department of Commerce, Results from Semiconductor Supply Chain Request for Information (25 Jan 2022; "
       "over 150 responses, automakers and medical-device makers among the chip users): median inventory of the "
       "key chips (the 160 products respondents found hardest to get) 40 days in 2019, under 5 days in 2021, 'even "
       "less in key industries'")
IHS_DOI = ("IHS, PC supply chain days-of-inventory study (2007-2013 average): EMS providers ~40, ODMs ~34, PC OEMs "
           "~31 days of inventory")
#: Days of chip cover held by each segment's buyers: the central value (what the best source says) and the
#: range of published holdings (``low``/``high``), over which ``supplychain.analytics.cover_band`` reruns a
#: scenario. A range end with no figure beyond the central one stays at it (no source gives more).
COVER = frozen({
    "electronics": V(40.0, f"central: the chip users' median of 2019 ({RFI}); electronics assemblers are close to "
                           f"it ({IHS_DOI}). Range 31-40: low = the PC OEMs' 31 days, the leanest of the electronics "
                           "assemblers in normal times (IHS); high = the 2019 median, no published figure above it "
                           "for electronics buyers", low=31.0, high=40.0),
    "industrial": V(40.0, f"central: the chip users' median of 2019 ({RFI}); industrial buyers hold longer-term "
                          "supply contracts than automakers (Infineon CEO R. Ploss, Financial Times, 2021); no "
                          "separate cover published. Range 5-40: low = the 2021 median of the key chips (RFI: "
                          "medical-device makers among the users it names), the cover a shock meets when a shortage "
                          "has drawn stocks; high = the 2019 median, no published figure above it",
                    low=5.0, high=40.0),
    "automotive": V(14.0, "assumption: one two-week order cycle of chips held by automotive buyers under "
                          "just-in-time ('You cannot run on a system [where] every two weeks you get an order', Bosch "
                          "management board member H. Kroeger, CNBC, 26 Aug 2021), below the median of all chip "
                          f"users ({RFI}). Range 5-40: low = the 2021 median of the key chips, automakers being the "
                          "first chip users the RFI names and 'even less in key industries'; high = the 2019 median "
                          "of all chip users, automakers among them. Toyota's 2-6 months held by its suppliers under "
                          "its business-continuity plan since 2011 (Reuters, N. Shirouzu, 8 Mar 2021) is one "
                          "carmaker's exception, not the segment's average", low=5.0, high=40.0),
})


def world_shares() -> dict[str, dict[str, float]]:
    """Each chip class's world use by segment (class -> segment -> share)."""
    mat = {"automotive": USE[("mature_chip", "C29")][0],
           "industrial": USE[("mature_chip", "C27")][0] + USE[("mature_chip", "C28")][0],
           "electronics": USE[("mature_chip", "C26")][0]}
    rest = CHIP_SALES["memory"] + CHIP_SALES["logic"]
    ml = {g: (WSTS[g] * TOTAL_SALES - mat[g] * CHIP_SALES["mature"]) / rest for g in ("automotive", "industrial")}
    ml["electronics"] = 1.0 - sum(ml.values())
    assert all(v > 0 for v in ml.values()), ml
    return {c: dict(mat if c.startswith("mature") else ml) for c in CLASSES}


def world_src(c: str) -> str:
    mat = world_shares()["mature"]
    auto, ind = MATURE_SHARE["automotive"][0], MATURE_SHARE["industrial"][0]
    if c.startswith("mature"):
        return (f"world mature-node use by segment = the impact table's market by application (automotive C29 "
                f"{mat['automotive']:.2%}, industrial C27 + C28 {mat['industrial']:.2%}, electronics C26 the rest, "
                f"{mat['electronics']:.2%}: each segment's share of all sales ({WSTS_SRC}) x the share of its chips "
                f"in the mature-node categories, automotive {auto:g}, industrial {ind:g} (tools/impact/build.py "
                "MATURE_SHARE, cited there: IC Insights 2018 and IHS Markit 2019 for automotive, Semicast Research "
                "2017 for industrial) x 627.6 bn USD / the class's 249.9 bn USD of 2024 sales)")
    return (f"world {c} use by segment: each segment's share of all sales ({WSTS_SRC}) x 627.6 bn USD 2024 less its "
            f"mature-node chips ({mat['automotive']:.2%} automotive, {mat['industrial']:.2%} industrial of 249.9 bn "
            f"USD: {1 - auto:.0%} of the automotive and {1 - ind:.0%} of the industrial segment's chips outside "
            "the mature-node categories, tools/impact/build.py MATURE_SHARE), spread over memory (165.1 bn) and "
            "advanced logic (212.6 bn) in proportion to their sales (SIA/WSTS, Feb 2025); electronics the rest "
            "(assumption: same segment mix for memory and logic)")


def _output_share(sectors: tuple[str, ...]) -> dict[str, float]:
    out = {r: sum(OUTPUT[(r, j)][0] for j in sectors) for r in REGIONS}
    total = sum(out.values())
    return {r: v / total for r, v in out.items()}


def region_shares(c: str) -> dict[str, dict[str, float]]:
    """Region -> segment -> share of the region's use of chip class ``c``."""
    world = world_shares()[c]
    out = {}
    for r in REGIONS:
        d = CHIP_USE_SHARE[c][r]
        sh = {g: world[g] * _output_share(SECTORS[g])[r] / d for g in ("automotive", "industrial")}
        sh["electronics"] = 1.0 - sum(sh.values())
        assert sh["electronics"] > 0.05, (c, r, sh)
        out[r] = sh
    return out


def _share_src(c: str, r: str, g: str, share: float) -> str:
    world = world_shares()[c][g]
    if g == "electronics":
        return (f"segment share {share:.2%}: the region's use not bought by its automotive and industrial segments "
                f"(communications, computers, consumer, government; {WSTS_SRC})")
    sectors = " + ".join(SECTORS[g])
    o = _output_share(SECTORS[g])[r]
    return (f"segment share {share:.2%} = world {g} share {world:.2%} ({world_src(c)}) x the region's share "
            f"{o:.2%} of world {sectors} gross output (impact table, tools/impact/build.py OUTPUT: chips are used "
            f"where vehicles and machines are assembled) / the region's share {CHIP_USE_SHARE[c][r]:.2%} of world "
            f"{c} use")


def apply(net: Draft) -> None:
    """Replace each region's pooled demand of every chip class by one demand per end-use segment.

    Each segment gets the pooled buyer's lanes with the same shares, so flows are unchanged.
    """
    pooled = {f"{r}.demand.{SEG_CHIP[c]}": (r, c) for c in CLASSES for r in REGIONS}

    def parts(i: str, d: dict) -> list[tuple[str, float, str, float]] | None:
        if i not in pooled:
            return None
        r, c = pooled[i]
        rate = d["rate_per_day"]
        return [(g, share, f"derived: {g} buyers' part of the region's use {rate.value:,.6g} wafer-eq/day ("
                 f"{rate.source}); {_share_src(c, r, g, share)}", COVER[g]) for g, share in region_shares(c)[r].items()]

    split_demands(net, parts)
