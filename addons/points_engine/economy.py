"""A whole pool economy in memory: members, sources, forced exits and refunds.

The Odoo models keep the same state in the database and call the same
:class:`~.pool.Pool` and :class:`~.cycle.Cycle` code; the forced exits are settled
by the same cascade, :meth:`.sequencer.Sequencer.settle_exits`, which the pool's
sequencer runs in production. This class is what the simulator, the property tests
and the engine benchmark run.

The forced-exit cascade of SPEC §3.4 (multiple 1.2):

>>> economy = Economy(PoolParams(exit_multiple=Decimal("1.2")))
>>> for member in (1, 2, 3):
...     _ = economy.contribute(member, Decimal("1000"), Decimal("300"), source=("order", member))
>>> economy.inject(Decimal("2000"))
[(1, Decimal('1010.89'))]
>>> economy.pool.balance, economy.pool.points, economy.pool.display_price
(Decimal('1889.11'), Decimal('271.9500'), Decimal('6.946534'))
>>> economy.inject(Decimal("1500"))
[(2, Decimal('1465.56')), (3, Decimal('1538.84'))]
>>> economy.pool.balance, economy.pool.points, economy.pool.display_price
(Decimal('384.71'), Decimal('0.0000'), Decimal('15.394558'))

Processing the same source twice changes nothing:

>>> economy.contribute(1, Decimal("1000"), Decimal("300"), source=("order", 1)).points
Decimal('210.0000')
>>> economy.pool.points
Decimal('0.0000')
"""

from dataclasses import dataclass
from decimal import Decimal

from .cycle import Cycle, ReversalPlan  # noqa: F401 (Cycle: doctests)
from .pool import EngineError, Pool, PoolParams
from .rounding import to_decimal
from .sequencer import Account, Sequencer


@dataclass
class Source:
    member: object
    cycle_number: int
    spend: Decimal
    contribution: Decimal
    minted: Decimal
    movement: object
    reversed_ratio: Decimal = Decimal(0)


@dataclass
class Totals:
    """Money that crossed the pool's boundary, for the conservation checks."""

    contributed: Decimal = Decimal(0)
    injected: Decimal = Decimal(0)
    paid_out: Decimal = Decimal(0)
    redeemed: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    debts: Decimal = Decimal(0)


class Economy:
    def __init__(self, params=None, pool=None):
        self.pool = pool or Pool(params or PoolParams())
        self.params = self.pool.params
        # The pool's sequencer settles the forced exits here as it does in production: one cascade. Its
        # accounts are the members (every one in memory, so it never pages candidates in).
        self._sequencer = Sequencer(self.pool)
        #: key -> :class:`~.sequencer.Account` (cycle, cycle number, cash, lifetime spend, exits).
        self.members = self._sequencer.accounts
        self.sources = {}
        self.totals = Totals()
        #: (member, movement) of every forced exit, in order.
        self.exit_log = []

    # -- member events -------------------------------------------------------
    def member(self, key):
        if key not in self.members:
            self._sequencer.add(Account(id=key))
        return self.members[key]

    def add_member(self, key, cycle, cash=Decimal(0), lifetime_spend=Decimal(0)):
        """Registers a member who already holds a cycle (an economy loaded from a live pool).

        The member's points must already be counted in the pool's ``N``. Exits it
        makes due are settled by the next event or by :meth:`settle_exits`.

        >>> economy = Economy(pool=Pool(PoolParams(), balance=Decimal("300"), points=Decimal("210")))
        >>> economy.add_member("a", Cycle(spend=Decimal("1000"), points=Decimal("210"))).cycle.exit_price(3)
        Decimal('14.285714')
        >>> economy.inject(Decimal("2700"))
        [('a', Decimal('2400.00'))]
        """
        if key in self.members:
            raise EngineError("this member already exists")
        return self._sequencer.add(
            Account(id=key, cycle=cycle, cash=to_decimal(cash), lifetime_spend=to_decimal(lifetime_spend)))

    def contribute(self, key, spend, contribution, source=None):
        """A paid order of ``key``; returns the mint movement (the same one again for a seen source)."""
        if source is not None and source in self.sources:
            return self.sources[source].movement
        member = self.member(key)
        movement = member.cycle.contribute(self.pool, spend, contribution)
        member.lifetime_spend += to_decimal(spend)
        self.totals.contributed += movement.money
        if source is not None:
            self.sources[source] = Source(
                key, member.cycle_number, to_decimal(spend), movement.money, movement.points, movement
            )
        self._reschedule(key)
        self.settle_exits()
        return movement

    def sell(self, key, points):
        member = self._existing(key)
        movement = member.cycle.sell(self.pool, points)
        member.cash += movement.money
        self.totals.paid_out += movement.money
        self._reschedule(key)
        self.settle_exits()
        return movement

    def redeem(self, key, points):
        member = self._existing(key)
        movement = member.cycle.redeem(self.pool, points)
        self.totals.redeemed += movement.money
        self._reschedule(key)
        self.settle_exits()
        return movement

    def inject(self, amount):
        """Money enters the pool; returns the forced exits it caused as (member, payout)."""
        movement = self.pool.inject(amount)
        self.totals.injected += movement.money
        return [(key, exit_movement.money) for key, exit_movement in self.settle_exits()]

    def reverse(self, source, ratio=Decimal(1)):
        """Reverses ``ratio`` of a contribution (refund); returns (movement, debt)."""
        if source not in self.sources:
            raise EngineError("unknown source")
        record = self.sources[source]
        member = self.members[record.member]
        same_cycle = record.cycle_number == member.cycle_number
        plan = ReversalPlan.build(
            record.minted, record.contribution, record.spend, record.reversed_ratio, ratio,
            held=member.cycle.points if same_cycle else Decimal(0), same_cycle=same_cycle,
            money_digits=self.params.money_digits,
        )
        movement, debt = member.cycle.reverse(self.pool, plan)
        record.reversed_ratio += to_decimal(ratio)
        member.cash -= debt
        self.totals.refunded += movement.money
        self.totals.debts += debt
        self._reschedule(record.member)
        self.settle_exits()
        return movement, debt

    # -- forced exits --------------------------------------------------------
    def settle_exits(self):
        """Forces out every due member, lowest exit price first, until none is due (the sequencer's cascade)."""
        done = [(step.account.id, step.movement) for step in self._sequencer.settle_exits()]
        self._sequencer.steps.clear()  # the economy keeps its own log, not one step per event
        for _key, movement in done:
            self.totals.paid_out += movement.money
        self.exit_log.extend(done)
        return done

    def _reschedule(self, key):
        self._sequencer._schedule(self.members[key])

    def _existing(self, key):
        if key not in self.members:
            raise EngineError("unknown member")
        return self.members[key]
