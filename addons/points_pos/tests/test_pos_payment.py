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
        # The 100.00 paid with points earns nothing (the pool default): 30% of 900.00 contributed.
        self.assertEqual(self.pool.balance, balance - 100.0 + 270.0, "redeemed, then the order contributed")
        self.assertAlmostEqual(order.points_balance, 140.0 + order.points_earned, places=4)
        self.assertEqual(self.wallet().points, order.points_balance)
        self.assertNoBreach()

        self.close_session()
        member_lines = self.receivable_lines(self.member)
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

    def test_points_are_never_paid_back_beyond_what_points_paid(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        data = self.refund_data(order, payments=[(self.points_pm, -1000.0)])
        with self.assertRaisesRegex(UserError, r"more than the \$\s300.00"), self.env.cr.savepoint():
            self.sync(data)
        cash_order = self.sell(payments=[(self.bank_pm1, 1000.0)])
        data = self.refund_data(cash_order, payments=[(self.points_pm, -1000.0)])
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
        self.close_session()
        self.assertNoBreach()

    def test_points_the_pool_applies_later_fill_the_order_figures_then(self):
        # The pool is busy when the order syncs: its redeem and contribution wait for the sequencer.
        data = self.order_data(customer=self.member, payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        with self.pool_busy():
            [received] = self.sync_data(data)
            order = self.env["pos.order"].browse(received["id"])
            self.assertTrue(received["points_pending"], "the POS is told that the points are pending")
            self.assertEqual((order.points_used, order.points_earned), (0.0, 0.0))
            self.assertEqual(set(order._points_requests().mapped("kind")), {"redeem", "contribute"})
            self.assertEqual(set(order._points_requests().mapped("state")), {"pending"})
            self.assertFalse(self.ledger(event="redeem"))
            # The 70 points the payment needs at today's price are reserved: they cannot pay another order.
            self.assertEqual(self.wallet()._available_points(), 140)
            before = self.snapshot()
            with self.assertRaisesRegex(UserError, r"holds 140.0000 points"), self.env.cr.savepoint():
                self.sell(payments=[(self.points_pm, 250.0), (self.bank_pm1, 750.0)])
            self.assertEqual(self.snapshot(), before)
            # Sent again by the POS meanwhile: nothing more is requested.
            self.sync(data)
            self.assertEqual(len(order._points_requests()), 2)
        self.pool._apply_pending()
        redeem = self.ledger(event="redeem")
        self.assertEqual((redeem.amount, redeem.points_delta), (100.0, -70.0))
        self.assertFalse(order.points_pending)
        self.assertEqual(order.points_used, 70.0)
        minted = self.ledger(event="contribute", source_model="pos.order.line")
        self.assertEqual(order.points_earned, minted.points_delta)
        self.assertEqual(order.points_balance, self.wallet().points)
        self.assertAlmostEqual(order.points_balance, 140.0 + order.points_earned, places=4)
        self.assertNoBreach()

    def test_a_session_closed_before_the_pool_applies_its_points_payment_is_settled_then(self):
        with self.pool_busy():
            order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
            self.pos_session.post_closing_cash_details(0)
            self.pos_session.close_session_from_ui()
        self.assertEqual(self.pos_session.state, "closed")
        self.assertTrue(order.points_pending)
        self.pool._apply_pending()
        self.assertEqual(order.points_used, 210.0)
        receivable = self.member.property_account_receivable_id
        member_lines = self.env["account.move.line"].search([
            ("account_id", "=", receivable.id), ("partner_id", "=", self.member.id), ("parent_state", "=", "posted")])
        self.assertEqual(sum(member_lines.mapped("balance")), 0.0)
        self.assertTrue(all(member_lines.mapped("reconciled")), "the closing debit is settled by the redeem credit")
        self.assertNoBreach()

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_an_invoiced_order_whose_points_payment_is_applied_later_is_settled_then(self):
        with self.pool_busy():
            order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)], is_invoiced=True)
        self.assertEqual(order.account_move.amount_residual, 300.0, "the points have not paid yet")
        self.pool._apply_pending()
        self.assertEqual(order.account_move.amount_residual, 0.0)
        self.assertEqual(order.points_used, 210.0)
        self.assertNoBreach()

    def test_a_points_payment_the_pool_refuses_is_noted_on_the_order(self):
        with self.pool_busy():
            order = self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        # Blocked before the pool's turn: the pool refuses the redeem and the contribution.
        self.wallet().action_block()
        self.pool._apply_pending()
        self.assertFalse(order.points_pending)
        self.assertEqual((order.points_used, order.points_earned), (0.0, 0.0))
        self.assertIn("blocked", order.message_ids[:1].body)
        self.assertNoBreach()

    def test_redeems_the_pool_applies_together_settle_each_customers_closing_debit(self):
        # Both customers on one receivable account, as usual.
        self.other.property_account_receivable_id = self.member.property_account_receivable_id
        self.pool.contribute(self.other, 1000, 300, source=self.other)
        with self.pool_busy():
            self.sell(customer=self.other, payments=[(self.points_pm, 50.0), (self.bank_pm1, 950.0)])
            self.sell(payments=[(self.points_pm, 100.0), (self.bank_pm1, 900.0)])
        # One drain applies both (and may post them in one journal entry).
        self.pool._apply_pending()
        self.assertEqual(len(self.ledger(event="redeem")), 2)
        self.close_session()
        for customer in (self.member, self.other):
            lines = self.receivable_lines(customer)
            self.assertEqual(sum(lines.mapped("balance")), 0.0)
            self.assertTrue(all(lines.mapped("reconciled")))
            partials = lines.matched_debit_ids | lines.matched_credit_ids
            self.assertEqual((partials.debit_move_id | partials.credit_move_id).partner_id, customer,
                             "each customer's closing debit is settled by their own redeem credit")
        self.assertNoBreach()
