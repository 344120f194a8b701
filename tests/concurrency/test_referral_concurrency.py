"""Real parallel paid lines of buyers who share their uplines: team statistics never make a caller fail.

Every buyer below the same upline adds to that upline's team volume. The callers only
queue their changes (``points.team.stat.delta``); the pool's sequencer adds them along
the referral paths, so 16 checkouts at once through Odoo's RPC retry loop hit no
serialization failure, and the figures and rank upgrades come out exact.
"""

import pytest

from team_setup import bind_team, pay_line, product_on_plan
from test_pool_sequencer import CALLERS, Calls, drain, new_company, read, registry_with, run_together


@pytest.fixture(scope="module")
def registry():
    return registry_with("points.team.stat.delta", "points_referral")


def test_sixteen_buyers_below_one_upline_pay_at_once_and_the_team_figures_add_up(registry):
    rounds, amount = 3, 1000.0
    pool_id, member_ids = new_company(registry, CALLERS + 2)
    top_id, upline_id, buyer_ids = member_ids[0], member_ids[1], member_ids[2:]

    def prepare(env):
        company = env["points.pool"].browse(pool_id).company_id
        bind_team(env, company, top_id, upline_id, buyer_ids)
        product = product_on_plan(env, company, "Parallel product", amount, {"pool": 30})
        # The upline reaches the rank once the whole team has bought once (its 16th line crosses it).
        env["points.rank"].create({"name": "Leader", "level": 1, "company_id": company.id, "auto_upgrade": True,
                                   "min_team_volume": amount * CALLERS})
        env.cr.commit()
        return product.id, company.id

    product_id, company_id = read(registry, prepare)
    calls = Calls(registry)

    def caller(buyer_id):
        for n in range(rounds):
            calls.call(lambda env, n=n: pay_line(env, buyer_id, product_id, company_id, amount,
                                                 f"Line {buyer_id}/{n}").ids)

    run_together([lambda buyer_id=buyer_id: caller(buyer_id) for buyer_id in buyer_ids])
    drain(registry, pool_id)

    assert calls.failures == []
    assert calls.serialization_failures == []

    def check(env):
        assert not env["points.team.stat.delta"].search_count([("company_id", "=", company_id)])
        stats = {stat.partner_id.id: stat for stat in env["points.team.stat"].search(
            [("company_id", "=", company_id), ("partner_id", "in", member_ids)])}
        total = amount * CALLERS * rounds
        for partner_id in (top_id, upline_id):
            assert (stats[partner_id].team_volume, stats[partner_id].team_order_count) == (total, CALLERS * rounds)
        for buyer_id in buyer_ids:
            assert (stats[buyer_id].own_spend, stats[buyer_id].own_order_count) == (amount * rounds, rounds)
        company = env["res.company"].browse(company_id)
        leader = env["points.rank"].search([("company_id", "=", company_id)])
        assert env["res.partner"].browse(upline_id).with_company(company).rank_id == leader
        assert env["points.pool"].browse(pool_id)._integrity_breaches() == []
    read(registry, check)
