"""Benchmark of the economy simulator (SPEC §11): prints its time for 100,000 orders beside the goal.

Pure Python, no database: ``python tests/bench/bench_simulator.py --addons-path=addons`` (Odoo's
option, which makes ``odoo.addons.points_engine`` importable). Asserts nothing about timings; the
few checks only guard the meaning of the figures.
"""

import sys
from decimal import Decimal

from odoo.tools import config

GOAL_SECONDS = 10.0
ORDERS = 100_000



def scenarios(orders):
    """The three scenarios, each placing ``orders`` new orders."""
    from odoo.addons.points_engine import PoolParams
    from odoo.addons.points_engine.simulation import Behaviour, Demand, Injection, Scenario

    return {
    "equal orders, no sells (growth law)": Scenario(
        demand=Demand(orders_per_day=1000, days=orders // 1000)),
    "lognormal sizes, 30% sellers, 50% re-entry, one injection": Scenario(
        demand=Demand(orders_per_day=500, days=orders // 500, size_distribution="lognormal",
                      size_spread=Decimal("0.6")),
        behaviour=Behaviour(seller_share=Decimal("0.3"), reentry_share=Decimal("0.5")),
        injections=(Injection(max(orders // 1000, 1), Decimal("100000")),), seed=1),
    "exit multiple 1.2, half sell at 0.9x spend, every member forced out re-enters": Scenario(
        params=PoolParams(exit_multiple=Decimal("1.2")),
        demand=Demand(orders_per_day=250, days=orders // 250, size_distribution="uniform",
                      size_spread=Decimal("0.5")),
        behaviour=Behaviour(seller_share=Decimal("0.5"), sell_at_multiple=Decimal("0.9"),
                            reentry_share=Decimal("1")), seed=2),
    }


def main():
    # --smoke: tiny sizes, so that the test script checks the benchmark still runs.
    orders = 1_000 if "--smoke" in sys.argv[1:] else ORDERS
    # Importable as an Odoo addon only once the configuration (addons path) is parsed.
    config.parse_config([arg for arg in sys.argv[1:] if arg != "--smoke"])
    from odoo.addons.points_engine.simulation import simulate

    print(f"Simulator benchmark: {orders:,} new orders per scenario (re-entry orders come on top)")
    worst = 0.0
    for name, scenario in scenarios(orders).items():
        result = simulate(scenario)
        if result.new_members != orders or sum(c.orders for c in result.cohorts) != result.orders:
            raise RuntimeError("the simulation did not place the orders it should: the figures mean nothing")
        worst = max(worst, result.seconds)
        print(f"  {name}: {result.orders:,} orders ({result.reentries:,} re-entries), {result.sells:,} sales, "
              f"{result.exits:,} forced exits, final price {result.price} in {result.seconds:.2f} s "
              f"({result.orders / result.seconds:,.0f} orders/s)   goal < {GOAL_SECONDS:.0f} s "
              f"{'met' if result.seconds < GOAL_SECONDS else 'NOT MET'}")
    print(f"  slowest: {worst:.2f} s")


if __name__ == "__main__":
    main()
