"""Resilience analytics: metrics, the Simchi-Levi risk LPs, stress tests, scorecards, sensitivity.

What belongs here: analysis built on top of `supplychain.simulate` and
`Results`, never inside an engine.

* `.resilience`: performance series, time-to-survive/recover, loss,
  expected shortfall, means with confidence intervals.
* `.trade`: landed cost, trade diversion, concentration, dependency.
* `.lp`: the TTS/TTR linear programs and the Risk Exposure Index (Simchi-Levi et al., 2015).
* `.stress`: knock out every facility, region-stage and exporter-commodity and rank them.
* `.scorecard`: a catalogue of standard policy shocks run with common random numbers.
* `.sensitivity`: which uncertain inputs drive a metric (Sobol, regression).
* `.impact`: GDP at risk from value added lost beyond the chain (input-output model), `steady_loss`,
  which runs a shock until that loss settles, and `policy_value_added`, a response's change in that loss
  beside the redesign it postpones.
* `.cover_band`: an answer across chip buyers' cited days of cover.

Plots live in `supplychain.plotting.resilience`.
"""

from ._groups import trade_labels
from .cover_band import cover_band
from .impact import (chain_shortfall_usd, gdp_at_risk, policy_value_added, redesign_start, steady_loss,
                     value_added_loss_table, value_added_loss_totals)
from .lp import (
                         RiskLP,
                         build_lp,
                         performance_impact_lp,
                         risk_exposure,
                         time_to_survive_lp,
)
from .resilience import (
                         cvar,
                         excess_shortfall,
                         expected_shortfall,
                         mean_ci,
                         normalised_resilience,
                         performance,
                         resilience_loss,
                         summarize,
                         time_to_recover,
                         time_to_survive,
)
from .scorecard import (
                         Catalogue,
                         historical_shocks,
                         scorecard,
                         scorecard_markdown,
                         standard_catalogue,
)
from .sensitivity import Parameter, one_at_a_time, sensitivity
from .stress import disruption_scenarios, knockout_scenario, stress_test
from .trade import (
                         concentration,
                         dependency,
                         landed_cost,
                         peak_cost_increase,
                         trade_diversion,
                         trade_shares,
)

__all__ = [
    "mean_ci", "summarize", "cvar", "performance", "time_to_survive", "time_to_recover", "resilience_loss",
    "normalised_resilience", "excess_shortfall", "expected_shortfall",
    "trade_labels", "landed_cost", "peak_cost_increase", "trade_shares", "trade_diversion", "concentration",
    "dependency",
    "RiskLP", "build_lp", "time_to_survive_lp", "performance_impact_lp", "risk_exposure",
    "disruption_scenarios", "knockout_scenario", "stress_test",
    "Catalogue", "standard_catalogue", "historical_shocks", "scorecard", "scorecard_markdown",
    "Parameter", "sensitivity", "one_at_a_time",
    "gdp_at_risk", "value_added_loss_totals", "value_added_loss_table", "chain_shortfall_usd", "steady_loss",
    "policy_value_added", "redesign_start",
    "cover_band",
]
