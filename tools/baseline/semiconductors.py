"""Semiconductors: silicon wafers, photoresist, HF, fabs (memory, advanced logic, mature nodes), packaging, chip demand."""

from __future__ import annotations

from .network import Draft
from .sources import (
    ATP_CAPACITY,
    ATP_CAPACITY_SRC,
    ATP_SITES,
    ATP_SITES_IDM,
    ATP_SITES_OSAT,
    ATP_SITES_SRC,
    ATP_SITES_TOTAL,
    COVER_OUT,
    DAYS,
    GA_PRICE,
    GA_WORLD,
    MY_ATP,
    MY_TO_US,
    REGIONS,
    SEMI,
    SIG_CHIP,
    SIG_SEMI_MAT,
    SIG_WAFER,
    V,
    frozen,
    sig,
)


def add_commodities(net: Draft) -> None:
    """Silicon wafers, photoresist and HF (chip and processed-wafer commodities are added by :func:`build`)."""
    net.commodity("wafer_300mm", "Prime silicon wafers", "wafer (300 mm-eq)", "semiconductors",
              V(sig(12.6e9 / 14.1e9 * 109.6, 4), "derived: 12.6 bn USD / 14.1 bn in² silicon wafer market 2021 "
                                                "(SEMI Silicon Manufacturers Group 2021) = 0.894 USD/in² x 109.6 in² per "
                                                "300 mm wafer"),
              SIG_WAFER, V(30.0, "assumption: fabs hold ~1 month of wafers and wet chemicals"), COVER_OUT)
    net.commodity("photoresist", "Photoresists (all grades), in value units", "kUSD", "semiconductors",
              V(1000.0, "definition: 1 unit = 1,000 USD of photoresist at 2024 prices (no physical volume "
                        "data; market 2.57 bn USD, TECHCET 2024)"),
              SIG_SEMI_MAT, V(30.0, "assumption: fabs hold ~1 month of resist (shelf life ~6 months)"), COVER_OUT)
    net.commodity("hf_high_purity", "High-purity hydrogen fluoride (etchant)", "t", "semiconductors",
              V(1800.0, "assumption: ~1,800 USD/t (order of Japan's pre-2019 export unit value to Korea, "
                        "unverified)"),
              SIG_SEMI_MAT, V(30.0, "assumption: fabs hold ~1 month of wafers and wet chemicals"), COVER_OUT)


CSET_WAFER = frozen({"JP": 56, "TW": 16, "ROW": 14, "KR": 10, "CN": 4})
#: installed wafer-fab capacity by region 2025, million wafers/month (200 mm-equivalent)
SEMI_FAB = frozen({"CN": 10.1, "TW": 5.8, "KR": 5.4, "JP": 4.7, "US": 3.2, "ROW": 2.7 + 1.8})
SEMI_FAB_SRC = ("SEMI World Fab Forecast, press release 18 Jun 2024: 2025 capacity China 10.1, Taiwan 5.8, Korea "
                "5.4, Japan 4.7, Americas 3.2, Europe & Mideast 2.7, South-East Asia 1.8 (ROW here) of 33.7 million "
                "wafers/month (200 mm-equivalent)")
#: world silicon wafer area shipped for semiconductors 2024, square inches
SEMI_WAFER_AREA = 12_266e6
WAFER_AREA_300 = 109.6  # square inches of a 300 mm wafer: pi x (300 / 25.4 / 2)^2
PRIME_PER_START = V(1.1, "assumption: 1 prime wafer per processed wafer plus ~10% test/monitor wafers (SEMI counts "
                         "virgin test wafers in its shipments)")
#: processed (started) wafers per day, 300 mm-equivalent, world
WORLD_STARTS = SEMI_WAFER_AREA / WAFER_AREA_300 / PRIME_PER_START.value / DAYS
STARTS_SRC = (f"world silicon wafer shipments 12,266 million square inches 2024 (SEMI Silicon Manufacturers Group, "
              f"year-end analysis, 13 Feb 2025) / {WAFER_AREA_300} in² per 300 mm wafer / {PRIME_PER_START.value} "
              f"prime wafers per processed wafer / 365 = {WORLD_STARTS:,.0f} processed 300mm-eq wafers/day")
#: Advanced logic is defined once: logic made at nodes below 10 nm (7 nm and below in SEMI's terms).
ADVANCED = "advanced logic = logic at nodes below 10 nm (SEMI: '7 nm and below'; SIA/BCG: '<10 nm')"
SEG_SHARE = frozen({"memory": (4.5 + 3.7) / 33.6, "logic": 0.85 * 2.25 / (33.7 / 1.07)})
SEG_SHARE = frozen({**SEG_SHARE, "mature": 1 - SEG_SHARE["memory"] - SEG_SHARE["logic"]})
SEG_SRC = frozen({
    "memory": (f"memory = {SEG_SHARE['memory']:.1%} of installed capacity: DRAM 4.5 + 3D NAND 3.7 of 33.6 million "
               "wafers/month 2025 (SEMI World Fab Forecast 4Q 2024 edition, press release 7 Jan 2025)"),
    "logic": (f"{ADVANCED} = {SEG_SHARE['logic']:.1%} of installed capacity: 850,000 300 mm wafers/month in 2024 "
              "(SEMI 300mm Fab Outlook, press release 25 Jun 2025) = 1.91 million 200mm-eq of 31.5 million (33.7 "
              "million 2025 / 1.07, SEMI World Fab Forecast, 18 Jun 2024)"),
})
#: Mature-node capacity (nodes of 10 nm and above that are not memory) is split by who runs the fab:
#: foundries, whose customers (fabless firms and IDMs that outsource) can move a design only to another
#: foundry after porting it, and IDMs, whose fabs make their own chips and serve nobody else.
FOUNDRY_MATURE = frozen({"TW": 0.49, "CN": 0.29})
FOUNDRY_MATURE_SRC = ("TrendForce, press release 19 Oct 2023 (China's mature process capacity 29% in 2023, 33% in "
                      "2027; Taiwan 49% in 2023, 42% in 2027): shares of world foundry capacity at 28 nm and older")
#: all-node foundry capacity shares 2023 of the other regions; they split the rest of the mature share
FOUNDRY_ALL = frozen({"KR": 12.0, "US": 6.0, "JP": 2.0, "ROW": 100.0 - 46 - 26 - 12 - 6 - 2})
FOUNDRY_ALL_SRC = ("TrendForce, press release 14 Dec 2023: foundry capacity 2023 Taiwan 46%, China 26%, Korea 12%, "
                   "US 6%, Japan 2% (ROW here the remaining 8%: GlobalFoundries Singapore and Dresden, UMC and VIS "
                   "Singapore, Tower Israel, X-FAB)")
TW_ALL_FOUNDRY = ("assumption: all of Taiwan's non-memory capacity below advanced logic is foundry capacity (TSMC, "
                  "UMC, Vanguard, PSMC; Taiwan's other logic fabs, Macronix and Nuvoton, are small)")


def _foundry_share() -> dict[str, float]:
    rest = 1 - sum(FOUNDRY_MATURE.values())
    others = sum(FOUNDRY_ALL.values())
    return {r: FOUNDRY_MATURE.get(r, rest * FOUNDRY_ALL.get(r, 0.0) / others) for r in REGIONS}


#: each region's share of world mature-node foundry capacity
FOUNDRY_SHARE = frozen(_foundry_share())
#: Memory (DRAM + NAND) wafer starts by fab location, 2024, percent (Yole's figure sums to 101 by rounding).
MEM_YOLE = frozen({"KR": 45.0, "CN": 24.0, "JP": 16.0, "TW": 10.0, "ROW": 4.0, "US": 2.0})
MEM_YOLE_SRC = ("Yole Group (J. Lau), memory market talk, FMS 2025 (Future of Memory and Storage, Santa Clara, Aug "
                "2025) proceedings, reported by A. Fukuda, EE Times Japan, 'Storage Tsushin' no. 300, 12 Dec 2025: "
                "DRAM and NAND flash production by fab location, wafer starts 2024, Korea 45%, China 24%, Japan 16%, "
                "Taiwan 10%, Singapore 4% (ROW here), United States 2%")
MEM_SPLIT = frozen({r: v / sum(MEM_YOLE.values()) for r, v in MEM_YOLE.items()})
MEM_SRC = (f"{MEM_YOLE_SRC}; scaled to sum to 1 (Taiwan {MEM_SPLIT['TW']:.1%}: Micron's Taichung and Taoyuan DRAM "
           "fabs, Nanya, Winbond, PSMC and Macronix; it was 7.3%, Micron's Taiwan DRAM alone, a lower bound)")
#: Share of the wafers of integrated device makers' mature-node chips made at foundries (the rest in their own fabs).
IDM_FOUNDRY = V(0.15, "Market Intelligence & Consulting Institute (MIC, Taiwan), analyst Cheng Kai-an, briefing of 25 "
                      "May 2021 (Central News Agency, 26 May 2021): the integrated device makers that supply "
                      "automotive chips (NXP, Renesas, Infineon, Texas Instruments, Microchip) typically outsource "
                      "about 15% of their chip production to foundries, mainly microcontrollers at 28-65 nm, TSMC "
                      "taking 60-70% of those orders; applied to all IDM mature-node output (assumption: the automotive "
                      "IDMs are the largest mature-node IDMs; analog and power IDMs outsource less, MCU makers more)")
LOGIC_SPLIT = frozen({"TW": 0.69, "KR": 0.31})
LOGIC_SRC = ("SIA/BCG, Emerging Resilience in the Semiconductor Supply Chain (May 2024): <10 nm logic capacity 2022 "
             "Taiwan 69%, Korea 31%, United States 0%; lines started since (TSMC Arizona N4 from Q4 2024, Intel 3) "
             "are left out")
def _memory_atp() -> dict[str, float]:
    share = {r: MEM_SPLIT[r] for r in REGIONS}
    share["ROW"] += share.pop("US")  # Micron packages in Malaysia and Singapore, none in the US
    return share


# ---- the back end by owner: outsourced (OSAT) houses and integrated device makers' (IDM) own plants -----------
# Fabless firms' mature-node chips (made at foundries) go to OSAT houses; IDMs (Texas Instruments, Infineon, ST,
# NXP, Renesas, onsemi, Microchip) test and package mostly in their own plants, half of them in South-East Asia.
# Each location's back-end capacity (CSET/ETO, 2022) is split between its OSAT and IDM sites by their number
# (SEMI/TechSearch, Q4 2021): every site of a location counts for the location's capacity per site, because
# sites differ in size between locations far more than the counts do (the Americas hold 13% of the sites and the
# US 3% of the capacity).
#: where each back-end location is in the model's regions (South-East Asia and Europe are ROW)
ATP_LOC_REGION = frozen({"CN": "CN", "TW": "TW", "JP": "JP", "KR": "KR", "AM": "US", "SEA": "ROW", "EU": "ROW"})
#: locations whose OSAT/IDM split is not published: their rest of both counts, shared by their total sites
_ATP_UNSPLIT = ("JP", "KR", "EU")
ATP_UNSPLIT_SRC = ("assumption: Japan's, Korea's and Europe's OSAT and IDM sites are the 65 OSAT and 14 IDM sites "
                   "the published counts leave, shared in proportion to their 31, 24 and 24 sites")
ATP_AM_SRC = ("assumption: the Americas' sites count as US sites with the US's capacity (Mexico's and Costa Rica's "
              "back-end plants are in CSET's 'various countries', here South-East Asia)")


def _backend_sites() -> dict[str, dict[str, float]]:
    """OSAT and IDM back-end sites by location (SEMI/TechSearch, Q4 2021); the unpublished splits derived."""
    idm = {**ATP_SITES_IDM, "CN": ATP_SITES["CN"] - ATP_SITES_OSAT["CN"], "TW": ATP_SITES["TW"] - ATP_SITES_OSAT["TW"]}
    osat = {**ATP_SITES_OSAT, "SEA": ATP_SITES["SEA"] - ATP_SITES_IDM["SEA"]}
    rest = {"IDM": ATP_SITES_TOTAL["IDM"] - sum(idm.values()), "OSAT": ATP_SITES_TOTAL["OSAT"] - sum(osat.values())}
    unsplit = sum(ATP_SITES[k] for k in _ATP_UNSPLIT)
    assert rest["IDM"] + rest["OSAT"] == unsplit and min(rest.values()) > 0, (rest, unsplit)
    for k in _ATP_UNSPLIT:
        idm[k] = rest["IDM"] * ATP_SITES[k] / unsplit
        osat[k] = rest["OSAT"] * ATP_SITES[k] / unsplit
    return {"OSAT": osat, "IDM": idm}


def _backend_share(owner: str) -> tuple[dict[str, float], str]:
    """Each region's share of ``owner``'s ('OSAT' or 'IDM') back-end capacity, and how it is derived."""
    sites = _backend_sites()[owner]
    cap_key = {loc: "US" if loc == "AM" else loc for loc in ATP_LOC_REGION}
    cap = {loc: ATP_CAPACITY[cap_key[loc]] * n / ATP_SITES[loc] for loc, n in sites.items()}
    total = sum(cap.values())
    share = {r: sum(c for loc, c in cap.items() if ATP_LOC_REGION[loc] == r) / total for r in REGIONS}
    parts = ", ".join(f"{loc} {sites[loc]:.3g} of {ATP_SITES[loc]} sites x {ATP_CAPACITY[cap_key[loc]]:g}%"
                      for loc in ATP_LOC_REGION)
    src = (f"derived: {owner} back-end capacity by location = the location's {owner} sites / all its sites x its "
           f"share of world back-end capacity ({parts}; South-East Asia and Europe are ROW, the Americas US); sites: "
           f"{ATP_SITES_SRC}; {ATP_UNSPLIT_SRC}; capacity: {ATP_CAPACITY_SRC}; {ATP_AM_SRC}; shares "
           + ", ".join(f"{r} {share[r]:.1%}" for r in REGIONS))
    return share, src


_OSAT, _OSAT_SRC = _backend_share("OSAT")
_IDM, _IDM_SRC = _backend_share("IDM")
#: where each chip class is assembled and tested (share of the class's world output)
ATP_SHARE = frozen({
    "memory": frozen(_memory_atp()),
    "logic": frozen({"TW": 0.60, "KR": 0.20, "CN": 0.10, "ROW": 0.10}),
    "mature": frozen(_OSAT),
    "mature_idm": frozen(_IDM),
})
ATP_SRC = frozen({
    "memory": ("memory makers test and package their own output near their fabs (Samsung Electronics: Onyang, "
               "Cheonan, Suzhou; SK hynix: Icheon, Cheongju, Wuxi, Chongqing; Kioxia: Yokkaichi/Kitakami; Micron "
               "Technology Form 10-K 2024: back-end in Taiwan, Malaysia, Singapore, China): packaging share = memory "
               f"capacity share by site ({MEM_SRC}), the US share moved to ROW (South-East Asia)"),
    "logic": (f"assumption for {ADVANCED}: TSMC's in-house advanced packaging and ASE/SPIL in Taiwan 60%, Samsung "
              "and Amkor in Korea 20%, JCET and ASE in China 10%, Amkor and Intel in South-East Asia 10% (no "
              "published split by node; providers from CSET/ETO Chip Explorer dataset, 2022 'Assembly, testing, "
              "and packaging')"),
    "mature": ("fabless firms' mature-node, analog and discrete chips made at foundries go to outsourced assembly "
               f"and test (OSAT) houses: {_OSAT_SRC}"),
    "mature_idm": ("integrated device makers test and package their chips in their own back-end plants, most of them "
                   "in South-East Asia, and can hardly move that work to outsourced houses at short notice (Market "
                   "Intelligence & Consulting Institute, MIC, Taiwan, via SemiMedia, 2020); of South-East Asia's "
                   f"{ATP_CAPACITY['SEA']:g}% of world capacity Malaysia holds {MY_ATP.value:.0%} ({MY_ATP.source}): "
                   f"{_IDM_SRC}"),
})
HOME_PACKING = frozen({
    "memory": V(20.0, "assumption: memory IDMs ship wafers to their own back-end sites in the fab's region"),
    "logic": V(3.0, "assumption: foundries ship most wafers to packaging near the fab"),
    "mature": V(3.0, "assumption: foundries ship most wafers to packaging near the fab"),
    "mature_idm": V(3.0, "assumption: an IDM packages near its fab where it has a back-end plant there; as most IDM "
                         "back-end capacity is in South-East Asia and China, the packagers' totals send most IDM "
                         "wafers there"),
})
#: Packaged chips go where devices are assembled. A back-end region's home users get no extra weight for the
#: mature classes: Malaysia's back end serves every region's device makers (its chips go to Singapore, the US,
#: China, Hong Kong and Vietnam first).
HOME_CHIP = frozen({
    "memory": V(2.0, "assumption: home bias x2"),
    "logic": V(2.0, "assumption: home bias x2"),
    "mature": V(1.0, f"no home bias: back-end regions ship to every region's device makers ({MY_TO_US.source})"),
    "mature_idm": V(1.0, f"no home bias: back-end regions ship to every region's device makers ({MY_TO_US.source})"),
})


#: Japan's high-purity HF exports to Korea, t/yr, and their share of Korea's HF imports
HF_JP_TO_KR = 3000.0 * 12
HF_KR_JP_IMPORT_SHARE = 0.446
HF_KR_DOMESTIC = V(1 / 3, "Korea Ministry of Trade, Industry and Energy (2 Jan 2020): after doubling its capacity "
                          "Soulbrain can supply about two-thirds of the HF solution Korean chipmakers need, so about "
                          "one-third before 2019")
HF_SUPPLIERS = ("JP", "KR", "CN", "TW")
_KR_JP = HF_KR_JP_IMPORT_SHARE * (1 - HF_KR_DOMESTIC.value)
HF_PRIOR = frozen({
    "KR": frozen({"KR": HF_KR_DOMESTIC.value, "JP": _KR_JP, "CN": 1 - HF_KR_DOMESTIC.value - _KR_JP}),
    "TW": frozen({"TW": 0.30, "JP": 0.60, "CN": 0.10}),
    "CN": frozen({"CN": 0.50, "JP": 0.40, "KR": 0.10}),
    "JP": frozen({"JP": 1.0}),
    "US": frozen({"JP": 0.85, "CN": 0.10, "KR": 0.05}),
    "ROW": frozen({"JP": 0.85, "CN": 0.10, "KR": 0.05}),
})
HF_PRIOR_SRC = frozen({
    "KR": (f"Korea: domestic {HF_KR_DOMESTIC.value:.1%} ({HF_KR_DOMESTIC.source}); imports "
           f"{1 - HF_KR_DOMESTIC.value:.1%} of which Japan {HF_KR_JP_IMPORT_SHARE:.1%} (Kyodo, H1 2019, share of "
           "Korea's HF imports by value) and the rest from China, the larger exporter to Korea (UN Comtrade HS "
           "281111, 2016: China 60.8 M USD to Korea, Japan about half that)"),
    "TW": ("assumption: Taiwan's fabs buy ~30% from Sunlit Chemical, Taiwan's leading HF supplier to chipmakers "
           "(no output published), ~60% from Japan, ~10% from China"),
    "CN": "assumption: Chinese fabs half local (Do-Fluoride, Yingpeng), 40% Japan, 10% Korea",
    "JP": "Japanese fabs buy from Stella Chemifa and Morita (Japan ≈ 70% of world high-purity HF, Yonhap 2019)",
    "US": "assumption: ~85% Japan, 10% China, 5% Korea",
    "ROW": "assumption: ~85% Japan, 10% China, 5% Korea",
})
HF_SUPPLIER_SRC = frozen({
    "JP": "Stella Chemifa, Morita Chemical (Japan ≈ 70% of world high-purity HF, Yonhap 2019)",
    "KR": "Soulbrain, SK Materials, ENF Technology",
    "CN": "Do-Fluoride, Yingpeng, Sinochem Lantian",
    "TW": "Sunlit Chemical, Taiwan's leading HF supplier to chipmakers (C&EN 2022)",
})
#: Korea's fluorinated polyimide imports from Japan, USD/yr, and Japan's share of Korea's supply
FPI_KR_FROM_JP = V(20e6, "Woori Finance Research Institute (10 Sep 2019): Korea's fluorinated polyimide imports "
                         "from Japan ~20 M USD in 2018")
FPI_JP_SHARE = V(0.90, "Kyodo News (Aug 2019): Korea relied on Japan for over 90% of its fluorinated polyimide "
                       "(H1 2019)")


UTIL_FAB = frozen({"memory": 0.90, "logic": 0.95, "mature": 0.75, "mature_idm": 0.75})
UTIL_FAB_SRC = frozen({
    "memory": "utilisation 90% (fabs ~90% forecast 2025, DIGITIMES Research; TechInsights)",
    "logic": "utilisation 95% (TSMC leading edge ~100%+ H2 2024, TrendForce)",
    "mature": ("utilisation 75% (mature-node foundry 70-80% 2024, TrendForce; reported: UMC 68% 2Q24 and 71% 3Q24, "
               "UMC quarterly results; SMIC 85.6% for 2024, SMIC annual results)"),
    "mature_idm": ("utilisation 75% (assumption: as mature-node foundries, 70-80% 2024, TrendForce; no utilisation "
                   "of IDM fabs is published)"),
})
CHIP_SALES = frozen({"memory": 165.1e9, "logic": 212.6e9, "mature": 627.6e9 - 165.1e9 - 212.6e9})
CHIP_SALES_SRC = frozen({
    "memory": "memory sales 2024 165.1 bn USD (SIA/WSTS, Feb 2025)",
    "logic": ("logic sales 2024 212.6 bn USD (SIA/WSTS, Feb 2025), taken as the value of advanced logic (WSTS "
              "'logic': application processors, GPUs and ASICs, mostly made below 10 nm; no sales figure by node "
              "is published)"),
    "mature": ("total 627.6 bn - memory 165.1 - logic 212.6 = 249.9 bn USD 2024 (SIA/WSTS, Feb 2025): "
               "microprocessors and microcontrollers, analog, discretes, optoelectronics and sensors"),
})
# Chip demand by where chips are used (device assembly), not where they are billed.
# China (with Hong Kong): IC Insights 2020, 41.0% of world ICs and 35.2% of all semiconductors.
CN_USE = frozen({"memory": 0.41, "logic": 0.41, "mature": 0.352, "mature_idm": 0.352})
CN_USE_SRC = frozen({
    "memory": ("China (with Hong Kong) consumed 41.0% of world ICs by value in 2020 (IC Insights, China IC market "
               "2020: 143.4 of ~350 bn USD; location of device assembly, incl. ~60% built into exported systems); "
               "applied to memory (China's IC mix 2020: DRAM+NAND ~30%, IC Insights, close to the world mix)"),
    "logic": ("China (with Hong Kong) consumed 41.0% of world ICs by value in 2020 (IC Insights, China IC market "
              "2020; location of device assembly); applied to advanced logic (phones, PCs assembled in China)"),
    "mature": ("China (with Hong Kong) consumed 35.2% of all semiconductors by value in 2020 (IC Insights: "
               "154.6 bn USD; location of device assembly); applied to mature-node chips"),
    "mature_idm": ("China (with Hong Kong) consumed 35.2% of all semiconductors by value in 2020 (IC Insights: "
                   "154.6 bn USD; location of device assembly); applied to mature-node chips"),
})
OTHER_USE = frozen({"JP": 0.075, "US": 0.12, "KR": 0.04, "TW": 0.04})
OTHER_USE_SRC = frozen({
    "JP": ("assumption: 7.5% = Japan's bill-to share 2024 (47 of 627 bn USD, SIA/WSTS, Feb 2025); Japanese "
           "device makers buy mostly for home assembly, so billing is close to use"),
    "US": ("assumption: 12%: the Americas' bill-to share was 19% before AI servers inflated it (78.6 of 412.3 bn "
           "USD 2019, SIA/WSTS, Feb 2020), less Mexico/Canada/Brazil (in ROW here) and chips billed to US firms "
           "but shipped to contract assemblers in Asia"),
    "KR": ("assumption: 4%: Korean assembly of memory modules, displays, cars and home appliances; Samsung's phones "
           "are mostly assembled in Vietnam and India (ROW)"),
    "TW": ("assumption: 4%: AI-server and PC assembly in Taiwan; Taiwanese ODMs assemble mostly in China and "
           "South-East Asia (Taiwan 1% of chip demand by buyer headquarters, McKinsey 2023)"),
})


def _chip_use_share(seg: str) -> dict[str, float]:
    share = {"JP": OTHER_USE["JP"], "KR": OTHER_USE["KR"], "US": OTHER_USE["US"], "CN": CN_USE[seg],
             "TW": OTHER_USE["TW"]}
    share["ROW"] = 1 - sum(share.values())
    return share


CHIP_USE_SHARE = frozen({s: frozen(_chip_use_share(s)) for s in ("memory", "logic", "mature", "mature_idm")})


def chip_use_src(seg: str, r: str) -> str:
    if r == "CN":
        return CN_USE_SRC[seg]
    if r == "ROW":
        return ("derived: the rest of world use (Europe ~8%: 51 of 627 bn USD bill-to 2024, SIA/WSTS; South-East "
                "Asia, India, Mexico) = 1 minus the other regions")
    return OTHER_USE_SRC[r]


#: the chip classes: capacity segments, with mature-node capacity split into foundry and IDM fabs
CLASSES = ("memory", "logic", "mature", "mature_idm")
SEG_WAFER = frozen({"memory": "memory_wafer", "logic": "logic_wafer", "mature": "mature_wafer",
                    "mature_idm": "mature_idm_wafer"})
SEG_CHIP = frozen({"memory": "memory_chip", "logic": "logic_chip", "mature": "mature_chip",
                   "mature_idm": "mature_idm_chip"})
SEG_NAME = frozen({"memory": ("Packaged memory chips", "Processed memory wafers (front-end done)"),
                   "logic": ("Packaged advanced-logic chips (nodes below 10 nm)",
                             "Processed advanced-logic wafers (nodes below 10 nm)"),
                   "mature": ("Packaged mature-node chips made at foundries (nodes of 10 nm and above)",
                              "Processed mature-node foundry wafers (front-end done)"),
                   "mature_idm": ("Packaged mature-node chips made in integrated device makers' own fabs",
                                  "Processed mature-node IDM wafers (front-end done)")})

def _split_mature(cap: dict[tuple[str, str], float], cap_src: dict[tuple[str, str], str]) -> None:
    """Split each region's mature-node capacity into foundry (``mature``) and IDM (``mature_idm``) fabs.

    Taiwan's is all foundry; world mature-node foundry capacity is Taiwan's over its share of it, and every
    other region holds its share of that; the rest of a region's mature-node capacity is its IDMs'.
    """
    world = cap[("TW", "mature")] / FOUNDRY_SHARE["TW"]
    world_src = (f"world {world:,.0f}/day = Taiwan's mature-node capacity {cap[('TW', 'mature')]:,.0f}/day "
                 f"({cap_src[('TW', 'mature')]}; {TW_ALL_FOUNDRY}) / {FOUNDRY_SHARE['TW']:.0%}")
    for r in REGIONS:
        mat, src = cap[(r, "mature")], cap_src[(r, "mature")]
        foundry = FOUNDRY_SHARE[r] * world
        assert 0 < foundry <= mat * (1 + 1e-12), (r, foundry, mat)
        share_src = (f"{FOUNDRY_SHARE[r]:.1%} of world mature-node foundry capacity "
                     + (f"({FOUNDRY_MATURE_SRC})" if r in FOUNDRY_MATURE else
                        f"(the {1 - sum(FOUNDRY_MATURE.values()):.0%} left by Taiwan and China in "
                        f"{FOUNDRY_MATURE_SRC}, split by {FOUNDRY_ALL_SRC})"))
        cap[(r, "mature")] = foundry
        cap_src[(r, "mature")] = f"derived: {share_src} x {world_src}"
        if mat - foundry > 1e-9 * mat:
            cap[(r, "mature_idm")] = mat - foundry
            cap_src[(r, "mature_idm")] = (f"derived: the region's mature-node capacity {mat:,.0f}/day ({src}) less its "
                                          f"foundry capacity {foundry:,.0f}/day ({share_src}): integrated device "
                                          "makers' own fabs (analog, power, discretes, sensors, in-house MCUs)")


def build(net: Draft) -> dict[tuple[str, str], str]:
    """Fabs, packaging, chip demand, wafer/resist/HF suppliers and their trade; returns the fab ids."""
    fab_use: dict[str, dict[str, float]] = {}  # fab id -> {input: units/day}
    fab_out: dict[str, float] = {}
    # Fab capacity by region and segment.
    cap: dict[tuple[str, str], float] = {}
    cap_src: dict[tuple[str, str], str] = {}
    # Capacity that runs the world's wafer starts at each class's utilisation.
    world_cap = WORLD_STARTS / sum(SEG_SHARE[s] * UTIL_FAB[s] for s in SEG_SHARE)
    cap_total_src = (f"world capacity {world_cap:,.0f} 300mm-eq wafers/day = {STARTS_SRC} / capacity-weighted "
                     f"utilisation {WORLD_STARTS / world_cap:.3f}")
    for r in REGIONS:
        tot = SEMI_FAB[r] / sum(SEMI_FAB.values()) * world_cap
        mem = MEM_SPLIT[r] * SEG_SHARE["memory"] * world_cap
        log = LOGIC_SPLIT.get(r, 0) * SEG_SHARE["logic"] * world_cap
        mat = tot - mem - log
        assert mat > 0, r
        cap[(r, "memory")] = mem
        cap_src[(r, "memory")] = (f"derived: {MEM_SPLIT[r]:.1%} of memory capacity ({SEG_SRC['memory']}) of "
                                  f"{cap_total_src}; site split {MEM_SRC}")
        if log > 0:
            cap[(r, "logic")] = log
            cap_src[(r, "logic")] = (f"derived: {LOGIC_SPLIT[r]:.0%} of advanced-logic capacity ({SEG_SRC['logic']}) "
                                     f"of {cap_total_src}; site split {LOGIC_SRC}")
        cap[(r, "mature")] = mat
        cap_src[(r, "mature")] = (f"derived: region's fab capacity {SEMI_FAB[r] / sum(SEMI_FAB.values()):.1%} of "
                                  f"world ({SEMI_FAB_SRC}) x {cap_total_src} = {tot:,.0f}/day, minus its memory "
                                  f"{mem:,.0f} and advanced-logic {log:,.0f} capacity")
    _split_mature(cap, cap_src)
    seg_total = {s: sum(v * UTIL_FAB[s] for (r, ss), v in cap.items() if ss == s) for s in CLASSES}
    mature_out = seg_total["mature"] + seg_total["mature_idm"]
    # Packaged chips by class: every foundry wafer becomes a foundry-made chip (``mature_chip``), whether a
    # fabless firm or an IDM sells it; an IDM's own fabs make its ``mature_idm_chip``. The IDMs' outsourced
    # chips are packaged in their own back-end plants (IDM_BACKEND plants of ``mature_chip``).
    q = IDM_FOUNDRY.value
    idm_bought = seg_total["mature_idm"] * q / (1 - q)
    chip_total = dict(seg_total)
    assert idm_bought < 0.5 * seg_total["mature"], (idm_bought, seg_total)
    idm_src = (f"derived: IDMs' chips made at foundries = {q:.0%} of all IDM chips ({IDM_FOUNDRY.source}) = "
               f"{q:.2f} / {1 - q:.2f} x the IDM fabs' {seg_total['mature_idm']:,.0f} wafers/day = {idm_bought:,.0f} "
               f"of the foundries' {seg_total['mature']:,.0f} wafers/day")
    # Chip prices.
    prices = {}
    for s in CLASSES:
        sales, sales_src = CHIP_SALES.get(s, 0.0), CHIP_SALES_SRC.get(s, "")
        if s in ("mature", "mature_idm"):
            part = chip_total[s] / mature_out
            sales = CHIP_SALES["mature"] * part
            sales_src = (f"{part:.1%} of mature-node sales, its share of the modelled mature-node chip output "
                         f"(assumption: foundry-made and IDM-made chips fetch the same value per wafer; no split of "
                         f"sales by maker type is published): {CHIP_SALES_SRC['mature']}")
        p = sales / (chip_total[s] * DAYS)
        prices[s] = p
        net.commodity(SEG_CHIP[s], SEG_NAME[s][0],
                  "wafer-eq", "semiconductors",
                  V(sig(p, 4), f"derived: {sales_src} / {chip_total[s] * DAYS:,.0f} wafer-eq/yr modelled "
                               "output (unit = good packaged dies from one 300 mm-eq wafer)"),
                  SIG_CHIP, V(40.0, "US Department of Commerce, Results from Semiconductor Supply Chain Request for "
                                    "Information (25 Jan 2022): median chip inventory of users 40 days in 2019"),
                  COVER_OUT)
        net.commodity(SEG_WAFER[s], SEG_NAME[s][1], "wafer (300 mm-eq)", "semiconductors",
                  V(sig(0.9 * p, 4), "assumption: processed wafer worth 90% of the packaged chips it yields "
                                     "(ATP ≈ 6% of value added, SIA/BCG 2021, recalled)"),
                  SIG_CHIP, V(14.0, "assumption: packaging houses hold ~2 weeks of die bank"), COVER_OUT)
    # Fabs.
    fab_ids: dict[tuple[str, str], str] = {}
    for (r, s), c in cap.items():
        prod = c * UTIL_FAB[s]
        i = net.facility(SEMI, r, "fab", SEG_WAFER[s], prod, 1.0, cap_src[(r, s)] + f"; throughput at "
                     f"{UTIL_FAB_SRC[s]}", capacity=c)
        fab_ids[(r, s)] = i
        fab_out[i] = prod
    # Chip demand and packaging.
    wafer_buyers: dict[str, dict[str, float]] = {SEG_WAFER[s]: {} for s in CLASSES}  # wafer -> packager -> use
    for s in CLASSES:
        total = chip_total[s]
        demands = {}
        for r in REGIONS:
            sh = CHIP_USE_SHARE[s][r]
            d = net.demand(SEMI, r, SEG_CHIP[s], sh * total,
                       f"derived: {sh:.2%} of world {s} output {total:,.0f} wafer-eq/day (= modelled chip "
                       f"output) used where devices are assembled; regional share: {chip_use_src(s, r)}")
            demands[d] = sh * total
        _build_packaging(net, s, total, demands, wafer_buyers, idm_bought, idm_src)
    # Fab -> packaging: foundries serve the fabless firms' packagers and, for their foundry part, the IDMs'.
    for s in CLASSES:
        fabs = {fab_ids[(r, ss)]: r for (r, ss) in fab_ids if ss == s}
        ftargets = {f: fab_out[f] for f in fabs}
        home = HOME_PACKING[s]
        net.balance_trade(SEG_WAFER[s], fabs, wafer_buyers[SEG_WAFER[s]], ftargets,
                      lambda sreg, b, home=home, s=s: fab_out[fab_ids[(sreg, s)]] * (
                          home.value if b.startswith(sreg + ".") else 1.0),
                      f"fab output shares x{home.value:g} for packaging in the fab's own region ({home.source})",
                      "modelled fab throughput")
    # Fab inputs.
    seg_of = {i: s for (r, s), i in fab_ids.items()}
    # Silicon wafers: 1.1 per processed wafer.
    wafer_ratio = PRIME_PER_START
    # Photoresist value per wafer, weighted by lithography intensity.
    pr_w = {"mature": 1.0, "mature_idm": 1.0, "memory": 1.5, "logic": 3.0}
    pr_base = 2.57e9 / DAYS / 1000 / sum(seg_total[s] * pr_w[s] for s in seg_total)  # kUSD per mature wafer
    # HF: Japan's exports to Korea 3,000 t/month = 44.6% of Korea's imports; imports = 2/3 of Korea's use.
    kr_out = sum(fab_out[i] for (r, s), i in fab_ids.items() if r == "KR")
    kr_hf_use = HF_JP_TO_KR / (HF_KR_JP_IMPORT_SHARE * (1 - HF_KR_DOMESTIC.value))
    hf_per_wafer = kr_hf_use / DAYS / kr_out
    for i, s in seg_of.items():
        rec = {
            "wafer_300mm": wafer_ratio,
            "photoresist": V(sig(pr_base * pr_w[s], 4),
                             f"derived: photoresist market 2.57 bn USD 2024 (TECHCET) spread over modelled wafer "
                             f"starts weighted mature 1 : memory 1.5 : advanced logic 3 (assumption: lithography "
                             f"layers/EUV resist); weight {pr_w[s]}"),
            "hf_high_purity": V(sig(hf_per_wafer, 4),
                                f"derived: Japan's HF exports to Korea ~3,000 t/month (Japan Ministry of Finance trade "
                                f"statistics, 2018-H1 2019) = 44.6% of Korea's HF imports (Kyodo, H1 2019), imports "
                                f"= 1 - {HF_KR_DOMESTIC.value:.3f} of Korea's use ({HF_KR_DOMESTIC.source}) -> "
                                f"{kr_hf_use:,.0f} t/yr over Korea's modelled {kr_out:,.0f} wafers/day (2019 HF "
                                f"volumes on 2024 wafer volumes); same intensity for all fabs (assumption)"),
        }
        net.facilities[i]["recipe"] = rec
        fab_use[i] = {k: fab_out[i] * v.value for k, v in rec.items()}
    # Silicon wafer suppliers.
    use = {i: u["wafer_300mm"] for i, u in fab_use.items()}
    total = sum(use.values())
    sup, tgt = {}, {}
    for r, sh in CSET_WAFER.items():
        i = net.facility(SEMI, r, "wafer", "wafer_300mm", sh / 100 * total, 0.95,
                     f"derived: wafer share {sh}% (CSET/ETO Chip Explorer dataset, 2019 'Wafer'; DE counted as ROW) x "
                     f"modelled wafer use {total:,.0f}/day / utilisation 0.95 (TECHCET 300 mm wafer supply 95-96% "
                     "2023)")
        sup[i] = r
        tgt[i] = sh / 100 * total
    net.balance_trade("wafer_300mm", sup, use, tgt,
                  lambda sreg, b: CSET_WAFER[sreg] * (2.0 if b.startswith(sreg + ".") else 1.0),
                  "world wafer shares (CSET/ETO Chip Explorer dataset, 2019) x2 for the fab's own region "
                  "(assumption)", "wafer shares (CSET/ETO Chip Explorer dataset, 2019)")
    # Photoresist.
    pr_share = {"JP": 0.90, "US": 0.05, "KR": 0.04, "CN": 0.01}
    use = {i: u["photoresist"] for i, u in fab_use.items()}
    total = sum(use.values())
    sup, tgt = {}, {}
    for r, sh in pr_share.items():
        src = ("Japanese makers ≈ 90-91% of the global market (Nikkei 2025, via TrendForce)"
               if r == "JP" else "assumption: split of the non-Japanese ~10% among CSET-listed providers "
                                 "(CSET/ETO Chip Explorer dataset, 2019: CN, JP, KR, US)")
        i = net.facility(SEMI, r, "chemical", "photoresist", sh * total, 0.80,
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

    net.balance_trade("photoresist", sup, use, tgt, pr_prior,
                  "KR >90% from JP before 2019 (Kyodo via BusinessKorea, 2019), CN fabs use some local "
                  "resist, others ~90% JP (assumption)", "photoresist shares (see the chemical capacity sources)")
    # HF: buyers source by region (cited shares for Korea); suppliers make what their buyers draw.
    use = {i: u["hf_high_purity"] for i, u in fab_use.items()}
    ids = {r: f"{r}.chemical.hf_high_purity" for r in HF_SUPPLIERS}
    drawn = net.source_direct("hf_high_purity", ids, use, HF_PRIOR, HF_PRIOR_SRC)
    for r, i in ids.items():
        net.facility(SEMI, r, "chemical", "hf_high_purity", drawn[i], 0.80,
                     f"derived: what its buyers draw, {drawn[i]:,.1f} t/day of modelled HF use "
                     f"{sum(use.values()):,.1f} t/day; {HF_SUPPLIER_SRC[r]}; utilisation 0.80 (assumption)")
    _build_fpi(net)
    return fab_ids


def _rename(net: Draft, old: str, new: str) -> str:
    """Give facility ``old`` the id ``new`` (a second plant of one stage and output in a region)."""
    f = net.facilities.pop(old)
    f["id"] = new
    net.facilities[new] = f
    net.file_of[new] = net.file_of.pop(old)
    return new


#: id suffix of the IDMs' back-end plants that package the chips IDMs have made at foundries
IDM_BACKEND = "idm_backend"


def _build_packaging(net: Draft, s: str, total: float, demands: dict[str, float],
                     wafer_buyers: dict[str, dict[str, float]], idm_bought: float, idm_src: str) -> None:
    """Packaging plants of chip class ``s`` (``total`` wafer-eq/day) and their lanes to the chip ``demands``.

    Records each plant's wafer use in ``wafer_buyers`` (wafer commodity -> plant id -> wafer-eq/day), which
    the fab -> packaging trade is balanced against. ``demands`` maps demand id -> rate; any number of demands
    per region is allowed (the region is the id's first field). Foundry-made chips (``mature``) are packaged
    by the outsourced houses for fabless firms and, for the ``idm_bought`` wafer-eq/day IDMs have made at
    foundries, by the IDMs' own back-end plants (id suffix ``IDM_BACKEND``).
    """
    pk = {}
    targets = {}
    atp = ATP_SHARE[s]
    unit = "definition: 1 wafer-eq of chips = the good dies of one processed wafer"
    # (shares, daily output packaged, id suffix, what the plant packages)
    routes = [(atp, total, "", "")]
    if s == "mature":
        # the IDMs' plants first: Draft.facility names a plant by region, stage and output, so each is
        # renamed before the region's outsourced plant takes that name
        routes = [(ATP_SHARE["mature_idm"], idm_bought, IDM_BACKEND,
                   f"; the chips integrated device makers have made at foundries ({idm_src}), packaged in their own "
                   f"back-end plants: {ATP_SRC['mature_idm']}"),
                  (atp, total - idm_bought, "", "; the fabless firms' part, all foundry-made chips less the IDMs' ")]
    for shares, out, suffix, what in routes:
        for r, sh in shares.items():
            prod = sh * out
            src = (f"derived: {sh:.1%} of world {s} output {total:,.0f} wafer-eq/day ({ATP_SRC[s]}) / "
                   "utilisation 0.80 (assumption, cf. fabs ~80% H2 2024, DIGITIMES Research)")
            if s == "mature":
                src = (f"derived: {sh:.1%} of {out:,.0f} wafer-eq/day{what}"
                       + (f"{idm_bought:,.0f}; {ATP_SRC[s]}" if not suffix else "")
                       + " / utilisation 0.80 (assumption, cf. fabs ~80% H2 2024, DIGITIMES Research)")
            i = net.facility(SEMI, r, "packaging", SEG_CHIP[s], prod, 0.80, src,
                             recipe={SEG_WAFER[s]: V(1.0, f"{unit}; foundry wafers of the chips IDMs have made at "
                                                          f"foundries ({idm_src})" if suffix else unit)})
            if suffix:
                i = _rename(net, i, f"{i}.{suffix}")
            pk[i] = r
            targets[i] = prod
            wafer_buyers[SEG_WAFER[s]][i] = prod
    home = HOME_CHIP[s]
    net.balance_trade(SEG_CHIP[s], pk, demands, targets,
                      lambda sreg, b: atp[sreg] * (home.value if b.split(".")[0] == sreg else 1.0),
                      f"packaging shares ({ATP_SRC[s]}) x{home.value:g} for the home region ({home.source})",
                      "packaging shares (see the packaging capacity sources)")


def _build_fpi(net: Draft) -> None:
    """Fluorinated polyimide for flexible displays: Korean display makers' demand, Japanese and Korean supply.

    Only Korea's use is modelled (the only published volume); display panels are not a modelled chain, so
    the display makers are a final demand.
    """
    total = FPI_KR_FROM_JP.value / FPI_JP_SHARE.value / 1000.0 / DAYS  # kUSD/day
    net.commodity("fluorinated_polyimide", "Fluorinated polyimide (flexible-display substrate film), in value units",
                  "kUSD", "semiconductors",
                  V(1000.0, "definition: 1 unit = 1,000 USD of fluorinated polyimide at 2018 prices"),
                  SIG_SEMI_MAT, V(30.0, "assumption: display makers hold ~1 month of films and chemicals"),
                  COVER_OUT)
    d = net.demand(SEMI, "KR", "fluorinated_polyimide", total,
                   f"derived: {FPI_KR_FROM_JP.value / 1e6:.0f} M USD/yr from Japan ({FPI_KR_FROM_JP.source}) / "
                   f"Japan's share {FPI_JP_SHARE.value:.0%} ({FPI_JP_SHARE.source}); Korean display makers (Samsung "
                   "Display, LG Display)")
    shares = {"JP": FPI_JP_SHARE.value, "KR": 1 - FPI_JP_SHARE.value}
    src = {"JP": "Sumitomo Chemical, Ube, Kaneka", "KR": "Kolon Industries, SKC (pilot lines before 2019)"}
    for r, sh in shares.items():
        i = net.facility(SEMI, r, "chemical", "fluorinated_polyimide", sh * total, 0.80,
                         f"derived: {sh:.0%} of Korea's use {total:,.1f} kUSD/day ({FPI_JP_SHARE.source}); {src[r]}; "
                         "utilisation 0.80 (assumption)")
        net.lane(i, d, "fluorinated_polyimide", sh, f"{FPI_JP_SHARE.source}; flow {sh * total:,.2f} of "
                                                     f"{total:,.2f} kUSD/day")


# ---- compound semiconductors (GaAs/GaN): the stage that carries gallium ------------------------------------
#: world primary gallium going into GaAs/GaN devices (ICs + LEDs), fraction of primary output
GA_COMPOUND = V(0.415, "Løvik, Restrepo & Müller, 'The global anthropogenic gallium system', Environ. Sci. "
                       "Technol. 49 (2015): end uses of primary gallium 2011: ICs 16-27%, GaAs/GaP LEDs 11-21%, "
                       "GaN LEDs 2-6%; midpoints 21.5 + 16 + 4 = 41.5%")
#: world compound-device market, USD/yr: LEDs + RF GaN + GaAs RF/optoelectronics
CMP_MARKET = frozen({"led": 14.214e9, "rf_gan": 1.3e9, "gaas": 8.0e9})
CMP_MARKET_SRC = ("LED market 14.214 bn USD 2022 (TrendForce, LED industry database, Mar 2023) + RF GaN devices "
                  "1.3 bn USD 2022 (Yole Intelligence, RF GaN 2023) + GaAs RF and optoelectronic devices 8.0 bn USD "
                  "(assumption: Strategy Analytics put GaAs devices at 3.7 bn USD in 2009 with ~5%/yr growth; "
                  "smartphone front-ends and VCSELs since)")
#: US gallium consumption (kg/yr) and the GaAs/GaN share of it
US_GA = 19_000.0
US_GA_CMP = 0.99
US_GA_SRC = ("US gallium consumption 19,000 kg 2025e; end uses ICs 73%, optoelectronics 26%, all GaAs or GaN "
             "(USGS Mineral Commodity Summaries 2026, gallium)")
#: region's share of world gallium used in compound devices (US derived from USGS, ROW the remainder)
CMP_SPLIT = frozen({"JP": 0.41, "CN": 0.35, "TW": 0.09, "KR": 0.03})
CMP_SPLIT_SRC = frozen({
    "JP": ("Japan 41% of world gallium consumption 2020 (Roskill, Gallium market report, 10th ed.: 47% in 2014; "
           "GaAs substrates, Nichia GaN LEDs)"),
    "CN": "China 35% of world gallium consumption 2020 (Roskill, Gallium market report, 10th ed.: 19% in 2014)",
    "TW": ("assumption: 9%: GaAs RF foundries (WIN Semiconductors, AWSC) and LED chips (Epistar); no published "
           "Taiwan gallium consumption found"),
    "KR": "assumption: 3%: LED makers (Seoul Semiconductor, Samsung LED); Korea's gallium use in t not published",
})
UTIL_CMP = V(0.75, "assumption: compound fabs run like mature-node foundries, 70-80% in 2024 (TrendForce); 75%")
#: where the DEVICES are made (front-end device fabs), share of each device class's world value by region.
#: Gallium is consumed where substrates and epitaxial wafers are grown (CMP_SPLIT); the device fabs buy those
#: wafers. LED chips are grown and diced in one plant, so for LEDs the two stages sit together.
CMP_DEVICE = frozen({
    "led": frozen({"CN": 0.54}),
    "gaas": frozen({"US": 0.52, "TW": 0.11}),
    "rf_gan": frozen({"US": 0.50, "JP": 0.30}),
})
CMP_DEVICE_SRC = frozen({
    "led": ("China 54% of world LED-chip (MOCVD) capacity 2017 (LEDinside/TrendForce, LED supply and demand "
            "analysis, Oct 2017: San'an, HC SemiTek, Aucksun); the other regions' LED chips (Epistar TW, Nichia JP, "
            "Seoul Viosys/Samsung KR, ams OSRAM ROW) in proportion to their share of gallium use (assumption)"),
    "gaas": ("US 52%: US companies' share of the merchant GaAs device market 2005 (Strategy Analytics, via "
             "elektroniknet.de, 'US-Firmen sind bei Gallium-Arsenid-ICs führend', 2006: Skyworks, TriQuint (now "
             "Qorvo) and others, fabs in Woburn MA, Newbury Park CA, Greensboro NC, "
             "Hillsboro OR, Fort Collins CO (Avago, now Broadcom)); TW 11%: WIN Semiconductors, the largest pure-play "
             "GaAs foundry, revenue NT$6.01 bn in Q1 2021 (Taipei Times, 10 May 2021) x 4 / 28 NT$ per USD = "
             "0.86 bn USD of the 8.0 bn USD GaAs market; the rest (Murata, Mitsubishi Electric, Sumitomo JP; "
             "Sanan IC CN; UMS ROW) in proportion to gallium use (assumption)"),
    "rf_gan": ("RF GaN revenue concentrated in Sumitomo Electric Device Innovations (JP), Wolfspeed and Qorvo (US) "
               "(Strategy Analytics, GaN device supply chain, 2016); no shares published: assumption US 50%, JP 30%, "
               "the rest in proportion to gallium use"),
})
#: a unit of compound wafers: the substrates and epitaxial wafers that go into 1,000 USD of devices
CMP_WAFER_VALUE = V(0.15, "assumption: substrates and epiwafers 15% of device value; compound substrates were "
                          "0.82 bn USD in 2007 (Yole Developpement, Compound Semiconductor Materials report, via "
                          "Compound Semiconductor, 2008) against GaAs devices alone at 3.7 bn USD (Strategy Analytics, "
                          "2009) plus LEDs, so substrates are under a fifth of device value; GaAs substrates alone "
                          "were 0.20 bn USD in 2019, 37% of it for RF (Yole Developpement, GaAs wafer and epiwafer "
                          "market, June 2020): 0.074 bn USD, under 1% of the 8.0 bn USD of GaAs devices above, "
                          "so most of the 15% is epitaxy (merchant epiwafers; LED epi grown in the LED chip plant), "
                          "for which no published market size was found")


def _device_split(gallium_split: dict[str, float]) -> tuple[dict[str, dict[str, float]], str]:
    """Each device class's world-market weight x its regional shares, by class and region, and how."""
    out = {}
    parts = []
    market = sum(CMP_MARKET.values())
    for cls, fixed in CMP_DEVICE.items():
        rest = 1 - sum(fixed.values())
        others = {r: gallium_split[r] for r in REGIONS if r not in fixed}
        tot = sum(others.values())
        share = {r: fixed.get(r, rest * others.get(r, 0.0) / tot) for r in REGIONS}
        w = CMP_MARKET[cls] / market
        out[cls] = {r: w * share[r] for r in REGIONS}
        parts.append(f"{cls} {CMP_MARKET[cls] / 1e9:.2f} bn USD: " + ", ".join(f"{r} {share[r]:.0%}" for r in REGIONS)
                     + f" ({CMP_DEVICE_SRC[cls]})")
    return out, "; ".join(parts)


def build_compound(net: Draft) -> None:
    """Compound-semiconductor wafers (GaAs/GaN substrates and epiwafers, the stage that takes gallium) and device
    fabs (RF front-ends, power, LEDs, lasers), their demand and trade.

    Gallium enters the semiconductor chain only here: silicon wafers (memory, logic, mature nodes) use none.
    Wafers are grown where gallium is consumed (Roskill, JOGMEC, USGS); devices are made where the device fabs
    are (Skyworks, Qorvo, Broadcom in the US; WIN in Taiwan; LED chip makers in China).
    """
    market = sum(CMP_MARKET.values())
    world_ga = GA_COMPOUND.value * GA_WORLD  # kg/yr
    intensity = world_ga / (market / 1000.0)  # kg Ga per kUSD of devices
    net.commodity("compound_wafer", "GaAs/GaN substrates and epitaxial wafers, in device-value units", "kUSD-dev",
                  "semiconductors",
                  V(sig(1000.0 * CMP_WAFER_VALUE.value, 4),
                    f"definition: 1 unit = the wafers that go into 1,000 USD of devices; price 1,000 USD x "
                    f"{CMP_WAFER_VALUE.value:.0%} ({CMP_WAFER_VALUE.source})"),
                  SIG_WAFER, V(30.0, "assumption: fabs hold ~1 month of wafers and wet chemicals"), COVER_OUT)
    net.commodity("compound_chip", "Compound-semiconductor devices (GaAs/GaN RF, power, LEDs, lasers), in value "
                                   "units", "kUSD", "semiconductors",
                  V(1000.0, "definition: 1 unit = 1,000 USD of GaAs/GaN devices at 2022 prices (no common "
                            "physical unit for RF chips, LEDs and lasers)"),
                  SIG_CHIP, V(40.0, "US Department of Commerce, Results from Semiconductor Supply Chain Request "
                                    "for Information (25 Jan 2022): median chip inventory of users 40 days in 2019"),
                  COVER_OUT)
    ga_rec = V(sig(intensity, 4),
               f"derived: {GA_COMPOUND.value:.1%} of world primary gallium 900,000 kg 2025e (USGS MCS 2026) = "
               f"{world_ga:,.0f} kg/yr in GaAs/GaN devices ({GA_COMPOUND.source}) / world compound-device "
               f"market {market / 1e9:.2f} bn USD ({CMP_MARKET_SRC}) = {intensity:.4f} kg Ga per 1,000 USD "
               f"(gallium ≈ {intensity * GA_PRICE / 10:.1f}% of device value at {GA_PRICE:,.0f} USD/kg)")
    us_share = US_GA * US_GA_CMP / world_ga
    split = dict(CMP_SPLIT)
    split["US"] = us_share
    split["ROW"] = 1 - sum(split.values())
    assert split["ROW"] > 0.03, split
    src = dict(CMP_SPLIT_SRC)
    src["US"] = (f"derived: {US_GA:,.0f} kg x {US_GA_CMP:.0%} GaAs/GaN = {US_GA * US_GA_CMP:,.0f} kg/yr "
                 f"({US_GA_SRC}) / {world_ga:,.0f} kg world = {us_share:.2%}")
    src["ROW"] = ("derived: remainder (Europe: Freiberger, IQE, ams OSRAM, Infineon, UMS; South-East Asia LED "
                  "and RF back-ends; Russia)")
    total = market / 1000.0 / DAYS  # kUSD/day
    wafers, w_targets = {}, {}
    for r in REGIONS:
        prod = split[r] * total
        i = net.facility(SEMI, r, "wafer", "compound_wafer", prod, UTIL_CMP.value,
                         f"derived: {split[r]:.2%} of world gallium use in GaAs/GaN devices ({src[r]}; gallium is "
                         f"consumed where substrates and epiwafers are grown: Sumitomo Electric, Dowa JP; Freiberger "
                         f"DE; AXT's Beijing Tongmei CN; LED epi in the LED chip plant) x the wafers for world "
                         f"compound-device output {total:,.0f} kUSD/day ({market / 1e9:.2f} bn USD/yr) / "
                         f"utilisation {UTIL_CMP.value:.2f} ({UTIL_CMP.source})",
                         recipe={"gallium": ga_rec})
        wafers[i] = r
        w_targets[i] = prod
    by_cls, dev_src = _device_split(split)
    dev = {r: sum(v[r] for v in by_cls.values()) for r in REGIONS}
    # LED chips are grown (epi) and processed in one plant: a region's LED wafers are its own; the other wafers
    # (GaAs and GaN-on-SiC substrates and epiwafers for RF and lasers) are traded, and each region has what its
    # gallium use leaves after its own LEDs
    led = by_cls["led"]
    rf_wafer = {r: split[r] - led[r] for r in REGIONS}
    assert min(rf_wafer.values()) > 0, rf_wafer
    w_rec = V(1.0, "definition: one unit of compound wafers per 1,000 USD of devices")
    fabs, targets, w_use = {}, {}, {}
    for r in REGIONS:
        prod = dev[r] * total
        i = net.facility(SEMI, r, "fab", "compound_chip", prod, UTIL_CMP.value,
                         f"derived: {dev[r]:.2%} of world compound-device value made here, by class: {dev_src}; x "
                         f"world compound-device output {total:,.0f} kUSD/day ({market / 1e9:.2f} bn USD/yr) / "
                         f"utilisation {UTIL_CMP.value:.2f} ({UTIL_CMP.source})",
                         recipe={"compound_wafer": w_rec})
        fabs[i] = r
        targets[i] = prod
        w_use[i] = prod * w_rec.value
    rf_tot = sum(rf_wafer.values())

    def prior(sreg: str, b: str) -> float:
        breg = b.split(".")[0]
        own = sreg == breg
        return (led[breg] if own else 0.0) + (dev[breg] - led[breg]) * rf_wafer[sreg] / rf_tot * (2.0 if own else 1.0)

    net.balance_trade("compound_wafer", wafers, w_use, w_targets, prior,
                      "the fab's LED part from its own region (LED epi and chips in one plant: San'an, Epistar, "
                      "Nichia); its RF and laser part by the wafer makers' output left after their own LEDs, x2 for "
                      "the fab's own region (assumption: home bias; 'substrate supply closely follows regional GaAs "
                      "device production', Strategy Analytics, 19 Oct 2005)",
                      "compound-wafer output (see the wafer makers' capacity sources)")
    demands = {}
    for r in REGIONS:
        sh = CHIP_USE_SHARE["mature"][r]
        d = net.demand(SEMI, r, "compound_chip", sh * total,
                       f"derived: {sh:.2%} of world compound-device output {total:,.0f} kUSD/day used where devices "
                       f"are assembled (assumption: phones, base stations, lighting and cars are assembled where "
                       f"mature-node chips are used); regional share: {chip_use_src('mature', r)}")
        demands[d] = sh * total
    net.balance_trade("compound_chip", fabs, demands, targets,
                      lambda sreg, b: targets[fid_of(sreg)] * (2.0 if b.startswith(sreg + ".") else 1.0),
                      "compound-device output shares x2 for the fab's own region (assumption: home bias)",
                      "compound-device output (see the fab capacity sources)")


def fid_of(region: str) -> str:
    return f"{region}.fab.compound_chip"
