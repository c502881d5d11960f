"""What to say when a scenario file is not valid TOML because of a date: the field, not the parser's column.

TOML's parser reports an impossible date (``start = 2025-02-30``) or a date in another form
(``2025/03/01``, ``2025-3-1``) as "Invalid date or datetime" or "Expected newline or end of
document" at a line and column. `date_message` finds the assignment at that place and names its
table entry, field and value, with the form a date takes.
"""

from __future__ import annotations

import re

from .._validation import DATE_FORM, not_in_calendar  # one date parser for files and Python

__all__ = ["date_message", "not_in_calendar", "with_line", "DATE_FORM"]


#: What each date field of a scenario file takes (other fields: a date, when the value is one).
_EXPECTED = {"start_date": f"a date ({DATE_FORM})"} | {
    when: f"a whole day number or a date ({DATE_FORM})" for when in ("start", "end", "announced")}

_POSITION = re.compile(r"at line (\d+), column (\d+)")
_ASSIGNMENT = re.compile(r'(?:^|[{,])\s*([A-Za-z0-9_-]+|"[^"]*")\s*=\s*')
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_-]+)\s*\]")
#: A value that was meant as a date or a date-time: digits, then a dash, slash or dot, then digits.
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?")
_TOKEN = re.compile(r"[^,}\]#\s]+(?:[ T]\d[^,}\]#\s]*)?")


def date_message(text: str, error: str, source: str | None = None) -> str | None:
    """The message for a parser ``error`` at a date in ``text``, naming the field; None if it is not at a date.

    Examples
    --------
    >>> text = '[scenario]\\nbase = "baseline"\\n\\n[[shocks]]\\nkind = "tariff"\\nstart = 2025-02-30\\n'
    >>> print(date_message(text, "Invalid date or datetime (at line 6, column 9)", "x.toml"))
    x.toml, [[shocks]] entry 1, line 6: start must be a whole day number or a date (YYYY-MM-DD, a day that exists, e.g. 2025-03-01); got 2025-02-30 (February 2025 has 28 days).
    >>> print(date_message('[scenario]\\nstart_date = 2025/03/01\\n', "Expected newline (at line 2, column 18)"))
    [scenario], line 2: start_date must be a date (YYYY-MM-DD, a day that exists, e.g. 2025-03-01); got 2025/03/01.
    >>> date_message('[scenario]\\nname = 3 4\\n', "Expected newline (at line 2, column 10)") is None
    True
    """
    at = _POSITION.search(error)
    lines = text.splitlines()
    if at is None or not 1 <= int(at.group(1)) <= len(lines):
        return None
    number, column = int(at.group(1)), int(at.group(2))
    line = lines[number - 1]
    # The assignment the parser stopped in: the last one whose value starts at or before the column.
    found = [m for m in _ASSIGNMENT.finditer(line) if m.end() <= column - 1]
    if not found:
        return None
    key = found[-1].group(1).strip('"')
    token = _TOKEN.match(line, found[-1].end())
    value = token.group(0) if token else ""
    if not _DATE_LIKE.match(value):
        return None
    where = _place(lines[:number - 1], source)
    expected = _EXPECTED.get(key, f"a date ({DATE_FORM})")
    return f"{where}, line {number}: {key} must be {expected}; got {value if len(value) <= 40 else value[:40] + '...'}{_why(value)}."


#: The place and the field an error of a valid TOML file names: "[[shocks]] entry 2: start must ..." or
#: "[[shocks]] entry 2: field 'loss' is not ...".
_NAMED = re.compile(r"(\[\[?)([A-Za-z0-9_-]+)\]\]? entry (\d+): (?:field '([A-Za-z0-9_-]+)'|([A-Za-z0-9_-]+) )")


def with_line(text: str, message: str) -> str:
    r"""``message`` with ``, line N`` after the table entry it names, where that entry sets the field it names.

    Errors found after parsing (a quoted date, an unknown field) name the entry and the field; the line
    finds them in the file as the parser's own errors do. The message is returned as it is when the
    field is not written in that entry (a missing field) or the message names no entry.

    Examples
    --------
    >>> text = '[scenario]\nbase = "baseline"\n\n[[shocks]]\nkind = "tariff"\n\n[[shocks]]\nkind = "x"\nstart = "03/01/2025"\n'
    >>> print(with_line(text, "a.toml, [[shocks]] entry 2: start must be a date; got '03/01/2025'."))
    a.toml, [[shocks]] entry 2, line 9: start must be a date; got '03/01/2025'.
    >>> print(with_line(text, "a.toml, [[shocks]] entry 1: field 'kind' is not known."))
    a.toml, [[shocks]] entry 1, line 5: field 'kind' is not known.
    >>> print(with_line(text, "a.toml, [[shocks]] entry 1: rate must be given."))
    a.toml, [[shocks]] entry 1: rate must be given.
    """
    named = _NAMED.search(message)
    if named is None or ", line " in message[:named.end()]:
        return message
    table, entry, key = named.group(2), int(named.group(3) or 1), named.group(4) or named.group(5)
    array = named.group(1) == "[["
    seen, inside = 0, False
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header is not None:
            if header.group(2) == table and (header.group(1) == "[[") == array:
                seen += 1
                inside = seen == entry
            else:
                inside = False
            continue
        if inside and re.match(rf'\s*("?){re.escape(key)}\1\s*=', line):
            at = named.start() + len(named.group(0).split(":")[0])
            return f"{message[:at]}, line {number}{message[at:]}"
    return message


def _place(before: list[str], source: str | None) -> str:
    """``source, [table]`` or ``source, [[array]] entry N`` of the last header in ``before``."""
    place = ""
    counts: dict[str, int] = {}
    for line in before:
        header = _HEADER.match(line)
        if header is None:
            continue
        name = header.group(2)
        if header.group(1) == "[[":
            counts[name] = counts.get(name, 0) + 1
            place = f"[[{name}]] entry {counts[name]}"
        else:
            place = f"[{name}]"
    parts = [p for p in (source, place) if p]
    return ", ".join(parts) or "scenario"


def _why(value: str) -> str:
    """`` (February 2025 has 28 days)`` for a well-formed date that is not in the calendar, else ''."""
    why = not_in_calendar(value)
    return f" ({why})" if why else ""
