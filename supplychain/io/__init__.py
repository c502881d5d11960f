"""Scenario files: TOML in and out. Results archives live in `supplychain.results.archive`."""

from .scenario import (
                       BASES,
                       dumps_scenario,
                       load_example,
                       load_scenario,
                       loads_scenario,
                       save_scenario,
                       scenario_from_dict,
                       scenario_to_dict,
)

__all__ = ["scenario_to_dict", "scenario_from_dict", "dumps_scenario", "loads_scenario",
           "save_scenario", "load_scenario", "load_example", "BASES"]
