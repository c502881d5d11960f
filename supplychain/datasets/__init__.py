"""Built-in data: the cited six-region baseline, the shipped shock scenarios and synthetic networks."""

from .baseline import (
                       BASELINE_DIR,
                       BASELINE_FILES,
                       baseline_provenance,
                       format_provenance,
                       load_baseline,
                       steady_state_production,
                       with_random_lead_times,
)
from .calibration import CALIBRATION_FILE, calibration_table, format_calibration
from .scenarios import SCENARIO_DIR, scenario_path, scenarios
from .synthetic import REGIONS, TIERS, synthetic_network, synthetic_scenario

__all__ = ["BASELINE_DIR", "BASELINE_FILES", "baseline_provenance", "format_provenance", "load_baseline",
           "with_random_lead_times",
           "steady_state_production", "synthetic_network", "synthetic_scenario", "REGIONS", "TIERS",
           "SCENARIO_DIR", "scenarios", "scenario_path", "CALIBRATION_FILE", "calibration_table",
           "format_calibration"]
