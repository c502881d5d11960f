"""Design-specific stocks of design-locked lanes (docs/model.md §5.6.6, "Design-specific stocks").

A buyer's stock of a design-locked commodity (processed wafers, packaged chips) is not one good:
the part of it made of designs qualified only at one supplier serves only those designs. Each
incumbent lane ``l`` with a locked share ``1 - sigma_l > 0`` keeps an account ``J_l``, the units of
the buyer's stock made of the lane's locked designs:

* arrivals on the lane add their locked part ``(1 - sigma_l) A_l`` (at most up to the account's
  cap, below);
* the buyer's use takes the lane's locked share of it, ``c_l(t) = w_l(t) (1 - sigma_l)`` (its
  target share, not yet ported), and that part of the use is capped by ``J_l``; the rest of the
  use, ``1 - sum_l c_l``, is served from the free part ``F = I - sum_l J_l``, capped by it;
* an account holds at most ``c_l (I^0 + F^ + E^+) + (1 - sigma_l) G^0_l`` (its share of the on-hand
  target, a day's inflow and any raised target, plus the locked part of the lane's steady pipeline,
  which random lead times may land at once): what a lane delivers beyond it is the portable volume
  of the buyer's other designs (diverted there) and joins the free part; once ported the account
  empties into the free part.

A facility whose locked input runs short makes only what its stocked designs allow; a consumer
stock serves only what its stocked designs allow. On a day no account or free part is short the
rules are exactly those without accounts, so the steady state is unchanged.

With the compiled loops of `.jit` loaded (and not switched off), each update is one compiled pass
(`._jit_designs`), the same bits as the NumPy code here.

Implements docs/model.md §5.6.6 (design-specific stocks) for the vector engine; the SimPy engine
has its own (`supplychain.engines.des.designs`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from scipy import sparse

from ..compile.compiler import Compiled
from . import jit
from .sums import sum_into

__all__ = ["DesignSpec", "design_spec", "initial_accounts", "credit", "usable", "settle", "shares", "scale_to", "debit"]


@dataclass(frozen=True, eq=False)
class DesignSpec:
    """Where the design accounts are: one per incumbent design-locked lane."""

    lanes: np.ndarray       # (n,) lane of each account
    lock: np.ndarray        # (n,) locked share 1 - sigma of the lane
    port: np.ndarray        # (n,) porting days of the lane
    lane_buyer: np.ndarray  # (n,) buyer of the lane
    group: np.ndarray       # (n,) index of the lane's buyer among ``buyers``
    buyers: np.ndarray      # (m,) buyers with an account
    stocks: np.ndarray      # (m,) their stocks
    summing: sparse.csr_matrix  # (m, n) 1 where account i belongs to buyer j
    reference: np.ndarray   # (m,) on-hand target plus a day's steady inflow, I^0 + F^
    pipeline: np.ndarray    # (n,) locked part of the lane's steady pipeline, (1 - sigma) G^0_l
    facility: np.ndarray    # (k,) facilities with a locked input, one entry per such input
    input_group: np.ndarray  # (k,) that input's index among ``buyers``
    ratio: np.ndarray       # (k,) its recipe ratio a_{f,k}
    demand: np.ndarray      # (d,) demands served from a stock with accounts
    demand_group: np.ndarray  # (d,) that stock's index among ``buyers``


_SPECS: weakref.WeakKeyDictionary[Compiled, DesignSpec | None] = weakref.WeakKeyDictionary()


def design_spec(c: Compiled) -> DesignSpec | None:
    """The accounts of ``c`` (cached), or ``None`` when no incumbent lane is design-locked."""
    if c in _SPECS:
        return _SPECS[c]
    sp = c.schedules.extras["sourcing"]
    spec = None
    if sp.lock is not None:
        lanes = np.flatnonzero((sp.lock > 0.0) & sp.incumbent)
        if len(lanes):
            lane_buyer = np.asarray(c.lane_buyer)[lanes]
            buyers, group = np.unique(lane_buyer, return_inverse=True)
            stocks = np.asarray(c.buyer_stock)[buyers]
            summing = sparse.csr_matrix((np.ones(len(lanes)), (group, np.arange(len(lanes)))),
                                        shape=(len(buyers), len(lanes)))
            reference = np.asarray(c.initial_stock, float)[stocks] + sp.buyer_flow[buyers]
            pipeline = np.asarray(c.initial_arrivals, float).sum(axis=0)[lanes] * sp.lock[lanes]
            where = {int(s): j for j, s in enumerate(stocks)}
            fac, grp, rat = [], [], []
            for f in range(c.n_facilities):
                for k in range(c.recipe_stock.shape[1]):
                    j = where.get(int(c.recipe_stock[f, k]))
                    if j is not None:
                        fac.append(f), grp.append(j), rat.append(float(c.recipe_ratio[f, k]))
            dem = [(d, where[int(s)]) for d, s in enumerate(c.demand_stock) if int(s) in where]
            spec = DesignSpec(lanes=lanes, lock=sp.lock[lanes], port=sp.port_days[lanes], lane_buyer=lane_buyer,
                              group=group, buyers=buyers, stocks=stocks, summing=summing, reference=reference,
                              pipeline=pipeline,
                              facility=np.array(fac, dtype=np.intp), input_group=np.array(grp, dtype=np.intp),
                              ratio=np.array(rat), demand=np.array([d for d, _ in dem], dtype=np.intp),
                              demand_group=np.array([j for _, j in dem], dtype=np.intp))
    _SPECS[c] = spec
    return spec


def shares(c: Compiled, ds: DesignSpec, share: np.ndarray, seek_day: np.ndarray, day: int) -> np.ndarray:
    """Each account's locked share of its buyer's use today, ``w_l(t) (1 - sigma_l)`` until ported, (R, n)."""
    loops = _loops()
    if loops is not None:
        ix = _indices(ds)
        out = np.empty((seek_day.shape[0], len(ds.lanes)), order="F")
        rows = share if np.ndim(share) == 2 else np.asarray(share)[None, :]
        loops.design_shares(rows, ix.lanes, seek_day, ix.lane_buyer, ds.port, ds.lock, float(day), out)
        return out
    w = share[..., ds.lanes] if np.ndim(share) == 2 else np.asarray(share)[ds.lanes][None, :]
    unported = day < seek_day[:, ds.lane_buyer] + ds.port
    return np.where(unported, w * ds.lock, 0.0)


def initial_accounts(c: Compiled, ds: DesignSpec, n_runs: int) -> tuple[np.ndarray, np.ndarray]:
    """Accounts at day 0, each its lane's locked share of the initial stock, and their caps, (R, n) each."""
    w = c.schedules.day("share", 0)[ds.lanes] * ds.lock
    stock = np.asarray(c.initial_stock, float)[ds.stocks][ds.group]
    cap = w * ds.reference[ds.group] + ds.pipeline
    # Runs-last, as the engine keeps its lanes' arrays: the compiled loops (._jit_designs) run over accounts, runs
    # innermost, and gather arrivals and shares from runs-last (R, L) arrays.
    return (np.asfortranarray(np.repeat((w * stock)[None, :], n_runs, axis=0)),
            np.asfortranarray(np.repeat(cap[None, :], n_runs, axis=0)))


def credit(ds: DesignSpec, accounts: np.ndarray, cap: np.ndarray, arrived: np.ndarray) -> None:
    """Arrivals (R, L): each account gains its lane's locked part, up to its cap (the rest is free)."""
    loops = _loops()
    if loops is not None:
        loops.design_credit(accounts, cap, arrived, _indices(ds).lanes, ds.lock)
        return
    np.minimum(accounts + arrived[:, ds.lanes] * ds.lock, cap, out=accounts)


def scale_to(ds: DesignSpec, accounts: np.ndarray, before: np.ndarray, after: np.ndarray) -> None:
    """Stock destroyed (``after < before`` on a buyer's stock, (R, m)) takes the same fraction of its accounts."""
    with np.errstate(divide="ignore", invalid="ignore"):
        kept = np.where(after < before, after / before, 1.0)
    accounts *= kept[:, ds.group]


def credit_released(ds: DesignSpec, accounts: np.ndarray, cap: np.ndarray, cl: np.ndarray,
                    released: np.ndarray) -> None:
    """Reserve released into a buyer's stock (``released`` (R, S)) is of its designs by their parts of its use.

    Each account gains ``c_l`` (``cl`` (R, n), today's locked share of its buyer's use) of what was released into
    its buyer's stock, up to its cap; the rest is free (docs/model.md §6.10).
    """
    given = released[:, ds.stocks[ds.group]]
    accounts[...] = np.where(given > 0.0, np.minimum(accounts + given * cl, cap), accounts)


def usable(ds: DesignSpec, accounts: np.ndarray, cl: np.ndarray, stock: np.ndarray,
           wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What each buyer with accounts can use of ``wanted`` (R, m) units from its ``stock`` (R, m), and
    the accounts' parts of it: ``(wanted - deficit, take)``, ``take`` (R, n).

    The deficit is ``sum_l (c_l u - J_l)^+ + ((1 - C) u - F)^+`` (0 when nothing is short).
    """
    loops = _loops()
    if loops is not None:
        ix = _indices(ds)
        can, take = np.empty(wanted.shape, order="F"), np.empty(accounts.shape, order="F")
        loops.design_usable(accounts, cl, stock, ix.columns, wanted, ix.group, len(ds.buyers), can, take)
        return can, take
    need = cl * wanted[:, ds.group]
    free = np.maximum(stock - _per_buyer(ds, accounts), 0.0)
    short = _per_buyer(ds, np.maximum(need - accounts, 0.0)) + np.maximum(
        (1.0 - _per_buyer(ds, cl)) * wanted - free, 0.0)
    return wanted - short, np.minimum(accounts, need)


def _per_buyer(ds: DesignSpec, x: np.ndarray) -> np.ndarray:
    """Sum the accounts' values ``x`` (R, n) per buyer, (R, m)."""
    return sum_into(x, ds.group, len(ds.buyers), ds.summing)


def debit(ds: DesignSpec, accounts: np.ndarray, take: np.ndarray, scale: np.ndarray | None = None) -> None:
    """Take ``take`` (R, n) out of the accounts, each buyer's part times ``scale`` (R, m) if given."""
    loops = _loops()
    if loops is not None:
        loops.design_debit(accounts, take, _indices(ds).group, take if scale is None else scale, scale is not None)
        return
    if scale is not None:
        take = take * scale[:, ds.group]
    accounts -= take
    np.maximum(accounts, 0.0, out=accounts)


def settle(ds: DesignSpec, accounts: np.ndarray, cl: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """Cap each account at ``c_l (I^0 + F^ + E^+) + (1 - sigma_l) G^0_l`` (0 once ported; ``extra``: the buyers'
    raised targets, (B,)); returns the caps."""
    room = ds.reference + np.maximum(np.asarray(extra)[ds.buyers], 0.0)
    loops = _loops()
    if loops is not None and room.ndim == 1:
        cap = np.empty(accounts.shape, order="F")
        loops.design_settle(accounts, cl, room, _indices(ds).group, ds.pipeline, cap)
        return cap
    cap = cl * room[ds.group] + np.where(cl > 0.0, ds.pipeline, 0.0)
    np.minimum(accounts, cap, out=accounts)
    return cap


def _loops() -> SimpleNamespace | None:
    """The compiled loops of `.jit` when this process has them (and they are not switched off), else ``None``.

    The vector engine loads them for large work (`.jit.kernels_for`); the accounts then use them for
    every chunk, as the engine's other loops do. They give the same bits as the NumPy code.
    """
    return jit.kernels_for(0)


@dataclass(frozen=True, eq=False)
class _Indices:
    """A spec's indices as the compiled loops take them (intp, contiguous)."""

    lanes: np.ndarray
    lane_buyer: np.ndarray
    group: np.ndarray
    columns: np.ndarray  # 0, 1, ..., m - 1: the buyers' columns of a gathered (R, m) stock


_INDICES: weakref.WeakKeyDictionary[DesignSpec, _Indices] = weakref.WeakKeyDictionary()


def _indices(ds: DesignSpec) -> _Indices:
    if ds not in _INDICES:
        _INDICES[ds] = _Indices(*(np.ascontiguousarray(a, dtype=np.intp) for a in (
            ds.lanes, ds.lane_buyer, ds.group, np.arange(len(ds.buyers)))))
    return _INDICES[ds]
