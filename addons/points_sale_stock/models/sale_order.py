from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    points_delivered_at = fields.Datetime(
        "Fully Delivered On", compute="_compute_points_delivered_at",
        help="When the last goods of the order reached the customer, or came back from them: the return window of "
             "rewards frozen until delivery starts here. Empty while a delivery or a return is still open.")

    def _compute_points_delivered_at(self):
        for order in self:
            order.points_delivered_at = order._points_delivered_at()

    def _points_customer_pickings(self):
        """Deliveries to the customer and returns from them."""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: p.location_dest_id.usage == "customer" or p.location_id.usage == "customer")

    def _points_delivered_at(self):
        """The date of the last delivery or return once none is left open, else False.

        Unlike ``effective_date`` (the first delivery), a partial delivery does not start the
        return window of goods still to come, and a return restarts it: what came back may
        still be refunded, so the rewards of the order stay frozen a full window longer.
        """
        self.ensure_one()
        pickings = self._points_customer_pickings()
        if not pickings or any(p.state not in ("done", "cancel") for p in pickings):
            return False
        return max((p.date_done for p in pickings if p.state == "done" and p.date_done), default=False)
