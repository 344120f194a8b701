from odoo import api, models
from odoo.tools import SQL


class PointsPool(models.Model):
    """Chain events queued for a company are work for its pool's sequencer (those kept aside with an error wait
    for a person, not for the sequencer)."""

    _inherit = "points.pool"

    @api.model
    def _company_work_queues(self):
        return super()._company_work_queues() + [("points_chain_event", SQL("error IS NULL"))]
