"""The shortfall that ``supplychain run``'s value added lost does not value: demands outside the input-output
channel (docs/model.md §8.3), such as a mineral's uses outside the modelled chains, named so that their
shortfall never reads as costing nothing.
"""

from __future__ import annotations

import pandas as pd

from .._format import format_usd
from ..impact.table import IOTable, input_kind, load_io_table

__all__ = ["OUTSIDE_USES", "unvalued_shortfall", "format_unvalued"]

#: A change under this many USD counts as none (floating-point noise of a net-of-baseline sum).
_NONE_USD = 0.5


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


#: What the final demands of commodities the input-output table does not map stand for, in words, as the
#: baseline's sources name them (supplychain/data/baseline/*.toml): the minerals' uses outside the modelled
#: battery, chip and magnet chains (USGS Mineral Commodity Summaries 2026: cobalt's end uses, superalloys 51 %,
#: chemicals 25 %, other metallic 15 %, cemented carbides 9 %; nickel's, stainless and alloy steel and nickel
#: alloys > 85 %; natural graphite's, brake linings, lubricants, refractories, steelmaking; manganese's,
#: steel) and Korea's display makers' fluorinated polyimide. A commodity not listed is named without uses.
OUTSIDE_USES: dict[str, str] = {
    "cobalt_refined": "superalloys, chemicals and cemented carbides (hardmetals)",
    "nickel_refined": "stainless and alloy steel, nickel alloys and plating",
    "graphite_ore": "refractories, steelmaking, brake linings and lubricants",
    "manganese_ore": "steel",
    "fluorinated_polyimide": "flexible display panels",
}


def unvalued_shortfall(changes: pd.DataFrame, table: IOTable | None = None) -> dict[str, dict[str, float]]:
    """The shortfall the value-added channel does not value: demands of commodities ``table`` does not map.

    ``changes`` is a `compare` table (its ``shortfall_usd`` rows, change against the baseline); the result
    maps each commodity whose demand ran shorter, and that is not among the table's inputs (its dependence
    mapping; default `load_io_table`), to its change in USD by region, largest first; commodities largest first.
    Value added lost counts no output these demands stop (docs/model.md §8.3), so their shortfall must not
    read as costing nothing.

    Examples
    --------
    >>> t = pd.DataFrame({"region": ["ROW", "CN", "US", "US"], "segment": ["", "", "", "electronics"],
    ...                   "commodity": ["cobalt_refined", "cobalt_refined", "cobalt_refined", "logic_chip"],
    ...                   "metric": ["shortfall_usd"] * 4, "change": [3.77e8, 3.39e8, 0.2, 6e8]})
    >>> unvalued_shortfall(t)
    {'cobalt_refined': {'ROW': 377000000.0, 'CN': 339000000.0}}
    """
    table = load_io_table() if table is None else table
    rows = changes[(changes["metric"] == "shortfall_usd") & ~changes["commodity"].isin(list(table.dependence))]
    out: dict[str, dict[str, float]] = {}
    by = rows.groupby(["commodity", "region"], sort=False)["change"].sum()
    for (commodity, region), usd in by.items():
        if usd >= _NONE_USD:
            out.setdefault(str(commodity), {})[str(region)] = float(usd)
    ordered = sorted(out.items(), key=lambda kv: -sum(kv[1].values()))
    return {c: dict(sorted(r.items(), key=lambda kv: -kv[1])) for c, r in ordered}


def format_unvalued(unvalued: dict[str, dict[str, float]], inputs: list[str] | None = None) -> str:
    """The line saying which shortfalls the value added lost does not value, so that none reads as costing nothing.

    ``inputs`` are the inputs the channel values, in words (`supplychain.cli.impact_text.mapped_inputs`; default:
    the built-in table's).

    Examples
    --------
    >>> print(format_unvalued({"cobalt_refined": {"ROW": 3.77e8, "CN": 3.39e8, "JP": 3.64e7, "US": 2.41e7}}))
    Not valued: cobalt_refined demand ran $776M shorter (ROW $377M, CN $339M, JP $36.4M, US $24.1M), outside the value-added channel, which counts only the chips, cells, magnets, germanium and gallium not delivered: the output it stops in superalloys, chemicals and cemented carbides (hardmetals) is a cost not counted here, not a zero.
    >>> print(format_unvalued({"fluorinated_polyimide": {"KR": 6.64e6}}).split(", outside")[0])
    Not valued: fluorinated_polyimide demand ran $6.64M shorter in KR
    >>> print(format_unvalued({"lithium_chem": {"CN": 2e6}, "nickel_refined": {"TW": 1e6}}).split(": the output ")[1])
    they stop in their uses (lithium_chem: outside the modelled chains; nickel_refined: stainless and alloy steel, nickel alloys and plating) is a cost not counted here, not a zero.
    >>> format_unvalued({})
    ''
    """
    if not unvalued:
        return ""
    parts = []
    for commodity, regions in unvalued.items():
        where = (f" in {next(iter(regions))}" if len(regions) == 1 else
                 " (" + ", ".join(f"{r} {format_usd(v)}" for r, v in regions.items()) + ")")
        parts.append(f"{commodity} demand ran {format_usd(sum(regions.values()))} shorter{where}")
    one = len(unvalued) == 1
    known = [c for c in unvalued if c in OUTSIDE_USES]
    if one and known:
        said = f" in {OUTSIDE_USES[known[0]]}"
    elif known:
        said = " in their uses (" + "; ".join(f"{c}: {OUTSIDE_USES.get(c, 'outside the modelled chains')}"
                                              for c in unvalued) + ")"
    else:
        said = f" in {'its' if one else 'their'} uses outside the modelled chains"
    if inputs is None:   # as mapped_inputs: a kind for chips, cells and magnets, else the id, each once
        inputs = list(dict.fromkeys(input_kind(c) for c in load_io_table().dependence))
    return (f"Not valued: {_listed(parts)}, outside the value-added channel, which counts only the "
            f"{_listed(inputs)} not delivered: the output {'it stops' if one else 'they stop'}"
            f"{said} is a cost not counted here, not a zero.")
