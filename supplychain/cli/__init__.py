"""The ``supplychain`` command line: ``run``, ``scenarios``, ``data``, ``stress-test``, ``benchmark``."""

from .app import (
           COMMANDS,
           Command,
           build_parser,
           format_shortfall_distribution,
           format_summary,
           main,
           resolve_scenario,
           write_outputs,
           write_summary,
)
from .impact_text import format_value_added
from .price_text import format_who_pays

__all__ = ["main", "build_parser", "Command", "COMMANDS", "resolve_scenario", "format_summary",
           "write_outputs", "write_summary", "format_who_pays", "format_shortfall_distribution",
           "format_value_added"]
