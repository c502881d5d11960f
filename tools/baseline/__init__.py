"""Derive the supplychain baseline data files (``supplychain/data/baseline/*.toml``) from cited public figures.

Kept outside the package: it does the arithmetic (unit conversions, RAS balancing of trade
matrices, balancing "other uses" demand) so that every number written to the TOML files is
consistent, and writes the derivation next to each number.

Run from the repository root::

    python -m tools.baseline                     # rewrites supplychain/data/baseline/
    python -m tools.baseline /tmp/baseline       # writes elsewhere (e.g. to compare)

Modules: :mod:`.sources` (constants, shared citations, helpers), :mod:`.logistics` (lead times and
freight), :mod:`.network` (the :class:`~.network.Draft` being built and RAS trade balancing), one
module per value chain (:mod:`.minerals`, :mod:`.batteries`, :mod:`.semiconductors`), :mod:`.write`
(the TOML layout) and :mod:`.build` (the order of construction). Nothing is kept at module level:
:func:`build` returns a new draft each time.
"""

from .build import build, write

__all__ = ["build", "write"]
