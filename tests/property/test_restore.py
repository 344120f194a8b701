"""Hypothesis: refunds of goods paid with points come back as points, never lowering the price (engine only)."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine import PoolParams
from odoo.addons.points_engine.pool import Pool
from odoo.addons.points_engine.sequencer import Account, Refusal, Sequencer

MEMBERS = 4

params_strategy = st.builds(
    PoolParams,
    mint_ratio=st.sampled_from([Decimal("0.3"), Decimal("0.7"), Decimal("0.95")]),
    sell_fee_rate=st.sampled_from([Decimal("0"), Decimal("0.2")]),
    exit_multiple=st.sampled_from([Decimal("0"), Decimal("1.1"), Decimal("3")]),
    initial_price=st.sampled_from([Decimal("0.01"), Decimal("1"), Decimal("7.5")]),
    redeem_fee_rate=st.sampled_from([Decimal("0"), Decimal("0.1")]),
)
cents = st.integers(min_value=1, max_value=300_000).map(lambda n: Decimal(n) / 100)
member = st.integers(min_value=0, max_value=MEMBERS - 1)
share = st.sampled_from([Decimal("0.001"), Decimal("0.3"), Decimal("0.5"), Decimal("1")])
events = st.lists(
    st.one_of(
        st.tuples(st.just("contribute"), member, cents),
        st.tuples(st.just("sell"), member, share),
        st.tuples(st.just("redeem"), member, share),
        st.tuples(st.just("inject"), cents),
        st.tuples(st.just("restore"), st.integers(min_value=0, max_value=30), share),
    ),
    min_size=1,
    max_size=40,
)


def exact_price(pool):
    return Fraction(pool.balance) / Fraction(pool.points) if pool.points > 0 else Fraction(pool.last_price)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=params_strategy, sequence=events)
def test_restores_never_lower_the_price_nor_mint_more_than_was_redeemed(params, sequence):
    seq = Sequencer(Pool(params))
    accounts = [seq.add(Account(id=n)) for n in range(MEMBERS)]
    redemptions = []  # [account, amount redeemed, amount restored so far]
    price = exact_price(seq.pool)
    for event in sequence:
        kind = event[0]
        try:
            if kind == "contribute":
                seq.attempt(lambda: seq.contribute(accounts[event[1]], event[2] * 3, event[2]))
            elif kind in ("sell", "redeem"):
                account = accounts[event[1]]
                amount = (seq.pool.redeem_value(account.cycle.points) * event[2]).quantize(Decimal("0.01"))
                if kind == "redeem" and amount > 0:
                    steps = seq.attempt(lambda: seq.redeem_amount(account, amount))
                    redemptions.append([account, steps[0].movement.money, Decimal(0)])
                elif kind == "sell" and account.cycle.points * event[2] >= Decimal("0.0001"):
                    seq.attempt(lambda: seq.sell(account, (account.cycle.points * event[2]).quantize(
                        Decimal("0.0001"), rounding="ROUND_DOWN")))
            elif kind == "inject":
                seq.attempt(lambda: seq.inject(event[1]))
            elif kind == "restore" and redemptions:
                redemption = redemptions[event[1] % len(redemptions)]
                # The caller's cap: never more than the redemption paid, cumulatively.
                amount = min((redemption[1] * event[2]).quantize(Decimal("0.01")), redemption[1] - redemption[2])
                if amount > 0:
                    before_price = exact_price(seq.pool)
                    step = seq.attempt(lambda: seq.restore(redemption[0], amount))[0]
                    redemption[2] += amount
                    assert redemption[2] <= redemption[1]
                    # The points minted are worth at most the value restored, at the price of the restore.
                    assert Fraction(step.movement.points) * before_price <= Fraction(amount)
                    assert step.movement.money == amount
        except Refusal:
            pass
        assert sum((a.cycle.points for a in accounts), Decimal(0)) == seq.pool.points
        assert seq.pool.balance >= 0 and all(a.cycle.points >= 0 for a in accounts)
        new_price = exact_price(seq.pool)
        assert new_price >= price
        price = new_price


@settings(max_examples=300, deadline=None)
@given(params=params_strategy, spend=cents, fraction=st.sampled_from([Decimal("0.1"), Decimal("0.5"), Decimal("1")]))
def test_a_refund_of_a_points_payment_is_worth_no_more_than_selling_the_points(params, spend, fraction):
    """Buy with points, get them back: the member never ends with more than the points were worth."""
    seq = Sequencer(Pool(params))
    buyer, other = seq.add(Account(id=1)), seq.add(Account(id=2))
    seq.contribute(buyer, spend * 3, spend)
    seq.contribute(other, spend * 3, spend)
    held = buyer.cycle.points
    amount = (seq.pool.redeem_value(buyer.cycle.points) * fraction).quantize(Decimal("0.01"))
    if amount <= 0:
        return
    seq.redeem_amount(buyer, amount)
    seq.restore(buyer, amount)
    # No more points than were used, and no money: at any price, worth no more than keeping them.
    assert buyer.cycle.points <= held and buyer.cash == 0
