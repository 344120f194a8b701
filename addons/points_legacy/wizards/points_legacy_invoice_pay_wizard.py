from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_pool.keys import idempotency_key


class PointsLegacyInvoicePayWizard(models.TransientModel):
    """Pays a customer invoice with the customer's consumption balance from the former platform."""

    _name = "points.legacy.invoice.pay.wizard"
    _description = "Pay an Invoice with the Consumption Balance"

    invoice_id = fields.Many2one("account.move", required=True, readonly=True)
    partner_id = fields.Many2one(related="invoice_id.commercial_partner_id")
    company_id = fields.Many2one(related="invoice_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    member_id = fields.Many2one("points.legacy.member", compute="_compute_balance")
    balance = fields.Monetary("Consumption Balance", compute="_compute_balance")
    amount_residual = fields.Monetary(related="invoice_id.amount_residual", string="Amount Due")
    amount = fields.Monetary("Amount to Pay", compute="_compute_amount", store=True, readonly=False)

    @api.depends("invoice_id")
    def _compute_balance(self):
        for wizard in self:
            member = self.env["points.legacy.member"]._for_partner(wizard.partner_id, wizard.company_id)
            wizard.member_id = member
            wizard.balance = float(member.pool_id._legacy_figures(member.wallet_id)[member.wallet_id.id][0]) \
                if member else 0.0

    @api.depends("balance", "amount_residual")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = min(wizard.balance, wizard.amount_residual)

    def action_pay(self):
        self.ensure_one()
        invoice = self.invoice_id
        invoice.check_access("write")
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            raise UserError(_("Only posted customer invoices can be paid with the consumption balance."))
        if not self.member_id:
            raise UserError(_("%s has no consumption balance from the former platform.", self.partner_id.display_name))
        if self.amount <= 0 or self.currency_id.compare_amounts(self.amount, self.amount_residual) > 0:
            raise UserError(_("The amount must be positive and at most the amount due (%s).", self.amount_residual))
        pool = self.member_id.pool_id.sudo()
        # Each payment of the invoice is its own spend: numbered after the invoice's earlier ones.
        count = self.env["points.pool.request"].sudo().search_count(
            [("pool_id", "=", pool.id), ("kind", "=", "movements"), ("source_model", "=", invoice._name),
             ("source_id", "=", invoice.id)])
        request = pool._legacy_spend(self.member_id, to_decimal(self.amount), invoice,
                                     idempotency_key("legacy", invoice._name, invoice.id, count + 1))
        # A single-user back-office step: wait for the pool so that the entry can be reconciled now.
        pool._apply_pending()
        row = request._check_applied().ledger_id
        account = self.partner_id.with_company(self.company_id).property_account_receivable_id
        (invoice.line_ids | row.move_id.line_ids).filtered(
            lambda line: line.account_id == account and line.partner_id.commercial_partner_id == self.partner_id
            and not line.reconciled).reconcile()
        staff = invoice._points_in_staff_lang()
        staff.message_post(body=staff.env._(
            "Paid %(amount)s with the consumption balance from the former platform (%(row)s).",
            amount=formatLang(self.env, row.amount, currency_obj=self.currency_id), row=row.display_name))
        return {"type": "ir.actions.act_window_close"}
