from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.points_pos.tests.common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosRewards(PointsPosCase):
    """Real POS orders of a store with a recruiter, sold for pickup at a service point (SPEC §4, §6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.recruiter = Partner.create({"name": "Recruiter"})
        cls.store = Partner.create({"name": "Corner Store", "points_is_merchant": True, "points_take_rate": 0.2,
                                    "points_recruiter_id": cls.recruiter.id})
        cls.service_point = Partner.create({"name": "East Gate", "points_is_service_point": True})
        plan = cls.env["points.allocation.plan"].create({
            "name": "Store with pickup", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "commission", "value": 70}),
                         Command.create({"bucket": "platform", "basis": "commission", "value": 20}),
                         Command.create({"bucket": "service_point", "basis": "fixed", "value": 20})],
        })
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = plan
        Rule = cls.env["points.reward.rule"]
        for rule_type, values in (("merchant", {"value": 0.5, "bucket": "platform"}),
                                  ("service_point", {"basis": "fixed", "value": 20})):
            Rule.create({"name": rule_type, "rule_type": rule_type, "company_id": cls.company.id, **values})

    def rewards(self, partner):
        return self.env["points.reward"].search([("partner_id", "=", partner.id)])

    def test_the_recruiter_of_the_store_earns_half_a_percent_of_its_pos_turnover(self):
        self.config.points_merchant_id = self.store
        order = self.sell()
        reward = self.rewards(self.recruiter)
        self.assertEqual((reward.amount, reward.order_model, reward.order_id), (5.0, "pos.order", order.id))
        self.assertEqual(self.ledger(event="contribute").amount, 140.0, "70% of the 200.00 commission")
        self.assertNoBreach()

    def test_a_pos_of_the_platform_pays_no_merchant_reward(self):
        self.sell()
        self.assertFalse(self.rewards(self.recruiter))

    def test_a_verified_pickup_pays_the_service_point_once(self):
        self.config.points_merchant_id = self.store
        order = self.sell(points_pickup_point_id=self.service_point.id)
        self.assertFalse(self.rewards(self.service_point), "paid when the customer collects")
        self.env["pos.order"].points_verify_pickup_from_ui(order.pos_reference)
        self.assertEqual(self.rewards(self.service_point).amount, 20.0)
        self.assertNoBreach()

    def test_a_cashier_of_another_store_cannot_verify_nor_pay_the_fee(self):
        order = self.sell(points_pickup_point_id=self.service_point.id)
        cashier = new_test_user(self.env, "west_cashier_reward", company_id=self.company.id,
                                groups="base.group_user,point_of_sale.group_pos_user")
        with self.assertRaises(AccessError):
            self.env["pos.order"].with_user(cashier).points_verify_pickup_from_ui(order.pos_reference)
        self.assertFalse(self.rewards(self.service_point))


@tagged("post_install", "-at_install")
class TestPosRewardsPaidOutside(PointsPosCase):
    """A store's POS turnover rewards its recruiter through a rule paid outside the platform (线下统计发放)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recruiter = cls.env["res.partner"].create({"name": "Offline Recruiter"})
        cls.store = cls.env["res.partner"].create({"name": "Offline Store", "points_is_merchant": True,
                                                   "points_take_rate": 0.2, "points_recruiter_id": cls.recruiter.id})
        plan = cls.env["points.allocation.plan"].create({
            "name": "Store paid outside", "company_id": cls.company.id,
            "line_ids": [Command.create({"bucket": "pool", "basis": "commission", "value": 70}),
                         Command.create({"bucket": "platform", "basis": "commission", "value": 30})],
        })
        cls.product.product_tmpl_id.with_company(cls.company).points_plan_id = plan
        cls.env["points.reward.rule"].create({
            "name": "Recruiter, paid by the head office", "rule_type": "merchant", "company_id": cls.company.id,
            "value": 0.5, "bucket": "platform", "payout_mode": "outside"})

    def test_the_recruiters_reward_is_recorded_and_the_refund_reverses_it_without_money(self):
        self.config.points_merchant_id = self.store
        order = self.sell(quantity=2)
        reward = self.env["points.reward"].search([("partner_id", "=", self.recruiter.id)])
        self.assertEqual((reward.amount, reward.state, reward.order_id), (10.0, "outside", order.id))
        self.assertFalse(self.ledger(partner_id=self.recruiter.id), "no ledger row for the recruiter")
        self.assertFalse(self.env["points.wallet"]._get_for_partner(self.recruiter, self.company, create=False))
        self.sync(self.refund_data(order, quantity=1))
        self.assertEqual((reward.reversed_amount, reward.net_amount, reward.state), (5.0, 5.0, "outside"))
        self.assertFalse(self.ledger(partner_id=self.recruiter.id))
        self.assertNoBreach()
