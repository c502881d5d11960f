"""Random facility outages and licence decisions drawn for one run.

Filled in by the shocks and vector-engine work; with no random outage or
licence regime in the scenario nothing is drawn.
"""

from __future__ import annotations

import numpy as np

from ._compile import Compiled


def draw_outages(c: Compiled, rng: np.random.Generator) -> np.ndarray | None:
    """Capacity multipliers (T, F) from random outages, or ``None`` when there are none."""
    return None


def draw_licences(c: Compiled, rng: np.random.Generator) -> np.ndarray | None:
    """Licence approvals (T, L), or ``None`` when no licence regime applies."""
    return None
