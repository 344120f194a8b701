from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.points_allocation.tests.common import pool_busy

from .common import PointsPaymentCase


@tagged("post_install", "-at_install")
class TestPayWithPoints(PointsPaymentCase):
    def open_wizard(self, invoice):
        action = invoice.action_points_pay()
        return Form(self.env[action["res_model"]].with_context(action["context"]))

    def test_points_pay_part_of_an_invoice_and_reconcile(self):
        invoice = self.invoice(self.sell())
        points, balance = self.wallet().points, self.pool.balance
        form = self.open_wizard(invoice)
        self.assertEqual(form.wallet_points, 210.0)
        form.amount = 100.0
        self.assertGreater(form.points, 0)
        form.save().action_pay()
        self.assertEqual(invoice.payment_state, "partial")
        self.assertAlmostEqual(invoice.amount_residual, 900.0, delta=0.01)
        row = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "redeem")])
        self.assertAlmostEqual(row.amount, 100.0, delta=0.01)
        self.assertAlmostEqual(self.wallet().points, points + row.points_delta, places=4)
        self.assertAlmostEqual(self.pool.balance, balance - row.amount, places=2)
        self.assertTrue(row.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
                        .reconciled)
        self.assertEqual(self.pool._integrity_breaches(), [])

    def test_not_enough_points_is_refused_and_changes_nothing(self):
        invoice = self.invoice(self.sell(quantity=5))
        form = self.open_wizard(invoice)
        form.amount = 4000.0
        wizard = form.save()
        balance, points = self.pool.balance, self.wallet().points
        with self.assertRaises(UserError):
            wizard.action_pay()
        self.assertEqual((self.pool.balance, self.wallet().points), (balance, points))
        self.assertEqual(invoice.amount_residual, 5000.0)

    def test_points_pay_exactly_the_amount_at_the_price_of_their_turn(self):
        invoice = self.invoice(self.sell())
        form = self.open_wizard(invoice)
        form.amount = 123.45
        form.save().action_pay()
        row = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "redeem")])
        self.assertEqual(row.amount, 123.45)
        self.assertEqual(invoice.amount_residual, 876.55)
        self.assertNoBreach()

    def test_a_payment_the_pool_refuses_raises_its_reason_and_changes_nothing(self):
        invoice = self.invoice(self.sell())
        form = self.open_wizard(invoice)
        form.amount = 100.0
        wizard = form.save()
        balance, points = self.pool.balance, self.wallet().points
        apply_pending = type(self.pool)._apply_pending

        def blocked_before_its_turn(pool):
            # The member is blocked while the redeem waits for the pool: the pool refuses it.
            self.wallet().action_block()
            return apply_pending(pool)

        with pool_busy(self.env), patch.object(type(self.pool), "_apply_pending", blocked_before_its_turn), \
                self.assertRaisesRegex(UserError, "refused .*blocked"), self.env.cr.savepoint():
            wizard.action_pay()
        self.assertEqual((self.pool.balance, self.wallet().points), (balance, points))
        self.assertEqual(invoice.amount_residual, 1000.0)
        self.assertFalse(self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "redeem")]))


@tagged("post_install", "-at_install")
class TestCreditNoteOfPointsPayment(PointsPaymentCase):
    """A credit note gives back as points what points paid of the invoice, never money (SPEC §3.1)."""

    def restores(self):
        return self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "restore")])

    def test_credit_note_gives_the_points_part_back_as_points(self):
        invoice = self.invoice(self.sell())
        self.pay_with_points(invoice, 300.0)
        redeemed = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "redeem")])
        self.pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        price = self.pool.price
        refund = self.credit_note(invoice)
        row = self.restores()
        self.assertEqual((row.amount, row.source_ref, row.reversal_of_id), (300.0, refund, redeemed))
        self.assertAlmostEqual(refund.points_restored, row.points_delta, places=4)
        self.assertEqual(refund.points_restored_amount, 300.0)
        # Only what was paid in money is left to pay back in money.
        self.assertEqual(refund.amount_residual, 700.0)
        self.assertEqual(self.wallet().cash_balance, 0.0)
        self.assertGreaterEqual(self.pool.price, price)
        self.assertIn("went back to the customer as", refund.message_ids[:1].body)
        self.assertNoBreach()

    def test_returning_goods_bought_with_points_never_pays_more_cash_than_was_paid(self):
        invoice = self.invoice(self.sell())
        held = self.wallet().points
        self.pay_with_points(invoice, 300.0)
        self.pay(invoice)
        refund = self.credit_note(invoice)
        # Money the member may get back: the credit note's open part, i.e. what was paid in money.
        self.assertEqual(refund.amount_residual, 700.0)
        # Points: never more than held before paying (the purchase's own points are reversed too).
        self.assertLessEqual(self.wallet().points, held)
        self.assertNoBreach()

    def test_two_half_credit_notes_give_back_what_one_full_does_and_never_more(self):
        invoice = self.invoice(self.sell(quantity=2))
        self.pay_with_points(invoice, 300.0)
        self.pay(invoice)
        first = self.credit_note(invoice, quantity=1)
        self.assertEqual(self.restores().amount, 150.0)
        second = self.credit_note(invoice, quantity=1)
        self.assertEqual(sorted(self.restores().mapped("amount")), [150.0, 150.0])
        self.assertEqual((first.amount_residual, second.amount_residual), (850.0, 850.0))
        # Reposting a credit note gives nothing back twice.
        second.button_draft()
        second.action_post()
        self.assertEqual(len(self.restores()), 2)
        self.assertNoBreach()

    def test_an_invoice_paid_in_money_only_gives_no_points_back(self):
        invoice = self.invoice(self.sell())
        self.pay(invoice)
        refund = self.credit_note(invoice)
        self.assertFalse(self.restores())
        self.assertEqual(refund.amount_residual, 1000.0)
