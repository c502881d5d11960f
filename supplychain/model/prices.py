"""Parameters of the scarcity-price state: short-run elasticities, adjustment time and bounds by value chain.

Every market (a commodity in a region) carries a price index that clears a
short-run demand and supply with constant elasticities against the market's
gap, the share of its normal flow that is short (``docs/model.md`` §5.9,
#prices). The
parameters below are the defaults of each value chain; they are ASSUMPTIONS
within the ranges of the sources named beside them, listed in
``docs/assumptions.md``. A commodity listed in `PRICE_BY_COMMODITY` takes
its own (none is today; see there why gallium and germanium keep the
minerals chain's):

* short-run demand and supply of minerals are price-inelastic, well below 1
  in absolute value (Tilton, J. E. & Guzmán, J. I. (2016), *Mineral
  Economics and Policy*, RFF Press, ch. 2; Fally, T. & Sayre, J. (2018),
  "Commodity trade matters", NBER WP 24965);
* chips and cells enter production in near-fixed proportions in the short
  run (Boehm, C. E., Flaaen, A. & Pandalai-Nayar, N. (2019), *Review of
  Economics and Statistics* 101(1): 60-75), so their demand and supply
  elasticities are the lowest;
* the adjustment time follows how prices are set: minerals are quoted
  weekly by price reporting agencies (two weeks), battery materials and
  cells in monthly contracts (30 days), chips in quarterly contracts
  (60 days, the time to half of a quarter's reset and the next);
* the bounds keep the constant-elasticity reduced form from running away as
  the gap approaches a whole year's flow:
  a year-long loss of China's gallium exports moves the price by about
  +150 % in the USGS partial-equilibrium model (Nassar, N. T. et al.
  (2024), USGS Open-File Report 2024-1057), and battery-grade lithium
  carbonate rose 4.4-fold between the 2020 and 2022 annual averages (USGS
  Mineral Commodity Summaries 2023, Lithium), so a cap of five times the
  reference price and a floor of half of it bound every case seen;
* buyers hold stock to draw it: the **buffer share** is the part of a
  buyer's normal stock it draws before the draw counts as scarcity. Chips
  are sold on contract and their buyers drew most of their buffers in the
  2021 shortage while foundry contract prices rose by at most about 20 %
  (TSMC, August 2021): the median inventory held by chip consumers fell
  from 40 days in 2019 to less than 5 days in 2021 (U.S. Department of
  Commerce (2022), *Results from Semiconductor Supply Chain Request for
  Information*, 25 January 2022, key findings), so the semiconductor
  buffer share is ``1 - 5/40 = 0.875``, and the buffer is the stock above the
  5 **working days** buyers keep (at most that share): a buyer that normally
  holds 5 days, as in 2021, has no buffer left to draw. The draw was not free: chip users bid to
  restore their buffers, and the **buffer weight** (`CHIP_BUFFER_WEIGHT`, calibrated on the same
  2021 episode) is the share of a final buyer's buffer draw that counts as scarcity all the same,
  and the **bid weight** (``CHIP_BID_WEIGHT``, calibrated on the foundries' 2021 queue: lead times
  from 12.5 to 21.7 weeks, Susquehanna Financial Group) the share of the orders a seller owes beyond what
  its buyers lack that counts: buyers facing a queue order ahead and bid for their place in it;
  mineral prices are quoted weekly in
  thin spot markets, where a buyer drawing stock bids for replacement at
  once (buffer share 0).
* wafer fabs price their output by their **utilisation**: a market whose fabs
  run above their normal utilisation ``u_ref`` (at least 2019's, ``CHIP_UTILISATION_2019``) prices at ``(u / u_ref) ** nu``
  (`utilisation_premium`), a short-run supply of fab output with elasticity
  ``1 / nu`` up to capacity. Foundry contract prices rose when fabs ran full in
  2021 (TSMC about +20 % for mature nodes from UMC's 2019 utilisation of 88.5 %,
  the calibration of `CHIP_UTILISATION_EXPONENT`) and held while utilisation
  fell to 66-70 % in 2023 (UMC quarterly results, 26 Apr 2023 and 31 Jan
  2024), so the term is 1 at or below the normal utilisation;
* sellers asked for less than their normal output either **shed output** at
  the reference price (horizontal supply below normal output) or **cut
  their price** along their short-run supply curve. Manufactured goods
  (chips, cells, battery materials) shed output: the foreign export supply
  of the goods hit by the 2018 US tariffs was horizontal and their
  ex-tariff prices did not fall (Fajgelbaum, P., Goldberg, P., Kennedy, P.
  & Khandelwal, A. (2020), "The return to protectionism", *QJE* 135(1):
  1-55; Amiti, M., Redding, S. & Weinstein, D. (2019), *JEP* 33(4):
  187-210). Mined and refined commodities cut their price: their output is
  set by mines and refineries that run near capacity in the short run
  (Tilton & Guzmán 2016, ch. 2); the exception of the 2018 tariffs was steel,
  whose foreign exporters cut their prices (Amiti, Redding & Weinstein
  (2020), *AEA Papers and Proceedings* 110: 541-546); China's 25 % tariff on
  US soybeans lowered US Gulf export prices by about 0.74 USD/bu for five
  months (Adjemian, M., Smith, A. & He, W. (2021), "Estimating the market
  effect of a trade war: the case of soybean tariffs", *Food Policy* 105:
  102152); and China's domestic surplus of gallium was expected to lower
  Chinese prices while its export licensing doubled the price outside
  China (Shanghai Metals Market via Bloomberg, 14 July 2023; Fastmarkets,
  Rotterdam 500-600 USD/kg on 15 December 2023 against 250-265 on 30 June).
* a price-cutting seller with **spare capacity** sheds output first: it
  cuts its price only for the sales it loses beyond its idle capacity
  (`sales_band`). Capacity it keeps idle at the reference price is
  capacity whose cost is at that price (the model serves extra orders from
  it at the reference), so idling more of it when asked for less costs the
  price nothing: China's gallium smelters, with output of 300-320 t in 2020
  against about 650 t/yr of capacity, cut their run rates when prices
  neared production costs (Argus, "China Ga prices set to rise further on
  renewed demand", 22 January 2021), and Chinese NdPr producers held their
  offers at production cost when demand was weak (Fastmarkets, 20 June
  2024); Chinese NdPr oxide fell by nearly 3 % in the week after the April
  2025 licensing of magnet exports cut magnet makers' orders (SMM, 18 April
  2025), not by a third.

The gap the price clears is a share of a year's normal flow
(`RESTOCKING_DAYS`): buyers' stock below normal and orders owed by
sellers are supply lost that is made good over a year, the period over
which the USGS disruption model clears annual supply lost against
inventories and spare capacity (Nassar, N. T., Shojaeddini, E., Alonso, E.,
Jaskula, B. & Tolcin, A. (2024), *Quantifying potential effects of China's
gallium and germanium export restrictions on the U.S. economy*, USGS
Open-File Report 2024-1057).

Implements docs/model.md §5.9 (prices): the parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .._validation import fail
from ._checked import Checked

__all__ = [
    "CHIP_BID_WEIGHT",
    "CHIP_BUFFER_SHARE",
    "CHIP_BUFFER_WEIGHT",
    "CHIP_LEAD_WEEKS_2021",
    "CHIP_LEAD_WEEKS_NORMAL",
    "CHIP_PRICE_RISE_2021",
    "CHIP_UTILISATION_2019",
    "CHIP_UTILISATION_EXPONENT",
    "CHIP_WORKING_DAYS",
    "PRICE_BY_COMMODITY",
    "PRICE_DEFAULTS",
    "RESTOCKING_DAYS",
    "SALES_DAYS",
    "SHEDS_OUTPUT_BY_STAGE",
    "PriceParams",
    "price_params",
    "sales_band",
    "sheds_output",
    "UTILISATION_STAGES",
    "utilisation_premium",
]

#: Days over which a stock deficit (buyers' stock below normal, orders owed by sellers) counts as a flow:
#: the one-year period of the USGS disruption model (Nassar et al. 2024, USGS OFR 2024-1057), in which
#: inventories drawn count as supply of the year. A deficit of x days of normal flow is a gap of x / 365.
RESTOCKING_DAYS = 365.0

#: Days over which what a seller owes counts as sales it will make: the mean age of its throughput (the
#: 30-day moving average of its shipments, docs/model.md §5.7), so that throughput plus backlog over these
#: days stays at the normal rate while the orders it receives do (docs/model.md §5.9, lost sales).
SALES_DAYS = 30.0

#: Share of their normal stock chip buyers draw before the draw counts as scarcity: the median chip
#: consumer's inventory fell from 40 days (2019) to under 5 days (2021) while foundry contract prices rose
#: by at most about 20 % (U.S. Department of Commerce 2022, Results from Semiconductor Supply Chain RFI).
CHIP_BUFFER_SHARE = 1.0 - 5.0 / 40.0

#: Days of its own normal inflow a chip buyer keeps when it has drawn its buffer: the median chip consumer's
#: inventory fell from 40 days (2019) to under 5 days (2021) (U.S. Department of Commerce 2022, Results from
#: Semiconductor Supply Chain RFI). The buffer is the stock above these days, at most the buffer share of the
#: normal stock: a buyer that normally holds 40 days draws 35 before the draw counts, one that holds 5 draws none.
CHIP_WORKING_DAYS = 5.0

#: Foundry contract price rise the 2021 draw of chip buyers' buffers went with: TSMC raised its prices by about
#: 20 % for mature nodes and 10 % for advanced ones (TSMC customer notice, reported by the Wall Street Journal and
#: Nikkei Asia, 25-26 August 2021). The calibration target of `CHIP_BUFFER_WEIGHT`.
CHIP_PRICE_RISE_2021 = 0.20

#: Short-run demand and supply elasticities of chips (near-fixed proportions, Boehm, Flaaen & Pandalai-Nayar 2019).
_CHIP_DEMAND_ELASTICITY, _CHIP_SUPPLY_ELASTICITY = -0.05, 0.05

#: Share of a chip buyer's draw of its buffer (and of stock held above normal within it) that counts as scarcity
#: (glut): buyers draw their buffers, then bid to restore them. Calibrated on ONE episode, 2021: chip users drew
#: their median inventory from 40 to under 5 days (U.S. Department of Commerce 2022, Results from Semiconductor
#: Supply Chain RFI) while foundry contract prices rose by about 20 % (`CHIP_PRICE_RISE_2021`). In a market
#: of final buyers alone, a draw of the 35 days of buffer is a gap of ``w * 35 / 365`` of the year's flow, and
#: the clearing price ``(1 - w * 35 / 365) ** (-1 / eta)`` with ``eta = 0.10`` (the semiconductors' supply
#: minus demand elasticity) is 1.20 at ``w = (1 - 1.20 ** -0.10) * 365 / 35 = 0.188``. Checked against the
#: 1999 Chi-Chi earthquake in docs/model.md §5.9 and ``tools/validate_prices.py``.
CHIP_BUFFER_WEIGHT = ((1.0 - (1.0 + CHIP_PRICE_RISE_2021) ** -(_CHIP_SUPPLY_ELASTICITY - _CHIP_DEMAND_ELASTICITY))
                      * RESTOCKING_DAYS / (40.0 - CHIP_WORKING_DAYS))

#: Weeks between ordering a chip and taking delivery before the 2021 shortage: 10 to 15 (Susquehanna Financial
#: Group's lead-time survey, reported by SemiMedia, 20 Jan 2023: "much higher than the 10 to 15 weeks before the
#: COVID-19 pandemic"); the middle of that range.
CHIP_LEAD_WEEKS_NORMAL = 12.5

#: Weeks between ordering a chip and taking delivery in September 2021, the month after TSMC's price rise
#: (``CHIP_PRICE_RISE_2021``): 21.7 (Susquehanna Financial Group, reported by Bloomberg, 12 Oct 2021).
CHIP_LEAD_WEEKS_2021 = 21.7

#: Share of the orders a chip seller owes beyond what its buyers lack beyond their buffers that counts as scarcity:
#: buyers facing a longer quoted lead time order ahead and bid for their place in the queue (bidding ahead,
#: docs/model.md §5.9). Calibrated on ONE episode, the foundries' queue in 2021: lead times stretched by
#: ``(21.7 - 12.5) * 7 = 64.4`` days of the sellers' flow (``CHIP_LEAD_WEEKS_NORMAL``,
#: ``CHIP_LEAD_WEEKS_2021``) while foundry contract prices rose about 20 % (``CHIP_PRICE_RISE_2021``). In a
#: market of sellers alone that queue is a gap of ``b * 64.4 / 365`` and the clearing price
#: ``(1 - b * 64.4 / 365) ** (-1 / 0.10)`` is 1.20 at ``b = (1 - 1.20 ** -0.10) * 365 / 64.4 = 0.102``. Checked
#: against the 1999 Chi-Chi earthquake in docs/model.md §5.9 and ``tools/validate_prices.py``.
CHIP_BID_WEIGHT = ((1.0 - (1.0 + CHIP_PRICE_RISE_2021) ** -(_CHIP_SUPPLY_ELASTICITY - _CHIP_DEMAND_ELASTICITY))
                   * RESTOCKING_DAYS / ((CHIP_LEAD_WEEKS_2021 - CHIP_LEAD_WEEKS_NORMAL) * 7.0))


#: Mean utilisation of a mature-node foundry's capacity in 2019, the year before the shortage: UMC's 83, 88, 91
#: and 92 % by quarter (UMC quarterly results, 2019), the utilisation from which 2021's full fabs raised their
#: contract prices (``CHIP_PRICE_RISE_2021``).
CHIP_UTILISATION_2019 = 0.885

#: Exponent of the fabs' utilisation term (docs/model.md §5.9, utilisation): a market's fab output prices at
#: ``(u / u_ref) ** nu`` of the reference when its fabs run at utilisation ``u`` above their normal ``u_ref``
#: (a short-run supply of fab output with elasticity ``1 / nu`` up to capacity, vertical at capacity).
#: Calibrated on ONE episode, 2021: mature-node foundries went from 2019's 88.5 % (``CHIP_UTILISATION_2019``)
#: to full while TSMC raised its mature-node contract prices by about 20 % (``CHIP_PRICE_RISE_2021``), so
#: ``nu = ln(1.20) / ln(1 / 0.885) = 1.49``. Checked in docs/model.md §5.9 against TSMC's +10 % for advanced
#: nodes in the same notice and against the 2022-23 fall of utilisation and mature prices.
CHIP_UTILISATION_EXPONENT = math.log(1.0 + CHIP_PRICE_RISE_2021) / math.log(1.0 / CHIP_UTILISATION_2019)

#: Stages whose sellers price their output by their utilisation: wafer fabs, whose foundry contract prices
#: rose when fabs ran full in 2021 (TSMC customer notice, August 2021; UMC's price rises with utilisation at
#: 100 %, UMC quarterly results 2021) and were cut when utilisation fell to 70-80 % in 2023 (TrendForce, 2023).
UTILISATION_STAGES = frozenset({"fab", "fab_new"})


@dataclass(frozen=True)
class PriceParams(Checked):
    """Short-run price parameters of one commodity's markets.

    Parameters
    ----------
    demand_elasticity : float
        Short-run own-price elasticity of demand, ``<= 0``.
    supply_elasticity : float
        Short-run price elasticity of supply, ``>= 0``.
    adjustment_days : float
        Days for the price to move its gap to the target (``>= 1``): each day
        it closes ``1 / adjustment_days`` of it.
    floor, cap : float
        Bounds of the price index (``0 < floor <= 1 <= cap``).
    buffer_share : float
        Share of its buyers' normal stock a market draws before the draw
        counts in its gap, in ``[0, 1]`` (0: every unit drawn counts; default).
    working_days : float
        Days of its normal inflow a buyer keeps below its buffer (``>= 0``,
        default 0): a buyer's buffer is its stock above these days, at most
        ``buffer_share`` of its normal stock (docs/model.md §5.9).
    buffer_weight : float
        Share of a draw of the buffer (and of stock held above normal within
        it) that counts in the market's gap, in ``[0, 1]`` (default 0: a
        buffer draw is no scarcity; 1: as if there were no buffer). Buyers
        that draw their buffers bid to restore them (docs/model.md §5.9).
    sheds_output : bool
        ``True`` (default): sellers asked for less than their normal output
        shed output at the reference price (horizontal supply below normal
        output). ``False``: their lost sales beyond their spare capacity and
        output stock (`sales_band`) lower the price along the
        short-run supply curve (docs/model.md §5.9, lost sales). A seller
        whose stage is in `SHEDS_OUTPUT_BY_STAGE` follows that table
        instead (`sheds_output`).
    bid_weight : float
        Share of the orders a seller owes beyond what its buyers lack that
        counts in the gap, in ``[0, 1]`` (default 0; docs/model.md §5.9,
        bidding ahead).
    utilisation_exponent : float
        Exponent ``nu >= 0`` of the utilisation term: the sellers of a stage in
        `UTILISATION_STAGES` running at utilisation ``u`` above their normal
        ``u_ref`` price their output at ``(u / u_ref) ** nu`` of the scarcity
        price (default 0: no term; `utilisation_premium`).

    Examples
    --------
    >>> p = PriceParams(-0.1, 0.2, 30.0, 0.5, 5.0)
    >>> round(p.exponent, 2), p.buffer_share
    (0.3, 0.0)
    >>> PriceParams(-0.1, 0.2, 30.0, 0.5, 5.0, buffer_share=1.5)
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: buffer_share must be in [0, 1]; got 1.5 for PriceParams.
    >>> PriceParams(0.1, 0.2, 30.0, 0.5, 5.0)
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: demand_elasticity must be in [-10, 0]; got 0.1 for PriceParams.
    """

    demand_elasticity: float
    supply_elasticity: float
    adjustment_days: float
    floor: float
    cap: float
    buffer_share: float = 0.0
    sheds_output: bool = True
    working_days: float = 0.0
    buffer_weight: float = 0.0
    bid_weight: float = 0.0
    utilisation_exponent: float = 0.0

    def __post_init__(self) -> None:
        checks = (("demand_elasticity", -10.0 <= self.demand_elasticity <= 0.0, "in [-10, 0]"),
                  ("supply_elasticity", 0.0 <= self.supply_elasticity <= 10.0, "in [0, 10]"),
                  ("adjustment_days", 1.0 <= self.adjustment_days <= 3650.0, "in [1, 3650]"),
                  ("floor", 0.0 < self.floor <= 1.0, "in (0, 1]"),
                  ("cap", 1.0 <= self.cap <= 1000.0, "in [1, 1000]"),
                  ("buffer_share", 0.0 <= self.buffer_share <= 1.0, "in [0, 1]"),
                  ("working_days", 0.0 <= self.working_days <= 3650.0, "in [0, 3650]"),
                  ("buffer_weight", 0.0 <= self.buffer_weight <= 1.0, "in [0, 1]"),
                  ("bid_weight", 0.0 <= self.bid_weight <= 1.0, "in [0, 1]"),
                  ("utilisation_exponent", 0.0 <= self.utilisation_exponent <= 100.0, "in [0, 100]"))
        for name, ok, expected in checks:
            if not ok:
                raise fail(name, expected, getattr(self, name), "PriceParams")

    @property
    def exponent(self) -> float:
        """``supply_elasticity - demand_elasticity``: the clearing exponent (0: a fixed price)."""
        return self.supply_elasticity - self.demand_elasticity


#: Default price parameters by value chain (ASSUMPTIONS within the cited ranges; see the module docstring).
PRICE_DEFAULTS: dict[str, PriceParams] = {
    "minerals": PriceParams(demand_elasticity=-0.15, supply_elasticity=0.10, adjustment_days=14.0,
                            floor=0.5, cap=5.0, sheds_output=False),
    "batteries": PriceParams(demand_elasticity=-0.10, supply_elasticity=0.20, adjustment_days=30.0,
                             floor=0.5, cap=5.0),
    "semiconductors": PriceParams(demand_elasticity=_CHIP_DEMAND_ELASTICITY, supply_elasticity=_CHIP_SUPPLY_ELASTICITY,
                                  adjustment_days=60.0,
                                  floor=0.5, cap=5.0, buffer_share=CHIP_BUFFER_SHARE,
                                  working_days=CHIP_WORKING_DAYS, buffer_weight=CHIP_BUFFER_WEIGHT,
                                  bid_weight=CHIP_BID_WEIGHT, utilisation_exponent=CHIP_UTILISATION_EXPONENT),
    "default": PriceParams(demand_elasticity=-0.20, supply_elasticity=0.20, adjustment_days=30.0,
                           floor=0.5, cap=5.0),
}


#: Price parameters of single commodities, which take the place of their chain's (`price_params`; docs/model.md
#: §5.9, parameters). Empty: every commodity takes its chain's. Gallium and germanium keep the minerals chain's
#: although the USGS disruption model moves their prices five-fold apart for the same loss of China's exports
#: (gallium > +150 %, germanium +26 %; Nassar et al. 2024, USGS OFR 2024-1057): the exponents that give those rises
#: at the share of world supply China's exports make (gallium 0.111, germanium 2.04, `tools/ga_ge_bans.py`) put
#: the shipped 2023 licensing's gallium (price feedback on) at 2.6-4.7 times the reference outside China on 1 Dec
#: 2023 (the cap, 5, by 2024), where the price outside China doubled (Fastmarkets, Rotterdam 500-600 USD/kg on
#: 15 Dec 2023 against 250-265 on 30 Jun), and its germanium at 1.1 at most through Sep 2024, where it rose from about 1,000 USD/kg early in 2023 to 2,600 in Oct 2024
#: (Project Blue, 8 Oct 2024); the minerals chain's exponent gives 1.6-2.1 and peaks of 1.8-2.3 (docs/model.md §13,
#: O-18).
PRICE_BY_COMMODITY: dict[str, PriceParams] = {}

#: Whether the sellers of a stage shed output (``True``) or cut their price (``False``) when asked for less than
#: their normal output, by what they are (docs/model.md §5.9, lost sales). Mines, refineries and scrap
#: refiners run near capacity in the short run and sell what they make (Tilton & Guzmán 2016, ch. 2); plants
#: that make goods to order shed output: the foreign export supply of the manufactured goods hit by the 2018
#: US tariffs was horizontal (Fajgelbaum et al. 2020), and China's NdFeB magnet makers cut output by about
#: 15 % in April-May 2025 when the magnet export licensing stopped most exports, storing customised magnets
#: they could not sell at home (Reuters, July 2025, "China's rare earth export controls are good for
#: Beijing, bad for business"). A stage not listed follows its chain's ``PriceParams.sheds_output``.
SHEDS_OUTPUT_BY_STAGE: dict[str, bool] = {
    "mine": False, "refinery": False, "recycling": False,
    "magnet": True, "material": True, "precursor": True, "cell_plant": True, "wafer": True, "chemical": True,
    "fab": True, "fab_new": True, "packaging": True, "equipment": True,
}


def sheds_output(chain: str, stage: str) -> bool:
    """Whether a seller of value chain ``chain`` at stage ``stage`` sheds output below its normal rate.

    The stage decides (`SHEDS_OUTPUT_BY_STAGE`); a stage not listed
    follows the chain's `PriceParams.sheds_output`.

    Examples
    --------
    >>> sheds_output("minerals", "refinery"), sheds_output("minerals", "magnet")
    (False, True)
    >>> sheds_output("minerals", "smelter"), sheds_output("batteries", "smelter")
    (False, True)
    """
    return SHEDS_OUTPUT_BY_STAGE.get(stage, price_params(chain).sheds_output)


def sales_band(normal_rate: float, capacity: float, output_stock: float) -> float:
    """Sales per day a price-cutting seller loses before it cuts its price (docs/model.md §5.9, lost sales).

    Two parts: its normal output stock spread over the restocking year (it
    stocks what it cannot sell first) and its **spare capacity**
    ``max(capacity - normal_rate, 0)``, which it idles further at the
    reference price. The short-run supply curve is flat over the idle
    capacity above normal output (extra orders are served from it at the
    reference price) and, for the same reason, over as much below it: the
    lines that run and the lines kept idle cost about the reference price,
    so a seller asked for less idles lines before its price falls (China's
    gallium smelters cut run rates when prices neared production costs,
    Argus, 22 January 2021). Only a seller near capacity, whose price is
    above its running cost, cuts its price along its supply curve.

    Parameters
    ----------
    normal_rate : float
        The seller's steady flow out, per day (``>= 0``).
    capacity : float
        Its capacity per day before any shock (``>= 0``).
    output_stock : float
        Its normal (initial) output stock (``>= 0``).

    Examples
    --------
    >>> round(sales_band(2441.0, 4383.6, 0.0), 1)  # China's crude gallium: 56 % of capacity in use
    1942.6
    >>> sales_band(10.0, 10.0, 36.5)  # at capacity: only its stock over the year
    0.1
    >>> sales_band(10.0, 10.0, -1.0)
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: output_stock must be >= 0; got -1.0 for sales_band.
    """
    for name, value in (("normal_rate", normal_rate), ("capacity", capacity), ("output_stock", output_stock)):
        if not value >= 0.0:
            raise fail(name, ">= 0", value, "sales_band")
    return output_stock / RESTOCKING_DAYS + max(capacity - normal_rate, 0.0)


def price_params(chain: str, commodity: str | None = None) -> PriceParams:
    """The price parameters of ``commodity`` of value chain ``chain``.

    A commodity listed in `PRICE_BY_COMMODITY` takes its own; any other its chain's (`PRICE_DEFAULTS`,
    ``"default"`` for a chain not listed).

    Examples
    --------
    >>> price_params("minerals").adjustment_days
    14.0
    >>> price_params("toys") == PRICE_DEFAULTS["default"]
    True
    >>> price_params("minerals", "germanium") == PRICE_DEFAULTS["minerals"]  # no commodity of its own
    True
    """
    if commodity is not None and commodity in PRICE_BY_COMMODITY:
        return PRICE_BY_COMMODITY[commodity]
    return PRICE_DEFAULTS.get(chain, PRICE_DEFAULTS["default"])


def utilisation_premium(utilisation: float, normal: float, exponent: float) -> float:
    """The factor on a market's scarcity price from its fabs' utilisation (docs/model.md §5.9, utilisation).

    ``(utilisation / normal) ** exponent`` when the fabs run above their
    normal utilisation (by more than ``1e-9`` of it), else 1: fab output is
    supplied with elasticity ``1 / exponent`` up to capacity, and contract
    prices below the normal utilisation stay at the reference (TSMC did not
    cut its mature-node prices in 2023).

    Parameters
    ----------
    utilisation : float
        The market's fab output over its fabs' capacity today, in ``[0, 1]``.
    normal : float
        Their normal utilisation (``> 0``; a market without one has no term).
    exponent : float
        ``nu >= 0`` (`CHIP_UTILISATION_EXPONENT` for chips).

    Examples
    --------
    >>> round(utilisation_premium(1.0, CHIP_UTILISATION_2019, CHIP_UTILISATION_EXPONENT), 3)  # 2021: +20 %
    1.2
    >>> round(utilisation_premium(1.0, 0.75, CHIP_UTILISATION_EXPONENT), 3)  # a baseline mature market at full
    1.536
    >>> utilisation_premium(0.6, 0.75, CHIP_UTILISATION_EXPONENT)  # below normal: no cut
    1.0
    >>> utilisation_premium(1.0, 0.0, 1.5)
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: normal must be > 0; got 0.0 for utilisation_premium.
    """
    if not normal > 0.0:
        raise fail("normal", "> 0", normal, "utilisation_premium")
    ratio = utilisation / normal
    return ratio ** exponent if ratio > 1.0 + 1e-9 else 1.0
