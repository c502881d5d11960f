"""Built-in data: the cited six-region baseline and synthetic networks of any size."""

from .baseline import (
                       BASELINE_DIR,
                       BASELINE_FILES,
                       baseline_provenance,
                       format_provenance,
                       load_baseline,
                       steady_state_production,
)
from .synthetic import REGIONS, TIERS, synthetic_network, synthetic_scenario

__all__ = ["BASELINE_DIR", "BASELINE_FILES", "baseline_provenance", "format_provenance", "load_baseline",
           "steady_state_production", "synthetic_network", "synthetic_scenario", "REGIONS", "TIERS"]
