from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo, force_create=True):
        # Loading a chart replaces the company's journals and accounts, the pool's included.
        result = super()._load(template_code, company, install_demo, force_create=force_create)
        pool = self.env["points.pool"].sudo().search([("company_id", "=", company.id)])
        pool._ensure_accounting()
        return result
