"""Hypothesis: the reward rules of SPEC §6 (engine only, no Odoo)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine.rewards import (
    Payout, Upline, cap_to_budget, level_rewards, peer_rewards, rank_differential, regional_differential,
    reversal_amount, rule_amount, share_dividend,
)

RANKS = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
chains = st.lists(RANKS, max_size=30).map(lambda ranks: [Upline(f"m{n}", rank) for n, rank in enumerate(ranks)])
money = st.integers(min_value=0, max_value=100_000).map(lambda cents: Decimal(cents) / 100)
rate_tables = st.dictionaries(st.integers(min_value=1, max_value=5), money, max_size=5)


def reference_differential(chain, rates):
    """SPEC §6 word for word, without the early stop of the engine."""
    paid, earned = Decimal(0), {}
    for upline in chain:
        rate = rates.get(upline.rank, Decimal(0)) if upline.rank is not None else Decimal(0)
        if rate - paid > 0:
            earned[upline.member] = rate - paid
            paid = rate
    return earned


@given(chains, rate_tables)
def test_differential_follows_the_definition_and_pays_at_most_the_top_rate(chain, rates):
    earned = rank_differential(chain, rates)
    assert earned == reference_differential(chain, rates)
    assert all(amount > 0 for amount in earned.values())
    reached = [rates.get(u.rank, Decimal(0)) for u in chain if u.rank is not None]
    assert sum(earned.values(), Decimal(0)) == max(reached, default=Decimal(0))


@settings(max_examples=500)
@given(chains, rate_tables, st.sampled_from([Decimal(5), Decimal(10), Decimal(100)]))
def test_peer_reward_goes_to_the_first_same_rank_upline_with_no_higher_rank_between(chain, rates, percent):
    earned = rank_differential(chain, rates)
    payouts = peer_rewards(chain, earned, percent)
    position = {upline.member: index for index, upline in enumerate(chain)}
    origins = [payout.origin for payout in payouts]
    assert len(origins) == len(set(origins)), "one peer per earner"
    for payout in payouts:
        earner, peer = chain[position[payout.origin]], chain[position[payout.member]]
        assert payout.member not in earned, "a peer earns no differential, so no peer of a peer"
        assert peer.rank == earner.rank and position[peer.member] > position[earner.member]
        between = chain[position[earner.member] + 1:position[peer.member]]
        assert all(u.rank is None or u.rank < earner.rank for u in between)
        assert payout.level == position[peer.member] + 1
        assert payout.amount <= earned[payout.origin]
    for earner in earned:
        if earner in origins or chain[position[earner]].rank is None:
            continue
        rank = chain[position[earner]].rank
        above = [u for u in chain[position[earner] + 1:] if u.rank is not None and u.rank >= rank]
        reward = (earned[earner] * percent / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        assert not above or above[0].rank > rank or reward == 0, "a due peer reward is missing"


@given(st.lists(st.tuples(st.booleans(), money), min_size=4, max_size=4))
def test_regional_agents_share_the_highest_rate_present(levels):
    entries = [(name, f"agent-{name}" if present else None, rate)
               for name, (present, rate) in zip(("district", "city", "province", "region"), levels)]
    payouts = regional_differential(entries)
    present = [rate for _name, agent, rate in entries if agent]
    assert sum((p.amount for p in payouts), Decimal(0)) == max(present, default=Decimal(0))
    assert all(p.amount > 0 and p.member for p in payouts)


@given(chains, st.dictionaries(st.integers(min_value=1, max_value=6), money, max_size=4))
def test_level_rewards_pay_the_nth_upline(chain, amounts):
    payouts = level_rewards(chain, amounts)
    for payout in payouts:
        assert chain[payout.level - 1].member == payout.member
        assert payout.amount == amounts[payout.level]
    assert len(payouts) == sum(1 for level, amount in amounts.items() if level <= len(chain) and amount > 0)


@given(st.lists(money, max_size=10), money)
def test_budget_caps_payouts_in_order(amounts, budget):
    paid, left = cap_to_budget([Payout(n, amount) for n, amount in enumerate(amounts)], budget)
    assert sum((p.amount for p in paid), Decimal(0)) + left == budget
    assert left >= 0 and all(p.amount > 0 for p in paid)
    assert [p.member for p in paid] == sorted(p.member for p in paid)


@given(money, st.dictionaries(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=100),
                              max_size=5).filter(lambda shares: sum(shares.values()) <= 100),
       st.dictionaries(st.integers(min_value=1, max_value=5),
                       st.lists(st.integers(min_value=0, max_value=50), max_size=6), max_size=5),
       st.booleans())
def test_dividend_shares_never_exceed_the_pool_and_the_rest_stays(amount, shares, weights, weighted):
    members = {rank: [(f"r{rank}m{n}", weight) for n, weight in enumerate(ws)] for rank, ws in weights.items()}
    payouts, left = share_dividend(amount, {rank: Decimal(p) for rank, p in shares.items()}, members, weighted)
    assert sum(payouts.values(), Decimal(0)) + left == amount
    assert left >= 0 and all(value > 0 for value in payouts.values())
    if not weighted:
        for rank, entries in members.items():
            values = {payouts.get(member, Decimal(0)) for member, _w in entries}
            assert len(values) <= 1, "equal shares within a rank"


@settings(max_examples=200)
@given(money, st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8))
def test_partial_reversals_add_up_to_the_whole(total, parts):
    ratios = [Decimal(part) / sum(parts) for part in parts]
    done, taken = Decimal(0), Decimal(0)
    for ratio in ratios:
        # Ratios stored with 4 decimals, as the Odoo models keep them.
        done = min((done + ratio).quantize(Decimal("0.0001")), Decimal(1)) if ratio != ratios[-1] else Decimal(1)
        part = reversal_amount(total, taken, done)
        assert part >= 0
        taken += part
    assert taken == total


@given(st.sampled_from(["percent", "fixed", "bucket"]), money, money, st.integers(min_value=1, max_value=5), money)
def test_rule_amounts_never_round_up(basis, value, base, quantity, bucket):
    amount = rule_amount(basis, value, base, quantity, bucket)
    exact = {"percent": base * value / 100, "fixed": value * quantity, "bucket": bucket * value / 100}[basis]
    assert amount <= exact < amount + Decimal("0.01")


def test_deep_chain_is_walked_once():
    """10,000 uplines without a better rank, then a director: one linear walk."""
    chain = [Upline(n, 1) for n in range(10_000)] + [Upline("top", 5)]
    earned = rank_differential(chain, {1: Decimal(10), 5: Decimal(30)})
    assert earned == {0: Decimal(10), "top": Decimal(20)}
    assert [(p.member, p.level) for p in peer_rewards(chain, earned, Decimal(10))] == [(1, 2)]


def test_a_later_earner_of_lower_rank_does_not_end_a_peer_search():
    """Rates need not follow ranks: an earner of a lower rank above does not hide the peer."""
    chain = [Upline("a", 3), Upline("b", 2), Upline("c", 3)]
    earned = rank_differential(chain, {3: Decimal(10), 2: Decimal(20)})
    assert earned == {"a": Decimal(10), "b": Decimal(10)}
    assert [(p.member, p.origin, p.amount) for p in peer_rewards(chain, earned, Decimal(10))] == [
        ("c", "a", Decimal("1.00"))]


@given(chains, rate_tables, st.sampled_from([Decimal(10), Decimal(50)]))
def test_a_chain_of_the_ranked_uplines_alone_gives_the_same_rewards(chain, rates, percent):
    """Members without a rank never earn nor end a peer search: the reward module loads only the ranked ones."""
    sparse = [Upline(u.member, u.rank, level) for level, u in enumerate(chain, start=1) if u.rank is not None]
    earned = rank_differential(chain, rates)
    assert rank_differential(sparse, rates) == earned
    assert peer_rewards(sparse, earned, percent) == peer_rewards(chain, earned, percent)
