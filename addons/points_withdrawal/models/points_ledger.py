from odoo import _, api, fields, models

from odoo.addons.points_pool.models.points_ledger import add_statement_section, keep_rows

WALLET_SERVICE_EVENTS = ("withdrawal", "withdrawal_fee", "transfer_out", "transfer_in")


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = fields.Selection(
        selection_add=[
            ("withdrawal", "Withdrawal"),
            ("withdrawal_fee", "Withdrawal fee"),
            ("transfer_out", "Transfer sent"),
            ("transfer_in", "Transfer received"),
        ],
        ondelete={key: keep_rows for key in WALLET_SERVICE_EVENTS})
    withdrawal_id = fields.Many2one("points.withdrawal", readonly=True, index="btree_not_null", ondelete="restrict")
    transfer_id = fields.Many2one("points.transfer", readonly=True, index="btree_not_null", ondelete="restrict")

    @api.model
    def _statement_sections(self):
        sections = add_statement_section(super()._statement_sections(), "withdrawals", _("Withdrawals and their fees"))
        return add_statement_section(sections, "transfers", _("Transfers between members"))

    @api.model
    def _statement_event_sections(self):
        return dict(super()._statement_event_sections(), withdrawal="withdrawals", withdrawal_fee="withdrawals",
                    transfer_out="transfers", transfer_in="transfers")
