from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.addons.points_allocation.tests.common import pool_busy


@tagged("post_install", "-at_install")
class TestPosTours(TestPointOfSaleHttpCommon):
    """Cashier flows in the POS, in Chromium. The member holds 210 points worth 300.00 (price 1.428571)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("points_pool.group_points_manager")
        cls.company = cls.main_pos_config.company_id
        cls.pool = cls.env["points.pool"]._get_for_company(cls.company)
        cls.points_pm = cls.env["pos.payment.method"].create({
            "name": "Points", "points_payment": True, "split_transactions": True, "company_id": cls.company.id})
        cls.main_pos_config.payment_method_ids = [Command.link(cls.points_pm.id)]
        cls.package = cls.env["product.product"].create({
            "name": "Gift Package", "available_in_pos": True, "list_price": 1000.0, "standard_price": 200.0,
            "taxes_id": False,
        })
        cls.member = cls.env["res.partner"].create({"name": "Wu Tourbuyer"})
        cls.service_point = cls.env["res.partner"].create({"name": "East Gate", "points_is_service_point": True})
        # The tour's cashier runs the service point's POS: they verify its pickups.
        cls.main_pos_config.points_service_point_id = cls.service_point
        cls.pool.contribute(cls.member, 1000, 300, source=cls.member)

    def wallet(self):
        return self.env["points.wallet"]._get_for_partner(self.member, self.company)

    def member_orders(self):
        return self.env["pos.order"].search([("partner_id", "=", self.member.id)], order="id")

    def assertNoBreach(self):
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_pos_sale_to_a_member_earns_points_and_the_pickup_is_verified(self):
        self.start_pos_tour("points_pos_earn_tour")
        order = self.member_orders()
        self.assertEqual((order.state, order.points_earned, order.points_balance), ("paid", 147.0, 357.0))
        self.assertEqual((order.points_price, order.points_balance_value), (1.680672, 600.0))
        self.assertEqual(order.points_pickup_point_id, self.service_point)
        self.assertEqual(order.points_pickup_verified_by_id, self.pos_user)
        self.assertEqual(self.wallet().points, 357.0)
        self.assertEqual(self.pool.balance, 600.0)
        self.assertNoBreach()

    def test_pos_sale_paid_partly_with_points(self):
        """The part paid with points earns nothing by default (pool setting *Points Payments Earn Points*)."""
        self.start_pos_tour("points_pos_pay_with_points_tour")
        order = self.member_orders()
        points_payment = order.payment_ids.filtered(lambda payment: payment.payment_method_id == self.points_pm)
        self.assertEqual(points_payment.amount, 300.0)
        redeem = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "redeem")])
        self.assertEqual(redeem.source_ref, points_payment)
        self.assertEqual((redeem.amount, redeem.points_delta), (300.0, -210.0))
        self.assertEqual((order.points_used, order.points_earned), (210.0, 102.8999))
        self.assertEqual(self.wallet().points, 102.8999)
        self.assertNoBreach()

    def test_pos_refund_reverses_points(self):
        self.start_pos_tour("points_pos_refund_tour")
        sale, refund = self.member_orders()
        self.assertEqual(refund.lines.refunded_orderline_id, sale.lines)
        self.assertEqual((sale.points_earned, refund.points_reversed), (294.0, 147.0))
        self.assertEqual(self.wallet().points, 357.0)
        self.assertNoBreach()

    def test_pos_refund_of_an_order_paid_with_points_gives_the_points_back(self):
        self.start_pos_tour("points_pos_refund_points_payment_tour")
        sale, refund = self.member_orders()
        restore = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "restore")])
        points_refund = refund.payment_ids.filtered(lambda payment: payment.payment_method_id == self.points_pm)
        self.assertEqual((points_refund.amount, restore.amount, restore.source_ref), (-300.0, 300.0, points_refund))
        self.assertEqual(refund.points_restored, restore.points_delta)
        self.assertGreater(refund.points_restored, 0)
        self.assertEqual(self.wallet().cash_balance, 0.0)
        self.assertEqual(self.wallet().points, refund.points_balance)
        self.assertNoBreach()

    def test_pos_receipt_says_pending_until_the_pool_applies_the_points(self):
        with pool_busy(self.env):
            self.start_pos_tour("points_pos_pending_tour")
        order = self.member_orders()
        self.assertTrue(order.points_pending)
        self.pool._apply_pending()
        self.assertFalse(order.points_pending)
        self.assertEqual((order.points_earned, order.points_balance), (147.0, 357.0))
        self.assertNoBreach()
