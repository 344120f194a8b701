"""Queued rebate (工会排队, SPEC §7): queue order, static and accelerated release, refunds.

A qualifying order line queues a rebate for its buyer; a rebate pool, fed by the
allocation plans' rebate bucket, pays the queue. Everything here is plain
Decimal arithmetic on plain values; the Odoo module stores what it returns.

Rules, with the SPEC §7 example (rebate pool 10,000.00; A orders 100.00 on
1 Aug with a 15-day lock; B, referred by A, orders 100.00 on 3 Aug and 20% of
it accelerates A's oldest entry):

>>> from datetime import date, datetime
>>> a = QueueEntry(1, member="A", paid_at=datetime(2025, 8, 1, 10), amount=rebate_amount(Decimal("100.00")),
...                lock_days=lock_days(15))
>>> a.due_date
datetime.date(2025, 8, 15)
>>> pool = Decimal("10000.00")
>>> accelerated = acceleration(Decimal("100.00"), Decimal("0.20"), a.remaining, pool)
>>> a, pool = a.release(accelerated), pool - accelerated
>>> accelerated, a.remaining, pool
(Decimal('20.00'), Decimal('80.00'), Decimal('9980.00'))
>>> b = QueueEntry(2, member="B", paid_at=datetime(2025, 8, 3, 9), amount=Decimal("100.00"), lock_days=15)
>>> static_release([a, b], pool, date(2025, 8, 14)).released
()
>>> run = static_release([a, b], pool, date(2025, 8, 15))
>>> run.released, run.pool_after
(((1, Decimal('80.00')),), Decimal('9900.00'))
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from .rounding import exact, money_down, money_half_up, to_decimal

#: Lock period of a product or plan that sets none (SPEC §7: 15, 30 or 45 days).
DEFAULT_LOCK_DAYS = 15
#: Share of a qualifying line queued as rebate (SPEC §7: 100%).
DEFAULT_REBATE_RATE = Decimal("1")
#: Share of a referee's order released at once from the referrer's oldest entry.
DEFAULT_ACCELERATION_RATE = Decimal("0.20")


def lock_days(base_days, extra_days=0):
    """The lock period "15+N": a base of 15, 30 or 45 days plus N extra days set on the product.

    >>> lock_days(15), lock_days(15, 5), lock_days(30, 0)
    (15, 20, 30)
    >>> lock_days(0)
    Traceback (most recent call last):
    ...
    ValueError: a lock period is at least one day, not 0
    """
    total = int(base_days) + int(extra_days or 0)
    if total < 1 or int(extra_days or 0) < 0:
        raise ValueError(f"a lock period is at least one day, not {total}")
    return total


def due_date(paid_at: date, days):
    """The day an entry locked for ``days`` days is due: the day of the order counts as the first.

    Ordered on 1 Aug with a 15-day lock, the entry is locked 1–15 Aug and the daily job of
    15 Aug releases it (SPEC §7).

    >>> due_date(datetime(2025, 8, 1, 23, 59), 15)
    datetime.date(2025, 8, 15)
    >>> due_date(date(2025, 8, 1), 1)
    datetime.date(2025, 8, 1)
    """
    day = paid_at.date() if isinstance(paid_at, datetime) else paid_at
    return day + timedelta(days=days - 1)


@exact
def rebate_amount(line_amount, rate=DEFAULT_REBATE_RATE, digits=2):
    """The rebate queued for a qualifying line: ``rate`` of its amount, rounded down (it leaves the pool).

    >>> rebate_amount(Decimal("100.00")), rebate_amount(Decimal("99.99"), Decimal("0.5"))
    (Decimal('100.00'), Decimal('49.99'))
    """
    return money_down(to_decimal(line_amount) * to_decimal(rate), digits)


def qualifies(line_amount, minimum):
    """A line queues a rebate when its amount reaches the minimum (SPEC §7: e.g. 100.00).

    >>> qualifies(Decimal("100.00"), Decimal("100.00")), qualifies(Decimal("99.99"), Decimal("100.00"))
    (True, False)
    """
    amount = to_decimal(line_amount)
    return amount > 0 and amount >= to_decimal(minimum)


@dataclass(frozen=True)
class QueueEntry:
    """One queued rebate. ``released`` and ``cancelled`` are what left the queue so far."""

    id: int
    member: object
    paid_at: datetime
    amount: Decimal
    lock_days: int = DEFAULT_LOCK_DAYS
    released: Decimal = Decimal(0)
    cancelled: Decimal = Decimal(0)

    @property
    def remaining(self):
        return self.amount - self.released - self.cancelled

    @property
    def due_date(self):
        return due_date(self.paid_at, self.lock_days)

    @property
    def position_key(self):
        """Queue order: the earlier payment first; entries paid at the same moment by id (creation order)."""
        return (self.paid_at, self.id)

    def release(self, amount):
        amount = to_decimal(amount)
        if amount < 0 or amount > self.remaining:
            raise ValueError(f"cannot release {amount} of entry {self.id}: {self.remaining} remains")
        return replace(self, released=self.released + amount)


def queue_order(entries):
    """Entries still waiting, in queue order (see :attr:`QueueEntry.position_key`).

    >>> t = datetime(2025, 8, 1, 10)
    >>> [e.id for e in queue_order([QueueEntry(3, "x", t, Decimal(1)), QueueEntry(2, "y", t, Decimal(1)),
    ...                             QueueEntry(1, "z", t + timedelta(seconds=1), Decimal(1))])]
    [2, 3, 1]
    """
    return sorted((entry for entry in entries if entry.remaining > 0), key=lambda entry: entry.position_key)


@dataclass(frozen=True)
class ReleaseRun:
    """What a static release run pays: ``released`` ((entry id, amount), ...) in queue order."""

    released: tuple
    pool_after: Decimal
    waiting: object = None  # id of the first due entry the pool could not pay, if any

    @property
    def total(self):
        return sum((amount for _id, amount in self.released), Decimal(0))


def static_release(entries, pool_balance, today):
    """The static release of ``today``: due entries in queue order while the pool pays each in full.

    Strict queue order: the first due entry the pool cannot pay in full stops the run,
    nothing is paid partially and later entries wait, even smaller ones (an entry's
    place in the queue is never overtaken). Entries not yet due do not block anyone.

    >>> t = datetime(2025, 8, 1)
    >>> queue = [QueueEntry(1, "a", t, Decimal("60.00"), 1), QueueEntry(2, "b", t, Decimal("50.00"), 1),
    ...          QueueEntry(3, "c", t, Decimal("10.00"), 1), QueueEntry(4, "d", t, Decimal("5.00"), 30)]
    >>> run = static_release(queue, Decimal("100.00"), date(2025, 8, 2))
    >>> run.released, run.pool_after, run.waiting
    (((1, Decimal('60.00')),), Decimal('40.00'), 2)
    """
    pool = to_decimal(pool_balance)
    released, waiting = [], None
    for entry in queue_order(entries):
        if entry.due_date > today:
            continue
        if entry.remaining > pool:
            waiting = entry.id
            break
        released.append((entry.id, entry.remaining))
        pool -= entry.remaining
    return ReleaseRun(tuple(released), pool, waiting)


@exact
def acceleration(order_amount, rate, oldest_remaining, pool_balance, digits=2):
    """Released at once from a member's oldest entry when a referee pays ``order_amount``.

    ``rate`` of the order, rounded down, but never more than the entry still holds nor
    than the rebate pool can pay (the pool never goes negative; what the pool cannot pay
    now stays queued for the static release).

    >>> acceleration(Decimal("100.00"), Decimal("0.20"), Decimal("100.00"), Decimal("10000.00"))
    Decimal('20.00')
    >>> acceleration(Decimal("100.00"), Decimal("0.20"), Decimal("15.00"), Decimal("10000.00"))
    Decimal('15.00')
    >>> acceleration(Decimal("100.00"), Decimal("0.20"), Decimal("100.00"), Decimal("7.50"))
    Decimal('7.50')
    """
    wanted = money_down(to_decimal(order_amount) * to_decimal(rate), digits)
    return max(min(wanted, to_decimal(oldest_remaining), to_decimal(pool_balance)), Decimal(0))


@exact
def accelerations(order_amount, levels, pool_balance, digits=2):
    """What a paid order releases at once up its referral chain: one amount per level, nearest referrer first.

    ``levels``: ``(rate, oldest_remaining)`` per level (the direct referrer, then the referrer's
    referrer...); ``oldest_remaining`` is what that member's oldest queued entry still holds, or
    None when they have none. Each level is an :func:`acceleration` of the order at its own rate;
    the levels share the rebate pool, nearest first, so together they never take more than it holds.

    >>> accelerations(Decimal("100.00"), [(Decimal("0.20"), Decimal("100.00")), (Decimal("0.05"), Decimal("50.00"))],
    ...               Decimal("10000.00"))
    [Decimal('20.00'), Decimal('5.00')]

    An indirect rate of 0 (the default) or a member with nothing queued releases nothing:

    >>> accelerations(Decimal("100.00"), [(Decimal("0.20"), Decimal("100.00")), (Decimal("0"), Decimal("50.00"))],
    ...               Decimal("10000.00"))
    [Decimal('20.00'), Decimal('0')]
    >>> accelerations(Decimal("100.00"), [(Decimal("0.20"), None), (Decimal("0.05"), Decimal("50.00"))],
    ...               Decimal("10000.00"))
    [Decimal('0'), Decimal('5.00')]

    The nearer level is served first when the pool runs short:

    >>> accelerations(Decimal("100.00"), [(Decimal("0.20"), Decimal("100.00")), (Decimal("0.05"), Decimal("50.00"))],
    ...               Decimal("22.00"))
    [Decimal('20.00'), Decimal('2.00')]
    """
    pool = to_decimal(pool_balance)
    amounts = []
    for rate, remaining in levels:
        if remaining is None or not to_decimal(rate):
            amounts.append(Decimal(0))
            continue
        amount = acceleration(order_amount, rate, remaining, pool, digits)
        pool -= amount
        amounts.append(amount)
    return amounts


def threshold_release_due(pool_balance, threshold, due_remaining):
    """Whether the rebate pool reached the amount that releases the queue before the daily job.

    Only when a threshold is set (above 0), the pool holds at least that much and some due
    entry waits that the pool can pay (the release pays in queue order, the first due entry first).

    >>> threshold_release_due(Decimal("5000.00"), Decimal("5000.00"), Decimal("100.00"))
    True
    >>> threshold_release_due(Decimal("4999.99"), Decimal("5000.00"), Decimal("100.00"))
    False
    >>> threshold_release_due(Decimal("5000.00"), Decimal("0"), Decimal("100.00"))
    False
    >>> threshold_release_due(Decimal("5000.00"), Decimal("5000.00"), None)
    False
    >>> threshold_release_due(Decimal("5000.00"), Decimal("5000.00"), Decimal("6000.00"))
    False
    """
    threshold, balance = to_decimal(threshold), to_decimal(pool_balance)
    if threshold <= 0 or balance < threshold or due_remaining is None:
        return False
    return to_decimal(due_remaining) <= balance


@dataclass(frozen=True)
class RefundEffect:
    """What a refund does to one entry: ``cancelled`` leaves the queue, ``clawback`` is taken back from
    the member's cash (it was released already; it may leave a debt) and returns to the rebate pool."""

    cancelled: Decimal
    clawback: Decimal

    @property
    def total(self):
        return self.cancelled + self.clawback


@exact
def refund_entry(amount, released, cancelled, clawed_back, refunded_ratio, digits=2):
    """Reduces an entry of ``amount`` once ``refunded_ratio`` of its line is refunded in all.

    The queue gives back first what is still waiting; only what was released beyond
    what stays due is clawed back. Computed from the cumulative ratio, so partial
    refunds adding up to the whole take back exactly the whole amount.

    >>> refund_entry(Decimal("100.00"), Decimal(0), Decimal(0), Decimal(0), Decimal("0.25"))
    RefundEffect(cancelled=Decimal('25.00'), clawback=Decimal('0.00'))
    >>> refund_entry(Decimal("100.00"), Decimal("20.00"), Decimal(0), Decimal(0), Decimal(1))
    RefundEffect(cancelled=Decimal('80.00'), clawback=Decimal('20.00'))
    >>> refund_entry(Decimal("100.00"), Decimal("100.00"), Decimal(0), Decimal(0), Decimal("0.5"))
    RefundEffect(cancelled=Decimal('0.00'), clawback=Decimal('50.00'))
    """
    amount, released = to_decimal(amount), to_decimal(released)
    cancelled, clawed_back = to_decimal(cancelled), to_decimal(clawed_back)
    end = min(max(to_decimal(refunded_ratio), Decimal(0)), Decimal(1))
    target = money_half_up(amount * end, digits)  # taken back in all once this refund is applied
    take = max(target - cancelled - clawed_back, Decimal(0))
    remaining = amount - released - cancelled
    cancel = min(take, max(remaining, Decimal(0)))
    return RefundEffect(cancelled=cancel, clawback=take - cancel)


@exact
def feed_reversal(fed, returned, refunded_ratio, pool_balance, digits=2):
    """What a refund takes back of the money a line fed to the rebate pool: its share, within the pool.

    >>> feed_reversal(Decimal("10.00"), Decimal(0), Decimal("0.5"), Decimal("100.00"))
    Decimal('5.00')
    >>> feed_reversal(Decimal("10.00"), Decimal(0), Decimal(1), Decimal("3.00"))
    Decimal('3.00')
    """
    end = min(max(to_decimal(refunded_ratio), Decimal(0)), Decimal(1))
    share = max(money_half_up(to_decimal(fed) * end, digits) - to_decimal(returned), Decimal(0))
    return min(share, max(to_decimal(pool_balance), Decimal(0)))
