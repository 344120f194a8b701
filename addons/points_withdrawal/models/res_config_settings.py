from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_withdrawal_min_amount = fields.Monetary(related="points_pool_id.withdrawal_min_amount", readonly=False,
                                                   currency_field="currency_id")
    points_withdrawal_fee_rate = fields.Float(related="points_pool_id.withdrawal_fee_rate", readonly=False)
    points_withdrawal_daily_limit = fields.Monetary(related="points_pool_id.withdrawal_daily_limit", readonly=False,
                                                    currency_field="currency_id")
    points_withdrawal_journal_id = fields.Many2one(related="points_pool_id.withdrawal_journal_id", readonly=False)
    points_withdrawal_approver_id = fields.Many2one(related="points_pool_id.withdrawal_approver_id", readonly=False)
    points_withdrawal_fee_account_id = fields.Many2one(related="points_pool_id.withdrawal_fee_account_id",
                                                       readonly=False)
    points_exit_withdrawal = fields.Boolean(related="points_pool_id.exit_withdrawal", readonly=False)
    points_transfer_enabled = fields.Boolean(related="points_pool_id.transfer_enabled", readonly=False)
    points_transfer_max_cash = fields.Monetary(related="points_pool_id.transfer_max_cash", readonly=False,
                                               currency_field="currency_id")
    points_transfer_max_points = fields.Float(related="points_pool_id.transfer_max_points", readonly=False)
