"""Hypothesis: the figures the models show and check come from the engine and mean what they say.

The sell quote is what a sale pays; the transfer headroom is the exact edge of the forced
exit; the refund debt of a run of movements adds up to the debt of the final balance; the
withdrawal fee and the amount paid make up the amount.
"""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine import Cycle, Pool, PoolParams
from odoo.addons.points_engine.cycle import exit_progress
from odoo.addons.points_engine.rounding import POINT, points_down
from odoo.addons.points_engine.wallet import cash_debt, debt_growth, withdrawal_split

money = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) / 100)
points = st.integers(min_value=1, max_value=100_000_000).map(lambda n: Decimal(n) / 10000)
signed_money = st.integers(min_value=-1_000_000, max_value=1_000_000).map(lambda n: Decimal(n) / 100)
multiples = st.integers(min_value=1, max_value=2000).map(lambda n: Decimal(n) / 100)


@settings(max_examples=200, deadline=None)
@given(balance=money, circulating=points, share=st.integers(1, 100), fee=st.sampled_from(["0", "0.2", "0.15"]))
def test_sell_quote_is_what_the_sale_pays(balance, circulating, share, fee):
    params = PoolParams(sell_fee_rate=Decimal(fee))
    sold = max(points_down(circulating * share / 100), POINT)
    quote = Pool(params, balance=balance, points=circulating).sell_quote(sold)
    pool = Pool(params, balance=balance, points=circulating)
    movement = pool.sell(sold)
    assert (quote.gross, quote.fee, quote.net) == (movement.gross, movement.fee, movement.money)
    assert quote.gross == quote.fee + quote.net
    assert (pool.balance, pool.points) == (balance - quote.net, circulating - sold)


@settings(max_examples=300, deadline=None)
@given(balance=money, circulating=points, spend=money, realized=st.integers(0, 10_000_000).map(
    lambda n: Decimal(n) / 100), held=st.integers(0, 100_000_000).map(lambda n: Decimal(n) / 10000),
    multiple=multiples)
def test_the_transfer_headroom_is_the_edge_of_the_forced_exit(balance, circulating, spend, realized, held, multiple):
    """Fewer points than the headroom keep the cycle below its exit; the headroom or more bring it there."""
    pool = Pool(PoolParams(), balance=balance, points=circulating)
    cycle = Cycle(spend=spend, realized=realized, points=held)
    room = cycle.room_before_exit(pool, multiple)
    below = points_down(room)
    if below == room:  # an exact 4-decimal headroom is itself the first amount that is due
        below -= POINT
    if below >= 0:
        assert not Cycle(spend=spend, realized=realized, points=held + below).is_due(pool, multiple)
    assert Cycle(spend=spend, realized=realized, points=held + points_down(room) + POINT).is_due(pool, multiple)


@settings(max_examples=300, deadline=None)
@given(start=signed_money, deltas=st.lists(signed_money, max_size=8))
def test_debt_growths_add_up_to_the_debt_of_the_final_balance(start, deltas):
    cash, grown = start, Decimal(0)
    for delta in deltas:
        growth = debt_growth(cash, delta)
        assert growth <= max(-delta, Decimal(0))  # a movement never adds more debt than it takes
        cash += delta
        grown += growth
    assert cash_debt(start) + grown == cash_debt(cash) >= 0


@settings(max_examples=300, deadline=None)
@given(amount=money, rate=st.integers(0, 999).map(lambda n: Decimal(n) / 1000), digits=st.sampled_from([0, 2]))
def test_the_withdrawal_fee_and_the_payout_make_up_the_amount(amount, rate, digits):
    fee, net = withdrawal_split(amount, rate, digits)
    assert fee + net == amount
    assert 0 <= net <= amount * (1 - rate)  # the member's part is rounded down, never up
    assert fee >= amount * rate


@settings(max_examples=200, deadline=None)
@given(multiple=multiples, spend=money, realized=st.integers(0, 10_000_000).map(lambda n: Decimal(n) / 100),
       value=st.integers(0, 10_000_000).map(lambda n: Decimal(n) / 100))
def test_exit_progress_reaches_100_exactly_when_the_target_is_reached(multiple, spend, realized, value):
    target, reached, percent = exit_progress(multiple, spend, realized, value)
    assert 0 <= percent <= 100
    if target > 0:
        assert (percent == 100) == (realized + value >= target)
    else:  # a spend so small that its target rounds to nothing shows no progress
        assert percent == 0
