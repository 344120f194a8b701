from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.points_pos.tests.common import PointsPosCase

from .common import LegacyImportMixin


@tagged("post_install", "-at_install")
class TestPosLegacyBalance(LegacyImportMixin, PointsPosCase):
    """The member was owed 3,000.00 by the former platform; batches of 100.00 release 30% (the defaults)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.legacy_pm = cls.env["pos.payment.method"].create({
            "name": "Consumption balance", "points_legacy_payment": True, "split_transactions": True})
        cls.basic_config.payment_method_ids = [Command.link(cls.legacy_pm.id)]
        cls.member.email = "member@example.com"
        cls.legacy = cls.legacy_import([("Customer 1", "", "member@example.com", "P-1", "3000")])

    def legacy_rows(self, event):
        return self.ledger(event=event)

    def test_paid_order_spends_the_balance_and_releases_points_in_batches(self):
        order = self.sell(payments=[(self.legacy_pm, 1000.0)])
        spend = self.legacy_rows("legacy_spend")
        self.assertEqual((spend.amount, spend.legacy_delta, spend.source_ref),
                         (1000.0, -1000.0, order.payment_ids))
        self.assertEqual(self.legacy.balance, 2000.0)
        self.assertEqual(order.points_earned, 0.0, "what the balance paid earns through releases, not at checkout")
        release = self.legacy.release_ids
        self.assertEqual((release.batches, release.spend, release.contribution), (10, 1000.0, 300.0))
        # 300.00 enters the empty pool: 70% mints 210 points at the initial price of 1.00.
        self.assertEqual((release.points, self.wallet().points, self.legacy.released_points), (210.0, 210.0, 210.0))
        self.assertEqual(self.pool.balance, 300.0)
        self.assertAlmostEqual(self.legacy.released_value, 300.0, places=2)
        self.assertAlmostEqual(self.legacy.remaining, 2700.0, places=2)
        self.assertEqual(-self.pool._account_balance(self.pool.legacy_account_id), 2000.0)
        self.assertNoBreach()
        self.close_session()
        self.assertEqual(sum(self.receivable_lines(self.member).mapped("balance")), 0.0,
                         "the balance's credit settles the closing entry's receivable")
        self.assertNoBreach()

    def test_split_payment_releases_full_batches_only_and_earns_on_the_money_part(self):
        order = self.sell(payments=[(self.legacy_pm, 250.0), (self.bank_pm1, 750.0)])
        release = self.legacy.release_ids
        self.assertEqual((release.batches, release.spend, release.contribution), (2, 200.0, 60.0))
        contributions = self.ledger(event="contribute")
        self.assertEqual(sorted(contributions.mapped("amount")), [60.0, 225.0], "30% of the 750.00 paid in money")
        self.assertGreater(order.points_earned, 0)
        # The next 50.00 completes a third batch.
        self.sell(payments=[(self.legacy_pm, 50.0), (self.bank_pm1, 950.0)])
        self.assertEqual(sorted(self.legacy.release_ids.mapped("released_spend")), [200.0, 300.0])
        self.assertEqual(self.legacy.balance, 2700.0)
        self.assertNoBreach()

    def test_paying_more_than_the_balance_is_refused_and_changes_nothing(self):
        before = self.snapshot()
        data = self.order_data(4, customer=self.member, payments=[(self.legacy_pm, 4000.0)])
        with self.assertRaisesRegex(UserError, "consumption balance of .*3,000.00: not enough"), \
                self.env.cr.savepoint():
            self.sync(data)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.legacy.balance, 3000.0)
        self.assertFalse(self.legacy.release_ids)

    def test_customer_without_legacy_balance_cannot_pay_with_it(self):
        data = self.order_data(customer=self.other, payments=[(self.legacy_pm, 1000.0)])
        with self.assertRaisesRegex(UserError, "has no consumption balance"), self.env.cr.savepoint():
            self.sync(data)
        data = self.order_data(payments=[(self.legacy_pm, 1000.0)])
        with self.assertRaisesRegex(UserError, "Choose the customer"), self.env.cr.savepoint():
            self.sync(data)
        self.assertEqual(self.legacy.balance, 3000.0)

    def test_refund_gives_the_balance_back(self):
        order = self.sell(payments=[(self.legacy_pm, 1000.0)])
        points = self.wallet().points
        refund = self.sync(self.refund_data(order, payments=[(self.legacy_pm, -1000.0)]))
        back = self.legacy_rows("legacy_refund")
        self.assertEqual((back.amount, back.legacy_delta, back.source_ref), (1000.0, 1000.0, refund.payment_ids))
        self.assertEqual((self.legacy.balance, self.legacy.spent), (3000.0, 0.0))
        self.assertEqual(self.wallet().points, points, "released points were paid into the pool: they stay")
        self.assertEqual(self.pool.legacy_balance, 3000.0)
        self.assertNoBreach()
        # Never more than the refunded order paid with the balance.
        cash_order = self.sell(payments=[(self.bank_pm1, 1000.0)])
        data = self.refund_data(cash_order, payments=[(self.legacy_pm, -1000.0)])
        with self.assertRaisesRegex(UserError, "more than the"), self.env.cr.savepoint():
            self.sync(data)
        self.assertEqual(self.legacy.balance, 3000.0)

    def test_the_balance_is_never_money(self):
        wallet = self.wallet()
        self.assertEqual((wallet.cash_balance, wallet._available_cash_now()), (0.0, 0))
        self.sell(payments=[(self.legacy_pm, 500.0), (self.bank_pm1, 500.0)])
        self.assertEqual(self.wallet().cash_balance, 0.0, "spending or holding it never credits cash to withdraw")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["pos.payment.method"].create({"name": "Balance to bank", "points_legacy_payment": True,
                                                   "split_transactions": True,
                                                   "journal_id": self.bank_pm1.journal_id.id})
