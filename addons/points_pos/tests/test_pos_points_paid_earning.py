from odoo.tests import tagged

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosPointsPaidEarning(PointsPosCase):
    """Whether the part of a POS order paid with points earns points (a pool setting, default off)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The member holds 210 points worth 300.00 (SPEC §3.4, first order).
        cls.pool.contribute(cls.member, 1000, 300, source=cls.member)

    def contribution(self, order):
        return self.ledger(event="contribute").filtered(
            lambda row: row.source_model == "pos.order.line" and row.source_id in order.lines.ids)

    def test_by_default_the_part_paid_with_points_earns_nothing(self):
        self.assertFalse(self.pool.points_paid_earns)
        order = self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        # 900.00 of 1000.00 paid in money: the line's basis is 900.00, 30% of it to the pool.
        self.assertEqual(self.contribution(order).amount, 270.0)
        self.assertEqual(self.contribution(order).spend, 900.0)
        self.assertNoBreach()

    def test_when_enabled_the_whole_order_earns(self):
        self.pool.points_paid_earns = True
        order = self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        self.assertEqual(self.contribution(order).amount, 300.0)
        self.assertNoBreach()

    def test_the_preview_agrees_with_the_validation(self):
        line = {"product_id": self.product.id, "qty": 1, "price_subtotal": 1000.0, "price_subtotal_incl": 1000.0}
        preview = self.env["pos.order"].points_preview_from_ui(self.config.id, self.member.id, [line], 100.0)
        self.assertEqual(preview["contribution"], 270.0)
        order = self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        self.assertAlmostEqual(order.points_earned, preview["earn"], places=4)

    def test_an_order_paid_wholly_with_points_earns_nothing(self):
        self.pool.mint_cap = 0
        order = self.sell(quantity=0.2, payments=[(self.points_pm, 200.0)])
        self.assertFalse(self.contribution(order))
        self.assertEqual(order.points_earned, 0.0)
        self.assertNoBreach()

    def test_ledger_rows_name_the_pos_order(self):
        order = self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        redeem = self.ledger(event="redeem")
        self.assertEqual(redeem.source_model, "pos.payment")
        self.assertEqual(redeem.source_display, order.name)
        self.assertEqual(self.contribution(order).source_display, order.name)
        self.assertNotIn("$", redeem.source_display)
