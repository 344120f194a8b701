from odoo import fields, models

WALLET_SERVICE_EVENTS = ("withdrawal", "withdrawal_fee", "transfer_out", "transfer_in")


def _keep_rows(rows):
    """Ledger rows are history: uninstalling the wallet services leaves them in place."""


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = fields.Selection(
        selection_add=[
            ("withdrawal", "Withdrawal"),
            ("withdrawal_fee", "Withdrawal fee"),
            ("transfer_out", "Transfer sent"),
            ("transfer_in", "Transfer received"),
        ],
        ondelete={key: _keep_rows for key in WALLET_SERVICE_EVENTS})
    withdrawal_id = fields.Many2one("points.withdrawal", readonly=True, index="btree_not_null", ondelete="restrict")
    transfer_id = fields.Many2one("points.transfer", readonly=True, index="btree_not_null", ondelete="restrict")
