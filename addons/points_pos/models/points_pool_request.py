import logging

from odoo import models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class PointsPoolRequest(models.Model):
    _inherit = "points.pool.request"

    def _on_applied(self):
        # POS orders whose points the pool applied after their synchronisation get their figures now.
        result = super()._on_applied()
        for order in self.env["pos.order"]._points_orders_of(self)._points_store_figures():
            # This runs in the pool's chain of events: a receivable that cannot be settled is logged for the
            # accountant, it never stops the pool.
            try:
                with self.env.cr.savepoint():
                    order._points_settle()
            except UserError as error:
                _logger.warning("POS order %s: its Points payment could not be reconciled: %s", order.name, error)
        return result
