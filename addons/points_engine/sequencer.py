"""The pool sequencer's arithmetic: pending requests applied in one chain, in memory.

The Odoo pool keeps members' requests (contributions, sells, redemptions, refunds,
injections, wallet movements) in a queue; one sequencer at a time loads the pool and
the wallets the requests name, runs them through a :class:`Sequencer` in order and
bulk-writes the :class:`Step` list it returns (one ledger row per step). Forced exits
are settled after each event, lowest exit price first, from candidates the caller
pages in by stored exit price, so a drain never scans every wallet.

Four orders of 1000.00 contributing 300.00 each, then member 1 sells 100 points
(SPEC §3.4), in one drain:

>>> seq = Sequencer(Pool(PoolParams()))
>>> members = [seq.add(Account(id=n)) for n in range(1, 5)]
>>> [str(seq.contribute(m, Decimal("1000"), Decimal("300"))[0].movement.points) for m in members]
['210.0000', '147.0000', '124.9500', '112.4550']
>>> sale = seq.sell(members[0], Decimal("100"))[0]
>>> sale.cash_delta, seq.pool.balance, seq.pool.points, seq.pool.display_price
(Decimal('161.50'), Decimal('1038.50'), Decimal('494.4050'), Decimal('2.100505'))

Each step's price before is the previous step's price after: one chain.

>>> all(a.movement.price_after == b.movement.price_before for a, b in zip(seq.steps, seq.steps[1:]))
True

The forced-exit cascade of SPEC §3.4 (multiple 1.2) with member 1 paged in from the
database only when the price reaches its stored exit price:

>>> stored = {1: Account(id=1, cycle=Cycle(spend=Decimal("1000"), points=Decimal("210")))}
>>> def page(after, limit):
...     return [a for a in stored.values() if after is None or (a.stored_exit_price, a.id) > after][:limit]
>>> pool = Pool(PoolParams(exit_multiple=Decimal("1.2")), balance=Decimal("900"), points=Decimal("481.95"))
>>> seq = Sequencer(pool, candidates=page)
>>> stored[1].stored_exit_price = stored[1].cycle.exit_price(Decimal("1.2"))
>>> [(step.event, step.account.id if step.account else None, step.movement.money)
...  for step in seq.inject(Decimal("2000"))]
[('inject', None, Decimal('2000.00')), ('exit', 1, Decimal('1010.89'))]
>>> stored[1].state, stored[1].cycle_number, seq.pool.display_price
('exited', 2, Decimal('6.946534'))

A request that cannot be applied any more is refused and changes nothing:

>>> seq.sell(stored[1], Decimal("1"))
Traceback (most recent call last):
...
odoo.addons.points_engine.sequencer.Refusal: the member holds 0 points, fewer than the 1 asked
>>> seq.pool.display_price
Decimal('6.946534')
"""

import heapq
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from .cycle import Cycle, ReversalPlan  # noqa: F401 (ReversalPlan: callers build plans with it)
from .pool import EngineError, Movement, Pool, PoolParams  # noqa: F401 (PoolParams: doctests)
from .rounding import exact, money_down, money_half_up, price_ceiling, to_decimal
from .wallet import debt_growth

ZERO = Decimal(0)


class Refusal(EngineError):
    """A request that cannot be applied at its turn (blocked wallet, points gone, pool too small)."""


@dataclass
class Account:
    """A member's wallet as the sequencer sees it; ``dirty`` once a step changed it."""

    id: int
    cycle: Cycle = field(default_factory=Cycle)
    cycle_number: int = 1
    cash: Decimal = ZERO
    frozen: Decimal = ZERO
    lifetime_spend: Decimal = ZERO
    exits: int = 0
    state: str = "active"
    #: Exit price as stored in the database (what candidate pages are ordered by).
    stored_exit_price: Decimal | None = None
    dirty: bool = False

    def exit_price(self, multiple):
        return self.cycle.exit_price(multiple)


@dataclass
class Step:
    """One ledger row: what one event (or one forced exit) did."""

    event: str
    account: Account | None
    cycle_number: int
    movement: Movement
    cash_delta: Decimal = ZERO
    frozen_delta: Decimal = ZERO
    points_delta: Decimal | None = None
    debt: Decimal = ZERO
    spend: Decimal = ZERO
    #: Index of the request (in the caller's list) the step belongs to; None for forced exits.
    request: object = None


class Sequencer:
    """Applies events in one chain on ``pool`` and the accounts it knows.

    ``candidates(after, limit)`` returns accounts not yet known, ordered by
    ``(stored_exit_price, id)`` strictly after ``after`` (None: from the start),
    at most ``limit``; the sequencer calls it only when the price reaches the
    last page's end.
    """

    def __init__(self, pool, accounts=None, candidates=None, page_size=500):
        self.pool = pool
        self.params = pool.params
        self.multiple = self.params.exit_multiple
        self.accounts = {}
        self.steps = []
        self._candidates = candidates
        self._page_size = page_size
        self._page_end = None
        self._exhausted = candidates is None
        self._due = []
        self._versions = {}
        self._tiebreak = itertools.count()
        self._undo = None
        self.request = None
        for account in (accounts or {}).values() if isinstance(accounts, dict) else (accounts or []):
            self.add(account)

    # -- members ------------------------------------------------------------------
    def add(self, account):
        """Registers an account loaded from the database; the database copy is no longer read."""
        if account.id not in self.accounts:
            self.accounts[account.id] = account
            self._schedule(account)
        return self.accounts[account.id]

    # -- all or nothing ---------------------------------------------------------------
    def attempt(self, operation):
        """Runs ``operation``; if it raises :class:`Refusal`, the pool, the accounts and the steps are as before.

        >>> seq = Sequencer(Pool(PoolParams()))
        >>> a, b = seq.add(Account(id=1)), seq.add(Account(id=2))
        >>> _ = seq.contribute(a, Decimal("1000"), Decimal("300"))
        >>> def transfer_too_much():
        ...     seq.move("transfer", b, 0, points=Decimal("10"))
        ...     seq.move("transfer", a, 0, points=Decimal("-500"))
        >>> seq.attempt(transfer_too_much)
        Traceback (most recent call last):
        ...
        odoo.addons.points_engine.sequencer.Refusal: the member holds 210.0000 points, fewer than the 500 asked
        >>> b.cycle.points, len(seq.steps)
        (Decimal('0'), 1)
        """
        pool = self.pool
        saved = (pool.balance, pool.points, pool.last_price, len(self.steps))
        self._undo = {}
        try:
            return operation()
        except Refusal:
            pool.balance, pool.points, pool.last_price, count = saved
            del self.steps[count:]
            for account_id, copy in self._undo.items():
                account = self.accounts[account_id]
                account.__dict__.update(copy.__dict__)
                self._schedule(account)
            raise
        finally:
            self._undo = None

    def _touch(self, *accounts):
        if self._undo is None:
            return
        for account in accounts:
            if account is not None and account.id not in self._undo:
                copy = Account(id=account.id)
                copy.__dict__.update(account.__dict__)
                copy.cycle = Cycle(spend=account.cycle.spend, realized=account.cycle.realized,
                                   points=account.cycle.points)
                self._undo[account.id] = copy

    # -- events -----------------------------------------------------------------------
    @exact
    def contribute(self, account, spend, contribution, mint_ratio=None):
        """A paid order: mints points to ``account`` at the current price (SPEC §3.1), at ``mint_ratio`` when
        the order's store or product category sets one (default the pool's)."""
        self._check_active(account)
        self._touch(account)
        spend = to_decimal(spend)
        movement = self._engine(lambda: account.cycle.contribute(self.pool, spend, contribution,
                                                                 mint_ratio=mint_ratio))
        account.lifetime_spend += spend
        self._reopen(account)
        return self._emit("contribute", account, movement, spend=spend)

    @exact
    def sell(self, account, points, min_value=None):
        """The member sells ``points`` for their value less the sell fee, paid to the cash balance."""
        self._check_active(account)
        points = self._check_held(account, points)
        self._touch(account)
        if min_value and self.pool.value_of(points) < to_decimal(min_value):
            raise Refusal(f"the points are worth less than the minimum sale of {min_value}")
        movement = self._engine(lambda: account.cycle.sell(self.pool, points))
        account.cash += movement.money
        return self._emit("sell", account, movement, cash_delta=movement.money)

    @exact
    def redeem(self, account, points):
        """``points`` pay for goods; their value less the redeem fee leaves the pool."""
        self._check_active(account)
        points = self._check_held(account, points)
        self._touch(account)
        movement = self._engine(lambda: account.cycle.redeem(self.pool, points))
        return self._emit("redeem", account, movement)

    @exact
    def redeem_amount(self, account, amount):
        """Points pay exactly ``amount``: the fewest points whose value reaches it are burned.

        What those points are worth beyond ``amount`` (less than one point unit's value)
        stays in the pool, so the price never falls.
        """
        self._check_active(account)
        amount = money_half_up(to_decimal(amount), self.params.money_digits)
        points = points_for_amount(self.pool, amount)
        if points is None:
            raise Refusal("no points circulate to pay with")
        points = self._check_held(account, points)
        self._touch(account)
        gross = self.pool.value_of(points)
        movement = self.pool._apply("redeem", -amount, -points, amount, points, gross=gross,
                                    fee=money_down(gross, self.params.money_digits) - amount)
        account.cycle.points -= points
        account.cycle.realized += movement.gross
        return self._emit("redeem", account, movement)

    @exact
    def restore(self, account, amount, same_cycle=True):
        """Reverses a redemption (goods paid with points returned): ``amount`` comes back as points.

        The value re-enters the pool and mints at the current price (rounded down, the price
        never falls). In the cycle that redeemed, the value no longer counts as realized. A
        blocked wallet gets its points back too (they stay blocked with it); points restored
        to a cycle closed by a forced exit open nothing new: the forced-exit rule sells them
        at once, with the sell fee, as the exit would have.

        >>> seq = Sequencer(Pool(PoolParams()))
        >>> member = seq.add(Account(id=1))
        >>> _ = seq.contribute(member, Decimal("1000"), Decimal("300"))
        >>> paid = seq.redeem_amount(member, Decimal("100.00"))[0]
        >>> back = seq.restore(member, Decimal("100.00"))[0]
        >>> back.movement.points, member.cycle.points, member.cycle.realized, seq.pool.display_price
        (Decimal('70.0000'), Decimal('210.0000'), Decimal('0.00'), Decimal('1.428571'))
        """
        self._touch(account)
        amount = money_half_up(to_decimal(amount), self.params.money_digits)
        movement = self._engine(lambda: self.pool.restore(amount))
        account.cycle.points += movement.points
        if same_cycle:
            account.cycle.realized = max(account.cycle.realized - movement.money, ZERO)
        return self._emit("restore", account, movement)

    @exact
    def inject(self, amount):
        """Money enters the pool with no points: the price rises."""
        movement = self._engine(lambda: self.pool.inject(amount))
        return self._emit("inject", None, movement)

    @exact
    def reverse(self, account, plan):
        """Burns what ``plan`` takes back from ``account`` (refund); a shortfall becomes a debt."""
        self._touch(account)
        movement, debt = self._engine(lambda: account.cycle.reverse(self.pool, plan))
        account.lifetime_spend = max(account.lifetime_spend - plan.spend, ZERO)
        account.cash -= debt
        return self._emit("reverse", account, movement, cash_delta=-debt, debt=debt, spend=-plan.spend)

    @exact
    def move(self, event, account, amount, cash=ZERO, frozen=ZERO, points=ZERO, gross=ZERO, overdraft=True):
        """A wallet movement that leaves the pool as it is (reward, rebate, withdrawal, transfer).

        Without ``overdraft``, a movement that would take the cash balance below zero is refused
        (transfers, withdrawals); with it, the balance may become a debt (refunds, clawbacks): the
        step's ``debt`` is how much the member's debt grew.
        """
        cash, frozen, points = to_decimal(cash), to_decimal(frozen), to_decimal(points)
        if account is not None:
            if points < 0:
                self._check_held(account, -points)
            if cash < 0 and not overdraft and account.cash + cash < 0:
                raise Refusal(f"the member's cash balance {account.cash} is below the {-cash} asked")
            self._touch(account)
            debt = debt_growth(account.cash, cash)
            account.cash += cash
            account.frozen += frozen
            if points:
                account.cycle.points += points
                self._reopen(account)
        price = self.pool.price
        movement = Movement(
            kind=event, points=abs(points), money=to_decimal(amount), balance_before=self.pool.balance,
            balance_after=self.pool.balance, points_before=self.pool.points, points_after=self.pool.points,
            price_before=price, price_after=price, gross=to_decimal(gross))
        return self._emit(event, account, movement, cash_delta=cash, frozen_delta=frozen, points_delta=points,
                          debt=max(debt, ZERO) if account is not None else ZERO, settle=bool(points))

    # -- forced exits ------------------------------------------------------------------
    def settle_exits(self):
        """Forces out every due member, lowest exit price first, until none is due (cascade)."""
        done = []
        if self.multiple <= 0:
            return done
        deferred = []
        while self.pool.points > 0:
            ceiling = price_ceiling(self.pool.price)
            self._page_in(ceiling)
            if not self._due or self._due[0][0] > ceiling:
                break
            exit_price, _tie, account_id, version = heapq.heappop(self._due)
            if self._versions.get(account_id) != version:
                continue
            account = self.accounts[account_id]
            if not account.cycle.is_due(self.pool, self.multiple):
                # The rounded exit price is reached, not yet the exact threshold.
                deferred.append((exit_price, next(self._tiebreak), account_id, version))
                continue
            cycle_number = account.cycle_number
            self._touch(account)
            movement = account.cycle.force_exit(self.pool)
            account.cash += movement.money
            account.exits += 1
            account.cycle_number += 1
            account.state = "exited" if account.state != "blocked" else account.state
            account.dirty = True
            self._versions[account_id] = None
            step = Step("exit", account, cycle_number, movement, cash_delta=movement.money, request=self.request)
            self.steps.append(step)
            done.append(step)
        for entry in deferred:
            heapq.heappush(self._due, entry)
        return done

    # -- helpers --------------------------------------------------------------------
    def _emit(self, event, account, movement, settle=True, **values):
        step = Step(event, account, account.cycle_number if account else 0, movement, request=self.request,
                    **values)
        self.steps.append(step)
        if account is not None:
            account.dirty = True
            self._schedule(account)
        return [step] + (self.settle_exits() if settle else [])

    def _schedule(self, account):
        exit_price = account.exit_price(self.multiple) if self.multiple > 0 else None
        version = next(self._tiebreak)
        self._versions[account.id] = version if exit_price is not None else None
        if exit_price is not None:
            heapq.heappush(self._due, (exit_price, version, account.id, version))

    def _page_in(self, ceiling):
        """Loads candidates from the database until every stored exit price up to ``ceiling`` is known."""
        while not self._exhausted and (self._page_end is None or self._page_end[0] <= ceiling):
            page = list(self._candidates(self._page_end, self._page_size))
            for account in page:
                self._page_end = (account.stored_exit_price, account.id)
                self.add(account)
            if len(page) < self._page_size:
                self._exhausted = True

    @staticmethod
    def _reopen(account):
        # Points arriving after a forced exit open the member's new cycle (re-entry).
        if account.state == "exited" and account.cycle.points > 0:
            account.state = "active"

    @staticmethod
    def _check_active(account):
        if account.state == "blocked":
            raise Refusal("the member's wallet is blocked")

    @staticmethod
    def _check_held(account, points):
        points = to_decimal(points)
        if points > account.cycle.points:
            raise Refusal(f"the member holds {account.cycle.points} points, fewer than the {points} asked")
        return points

    @staticmethod
    def _engine(operation):
        try:
            return operation()
        except Refusal:
            raise
        except EngineError as error:
            raise Refusal(str(error)) from error


def points_for_amount(pool, amount):
    """Fewest points whose redeem value reaches ``amount`` (see :meth:`Pool.points_for_amount`)."""
    return pool.points_for_amount(amount)


@exact
def value_of_points(pool, points):
    """What ``points`` pay for goods at the current price, less the redeem fee (unrounded)."""
    return pool.value_of(points) * (1 - pool.params.redeem_fee_rate)


def redeem_value(pool, points):
    """What ``points`` pay for goods, rounded down (see :meth:`Pool.redeem_value`)."""
    return pool.redeem_value(points)
