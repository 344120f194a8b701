"""Hypothesis: chain reward 2+1 (链动2+1) of SPEC §10 (engine only, no Odoo)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.points_engine.chain import (
    AGENT, BOSS, DIRECT, IDENTITIES, MEMBER, PEER, SEE_POINT, ChainRules, ChainTree, spill_block,
)
from odoo.addons.points_engine.rounding import money_down

money = st.integers(min_value=0, max_value=50_000).map(lambda cents: Decimal(cents) / 100)
rates = st.integers(min_value=0, max_value=100).map(lambda pct: Decimal(pct) / 100)
rules_st = st.builds(
    ChainRules, agent_direct=money, boss_direct=money, see_point=money, peer_rate=rates,
    contributed=st.integers(min_value=0, max_value=3), fund_rate=rates,
    task_orders=st.integers(min_value=0, max_value=8), policy=st.sampled_from([None, "periodic", "spillover"]),
)
# a scenario: referrers of members 1..n (index of an earlier member or None), then events
scenario = st.integers(min_value=1, max_value=30).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=n - 1)), min_size=n, max_size=n),
    st.lists(st.tuples(st.sampled_from(["order", "order", "order", "gift", "close"]),
                       st.integers(min_value=0, max_value=n - 1),
                       st.sampled_from([AGENT, BOSS])), max_size=120),
))


def build(rules, n, referrers):
    tree = ChainTree(rules)
    for i in range(n):
        ref = referrers[i]
        tree.join(i, ref if ref is not None and ref < i else None)
    return tree


@settings(max_examples=300, deadline=None)
@given(rules_st, scenario)
def test_chain_invariants(rules, data):
    n, referrers, events = data
    tree = build(rules, n, referrers)
    boss_cap = money_down(rules.boss_direct) + money_down(money_down(rules.boss_direct) * rules.peer_rate)
    agent_cap = (money_down(rules.agent_direct) + money_down(rules.see_point)
                 + money_down(money_down(rules.see_point) * rules.peer_rate))
    held_since_release = {i: Decimal(0) for i in range(n)}
    for action, member, identity in events:
        before = {i: tree.identity(i) for i in range(n)}
        if action == "gift":
            if IDENTITIES.index(identity) < IDENTITIES.index(tree.identity(member)):
                with pytest.raises(ValueError):
                    tree.set_identity(member, identity)
            else:
                tree.set_identity(member, identity)
        elif action == "close":
            tree.close_period()
        else:
            was_released = {i: tree.released(i) for i in range(n)}
            payouts = tree.package_order(member)
            assert tree.identity(member) in (AGENT, BOSS)
            kinds = [p.kind for p in payouts]
            total = sum((p.amount for p in payouts), Decimal(0))
            ref = tree.referrer(member)
            if ref is not None and tree.identity(ref) == BOSS:
                assert SEE_POINT not in kinds and total <= boss_cap
                assert [p.amount for p in payouts if p.kind == DIRECT] in ([money_down(rules.boss_direct)], [])
            else:
                assert total <= agent_cap
                direct = [p for p in payouts if p.kind == DIRECT]
                assert all(p.member == ref and tree.identity(ref) == AGENT for p in direct)
                see = [p for p in payouts if p.kind == SEE_POINT]
                assert all(p.member == tree.team_boss(member) for p in see)
            assert total <= rules.max_payout()
            assert kinds.count(PEER) <= 1 and kinds.count(DIRECT) <= 1 and kinds.count(SEE_POINT) <= 1
            for p in payouts:
                assert p.amount > 0 and 0 <= p.held <= p.amount
                if was_released[p.member]:
                    assert p.held == 0          # released funds are never held again
                else:
                    assert p.held == money_down(p.amount * rules.fund_rate)
                    held_since_release[p.member] += p.held
                if p.kind == PEER:
                    assert tree.identity(p.member) == BOSS and tree.referrer(p.origin) == p.member
            for key, amount in payouts.released.items():
                assert amount == held_since_release[key]
                held_since_release[key] = Decimal(0)
        for i in range(n):
            assert IDENTITIES.index(tree.identity(i)) >= IDENTITIES.index(before[i])  # never lowered
            assert tree.fund(i) >= 0
            if tree.released(i):
                assert tree.fund(i) == 0
            elif action != "close":
                assert tree.fund(i) == held_since_release[i]
            boss = tree.team_boss(i)
            assert boss is None or tree.identity(boss) == BOSS
            assert len(tree.contributed_lines(i)) <= rules.contributed
            if tree.identity(i) == MEMBER:
                assert tree.team_boss(i) is None


@given(st.integers(min_value=0, max_value=500))
def test_spill_blocks_give_lines_one_two_twice_what_line_three_gets(deep):
    """Rounds of one block under line 3 then one twice as long under lines 1–2, each round twice the last."""
    block = spill_block(deep)
    assert block in ((3,), (1, 2))
    under_three = sum(spill_block(k) == (3,) for k in range(deep + 1))
    under_one_two = deep + 1 - under_three
    assert under_one_two <= 2 * under_three
    rounds, start, size = 0, 0, 2
    while start + 3 * size <= deep + 1:
        start, size, rounds = start + 3 * size, size * 2, rounds + 1
    if start == deep + 1:           # a whole number of rounds: exactly two thirds under lines 1–2
        assert under_one_two == 2 * under_three


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=60), st.lists(st.integers(min_value=0, max_value=59), max_size=60), st.data())
def test_spillover_keeps_at_most_three_placement_lines(n, refs, data):
    """Referrals are placed when they become agents, in whatever order they pay."""
    tree = ChainTree(ChainRules(policy="spillover"))
    for i in range(n):
        ref = refs[i] if i < len(refs) and refs[i] < i else None
        tree.join(i, ref)
    buyers = data.draw(st.lists(st.integers(min_value=0, max_value=n - 1), unique=True))
    for i in buyers:
        tree.package_order(i)
    children = {}
    for i in range(n):
        parent = tree.placement_parent(i)
        assert (parent is None) == (i not in buyers or tree.referrer(i) is None)
        if parent is not None:
            children.setdefault(parent, []).append(i)
            # the placement parent is the referrer or below it in the placement tree (a spill-over from
            # above placed under one of the referrer's lines may take referrals of the referrer in turn)
            node = parent
            while node is not None and node != tree.referrer(i):
                node = tree.placement_parent(node)
            assert node == tree.referrer(i)
    assert all(len(kids) <= 3 for kids in children.values())
