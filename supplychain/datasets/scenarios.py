"""Historical and compound shock scenarios shipped with the package, by name.

The files live in ``supplychain/data/scenarios/`` (`SCENARIO_DIR`) and are
installed with the package, so they work outside the repository:
``supplychain run taiwan_blockade_magnets``, ``supplychain scenarios`` and the
``benchmark`` catalogue find them by name. Load one with
`supplychain.load_example`. This module only finds the files; reading them is
`supplychain.io` (a layer above).

Examples
--------
>>> names = scenarios()
>>> "taiwan_blockade_magnets" in names and scenario_path("taiwan_blockade_magnets").is_file()
True
"""

from __future__ import annotations

from pathlib import Path

from .._validation import close_matches
from ..errors import UnknownIdError

__all__ = ["SCENARIO_DIR", "DESCRIPTIONS", "scenarios", "scenario_path"]

#: The folder of shipped scenario files.
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "data" / "scenarios"

#: One line per shipped scenario file (name = file stem), in the order ``scenarios()`` lists them.
DESCRIPTIONS: dict[str, str] = {
    "taiwan_blockade_magnets": "Taiwan's international lanes closed 60 days plus a 180-day Chinese NdFeB "
                               "magnet ban, with Japanese and Korean stockpile releases (2025)",
    "gallium_germanium_2023": "China's gallium and germanium export licensing from 1 Aug 2023",
    "china_graphite_2023": "China's graphite export licensing from 1 Dec 2023",
    "japan_korea_2019": "Japan's July 2019 photoresist and HF licences on exports to Korea",
    "section301_2024": "US Section 301 tariff increases on Chinese goods, 2024-2026",
    "equipment_controls_china": "What-if: US, Japanese and Dutch lithography, deposition, etch and inspection "
                                "tools banned from China from Apr 2025 (announced Jan)",
}


def scenarios() -> dict[str, str]:
    """Names of the shipped scenarios mapped to a one-line description.

    Every ``*.toml`` file in `SCENARIO_DIR` is listed (a file without an
    entry in `DESCRIPTIONS` is described by its name).

    Examples
    --------
    >>> scenarios()["japan_korea_2019"]
    "Japan's July 2019 photoresist and HF licences on exports to Korea"
    """
    stems = [p.stem for p in sorted(SCENARIO_DIR.glob("*.toml"))]
    ordered = [n for n in DESCRIPTIONS if n in stems] + [n for n in stems if n not in DESCRIPTIONS]
    return {name: DESCRIPTIONS.get(name, name) for name in ordered}


def scenario_path(name: str) -> Path:
    """The file of the shipped scenario ``name`` (see `scenarios`).

    Raises
    ------
    UnknownIdError
        If no shipped scenario has this name (the message suggests close names).

    Examples
    --------
    >>> scenario_path("section301_2024").name
    'section301_2024.toml'
    """
    plain = isinstance(name, str) and Path(name).name == name and name not in ("", ".", "..")
    if not plain or not (SCENARIO_DIR / f"{name}.toml").is_file():
        names = list(scenarios())
        hits = close_matches(str(name), names)
        hint = f" Did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
        raise UnknownIdError(f"no shipped scenario is named {name!r} (shipped: {', '.join(names)}).{hint}")
    return SCENARIO_DIR / f"{name}.toml"
