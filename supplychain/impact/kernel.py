"""Input-output propagation kernels: pure NumPy, arrays in, arrays out.

Three kernels, all in the notation of docs/model.md §8.3 (value added lost):

* `leontief_inverse`, the static demand-driven multiplier ``(I - A)^-1``
  (Leontief 1936; Miller & Blair 2009, ch. 2);
* `diim`, the dynamic inoperability input-output model (Haimes, Horowitz,
  Lambert, Santos, Lian & Crowther 2005; Lian & Haimes 2006) on a daily series
  of direct inoperabilities;
* `Ario`, an adaptive regional input-output kernel in the manner of
  Hallegatte (2008, 2014): inventories counted in days of inputs, orders that
  refill them, proportional rationing of short suppliers and bounded, slowly
  adapting overproduction. It is written from the papers' equations; it copies
  no code of any implementation. Its one addition: the final demand a node with a
  dependent share loses waits (``patience`` days) to be made up from inputs
  delivered above demand, within ``makeup_max`` of normal output (docs/model.md
  §8.3, step 2b).

Every contraction is an elementwise product followed by a sum over the last
axis, so each run's numbers are the same bits however many runs share a batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["leontief_inverse", "diim", "ArioParameters", "Ario", "ario"]


def leontief_inverse(a: np.ndarray) -> np.ndarray:
    """The Leontief inverse ``L = (I - A)^-1`` of a productive coefficient matrix.

    Parameters
    ----------
    a : ndarray, shape (n, n)
        Direct input coefficients: ``a[i, j]`` units of ``i`` per unit of ``j``'s output.

    Raises
    ------
    ValueError
        When ``A`` is not productive (spectral radius >= 1), so ``I - A`` has no
        non-negative inverse.

    Examples
    --------
    >>> leontief_inverse(np.array([[0.2, 0.3], [0.4, 0.1]])).round(4)
    array([[1.5   , 0.5   ],
           [0.6667, 1.3333]])
    """
    a = np.asarray(a, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"coefficients must be a square matrix, got shape {a.shape}")
    if (a < 0).any():
        raise ValueError("coefficients must be non-negative")
    radius = float(np.max(np.abs(np.linalg.eigvals(a)))) if a.size else 0.0
    if radius >= 1.0:
        raise ValueError(f"coefficients are not productive: spectral radius {radius:.4g}, expected < 1")
    return np.linalg.inv(np.eye(len(a)) - a)


def diim(a_star: np.ndarray, resilience: np.ndarray, perturbation: np.ndarray,
         q0: np.ndarray | None = None) -> np.ndarray:
    """Daily inoperability under the dynamic inoperability input-output model.

    ``q(t+1) = q(t) + K [A* q(t) + c*(t) - q(t)]``, clipped to ``[0, 1]``, with
    ``K = diag(resilience)``. ``q(t)`` is each sector's inoperability (share of
    its normal output lost) at the start of day ``t``; the returned series
    holds ``q(1) .. q(T)``: day ``t``'s perturbation acts from the next day.
    With a constant perturbation ``q`` tends to ``(I - A*)^-1 c*``, the static
    IIM; when the perturbation ends each sector recovers at rate
    ``k_i (1 - a*_ii)`` (Lian & Haimes 2006).

    Parameters
    ----------
    a_star : ndarray, shape (n, n)
        Interdependency matrix (``diag(x)^-1 A diag(x)`` for the demand-driven model).
    resilience : ndarray, shape (n,)
        Daily resilience coefficients ``k_i`` in ``(0, 1]``.
    perturbation : ndarray, shape (..., T, n)
        Direct inoperability ``c*(t)``; leading axes are runs.
    q0 : ndarray, optional
        Initial inoperability, shape broadcastable to ``(..., n)``; zero by default.

    Examples
    --------
    >>> c = np.zeros((400, 1)); c[:200] = 0.1
    >>> q = diim(np.array([[0.5]]), np.array([0.1]), c)
    >>> round(float(q[199, 0]), 4), round(float(q[-1, 0]), 4)   # near 0.1 / (1 - 0.5), then recovered
    (0.2, 0.0)
    """
    a_star = np.asarray(a_star, dtype=float)
    k = np.asarray(resilience, dtype=float)
    c = np.asarray(perturbation, dtype=float)
    n = a_star.shape[0]
    if a_star.shape != (n, n) or k.shape != (n,) or c.shape[-1] != n:
        raise ValueError(f"shapes do not match: A* {a_star.shape}, resilience {k.shape}, perturbation {c.shape}")
    if ((k <= 0) | (k > 1)).any():
        raise ValueError("resilience coefficients must lie in (0, 1]")
    q = np.zeros(c.shape[:-2] + (n,)) if q0 is None else np.broadcast_to(np.asarray(q0, float),
                                                                        c.shape[:-2] + (n,)).copy()
    out = np.empty_like(c)
    for t in range(c.shape[-2]):
        spill = (q[..., None, :] * a_star).sum(axis=-1)
        q = np.clip(q + k * (spill + c[..., t, :] - q), 0.0, 1.0)
        out[..., t, :] = q
    return out


@dataclass(frozen=True, eq=False)
class ArioParameters:
    """The behavioural parameters of `Ario` (docs/model.md §8.3)."""

    inventory_days: np.ndarray  # (S,) days of use held of each input sector's products
    psi: float = 0.8            # production is cut when a stock falls below psi x its target
    tau_inventory: float = 60.0  # days to close an inventory gap by reordering
    alpha_max: float = 1.25     # most overproduction, as a factor on normal output
    tau_alpha: float = 365.0    # days over which overproduction adapts
    essential: np.ndarray | None = None  # (S, S) 1 where input sector i can stop sector j; all by default
    # Make-up of lost dependent output (docs/model.md §8.3, step 2b). Customers keep a dependent node's lost
    # final demand on order for `patience` days: Japan's carmakers held waiting lists from the March 2011
    # earthquake into the autumn and made the output up from September (JAMA chairman T. Shiga, Yomiuri
    # Shimbun, Sep 2011). It is made up only from inputs delivered above demand, at most `makeup_max` above
    # normal output: Toyota added 20 production days (five Thursdays in September, 15 normal days off to
    # March 2012) to about 142 normal days, 0.14 (Toyota, via Yomiuri Shimbun, 1 Sep 2011).
    patience: int = 180          # days a lost dependent order waits to be made up (0: nothing is made up)
    makeup_max: float = 0.14     # most make-up output, as a share of normal output


class Ario:
    """An ARIO-type kernel for ``R`` runs at once, stepped one day at a time.

    Nodes are (region, sector) pairs; node ``m`` makes the product of sector
    ``sector[m]``. Each node holds, for every input sector, a stock counted in
    days of its normal use of that sector's products, whatever their origin.

    Parameters
    ----------
    a : ndarray, shape (N, N)
        Direct coefficients between nodes (input of node ``m`` per unit output of ``n``).
    x0 : ndarray, shape (N,)
        Normal daily gross output (USD per day).
    sector : ndarray of int, shape (N,)
        Sector of each node's product, in ``0 .. S-1``.
    params : ArioParameters
        Inventory days per sector, psi, reorder time, overproduction bound and time.
    n_runs : int
        Runs stepped together (each run's state evolves independently).
    dependent : ndarray, shape (N,), optional
        Share of each node's output that needs an input the capacity factors ration (chips, cells,
        magnets): overproduction lifts only the rest, since no extra shift makes up for missing parts
        (docs/model.md §8.3). 0 by default: Hallegatte's overproduction on the whole capacity.
    makeup : bool
        Whether the final demand a dependent node loses waits to be made up (step 2b; needs ``room`` in
        `step`). False keeps no backlog: for inputs that can never come above demand.

    Examples
    --------
    Without a shock nothing is lost:

    >>> a = np.array([[0.1, 0.2], [0.3, 0.1]]); x0 = np.array([100.0, 50.0])
    >>> k = Ario(a, x0, np.array([0, 1]), ArioParameters(np.array([30.0, 30.0])), n_runs=1)
    >>> [float(k.step(np.ones((1, 2))).sum()) for _ in range(3)]
    [150.0, 150.0, 150.0]
    """

    def __init__(self, a: np.ndarray, x0: np.ndarray, sector: np.ndarray, params: ArioParameters,
                 n_runs: int, dependent: np.ndarray | None = None, makeup: bool = True) -> None:
        a = np.asarray(a, dtype=float)
        x0 = np.asarray(x0, dtype=float)
        sector = np.asarray(sector, dtype=int)
        n = len(x0)
        n_sectors = int(sector.max()) + 1 if n else 0
        if a.shape != (n, n) or sector.shape != (n,):
            raise ValueError(f"shapes do not match: A {a.shape}, x0 {x0.shape}, sector {sector.shape}")
        if (x0 <= 0).any():
            raise ValueError("normal output x0 must be positive for every node")
        days = np.asarray(params.inventory_days, dtype=float)
        if days.shape != (n_sectors,) or (days < 1).any():
            raise ValueError(f"inventory_days must hold one value >= 1 per sector ({n_sectors})")
        if not 0 < params.psi <= 1 or params.tau_inventory < 1 or params.tau_alpha < 1 or params.alpha_max < 1:
            raise ValueError("need 0 < psi <= 1, tau_inventory >= 1, tau_alpha >= 1 and alpha_max >= 1")
        if int(params.patience) != params.patience or params.patience < 0 or params.makeup_max < 0:
            raise ValueError("need a whole patience >= 0 days and makeup_max >= 0")
        self.p = params
        self.x0 = x0
        self.member = np.zeros((n_sectors, n))          # (S, N): 1 where node m makes sector s
        self.member[sector, np.arange(n)] = 1.0
        self.abar = (self.member[:, :, None] * a[None]).sum(axis=1)   # (S, N) by input sector
        with np.errstate(invalid="ignore", divide="ignore"):
            self.share = np.where(self.abar[sector] > 0, a / self.abar[sector], 0.0)  # (N, N) origin shares
        self.sector = sector
        self.rows = [np.flatnonzero(sector == s) for s in range(n_sectors)]
        self.final = x0 - (a * x0).sum(axis=1)          # (N,) final demand per day
        if (self.final < -1e-9 * x0).any():
            raise ValueError("intermediate sales exceed output for some node: final demand would be negative")
        self.final = np.maximum(self.final, 0.0)
        self.days = days[:, None]                       # (S, 1)
        essential = np.ones((n_sectors, n_sectors)) if params.essential is None else np.asarray(params.essential)
        if essential.shape != (n_sectors, n_sectors):
            raise ValueError(f"essential must be a ({n_sectors}, {n_sectors}) matrix, got {essential.shape}")
        # Inputs that constrain production: essential ones above a negligible coefficient.
        self.uses = (self.abar > 1e-12) & (essential[:, sector] > 0)
        self.stock = np.broadcast_to(self.days * self.abar * x0, (n_runs, n_sectors, n)).copy()
        self.need = np.broadcast_to(self.abar * x0, (n_runs, n_sectors, n)).copy()
        self.alpha = np.ones((n_runs, n))
        dep = np.zeros(n) if dependent is None else np.asarray(dependent, dtype=float)
        if dep.shape != (n,) or (dep < 0).any() or (dep > 1).any():
            raise ValueError(f"dependent must hold one share in [0, 1] per node ({n}), got shape {dep.shape}")
        self.flexible = 1.0 - dep                       # (N,) share of output overproduction can lift
        # Lost final demand of dependent nodes kept on order, a ring of the last `patience` days (step 2b).
        self.waits = dep > 0                            # (N,) nodes whose customers wait for lost output
        width = int(params.patience) if makeup and self.waits.any() else 0
        self.owed = np.zeros((n_runs, width, n))
        self.clock = np.zeros(n_runs, dtype=np.int64)

    def step(self, capacity: np.ndarray, room: np.ndarray | None = None) -> np.ndarray:
        """Advance one day under the capacity factors ``capacity`` (R, N); return output (R, N).

        ``room`` (R, N) is the extra output, as a share of normal output, that inputs delivered above demand
        allow (`supplychain.impact.loss.InputMap.room_at`); None or 0: nothing can be made up.
        """
        p = self.p
        orders = self.share * self.need[:, self.sector, :]            # (R, N, N): supplier m, client n
        makeup = self._makeup(capacity, room)                         # (R, N) lost output made up today
        demand = orders.sum(axis=-1) + self.final + makeup            # (R, N)
        # Overproduction lifts the share of output that needs no rationed input: the capacity factors are
        # missing parts, a bound no extra shift lifts (docs/model.md §8.3). Make-up is output for which the
        # inputs came above demand: it adds to the bound.
        lift = 1.0 + (self.alpha - 1.0) * self.flexible
        optimal = np.minimum(demand, lift * np.clip(capacity, 0.0, None) * self.x0 + makeup)
        target = p.psi * self.days * self.abar * optimal[:, None, :]  # (R, S, N)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(self.uses & (target > 0), self.stock / target, np.inf)
            physical = np.where(self.uses, self.stock / self.abar, np.inf)
        factor = np.minimum(ratio.min(axis=1), 1.0)
        output = np.minimum(optimal * factor, physical.min(axis=1))
        output = np.maximum(output, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            served = np.where(demand > 0, output / demand, 0.0)       # proportional rationing
        if self.owed.shape[1]:
            self._owe(makeup * served, self.final * (1.0 - served))
        received = orders * served[:, :, None]                        # (R, N, N)
        by_sector = np.stack([received[:, rows, :].sum(axis=1) for rows in self.rows], axis=1)  # (R, S, N)
        self.stock[...] = np.maximum(self.stock + by_sector - self.abar * output[:, None, :], 0.0)
        gap = np.maximum(self.days * self.abar * optimal[:, None, :] - self.stock, 0.0)
        self.need[...] = self.abar * optimal[:, None, :] + gap / p.tau_inventory
        with np.errstate(invalid="ignore", divide="ignore"):
            scarcity = np.where(demand > 0, (demand - output) / demand, 0.0)
        rise = self.alpha + (p.alpha_max - self.alpha) * scarcity / p.tau_alpha
        fall = self.alpha + (1.0 - self.alpha) / p.tau_alpha
        self.alpha[...] = np.clip(np.where(scarcity > 1e-12, rise, fall), 1.0, p.alpha_max)
        return output

    @property
    def backlog(self) -> np.ndarray:
        """Lost final demand of each node still on order, (R, N) USD: what make-up may yet deliver."""
        return self.owed.sum(axis=1)

    def _makeup(self, capacity: np.ndarray, room: np.ndarray | None) -> np.ndarray:
        """Step 2b: the output made up today, ``min(B, min(room, makeup_max) x0)`` where no input is short."""
        if room is None or not self.owed.shape[1] or not self.owed.any():
            return np.zeros_like(np.asarray(capacity, dtype=float))
        room = np.minimum(np.clip(np.asarray(room, dtype=float), 0.0, None), self.p.makeup_max)
        whole = np.asarray(capacity, dtype=float) >= 1.0 - 1e-12   # a node still short of an input makes nothing up
        return np.where(whole, np.minimum(self.backlog, room * self.x0), 0.0)

    def _owe(self, made: np.ndarray, lost: np.ndarray) -> None:
        """Step 4b: take ``made`` off the oldest orders, drop orders ``patience`` days old, add ``lost``."""
        width = self.owed.shape[1]
        runs = np.arange(self.clock.shape[0])
        if made.any():
            order = (self.clock[:, None] + 1 + np.arange(width)[None, :]) % width   # oldest first
            held = np.take_along_axis(self.owed, order[:, :, None], axis=1)
            before = np.cumsum(held, axis=1) - held
            take = np.clip(made[:, None, :] - before, 0.0, held)
            np.put_along_axis(self.owed, order[:, :, None], held - take, axis=1)
        slot = self.clock % width
        self.owed[runs, slot] = np.where(self.waits, np.maximum(lost, 0.0), 0.0)  # the slot's old orders expire
        self.clock += 1

    def step_rows(self, rows: np.ndarray, capacity: np.ndarray, room: np.ndarray | None = None) -> np.ndarray:
        """Advance only the runs ``rows`` (indices) under ``capacity`` (len(rows), N); return their output.

        Each run's numbers are the same bits as when the whole batch is stepped.
        """
        sub = Ario.__new__(Ario)
        sub.__dict__.update(self.__dict__)
        sub.stock, sub.need, sub.alpha = self.stock[rows], self.need[rows], self.alpha[rows]
        sub.owed, sub.clock = self.owed[rows], self.clock[rows]
        out = sub.step(capacity, room)
        self.stock[rows], self.need[rows], self.alpha[rows] = sub.stock, sub.need, sub.alpha
        self.owed[rows], self.clock[rows] = sub.owed, sub.clock
        return out

    def row(self, r: int) -> Ario:
        """The kernel of run ``r`` alone, sharing this one's state (stepping it updates this one)."""
        one = Ario.__new__(Ario)
        one.__dict__.update(self.__dict__)
        one.stock, one.need, one.alpha = self.stock[r: r + 1], self.need[r: r + 1], self.alpha[r: r + 1]
        one.owed, one.clock = self.owed[r: r + 1], self.clock[r: r + 1]
        return one


def ario(a: np.ndarray, x0: np.ndarray, sector: np.ndarray, params: ArioParameters,
         capacity: np.ndarray) -> np.ndarray:
    """Daily output (R, T, N) of `Ario` under capacity factors ``capacity`` (R, T, N).

    Examples
    --------
    A one-sector economy that loses half its capacity for 10 days and has no
    intermediate inputs loses half its output on those days, less the little
    overproduction that builds up meanwhile:

    >>> cap = np.ones((1, 20, 1)); cap[0, 5:15] = 0.5
    >>> out = ario(np.zeros((1, 1)), np.array([10.0]), np.array([0]),
    ...            ArioParameters(np.array([30.0])), cap)
    >>> round(float(10.0 * 20 - out.sum()), 2)
    49.92
    """
    capacity = np.asarray(capacity, dtype=float)
    kernel = Ario(a, x0, sector, params, capacity.shape[0])
    out = np.empty_like(capacity)
    for t in range(capacity.shape[1]):
        out[:, t] = kernel.step(capacity[:, t])
    return out
