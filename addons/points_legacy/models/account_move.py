from odoo import fields, models

from odoo.addons.points_engine.rounding import to_decimal


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
