import logging

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.points_engine.rounding import to_decimal

_logger = logging.getLogger(__name__)


class PointsAllocation(models.Model):
    """Paid and refunded order lines feed the team statistics and the rank upgrades."""

    _inherit = "points.allocation"

    team_counted = fields.Boolean(readonly=True, help="The line's amount is in the buyer's and the team's figures.")

    def _on_paid(self):
        self._referral_bind_from_orders()
        result = super()._on_paid()
        self._referral_count_lines()
        return result

    def _on_reversed(self, ratio, refund_source=None):
        result = super()._on_reversed(ratio, refund_source)
        for rows in self._by_line():
            first = rows[:1]
            if rows.filtered("team_counted"):
                amount = float(-to_decimal(first.base_amount) * to_decimal(ratio))
                self.env["points.team.stat"].sudo()._add_order(first.partner_id, first.company_id, amount)
        return result

    def _referral_bind_from_orders(self):
        """Binding by the first order: an order that names a referrer (its ``_points_referrer()``) binds its
        buyer."""
        for rows in self._by_line():
            first = rows[:1]
            order = self._order_hooks(first._source_order())
            referrer = order and order._points_referrer()
            buyer = first.partner_id
            if referrer and not buyer.referrer_id and not rows.filtered("team_counted"):
                first._referral_bind_buyer(order, buyer, referrer)

    def _referral_bind_buyer(self, order, buyer, referrer):
        """Binds the buyer of a paid order (a system action, whoever records the payment).

        A refused binding never blocks the payment: the buyer stays unbound and the
        order's chatter (or the server log) says why.
        """
        try:
            with self.env.cr.savepoint():
                buyer.sudo()._bind_referrer(referrer, via="order", company=self.company_id)
        except UserError as error:
            # Stored in the order's chatter: written in the staff's language, not the payer's.
            staff = order._points_staff_chatter()
            message = (staff or self).env._("%(buyer)s was not bound to %(referrer)s by this order: %(reason)s",
                                            buyer=buyer.display_name, referrer=referrer.display_name,
                                            reason=error.args[0])
            if staff:
                staff.message_post(body=message)
            else:
                _logger.warning("%s %s: %s", order._name, order.id, message)

    def _referral_count_lines(self):
        """Adds each newly paid line to the buyer's and the team's figures once (the pool's sequencer applies
        them and checks the rank upgrades)."""
        Stat = self.env["points.team.stat"].sudo()
        for rows in self._by_line():
            if rows.filtered("team_counted"):
                continue
            first = rows[:1]
            buyer, company = first.partner_id, first.company_id
            same_order = first.order_id and self.sudo().search_count([
                ("order_model", "=", first.order_model), ("order_id", "=", first.order_id),
                ("team_counted", "=", True), ("company_id", "=", company.id)], limit=1)
            Stat._add_order(buyer, company, first.base_amount, orders=0 if same_order else 1)
            rows.write({"team_counted": True})
