from odoo import fields, models


def _keep_rows(rows):
    """Ledger rows are history: uninstalling the rewards leaves them in place."""


class PointsLedger(models.Model):
    _inherit = "points.ledger"

    event = fields.Selection(
        selection_add=[
            ("reward_freeze", "Reward (frozen)"),
            ("reward_release", "Reward released"),
            ("reward_reverse", "Reward reversed"),
            ("dividend_accrual", "Dividend pool accrual"),
            ("dividend_reverse", "Dividend pool reversal"),
        ],
        ondelete={key: _keep_rows for key in ("reward_freeze", "reward_release", "reward_reverse",
                                              "dividend_accrual", "dividend_reverse")})
    frozen_delta = fields.Monetary("Frozen Movement", readonly=True, aggregator="sum",
                                   help="Change of the member's frozen rewards.")
    reward_id = fields.Many2one("points.reward", readonly=True, index="btree_not_null", ondelete="restrict")
    dividend_accrual_id = fields.Many2one("points.dividend.accrual", readonly=True, index="btree_not_null",
                                          ondelete="restrict")
