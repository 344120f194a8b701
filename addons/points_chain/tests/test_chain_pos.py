import unittest

from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import get_db_name

from odoo.addons.points_pos.tests.common import PointsPosCase


@tagged("post_install", "-at_install")
class TestChainPos(PointsPosCase):
    """Chain rewards of package orders paid at the point of sale (runs where points_pos is installed)."""

    @classmethod
    def setUpClass(cls):
        registry = Registry(get_db_name())
        if "pos.payment.method" not in registry or "points_payment" not in registry["pos.payment.method"]._fields:
            raise unittest.SkipTest("points_pos is not installed")
        super().setUpClass()
        plan = cls.env["points.allocation.plan"].create({"name": "Package", "company_id": cls.company.id, "line_ids": [
            Command.create({"bucket": "pool", "basis": "price", "value": 30.0}),
            Command.create({"bucket": "referral", "basis": "price", "value": 33.0})]})
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = plan
        cls.env["points.depth.limit.wizard"].create(
            {"pool_id": cls.pool.id, "new_limit": 100, "acknowledged": True}).action_confirm()
        cls.program = cls.env["points.chain.program"].create({
            "name": "Package 2+1", "company_id": cls.company.id,
            "product_tmpl_ids": [Command.set(cls.product.product_tmpl_id.ids)]})
        cls.program.action_enable()
        Partner = cls.env["res.partner"]
        cls.boss = Partner.create({"name": "Boss"})
        cls.agent = Partner.create({"name": "Agent"})
        cls.buyer = Partner.create({"name": "POS buyer"})
        for member in cls.boss | cls.agent | cls.buyer:  # only members (a wallet in the company's pool) refer
            cls.env["points.wallet"]._get_for_partner(member, cls.company)
        cls.agent._bind_referrer(cls.boss, via="staff", reason="test")
        cls.buyer._bind_referrer(cls.agent, via="staff", reason="test")

    def chain_rewards(self, order):
        return self.env["points.reward"].search([("order_model", "=", "pos.order"), ("order_id", "=", order.id),
                                                 ("chain_program_id", "=", self.program.id)])

    def test_a_pos_package_pays_direct_see_point_and_refunds_reverse_them(self):
        Member = self.env["points.chain.member"]
        Member._get(self.program, self.boss).action_gift_boss()
        self.sell(customer=self.agent)
        agent = Member.search([("partner_id", "=", self.agent.id)])
        self.assertEqual((agent.identity, agent.team_boss_id), ("agent", self.boss))
        order = self.sell(customer=self.buyer)
        rewards = self.chain_rewards(order)
        self.assertEqual(sorted((r.partner_id.name, r.chain_kind, r.chain_fund, r.amount) for r in rewards), [
            ("Agent", "direct", False, 80.0), ("Agent", "direct", True, 20.0),
            ("Boss", "see_point", False, 160.0), ("Boss", "see_point", True, 40.0)])
        refund = self.sync(self.refund_data(order))
        self.assertTrue(refund)
        self.assertEqual(sum(self.chain_rewards(order).mapped("net_amount")), 0.0)
        self.assertTrue(self.env["points.chain.order"].search([("order_model", "=", "pos.order"),
                                                               ("order_id", "=", order.id)]).reversed)
        self.assertNoBreach()
