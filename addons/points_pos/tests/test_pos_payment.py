from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosPointsPayment(PointsPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The member holds 210 points worth 300.00 (SPEC §3.4, first order).
        cls.pool.contribute(cls.member, 1000, 300, source=cls.member)

    def test_points_pay_part_of_an_order_and_settle_at_closing(self):
        balance = self.pool.balance
        order = self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        redeem = self.ledger(event="redeem")
        self.assertEqual(redeem.source_ref, order.payment_ids.filtered(lambda p: p.payment_method_id == self.points_pm))
        self.assertEqual((redeem.amount, redeem.points_delta), (100.0, -70.0))
        self.assertEqual(order.points_used, 70.0)
        self.assertEqual(self.pool.balance, balance - 100.0 + 300.0, "redeemed, then the order contributed")
        self.assertAlmostEqual(order.points_balance, 140.0 + order.points_earned, places=4)
        self.assertEqual(self.wallet().points, order.points_balance)
        self.assertNoBreach()

        self.pos_session.post_closing_cash_details(0)
        self.pos_session.close_session_from_ui()
        self.assertEqual(self.pos_session.state, "closed")
        receivable = self.member.property_account_receivable_id
        member_lines = self.env["account.move.line"].search([
            ("account_id", "=", receivable.id), ("partner_id", "=", self.member.id), ("parent_state", "=", "posted")])
        self.assertEqual(sum(member_lines.mapped("balance")), 0.0)
        self.assertTrue(all(member_lines.mapped("reconciled")), "the closing debit is settled by the redeem credit")
        self.assertNoBreach()

    def test_too_few_points_refuse_the_order_and_store_nothing(self):
        before = self.snapshot()
        data = self.order_data(customer=self.member, payments=[(self.points_pm, 400.0), (self.bank_pm1, 600.0)])
        with self.assertRaisesRegex(UserError, r"holds 210.0000 points, worth \$\s300.00"), self.env.cr.savepoint():
            self.sync(data)
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", data["uuid"])]))

    def test_the_same_payment_synced_twice_redeems_once(self):
        data = self.order_data(customer=self.member, payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        self.sync(data)
        self.sync(data)
        self.assertEqual(len(self.ledger(event="redeem")), 1)
        self.assertNoBreach()

    def test_points_payment_needs_a_customer(self):
        data = self.order_data(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        with self.assertRaisesRegex(UserError, "Choose the customer"), self.env.cr.savepoint():
            self.sync(data)

    def test_points_are_never_paid_back(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        data = self.refund_data(order) | {"payment_ids": [(0, 0, {
            "amount": -1000.0, "name": "refund", "payment_method_id": self.points_pm.id})]}
        with self.assertRaisesRegex(UserError, "Points cannot be paid back"), self.env.cr.savepoint():
            self.sync(data)

    def test_blocked_member_cannot_pay_with_points(self):
        self.wallet().action_block()
        before = self.snapshot()
        with self.assertRaisesRegex(UserError, "cannot pay with points"), self.env.cr.savepoint():
            self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        self.assertEqual(self.snapshot(), before)

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_invoiced_order_paid_with_points_is_settled(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)], is_invoiced=True)
        self.assertEqual(order.state, "invoiced")
        self.assertEqual(order.account_move.amount_residual, 0.0)
        self.assertIn(order.account_move.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.points_used, 210.0)
        self.assertNoBreach()

    def test_preview_refuses_what_the_wallet_cannot_pay(self):
        Order = self.env["pos.order"]
        lines = [{"product_id": self.product.id, "qty": 1, "price_subtotal": 1000.0}]
        preview = Order.points_preview_from_ui(self.config.id, self.member.id, lines, 300.0)
        self.assertFalse(preview["error"])
        self.assertEqual((preview["points_to_use"], preview["payable"]), (210.0, 300.0))
        preview = Order.points_preview_from_ui(self.config.id, self.member.id, lines, 300.01)
        self.assertRegex(preview["error"], r"cannot pay \$\s300.01")

    def test_points_method_has_no_journal_and_identifies_the_customer(self):
        with self.assertRaises(Exception), self.env.cr.savepoint():
            self.env["pos.payment.method"].create({"name": "Bad", "points_payment": True})
        self.assertEqual(self.points_pm.type, "pay_later")

    def test_order_invoiced_later_is_settled_by_its_points(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        order.action_pos_order_invoice()
        self.assertEqual(order.account_move.amount_residual, 0.0)
        self.pos_session.post_closing_cash_details(0)
        self.pos_session.close_session_from_ui()
        self.assertEqual(self.pos_session.state, "closed")
        self.assertNoBreach()
