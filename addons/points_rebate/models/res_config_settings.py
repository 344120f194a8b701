from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_rebate_min_amount = fields.Monetary(related="points_pool_id.rebate_min_amount", readonly=False,
                                               currency_field="currency_id")
    points_rebate_rate = fields.Float(related="points_pool_id.rebate_rate", readonly=False)
    points_rebate_lock_days = fields.Integer(related="points_pool_id.rebate_lock_days", readonly=False)
    points_rebate_acceleration_rate = fields.Float(related="points_pool_id.rebate_acceleration_rate", readonly=False)
    points_rebate_indirect_acceleration_rate = fields.Float(
        related="points_pool_id.rebate_indirect_acceleration_rate", readonly=False)
    points_rebate_release_threshold = fields.Monetary(related="points_pool_id.rebate_release_threshold",
                                                      readonly=False, currency_field="currency_id")
    points_rebate_account_id = fields.Many2one(related="points_pool_id.rebate_account_id", readonly=False)
    points_rebate_expense_account_id = fields.Many2one(related="points_pool_id.rebate_expense_account_id",
                                                       readonly=False)
