"""Scarcity prices: each market's price moves towards the clearing price of its flow gap.

Phase 1a of the day (after arrivals, before stock events), when the compiled
scenario carries markets (``Compiled.schedules.extras["prices"]``): every
market (a commodity in a region) measures its gap as a share of its normal
daily flow: its buyers' stock below normal beyond their buffer and the
orders its sellers owe to buyers short beyond their buffer (up to that
shortfall, and the bid weight's share of the rest), each spread over a year (with the buffer weight's share of a final buyer's
draw of its buffer counted too), plus what its sellers are
asked for beyond what they can make (the day's capacity or, if lower, the
rate their inputs support), the throughput a seller cannot keep up counting
as the loss over the days it is expected to last (its announced restart, or
its scheduled capacity's return; else a year) less its buyers' cover, spread
over the year. The price index moves ``1 / adjustment days`` of the way to
``clip((1 - gap) ** (-1 / eta) + pass-through, floor, cap)``, the
pass-through being the input-cost shares times the rises of the inputs' landed cost (price of
the day before times the duty factor of the input lanes). The new prices scale the final demand by
``(pi * landed factor) ** demand elasticity`` and tilt each lane's target
sourcing share by its landed cost at the origin's price (on a lane under an
export control in force, the higher of the origin's and the buyer's market
price: the export offer; the CES of tariff shares), followed at the rate
``1 / switching lag``. Prices move no goods.

Implements docs/model.md §5.9 (prices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ordering import input_rate
from .shipping import THROUGHPUT_DAYS
from .trade import quota_reset

#: Quota left, as a share of the period's quota, below which it is used up (pro rata cuts leave rounding residue).
QUOTA_USED_UP = 1e-9

if TYPE_CHECKING:
    from .run import Run

__all__ = ["Prices", "NEUTRAL_TOLERANCE", "RESTOCKING_DAYS"]

#: Distance of the gap from 0 within which the scarcity part of the target is 1.
NEUTRAL_TOLERANCE = 1e-9
#: Days over which a stock deficit (buyers' stock below normal, orders owed by sellers) counts as a flow.
RESTOCKING_DAYS = 365.0


class Prices:
    """Price index per market and sourcing tilt per lane of one run (docs/model.md §5.9)."""

    def __init__(self, spec: Any, n_lanes: int) -> None:
        self.spec = spec
        self.feedback = bool(spec.feedback)  # prices act on demand and shares (Scenario.price_feedback)
        self.normal_stock = spec.normal_stock.tolist()
        self.buffer, self.buffers = spec.buffer.tolist(), bool(spec.buffers)
        # Share of a buffer draw (or glut within the buffer) that is no gap: 1 - the buffer weight.
        self.buffer_keep = [1.0] * len(self.buffer) if spec.buffer_keep is None else spec.buffer_keep.tolist()
        self.target_extra = None if spec.target_extra is None else spec.target_extra.tolist()
        self.buyer_normal, self.buyer_buffer = spec.buyer_normal.tolist(), spec.buyer_buffer.tolist()
        self.buyer_extra = None if spec.buyer_extra is None else spec.buyer_extra.tolist()
        n = len(spec.labels)
        self.index = [1.0] * n
        self.unmet: list[float] | None = None  # account of final demand not served, per market (None: none yet)
        self.unmet_keep = spec.unmet_keep.tolist()
        self.tilt = [1.0] * n_lanes
        self.buyer_market = spec.buyer_market.tolist()
        self.seller_market = spec.seller_market.tolist()
        self.normal_seller = spec.normal_seller.tolist()
        self.lane_weight = spec.lane_weight.tolist()
        self.short_days = None if spec.short_days is None else spec.short_days.tolist()
        self.gap_scale = spec.gap_scale.tolist()
        # Input-cost shares: for each output market, its (input market, share) pairs.
        pt = spec.pass_through.tocsr()
        self.inputs = [list(zip(pt.indices[pt.indptr[m]:pt.indptr[m + 1]].tolist(),
                                pt.data[pt.indptr[m]:pt.indptr[m + 1]].tolist())) for m in range(n)]
        self.entries = [[(int(pt.indptr[m]) + j, k, a) for j, (k, a) in enumerate(self.inputs[m])] for m in range(n)]
        self.input_basket = None
        if spec.input_basket is not None:
            ib = spec.input_basket.tocsr()
            self.input_basket = [list(zip(ib.indices[ib.indptr[e]:ib.indptr[e + 1]].tolist(),
                                          ib.data[ib.indptr[e]:ib.indptr[e + 1]].tolist())) for e in range(ib.shape[0])]
            self.input_base = spec.input_base_cost.tolist()
            self.tariff_start = spec.tariff_start.tolist()
            self.landed_price = spec.landed_price.tolist()
        self.basket = None
        if spec.demand_basket is not None:
            bk = spec.demand_basket.tocsr()
            self.basket = [list(zip(bk.indices[bk.indptr[d]:bk.indptr[d + 1]].tolist(),
                                    bk.data[bk.indptr[d]:bk.indptr[d + 1]].tolist())) for d in range(bk.shape[0])]
            self.base_cost = spec.demand_base_cost.tolist()
        self.landed = [1.0] * len(spec.demand_market)
        self.priced, self.exponent = spec.priced.tolist(), spec.exponent.tolist()
        self.adjustment, self.floor, self.cap = (spec.adjustment_days.tolist(), spec.floor.tolist(),
                                                 spec.cap.tolist())
        self.demand_elasticity, self.demand_market = spec.demand_elasticity.tolist(), spec.demand_market.tolist()
        self.lane_market, self.lane_sigma = spec.lane_market.tolist(), spec.lane_sigma.tolist()
        self.lane_step = spec.lane_step.tolist()
        self.stock_market, self.stock_price = spec.stock_market.tolist(), spec.stock_price.tolist()
        self.sales_seller = spec.sales_seller.tolist() if spec.counts_sales else None
        self.sales_band = spec.sales_band.tolist()
        self.quota_windows = [(first, stop, lanes.tolist()) for first, stop, lanes in spec.quota_windows]
        self.control_windows = [(first, stop, lanes.tolist()) for first, stop, lanes in spec.control_windows]
        self.lane_dest_market = spec.lane_dest_market.tolist()
        # Share of what is owed beyond a buyer's shortfall that counts, per lane (None: every lane's is 0).
        self.lane_bid = None if spec.lane_bid is None else spec.lane_bid.tolist()
        # Fabs whose utilisation prices their market, and each market's normal utilisation and exponent.
        self.util_seller = None if spec.util_seller is None else spec.util_seller.tolist()
        if self.util_seller is not None:
            self.util_ref, self.util_exponent = spec.util_ref.tolist(), spec.util_exponent.tolist()

    def update(self, run: Run, t: int, tariff: list[float], demand: list[float]) -> None:
        """Move every market's price one day towards its target, then (with feedback) every lane's tilt.

        ``demand`` is the day's final demand before demand destruction (at the reference price).
        """
        lay, n = run.layout, len(self.index)
        self._unmet(run, demand)
        planned = self._planned(run, t)
        normal = self.normal_stock if planned is None else [a + b for a, b in zip(self.normal_stock, planned[0])]
        held = [0.0] * n
        for b, m in enumerate(self.buyer_market):
            held[m] += run.stock[lay.buyer_stock[b]]
        deficit = [a - h for a, h in zip(normal, held)]
        if self.buffers:
            deficit = self._buffer_band(deficit, held, normal)
        short, cover = self._buyer_short(run, planned)
        counted = self._owed_short(run, short)
        over, rate = [0.0] * len(self.seller_market), [0.0] * len(self.seller_market)
        for f in range(len(self.seller_market)):
            owed = sum(map(counted.__getitem__, lay.out_lanes[f]))
            asked, can = run.throughput[f] + owed / RESTOCKING_DAYS, run.capacity_today[f]
            if owed > 0:
                # What it can make today: its capacity or, if lower, the rate its inputs support, but not less
                # than its throughput (inputs that keep arriving keep it going; asked only that, the input
                # rate cannot bind).
                can = min(can, max(input_rate(run, f), run.throughput[f]))
            over[f], rate[f] = max(asked - can, 0.0), max(run.throughput[f] - can, 0.0)
        if any(rate):
            # A rate shortfall is supply lost for as long as it lasts, less what the buyers' buffers cover.
            lasting = self._lasting_loss(run, t, rate, cover)
            over = [o - r + x / RESTOCKING_DAYS for o, r, x in zip(over, rate, lasting)]
        unserved = [0.0] * n
        for f, m in enumerate(self.seller_market):
            unserved[m] += over[f]
        old = list(self.index)
        duty = None if self.input_basket is None else self._input_duty(tariff)
        if self.unmet is not None:
            # Final demand not served is supply lost as much as stock drawn (USGS: the share of a year's supply lost).
            deficit = [d + q for d, q in zip(deficit, self.unmet)]
        lost = None if self.sales_seller is None else self._lost_sales(run, t)
        premium = None if self.util_seller is None else self._utilisation(run)
        for m in range(n):
            gap = (deficit[m] / RESTOCKING_DAYS + unserved[m]) * self.gap_scale[m]
            v = 0.0 if lost is None else lost[m]
            if duty is None:
                passed = sum([share * (old[k] - 1.0) for k, share in self.inputs[m]])
            else:
                # Inputs cost their market's price times the duty on the sellers' input lanes (landed cost).
                passed = sum([share * (old[k] * duty[e] - 1.0) for e, k, share in self.entries[m]])
            u = 1.0 if premium is None else premium[m]
            if abs(gap) <= NEUTRAL_TOLERANCE and passed == 0.0 and not v > NEUTRAL_TOLERANCE and u == 1.0:
                target = 1.0
            else:
                if not self.priced[m] or abs(gap) <= NEUTRAL_TOLERANCE:
                    scarcity = 1.0
                elif gap >= 1.0:
                    scarcity = float("inf")
                else:
                    try:
                        scarcity = (1.0 - gap) ** (-1.0 / self.exponent[m])
                    except OverflowError:
                        scarcity = float("inf")
                if self.priced[m] and v > NEUTRAL_TOLERANCE and scarcity != float("inf"):
                    # Lost sales: the demand the market faces falls by v, D = (1 - v) D0 pi^beta_d.
                    scarcity = scarcity * max(1.0 - v, 0.0) ** (1.0 / self.exponent[m])
                if u != 1.0 and scarcity != float("inf"):
                    # Fabs above their normal utilisation price along their short-run supply up to capacity.
                    scarcity = scarcity * u
                target = min(self.cap[m], max(self.floor[m], scarcity + passed))
            self.index[m] = old[m] + (target - old[m]) / self.adjustment[m]
        if not self.feedback:
            return
        price, freight = run.c.lane_price.tolist(), run.c.lane_freight.tolist()
        if self.basket is not None:
            for d, pairs in enumerate(self.basket):
                base = self.base_cost[d]
                now = sum([w * (price[l] * (1.0 + tariff[l]) + freight[l]) for l, w in pairs])
                self.landed[d] = now / base if base > 0 else 1.0
        # The lanes where a control holds exports back today: a ban's or a denying licence regime's, and a
        # quota's once its period's quota is used up (what is left at the end of yesterday, on a day that opens
        # no new period).
        controlled = set()
        for first, stop, lanes in self.control_windows:
            if first <= t < stop:
                controlled.update(lanes)
        for q, spec in enumerate(run.quotas):
            if (spec.first <= t < spec.stop and quota_reset(spec, t) is None
                    and run.quota_left[q] <= QUOTA_USED_UP * spec.amount):
                controlled.update(spec.lanes.tolist())
        for l, m in enumerate(self.lane_market):
            origin, rho = self.index[m], self.tilt[l]
            if l in controlled:
                # Where a control holds exports back, they are offered at the higher of the exporter's and the
                # buyer's price.
                origin = max(origin, self.index[self.lane_dest_market[l]])
            if origin == 1.0 and rho == 1.0:
                continue  # landed cost at the reference price: no tilt to follow
            at_reference = price[l] * (1.0 + tariff[l]) + freight[l]
            ratio = (price[l] * origin * (1.0 + tariff[l]) + freight[l]) / at_reference if at_reference > 0 else 1.0
            self.tilt[l] = rho + (ratio ** -self.lane_sigma[l] - rho) * self.lane_step[l]

    def _buffer_band(self, deficit: list[float], held: list[float], normal: list[float]) -> list[float]:
        """The stock deficit less the part of the buffer draw (or glut) that is no gap (§5.9, update).

        Stock is held to be drawn: of the draw below normal up to the buffer only the buffer weight counts
        (buyers bid to restore what they drew); stock above what buyers plan to hold, up to the buffer, is a
        glut only by the same weight (it refills buffers drawn elsewhere).
        """
        return [d - q * min(max(a - h, 0.0), k) + q * min(max(h - w, 0.0), k)
                for d, a, w, h, k, q in zip(deficit, self.normal_stock, normal, held, self.buffer, self.buffer_keep)]

    def _utilisation(self, run: Run) -> list[float]:
        """Each market's factor from its fabs' utilisation (docs/model.md §5.9, utilisation).

        The fabs' throughput (each at most its capacity today) over their capacity today, against the
        market's normal utilisation: ``(u / u_ref) ** nu`` above it (beyond the neutral tolerance), else 1.
        """
        used, room = [0.0] * len(self.index), [0.0] * len(self.index)
        for f, m in enumerate(self.seller_market):
            if self.util_seller[f]:
                used[m] += min(run.throughput[f], run.capacity_today[f])
                room[m] += run.capacity_today[f]
        out = [1.0] * len(self.index)
        for m, ref in enumerate(self.util_ref):
            if room[m] > 0.0 and ref > 0.0:
                ratio = used[m] / room[m] / ref
                if ratio > 1.0 + NEUTRAL_TOLERANCE:
                    out[m] = ratio ** self.util_exponent[m]
        return out

    def _lost_sales(self, run: Run, t: int) -> list[float]:
        """Each market's lost sales as a share of its normal flow (docs/model.md §5.9, lost sales).

        A seller's sales are its throughput plus what it owes (except on lanes of an
        export quota in force today) over the throughput's mean age; what falls
        short of its normal rate, up to what it can make today and beyond its normal
        output stock spread over the restocking year (which it stocks) and its spare capacity (which it
        idles), it is not asked for.
        """
        lay = run.layout
        bound = set()
        for first, stop, lanes in self.quota_windows:
            if first <= t < stop:
                bound.update(lanes)
        owed = [0.0] * len(self.seller_market)
        for l, f in enumerate(lay.lane_origin):
            if l not in bound:
                owed[f] += run.owed[l]
        out = [0.0] * len(self.index)
        for f, m in enumerate(self.seller_market):
            if self.sales_seller[f]:
                # Sales lost up to its normal output stock over the restocking year it stocks, and up to the
                # spare capacity it idles, not prices (the compiled band).
                sales = run.throughput[f] + owed[f] / THROUGHPUT_DAYS + self.sales_band[f]
                idle = max(min(self.normal_seller[f], run.capacity_today[f]) - sales, 0.0)
                if idle > 0.0:
                    # Up to what it can make: capacity or, if lower, what its inputs support (not below its
                    # throughput).
                    can = min(run.capacity_today[f], max(input_rate(run, f), run.throughput[f]))
                    idle = max(min(self.normal_seller[f], can) - sales, 0.0)
                out[m] += idle
        return [x * k for x, k in zip(out, self.gap_scale)]

    def _unmet(self, run: Run, demand: list[float]) -> None:
        """Age each market's account of unmet final demand one day and add the day's (§5.9, update).

        The day's unmet demand is the demand at the reference price that a consumer
        stock, just after arrivals and after its backlog, cannot serve; the account
        keeps ``1 - 1 / adjustment days`` of what it held.
        """
        stock, backlog = run.stock, run.backlog
        lost = [max(x - max(stock[s] - b, 0.0), 0.0) for x, s, b in zip(demand, run.layout.demand_stock, backlog)]
        if self.unmet is None:
            if not any(lost):
                return
            self.unmet = [0.0] * len(self.index)
        day = [0.0] * len(self.index)
        for d, m in enumerate(self.demand_market):
            day[m] += lost[d]
        self.unmet = [q * k + x for q, k, x in zip(self.unmet, self.unmet_keep, day)]

    def _input_duty(self, tariff: list[float]) -> list[float]:
        """Tariff factor of each input-cost share's baseline basket: ``1 + sum x p (tau - tau0) / base`` (§5.9)."""
        assert self.input_basket is not None
        p, t0 = self.landed_price, self.tariff_start
        out = []
        for pairs, base in zip(self.input_basket, self.input_base):
            now = sum([w * (p[l] * (tariff[l] - t0[l])) for l, w in pairs])
            out.append(1.0 + now / base if base > 0 else 1.0)
        return out

    def _planned(self, run: Run, t: int) -> tuple[list[float], list[float]] | None:
        """Stock the buyers plan above normal on day ``t`` and bid for, by market and by buyer (§5.9, normal levels).

        The compiled planned extra ``E_b`` less what buyer ``b`` holds as licence applications awaiting a decision,
        up to the extra its ordering target plans today (``target_extra``): that part of its raised target is the
        licence wait in its position. ``None`` when no buyer plans any.
        """
        if self.target_extra is None or self.buyer_extra is None:
            return None
        market = self.target_extra[min(t, len(self.target_extra) - 1)]
        buyer = self.buyer_extra[min(t, len(self.buyer_extra) - 1)]
        awaiting = run.awaiting
        if awaiting is None or not any(awaiting):
            return market, buyer
        lanes = run.layout.buyer_lanes
        waiting = [min(sum([awaiting[l] for l in lanes[b]]), e) if e > 0.0 else 0.0
                   for b, e in enumerate(run.target_extra_today)]
        if not any(waiting):
            return market, buyer
        less = [0.0] * len(market)
        for b, m in enumerate(self.buyer_market):
            less[m] += waiting[b]
        return [a - w for a, w in zip(market, less)], [e - w for e, w in zip(buyer, waiting)]

    def _buyer_short(self, run: Run, planned: tuple[list[float], list[float]] | None) -> tuple[list[float], list[float]]:
        """Each buyer's shortfall beyond its buffer, and the stock it can draw before it is short (§5.9).

        ``planned``: `_planned` of the day (the planned extra each buyer bids for).
        """
        lay = run.layout
        extra = None if planned is None else planned[1]
        short, cover = [], []
        for b, (a, k) in enumerate(zip(self.buyer_normal, self.buyer_buffer)):
            h = run.stock[lay.buyer_stock[b]]
            want = a if extra is None else a + extra[b]
            lack = max((want - h) - min(max(a - h, 0.0), k), 0.0)
            short.append(lack)
            cover.append(0.0 if lack > 0.0 else max(h - want + k, 0.0))
        return short, cover

    def _loss_days(self, run: Run, t: int, f: int) -> float:
        """Days seller ``f``'s rate shortfall is expected to last (§5.9, update).

        Without capacity today, a seller announcing its restart (the end of a
        scheduled total loss, or its random outages' mean duration, §5.7) is
        short until then plus its cold restart's withheld days if its stop is by
        then long enough (§5.4.2; ``down`` counts the days before today); else,
        below its normal rate on a schedule that gives it back, until its
        scheduled capacity makes that rate again; else a restocking year.
        """
        lay = run.layout
        day = min(t, lay.n_days - 1)
        cap = run.capacity_today[f]
        ahead = 0.0 if self.short_days is None else self.short_days[day][f]
        # Below its normal rate on a schedule that gives it back: short until the schedule does.
        scheduled = min(ahead, RESTOCKING_DAYS) if ahead > 0 and cap < self.normal_seller[f] else RESTOCKING_DAYS
        if cap > 0.0:
            return scheduled
        known = 0.0 if lay.restart_in is None else lay.restart_in[day][f]
        drawn = 0.0 if lay.outage_days is None else lay.outage_days[f]
        announced = known if known > 0 else drawn
        if not announced > 0:
            return scheduled
        wait = announced
        cold = lay.cold[f]
        if cold is not None and run.down[f] + wait >= cold[0]:
            wait = wait + lay.withheld[f][0]
        return min(wait, RESTOCKING_DAYS)

    def _lasting_loss(self, run: Run, t: int, rate: list[float], cover: list[float]) -> list[float]:
        """Each seller's rate shortfall times the days it lasts, less its buyers' cover (§5.9, update).

        Shared among its lanes by steady flow; each buyer's cover shared among
        the losses on its lanes by size; a seller without steady flow counts
        its loss in full.
        """
        lay = run.layout
        loss = [r * self._loss_days(run, t, f) if r > 0.0 else 0.0 for f, r in enumerate(rate)]
        lane_loss = [loss[f] * w for f, w in zip(lay.lane_origin, self.lane_weight)]
        total = [0.0] * len(cover)
        for l, b in enumerate(lay.lane_buyer):
            total[b] += lane_loss[l]
        part = [1.0 - k / x if x > k else 0.0 for x, k in zip(total, cover)]
        net = [0.0] * len(rate)
        for l, f in enumerate(lay.lane_origin):
            net[f] += lane_loss[l] * part[lay.lane_buyer[l]]
        return [x if h > 0.0 else y for x, y, h in zip(net, loss, self.normal_seller)]

    def _owed_short(self, run: Run, short: list[float]) -> list[float]:
        """The orders owed on each lane that count as scarcity: up to the buyer's shortfall beyond its buffer.

        A buyer drawing its buffer, or back at normal cover, is owed a refill
        of which only the lane's bid weight counts (buyers facing a queue bid for
        their place in it); its shortfall is shared among the lanes that owe
        it by what each owes (docs/model.md §5.9, update).
        """
        lay, owed = run.layout, run.owed
        owed_b = [0.0] * len(self.buyer_normal)
        for l, b in enumerate(lay.lane_buyer):
            owed_b[b] += owed[l]
        part = [s / o if o > s else 1.0 for s, o in zip(short, owed_b)]
        if self.lane_bid is None:
            return [o if part[b] == 1.0 else o * part[b] for o, b in zip(owed, lay.lane_buyer)]
        # Bidding ahead: of what is owed beyond the buyer's shortfall, the lane's bid weight counts.
        out = []
        for l, (o, b) in enumerate(zip(owed, lay.lane_buyer)):
            k = part[b] if part[b] == 1.0 else part[b] + self.lane_bid[l] * (1.0 - part[b])
            out.append(o if k == 1.0 else o * k)
        return out

    def demand(self, demand: list[float]) -> list[float]:
        """The day's final demand after demand destruction, ``D (pi kappa) ** beta_d`` (``D`` when that is 1)."""
        out = list(demand)
        for d, m in enumerate(self.demand_market):
            pi = self.index[m] * self.landed[d]
            if pi != 1.0:
                out[d] = demand[d] * pi ** self.demand_elasticity[d]
        return out

    def share(self, run: Run, share: list[float]) -> list[float]:
        """Target shares tilted by the origins' prices, normalised per buyer (exact where every tilt is 1)."""
        tilt = self.tilt
        out = list(share)
        for lanes in run.layout.buyer_lanes:
            if all(tilt[l] == 1.0 for l in lanes):
                continue
            total = sum([share[l] * tilt[l] for l in lanes])
            if total > 0:
                for l in lanes:
                    out[l] = share[l] * tilt[l] / total
        return out

    def stock_prices(self) -> list[float]:
        """The recorded ``price``: each stock's market price in USD per unit."""
        return [self.index[m] * p for m, p in zip(self.stock_market, self.stock_price)]
