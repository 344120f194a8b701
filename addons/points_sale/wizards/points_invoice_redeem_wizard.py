from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from odoo.addons.points_engine.rounding import to_decimal


class PointsInvoiceRedeemWizard(models.TransientModel):
    """Pays a customer invoice with the customer's points (a "Points" payment)."""

    _name = "points.invoice.redeem.wizard"
    _description = "Pay an Invoice with Points"

    invoice_id = fields.Many2one("account.move", required=True, readonly=True)
    partner_id = fields.Many2one(related="invoice_id.commercial_partner_id")
    company_id = fields.Many2one(related="invoice_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    pool_id = fields.Many2one("points.pool", compute="_compute_wallet")
    wallet_points = fields.Float(compute="_compute_wallet", digits=(16, 4), string="Points Held")
    wallet_value = fields.Monetary(compute="_compute_wallet", string="Value of the Points")
    price = fields.Float(related="pool_id.price")
    amount_residual = fields.Monetary(related="invoice_id.amount_residual", string="Amount Due")
    amount = fields.Monetary(string="Amount to Pay", compute="_compute_amount", store=True, readonly=False)
    points = fields.Float(compute="_compute_points", digits=(16, 4), string="Points to Use")

    @api.depends("invoice_id")
    def _compute_wallet(self):
        for wizard in self:
            pool = self.env["points.pool"].sudo()._get_for_company(wizard.company_id)
            wallet = self.env["points.wallet"].sudo()._get_for_partner(
                wizard.partner_id, wizard.company_id, create=False)
            engine = pool._engine()
            wizard.pool_id = pool
            wizard.wallet_points = wallet.points
            # Points reserved by the member's requests the pool has not applied yet cannot pay.
            available = wallet._available_points() if wallet else to_decimal(0)
            wizard.wallet_value = float(pool._redeem_value(available, engine))

    @api.depends("wallet_value", "amount_residual")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = min(wizard.wallet_value, wizard.amount_residual)

    @api.depends("amount", "pool_id")
    def _compute_points(self):
        for wizard in self:
            wizard.points = float(wizard._points_for(to_decimal(wizard.amount))) if wizard.pool_id else 0.0

    def _points_for(self, amount):
        """Fewest points whose redeem value reaches ``amount`` at today's price (what the payment reserves)."""
        return self.pool_id._points_for_amount(amount) or to_decimal(0)

    def action_pay(self):
        self.ensure_one()
        invoice = self.invoice_id
        invoice.check_access("write")
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            raise UserError(_("Only posted customer invoices can be paid with points."))
        if self.amount <= 0 or self.amount > self.amount_residual:
            raise UserError(_("The amount must be positive and at most the amount due (%s).", self.amount_residual))
        points = self._points_for(to_decimal(self.amount))
        if points <= 0:
            raise UserError(_("The amount is too small to be paid with points."))
        pool = self.pool_id.sudo()
        # The points pay exactly the amount at the price of their turn, so the invoice is settled to the cent.
        request = pool.redeem(self.partner_id, float(points), self, amount=self.amount)
        # A single-user back-office step: wait for the pool so that the redeem's entry can be reconciled now.
        pool._apply_pending()
        row = request._check_applied().ledger_id
        # A credit note of the invoice gives this payment back as points (see account.move._points_restore).
        invoice.sudo().points_redeem_request_ids = [Command.link(request.id)]
        account = self.partner_id.with_company(self.company_id).property_account_receivable_id
        # The redeem's journal entry may be shared with the other events of the pool's drain.
        receivable = (invoice.line_ids | row.move_id.line_ids).filtered(
            lambda line: line.account_id == account and line.partner_id.commercial_partner_id == self.partner_id
            and not line.reconciled)
        receivable.reconcile()
        staff = invoice._points_in_staff_lang()
        staff.message_post(body=staff.env._(
            "Paid %(amount)s with %(points)s points (%(row)s).",
            amount=formatLang(self.env, row.amount, currency_obj=self.currency_id),
            points=formatLang(self.env, -row.points_delta, digits=4), row=row.display_name))
        return {"type": "ir.actions.act_window_close"}
