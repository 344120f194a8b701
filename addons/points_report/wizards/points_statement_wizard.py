from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PointsStatementWizard(models.TransientModel):
    """Chooses the members and the period of member statements, then prints them."""

    _name = "points.statement.wizard"
    _description = "Print Member Statements"

    wallet_ids = fields.Many2many("points.wallet", string="Members", required=True,
                                  default=lambda self: self._default_wallets())
    date_from = fields.Date("From", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1))
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)

    @api.model
    def _default_wallets(self):
        if self.env.context.get("active_model") == "points.wallet":
            return self.env["points.wallet"].browse(self.env.context.get("active_ids", []))
        return self.env["points.wallet"]

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period must start before it ends."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("points_report.points_member_statement_report").report_action(
            self.wallet_ids, data={"date_from": fields.Date.to_string(self.date_from),
                                   "date_to": fields.Date.to_string(self.date_to)})
