from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    points_pool_id = fields.Many2one("points.pool", compute="_compute_points_pool_id")

    def _compute_points_pool_id(self):
        pools = self.env["points.pool"].sudo().search([("company_id", "in", self.ids)])
        by_company = {pool.company_id: pool for pool in pools}
        for company in self:
            company.points_pool_id = by_company.get(company, False)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            self.env["points.pool"]._get_for_company(company)
        return companies
