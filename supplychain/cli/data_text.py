"""What ``supplychain data`` prints: a summary of the built-in baseline's sourced numbers, or the rows a filter picks.

The baseline holds thousands of numbers (every lane's share, lead time and freight), so the table of all of
them (``--all``) is for a pager or a file; by default the command says what there is and how to pick rows:
``--region``, ``--commodity``, ``--stage``, ``--field`` and ``--search``, each checked against the values the
baseline has (an unknown one lists close matches).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._format import format_columns
from .._validation import close_matches, region_id
from .arguments import UsageError

__all__ = ["DataFilter", "ROW_KEYS", "row_keys", "parse_filter", "filter_rows", "summary_text", "source_kind",
           "FILTER_OPTIONS"]

#: The filter options of ``supplychain data``, in the order the summary suggests them.
FILTER_OPTIONS = ("--region", "--commodity", "--stage", "--field", "--search")

#: What each row is keyed by for the filters (`row_keys`).
ROW_KEYS = ("regions", "commodities", "stages")


@dataclass(frozen=True)
class DataFilter:
    """The rows ``supplychain data`` shows: each given criterion must hold (values within one are alternatives).

    Attributes
    ----------
    regions, commodities, stages, fields : tuple of str
        A row matches a region when it is about a facility or demand in it, or a lane from or to it; a
        commodity when it is that commodity's own figure, a facility making or using it (its recipe), a
        demand for it or a lane carrying it; a stage likewise (a lane by either end); a field by its
        name (``capacity_per_day``; ``recipe`` or ``lead_time_days`` take in their parts).
    search : tuple of str
        Text looked for, case aside, in the item, the field and the source (any of them, as the values
        of every criterion are alternatives).
    """

    regions: tuple[str, ...] = ()
    commodities: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    search: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether no criterion is given (every row matches)."""
        return not (self.regions or self.commodities or self.stages or self.fields or self.search)

    def describe(self) -> str:
        """The filter as the options that make it (``--region CN --stage fab``).

        Examples
        --------
        >>> DataFilter(regions=("CN", "TW"), stages=("fab",), search=("Chip Explorer",)).describe()
        "--region CN,TW --stage fab --search 'Chip Explorer'"
        """
        parts = [("--region", self.regions), ("--commodity", self.commodities), ("--stage", self.stages),
                 ("--field", self.fields), ("--search", self.search)]
        def said(values: tuple[str, ...]) -> str:
            text = ",".join(values)
            return repr(text) if " " in text else text
        return " ".join(f"{option} {said(values)}" for option, values in parts if values)


def source_kind(source: str) -> str:
    """``"assumption"``, ``"derived"`` or ``"cited"``: how the data files mark a number's source.

    Examples
    --------
    >>> source_kind("assumption: ~2 weeks"), source_kind("derived: 1,500 / 9,600 x 365"), source_kind("USGS MCS 2026")
    ('assumption', 'derived', 'cited')
    """
    head = source.lstrip().lower()
    for kind in ("assumption", "derived"):
        if head.startswith(kind):
            return kind
    return "cited"


def _field_name(field: str) -> str:
    """The field's name without its part: ``recipe.gallium`` and ``lead_time_days.low`` are ``recipe`` and
    ``lead_time_days``."""
    return field.split(".", 1)[0].split("[", 1)[0]


def row_keys(rows: Sequence[Mapping[str, Any]], network: Any) -> list[dict[str, frozenset[str]]]:
    """For each provenance row, the regions, commodities and stages it is about (`ROW_KEYS`).

    ``network`` is the built-in baseline's (`supplychain.datasets.baseline.load_baseline`), whose
    facilities, demands and lanes the rows' items name; an item it does not hold is read from its id
    (``REGION.stage.output``).

    Examples
    --------
    >>> from supplychain.datasets.baseline import load_baseline
    >>> rows = [{"item": "CN.refinery.gallium>JP.wafer.compound_wafer", "field": "share"},
    ...         {"item": "JP.wafer.compound_wafer", "field": "recipe.gallium"}, {"item": "gallium", "field": "price_usd"}]
    >>> [sorted(k["regions"]) for k in row_keys(rows, load_baseline().network)]
    [['CN', 'JP'], ['JP'], []]
    >>> [sorted(k["commodities"]) for k in row_keys(rows, load_baseline().network)]
    [['gallium'], ['compound_wafer', 'gallium'], ['gallium']]
    """
    nodes: dict[str, tuple[str, str, str]] = {f.id: (f.region, f.stage, f.output) for f in network.facilities}
    nodes |= {d.id: (d.region, "demand", d.commodity) for d in network.demands}
    commodities = {c.id for c in network.commodities}

    def node(ident: str) -> tuple[str, str, str]:
        if ident in nodes:
            return nodes[ident]
        parts = ident.split(".")
        return (parts[0], parts[1], parts[2]) if len(parts) >= 3 else ("", "", "")

    keys = []
    for row in rows:
        item, field = str(row["item"]), str(row["field"])
        regions: set[str] = set()
        stages: set[str] = set()
        goods: set[str] = set()
        if ">" in item:                                    # a lane: both ends, the good it carries
            origin, destination = (node(end) for end in item.split(">", 1))
            regions |= {origin[0], destination[0]}
            stages |= {origin[1], destination[1]}
            goods.add(origin[2])
        elif ":" in item:                                  # a cycle time: stage:output
            stage, _, output = item.partition(":")
            stages.add(stage)
            goods.add(output)
        elif item in commodities:                          # a commodity's own figure (price, covers)
            goods.add(item)
        else:                                              # a facility or a demand
            region, stage, output = node(item)
            regions.add(region)
            stages.add(stage)
            goods.add(output)
            if _field_name(field) == "recipe" and "." in field:
                goods.add(field.split(".", 1)[1])
        keys.append({"regions": frozenset(regions - {""}), "commodities": frozenset(goods - {""}),
                     "stages": frozenset(stages - {""})})
    return keys


def _known(values: Sequence[str], known: Iterable[str], option: str, names: Mapping[str, str] | None = None,
           also: Iterable[str] = ()) -> tuple[str, ...]:
    """``values`` checked against ``known`` and ``also`` (accepted, not listed: a field's parts), a region's name
    standing for its id; a `UsageError` listing close matches otherwise."""
    listed_known = sorted(set(known))
    known = sorted(set(listed_known) | set(also))
    names = {} if names is None else dict(names)
    by_name = {name.lower(): ident for ident, name in names.items()}
    out = []
    for value in values:
        if value in known:
            out.append(value)
            continue
        named = region_id(value, {k: names.get(k) for k in listed_known}) if names else None
        if named is not None:  # the resolver scenario files use too: "China", "PRC", "cn"
            out.append(named)
            continue
        upper = [k for k in known if k.lower() == value.lower()]
        if upper:
            out.append(upper[0])
            continue
        close = close_matches(value, known) or [by_name[n] for n in close_matches(value.lower(), by_name)]
        hint = f"; did you mean {' or '.join(dict.fromkeys(close))}?" if close else ""
        listed = (", ".join(listed_known) if len(listed_known) <= 20
                  else ", ".join(listed_known[:20]) + f", ... ({len(listed_known)} in all)")
        raise UsageError(f"{option} {value!r} is not in the built-in baseline{hint} (it has: {listed})")
    return tuple(dict.fromkeys(out))


def parse_filter(args: argparse.Namespace, rows: Sequence[Mapping[str, Any]], network: Any) -> DataFilter:
    """The `DataFilter` of the command's options, each value checked against what the baseline holds."""
    def split(values: Sequence[str] | None) -> list[str]:
        return [v.strip() for value in values or () for v in value.split(",") if v.strip()]
    names = {r.id: r.name for r in network.regions if getattr(r, "name", None)}
    stages = {f.stage for f in network.facilities} | {"demand"}
    return DataFilter(
        regions=_known(split(args.region), (r.id for r in network.regions), "--region", names),
        commodities=_known(split(args.commodity), (c.id for c in network.commodities), "--commodity"),
        stages=_known(split(args.stage), stages, "--stage"),
        fields=_known(split(args.field), {_field_name(str(r["field"])) for r in rows}, "--field",
                      also={str(r["field"]) for r in rows}),
        search=tuple(split(args.search)))


def filter_rows(rows: Sequence[Mapping[str, Any]], keys: Sequence[Mapping[str, frozenset[str]]],
                wanted: DataFilter) -> list[Mapping[str, Any]]:
    """The rows that meet every criterion of ``wanted`` (`DataFilter`).

    Examples
    --------
    >>> rows = [{"item": "CN.mine.x", "field": "capacity_per_day", "source": "USGS"},
    ...         {"item": "JP.mine.x", "field": "capacity_per_day", "source": "assumption: none"}]
    >>> keys = [{"regions": frozenset({"CN"}), "commodities": frozenset({"x"}), "stages": frozenset({"mine"})},
    ...         {"regions": frozenset({"JP"}), "commodities": frozenset({"x"}), "stages": frozenset({"mine"})}]
    >>> [r["item"] for r in filter_rows(rows, keys, DataFilter(search=("usgs",)))]
    ['CN.mine.x']
    >>> [r["item"] for r in filter_rows(rows, keys, DataFilter(regions=("JP", "CN"), stages=("mine",)))]
    ['CN.mine.x', 'JP.mine.x']
    """
    words = [w.lower() for w in wanted.search]
    out = []
    for row, key in zip(rows, keys):
        field = str(row["field"])
        if wanted.regions and not key["regions"] & set(wanted.regions):
            continue
        if wanted.commodities and not key["commodities"] & set(wanted.commodities):
            continue
        if wanted.stages and not key["stages"] & set(wanted.stages):
            continue
        if wanted.fields and field not in wanted.fields and _field_name(field) not in wanted.fields:
            continue
        text = f"{row['item']} {field} {row['source']}".lower()
        if words and not any(w in text for w in words):
            continue
        out.append(row)
    return out


def summary_text(rows: Sequence[Mapping[str, Any]], network: Any = None) -> str:
    """What ``supplychain data`` prints without a filter: the numbers per file and kind of source, per field, and
    how to pick rows.

    Examples
    --------
    >>> rows = [{"file": "minerals.toml", "item": "CN.mine.x", "field": "capacity_per_day", "source": "USGS"},
    ...         {"file": "minerals.toml", "item": "x", "field": "price_usd", "source": "assumption: half"}]
    >>> print(summary_text(rows))  # doctest: +NORMALIZE_WHITESPACE
    The built-in baseline holds 2 numbers, each with its source (cited: quoted from the publication it names;
    derived: computed from cited figures, the arithmetic spelt out; assumption: a judgement, its reasoning given):
    file           numbers  cited  derived  assumption
    -------------  -------  -----  -------  ----------
    minerals.toml        2      1        0           1
    all files            2      1        0           1
    By field: capacity_per_day 1, price_usd 1.
    Pick rows with --region, --commodity, --stage, --field, --search (each takes a comma-separated list; combine them), e.g. 'supplychain data --commodity gallium --field capacity_per_day'; --all prints all 2 rows.
    """
    by_file: dict[str, Counter[str]] = {}
    for row in rows:
        by_file.setdefault(str(row["file"]), Counter())[source_kind(str(row["source"]))] += 1
    kinds = ("cited", "derived", "assumption")
    table = [[file, f"{sum(c.values()):,}", *(f"{c[k]:,}" for k in kinds)] for file, c in by_file.items()]
    total: Counter[str] = sum(by_file.values(), Counter())
    table.append(["all files", f"{len(rows):,}", *(f"{total[k]:,}" for k in kinds)])
    fields = Counter(_field_name(str(r["field"])) for r in rows)
    lines = [f"The built-in baseline holds {len(rows):,} numbers, each with its source (cited: quoted from the "
             "publication it names; derived: computed from cited figures, the arithmetic spelt out; assumption: a "
             "judgement, its reasoning given):",
             *format_columns(["file", "numbers", *kinds], table, 1),
             "By field: " + ", ".join(f"{name} {n:,}" for name, n in fields.most_common()) + "."]
    if network is not None:
        stages = sorted({f.stage for f in network.facilities})
        lines.append(f"Regions: {', '.join(f'{r.id} ({r.name})' for r in network.regions)}; stages: "
                     f"{', '.join(stages)}, demand; commodities: {', '.join(c.id for c in network.commodities)}.")
    lines.append(f"Pick rows with {', '.join(FILTER_OPTIONS)} (each takes a comma-separated list; combine them), "
                 "e.g. 'supplychain data --commodity gallium --field capacity_per_day'; --all prints all "
                 f"{len(rows):,} rows.")
    return "\n".join(lines)
