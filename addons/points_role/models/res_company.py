from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    points_role_reminder_days = fields.Integer(
        "Agency Reminder (days)", default=30,
        help="This many days before an agency ends, its agent and the responsible are told.")
    points_role_user_id = fields.Many2one("res.users", "Agencies Responsible",
                                          help="Gets an activity to offer the renewal of agencies ending soon.")
