from odoo import models

from odoo.addons.points_allocation.models.points_allocation_plan import allocation_buckets

from .points_allocation_plan import REBATE_BUCKETS, REBATE_BUCKETS_SEQUENCE


class PointsAllocation(models.Model):
    """Paid lines feed the rebate pool, queue their rebate and accelerate the referrer's; refunds reduce them."""

    _inherit = "points.allocation"

    bucket = allocation_buckets(REBATE_BUCKETS, REBATE_BUCKETS_SEQUENCE)

    def _on_paid(self):
        result = super()._on_paid()
        Entry = self.env["points.rebate.entry"].sudo()
        for rows in self._by_line():
            Entry._queue_line(rows)
            Entry._accelerate_line(rows)
        return result

    def _on_reversed(self, ratio, refund_source=None):
        result = super()._on_reversed(ratio, refund_source)
        Entry = self.env["points.rebate.entry"].sudo()
        for rows in self._by_line():
            refund, refunded = refund_source or rows.reversal_ids[-1:], max(rows.mapped("reversed_ratio"))
            Entry._refund_line(rows, refund, refunded=refunded)
            Entry._refund_acceleration(rows, refund, refunded=refunded)
        return result
