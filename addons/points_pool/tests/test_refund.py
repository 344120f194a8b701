from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PointsCase


@tagged("post_install", "-at_install")
class TestRefund(PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = [cls.env["res.partner.category"].create({"name": f"Order {n}"}) for n in range(4)]
        for member, order in zip(cls.members, cls.orders):
            cls.pool.contribute(member, 1000, 300, source=order)

    def test_full_refund_burns_points_without_lowering_price(self):
        price = self.pool.price
        row = self.pool.reverse(self.orders[3]).ledger_id
        self.assertEqual(row.points_delta, -112.455)
        self.assertLessEqual(row.amount, 300.0)
        self.assertEqual(self.wallet(self.member4).points, 0.0)
        self.assertEqual(self.wallet(self.member4).cycle_spend, 0.0)
        self.assertGreaterEqual(self.pool.price, price)
        self.assertNoBreach()

    def test_partial_refunds_add_up_to_the_whole(self):
        price = self.pool.price
        self.pool.reverse(self.orders[1], 0.25, refund_source=self.order("Credit 1"))
        self.assertAlmostEqual(self.wallet(self.member2).points, 147 * 0.75, places=4)
        self.assertAlmostEqual(self.wallet(self.member2).cycle_spend, 750.0)
        self.assertGreaterEqual(self.pool.price, price)
        price = self.pool.price
        self.pool.reverse(self.orders[1], 0.75, refund_source=self.order("Credit 2"))
        self.assertEqual(self.wallet(self.member2).points, 0.0)
        self.assertGreaterEqual(self.pool.price, price)
        self.assertNoBreach()

    def test_reversing_twice_is_impossible(self):
        self.pool.reverse(self.orders[0])
        before = self.snapshot()
        with self.assertRaises(UserError):
            self.pool.reverse(self.orders[0])
        with self.assertRaises(UserError):
            self.pool.reverse(self.orders[0], 0.1, refund_source=self.order("Late credit"))
        self.assertEqual(self.snapshot(), before)

    def test_refund_after_selling_leaves_a_debt(self):
        self.pool.sell(self.member1, 200)
        wallet = self.wallet(self.member1)
        cash = wallet.cash_balance
        price = self.pool.price
        row = self.pool.reverse(self.orders[0]).ledger_id
        self.assertEqual(row.points_delta, -10.0)
        # 200 points were no longer held: their value at the current price is owed.
        self.assertAlmostEqual(row.debt, round(200 * price, 2), delta=0.01)
        self.assertAlmostEqual(wallet.cash_balance, cash - row.debt, places=2)
        self.assertGreater(wallet.debt, 0)
        self.assertGreaterEqual(self.pool.price, price)
        self.assertNoBreach()

    def test_refund_of_unknown_source_is_refused(self):
        with self.assertRaises(UserError):
            self.pool.reverse(self.order("Never contributed"))
        with self.assertRaises(UserError):
            self.pool.reverse(self.orders[0], 0)
        with self.assertRaises(UserError):
            self.pool.reverse(self.orders[0], 1.5)
