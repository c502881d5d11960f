"""Optional compiled loops for the vector engine's bookkeeping, each the same bits as its NumPy twin.

With Numba installed (``pip install "supplychain[fast]"``) some steps of
the vector engine run as one compiled loop each instead of several NumPy
passes: adding a day's shipments into the ring of goods in transit
(`._jit_kernels.ring_add`), emptying the day's slot of the ring (with
the landed goods taken out of transit and summed per buyer,
`._jit_kernels.ring_arrive`; `._jit_kernels.ring_take` without),
turning uniforms into triangular lead times (`._jit_kernels.triangular`)
and turning lead times into whole days until landing
(`._jit_kernels.landing_days`), or both in one pass with no lead-time
array when only the days are kept (`._jit_kernels.triangular_days`; a lane
without a lead-time shock counts its thresholds of uniforms below the uniform
instead, `._jit_kernels.triangular_table`, the same days); and the element-wise bookkeeping of
three rules, each written once in `.kernel` or `.sourcing` and
handed the loop by the engine: the cap and sums per origin that open the day's
shipping and the backlog, transit and ring updates that close it
(`._jit_kernels.ship_head`, `._jit_kernels.ship_tail`), the day's
orders when no buyer diverts any (`._jit_kernels.split_plain`) or when
some do (`._jit_sourcing.split_diverted`, re-sourcing included), the
buyers' inventory positions (`._jit_kernels.position`), and
production's scarcest-input cover and its starts' stock changes
(`._jit_kernels.recipe_cover`, `._jit_kernels.start_add`); and three
steps of the daily price update (`.prices`): the markets' stock deficit
with the buffer band, the utilisation premium and the target price
(`._jit_prices.stock_deficit`, `._jit_prices.utilisation_premium`,
`._jit_prices.price_target`; where NumPy's power is not the C library's,
`._jit_prices.price_target_powers` with NumPy's powers); and the updates of the design-specific stocks' accounts
(`._jit_designs`, which `.designs` uses whenever the loops are loaded). The
ring's scatter asks the CPU to prefetch the slot it adds into a few runs
ahead (`._jit_kernels.prefetch_write`: a hint, no value). Each loop
performs the same IEEE operations, in the same order, on the same values as
the NumPy code it replaces (additions into a slot in shipping order, sums in
lane order from zero, ``sqrt``, ``ceil``, NumPy's ``minimum``/``maximum``
including a zero's sign; nothing is fused into one rounding or reordered), so
results are identical to the bit with and without Numba, and across chunk
sizes and processes. The rules' decisions (which path a day takes, rationing,
re-sourcing, prices) stay in NumPy in `.kernel` and its modules, which
keep the NumPy code of every compiled step.

Loading the loops costs about a second once per process (importing Numba,
starting its compiler and loading the machine code cached on disk; the first
load on a machine compiles them, which takes longer), so by default
(``"auto"``) they are loaded for work of at least `MIN_WORK`
lane-run-days (lanes x runs x days: about 150 runs of the baseline year),
and used for every chunk once loaded. `supplychain.run.chunks.run_ensemble`
asks for the whole ensemble's work before it starts its worker processes,
which then inherit the loaded loops. The environment variable
``SUPPLYCHAIN_JIT`` overrides this: ``"on"`` (whenever Numba can be
imported) or ``"off"`` (never). Results are the same bits either way.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from ..errors import ValidationError
from . import _jit_designs, _jit_kernels, _jit_prices, _jit_sourcing

__all__ = ["MIN_WORK", "MODES", "ENV", "mode", "available", "loaded", "kernels_for"]

#: Lane-run-days (lanes x runs x days) from which "auto" loads the compiled loops: about 2.5 s of the
#: vector engine's time, of which the loops save about a third (measured on the baseline year), against
#: about one second to load them.
MIN_WORK = 50_000_000
#: Values of `ENV`.
MODES = ("auto", "on", "off")
#: The environment variable that chooses when the compiled loops are used.
ENV = "SUPPLYCHAIN_JIT"

_loaded: SimpleNamespace | None = None
_failed = False


def mode() -> str:
    """The current mode, from `ENV` (``"auto"`` when unset).

    Raises
    ------
    ValidationError
        If the variable holds anything else than one of `MODES`.

    Examples
    --------
    >>> mode() in MODES
    True
    """
    value = os.environ.get(ENV, "auto").strip().lower() or "auto"
    if value not in MODES:
        raise ValidationError(f"environment variable {ENV} must be one of {', '.join(MODES)}; "
                              f"got {os.environ[ENV][:80]!r}.")
    return value


def available() -> bool:
    """Whether the compiled loops can be used here (Numba imports); loads them if so."""
    return _kernels() is not None


def loaded() -> bool:
    """Whether this process has loaded the compiled loops (without loading them)."""
    return _loaded is not None


def _kernels() -> SimpleNamespace | None:
    global _loaded, _failed
    if _loaded is None and not _failed:
        try:
            with _interrupt_after():
                loops = _jit_kernels.compile_loops()
                _jit_sourcing.add_loops(loops)
                _jit_prices.add_loops(loops)
                _jit_designs.add_loops(loops)
                _loaded = loops
        except ImportError:
            _failed = True
    return _loaded


@contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold a Ctrl-C that arrives inside the block and deliver it when the block ends.

    Numba's compiler calls back into Python through ctypes while it builds or
    loads the loops; a ``KeyboardInterrupt`` raised inside such a callback is
    printed as "Exception ignored" and dropped, and the run would go on for
    minutes. Outside the main thread, or when SIGINT is ignored or left to the
    system, nothing changes.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield
        return
    caught: list[object] = []
    signal.signal(signal.SIGINT, lambda signum, frame: caught.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        previous(signal.SIGINT, caught[0])


def kernels_for(work: int) -> SimpleNamespace | None:
    """The compiled loops to use for ``work`` lane-run-days, or ``None`` for NumPy (see the module's text).

    The loops are the functions of `._jit_kernels`, compiled, as attributes.

    Examples
    --------
    >>> kernels_for(0) is None or mode() == "on" or available()  # small work: NumPy unless loaded or forced
    True
    """
    chosen = mode()
    if chosen == "off" or (chosen == "auto" and _loaded is None and work < MIN_WORK):
        return None
    return _kernels()
