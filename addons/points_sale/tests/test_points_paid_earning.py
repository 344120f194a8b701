from odoo.tests import tagged

from .common import PointsPaymentCase


@tagged("post_install", "-at_install")
class TestPointsPaidEarning(PointsPaymentCase):
    """An invoice paid partly with points: whether that part earns (a pool setting, default off), and the
    ledger naming the invoice and the sales order."""

    def paid_invoice(self, points_amount):
        order = self.sell()
        invoice = self.invoice(order)
        self.pay_with_points(invoice, points_amount)
        self.pay(invoice)
        self.assertEqual(invoice.payment_state, "paid")
        return order, invoice

    def contribution(self, invoice):
        return self.env["points.ledger"].search([
            ("event", "=", "contribute"), ("source_model", "=", "account.move.line"),
            ("source_id", "in", invoice.invoice_line_ids.ids)])

    def test_by_default_the_part_paid_with_points_earns_nothing(self):
        self.assertFalse(self.pool.points_paid_earns)
        _order, invoice = self.paid_invoice(100.0)
        # 900.00 of 1000.00 paid in money: 30% of 900.00 to the pool.
        self.assertEqual(self.contribution(invoice).amount, 270.0)
        self.assertNoBreach()

    def test_when_enabled_the_whole_invoice_earns(self):
        self.pool.points_paid_earns = True
        _order, invoice = self.paid_invoice(100.0)
        self.assertEqual(self.contribution(invoice).amount, 300.0)
        self.assertNoBreach()

    def test_a_credit_note_reverses_the_share_that_earned(self):
        _order, invoice = self.paid_invoice(100.0)
        self.credit_note(invoice, quantity=0.5)
        contribution = self.contribution(invoice)
        self.assertAlmostEqual(contribution.reversed_ratio, 0.5, places=4)
        self.assertNoBreach()

    def test_ledger_rows_name_the_invoice_and_the_sales_order(self):
        order, invoice = self.paid_invoice(100.0)
        contribution = self.contribution(invoice)
        self.assertEqual(contribution.source_display, f"{invoice.name} ({order.name})")
        redeem = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "redeem")])
        self.assertEqual(redeem.source_display, invoice.name)
        # The pay-with-points wizard is transient: once it is gone, the ledger still names the invoice.
        self.env["points.invoice.redeem.wizard"].sudo().search([]).unlink()
        redeem.invalidate_recordset(["source_display"])
        self.assertEqual(redeem.source_display, invoice.name)
