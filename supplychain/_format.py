"""The one number format of every table, in Python and on the command line.

Money is in US dollars with three significant figures and a scale word
(``$92.4M``, ``$38.8bn``, ``$512k``, ``$3.00``); shares are percentages with
one decimal, rounded down by default so that a shortfall never shows as
``100.0%``; changes of shares are percentage points (``-8.2 pp``); quantities
in their own unit have thousands separators (``12,346``). Machine-readable
output (CSV, JSON) keeps the full numbers: these functions are for people.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = ["format_usd", "format_usd_ticks", "format_percent", "format_points_between", "format_units", "format_relative", "format_bytes",
           "format_columns", "UsdFrame", "usd_columns"]

_SCALES = ((1e9, "bn"), (1e6, "M"), (1e3, "k"))


def _three_figures(x: float) -> str:
    """``x >= 0`` with three significant figures, no exponent (``1.23``, ``12.3``, ``123``)."""
    if x == 0:
        return "0"
    digits = max(0, 2 - math.floor(math.log10(x)))
    return f"{x:,.{digits}f}"


def format_usd(x: float, *, sign: bool = False) -> str:
    """US dollars with three significant figures: ``$92.4M``, ``$38.8bn``, ``$512k``, ``$3.00``, ``$0`` (also for
    amounts under half a cent).

    Parameters
    ----------
    x : float
        Amount in USD (NaN shows as ``n/a``).
    sign : bool
        Show ``+`` before a positive amount (for changes).

    Examples
    --------
    >>> format_usd(6.018e9), format_usd(6.28e4), format_usd(-9.2e7, sign=True), format_usd(0.0)
    ('$6.02bn', '$62.8k', '-$92.0M', '$0')
    >>> format_usd(999_600.0), format_usd(2.5e12), format_usd(float("nan")), format_usd(1.75e-6, sign=True)
    ('$1.00M', '$2,500bn', 'n/a', '$0')
    """
    if x != x:  # NaN
        return "n/a"
    if abs(x) < 0.005:  # below half a cent: rounding leftovers of sums, not money
        return "$0"
    lead = ("-" if x < 0 else "+" if sign else "") + "$"
    size = float(f"{abs(x):.3g}")  # rounded first, so 999,600 reads $1.00M rather than $1,000k
    for scale, suffix in _SCALES:
        if size >= scale:
            return f"{lead}{_three_figures(size / scale)}{suffix}"
    return f"{lead}{_three_figures(size)}"


def format_usd_ticks(values: Sequence[float]) -> list[str]:
    """An axis's money ticks in one format: one scale word and one number of decimals for them all.

    `format_usd` gives each number three significant figures, so ticks of one axis mixed ``$50.0M`` and
    ``$100M``; here the largest tick picks the scale word and the fewest decimals that show every tick
    exactly pick the decimals (zero is ``$0``).

    Examples
    --------
    >>> format_usd_ticks([0.0, 5e7, 1e8, 1.5e8])
    ['$0', '$50M', '$100M', '$150M']
    >>> format_usd_ticks([-5e8, 0.0, 5e8, 1e9, 1.5e9])
    ['-$0.5bn', '$0', '$0.5bn', '$1.0bn', '$1.5bn']
    >>> format_usd_ticks([2e3, 2.5e3, 3e3]), format_usd_ticks([0.0, 0.25, 0.5])
    (['$2.0k', '$2.5k', '$3.0k'], ['$0', '$0.25', '$0.50'])
    """
    finite = [float(v) for v in values if v == v and abs(v) != math.inf]
    top = max((abs(v) for v in finite), default=0.0)
    scale, suffix = next(((size, word) for size, word in _SCALES if top >= size), (1.0, ""))
    scaled = [v / scale for v in finite]
    decimals = next((d for d in range(4) if all(abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x)) for x in scaled)), 3)

    def one(v: float) -> str:
        if v != v:
            return "n/a"
        if v == 0:
            return "$0"
        return f"{'-' if v < 0 else ''}${abs(v) / scale:,.{decimals}f}{suffix}"

    return [one(float(v)) for v in values]


def format_percent(x: float, *, floor: bool = True) -> str:
    """A share as a percentage with one decimal, by default rounded down (a shortfall never shows 100.0%).

    Examples
    --------
    >>> format_percent(0.99999), format_percent(1.0), format_percent(0.8842), format_percent(0.16019, floor=False)
    ('99.9%', '100.0%', '88.4%', '16.0%')
    """
    if x != x:
        return "n/a"
    return f"{math.floor(x * 1e3 + 1e-9) / 10:.1f}%" if floor else f"{x * 100:.1f}%"


def format_points_between(before: float, after: float, *, floor: bool = True) -> str:
    """The change from ``before`` to ``after`` as shown by `format_percent`, so the columns subtract.

    Examples
    --------
    >>> format_percent(1.0), format_percent(0.8428), format_points_between(1.0, 0.8428)
    ('100.0%', '84.2%', '-15.8 pp')
    """
    if before != before or after != after:
        return "n/a"

    def shown(x: float) -> int:   # tenths of a percent, as format_percent rounds them
        return math.floor(x * 1e3 + 1e-9) if floor else round(x * 1e3)
    return f"{(shown(after) - shown(before)) / 10:+.1f} pp"


def format_relative(change: float, base: float) -> str:
    """A change relative to its base in percent, signed, one decimal; ``new`` when the base is 0.

    Examples
    --------
    >>> format_relative(5.0, 20.0), format_relative(3.0, 0.0), format_relative(0.0, 0.0)
    ('+25.0%', 'new', '0.0%')
    """
    if base and base == base:
        return f"{change / base * 100:+.1f}%"
    return "new" if change else "0.0%"


def format_units(x: float) -> str:
    """A quantity in its own unit: whole numbers with thousands separators from 100 up, else three figures.

    Examples
    --------
    >>> format_units(12_345.6), format_units(150.0), format_units(12.34), format_units(0.01234), format_units(0)
    ('12,346', '150', '12.3', '0.0123', '0')
    """
    if x != x:
        return "n/a"
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    text = f"{abs(x):.3g}"
    if "e" in text:  # tiny amounts: plain decimals, not an exponent
        text = f"{abs(x):.{2 - math.floor(math.log10(abs(x)))}f}"
    return ("-" if x < 0 else "") + text


def format_bytes(n: float) -> str:
    """A file size with three significant figures: ``512 B``, ``2.31 MB``, ``1.20 GB`` (1 MB = 10^6 bytes).

    Examples
    --------
    >>> format_bytes(512), format_bytes(2_314_000), format_bytes(1.2e9)
    ('512 B', '2.31 MB', '1.20 GB')
    """
    for scale, suffix in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if float(f"{n:.3g}") >= scale:
            return f"{_three_figures(n / scale)} {suffix}"
    return f"{n:,.0f} B"


def format_columns(headers: Sequence[str], rows: Sequence[Sequence[str]], n_left: int) -> list[str]:
    """Plain-text columns, one string a line: the first ``n_left`` left-aligned, the rest right-aligned.

    A rule of dashes separates the headers from the rows.

    Examples
    --------
    >>> print("\\n".join(format_columns(["region", "shortfall"], [["US", "$92.0M"], ["KR", "$0"]], 1)))
    region  shortfall
    ------  ---------
    US         $92.0M
    KR             $0
    """
    widths = [max(len(str(v)) for v in col) for col in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i < n_left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]


def usd_columns(frame: pd.DataFrame) -> list[Any]:
    """The numeric columns of ``frame`` whose name says they hold US dollars (``..._usd``, ``..._usd_per_year``).

    Examples
    --------
    >>> usd_columns(pd.DataFrame({"region": ["US"], "loss_usd": [1.0], "rate_usd_per_year": [2.0], "share": [0.1]}))
    ['loss_usd', 'rate_usd_per_year']
    """
    return [c for c in frame.columns if isinstance(c, str) and (c.endswith("_usd") or "_usd_" in c)
            and pd.api.types.is_numeric_dtype(frame[c])]


class UsdFrame(pd.DataFrame):
    """A DataFrame that shows its money columns in `format_usd` (``$12.3bn``) when printed or shown in a notebook.

    Only the display changes: the values stay floats in US dollars, to compute with (``frame["loss_usd"].sum()``),
    and ``to_csv``, ``to_string`` and ``to_numpy`` give them as they are. Tables derived from it (a selection,
    ``groupby(...).sum()``) show the same way; ``pd.DataFrame(frame)`` is a plain DataFrame again.

    Examples
    --------
    >>> table = UsdFrame({"region": ["US", "JP"], "loss_usd": [1.2345678e10, 6.28e4]})
    >>> print(table)
      region loss_usd
    0     US  $12.3bn
    1     JP   $62.8k
    >>> float(table["loss_usd"].sum()), type(table[table.region == "US"]).__name__
    (12345740800.0, 'UsdFrame')
    """

    @property
    def _constructor(self) -> type:
        return UsdFrame

    def shown(self) -> pd.DataFrame:
        """A plain DataFrame of the text shown: the money columns as `format_usd` strings."""
        plain = pd.DataFrame(self)
        columns = usd_columns(plain)
        if not columns:
            return plain
        plain = plain.copy()
        for column in columns:
            plain[column] = plain[column].map(format_usd)
        return plain

    def __repr__(self) -> str:
        return repr(self.shown())

    def _repr_html_(self) -> str | None:
        return self.shown()._repr_html_()
