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
