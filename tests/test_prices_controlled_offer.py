"""Export offers under an export control (docs/model.md §5.9, sourcing): a buyer's price tilt reads the
higher of the exporter's and its own market's price on a controlled lane, so an exporter's home price
cut does not draw buyers towards the lanes its control holds back."""

from __future__ import annotations

import dataclasses

import numpy as np

from supplychain import simulate
from supplychain.analytics._toy import toy_network
from supplychain.compile.compiler import compile_scenario
from supplychain.model import ExportControl, Fixed, Scenario

from .conftest import assert_engines_agree


def _licence(start: int = 5, end: int | None = None, horizon: int = 90) -> Scenario:
    control = ExportControl(exporter="CN", commodity="ore", mode="licence", start=start, end=end,
                            processing_delay=Fixed(20.0))
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


def test_the_tilt_of_a_controlled_lane_follows_the_export_offer_by_the_hand_computed_recursion() -> None:
    # The KR cell plant buys ore from CN (the lane under licence from day 5 to 40) and ROW. Licence waits cut
    # CN's sales (its price falls) while KR's stock runs down (its price rises). Recompute both lanes' tilts
    # from the recorded prices: the CN lane reads max(pi_CN, pi_KR) while the control is in force and pi_CN
    # after it, the ROW lane pi_ROW, each followed at 1 / switching lag.
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
    assert_engines_agree(simulate(sc, engine="vector"), simulate(sc, engine="des"))
