from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PointsPosCase


@tagged("post_install", "-at_install")
class TestPosRefundOfPointsPayment(PointsPosCase):
    """A refund gives back as points what points paid, never money (SPEC §3.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The member holds 210 points worth 300.00 (SPEC §3.4, first order).
        cls.pool.contribute(cls.member, 1000, 300, source=cls.member)

    def restores(self):
        return self.ledger(event="restore")

    def test_refund_gives_the_points_part_back_as_points_and_the_rest_in_money(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        price = self.pool.price
        refund = self.sync(self.refund_data(order, payments=[(self.points_pm, -300.0), (self.bank_pm1, -700.0)]))
        row = self.restores()
        self.assertEqual((row.amount, row.reversal_of_id), (300.0, self.ledger(event="redeem")))
        self.assertEqual(row.source_ref, refund.payment_ids.filtered(lambda p: p.payment_method_id == self.points_pm))
        self.assertAlmostEqual(refund.points_restored, row.points_delta, places=4)
        self.assertGreater(refund.points_restored, 0)
        self.assertEqual(self.wallet().points, refund.points_balance)
        self.assertEqual(self.wallet().cash_balance, 0.0)
        self.assertGreaterEqual(self.pool.price, price)
        self.assertNoBreach()

    def test_a_refund_paying_the_points_part_in_money_is_refused_and_changes_nothing(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        before = self.snapshot()
        data = self.refund_data(order, payments=[(self.bank_pm1, -1000.0)])
        with self.assertRaisesRegex(UserError, r"give back \$\s300.00 with the Points payment method"), \
                self.env.cr.savepoint():
            self.sync(data)
        self.assertEqual(self.snapshot(), before)

    def test_the_member_never_leaves_with_more_than_the_points_were_worth(self):
        held = self.wallet().points
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        self.sync(self.refund_data(order, payments=[(self.points_pm, -300.0), (self.bank_pm1, -700.0)]))
        # The purchase's points are taken back and the points that paid come back: no cash, no more points.
        self.assertLessEqual(self.wallet().points, held)
        self.assertEqual(self.wallet().cash_balance, 0.0)
        self.assertNoBreach()

    def test_partial_refunds_split_pro_rata_and_add_up_to_the_whole(self):
        order = self.sell(quantity=2, payments=[(self.points_pm, 300.0), (self.bank_pm1, 1700.0)])
        too_much = self.refund_data(order, payments=[(self.points_pm, -200.0), (self.bank_pm1, -800.0)])
        with self.assertRaisesRegex(UserError, r"more than the \$\s150.00"), self.env.cr.savepoint():
            self.sync(too_much)
        self.sync(self.refund_data(order, payments=[(self.points_pm, -150.0), (self.bank_pm1, -850.0)]))
        self.sync(self.refund_data(order, payments=[(self.points_pm, -150.0), (self.bank_pm1, -850.0)]))
        self.assertEqual(sorted(self.restores().mapped("amount")), [150.0, 150.0])
        self.assertNoBreach()

    def test_the_same_refund_synced_twice_gives_back_once(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        data = self.refund_data(order, payments=[(self.points_pm, -300.0), (self.bank_pm1, -700.0)])
        self.sync(data)
        self.sync(data)
        self.assertEqual(len(self.restores()), 1)
        self.assertNoBreach()

    def test_refund_preview_proposes_the_points_part(self):
        order = self.sell(quantity=2, payments=[(self.points_pm, 300.0), (self.bank_pm1, 1700.0)])
        line = order.lines[:1]
        preview = self.env["pos.order"].points_refund_preview_from_ui(
            self.config.id, [{"refunded_orderline_id": line.id, "amount": 1000.0}])
        self.assertEqual(preview, {"amount": 150.0, "error": False})

    def test_a_blocked_member_gets_the_points_back(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        self.wallet().action_block()
        self.sync(self.refund_data(order, payments=[(self.points_pm, -300.0), (self.bank_pm1, -700.0)]))
        self.assertEqual(self.restores().amount, 300.0)
        self.assertEqual(self.wallet().state, "blocked")
        self.assertNoBreach()

    def test_session_closing_settles_the_refunded_points_payment(self):
        order = self.sell(payments=[(self.points_pm, 300.0), (self.bank_pm1, 700.0)])
        self.sync(self.refund_data(order, payments=[(self.points_pm, -300.0), (self.bank_pm1, -700.0)]))
        self.close_session()
        member_lines = self.receivable_lines(self.member)
        self.assertEqual(sum(member_lines.mapped("balance")), 0.0)
        self.assertTrue(all(member_lines.mapped("reconciled")))
        self.assertNoBreach()
