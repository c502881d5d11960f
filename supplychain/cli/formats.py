"""Tables printed by the CLI in a machine-readable form: ``--format csv|json|markdown``.

``table`` (the default of most commands) is the human layout each command
prints, in the one number format of `supplychain._format`. The other
formats print the same rows with every number to 12 significant figures (the
digits a sum of a horizon of daily doubles keeps: ``72767.77200000008`` prints
``72767.772``), and a ``change`` smaller than 1e-12 of its ``baseline`` and
``shocked`` values prints 0, so an unchanged row reads unchanged:

- ``csv``: a header line, then one line per row (`pandas.DataFrame.to_csv`);
- ``json``: a list of objects, one per row; NaN is ``null``, infinity the
  strings ``"inf"`` and ``"-inf"`` (JSON has no infinities);
- ``markdown``: a pipe table.

``run --out`` writes its ``compare.csv`` with ``csv``: the file and the printed table are one table
in one precision.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMATS", "render", "add_format_argument"]

#: Values of ``--format``.
FORMATS = ("table", "csv", "json", "markdown")


def add_format_argument(parser: Any, default: str = "table", table_help: str = "aligned columns",
                        rows_help: str = "the same rows") -> None:
    """Add ``--format`` to a subcommand's parser; ``rows_help`` says which rows the other formats print."""
    parser.add_argument("--format", choices=FORMATS, default=default,
                        help=f"table: {table_help}; csv, json, markdown: {rows_help}, numbers to 12 "
                             f"significant figures (default: {default})")


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: numbers as they are, NaN as None, infinities as strings."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _cell(value: Any) -> str:
    plain = _plain(value)
    if plain is None:
        return ""
    text = repr(plain) if isinstance(plain, float) else str(plain)
    return text.replace("|", "\\|").replace("\n", " ")


def _twelve(x: Any) -> Any:
    if isinstance(x, (float, np.floating)) and math.isfinite(x) and x != 0:
        return float(f"{float(x):.12g}")
    return x


def _tidy(table: pd.DataFrame) -> pd.DataFrame:
    """Floats to 12 significant figures; a ``change`` within rounding of its values set to 0."""
    out = table.copy()
    floats = [c for c in out.columns if out[c].dtype.kind == "f"]
    if {"baseline", "shocked", "change"} <= set(floats):
        scale = np.maximum(out["baseline"].abs(), out["shocked"].abs())
        out.loc[out["change"].abs() <= 1e-12 * scale, "change"] = 0.0
    for c in floats:
        out[c] = out[c].map(_twelve)
    return out


def render(table: pd.DataFrame, fmt: str) -> str:
    """``table`` (its index dropped; reset it first to keep it) as csv, json or markdown text.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["US"], "shortfall_usd": [1234567.891], "tts_days": [float("inf")]})
    >>> print(render(t, "markdown"))
    | region | shortfall_usd | tts_days |
    |---|---|---|
    | US | 1234567.891 | inf |
    >>> render(t, "json")
    '[{"region": "US", "shortfall_usd": 1234567.891, "tts_days": "inf"}]'
    >>> print(render(t, "csv"), end="")
    region,shortfall_usd,tts_days
    US,1234567.891,inf

    Rounding noise of sums does not show as a change:

    >>> noisy = pd.DataFrame({"metric": ["landed"], "baseline": [1005.0000000000001], "shocked": [1005.0],
    ...                       "change": [-1.1368683772161603e-13]})
    >>> print(render(noisy, "csv"), end="")
    metric,baseline,shocked,change
    landed,1005.0,1005.0,0.0
    """
    table = _tidy(table)
    if fmt == "csv":
        return str(table.to_csv(index=False))
    rows = [[_plain(v) for v in row] for row in table.itertuples(index=False, name=None)]
    columns = [str(c) for c in table.columns]
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], allow_nan=False)
    if fmt == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
        return "\n".join(lines)
    raise ValueError(f"format must be one of csv, json, markdown; got {fmt!r}")
