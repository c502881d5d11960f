"""A network built from scratch: three regions, two commodities, one refinery outage.

Covers:
- ``Region``, ``Commodity``, ``Facility`` (with a recipe), ``Lane``, ``Demand``,
  ``Network`` and ``Scenario``: the model without the shipped baseline
- ``CapacityShock`` on one facility, ``metrics.fill_rate`` (a table labelled by demand), ``Results.summary``
- ``plot_timeseries`` of the buyer's stock through the outage

Scenario:
  Chile (CL) mines lithium ore; China (CN) and Chile refine it into lithium chemical
  (two tonnes of ore per tonne, by assumption) and ship it to a US battery industry
  that uses 10 t a day and holds 30 days of cover. China's refinery, 80 % of refining,
  loses its whole capacity for 120 days from day 30. How much of US demand is still
  served on the day, and how low does the US stock fall?
"""

import argparse
import tempfile

import supplychain as sc
from supplychain.metrics import fill_rate
from supplychain.plotting import plot_timeseries, shade_shocks

SEED = 2025


def main(horizon: int, out: str) -> None:
    network = sc.Network(
        regions=(sc.Region("CL"), sc.Region("CN"), sc.Region("US")),
        commodities=(sc.Commodity("ore", "t", 1_000.0), sc.Commodity("lithium", "t", 12_000.0)),
        facilities=(sc.Facility("CL.mine", "CL", "mine", "ore", 25.0),
                    sc.Facility("CL.refinery", "CL", "refinery", "lithium", 3.0, recipe={"ore": 2.0}),
                    sc.Facility("CN.refinery", "CN", "refinery", "lithium", 10.0, recipe={"ore": 2.0})),
        lanes=(sc.Lane("CL.mine", "CL.refinery", "ore", lead_time=2, share=0.2),
               sc.Lane("CL.mine", "CN.refinery", "ore", lead_time=35, share=0.8),
               sc.Lane("CL.refinery", "US.lithium", "lithium", lead_time=20, share=0.2),
               sc.Lane("CN.refinery", "US.lithium", "lithium", lead_time=30, share=0.8)),
        demands=(sc.Demand("US.lithium", "US", "lithium", 10.0, policy=sc.DaysOfCover(30)),))
    outage = sc.CapacityShock(facility="CN.refinery", fraction_lost=1.0, start=30, end=150)
    scenario = sc.Scenario(network, horizon_days=horizon, name="CN refinery outage").with_shocks(outage)
    base, hit = sc.simulate(scenario.without_shocks(), seed=SEED), sc.simulate(scenario, seed=SEED)
    print(f"US fill rate: baseline {fill_rate(base)['US.lithium'].mean():.1%}, "
          f"outage {fill_rate(hit)['US.lithium'].mean():.1%}; "
          f"shortfall ${hit.summary()['shortfall_usd'].sum() / 1e6:.2f}M")
    print(f"Lowest US stock: {hit.series('inventory', 'US.lithium:lithium').min():.0f} t "
          f"(baseline {base.series('inventory', 'US.lithium:lithium').min():.0f} t)")
    ax = plot_timeseries(base, "inventory", "US.lithium:lithium")
    plot_timeseries(hit, "inventory", "US.lithium:lithium", ax=ax, linestyle="--")
    shade_shocks(ax, scenario).set_title("US lithium stock, CN refinery outage")
    ax.legend(["baseline", "CN refinery out, days 30-150", "outage", "outage starts"], loc="upper left", bbox_to_anchor=(1, 1))
    ax.figure.savefig(f"{out}/10_custom_network.png", dpi=90, bbox_inches="tight")
    print(f"saved {out}/10_custom_network.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=240, help="days to simulate")
    parser.add_argument("--out", default=None, help="folder for the figure (default: a new temporary folder)")
    args = parser.parse_args()
    main(args.horizon, args.out or tempfile.mkdtemp())   # made only when no folder is given
