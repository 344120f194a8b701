from odoo import api, fields, models

from odoo.addons.points_allocation.models.points_allocation_plan import allocation_buckets
from odoo.addons.points_engine.rounding import to_decimal

from .points_allocation_plan import REWARD_BUCKETS, REWARD_BUCKETS_SEQUENCE


class PointsAllocation(models.Model):
    """Paid lines pay their reward buckets; refunds reverse them; a verified pickup pays the service point."""

    _inherit = "points.allocation"

    bucket = allocation_buckets(REWARD_BUCKETS, REWARD_BUCKETS_SEQUENCE)

    def _on_paid(self):
        result = super()._on_paid()
        Reward = self.env["points.reward"].sudo()
        for rows in self._by_line():
            first = rows[:1]
            order = first._source_order()
            Reward._reward_source(
                first._source_line(), first.partner_id, {row.bucket: row.amount for row in rows}, first.company_id,
                base_amount=first.base_amount, quantity=first.quantity, plan=first.plan_id, order=order,
                delivery_partner=self._reward_delivery_partner(order, first.partner_id),
                store=self._reward_store(order))
        return result

    def _on_reversed(self, ratio, refund_source=None):
        result = super()._on_reversed(ratio, refund_source)
        Reward = self.env["points.reward"].sudo()
        for rows in self._by_line():
            Reward._reverse_source(rows[:1]._source_line(), ratio, refund_source or rows.reversal_ids[-1:],
                                   refunded=max(rows.mapped("reversed_ratio")))
        return result

    @api.model
    def _on_pickup_verified(self, order, service_point):
        """The pickup point of ``order`` earns its service-point rewards; the order's return window starts."""
        result = super()._on_pickup_verified(order, service_point)
        Reward = self.env["points.reward"].sudo()
        rows = self.sudo().search([("order_model", "=", order._name), ("order_id", "=", order.id)])
        for line_rows in rows._by_line():
            first = line_rows[:1]
            share = 1 - to_decimal(first.reversed_ratio)
            if share <= 0:
                continue
            buckets = {row.bucket: float(to_decimal(row.amount) * share) for row in line_rows}
            Reward._reward_source(
                first._source_line(), first.partner_id, buckets, first.company_id,
                base_amount=float(to_decimal(first.base_amount) * share),
                quantity=float(to_decimal(first.quantity) * share), service_point=service_point,
                plan=first.plan_id, order=order, line_share=float(share), rule_types=["service_point"])
        Reward.search([("order_model", "=", order._name), ("order_id", "=", order.id), ("state", "=", "frozen"),
                       ("release_date", "=", False)])._set_delivered(fields.Datetime.now())
        return result

    @api.model
    def _reward_delivery_partner(self, order, buyer):
        """The address regional agents are found by: the order's delivery address, else the buyer's."""
        order = self._order_hooks(order)
        return (order._points_buyer_address() if order else None) or buyer

    @api.model
    def _reward_store(self, order):
        """The store (O2O merchant) an order was placed with, whose recruiter earns merchant rewards."""
        order = self._order_hooks(order)
        return order._points_store() if order else None
