from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_sale_trigger = fields.Selection(related="company_id.points_sale_trigger", readonly=False)
