from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_role_reminder_days = fields.Integer(related="company_id.points_role_reminder_days", readonly=False)
    points_role_user_id = fields.Many2one(related="company_id.points_role_user_id", readonly=False)
