"""Build the impact layer's input-output table from cited figures and write it as TOML.

No multi-regional table (OECD ICIO, EXIOBASE) could be read where this file was written, so the
table is assembled from a few published figures per region and sector, following docs/model.md §8.3:

* gross output of C26 (computer, electronic and optical products), C27 (electrical equipment),
  C28 (machinery n.e.c.) and C29 (motor vehicles) per region, each with its source;
* direct input coefficients between the five sectors (the four and OTH, the rest of the economy),
  the same in every region, and the share of each sector's inputs bought at home;
* value-added ratios, derived as 1 minus each column's coefficient sum;
* gross output of OTH, derived from GDP (IMF World Economic Outlook) less the four sectors' value
  added, divided by OTH's value-added ratio;
* the dependence of each sector's output on chips, Li-ion cells and NdFeB magnets;
* the ARIO behavioural parameters.

``supplychain.impact.table`` assembles the multi-regional coefficient matrix from these.
Every number is written with its source; tests/test_impact_table.py checks that this module
re-creates the shipped file byte for byte.
"""

from __future__ import annotations

from pathlib import Path

REGIONS = ("JP", "KR", "US", "CN", "TW", "ROW")
SECTORS = ("C26", "C27", "C28", "C29", "OTH")
SECTOR_NAMES = {
    "C26": "Computer, electronic and optical products (ISIC Rev.4 C26)",
    "C27": "Electrical equipment, incl. batteries and motors (ISIC Rev.4 C27)",
    "C28": "Machinery and equipment n.e.c. (ISIC Rev.4 C28)",
    "C29": "Motor vehicles, trailers and semi-trailers (ISIC Rev.4 C29)",
    "OTH": "Rest of the economy (all other ISIC Rev.4 sections and divisions)",
}
YEAR = 2021

# Exchange rates (annual averages) used to convert national figures.
RMB_2022 = 6.73   # RMB per USD 2022 (as used by MIIT's release; PBoC central parity average 6.73)
NTD_2021 = 27.93  # TWD per USD 2021 (Central Bank of the Republic of China (Taiwan), annual average)
KRW_2021 = 1144.0  # KRW per USD 2021 (Bank of Korea, annual average)
JPY_2021 = 109.8  # JPY per USD 2021 (Bank of Japan, annual average)

_EST = "estimate (order of magnitude, to be checked against OECD ICIO 2023 release, C26-C29 gross output): "

#: Gross output, bn USD per year: (value, source).
OUTPUT: dict[tuple[str, str], tuple[float, str]] = {
    ("US", "C26"): (470.0, _EST + "US Bureau of Economic Analysis, GDP by Industry, gross output of computer and "
                    "electronic products (NAICS 334) 2021 about 0.47 tn USD"),
    ("US", "C27"): (160.0, _EST + "BEA GDP by Industry, gross output of electrical equipment, appliances and "
                    "components (NAICS 335) 2021 about 0.16 tn USD"),
    ("US", "C28"): (430.0, _EST + "BEA GDP by Industry, gross output of machinery (NAICS 333) 2021 about 0.43 tn USD"),
    ("US", "C29"): (720.0, _EST + "BEA GDP by Industry, gross output of motor vehicles, bodies and trailers, and "
                    "parts (NAICS 3361-3363) 2021 about 0.72 tn USD"),
    ("CN", "C26"): (round(15400.0 / RMB_2022, 1), "derived: operating revenue of computer, communication and other "
                    "electronic equipment manufacturing (GB/T 4754 C39, enterprises above designated size) "
                    f"RMB 15.4 tn in 2022 (MIIT, 2022 electronic information manufacturing operations, Feb 2023, "
                    f"NBS data) / {RMB_2022} RMB/USD"),
    ("CN", "C27"): (round(9500.0 / RMB_2022, 1), _EST + "NBS China Statistical Yearbook, operating revenue of "
                    f"electrical machinery and equipment manufacturing (GB/T 4754 C38) about RMB 9.5 tn 2021-22 / "
                    f"{RMB_2022} RMB/USD"),
    ("CN", "C28"): (round(8600.0 / RMB_2022, 1), _EST + "NBS China Statistical Yearbook, operating revenue of "
                    "general-purpose (C34) and special-purpose (C35) machinery manufacturing about RMB 8.6 tn "
                    f"2021-22 / {RMB_2022} RMB/USD"),
    ("CN", "C29"): (round(9290.0 / RMB_2022, 1), "derived: operating revenue of automobile manufacturing (GB/T 4754 "
                    f"C36) RMB 9.29 tn in 2022 (NBS, industrial enterprises above designated size, Jan 2023) / "
                    f"{RMB_2022} RMB/USD"),
    ("JP", "C26"): (round(22000.0 / JPY_2021, 1), _EST + "Cabinet Office, Japan, national accounts by economic "
                    "activity 2021, output of electronic components and devices plus electronic and "
                    f"communication equipment about JPY 22 tn / {JPY_2021} JPY/USD"),
    ("JP", "C27"): (round(15000.0 / JPY_2021, 1), _EST + "METI Census of Manufacture 2021, shipments of electrical "
                    f"machinery, equipment and supplies about JPY 15 tn / {JPY_2021} JPY/USD"),
    ("JP", "C28"): (round(36000.0 / JPY_2021, 1), _EST + "METI Census of Manufacture 2021, shipments of general-, "
                    f"production- and business-oriented machinery about JPY 36 tn / {JPY_2021} JPY/USD"),
    ("JP", "C29"): (round(57000.0 / JPY_2021, 1), _EST + "METI Census of Manufacture 2021, shipments of motor "
                    f"vehicles, parts and accessories about JPY 57 tn / {JPY_2021} JPY/USD"),
    ("KR", "C26"): (round(300000.0 / KRW_2021, 1), _EST + "Bank of Korea input-output tables 2020, output of "
                    f"computer, electronic and optical equipment about KRW 300 tn / {KRW_2021} KRW/USD"),
    ("KR", "C27"): (round(90000.0 / KRW_2021, 1), _EST + "Bank of Korea input-output tables 2020, output of "
                    f"electrical equipment about KRW 90 tn / {KRW_2021} KRW/USD"),
    ("KR", "C28"): (round(125000.0 / KRW_2021, 1), _EST + "Bank of Korea input-output tables 2020, output of "
                    f"machinery and equipment about KRW 125 tn / {KRW_2021} KRW/USD"),
    ("KR", "C29"): (round(195000.0 / KRW_2021, 1), _EST + "Bank of Korea input-output tables 2020, output of "
                    f"motor vehicles and parts about KRW 195 tn / {KRW_2021} KRW/USD"),
    ("TW", "C26"): (round(8100.0 / NTD_2021, 1), _EST + "Ministry of Economic Affairs (Taiwan), Department of "
                    "Statistics, industrial production value 2021: electronic parts and components about NT$ 5.3 tn "
                    f"plus computers, electronic and optical products about NT$ 2.8 tn / {NTD_2021} TWD/USD"),
    ("TW", "C27"): (round(1250.0 / NTD_2021, 1), _EST + "MOEA Department of Statistics, production value of "
                    f"electrical equipment 2021 about NT$ 1.25 tn / {NTD_2021} TWD/USD"),
    ("TW", "C28"): (round(1500.0 / NTD_2021, 1), _EST + "MOEA Department of Statistics, production value of "
                    f"machinery and equipment 2021 about NT$ 1.5 tn / {NTD_2021} TWD/USD"),
    ("TW", "C29"): (round(620.0 / NTD_2021, 1), _EST + "MOEA Department of Statistics, production value of motor "
                    f"vehicles and parts 2021 about NT$ 0.62 tn / {NTD_2021} TWD/USD"),
    ("ROW", "C26"): (1100.0, "assumption: rest of the world (EU, Malaysia, Vietnam, Mexico, Singapore, India and "
                     "others) about 1.1 tn USD, so that the world total is about 4.7 tn USD"),
    ("ROW", "C27"): (900.0, "assumption: rest of the world about 0.9 tn USD (EU about half)"),
    ("ROW", "C28"): (1400.0, "assumption: rest of the world about 1.4 tn USD (EU, Germany and Italy first, about "
                     "two thirds)"),
    ("ROW", "C29"): (2100.0, "assumption: rest of the world about 2.1 tn USD (EU about 1.2 tn; Mexico, India, "
                     "Thailand, Brazil, Turkey and others)"),
}

#: GDP 2021, bn USD at market exchange rates: (value, source).
_WEO = "IMF World Economic Outlook database, October 2022, GDP current prices 2021"
GDP: dict[str, tuple[float, str]] = {
    "US": (23315.1, _WEO), "CN": (17734.1, _WEO), "JP": (4940.9, _WEO), "KR": (1810.9, _WEO),
    "TW": (774.7, _WEO),
}
WORLD_GDP = (96527.0, _WEO + ", world")

_COEF = ("assumption: order of magnitude of direct input coefficients (all origins) for ISIC Rev.4 C26-C29 in "
         "national input-output tables (OECD harmonised national IOTs, 2021 release), one value for every region")
#: Direct input coefficients, input sector -> using sector: (value, source).
COEFFICIENTS: dict[tuple[str, str], tuple[float, str]] = {
    ("C26", "C26"): (0.30, _COEF + "; electronics assembly buys components from electronics makers"),
    ("C27", "C26"): (0.03, _COEF),
    ("C28", "C26"): (0.01, _COEF),
    ("C29", "C26"): (0.0, "assumption: electronics makers buy no motor vehicles as inputs"),
    ("OTH", "C26"): (0.36, _COEF + "; metals, chemicals, plastics, energy and services"),
    ("C26", "C27"): (0.05, _COEF),
    ("C27", "C27"): (0.15, _COEF),
    ("C28", "C27"): (0.03, _COEF),
    ("C29", "C27"): (0.0, "assumption: electrical-equipment makers buy no motor vehicles as inputs"),
    ("OTH", "C27"): (0.42, _COEF + "; copper, steel and services"),
    ("C26", "C28"): (0.04, _COEF),
    ("C27", "C28"): (0.05, _COEF),
    ("C28", "C28"): (0.15, _COEF),
    ("C29", "C28"): (0.01, _COEF),
    ("OTH", "C28"): (0.40, _COEF),
    ("C26", "C29"): (0.03, "derived: 812 USD of semiconductors per light vehicle in 2022 (S&P Global Mobility, "
                     "Automotive Semiconductor Market Tracker, Apr 2023) / about 30,000 USD ex-works per vehicle "
                     "= 0.027, rounded up for other electronic modules"),
    ("C27", "C29"): (0.05, _COEF + "; batteries, motors, wiring and lamps"),
    ("C28", "C29"): (0.02, _COEF),
    ("C29", "C29"): (0.35, _COEF + "; parts makers supply assemblers within C29"),
    ("OTH", "C29"): (0.33, _COEF + "; steel, plastics, glass, rubber and services"),
    ("C26", "OTH"): (0.004, _COEF),
    ("C27", "OTH"): (0.002, _COEF),
    ("C28", "OTH"): (0.004, _COEF),
    ("C29", "OTH"): (0.003, _COEF),
    ("OTH", "OTH"): (0.42, _COEF),
}

_HOME = ("assumption: share of a sector's intermediate inputs bought from producers in the same region, "
         "consistent with import contents of 20-50 % for electronics and 10-30 % for machinery and vehicles "
         "(OECD Trade in Value Added indicators, 2023 edition, order of magnitude); imports come from the "
         "other regions in proportion to their gross output of the sector")
DOMESTIC: dict[str, tuple[float, str]] = {
    "C26": (0.5, _HOME), "C27": (0.7, _HOME), "C28": (0.7, _HOME), "C29": (0.75, _HOME), "OTH": (0.95, _HOME),
}

_EV = ("IEA Global EV Outlook 2024: share of electric cars (BEV + PHEV) in 2023 car sales; sales share used as "
       "the share of the region's motor-vehicle output that needs traction batteries")
EV_SHARE: dict[str, tuple[float, str]] = {
    "JP": (0.03, _EV + ", Japan about 3 %"), "KR": (0.09, _EV + ", Korea about 9 %"),
    "US": (0.10, _EV + ", United States about 10 %"), "CN": (0.38, _EV + ", China about 38 %"),
    "TW": (0.05, "assumption: Taiwan about 5 % (not in the IEA tables)"),
    "ROW": (0.15, "assumption: rest of the world about 15 % (IEA Global EV Outlook 2024: Europe 21 %, "
            "most other markets below 5 %)"),
}

_CHIP = ("Boehm, Flaaen & Pandalai-Nayar (2019), Review of Economics and Statistics 101(1): imported inputs are "
         "near-Leontief complements in the short run; every product line of the sector needs this chip class")
_MIX = "assumption: share of the sector's output whose products need this chip class (judgement)"
#: Dependence of a sector's output on an input commodity: (commodity, sector) -> value or region map.
DEPENDENCE: dict[tuple[str, str], tuple[float, str]] = {
    ("mature_chip", "C26"): (1.0, _CHIP), ("mature_chip", "C27"): (1.0, _CHIP),
    ("mature_chip", "C28"): (1.0, _CHIP), ("mature_chip", "C29"): (1.0, _CHIP + " (microcontrollers, analog, "
                                                                   "power and sensor chips)"),
    ("memory_chip", "C26"): (1.0, _CHIP), ("memory_chip", "C27"): (0.2, _MIX),
    ("memory_chip", "C28"): (0.5, _MIX), ("memory_chip", "C29"): (0.5, _MIX + " (infotainment, ADAS, "
                                                                   "instrument clusters)"),
    ("logic_chip", "C26"): (1.0, _CHIP + "; capped by the content of advanced logic in the devices that carry it "
                            "(phones, PCs, servers; see [[content]])"), ("logic_chip", "C27"): (0.05, _MIX),
    ("logic_chip", "C28"): (0.1, _MIX), ("logic_chip", "C29"): (0.1, _MIX + " (advanced driver assistance)"),
    ("compound_chip", "C26"): (0.25, _MIX + " (phones' RF front ends, base stations, optical transceivers; not "
                                "computers, servers or instruments)"),
    ("compound_chip", "C27"): (0.02, "assumption: LED lamps and luminaires (ISIC 2740) about 2 % of world "
                                "electrical-equipment output (an LED lighting market of the order of 70-80 bn "
                                "USD against about 3.8 tn USD of C27 in this table); GaN chargers can fall back "
                                "to silicon"),
    ("compound_chip", "C28"): (0.0, "assumption: machinery uses compound devices only inside bought-in "
                                "electronics (counted in C26)"),
    ("compound_chip", "C29"): (0.2, _MIX + " (LED head and tail lamps)"),
    ("li_ion_cell", "C26"): (0.3, _MIX + " (portable devices)"),
    ("li_ion_cell", "C27"): (0.1, _MIX + " (storage systems, power tools)"),
    ("li_ion_cell", "C28"): (0.0, _MIX),
    ("ndfeb_magnet", "C26"): (0.1, _MIX + " (drives, speakers, vibration motors)"),
    ("ndfeb_magnet", "C27"): (0.2, _MIX + " (high-efficiency motors and generators)"),
    ("ndfeb_magnet", "C28"): (0.1, _MIX + " (direct-drive wind turbines, servo motors)"),
    ("ndfeb_magnet", "C29"): (1.0, "every car needs NdFeB magnets, not only electric ones: China's 2025 magnet "
                              "licensing stopped lines of combustion-engine cars, Ford's Chicago Assembly Plant "
                              "(Explorer) for a week from 20 May 2025 (Ford CEO J. Farley, Bloomberg, 12 Jun 2025: "
                              "magnets 'go into your speakers ..., your seat's motors, your wiper motors, your door "
                              "motors') and Suzuki's Swift line from 26 May to 13 Jun 2025 (Suzuki statement, "
                              "5 Jun 2025; Nikkei), and the parts are 'critical to both combustion engine and "
                              "electric vehicles' (CLEPA, European Association of Automotive Suppliers, 4 Jun 2025); "
                              "the content below caps the dependent output"),
}
_USE = ("market by application: the share of the input's world use, by value, that goes to each sector; "
        "applied in every region")

# Mature-node chips by end use. The baseline's chip classes follow WSTS's product categories: memory, logic (taken as
# advanced logic) and the rest, microprocessors and microcontrollers, analog, discretes, optoelectronics and sensors,
# the mature-node class (tools/baseline/semiconductors.py). An end-use segment's mature-node chips are its share of
# all chip sales times the share of its chips in those categories; the segment's memory and advanced logic are the
# rest of its chips (tools/baseline/segments.py reads the use shares below, so the pooled and segmented mappings
# describe one market by application).
#: World chip sales 2024, bn USD (SIA/WSTS, Feb 2025): all, memory, logic; the mature-node class is the rest.
CHIP_SALES_2024 = {"all": 627.6, "memory": 165.1, "logic": 212.6}
MATURE_SALES_2024 = round(CHIP_SALES_2024["all"] - CHIP_SALES_2024["memory"] - CHIP_SALES_2024["logic"], 1)
#: Each segment's share of all chip sales (WSTS Semiconductor End-Use Survey 2022, via SIA, R. Casanova, 'Chip
#: sales rise in 2022, especially to auto, industrial, consumer markets', Mar 2023).
SEGMENT_SALES_SHARE = {"automotive": 0.14, "industrial": 0.14}
#: Share of a segment's chips, by value, in the mature-node categories: (value, source). Both are floors: the part of
#: a segment's chips the sources leave unnamed holds memory and logic but also microprocessors, microcontrollers (for
#: industrial) and DSPs, which are of the mature-node class here.
MATURE_SHARE: dict[str, tuple[float, str]] = {
    "automotive": (0.75, "derived: analog ICs 45 % and microcontrollers 23 % of the automotive IC market of 32.3 bn "
                   "USD in 2018 (IC Insights, update to IC Market Drivers 2018, June 2018, via EE Times, D. McGrath, "
                   "'Automotive ICs a $30bn+ market in 2018', 4 Jun 2018), and discretes, optoelectronics and sensors "
                   "the rest of the automotive semiconductor market of 41.8 bn USD in 2018 (IHS Markit, Automotive "
                   "Semiconductor Market Tracker Q1 2019, 14 Jun 2019), 9.5 bn: (0.68 x 32.3 + 9.5) / 41.8 = 0.753, "
                   "rounded; the other 10.3 bn of ICs (25 % of the chips) hold memory and logic with microprocessors "
                   "and DSPs, so 0.75 is a floor; memory alone was 10 % of automotive semiconductors in 2021 (Yole "
                   "Intelligence, Memory for Automotive 2022, press release 2022: 4.3 bn USD). Two firms' figures "
                   "for one year (IC Insights' a forecast made in June), not one table"),
    "industrial": (round(2.0 / 3.0, 4), "derived: analog, optoelectronics, power and discretes and sensors (Semicast "
                   "Research's 'real world' categories) were about two thirds of industrial semiconductor revenues of "
                   "42.2 bn USD in 2016, logic, memory, microcontrollers, DSPs and microprocessors (the 'machine "
                   "world') the other third (Semicast Research, via eeNews Analog, P. Clarke, 'Real world - not IoT - "
                   "drives industrial chip ranking', 3 May 2017; Semicast's industrial sector includes medical "
                   "electronics and industrial transport); microcontrollers and microprocessors are of the mature-node "
                   "class here, so two thirds is a floor; analog ICs, microcontrollers and power discretes alone were "
                   "almost two thirds in 2012 (Semicast Research, via eeNews Europe: 32.3 bn USD)"),
}
_MAT_USE = {g: round(MATURE_SHARE[g][0] * SEGMENT_SALES_SHARE[g] * CHIP_SALES_2024["all"] / MATURE_SALES_2024, 4)
            for g in SEGMENT_SALES_SHARE}
_MAT_USE["electronics"] = round(1.0 - _MAT_USE["automotive"] - _MAT_USE["industrial"], 4)
_MAT_C27 = round(0.4 * _MAT_USE["industrial"], 4)
_MAT_C28 = round(_MAT_USE["industrial"] - _MAT_C27, 4)
_MAT_SRC = ("a segment's mature-node use is its share of all chip sales x the share of its chips in the mature-node "
            "categories / the mature-node class's sales, automotive " + " x ".join(
                (f"{SEGMENT_SALES_SHARE['automotive']:g}", f"{MATURE_SHARE['automotive'][0]:g}")) +
            f" x {CHIP_SALES_2024['all']:g} / {MATURE_SALES_2024:g} = {_MAT_USE['automotive']:g}, industrial "
            f"{SEGMENT_SALES_SHARE['industrial']:g} x {MATURE_SHARE['industrial'][0]:g} x {CHIP_SALES_2024['all']:g} / "
            f"{MATURE_SALES_2024:g} = {_MAT_USE['industrial']:g} (WSTS Semiconductor End-Use Survey 2022 via SIA, Mar "
            "2023: automotive 14 %, industrial 14 % of sales; SIA/WSTS, Feb 2025: 627.6 bn USD of 2024 sales, memory "
            "165.1, logic 212.6, the mature-node class the rest); the shares of mature-node categories: automotive "
            + MATURE_SHARE["automotive"][1] + "; industrial " + MATURE_SHARE["industrial"][1])
#: Share of an input commodity's use by sector: (commodity, sector) -> (value, source).
USE: dict[tuple[str, str], tuple[float, str]] = {
    ("compound_chip", "C26"): (0.58, _USE + "; derived: of a 23.5 bn USD device market (LEDs 14.2 bn, TrendForce "
                               "2023; GaAs 8.0 bn; RF GaN 1.3 bn, Yole 2023), GaAs and GaN RF (handsets, Wi-Fi, "
                               "base stations, radar, optical links: 9.3 bn) and display and signage LEDs (about "
                               "30 % of LEDs, 4.3 bn) are bought by electronics makers: 13.6 / 23.5"),
    ("compound_chip", "C27"): (0.30, _USE + "; derived: general-lighting LEDs, about half of the LED market "
                               "(TrendForce 2023, order of magnitude), 7.1 / 23.5"),
    ("compound_chip", "C29"): (0.12, _USE + "; derived: automotive LEDs, about 20 % of the LED market "
                               "(TrendForce 2023, order of magnitude), 2.8 / 23.5"),
    ("mature_chip", "C26"): (_MAT_USE["electronics"], _USE + "; derived: what the automotive and industrial "
                             f"segments leave, 1 - {_MAT_USE['automotive']:g} - {_MAT_USE['industrial']:g}; "
                             + _MAT_SRC),
    ("mature_chip", "C27"): (_MAT_C27, _USE + f"; derived: the industrial segment's {_MAT_USE['industrial']:g} "
                             "split with C28 as 0.4 : 0.6 (assumption: the 0.08 : 0.12 of the table before the "
                             "segment's class mix was cited); " + _MAT_SRC),
    ("mature_chip", "C28"): (_MAT_C28, _USE + f"; derived: the industrial segment's {_MAT_USE['industrial']:g} "
                             "split with C27 as 0.4 : 0.6 (assumption, as for C27); " + _MAT_SRC),
    ("mature_chip", "C29"): (_MAT_USE["automotive"], _USE + "; derived: the automotive segment's; " + _MAT_SRC),
    ("ndfeb_magnet", "C26"): (0.20, _USE + "; assumption (order of magnitude of NdFeB end uses by mass: "
                              "acoustics, vibration motors, hard disks and other consumer electronics about a fifth)"),
    ("ndfeb_magnet", "C27"): (0.35, _USE + "; assumption (industrial and appliance motors and wind generators, "
                              "ISIC 2710, about a third)"),
    ("ndfeb_magnet", "C28"): (0.15, _USE + "; assumption (servo motors, robots, lifts and pumps)"),
    ("ndfeb_magnet", "C29"): (0.30, _USE + "; assumption (electric traction motors plus steering, seat and "
                              "other small motors of all cars)"),
}

_CONTENT = ("content: value of the input per dollar of the output that needs it; the output that needs the "
            "input in a region is at most (its use there) / content, so the dependence w is capped at "
            "u D / (content x) (docs/model.md §8.3)")
#: Content of an input in the products that need it: (commodity, sector) -> (value, source).
CONTENT: dict[tuple[str, str], tuple[float, str]] = {
    ("compound_chip", "C26"): (0.015, _CONTENT + "; assumption: RF front ends of 5-10 USD in a 400-700 USD "
                               "phone, order of magnitude of published teardowns"),
    ("compound_chip", "C27"): (0.15, _CONTENT + "; assumption: LED packages 10-30 % of an LED lamp's or "
                               "luminaire's cost"),
    ("compound_chip", "C29"): (0.003, _CONTENT + "; assumption: about 100 USD of LEDs in a 30,000 USD car"),
}
#: The baseline's world use of sintered NdFeB magnets, t a year, and their reference price, USD/t
#: (tools/baseline/minerals.py; supplychain/data/baseline/minerals.toml and commodities.toml cite them: the price is
#: China's export unit value of 2024, 58,152 t for 2.86 bn USD, GAC via Adamas Intelligence, Jan 2025).
MAGNET_WORLD_T, MAGNET_PRICE = 288_889.0, 49_200.0
#: The magnets' content in the products of C26-C28 that need them is held in kg of magnet per 1,000 USD of the
#: product, so that the output at stake per tonne does not move with the price (the USD content is kg x price).
#: Values: the contents the table shipped before Dec 2026 (0.002, 0.05, 0.03 USD per USD) at the magnet price it
#: then used (27,600 USD/t), to 3 significant figures. Deriving them as C29's (use share x world tonnes / the
#: output that needs magnets, d x the table's world output) would rest on the dependence d, a judgement, and make
#: 20 % of world C27 output (546 bn USD) need 101,000 t of magnets, 0.19 kg per 1,000 USD, against the few % of a
#: permanent-magnet motor's cost below (docs/model.md §8.3, *The magnets' price*).
_MAGNET_KG: dict[str, tuple[float, str]] = {
    "C26": (0.0725, "assumption: grams of magnet worth cents to a dollar in phones, speakers and drives"),
    "C27": (1.81, "assumption: magnets 3-10 % of a permanent-magnet motor's or direct-drive generator's cost"),
    "C28": (1.09, "assumption: magnets a few % of a servo drive's or robot's cost"),
}
for _sec, (_kg, _why) in _MAGNET_KG.items():
    _theta = round(_kg * MAGNET_PRICE / 1e6, 7)
    CONTENT[("ndfeb_magnet", _sec)] = (_theta, _CONTENT + (
        f"; {_kg:g} kg of magnet per 1,000 USD of the product that needs it ({_why}; held in kg so that the output "
        f"at stake per tonne does not move with the price) x {MAGNET_PRICE:,.0f} USD/t (the baseline's magnet "
        f"price) = {_theta:g}, magnets {100 * _theta:.2g} % of the product's value"))
_C29 = sum(OUTPUT[(r, "C29")][0] for r in REGIONS)
_THETA_C29 = round(USE[("ndfeb_magnet", "C29")][0] * MAGNET_WORLD_T * MAGNET_PRICE / (_C29 * 1e9), 7)
CONTENT[("ndfeb_magnet", "C29")] = (_THETA_C29, _CONTENT + (
    f"; derived: every car needs magnets (see [[dependence]]), so the content is the vehicles' use share of "
    f"world magnets, {USE[('ndfeb_magnet', 'C29')][0]:g} x {MAGNET_WORLD_T:,.0f} t x {MAGNET_PRICE:,.0f} USD/t "
    f"(the baseline's world magnet use and price), over the table's world motor-vehicle output {_C29:,.0f} bn USD: "
    f"about {_THETA_C29 * 35000:.0f} USD of magnets in a 35,000 USD car, {_THETA_C29 * 35000 / MAGNET_PRICE * 1000:.1f} "
    "kg, between a combustion-engine car's small motors and an electric car's 1-2 kg traction motor"))

_WTP = ("derived: users are served in decreasing order of output at stake per dollar of devices, w x / u "
        "(what they would pay to stay supplied): vehicles (LEDs about 0.1-0.5 % of a car's value) before "
        "phones and network gear (RF front ends 1-2 %) before LED lamps (LEDs 10-30 % of a luminaire)")
_2021 = ("2021 evidence, not the output-at-stake rule of compound devices and magnets (under which vehicles, "
         "with 2 % of their value in chips, would be served first): foundries allocate mature-node capacity by "
         "their customers' standing and volume, and served consumer electronics and computing first and "
         "automotive last in 2021, after automakers, just-in-time buyers with little stock, cancelled orders in "
         "2020 and lost their allocation (The White House, Building Resilient Supply Chains, 100-day reviews "
         "under E.O. 14017, June 2021, semiconductor chapter; US Department of Commerce, Results from "
         "Semiconductor Supply Chain Request for Information, 25 Jan 2022); automotive was 3 % of the largest "
         "foundry's revenue (TSMC, 2020 Annual Report, net revenue by platform), a small, low-margin customer. "
         "Judgement for other shocks: rationing='pro_rata' is the neutral option")
#: Rationing rank of a sector for an input commodity (higher is served first): (commodity, sector) -> (value, source).
#: NdFeB magnets have none (pro rata): the output-at-stake rule would serve vehicles first, but in China's 2025
#: magnet licensing car lines were among the first to stop (Ford, Suzuki, European suppliers; see [[dependence]]),
#: as China's licensing authority decided application by application, whatever the user would have paid.
PRIORITY: dict[tuple[str, str], tuple[float, str]] = {
    ("compound_chip", "C29"): (3.0, _WTP), ("compound_chip", "C26"): (2.0, _WTP),
    ("compound_chip", "C27"): (1.0, _WTP), ("compound_chip", "C28"): (1.0, _WTP),
    ("mature_chip", "C26"): (3.0, _2021), ("mature_chip", "C27"): (2.0, _2021),
    ("mature_chip", "C28"): (2.0, _2021), ("mature_chip", "C29"): (1.0, _2021),
}

_SUB = ("assumption: redesign onto other parts, thrifting and feature deletion replace this share of the "
        "input's use, reached linearly over these days from the first short day or, if earlier, the first day an "
        "export control upstream is in force (docs/model.md §8.3; requalifying an automotive or RF part takes "
        "months: US Department of Commerce, RFI results, 25 Jan 2022; range 0-0.2 tested)")
#: Substitution of a short input: commodity -> (share, days, source).
SUBSTITUTION: dict[str, tuple[float, float, str]] = {
    "mature_chip": (0.1, 180.0, _SUB), "compound_chip": (0.1, 180.0, _SUB),
    "ndfeb_magnet": (0.1, 180.0, _SUB + "; ferrite magnets and induction or wound-rotor motors"),
}

# IDM-made mature-node chips go into the same products as foundry-made ones (the baseline splits the
# mature-node class by maker type, tools/baseline/semiconductors.py): same dependence, use shares and
# substitution. No priority rows: the 2021 evidence is about how foundries allocated, so IDMs ration pro rata.
for _table in (DEPENDENCE, USE):
    _table.update({("mature_idm_chip", sec): (v, src + "; as for foundry-made mature-node chips")
                   for (c, sec), (v, src) in list(_table.items()) if c == "mature_chip"})
SUBSTITUTION["mature_idm_chip"] = SUBSTITUTION["mature_chip"]

# Mature-node chips in electrical equipment (C27) and machinery (C28) go into the product lines with electronic
# controls or drives (appliances, motor drives and controls, inverters, lighting; air conditioners and machines
# with drives), not into cables, transformers, wiring devices or bearings. With a dependence of 1 and no content,
# all of both sectors' output (6.3 tn USD a year in this table) needed them: about 72 USD of output per USD of the
# industrial segment's chips. The content caps the dependent output at what the segment's chips can serve at the
# chip content of a product that carries them, measured in a teardown.
#: Semiconductors in a front-loading washing machine (GE GFWN1100LWW, 3.5 cu ft, made by Wuxi Little Swan),
#: USD, and its list price, USD (IHS iSuppli Teardown Analysis, press release 5 Jul 2012, and IHS Teardown
#: Services, Electronics360, 30 Nov 2012: electronics bill of materials 36.13 USD, of which semiconductors 13.84
#: USD, 38 %; MSRP 749 USD).
APPLIANCE_CHIPS, APPLIANCE_PRICE = 13.84, 749.0
#: The baseline's world purchases of chips by industrial buyers, bn USD a year, by class (tools/baseline/segments.py:
#: 14 % of 627.6 bn USD of 2024 sales, WSTS via SIA; its mature-node part two thirds of it (MATURE_SHARE), split
#: between foundry- and IDM-made chips as the baseline's mature-node capacity; supplychain/data/baseline/
#: semiconductors.toml cites them; tests/test_impact_mature_content.py checks them against the baseline).
INDUSTRIAL_CHIPS = {"mature_chip": 18.236, "mature_idm_chip": 40.346, "logic_chip": 16.484, "memory_chip": 12.802}
_IND_ALL = sum(INDUSTRIAL_CHIPS.values())
_THETA_APPLIANCE = APPLIANCE_CHIPS / APPLIANCE_PRICE
_IND_SRC = (
    f"; derived: a product with electronic controls holds {APPLIANCE_CHIPS:g} USD of chips in {APPLIANCE_PRICE:g} USD "
    f"({_THETA_APPLIANCE:.4f}; IHS iSuppli Teardown Analysis of a GE GFWN1100LWW front-loading washing machine, press "
    "release 5 Jul 2012, and IHS Teardown Services via Electronics360, 30 Nov 2012: semiconductors 13.84 of a 36.13 "
    "USD electronics bill of materials, MSRP 749 USD; at the list price: at producer prices the content is higher by "
    "the distribution margin, and per USD of the sector's gross output, which counts its own inputs into these "
    "products, 0.15 of their value (see [[coefficient]]), lower by about as much; neither is adjusted), all classes "
    "of chips together; this class's part of it is its share of the industrial buyers' chip purchases in the "
    "baseline, {share:.3f} ({val:g} of {tot:.1f} bn USD a year, "
    "tools/baseline/segments.py), so that the output all the segment's chips serve is the same for every class: "
    "{tot:.1f} bn / {th:.4f} = {out:,.0f} bn USD, some {pct:.0f} % of the table's world C27 + C28 output (cables, "
    "transformers, wiring devices, switchgear and plain motors and machines without electronics the rest; household "
    "appliances alone are 20 % of US electrical-equipment value added, Federal Reserve Board, G.17 Industrial "
    "Production, Source and Description Table 1.09, value added in 2021: 14,440 of 73,796 million USD)")
_C2728 = sum(OUTPUT[(r, s)][0] for r in REGIONS for s in ("C27", "C28"))
for _c in ("mature_chip", "mature_idm_chip"):
    _share = INDUSTRIAL_CHIPS[_c] / _IND_ALL
    _src = _CONTENT + _IND_SRC.format(share=_share, val=INDUSTRIAL_CHIPS[_c], tot=_IND_ALL, th=_THETA_APPLIANCE,
                                      out=_IND_ALL / _THETA_APPLIANCE, pct=100 * _IND_ALL / _THETA_APPLIANCE / _C2728)
    CONTENT[(_c, "C27")] = (round(_THETA_APPLIANCE * _share, 5), _src + "; appliances are C27 (ISIC 2750)")
    CONTENT[(_c, "C28")] = (round(_THETA_APPLIANCE * _share, 5), _src + "; assumption: machinery that carries chips "
                            "holds as much per USD as appliances: room air conditioners (ISIC 2819, C28) and washing "
                            "machines are the largest users of chips among major home appliances, over 60 % of their "
                            "chip revenue (IHS, Major Home Appliances - World, 2013 edition, 25 Nov 2013)")

# Mature-node chips in electronics (C26) go into the electronic systems (phones, computers, servers, network gear,
# TVs, instruments), not into the chips, boards and components C26 also makes: with a dependence of 1 and no content,
# all of C26 (4.7 tn USD a year in this table) needed them. The content is the chips' share of the value of electronic
# systems, all classes together, shared among the classes as the electronics buyers' purchases, as above.
#: Semiconductors' share of the value of electronic systems in 2021 (IC Insights, The McClean Report 2022, via eeNews
#: Europe, 'Record high for semiconductor content in electronic equipment': 33.2 %; 25.4 % in 2010, ceiling 40 %).
SYSTEMS_CONTENT = 0.332
#: The baseline's world purchases of chips by electronics buyers, bn USD a year, by class (tools/baseline/segments.py,
#: as INDUSTRIAL_CHIPS; tests/test_impact_mature_content.py checks them against the baseline).
ELECTRONICS_CHIPS = {"mature_chip": 39.048, "mature_idm_chip": 86.39, "logic_chip": 183.73, "memory_chip": 142.691}
_ELEC_ALL = sum(ELECTRONICS_CHIPS.values())
_C26 = sum(OUTPUT[(r, "C26")][0] for r in REGIONS)
# A region's C26 output also counts the components its own makers supply to the systems (a_26,26 x h_26 of their
# value, bought at home): they stop with the systems, so per USD of the sector's output the content is lower.
_OWN26 = COEFFICIENTS[("C26", "C26")][0] * DOMESTIC["C26"][0]
_THETA_SYSTEMS = SYSTEMS_CONTENT * (1.0 - _OWN26)
for _c in ("mature_chip", "mature_idm_chip"):
    _share = ELECTRONICS_CHIPS[_c] / _ELEC_ALL
    CONTENT[(_c, "C26")] = (round(_THETA_SYSTEMS * _share, 5), _CONTENT + (
        f"; derived: semiconductors are {SYSTEMS_CONTENT:.1%} of the value of electronic systems, all classes "
        "together (IC Insights, The McClean Report 2022, via eeNews Europe: 33.2 % in 2021), and per USD of C26 "
        f"output, which also counts the components the region's own makers supply to the systems ({_OWN26:g} of their "
        f"value: the coefficient of C26 in C26 x its home share, see [[coefficient]] and [[domestic_share]]), "
        f"{SYSTEMS_CONTENT} x (1 - {_OWN26:g}) = {_THETA_SYSTEMS:.4f}; this class's part is its share of the "
        f"electronics buyers' chip purchases in the baseline, {_share:.3f} ({ELECTRONICS_CHIPS[_c]:g} of "
        f"{_ELEC_ALL:.1f} bn USD a year, tools/baseline/segments.py), so the output all their chips serve is the same "
        f"for every class: {_ELEC_ALL:.1f} / {_THETA_SYSTEMS:.4f} = {_ELEC_ALL / _THETA_SYSTEMS:,.0f} bn USD, "
        f"{_ELEC_ALL / _THETA_SYSTEMS / _C26:.0%} of the table's world C26 output, the rest the chips, boards, "
        "displays and other components sold to systems makers in other regions or sectors (IC Insights forecast the "
        "world electronic systems market, automotive and industrial included, at 1,680 bn USD for 2019, McClean Report "
        "mid-year update)"))

# Germanium goes into no modelled chain: its demands (tools/baseline/minerals.py, germanium_uses) are the makers of
# fibre-optic cable, infrared optics, germanium detectors and wafers for space solar cells, and PET resin, so their
# shortfall reaches those sectors here. Fibre-optic cable is ISIC 2731 (C27); optical instruments, thermal imagers,
# radiation detectors and solar cells are C26 (2670, 2651, 2610); PET catalysts and the other uses are chemicals
# and metallurgy (OTH).
_GE_USE = ("USGS Mineral Commodity Summaries 1996, germanium: US end uses fiber-optic systems 40 %, infrared optics "
           "15 %, detectors 10 %, semiconductors 5 %, other (catalysts, phosphors, metallurgy, chemotherapy) 30 %; "
           "the order of USGS MCS 2026, germanium (fibre optics > infrared optics > semiconductor applications and "
           "solar cells > radiation detectors) is the same; by mass, one price for every use (assumption)")
_GE_NEED = ("every product line of the sector that uses germanium needs it in the short run (substitutes need "
            "redesign: chalcogenide glass for infrared lenses, antimony or titanium PET catalysts, silicon or GaAs "
            "in some electronics, USGS MCS 2026, germanium); the content below caps the dependent output")
USE.update({
    ("germanium", "C27"): (0.40, _USE + "; fibre-optic cable (fiber-optic systems); " + _GE_USE),
    ("germanium", "C26"): (0.30, _USE + "; infrared optics, detectors and semiconductors (15 + 10 + 5 %); " + _GE_USE),
    ("germanium", "OTH"): (0.30, _USE + "; PET catalysts, phosphors, metallurgy and other uses; " + _GE_USE),
})
DEPENDENCE.update({("germanium", sec): (1.0, _GE_NEED) for sec in ("C26", "C27", "OTH")})
CONTENT.update({
    ("germanium", "C27"): (0.03, _CONTENT + "; assumption: germanium tetrachloride dopes the core of optical fibre, "
                           "about 0.1 g of germanium per fibre-km (order of magnitude: world fibre use of germanium "
                           "some 50 t a year for several hundred million fibre-km), 0.4 USD at 4,100 USD/kg, against "
                           "10-15 USD per cabled fibre-km"),
    ("germanium", "C26"): (0.10, _CONTENT + "; assumption: germanium lenses and windows, detector crystals and "
                           "solar-cell substrates are 5-20 % of a thermal imager's, detector's or space solar "
                           "panel's cost"),
    ("germanium", "OTH"): (0.02, _CONTENT + "; assumption: germanium-catalysed PET holds tens of ppm of germanium "
                           "(a few per cent of the resin's price at 4,100 USD/kg); phosphors and alloys alike"),
})
SUBSTITUTION["germanium"] = (0.1, 180.0, _SUB + "; for germanium: chalcogenide glass in infrared optics, antimony "
                             "and titanium PET catalysts, silicon or GaAs in some electronics (USGS MCS 2026, "
                             "germanium, substitutes)")

# Gallium's final demands (tools/baseline/minerals.py) are the uses outside the compound-wafer fabs the chain
# follows: the gallium additive of sintered NdFeB magnets (JP, CN, ROW), CIGS photovoltaics (CN) and the US's
# R&D and alloys. Magnets are ISIC 2790 (C27: HS 8505, permanent magnets); CIGS cells and modules are ISIC 2610
# (C26: HS 8541.40). World primary gallium by end use (Løvik, Restrepo & Müller 2015): NdFeB magnets 22-37 %,
# photovoltaics 2-6 % (midpoints 29.5 and 4 %, as the baseline's demands).
_GA_USE = ("Løvik, Restrepo & Müller, 'The global anthropogenic gallium system: determinants of demand, supply and "
           "efficiency improvements', Environ. Sci. Technol. 49 (2015): end uses of primary gallium 2011 outside "
           "GaAs/GaN devices: NdFeB magnets 22-37 %, photovoltaics (CIGS) 2-6 %; midpoints 29.5 and 4 %; the US's "
           "1 % outside GaAs/GaN (R&D, USGS Mineral Commodity Summaries 2026, gallium) is too small to share out")
_GA_NEED = ("every magnet grade and CIGS line that uses gallium needs it in the short run (gallium-free grades "
            "and other additives need requalification); the content below caps the dependent output")
USE.update({
    ("gallium", "C27"): (0.881, _USE + "; derived: NdFeB magnets (ISIC 2790), 29.5 / (29.5 + 4); " + _GA_USE),
    ("gallium", "C26"): (0.119, _USE + "; derived: CIGS solar cells (ISIC 2610), 4 / (29.5 + 4); " + _GA_USE),
})
DEPENDENCE.update({("gallium", sec): (1.0, _GA_NEED) for sec in ("C26", "C27")})
_GA_MAGNET = round(533.0 / MAGNET_PRICE, 4)
CONTENT.update({
    ("gallium", "C27"): (_GA_MAGNET, _CONTENT + "; derived: 29.5 % of world primary gallium 900,000 kg (USGS MCS "
                         "2026; Løvik, Restrepo & Müller 2015) in 288,889 t of magnets a year (the baseline's world "
                         "magnet use) is 0.92 kg of gallium per t, 533 USD at 580 USD/kg (USGS MCS 2026, gallium, "
                         f"import unit value) against {MAGNET_PRICE:,.0f} USD/t of magnet (the baseline's magnet "
                         "price)"),
    ("gallium", "C26"): (0.01, _CONTENT + "; assumption: order of magnitude: a CIGS module holds some 5-10 t of "
                         "gallium per GW, 3-6 million USD at 580 USD/kg, against 300-500 million USD of modules"),
})
SUBSTITUTION["gallium"] = (0.1, 180.0, _SUB + "; for gallium: more dysprosium or terbium, or copper and aluminium "
                           "additives, in the magnet grades gallium lets makers thin out heavy rare earths; other "
                           "thin-film and silicon cells for CIGS")

# Advanced logic (nodes below 10 nm: application processors, GPUs, accelerators) goes into phones, PCs and servers,
# not into every product of C26: TVs, instruments, medical and navigation equipment, displays, boards and the chips
# themselves are made with mature-node parts only. Without a content the dependence of 1 made all of a region's C26
# output (4.7 tn USD a year in this table) need it, about 27 USD of output per USD of logic; the content caps the
# dependent output at what the region's logic can serve, as for compound devices and magnets.
#: World sales of advanced logic 2024, bn USD, and the share bought by electronics makers (the baseline's segments).
LOGIC_SALES = 212.6
_SEG_OTHER = (sum(SEGMENT_SALES_SHARE.values()) * CHIP_SALES_2024["all"]   # automotive + industrial memory and logic,
              - (_MAT_USE["automotive"] + _MAT_USE["industrial"]) * MATURE_SALES_2024)   # bn USD
LOGIC_ELECTRONICS = round(1.0 - _SEG_OTHER / (165.1 + LOGIC_SALES), 4)
#: The devices that carry it, 2024, bn USD: (value, source).
LOGIC_DEVICES: dict[str, tuple[float, str]] = {
    "smartphones": (round(1.24 * 356.0, 1), "1.24 bn shipped (IDC Worldwide Quarterly Mobile Phone Tracker, "
                    "Jan 2025) at an average selling price of 356 USD (Counterpoint Research, Global Smartphone "
                    "Market Monitor, Feb 2025)"),
    "PCs": (round(0.2627 * 700.0, 1), "262.7 million desktops, notebooks and workstations shipped (IDC Worldwide "
            "Quarterly Personal Computing Device Tracker, 13 Jan 2025) at about 700 USD (IDC, Worldwide Personal "
            "Computing Device Forecast, 6 Jun 2023: average selling price 700 USD)"),
    "servers": (235.7, "vendor revenue 2024 (IDC Worldwide Quarterly Server Tracker, Mar 2025)"),
}
_DEVICES = sum(v for v, _ in LOGIC_DEVICES.values())
_THETA_LOGIC = round(LOGIC_ELECTRONICS * LOGIC_SALES / _DEVICES, 3)
CONTENT[("logic_chip", "C26")] = (_THETA_LOGIC, _CONTENT + (
    f"; derived: electronics makers' advanced logic, {LOGIC_ELECTRONICS:g} x {LOGIC_SALES:g} bn USD (WSTS logic "
    "sales 2024, SIA/WSTS Feb 2025, less the automotive and industrial segments' share, WSTS Semiconductor End-Use "
    "Survey 2022 via SIA Mar 2023, as the baseline's buyer segments, tools/baseline/segments.py), over the 2024 "
    f"revenue of the devices that carry it, {_DEVICES:.1f} bn USD: "
    + "; ".join(f"{k} {v:g} bn ({src})" for k, (v, src) in LOGIC_DEVICES.items())
    + ". TSMC, the maker of most of it, sold 51 % of its 2024 revenue to high-performance computing and 35 % to "
    "smartphones (TSMC 2024 Annual Report, revenue by platform). Tablets, game consoles and network switches are left "
    "out (the content is high and the output that needs logic low by their revenue, some 10 %); device makers' "
    "revenue includes brand margins a region's C26 output at basic prices may not (the content low by as much)"))

# End-use buyer segments of chip demand (tools/baseline/segments.py): each segment's chips go to its own
# sectors, so its shortfall reaches them directly instead of being rationed among all users of the class.
_SEG = ("end-use buyer segment (Demand.segment): the share of the segment's chips that goes to each sector; "
        "segments follow the WSTS end-use categories (WSTS Semiconductor End-Use Survey 2022, via SIA, "
        "R. Casanova, 'Chip sales rise in 2022, especially to auto, industrial, consumer markets', Mar 2023)")
#: Sector shares of each segment: (segment, sector) -> (value, source).
SEGMENT_USE: dict[tuple[str, str], tuple[float, str]] = {
    ("automotive", "C29"): (1.0, _SEG + "; automotive chips go into motor vehicles and their parts (C29)"),
    ("industrial", "C27"): (0.4, _SEG + "; derived: the industrial segment split as the mature-node use shares "
                            f"of C27 and C28, {_MAT_C27:g} : {_MAT_C28:g} (see [[use]])"),
    ("industrial", "C28"): (0.6, _SEG + "; derived: the industrial segment split as the mature-node use shares "
                            f"of C27 and C28, {_MAT_C27:g} : {_MAT_C28:g} (see [[use]])"),
    ("electronics", "C26"): (1.0, _SEG + "; PC/computer, communications, consumer and government chips go into "
                             "computer, electronic and optical products (C26)"),
    **{(g, "C29"): (1.0, "end-use group of magnet users (Demand.segment, tools/baseline/minerals.py): the magnets "
                         "of car-parts makers go into motor vehicles (C29); its tranches (car_parts, car_parts_6w, "
                         "car_parts_10w: days of stock) reach the same sector, so they are one column")
       for g in ("car_parts", "car_parts_6w", "car_parts_10w")},
    ("devices", "C26"): (1.0, "end-use group of magnet users (Demand.segment, tools/baseline/minerals.py): the magnets of "
                         "speakers, vibration motors, hard disks and other devices go into C26"),
    ("motors", "C27"): (0.7, "end-use group of magnet users (Demand.segment, tools/baseline/minerals.py): the magnets "
                        "of motor, generator and machinery makers; derived: split as the magnet use shares of C27 and "
                        "C28, 0.35 : 0.15 (see [[use]])"),
    ("motors", "C28"): (0.3, "end-use group of magnet users (Demand.segment, tools/baseline/minerals.py): the magnets "
                        "of motor, generator and machinery makers; derived: split as the magnet use shares of C27 and "
                        "C28, 0.35 : 0.15 (see [[use]])"),
}

#: Commodities whose dependence in C29 is the region's electric-vehicle share (traction batteries; not magnets, which
#: every car needs, see DEPENDENCE).
EV_INPUTS = ("li_ion_cell",)

_ESS = ("Hallegatte (2014), Risk Analysis 34(1): 152-167, distinguishes essential inputs, whose shortage stops "
        "production, from non-essential ones that can be postponed or replaced; for the rest of the economy, "
        "electronics, electrical equipment, machinery and vehicles are mostly replacements and investment goods "
        "whose short-run shortage does not stop its output")
#: Input sector -> using sector pairs that never constrain production (all others do).
NON_ESSENTIAL: dict[tuple[str, str], tuple[float, str]] = {
    ("C26", "OTH"): (0.0, _ESS), ("C27", "OTH"): (0.0, _ESS), ("C28", "OTH"): (0.0, _ESS),
    ("C29", "OTH"): (0.0, _ESS),
}

_BOARIO = ("Hallegatte (2014), Risk Analysis 34(1): 152-167, ARIO-inventory model; values as the defaults of "
           "the BoARIO documentation (Juhel 2023)")
PARAMETERS: dict[str, tuple[float, str]] = {
    "inventory_days": (90.0, "Hallegatte (2014), Risk Analysis 34(1): 90 days of inputs held; the ARIO robustness "
                       "study of Juhel, Delahais & Viguie (2024) uses 90 days for every goods sector"),
    "psi": (0.8, _BOARIO + ": production falls once a stock is below 80 % of its target"),
    "tau_inventory": (60.0, _BOARIO + ": 1/60 of an inventory gap is reordered each day"),
    "alpha_max": (1.25, "Hallegatte (2008), Risk Analysis 28(3): 779-799: overproduction up to +25 %"),
    "tau_alpha": (365.0, "Hallegatte (2008), Risk Analysis 28(3): overproduction adapts over about one year"),
    "working_stock_days": (5.0, "US Department of Commerce (25 Jan 2022), Results from Semiconductor Supply Chain "
                           "Request for Information: the median inventory of chips held by their users fell from "
                           "40 days in 2019 to less than 5 days in 2021, the least working stock users kept at the "
                           "height of the shortage; users spread what arrives over it, so a shortfall is measured "
                           "over as many trailing days (docs/model.md §8.3)"),
    "price_output_share": (1.0, "the share of an input's demand given up to a price rise that is output its users "
                           "do not make (docs/model.md §8.3): all of it, as in the USGS disruption model, whose "
                           "input-output optimisation distributes the post-disruption equilibrium quantity (after "
                           "demand's response to the price) among the using industries at fixed requirements per "
                           "unit of output (Nassar et al., USGS Open-File Report 2024-1057; Manley, Alonso & Nassar, "
                           "Resources Policy 78 (2022) 102889); users hold chips, cells and magnets in near-fixed "
                           "proportions in the short run (Boehm, Flaaen & Pandalai-Nayar 2019, Review of Economics "
                           "and Statistics 101(1)), and their thrifting and redesign is the substitution below, "
                           "which applies to the whole shortfall"),
}


def _value_added_ratio(sector: str) -> float:
    return round(1.0 - sum(COEFFICIENTS[(i, sector)][0] for i in SECTORS), 6)


def _other_output() -> dict[str, tuple[float, str]]:
    v = _value_added_ratio("OTH")
    out: dict[str, tuple[float, str]] = {}
    rest = WORLD_GDP[0] - sum(g for g, _ in GDP.values())
    for r in REGIONS:
        gdp, src = GDP[r] if r in GDP else (round(rest, 1), f"derived: world GDP {WORLD_GDP[0]} less the five "
                                                             f"regions ({_WEO})")
        four = sum(_value_added_ratio(j) * OUTPUT[(r, j)][0] for j in SECTORS[:4])
        value = round((gdp - four) / v, 1)
        out[r] = (value, f"derived: (GDP {gdp} bn USD [{src}] - value added of C26-C29 {four:.1f}) / value-added "
                         f"ratio of OTH {v}")
    return out


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: float) -> str:
    return repr(float(x))


def render() -> str:
    """The TOML text of the table."""
    lines = [
        "# supplychain impact layer: input-output table for value added lost (docs/model.md §8.3)",
        "#",
        "# Generated by `python -m tools.impact` from tools/impact/build.py: edit that file, never this one.",
        "# Every number is an inline table { value = ..., source = ... }. \"derived:\" says how a number was",
        "# computed from cited figures; \"estimate\" marks a published aggregate quoted to its order of magnitude;",
        "# \"assumption:\" marks a judgement (docs/assumptions.md lists them). Money: bn USD per year.",
        "",
        "[table]",
        f"year = {YEAR}",
        f"regions = [{', '.join(_q(r) for r in REGIONS)}]",
        f"sectors = [{', '.join(_q(s) for s in SECTORS)}]",
        "",
        "[sector_names]",
    ]
    lines += [f"{s} = {_q(SECTOR_NAMES[s])}" for s in SECTORS]
    lines += ["", "[parameters]"]
    lines += [f"{k} = {{ value = {_num(v)}, source = {_q(s)} }}" for k, (v, s) in PARAMETERS.items()]
    other = _other_output()
    for r in REGIONS:
        for s in SECTORS:
            value, src = other[r] if s == "OTH" else OUTPUT[(r, s)]
            lines += ["", "[[output]]", f"region = {_q(r)}", f"sector = {_q(s)}",
                      f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for (i, j), (value, src) in COEFFICIENTS.items():
        lines += ["", "[[coefficient]]", f"input = {_q(i)}", f"sector = {_q(j)}",
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for s, (value, src) in DOMESTIC.items():
        lines += ["", "[[domestic_share]]", f"sector = {_q(s)}",
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for (i, j), (value, src) in NON_ESSENTIAL.items():
        lines += ["", "[[essential]]", f"input = {_q(i)}", f"sector = {_q(j)}",
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for (c, s), (value, src) in DEPENDENCE.items():
        lines += ["", "[[dependence]]", f"commodity = {_q(c)}", f"sector = {_q(s)}", 'region = "ALL"',
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for (c, j), (value, src) in USE.items():
        lines += ["", "[[use]]", f"commodity = {_q(c)}", f"sector = {_q(j)}",
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for (c, j), (value, src) in CONTENT.items():
        lines += ["", "[[content]]", f"commodity = {_q(c)}", f"sector = {_q(j)}",
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for (c, j), (value, src) in PRIORITY.items():
        lines += ["", "[[priority]]", f"commodity = {_q(c)}", f"sector = {_q(j)}",
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for (g, j), (value, src) in SEGMENT_USE.items():
        lines += ["", "[[segment]]", f"segment = {_q(g)}", f"sector = {_q(j)}",
                  f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    for c, (share, days, src) in SUBSTITUTION.items():
        lines += ["", "[[substitution]]", f"commodity = {_q(c)}",
                  f"share = {{ value = {_num(share)}, source = {_q(src)} }}",
                  f"days = {{ value = {_num(days)}, source = {_q(src)} }}"]
    for c in EV_INPUTS:
        for r in REGIONS:
            value, src = EV_SHARE[r]
            lines += ["", "[[dependence]]", f"commodity = {_q(c)}", 'sector = "C29"', f"region = {_q(r)}",
                      f"value = {{ value = {_num(value)}, source = {_q(src)} }}"]
    return "\n".join(lines) + "\n"


def write(path: str | Path) -> Path:
    """Write the table to ``path`` (UTF-8, LF line ends) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8", newline="\n")
    return path
