from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    points_reward_depth_limit = fields.Integer(related="points_pool_id.reward_depth_limit")
    points_static_return_limit = fields.Float(related="points_pool_id.static_return_limit", readonly=False)
    points_reward_expense_account_id = fields.Many2one(related="points_pool_id.reward_expense_account_id",
                                                       readonly=False)
    points_frozen_reward_account_id = fields.Many2one(related="points_pool_id.frozen_reward_account_id",
                                                      readonly=False)
    points_dividend_account_id = fields.Many2one(related="points_pool_id.dividend_account_id", readonly=False)

    def action_open_depth_limit_wizard(self):
        return self.points_pool_id.action_open_depth_limit_wizard()
