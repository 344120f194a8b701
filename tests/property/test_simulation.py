"""The economy simulator (SPEC §11) against the engine's golden vectors and its own invariants (no Odoo)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine import Cycle, Economy, PoolParams
from odoo.addons.points_engine.pool import EngineError
from odoo.addons.points_engine.simulation import (
    Behaviour,
    Demand,
    Injection,
    Scenario,
    Simulation,
    StartMember,
    StartState,
    simulate,
)

GOLDEN = dict(order_size=Decimal("1000"), contribution_rate=Decimal("0.30"))
NO_EXITS = PoolParams(exit_multiple=Decimal(0))


def one_order_a_day(days, params=NO_EXITS, **scenario):
    return Scenario(params=params, demand=Demand(orders_per_day=1, days=days, **GOLDEN), **scenario)


def assert_money_conserved(result, start=None):
    """Cohorts add up to the totals, and what they got out less what they put in is what was injected."""
    cohorts, totals, days = result.cohorts, result.totals, result.days
    start_contributed = sum((m.contributed for m in start.members), Decimal(0)) if start else Decimal(0)
    start_paid_out = sum((m.paid_out for m in start.members), Decimal(0)) if start else Decimal(0)
    assert sum(c.contributed for c in cohorts) == totals.contributed + start_contributed
    assert sum(c.paid_out for c in cohorts) == totals.paid_out + start_paid_out
    assert sum(c.held_points for c in cohorts) == result.points
    # The points held are worth the whole pool; once no point circulates, the pool's money is nobody's.
    held_value = result.balance if result.points else Decimal(0)
    assert sum(c.held_value for c in cohorts) == held_value
    assert sum(c.orders for c in cohorts) == result.orders == sum(d.orders for d in days)
    assert sum(c.exits for c in cohorts) == result.exits == sum(d.exits for d in days)
    assert sum(d.contributed for d in days) == totals.contributed
    assert sum(d.payouts for d in days) == totals.paid_out
    assert sum(d.injected for d in days) == totals.injected
    start_balance = start.balance if start else Decimal(0)
    assert result.balance == start_balance + totals.contributed + totals.injected - totals.paid_out
    assert sum(c.net for c in cohorts) == (held_value + start_paid_out - start_contributed
                                           + totals.paid_out - totals.contributed)
    if not start:
        assert sum(c.net for c in cohorts) == totals.injected - (result.balance - held_value)
    prices = [d.price for d in days]
    assert prices == sorted(prices), "the price never decreases"


def test_growth_law_first_doubling_break_even_and_triple():
    """SPEC §3.4: equal orders, no sells: the price reaches 2.00 after 4 orders, 4.76 after 76, 14.29 after 2,968."""
    result = simulate(one_order_a_day(2968))
    assert result.first_day_price_reaches(2) == 4
    assert result.first_day_price_reaches(Decimal("4.76")) == 76
    assert result.first_day_price_reaches(Decimal("14.29")) == 2968
    assert result.days[-1].price == Decimal("14.290608")
    assert result.sells == result.exits == 0


def test_golden_vectors_day_by_day():
    result = simulate(one_order_a_day(4))
    assert [(d.minted, d.balance, d.points, d.price) for d in result.days] == [
        (Decimal("210.0000"), Decimal("300.00"), Decimal("210.0000"), Decimal("1.428571")),
        (Decimal("147.0000"), Decimal("600.00"), Decimal("357.0000"), Decimal("1.680672")),
        (Decimal("124.9500"), Decimal("900.00"), Decimal("481.9500"), Decimal("1.867414")),
        (Decimal("112.4550"), Decimal("1200.00"), Decimal("594.4050"), Decimal("2.018826")),
    ]


def test_first_member_is_forced_out_at_three_times_spend():
    """At multiple 3.0 member 1 (210 points for 1000.00) exits once the price reaches 14.285714."""
    result = simulate(one_order_a_day(2966, params=PoolParams()))
    first_exit = next(d for d in result.days if d.exits)
    assert first_exit.day == 2965
    assert first_exit.exit_points == Decimal("210.0000")
    assert result.days[first_exit.day - 2].price < Decimal("14.285714") <= first_exit.price
    assert result.cohorts[0].exits == 1


def test_injections_force_the_cascade_of_spec_3_4():
    """Three golden members, then injections of 2000.00 and 1500.00 at multiple 1.2."""
    params = PoolParams(exit_multiple=Decimal("1.2"))
    economy = Economy(params)
    for member in range(3):
        economy.contribute(member, Decimal("1000"), Decimal("300"))
    start = StartState(
        balance=economy.pool.balance, points=economy.pool.points,
        members=tuple(StartMember(spend=m.cycle.spend, realized=m.cycle.realized, points=m.cycle.points,
                                  contributed=Decimal("300"), lifetime_spend=Decimal("1000"))
                      for m in economy.members.values()))
    scenario = Scenario(params=params, demand=Demand(orders_per_day=0, days=2),
                        injections=(Injection(1, Decimal("2000")), Injection(2, Decimal("1500"))))
    result = simulate(scenario, start=start)
    day1, day2 = result.days
    assert (day1.exits, day1.exit_payouts, day1.balance, day1.price) == (
        1, Decimal("1010.89"), Decimal("1889.11"), Decimal("6.946534"))
    assert (day2.exits, day2.exit_payouts, day2.balance, day2.points, day2.price) == (
        2, Decimal("1465.56") + Decimal("1538.84"), Decimal("384.71"), Decimal("0.0000"), Decimal("15.394558"))
    assert_money_conserved(result, start)


def test_starting_from_a_pool_state_continues_the_same_economy():
    """Ten orders from scratch end where four orders, then six more from the state they left, end."""
    params = PoolParams()
    whole = simulate(one_order_a_day(10, params=params))
    first = Simulation(one_order_a_day(4, params=params))
    first.run()
    start = StartState(
        balance=first.pool.balance, points=first.pool.points, last_price=first.pool.last_price,
        members=tuple(StartMember(spend=m.cycle.spend, realized=m.cycle.realized, points=m.cycle.points,
                                  contributed=Decimal("300"), lifetime_spend=m.lifetime_spend)
                      for m in first.economy.members.values()))
    rest = simulate(one_order_a_day(6, params=params), start=start)
    assert (rest.balance, rest.points, rest.price) == (whole.balance, whole.points, whole.price)
    assert [d.price for d in rest.days] == [d.price for d in whole.days[4:]]
    assert rest.cohorts[0].index == 0 and rest.cohorts[0].members == 4
    assert_money_conserved(rest, start)


def test_same_seed_same_run_other_seed_other_run():
    def run(seed):
        scenario = Scenario(demand=Demand(orders_per_day=30, days=40, size_distribution="exponential"),
                            behaviour=Behaviour(seller_share=Decimal("0.5"), reentry_share=Decimal("0.5")),
                            seed=seed)
        result = simulate(scenario)
        return [(d.orders, d.spend, d.price, d.sells, d.exits) for d in result.days]

    assert run(1) == run(1)
    assert run(1) != run(2)


@pytest.mark.parametrize("distribution, spread", [("fixed", 0), ("uniform", "0.5"), ("lognormal", "0.8"),
                                                   ("exponential", 0)])
def test_order_sizes_follow_the_distribution(distribution, spread):
    demand = Demand(orders_per_day=400, days=10, order_size=Decimal("200"), size_distribution=distribution,
                    size_spread=Decimal(spread))
    simulation = Simulation(Scenario(params=NO_EXITS, demand=demand, seed=3))
    sizes = [simulation._order_size() for _ in range(4000)]
    mean = sum(sizes) / len(sizes)
    assert abs(mean - 200) < 12, mean
    assert min(sizes) > 0
    if distribution == "fixed":
        assert set(sizes) == {Decimal("200.00")}
    if distribution == "uniform":
        assert Decimal("100") <= min(sizes) and max(sizes) <= Decimal("300")


def test_monthly_growth_compounds_and_fractions_carry_over():
    demand = Demand(orders_per_day=Decimal("2.5"), days=90, monthly_growth=Decimal("0.10"))
    result = simulate(Scenario(params=NO_EXITS, demand=demand))
    assert result.days[0].orders == 2 and result.days[1].orders == 3
    assert round(demand.expected_orders(61) / demand.expected_orders(1), 6) == 1.21
    for first, last in ((1, 30), (31, 60), (61, 90)):
        expected = sum(demand.expected_orders(day) for day in range(first, last + 1))
        assert abs(sum(d.orders for d in result.days[first - 1:last]) - expected) < 1
    assert abs(result.orders - demand.expected_total()) < 1


def test_sellers_sell_everything_once_in_profit_and_holders_do_not():
    scenario = Scenario(params=PoolParams(exit_multiple=Decimal(0)),
                        demand=Demand(orders_per_day=10, days=300, **GOLDEN),
                        behaviour=Behaviour(seller_share=Decimal("0.4"), sell_at_multiple=Decimal("1")), seed=5)
    simulation = Simulation(scenario)
    result = simulation.run()
    assert result.sells > 0
    fee = scenario.params.sell_fee_rate
    sold = [key for key, member in simulation.economy.members.items() if member.cycle.realized]
    assert all(simulation.is_seller[key] for key in sold), "only sellers sell"
    for key in sold:
        cycle = simulation.economy.members[key].cycle
        assert cycle.points == 0
        assert cycle.realized * (1 - fee) >= cycle.spend, "a seller sells once the payout covers the spend"
    waiting = [m.cycle for key, m in simulation.economy.members.items() if simulation.is_seller[key] and m.cycle.points]
    assert not any(c.is_due(simulation.pool, simulation.sell_multiple) for c in waiting), "no seller left in profit"
    assert result.days[-1].holders == sum(1 for m in simulation.economy.members.values() if m.cycle.points)
    assert_money_conserved(result)


def test_members_forced_out_re_enter_the_next_day():
    def run(share):
        scenario = Scenario(params=PoolParams(exit_multiple=Decimal("1.5")),
                            demand=Demand(orders_per_day=5, days=200, **GOLDEN),
                            behaviour=Behaviour(reentry_share=Decimal(share)))
        return simulate(scenario)

    nobody, everybody = run(0), run(1)
    assert nobody.reentries == 0 and nobody.exits > 0
    exits_before_last_day = sum(d.exits for d in everybody.days[:-1])
    assert everybody.reentries == exits_before_last_day > 0
    for yesterday, today in zip(everybody.days, everybody.days[1:]):
        assert today.reentries == yesterday.exits
    assert everybody.orders == nobody.orders + everybody.reentries
    assert_money_conserved(everybody)


def test_cohorts_show_who_is_paid_by_later_cohorts():
    scenario = Scenario(params=PoolParams(exit_multiple=Decimal("1.5")),
                        demand=Demand(orders_per_day=20, days=180, **GOLDEN),
                        behaviour=Behaviour(seller_share=Decimal("0.5"), reentry_share=Decimal("0.3")),
                        cohort_days=30)
    result = simulate(scenario)
    assert [c.index for c in result.cohorts] == [1, 2, 3, 4, 5, 6]
    assert [(c.first_day, c.last_day) for c in result.cohorts][:2] == [(1, 30), (31, 60)]
    assert result.cohorts[0].net > 0 > result.cohorts[-1].net, "early cohorts are paid by later ones"
    assert sum(c.net for c in result.cohorts) == 0
    assert_money_conserved(result)


@pytest.mark.parametrize("make", [
    lambda: Demand(orders_per_day=-1),
    lambda: Demand(days=0),
    lambda: Demand(order_size=0),
    lambda: Demand(size_distribution="normal"),
    lambda: Demand(size_distribution="uniform", size_spread=Decimal("1.5")),
    lambda: Demand(contribution_rate=0),
    lambda: Demand(monthly_growth=-1),
    lambda: Behaviour(seller_share=Decimal("1.1")),
    lambda: Behaviour(sell_at_multiple=0),
    lambda: Injection(1, 0),
    lambda: Scenario(demand=Demand(days=10), injections=(Injection(11, 5),)),
    lambda: Scenario(cohort_days=0),
])
def test_bad_scenarios_are_refused(make):
    with pytest.raises(EngineError):
        make()


def test_a_hundred_thousand_orders(capsys):
    """The figure of the issue (under 10 s on the reference machine) is printed; only correctness is asserted."""
    scenario = Scenario(demand=Demand(orders_per_day=500, days=200, size_distribution="lognormal",
                                      size_spread=Decimal("0.6")),
                        behaviour=Behaviour(seller_share=Decimal("0.3"), reentry_share=Decimal("0.5")),
                        injections=(Injection(100, Decimal("100000")),), seed=1)
    result = simulate(scenario)
    assert result.orders >= 100_000
    assert_money_conserved(result)
    with capsys.disabled():
        print(f"\n  simulator: {result.orders:,} orders, {result.exits:,} forced exits, {result.sells:,} sales "
              f"in {result.seconds:.2f} s")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mint_ratio=st.sampled_from(["0.3", "0.7", "0.95"]),
    fee=st.sampled_from(["0", "0.2", "0.5"]),
    multiple=st.sampled_from(["0", "1.1", "2", "3"]),
    orders=st.sampled_from(["0.5", "3", "12"]),
    distribution=st.sampled_from(["fixed", "uniform", "lognormal", "exponential"]),
    sellers=st.sampled_from(["0", "0.3", "1"]),
    sell_at=st.sampled_from(["0.5", "1", "2"]),
    reentry=st.sampled_from(["0", "0.5", "1"]),
    injection=st.one_of(st.none(), st.integers(min_value=1, max_value=100_000)),
    seed=st.integers(min_value=0, max_value=10),
)
def test_any_scenario_conserves_money_and_never_lowers_the_price(
        mint_ratio, fee, multiple, orders, distribution, sellers, sell_at, reentry, injection, seed):
    scenario = Scenario(
        params=PoolParams(mint_ratio=Decimal(mint_ratio), sell_fee_rate=Decimal(fee), exit_multiple=Decimal(multiple)),
        demand=Demand(orders_per_day=Decimal(orders), days=60, order_size=Decimal("250"),
                      size_distribution=distribution, size_spread=Decimal("0.5")),
        behaviour=Behaviour(seller_share=Decimal(sellers), sell_at_multiple=Decimal(sell_at),
                            reentry_share=Decimal(reentry)),
        injections=(Injection(20, Decimal(injection)),) if injection else (), seed=seed, cohort_days=7)
    simulation = Simulation(scenario)
    result = simulation.run()
    assert_money_conserved(result)
    members = simulation.economy.members.values()
    assert sum((m.cycle.points for m in members), Decimal(0)) == result.points
    assert result.days[-1].holders == sum(1 for m in members if m.cycle.points)
    assert all(isinstance(m.cycle, Cycle) and m.cycle.points >= 0 for m in members)
