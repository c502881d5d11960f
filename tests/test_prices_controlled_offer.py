"""Export offers under an export control (docs/model.md §5.9, sourcing): a buyer's price tilt reads the
higher of the exporter's and its own market's price on a lane where the control holds exports back (B(t): a
ban, a licence regime that can deny, a quota used up in its period), so an exporter's home price cut does not
draw buyers towards the lanes its control holds back; under a licence every application gets (automatic, it
holds nothing back) the tilt reads the exporter's own price."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from supplychain import simulate
from supplychain.analytics._toy import toy_network
from supplychain.compile.compiler import compile_scenario
from supplychain.model import ExportControl, Fixed, Scenario

from .conftest import assert_engines_agree


def _licence(start: int = 5, end: int | None = None, horizon: int = 90, approval: float = 0.5,
             control: ExportControl | None = None) -> Scenario:
    control = control or ExportControl(exporter="CN", commodity="ore", mode="licence", start=start, end=end,
                                       processing_delay=Fixed(20.0), approval_probability=approval)
    # The CN mine at capacity (7 t/day, its normal rate): with no spare capacity to idle, the licence waits
    # cut its price (docs/model.md §5.9, lost sales).
    net = toy_network()
    net = dataclasses.replace(net, facilities=(dataclasses.replace(net.facilities[0], capacity_per_day=7.0),
                                               *net.facilities[1:]))
    return Scenario(net, horizon_days=horizon, name="toy licence", shocks=(control,), price_feedback=True)


def _index(res, commodity: str, region: str) -> np.ndarray:
    coords = res.coords
    stock = [i for i, (r, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"]))
             if r == region and k == commodity][0]
    ref = {c.id: c.price_usd for c in res.scenario.network.commodities}[commodity]
    return res.arrays["price"][0, :, stock] / ref


def _des_tilts(sc: Scenario) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The DES's recorded series of run 0 and its lanes' tilts after each day's price update, (T, L)."""
    from supplychain.engines.des.layout import Layout
    from supplychain.engines.des.prices import Prices
    from supplychain.engines.des.run import Run
    from supplychain.engines.draws import draw_run, run_seed_sequences

    c = compile_scenario(sc)
    tilts: list[list[float]] = []
    update = Prices.update

    def recording(self, run, t, tariff, demand):  # type: ignore[no-untyped-def]
        update(self, run, t, tariff, demand)
        tilts.append(list(self.tilt))

    Prices.update = recording  # type: ignore[method-assign]
    try:
        series = Run(c, Layout(c), draw_run(c, run_seed_sequences(0, 1)[0]), None).run()
    finally:
        Prices.update = update  # type: ignore[method-assign]
    return series, np.array(tilts)


def _vector_tilts(sc: Scenario) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The vector engine's recorded series of run 0 and its lanes' tilts after each day's price update, (T, L)."""
    from supplychain.engines import prices

    tilts: list[np.ndarray] = []
    apply = prices.apply

    def recording(c, s, *args):  # type: ignore[no-untyped-def]
        out = apply(c, s, *args)
        tilts.append(s.prices.tilt[0].copy())
        return out

    prices.apply = recording  # type: ignore[assignment]
    try:
        res = simulate(sc, engine="vector", seed=0)
    finally:
        prices.apply = apply  # type: ignore[assignment]
    return {"price": res.arrays["price"][0], "flow": res.flow[0]}, np.array(tilts)


def _tilts(sc: Scenario, engine: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    if engine == "des":
        series, tilts = _des_tilts(sc)
        return {k: np.asarray(v) for k, v in series.items()}, tilts
    return _vector_tilts(sc)


def _recompute(sc: Scenario, series: dict[str, np.ndarray],  # type: ignore[no-untyped-def]
               offer_days) -> dict[int, np.ndarray]:
    """Both KR lanes' tilts by hand: the CN lane reads max(pi_CN, pi_KR) on ``offer_days(t)``, else pi_CN; the
    ROW lane pi_ROW; each follows its target at 1 / switching lag (no tariff)."""
    c = compile_scenario(sc)
    spec = c.schedules.extras["prices"]
    lanes = [lane.id for lane in sc.network.lanes]
    cn, row = lanes.index("CN.mine>KR.cells"), lanes.index("ROW.mine>KR.cells")
    stocks = {r: next(i for i, m in enumerate(spec.stock_market) if spec.labels[m] == ("ore", r))
              for r in ("CN", "KR", "ROW")}
    pi = {r: np.asarray(series["price"])[:, i] / spec.stock_price[i] for r, i in stocks.items()}
    rho, out = {cn: 1.0, row: 1.0}, {cn: [], row: []}
    for t in range(sc.horizon_days):
        for lane, origin in ((cn, pi["CN"][t]), (row, pi["ROW"][t])):
            if lane == cn and offer_days(t):
                origin = max(origin, pi["KR"][t])
            p, f = c.lane_price[lane], c.lane_freight[lane]
            rho[lane] += (((p * origin + f) / (p + f)) ** -spec.lane_sigma[lane] - rho[lane]) * spec.lane_step[lane]
            out[lane].append(rho[lane])
    return {lane: np.array(v) for lane, v in out.items()}


@pytest.mark.parametrize("engine", ["vector", "des"])
@pytest.mark.parametrize("approval", [1.0, 0.5])
def test_a_licence_that_can_deny_is_read_at_the_export_offer_an_automatic_one_at_the_exporters_price(
        engine: str, approval: float) -> None:
    # The KR cell plant buys ore from CN (the lane under licence from day 5 to 40, 20-day wait) and ROW. Licence
    # waits cut CN's sales (its price falls) while KR's stock runs down (its price rises). Approving everyone,
    # the licence holds nothing back: the CN lane reads pi_CN throughout and tilts towards CN's cheaper ore;
    # approving half, it reads max(pi_CN, pi_KR) while the control is in force and never tilts above 1.
    sc = _licence(start=5, end=40, approval=approval)
    series, tilts = _tilts(sc, engine)
    cn, row = (lambda ids: (ids.index("CN.mine>KR.cells"), ids.index("ROW.mine>KR.cells")))(
        [lane.id for lane in sc.network.lanes])
    expected = _recompute(sc, series, lambda t: approval < 1.0 and 5 <= t < 40)
    np.testing.assert_allclose(tilts[:, cn], expected[cn], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(tilts[:, row], expected[row], rtol=1e-12, atol=1e-15)
    if approval < 1.0:
        assert tilts[5:40, cn].max() <= 1.0
    else:
        assert tilts[5:40, cn].max() > 1.0      # CN's price cut is read: the automatic licence earns no premium


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_quota_lane_is_read_at_the_export_offer_from_the_day_after_its_quota_is_used_up(engine: str) -> None:
    # CN's quota of 30 t per 10 days from day 5 (it ships about 7 t a day): each period's quota is used up after
    # a few days. The tilt reads the offer on the days after the period's shipments reached the quota (by the
    # end of the day before; the day that opens a period resets it), CN's own price on the others.
    quota = ExportControl(exporter="CN", commodity="ore", mode="quota", quota_per_period=30.0, period_days=10,
                          start=5, end=45)
    sc = _licence(horizon=60, control=quota)
    series, tilts = _tilts(sc, engine)
    cn = [lane.id for lane in sc.network.lanes].index("CN.mine>KR.cells")
    shipped = np.asarray(series["flow"])[:, cn]
    used_up = np.zeros(sc.horizon_days, dtype=bool)
    for a in range(5, 45, 10):
        for t in range(a + 1, a + 10):
            used_up[t] = shipped[a:t].sum() >= 30.0 * (1 - 1e-9)
    assert used_up.any() and not used_up.all()              # both kinds of day occur
    expected = _recompute(sc, series, lambda t: bool(used_up[t]))
    np.testing.assert_allclose(tilts[:, cn], expected[cn], rtol=1e-12, atol=1e-15)
    assert_engines_agree(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))


def test_the_tilt_of_a_controlled_lane_follows_the_export_offer_by_the_hand_computed_recursion() -> None:
    # The KR cell plant buys ore from CN (the lane under a licence that can deny from day 5 to 40) and ROW.
    # Licence waits cut CN's sales (its price falls) while KR's stock runs down (its price rises). Recompute
    # both lanes' tilts from the recorded prices: the CN lane reads max(pi_CN, pi_KR) while the control is in
    # force and pi_CN after it, the ROW lane pi_ROW, each followed at 1 / switching lag.
    sc = _licence(start=5, end=40)
    c = compile_scenario(sc)
    spec = c.schedules.extras["prices"]
    series, tilts = _des_tilts(sc)
    lanes = [lane.id for lane in sc.network.lanes]
    cn, row = lanes.index("CN.mine>KR.cells"), lanes.index("ROW.mine>KR.cells")
    stocks = {r: next(i for i, m in enumerate(spec.stock_market) if spec.labels[m] == ("ore", r))
              for r in ("CN", "KR", "ROW")}
    pi = {r: series["price"][:, i] / spec.stock_price[i] for r, i in stocks.items()}
    assert pi["CN"][5:40].min() < 0.99 and pi["KR"][5:40].max() > 1.01  # the case the rule is about
    rho = {cn: 1.0, row: 1.0}
    for t in range(sc.horizon_days):
        for lane, origin in ((cn, pi["CN"][t]), (row, pi["ROW"][t])):
            if lane == cn and 5 <= t < 40:
                origin = max(origin, pi["KR"][t])
            p, f = c.lane_price[lane], c.lane_freight[lane]
            target = ((p * origin + f) / (p + f)) ** -spec.lane_sigma[lane]
            rho[lane] += (target - rho[lane]) * spec.lane_step[lane]
        np.testing.assert_allclose([tilts[t, cn], tilts[t, row]], [rho[cn], rho[row]], rtol=1e-12, atol=1e-15)
    # While the control is in force the CN lane is never cheaper than the KR buyer's own market: its tilt
    # does not rise above 1 although the CN price is below the reference.
    assert tilts[5:40, cn].max() <= 1.0


def test_an_exporters_price_cut_does_not_draw_buyers_to_its_controlled_lanes() -> None:
    # Without the export-offer rule the CN lane would tilt up as CN's price falls; with it its tilt stays
    # at or below 1 for the whole control.
    series, tilts = _des_tilts(_licence())
    cn = [lane.id for lane in toy_network().lanes].index("CN.mine>KR.cells")
    assert tilts[5:, cn].max() <= 1.0


def test_engines_agree_on_the_tilt_of_controlled_lanes() -> None:
    sc = _licence(start=5, end=40, horizon=70)
    assert_engines_agree(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))
