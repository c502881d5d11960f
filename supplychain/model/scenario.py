"""A scenario: a network, the disruptions and responses applied to it, a horizon and a calendar.

Implements docs/model.md §6 (shocks) and §6.3 (shock-day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .._validation import DATE_FORM, MAX_DAYS, check_date, check_days, fail, parse_date
from ..errors import ValidationError
from ._checked import Checked
from ._display import brief, html_table, shocks_title
from .network import Network
from .paths import check_path
from .shocks import RandomOutage, Shock
from .shocks.references import check_references, with_region_ids
from .uncertainty import Uncertainty

__all__ = ["Scenario"]

_LISTED = 5  # shocks (and responses) listed by repr(Scenario)


class _DerivedDay(int):
    """A shock day derived from the shocks (not given by the user).

    ``Scenario`` stores its derived shock day as this ``int`` subclass so that a
    copy made with `dataclasses.replace` (new shocks, another horizon)
    derives it again instead of freezing a stale value as if it were explicit.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return int.__repr__(self)


def _check_unpacked(given: tuple[object, ...], method: str, what: str) -> None:
    """A list or tuple passed whole to ``with_shocks``/``with_responses`` (``with_shocks(ban)`` for
    ``with_shocks(*ban)``): an error saying how to pass it, not "must be a list" of a list."""
    for item in given:
        if isinstance(item, (list, tuple)):
            n = len(item)
            raise ValidationError(f"{what}s must be given one by one, {method}(*{what}s) for a list; got a "
                                  f"{type(item).__name__} of {n} {what}{'' if n == 1 else 's'} for Scenario.{method}.")


_DERIVED = re.compile(r"baseline(?: \+ (\d+) shocks?)?(?: \+ (\d+) responses?)?")


def _derived_name(current: str, given: str | None, added: tuple[Shock, ...]) -> str:
    """The name of a copy with ``added`` shocks or responses: ``given``, else a derived one.

    A scenario still named ``"baseline"`` (or a name derived so) is named by what was added, disruptions
    and responses counted apart (``"baseline + 3 shocks + 1 response"``), so that a shocked run is not
    reported as the baseline; any other name is kept.

    >>> from supplychain.model import CapacityShock, StockpileRelease
    >>> quake = CapacityShock(region="CN", fraction_lost=0.6, start=10, end=40)
    >>> aid = StockpileRelease(region="JP", commodity="logic_chip", reserve=10.0, release_below_cover_days=5)
    >>> _derived_name("baseline", None, (quake, quake, aid))
    'baseline + 2 shocks + 1 response'
    >>> _derived_name("baseline + 2 shocks", None, (aid,))
    'baseline + 2 shocks + 1 response'
    >>> _derived_name("quake", None, (aid,))
    'quake'
    """
    if given is not None:
        return given
    match = _DERIVED.fullmatch(current)
    if match is None or not added:
        return current
    n_responses = int(match[2] or 0) + sum(1 for s in added if s.is_response)
    n_shocks = int(match[1] or 0) + sum(1 for s in added if not s.is_response)
    parts = [f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in ((n_shocks, "shock"), (n_responses, "response")) if n]
    return " + ".join(["baseline", *parts])


@dataclass(frozen=True, slots=True)
class Scenario(Checked):
    """Everything needed to run a simulation, as immutable data.

    See docs/model.md §6 (shocks) and §6.3 (shock-day).

    Parameters
    ----------
    network : Network
        The supply network.
    shocks : tuple of Shock
        Disruptions (tariffs, export controls, capacity, logistics and demand
        shocks, random outages). Responses given here are moved to
        ``responses``, so older code that lists them together keeps working.
    horizon_days : int
        Number of simulated days.
    start_date : datetime.date
        Calendar date of day 0, so that shocks can be given by date.
    seed : int, optional
        Default seed used when `supplychain.simulate` gets none.
    name : str
        Label used in tables and plots.
    responses : tuple of Shock
        Policy responses (`Response`:
        stockpile releases, capacity investment, safety-stock changes). They
        apply together with the disruptions but never set the shock day.
    shock_day : int, optional
        Day from which time-to-survive, time-to-recover, resilience loss and
        the trade windows are measured by default. Without it, the earliest
        start in ``[0, horizon_days)`` of a disruption that is not in force on
        day 0 (`Shock.in_force`) and not a
        `RandomOutage`; ``None`` when there is
        none.
    uncertainties : tuple of Uncertainty
        Parameters drawn anew in each run (a shock's duration, a loss's
        size): `supplychain.simulate` draws each run's values from that
        run's own seed stream (common random numbers: the same seed gives
        every scenario the same draws) and runs the scenario with them put in
        by `substitute`. Each path must name a
        parameter of this scenario (give the shock an ``id``).
    price_feedback : bool
        Whether scarcity prices act on the run (docs/model.md §5.9): final
        demand falls with its market's price and sourcing shares tilt away
        from dear origins. Prices are computed and recorded either way;
        ``False`` (the default) keeps quantities as without prices.
    shock_origins : tuple of (Shock, str)
        Where shocks were written, as pairs such as ``(shock, "run.toml,
        [[shocks]] entry 3")``; `supplychain.io.load_scenario` sets
        them, so that an error found when the scenario is compiled names the
        file's entry, as errors found while loading do. A shock not listed
        (added or changed later) is named by its place in ``shocks`` or
        ``responses``. They change no result and take no part in ``==``.
    against_record : str
        What the published record says this scenario gets wrong, in a
        sentence or two with its source, for a scenario that re-plays a real
        episode (``""`` when nothing is known to be off). `supplychain run`
        prints it under the run's header, so that a number known to be wrong
        is never read without its caveat. It changes no result and takes no
        part in ``==``.

    Notes
    -----
    Limits: ``horizon_days`` a whole number in ``[1, 3650]``; ``start_date``
    from 1900-01-01 to 2200-12-31; ``shock_day`` in ``[0, horizon_days)``.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> from supplychain.model import CapacityShock, StockpileRelease
    >>> s = load_baseline().with_horizon(300).with_shocks(
    ...     CapacityShock(region="CN", stage="mine", fraction_lost=0.5, start=40, end=100),
    ...     StockpileRelease(region="JP", commodity="gallium", reserve=100.0,
    ...                      release_below_cover_days=10, start=10))
    >>> len(s.shocks), len(s.responses), s.shock_day
    (1, 1, 40)
    >>> s.replace(shock_day=30).shock_day
    30
    """

    network: Network
    shocks: tuple[Shock, ...] = field(default=())
    horizon_days: int = 365
    start_date: dt.date = dt.date(2025, 1, 1)
    seed: int | None = None
    name: str = "scenario"
    responses: tuple[Shock, ...] = field(default=())
    shock_day: int | None = None
    uncertainties: tuple[Uncertainty, ...] = field(default=())
    price_feedback: bool = False
    shock_origins: tuple[tuple[Shock, str], ...] = field(default=(), compare=False, repr=False)
    against_record: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.network, Network):
            raise fail("network", "a Network", type(self.network).__name__, "Scenario", self.name)
        disruptions: list[Shock] = []
        responses: list[Shock] = []
        for field_name in ("shocks", "responses"):
            given = getattr(self, field_name)
            if isinstance(given, (Shock, str, bytes, dict)) or not isinstance(given, Iterable):
                raise fail(field_name, "a list of Shock objects", given, "Scenario", self.name)
            for s in tuple(given):
                if not isinstance(s, Shock):
                    raise fail(field_name, "a list of Shock objects", s, "Scenario", self.name)
                if field_name == "responses" and not s.is_response:
                    raise fail("responses", "a list of responses (disruptions belong in shocks)", s,
                               "Scenario", self.name)
                (responses if s.is_response else disruptions).append(s)
        # Regions written by name ("China", "South Korea") are given as their ids, as scenario files do.
        names = {r.id: getattr(r, "name", None) for r in self.network.regions}
        object.__setattr__(self, "shocks", tuple(with_region_ids(s, names) for s in disruptions))
        object.__setattr__(self, "responses", tuple(with_region_ids(s, names) for s in responses))
        # A misspelt region, commodity, facility or stage fails here, where the shock was added.
        for field_name in ("shocks", "responses"):
            for i, s in enumerate(getattr(self, field_name)):
                check_references(s, self.network, f"{field_name} entry {i + 1}")
        if isinstance(self.horizon_days, bool) or not isinstance(self.horizon_days, int):
            raise fail("horizon_days", "a whole number of days", self.horizon_days, "Scenario", self.name)
        check_days(self.horizon_days, "horizon_days", "Scenario", self.name, low=1, high=MAX_DAYS)
        if isinstance(self.start_date, str):  # "2025-03-01", as shocks take their dates
            object.__setattr__(self, "start_date", parse_date(self.start_date, "start_date", "Scenario", self.name))
        if not isinstance(self.start_date, dt.date):
            raise fail("start_date", f"a date ({DATE_FORM})", self.start_date, "Scenario", self.name)
        object.__setattr__(self, "start_date", check_date(self.start_date, "start_date", "Scenario", self.name))
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0):
            raise fail("seed", "a non-negative integer or None", self.seed, "Scenario", self.name)
        if self.shock_day is None or isinstance(self.shock_day, _DerivedDay):
            derived = self._first_disruption_day()
            object.__setattr__(self, "shock_day", None if derived is None else _DerivedDay(derived))
        elif (isinstance(self.shock_day, bool) or not isinstance(self.shock_day, int)
              or not 0 <= self.shock_day < self.horizon_days):
            raise fail("shock_day", f"a whole day in [0, {self.horizon_days}) or None", self.shock_day,
                       "Scenario", self.name)
        self._check_uncertainties()
        if not isinstance(self.price_feedback, bool):
            raise fail("price_feedback", "true or false", self.price_feedback, "Scenario", self.name)
        if not isinstance(self.against_record, str):
            raise fail("against_record", "a text (what the record says the scenario gets wrong)",
                       self.against_record, "Scenario", self.name)

    def _check_uncertainties(self) -> None:
        given = self.uncertainties
        if isinstance(given, (Uncertainty, str, bytes, dict)) or not isinstance(given, Iterable):
            raise fail("uncertainties", "a list of Uncertainty objects", given, "Scenario", self.name)
        given = tuple(given)
        seen: set[str] = set()
        for u in given:
            if not isinstance(u, Uncertainty):
                raise fail("uncertainties", "a list of Uncertainty objects", u, "Scenario", self.name)
            check_path(u.path, shocks=self.shocks, responses=self.responses, network=self.network)
            if u.path in seen:
                raise fail("uncertainties", "one entry per path", u.path, "Scenario", self.name)
            seen.add(u.path)
        object.__setattr__(self, "uncertainties", given)

    def _first_disruption_day(self) -> int | None:
        days = [d for s in self.shocks if not isinstance(s, RandomOutage)
                for d in [s.start_day(self.start_date)] if 0 <= d < self.horizon_days]
        return min(days) if days else None

    @property
    def all_shocks(self) -> tuple[Shock, ...]:
        """Disruptions then responses: everything the compile step applies."""
        return self.shocks + self.responses

    @property
    def title(self) -> str:
        """What plots title the scenario: its name, or, when the name was derived (``"baseline + 1 shock"``,
        no name given), its shocks told in words (``"CN ban on gallium from 2025-03-01, 180 days"``).

        Examples
        --------
        >>> from supplychain.analytics._toy import toy_scenario
        >>> from supplychain.model import CapacityShock
        >>> quake = CapacityShock(region="CN", fraction_lost=0.6, start=10, end=40)
        >>> base = toy_scenario(100).replace(name="baseline")
        >>> base.title, base.with_shocks(quake).title, base.with_shocks(quake, name="quake").title
        ('baseline', 'CN capacity -60% from 2025-01-11, 30 days', 'quake')
        """
        if _DERIVED.fullmatch(self.name) is None or not self.all_shocks:
            return self.name
        return shocks_title(self.all_shocks, self.start_date)

    @property
    def shock_day_given(self) -> bool:
        """True when ``shock_day`` was given explicitly (not derived from the shocks)."""
        return self.shock_day is not None and not isinstance(self.shock_day, _DerivedDay)

    def in_force(self) -> tuple[Shock, ...]:
        """The shocks and responses that started before ``start_date`` (standing conditions on day 0)."""
        return tuple(s for s in self.all_shocks if s.in_force(self.start_date))

    def with_shocks(self, *shocks: Shock, name: str | None = None) -> Scenario:
        """A copy with ``shocks`` added (responses among them go to ``responses``).

        Parameters
        ----------
        *shocks : Shock
            The shocks (and responses) to add.
        name : str, optional
            The copy's name. By default the name is kept, except that a
            scenario still named ``"baseline"`` is named by what was added,
            shocks and responses counted apart (``"baseline + 3 shocks + 1
            response"``), so that a shocked run is not reported as the baseline.

        Examples
        --------
        >>> from supplychain.analytics._toy import toy_scenario
        >>> from supplychain.model import CapacityShock
        >>> quake = CapacityShock(region="CN", fraction_lost=0.6, start=10, end=40)
        >>> toy_scenario(100).replace(name="baseline").with_shocks(quake).name
        'baseline + 1 shock'
        >>> toy_scenario(100).replace(name="baseline").with_shocks(quake, name="quake").name
        'quake'

        A list is unpacked by the caller, ``with_shocks(*shocks)``:

        >>> toy_scenario(100).with_shocks([quake])
        Traceback (most recent call last):
        ...
        supplychain.errors.ValidationError: shocks must be given one by one, with_shocks(*shocks) for a list; got a list of 1 shock for Scenario.with_shocks.
        """
        _check_unpacked(shocks, "with_shocks", "shock")
        return dataclasses.replace(self, shocks=self.shocks + tuple(shocks),
                                   name=_derived_name(self.name, name, tuple(shocks)))

    def with_responses(self, *responses: Shock, name: str | None = None) -> Scenario:
        """A copy with ``responses`` added (each must be a response).

        ``name`` as in `with_shocks`: a scenario still named
        ``"baseline"`` becomes ``"baseline + N responses"`` (``"baseline + 3
        shocks + 1 response"`` after `with_shocks`) unless ``name`` is given.
        """
        _check_unpacked(responses, "with_responses", "response")
        return dataclasses.replace(self, responses=self.responses + tuple(responses),
                                   name=_derived_name(self.name, name, tuple(responses)))

    def with_uncertainty(self, path: str, distribution: object = None, *,
                         choices: Iterable[object] | None = None) -> Scenario:
        """A copy in which the parameter at ``path`` is drawn anew in each run.

        ``distribution`` is a `Distribution` (or a
        plain-data form of one); ``choices`` a list of equally likely values.

        Examples
        --------
        >>> from supplychain.analytics._toy import toy_scenario
        >>> from supplychain.model import CapacityShock, Triangular
        >>> sc = toy_scenario(100).with_shocks(
        ...     CapacityShock(id="quake", region="CN", fraction_lost=0.6, start=10, end=40)
        ... ).with_uncertainty("shocks.quake.duration_days", Triangular(10, 30, 60))
        >>> [u.path for u in sc.uncertainties]
        ['shocks.quake.duration_days']
        """
        unc = Uncertainty(path, distribution, None if choices is None else tuple(choices))
        kept = tuple(u for u in self.uncertainties if u.path != unc.path)
        return dataclasses.replace(self, uncertainties=kept + (unc,))

    def without_shocks(self, *, keep_in_force: bool = True, name: str | None = None) -> Scenario:
        """The unshocked baseline: a copy without its disruptions, responses and explicit shock day.

        Shocks in force on day 0 are standing conditions, part of the
        baseline, and stay unless ``keep_in_force=False``.

        Examples
        --------
        >>> from supplychain.analytics._toy import toy_scenario
        >>> from supplychain.model import Tariff
        >>> sc = toy_scenario(100).with_shocks(
        ...     Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.1, start=-30),
        ...     Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.2, start=10))
        >>> [s.start for s in sc.without_shocks().shocks], sc.without_shocks().shock_day
        ([-30], None)
        """
        keep = self.in_force() if keep_in_force else ()
        ids = {s.id for s in keep if s.id is not None}
        # Uncertain parameters of removed shocks go with them; those of the network stay.
        uncertain = tuple(u for u in self.uncertainties
                          if u.path.startswith("network.") or u.path.startswith("shocks.")
                          and u.path.split(".")[1] in ids)
        return dataclasses.replace(self, shocks=keep, responses=(), shock_day=None, uncertainties=uncertain,
                                   name=self.name if name is None else name)

    def with_horizon(self, horizon_days: int) -> Scenario:
        """A copy with another horizon."""
        return dataclasses.replace(self, horizon_days=horizon_days)

    def replace(self, **changes: object) -> Scenario:
        """A copy with fields replaced (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def date_of(self, day: int) -> dt.date:
        """Calendar date of day index ``day``."""
        return self.start_date + dt.timedelta(days=int(day))

    # Display --------------------------------------------------------------------------------
    def __repr__(self) -> str:
        """A few lines: name, calendar, network size, and each shock and response in brief.

        At most five shocks and five responses are listed (then how many more).

        Examples
        --------
        >>> from supplychain.analytics._toy import toy_scenario
        >>> from supplychain.model import Tariff
        >>> toy_scenario(100).with_shocks(Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.2,
        ...                                      start=10))  # doctest: +NORMALIZE_WHITESPACE
        Scenario('toy', 100 days from 2025-01-01, shock day 10;
          Network(5 regions, 2 commodities, 3 facilities, 4 lanes, 2 demands; regions CN, ROW, KR, US, JP)
          shock: Tariff(importer='KR', commodity='ore', rate=0.2, exporter='CN', start=10))
        """
        head = f"Scenario({self.name!r}, {self._calendar()};"
        lines = [head, f"  {self.network!r}"]
        for label, items in (("shocks", self.shocks), ("responses", self.responses)):
            lines += [f"  {label[:-1]}: {brief(s)}" for s in items[:_LISTED]]
            if len(items) > _LISTED:
                lines.append(f"  and {len(items) - _LISTED} more {label}")
        return "\n".join(lines) + ")"

    def _calendar(self) -> str:
        day = "no shock day" if self.shock_day is None else f"shock day {int(self.shock_day)}"
        feedback = ", price feedback on" if self.price_feedback else ""
        return f"{self.horizon_days} days from {self.start_date.isoformat()}, {day}{feedback}"

    def _repr_html_(self) -> str:
        rows: list[tuple[str, object]] = [("calendar", self._calendar()), ("network", self.network._sizes())]
        if self.seed is not None:
            rows.append(("seed", self.seed))
        rows += [(f"shock {i + 1}", brief(s)) for i, s in enumerate(self.shocks)]
        rows += [(f"response {i + 1}", brief(s)) for i, s in enumerate(self.responses)]
        return html_table(f"Scenario {self.name!r}", rows)
