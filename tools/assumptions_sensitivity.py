"""Sensitivity of headline results to each group of "assumption:" values in the baseline data.

Run from the repository root (a few seconds to a couple of minutes)::

    python tools/assumptions_sensitivity.py                 # Markdown tables on stdout
    python tools/assumptions_sensitivity.py --runs 32       # more Monte Carlo runs for random scenarios
    python tools/assumptions_sensitivity.py --check         # only check that every assumption is grouped
    python tools/assumptions_sensitivity.py --only 12,44    # only these groups' rows (numbers as in the table)

For each assumption group (see :data:`GROUPS`) the script copies the shipped baseline data files
(``supplychain/data/baseline/*.toml``) into a temporary directory, multiplies the values the group sets
by a low and a high factor (``x0.8`` / ``x1.2`` unless a documented plausible range says otherwise;
for utilisations the capacity is rescaled to the low and high utilisation), loads the perturbed
baseline with the public API (``supplychain.load_baseline(data_dir=...)``), re-applies the shocks of
the headline scenarios (``supplychain.load_scenario``), runs the shocked scenario and the same scenario
without shocks on the vector engine with the same seed (common random numbers) and reports, through
``supplychain.compare``:

* the **shortfall caused by the shock** in USD (sum over regions and commodities of the change in
  ``shortfall_usd`` from the unshocked to the shocked run), and
* the **worst fill rate** (lowest ``fill_rate`` of any region and commodity in the shocked run);
* for the flagship (``--value-added`` to change which scenarios), the **world value added lost** beyond the
  chain (docs/model.md §8.3): ``supplychain.analytics.impact.value_added_loss_totals`` of the shocked runs
  minus those of the paired unshocked runs, run by run, summed over regions, industries and the horizon,
  mean over the runs: the total ``supplychain run`` prints. The shortfall alone cannot show an assumption
  that moves which products stop (a USD of magnets short stops hundreds of USD of output, a USD of
  advanced logic far less), e.g. the car-parts makers' magnet tranches.

Headline scenarios (``--scenario`` to change them):

* ``supplychain/data/scenarios/taiwan_blockade_magnets.toml``: 60-day closure of Taiwan's international lanes
  plus a 180-day Chinese NdFeB magnet ban, with Japanese and Korean stockpile releases (the flagship
  compound shock; the only shipped example that produces a shortfall on the current engines);
* ``supplychain/data/scenarios/gallium_germanium_2023.toml``: China's 2023 Ga/Ge export licensing.

Groups whose values cannot be perturbed one number at a time (trade-matrix priors, capacity splits
that fix each supplier's steady-state output, routing rules) are listed as structural with the
number of values they set. The script fails (``--check``) if any value whose source says
"assumption" is in no group, so new assumptions must be classified here.

Only the public API is used, so the script keeps working while the engines change; the numbers it
prints will change with them (rerun and paste the tables into docs/assumptions.md).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import re
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import supplychain as sc  # noqa: E402
from supplychain.analytics.impact import value_added_loss_totals  # noqa: E402
from supplychain.datasets import BASELINE_DIR, BASELINE_FILES  # noqa: E402

DEFAULT_SCENARIOS = ("supplychain/data/scenarios/taiwan_blockade_magnets.toml",
                     "supplychain/data/scenarios/gallium_germanium_2023.toml")
#: Scenarios (file stems) whose world value added lost the table shows beside the shortfall.
VALUE_ADDED_SCENARIOS = ("taiwan_blockade_magnets",)

#: (file, kind, record, field, entry): one sourced number in the data files; ``entry`` is the
#: ``{value, source, ...}`` table, ``field`` is e.g. ``capacity_per_day`` or ``recipe.gallium``.
Entry = tuple[str, str, dict, str, dict]


def entries(data: dict[str, dict]) -> Iterator[Entry]:
    """Every sourced number in the parsed data files."""
    for file, tables in data.items():
        for kind, records in tables.items():
            for record in records:
                for key, node in record.items():
                    if isinstance(node, dict) and "value" in node:
                        yield file, kind, record, key, node
                    elif isinstance(node, dict):  # recipe
                        for sub, leaf in node.items():
                            yield file, kind, record, f"{key}.{sub}", leaf


@dataclass(frozen=True)
class Group:
    """A set of values fixed by one assumption, and how to perturb them.

    ``factors`` multiply the values (``None``: structural, not perturbed); ``range_note`` says what
    the factors mean (e.g. "utilisation 75% / 95%").
    """

    name: str
    field: str            # regex on the field name
    source: str           # regex on the source text
    reasoning: str
    factors: tuple[float, float] | None = (0.8, 1.2)
    range_note: str = "x0.8 / x1.2"
    kind: str = ""        # optional regex on the record kind (facility, lane, demand, commodity)
    item: str = ""        # optional regex on the record id (lanes: origin>destination)

    def matches(self, e: Entry) -> bool:
        _, kind, record, field, node = e
        item = record.get("id") or f"{record.get('origin')}>{record.get('destination')}"
        return (re.search(self.field, field) is not None and re.search(self.source, node["source"]) is not None
                and re.search(self.kind, kind) is not None and re.search(self.item, item) is not None)


def _util(u0: float, lo: float, hi: float) -> dict:
    """Capacity = production / utilisation: utilisation ``lo`` / ``hi`` instead of ``u0``."""
    return dict(factors=(u0 / lo, u0 / hi), range_note=f"utilisation {lo:.0%} / {hi:.0%}")


GROUPS: tuple[Group, ...] = (
    # --- lead times ---------------------------------------------------------------------------
    Group("Lead time, domestic truck/rail (3 d, range 2-5)", r"^lead_time_days$", r"^assumption: domestic truck",
          "door-to-door inside one region; no published figure used"),
    Group("Lead time, domestic express for chips/wafers/resist (2 d, range 1-3)", r"^lead_time_days$",
          r"^assumption: domestic express", "express parcel inside one region"),
    Group("Lead time, intra-Asia sea (10 d, range 7-12)", r"^lead_time_days$", r"^assumption: intra-Asia",
          "carrier schedules give 2-5 d port-to-port (Shanghai-Busan/Tokyo/Kaohsiung 2-4 d), plus inland legs "
          "and port dwell"),
    Group("Lead time, long haul to/from ROW (35 d, range 20-50)", r"^lead_time_days$", r"^assumption: ROW legs",
          "ROW mixes Australia (~3 wk), Europe (28-35 d port-to-port from China), S. America and Africa"),
    Group("Lead time, international air for chips/wafers/resist (6 d, range 5-7)", r"^lead_time_days$",
          r"^assumption: air freight", "1-3 d airport-to-airport plus handling and customs; photoresist "
          "flown because of its short shelf life"),
    # --- freight ------------------------------------------------------------------------------
    Group("Freight + insurance, % of value by class and band (0.1-8 %)", r"^freight_usd_per_unit$",
          r"^assumption: freight\+insurance", "bulk ores 2-8 %, goods 0.5-3 %, air cargo 0.1-0.5 % of value; "
          "no published lane freight rates used"),
    # --- stock cover --------------------------------------------------------------------------
    Group("Producers hold 15 days of output", r"^output_cover_days$", r"^assumption: producers hold",
          "about two weeks of finished goods; no published figure found"),
    Group("Refineries hold 45 days of ore/concentrate", r"^input_cover_days$", r"^assumption: US mineral stocks",
          "lower end of the 45-100 days that US mineral stocks cover (USGS MCS 2026 salient statistics)"),
    Group("Battery-material buyers hold 60 days (Li chemicals, spherical graphite, HPMSM)", r"^input_cover_days$",
          r"^assumption: battery-maker raw-material", "mid value of the 1-3 months held ahead of China's Dec "
          "2023 graphite licensing (Fastmarkets 2023)"),
    Group("Cell makers hold 30 days of CAM/AAM; vehicle/ESS makers 30 days of cells", r"^input_cover_days$",
          r"^assumption: (cell makers|vehicle/ESS makers)", "about one month, the low end of the 1-3 months "
          "of battery-chain buffers"),
    Group("Magnet buyers hold 60 days", r"^(input_)?cover_days$", r"^assumption: importers hold",
          "mid value of the 1-3 months importers held ahead of China's 2023-25 export controls"),
    Group("Automotive magnet users' first tranche holds 14 days (car-parts makers, one two-week order cycle)",
          r"^cover_days$", r"^assumption: (the first tranche of )?car-parts makers", "no days of magnet stock published for car-parts makers; the "
          "automotive chip buyers' order cycle (Bosch, 2021); 7 days to the other magnet users' 60",
          factors=(0.5, 60.0 / 14.0), range_note="7 / 60 days", kind=r"^demand$"),
    Group("Germanium buyers hold 65 days (as for gallium)", r"^input_cover_days$", r"^assumption: as for gallium",
          "no germanium stock figure; the USGS-derived gallium cover is used"),
    Group("Fabs hold 90 days of tools in the delivery and installation pipeline", r"^input_cover_days$",
          r"^assumption: fabs hold ~3 months of tools", "order-to-delivery of fab equipment 3-6 months in normal "
          "times (Nikkei Asia 2019, TheElec 2020)"),
    Group("Fabs hold 30 days of wafers, resist and HF (display makers of fluorinated polyimide)",
          r"^input_cover_days$", r"^assumption: (fabs|display makers) hold", "about one month of wafers and wet chemicals (resist shelf life ~6 months)"),
    Group("Packaging houses hold 14 days of die bank", r"^input_cover_days$", r"^assumption: packaging houses",
          "about two weeks of processed wafers"),
    # --- production cycle times (cycle_times.toml) ---------------------------------------------
    Group("Memory fabs take 60 days (the 14/10 nm figure)", r"^cycle_time_days$", r"^assumption: memory fabs",
          "no memory-specific figure; between Leachman's 28 nm (~40 d) and 7 nm (~80 d) cycle times",
          kind="cycle_time"),
    Group("Cell plants take 35 days", r"^cycle_time_days$", r"^assumption: 5 weeks",
          "middle of 4-6 weeks electrode-to-cell incl. formation and ageing (low-confidence trade source)",
          kind="cycle_time"),
    # --- substitution elasticities ------------------------------------------------------------
    Group("Substitution elasticities set by judgement (ores 0.5, refined 1.0, magnets 1.0, wafers/chips 2.0, "
          "CAM/AAM 2.0, fab chemicals 1.5)", r"^elasticity$", r"assumption",
          "short-run Armington elasticities below the GTAP defaults (Hertel et al. 2007) because grades need "
          "qualification; act only through tariffs"),
    # --- utilisation (capacity = production / utilisation) ------------------------------------
    Group("Mine utilisation 85 %", r"^capacity_per_day$", r"assumption: mine utilisation 85%",
          "no published mine-utilisation series; mines run below nameplate for grade, maintenance, weather",
          **_util(0.85, 0.75, 0.95)),
    Group("Refinery utilisation 80 % (Indonesian nickel processing 75-79 % used as proxy)", r"^capacity_per_day$",
          r"used as the refinery proxy", "one cited utilisation (Indonesian nickel 2023) stands for every "
          "mineral refinery", **_util(0.80, 0.70, 0.90)),
    Group("Packaging (ATP) utilisation 80 %", r"^capacity_per_day$", r"utilisation 0\.80 \(assumption, cf\. fabs",
          "assumed close to fab utilisation (~80 % in H2 2024)", **_util(0.80, 0.70, 0.90)),
    Group("Photoresist and HF plant utilisation 80 %", r"^capacity_per_day$", r"utilisation 0\.80 \(assumption\)$",
          "no published utilisation for fab chemicals", **_util(0.80, 0.70, 0.90)),
    Group("Chinese magnet plants utilisation 60 %", r"^capacity_per_day$", r"utilisation 60% \(assumption",
          "'midstream overcapacity' in China's magnet industry (SMM 2024)", **_util(0.60, 0.50, 0.70)),
    Group("Tool makers utilisation 80 %", r"^capacity_per_day$", r"tool makers run at 80%",
          "no published utilisation for equipment makers", **_util(0.80, 0.70, 0.90)),
    Group("Capacity added in a year outside China, Korea and Taiwan at the world's +7 %", r"^capacity_per_day$",
          r"assumption: the world's \+7%", "SEMI gives the world, China, Korea and Taiwan; Japan, the US and ROW "
          "take the world rate", factors=None, range_note="structural"),
    Group("Compound-semiconductor fab utilisation 75 %", r"^capacity_per_day$", r"assumption: compound fabs run",
          "as mature-node foundries (70-80 % in 2024, TrendForce)", **_util(0.75, 0.65, 0.85)),
    Group("Non-Chinese magnet plants utilisation 80 %", r"^capacity_per_day$", r"utilisation 80% \(assumption\)$",
          "no published figure", **_util(0.80, 0.70, 0.90)),
    # --- recipes ------------------------------------------------------------------------------
    Group("1.1 prime wafers per processed wafer", r"^recipe\.wafer_300mm$", r"^assumption: 1 prime wafer",
          "one prime wafer plus ~10 % test/monitor wafers", factors=(1.0 / 1.1, 1.2 / 1.1),
          range_note="1.0 / 1.2 wafers"),
    Group("Photoresist per wafer weighted mature 1 : memory 1.5 : logic 3", r"^recipe\.photoresist$",
          r"assumption: lithography layers", "more lithography layers and EUV resist at advanced nodes; the "
          "market total (TECHCET 2024) is cited"),
    Group("HF per wafer: Korea's intensity for every fab", r"^recipe\.hf_high_purity$",
          r"same intensity for all fabs \(assumption\)", "Korea's HF use per wafer (Japan MoF, Kyodo 2019) "
          "applied to all fabs"),
    Group("Gallium per 1,000 USD of GaAs/GaN devices (41.5 % of world primary Ga over a 23.5 bn USD device market, "
          "GaAs part 8 bn USD assumed)", r"^recipe\.gallium$", r"world compound-device market",
          "the gallium end-use share (Løvik et al. 2015) and the LED and RF GaN markets are cited; the GaAs device "
          "market is extrapolated from Strategy Analytics 2009"),
    Group("Tools per new-capacity wafer: the region's equipment billings (SEMI 2022 shares) x the CSET tool market, "
          "same tool mix everywhere, all purchases for new capacity", r"^recipe\.(litho|deposition|etch|inspection)_tool$",
          r"same tool mix in every region", "part of tool spending upgrades or replaces installed tools; the "
          "regional mix differs (more lithography at advanced nodes)"),
    Group("1.08 % Dy/Tb oxide per t of NdFeB magnet (world Dy output over world magnet output)",
          r"^recipe\.dytb_oxide$", r"nearly all Dy and Tb go into magnets", "commodity grades hold 0.6-1.2 % Dy, "
          "high-temperature EV grades more; grain-boundary diffusion cuts Dy per magnet"),
    Group("0.30 t NdPr oxide per t of sintered NdFeB magnet", r"^recipe\.ndpr_oxide$",
          r"^assumption: sintered NdFeB", "29-32 % Nd+Pr by weight, as oxide (x1.17), less recycled swarf",
          factors=(0.25 / 0.30, 0.35 / 0.30), range_note="0.25 / 0.35 t/t"),
    Group("Anode active material per GWh = graphite mass (0.971 t/GWh; silicon additives ignored)",
          r"^recipe\.aam(_synthetic)?$", r"anode material ≈ graphite mass \(assumption", "Wood Mackenzie 2023 gives graphite "
          "demand per GWh, not anode-material demand"),
    Group("A natural-graphite anode takes 1 t spherical graphite per t", r"^recipe\.graphite_spherical$",
          r"^assumption: a natural-graphite anode", "coating adds mass, purification and sizing lose some; the "
          "natural/synthetic split of anode output is cited by region (EV Tank 2024, POSCO Future M), synthetic "
          "feed (needle/petroleum coke) is not modelled", factors=(0.9, 1.1), range_note="0.9 / 1.1 t/t"),
    Group("NdPr is 25 % of REO in concentrate (4 t REO per t NdPr oxide)", r"^recipe\.rare_earth_ore$",
          r"^assumption: NdPr", "20-25 % in Bayan Obo, Mountain Pass, Mt Weld and ionic-clay feeds",
          factors=(0.25 / 0.30, 0.25 / 0.20), range_note="NdPr 30 % / 20 % of REO"),
    Group("Flake to spherical graphite yield 50 % (2 t flake per t)", r"^recipe\.graphite_ore$",
          r"^assumption: ~50% yield", "typical spheronisation and purification losses",
          factors=(1.6 / 2.0, 2.5 / 2.0), range_note="yield 62.5 % / 40 %"),
    Group("Refining on a metal-content basis, no losses (Co, Ni, Mn, Ga, Ge, Dy/Tb: 1 t in per t out)",
          r"^recipe\.", r"^assumption: (refined output equals|Mn-content|Ge-content|high-purity refining|oxide-content)",
          "losses ignored (recycled scrap offsets them for gallium)", factors=(1.0, 1.1),
          range_note="x1.0 / x1.1 (losses up to 10 %)"),
    # --- demand -------------------------------------------------------------------------------
    Group("Compound devices used where mature-node chips are used", r"^rate_per_day$",
          r"assumption: phones, base stations", "no location-of-use figure for GaAs/GaN devices; phones, base "
          "stations, lighting and cars are assembled where mature-node chips go", kind=r"^demand$"),
    Group("Chip demand by location of use outside China (JP 7.5 %, US 12 %, KR 4 %, TW 4 %; ROW the rest); cells "
          "JP 3 %, KR 3 %, TW 1 %", r"^rate_per_day$", r"assumption: \d+(\.\d+)?%", "only China's location-of-use "
          "share is published (IC Insights 2020); JP from bill-to, US from pre-AI bill-to less Mexico and chips "
          "shipped to Asian assemblers; KR/TW by assembly activity; IEA reports cells only in an aggregate",
          kind=r"^demand$",
          item=r"\.demand\.(memory_chip|logic_chip|mature_chip|mature_idm_chip|li_ion_cell)(\.[a-z]+)?$"),
    Group("Chip demand split among end-use segments (automotive by C29 output, industrial by C27 + C28 output, "
          "electronics the rest; memory and logic with one segment mix)", r"^rate_per_day$",
          r"buyers' part of the region's use", "WSTS end-use shares are cited (2022); the mature-node split is the "
          "impact table's use shares, derived from cited class mixes (automotive 0.75, industrial two thirds of a "
          "segment's chips in the mature-node categories, floors), and the regional split follows where vehicles "
          "and machines are made; "
          "changing one segment alone changes a region's total", factors=None, range_note="structural",
          kind=r"^demand$"),
    Group("Automotive chip buyers hold 14 days (one two-week order cycle)", r"^cover_days$",
          r"^assumption: one two-week order cycle", "automotive buyers order chips every two weeks under "
          "just-in-time (Bosch, 2021); no published cover of automotive chip users; 7 days to the 40-day median "
          "of all users (US Commerce RFI 2022)", factors=(0.5, 40.0 / 14.0), range_note="7 / 40 days",
          kind=r"^demand$"),
    Group("Germanium consumption by region (JP 8, KR 3, TW 2, ROW 8, CN 45 % of world refined; US from USGS)",
          r"^rate_per_day$", r"of world refined germanium", "no regional germanium consumption is published except "
          "the US (USGS); China's refiners' remainder is added to China's use", kind=r"^demand$"),
    Group("Gallium outside GaAs/GaN: magnet additive where magnets are made, PV and alloys in China",
          r"^rate_per_day$", r"gallium additive in NdFeB", "end-use shares are cited (Løvik et al. 2015); their "
          "placement by magnet output and in China for PV is a judgement", kind=r"^demand$"),
    Group("Magnet demand outside China: China's exports by destination plus other makers' sales (JP 7.4, KR 2.2, "
          "US 3.7, TW 1.0, ROW 15.7 % of world)", r"^rate_per_day$", r"China's exports to the region", "China's 70 % "
          "is cited (SMM 2024, China customs), and so are its exports by destination (GAC, Sep-Oct 2024) and Japan's "
          "and Korea's import shares (KITA); Japan's makers' destinations and Taiwan's share are not",
          kind=r"^demand$", item=r"^(?!CN\.)"),
    Group("Magnet users split by end use (car parts 30 % in three equal tranches, motors 50 %, devices 20 % in "
          "every region)", r"^rate_per_day$", r"magnet users' part (\d+%|[\d.]+) of the region's use", "the impact table's world magnet use "
          "shares, applied in every region (no regional split by end use is published); changing one group alone "
          "changes a region's total; outside China the regional split above classifies the same values",
          factors=None, range_note="structural", kind=r"^demand$"),
    Group("Mineral use outside the chains with no published regional figure (JP 150, KR 110, TW 80 kt nickel; JP "
          "60, KR 40 kt natural graphite; JP/KR/TW manganese by crude-steel share; China's Mn ore at 37 % Mn)",
          r"^rate_per_day$", r"(no published figure found|no current published figure found|World Steel in "
          r"Figures|x 37% Mn)", "US use is cited (USGS MCS 2026); these regions' tonnages are judgements, and "
          "what refineries or mines make beyond them stays in the producing region", kind=r"^demand$"),
    # --- prices -------------------------------------------------------------------------------
    Group("Prices set by judgement (ore payability 50 %, spherical graphite, HPMSM, AAM, CAM metal share, "
          "cells 75 % of pack, processed wafer 90 % of chip value, HF)", r"^price_usd$", r"assumption",
          "value shortfalls in USD; ore prices assume 50 % payability of contained refined value"),
    # --- structural (not perturbed one number at a time) --------------------------------------
    Group("Trade-matrix priors and home bias (RAS-balanced shares)", r"^share$", r"RAS-balanced.*assumption",
          "priors (home bias x2/x3, partner splits) are fitted to cited supplier and buyer totals; changing "
          "one share changes its supplier's steady-state output, so it needs a re-fit in tools/baseline",
          factors=None, range_note="structural"),
    Group("Direct sourcing shares of mineral buyers (e.g. TW gallium 75 % China, 15 % Japan, 10 % ROW)", r"^share$",
          r"assumption", "a buyer's shares must sum to one and fix each refinery's draw and its 'other uses' "
          "remainder; needs a re-fit in tools/baseline", factors=None, range_note="structural"),
    Group("IDM chips take 15 % of their wafers from foundries (MIC 2021: automotive IDMs; applied to all IDMs)",
          r"^recipe\.mature_wafer$", r"Market Intelligence & Consulting Institute.*assumption",
          "the share re-splits foundry output between fabless and IDM packaging and every wafer lane; needs a "
          "re-fit in tools/baseline", factors=None, range_note="structural", kind=r"^facility$",
          item=r"\.idm_backend(\.[A-Z]+)?$"),
    Group("Capacity splits by region (memory sites, advanced-logic share 4 %, CAM/AAM/magnet/resist/HF/Ga "
          "refinery splits, KR/JP home cell plants)", r"^capacity_per_day$",
          r"assumption", "they fix each "
          "supplier's steady-state output and, through RAS, every lane share; needs a re-fit in "
          "tools/baseline", factors=None, range_note="structural"),
    # --- added with recovery ramps and restart delays (tools/baseline/cycle_times.py, inventories.py) ---
    Group("Refineries, material plants and packaging take 10 days", r"^cycle_time_days$",
          r"^assumption: 10 days", "no published figure separates processing from queueing",
          kind="cycle_time"),
    Group("Foundry finished wafers and vendor chip stocks derived from days of inventory (work in progress "
          "counted at half cost)", r"^output_cover_days$", r"^derived: .*days of inventory",
          "IHS foundry (45 d) and chip-vendor (78 d) days of inventory, less the work in progress they include"),
    # --- new scrap recovered once short (tools/baseline/minerals.py, docs/model.md §5.4.3) ---
    Group("Compound-wafer makers without a new-scrap loop (KR, TW, CN) build one once short of gallium, 40.9 % of "
          "their use", r"^scrap_recovery$", r"assumption", "the mean of the two measured loops: Japan 40.1 % "
          "(JOGMEC 2021), the US 41.8 % (USGS MCS 2026, 2021-24)", range_note="x0.8 / x1.2 (33 % / 49 %)"),
    Group("New-scrap recovery grows over 150 days from the first day short", r"^scrap_days$", r"^assumption: the "
          "recovery rises", "the minerals chain's restart of idle processing (60 + 90 days); no published figure",
          factors=(0.5, 2.0), range_note="x0.5 / x2 (75 / 300 days)"),
)
#: Rules of the builder, not numbers (listed in docs/assumptions.md, nothing to count or perturb).
RULES = (
    "Mines feed refineries home-first, then pro rata to other mines' spare output.",
    "Refined output and ore not used by the modelled chains go to cited or assumed consumers where they are "
    "used (US from USGS apparent consumption, with US scrap supply as a 'recycling' plant); what remains is an "
    "'other uses' demand served in the producing region.",
    "Small trade links (under 6 % of the buyer and 24 % of the supplier) are pruned during RAS balancing, "
    "except links within a region and links with a cited import share.",
)


def assign(data: dict[str, dict]) -> tuple[dict[str, list[Entry]], list[Entry]]:
    """Entries of each group (first matching group wins) and assumption entries in no group."""
    members: dict[str, list[Entry]] = {g.name: [] for g in GROUPS}
    orphans = []
    for e in entries(data):
        for g in GROUPS:
            if g.matches(e):
                members[g.name].append(e)
                break
        else:
            if "assumption" in e[4]["source"]:
                orphans.append(e)
    return members, orphans


def perturbed_dir(data: dict[str, dict], group: Group, factor: float, out: Path) -> Path:
    """Write the data files with ``group``'s values (and lead-time ranges) times ``factor`` into ``out``."""
    new = copy.deepcopy(data)
    members, _ = assign(new)
    for *_, node in members[group.name]:
        for key in ("value", "low", "high"):
            if key in node:
                node[key] = float(node[key]) * factor
    out.mkdir(parents=True, exist_ok=True)
    for name, tables in new.items():
        (out / name).write_text(tomli_w.dumps(tables), encoding="utf-8")
    return out


@dataclass(frozen=True)
class Headline:
    shortfall_usd: float
    worst_fill: float
    worst_where: str
    unshocked_shortfall_usd: float  # should be 0: the perturbed baseline is still in steady state
    value_added_usd: float | None = None  # world value added lost net of the unshocked runs, mean over runs


def headline(scenario: sc.Scenario, *, runs: int, value_added: bool = False) -> Headline:
    """Shortfall caused by the shocks (USD) and worst fill rate, via supplychain.compare; with
    ``value_added``, also the world value added lost (USD, docs/model.md §8.3) net of the paired
    unshocked runs, mean over the runs (what ``supplychain run`` prints as "Total value added lost")."""
    n = runs if _is_random(scenario) else 1
    shocked = sc.simulate(scenario, engine="vector", n_runs=n, seed=scenario.seed)
    unshocked = sc.simulate(scenario.replace(shocks=()), engine="vector", n_runs=n, seed=scenario.seed)
    table = sc.compare(shocked, baseline=unshocked, segments=False)  # its worst fill rate is labelled by region and commodity
    usd = table.loc[table.metric == "shortfall_usd"]
    fill = table[table.metric == "fill_rate"].sort_values("shocked").iloc[0]
    va = None
    if value_added:  # per run: shocked minus its paired unshocked run, over regions and industries
        va = float((value_added_loss_totals(shocked) - value_added_loss_totals(unshocked)).sum(axis=(1, 2)).mean())
    return Headline(float(usd["change"].sum()), float(fill["shocked"]), f"{fill['region']} {fill['commodity']}",
                    float(usd["baseline"].sum()), va)


def _is_random(scenario: sc.Scenario) -> bool:
    text = repr(scenario.all_shocks)
    return "licence" in text or "RandomOutage" in text


def on_baseline(path: str, data_dir: Path | None) -> sc.Scenario:
    """The scenario file's shocks on the (possibly perturbed) baseline in ``data_dir``."""
    scen = sc.load_scenario(ROOT / path)
    base = sc.load_baseline(horizon_days=scen.horizon_days, start_date=scen.start_date, data_dir=data_dir)
    return base.replace(shocks=scen.shocks, responses=scen.responses, name=scen.name, seed=scen.seed)


def _money(x: float) -> str:
    return f"{x / 1e6:,.1f} M"


def _bn(x: float) -> str:
    return f"{x / 1e9:,.1f} bn"


def _flag(h: Headline) -> str:
    return " †" if h.unshocked_shortfall_usd > 1.0 else ""


def _pct(x: float, ref: float) -> str:
    if abs(ref) < 1.0:
        return "" if abs(x) < 1.0 else " (from 0)"
    return f" ({(x - ref) / ref:+.0%})"


def reference_text(name: str, r: Headline) -> str:
    """One scenario's part of the "Reference (shipped values)" line.

    >>> reference_text("flag", Headline(9.133e9, 0.762, "TW ndfeb_magnet", 0.0, 254.04e9))
    'flag: shock shortfall 9,133.0 M USD, worst fill rate 0.762 (TW ndfeb_magnet), world value added lost 254.0 bn USD'
    >>> reference_text("ga", Headline(0.0, 1.0, "US gallium", 0.0))
    'ga: shock shortfall 0.0 M USD, worst fill rate 1.000 (no shortfall anywhere)'
    """
    text = (f"{name}: shock shortfall {_money(r.shortfall_usd)} USD, worst fill rate {r.worst_fill:.3f} "
            f"({r.worst_where if r.worst_fill < 1 else 'no shortfall anywhere'})")
    return text + ("" if r.value_added_usd is None else f", world value added lost {_bn(r.value_added_usd)} USD")


def header(names: list[str], with_va: set[str]) -> list[str]:
    """The table's columns: the group, then per scenario shortfall (value added) and worst fill, low / high."""
    head = ["#", "assumption group", "values", "reasoning", "range tested"]
    for n in names:
        head.append(f"{n}: shortfall USD low / high")
        if n in with_va:
            head.append(f"{n}: value added lost USD low / high")
        head.append(f"{n}: worst fill low / high")
    return head


def scenario_cells(lo: Headline, hi: Headline, ref: Headline) -> list[str]:
    """One scenario's cells of a group's row: shortfall, value added lost (when measured), worst fill.

    >>> ref = Headline(9.133e9, 0.762, "TW ndfeb_magnet", 0.0, 254.0e9)
    >>> scenario_cells(Headline(9.2e9, 0.760, "", 0.0, 300.0e9), Headline(9.1e9, 0.758, "", 2.0, 127.0e9), ref)
    ['9,200.0 M (+1%) / 9,100.0 M (-0%) †', '300.0 bn (+18%) / 127.0 bn (-50%)', '0.760 / 0.758']
    """
    cells = [f"{_money(lo.shortfall_usd)}{_pct(lo.shortfall_usd, ref.shortfall_usd)}{_flag(lo)} / "
             f"{_money(hi.shortfall_usd)}{_pct(hi.shortfall_usd, ref.shortfall_usd)}{_flag(hi)}"]
    if ref.value_added_usd is not None and lo.value_added_usd is not None and hi.value_added_usd is not None:
        cells.append(f"{_bn(lo.value_added_usd)}{_pct(lo.value_added_usd, ref.value_added_usd)} / "
                     f"{_bn(hi.value_added_usd)}{_pct(hi.value_added_usd, ref.value_added_usd)}")
    cells.append(f"{lo.worst_fill:.3f} / {hi.worst_fill:.3f}")
    return cells


def group_numbers(text: str) -> set[int]:
    """The groups ``--only`` names: numbers as in the table's first column, ``12,44`` or ``10-12``.

    >>> sorted(group_numbers("12,44")), sorted(group_numbers("10-12, 1"))
    ([12, 44], [1, 10, 11, 12])
    """
    out: set[int] = set()
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        first, last = int(a), int(b or a)
        if not 1 <= first <= last <= len(GROUPS):
            raise argparse.ArgumentTypeError(f"group {part.strip()!r}: groups are numbered 1-{len(GROUPS)}")
        out.update(range(first, last + 1))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", action="append", help="scenario file(s), default: %s" % ", ".join(DEFAULT_SCENARIOS))
    ap.add_argument("--runs", type=int, default=16, help="runs for scenarios with random licence decisions")
    ap.add_argument("--value-added", action="append", metavar="STEM",
                    help="scenario (file stem) whose world value added lost is measured too, default: %s"
                    % ", ".join(VALUE_ADDED_SCENARIOS))
    ap.add_argument("--only", type=group_numbers, metavar="N[,N|N-M]",
                    help="only these groups (numbers as in the table), e.g. 12,44; the reference line is always run")
    ap.add_argument("--check", action="store_true", help="only check that every assumption is in a group")
    args = ap.parse_args(argv)
    scenarios = tuple(args.scenario or DEFAULT_SCENARIOS)
    names = [Path(s).stem for s in scenarios]
    with_va = set(VALUE_ADDED_SCENARIOS) & set(names) if args.value_added is None else set(args.value_added)
    unknown = sorted(with_va - set(names))
    if unknown:
        ap.error(f"--value-added {', '.join(unknown)}: not among the scenarios run ({', '.join(names)})")

    data = {name: tomllib.loads((BASELINE_DIR / name).read_text(encoding="utf-8")) for name in BASELINE_FILES}
    members, orphans = assign(data)
    if orphans:
        for _, kind, record, field, node in orphans[:20]:
            print(f"unclassified assumption: {kind} {record.get('id') or record.get('origin')} {field}: "
                  f"{node['source'][:120]}", file=sys.stderr)
        print(f"{len(orphans)} assumption values are in no group: add them to GROUPS", file=sys.stderr)
        return 1
    empty = [name for name, m in members.items() if not m]
    if empty:
        print(f"groups matching nothing (stale patterns?): {empty}", file=sys.stderr)
        return 1
    if args.check:
        print(f"{sum(map(len, members.values()))} values in {len(GROUPS)} groups; every assumption is grouped")
        return 0

    t0 = time.time()
    ref = {s: headline(on_baseline(s, None), runs=args.runs, value_added=n in with_va)
           for s, n in zip(scenarios, names)}
    flags = ((f" --runs {args.runs}" if args.runs != 16 else "")
             + (f" --only {','.join(map(str, sorted(args.only)))}" if args.only else ""))
    print(f"Generated {dt.date.today().isoformat()} by `python tools/assumptions_sensitivity.py{flags}` "
          "(vector engine; seeds from the scenario files).\n")
    print("Reference (shipped values): " + "; ".join(reference_text(n, r) for n, r in zip(names, ref.values())) + "\n")
    head = header(names, with_va)
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    structural = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, g in enumerate(GROUPS, 1):
            if args.only and k not in args.only:
                continue
            count = len(members[g.name])
            if g.factors is None:
                structural.append((k, g, count))
                continue
            cells = [str(k), g.name, str(count), g.reasoning, g.range_note]
            results = []
            for j, f in enumerate(g.factors):
                d = perturbed_dir(data, g, f, Path(tmp) / f"g{k}_{j}")
                results.append({s: headline(on_baseline(s, d), runs=args.runs, value_added=n in with_va)
                                for s, n in zip(scenarios, names)})
            for s in scenarios:
                cells += scenario_cells(results[0][s], results[1][s], ref[s])
            print("| " + " | ".join(cells) + " |", flush=True)
    print("\nShortfall = change in total shortfall (USD) from the unshocked to the shocked run on the same "
          "perturbed data; † = the perturbed baseline already runs short without the shock."
          + (" Value added lost = world value added lost beyond the chain (docs/model.md §8.3), shocked minus "
             "unshocked run by run, mean over the runs, in bn USD: the total `supplychain run` prints; "
             f"measured for {', '.join(n for n in names if n in with_va)}." if with_va else ""))
    print("\nStructural assumptions (not perturbed one value at a time):\n")
    print("| # | assumption group | values | why not perturbed |")
    print("|---|---|---|---|")
    for k, g, count in structural:
        print(f"| {k} | {g.name} | {count} | {g.reasoning} |")
    print(f"\n({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
