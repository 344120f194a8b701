from odoo import fields, models

from .points_referral_node import BINDING_MODES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_binding_mode = fields.Selection(
        BINDING_MODES, string="Binding Mode", default="once", config_parameter="points_referral.binding_mode")
    points_rebind_days = fields.Integer(
        string="Rebind Window (days)", default=7, config_parameter="points_referral.rebind_days")
