"""Compile a `Scenario` into dense arrays and daily schedules.

What belongs here: everything that is decided before the first simulated day (steady-state flows,
policy levels, the pre-filled pipeline, what each shock does to capacities, lanes, demand and
sourcing). Engines only read what this layer produces. See ``docs/model.md``.

Implements docs/model.md §4 (compile).
"""

from .compiler import Compiled, compile_scenario

__all__ = ["Compiled", "compile_scenario"]
