from odoo import api, models


class PointsPool(models.Model):
    """Team statistics changes queued for a company are work for its pool's sequencer."""

    _inherit = "points.pool"

    @api.model
    def _company_work_queues(self):
        return super()._company_work_queues() + [("points_team_stat_delta", None)]
