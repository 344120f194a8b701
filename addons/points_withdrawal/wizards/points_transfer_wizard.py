from odoo import _, fields, models


class PointsTransferWizard(models.TransientModel):
    """Staff send cash balance or points from one member to another."""

    _name = "points.transfer.wizard"
    _description = "Transfer between Members"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sender_id = fields.Many2one("res.partner", "Sender", required=True)
    recipient_id = fields.Many2one("res.partner", "Recipient", required=True)
    kind = fields.Selection([("cash", "Cash balance"), ("points", "Points")], required=True, default="cash")
    amount = fields.Monetary()
    points = fields.Float(digits=(16, 4))
    memo = fields.Char()

    def action_confirm(self):
        self.ensure_one()
        cash, points = (self.amount, 0) if self.kind == "cash" else (0, self.points)
        transfer = self.env["points.transfer"]._transfer(
            self.sender_id, self.recipient_id, cash=cash, points=points, company=self.company_id, memo=self.memo)
        return {"type": "ir.actions.act_window", "res_model": "points.transfer", "res_id": transfer.id,
                "view_mode": "form", "views": [(False, "form")], "name": _("Transfer")}
