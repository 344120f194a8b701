from odoo import fields, models

from odoo.addons.points_engine.rounding import money_half_up, to_decimal
from odoo.addons.points_pool.keys import idempotency_key


class AccountMove(models.Model):
    _inherit = "account.move"

    points_legacy_paid = fields.Monetary(
        "Paid with Consumption Balance", compute="_compute_points_legacy_paid", currency_field="company_currency_id",
        help="What the customer's consumption balance from the former platform paid of this invoice.")

    def _compute_points_legacy_paid(self):
        paid = dict(self.env["points.ledger"].sudo()._read_group(
            [("event", "=", "legacy_spend"), ("source_model", "=", "account.move"), ("source_id", "in", self.ids)],
            ["source_id"], ["amount:sum"]))
        for move in self:
            move.points_legacy_paid = paid.get(move.id, 0.0)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda move: move.move_type == "out_refund")._legacy_restore()
        return posted

    def _legacy_restore(self):
        """A credit note of an invoice paid (partly) with the consumption balance gives that part back to the
        balance, pro rata to what the invoice's credit notes credit together, never more than it paid; the
        balance's refund entry (Dr receivable) settles that part of the credit note: it never becomes money."""
        Ledger = self.env["points.ledger"].sudo()
        for refund in self.sudo():
            # Posted again after a reset to draft: what it gave back settles it again, nothing is given twice.
            for row in Ledger.search([("event", "=", "legacy_refund"), ("source_model", "=", "account.move"),
                                      ("source_id", "=", refund.id), ("move_id", "!=", False)]):
                refund._legacy_reconcile_refund(row)
            invoice = refund.reversed_entry_id
            paid = to_decimal(invoice.points_legacy_paid) if invoice.move_type == "out_invoice" else 0
            if paid <= 0 or invoice.amount_total <= 0:
                continue
            member = self.env["points.legacy.member"]._for_partner(invoice.commercial_partner_id, invoice.company_id)
            notes = self.search([("reversed_entry_id", "=", invoice.id), ("move_type", "=", "out_refund"),
                                 ("state", "=", "posted")])
            credited = sum((to_decimal(note.amount_total) for note in notes), to_decimal(0))
            digits = invoice.currency_id.decimal_places
            target = min(money_half_up(paid * min(credited, to_decimal(invoice.amount_total))
                                       / to_decimal(invoice.amount_total), digits), paid)
            given = to_decimal(sum(Ledger.search([
                ("event", "=", "legacy_refund"), ("source_model", "=", "account.move"), ("source_id", "in", notes.ids),
            ]).mapped("amount")))
            if target - given <= 0 or not member:
                continue
            pool = member.pool_id.sudo()
            request = pool._legacy_refund(member, target - given, refund, idempotency_key("legacy", refund._name, "refund", refund.id))
            if request.state == "applied":
                refund._legacy_reconcile_refund(request.ledger_id)

    def _legacy_reconcile_refund(self, row):
        """The balance's refund entry settles its credit note's receivable (for the amount given back)."""
        for refund in self:
            account = refund.commercial_partner_id.with_company(refund.company_id).property_account_receivable_id
            (refund.line_ids | row.move_id.line_ids).filtered(
                lambda line: line.account_id == account and line.partner_id.commercial_partner_id
                == refund.commercial_partner_id and not line.reconciled).reconcile()

    def _points_pay(self):
        # What the consumption balance paid earns through the member's batch releases, not with the invoice.
        for move in self:
            paid = to_decimal(move.points_legacy_paid) if move.id else 0
            super(AccountMove, move.with_context(points_legacy_paid=float(paid)) if paid else move)._points_pay()

    def action_points_legacy_pay(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window", "res_model": "points.legacy.invoice.pay.wizard", "view_mode": "form",
            "views": [(False, "form")], "target": "new", "name": self.env._("Pay with Consumption Balance"),
            "context": {"default_invoice_id": self.id},
        }
