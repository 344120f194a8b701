from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.points_allocation.tests.common import pool_busy

from .common import PointsSaleCase


@tagged("post_install", "-at_install")
class TestPayWithPoints(PointsSaleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other = cls.env["res.partner"].create({"name": "Other buyer"})
        cls.pool.contribute(cls.buyer, 1000, 300, source=other)
        cls.pool.contribute(other, 1000, 300, source=cls.buyer)

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
