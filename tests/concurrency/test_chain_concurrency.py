"""Real parallel package orders of buyers below one referrer: the chain reward 2+1 never makes a caller fail.

Every package order below the same referrer changes that referrer's chain row (slots, promotion to boss,
contributed lines) and pays its team boss; under REPEATABLE READ, checkouts rewriting those rows would
fail with serialization errors. The callers only queue a ``points.chain.event``; the pool's sequencer
applies the events one by one, in order, so 16 checkouts at once through Odoo's RPC retry loop hit no
serialization failure, and the identities, teams and rewards come out exactly as the engine says when it
replays the orders in the order the sequencer applied them.
"""

from decimal import Decimal

import pytest

from odoo.addons.points_engine.chain import ChainTree

from team_setup import bind_team, pay_line, product_on_plan
from test_pool_sequencer import CALLERS, Calls, drain, new_company, read, registry_with, run_together


@pytest.fixture(scope="module")
def registry():
    return registry_with("points.chain.event", "points_chain")


def test_sixteen_buyers_below_one_referrer_pay_packages_at_once_and_the_rewards_are_exact(registry):
    rounds, price = 2, 1000.0
    pool_id, member_ids = new_company(registry, CALLERS + 2)
    top_id, referrer_id, buyer_ids = member_ids[0], member_ids[1], member_ids[2:]

    def prepare(env):
        Partner = env["res.partner"]
        pool = env["points.pool"].browse(pool_id)
        company = pool.company_id
        bind_team(env, company, top_id, referrer_id, buyer_ids)
        product = product_on_plan(env, company, "Parallel package", price, {"pool": 30, "referral": 33})
        pool.with_context(points_depth_acknowledged=True).reward_depth_limit = 100
        program = env["points.chain.program"].create({
            "name": "Parallel 2+1", "company_id": company.id,
            "product_tmpl_ids": [(6, 0, product.product_tmpl_id.ids)]})
        program.action_enable()
        # the top member is a boss (gift); the referrer is an agent (one package) in the top member's team
        env["points.chain.member"]._get(program, Partner.browse(top_id)).action_gift_boss()
        pay(env, referrer_id, product.id, company.id, "first")
        pool._apply_pending()
        env.cr.commit()
        return product.id, company.id, program.id

    def pay(env, buyer_id, product_id, company_id, name):
        return pay_line(env, buyer_id, product_id, company_id, price, f"Package line {buyer_id}/{name}").ids

    product_id, company_id, program_id = read(registry, prepare)
    calls = Calls(registry)

    def caller(buyer_id):
        for n in range(rounds):
            calls.call(lambda env, n=n: pay(env, buyer_id, product_id, company_id, n))

    run_together([lambda buyer_id=buyer_id: caller(buyer_id) for buyer_id in buyer_ids])
    drain(registry, pool_id)

    assert calls.failures == []
    assert calls.serialization_failures == []

    def check(env):
        Event = env["points.chain.event"]
        assert not Event.search_count([("company_id", "=", company_id)]), "every chain event applied, none failed"
        program = env["points.chain.program"].browse(program_id)
        members = {m.partner_id.id: m for m in env["points.chain.member"].search([("program_id", "=", program_id)])}
        orders = env["points.chain.order"].search([("program_id", "=", program_id)], order="id")
        assert len(orders) == 1 + CALLERS * rounds
        # the engine replays the orders in the order the sequencer applied them
        tree = ChainTree(program._rules())
        tree.join(top_id)
        tree.set_identity(top_id, "boss")
        tree.join(referrer_id, top_id)
        for buyer_id in buyer_ids:
            tree.join(buyer_id, referrer_id)
        Reward = env["points.reward"]
        for order in orders:
            expected = {}
            for payout in tree.package_order(order.partner_id.id):
                paid, held = payout.amount - payout.held, payout.held
                expected[payout.member, payout.kind] = (paid, held)
            got = {}
            for reward in Reward.search([("source_model", "=", order.source_model), ("source_id", "=", order.source_id),
                                         ("chain_program_id", "=", program_id)]):
                paid, held = got.get((reward.partner_id.id, reward.chain_kind), (Decimal(0), Decimal(0)))
                amount = Decimal(str(reward.amount)).quantize(Decimal("0.01"))
                got[reward.partner_id.id, reward.chain_kind] = (paid + (0 if reward.chain_fund else amount),
                                                                held + (amount if reward.chain_fund else 0))
            assert got == expected, (order.partner_id.name, got, expected)
        for partner_id in [top_id, referrer_id, *buyer_ids]:
            member = members[partner_id]
            assert member.identity == tree.identity(partner_id), partner_id
            assert (member.team_boss_id.id or None) == tree.team_boss(partner_id), partner_id
            assert sorted(member.line_ids.ids) == sorted(tree.contributed_lines(partner_id)), partner_id
            assert Decimal(str(member.fund)).quantize(Decimal("0.01")) == tree.fund(partner_id), partner_id
        assert members[referrer_id].identity == "boss" and members[referrer_id].slots == CALLERS
        assert len(tree.team(referrer_id)) == CALLERS - program.contributed
        assert env["points.pool"].browse(pool_id)._integrity_breaches() == []
    read(registry, check)
