"""Pure-Python economics of the profit-pool points suite (no Odoo import).

The Odoo modules load state from the database, call these functions and store
what they return; the simulator and the property tests run them in memory.
Everything is computed in :class:`decimal.Decimal` with the rounding of SPEC
§3.2 so that the point price can never decrease.
"""

from .rounding import MONEY, POINT, PRICE, money_down, money_half_up, points_down, points_half_up
from .pool import Movement, Pool, PoolParams
from .cycle import Cycle, ReversalPlan
from .economy import Economy

__all__ = [
    "MONEY",
    "POINT",
    "PRICE",
    "Cycle",
    "Economy",
    "Movement",
    "Pool",
    "PoolParams",
    "ReversalPlan",
    "money_down",
    "money_half_up",
    "points_down",
    "points_half_up",
]
