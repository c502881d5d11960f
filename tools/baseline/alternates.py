"""Potential alternate suppliers: lanes with share 0 that buyers may qualify during a disruption.

A lane with share 0 carries nothing in the baseline; when a buyer's incumbent supplier becomes
unavailable, the buyer starts qualifying its alternates and orders from them once qualified
(``docs/model.md`` §5.6.6; the qualification time comes from the commodity's default in
``supplychain.model.sourcing.QUALIFICATION_DAYS``). Only supplier-buyer pairs that exist in reality
and are missing from the trade-balanced baseline are added, each with its source; pairs the
baseline already trades are left alone.
"""

from __future__ import annotations

from .network import Draft, fid
from .minerals import MAGNET_SEGMENTS
from .packagers import parts

# (origin region, stage, output) -> buyer ids, with the source that says the supplier sells there.
_MICRON = ("Micron Technology makes DRAM in Taiwan (Taichung, Taoyuan; more than 60% of its DRAM bits, Micron, "
           "Taipei Times 8 Sep 2017) and Japan (Hiroshima), NAND in Singapore, memory in the United States "
           "(Manassas), and sells to chip packagers in every region (Micron Technology, Form 10-K 2024)")
_MATURE_KR = ("Samsung Foundry and DB HiTek run mature-node foundry lines open to outside customers (TrendForce, "
              "global foundry revenue ranking 2024)")
_ANODE = ("anode active material is made outside China by POSCO Future M (Korea) and Resonac and Mitsubishi "
          "Chemical (Japan) (IEA, Global EV Outlook 2024, battery supply chain)")
_GRAPHITE = ("natural graphite from Syrah Resources' Balama mine (Mozambique) is sold to POSCO Future M for "
             "anode material (Syrah Resources, ASX announcement, 2023)")
_MAGNET = ("Japan is the largest maker of sintered NdFeB magnets outside China (IEA, The Role of Critical "
           "Minerals in Clean Energy Transitions, 2021)")
_RESIST = ("Dongjin Semichem (Korea) supplies photoresist; Korean resists were qualified by Korean fabs after "
           "Japan's 2019 export controls, a qualification taking 1-3 years (TheElec, 2023)")
_GAAS_CN = ("AXT Inc.'s subsidiary Beijing Tongmei grows GaAs substrates in China and sells them to device makers "
            "abroad: gallium arsenide and germanium substrates exported from China brought AXT about 4.3 M USD in "
            "Q1 2023 (AXT Inc., 'AXT, Inc. Addresses China's Announcement of New Export Control Regulations', "
            "press release, 3 Jul 2023, Form 8-K exhibit 99.1), about 17 M USD a year: some 310 units a day at "
            "150 USD a unit, about 0.8% of the compound wafers the device fabs outside China buy (39,600 units a "
            "day), too little for the trade balance to keep, so a potential alternate")
ALTERNATES: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("TW", "fab", "memory_wafer", ("JP.packaging.memory_chip", "KR.packaging.memory_chip",
                                   "ROW.packaging.memory_chip"), _MICRON),
    ("US", "fab", "memory_wafer", ("JP.packaging.memory_chip", "KR.packaging.memory_chip",
                                   "TW.packaging.memory_chip"), _MICRON),
    ("KR", "fab", "mature_wafer", ("JP.packaging.mature_chip", "US.packaging.mature_chip",
                                   "TW.packaging.mature_chip", "ROW.packaging.mature_chip"), _MATURE_KR),
    ("KR", "material", "aam", ("JP.cell_plant.li_ion_cell", "ROW.cell_plant.li_ion_cell"), _ANODE),
    ("JP", "material", "aam", ("KR.cell_plant.li_ion_cell", "ROW.cell_plant.li_ion_cell"), _ANODE),
    ("KR", "material", "aam_synthetic", ("JP.cell_plant.li_ion_cell", "ROW.cell_plant.li_ion_cell"), _ANODE),
    ("JP", "material", "aam_synthetic", ("KR.cell_plant.li_ion_cell", "ROW.cell_plant.li_ion_cell"), _ANODE),
    ("ROW", "refinery", "graphite_spherical", ("KR.material.aam",), _GRAPHITE),
    ("JP", "magnet", "ndfeb_magnet", tuple(f"KR.demand.ndfeb_magnet.{g}" for g in MAGNET_SEGMENTS), _MAGNET),
    ("KR", "chemical", "photoresist", ("TW.fab.logic_wafer", "TW.fab.memory_wafer", "TW.fab.mature_wafer"),
     _RESIST),
    ("CN", "wafer", "compound_wafer", ("JP.fab.compound_chip", "KR.fab.compound_chip", "US.fab.compound_chip",
                                       "TW.fab.compound_chip", "ROW.fab.compound_chip"), _GAAS_CN),
)


def build(net: Draft) -> None:
    """Add every alternate lane (share 0) whose supplier and buyer exist and that the baseline lacks."""
    traded = {(l["origin"], l["destination"]) for l in net.lanes}
    for region, stage, output, buyers, source in ALTERNATES:
        origin = fid(region, stage, output)
        if origin not in net.facilities:
            raise KeyError(f"alternate supplier {origin!r} is not in the baseline")
        for named in buyers:
            # a packager split by the fab region behind its wafers: each part may port its designs there
            split = [] if named in net.facilities or named in net.demands else parts(net.facilities, named)
            if named not in net.facilities and named not in net.demands and not split:
                raise KeyError(f"alternate buyer {named!r} is not in the baseline")
            for buyer in split or [named]:
                if (origin, buyer) in traded:
                    continue
                net.lane(origin, buyer, output, 0.0, f"definition: potential alternate, no baseline flow; {source}")
