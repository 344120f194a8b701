from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PointsCase


@contextmanager
def pool_busy(env):
    """Requests made inside stay pending, as when another transaction holds the pool."""
    with patch.object(type(env["points.pool"]), "_apply_now", lambda pool: False):
        yield


@tagged("post_install", "-at_install")
class TestRestore(PointsCase):
    """Refunds of goods paid with points give the points back, never money (SPEC §3.1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        receivable = cls.env["account.account"].create({
            "name": "Receivable", "code": "121000", "account_type": "asset_receivable", "reconcile": True,
            "company_ids": [(6, 0, cls.company.ids)]})
        for member in cls.members:
            member.with_company(cls.company).property_account_receivable_id = receivable
        cls.receivable = receivable
        for n, member in enumerate(cls.members, start=1):
            cls.pool.contribute(member, 1000, 300, source=cls.env["res.partner.category"].create({"name": f"O{n}"}))
        # Member 1 pays 100.00 of an order with points at the price 2.018826.
        cls.payment = cls.env["res.partner.category"].create({"name": "Points payment"})
        cls.redeem = cls.pool.redeem(cls.member1, 50, cls.payment, amount=100.0)

    def restore(self, amount, name="Refund", original=None, partner=None):
        return self.pool.restore(partner or self.member1, amount, self.order(name), original=original or self.redeem)

    def value(self, partner):
        """What the member's points and cash are worth: the points at today's price, as selling pays them."""
        wallet = self.wallet(partner)
        return Decimal(str(wallet.points)) * Decimal(str(self.pool.price)) + Decimal(str(wallet.cash_balance))

    def test_a_refund_of_a_points_payment_gives_points_back_at_the_current_price(self):
        self.assertEqual(self.redeem.state, "applied")
        price, points = self.pool.price, self.wallet(self.member1).points
        request = self.restore(100.0)
        row = request.ledger_id
        self.assertEqual((request.state, row.event, row.amount), ("applied", "restore", 100.0))
        self.assertEqual(row.reversal_of_id, self.redeem.ledger_id)
        # 100.00 at the price (2.018826, a hair more after the redemption) is 49.5337 points, rounded down.
        self.assertAlmostEqual(row.points_delta, 49.5337, places=4)
        self.assertAlmostEqual(self.wallet(self.member1).points, points + row.points_delta, places=4)
        self.assertEqual(self.wallet(self.member1).cash_balance, 0.0, "no money comes back for points")
        self.assertGreaterEqual(self.pool.price, price)
        self.assertAlmostEqual(self.pool.price, price, places=6)
        # Dr member receivable / Cr pool liability: the mirror of the redemption.
        lines = row.move_id.line_ids
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.receivable).debit, 100.0)
        self.assertEqual(lines.filtered(lambda line: line.account_id == self.pool.pool_account_id).credit, 100.0)
        self.assertNoBreach()

    def test_buying_with_points_and_returning_the_goods_never_pays_cash(self):
        self.assertNoBreach()
        restored = self.restore(100.0).ledger_id
        self.assertEqual(self.wallet(self.member1).cash_balance, 0.0)
        # The member has the points back, less what rounding kept in the pool: never more than before paying.
        redeemed = -self.redeem.ledger_id.points_delta
        self.assertLessEqual(restored.points_delta, redeemed)
        self.assertGreater(restored.points_delta, redeemed - 0.001)
        self.assertNoBreach()

    def test_partial_refunds_add_up_to_the_whole_and_never_more(self):
        first = self.restore(50.0, "Refund 1").ledger_id
        second = self.restore(50.0, "Refund 2").ledger_id
        self.assertAlmostEqual(first.points_delta + second.points_delta, 49.5338, delta=0.0002)
        before = self.snapshot()
        with self.assertRaisesRegex(UserError, "0.00 can still be given back"):
            self.restore(0.01, "Refund 3")
        self.assertEqual(self.snapshot(), before)
        self.assertNoBreach()

    def test_restores_the_pool_applies_later_are_capped_together(self):
        with pool_busy(self.env):
            first = self.restore(60.0, "Refund 1")
            with self.assertRaisesRegex(UserError, "40.00 can still be given back"):
                self.restore(60.0, "Refund 2")
            # A second refund slipping past the caller's check (another transaction) is refused by the pool.
            with patch.object(type(self.pool), "_restorable_amount", lambda pool, redemption: Decimal(100)):
                second = self.restore(60.0, "Refund 3")
        self.pool._apply_pending()
        self.assertEqual((first.state, second.state), ("applied", "refused"))
        self.assertIn("too much", second.refusal_reason)
        self.assertNoBreach()

    def test_the_same_refund_gives_points_back_once(self):
        refund = self.order("Refund")
        first = self.pool.restore(self.member1, 40.0, refund, original=self.redeem)
        self.assertEqual(self.pool.restore(self.member1, 40.0, refund, original=self.redeem), first)
        self.assertEqual(len(self.env["points.ledger"].search([("event", "=", "restore")])), 1)
        self.assertNoBreach()

    def test_bad_refunds_are_refused_and_change_nothing(self):
        contribution = self.env["points.pool.request"].search([("kind", "=", "contribute")], limit=1)
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["res.partner"].create({"name": "Foreign doc", "company_id": other_company.id})
        cases = {
            "zero": lambda: self.restore(0),
            "negative": lambda: self.restore(-10),
            "more than paid": lambda: self.restore(100.01),
            "huge": lambda: self.restore(1e12),
            "not a redemption": lambda: self.restore(10, original=contribution),
            "no redemption": lambda: self.pool.restore(self.member1, 10, self.order("Refund"), original=None),
            "no refund document": lambda: self.pool.restore(self.member1, 10, None, original=self.redeem),
            "another member": lambda: self.restore(10, partner=self.member2),
            "wrong company": lambda: self.pool.restore(self.member1, 10, foreign, original=self.redeem),
        }
        for name, call in cases.items():
            with self.subTest(name):
                before = self.snapshot()
                with self.assertRaises(UserError):
                    call()
                self.assertEqual(self.snapshot(), before)

    def test_a_blocked_wallet_gets_its_points_back_and_stays_blocked(self):
        wallet = self.wallet(self.member1)
        points = wallet.points
        wallet.action_block()
        row = self.restore(100.0).ledger_id
        self.assertEqual(wallet.state, "blocked")
        self.assertAlmostEqual(wallet.points, points + row.points_delta, places=4)
        self.assertEqual(wallet.cash_balance, 0.0)
        self.assertNoBreach()

    def test_after_a_forced_exit_the_points_given_back_are_sold_as_the_exit_would_have(self):
        self.pool.exit_multiple = 1.2
        self.pool.inject(3000, "financing", account=self.pool.injection_account_id)
        wallet = self.wallet(self.member1)
        self.assertEqual((wallet.state, wallet.points), ("exited", 0.0))
        cash, exits = wallet.cash_balance, wallet.exit_count
        request = self.restore(100.0)
        self.assertEqual(request.state, "applied")
        self.assertEqual((wallet.state, wallet.points), ("exited", 0.0), "the restored points open nothing new")
        exit_row = request.ledger_ids.filtered(lambda row: row.event == "exit" and row.wallet_id == wallet)
        # Sold with the sell fee: the member gets less cash than the refunded value.
        self.assertEqual(exit_row.wallet_id, wallet)
        self.assertLess(wallet.cash_balance - cash, 100.0)
        self.assertAlmostEqual(wallet.cash_balance - cash, 80.0, delta=0.05)
        self.assertEqual(wallet.exit_count, exits + 1)
        self.assertNoBreach()
