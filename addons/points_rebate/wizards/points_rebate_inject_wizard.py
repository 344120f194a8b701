from odoo import api, fields, models


class PointsRebateInjectWizard(models.TransientModel):
    """A Points Manager funds the rebate pool (financing, subsidy) from a chosen account."""

    _name = "points.rebate.inject.wizard"
    _description = "Fund the Rebate Pool"

    pool_id = fields.Many2one("points.pool", required=True, default=lambda self: self._default_pool())
    currency_id = fields.Many2one(related="pool_id.currency_id")
    amount = fields.Monetary(required=True)
    memo = fields.Char(required=True)
    account_id = fields.Many2one(
        "account.account", string="From Account", required=True,
        domain="[('company_ids', 'in', company_id)]", help="Where the money comes from.")
    company_id = fields.Many2one(related="pool_id.company_id")

    @api.model
    def _default_pool(self):
        return self.env["points.pool"]._get_for_company(self.env.company)

    @api.onchange("pool_id")
    def _onchange_pool_id(self):
        self.account_id = self.pool_id.injection_account_id

    def action_confirm(self):
        self.ensure_one()
        self.pool_id.rebate_inject(self.amount, self.memo, account=self.account_id)
        return {"type": "ir.actions.act_window_close"}
