"""Run engines over seeds, chunks and executors: `simulate`.

Implements docs/model.md §7.2 (seeds).
"""

from .chunks import reuse_workers
from .simulate import ENGINES, simulate

__all__ = ["simulate", "ENGINES", "reuse_workers"]
