from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.points_sale.tests.common import PointsSaleCase

from .common import LegacyImportMixin


@tagged("post_install", "-at_install")
class TestInvoiceLegacyBalance(LegacyImportMixin, PointsSaleCase):
    """The buyer was owed 1,500.00 by the former platform."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer.email = "buyer@example.com"
        cls.legacy = cls.legacy_import([("Buyer", "", "buyer@example.com", "S-1", "1500")])

    def pay_with_balance(self, invoice, amount=None):
        action = invoice.action_points_legacy_pay()
        form = Form(self.env[action["res_model"]].with_context(action["context"]))
        if amount is not None:
            form.amount = amount
        form.save().action_pay()

    def test_paid_invoice_spends_the_balance_and_releases_points(self):
        invoice = self.invoice(self.sell())
        self.pay_with_balance(invoice)
        self.assertEqual(invoice.payment_state, "paid", "the balance's credit settles the receivable")
        self.assertEqual((invoice.points_legacy_paid, self.legacy.balance, self.legacy.spent), (1000.0, 500.0, 1000.0))
        contributions = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "contribute")])
        self.assertEqual(contributions.mapped("amount"), [300.0], "only the release: the invoice paid with the "
                                                                  "balance earns nothing itself")
        self.assertEqual(contributions.source_ref, self.legacy.release_ids)
        self.assertEqual(self.legacy.released_points, 210.0)
        self.assertNoBreach()

    def test_part_of_an_invoice_and_report_figures(self):
        invoice = self.invoice(self.sell())
        self.pay_with_balance(invoice, 400.0)
        self.assertEqual(invoice.amount_residual, 600.0)
        self.pay(invoice)
        self.assertEqual(invoice.payment_state, "paid")
        report = self.env["points.legacy.report"].search([("member_id", "=", self.legacy.id)])
        # 4 batches (120.00 contributed, 84 points at 1.00); then the invoice's 600.00 in money contributes 180.00.
        self.assertEqual((report.payable, report.spent, report.balance, report.released_points),
                         (1500.0, 400.0, 1100.0, 84.0))
        price = self.pool.balance / self.pool.circulating_points
        self.assertAlmostEqual(report.released_value, round(84.0 * price, 2), places=2)
        self.assertAlmostEqual(report.remaining, 1500.0 - report.released_value, places=2)
        self.assertFalse(report.covered)
        totals = self.env["points.legacy.report"].read_group(
            [("company_id", "=", self.company.id)], ["payable:sum", "remaining:sum"], [])[0]
        self.assertEqual(totals["payable"], 1500.0)
        self.assertNoBreach()

    def test_the_last_release_only_covers_what_remains_owed(self):
        self.pool.write({"legacy_release_rate": 1.0, "legacy_release_threshold": 0.0})
        small = self.env["res.partner"].create({"name": "Small", "email": "small@example.com"})
        member = self.legacy_import([("Small", "", "small@example.com", "S-2", "70")])
        self.pay_with_balance(self.invoice(self.sell(partner=small)), 50.0)
        self.assertEqual(member.release_ids.contribution, 50.0, "threshold 0: every spend releases")
        self.assertAlmostEqual(member.remaining, 20.0, places=2)
        # Others' purchases raise the price: the member's points now cover most of what was owed.
        self.pay(self.invoice(self.sell()))
        gap = member.remaining
        self.assertTrue(0 < gap < 20.0)
        self.pay_with_balance(self.invoice(self.sell(partner=small)), 20.0)
        last = member.release_ids.sorted("id")[-1]
        self.assertLess(last.contribution, 20.0, "the last batch only contributes what the gap needs")
        self.assertAlmostEqual(last.contribution, round(gap / 0.7 + 0.005, 2), delta=0.01)
        report = self.env["points.legacy.report"].browse(member.id)
        self.assertTrue(report.covered)
        self.assertEqual(report.remaining, 0.0)
        self.assertNoBreach()

    def test_more_than_the_balance_or_the_amount_due_is_refused(self):
        invoice = self.invoice(self.sell(2))
        before = (self.legacy.balance, invoice.amount_residual)
        with self.assertRaisesRegex(UserError, "not enough to pay"):
            self.pay_with_balance(invoice, 1600.0)
        with self.assertRaisesRegex(UserError, "must be positive"):
            self.pay_with_balance(invoice, -5.0)
        self.env.invalidate_all()
        self.assertEqual((self.legacy.balance, invoice.amount_residual), before)

    def test_balance_cannot_pay_someone_else(self):
        other = self.env["res.partner"].create({"name": "Not a legacy member"})
        invoice = self.invoice(self.sell(partner=other))
        with self.assertRaisesRegex(UserError, "no consumption balance"):
            self.pay_with_balance(invoice, 100.0)
        self.assertEqual(self.legacy.balance, 1500.0)

    def test_users_without_invoicing_rights_cannot_pay(self):
        clerk = new_test_user(self.env, "legacy_clerk", groups="base.group_user,points_pool.group_points_user")
        invoice = self.invoice(self.sell())
        with self.assertRaises(AccessError):
            invoice.with_user(clerk).action_points_legacy_pay()

    def test_credit_note_gives_the_balance_back_never_money(self):
        invoice = self.invoice(self.sell())
        self.pay_with_balance(invoice, 600.0)
        self.pay(invoice)
        refund = self.credit_note(invoice)
        back = self.env["points.ledger"].search([("event", "=", "legacy_refund")])
        self.assertEqual((back.amount, back.source_ref), (600.0, refund))
        self.assertEqual((self.legacy.balance, self.legacy.spent), (1500.0, 0.0))
        self.assertEqual(refund.amount_residual, 400.0, "only the part paid in money is owed back as money")
        self.assertNoBreach()
        # Posted again after a reset to draft: nothing is given twice.
        refund.button_draft()
        refund.action_post()
        self.assertEqual(len(self.env["points.ledger"].search([("event", "=", "legacy_refund")])), 1)
        self.assertEqual((self.legacy.balance, refund.amount_residual), (1500.0, 400.0))
