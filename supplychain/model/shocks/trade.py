"""Trade policy shocks: tariffs and export controls.

Ids (regions, commodities) are checked against the network at compile time
(`supplychain.compile.rules.trade`).

Implements docs/model.md §6.4 (tariff) and §6.5 (export-control).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from ..._validation import (
    MAX_DAYS,
    MAX_QUANTITY,
    check_choice,
    check_id,
    check_magnitude,
    check_number,
    check_probability,
    fail,
)
from ...errors import SimulationWarning
from ..dists import Distribution, Fixed, day_distribution
from .base import Shock, days, ids_or_none, set_field

__all__ = ["DAYS_PER_MONTH", "LICENCE_DELAY_DAYS", "SWITCHING_LAG_DAYS", "ExportControl", "Tariff", "MAX_TARIFF_RATE",
           "HIGH_TARIFF_RATE"]

#: Days to qualify a new supplier, per value chain (ASSUMPTION, see below).
#: Minerals and refined metals are near-commodities (about 2 months to test a
#: new source); battery materials need cell-level qualification (about 6
#: months); chip materials and chips need fab or customer requalification
#: (about 9 months), consistent with equipment order-to-delivery times of
#: 6-12 months (Nikkei Asia, 2023) and the near-zero short-run substitution of
#: node-specific chips in the 2021-22 shortage (US Department of Commerce,
#: *Results from Semiconductor Supply Chain Request for Information*, 25 Jan
#: 2022). These are modelling assumptions, not measured values. Unknown chains
#: use ``"default"``.
SWITCHING_LAG_DAYS: dict[str, int] = {
    "minerals": 60, "batteries": 180, "semiconductors": 270, "default": 90}

#: Default export-licence processing time in days: China's gallium and germanium
#: licences (MOFCOM/GACC Announcement 23/2023, effective 1 Aug 2023) were first
#: granted in September 2023, and graphite licences took about 45 days
#: (Reuters, 2023).
LICENCE_DELAY_DAYS = 45.0

#: Days in a month for regime durations given in months (a Julian year over 12).
DAYS_PER_MONTH = 365.25 / 12

#: Tariff rates above this are an error (a rate is a fraction: 10 is 1,000 %).
MAX_TARIFF_RATE = 10.0
#: Tariff rates above this warn (250 %: higher than any rate in force on minerals or chips).
HIGH_TARIFF_RATE = 2.5


@dataclass(frozen=True, slots=True, kw_only=True)
class Tariff(Shock):
    """An ad-valorem tariff levied by ``importer`` on ``commodity`` from ``exporter``.

    See docs/model.md §6.4 (tariff).

    The landed cost of a matching lane becomes ``price * (1 + rate) + freight``
    (lanes within one region are never taxed). Buyers in ``importer`` shift
    their sourcing by a CES rule (Armington, 1969, *IMF Staff Papers* 16(1)):
    the share of lane *j* is proportional to
    ``base_share_j * (landed_j / landed_j,0) ** -sigma`` with ``sigma`` the
    commodity's ``elasticity`` and ``landed_j,0`` the baseline landed cost,
    which includes the tariffs in force on day 0. A tariff that starts before
    the scenario's start date is in force: charged from day 0 but moving no
    share. The shift happens over the switching lag
    (`SWITCHING_LAG_DAYS` by value chain unless ``switching_lag_days``
    is given). Rates of several tariffs on one lane add. ``announced`` is kept
    as information only (no front-running). The tariff is levied on the days
    ``start <= day < end`` (``end`` exclusive, the first day without it).

    Parameters
    ----------
    importer : str
        Region levying the tariff (the buyer's region).
    commodity : str
        Commodity taxed, or ``"*"`` for every commodity.
    rate : float
        Ad-valorem rate as a fraction, e.g. ``0.25`` for 25 %.
    exporter : str
        Region taxed, or ``"*"`` for every foreign origin.
    switching_lag_days : int, optional
        Days for sourcing to move to its new shares.
    demand_elasticity : float
        Absolute own-price elasticity of final demand (0 = no demand
        response); final demand scales by ``P ** -demand_elasticity`` where
        ``P`` is the buyer's CES landed-price index relative to baseline.
        Battery minerals are inelastic, about 0.1-0.5 (Shojaeddini, Alonso &
        Nassar, 2024, *Resources, Conservation & Recycling* 107664).
    origin_input : str, optional
        Rule of origin: the input commodity whose place of production is the
        good's customs origin, e.g. ``"logic_wafer"`` for logic chips (US
        customs treat an integrated circuit as originating where its wafer
        was fabricated, not where it was packaged; docs/model.md §6.4.1). A
        lane of ``commodity`` into ``importer`` then pays ``rate`` times the
        share of its origin facility's ``origin_input`` bought from
        ``exporter``'s facilities (any foreign region's for ``"*"``), at
        baseline shares. ``None`` (the default): the origin is the lane's
        origin region.

    Notes
    -----
    Limits: ``rate`` in ``[0, 10]`` (above 2.5 warns with a
    `SimulationWarning`); ``switching_lag_days``
    a whole number in ``[1, 3650]``; ``demand_elasticity`` in ``[0, 10]``.

    Examples
    --------
    >>> import datetime as dt
    >>> t = Tariff(importer="US", exporter="CN", commodity="aam", rate=0.25,
    ...            start=dt.date(2026, 1, 1))
    >>> t.to_dict()["rate"]
    0.25
    >>> Tariff(importer="US", exporter="CN", commodity="aam", rate=100)
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: rate must be <= 10 (rate is a fraction: 0.25 means 25 %); got 100 for Tariff.
    """

    importer: str
    commodity: str
    rate: float
    exporter: str = "*"
    switching_lag_days: int | None = None
    demand_elasticity: float = 0.0
    origin_input: str | None = None
    kind: ClassVar[str] = "tariff"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        for name in ("importer", "exporter", "commodity"):
            check_id(getattr(self, name), name, "Tariff")
        if self.importer == self.exporter:
            raise fail("exporter", f"a region other than the importer {self.importer!r}",
                       self.exporter, "Tariff")
        rate = check_number(self.rate, "rate", "Tariff", low=0.0)
        if rate > MAX_TARIFF_RATE:
            raise fail("rate", f"<= {MAX_TARIFF_RATE:g} (rate is a fraction: 0.25 means 25 %)", self.rate, "Tariff")
        if rate > HIGH_TARIFF_RATE:
            warnings.warn(f"Tariff {self.importer}<-{self.exporter} {self.commodity}: rate {rate:g} means "
                          f"{100 * rate:,.0f} % (rate is a fraction: 0.25 means 25 %).", SimulationWarning,
                          stacklevel=3)
        set_field(self, "rate", rate)
        if self.switching_lag_days is not None:
            set_field(self, "switching_lag_days",
                      int(days(self.switching_lag_days, "switching_lag_days", "Tariff", low=1, whole=True)))
        set_field(self, "demand_elasticity", check_magnitude(self.demand_elasticity, "demand_elasticity", "Tariff",
                                                             high=10.0))
        if self.origin_input is not None:
            check_id(self.origin_input, "origin_input", "Tariff")
            if self.commodity == "*":
                raise fail("commodity", "one commodity when origin_input is given (a rule of origin names the "
                           "input of one good)", self.commodity, "Tariff")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportControl(Shock):
    """An export control by ``exporter`` on ``commodity``.

    See docs/model.md §6.5 (export-control).

    ``mode`` selects the regime:

    ``"ban"``
        Nothing ships on matching lanes, except through a leakage route via
        third countries: at most ``leakage_capacity`` units a day over all
        matching lanes together (or ``leakage`` times their baseline flow),
        rationed pro rata like a quota, taking ``leakage_extra_days`` longer
        and costing ``leakage_extra_cost`` more (a fraction of the reference
        price, recorded, not charged to sourcing).
    ``"licence"``
        Every order on a matching lane is an application: it waits a
        ``processing_delay`` drawn per application (on order, not in
        transit), then is approved or denied as a whole. An approved volume
        joins the supplier's order book; a denied one returns to the buyer,
        who re-orders. An approval covers its own volume, or with
        ``licence_validity_days`` every order on that lane for that many
        days. The regime is ``"open"`` (approval probability
        ``approval_probability``) or ``"restrictive"``
        (``restrictive_approval_probability``) and switches between the two
        as a two-state Markov chain with mean sojourns ``mean_open_months``
        and ``mean_restrictive_months`` (``None``: it never leaves that
        state), starting in ``initial_state``. ``approval_probability``
        defaults to 1: every application passes, so the regime left at its
        defaults is only a delay. Set it for a licensing that denies (the
        shipped ``gallium_germanium_2023`` approves half; China's 2025 magnet
        licensing about 0.52 of decisions, ``tools/magnet_path.py``).
    ``"quota"``
        At most ``quota_per_period`` units leave over all matching lanes
        together in each ``period_days`` window from ``start`` (unused quota
        lapses); when orders exceed what is left, every lane gets the same
        fraction.

    The control holds on the days ``start <= day < end``: ``end`` is
    exclusive, the first day on which goods ship again (``end=None``: to the
    end of the horizon), as for every shock.

    Between ``announced`` and ``start`` buyers on matching lanes front-load:
    from the announcement day their order-up-to level is raised by
    ``front_load_days`` of the baseline flow on those lanes, ordered at
    once; it falls back at ``start``.

    Parameters
    ----------
    exporter, commodity : str
        Controlling region and commodity (``"*"``: every commodity it exports).
    destinations : list of str, optional
        Regions covered (``None``: every other region).
    except_destinations : list of str, optional
        Regions exempted.

    Notes
    -----
    Limits: ``processing_delay`` a distribution of days in ``[0, 3650]``
    (its 1 - 1e-9 quantile for an unbounded one); ``period_days`` a whole
    number in ``[1, 3650]``; ``leakage_extra_days`` and ``front_load_days``
    in ``[0, 3650]``; ``quota_per_period`` and ``leakage_capacity`` in
    ``[0, 1e12]`` units; ``leakage_extra_cost`` in ``[0, 1e6]``;
    ``licence_validity_days`` in ``[1, 3650]``; ``mean_open_months`` and
    ``mean_restrictive_months`` in ``[1 day, 120 months]`` (a month is
    365.25 / 12 days). Licence fields other than ``approval_probability``
    and ``processing_delay`` need ``mode="licence"``; leakage fields need
    ``mode="ban"``; ``leakage`` and ``leakage_capacity`` exclude each
    other.

    Examples
    --------
    >>> import datetime as dt
    >>> ec = ExportControl(exporter="CN", commodity="gallium", mode="licence",
    ...                    approval_probability=0.5, start=dt.date(2023, 8, 1),
    ...                    announced=dt.date(2023, 7, 3))
    >>> ec.processing_delay
    Fixed(value=45.0)

    A ban from 1 March to 1 September 2025: nothing ships on days 59 to 242
    of a year from 1 January; day 243, 1 September, ships again:

    >>> ExportControl(exporter="CN", commodity="gallium", start="2025-03-01",
    ...               end="2025-09-01").window(dt.date(2025, 1, 1), 365)
    (59, 243)
    >>> ExportControl(exporter="CN", commodity="gallium", mode="licence", approval_probability=0.9,
    ...               restrictive_approval_probability=0.1, mean_open_months=6.0,
    ...               mean_restrictive_months=3.0).mean_restrictive_months
    3.0
    >>> ExportControl(exporter="CN", commodity="gallium", mode="embargo")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: mode must be one of 'ban', 'licence', 'quota'; got 'embargo' for ExportControl.
    """

    exporter: str
    commodity: str
    mode: Literal["ban", "licence", "quota"] = "ban"
    destinations: tuple[str, ...] | None = None
    except_destinations: tuple[str, ...] | None = None
    approval_probability: float = 1.0
    processing_delay: Distribution = field(default_factory=lambda: Fixed(LICENCE_DELAY_DAYS))
    quota_per_period: float | None = None
    period_days: int = 30
    leakage: float = 0.0
    leakage_extra_days: float = 30.0
    leakage_extra_cost: float = 0.0
    front_load_days: float = 30.0
    leakage_capacity: float | None = None
    licence_validity_days: float | None = None
    restrictive_approval_probability: float | None = None
    mean_open_months: float | None = None
    mean_restrictive_months: float | None = None
    initial_state: Literal["open", "restrictive", "stationary"] = "open"
    kind: ClassVar[str] = "export_control"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "ExportControl"
        check_id(self.exporter, "exporter", k)
        check_id(self.commodity, "commodity", k)
        check_choice(self.mode, ("ban", "licence", "quota"), "mode", k)
        set_field(self, "destinations", ids_or_none(self.destinations, "destinations", k))
        set_field(self, "except_destinations", ids_or_none(self.except_destinations, "except_destinations", k))
        set_field(self, "approval_probability", check_probability(self.approval_probability,
                                                                  "approval_probability", k))
        set_field(self, "processing_delay", day_distribution(self.processing_delay, "processing_delay", k))
        if self.mode == "quota":
            if self.quota_per_period is None:
                raise fail("quota_per_period", "given when mode is 'quota': the most units that may leave over the "
                           "matching lanes in each period_days window, a number >= 0 (e.g. quota_per_period = 500.0)",
                           None, k)
            set_field(self, "quota_per_period", check_magnitude(self.quota_per_period, "quota_per_period", k,
                                                                high=MAX_QUANTITY))
        elif self.quota_per_period is not None:
            raise fail("quota_per_period", "None unless mode is 'quota' (leave it out)", self.quota_per_period, k)
        set_field(self, "period_days", int(days(self.period_days, "period_days", k, low=1, whole=True)))
        set_field(self, "leakage", check_probability(self.leakage, "leakage", k))
        if self.leakage > 0 and self.mode != "ban":
            raise fail("leakage", "0 unless mode is 'ban'", self.leakage, k)
        set_field(self, "leakage_extra_days", days(self.leakage_extra_days, "leakage_extra_days", k))
        set_field(self, "leakage_extra_cost", check_magnitude(self.leakage_extra_cost, "leakage_extra_cost", k))
        set_field(self, "front_load_days", days(self.front_load_days, "front_load_days", k))
        if self.leakage_capacity is not None:
            set_field(self, "leakage_capacity", check_magnitude(self.leakage_capacity, "leakage_capacity", k,
                                                                high=MAX_QUANTITY))
            if self.mode != "ban":
                raise fail("leakage_capacity", "None unless mode is 'ban' (leave it out)", self.leakage_capacity, k)
            if self.leakage > 0:
                raise fail("leakage_capacity", "None when leakage (a fraction of baseline flow) is given",
                           self.leakage_capacity, k)
        self._check_licence_regime(k)

    def _check_licence_regime(self, k: str) -> None:
        """Validate the application and Markov-regime fields (docs/model.md §6.5.2)."""
        if self.licence_validity_days is not None:
            set_field(self, "licence_validity_days", days(self.licence_validity_days, "licence_validity_days",
                                                          k, low=1))
        if self.restrictive_approval_probability is not None:
            set_field(self, "restrictive_approval_probability", check_probability(
                self.restrictive_approval_probability, "restrictive_approval_probability", k))
        for name in ("mean_open_months", "mean_restrictive_months"):
            value = getattr(self, name)
            if value is not None:
                set_field(self, name, check_magnitude(value, name, k, low=1.0 / DAYS_PER_MONTH,
                                                      high=MAX_DAYS / DAYS_PER_MONTH))
        check_choice(self.initial_state, ("open", "restrictive", "stationary"), "initial_state", k)
        if self.mode != "licence":
            for name in ("licence_validity_days", "restrictive_approval_probability", "mean_open_months",
                         "mean_restrictive_months"):
                if getattr(self, name) is not None:
                    raise fail(name, "None unless mode is 'licence' (leave it out)", getattr(self, name), k)
            return
        switching = self.mean_open_months is not None or self.initial_state != "open"
        if switching and self.restrictive_approval_probability is None:
            raise fail("restrictive_approval_probability",
                       "a probability when the regime can be restrictive (mean_open_months given or "
                       "initial_state not 'open')", None, k)
        if self.initial_state == "stationary" and (self.mean_open_months is None
                                                   or self.mean_restrictive_months is None):
            raise fail("initial_state", "'open' or 'restrictive' unless both mean_open_months and "
                       "mean_restrictive_months are given (no stationary distribution)", self.initial_state, k)

