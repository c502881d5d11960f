"""Build the whole baseline network and write its TOML files."""

from __future__ import annotations

from pathlib import Path

from . import alternates, batteries, cycle_times, equipment, inventories, minerals, packagers, segments, semiconductors
from .network import Draft
from .write import render


def build() -> Draft:
    """A fresh :class:`Draft` holding the whole baseline.

    The order matters: the semiconductor and battery chains fix how much refined material they use,
    the magnet chain how much NdPr oxide, and the minerals are then sized to supply it (refined
    output not used by those chains becomes an 'other uses' demand). Potential alternate lanes
    (share 0) come last: they carry nothing in the baseline.
    """
    net = Draft()
    minerals.add_commodities(net)
    batteries.add_commodities(net)
    semiconductors.add_commodities(net)
    equipment.add_commodities(net)
    semiconductors.build(net)
    semiconductors.build_compound(net)
    equipment.build(net)
    batteries.build(net)
    minerals.build_magnets(net)
    minerals.build(net)
    # Stage covers from published days of inventory replace the chain modules' defaults by commodity.
    inventories.apply(net)
    # Each region's chip demand split among its end-use buyers (automotive, industrial, electronics).
    segments.apply(net)
    # Foundry-chip packagers split by the region of the fab behind their wafers (design identity).
    packagers.split(net)
    alternates.build(net)
    return net


def write(out_dir: str | Path) -> Draft:
    """Build the baseline and write its files into ``out_dir`` (created if needed); returns the draft."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    net = build()
    for name, text in render(net).items():
        (out / name).write_text(text, encoding="utf-8")
    # Cycle times by stage and output, applied to the facilities by the loader.
    (out / "cycle_times.toml").write_text(cycle_times.render(), encoding="utf-8")
    return net
