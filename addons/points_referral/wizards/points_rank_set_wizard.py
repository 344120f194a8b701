from odoo import api, fields, models


class PointsRankSetWizard(models.TransientModel):
    """A Points Manager sets a member's rank by hand (the only way down), with a reason kept in the history."""

    _name = "points.rank.set.wizard"
    _description = "Change Rank"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    current_rank_id = fields.Many2one("points.rank", compute="_compute_current_rank_id", string="Current Rank")
    rank_id = fields.Many2one("points.rank", string="New Rank", domain="[('company_id', '=', company_id)]")
    reason = fields.Char(required=True)

    @api.depends("partner_id", "company_id")
    def _compute_current_rank_id(self):
        for wizard in self:
            wizard.current_rank_id = wizard.partner_id.with_company(wizard.company_id).rank_id

    def action_confirm(self):
        self.ensure_one()
        self.partner_id._set_rank(self.rank_id, self.company_id, trigger="manual", note=self.reason)
        return {"type": "ir.actions.act_window_close"}
