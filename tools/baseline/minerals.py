"""Critical minerals: mines and refineries of eight minerals, NdFeB magnets, and other uses of refined output."""

from __future__ import annotations

from collections import defaultdict

from .network import Draft, fid, split_demands
from .sources import (
    CO_PRICE,
    COVER_BATT_IN,
    COVER_ORE,
    COVER_OUT,
    DAYS,
    GA_PRICE,
    GE_PRICE,
    GE_WORLD,
    LCE_PER_LI,
    LCE_PRICE,
    MAGNET_PRICE,
    MIN,
    NDPR_PRICE,
    NI_PRICE,
    REGIONS,
    SIG_MAGNET,
    SIG_ORE,
    SIG_REF,
    USGS,
    V,
    fmt,
    frozen,
    sig,
)

U_MINE = 0.85
U_MINE_SRC = "assumption: mine utilisation 85% (no published mine-utilisation series used)"
U_REF = 0.80
U_REF_SRC = ("utilisation 80%: Indonesian nickel processing ran at 75-79% in 2023 (Indonesian government, Fastmarkets "
             "conference 2023), used as the refinery proxy")

MAGNET_WORLD = 260_000 / 0.90 / DAYS
DYTB_PRICE = 230_000.0
#: world dysprosium production and its origin, t (EU JRC Raw Materials Information System, 2021)
DY_WORLD = 3_126.0
DY_SRC = "EU JRC Raw Materials Information System: dysprosium production 3,126 t in 2021, China 40%, Myanmar 31%, Australia 20%"
MAGNET_SHARE = frozen({"CN": 0.90, "JP": 0.07, "ROW": 0.025, "US": 0.005})
MAGNET_SRC = frozen({
    "CN": "China ~90-92% of NdFeB magnets 2023 (IEA Global Critical Minerals Outlook 2024; Adamas Intelligence 2023) -> 90%",
    "JP": "Japan <9% (Argus Media 2022) -> 7%, what China, ROW and the US leave",
    "ROW": ("derived: Korea's magnet imports from the Philippines alone are ≈ 0.7% of world output (14.3% of "
            "Korea's imports 2023, KITA, x Korea's 5% of world use); with VAC (Germany/Slovakia) and Vietnamese "
            "plants (assumption) -> 2.5%"),
    "US": "assumption: 0.5% (MP Materials Fort Worth and e-VAC start-ups 2025)",
})
#: China's magnet exports by destination, share of China's total (China's General Administration of Customs, HS
#: 8505.11 rare-earth permanent magnets, monthly by country, as reported with their change on a year earlier; the
#: 2024 months are the 2025 figures over that change): September 2024 of 4,913 t (5,773 t, +17.5 %): US 596 t
#: (420 t, -29.5 %), South Korea 463 t (854 t, +84.5 %), Japan 189 t (228 t, +20.8 %) (Nikkei, via asiacity.news,
#: Oct 2025); October 2024 of 4,725 t: US 628 t (656 t, +4.5 %), South Korea 433 t (569 t, +31.3 %), Japan 174 t
#: (226 t, +30.2 %) (Ferroalloy Online from GAC, via Nikkei and Reuters, 20-22 Nov 2025). Two months' mean; the US
#: share agrees with the other months found (May 2024 689 t of 4,762 t = 14.5 %, Reuters, 20 Jun 2025; July 2024
#: about 590 t of 5,278 t = 11.2 %, Reuters, 20 Aug 2025). No Taiwan figure was found (below the fifth destination,
#: India's); Germany alone took 862 t a month (18 %), more than the US. The year 2020 agrees (China's customs via Argus,
#: Jan 2021: of 35,982 t, Germany 5,488, the US 4,924 = 13.7 %, South Korea 3,722 = 10.3 %, Vietnam 2,788, Thailand
#: 2,272, Italy 1,640; Japan below the sixth, < 4.6 %).
_GAC_2024 = ("China's General Administration of Customs, rare-earth permanent magnet exports by destination, "
             "Sep and Oct 2024 (Sep: US 596, KR 463, JP 189 of 4,913 t; Oct: US 628, KR 433, JP 174 of 4,725 t; "
             "derived from the Sep and Oct 2025 figures and their year-on-year changes, Nikkei and Reuters, Oct-Nov "
             "2025)")
CN_EXPORT_SHARE = frozen({
    "US": V(sig((596 + 628) / (4913 + 4725), 3), f"{_GAC_2024}: US (596 + 628) / (4,913 + 4,725)"),
    "KR": V(sig((463 + 433) / (4913 + 4725), 3), f"{_GAC_2024}: South Korea (463 + 433) / (4,913 + 4,725)"),
    "JP": V(sig((189 + 174) / (4913 + 4725), 3), f"{_GAC_2024}: Japan (189 + 174) / (4,913 + 4,725)"),
    "TW": V(0.039, "assumption: no customs figure found for Taiwan (not among the five largest destinations, "
                   "Germany, the US, South Korea, Vietnam and India, Oct 2025); kept at the 3.9 % of China's exports "
                   "the trade balance gave it before the customs shares were used"),
})
#: Where Japan's and the US's magnet makers sell, share of their output (assumption: Japan's makers to the destinations
#: the trade balance gave them before China's exports by destination were used, from the priors Japan 60 % of its
#: own use, the US 10 %, the rest of the world 10 %, Taiwan 20 %; US makers sell at home). No figure for Japan's
#: magnet exports by destination was used. The rest of the world's makers: `magnet_flows`.
MAKER_SALES = frozen({"JP": {"JP": 0.717, "US": 0.097, "ROW": 0.155, "TW": 0.031}, "US": {"US": 1.0}})
KR_PH_SHARE = V(0.143, "KR NdFeB imports 84.7% CN, 14.3% Philippines 2023 (KITA)")
KR_CN_SHARE = V(0.847, KR_PH_SHARE.source)
#: Japan's NdFeB magnet imports from China, share of its magnet imports: 31.1 % in 2022, down from 42.3 % in 2016, its
#: makers' plants in the Philippines and Vietnam supplying much of the rest (KITA Institute for International Trade,
#: "Supply Chains for Rare Earth Permanent Magnets and Their Implications", Aug 2023; the same report: Korea 87.9 %,
#: the US 76.8 %, the EU 90 %, against the flows here: Korea 85.6 %, the US 78.9 %, the rest of the world 92.8 %).
JP_CN_IMPORT_SHARE = V(0.311, "KITA Institute for International Trade, 'Supply Chains for Rare Earth Permanent "
                              "Magnets and Their Implications' (Aug 2023): Japan imported 31.1 % of its NdFeB magnets "
                              "from China in 2022, the rest mostly from its makers' plants in the Philippines and "
                              "Vietnam")
MAGNET_DEMAND_CN = 0.70
MAGNET_DEMAND_CN_SRC = ("China's domestic use ≈ (260 kt made - 58 kt exported, 2024) / 289 kt world ≈ 70% (SMM "
                        "2024; China customs 2024 magnet exports 58,152 t, via Adamas Intelligence)")


def magnet_flows(world: float) -> dict[str, dict[str, float]]:
    """Magnet flows by (maker region -> user region), in the unit of ``world``: China's exports split by destination as
    its customs (`CN_EXPORT_SHARE`, the rest of the world the remainder), the other makers' output as `MAKER_SALES`
    (the rest of the world's makers, in the Philippines, Vietnam and Europe, ship Korea its Philippine share,
    `KR_PH_SHARE`, and Japan the imports it does not buy from China, `JP_CN_IMPORT_SHARE`, and keep the rest)."""
    cn_exports = (MAGNET_SHARE["CN"] - MAGNET_DEMAND_CN) * world
    flows: dict[str, dict[str, float]] = {"CN": {"CN": MAGNET_DEMAND_CN * world}}
    flows["CN"].update({r: v.value * cn_exports for r, v in CN_EXPORT_SHARE.items()})
    flows["CN"]["ROW"] = cn_exports - sum(v.value for v in CN_EXPORT_SHARE.values()) * cn_exports
    for maker, split in MAKER_SALES.items():
        flows[maker] = {r: f * MAGNET_SHARE[maker] * world for r, f in split.items()}
    kr = flows["CN"]["KR"] * KR_PH_SHARE.value / KR_CN_SHARE.value  # the 1 % from elsewhere left out
    jp = flows["CN"]["JP"] * (1 - JP_CN_IMPORT_SHARE.value) / JP_CN_IMPORT_SHARE.value
    flows["ROW"] = {"KR": kr, "JP": jp, "ROW": MAGNET_SHARE["ROW"] * world - kr - jp}
    return flows


def magnet_demand_share() -> dict[str, float]:
    """Each region's share of world magnet use: what China's customs send it plus what the other makers sell it."""
    flows = magnet_flows(1.0)
    return {r: sum(f.get(r, 0.0) for f in flows.values()) for r in REGIONS}


_FLOWS_SRC = (f"derived: China's exports to the region ({_GAC_2024}; the rest of the world the remainder of China's "
              "exports) plus the other makers' sales to it (Japan's makers as the earlier balance, an assumption; US "
              "makers at home; the rest of the world's makers the Philippines' share of Korea's imports, KITA 2023, "
              "and the 68.9 % of Japan's imports not from China, KITA 2022)")


#: Magnet users by end use: the sectors of the impact table each group's magnets go into, their share of the
#: region's magnet use and the days of use they hold. The shares are the impact table's market by application of
#: magnets (tools/impact/build.py ``USE``), applied in every region (no region's magnet use by end use is
#: published), so the segmented and pooled mappings of docs/model.md §8.3 describe the same market.
#: Named apart from the chip buyers' segments (automotive, industrial, electronics), whose covers
#: ``supplychain.analytics.cover_band`` reruns by segment name.
#: Car-parts makers in three tranches by days of magnet stock: the first stops, one two-week order cycle; the
#: makers that told a German magnet maker their plants could be idled by mid-July; and one tranche between. The
#: tranches supply the same users (the impact layer pools them into one column, docs/model.md §8.3), so a tranche
#: that runs dry stops its share of the region's car output, not all of it.
CAR_TRANCHES = ("car_parts", "car_parts_6w", "car_parts_10w")
MAGNET_SEGMENTS = (*CAR_TRANCHES, "motors", "devices")
MAGNET_SEGMENT_SECTORS = frozen({**{g: ("C29",) for g in CAR_TRANCHES}, "motors": ("C27", "C28"),
                                 "devices": ("C26",)})
_JIT = ("car-parts makers (transmissions, throttle bodies, alternators, steering, seat and wiper motors, sensors, "
        "speakers) run just in time: the Alliance for Automotive Innovation and MEMA warned the US administration "
        "that without magnets 'automotive suppliers will be unable to produce critical automotive components' and "
        "assembly lines could stop (letter of 9 May 2025, Reuters, 31 May 2025: shutdowns 'within weeks'); no days "
        "of magnet stock are published for them, so one two-week order cycle, as the automotive chip buyers "
        "(Bosch, H. Kroeger, CNBC, 26 Aug 2021; tools/baseline/segments.py)")
_SPREAD = ("the car-parts makers' stocks ran out over some eight weeks: the first lines stopped from 20 May 2025 "
           "(Ford's Chicago Assembly Plant, one supplier out of magnets: Ford CEO J. Farley, Bloomberg, 12 Jun 2025), "
           "several European supplier plants and lines by 4 June with 'more plants' expected 'in the next three to "
           "four weeks as inventories depleted' (CLEPA press release, 4 Jun 2025, via Reuters), and makers told a "
           "German magnet maker their plants 'could be idled by mid-July' (Magnosphere CEO F. Eckard, Reuters, C. "
           "Amann, N. Carey, K. Hall, 9 Jun 2025), while Mercedes-Benz saw 'no impact' (J. Burzer, 4 Jun 2025, via "
           "Reuters); stock-outs from 20 May to mid-July (15 July, 56 days later) are covers from the first stops' "
           "14 days to 14 + 56 = 70 days")
_TRANCHE_SHARE = ("assumption, no source: no survey, association or filing gives the share of car-parts makers by "
                  "days of magnet stock, so the car-parts makers' use is split equally over three covers spread "
                  "evenly across the cited range of stock-out dates (14, 42 and 70 days)")
#: Each car-parts tranche's share of the car-parts makers' magnet use.
CAR_TRANCHE_SHARE = frozen({g: V(1 / 3, _TRANCHE_SHARE) for g in CAR_TRANCHES})
_IMPORTERS = ("assumption: importers hold ~1-3 months (buying ahead of China's 2023-25 export controls, Fastmarkets "
              "2023; Adamas Intelligence); 60 d mid value, as the baseline's pooled magnet buyers before the split")
#: Days of magnet use held by each end-use group (no range: ``cover_band`` reruns chip covers only).
MAGNET_COVER = frozen({
    "car_parts": V(14.0, f"assumption: the first tranche of car-parts makers, the first stops ({_SPREAD}); {_JIT}"),
    "car_parts_6w": V(42.0, f"derived: the middle tranche of car-parts makers, between the first stops' 14 days and "
                            f"the mid-July makers' 70 ({_SPREAD})"),
    "car_parts_10w": V(70.0, f"derived: the last tranche of car-parts makers, idled by mid-July ({_SPREAD})"),
    "motors": V(60.0, _IMPORTERS),
    "devices": V(60.0, _IMPORTERS),
})


def magnet_segment_shares() -> dict[str, float]:
    """Share of a region's magnet use bought by each end-use group (the impact table's magnet use shares; the
    car-parts makers' share split over their tranches)."""
    from tools.impact.build import USE
    tranche = {g: CAR_TRANCHE_SHARE[g].value if g in CAR_TRANCHES else 1.0 for g in MAGNET_SEGMENTS}
    return {g: tranche[g] * sum(USE[("ndfeb_magnet", j)][0] for j in MAGNET_SEGMENT_SECTORS[g])
            for g in MAGNET_SEGMENTS}


def split_magnet_users(net: Draft) -> None:
    """Replace each region's pooled magnet demand by one demand per end-use group, each with its own cover.

    Each group gets the pooled buyer's lanes with the same shares, so the region's total and every flow of
    the chain are unchanged.
    """
    from tools.impact.build import USE
    shares = magnet_segment_shares()

    def parts(i: str, d: dict) -> list[tuple[str, float, str, float]] | None:
        if d["commodity"] != "ndfeb_magnet" or "segment" in d:
            return None
        rate = d["rate_per_day"]
        out = []
        for g in MAGNET_SEGMENTS:
            sectors = " + ".join(MAGNET_SEGMENT_SECTORS[g])
            uses = " + ".join(f"{USE[('ndfeb_magnet', j)][0]:g}" for j in MAGNET_SEGMENT_SECTORS[g])
            part = (f" x this tranche's {CAR_TRANCHE_SHARE[g].value:.3g} of the car-parts makers' use "
                    f"({CAR_TRANCHE_SHARE[g].source})") if g in CAR_TRANCHES else ""
            out.append((g, shares[g],
                        f"derived: {g} magnet users' part {shares[g]:.4g} of the region's use {rate.value:,.6g} t/day "
                        f"({rate.source}); the share is the impact table's use of magnets in {sectors}, {uses} "
                        f"(tools/impact/build.py USE: an assumption, applied in every region){part}", MAGNET_COVER[g]))
        return out

    split_demands(net, parts)


def add_commodities(net: Draft) -> None:
    """The mineral and magnet commodities."""
    lce_price, co_price, ni_price = LCE_PRICE, CO_PRICE, NI_PRICE
    ndpr_price, ga_price, ge_price = NDPR_PRICE, GA_PRICE, GE_PRICE
    half = "assumption: ore/concentrate paid ~50% of the refined value of its content (typical payability)"
    net.commodity("lithium_ore", "Lithium in concentrate/brine (Li content)", "t Li", "minerals",
              V(sig(0.5 * lce_price * LCE_PER_LI), f"{half}: 0.5 x 9,000 USD/t LCE x 5.323 t LCE/t Li"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("lithium_chem", "Lithium chemicals (carbonate/hydroxide, LCE)", "t LCE", "minerals",
              V(lce_price, "USGS Mineral Commodity Summaries 2026, lithium: battery-grade Li carbonate 2025e "
                           "average 9,000 USD/t (Benchmark data)"),
              SIG_REF, COVER_BATT_IN, COVER_OUT)
    net.commodity("cobalt_ore", "Cobalt in hydroxide/concentrate (Co content)", "t Co", "minerals",
              V(sig(0.5 * co_price), f"{half}: 0.5 x LME cobalt 15 USD/lb (2025e, USGS MCS 2026)"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("cobalt_refined", "Refined cobalt (metal, sulphate; Co content)", "t Co", "minerals",
              V(sig(co_price), "USGS Mineral Commodity Summaries 2026, cobalt: LME cash 15 USD/lb 2025e "
                               "x 2,204.62 lb/t"),
              SIG_REF, V(57.0, "derived: US cobalt industry stocks 1,500 t / apparent consumption 9,600 t/yr "
                               "x 365 = 57 days (USGS MCS 2026, cobalt, salient statistics 2025e)"), COVER_OUT)
    net.commodity("nickel_ore", "Nickel in ore/MHP/matte (Ni content)", "t Ni", "minerals",
              V(sig(0.5 * ni_price), f"{half}: 0.5 x LME nickel 15,000 USD/t (2025e, USGS MCS 2026)"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("nickel_refined", "Refined nickel (class 1, sulphate, NPI; Ni content)", "t Ni", "minerals",
              V(ni_price, "USGS Mineral Commodity Summaries 2026, nickel: LME cash 15,000 USD/t 2025e"),
              SIG_REF, V(100.0, "derived: US nickel consumer stocks 25,000 t / apparent primary consumption "
                                "90,000 t/yr x 365 ≈ 101, rounded to 100 days (USGS MCS 2026, nickel, salient "
                                "statistics 2025e)"), COVER_OUT)
    net.commodity("graphite_ore", "Natural flake graphite", "t", "minerals",
              V(1000.0, "USGS Mineral Commodity Summaries 2026, graphite: US import unit value of flake 2025e "
                        "1,000 USD/t"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("graphite_spherical", "Spherical purified (battery-grade) natural graphite", "t", "minerals",
              V(2500.0, "assumption: ~2 t flake (2 x 1,000 USD/t, USGS MCS 2026) plus purification; "
                        "2,500 USD/t"),
              SIG_REF, COVER_BATT_IN, COVER_OUT)
    net.commodity("manganese_ore", "Manganese ore (Mn content)", "t Mn", "minerals",
              V(450.0, "USGS Mineral Commodity Summaries 2026, manganese: ore 44% Mn cif China 4.50 USD/dmtu "
                       "2025e (CRU) = 450 USD/t Mn contained (1 dmtu = 10 kg Mn)"),
              SIG_ORE, V(175.0, "derived: US manganese ore stocks / reported ore consumption x 365: 188 / 403 kt "
                                "(2024) = 170 d, 200 / 410 kt (2025e) = 178 d; mid value 175 d (USGS MCS 2026, "
                                "manganese, salient statistics)"), COVER_OUT)
    net.commodity("manganese_sulphate", "High-purity manganese sulphate (Mn content)", "t Mn", "minerals",
              V(3500.0, "assumption: HPMSM ~1,100 USD/t product at 32% Mn ≈ 3,500 USD/t Mn (unverified "
                        "industry quote)"),
              SIG_REF, COVER_BATT_IN, COVER_OUT)
    net.commodity("rare_earth_ore", "Rare-earth concentrate (REO content)", "t REO", "minerals",
              V(sig(0.5 * 0.25 * ndpr_price), f"{half}, counting only the NdPr (25% of REO, assumption) "
                                              "at 69 USD/kg: 0.5 x 0.25 x 69,000"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("ndpr_oxide", "Separated NdPr oxide (magnet rare earths)", "t", "minerals",
              V(ndpr_price, "USGS Mineral Commodity Summaries 2026, rare earths: NdPr oxide fob 69 USD/kg 2025e "
                            "(Argus)"),
              SIG_REF, V(60.0, "Japan's national stockpile of rare metals targets 60 days of consumption "
                               "(METI/JOGMEC stockpiling programme, since 1986)"), COVER_OUT)
    net.commodity("hree_conc", "Heavy rare earths in concentrate (Dy+Tb oxide content)", "t", "minerals",
              V(sig(0.5 * DYTB_PRICE), f"{half}: 0.5 x {DYTB_PRICE:,.0f} USD/t"), SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("dytb_oxide", "Separated dysprosium and terbium oxide (heavy magnet rare earths)", "t", "minerals",
              V(DYTB_PRICE, "assumption: ~230 USD/kg for dysprosium oxide 2024-25 (Chinese domestic quotes, "
                            "unverified; terbium costs several times more but is used far less)"),
              SIG_REF, V(60.0, "Japan's national stockpile of rare metals targets 60 days of consumption "
                               "(METI/JOGMEC stockpiling programme, since 1986)"), COVER_OUT)
    net.commodity("ndfeb_magnet", "Sintered NdFeB permanent magnets", "t", "minerals",
              V(MAGNET_PRICE, "China's General Administration of Customs: 2024 exports of rare-earth permanent "
                              "magnets (HS 8505.11, nearly all sintered NdFeB) 58,152 t for 2.86 bn USD = "
                              "49,200 USD/t (via Adamas Intelligence, Jan 2025); monthly unit values 48,729 USD/t "
                              "in July and 52,118 USD/t over January-July 2024 (GAC via Metalnomist, Aug 2024). "
                              "The price buyers pay for magnets, not their NdPr content: 0.30 t NdPr oxide x "
                              "69,000 USD/t = 20,700 USD, 42% of it (the baseline valued magnets at 27,600 USD/t, "
                              "NdPr content / 0.75, until Dec 2026)"),
              SIG_MAGNET, V(60.0, "assumption: importers hold ~1-3 months (buying ahead of China's 2023-25 "
                                  "export controls, Fastmarkets 2023; Adamas Intelligence); 60 d mid value"), COVER_OUT)
    net.commodity("gallium_crude", "Primary low-purity gallium", "kg", "minerals",
              V(sig(0.5 * ga_price), f"{half}: 0.5 x 580 USD/kg"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("gallium", "High-purity refined gallium", "kg", "minerals",
              V(ga_price, "USGS Mineral Commodity Summaries 2026, gallium: US import unit value of Ga metal "
                          "2025e 580 USD/kg"),
              SIG_REF, V(65.0, "derived: US gallium consumer stocks 3,400 kg / US consumption 19,000 kg/yr x "
                               "365 ≈ 65 days (USGS MCS 2026, gallium, 2025e)"), COVER_OUT)
    net.commodity("germanium_conc", "Germanium in zinc residues / fly-ash concentrate", "kg", "minerals",
              V(sig(0.5 * ge_price), f"{half}: 0.5 x 4,100 USD/kg"),
              SIG_ORE, COVER_ORE, COVER_OUT)
    net.commodity("germanium", "Refined germanium (metal, GeO2, GeCl4; Ge content)", "kg", "minerals",
              V(ge_price, "USGS Mineral Commodity Summaries 2026, germanium: Ge metal Europe 99.999% 2025e "
                          "4,100 USD/kg (Argus)"),
              SIG_REF, V(65.0, "assumption: as for gallium, 65 days (US Ga consumer stocks / consumption, "
                               "USGS MCS 2026, gallium)"), COVER_OUT)


def build_magnets(net: Draft) -> None:
    """NdFeB magnet plants, magnet demand and magnet trade (built before the minerals: they use NdPr oxide)."""
    mtotal = MAGNET_WORLD
    mdem = {}
    share = magnet_demand_share()
    flows = magnet_flows(1.0)
    for r in REGIONS:
        d = net.demand(MIN, r, "ndfeb_magnet", share[r] * mtotal,
                       f"{share[r]:.2%} of world magnet use {mtotal * DAYS:,.0f} t/yr; "
                       f"{MAGNET_DEMAND_CN_SRC if r == 'CN' else _FLOWS_SRC}")
        mdem[d] = share[r] * mtotal
    sup, tgt = {}, {}
    for r, sh in MAGNET_SHARE.items():
        u, usrc = (0.60, "utilisation 60% (assumption: 'midstream overcapacity', SMM 2024)") if r == "CN" else \
            (0.80, "utilisation 80% (assumption)")
        i = net.facility(MIN, r, "magnet", "ndfeb_magnet", sh * mtotal, u,
                     f"derived: {sh:.1%} of world NdFeB output {mtotal * DAYS:,.0f} t/yr (= China 260,000 t 2024e, "
                     f"SMM 2024, / 0.90 China share); {MAGNET_SRC[r]}; {usrc}",
                     recipe={"ndpr_oxide": V(0.30, "assumption: sintered NdFeB holds 29-32% Nd+Pr by weight; as "
                                                   "oxide (x1.17) less recycled swarf -> 0.30 t NdPr oxide/t"),
                             "dytb_oxide": V(sig(DY_WORLD / (mtotal * DAYS), 4),
                                             f"derived: world dysprosium {DY_WORLD:,.0f} t ({DY_SRC}) / world NdFeB "
                                             f"output {mtotal * DAYS:,.0f} t/yr = {DY_WORLD / (mtotal * DAYS):.2%} "
                                             "(commodity grades hold 0.6-1.2% Dy; assumption: nearly all Dy and Tb "
                                             "go into magnets, Tb counted with Dy)")})
        sup[i] = r
        tgt[i] = sh * mtotal

    def mag_prior(sreg: str, b: str) -> float:
        breg = b.split(".")[0]
        return flows.get(sreg, {}).get(breg, 0.0) / share[breg]

    net.balance_trade("ndfeb_magnet", sup, mdem, tgt, mag_prior,
                  f"each region's magnet sources as derived for its use ({_FLOWS_SRC})",
                  "magnet production shares (see the magnet capacity sources)")
    split_magnet_users(net)


def allocate_ore(net: Draft, mineral: str, ore: str, mines: dict[str, float], refinery_need: dict[str, float]) -> dict:
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
        net.lane(m, ref, ore, v / need_tot[ref],
             f"derived: home-first allocation of mine output to refineries ({how}); flow {fmt(v)} of the "
             f"refinery's {fmt(need_tot[ref])} {net.unit(ore)}/day")
    return leftover


def other_uses(net: Draft, region: str, c: str, rate: float, what: str, origin: str) -> None:
    if rate <= 1e-9 * max(1.0, rate):
        return
    d = net.demand(MIN, region, c, rate, f"derived balancing item: {what}; stands for uses outside the modelled chains "
                                     "and stock changes (inputs: USGS MCS 2026 mine output and the refining shares on the refinery "
                                     "capacities)")
    net.lane(origin, d, c, 1.0, "definition: other uses in the producing region are served by its own plant")



def consumer_demand(net: Draft, c: str, refs: dict[str, str], drawn: dict[str, float],
                    consumers: dict[str, tuple[float, str]], priors, prior_src) -> None:
    """Demand for refined ``c`` outside the modelled chains, placed in the region that consumes it.

    Each consuming region buys by its sourcing shares (``priors``). What a refinery makes beyond every
    modelled draw (process losses, stock changes, uses not counted) is added to the demand of the
    refinery's own region, served by that refinery, so that refineries keep their cited output.
    ``drawn`` (flow per refinery) is updated in place.
    """
    flows: dict[str, dict[str, float]] = {}
    for r, (rate, _) in consumers.items():
        p = priors[r]
        tot = sum(p.values())
        flows[r] = {refs[s]: rate * w / tot for s, w in p.items()}
        for i, v in flows[r].items():
            drawn[i] = drawn.get(i, 0.0) + v
    for r, (rate, src) in consumers.items():
        f = dict(flows[r])
        extras: dict[str, float] = {}
        # every plant of the region (a refinery and a scrap-recycling plant, keyed "R" and "R.scrap")
        for i in (refs[k] for k in refs if k.split(".")[0] == r):
            extra = net.facilities[i]["production"] - drawn.get(i, 0.0)
            assert extra >= -1e-6 * net.facilities[i]["production"], (i, extra)
            extras[i] = max(extra, 0.0)
            f[i] = f.get(i, 0.0) + extras[i]
            drawn[i] = drawn.get(i, 0.0) + extras[i]
        extra = sum(extras.values())
        total = rate + extra
        text = f"{src}: {fmt(rate)} {net.unit(c)}/day"
        if extra > 0:
            made = sum(net.facilities[i]["production"] for i in extras)
            text += (f"; plus the derived balancing item: refinery output {fmt(made)} "
                     f"minus every modelled draw = {fmt(extra)} {net.unit(c)}/day (process losses, stock changes "
                     "and uses not counted; inputs: USGS MCS 2026 mine output and the refining shares)")
        d = net.demand(MIN, r, c, total, text)
        for i, v in f.items():
            if v <= 0:
                continue
            own = extras.get(i, 0.0)
            how = (f"{prior_src[r]}; flow {fmt(v)} of {fmt(total)} {net.unit(c)}/day" if v != own or own == 0
                   else "definition: the balancing item is served by the region's own refinery")
            if own > 0 and v != own:
                how = (f"{prior_src[r]} plus the balancing item from the region's own refinery; flow {fmt(v)} of "
                       f"{fmt(total)} {net.unit(c)}/day")
            net.lane(i, d, c, v / total, how)

def mineral(net: Draft, name, ore, refined, mine_prod: dict[str, tuple[float, str]], ref_share: dict[str, tuple[float, str]],
            recipe: V, mine_cap: dict[str, tuple[float, str]] | None = None, world_src: str = "",
            refined_total: float | None = None, buyer_priors=None, prior_src=None, ras_prior=None,
            ras_src: str = "", ore_other_uses: bool = False,
            consumers: dict[str, tuple[float, str]] | None = None,
            secondary: dict[str, tuple[float, str]] | None = None, ore_consumers=None,
            consumer_priors=None) -> None:
    """One mineral: mines, refineries, sourcing by the chains, and uses outside the chains.

    ``consumers`` place refined use outside the modelled chains in the region that consumes it (bought by
    ``consumer_priors`` = (priors, prior_src) if given, else by the chain buyers' priors);
    ``secondary`` adds refined output from scrap (no ore input) in a region, sold to that region's
    consumers; ``ore_consumers`` = (consumers, priors, prior_src) does the same for ore or concentrate
    used outside refining (steel, refractories). Output not drawn by anyone stays as the producing
    region's balancing item.
    """
    # Mines.
    mines = {}
    for r, (p, src) in mine_prod.items():
        if mine_cap and r in mine_cap:
            cap, csrc = mine_cap[r]
            i = net.facility(MIN, r, "mine", ore, p, 1.0, f"{csrc}; output {src}", capacity=cap)
        else:
            i = net.facility(MIN, r, "mine", ore, p, U_MINE, f"derived: output {src} / {U_MINE_SRC}")
        mines[i] = p
    world_ore = sum(mines.values())
    # Refineries.
    use = net.chain_use(refined)
    total_use = sum(use.values())
    if refined_total is None:
        refined_total = world_ore / recipe.value
        total_src = (f"world refined = world mine output {world_ore * DAYS:,.0f} {net.unit(ore)}/yr / "
                     f"{recipe.value:g} (recipe)")
    else:
        total_src = "world refined = modelled chain use (no independent production figure)"
    refs = {}
    for r, (sh, src) in ref_share.items():
        out = sh * refined_total
        i = net.facility(MIN, r, "refinery", refined, out, U_REF,
                     f"derived: {sh:.1%} of world refined output {refined_total * DAYS:,.0f} "
                     f"{net.unit(refined)}/yr ({total_src}); share: {src}; {U_REF_SRC}",
                     recipe={ore: recipe})
        refs[r] = i
    sec = {}
    for r, (p, src, *cap) in (secondary or {}).items():
        # a region with a refinery too keys its scrap plant "R.scrap", so buyers can source from both
        key = f"{r}.scrap" if r in refs else r
        if cap:
            sec[key] = net.facility(MIN, r, "recycling", refined, p, 1.0, f"{cap[1]}; output {src}",
                                    capacity=cap[0])
        else:
            sec[key] = net.facility(MIN, r, "recycling", refined, p, U_REF,
                                    f"derived: secondary (scrap) output {src} / {U_REF_SRC}")
    # Chain sourcing.
    if buyer_priors is not None:
        drawn = net.source_direct(refined, {**refs, **sec}, use, buyer_priors, prior_src)
        if consumers:
            cp, cs = consumer_priors if consumer_priors is not None else (buyer_priors, prior_src)
            consumer_demand(net, refined, {**refs, **sec}, drawn, consumers, cp, cs)
        for r, i in refs.items():
            left = net.facilities[i]["production"] - drawn.get(i, 0.0)
            assert left >= -1e-6 * net.facilities[i]["production"], (i, left)
            if consumers and r in consumers:
                continue  # the remainder was merged into the region's consumer demand
            other_uses(net, r, refined, left, f"refinery output {fmt(net.facilities[i]['production'])} minus modelled chain draw "
                                         f"{fmt(drawn.get(i, 0.0))} {net.unit(refined)}/day", i)
    else:
        tgt = {i: net.facilities[i]["production"] for i in refs.values()}
        assert abs(sum(tgt.values()) - total_use) < 1e-6 * total_use
        net.balance_trade(refined, {i: r for r, i in refs.items()}, use, tgt, ras_prior,
                      ras_src, "refining shares (see the refinery capacity sources)")
    # Ore to refineries.
    need = {i: net.facilities[i]["production"] * recipe.value for i in refs.values()}
    leftover = allocate_ore(net, name, ore, mines, need)
    if ore_consumers is not None:
        oc, opriors, osrc = ore_consumers
        mine_of = {m.split(".")[0]: m for m in mines}
        drawn_ore = {m: mines[m] - leftover[m] for m in mines}
        consumer_demand(net, ore, mine_of, drawn_ore, oc, opriors, osrc)
        leftover = {m: (0.0 if m.split(".")[0] in oc else mines[m] - drawn_ore[m]) for m in mines}
    for m, left in leftover.items():
        if left > 1e-6 * mines[m]:
            assert ore_other_uses, (m, left)
            other_uses(net, m.split(".")[0], ore, left, f"mine output {fmt(mines[m])} minus refinery feed "
                                                   f"{fmt(mines[m] - left)} {net.unit(ore)}/day", m)


def build(net: Draft) -> None:
    """Mines and refineries of the eight minerals, their trade and the other-uses demand."""
    d = DAYS
    usgs = USGS
    # Lithium.
    mineral(
        net,         "lithium", "lithium_ore", "lithium_chem",
        {"CN": (62_000 / d, f"China 62,000 t Li 2025e ({usgs}, lithium) /365"),
         "ROW": ((290_000 - 62_000) / d, f"world 290,000 - China 62,000 t Li 2025e ({usgs}, lithium; Australia, "
                                         "Chile, Zimbabwe, Argentina...; US withheld) /365")},
        {"CN": (0.70, "China ~70% of lithium chemicals 2025 (IEA Global Critical Minerals Outlook 2026, reported second-hand)"),
         "ROW": (0.30, "rest of world ~30% (Chile, Argentina; IEA CMMR 2023/GCMO 2026)")},
        V(sig(1 / LCE_PER_LI, 5), "stoichiometry: Li2CO3 is 18.79% Li (2 x 6.941 / 73.89); losses ignored"),
        buyer_priors={"CN": {"CN": 0.85, "ROW": 0.15}, "KR": {"CN": 0.796, "ROW": 0.175},
                      "JP": {"CN": 0.70, "ROW": 0.30}, "ROW": {"CN": 0.5, "ROW": 0.5}},
        prior_src={"CN": "assumption: Chinese CAM makers buy 85% domestic chemicals, 15% Chilean/Argentine imports",
                   "KR": "KR lithium hydroxide imports 79.6% China, 17.5% Chile 2023 (KITA trade statistics, via BusinessKorea/Yonhap)",
                   "JP": "assumption: Japan less China-dependent than Korea (KCCI 2020 battery-mineral aggregate "
                         "41% vs 58.7%) -> 70/30",
                   "ROW": "assumption: 50/50 China and ROW converters"})
    # Cobalt.
    mineral(
        net,         "cobalt", "cobalt_ore", "cobalt_refined",
        {"CN": (2_000 / d, f"China 2,000 t Co 2025e ({usgs}, cobalt) /365"),
         "ROW": (308_000 / d, f"world 310,000 - China 2,000 t Co 2025e ({usgs}, cobalt; DRC 230,000, Indonesia "
                              "44,000; US 300 t counted here) /365")},
        {"CN": (0.75, "China ~75% of refined cobalt 2025 (IEA Global Critical Minerals Outlook 2026, reported second-hand)"),
         "JP": (0.025, "Japan 6.2 of ~244 kt refined output 2023 ≈ 2.5% (refined cobalt output by country "
                       "2023, ReportLinker data compilation: CN 170.9, FI 18.2, JP 6.2 kt)"),
         "ROW": (0.225, "remainder: Finland, Canada, Norway, Belgium, Zambia...")},
        V(1.0, "assumption: refined output equals contained cobalt (metal-content basis; losses ignored)"),
        consumers=us_consumers("cobalt"),
        secondary=us_secondary("cobalt"),
        buyer_priors={"CN": {"CN": 1.0}, "KR": {"CN": 0.728, "ROW": 0.272}, "JP": {"JP": 0.4, "CN": 0.6},
                      "ROW": {"ROW": 0.7, "CN": 0.3}, "US": {"ROW": 0.86, "JP": 0.14}},
        prior_src={"US": "US cobalt import sources 2021-24: Norway 26, Finland 16, Canada 14, Japan 14, other 30% "
                         f"({USGS}, cobalt) -> Japan 14%, the rest ROW",
                   "CN": "assumption: Chinese CAM uses domestic refined cobalt",
                   "KR": "KR cobalt oxide/hydroxide imports 72.8% China 2022 (KITA trade statistics, via BusinessKorea/Yonhap)",
                   "JP": "assumption: Sumitomo Metal Mining supplies ~40%, China the rest",
                   "ROW": "assumption: European CAM uses Finnish/Belgian cobalt 70%"})
    # Nickel.
    mineral(
        net,         "nickel", "nickel_ore", "nickel_refined",
        {"CN": (120_000 / d, f"China 120,000 t Ni 2025e ({usgs}, nickel) /365"),
         "ROW": (3_780_000 / d, f"world 3,900,000 - China 120,000 t Ni 2025e ({usgs}, nickel; Indonesia 2.6 Mt, "
                                "Philippines, Russia, Canada...; US 10,000 t counted here) /365")},
        {"CN": (0.28, "China 28% of refined nickel 2023 (IEA Global Critical Minerals Outlook 2024, via Cipher News)"),
         "ROW": (0.72, "rest incl. Indonesia 37% (IEA GCMO 2024), Russia, Japan, Canada...")},
        V(1.0, "assumption: refined output equals contained nickel (metal-content basis; losses ignored)"),
        consumers=nickel_consumers(),
        secondary=us_secondary("nickel"),
        consumer_priors=({r: p for r, (p, _) in NI_PRIORS.items()}, {r: t for r, (_, t) in NI_PRIORS.items()}),
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
        net,         "graphite", "graphite_ore", "graphite_spherical",
        {"CN": (1_400_000 / d, f"China 1.40 Mt natural graphite 2025e ({usgs}, graphite) /365"),
         "ROW": (400_000 / d, f"world 1.80 Mt - China 1.40 Mt 2025e ({usgs}, graphite; Madagascar, Tanzania, Brazil, "
                              "Mozambique; KR 500 t counted here) /365")},
        {"CN": (0.95, "China >90-95% of battery-grade spherical graphite (IEA Global Critical Minerals Outlook "
                      "2024 and 2026; USGS MCS 2026, graphite) -> 95%"),
         "ROW": (0.05, "rest (Chinese-owned SPG in Indonesia; IEA GCMO 2026)")},
        V(2.0, "assumption: ~50% yield from flake to spherical purified graphite"),
        refined_total=sum(net.chain_use("graphite_spherical").values()),
        ras_prior=lambda sreg, b: {
            "CN": {"CN": 1.0, "ROW": 0.04}, "KR": {"CN": 0.97, "ROW": 0.03}, "JP": {"CN": 0.915, "ROW": 0.085},
            "ROW": {"CN": 0.6, "ROW": 0.4}}[b.split(".")[0]].get(sreg, 0.0),
        ras_src="KR graphite 97% China 2024 (MOTIE/KOMIR), JP natural graphite 91.5% China 2020 (KCCI, from "
                "UN Comtrade); Chinese AAM makers take some Indonesian SPG and ROW AAM 40% (assumption)",
        ore_other_uses=True, ore_consumers=graphite_consumers())
    # Manganese (mine -> HPMSM -> CAM); most ore goes to steel (other uses).
    mineral(
        net,         "manganese", "manganese_ore", "manganese_sulphate",
        {"CN": (700_000 / d, f"China 700 kt Mn 2025e ({usgs}, manganese) /365"),
         "ROW": (19_300_000 / d, f"world 20,000 - China 700 kt Mn content 2025e ({usgs}, manganese; South Africa, "
                                 "Gabon, Australia, Ghana...) /365")},
        {"CN": (0.95, "China ~95% of high-purity manganese sulphate 2022 (IEA Critical Minerals Market Review 2023)"),
         "ROW": (0.05, "rest of world 5%")},
        V(1.0, "assumption: Mn-content basis, losses ignored"),
        refined_total=sum(net.chain_use("manganese_sulphate").values()),
        ras_prior=lambda sreg, b: 1.0 if sreg == "CN" else (0.3 if b.startswith("ROW.") else 0.02),
        ras_src="China ~95% of HPMSM (IEA CMMR 2023), non-Chinese HPMSM mostly used in ROW (assumption)",
        ore_other_uses=True, ore_consumers=manganese_consumers())
    # Rare earths: REO concentrate -> NdPr oxide -> magnets.
    ndpr_frac = 0.25
    mineral(
        net,         "rare_earths", "rare_earth_ore", "ndpr_oxide",
        {"CN": (270_000 / d, f"China 270,000 t REO 2025e ({usgs}, rare earths) /365"),
         "US": (51_000 / d, f"US 51,000 t REO 2025e ({usgs}, rare earths) /365"),
         "ROW": (69_000 / d, f"world 390,000 - CN 270,000 - US 51,000 t REO 2025e ({usgs}; Australia 29,000, "
                             "Burma 22,000, Thailand 4,800...) /365")},
        {"CN": (0.85, "China ~85% of rare-earth separation 2025 (IEA Global Critical Minerals Outlook 2026, reported second-hand)"),
         "US": (8_900 / 390_000, "US compounds & metals output 8,900 t REO 2025e (USGS MCS 2026) / 390,000 t world "
                                 "mine output"),
         "ROW": (1 - 0.85 - 8_900 / 390_000, "remainder (Malaysia/Lynas, Estonia...)")},
        V(1 / ndpr_frac, "assumption: NdPr ≈ 25% of REO in Bayan Obo/Mountain Pass/Mt Weld/ionic-clay feeds "
                         "(20-25%); La/Ce co-products not modelled"),
        buyer_priors={"CN": {"CN": 0.95, "ROW": 0.05}, "JP": {"CN": 0.70, "ROW": 0.30}, "ROW": {"CN": 0.7, "ROW": 0.3},
                      "US": {"US": 1.0}},
        prior_src={"CN": "assumption: Chinese magnet makers use 95% Chinese NdPr, 5% imported oxides (Myanmar, Laos, Malaysia)",
                   "JP": "Japan's rare-earth imports ~70% China 2023 (JOGMEC, via Wall Street Journal), rest Lynas",
                   "ROW": "assumption: 70% China, 30% Lynas/others",
                   "US": "assumption: US magnet start-ups use US-separated NdPr (MP Materials)"})
    # Heavy rare earths (Dy, Tb): concentrate -> separated oxide -> magnets (sized to magnet use).
    dy_use = sum(net.chain_use("dytb_oxide").values())
    mineral(
        net,         "heavy_rare_earths", "hree_conc", "dytb_oxide",
        {"CN": (0.40 * dy_use, f"China 40% of magnet use {dy_use * d:,.0f} t/yr (= world output; {DY_SRC}) /365"),
         "ROW": (0.60 * dy_use, f"Myanmar, Australia and others 60% of magnet use {dy_use * d:,.0f} t/yr (= world "
                                f"output; {DY_SRC}) /365")},
        {"CN": (0.98, "China processes ~98% of heavy rare earths (Tradium, Nov 2024)"),
         "ROW": (0.02, "rest: Lynas Malaysia (heavy rare-earth separation from 2025)")},
        V(1.0, "assumption: oxide-content basis, losses ignored"),
        refined_total=dy_use,
        ras_prior=lambda sreg, b: {"CN": {"CN": 1.0}, "JP": {"CN": 0.9, "ROW": 0.1}, "US": {"CN": 0.8, "ROW": 0.2},
                                   "ROW": {"CN": 0.9, "ROW": 0.3}}[b.split(".")[0]].get(sreg, 0.0),
        ras_src="assumption: magnet makers outside China buy 80-90% of their Dy/Tb from China (China processes "
                "~98%, Tradium 2024), the rest from Lynas")
    # Gallium: primary low-purity -> high-purity; Japan's fabs buy net of the new scrap they recycle.
    for r, loop in GA_LOOPS.items():   # the US and ROW makers' loops first: the plan sizes Japan from every draw
        fac = net.facilities[f"{r}.wafer.compound_wafer"]
        fac["recipe"]["gallium"] = loop.recipe(fac["recipe"]["gallium"])
    ga = gallium_plan(net)
    net.facilities[JP_CMP]["recipe"]["gallium"] = ga.jp_recipe
    mineral(
        net,         "gallium", "gallium_crude", "gallium",
        {"CN": (891_000 / d, f"China 99% of 900,000 kg primary Ga 2025e ({usgs}, gallium) /365"),
         "JP": (3_000 / d, f"Japan 3,000 kg 2025e ({usgs}, gallium) /365"),
         "ROW": (6_000 / d, f"Russia 6,000 kg 2025e ({usgs}, gallium) /365")},
        {"CN": (1 - ga.row_ref_share - ga.jp_ref_share,
                "derived: what Japan's and ROW's refiners leave of world primary output (USGS: China 99% of primary)"),
         "JP": (ga.jp_ref_share, ga.jp_ref_src),
         "ROW": (ga.row_ref_share, ga.row_ref_src)},
        V(1.0, "assumption: high-purity refining of crude loses little"),
        mine_cap={"CN": (1_600_000 / d, f"capacity 1,600,000 kg/yr China ({usgs}, gallium) /365"),
                  "JP": (10_000 / d, f"capacity 10,000 kg/yr Japan ({usgs}, gallium) /365"),
                  "ROW": (110_000 / d, f"capacity 10,000 kg/yr Russia plus 100,000 kg/yr idle primary capacity in "
                                       f"Germany, Hungary, Kazakhstan, Korea and Ukraine ({usgs}, gallium: world "
                                       "production capacity, 'other countries', and footnote 6; Germany, Hungary and "
                                       "Kazakhstan ceased primary production in 2016, 2015 and 2013, Ukraine in 2022; "
                                       "Korea's share not published, counted here) /365")},
        consumers=gallium_other_uses(),
        buyer_priors={**GA_PRIORS, "JP": ga.jp_prior},
        prior_src={**GA_PRIOR_SRC, "JP": ga.jp_prior_src})
    # The idle alumina-refinery gallium circuits outside China restart only after a year and ramp over another.
    ga_row = net.facilities["ROW.mine.gallium_crude"]
    ga_row["restart_days"] = GA_RESTART
    ga_row["restart_ramp_days"] = GA_RAMP
    # Once short of gallium, a compound-wafer maker without a new-scrap loop builds one (docs/model.md §5.4.3);
    # the makers that run one already (Japan, the US, ROW) have no cited room to recover more.
    for fac in net.facilities.values():
        if fac["output"] == "compound_wafer" and fac["id"] != JP_CMP and fac["region"] not in GA_LOOPS:
            fac["scrap_input"] = "gallium"
            fac["scrap_recovery"] = GA_SCRAP
            fac["scrap_days"] = GA_SCRAP_DAYS
    # Germanium.
    ge_world = GE_WORLD
    mineral(
        net,         "germanium", "germanium_conc", "germanium",
        {"CN": (85_000 / d, "China 85,000 kg refinery output (USGS MCS 2020, germanium, 2019); assumption: China "
                            "refines its own zinc/coal feed /365"),
         "ROW": ((ge_world - 85_000) / d, "world = China 85,000 kg / 0.80 China share (European Commission, "
                                          "Study on the Critical Raw Materials for the EU 2023) minus China; zinc residues from Canada/US "
                                          "(Red Dog), Russia, DRC /365")},
        {"CN": (0.80, "China ~80% of refined germanium (European Commission, Study on the Critical Raw Materials "
                      "for the EU 2023)"),
         "ROW": (0.20, "rest: Belgium (Umicore), Canada (Teck), Russia, Germany")},
        V(1.0, "assumption: Ge-content basis, losses ignored"),
        consumers=germanium_uses(),
        buyer_priors={"CN": {"CN": 1.0}, "US": {"CN": 0.41, "ROW": 0.59}, "KR": {"CN": 0.8, "ROW": 0.2},
                      "JP": {"CN": 0.7, "ROW": 0.3}, "TW": {"CN": 0.7, "ROW": 0.3}, "ROW": {"CN": 0.5, "ROW": 0.5}},
        prior_src={"CN": "assumption: Chinese users buy Chinese germanium",
                   "US": "US Ge-metal imports: China 41, Belgium 27, Germany 25% (USGS MCS 2026, germanium, import sources 2021-24)",
                   "KR": "assumption: 80% China (KR depends on China for 16-20 of 31 rare metals, MOTIE/KOMIR 2024)",
                   "JP": "assumption: 70% China",
                   "TW": "assumption: 70% China",
                   "ROW": "assumption: 50% China, 50% Umicore/Teck"})


# ---- Japan's gallium supply and the buyers' sourcing shares ------------------------------------------------
#: Japan's gallium balance 2021, kg (JOGMEC, via The Japan Times, 5 Aug 2025, and Yomiuri Shimbun, Aug 2025)
JP_GA = frozen({"use": 167_000.0, "imported": 97_000.0, "from_china": 55_000.0})
JP_GA_SRC = ("JOGMEC: Japan used about 167 t of gallium in 2021, of which about 97 t was imported, 55 t (57% of "
             "imports) from China (Japan Organization for Metals and Energy Security, via The Japan Times, 5 Aug 2025)")
JP_GA_PRIMARY = V(3_000.0, f"Japan's primary low-purity gallium 3,000 kg/yr ({USGS}, gallium, world production "
                           "table; the same 3,000 kg in 2024 and 2025)")
JP_CMP = "JP.wafer.compound_wafer"
GA_PRIORS = frozen({"CN": {"CN": 1.0}, "US": {"ROW": 0.344, "JP": 0.126, "CN": 0.53},
                    "KR": {"CN": 0.98, "JP": 0.02}, "TW": {"CN": 0.75, "JP": 0.15, "ROW": 0.10},
                    "ROW": {"CN": 0.6, "ROW": 0.3, "JP": 0.1}})
GA_PRIOR_SRC = frozen({
    "CN": "assumption: Chinese users buy Chinese gallium",
    "US": "US Ga-metal imports from China 53% in 2019-22, before China's export controls (USGS Mineral Commodity "
          "Summaries 2024, Gallium, p. 74, import sources 2019-22); the controls of August 2023 cut it to 18% of "
          "2021-24 (USGS MCS 2026, gallium: Canada 28, Japan 22, China 18, Germany 16, other 16%), so the average "
          "that includes the controlled years is not the unshocked baseline. The other 47% split as in MCS 2026's "
          "non-Chinese sources (assumption): Japan 22/82 -> 12.6%, the rest (Canada, Germany, other) -> ROW 34.4%",
    "KR": "KR gallium 98% from China 2024 (MOTIE/KOMIR)",
    "TW": "assumption: mostly China (no published Taiwan gallium import split found)",
    "ROW": "assumption: 60% China, 30% European/Canadian refiners, 10% Japan"})


class GalliumPlan:
    """Japan's gallium sized from JOGMEC's 2021 balance, and Japanese buyers' sourcing shares.

    Of Japan's use, ``imported`` came from abroad (``from_china`` of it from China); the rest was made in
    Japan: its primary output (USGS) and, for the remainder, gallium recycled from the new scrap of its
    GaAs wafer and device makers. New scrap is a loop: it comes back in proportion to what the fabs make,
    so it is netted out of the Japanese fabs' gallium per device (``jp_recipe``), and a fab that makes
    less recycles less. Japanese buyers buy the rest by JOGMEC's import split. Japanese refiners also
    refine crude for Japan's exports (the other regions' draws on Japan), so the crude refinery makes
    Japan's primary share of its purchases plus those exports.
    """

    def __init__(self, net: Draft) -> None:
        use = defaultdict(float)
        for i, v in net.chain_use("gallium").items():
            use[i.split(".")[0]] += v
        for r, (v, _) in gallium_other_uses().items():
            use[r] += v
        u, imp, cn = JP_GA["use"], JP_GA["imported"], JP_GA["from_china"]
        prim = JP_GA_PRIMARY.value
        scrap = u - imp - prim
        fab = net.facilities[JP_CMP]
        gross = fab["recipe"]["gallium"]
        fab_use = fab["production"] * gross.value
        self.jp_scrap = scrap / u * use["JP"]
        net_share = 1 - self.jp_scrap / fab_use
        self.jp_recipe = V(sig(gross.value * net_share, 4), (
            f"derived: {gross.value:g} kg per 1,000 USD of devices ({gross.source}) x {net_share:.3f}, net of the "
            f"new scrap Japan's GaAs wafer and device makers recycle: {scrap / u:.1%} of Japan's gallium use "
            f"(use {u:,.0f} kg 2021 less {imp:,.0f} kg imported and {prim:,.0f} kg of primary output; {JP_GA_SRC}; "
            f"{JP_GA_PRIMARY.source}) x Japan's modelled use {fmt(use['JP'])} kg/day = {fmt(self.jp_scrap)} kg/day of "
            f"the fabs' {fmt(fab_use)} kg/day (Dowa, Sumitomo Chemical and Mitsubishi Materials recycle it; new scrap "
            "returns in proportion to output, so it is a saving per device, not a separate supply)"))
        buy = use["JP"] - fab_use + fab["production"] * self.jp_recipe.value  # with the recipe as written
        bought = prim + imp
        self.jp_prior = {"JP": prim / bought, "CN": cn / bought, "ROW": (imp - cn) / bought}
        self.jp_prior_src = (f"derived: Japan's gallium bought outside its recycling loop: Japanese primary "
                             f"{prim:,.0f}, China {cn:,.0f}, other imports {imp - cn:,.0f} kg (assumption: refiners "
                             f"in ROW) of {bought:,.0f} kg 2021; {JP_GA_SRC}; {JP_GA_PRIMARY.source}")
        exports = sum(use[r] * p.get("JP", 0.0) / sum(p.values()) for r, p in GA_PRIORS.items())
        world = 900_000.0 / DAYS
        jp_own = self.jp_prior["JP"] * buy
        self.jp_ref_share = (jp_own + exports) / world
        self.jp_ref_src = (f"derived: Japan's primary share of its purchases ({self.jp_prior['JP']:.1%} of "
                           f"{fmt(buy)} kg/day) plus the other regions' draws on Japanese gallium {fmt(exports)} "
                           "kg/day (Japan 12.6% of US Ga-metal imports, US prior above), over world primary output "
                           "900,000 kg/yr; Japanese refiners refine crude for these (assumption; JOGMEC's import "
                           "figure does not split crude from refined, so Japan's imports come as refined gallium)")
        row = sum(use[r] * p.get("ROW", 0.0) / sum(p.values()) for r, p in GA_PRIORS.items())
        row += self.jp_prior["ROW"] * buy
        self.row_ref_share = row / world
        self.row_ref_src = (f"derived: every region's draw on refiners outside China and Japan {fmt(row)} kg/day by the "
                            "sourcing shares below (Canada, Germany, Slovakia and the US upgrade imported crude: CA 28%, "
                            "DE 16% of US Ga-metal imports 2021-24, USGS MCS 2026), over world primary output 900,000 kg/yr")


def gallium_plan(net: Draft) -> GalliumPlan:
    """:class:`GalliumPlan` of ``net`` (the compound fabs must be built)."""
    return GalliumPlan(net)


# ---- new-scrap loops: in the baseline, and built once gallium is short (docs/model.md §5.4.3) -------------
#: US gallium, kg: reported consumption and imports of gallium metal, 2021-24 (USGS Mineral Commodity Summaries 2026,
#: gallium, salient statistics); no primary output, GaAs wafers counted apart
US_GA_USE = frozen({2021: 17_100.0, 2022: 19_700.0, 2023: 17_800.0, 2024: 18_700.0})
US_GA_METAL_IMPORTS = frozen({2021: 8_890.0, 2022: 11_400.0, 2023: 11_400.0, 2024: 11_000.0})
_US_LOOP = 1 - sum(US_GA_METAL_IMPORTS.values()) / sum(US_GA_USE.values())
GA_LOOP_US = V(sig(_US_LOOP, 3), (
    f"derived: US gallium consumption less imports of gallium metal, 2021-24: 1 - "
    f"{sum(US_GA_METAL_IMPORTS.values()):,.0f} / {sum(US_GA_USE.values()):,.0f} kg = {_US_LOOP:.1%} of US use made "
    "at home, with no primary output and consumer stocks within 2,780-3,410 kg: new scrap from the manufacture of "
    "GaAs-based devices reprocessed to high-purity gallium at one facility in New York (USGS Mineral Commodity "
    "Summaries 2026, gallium: salient statistics, domestic production and use, recycling)"))
GA_LOOP_JP = V(0.401, "JOGMEC: Japan used about 167 t of gallium in 2021, of which about 97 t was imported and 3 t was "
                      "Japanese primary output, so 67 t (40.1%) was recycled new scrap (via The Japan Times, 5 Aug 2025; "
                      "USGS MCS 2026, gallium); 45 t of 108 t (41.7%) in 2002 (USGS Mineral Commodity Summaries 2003, "
                      "gallium)")
GA_LOOP = V(sig((GA_LOOP_US.value + GA_LOOP_JP.value) / 2, 3), (
    f"derived: the share of their gallium use that the two measured loops recover from new scrap, the mean of "
    f"the US {GA_LOOP_US.value:.1%} ({GA_LOOP_US.source}) and Japan {GA_LOOP_JP.value:.1%} ({GA_LOOP_JP.source}); "
    "what the rest of Løvik, Restrepo & Müller's 40-60% of primary gallium lost in production wastes (Environ. Sci. "
    "Technol. 49, 2015) is made of, MOCVD exhaust and dilute sludges, is not recovered in either country"))


class GaLoop:
    """A region's compound-wafer makers buying gallium net of the new scrap they have refined and returned.

    ``share`` of the region's gallium use comes back from its makers' new scrap, so their recipe is ``1 - share``
    of the gross (the other uses of the region, 1% in the US, recycle nothing).
    """

    def __init__(self, share: V, who: str) -> None:
        self.share, self.who = share, who

    def recipe(self, gross: V) -> V:
        """The makers' gallium per unit, net of the loop."""
        return V(sig(gross.value * (1 - self.share.value), 4), (
            f"derived: {gross.value:g} kg per 1,000 USD of devices ({gross.source}) x (1 - {self.share.value:.3f}), "
            f"net of the new scrap {self.who} refine and take back: {self.share.source}; new scrap returns in "
            "proportion to output, so it is a saving per device, not a separate supply"))


#: the makers outside Japan that run a loop in the baseline (Japan's is sized from JOGMEC's balance, `GalliumPlan`)
GA_LOOPS = {
    "US": GaLoop(V(sig(GA_LOOP_US.value / 0.99, 3), f"derived: {GA_LOOP_US.value:.1%} of US use / 0.99 of it in "
                                                     f"GaAs/GaN ({GA_LOOP_US.source})"), "US wafer makers"),
    "ROW": GaLoop(V(GA_LOOP.value, f"{GA_LOOP.source}; assumption: Europe's and Canada's makers run such a loop "
                                   "(Germany recycles gallium from new scrap and makes GaAs wafers, Ueberschaar, Otto & "
                                   "Rotter, Waste Management 60, 2017; no tonnage published)"),
                  "Europe's and Canada's wafer makers"),
}
GA_SCRAP = V(GA_LOOP.value, "assumption: a maker without a new-scrap loop (Korea, Taiwan, China in the baseline), "
                            f"once short of gallium, builds one as large as the measured loops: {GA_LOOP.source}")
GA_SCRAP_DAYS = V(150.0, "assumption: the recovery rises linearly over the minerals chain's restart of idle processing "
                         "capacity, 60 + 90 days (docs/model.md §5.4.1): the toll refiners exist, the wafer makers' "
                         "collection of kerf, polishing and reactor residues and the refiners' throughput have to grow; "
                         "no published time for it found")


# ---- restarting idle primary gallium capacity outside China ---------------------------------------------------
GA_RESTART = V(365.0, "Eurasian Resources Group announced on 2 Jul 2025 a 20 M USD investment to resume gallium "
                      "recovery at its Pavlodar alumina refinery (idle since 2013, USGS MCS 2026) with first output in "
                      "2026, about a year later (ERG via mining.com, Jul 2025); Germany's idle plant announced a restart "
                      "after the 2020-21 price rise (AlCircle, 4 Jul 2023) and was still idle in 2025 (USGS MCS 2026, "
                      "gallium), so a year is the short end; the delay also holds Russia's 4,000 kg/yr of spare "
                      "capacity, which shares this facility")
GA_RAMP = V(365.0, "derived: Metlen's gallium circuit at the Aluminium of Greece alumina refinery: initial production in 2027, "
                   "full 50 t/yr capacity in 2028, about a year of ramp (Metlen, Jan 2025, via Fastmarkets/MMTA 2025); "
                   "ERG's Pavlodar restart targets up to 15 t/yr (mining.com, Jul 2025)")


# ---- gallium and germanium outside the modelled chains, where they are consumed --------------------------
GA_MAGNET = V(0.295, "Løvik, Restrepo & Müller, Environ. Sci. Technol. 49 (2015): NdFeB magnets take 22-37% of "
                     "primary gallium (2011); midpoint 29.5%")
GA_PV = V(0.04, "Løvik, Restrepo & Müller, Environ. Sci. Technol. 49 (2015): photovoltaics (CIGS etc.) 2-6% of "
                "primary gallium (2011); midpoint 4%")


def gallium_other_uses() -> dict[str, tuple[float, str]]:
    """Gallium demand outside GaAs/GaN devices (kg/day), by consuming region."""
    from .semiconductors import US_GA, US_GA_CMP, US_GA_SRC
    world = 900_000.0
    mag = {r: MAGNET_SHARE[r] for r in ("CN", "JP", "ROW")}
    tot = sum(mag.values())
    out = {}
    for r, sh in mag.items():
        kg = GA_MAGNET.value * world * sh / tot
        src = (f"derived: gallium additive in NdFeB magnets made here: {GA_MAGNET.value:.1%} of world primary "
               f"gallium 900,000 kg 2025e (USGS MCS 2026; {GA_MAGNET.source}) x this region's {sh / tot:.1%} of "
               f"non-US magnet output ({MAGNET_SRC[r]}; US left out: USGS reports 99% of US gallium in GaAs/GaN)")
        if r == "CN":
            kg_pv = GA_PV.value * world
            src += (f"; plus photovoltaics and alloys {GA_PV.value:.0%} of world primary gallium ({GA_PV.source}; "
                    "assumption: consumed in China, the main solar-module maker) = "
                    f"{fmt((kg + kg_pv) / DAYS)} kg/day")
            kg += kg_pv
        out[r] = (kg / DAYS, src)
    out["US"] = (US_GA * (1 - US_GA_CMP) / DAYS,
                 f"derived: {1 - US_GA_CMP:.0%} of US gallium consumption outside GaAs/GaN (R&D, alloys; {US_GA_SRC})")
    return out


GE_US_PRIMARY = V(21_000.0, "derived: US germanium consumption ~30,000 kg/yr (USGS MCS 2026, germanium, estimate "
                            "2016-21) x 0.70 primary (about 30% of germanium consumed worldwide is recycled, "
                            "USGS MCS 2020, germanium)")
GE_SPLIT = frozen({"JP": 0.08, "KR": 0.03, "TW": 0.02, "ROW": 0.08, "CN": 0.45})
GE_USES = ("fibre optics, infrared optics, PET polymerisation catalysts, SiGe electronics and space/solar cells "
           "(US uses ranked fibre optics > infrared optics > semiconductors and solar cells > detectors, USGS MCS "
           "2026, germanium)")


def germanium_uses() -> dict[str, tuple[float, str]]:
    """Refined germanium demand (kg/day) by consuming region; germanium goes into no modelled chain."""
    out = {"US": (GE_US_PRIMARY.value / DAYS, f"{GE_US_PRIMARY.source}; end uses {GE_USES}")}
    for r, sh in GE_SPLIT.items():
        why = {"CN": "China's PET-catalyst, fibre-preform, infrared-optics and solar-cell makers",
               "JP": "optical fibre and infrared optics", "KR": "fibre and electronics",
               "TW": "SiGe electronics and optics", "ROW": "Europe's infrared optics and space solar cells "
                                                           "(Umicore substrates), India"}[r]
        out[r] = (sh * GE_WORLD / DAYS,
                  f"assumption: {sh:.0%} of world refined germanium {GE_WORLD:,.0f} kg/yr used here ({why}); no "
                  f"regional consumption figure published; end uses {GE_USES}")
    return out


# ---- cobalt, nickel, manganese and natural graphite outside the modelled chains, where consumed ------------
#: US apparent consumption and secondary (scrap) supply, USGS MCS 2026 salient statistics, 2025e
US_APPARENT = frozen({
    "cobalt": V(9_600.0, f"US apparent cobalt consumption 9,600 t Co 2025e ({USGS}, cobalt, salient statistics); "
                         "end uses superalloys 51%, chemicals 25%, other metallic 15%, cemented carbides 9%"),
    "nickel": V(220_000.0, f"US apparent total nickel consumption 220,000 t Ni 2025e ({USGS}, nickel, salient "
                           "statistics); stainless and alloy steel and nickel alloys >85%"),
})
US_SCRAP = frozen({
    "cobalt": V(2_000.0, f"US secondary cobalt production ~2,000 t/yr ({USGS}, cobalt: scrap 25% of consumption "
                         "2025)"),
    "nickel": V(130_000.0, f"derived: US apparent total 220,000 minus apparent primary 90,000 t Ni 2025e = "
                           f"130,000 t from scrap ({USGS}, nickel: scrap ≈ 60% of apparent consumption)"),
})


def us_secondary(m: str) -> dict[str, tuple[float, str]]:
    """US refined output from scrap (t/day): it is domestic supply in the net-import-reliance arithmetic."""
    return {"US": (US_SCRAP[m].value / DAYS, f"{fmt(US_SCRAP[m].value)} t/yr ({US_SCRAP[m].source}) /365")}


def us_consumers(m: str) -> dict[str, tuple[float, str]]:
    """US use outside the modelled chains that is imported (t/day); scrap supply is added by the loader."""
    imp = US_APPARENT[m].value - US_SCRAP[m].value
    return {"US": (imp / DAYS, f"derived: imported part of US use = apparent consumption {fmt(US_APPARENT[m].value)} "
                               f"({US_APPARENT[m].source}) minus secondary {fmt(US_SCRAP[m].value)} ({US_SCRAP[m].source})"
                               " t/yr, /365; the US has no battery-cathode plant in the model")}


NI_WORLD_REFINED = 3_900_000.0
NI_CN_STAINLESS = V(0.42, "China's stainless industry took 42% of world primary nickel demand 2023 (Vale, nickel "
                          "market figures 2023)")
NI_OTHER = frozen({
    "JP": (150_000.0, "assumption: Japanese stainless, specialty-alloy and plating use ~150,000 t Ni/yr (no current "
                      "published figure found; METI non-ferrous statistics not read)"),
    "KR": (110_000.0, "assumption: Korean stainless (POSCO) and alloy use ~110,000 t Ni/yr (no published figure "
                      "found)"),
    "TW": (80_000.0, "assumption: Taiwanese stainless (Yusco, Tang Eng) ~80,000 t Ni/yr (no published figure "
                     "found)"),
})


def nickel_consumers() -> dict[str, tuple[float, str]]:
    """Refined nickel used outside the battery chain (t Ni/day), by consuming region."""
    out = dict(us_consumers("nickel"))
    out["CN"] = (NI_CN_STAINLESS.value * NI_WORLD_REFINED / DAYS,
                 f"derived: {NI_CN_STAINLESS.source} x world refined output {NI_WORLD_REFINED:,.0f} t 2025e "
                 f"({USGS}, nickel mine output, refined = contained)")
    for r, (t, src) in NI_OTHER.items():
        out[r] = (t / DAYS, f"{src} /365")
    return out


NI_PRIORS = frozen({
    "US": ({"ROW": 1.0}, f"US nickel import sources 2021-24: Canada 44, Norway 11, Australia 8, Brazil 7% ({USGS}, "
                         "nickel) -> all ROW"),
    "CN": ({"ROW": 0.76, "CN": 0.24}, "nickel pig iron made in Indonesia 39%, in China 12% of world primary supply "
                                      "2023 (Vale, nickel market figures 2023) -> stainless feed 76% ROW"),
    "JP": ({"ROW": 0.8, "CN": 0.2}, "assumption: Japanese users buy Indonesian/Philippine/New Caledonian nickel 80%"),
    "KR": ({"ROW": 0.7, "CN": 0.3}, "assumption: Korean stainless buys Indonesian NPI/ferronickel 70%"),
    "TW": ({"ROW": 0.7, "CN": 0.3}, "assumption: Taiwanese stainless buys Indonesian NPI 70%"),
})


MN_CN_IMPORT = V(26.14e6 * 12 / 10 * 0.37, "derived: China imported 26.14 Mt of manganese ore Jan-Oct 2023 (China "
                                             "customs GACC) x 12/10 x 37% Mn (assumption: South African/Australian/"
                                             "Gabonese blend)")
#: crude steel 2024, Mt (worldsteel, World Steel in Figures 2025)
STEEL = frozen({"world": 1_885.0, "JP": 84.0, "KR": 64.0, "TW": 19.0})
MN_WORLD = 20_000_000.0


def manganese_consumers():
    """Manganese ore (t Mn/day) used by steel and alloys, where consumed; (consumers, priors, prior_src)."""
    out = {
        "US": (640_000.0 / DAYS, f"US apparent manganese consumption 640,000 t Mn 2025e ({USGS}, manganese, salient "
                                 "statistics; ore and ferroalloys counted as ore Mn content) /365"),
        "CN": (MN_CN_IMPORT.value / DAYS, f"{MN_CN_IMPORT.source} /365; China's own ore is added below"),
    }
    for r in ("JP", "KR", "TW"):
        out[r] = (STEEL[r] / STEEL["world"] * MN_WORLD / DAYS,
                  f"derived: {STEEL[r]:g} of {STEEL['world']:,.0f} Mt world crude steel 2024 (worldsteel, World "
                  f"Steel in Figures 2025) x world manganese {MN_WORLD:,.0f} t Mn ({USGS}; steel takes most "
                  "manganese, assumption: same Mn per tonne of steel everywhere) /365")
    priors = {r: {"ROW": 1.0} for r in out}
    src = {r: "assumption: imported ore from South Africa, Gabon and Australia (ROW mines)" for r in out}
    src["US"] = (f"US manganese import sources: ore Gabon 64, South Africa 24%; Mn content Gabon 23, South Africa 21, "
                 f"Malaysia 11% ({USGS}, manganese) -> all ROW")
    src["CN"] = ("assumption: China's manganese ore imports come from South Africa, Australia and Gabon (ROW mines); "
                 "its own mines' spare output is added as the balancing item")
    return out, priors, src


def graphite_consumers():
    """Natural flake graphite (t/day) used outside battery anodes, where consumed; (consumers, priors, prior_src)."""
    out = {
        "US": (71_000.0 / DAYS, f"US apparent natural-graphite consumption 71,000 t 2025e ({USGS}, graphite; "
                                "brake linings, lubricants, refractories, batteries, steelmaking) /365"),
        "JP": (60_000.0 / DAYS, "assumption: Japanese refractory, steel and carbon-product use ~60,000 t/yr natural "
                                "graphite (no published figure found) /365"),
        "KR": (40_000.0 / DAYS, "assumption: Korean refractory and steel use ~40,000 t/yr natural graphite (no "
                                "published figure found) /365"),
    }
    priors = {"US": {"CN": 0.46, "ROW": 0.54}, "JP": {"CN": 0.915, "ROW": 0.085}, "KR": {"CN": 0.97, "ROW": 0.03}}
    src = {"US": f"US natural-graphite import sources 2021-24: China 46, Canada 13, Mozambique 13, Mexico 12% ({USGS}, "
                 "graphite)",
           "JP": "Japan's natural-graphite imports 91.5% China 2020 (KCCI, from UN Comtrade)",
           "KR": "Korea's graphite imports 97% China 2024 (MOTIE/KOMIR)"}
    return out, priors, src
