"""The network: regions, commodities, facilities, lanes and final demand.

All classes are frozen dataclasses validated on construction. A
`Network` checks that every reference points at something that exists
(and suggests close matches when it does not) and that the flow graph has no
cycle. Nothing here knows about time, randomness or results.

Implements docs/model.md §2 (network).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .._validation import (
    MAX_DAYS,
    MAX_MAGNITUDE,
    MAX_QUANTITY,
    check_choice,
    check_days,
    check_id,
    check_known,
    check_magnitude,
    check_number,
    fail,
    frozen_mapping,
)
from ..errors import ValidationError
from ._checked import Checked
from ._display import html_table, plural
from .dists import Distribution, Fixed, day_distribution, distribution_from_dict
from .policies import DaysOfCover, Policy, policy_from_dict

__all__ = ["Region", "Commodity", "Facility", "Lane", "Demand", "Network", "STAGES", "RESTART_DAYS", "COLD_STOP_DAYS",
           "ALLOCATIONS", "RECENT_DAYS"]

#: Largest substitution elasticity (sigma) of a commodity: (landed cost ratio)^-sigma stays finite.
MAX_ELASTICITY = 100.0

#: Allocation rules a supplier short of stock may use (``Facility.allocation``, docs/model.md §5.7).
ALLOCATIONS = ("history", "fcfs", "pro_rata", "incumbent", "value", "auto", "recent")

#: Default mean age, in days, of the record of recent shipments a supplier allocating by ``"recent"``
#: serves first (``Facility.recent_days``, docs/model.md §5.7): a quarter.
RECENT_DAYS = 91.0

#: Largest over-ordering (``panic``) factor: orders for the extra pipeline at most 101-fold.
MAX_PANIC = 100.0
#: Most of a recipe's use of an input that recovering its new scrap can save (``Facility.scrap_recovery``): some
#: of every input stays in the product.
MAX_SCRAP_RECOVERY = 0.99

#: Stage names used by the built-in baseline; any other string is accepted too.
STAGES = ("mine", "refinery", "material", "cell_plant", "wafer", "chemical",
          "fab", "packaging", "magnet", "market")


#: Restart of idle capacity by value chain, ``(restart_days, restart_ramp_days)`` (ASSUMPTION, see
#: docs/assumptions.md): capacity above a facility's steady output becomes usable ``restart_days``
#: after it is first needed, then ramps in linearly over ``restart_ramp_days``. Fab tools idled for
#: lack of demand need requalification: two weeks, then a month to full output (the restart of a fab
#: after a power loss took 7-10 days to full wafer input: Renesas, "UPDATE 3 - Impact of the March 16
#: Earthquake", 23 Mar 2022; idle tools are slower). Cell lines: a month, then two (formation and
#: yield ramp). Mines and refineries: two months to restart a mothballed line, three to ramp.
#: Unknown chains use ``"default"``: no restart delay.
RESTART_DAYS: dict[str, tuple[float, float]] = {
    "minerals": (60.0, 90.0), "batteries": (30.0, 60.0), "semiconductors": (14.0, 30.0),
    "default": (0.0, 0.0)}

#: Shortest stop, in days, after which a line restarts cold, by value chain (ASSUMPTION, see
#: docs/assumptions.md and docs/model.md §5.4.2): a facility whose capacity was zero for at least
#: this many days in a row needs its restart delay and ramp (`RESTART_DAYS`) before the
#: capacity that comes back produces. Fabs bridge a stop of days (TSMC after the 1999 Chi-Chi
#: earthquake, Renesas Naka after the 2022 Fukushima earthquake: full output within 8-10 days); a
#: stopped fab's tools must be requalified (Samsung Austin, stopped 16 Feb 2021: 90 % of capacity
#: on 31 Mar 2021). Chains not listed never restart cold.
COLD_STOP_DAYS: dict[str, float] = {"semiconductors": 7.0}


@dataclass(frozen=True, slots=True)
class Region(Checked):
    """A country or group of countries.

    Examples
    --------
    >>> Region("JP", "Japan")
    Region(id='JP', name='Japan')
    """

    id: str
    name: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, "id", "Region")
        if not self.name:
            object.__setattr__(self, "name", self.id)


@dataclass(frozen=True, slots=True)
class Commodity(Checked):
    """A traded good with its unit and reference price.

    Parameters
    ----------
    id : str
        Identifier, e.g. ``"gallium"``.
    unit : str
        Unit of every quantity of this commodity (``"t"``, ``"kg"``, ``"GWh"``, ``"wafer"``).
    price_usd : float
        Reference price in USD per unit, used to value shortfalls, tariffs and flows.
    name : str
        Human-readable name.
    elasticity : float
        Substitution elasticity (sigma) between suppliers, used by tariff shocks.
    chain : str
        Value chain it belongs to (``"minerals"``, ``"batteries"``, ``"semiconductors"``).

    Limits: ``price_usd`` in ``[0, 1e12]``; ``elasticity`` in ``[0, 100]``.

    Examples
    --------
    >>> Commodity("gallium", unit="kg", price_usd=580.0).unit
    'kg'
    """

    id: str
    unit: str
    price_usd: float
    name: str = ""
    elasticity: float = 1.0
    chain: str = ""

    def __post_init__(self) -> None:
        check_id(self.id, "id", "Commodity")
        if not isinstance(self.unit, str) or not self.unit:
            raise fail("unit", "a non-empty string such as 't' or 'GWh'", self.unit, "Commodity", self.id)
        object.__setattr__(self, "price_usd", check_magnitude(self.price_usd, "price_usd", "Commodity", self.id,
                                                              high=MAX_QUANTITY))
        object.__setattr__(self, "elasticity", check_magnitude(self.elasticity, "elasticity", "Commodity", self.id,
                                                               high=MAX_ELASTICITY))
        if not self.name:
            object.__setattr__(self, "name", self.id)


@dataclass(frozen=True, slots=True)
class Facility(Checked):
    """A plant that turns inputs into one output commodity.

    Parameters
    ----------
    id, region, stage, output : str
        Identifier, region id, stage name and output commodity id.
    capacity_per_day : float
        Maximum output per day, in the output commodity's unit.
    recipe : mapping of str to float
        Bill of materials: input commodity -> units consumed per unit of output.
        Empty for a mine.
    initial_inventory : mapping of str to float
        Starting stock per commodity (inputs and output). A stock not listed
        starts at its policy target, i.e. in steady state.
    policies : mapping of str to Policy
        Inventory policy per stock held. A stock not listed uses
        ``DaysOfCover(default_cover_days)``.
    default_cover_days : float
        Cover used for stocks without an explicit policy.
    cycle_time_days : int
        Production cycle time in whole days (work in progress): what starts on
        day ``t`` joins the output stock on day ``t + cycle_time_days``
        (``docs/model.md`` §5.4). 0 (the default): output is in stock the day
        it is made.
    allocation : {"auto", "history", "recent", "value", "fcfs", "pro_rata", "incumbent"}
        How the facility rations its output stock among its lanes when it
        cannot ship everything owed and ordered (``docs/model.md`` §5.7):
        ``"auto"`` (the default) is ``"value"`` when the scenario's
        ``price_feedback`` is on and ``"history"`` otherwise;
        ``"history"`` serves every lane up to its steady daily
        flow first (allocation by historical purchases), then what lanes ask
        beyond it, older orders (the backlog) before the day's orders;
        ``"recent"`` (turn-and-earn) is ``"history"`` with each lane's
        history a moving record of what it was recently shipped (an
        exponentially weighted average of its daily shipments with a mean
        age of ``recent_days``, starting at its steady flow), so a buyer
        that ordered less loses its place and one that bought more earns it;
        ``"value"`` (price rationing) serves buyers in order of what they
        bid for a unit (a facility: the value of its marginal product net of
        its recipe's other inputs, at least the input's price, one bid per
        region's industry, at most the market's price cap; a final demand:
        the good's reference price), highest first, each tier by history;
        ``"fcfs"`` serves older orders before the day's orders;
        ``"pro_rata"`` serves every lane in proportion to all it asks, old
        and new alike; ``"incumbent"`` serves the lanes of baseline customers
        (lane ``share > 0``) before those of buyers that turned to it as an
        alternate.
    panic : float
        Over-ordering of the facility's input stocks: the extra pipeline its
        buyers plan for a quoted lead time above the normal one is scaled by
        ``1 + panic`` (``docs/model.md`` §5.6.5). 0 (the default) is rational
        planning; -1 ignores quotes (plans with the normal lead time).
    recent_days : float
        Mean age in days of the record of recent shipments that
        ``allocation="recent"`` serves first (`RECENT_DAYS`, a quarter,
        by default); read by no other rule.
    scrap_input : str or None
        The recipe input whose new scrap (production waste) the facility
        recovers more of once that input runs short (``docs/model.md``
        §5.4.3): from the first day its starts are short of the input, its
        use per unit of output falls linearly over ``scrap_days`` days to
        ``1 - scrap_recovery`` of the recipe's and stays there. ``None`` (the
        default): no such rule.
    scrap_recovery : float
        Share of the recipe's use of ``scrap_input`` that the recovered scrap
        saves once fully in place, in ``[0, 0.99]``; 0 (the default): none.
    scrap_days : float
        Days from the first day short to full recovery, in ``[1, 3650]``.

    Limits: ``capacity_per_day`` and ``initial_inventory`` in ``[0, 1e12]``
    units; recipe coefficients in ``(0, 1e6]``; ``default_cover_days`` in
    ``[0, 3650]``; ``cycle_time_days`` a whole number in ``[0, 3650]``;
    ``panic`` in ``[-1, 100]``; ``recent_days`` in ``[1, 3650]``.

    Examples
    --------
    >>> f = Facility("CN.cam", region="CN", stage="material", output="cam",
    ...              capacity_per_day=100.0, recipe={"lithium": 0.1})
    >>> f.inputs
    ('lithium',)
    >>> Facility("US.wafer", region="US", stage="wafer", output="compound_wafer", capacity_per_day=10.0,
    ...          recipe={"gallium": 0.016}, scrap_input="gallium", scrap_recovery=0.45,
    ...          scrap_days=150).scrap_recovery
    0.45
    """

    id: str
    region: str
    stage: str
    output: str
    capacity_per_day: float
    recipe: Mapping[str, float] = field(default_factory=dict)
    initial_inventory: Mapping[str, float] = field(default_factory=dict)
    policies: Mapping[str, Policy] = field(default_factory=dict)
    default_cover_days: float = 30.0
    name: str = ""
    cycle_time_days: int = 0
    allocation: Literal["auto", "history", "recent", "value", "fcfs", "pro_rata", "incumbent"] = "auto"
    panic: float = 0.0
    restart_days: float | None = None
    restart_ramp_days: float | None = None
    recent_days: float = RECENT_DAYS
    scrap_input: str | None = None
    scrap_recovery: float = 0.0
    scrap_days: float = 150.0

    def __post_init__(self) -> None:
        ident = self.id if isinstance(self.id, str) else repr(self.id)
        check_id(self.id, "id", "Facility")
        check_choice(self.allocation, ALLOCATIONS, "allocation", "Facility", ident)
        object.__setattr__(self, "recent_days", check_days(self.recent_days, "recent_days", "Facility", ident,
                                                           low=1.0, high=MAX_DAYS))
        object.__setattr__(self, "panic", check_magnitude(self.panic, "panic", "Facility", ident,
                                                          low=-1.0, high=MAX_PANIC))
        for name in ("region", "stage", "output"):
            check_id(getattr(self, name), name, "Facility")
        object.__setattr__(self, "capacity_per_day", check_magnitude(
            self.capacity_per_day, "capacity_per_day", "Facility", ident, high=MAX_QUANTITY))
        object.__setattr__(self, "recipe", frozen_mapping(self.recipe, "recipe", "Facility", ident,
                                                          low=0.0, low_open=True))
        object.__setattr__(self, "initial_inventory", frozen_mapping(
            self.initial_inventory, "initial_inventory", "Facility", ident))
        for key, value in self.recipe:
            check_magnitude(value, f"recipe[{key!r}]", "Facility", ident, high=MAX_MAGNITUDE)
        for key, value in self.initial_inventory:
            check_magnitude(value, f"initial_inventory[{key!r}]", "Facility", ident, high=MAX_QUANTITY)
        if self.output in dict(self.recipe):
            raise fail("recipe", f"free of the facility's own output {self.output!r}",
                       dict(self.recipe), "Facility", ident)
        pols = dict(self.policies) if not isinstance(self.policies, tuple) else dict(self.policies)
        object.__setattr__(self, "policies", tuple(sorted(
            (k, policy_from_dict(v, f"policies[{k!r}]")) for k, v in pols.items())))
        object.__setattr__(self, "default_cover_days", check_days(
            self.default_cover_days, "default_cover_days", "Facility", ident, high=MAX_DAYS))
        object.__setattr__(self, "cycle_time_days", int(check_days(
            self.cycle_time_days, "cycle_time_days", "Facility", ident, whole=True, high=MAX_DAYS)))
        for name in ("restart_days", "restart_ramp_days"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, check_days(getattr(self, name), name, "Facility", ident))
        if self.scrap_input is not None:
            check_known(self.scrap_input, self.inputs, "scrap_input", "Facility", ident)
        elif self.scrap_recovery:
            raise fail("scrap_input", "one of the recipe's inputs when scrap_recovery is above 0",
                       self.scrap_input, "Facility", ident)
        object.__setattr__(self, "scrap_recovery", check_number(self.scrap_recovery, "scrap_recovery", "Facility",
                                                                ident, low=0.0, high=MAX_SCRAP_RECOVERY))
        object.__setattr__(self, "scrap_days", check_days(self.scrap_days, "scrap_days", "Facility", ident,
                                                          low=1.0, high=MAX_DAYS))
        held = set(self.stocks)
        for key in [k for k, _ in self.initial_inventory] + [k for k, _ in self.policies]:
            if key not in held:
                check_known(key, held, "stock", "Facility", ident)

    def restart(self, chain: str) -> tuple[float, float]:
        """``(restart_days, restart_ramp_days)``, a ``None`` field taking ``chain``'s default.

        Examples
        --------
        >>> f = Facility("KR.fab", region="KR", stage="fab", output="wafer", capacity_per_day=10.0,
        ...              restart_ramp_days=5)
        >>> f.restart("semiconductors"), f.restart("other")
        ((14.0, 5.0), (0.0, 5.0))
        """
        delay, ramp = RESTART_DAYS.get(chain, RESTART_DAYS["default"])
        return (delay if self.restart_days is None else self.restart_days,
                ramp if self.restart_ramp_days is None else self.restart_ramp_days)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Input commodity ids, in recipe order."""
        return tuple(k for k, _ in self.recipe)

    @property
    def stocks(self) -> tuple[str, ...]:
        """Every commodity this facility holds: its inputs, then its output."""
        return self.inputs + (self.output,)

    def policy_for(self, commodity: str) -> Policy:
        """The policy of one stock (explicit, else days of cover by default)."""
        return dict(self.policies).get(commodity, DaysOfCover(self.default_cover_days))


@dataclass(frozen=True, slots=True)
class Lane(Checked):
    """A trade or transport link from a facility to a buyer (a facility or a demand).

    Parameters
    ----------
    origin : str
        Supplying facility id; the lane carries that facility's output.
    destination : str
        Buying facility id or demand id.
    commodity : str
        Commodity carried; must be the origin's output and used by the destination.
    lead_time : Distribution or float
        Door-to-door lead time in days (a number means a fixed lead time).
    share : float
        Baseline share of the buyer's sourcing of this commodity (normalised per buyer).
    capacity_per_day : float
        Most units the lane can carry per day (``inf`` for no limit).
    freight_usd_per_unit : float
        Freight and insurance cost per unit shipped.
    qualification_days : float, optional
        For a potential alternate (``share == 0``): days the buyer needs to
        qualify this supplier, counted from the first day it seeks alternates
        (``docs/model.md`` §5.6.6). ``None``: the default of the commodity's
        value chain (`supplychain.model.sourcing.QUALIFICATION_DAYS`).
        A baseline lane (``share > 0``) is qualified from the start; for it
        this is the time its buyer needs to port the designs it makes there
        to other suppliers (``second_source_share``).
    patience_days : float, optional
        Days of waiting (beyond transport) the buyer accepts on this lane: it
        cancels what the supplier would not ship within them and treats the
        lane as unavailable while the wait exceeds them (§5.6.5). ``None``:
        the default of the value chain (`supplychain.model.shocks.PATIENCE_DAYS`).
    lasting_diversion : float
        Fraction of the share diverted from this lane during a disruption that
        stays with the alternates after it (lasting diversification, §5.6.6);
        0 (the default): shares return in full.
    second_source_share : float, optional
        Part of the lane's volume already qualified at the buyer's other
        suppliers: when the lane fails, only this part of what it diverts can
        go to them before ``qualification_days`` (or the default) have passed
        since the buyer first sought alternates (design lock-in, §5.6.6).
        ``None``: the default of the commodity
        (`supplychain.model.sourcing.SECOND_SOURCE_SHARE`; 1, no lock-in, for most).

    Limits: ``lead_time`` a distribution of days in ``[0, 3650]`` with a
    positive mean; ``share`` in ``[0, 1e6]``; ``capacity_per_day`` in
    ``(0, 1e12]`` or ``inf``; ``freight_usd_per_unit`` in ``[0, 1e12]``;
    ``qualification_days`` and ``patience_days`` in ``[0, 3650]``;
    ``lasting_diversion`` and ``second_source_share`` in ``[0, 1]``.

    Examples
    --------
    >>> Lane("CN.cam", "KR.cells", "cam", lead_time=5, share=0.8).id
    'CN.cam>KR.cells'
    """

    origin: str
    destination: str
    commodity: str
    lead_time: Distribution = field(default_factory=lambda: Fixed(1.0))
    share: float = 1.0
    capacity_per_day: float = math.inf
    freight_usd_per_unit: float = 0.0
    qualification_days: float | None = None
    patience_days: float | None = None
    lasting_diversion: float = 0.0
    second_source_share: float | None = None

    def __post_init__(self) -> None:
        for name in ("origin", "destination", "commodity"):
            check_id(getattr(self, name), name, "Lane")
        ident = self.id
        for name in ("qualification_days", "patience_days"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, check_days(getattr(self, name), name, "Lane", ident))
        object.__setattr__(self, "lasting_diversion", check_number(
            self.lasting_diversion, "lasting_diversion", "Lane", ident, low=0.0, high=1.0))
        if self.second_source_share is not None:
            object.__setattr__(self, "second_source_share", check_number(
                self.second_source_share, "second_source_share", "Lane", ident, low=0.0, high=1.0))
        lt = day_distribution(self.lead_time, "lead_time", "Lane", ident)
        if lt.mean <= 0:
            raise fail("lead_time", "a positive number of days", lt, "Lane", ident)
        object.__setattr__(self, "lead_time", lt)
        object.__setattr__(self, "share", check_magnitude(self.share, "share", "Lane", ident))
        capacity = check_number(self.capacity_per_day, "capacity_per_day", "Lane", ident, low=0.0, low_open=True,
                                allow_inf=True)
        if capacity != math.inf:
            check_magnitude(capacity, "capacity_per_day", "Lane", ident, high=MAX_QUANTITY)
        object.__setattr__(self, "capacity_per_day", capacity)
        object.__setattr__(self, "freight_usd_per_unit", check_magnitude(
            self.freight_usd_per_unit, "freight_usd_per_unit", "Lane", ident, high=MAX_QUANTITY))

    @property
    def id(self) -> str:
        """``"origin>destination"``, unique within a network."""
        return f"{self.origin}>{self.destination}"


@dataclass(frozen=True, slots=True)
class Demand(Checked):
    """Final demand for a commodity in a region, served from a consumer stock.

    The consumer stock (for example car makers' chip inventory) is replenished
    through lanes whose destination is this demand's id.

    Parameters
    ----------
    id, region, commodity : str
        Identifier, region id and commodity id.
    rate_per_day : float
        Mean demand in units per day.
    noise : Distribution, optional
        Multiplicative daily noise with mean about 1 (e.g. ``Normal(1, 0.1, low=0)``).
        A count distribution (`Poisson`,
        `NegativeBinomial`) is divided by its mean, so
        ``rate_per_day=10, noise=Poisson(10)`` demands a Poisson(10) count of units a day.
    policy : Policy
        Inventory policy of the consumer stock.
    initial_inventory : float, optional
        Starting consumer stock; ``None`` starts at the policy target.
    unmet : {"lost", "backorder"}
        Whether unmet demand is lost or carried to the next day.
    patience_days : int, optional
        Under ``unmet="backorder"``, how many days a day's unmet demand stays on
        order: demand of day ``t`` not delivered by the end of day
        ``t + patience_days`` is cancelled (lost), oldest first
        (``docs/model.md`` §5.5). ``None`` (the default): kept until delivered.
    panic : float
        Over-ordering of the consumer stock, as ``Facility.panic``
        (``docs/model.md`` §5.6.5); 0 (the default) is rational planning, -1
        ignores quotes.
    segment : str, optional
        End-use buyer segment (for example ``"automotive"``) when a region's
        demand for a commodity is split among several buyers, each with its own
        stock and policy (``docs/model.md`` §5.5). ``None`` (the default): one
        pooled buyer. Two demands of one region and commodity need different
        segments. The daily rules never read it; the impact layer maps a
        segment's shortfall to its own industry (§8.3).

    Limits: ``rate_per_day`` and ``initial_inventory`` in ``[0, 1e12]`` units;
    ``panic`` in ``[-1, 100]``; ``patience_days`` a whole number of days in ``[1, 3650]``.

    Examples
    --------
    >>> Demand("US.chips", region="US", commodity="chip", rate_per_day=10.0).unmet
    'lost'
    >>> Demand("US.chips.auto", "US", "chip", 2.0, policy=DaysOfCover(14.0), segment="automotive").segment
    'automotive'
    >>> Demand("US.cars", "US", "chip", 2.0, unmet="backorder", patience_days=90).patience_days
    90
    """

    id: str
    region: str
    commodity: str
    rate_per_day: float
    noise: Distribution | None = None
    policy: Policy = field(default_factory=lambda: DaysOfCover(30.0))
    initial_inventory: float | None = None
    unmet: Literal["lost", "backorder"] = "lost"
    panic: float = 0.0
    segment: str | None = None
    patience_days: int | None = None

    def __post_init__(self) -> None:
        for name in ("id", "region", "commodity"):
            check_id(getattr(self, name), name, "Demand")
        if self.segment is not None:
            check_id(self.segment, "segment", "Demand")
        object.__setattr__(self, "panic", check_magnitude(self.panic, "panic", "Demand", self.id, low=-1.0,
                                                                          high=MAX_PANIC))
        object.__setattr__(self, "rate_per_day", check_magnitude(
            self.rate_per_day, "rate_per_day", "Demand", self.id, high=MAX_QUANTITY))
        if self.noise is not None:
            noise = distribution_from_dict(self.noise, "noise")
            if noise.minimum < 0:
                raise fail("noise", "a distribution of non-negative factors (set low=0)", noise, "Demand", self.id)
            object.__setattr__(self, "noise", noise)
        object.__setattr__(self, "policy", policy_from_dict(self.policy, "policy"))
        if self.initial_inventory is not None:
            object.__setattr__(self, "initial_inventory", check_magnitude(
                self.initial_inventory, "initial_inventory", "Demand", self.id, high=MAX_QUANTITY))
        check_choice(self.unmet, ("lost", "backorder"), "unmet", "Demand", self.id)
        if self.patience_days is not None:
            if self.unmet != "backorder":
                raise ValidationError(f"patience_days applies only to unmet='backorder'; got unmet={self.unmet!r} "
                                      f"with patience_days={self.patience_days!r} for Demand {self.id!r}.")
            days = check_days(self.patience_days, "patience_days", "Demand", self.id, low=1.0, whole=True)
            object.__setattr__(self, "patience_days", int(days))


def _unique(items: tuple[Any, ...], kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if item.id in out:
            raise ValidationError(f"id must be unique; got {item.id!r} twice for {kind}.")
        out[item.id] = item
    return out


@dataclass(frozen=True, slots=True)
class Network(Checked):
    """A validated supply network.

    Examples
    --------
    >>> net = Network(
    ...     regions=(Region("CN"), Region("US")),
    ...     commodities=(Commodity("ore", "t", 100.0),),
    ...     facilities=(Facility("CN.mine", "CN", "mine", "ore", 10.0),),
    ...     lanes=(Lane("CN.mine", "US.ore", "ore", lead_time=20),),
    ...     demands=(Demand("US.ore", "US", "ore", 5.0),),
    ... )
    >>> net.facility("CN.mine").capacity_per_day
    10.0
    """

    regions: tuple[Region, ...]
    commodities: tuple[Commodity, ...]
    facilities: tuple[Facility, ...]
    lanes: tuple[Lane, ...]
    demands: tuple[Demand, ...]

    def __post_init__(self) -> None:
        for name in ("regions", "commodities", "facilities", "lanes", "demands"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        regions = _unique(self.regions, "Region")
        commodities = _unique(self.commodities, "Commodity")
        facilities = _unique(self.facilities, "Facility")
        demands = _unique(self.demands, "Demand")
        clash = set(facilities) & set(demands)
        if clash:
            raise ValidationError(f"id must be unique across facilities and demands; got {sorted(clash)!r}.")
        _unique(self.lanes, "Lane")
        for f in self.facilities:
            check_known(f.region, regions, "region", "Facility", f.id)
            for c in f.stocks:
                check_known(c, commodities, "commodity", "Facility", f.id)
        segments: dict[tuple[str, str, str | None], str] = {}
        for d in self.demands:
            check_known(d.region, regions, "region", "Demand", d.id)
            check_known(d.commodity, commodities, "commodity", "Demand", d.id)
            key = (d.region, d.commodity, d.segment)
            if d.segment is not None and key in segments:
                raise fail("segment", f"unique among the demands of {d.commodity!r} in {d.region!r} (demand "
                           f"{segments[key]!r} has it)", d.segment, "Demand", d.id)
            segments.setdefault(key, d.id)
        buyers = {**{k: set(f.inputs) for k, f in facilities.items()},
                  **{k: {d.commodity} for k, d in demands.items()}}
        for lane in self.lanes:
            check_known(lane.origin, facilities, "origin", "Lane", lane.id)
            check_known(lane.destination, buyers, "destination", "Lane", lane.id)
            check_known(lane.commodity, commodities, "commodity", "Lane", lane.id)
            if lane.commodity != facilities[lane.origin].output:
                raise fail("commodity", f"the origin's output {facilities[lane.origin].output!r}",
                           lane.commodity, "Lane", lane.id)
            if lane.commodity not in buyers[lane.destination]:
                raise fail("commodity", f"one the destination uses ({sorted(buyers[lane.destination])})",
                           lane.commodity, "Lane", lane.id)
        self._check_acyclic(facilities)

    def _check_acyclic(self, facilities: dict[str, Facility]) -> None:
        succ: dict[str, list[str]] = {k: [] for k in facilities}
        for lane in self.lanes:
            if lane.destination in succ:
                succ[lane.origin].append(lane.destination)
        state: dict[str, int] = {}
        for root in succ:
            stack = [(root, iter(succ[root]))]
            state[root] = state.get(root, 0) or 1
            if state[root] == 2:
                continue
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(nxt, 0) == 1:
                    raise ValidationError(f"lanes must not form a cycle; got one through facility '{nxt}'.")
                elif state.get(nxt, 0) == 0:
                    state[nxt] = 1
                    stack.append((nxt, iter(succ[nxt])))

    # Display --------------------------------------------------------------------------------
    def _sizes(self) -> str:
        return ", ".join(plural(len(getattr(self, k)), w) for k, w in (
            ("regions", "region"), ("commodities", "commodity"), ("facilities", "facility"),
            ("lanes", "lane"), ("demands", "demand")))

    def __repr__(self) -> str:
        """One line: how many regions, commodities, facilities, lanes and demands.

        Examples
        --------
        >>> from supplychain.analytics._toy import toy_network
        >>> toy_network()
        Network(5 regions, 2 commodities, 3 facilities, 4 lanes, 2 demands; regions CN, ROW, KR, US, JP)
        """
        regions = ", ".join(r.id for r in self.regions)
        if len(regions) > 60:
            regions = regions[:57] + "..."
        return f"Network({self._sizes()}; regions {regions})"

    def _repr_html_(self) -> str:
        stages = sorted({f.stage for f in self.facilities})
        return html_table("Network", [
            ("size", self._sizes()),
            ("regions", ", ".join(r.id for r in self.regions)),
            ("commodities", ", ".join(c.id for c in self.commodities)),
            ("stages", ", ".join(stages)),
        ])

    # Look-ups by id -------------------------------------------------------------------------
    def _get(self, items: tuple[Any, ...], ident: str, kind: str) -> Any:
        for item in items:
            if item.id == ident:
                return item
        check_known(ident, [i.id for i in items], "id", kind)
        raise AssertionError("unreachable")  # pragma: no cover

    def region(self, ident: str) -> Region:
        """The region with id ``ident`` (close matches suggested if unknown)."""
        return self._get(self.regions, ident, "Region")

    def commodity(self, ident: str) -> Commodity:
        """The commodity with id ``ident``."""
        return self._get(self.commodities, ident, "Commodity")

    def facility(self, ident: str) -> Facility:
        """The facility with id ``ident``."""
        return self._get(self.facilities, ident, "Facility")

    def demand(self, ident: str) -> Demand:
        """The demand with id ``ident``."""
        return self._get(self.demands, ident, "Demand")

    def lane(self, ident: str) -> Lane:
        """The lane with id ``"origin>destination"``."""
        return self._get(self.lanes, ident, "Lane")

    def region_of(self, node: str) -> str:
        """Region id of a facility or demand id."""
        for item in self.facilities + self.demands:  # type: ignore[operator]
            if item.id == node:
                return item.region
        check_known(node, [i.id for i in self.facilities + self.demands], "node", "Network")  # type: ignore[operator]
        raise AssertionError("unreachable")  # pragma: no cover
