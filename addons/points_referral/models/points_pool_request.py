from odoo import api, models

from odoo.addons.points_pool.models.points_pool_request import DRAIN_BATCH


class PointsPoolRequest(models.Model):
    _inherit = "points.pool.request"

    @api.model
    def _apply_locked(self, pool, limit=DRAIN_BATCH):
        """Each drain also adds the team statistics queued for the pool's company (their one writer too)."""
        rows = super()._apply_locked(pool, limit=limit)
        self.env["points.team.stat"].sudo()._apply_deltas(pool.company_id)
        return rows
