"""Stage inventories from published days-of-inventory figures: covers set by commodity.

The chain builders give every commodity a buyer-side cover (``input_cover_days``) and a
producer-side cover (``output_cover_days``). This module replaces the producer-side covers of the
semiconductor stages with values derived from published days of inventory (DOI) and runs after the
chain builders (:func:`tools.baseline.build.build`), so the chain modules keep their own covers.

Published figures used:

* chip vendors held 78 days of inventory on average over 2007-2013 and foundries 45 days (IHS, PC
  supply chain days-of-inventory study, 2014);
* chip users held a median 40 days of chips in 2019 and under 5 days in 2021 (US Department of
  Commerce, *Results from Semiconductor Supply Chain Request for Information*, 25 Jan 2022, key
  findings, inventory: the median over the consumers who answered, for the chips then hardest to get;
  the same findings put the bottlenecks in legacy logic, analog and optoelectronic chips; the answers of more
  than 150 companies to the Bureau of Industry and Security's notice *Risks in the Semiconductor
  Supply Chain*, 86 Fed. Reg. 53031, 24 Sep 2021, docket BIS-2021-0036). The 2019 median is already
  the chip buyers' ``input_cover_days`` of every chip class (set with the chip commodities in
  ``semiconductors.py``). No figure for advanced logic at its users is published, so 40 days of
  advanced-logic chips at users carries the hardest-to-get chips' median over (an assumption, listed
  in docs/assumptions.md); the 2021 figure is the shortage's floor, from which the price rule's chip
  buffer share ``1 - 5/40`` is derived (``supplychain.model.prices``);
* distributors held 36.9 days (Q3 2009) to 43.4 days (Q3 2008) (iSuppli, 20 Jan 2010). The network
  has no distributor stage, so this stock is left out (listed in docs/assumptions.md): the model
  holds less chip inventory between vendor and user than the real channel.

A DOI counts work in progress at cost, and the cost of a wafer accrues through the line, so ``k``
days of work in progress count about ``k / 2`` days (an assumption). The model holds work in
progress separately (``cycle_times.py``), so the finished-goods cover is the DOI less ``k / 2``:

* finished wafers at a fab: foundry DOI 45 - k_fab / 2 (logic 80 d -> 5, mature 40 d -> 25,
  memory 60 d -> 15);
* packaged chips: vendor DOI 78 - foundry DOI 45 - die bank 14 - k_packaging / 2 (10 d -> 5) = 14.

Battery and mineral stages keep the covers of their chain modules (USGS-derived mineral stocks,
battery-maker buffers): no stage-level DOI figure was found for them.
"""

from __future__ import annotations

from .cycle_times import CYCLE_TIMES
from .network import Draft
from .sources import V

FOUNDRY_DOI = 45.0
VENDOR_DOI = 78.0
IHS = "IHS, PC supply chain days-of-inventory study (2014): foundries 45, chip vendors 78 days (2007-2013 average)"
HALF = "work in progress counted at half its finished cost, as cost accrues through the line (assumption)"

#: Processed-wafer commodity -> packaged-chip commodity of each segment.
SEGMENTS = {"logic_wafer": "logic_chip", "mature_wafer": "mature_chip", "mature_idm_wafer": "mature_idm_chip",
            "memory_wafer": "memory_chip"}


def _cycle(stage: str, output: str) -> float:
    return next(days for s, o, days, _ in CYCLE_TIMES if (s, o) == (stage, output))


def apply(net: Draft) -> None:
    """Set the producer-side covers of processed wafers and packaged chips from published DOI."""
    for wafer, chip in SEGMENTS.items():
        k = _cycle("fab", wafer)
        cover = FOUNDRY_DOI - k / 2
        net.commodities[wafer]["output_cover_days"] = V(cover, (
            f"derived: {FOUNDRY_DOI:g} days of inventory at foundries less half the {k:g}-day fab cycle time "
            f"= {cover:g} days of finished wafers; {IHS}; {HALF}"))
        die_bank = net.commodities[wafer]["input_cover_days"].value
        kp = _cycle("packaging", chip)
        cover = VENDOR_DOI - FOUNDRY_DOI - die_bank - kp / 2
        net.commodities[chip]["output_cover_days"] = V(cover, (
            f"derived: {VENDOR_DOI:g} days of inventory at chip vendors less {FOUNDRY_DOI:g} at foundries, "
            f"{die_bank:g} of die bank and half the {kp:g}-day packaging cycle time = {cover:g} days of "
            f"finished chips; {IHS}; {HALF}"))
