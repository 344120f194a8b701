"""Hypothesis: SPEC §3.3 holds under any sequence of events (engine only, no Odoo)."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine import Economy, PoolParams
from odoo.addons.points_engine.pool import EngineError
from odoo.addons.points_engine.rounding import points_down

MEMBERS = 6

params_strategy = st.builds(
    PoolParams,
    mint_ratio=st.sampled_from([Decimal("0.05"), Decimal("0.3"), Decimal("0.7"), Decimal("0.95")]),
    sell_fee_rate=st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.2"), Decimal("0.5")]),
    exit_multiple=st.sampled_from([Decimal("0"), Decimal("1.1"), Decimal("1.5"), Decimal("3")]),
    initial_price=st.sampled_from([Decimal("0.01"), Decimal("1"), Decimal("7.5")]),
    redeem_fee_rate=st.sampled_from([Decimal("0"), Decimal("0.1")]),
)
cents = st.integers(min_value=1, max_value=500_000).map(lambda n: Decimal(n) / 100)
member = st.integers(min_value=0, max_value=MEMBERS - 1)
share = st.sampled_from([Decimal("0.0001"), Decimal("0.001"), Decimal("0.1"), Decimal("0.5"), Decimal("1")])
events = st.lists(
    st.one_of(
        st.tuples(st.just("contribute"), member, cents, st.sampled_from([Decimal("0.01"), Decimal("0.3"), Decimal("1")])),
        st.tuples(st.just("sell"), member, share),
        st.tuples(st.just("tiny_sell"), member, st.integers(min_value=1, max_value=20)),
        st.tuples(st.just("redeem"), member, share),
        st.tuples(st.just("inject"), cents),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50),
                  st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal("1")])),
    ),
    min_size=1,
    max_size=40,
)


def exact_price(economy):
    pool = economy.pool
    return Fraction(pool.balance) / Fraction(pool.points) if pool.points > 0 else Fraction(pool.last_price)


def state(economy):
    pool = economy.pool
    return (pool.balance, pool.points, pool.last_price,
            tuple((key, m.cycle.points, m.cash, m.cycle.spend, m.cycle.realized) for key, m in sorted(economy.members.items())))


def apply(economy, event, sources):
    kind = event[0]
    if kind == "contribute":
        _, key, spend, ratio = event
        source = ("order", len(sources))
        economy.contribute(key, spend, max((spend * ratio).quantize(Decimal("0.01")), Decimal("0.01")), source=source)
        sources.append(source)
    elif kind in ("sell", "redeem"):
        _, key, fraction = event
        held = economy.members[key].cycle.points if key in economy.members else Decimal(0)
        points = points_down(held * fraction)
        if points > 0:
            getattr(economy, kind)(key, points)
    elif kind == "tiny_sell":
        _, key, times = event
        for _ in range(times):
            if key in economy.members and economy.members[key].cycle.points >= Decimal("0.0001"):
                economy.sell(key, Decimal("0.0001"))
    elif kind == "inject":
        economy.inject(event[1])
    elif kind == "reverse" and sources:
        _, index, ratio = event
        economy.reverse(sources[index % len(sources)], ratio)


def check_invariants(economy, previous_price):
    pool, totals = economy.pool, economy.totals
    members = economy.members.values()
    # 1. Σ wallet points = N; nothing negative.
    assert sum((m.cycle.points for m in members), Decimal(0)) == pool.points
    assert pool.points >= 0 and pool.balance >= 0
    assert all(m.cycle.points >= 0 for m in members)
    # 2. Money is conserved: P = what came in − what went out.
    assert pool.balance == (totals.contributed + totals.injected - totals.paid_out - totals.redeemed - totals.refunded)
    # 3. Cash balances are payouts less refund debts; negative only through a debt.
    assert sum((m.cash for m in members), Decimal(0)) == totals.paid_out - totals.debts
    assert all(m.cash >= 0 for m in members) or totals.debts > 0
    # 4. The price never decreases.
    price = exact_price(economy)
    assert price >= previous_price
    return price


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=params_strategy, sequence=events)
def test_any_event_sequence_keeps_the_invariants(params, sequence):
    economy = Economy(params)
    sources = []
    price = exact_price(economy)
    for event in sequence:
        before = state(economy)
        try:
            apply(economy, event, sources)
        except EngineError:
            # A refused event changes nothing.
            assert state(economy) == before
        price = check_invariants(economy, price)


@settings(max_examples=200, deadline=None)
@given(params=params_strategy, spend=cents, sells=st.integers(min_value=1, max_value=300))
def test_tiny_repeated_sells_never_lower_the_price(params, spend, sells):
    economy = Economy(params)
    economy.contribute("a", spend, spend, source="a")
    economy.contribute("b", spend, spend, source="b")
    price = exact_price(economy)
    for _ in range(sells):
        if economy.members["a"].cycle.points < Decimal("0.0001"):
            break
        economy.sell("a", Decimal("0.0001"))
        price = check_invariants(economy, price)


@settings(max_examples=300, deadline=None)
@given(params=params_strategy, orders=st.lists(cents, min_size=1, max_size=30), data=st.data())
def test_reversing_everything_returns_no_more_than_was_contributed(params, orders, data):
    economy = Economy(params)
    for n, amount in enumerate(orders):
        economy.contribute(n % MEMBERS, amount * 3, amount, source=n)
    price = exact_price(economy)
    for n in data.draw(st.permutations(range(len(orders)))):
        economy.reverse(n)
        price = check_invariants(economy, price)
        assert economy.totals.refunded <= economy.totals.contributed


def test_growth_law_without_sells():
    """With no sells, the price first doubles after 4 equal orders (SPEC §3.4)."""
    economy = Economy(PoolParams(exit_multiple=Decimal(0)))
    prices = []
    for n in range(4):
        economy.contribute(n, Decimal("1000"), Decimal("300"))
        prices.append(economy.pool.display_price)
    assert prices[2] < 2 * PoolParams().initial_price <= prices[3]
