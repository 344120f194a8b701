from odoo import api, fields, models

from odoo.addons.points_engine.rounding import to_decimal


class PointsSellWizard(models.TransientModel):
    _name = "points.sell.wizard"
    _description = "Sell Points for a Member"

    wallet_id = fields.Many2one("points.wallet", required=True, domain=[("state", "!=", "blocked")])
    partner_id = fields.Many2one(related="wallet_id.partner_id")
    pool_id = fields.Many2one(related="wallet_id.pool_id")
    currency_id = fields.Many2one(related="wallet_id.currency_id")
    held_points = fields.Float(related="wallet_id.available_points", string="Points Available")
    price = fields.Float(related="pool_id.price")
    points = fields.Float(digits=(16, 4), required=True)
    gross_value = fields.Monetary(compute="_compute_preview")
    fee = fields.Monetary(compute="_compute_preview")
    payout = fields.Monetary(compute="_compute_preview", help="Credited to the member's cash balance.")

    @api.depends("wallet_id", "points")
    def _compute_preview(self):
        for wizard in self:
            gross = payout = 0.0
            if wizard.pool_id and wizard.points > 0:
                quote = wizard.pool_id._engine().sell_quote(to_decimal(wizard.points), strict=False)
                gross, payout = float(quote.gross), float(quote.net)
            wizard.gross_value, wizard.payout, wizard.fee = gross, payout, gross - payout

    def action_sell(self):
        self.ensure_one()
        request = self.pool_id.sell(self.partner_id, self.points)
        return request._open_action()
