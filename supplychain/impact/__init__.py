"""Economic impact beyond the chain: value added lost through an input-output model.

A pure NumPy layer (docs/model.md §8.3): shortfalls of chips, Li-ion cells, NdFeB magnets,
germanium and gallium at final demand, and the demand their users give up to higher prices,
become capacity limits of the industries that use them
(C26 electronics, C27 electrical equipment, C28 machinery, C29 motor vehicles) in each
region, and an ARIO-type kernel (or the DIIM) propagates them through a multi-regional
input-output table. It reads recorded series and never feeds back into the daily rules.
"""

from .kernel import Ario, ArioParameters, ario, diim, leontief_inverse
from .table import IOTable, load_io_table

__all__ = ["Ario", "ArioParameters", "ario", "diim", "leontief_inverse", "IOTable", "load_io_table"]
