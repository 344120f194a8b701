from dateutil.relativedelta import relativedelta

from odoo import fields, models


class PointsRewardStatementWizard(models.TransientModel):
    """Prints a member's reward statement for a period."""

    _name = "points.reward.statement.wizard"
    _description = "Reward Statement"

    partner_id = fields.Many2one("res.partner", string="Member", required=True)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self) + relativedelta(day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    def action_print(self):
        self.ensure_one()
        return self.env.ref("points_reward.points_reward_statement_report").report_action(
            self.partner_id, data={"date_from": str(self.date_from), "date_to": str(self.date_to),
                                   "company_id": self.env.company.id})
