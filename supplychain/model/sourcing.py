"""Default sourcing behaviour of buyers: qualification times of new suppliers and patience.

Both tables are read at compile time (:mod:`supplychain.compile.rules.sourcing`)
for lanes that do not set ``Lane.qualification_days`` or ``Lane.patience_days``.
A commodity id is looked up first, then its value chain, then ``"default"``.

Implements docs/model.md §5.6.5 (patience) and §5.6.6 (re-sourcing).
"""

from __future__ import annotations

__all__ = ["QUALIFICATION_DAYS", "PATIENCE_DAYS", "default_days"]

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
#:   (:data:`supplychain.model.shocks.SWITCHING_LAG_DAYS`).
#: - ``li_ion_cell``: 180 and the minerals chain: 90, ASSUMPTIONS (no citable figure; cells are
#:   re-qualified by the pack maker, refined minerals are tested against a specification).
QUALIFICATION_DAYS: dict[str, int] = {
    "photoresist": 730, "ndfeb_magnet": 165, "cam": 730, "aam": 730, "aam_synthetic": 730,
    "semiconductors": 270, "batteries": 180, "minerals": 90, "default": 180}

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
