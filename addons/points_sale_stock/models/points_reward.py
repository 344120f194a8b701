from odoo import api, models


class PointsReward(models.Model):
    _inherit = "points.reward"

    @api.model
    def _delivery_date(self, order):
        if order and order._name == "sale.order":
            return order._points_delivered_at()
        return super()._delivery_date(order)

    @api.model
    def _update_order_delivery(self, orders):
        """The deliveries of ``orders`` moved: their frozen delivery-freeze rewards get their release date now.

        A return before the release restarts the return window from the return; an order
        with a delivery or a return still open has no release date until it is done.
        """
        rewards = self.sudo().search([("order_model", "=", "sale.order"), ("order_id", "in", orders.ids),
                                      ("state", "=", "frozen"), ("rule_id.freeze_mode", "=", "delivery")])
        for order_id, order_rewards in rewards.grouped("order_id").items():
            delivered_at = self._delivery_date(orders.browse(order_id))
            if delivered_at:
                order_rewards._set_delivered(delivered_at)
            else:
                order_rewards.write({"release_date": False})
