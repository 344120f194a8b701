from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_pool.keys import idempotency_key


class PointsLegacyInvoicePayWizard(models.TransientModel):
    """Pays a customer invoice with the customer's consumption balance from the former platform."""

    _name = "points.legacy.invoice.pay.wizard"
    _inherit = ["points.invoice.pay.mixin"]
    _description = "Pay an Invoice with the Consumption Balance"

    member_id = fields.Many2one("points.legacy.member", compute="_compute_available_amount")
    available_amount = fields.Monetary(string="Consumption Balance")

    @api.depends("invoice_id")
    def _compute_available_amount(self):
        for wizard in self:
            member = self.env["points.legacy.member"]._for_partner(wizard.partner_id, wizard.company_id)
            wizard.member_id = member
            wizard.available_amount = float(member.pool_id._legacy_figures(member.wallet_id)[member.wallet_id.id][0]) \
                if member else 0.0

    def action_pay(self):
        return self._pay_invoice()

    def _not_payable_message(self):
        return _("Only posted customer invoices can be paid with the consumption balance.")

    def _check_payer(self):
        if not self.member_id:
            raise UserError(_("%s has no consumption balance from the former platform.", self.partner_id.display_name))

    def _submit_payment(self):
        invoice = self.invoice_id
        pool = self.member_id.pool_id.sudo()
        # Each payment of the invoice is its own spend: numbered after the invoice's earlier ones.
        count = self.env["points.pool.request"].sudo().search_count(
            [("pool_id", "=", pool.id), ("kind", "=", "movements"), ("source_model", "=", invoice._name),
             ("source_id", "=", invoice.id)])
        return pool, pool._legacy_spend(self.member_id, to_decimal(self.amount), invoice,
                                        idempotency_key("legacy", invoice._name, invoice.id, count + 1))

    def _paid_message(self, row):
        return self.env._("Paid %(amount)s with the consumption balance from the former platform (%(row)s).",
                          amount=formatLang(self.env, row.amount, currency_obj=self.currency_id), row=row.display_name)
