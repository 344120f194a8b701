from odoo import fields, models
from odoo.tools import SQL


class SaleOrder(models.Model):
    _inherit = "sale.order"

    points_delivered_at = fields.Datetime(
        "Fully Delivered On", compute="_compute_points_delivered_at",
        help="When the last goods of the order reached the customer, or came back from them: the return window of "
             "rewards frozen until delivery starts here. Empty while a delivery or a return is still open.")
    points_pickup_point_id = fields.Many2one(
        "res.partner", string="Pickup Point", domain=[("points_is_service_point", "=", True)],
        index="btree_not_null", copy=False, tracking=True,
        help="Service point where the customer collects the order: validating the delivery verifies the pickup "
             "and pays the service point's fee.")
    points_pickup_verified_at = fields.Datetime("Pickup Verified On", readonly=True, copy=False)
    points_pickup_verified_by_id = fields.Many2one("res.users", "Pickup Verified By", readonly=True, copy=False)

    def _points_pickup_point(self):
        return self.points_pickup_point_id

    def _points_delivery_date(self):
        # The first delivery (``effective_date``) starts the return window of the rewards.
        return self.effective_date or False

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

    def _points_verify_pickup(self, check=True):
        """The customer collected the whole order at its pickup point: recorded once, the service point is paid.

        Only the service point's users and Points Managers may verify its pickups (AccessError),
        checked for the current user even on orders read as the system, unless ``check`` is False.
        """
        for order in self.filtered(lambda o: o.points_pickup_point_id and not o.points_pickup_verified_at):
            if check:
                order.points_pickup_point_id.sudo(False)._points_check_pickup_verifier()
            # Two deliveries validated at once: the second waits here, then sees the first verification.
            self.env.cr.execute(SQL("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", order.id))
            order.invalidate_recordset(["points_pickup_verified_at"])
            if order.points_pickup_verified_at:
                continue
            order.sudo().write({"points_pickup_verified_at": fields.Datetime.now(),
                                "points_pickup_verified_by_id": self.env.uid})
            staff = order.sudo()._points_in_staff_lang()
            staff.message_post(body=staff.env._("Pickup verified at %s.", order.points_pickup_point_id.display_name))
            self.env["points.allocation"].sudo()._on_pickup_verified(order, order.points_pickup_point_id)
