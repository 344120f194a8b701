"""A member's participation cycle and the forced-exit rule of SPEC §3.1.

A cycle has its eligible spend ``S``, the gross value realized by selling ``R``
and the points held ``h``. The member must exit when R + h x price >= multiple x S,
i.e. once the price reaches the exit price (multiple x S - R) / h.

The exit thresholds of SPEC §3.4 (multiple 3.0):

>>> Cycle(spend=Decimal("1000"), points=Decimal("210")).exit_price(Decimal("3.0"))
Decimal('14.285714')
>>> Cycle(spend=Decimal("1000"), points=Decimal("147")).exit_price(Decimal("3.0")).quantize(Decimal("0.0001"))
Decimal('20.4082')

The stored exit price is rounded down, so an indexed "exit price <= price"
query finds every due member; :meth:`Cycle.is_due` then decides exactly:

>>> pool = Pool(PoolParams(), balance=Decimal("2900"), points=Decimal("481.95"))
>>> Cycle(spend=Decimal("1000"), points=Decimal("210")).is_due(pool, Decimal("1.2"))
True
>>> Cycle(spend=Decimal("1000"), points=Decimal("147")).is_due(pool, Decimal("1.2"))
False
"""

from dataclasses import dataclass
from decimal import Decimal

from .pool import EngineError, Pool, PoolParams  # noqa: F401 (Pool, PoolParams: doctests)
from .rounding import exact, money_half_up, points_half_up, price_floor, to_decimal


@dataclass
class Cycle:
    spend: Decimal = Decimal(0)
    realized: Decimal = Decimal(0)
    points: Decimal = Decimal(0)

    def __post_init__(self):
        self.spend = to_decimal(self.spend)
        self.realized = to_decimal(self.realized)
        self.points = to_decimal(self.points)

    @exact
    def exit_price(self, multiple):
        """Price at which the cycle must close, rounded down to 6 decimals; None if it cannot."""
        multiple = to_decimal(multiple or 0)
        if multiple <= 0 or self.points <= 0:
            return None
        return max(price_floor((multiple * self.spend - self.realized) / self.points), Decimal(0))

    @exact
    def is_due(self, pool, multiple):
        """Exactly: has the value got in this cycle reached ``multiple`` times its spend?"""
        multiple = to_decimal(multiple or 0)
        if multiple <= 0 or self.points <= 0 or pool.points <= 0:
            return False
        # R + h x P / N >= m x S, multiplied through by N to stay exact.
        return self.realized * pool.points + self.points * pool.balance >= multiple * self.spend * pool.points

    # -- events of the member ------------------------------------------------
    def contribute(self, pool, spend, contribution, mint_ratio=None):
        """The member's eligible purchase: mints points (at ``mint_ratio``, default the pool's) and adds to the
        cycle spend."""
        spend = to_decimal(spend)
        if spend <= 0:
            raise EngineError("the spend must be positive")
        movement = pool.contribute(contribution, mint_ratio=mint_ratio)
        self.spend += spend
        self.points += movement.points
        return movement

    def sell(self, pool, points):
        movement = pool.sell(self._held(points))
        self.realized += movement.gross
        self.points -= movement.points
        return movement

    def redeem(self, pool, points):
        movement = pool.redeem(self._held(points))
        self.realized += movement.gross
        self.points -= movement.points
        return movement

    def force_exit(self, pool):
        """Sells every point held (with the sell fee) and closes the cycle."""
        movement = self.sell(pool, self.points)
        self.spend = self.realized = Decimal(0)
        return movement

    def reverse(self, pool, plan):
        """Burns what a :class:`ReversalPlan` says; returns (movement, debt)."""
        price = pool.price
        movement = pool.burn(plan.points, plan.contribution)
        self.points -= plan.points
        self.spend = max(self.spend - plan.spend, Decimal(0)) if plan.same_cycle else self.spend
        debt = money_half_up(plan.shortfall * price, pool.params.money_digits) if plan.shortfall else Decimal(0)
        return movement, debt

    def _held(self, points):
        points = to_decimal(points)
        if points > self.points:
            raise EngineError("cannot use more points than held")
        return points


@dataclass(frozen=True)
class ReversalPlan:
    """What reversing a share of one contribution takes from its member.

    Shares are cumulative so that partial reversals adding up to the whole
    reverse exactly what was minted, with no rounding left over.

    >>> plan = ReversalPlan.build(minted=Decimal("210"), contribution=Decimal("300"), spend=Decimal("1000"),
    ...     done_ratio=Decimal("0.5"), ratio=Decimal("0.5"), held=Decimal("50"), same_cycle=True)
    >>> plan.points, plan.shortfall, plan.contribution, plan.spend
    (Decimal('50'), Decimal('55.0000'), Decimal('150.00'), Decimal('500.00'))
    """

    points: Decimal
    shortfall: Decimal
    contribution: Decimal
    spend: Decimal
    same_cycle: bool = True

    @classmethod
    @exact
    def build(cls, minted, contribution, spend, done_ratio, ratio, held, same_cycle=True, money_digits=2):
        done_ratio, ratio = to_decimal(done_ratio), to_decimal(ratio)
        if ratio <= 0:
            raise EngineError("the reversal ratio must be positive")
        if done_ratio + ratio > 1:
            raise EngineError("this contribution is already reversed")
        minted, contribution, spend = to_decimal(minted), to_decimal(contribution), to_decimal(spend)

        def share(total, quantize):
            return quantize(total * (done_ratio + ratio)) - quantize(total * done_ratio)

        points = share(minted, points_half_up)
        held_part = min(points, max(to_decimal(held), Decimal(0)))
        return cls(
            points=held_part,
            shortfall=points - held_part,
            contribution=share(contribution, lambda v: money_half_up(v, money_digits)),
            spend=share(spend, lambda v: money_half_up(v, money_digits)),
            same_cycle=same_cycle,
        )
