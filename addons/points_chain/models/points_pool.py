from odoo import api, models
from odoo.tools import SQL


class PointsPool(models.Model):
    """Chain events queued for a company are work for its pool's sequencer."""

    _inherit = "points.pool"

    @api.model
    def _pools_with_pending_work(self):
        pools = super()._pools_with_pending_work()
        self.env.cr.execute(SQL("SELECT DISTINCT company_id FROM points_chain_event WHERE error IS NULL"))
        companies = [company_id for (company_id,) in self.env.cr.fetchall()]
        return pools | self.search([("company_id", "in", companies)]) if companies else pools

    def _has_pending_work(self):
        if super()._has_pending_work():
            return True
        self.env.cr.execute(SQL("SELECT 1 FROM points_chain_event WHERE company_id = %s AND error IS NULL LIMIT 1",
                                self.company_id.id))
        return bool(self.env.cr.fetchone())
