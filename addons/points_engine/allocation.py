"""Allocation plans (拨比) of SPEC §4: how one order line splits into buckets.

A rule takes a share of the untaxed line amount, of the margin (amount − cost),
of the platform's commission on a merchant's sale (amount × take rate), or a
fixed amount per unit. Each bucket is rounded half-up to the currency.

The example of SPEC §4, a 1000.00 product:

>>> rules = [Rule("referral", "price", "33"), Rule("dividend", "price", "4"), Rule("pool", "price", "30"),
...          Rule("cost", "price", "20"), Rule("platform", "price", "7"), Rule("service_point", "fixed", "20"),
...          Rule("regional", "price", "1"), Rule("rank_differential", "price", "3")]
>>> split = split_line(rules, amount=Decimal("1000"), quantity=Decimal("1"))
>>> split["pool"], split["referral"], split["service_point"], sum(split.values())
(Decimal('300.00'), Decimal('330.00'), Decimal('20.00'), Decimal('1000.00'))
>>> payout_ratio(split, Decimal("1000"))
Decimal('0.73')

An O2O store with a 20% take rate on a 1000.00 order: the platform's commission
is 200.00, of which the pool gets 80% (160.00, minting 112.00 of value at 0.70):

>>> split_line([Rule("pool", "commission", "80"), Rule("platform", "commission", "10"),
...             Rule("referral", "commission", "10")], amount=Decimal("1000"), quantity=Decimal("1"),
...            take_rate=Decimal("0.20"))
{'pool': Decimal('160.00'), 'platform': Decimal('20.00'), 'referral': Decimal('20.00')}
"""

from dataclasses import dataclass
from decimal import Decimal

from .rounding import exact, money_half_up, to_decimal

#: The bucket that feeds the profit pool. Bucket names are data: the modules that pay a bucket declare it
#: (points_allocation: pool, platform, cost; points_reward, points_rebate: theirs); the engine only knows these.
POOL_BUCKET = "pool"
#: Buckets that are not paid out to members (the rest count in the payout ratio).
RETAINED_BUCKETS = ("platform", "cost")
BASES = ("price", "margin", "commission", "fixed")


@dataclass(frozen=True)
class Rule:
    """``value`` is a percentage for the price, margin and commission bases, money per unit for ``fixed``.

    Any named bucket will do (the modules paying buckets declare them); the basis must be known:

    >>> Rule("loyalty", "price", "5").value
    Decimal('5')
    >>> Rule("", "price", "5")
    Traceback (most recent call last):
    ...
    ValueError: a bucket needs a name, not ''
    >>> Rule("pool", "turnover", "5")
    Traceback (most recent call last):
    ...
    ValueError: unknown basis 'turnover'
    """

    bucket: str
    basis: str
    value: Decimal

    def __post_init__(self):
        if not isinstance(self.bucket, str) or not self.bucket:
            raise ValueError(f"a bucket needs a name, not {self.bucket!r}")
        if self.basis not in BASES:
            raise ValueError(f"unknown basis {self.basis!r}")
        object.__setattr__(self, "value", to_decimal(self.value))


@exact
def split_line(rules, amount, quantity, cost=Decimal(0), take_rate=Decimal(0), money_digits=2):
    """Bucket amounts of one line: ``amount`` untaxed, ``cost`` for the whole quantity."""
    amount, quantity = to_decimal(amount), to_decimal(quantity)
    bases = {
        "price": amount,
        "margin": max(amount - to_decimal(cost), Decimal(0)),
        "commission": amount * to_decimal(take_rate),
    }
    split = {}
    for rule in rules:
        if rule.basis == "fixed":
            value = rule.value * quantity
        else:
            value = bases[rule.basis] * rule.value / 100
        split[rule.bucket] = split.get(rule.bucket, Decimal(0)) + money_half_up(value, money_digits)
    return split


@exact
def payout_ratio(split, amount):
    """Share of the line amount paid out to members and pools (everything but platform and cost).

    Every bucket but the retained ones counts, whichever module declared it:

    >>> payout_ratio({"pool": Decimal("300"), "loyalty": Decimal("50"), "platform": Decimal("70"),
    ...               "cost": Decimal("200")}, Decimal("1000"))
    Decimal('0.35')
    """
    amount = to_decimal(amount)
    if not amount:
        return Decimal(0)
    paid = sum((value for bucket, value in split.items() if bucket not in RETAINED_BUCKETS), Decimal(0))
    return paid / amount
