from odoo import api, fields, models


class PointsInjectWizard(models.TransientModel):
    _name = "points.inject.wizard"
    _description = "Inject Money into the Profit Pool"

    pool_id = fields.Many2one(
        "points.pool", required=True, default=lambda self: self.env["points.pool"]._get_for_company(self.env.company))
    company_id = fields.Many2one(related="pool_id.company_id")
    currency_id = fields.Many2one(related="pool_id.currency_id")
    amount = fields.Monetary(required=True)
    memo = fields.Char(required=True, help="Why the money enters the pool (financing, subsidy…).")
    account_id = fields.Many2one(
        "account.account", string="Counter-account", required=True, check_company=True,
        compute="_compute_account_id", store=True, readonly=False,
        help="Account the injected money comes from.")
    price = fields.Float(related="pool_id.price", string="Price Before")

    @api.depends("pool_id")
    def _compute_account_id(self):
        for wizard in self:
            wizard.account_id = wizard.account_id or wizard.pool_id.injection_account_id

    def action_inject(self):
        self.ensure_one()
        request = self.pool_id.inject(self.amount, self.memo, account=self.account_id)
        return request._open_action()
