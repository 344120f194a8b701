from decimal import Decimal

from odoo import models

from odoo.addons.points_engine.rounding import to_decimal


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda m: m.move_type == "out_invoice" and m.company_id.points_sale_trigger == "posted")\
            ._points_pay()
        posted.filtered(lambda m: m.move_type == "out_refund")._points_refund()
        return posted

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self.filtered(lambda m: m.move_type == "out_invoice" and m.company_id.points_sale_trigger == "paid")\
            ._points_pay()
        return result

    def button_draft(self):
        # An invoice taken back to draft no longer pays its lines: reverse what they contributed
        # (the reversal runs as the pool's system action, so the caller must first be allowed to change the moves).
        self.check_access("write")
        for move in self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted"):
            self.env["points.allocation"]._for_lines(move.invoice_line_ids)._reverse(Decimal(1), move)
        return super().button_draft()

    def action_points_pay(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "points.invoice.redeem.wizard", "view_mode": "form",
            "views": [(False, "form")], "target": "new", "name": self.env._("Pay with Points"),
            "context": {"default_invoice_id": self.id},
        }

    def _points_pay(self):
        """Invoice lines of sales orders contribute (trigger: on posting or on payment).

        A system action: whoever posts or pays (an accountant who may not read the sales
        orders, say), every line of a sales order contributes.
        """
        for move in self.sudo():
            for line in move.invoice_line_ids._points_sale_lines():
                sale_line = line.sale_line_ids[:1]
                rows = self.env["points.allocation"]._allocate(
                    line, order=sale_line.order_id, partner=move.commercial_partner_id, product=line.product_id,
                    quantity=line.quantity, amount=line.price_subtotal, company=move.company_id,
                    cost=line.product_id.standard_price * line.quantity,
                    take_rate=sale_line.order_id.points_merchant_id.points_take_rate, date=move.date)
                rows._on_paid()
            # Credit notes posted before the invoice contributed still apply.
            refunds = move.search([("move_type", "=", "out_refund"), ("state", "=", "posted"),
                                   ("invoice_line_ids.sale_line_ids", "in", move.invoice_line_ids.sale_line_ids.ids)])
            refunds._points_refund()

    def _points_refund(self):
        """Each credit-note line reverses what its sales order line contributed, pro rata to its amount."""
        Allocation = self.env["points.allocation"]
        for refund in self.sudo():
            for refund_line in refund.invoice_line_ids._points_sale_lines():
                sale_lines = refund_line.sale_line_ids
                paid_lines = sale_lines.invoice_lines.filtered(
                    lambda line: line.move_id.move_type == "out_invoice" and line.parent_state == "posted")
                to_refund = to_decimal(refund_line.price_subtotal)
                for paid in [*paid_lines, *sale_lines]:
                    rows = Allocation._for_lines(paid)
                    base = to_decimal(rows[:1].base_amount)
                    if not rows or not base or to_refund <= 0:
                        continue
                    already = rows[:1].reversal_ids.filtered(
                        lambda rev: (rev.refund_model, rev.refund_id) == (refund_line._name, refund_line.id))
                    if already:  # processed before: count it, do not reverse it again
                        to_refund -= to_decimal(already.ratio) * base
                        continue
                    share = min(to_refund, base * (1 - to_decimal(rows[:1].reversed_ratio)))
                    if share > 0 and rows._reverse(share / base, refund_line):
                        to_refund -= share


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _points_sale_lines(self):
        """Product lines of sales orders, read as superuser: whoever posts or pays, all of them count."""
        # The user's own reads may have cached only the sales lines their record rules show.
        self.invalidate_recordset(["sale_line_ids"])
        return self.sudo().filtered(lambda line: line.display_type == "product" and line.sale_line_ids
                             and line.product_id and line.price_subtotal > 0)
