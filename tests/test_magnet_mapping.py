"""How a magnet shortfall reaches industries (docs/model.md §8.3, tools/magnet_path.py).

Every car needs NdFeB magnets (China's 2025 licensing stopped combustion-engine lines: Ford's Explorer, Suzuki's
Swift), so motor vehicles' dependence is 1, capped by the content derived from the baseline's magnet use. Magnet
users are split by end use (car parts, motors, devices; tools/baseline/minerals.py), each a column of its own
whose shortfall reaches its own sectors, pro rata among them; with every group short by the same share the loss is
the pooled column's (docs/model.md §8.3, end-use segments). The car-parts makers' tranches (14, 42 and 70 days of
stock) reach the same sector in the same shares, so they are one column: a tranche short by s is the column short by
its share of the column's demand times s.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from supplychain import load_baseline
from supplychain.impact.loss import InputMap, value_added_loss
from supplychain.impact.table import load_io_table

MAGNET = "ndfeb_magnet"


@pytest.fixture(scope="module")
def mapped():  # type: ignore[no-untyped-def]
    net = load_baseline(horizon_days=30).network
    table = load_io_table()
    return net, table, InputMap.build(net, table)


def _column(im, table, region, segment="car_parts"):  # type: ignore[no-untyped-def]
    k = im.columns.index((region, MAGNET, segment))
    r, n_s = table.regions.index(region), len(table.sectors)
    return k, slice(r * n_s, (r + 1) * n_s)


def test_every_cars_output_needs_magnets_capped_by_the_derived_content(mapped) -> None:  # type: ignore[no-untyped-def]
    net, table, im = mapped
    j = table.sectors.index("C29")
    assert np.all(table.dependence[MAGNET][:, j] == 1.0)
    # the content is the vehicles' use share of the world's magnets over the world's vehicle output:
    # 0.3 x 288,889 t x 49,200 USD/t (China's export unit value of 2024) / 4,912 bn USD (JP 519 + KR 170 + US 720 +
    # CN 1,380 + TW 22 + ROW 2,100)
    assert table.content[MAGNET][j] == pytest.approx(0.3 * 288_889 * 49_200 / 4_911e9, rel=1e-3)
    # US: supply 29.435 t/day (China's customs' 12.7 % of its exports plus Japanese and US makers' sales,
    # tools/baseline/minerals.py) x 365 x 49,200 USD/t = 528.6 M USD a year, of which the car-parts makers buy 0.3 =
    # 158.6 M (all of it for cars, u = 1 in their column); they make 720 bn USD at 0.000868 USD of magnets per USD,
    # so 158.6 M / (0.000868 x 720 bn) = 25 % of US car output can be the output that needs magnets (in tonnes, as
    # before the price was the customs' unit value: the price cancels)
    k, blk = _column(im, table, "US")
    by_hand = 0.3 * 29.435 * 365 * 49_200 / (table.content[MAGNET][j] * 720e9)
    assert im.dependence[k, blk][j] == pytest.approx(by_hand, rel=1e-4)
    assert by_hand == pytest.approx(0.254, abs=0.002)


def test_magnet_users_share_a_shortfall_pro_rata(mapped) -> None:  # type: ignore[no-untyped-def]
    _, table, im = mapped
    assert MAGNET not in table.priority
    for region in table.regions:
        for segment in ("car_parts", "motors", "devices"):
            k, blk = _column(im, table, region, segment)
            users = im.use[k, blk] > 0
            assert np.all(im.later[k, blk][users] == 0.0)          # nobody is served after anyone
            assert np.allclose(im.group[k, blk][users], 1.0)       # one rank: s_j = s for every user
        k, blk = _column(im, table, region, "motors")
        assert np.allclose(im.use[k, blk][[1, 2]], [0.7, 0.3])     # C27 : C28 as magnets' use shares 0.35 : 0.15


@pytest.mark.parametrize("short", [("car_parts",), ("car_parts", "car_parts_6w", "car_parts_10w")])
def test_a_us_car_parts_magnet_shortfall_stops_us_car_output_by_dependence_times_share(mapped, short) -> None:  # type: ignore[no-untyped-def]
    # Oracle: with only the US car-parts tranches in ``short`` short by s on every day, the column (all three
    # tranches) is short by a s, a their share of its demand (1/3 for the 14-day tranche, 1 for all three); day 0's
    # shortfall is a s less the substitution of its first day (sigma x 1 / T: day 0 counts as the first), and pro
    # rata rationing makes every US user short by that share, so US motor vehicles keep kappa = 1 - w s~ on day 0 and
    # make kappa x0 (ARIO: orders met, stocks full): the day's value added lost is v w s~ x0.
    net, table, im = mapped
    days, s = 3, 0.2
    demand = np.array([[[d.rate_per_day for d in net.demands]] * days])
    delivered = demand.copy()
    cars = [i for i, d in enumerate(net.demands) if d.region == "US" and d.commodity == MAGNET
            and (d.segment or "").startswith("car_parts")]
    assert len(cars) == 3
    us = [i for i in cars if net.demands[i].segment in short]
    a = sum(net.demands[i].rate_per_day for i in us) / sum(net.demands[i].rate_per_day for i in cars)
    assert a == pytest.approx(len(short) / 3, rel=1e-9)
    delivered[:, :, us] *= 1 - s
    loss = value_added_loss(demand, delivered, net, table=table).daily[0, 0]
    r, j = table.regions.index("US"), table.sectors.index("C29")
    k, blk = _column(im, table, "US")
    w = im.dependence[k, blk][j]
    x0 = table.output[r, j] / 365
    v = table.value_added[r * len(table.sectors) + j]
    sigma, t_sub = table.substitution[MAGNET]
    assert loss[r, j] == pytest.approx(v * w * (a * s - sigma / t_sub) * x0, rel=1e-9)
    # the car-parts makers' magnets reach motor vehicles only: no other US sector loses anything on day 0
    assert np.all(np.delete(loss[r], j)[:4] == 0.0)


def test_every_group_short_by_one_share_loses_what_the_pooled_users_lost(mapped) -> None:  # type: ignore[no-untyped-def]
    # The groups' shares are the table's magnet use shares, so with every US group short by the same s each sector is
    # short by s, as under one pooled column (the table without segment rows pools every magnet demand of a region).
    net, table, _ = mapped
    demand = np.array([[[d.rate_per_day for d in net.demands]] * 3])
    delivered = demand.copy()
    us = [i for i, d in enumerate(net.demands) if d.region == "US" and d.commodity == MAGNET]
    assert len(us) == 5     # three car-parts tranches, motors, devices
    delivered[:, :, us] *= 0.8
    split = value_added_loss(demand, delivered, net, table=table).daily
    pooled = value_added_loss(demand, delivered, net, table=dataclasses.replace(table, segment_use={})).daily
    assert split.sum() > 0
    assert split == pytest.approx(pooled, rel=1e-9, abs=1e-6)


def test_the_car_parts_tranches_are_one_column_per_region(mapped) -> None:  # type: ignore[no-untyped-def]
    # Tranches reach C29 alone, as the first: one column named car_parts summing the three demands, never a column
    # per tranche (kappa takes the largest column's shortfall, so a dry 14-day tranche would stop all car output).
    net, table, im = mapped
    assert not any(seg in ("car_parts_6w", "car_parts_10w") for _, _, seg in im.columns)
    for region in table.regions:
        k, _ = _column(im, table, region)
        ids = [net.demands[d].segment for d in im.summing[k].indices]
        assert sorted(ids) == ["car_parts", "car_parts_10w", "car_parts_6w"]


def test_magnets_are_valued_at_customs_price_and_contents_held_in_tonnes(mapped) -> None:  # type: ignore[no-untyped-def]
    # The price is what buyers pay: China's customs, 2024 exports of rare-earth permanent magnets 58,152 t for
    # 2.86 bn USD (docs/model.md §8.3, *Magnets*), not the NdPr content (0.30 t x 69,000 USD/t / 0.75 = 27,600)
    net, table, _ = mapped
    price = net.commodity(MAGNET).price_usd
    assert price == pytest.approx(2.86e9 / 58_152, rel=1e-3)
    # C26-C28's contents are kg of magnet per 1,000 USD of the product that needs it x the price, so the output at
    # stake per tonne of magnets, 1 / (content / price), is what the table had at 27,600 USD/t with contents 0.002,
    # 0.05 and 0.03 USD per USD (to 3 significant figures), whatever the price
    for sector, old in (("C26", 0.002), ("C27", 0.05), ("C28", 0.03)):
        theta = table.content[MAGNET][table.sectors.index(sector)]
        assert theta / price == pytest.approx(old / 27_600, rel=3e-3)
    # gallium in magnets: 0.92 kg/t x 580 USD/kg = 533 USD per t of magnet, a share of the magnet's price
    assert table.content["gallium"][table.sectors.index("C27")] == pytest.approx(533 / price, abs=5e-5)
