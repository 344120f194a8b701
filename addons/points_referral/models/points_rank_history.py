from odoo import api, fields, models


class PointsRankHistory(models.Model):
    """One change of a member's rank: who, from which rank to which, why and when."""

    _name = "points.rank.history"
    _description = "Rank History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Member", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    old_rank_id = fields.Many2one("points.rank", string="From", readonly=True, ondelete="set null")
    new_rank_id = fields.Many2one("points.rank", string="To", readonly=True, ondelete="set null")
    change = fields.Selection([("up", "Upgrade"), ("down", "Downgrade")], compute="_compute_change", store=True)
    trigger = fields.Selection(
        [("order", "Order payment"), ("job", "Scheduled job"), ("manual", "Manual")], required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    note = fields.Char(readonly=True)

    @api.depends("old_rank_id.level", "new_rank_id.level")
    def _compute_change(self):
        for row in self:
            row.change = "up" if row.new_rank_id.level > row.old_rank_id.level else "down"
