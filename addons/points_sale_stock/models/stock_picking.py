from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_confirm(self):
        # A return on its way back keeps the order's rewards frozen until it is received.
        result = super().action_confirm()
        self._points_update_reward_delivery()
        return result

    def _action_done(self):
        result = super()._action_done()
        self._points_update_reward_delivery()
        return result

    def action_cancel(self):
        # Cancelling the last open backorder completes the delivery of what was shipped.
        result = super().action_cancel()
        self._points_update_reward_delivery()
        return result

    def _points_update_reward_delivery(self):
        orders = self.filtered(
            lambda p: p.location_dest_id.usage == "customer" or p.location_id.usage == "customer").sale_id
        if orders:
            self.env["points.reward"].sudo()._update_order_delivery(orders)
