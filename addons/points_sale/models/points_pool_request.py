import logging

from odoo import models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class PointsPoolRequest(models.Model):
    _inherit = "points.pool.request"

    def _on_applied(self):
        # Credit notes whose points part the pool gave back: that part of their receivable is settled.
        result = super()._on_applied()
        restores = self.filtered(lambda request: request.kind == "restore" and request.state == "applied"
                                 and request.source_model == "account.move")
        refunds = self.env["account.move"].sudo().browse(restores.mapped("source_id")).exists()
        try:
            with self.env.cr.savepoint():
                refunds._points_reconcile_restores(restores)
        except UserError as error:
            # This runs in the pool's chain of events: the accountant reconciles by hand, the pool goes on.
            _logger.warning("Credit notes %s: the points given back could not be reconciled: %s", refunds.ids, error)
        return result
