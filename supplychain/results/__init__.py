"""What a simulation returns: `Results` (daily series), `EnsembleResults` (summaries), archives."""

from .archive import save_ensemble, save_results
from .ensemble import EnsembleResults, load_ensemble
from .series import VARIABLE_AXES, Coords, Results, load_results, summary_table
from .text import format_summary

__all__ = ["Coords", "Results", "EnsembleResults", "VARIABLE_AXES", "summary_table", "load_results",
           "save_results", "load_ensemble", "save_ensemble", "format_summary"]
