"""Design-specific stocks of design-locked lanes in the SimPy engine (docs/model.md §5.6.6).

Each incumbent lane with a locked share ``1 - sigma > 0`` keeps an account of the units of its
buyer's stock made of the lane's locked designs: arrivals add their locked part (up to the
account's cap), the buyer's use takes the lane's locked share ``w_l(t) (1 - sigma_l)`` of it (until
ported), and that part of the use is capped by the account, the rest by the free part of the stock.
Written item by item, apart from the vector engine's array rules (`supplychain.engines.designs`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...compile.compiler import Compiled
    from .run import Run

__all__ = ["Designs"]


class Designs:
    """The accounts of one run: ``held[i]`` units of lane ``lane[i]``'s locked designs in its buyer's stock."""

    def __init__(self, c: Compiled, lanes: list[int]) -> None:
        sp = c.schedules.extras["sourcing"]
        share0 = c.schedules.day("share", 0)
        self.lane = lanes
        self.lock = [float(sp.lock[l]) for l in lanes]
        self.port = [float(sp.port_days[l]) for l in lanes]
        self.buyer = [int(c.lane_buyer[l]) for l in lanes]
        self.stock = [int(c.buyer_stock[b]) for b in self.buyer]
        # The account's cap is its share of the on-hand target plus a day's steady inflow.
        self.reference = [float(c.initial_stock[s]) + float(sp.buyer_flow[b]) for s, b in zip(self.stock, self.buyer)]
        self.slot = [-1] * c.n_lanes  # each lane's account, -1 if none (a list: read for every landing)
        for i, l in enumerate(lanes):
            self.slot[l] = i
        self.of_stock: dict[int, list[int]] = {}
        for i, s in enumerate(self.stock):
            self.of_stock.setdefault(s, []).append(i)
        # The locked part of the lane's steady pipeline: goods random lead times land at once.
        pipeline = c.initial_arrivals.sum(axis=0)
        self.pipeline = [float(pipeline[l]) * k for l, k in zip(lanes, self.lock)]
        part = [float(share0[l]) * k for l, k in zip(lanes, self.lock)]
        self.held = [p * float(c.initial_stock[s]) for p, s in zip(part, self.stock)]
        self.cap = [p * r + g for p, r, g in zip(part, self.reference, self.pipeline)]
        self.part = list(part)  # today's locked share of each account's buyer's use

    @classmethod
    def of(cls, c: Compiled) -> Designs | None:
        """The accounts of ``c``, or ``None`` when no incumbent lane is design-locked."""
        sp = c.schedules.extras["sourcing"]
        if sp.lock is None:
            return None
        lanes = [l for l in range(c.n_lanes) if sp.lock[l] > 0.0 and sp.incumbent[l]]
        return cls(c, lanes) if lanes else None

    def land(self, goods: list[tuple[int, float]]) -> None:
        """Goods landing, ``(lane, units)`` in order: each locked lane's account gains their locked part,
        up to its cap."""
        slot, held, lock, cap = self.slot, self.held, self.lock, self.cap
        for lane, units in goods:
            i = slot[lane]
            if i >= 0:
                held[i] = min(held[i] + units * lock[i], cap[i])

    def today(self, run: Run, share: list[float], t: int) -> None:
        """Each account's locked share of its buyer's use today: ``w_l(t) (1 - sigma_l)`` until ported."""
        seek = run.seek_day
        self.part = [share[l] * k if t < seek[b] + p else 0.0
                     for l, k, b, p in zip(self.lane, self.lock, self.buyer, self.port)]

    def scale(self, before: list[float], after: list[float]) -> None:
        """Stock destroyed (``after`` below ``before``, by stock) takes the same fraction of its accounts."""
        for i, s in enumerate(self.stock):
            if after[s] < before[s]:
                self.held[i] *= after[s] / before[s]

    def release(self, released: list[float]) -> None:
        """Reserve released into a buyer's stock is of its designs by their parts of its use, up to each cap
        (docs/model.md §6.10)."""
        held, part, cap = self.held, self.part, self.cap
        for i, s in enumerate(self.stock):
            if released[s] > 0.0:
                held[i] = min(held[i] + released[s] * part[i], cap[i])

    def usable(self, stock: int, have: float, wanted: float) -> tuple[float, list[tuple[int, float]]]:
        """What ``stock`` (holding ``have``) can give of ``wanted`` units, and each account's part of it."""
        accounts = self.of_stock[stock]
        short, locked, parts, takes = 0.0, 0.0, 0.0, []
        for i in accounts:
            need = self.part[i] * wanted
            short += max(need - self.held[i], 0.0)
            locked += self.held[i]
            parts += self.part[i]
            takes.append((i, min(self.held[i], need)))
        free = max(have - locked, 0.0)
        short += max((1.0 - parts) * wanted - free, 0.0)
        return wanted - short, takes

    def take(self, takes: list[tuple[int, float]], scale: float = 1.0) -> None:
        """Debit the accounts by their parts (times ``scale``)."""
        for i, x in takes:
            self.held[i] = max(self.held[i] - x * scale, 0.0)

    def starts(self, run: Run, f: int, started: float) -> float:
        """Facility ``f``'s starts cut to what its design-specific input stocks allow; debits the accounts."""
        found = [(s, a) for s, a in run.layout.recipe[f] if s in self.of_stock]
        if not found:
            return started
        checks = []
        allowed = started
        for s, a in found:
            can, takes = self.usable(s, run.stock[s], started * a)
            checks.append((can, takes, a))
            allowed = min(allowed, max(can, 0.0) / a)
        for can, takes, a in checks:
            self.take(takes, min(allowed * a / can, 1.0) if allowed < started and can > 0.0 else 1.0)
        return allowed

    def serve(self, stock: int, have: float, wanted: float, give: float) -> float:
        """A consumer stock's delivery ``give`` of ``wanted``, cut to what its designs allow; debits."""
        if stock not in self.of_stock:
            return give
        can, takes = self.usable(stock, have, wanted)
        self.take(takes)
        return min(give, max(can, 0.0))

    def settle(self, extra: list[float]) -> None:
        """Cap each account at ``c_l (I^0 + F^ + E^+) + (1 - sigma_l) G^0_l`` (0 once ported): the rest of what
        its lane delivered is free."""
        for i, b in enumerate(self.buyer):
            part = self.part[i]
            self.cap[i] = part * (self.reference[i] + max(extra[b], 0.0)) + (self.pipeline[i] if part > 0.0 else 0.0)
            if self.held[i] > self.cap[i]:
                self.held[i] = self.cap[i]
