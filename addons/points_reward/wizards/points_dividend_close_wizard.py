from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.points_engine.rounding import money_half_up, to_decimal


class PointsDividendCloseWizard(models.TransientModel):
    """Closes a dividend period by hand: shows how the pool would be shared by rank, then shares it."""

    _name = "points.dividend.close.wizard"
    _description = "Close Dividend Period"

    rule_id = fields.Many2one("points.reward.rule", string="Dividend Pool", required=True,
                              domain="[('rule_type', '=', 'dividend')]")
    currency_id = fields.Many2one(related="rule_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(related="rule_id.dividend_balance", string="In the Pool")
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.depends("rule_id")
    def _compute_preview(self):
        for wizard in self:
            if not wizard.rule_id or wizard.amount <= 0:
                wizard.preview = False
                continue
            amount = money_half_up(to_decimal(wizard.amount), wizard.currency_id.decimal_places)
            _payouts, left, summary = self.env["points.dividend.period"]._plan(wizard.rule_id, amount)
            wizard.preview = self.env["ir.qweb"]._render("points_reward.points_dividend_close_preview", {
                "rows": [(rank.name, members, float(total)) for rank, members, total in summary],
                "left": float(left), "currency": wizard.currency_id,
            })

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may close a dividend period."))
        period = self.env["points.dividend.period"]._close(self.rule_id, self.date)
        return {"type": "ir.actions.act_window", "res_model": "points.dividend.period", "res_id": period.id,
                "view_mode": "form", "views": [(False, "form")]}
