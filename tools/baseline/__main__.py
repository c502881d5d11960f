"""Write the baseline data files: ``python -m tools.baseline [OUT_DIR]`` from the repository root.

OUT_DIR defaults to ``supplychain/data/baseline``.
"""

from __future__ import annotations

import sys

from .build import write


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out = args[0] if args else "supplychain/data/baseline"
    net = write(out)
    print(f"{len(net.facilities)} facilities, {len(net.lanes)} lanes, {len(net.demands)} demands, "
          f"{len(net.commodities)} commodities -> {out}")


if __name__ == "__main__":
    main()
