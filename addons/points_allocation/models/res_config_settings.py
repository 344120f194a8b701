from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_default_plan_id = fields.Many2one(
        related="company_id.points_default_plan_id", readonly=False, domain="[('company_id', '=', company_id)]")
    points_payout_ratio_limit = fields.Float(related="company_id.points_payout_ratio_limit", readonly=False)
