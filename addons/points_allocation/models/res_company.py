from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    points_default_plan_id = fields.Many2one("points.allocation.plan", string="Default Allocation Plan")
    points_payout_ratio_limit = fields.Float(
        string="Payout Ratio Limit", default=0.6, digits=(5, 4),
        help="Plans paying out more than this share of the price show a warning (0 = no limit).")

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            self.env["points.allocation.plan"]._get_company_default(company)
        return companies
