from decimal import Decimal

from odoo import fields, models
from odoo.tools.misc import formatLang

from odoo.addons.points_engine.rounding import money_half_up, to_decimal


class AccountMove(models.Model):
    _inherit = "account.move"

    points_redeem_request_ids = fields.Many2many(
        "points.pool.request", "account_move_points_redeem_rel", "move_id", "request_id", string="Points Payments",
        readonly=True, copy=False, groups="account.group_account_invoice",
        help="Redemptions of the customer's points that paid this invoice; its credit notes give them back as points.")
    points_restored = fields.Float(
        "Points Returned", digits=(16, 4), compute="_compute_points_restored",
        help="Points this credit note gave back to the customer for the part of the invoice paid with points.")
    points_restored_amount = fields.Monetary(
        "Value Returned as Points", compute="_compute_points_restored", currency_field="company_currency_id",
        help="The part of this credit note settled by giving the points back, not money.")

    def _compute_points_restored(self):
        rows = self.env["points.ledger"].sudo().search([
            ("event", "=", "restore"), ("source_model", "=", "account.move"), ("source_id", "in", self.ids)])
        for move in self:
            mine = rows.filtered(lambda row: row.source_id == move.id)
            move.points_restored = sum(mine.mapped("points_delta"))
            move.points_restored_amount = sum(mine.mapped("amount"))

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda m: m.move_type == "out_invoice" and m.company_id.points_sale_trigger == "posted")\
            ._points_pay()
        refunds = posted.filtered(lambda m: m.move_type == "out_refund")
        refunds._points_refund()
        refunds._points_restore()
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
        orders, say), every line of a sales order contributes. The lines' requests are applied
        together (one drain, one journal entry).
        """
        with self.env["points.pool"]._applying_together():
            self._points_pay_lines()

    def _points_pay_lines(self):
        for move in self.sudo():
            # The part of the invoice paid with points earns nothing unless the pool says so: pro rata per line.
            pool = self.env["points.pool"].sudo()._get_for_company(move.company_id)
            share = pool._earning_share(move._points_paid_amount(), move.amount_total)
            digits = move.currency_id.decimal_places
            for line in move.invoice_line_ids._points_sale_lines():
                sale_line = line.sale_line_ids[:1]
                amount = money_half_up(to_decimal(line.price_subtotal) * share, digits)
                if amount <= 0:
                    continue
                rows = self.env["points.allocation"]._allocate(
                    line, order=sale_line.order_id, partner=move.commercial_partner_id, product=line.product_id,
                    quantity=line.quantity, amount=float(amount), company=move.company_id,
                    cost=float(to_decimal(line.product_id.standard_price * line.quantity) * share),
                    take_rate=sale_line.order_id.points_merchant_id.points_take_rate, date=move.date)
                rows._on_paid()
            # Credit notes posted before the invoice contributed still apply.
            refunds = move.search([("move_type", "=", "out_refund"), ("state", "=", "posted"),
                                   ("invoice_line_ids.sale_line_ids", "in", move.invoice_line_ids.sale_line_ids.ids)])
            refunds._points_refund()

    def _points_paid_amount(self):
        """What the customer's points paid of this invoice (its applied redemptions)."""
        self.ensure_one()
        redemptions = self.sudo().points_redeem_request_ids.filtered(lambda request: request.state == "applied")
        return sum(redemptions.ledger_id.mapped("amount"))

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
                    # The line's own amount: its rows may hold only the share paid in money (points payments
                    # earning nothing), and a refund of the line reverses that share pro rata.
                    base = to_decimal(paid.price_subtotal if paid._name == "account.move.line" and rows
                                      else rows[:1].base_amount)
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


    def _points_restore(self):
        """A credit note of an invoice paid (partly) with points gives that part back as points, pro rata.

        Cumulative over the invoice's credit notes (their amounts together, rounded once), never more
        than the points paid. The pool's restore entry (Dr receivable) settles that part of the credit
        note's receivable (see ``points.pool.request._on_applied``): only the rest is a money credit.
        """
        for refund in self.sudo():
            # Posted again after a reset to draft: what it gave back settles it again, nothing is given twice.
            done = self.env["points.pool.request"].sudo().search([
                ("kind", "=", "restore"), ("state", "=", "applied"), ("source_model", "=", "account.move"),
                ("source_id", "=", refund.id)])
            refund._points_reconcile_restores(done, log=False)
            invoice = refund.reversed_entry_id
            redemptions = invoice.points_redeem_request_ids.filtered(lambda request: request.state == "applied")
            if not redemptions or invoice.move_type != "out_invoice":
                continue
            pool = redemptions.pool_id[:1]
            digits = invoice.currency_id.decimal_places
            paid = sum((to_decimal(redemption.ledger_id.amount) for redemption in redemptions), to_decimal(0))
            total = to_decimal(invoice.amount_total)
            if paid <= 0 or total <= 0:
                continue
            credit_notes = self.search([("reversed_entry_id", "=", invoice.id), ("move_type", "=", "out_refund"),
                                        ("state", "=", "posted")])
            credited = sum((to_decimal(note.amount_total) for note in credit_notes), to_decimal(0))
            target = min(money_half_up(paid * min(credited, total) / total, digits), paid)
            given = sum((to_decimal(redemption.ledger_id.amount) - pool._restorable_amount(redemption)
                         for redemption in redemptions), to_decimal(0))
            due = target - given
            for redemption in redemptions:
                amount = min(due, pool._restorable_amount(redemption))
                if amount > 0:
                    pool.restore(None, amount, refund, original=redemption)
                    due -= amount

    def _points_reconcile_restores(self, requests, log=True):
        """The restore entries of ``requests`` settle the points part of their credit notes' receivable."""
        for refund in self:
            for request in requests.filtered(lambda request: request.source_id == refund.id):
                row = request.ledger_id
                receivable = refund.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
                restore_lines = row.move_id.line_ids.filtered(
                    lambda line: line.account_id in receivable.account_id and line.partner_id == row.partner_id
                    and line.debit and (line.name == row.display_name or len(row.move_id.line_ids) <= 2))
                (receivable | restore_lines).filtered(lambda line: not line.reconciled).reconcile()
                if not log:
                    continue
                staff = refund._points_in_staff_lang()
                staff.message_post(body=staff.env._(
                    "%(amount)s of this credit note went back to the customer as %(points)s points (%(row)s), "
                    "as the invoice was paid with points.",
                    amount=formatLang(self.env, row.amount, currency_obj=refund.currency_id), points="%.4f" % row.points_delta,
                    row=row.display_name))


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _points_sale_lines(self):
        """Product lines of sales orders, read as superuser: whoever posts or pays, all of them count."""
        # The user's own reads may have cached only the sales lines their record rules show.
        self.invalidate_recordset(["sale_line_ids"])
        return self.sudo().filtered(lambda line: line.display_type == "product" and line.sale_line_ids
                             and line.product_id and line.price_subtotal > 0)
