"""The one check every function that sets shocked runs against their baseline makes: is the pair swapped?

A swapped pair (the unshocked runs given as the results, the shocked ones as ``baseline=``) is not an
error the numbers show: every change simply flips sign, and a -$21.7bn loss reads like a gain. So each
function that takes ``(results, baseline)`` calls `warn_if_reversed`, computes as given and says so.
It lives here, in the lowest layer that takes results, so that metrics (`who_pays`), analytics
(`compare`, `value_added_loss_table`, `performance`) and plotting (`plot_change`) share it.

One call of the user's is checked once, under its own name: a function that takes a pair is
decorated with `checks_pair`, and the functions it calls with the same pair (`plot_resilience_curve`
calls `performance` and `time_to_survive`; `plot_who_pays` calls `who_pays`) do not check again, so
the user reads one warning naming the function they called, not one per helper.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ..errors import SimulationWarning

if TYPE_CHECKING:
    from ..model.scenario import Scenario

__all__ = ["checks_pair", "is_unshocked_version", "warn_if_reversed"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: The public function whose pair is being checked, while it runs: the calls inside it do not check again.
_CHECKING: ContextVar[str | None] = ContextVar("supplychain_pair_checked_by", default=None)


def is_unshocked_version(first: Scenario, second: Scenario) -> bool:
    """Whether ``first`` is ``second`` without its shocks (`Scenario.without_shocks`), names aside.

    Functions that set shocked runs against their baseline use it (through `warn_if_reversed`) to
    catch the pair given the wrong way round.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> from supplychain.model import DemandShock
    >>> shocked = load_baseline().with_horizon(10).with_shocks(DemandShock(region="US", commodity="logic_chip",
    ...                                                                    factor=2.0))
    >>> is_unshocked_version(shocked.without_shocks(), shocked), is_unshocked_version(shocked, shocked.without_shocks())
    (True, False)
    """
    try:
        unshocked = second.without_shocks(name=first.name)
        return bool(unshocked != second.replace(name=first.name) and unshocked == first)
    except Exception:  # a comparison that cannot be made (e.g. arrays inside) means "not known to be"
        return False


def warn_if_reversed(results: Any, baseline: Any, call: str, *, order: str | None = None,
                     right: str | None = None, stacklevel: int = 3) -> bool:
    """Warn (`SimulationWarning`) when ``baseline`` is the shocked runs and ``results`` their unshocked version.

    The pair is used as given (every change reversed) and said, never silently swapped: a caller
    may mean it. Runs of unrelated scenarios, or objects without a ``scenario``, are not checked.

    Parameters
    ----------
    results, baseline : Results or EnsembleResults
        What the caller was given as the shocked runs and as their baseline.
    call : str
        The public function's name, as the message names it.
    order : str, optional
        How ``call`` takes the pair, if not "the shocked runs first, then their baseline".
    right : str, optional
        The call that gives what the shock changed, if not ``call(shocked, baseline=base)``.
    stacklevel : int
        Frames above this function's caller to attribute the warning to (3: the user's call of a
        public function that calls this directly).

    Returns
    -------
    bool
        Whether it warned.

    Examples
    --------
    >>> import warnings
    >>> from supplychain import simulate, CapacityShock
    >>> from supplychain.analytics._toy import toy_scenario
    >>> base = toy_scenario(20)
    >>> shocked = simulate(base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=2, end=9)))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_if_reversed(simulate(base), shocked, "who_pays")
    True
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    who_pays(unshocked, shocked): ... call who_pays(shocked, baseline=base).
    """
    if _CHECKING.get() is not None:  # the function the user called checked this pair, under its name
        return False
    scenarios = (getattr(results, "scenario", None), getattr(baseline, "scenario", None))
    if None in scenarios or not is_unshocked_version(scenarios[0], scenarios[1]):
        return False
    order = order or "the shocked runs first, then their baseline"
    right = right or f"{call}(shocked, baseline=base)"
    warnings.warn(f"{call}(unshocked, shocked): {call} takes {order}, but the baseline given is the shocked "
                  f"runs of {scenarios[1].name!r} and the results their unshocked version, so this is the change "
                  f"from the shocked runs to the unshocked ones, every change reversed; for what the shock "
                  f"changed call {right}.", SimulationWarning, stacklevel=stacklevel)
    return True


def checks_pair(func: _F) -> _F:
    """Decorate a public function of ``(results, baseline)`` so that a swapped pair warns once, naming it.

    On entry it calls `warn_if_reversed` with the function's ``results`` and ``baseline`` arguments
    (by those names, positional or keyword; no check without a baseline) and the function's name;
    while the function runs, the functions it calls do not check again, so a plot that calls three
    measures warns once, under the plot's name, and the warning points at the user's line.

    Examples
    --------
    >>> import warnings
    >>> from supplychain import simulate, CapacityShock
    >>> from supplychain.analytics._toy import toy_scenario
    >>> @checks_pair
    ... def gap(results, baseline=None):
    ...     return inner(results, baseline=baseline)
    >>> @checks_pair
    ... def inner(results, baseline=None):
    ...     return results.n_days
    >>> base = toy_scenario(20)
    >>> shocked = simulate(base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=2, end=9)))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     gap(simulate(base), baseline=shocked)
    20
    >>> [str(w.message).split(":")[0] for w in caught]
    ['gap(unshocked, shocked)']
    """
    signature = inspect.signature(func)
    call = func.__name__

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if _CHECKING.get() is not None:
            return func(*args, **kwargs)
        try:
            given = signature.bind_partial(*args, **kwargs).arguments
        except TypeError:  # the call itself is wrong: let the function say so
            return func(*args, **kwargs)
        if given.get("baseline") is not None:
            warn_if_reversed(given.get("results"), given["baseline"], call, stacklevel=3)
        token = _CHECKING.set(call)
        try:
            return func(*args, **kwargs)
        finally:
            _CHECKING.reset(token)

    return cast(_F, checked)
