"""Write the impact layer's input-output table: ``python -m tools.impact [OUT_FILE]`` from the repository root.

OUT_FILE defaults to ``supplychain/data/impact/io_table.toml``.
"""

from __future__ import annotations

import sys

from .build import write


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out = args[0] if args else "supplychain/data/impact/io_table.toml"
    write(out)
    print(f"input-output table -> {out}")


if __name__ == "__main__":
    main()
