from odoo import api, models
from odoo.tools import SQL


class PointsPool(models.Model):
    _inherit = "points.pool"

    @api.model
    def _pools_with_pending_work(self):
        pools = super()._pools_with_pending_work()
        self.env.cr.execute(SQL("SELECT DISTINCT company_id FROM points_team_stat_delta"))
        companies = self.env["res.company"].browse([company_id for (company_id,) in self.env.cr.fetchall()])
        return pools | self.search([("company_id", "in", companies.ids)])

    def _has_pending_work(self):
        if super()._has_pending_work():
            return True
        self.env.cr.execute(SQL("SELECT 1 FROM points_team_stat_delta WHERE company_id = %s LIMIT 1",
                                self.company_id.id))
        return bool(self.env.cr.fetchone())
