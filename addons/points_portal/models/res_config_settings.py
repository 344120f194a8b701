from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_portal_disclosure = fields.Html(related="points_pool_id.portal_disclosure", readonly=False)
    points_api_rate_limit = fields.Integer(related="points_pool_id.api_rate_limit", readonly=False)
