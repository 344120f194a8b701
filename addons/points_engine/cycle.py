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
from decimal import Decimal, localcontext

from .pool import EngineError, Pool, PoolParams  # noqa: F401 (Pool, PoolParams: doctests)
from .rounding import CONTEXT, exact, money_half_up, points_half_up, price_floor, to_decimal


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

    def room_before_exit(self, pool, multiple):
        """Points the cycle may still receive and stay below its forced exit (the transfer headroom), unrounded.

        R + (h + x) x P / N < m x S, i.e. x < (m x S - R) x N / P - h; 0 when the pool holds nothing.

        >>> pool = Pool(PoolParams(), balance=Decimal("1200.00"), points=Decimal("594.4050"))
        >>> room = Cycle(spend=Decimal("1000"), points=Decimal("210")).room_before_exit(pool, Decimal("3"))
        >>> room.quantize(Decimal("0.0001"))
        Decimal('1276.0125')
        >>> Cycle(spend=Decimal("1000"), points=Decimal("210") + room).is_due(pool, Decimal("3"))
        True
        >>> Cycle(spend=Decimal("100"), points=Decimal("210")).room_before_exit(pool, Decimal("3"))
        Decimal('0')
        """
        with localcontext(CONTEXT):
            multiple = to_decimal(multiple or 0)
            if pool.points <= 0 or pool.balance <= 0:
                return Decimal(0)
            return max((multiple * self.spend - self.realized) * pool.points / pool.balance - self.points,
                       Decimal(0))

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


def exit_progress(multiple, spend, realized, value, money_digits=2):
    """How far a cycle is from its forced exit: (target, reached, percent).

    ``target`` is ``multiple`` x the cycle's spend (rounded half-up), ``reached`` what the cycle got
    (realized + the value of the points held, rounded half-up) and ``percent`` reached / target
    in percent, at most 100 (0 without a target). The member's wallet card shows them.

    >>> exit_progress(Decimal("3"), Decimal("1000.00"), Decimal("161.50"), Decimal("222.10"))
    (Decimal('3000.00'), Decimal('383.60'), Decimal('12.78666666666666666666666667'))
    >>> exit_progress(Decimal("1.2"), Decimal("100.00"), Decimal("130"), Decimal("0"))[2]
    Decimal('100')
    >>> exit_progress(Decimal("0"), Decimal("100.00"), Decimal("0"), Decimal("5"))
    (Decimal('0.00'), Decimal('5.00'), Decimal('0'))
    """
    # A figure to show: the caller's precision is enough (rounding happens only here, nothing is stored).
    target = money_half_up(to_decimal(multiple or 0) * to_decimal(spend), money_digits)
    reached = to_decimal(realized) + to_decimal(value)
    percent = min(reached / target, Decimal(1)) * 100 if target > 0 else Decimal(0)
    return target, money_half_up(reached, money_digits), percent


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
