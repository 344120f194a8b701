"""Legacy members taken over from an older platform (老会员应付资产转化): batch release of points.

What the old platform owes a member (their payable, 应付资产) becomes a consumption balance
(消费余额) they spend on products only. As they spend it, points are released to them in
batches: every full ``threshold`` of balance spent releases one batch, a contribution of
``rate`` × the batch's spend into the profit pool that mints points for the member at the
price of its turn (the pool's ordinary contribution: the price never falls). Releases stop
once the value of the points released, at the current price, covers the payable
(价格 × 老用户持有流通积分量 = 老用户应付资产价值); the last batch only contributes what the
remaining gap needs (its points are worth ``mint_ratio`` × the contribution when minted).

A member owed 1,000.00, batches of 100.00 spent, 30% of each batch contributed, mint ratio 0.70,
price 1.00: spending 250.00 releases two batches (200.00 of spend, 60.00 contributed); the
50.00 left waits for the next 50.00 spent.

>>> params = ReleaseParams(threshold=Decimal("100"), rate=Decimal("0.30"), mint_ratio=Decimal("0.70"))
>>> due = release_due(params, payable=Decimal("1000"), spent=Decimal("250"), released_spend=Decimal("0"),
...                   released_points=Decimal("0"), price=Decimal("1"))
>>> due.batches, due.spend, due.contribution, due.remaining
(2, Decimal('200.00'), Decimal('60.00'), Decimal('1000.00'))

A member whose released points are worth their payable gets nothing more:

>>> release_due(params, payable=Decimal("100"), spent=Decimal("900"), released_spend=Decimal("0"),
...             released_points=Decimal("80"), price=Decimal("1.25")).batches
0
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .rounding import MONEY, money_half_up, to_decimal

#: Balance spent per batch when the pool sets none (the seeds give no figure: every 100.00 spent).
DEFAULT_THRESHOLD = Decimal("100.00")
#: Share of a batch's spend contributed to the pool as the member's released points.
DEFAULT_RATE = Decimal("0.30")
#: Largest payable one member may be imported with (bad input guard).
MAX_PAYABLE = Decimal("100000000.00")


@dataclass(frozen=True)
class ReleaseParams:
    """The pool's release rule: ``threshold`` of balance spent per batch (0: every spend is a batch),
    ``rate`` of a batch contributed to the pool, the pool's ``mint_ratio``."""

    threshold: Decimal = DEFAULT_THRESHOLD
    rate: Decimal = DEFAULT_RATE
    mint_ratio: Decimal = Decimal("0.70")
    money_digits: int = 2


@dataclass(frozen=True)
class Release:
    """Batches due now: how many, the spend they cover, the contribution they make, and what the
    member is still owed (payable less the value of the points released so far) before them."""

    batches: int
    spend: Decimal
    contribution: Decimal
    remaining: Decimal


def remaining_owed(payable, released_points, price, digits=2):
    """What the member is still owed: the payable less the value of the points released, never below 0.

    >>> remaining_owed(Decimal("1000"), Decimal("300"), Decimal("1.5"))
    Decimal('550.00')
    >>> remaining_owed(Decimal("100"), Decimal("300"), Decimal("1.5"))
    Decimal('0.00')
    """
    value = to_decimal(released_points) * to_decimal(price)
    return max(money_half_up(to_decimal(payable) - value, digits), Decimal(0).quantize(MONEY))


def release_due(params, payable, spent, released_spend, released_points, price):
    """The batches a member's spending has earned and not yet received.

    ``spent``: balance spent so far, net of refunds; ``released_spend``: spend the batches
    released so far covered. A refund that takes ``spent`` below ``released_spend`` releases
    nothing until the member spends the difference again (released points stay: they were paid
    into the pool).

    >>> params = ReleaseParams(threshold=Decimal("100"), rate=Decimal("0.30"), mint_ratio=Decimal("0.70"))
    >>> release_due(params, Decimal("1000"), Decimal("99.99"), Decimal("0"), Decimal("0"), Decimal("1")).batches
    0
    >>> release_due(params, Decimal("1000"), Decimal("150"), Decimal("200"), Decimal("0"), Decimal("1")).batches
    0

    The last batch contributes only what covers the gap: owed 20.00 at mint ratio 0.70 needs 28.58.

    >>> due = release_due(params, Decimal("20"), Decimal("500"), Decimal("0"), Decimal("0"), Decimal("1"))
    >>> due.batches, due.spend, due.contribution
    (5, Decimal('500.00'), Decimal('28.58'))

    Threshold 0: every spend releases at once.

    >>> params0 = ReleaseParams(threshold=Decimal("0"), rate=Decimal("0.5"), mint_ratio=Decimal("0.7"))
    >>> release_due(params0, Decimal("1000"), Decimal("33.33"), Decimal("0"), Decimal("0"), Decimal("2"))
    Release(batches=1, spend=Decimal('33.33'), contribution=Decimal('16.67'), remaining=Decimal('1000.00'))
    >>> release_due(ReleaseParams(rate=Decimal("1.5")), 1, 1, 0, 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: the release rate must be above 0 and at most 1, not 1.5
    """
    digits = params.money_digits
    threshold, rate = to_decimal(params.threshold), to_decimal(params.rate)
    if not 0 < rate <= 1:
        raise ValueError(f"the release rate must be above 0 and at most 1, not {rate}")
    if threshold < 0:
        raise ValueError(f"the release threshold cannot be negative, not {threshold}")
    remaining = remaining_owed(payable, released_points, price, digits)
    zero = Decimal(0).quantize(MONEY)
    unreleased = money_half_up(to_decimal(spent) - to_decimal(released_spend), digits)
    if remaining <= 0 or unreleased <= 0:
        return Release(0, zero, zero, remaining)
    if threshold:
        batches = int(unreleased // threshold)
        spend = money_half_up(threshold * batches, digits)
    else:
        batches, spend = 1, unreleased
    if not batches:
        return Release(0, zero, zero, remaining)
    contribution = money_half_up(spend * rate, digits)
    # What the gap needs: minted points are worth mint_ratio × the contribution at the price of their turn.
    needed = (remaining / to_decimal(params.mint_ratio)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_CEILING)
    return Release(batches, spend, min(contribution, needed), remaining)
