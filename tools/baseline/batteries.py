"""Lithium-ion batteries: cathode and anode active materials, cells, and final demand for cells."""

from __future__ import annotations

from .network import Draft, fid
from .sources import (
    BATT,
    CO_PRICE,
    COVER_BATT_IN,
    COVER_OUT,
    DAYS,
    LCE_PRICE,
    MN_SULPHATE_PRICE,
    NI_PRICE,
    REGIONS,
    SIG_CELL,
    SIG_MAT,
    WM,
    WM_SRC,
    V,
    frozen,
    sig,
)

U_CN_BATT = 0.45
U_CN_BATT_SRC = "utilisation 45%: China battery-cell industry average 2022 (CRU Group, China cell capacity utilisation)"
U_X_BATT = 0.80
U_X_BATT_SRC = ("utilisation 80%: battery plants outside China need 75-85% to break even (CRU Group, battery cell cost "
                 "analysis 2023)")

CAM_PER_GWH = WM["cam"] / WM["gwh"]
AAM_PER_GWH = WM["graphite"] / WM["gwh"]

# World Li-ion cell demand 2025: SNE EV installations 1,187 GWh / EV share 85% (IEA 2024).
CELL_WORLD = 1187.0 / 0.85 / DAYS  # GWh/day
CELL_WORLD_SRC = ("derived: 1,187 GWh EV-battery installations 2025 (SNE Research) / 0.85 EV share of battery "
                  f"demand (IEA 2024) = {1187/0.85:,.0f} GWh/yr world Li-ion demand")

CELL_DEMAND_SHARE = frozen({"CN": 0.59, "US": 0.13, "JP": 0.03, "KR": 0.03, "TW": 0.01, "ROW": 0.21})
CELL_DEMAND_SRC = frozen({
    "CN": "China 59% of 2024 EV battery demand (IEA Global EV Outlook 2025)",
    "US": "US 13% of 2024 EV battery demand (IEA Global EV Outlook 2025)",
    "JP": "assumption: 3%, carved from the 15% of 2024 EV battery demand outside China/EU/US (IEA GEVO 2025)",
    "KR": "assumption: 3%, carved from the 15% outside China/EU/US (IEA GEVO 2025)",
    "TW": "assumption: 1%, carved from the 15% outside China/EU/US (IEA GEVO 2025)",
    "ROW": "derived: EU 13% (IEA GEVO 2025) + 8% rest of the 15% outside China/EU/US after JP, KR, TW",
})
CELL_PROD_SHARE = frozen({"CN": 0.75, "ROW": 0.11, "US": 0.06, "KR": 0.04, "JP": 0.04})
CELL_PROD_SRC = frozen({
    "CN": "China >75% of batteries sold globally (IEA battery commentary, Mar 2025; IEA Global EV Outlook 2025)",
    "ROW": "Europe 110 GWh of EV batteries 2023 (IEA GEVO 2024) ≈ 9.5% of 1,152 GWh (Wood Mackenzie 2023) plus "
           "SE Asia/India -> 11% (assumption for the extra)",
    "US": "US 70 GWh of EV batteries 2023 (IEA GEVO 2024) ≈ 6% of 1,152 GWh (Wood Mackenzie 2023)",
    "KR": "assumption: 4% in Korean home plants (K-trio hold 15-18% of installations but build mostly abroad, "
          "SNE Research)",
    "JP": "assumption: 4% in Japanese home plants (Panasonic ~4% of installations, SNE Research; plus PPES, AESC)",
})
CAM_SHARE = frozen({"CN": 0.87, "KR": 0.08, "JP": 0.03, "ROW": 0.02})
CAM_SRC = ("China 87% of CAM capacity 2024 (Benchmark Mineral Intelligence, cathode capacity 2024); Korea largest "
           "outside China (IEA Global EV Outlook 2024) -> KR 8%, "
           "JP 3%, ROW 2% (assumption split of the 13%)")
AAM_SHARE = frozen({"CN": 0.915, "KR": 0.045, "JP": 0.01, "ROW": 0.03})
AAM_SRC = ("China >97% of AAM capacity 2023 (IEA Global EV Outlook 2024); Korea: POSCO Future M, the only Korean "
           "graphite-anode maker, ~80,000 t/yr anode capacity (natural + artificial, Oct 2024, POSCO Future M) -> KR "
           "4.5% of output (80,000 t x 80% utilisation of ~1,360 kt modelled use); Indonesia 31% of US AAM imports Jan-Aug "
           "2025 (CN 55%, KR 14%; USGS MCS 2026, graphite) and a Chinese company's anode plant there (USGS MCS 2026) "
           "-> ROW 3%; JP 1% (assumption); China the rest, 91.5% of output (95% of capacity at its 45% utilisation)")
#: the Korean anode plant that sells to US cell makers, and why only it
KR_US_ANODE = fid("KR", "synthetic", "aam")
KR_US_ANODE_SRC = ("KR->US kept, synthetic only: POSCO Chemical (now POSCO Future M) supplies artificial-graphite "
                   "anode made at its Pohang plant to Ultium Cells LLC, GM and LG Energy Solution's US cell maker, "
                   "for six years 2023-2028, KRW 939.3 bn (POSCO Newsroom, 5 Dec 2022; Yonhap, 5 Dec 2022); POSCO's "
                   "first natural-graphite anode contract with a carmaker runs from Oct 2027 (POSCO Future M "
                   "regulatory filing, Korea Herald, 14 Oct 2025), so Korea's natural-graphite anode has no US buyer "
                   "(assumption: USGS gives Korea's 14% for natural and synthetic anode material together and all of "
                   "it is put on the synthetic lane)")
#: Korea's share of US cell makers' anode purchases, all on the synthetic plant (a fixed flow, not a RAS prior)
KR_US_ANODE_SHARE = 0.14
#: the contract's yearly value in USD, to check the lane against
KRW_PER_USD_2022 = 1292.0  # 2022 annual average (Bank of Korea, ECOS)
ULTIUM_USD_PER_YEAR = 939.3e9 / 6 / KRW_PER_USD_2022
#: natural graphite's share of each region's anode output; the rest is synthetic (needle/petroleum coke)
NATURAL_IN_AAM = frozen({"CN": 1 - 0.844, "KR": 44 / (44 + 18), "JP": 0.17, "ROW": 0.17})
NATURAL_IN_AAM_SRC = frozen({
    "CN": "synthetic graphite 84.4% of China's 2.12 Mt anode shipments 2024 (EV Tank, via Metalnomist, May 2025)",
    "KR": ("POSCO Future M: natural-graphite anode 44,000 t/yr at Sejong (plant 1 24,000 t, plant 2 phase 1 "
           "20,000 t; POSCO E&C) against artificial-graphite anode 18,000 t/yr at Pohang (phase 2, H2 2024; POSCO "
           "Future M)"),
    "JP": "assumption: the world mix, synthetic 83% of the anode market 2022 (KOTRA, via POSCO Chemical)",
    "ROW": "assumption: the world mix, synthetic 83% of the anode market 2022 (KOTRA, via POSCO Chemical)",
})
SPG_PER_NATURAL_AAM = V(1.0, "assumption: a natural-graphite anode is coated spherical graphite, ~1 t per t (the "
                             "pitch coating about offsets purification and sizing losses)")
#: cathode precursor: Ni + Co + Mn content per t CAM, and the share of each metal in it (Wood Mackenzie 2023)
PCAM_METAL = WM["ni"] + WM["co"] + WM["mn"]
PCAM_SHARE = frozen({"CN": 0.95, "KR": 0.03, "JP": 0.015, "ROW": 0.005})
PCAM_SRC = ("China ~95% of cathode precursor (pCAM) made 2023 (PosMat, Canadian pCAM developer, 2023); KR 3%, JP 1.5% "
            "(Sumitomo Metal Mining, Tanaka), ROW 0.5% (assumption split of the rest)")


def add_commodities(net: Draft) -> None:
    """The battery commodities (CAM, AAM, cells)."""
    cam_metal = (WM["lce"] * LCE_PRICE + WM["ni"] * NI_PRICE + WM["co"] * CO_PRICE + WM["mn"] * MN_SULPHATE_PRICE) / WM["cam"]
    net.commodity("cam", "Cathode active material (NMC/NCA/LFP mix)", "t", "batteries",
              V(sig(cam_metal / 0.75, 4), f"derived: refined-metal content per t CAM (Wood Mackenzie 2023 ratios) at "
                                          f"2025 prices = {cam_metal:,.0f} USD/t / 0.75 (assumption: metals ≈ 75% of "
                                          "CAM price)"),
              SIG_MAT, V(30.0, "assumption: cell makers hold ~1 month of active materials (importers held ~1-3 months "
                               "ahead of China's Dec 2023 graphite licensing, Fastmarkets 2023)"), COVER_OUT)
    metal = (WM["ni"] * NI_PRICE + WM["co"] * CO_PRICE + WM["mn"] * MN_SULPHATE_PRICE) / PCAM_METAL
    net.commodity("pcam", "Cathode precursor (Ni-Co-Mn hydroxide, NCA precursor), metal content", "t", "batteries",
              V(sig(metal / 0.85, 4), f"derived: Ni, Co, Mn value per t of precursor metal (Wood Mackenzie 2023 "
                                      f"ratios) at 2025 prices = {metal:,.0f} USD/t / 0.85 (assumption: metals ≈ 85% of "
                                      "precursor price)"),
              SIG_MAT, COVER_BATT_IN, COVER_OUT)
    for cid, name in (("aam", "Anode active material, natural graphite (coated spherical graphite)"),
                      ("aam_synthetic", "Anode active material, synthetic graphite (from needle/petroleum coke)")):
        net.commodity(cid, name, "t", "batteries",
                      V(4000.0, "assumption: 4,000 USD/t (Chinese anode material 2024-25 roughly 3,000-5,000 USD/t, "
                                "unverified)"),
                      SIG_MAT, V(30.0, "assumption: cell makers hold ~1 month of active materials (importers held ~1-3 "
                                       "months ahead of China's Dec 2023 graphite licensing, Fastmarkets 2023)"),
                      COVER_OUT)
    net.commodity("li_ion_cell", "Lithium-ion battery cells", "GWh", "batteries",
              V(75e6, "IEA 2024: average BEV pack <100 USD/kWh; assumption: cells ≈ 75% of pack cost -> "
                      "75 USD/kWh = 75 million USD/GWh"),
              SIG_CELL, V(30.0, "assumption: vehicle/ESS makers hold ~1 month of cells (battery-chain buffers of 1-3 "
                                "months ahead of China's Dec 2023 graphite licensing, Fastmarkets 2023)"), COVER_OUT)


def build(net: Draft) -> None:
    """Cell demand, cell plants, CAM and AAM plants and their trade."""
    total = CELL_WORLD
    demands = {}
    for r in REGIONS:
        d = net.demand(BATT, r, "li_ion_cell", CELL_DEMAND_SHARE[r] * total,
                   f"{CELL_DEMAND_SHARE[r]:.0%} of world demand; share: {CELL_DEMAND_SRC[r]}; world: "
                   f"{CELL_WORLD_SRC}")
        demands[d] = CELL_DEMAND_SHARE[r] * total
    plants, targets = {}, {}
    cam_rec = V(sig(CAM_PER_GWH, 5), f"derived: 2,132 kt CAM / 1,152 GWh ({WM_SRC})")
    aam_rec = V(sig(AAM_PER_GWH, 5), f"derived: 1,119 kt graphite / 1,152 GWh, anode material ≈ graphite mass "
                                     f"(assumption; silicon additives ignored) ({WM_SRC})")
    for r, sh in CELL_PROD_SHARE.items():
        u, usrc = (U_CN_BATT, U_CN_BATT_SRC) if r == "CN" else (U_X_BATT, U_X_BATT_SRC)
        i = net.facility(BATT, r, "cell_plant", "li_ion_cell", sh * total, u,
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

    net.balance_trade("li_ion_cell", plants, demands, targets, cell_prior,
                  "home plants first; US imports CN 67%, KR 9%, JP 7%, others 17% of value (UN Comtrade 2022, "
                  "HS 850760, US imports by partner); other importers mostly from China (assumption)",
                  "cell production shares (see the cell_plant capacity sources)",
                  keep_pairs=frozenset({("KR", "US"), ("JP", "US")}))
    cell_out = targets
    # CAM and AAM.
    for mat, shares, src, per in (("cam", CAM_SHARE, CAM_SRC, CAM_PER_GWH), ("aam", AAM_SHARE, AAM_SRC, AAM_PER_GWH)):
        use = {p: cell_out[p] * per for p in plants}
        tot = sum(use.values())
        sup, tgt = {}, {}
        for r, sh in shares.items():
            u, usrc = (U_CN_BATT, "utilisation 45% (China battery chain overcapacity; CRU Group 2022 cell-industry "
                                  "figure used as proxy)") if r == "CN" else (U_X_BATT, U_X_BATT_SRC)
            # Anode plants come in two kinds, natural (stage "material") and synthetic graphite.
            nat = NATURAL_IN_AAM.get(r, 1.0)
            kinds = {"material": (1.0, "")} if mat == "cam" else {
                "material": (nat, (f"natural-graphite anode {nat:.1%} of the region's output "
                                   f"({NATURAL_IN_AAM_SRC[r]}); ")),
                "synthetic": (1 - nat, (f"synthetic-graphite anode {1 - nat:.1%} of the region's output "
                                        f"({NATURAL_IN_AAM_SRC[r]}); "))}
            for stage, (part, psrc) in kinds.items():
                i = net.facility(BATT, r, stage, mat, part * sh * tot, u,
                                 f"derived: {psrc}{sh:.1%} of modelled {mat.upper()} use {tot:,.0f} t/day; {src}; "
                                 f"{usrc}")
                sup[i] = r
                tgt[i] = part * sh * tot

        def mat_prior(s: str, b: str, mat=mat, sup=sup) -> float:
            sreg, breg = sup[s], b.split(".")[0]
            if mat == "aam" and (sreg, breg) == ("KR", "US"):
                return 0.0  # Korea's anode to the US is pinned on the synthetic plant (KR_US_ANODE_SRC)
            table = {
                "CN": {"CN": 1.0},
                "KR": {"KR": 1.0, "CN": 0.5},
                "JP": {"JP": 1.0, "CN": 0.5, "KR": 0.2},
                "US": {"KR": 0.5, "JP": 0.2, "CN": 0.3, "ROW": 0.1} if mat == "cam" else
                      {"CN": 0.55, "ROW": 0.31, "KR": 0.14, "JP": 0.02},
                "ROW": {"ROW": 0.5, "CN": 1.0, "KR": 0.5, "JP": 0.1},
            }
            return table[breg].get(sreg, 0.0)

        net.balance_trade(mat, sup, use, tgt, mat_prior,
                      "home supply first, Korea the main non-Chinese exporter (IEA GEVO 2024; Benchmark 2024), "
                      + ("US plants fed by Korean/Japanese partners (assumption)" if mat == "cam" else
                         "US anode imports Jan-Aug 2025 CN 55%, Indonesia 31%, KR 14% (USGS MCS 2026, graphite), "
                         f"JP 2% (assumption); {KR_US_ANODE_SRC}; {_ultium_check(use)}"),
                      f"{mat.upper()} production shares (see the material capacity sources)",
                      # Cited import shares: Indonesia's and Korea's (synthetic only) of US anode imports.
                      keep_pairs=frozenset({("ROW", "US")}) if mat == "aam" else frozenset(),
                      prior_by_supplier=True,
                      pinned={(KR_US_ANODE, "US"): KR_US_ANODE_SHARE} if mat == "aam" else None)
    # CAM recipe (lithium and precursor per t CAM), precursor plants and their trade, AAM recipe.
    pcam_per_cam = V(sig(PCAM_METAL / WM["cam"], 4), f"derived: (596 kt Ni + 147 kt Co + 207 kt Mn) / 2,132 kt CAM "
                                                     f"({WM_SRC}); precursor counted by metal content")
    for i, f in net.facilities.items():
        if f["output"] == "cam":
            f["recipe"] = {
                "lithium_chem": V(sig(WM["lce"] / WM["cam"], 4), f"derived: 878 kt LCE / 2,132 kt CAM ({WM_SRC})"),
                "pcam": pcam_per_cam,
            }
    _build_pcam(net)
    # Natural-graphite anodes use spherical graphite; synthetic ones are made from needle/petroleum coke (not
    # modelled). Cells blend the two through their suppliers (the baseline blend is each region's mix).
    for i, f in net.facilities.items():
        if f["output"] == "aam" and f["stage"] == "material":
            f["recipe"] = {"graphite_spherical": SPG_PER_NATURAL_AAM}
    _split_anode_kinds(net)


def _ultium_check(use: dict[str, float]) -> str:
    """The Korea->US anode lane against POSCO's Ultium contract, in words (a check, not an input)."""
    t_yr = KR_US_ANODE_SHARE * use[fid("US", "cell_plant", "li_ion_cell")] * DAYS
    return (f"check: {KR_US_ANODE_SHARE:.0%} of US cells' anode use is {t_yr:,.0f} t/yr, {t_yr / 18000:.0%} of Pohang's 18,000 t/yr "
            f"artificial-graphite capacity (phase 2, H2 2024; POSCO Future M); the contract, 939.3 bn KRW / 6 yr / "
            f"{KRW_PER_USD_2022:,.0f} KRW per USD (2022 annual average, Bank of Korea ECOS) = "
            f"{ULTIUM_USD_PER_YEAR / 1e6:,.0f} M USD/yr, is {ULTIUM_USD_PER_YEAR / t_yr:,.0f} USD/t over that tonnage")


#: why a cell's natural/synthetic anode blend is fixed in its recipe
BLEND_SRC = ("a cell's anode blend is part of its qualified design: a new anode material takes a cell maker about "
             "two years to qualify (Inner Sphere Consulting), so the blend is the recipe and only suppliers of the "
             "same kind substitute")


def _split_anode_kinds(net: Draft) -> None:
    """Synthetic-graphite anode plants make their own commodity; each cell plant keeps its baseline blend.

    The anode trade is balanced once over both kinds (above); here the synthetic plants' output becomes
    ``aam_synthetic``, each cell plant's ``aam`` recipe splits by the natural and synthetic shares of
    what it buys, and its lane shares are renormalised within each kind. Flows are unchanged.
    """
    renamed = {}
    for i, f in list(net.facilities.items()):
        if f["output"] == "aam" and f["stage"] == "synthetic":
            new = fid(f["region"], "material", "aam_synthetic")
            net.facilities[new] = dict(f, id=new, stage="material", output="aam_synthetic")
            net.file_of[new] = net.file_of.pop(i)
            del net.facilities[i]
            renamed[i] = new
    for lane in net.lanes:
        if lane["origin"] in renamed:
            lane["origin"], lane["commodity"] = renamed[lane["origin"]], "aam_synthetic"
    for b, f in net.facilities.items():
        if "aam" not in f["recipe"]:
            continue
        mine = [l for l in net.lanes if l["destination"] == b and l["commodity"] in ("aam", "aam_synthetic")]
        kind = {c: sum(l["share"].value for l in mine if l["commodity"] == c) for c in ("aam", "aam_synthetic")}
        total = sum(kind.values())
        per = f["recipe"]["aam"]
        f["recipe"] = {k: v for k, v in f["recipe"].items() if k != "aam"}
        for c, label in (("aam", "natural"), ("aam_synthetic", "synthetic")):
            part = kind[c] / total
            if part <= 0:
                continue
            f["recipe"][c] = V(sig(per.value * part, 5),
                               f"derived: {per.value:g} t anode material per GWh ({per.source}) x {part:.1%} "
                               f"{label}-graphite anode in the cell plant's baseline purchases; assumption: "
                               f"{BLEND_SRC}")
            for l in mine:
                if l["commodity"] == c:
                    l["share"] = V(sig(l["share"].value / kind[c], 4),
                                   f"{l['share'].source}; renormalised over the buyer's {label}-graphite anode "
                                   f"lanes ({kind[c]:.4g} of its anode purchases)")


def _build_pcam(net: Draft) -> None:
    """Cathode-precursor plants between refined Ni/Co/Mn and CAM, and the precursor trade."""
    use = {i: f["production"] * f["recipe"]["pcam"].value for i, f in net.facilities.items() if f["output"] == "cam"}
    tot = sum(use.values())
    sup, tgt = {}, {}
    metals = {
        "nickel_refined": V(sig(WM["ni"] / PCAM_METAL, 4), f"derived: 596 of 950 kt precursor metal is Ni ({WM_SRC})"),
        "cobalt_refined": V(sig(WM["co"] / PCAM_METAL, 4), f"derived: 147 of 950 kt precursor metal is Co ({WM_SRC})"),
        "manganese_sulphate": V(sig(WM["mn"] / PCAM_METAL, 4),
                                f"derived: 207 of 950 kt precursor metal is Mn ({WM_SRC})"),
    }
    for r, sh in PCAM_SHARE.items():
        u, usrc = (U_CN_BATT, "utilisation 45% (China battery chain overcapacity; CRU Group 2022 cell-industry "
                              "figure used as proxy)") if r == "CN" else (U_X_BATT, U_X_BATT_SRC)
        i = net.facility(BATT, r, "precursor", "pcam", sh * tot, u,
                         f"derived: {sh:.1%} of modelled precursor use {tot:,.0f} t/day; {PCAM_SRC}; {usrc}",
                         recipe=dict(metals))
        sup[i] = r
        tgt[i] = sh * tot

    def prior(sreg: str, b: str) -> float:
        table = {
            "CN": {"CN": 1.0},
            "KR": {"KR": 1.0, "CN": 0.941, "JP": 0.03, "ROW": 0.029},
            "JP": {"JP": 1.0, "CN": 0.8},
            "US": {"CN": 0.5, "KR": 0.3, "JP": 0.2},
            "ROW": {"ROW": 0.5, "CN": 1.0, "KR": 0.2, "JP": 0.1},
        }
        return table[b.split(".")[0]].get(sreg, 0.0)

    net.balance_trade("pcam", sup, use, tgt, prior,
                      "home plants first; Korea's precursor imports 94.1% from China 2024 (MOTIE/KOMIR; Ni hydroxide "
                      "96.4%), NCA precursor 99.9% (KITA, Jan-Oct 2022); others from China (assumption)",
                      "precursor production shares (see the precursor capacity sources)",
                      keep_pairs=frozenset({("CN", "KR")}))
