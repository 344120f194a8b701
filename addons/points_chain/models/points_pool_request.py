from odoo import api, models

from odoo.addons.points_pool.models.points_pool_request import DRAIN_BATCH


class PointsPoolRequest(models.Model):
    _inherit = "points.pool.request"

    @api.model
    def _apply_locked(self, pool, limit=DRAIN_BATCH):
        """Each drain also applies the chain events queued for the pool's company (their one writer too)."""
        rows = super()._apply_locked(pool, limit=limit)
        self.env["points.chain.event"].sudo()._apply_pending_events(pool)
        return rows
