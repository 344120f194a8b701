from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from odoo.addons.points_engine.rounding import to_decimal


class PointsInvoiceRedeemWizard(models.TransientModel):
    """Pays a customer invoice with the customer's points (a "Points" payment)."""

    _name = "points.invoice.redeem.wizard"
    _inherit = ["points.invoice.pay.mixin"]
    _description = "Pay an Invoice with Points"

    pool_id = fields.Many2one("points.pool", compute="_compute_available_amount")
    wallet_points = fields.Float(compute="_compute_available_amount", digits=(16, 4), string="Points Held")
    available_amount = fields.Monetary(string="Value of the Points")
    price = fields.Float(related="pool_id.price")
    points = fields.Float(compute="_compute_points", digits=(16, 4), string="Points to Use")

    @api.depends("invoice_id")
    def _compute_available_amount(self):
        for wizard in self:
            pool = self.env["points.pool"].sudo()._get_for_company(wizard.company_id)
            wallet = self.env["points.wallet"].sudo()._get_for_partner(
                wizard.partner_id, wizard.company_id, create=False)
            engine = pool._engine()
            wizard.pool_id = pool
            wizard.wallet_points = wallet.points
            # Points reserved by the member's requests the pool has not applied yet cannot pay.
            available = wallet._available_points() if wallet else to_decimal(0)
            wizard.available_amount = float(pool._redeem_value(available, engine))

    @api.depends("amount", "pool_id")
    def _compute_points(self):
        for wizard in self:
            wizard.points = float(wizard._points_for(to_decimal(wizard.amount))) if wizard.pool_id else 0.0

    def _points_for(self, amount):
        """Fewest points whose redeem value reaches ``amount`` at today's price (what the payment reserves)."""
        return self.pool_id._points_for_amount(amount) or to_decimal(0)

    def action_pay(self):
        return self._pay_invoice()

    def _not_payable_message(self):
        return _("Only posted customer invoices can be paid with points.")

    def _submit_payment(self):
        points = self._points_for(to_decimal(self.amount))
        if points <= 0:
            raise UserError(_("The amount is too small to be paid with points."))
        pool = self.pool_id.sudo()
        # The points pay exactly the amount at the price of their turn, so the invoice is settled to the cent.
        return pool, pool.redeem(self.partner_id, float(points), self, amount=self.amount)

    def _on_paid(self, request):
        # A credit note of the invoice gives this payment back as points (see account.move._points_restore).
        self.invoice_id.sudo().points_redeem_request_ids = [Command.link(request.id)]

    def _paid_message(self, row):
        return self.env._("Paid %(amount)s with %(points)s points (%(row)s).",
                          amount=formatLang(self.env, row.amount, currency_obj=self.currency_id),
                          points=formatLang(self.env, -row.points_delta, digits=4), row=row.display_name)
