from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_confirm(self):
        # A return on its way back keeps the order's rewards frozen until it is received.
        result = super().action_confirm()
        self._points_update_reward_delivery()
        return result

    def _action_done(self):
        # Delivering an order collected at a service point is the service point's job: checked before anything moves.
        for point in self._points_pickup_orders().points_pickup_point_id:
            point.with_env(self.env)._points_check_pickup_verifier()
        result = super()._action_done()
        self._points_update_reward_delivery()
        self._points_verify_pickups()
        return result

    def action_cancel(self):
        # Cancelling the last open backorder completes the delivery of what was shipped.
        result = super().action_cancel()
        self._points_update_reward_delivery()
        return result

    def _points_customer_orders(self):
        return self.filtered(
            lambda p: p.location_dest_id.usage == "customer" or p.location_id.usage == "customer").sale_id

    def _points_update_reward_delivery(self):
        orders = self._points_customer_orders()
        if orders:
            self.env["points.reward"].sudo()._update_order_delivery(orders)

    def _points_pickup_orders(self):
        """Orders of these deliveries to customers whose pickup at a service point is not verified yet."""
        # Read as the system: a warehouse user need not read the sales orders they deliver.
        return self.sudo().filtered(lambda p: p.location_dest_id.usage == "customer").sale_id.filtered(
            lambda o: o.points_pickup_point_id and not o.points_pickup_verified_at)

    def _points_verify_pickups(self):
        """Validating the last delivery of an order with a pickup point verifies the pickup there."""
        orders = self.filtered(lambda p: p.state == "done")._points_pickup_orders()
        orders.filtered(lambda o: o._points_delivered_at())._points_verify_pickup(check=not self.env.su)
