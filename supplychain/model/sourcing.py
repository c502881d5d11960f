"""Default sourcing behaviour of buyers: qualification times of new suppliers and patience.

The tables are read at compile time (`supplychain.compile.rules.sourcing`)
for lanes that do not set ``Lane.qualification_days``, ``Lane.patience_days`` or
``Lane.second_source_share``.
A commodity id is looked up first, then its value chain, then ``"default"``.

Implements docs/model.md §5.6.5 (patience) and §5.6.6 (re-sourcing).
"""

from __future__ import annotations

__all__ = ["QUALIFICATION_DAYS", "PATIENCE_DAYS", "SECOND_SOURCE_SHARE", "default_days", "default_share"]

#: Days a buyer needs to qualify a supplier it has not bought from (a potential alternate,
#: ``Lane.share == 0``), counted from the first day it seeks alternates.
#:
#: - ``photoresist``: 730, the middle of the 1-3 years a fab needs to qualify a new photoresist
#:   (TheElec, 2023, on Korean fabs' qualification of domestic resists).
#: - ``ndfeb_magnet``: 165, the middle of the 4-7 months to qualify a new magnet supplier for an
#:   automotive part (Mainrich International, supplier qualification of NdFeB magnets).
#: - ``cam``, ``aam``, ``aam_synthetic`` (battery active materials): 730, about two years for a cell
#:   maker to qualify a new cathode or anode material supplier (Inner Sphere Consulting).
#: - the other semiconductors (wafers, HF, fab output, chips): 270, ASSUMPTION, no citable figure
#:   for a port between foundries or fabs; the same nine months as the switching lag of the chain
#:   (`supplychain.model.shocks.SWITCHING_LAG_DAYS`).
#: - ``li_ion_cell``: 180 and the minerals chain: 90, ASSUMPTIONS (no citable figure; cells are
#:   re-qualified by the pack maker, refined minerals are tested against a specification).
QUALIFICATION_DAYS: dict[str, int] = {
    "photoresist": 730, "ndfeb_magnet": 165, "cam": 730, "aam": 730, "aam_synthetic": 730,
    "semiconductors": 270, "batteries": 180, "minerals": 90, "default": 180}

#: Part of the volume a buyer buys on a lane that is already qualified at another of its suppliers
#: (second-sourced), so that it can move there at once when the lane fails (docs/model.md §5.6.6,
#: design lock-in). The rest is locked to the lane's supplier until the buyer has ported it, the
#: lane's qualification time after it first sought alternates.
#:
#: - processed mature-node (foundry and IDM) and advanced-logic wafers (``mature_wafer``,
#:   ``mature_idm_wafer``, ``logic_wafer``), the packaged chips made from them (``mature_chip``,
#:   ``mature_idm_chip``, ``logic_chip``: a buyer's part is bound to the wafers of its
#:   qualified fab, and a change of assembly site is requalified too) and compound-semiconductor
#:   devices (``compound_chip``): 0.2, ASSUMPTION (a judgement, no published
#:   share of dual-sourced volume): a chip is qualified in one foundry's process, and porting it to
#:   another fab means new masks and a requalification of months (automotive parts: at least six
#:   months on a line already qualified for automotive, 2-3 years otherwise, SemiMedia, 8 Dec 2022,
#:   citing automotive supply-chain sources);
#:   multi-foundry sourcing spread only after the 2021-22 shortage (TrendForce, 14 Dec 2023: fabless
#:   customers diversify across foundries and ask for global validation of lines). Sensitivity in
#:   docs/assumptions.md.
#: - compound-semiconductor substrates and epitaxial wafers (``compound_wafer``): 0.2, the same
#:   ASSUMPTION as the silicon wafers, for the same reason: an epiwafer is grown to one device maker's
#:   layer recipe and qualified with its process, and the trade runs on exclusive, long contracts:
#:   a primary relationship with one device maker is often 60-70 % of an epiwafer supplier's output,
#:   and second-tier suppliers meet a "glass ceiling" (Strategy Analytics, Markets for SI GaAs
#:   Epitaxial Substrates 2004-2009, press release 19 Oct 2005); IQE became the exclusive supplier of
#:   all of RFMD's MBE epiwafers under a seven-year supply agreement (Strategy Analytics, 'IQE expands
#:   epiwafer presence', 4 Feb 2013). No published share of dual-sourced volume.
#: - every other commodity (memory to JEDEC standards, minerals, materials, cells): 1,
#:   no lock-in (diverted volume moves at once to incumbents with spare capacity).
SECOND_SOURCE_SHARE: dict[str, float] = {"mature_wafer": 0.2, "mature_idm_wafer": 0.2, "logic_wafer": 0.2,
                                         "mature_chip": 0.2, "mature_idm_chip": 0.2, "logic_chip": 0.2,
                                         "compound_chip": 0.2, "compound_wafer": 0.2, "default": 1.0}

#: Days of waiting beyond transport a buyer accepts before it cancels what its supplier would not
#: ship in time (ASSUMPTIONS). Semiconductors: 90, the rise of the average chip lead time from about
#: 13 to about 27 weeks that buyers sat out without cancelling in 2021-22 (Susquehanna Financial
#: Group lead-time series, reported by Bloomberg, May 2022). Batteries 60 and minerals 30: no citable
#: figure; minerals are bought on monthly contracts or spot, so a buyer waits about a month.
PATIENCE_DAYS: dict[str, int] = {"semiconductors": 90, "batteries": 60, "minerals": 30, "default": 60}


def default_days(table: dict[str, int], commodity: str, chain: str) -> int:
    """Value of ``table`` for a commodity id, else its chain, else ``"default"``.

    Examples
    --------
    >>> default_days(QUALIFICATION_DAYS, "photoresist", "semiconductors")
    730
    >>> default_days(PATIENCE_DAYS, "gallium", "minerals")
    30
    >>> default_days(PATIENCE_DAYS, "widget", "")
    60
    """
    if commodity in table:
        return table[commodity]
    return table.get(chain, table["default"])


def default_share(table: dict[str, float], commodity: str, chain: str) -> float:
    """Value of ``table`` for a commodity id, else its chain, else ``"default"``.

    Examples
    --------
    >>> default_share(SECOND_SOURCE_SHARE, "mature_wafer", "semiconductors")
    0.2
    >>> default_share(SECOND_SOURCE_SHARE, "memory_wafer", "semiconductors")
    1.0
    """
    if commodity in table:
        return table[commodity]
    return table.get(chain, table["default"])
