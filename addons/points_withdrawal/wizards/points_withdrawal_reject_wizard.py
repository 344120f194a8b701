from odoo import fields, models


class PointsWithdrawalRejectWizard(models.TransientModel):
    """A Points Manager rejects withdrawal requests and says why."""

    _name = "points.withdrawal.reject.wizard"
    _description = "Reject Withdrawal"

    withdrawal_ids = fields.Many2many("points.withdrawal", required=True)
    reason = fields.Text(required=True, help="Shown to the member and logged on each request.")

    def action_confirm(self):
        self.ensure_one()
        self.withdrawal_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
