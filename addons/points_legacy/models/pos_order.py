from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_pool.keys import idempotency_key
from odoo.addons.points_pos.models.pos_order import PAID_STATES


class PosOrder(models.Model):
    _inherit = "pos.order"

    def _process_saved_order(self, draft):
        if not draft and self.state != "cancel":
            # Refused here, the error reaches the cashier and the whole synchronisation rolls back.
            self._legacy_check_payments()
        order_id = super()._process_saved_order(draft)
        self._legacy_process()
        return order_id

    def action_pos_order_paid(self):
        deferred = self.env.context.get("points_pos_deferred")
        if not deferred:
            for order in self:
                order._legacy_check_payments()
        result = super().action_pos_order_paid()
        if not deferred:
            self._legacy_process()
        return result

    def _points_request_movements(self):
        # What the consumption balance paid earns through the member's batch releases, not at checkout.
        paid = self._legacy_paid_amount()
        return super(PosOrder, self.with_context(points_legacy_paid=float(paid)) if paid else self)\
            ._points_request_movements()

    # -- consumption balance ---------------------------------------------------------------------
    def _legacy_payments(self):
        return self.payment_ids.filtered(lambda payment: payment.payment_method_id.points_legacy_payment).sorted("id")

    def _legacy_paid_amount(self):
        """What the order's consumption balance payments paid (positive ones)."""
        return sum((to_decimal(payment.amount) for payment in self._legacy_payments() if payment.amount > 0),
                   to_decimal(0))

    def _legacy_member(self):
        """The legacy member paying: the customer's, checked usable; UserError otherwise."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner:
            raise UserError(_("Choose the customer whose consumption balance pays order %s.", self.name))
        member = self.env["points.legacy.member"]._for_partner(partner, self.company_id)
        if not member:
            raise UserError(_("%s has no consumption balance from the former platform.", partner.display_name))
        member._check_usable(self.company_id)
        return member

    def _legacy_check_payments(self):
        """Refuses the order when its consumption balance payments cannot be made: more than the member's balance,
        goods other than products, or more given back than the refunded orders paid with it."""
        self.ensure_one()
        payments = self._legacy_payments()
        if not payments or self._legacy_processed():
            return
        member = self._legacy_member()
        currency = self.currency_id
        paid = self._legacy_paid_amount()
        if paid > 0:
            products = sum((to_decimal(line.price_subtotal_incl) for line in self._points_earning_lines()),
                           to_decimal(0))
            if paid > products:
                raise UserError(_("The consumption balance pays products only: at most %(products)s of order "
                                  "%(order)s, not %(paid)s.", order=self.name,
                                  products=format_amount(self.env, float(products), currency),
                                  paid=format_amount(self.env, float(paid), currency)))
            pool = self.env["points.pool"].sudo()._get_for_company(self.company_id)
            wallet = member.wallet_id._lock_reservations()
            balance = pool._legacy_figures(wallet)[wallet.id][0]
            if paid > balance:
                raise UserError(_("%(partner)s has a consumption balance of %(balance)s: not enough to pay "
                                  "%(amount)s.", partner=member.partner_id.display_name,
                                  balance=format_amount(self.env, float(balance), currency),
                                  amount=format_amount(self.env, float(paid), currency)))
        given_back = -sum((to_decimal(payment.amount) for payment in payments if payment.amount < 0), to_decimal(0))
        if given_back > 0:
            refundable = self._legacy_refundable()
            if given_back > refundable:
                raise UserError(_("Order %(order)s gives back %(amount)s to the consumption balance, more than the "
                                  "%(due)s the refunded orders paid with it.", order=self.name,
                                  amount=format_amount(self.env, float(given_back), currency),
                                  due=format_amount(self.env, float(refundable), currency)))

    def _legacy_refundable(self):
        """What the orders this refund refunds paid with the consumption balance, less what their other refunds
        gave back already."""
        originals = self.lines.refunded_orderline_id.order_id
        paid = sum((order._legacy_paid_amount() for order in originals), to_decimal(0))
        refunds = originals.lines.refund_orderline_ids.order_id.filtered(
            lambda order: order != self and order.state in PAID_STATES)
        given = -sum((to_decimal(payment.amount) for payment in refunds._legacy_payments() if payment.amount < 0),
                     to_decimal(0))
        return money_half_up(paid - given, self.currency_id.decimal_places)

    def _legacy_key(self, payment):
        return idempotency_key("legacy", payment._name, payment.id)

    def _legacy_processed(self):
        keys = [self._legacy_key(payment) for payment in self._legacy_payments()]
        return bool(keys) and bool(self.env["points.pool.request"].sudo().search_count([("key", "in", keys)], limit=1))

    def _legacy_process(self):
        """Paid orders: their consumption balance payments are spent (or, for refunds, given back)."""
        for order in self:
            if order.state not in PAID_STATES or not order._legacy_payments() or order._legacy_processed():
                continue
            member = order._legacy_member()
            pool = self.env["points.pool"].sudo()._get_for_company(order.company_id)
            with pool._applying_together():
                for payment in order._legacy_payments():
                    if payment.amount > 0:
                        pool._legacy_spend(member, payment.amount, payment, order._legacy_key(payment))
                    elif payment.amount < 0:
                        pool._legacy_refund(member, -payment.amount, payment, order._legacy_key(payment))
