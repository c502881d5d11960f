"""Shocks and responses applied to a network over time.

A shock is immutable data: when it starts and ends (a day number counted from
the scenario's start date, or a calendar date), an optional announcement date,
and what it does. Engines never read shocks directly; the compile step turns
them into daily schedules (see :mod:`supplychain.compile.schedules`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field
from typing import Any, ClassVar, Literal

from .._validation import check_id, check_number, check_probability, close_matches, fail
from ..errors import ValidationError
from .dists import Distribution, Fixed, distribution_from_dict

__all__ = [
    "LICENCE_DELAY_DAYS",
    "SWITCHING_LAG_DAYS",
    "DayOrDate",
    "ExportControl",
    "Shock",
    "Tariff",
    "shock_from_dict",
    "shock_kinds",
    "to_day",
]

DayOrDate = int | dt.date


def to_day(value: DayOrDate, start_date: dt.date, field: str = "start", kind: str = "Shock") -> int:
    """Convert a day number or calendar date into a day index from ``start_date``.

    Examples
    --------
    >>> import datetime as dt
    >>> to_day(dt.date(2023, 8, 1), dt.date(2023, 1, 1))
    212
    >>> to_day(10, dt.date(2023, 1, 1))
    10
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value - start_date).days
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(field, "a whole day number or a date (YYYY-MM-DD)", value, kind)
    return value


_REGISTRY: dict[str, type[Shock]] = {}


@dataclass(frozen=True, slots=True)
class Shock:
    """Base class: a time window ``[start, end)`` and an optional announcement.

    ``end=None`` means the shock lasts to the end of the horizon. Subclasses
    set a ``kind`` class variable, the name used in scenario files, and are
    registered under it for :func:`shock_from_dict`.
    """

    start: DayOrDate = 0
    end: DayOrDate | None = None
    announced: DayOrDate | None = None
    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # dataclass(slots=True) builds the class twice; the last (slotted) one wins.
        if cls.kind:
            _REGISTRY[cls.kind] = cls

    def __post_init__(self) -> None:
        name = type(self).__name__
        for when in ("start", "end", "announced"):
            value = getattr(self, when)
            if isinstance(value, str):
                # ISO dates typed as text ("2025-03-01") are stored as dates, so files round-trip.
                try:
                    object.__setattr__(self, when, dt.date.fromisoformat(value))
                except ValueError:
                    raise fail(when, "a whole day number or a date (YYYY-MM-DD)", value, name) from None
            elif isinstance(value, dt.datetime):
                object.__setattr__(self, when, value.date())
        to_day(self.start, dt.date(2000, 1, 1), "start", name)
        if self.end is not None:
            to_day(self.end, dt.date(2000, 1, 1), "end", name)
            if type(self.start) is type(self.end) and self.end <= self.start:  # type: ignore[operator]
                raise fail("end", f"after start ({self.start})", self.end, name)
        if self.announced is not None:
            to_day(self.announced, dt.date(2000, 1, 1), "announced", name)
            if type(self.start) is type(self.announced) and self.announced > self.start:  # type: ignore[operator]
                raise fail("announced", f"on or before start ({self.start})", self.announced, name)

    def announcement(self, start_date: dt.date) -> int | None:
        """Day index of the announcement, or ``None`` when there is none."""
        if self.announced is None:
            return None
        return to_day(self.announced, start_date, "announced", type(self).__name__)

    def window(self, start_date: dt.date, n_days: int) -> tuple[int, int]:
        """The active days ``[first, stop)`` clipped to ``[0, n_days]`` (empty when outside).

        Examples
        --------
        >>> import datetime as dt
        >>> Shock(start=dt.date(2025, 1, 11)).window(dt.date(2025, 1, 1), 5)
        (5, 5)
        """
        first = to_day(self.start, start_date, "start", type(self).__name__)
        stop = n_days if self.end is None else to_day(self.end, start_date, "end", type(self).__name__)
        if self.end is not None and stop <= first:
            raise fail("end", f"after start ({self.start})", self.end, type(self).__name__)
        return max(0, min(first, n_days)), max(0, min(stop, n_days))

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for scenario files (``None`` fields omitted)."""
        out: dict[str, Any] = {"kind": self.kind}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
            elif hasattr(value, "to_dict"):
                value = value.to_dict()
            out[name] = value
        return out


# Helpers for subclasses ---------------------------------------------------------------------------

def _ids(value: Any, field_name: str, kind: str) -> tuple[str, ...] | None:
    """``None`` or a non-empty tuple of ids (a single string is accepted as one id)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, dict):
        raise fail(field_name, "a list of region ids or None", value, kind)
    out = tuple(check_id(v, field_name, kind) for v in value)
    if not out:
        raise fail(field_name, "a non-empty list of region ids or None", value, kind)
    return out


def _days(value: Any, field_name: str, kind: str) -> float:
    return check_number(value, field_name, kind, low=0.0)


def _set(obj: object, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


#: Days to qualify a new supplier, per value chain (ASSUMPTION, see below).
#: Minerals and refined metals are near-commodities (about 2 months to test a
#: new source); battery materials need cell-level qualification (about 6
#: months); chip materials and chips need fab or customer requalification
#: (about 9 months). These are the modelling defaults documented in
#: ``calibration.md`` section 4.2 (SME order-to-delivery 6-12 months) and
#: section 4.4 (near-zero short-run substitution for chips); they are
#: assumptions, not measured values. Unknown chains use ``"default"``.
SWITCHING_LAG_DAYS: dict[str, int] = {
    "minerals": 60, "batteries": 180, "semiconductors": 270, "default": 90}

#: Default export-licence processing time: China's Ga/Ge/graphite/REE licences
#: took about 45-60 days (calibration.md section 4.2, Reuters/Tradium; Adamas).
LICENCE_DELAY_DAYS = 45.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Tariff(Shock):
    """An ad-valorem tariff levied by ``importer`` on ``commodity`` from ``exporter``.

    The landed cost of a matching lane becomes ``price * (1 + rate) + freight``
    (lanes within one region are never taxed). Buyers in ``importer`` shift
    their sourcing by a calibrated CES rule: the share of lane *j* is
    proportional to ``base_share_j * (landed_j / landed_j,day0) ** -sigma``
    with ``sigma`` the commodity's ``elasticity``. The network's shares are
    taken as observed on day 0, so a tariff already in force then (start at
    or before day 0) is paid but moves no share. The shift happens linearly
    over the switching lag (:data:`SWITCHING_LAG_DAYS` by value chain unless
    ``switching_lag_days`` is given). Rates of several tariffs on one lane
    add. ``announced`` is kept as information only (no front-running).

    Parameters
    ----------
    importer : str
        Region levying the tariff (the buyer's region).
    commodity : str
        Commodity taxed, or ``"*"`` for every commodity.
    rate : float
        Ad-valorem rate, e.g. ``0.25`` for 25 %.
    exporter : str
        Region taxed, or ``"*"`` for every foreign origin.
    switching_lag_days : int, optional
        Days for sourcing to move to its new shares.
    demand_elasticity : float
        Absolute own-price elasticity of final demand (0 = no demand
        response); final demand scales by ``P ** -demand_elasticity`` where
        ``P`` is the buyer's CES landed-price index relative to baseline.
        Battery minerals are inelastic, about 0.1-0.5 (calibration.md 4.4).

    Examples
    --------
    >>> import datetime as dt
    >>> t = Tariff(importer="US", exporter="CN", commodity="graphite", rate=0.25,
    ...            start=dt.date(2026, 1, 1))
    >>> t.to_dict()["rate"]
    0.25
    >>> shock_from_dict(t.to_dict()) == t
    True
    """

    importer: str
    commodity: str
    rate: float
    exporter: str = "*"
    switching_lag_days: int | None = None
    demand_elasticity: float = 0.0
    kind: ClassVar[str] = "tariff"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        for name in ("importer", "exporter", "commodity"):
            check_id(getattr(self, name), name, "Tariff")
        if self.importer == self.exporter:
            raise fail("exporter", f"a region other than the importer {self.importer!r}",
                       self.exporter, "Tariff")
        _set(self, "rate", check_number(self.rate, "rate", "Tariff", low=0.0))
        if self.switching_lag_days is not None:
            lag = check_number(self.switching_lag_days, "switching_lag_days", "Tariff", low=1)
            if lag != int(lag):
                raise fail("switching_lag_days", "a whole number of days >= 1", self.switching_lag_days, "Tariff")
            _set(self, "switching_lag_days", int(lag))
        _set(self, "demand_elasticity", check_number(self.demand_elasticity, "demand_elasticity", "Tariff",
                                                     low=0.0))


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportControl(Shock):
    """An export control by ``exporter`` on ``commodity``.

    ``mode`` selects the regime:

    ``"ban"``
        Nothing ships on matching lanes, except a ``leakage`` fraction of the
        ordered volume rerouted through third countries, which takes
        ``leakage_extra_days`` longer and costs ``leakage_extra_cost`` more
        (a fraction of the reference price, recorded, not charged to sourcing).
    ``"licence"``
        Every day's order on a matching lane is approved with probability
        ``approval_probability`` (independently per run, lane and day) and,
        once approved, waits ``processing_delay`` days before it moves (the
        wait is counted as time in transit). Denied orders are re-placed the
        next day by the buyer's policy.
    ``"quota"``
        At most ``quota_per_period`` units leave over all matching lanes
        together in each ``period_days`` window from ``start`` (unused quota
        lapses); when orders exceed what is left, every lane gets the same
        fraction.

    Between ``announced`` and ``start`` buyers on matching lanes front-load:
    their order-up-to level rises linearly to ``front_load_days`` of the
    baseline flow on those lanes (the cap), then falls back at ``start``.

    Parameters
    ----------
    exporter, commodity : str
        Controlling region and commodity (``"*"``: every commodity it exports).
    destinations : list of str, optional
        Regions covered (``None``: every other region).
    except_destinations : list of str, optional
        Regions exempted.

    Examples
    --------
    >>> import datetime as dt
    >>> ec = ExportControl(exporter="CN", commodity="gallium", mode="licence",
    ...                    approval_probability=0.5, start=dt.date(2023, 8, 1),
    ...                    announced=dt.date(2023, 7, 3))
    >>> ec.processing_delay
    Fixed(value=45.0)
    >>> shock_from_dict(ec.to_dict()) == ec
    True
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
    kind: ClassVar[str] = "export_control"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "ExportControl"
        check_id(self.exporter, "exporter", k)
        check_id(self.commodity, "commodity", k)
        if self.mode not in ("ban", "licence", "quota"):
            raise fail("mode", "one of 'ban', 'licence', 'quota'", self.mode, k)
        _set(self, "destinations", _ids(self.destinations, "destinations", k))
        _set(self, "except_destinations", _ids(self.except_destinations, "except_destinations", k))
        _set(self, "approval_probability", check_probability(self.approval_probability, "approval_probability", k))
        delay = distribution_from_dict(self.processing_delay, "processing_delay")
        if delay.minimum < 0:
            raise fail("processing_delay", "a distribution of non-negative days", delay, k)
        _set(self, "processing_delay", delay)
        if self.mode == "quota":
            if self.quota_per_period is None:
                raise fail("quota_per_period", "a number of units >= 0 when mode is 'quota'", None, k)
            _set(self, "quota_per_period", check_number(self.quota_per_period, "quota_per_period", k, low=0.0))
        elif self.quota_per_period is not None:
            raise fail("quota_per_period", "None unless mode is 'quota'", self.quota_per_period, k)
        period = check_number(self.period_days, "period_days", k, low=1)
        if period != int(period):
            raise fail("period_days", "a whole number of days >= 1", self.period_days, k)
        _set(self, "period_days", int(period))
        _set(self, "leakage", check_probability(self.leakage, "leakage", k))
        if self.leakage > 0 and self.mode != "ban":
            raise fail("leakage", "0 unless mode is 'ban'", self.leakage, k)
        _set(self, "leakage_extra_days", _days(self.leakage_extra_days, "leakage_extra_days", k))
        _set(self, "leakage_extra_cost", _days(self.leakage_extra_cost, "leakage_extra_cost", k))
        _set(self, "front_load_days", _days(self.front_load_days, "front_load_days", k))


# Scenario-file form -------------------------------------------------------------------------------

def shock_kinds() -> dict[str, type[Shock]]:
    """Every registered shock class by its ``kind`` (built-in ones included).

    Examples
    --------
    >>> sorted(shock_kinds())[:3]
    ['capacity_investment', 'capacity_shock', 'demand_shock']
    """
    from . import disruptions, responses  # noqa: F401  (registers their classes)
    return dict(_REGISTRY)


def _date_or_day(value: Any, field_name: str, kind: str) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise fail(field_name, "a whole day number or a date (YYYY-MM-DD)", value, kind) from None
    return value


def shock_from_dict(data: Any) -> Shock:
    """Build a shock from its plain-data form ``{"kind": ..., **fields}`` (inverse of ``to_dict``).

    Dates may be :class:`datetime.date` objects (TOML dates) or ISO strings;
    distributions use :func:`~supplychain.model.dists.distribution_from_dict`.

    Raises
    ------
    ValidationError
        If the kind or a field is unknown (close matches are suggested), a
        required field is missing or a value is out of range.

    Examples
    --------
    >>> shock_from_dict({"kind": "demand_shock", "region": "US", "commodity": "chip",
    ...                  "factor": 1.17, "start": "2021-01-01"}).start
    datetime.date(2021, 1, 1)
    >>> shock_from_dict({"kind": "tarif"})
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: kind must be a known shock kind (did you mean 'tariff'?); got 'tarif' for shock.
    """
    if not isinstance(data, dict) or "kind" not in data:
        raise fail("shock", "a table with a 'kind' key", data, "scenario")
    kinds = shock_kinds()
    params = dict(data)
    kind = params.pop("kind")
    if kind not in kinds:
        hits = close_matches(str(kind), kinds)
        hint = f"did you mean {', '.join(repr(h) for h in hits)}?" if hits else f"one of {sorted(kinds)}"
        raise fail("kind", f"a known shock kind ({hint})", kind, "shock")
    cls = kinds[kind]
    allowed = [f for f in cls.__dataclass_fields__]
    for key in params:
        if key not in allowed:
            hits = close_matches(key, allowed)
            hint = f" Did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
            raise ValidationError(f"field {key!r} is not a parameter of {cls.__name__}.{hint}")
    for key in ("start", "end", "announced"):
        if key in params:
            params[key] = _date_or_day(params[key], key, cls.__name__)
    missing = [f.name for f in cls.__dataclass_fields__.values()
               if f.name not in params and f.default is f.default_factory is MISSING]
    if missing:
        raise ValidationError(f"{', '.join(missing)} must be given for {cls.__name__}; got only "
                              f"{sorted(params)!r}.")
    return cls(**params)
