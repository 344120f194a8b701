from odoo.fields import Command
from odoo.tests import Form

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class PointsSaleCase(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a fresh pool (SPEC §3.4 parameters) and a 1000.00 product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("sales_team.group_sale_salesman") | cls.env.ref(
            "points_pool.group_points_manager")
        cls.company = cls.env.company
        cls.pool = cls.env["points.pool"]._get_for_company(cls.company)
        cls.product = cls._create_product(name="Gift package", lst_price=1000.0, standard_price=200.0,
                                          taxes_id=[Command.clear()])
        cls.buyer = cls.env["res.partner"].create({"name": "Buyer"})

    def sell(self, quantity=1, partner=None):
        form = Form(self.env["sale.order"])
        form.partner_id = partner or self.buyer
        with form.order_line.new() as line:
            line.product_id = self.product
            line.product_uom_qty = quantity
        order = form.save()
        order.action_confirm()
        return order

    def invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def pay(self, invoice, amount=None):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount if amount is not None else invoice.amount_residual})
        wizard._create_payments()

    def credit_note(self, invoice, quantity=None):
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids).create(
            {"journal_id": invoice.journal_id.id, "reason": "return"})
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        if quantity is not None:
            with Form(refund) as form, form.invoice_line_ids.edit(0) as line:
                line.quantity = quantity
        refund.action_post()
        return refund

    def wallet(self, partner=None):
        return self.env["points.wallet"]._get_for_partner(partner or self.buyer, self.company)

    def assertNoBreach(self):
        self.assertEqual(self.pool._integrity_breaches(), [])


class PointsPaymentCase(PointsSaleCase):
    """PointsSaleCase whose buyer holds points (two contributions of 300.00) to pay invoices with."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other = cls.env["res.partner"].create({"name": "Other buyer"})
        cls.pool.contribute(cls.buyer, 1000, 300, source=other)
        cls.pool.contribute(other, 1000, 300, source=cls.buyer)

    def pay_with_points(self, invoice, amount):
        """Pays ``amount`` of ``invoice`` with the buyer's points through the Pay with Points wizard."""
        action = invoice.action_points_pay()
        form = Form(self.env[action["res_model"]].with_context(action["context"]))
        form.amount = amount
        form.save().action_pay()
