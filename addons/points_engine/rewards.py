"""Referral rewards of SPEC §6: walking the ancestor chain, level-N, differential, peer,
regional agents and dividend sharing.

Plain values in, plain values out: an ancestor chain is a list of :class:`Upline`
(nearest first: the buyer's referrer is level 1), amounts are :class:`Decimal`
money already in the company currency. Nothing here knows Odoo; the reward module
loads the chain with one query, calls these functions and stores the payouts.

Level rewards pay the n-th upline a fixed amount (direct = level 1, indirect = level 2):

>>> chain = [Upline("a", 1), Upline("b", 3), Upline("c", None)]
>>> [(p.member, p.level, p.amount) for p in level_rewards(chain, {1: Decimal("3.00"), 2: Decimal("2.00")})]
[('a', 1, Decimal('3.00')), ('b', 2, Decimal('2.00'))]

Rank differential (级差) with rates 董事 30 / 联创 20 / 合伙人 10 per order. Ranks are
their order numbers: 合伙人 3 < 联创 4 < 董事 5. Walking up from the buyer, each upline
earns its rank's rate less the highest rate already paid below it:

>>> PARTNER, COFOUNDER, DIRECTOR = 3, 4, 5
>>> rates = {DIRECTOR: Decimal("30"), COFOUNDER: Decimal("20"), PARTNER: Decimal("10")}
>>> earned = rank_differential([Upline("p", PARTNER), Upline("c", COFOUNDER), Upline("d", DIRECTOR)], rates)
>>> [str(earned.get(m, 0)) for m in "pcd"]   # 合伙人→联创→董事
['10', '10', '10']
>>> earned = rank_differential([Upline("c", COFOUNDER), Upline("p", PARTNER), Upline("d", DIRECTOR)], rates)
>>> [str(earned.get(m, 0)) for m in "cpd"]   # 联创→合伙人→董事
['20', '0', '10']

Peer reward (平级), one level only: the first upline above a differential earner with
the same rank, with no higher rank between, earns 10% of that earner's differential:

>>> chain = [Upline("p1", PARTNER), Upline("p2", PARTNER), Upline("p3", PARTNER), Upline("d", DIRECTOR)]
>>> earned = rank_differential(chain, rates)
>>> {m: str(v) for m, v in earned.items()}
{'p1': '10', 'd': '20'}
>>> [(p.member, p.level, p.amount, p.origin) for p in peer_rewards(chain, earned, Decimal("10"))]
[('p2', 2, Decimal('1.00'), 'p1')]

Regional agents (区代/市代/省代/大区): the levels are the operator's, in order from the one
closest to the buyer. Rates district 3, city 5, province 8, region 10 per order pay 3, 2, 3, 2;
a missing level passes its share up:

>>> regional = [("district", "D", Decimal(3)), ("city", "C", Decimal(5)),
...             ("province", "P", Decimal(8)), ("region", "R", Decimal(10))]
>>> [(p.member, p.amount) for p in regional_differential(regional)]
[('D', Decimal('3')), ('C', Decimal('2')), ('P', Decimal('3')), ('R', Decimal('2'))]
>>> regional[1] = ("city", None, Decimal(5))   # no city agent: the province earns its share
>>> [(p.member, p.amount) for p in regional_differential(regional)]
[('D', Decimal('3')), ('P', Decimal('5')), ('R', Decimal('2'))]

A fifth level below the district (街代, a street or town agent) at rate 1: the street earns 1,
the district what is left of its 3; without a district agent the city earns 5 less the street's 1:

>>> five = [("street", "S", Decimal(1)), ("district", "D", Decimal(3)), ("city", "C", Decimal(5)),
...         ("province", "P", Decimal(8)), ("region", "R", Decimal(10))]
>>> [(p.member, p.level, p.amount) for p in regional_differential(five)]
[('S', 1, Decimal('1')), ('D', 2, Decimal('2')), ('C', 3, Decimal('2')), ('P', 4, Decimal('3')), ('R', 5, Decimal('2'))]
>>> five[1] = ("district", None, Decimal(3))
>>> [(p.member, p.level, p.amount) for p in regional_differential(five)]
[('S', 1, Decimal('1')), ('C', 3, Decimal('4')), ('P', 4, Decimal('3')), ('R', 5, Decimal('2'))]

A dividend pool of 40.00 shared 董事 30% / 联创 30% / 合伙人 40%, equally within a rank;
what cannot be split to the cent (or has nobody to go to) stays in the pool:

>>> payouts, left = share_dividend(Decimal("40.00"), {DIRECTOR: Decimal(30), COFOUNDER: Decimal(30),
...     PARTNER: Decimal(40)}, {DIRECTOR: [("d1", 1)], COFOUNDER: [("c1", 1), ("c2", 1), ("c3", 1)], PARTNER: []})
>>> {m: str(v) for m, v in payouts.items()}, left
({'d1': '12.00', 'c1': '4.00', 'c2': '4.00', 'c3': '4.00'}, Decimal('16.00'))
"""

import functools
from dataclasses import dataclass
from decimal import Decimal

from .rounding import exact as _exact_context
from .rounding import money_down, money_half_up, to_decimal

def exact(func):
    """:func:`.rounding.exact` keeping the function's module, so that doctest finds its examples."""
    return functools.wraps(func)(_exact_context(func))


@dataclass(frozen=True)
class Upline:
    """One ancestor of the buyer: ``member`` is any key, ``rank`` the rank's order number (None: no rank).

    ``level`` is the ancestor's distance from the buyer (1 = referrer); by default its
    position in the chain. Members without a rank never earn a differential nor end a
    peer search, so a chain of only the ranked ancestors, each with its level, gives the
    same rewards as the full chain: that is how a chain 10,000 deep stays cheap.

    >>> sparse = [Upline("p", 3, level=1), Upline("d", 5, level=9_999)]
    >>> rank_differential(sparse, {3: Decimal(10), 5: Decimal(30)})
    {'p': Decimal('10'), 'd': Decimal('20')}
    """

    member: object
    rank: int | None = None
    level: int | None = None


@dataclass(frozen=True)
class Payout:
    """What one rule pays one member for one order line.

    ``level`` is the distance from the buyer (1 = direct referrer) or, for
    regional agents, the agent level's position (1 = the level closest to the buyer); ``origin`` is
    the differential earner a peer reward derives from.
    """

    member: object
    amount: Decimal
    level: int = 0
    origin: object = None


@exact
def rule_amount(basis, value, base_amount, quantity=1, bucket_amount=Decimal(0), digits=2):
    """Money a rule value stands for on one line, rounded down (in favour of the platform).

    ``percent``: % of the line's untaxed amount; ``fixed``: money per unit;
    ``bucket``: % of the allocation-plan bucket the rule pays from.

    >>> rule_amount("percent", "0.3", Decimal("1000")), rule_amount("fixed", 100, 0, quantity=2)
    (Decimal('3.00'), Decimal('200.00'))
    >>> rule_amount("bucket", 50, Decimal("1000"), bucket_amount=Decimal("33.33"))
    Decimal('16.66')
    """
    value = to_decimal(value)
    if basis == "percent":
        amount = to_decimal(base_amount) * value / 100
    elif basis == "fixed":
        amount = value * to_decimal(quantity)
    elif basis == "bucket":
        amount = to_decimal(bucket_amount) * value / 100
    else:
        raise ValueError(f"unknown basis {basis!r}")
    return money_down(amount, digits)


def level_rewards(chain, amounts):
    """Pays ``amounts[n]`` to the n-th upline (1 = direct); missing uplines are simply not paid."""
    payouts = []
    for level, amount in sorted(amounts.items()):
        if 1 <= level <= len(chain) and to_decimal(amount) > 0:
            payouts.append(Payout(chain[level - 1].member, to_decimal(amount), level))
    return payouts


def differential(entries):
    """Differential along ``entries`` [(member, rate)], lowest first: each earns its rate less the
    highest rate already paid below it, if positive. A member of None passes its share up.

    Returns [(position, member, amount)] with positions counted from 1.

    >>> differential([("a", Decimal(5)), ("b", Decimal(5)), ("c", Decimal(7))])
    [(1, 'a', Decimal('5')), (3, 'c', Decimal('2'))]
    """
    paid_rate = Decimal(0)
    result = []
    for position, (member, rate) in enumerate(entries, start=1):
        if member is None or rate is None:
            continue
        rate = to_decimal(rate)
        if rate > paid_rate:
            result.append((position, member, rate - paid_rate))
            paid_rate = rate
    return result


def rank_differential(chain, rates):
    """Rank differential (级差) along ``chain``: {member: amount} of every upline that earns.

    The walk stops as soon as the highest rate is paid, so a long chain of members
    without a better rank costs only the walk up to that point.
    """
    top = max((to_decimal(rate) for rate in rates.values()), default=Decimal(0))
    earned = {}
    paid_rate = Decimal(0)
    for upline in chain:
        rate = to_decimal(rates.get(upline.rank, 0)) if upline.rank is not None else Decimal(0)
        if rate > paid_rate:
            earned[upline.member] = earned.get(upline.member, Decimal(0)) + rate - paid_rate
            paid_rate = rate
            if paid_rate >= top:
                break
    return earned


@exact
def peer_rewards(chain, earned, percent, digits=2):
    """Peer rewards (平级): ``percent`` of each differential earner's reward to the first upline
    above it with the same rank and no higher rank between; one level only.

    ``earned`` is what :func:`rank_differential` returned for the same chain. Uplines
    without a rank, or with a lower one, do not end the search for a peer; a peer
    earns no differential (its rate is not higher), so nobody earns a peer's peer reward.
    """
    percent = to_decimal(percent)
    payouts = []
    searching = []  # (earner, rank, differential) whose peers are being looked for
    earners_left = len(earned)
    for position, upline in enumerate(chain, start=1):
        level = upline.level or position
        if not searching and not earners_left:
            break
        if searching and upline.rank is not None:
            still = []
            for earner, rank, amount in searching:
                if upline.rank < rank:
                    still.append((earner, rank, amount))
                elif upline.rank == rank:
                    reward = money_down(amount * percent / 100, digits)
                    if reward > 0:
                        payouts.append(Payout(upline.member, reward, level, origin=earner))
            searching = still
        if upline.member in earned:
            earners_left -= 1
            if upline.rank is not None:
                searching.append((upline.member, upline.rank, to_decimal(earned[upline.member])))
    return payouts


def regional_differential(levels):
    """Regional agents: ``levels`` [(level, agent or None, rate or None)], ordered from the level
    closest to the buyer (the street or district) to the widest (the region).

    Returns the payouts of the agents present, each at its level's rate less the
    highest rate paid below it; a level without an agent (or a rate) passes its share up.
    ``Payout.level`` is the level's position in ``levels`` (1 = the first).
    """
    return [Payout(member, amount, position)
            for position, member, amount in differential([(agent, rate) for _name, agent, rate in levels])]


@exact
def cap_to_budget(payouts, budget):
    """Pays ``payouts`` in order while ``budget`` lasts; returns (paid payouts, budget left).

    >>> paid, left = cap_to_budget([Payout("a", Decimal("20")), Payout("b", Decimal("15"))], Decimal("30"))
    >>> [(p.member, p.amount) for p in paid], left
    ([('a', Decimal('20')), ('b', Decimal('10'))], Decimal('0'))
    """
    left = to_decimal(budget)
    paid = []
    for payout in payouts:
        amount = min(to_decimal(payout.amount), left)
        if amount <= 0:
            continue
        paid.append(Payout(payout.member, amount, payout.level, payout.origin))
        left -= amount
    return paid, left


@exact
def share_dividend(amount, shares, members, weighted=False, digits=2):
    """Shares a dividend pool by rank: ``shares`` {rank: percent}, ``members`` {rank: [(member, weight)]}.

    Within a rank the share goes equally to its members, or in proportion to their
    weights; amounts are rounded down. Returns ({member: amount}, amount left in the pool):
    a rank without members (or without weight) leaves its share in the pool.

    >>> share_dividend(Decimal("100"), {1: Decimal(100)}, {1: [("a", 3), ("b", 1)]}, weighted=True)[0]
    {'a': Decimal('75.00'), 'b': Decimal('25.00')}
    """
    amount = to_decimal(amount)
    payouts = {}
    distributed = Decimal(0)
    for rank, percent in shares.items():
        rank_amount = money_down(amount * to_decimal(percent) / 100, digits)
        entries = [(member, to_decimal(weight)) for member, weight in members.get(rank, ())]
        if not weighted:
            entries = [(member, Decimal(1)) for member, _weight in entries]
        total_weight = sum((weight for _member, weight in entries if weight > 0), Decimal(0))
        if rank_amount <= 0 or total_weight <= 0:
            continue
        for member, weight in entries:
            if weight <= 0:
                continue
            share = money_down(rank_amount * weight / total_weight, digits)
            if share > 0:
                payouts[member] = payouts.get(member, Decimal(0)) + share
                distributed += share
    return payouts, amount - distributed


@exact
def reversal_amount(total, already_reversed, refunded_ratio, digits=2):
    """What a refund takes back of ``total``, once ``refunded_ratio`` of the source is refunded in all.

    Computed from the cumulative share and what was already taken back, so partial
    refunds that add up to the whole take back exactly the total, however the single
    ratios were rounded:

    >>> taken, parts = Decimal(0), []
    >>> for refunded in (Decimal(1) / 3, Decimal("0.6667"), Decimal(1)):
    ...     parts.append(reversal_amount(Decimal("10.00"), taken, refunded))
    ...     taken += parts[-1]
    >>> parts, taken
    ([Decimal('3.33'), Decimal('3.34'), Decimal('3.33')], Decimal('10.00'))
    """
    total, already_reversed = to_decimal(total), to_decimal(already_reversed)
    end = min(max(to_decimal(refunded_ratio), Decimal(0)), Decimal(1))
    return max(money_half_up(total * end, digits) - already_reversed, Decimal(0))


@exact
def refund_share(done_ratio, ratio=None, refunded=None, line_share=1):
    """The share of a reward (or accrual) a refund takes, after ``done_ratio`` of it was taken already.

    ``ratio`` is the refunded share of the source line, or ``refunded`` the share of the
    line refunded in all (this refund included) when the caller keeps it. ``line_share``
    is the share of the line the reward was computed on: a service-point fee paid after
    a quarter of the line was refunded covers only the other three quarters.

    >>> refund_share(Decimal(0), ratio=Decimal("0.25"))
    Decimal('0.25')
    >>> refund_share(Decimal("0.25"), refunded=Decimal("0.625"), line_share=Decimal("0.75"))
    Decimal('0.25')
    >>> refund_share(Decimal("0.9"), ratio=Decimal("0.5"))   # never beyond the whole
    Decimal('0.1')
    """
    done, line_share = to_decimal(done_ratio), to_decimal(line_share or 1)
    if refunded is None:
        target = done + to_decimal(ratio) / line_share
    else:
        target = (to_decimal(refunded) - (1 - line_share)) / line_share
    return min(max(target, done), Decimal(1)) - done
