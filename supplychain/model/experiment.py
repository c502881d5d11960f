"""An experiment as data: levers and policies, uncertainties, outcomes and the cost of each policy.

Exploratory modelling (Lempert, Popper & Bankes, 2003, *Shaping the Next
One Hundred Years*, RAND MR-1626; Kwakkel, 2017, *Environmental Modelling &
Software* 96: 239-250) runs every policy on the same set of futures and asks
which policy holds up across them and where each fails. Here:

* an `Uncertainty` is a parameter of the scenario
  whose value differs between futures (a distribution or a set of choices);
* a `Lever` is a parameter the decision makers set (a stockpile's
  size, an investment's build lag, whether a response is taken at all);
* a `Strategy` (a *policy* in the literature) is a named setting of
  levers; without strategies the runner builds them from a design over the
  levers;
* an `Outcome` is one number per run: shortfall, time to recover,
  landed-cost increase or the policy's own cost;
* `PolicyCosts` prices the responses (holding a stockpile, building
  capacity).

Everything addresses the scenario by parameter paths
(`supplychain.model.paths`) and goes into it through the one
substitution, `substitute`.

Implements docs/model.md §6.14 (experiments).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .._validation import check_choice, check_id, check_number, fail
from ..errors import ValidationError
from ._checked import Checked
from .paths import check_path
from .scenario import Scenario
from .uncertainty import Uncertainty

__all__ = ["Lever", "Strategy", "Outcome", "OUTCOME_KINDS", "PolicyCosts", "Experiment", "DESIGNS"]

#: What an outcome measures (see `Outcome`).
OUTCOME_KINDS = ("shortfall_usd", "shortfall_units", "time_to_recover", "landed_cost_increase", "policy_cost")
#: Designs of the uncertainty sample: Latin hypercube, scrambled Sobol, plain random.
DESIGNS = ("lhs", "sobol", "random")
_MAX_FUTURES = 1_000_000


def _scalar(value: Any, name: str, kind: str, ident: str) -> Any:
    if isinstance(value, (str, bool, int)) or isinstance(value, float) and math.isfinite(value):
        return value
    raise fail(name, "numbers, names or true/false", value, kind, ident)


@dataclass(frozen=True, slots=True)
class Lever(Checked):
    """A parameter the decision makers set: a path and its options (``values``) or range (``low``, ``high``).

    Parameters
    ----------
    path : str
        The parameter, e.g. ``"responses.jp_gallium_stockpile.reserve_days"``.
    values : sequence, optional
        The options (numbers, names, true/false): a full-factorial design
        takes each.
    low, high : float, optional
        A continuous range, sampled by Latin-hypercube or Sobol lever designs
        (a factorial design takes both ends).

    Examples
    --------
    >>> Lever("responses.stock.reserve_days", values=(0, 30, 90)).options()
    (0, 30, 90)
    >>> Lever("responses.plant.build_lag_days", low=180, high=720).value(0.5)
    450.0
    """

    path: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        from .paths import parse_path
        parse_path(self.path)
        if (self.values is None) == (self.low is None and self.high is None):
            raise fail("values or low/high", "given (one of them)", (self.values, self.low, self.high), "Lever",
                       self.path)
        if self.values is not None:
            if isinstance(self.values, (str, bytes, dict)) or not isinstance(self.values, Iterable):
                raise fail("values", "a list of options", self.values, "Lever", self.path)
            values = tuple(_scalar(v, "values", "Lever", self.path) for v in self.values)
            if not values:
                raise fail("values", "a non-empty list of options", self.values, "Lever", self.path)
            object.__setattr__(self, "values", values)
        else:
            low = check_number(self.low, "low", "Lever", self.path)
            high = check_number(self.high, "high", "Lever", self.path)
            if not high > low:
                raise fail("high", f"greater than low ({low:g})", self.high, "Lever", self.path)
            object.__setattr__(self, "low", low)
            object.__setattr__(self, "high", high)

    def options(self) -> tuple[Any, ...]:
        """The options a full-factorial design takes (both ends of a range)."""
        return self.values if self.values is not None else (self.low, self.high)

    def value(self, u: float) -> Any:
        """The value at ``u`` in ``[0, 1)``: a point of the range, or the ``floor(u k)``-th option."""
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        assert self.low is not None and self.high is not None
        return self.low + float(u) * (self.high - self.low)


@dataclass(frozen=True, slots=True)
class Strategy(Checked):
    """A policy: a name and the lever settings that define it, ``{path: value}``.

    Paths not set keep the scenario's value (a response without
    ``enabled = true`` in a strategy stays as the scenario has it).

    Examples
    --------
    >>> s = Strategy("stockpile", {"responses.stock.enabled": True})
    >>> s.as_dict()
    {'responses.stock.enabled': True}
    """

    name: str
    settings: tuple[tuple[str, Any], ...] = ()

    def __init__(self, name: str, settings: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> None:
        object.__setattr__(self, "name", check_id(name, "name", "Strategy"))
        items = settings.items() if isinstance(settings, Mapping) else settings
        if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
            raise fail("settings", "a table of {path: value}", settings, "Strategy", name)
        pairs = []
        for pair in items:
            if not isinstance(pair, tuple) or len(pair) != 2 or not isinstance(pair[0], str):
                raise fail("settings", "a table of {path: value}", settings, "Strategy", name)
            pairs.append((pair[0], _scalar(pair[1], "settings", "Strategy", name)))
        object.__setattr__(self, "settings", tuple(pairs))

    def as_dict(self) -> dict[str, Any]:
        """The settings as ``{path: value}``."""
        return dict(self.settings)


@dataclass(frozen=True, slots=True)
class Outcome(Checked):
    """One number per run that the experiment reports.

    Parameters
    ----------
    name : str
        Column name in the experiment table.
    kind : str
        ``"shortfall_usd"``: demand not delivered over the horizon, at
        reference prices; ``"shortfall_units"``: the same in units (one
        commodity); ``"time_to_recover"``: days from the shock day to the end
        of the last day on which the selected demands' daily service
        (delivered / demand, at reference prices) was below ``threshold``
        (0 if never; censored at the horizon); ``"landed_cost_increase"``:
        landed cost paid per dollar of goods (at reference prices) on the
        selected importers' international lanes over the horizon, against
        the same ratio at the unshocked steady flows, minus 1 (tariffs,
        rerouting premiums and shifts to lanes with dearer freight);
        ``"policy_cost"``: cost of the scenario's responses over the horizon
        (`PolicyCosts`).
    regions, commodities : tuple of str, optional
        Demands (or, for landed cost, importers and commodities) counted;
        ``None``: all.
    threshold : float
        Daily service level that counts as recovered (``time_to_recover``).
    sense : {"min", "max"}
        Whether less (the default) or more is better; regret and the best
        policy in each future follow it.

    Examples
    --------
    >>> Outcome("us_shortfall", "shortfall_usd", regions=("US",)).regions
    ('US',)
    >>> Outcome("x", "shortfal_usd")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: kind must be one of 'shortfall_usd', 'shortfall_units', 'time_to_recover', 'landed_cost_increase', 'policy_cost' (did you mean 'shortfall_usd', 'shortfall_units'?); got 'shortfal_usd' for Outcome 'x'.
    """

    name: str
    kind: str
    regions: tuple[str, ...] | None = None
    commodities: tuple[str, ...] | None = None
    threshold: float = 0.99
    sense: Literal["min", "max"] = "min"

    def __post_init__(self) -> None:
        check_id(self.name, "name", "Outcome")
        check_choice(self.kind, OUTCOME_KINDS, "kind", "Outcome", self.name)
        for name in ("regions", "commodities"):
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, str):
                    value = (value,)
                if not isinstance(value, Iterable) or not tuple(value):
                    raise fail(name, "a non-empty list of ids or None", value, "Outcome", self.name)
                object.__setattr__(self, name, tuple(check_id(v, name, "Outcome") for v in value))
        object.__setattr__(self, "threshold", check_number(self.threshold, "threshold", "Outcome", self.name,
                                                           low=0.0, high=1.0))
        check_choice(self.sense, ("min", "max"), "sense", "Outcome", self.name)


@dataclass(frozen=True, slots=True)
class PolicyCosts(Checked):
    """What the responses cost: holding a stockpile, building capacity (all ASSUMPTIONS, docs/assumptions.md).

    A strategic stockpile of ``reserve`` units costs ``holding_rate`` of its
    value at reference prices per year held (cost of the capital tied up plus
    storage and insurance; released units are not charged again). Capacity
    investment costs ``capital_intensity`` dollars per dollar of the added
    annual output at reference prices, spread over ``asset_life_years`` at
    ``discount_rate`` by the capital recovery factor
    ``r / (1 - (1 + r) ** -n)`` and charged per year of the horizon from the
    decision (capital committed while the plant is built). A safety-stock
    change costs ``holding_rate`` on the value of the extra cover.

    Examples
    --------
    >>> round(PolicyCosts().capital_recovery_factor, 4)
    0.1019
    """

    holding_rate: float = 0.08
    capital_intensity: float = 1.5
    discount_rate: float = 0.08
    asset_life_years: float = 20.0

    def __post_init__(self) -> None:
        check_number(self.holding_rate, "holding_rate", "PolicyCosts", low=0.0, high=1.0)
        check_number(self.capital_intensity, "capital_intensity", "PolicyCosts", low=0.0, high=100.0)
        check_number(self.discount_rate, "discount_rate", "PolicyCosts", low=0.0, low_open=True, high=1.0)
        check_number(self.asset_life_years, "asset_life_years", "PolicyCosts", low=1.0, high=100.0)

    @property
    def capital_recovery_factor(self) -> float:
        """Annual charge per dollar of capital: ``r / (1 - (1 + r) ** -n)``."""
        r, n = self.discount_rate, self.asset_life_years
        return r / (1.0 - (1.0 + r) ** -n)


@dataclass(frozen=True, slots=True, repr=False)
class Experiment(Checked):
    """Policies run on a shared sample of futures of a scenario.

    See docs/model.md §6.14 (experiments).

    Parameters
    ----------
    scenario : Scenario
        The template: shocks and responses the paths address carry an ``id``.
        Its own ``uncertainties`` join ``uncertainties``.
    uncertainties : tuple of Uncertainty
        What differs between futures.
    outcomes : tuple of Outcome
        What each run reports.
    levers : tuple of Lever
        What the policies set. Without ``strategies`` the runner builds them
        from a design over the levers.
    strategies : tuple of Strategy
        Named policies; every setting's path must name a parameter of the
        scenario.
    costs : PolicyCosts
        Cost parameters of the responses.
    n_futures : int
        Size of the uncertainty sample (each future runs once per policy).
    replications : int
        Runs per policy and future (for random outages, licences, noise);
        outcomes are averaged over them.
    design : {"lhs", "sobol", "random"}
        How the futures are sampled (``scipy.stats.qmc``).
    seed : int
        Root seed of the sample and of the runs.
    engine : {"vector", "des"}
        Engine that runs each future.
    name : str
        Label.
    primary : str, optional
        The outcome policies are compared on (default: the first).
    threshold : float, optional
        A future in which ``primary`` is worse than this (above it, or below
        for ``sense="max"``) counts as a failure: satisficing share and
        scenario discovery use it.
    cost : str, optional
        The outcome that is the policy's own cost (Pareto view); default the
        first ``policy_cost`` outcome, if any.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock, StockpileRelease, Uniform
    >>> sc = toy_scenario(120).with_shocks(
    ...     CapacityShock(id="quake", region="CN", fraction_lost=0.8, start=20, end=50),
    ...     StockpileRelease(id="reserve", region="KR", commodity="ore", reserve=0.0,
    ...                      release_below_cover_days=5))
    >>> exp = Experiment(sc, uncertainties=(Uncertainty("shocks.quake.duration_days", Uniform(10, 60)),),
    ...                  outcomes=(Outcome("shortfall", "shortfall_usd"),),
    ...                  strategies=(Strategy("none"), Strategy("reserve", {"responses.reserve.reserve": 500})),
    ...                  n_futures=8)
    >>> [s.name for s in exp.strategies], exp.uncertainty_paths
    (['none', 'reserve'], ('shocks.quake.duration_days',))
    """

    scenario: Scenario
    uncertainties: tuple[Uncertainty, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    levers: tuple[Lever, ...] = ()
    strategies: tuple[Strategy, ...] = ()
    costs: PolicyCosts = field(default_factory=PolicyCosts)
    n_futures: int = 100
    replications: int = 1
    design: str = "lhs"
    seed: int = 0
    engine: str = "vector"
    name: str = "experiment"
    primary: str | None = None
    threshold: float | None = None
    cost: str | None = None

    def __post_init__(self) -> None:
        k = "Experiment"
        if not isinstance(self.scenario, Scenario):
            raise fail("scenario", "a Scenario", type(self.scenario).__name__, k, self.name)
        for name, cls in (("uncertainties", Uncertainty), ("outcomes", Outcome), ("levers", Lever),
                          ("strategies", Strategy)):
            value = getattr(self, name)
            if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
                raise fail(name, f"a list of {cls.__name__} objects", value, k, self.name)
            value = tuple(value)
            for item in value:
                if not isinstance(item, cls):
                    raise fail(name, f"a list of {cls.__name__} objects", item, k, self.name)
            object.__setattr__(self, name, value)
        sc = self.scenario
        own = tuple(u for u in sc.uncertainties if u.path not in {v.path for v in self.uncertainties})
        object.__setattr__(self, "uncertainties", own + self.uncertainties)
        if not self.uncertainties:
            raise fail("uncertainties", "at least one uncertain parameter", (), k, self.name)
        if not self.outcomes:
            raise fail("outcomes", "at least one outcome", (), k, self.name)
        self._unique([u.path for u in self.uncertainties], "uncertainties")
        self._unique([o.name for o in self.outcomes], "outcomes")
        self._unique([lv.path for lv in self.levers], "levers")
        self._unique([s.name for s in self.strategies], "strategies")
        check = dict(shocks=sc.shocks, responses=sc.responses, network=sc.network)
        for u in self.uncertainties:
            check_path(u.path, **check)
        for lever in self.levers:
            check_path(lever.path, **check)
        uncertain = set(self.uncertainty_paths)
        for s in self.strategies:
            for path, _ in s.settings:
                check_path(path, **check)
                if path in uncertain:
                    raise ValidationError(f"Strategy {s.name!r}: {path} is an uncertainty, not a lever.")
        if not isinstance(self.costs, PolicyCosts):
            raise fail("costs", "a PolicyCosts", self.costs, k, self.name)
        for name, high in (("n_futures", _MAX_FUTURES), ("replications", 10_000)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
                raise fail(name, f"a whole number in [1, {high:,}]", value, k, self.name)
        check_choice(self.design, DESIGNS, "design", k, self.name)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise fail("seed", "a non-negative integer", self.seed, k, self.name)
        check_choice(self.engine, ("vector", "des"), "engine", k, self.name)
        names = [o.name for o in self.outcomes]
        from .._validation import check_known
        for name in ("primary", "cost"):
            if getattr(self, name) is not None:
                check_known(getattr(self, name), names, name, k, self.name)
        if self.primary is None:
            object.__setattr__(self, "primary", names[0])
        if self.cost is None:
            object.__setattr__(self, "cost", next((o.name for o in self.outcomes if o.kind == "policy_cost"), None))
        if self.threshold is not None:
            object.__setattr__(self, "threshold", check_number(self.threshold, "threshold", k, self.name))

    def failed(self, values: Any) -> Any:
        """True where ``values`` of the primary outcome miss `threshold` (a failure)."""
        import numpy as np
        if self.threshold is None:
            raise ValidationError(f"Experiment {self.name!r}: give a threshold to say when a policy fails.")
        x = np.asarray(values, dtype=float)
        return x < self.threshold if self.outcome(str(self.primary)).sense == "max" else x > self.threshold

    def _unique(self, names: Sequence[str], field_name: str) -> None:
        seen: set[str] = set()
        for n in names:
            if n in seen:
                raise fail(field_name, "unique names or paths", n, "Experiment", self.name)
            seen.add(n)

    def __repr__(self) -> str:
        return (f"Experiment({self.name!r}: {len(self.strategies) or 'lever-design'} policies, "
                f"{len(self.uncertainties)} uncertainties, {len(self.outcomes)} outcomes, {self.n_futures} futures "
                f"x {self.replications}, design={self.design!r}, seed={self.seed}, scenario={self.scenario.name!r})")

    @property
    def uncertainty_paths(self) -> tuple[str, ...]:
        """Paths of the uncertain parameters, in column order."""
        return tuple(u.path for u in self.uncertainties)

    def outcome(self, name: str) -> Outcome:
        """The outcome called ``name``."""
        from .._validation import check_known
        check_known(name, [o.name for o in self.outcomes], "outcome", "Experiment", self.name)
        return next(o for o in self.outcomes if o.name == name)
