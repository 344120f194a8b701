from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_pool_id = fields.Many2one(related="company_id.points_pool_id")
    points_mint_ratio = fields.Float(related="points_pool_id.mint_ratio", readonly=False)
    points_sell_fee_rate = fields.Float(related="points_pool_id.sell_fee_rate", readonly=False)
    points_exit_multiple = fields.Float(related="points_pool_id.exit_multiple", readonly=False)
    points_initial_price = fields.Float(related="points_pool_id.initial_price", readonly=False)
    points_redeem_fee_rate = fields.Float(related="points_pool_id.redeem_fee_rate", readonly=False)
    points_mint_cap = fields.Float(related="points_pool_id.mint_cap", readonly=False)
    points_min_sell_amount = fields.Monetary(related="points_pool_id.min_sell_amount", readonly=False,
                                             currency_field="currency_id")
    points_min_lifetime_spend = fields.Monetary(related="points_pool_id.min_lifetime_spend", readonly=False,
                                                currency_field="currency_id")
    points_injection_account_id = fields.Many2one(related="points_pool_id.injection_account_id", readonly=False)
    points_journal_id = fields.Many2one(related="points_pool_id.journal_id", readonly=False)
    points_paid_earns = fields.Boolean(related="points_pool_id.points_paid_earns", readonly=False)
    points_accounting_mode = fields.Selection(related="points_pool_id.accounting_mode", readonly=False)
