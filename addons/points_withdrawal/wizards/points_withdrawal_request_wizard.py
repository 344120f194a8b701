from decimal import Decimal

from odoo import _, api, fields, models

from odoo.addons.points_engine.rounding import money_half_up, to_decimal


class PointsWithdrawalRequestWizard(models.TransientModel):
    """Staff ask for a withdrawal on a member's behalf, from the wallet form."""

    _name = "points.withdrawal.request.wizard"
    _description = "Request Withdrawal"

    wallet_id = fields.Many2one("points.wallet", required=True)
    partner_id = fields.Many2one(related="wallet_id.partner_id", string="Member")
    currency_id = fields.Many2one(related="wallet_id.currency_id")
    cash_balance = fields.Monetary(related="wallet_id.cash_balance")
    reserved_balance = fields.Monetary(related="wallet_id.reserved_balance")
    available_cash = fields.Monetary(related="wallet_id.available_cash")
    amount = fields.Monetary(required=True)
    fee_amount = fields.Monetary("Fee", compute="_compute_split")
    net_amount = fields.Monetary("Net to Pay", compute="_compute_split")
    company_id = fields.Many2one(related="wallet_id.company_id")
    payee_id = fields.Many2one(
        "points.payee", "Payee", domain="[('partner_id', '=', partner_id), ('company_id', '=', company_id)]",
        help="The member's bank card, Alipay or WeChat account paid.")

    @api.depends("amount", "wallet_id")
    def _compute_split(self):
        """Preview of the fee and the amount paid, rounded as the request will be (SPEC §3.2)."""
        for wizard in self:
            pool = wizard.wallet_id.pool_id
            digits = pool.currency_id.decimal_places if pool else 2
            amount = max(money_half_up(to_decimal(wizard.amount or 0), digits), Decimal(0))
            fee, net = self.env["points.withdrawal"]._split_fee(pool, amount) if pool else (Decimal(0), amount)
            wizard.fee_amount = float(fee)
            wizard.net_amount = float(net)

    def action_confirm(self):
        self.ensure_one()
        withdrawal = self.env["points.withdrawal"]._request(
            self.wallet_id.partner_id, self.amount, company=self.wallet_id.company_id,
            payee=self.payee_id or None)
        return {"type": "ir.actions.act_window", "res_model": "points.withdrawal", "res_id": withdrawal.id,
                "view_mode": "form", "views": [(False, "form")], "name": _("Withdrawal")}
