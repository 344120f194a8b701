from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_legacy_release_threshold = fields.Monetary(related="points_pool_id.legacy_release_threshold",
                                                      readonly=False, currency_field="currency_id")
    points_legacy_release_rate = fields.Float(related="points_pool_id.legacy_release_rate", readonly=False)
    points_legacy_account_id = fields.Many2one(related="points_pool_id.legacy_account_id", readonly=False)
    points_legacy_counter_account_id = fields.Many2one(related="points_pool_id.legacy_counter_account_id",
                                                       readonly=False)
